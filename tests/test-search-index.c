/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-search-index.c: DslSearchIndex, what the GNOME Shell search provider searches.
 *
 *   in memory: matching (every term, case and accents, word prefix or substring), ranking,
 *              subsearch, paths and locations, bounds
 *   on disk:   save and load, a damaged cache file (records skipped and reported, a file that
 *              is not an index dropped), sizes
 *   fed:       a DslFolderModel and a DslLinkScan against docspace-sim (--scale 0) with the
 *              index attached to their client; then searches send no request at all. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dsl-folder-model.h"
#include "dsl-link-scan.h"
#include "dsl-search-index.h"
#include "dsl-sim-fixture.h"
#include "dsl-state-file.h"

#define OWNER_KEY "sk-demo-owner"
#define SEP " \u203a "

static DslSim *sim;
static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* The ids of a search, in order, joined by ",". */
static char *
search_ids (DslSearchIndex     *index,
            const char         *query,
            const char * const *within)
{
  g_auto(GStrv) terms = g_strsplit (query, " ", -1);
  g_autoptr(GPtrArray) hits = dsl_search_index_search (index, (const char * const *) terms,
                                                       within);
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < hits->len; i++)
    {
      DslSearchHit *hit = g_ptr_array_index (hits, i);

      g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", hit->id);
    }
  return g_string_free (ids, FALSE);
}

#define assert_search(index, query, expected) G_STMT_START { \
  g_autofree char *got_ = search_ids ((index), (query), NULL); \
  g_assert_cmpstr (got_, ==, (expected)); \
} G_STMT_END

/* The seed portal's shape, as the tree would load it. */
static DslSearchIndex *
sample_index (void)
{
  g_autofree char *path = tmp_path ("sample.json");
  DslSearchIndex *index = dsl_search_index_new_for_path (path);

  g_assert_true (dsl_search_index_add (index, DSL_FOLDER_ROOMS, "101", "Marketing",
                                       DSL_ITEM_KIND_ROOM));
  dsl_search_index_add (index, "101", "201", "Campaigns", DSL_ITEM_KIND_FOLDER);
  dsl_search_index_add (index, "201", "202", "2026", DSL_ITEM_KIND_FOLDER);
  dsl_search_index_add (index, "202", "301", "Launch plan.docx", DSL_ITEM_KIND_FILE);
  dsl_search_index_add (index, "202", "302", "Budget.xlsx", DSL_ITEM_KIND_FILE);
  dsl_search_index_add (index, DSL_FOLDER_ROOMS, "102", "Press Kit", DSL_ITEM_KIND_ROOM);
  dsl_search_index_add (index, "102", "312", "Old press release.pdf", DSL_ITEM_KIND_FILE);
  dsl_search_index_add (index, "102", "313", "Express delivery.txt", DSL_ITEM_KIND_FILE);
  dsl_search_index_add (index, DSL_FOLDER_MY, "401", "Café menu.docx", DSL_ITEM_KIND_FILE);
  dsl_search_index_add (index, DSL_FOLDER_MY, "402", "Cafe notes.txt", DSL_ITEM_KIND_FILE);
  dsl_search_index_add (index, DSL_FOLDER_MY, "403", "Ünïcode Straße.md", DSL_ITEM_KIND_FILE);
  /* Its parent was never loaded: it cannot be shown in the tree, so it is not a result. */
  dsl_search_index_add (index, "999", "501", "Launch orphan.docx", DSL_ITEM_KIND_FILE);
  return index;
}

static void
test_match (void)
{
  g_autoptr(DslSearchIndex) index = sample_index ();

  assert_search (index, "launch", "301");
  assert_search (index, "LAUNCH", "301");
  assert_search (index, "laun", "301");
  assert_search (index, "aunch", "301");           /* inside a word */
  assert_search (index, "plan launch", "301");     /* every term, any order */
  assert_search (index, "launch budget", "");      /* every term must match */
  assert_search (index, "launch.docx", "301");     /* folded into words as the name is */
  assert_search (index, "xyz", "");
  assert_search (index, "", "");
  assert_search (index, "   ", "");
  /* accents: either way */
  assert_search (index, "cafe", "401,402");
  assert_search (index, "café", "401,402");
  assert_search (index, "CAFÉ MENU", "401");
  assert_search (index, "unicode", "403");
  assert_search (index, "STRASSE", "403");
  /* a word of the location is not a word of the name */
  assert_search (index, "marketing", "101");
}

static void
test_rank (void)
{
  g_autoptr(DslSearchIndex) index = sample_index ();

  /* the name starts with it, then a word starts with it, then inside a word */
  assert_search (index, "press", "102,312,313");
  assert_search (index, "pre", "102,312,313");
  /* equal ranks: by name */
  assert_search (index, "e", "313,302,401,402,101,312,102,403");
}

static void
test_subsearch (void)
{
  g_autoptr(DslSearchIndex) index = sample_index ();
  const char *previous[] = { "312", "313", "101", "gone", NULL };
  g_autofree char *narrowed = search_ids (index, "press", previous);
  g_autofree char *all = search_ids (index, "e", previous);
  g_autofree char *none = search_ids (index, "launch", previous);

  /* only among the previous results (102 "Press Kit" matches but was not one of them) */
  g_assert_cmpstr (narrowed, ==, "312,313");
  g_assert_cmpstr (all, ==, "313,101,312");
  g_assert_cmpstr (none, ==, "");
}

static void
test_location (void)
{
  g_autoptr(DslSearchIndex) index = sample_index ();
  g_autofree char *path = dsl_search_index_dup_path (index, "301");
  g_autofree char *location = dsl_search_index_dup_location (index, "301");
  g_autofree char *room_path = dsl_search_index_dup_path (index, "101");
  g_autofree char *room_location = dsl_search_index_dup_location (index, "101");
  g_autofree char *my_path = dsl_search_index_dup_path (index, "402");
  g_autofree char *my_location = dsl_search_index_dup_location (index, "402");
  g_autofree char *orphan = dsl_search_index_dup_path (index, "501");

  g_assert_cmpstr (path, ==, "@rooms/101/201/202/301");
  g_assert_cmpstr (location, ==, "Rooms" SEP "Marketing" SEP "Campaigns" SEP "2026");
  g_assert_cmpstr (room_path, ==, "@rooms/101");
  g_assert_cmpstr (room_location, ==, "Rooms");
  g_assert_cmpstr (my_path, ==, "@my/402");
  g_assert_cmpstr (my_location, ==, "My documents");
  g_assert_null (orphan);
  g_assert_null (dsl_search_index_dup_path (index, "nothing"));
  /* no scan yet: no link state */
  g_assert_null (dsl_search_index_dup_link_state (index, "301"));

  /* a cycle (a portal answering nonsense) ends */
  dsl_search_index_add (index, "602", "601", "Loop one", DSL_ITEM_KIND_FOLDER);
  dsl_search_index_add (index, "601", "602", "Loop two", DSL_ITEM_KIND_FOLDER);
  g_assert_null (dsl_search_index_dup_path (index, "601"));
  assert_search (index, "loop", "");

  /* an item moved (re-read under another parent) is found at its new place */
  dsl_search_index_add (index, "102", "301", "Launch plan.docx", DSL_ITEM_KIND_FILE);
  {
    g_autofree char *moved = dsl_search_index_dup_path (index, "301");

    g_assert_cmpstr (moved, ==, "@rooms/102/301");
  }
}

static void
test_walk (void)
{
  g_autoptr(DslSearchIndex) index = sample_index ();
  guint n = dsl_search_index_get_n_items (index);

  /* an incomplete walk (a listing failed) removes nothing */
  dsl_search_index_begin_walk (index);
  dsl_search_index_add (index, DSL_FOLDER_ROOMS, "101", "Marketing", DSL_ITEM_KIND_ROOM);
  g_assert_cmpuint (dsl_search_index_end_walk (index, FALSE), ==, 0);
  g_assert_cmpuint (dsl_search_index_get_n_items (index), ==, n);

  /* a complete one keeps what it saw (updated or not) and what it added */
  dsl_search_index_begin_walk (index);
  dsl_search_index_add (index, DSL_FOLDER_ROOMS, "101", "Marketing", DSL_ITEM_KIND_ROOM);
  dsl_search_index_add (index, "101", "201", "Campaigns 2", DSL_ITEM_KIND_FOLDER);
  dsl_search_index_add (index, "101", "new", "New folder", DSL_ITEM_KIND_FOLDER);
  g_assert_cmpuint (dsl_search_index_end_walk (index, TRUE), ==, n - 2);
  g_assert_cmpuint (dsl_search_index_get_n_items (index), ==, 3);
  assert_search (index, "campaigns", "201");
  assert_search (index, "new", "new");
  assert_search (index, "launch", "");
  g_assert_true (dsl_search_index_get_dirty (index));
  /* without begin_walk, end_walk does nothing */
  g_assert_cmpuint (dsl_search_index_end_walk (index, TRUE), ==, 0);
  g_assert_cmpuint (dsl_search_index_get_n_items (index), ==, 3);
}

static void
test_bounds (void)
{
  g_autofree char *path = tmp_path ("bounds.json");
  g_autoptr(DslSearchIndex) index = dsl_search_index_new_for_path (path);
  g_autofree char *long_id = g_strnfill (DSL_SEARCH_INDEX_MAX_ID + 1, '7');
  g_autofree char *long_title = g_strnfill (DSL_SEARCH_INDEX_MAX_TITLE * 2, 'a');
  g_autofree char *accented = NULL;
  GString *many = g_string_new (NULL);

  g_assert_false (dsl_search_index_add (index, DSL_FOLDER_ROOMS, long_id, "x",
                                        DSL_ITEM_KIND_ROOM));
  g_assert_false (dsl_search_index_add (index, DSL_FOLDER_ROOMS, "", "x", DSL_ITEM_KIND_ROOM));
  g_assert_false (dsl_search_index_add (index, "", "1", "x", DSL_ITEM_KIND_ROOM));
  g_assert_false (dsl_search_index_add (index, DSL_FOLDER_ROOMS, "1", "x", 17));
  g_assert_cmpuint (dsl_search_index_get_n_items (index), ==, 0);

  /* a long title is cut at a character, never in the middle of one */
  for (guint i = 0; i < DSL_SEARCH_INDEX_MAX_TITLE; i++)
    g_string_append (many, "é");
  accented = g_string_free (many, FALSE);
  g_assert_true (dsl_search_index_add (index, DSL_FOLDER_ROOMS, "1", long_title,
                                       DSL_ITEM_KIND_ROOM));
  g_assert_true (dsl_search_index_add (index, DSL_FOLDER_ROOMS, "2", accented,
                                       DSL_ITEM_KIND_ROOM));
  g_assert_cmpuint (strlen (dsl_search_index_get_title (index, "1")), ==,
                    DSL_SEARCH_INDEX_MAX_TITLE);
  g_assert_cmpuint (strlen (dsl_search_index_get_title (index, "2")), <=,
                    DSL_SEARCH_INDEX_MAX_TITLE);
  g_assert_true (g_utf8_validate (dsl_search_index_get_title (index, "2"), -1, NULL));
  /* invalid UTF-8 from a portal is made valid */
  g_assert_true (dsl_search_index_add (index, DSL_FOLDER_ROOMS, "3", "bad \xff name",
                                       DSL_ITEM_KIND_ROOM));
  g_assert_true (g_utf8_validate (dsl_search_index_get_title (index, "3"), -1, NULL));

  /* no more than DSL_SEARCH_INDEX_MAX_ITEMS */
  for (guint i = dsl_search_index_get_n_items (index); i < DSL_SEARCH_INDEX_MAX_ITEMS; i++)
    {
      char id[32];

      g_snprintf (id, sizeof id, "n%u", i);
      g_assert_true (dsl_search_index_add (index, DSL_FOLDER_MY, id, "n", DSL_ITEM_KIND_FILE));
    }
  g_assert_false (dsl_search_index_add (index, DSL_FOLDER_MY, "one-more", "n",
                                        DSL_ITEM_KIND_FILE));
  g_assert_cmpuint (dsl_search_index_get_n_items (index), ==, DSL_SEARCH_INDEX_MAX_ITEMS);
  /* an item already there is still updated */
  g_assert_true (dsl_search_index_add (index, DSL_FOLDER_MY, "n5", "renamed",
                                       DSL_ITEM_KIND_FILE));
  /* every hit is returned (a subsearch narrows them), the name-prefix ones first */
  {
    const char *terms[] = { "n", NULL };
    g_autoptr(GPtrArray) hits = dsl_search_index_search (index, terms, NULL);

    g_assert_cmpuint (hits->len, ==, DSL_SEARCH_INDEX_MAX_ITEMS - 2);  /* all but "aaa…", "ééé…" */
    g_assert_cmpuint (((DslSearchHit *) g_ptr_array_index (hits, 0))->rank, ==, 0);
    g_assert_cmpuint (((DslSearchHit *) g_ptr_array_index (hits, hits->len - 1))->rank, ==, 2);
  }
}

static void
test_save_load (void)
{
  g_autoptr(DslSearchIndex) index = sample_index ();
  g_autoptr(DslSearchIndex) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  GStatBuf st;

  g_assert_true (dsl_search_index_get_dirty (index));
  g_assert_true (dsl_search_index_save (index, &error));
  g_assert_no_error (error);
  g_assert_false (dsl_search_index_get_dirty (index));
  g_assert_cmpint (g_stat (dsl_search_index_get_path (index), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  again = dsl_search_index_new_for_path (dsl_search_index_get_path (index));
  g_assert_true (dsl_search_index_load (again, &error));
  g_assert_no_error (error);
  g_assert_null (dsl_search_index_get_load_problems (again)[0]);
  g_assert_cmpuint (dsl_search_index_get_n_items (again), ==,
                    dsl_search_index_get_n_items (index));
  assert_search (again, "press", "102,312,313");
  assert_search (again, "cafe", "401,402");
  location = dsl_search_index_dup_location (again, "301");
  g_assert_cmpstr (location, ==, "Rooms" SEP "Marketing" SEP "Campaigns" SEP "2026");

  /* a missing file is an empty index */
  {
    g_autofree char *missing = tmp_path ("missing.json");
    g_autoptr(DslSearchIndex) empty = dsl_search_index_new_for_path (missing);

    g_assert_true (dsl_search_index_load (empty, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (dsl_search_index_get_n_items (empty), ==, 0);
  }
}

static void
test_path_for_account (void)
{
  g_autofree char *path = dsl_search_index_path_for_account ("a7b3 https://portal.example");
  g_autofree char *hash = dsl_state_file_hash_account ("a7b3 https://portal.example");
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "docspace-links", NULL);
  g_autofree char *name = g_strdup_printf ("search-%s.json", hash);

  g_assert_cmpuint (strlen (hash), ==, 16);
  g_assert_true (g_str_has_prefix (path, dir));
  g_assert_true (g_str_has_suffix (path, name));
  g_assert_null (strstr (path, "portal"));
  g_assert_null (strstr (path, "a7b3"));
}

static DslSearchIndex *
load_text (const char *name,
           const char *text,
           gboolean    expect_ok)
{
  g_autofree char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;
  DslSearchIndex *index;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  index = dsl_search_index_new_for_path (path);
  if (expect_ok)
    {
      g_assert_true (dsl_search_index_load (index, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_assert_false (dsl_search_index_load (index, &error));
      g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
      g_assert_cmpuint (dsl_search_index_get_n_items (index), ==, 0);
      g_assert_nonnull (dsl_search_index_get_load_problems (index)[0]);
    }
  return index;
}

static void
test_damaged (void)
{
  static const char damaged[] =
    "{\"format\":\"docspace-links-search-index\",\"version\":1,"
    "\"scanned-at\":\"2026-05-01T10:00:00Z\",\"items\":["
    "{\"id\":\"101\",\"parent\":\"@rooms\",\"title\":\"Marketing\",\"kind\":\"room\","
    " \"links\":3,\"expiring\":1,\"expired\":0},"
    "{\"id\":\"102\",\"parent\":\"@rooms\",\"title\":42,\"kind\":\"room\"},"
    "{\"id\":\"103\",\"parent\":\"@rooms\",\"title\":\"x\",\"kind\":\"spaceship\"},"
    "[1,2,3],"
    "{\"id\":\"104\",\"parent\":\"@rooms\",\"title\":\"Neg\",\"kind\":\"room\",\"links\":-5},"
    "{\"id\":\"105\",\"parent\":\"@rooms\",\"title\":\"More\",\"kind\":\"room\",\"links\":1,"
    " \"expired\":4},"
    "{\"id\":\"101\",\"parent\":\"@rooms\",\"title\":\"Twice\",\"kind\":\"room\"},"
    "{\"parent\":\"@rooms\",\"title\":\"No id\",\"kind\":\"room\"},"
    "{\"id\":\"106\",\"parent\":\"@rooms\",\"title\":\"Bad \xff text\",\"kind\":\"room\"},"
    "{\"id\":\"107\",\"parent\":\"101\",\"title\":\"Brand guide.pdf\",\"kind\":\"file\"}"
    "]}";
  g_autoptr(DslSearchIndex) index = load_text ("damaged.json", damaged, TRUE);
  const char * const *problems = dsl_search_index_get_load_problems (index);
  g_autofree char *state = dsl_search_index_dup_link_state (index, "101");
  g_autofree char *none = dsl_search_index_dup_link_state (index, "107");
  g_autofree char *title = NULL;

  /* 101, 106 and 107 are read; the other seven records are skipped, each reported */
  g_assert_cmpuint (dsl_search_index_get_n_items (index), ==, 3);
  g_assert_cmpuint (g_strv_length ((char **) problems), ==, 8);
  g_assert_nonnull (strstr (problems[0], "record 2:"));
  g_assert_nonnull (strstr (problems[1], "record 3:"));
  g_assert_nonnull (strstr (problems[2], "record 4:"));
  g_assert_nonnull (strstr (problems[3], "record 5:"));
  g_assert_nonnull (strstr (problems[4], "record 6:"));
  g_assert_nonnull (strstr (problems[5], "record 7:"));
  g_assert_nonnull (strstr (problems[6], "record 8:"));
  g_assert_nonnull (strstr (problems[7], "UTF-8"));
  g_assert_cmpstr (dsl_search_index_get_title (index, "101"), ==, "Marketing");
  title = g_strdup (dsl_search_index_get_title (index, "106"));
  g_assert_true (g_utf8_validate (title, -1, NULL));
  g_assert_cmpstr (state, ==, "3 links, 1 expiring");
  g_assert_cmpstr (none, ==, "No links");
  assert_search (index, "brand", "107");

  /* not an index at all: dropped */
  g_clear_object (&index);
  index = load_text ("not-json.json", "{\"format\": \"docspace-links-search-index\", [", FALSE);
  g_clear_object (&index);
  index = load_text ("other.json", "{\"format\":\"something-else\",\"version\":1,\"items\":[]}",
                     FALSE);
  g_clear_object (&index);
  index = load_text ("newer.json",
                     "{\"format\":\"docspace-links-search-index\",\"version\":2,\"items\":[]}",
                     FALSE);
  g_clear_object (&index);
  index = load_text ("no-items.json",
                     "{\"format\":\"docspace-links-search-index\",\"version\":1,\"items\":7}",
                     FALSE);
  g_clear_object (&index);
  index = load_text ("binary.json", "\x01\x02\x03", FALSE);
  g_clear_object (&index);
  {
    /* nested beyond DSL_STATE_FILE_MAX_DEPTH: refused before json-glib recurses */
    g_autofree char *open = g_strnfill (1000, '[');

    index = load_text ("deep.json", open, FALSE);
  }
  g_clear_object (&index);
  {
    /* more records than the index holds: not read one by one */
    GString *text = g_string_new ("{\"format\":\"docspace-links-search-index\",\"version\":1,"
                                  "\"items\":[");
    g_autofree char *big = NULL;

    for (guint i = 0; i <= DSL_SEARCH_INDEX_MAX_ITEMS; i++)
      g_string_append (text, i > 0 ? ",0" : "0");
    g_string_append (text, "]}");
    big = g_string_free (text, FALSE);
    index = load_text ("too-many.json", big, FALSE);
    g_assert_nonnull (strstr (dsl_search_index_get_load_problems (index)[0], "more than"));
  }
  g_clear_object (&index);

  /* a directory where the file should be */
  {
    g_autofree char *dir = tmp_path ("a-directory.json");
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
    index = dsl_search_index_new_for_path (dir);
    g_assert_false (dsl_search_index_load (index, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
    g_rmdir (dir);
  }
}

/* --- fed by the folder model and the link scan, against the simulator --- */

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("%s did not happen within 60 s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

static void
wait_until (gboolean  (*done) (gpointer),
            gpointer    data,
            const char *what)
{
  guint timeout_id = g_timeout_add_seconds (60, on_timeout, (gpointer) what);

  while (!done (data))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout_id);
}

static gboolean
model_complete (gpointer model)
{
  return dsl_folder_model_get_complete (model) && !dsl_folder_model_get_loading (model);
}

static void
on_scan_finished (DslLinkScan *scan,
                  gboolean    *finished)
{
  *finished = TRUE;
}

static gboolean
flag_set (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
test_fed_from_portal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslClient) client = dsl_client_new (dsl_sim_get_url (sim));
  g_autofree char *path = tmp_path ("fed.json");
  g_autoptr(DslSearchIndex) index = dsl_search_index_new_for_path (path);
  g_autoptr(DslFolderModel) rooms = NULL;
  g_autoptr(DslFolderModel) marketing = NULL;
  g_autoptr(DslLinkScan) scan = NULL;
  g_autofree char *location = NULL;
  g_autofree char *room_state = NULL;
  g_autofree char *file_state = NULL;
  g_autofree char *press_state = NULL;
  g_autofree char *none_state = NULL;
  gboolean finished = FALSE;

  dsl_sim_reset (sim, &error);
  g_assert_no_error (error);
  dsl_client_set_api_key (client, OWNER_KEY);

  /* Without an attached index a model feeds nothing (and no other index). */
  g_assert_null (dsl_search_index_for_client (client));
  dsl_search_index_attach_client (index, client);
  g_assert_true (dsl_search_index_for_client (client) == index);

  /* The tree: Rooms, then Marketing's contents. */
  rooms = dsl_folder_model_new (client, DSL_FOLDER_ROOMS, NULL);
  dsl_folder_model_load_more (rooms);
  wait_until (model_complete, rooms, "the Rooms page");
  marketing = dsl_folder_model_new (client, "101", NULL);
  dsl_folder_model_load_more (marketing);
  wait_until (model_complete, marketing, "Marketing's page");

  assert_search (index, "press", "102,304");   /* Press Kit; Press release.docx */
  assert_search (index, "brand", "303");
  /* Launch plan.docx is in 202, not loaded by the tree */
  assert_search (index, "launch", "");
  g_assert_null (dsl_search_index_get_scanned_at (index));
  g_assert_null (dsl_search_index_dup_link_state (index, "101"));

  /* An item deleted on the portal since it was listed: the scan's complete walk drops it. */
  dsl_search_index_add (index, DSL_FOLDER_ROOMS, "ghost", "Ghost room", DSL_ITEM_KIND_ROOM);
  assert_search (index, "ghost", "ghost");

  /* The link scan walks everything and counts the links. */
  scan = dsl_link_scan_new (client);
  g_signal_connect (scan, "finished", G_CALLBACK (on_scan_finished), &finished);
  dsl_link_scan_start (scan);
  wait_until (flag_set, &finished, "the link scan");
  g_assert_null (dsl_link_scan_get_error (scan));
  g_assert_nonnull (dsl_search_index_get_scanned_at (index));

  assert_search (index, "launch", "301");
  assert_search (index, "ghost", "");
  assert_search (index, "press", "102,304");
  location = dsl_search_index_dup_location (index, "301");
  g_assert_cmpstr (location, ==, "Rooms" SEP "Marketing" SEP "Campaigns" SEP "2026");
  /* Marketing: "Shared link", "Old preview" (expired), "Partners", "Staff only" */
  room_state = dsl_search_index_dup_link_state (index, "101");
  g_assert_cmpstr (room_state, ==, "4 links, 1 expired");
  /* Q3 report.docx: a primary link and "Download blocked", which expires in 3 days */
  file_state = dsl_search_index_dup_link_state (index, "401");
  g_assert_cmpstr (file_state, ==, "2 links, 1 expiring");
  press_state = dsl_search_index_dup_link_state (index, "102");
  g_assert_cmpstr (press_state, ==, "2 links");
  none_state = dsl_search_index_dup_link_state (index, "303");
  g_assert_cmpstr (none_state, ==, "No links");

  /* Searching, subsearching and describing send nothing to the portal. */
  dsl_sim_clear_requests (sim, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 50; i++)
    {
      const char *previous[] = { "301", "302", "101", NULL };
      g_autofree char *all = search_ids (index, "a", NULL);
      g_autofree char *sub = search_ids (index, "pla", previous);
      g_autofree char *where = dsl_search_index_dup_location (index, "301");
      g_autofree char *state = dsl_search_index_dup_link_state (index, "301");

      g_assert_cmpstr (sub, ==, "301");
    }
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (dsl_sim_count_requests (sim, NULL, NULL), ==, 0);

  /* What was fed survives a save and a load, without the portal. */
  g_assert_true (dsl_search_index_save (index, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DslSearchIndex) cached = dsl_search_index_new_for_path (path);
    g_autofree char *cached_state = NULL;

    g_assert_true (dsl_search_index_load (cached, &error));
    g_assert_no_error (error);
    assert_search (cached, "launch", "301");
    cached_state = dsl_search_index_dup_link_state (cached, "101");
    g_assert_cmpstr (cached_state, ==, "4 links, 1 expired");
  }
  g_assert_cmpuint (dsl_sim_count_requests (sim, NULL, NULL), ==, 0);
}

static gboolean
on_autosave_wait (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean
saved_with_third (gpointer path)
{
  g_autoptr(DslSearchIndex) loaded = dsl_search_index_new_for_path (path);

  return dsl_search_index_load (loaded, NULL) &&
         dsl_search_index_get_title (loaded, "3") != NULL;
}

static void
test_autosave (void)
{
  g_autofree char *path = tmp_path ("autosave.json");
  g_autoptr(DslSearchIndex) index = dsl_search_index_new_for_path (path);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  dsl_search_index_set_autosave (index, 50);
  dsl_search_index_add (index, DSL_FOLDER_ROOMS, "1", "Room", DSL_ITEM_KIND_ROOM);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  /* not at once: a moment after the change, written in a thread */
  g_timeout_add (20, on_autosave_wait, loop);
  g_main_loop_run (loop);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  wait_until (file_exists, path, "the autosave");
  g_assert_false (dsl_search_index_get_dirty (index));

  /* a change while a save runs is saved after it */
  dsl_search_index_add (index, DSL_FOLDER_ROOMS, "2", "Second room", DSL_ITEM_KIND_ROOM);
  dsl_search_index_add (index, DSL_FOLDER_ROOMS, "3", "Third room", DSL_ITEM_KIND_ROOM);
  wait_until (saved_with_third, path, "the second autosave");
  g_assert_false (dsl_search_index_get_dirty (index));
  /* let the last save's callback run before the index goes */
  g_timeout_add (200, on_autosave_wait, loop);
  g_main_loop_run (loop);
}

/* The ASCII fast path folds a title exactly as g_str_tokenize_and_fold() does: every ASCII
 * character as a separator and inside words. */
static void
assert_folds_as_glib (const char *title)
{
  g_auto(GStrv) tokens = g_str_tokenize_and_fold (title, NULL, NULL);
  g_autofree char *joined = g_strjoinv (" ", tokens);
  g_autofree char *expected = tokens[0] != NULL ? g_strdup_printf (" %s ", joined)
                                                : g_strdup (" ");
  g_autofree char *ascii = NULL;
  g_autofree char *words = dsl_search_index_fold_title (title, &ascii);

  g_assert_cmpstr (words, ==, expected);
  g_assert_null (ascii);
}

static void
test_fold_ascii (void)
{
  g_autofree char *ascii = NULL;
  g_autofree char *words = NULL;

  for (int c = 1; c < 0x80; c++)
    {
      char title[16];

      g_snprintf (title, sizeof title, "Ab%c9z%cQ%c", c, c, c);
      assert_folds_as_glib (title);
    }
  assert_folds_as_glib ("");
  assert_folds_as_glib ("  ");
  assert_folds_as_glib ("Report 0040 Q1.docx");
  assert_folds_as_glib ("__init__.py");
  assert_folds_as_glib ("O'Brien-Smith_v2 (final) [copy].PDF");
  /* not ASCII: GLib's tables, with the ASCII forms */
  words = dsl_search_index_fold_title ("Café Menü", &ascii);
  g_assert_cmpstr (words, ==, " café menü ");
  g_assert_cmpstr (ascii, ==, " cafe menu ");
}

/* Writes `text` where the shared index of `key` is read from. */
static char *
write_shared_file (const char *key,
                   const char *text)
{
  g_autofree char *path = dsl_search_index_path_for_account (key);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return g_steal_pointer (&path);
}

/* A service started by D-Bus reads the indexes in a thread; the first use waits for it and
 * sees exactly what a load on the spot sees. */
static void
test_preload_shared (void)
{
  static const char text[] =
    "{\"format\":\"docspace-links-search-index\",\"version\":1,"
    "\"scanned-at\":\"2026-05-01T10:00:00Z\",\"items\":["
    "{\"id\":\"101\",\"parent\":\"@rooms\",\"title\":\"Marketing\",\"kind\":\"room\","
    " \"links\":3,\"expiring\":1},"
    "{\"id\":\"102\",\"parent\":\"@rooms\",\"title\":42,\"kind\":\"room\"},"
    "{\"id\":\"401\",\"parent\":\"101\",\"title\":\"Café menu.docx\",\"kind\":\"file\"}"
    "]}";
  g_autofree char *path = write_shared_file ("u1 https://preload.example", text);
  g_autofree char *path2 = write_shared_file ("u2 https://preload.example", text);
  g_autofree char *bad_path = write_shared_file ("u3 https://preload.example", "not json");
  g_autofree char *missing_path = dsl_search_index_path_for_account ("u4 https://preload.example");
  DslSearchIndex *preloaded, *loaded, *bad, *missing;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslSearchIndex) reread = NULL;

  dsl_search_index_preload_shared ("u1 https://preload.example");
  dsl_search_index_preload_shared ("u1 https://preload.example");  /* once only */
  dsl_search_index_preload_shared ("u3 https://preload.example");
  dsl_search_index_preload_shared ("u4 https://preload.example");
  preloaded = dsl_search_index_get_shared ("u1 https://preload.example");
  loaded = dsl_search_index_get_shared ("u2 https://preload.example");  /* not preloaded */
  g_assert_true (dsl_search_index_get_shared ("u1 https://preload.example") == preloaded);
  g_assert_cmpstr (dsl_search_index_get_path (preloaded), ==, path);

  for (guint i = 0; i < 2; i++)
    {
      DslSearchIndex *index = i == 0 ? preloaded : loaded;
      const char * const *problems = dsl_search_index_get_load_problems (index);
      g_autofree char *state = dsl_search_index_dup_link_state (index, "101");

      g_assert_cmpuint (dsl_search_index_get_n_items (index), ==, 2);
      g_assert_cmpuint (g_strv_length ((char **) problems), ==, 1);
      g_assert_nonnull (strstr (problems[0], "record 2:"));
      assert_search (index, "cafe", "401");
      assert_search (index, "mark", "101");
      g_assert_cmpstr (state, ==, "3 links, 1 expiring");
      g_assert_false (dsl_search_index_get_dirty (index));
    }

  bad = dsl_search_index_get_shared ("u3 https://preload.example");
  g_assert_cmpuint (dsl_search_index_get_n_items (bad), ==, 0);
  g_assert_nonnull (strstr (dsl_search_index_get_load_problems (bad)[0], "could not be read"));
  missing = dsl_search_index_get_shared ("u4 https://preload.example");
  g_assert_cmpuint (dsl_search_index_get_n_items (missing), ==, 0);
  g_assert_null (dsl_search_index_get_load_problems (missing)[0]);

  /* what is added after the preload is saved with what was read */
  g_assert_true (dsl_search_index_add (preloaded, "101", "402", "Press kit.zip",
                                       DSL_ITEM_KIND_FILE));
  g_assert_true (dsl_search_index_get_dirty (preloaded));
  dsl_search_index_shared_flush ();
  g_assert_false (dsl_search_index_get_dirty (preloaded));
  reread = dsl_search_index_new_for_path (path);
  g_assert_true (dsl_search_index_load (reread, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dsl_search_index_get_n_items (reread), ==, 3);
  assert_search (reread, "press", "402");

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_remove (path2), ==, 0);
  g_remove (bad_path);  /* rewritten or not: a cache */
  g_remove (missing_path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--scale", "0", NULL };
  int status;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("test-search-index-XXXXXX", &error);
  g_assert_no_error (error);
  /* the shared indexes' files go here (before anything asks GLib for the cache directory) */
  g_setenv ("XDG_CACHE_HOME", tmp_dir, TRUE);

  g_test_add_func ("/dsl/core/search-index/match", test_match);
  g_test_add_func ("/dsl/core/search-index/rank", test_rank);
  g_test_add_func ("/dsl/core/search-index/subsearch", test_subsearch);
  g_test_add_func ("/dsl/core/search-index/location", test_location);
  g_test_add_func ("/dsl/core/search-index/walk", test_walk);
  g_test_add_func ("/dsl/core/search-index/bounds", test_bounds);
  g_test_add_func ("/dsl/core/search-index/save-load", test_save_load);
  g_test_add_func ("/dsl/core/search-index/path-for-account", test_path_for_account);
  g_test_add_func ("/dsl/core/search-index/damaged", test_damaged);
  g_test_add_func ("/dsl/core/search-index/autosave", test_autosave);
  g_test_add_func ("/dsl/core/search-index/fed-from-portal", test_fed_from_portal);
  g_test_add_func ("/dsl/core/search-index/fold-ascii", test_fold_ascii);
  g_test_add_func ("/dsl/core/search-index/preload-shared", test_preload_shared);

  sim = dsl_sim_start (args, &error);
  g_assert_no_error (error);

  status = g_test_run ();

  dsl_sim_stop (sim);
  {
    /* the files the tests wrote */
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = tmp_path (name);

        g_unlink (file);
      }
  }
  {
    g_autofree char *cache = tmp_path ("docspace-links");

    g_rmdir (cache);
  }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return status;
}

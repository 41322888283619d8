/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-link-scan.c: DslLinkScan against docspace-sim, and its rows' filters, order and CSV.
 *
 *   DslLinkScan ──DslClient──▶ docspace-sim --scale 1 --state FILE
 *        │                         └─ FILE: the simulator's own portal (entries and their
 *        │                            links) after every reset = the ground truth
 *        └ asserted: rows == every external link of Rooms + My documents in FILE (by link id
 *          and item), the requests the simulator received (none for rooms 104/105/107,
 *          links only of shared items, every page of folder 901), requests in flight (the
 *          client's reference count: each request is a GTask holding the client), cancel,
 *          429 storm, a failing folder.
 *
 * One simulator for the whole binary, reset before every test. Under ASan or valgrind it runs
 * with --scale 0 (no "Big Data" room): reading 10,000 items there takes minutes, and the walk
 * is the same without them (the ground truth follows the simulator's state). */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#if defined(__has_include)
# if __has_include(<valgrind/valgrind.h>)
#  include <valgrind/valgrind.h>
# endif
#endif

#include "dsl-link-scan.h"
#include "dsl-sim-fixture.h"

#define OWNER_KEY "sk-demo-owner"
#define SEP " \u203a "

static DslSim *sim;
static gboolean big;   /* --scale 1: the 10,000-file folder 901 is there */
static char *state_dir;
static char *state_file;

/* Under AddressSanitizer or valgrind every allocation costs 30-50 times more. */
static gboolean
instrumented (void)
{
#if defined(__SANITIZE_ADDRESS__)
  return TRUE;
#elif defined(RUNNING_ON_VALGRIND)
  return RUNNING_ON_VALGRIND != 0;
#else
  return FALSE;
#endif
}

/* --- fixture --- */

typedef struct {
  DslClient   *client;
  DslLinkScan *scan;
  guint        n_finished;
  guint        max_in_flight;   /* seen from outside: the client's extra references */
  guint        baseline_refs;
} Fixture;

static void
on_finished (DslLinkScan *scan,
             Fixture     *f)
{
  f->n_finished++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_reset (sim, &error);
  g_assert_no_error (error);

  f->client = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->client, OWNER_KEY);
  f->scan = dsl_link_scan_new (f->client);
  g_signal_connect (f->scan, "finished", G_CALLBACK (on_finished), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_object_add_weak_pointer (G_OBJECT (f->scan), (gpointer *) &f->scan);
  g_object_unref (f->scan);
  g_assert_null (f->scan);

  g_object_add_weak_pointer (G_OBJECT (f->client), (gpointer *) &f->client);
  g_object_unref (f->client);
  g_assert_null (f->client);

  dsl_sim_set_faults (sim, "none", &error);
  g_assert_no_error (error);
}

#define add_test(name, func) \
  g_test_add ("/dsl/core/link-scan/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

/* --- helpers --- */

static gboolean
on_sleep_done (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, on_sleep_done, loop);
  g_main_loop_run (loop);
}

static void
set_faults (const char *profile)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_set_faults (sim, profile, &error);
  g_assert_no_error (error);
}

/* Every GTask of the client holds a reference on it: what is above the references the test
 * and the scan hold is the number of requests the scan has under way. */
static guint
client_requests (Fixture *f)
{
  guint refs = g_atomic_int_get (&G_OBJECT (f->client)->ref_count);

  g_assert_cmpuint (refs, >=, f->baseline_refs);
  return refs - f->baseline_refs;
}

static gboolean
on_poll (gpointer user_data)
{
  Fixture *f = user_data;

  f->max_in_flight = MAX (f->max_in_flight, client_requests (f));
  return G_SOURCE_CONTINUE;
}

static void
on_finished_quit (DslLinkScan *scan,
                  GMainLoop   *loop)
{
  g_main_loop_quit (loop);
}

static gboolean
on_scan_timeout (gpointer user_data)
{
  g_error ("the scan was still running after 120 s");
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the scan finishes, watching the requests in flight. `start`:
 * start it first (else it was started by the caller, after setting baseline_refs). */
static void
wait_scan (Fixture  *f,
           gboolean  start)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  gulong handler;
  guint poll_id, timeout_id;

  if (start)
    f->baseline_refs = g_atomic_int_get (&G_OBJECT (f->client)->ref_count);
  f->max_in_flight = 0;
  handler = g_signal_connect (f->scan, "finished", G_CALLBACK (on_finished_quit), loop);
  poll_id = g_timeout_add (1, on_poll, f);
  timeout_id = g_timeout_add_seconds (120, on_scan_timeout, NULL);

  if (start)
    dsl_link_scan_start (f->scan);
  g_assert_true (dsl_link_scan_get_running (f->scan));
  g_main_loop_run (loop);

  g_source_remove (timeout_id);
  g_source_remove (poll_id);
  g_signal_handler_disconnect (f->scan, handler);
  g_assert_false (dsl_link_scan_get_running (f->scan));
  /* Nothing left behind. */
  run_for (50);
  g_assert_cmpuint (client_requests (f), ==, 0);
}

static void
scan_and_wait (Fixture *f)
{
  wait_scan (f, TRUE);
}

/* The simulator's own truth, read from its --state file after the reset: link id -> id of
 * the entry holding it, for every external link (not invitation) of an entry under Rooms or
 * Olivia's My documents. *n_items gets how many rooms, folders and files are under those two
 * roots (virtual folders count their generated files). */
static GHashTable *
ground_truth (guint *n_items)
{
  g_autoptr(GHashTable) links = dsl_sim_read_external_links (state_file, n_items);
  GHashTable *truth = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (truth, g_strdup (key),
                         g_strdup (json_object_get_string_member (value, "entryId")));
  return truth;
}

static DslLinkScanRow *
row_at (GListModel *model,
        guint       position)
{
  DslLinkScanRow *row = g_list_model_get_item (model, position);

  g_assert_nonnull (row);
  g_object_unref (row);   /* borrowed: the model keeps it */
  return row;
}

static DslLinkScanRow *
find_row (DslLinkScan *scan,
          const char  *item_id,
          const char  *link_title)
{
  GListModel *rows = dsl_link_scan_get_rows (scan);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      DslLinkScanRow *row = row_at (rows, i);

      if (g_str_equal (dsl_item_get_id (dsl_link_scan_row_get_item (row)), item_id) &&
          g_strcmp0 (dsl_link_get_title (dsl_link_scan_row_get_link (row)), link_title) == 0)
        return row;
    }
  return NULL;
}

/* The scan's rows as link id -> item id; fails on a link seen twice. */
static GHashTable *
scan_links (DslLinkScan *scan)
{
  GListModel *rows = dsl_link_scan_get_rows (scan);
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      DslLinkScanRow *row = row_at (rows, i);
      DslLink *link = dsl_link_scan_row_get_link (row);

      g_assert_nonnull (link);
      g_assert_null (dsl_link_scan_row_get_error (row));
      g_assert_true (g_hash_table_insert (found, g_strdup (dsl_link_get_id (link)),
                                          g_strdup (dsl_item_get_id (dsl_link_scan_row_get_item (row)))));
    }
  return found;
}

static void
assert_same_links (GHashTable *expected,
                   GHashTable *found)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *item = g_hash_table_lookup (found, key);

      if (item == NULL)
        g_error ("link %s of item %s was not found", (char *) key, (char *) value);
      g_assert_cmpstr (item, ==, value);
    }
  g_hash_table_iter_init (&iter, found);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (expected, key))
      g_error ("link %s of item %s is not on the portal", (char *) key, (char *) value);
}

static JsonArray *
requests (JsonNode **holder)
{
  g_autoptr(GError) error = NULL;

  *holder = dsl_sim_get_requests (sim, &error);
  g_assert_no_error (error);
  return json_node_get_array (*holder);
}

static guint
n_requests (void)
{
  g_autoptr(JsonNode) node = NULL;

  return json_array_get_length (requests (&node));
}

/* --- the scan against the simulator --- */

static void
test_exact (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GHashTable) truth = NULL;
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(JsonNode) log = NULL;
  JsonArray *log_array;
  DslLinkScanRow *row;
  guint n_items = 0;
  guint n_link_requests = 0;

  /* A little latency so that requests overlap. */
  set_faults ("latency=20");
  scan_and_wait (f);

  g_assert_cmpuint (f->n_finished, ==, 1);
  g_assert_null (dsl_link_scan_get_error (f->scan));
  g_assert_cmpuint (dsl_link_scan_get_n_failures (f->scan), ==, 0);

  truth = ground_truth (&n_items);
  found = scan_links (f->scan);
  /* The seed has 20-odd links; --scale 1 adds 5 in the scale room and 6 in Big Data. */
  g_assert_cmpuint (g_hash_table_size (truth), >=, big ? 30 : 20);
  assert_same_links (truth, found);
  g_assert_cmpuint (dsl_link_scan_get_links_found (f->scan), ==, g_hash_table_size (truth));
  g_assert_cmpuint (dsl_link_scan_get_items_scanned (f->scan), ==, n_items);
  g_assert_cmpuint (n_items, >, big ? 10000 : 20);

  /* At most 8 at a time, and the queue really runs 8 in parallel. */
  g_test_message ("requests in flight at most: %u", f->max_in_flight);
  g_assert_cmpuint (f->max_in_flight, <=, 8);
  g_assert_cmpuint (f->max_in_flight, ==, 8);

  /* The seed's facts, by name and place. */
  row = find_row (f->scan, "101", "Partners");
  g_assert_nonnull (row);
  g_assert_cmpstr (dsl_link_scan_row_get_location (row), ==, "Rooms");
  g_assert_cmpstr (dsl_item_get_title (dsl_link_scan_row_get_item (row)), ==, "Marketing");
  g_assert_cmpstr (dsl_link_get_password (dsl_link_scan_row_get_link (row)), ==, "Secret123");
  g_assert_cmpint (dsl_link_scan_row_get_state (row), ==, DSL_LINK_SCAN_STATE_ACTIVE);
  row = find_row (f->scan, "101", "Old preview");
  g_assert_nonnull (row);
  g_assert_cmpint (dsl_link_scan_row_get_state (row), ==, DSL_LINK_SCAN_STATE_EXPIRED);
  row = find_row (f->scan, "401", "Download blocked");
  g_assert_nonnull (row);
  g_assert_cmpstr (dsl_link_scan_row_get_location (row), ==, "My documents");
  g_assert_cmpint (dsl_link_scan_row_get_state (row), ==, DSL_LINK_SCAN_STATE_EXPIRING_SOON);
  row = find_row (f->scan, "301", "View only, no download");
  g_assert_nonnull (row);
  g_assert_cmpstr (dsl_link_scan_row_get_location (row), ==,
                   "Rooms" SEP "Marketing" SEP "Campaigns" SEP "2026");
  /* The form-filling room's link is the room's row, not its file's. */
  row = find_row (f->scan, "103", "Link to fill out");
  g_assert_nonnull (row);
  g_assert_null (find_row (f->scan, "321", "Link to fill out"));
  /* Invitation links are not external links. */
  g_assert_null (find_row (f->scan, "101", "Invitation link"));

  /* What was asked. */
  log_array = requests (&log);
  for (guint i = 0; i < json_array_get_length (log_array); i++)
    {
      JsonObject *request = json_array_get_object_element (log_array, i);
      const char *path = json_object_get_string_member (request, "path");
      g_auto(GStrv) parts = g_strsplit (path, "/", -1);
      guint n_parts = g_strv_length (parts);

      g_assert_cmpstr (json_object_get_string_member (request, "method"), ==, "GET");
      g_assert_cmpint (json_object_get_int_member (request, "status"), ==, 200);
      /* Nothing of the Archive room, no room links of the Collaboration and VDR rooms. */
      g_assert_null (strstr (path, "/107"));
      g_assert_null (strstr (path, "/351"));
      g_assert_cmpstr (path, !=, "/api/2.0/files/rooms/104/links");
      g_assert_cmpstr (path, !=, "/api/2.0/files/rooms/105/links");
      g_assert_false (g_str_has_prefix (path, "/api/2.0/files/rooms/") &&
                      g_str_has_suffix (path, "/link"));

      /* Links only of shared items: those holding links, and 321 that shows its room's. */
      if (g_str_has_suffix (path, "/links"))
        {
          const char *id = parts[n_parts - 2];

          n_link_requests++;
          if (!g_str_equal (id, "321"))
            {
              GHashTableIter iter;
              gpointer holder;
              gboolean holds = FALSE;

              g_hash_table_iter_init (&iter, truth);
              while (!holds && g_hash_table_iter_next (&iter, NULL, &holder))
                holds = g_str_equal (holder, id);
              if (!holds && !g_str_has_prefix (path, "/api/2.0/files/rooms/"))
                g_error ("asked for the links of %s, which is not shared", path);
            }
          if (g_str_has_prefix (path, "/api/2.0/files/rooms/"))
            g_assert_cmpstr (json_object_get_string_member (request, "query"), ==, "type=1");
        }
    }
  g_assert_cmpuint (n_link_requests, <, 40);
  /* The 10,000-file folder was read page by page, each page once. */
  if (big)
    g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/901"), ==, 100);
  else
    g_test_message ("link-scan: without folder 901 under ASan/valgrind");
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/rooms"), ==, 1);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/@my"), ==, 1);
}

static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GHashTable) truth = NULL;
  g_autoptr(GHashTable) found = NULL;
  guint n_items;

  /* Restarting a run under way drops what it found and what it has in flight. */
  f->baseline_refs = g_atomic_int_get (&G_OBJECT (f->client)->ref_count);
  dsl_link_scan_start (f->scan);
  while (dsl_link_scan_get_links_found (f->scan) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (dsl_link_scan_get_running (f->scan));
  g_assert_cmpuint (dsl_link_scan_get_items_scanned (f->scan), >, 0);

  dsl_link_scan_start (f->scan);
  g_assert_true (dsl_link_scan_get_running (f->scan));
  g_assert_cmpuint (dsl_link_scan_get_links_found (f->scan), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (dsl_link_scan_get_rows (f->scan)), ==, 0);
  g_assert_cmpuint (dsl_link_scan_get_items_scanned (f->scan), ==, 0);
  wait_scan (f, FALSE);

  /* One "finished", for the second run, with every link once. */
  g_assert_cmpuint (f->n_finished, ==, 1);
  truth = ground_truth (&n_items);
  found = scan_links (f->scan);
  assert_same_links (truth, found);
  g_assert_cmpuint (dsl_link_scan_get_items_scanned (f->scan), ==, n_items);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  guint at_cancel, settled;
  guint links;
  guint timeout_id;

  /* A whole scan makes more than 100 requests with folder 901 (100 pages), about 40
   * without. */
  set_faults ("latency=100");
  f->baseline_refs = g_atomic_int_get (&G_OBJECT (f->client)->ref_count);
  dsl_link_scan_start (f->scan);
  /* Until the walk has branched out: 8 requests under way, more waiting. The small portal
   * (instrumented runs) has 24 items; past 16 scanned it is already winding down. */
  timeout_id = g_timeout_add_seconds (120, on_scan_timeout, NULL);
  while (client_requests (f) < 8 || dsl_link_scan_get_items_scanned (f->scan) < (big ? 16 : 6))
    {
      g_assert_true (dsl_link_scan_get_running (f->scan));
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (timeout_id);
  g_assert_true (dsl_link_scan_get_running (f->scan));
  g_assert_cmpuint (client_requests (f), ==, 8);

  dsl_link_scan_cancel (f->scan);
  at_cancel = n_requests ();
  links = dsl_link_scan_get_links_found (f->scan);
  g_assert_false (dsl_link_scan_get_running (f->scan));
  g_assert_cmpuint (at_cancel, >, 0);

  /* At most the 8 already sent arrive; nothing new is sent, nothing more is found. */
  run_for (800);
  settled = n_requests ();
  g_assert_cmpuint (settled, <=, at_cancel + 8);
  run_for (500);
  g_assert_cmpuint (n_requests (), ==, settled);
  g_assert_cmpuint (settled, <, big ? 50 : 32);
  g_assert_cmpuint (client_requests (f), ==, 0);
  g_assert_cmpuint (dsl_link_scan_get_links_found (f->scan), ==, links);
  g_assert_false (dsl_link_scan_get_running (f->scan));
  g_assert_cmpuint (f->n_finished, ==, 0);
}

static void
test_ratelimit (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GHashTable) truth = NULL;
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(JsonNode) log = NULL;
  JsonArray *log_array;
  g_autoptr(GHashTable) per_path = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_items, n_429 = 0, max_per_path = 0;

  /* The first 12 answers are 429 "Retry-After: 1". Only the two roots are asked at first, so
   * one of them gets at least 6 in a row: more than the client's three attempts. */
  set_faults ("ratelimit=1,count=12");
  scan_and_wait (f);

  g_assert_cmpuint (f->n_finished, ==, 1);
  g_assert_null (dsl_link_scan_get_error (f->scan));
  g_assert_cmpuint (dsl_link_scan_get_n_failures (f->scan), ==, 0);
  truth = ground_truth (&n_items);
  found = scan_links (f->scan);
  assert_same_links (truth, found);
  g_assert_cmpuint (f->max_in_flight, <=, 8);

  log_array = requests (&log);
  for (guint i = 0; i < json_array_get_length (log_array); i++)
    {
      JsonObject *request = json_array_get_object_element (log_array, i);
      const char *path = json_object_get_string_member (request, "path");
      guint n;

      if (json_object_get_int_member (request, "status") != 429)
        continue;
      n_429++;
      n = GPOINTER_TO_UINT (g_hash_table_lookup (per_path, path)) + 1;
      g_hash_table_insert (per_path, (gpointer) path, GUINT_TO_POINTER (n));
      max_per_path = MAX (max_per_path, n);
    }
  g_assert_cmpuint (n_429, ==, 12);
  g_assert_cmpuint (max_per_path, >=, 6);
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The pause after a 429 is the client's: another caller's write refused with 429 holds the
 * scan back too (nothing reaches the portal before Retry-After), then it walks as usual. */
static void
test_ratelimit_elsewhere (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GHashTable) truth = NULL;
  g_autoptr(GHashTable) found = NULL;
  guint n_items;
  gint64 refused_at;

  set_faults ("ratelimit=2,count=1,path=/api/2.0/files/file/401/links");
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_result,
                                &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  link = dsl_client_create_link_finish (f->client, result, &error);
  refused_at = g_get_monotonic_time ();
  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));

  f->baseline_refs = g_atomic_int_get (&G_OBJECT (f->client)->ref_count);
  dsl_link_scan_start (f->scan);
  run_for (500);
  g_assert_true (dsl_link_scan_get_running (f->scan));
  g_assert_cmpuint (n_requests (), ==, 0);
  wait_scan (f, FALSE);

  g_assert_cmpint (g_get_monotonic_time () - refused_at, >=, 1800 * 1000);
  g_assert_cmpuint (f->n_finished, ==, 1);
  g_assert_cmpuint (dsl_link_scan_get_n_failures (f->scan), ==, 0);
  truth = ground_truth (&n_items);
  found = scan_links (f->scan);
  assert_same_links (truth, found);
}

static void
test_folder_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) truth = NULL;
  g_autoptr(GHashTable) found = NULL;
  DslLinkScanRow *failure;
  guint n_items;

  /* "Campaigns" (201, in Marketing) cannot be listed: 301 in 201/202 is not reached. */
  set_faults ("error500,path=/api/2.0/files/201");
  scan_and_wait (f);

  g_assert_cmpuint (f->n_finished, ==, 1);
  g_assert_null (dsl_link_scan_get_error (f->scan));
  g_assert_cmpuint (dsl_link_scan_get_n_failures (f->scan), ==, 1);
  failure = row_at (dsl_link_scan_get_failures (f->scan), 0);
  g_assert_cmpstr (dsl_item_get_id (dsl_link_scan_row_get_item (failure)), ==, "201");
  g_assert_cmpstr (dsl_item_get_title (dsl_link_scan_row_get_item (failure)), ==, "Campaigns");
  g_assert_cmpstr (dsl_link_scan_row_get_location (failure), ==, "Rooms" SEP "Marketing");
  g_assert_null (dsl_link_scan_row_get_link (failure));
  g_assert_error (dsl_link_scan_row_get_error (failure), DSL_ERROR, DSL_ERROR_SERVER);

  truth = ground_truth (&n_items);
  g_assert_true (g_hash_table_size (truth) > 2);
  {
    GHashTableIter iter;
    gpointer holder;
    guint removed = 0;

    g_hash_table_iter_init (&iter, truth);
    while (g_hash_table_iter_next (&iter, NULL, &holder))
      if (g_str_equal (holder, "301"))
        {
          g_hash_table_iter_remove (&iter);
          removed++;
        }
    g_assert_cmpuint (removed, ==, 2);
  }
  found = scan_links (f->scan);
  assert_same_links (truth, found);
}

/* The file in the Form-filling room shows the room's link: one row, on the room, also when
 * the file's answer comes first. */
static void
test_room_link_once (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) truth = NULL;
  g_autoptr(GHashTable) found = NULL;
  DslLinkScanRow *row;
  guint n_items;

  set_faults ("latency=1500,path=/api/2.0/files/rooms/103/links");
  scan_and_wait (f);

  /* The file's links were asked for before the room's answer came. */
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/file/321/links"), ==, 1);
  truth = ground_truth (&n_items);
  found = scan_links (f->scan);
  assert_same_links (truth, found);
  row = find_row (f->scan, "103", "Link to fill out");
  g_assert_nonnull (row);
  g_assert_cmpstr (dsl_link_scan_row_get_location (row), ==, "Rooms");
  g_assert_null (find_row (f->scan, "321", "Link to fill out"));
}

/* A guest has no My documents (404: not a failure), can share nothing and so sees no links;
 * rooms she cannot share are not asked for their links. */
static void
test_guest (Fixture       *f,
            gconstpointer  data)
{
  dsl_client_set_api_key (f->client, "sk-demo-guest");
  scan_and_wait (f);

  g_assert_cmpuint (f->n_finished, ==, 1);
  g_assert_null (dsl_link_scan_get_error (f->scan));
  g_assert_cmpuint (dsl_link_scan_get_n_failures (f->scan), ==, 0);
  g_assert_cmpuint (dsl_link_scan_get_links_found (f->scan), ==, 0);
  g_assert_cmpuint (dsl_link_scan_get_items_scanned (f->scan), >, 0);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/@my"), ==, 1);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/101"), ==, 1);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/rooms/101/links"), ==, 0);
}

/* Connected storage (providerItem) answers filesCount 0 and foldersCount 0 whatever it holds,
 * as the server does: the walk lists it anyway and finds the link of the file inside, while an
 * empty folder of DocSpace's own (231 "Designs") is still not listed. */
static void
test_connected_storage (Fixture       *f,
                        gconstpointer  data)
{
  DslLinkScanRow *row;

  scan_and_wait (f);

  g_assert_cmpuint (f->n_finished, ==, 1);
  g_assert_cmpuint (dsl_link_scan_get_n_failures (f->scan), ==, 0);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/sbox-12-demo"), ==, 1);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET",
                                            "/api/2.0/files/file/sbox-12-file-1/links"), ==, 1);
  row = find_row (f->scan, "sbox-12-file-1", "Shared link");
  g_assert_nonnull (row);
  g_assert_cmpstr (dsl_item_get_title (dsl_link_scan_row_get_item (row)), ==,
                   "Sandbox notes.docx");
  g_assert_cmpstr (dsl_link_scan_row_get_location (row), ==,
                   "My documents" SEP "Sandbox (connected storage)");
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/231"), ==, 0);
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  dsl_client_set_api_key (f->client, "sk-demo-expired");
  scan_and_wait (f);

  g_assert_cmpuint (f->n_finished, ==, 1);
  g_assert_error (dsl_link_scan_get_error (f->scan), DSL_ERROR, DSL_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (dsl_link_scan_get_links_found (f->scan), ==, 0);
  /* Stopped at the first refusal: the two roots were asked, nothing after. */
  g_assert_cmpuint (n_requests (), <=, 2);
}

/* --- filters, order and CSV on the real rows --- */

static guint
count_matching (DslLinkScan            *scan,
                DslLinkScanFilterFlags  flags,
                const char             *search,
                const char             *must_have_title)
{
  GListModel *rows = dsl_link_scan_get_rows (scan);
  DslLinkScanFilter filter = { flags };
  gboolean seen = must_have_title == NULL;
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      DslLinkScanRow *row = row_at (rows, i);

      if (dsl_link_scan_row_matches (row, &filter, search))
        {
          n++;
          if (g_strcmp0 (dsl_link_get_title (dsl_link_scan_row_get_link (row)),
                         must_have_title) == 0)
            seen = TRUE;
        }
    }
  g_assert_true (seen);
  return n;
}

static void
test_filters_on_portal (Fixture       *f,
                        gconstpointer  data)
{
  guint all;

  scan_and_wait (f);
  all = dsl_link_scan_get_links_found (f->scan);

  g_assert_cmpuint (count_matching (f->scan, 0, NULL, NULL), ==, all);
  /* Only "Old preview" has expired. */
  g_assert_cmpuint (count_matching (f->scan, DSL_LINK_SCAN_FILTER_EXPIRED, NULL, "Old preview"),
                    ==, 1);
  /* "Download blocked" expires in 3 days. */
  g_assert_cmpuint (count_matching (f->scan, DSL_LINK_SCAN_FILTER_EXPIRING_SOON, NULL,
                                    "Download blocked"), ==, 1);
  g_assert_cmpuint (count_matching (f->scan, DSL_LINK_SCAN_FILTER_EXPIRED |
                                    DSL_LINK_SCAN_FILTER_EXPIRING_SOON, NULL, NULL), ==, 2);
  /* Only "Partners" has a password. */
  g_assert_cmpuint (count_matching (f->scan, DSL_LINK_SCAN_FILTER_NO_PASSWORD, NULL, NULL),
                    ==, all - 1);
  g_assert_cmpuint (count_matching (f->scan, DSL_LINK_SCAN_FILTER_NO_PASSWORD, "partners",
                                    NULL), ==, 0);
  g_assert_cmpuint (count_matching (f->scan, DSL_LINK_SCAN_FILTER_NO_EXPIRY, NULL, NULL),
                    ==, all - 2);
  /* "Staff only" and the VDR file's link are for portal users only. */
  g_assert_cmpuint (count_matching (f->scan, DSL_LINK_SCAN_FILTER_PORTAL_USERS, NULL,
                                    "Staff only"), ==, 2);
  g_assert_cmpuint (count_matching (f->scan, DSL_LINK_SCAN_FILTER_ANYONE, NULL, "Partners"),
                    ==, all - 2);
  g_assert_cmpuint (count_matching (f->scan, DSL_LINK_SCAN_FILTER_ANYONE |
                                    DSL_LINK_SCAN_FILTER_PORTAL_USERS, NULL, NULL), ==, all);
  /* Search: item title, location, link title, URL; every word, any case. */
  g_assert_cmpuint (count_matching (f->scan, 0, "PARTNERS", "Partners"), ==, 1);
  g_assert_cmpuint (count_matching (f->scan, 0, "marketing   partners", "Partners"), ==, 1);
  g_assert_cmpuint (count_matching (f->scan, 0, "campaigns", NULL), ==, 2);
  g_assert_cmpuint (count_matching (f->scan, 0, "launch plan", NULL), ==, 2);
  g_assert_cmpuint (count_matching (f->scan, 0, "nothing-like-this", NULL), ==, 0);
  {
    DslLinkScanRow *row = find_row (f->scan, "101", "Partners");
    const char *url = dsl_link_get_share_link (dsl_link_scan_row_get_link (row));
    const char *code = strrchr (url, '/') + 1;

    g_assert_cmpuint (strlen (code), >, 3);
    g_assert_cmpuint (count_matching (f->scan, 0, code, "Partners"), ==, 1);
  }
}

static void
test_csv_no_password (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *partners_line = NULL;
  g_auto(GStrv) lines = NULL;
  DslLinkScanRow *row;
  gsize size;

  scan_and_wait (f);
  row = find_row (f->scan, "101", "Partners");
  g_assert_nonnull (row);

  g_assert_true (dsl_link_scan_write_csv (dsl_link_scan_get_rows (f->scan), out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  text = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), size);
  csv = dsl_link_scan_rows_to_csv (dsl_link_scan_get_rows (f->scan));
  g_assert_cmpmem (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), text, size);

  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strstr (text, "Secret123"));
  lines = g_strsplit (text, "\r\n", -1);
  /* header + one line per link + "" after the last CRLF */
  g_assert_cmpuint (g_strv_length (lines), ==, dsl_link_scan_get_links_found (f->scan) + 2);
  g_assert_cmpstr (lines[0], ==, "Item,Location,Link,URL,Access,Audience,Expires,Password,State");
  partners_line = g_strdup_printf ("Marketing,Rooms,Partners,%s,View only,Anyone with the link,,"
                                   "yes,Active",
                                   dsl_link_get_share_link (dsl_link_scan_row_get_link (row)));
  g_assert_true (g_strv_contains ((const char * const *) lines, partners_line));
}

/* --- rows made by hand --- */

static DslLink *
make_link (const char *id,
           const char *title,
           DslAccess   access,
           gboolean    internal,
           const char *password,
           GDateTime  *expiry,
           gboolean    is_expired)
{
  DslLink *link = dsl_link_new ();
  g_autofree char *url = g_strdup_printf ("https://portal.example/s/%s", id);

  dsl_link_set_id (link, id);
  dsl_link_set_title (link, title);
  dsl_link_set_share_link (link, url);
  dsl_link_set_access (link, access);
  dsl_link_set_internal (link, internal);
  dsl_link_set_password (link, password);
  dsl_link_set_expiration_date (link, expiry);
  dsl_link_set_is_expired (link, is_expired);
  return link;
}

static DslLinkScanRow *
make_row (const char *item_title,
          const char *location,
          DslLink    *link,
          GDateTime  *now)
{
  g_autoptr(DslItem) item = dsl_item_new (DSL_ITEM_KIND_FILE, item_title, item_title);
  g_autoptr(DslLink) owned = link;

  return dsl_link_scan_row_new (item, location, link, NULL, now);
}

/* now = 2026-05-12 12:00 +03:00; rows a..e:
 *   a "Alpha.docx"  Rooms › Sales    "Public"  Editing, anyone, no password, never expires
 *   b "beta.pdf"    My documents     "Team"    Read, internal, password, in 3 days
 *   c "Gamma, "final"" Rooms › HR    "Expired" Comment, anyone, no password, 2 days ago
 *   d "Delta.txt"   Rooms            "Later"   Review, anyone, password, in 30 days
 *   e "Epsilon.md"  Rooms            "Flagged" Read, anyone, is_expired with a future date */
static GPtrArray *
make_rows (GDateTime *now)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) in3 = g_date_time_add_days (now, 3);
  g_autoptr(GDateTime) ago2 = g_date_time_add_days (now, -2);
  g_autoptr(GDateTime) in30 = g_date_time_add_days (now, 30);

  g_ptr_array_add (rows, make_row ("Alpha.docx", "Rooms" SEP "Sales",
                                   make_link ("a", "Public", DSL_ACCESS_EDITING, FALSE, NULL,
                                              NULL, FALSE), now));
  g_ptr_array_add (rows, make_row ("beta.pdf", "My documents",
                                   make_link ("b", "Team", DSL_ACCESS_READ, TRUE, "Pass1234!",
                                              in3, FALSE), now));
  g_ptr_array_add (rows, make_row ("Gamma, \"final\"", "Rooms" SEP "HR",
                                   make_link ("c", "Expired\nold", DSL_ACCESS_COMMENT, FALSE,
                                              "", ago2, TRUE), now));
  g_ptr_array_add (rows, make_row ("Delta.txt", "Rooms",
                                   make_link ("d", "Later", DSL_ACCESS_REVIEW, FALSE, "Pass1234!",
                                              in30, FALSE), now));
  g_ptr_array_add (rows, make_row ("Epsilon.md", "Rooms",
                                   make_link ("e", "Flagged", DSL_ACCESS_READ, FALSE, NULL,
                                              in30, TRUE), now));
  return rows;
}

static GDateTime *
fixed_now (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+03:00");

  return g_date_time_new (tz, 2026, 5, 12, 12, 0, 0);
}

static char *
matching_ids (GPtrArray              *rows,
              DslLinkScanFilterFlags  flags,
              const char             *search)
{
  DslLinkScanFilter filter = { flags };
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      DslLinkScanRow *row = g_ptr_array_index (rows, i);

      if (dsl_link_scan_row_matches (row, &filter, search))
        g_string_append (ids, dsl_link_get_id (dsl_link_scan_row_get_link (row)));
    }
  return g_string_free (ids, FALSE);
}

#define assert_matching(rows, flags, search, expected) \
  G_STMT_START { \
    g_autofree char *ids_ = matching_ids (rows, flags, search); \
    g_assert_cmpstr (ids_, ==, expected); \
  } G_STMT_END

static void
test_state_and_filters (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GPtrArray) rows = make_rows (now);
  g_autoptr(DslItem) item = dsl_item_new (DSL_ITEM_KIND_FILE, "x", "X");
  g_autoptr(GError) error = g_error_new_literal (DSL_ERROR, DSL_ERROR_SERVER, "Broken");
  g_autoptr(DslLinkScanRow) failure = dsl_link_scan_row_new (item, "Rooms", NULL, error, now);
  g_autoptr(GDateTime) in7 = g_date_time_add_days (now, 7);
  g_autoptr(GDateTime) in8 = g_date_time_add_days (now, 8);
  g_autoptr(DslLinkScanRow) edge7 = make_row ("E7", "", make_link ("7", "", DSL_ACCESS_READ,
                                                                   FALSE, NULL, in7, FALSE), now);
  g_autoptr(DslLinkScanRow) edge8 = make_row ("E8", "", make_link ("8", "", DSL_ACCESS_READ,
                                                                   FALSE, NULL, in8, FALSE), now);
  g_autoptr(DslLinkScanRow) at_now = make_row ("N", "", make_link ("n", "", DSL_ACCESS_READ,
                                                                   FALSE, NULL, now, FALSE), now);

  g_assert_cmpint (dsl_link_scan_row_get_state (g_ptr_array_index (rows, 0)), ==,
                   DSL_LINK_SCAN_STATE_ACTIVE);
  g_assert_cmpint (dsl_link_scan_row_get_state (g_ptr_array_index (rows, 1)), ==,
                   DSL_LINK_SCAN_STATE_EXPIRING_SOON);
  g_assert_cmpint (dsl_link_scan_row_get_state (g_ptr_array_index (rows, 2)), ==,
                   DSL_LINK_SCAN_STATE_EXPIRED);
  g_assert_cmpint (dsl_link_scan_row_get_state (g_ptr_array_index (rows, 3)), ==,
                   DSL_LINK_SCAN_STATE_ACTIVE);
  /* The server's isExpired wins over a future date. */
  g_assert_cmpint (dsl_link_scan_row_get_state (g_ptr_array_index (rows, 4)), ==,
                   DSL_LINK_SCAN_STATE_EXPIRED);
  /* 7 days is "soon", 8 is not; an expiry equal to the check time has expired. */
  g_assert_cmpint (dsl_link_scan_row_get_state (edge7), ==, DSL_LINK_SCAN_STATE_EXPIRING_SOON);
  g_assert_cmpint (dsl_link_scan_row_get_state (edge8), ==, DSL_LINK_SCAN_STATE_ACTIVE);
  g_assert_cmpint (dsl_link_scan_row_get_state (at_now), ==, DSL_LINK_SCAN_STATE_EXPIRED);

  assert_matching (rows, 0, NULL, "abcde");
  assert_matching (rows, 0, "   ", "abcde");
  assert_matching (rows, DSL_LINK_SCAN_FILTER_EXPIRED, NULL, "ce");
  assert_matching (rows, DSL_LINK_SCAN_FILTER_EXPIRING_SOON, NULL, "b");
  assert_matching (rows, DSL_LINK_SCAN_FILTER_EXPIRED | DSL_LINK_SCAN_FILTER_EXPIRING_SOON,
                   NULL, "bce");
  /* An empty password is no password. */
  assert_matching (rows, DSL_LINK_SCAN_FILTER_NO_PASSWORD, NULL, "ace");
  assert_matching (rows, DSL_LINK_SCAN_FILTER_NO_EXPIRY, NULL, "a");
  assert_matching (rows, DSL_LINK_SCAN_FILTER_ANYONE_CAN_EDIT, NULL, "a");
  assert_matching (rows, DSL_LINK_SCAN_FILTER_ANYONE, NULL, "acde");
  assert_matching (rows, DSL_LINK_SCAN_FILTER_PORTAL_USERS, NULL, "b");
  assert_matching (rows, DSL_LINK_SCAN_FILTER_ANYONE | DSL_LINK_SCAN_FILTER_PORTAL_USERS, NULL,
                   "abcde");
  /* Groups combine with AND. */
  assert_matching (rows, DSL_LINK_SCAN_FILTER_EXPIRED | DSL_LINK_SCAN_FILTER_NO_PASSWORD, NULL,
                   "ce");
  assert_matching (rows, DSL_LINK_SCAN_FILTER_EXPIRED | DSL_LINK_SCAN_FILTER_PORTAL_USERS, NULL,
                   "");
  assert_matching (rows, DSL_LINK_SCAN_FILTER_NO_PASSWORD | DSL_LINK_SCAN_FILTER_ANYONE, "rooms",
                   "ace");
  /* Search: item title, location, link title, URL; case-insensitive; every word. */
  assert_matching (rows, 0, "BETA", "b");
  assert_matching (rows, 0, "my documents", "b");
  assert_matching (rows, 0, "sales", "a");
  assert_matching (rows, 0, "flagged", "e");
  assert_matching (rows, 0, "portal.example/s/d", "d");
  assert_matching (rows, 0, "rooms later", "d");
  assert_matching (rows, 0, "rooms nowhere", "");
  assert_matching (rows, 0, "\"final\"", "c");

  /* A failure row never matches. */
  g_assert_false (dsl_link_scan_row_matches (failure, NULL, NULL));
  g_assert_error (dsl_link_scan_row_get_error (failure), DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_null (dsl_link_scan_row_get_link (failure));
}

static DslLinkScanColumn sort_column;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  return dsl_link_scan_row_compare (*(DslLinkScanRow **) a, *(DslLinkScanRow **) b, sort_column);
}

static char *
sorted_ids (GPtrArray         *rows,
            DslLinkScanColumn  column)
{
  GString *ids = g_string_new (NULL);

  sort_column = column;
  g_ptr_array_sort (rows, compare_rows);
  for (guint i = 0; i < rows->len; i++)
    g_string_append (ids, dsl_link_get_id (dsl_link_scan_row_get_link (g_ptr_array_index (rows,
                                                                                          i))));
  return g_string_free (ids, FALSE);
}

#define assert_sorted(rows, column, expected) \
  G_STMT_START { \
    g_autofree char *ids_ = sorted_ids (rows, column); \
    g_assert_cmpstr (ids_, ==, expected); \
  } G_STMT_END

static void
test_sort (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GPtrArray) rows = make_rows (now);

  /* Case does not matter: "beta" between "Alpha" and "Delta"; "Gamma, …" last. */
  assert_sorted (rows, DSL_LINK_SCAN_COLUMN_ITEM, "abdec");
  /* Location: "My documents" < "Rooms" (d, e: tie broken by item) < "Rooms › HR" < "› Sales" */
  assert_sorted (rows, DSL_LINK_SCAN_COLUMN_LOCATION, "bdeca");
  /* Title: Expired, Flagged, Later, Public, Team */
  assert_sorted (rows, DSL_LINK_SCAN_COLUMN_TITLE, "cedab");
  /* Access: View only (b, e by item), Comment, Review, Editing */
  assert_sorted (rows, DSL_LINK_SCAN_COLUMN_ACCESS, "becda");
  /* Audience: portal users only first, then the rest by item */
  assert_sorted (rows, DSL_LINK_SCAN_COLUMN_AUDIENCE, "badec");
  /* Expiry: 2 days ago, in 3 days, in 30 days (d, e by item), never */
  assert_sorted (rows, DSL_LINK_SCAN_COLUMN_EXPIRY, "cbdea");
  /* Password: none first (a, e, c by item: Alpha, Epsilon, Gamma), then b, d */
  assert_sorted (rows, DSL_LINK_SCAN_COLUMN_PASSWORD, "aecbd");
  /* State: expired (e, c by item: Epsilon < Gamma), expiring soon, active (a, d) */
  assert_sorted (rows, DSL_LINK_SCAN_COLUMN_STATE, "ecbad");

  /* Antisymmetric and reflexive for every column and pair. */
  for (int column = DSL_LINK_SCAN_COLUMN_ITEM; column <= DSL_LINK_SCAN_COLUMN_STATE; column++)
    for (guint i = 0; i < rows->len; i++)
      for (guint j = 0; j < rows->len; j++)
        {
          DslLinkScanRow *a = g_ptr_array_index (rows, i);
          DslLinkScanRow *b = g_ptr_array_index (rows, j);
          int ab = dsl_link_scan_row_compare (a, b, column);
          int ba = dsl_link_scan_row_compare (b, a, column);

          g_assert_cmpint (ab, ==, -ba);
          g_assert_cmpint (ab == 0, ==, i == j);
        }
}

static void
test_csv_exact (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GPtrArray) rows = make_rows (now);
  g_autoptr(GListStore) store = g_list_store_new (DSL_TYPE_LINK_SCAN_ROW);
  g_autoptr(DslItem) item = dsl_item_new (DSL_ITEM_KIND_FILE, "x", "Failed");
  g_autoptr(GError) error = g_error_new_literal (DSL_ERROR, DSL_ERROR_SERVER, "Broken");
  g_autoptr(DslLinkScanRow) failure = dsl_link_scan_row_new (item, "Rooms", NULL, error, now);
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *text = NULL;
  const char *expected =
    "Item,Location,Link,URL,Access,Audience,Expires,Password,State\r\n"
    "Alpha.docx,Rooms \u203a Sales,Public,https://portal.example/s/a,Editing,"
      "Anyone with the link,,no,Active\r\n"
    "beta.pdf,My documents,Team,https://portal.example/s/b,View only,Portal users only,"
      "2026-05-15T12:00:00+03:00,yes,Expiring soon\r\n"
    "\"Gamma, \"\"final\"\"\",Rooms \u203a HR,\"Expired\nold\",https://portal.example/s/c,"
      "Comment,Anyone with the link,2026-05-10T12:00:00+03:00,no,Expired\r\n"
    "Delta.txt,Rooms,Later,https://portal.example/s/d,Review,Anyone with the link,"
      "2026-06-11T12:00:00+03:00,yes,Active\r\n"
    "Epsilon.md,Rooms,Flagged,https://portal.example/s/e,View only,Anyone with the link,"
      "2026-06-11T12:00:00+03:00,no,Expired\r\n";

  for (guint i = 0; i < rows->len; i++)
    g_list_store_append (store, g_ptr_array_index (rows, i));
  /* Failure rows are not links: not exported. */
  g_list_store_insert (store, 2, failure);

  csv = dsl_link_scan_rows_to_csv (G_LIST_MODEL (store));
  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_cmpstr (text, ==, expected);
  g_assert_null (strstr (text, "Pass1234!"));

  /* No rows: the header alone. */
  g_list_store_remove_all (store);
  g_clear_pointer (&csv, g_bytes_unref);
  g_clear_pointer (&text, g_free);
  csv = dsl_link_scan_rows_to_csv (G_LIST_MODEL (store));
  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_cmpstr (text, ==, "Item,Location,Link,URL,Access,Audience,Expires,Password,State\r\n");
}

/* Cells that a spreadsheet would run as formulas get a leading apostrophe. */
static void
test_csv_formula_guard (void)
{
  g_autoptr(GDateTime) now = fixed_now ();
  g_autoptr(GListStore) store = g_list_store_new (DSL_TYPE_LINK_SCAN_ROW);
  g_autoptr(DslItem) item = dsl_item_new (DSL_ITEM_KIND_FILE, "7", "=HYPERLINK(\"http://x\")");
  g_autoptr(DslLink) link = dsl_link_new ();
  g_autoptr(DslLinkScanRow) row = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *text = NULL;

  dsl_link_set_id (link, "l7");
  dsl_link_set_title (link, "@SUM(1+1)");
  dsl_link_set_share_link (link, "https://portal.example/s/f");
  dsl_link_set_access (link, DSL_ACCESS_READ);
  row = dsl_link_scan_row_new (item, "-Rooms", link, NULL, now);
  g_list_store_append (store, row);

  csv = dsl_link_scan_rows_to_csv (G_LIST_MODEL (store));
  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_cmpstr (text, ==,
                   "Item,Location,Link,URL,Access,Audience,Expires,Password,State\r\n"
                   "\"'=HYPERLINK(\"\"http://x\"\")\",'-Rooms,'@SUM(1+1),"
                   "https://portal.example/s/f,View only,Anyone with the link,,no,Active\r\n");
}

/* --- a portal that pages for ever --- */

/* Serves the Rooms section with `total: 10^15`: `repeat` FALSE, one new room per page (the
 * room's id is the startIndex); TRUE, the same 100 rooms on every page. My documents is 404
 * (a guest), every link list is empty. A GThreadedSocketService, as in test-folder-model.c. */
typedef struct {
  GMutex          lock;
  gboolean        repeat;
  guint           n_room_pages;
  GSocketService *service;
  char           *url;
} Endless;

static gboolean
endless_run (GThreadedSocketService *service,
             GSocketConnection      *connection,
             GObject                *source,
             gpointer                user_data)
{
  Endless *endless = user_data;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *request_line = NULL;
  g_autofree char *head = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  const char *status = "200 OK";
  const char *start_text;
  guint start = 0;
  GOutputStream *out;

  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  request_line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (request_line == NULL)
    return TRUE;
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (header == NULL || *header == '\0')
        break;
    }
  start_text = strstr (request_line, "startIndex=");
  if (start_text != NULL)
    start = (guint) g_ascii_strtoull (start_text + strlen ("startIndex="), NULL, 10);

  if (strstr (request_line, " /api/2.0/files/rooms") != NULL)
    {
      gboolean repeat;

      g_mutex_lock (&endless->lock);
      endless->n_room_pages++;
      repeat = endless->repeat;
      g_mutex_unlock (&endless->lock);

      g_string_append (body, "{\"response\":{\"files\":[],\"folders\":[");
      for (guint i = 0; i < (repeat ? 100u : 1u); i++)
        g_string_append_printf (body, "%s{\"id\":%u,\"title\":\"Room\",\"roomType\":6,"
                                "\"filesCount\":0,\"foldersCount\":0}", i > 0 ? "," : "",
                                repeat ? 1000 + i : 1000 + start);
      g_string_append_printf (body, "],\"current\":{\"id\":\"rooms\",\"title\":\"Rooms\"},"
                              "\"startIndex\":%u,\"total\":1000000000000000},"
                              "\"status\":0,\"statusCode\":200}", start);
    }
  else if (strstr (request_line, " /api/2.0/files/@my") != NULL)
    {
      status = "404 Not Found";
      g_string_append (body, "{\"error\":{\"message\":\"Not found\"},\"status\":1,"
                       "\"statusCode\":404}");
    }
  else
    {
      g_string_append (body, "{\"response\":[],\"status\":0,\"statusCode\":200}");
    }

  head = g_strdup_printf ("HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          status, body->len);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, body->str, body->len, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
on_endless_finished (DslLinkScan *scan,
                     GMainLoop   *loop)
{
  g_main_loop_quit (loop);
}

static gboolean
on_endless_timeout (gpointer user_data)
{
  g_error ("the scan of an endless portal was still running after 60 s");
  return G_SOURCE_REMOVE;
}

/* Scans the endless portal; returns the failure rows' messages joined by "\n". */
static char *
scan_endless (Endless *endless)
{
  g_autoptr(DslClient) client = dsl_client_new (endless->url);
  g_autoptr(DslLinkScan) scan = dsl_link_scan_new (client);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GListModel *failures;
  GString *messages = g_string_new (NULL);
  guint timeout_id;

  dsl_client_set_api_key (client, OWNER_KEY);
  g_signal_connect (scan, "finished", G_CALLBACK (on_endless_finished), loop);
  timeout_id = g_timeout_add_seconds (60, on_endless_timeout, NULL);
  dsl_link_scan_start (scan);
  g_main_loop_run (loop);
  g_source_remove (timeout_id);

  g_assert_null (dsl_link_scan_get_error (scan));
  failures = dsl_link_scan_get_failures (scan);
  for (guint i = 0; i < g_list_model_get_n_items (failures); i++)
    {
      g_autoptr(DslLinkScanRow) row = g_list_model_get_item (failures, i);

      g_string_append_printf (messages, "%s%s", i > 0 ? "\n" : "",
                              dsl_link_scan_row_get_error (row)->message);
    }
  return g_string_free (messages, FALSE);
}

/* Under valgrind, 1,000 requests take minutes: the 1,000-page halves are left out there. */
static gboolean
on_valgrind (void)
{
#if defined(RUNNING_ON_VALGRIND)
  return RUNNING_ON_VALGRIND != 0;
#else
  return FALSE;
#endif
}

/* `total: 10^15` with one room per page: 1,000 pages, then a failure row says so; the same
 * rooms on every page: the rest of the listing is dropped after the page that repeated. The
 * wait is bounded: on a scan that pages for ever this fails rather than hangs. */
static void
test_endless_pages (void)
{
  Endless endless = { 0 };
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *one_per_page = NULL;
  g_autofree char *repeated = NULL;

  g_mutex_init (&endless.lock);
  endless.service = g_threaded_socket_service_new (8);
  g_signal_connect (endless.service, "run", G_CALLBACK (endless_run), &endless);
  g_socket_listener_add_address (G_SOCKET_LISTENER (endless.service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  endless.url = g_strdup_printf ("http://127.0.0.1:%u",
                                 g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_service_start (endless.service);

  g_mutex_lock (&endless.lock);
  endless.repeat = TRUE;
  g_mutex_unlock (&endless.lock);
  repeated = scan_endless (&endless);
  g_assert_true (g_str_has_prefix (repeated, "The portal keeps sending more pages: stopped "
                                             "after "));
  g_assert_null (strchr (repeated, '\n'));
  /* the first page, and the pages already in flight when the second came back */
  g_assert_cmpuint (endless.n_room_pages, <=, 1 + DSL_CLIENT_MAX_IN_FLIGHT);

  g_mutex_lock (&endless.lock);
  endless.repeat = FALSE;
  endless.n_room_pages = 0;
  g_mutex_unlock (&endless.lock);
  if (!on_valgrind ())
    {
      one_per_page = scan_endless (&endless);
      g_assert_cmpstr (one_per_page, ==,
                       "The portal keeps sending more pages: stopped after 1000 items");
      g_assert_cmpuint (endless.n_room_pages, ==, 1000);
    }

  g_socket_service_stop (endless.service);
  g_socket_listener_close (G_SOCKET_LISTENER (endless.service));
  g_clear_object (&endless.service);
  g_free (endless.url);
  g_mutex_clear (&endless.lock);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--scale", NULL, "--state", NULL, NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dsl/core/link-scan/state-and-filters", test_state_and_filters);
  g_test_add_func ("/dsl/core/link-scan/sort", test_sort);
  g_test_add_func ("/dsl/core/link-scan/csv-exact", test_csv_exact);
  g_test_add_func ("/dsl/core/link-scan/csv-formula-guard", test_csv_formula_guard);
  g_test_add_func ("/dsl/core/link-scan/endless-pages", test_endless_pages);
  add_test ("exact", test_exact);
  add_test ("restart", test_restart);
  add_test ("cancel", test_cancel);
  add_test ("ratelimit", test_ratelimit);
  add_test ("ratelimit-elsewhere", test_ratelimit_elsewhere);
  add_test ("folder-error", test_folder_error);
  add_test ("room-link-once", test_room_link_once);
  add_test ("guest", test_guest);
  add_test ("connected-storage", test_connected_storage);
  add_test ("unauthorized", test_unauthorized);
  add_test ("filters-on-portal", test_filters_on_portal);
  add_test ("csv-no-password", test_csv_no_password);

  state_dir = g_dir_make_tmp ("test-link-scan-XXXXXX", &error);
  g_assert_no_error (error);
  state_file = g_build_filename (state_dir, "state.json", NULL);
  args[3] = state_file;
  big = !instrumented () && g_getenv ("DSL_LINK_SCAN_SMALL") == NULL;
  args[1] = big ? "1" : "0";

  sim = dsl_sim_start (args, &error);
  g_assert_no_error (error);

  status = g_test_run ();

  dsl_sim_stop (sim);
  g_unlink (state_file);
  g_rmdir (state_dir);
  g_free (state_file);
  g_free (state_dir);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-folder-model.c: DslFolderModel against docspace-sim, and against a tiny local server for
 * folder contents the simulator cannot produce (items that vanish, appear, move or get renamed).
 *
 *   DslFolderModel ──DslClient──▶ docspace-sim --scale 1 (folder 901: 10,000 files)
 *        │ items-changed ──▶ a shadow list replayed from the signals (must equal the model)
 *        └ asserted: contents, n-requests, and the requests the server received
 *
 * One simulator for the whole binary, reset before every test. The 10,000-item case prints the
 * load time and the memory the model took as TAP comments (inputs to a later benchmark). */
#include "config.h"

#include <gio/gio.h>
#include <malloc.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_include)
# if __has_include(<valgrind/valgrind.h>)
#  include <valgrind/valgrind.h>
# endif
#endif

#include "dsl-folder-model.h"
#include "dsl-sim-fixture.h"

#define OWNER_KEY "sk-demo-owner"
#define BIG_FOLDER "901"
#define BIG_PATH "/api/2.0/files/901"

static DslSim *sim;

/* --- fixture --- */

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct {
  DslClient      *client;
  DslFolderModel *model;
  GArray         *changes;   /* Change, every items-changed of `model` */
  GPtrArray      *shadow;    /* DslItem: the model as the signals describe it */
} Fixture;

/* Replays each items-changed on the shadow list and checks the model agrees at that moment:
 * a handler always sees a list consistent with what was announced. */
static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  Change change = { position, removed, added };

  g_array_append_val (f->changes, change);
  g_assert_cmpuint (position + removed, <=, f->shadow->len);
  g_ptr_array_remove_range (f->shadow, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (f->shadow, position + i, g_list_model_get_item (model, position + i));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, f->shadow->len);
}

static void
watch_model (Fixture        *f,
             DslFolderModel *model)
{
  g_assert_null (f->model);
  f->model = model;
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), f);
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
  f->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  f->shadow = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->model != NULL)
    {
      /* Nothing else holds the model: in-flight requests hold it weakly. */
      g_object_add_weak_pointer (G_OBJECT (f->model), (gpointer *) &f->model);
      g_object_unref (f->model);
      g_assert_null (f->model);
    }
  g_clear_pointer (&f->shadow, g_ptr_array_unref);
  g_clear_pointer (&f->changes, g_array_unref);

  g_object_add_weak_pointer (G_OBJECT (f->client), (gpointer *) &f->client);
  g_object_unref (f->client);
  g_assert_null (f->client);
}

#define add_test(name, func) \
  g_test_add ("/dsl/core/folder-model/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

/* --- helpers --- */

static gboolean
on_wait_timeout (gpointer user_data)
{
  g_error ("the model was still loading after 120 s");
  return G_SOURCE_REMOVE;
}

static void
on_loading (DslFolderModel *model,
            GParamSpec     *pspec,
            GMainLoop      *loop)
{
  if (!dsl_folder_model_get_loading (model))
    g_main_loop_quit (loop);
}

/* Runs the main loop until the model has nothing in flight. */
static void
wait_idle (DslFolderModel *model)
{
  g_autoptr(GMainLoop) loop = NULL;
  gulong handler;
  guint timeout_id;

  if (!dsl_folder_model_get_loading (model))
    return;

  loop = g_main_loop_new (NULL, FALSE);
  handler = g_signal_connect (model, "notify::loading", G_CALLBACK (on_loading), loop);
  timeout_id = g_timeout_add_seconds (120, on_wait_timeout, NULL);
  g_main_loop_run (loop);
  g_source_remove (timeout_id);
  g_signal_handler_disconnect (model, handler);
  g_assert_false (dsl_folder_model_get_loading (model));
}

static gboolean
on_sleep_done (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Lets the main loop run for `ms` milliseconds. */
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

static void
clear_requests (void)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_clear_requests (sim, &error);
  g_assert_no_error (error);
}

static DslItem *
item_at (DslFolderModel *model,
         guint           position)
{
  /* Borrowed: the model keeps its reference. */
  DslItem *item = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (item);
  g_object_unref (item);
  return item;
}

static guint
n_items (DslFolderModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

/* "id,id,id" of the model, for readable failures. */
static char *
model_ids (DslFolderModel *model)
{
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < n_items (model); i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? "," : "", dsl_item_get_id (item_at (model, i)));
  return g_string_free (ids, FALSE);
}

static void
assert_shadow_matches (Fixture *f)
{
  g_assert_cmpuint (f->shadow->len, ==, n_items (f->model));
  for (guint i = 0; i < f->shadow->len; i++)
    g_assert_true (g_ptr_array_index (f->shadow, i) == item_at (f->model, i));
}

/* The logged requests for method + path, oldest first: their "query" and "status". */
static GPtrArray *
logged_queries (const char *path,
                GArray    **statuses)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = dsl_sim_get_requests (sim, &error);
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (log);
  if (statuses != NULL)
    *statuses = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);
      JsonNode *query = json_object_get_member (request, "query");

      if (!g_str_equal (json_object_get_string_member (request, "method"), "GET") ||
          !g_str_equal (json_object_get_string_member (request, "path"), path))
        continue;
      g_ptr_array_add (queries, g_strdup (query != NULL && JSON_NODE_HOLDS_VALUE (query)
                                          ? json_node_get_string (query) : ""));
      if (statuses != NULL)
        {
          gint64 status = json_object_get_int_member (request, "status");

          g_array_append_val (*statuses, status);
        }
    }
  return queries;
}

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

/* How long a bounded wait lasts: 60 s, times DSL_TEST_WAIT_SCALE (the asan setup's 3: a
 * thousand requests under ASan on a busy machine once took more than 60 s). */
static gint64
bounded_wait_us (void)
{
  const char *value = g_getenv ("DSL_TEST_WAIT_SCALE");
  gint64 scale = value != NULL ? g_ascii_strtoll (value, NULL, 10) : 1;

  return CLAMP (scale, 1, 10) * 60 * G_USEC_PER_SEC;
}

/* Iterates the main context until on_async_done filled `slot`. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + bounded_wait_us ();

  while (*slot == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("an async call did not finish in time");
    }
  return *slot;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *counter)
{
  (*counter)++;
}

/* --- against docspace-sim --- */

static void
test_lazy (Fixture       *f,
           gconstpointer  data)
{
  clear_requests ();
  watch_model (f, dsl_folder_model_new (f->client, DSL_FOLDER_ROOMS, NULL));

  g_assert_cmpstr (dsl_folder_model_get_folder_id (f->model), ==, DSL_FOLDER_ROOMS);
  g_assert_null (dsl_folder_model_get_filter (f->model));
  g_assert_false (dsl_folder_model_get_loading (f->model));
  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, -1);
  g_assert_false (dsl_folder_model_get_complete (f->model));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->model)) == DSL_TYPE_ITEM);

  /* Created, asked for its size, and refreshed: still nothing requested. */
  g_assert_cmpuint (n_items (f->model), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->model), 0));
  dsl_folder_model_refresh (f->model);
  dsl_folder_model_retry (f->model);
  run_for (200);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 0);
  g_assert_cmpuint (dsl_sim_count_requests (sim, NULL, NULL), ==, 0);
  g_assert_cmpuint (f->changes->len, ==, 0);
}

static void
test_rooms (Fixture       *f,
            gconstpointer  data)
{
  static const char *titles[] = {
    "Marketing", "Press Kit", "Supplier Forms", "Engineering", "Due Diligence", "Full Room",
  };
  g_autoptr(GPtrArray) queries = NULL;
  g_autofree char *ids = NULL;
  guint total_notifies = 0;

  clear_requests ();
  watch_model (f, dsl_folder_model_new (f->client, DSL_FOLDER_ROOMS, NULL));
  g_signal_connect (f->model, "notify::total", G_CALLBACK (count_notify), &total_notifies);

  dsl_folder_model_load_more (f->model);
  g_assert_true (dsl_folder_model_get_loading (f->model));
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 1);
  wait_idle (f->model);

  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_cmpuint (n_items (f->model), >=, G_N_ELEMENTS (titles));
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      DslItem *room = item_at (f->model, i);

      g_assert_cmpstr (dsl_item_get_title (room), ==, titles[i]);
      g_assert_cmpint (dsl_item_get_kind (room), ==, DSL_ITEM_KIND_ROOM);
    }
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 0)), ==, "101");
  /* The archived room is not in the Rooms section; the scale rooms are. */
  ids = model_ids (f->model);
  g_assert_null (strstr (ids, "107"));
  g_assert_nonnull (strstr (ids, "900"));
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, (int) n_items (f->model));
  g_assert_true (dsl_folder_model_get_complete (f->model));
  g_assert_cmpuint (total_notifies, ==, 1);

  /* One items-changed for the page. */
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (f->changes, Change, 0).position, ==, 0);
  g_assert_cmpuint (g_array_index (f->changes, Change, 0).removed, ==, 0);
  g_assert_cmpuint (g_array_index (f->changes, Change, 0).added, ==, n_items (f->model));
  assert_shadow_matches (f);

  /* No room-type filter, page 0, the API's largest page. */
  queries = logged_queries ("/api/2.0/files/rooms", NULL);
  g_assert_cmpuint (queries->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (queries, 0), ==, "startIndex=0&count=100");

  /* Complete: asking for more sends nothing. */
  dsl_folder_model_load_more (f->model);
  g_assert_false (dsl_folder_model_get_loading (f->model));
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 1);
}

static void
test_my_documents (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *ids = NULL;

  clear_requests ();
  watch_model (f, dsl_folder_model_new (f->client, DSL_FOLDER_MY, NULL));
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);

  g_assert_null (dsl_folder_model_get_error (f->model));
  /* Folders first, then files. */
  ids = model_ids (f->model);
  g_assert_cmpstr (ids, ==, "501,sbox-12-demo,401,402");
  g_assert_cmpint (dsl_item_get_kind (item_at (f->model, 0)), ==, DSL_ITEM_KIND_FOLDER);
  g_assert_cmpstr (dsl_item_get_title (item_at (f->model, 2)), ==, "Q3 report.docx");
  g_assert_cmpint (dsl_item_get_kind (item_at (f->model, 2)), ==, DSL_ITEM_KIND_FILE);
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, 4);
  g_assert_true (dsl_folder_model_get_complete (f->model));
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/@my"), ==, 1);
  assert_shadow_matches (f);
}

static void
test_subfolder (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *ids = NULL;
  g_autoptr(GPtrArray) queries = NULL;

  clear_requests ();
  watch_model (f, dsl_folder_model_new (f->client, "202", NULL));
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);

  ids = model_ids (f->model);
  g_assert_cmpstr (ids, ==, "301,302");
  g_assert_cmpstr (dsl_item_get_title (item_at (f->model, 0)), ==, "Launch plan.docx");
  g_assert_cmpstr (dsl_item_get_parent_id (item_at (f->model, 1)), ==, "202");
  g_assert_true (dsl_folder_model_get_complete (f->model));

  queries = logged_queries ("/api/2.0/files/202", NULL);
  g_assert_cmpuint (queries->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (queries, 0), ==, "startIndex=0&count=100");
}

/* Under AddressSanitizer or valgrind every allocation costs 30-50 times more: the parts that
 * only repeat what is already covered on a smaller scale are left out there. */
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

/* Resident set size from /proc/self/statm, in bytes. */
static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  fields = g_strsplit (statm, " ", -1);
  if (fields[0] == NULL || fields[1] == NULL)
    return 0;
  return (gsize) g_ascii_strtoull (fields[1], NULL, 10) * (gsize) sysconf (_SC_PAGESIZE);
}

/* Bytes malloc has handed out and not got back. */
static gsize
heap_in_use (void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
#else
  return 0;
#endif
}

/* 10,000 files, page by page: exactly 100 items per request and 100 requests, one
 * items-changed per page, and the server saw startIndex 0, 100, ... 9900 once each. */
static void
test_load_10000 (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 started;
  gint64 elapsed;
  gsize rss_before, rss_after, heap_before, heap_after;

  clear_requests ();
  rss_before = resident_bytes ();
  heap_before = heap_in_use ();
  started = g_get_monotonic_time ();

  watch_model (f, dsl_folder_model_new (f->client, BIG_FOLDER, NULL));
  for (guint page = 0; page < 100; page++)
    {
      g_assert_false (dsl_folder_model_get_complete (f->model));
      dsl_folder_model_load_more (f->model);
      g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, page + 1);
      wait_idle (f->model);

      g_assert_null (dsl_folder_model_get_error (f->model));
      g_assert_cmpuint (n_items (f->model), ==, (page + 1) * 100);
      g_assert_cmpuint (f->changes->len, ==, page + 1);
      g_assert_cmpuint (g_array_index (f->changes, Change, page).position, ==, page * 100);
      g_assert_cmpuint (g_array_index (f->changes, Change, page).removed, ==, 0);
      g_assert_cmpuint (g_array_index (f->changes, Change, page).added, ==, 100);
      g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, 10000);
    }

  elapsed = g_get_monotonic_time () - started;
  heap_after = heap_in_use ();
  rss_after = resident_bytes ();

  g_assert_true (dsl_folder_model_get_complete (f->model));
  g_assert_cmpuint (n_items (f->model), ==, 10000);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 100);
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 0)), ==, "100000");
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 5000)), ==, "105000");
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 9999)), ==, "109999");
  for (guint i = 0; i < 10000; i++)
    g_assert_true (g_hash_table_add (ids, (gpointer) dsl_item_get_id (item_at (f->model, i))));

  /* Complete: no 101st request. */
  dsl_folder_model_load_more (f->model);
  g_assert_false (dsl_folder_model_get_loading (f->model));
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 100);

  queries = logged_queries (BIG_PATH, NULL);
  g_assert_cmpuint (queries->len, ==, 100);
  for (guint i = 0; i < queries->len; i++)
    {
      g_autofree char *expected = g_strdup_printf ("startIndex=%u&count=100", i * 100);

      g_assert_cmpstr (g_ptr_array_index (queries, i), ==, expected);
    }
  assert_shadow_matches (f);

  g_test_message ("folder-model: 10000 items in 100 pages loaded in %.0f ms (%.1f ms per page)",
                  elapsed / 1000.0, elapsed / 1000.0 / 100);
  if (heap_after > 0)
    g_test_message ("folder-model: heap in use grew by %.1f MiB for 10000 items "
                    "(%.0f bytes per item, includes the test's shadow list)",
                    ((double) heap_after - (double) heap_before) / (1024.0 * 1024.0),
                    ((double) heap_after - (double) heap_before) / 10000);
  g_test_message ("folder-model: resident set grew by %.1f MiB (/proc/self/statm)",
                  ((double) rss_after - (double) rss_before) / (1024.0 * 1024.0));

  /* Refreshing all of it: 100 more requests (a few at a time), each page exactly once, and
   * nothing changed means no items-changed and the same 10,000 objects. (Smaller refreshes
   * are covered below; this one takes over a minute under ASan or valgrind.) */
  if (instrumented ())
    {
      g_test_message ("folder-model: the 10000-item refresh is left out under ASan/valgrind");
      return;
    }

  {
    g_autoptr(GPtrArray) before = g_ptr_array_new ();
    g_autoptr(GPtrArray) refresh_queries = NULL;
    g_autoptr(GHashTable) starts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < 10000; i++)
      g_ptr_array_add (before, item_at (f->model, i));
    clear_requests ();
    started = g_get_monotonic_time ();
    dsl_folder_model_refresh (f->model);
    wait_idle (f->model);
    elapsed = g_get_monotonic_time () - started;

    g_assert_null (dsl_folder_model_get_error (f->model));
    g_assert_cmpuint (f->changes->len, ==, 100);
    g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 200);
    g_assert_true (dsl_folder_model_get_complete (f->model));
    for (guint i = 0; i < 10000; i++)
      g_assert_true (item_at (f->model, i) == g_ptr_array_index (before, i));

    refresh_queries = logged_queries (BIG_PATH, NULL);
    g_assert_cmpuint (refresh_queries->len, ==, 100);
    for (guint i = 0; i < refresh_queries->len; i++)
      g_assert_true (g_hash_table_add (starts, g_strdup (g_ptr_array_index (refresh_queries, i))));
    for (guint page = 0; page < 100; page++)
      {
        g_autofree char *expected = g_strdup_printf ("startIndex=%u&count=100", page * 100);

        g_assert_true (g_hash_table_contains (starts, expected));
      }
    g_test_message ("folder-model: refresh of 10000 unchanged items took %.0f ms",
                    elapsed / 1000.0);
  }
}

static void
test_load_more_while_loading (Fixture       *f,
                              gconstpointer  data)
{
  clear_requests ();
  set_faults ("latency=300,path=" BIG_PATH);
  watch_model (f, dsl_folder_model_new (f->client, BIG_FOLDER, NULL));

  dsl_folder_model_load_more (f->model);
  dsl_folder_model_load_more (f->model);
  run_for (50);
  dsl_folder_model_load_more (f->model);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 1);
  wait_idle (f->model);

  g_assert_cmpuint (n_items (f->model), ==, 100);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", BIG_PATH), ==, 1);
}

static void
test_error_and_retry (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GArray) statuses = NULL;
  const GError *error;
  guint error_notifies = 0;

  watch_model (f, dsl_folder_model_new (f->client, BIG_FOLDER, NULL));
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);
  g_assert_cmpuint (n_items (f->model), ==, 100);

  /* The client tries a GET three times (two retries): all three get the 502. */
  clear_requests ();
  set_faults ("html502,count=3,path=" BIG_PATH);
  g_signal_connect (f->model, "notify::error", G_CALLBACK (count_notify), &error_notifies);
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);

  error = dsl_folder_model_get_error (f->model);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 502);
  g_assert_cmpuint (error_notifies, ==, 1);
  g_assert_cmpuint (n_items (f->model), ==, 100);
  g_assert_false (dsl_folder_model_get_complete (f->model));
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 2);
  g_assert_cmpuint (f->changes->len, ==, 1);

  /* Stopped: load_more sends nothing until retry. */
  dsl_folder_model_load_more (f->model);
  g_assert_false (dsl_folder_model_get_loading (f->model));
  run_for (100);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 2);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", BIG_PATH), ==, 3);

  dsl_folder_model_retry (f->model);
  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_true (dsl_folder_model_get_loading (f->model));
  wait_idle (f->model);

  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_cmpuint (error_notifies, ==, 2);
  g_assert_cmpuint (n_items (f->model), ==, 200);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 3);
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 100)), ==, "100100");

  /* The same page each time: three 502s, then the 200 asked for by retry. */
  queries = logged_queries (BIG_PATH, &statuses);
  g_assert_cmpuint (queries->len, ==, 4);
  for (guint i = 0; i < queries->len; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (queries, i), ==, "startIndex=100&count=100");
      g_assert_cmpint (g_array_index (statuses, gint64, i), ==, i < 3 ? 502 : 200);
    }
  assert_shadow_matches (f);
}

/* The first page fails: nothing is shown, retry loads it. */
static void
test_error_first_page (Fixture       *f,
                       gconstpointer  data)
{
  set_faults ("html502,count=3,path=/api/2.0/files/rooms");
  watch_model (f, dsl_folder_model_new (f->client, DSL_FOLDER_ROOMS, NULL));
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);

  g_assert_error (dsl_folder_model_get_error (f->model), DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpuint (n_items (f->model), ==, 0);
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, -1);
  g_assert_cmpuint (f->changes->len, ==, 0);

  dsl_folder_model_retry (f->model);
  wait_idle (f->model);
  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_cmpuint (n_items (f->model), >=, 6);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 2);
}

/* Creating a link flips shared/sharedExternal on a file; refresh updates that very object. */
static void
test_refresh_updates_in_place (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  DslItem *launch, *budget;
  guint budget_shared = 0, budget_title = 0, launch_notifies = 0;

  clear_requests ();
  watch_model (f, dsl_folder_model_new (f->client, "202", NULL));
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);
  launch = item_at (f->model, 0);
  budget = item_at (f->model, 1);
  g_assert_cmpstr (dsl_item_get_id (budget), ==, "302");
  g_assert_false (dsl_item_get_shared (budget));
  g_assert_false (dsl_item_get_shared_external (budget));
  g_assert_true (dsl_item_get_shared (launch));

  g_signal_connect (budget, "notify::shared-external", G_CALLBACK (count_notify), &budget_shared);
  g_signal_connect (budget, "notify::title", G_CALLBACK (count_notify), &budget_title);
  g_signal_connect (launch, "notify", G_CALLBACK (count_notify), &launch_notifies);

  /* The portal changes: 302 gets its primary external link. */
  dsl_client_get_primary_link_async (f->client, DSL_ITEM_KIND_FILE, "302", NULL, NULL,
                                     on_async_done, &result);
  link = dsl_client_get_primary_link_finish (f->client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (link);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "POST", "/api/2.0/files/file/302/link"), ==, 1);
  /* Nothing tells the model: the object still says "not shared". */
  g_assert_false (dsl_item_get_shared_external (budget));

  dsl_folder_model_refresh (f->model);
  g_assert_true (dsl_folder_model_get_loading (f->model));
  wait_idle (f->model);

  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_cmpuint (n_items (f->model), ==, 2);
  g_assert_true (item_at (f->model, 0) == launch);
  g_assert_true (item_at (f->model, 1) == budget);
  g_assert_true (dsl_item_get_shared (budget));
  g_assert_true (dsl_item_get_shared_external (budget));
  g_assert_cmpuint (budget_shared, ==, 1);
  g_assert_cmpuint (budget_title, ==, 0);
  /* Nothing about 301 changed: not one notification. */
  g_assert_cmpuint (launch_notifies, ==, 0);
  /* Only the first load announced items. */
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 2);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/202"), ==, 2);
  g_assert_true (dsl_folder_model_get_complete (f->model));
}

/* A refresh while a page is in flight cancels that load first, and reads page 0 itself. */
static void
test_refresh_cancels_load (Fixture       *f,
                           gconstpointer  data)
{
  clear_requests ();
  set_faults ("latency=300,path=" BIG_PATH);
  watch_model (f, dsl_folder_model_new (f->client, BIG_FOLDER, NULL));

  dsl_folder_model_load_more (f->model);
  run_for (50);
  dsl_folder_model_refresh (f->model);
  g_assert_true (dsl_folder_model_get_loading (f->model));
  wait_idle (f->model);
  run_for (400);   /* the cancelled request's answer, if any, must change nothing */

  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_cmpuint (n_items (f->model), ==, 100);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 2);
  g_assert_false (dsl_folder_model_get_complete (f->model));
  assert_shadow_matches (f);

  /* And paging goes on from there. */
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);
  g_assert_cmpuint (n_items (f->model), ==, 200);
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 100)), ==, "100100");
}

/* A failed refresh leaves the list alone; retry finishes it. */
static void
test_refresh_error (Fixture       *f,
                    gconstpointer  data)
{
  DslItem *launch;

  watch_model (f, dsl_folder_model_new (f->client, "202", NULL));
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);
  launch = item_at (f->model, 0);

  set_faults ("html502,count=3,path=/api/2.0/files/202");
  dsl_folder_model_refresh (f->model);
  wait_idle (f->model);
  g_assert_error (dsl_folder_model_get_error (f->model), DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpuint (n_items (f->model), ==, 2);
  g_assert_cmpuint (f->changes->len, ==, 1);

  dsl_folder_model_load_more (f->model);
  g_assert_false (dsl_folder_model_get_loading (f->model));

  dsl_folder_model_retry (f->model);
  wait_idle (f->model);
  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_true (item_at (f->model, 0) == launch);
  g_assert_cmpuint (n_items (f->model), ==, 2);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 3);
}

static void
test_set_filter (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) queries = NULL;
  g_autofree char *filtered = NULL;
  guint all;
  guint filter_notifies = 0;

  clear_requests ();
  watch_model (f, dsl_folder_model_new (f->client, DSL_FOLDER_ROOMS, NULL));
  g_signal_connect (f->model, "notify::filter", G_CALLBACK (count_notify), &filter_notifies);
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);
  all = n_items (f->model);

  dsl_folder_model_set_filter (f->model, "Press");
  /* Emptied at once with one items-changed, and page 0 of the new query is on its way. */
  g_assert_cmpuint (n_items (f->model), ==, 0);
  g_assert_cmpuint (f->changes->len, ==, 2);
  g_assert_cmpuint (g_array_index (f->changes, Change, 1).position, ==, 0);
  g_assert_cmpuint (g_array_index (f->changes, Change, 1).removed, ==, all);
  g_assert_cmpuint (g_array_index (f->changes, Change, 1).added, ==, 0);
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, -1);
  g_assert_false (dsl_folder_model_get_complete (f->model));
  g_assert_true (dsl_folder_model_get_loading (f->model));
  g_assert_cmpstr (dsl_folder_model_get_filter (f->model), ==, "Press");
  g_assert_cmpuint (filter_notifies, ==, 1);
  wait_idle (f->model);

  filtered = model_ids (f->model);
  g_assert_cmpstr (filtered, ==, "102");
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, 1);
  g_assert_true (dsl_folder_model_get_complete (f->model));
  /* n-requests counts on across filters. */
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 2);

  queries = logged_queries ("/api/2.0/files/rooms", NULL);
  g_assert_cmpuint (queries->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (queries, 1), ==, "filterValue=Press&startIndex=0&count=100");

  /* The same filter again changes nothing; "" is no filter. */
  dsl_folder_model_set_filter (f->model, "Press");
  g_assert_false (dsl_folder_model_get_loading (f->model));
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 2);
  dsl_folder_model_set_filter (f->model, "");
  g_assert_null (dsl_folder_model_get_filter (f->model));
  wait_idle (f->model);
  g_assert_cmpuint (n_items (f->model), ==, all);
  g_assert_cmpuint (filter_notifies, ==, 2);
  assert_shadow_matches (f);
}

/* A filter change while a page is in flight: the old answer never lands. */
static void
test_set_filter_cancels (Fixture       *f,
                         gconstpointer  data)
{
  set_faults ("latency=300,path=" BIG_PATH);
  watch_model (f, dsl_folder_model_new (f->client, BIG_FOLDER, NULL));
  dsl_folder_model_load_more (f->model);
  run_for (50);
  dsl_folder_model_set_filter (f->model, "File 00043");
  wait_idle (f->model);
  run_for (400);

  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_cmpuint (n_items (f->model), ==, 1);
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 0)), ==, "100042");
  g_assert_cmpuint (f->changes->len, ==, 1);
  assert_shadow_matches (f);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  guint error_notifies = 0;

  set_faults ("latency=300,path=" BIG_PATH);
  watch_model (f, dsl_folder_model_new (f->client, BIG_FOLDER, NULL));
  g_signal_connect (f->model, "notify::error", G_CALLBACK (count_notify), &error_notifies);

  dsl_folder_model_load_more (f->model);
  run_for (50);
  dsl_folder_model_cancel (f->model);
  g_assert_false (dsl_folder_model_get_loading (f->model));
  run_for (500);

  /* Silent: no error, no items, nothing else changed. */
  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_cmpuint (error_notifies, ==, 0);
  g_assert_cmpuint (n_items (f->model), ==, 0);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, -1);

  /* Cancelling with nothing in flight does nothing either. */
  dsl_folder_model_cancel (f->model);

  /* The page was not loaded, so load_more asks for it again. */
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);
  g_assert_cmpuint (n_items (f->model), ==, 100);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 2);
  g_assert_null (dsl_folder_model_get_error (f->model));
}

/* Iterates the main context until the model holds a page pending (chunked mode). */
static void
wait_pending (DslFolderModel *model)
{
  gint64 deadline = g_get_monotonic_time () + bounded_wait_us ();

  while (dsl_folder_model_get_n_pending (model) == 0)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("no page arrived in time");
    }
}

/* With a chunk size a page waits until the owner appends it, a chunk per call; it counts as
 * loading until its last item is in, so no second page is asked for meanwhile. */
static void
test_chunks (Fixture       *f,
             gconstpointer  data)
{
  guint pending_notifies = 0;

  watch_model (f, dsl_folder_model_new (f->client, BIG_FOLDER, NULL));
  dsl_folder_model_set_chunk_size (f->model, 30);
  g_signal_connect (f->model, "notify::n-pending", G_CALLBACK (count_notify),
                    &pending_notifies);

  dsl_folder_model_load_more (f->model);
  wait_pending (f->model);
  g_assert_cmpuint (dsl_folder_model_get_n_pending (f->model), ==, 100);
  g_assert_cmpuint (n_items (f->model), ==, 0);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_true (dsl_folder_model_get_loading (f->model));
  g_assert_false (dsl_folder_model_get_complete (f->model));
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, 10000);
  g_assert_cmpuint (pending_notifies, ==, 1);

  g_assert_cmpuint (dsl_folder_model_flush_pending (f->model, 30), ==, 30);
  g_assert_cmpuint (n_items (f->model), ==, 30);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (f->changes, Change, 0).position, ==, 0);
  g_assert_cmpuint (g_array_index (f->changes, Change, 0).added, ==, 30);
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 0)), ==, "100000");
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 29)), ==, "100029");
  g_assert_true (dsl_folder_model_get_loading (f->model));

  /* Still loading: no request for the next page. */
  dsl_folder_model_load_more (f->model);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 1);

  g_assert_cmpuint (dsl_folder_model_flush_pending (f->model, 30), ==, 30);
  g_assert_cmpuint (dsl_folder_model_flush_pending (f->model, 30), ==, 30);
  g_assert_cmpuint (dsl_folder_model_flush_pending (f->model, 30), ==, 10);
  g_assert_cmpuint (dsl_folder_model_flush_pending (f->model, 30), ==, 0);
  g_assert_cmpuint (n_items (f->model), ==, 100);
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 99)), ==, "100099");
  g_assert_cmpuint (dsl_folder_model_get_n_pending (f->model), ==, 0);
  g_assert_false (dsl_folder_model_get_loading (f->model));
  g_assert_cmpuint (f->changes->len, ==, 4);
  assert_shadow_matches (f);

  /* A refresh shows what is pending first, then re-reads both pages. */
  dsl_folder_model_load_more (f->model);
  wait_pending (f->model);
  dsl_folder_model_refresh (f->model);
  g_assert_cmpuint (n_items (f->model), ==, 200);
  g_assert_cmpuint (dsl_folder_model_get_n_pending (f->model), ==, 0);
  wait_idle (f->model);
  g_assert_cmpuint (n_items (f->model), ==, 200);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 4);
  assert_shadow_matches (f);

  /* cancel () appends what arrived. */
  dsl_folder_model_load_more (f->model);
  wait_pending (f->model);
  dsl_folder_model_cancel (f->model);
  g_assert_cmpuint (n_items (f->model), ==, 300);
  g_assert_false (dsl_folder_model_get_loading (f->model));

  /* A new filter drops it. */
  dsl_folder_model_load_more (f->model);
  wait_pending (f->model);
  dsl_folder_model_set_filter (f->model, "File 00043");
  g_assert_cmpuint (dsl_folder_model_get_n_pending (f->model), ==, 0);
  g_assert_cmpuint (n_items (f->model), ==, 0);
  wait_pending (f->model);
  g_assert_cmpuint (dsl_folder_model_flush_pending (f->model, 0), ==, 1);
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 0)), ==, "100042");
  g_assert_true (dsl_folder_model_get_complete (f->model));
  g_assert_false (dsl_folder_model_get_loading (f->model));
  assert_shadow_matches (f);
}

/* Dropping the model with a page in flight: it goes at once, the late answer is ignored. */
static void
test_dispose_in_flight (Fixture       *f,
                        gconstpointer  data)
{
  DslFolderModel *model;

  set_faults ("latency=300,path=" BIG_PATH);
  model = dsl_folder_model_new (f->client, BIG_FOLDER, NULL);
  dsl_folder_model_load_more (model);
  run_for (50);

  g_object_add_weak_pointer (G_OBJECT (model), (gpointer *) &model);
  g_object_unref (model);
  g_assert_null (model);
  run_for (500);
}

/* --- a tiny portal whose folder contents the test changes at will --- */

/* Serves GET /api/2.0/files/77 from `entries` ("id|title" strings), paged like the API.
 * (A GThreadedSocketService rather than a SoupServer: libsoup 3.2's server leaks under
 * valgrind.) */
typedef struct {
  GMutex          lock;
  GPtrArray      *entries;   /* "id|title" */
  GPtrArray      *queries;   /* the raw query of each request */
  int             endless;   /* 1: every page full of new items, 2: the same items each time;
                                with `total` 10^15 (a hostile portal); 0: `entries` */
  GSocketService *service;
  char           *url;
} MiniServer;

static guint
query_uint (const char *query,
            const char *name,
            guint       fallback)
{
  g_autoptr(GHashTable) params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  const char *value = params != NULL ? g_hash_table_lookup (params, name) : NULL;

  return value != NULL ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

static gboolean
mini_run (GThreadedSocketService *service,
          GSocketConnection      *connection,
          GObject                *source,
          gpointer                user_data)
{
  MiniServer *mini = user_data;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *request_line = NULL;
  g_autofree char *head = NULL;
  g_autoptr(GString) files = g_string_new (NULL);
  g_autoptr(GString) body = NULL;
  g_autofree char *total_text = NULL;
  const char *query;
  guint start, count, total, n = 0;
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

  *strrchr (request_line, ' ') = '\0';
  query = strchr (request_line, '?') != NULL ? strchr (request_line, '?') + 1 : "";
  start = query_uint (query, "startIndex", 0);
  count = query_uint (query, "count", 100);

  g_mutex_lock (&mini->lock);
  g_ptr_array_add (mini->queries, g_strdup (query));
  total = mini->entries->len;
  for (guint i = 0; mini->endless != 0 && i < count; i++, n++)
    g_string_append_printf (files, "%s{\"id\":\"e%u\",\"title\":\"E\",\"fileEntryType\":2,"
                            "\"folderId\":77}", n > 0 ? "," : "",
                            mini->endless == 1 ? start + i : i);
  for (guint i = start; mini->endless == 0 && i < mini->entries->len && n < count; i++, n++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (mini->entries, i), "|", 2);

      g_string_append_printf (files, "%s{\"id\":\"%s\",\"title\":\"%s\",\"fileEntryType\":2,"
                              "\"folderId\":77,\"fileExst\":\".docx\",\"fileType\":7}",
                              n > 0 ? "," : "", parts[0], parts[1]);
    }
  total_text = mini->endless != 0 ? g_strdup ("1000000000000000") : g_strdup_printf ("%u", total);
  g_mutex_unlock (&mini->lock);

  body = g_string_new (NULL);
  g_string_append_printf (body, "{\"response\":{\"files\":[%s],\"folders\":[],"
                          "\"startIndex\":%u,\"count\":%u,\"total\":%s},"
                          "\"count\":%u,\"total\":%s,\"status\":0,\"statusCode\":200}",
                          files->str, start, n, total_text, n, total_text);
  head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          body->len);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, body->str, body->len, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
mini_start (MiniServer *mini)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_mutex_init (&mini->lock);
  mini->entries = g_ptr_array_new_with_free_func (g_free);
  mini->queries = g_ptr_array_new_with_free_func (g_free);
  mini->service = g_threaded_socket_service_new (4);
  g_signal_connect (mini->service, "run", G_CALLBACK (mini_run), mini);
  g_socket_listener_add_address (G_SOCKET_LISTENER (mini->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  mini->url = g_strdup_printf ("http://127.0.0.1:%u",
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_service_start (mini->service);
}

static void
mini_stop (MiniServer *mini)
{
  g_socket_service_stop (mini->service);
  g_socket_listener_close (G_SOCKET_LISTENER (mini->service));
  g_clear_object (&mini->service);
  g_clear_pointer (&mini->entries, g_ptr_array_unref);
  g_clear_pointer (&mini->queries, g_ptr_array_unref);
  g_clear_pointer (&mini->url, g_free);
  g_mutex_clear (&mini->lock);
}

/* Replaces the folder's contents: "id|title" strings, NULL-terminated. */
static void
mini_set (MiniServer         *mini,
          const char * const *entries)
{
  g_mutex_lock (&mini->lock);
  g_ptr_array_set_size (mini->entries, 0);
  for (guint i = 0; entries[i] != NULL; i++)
    g_ptr_array_add (mini->entries, g_strdup (entries[i]));
  g_mutex_unlock (&mini->lock);
}

/* f1..fN titled "File i". */
static GStrv
numbered (guint first,
          guint last)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  for (guint i = first; i <= last; i++)
    {
      g_autofree char *entry = g_strdup_printf ("f%u|File %u", i, i);

      g_strv_builder_add (builder, entry);
    }
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

static guint
mini_n_queries (MiniServer *mini)
{
  guint n;

  g_mutex_lock (&mini->lock);
  n = mini->queries->len;
  g_mutex_unlock (&mini->lock);
  return n;
}

/* Loads every page of the mini folder into a watched model on a client for `mini`. */
static void
load_all (Fixture    *f,
          MiniServer *mini)
{
  g_autoptr(DslClient) client = dsl_client_new (mini->url);

  dsl_client_set_api_key (client, OWNER_KEY);
  watch_model (f, dsl_folder_model_new (client, "77", NULL));
  while (!dsl_folder_model_get_complete (f->model))
    {
      dsl_folder_model_load_more (f->model);
      wait_idle (f->model);
      g_assert_null (dsl_folder_model_get_error (f->model));
    }
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

/* A portal that answers `total: 10^15` and a full page each time: the model stops at 1,000
 * pages (100,000 items) with an error, or at once when a page brings nothing new. The loop
 * is bounded, so today's endless paging fails here rather than hangs. */
static void
test_endless_pages (Fixture       *f,
                    gconstpointer  data)
{
  MiniServer mini = { 0 };
  g_autoptr(DslClient) client = NULL;
  const GError *error;
  guint rounds = 0;

  mini_start (&mini);
  client = dsl_client_new (mini.url);
  dsl_client_set_api_key (client, OWNER_KEY);

  /* the same 100 items on every page */
  mini.endless = 2;
  watch_model (f, dsl_folder_model_new (client, "77", NULL));
  while (!dsl_folder_model_get_complete (f->model) && rounds++ < 10)
    {
      dsl_folder_model_load_more (f->model);
      wait_idle (f->model);
    }
  g_assert_true (dsl_folder_model_get_complete (f->model));
  g_assert_cmpuint (n_items (f->model), ==, 100);
  g_assert_cmpuint (mini_n_queries (&mini), ==, 2);
  error = dsl_folder_model_get_error (f->model);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (error->message, ==,
                   "The portal keeps sending more pages: stopped after 100 items");
  /* Retry does not start it again */
  dsl_folder_model_retry (f->model);
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);
  g_assert_cmpuint (mini_n_queries (&mini), ==, 2);

  /* new items on every page: 1,000 pages at most */
  if (on_valgrind ())
    {
      g_test_message ("folder-model: the 1000-page case is left out under valgrind");
      g_signal_handlers_disconnect_by_data (f->model, f);
      g_clear_object (&f->model);
      mini_stop (&mini);
      return;
    }
  g_signal_handlers_disconnect_by_data (f->model, f);
  g_clear_object (&f->model);
  g_ptr_array_set_size (f->shadow, 0);
  mini.endless = 1;
  watch_model (f, dsl_folder_model_new (client, "77", NULL));
  rounds = 0;
  while (!dsl_folder_model_get_complete (f->model) && rounds++ < 1100)
    {
      dsl_folder_model_load_more (f->model);
      wait_idle (f->model);
    }
  g_assert_true (dsl_folder_model_get_complete (f->model));
  g_assert_cmpuint (n_items (f->model), ==, 100000);
  g_assert_cmpuint (mini_n_queries (&mini), ==, 2 + 1000);
  error = dsl_folder_model_get_error (f->model);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (error->message, ==,
                   "The portal keeps sending more pages: stopped after 100000 items");
  assert_shadow_matches (f);

  g_signal_handlers_disconnect_by_data (f->model, f);
  g_clear_object (&f->model);
  mini_stop (&mini);
}

/* Renames, removals, insertions and a move in one refresh: the same objects for the ids that
 * stay, the new order exactly, and few items-changed (one per changed run). */
static void
test_refresh_reconciles (Fixture       *f,
                         gconstpointer  data)
{
  MiniServer mini = { 0 };
  g_auto(GStrv) initial = numbered (1, 250);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) changed = NULL;
  g_autoptr(GHashTable) before = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *actual = NULL;
  DslItem *renamed;
  guint title_changes = 0;
  guint queries_before;

  mini_start (&mini);
  mini_set (&mini, (const char * const *) initial);
  load_all (f, &mini);
  g_assert_cmpuint (n_items (f->model), ==, 250);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 3);
  for (guint i = 0; i < 250; i++)
    g_hash_table_insert (before, g_strdup (dsl_item_get_id (item_at (f->model, i))),
                         item_at (f->model, i));
  renamed = g_hash_table_lookup (before, "f10");
  g_signal_connect (renamed, "notify::title", G_CALLBACK (count_notify), &title_changes);

  /* Unchanged: no items-changed, no notifications. */
  g_array_set_size (f->changes, 0);
  dsl_folder_model_refresh (f->model);
  wait_idle (f->model);
  g_assert_cmpuint (f->changes->len, ==, 0);
  g_assert_cmpuint (title_changes, ==, 0);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 6);

  /* n1 first; f5 and f150 gone; f10 renamed; n2 after f200; f20 moved to the end. */
  g_strv_builder_add (builder, "n1|New one");
  for (guint i = 1; i <= 250; i++)
    {
      g_autofree char *entry = NULL;

      if (i == 5 || i == 150 || i == 20)
        continue;
      entry = i == 10 ? g_strdup ("f10|Renamed") : g_strdup_printf ("f%u|File %u", i, i);
      g_strv_builder_add (builder, entry);
      if (i == 200)
        g_strv_builder_add (builder, "n2|New two");
    }
  g_strv_builder_add (builder, "f20|File 20");
  changed = g_strv_builder_end (builder);
  mini_set (&mini, (const char * const *) changed);

  g_array_set_size (f->changes, 0);
  queries_before = mini_n_queries (&mini);
  dsl_folder_model_refresh (f->model);
  wait_idle (f->model);
  g_assert_null (dsl_folder_model_get_error (f->model));

  /* Exactly the server's order. */
  for (guint i = 0; changed[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (changed[i], "|", 2);

      g_string_append_printf (expected, "%s%s", i > 0 ? "," : "", parts[0]);
    }
  actual = model_ids (f->model);
  g_assert_cmpstr (actual, ==, expected->str);
  g_assert_cmpuint (n_items (f->model), ==, 250);
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, 250);
  g_assert_true (dsl_folder_model_get_complete (f->model));

  /* Every id that stayed is the same object; the rename happened in place, once. */
  for (guint i = 0; i < n_items (f->model); i++)
    {
      DslItem *item = item_at (f->model, i);
      DslItem *old = g_hash_table_lookup (before, dsl_item_get_id (item));

      if (g_str_has_prefix (dsl_item_get_id (item), "n"))
        g_assert_null (old);
      else
        g_assert_true (item == old);
    }
  g_assert_cmpstr (dsl_item_get_title (renamed), ==, "Renamed");
  g_assert_cmpuint (title_changes, ==, 1);

  /* One items-changed per changed run: n1, f5, f20 (out), f150, n2, f20 (in). */
  g_assert_cmpuint (f->changes->len, ==, 6);
  assert_shadow_matches (f);

  /* One request per page: 0, 100, 200. */
  g_mutex_lock (&mini.lock);
  g_assert_cmpuint (mini.queries->len - queries_before, ==, 3);
  for (guint page = 0; page < 3; page++)
    {
      g_autofree char *wanted = g_strdup_printf ("startIndex=%u&count=100", page * 100);
      guint seen = 0;

      for (guint i = queries_before; i < mini.queries->len; i++)
        seen += g_str_equal (g_ptr_array_index (mini.queries, i), wanted);
      g_assert_cmpuint (seen, ==, 1);
    }
  g_mutex_unlock (&mini.lock);

  g_clear_object (&f->model);
  mini_stop (&mini);
}

/* A complete model stays complete when the folder grows past its pages, and shrinks with it. */
static void
test_refresh_grow_and_shrink (Fixture       *f,
                              gconstpointer  data)
{
  MiniServer mini = { 0 };
  g_auto(GStrv) first = numbered (1, 200);
  g_auto(GStrv) grown = numbered (1, 330);
  g_auto(GStrv) shrunk = numbered (101, 130);
  g_autofree char *ids = NULL;
  DslItem *f101;

  mini_start (&mini);
  mini_set (&mini, (const char * const *) first);
  load_all (f, &mini);
  /* 200 = 2 full pages = total: complete without a third request. */
  g_assert_cmpuint (n_items (f->model), ==, 200);
  g_assert_true (dsl_folder_model_get_complete (f->model));
  f101 = item_at (f->model, 100);

  mini_set (&mini, (const char * const *) grown);
  g_array_set_size (f->changes, 0);
  dsl_folder_model_refresh (f->model);
  wait_idle (f->model);
  g_assert_cmpuint (n_items (f->model), ==, 330);
  g_assert_true (dsl_folder_model_get_complete (f->model));
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, 330);
  g_assert_true (item_at (f->model, 100) == f101);
  g_assert_cmpuint (f->changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (f->changes, Change, 0).position, ==, 200);
  g_assert_cmpuint (g_array_index (f->changes, Change, 0).added, ==, 130);
  assert_shadow_matches (f);

  mini_set (&mini, (const char * const *) shrunk);
  g_array_set_size (f->changes, 0);
  dsl_folder_model_refresh (f->model);
  wait_idle (f->model);
  ids = model_ids (f->model);
  g_assert_cmpuint (n_items (f->model), ==, 30);
  g_assert_true (item_at (f->model, 0) == f101);
  g_assert_true (dsl_folder_model_get_complete (f->model));
  g_assert_cmpint (dsl_folder_model_get_total (f->model), ==, 30);
  /* Removed before and after the run that stays. */
  g_assert_cmpuint (f->changes->len, ==, 2);
  assert_shadow_matches (f);

  g_clear_object (&f->model);
  mini_stop (&mini);
}

static void
filter_on_first_change (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        gboolean   *done)
{
  if (*done)
    return;
  *done = TRUE;
  dsl_folder_model_set_filter (DSL_FOLDER_MODEL (model), "File");
}

/* A handler that changes the filter while a refresh is announcing its changes: the refresh
 * stops there, and the list is what the new query returns. */
static void
test_refresh_reentrant_filter (Fixture       *f,
                               gconstpointer  data)
{
  MiniServer mini = { 0 };
  g_auto(GStrv) initial = numbered (1, 150);
  g_auto(GStrv) changed = numbered (3, 160);
  gboolean done = FALSE;
  gulong handler;

  mini_start (&mini);
  mini_set (&mini, (const char * const *) initial);
  load_all (f, &mini);

  mini_set (&mini, (const char * const *) changed);
  handler = g_signal_connect (f->model, "items-changed", G_CALLBACK (filter_on_first_change),
                              &done);
  dsl_folder_model_refresh (f->model);
  wait_idle (f->model);
  g_signal_handler_disconnect (f->model, handler);

  g_assert_true (done);
  g_assert_cmpstr (dsl_folder_model_get_filter (f->model), ==, "File");
  g_assert_null (dsl_folder_model_get_error (f->model));
  g_assert_cmpuint (n_items (f->model), ==, 100);
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 0)), ==, "f3");
  g_assert_false (dsl_folder_model_get_complete (f->model));
  assert_shadow_matches (f);

  g_mutex_lock (&mini.lock);
  g_assert_cmpstr (g_ptr_array_index (mini.queries, mini.queries->len - 1), ==,
                   "filterValue=File&startIndex=0&count=100");
  g_mutex_unlock (&mini.lock);

  g_clear_object (&f->model);
  mini_stop (&mini);
}

/* An incomplete model refreshes only the pages it has; load_more continues afterwards. */
static void
test_refresh_partial (Fixture       *f,
                      gconstpointer  data)
{
  MiniServer mini = { 0 };
  g_auto(GStrv) all = numbered (1, 450);
  g_autoptr(DslClient) client = NULL;

  mini_start (&mini);
  mini_set (&mini, (const char * const *) all);
  client = dsl_client_new (mini.url);
  dsl_client_set_api_key (client, OWNER_KEY);
  watch_model (f, dsl_folder_model_new (client, "77", NULL));
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);
  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);
  g_assert_cmpuint (n_items (f->model), ==, 200);

  dsl_folder_model_refresh (f->model);
  wait_idle (f->model);
  g_assert_cmpuint (dsl_folder_model_get_n_requests (f->model), ==, 4);
  g_assert_cmpuint (n_items (f->model), ==, 200);
  g_assert_false (dsl_folder_model_get_complete (f->model));

  dsl_folder_model_load_more (f->model);
  wait_idle (f->model);
  g_assert_cmpuint (n_items (f->model), ==, 300);
  g_assert_cmpstr (dsl_item_get_id (item_at (f->model, 200)), ==, "f201");
  assert_shadow_matches (f);

  g_clear_object (&f->model);
  mini_stop (&mini);
}

int
main (int   argc,
      char *argv[])
{
  const char *args[] = { "--scale", "1", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  add_test ("lazy", test_lazy);
  add_test ("rooms", test_rooms);
  add_test ("my-documents", test_my_documents);
  add_test ("subfolder", test_subfolder);
  add_test ("load-10000", test_load_10000);
  add_test ("load-more-while-loading", test_load_more_while_loading);
  add_test ("error-and-retry", test_error_and_retry);
  add_test ("error-first-page", test_error_first_page);
  add_test ("refresh-updates-in-place", test_refresh_updates_in_place);
  add_test ("refresh-cancels-load", test_refresh_cancels_load);
  add_test ("refresh-error", test_refresh_error);
  add_test ("refresh-reconciles", test_refresh_reconciles);
  add_test ("refresh-grow-and-shrink", test_refresh_grow_and_shrink);
  add_test ("refresh-partial", test_refresh_partial);
  add_test ("refresh-reentrant-filter", test_refresh_reentrant_filter);
  add_test ("set-filter", test_set_filter);
  add_test ("set-filter-cancels", test_set_filter_cancels);
  add_test ("cancel", test_cancel);
  add_test ("dispose-in-flight", test_dispose_in_flight);
  add_test ("chunks", test_chunks);
  add_test ("endless-pages", test_endless_pages);

  sim = dsl_sim_start (args, &error);
  g_assert_no_error (error);

  status = g_test_run ();

  g_clear_pointer (&sim, dsl_sim_stop);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-cli.c: the command line: URL line, --scale, --state, --latency, --faults, SIGTERM.
 * Each test starts its own simulator. */
#define G_LOG_DOMAIN "docspace-sim-test"

#include "sim-test-util.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

static DslSim *
start (const char * const *args)
{
  g_autoptr(GError) error = NULL;
  DslSim *sim = dsl_sim_start (args, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sim);
  return sim;
}

static void
test_url_line (void)
{
  g_autoptr(DslSim) sim = start (NULL);
  g_autoptr(GRegex) re = g_regex_new ("^http://127\\.0\\.0\\.1:[0-9]+$", 0, 0, NULL);

  g_assert_true (g_regex_match (re, dsl_sim_get_url (sim), 0, NULL));
}

static void
test_sigterm_exits_cleanly (void)
{
  const char *path = g_getenv ("DSL_SIM");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) p = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *line = NULL;

  if (path == NULL || *path == '\0')
    path = DSL_SIM_PATH;
  p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, path, "--port", "0", NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  g_subprocess_send_signal (p, SIGTERM);
  g_assert_true (g_subprocess_wait (p, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (p));
  g_assert_cmpint (g_subprocess_get_exit_status (p), ==, 0);
}

static void
test_bad_option_exit_2 (void)
{
  const char *path = g_getenv ("DSL_SIM");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) p = NULL;

  if (path == NULL || *path == '\0')
    path = DSL_SIM_PATH;
  p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                        &error, path, "--faults", "explode", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (p, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (p));
  g_assert_cmpint (g_subprocess_get_exit_status (p), !=, 0);
}

static void
test_cli_faults (void)
{
  const char *args[] = { "--faults", "html502,count=1", NULL };
  g_autoptr(DslSim) sim = start (args);
  g_autoptr(SimResp) r1 = sim_call (sim, "GET", "/api/2.0/files/rooms", OWNER_KEY, NULL);
  g_autoptr(SimResp) r2 = sim_call (sim, "GET", "/api/2.0/files/rooms", OWNER_KEY, NULL);

  g_assert_cmpuint (r1->status, ==, 502);
  g_assert_cmpuint (r2->status, ==, 200);
}

static void
test_cli_latency (void)
{
  const char *args[] = { "--latency", "250", NULL };
  g_autoptr(DslSim) sim = start (args);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(SimResp) r = sim_call (sim, "GET", "/api/2.0/people/@self", OWNER_KEY, NULL);

  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 240 * 1000);
  g_assert_cmpuint (r->status, ==, 200);
}

static void
test_scale_rooms (void)
{
  const char *args[] = { "--scale", "3", NULL };
  g_autoptr(DslSim) sim = start (args);
  g_autoptr(SimResp) r = sim_call (sim, "GET", "/api/2.0/files/rooms?filterValue=Scale%20room",
                                   OWNER_KEY, NULL);
  g_autoptr(SimResp) room = NULL;
  g_autoptr(SimResp) files = NULL;
  JsonArray *a;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  JsonObject *c;

  a = obj_arr (resp_response_object (r), "folders");
  g_assert_cmpuint (json_array_get_length (a), ==, 3);
  g_assert_cmpstr (obj_str (arr_obj (a, 0), "title"), ==, "Scale room 1");
  id = obj_id (arr_obj (a, 0), "id");
  path = g_strdup_printf ("/api/2.0/files/%s", id);
  room = sim_call (sim, "GET", path, OWNER_KEY, NULL);
  c = resp_response_object (room);
  g_assert_cmpuint (json_array_get_length (obj_arr (c, "folders")), ==, 3);
  g_assert_cmpuint (json_array_get_length (obj_arr (c, "files")), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_true (obj_bool (arr_obj (obj_arr (c, "files"), i), "shared"));
}

static void
test_scale_ten_thousand_files (void)
{
  const char *args[] = { "--scale", "1", NULL };
  g_autoptr(DslSim) sim = start (args);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint start_index = 0;
  guint total = G_MAXUINT;
  guint requests = 0;

  while (start_index < total)
    {
      g_autofree char *path = g_strdup_printf ("/api/2.0/files/901?startIndex=%u&count=100",
                                               start_index);
      g_autoptr(SimResp) r = sim_call (sim, "GET", path, OWNER_KEY, NULL);
      JsonObject *c;
      JsonArray *files;

      g_assert_cmpuint (r->status, ==, 200);
      c = resp_response_object (r);
      total = (guint) obj_int (c, "total");
      files = obj_arr (c, "files");
      g_assert_cmpuint (json_array_get_length (files), ==, 100);
      g_assert_cmpint (obj_int (c, "count"), ==, 100);
      for (guint i = 0; i < json_array_get_length (files); i++)
        g_hash_table_add (seen, obj_id (arr_obj (files, i), "id"));
      start_index += (guint) obj_int (c, "count");
      requests++;
    }
  g_assert_cmpuint (total, ==, 10000);
  g_assert_cmpuint (requests, ==, 100);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 10000);
  g_assert_true (g_hash_table_contains (seen, "100000"));
  g_assert_true (g_hash_table_contains (seen, "109999"));
}

static void
test_scale_generated_file_links (void)
{
  const char *args[] = { "--scale", "1", NULL };
  g_autoptr(DslSim) sim = start (args);
  g_autoptr(SimResp) linked = sim_call (sim, "GET", "/api/2.0/files/file/100000/links",
                                        OWNER_KEY, NULL);
  g_autoptr(SimResp) created = sim_call (sim, "PUT", "/api/2.0/files/file/105555/links",
                                         OWNER_KEY, "{\"access\":2}");
  g_autoptr(SimResp) after = sim_call (sim, "GET", "/api/2.0/files/file/105555/links",
                                       OWNER_KEY, NULL);

  g_assert_cmpuint (json_array_get_length (resp_response_array (linked)), ==, 1);
  g_assert_cmpuint (created->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (resp_response_array (after)), ==, 1);
}

static void
test_scale_1000_startup (void)
{
  const char *args[] = { "--scale", "1000", NULL };
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(DslSim) sim = start (args);
  gint64 elapsed = g_get_monotonic_time () - t0;
  g_autoptr(SimResp) r = sim_call (sim, "GET", "/api/2.0/files/rooms?count=1", OWNER_KEY, NULL);

  g_test_message ("docspace-sim --scale 1000 started in %" G_GINT64_FORMAT " ms",
                  elapsed / 1000);
  g_assert_cmpint (obj_int (resp_response_object (r), "total"), ==, 6 + 1 + 1000);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
}

static void
test_state_persists (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dsl-sim-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "state.json", NULL);
  const char *args[] = { "--state", file, NULL };
  g_autofree char *link_id = NULL;

  {
    g_autoptr(DslSim) sim = start (args);
    g_autoptr(SimResp) r = sim_call (sim, "PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
                                     "{\"access\":2,\"title\":\"Kept\"}");

    g_autoptr(SimResp) policy = sim_call (sim, "PUT",
                                          "/api/2.0/files/settings/externalsharingsettings",
                                          OWNER_KEY, "{\"externalShare\":false,"
                                          "\"externalShareApplyToDocuments\":true}");

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (policy->status, ==, 200);
    link_id = g_strdup (obj_str (obj_obj (resp_response_object (r), "sharedLink"), "id"));
  }
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
  {
    g_autoptr(DslSim) sim = start (args);
    g_autoptr(SimResp) r = sim_call (sim, "GET", "/api/2.0/files/file/402/links", OWNER_KEY,
                                     NULL);
    g_autoptr(SimResp) ev = sim_call (sim, "GET", "/api/2.0/security/audit/events/filter"
                                      "?action=5091&target=402", OWNER_KEY, NULL);
    g_autoptr(SimResp) policy = sim_call (sim, "GET", "/api/2.0/files/settings", OWNER_KEY,
                                          NULL);
    JsonObject *l = find_by_id (resp_response_array (r), link_id);

    /* The sharing policy is kept too. */
    g_assert_false (obj_bool (resp_response_object (policy), "externalShare"));
    g_assert_true (obj_bool (resp_response_object (policy), "externalShareApplyToDocuments"));
    g_assert_false (obj_bool (resp_response_object (policy), "externalShareApplyToRooms"));
    g_assert_nonnull (l);
    g_assert_cmpstr (obj_str (obj_obj (l, "sharedLink"), "title"), ==, "Kept");
    g_assert_cmpuint (json_array_get_length (resp_response_array (ev)), ==, 1);
  }
  g_unlink (file);
  g_rmdir (dir);
}

static void
test_state_session_persists (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dsl-sim-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "state.json", NULL);
  const char *args[] = { "--state", file, NULL };
  g_autofree char *token = NULL;

  {
    g_autoptr(DslSim) sim = start (args);
    g_autoptr(SimResp) r = sim_call (sim, "POST", "/api/2.0/authentication", NULL,
                                     "{\"userName\":\"user@example.com\","
                                     "\"password\":\"DemoUser1!\"}");

    token = g_strdup (obj_str (resp_response_object (r), "token"));
  }
  {
    g_autoptr(DslSim) sim = start (args);
    g_autoptr(SimResp) r = sim_call (sim, "GET", "/api/2.0/people/@self", token, NULL);

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_unlink (file);
  g_rmdir (dir);
}

static void
test_state_reset_restores_seed (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dsl-sim-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "state.json", NULL);
  const char *args[] = { "--state", file, NULL };

  {
    g_autoptr(DslSim) sim = start (args);
    g_autoptr(SimResp) r = sim_call (sim, "PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
                                     "{\"access\":2}");
    g_autoptr(GError) error = NULL;

    g_assert_true (dsl_sim_reset (sim, &error));
  }
  {
    g_autoptr(DslSim) sim = start (args);
    g_autoptr(SimResp) r = sim_call (sim, "GET", "/api/2.0/files/file/402/links", OWNER_KEY,
                                     NULL);

    g_assert_cmpuint (json_array_get_length (resp_response_array (r)), ==, 0);
  }
  g_unlink (file);
  g_rmdir (dir);
}

static void
test_seed_links_deterministic (void)
{
  g_autoptr(DslSim) a = start (NULL);
  g_autoptr(DslSim) b = start (NULL);
  g_autoptr(SimResp) ra = sim_call (a, "GET", "/api/2.0/files/rooms/101/links", OWNER_KEY, NULL);
  g_autoptr(SimResp) rb = sim_call (b, "GET", "/api/2.0/files/rooms/101/links", OWNER_KEY, NULL);
  JsonObject *la = obj_obj (arr_obj (resp_response_array (ra), 0), "sharedLink");
  JsonObject *lb = obj_obj (arr_obj (resp_response_array (rb), 0), "sharedLink");

  g_assert_cmpstr (obj_str (la, "id"), ==, obj_str (lb, "id"));
  g_assert_cmpstr (obj_str (la, "requestToken"), ==, obj_str (lb, "requestToken"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsl/sim/cli-url-line", test_url_line);
  g_test_add_func ("/dsl/sim/cli-sigterm-exit-0", test_sigterm_exits_cleanly);
  g_test_add_func ("/dsl/sim/cli-bad-option", test_bad_option_exit_2);
  g_test_add_func ("/dsl/sim/cli-faults", test_cli_faults);
  g_test_add_func ("/dsl/sim/cli-latency", test_cli_latency);
  g_test_add_func ("/dsl/sim/scale-rooms", test_scale_rooms);
  g_test_add_func ("/dsl/sim/scale-10000-files-paged", test_scale_ten_thousand_files);
  g_test_add_func ("/dsl/sim/scale-generated-file-links", test_scale_generated_file_links);
  g_test_add_func ("/dsl/sim/scale-1000-startup", test_scale_1000_startup);
  g_test_add_func ("/dsl/sim/state-persists", test_state_persists);
  g_test_add_func ("/dsl/sim/state-session-persists", test_state_session_persists);
  g_test_add_func ("/dsl/sim/state-reset-restores-seed", test_state_reset_restores_seed);
  g_test_add_func ("/dsl/sim/seed-links-deterministic", test_seed_links_deterministic);
  return g_test_run ();
}

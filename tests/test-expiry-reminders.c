/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-expiry-reminders.c: the target string of app.extend-link (dsl-expiry-reminders), which
 * travels through the notification server and back: every part comes back as it went, and
 * anything else is refused; the expiry reminded of travels as an optional fifth part; a damaged
 * reminder file is relayed to the window. (The reminders themselves: tests/e2e/test_reminders.py.) */
#include "dsl-expiry-reminders.h"
#include "dsl-reminder-store.h"

static void
test_target_round_trip (void)
{
  struct { const char *account; DslItemKind kind; const char *item; const char *link; } cases[] = {
    { "a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01 http://127.0.0.1:8080", DSL_ITEM_KIND_FILE, "402",
      "0b5e2a10-aaaa-4c5e-9f10-000000000001" },
    { "u https://portal.example.com/docspace?x=1 'quoted'", DSL_ITEM_KIND_FOLDER, "sbox-12-demo",
      "l" },
    { "u p", DSL_ITEM_KIND_ROOM, "id with spaces (and) 'quotes'", "link" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* With the expiry reminded of (whole seconds, in its own offset), and without. */
      g_autoptr(GTimeZone) zone = g_time_zone_new_offset (3 * 3600);
      g_autoptr(GDateTime) expiry = g_date_time_new (zone, 2026, 12, 5, 9, 30, 0);

      for (guint with = 0; with < 2; with++)
        {
          g_autofree char *target = dsl_expiry_reminders_make_target (cases[i].account,
                                                                      cases[i].kind,
                                                                      cases[i].item,
                                                                      cases[i].link,
                                                                      with ? expiry : NULL);
          g_autofree char *account = NULL;
          g_autofree char *item = NULL;
          g_autofree char *link = NULL;
          g_autoptr(GDateTime) expires = NULL;
          DslItemKind kind = -1;

          g_assert_true (dsl_expiry_reminders_parse_target (target, &account, &kind, &item, &link,
                                                            &expires));
          g_assert_cmpstr (account, ==, cases[i].account);
          g_assert_cmpint (kind, ==, cases[i].kind);
          g_assert_cmpstr (item, ==, cases[i].item);
          g_assert_cmpstr (link, ==, cases[i].link);
          if (with)
            {
              g_assert_nonnull (expires);
              g_assert_true (g_date_time_equal (expires, expiry));
            }
          else
            g_assert_null (expires);
        }
    }
}

static void
test_target_refused (void)
{
  const char *bad[] = {
    "",
    "account",
    "account\nfile\n402",
    "account\nfile\n402\nlink\nmore",
    "account\nfile\n402\nlink\n2026-12-05T09:30:00+03:00\nmore",
    "account\nspreadsheet\n402\nlink",
    "\nfile\n402\nlink",
    "account\nfile\n\nlink",
    "account\nfile\n402\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      char *account = NULL, *item = NULL, *link = NULL;
      GDateTime *expires = NULL;
      DslItemKind kind;

      g_test_message ("target %u", i);
      g_assert_false (dsl_expiry_reminders_parse_target (bad[i], &account, &kind, &item, &link,
                                                         &expires));
      g_assert_null (expires);
      g_assert_null (account);
      g_assert_null (item);
      g_assert_null (link);
    }
}

static void
on_store_problem (DslLinkMonitor *monitor,
                  const char     *account_key,
                  const char     *message,
                  GPtrArray      *seen)
{
  g_assert_null (account_key);
  g_ptr_array_add (seen, g_strdup (message));
}

/* An account's reminder file with a record this version cannot read: when the account gets a
 * client, the record is skipped and the problem relayed through the monitor's "store-problem"
 * (the window's toast); before any window listens it waits for the first one. */
static void
test_load_problem_relayed (void)
{
  const char *key = "a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01 http://127.0.0.1:9";
  const char *expected = "Not everything in the file of expiry reminders sent could be read: "
                         "record 1: “expires” is not text";
  g_autofree char *path = dsl_reminder_store_path_for_account (key);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *guard_path = g_build_filename (dir, "guarded-links.json", NULL);
  g_autoptr(DslGuardStore) store = dsl_guard_store_new_for_path (guard_path);
  g_autoptr(GApplication) application =
    g_application_new ("io.github.dslinks.Test", G_APPLICATION_NON_UNIQUE);
  g_autoptr(DslLinkMonitor) monitor = dsl_link_monitor_new (NULL, NULL, store);
  g_autoptr(DslExpiryReminders) reminders = dsl_expiry_reminders_new (application, monitor);
  g_autoptr(DslClient) client = dsl_client_new ("http://127.0.0.1:9");
  g_autoptr(DslClient) other = dsl_client_new ("http://127.0.0.1:9");
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) waiting = NULL;
  g_auto(GStrv) none = NULL;
  const char *text =
    "{\"format\": \"docspace-links-reminders\", \"version\": 1, \"reminded\": ["
    " {\"link-id\": \"a\", \"expires\": {}},"
    " {\"link-id\": \"b\", \"expires\": \"2026-12-05T06:00:00Z\"}]}";

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));

  /* no window yet: kept for the first one */
  dsl_link_monitor_set_client (monitor, key, client);
  waiting = dsl_link_monitor_take_load_problems (monitor);
  g_assert_cmpuint (g_strv_length (waiting), ==, 1);
  g_assert_cmpstr (waiting[0], ==, expected);
  none = dsl_link_monitor_take_load_problems (monitor);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  /* a window listening: told at once (the next account's file) */
  g_signal_connect (monitor, "store-problem", G_CALLBACK (on_store_problem), seen);
  g_free (path);
  path = dsl_reminder_store_path_for_account ("u http://127.0.0.1:9");
  g_assert_true (g_file_set_contents (path, "not JSON", -1, NULL));
  dsl_link_monitor_set_client (monitor, "u http://127.0.0.1:9", other);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_true (g_str_has_prefix (seen->pdata[0],
                                   "The reminder file could not be read (the file is not valid "
                                   "JSON"));
  g_signal_handlers_disconnect_by_data (monitor, seen);
  dsl_link_monitor_set_client (monitor, key, NULL);
  dsl_link_monitor_set_client (monitor, "u http://127.0.0.1:9", NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/dsl/expiry-reminders/target-round-trip", test_target_round_trip);
  g_test_add_func ("/dsl/expiry-reminders/target-refused", test_target_refused);
  g_test_add_func ("/dsl/expiry-reminders/load-problem-relayed", test_load_problem_relayed);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-expiry-reminders.c: the target string of app.extend-link (dsl-expiry-reminders), which
 * travels through the notification server and back: every part comes back as it went, and
 * anything else is refused; the expiry reminded of travels as an optional fifth part. (The reminders themselves: tests/e2e/test_reminders.py.) */
#include "dsl-expiry-reminders.h"

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

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dsl/expiry-reminders/target-round-trip", test_target_round_trip);
  g_test_add_func ("/dsl/expiry-reminders/target-refused", test_target_refused);

  return g_test_run ();
}

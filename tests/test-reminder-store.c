/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-reminder-store.c: dsl-reminder-store, the record of expiry reminders sent.
 *
 *   fixed dates (never the clock) ──► dsl_reminder_expiry_is_due / the store ──► save ──►
 *   a fresh store loads the file ──► what it says was reminded, asserted; the file itself read
 *
 * G_TEST_OPTION_ISOLATE_DIRS gives every test its own XDG data directory. */
#include "dsl-reminder-store.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define ACCOUNT "a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01 http://127.0.0.1:8080"
#define LINK_A "0b5e2a10-aaaa-4c5e-9f10-000000000001"
#define LINK_B "0b5e2a10-bbbb-4c5e-9f10-000000000002"

static GDateTime *
date (const char *iso)
{
  GDateTime *d = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (d);
  return d;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_due (void)
{
  g_autoptr(GDateTime) now = date ("2026-12-04T12:00:00Z");
  struct { const char *expires; gboolean due; } cases[] = {
    { "2026-12-04T11:59:59Z", FALSE },        /* expired a second ago */
    { "2026-12-04T12:00:00Z", FALSE },        /* expires now: already expired */
    { "2026-12-04T12:00:01Z", TRUE },
    { "2026-12-04T18:00:00+03:00", TRUE },    /* 15:00 UTC, another offset */
    { "2026-12-05T12:00:00Z", TRUE },         /* exactly 24 hours */
    { "2026-12-05T12:00:01Z", FALSE },        /* a second more */
    { "2026-12-05T14:00:00+03:00", TRUE },    /* 11:00 UTC the next day */
    { "2026-12-11T12:00:00Z", FALSE },        /* a week */
  };

  g_assert_false (dsl_reminder_expiry_is_due (NULL, now));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) expires = date (cases[i].expires);

      g_test_message ("expires %s", cases[i].expires);
      g_assert_cmpint (dsl_reminder_expiry_is_due (expires, now), ==, cases[i].due);
    }
}

static void
test_path (void)
{
  g_autofree char *path = dsl_reminder_store_path_for_account (ACCOUNT);
  g_autofree char *other = dsl_reminder_store_path_for_account (
    "a7b3c1d2-0002-4c5e-9f10-5a6b7c8d9e02 http://127.0.0.1:8080");
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "docspace-links", NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ACCOUNT, -1);
  g_autofree char *expected = g_strdup_printf ("reminders-%.16s.json", digest);
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);

  g_assert_cmpstr (parent, ==, dir);
  g_assert_cmpstr (base, ==, expected);
  g_assert_cmpstr (path, !=, other);
  g_assert_null (strstr (path, "127.0.0.1"));
  g_assert_cmpstr (dsl_reminder_store_get_path (store), ==, path);
}

static void
test_round_trip (void)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(DslReminderStore) again = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(GDateTime) now = date ("2026-12-04T12:00:00Z");
  g_autoptr(GDateTime) expires = date ("2026-12-05T09:30:00+03:00");
  g_autoptr(GDateTime) same_utc = date ("2026-12-05T06:30:00Z");
  g_autoptr(GDateTime) scan = date ("2026-12-04T14:00:00+02:00");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;

  /* A missing file is an empty store. */
  g_assert_true (dsl_reminder_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (store), ==, 0);
  g_assert_null (dsl_reminder_store_get_last_scan (store));
  g_assert_false (dsl_reminder_store_was_reminded (store, LINK_A, expires));

  dsl_reminder_store_mark_reminded (store, LINK_A, expires, now);
  dsl_reminder_store_set_last_scan (store, scan);
  g_assert_true (dsl_reminder_store_save (store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (dsl_reminder_store_get_path (store), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  text = read_text (dsl_reminder_store_get_path (store));
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "\"docspace-links-reminders\""));
  g_assert_nonnull (strstr (text, "\"2026-12-05T06:30:00Z\""));
  g_assert_nonnull (strstr (text, "\"last-scan\" : \"2026-12-04T12:00:00Z\""));
  g_assert_null (strstr (text, "127.0.0.1"));  /* the account is in the name's hash only */

  g_assert_true (dsl_reminder_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (again), ==, 1);
  g_assert_true (dsl_reminder_store_was_reminded (again, LINK_A, expires));
  g_assert_true (dsl_reminder_store_was_reminded (again, LINK_A, same_utc));
  g_assert_false (dsl_reminder_store_was_reminded (again, LINK_B, expires));
  g_assert_false (dsl_reminder_store_was_reminded (again, LINK_A, NULL));
  g_assert_nonnull (dsl_reminder_store_get_last_scan (again));
  g_assert_cmpint (g_date_time_to_unix (dsl_reminder_store_get_last_scan (again)), ==,
                   g_date_time_to_unix (scan));
}

/* A link extended after its reminder may be reminded again for its new expiry, once. */
static void
test_new_expiry (void)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(GDateTime) now = date ("2026-12-04T12:00:00Z");
  g_autoptr(GDateTime) first = date ("2026-12-05T06:00:00Z");
  g_autoptr(GDateTime) second = date ("2026-12-12T06:00:00Z");

  dsl_reminder_store_mark_reminded (store, LINK_A, first, now);
  g_assert_true (dsl_reminder_store_was_reminded (store, LINK_A, first));
  g_assert_false (dsl_reminder_store_was_reminded (store, LINK_A, second));

  dsl_reminder_store_mark_reminded (store, LINK_A, second, now);
  g_assert_true (dsl_reminder_store_was_reminded (store, LINK_A, second));
  g_assert_false (dsl_reminder_store_was_reminded (store, LINK_A, first));
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (store), ==, 1);
}

static void
test_prune (void)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(DslReminderStore) again = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(GDateTime) now = date ("2026-12-04T12:00:00Z");
  g_autoptr(GDateTime) long_ago = date ("2026-10-01T12:00:00Z");   /* 64 days back */
  g_autoptr(GDateTime) recent = date ("2026-11-20T12:00:00Z");     /* 14 days back */
  g_autoptr(GError) error = NULL;

  dsl_reminder_store_mark_reminded (store, LINK_A, long_ago, long_ago);
  dsl_reminder_store_mark_reminded (store, LINK_B, recent, recent);
  g_assert_cmpuint (dsl_reminder_store_prune (store, now), ==, 1);
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (store), ==, 1);
  g_assert_false (dsl_reminder_store_was_reminded (store, LINK_A, long_ago));
  g_assert_true (dsl_reminder_store_was_reminded (store, LINK_B, recent));
  g_assert_cmpuint (dsl_reminder_store_prune (store, now), ==, 0);

  g_assert_true (dsl_reminder_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_true (dsl_reminder_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (again), ==, 1);
}

static void
test_corrupt (void)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(GDateTime) now = date ("2026-12-04T12:00:00Z");
  g_autoptr(GDateTime) expires = date ("2026-12-05T06:00:00Z");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GDir) listing = NULL;
  const char *name;
  gboolean aside = FALSE;

  dsl_reminder_store_mark_reminded (store, LINK_A, expires, now);
  g_assert_true (dsl_reminder_store_save (store, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (dsl_reminder_store_get_path (store), "{\"format\": ", -1,
                                      &error));

  g_assert_false (dsl_reminder_store_load (store, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, ".corrupt-"));
  g_clear_error (&error);
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (store), ==, 0);
  g_assert_false (g_file_test (dsl_reminder_store_get_path (store), G_FILE_TEST_EXISTS));

  dir = g_path_get_dirname (dsl_reminder_store_get_path (store));
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (listing)) != NULL)
    aside = aside || strstr (name, ".json.corrupt-") != NULL;
  g_assert_true (aside);

  /* The store goes on working. */
  g_assert_true (dsl_reminder_store_save (store, &error));
  g_assert_no_error (error);
}

/* A record that cannot be read is skipped; the others are kept. */
static void
test_bad_record (void)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(GDateTime) expires = date ("2026-12-05T06:00:00Z");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (dsl_reminder_store_get_path (store));
  const char *text =
    "{\"format\": \"docspace-links-reminders\", \"version\": 1, \"reminded\": ["
    " {\"link-id\": \"" LINK_A "\", \"expires\": \"2026-12-05T09:00:00+03:00\"},"
    " {\"link-id\": \"" LINK_B "\", \"expires\": \"tomorrow\"},"
    " {\"expires\": \"2026-12-05T06:00:00Z\"}, 17]}";

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (dsl_reminder_store_get_path (store), text, -1, &error));
  g_assert_true (dsl_reminder_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (store), ==, 1);
  g_assert_true (dsl_reminder_store_was_reminded (store, LINK_A, expires));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/dsl/reminder-store/due", test_due);
  g_test_add_func ("/dsl/reminder-store/path", test_path);
  g_test_add_func ("/dsl/reminder-store/round-trip", test_round_trip);
  g_test_add_func ("/dsl/reminder-store/new-expiry", test_new_expiry);
  g_test_add_func ("/dsl/reminder-store/prune", test_prune);
  g_test_add_func ("/dsl/reminder-store/corrupt", test_corrupt);
  g_test_add_func ("/dsl/reminder-store/bad-record", test_bad_record);

  return g_test_run ();
}

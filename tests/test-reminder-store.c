/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-reminder-store.c: dsl-reminder-store, the record of expiry reminders sent.
 *
 *   fixed dates (never the clock) ──► dsl_reminder_expiry_is_due / the store ──► save ──►
 *   a fresh store loads the file ──► what it says was reminded, asserted; the file itself read
 *
 * G_TEST_OPTION_ISOLATE_DIRS gives every test its own XDG data directory. */
#include "dsl-reminder-store.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void
write_file (DslReminderStore *store,
            const char       *text)
{
  g_autofree char *dir = g_path_get_dirname (dsl_reminder_store_get_path (store));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (dsl_reminder_store_get_path (store), text, -1, &error));
  g_assert_no_error (error);
}

static void
assert_problems (DslReminderStore   *store,
                 const char * const *expected)
{
  const char * const *problems = dsl_reminder_store_get_load_problems (store);
  guint i;

  g_assert_nonnull (problems);
  for (i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (problems[i], ==, expected[i]);
  g_assert_cmpstr (problems[i], ==, NULL);
}

/* The one file moved aside next to the store's path (removed), and its text. */
static char *
take_aside (DslReminderStore *store)
{
  g_autofree char *dir = g_path_get_dirname (dsl_reminder_store_get_path (store));
  g_autofree char *base = g_path_get_basename (dsl_reminder_store_get_path (store));
  g_autofree char *prefix = g_strconcat (base, ".corrupt-", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  char *text = NULL;
  const char *name;
  guint found = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, prefix))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        found++;
        g_file_get_contents (path, &text, NULL, NULL);
        g_remove (path);
      }
  g_assert_cmpuint (found, ==, 1);
  return text;
}

#define GOOD "{\"link-id\": \"" LINK_A "\", \"expires\": \"2026-12-05T06:00:00Z\", " \
             "\"reminded-at\": \"2026-12-04T12:00:00Z\"}"

/* Each kind of damaged record among good ones: skipped and reported, no CRITICAL (fatal under
 * g_test_init), the good ones kept; the lone surrogate's id made valid, surviving a save. */
static void
test_damaged_records (void)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(DslReminderStore) again = NULL;
  g_autoptr(GDateTime) expires = date ("2026-12-05T06:00:00Z");
  g_autoptr(GDateTime) scan = date ("2026-12-04T11:00:00Z");
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  const char * const expected[] = {
    "record 2: “link-id” is not text",
    "record 3: “link-id” is not text",
    "record 4: “expires” is not a date the app can use",
    "record 5: “expires” is not text",
    "record 6: “reminded-at” is not a date the app can use",
    "record 7: it is not an object",
    "Some text in the reminder file was not valid UTF-8; the characters that could not be read "
    "were replaced",
    NULL
  };

  write_file (store,
    "{\"format\": \"docspace-links-reminders\", \"version\": 1,"
    " \"last-scan\": \"2026-12-04T11:00:00Z\", \"reminded\": [" GOOD ","
    " {\"link-id\": 5, \"expires\": \"2026-12-05T06:00:00Z\"},"
    " {\"link-id\": {\"id\": \"x\"}, \"expires\": \"2026-12-05T06:00:00Z\"},"
    " {\"link-id\": \"c\", \"expires\": \"9999-12-31T23:59:59-23:59\"},"
    " {\"link-id\": \"d\", \"expires\": {}},"
    " {\"link-id\": \"e\", \"expires\": \"2026-12-05T06:00:00Z\","
    "  \"reminded-at\": \"9999-12-31T23:59:59-23:59\"},"
    " [],"
    " {\"link-id\": \"x\\ud800y\", \"expires\": \"2026-12-05T06:00:00Z\"}]}");
  g_assert_true (dsl_reminder_store_load (store, &error));
  g_assert_no_error (error);
  assert_problems (store, expected);
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (store), ==, 2);
  g_assert_true (dsl_reminder_store_was_reminded (store, LINK_A, expires));
  g_assert_true (dsl_reminder_store_was_reminded (store, "x\xef\xbf\xbdy", expires));
  g_assert_true (g_date_time_equal (dsl_reminder_store_get_last_scan (store), scan));

  g_assert_true (dsl_reminder_store_save (store, &error));
  g_assert_no_error (error);
  saved = read_text (dsl_reminder_store_get_path (store));
  g_assert_true (g_utf8_validate (saved, -1, NULL));
  again = dsl_reminder_store_new (ACCOUNT);
  g_assert_true (dsl_reminder_store_load (again, &error));
  g_assert_no_error (error);
  assert_problems (again, (const char * const[]) { NULL });
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (again), ==, 2);
  g_assert_true (dsl_reminder_store_was_reminded (again, "x\xef\xbf\xbdy", expires));
}

/* A "last-scan" with no UTC equivalent: reported, never scanned; the records are kept. */
static void
test_damaged_last_scan (void)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(GError) error = NULL;

  write_file (store, "{\"format\": \"docspace-links-reminders\", \"version\": 1,"
                     " \"last-scan\": \"9999-12-31T23:59:59-23:59\", \"reminded\": [" GOOD "]}");
  g_assert_true (dsl_reminder_store_load (store, &error));
  g_assert_no_error (error);
  assert_problems (store, (const char * const[]) {
                     "“last-scan” is not a date the app can use", NULL });
  g_assert_null (dsl_reminder_store_get_last_scan (store));
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (store), ==, 1);
}

/* Not a reminder file: moved aside, reported, the store empty and working. */
static void
check_moved_aside (const char *text,
                   const char *reason)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;
  const char * const *problems;

  write_file (store, text);
  g_assert_false (dsl_reminder_store_load (store, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, reason));
  g_assert_nonnull (strstr (error->message, ".corrupt-"));
  problems = dsl_reminder_store_get_load_problems (store);
  g_assert_cmpstr (problems[0], ==, error->message);
  g_assert_null (problems[1]);
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (store), ==, 0);
  g_assert_false (g_file_test (dsl_reminder_store_get_path (store), G_FILE_TEST_EXISTS));
  aside = take_aside (store);
  g_assert_cmpstr (aside, ==, text);
  g_clear_error (&error);
  g_assert_true (dsl_reminder_store_save (store, &error));
  g_assert_no_error (error);
}

static void
test_not_a_reminder_file (void)
{
  GString *deep = g_string_new ("{\"format\": \"docspace-links-reminders\", \"reminded\": ");
  GString *many = g_string_new ("{\"format\": \"docspace-links-reminders\", \"reminded\": [");

  check_moved_aside ("<html>502 Bad Gateway</html>", "not valid JSON");
  check_moved_aside ("{\"format\": {}, \"reminded\": []}", "not a reminder file");
  check_moved_aside ("[\"docspace-links-reminders\"]", "not a reminder file");
  check_moved_aside ("{\"format\": \"docspace-links-reminders\", \"version\": \"2\"}",
                     "version");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  check_moved_aside (deep->str, "deeper than");
  for (guint i = 0; i < 100001; i++)
    g_string_append (many, i == 0 ? "1" : ",1");
  g_string_append (many, "]}");
  check_moved_aside (many->str, "100001 records");
  g_string_free (deep, TRUE);
  g_string_free (many, TRUE);
}

/* Over DSL_STATE_FILE_MAX_SIZE (sparse, so quick): refused without reading it, moved aside. */
static void
test_huge (void)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(GError) error = NULL;
  g_autofree char *aside = NULL;
  int fd;

  write_file (store, "{");
  fd = g_open (dsl_reminder_store_get_path (store), O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 17 * 1024 * 1024), ==, 0);
  close (fd);
  g_assert_false (dsl_reminder_store_load (store, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_assert_cmpstr (dsl_reminder_store_get_load_problems (store)[0], ==, error->message);
  g_assert_cmpuint (dsl_reminder_store_get_n_entries (store), ==, 0);
  aside = take_aside (store);
}

/* A newer version's file: read as far as this version can; a save leaves its bytes alone. */
static void
test_newer_version (void)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(GDateTime) expires = date ("2026-12-05T06:00:00Z");
  g_autoptr(GDateTime) now = date ("2026-12-04T12:00:00Z");
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  const char *text =
    "{\"format\": \"docspace-links-reminders\", \"version\": 2, \"snoozed\": {\"x\": 1},"
    " \"reminded\": [" GOOD ", {\"link-id\": \"b\", \"expires\": 1764928800}]}";

  write_file (store, text);
  g_assert_true (dsl_reminder_store_load (store, &error));
  g_assert_no_error (error);
  assert_problems (store, (const char * const[]) {
                     "The reminder file was written by a newer version of DocSpace Links: it is "
                     "read as far as this version can, and not changed",
                     "record 2: “expires” is not text", NULL });
  g_assert_true (dsl_reminder_store_was_reminded (store, LINK_A, expires));

  dsl_reminder_store_mark_reminded (store, LINK_B, expires, now);
  g_assert_false (dsl_reminder_store_save (store, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message,
                            "written by a newer version of DocSpace Links; not overwritten"));
  after = read_text (dsl_reminder_store_get_path (store));
  g_assert_cmpstr (after, ==, text);
}

/* A file that cannot be read (here a folder in its place) is never replaced unread. */
static void
test_unreadable (void)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new (ACCOUNT);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dsl_reminder_store_get_path (store), 0700), ==, 0);
  g_assert_false (dsl_reminder_store_load (store, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (dsl_reminder_store_get_load_problems (store)[0], ==, error->message);
  g_clear_error (&error);
  g_assert_false (dsl_reminder_store_save (store, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_assert_true (g_file_test (dsl_reminder_store_get_path (store), G_FILE_TEST_IS_DIR));
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
  g_test_add_func ("/dsl/reminder-store/damaged-records", test_damaged_records);
  g_test_add_func ("/dsl/reminder-store/damaged-last-scan", test_damaged_last_scan);
  g_test_add_func ("/dsl/reminder-store/not-a-reminder-file", test_not_a_reminder_file);
  g_test_add_func ("/dsl/reminder-store/huge", test_huge);
  g_test_add_func ("/dsl/reminder-store/newer-version", test_newer_version);
  g_test_add_func ("/dsl/reminder-store/unreadable", test_unreadable);

  return g_test_run ();
}

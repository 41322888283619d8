/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-link-form.c: dsl-link-form, the GTK-free rules of the link form and the link rows.
 *
 *   fixed `now` (named or fixed-offset zones, never the clock) ──► dsl_link_* / dsl_expiry_* ──►
 *   the dates, error codes, words and names, asserted
 *
 * The program never calls setlocale (), so it runs in the C locale: strings are untranslated
 * and month and day names are English. */
#include "dsl-link-form.h"

#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Helpers */

static GTimeZone *
zone (const char *identifier)
{
  GTimeZone *tz = g_time_zone_new_identifier (identifier);

  /* NULL means no tzdata (or a typo): the test would silently run in UTC otherwise. */
  g_assert_nonnull (tz);
  return tz;
}

static GDateTime *
at (const char *zone_id,
    int         year,
    int         month,
    int         day,
    int         hour,
    int         minute,
    double      seconds)
{
  g_autoptr(GTimeZone) tz = zone (zone_id);
  GDateTime *date = g_date_time_new (tz, year, month, day, hour, minute, seconds);

  g_assert_nonnull (date);
  return date;
}

static void
assert_date (GDateTime  *date,
             const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (date);
  text = g_date_time_format_iso8601 (date);
  g_assert_cmpstr (text, ==, expected);
}

static DslItem *
item_new (DslItemKind kind,
          DslRoomType room_type,
          gboolean    can_share)
{
  return g_object_new (DSL_TYPE_ITEM,
                       "kind", kind,
                       "id", "42",
                       "title", "Item",
                       "room-type", room_type,
                       "can-share", can_share,
                       NULL);
}

/* A link state that passes every check for a file without share rights. */
static DslLink *
valid_state (GDateTime *now)
{
  DslLink *link = dsl_link_new ();
  g_autoptr(GDateTime) expiry = g_date_time_add_days (now, 7);

  dsl_link_set_title (link, "Link 1");
  dsl_link_set_access (link, DSL_ACCESS_READ);
  dsl_link_set_expiration_date (link, expiry);
  return link;
}

static char *
repeat (const char *unit,
        guint       times)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static void
assert_expiry_words (GDateTime  *expiry,
                     gboolean    is_expired,
                     GDateTime  *now,
                     const char *expected)
{
  g_autofree char *words = dsl_link_describe_expiry (expiry, is_expired, now);

  g_assert_cmpstr (words, ==, expected);
}

/* now + seconds, described */
static void
assert_expiry_in (GDateTime  *now,
                  gint64      seconds,
                  const char *expected)
{
  g_autoptr(GDateTime) expiry = g_date_time_add_seconds (now, (double) seconds);

  assert_expiry_words (expiry, FALSE, now, expected);
}

static void
assert_skipped (DslLink           *sent,
                DslLink           *stored,
                const char * const *expected)
{
  g_auto(GStrv) names = dsl_link_form_skipped_changes (sent, stored);

  if (expected == NULL)
    {
      g_assert_null (names);
      return;
    }

  g_assert_nonnull (names);
  g_assert_cmpstrv (names, expected);
}

/* ------------------------------------------------------------------------------------------ */
/* Expiry presets */

static void
test_preset_labels (void)
{
  g_assert_cmpstr (dsl_expiry_preset_label (DSL_EXPIRY_PRESET_12_HOURS), ==, "12 hours");
  g_assert_cmpstr (dsl_expiry_preset_label (DSL_EXPIRY_PRESET_1_DAY), ==, "1 day");
  g_assert_cmpstr (dsl_expiry_preset_label (DSL_EXPIRY_PRESET_7_DAYS), ==, "7 days");
  g_assert_cmpstr (dsl_expiry_preset_label (DSL_EXPIRY_PRESET_30_DAYS), ==, "30 days");
  g_assert_cmpstr (dsl_expiry_preset_label (DSL_EXPIRY_PRESET_NEVER), ==, "Never");
  g_assert_cmpstr (dsl_expiry_preset_label (DSL_EXPIRY_PRESET_CUSTOM), ==, "Custom…");
  g_assert_cmpint (DSL_N_EXPIRY_PRESETS, ==, 6);
}

static void
test_preset_dates (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 30);
  g_autoptr(GDateTime) h12 = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_12_HOURS, now);
  g_autoptr(GDateTime) d1 = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_1_DAY, now);
  g_autoptr(GDateTime) d7 = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_7_DAYS, now);
  g_autoptr(GDateTime) d30 = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_30_DAYS, now);

  assert_date (h12, "2026-05-13T02:05:30+02");
  assert_date (d1, "2026-05-13T14:05:30+02");
  assert_date (d7, "2026-05-19T14:05:30+02");
  assert_date (d30, "2026-06-11T14:05:30+02");

  /* In `now`'s zone, not converted to UTC or local time. */
  g_assert_cmpstr (g_time_zone_get_identifier (g_date_time_get_timezone (d30)), ==,
                   "Europe/Berlin");

  g_assert_null (dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_NEVER, now));
  g_assert_null (dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_CUSTOM, now));
}

static void
test_preset_fixed_offset (void)
{
  g_autoptr(GDateTime) now = at ("+05:30", 2026, 12, 31, 20, 0, 0);
  g_autoptr(GDateTime) h12 = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_12_HOURS, now);
  g_autoptr(GDateTime) d1 = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_1_DAY, now);

  assert_date (h12, "2027-01-01T08:00:00+05:30");
  assert_date (d1, "2027-01-01T20:00:00+05:30");
}

/* Across the spring-forward night: days keep the wall-clock time, hours keep elapsed time. */
static void
test_preset_dst (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 3, 28, 14, 0, 0);
  g_autoptr(GDateTime) h12 = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_12_HOURS, now);
  g_autoptr(GDateTime) d1 = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_1_DAY, now);

  assert_date (h12, "2026-03-29T03:00:00+02");
  g_assert_cmpint (g_date_time_difference (h12, now), ==, 12 * G_TIME_SPAN_HOUR);
  assert_date (d1, "2026-03-29T14:00:00+02");
  g_assert_cmpint (g_date_time_difference (d1, now), ==, 23 * G_TIME_SPAN_HOUR);
}

/* ------------------------------------------------------------------------------------------ */
/* Validation */

/* Each code with the words shown next to the field (the header promises them). */
static void
test_error_messages (void)
{
  g_autoptr(GDateTime) now = at ("UTC", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) far = g_date_time_add_years (now, 11);
  g_autoptr(DslItem) item = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslLink) state = valid_state (now);
  g_autofree char *long_title = repeat ("a", 256);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GError) e4 = NULL;
  g_autoptr(GError) e5 = NULL;
  g_autoptr(GError) e6 = NULL;
  g_autoptr(GError) e7 = NULL;
  g_autoptr(GError) e8 = NULL;

  g_assert_false (dsl_link_form_check_title ("", &e1));
  g_assert_error (e1, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_TITLE_EMPTY);
  g_assert_cmpstr (e1->message, ==, "Enter a name for the link");

  g_assert_false (dsl_link_form_check_title (long_title, &e2));
  g_assert_error (e2, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_TITLE_TOO_LONG);
  g_assert_cmpstr (e2->message, ==, "The name can have at most 255 characters");

  g_assert_false (dsl_link_form_check_expiry (now, now, &e3));
  g_assert_error (e3, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_EXPIRY_PAST);
  g_assert_cmpstr (e3->message, ==, "Choose a time in the future");

  g_assert_false (dsl_link_form_check_expiry (far, now, &e4));
  g_assert_error (e4, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_EXPIRY_TOO_FAR);
  g_assert_cmpstr (e4->message, ==, "Choose a date at most 10 years ahead");

  g_assert_false (dsl_link_form_check_password ("", &e5));
  g_assert_error (e5, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_PASSWORD_EMPTY);
  g_assert_cmpstr (e5->message, ==, "Enter a password or turn the password off");

  g_assert_false (dsl_link_form_check_password ("short", &e6));
  g_assert_error (e6, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_PASSWORD_LENGTH);
  g_assert_cmpstr (e6->message, ==, "The password needs 8 to 30 characters");

  g_assert_false (dsl_link_form_check_password ("with space", &e7));
  g_assert_error (e7, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  g_assert_cmpstr (e7->message, ==, "Use only Latin letters, digits and symbols, no spaces");

  dsl_link_set_access (state, DSL_ACCESS_ROOM_MANAGER);
  g_assert_false (dsl_link_form_check (item, state, now, &e8));
  g_assert_error (e8, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_ACCESS);
  g_assert_cmpstr (e8->message, ==, "This access is not available for this item");

  /* A domain of its own, registered once. */
  g_assert_cmpstr (g_quark_to_string (DSL_LINK_FORM_ERROR), ==, "dsl-link-form-error-quark");
}

static void
assert_title (const char *title,
              int         code) /* -1: valid */
{
  g_autoptr(GError) error = NULL;
  gboolean ok = dsl_link_form_check_title (title, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, DSL_LINK_FORM_ERROR, code);
      g_assert_false (ok);
    }
}

static void
test_title_empty (void)
{
  assert_title (NULL, DSL_LINK_FORM_ERROR_TITLE_EMPTY);
  assert_title ("", DSL_LINK_FORM_ERROR_TITLE_EMPTY);
  assert_title ("   ", DSL_LINK_FORM_ERROR_TITLE_EMPTY);
  assert_title ("\t\n ", DSL_LINK_FORM_ERROR_TITLE_EMPTY);
  /* No-break space and ideographic space are white space too. */
  assert_title ("\xc2\xa0\xe3\x80\x80", DSL_LINK_FORM_ERROR_TITLE_EMPTY);

  assert_title ("x", -1);
  assert_title ("  Link for the auditors  ", -1);
  assert_title ("Ссылка", -1);
}

/* 255 characters, not bytes: two- and four-byte characters count once. */
static void
test_title_length (void)
{
  struct { const char *unit; gsize bytes; } units[] = {
    { "a", 1 },
    { "é", 2 },                 /* U+00E9 */
    { "€", 3 },                 /* U+20AC */
    { "\xf0\x9f\x98\x80", 4 },  /* U+1F600 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      g_autofree char *t255 = repeat (units[i].unit, 255);
      g_autofree char *t256 = repeat (units[i].unit, 256);

      g_assert_cmpuint (strlen (t255), ==, 255 * units[i].bytes);
      assert_title (t255, -1);
      assert_title (t256, DSL_LINK_FORM_ERROR_TITLE_TOO_LONG);
    }

  /* Counted as given: a surrounding space counts. */
  {
    g_autofree char *body = repeat ("a", 255);
    g_autofree char *padded = g_strconcat (" ", body, NULL);

    assert_title (padded, DSL_LINK_FORM_ERROR_TITLE_TOO_LONG);
  }
}

static void
assert_expiry (GDateTime *expiry,
               GDateTime *now,
               int        code) /* -1: valid */
{
  g_autoptr(GError) error = NULL;
  gboolean ok = dsl_link_form_check_expiry (expiry, now, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, DSL_LINK_FORM_ERROR, code);
      g_assert_false (ok);
    }
}

static void
test_expiry_now (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) plus_1s = g_date_time_add_seconds (now, 1);
  g_autoptr(GDateTime) minus_1s = g_date_time_add_seconds (now, -1);
  g_autoptr(GDateTime) last_year = g_date_time_add_years (now, -1);

  assert_expiry (NULL, now, -1);
  assert_expiry (now, now, DSL_LINK_FORM_ERROR_EXPIRY_PAST);
  assert_expiry (minus_1s, now, DSL_LINK_FORM_ERROR_EXPIRY_PAST);
  assert_expiry (last_year, now, DSL_LINK_FORM_ERROR_EXPIRY_PAST);
  assert_expiry (plus_1s, now, -1);
}

/* Instants are compared, not wall-clock times: 17:34 in +05:30 is before 12:05 UTC. */
static void
test_expiry_other_zone (void)
{
  g_autoptr(GDateTime) now = at ("UTC", 2026, 5, 12, 12, 5, 0);
  g_autoptr(GDateTime) before = at ("+05:30", 2026, 5, 12, 17, 34, 0);
  g_autoptr(GDateTime) after = at ("-04:00", 2026, 5, 12, 8, 6, 0);

  assert_expiry (before, now, DSL_LINK_FORM_ERROR_EXPIRY_PAST);
  assert_expiry (after, now, -1);
}

static void
test_expiry_ten_years (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) ten = at ("Europe/Berlin", 2036, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) ten_1s = g_date_time_add_seconds (ten, 1);
  g_autoptr(GDateTime) ten_1m = g_date_time_add_minutes (ten, 1);
  g_autoptr(GDateTime) nine = at ("Europe/Berlin", 2035, 12, 31, 23, 59, 0);
  g_autoptr(GDateTime) leap_now = at ("UTC", 2028, 2, 29, 10, 0, 0);
  g_autoptr(GDateTime) leap_ten = at ("UTC", 2038, 2, 28, 10, 0, 0);
  g_autoptr(GDateTime) leap_ten_1m = g_date_time_add_minutes (leap_ten, 1);

  assert_expiry (nine, now, -1);
  assert_expiry (ten, now, -1);
  assert_expiry (ten_1s, now, DSL_LINK_FORM_ERROR_EXPIRY_TOO_FAR);
  assert_expiry (ten_1m, now, DSL_LINK_FORM_ERROR_EXPIRY_TOO_FAR);

  /* From 29 February, ten years ahead is 28 February. */
  assert_expiry (leap_ten, leap_now, -1);
  assert_expiry (leap_ten_1m, leap_now, DSL_LINK_FORM_ERROR_EXPIRY_TOO_FAR);
}

static void
assert_password (const char *password,
                 int         code) /* -1: valid */
{
  g_autoptr(GError) error = NULL;
  gboolean ok = dsl_link_form_check_password (password, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, DSL_LINK_FORM_ERROR, code);
      g_assert_false (ok);
    }
}

static void
test_password_length (void)
{
  g_autofree char *p7 = repeat ("a", 7);
  g_autofree char *p8 = repeat ("a", 8);
  g_autofree char *p30 = repeat ("Z", 30);
  g_autofree char *p31 = repeat ("Z", 31);

  assert_password (NULL, DSL_LINK_FORM_ERROR_PASSWORD_EMPTY);
  assert_password ("", DSL_LINK_FORM_ERROR_PASSWORD_EMPTY);
  assert_password ("x", DSL_LINK_FORM_ERROR_PASSWORD_LENGTH);
  assert_password (p7, DSL_LINK_FORM_ERROR_PASSWORD_LENGTH);
  assert_password (p8, -1);
  assert_password (p30, -1);
  assert_password (p31, DSL_LINK_FORM_ERROR_PASSWORD_LENGTH);
}

static void
test_password_chars (void)
{
  /* Every printable ASCII character 0x21..0x7E is allowed (in 30-character pieces). */
  for (int start = 0x21; start <= 0x7e; start += 30)
    {
      char piece[31];
      int n = 0;

      for (int c = start; c <= 0x7e && n < 30; c++)
        piece[n++] = (char) c;
      while (n < 8)
        piece[n++] = 'a';
      piece[n] = '\0';
      assert_password (piece, -1);
    }

  assert_password ("pass word", DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  assert_password (" password", DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  assert_password ("password\t", DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  assert_password ("pass\x7fword", DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  assert_password ("pässwörd1", DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  assert_password ("пароль123", DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  /* Characters are checked before the length: 7 characters with a space, 7 non-ASCII
   * characters (14 bytes), 31 characters with a non-ASCII one. */
  assert_password ("abc def", DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  assert_password ("ééééééé", DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  {
    g_autofree char *body = repeat ("a", 30);
    g_autofree char *p31 = g_strconcat (body, "é", NULL);

    assert_password (p31, DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Generated passwords */

/* What a portal accepts when it cuts the allowed set down ("web:password:ascii:cut"). */
#define CUT_ALLOWED "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
                    "!\"#$%&()*+,.:;<>?@^_{}~"
#define CUT_SYMBOLS "!\"#$%&()*+,.:;<>?@^_{}~"

static void
test_generate_password (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[128] = { 0 };
  guint distinct_chars = 0;

  for (guint i = 0; i < 100; i++)
    {
      char *password = dsl_link_form_generate_password ();
      g_autoptr(GError) error = NULL;
      gboolean upper = FALSE, lower = FALSE, digit = FALSE, symbol = FALSE;

      g_assert_nonnull (password);
      g_assert_cmpuint (strlen (password), ==, 16);
      g_assert_true (dsl_link_form_check_password (password, &error));
      g_assert_no_error (error);

      for (const char *p = password; *p != '\0'; p++)
        {
          g_assert_nonnull (strchr (CUT_ALLOWED, *p));
          /* No look-alikes. */
          g_assert_null (strchr ("0O1lI", *p));
          upper |= g_ascii_isupper (*p);
          lower |= g_ascii_islower (*p);
          digit |= g_ascii_isdigit (*p);
          symbol |= strchr (CUT_SYMBOLS, *p) != NULL;
          counts[(guchar) *p]++;
        }
      g_assert_true (upper);
      g_assert_true (lower);
      g_assert_true (digit);
      g_assert_true (symbol);

      /* All different. */
      g_assert_false (g_hash_table_contains (seen, password));
      g_hash_table_add (seen, g_strdup (password));
      dsl_link_form_free_password (password);
    }

  /* 1,600 characters drawn: every letter, digit and symbol of the alphabet turns up (each is
   * expected about 22 times; a missing one would mean a biased or truncated draw). */
  for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
    distinct_chars += counts[c] > 0;
  g_assert_cmpuint (distinct_chars, ==, 24 + 25 + 8 + 14);
  for (const char *p = "ABHZahkz29!~"; *p != '\0'; p++)
    g_assert_cmpuint (counts[(guchar) *p], >, 0);

  dsl_link_form_free_password (NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* A whole link state */

static void
assert_state (DslItem   *item,
              DslLink   *state,
              GDateTime *now,
              int        code) /* -1: valid */
{
  g_autoptr(GError) error = NULL;
  gboolean ok = dsl_link_form_check (item, state, now, &error);

  if (code < 0)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_error (error, DSL_LINK_FORM_ERROR, code);
      g_assert_false (ok);
    }
}

/* Everything wrong at once: the errors come title, expiry, password, access. */
static void
test_check_order (void)
{
  g_autoptr(GDateTime) now = at ("UTC", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) past = g_date_time_add_hours (now, -1);
  g_autoptr(GDateTime) future = g_date_time_add_hours (now, 1);
  g_autoptr(DslItem) item = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslLink) state = dsl_link_new ();

  dsl_link_set_title (state, "  ");
  dsl_link_set_expiration_date (state, past);
  dsl_link_set_password (state, "short");
  dsl_link_set_access (state, DSL_ACCESS_NONE);

  assert_state (item, state, now, DSL_LINK_FORM_ERROR_TITLE_EMPTY);
  dsl_link_set_title (state, "Auditors");
  assert_state (item, state, now, DSL_LINK_FORM_ERROR_EXPIRY_PAST);
  dsl_link_set_expiration_date (state, future);
  assert_state (item, state, now, DSL_LINK_FORM_ERROR_PASSWORD_LENGTH);
  dsl_link_set_password (state, "long enough");
  assert_state (item, state, now, DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
  dsl_link_set_password (state, "long-enough");
  assert_state (item, state, now, DSL_LINK_FORM_ERROR_ACCESS);
  dsl_link_set_access (state, DSL_ACCESS_READ);
  assert_state (item, state, now, -1);
}

static void
test_check_optional_fields (void)
{
  g_autoptr(GDateTime) now = at ("UTC", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) too_far = g_date_time_add_years (now, 20);
  g_autoptr(DslItem) item = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslLink) state = valid_state (now);
  g_autofree char *long_title = repeat ("é", 256);

  /* No password and no expiry are fine. */
  dsl_link_set_password (state, NULL);
  assert_state (item, state, now, -1);
  dsl_link_set_password (state, "");
  assert_state (item, state, now, -1);
  dsl_link_set_expiration_date (state, NULL);
  assert_state (item, state, now, -1);

  /* Each field on its own. */
  dsl_link_set_expiration_date (state, too_far);
  assert_state (item, state, now, DSL_LINK_FORM_ERROR_EXPIRY_TOO_FAR);
  dsl_link_set_expiration_date (state, NULL);
  dsl_link_set_title (state, long_title);
  assert_state (item, state, now, DSL_LINK_FORM_ERROR_TITLE_TOO_LONG);
  dsl_link_set_title (state, "Link");
  dsl_link_set_password (state, "Kennwort mit Leerzeichen");
  assert_state (item, state, now, DSL_LINK_FORM_ERROR_PASSWORD_CHARS);
}

/* The primary link of a Public or Form-filling room itself never expires: its date is not
 * checked. Every other link's is. */
static void
test_check_primary_expiry (void)
{
  g_autoptr(GDateTime) now = at ("UTC", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) past = g_date_time_add_days (now, -3);
  g_autoptr(DslItem) public_room = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_PUBLIC, TRUE);
  g_autoptr(DslItem) form_room = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_FILLING_FORMS, TRUE);
  g_autoptr(DslItem) custom_room = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_CUSTOM, TRUE);
  g_autoptr(DslItem) file = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslLink) primary = valid_state (now);
  g_autoptr(DslLink) by_subject = valid_state (now);
  g_autoptr(DslLink) additional = valid_state (now);

  dsl_link_set_primary (primary, TRUE);
  dsl_link_set_expiration_date (primary, past);
  /* Primary by subject type alone (as a FileShareDto may say). */
  dsl_link_set_subject_type (by_subject, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK);
  dsl_link_set_expiration_date (by_subject, past);
  dsl_link_set_expiration_date (additional, past);

  assert_state (public_room, primary, now, -1);
  assert_state (public_room, by_subject, now, -1);
  assert_state (form_room, primary, now, -1);
  assert_state (public_room, additional, now, DSL_LINK_FORM_ERROR_EXPIRY_PAST);
  assert_state (custom_room, primary, now, DSL_LINK_FORM_ERROR_EXPIRY_PAST);
  assert_state (file, primary, now, DSL_LINK_FORM_ERROR_EXPIRY_PAST);

  /* The title is still checked there. */
  dsl_link_set_title (primary, "");
  assert_state (public_room, primary, now, DSL_LINK_FORM_ERROR_TITLE_EMPTY);
}

static void
test_check_access_rights (void)
{
  g_autoptr(GDateTime) now = at ("UTC", 2026, 5, 12, 14, 5, 0);
  g_autoptr(DslItem) file = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslLink) additional = valid_state (now);
  g_autoptr(DslLink) primary = valid_state (now);
  const DslAccess external[] = { DSL_ACCESS_READ, DSL_ACCESS_COMMENT, DSL_ACCESS_NONE };
  const DslAccess primary_rights[] = { DSL_ACCESS_READ };

  dsl_link_set_primary (primary, TRUE);
  dsl_item_set_share_rights (file, DSL_SUBJECT_TYPE_EXTERNAL_LINK, external,
                             G_N_ELEMENTS (external));

  dsl_link_set_access (additional, DSL_ACCESS_READ);
  assert_state (file, additional, now, -1);
  dsl_link_set_access (additional, DSL_ACCESS_COMMENT);
  assert_state (file, additional, now, -1);
  dsl_link_set_access (additional, DSL_ACCESS_EDITING);
  assert_state (file, additional, now, DSL_LINK_FORM_ERROR_ACCESS);
  /* Listed (the caller may delete), but 0 deletes: never a state to save. */
  dsl_link_set_access (additional, DSL_ACCESS_NONE);
  assert_state (file, additional, now, DSL_LINK_FORM_ERROR_ACCESS);

  /* No PrimaryExternalLink list: the primary link follows the ExternalLink one. */
  dsl_link_set_access (primary, DSL_ACCESS_COMMENT);
  assert_state (file, primary, now, -1);
  dsl_link_set_access (primary, DSL_ACCESS_EDITING);
  assert_state (file, primary, now, DSL_LINK_FORM_ERROR_ACCESS);

  /* With its own list, the primary link follows that one. */
  dsl_item_set_share_rights (file, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK, primary_rights,
                             G_N_ELEMENTS (primary_rights));
  dsl_link_set_access (primary, DSL_ACCESS_COMMENT);
  assert_state (file, primary, now, DSL_LINK_FORM_ERROR_ACCESS);
  dsl_link_set_access (primary, DSL_ACCESS_READ);
  assert_state (file, primary, now, -1);

  /* An empty list the server did send allows nothing ... */
  dsl_item_set_share_rights (file, DSL_SUBJECT_TYPE_EXTERNAL_LINK, external, 0);
  dsl_link_set_access (additional, DSL_ACCESS_READ);
  assert_state (file, additional, now, DSL_LINK_FORM_ERROR_ACCESS);
  /* ... unlike no list at all (NULL): then the roles links accept at all. */
  dsl_item_set_share_rights (file, DSL_SUBJECT_TYPE_EXTERNAL_LINK, NULL, 0);
  assert_state (file, additional, now, -1);
  dsl_link_set_access (additional, DSL_ACCESS_EDITING);
  assert_state (file, additional, now, -1);
}

/* Without availableShareRights, the roles §5 accepts for links at all. */
static void
test_check_access_without_rights (void)
{
  g_autoptr(GDateTime) now = at ("UTC", 2026, 5, 12, 14, 5, 0);
  g_autoptr(DslItem) room = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_CUSTOM, TRUE);
  g_autoptr(DslLink) external = valid_state (now);
  g_autoptr(DslLink) invitation = valid_state (now);
  const DslAccess ok_external[] = {
    DSL_ACCESS_READ, DSL_ACCESS_REVIEW, DSL_ACCESS_COMMENT, DSL_ACCESS_FILL_FORMS,
    DSL_ACCESS_EDITING,
  };
  const DslAccess bad_external[] = {
    DSL_ACCESS_NONE, DSL_ACCESS_READ_WRITE, DSL_ACCESS_RESTRICT, DSL_ACCESS_VARIES,
    DSL_ACCESS_CUSTOM_FILTER, DSL_ACCESS_ROOM_MANAGER, DSL_ACCESS_CONTENT_CREATOR,
  };
  const DslAccess invitation_rights[] = { DSL_ACCESS_ROOM_MANAGER };

  for (guint i = 0; i < G_N_ELEMENTS (ok_external); i++)
    {
      dsl_link_set_access (external, ok_external[i]);
      assert_state (room, external, now, -1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_external); i++)
    {
      dsl_link_set_access (external, bad_external[i]);
      assert_state (room, external, now, DSL_LINK_FORM_ERROR_ACCESS);
    }

  /* Invitation links carry room roles. */
  dsl_link_set_link_type (invitation, DSL_LINK_TYPE_INVITATION);
  dsl_link_set_subject_type (invitation, DSL_SUBJECT_TYPE_INVITATION_LINK);
  dsl_link_set_access (invitation, DSL_ACCESS_CONTENT_CREATOR);
  assert_state (room, invitation, now, -1);
  dsl_link_set_access (invitation, DSL_ACCESS_NONE);
  assert_state (room, invitation, now, DSL_LINK_FORM_ERROR_ACCESS);

  /* ... from the room type's table (FileSecurity.AvailableRoomAccesses), never from an
   * InvitationLink list (the server sends none), and never Room manager. */
  dsl_item_set_share_rights (room, DSL_SUBJECT_TYPE_INVITATION_LINK, invitation_rights,
                             G_N_ELEMENTS (invitation_rights));
  dsl_link_set_access (invitation, DSL_ACCESS_CONTENT_CREATOR);
  assert_state (room, invitation, now, -1);
  dsl_link_set_access (invitation, DSL_ACCESS_ROOM_MANAGER);
  assert_state (room, invitation, now, DSL_LINK_FORM_ERROR_ACCESS);
  dsl_link_set_access (invitation, DSL_ACCESS_FILL_FORMS);
  assert_state (room, invitation, now, DSL_LINK_FORM_ERROR_ACCESS);
}

/* ------------------------------------------------------------------------------------------ */
/* In words */

static void
test_describe_access (void)
{
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_READ), ==, "View only");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_REVIEW), ==, "Review");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_COMMENT), ==, "Comment");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_FILL_FORMS), ==, "Form filling");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_EDITING), ==, "Editing");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_NONE), ==, "No access");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_ROOM_MANAGER), ==, "Room manager");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_CONTENT_CREATOR), ==, "Content creator");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_READ_WRITE), ==, "Full access");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_RESTRICT), ==, "Custom access");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_VARIES), ==, "Custom access");
  g_assert_cmpstr (dsl_link_describe_access (DSL_ACCESS_CUSTOM_FILTER), ==, "Custom access");
  g_assert_cmpstr (dsl_link_describe_access ((DslAccess) 99), ==, "Custom access");
}

static void
test_describe_audience (void)
{
  g_assert_cmpstr (dsl_link_describe_audience (TRUE), ==, "Portal users only");
  g_assert_cmpstr (dsl_link_describe_audience (FALSE), ==, "Anyone with the link");
}

static void
test_expiry_words_never (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 0);

  assert_expiry_words (NULL, FALSE, now, "Never expires");
  assert_expiry_words (NULL, TRUE, now, "Expired");
}

static void
test_expiry_words_expired (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) morning = at ("Europe/Berlin", 2026, 5, 12, 9, 30, 0);
  g_autoptr(GDateTime) midnight = at ("Europe/Berlin", 2026, 5, 12, 0, 0, 0);
  g_autoptr(GDateTime) yesterday = at ("Europe/Berlin", 2026, 5, 11, 23, 59, 0);
  g_autoptr(GDateTime) april = at ("Europe/Berlin", 2026, 4, 7, 10, 0, 0);
  g_autoptr(GDateTime) april_12 = at ("Europe/Berlin", 2026, 4, 12, 14, 0, 0);
  g_autoptr(GDateTime) new_year = at ("Europe/Berlin", 2026, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) last_year = at ("Europe/Berlin", 2025, 5, 12, 10, 0, 0);
  g_autoptr(GDateTime) new_years_eve = at ("Europe/Berlin", 2025, 12, 31, 23, 59, 0);
  g_autoptr(GDateTime) later_today = at ("Europe/Berlin", 2026, 5, 12, 16, 0, 0);

  assert_expiry_words (now, FALSE, now, "Expired today at 14:05");
  assert_expiry_words (morning, FALSE, now, "Expired today at 09:30");
  assert_expiry_words (midnight, FALSE, now, "Expired today at 00:00");
  assert_expiry_words (yesterday, FALSE, now, "Expired on 11 May");
  assert_expiry_words (april, FALSE, now, "Expired on 7 April");
  /* The same day of another month is not today. */
  assert_expiry_words (april_12, FALSE, now, "Expired on 12 April");
  assert_expiry_words (new_year, FALSE, now, "Expired on 1 January");
  assert_expiry_words (last_year, FALSE, now, "Expired on 12 May 2025");
  assert_expiry_words (new_years_eve, FALSE, now, "Expired on 31 December 2025");
  /* The server says expired (its clock is ahead): believed. */
  assert_expiry_words (later_today, TRUE, now, "Expired today at 16:00");
  assert_expiry_words (later_today, FALSE, now, "Expires in 1 hour");
}

/* The expiry is shown in `now`'s zone: 23:30 UTC on 11 May is 01:30 on 12 May in Berlin. */
static void
test_expiry_words_expired_zone (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) utc = at ("UTC", 2026, 5, 11, 23, 30, 0);
  g_autoptr(GDateTime) utc_earlier = at ("UTC", 2026, 5, 11, 21, 30, 0);
  g_autoptr(GDateTime) now_tokyo = at ("Asia/Tokyo", 2026, 1, 1, 8, 0, 0);
  g_autoptr(GDateTime) utc_dec = at ("UTC", 2025, 12, 31, 22, 0, 0);

  assert_expiry_words (utc, FALSE, now, "Expired today at 01:30");
  assert_expiry_words (utc_earlier, FALSE, now, "Expired on 11 May");
  /* 22:00 UTC on 31 December 2025 is 07:00 on 1 January 2026 in Tokyo: today, this year. */
  assert_expiry_words (utc_dec, FALSE, now_tokyo, "Expired today at 07:00");
}

static void
test_expiry_words_minutes (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) half_second = g_date_time_add_seconds (now, 0.5);

  assert_expiry_words (half_second, FALSE, now, "Expires in less than a minute");
  assert_expiry_in (now, 1, "Expires in less than a minute");
  assert_expiry_in (now, 59, "Expires in less than a minute");
  assert_expiry_in (now, 60, "Expires in 1 minute");
  assert_expiry_in (now, 119, "Expires in 1 minute");
  assert_expiry_in (now, 120, "Expires in 2 minutes");
  assert_expiry_in (now, 10 * 60 + 59, "Expires in 10 minutes");
  assert_expiry_in (now, 59 * 60 + 59, "Expires in 59 minutes");
}

static void
test_expiry_words_hours (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) early = at ("Europe/Berlin", 2026, 5, 12, 0, 30, 0);
  g_autoptr(GDateTime) late_evening = at ("Europe/Berlin", 2026, 5, 12, 23, 0, 0);

  assert_expiry_in (now, 3600, "Expires in 1 hour");
  assert_expiry_in (now, 2 * 3600 - 1, "Expires in 1 hour");
  assert_expiry_in (now, 5 * 3600, "Expires in 5 hours");
  /* Past midnight but under 12 hours: a span, not "tomorrow at 02:04". */
  assert_expiry_in (now, 11 * 3600 + 59 * 60, "Expires in 11 hours");
  /* Today, 12 hours or more ahead: still hours (there is no "today at"). */
  assert_expiry_words (late_evening, FALSE, early, "Expires in 22 hours");
}

static void
test_expiry_words_tomorrow (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) tomorrow_9 = at ("Europe/Berlin", 2026, 5, 13, 9, 0, 0);
  g_autoptr(GDateTime) tomorrow_late = at ("Europe/Berlin", 2026, 5, 13, 23, 59, 0);
  g_autoptr(GDateTime) day_after = at ("Europe/Berlin", 2026, 5, 14, 0, 0, 0);
  g_autoptr(GDateTime) late = at ("Europe/Berlin", 2026, 5, 31, 23, 0, 0);
  g_autoptr(GDateTime) next_month = at ("Europe/Berlin", 2026, 6, 1, 12, 0, 0);
  g_autoptr(GDateTime) eve = at ("UTC", 2026, 12, 31, 10, 0, 0);
  g_autoptr(GDateTime) new_year = at ("UTC", 2027, 1, 1, 9, 0, 0);

  /* Exactly 12 hours: 02:05 tomorrow. */
  assert_expiry_in (now, 12 * 3600, "Expires tomorrow at 02:05");
  assert_expiry_words (tomorrow_9, FALSE, now, "Expires tomorrow at 09:00");
  /* Exactly one day. */
  assert_expiry_in (now, 24 * 3600, "Expires tomorrow at 14:05");
  assert_expiry_words (tomorrow_late, FALSE, now, "Expires tomorrow at 23:59");
  /* Under 48 hours but the day after tomorrow. */
  assert_expiry_words (day_after, FALSE, now, "Expires in 1 day");
  /* Across the end of a month and of a year. */
  assert_expiry_words (next_month, FALSE, late, "Expires tomorrow at 12:00");
  assert_expiry_words (new_year, FALSE, eve, "Expires tomorrow at 09:00");
}

static void
test_expiry_words_days (void)
{
  g_autoptr(GDateTime) now = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) late = at ("Europe/Berlin", 2026, 5, 12, 23, 0, 0);
  g_autoptr(GDateTime) in_25h = at ("Europe/Berlin", 2026, 5, 14, 0, 30, 0);

  assert_expiry_words (in_25h, FALSE, late, "Expires in 1 day");
  assert_expiry_in (now, 2 * 86400, "Expires in 2 days");
  assert_expiry_in (now, 3 * 86400 + 5 * 3600, "Expires in 3 days");
  assert_expiry_in (now, 4 * 86400 - 1, "Expires in 3 days");
  assert_expiry_in (now, 30 * 86400, "Expires in 30 days");
  assert_expiry_in (now, 3650 * (gint64) 86400, "Expires in 3650 days");
}

/* A New York `now` and a Tokyo expiry: 08:00 on 14 May in Tokyo is 19:00 on 13 May in New
 * York, 23 hours after 20:00 on 12 May there. */
static void
test_expiry_words_zones (void)
{
  g_autoptr(GDateTime) now = at ("America/New_York", 2026, 5, 12, 20, 0, 0);
  g_autoptr(GDateTime) tokyo = at ("Asia/Tokyo", 2026, 5, 14, 8, 0, 0);
  g_autoptr(GDateTime) now_kolkata = at ("Asia/Kolkata", 2026, 5, 12, 20, 0, 0);
  g_autoptr(GDateTime) utc = at ("UTC", 2026, 5, 13, 3, 30, 0);

  assert_expiry_words (tokyo, FALSE, now, "Expires tomorrow at 19:00");
  /* 03:30 UTC is 09:00 in Kolkata (+05:30): 13 hours ahead, tomorrow. */
  assert_expiry_words (utc, FALSE, now_kolkata, "Expires tomorrow at 09:00");
}

static void
test_exact_date (void)
{
  g_autoptr(GDateTime) berlin = at ("Europe/Berlin", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) winter = at ("Europe/Berlin", 2026, 1, 3, 9, 7, 0);
  g_autoptr(GDateTime) utc = at ("UTC", 2026, 5, 3, 0, 0, 0);
  g_autoptr(GDateTime) newfoundland = at ("-03:30", 2026, 5, 12, 14, 5, 0);
  g_autofree char *a = dsl_link_format_exact_date (berlin);
  g_autofree char *b = dsl_link_format_exact_date (winter);
  g_autofree char *c = dsl_link_format_exact_date (utc);
  g_autofree char *d = dsl_link_format_exact_date (newfoundland);

  g_assert_cmpstr (a, ==, "Tuesday, 12 May 2026, 14:05 (UTC+02:00)");
  g_assert_cmpstr (b, ==, "Saturday, 3 January 2026, 09:07 (UTC+01:00)");
  g_assert_cmpstr (c, ==, "Sunday, 3 May 2026, 00:00 (UTC+00:00)");
  g_assert_cmpstr (d, ==, "Tuesday, 12 May 2026, 14:05 (UTC-03:30)");
}

static void
test_expires_within (void)
{
  g_autoptr(GDateTime) now = at ("UTC", 2026, 5, 12, 14, 5, 0);
  g_autoptr(GDateTime) in_3d = g_date_time_add_days (now, 3);
  g_autoptr(GDateTime) in_3d_1s = g_date_time_add_seconds (in_3d, 1);
  g_autoptr(GDateTime) past = g_date_time_add_seconds (now, -1);
  g_autoptr(DslLink) link = dsl_link_new ();

  g_assert_false (dsl_link_expires_within (link, now, 7));

  dsl_link_set_expiration_date (link, in_3d);
  g_assert_true (dsl_link_expires_within (link, now, 7));
  g_assert_true (dsl_link_expires_within (link, now, 3));
  g_assert_false (dsl_link_expires_within (link, now, 2));
  dsl_link_set_expiration_date (link, in_3d_1s);
  g_assert_false (dsl_link_expires_within (link, now, 3));
  g_assert_true (dsl_link_expires_within (link, now, 4));

  /* Already expired: not "expires soon". */
  dsl_link_set_is_expired (link, TRUE);
  g_assert_false (dsl_link_expires_within (link, now, 7));
  dsl_link_set_is_expired (link, FALSE);
  dsl_link_set_expiration_date (link, past);
  g_assert_false (dsl_link_expires_within (link, now, 7));
  dsl_link_set_expiration_date (link, now);
  g_assert_false (dsl_link_expires_within (link, now, 7));
}

/* ------------------------------------------------------------------------------------------ */
/* Why no links, and how many more */

static void
test_explain_no_links (void)
{
  g_autoptr(DslItem) collab = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_EDITING, FALSE);
  g_autoptr(DslItem) collab_share = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_EDITING, TRUE);
  g_autoptr(DslItem) vdr = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_VIRTUAL_DATA, FALSE);
  g_autoptr(DslItem) ai = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_AI, FALSE);
  g_autoptr(DslItem) custom = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_CUSTOM, TRUE);
  g_autoptr(DslItem) custom_guest = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_CUSTOM, FALSE);
  g_autoptr(DslItem) public_room = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_PUBLIC, TRUE);
  g_autoptr(DslItem) file = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslItem) file_no_share = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, FALSE);
  g_autoptr(DslItem) folder = item_new (DSL_ITEM_KIND_FOLDER, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslItem) file_in_collab = g_object_new (DSL_TYPE_ITEM,
                                                    "kind", DSL_ITEM_KIND_FILE,
                                                    "id", "7",
                                                    "parent-room-type", 16, /* EditingRoom */
                                                    "can-share", TRUE,
                                                    NULL);
  const char *cannot = "You cannot manage the links of this item: ask its owner or a room "
                       "manager.";

  g_assert_cmpstr (dsl_link_form_explain_no_links (collab), ==,
                   "Collaboration rooms cannot have external links. Share the files in this "
                   "room instead.");
  /* The room type is the reason, whatever canShare says. */
  g_assert_cmpstr (dsl_link_form_explain_no_links (collab_share), ==,
                   dsl_link_form_explain_no_links (collab));
  g_assert_cmpstr (dsl_link_form_explain_no_links (vdr), ==,
                   "Virtual data rooms cannot have external links. Share the files in this "
                   "room instead.");
  g_assert_cmpstr (dsl_link_form_explain_no_links (ai), ==,
                   "AI rooms cannot have external links. Share the files in this room "
                   "instead.");
  g_assert_cmpstr (dsl_link_form_explain_no_links (custom_guest), ==, cannot);
  g_assert_cmpstr (dsl_link_form_explain_no_links (file_no_share), ==, cannot);

  g_assert_null (dsl_link_form_explain_no_links (custom));
  g_assert_null (dsl_link_form_explain_no_links (public_room));
  g_assert_null (dsl_link_form_explain_no_links (file));
  g_assert_null (dsl_link_form_explain_no_links (folder));
  /* Files in a collaboration room can have links. */
  g_assert_null (dsl_link_form_explain_no_links (file_in_collab));
  /* The room type speaks for the room itself only. */
  g_object_set (folder, "room-type", DSL_ROOM_TYPE_VIRTUAL_DATA, NULL);
  g_assert_null (dsl_link_form_explain_no_links (folder));
}

static void
test_explain_no_temporary (void)
{
  g_autoptr(DslItem) custom = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_CUSTOM, TRUE);
  g_autoptr(DslItem) public_room = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_PUBLIC, TRUE);
  g_autoptr(DslItem) forms = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_FILLING_FORMS, TRUE);
  g_autoptr(DslItem) collab = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_EDITING, TRUE);
  g_autoptr(DslItem) file = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslItem) folder = item_new (DSL_ITEM_KIND_FOLDER, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslItem) file_no_share = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, FALSE);
  g_autoptr(DslItem) file_in_forms = g_object_new (DSL_TYPE_ITEM,
                                                   "kind", DSL_ITEM_KIND_FILE,
                                                   "id", "7",
                                                   "parent-room-type", 15, /* FillingFormsRoom */
                                                   "can-share", TRUE,
                                                   NULL);
  g_autoptr(DslItem) folder_in_collab = g_object_new (DSL_TYPE_ITEM,
                                                      "kind", DSL_ITEM_KIND_FOLDER,
                                                      "id", "8",
                                                      "parent-room-type", 16, /* EditingRoom */
                                                      "can-share", TRUE,
                                                      NULL);

  g_assert_null (dsl_link_form_explain_no_temporary (custom));
  g_assert_null (dsl_link_form_explain_no_temporary (public_room));
  g_assert_null (dsl_link_form_explain_no_temporary (file));
  g_assert_null (dsl_link_form_explain_no_temporary (folder));
  g_assert_null (dsl_link_form_explain_no_temporary (folder_in_collab));
  g_assert_cmpstr (dsl_link_form_explain_no_temporary (forms), ==,
                   "Only custom and public rooms can have temporary links.");
  g_assert_cmpstr (dsl_link_form_explain_no_temporary (file_in_forms), ==,
                   "Files in a form filling room are shared through the room's link.");
  /* The general reasons come first. */
  g_assert_cmpstr (dsl_link_form_explain_no_temporary (collab), ==,
                   dsl_link_form_explain_no_links (collab));
  g_assert_cmpstr (dsl_link_form_explain_no_temporary (file_no_share), ==,
                   dsl_link_form_explain_no_links (file_no_share));
}

/* ------------------------------------------------------------------------------------------ */
/* Copy as Message, Copy as Rich Link */

static void
test_format_message (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new (zone, 2026, 5, 10, 9, 0, 0);
  g_autoptr(GDateTime) expiry = g_date_time_new_utc (2026, 5, 12, 11, 5, 0);
  g_autoptr(DslItem) item = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslLink) link = dsl_link_new ();
  g_autofree char *plain = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *html = NULL;

  g_object_set (item, "title", "Q3 <report> & \"notes\".docx", NULL);
  dsl_link_set_title (link, "Partners");
  dsl_link_set_share_link (link, "https://portal.example.com/s/Ab1?x=1&y=2");
  dsl_link_set_access (link, DSL_ACCESS_READ);
  dsl_link_set_subject_type (link, DSL_SUBJECT_TYPE_EXTERNAL_LINK);

  plain = dsl_link_format_message (item, link, now);
  g_assert_cmpstr (plain, ==,
                   "“Q3 <report> & \"notes\".docx — Partners”\n"
                   "https://portal.example.com/s/Ab1?x=1&y=2\n"
                   "Anyone with the link can open it: View only\n"
                   "Does not expire");

  /* With an expiry (shown in now's zone) and a password (never written, only mentioned). */
  dsl_link_set_expiration_date (link, expiry);
  dsl_link_set_password (link, "Secret123!");
  dsl_link_set_internal (link, TRUE);
  dsl_link_set_access (link, DSL_ACCESS_EDITING);
  secret = dsl_link_format_message (item, link, now);
  g_assert_cmpstr (secret, ==,
                   "“Q3 <report> & \"notes\".docx — Partners”\n"
                   "https://portal.example.com/s/Ab1?x=1&y=2\n"
                   "Portal users only can open it: Editing\n"
                   "Expires on Tuesday, 12 May 2026, 14:05 (UTC+03:00)\n"
                   "The password is sent separately.");
  g_assert_null (strstr (secret, "Secret123!"));

  /* The primary link is the item itself: no link name. HTML escapes title and address. */
  dsl_link_set_primary (link, TRUE);
  html = dsl_link_format_html (item, link);
  g_assert_cmpstr (html, ==,
                   "<a href=\"https://portal.example.com/s/Ab1?x=1&amp;y=2\">"
                   "Q3 &lt;report&gt; &amp; &quot;notes&quot;.docx</a>");
  g_assert_null (strstr (html, "Secret123!"));
}

static DslLink *
link_of (DslLinkType    type,
         DslSubjectType subject,
         gboolean       primary)
{
  DslLink *link = dsl_link_new ();

  dsl_link_set_link_type (link, type);
  dsl_link_set_subject_type (link, subject);
  dsl_link_set_primary (link, primary);
  return link;
}

static void
test_links_left (void)
{
  g_autoptr(DslItem) item = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_CUSTOM, TRUE);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  /* No shareSettings: no limit known. */
  g_assert_cmpint (dsl_link_form_links_left (item, NULL), ==, -1);
  dsl_item_set_link_limit (item, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK, 1);
  g_assert_cmpint (dsl_link_form_links_left (item, NULL), ==, -1);

  dsl_item_set_link_limit (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK, 5);
  g_assert_cmpint (dsl_link_form_links_left (item, NULL), ==, 5);
  g_assert_cmpint (dsl_link_form_links_left (item, none), ==, 5);

  /* The primary (by flag or by subject type) and the invitation link are not counted. */
  g_ptr_array_add (links, link_of (DSL_LINK_TYPE_EXTERNAL, DSL_SUBJECT_TYPE_EXTERNAL_LINK, TRUE));
  g_ptr_array_add (links, link_of (DSL_LINK_TYPE_EXTERNAL,
                                   DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK, FALSE));
  g_ptr_array_add (links, link_of (DSL_LINK_TYPE_INVITATION,
                                   DSL_SUBJECT_TYPE_INVITATION_LINK, FALSE));
  g_assert_cmpint (dsl_link_form_links_left (item, links), ==, 5);

  g_ptr_array_add (links, link_of (DSL_LINK_TYPE_EXTERNAL, DSL_SUBJECT_TYPE_EXTERNAL_LINK, FALSE));
  g_ptr_array_add (links, link_of (DSL_LINK_TYPE_EXTERNAL, DSL_SUBJECT_TYPE_EXTERNAL_LINK, FALSE));
  g_assert_cmpint (dsl_link_form_links_left (item, links), ==, 3);

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (links, link_of (DSL_LINK_TYPE_EXTERNAL, DSL_SUBJECT_TYPE_EXTERNAL_LINK,
                                     FALSE));
  g_assert_cmpint (dsl_link_form_links_left (item, links), ==, 0);

  /* More than the limit (it was lowered): still 0, never negative. */
  g_ptr_array_add (links, link_of (DSL_LINK_TYPE_EXTERNAL, DSL_SUBJECT_TYPE_EXTERNAL_LINK, FALSE));
  g_assert_cmpint (dsl_link_form_links_left (item, links), ==, 0);

  /* A Form-filling room: no additional links at all. */
  dsl_item_set_link_limit (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK, 0);
  g_assert_cmpint (dsl_link_form_links_left (item, NULL), ==, 0);
}

static void
test_describe_limit (void)
{
  g_autoptr(DslItem) item = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, TRUE);
  g_autofree char *none = dsl_link_form_describe_limit (item);
  g_autofree char *six = NULL;
  g_autofree char *one = NULL;
  g_autofree char *zero = NULL;

  g_assert_null (none);

  dsl_item_set_link_limit (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK, 6);
  six = dsl_link_form_describe_limit (item);
  g_assert_cmpstr (six, ==, "This item can have at most 6 additional links");

  dsl_item_set_link_limit (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK, 1);
  one = dsl_link_form_describe_limit (item);
  g_assert_cmpstr (one, ==, "This item can have at most 1 additional link");

  dsl_item_set_link_limit (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK, 0);
  zero = dsl_link_form_describe_limit (item);
  g_assert_cmpstr (zero, ==, "This item cannot have additional links");
}

/* ------------------------------------------------------------------------------------------ */
/* Skipped changes */

static DslLink *
sent_state (void)
{
  DslLink *link = dsl_link_new ();
  g_autoptr(GDateTime) expiry = at ("Europe/Berlin", 2026, 6, 1, 18, 0, 0);

  dsl_link_set_id (link, "7f1b0c9e-0000-4000-8000-000000000001");
  dsl_link_set_title (link, "Auditors");
  dsl_link_set_access (link, DSL_ACCESS_COMMENT);
  dsl_link_set_internal (link, TRUE);
  dsl_link_set_expiration_date (link, expiry);
  dsl_link_set_password (link, "Secret-42");
  dsl_link_set_deny_download (link, TRUE);
  return link;
}

static void
test_skipped_none (void)
{
  g_autoptr(DslLink) sent = sent_state ();
  g_autoptr(DslLink) stored = dsl_link_copy (sent);
  g_autofree char *words = NULL;

  /* Fields that are not settings are the server's to fill in. */
  dsl_link_set_share_link (stored, "https://portal.example/s/AbC123");
  dsl_link_set_request_token (stored, "token");
  dsl_link_set_can_edit_internal (stored, TRUE);

  assert_skipped (sent, stored, NULL);
  words = dsl_link_form_describe_skipped (sent, stored);
  g_assert_null (words);
}

static void
test_skipped_each_field (void)
{
  g_autoptr(DslLink) sent = sent_state ();
  g_autoptr(DslLink) stored = NULL;

  stored = dsl_link_copy (sent);
  dsl_link_set_title (stored, "Shared link");
  assert_skipped (sent, stored, (const char * const[]) { "name", NULL });
  g_clear_object (&stored);

  stored = dsl_link_copy (sent);
  dsl_link_set_access (stored, DSL_ACCESS_READ);
  assert_skipped (sent, stored, (const char * const[]) { "access", NULL });
  g_clear_object (&stored);

  stored = dsl_link_copy (sent);
  dsl_link_set_internal (stored, FALSE);
  assert_skipped (sent, stored, (const char * const[]) { "audience", NULL });
  g_clear_object (&stored);

  stored = dsl_link_copy (sent);
  dsl_link_set_expiration_date (stored, NULL);
  assert_skipped (sent, stored, (const char * const[]) { "expiry", NULL });
  g_clear_object (&stored);

  stored = dsl_link_copy (sent);
  dsl_link_set_password (stored, NULL);
  assert_skipped (sent, stored, (const char * const[]) { "password", NULL });
  dsl_link_set_password (stored, "Secret-43");
  assert_skipped (sent, stored, (const char * const[]) { "password", NULL });
  g_clear_object (&stored);

  stored = dsl_link_copy (sent);
  dsl_link_set_deny_download (stored, FALSE);
  assert_skipped (sent, stored, (const char * const[]) { "download restriction", NULL });
  g_clear_object (&stored);
}

static void
test_skipped_expiry_minute (void)
{
  g_autoptr(DslLink) sent = dsl_link_new ();
  g_autoptr(DslLink) stored = dsl_link_new ();
  g_autoptr(GDateTime) sent_at = at ("Europe/Berlin", 2026, 6, 1, 18, 0, 0);
  g_autoptr(GDateTime) same_minute = at ("Europe/Berlin", 2026, 6, 1, 18, 0, 59.9);
  g_autoptr(GDateTime) same_in_utc = at ("UTC", 2026, 6, 1, 16, 0, 0);
  g_autoptr(GDateTime) next_minute = at ("Europe/Berlin", 2026, 6, 1, 18, 1, 0);
  g_autoptr(GDateTime) late_second = at ("Europe/Berlin", 2026, 6, 1, 17, 59, 59);
  g_autoptr(GDateTime) wall_clock_utc = at ("UTC", 2026, 6, 1, 18, 0, 0);

  /* Both never. */
  assert_skipped (sent, stored, NULL);

  /* Sent never, stored a date. */
  dsl_link_set_expiration_date (stored, sent_at);
  assert_skipped (sent, stored, (const char * const[]) { "expiry", NULL });

  dsl_link_set_expiration_date (sent, sent_at);
  assert_skipped (sent, stored, NULL);
  dsl_link_set_expiration_date (stored, same_minute);
  assert_skipped (sent, stored, NULL);
  /* The same instant in another offset (the portal's zone). */
  dsl_link_set_expiration_date (stored, same_in_utc);
  assert_skipped (sent, stored, NULL);

  dsl_link_set_expiration_date (stored, next_minute);
  assert_skipped (sent, stored, (const char * const[]) { "expiry", NULL });
  /* One second apart, but in different minutes. */
  dsl_link_set_expiration_date (stored, late_second);
  assert_skipped (sent, stored, (const char * const[]) { "expiry", NULL });
  /* The same wall-clock time in another zone is another instant. */
  dsl_link_set_expiration_date (stored, wall_clock_utc);
  assert_skipped (sent, stored, (const char * const[]) { "expiry", NULL });
}

/* NULL and "" are the same password and the same title; surrounding spaces of a title too. */
static void
test_skipped_empty_equivalents (void)
{
  g_autoptr(DslLink) sent = dsl_link_new ();
  g_autoptr(DslLink) stored = dsl_link_new ();

  dsl_link_set_password (sent, "");
  dsl_link_set_password (stored, NULL);
  dsl_link_set_title (sent, NULL);
  dsl_link_set_title (stored, "");
  assert_skipped (sent, stored, NULL);

  dsl_link_set_title (sent, "  Auditors ");
  dsl_link_set_title (stored, "Auditors");
  assert_skipped (sent, stored, NULL);

  dsl_link_set_title (stored, "auditors");
  assert_skipped (sent, stored, (const char * const[]) { "name", NULL });
}

/* The nicks of "default-link-access" / "default-expiry-preset" go both ways; the schema's
 * choices are exactly these. */
static void
test_default_nicks (void)
{
  static const char *access_nicks[] = { "view", "review", "comment", "fill-forms", "edit" };
  static const char *preset_nicks[] = { "12-hours", "1-day", "7-days", "30-days", "never" };
  DslAccess access = DSL_ACCESS_NONE;
  DslExpiryPreset preset = DSL_EXPIRY_PRESET_CUSTOM;

  for (gsize i = 0; i < G_N_ELEMENTS (access_nicks); i++)
    {
      g_assert_true (dsl_link_access_from_nick (access_nicks[i], &access));
      g_assert_cmpstr (dsl_link_access_to_nick (access), ==, access_nicks[i]);
    }
  g_assert_true (dsl_link_access_from_nick ("view", &access));
  g_assert_cmpint (access, ==, DSL_ACCESS_READ);
  g_assert_true (dsl_link_access_from_nick ("edit", &access));
  g_assert_cmpint (access, ==, DSL_ACCESS_EDITING);
  g_assert_false (dsl_link_access_from_nick ("none", &access));
  g_assert_false (dsl_link_access_from_nick (NULL, &access));
  g_assert_cmpint (access, ==, DSL_ACCESS_EDITING);
  g_assert_null (dsl_link_access_to_nick (DSL_ACCESS_NONE));
  g_assert_null (dsl_link_access_to_nick (DSL_ACCESS_ROOM_MANAGER));

  for (gsize i = 0; i < G_N_ELEMENTS (preset_nicks); i++)
    {
      g_assert_true (dsl_expiry_preset_from_nick (preset_nicks[i], &preset));
      g_assert_cmpstr (dsl_expiry_preset_to_nick (preset), ==, preset_nicks[i]);
    }
  g_assert_true (dsl_expiry_preset_from_nick ("30-days", &preset));
  g_assert_cmpint (preset, ==, DSL_EXPIRY_PRESET_30_DAYS);
  g_assert_false (dsl_expiry_preset_from_nick ("custom", &preset));
  g_assert_false (dsl_expiry_preset_from_nick (NULL, &preset));
  g_assert_cmpint (preset, ==, DSL_EXPIRY_PRESET_30_DAYS);
  g_assert_null (dsl_expiry_preset_to_nick (DSL_EXPIRY_PRESET_CUSTOM));
}

static void
test_describe_skipped (void)
{
  g_autoptr(DslLink) sent = sent_state ();
  g_autoptr(DslLink) stored = dsl_link_copy (sent);
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *all = NULL;

  dsl_link_set_password (stored, NULL);
  one = dsl_link_form_describe_skipped (sent, stored);
  g_assert_cmpstr (one, ==, "The portal did not change the password of this link.");

  dsl_link_set_password (stored, "Secret-42");
  dsl_link_set_internal (stored, FALSE);
  dsl_link_set_expiration_date (stored, NULL);
  two = dsl_link_form_describe_skipped (sent, stored);
  g_assert_cmpstr (two, ==, "The portal did not change the audience and expiry of this link.");

  dsl_link_set_title (stored, "Shared link");
  dsl_link_set_access (stored, DSL_ACCESS_READ);
  dsl_link_set_password (stored, NULL);
  dsl_link_set_deny_download (stored, FALSE);
  assert_skipped (sent, stored, (const char * const[]) {
                    "name", "access", "audience", "expiry", "password", "download restriction",
                    NULL });
  all = dsl_link_form_describe_skipped (sent, stored);
  g_assert_cmpstr (all, ==, "The portal did not change the name, access, audience, expiry, "
                            "password and download restriction of this link.");
}

/* ------------------------------------------------------------------------------------------ */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dsl/link-form/preset-labels", test_preset_labels);
  g_test_add_func ("/dsl/link-form/preset-dates", test_preset_dates);
  g_test_add_func ("/dsl/link-form/preset-fixed-offset", test_preset_fixed_offset);
  g_test_add_func ("/dsl/link-form/preset-dst", test_preset_dst);

  g_test_add_func ("/dsl/link-form/error-messages", test_error_messages);
  g_test_add_func ("/dsl/link-form/title-empty", test_title_empty);
  g_test_add_func ("/dsl/link-form/title-length", test_title_length);
  g_test_add_func ("/dsl/link-form/expiry-now", test_expiry_now);
  g_test_add_func ("/dsl/link-form/expiry-other-zone", test_expiry_other_zone);
  g_test_add_func ("/dsl/link-form/expiry-ten-years", test_expiry_ten_years);
  g_test_add_func ("/dsl/link-form/password-length", test_password_length);
  g_test_add_func ("/dsl/link-form/password-chars", test_password_chars);
  g_test_add_func ("/dsl/link-form/generate-password", test_generate_password);

  g_test_add_func ("/dsl/link-form/check-order", test_check_order);
  g_test_add_func ("/dsl/link-form/check-optional-fields", test_check_optional_fields);
  g_test_add_func ("/dsl/link-form/check-primary-expiry", test_check_primary_expiry);
  g_test_add_func ("/dsl/link-form/check-access-rights", test_check_access_rights);
  g_test_add_func ("/dsl/link-form/check-access-without-rights",
                   test_check_access_without_rights);

  g_test_add_func ("/dsl/link-form/describe-access", test_describe_access);
  g_test_add_func ("/dsl/link-form/describe-audience", test_describe_audience);
  g_test_add_func ("/dsl/link-form/expiry-words-never", test_expiry_words_never);
  g_test_add_func ("/dsl/link-form/expiry-words-expired", test_expiry_words_expired);
  g_test_add_func ("/dsl/link-form/expiry-words-expired-zone", test_expiry_words_expired_zone);
  g_test_add_func ("/dsl/link-form/expiry-words-minutes", test_expiry_words_minutes);
  g_test_add_func ("/dsl/link-form/expiry-words-hours", test_expiry_words_hours);
  g_test_add_func ("/dsl/link-form/expiry-words-tomorrow", test_expiry_words_tomorrow);
  g_test_add_func ("/dsl/link-form/expiry-words-days", test_expiry_words_days);
  g_test_add_func ("/dsl/link-form/expiry-words-zones", test_expiry_words_zones);
  g_test_add_func ("/dsl/link-form/exact-date", test_exact_date);
  g_test_add_func ("/dsl/link-form/expires-within", test_expires_within);

  g_test_add_func ("/dsl/link-form/explain-no-links", test_explain_no_links);
  g_test_add_func ("/dsl/link-form/format-message", test_format_message);
  g_test_add_func ("/dsl/link-form/explain-no-temporary", test_explain_no_temporary);
  g_test_add_func ("/dsl/link-form/links-left", test_links_left);
  g_test_add_func ("/dsl/link-form/describe-limit", test_describe_limit);

  g_test_add_func ("/dsl/link-form/skipped-none", test_skipped_none);
  g_test_add_func ("/dsl/link-form/skipped-each-field", test_skipped_each_field);
  g_test_add_func ("/dsl/link-form/skipped-expiry-minute", test_skipped_expiry_minute);
  g_test_add_func ("/dsl/link-form/skipped-empty-equivalents", test_skipped_empty_equivalents);
  g_test_add_func ("/dsl/link-form/describe-skipped", test_describe_skipped);
  g_test_add_func ("/dsl/link-form/default-nicks", test_default_nicks);

  return g_test_run ();
}

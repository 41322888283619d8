/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-form.c: what the link sidebar and the link form say and check, without GTK.
 *
 *   link form (UI) ──► dsl_link_form_check ()  title ─► expiry ─► password ─► access
 *        │                                     (first failure wins: DSL_LINK_FORM_ERROR_*)
 *        ├─ "Expires" combo ──► dsl_expiry_preset_apply (now)
 *        ├─ "Generate Password" ──► getrandom(2) + rejection sampling ──► free_password (wipe)
 *        └─ server's answer ──► dsl_link_form_skipped_changes (sent, stored) ──► in words
 *   link rows ──► dsl_link_describe_* (access, audience, expiry relative to a given `now`)
 *
 * Every function takes `now` from its caller and never reads the clock, so the tests pin the
 * date and time zone. Link passwords are secrets: nothing here logs them. */
#define G_LOG_DOMAIN "dsl-link-form"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>

#include "dsl-link-form.h"
#include "dsl-link-rules.h"

#define TITLE_MAX_CHARS 255
#define PASSWORD_MIN_CHARS 8
#define PASSWORD_MAX_CHARS 30
#define EXPIRY_MAX_YEARS 10
#define GENERATED_PASSWORD_CHARS 16

G_DEFINE_QUARK (dsl-link-form-error-quark, dsl_link_form_error)

/* --- Expiry presets --- */

const char *
dsl_expiry_preset_label (DslExpiryPreset preset)
{
  switch (preset)
    {
    case DSL_EXPIRY_PRESET_12_HOURS:
      return _("12 hours");
    case DSL_EXPIRY_PRESET_1_DAY:
      return _("1 day");
    case DSL_EXPIRY_PRESET_7_DAYS:
      return _("7 days");
    case DSL_EXPIRY_PRESET_30_DAYS:
      return _("30 days");
    case DSL_EXPIRY_PRESET_NEVER:
      return _("Never");
    case DSL_EXPIRY_PRESET_CUSTOM:
      return _("Custom…");
    default:
      g_return_val_if_reached (NULL);
    }
}

GDateTime *
dsl_expiry_preset_apply (DslExpiryPreset  preset,
                         GDateTime       *now)
{
  g_return_val_if_fail (now != NULL, NULL);

  /* Days are calendar days in `now`'s zone: "7 days" is the same wall-clock time a week
   * later, even across a daylight saving change. */
  switch (preset)
    {
    case DSL_EXPIRY_PRESET_12_HOURS:
      return g_date_time_add_hours (now, 12);
    case DSL_EXPIRY_PRESET_1_DAY:
      return g_date_time_add_days (now, 1);
    case DSL_EXPIRY_PRESET_7_DAYS:
      return g_date_time_add_days (now, 7);
    case DSL_EXPIRY_PRESET_30_DAYS:
      return g_date_time_add_days (now, 30);
    case DSL_EXPIRY_PRESET_NEVER:
    case DSL_EXPIRY_PRESET_CUSTOM:
      return NULL;
    default:
      g_return_val_if_reached (NULL);
    }
}

/* --- Defaults for new links (GSettings nicks) --- */

static const struct {
  DslAccess   access;
  const char *nick;
} access_nicks[] = {
  { DSL_ACCESS_READ, "view" },
  { DSL_ACCESS_REVIEW, "review" },
  { DSL_ACCESS_COMMENT, "comment" },
  { DSL_ACCESS_FILL_FORMS, "fill-forms" },
  { DSL_ACCESS_EDITING, "edit" },
};

static const struct {
  DslExpiryPreset preset;
  const char     *nick;
} preset_nicks[] = {
  { DSL_EXPIRY_PRESET_12_HOURS, "12-hours" },
  { DSL_EXPIRY_PRESET_1_DAY, "1-day" },
  { DSL_EXPIRY_PRESET_7_DAYS, "7-days" },
  { DSL_EXPIRY_PRESET_30_DAYS, "30-days" },
  { DSL_EXPIRY_PRESET_NEVER, "never" },
};

const char *
dsl_link_access_to_nick (DslAccess access)
{
  for (gsize i = 0; i < G_N_ELEMENTS (access_nicks); i++)
    if (access_nicks[i].access == access)
      return access_nicks[i].nick;
  return NULL;
}

gboolean
dsl_link_access_from_nick (const char *nick,
                           DslAccess  *access)
{
  g_return_val_if_fail (access != NULL, FALSE);

  for (gsize i = 0; nick != NULL && i < G_N_ELEMENTS (access_nicks); i++)
    if (g_str_equal (access_nicks[i].nick, nick))
      {
        *access = access_nicks[i].access;
        return TRUE;
      }
  return FALSE;
}

const char *
dsl_expiry_preset_to_nick (DslExpiryPreset preset)
{
  for (gsize i = 0; i < G_N_ELEMENTS (preset_nicks); i++)
    if (preset_nicks[i].preset == preset)
      return preset_nicks[i].nick;
  return NULL;
}

gboolean
dsl_expiry_preset_from_nick (const char      *nick,
                             DslExpiryPreset *preset)
{
  g_return_val_if_fail (preset != NULL, FALSE);

  for (gsize i = 0; nick != NULL && i < G_N_ELEMENTS (preset_nicks); i++)
    if (g_str_equal (preset_nicks[i].nick, nick))
      {
        *preset = preset_nicks[i].preset;
        return TRUE;
      }
  return FALSE;
}
/* --- Validation --- */

/* The title without leading and trailing (Unicode) white space is empty. */
static gboolean
text_is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

gboolean
dsl_link_form_check_title (const char  *title,
                           GError     **error)
{
  g_return_val_if_fail (title == NULL || g_utf8_validate (title, -1, NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (title == NULL || text_is_blank (title))
    {
      g_set_error_literal (error, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_TITLE_EMPTY,
                           _("Enter a name for the link"));
      return FALSE;
    }

  /* Counted as given, surrounding spaces included: safe whether or not the caller trims. */
  if (g_utf8_strlen (title, -1) > TITLE_MAX_CHARS)
    {
      g_set_error_literal (error, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_TITLE_TOO_LONG,
                           _("The name can have at most 255 characters"));
      return FALSE;
    }

  return TRUE;
}

gboolean
dsl_link_form_check_expiry (GDateTime   *expiry,
                            GDateTime   *now,
                            GError     **error)
{
  g_autoptr(GDateTime) latest = NULL;

  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (expiry == NULL)
    return TRUE;

  /* The server silently drops a past date (§6.4): the link would never expire. */
  if (g_date_time_compare (expiry, now) <= 0)
    {
      g_set_error_literal (error, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_EXPIRY_PAST,
                           _("Choose a time in the future"));
      return FALSE;
    }

  latest = g_date_time_add_years (now, EXPIRY_MAX_YEARS);
  if (g_date_time_compare (expiry, latest) > 0)
    {
      g_set_error_literal (error, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_EXPIRY_TOO_FAR,
                           _("Choose a date at most 10 years ahead"));
      return FALSE;
    }

  return TRUE;
}

gboolean
dsl_link_form_check_password (const char  *password,
                              GError     **error)
{
  gsize length = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_PASSWORD_EMPTY,
                           _("Enter a password or turn the password off"));
      return FALSE;
    }

  /* Characters first: with only printable ASCII left, bytes and characters are the same. */
  for (const char *p = password; *p != '\0'; p++, length++)
    {
      guchar c = (guchar) *p;

      if (c < 0x21 || c > 0x7e)
        {
          g_set_error_literal (error, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_PASSWORD_CHARS,
                               _("Use only Latin letters, digits and symbols, no spaces"));
          return FALSE;
        }
    }

  if (length < PASSWORD_MIN_CHARS || length > PASSWORD_MAX_CHARS)
    {
      g_set_error_literal (error, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_PASSWORD_LENGTH,
                           _("The password needs 8 to 30 characters"));
      return FALSE;
    }

  return TRUE;
}

/* --- Password generation --- */

/* No look-alikes (0 O, 1 l I). The symbols are those a portal accepts even when it cuts the
 * allowed set down from all printable ASCII ("web:password:ascii:cut"), minus quotes. */
static const char UPPER[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
static const char LOWER[] = "abcdefghijkmnopqrstuvwxyz";
static const char DIGITS[] = "23456789";
static const char SYMBOLS[] = "!#$%&*+:;?@^_~";
#define ALPHABET_SIZE (sizeof UPPER - 1 + sizeof LOWER - 1 + sizeof DIGITS - 1 + sizeof SYMBOLS - 1)
G_STATIC_ASSERT (ALPHABET_SIZE <= 256);

static void
fill_random (guint8 *buffer,
             gsize   size)
{
  gsize done = 0;

  while (done < size)
    {
      ssize_t n = getrandom (buffer + done, size - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          /* With flags 0 getrandom only blocks until the pool is ready; anything else means
           * the kernel has no usable random source, and a guessable password is worse. */
          g_error ("getrandom: %s", g_strerror (errno));
        }

      done += (gsize) n;
    }
}

/* A uniformly drawn index below ALPHABET_SIZE: bytes at or above the largest multiple of the
 * alphabet size are rejected, so no symbol is more likely than another (no modulo bias). */
static guint
random_index (guint8 *pool,
              gsize   pool_size,
              gsize  *pool_used)
{
  const guint limit = 256 - (256 % ALPHABET_SIZE);

  for (;;)
    {
      guint8 byte;

      if (*pool_used == pool_size)
        {
          fill_random (pool, pool_size);
          *pool_used = 0;
        }

      byte = pool[(*pool_used)++];
      if (byte < limit)
        return byte % ALPHABET_SIZE;
    }
}

static char
alphabet_char (guint index)
{
  static const char *const classes[] = { UPPER, LOWER, DIGITS, SYMBOLS };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      gsize len = strlen (classes[i]);

      if (index < len)
        return classes[i][index];
      index -= len;
    }

  g_assert_not_reached ();
}

char *
dsl_link_form_generate_password (void)
{
  guint8 pool[64];
  gsize pool_used = sizeof pool;
  char *password = g_malloc (GENERATED_PASSWORD_CHARS + 1);

  /* Draw whole passwords until one has every class: uniform over the passwords that do
   * (about one draw in six is redrawn), unlike placing one of each class by hand. */
  for (;;)
    {
      gboolean has_upper = FALSE, has_lower = FALSE, has_digit = FALSE, has_symbol = FALSE;

      for (guint i = 0; i < GENERATED_PASSWORD_CHARS; i++)
        {
          char c = alphabet_char (random_index (pool, sizeof pool, &pool_used));

          has_upper |= g_ascii_isupper (c);
          has_lower |= g_ascii_islower (c);
          has_digit |= g_ascii_isdigit (c);
          has_symbol |= strchr (SYMBOLS, c) != NULL;
          password[i] = c;
        }
      password[GENERATED_PASSWORD_CHARS] = '\0';

      if (has_upper && has_lower && has_digit && has_symbol)
        break;
    }

  explicit_bzero (pool, sizeof pool);

  return password;
}

void
dsl_link_form_free_password (char *password)
{
  if (password == NULL)
    return;

  explicit_bzero (password, strlen (password));
  g_free (password);
}

/* --- A whole link state --- */

/* The primary link of a Public or Form-filling room never expires (§4.4, §6.4): any date sent
 * is dropped, so there is nothing to check. */
static gboolean
expiry_is_editable (DslItem *item,
                    DslLink *state)
{
  gboolean primary = dsl_link_get_primary (state) ||
                     dsl_link_get_subject_type (state) == DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK;
  DslRoomType room_type;

  if (!primary || dsl_item_get_kind (item) != DSL_ITEM_KIND_ROOM)
    return TRUE;

  room_type = dsl_item_get_room_type (item);
  return room_type != DSL_ROOM_TYPE_PUBLIC && room_type != DSL_ROOM_TYPE_FILLING_FORMS;
}

/* Without availableShareRights from the server: the roles §5 accepts for links at all. */
static gboolean
access_allowed_without_rights (DslLinkType link_type,
                               DslAccess   access)
{
  switch (access)
    {
    case DSL_ACCESS_READ:
    case DSL_ACCESS_REVIEW:
    case DSL_ACCESS_COMMENT:
    case DSL_ACCESS_FILL_FORMS:
    case DSL_ACCESS_EDITING:
      return TRUE;
    case DSL_ACCESS_READ_WRITE:
    case DSL_ACCESS_ROOM_MANAGER:
    case DSL_ACCESS_CONTENT_CREATOR:
      return link_type == DSL_LINK_TYPE_INVITATION;
    case DSL_ACCESS_NONE:
    case DSL_ACCESS_RESTRICT:
    case DSL_ACCESS_VARIES:
    case DSL_ACCESS_CUSTOM_FILTER:
    default:
      return FALSE;
    }
}

static gboolean
access_allowed (DslItem *item,
                DslLink *state)
{
  DslAccess access = dsl_link_get_access (state);
  DslLinkType link_type = dsl_link_get_link_type (state);
  DslSubjectType subject;
  gsize n_rights = 0;
  const DslAccess *rights;

  /* Sending 0 deletes the link (§4): never a state to save. */
  if (access == DSL_ACCESS_NONE)
    return FALSE;

  if (link_type == DSL_LINK_TYPE_INVITATION)
    subject = DSL_SUBJECT_TYPE_INVITATION_LINK;
  else if (dsl_link_get_primary (state) ||
           dsl_link_get_subject_type (state) == DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK)
    subject = DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK;
  else
    subject = DSL_SUBJECT_TYPE_EXTERNAL_LINK;

  rights = dsl_link_rules_roles (item, subject, &n_rights);
  if (rights == NULL && subject == DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK)
    {
      subject = DSL_SUBJECT_TYPE_EXTERNAL_LINK;
      rights = dsl_link_rules_roles (item, subject, &n_rights);
    }

  if (rights == NULL)
    return access_allowed_without_rights (link_type, access);

  for (gsize i = 0; i < n_rights; i++)
    if (rights[i] == access)
      return TRUE;
  return FALSE;
}

gboolean
dsl_link_form_check (DslItem    *item,
                     DslLink    *state,
                     GDateTime  *now,
                     GError    **error)
{
  const char *password;

  g_return_val_if_fail (DSL_IS_ITEM (item), FALSE);
  g_return_val_if_fail (DSL_IS_LINK (state), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!dsl_link_form_check_title (dsl_link_get_title (state), error))
    return FALSE;

  if (expiry_is_editable (item, state) &&
      !dsl_link_form_check_expiry (dsl_link_get_expiration_date (state), now, error))
    return FALSE;

  password = dsl_link_get_password (state);
  if (password != NULL && *password != '\0' && !dsl_link_form_check_password (password, error))
    return FALSE;

  if (!access_allowed (item, state))
    {
      g_set_error_literal (error, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_ACCESS,
                           _("This access is not available for this item"));
      return FALSE;
    }

  return TRUE;
}

/* --- In words --- */

const char *
dsl_link_describe_access (DslAccess access)
{
  switch (access)
    {
    case DSL_ACCESS_NONE:
      return _("No access");
    case DSL_ACCESS_READ_WRITE:
      return _("Full access");
    case DSL_ACCESS_READ:
      return _("View only");
    case DSL_ACCESS_REVIEW:
      return _("Review");
    case DSL_ACCESS_COMMENT:
      return _("Comment");
    case DSL_ACCESS_FILL_FORMS:
      return _("Form filling");
    case DSL_ACCESS_ROOM_MANAGER:
      return _("Room manager");
    case DSL_ACCESS_EDITING:
      return _("Editing");
    case DSL_ACCESS_CONTENT_CREATOR:
      return _("Content creator");
    case DSL_ACCESS_RESTRICT:
    case DSL_ACCESS_VARIES:
    case DSL_ACCESS_CUSTOM_FILTER:
    default:
      return _("Custom access");
    }
}

const char *
dsl_link_describe_audience (gboolean internal)
{
  return internal ? _("Portal users only") : _("Anyone with the link");
}

static gboolean
same_calendar_day (GDateTime *a,
                   GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b) &&
         g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

/* The calendar day after `now`'s, in `now`'s zone (noon: safe from DST gaps at midnight). */
static gboolean
is_next_calendar_day (GDateTime *date,
                      GDateTime *now)
{
  g_autoptr(GDateTime) noon = g_date_time_new (g_date_time_get_timezone (now),
                                               g_date_time_get_year (now),
                                               g_date_time_get_month (now),
                                               g_date_time_get_day_of_month (now),
                                               12, 0, 0);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (noon, 1);

  return same_calendar_day (date, tomorrow);
}

static char *
describe_expired (GDateTime *local,
                  GDateTime *now)
{
  g_autofree char *when = NULL;

  if (same_calendar_day (local, now))
    {
      when = g_date_time_format (local, "%H:%M");
      /* Translators: %s is a time of day, "14:05" */
      return g_strdup_printf (_("Expired today at %s"), when);
    }

  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    /* Translators: a strftime format for a day and month, "12 May" */
    when = g_date_time_format (local, _("%-d %B"));
  else
    /* Translators: a strftime format for a day, month and year, "12 May 2025" */
    when = g_date_time_format (local, _("%-d %B %Y"));

  /* Translators: %s is a date, "12 May" or "12 May 2025" */
  return g_strdup_printf (_("Expired on %s"), when);
}

char *
dsl_link_describe_expiry (GDateTime *expiry,
                          gboolean   is_expired,
                          GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  GTimeSpan left;

  g_return_val_if_fail (now != NULL, NULL);

  if (expiry == NULL)
    return g_strdup (is_expired ? _("Expired") : _("Never expires"));

  local = g_date_time_to_timezone (expiry, g_date_time_get_timezone (now));
  if (is_expired || g_date_time_compare (local, now) <= 0)
    return describe_expired (local, now);

  left = g_date_time_difference (local, now);

  if (left < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Expires in less than a minute"));

  if (left < G_TIME_SPAN_HOUR)
    {
      int minutes = (int) (left / G_TIME_SPAN_MINUTE);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Expires in %d minute",
                                           "Expires in %d minutes", minutes), minutes);
    }

  /* Under 12 hours a span reads better than a clock time, even past midnight. */
  if (left >= 12 * G_TIME_SPAN_HOUR && left < 48 * G_TIME_SPAN_HOUR &&
      is_next_calendar_day (local, now))
    {
      g_autofree char *when = g_date_time_format (local, "%H:%M");
      /* Translators: %s is a time of day, "09:00" */
      return g_strdup_printf (_("Expires tomorrow at %s"), when);
    }

  if (left < G_TIME_SPAN_DAY)
    {
      int hours = (int) (left / G_TIME_SPAN_HOUR);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Expires in %d hour",
                                           "Expires in %d hours", hours), hours);
    }

  {
    /* Whole days left, rounded down: 3 days 5 hours is "3 days". */
    int days = (int) MIN (left / G_TIME_SPAN_DAY, G_MAXINT);
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Expires in %d day",
                                         "Expires in %d days", days), days);
  }
}

char *
dsl_link_format_exact_date (GDateTime *date)
{
  g_return_val_if_fail (date != NULL, NULL);

  /* Translators: a strftime format for a tooltip, "Tuesday, 12 May 2026, 14:05 (UTC+03:00)" */
  return g_date_time_format (date, _("%A, %-d %B %Y, %H:%M (UTC%:z)"));
}

gboolean
dsl_link_expires_within (DslLink   *link,
                         GDateTime *now,
                         int        days)
{
  GDateTime *expiry;
  g_autoptr(GDateTime) horizon = NULL;

  g_return_val_if_fail (DSL_IS_LINK (link), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  expiry = dsl_link_get_expiration_date (link);
  if (expiry == NULL || dsl_link_get_is_expired (link) || g_date_time_compare (expiry, now) <= 0)
    return FALSE;

  horizon = g_date_time_add_days (now, days);
  return g_date_time_compare (expiry, horizon) <= 0;
}

const char *
dsl_link_form_explain_no_links (DslItem *item)
{
  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);

  /* The room type first: those rooms also say canShare false, but the reason is the type. */
  if (dsl_item_get_kind (item) == DSL_ITEM_KIND_ROOM)
    {
      switch (dsl_item_get_room_type (item))
        {
        case DSL_ROOM_TYPE_EDITING:
          return _("Collaboration rooms cannot have external links. Share the files in this "
                   "room instead.");
        case DSL_ROOM_TYPE_VIRTUAL_DATA:
          return _("Virtual data rooms cannot have external links. Share the files in this "
                   "room instead.");
        case DSL_ROOM_TYPE_AI:
          return _("AI rooms cannot have external links. Share the files in this room "
                   "instead.");
        case DSL_ROOM_TYPE_NONE:
        case DSL_ROOM_TYPE_FILLING_FORMS:
        case DSL_ROOM_TYPE_CUSTOM:
        case DSL_ROOM_TYPE_PUBLIC:
        default:
          break;
        }
    }

  if (!dsl_item_get_can_share (item))
    return _("You cannot manage the links of this item: ask its owner or a room manager.");

  return NULL;
}

/* FolderType of a form-filling room (docspace-api.md §5), as parentRoomType. */
#define FOLDER_TYPE_FILLING_FORMS_ROOM 15

const char *
dsl_link_form_explain_no_temporary (DslItem *item)
{
  const char *reason;
  const DslAccess *rights;
  gsize n_rights = 0;
  gboolean read = FALSE;

  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);

  reason = dsl_link_form_explain_no_links (item);
  if (reason != NULL)
    return reason;

  if (dsl_item_get_kind (item) == DSL_ITEM_KIND_ROOM &&
      dsl_item_get_room_type (item) != DSL_ROOM_TYPE_CUSTOM &&
      dsl_item_get_room_type (item) != DSL_ROOM_TYPE_PUBLIC)
    return _("Only custom and public rooms can have temporary links.");
  if (dsl_item_get_kind (item) != DSL_ITEM_KIND_ROOM &&
      dsl_item_get_parent_room_type (item) == FOLDER_TYPE_FILLING_FORMS_ROOM)
    return _("Files in a form filling room are shared through the room's link.");

  rights = dsl_item_get_share_rights (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK, &n_rights);
  for (gsize i = 0; i < n_rights; i++)
    read = read || rights[i] == DSL_ACCESS_READ;
  if (n_rights > 0 && !read)
    return _("The links of this item cannot be view only, so it cannot have a temporary link.");

  return NULL;
}

int
dsl_link_form_links_left (DslItem   *item,
                          GPtrArray *links)
{
  int limit;
  int additional = 0;

  g_return_val_if_fail (DSL_IS_ITEM (item), -1);

  limit = dsl_item_get_link_limit (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK);
  if (limit < 0)
    return -1;

  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      DslLink *link = g_ptr_array_index (links, i);

      /* Invitation links and the primary link have limits of their own. */
      if (dsl_link_get_link_type (link) == DSL_LINK_TYPE_EXTERNAL &&
          !dsl_link_get_primary (link) &&
          dsl_link_get_subject_type (link) != DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK)
        additional++;
    }

  return MAX (limit - additional, 0);
}

char *
dsl_link_form_describe_limit (DslItem *item)
{
  int limit;

  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);

  limit = dsl_item_get_link_limit (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK);
  if (limit < 0)
    return NULL;
  if (limit == 0)
    return g_strdup (_("This item cannot have additional links"));

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "This item can have at most %d additional link",
                                       "This item can have at most %d additional links", limit),
                          limit);
}

/* --- Skipped changes --- */

/* NULL and "" are the same (no title / no password). */
static const char *
empty_to_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

static gboolean
titles_equal (const char *a,
              const char *b)
{
  g_autofree char *ta = g_strstrip (g_strdup (a != NULL ? a : ""));
  g_autofree char *tb = g_strstrip (g_strdup (b != NULL ? b : ""));

  /* Surrounding spaces are not a setting the server skipped. */
  return strcmp (ta, tb) == 0;
}

static gint64
unix_minute (GDateTime *date)
{
  gint64 seconds = g_date_time_to_unix (date);

  /* Rounded down, also before 1970. */
  return seconds >= 0 ? seconds / 60 : -((-seconds + 59) / 60);
}

static gboolean
expiries_equal (GDateTime *a,
                GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return unix_minute (a) == unix_minute (b);
}

char **
dsl_link_form_skipped_changes (DslLink *sent,
                               DslLink *stored)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (DSL_IS_LINK (sent), NULL);
  g_return_val_if_fail (DSL_IS_LINK (stored), NULL);

  builder = g_strv_builder_new ();

  if (!titles_equal (dsl_link_get_title (sent), dsl_link_get_title (stored)))
    {
      /* Translators: a link setting, in "The portal did not change the %s of this link." */
      g_strv_builder_add (builder, _("name"));
      any = TRUE;
    }
  if (dsl_link_get_access (sent) != dsl_link_get_access (stored))
    {
      /* Translators: a link setting, in "The portal did not change the %s of this link." */
      g_strv_builder_add (builder, _("access"));
      any = TRUE;
    }
  if (!dsl_link_get_internal (sent) != !dsl_link_get_internal (stored))
    {
      /* Translators: a link setting, in "The portal did not change the %s of this link." */
      g_strv_builder_add (builder, _("audience"));
      any = TRUE;
    }
  if (!expiries_equal (dsl_link_get_expiration_date (sent),
                       dsl_link_get_expiration_date (stored)))
    {
      /* Translators: a link setting, in "The portal did not change the %s of this link." */
      g_strv_builder_add (builder, _("expiry"));
      any = TRUE;
    }
  if (g_strcmp0 (empty_to_null (dsl_link_get_password (sent)),
                 empty_to_null (dsl_link_get_password (stored))) != 0)
    {
      /* Translators: a link setting, in "The portal did not change the %s of this link." */
      g_strv_builder_add (builder, _("password"));
      any = TRUE;
    }
  if (!dsl_link_get_deny_download (sent) != !dsl_link_get_deny_download (stored))
    {
      /* Translators: a link setting, in "The portal did not change the %s of this link." */
      g_strv_builder_add (builder, _("download restriction"));
      any = TRUE;
    }

  return any ? g_strv_builder_end (builder) : NULL;
}

char *
dsl_link_form_describe_skipped (DslLink *sent,
                                DslLink *stored)
{
  g_auto(GStrv) names = NULL;
  g_autofree char *list = NULL;
  guint n;

  g_return_val_if_fail (DSL_IS_LINK (sent), NULL);
  g_return_val_if_fail (DSL_IS_LINK (stored), NULL);

  names = dsl_link_form_skipped_changes (sent, stored);
  if (names == NULL)
    return NULL;

  /* "a", "a and b", "a, b and c" */
  n = g_strv_length (names);
  list = g_strdup (names[0]);
  for (guint i = 1; i < n; i++)
    {
      char *longer;

      if (i == n - 1)
        /* Translators: the last two items of a list, "expiry and audience" */
        longer = g_strdup_printf (_("%s and %s"), list, names[i]);
      else
        /* Translators: joins items of a list, "name, access" */
        longer = g_strdup_printf (_("%s, %s"), list, names[i]);

      g_free (list);
      list = longer;
    }

  /* Translators: %s lists link settings, "expiry and audience" */
  return g_strdup_printf (_("The portal did not change the %s of this link."), list);
}

/* --- Sharing a link with other apps --- */

static gboolean
is_primary_link (DslLink *link)
{
  return dsl_link_get_primary (link) ||
         dsl_link_get_subject_type (link) == DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK;
}

/* "Q3 report.docx" or "Q3 report.docx — Partners" */
static char *
share_title (DslItem *item,
             DslLink *link)
{
  const char *title = dsl_item_get_title (item);
  const char *link_title = dsl_link_get_title (link);

  if (title == NULL || *title == '\0')
    title = _("Untitled");
  if (is_primary_link (link) || link_title == NULL || *link_title == '\0')
    return g_strdup (title);
  /* Translators: an item and the name of one of its links, e.g. "Q3 report.docx — Partners" */
  return g_strdup_printf (_("%s — %s"), title, link_title);
}

char *
dsl_link_format_share_title (DslItem *item,
                             DslLink *link)
{
  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (DSL_IS_LINK (link), NULL);

  return share_title (item, link);
}

char *
dsl_link_format_message (DslItem   *item,
                         DslLink   *link,
                         GDateTime *now)
{
  g_autofree char *title = NULL;
  GDateTime *expiry;
  const char *password;
  GString *text;

  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (DSL_IS_LINK (link), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  title = share_title (item, link);
  text = g_string_new (NULL);
  /* Translators: the first line of a shared link's message: the item's name in quotes */
  g_string_append_printf (text, _("“%s”"), title);
  g_string_append_c (text, '\n');
  if (dsl_link_get_share_link (link) != NULL)
    g_string_append_printf (text, "%s\n", dsl_link_get_share_link (link));
  /* Translators: who can open a link and what they may do, e.g. "Anyone with the link can
   * open it: View only" */
  g_string_append_printf (text, _("%s can open it: %s"),
                          dsl_link_describe_audience (dsl_link_get_internal (link)),
                          dsl_link_describe_access (dsl_link_get_access (link)));
  g_string_append_c (text, '\n');
  expiry = dsl_link_get_expiration_date (link);
  if (expiry != NULL)
    {
      g_autoptr(GDateTime) shown = g_date_time_to_timezone (expiry,
                                                            g_date_time_get_timezone (now));
      g_autofree char *exact = dsl_link_format_exact_date (shown);

      /* Translators: %s is a date such as "Tuesday, 12 May 2026, 14:05 (UTC+03:00)" */
      g_string_append_printf (text, _("Expires on %s"), exact);
    }
  else
    {
      g_string_append (text, _("Does not expire"));
    }
  password = dsl_link_get_password (link);
  if (password != NULL && *password != '\0')
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("The password is sent separately."));
    }
  return g_string_free (text, FALSE);
}

char *
dsl_link_format_html (DslItem *item,
                      DslLink *link)
{
  g_autofree char *title = NULL;
  g_autofree char *title_html = NULL;
  g_autofree char *url_html = NULL;

  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (DSL_IS_LINK (link), NULL);

  title = share_title (item, link);
  title_html = g_markup_escape_text (title, -1);
  url_html = g_markup_escape_text (dsl_link_get_share_link (link) != NULL
                                   ? dsl_link_get_share_link (link) : "", -1);
  return g_strdup_printf ("<a href=\"%s\">%s</a>", url_html, title_html);
}

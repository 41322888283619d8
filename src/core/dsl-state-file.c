/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-state-file.c: see dsl-state-file.h. */
#define G_LOG_DOMAIN "dsl-state-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dsl-state-file.h"

static gboolean
set_errno_error (GError    **error,
                 int         saved_errno,
                 const char *path)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               "%s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
too_large (GError    **error,
           const char *path,
           gsize       max_size)
{
  g_autofree char *size = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               /* Translators: %s is a file name, then a size such as "16.8 MB" */
               _("The file %s is larger than %s, too large to be one of the app’s files"),
               path, size);
  return FALSE;
}

gboolean
dsl_state_file_read (const char  *path,
                     gsize        max_size,
                     char       **contents,
                     gsize       *length,
                     GError     **error)
{
  g_autofree char *buffer = NULL;
  struct stat st;
  gsize used = 0;
  int fd;

  g_return_val_if_fail (path != NULL && contents != NULL && length != NULL, FALSE);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return set_errno_error (error, errno, path);
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno, path);
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("%s is not a regular file"), path);
      return FALSE;
    }
  if (st.st_size < 0 || (guint64) st.st_size > max_size)
    {
      close (fd);
      return too_large (error, path, max_size);
    }

  /* the file may grow meanwhile: read at most one byte past the limit, to see it did */
  buffer = g_malloc ((gsize) st.st_size + 2);
  for (;;)
    {
      gsize room = MIN ((gsize) st.st_size + 1 - used, max_size + 1 - used);
      gssize n;

      if (room == 0)
        break;
      n = read (fd, buffer + used, room);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          return set_errno_error (error, saved_errno, path);
        }
      if (n == 0)
        break;
      used += (gsize) n;
    }
  close (fd);
  if (used > max_size)
    return too_large (error, path, max_size);
  buffer[used] = '\0';
  *contents = g_steal_pointer (&buffer);
  *length = used;
  return TRUE;
}

/* FALSE when the JSON in `text` nests arrays and objects deeper than `max_depth` (strings are
 * skipped, with their escapes). */
static gboolean
depth_within (const char *text,
              gsize       length,
              guint       max_depth)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

static int
hex4 (const char *p,
      const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* `text` with every lone UTF-16 surrogate escape (\ud800 without its pair, \udc00 alone)
 * replaced by \ufffd (transfer full), or NULL when it has none. json-glib decodes a lone
 * surrogate into invalid UTF-8 and swallows the character after it (or the closing quote,
 * which fails the whole file), so they are replaced before it sees them. */
static char *
replace_lone_surrogates (const char *text,
                         gsize       length)
{
  const char *end = text + length;
  GString *out = NULL;
  const char *copied = text;
  gboolean in_string = FALSE;

  for (const char *p = text; p < end; p++)
    {
      int unit, next;
      gboolean lone;

      if (!in_string)
        {
          in_string = *p == '"';
          continue;
        }
      if (*p == '"')
        {
          in_string = FALSE;
          continue;
        }
      if (*p != '\\' || p + 1 >= end)
        continue;
      if (p[1] != 'u' || (unit = hex4 (p + 2, end)) < 0xd800 || unit > 0xdfff)
        {
          p++;  /* the escaped character */
          continue;
        }
      lone = TRUE;
      if (unit <= 0xdbff && end - p >= 12 && p[6] == '\\' && p[7] == 'u' &&
          (next = hex4 (p + 8, end)) >= 0xdc00 && next <= 0xdfff)
        lone = FALSE;
      if (!lone)
        {
          p += 11;  /* the pair, kept */
          continue;
        }
      if (out == NULL)
        out = g_string_sized_new (length);
      g_string_append_len (out, copied, p - copied);
      g_string_append (out, "\\ufffd");
      p += 5;
      copied = p + 1;
    }
  if (out == NULL)
    return NULL;
  g_string_append_len (out, copied, end - copied);
  return g_string_free (out, FALSE);
}

JsonParser *
dsl_state_file_parse (const char  *text,
                      gsize        length,
                      gboolean    *made_valid,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *valid = NULL;
  g_autofree char *replaced = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (made_valid != NULL)
    *made_valid = FALSE;
  if (memchr (text, '\0', length) != NULL)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           _("the file is not text (it holds a zero byte)"));
      return NULL;
    }
  if (!g_utf8_validate_len (text, length, NULL))
    {
      valid = g_utf8_make_valid (text, (gssize) length);
      text = valid;
      length = strlen (valid);
      if (made_valid != NULL)
        *made_valid = TRUE;
    }
  if ((replaced = replace_lone_surrogates (text, length)) != NULL)
    {
      text = replaced;
      length = strlen (replaced);
      if (made_valid != NULL)
        *made_valid = TRUE;
    }
  if (!depth_within (text, length, DSL_STATE_FILE_MAX_DEPTH))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("the file nests its data deeper than %d levels"), DSL_STATE_FILE_MAX_DEPTH);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, (gssize) length, &local_error))
    {
      /* json-glib quotes the text around the error, and may cut a character in half. */
      g_autofree char *message = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("the file is not valid JSON (%s)"), message);
      return NULL;
    }
  return g_steal_pointer (&parser);
}

char *
dsl_state_file_make_valid (const char *text,
                           gboolean   *made_valid)
{
  if (text == NULL)
    return NULL;
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  if (made_valid != NULL)
    *made_valid = TRUE;
  return g_utf8_make_valid (text, -1);
}

const char *
dsl_state_file_get_string (JsonObject *object,
                           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
dsl_state_file_get_int (JsonObject *object,
                        const char *member,
                        gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

GDateTime *
dsl_state_file_parse_date (const char *text)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (text == NULL)
    return NULL;
  date = g_date_time_new_from_iso8601 (text, NULL);
  if (date == NULL)
    return NULL;
  /* may fail: a date in range in its own offset may have no UTC equivalent */
  utc = g_date_time_to_utc (date);
  if (utc == NULL)
    return NULL;
  return g_date_time_new_utc (g_date_time_get_year (utc), g_date_time_get_month (utc),
                              g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                              g_date_time_get_minute (utc), g_date_time_get_second (utc));
}

char *
dsl_state_file_join_problems (const char * const *problems)
{
  g_autoptr(GString) text = NULL;
  guint n;

  if (problems == NULL || problems[0] == NULL)
    return NULL;
  n = g_strv_length ((char **) problems);
  text = g_string_new (problems[0]);
  for (guint i = 1; i < MIN (n, 3); i++)
    g_string_append_printf (text, "; %s", problems[i]);
  if (n > 3)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              /* Translators: after a list of the first 3 problems */
                              g_dngettext (GETTEXT_PACKAGE, "(and %u more)", "(and %u more)",
                                           n - 3),
                              n - 3);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
dsl_state_file_move_aside (const char  *path,
                           GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", path, stamp);

  if (g_rename (path, aside) != 0)
    {
      set_errno_error (error, errno, path);
      return NULL;
    }
  return g_steal_pointer (&aside);
}

gboolean
dsl_state_file_write (const char  *path,
                      const char  *contents,
                      gsize        length,
                      GError     **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL && contents != NULL, FALSE);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_errno_error (error, errno, dir);
  return g_file_set_contents_full (path, contents, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT |
                                   G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                   0600, error);
}

char *
dsl_state_file_hash_account (const char *account_key)
{
  char *digest;

  g_return_val_if_fail (account_key != NULL, NULL);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, account_key, -1);
  digest[16] = '\0';
  return digest;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-share-message.c: DslItem + DslLink ──dsl-link-form's words──▶ subject and body
 *                      ──percent-encoding (RFC 6068)──▶ mailto:?subject=…&body=…
 * The body is "Copy as Message"'s text, so both say the same; no password in either. */
#define G_LOG_DOMAIN "dsl-share-message"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dsl-link-form.h"
#include "dsl-share-message.h"

/* One line: runs of control characters (line breaks, tabs) become one space, and the ends are
 * trimmed. */
static char *
one_line (const char *text)
{
  GString *line = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          space = TRUE;
          continue;
        }
      if (space && line->len > 0)
        g_string_append_c (line, ' ');
      space = FALSE;
      g_string_append_c (line, *p);
    }
  g_strstrip (line->str);
  line->len = strlen (line->str);
  return g_string_free (line, FALSE);
}

DslShareMessage *
dsl_share_message_new (DslItem   *item,
                       DslLink   *link,
                       GDateTime *now)
{
  DslShareMessage *message;
  g_autofree char *title = NULL;
  g_autofree char *line = NULL;

  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (DSL_IS_LINK (link), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  title = dsl_link_format_share_title (item, link);
  line = one_line (title);
  message = g_new0 (DslShareMessage, 1);
  /* Translators: the subject of a mail with a shared link; %s is the item's name (and the
   * link's, "Q3 report.docx — Partners") */
  message->subject = g_strdup_printf (_("Link to “%s”"), line);
  message->body = dsl_link_format_message (item, link, now);
  return message;
}

void
dsl_share_message_free (DslShareMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->subject);
  g_free (message->body);
  g_free (message);
}

static gboolean
is_unreserved (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static void
append_encoded (GString    *uri,
                const char *text,
                gboolean    keep_at)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (is_unreserved (*p) || (keep_at && *p == '@'))
        g_string_append_c (uri, *p);
      else
        g_string_append_printf (uri, "%%%02X", *p);
    }
}

/* LF, CR and CRLF → CRLF (RFC 6068 section 5: line breaks in a body are %0D%0A). */
static char *
crlf_lines (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 16);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r' || *p == '\n')
        {
          g_string_append (out, "\r\n");
          if (*p == '\r' && p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
dsl_share_mailto_uri (const char *to,
                      const char *subject,
                      const char *body)
{
  GString *uri = g_string_new ("mailto:");
  char separator = '?';

  if (to != NULL && *to != '\0')
    append_encoded (uri, to, TRUE);
  if (subject != NULL)
    {
      g_autofree char *line = one_line (subject);

      g_string_append_printf (uri, "%csubject=", separator);
      append_encoded (uri, line, FALSE);
      separator = '&';
    }
  if (body != NULL)
    {
      g_autofree char *lines = crlf_lines (body);

      g_string_append_printf (uri, "%cbody=", separator);
      append_encoded (uri, lines, FALSE);
    }
  return g_string_free (uri, FALSE);
}

char *
dsl_share_message_to_mailto (const DslShareMessage *message)
{
  g_return_val_if_fail (message != NULL, NULL);

  return dsl_share_mailto_uri (NULL, message->subject, message->body);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-share-message.c: dsl_share_message_* and dsl_share_mailto_uri — the subject and body
 * "Send by E-mail…" hands to the mail program and the exact mailto: URI (RFC 6068
 * percent-encoding of a title with & ? # % + and a line break, CRLF line breaks in the body),
 * the expiry in words, never the password. Runs in the C locale (no setlocale). */
#include "config.h"

#include <string.h>

#include "dsl-link-form.h"
#include "dsl-share-message.h"

static DslItem *
item_new (const char *title)
{
  return g_object_new (DSL_TYPE_ITEM,
                       "kind", DSL_ITEM_KIND_FILE,
                       "id", "42",
                       "title", title,
                       "can-share", TRUE,
                       NULL);
}

static DslLink *
link_new (void)
{
  DslLink *link = dsl_link_new ();

  dsl_link_set_title (link, "Partners");
  dsl_link_set_share_link (link, "https://portal.example.com/s/Ab1?x=1&y=2");
  dsl_link_set_access (link, DSL_ACCESS_READ);
  dsl_link_set_subject_type (link, DSL_SUBJECT_TYPE_EXTERNAL_LINK);
  return link;
}

/* Only "mailto:", unreserved characters, percent escapes and the ? & = of the fields. */
static void
assert_only_uri_characters (const char *uri)
{
  g_assert_true (g_str_has_prefix (uri, "mailto:"));
  for (const char *p = uri + strlen ("mailto:"); *p != '\0'; p++)
    {
      if (*p == '%')
        {
          g_assert_true (g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]));
          g_assert_false (g_ascii_islower (p[1]) || g_ascii_islower (p[2]));
          continue;
        }
      g_assert_true (g_ascii_isalnum (*p) || strchr ("-._~?&=", *p) != NULL);
    }
}

/* The fields of a mailto: URI, decoded: what a mail program reads. */
static GHashTable *
parse_fields (const char *uri)
{
  const char *query = strchr (uri, '?');
  g_autoptr(GError) error = NULL;
  GHashTable *fields;

  g_assert_nonnull (query);
  /* G_URI_PARAMS_NONE: "+" stays "+" (it is %2B anyway); "&" separates */
  fields = g_uri_parse_params (query + 1, -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  return fields;
}

static void
test_mailto_exact (void)
{
  g_autofree char *uri = dsl_share_mailto_uri (NULL, "Q&A? #1 100% +=\r\nnext",
                                               "“Q&A”\nhttps://p.example/s/A?b=1&c=2#f\n"
                                               "Ünïcode\r\nend\r");

  g_assert_cmpstr (uri, ==,
                   "mailto:?subject=Q%26A%3F%20%231%20100%25%20%2B%3D%20next"
                   "&body=%E2%80%9CQ%26A%E2%80%9D%0D%0A"
                   "https%3A%2F%2Fp.example%2Fs%2FA%3Fb%3D1%26c%3D2%23f%0D%0A"
                   "%C3%9Cn%C3%AFcode%0D%0Aend%0D%0A");
  assert_only_uri_characters (uri);

  /* A recipient keeps its @; no fields, no "?" */
  g_clear_pointer (&uri, g_free);
  uri = dsl_share_mailto_uri ("ann+x@example.com", NULL, NULL);
  g_assert_cmpstr (uri, ==, "mailto:ann%2Bx@example.com");
  g_clear_pointer (&uri, g_free);
  uri = dsl_share_mailto_uri (NULL, NULL, "a b");
  g_assert_cmpstr (uri, ==, "mailto:?body=a%20b");
}

/* The message of a link with an expiry and a password: the subject names item and link on one
 * line, the body is Copy as Message's text, the URI carries both and never the password. */
static void
test_message_and_uri (void)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new (zone, 2026, 5, 10, 9, 0, 0);
  g_autoptr(GDateTime) expiry = g_date_time_new_utc (2026, 5, 12, 11, 5, 0);
  g_autoptr(DslItem) item = item_new ("Q&A? #1 100%\nplan.docx");
  g_autoptr(DslLink) link = link_new ();
  g_autoptr(DslShareMessage) message = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *crlf_body = NULL;

  dsl_link_set_expiration_date (link, expiry);
  dsl_link_set_password (link, "S3cret&Pass");

  message = dsl_share_message_new (item, link, now);
  g_assert_cmpstr (message->subject, ==, "Link to “Q&A? #1 100% plan.docx — Partners”");
  g_assert_cmpstr (message->body, ==,
                   "“Q&A? #1 100%\nplan.docx — Partners”\n"
                   "https://portal.example.com/s/Ab1?x=1&y=2\n"
                   "Anyone with the link can open it: View only\n"
                   "Expires on Tuesday, 12 May 2026, 14:05 (UTC+03:00)\n"
                   "The password is sent separately.");
  /* "Copy as Message" copies this very text */
  copied = dsl_link_format_message (item, link, now);
  g_assert_cmpstr (message->body, ==, copied);

  uri = dsl_share_message_to_mailto (message);
  g_assert_cmpstr (uri, ==,
                   "mailto:?subject=Link%20to%20%E2%80%9CQ%26A%3F%20%231%20100%25%20plan.docx"
                   "%20%E2%80%94%20Partners%E2%80%9D"
                   "&body=%E2%80%9CQ%26A%3F%20%231%20100%25%0D%0Aplan.docx%20%E2%80%94%20"
                   "Partners%E2%80%9D%0D%0A"
                   "https%3A%2F%2Fportal.example.com%2Fs%2FAb1%3Fx%3D1%26y%3D2%0D%0A"
                   "Anyone%20with%20the%20link%20can%20open%20it%3A%20View%20only%0D%0A"
                   "Expires%20on%20Tuesday%2C%2012%20May%202026%2C%2014%3A05%20"
                   "%28UTC%2B03%3A00%29%0D%0A"
                   "The%20password%20is%20sent%20separately.");
  assert_only_uri_characters (uri);
  g_assert_null (strstr (uri, "S3cret"));
  g_assert_null (strstr (message->body, "S3cret"));
  g_assert_null (strstr (message->subject, "S3cret"));

  /* Decoded as a mail program does: exactly two fields, subject and body (CRLF lines). */
  fields = parse_fields (uri);
  g_assert_cmpuint (g_hash_table_size (fields), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (fields, "subject"), ==, message->subject);
  crlf_body = g_strjoinv ("\r\n", (char *[]) { "“Q&A? #1 100%", "plan.docx — Partners”",
                                               "https://portal.example.com/s/Ab1?x=1&y=2",
                                               "Anyone with the link can open it: View only",
                                               "Expires on Tuesday, 12 May 2026, 14:05 "
                                               "(UTC+03:00)",
                                               "The password is sent separately.", NULL });
  g_assert_cmpstr (g_hash_table_lookup (fields, "body"), ==, crlf_body);
}

/* No expiry, no password, the primary link: the item alone names it; no password line. */
static void
test_message_plain (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 5, 10, 9, 0, 0);
  g_autoptr(DslItem) item = item_new ("Notes.txt");
  g_autoptr(DslLink) link = link_new ();
  g_autoptr(DslShareMessage) message = NULL;
  g_autofree char *uri = NULL;

  dsl_link_set_primary (link, TRUE);
  message = dsl_share_message_new (item, link, now);
  g_assert_cmpstr (message->subject, ==, "Link to “Notes.txt”");
  uri = dsl_share_message_to_mailto (message);
  g_assert_cmpstr (uri, ==,
                   "mailto:?subject=Link%20to%20%E2%80%9CNotes.txt%E2%80%9D"
                   "&body=%E2%80%9CNotes.txt%E2%80%9D%0D%0A"
                   "https%3A%2F%2Fportal.example.com%2Fs%2FAb1%3Fx%3D1%26y%3D2%0D%0A"
                   "Anyone%20with%20the%20link%20can%20open%20it%3A%20View%20only%0D%0A"
                   "Does%20not%20expire");
  g_assert_null (strstr (uri, "password"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dsl/share-message/mailto-exact", test_mailto_exact);
  g_test_add_func ("/dsl/share-message/message-and-uri", test_message_and_uri);
  g_test_add_func ("/dsl/share-message/message-plain", test_message_plain);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-error.c: DSL_ERROR and the single mapping from an HTTP answer to a result or an error.
 *
 *   status + Retry-After + body
 *      |
 *      +-- 2xx, JSON envelope, statusCode < 400 ----------> DslEnvelope { root, response, count, total }
 *      +-- 2xx, envelope with statusCode >= 400 ----------> problem details -> BAD_REQUEST (or by statusCode)
 *      +-- 2xx, empty / not JSON / not an envelope -------> INVALID_RESPONSE naming what was wrong
 *      +-- 4xx/5xx, error envelope, HTML or empty --------> UNAUTHORIZED, MISSING_SCOPE, FORBIDDEN, ...
 *
 * Every DSL_ERROR carries extended data (G_DEFINE_EXTENDED_ERROR): the HTTP status, Retry-After
 * seconds, the server's own message and the problem-details field errors. The server's stack
 * trace (error.stack) is never read. */
#define G_LOG_DOMAIN "dsl-error"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "dsl-error.h"
#include "dsl-json.h"

#include <string.h>

typedef struct {
  guint   status;
  guint   retry_after;
  char   *server_message;
  char   *server_type;
  GStrv   field_errors;
} DslErrorPrivate;

static void
dsl_error_private_init (DslErrorPrivate *priv)
{
  priv->status = 0;
  priv->retry_after = 0;
  priv->server_message = NULL;
  priv->server_type = NULL;
  priv->field_errors = NULL;
}

static void
dsl_error_private_copy (const DslErrorPrivate *src,
                        DslErrorPrivate       *dest)
{
  dest->status = src->status;
  dest->retry_after = src->retry_after;
  dest->server_message = g_strdup (src->server_message);
  dest->server_type = g_strdup (src->server_type);
  dest->field_errors = g_strdupv (src->field_errors);
}

static void
dsl_error_private_clear (DslErrorPrivate *priv)
{
  g_clear_pointer (&priv->server_message, g_free);
  g_clear_pointer (&priv->server_type, g_free);
  g_clear_pointer (&priv->field_errors, g_strfreev);
}

G_DEFINE_EXTENDED_ERROR (DslError, dsl_error)

static DslErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != DSL_ERROR)
    return NULL;

  return dsl_error_get_private (error);
}

guint
dsl_error_get_status (const GError *error)
{
  DslErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->status : 0;
}

guint
dsl_error_get_retry_after (const GError *error)
{
  DslErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->retry_after : 0;
}

const char *
dsl_error_get_server_message (const GError *error)
{
  DslErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->server_message : NULL;
}

const char *
dsl_error_get_server_type (const GError *error)
{
  DslErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->server_type : NULL;
}

const char * const *
dsl_error_get_field_errors (const GError *error)
{
  DslErrorPrivate *priv = get_private (error);

  return priv != NULL ? (const char * const *) priv->field_errors : NULL;
}

/* Takes ownership of `message` and `field_errors`. The server's text may not be UTF-8
 * (json-glib passes a lone surrogate escape through as its bytes, and a parse error quotes
 * the body): every string of the error is made valid, as it will be shown. */
static GError *
make_error (DslError     code,
            guint        status,
            guint        retry_after,
            const char  *server_message,
            GStrv        field_errors,
            char        *message)
{
  g_autofree char *valid = g_utf8_make_valid (message, -1);
  GError *error = g_error_new_literal (DSL_ERROR, code, valid);
  DslErrorPrivate *priv = dsl_error_get_private (error);

  priv->status = status;
  priv->retry_after = retry_after;
  priv->server_message = (server_message != NULL && *server_message != '\0')
                         ? g_utf8_make_valid (server_message, -1) : NULL;
  for (guint i = 0; field_errors != NULL && field_errors[i] != NULL; i++)
    if (!g_utf8_validate (field_errors[i], -1, NULL))
      {
        char *field = g_utf8_make_valid (field_errors[i], -1);

        g_free (field_errors[i]);
        field_errors[i] = field;
      }
  priv->field_errors = field_errors;
  g_free (message);

  return error;
}

GError *
dsl_error_new (DslError    code,
               guint       http_status,
               const char *server_message,
               const char *format,
               ...)
{
  va_list args;
  char *message;

  g_return_val_if_fail (format != NULL, NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return make_error (code, http_status, 0, server_message, NULL, message);
}

GError *
dsl_error_for_credentials (GError         *error,
                           DslCredentials  credentials,
                           const char     *api_path)
{
  GError *replacement;
  guint status;

  g_return_val_if_fail (error != NULL, NULL);

  /* Only a bare 403 has more than one meaning; with an API key it stays a missing scope
   * (ApiKeyScopesFilter), the cause the person can do something about. */
  if (!g_error_matches (error, DSL_ERROR, DSL_ERROR_MISSING_SCOPE) ||
      credentials == DSL_CREDENTIALS_API_KEY)
    return error;

  status = dsl_error_get_status (error);
  if (credentials == DSL_CREDENTIALS_SESSION && api_path != NULL &&
      (g_str_equal (api_path, "files") || g_str_has_prefix (api_path, "files/")))
    /* ProductSecurityFilter: the "files" controller is the Documents product, and an
     * administrator took it away from this user. */
    replacement = make_error (DSL_ERROR_NO_DOCUMENTS, status, 0, NULL, NULL,
                              g_strdup (_("Your account may not use Documents on this "
                                          "portal, so it cannot see rooms, files or their "
                                          "links. Ask the portal’s administrator for "
                                          "access.")));
  else
    /* No filter but TenantStatusFilter answers a bare 403 here: the portal is being moved,
     * restored from a backup or encrypted. */
    replacement = make_error (DSL_ERROR_PORTAL_UNAVAILABLE, status, 0, NULL, NULL,
                              g_strdup (_("The portal is not available right now: it may be "
                                          "being moved, restored or encrypted. Try again "
                                          "later.")));
  g_error_free (error);
  return replacement;
}

void
dsl_envelope_free (DslEnvelope *envelope)
{
  if (envelope == NULL)
    return;

  g_clear_pointer (&envelope->root, json_node_unref);
  envelope->response = NULL;
  g_free (envelope);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading the body */

typedef enum {
  BODY_EMPTY,     /* absent or only whitespace */
  BODY_JSON,      /* parsed */
  BODY_HTML,      /* starts with '<': a proxy or web server page; never shown */
  BODY_BROKEN,    /* starts like JSON but does not parse (truncated, malformed) */
  BODY_OTHER,     /* some other text */
  BODY_UNREADABLE, /* refused before parsing: nested too deep, an integer out of range */
} BodyKind;

typedef struct {
  BodyKind   kind;
  JsonNode  *root;          /* owned; set for BODY_JSON */
  char      *parse_error;   /* owned; set for BODY_BROKEN and BODY_UNREADABLE */
} Body;

static void
body_clear (Body *body)
{
  g_clear_pointer (&body->root, json_node_unref);
  g_clear_pointer (&body->parse_error, g_free);
}

/* json-glib says "<data>:1:102: Parse error: scanner: unterminated string constant";
 * make that "line 1, column 102: Parse error: …". */
static char *
describe_parse_error (const GError *error)
{
  const char *message = error != NULL ? error->message : NULL;
  const char *rest;
  guint64 line, column;
  char *end = NULL;

  if (message == NULL)
    return g_strdup ("no content");

  if (!g_str_has_prefix (message, "<data>:"))
    return g_strdup (message);

  rest = message + strlen ("<data>:");
  line = g_ascii_strtoull (rest, &end, 10);
  if (end == rest || *end != ':')
    return g_strdup (rest);

  rest = end + 1;
  column = g_ascii_strtoull (rest, &end, 10);
  if (end == rest || *end != ':')
    {
      while (*rest == ' ')
        rest++;
      return g_strdup_printf ("line %" G_GUINT64_FORMAT ": %s", line, rest);
    }

  rest = end + 1;
  while (*rest == ' ')
    rest++;

  return g_strdup_printf ("line %" G_GUINT64_FORMAT ", column %" G_GUINT64_FORMAT ": %s",
                          line, column, rest);
}

static void
read_body (GBytes *bytes,
           Body   *out)
{
  const char *data = NULL;
  gsize size = 0;
  gsize start = 0;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *valid = NULL;

  memset (out, 0, sizeof *out);

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &size);

  while (start < size && g_ascii_isspace (data[start]))
    start++;

  /* A UTF-8 byte-order mark is not whitespace, but is not content either. */
  if (size - start >= 3 && memcmp (data + start, "\xEF\xBB\xBF", 3) == 0)
    start += 3;

  if (data == NULL || start >= size)
    {
      out->kind = BODY_EMPTY;
      return;
    }

  if (data[start] == '<')
    {
      out->kind = BODY_HTML;
      return;
    }

  /* json-glib's parser recurses per level and turns integers beyond 64 bits into -1: a
   * hostile body is refused before it gets there, error bodies too. */
  if (!dsl_json_check_text (data + start, size - start, &local_error))
    {
      out->kind = BODY_UNREADABLE;
      out->parse_error = g_strdup (local_error->message);
      return;
    }

  /* json-glib refuses a whole body for one byte that is not UTF-8: a title with a stray byte
   * would hide a whole listing. The bytes are made valid (U+FFFD) instead, as every string
   * from the network is (dsl-json.c). */
  if (!g_utf8_validate_len (data + start, size - start, NULL))
    {
      gsize length = 0;

      valid = g_utf8_make_valid (data + start, (gssize) (size - start));
      length = strlen (valid);
      data = valid;
      start = 0;
      size = length;
    }

  parser = json_parser_new_immutable ();
  if (json_parser_load_from_data (parser, data + start, size - start, &local_error) &&
      json_parser_get_root (parser) != NULL)
    {
      out->kind = BODY_JSON;
      out->root = json_node_ref (json_parser_get_root (parser));
      return;
    }

  if (data[start] == '{' || data[start] == '[')
    {
      out->kind = BODY_BROKEN;
      out->parse_error = describe_parse_error (local_error);
    }
  else
    {
      out->kind = BODY_OTHER;
    }
}

/* A member of `object` as a string, or NULL when absent or not a string. */
static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static JsonObject *
object_get_object (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

static gboolean
node_is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

/* RFC 9110 problem details: {type,title,status,errors:{Field:[msgs]},traceId} */
static gboolean
is_problem_details (JsonObject *object)
{
  return object != NULL &&
         (object_get_object (object, "errors") != NULL ||
          (object_get_string (object, "title") != NULL && json_object_has_member (object, "status")));
}

/* "Field: message" lines from problem details `errors`, or NULL when there are none. */
static GStrv
collect_field_errors (JsonObject *problem)
{
  JsonObject *errors = object_get_object (problem, "errors");
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GList) members = NULL;

  if (errors == NULL)
    return NULL;

  lines = g_ptr_array_new_with_free_func (g_free);
  members = json_object_get_members (errors);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonNode *node = json_object_get_member (errors, field);
      const char *label = (field != NULL && *field != '\0') ? field : "request";

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *messages = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (messages); i++)
            {
              JsonNode *m = json_array_get_element (messages, i);

              if (JSON_NODE_HOLDS_VALUE (m) && json_node_get_value_type (m) == G_TYPE_STRING)
                {
                  g_ptr_array_add (lines, g_strdup_printf ("%s: %s", label,
                                                           json_node_get_string (m)));
                }
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_ptr_array_add (lines, g_strdup_printf ("%s: %s", label,
                                                   json_node_get_string (node)));
        }
    }

  if (lines->len == 0)
    return NULL;

  g_ptr_array_add (lines, NULL);
  g_ptr_array_set_free_func (lines, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&lines), FALSE);
}

/* Appends `text` to `str` as a sentence: a space before it, a full stop after it unless it
 * already ends with punctuation. */
static void
append_sentence (GString    *str,
                 const char *text)
{
  gsize len;

  if (text == NULL || *text == '\0')
    return;

  if (str->len > 0)
    g_string_append_c (str, ' ');
  g_string_append (str, text);

  len = strlen (text);
  if (strchr (".!?", text[len - 1]) == NULL)
    g_string_append_c (str, '.');
}

/* "502 Bad Gateway", or just "520" when libsoup knows no phrase. */
static char *
describe_status (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  if (phrase == NULL || g_str_equal (phrase, "Unknown Error"))
    return g_strdup_printf ("%u", status);

  return g_strdup_printf ("%u %s", status, phrase);
}

/* Retry-After: delta-seconds, or an HTTP-date (converted to seconds from now, at least 0). */
static guint
parse_retry_after (const char *value)
{
  g_autofree char *text = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan delta;
  gboolean digits = TRUE;

  if (value == NULL)
    return 0;

  text = g_strstrip (g_strdup (value));
  if (*text == '\0')
    return 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        {
          digits = FALSE;
          break;
        }
    }

  if (digits)
    {
      guint64 seconds = g_ascii_strtoull (text, NULL, 10);
      return (guint) MIN (seconds, (guint64) G_MAXUINT);
    }

  when = soup_date_time_new_from_http_string (text);
  if (when == NULL)
    return 0;

  now = g_date_time_new_now_utc ();
  delta = g_date_time_difference (when, now);
  if (delta <= 0)
    return 0;

  /* Round up: waiting a fraction of a second too long is better than too short. */
  return (guint) MIN ((delta + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, (GTimeSpan) G_MAXUINT);
}

/* What the server said about an error, from either body shape. */
typedef struct {
  const char *message;       /* error.message (borrowed) */
  const char *type;          /* error.type (borrowed), NULL when null or absent */
  JsonObject *problem;       /* problem details (borrowed), from `response` or the root */
} Details;

static void
find_details (const Body *body,
              Details    *out)
{
  JsonObject *root;
  JsonObject *response;

  memset (out, 0, sizeof *out);

  if (body->kind != BODY_JSON || !JSON_NODE_HOLDS_OBJECT (body->root))
    return;

  root = json_node_get_object (body->root);
  out->message = object_get_string (object_get_object (root, "error"), "message");
  out->type = object_get_string (object_get_object (root, "error"), "type");

  response = object_get_object (root, "response");
  if (is_problem_details (response))
    out->problem = response;
  else if (is_problem_details (root))
    out->problem = root;

  /* Some answers carry the message as a plain top-level string. */
  if (out->message == NULL && out->problem == NULL)
    out->message = object_get_string (root, "message");
}

static GError *
problem_details_error (guint       status,
                       JsonObject *problem)
{
  const char *title = object_get_string (problem, "title");
  GStrv field_errors = collect_field_errors (problem);
  GString *message = g_string_new ("The portal rejected the request as invalid");

  if ((title == NULL || *title == '\0') && field_errors == NULL)
    {
      g_string_append_c (message, '.');
    }
  else
    {
      /* "…as invalid: One or more validation errors occurred. count: The field…" */
      g_string_append_c (message, ':');
      append_sentence (message, title);
      for (guint i = 0; field_errors != NULL && field_errors[i] != NULL; i++)
        append_sentence (message, field_errors[i]);
    }

  return make_error (DSL_ERROR_BAD_REQUEST, status, 0, title, field_errors,
                     g_string_free (message, FALSE));
}

static GError *status_error_for (guint          status,
                                 const char    *retry_after,
                                 const Body    *body,
                                 const Details *details);

/* Any status that is not success: the error for it, with the server's error.type kept. */
static GError *
status_error (guint        status,
              const char  *retry_after,
              const Body  *body)
{
  Details details;
  GError *error;

  find_details (body, &details);
  error = status_error_for (status, retry_after, body, &details);
  if (details.type != NULL && *details.type != '\0')
    dsl_error_get_private (error)->server_type = g_strdup (details.type);
  return error;
}

static GError *
status_error_for (guint          status,
                  const char    *retry_after,
                  const Body    *body,
                  const Details *details_in)
{
  Details details = *details_in;
  const char *server = NULL;

  server = details.message;
  if (server == NULL && details.problem != NULL)
    server = object_get_string (details.problem, "title");

  if (details.problem != NULL && status == SOUP_STATUS_BAD_REQUEST)
    return problem_details_error (status, details.problem);

  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
      if (details.message != NULL && *details.message != '\0')
        return make_error (DSL_ERROR_BAD_REQUEST, status, 0, server, NULL,
                           g_strdup (details.message));
      return make_error (DSL_ERROR_BAD_REQUEST, status, 0, server, NULL,
                         g_strdup ("The portal rejected the request as invalid."));

    case SOUP_STATUS_UNAUTHORIZED:
      return make_error (DSL_ERROR_UNAUTHORIZED, status, 0, server, NULL,
                         g_strdup ("The portal did not accept the credentials. The API key or "
                                   "session may be wrong, revoked or expired; sign in again."));

    case SOUP_STATUS_PAYMENT_REQUIRED:
      /* A billing exception says which feature the plan lacks, in the error envelope. A bare
       * 402 is PaymentFilter: the portal's subscription is not paid, and every call but
       * signing in gets it. */
      if (body->kind == BODY_EMPTY)
        return make_error (DSL_ERROR_SUBSCRIPTION_LAPSED, status, 0, NULL, NULL,
                           g_strdup (_("The portal’s subscription has run out, so the portal "
                                       "refuses everything but signing in. Its owner can "
                                       "renew it in the portal’s payment settings.")));
      if (server != NULL && *server != '\0')
        return make_error (DSL_ERROR_PAYMENT_REQUIRED, status, 0, server, NULL,
                           g_strdup (server));
      return make_error (DSL_ERROR_PAYMENT_REQUIRED, status, 0, NULL, NULL,
                         g_strdup (_("The portal’s pricing plan does not include this "
                                     "feature.")));

    case SOUP_STATUS_FORBIDDEN:
      if (body->kind == BODY_EMPTY)
        return make_error (DSL_ERROR_MISSING_SCOPE, status, 0, NULL, NULL,
                           g_strdup ("The API key does not have the permission needed for this "
                                     "action. Create a key with the required scope, or with "
                                     "full access."));
      if (server != NULL && *server != '\0')
        return make_error (DSL_ERROR_FORBIDDEN, status, 0, server, NULL, g_strdup (server));
      return make_error (DSL_ERROR_FORBIDDEN, status, 0, NULL, NULL,
                         g_strdup ("The portal does not allow you to do this."));

    case SOUP_STATUS_NOT_FOUND:
      return make_error (DSL_ERROR_NOT_FOUND, status, 0, server, NULL,
                         g_strdup ("The portal could not find the item. It may have been "
                                   "deleted or moved."));

    case 429: /* Too Many Requests */
      {
        guint seconds = parse_retry_after (retry_after);

        if (seconds == 1)
          return make_error (DSL_ERROR_RATE_LIMITED, status, seconds, server, NULL,
                             g_strdup ("The portal received too many requests. "
                                       "Try again in 1 second."));
        if (seconds > 1)
          return make_error (DSL_ERROR_RATE_LIMITED, status, seconds, server, NULL,
                             g_strdup_printf ("The portal received too many requests. "
                                              "Try again in %u seconds.", seconds));
        return make_error (DSL_ERROR_RATE_LIMITED, status, 0, server, NULL,
                           g_strdup ("The portal received too many requests. Try again later."));
      }

    default:
      break;
    }

  if (status >= 500 && status < 600)
    {
      g_autofree char *what = describe_status (status);

      return make_error (DSL_ERROR_SERVER, status, 0, server, NULL,
                         g_strdup_printf ("The portal answered with an error (%s). "
                                          "Try again later.", what));
    }
  else
    {
      g_autofree char *what = describe_status (status);

      return make_error (DSL_ERROR_SERVER, status, 0, server, NULL,
                         g_strdup_printf ("The portal answered with an unexpected status (%s).",
                                          what));
    }
}

static GError *
invalid_response (guint       status,
                  const char *format,
                  ...) G_GNUC_PRINTF (2, 3);

static GError *
invalid_response (guint       status,
                  const char *format,
                  ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  return make_error (DSL_ERROR_INVALID_RESPONSE, status, 0, NULL, NULL, message);
}

static const char *
node_kind_name (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
    }
}

/* An optional integer member of the envelope: -1 when absent or null, FALSE when mistyped. */
static gboolean
envelope_get_int (JsonObject  *root,
                  const char  *member,
                  gint64      *out_value)
{
  JsonNode *node = json_object_get_member (root, member);

  *out_value = -1;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!node_is_integer (node))
    return FALSE;

  *out_value = json_node_get_int (node);
  return TRUE;
}

DslEnvelope *
dsl_envelope_parse (guint         http_status,
                    const char   *retry_after,
                    GBytes       *body,
                    GError      **error)
{
  g_autoptr(DslEnvelope) envelope = NULL;
  Body parsed;
  JsonObject *root;
  JsonNode *status_code_node;
  JsonNode *response;
  gint64 status_code = -1;
  GError *local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  read_body (body, &parsed);

  if (http_status < 200 || http_status >= 300)
    {
      local_error = status_error (http_status, retry_after, &parsed);
      goto out;
    }

  switch (parsed.kind)
    {
    case BODY_EMPTY:
      local_error = invalid_response (http_status,
                                      "The portal sent an empty answer where data was expected.");
      goto out;
    case BODY_HTML:
      local_error = invalid_response (http_status,
                                      "The portal sent a web page instead of data. Check that the "
                                      "address points to a DocSpace portal.");
      goto out;
    case BODY_BROKEN:
      local_error = invalid_response (http_status,
                                      "The portal sent an incomplete or malformed answer (%s).",
                                      parsed.parse_error);
      goto out;
    case BODY_OTHER:
      local_error = invalid_response (http_status,
                                      "The portal sent an answer that is not JSON.");
      goto out;
    case BODY_UNREADABLE:
      local_error = invalid_response (http_status, "%s", parsed.parse_error);
      goto out;
    case BODY_JSON:
    default:
      break;
    }

  if (!JSON_NODE_HOLDS_OBJECT (parsed.root))
    {
      local_error = invalid_response (http_status,
                                      "The portal sent an unexpected answer: expected an object "
                                      "but got %s.", node_kind_name (parsed.root));
      goto out;
    }

  root = json_node_get_object (parsed.root);

  if (!json_object_has_member (root, "response") &&
      !json_object_has_member (root, "statusCode") &&
      !json_object_has_member (root, "status"))
    {
      local_error = invalid_response (http_status,
                                      "The portal sent an unexpected answer: member \"response\" "
                                      "is missing.");
      goto out;
    }

  status_code_node = json_object_get_member (root, "statusCode");
  if (status_code_node != NULL && !JSON_NODE_HOLDS_NULL (status_code_node))
    {
      if (!node_is_integer (status_code_node))
        {
          local_error = invalid_response (http_status,
                                          "The portal sent an unexpected answer: member "
                                          "\"statusCode\" is not a number.");
          goto out;
        }
      status_code = json_node_get_int (status_code_node);
    }

  /* 400-in-200: model validation failures arrive inside a success envelope. */
  if (status_code >= 400 && status_code < 600)
    {
      Details details;

      find_details (&parsed, &details);
      if (details.problem != NULL)
        local_error = problem_details_error ((guint) status_code, details.problem);
      else
        local_error = status_error ((guint) status_code, retry_after, &parsed);
      goto out;
    }

  envelope = g_new0 (DslEnvelope, 1);
  envelope->root = json_node_ref (parsed.root);

  if (!envelope_get_int (root, "count", &envelope->count))
    {
      local_error = invalid_response (http_status,
                                      "The portal sent an unexpected answer: member \"count\" "
                                      "is not a number.");
      goto out;
    }

  if (!envelope_get_int (root, "total", &envelope->total))
    {
      local_error = invalid_response (http_status,
                                      "The portal sent an unexpected answer: member \"total\" "
                                      "is not a number.");
      goto out;
    }

  /* Null values are omitted from success bodies; treat an explicit null the same way. */
  response = json_object_get_member (root, "response");
  if (response != NULL && !JSON_NODE_HOLDS_NULL (response))
    envelope->response = response;

out:
  body_clear (&parsed);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  return g_steal_pointer (&envelope);
}

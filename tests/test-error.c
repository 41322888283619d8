/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-error.c: dsl_envelope_parse, the one mapping from HTTP status + Retry-After + body to a
 * success envelope or a DSL_ERROR, against real-shaped bodies in tests/data/. */
#include "dsl-error.h"

#include <string.h>

static GBytes *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* Parses a fixture that must fail; returns the error. */
static GError *
parse_failure (guint       status,
               const char *retry_after,
               const char *fixture)
{
  g_autoptr(GBytes) body = fixture != NULL ? load_fixture (fixture) : NULL;
  g_autoptr(DslEnvelope) envelope = NULL;
  GError *error = NULL;

  envelope = dsl_envelope_parse (status, retry_after, body, &error);
  g_assert_null (envelope);
  g_assert_nonnull (error);
  g_assert_true (error->domain == DSL_ERROR);

  return error;
}

static GError *
parse_text_failure (guint       status,
                    const char *retry_after,
                    const char *text)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(DslEnvelope) envelope = NULL;
  GError *error = NULL;

  envelope = dsl_envelope_parse (status, retry_after, body, &error);
  g_assert_null (envelope);
  g_assert_nonnull (error);

  return error;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (haystack == NULL || strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static void
assert_not_contains (const char *haystack,
                     const char *needle)
{
  if (haystack != NULL && strstr (haystack, needle) != NULL)
    g_error ("“%s” contains “%s”", haystack, needle);
}

/* A message is a sentence: starts with a capital letter, ends with punctuation. */
static void
assert_sentence (const char *message)
{
  gsize len;

  g_assert_nonnull (message);
  len = strlen (message);
  g_assert_cmpuint (len, >, 10);
  g_assert_true (g_ascii_isupper (message[0]));
  g_assert_nonnull (strchr (".!?", message[len - 1]));
}

/* ------------------------------------------------------------------------------------------ */
/* Success */

static void
test_success_list (void)
{
  g_autoptr(GBytes) body = load_fixture ("file-links.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslEnvelope) envelope = dsl_envelope_parse (200, NULL, body, &error);

  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  g_assert_nonnull (envelope->root);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (envelope->response));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (envelope->response)), ==, 6);
  g_assert_cmpint (envelope->count, ==, 6);
  g_assert_cmpint (envelope->total, ==, 6);
}

static void
test_success_object_without_total (void)
{
  g_autoptr(GBytes) body = load_fixture ("people-self.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslEnvelope) envelope = dsl_envelope_parse (200, NULL, body, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (envelope->response));
  g_assert_cmpint (envelope->count, ==, 1);
  g_assert_cmpint (envelope->total, ==, -1);
}

static void
test_success_no_response (void)
{
  /* A deleted link: 200 with no `response` key and count 0. */
  g_autoptr(GBytes) body = load_fixture ("delete-no-response.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslEnvelope) envelope = dsl_envelope_parse (200, NULL, body, &error);

  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  g_assert_null (envelope->response);
  g_assert_cmpint (envelope->count, ==, 0);
  g_assert_cmpint (envelope->total, ==, -1);
}

static void
test_success_boolean_response (void)
{
  /* GET authentication: response true */
  const char *text = "{\"response\":true,\"count\":1,\"status\":0,\"statusCode\":200}";
  g_autoptr(GBytes) body = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(DslEnvelope) envelope = dsl_envelope_parse (200, NULL, body, &error);

  g_assert_no_error (error);
  g_assert_true (json_node_get_boolean (envelope->response));
}

/* ------------------------------------------------------------------------------------------ */
/* 400 */

static void
test_bad_request_problem_details_in_200 (void)
{
  g_autoptr(GError) error = parse_failure (200, NULL, "error-400-problem-details.json");
  const char * const *fields;

  g_assert_error (error, DSL_ERROR, DSL_ERROR_BAD_REQUEST);
  /* The status comes from the envelope's statusCode, not the HTTP status. */
  g_assert_cmpuint (dsl_error_get_status (error), ==, 400);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==, "One or more validation errors occurred.");

  fields = dsl_error_get_field_errors (error);
  g_assert_nonnull (fields);
  g_assert_cmpuint (g_strv_length ((GStrv) fields), ==, 3);
  g_assert_cmpstr (fields[0], ==, "Count: The field Count must be between 1 and 100.");
  g_assert_cmpstr (fields[2], ==, "StartIndex: StartIndex is invalid");

  assert_contains (error->message, "One or more validation errors occurred.");
  assert_contains (error->message, "Count: The field Count must be between 1 and 100.");
  assert_contains (error->message, "StartIndex is invalid.");
  assert_not_contains (error->message, "traceId");
  assert_sentence (error->message);
}

static void
test_bad_request_problem_details_in_400 (void)
{
  g_autoptr(GError) error = parse_failure (400, NULL, "error-400-problem-details.json");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_BAD_REQUEST);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 400);
  g_assert_nonnull (dsl_error_get_field_errors (error));
  assert_contains (error->message, "Count: The field Count must be between 1 and 100.");
}

static void
test_bad_request_envelope (void)
{
  g_autoptr(GError) error = parse_failure (400, NULL, "error-400-password.json");
  const char *expected = "The password must be 8 to 30 characters long and contain only Latin "
                         "letters, digits and special characters";

  g_assert_error (error, DSL_ERROR, DSL_ERROR_BAD_REQUEST);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 400);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==, expected);
  assert_contains (error->message, expected);
  assert_not_contains (error->message, "PasswordSettingsManager");
  g_assert_null (dsl_error_get_field_errors (error));
}

/* ------------------------------------------------------------------------------------------ */
/* 401 / 403 */

static void
test_unauthorized_empty (void)
{
  g_autoptr(GError) error = parse_failure (401, NULL, "empty.txt");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 401);
  g_assert_null (dsl_error_get_server_message (error));
  assert_sentence (error->message);
}

static void
test_unauthorized_no_body (void)
{
  g_autoptr(GError) error = parse_failure (401, NULL, NULL);

  g_assert_error (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED);
}

static void
test_unauthorized_json (void)
{
  g_autoptr(GError) error = parse_failure (401, NULL, "error-401-login.json");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==, "User authentication failed");
  assert_sentence (error->message);
}

static void
test_forbidden_missing_scope (void)
{
  g_autoptr(GError) error = parse_failure (403, NULL, "empty.txt");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_MISSING_SCOPE);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 403);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The API key does not have the permission needed"));
  assert_sentence (error->message);
}

static void
test_forbidden_access_denied (void)
{
  g_autoptr(GError) error = parse_failure (403, NULL, "error-403-access-denied.json");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_FORBIDDEN);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 403);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==, "Access denied");
  g_assert_cmpstr (error->message, ==, "Access denied");
  /* The stack trace is never exposed. */
  assert_not_contains (error->message, "FileSecurity");
}

static void
test_forbidden_link_limit (void)
{
  g_autoptr(GError) error = parse_failure (403, NULL, "error-403-link-limit.json");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_FORBIDDEN);
  g_assert_cmpstr (error->message, ==, "The maximum number of links may not exceed 6");
  g_assert_cmpstr (dsl_error_get_server_message (error), ==,
                   "The maximum number of links may not exceed 6");
}

/* ------------------------------------------------------------------------------------------ */
/* 402 / 404 / 429 */

static void
test_payment_required (void)
{
  g_autoptr(GError) error = parse_failure (402, NULL, "error-402.json");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_PAYMENT_REQUIRED);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 402);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==,
                   "Your pricing plan does not support this option");
  assert_contains (error->message, "pricing plan");
}

/* A bare 402 is PaymentFilter: the portal's subscription lapsed and every call gets it. */
static void
test_payment_required_empty (void)
{
  g_autoptr(GError) error = parse_failure (402, NULL, "empty.txt");
  g_autoptr(GError) no_body = parse_failure (402, NULL, NULL);

  g_assert_error (error, DSL_ERROR, DSL_ERROR_SUBSCRIPTION_LAPSED);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 402);
  g_assert_null (dsl_error_get_server_message (error));
  assert_contains (error->message, "subscription");
  assert_not_contains (error->message, "plan");
  assert_sentence (error->message);
  g_assert_error (no_body, DSL_ERROR, DSL_ERROR_SUBSCRIPTION_LAPSED);
}

/* error.type is kept: it names the exception whatever the portal's language. */
static void
test_server_type (void)
{
  g_autoptr(GError) denied = parse_failure (403, NULL, "error-403-access-denied.json");
  g_autoptr(GError) login = parse_failure (401, NULL, "error-401-login.json");
  g_autoptr(GError) brute = parse_text_failure (403, NULL,
    "{\"error\":{\"message\":\"Zu viele Anmeldeversuche. Bitte versuchen Sie es sp\u00e4ter "
    "noch einmal\",\"type\":null,\"stack\":null,\"hresult\":0},\"status\":1,"
    "\"statusCode\":403}");
  g_autoptr(GError) copy = NULL;

  g_assert_cmpstr (dsl_error_get_server_type (denied), ==, "System.Security.SecurityException");
  g_assert_null (dsl_error_get_server_type (login));
  g_assert_error (brute, DSL_ERROR, DSL_ERROR_FORBIDDEN);
  g_assert_null (dsl_error_get_server_type (brute));
  copy = g_error_copy (denied);
  g_assert_cmpstr (dsl_error_get_server_type (copy), ==, "System.Security.SecurityException");
}

/* What a bare 403 means depends on who asked (docspace-api.md §1.5). */
static void
test_forbidden_for_credentials (void)
{
  GError *error;

  /* An API key: its scope (ApiKeyScopesFilter). */
  error = dsl_error_for_credentials (parse_failure (403, NULL, "empty.txt"),
                                     DSL_CREDENTIALS_API_KEY, "files/rooms");
  g_assert_error (error, DSL_ERROR, DSL_ERROR_MISSING_SCOPE);
  g_clear_error (&error);

  /* A session on a files route: Documents is not available to the user
   * (ProductSecurityFilter). */
  error = dsl_error_for_credentials (parse_failure (403, NULL, "empty.txt"),
                                     DSL_CREDENTIALS_SESSION, "files/rooms");
  g_assert_error (error, DSL_ERROR, DSL_ERROR_NO_DOCUMENTS);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 403);
  assert_contains (error->message, "Documents");
  assert_not_contains (error->message, "API key");
  assert_sentence (error->message);
  g_clear_error (&error);
  error = dsl_error_for_credentials (parse_failure (403, NULL, NULL),
                                     DSL_CREDENTIALS_SESSION, "files");
  g_assert_error (error, DSL_ERROR, DSL_ERROR_NO_DOCUMENTS);
  g_clear_error (&error);

  /* The login call, or a session elsewhere: only TenantStatusFilter answers so. */
  error = dsl_error_for_credentials (parse_failure (403, NULL, "empty.txt"),
                                     DSL_CREDENTIALS_NONE, "authentication");
  g_assert_error (error, DSL_ERROR, DSL_ERROR_PORTAL_UNAVAILABLE);
  assert_not_contains (error->message, "API key");
  assert_sentence (error->message);
  g_clear_error (&error);
  error = dsl_error_for_credentials (parse_failure (403, NULL, "empty.txt"),
                                     DSL_CREDENTIALS_SESSION, "security/audit/events/filter");
  g_assert_error (error, DSL_ERROR, DSL_ERROR_PORTAL_UNAVAILABLE);
  g_clear_error (&error);

  /* Anything else is left as it is. */
  error = dsl_error_for_credentials (parse_failure (403, NULL, "error-403-access-denied.json"),
                                     DSL_CREDENTIALS_SESSION, "files/rooms");
  g_assert_error (error, DSL_ERROR, DSL_ERROR_FORBIDDEN);
  g_clear_error (&error);
}

static void
test_not_found (void)
{
  g_autoptr(GError) error = parse_failure (404, NULL, "error-404.json");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_NOT_FOUND);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 404);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==, "The required file was not found");
  assert_sentence (error->message);
}

static void
test_rate_limited_seconds (void)
{
  g_autoptr(GError) error = parse_failure (429, "30", "empty.txt");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 429);
  g_assert_cmpuint (dsl_error_get_retry_after (error), ==, 30);
  assert_contains (error->message, "30 seconds");
  assert_sentence (error->message);
}

static void
test_rate_limited_http_date (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *header = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");
  g_autoptr(GError) error = parse_failure (429, header, "empty.txt");
  guint seconds;

  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  seconds = dsl_error_get_retry_after (error);
  /* HTTP dates have whole seconds; allow for the clock moving on during the test. */
  g_assert_cmpuint (seconds, >=, 110);
  g_assert_cmpuint (seconds, <=, 121);
}

static void
test_rate_limited_past_date (void)
{
  g_autoptr(GError) error = parse_failure (429, "Wed, 21 Oct 2015 07:28:00 GMT", "empty.txt");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  g_assert_cmpuint (dsl_error_get_retry_after (error), ==, 0);
}

static void
test_rate_limited_without_header (void)
{
  g_autoptr(GError) error = parse_failure (429, NULL, "empty.txt");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  g_assert_cmpuint (dsl_error_get_retry_after (error), ==, 0);
  assert_contains (error->message, "later");
}

/* ------------------------------------------------------------------------------------------ */
/* 5xx and other statuses */

static void
test_server_json (void)
{
  g_autoptr(GError) error = parse_failure (500, NULL, "error-500.json");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 500);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==,
                   "Object reference not set to an instance of an object.");
  assert_contains (error->message, "500 Internal Server Error");
  assert_not_contains (error->message, "FileSecurity.cs");
  assert_sentence (error->message);
}

static void
test_server_html (void)
{
  g_autoptr(GError) error = parse_failure (502, NULL, "error-502.html");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 502);
  g_assert_cmpstr (error->message, ==,
                   "The portal answered with an error (502 Bad Gateway). Try again later.");
  g_assert_null (dsl_error_get_server_message (error));
  assert_not_contains (error->message, "<");
}

static void
test_server_empty (void)
{
  g_autoptr(GError) error = parse_failure (503, NULL, "empty.txt");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 503);
  assert_contains (error->message, "503 Service Unavailable");
}

static void
test_unexpected_status (void)
{
  g_autoptr(GError) redirect = parse_failure (302, NULL, "empty.txt");
  g_autoptr(GError) unsupported = parse_text_failure (415, NULL,
                                                     "{\"error\":{\"message\":\"Not supported\"},"
                                                     "\"status\":1,\"statusCode\":415}");

  g_assert_error (redirect, DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpuint (dsl_error_get_status (redirect), ==, 302);
  assert_contains (redirect->message, "302");
  assert_sentence (redirect->message);

  g_assert_error (unsupported, DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpstr (dsl_error_get_server_message (unsupported), ==, "Not supported");
}

/* ------------------------------------------------------------------------------------------ */
/* Invalid success bodies */

static void
test_invalid_empty_200 (void)
{
  g_autoptr(GError) error = parse_failure (200, NULL, "empty.txt");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 200);
  assert_contains (error->message, "empty");
}

static void
test_invalid_truncated (void)
{
  g_autoptr(GError) error = parse_failure (200, NULL, "truncated.json");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  assert_contains (error->message, "incomplete or malformed");
}

static void
test_invalid_not_json (void)
{
  g_autoptr(GError) error = parse_failure (200, NULL, "not-json.txt");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  assert_contains (error->message, "not JSON");
}

static void
test_invalid_html_200 (void)
{
  g_autoptr(GError) error = parse_failure (200, NULL, "error-502.html");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  assert_contains (error->message, "web page");
  assert_not_contains (error->message, "<");
}

static void
test_invalid_array (void)
{
  g_autoptr(GError) error = parse_failure (200, NULL, "array-instead-of-envelope.json");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  assert_contains (error->message, "expected an object but got an array");
}

static void
test_invalid_not_envelope (void)
{
  g_autoptr(GError) error = parse_text_failure (200, NULL, "{\"id\":1601,\"title\":\"Q3.docx\"}");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  assert_contains (error->message, "\"response\"");
}

static void
test_invalid_count_mistyped (void)
{
  g_autoptr(GError) error = parse_text_failure (200, NULL,
                                               "{\"response\":[],\"count\":\"zero\","
                                               "\"status\":0,\"statusCode\":200}");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  assert_contains (error->message, "\"count\"");
}

static void
test_invalid_status_code_mistyped (void)
{
  g_autoptr(GError) error = parse_text_failure (200, NULL,
                                               "{\"response\":[],\"statusCode\":\"200\"}");

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  assert_contains (error->message, "\"statusCode\"");
}

/* ------------------------------------------------------------------------------------------ */
/* dsl_error_new and the extended data */

static void
test_error_new_and_copy (void)
{
  g_autoptr(GError) error = dsl_error_new (DSL_ERROR_NOT_APPLIED, 200, "kept",
                                           "The link was not created (%s).", "archived");
  g_autoptr(GError) copy = g_error_copy (error);

  g_assert_error (error, DSL_ERROR, DSL_ERROR_NOT_APPLIED);
  g_assert_cmpstr (error->message, ==, "The link was not created (archived).");
  g_assert_cmpuint (dsl_error_get_status (error), ==, 200);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==, "kept");
  g_assert_cmpuint (dsl_error_get_retry_after (error), ==, 0);

  /* The extended data survives g_error_copy. */
  g_assert_error (copy, DSL_ERROR, DSL_ERROR_NOT_APPLIED);
  g_assert_cmpuint (dsl_error_get_status (copy), ==, 200);
  g_assert_cmpstr (dsl_error_get_server_message (copy), ==, "kept");
}

static void
test_error_copy_keeps_field_errors (void)
{
  g_autoptr(GError) error = parse_failure (200, NULL, "error-400-problem-details.json");
  g_autoptr(GError) copy = g_error_copy (error);

  g_assert_cmpstrv (dsl_error_get_field_errors (copy), dsl_error_get_field_errors (error));
  g_assert_cmpstr (dsl_error_get_server_message (copy), ==, dsl_error_get_server_message (error));
}

static void
test_error_other_domain (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Timed out");

  g_assert_cmpuint (dsl_error_get_status (error), ==, 0);
  g_assert_cmpuint (dsl_error_get_retry_after (error), ==, 0);
  g_assert_null (dsl_error_get_server_message (error));
  g_assert_null (dsl_error_get_field_errors (error));
  g_assert_cmpuint (dsl_error_get_status (NULL), ==, 0);
}

/* A stray byte that is not UTF-8 in a title does not hide the whole answer: the body is made
 * valid (U+FFFD) before json-glib, which refuses invalid UTF-8 outright. */
static void
test_invalid_utf8_made_valid (void)
{
  static const char text[] = "{\"response\": {\"title\": \"Bad \xff\xfe bytes\"}, "
                             "\"status\": 0, \"statusCode\": 200}";
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(DslEnvelope) envelope = dsl_envelope_parse (200, NULL, body, &error);
  const char *title;

  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  title = json_object_get_string_member (json_node_get_object (envelope->response), "title");
  g_assert_true (g_utf8_validate (title, -1, NULL));
  g_assert_cmpstr (title, ==, "Bad \xef\xbf\xbd\xef\xbf\xbd bytes");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dsl/core/error/success-list", test_success_list);
  g_test_add_func ("/dsl/core/error/success-object-without-total", test_success_object_without_total);
  g_test_add_func ("/dsl/core/error/success-no-response", test_success_no_response);
  g_test_add_func ("/dsl/core/error/success-boolean-response", test_success_boolean_response);

  g_test_add_func ("/dsl/core/error/bad-request-problem-details-in-200", test_bad_request_problem_details_in_200);
  g_test_add_func ("/dsl/core/error/bad-request-problem-details-in-400", test_bad_request_problem_details_in_400);
  g_test_add_func ("/dsl/core/error/bad-request-envelope", test_bad_request_envelope);

  g_test_add_func ("/dsl/core/error/unauthorized-empty", test_unauthorized_empty);
  g_test_add_func ("/dsl/core/error/unauthorized-no-body", test_unauthorized_no_body);
  g_test_add_func ("/dsl/core/error/unauthorized-json", test_unauthorized_json);
  g_test_add_func ("/dsl/core/error/forbidden-missing-scope", test_forbidden_missing_scope);
  g_test_add_func ("/dsl/core/error/forbidden-access-denied", test_forbidden_access_denied);
  g_test_add_func ("/dsl/core/error/forbidden-link-limit", test_forbidden_link_limit);

  g_test_add_func ("/dsl/core/error/payment-required", test_payment_required);
  g_test_add_func ("/dsl/core/error/payment-required-empty", test_payment_required_empty);
  g_test_add_func ("/dsl/core/error/server-type", test_server_type);
  g_test_add_func ("/dsl/core/error/forbidden-for-credentials", test_forbidden_for_credentials);
  g_test_add_func ("/dsl/core/error/not-found", test_not_found);
  g_test_add_func ("/dsl/core/error/rate-limited-seconds", test_rate_limited_seconds);
  g_test_add_func ("/dsl/core/error/rate-limited-http-date", test_rate_limited_http_date);
  g_test_add_func ("/dsl/core/error/rate-limited-past-date", test_rate_limited_past_date);
  g_test_add_func ("/dsl/core/error/rate-limited-without-header", test_rate_limited_without_header);

  g_test_add_func ("/dsl/core/error/server-json", test_server_json);
  g_test_add_func ("/dsl/core/error/server-html", test_server_html);
  g_test_add_func ("/dsl/core/error/server-empty", test_server_empty);
  g_test_add_func ("/dsl/core/error/unexpected-status", test_unexpected_status);

  g_test_add_func ("/dsl/core/error/invalid-empty-200", test_invalid_empty_200);
  g_test_add_func ("/dsl/core/error/invalid-truncated", test_invalid_truncated);
  g_test_add_func ("/dsl/core/error/invalid-not-json", test_invalid_not_json);
  g_test_add_func ("/dsl/core/error/invalid-html-200", test_invalid_html_200);
  g_test_add_func ("/dsl/core/error/invalid-array", test_invalid_array);
  g_test_add_func ("/dsl/core/error/invalid-not-envelope", test_invalid_not_envelope);
  g_test_add_func ("/dsl/core/error/invalid-count-mistyped", test_invalid_count_mistyped);
  g_test_add_func ("/dsl/core/error/invalid-status-code-mistyped", test_invalid_status_code_mistyped);

  g_test_add_func ("/dsl/core/error/new-and-copy", test_error_new_and_copy);
  g_test_add_func ("/dsl/core/error/copy-keeps-field-errors", test_error_copy_keeps_field_errors);
  g_test_add_func ("/dsl/core/error/other-domain", test_error_other_domain);
  g_test_add_func ("/dsl/core/error/invalid-utf8-made-valid", test_invalid_utf8_made_valid);

  return g_test_run ();
}

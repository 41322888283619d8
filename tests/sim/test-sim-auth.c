/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-auth.c: envelope, auth schemes, API-key scopes, login with 2FA, logout. */
#define G_LOG_DOMAIN "docspace-sim-test"

#include "sim-test-util.h"

#include <libsoup/soup.h>
#include <string.h>

static char *
login (const char *email,
       const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"userName\":\"%s\",\"password\":\"%s\"}",
                                           email, password);
  g_autoptr(SimResp) r = api ("POST", "/api/2.0/authentication", NULL, body);

  g_assert_cmpuint (r->status, ==, 200);
  return g_strdup (obj_str (resp_response_object (r), "token"));
}

static void
assert_auth_error (SimResp    *r,
                   guint       status,
                   const char *message)
{
  JsonObject *err;

  g_assert_cmpuint (r->status, ==, status);
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "content-type"), ==,
                   "application/json; charset=utf-8");
  err = resp_error (r);
  g_assert_cmpstr (obj_str (err, "message"), ==, message);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (err, "type")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (err, "stack")));
  g_assert_cmpint (obj_int (err, "hresult"), ==, 0);
  g_assert_cmpint (obj_int (resp_object (r), "status"), ==, 1);
  g_assert_cmpint (obj_int (resp_object (r), "statusCode"), ==, status);
}

static void
test_envelope_shape (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *env, *link;
  g_autofree char *href = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/people/@self", OWNER_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "content-type"), ==,
                   "application/json; charset=utf-8");
  env = resp_object (r);
  g_assert_cmpint (obj_int (env, "count"), ==, 1);
  g_assert_cmpint (obj_int (env, "status"), ==, 0);
  g_assert_cmpint (obj_int (env, "statusCode"), ==, 200);
  g_assert_false (json_object_has_member (env, "total"));
  link = arr_obj (obj_arr (env, "links"), 0);
  href = g_strdup_printf ("%s/api/2.0/people/@self", dsl_sim_get_url (sim_test_sim ()));
  g_assert_cmpstr (obj_str (link, "href"), ==, href);
  g_assert_cmpstr (obj_str (link, "action"), ==, "GET");
  /* nulls are omitted from success bodies */
  g_assert_null (strstr (r->text, "null"));
}

static void
test_people_self (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *me;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/people/@self", OWNER_KEY, NULL);
  me = resp_response_object (r);
  g_assert_cmpstr (obj_str (me, "id"), ==, OWNER_ID);
  g_assert_cmpstr (obj_str (me, "displayName"), ==, "Olivia Owner");
  g_assert_cmpstr (obj_str (me, "firstName"), ==, "Olivia");
  g_assert_cmpstr (obj_str (me, "lastName"), ==, "Owner");
  g_assert_cmpstr (obj_str (me, "email"), ==, "owner@example.com");
  g_assert_cmpstr (obj_str (me, "userName"), ==, "owner@example.com");
  g_assert_true (obj_bool (me, "isOwner"));
  g_assert_true (obj_bool (me, "isAdmin"));
  g_assert_false (obj_bool (me, "isVisitor"));
  g_assert_nonnull (obj_str (me, "avatarSmall"));
}

static void
test_guest_is_visitor (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *me;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/people/@self", GUEST_KEY, NULL);
  me = resp_response_object (r);
  g_assert_cmpstr (obj_str (me, "displayName"), ==, "Gina Guest");
  g_assert_true (obj_bool (me, "isVisitor"));
  g_assert_false (obj_bool (me, "isAdmin"));
  g_assert_false (obj_bool (me, "isOwner"));
}

static void
test_missing_token_401_empty (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/rooms", NULL, NULL);
  g_assert_cmpuint (r->status, ==, 401);
  g_assert_cmpuint (r->length, ==, 0);
}

static void
test_unknown_key_401_empty (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/people/@self", "Bearer sk-not-a-real-key", NULL);
  g_assert_cmpuint (r->status, ==, 401);
  g_assert_cmpuint (r->length, ==, 0);
}

static void
test_expired_key_401_empty (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/people/@self", EXPIRED_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 401);
  g_assert_cmpuint (r->length, ==, 0);
}

static void
test_jwt_bearer_not_session (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/people/@self", "Bearer aaa.bbb.ccc", NULL);
  g_assert_cmpuint (r->status, ==, 401);
  g_assert_cmpuint (r->length, ==, 0);
}

static void
test_scope_rooms_403_empty (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/rooms", READONLY_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 403);
  g_assert_cmpuint (r->length, ==, 0);
}

static void
test_scope_files_read_allowed (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/file/301", READONLY_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (obj_str (resp_response_object (r), "title"), ==, "Launch plan.docx");
}

static void
test_scope_write_403_empty (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/301/links", READONLY_KEY, "{\"access\":2}");
  g_assert_cmpuint (r->status, ==, 403);
  g_assert_cmpuint (r->length, ==, 0);
}

static void
test_scope_people_self_403_empty (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/people/@self", READONLY_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 403);
  g_assert_cmpuint (r->length, ==, 0);
}

static void
test_scope_audit_403_empty (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/security/audit/events/filter", READONLY_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 403);
  g_assert_cmpuint (r->length, ==, 0);
}

static void
test_keys_self_no_scope_needed (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *k;
  JsonArray *perms;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/keys/@self", READONLY_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  k = resp_response_object (r);
  g_assert_cmpstr (obj_str (k, "name"), ==, "Read-only files key");
  g_assert_cmpstr (obj_str (k, "keyPostfix"), ==, "only");
  g_assert_null (strstr (r->text, "sk-demo-readonly"));
  perms = obj_arr (k, "permissions");
  g_assert_cmpuint (json_array_get_length (perms), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (perms, 0), ==, "files:read");
  g_assert_true (obj_bool (k, "isActive"));
  g_assert_false (json_object_has_member (k, "expiresAt"));
}

static void
test_login_token_schemes (void)
{
  g_autofree char *token = NULL;
  g_autofree char *bearer = NULL;
  g_autoptr(SimResp) r1 = NULL;
  g_autoptr(SimResp) r2 = NULL;

  sim_test_reset ();
  token = login ("user@example.com", "DemoUser1!");
  g_assert_nonnull (token);
  g_assert_false (g_str_has_prefix (token, "sk-"));

  r1 = api ("GET", "/api/2.0/people/@self", token, NULL);
  g_assert_cmpuint (r1->status, ==, 200);
  g_assert_cmpstr (obj_str (resp_response_object (r1), "id"), ==, USER_ID);

  bearer = g_strdup_printf ("Bearer %s", token);
  r2 = api ("GET", "/api/2.0/people/@self", bearer, NULL);
  g_assert_cmpuint (r2->status, ==, 200);
  g_assert_cmpstr (obj_str (resp_response_object (r2), "id"), ==, USER_ID);
}

static void
test_login_cookie (void)
{
  g_autofree char *token = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *cookie = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  sim_test_reset ();
  token = login ("owner@example.com", "DemoOwner1!");
  soup_session_set_proxy_resolver (session, NULL);
  uri = g_strdup_printf ("%s/api/2.0/people/@self", dsl_sim_get_url (sim_test_sim ()));
  msg = soup_message_new ("GET", uri);
  cookie = g_strdup_printf ("asc_auth_key=%s", token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (strstr (g_bytes_get_data (body, NULL), OWNER_ID));
}

static void
test_login_response_shape (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *o;

  sim_test_reset ();
  r = api ("POST", "/api/2.0/authentication", NULL,
           "{\"USERNAME\":\"owner@example.com\",\"Password\":\"DemoOwner1!\"}");
  g_assert_cmpuint (r->status, ==, 200);
  o = resp_response_object (r);
  g_assert_nonnull (obj_str (o, "token"));
  g_assert_true (g_str_has_suffix (obj_str (o, "expires"), "+03:00"));
  g_assert_false (obj_bool (o, "tfa"));
  g_assert_false (obj_bool (o, "sms"));
}

static void
test_login_wrong_password (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("POST", "/api/2.0/authentication", NULL,
           "{\"userName\":\"owner@example.com\",\"password\":\"nope\"}");
  assert_auth_error (r, 401, "User authentication failed");
}

static void
test_login_missing_fields (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("POST", "/api/2.0/authentication", NULL, "{\"userName\":\"owner@example.com\"}");
  assert_auth_error (r, 401, "User authentication failed");
}

static void
test_login_too_many_attempts (void)
{
  sim_test_reset ();
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(SimResp) r = api ("POST", "/api/2.0/authentication", NULL,
                                  "{\"userName\":\"user@example.com\",\"password\":\"bad\"}");

      assert_auth_error (r, 401, "User authentication failed");
    }
  {
    /* even the right password is refused now */
    g_autoptr(SimResp) r = api ("POST", "/api/2.0/authentication", NULL,
                                "{\"userName\":\"user@example.com\",\"password\":\"DemoUser1!\"}");

    assert_auth_error (r, 403, "Too many login attempts. Please try again later");
  }
  {
    /* other accounts are not affected */
    g_autofree char *t = login ("owner@example.com", "DemoOwner1!");

    g_assert_nonnull (t);
  }
  sim_test_reset ();
  {
    g_autofree char *t = login ("user@example.com", "DemoUser1!");

    g_assert_nonnull (t);
  }
}

static void
test_login_disabled (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *err;

  sim_test_reset ();
  r = api ("POST", "/api/2.0/authentication", NULL,
           "{\"userName\":\"disabled@example.com\",\"password\":\"DemoDisabled1!\"}");
  /* An InvalidOperationException: its type, stack and hresult are sent (ResponseWrapper.cs). */
  g_assert_cmpuint (r->status, ==, 403);
  err = resp_error (r);
  g_assert_cmpstr (obj_str (err, "message"), ==, "User disabled");
  g_assert_cmpstr (obj_str (err, "type"), ==, "System.InvalidOperationException");
  g_assert_nonnull (obj_str (err, "stack"));
  g_assert_cmpint (obj_int (err, "hresult"), ==, -2146233079);
}

/* The brute-force answer in the portal's language: what does not change is the status and the
 * error without type, stack and hresult (BruteForceCredentialException, withStackTrace false in
 * common/ASC.Api.Core/Middleware/ResponseWrapper.cs). */
static void
test_login_too_many_attempts_localised (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) d = NULL;
  g_autoptr(SimResp) w = NULL;

  sim_test_reset ();
  g_assert_true (dsl_sim_set_faults (sim_test_sim (), "culture=de", &error));
  g_assert_no_error (error);
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(SimResp) bad = api ("POST", "/api/2.0/authentication", NULL,
                                    "{\"userName\":\"user@example.com\",\"password\":\"bad\"}");

      /* a literal in AuthenticationController: English everywhere */
      assert_auth_error (bad, 401, "User authentication failed");
    }
  r = api ("POST", "/api/2.0/authentication", NULL,
           "{\"userName\":\"user@example.com\",\"password\":\"DemoUser1!\"}");
  assert_auth_error (r, 403, "Zu viele Anmeldeversuche. Bitte versuchen Sie es später noch einmal");

  d = api ("POST", "/api/2.0/authentication", NULL,
           "{\"userName\":\"disabled@example.com\",\"password\":\"DemoDisabled1!\"}");
  g_assert_cmpuint (d->status, ==, 403);
  g_assert_cmpstr (obj_str (resp_error (d), "message"), ==, "Benutzer deaktiviert");
  g_assert_cmpstr (obj_str (resp_error (d), "type"), ==, "System.InvalidOperationException");

  /* Other calls are not touched by the language. */
  w = api ("GET", "/api/2.0/files/rooms", OWNER_KEY, NULL);
  g_assert_cmpuint (w->status, ==, 200);
}

/* Documents taken away from a user: ProductSecurityFilter answers the "files" controller with
 * a bare 403 (StatusCodeResult, no body; common/ASC.Api.Core/Middleware/
 * ProductSecurityFilter.cs); signing in and people/@self work. */
static void
test_no_documents_access (void)
{
  g_autofree char *token = NULL;
  g_autofree char *bearer = NULL;
  g_autoptr(SimResp) me = NULL;
  const char *paths[] = {
    "/api/2.0/files/rooms", "/api/2.0/files/@my", "/api/2.0/files/101",
    "/api/2.0/files/file/301/links",
  };

  sim_test_reset ();
  token = login ("nodocs@example.com", "DemoNodocs1!");
  g_assert_nonnull (token);
  me = api ("GET", "/api/2.0/people/@self", token, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (obj_str (resp_response_object (me), "email"), ==, "nodocs@example.com");
  bearer = g_strconcat ("Bearer ", token, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SimResp) r = api ("GET", paths[i], bearer, NULL);

      g_test_message ("GET %s", paths[i]);
      g_assert_cmpuint (r->status, ==, 403);
      g_assert_cmpuint (r->length, ==, 0);
    }
}

static void
test_login_tfa_step (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) r2 = NULL;
  g_autoptr(SimResp) me = NULL;
  JsonObject *o;

  sim_test_reset ();
  r = api ("POST", "/api/2.0/authentication", NULL,
           "{\"userName\":\"tfa@example.com\",\"password\":\"DemoTfa1!\"}");
  g_assert_cmpuint (r->status, ==, 200);
  o = resp_response_object (r);
  g_assert_true (obj_bool (o, "tfa"));
  g_assert_false (json_object_has_member (o, "token"));
  g_assert_false (json_object_has_member (o, "tfaKey"));
  g_assert_true (g_str_has_prefix (obj_str (o, "confirmUrl"), dsl_sim_get_url (sim_test_sim ())));

  r2 = api ("POST", "/api/2.0/authentication/123456", NULL,
            "{\"userName\":\"tfa@example.com\",\"password\":\"DemoTfa1!\",\"code\":\"123456\"}");
  g_assert_cmpuint (r2->status, ==, 200);
  o = resp_response_object (r2);
  g_assert_true (obj_bool (o, "tfa"));
  me = api ("GET", "/api/2.0/people/@self", obj_str (o, "token"), NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (obj_str (resp_response_object (me), "displayName"), ==, "Tara Twofactor");
  g_assert_true (obj_bool (resp_response_object (me), "isAdmin"));
}

static void
test_login_tfa_wrong_code (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("POST", "/api/2.0/authentication/654321", NULL,
           "{\"userName\":\"tfa@example.com\",\"password\":\"DemoTfa1!\",\"code\":\"654321\"}");
  assert_auth_error (r, 401, "User authentication failed");
}

static void
test_login_tfa_setup_needed (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *o;

  sim_test_reset ();
  r = api ("POST", "/api/2.0/authentication", NULL,
           "{\"userName\":\"tfasetup@example.com\",\"password\":\"DemoTfa1!\"}");
  g_assert_cmpuint (r->status, ==, 200);
  o = resp_response_object (r);
  g_assert_true (obj_bool (o, "tfa"));
  g_assert_nonnull (obj_str (o, "tfaKey"));
  g_assert_nonnull (obj_str (o, "confirmUrl"));
  g_assert_false (json_object_has_member (o, "token"));
}

static void
test_logout_invalidates (void)
{
  g_autofree char *token = NULL;
  g_autoptr(SimResp) out = NULL;
  g_autoptr(SimResp) after = NULL;

  sim_test_reset ();
  token = login ("owner@example.com", "DemoOwner1!");
  out = api ("POST", "/api/2.0/authentication/logout", token, NULL);
  g_assert_cmpuint (out->status, ==, 200);
  g_assert_false (json_object_has_member (resp_object (out), "response"));
  after = api ("GET", "/api/2.0/people/@self", token, NULL);
  g_assert_cmpuint (after->status, ==, 401);
  g_assert_cmpuint (after->length, ==, 0);
}

static void
test_auth_probe_never_401 (void)
{
  g_autoptr(SimResp) anon = NULL;
  g_autoptr(SimResp) bad = NULL;
  g_autoptr(SimResp) good = NULL;

  sim_test_reset ();
  anon = api ("GET", "/api/2.0/authentication", NULL, NULL);
  g_assert_cmpuint (anon->status, ==, 200);
  g_assert_false (json_node_get_boolean (resp_response (anon)));
  bad = api ("GET", "/api/2.0/authentication", "nonsense-token", NULL);
  g_assert_cmpuint (bad->status, ==, 200);
  g_assert_false (json_node_get_boolean (resp_response (bad)));
  good = api ("GET", "/api/2.0/authentication", OWNER_KEY, NULL);
  g_assert_true (json_node_get_boolean (resp_response (good)));
}

static void
test_basic_auth (void)
{
  g_autofree char *enc = g_base64_encode ((const guchar *) "user@example.com:DemoUser1!", 27);
  g_autofree char *hdr = g_strdup_printf ("Basic %s", enc);
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/people/@self", hdr, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (obj_str (resp_response_object (r), "id"), ==, USER_ID);
}

static void
test_unknown_route_404 (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/no/such/thing", OWNER_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 404);
}

static void
test_request_log_no_secrets (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autoptr(JsonNode) logged = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autofree char *text = NULL;
  JsonObject *o;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/rooms?count=5", OWNER_KEY, NULL);
  logged = dsl_sim_find_request (sim_test_sim (), "GET", "/api/2.0/files/rooms");
  g_assert_nonnull (logged);
  o = json_node_get_object (logged);
  g_assert_cmpstr (obj_str (o, "query"), ==, "count=5");
  g_assert_cmpint (obj_int (o, "status"), ==, 200);
  g_assert_cmpstr (obj_str (o, "user"), ==, OWNER_ID);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (o, "body")));
  all = dsl_sim_get_requests (sim_test_sim (), &error);
  g_assert_no_error (error);
  text = json_to_string (all, FALSE);
  g_assert_null (strstr (text, "sk-demo-owner"));
  g_assert_cmpuint (dsl_sim_count_requests (sim_test_sim (), NULL, NULL), ==, 1);
  dsl_sim_clear_requests (sim_test_sim (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dsl_sim_count_requests (sim_test_sim (), NULL, NULL), ==, 0);
}

static void
test_request_log_bodies (void)
{
  g_autoptr(SimResp) json = NULL;
  g_autoptr(SimResp) text = NULL;
  g_autoptr(JsonNode) logged = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *a;
  JsonObject *first, *second;

  sim_test_reset ();
  json = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
              "{\"access\":2,\"title\":\"x\"}");
  text = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, "access=2");
  g_assert_cmpuint (text->status, ==, 400);
  logged = dsl_sim_get_requests (sim_test_sim (), &error);
  g_assert_no_error (error);
  a = json_node_get_array (logged);
  g_assert_cmpuint (json_array_get_length (a), ==, 2);
  first = json_array_get_object_element (a, 0);
  second = json_array_get_object_element (a, 1);
  g_assert_cmpint (obj_int (obj_obj (first, "body"), "access"), ==, 2);
  g_assert_cmpstr (obj_str (first, "method"), ==, "PUT");
  g_assert_cmpstr (obj_str (first, "path"), ==, "/api/2.0/files/file/402/links");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (first, "query")));
  g_assert_cmpstr (obj_str (second, "body"), ==, "access=2");
  g_assert_cmpint (obj_int (second, "status"), ==, 400);
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);
  g_test_add_func ("/dsl/sim/envelope-shape", test_envelope_shape);
  g_test_add_func ("/dsl/sim/people-self", test_people_self);
  g_test_add_func ("/dsl/sim/guest-is-visitor", test_guest_is_visitor);
  g_test_add_func ("/dsl/sim/missing-token-401-empty", test_missing_token_401_empty);
  g_test_add_func ("/dsl/sim/unknown-key-401-empty", test_unknown_key_401_empty);
  g_test_add_func ("/dsl/sim/expired-key-401-empty", test_expired_key_401_empty);
  g_test_add_func ("/dsl/sim/jwt-bearer-401", test_jwt_bearer_not_session);
  g_test_add_func ("/dsl/sim/scope-rooms-403-empty", test_scope_rooms_403_empty);
  g_test_add_func ("/dsl/sim/scope-files-read-allowed", test_scope_files_read_allowed);
  g_test_add_func ("/dsl/sim/scope-write-403-empty", test_scope_write_403_empty);
  g_test_add_func ("/dsl/sim/scope-people-self-403-empty", test_scope_people_self_403_empty);
  g_test_add_func ("/dsl/sim/scope-audit-403-empty", test_scope_audit_403_empty);
  g_test_add_func ("/dsl/sim/keys-self-no-scope-needed", test_keys_self_no_scope_needed);
  g_test_add_func ("/dsl/sim/login-token-schemes", test_login_token_schemes);
  g_test_add_func ("/dsl/sim/login-cookie", test_login_cookie);
  g_test_add_func ("/dsl/sim/login-response-shape", test_login_response_shape);
  g_test_add_func ("/dsl/sim/login-wrong-password", test_login_wrong_password);
  g_test_add_func ("/dsl/sim/login-missing-fields", test_login_missing_fields);
  g_test_add_func ("/dsl/sim/login-too-many-attempts", test_login_too_many_attempts);
  g_test_add_func ("/dsl/sim/login-disabled", test_login_disabled);
  g_test_add_func ("/dsl/sim/login-too-many-attempts-localised",
                   test_login_too_many_attempts_localised);
  g_test_add_func ("/dsl/sim/no-documents-access", test_no_documents_access);
  g_test_add_func ("/dsl/sim/login-tfa-step", test_login_tfa_step);
  g_test_add_func ("/dsl/sim/login-tfa-wrong-code", test_login_tfa_wrong_code);
  g_test_add_func ("/dsl/sim/login-tfa-setup-needed", test_login_tfa_setup_needed);
  g_test_add_func ("/dsl/sim/logout-invalidates", test_logout_invalidates);
  g_test_add_func ("/dsl/sim/auth-probe-never-401", test_auth_probe_never_401);
  g_test_add_func ("/dsl/sim/basic-auth", test_basic_auth);
  g_test_add_func ("/dsl/sim/unknown-route-404", test_unknown_route_404);
  g_test_add_func ("/dsl/sim/request-log", test_request_log_no_secrets);
  g_test_add_func ("/dsl/sim/request-log-bodies", test_request_log_bodies);
  return sim_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-client.c: DslClient against a real docspace-sim.
 *
 * One simulator for the whole binary, reset before every test. Each case runs one or more async
 * calls (a main loop per call, until its callback fires), then asserts both the result and the
 * request the simulator received: method, path, query and body members with their JSON types. */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "dsl-client.h"
#include "dsl-json.h"
#include "dsl-sim-fixture.h"

static DslSim *sim;

#define OWNER_KEY "sk-demo-owner"
#define USER_KEY "sk-demo-user"
#define GUEST_KEY "sk-demo-guest"
#define EXPIRED_KEY "sk-demo-expired"
#define READONLY_KEY "sk-demo-readonly"
/* Test data for a client without credentials (login tests). */
#define NO_KEY ""

typedef struct {
  DslClient    *client;
  GMainLoop    *loop;
  GAsyncResult *result;    /* set by on_done */
  GAsyncResult *done;      /* the last finished call, kept until the next wait */
  JsonNode     *request;   /* the last request looked up in the simulator's log */
  guint         unauthorized;
} Fixture;

static void
on_unauthorized (Fixture *f)
{
  f->unauthorized++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *key = data != NULL ? data : OWNER_KEY;
  g_autoptr(GError) error = NULL;

  dsl_sim_reset (sim, &error);
  g_assert_no_error (error);

  f->client = dsl_client_new (dsl_sim_get_url (sim));
  if (*key != '\0')
    dsl_client_set_api_key (f->client, key);
  g_signal_connect_swapped (f->client, "unauthorized", G_CALLBACK (on_unauthorized), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->done);
  g_clear_object (&f->result);
  g_clear_pointer (&f->request, json_node_unref);

  /* No task may outlive its call: they hold the client, so it must go away now. */
  g_object_add_weak_pointer (G_OBJECT (f->client), (gpointer *) &f->client);
  g_object_unref (f->client);
  g_assert_null (f->client);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_assert_null (f->result);
  f->result = g_object_ref (result);
  if (f->loop != NULL)
    g_main_loop_quit (f->loop);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  g_error ("an async call did not finish within 60 s");
  return G_SOURCE_REMOVE;
}

/* Runs a main loop until the pending call's callback fired; returns its result (borrowed). */
static GAsyncResult *
wait_for (Fixture *f)
{
  if (f->result == NULL)
    {
      guint timeout_id = g_timeout_add_seconds (60, on_wait_timeout, NULL);

      f->loop = g_main_loop_new (NULL, FALSE);
      g_main_loop_run (f->loop);
      g_clear_pointer (&f->loop, g_main_loop_unref);
      g_source_remove (timeout_id);
    }

  g_clear_object (&f->done);
  f->done = g_steal_pointer (&f->result);
  return f->done;
}

/* Lets the main loop run for `ms` milliseconds. */
static gboolean
on_sleep_done (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
run_for (guint ms)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (ms, on_sleep_done, loop);
  g_main_loop_run (loop);
}

static void
set_faults (const char *profile)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_set_faults (sim, profile, &error);
  g_assert_no_error (error);
}

static void
clear_requests (void)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_clear_requests (sim, &error);
  g_assert_no_error (error);
}

/* --- assertions on what the simulator received --- */

static const char *
member_string_or_null (JsonObject *object,
                       const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpuint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  return json_node_get_string (node);
}

/* The newest logged request for method + path. `query`: NULL = not checked, "" = none. */
static JsonObject *
expect_request (Fixture    *f,
                const char *method,
                const char *path,
                const char *query)
{
  JsonObject *request;

  g_clear_pointer (&f->request, json_node_unref);
  f->request = dsl_sim_find_request (sim, method, path);
  if (f->request == NULL)
    g_error ("the simulator received no %s %s", method, path);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (f->request));
  request = json_node_get_object (f->request);

  if (query != NULL)
    {
      const char *sent = member_string_or_null (request, "query");

      if (*query == '\0')
        g_assert_true (sent == NULL || *sent == '\0');
      else
        g_assert_cmpstr (sent, ==, query);
    }
  return request;
}

/* The JSON object body of a logged request. */
static JsonObject *
request_body (JsonObject *request)
{
  JsonNode *body = json_object_get_member (request, "body");

  g_assert_nonnull (body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (body));
  return json_node_get_object (body);
}

static void
assert_no_body (JsonObject *request)
{
  JsonNode *body = json_object_get_member (request, "body");

  g_assert_true (body == NULL || JSON_NODE_HOLDS_NULL (body) ||
                 (JSON_NODE_HOLDS_VALUE (body) &&
                  json_node_get_value_type (body) == G_TYPE_STRING &&
                  *json_node_get_string (body) == '\0'));
}

static void
assert_int_member (JsonObject *object,
                   const char *member,
                   gint64      value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    g_error ("member “%s” is missing", member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    g_error ("member “%s” is not an integer", member);
  g_assert_cmpint (json_node_get_int (node), ==, value);
}

static void
assert_string_member (JsonObject *object,
                      const char *member,
                      const char *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    g_error ("member “%s” is missing", member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    g_error ("member “%s” is not a string", member);
  g_assert_cmpstr (json_node_get_string (node), ==, value);
}

static void
assert_bool_member (JsonObject *object,
                    const char *member,
                    gboolean    value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    g_error ("member “%s” is missing", member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    g_error ("member “%s” is not a boolean", member);
  g_assert_cmpint (json_node_get_boolean (node), ==, value);
}

static void
assert_no_member (JsonObject *object,
                  const char *member)
{
  if (json_object_has_member (object, member))
    g_error ("member “%s” should not have been sent", member);
}

/* ApiDateTime as the server reads it: a string with an explicit offset (or Z). */
static void
assert_date_member (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *text;

  if (node == NULL)
    g_error ("member “%s” is missing", member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    g_error ("member “%s” is not a string", member);
  text = json_node_get_string (node);
  if (!g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                             "(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$", text, 0, 0))
    g_error ("member “%s” = “%s” is not an ISO date with an offset", member, text);
}

static guint
count_requests (const char *method,
                const char *path)
{
  return dsl_sim_count_requests (sim, method, path);
}

/* --- link lookups --- */

typedef gboolean (*LinkPredicate) (DslLink *link);

static gboolean
link_is_primary (DslLink *link)
{
  return dsl_link_get_primary (link);
}

static gboolean
link_denies_download (DslLink *link)
{
  return !dsl_link_get_primary (link) && dsl_link_get_deny_download (link);
}

static gboolean
link_has_password (DslLink *link)
{
  return dsl_link_get_password (link) != NULL;
}

static gboolean
link_is_expired (DslLink *link)
{
  return dsl_link_get_is_expired (link);
}

static gboolean
link_is_internal (DslLink *link)
{
  return dsl_link_get_internal (link);
}

static DslLink *
find_link (GPtrArray     *links,
           LinkPredicate  predicate)
{
  for (guint i = 0; i < links->len; i++)
    {
      if (predicate (g_ptr_array_index (links, i)))
        return g_ptr_array_index (links, i);
    }
  return NULL;
}

static gboolean
links_contain_id (GPtrArray  *links,
                  const char *id)
{
  for (guint i = 0; i < links->len; i++)
    {
      if (g_strcmp0 (dsl_link_get_id (g_ptr_array_index (links, i)), id) == 0)
        return TRUE;
    }
  return FALSE;
}

static GPtrArray *
list_links (Fixture     *f,
            DslItemKind  kind,
            const char  *id,
            int          room_link_type)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *links;

  dsl_client_list_links_async (f->client, kind, id, room_link_type, NULL, on_done, f);
  links = dsl_client_list_links_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (links);
  return links;
}

/* A link of the item matching `predicate`, as a new reference. */
static DslLink *
get_link (Fixture       *f,
          DslItemKind    kind,
          const char    *id,
          LinkPredicate  predicate)
{
  g_autoptr(GPtrArray) links = list_links (f, kind, id, kind == DSL_ITEM_KIND_ROOM ? 1 : -1);
  DslLink *link = find_link (links, predicate);

  g_assert_nonnull (link);
  return g_object_ref (link);
}

static gboolean
page_has_item (DslFolderPage *page,
               const char    *id)
{
  for (guint i = 0; i < page->items->len; i++)
    {
      if (g_strcmp0 (dsl_item_get_id (g_ptr_array_index (page->items, i)), id) == 0)
        return TRUE;
    }
  return FALSE;
}

static GDateTime *
days_from_now (int days)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) whole = g_date_time_new (zone,
                                                g_date_time_get_year (now),
                                                g_date_time_get_month (now),
                                                g_date_time_get_day_of_month (now),
                                                12, 0, 0);

  return g_date_time_add_days (whole, days);
}

/* ============================================================================================ */
/* Addresses                                                                                    */
/* ============================================================================================ */

static void
test_normalize_url (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } good[] = {
    { "docspace.example.com", "https://docspace.example.com" },
    { "  docspace.example.com  ", "https://docspace.example.com" },
    { "HTTPS://DocSpace.Example.COM/", "https://docspace.example.com" },
    { "https://docspace.example.com///", "https://docspace.example.com" },
    { "https://docspace.example.com/rooms/shared/filter?folder=5#top",
      "https://docspace.example.com" },
    { "https://Bücher.Example", "https://xn--bcher-kva.example" },
    { "https://docspace.example.com:8443/x", "https://docspace.example.com:8443" },
    { "docspace.example.com:8443", "https://docspace.example.com:8443" },
    { "localhost:8080", "https://localhost:8080" },
    { "http://localhost:8080/", "http://localhost:8080" },
    { "http://LOCALHOST", "http://localhost" },
    { "http://127.0.0.1:41234", "http://127.0.0.1:41234" },
    { "http://127.1.2.3", "http://127.1.2.3" },
    { "http://[::1]:8080/api", "http://[::1]:8080" },
    { "https://[2001:DB8::1]", "https://[2001:db8::1]" },
  };
  static const char * const bad[] = {
    "", "   ", "http://docspace.example.com", "http://192.168.1.10:8080", "http://[2001:db8::1]",
    "ftp://docspace.example.com", "https://", "https:///path", "file:///etc/passwd",
    "https://exa mple.com",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = dsl_client_normalize_url (good[i].input, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, good[i].expected);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = dsl_client_normalize_url (bad[i], &error);

      if (url != NULL)
        g_error ("“%s” was accepted as “%s”", bad[i], url);
      g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_ARGUMENT);
      g_assert_cmpuint (strlen (error->message), >, 10);
    }
}

static void
test_normalize_url_http_explained (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = dsl_client_normalize_url ("http://docspace.example.com/", &error);

  g_assert_null (url);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "https://"));
  g_assert_nonnull (strstr (error->message, "this computer"));
}

static void
test_properties (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *base_url = NULL;
  guint timeout = 0;

  g_object_get (f->client, "base-url", &base_url, "timeout", &timeout, NULL);
  g_assert_cmpstr (base_url, ==, dsl_sim_get_url (sim));
  g_assert_cmpstr (dsl_client_get_base_url (f->client), ==, dsl_sim_get_url (sim));
  g_assert_cmpuint (timeout, ==, 30);

  dsl_client_set_timeout (f->client, 5);
  g_object_get (f->client, "timeout", &timeout, NULL);
  g_assert_cmpuint (timeout, ==, 5);

  g_assert_true (dsl_client_has_credentials (f->client));
  dsl_client_set_session_token (f->client, "token");
  g_assert_true (dsl_client_has_credentials (f->client));
  dsl_client_set_api_key (f->client, NULL);
  g_assert_false (dsl_client_has_credentials (f->client));
}

/* ============================================================================================ */
/* Authentication                                                                               */
/* ============================================================================================ */

static void
test_get_self (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslUser) user = NULL;
  JsonObject *request;

  dsl_client_get_self_async (f->client, NULL, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_cmpstr (dsl_user_get_email (user), ==, "owner@example.com");
  g_assert_true (dsl_user_get_is_owner (user));
  g_assert_true (dsl_user_can_read_audit (user));

  request = expect_request (f, "GET", "/api/2.0/people/@self", "");
  assert_no_body (request);
  /* The API key was sent as "Bearer sk-…": the simulator knew who it was. */
  g_assert_cmpstr (member_string_or_null (request, "user"), ==, dsl_user_get_id (user));
  g_assert_cmpuint (f->unauthorized, ==, 0);
}

static void
test_get_key_info (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslKeyInfo) info = NULL;

  dsl_client_get_key_info_async (f->client, NULL, on_done, f);
  info = dsl_client_get_key_info_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (info);
  g_assert_nonnull (dsl_key_info_get_name (info));
  g_assert_true (dsl_key_info_get_is_active (info));
  g_assert_true (dsl_key_info_has_scope (info, "rooms:write"));

  expect_request (f, "GET", "/api/2.0/keys/@self", "");
}

static void
test_key_info_readonly (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslKeyInfo) info = NULL;

  dsl_client_get_key_info_async (f->client, NULL, on_done, f);
  info = dsl_client_get_key_info_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (dsl_key_info_has_scope (info, "files:read"));
  g_assert_false (dsl_key_info_has_scope (info, "files:write"));
  g_assert_false (dsl_key_info_has_scope (info, "rooms:read"));
}

static DslAuthResult *
login (Fixture     *f,
       const char  *email,
       const char  *password,
       const char  *code,
       GError     **error)
{
  dsl_client_login_async (f->client, email, password, code, NULL, on_done, f);
  return dsl_client_login_finish (f->client, wait_for (f), error);
}

static void
test_login_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAuthResult) auth = NULL;
  g_autoptr(DslUser) user = NULL;
  JsonObject *body;

  g_assert_false (dsl_client_has_credentials (f->client));

  auth = login (f, "owner@example.com", "DemoOwner1!", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (auth);
  g_assert_nonnull (auth->token);
  g_assert_false (dsl_auth_result_needs_code (auth));
  g_assert_true (dsl_client_has_credentials (f->client));

  body = request_body (expect_request (f, "POST", "/api/2.0/authentication", ""));
  assert_string_member (body, "userName", "owner@example.com");
  assert_string_member (body, "password", "DemoOwner1!");
  assert_bool_member (body, "session", FALSE);
  assert_no_member (body, "code");

  /* The client now signs its requests with the session token. */
  dsl_client_get_self_async (f->client, NULL, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dsl_user_get_email (user), ==, "owner@example.com");
  g_assert_cmpuint (f->unauthorized, ==, 0);
}

static void
test_login_two_factor (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAuthResult) first = NULL;
  g_autoptr(DslAuthResult) second = NULL;
  g_autoptr(DslUser) user = NULL;
  JsonObject *body;

  first = login (f, "tfa@example.com", "DemoTfa1!", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (first->token);
  g_assert_true (first->tfa);
  g_assert_true (dsl_auth_result_needs_code (first));
  g_assert_false (dsl_client_has_credentials (f->client));

  second = login (f, "tfa@example.com", "DemoTfa1!", "123456", &error);
  g_assert_no_error (error);
  g_assert_nonnull (second->token);
  g_assert_true (dsl_client_has_credentials (f->client));

  body = request_body (expect_request (f, "POST", "/api/2.0/authentication/123456", ""));
  assert_string_member (body, "userName", "tfa@example.com");
  assert_string_member (body, "password", "DemoTfa1!");
  assert_string_member (body, "code", "123456");
  assert_bool_member (body, "session", FALSE);

  dsl_client_get_self_async (f->client, NULL, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dsl_user_get_email (user), ==, "tfa@example.com");
}

static void
test_login_wrong_code (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAuthResult) auth = NULL;

  auth = login (f, "tfa@example.com", "DemoTfa1!", "000000", &error);
  g_assert_null (auth);
  g_assert_nonnull (error);
  g_assert_true (error->domain == DSL_ERROR);
  g_assert_false (dsl_client_has_credentials (f->client));
  g_assert_cmpuint (f->unauthorized, ==, 0);
}

static void
test_login_tfa_setup (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAuthResult) auth = NULL;

  auth = login (f, "tfasetup@example.com", "DemoTfa1!", NULL, &error);
  g_assert_null (auth);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_TFA_SETUP_REQUIRED);
  /* The message tells where to finish the setup. */
  g_assert_nonnull (strstr (error->message, "http"));
  g_assert_false (dsl_client_has_credentials (f->client));
}

static void
test_login_wrong_password (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAuthResult) auth = NULL;

  auth = login (f, "owner@example.com", "wrong", NULL, &error);
  g_assert_null (auth);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_LOGIN_FAILED);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 401);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==, "User authentication failed");
  g_assert_nonnull (strstr (error->message, "password"));
  /* A failed login is not a lost session. */
  g_assert_cmpuint (f->unauthorized, ==, 0);
  g_assert_false (dsl_client_has_credentials (f->client));
}

static void
test_login_too_many_attempts (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint attempts = 0;

  /* Wrong passwords until the portal stops listening (5 in the seed). */
  while (attempts < 10)
    {
      g_autoptr(DslAuthResult) auth = NULL;

      g_clear_error (&error);
      auth = login (f, "owner@example.com", "wrong", NULL, &error);
      g_assert_null (auth);
      attempts++;
      if (!g_error_matches (error, DSL_ERROR, DSL_ERROR_LOGIN_FAILED))
        break;
    }

  g_assert_error (error, DSL_ERROR, DSL_ERROR_TOO_MANY_ATTEMPTS);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 403);
  g_assert_true (g_str_has_prefix (dsl_error_get_server_message (error),
                                   "Too many login attempts"));
  g_assert_cmpuint (attempts, >=, 5);
  g_assert_cmpuint (f->unauthorized, ==, 0);
}

static void
test_login_disabled (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAuthResult) auth = NULL;

  auth = login (f, "disabled@example.com", "DemoDisabled1!", NULL, &error);
  g_assert_null (auth);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_ACCOUNT_DISABLED);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==, "User disabled");
  g_assert_nonnull (strstr (error->message, "disabled"));
}

/* On a German portal the login's refusals come in German (Resource.de.resx): they are told
 * apart by what the language does not change, the error's type (none for the brute-force
 * refusal, InvalidOperationException for a disabled user). */
static void
test_login_refusals_localised (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAuthResult) disabled = NULL;
  guint attempts = 0;

  set_faults ("culture=de");
  while (attempts < 10)
    {
      g_autoptr(DslAuthResult) auth = NULL;

      g_clear_error (&error);
      auth = login (f, "owner@example.com", "wrong", NULL, &error);
      g_assert_null (auth);
      attempts++;
      if (!g_error_matches (error, DSL_ERROR, DSL_ERROR_LOGIN_FAILED))
        break;
    }
  g_assert_error (error, DSL_ERROR, DSL_ERROR_TOO_MANY_ATTEMPTS);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==,
                   "Zu viele Anmeldeversuche. Bitte versuchen Sie es später noch einmal");
  g_assert_nonnull (strstr (error->message, "Too many sign-in attempts"));
  g_clear_error (&error);

  disabled = login (f, "disabled@example.com", "DemoDisabled1!", NULL, &error);
  g_assert_null (disabled);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_ACCOUNT_DISABLED);
  g_assert_cmpstr (dsl_error_get_server_type (error), ==, "System.InvalidOperationException");
  g_assert_cmpstr (dsl_error_get_server_message (error), ==, "Benutzer deaktiviert");
}

/* Signed in with a password by a user whom the administrator took Documents from: the files
 * routes answer a bare 403, which is not about an API key. */
static void
test_no_documents_access (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAuthResult) auth = NULL;
  g_autoptr(DslUser) user = NULL;
  g_autoptr(DslFolderPage) page = NULL;

  auth = login (f, "nodocs@example.com", "DemoNodocs1!", NULL, &error);
  g_assert_no_error (error);
  dsl_client_get_self_async (f->client, NULL, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);

  dsl_client_list_rooms_async (f->client, NULL, NULL, 0, 0, 100, NULL, on_done, f);
  page = dsl_client_list_rooms_finish (f->client, wait_for (f), &error);
  g_assert_null (page);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_NO_DOCUMENTS);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 403);
  g_assert_nonnull (strstr (error->message, "Documents"));
  g_assert_null (strstr (error->message, "API key"));
  g_assert_cmpuint (f->unauthorized, ==, 0);
}

/* A lapsed subscription: every call but signing in answers a bare 402. That is not "the plan
 * lacks this feature" (a 402 with a message, see audit402). */
static void
test_subscription_lapsed (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = NULL;
  g_autoptr(DslUser) user = NULL;

  set_faults ("unpaid");
  dsl_client_get_self_async (f->client, NULL, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);

  clear_requests ();
  dsl_client_list_rooms_async (f->client, NULL, NULL, 0, 0, 100, NULL, on_done, f);
  page = dsl_client_list_rooms_finish (f->client, wait_for (f), &error);
  g_assert_null (page);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_SUBSCRIPTION_LAPSED);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 402);
  g_assert_nonnull (strstr (error->message, "subscription"));
  g_assert_null (strstr (error->message, "plan"));
  /* Not a transient failure: asked once. */
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/files/rooms"), ==, 1);
}

static void
test_logout (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAuthResult) auth = NULL;
  g_autoptr(DslClient) other = NULL;
  g_autoptr(DslUser) user = NULL;
  JsonObject *request;
  gboolean ok;

  auth = login (f, "owner@example.com", "DemoOwner1!", NULL, &error);
  g_assert_no_error (error);

  dsl_client_logout_async (f->client, NULL, on_done, f);
  ok = dsl_client_logout_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_false (dsl_client_has_credentials (f->client));
  request = expect_request (f, "POST", "/api/2.0/authentication/logout", "");
  /* The logout was made with the session it ended. */
  g_assert_nonnull (member_string_or_null (request, "user"));

  /* The old token no longer works anywhere. */
  dsl_client_set_session_token (f->client, auth->token);
  dsl_client_get_self_async (f->client, NULL, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_null (user);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (f->unauthorized, ==, 1);
}

/* ============================================================================================ */
/* Browsing                                                                                     */
/* ============================================================================================ */

static void
test_list_rooms (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = NULL;

  dsl_client_list_rooms_async (f->client, NULL, NULL, 0, 0, 100, NULL, on_done, f);
  page = dsl_client_list_rooms_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  g_assert_true (page_has_item (page, "101"));
  g_assert_true (page_has_item (page, "106"));
  g_assert_cmpuint (page->total, >=, 6);

  expect_request (f, "GET", "/api/2.0/files/rooms", "startIndex=0&count=100");
}

static void
test_list_rooms_filtered (Fixture       *f,
                          gconstpointer  data)
{
  static const DslRoomType types[] = { DSL_ROOM_TYPE_PUBLIC, DSL_ROOM_TYPE_CUSTOM };
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = NULL;

  dsl_client_list_rooms_async (f->client, "Press Kit", types, G_N_ELEMENTS (types), 0, 25,
                               NULL, on_done, f);
  page = dsl_client_list_rooms_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (page_has_item (page, "102"));
  g_assert_false (page_has_item (page, "101"));

  expect_request (f, "GET", "/api/2.0/files/rooms",
                  "filterValue=Press%20Kit&type=6&type=5&startIndex=0&count=25");
}

static void
test_list_folder (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = NULL;

  dsl_client_list_folder_async (f->client, "201", NULL, 0, 50, NULL, on_done, f);
  page = dsl_client_list_folder_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (page_has_item (page, "202"));
  g_assert_nonnull (page->current);
  g_assert_cmpstr (dsl_item_get_id (page->current), ==, "201");
  g_assert_cmpuint (page->path->len, >=, 2);

  expect_request (f, "GET", "/api/2.0/files/201", "startIndex=0&count=50");
}

/* The pager: one page of DSL_CLIENT_PAGE_SIZE of the Rooms section or of a folder, and how
 * many pages a listing takes. */
static void
test_list_page (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) rooms = NULL;
  g_autoptr(DslFolderPage) folder = NULL;

  dsl_client_list_page_async (f->client, DSL_FOLDER_ROOMS, "Press Kit", 0, NULL, on_done, f);
  rooms = dsl_client_list_page_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (page_has_item (rooms, "102"));
  expect_request (f, "GET", "/api/2.0/files/rooms",
                  "filterValue=Press%20Kit&startIndex=0&count=100");

  clear_requests ();
  dsl_client_list_page_async (f->client, "201", NULL, 100, NULL, on_done, f);
  folder = dsl_client_list_page_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (folder);
  expect_request (f, "GET", "/api/2.0/files/201", "startIndex=100&count=100");

  g_assert_cmpuint (dsl_client_page_count (0), ==, 0);
  g_assert_cmpuint (dsl_client_page_count (1), ==, 1);
  g_assert_cmpuint (dsl_client_page_count (DSL_CLIENT_PAGE_SIZE), ==, 1);
  g_assert_cmpuint (dsl_client_page_count (DSL_CLIENT_PAGE_SIZE + 1), ==, 2);
  g_assert_cmpuint (dsl_client_page_count (G_MAXUINT), ==, DSL_CLIENT_MAX_PAGES);
}

/* The portal's sharing policy (issue 17): GET files/settings, and what it means per section. */
static void
test_sharing_policy (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslSharingPolicy) defaults = NULL;
  g_autoptr(DslSharingPolicy) restricted = NULL;
  DslSharingPolicy expected;
  guint status;

  dsl_client_get_sharing_policy_async (f->client, NULL, on_done, f);
  defaults = dsl_client_get_sharing_policy_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  dsl_sharing_policy_init_defaults (&expected);
  g_assert_true (dsl_sharing_policy_equal (defaults, &expected));
  g_assert_false (dsl_sharing_policy_restricts_creation (defaults, 5));
  expect_request (f, "GET", "/api/2.0/files/settings", "");

  /* An admin turns public links off for rooms only (the sim's copy of the real endpoint). */
  status = dsl_sim_http (sim, "PUT", "/api/2.0/files/settings/externalsharingsettings",
                         "Bearer sk-demo-owner",
                         "{\"externalShare\":false,\"externalShareApplyToRooms\":true,"
                         "\"blockExistingLinksOnRestrict\":false}", NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  dsl_client_get_sharing_policy_async (f->client, NULL, on_done, f);
  restricted = dsl_client_get_sharing_policy_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_false (restricted->external_share);
  g_assert_true (restricted->default_internal);
  g_assert_false (restricted->apply_to_documents);
  g_assert_true (restricted->apply_to_rooms);
  g_assert_false (restricted->block_existing);
  /* FolderType: 5 My documents, 14 the Rooms section, 20 Archive. */
  g_assert_false (dsl_sharing_policy_restricts_creation (restricted, 5));
  g_assert_true (dsl_sharing_policy_restricts_creation (restricted, 14));
  g_assert_false (dsl_sharing_policy_restricts_creation (restricted, 20));
  g_assert_false (dsl_sharing_policy_blocks_existing (restricted, 14));
  restricted->block_existing = TRUE;
  g_assert_true (dsl_sharing_policy_blocks_existing (restricted, 14));
  g_assert_false (dsl_sharing_policy_blocks_existing (restricted, 5));
  g_assert_false (dsl_sharing_policy_equal (restricted, &expected));
}

static void
test_list_folder_my (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = NULL;

  dsl_client_list_folder_async (f->client, DSL_FOLDER_MY, "Q3 & notes", 10, 20, NULL,
                                on_done, f);
  page = dsl_client_list_folder_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  expect_request (f, "GET", "/api/2.0/files/@my",
                  "filterValue=Q3%20%26%20notes&startIndex=10&count=20");

  g_clear_pointer (&page, dsl_folder_page_free);
  dsl_client_list_folder_async (f->client, DSL_FOLDER_MY, NULL, 0, 100, NULL, on_done, f);
  page = dsl_client_list_folder_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (page_has_item (page, "401"));
  g_assert_true (page_has_item (page, "402"));
  g_assert_true (page_has_item (page, "501"));
}

static void
test_list_folder_third_party (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = NULL;

  dsl_client_list_folder_async (f->client, "sbox-12-demo", NULL, 0, 100, NULL, on_done, f);
  page = dsl_client_list_folder_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (page_has_item (page, "sbox-12-file-1"));
  expect_request (f, "GET", "/api/2.0/files/sbox-12-demo", "startIndex=0&count=100");
}

static void
test_list_folder_scaled (Fixture       *f,
                         gconstpointer  data)
{
  const char *args[] = { "--scale", "1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(DslSim) big = dsl_sim_start (args, &error);
  g_autoptr(DslClient) client = NULL;
  g_autoptr(DslFolderPage) page = NULL;

  g_assert_no_error (error);
  client = dsl_client_new (dsl_sim_get_url (big));
  dsl_client_set_api_key (client, OWNER_KEY);

  dsl_client_list_folder_async (client, "901", NULL, 9950, 100, NULL, on_done, f);
  page = dsl_client_list_folder_finish (client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->total, ==, 10000);
  g_assert_cmpuint (page->start_index, ==, 9950);
  g_assert_cmpuint (page->items->len, ==, 50);
}

/* count must be 1..100: refused before anything is sent. */
static void
test_count_refused (Fixture       *f,
                    gconstpointer  data)
{
  static const guint counts[] = { 0, 101, 500 };
  DslAuditFilter filter;

  clear_requests ();
  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DslFolderPage) rooms = NULL;
      g_autoptr(DslFolderPage) folder = NULL;

      dsl_client_list_rooms_async (f->client, NULL, NULL, 0, 0, counts[i], NULL, on_done, f);
      rooms = dsl_client_list_rooms_finish (f->client, wait_for (f), &error);
      g_assert_null (rooms);
      g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);

      dsl_client_list_folder_async (f->client, "201", NULL, 0, counts[i], NULL, on_done, f);
      folder = dsl_client_list_folder_finish (f->client, wait_for (f), &error);
      g_assert_null (folder);
      g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_ARGUMENT);
    }

  dsl_audit_filter_init (&filter);
  filter.count = 101;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) events = NULL;

    dsl_client_list_audit_events_async (f->client, &filter, NULL, on_done, f);
    events = dsl_client_list_audit_events_finish (f->client, wait_for (f), &error);
    g_assert_null (events);
    g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_ARGUMENT);
  }

  g_assert_cmpuint (count_requests (NULL, NULL), ==, 0);
}

static void
test_get_item (Fixture       *f,
               gconstpointer  data)
{
  static const struct {
    DslItemKind kind;
    const char *id;
    const char *path;
    const char *title;
  } cases[] = {
    { DSL_ITEM_KIND_FILE, "401", "/api/2.0/files/file/401", "Q3 report.docx" },
    { DSL_ITEM_KIND_FOLDER, "501", "/api/2.0/files/folder/501", "Drafts" },
    { DSL_ITEM_KIND_ROOM, "101", "/api/2.0/files/rooms/101", "Marketing" },
    { DSL_ITEM_KIND_FILE, "sbox-12-file-1", "/api/2.0/files/file/sbox-12-file-1", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DslItem) item = NULL;

      dsl_client_get_item_async (f->client, cases[i].kind, cases[i].id, NULL, on_done, f);
      item = dsl_client_get_item_finish (f->client, wait_for (f), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (dsl_item_get_id (item), ==, cases[i].id);
      g_assert_cmpint (dsl_item_get_kind (item), ==, cases[i].kind);
      if (cases[i].title != NULL)
        g_assert_cmpstr (dsl_item_get_title (item), ==, cases[i].title);
      assert_no_body (expect_request (f, "GET", cases[i].path, ""));
    }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) item = NULL;

  dsl_client_get_item_async (f->client, DSL_ITEM_KIND_FILE, "999999", NULL, on_done, f);
  item = dsl_client_get_item_finish (f->client, wait_for (f), &error);
  g_assert_null (item);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_NOT_FOUND);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 404);
  /* A 404 is not worth a retry. */
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/files/file/999999"), ==, 1);
}

/* ============================================================================================ */
/* Links                                                                                        */
/* ============================================================================================ */

static void
test_primary_link_existing (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslLink) again = NULL;
  JsonObject *body;

  dsl_client_get_primary_link_async (f->client, DSL_ITEM_KIND_FILE, "401", NULL, NULL,
                                     on_done, f);
  link = dsl_client_get_primary_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (dsl_link_get_primary (link));
  g_assert_nonnull (dsl_link_get_id (link));
  g_assert_nonnull (dsl_link_get_share_link (link));

  body = request_body (expect_request (f, "POST", "/api/2.0/files/file/401/link", ""));
  assert_int_member (body, "access", DSL_ACCESS_READ);
  assert_no_member (body, "linkId");
  assert_no_member (body, "expirationDate");
  assert_no_member (body, "password");

  /* Get-or-create: the same link again. */
  dsl_client_get_primary_link_async (f->client, DSL_ITEM_KIND_FILE, "401", NULL, NULL,
                                     on_done, f);
  again = dsl_client_get_primary_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dsl_link_get_id (again), ==, dsl_link_get_id (link));
}

static void
test_primary_link_created (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) initial = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GDateTime) expiry = days_from_now (5);
  g_autoptr(GPtrArray) links = NULL;
  JsonObject *body;

  dsl_link_set_access (initial, DSL_ACCESS_EDITING);
  dsl_link_set_expiration_date (initial, expiry);
  dsl_link_set_deny_download (initial, TRUE);

  dsl_client_get_primary_link_async (f->client, DSL_ITEM_KIND_FILE, "402", initial, NULL,
                                     on_done, f);
  link = dsl_client_get_primary_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (dsl_link_get_primary (link));
  g_assert_cmpint (dsl_link_get_access (link), ==, DSL_ACCESS_EDITING);
  g_assert_true (dsl_link_get_deny_download (link));
  g_assert_nonnull (dsl_link_get_expiration_date (link));
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (link)), ==,
                   g_date_time_to_unix (expiry));

  body = request_body (expect_request (f, "POST", "/api/2.0/files/file/402/link", ""));
  assert_int_member (body, "access", DSL_ACCESS_EDITING);
  assert_date_member (body, "expirationDate");
  assert_bool_member (body, "denyDownload", TRUE);
  assert_no_member (body, "linkId");

  links = list_links (f, DSL_ITEM_KIND_FILE, "402", -1);
  g_assert_cmpuint (links->len, ==, 1);
}

static void
test_primary_link_folder (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;
  JsonObject *body;

  dsl_client_get_primary_link_async (f->client, DSL_ITEM_KIND_FOLDER, "501", NULL, NULL,
                                     on_done, f);
  link = dsl_client_get_primary_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (dsl_link_get_primary (link));

  body = request_body (expect_request (f, "POST", "/api/2.0/files/folder/501/link", ""));
  assert_int_member (body, "access", DSL_ACCESS_READ);
}

static void
test_primary_link_room (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;

  dsl_client_get_primary_link_async (f->client, DSL_ITEM_KIND_ROOM, "102", NULL, NULL,
                                     on_done, f);
  link = dsl_client_get_primary_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (dsl_link_get_primary (link));
  g_assert_true (dsl_link_get_can_revoke (link));

  assert_no_body (expect_request (f, "GET", "/api/2.0/files/rooms/102/link", ""));
  g_assert_cmpuint (count_requests ("POST", NULL), ==, 0);
}

static void
test_list_links_file (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) links = list_links (f, DSL_ITEM_KIND_FILE, "401", -1);
  DslLink *deny;

  g_assert_cmpuint (links->len, ==, 2);
  g_assert_true (dsl_link_get_primary (g_ptr_array_index (links, 0)));
  deny = find_link (links, link_denies_download);
  g_assert_nonnull (deny);
  g_assert_nonnull (dsl_link_get_expiration_date (deny));
  g_assert_false (dsl_link_get_is_expired (deny));

  assert_no_body (expect_request (f, "GET", "/api/2.0/files/file/401/links",
                                  "startIndex=0&count=100"));
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/files/file/401/links"), ==, 1);
}

/* Paging of file links (docspace-api.md §4.1) needs more than 100 links, more than the real
 * limits allow on one file, so a tiny local HTTP server plays that part: 150 links, and it hands
 * out at most 60 per page whatever count asks for. The client must follow `total`.
 * (A GThreadedSocketService rather than a SoupServer: libsoup 3.2's server leaks under
 * valgrind.) */
typedef struct {
  GMutex          lock;
  GPtrArray      *queries;   /* the raw query of each request */
  GPtrArray      *headers;   /* "name: value" lines of each request, one string per request */
  GSocketService *service;
  char           *url;
} PagingServer;

static guint
query_uint (const char *query,
            const char *name,
            guint       fallback)
{
  g_autoptr(GHashTable) params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  const char *value = params != NULL ? g_hash_table_lookup (params, name) : NULL;

  return value != NULL ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

/* Runs in the service's thread: one request per connection, blocking I/O. */
static gboolean
paging_run (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source,
            gpointer                user_data)
{
  PagingServer *state = user_data;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *request_line = NULL;
  g_autoptr(GString) body = g_string_new ("{\"response\":[");
  g_autofree char *head = NULL;
  GString *headers = g_string_new (NULL);
  const char *query;
  guint start, count, n = 0;
  GOutputStream *out;

  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  request_line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (request_line == NULL)
    return TRUE;
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (header == NULL || *header == '\0')
        break;
      g_string_append_printf (headers, "%s\n", header);
    }

  /* "GET /api/2.0/files/file/1/links?startIndex=0&count=100 HTTP/1.1" */
  *strrchr (request_line, ' ') = '\0';
  query = strchr (request_line, '?') != NULL ? strchr (request_line, '?') + 1 : "";
  g_mutex_lock (&state->lock);
  g_ptr_array_add (state->queries, g_strdup (query));
  g_ptr_array_add (state->headers, g_string_free (headers, FALSE));
  g_mutex_unlock (&state->lock);

  start = query_uint (query, "startIndex", 0);
  count = query_uint (query, "count", 100);
  for (guint i = start; i < 150 && n < MIN (count, 60); i++, n++)
    g_string_append_printf (body, "%s{\"access\":2,\"subjectType\":%d,"
                            "\"sharedLink\":{\"id\":\"link-%u\",\"title\":\"Link %u\"}}",
                            n > 0 ? "," : "", i == 0 ? 4 : 1, i, i);
  g_string_append_printf (body, "],\"count\":%u,\"total\":150,\"status\":0,"
                          "\"statusCode\":200}", n);

  head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          body->len);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, body->str, body->len, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
paging_server_start (PagingServer *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_mutex_init (&state->lock);
  state->queries = g_ptr_array_new_with_free_func (g_free);
  state->headers = g_ptr_array_new_with_free_func (g_free);
  state->service = g_threaded_socket_service_new (2);
  g_signal_connect (state->service, "run", G_CALLBACK (paging_run), state);
  g_socket_listener_add_address (G_SOCKET_LISTENER (state->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  state->url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_service_start (state->service);
}

/* Stops listening; keeps what was recorded until paging_server_free. */
static void
paging_server_stop (PagingServer *state)
{
  g_socket_service_stop (state->service);
  g_socket_listener_close (G_SOCKET_LISTENER (state->service));
  g_clear_object (&state->service);
}

static void
paging_server_free (PagingServer *state)
{
  g_clear_pointer (&state->queries, g_ptr_array_unref);
  g_clear_pointer (&state->headers, g_ptr_array_unref);
  g_clear_pointer (&state->url, g_free);
  g_mutex_clear (&state->lock);
}

static void
test_list_links_paged (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslClient) client = NULL;
  g_autoptr(GPtrArray) links = NULL;
  PagingServer state = { 0 };

  paging_server_start (&state);
  client = dsl_client_new (state.url);
  dsl_client_set_api_key (client, OWNER_KEY);
  dsl_client_list_links_async (client, DSL_ITEM_KIND_FILE, "1", -1, NULL, on_done, f);
  links = dsl_client_list_links_finish (client, wait_for (f), &error);
  g_assert_no_error (error);
  paging_server_stop (&state);

  g_assert_cmpuint (links->len, ==, 150);
  g_assert_true (dsl_link_get_primary (g_ptr_array_index (links, 0)));
  for (guint i = 0; i < links->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("link-%u", i);

      g_assert_cmpstr (dsl_link_get_id (g_ptr_array_index (links, i)), ==, id);
    }

  g_mutex_lock (&state.lock);
  g_assert_cmpuint (state.queries->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (state.queries, 0), ==, "startIndex=0&count=100");
  g_assert_cmpstr (g_ptr_array_index (state.queries, 1), ==, "startIndex=60&count=100");
  g_assert_cmpstr (g_ptr_array_index (state.queries, 2), ==, "startIndex=120&count=100");
  g_mutex_unlock (&state.lock);
  paging_server_free (&state);
}

/* What every request carries: user agent, Accept, and the credential in its scheme. */
static void
test_request_headers (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslClient) client = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  PagingServer state = { 0 };
  const char *headers;

  paging_server_start (&state);
  client = dsl_client_new (state.url);

  dsl_client_set_api_key (client, "sk-demo-owner");
  dsl_client_list_links_async (client, DSL_ITEM_KIND_FILE, "1", -1, NULL, on_done, f);
  first = dsl_client_list_links_finish (client, wait_for (f), &error);
  g_assert_no_error (error);

  dsl_client_set_session_token (client, "session-token-1");
  dsl_client_list_links_async (client, DSL_ITEM_KIND_FILE, "1", -1, NULL, on_done, f);
  second = dsl_client_list_links_finish (client, wait_for (f), &error);
  g_assert_no_error (error);
  paging_server_stop (&state);

  g_mutex_lock (&state.lock);
  g_assert_cmpuint (state.headers->len, ==, 6);
  headers = g_ptr_array_index (state.headers, 0);
  g_assert_nonnull (strstr (headers, "User-Agent: DocSpaceLinks/" PACKAGE_VERSION "\n"));
  g_assert_nonnull (strstr (headers, "Accept: application/json\n"));
  g_assert_nonnull (strstr (headers, "Authorization: Bearer sk-demo-owner\n"));
  headers = g_ptr_array_index (state.headers, 3);
  g_assert_nonnull (strstr (headers, "Authorization: session-token-1\n"));
  g_assert_null (strstr (headers, "Bearer"));
  g_mutex_unlock (&state.lock);
  paging_server_free (&state);
}

static void
test_list_links_empty (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) links = list_links (f, DSL_ITEM_KIND_FILE, "402", -1);

  g_assert_cmpuint (links->len, ==, 0);
  /* Listing never creates a link. */
  g_assert_cmpuint (count_requests ("POST", NULL), ==, 0);
}

static void
test_list_links_folder (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) links = list_links (f, DSL_ITEM_KIND_FOLDER, "201", -1);

  g_assert_nonnull (links);
  expect_request (f, "GET", "/api/2.0/files/folder/201/links", "");
}

static void
test_list_links_room (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) all = list_links (f, DSL_ITEM_KIND_ROOM, "101", -1);
  g_autoptr(GPtrArray) external = NULL;
  gboolean has_invitation = FALSE;

  expect_request (f, "GET", "/api/2.0/files/rooms/101/links", "");
  for (guint i = 0; i < all->len; i++)
    has_invitation |= dsl_link_get_link_type (g_ptr_array_index (all, i)) ==
                      DSL_LINK_TYPE_INVITATION;
  g_assert_true (has_invitation);

  external = list_links (f, DSL_ITEM_KIND_ROOM, "101", 1);
  expect_request (f, "GET", "/api/2.0/files/rooms/101/links", "type=1");
  g_assert_cmpuint (external->len, ==, all->len - 1);
  for (guint i = 0; i < external->len; i++)
    g_assert_cmpint (dsl_link_get_link_type (g_ptr_array_index (external, i)), ==,
                     DSL_LINK_TYPE_EXTERNAL);

  g_assert_nonnull (find_link (external, link_is_primary));
  g_assert_nonnull (find_link (external, link_is_expired));
  g_assert_nonnull (find_link (external, link_is_internal));
  g_assert_cmpstr (dsl_link_get_password (find_link (external, link_has_password)), ==,
                   "Secret123");
}

static void
test_create_link_file (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GDateTime) expiry = days_from_now (7);
  g_autoptr(GPtrArray) links = NULL;
  JsonObject *body;

  dsl_link_set_id (state, "ignored-id");
  dsl_link_set_title (state, "For the press");
  dsl_link_set_access (state, DSL_ACCESS_COMMENT);
  dsl_link_set_password (state, "Secret123");
  dsl_link_set_expiration_date (state, expiry);

  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (link);
  g_assert_cmpstr (dsl_link_get_title (link), ==, "For the press");
  g_assert_cmpint (dsl_link_get_access (link), ==, DSL_ACCESS_COMMENT);
  g_assert_cmpstr (dsl_link_get_password (link), ==, "Secret123");
  g_assert_false (dsl_link_get_primary (link));
  g_assert_cmpstr (dsl_link_get_id (link), !=, "ignored-id");

  body = request_body (expect_request (f, "PUT", "/api/2.0/files/file/401/links", ""));
  assert_no_member (body, "linkId");
  assert_int_member (body, "access", DSL_ACCESS_COMMENT);
  assert_string_member (body, "title", "For the press");
  assert_string_member (body, "password", "Secret123");
  assert_date_member (body, "expirationDate");
  assert_bool_member (body, "denyDownload", FALSE);
  assert_bool_member (body, "internal", FALSE);
  assert_no_member (body, "linkType");

  links = list_links (f, DSL_ITEM_KIND_FILE, "401", -1);
  g_assert_true (links_contain_id (links, dsl_link_get_id (link)));
}

static void
test_create_link_folder (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  JsonObject *body;

  dsl_link_set_title (state, "Drafts for review");
  dsl_link_set_internal (state, TRUE);

  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FOLDER, "501", state, NULL,
                                on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (dsl_link_get_internal (link));

  body = request_body (expect_request (f, "PUT", "/api/2.0/files/folder/501/links", ""));
  assert_int_member (body, "access", DSL_ACCESS_READ);
  assert_bool_member (body, "internal", TRUE);
  assert_no_member (body, "linkId");
  assert_no_member (body, "expirationDate");
  assert_no_member (body, "password");
}

static void
test_create_link_room (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  JsonObject *body;

  dsl_link_set_title (state, "Agency");

  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_ROOM, "102", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dsl_link_get_title (link), ==, "Agency");
  g_assert_cmpint (dsl_link_get_link_type (link), ==, DSL_LINK_TYPE_EXTERNAL);

  body = request_body (expect_request (f, "PUT", "/api/2.0/files/rooms/102/links", ""));
  assert_int_member (body, "linkType", DSL_LINK_TYPE_EXTERNAL);
  assert_int_member (body, "access", DSL_ACCESS_READ);
  assert_string_member (body, "title", "Agency");
  assert_no_member (body, "linkId");
}

static void
test_create_link_limit (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;

  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_ROOM, "106", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_null (link);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_FORBIDDEN);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 403);
  g_assert_cmpstr (dsl_error_get_server_message (error), ==,
                   "The maximum number of links may not exceed 5");
  g_assert_nonnull (strstr (error->message, "The maximum number of links may not exceed 5"));
  g_assert_cmpuint (count_requests ("PUT", "/api/2.0/files/rooms/106/links"), ==, 1);
}

/* 400 in the error envelope: an expiry more than 10 years ahead. */
static void
test_create_link_expiry_too_far (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GDateTime) expiry = days_from_now (11 * 366);

  dsl_link_set_expiration_date (state, expiry);
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_null (link);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_BAD_REQUEST);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 400);
  g_assert_nonnull (dsl_error_get_server_message (error));
  assert_date_member (request_body (expect_request (f, "PUT", "/api/2.0/files/file/401/links",
                                                    "")),
                      "expirationDate");
}

/* 403 JSON: rooms of some types take no external links; the user is not allowed to share. */
static void
test_forbidden (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;

  /* sk-demo-user is a viewer in room 105. */
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_ROOM, "105", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_null (link);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_FORBIDDEN);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 403);
  g_assert_nonnull (dsl_error_get_server_message (error));
  g_assert_cmpuint (f->unauthorized, ==, 0);
}

/* Guests cannot manage links: listing answers an empty list (not 403), creating is 403. */
static void
test_guest_cannot_share (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = list_links (f, DSL_ITEM_KIND_ROOM, "101", -1);
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;

  g_assert_cmpuint (links->len, ==, 0);

  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "303", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_null (link);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_FORBIDDEN);
  g_assert_cmpuint (count_requests ("PUT", "/api/2.0/files/file/303/links"), ==, 1);
}

static void
test_forbidden_room_type (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;

  /* Collaboration rooms have no external links of their own. */
  dsl_client_get_primary_link_async (f->client, DSL_ITEM_KIND_ROOM, "104", NULL, NULL,
                                     on_done, f);
  link = dsl_client_get_primary_link_finish (f->client, wait_for (f), &error);
  g_assert_null (link);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_FORBIDDEN);
  g_assert_nonnull (dsl_error_get_server_message (error));
  /* A 403 is final: not retried even though it was a GET. */
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/files/rooms/104/link"), ==, 1);
}

static void
test_update_link (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) original = get_link (f, DSL_ITEM_KIND_FILE, "401", link_denies_download);
  g_autoptr(DslLink) state = dsl_link_copy (original);
  g_autoptr(DslLink) updated = NULL;
  JsonObject *body;

  dsl_link_set_title (state, "Renamed");

  dsl_client_update_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  updated = dsl_client_update_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dsl_link_get_id (updated), ==, dsl_link_get_id (original));
  g_assert_cmpstr (dsl_link_get_title (updated), ==, "Renamed");
  /* Everything else survived because everything else was sent. */
  g_assert_true (dsl_link_get_deny_download (updated));
  g_assert_nonnull (dsl_link_get_expiration_date (updated));
  g_assert_true (dsl_link_state_equal (updated, state));

  body = request_body (expect_request (f, "PUT", "/api/2.0/files/file/401/links", ""));
  assert_string_member (body, "linkId", dsl_link_get_id (original));
  assert_int_member (body, "access", dsl_link_get_access (original));
  assert_string_member (body, "title", "Renamed");
  assert_bool_member (body, "denyDownload", TRUE);
  assert_bool_member (body, "internal", FALSE);
  assert_date_member (body, "expirationDate");
  assert_no_member (body, "linkType");
}

static void
test_update_link_room_full_state (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) original = get_link (f, DSL_ITEM_KIND_ROOM, "101", link_has_password);
  g_autoptr(DslLink) state = dsl_link_copy (original);
  g_autoptr(DslLink) updated = NULL;
  JsonObject *body;

  dsl_link_set_access (state, DSL_ACCESS_EDITING);

  dsl_client_update_link_async (f->client, DSL_ITEM_KIND_ROOM, "101", state, NULL, on_done, f);
  updated = dsl_client_update_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpint (dsl_link_get_access (updated), ==, DSL_ACCESS_EDITING);
  g_assert_cmpstr (dsl_link_get_password (updated), ==, "Secret123");
  g_assert_cmpstr (dsl_link_get_title (updated), ==, dsl_link_get_title (original));

  body = request_body (expect_request (f, "PUT", "/api/2.0/files/rooms/101/links", ""));
  assert_string_member (body, "linkId", dsl_link_get_id (original));
  assert_int_member (body, "access", DSL_ACCESS_EDITING);
  assert_int_member (body, "linkType", DSL_LINK_TYPE_EXTERNAL);
  assert_string_member (body, "password", "Secret123");
  assert_string_member (body, "title", dsl_link_get_title (original));
  assert_bool_member (body, "denyDownload", dsl_link_get_deny_download (original));
  assert_bool_member (body, "internal", dsl_link_get_internal (original));
}

static void
test_update_link_without_id (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) updated = NULL;

  clear_requests ();
  dsl_client_update_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  updated = dsl_client_update_link_finish (f->client, wait_for (f), &error);
  g_assert_null (updated);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (count_requests (NULL, NULL), ==, 0);
}

static void
test_delete_link (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = get_link (f, DSL_ITEM_KIND_FILE, "401", link_denies_download);
  g_autoptr(DslLink) replacement = NULL;
  g_autoptr(GPtrArray) links = NULL;
  JsonObject *body;
  gboolean ok;

  dsl_client_delete_link_async (f->client, DSL_ITEM_KIND_FILE, "401", link, NULL, on_done, f);
  ok = dsl_client_delete_link_finish (f->client, wait_for (f), &replacement, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_null (replacement);

  /* The link's full state as read, with access 0 (docspace-api.md §6.1): linkId, access,
   * title, expirationDate, denyDownload, internal (no password: it has none). */
  body = request_body (expect_request (f, "PUT", "/api/2.0/files/file/401/links", ""));
  assert_string_member (body, "linkId", dsl_link_get_id (link));
  assert_int_member (body, "access", 0);
  assert_string_member (body, "title", dsl_link_get_title (link));
  g_assert_true (json_object_get_boolean_member (body, "denyDownload"));
  g_assert_false (json_object_get_boolean_member (body, "internal"));
  g_assert_true (json_object_has_member (body, "expirationDate"));
  g_assert_cmpuint (json_object_get_size (body), ==, 6);

  links = list_links (f, DSL_ITEM_KIND_FILE, "401", -1);
  g_assert_false (links_contain_id (links, dsl_link_get_id (link)));
}

static void
test_delete_link_room (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = get_link (f, DSL_ITEM_KIND_ROOM, "101", link_is_expired);
  g_autoptr(GPtrArray) links = NULL;
  JsonObject *body;
  gboolean ok;

  dsl_client_delete_link_async (f->client, DSL_ITEM_KIND_ROOM, "101", link, NULL, on_done, f);
  /* replacement is optional */
  ok = dsl_client_delete_link_finish (f->client, wait_for (f), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  body = request_body (expect_request (f, "PUT", "/api/2.0/files/rooms/101/links", ""));
  assert_string_member (body, "linkId", dsl_link_get_id (link));
  assert_int_member (body, "access", 0);
  assert_int_member (body, "linkType", DSL_LINK_TYPE_EXTERNAL);
  assert_string_member (body, "title", dsl_link_get_title (link));

  links = list_links (f, DSL_ITEM_KIND_ROOM, "101", 1);
  g_assert_false (links_contain_id (links, dsl_link_get_id (link)));
}

/* Deleting a canRevoke link (public room primary) answers with the regenerated link. */
static void
test_delete_link_regenerated (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = get_link (f, DSL_ITEM_KIND_ROOM, "102", link_is_primary);
  g_autoptr(DslLink) replacement = NULL;
  gboolean ok;

  g_assert_true (dsl_link_get_can_revoke (link));
  dsl_client_delete_link_async (f->client, DSL_ITEM_KIND_ROOM, "102", link, NULL, on_done, f);
  ok = dsl_client_delete_link_finish (f->client, wait_for (f), &replacement, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (replacement);
  g_assert_true (dsl_link_get_primary (replacement));
  g_assert_cmpstr (dsl_link_get_id (replacement), !=, dsl_link_get_id (link));
}

static void
test_revoke_link (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = get_link (f, DSL_ITEM_KIND_ROOM, "103", link_is_primary);
  g_autoptr(DslLink) fresh = NULL;
  g_autoptr(GPtrArray) links = NULL;
  JsonObject *body;

  g_assert_true (dsl_link_get_can_revoke (link));
  g_assert_cmpint (dsl_link_get_access (link), ==, DSL_ACCESS_FILL_FORMS);

  dsl_client_revoke_link_async (f->client, DSL_ITEM_KIND_ROOM, "103", link, NULL, on_done, f);
  fresh = dsl_client_revoke_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (fresh);
  g_assert_true (dsl_link_get_primary (fresh));
  g_assert_cmpint (dsl_link_get_access (fresh), ==, DSL_ACCESS_FILL_FORMS);
  g_assert_cmpstr (dsl_link_get_id (fresh), !=, dsl_link_get_id (link));
  g_assert_cmpstr (dsl_link_get_share_link (fresh), !=, dsl_link_get_share_link (link));

  body = request_body (expect_request (f, "PUT", "/api/2.0/files/rooms/103/links", ""));
  assert_string_member (body, "linkId", dsl_link_get_id (link));
  assert_int_member (body, "access", 0);
  assert_int_member (body, "linkType", DSL_LINK_TYPE_EXTERNAL);
  assert_string_member (body, "title", dsl_link_get_title (link));

  links = list_links (f, DSL_ITEM_KIND_ROOM, "103", 1);
  g_assert_true (links_contain_id (links, dsl_link_get_id (fresh)));
  g_assert_false (links_contain_id (links, dsl_link_get_id (link)));
}

/* Issue 12 rule 4: every link of a virtual data room is internal and cannot be made public.
 * The full state deletes it; the answer without `response` is the proof. (A bare
 * {linkId, access: 0} is skipped by the server and answered with the unchanged link.) */
static void
test_delete_link_vdr (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = get_link (f, DSL_ITEM_KIND_FILE, "341", link_is_primary);
  g_autoptr(GPtrArray) links = NULL;
  JsonObject *body;
  gboolean ok;

  g_assert_true (dsl_link_get_internal (link));
  dsl_client_delete_link_async (f->client, DSL_ITEM_KIND_FILE, "341", link, NULL, on_done, f);
  ok = dsl_client_delete_link_finish (f->client, wait_for (f), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  body = request_body (expect_request (f, "PUT", "/api/2.0/files/file/341/links", ""));
  g_assert_true (json_object_get_boolean_member (body, "internal"));
  links = list_links (f, DSL_ITEM_KIND_FILE, "341", -1);
  g_assert_false (links_contain_id (links, dsl_link_get_id (link)));
}

/* The server answers a skipped delete with the unchanged link: that is NOT_APPLIED, never
 * success, and the link is still there. Here the state the app holds is stale: it says the
 * VDR link is public, which the server may not change, so the whole change is skipped. */
static void
test_delete_link_skipped (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = get_link (f, DSL_ITEM_KIND_FILE, "341", link_is_primary);
  g_autoptr(DslLink) stale = dsl_link_copy (link);
  g_autoptr(DslLink) replacement = NULL;
  g_autoptr(GPtrArray) links = NULL;
  gboolean ok;

  dsl_link_set_internal (stale, FALSE);
  dsl_client_delete_link_async (f->client, DSL_ITEM_KIND_FILE, "341", stale, NULL, on_done, f);
  ok = dsl_client_delete_link_finish (f->client, wait_for (f), &replacement, &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_NOT_APPLIED);
  g_assert_false (ok);
  g_assert_null (replacement);
  links = list_links (f, DSL_ITEM_KIND_FILE, "341", -1);
  g_assert_true (links_contain_id (links, dsl_link_get_id (link)));

  /* revoke reads the answer the same way */
  g_clear_error (&error);
  dsl_client_revoke_link_async (f->client, DSL_ITEM_KIND_FILE, "341", stale, NULL, on_done, f);
  replacement = dsl_client_revoke_link_finish (f->client, wait_for (f), &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_NOT_APPLIED);
  g_assert_null (replacement);
}

/* Revoking a link the server simply deletes: no replacement, so NOT_APPLIED. */
static void
test_revoke_link_not_applied (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = get_link (f, DSL_ITEM_KIND_FILE, "401", link_denies_download);
  g_autoptr(DslLink) fresh = NULL;

  dsl_client_revoke_link_async (f->client, DSL_ITEM_KIND_FILE, "401", link, NULL, on_done, f);
  fresh = dsl_client_revoke_link_finish (f->client, wait_for (f), &error);
  g_assert_null (fresh);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_NOT_APPLIED);
  g_assert_cmpuint (count_requests ("PUT", "/api/2.0/files/file/401/links"), ==, 1);
}

/* A create the server silently skips answers 200 without `response` (docspace-api.md §4.1):
 * a new link with access None is one such case, on the real server as in the simulator. */
static void
test_create_link_not_applied (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GPtrArray) links = NULL;

  dsl_link_set_access (state, DSL_ACCESS_NONE);
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "402", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_null (link);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_NOT_APPLIED);
  assert_int_member (request_body (expect_request (f, "PUT", "/api/2.0/files/file/402/links",
                                                   "")),
                     "access", 0);

  links = list_links (f, DSL_ITEM_KIND_FILE, "402", -1);
  g_assert_cmpuint (links->len, ==, 0);
}

/* --- invitation links --- */

static void
test_invitation_get (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;
  gboolean ok;

  dsl_client_get_invitation_link_async (f->client, "101", NULL, on_done, f);
  ok = dsl_client_get_invitation_link_finish (f->client, wait_for (f), &link, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (link);
  g_assert_cmpint (dsl_link_get_link_type (link), ==, DSL_LINK_TYPE_INVITATION);
  g_assert_nonnull (dsl_link_get_share_link (link));

  assert_no_body (expect_request (f, "GET", "/api/2.0/files/rooms/101/links", "type=0"));
}

static void
test_invitation_none (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;
  gboolean ok;

  dsl_client_get_invitation_link_async (f->client, "106", NULL, on_done, f);
  ok = dsl_client_get_invitation_link_finish (f->client, wait_for (f), &link, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_null (link);
}

static void
test_invitation_update (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) current = NULL;
  g_autoptr(DslLink) state = NULL;
  g_autoptr(DslLink) updated = NULL;
  g_autoptr(GDateTime) expiry = days_from_now (14);
  JsonObject *body;

  dsl_client_get_invitation_link_async (f->client, "101", NULL, on_done, f);
  dsl_client_get_invitation_link_finish (f->client, wait_for (f), &current, &error);
  g_assert_no_error (error);
  g_assert_nonnull (current);

  state = dsl_link_copy (current);
  dsl_link_set_title (state, "Join Marketing");
  dsl_link_set_access (state, DSL_ACCESS_CONTENT_CREATOR);
  dsl_link_set_expiration_date (state, expiry);
  dsl_link_set_max_use_count (state, 10);

  dsl_client_set_invitation_link_async (f->client, "101", state, NULL, on_done, f);
  updated = dsl_client_set_invitation_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dsl_link_get_id (updated), ==, dsl_link_get_id (current));
  g_assert_cmpstr (dsl_link_get_title (updated), ==, "Join Marketing");
  g_assert_cmpint (dsl_link_get_access (updated), ==, DSL_ACCESS_CONTENT_CREATOR);
  g_assert_cmpint (dsl_link_get_max_use_count (updated), ==, 10);
  g_assert_nonnull (dsl_link_get_expiration_date (updated));

  body = request_body (expect_request (f, "PUT", "/api/2.0/files/rooms/101/links", ""));
  assert_string_member (body, "linkId", dsl_link_get_id (current));
  assert_int_member (body, "linkType", DSL_LINK_TYPE_INVITATION);
  assert_int_member (body, "access", DSL_ACCESS_CONTENT_CREATOR);
  assert_string_member (body, "title", "Join Marketing");
  assert_int_member (body, "maxUseCount", 10);
  assert_date_member (body, "expirationDate");
  assert_no_member (body, "password");
  assert_no_member (body, "denyDownload");
  assert_no_member (body, "internal");
}

static void
test_invitation_create_and_delete (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) created = NULL;
  g_autoptr(DslLink) after = NULL;
  JsonObject *body;
  gboolean ok;

  dsl_link_set_access (state, DSL_ACCESS_READ);
  dsl_link_set_title (state, "Invite");

  dsl_client_set_invitation_link_async (f->client, "106", state, NULL, on_done, f);
  created = dsl_client_set_invitation_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (dsl_link_get_id (created));
  g_assert_cmpint (dsl_link_get_link_type (created), ==, DSL_LINK_TYPE_INVITATION);

  body = request_body (expect_request (f, "PUT", "/api/2.0/files/rooms/106/links", ""));
  assert_no_member (body, "linkId");
  assert_int_member (body, "linkType", DSL_LINK_TYPE_INVITATION);
  assert_int_member (body, "access", DSL_ACCESS_READ);
  assert_no_member (body, "expirationDate");
  assert_no_member (body, "maxUseCount");

  dsl_client_delete_invitation_link_async (f->client, "106", dsl_link_get_id (created), NULL,
                                           on_done, f);
  ok = dsl_client_delete_invitation_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  body = request_body (expect_request (f, "PUT", "/api/2.0/files/rooms/106/links", ""));
  assert_string_member (body, "linkId", dsl_link_get_id (created));
  assert_int_member (body, "access", 0);
  assert_int_member (body, "linkType", DSL_LINK_TYPE_INVITATION);
  g_assert_cmpuint (json_object_get_size (body), ==, 3);

  dsl_client_get_invitation_link_async (f->client, "106", NULL, on_done, f);
  ok = dsl_client_get_invitation_link_finish (f->client, wait_for (f), &after, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_null (after);
}

/* Invitation links refuse an expiry in the past (400). */
static void
test_invitation_past_expiry (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) created = NULL;
  g_autoptr(GDateTime) past = days_from_now (-2);

  dsl_link_set_expiration_date (state, past);
  dsl_client_set_invitation_link_async (f->client, "106", state, NULL, on_done, f);
  created = dsl_client_set_invitation_link_finish (f->client, wait_for (f), &error);
  g_assert_null (created);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_BAD_REQUEST);
}

/* 400 problem details inside a success envelope: model validation (maxUseCount 1..1000). */
static void
test_problem_details (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) created = NULL;

  dsl_link_set_max_use_count (state, 5000);
  dsl_client_set_invitation_link_async (f->client, "106", state, NULL, on_done, f);
  created = dsl_client_set_invitation_link_finish (f->client, wait_for (f), &error);
  g_assert_null (created);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_BAD_REQUEST);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 400);
  g_assert_nonnull (dsl_error_get_field_errors (error));
  assert_int_member (request_body (expect_request (f, "PUT", "/api/2.0/files/rooms/106/links",
                                                   "")),
                     "maxUseCount", 5000);
}

/* ============================================================================================ */
/* Audit trail                                                                                  */
/* ============================================================================================ */

static void
test_audit_filter (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) created = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GDateTime) from = days_from_now (-30);
  g_autoptr(GDateTime) to = days_from_now (2);
  g_autofree char *from_text = dsl_json_format_date (from);
  g_autofree char *to_text = dsl_json_format_date (to);
  g_autofree char *from_escaped = g_uri_escape_string (from_text, NULL, FALSE);
  g_autofree char *to_escaped = g_uri_escape_string (to_text, NULL, FALSE);
  g_autofree char *query = NULL;
  DslAuditFilter filter;

  /* Something to find: a link created on file 401 now. */
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  created = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);

  dsl_audit_filter_init (&filter);
  g_assert_cmpint (filter.action, ==, -1);
  g_assert_cmpint (filter.entry_type, ==, -1);
  g_assert_cmpint (filter.action_type, ==, -1);
  g_assert_cmpuint (filter.count, ==, 100);
  filter.action = DSL_AUDIT_ACTION_FILE_EXTERNAL_LINK_CREATED;
  filter.target = "401";
  filter.from = from;
  filter.to = to;
  filter.count = 50;

  dsl_client_list_audit_events_async (f->client, &filter, NULL, on_done, f);
  events = dsl_client_list_audit_events_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 1);
  for (guint i = 0; i < events->len; i++)
    {
      DslAuditEvent *event = g_ptr_array_index (events, i);

      g_assert_cmpint (dsl_audit_event_get_action_id (event), ==,
                       DSL_AUDIT_ACTION_FILE_EXTERNAL_LINK_CREATED);
      g_assert_true (dsl_audit_event_has_target (event, "401"));
    }

  /* The '+' of the offset travels as %2B. */
  g_assert_nonnull (strstr (from_escaped, "%2B03%3A00"));
  query = g_strdup_printf ("action=5091&target=401&from=%s&to=%s&startIndex=0&count=50",
                           from_escaped, to_escaped);
  assert_no_body (expect_request (f, "GET", "/api/2.0/security/audit/events/filter", query));
}

static void
test_audit_entry_type_and_user (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  DslAuditFilter filter;

  dsl_audit_filter_init (&filter);
  filter.entry_type = 1;
  filter.target = "40";
  filter.user_id = DSL_ANONYMOUS_USER_ID;
  filter.start_index = 20;
  filter.count = 0;  /* means 100 */

  dsl_client_list_audit_events_async (f->client, &filter, NULL, on_done, f);
  events = dsl_client_list_audit_events_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (events);
  expect_request (f, "GET", "/api/2.0/security/audit/events/filter",
                  "entryType=1&target=40&userId=" DSL_ANONYMOUS_USER_ID
                  "&startIndex=20&count=100");
}

static void
test_audit_action_type (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  DslAuditFilter filter;

  /* A file's downloads, whichever kind (docspace-api.md §7): 5009 seeded for 401. */
  dsl_audit_filter_init (&filter);
  filter.action_type = 12;
  filter.entry_type = 1;
  filter.target = "401";

  dsl_client_list_audit_events_async (f->client, &filter, NULL, on_done, f);
  events = dsl_client_list_audit_events_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 1);
  for (guint i = 0; i < events->len; i++)
    g_assert_cmpint (dsl_audit_event_get_action_type (g_ptr_array_index (events, i)), ==, 12);
  expect_request (f, "GET", "/api/2.0/security/audit/events/filter",
                  "actionType=12&entryType=1&target=401&startIndex=0&count=100");
}

static void
test_audit_payment_required (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  DslAuditFilter filter;

  set_faults ("audit402");
  dsl_audit_filter_init (&filter);
  dsl_client_list_audit_events_async (f->client, &filter, NULL, on_done, f);
  events = dsl_client_list_audit_events_finish (f->client, wait_for (f), &error);
  g_assert_null (events);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_PAYMENT_REQUIRED);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 402);
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/security/audit/events/filter"), ==, 1);
}

/* Plans without the Audit feature ignore every filter; the client passes the events on as they
 * came, so the caller can tell (dsl_audit_event_has_target) and say so. */
static void
test_audit_unfiltered (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  DslAuditFilter filter;
  gboolean mismatch = FALSE;

  set_faults ("audit-unfiltered");
  dsl_audit_filter_init (&filter);
  filter.action = DSL_AUDIT_ACTION_FILE_DOWNLOADED;
  filter.target = "401";
  dsl_client_list_audit_events_async (f->client, &filter, NULL, on_done, f);
  events = dsl_client_list_audit_events_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, <=, 20);
  for (guint i = 0; i < events->len; i++)
    {
      DslAuditEvent *event = g_ptr_array_index (events, i);

      mismatch |= dsl_audit_event_get_action_id (event) != DSL_AUDIT_ACTION_FILE_DOWNLOADED ||
                  !dsl_audit_event_has_target (event, "401");
    }
  g_assert_true (mismatch);
  expect_request (f, "GET", "/api/2.0/security/audit/events/filter",
                  "action=5009&target=401&startIndex=0&count=100");
}

static void
test_audit_not_admin (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  DslAuditFilter filter;

  dsl_audit_filter_init (&filter);
  dsl_client_list_audit_events_async (f->client, &filter, NULL, on_done, f);
  events = dsl_client_list_audit_events_finish (f->client, wait_for (f), &error);
  g_assert_null (events);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_FORBIDDEN);
}

/* ============================================================================================ */
/* Error classes                                                                                */
/* ============================================================================================ */

static void
test_unauthorized_expired_key (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslUser) user = NULL;

  dsl_client_get_self_async (f->client, NULL, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_null (user);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 401);
  g_assert_cmpuint (f->unauthorized, ==, 1);
  /* A 401 is final. */
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/people/@self"), ==, 1);
}

static void
test_unauthorized_mid_session (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslUser) user = NULL;
  g_autoptr(DslFolderPage) page = NULL;
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();

  set_faults ("revoke-after=1");

  dsl_client_get_self_async (f->client, NULL, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->unauthorized, ==, 0);

  dsl_client_list_rooms_async (f->client, NULL, NULL, 0, 0, 100, NULL, on_done, f);
  page = dsl_client_list_rooms_finish (f->client, wait_for (f), &error);
  g_assert_null (page);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (f->unauthorized, ==, 1);
  g_clear_error (&error);

  /* Once per 401. */
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (f->unauthorized, ==, 2);
}

/* 403 with an empty body: the key lacks the route's scope. */
static void
test_missing_scope (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = NULL;
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();

  dsl_client_list_rooms_async (f->client, NULL, NULL, 0, 0, 100, NULL, on_done, f);
  page = dsl_client_list_rooms_finish (f->client, wait_for (f), &error);
  g_assert_null (page);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_MISSING_SCOPE);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 403);
  g_clear_error (&error);

  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_MISSING_SCOPE);
  g_assert_cmpuint (f->unauthorized, ==, 0);
}

/* 429 on a GET: waits Retry-After and succeeds; the log shows both requests. */
static void
test_rate_limited_get (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslUser) user = NULL;
  gint64 start;

  set_faults ("ratelimit=1,count=1");
  start = g_get_monotonic_time ();
  dsl_client_get_self_async (f->client, NULL, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/people/@self"), ==, 2);
}

/* A Retry-After beyond 10 s is reported, not waited out. */
static void
test_rate_limited_long (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslUser) user = NULL;

  set_faults ("ratelimit=60,count=1");
  dsl_client_get_self_async (f->client, NULL, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_null (user);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  g_assert_cmpuint (dsl_error_get_retry_after (error), ==, 60);
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/people/@self"), ==, 1);
}

/* 429 on a PUT: never retried. */
static void
test_rate_limited_put (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;

  set_faults ("ratelimit=1,count=1");
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_null (link);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 429);
  g_assert_cmpuint (dsl_error_get_retry_after (error), ==, 1);
  run_for (1500);
  g_assert_cmpuint (count_requests ("PUT", "/api/2.0/files/file/401/links"), ==, 1);
}

/* --- the client-wide traffic policy: one pause after a 429, one cap, for every caller --- */

/* One call of several under way together (each caller its own callback and result). */
typedef struct {
  GAsyncResult *result;
  gint64        done_at;  /* monotonic */
} Call;

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;

  g_assert_null (call->result);
  call->result = g_object_ref (result);
  call->done_at = g_get_monotonic_time ();
}

static void
call_clear (Call *call)
{
  g_clear_object (&call->result);
}

/* Runs the main loop until every call in `calls` finished (60 s at most). */
static void
wait_for_calls (Call  *calls,
                guint  n_calls)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (guint i = 0; i < n_calls; i++)
    while (calls[i].result == NULL)
      {
        g_assert_cmpint (g_get_monotonic_time (), <, give_up);
        g_main_context_iteration (NULL, TRUE);
      }
}

static void
count_notify (guint *n)
{
  (*n)++;
}

/* Runs the main loop until the client is paused (a 429 came back). */
static void
wait_until_paused (DslClient *client)
{
  gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!dsl_client_get_paused (client))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* A write's 429 (reported, never retried) pauses the whole client: a GET another caller starts
 * during the pause reaches the portal only after Retry-After, and so does another write. */
static void
test_pause_shared_after_write (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslUser) user = NULL;
  g_autoptr(DslFolderPage) page = NULL;
  Call calls[2] = { { 0 } };
  guint n_notify = 0;
  gint64 refused_at, resume_at;

  g_signal_connect_swapped (f->client, "notify::paused", G_CALLBACK (count_notify), &n_notify);
  g_assert_false (dsl_client_get_paused (f->client));
  g_assert_cmpint (dsl_client_get_resume_time (f->client), ==, 0);

  set_faults ("ratelimit=2,count=1,path=/api/2.0/files/file/401/links");
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  refused_at = g_get_monotonic_time ();
  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  g_clear_error (&error);
  g_assert_true (dsl_client_get_paused (f->client));
  g_assert_cmpuint (n_notify, ==, 1);
  resume_at = dsl_client_get_resume_time (f->client);
  g_assert_cmpint (resume_at, >, refused_at + 1500 * 1000);
  g_assert_cmpint (resume_at, <=, refused_at + 2 * G_USEC_PER_SEC);
  clear_requests ();

  /* two other callers, during the pause: a GET and a write (the fault is used up) */
  dsl_client_get_self_async (f->client, NULL, on_call_done, &calls[0]);
  dsl_client_list_rooms_async (f->client, NULL, NULL, 0, 0, 100, NULL, on_call_done, &calls[1]);
  run_for (500);
  /* nothing reached the portal yet */
  g_assert_cmpuint (count_requests (NULL, NULL), ==, 0);
  g_assert_null (calls[0].result);
  wait_for_calls (calls, G_N_ELEMENTS (calls));

  user = dsl_client_get_self_finish (f->client, calls[0].result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  page = dsl_client_list_rooms_finish (f->client, calls[1].result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    g_assert_cmpint (calls[i].done_at, >=, resume_at);
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/people/@self"), ==, 1);
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/files/rooms"), ==, 1);
  g_assert_false (dsl_client_get_paused (f->client));
  g_assert_cmpint (dsl_client_get_resume_time (f->client), ==, 0);
  g_assert_cmpuint (n_notify, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    call_clear (&calls[i]);
}

/* A GET's 429 (waited out by its own retry) holds back a write another caller starts in the
 * meantime until the Retry-After has passed. */
static void
test_pause_shared_after_get (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslUser) user = NULL;
  Call calls[2] = { { 0 } };
  gint64 resume_at;

  set_faults ("ratelimit=2,count=1,path=/api/2.0/people/@self");
  dsl_client_get_self_async (f->client, NULL, on_call_done, &calls[0]);
  wait_until_paused (f->client);
  resume_at = dsl_client_get_resume_time (f->client);
  g_assert_cmpint (resume_at, >, g_get_monotonic_time () + 1500 * 1000);

  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_call_done,
                                &calls[1]);
  wait_for_calls (calls, G_N_ELEMENTS (calls));
  user = dsl_client_get_self_finish (f->client, calls[0].result, &error);
  g_assert_no_error (error);
  link = dsl_client_create_link_finish (f->client, calls[1].result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (link);
  g_assert_cmpint (calls[1].done_at, >=, resume_at);
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/people/@self"), ==, 2);
  g_assert_cmpuint (count_requests ("PUT", "/api/2.0/files/file/401/links"), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    call_clear (&calls[i]);
}

static gboolean
cancel_soon_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* A request held back by a long pause, and a dsl_client_wait_async () call, end at once when
 * cancelled; nothing reaches the portal. */
static void
test_pause_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslUser) user = NULL;
  Call calls[2] = { { 0 } };
  gint64 start;

  set_faults ("ratelimit=30,count=1");
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  g_clear_error (&error);
  g_assert_cmpint (dsl_client_get_resume_time (f->client), >,
                   g_get_monotonic_time () + 25 * G_USEC_PER_SEC);
  clear_requests ();

  start = g_get_monotonic_time ();
  dsl_client_get_self_async (f->client, cancellable, on_call_done, &calls[0]);
  dsl_client_wait_async (f->client, cancellable, on_call_done, &calls[1]);
  g_timeout_add (300, cancel_soon_cb, cancellable);
  wait_for_calls (calls, G_N_ELEMENTS (calls));

  user = dsl_client_get_self_finish (f->client, calls[0].result, &error);
  g_assert_null (user);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (dsl_client_wait_finish (f->client, calls[1].result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    g_assert_cmpint (calls[i].done_at - start, <, G_USEC_PER_SEC);
  g_assert_cmpuint (count_requests (NULL, NULL), ==, 0);
  /* still paused: the pause is the client's, not the cancelled caller's */
  g_assert_true (dsl_client_get_paused (f->client));
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    call_clear (&calls[i]);
}

/* dsl_client_wait_async: at once without a pause, at the resume time with one. */
static void
test_pause_wait (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  Call calls[1] = { { 0 } };
  gint64 start = g_get_monotonic_time ();
  gint64 resume_at;

  dsl_client_wait_async (f->client, NULL, on_call_done, &calls[0]);
  wait_for_calls (calls, 1);
  g_assert_true (dsl_client_wait_finish (f->client, calls[0].result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (calls[0].done_at - start, <, 200 * 1000);
  call_clear (&calls[0]);

  set_faults ("ratelimit=1,count=1");
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  g_clear_error (&error);
  resume_at = dsl_client_get_resume_time (f->client);
  g_assert_cmpint (resume_at, >, 0);
  calls[0].done_at = 0;
  dsl_client_wait_async (f->client, NULL, on_call_done, &calls[0]);
  wait_for_calls (calls, 1);
  g_assert_true (dsl_client_wait_finish (f->client, calls[0].result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (calls[0].done_at, >=, resume_at);
  g_assert_false (dsl_client_get_paused (f->client));
  call_clear (&calls[0]);
}

/* Four callers start 32 requests together on a slow portal: they go out
 * DSL_CLIENT_MAX_IN_FLIGHT at a time (four rounds), and the ones held back start their
 * deadline (twice the timeout) only when they are sent, so none times out and none is sent
 * twice. (Held in libsoup's queue instead, the last round would pass its deadline.) */
static void
test_max_in_flight_shared (Fixture       *f,
                           gconstpointer  data)
{
  enum { PER_CALLER = DSL_CLIENT_MAX_IN_FLIGHT, N_CALLERS = 4, N_CALLS = N_CALLERS * PER_CALLER };
  Call calls[N_CALLS] = { { 0 } };
  guint n_first_round = 0;
  gint64 start, last = 0;

  /* a round takes 1.5 s; the deadline is 4 s (up to 5: a timer in whole seconds) from the
   * send: the fourth round ends 6 s after the start */
  dsl_client_set_timeout (f->client, 2);
  set_faults ("latency=1500");
  clear_requests ();
  start = g_get_monotonic_time ();
  for (guint i = 0; i < PER_CALLER; i++)
    {
      dsl_client_get_self_async (f->client, NULL, on_call_done, &calls[i]);
      dsl_client_list_rooms_async (f->client, NULL, NULL, 0, 0, 100, NULL, on_call_done,
                                   &calls[PER_CALLER + i]);
      dsl_client_get_item_async (f->client, DSL_ITEM_KIND_FILE, "401", NULL, on_call_done,
                                 &calls[2 * PER_CALLER + i]);
      dsl_client_get_key_info_async (f->client, NULL, on_call_done, &calls[3 * PER_CALLER + i]);
    }
  wait_for_calls (calls, N_CALLS);

  for (guint i = 0; i < PER_CALLER; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DslUser) user = dsl_client_get_self_finish (f->client, calls[i].result, &error);
      g_autoptr(DslFolderPage) page = NULL;
      g_autoptr(DslItem) item = NULL;
      g_autoptr(DslKeyInfo) info = NULL;

      g_assert_no_error (error);
      page = dsl_client_list_rooms_finish (f->client, calls[PER_CALLER + i].result, &error);
      g_assert_no_error (error);
      item = dsl_client_get_item_finish (f->client, calls[2 * PER_CALLER + i].result, &error);
      g_assert_no_error (error);
      info = dsl_client_get_key_info_finish (f->client, calls[3 * PER_CALLER + i].result,
                                             &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (count_requests (NULL, NULL), ==, N_CALLS);

  /* at most 8 at a time: four rounds of 1.5 s, not one */
  for (guint i = 0; i < N_CALLS; i++)
    {
      if (calls[i].done_at - start < 2 * G_USEC_PER_SEC)
        n_first_round++;
      last = MAX (last, calls[i].done_at);
    }
  g_test_message ("answered in the first round: %u; all after %" G_GINT64_FORMAT " ms",
                  n_first_round, (last - start) / 1000);
  g_assert_cmpuint (n_first_round, <=, DSL_CLIENT_MAX_IN_FLIGHT);
  g_assert_cmpint (last - start, >=, 5900 * 1000);
  for (guint i = 0; i < N_CALLS; i++)
    call_clear (&calls[i]);
}

/* A proxy's HTML 502 once: the GET is retried and succeeds. */
static void
test_server_error_retried (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = NULL;

  set_faults ("html502,count=1");
  dsl_client_list_rooms_async (f->client, NULL, NULL, 0, 0, 100, NULL, on_done, f);
  page = dsl_client_list_rooms_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_true (page_has_item (page, "101"));
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/files/rooms"), ==, 2);
}

/* HTML 502 every time: two retries (0.5 s, 1 s), then a SERVER error without the HTML. */
static void
test_server_error_persistent (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = NULL;
  gint64 start;

  set_faults ("html502,count=5");
  start = g_get_monotonic_time ();
  dsl_client_list_rooms_async (f->client, NULL, NULL, 0, 0, 100, NULL, on_done, f);
  page = dsl_client_list_rooms_finish (f->client, wait_for (f), &error);
  g_assert_null (page);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 502);
  g_assert_null (strchr (error->message, '<'));
  g_assert_null (strstr (error->message, "html"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1400 * 1000);
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/files/rooms"), ==, 3);
}

static void
test_server_error_503 (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) item = NULL;

  set_faults ("html503,count=1");
  dsl_client_get_item_async (f->client, DSL_ITEM_KIND_FILE, "401", NULL, on_done, f);
  item = dsl_client_get_item_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/files/file/401"), ==, 2);
}

/* A 500 on a PUT is not retried. */
static void
test_server_error_put (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;

  set_faults ("error500,count=1");
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_null (link);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpuint (dsl_error_get_status (error), ==, 500);
  g_assert_cmpuint (count_requests ("PUT", "/api/2.0/files/file/401/links"), ==, 1);
}

static void
assert_invalid_response (Fixture    *f,
                         const char *profile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(DslItem) item = NULL;

  set_faults (profile);
  dsl_client_list_links_async (f->client, DSL_ITEM_KIND_FILE, "401", -1, NULL, on_done, f);
  links = dsl_client_list_links_finish (f->client, wait_for (f), &error);
  g_assert_null (links);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  dsl_client_get_item_async (f->client, DSL_ITEM_KIND_FILE, "401", NULL, on_done, f);
  item = dsl_client_get_item_finish (f->client, wait_for (f), &error);
  g_assert_null (item);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  /* A body that is not what was expected will not improve with a retry. */
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/files/file/401"), ==, 1);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  assert_invalid_response (f, "malformed");
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  assert_invalid_response (f, "truncated");
}

static void
test_wrong_shape (Fixture       *f,
                  gconstpointer  data)
{
  assert_invalid_response (f, "wrongshape");
}

/* The server stalls past the client's timeout: a G_IO_ERROR, and the PUT is not sent again. */
static void
test_timeout_put (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;

  dsl_client_set_timeout (f->client, 1);
  set_faults ("stall=2500");
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_null (link);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);

  run_for (3000);
  g_assert_cmpuint (count_requests ("PUT", "/api/2.0/files/file/401/links"), ==, 1);
}

/* A GET that timed out once is retried. */
static void
test_timeout_get_retried (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) item = NULL;

  dsl_client_set_timeout (f->client, 1);
  set_faults ("stall=2000,count=1");
  dsl_client_get_item_async (f->client, DSL_ITEM_KIND_FILE, "401", NULL, on_done, f);
  item = dsl_client_get_item_finish (f->client, wait_for (f), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dsl_item_get_id (item), ==, "401");
  run_for (1500);
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/files/file/401"), ==, 2);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_in_flight (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;

  set_faults ("latency=2000");
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, cancellable,
                                on_done, f);
  g_timeout_add (200, cancel_cb, cancellable);
  link = dsl_client_create_link_finish (f->client, wait_for (f), &error);
  g_assert_null (link);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->unauthorized, ==, 0);
}

static void
test_cancel_before (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(DslUser) user = NULL;

  g_cancellable_cancel (cancellable);
  dsl_client_get_self_async (f->client, cancellable, on_done, f);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_null (user);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Cancelling during the back-off before a retry ends the call at once. */
static void
test_cancel_during_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(DslUser) user = NULL;
  gint64 start;

  set_faults ("ratelimit=8,count=5");
  start = g_get_monotonic_time ();
  dsl_client_get_self_async (f->client, cancellable, on_done, f);
  g_timeout_add (500, cancel_cb, cancellable);
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_null (user);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (count_requests ("GET", "/api/2.0/people/@self"), ==, 1);
}

/* Disposing the client ends its pending calls with G_IO_ERROR_CANCELLED. */
static void
test_dispose_cancels (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslUser) user = NULL;

  set_faults ("latency=2000");
  dsl_client_get_self_async (f->client, NULL, on_done, f);
  run_for (200);
  g_object_run_dispose (G_OBJECT (f->client));
  user = dsl_client_get_self_finish (f->client, wait_for (f), &error);
  g_assert_null (user);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static guint16
closed_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

/* Nothing listens: the transport error keeps its G_IO_ERROR domain (after the GET retries). */
static void
test_transport_error (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autoptr(DslClient) client = dsl_client_new (url);
  g_autoptr(DslUser) user = NULL;
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  gint64 start;

  dsl_client_set_api_key (client, OWNER_KEY);

  start = g_get_monotonic_time ();
  dsl_client_get_self_async (client, NULL, on_done, f);
  user = dsl_client_get_self_finish (client, wait_for (f), &error);
  g_assert_null (user);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_cmpint (error->code, !=, G_IO_ERROR_CANCELLED);
  /* Retried twice: 0.5 s + 1 s of back-off. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1400 * 1000);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  dsl_client_create_link_async (client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_done, f);
  link = dsl_client_create_link_finish (client, wait_for (f), &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  /* Not retried. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 400 * 1000);
}

/* ============================================================================================ */

static void
add_test (const char *name,
          const char *key,
          void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/dsl/core/client/", name, NULL);

  g_test_add (path, Fixture, key, fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dsl/core/client/normalize-url", test_normalize_url);
  g_test_add_func ("/dsl/core/client/normalize-url-http", test_normalize_url_http_explained);
  add_test ("properties", NULL, test_properties);

  add_test ("get-self", NULL, test_get_self);
  add_test ("get-key-info", NULL, test_get_key_info);
  add_test ("get-key-info-readonly", READONLY_KEY, test_key_info_readonly);
  add_test ("login-password", NO_KEY, test_login_password);
  add_test ("login-two-factor", NO_KEY, test_login_two_factor);
  add_test ("login-wrong-code", NO_KEY, test_login_wrong_code);
  add_test ("login-tfa-setup", NO_KEY, test_login_tfa_setup);
  add_test ("login-wrong-password", NO_KEY, test_login_wrong_password);
  add_test ("login-too-many-attempts", NO_KEY, test_login_too_many_attempts);
  add_test ("login-disabled", NO_KEY, test_login_disabled);
  add_test ("login-refusals-localised", NO_KEY, test_login_refusals_localised);
  add_test ("no-documents-access", NO_KEY, test_no_documents_access);
  add_test ("subscription-lapsed", NULL, test_subscription_lapsed);
  add_test ("logout", NO_KEY, test_logout);

  add_test ("list-rooms", NULL, test_list_rooms);
  add_test ("list-rooms-filtered", NULL, test_list_rooms_filtered);
  add_test ("list-folder", NULL, test_list_folder);
  add_test ("list-page", NULL, test_list_page);
  add_test ("sharing-policy", NULL, test_sharing_policy);
  add_test ("list-folder-my", NULL, test_list_folder_my);
  add_test ("list-folder-third-party", NULL, test_list_folder_third_party);
  add_test ("list-folder-scaled", NULL, test_list_folder_scaled);
  add_test ("count-refused", NULL, test_count_refused);
  add_test ("get-item", NULL, test_get_item);
  add_test ("not-found", NULL, test_not_found);

  add_test ("primary-link-existing", NULL, test_primary_link_existing);
  add_test ("primary-link-created", NULL, test_primary_link_created);
  add_test ("primary-link-folder", NULL, test_primary_link_folder);
  add_test ("primary-link-room", NULL, test_primary_link_room);
  add_test ("list-links-file", NULL, test_list_links_file);
  add_test ("list-links-paged", NULL, test_list_links_paged);
  add_test ("request-headers", NULL, test_request_headers);
  add_test ("list-links-empty", NULL, test_list_links_empty);
  add_test ("list-links-folder", NULL, test_list_links_folder);
  add_test ("list-links-room", NULL, test_list_links_room);
  add_test ("create-link-file", NULL, test_create_link_file);
  add_test ("create-link-folder", NULL, test_create_link_folder);
  add_test ("create-link-room", NULL, test_create_link_room);
  add_test ("create-link-limit", NULL, test_create_link_limit);
  add_test ("create-link-expiry-too-far", NULL, test_create_link_expiry_too_far);
  add_test ("create-link-not-applied", NULL, test_create_link_not_applied);
  add_test ("forbidden", USER_KEY, test_forbidden);
  add_test ("forbidden-room-type", NULL, test_forbidden_room_type);
  add_test ("guest-cannot-share", GUEST_KEY, test_guest_cannot_share);
  add_test ("update-link", NULL, test_update_link);
  add_test ("update-link-room-full-state", NULL, test_update_link_room_full_state);
  add_test ("update-link-without-id", NULL, test_update_link_without_id);
  add_test ("delete-link", NULL, test_delete_link);
  add_test ("delete-link-room", NULL, test_delete_link_room);
  add_test ("delete-link-vdr", NULL, test_delete_link_vdr);
  add_test ("delete-link-skipped", NULL, test_delete_link_skipped);
  add_test ("delete-link-regenerated", NULL, test_delete_link_regenerated);
  add_test ("revoke-link", NULL, test_revoke_link);
  add_test ("revoke-link-not-applied", NULL, test_revoke_link_not_applied);
  add_test ("invitation-get", NULL, test_invitation_get);
  add_test ("invitation-none", NULL, test_invitation_none);
  add_test ("invitation-update", NULL, test_invitation_update);
  add_test ("invitation-create-delete", NULL, test_invitation_create_and_delete);
  add_test ("invitation-past-expiry", NULL, test_invitation_past_expiry);
  add_test ("problem-details", NULL, test_problem_details);

  add_test ("audit-filter", NULL, test_audit_filter);
  add_test ("audit-entry-type-user", NULL, test_audit_entry_type_and_user);
  add_test ("audit-action-type", NULL, test_audit_action_type);
  add_test ("audit-payment-required", NULL, test_audit_payment_required);
  add_test ("audit-unfiltered", NULL, test_audit_unfiltered);
  add_test ("audit-not-admin", USER_KEY, test_audit_not_admin);

  add_test ("unauthorized-expired-key", EXPIRED_KEY, test_unauthorized_expired_key);
  add_test ("unauthorized-mid-session", NULL, test_unauthorized_mid_session);
  add_test ("missing-scope", READONLY_KEY, test_missing_scope);
  add_test ("rate-limited-get", NULL, test_rate_limited_get);
  add_test ("rate-limited-long", NULL, test_rate_limited_long);
  add_test ("rate-limited-put", NULL, test_rate_limited_put);
  add_test ("pause-shared-after-write", NULL, test_pause_shared_after_write);
  add_test ("pause-shared-after-get", NULL, test_pause_shared_after_get);
  add_test ("pause-cancelled", NULL, test_pause_cancelled);
  add_test ("pause-wait", NULL, test_pause_wait);
  add_test ("max-in-flight-shared", NULL, test_max_in_flight_shared);
  add_test ("server-error-retried", NULL, test_server_error_retried);
  add_test ("server-error-persistent", NULL, test_server_error_persistent);
  add_test ("server-error-503", NULL, test_server_error_503);
  add_test ("server-error-put", NULL, test_server_error_put);
  add_test ("malformed", NULL, test_malformed);
  add_test ("truncated", NULL, test_truncated);
  add_test ("wrong-shape", NULL, test_wrong_shape);
  add_test ("timeout-put", NULL, test_timeout_put);
  add_test ("timeout-get-retried", NULL, test_timeout_get_retried);
  add_test ("cancel-in-flight", NULL, test_cancel_in_flight);
  add_test ("cancel-before", NULL, test_cancel_before);
  add_test ("cancel-during-backoff", NULL, test_cancel_during_backoff);
  add_test ("dispose-cancels", NULL, test_dispose_cancels);
  add_test ("transport-error", NULL, test_transport_error);

  sim = dsl_sim_start (NULL, &error);
  g_assert_no_error (error);

  status = g_test_run ();

  g_clear_pointer (&sim, dsl_sim_stop);
  return status;
}

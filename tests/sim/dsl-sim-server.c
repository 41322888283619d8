/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-server.c: the HTTP side of docspace-sim.
 *
 * Request flow for /api/2.0/...:
 *   route lookup (404/405 empty) ─▶ fault profile (429/500/502/503 answered here)
 *   ─▶ authentication (§1.1 scheme selection; 401 empty) ─▶ lapsed subscription (402 empty)
 *   ─▶ Documents not available to the user (403 empty) ─▶ API-key scope (403 empty)
 *   ─▶ handler (envelope or error envelope) ─▶ body faults (malformed, truncated, wrongshape)
 *   ─▶ request log ─▶ --state save when the request changed state ─▶ delay (latency, stall)
 * /__sim/... is the test control API (never logged, never faulted); /s/<code> is what a person
 * opening a shared link gets. */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim-server.h"

#include <string.h>

typedef struct {
  char    *profile;
  gboolean active;
  guint    latency_ms;
  guint    stall_ms;
  guint    ratelimit_s;
  gboolean error500;
  gboolean html502;
  gboolean html503;
  gboolean malformed;
  gboolean truncated;
  gboolean wrongshape;
  gboolean audit402;
  gboolean audit_unfiltered;
  gboolean unpaid;        /* the portal's subscription lapsed: 402 empty (PaymentFilter) */
  char    *culture;       /* the portal's language for localised messages; NULL = English */
  gint64   revoke_after;  /* -1 = off; else authenticated requests left before revocation */
  gint64   count;         /* -1 = every request; else requests left */
  char    *path_prefix;
} SimFaults;

struct _SimServer {
  SoupServer *server;
  SimState   *state;
  char       *url;
  char       *state_file;
  guint       scale;
  guint       latency_ms;
  SimFaults   faults;
  GPtrArray  *requests;   /* JsonNode* objects, oldest first */
};

typedef enum {
  ROUTE_AUTH,        /* needs a user; API keys need the route's scope */
  ROUTE_AUTH_NOSCOPE,/* needs a user; any API key */
  ROUTE_ANON,        /* anonymous allowed */
  ROUTE_ANON_SCOPED  /* anonymous allowed; an API key still needs the route's scope */
} RouteAuth;

typedef struct {
  const char *method;
  const char *pattern;  /* segments after /api/2.0/, "*" = any one segment */
  RouteAuth   auth;
  SimHandler  handler;
} SimRoute;

static const SimRoute routes[] = {
  { "GET", "authentication", ROUTE_ANON, sim_api_auth_check },
  { "POST", "authentication/logout", ROUTE_ANON, sim_api_auth_logout },
  { "POST", "authentication", ROUTE_ANON, sim_api_auth_login },
  { "POST", "authentication/*", ROUTE_ANON, sim_api_auth_login },
  { "GET", "people/@self", ROUTE_AUTH, sim_api_people_self },
  { "GET", "keys/@self", ROUTE_AUTH_NOSCOPE, sim_api_keys_self },
  { "GET", "files/rooms", ROUTE_AUTH, sim_api_rooms_list },
  { "GET", "files/rooms/*/links", ROUTE_AUTH, sim_api_room_links_get },
  { "PUT", "files/rooms/*/links", ROUTE_AUTH, sim_api_room_links_put },
  { "GET", "files/rooms/*/link", ROUTE_AUTH, sim_api_room_link },
  { "GET", "files/rooms/*", ROUTE_AUTH, sim_api_room_get },
  { "GET", "files/@my", ROUTE_AUTH, sim_api_my },
  { "GET", "files/@root", ROUTE_AUTH, sim_api_root },
  { "GET", "files/folder/*/path", ROUTE_AUTH, sim_api_folder_path },
  { "GET", "files/folder/*/link", ROUTE_AUTH, sim_api_folder_link },
  { "POST", "files/folder/*/link", ROUTE_AUTH, sim_api_folder_link },
  { "GET", "files/folder/*/links", ROUTE_AUTH, sim_api_folder_links_get },
  { "PUT", "files/folder/*/links", ROUTE_AUTH, sim_api_folder_links_put },
  { "GET", "files/folder/*", ROUTE_AUTH, sim_api_folder_get },
  { "GET", "files/file/*/link", ROUTE_ANON_SCOPED, sim_api_file_link },
  { "POST", "files/file/*/link", ROUTE_AUTH, sim_api_file_link },
  { "GET", "files/file/*/links", ROUTE_AUTH, sim_api_file_links_get },
  { "PUT", "files/file/*/links", ROUTE_AUTH, sim_api_file_links_put },
  { "GET", "files/file/*", ROUTE_AUTH, sim_api_file_get },
  /* anonymous allowed: products/ASC.Files/Server/Api/SecurityController.cs */
  { "GET", "files/share/*", ROUTE_ANON_SCOPED, sim_api_share_get },
  /* anonymous allowed: products/ASC.Files/Server/Api/SettingsController.cs:216 */
  { "GET", "files/settings", ROUTE_ANON_SCOPED, sim_api_files_settings_get },
  { "PUT", "files/settings/externalsharingsettings", ROUTE_AUTH,
    sim_api_external_sharing_put },
  { "GET", "files/*", ROUTE_AUTH, sim_api_folder_content },
  { "GET", "security/audit/events/filter", ROUTE_AUTH, sim_api_audit_filter },
  { "GET", "security/audit/events/last", ROUTE_AUTH, sim_api_audit_last },
};

/* ------------------------------------------------------------------------------------------ */
/* Replies */

static void
set_reply (SimRequest *req,
           guint       status,
           const char *content_type,
           char       *data,
           gsize       len)
{
  req->status = status;
  req->content_type = content_type;
  g_clear_pointer (&req->reply, g_bytes_unref);
  req->reply = g_bytes_new_take (data, len);
}

void
sim_reply_raw (SimRequest *req,
               guint       status,
               const char *content_type,
               const char *body)
{
  set_reply (req, status, content_type, g_strdup (body), strlen (body));
}

static void
reply_json_object (SimRequest *req,
                   guint       status,
                   JsonObject *obj)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  char *data;

  json_node_set_object (root, obj);
  data = sim_json_to_string (root);
  set_reply (req, status, "application/json; charset=utf-8", data, strlen (data));
}

static JsonArray *
envelope_links (SimRequest *req)
{
  JsonArray *links = json_array_new ();
  JsonObject *l = json_object_new ();

  json_object_set_string_member (l, "href", req->href);
  json_object_set_string_member (l, "action", req->method);
  json_array_add_object_element (links, l);
  return links;
}

/* Success envelope. `response` (transfer full) may be NULL: then no "response" key, count 0. */
void
sim_reply_ok (SimRequest *req,
              JsonNode   *response,
              gint64      total)
{
  g_autoptr(JsonObject) env = json_object_new ();
  gint64 count = 0;

  if (response != NULL && !JSON_NODE_HOLDS_NULL (response))
    {
      count = JSON_NODE_HOLDS_ARRAY (response) ?
              (gint64) json_array_get_length (json_node_get_array (response)) : 1;
      json_object_set_member (env, "response", response);
    }
  else if (response != NULL)
    json_node_unref (response);
  json_object_set_int_member (env, "count", count);
  if (total >= 0)
    json_object_set_int_member (env, "total", total);
  json_object_set_array_member (env, "links", envelope_links (req));
  json_object_set_int_member (env, "status", 0);
  json_object_set_int_member (env, "statusCode", 200);
  reply_json_object (req, 200, env);
}

/* Error envelope: nulls are written here. */
void
sim_reply_error (SimRequest *req,
                 guint       status,
                 const char *message,
                 const char *type,
                 gint64      hresult)
{
  g_autoptr(JsonObject) env = json_object_new ();
  JsonObject *err = json_object_new ();

  json_object_set_string_member (err, "message", message);
  if (type != NULL)
    {
      g_autofree char *stack = g_strdup_printf ("%s: %s\n"
                                                "   at DocSpaceSim.Api.Handle(HttpContext context)",
                                                type, message);

      json_object_set_string_member (err, "type", type);
      json_object_set_string_member (err, "stack", stack);
    }
  else
    {
      json_object_set_null_member (err, "type");
      json_object_set_null_member (err, "stack");
    }
  json_object_set_int_member (err, "hresult", hresult);
  json_object_set_object_member (env, "error", err);
  json_object_set_int_member (env, "status", 1);
  json_object_set_int_member (env, "statusCode", status);
  reply_json_object (req, status, env);
}

void
sim_reply_empty (SimRequest *req,
                 guint       status)
{
  set_reply (req, status, NULL, NULL, 0);
}

/* Model validation: RFC 9110 problem details inside a success-shaped envelope, HTTP 400. */
void
sim_reply_problem (SimRequest *req,
                   const char *field,
                   const char *message)
{
  g_autoptr(JsonObject) env = json_object_new ();
  JsonObject *pd = json_object_new ();
  JsonObject *errors = json_object_new ();
  JsonArray *msgs = json_array_new ();
  g_autofree char *a = g_strdup_printf ("%08x%08x%08x%08x", g_random_int (), g_random_int (),
                                        g_random_int (), g_random_int ());
  g_autofree char *s = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *trace = g_strdup_printf ("00-%s-%s-00", a, s);

  json_array_add_string_element (msgs, message);
  json_object_set_array_member (errors, field, msgs);
  json_object_set_string_member (pd, "type", "https://tools.ietf.org/html/rfc9110#section-15.5.1");
  json_object_set_string_member (pd, "title", "One or more validation errors occurred.");
  json_object_set_int_member (pd, "status", 400);
  json_object_set_object_member (pd, "errors", errors);
  json_object_set_string_member (pd, "traceId", trace);
  json_object_set_object_member (env, "response", pd);
  json_object_set_int_member (env, "count", 1);
  json_object_set_array_member (env, "links", envelope_links (req));
  json_object_set_int_member (env, "status", 1);
  json_object_set_int_member (env, "statusCode", 400);
  reply_json_object (req, 400, env);
}

void
sim_reply_access_denied (SimRequest *req)
{
  sim_reply_error (req, 403, "Access denied", "System.Security.SecurityException",
                   -2146233078);
}

void
sim_reply_not_found (SimRequest *req,
                     const char *message)
{
  sim_reply_error (req, 404, message, "ASC.Common.Web.ItemNotFoundException", -2146233088);
}

void
sim_reply_argument (SimRequest *req,
                    const char *message)
{
  sim_reply_error (req, 400, message, "System.ArgumentException", -2147024809);
}

void
sim_reply_invalid_op (SimRequest *req,
                      const char *message)
{
  sim_reply_error (req, 403, message, "System.InvalidOperationException", -2146233079);
}

/* Authentication failures of the login call: type and stack null, hresult 0. */
void
sim_reply_auth_failed (SimRequest *req,
                       guint       status,
                       const char *message)
{
  sim_reply_error (req, status, message, NULL, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Query */

static GPtrArray *
parse_query (const char *raw)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = NULL;

  if (raw == NULL)
    return out;
  parts = g_strsplit (raw, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *eq;
      char *k, *v;

      if (parts[i][0] == '\0')
        continue;
      g_strdelimit (parts[i], "+", ' ');
      eq = strchr (parts[i], '=');
      if (eq != NULL)
        *eq = '\0';
      k = g_uri_unescape_string (parts[i], NULL);
      v = g_uri_unescape_string (eq != NULL ? eq + 1 : "", NULL);
      g_ptr_array_add (out, k != NULL ? k : g_strdup (parts[i]));
      g_ptr_array_add (out, v != NULL ? v : g_strdup (eq != NULL ? eq + 1 : ""));
    }
  return out;
}

const char *
sim_query_get (SimRequest *req,
               const char *key)
{
  for (guint i = 0; i + 1 < req->query->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (req->query, i), key) == 0)
      return g_ptr_array_index (req->query, i + 1);
  return NULL;
}

GPtrArray *
sim_query_get_all (SimRequest *req,
                   const char *key)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; i + 1 < req->query->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (req->query, i), key) == 0)
      g_ptr_array_add (out, g_ptr_array_index (req->query, i + 1));
  return out;
}

/* An int query parameter; replies 400 problem details and returns FALSE when unparsable. */
gboolean
sim_query_int (SimRequest *req,
               const char *key,
               const char *field,
               gint64      def,
               gint64     *out)
{
  const char *v = sim_query_get (req, key);

  *out = def;
  if (v == NULL || *v == '\0')
    return TRUE;
  if (!sim_str_is_int (v))
    {
      g_autofree char *m = g_strdup_printf ("The value '%s' is not valid for %s.", v, field);

      sim_reply_problem (req, field, m);
      return FALSE;
    }
  *out = g_ascii_strtoll (v, NULL, 10);
  return TRUE;
}

gboolean
sim_query_paging (SimRequest *req,
                  guint      *start,
                  guint      *count)
{
  gint64 s, c;

  if (!sim_query_int (req, "count", "Count", 100, &c) ||
      !sim_query_int (req, "startIndex", "StartIndex", 0, &s))
    return FALSE;
  if (c < 1 || c > 100)
    {
      sim_reply_problem (req, "Count", "The field Count must be between 1 and 100.");
      return FALSE;
    }
  if (s < 0 || s > G_MAXINT32)
    {
      sim_reply_problem (req, "StartIndex",
                         "The field StartIndex must be between 0 and 2147483647.");
      return FALSE;
    }
  *start = (guint) s;
  *count = (guint) c;
  return TRUE;
}

JsonObject *
sim_request_body_object (SimRequest *req)
{
  if (req->body != NULL && JSON_NODE_HOLDS_OBJECT (req->body))
    return json_node_get_object (req->body);
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Events and sessions */

static void
describe_agent (const char *ua,
                char      **browser,
                char      **platform)
{
  static const char *known[] = { "Firefox/", "Edg/", "Chrome/", "Safari/", "DocSpaceLinks/",
                                 "libsoup/", "curl/", "python-requests/" };

  *browser = NULL;
  *platform = NULL;
  if (ua == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (known) && *browser == NULL; i++)
    {
      const char *p = strstr (ua, known[i]);

      if (p != NULL)
        {
          g_autofree char *name = g_strndup (known[i], strlen (known[i]) - 1);
          const char *ver = p + strlen (known[i]);
          gsize n = strcspn (ver, " ;)");
          g_autofree char *version = g_strndup (ver, n);
          char *dot = strchr (version, '.');

          if (dot != NULL && strchr (dot + 1, '.') != NULL)
            *strchr (dot + 1, '.') = '\0';
          *browser = g_strdup_printf ("%s %s", g_str_equal (name, "Edg") ? "Edge" : name, version);
        }
    }
  if (*browser == NULL)
    *browser = g_strndup (ua, strcspn (ua, " /"));
  if (strstr (ua, "Windows") != NULL)
    *platform = g_strdup ("Windows");
  else if (strstr (ua, "Mac OS") != NULL)
    *platform = g_strdup ("Mac OS");
  else if (strstr (ua, "Android") != NULL)
    *platform = g_strdup ("Android");
  else if (strstr (ua, "Linux") != NULL || strstr (ua, "X11") != NULL)
    *platform = g_strdup ("Linux");
}

SimEvent *
sim_request_event (SimRequest *req,
                   int         action_id,
                   SimEntry   *entry,
                   const char *text)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (req->msg);
  const SimUser *u = req->user;
  SimEvent *ev;

  ev = sim_state_add_event (req->state, g_get_real_time (),
                            u != NULL ? u->id : SIM_ANONYMOUS_ID,
                            u != NULL ? u->display_name : "Anonymous",
                            action_id, entry, text);
  describe_agent (soup_message_headers_get_one (h, "User-Agent"), &ev->browser, &ev->platform);
  ev->page = g_strdup (soup_message_headers_get_one (h, "Referer"));
  req->mutated = TRUE;
  return ev;
}

SimSession *
sim_request_new_session (SimRequest    *req,
                         const SimUser *user,
                         gboolean       session_only)
{
  SimSession *ss = g_new0 (SimSession, 1);

  ss->token = sim_random_string (96);
  ss->user_id = g_strdup (user->id);
  ss->expires = g_get_real_time () + 30 * SIM_USEC_PER_DAY;
  g_hash_table_replace (req->state->sessions, ss->token, ss);
  req->mutated = TRUE;
  return ss;
}

/* ------------------------------------------------------------------------------------------ */
/* Faults */

static void
faults_clear (SimFaults *f)
{
  g_free (f->profile);
  g_free (f->path_prefix);
  g_free (f->culture);
  memset (f, 0, sizeof *f);
  f->revoke_after = -1;
  f->count = -1;
}

static gboolean
parse_uint_arg (const char *tok,
                const char *value,
                gint64     *out,
                GError    **error)
{
  if (value == NULL || !sim_str_is_int (value) || value[0] == '-')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "fault \"%s\" needs a non-negative number", tok);
      return FALSE;
    }
  *out = g_ascii_strtoll (value, NULL, 10);
  return TRUE;
}

static gboolean
faults_parse (const char *profile,
              SimFaults  *out,
              GError    **error)
{
  g_auto(GStrv) toks = NULL;
  SimFaults f;

  memset (&f, 0, sizeof f);
  f.revoke_after = -1;
  f.count = -1;
  if (profile == NULL)
    profile = "none";
  toks = g_strsplit (profile, ",", -1);
  for (guint i = 0; toks[i] != NULL; i++)
    {
      char *tok = g_strstrip (toks[i]);
      char *eq = strchr (tok, '=');
      const char *value = NULL;
      gint64 n = 0;

      if (*tok == '\0')
        continue;
      if (eq != NULL)
        {
          *eq = '\0';
          value = eq + 1;
        }
      if (g_str_equal (tok, "none"))
        continue;
      else if (g_str_equal (tok, "error500"))
        f.error500 = TRUE;
      else if (g_str_equal (tok, "html502"))
        f.html502 = TRUE;
      else if (g_str_equal (tok, "html503"))
        f.html503 = TRUE;
      else if (g_str_equal (tok, "malformed"))
        f.malformed = TRUE;
      else if (g_str_equal (tok, "truncated"))
        f.truncated = TRUE;
      else if (g_str_equal (tok, "wrongshape"))
        f.wrongshape = TRUE;
      else if (g_str_equal (tok, "audit402"))
        f.audit402 = TRUE;
      else if (g_str_equal (tok, "audit-unfiltered"))
        f.audit_unfiltered = TRUE;
      else if (g_str_equal (tok, "unpaid"))
        f.unpaid = TRUE;
      else if (g_str_equal (tok, "culture"))
        {
          if (g_strcmp0 (value, "en") != 0 && g_strcmp0 (value, "de") != 0)
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "fault \"culture\" needs en or de");
              goto fail;
            }
          g_free (f.culture);
          f.culture = g_strcmp0 (value, "de") == 0 ? g_strdup (value) : NULL;
        }
      else if (g_str_equal (tok, "latency") || g_str_equal (tok, "stall") ||
               g_str_equal (tok, "ratelimit") || g_str_equal (tok, "revoke-after") ||
               g_str_equal (tok, "count"))
        {
          if (!parse_uint_arg (tok, value, &n, error))
            goto fail;
          if (g_str_equal (tok, "latency"))
            f.latency_ms = (guint) MIN (n, 600000);
          else if (g_str_equal (tok, "stall"))
            f.stall_ms = (guint) MIN (n, 600000);
          else if (g_str_equal (tok, "ratelimit"))
            f.ratelimit_s = (guint) MAX (1, MIN (n, 86400));
          else if (g_str_equal (tok, "revoke-after"))
            f.revoke_after = n;
          else
            f.count = n;
        }
      else if (g_str_equal (tok, "path"))
        {
          if (value == NULL || value[0] != '/')
            {
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "fault \"path\" needs a prefix starting with /");
              goto fail;
            }
          g_free (f.path_prefix);
          f.path_prefix = g_strdup (value);
        }
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "unknown fault \"%s\"", tok);
          goto fail;
        }
    }
  f.profile = g_strdup (profile);
  f.active = f.latency_ms || f.stall_ms || f.ratelimit_s || f.error500 || f.html502 ||
             f.html503 || f.malformed || f.truncated || f.wrongshape || f.audit402 ||
             f.audit_unfiltered || f.unpaid || f.revoke_after >= 0;
  *out = f;
  return TRUE;

fail:
  g_free (f.path_prefix);
  g_free (f.culture);
  return FALSE;
}

static gboolean
is_audit_filter (SimRequest *req)
{
  return req->n_segs == 4 && g_str_equal (req->segs[0], "security") &&
         g_str_equal (req->segs[1], "audit") && g_str_equal (req->segs[2], "events") &&
         g_str_equal (req->segs[3], "filter");
}

/* Actions marked [AllowNotPayment], which PaymentFilter lets through on a lapsed portal
 * (common/ASC.Api.Core/Middleware/PaymentFilter.cs): every action of AuthenticationController
 * (web/ASC.Web.Api/Api/AuthenticationController.cs) and GET people/@self (products/ASC.People/
 * Server/Api/UserController.cs); not keys/@self, files or audit. */
static gboolean
allows_not_payment (SimRequest *req)
{
  if (req->n_segs >= 1 && g_ascii_strcasecmp (req->segs[0], "authentication") == 0)
    return TRUE;
  return req->n_segs == 2 && g_ascii_strcasecmp (req->segs[0], "people") == 0 &&
         g_str_equal (req->segs[1], "@self") && g_str_equal (req->method, "GET");
}

static gboolean
faults_match (SimServer  *sim,
              SimRequest *req)
{
  SimFaults *f = &sim->faults;

  if (!f->active || f->count == 0)
    return FALSE;
  if (f->path_prefix != NULL && !g_str_has_prefix (req->raw_path, f->path_prefix))
    return FALSE;
  return TRUE;
}

/* Does this request take a failure from the profile? Consumes one of count=N if so. */
static gboolean
faults_take (SimServer  *sim,
             SimRequest *req)
{
  SimFaults *f = &sim->faults;
  gboolean general, audit, unpaid;

  if (!faults_match (sim, req))
    return FALSE;
  general = f->latency_ms || f->stall_ms || f->ratelimit_s || f->error500 || f->html502 ||
            f->html503 || f->malformed || f->truncated || f->wrongshape;
  audit = (f->audit402 || f->audit_unfiltered) && is_audit_filter (req);
  unpaid = f->unpaid && !allows_not_payment (req);
  if (!general && !audit && !unpaid)
    return FALSE;
  if (f->count > 0)
    f->count--;
  return TRUE;
}

gboolean
sim_faults_revoked (SimServer *sim)
{
  return sim->faults.revoke_after == 0;
}

static gboolean current_faulted;

gboolean
sim_faults_audit_402 (SimRequest *req)
{
  return current_faulted && req->sim->faults.audit402;
}

const char *
sim_faults_culture (SimRequest *req)
{
  return req->sim->faults.culture;
}

gboolean
sim_faults_audit_unfiltered (SimRequest *req)
{
  return current_faulted && req->sim->faults.audit_unfiltered;
}

/* wrongshape: the right envelope around a response whose members have the wrong types. */
static void
wrong_shape (JsonNode *node)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *a = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (a); i++)
        wrong_shape (json_array_get_element (a, i));
    }
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (o);

      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (g_str_equal (name, "id") || g_str_equal (name, "access"))
            json_object_set_boolean_member (o, name, TRUE);
          else if (g_str_equal (name, "title") || g_str_equal (name, "total"))
            json_object_set_array_member (o, name, json_array_new ());
          else if (g_str_equal (name, "files") || g_str_equal (name, "folders"))
            json_object_set_string_member (o, name, "none");
          else
            wrong_shape (json_object_get_member (o, name));
        }
    }
}

static void
apply_body_faults (SimServer  *sim,
                   SimRequest *req)
{
  SimFaults *f = &sim->faults;

  if (f->wrongshape && req->status == 200 && req->reply != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (req->reply, &len);
      g_autoptr(JsonNode) root = sim_json_parse (data, len);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        {
          JsonObject *env = json_node_get_object (root);
          JsonNode *resp = json_object_get_member (env, "response");
          char *out;

          if (resp != NULL)
            {
              if (JSON_NODE_HOLDS_VALUE (resp))
                json_object_set_array_member (env, "response", json_array_new ());
              else
                wrong_shape (resp);
            }
          else
            json_object_set_string_member (env, "response", "nothing");
          json_object_set_string_member (env, "count", "one");
          out = sim_json_to_string (root);
          set_reply (req, 200, "application/json; charset=utf-8", out, strlen (out));
        }
    }
  if (f->truncated)
    {
      gsize len = 0;
      const char *data = req->reply != NULL ? g_bytes_get_data (req->reply, &len) : NULL;

      if (data == NULL || len < 2)
        {
          data = "{\"response\":{\"id\":1,\"title\":\"x\"},\"count\":1,\"status\":0,"
                 "\"statusCode\":200}";
          len = strlen (data);
        }
      set_reply (req, 200, "application/json; charset=utf-8", g_strndup (data, len / 2), len / 2);
    }
  if (f->malformed)
    sim_reply_raw (req, 200, "application/json; charset=utf-8",
                   "<html><body>Service temporarily unavailable</body>ok: {response:");
}

/* ------------------------------------------------------------------------------------------ */
/* Authentication (§1.1) */

typedef enum {
  CRED_NONE,
  CRED_VALID,
  CRED_INVALID
} CredState;

static const char *
cookie_value (const char *cookies,
              const char *name)
{
  static char buf[512];
  const char *p = cookies;
  gsize nlen = strlen (name);

  while (p != NULL && *p != '\0')
    {
      while (*p == ' ' || *p == ';')
        p++;
      if (g_ascii_strncasecmp (p, name, nlen) == 0 && p[nlen] == '=')
        {
          const char *v = p + nlen + 1;
          gsize n = strcspn (v, ";");

          if (n >= sizeof buf)
            return NULL;
          memcpy (buf, v, n);
          buf[n] = '\0';
          return buf;
        }
      p = strchr (p, ';');
    }
  return NULL;
}

static CredState
check_session (SimRequest *req,
               const char *token)
{
  SimSession *ss = g_hash_table_lookup (req->state->sessions, token);

  if (ss == NULL || ss->expires < g_get_real_time ())
    return CRED_INVALID;
  req->user = sim_user_by_id (ss->user_id);
  if (req->user == NULL || req->user->disabled)
    {
      req->user = NULL;
      return CRED_INVALID;
    }
  req->session_token = ss->token;
  return CRED_VALID;
}

static CredState
authenticate (SimRequest *req)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (req->msg);
  const char *auth = soup_message_headers_get_one (h, "Authorization");
  const char *cookies;
  const char *token;

  if (auth == NULL || *auth == '\0')
    {
      cookies = soup_message_headers_get_one (h, "Cookie");
      token = cookies != NULL ? cookie_value (cookies, "asc_auth_key") : NULL;
      if (token == NULL || *token == '\0')
        return CRED_NONE;
      return check_session (req, token);
    }

  if (g_ascii_strncasecmp (auth, "Basic ", 6) == 0)
    {
      gsize len = 0;
      g_autofree guchar *raw = g_base64_decode (auth + 6, &len);
      g_autofree char *pair = g_strndup ((const char *) raw, len);
      char *colon = strchr (pair, ':');
      const SimUser *u;

      if (colon == NULL)
        return CRED_INVALID;
      *colon = '\0';
      u = sim_user_by_email (pair);
      if (u == NULL || u->disabled || !g_str_equal (u->password, colon + 1))
        return CRED_INVALID;
      req->user = u;
      return CRED_VALID;
    }

  token = auth;
  if (g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    {
      guint dots = 0;

      token = auth + 7;
      while (*token == ' ')
        token++;
      if (g_str_has_prefix (token, "sk-"))
        {
          const SimApiKey *key = sim_api_key_by_secret (token);
          gint64 now = g_get_real_time ();

          if (key == NULL)
            return CRED_INVALID;
          if (key->expires_days != 0 &&
              req->state->start + key->expires_days * SIM_USEC_PER_DAY < now)
            return CRED_INVALID;
          req->user = sim_user_by_id (key->user_id);
          req->key = key;
          g_hash_table_replace (req->state->key_last_used, g_strdup (key->id),
                                g_memdup2 (&now, sizeof now));
          return CRED_VALID;
        }
      for (const char *p = token; *p != '\0'; p++)
        dots += *p == '.';
      if (dots == 2)
        return CRED_INVALID;  /* OAuth2 JWT: no authorization server here */
    }
  return check_session (req, token);
}

/* §1.2: scope needed per route, first match wins; global scopes always satisfy. */
static gboolean
key_has (const SimApiKey *key,
         const char      *perm)
{
  for (guint i = 0; key->permissions[i] != NULL; i++)
    if (g_str_equal (key->permissions[i], perm))
      return TRUE;
  return FALSE;
}

static gboolean
key_allows (const SimApiKey *key,
            SimRequest      *req)
{
  gboolean get = g_str_equal (req->method, "GET") || g_str_equal (req->method, "HEAD");
  const char *p = req->raw_path + strlen ("/api/2.0/");

  if (key->permissions[0] == NULL || key_has (key, "*"))
    return TRUE;
  if (key_has (key, "*:write") || (get && key_has (key, "*:read")))
    return TRUE;
  if (g_str_has_prefix (p, "files/rooms"))
    return get ? key_has (key, "rooms:read") || key_has (key, "rooms:write") :
                 key_has (key, "rooms:write");
  if (g_str_has_prefix (p, "files"))
    return get ? key_has (key, "files:read") || key_has (key, "files:write") :
                 key_has (key, "files:write");
  if (get && g_str_equal (p, "people/@self"))
    return key_has (key, "accounts.self:read") || key_has (key, "accounts.self:write");
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* Request log */

static void
log_request (SimServer  *sim,
             SimRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "method");
  json_builder_add_string_value (b, req->method);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, req->raw_path);
  json_builder_set_member_name (b, "query");
  if (req->raw_query != NULL)
    json_builder_add_string_value (b, req->raw_query);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "body");
  if (req->body != NULL)
    json_builder_add_value (b, json_node_copy (req->body));
  else if (req->raw_body != NULL && g_bytes_get_size (req->raw_body) > 0)
    {
      gsize len;
      const char *d = g_bytes_get_data (req->raw_body, &len);
      g_autofree char *s = g_utf8_make_valid (d, (gssize) len);

      json_builder_add_string_value (b, s);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_int_value (b, req->status);
  json_builder_set_member_name (b, "user");
  if (req->user != NULL)
    json_builder_add_string_value (b, req->user->id);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  g_ptr_array_add (sim->requests, json_builder_get_root (b));
}

/* ------------------------------------------------------------------------------------------ */
/* Delays: the main loop never blocks; a paused message is resumed from a timeout. */

typedef struct {
  SoupServerMessage *msg;
  gulong             handler;
  gboolean           gone;
} Delayed;

static void
on_delayed_gone (SoupServerMessage *msg,
                 gpointer           user_data)
{
  Delayed *d = user_data;

  d->gone = TRUE;
}

static gboolean
resume_delayed (gpointer user_data)
{
  Delayed *d = user_data;

  g_signal_handler_disconnect (d->msg, d->handler);
  if (!d->gone)
    soup_server_message_unpause (d->msg);
  g_object_unref (d->msg);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
delay_message (SoupServerMessage *msg,
               guint              ms)
{
  Delayed *d = g_new0 (Delayed, 1);

  d->msg = g_object_ref (msg);
  d->handler = g_signal_connect (msg, "disconnected", G_CALLBACK (on_delayed_gone), d);
  soup_server_message_pause (msg);
  g_timeout_add (ms, resume_delayed, d);
}

/* ------------------------------------------------------------------------------------------ */
/* Dispatch */

static void
finish_reply (SoupServerMessage *msg,
              SimRequest        *req)
{
  soup_server_message_set_status (msg, req->status, NULL);
  if (req->reply != NULL && g_bytes_get_size (req->reply) > 0)
    {
      gsize len;
      const char *data = g_bytes_get_data (req->reply, &len);

      soup_server_message_set_response (msg, req->content_type, SOUP_MEMORY_COPY, data, len);
    }
  else
    soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), 0);
}

static void
request_free (SimRequest *req)
{
  g_free (req->raw_path);
  g_free (req->raw_query);
  g_strfreev (req->segs);
  g_clear_pointer (&req->query, g_ptr_array_unref);
  g_clear_pointer (&req->raw_body, g_bytes_unref);
  g_clear_pointer (&req->body, json_node_unref);
  g_clear_pointer (&req->reply, g_bytes_unref);
  g_free (req->href);
  g_free (req);
}

static SimRequest *
request_new (SimServer         *sim,
             SoupServerMessage *msg)
{
  SimRequest *req = g_new0 (SimRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *q = g_uri_get_query (uri);

  req->sim = sim;
  req->state = sim->state;
  req->msg = msg;
  req->method = soup_server_message_get_method (msg);
  req->raw_path = g_strdup (g_uri_get_path (uri));
  req->raw_query = q != NULL ? g_strdup (q) : NULL;
  req->query = parse_query (q);
  req->href = q != NULL ? g_strdup_printf ("%s%s?%s", sim->url, req->raw_path, q) :
                          g_strdup_printf ("%s%s", sim->url, req->raw_path);
  req->status = 200;
  if (body != NULL && body->length > 0)
    {
      req->raw_body = soup_message_body_flatten (body);
      req->body = sim_json_parse (g_bytes_get_data (req->raw_body, NULL),
                                  g_bytes_get_size (req->raw_body));
      req->body_invalid = req->body == NULL;
    }
  return req;
}

static gboolean
pattern_matches (const char *pattern,
                 char      **segs,
                 guint       n_segs)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "/", -1);
  guint n = g_strv_length (parts);

  if (n != n_segs)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (g_str_equal (parts[i], "*"))
        continue;
      if (g_ascii_strcasecmp (parts[i], segs[i]) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
handle_api (SimServer         *sim,
            SoupServerMessage *msg)
{
  SimRequest *req = request_new (sim, msg);
  const SimRoute *route = NULL;
  gboolean path_known = FALSE;
  gboolean faulted;
  guint delay = sim->latency_ms;
  g_auto(GStrv) raw_segs = NULL;
  GPtrArray *segs = g_ptr_array_new ();

  raw_segs = g_strsplit (req->raw_path + strlen ("/api/2.0/"), "/", -1);
  for (guint i = 0; raw_segs[i] != NULL; i++)
    {
      char *s;

      if (raw_segs[i][0] == '\0' && raw_segs[i + 1] == NULL && i > 0)
        break;  /* trailing slash */
      s = g_uri_unescape_string (raw_segs[i], NULL);
      g_ptr_array_add (segs, s != NULL ? s : g_strdup (raw_segs[i]));
    }
  req->n_segs = segs->len;
  g_ptr_array_add (segs, NULL);
  req->segs = (char **) g_ptr_array_free (segs, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (pattern_matches (routes[i].pattern, req->segs, req->n_segs))
      {
        path_known = TRUE;
        if (g_str_equal (routes[i].method, req->method))
          {
            route = &routes[i];
            break;
          }
      }

  faulted = faults_take (sim, req);
  current_faulted = faulted;
  if (faulted)
    delay += sim->faults.latency_ms + sim->faults.stall_ms;

  if (faulted && sim->faults.ratelimit_s > 0)
    {
      SoupMessageHeaders *rh = soup_server_message_get_response_headers (msg);
      g_autofree char *after = g_strdup_printf ("%u", sim->faults.ratelimit_s);
      g_autofree char *reset = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                g_get_real_time () / G_USEC_PER_SEC +
                                                sim->faults.ratelimit_s);

      soup_message_headers_replace (rh, "Retry-After", after);
      soup_message_headers_replace (rh, "X-RateLimit-Limit", "1500");
      soup_message_headers_replace (rh, "X-RateLimit-Remaining", "0");
      soup_message_headers_replace (rh, "X-RateLimit-Reset", reset);
      sim_reply_raw (req, 429, "text/plain; charset=utf-8",
                     "API rate limit exceeded. Please try again later.");
    }
  else if (faulted && sim->faults.error500)
    sim_reply_error (req, 500, "Object reference not set to an instance of an object.",
                     "System.NullReferenceException", -2147467261);
  else if (faulted && (sim->faults.html502 || sim->faults.html503))
    {
      gboolean is502 = sim->faults.html502;

      sim_reply_raw (req, is502 ? 502 : 503, "text/html",
                     is502 ?
                     "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                     "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                     "</body>\r\n</html>\r\n" :
                     "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n"
                     "<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
                     "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    }
  else if (route == NULL)
    sim_reply_empty (req, path_known ? 405 : 404);
  else
    {
      CredState cred = authenticate (req);

      if (cred == CRED_VALID && sim->faults.revoke_after >= 0)
        {
          if (sim->faults.revoke_after == 0)
            cred = CRED_INVALID;
          else
            sim->faults.revoke_after--;
        }
      if (cred != CRED_VALID)
        {
          req->user = NULL;
          req->key = NULL;
          req->session_token = NULL;
        }

      /* The order of the server's filters (common/ASC.Api.Core/Core/BaseStartup.cs):
       * AuthorizeFilter (401), TenantStatusFilter, PaymentFilter (402), …,
       * ProductSecurityFilter (403), ApiKeyScopesFilter (403). The last three answer with a
       * bare status code (StatusCodeResult): no body, no envelope. */
      if ((route->auth == ROUTE_AUTH || route->auth == ROUTE_AUTH_NOSCOPE) && cred != CRED_VALID)
        sim_reply_empty (req, 401);
      else if (faulted && sim->faults.unpaid && !allows_not_payment (req))
        sim_reply_empty (req, 402);
      else if (req->user != NULL && req->user->no_documents && req->n_segs >= 1 &&
               g_ascii_strcasecmp (req->segs[0], "files") == 0)
        /* ProductSecurityFilter: the "files" controller belongs to Documents, and
         * WebItemSecurity.IsAvailableForMeAsync says no (common/ASC.Api.Core/Middleware/
         * ProductSecurityFilter.cs). */
        sim_reply_empty (req, 403);
      else if ((route->auth == ROUTE_AUTH || route->auth == ROUTE_ANON_SCOPED) &&
               req->key != NULL && !key_allows (req->key, req))
        sim_reply_empty (req, 403);
      else
        route->handler (req);
    }

  if (faulted)
    apply_body_faults (sim, req);
  current_faulted = FALSE;

  log_request (sim, req);
  if (req->mutated && sim->state_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!sim_state_save (sim->state, sim->state_file, &error))
        g_warning ("Could not save %s: %s", sim->state_file, error->message);
    }
  finish_reply (msg, req);
  request_free (req);
  if (delay > 0)
    delay_message (msg, delay);
}

/* ------------------------------------------------------------------------------------------ */
/* /s/<code>: what a person opening a shared link gets */

static void
html_page (SoupServerMessage *msg,
           guint              status,
           const char        *title,
           const char        *body_html)
{
  g_autofree char *t = g_markup_escape_text (title, -1);
  g_autofree char *page = g_strdup_printf (
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n"
    "<body><h1>%s</h1>\n%s\n</body></html>\n", t, t, body_html);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    page, strlen (page));
}

/* What a person opening the link gets, at its long form (below): the page, a password form,
 * a download. `long_path` is the link's long form without the sim's own parameters. */
static void
visit_link (SimServer         *sim,
            SoupServerMessage *msg,
            SimEntry          *entry,
            SimLink           *link,
            const char        *long_path,
            gboolean           want_download)
{
  SimRequest *req = request_new (sim, msg);
  const char *password = sim_query_get (req, "password");
  const char *download = sim_query_get (req, "download");
  g_autofree char *title = NULL;

  want_download = want_download ||
                  (download != NULL && (g_str_equal (download, "1") ||
                                        g_ascii_strcasecmp (download, "true") == 0));

  if (entry == NULL)
    {
      html_page (msg, 404, "Link not found",
                 "<p>The link you followed does not exist or has been deleted.</p>");
      goto out;
    }
  if (sim_link_is_expired (link, g_get_real_time ()))
    {
      html_page (msg, 410, "Link expired", "<p>This link has expired.</p>");
      goto out;
    }
  if (link->subject_type == SUBJ_INVITATION)
    {
      g_autofree char *t = g_markup_printf_escaped ("<p>You are invited to join the room "
                                                    "“%s”. Sign in to accept.</p>", entry->title);

      html_page (msg, 200, "Room invitation", t);
      goto out;
    }
  if (link->internal && authenticate (req) != CRED_VALID)
    {
      req->user = NULL;
      html_page (msg, 401, "Sign in required",
                 "<p>This link is available to portal users only. Sign in to open it.</p>");
      goto out;
    }
  if (!link->internal)
    req->user = NULL;  /* an external visitor is anonymous */
  if (link->password != NULL && g_strcmp0 (password, link->password) != 0)
    {
      const char *form =
        "<form method=\"get\"><label>Password <input type=\"password\" name=\"password\">"
        "</label> <button type=\"submit\">Open</button></form>";
      g_autofree char *body = g_strdup_printf ("%s%s", password != NULL ?
                                               "<p class=\"error\">Incorrect password.</p>" : "",
                                               form);

      html_page (msg, password != NULL ? 403 : 200, "This link is password protected", body);
      goto out;
    }

  if (want_download)
    {
      SimEntry *room = sim_entry_room (entry);
      SoupMessageHeaders *rh = soup_server_message_get_response_headers (msg);
      g_autofree char *disp = NULL;

      if (link->deny_download || (room != NULL && room->deny_download))
        {
          html_page (msg, 403, "Download is not allowed",
                     "<p>The owner of this link has disabled downloading.</p>");
          goto out;
        }
      if (entry->is_folder)
        {
          /* an empty ZIP archive */
          static const char empty_zip[22] = { 'P', 'K', 5, 6 };
          g_autofree char *t = g_strdup_printf ("Folder downloaded: %s", entry->title);

          sim_request_event (req, MA_FOLDER_DOWNLOADED, entry, t);
          disp = g_strdup_printf ("attachment; filename=\"%s.zip\"", entry->title);
          soup_server_message_set_status (msg, 200, NULL);
          soup_server_message_set_response (msg, "application/zip", SOUP_MEMORY_STATIC,
                                            empty_zip, sizeof empty_zip);
        }
      else
        {
          /* ?format=<ext>: "download as" (FileDownloadOperation.cs logs FileDownloadedAs);
           * ?version=<n>: an older version (FileHandler.ashx.cs logs FileRevisionDownloaded) */
          const char *format = sim_query_get (req, "format");
          const char *version = sim_query_get (req, "version");
          g_autofree char *t = NULL;
          g_autofree char *content = g_strdup_printf ("docspace-sim content of %s (%s)\n",
                                                      entry->title, entry->id);

          if (format != NULL && *format != '\0')
            {
              t = g_strdup_printf ("Files [%s]. Downloaded As: %s", entry->title, format);
              sim_request_event (req, MA_FILE_DOWNLOADED_AS, entry, t);
            }
          else if (version != NULL && *version != '\0')
            {
              t = g_strdup_printf ("Files [%s]. Revision: %s. Downloaded", entry->title,
                                   version);
              sim_request_event (req, MA_FILE_REVISION_DOWNLOADED, entry, t);
            }
          else
            {
              t = g_strdup_printf ("File downloaded: %s", entry->title);
              sim_request_event (req, MA_FILE_DOWNLOADED, entry, t);
            }
          disp = g_strdup_printf ("attachment; filename=\"%s\"", entry->title);
          soup_server_message_set_status (msg, 200, NULL);
          soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                            content, strlen (content));
        }
      soup_message_headers_replace (rh, "Content-Disposition", disp);
    }
  else
    {
      g_autofree char *body = NULL;

      if (!entry->is_folder)
        {
          g_autofree char *t = g_strdup_printf ("Files [%s]. Opened for viewing", entry->title);

          sim_request_event (req, MA_FILE_READED, entry, t);
        }
      body = g_markup_printf_escaped ("<p>%s “%s” shared with you (%s).</p>"
                                      "<p><a href=\"%s%sdownload=1%s%s\">Download</a></p>",
                                      entry->is_folder ? "Folder" : "File", entry->title,
                                      sim_access_name (link->access),
                                      long_path != NULL ? long_path : "",
                                      long_path != NULL && strchr (long_path, '?') ? "&" : "?",
                                      password != NULL ? "&password=" : "",
                                      password != NULL ? password : "");
      title = g_strdup (entry->title);
      html_page (msg, 200, title, body);
    }

out:
  if (req->mutated && sim->state_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!sim_state_save (sim->state, sim->state_file, &error))
        g_warning ("Could not save %s: %s", sim->state_file, error->message);
    }
  request_free (req);
}

static void
redirect (SimServer         *sim,
          SoupServerMessage *msg,
          const char        *path,
          const char        *query)
{
  g_autofree char *location = g_strdup_printf ("%s%s%s%s", sim_server_get_url (sim), path,
                                               query != NULL ? (strchr (path, '?') ? "&" : "?")
                                                             : "",
                                               query != NULL ? query : "");

  soup_server_message_set_redirect (msg, 302, location);
}

/* /s/<code>: the portal's URL shortener redirects to the long form (web/ASC.Web.Core/
 * UrlShortRewriter.cs), also for a deleted link (its short link stays), and to the portal's
 * root for a code it does not know. A query given to /s/ (the sim's own ?download=1,
 * ?password=) is passed on to the long form; the server drops it. Invitation links have no
 * long form here and are answered directly. */
static void
handle_short (SimServer         *sim,
              SoupServerMessage *msg,
              const char        *path)
{
  const char *code = path + strlen ("/s/");
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  SimLink *link = NULL;
  SimEntry *entry = sim_state_find_code (sim->state, code, &link);
  g_autofree char *long_path = NULL;
  const char *dead;

  if (entry != NULL && link->subject_type == SUBJ_INVITATION)
    {
      visit_link (sim, msg, entry, link, path, FALSE);
      return;
    }
  if (entry != NULL)
    long_path = sim_link_long_path (entry, link);
  else if ((dead = g_hash_table_lookup (sim->state->dead_codes, code)) != NULL)
    long_path = g_strdup (dead);
  if (long_path != NULL)
    redirect (sim, msg, long_path, query);
  else
    redirect (sim, msg, "/", NULL);
}

/* The long forms (ExternalShare.cs GetLinkDataAsync): the key is `share=` (files) or `key=`
 * (rooms and folders). The download handler's form downloads. */
static void
handle_long (SimServer         *sim,
             SoupServerMessage *msg,
             const char        *path)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) params = query != NULL
    ? g_uri_parse_params (query, -1, "&", G_URI_PARAMS_CASE_INSENSITIVE, NULL) : NULL;
  const char *key = NULL;
  const char *action = NULL;
  SimLink *link = NULL;
  SimEntry *entry;
  g_autofree char *long_path = NULL;

  if (params != NULL)
    {
      key = g_hash_table_lookup (params, g_str_equal (path, "/rooms/share") ? "key" : "share");
      action = g_hash_table_lookup (params, "action");
    }
  entry = sim_state_find_key (sim->state, key, &link);
  if (entry == NULL)
    {
      html_page (msg, 404, "Link not found",
                 "<p>The link you followed does not exist or has been deleted.</p>");
      return;
    }
  long_path = sim_link_long_path (entry, link);
  visit_link (sim, msg, entry, link, long_path,
              g_str_equal (path, "/filehandler.ashx") && g_strcmp0 (action, "download") == 0);
}

static gboolean
is_long_form (const char *path)
{
  return g_str_equal (path, "/doceditor") || g_str_equal (path, "/filehandler.ashx") ||
         g_str_equal (path, "/rooms/share") ||
         (g_str_has_prefix (path, "/share/preview/") && path[strlen ("/share/preview/")] != '\0');
}

/* ------------------------------------------------------------------------------------------ */
/* /__sim/: test control */

static void
control_reply (SoupServerMessage *msg,
               guint              status,
               JsonNode          *node)
{
  g_autofree char *data = sim_json_to_string (node);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_COPY,
                                    data, strlen (data));
}

static void
control_message (SoupServerMessage *msg,
                 guint              status,
                 const char        *key,
                 const char        *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, key, value);
  json_node_take_object (node, o);
  control_reply (msg, status, node);
}

static void
sim_server_reset (SimServer *sim)
{
  gint64 start = sim->state->start;

  sim_state_free (sim->state);
  sim->state = sim_state_new_seed (start, sim->scale, sim->url);
  g_ptr_array_set_size (sim->requests, 0);
  faults_clear (&sim->faults);
  if (sim->state_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!sim_state_save (sim->state, sim->state_file, &error))
        g_warning ("Could not save %s: %s", sim->state_file, error->message);
    }
}

static void
save_state (SimServer *sim)
{
  g_autoptr(GError) error = NULL;

  if (sim->state_file != NULL && !sim_state_save (sim->state, sim->state_file, &error))
    g_warning ("Could not save %s: %s", sim->state_file, error->message);
}

static const SimUser *
portal_owner (void)
{
  const SimUser *u;

  for (guint i = 0; (u = sim_user_by_index (i)) != NULL; i++)
    if (u->is_owner)
      return u;
  g_assert_not_reached ();
}

/* POST|DELETE /__sim/links/{linkId}: a second administrator changes or removes a link, external
 * or invitation, of any item; no rule checks, no audit event, not logged. The change is saved to
 * --state and is what the next API read shows. */
static void
control_link (SimServer         *sim,
              SoupServerMessage *msg,
              const char        *method,
              const char        *raw_id)
{
  g_autofree char *id = g_uri_unescape_string (raw_id, NULL);
  SimLink *link = NULL;
  SimEntry *holder = id != NULL && strchr (id, '/') == NULL ?
                     sim_state_find_link (sim->state, id, &link) : NULL;

  if (!g_str_equal (method, "POST") && !g_str_equal (method, "DELETE"))
    {
      control_message (msg, 405, "error", "POST or DELETE /__sim/links/{linkId}");
      return;
    }
  if (holder == NULL)
    {
      control_message (msg, 404, "error", "no link with this id");
      return;
    }
  if (g_str_equal (method, "DELETE"))
    {
      sim_entry_remove_link (sim->state, holder, link);
      save_state (sim);
      soup_server_message_set_status (msg, 204, NULL);
      soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), 0);
    }
  else
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autoptr(JsonNode) root = sim_json_parse (g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes));
      g_autofree char *message = NULL;
      g_autoptr(JsonNode) dto = NULL;

      if (!sim_link_control_change (link, root, &message))
        {
          control_message (msg, 400, "error", message);
          return;
        }
      save_state (sim);
      dto = sim_dto_link (sim->state, portal_owner (), holder, link, FALSE);
      control_reply (msg, 200, dto);
    }
}

static void
handle_control (SimServer         *sim,
                SoupServerMessage *msg,
                const char        *path)
{
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (path, "/__sim/requests") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *a = json_array_sized_new (sim->requests->len);

      for (guint i = 0; i < sim->requests->len; i++)
        json_array_add_element (a, json_node_copy (g_ptr_array_index (sim->requests, i)));
      json_node_take_array (node, a);
      control_reply (msg, 200, node);
    }
  else if (g_str_equal (path, "/__sim/requests") && g_str_equal (method, "DELETE"))
    {
      g_ptr_array_set_size (sim->requests, 0);
      control_message (msg, 200, "result", "cleared");
    }
  else if (g_str_equal (path, "/__sim/reset") && g_str_equal (method, "POST"))
    {
      sim_server_reset (sim);
      control_message (msg, 200, "result", "reset");
    }
  else if (g_str_equal (path, "/__sim/faults") && g_str_equal (method, "GET"))
    control_message (msg, 200, "profile", sim->faults.profile != NULL ?
                     sim->faults.profile : "none");
  else if (g_str_equal (path, "/__sim/faults") && g_str_equal (method, "POST"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autoptr(JsonNode) root = sim_json_parse (g_bytes_get_data (bytes, NULL),
                                                 g_bytes_get_size (bytes));
      JsonNode *p = NULL;
      g_autoptr(GError) error = NULL;
      SimFaults f;

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        p = sim_obj_get (json_node_get_object (root), "profile");
      if (p == NULL || !JSON_NODE_HOLDS_VALUE (p) ||
          json_node_get_value_type (p) != G_TYPE_STRING)
        {
          control_message (msg, 400, "error", "body must be {\"profile\": \"...\"}");
          return;
        }
      if (!faults_parse (json_node_get_string (p), &f, &error))
        {
          control_message (msg, 400, "error", error->message);
          return;
        }
      faults_clear (&sim->faults);
      sim->faults = f;
      control_message (msg, 200, "profile", f.profile);
    }
  else if (g_str_has_prefix (path, "/__sim/links/") && path[strlen ("/__sim/links/")] != '\0')
    control_link (sim, msg, method, path + strlen ("/__sim/links/"));
  else
    control_message (msg, 404, "error", "unknown control endpoint");
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  SimServer *sim = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (g_str_has_prefix (path, "/__sim/"))
    handle_control (sim, msg, path);
  else if (g_str_has_prefix (path, "/api/2.0/"))
    handle_api (sim, msg);
  else if (g_str_has_prefix (path, "/s/") && (g_str_equal (method, "GET") ||
                                              g_str_equal (method, "HEAD")))
    handle_short (sim, msg, path);
  else if (is_long_form (path) && (g_str_equal (method, "GET") || g_str_equal (method, "HEAD")))
    handle_long (sim, msg, path);
  else if (g_str_equal (path, "/") && g_str_equal (method, "GET"))
    html_page (msg, 200, "docspace-sim",
               "<p>A local ONLYOFFICE DocSpace portal for tests and demos. "
               "The API is under <code>/api/2.0/</code>.</p>");
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), 0);
    }
}

/* ------------------------------------------------------------------------------------------ */

SimServer *
sim_server_new (guint        port,
                guint        scale,
                guint        latency_ms,
                const char  *faults,
                const char  *state_file,
                GError     **error)
{
  g_autoptr(SimServer) sim = g_new0 (SimServer, 1);
  g_autoptr(GSocketAddress) addr = NULL;
  GSList *uris;

  sim->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  sim->scale = scale;
  sim->latency_ms = latency_ms;
  sim->state_file = g_strdup (state_file);
  faults_clear (&sim->faults);
  if (!faults_parse (faults, &sim->faults, error))
    return NULL;

  sim->server = soup_server_new ("server-header", "docspace-sim ", NULL);
  soup_server_add_handler (sim->server, NULL, server_callback, sim, NULL);
  addr = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  if (!soup_server_listen (sim->server, addr, 0, error))
    return NULL;
  uris = soup_server_get_uris (sim->server);
  if (uris == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The server is not listening");
      return NULL;
    }
  sim->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  if (state_file != NULL && g_file_test (state_file, G_FILE_TEST_EXISTS))
    {
      sim->state = sim_state_load (state_file, sim->url, error);
      if (sim->state == NULL)
        {
          g_prefix_error (error, "Could not load %s: ", state_file);
          return NULL;
        }
      sim->scale = sim->state->scale;
    }
  else
    {
      sim->state = sim_state_new_seed (g_get_real_time (), scale, sim->url);
      if (state_file != NULL && !sim_state_save (sim->state, state_file, error))
        return NULL;
    }
  return g_steal_pointer (&sim);
}

const char *
sim_server_get_url (SimServer *sim)
{
  return sim->url;
}

void
sim_server_free (SimServer *sim)
{
  if (sim == NULL)
    return;
  if (sim->server != NULL)
    {
      soup_server_disconnect (sim->server);
      g_object_unref (sim->server);
    }
  g_clear_pointer (&sim->state, sim_state_free);
  g_clear_pointer (&sim->requests, g_ptr_array_unref);
  faults_clear (&sim->faults);
  g_free (sim->url);
  g_free (sim->state_file);
  g_free (sim);
}

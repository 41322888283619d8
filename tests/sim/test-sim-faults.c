/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-faults.c: every fault profile of the control API, and its modifiers. */
#define G_LOG_DOMAIN "docspace-sim-test"

#include "sim-test-util.h"

#include <string.h>

static void
faults (const char *profile)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dsl_sim_set_faults (sim_test_sim (), profile, &error));
  g_assert_no_error (error);
}

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

static SimResp *
rooms (void)
{
  return api ("GET", "/api/2.0/files/rooms", OWNER_KEY, NULL);
}

static void
test_error500 (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *err;

  sim_test_reset ();
  faults ("error500");
  r = rooms ();
  g_assert_cmpuint (r->status, ==, 500);
  err = resp_error (r);
  g_assert_nonnull (obj_str (err, "message"));
  g_assert_cmpint (obj_int (resp_object (r), "statusCode"), ==, 500);
}

static void
test_html502 (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  faults ("html502");
  r = rooms ();
  g_assert_cmpuint (r->status, ==, 502);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (r->headers, "content-type"), "text/html"));
  g_assert_null (r->json);
  g_assert_nonnull (strstr (r->text, "502 Bad Gateway"));
}

static void
test_html503 (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  faults ("html503");
  r = rooms ();
  g_assert_cmpuint (r->status, ==, 503);
  g_assert_null (r->json);
}

static void
test_ratelimit (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  faults ("ratelimit=7");
  r = rooms ();
  g_assert_cmpuint (r->status, ==, 429);
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "retry-after"), ==, "7");
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "x-ratelimit-limit"), ==, "1500");
  g_assert_cmpstr (g_hash_table_lookup (r->headers, "x-ratelimit-remaining"), ==, "0");
  g_assert_nonnull (g_hash_table_lookup (r->headers, "x-ratelimit-reset"));
}

static void
test_stall (void)
{
  g_autoptr(SimResp) r = NULL;
  gint64 t0;

  sim_test_reset ();
  faults ("stall=1200");
  t0 = g_get_monotonic_time ();
  r = rooms ();
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 1150 * 1000);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (resp_response_object (r));
}

static void
test_latency (void)
{
  g_autoptr(SimResp) r = NULL;
  gint64 t0;

  sim_test_reset ();
  faults ("latency=300");
  t0 = g_get_monotonic_time ();
  r = rooms ();
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 290 * 1000);
  g_assert_cmpuint (r->status, ==, 200);
}

static void
test_malformed (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  faults ("malformed");
  r = rooms ();
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (r->length, >, 0);
  g_assert_null (r->json);
}

static void
test_truncated (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  faults ("truncated");
  r = rooms ();
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_null (r->json);
  g_assert_true (g_str_has_prefix (r->text, "{\"response\":"));
}

static void
test_wrongshape (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *f;

  sim_test_reset ();
  faults ("wrongshape");
  r = api ("GET", "/api/2.0/files/file/301", OWNER_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  f = resp_response_object (r);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (f, "id")), ==,
                   G_TYPE_BOOLEAN);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (f, "title")));
}

static void
test_revoke_after (void)
{
  sim_test_reset ();
  faults ("revoke-after=2");
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(SimResp) r = rooms ();

      g_assert_cmpuint (r->status, ==, 200);
    }
  {
    g_autoptr(SimResp) r = rooms ();
    g_autoptr(SimResp) other = api ("GET", "/api/2.0/people/@self", USER_KEY, NULL);

    g_assert_cmpuint (r->status, ==, 401);
    g_assert_cmpuint (r->length, ==, 0);
    g_assert_cmpuint (other->status, ==, 401);
  }
  sim_test_reset ();
  {
    g_autoptr(SimResp) r = rooms ();

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_audit402 (void)
{
  g_autoptr(SimResp) audit = NULL;
  g_autoptr(SimResp) other = NULL;

  sim_test_reset ();
  faults ("audit402");
  audit = api ("GET", "/api/2.0/security/audit/events/filter", OWNER_KEY, NULL);
  g_assert_cmpuint (audit->status, ==, 402);
  g_assert_cmpstr (obj_str (resp_error (audit), "message"), ==,
                   "Your pricing plan does not support this option");
  other = rooms ();
  g_assert_cmpuint (other->status, ==, 200);
}

static void
test_audit_unfiltered (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonArray *a;
  gboolean other_action = FALSE;

  sim_test_reset ();
  faults ("audit-unfiltered");
  r = api ("GET", "/api/2.0/security/audit/events/filter?action=5009&count=1", OWNER_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  a = resp_response_array (r);
  g_assert_cmpuint (json_array_get_length (a), >, 1);
  g_assert_cmpuint (json_array_get_length (a), <=, 20);
  for (guint i = 0; i < json_array_get_length (a); i++)
    other_action |= obj_int (arr_obj (a, i), "actionId") != 5009;
  g_assert_true (other_action);
}

static void
test_count_modifier (void)
{
  g_autoptr(SimResp) r1 = NULL;
  g_autoptr(SimResp) r2 = NULL;
  g_autoptr(SimResp) r3 = NULL;

  sim_test_reset ();
  faults ("error500,count=2");
  r1 = rooms ();
  r2 = rooms ();
  r3 = rooms ();
  g_assert_cmpuint (r1->status, ==, 500);
  g_assert_cmpuint (r2->status, ==, 500);
  g_assert_cmpuint (r3->status, ==, 200);
}

static void
test_path_modifier (void)
{
  g_autoptr(SimResp) hit = NULL;
  g_autoptr(SimResp) miss = NULL;

  sim_test_reset ();
  faults ("html503,path=/api/2.0/files/rooms");
  hit = rooms ();
  miss = api ("GET", "/api/2.0/people/@self", OWNER_KEY, NULL);
  g_assert_cmpuint (hit->status, ==, 503);
  g_assert_cmpuint (miss->status, ==, 200);
}

static void
test_none_clears (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  faults ("error500");
  faults ("none");
  r = rooms ();
  g_assert_cmpuint (r->status, ==, 200);
}

static void
test_reset_clears (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  faults ("error500");
  sim_test_reset ();
  r = rooms ();
  g_assert_cmpuint (r->status, ==, 200);
}

static void
test_invalid_profile_refused (void)
{
  g_autoptr(GError) error = NULL;

  sim_test_reset ();
  g_assert_false (dsl_sim_set_faults (sim_test_sim (), "explode", &error));
  g_assert_nonnull (error);
}

static void
test_control_not_faulted_not_logged (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autoptr(JsonNode) logged = NULL;

  sim_test_reset ();
  faults ("error500");
  r = rooms ();
  logged = dsl_sim_get_requests (sim_test_sim (), &error);
  g_assert_no_error (error);
  /* only the API request; the control calls are neither faulted nor logged */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (logged)), ==, 1);
  g_assert_cmpint (obj_int (json_array_get_object_element (json_node_get_array (logged), 0),
                            "status"), ==, 500);
}

static void
test_faulted_write_not_applied (void)
{
  g_autoptr(SimResp) put = NULL;
  g_autoptr(SimResp) list = NULL;

  sim_test_reset ();
  faults ("error500,count=1");
  put = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, "{\"access\":2}");
  g_assert_cmpuint (put->status, ==, 500);
  list = api ("GET", "/api/2.0/files/file/402/links", OWNER_KEY, NULL);
  g_assert_cmpuint (json_array_get_length (resp_response_array (list)), ==, 0);
}

/* A lapsed subscription: PaymentFilter answers every action without [AllowNotPayment] with a
 * bare 402 (StatusCodeResult: no body, no envelope; common/ASC.Api.Core/Middleware/
 * PaymentFilter.cs). Signing in and people/@self still work; 401 comes first. */
static void
test_unpaid (void)
{
  const char *refused[][2] = {
    { "GET", "/api/2.0/files/rooms" },
    { "GET", "/api/2.0/files/@my" },
    { "GET", "/api/2.0/files/file/401/links" },
    { "GET", "/api/2.0/keys/@self" },
    { "GET", "/api/2.0/security/audit/events/filter" },
  };
  g_autoptr(SimResp) me = NULL;
  g_autoptr(SimResp) bad_key = NULL;
  g_autoptr(SimResp) put = NULL;
  g_autoptr(SimResp) list = NULL;
  g_autofree char *token = NULL;
  g_autofree char *bearer = NULL;

  sim_test_reset ();
  faults ("unpaid");
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(SimResp) r = api (refused[i][0], refused[i][1], OWNER_KEY, NULL);

      g_test_message ("%s %s", refused[i][0], refused[i][1]);
      g_assert_cmpuint (r->status, ==, 402);
      g_assert_cmpuint (r->length, ==, 0);
      g_assert_null (r->json);
    }

  me = api ("GET", "/api/2.0/people/@self", OWNER_KEY, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  token = login ("owner@example.com", "DemoOwner1!");
  g_assert_nonnull (token);
  bearer = g_strconcat ("Bearer ", token, NULL);
  {
    g_autoptr(SimResp) r = api ("GET", "/api/2.0/files/rooms", bearer, NULL);

    g_assert_cmpuint (r->status, ==, 402);
  }
  bad_key = api ("GET", "/api/2.0/files/rooms", "Bearer sk-no-such-key", NULL);
  g_assert_cmpuint (bad_key->status, ==, 401);

  /* Refused, so not applied. */
  put = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, "{\"access\":2}");
  g_assert_cmpuint (put->status, ==, 402);
  faults ("none");
  list = api ("GET", "/api/2.0/files/file/402/links", OWNER_KEY, NULL);
  g_assert_cmpuint (json_array_get_length (resp_response_array (list)), ==, 0);
}

/* culture= is the portal's language, not a fault: it is not bound to count= or path=. */
static void
test_culture_profile (void)
{
  g_autoptr(GError) error = NULL;

  sim_test_reset ();
  faults ("culture=de");
  faults ("culture=en");
  g_assert_false (dsl_sim_set_faults (sim_test_sim (), "culture=xx", &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);
  g_test_add_func ("/dsl/sim/fault-error500", test_error500);
  g_test_add_func ("/dsl/sim/fault-html502", test_html502);
  g_test_add_func ("/dsl/sim/fault-html503", test_html503);
  g_test_add_func ("/dsl/sim/fault-ratelimit", test_ratelimit);
  g_test_add_func ("/dsl/sim/fault-stall", test_stall);
  g_test_add_func ("/dsl/sim/fault-latency", test_latency);
  g_test_add_func ("/dsl/sim/fault-malformed", test_malformed);
  g_test_add_func ("/dsl/sim/fault-truncated", test_truncated);
  g_test_add_func ("/dsl/sim/fault-wrongshape", test_wrongshape);
  g_test_add_func ("/dsl/sim/fault-revoke-after", test_revoke_after);
  g_test_add_func ("/dsl/sim/fault-audit402", test_audit402);
  g_test_add_func ("/dsl/sim/fault-audit-unfiltered", test_audit_unfiltered);
  g_test_add_func ("/dsl/sim/fault-unpaid", test_unpaid);
  g_test_add_func ("/dsl/sim/fault-culture", test_culture_profile);
  g_test_add_func ("/dsl/sim/fault-count-modifier", test_count_modifier);
  g_test_add_func ("/dsl/sim/fault-path-modifier", test_path_modifier);
  g_test_add_func ("/dsl/sim/fault-none-clears", test_none_clears);
  g_test_add_func ("/dsl/sim/fault-reset-clears", test_reset_clears);
  g_test_add_func ("/dsl/sim/fault-invalid-profile", test_invalid_profile_refused);
  g_test_add_func ("/dsl/sim/fault-control-untouched", test_control_not_faulted_not_logged);
  g_test_add_func ("/dsl/sim/fault-error-write-not-applied", test_faulted_write_not_applied);
  return sim_test_run ();
}

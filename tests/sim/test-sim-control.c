/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-control.c: the test control API's second administrator, POST and DELETE
 * /__sim/links/{linkId}: each change is what the next API read shows (as the owner), bad bodies
 * and unknown links are refused without changing anything, nothing is logged or audited, and
 * the --state file keeps it. */
#define G_LOG_DOMAIN "docspace-sim-test"

#include "sim-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define ROOM_LINKS "/api/2.0/files/rooms/101/links"
#define FILE_LINKS "/api/2.0/files/file/401/links"
#define UNKNOWN_LINK "0f0e0d0c-0b0a-4909-8807-060504030201"

static JsonObject *
shared_link (JsonObject *share)
{
  return obj_obj (share, "sharedLink");
}

/* GET `links_path` as the owner; *out keeps the answer alive. */
static JsonArray *
links_of (SimResp   **out,
          const char *links_path)
{
  *out = api ("GET", links_path, OWNER_KEY, NULL);
  g_assert_cmpuint ((*out)->status, ==, 200);
  return resp_response_array (*out);
}

static char *
link_id (const char *links_path,
         const char *title)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *l = find_link_by_title (links_of (&r, links_path), title);

  g_assert_nonnull (l);
  return g_strdup (obj_str (shared_link (l), "id"));
}

/* The link `id` as GET `links_path` shows it to the owner, as a new node; NULL when absent. */
static JsonNode *
read_link (const char *links_path,
           const char *id)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *l = find_by_id (links_of (&r, links_path), id);
  JsonNode *node;

  if (l == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, l);
  return node;
}

static void
change (const char *id,
        const char *body)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dsl_sim_change_link (sim_test_sim (), id, body, &error));
  g_assert_no_error (error);
}

static SimResp *
control (const char *method,
         const char *id,
         const char *body)
{
  g_autofree char *path = g_strdup_printf ("/__sim/links/%s", id);

  return api (method, path, NULL, body);
}

static gboolean
same_instant (const char *a,
              const char *b)
{
  g_autoptr(GDateTime) da = g_date_time_new_from_iso8601 (a, NULL);
  g_autoptr(GDateTime) db = g_date_time_new_from_iso8601 (b, NULL);

  g_assert_nonnull (da);
  g_assert_nonnull (db);
  return g_date_time_equal (da, db);
}

/* ---- changes ---- */

static void
test_change_title (void)
{
  g_autofree char *id = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autoptr(JsonNode) after = NULL;
  JsonObject *l;

  sim_test_reset ();
  id = link_id (ROOM_LINKS, "Partners");
  r = control ("POST", id, "{\"title\":\"Partners (renamed by Ulrich)\"}");
  g_assert_cmpuint (r->status, ==, 200);
  after = read_link (ROOM_LINKS, id);
  g_assert_nonnull (after);
  /* the answer is the link as the API shows it to the owner */
  g_assert_true (json_node_equal (r->json, after));
  l = json_node_get_object (after);
  g_assert_cmpstr (obj_str (shared_link (l), "title"), ==, "Partners (renamed by Ulrich)");
  /* nothing else changed */
  g_assert_cmpstr (obj_str (shared_link (l), "password"), ==, "Secret123");
  g_assert_cmpint (obj_int (l, "access"), ==, 2);
  g_assert_cmpint (obj_int (l, "subjectType"), ==, 1);
}

static void
test_change_access (void)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) after = NULL;

  sim_test_reset ();
  id = link_id (FILE_LINKS, "Shared link");
  change (id, "{\"access\":5}");
  after = read_link (FILE_LINKS, id);
  g_assert_cmpint (obj_int (json_node_get_object (after), "access"), ==, 5);
  g_assert_true (obj_bool (shared_link (json_node_get_object (after)), "primary"));
}

static void
test_change_password_set_and_remove (void)
{
  g_autofree char *primary = NULL;
  g_autofree char *partners = NULL;
  g_autoptr(JsonNode) set = NULL;
  g_autoptr(JsonNode) cleared = NULL;
  g_autoptr(JsonNode) nulled = NULL;

  sim_test_reset ();
  primary = link_id (FILE_LINKS, "Shared link");
  change (primary, "{\"password\":\"NewSecret9\"}");
  set = read_link (FILE_LINKS, primary);
  g_assert_cmpstr (obj_str (shared_link (json_node_get_object (set)), "password"), ==,
                   "NewSecret9");

  /* "" removes it */
  change (primary, "{\"password\":\"\"}");
  cleared = read_link (FILE_LINKS, primary);
  g_assert_false (json_object_has_member (shared_link (json_node_get_object (cleared)),
                                          "password"));

  /* null removes it too */
  partners = link_id (ROOM_LINKS, "Partners");
  change (partners, "{\"password\":null}");
  nulled = read_link (ROOM_LINKS, partners);
  g_assert_false (json_object_has_member (shared_link (json_node_get_object (nulled)),
                                          "password"));
}

static void
test_change_internal_and_deny_download (void)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) on = NULL;
  g_autoptr(JsonNode) off = NULL;

  sim_test_reset ();
  id = link_id (ROOM_LINKS, "Shared link");
  change (id, "{\"internal\":true,\"denyDownload\":true}");
  on = read_link (ROOM_LINKS, id);
  g_assert_true (obj_bool (shared_link (json_node_get_object (on)), "internal"));
  g_assert_true (obj_bool (shared_link (json_node_get_object (on)), "denyDownload"));

  change (id, "{\"internal\":false}");
  off = read_link (ROOM_LINKS, id);
  g_assert_false (obj_bool (shared_link (json_node_get_object (off)), "internal"));
  g_assert_true (obj_bool (shared_link (json_node_get_object (off)), "denyDownload"));
}

static void
test_change_expiry (void)
{
  g_autofree char *id = NULL;
  g_autofree char *future = iso_in_days (5);
  g_autofree char *body = g_strdup_printf ("{\"expirationDate\":\"%s\"}", future);
  g_autoptr(JsonNode) later = NULL;
  g_autoptr(JsonNode) past = NULL;
  g_autoptr(JsonNode) never = NULL;
  JsonObject *s;

  sim_test_reset ();
  id = link_id (ROOM_LINKS, "Staff only");
  change (id, body);
  later = read_link (ROOM_LINKS, id);
  s = shared_link (json_node_get_object (later));
  g_assert_true (same_instant (obj_str (s, "expirationDate"), future));
  g_assert_false (obj_bool (s, "isExpired"));

  /* a date in the past is kept (the API would drop it): the link is then expired */
  change (id, "{\"expirationDate\":\"2020-01-01T00:00:00Z\"}");
  past = read_link (ROOM_LINKS, id);
  s = shared_link (json_node_get_object (past));
  g_assert_true (same_instant (obj_str (s, "expirationDate"), "2020-01-01T03:00:00+03:00"));
  g_assert_true (obj_bool (s, "isExpired"));

  /* null: never expires */
  change (id, "{\"expirationDate\":null}");
  never = read_link (ROOM_LINKS, id);
  s = shared_link (json_node_get_object (never));
  g_assert_false (json_object_has_member (s, "expirationDate"));
  g_assert_false (obj_bool (s, "isExpired"));
}

static void
test_change_expired_to_never (void)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;

  sim_test_reset ();
  id = link_id (ROOM_LINKS, "Old preview");
  before = read_link (ROOM_LINKS, id);
  g_assert_true (obj_bool (shared_link (json_node_get_object (before)), "isExpired"));
  change (id, "{\"expirationDate\":null}");
  after = read_link (ROOM_LINKS, id);
  g_assert_false (obj_bool (shared_link (json_node_get_object (after)), "isExpired"));
  g_assert_false (json_object_has_member (shared_link (json_node_get_object (after)),
                                          "expirationDate"));
}

static void
test_change_several_at_once (void)
{
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) after = NULL;
  JsonObject *l, *s;

  sim_test_reset ();
  id = link_id (FILE_LINKS, "Download blocked");
  change (id, "{\"title\":\"Open\",\"access\":6,\"denyDownload\":false,"
              "\"expirationDate\":null,\"password\":\"Another1!\"}");
  after = read_link (FILE_LINKS, id);
  l = json_node_get_object (after);
  s = shared_link (l);
  g_assert_cmpstr (obj_str (s, "title"), ==, "Open");
  g_assert_cmpint (obj_int (l, "access"), ==, 6);
  g_assert_false (obj_bool (s, "denyDownload"));
  g_assert_false (json_object_has_member (s, "expirationDate"));
  g_assert_cmpstr (obj_str (s, "password"), ==, "Another1!");
}

/* No rule checks: a public room's primary link gets an expiry, which the API would skip. */
static void
test_change_ignores_rules (void)
{
  const char *links = "/api/2.0/files/rooms/102/links";
  g_autofree char *id = NULL;
  g_autofree char *future = iso_in_days (2);
  g_autofree char *body = g_strdup_printf ("{\"expirationDate\":\"%s\"}", future);
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(SimResp) r = NULL;
  JsonObject *primary;

  sim_test_reset ();
  {
    g_autoptr(SimResp) list = NULL;

    primary = arr_obj (links_of (&list, links), 0);
    g_assert_true (obj_bool (shared_link (primary), "primary"));
    id = g_strdup (obj_str (shared_link (primary), "id"));
  }
  change (id, body);
  after = read_link (links, id);
  g_assert_true (same_instant (obj_str (shared_link (json_node_get_object (after)),
                                        "expirationDate"), future));
}

static void
test_change_invitation_link (void)
{
  const char *invitations = "/api/2.0/files/rooms/101/links?type=0";
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) after = NULL;

  sim_test_reset ();
  id = link_id (invitations, "Invitation link");
  change (id, "{\"title\":\"Join us\",\"access\":2}");
  after = read_link (invitations, id);
  g_assert_cmpstr (obj_str (shared_link (json_node_get_object (after)), "title"), ==, "Join us");
  g_assert_cmpint (obj_int (json_node_get_object (after), "access"), ==, 2);
  g_assert_cmpint (obj_int (json_node_get_object (after), "subjectType"), ==, 3);
}

/* ---- refusals ---- */

static void
test_unknown_link_404 (void)
{
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  const char *unknown[] = { UNKNOWN_LINK, "not-a-guid", "401" };

  sim_test_reset ();
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(SimResp) post = control ("POST", unknown[i], "{\"title\":\"x\"}");
      g_autoptr(SimResp) del = control ("DELETE", unknown[i], NULL);

      g_assert_cmpuint (post->status, ==, 404);
      g_assert_nonnull (obj_str (resp_object (post), "error"));
      g_assert_cmpuint (del->status, ==, 404);
    }

  /* the fixture names the status */
  g_assert_false (dsl_sim_change_link (sim_test_sim (), UNKNOWN_LINK, "{}", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "404"));
  g_clear_error (&error);
  g_assert_false (dsl_sim_delete_link (sim_test_sim (), UNKNOWN_LINK, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "404"));
  g_clear_error (&error);

  /* a deleted link is unknown too */
  id = link_id (ROOM_LINKS, "Partners");
  g_assert_true (dsl_sim_delete_link (sim_test_sim (), id, &error));
  g_assert_no_error (error);
  g_assert_false (dsl_sim_change_link (sim_test_sim (), id, "{\"title\":\"back\"}", &error));
  g_assert_nonnull (strstr (error->message, "404"));
  g_clear_error (&error);
  g_assert_false (dsl_sim_delete_link (sim_test_sim (), id, &error));
  g_assert_nonnull (strstr (error->message, "404"));
}

static void
test_bad_body_400 (void)
{
  const char *bodies[] = {
    NULL, "", "not json", "[1]", "\"title\"", "42", "null",
    "{\"title\":3}", "{\"title\":\"\"}", "{\"title\":null}",
    "{\"access\":\"2\"}", "{\"access\":0}", "{\"access\":99}", "{\"access\":2.5}",
    "{\"access\":null}",
    "{\"password\":5}", "{\"password\":true}",
    "{\"internal\":\"yes\"}", "{\"internal\":1}", "{\"internal\":null}",
    "{\"denyDownload\":0}", "{\"denyDownload\":null}",
    "{\"expirationDate\":5}", "{\"expirationDate\":\"tomorrow\"}",
    "{\"expirationDate\":{\"utcTime\":\"2030-01-01T00:00:00Z\"}}",
    "{\"deny_download\":true}",
    /* a good member next to a bad one: nothing is applied */
    "{\"title\":\"Half\",\"access\":\"Read\"}",
  };
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(GError) error = NULL;

  sim_test_reset ();
  id = link_id (ROOM_LINKS, "Partners");
  before = read_link (ROOM_LINKS, id);
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(SimResp) r = control ("POST", id, bodies[i]);

      g_test_message ("body %s", bodies[i] != NULL ? bodies[i] : "(none)");
      g_assert_cmpuint (r->status, ==, 400);
      g_assert_nonnull (obj_str (resp_object (r), "error"));
    }
  after = read_link (ROOM_LINKS, id);
  g_assert_true (json_node_equal (before, after));

  g_assert_false (dsl_sim_change_link (sim_test_sim (), id, "[]", &error));
  g_assert_nonnull (strstr (error->message, "400"));
}

static void
test_other_method_405 (void)
{
  g_autofree char *id = NULL;
  g_autoptr(SimResp) get = NULL;
  g_autoptr(SimResp) put = NULL;

  sim_test_reset ();
  id = link_id (ROOM_LINKS, "Partners");
  get = control ("GET", id, NULL);
  put = control ("PUT", id, "{\"title\":\"x\"}");
  g_assert_cmpuint (get->status, ==, 405);
  g_assert_cmpuint (put->status, ==, 405);
}

/* ---- neither logged nor audited ---- */

static void
test_not_logged_not_audited (void)
{
  const char *events = "/api/2.0/security/audit/events/filter?target=101&count=100";
  g_autofree char *id = NULL;
  g_autofree char *staff = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = NULL;
  g_autoptr(SimResp) ev_before = NULL;
  g_autoptr(SimResp) ev_after = NULL;
  guint n_events;

  sim_test_reset ();
  id = link_id (ROOM_LINKS, "Partners");
  staff = link_id (ROOM_LINKS, "Staff only");
  ev_before = api ("GET", events, OWNER_KEY, NULL);
  g_assert_cmpuint (ev_before->status, ==, 200);
  n_events = json_array_get_length (resp_response_array (ev_before));

  g_assert_true (dsl_sim_clear_requests (sim_test_sim (), &error));
  change (id, "{\"title\":\"Quiet\",\"access\":5}");
  g_assert_true (dsl_sim_delete_link (sim_test_sim (), staff, &error));
  g_assert_no_error (error);
  g_assert_false (dsl_sim_change_link (sim_test_sim (), UNKNOWN_LINK, "{}", &error));
  g_clear_error (&error);
  g_assert_false (dsl_sim_change_link (sim_test_sim (), id, "[]", &error));
  g_clear_error (&error);

  log = dsl_sim_get_requests (sim_test_sim (), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (log)), ==, 0);

  ev_after = api ("GET", events, OWNER_KEY, NULL);
  g_assert_cmpuint (json_array_get_length (resp_response_array (ev_after)), ==, n_events);
}

/* ---- delete ---- */

static void
test_delete_external (void)
{
  g_autofree char *id = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(SimResp) list = NULL;

  sim_test_reset ();
  id = link_id (ROOM_LINKS, "Partners");
  r = control ("DELETE", id, NULL);
  g_assert_cmpuint (r->status, ==, 204);
  g_assert_cmpuint (r->length, ==, 0);
  gone = read_link (ROOM_LINKS, id);
  g_assert_null (gone);
  /* the others stay */
  g_assert_cmpuint (json_array_get_length (links_of (&list, ROOM_LINKS)), ==, 4);
}

/* A primary link goes as if deleted: the item has none, and asking for one makes a new one. */
static void
test_delete_primary (void)
{
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SimResp) list = NULL;
  g_autoptr(SimResp) fresh = NULL;
  JsonArray *a;

  sim_test_reset ();
  id = link_id (FILE_LINKS, "Shared link");
  g_assert_true (dsl_sim_delete_link (sim_test_sim (), id, &error));
  g_assert_no_error (error);
  a = links_of (&list, FILE_LINKS);
  g_assert_null (find_by_id (a, id));
  for (guint i = 0; i < json_array_get_length (a); i++)
    g_assert_false (obj_bool (shared_link (arr_obj (a, i)), "primary"));

  fresh = api ("GET", "/api/2.0/files/file/401/link", OWNER_KEY, NULL);
  g_assert_cmpuint (fresh->status, ==, 200);
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (fresh)), "id"), !=, id);
}

static void
test_delete_invitation (void)
{
  const char *invitations = "/api/2.0/files/rooms/101/links?type=0";
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SimResp) list = NULL;

  sim_test_reset ();
  id = link_id (invitations, "Invitation link");
  g_assert_true (dsl_sim_delete_link (sim_test_sim (), id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (links_of (&list, invitations)), ==, 0);
}

/* ---- --state ---- */

static SimResp *
get_links (DslSim     *sim,
           const char *path)
{
  SimResp *r = sim_call (sim, "GET", path, OWNER_KEY, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return r;
}

static void
test_state_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("dsl-sim-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "state.json", NULL);
  const char *args[] = { "--state", file, NULL };
  g_autofree char *partners = NULL;
  g_autofree char *staff = NULL;
  g_autofree char *future = iso_in_days (4);
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(DslSim) sim = dsl_sim_start (args, &error);
    g_autoptr(SimResp) r = NULL;
    g_autoptr(GHashTable) links = NULL;
    g_autofree char *body = g_strdup_printf ("{\"title\":\"Saved\",\"password\":null,"
                                             "\"expirationDate\":\"%s\"}", future);
    g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 (future, NULL);
    JsonObject *saved;

    g_assert_no_error (error);
    r = get_links (sim, ROOM_LINKS);
    partners = g_strdup (obj_str (shared_link (find_link_by_title (resp_response_array (r),
                                                                   "Partners")), "id"));
    staff = g_strdup (obj_str (shared_link (find_link_by_title (resp_response_array (r),
                                                                "Staff only")), "id"));
    g_assert_true (dsl_sim_change_link (sim, partners, body, &error));
    g_assert_no_error (error);
    g_assert_true (dsl_sim_delete_link (sim, staff, &error));
    g_assert_no_error (error);

    links = dsl_sim_read_external_links (file, NULL);
    saved = g_hash_table_lookup (links, partners);
    g_assert_nonnull (saved);
    g_assert_cmpstr (json_object_get_string_member (saved, "entryId"), ==, "101");
    g_assert_cmpstr (json_object_get_string_member (saved, "title"), ==, "Saved");
    g_assert_true (json_object_get_null_member (saved, "password"));
    g_assert_cmpint (json_object_get_int_member (saved, "expires") / G_USEC_PER_SEC, ==,
                     g_date_time_to_unix (expected));
    g_assert_false (g_hash_table_contains (links, staff));
  }
  {
    /* a restart reads it back */
    g_autoptr(DslSim) sim = dsl_sim_start (args, &error);
    g_autoptr(SimResp) r = NULL;
    JsonObject *l;

    g_assert_no_error (error);
    r = get_links (sim, ROOM_LINKS);
    l = find_by_id (resp_response_array (r), partners);
    g_assert_nonnull (l);
    g_assert_cmpstr (obj_str (shared_link (l), "title"), ==, "Saved");
    g_assert_false (json_object_has_member (shared_link (l), "password"));
    g_assert_true (same_instant (obj_str (shared_link (l), "expirationDate"), future));
    g_assert_null (find_by_id (resp_response_array (r), staff));
  }
  g_unlink (file);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);
  g_test_add_func ("/dsl/sim/control/change-title", test_change_title);
  g_test_add_func ("/dsl/sim/control/change-access", test_change_access);
  g_test_add_func ("/dsl/sim/control/change-password", test_change_password_set_and_remove);
  g_test_add_func ("/dsl/sim/control/change-internal-deny-download",
                   test_change_internal_and_deny_download);
  g_test_add_func ("/dsl/sim/control/change-expiry", test_change_expiry);
  g_test_add_func ("/dsl/sim/control/change-expired-to-never", test_change_expired_to_never);
  g_test_add_func ("/dsl/sim/control/change-several", test_change_several_at_once);
  g_test_add_func ("/dsl/sim/control/change-ignores-rules", test_change_ignores_rules);
  g_test_add_func ("/dsl/sim/control/change-invitation", test_change_invitation_link);
  g_test_add_func ("/dsl/sim/control/unknown-link-404", test_unknown_link_404);
  g_test_add_func ("/dsl/sim/control/bad-body-400", test_bad_body_400);
  g_test_add_func ("/dsl/sim/control/other-method-405", test_other_method_405);
  g_test_add_func ("/dsl/sim/control/not-logged-not-audited", test_not_logged_not_audited);
  g_test_add_func ("/dsl/sim/control/delete-external", test_delete_external);
  g_test_add_func ("/dsl/sim/control/delete-primary", test_delete_primary);
  g_test_add_func ("/dsl/sim/control/delete-invitation", test_delete_invitation);
  g_test_add_func ("/dsl/sim/control/state-file", test_state_file);
  return sim_test_run ();
}

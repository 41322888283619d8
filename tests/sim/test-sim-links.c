/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-links.c: the link rules of docspace-api.md §4 and §6, one behaviour per test. */
#define G_LOG_DOMAIN "docspace-sim-test"

#include "sim-test-util.h"

#include <string.h>

static JsonArray *
links_of (SimResp   **out,
          const char *path,
          const char *auth)
{
  *out = api ("GET", path, auth, NULL);
  g_assert_cmpuint ((*out)->status, ==, 200);
  return resp_response_array (*out);
}

static JsonObject *
shared_link (JsonObject *share)
{
  return obj_obj (share, "sharedLink");
}

static char *
titles_of (JsonArray *a)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (a); i++)
    g_string_append_printf (s, "%s%s", i > 0 ? "," : "",
                            obj_str (shared_link (arr_obj (a, i)), "title"));
  return g_string_free (s, FALSE);
}

/* The id of the link titled `title` on a file/folder/room links URL. */
static char *
link_id (const char *links_path,
         const char *title)
{
  g_autoptr(SimResp) r = NULL;
  JsonArray *a = links_of (&r, links_path, OWNER_KEY);
  JsonObject *l = find_link_by_title (a, title);

  g_assert_nonnull (l);
  return g_strdup (obj_str (shared_link (l), "id"));
}

static guint
count_events (int         action,
              const char *target)
{
  g_autofree char *path = g_strdup_printf ("/api/2.0/security/audit/events/filter?action=%d"
                                           "&target=%s", action, target);
  g_autoptr(SimResp) r = api ("GET", path, OWNER_KEY, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return json_array_get_length (resp_response_array (r));
}

static void
assert_error (SimResp    *r,
              guint       status,
              const char *message)
{
  g_assert_cmpuint (r->status, ==, status);
  g_assert_cmpstr (obj_str (resp_error (r), "message"), ==, message);
  g_assert_cmpint (obj_int (resp_object (r), "statusCode"), ==, status);
  g_assert_cmpint (obj_int (resp_object (r), "status"), ==, 1);
}

static void
assert_problem (SimResp    *r,
                const char *field)
{
  g_assert_cmpuint (r->status, ==, 400);
  g_assert_cmpint (obj_int (resp_object (r), "statusCode"), ==, 400);
  g_assert_true (json_object_has_member (obj_obj (resp_response_object (r), "errors"), field));
}

/* ---- get-or-create ---- */

static void
test_primary_get_or_create_idempotent (void)
{
  g_autoptr(SimResp) a = NULL;
  g_autoptr(SimResp) b = NULL;
  g_autoptr(SimResp) c = NULL;
  const char *id;

  sim_test_reset ();
  a = api ("POST", "/api/2.0/files/file/402/link", OWNER_KEY, "{\"access\":2}");
  g_assert_cmpuint (a->status, ==, 200);
  id = obj_str (shared_link (resp_response_object (a)), "id");
  g_assert_true (obj_bool (shared_link (resp_response_object (a)), "primary"));
  b = api ("POST", "/api/2.0/files/file/402/link", OWNER_KEY, "{\"access\":2}");
  c = api ("GET", "/api/2.0/files/file/402/link", OWNER_KEY, NULL);
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (b)), "id"), ==, id);
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (c)), "id"), ==, id);
  g_assert_cmpuint (count_events (5091, "402"), ==, 1);
}

static void
test_primary_existing_ignores_body (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autofree char *primary = NULL;
  JsonObject *s;

  sim_test_reset ();
  primary = link_id ("/api/2.0/files/file/401/links", "Shared link");
  r = api ("POST", "/api/2.0/files/file/401/link", OWNER_KEY,
           "{\"access\":10,\"denyDownload\":true}");
  s = resp_response_object (r);
  g_assert_cmpstr (obj_str (shared_link (s), "id"), ==, primary);
  g_assert_cmpint (obj_int (s, "access"), ==, 2);
  g_assert_false (obj_bool (shared_link (s), "denyDownload"));
}

static void
test_primary_get_creates (void)
{
  g_autoptr(SimResp) before = NULL;
  g_autoptr(SimResp) get = NULL;
  g_autoptr(SimResp) after = NULL;

  sim_test_reset ();
  g_assert_cmpuint (json_array_get_length (links_of (&before, "/api/2.0/files/file/302/links",
                                                     OWNER_KEY)), ==, 0);
  get = api ("GET", "/api/2.0/files/file/302/link", OWNER_KEY, NULL);
  g_assert_cmpuint (get->status, ==, 200);
  g_assert_cmpint (obj_int (resp_response_object (get), "access"), ==, 2);
  g_assert_false (json_object_has_member (shared_link (resp_response_object (get)),
                                          "expirationDate"));
  g_assert_cmpuint (json_array_get_length (links_of (&after, "/api/2.0/files/file/302/links",
                                                     OWNER_KEY)), ==, 1);
}

static void
test_primary_anonymous_403 (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/file/302/link", NULL, NULL);
  assert_error (r, 403, "Access denied");
}

static void
test_folder_primary_accepts_title (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("POST", "/api/2.0/files/folder/201/link", OWNER_KEY,
           "{\"access\":2,\"title\":\"Campaigns link\"}");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (r)), "title"), ==,
                   "Campaigns link");
  g_assert_cmpuint (count_events (5122, "201"), ==, 1);
}

static void
test_file_primary_title_ignored (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("POST", "/api/2.0/files/file/302/link", OWNER_KEY, "{\"access\":2,\"title\":\"Mine\"}");
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (r)), "title"), ==, "Shared link");
}

static void
test_room_primary_for_collaboration_403 (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/rooms/104/link", OWNER_KEY, NULL);
  assert_error (r, 403, "Access denied");
}

/* ---- lists ---- */

static void
test_file_links_paged (void)
{
  g_autoptr(SimResp) r1 = NULL;
  g_autoptr(SimResp) r2 = NULL;
  g_autoptr(SimResp) bad = NULL;

  sim_test_reset ();
  r1 = api ("GET", "/api/2.0/files/file/401/links?count=1", OWNER_KEY, NULL);
  g_assert_cmpuint (json_array_get_length (resp_response_array (r1)), ==, 1);
  g_assert_cmpint (obj_int (resp_object (r1), "count"), ==, 1);
  g_assert_cmpint (obj_int (resp_object (r1), "total"), ==, 2);
  g_assert_true (obj_bool (shared_link (arr_obj (resp_response_array (r1), 0)), "primary"));
  r2 = api ("GET", "/api/2.0/files/file/401/links?count=1&startIndex=1", OWNER_KEY, NULL);
  g_assert_cmpstr (obj_str (shared_link (arr_obj (resp_response_array (r2), 0)), "title"), ==,
                   "Download blocked");
  bad = api ("GET", "/api/2.0/files/file/401/links?count=101", OWNER_KEY, NULL);
  assert_problem (bad, "Count");
}

static void
test_room_links_order_and_types (void)
{
  g_autoptr(SimResp) all = NULL;
  g_autoptr(SimResp) ext = NULL;
  g_autoptr(SimResp) inv = NULL;
  g_autofree char *t_all = NULL;
  g_autofree char *t_ext = NULL;
  g_autofree char *t_inv = NULL;

  sim_test_reset ();
  t_all = titles_of (links_of (&all, "/api/2.0/files/rooms/101/links", USER_KEY));
  g_assert_cmpstr (t_all, ==, "Shared link,Invitation link,Old preview,Partners,Staff only");
  g_assert_false (json_object_has_member (resp_object (all), "total"));
  t_ext = titles_of (links_of (&ext, "/api/2.0/files/rooms/101/links?type=1", USER_KEY));
  g_assert_cmpstr (t_ext, ==, "Shared link,Old preview,Partners,Staff only");
  t_inv = titles_of (links_of (&inv, "/api/2.0/files/rooms/101/links?type=0", USER_KEY));
  g_assert_cmpstr (t_inv, ==, "Invitation link");
}

static void
test_seed_link_fields (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonArray *a = links_of (&r, "/api/2.0/files/rooms/101/links", OWNER_KEY);
  JsonObject *old = shared_link (find_link_by_title (a, "Old preview"));
  JsonObject *partners = shared_link (find_link_by_title (a, "Partners"));
  JsonObject *staff = shared_link (find_link_by_title (a, "Staff only"));
  JsonObject *inv = find_link_by_title (a, "Invitation link");

  g_assert_true (obj_bool (old, "isExpired"));
  g_assert_nonnull (obj_str (old, "expirationDate"));
  g_assert_cmpstr (obj_str (partners, "password"), ==, "Secret123");
  g_assert_false (obj_bool (partners, "isExpired"));
  g_assert_true (obj_bool (staff, "internal"));
  g_assert_cmpint (obj_int (inv, "subjectType"), ==, 3);
  g_assert_cmpint (obj_int (inv, "access"), ==, 11);
  g_assert_cmpint (obj_int (shared_link (inv), "linkType"), ==, 0);
  g_assert_cmpint (obj_int (shared_link (inv), "currentUseCount"), ==, 0);
  g_assert_false (json_object_has_member (shared_link (inv), "requestToken"));
}

static void
test_links_without_rights_empty (void)
{
  g_autoptr(SimResp) viewer = NULL;
  g_autoptr(SimResp) guest = NULL;

  sim_test_reset ();
  viewer = api ("GET", "/api/2.0/files/file/331/links", USER_KEY, NULL);
  g_assert_cmpuint (viewer->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (resp_response_array (viewer)), ==, 0);
  g_assert_cmpint (obj_int (resp_object (viewer), "total"), ==, 0);
  guest = api ("GET", "/api/2.0/files/rooms/101/links", GUEST_KEY, NULL);
  g_assert_cmpuint (guest->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (resp_response_array (guest)), ==, 0);
}

static void
test_folder_links_not_paged (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonArray *a = links_of (&r, "/api/2.0/files/folder/501/links", OWNER_KEY);

  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  g_assert_false (json_object_has_member (resp_object (r), "total"));
}

static void
test_form_room_file_shares_room_link (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *l;

  sim_test_reset ();
  l = arr_obj (links_of (&r, "/api/2.0/files/file/321/links", OWNER_KEY), 0);
  g_assert_cmpstr (obj_str (shared_link (l), "title"), ==, "Link to fill out");
  g_assert_cmpint (obj_int (l, "access"), ==, 7);
  g_assert_true (obj_bool (l, "canRevoke"));
}

/* ---- create ---- */

static void
test_create_additional_dto (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *s, *l;
  g_autofree char *prefix = NULL;
  g_autofree char *to = NULL;
  g_autofree char *link = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
           "{\"access\":2,\"title\":\"For Bob\"}");
  g_assert_cmpuint (r->status, ==, 200);
  s = resp_response_object (r);
  l = shared_link (s);
  g_assert_cmpint (obj_int (s, "access"), ==, 2);
  g_assert_cmpint (obj_int (s, "subjectType"), ==, 1);
  g_assert_false (obj_bool (s, "isLocked"));
  g_assert_false (obj_bool (s, "isOwner"));
  g_assert_false (obj_bool (s, "canEditAccess"));
  g_assert_true (obj_bool (s, "canEditInternal"));
  g_assert_true (obj_bool (s, "canEditDenyDownload"));
  g_assert_true (obj_bool (s, "canEditExpirationDate"));
  g_assert_false (obj_bool (s, "canRevoke"));
  g_assert_true (g_uuid_string_is_valid (obj_str (l, "id")));
  g_assert_cmpstr (obj_str (l, "title"), ==, "For Bob");
  prefix = g_strdup_printf ("%s/s/", dsl_sim_get_url (sim_test_sim ()));
  g_assert_true (g_str_has_prefix (obj_str (l, "shareLink"), prefix));
  g_assert_cmpint (obj_int (l, "linkType"), ==, 1);
  g_assert_false (obj_bool (l, "primary"));
  g_assert_false (obj_bool (l, "isExpired"));
  g_assert_false (json_object_has_member (l, "expirationDate"));
  g_assert_false (json_object_has_member (l, "password"));
  g_assert_nonnull (obj_str (l, "requestToken"));
  /* sharedTo is the obsolete duplicate */
  to = json_to_string (json_object_get_member (s, "sharedTo"), FALSE);
  link = json_to_string (json_object_get_member (s, "sharedLink"), FALSE);
  g_assert_cmpstr (to, ==, link);
  g_assert_null (strstr (r->text, "null"));
}

static void
test_create_default_title (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, "{\"access\":2,\"title\":\"\"}");
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (r)), "title"), ==, "Shared link");
}

static void
test_create_title_too_long (void)
{
  g_autofree char *title = g_strnfill (256, 'x');
  g_autofree char *body = g_strdup_printf ("{\"access\":2,\"title\":\"%s\"}", title);
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, body);
  assert_problem (r, "Title");
}

static void
test_create_access_by_name (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, "{\"access\":\"Editing\"}");
  g_assert_cmpint (obj_int (resp_response_object (r), "access"), ==, 10);
}

static void
test_create_none_creates_nothing (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) after = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, "{\"title\":\"x\"}");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_false (json_object_has_member (resp_object (r), "response"));
  g_assert_cmpint (obj_int (resp_object (r), "count"), ==, 0);
  g_assert_cmpuint (json_array_get_length (links_of (&after, "/api/2.0/files/file/402/links",
                                                     OWNER_KEY)), ==, 0);
}

static void
test_create_with_client_link_id (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
           "{\"linkId\":\"0b5f0c7e-8a55-4c43-9e4f-3f4a7a6a2b10\",\"access\":2}");
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (r)), "id"), ==,
                   "0b5f0c7e-8a55-4c43-9e4f-3f4a7a6a2b10");
}

static void
test_create_primary_flag_over_limit (void)
{
  g_autoptr(SimResp) r = NULL;

  g_autoptr(SimResp) first = NULL;
  g_autoptr(SimResp) mine = NULL;

  sim_test_reset ();
  /* files in public rooms have a primary limit of 1 (FileSecurity.cs,
   * _linkCountRoomFileSettingsAccesses) */
  first = api ("POST", "/api/2.0/files/file/312/link", OWNER_KEY, "{\"access\":2}");
  g_assert_cmpuint (first->status, ==, 200);
  r = api ("PUT", "/api/2.0/files/file/312/links", OWNER_KEY, "{\"access\":2,\"primary\":true}");
  assert_error (r, 403, "The maximum number of links may not exceed 1");
  /* a file in My documents has no primary limit of its own: FileSharing.cs checks a new
   * primary link against the additional limit (6) instead */
  mine = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY, "{\"access\":2,\"primary\":true}");
  g_assert_cmpuint (mine->status, ==, 200);
  g_assert_cmpint (obj_int (resp_response_object (mine), "subjectType"), ==, 4);
}

static void
test_file_link_limit (void)
{
  sim_test_reset ();
  /* 401 has one additional link; files take 6 */
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(SimResp) r = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY,
                                  "{\"access\":2}");

      g_assert_cmpuint (r->status, ==, 200);
    }
  {
    g_autoptr(SimResp) r = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY,
                                "{\"access\":2}");

    assert_error (r, 403, "The maximum number of links may not exceed 6");
  }
}

static void
test_room_link_limit (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/106/links", OWNER_KEY, "{\"access\":2,\"linkType\":1}");
  assert_error (r, 403, "The maximum number of links may not exceed 5");
}

static void
test_public_room_file_limit (void)
{
  sim_test_reset ();
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(SimResp) r = api ("PUT", "/api/2.0/files/file/311/links", OWNER_KEY,
                                  "{\"access\":2}");

      g_assert_cmpuint (r->status, ==, 200);
    }
  {
    g_autoptr(SimResp) r = api ("PUT", "/api/2.0/files/file/311/links", OWNER_KEY,
                                "{\"access\":2}");

    assert_error (r, 403, "The maximum number of links may not exceed 5");
  }
}

static void
test_form_room_no_additional (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/103/links", OWNER_KEY, "{\"access\":7,\"linkType\":1}");
  assert_error (r, 403, "The maximum number of links may not exceed 0");
}

/* ---- issue 12: rules read from the server's source ---- */

static void
assert_names (JsonArray  *a,
              const char *expected)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (a); i++)
    g_string_append_printf (joined, "%s%s", i > 0 ? "," : "",
                            json_array_get_string_element (a, i));
  g_assert_cmpstr (joined->str, ==, expected);
  g_string_free (joined, TRUE);
}

/* Rule 1: availableShareRights never has an InvitationLink key (FileSecurity.GetAccesses'
 * tables have ExternalLink and PrimaryExternalLink only); a room's invitation link follows from
 * security.EditAccess, which room managers have in every room type, collaboration rooms
 * included, although canShare is false there (FileEntryDto.cs). */
static void
test_rule1_no_invitation_rights_key (void)
{
  static const char *const keys[] = { OWNER_KEY, USER_KEY, GUEST_KEY };
  static const char *const rooms[] = { "101", "102", "103", "104", "105", "106" };

  sim_test_reset ();
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
      {
        g_autofree char *path = g_strdup_printf ("/api/2.0/files/rooms/%s", rooms[i]);
        g_autoptr(SimResp) r = api ("GET", path, keys[k], NULL);
        JsonObject *room;

        if (r->status != 200)
          continue;
        room = resp_response_object (r);
        if (json_object_has_member (room, "availableShareRights"))
          g_assert_false (json_object_has_member (obj_obj (room, "availableShareRights"),
                                                  "InvitationLink"));
      }
}

static void
test_rule1_edit_access_in_collaboration_room (void)
{
  g_autoptr(SimResp) owner = NULL;
  g_autoptr(SimResp) viewer = NULL;
  g_autoptr(SimResp) created = NULL;
  g_autoptr(SimResp) listed = NULL;
  g_autofree char *body = NULL;
  g_autofree char *expiry = iso_in_days (7);
  JsonObject *room;

  sim_test_reset ();
  owner = api ("GET", "/api/2.0/files/rooms/104", OWNER_KEY, NULL);
  room = resp_response_object (owner);
  g_assert_false (obj_bool (room, "canShare"));
  g_assert_true (obj_bool (obj_obj (room, "security"), "EditAccess"));
  viewer = api ("GET", "/api/2.0/files/rooms/104", USER_KEY, NULL);
  g_assert_false (obj_bool (obj_obj (resp_response_object (viewer), "security"), "EditAccess"));

  body = g_strdup_printf ("{\"access\":11,\"linkType\":0,\"title\":\"Join\","
                          "\"expirationDate\":\"%s\"}", expiry);
  created = api ("PUT", "/api/2.0/files/rooms/104/links", OWNER_KEY, body);
  g_assert_cmpuint (created->status, ==, 200);
  listed = api ("GET", "/api/2.0/files/rooms/104/links?type=0", OWNER_KEY, NULL);
  g_assert_cmpuint (json_array_get_length (resp_response_array (listed)), ==, 1);
}

/* FileSecurity.AvailableRoomAccesses: no invitation link gives Room manager. */
static void
test_invitation_room_manager_refused (void)
{
  static const char *const rooms[] = { "101", "102", "103", "104", "105" };

  sim_test_reset ();
  for (guint i = 0; i < G_N_ELEMENTS (rooms); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/2.0/files/rooms/%s/links", rooms[i]);
      g_autofree char *expiry = iso_in_days (7);
      g_autofree char *body = g_strdup_printf ("{\"access\":9,\"linkType\":0,"
                                               "\"expirationDate\":\"%s\"}", expiry);
      g_autoptr(SimResp) r = api ("PUT", path, OWNER_KEY, body);

      assert_error (r, 403, "The role is not available for this user type");
    }
}

/* Rule 2: availableShareRights lists None only for the item's creator (FileSecurity.GetAccesses),
 * yet a room manager who is not the creator may delete the links of files (GetAccesses (file,
 * subjectType) always allows None) and of rooms (the room type's table). */
static void
test_rule2_manager_deletes_room_and_file_links (void)
{
  g_autoptr(SimResp) room = NULL;
  g_autoptr(SimResp) file = NULL;
  g_autoptr(SimResp) r1 = NULL;
  g_autoptr(SimResp) r2 = NULL;
  g_autoptr(SimResp) after = NULL;
  g_autofree char *room_link = NULL;
  g_autofree char *file_link = NULL;
  g_autofree char *b1 = NULL;
  g_autofree char *b2 = NULL;

  sim_test_reset ();
  room_link = link_id ("/api/2.0/files/rooms/101/links", "Partners");
  file_link = link_id ("/api/2.0/files/file/301/links", "View only, no download");
  room = api ("GET", "/api/2.0/files/rooms/101", USER_KEY, NULL);
  g_assert_true (obj_bool (resp_response_object (room), "canShare"));
  assert_names (obj_arr (obj_obj (resp_response_object (room), "availableShareRights"),
                         "ExternalLink"), "Editing,Review,Comment,Read");
  file = api ("GET", "/api/2.0/files/file/301", USER_KEY, NULL);
  assert_names (obj_arr (obj_obj (resp_response_object (file), "availableShareRights"),
                         "ExternalLink"), "Editing,Review,Comment,Read");

  b1 = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0,\"linkType\":1,\"title\":\"Partners\","
                        "\"password\":\"Secret123\"}", room_link);
  r1 = api ("PUT", "/api/2.0/files/rooms/101/links", USER_KEY, b1);
  g_assert_cmpuint (r1->status, ==, 200);
  g_assert_null (resp_response (r1));
  b2 = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0,\"denyDownload\":true}", file_link);
  r2 = api ("PUT", "/api/2.0/files/file/301/links", USER_KEY, b2);
  g_assert_cmpuint (r2->status, ==, 200);
  g_assert_null (resp_response (r2));
  after = api ("GET", "/api/2.0/files/file/301/links", OWNER_KEY, NULL);
  g_assert_null (find_link_by_title (resp_response_array (after), "View only, no download"));
}

/* Rule 4: FileSharing.cs compares the stored audience and expiry with the request before it
 * applies anything; a VDR link is internal and cannot be made public, so a bare
 * {linkId, access: 0} is skipped whole: 200 with the unchanged link, which still exists. The
 * full state deletes it. */
static void
test_rule4_bare_delete_skipped_in_vdr (void)
{
  g_autofree char *id = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *full = NULL;
  g_autoptr(SimResp) skipped = NULL;
  g_autoptr(SimResp) still = NULL;
  g_autoptr(SimResp) deleted = NULL;
  g_autoptr(SimResp) gone = NULL;
  JsonObject *answer;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/file/341/links", "Shared link");
  bare = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0}", id);
  full = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0,\"internal\":true,"
                          "\"title\":\"Shared link\"}", id);
  skipped = api ("PUT", "/api/2.0/files/file/341/links", OWNER_KEY, bare);
  g_assert_cmpuint (skipped->status, ==, 200);
  answer = resp_response_object (skipped);
  g_assert_cmpstr (obj_str (shared_link (answer), "id"), ==, id);
  g_assert_cmpint (obj_int (answer, "access"), ==, 2);
  still = api ("GET", "/api/2.0/files/file/341/links", OWNER_KEY, NULL);
  g_assert_nonnull (find_by_id (resp_response_array (still), id));
  g_assert_cmpuint (count_events (5093, "341"), ==, 0);

  deleted = api ("PUT", "/api/2.0/files/file/341/links", OWNER_KEY, full);
  g_assert_cmpuint (deleted->status, ==, 200);
  g_assert_null (resp_response (deleted));
  gone = api ("GET", "/api/2.0/files/file/341/links", OWNER_KEY, NULL);
  g_assert_null (find_by_id (resp_response_array (gone), id));
}

/* The same rule for an update: the whole change is skipped, the title too. */
static void
test_rule4_update_skipped_whole (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/file/341/links", "Shared link");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":2,\"internal\":false,"
                          "\"title\":\"Renamed\"}", id);
  r = api ("PUT", "/api/2.0/files/file/341/links", OWNER_KEY, body);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (r)), "title"), ==, "Shared link");
  g_assert_true (obj_bool (shared_link (resp_response_object (r)), "internal"));
}

/* FilesController.cs CreateFilePrimaryExternalLink passes the body's access, None (0) when it
 * is left out, and None creates nothing: 200 without a response. */
static void
test_post_primary_without_access_creates_nothing (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) after = NULL;

  sim_test_reset ();
  r = api ("POST", "/api/2.0/files/file/402/link", OWNER_KEY, "{}");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_null (resp_response (r));
  after = api ("GET", "/api/2.0/files/file/402/links", OWNER_KEY, NULL);
  g_assert_cmpuint (json_array_get_length (resp_response_array (after)), ==, 0);
}

/* ---- roles ---- */

static void
test_role_room_manager_refused (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, "{\"access\":9}");
  assert_error (r, 403, "The role is not available for this user type");
}

static void
test_role_read_write_refused (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, "{\"access\":1}");
  assert_error (r, 403, "The role is not available for this user type");
}

static void
test_role_by_format (void)
{
  g_autoptr(SimResp) review_xlsx = NULL;
  g_autoptr(SimResp) fill_docx = NULL;
  g_autoptr(SimResp) review_docx = NULL;

  sim_test_reset ();
  review_xlsx = api ("PUT", "/api/2.0/files/file/302/links", OWNER_KEY, "{\"access\":5}");
  assert_error (review_xlsx, 403, "The role is not available for this user type");
  fill_docx = api ("PUT", "/api/2.0/files/file/304/links", OWNER_KEY, "{\"access\":7}");
  assert_error (fill_docx, 403, "The role is not available for this user type");
  review_docx = api ("PUT", "/api/2.0/files/file/304/links", OWNER_KEY, "{\"access\":5}");
  g_assert_cmpuint (review_docx->status, ==, 200);
}

/* ---- who ---- */

static void
test_viewer_cannot_manage (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/331/links", USER_KEY, "{\"access\":2}");
  assert_error (r, 403, "Access denied");
}

static void
test_guest_cannot_manage (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/101/links", GUEST_KEY, "{\"access\":2,\"linkType\":1}");
  assert_error (r, 403, "Access denied");
}

static void
test_room_manager_can_manage (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/101/links", USER_KEY, "{\"access\":2,\"linkType\":1}");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (obj_int (resp_response_object (r), "subjectType"), ==, 1);
}

static void
test_archive_refused (void)
{
  g_autoptr(SimResp) room = NULL;
  g_autoptr(SimResp) file = NULL;

  sim_test_reset ();
  room = api ("PUT", "/api/2.0/files/rooms/107/links", OWNER_KEY, "{\"access\":2,\"linkType\":1}");
  assert_error (room, 403, "Access denied");
  file = api ("POST", "/api/2.0/files/file/351/link", OWNER_KEY, "{\"access\":2}");
  assert_error (file, 403, "Access denied");
}

static void
test_folder_link_delete_only_by_creator (void)
{
  g_autoptr(SimResp) created = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autofree char *body = NULL;

  sim_test_reset ();
  created = api ("POST", "/api/2.0/files/folder/201/link", OWNER_KEY, "{\"access\":2}");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0}",
                          obj_str (shared_link (resp_response_object (created)), "id"));
  r = api ("PUT", "/api/2.0/files/folder/201/links", USER_KEY, body);
  assert_error (r, 403, "The role is not available for this user type");
}

/* ---- update ---- */

static void
test_update_full_state_reset (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;
  JsonObject *l;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/file/401/links", "Download blocked");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":2}", id);
  r = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY, body);
  g_assert_cmpuint (r->status, ==, 200);
  l = shared_link (resp_response_object (r));
  g_assert_cmpstr (obj_str (l, "id"), ==, id);
  g_assert_cmpstr (obj_str (l, "title"), ==, "Shared link");
  g_assert_false (obj_bool (l, "denyDownload"));
  g_assert_false (json_object_has_member (l, "expirationDate"));
  g_assert_false (json_object_has_member (l, "password"));
  g_assert_false (obj_bool (l, "internal"));
}

static void
test_update_omitted_access_deletes (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) after = NULL;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/file/401/links", "Download blocked");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"title\":\"Renamed\"}", id);
  r = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY, body);
  g_assert_false (json_object_has_member (resp_object (r), "response"));
  g_assert_null (find_by_id (links_of (&after, "/api/2.0/files/file/401/links", OWNER_KEY), id));
}

static void
test_update_keeps_subject_type (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/file/401/links", "Shared link");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":10,\"title\":\"Edit me\"}", id);
  r = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY, body);
  g_assert_cmpint (obj_int (resp_response_object (r), "subjectType"), ==, 4);
  g_assert_true (obj_bool (shared_link (resp_response_object (r)), "primary"));
  g_assert_cmpint (obj_int (resp_response_object (r), "access"), ==, 10);
}

static void
test_update_rename_logs_5098 (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/file/401/links", "Shared link");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":2,\"title\":\"Quarterly\"}", id);
  r = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY, body);
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (r)), "title"), ==, "Quarterly");
  /* 5098 is in no audit mapper: asking for it by action fails (500) once an event matches;
   * test-sim-audit.c has the details */
  {
    g_autoptr(SimResp) renamed = api ("GET", "/api/2.0/security/audit/events/filter"
                                      "?action=5098&target=401", OWNER_KEY, NULL);

    g_assert_cmpuint (renamed->status, ==, 500);
  }
  /* nothing else changed */
  g_assert_cmpuint (count_events (5092, "401"), ==, 0);
}

static void
test_update_logs_updated (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/file/401/links", "Shared link");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":2,\"denyDownload\":true}", id);
  r = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY, body);
  g_assert_true (obj_bool (shared_link (resp_response_object (r)), "denyDownload"));
  g_assert_cmpuint (count_events (5092, "401"), ==, 1);
}

/* ---- delete / revoke ---- */

static void
test_delete_by_access_zero (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) after = NULL;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/file/401/links", "Download blocked");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0}", id);
  r = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY, body);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_false (json_object_has_member (resp_object (r), "response"));
  g_assert_cmpint (obj_int (resp_object (r), "count"), ==, 0);
  g_assert_cmpint (obj_int (resp_object (r), "statusCode"), ==, 200);
  g_assert_null (find_by_id (links_of (&after, "/api/2.0/files/file/401/links", OWNER_KEY), id));
  g_assert_cmpuint (count_events (5093, "401"), ==, 1);
}

static void
test_delete_by_unparsable_access (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/file/401/links", "Download blocked");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":\"ReadOnly\"}", id);
  r = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY, body);
  g_assert_false (json_object_has_member (resp_object (r), "response"));
  g_assert_cmpuint (count_events (5093, "401"), ==, 1);
}

static void
test_delete_custom_room_primary_then_recreate (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) del = NULL;
  g_autoptr(SimResp) again = NULL;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/rooms/101/links", "Shared link");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0,\"linkType\":1}", id);
  del = api ("PUT", "/api/2.0/files/rooms/101/links", OWNER_KEY, body);
  g_assert_false (json_object_has_member (resp_object (del), "response"));
  g_assert_cmpuint (count_events (5090, "101"), ==, 1);
  again = api ("GET", "/api/2.0/files/rooms/101/link", OWNER_KEY, NULL);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (again)), "id"), !=, id);
}

static void
test_revoke_public_room_primary (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) after = NULL;
  JsonObject *s, *l;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/rooms/102/links", "Shared link");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0,\"linkType\":1}", id);
  r = api ("PUT", "/api/2.0/files/rooms/102/links", OWNER_KEY, body);
  g_assert_cmpuint (r->status, ==, 200);
  s = resp_response_object (r);
  l = shared_link (s);
  g_assert_cmpstr (obj_str (l, "id"), !=, id);
  g_assert_true (obj_bool (l, "primary"));
  g_assert_cmpstr (obj_str (l, "title"), ==, "Shared link");
  g_assert_cmpint (obj_int (s, "access"), ==, 2);
  g_assert_true (obj_bool (s, "canRevoke"));
  g_assert_false (json_object_has_member (l, "requestToken"));
  g_assert_nonnull (find_by_id (links_of (&after, "/api/2.0/files/rooms/102/links", OWNER_KEY),
                                obj_str (l, "id")));
  g_assert_cmpuint (count_events (5097, "102"), ==, 1);
}

static void
test_revoke_form_room_primary (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;
  JsonObject *s;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/rooms/103/links", "Link to fill out");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0,\"linkType\":1}", id);
  r = api ("PUT", "/api/2.0/files/rooms/103/links", OWNER_KEY, body);
  s = resp_response_object (r);
  g_assert_cmpstr (obj_str (shared_link (s), "id"), !=, id);
  g_assert_cmpint (obj_int (s, "access"), ==, 7);
  g_assert_cmpstr (obj_str (shared_link (s), "title"), ==, "Link to fill out");
}

/* ---- expiry ---- */

static void
test_expiry_past_ignored (void)
{
  g_autofree char *past = iso_in_days (-1);
  g_autofree char *body = g_strdup_printf ("{\"access\":2,\"expirationDate\":\"%s\"}", past);
  g_autoptr(SimResp) r = NULL;
  JsonObject *l;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, body);
  g_assert_cmpuint (r->status, ==, 200);
  l = shared_link (resp_response_object (r));
  g_assert_false (json_object_has_member (l, "expirationDate"));
  g_assert_false (obj_bool (l, "isExpired"));
}

static void
test_expiry_future_kept (void)
{
  g_autofree char *future = iso_in_days (5);
  g_autofree char *body = g_strdup_printf ("{\"access\":2,\"expirationDate\":\"%s\"}", future);
  g_autoptr(SimResp) r = NULL;
  JsonObject *l;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, body);
  l = shared_link (resp_response_object (r));
  g_assert_cmpstr (obj_str (l, "expirationDate"), ==, future);
  g_assert_false (obj_bool (l, "isExpired"));
}

static void
test_expiry_utc_input_portal_output (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
           "{\"access\":2,\"expirationDate\":\"2030-07-01T15:00:00Z\"}");
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (r)), "expirationDate"), ==,
                   "2030-07-01T18:00:00.0000000+03:00");
}

static void
test_expiry_over_ten_years_400 (void)
{
  g_autofree char *far = iso_in_days (365.25 * 10 + 30);
  g_autofree char *body = g_strdup_printf ("{\"access\":2,\"expirationDate\":\"%s\"}", far);
  g_autoptr(SimResp) r = NULL;
  JsonObject *err;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY, body);
  g_assert_cmpuint (r->status, ==, 400);
  err = resp_error (r);
  g_assert_cmpstr (obj_str (err, "type"), ==, "System.ArgumentException");
  g_assert_nonnull (strstr (obj_str (err, "message"), "10 years"));
}

static void
test_expiry_object_400 (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
           "{\"access\":2,\"expirationDate\":{\"utcTime\":\"2030-01-01T00:00:00Z\","
           "\"timeZoneOffset\":0}}");
  assert_problem (r, "$.expirationDate");
}

static void
test_expiry_public_primary_skipped (void)
{
  g_autofree char *id = NULL;
  g_autofree char *future = iso_in_days (3);
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;
  JsonObject *s;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/rooms/102/links", "Shared link");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":2,\"linkType\":1,"
                          "\"expirationDate\":\"%s\"}", id, future);
  r = api ("PUT", "/api/2.0/files/rooms/102/links", OWNER_KEY, body);
  g_assert_cmpuint (r->status, ==, 200);
  s = resp_response_object (r);
  g_assert_false (obj_bool (s, "canEditExpirationDate"));
  g_assert_false (json_object_has_member (shared_link (s), "expirationDate"));
}

static void
test_expired_link_extended (void)
{
  g_autofree char *id = NULL;
  g_autofree char *future = iso_in_days (7);
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/rooms/101/links", "Old preview");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":2,\"linkType\":1,"
                          "\"title\":\"Old preview\",\"expirationDate\":\"%s\"}", id, future);
  r = api ("PUT", "/api/2.0/files/rooms/101/links", OWNER_KEY, body);
  g_assert_false (obj_bool (shared_link (resp_response_object (r)), "isExpired"));
  g_assert_cmpuint (count_events (5089, "101"), ==, 1);
}

/* ---- password ---- */

static void
test_password_too_short (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
           "{\"access\":2,\"password\":\"abc\"}");
  assert_error (r, 400, "Password must be 8-30 characters long and contain only Latin letters, "
                "digits and symbols, without spaces");
}

static void
test_password_with_space (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
           "{\"access\":2,\"password\":\"open sesame\"}");
  g_assert_cmpuint (r->status, ==, 400);
}

static void
test_password_non_latin (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
           "{\"access\":2,\"password\":\"пароль12345\"}");
  g_assert_cmpuint (r->status, ==, 400);
}

static void
test_password_stored_clear (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
           "{\"access\":2,\"password\":\"S3cret!pass\"}");
  g_assert_cmpstr (obj_str (shared_link (resp_response_object (r)), "password"), ==,
                   "S3cret!pass");
}

/* ---- internal / deny download ---- */

static void
test_vdr_forced_internal (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *s;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/file/341/links", OWNER_KEY, "{\"access\":2,\"internal\":false}");
  s = resp_response_object (r);
  g_assert_true (obj_bool (shared_link (s), "internal"));
  g_assert_false (obj_bool (s, "canEditInternal"));
  g_assert_false (obj_bool (s, "canEditDenyDownload"));
}

static void
test_vdr_internal_change_skipped (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/file/341/links", "Shared link");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":2,\"internal\":false}", id);
  r = api ("PUT", "/api/2.0/files/file/341/links", OWNER_KEY, body);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_true (obj_bool (shared_link (resp_response_object (r)), "internal"));
}

static void
test_public_room_never_internal (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/102/links", OWNER_KEY,
           "{\"access\":2,\"linkType\":1,\"internal\":true}");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_false (obj_bool (shared_link (resp_response_object (r)), "internal"));
  g_assert_false (obj_bool (resp_response_object (r), "canEditInternal"));
}

static void
test_public_primary_flags (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *p;

  sim_test_reset ();
  p = find_link_by_title (links_of (&r, "/api/2.0/files/rooms/102/links", OWNER_KEY),
                          "Shared link");
  g_assert_true (obj_bool (p, "canRevoke"));
  g_assert_false (obj_bool (p, "canEditExpirationDate"));
}

/* ---- rooms ---- */

static void
test_room_link_type_must_be_number (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/101/links", OWNER_KEY, "{\"access\":2,\"linkType\":\"1\"}");
  assert_problem (r, "$.linkType");
}

static void
test_room_external_create_logs_5088 (void)
{
  g_autoptr(SimResp) r = NULL;
  guint before;

  sim_test_reset ();
  before = count_events (5088, "101");
  r = api ("PUT", "/api/2.0/files/rooms/101/links", OWNER_KEY,
           "{\"access\":2,\"linkType\":1,\"title\":\"Press\"}");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (count_events (5088, "101"), ==, before + 1);
}

static void
test_invitation_update (void)
{
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(SimResp) r = NULL;
  JsonObject *s;

  sim_test_reset ();
  id = link_id ("/api/2.0/files/rooms/101/links", "Invitation link");
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":2,\"linkType\":0,\"maxUseCount\":5}", id);
  r = api ("PUT", "/api/2.0/files/rooms/101/links", OWNER_KEY, body);
  g_assert_cmpuint (r->status, ==, 200);
  s = resp_response_object (r);
  g_assert_cmpint (obj_int (s, "subjectType"), ==, 3);
  g_assert_cmpint (obj_int (s, "access"), ==, 2);
  g_assert_cmpint (obj_int (shared_link (s), "maxUseCount"), ==, 5);
  g_assert_cmpint (obj_int (shared_link (s), "currentUseCount"), ==, 0);
  g_assert_cmpuint (count_events (5082, "101"), ==, 1);
}

static void
test_invitation_max_use_range (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/102/links", OWNER_KEY,
           "{\"access\":11,\"linkType\":0,\"maxUseCount\":1001}");
  assert_problem (r, "MaxUseCount");
}

static void
test_invitation_past_expiry_400 (void)
{
  g_autofree char *past = iso_in_days (-1);
  g_autofree char *body = g_strdup_printf ("{\"access\":11,\"linkType\":0,"
                                           "\"expirationDate\":\"%s\"}", past);
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/102/links", OWNER_KEY, body);
  g_assert_cmpuint (r->status, ==, 400);
  g_assert_cmpstr (obj_str (resp_error (r), "type"), ==, "System.ArgumentException");
}

static void
test_invitation_one_per_room (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/101/links", OWNER_KEY, "{\"access\":11,\"linkType\":0}");
  assert_error (r, 403, "The maximum number of links may not exceed 1");
}

static void
test_invitation_create_and_delete (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) del = NULL;
  g_autofree char *body = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/104/links", OWNER_KEY, "{\"access\":10}");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpint (obj_int (resp_response_object (r), "subjectType"), ==, 3);
  g_assert_cmpuint (count_events (5086, "104"), ==, 1);
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0,\"linkType\":0}",
                          obj_str (shared_link (resp_response_object (r)), "id"));
  del = api ("PUT", "/api/2.0/files/rooms/104/links", OWNER_KEY, body);
  g_assert_false (json_object_has_member (resp_object (del), "response"));
  g_assert_cmpuint (count_events (5087, "104"), ==, 1);
}

static void
test_invitation_role_refused (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("PUT", "/api/2.0/files/rooms/102/links", OWNER_KEY, "{\"access\":1,\"linkType\":0}");
  assert_error (r, 403, "The role is not available for this user type");
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);
  g_test_add_func ("/dsl/sim/link-primary-idempotent", test_primary_get_or_create_idempotent);
  g_test_add_func ("/dsl/sim/link-primary-existing-ignores-body",
                   test_primary_existing_ignores_body);
  g_test_add_func ("/dsl/sim/link-primary-get-creates", test_primary_get_creates);
  g_test_add_func ("/dsl/sim/link-primary-anonymous-403", test_primary_anonymous_403);
  g_test_add_func ("/dsl/sim/link-folder-primary-title", test_folder_primary_accepts_title);
  g_test_add_func ("/dsl/sim/link-file-primary-title-ignored", test_file_primary_title_ignored);
  g_test_add_func ("/dsl/sim/link-room-primary-collaboration-403",
                   test_room_primary_for_collaboration_403);
  g_test_add_func ("/dsl/sim/link-file-links-paged", test_file_links_paged);
  g_test_add_func ("/dsl/sim/link-room-order-and-types", test_room_links_order_and_types);
  g_test_add_func ("/dsl/sim/link-seed-fields", test_seed_link_fields);
  g_test_add_func ("/dsl/sim/link-list-without-rights-empty", test_links_without_rights_empty);
  g_test_add_func ("/dsl/sim/link-folder-list-not-paged", test_folder_links_not_paged);
  g_test_add_func ("/dsl/sim/link-form-room-file-uses-room-link",
                   test_form_room_file_shares_room_link);
  g_test_add_func ("/dsl/sim/link-create-dto", test_create_additional_dto);
  g_test_add_func ("/dsl/sim/link-create-default-title", test_create_default_title);
  g_test_add_func ("/dsl/sim/link-create-title-too-long", test_create_title_too_long);
  g_test_add_func ("/dsl/sim/link-create-access-by-name", test_create_access_by_name);
  g_test_add_func ("/dsl/sim/link-create-none-nothing", test_create_none_creates_nothing);
  g_test_add_func ("/dsl/sim/link-create-client-id", test_create_with_client_link_id);
  g_test_add_func ("/dsl/sim/link-create-primary-over-limit", test_create_primary_flag_over_limit);
  g_test_add_func ("/dsl/sim/link-limit-file", test_file_link_limit);
  g_test_add_func ("/dsl/sim/rule1-no-invitation-rights-key", test_rule1_no_invitation_rights_key);
  g_test_add_func ("/dsl/sim/rule1-edit-access-collaboration",
                   test_rule1_edit_access_in_collaboration_room);
  g_test_add_func ("/dsl/sim/invitation-room-manager-refused",
                   test_invitation_room_manager_refused);
  g_test_add_func ("/dsl/sim/rule2-manager-deletes-room-file-links",
                   test_rule2_manager_deletes_room_and_file_links);
  g_test_add_func ("/dsl/sim/rule4-bare-delete-skipped-vdr", test_rule4_bare_delete_skipped_in_vdr);
  g_test_add_func ("/dsl/sim/rule4-update-skipped-whole", test_rule4_update_skipped_whole);
  g_test_add_func ("/dsl/sim/post-primary-without-access", test_post_primary_without_access_creates_nothing);
  g_test_add_func ("/dsl/sim/link-limit-room", test_room_link_limit);
  g_test_add_func ("/dsl/sim/link-limit-public-room-file", test_public_room_file_limit);
  g_test_add_func ("/dsl/sim/link-limit-form-room", test_form_room_no_additional);
  g_test_add_func ("/dsl/sim/link-role-room-manager", test_role_room_manager_refused);
  g_test_add_func ("/dsl/sim/link-role-read-write", test_role_read_write_refused);
  g_test_add_func ("/dsl/sim/link-role-by-format", test_role_by_format);
  g_test_add_func ("/dsl/sim/link-viewer-cannot-manage", test_viewer_cannot_manage);
  g_test_add_func ("/dsl/sim/link-guest-cannot-manage", test_guest_cannot_manage);
  g_test_add_func ("/dsl/sim/link-room-manager-can-manage", test_room_manager_can_manage);
  g_test_add_func ("/dsl/sim/link-archive-refused", test_archive_refused);
  g_test_add_func ("/dsl/sim/link-folder-delete-creator-only",
                   test_folder_link_delete_only_by_creator);
  g_test_add_func ("/dsl/sim/link-update-full-state-reset", test_update_full_state_reset);
  g_test_add_func ("/dsl/sim/link-update-omitted-access-deletes",
                   test_update_omitted_access_deletes);
  g_test_add_func ("/dsl/sim/link-update-keeps-subject-type", test_update_keeps_subject_type);
  g_test_add_func ("/dsl/sim/link-update-rename-5098", test_update_rename_logs_5098);
  g_test_add_func ("/dsl/sim/link-update-logs-updated", test_update_logs_updated);
  g_test_add_func ("/dsl/sim/link-delete-access-zero", test_delete_by_access_zero);
  g_test_add_func ("/dsl/sim/link-delete-unparsable-access", test_delete_by_unparsable_access);
  g_test_add_func ("/dsl/sim/link-delete-custom-primary",
                   test_delete_custom_room_primary_then_recreate);
  g_test_add_func ("/dsl/sim/link-revoke-public-primary", test_revoke_public_room_primary);
  g_test_add_func ("/dsl/sim/link-revoke-form-primary", test_revoke_form_room_primary);
  g_test_add_func ("/dsl/sim/link-expiry-past-ignored", test_expiry_past_ignored);
  g_test_add_func ("/dsl/sim/link-expiry-future-kept", test_expiry_future_kept);
  g_test_add_func ("/dsl/sim/link-expiry-portal-zone", test_expiry_utc_input_portal_output);
  g_test_add_func ("/dsl/sim/link-expiry-over-10-years", test_expiry_over_ten_years_400);
  g_test_add_func ("/dsl/sim/link-expiry-object-400", test_expiry_object_400);
  g_test_add_func ("/dsl/sim/link-expiry-public-primary-skipped",
                   test_expiry_public_primary_skipped);
  g_test_add_func ("/dsl/sim/link-expired-extended", test_expired_link_extended);
  g_test_add_func ("/dsl/sim/link-password-too-short", test_password_too_short);
  g_test_add_func ("/dsl/sim/link-password-space", test_password_with_space);
  g_test_add_func ("/dsl/sim/link-password-non-latin", test_password_non_latin);
  g_test_add_func ("/dsl/sim/link-password-clear-text", test_password_stored_clear);
  g_test_add_func ("/dsl/sim/link-vdr-forced-internal", test_vdr_forced_internal);
  g_test_add_func ("/dsl/sim/link-vdr-internal-skipped", test_vdr_internal_change_skipped);
  g_test_add_func ("/dsl/sim/link-public-never-internal", test_public_room_never_internal);
  g_test_add_func ("/dsl/sim/link-public-primary-flags", test_public_primary_flags);
  g_test_add_func ("/dsl/sim/link-room-link-type-number", test_room_link_type_must_be_number);
  g_test_add_func ("/dsl/sim/link-room-create-5088", test_room_external_create_logs_5088);
  g_test_add_func ("/dsl/sim/link-invitation-update", test_invitation_update);
  g_test_add_func ("/dsl/sim/link-invitation-max-use-range", test_invitation_max_use_range);
  g_test_add_func ("/dsl/sim/link-invitation-past-expiry", test_invitation_past_expiry_400);
  g_test_add_func ("/dsl/sim/link-invitation-one-per-room", test_invitation_one_per_room);
  g_test_add_func ("/dsl/sim/link-invitation-create-delete", test_invitation_create_and_delete);
  g_test_add_func ("/dsl/sim/link-invitation-role", test_invitation_role_refused);
  return sim_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-browse.c: rooms, folders, My documents, paging, visibility and the entry DTOs. */
#define G_LOG_DOMAIN "docspace-sim-test"

#include "sim-test-util.h"

#include <string.h>

/* "101,102" from the ids of an array of entries */
static char *
ids_of (JsonArray *a)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      g_autofree char *id = obj_id (json_array_get_object_element (a, i), "id");

      g_string_append_printf (s, "%s%s", i > 0 ? "," : "", id);
    }
  return g_string_free (s, FALSE);
}

static char *
room_ids (const char *query,
          const char *auth)
{
  g_autofree char *path = g_strdup_printf ("/api/2.0/files/rooms%s", query);
  g_autoptr(SimResp) r = api ("GET", path, auth, NULL);

  g_assert_cmpuint (r->status, ==, 200);
  return ids_of (obj_arr (resp_response_object (r), "folders"));
}

static JsonObject *
get_entry (SimResp   **out,
           const char *path,
           const char *auth)
{
  *out = api ("GET", path, auth, NULL);
  g_assert_cmpuint ((*out)->status, ==, 200);
  return resp_response_object (*out);
}

static GStrv
names (JsonArray *a)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv out;

  for (guint i = 0; i < json_array_get_length (a); i++)
    g_strv_builder_add (b, json_array_get_string_element (a, i));
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

static void
assert_names (JsonArray  *a,
              const char *expected)
{
  g_auto(GStrv) n = names (a);
  g_autofree char *joined = g_strjoinv (",", n);

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_rooms_owner_sees_all_active (void)
{
  g_autofree char *ids = NULL;

  sim_test_reset ();
  ids = room_ids ("", OWNER_KEY);
  g_assert_cmpstr (ids, ==, "101,102,103,104,105,106");
}

static void
test_rooms_user_sees_memberships (void)
{
  g_autofree char *ids = NULL;

  sim_test_reset ();
  ids = room_ids ("", USER_KEY);
  g_assert_cmpstr (ids, ==, "101,102,104,105");
}

static void
test_rooms_guest_sees_memberships (void)
{
  g_autofree char *ids = NULL;

  sim_test_reset ();
  ids = room_ids ("", GUEST_KEY);
  g_assert_cmpstr (ids, ==, "101");
}

static void
test_rooms_content_shape (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *c, *cur, *part;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/rooms", OWNER_KEY, NULL);
  c = resp_response_object (r);
  g_assert_cmpuint (json_array_get_length (obj_arr (c, "files")), ==, 0);
  g_assert_cmpint (obj_int (c, "startIndex"), ==, 0);
  g_assert_cmpint (obj_int (c, "count"), ==, 6);
  g_assert_cmpint (obj_int (c, "total"), ==, 6);
  g_assert_cmpint (obj_int (c, "new"), ==, 0);
  cur = obj_obj (c, "current");
  g_assert_cmpint (obj_int (cur, "id"), ==, 1);
  g_assert_cmpstr (obj_str (cur, "title"), ==, "Rooms");
  g_assert_cmpint (obj_int (cur, "rootFolderType"), ==, 14);
  part = arr_obj (obj_arr (c, "pathParts"), 0);
  g_assert_cmpint (obj_int (part, "id"), ==, 1);
  g_assert_cmpint (obj_int (part, "folderType"), ==, 14);
  /* the envelope counts the one content object */
  g_assert_cmpint (obj_int (resp_object (r), "count"), ==, 1);
}

static void
test_rooms_type_filter (void)
{
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;

  sim_test_reset ();
  one = room_ids ("?type=6", OWNER_KEY);
  g_assert_cmpstr (one, ==, "102");
  two = room_ids ("?type=5&type=6", OWNER_KEY);
  g_assert_cmpstr (two, ==, "101,102,106");
}

static void
test_rooms_filter_value (void)
{
  g_autofree char *ids = NULL;

  sim_test_reset ();
  ids = room_ids ("?filterValue=MARK", OWNER_KEY);
  g_assert_cmpstr (ids, ==, "101");
}

static void
test_rooms_archive_area (void)
{
  g_autofree char *active = NULL;
  g_autofree char *archived = NULL;

  sim_test_reset ();
  active = room_ids ("?searchArea=0", OWNER_KEY);
  g_assert_null (strstr (active, "107"));
  archived = room_ids ("?searchArea=1", OWNER_KEY);
  g_assert_cmpstr (archived, ==, "107");
}

static void
test_rooms_paging (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *c;
  g_autofree char *ids = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/rooms?startIndex=4&count=2", OWNER_KEY, NULL);
  c = resp_response_object (r);
  ids = ids_of (obj_arr (c, "folders"));
  g_assert_cmpstr (ids, ==, "105,106");
  g_assert_cmpint (obj_int (c, "startIndex"), ==, 4);
  g_assert_cmpint (obj_int (c, "count"), ==, 2);
  g_assert_cmpint (obj_int (c, "total"), ==, 6);
}

static void
assert_count_problem (SimResp *r)
{
  JsonObject *env, *pd;
  JsonArray *msgs;

  g_assert_cmpuint (r->status, ==, 400);
  env = resp_object (r);
  g_assert_cmpint (obj_int (env, "status"), ==, 1);
  g_assert_cmpint (obj_int (env, "statusCode"), ==, 400);
  pd = resp_response_object (r);
  g_assert_cmpint (obj_int (pd, "status"), ==, 400);
  g_assert_nonnull (obj_str (pd, "title"));
  g_assert_nonnull (obj_str (pd, "type"));
  g_assert_nonnull (obj_str (pd, "traceId"));
  msgs = obj_arr (obj_obj (pd, "errors"), "Count");
  g_assert_cmpuint (json_array_get_length (msgs), ==, 1);
}

static void
test_count_over_100_problem (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/rooms?count=500", OWNER_KEY, NULL);
  assert_count_problem (r);
}

static void
test_count_zero_problem (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/101?count=0", OWNER_KEY, NULL);
  assert_count_problem (r);
}

static void
test_folders_before_files_shared_page (void)
{
  g_autoptr(SimResp) p1 = NULL;
  g_autoptr(SimResp) p2 = NULL;
  g_autofree char *f1 = NULL;
  g_autofree char *f2 = NULL;
  JsonObject *c;

  sim_test_reset ();
  p1 = api ("GET", "/api/2.0/files/101?count=2", OWNER_KEY, NULL);
  c = resp_response_object (p1);
  f1 = ids_of (obj_arr (c, "folders"));
  g_assert_cmpstr (f1, ==, "201");
  g_free (f1);
  f1 = ids_of (obj_arr (c, "files"));
  g_assert_cmpstr (f1, ==, "303");
  g_assert_cmpint (obj_int (c, "count"), ==, 2);
  g_assert_cmpint (obj_int (c, "total"), ==, 3);

  p2 = api ("GET", "/api/2.0/files/101?count=2&startIndex=2", OWNER_KEY, NULL);
  c = resp_response_object (p2);
  g_assert_cmpuint (json_array_get_length (obj_arr (c, "folders")), ==, 0);
  f2 = ids_of (obj_arr (c, "files"));
  g_assert_cmpstr (f2, ==, "304");
}

static void
test_path_parts (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonArray *parts;
  g_autofree char *ids = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/202", OWNER_KEY, NULL);
  parts = obj_arr (resp_response_object (r), "pathParts");
  ids = ids_of (parts);
  g_assert_cmpstr (ids, ==, "1,101,201,202");
  g_assert_cmpint (obj_int (arr_obj (parts, 1), "roomType"), ==, 5);
  g_assert_cmpint (obj_int (arr_obj (parts, 1), "folderType"), ==, 19);
  g_assert_false (json_object_has_member (arr_obj (parts, 2), "roomType"));
}

static void
test_folder_path_endpoint (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autofree char *ids = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/folder/202/path", OWNER_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  ids = ids_of (resp_response_array (r));
  g_assert_cmpstr (ids, ==, "1,101,201,202");
}

static void
test_unreadable_folder_403 (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/103", USER_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 403);
  g_assert_cmpstr (obj_str (resp_error (r), "message"), ==,
                   "You don't have enough permission to view the folder content");
  g_assert_cmpint (obj_int (resp_object (r), "statusCode"), ==, 403);
}

static void
test_missing_folder_404 (void)
{
  g_autoptr(SimResp) r = NULL;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/99999", OWNER_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 404);
  g_assert_nonnull (obj_str (resp_error (r), "message"));
}

static void
test_my_documents_per_user (void)
{
  g_autoptr(SimResp) o = NULL;
  g_autoptr(SimResp) u = NULL;
  g_autoptr(SimResp) g = NULL;
  g_autofree char *files = NULL;
  g_autofree char *folders = NULL;
  JsonObject *c;

  sim_test_reset ();
  o = api ("GET", "/api/2.0/files/@my", OWNER_KEY, NULL);
  c = resp_response_object (o);
  folders = ids_of (obj_arr (c, "folders"));
  files = ids_of (obj_arr (c, "files"));
  g_assert_cmpstr (folders, ==, "501,sbox-12-demo");
  g_assert_cmpstr (files, ==, "401,402");
  g_assert_cmpint (obj_int (obj_obj (c, "current"), "id"), ==, 2);
  g_assert_cmpint (obj_int (obj_obj (c, "current"), "rootFolderType"), ==, 5);

  u = api ("GET", "/api/2.0/files/@my", USER_KEY, NULL);
  c = resp_response_object (u);
  g_assert_cmpint (obj_int (obj_obj (c, "current"), "id"), ==, 3);
  g_assert_cmpint (obj_int (c, "total"), ==, 0);

  /* someone else's My documents */
  g = api ("GET", "/api/2.0/files/2", USER_KEY, NULL);
  g_assert_cmpuint (g->status, ==, 403);
}

static void
test_string_ids (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) f = NULL;
  JsonObject *c, *file;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/sbox-12-demo", OWNER_KEY, NULL);
  g_assert_cmpuint (r->status, ==, 200);
  c = resp_response_object (r);
  g_assert_cmpstr (obj_str (obj_obj (c, "current"), "id"), ==, "sbox-12-demo");
  file = arr_obj (obj_arr (c, "files"), 0);
  g_assert_cmpstr (obj_str (file, "id"), ==, "sbox-12-file-1");
  g_assert_cmpstr (obj_str (file, "folderId"), ==, "sbox-12-demo");

  f = api ("GET", "/api/2.0/files/file/sbox-12-file-1", OWNER_KEY, NULL);
  g_assert_cmpuint (f->status, ==, 200);
  g_assert_cmpstr (obj_str (resp_response_object (f), "id"), ==, "sbox-12-file-1");
}

/* Connected storage never counts its contents: a provider's folders and rooms come from
 * ThirdPartyProviderDao.GetFolder() with FilesCount = FoldersCount = 0 (products/ASC.Files/
 * Core/Core/Thirdparty/ThirdPartyProviderDao.cs), marked providerItem: true (FileEntryDto.cs,
 * NullIfDefault: absent on DocSpace's own items). */
static void
test_connected_storage_counts (void)
{
  g_autoptr(SimResp) my = NULL;
  g_autoptr(SimResp) content = NULL;
  g_autoptr(SimResp) folder = NULL;
  g_autoptr(SimResp) own = NULL;
  JsonObject *sbox = NULL;
  JsonObject *drafts = NULL;
  JsonArray *folders;
  JsonObject *current;
  JsonObject *o;

  sim_test_reset ();
  my = api ("GET", "/api/2.0/files/@my", OWNER_KEY, NULL);
  folders = obj_arr (resp_response_object (my), "folders");
  for (guint i = 0; i < json_array_get_length (folders); i++)
    {
      JsonObject *f = arr_obj (folders, i);
      JsonNode *id = json_object_get_member (f, "id");

      if (json_node_get_value_type (id) == G_TYPE_STRING &&
          g_str_equal (json_node_get_string (id), "sbox-12-demo"))
        sbox = f;
      else if (json_node_get_value_type (id) == G_TYPE_INT64 && json_node_get_int (id) == 501)
        drafts = f;
    }
  g_assert_nonnull (sbox);
  g_assert_nonnull (drafts);
  g_assert_cmpint (obj_int (sbox, "filesCount"), ==, 0);
  g_assert_cmpint (obj_int (sbox, "foldersCount"), ==, 0);
  g_assert_true (obj_bool (sbox, "providerItem"));
  g_assert_cmpstr (obj_str (sbox, "providerKey"), ==, "DropboxV2");
  /* DocSpace's own folder counts, and has no providerItem member at all */
  g_assert_cmpint (obj_int (drafts, "filesCount"), ==, 1);
  g_assert_false (json_object_has_member (drafts, "providerItem"));

  /* the same as the listed folder, as the folder itself and as `current` */
  content = api ("GET", "/api/2.0/files/sbox-12-demo", OWNER_KEY, NULL);
  current = obj_obj (resp_response_object (content), "current");
  g_assert_cmpint (obj_int (current, "filesCount"), ==, 0);
  g_assert_cmpint (obj_int (current, "foldersCount"), ==, 0);
  g_assert_cmpint (obj_int (resp_response_object (content), "total"), ==, 1);
  folder = api ("GET", "/api/2.0/files/folder/sbox-12-demo", OWNER_KEY, NULL);
  o = resp_response_object (folder);
  g_assert_cmpint (obj_int (o, "filesCount"), ==, 0);
  g_assert_true (obj_bool (o, "providerItem"));

  /* its file holds a link */
  own = api ("GET", "/api/2.0/files/file/sbox-12-file-1/links", OWNER_KEY, NULL);
  g_assert_cmpuint (own->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (resp_response_array (own)), ==, 1);
}

static void
test_root_sections (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonArray *a;

  sim_test_reset ();
  r = api ("GET", "/api/2.0/files/@root", OWNER_KEY, NULL);
  a = resp_response_array (r);
  g_assert_cmpuint (json_array_get_length (a), ==, 3);
  g_assert_cmpint (obj_int (obj_obj (arr_obj (a, 0), "current"), "rootFolderType"), ==, 5);
  g_assert_cmpint (obj_int (obj_obj (arr_obj (a, 1), "current"), "rootFolderType"), ==, 14);
  g_assert_cmpint (obj_int (obj_obj (arr_obj (a, 2), "current"), "rootFolderType"), ==, 20);
  g_assert_cmpint (obj_int (resp_object (r), "count"), ==, 3);
}

static void
test_file_dto (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *f, *by, *settings, *rights, *sec;
  const char *created;

  sim_test_reset ();
  f = get_entry (&r, "/api/2.0/files/file/301", OWNER_KEY);
  g_assert_cmpint (obj_int (f, "id"), ==, 301);
  g_assert_cmpstr (obj_str (f, "title"), ==, "Launch plan.docx");
  g_assert_cmpint (obj_int (f, "folderId"), ==, 202);
  g_assert_cmpint (obj_int (f, "fileEntryType"), ==, 2);
  g_assert_cmpstr (obj_str (f, "fileExst"), ==, ".docx");
  g_assert_cmpint (obj_int (f, "fileType"), ==, 7);
  g_assert_cmpint (obj_int (f, "pureContentLength"), ==, 48213);
  g_assert_nonnull (obj_str (f, "contentLength"));
  g_assert_cmpint (obj_int (f, "version"), ==, 1);
  g_assert_cmpint (obj_int (f, "rootFolderId"), ==, 1);
  g_assert_cmpint (obj_int (f, "rootFolderType"), ==, 14);
  g_assert_cmpint (obj_int (f, "parentRoomType"), ==, 19);
  g_assert_true (g_str_has_prefix (obj_str (f, "viewUrl"), dsl_sim_get_url (sim_test_sim ())));
  g_assert_nonnull (obj_str (f, "webUrl"));
  g_assert_true (obj_bool (f, "shared"));
  g_assert_true (obj_bool (f, "sharedExternal"));
  g_assert_true (obj_bool (f, "canShare"));
  /* FileSecurity._linkCountRoomFileSettingsAccesses: files in custom rooms have an
   * ExternalLink limit only; FileEntryDto.cs leaves the 0 of PrimaryExternalLink out */
  settings = obj_obj (f, "shareSettings");
  g_assert_false (json_object_has_member (settings, "PrimaryExternalLink"));
  g_assert_cmpint (obj_int (settings, "ExternalLink"), ==, 6);
  rights = obj_obj (f, "availableShareRights");
  assert_names (obj_arr (rights, "ExternalLink"), "Editing,Review,Comment,Read,None");
  assert_names (obj_arr (rights, "PrimaryExternalLink"), "Editing,Review,Comment,Read,None");
  sec = obj_obj (f, "security");
  g_assert_true (obj_bool (sec, "Read"));
  g_assert_true (obj_bool (sec, "Download"));
  created = obj_str (f, "created");
  /* yyyy-MM-ddTHH:mm:ss.fffffff+03:00 */
  g_assert_cmpuint (strlen (created), ==, 33);
  g_assert_cmpint (created[19], ==, '.');
  g_assert_true (g_str_has_suffix (created, "+03:00"));
  by = obj_obj (f, "createdBy");
  g_assert_cmpstr (obj_str (by, "id"), ==, OWNER_ID);
  g_assert_cmpstr (obj_str (by, "displayName"), ==, "Olivia Owner");
  g_assert_null (strstr (r->text, "null"));
}

static void
test_rights_by_format (void)
{
  g_autoptr(SimResp) x = NULL;
  g_autoptr(SimResp) p = NULL;
  g_autoptr(SimResp) t = NULL;
  JsonObject *f;

  sim_test_reset ();
  f = get_entry (&x, "/api/2.0/files/file/302", OWNER_KEY);
  assert_names (obj_arr (obj_obj (f, "availableShareRights"), "ExternalLink"), "Editing,Read,None");
  g_assert_false (obj_bool (f, "shared"));
  g_assert_false (obj_bool (f, "sharedExternal"));
  f = get_entry (&p, "/api/2.0/files/file/311", OWNER_KEY);
  assert_names (obj_arr (obj_obj (f, "availableShareRights"), "ExternalLink"), "Read,None");
  g_assert_cmpint (obj_int (obj_obj (f, "shareSettings"), "ExternalLink"), ==, 5);
  f = get_entry (&t, "/api/2.0/files/file/321", OWNER_KEY);
  assert_names (obj_arr (obj_obj (f, "availableShareRights"), "ExternalLink"), "FillForms,None");
  /* FileEntryDto.cs leaves a limit of 0 out: {"PrimaryExternalLink":1} only */
  g_assert_false (json_object_has_member (obj_obj (f, "shareSettings"), "ExternalLink"));
  g_assert_cmpint (obj_int (obj_obj (f, "shareSettings"), "PrimaryExternalLink"), ==, 1);
  g_assert_true (obj_bool (f, "isForm"));
}

static void
test_collaboration_room_cannot_share (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) f = NULL;
  JsonObject *room, *file;

  sim_test_reset ();
  room = get_entry (&r, "/api/2.0/files/rooms/104", OWNER_KEY);
  g_assert_cmpint (obj_int (room, "roomType"), ==, 2);
  g_assert_false (obj_bool (room, "canShare"));
  g_assert_false (json_object_has_member (room, "shareSettings"));
  file = get_entry (&f, "/api/2.0/files/file/331", OWNER_KEY);
  g_assert_true (obj_bool (file, "canShare"));
}

static void
test_viewer_cannot_share (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *file;

  sim_test_reset ();
  file = get_entry (&r, "/api/2.0/files/file/331", USER_KEY);
  g_assert_false (obj_bool (file, "canShare"));
  g_assert_false (json_object_has_member (file, "shareSettings"));
  /* FileDto.cs sends availableShareRights whatever canShare says; None only to the creator */
  assert_names (obj_arr (obj_obj (file, "availableShareRights"), "ExternalLink"),
                "Editing,Review,Comment,Read");
  g_assert_cmpint (obj_int (file, "access"), ==, 2);
}

static void
test_guest_cannot_share (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *room;

  sim_test_reset ();
  room = get_entry (&r, "/api/2.0/files/rooms/101", GUEST_KEY);
  g_assert_false (obj_bool (room, "canShare"));
}

static void
test_room_dto (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) v = NULL;
  JsonObject *room;

  sim_test_reset ();
  room = get_entry (&r, "/api/2.0/files/rooms/101", USER_KEY);
  g_assert_cmpint (obj_int (room, "roomType"), ==, 5);
  g_assert_cmpint (obj_int (room, "fileEntryType"), ==, 1);
  g_assert_cmpint (obj_int (room, "parentId"), ==, 1);
  g_assert_cmpint (obj_int (room, "filesCount"), ==, 4);
  g_assert_cmpint (obj_int (room, "foldersCount"), ==, 2);
  g_assert_false (obj_bool (room, "denyDownload"));
  g_assert_true (obj_bool (room, "canShare"));
  g_assert_cmpint (obj_int (obj_obj (room, "shareSettings"), "ExternalLink"), ==, 5);
  g_assert_cmpint (obj_int (room, "access"), ==, 9);
  g_assert_false (json_object_has_member (room, "parentRoomType"));
  room = get_entry (&v, "/api/2.0/files/rooms/105", OWNER_KEY);
  g_assert_true (obj_bool (room, "denyDownload"));
  g_assert_false (obj_bool (room, "canShare"));
}

static void
test_vdr_internal_link_not_external (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *file;

  sim_test_reset ();
  file = get_entry (&r, "/api/2.0/files/file/341", OWNER_KEY);
  g_assert_true (obj_bool (file, "shared"));
  g_assert_false (obj_bool (file, "sharedExternal"));
}

static void
test_folder_dto (void)
{
  g_autoptr(SimResp) r = NULL;
  JsonObject *folder;

  sim_test_reset ();
  folder = get_entry (&r, "/api/2.0/files/folder/201", USER_KEY);
  g_assert_cmpint (obj_int (folder, "parentId"), ==, 101);
  g_assert_cmpint (obj_int (folder, "filesCount"), ==, 2);
  g_assert_cmpint (obj_int (folder, "foldersCount"), ==, 1);
  g_assert_cmpint (obj_int (folder, "parentRoomType"), ==, 19);
  g_assert_false (json_object_has_member (folder, "roomType"));
  /* only the folder's creator may remove folder links */
  assert_names (obj_arr (obj_obj (folder, "availableShareRights"), "ExternalLink"),
                "Editing,Review,Comment,Read");
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);
  g_test_add_func ("/dsl/sim/rooms-owner-sees-all-active", test_rooms_owner_sees_all_active);
  g_test_add_func ("/dsl/sim/rooms-user-sees-memberships", test_rooms_user_sees_memberships);
  g_test_add_func ("/dsl/sim/rooms-guest-sees-memberships", test_rooms_guest_sees_memberships);
  g_test_add_func ("/dsl/sim/rooms-content-shape", test_rooms_content_shape);
  g_test_add_func ("/dsl/sim/rooms-type-filter", test_rooms_type_filter);
  g_test_add_func ("/dsl/sim/rooms-filter-value", test_rooms_filter_value);
  g_test_add_func ("/dsl/sim/rooms-archive-area", test_rooms_archive_area);
  g_test_add_func ("/dsl/sim/rooms-paging", test_rooms_paging);
  g_test_add_func ("/dsl/sim/count-over-100-problem", test_count_over_100_problem);
  g_test_add_func ("/dsl/sim/count-zero-problem", test_count_zero_problem);
  g_test_add_func ("/dsl/sim/folders-before-files", test_folders_before_files_shared_page);
  g_test_add_func ("/dsl/sim/path-parts", test_path_parts);
  g_test_add_func ("/dsl/sim/folder-path-endpoint", test_folder_path_endpoint);
  g_test_add_func ("/dsl/sim/unreadable-folder-403", test_unreadable_folder_403);
  g_test_add_func ("/dsl/sim/missing-folder-404", test_missing_folder_404);
  g_test_add_func ("/dsl/sim/my-documents-per-user", test_my_documents_per_user);
  g_test_add_func ("/dsl/sim/string-ids", test_string_ids);
  g_test_add_func ("/dsl/sim/connected-storage-counts", test_connected_storage_counts);
  g_test_add_func ("/dsl/sim/root-sections", test_root_sections);
  g_test_add_func ("/dsl/sim/file-dto", test_file_dto);
  g_test_add_func ("/dsl/sim/rights-by-format", test_rights_by_format);
  g_test_add_func ("/dsl/sim/collaboration-room-cannot-share",
                   test_collaboration_room_cannot_share);
  g_test_add_func ("/dsl/sim/viewer-cannot-share", test_viewer_cannot_share);
  g_test_add_func ("/dsl/sim/guest-cannot-share", test_guest_cannot_share);
  g_test_add_func ("/dsl/sim/room-dto", test_room_dto);
  g_test_add_func ("/dsl/sim/vdr-internal-link-not-external", test_vdr_internal_link_not_external);
  g_test_add_func ("/dsl/sim/folder-dto", test_folder_dto);
  return sim_test_run ();
}

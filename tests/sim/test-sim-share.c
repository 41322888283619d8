/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-share.c: what a share key answers (GET files/share/{key}) and the long forms a short
 * link redirects to, as the server does it: products/ASC.Files/Core/Core/Security/
 * ExternalShare.cs (long URLs, the key = the link's requestToken, Status), products/ASC.Files/
 * Core/Helpers/ExternalLinkHelper.cs (which fields for which status), products/ASC.Files/Server/
 * ApiModels/ResponseDto/ExternalShareDto.cs (names), products/ASC.Files/Core/Helpers/
 * FilesLinkUtility.cs (doceditor?fileid=, filehandler.ashx, share=), web/ASC.Web.Core/
 * UrlShortRewriter.cs (/s/ redirects). */
#define G_LOG_DOMAIN "docspace-sim-test"

#include "sim-test-util.h"

#include <libsoup/soup.h>
#include <string.h>

#define EMPTY_GUID "00000000-0000-0000-0000-000000000000"

/* The sharedLink of the link titled `title` of `links_path` (a list, or a single link). */
static JsonObject *
shared_link (SimResp   **out,
             const char *links_path,
             const char *title)
{
  JsonNode *resp;
  JsonObject *l;

  *out = api ("GET", links_path, OWNER_KEY, NULL);
  g_assert_cmpuint ((*out)->status, ==, 200);
  resp = resp_response (*out);
  if (JSON_NODE_HOLDS_OBJECT (resp))
    l = json_node_get_object (resp);
  else
    l = find_link_by_title (resp_response_array (*out), title);
  g_assert_nonnull (l);
  return obj_obj (l, "sharedLink");
}

static char *
token_of (const char *links_path,
          const char *title)
{
  g_autoptr(SimResp) r = NULL;

  return g_strdup (obj_str (shared_link (&r, links_path, title), "requestToken"));
}

static JsonObject *
share (SimResp   **out,
       const char *key,
       const char *auth)
{
  g_autofree char *path = g_strdup_printf ("/api/2.0/files/share/%s", key);

  *out = api ("GET", path, auth, NULL);
  g_assert_cmpuint ((*out)->status, ==, 200);
  return resp_response_object (*out);
}

/* The Location of a GET that is not followed, or NULL. */
static char *
location_of (const char *path,
             guint      *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strdup_printf ("%s%s", dsl_sim_get_url (sim_test_sim ()), path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_session_set_proxy_resolver (session, NULL);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Location"));
}

/* The path of a link's /s/ address. */
static char *
short_path (const char *links_path,
            const char *title)
{
  g_autoptr(SimResp) r = NULL;
  const char *url = obj_str (shared_link (&r, links_path, title), "shareLink");

  g_assert_true (g_str_has_prefix (url, dsl_sim_get_url (sim_test_sim ())));
  return g_strdup (url + strlen (dsl_sim_get_url (sim_test_sim ())));
}

static void
test_key_ok (void)
{
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) anon = NULL;
  g_autoptr(SimResp) links = NULL;
  JsonObject *l, *o;

  sim_test_reset ();
  l = shared_link (&links, "/api/2.0/files/file/401/links", "Download blocked");
  o = share (&r, obj_str (l, "requestToken"), OWNER_KEY);
  g_assert_cmpint (obj_int (o, "status"), ==, 0);
  g_assert_cmpstr (obj_str (o, "id"), ==, "401");           /* a string, not a number */
  g_assert_cmpstr (obj_str (o, "title"), ==, "Q3 report.docx");
  g_assert_cmpint (obj_int (o, "type"), ==, 2);
  g_assert_cmpstr (obj_str (o, "linkId"), ==, obj_str (l, "id"));
  g_assert_true (obj_bool (o, "isAuthenticated"));
  g_assert_false (json_object_has_member (o, "isRoom"));    /* files: null, omitted */
  g_assert_false (json_object_has_member (o, "entityId"));  /* only with ?fileId=/?folderId= */
  g_assert_null (strstr (r->text, "null"));

  /* anonymous allowed */
  o = share (&anon, obj_str (l, "requestToken"), NULL);
  g_assert_cmpint (obj_int (o, "status"), ==, 0);
  g_assert_false (obj_bool (o, "isAuthenticated"));
  g_assert_cmpstr (obj_str (o, "linkId"), ==, obj_str (l, "id"));
}

static void
test_key_room_and_sub_item (void)
{
  g_autofree char *key = token_of ("/api/2.0/files/folder/501/links", "Shared link");
  g_autofree char *path = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) sub = NULL;
  JsonObject *o;

  sim_test_reset ();
  o = share (&r, key, OWNER_KEY);
  g_assert_cmpint (obj_int (o, "status"), ==, 0);
  g_assert_cmpstr (obj_str (o, "id"), ==, "501");
  g_assert_cmpint (obj_int (o, "type"), ==, 1);
  g_assert_false (obj_bool (o, "isRoom"));

  path = g_strdup_printf ("/api/2.0/files/share/%s?fileId=502", key);
  sub = api ("GET", path, OWNER_KEY, NULL);
  o = resp_response_object (sub);
  g_assert_cmpstr (obj_str (o, "id"), ==, "501");
  g_assert_cmpstr (obj_str (o, "entityId"), ==, "502");
  g_assert_cmpstr (obj_str (o, "entityTitle"), ==, "Draft.docx");
  g_assert_cmpint (obj_int (o, "entityType"), ==, 2);
}

/* Expired: the status only, no item, an empty link id. */
static void
test_key_expired (void)
{
  g_autofree char *key = NULL;
  g_autoptr(SimResp) r = NULL;
  JsonObject *o;

  sim_test_reset ();
  key = token_of ("/api/2.0/files/rooms/101/links", "Old preview");
  o = share (&r, key, OWNER_KEY);
  g_assert_cmpint (obj_int (o, "status"), ==, 2);
  g_assert_false (json_object_has_member (o, "id"));
  g_assert_false (json_object_has_member (o, "title"));
  g_assert_cmpstr (obj_str (o, "linkId"), ==, EMPTY_GUID);
}

/* A password link: RequiredPassword with the item but no link id; a signed-in reader of a
 * room gets Ok, still without the link id. */
static void
test_key_password (void)
{
  g_autofree char *key = NULL;
  g_autoptr(SimResp) anon = NULL;
  g_autoptr(SimResp) owner = NULL;
  g_autoptr(SimResp) put = NULL;
  g_autoptr(SimResp) file = NULL;
  g_autofree char *file_key = NULL;
  JsonObject *o;

  sim_test_reset ();
  key = token_of ("/api/2.0/files/rooms/101/links", "Partners");
  o = share (&anon, key, NULL);
  g_assert_cmpint (obj_int (o, "status"), ==, 3);
  g_assert_cmpstr (obj_str (o, "id"), ==, "101");
  g_assert_true (obj_bool (o, "isRoom"));
  g_assert_cmpstr (obj_str (o, "linkId"), ==, EMPTY_GUID);
  o = share (&owner, key, OWNER_KEY);
  g_assert_cmpint (obj_int (o, "status"), ==, 0);
  g_assert_cmpstr (obj_str (o, "linkId"), ==, EMPTY_GUID);

  /* a file's password link stays RequiredPassword for a signed-in caller */
  put = api ("PUT", "/api/2.0/files/file/402/links", OWNER_KEY,
             "{\"access\":2,\"title\":\"Locked\",\"password\":\"Secret123\"}");
  g_assert_cmpuint (put->status, ==, 200);
  file_key = g_strdup (obj_str (obj_obj (resp_response_object (put), "sharedLink"),
                                "requestToken"));
  o = share (&file, file_key, OWNER_KEY);
  g_assert_cmpint (obj_int (o, "status"), ==, 3);
  g_assert_cmpstr (obj_str (o, "id"), ==, "402");
}

/* Internal: anonymous callers get ExternalAccessDenied (5); signed in, Ok. */
static void
test_key_internal (void)
{
  g_autofree char *key = NULL;
  g_autoptr(SimResp) anon = NULL;
  g_autoptr(SimResp) user = NULL;
  JsonObject *o;

  sim_test_reset ();
  key = token_of ("/api/2.0/files/rooms/101/links", "Staff only");
  o = share (&anon, key, NULL);
  g_assert_cmpint (obj_int (o, "status"), ==, 5);
  g_assert_false (json_object_has_member (o, "id"));
  o = share (&user, key, USER_KEY);
  g_assert_cmpint (obj_int (o, "status"), ==, 0);
  g_assert_cmpstr (obj_str (o, "id"), ==, "101");
}

/* A deleted link and an unknown key: Invalid. The deleted link's /s/ address still redirects to
 * its long form, which no longer opens. */
static void
test_key_deleted (void)
{
  g_autoptr(SimResp) links = NULL;
  g_autoptr(SimResp) del = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) bogus = NULL;
  g_autoptr(SimResp) page = NULL;
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *code_path = NULL;
  g_autofree char *location = NULL;
  JsonObject *l, *o;
  guint status;

  sim_test_reset ();
  l = shared_link (&links, "/api/2.0/files/file/401/links", "Download blocked");
  key = g_strdup (obj_str (l, "requestToken"));
  id = g_strdup (obj_str (l, "id"));
  code_path = g_strdup (obj_str (l, "shareLink") + strlen (dsl_sim_get_url (sim_test_sim ())));
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0}", id);
  del = api ("PUT", "/api/2.0/files/file/401/links", OWNER_KEY, body);
  g_assert_cmpuint (del->status, ==, 200);

  o = share (&r, key, OWNER_KEY);
  g_assert_cmpint (obj_int (o, "status"), ==, 1);
  g_assert_false (json_object_has_member (o, "id"));
  g_assert_cmpstr (obj_str (o, "linkId"), ==, EMPTY_GUID);
  o = share (&bogus, "NoSuchKey", OWNER_KEY);
  g_assert_cmpint (obj_int (o, "status"), ==, 1);

  location = location_of (code_path, &status);
  g_assert_cmpuint (status, ==, 302);
  g_assert_nonnull (strstr (location, key));
  page = api ("GET", location + strlen (dsl_sim_get_url (sim_test_sim ())), NULL, NULL);
  g_assert_cmpuint (page->status, ==, 404);
}

/* A room in the Archive: Invalid, with the item still named. */
static void
test_key_archived (void)
{
  g_autoptr(SimResp) rooms = NULL;
  g_autoptr(SimResp) r = NULL;
  g_autoptr(SimResp) links = NULL;
  JsonArray *a;
  JsonObject *o;

  sim_test_reset ();
  links = api ("GET", "/api/2.0/files/rooms/107/links", OWNER_KEY, NULL);
  g_assert_cmpuint (links->status, ==, 200);
  a = resp_response_array (links);
  if (json_array_get_length (a) == 0)
    {
      g_test_skip ("the archived room has no link");
      return;
    }
  o = share (&r, obj_str (obj_obj (arr_obj (a, 0), "sharedLink"), "requestToken"), OWNER_KEY);
  g_assert_cmpint (obj_int (o, "status"), ==, 1);
  g_assert_cmpstr (obj_str (o, "id"), ==, "107");
}

/* /s/<code> redirects to the long form of its item's kind. */
static void
test_short_redirects_to_long_form (void)
{
  struct { const char *links; const char *title; const char *prefix; } cases[] = {
    { "/api/2.0/files/file/401/links", "Download blocked", "/doceditor?fileid=401&share=" },
    { "/api/2.0/files/rooms/101/links", "Partners", "/rooms/share?key=" },
    { "/api/2.0/files/folder/501/links", "Shared link", "/rooms/share?key=" },
  };
  g_autoptr(SimResp) png = NULL;
  g_autofree char *png_path = NULL;
  g_autofree char *png_location = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *root = NULL;
  const char *base = dsl_sim_get_url (sim_test_sim ());
  guint status;

  sim_test_reset ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = short_path (cases[i].links, cases[i].title);
      g_autofree char *key = token_of (cases[i].links, cases[i].title);
      g_autofree char *location = location_of (path, &status);
      g_autofree char *expected = g_strdup_printf ("%s%s%s", base, cases[i].prefix, key);

      g_assert_cmpuint (status, ==, 302);
      g_assert_true (g_str_has_prefix (location, expected));
      if (strstr (cases[i].links, "/folder/") != NULL)
        g_assert_true (g_str_has_suffix (location, "&folder=501"));
      else
        g_assert_cmpstr (location, ==, expected);
    }

  /* an image opens in the preview */
  png = api ("POST", "/api/2.0/files/file/311/link", OWNER_KEY, "{\"access\":2}");
  g_assert_cmpuint (png->status, ==, 200);
  png_path = g_strdup (obj_str (obj_obj (resp_response_object (png), "sharedLink"),
                                "shareLink") + strlen (base));
  png_location = location_of (png_path, &status);
  g_assert_cmpuint (status, ==, 302);
  g_assert_nonnull (strstr (png_location, "/share/preview/311?share="));

  /* an unknown code goes to the portal's root */
  unknown = location_of ("/s/NoSuchCode", &status);
  g_assert_cmpuint (status, ==, 302);
  root = g_strconcat (base, "/", NULL);
  g_assert_cmpstr (unknown, ==, root);
}

/* The long forms open as the short link did (followed redirect): page, download, 410. */
static void
test_long_forms_open (void)
{
  g_autofree char *key = token_of ("/api/2.0/files/file/401/links", "Shared link");
  g_autofree char *doc = g_strdup_printf ("/doceditor?fileid=401&share=%s", key);
  g_autofree char *dl = g_strdup_printf ("/filehandler.ashx?action=download&fileid=401&share=%s",
                                         key);
  g_autofree char *old = NULL;
  g_autofree char *old_path = NULL;
  g_autoptr(SimResp) page = NULL;
  g_autoptr(SimResp) file = NULL;
  g_autoptr(SimResp) expired = NULL;
  g_autoptr(SimResp) bad = NULL;

  sim_test_reset ();
  page = api ("GET", doc, NULL, NULL);
  g_assert_cmpuint (page->status, ==, 200);
  g_assert_nonnull (strstr (page->text, "Q3 report.docx"));
  file = api ("GET", dl, NULL, NULL);
  g_assert_cmpuint (file->status, ==, 200);
  g_assert_nonnull (g_hash_table_lookup (file->headers, "content-disposition"));

  old = token_of ("/api/2.0/files/rooms/101/links", "Old preview");
  old_path = g_strdup_printf ("/rooms/share?key=%s", old);
  expired = api ("GET", old_path, NULL, NULL);
  g_assert_cmpuint (expired->status, ==, 410);
  bad = api ("GET", "/doceditor?fileid=401&share=NoSuchKey", NULL, NULL);
  g_assert_cmpuint (bad->status, ==, 404);
}

/* The sharing policy (issue 17): GET files/settings for anyone, the admin's PUT of
 * files/settings/externalsharingsettings (FilesSettings.cs:515-555). */
static void
test_sharing_policy (void)
{
  g_autoptr(SimResp) defaults = NULL;
  g_autoptr(SimResp) anonymous = NULL;
  g_autoptr(SimResp) refused = NULL;
  g_autoptr(SimResp) changed = NULL;
  g_autoptr(SimResp) after = NULL;
  g_autoptr(SimResp) reset = NULL;
  JsonObject *p;

  sim_test_reset ();
  /* The defaults of FilesSettings.cs:229-237. */
  defaults = api ("GET", "/api/2.0/files/settings", USER_KEY, NULL);
  g_assert_cmpuint (defaults->status, ==, 200);
  p = resp_response_object (defaults);
  g_assert_true (obj_bool (p, "externalShare"));
  g_assert_false (obj_bool (p, "defaultShareLinkInternal"));
  g_assert_true (obj_bool (p, "externalShareApplyToDocuments"));
  g_assert_true (obj_bool (p, "externalShareApplyToRooms"));
  g_assert_true (obj_bool (p, "blockExistingLinksOnRestrict"));
  anonymous = api ("GET", "/api/2.0/files/settings", NULL, NULL);
  g_assert_cmpuint (anonymous->status, ==, 200);

  /* Only an admin changes it. */
  refused = api ("PUT", "/api/2.0/files/settings/externalsharingsettings", USER_KEY,
                 "{\"externalShare\": false}");
  g_assert_cmpuint (refused->status, ==, 403);
  g_assert_cmpstr (obj_str (resp_error (refused), "type"), ==,
                   "System.InvalidOperationException");

  /* Sharing off for rooms only: new links become internal by default too; members not sent
   * are false (the request DTO's bools). */
  changed = api ("PUT", "/api/2.0/files/settings/externalsharingsettings", OWNER_KEY,
                 "{\"externalShare\": false, \"externalShareApplyToRooms\": true, "
                 "\"blockExistingLinksOnRestrict\": true}");
  g_assert_cmpuint (changed->status, ==, 200);
  p = resp_response_object (changed);
  g_assert_false (obj_bool (p, "externalShare"));
  g_assert_true (obj_bool (p, "defaultShareLinkInternal"));
  g_assert_false (obj_bool (p, "externalShareApplyToDocuments"));
  g_assert_true (obj_bool (p, "externalShareApplyToRooms"));
  g_assert_true (obj_bool (p, "blockExistingLinksOnRestrict"));
  after = api ("GET", "/api/2.0/files/settings", USER_KEY, NULL);
  p = resp_response_object (after);
  g_assert_false (obj_bool (p, "externalShare"));
  g_assert_true (obj_bool (p, "defaultShareLinkInternal"));

  sim_test_reset ();
  reset = api ("GET", "/api/2.0/files/settings", USER_KEY, NULL);
  g_assert_true (obj_bool (resp_response_object (reset), "externalShare"));
}

int
main (int   argc,
      char *argv[])
{
  sim_test_init (&argc, &argv);
  g_test_add_func ("/dsl/sim/share-key-ok", test_key_ok);
  g_test_add_func ("/dsl/sim/share-key-folder-sub-item", test_key_room_and_sub_item);
  g_test_add_func ("/dsl/sim/share-key-expired", test_key_expired);
  g_test_add_func ("/dsl/sim/share-key-password", test_key_password);
  g_test_add_func ("/dsl/sim/share-key-internal", test_key_internal);
  g_test_add_func ("/dsl/sim/share-key-deleted", test_key_deleted);
  g_test_add_func ("/dsl/sim/share-key-archived", test_key_archived);
  g_test_add_func ("/dsl/sim/share-short-redirects-to-long-form",
                   test_short_redirects_to_long_form);
  g_test_add_func ("/dsl/sim/share-long-forms-open", test_long_forms_open);
  g_test_add_func ("/dsl/sim/sharing-policy", test_sharing_policy);
  return sim_test_run ();
}

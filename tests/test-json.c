/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-json.c: dsl-json against real-shaped DocSpace answers in tests/data/, plus the models
 * (DslLink copy/compare/notify, DslKeyInfo scopes, DslAuthResult) and the enum name tables.
 *
 *   fixture file --dsl_envelope_parse--> response node --dsl_json_parse_*--> objects, asserted */
#include "dsl-enum-types.h"
#include "dsl-error.h"
#include "dsl-json.h"
#include "dsl-link-form.h"

#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Helpers */

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

/* The whole envelope of a 200 fixture; the test reads envelope->response. */
static DslEnvelope *
load_envelope (const char *name)
{
  g_autoptr(GBytes) body = load_fixture (name);
  g_autoptr(GError) error = NULL;
  DslEnvelope *envelope;

  envelope = dsl_envelope_parse (200, NULL, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  g_assert_nonnull (envelope->response);

  return envelope;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

static GPtrArray *
load_links (const char *name)
{
  g_autoptr(DslEnvelope) envelope = load_envelope (name);
  g_autoptr(GError) error = NULL;
  GPtrArray *links;

  links = dsl_json_parse_links (envelope->response, &error);
  g_assert_no_error (error);
  g_assert_nonnull (links);

  return links;
}

static DslFolderPage *
load_folder_page (const char *name)
{
  g_autoptr(DslEnvelope) envelope = load_envelope (name);
  g_autoptr(GError) error = NULL;
  DslFolderPage *page;

  page = dsl_json_parse_folder_page (envelope->response, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);

  return page;
}

static void
assert_date (GDateTime *date,
             int        year,
             int        month,
             int        day,
             int        hour,
             int        minute,
             int        second,
             int        microsecond,
             GTimeSpan  offset)
{
  g_assert_nonnull (date);
  g_assert_cmpint (g_date_time_get_year (date), ==, year);
  g_assert_cmpint (g_date_time_get_month (date), ==, month);
  g_assert_cmpint (g_date_time_get_day_of_month (date), ==, day);
  g_assert_cmpint (g_date_time_get_hour (date), ==, hour);
  g_assert_cmpint (g_date_time_get_minute (date), ==, minute);
  g_assert_cmpint (g_date_time_get_second (date), ==, second);
  g_assert_cmpint (g_date_time_get_microsecond (date), ==, microsecond);
  g_assert_cmpint (g_date_time_get_utc_offset (date), ==, offset);
}

#define HOURS(h) ((GTimeSpan) (h) * G_TIME_SPAN_HOUR)

static void
assert_invalid_response (const GError *error,
                         const char   *member_path)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", member_path);

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  if (strstr (error->message, quoted) == NULL)
    g_error ("message “%s” does not name %s", error->message, quoted);
}

/* ------------------------------------------------------------------------------------------ */
/* File links (FileShareDto list) */

static void
test_file_links_skip_user_shares (void)
{
  g_autoptr(GPtrArray) links = load_links ("file-links.json");

  /* Six entries, of which one is a user share without sharedLink. */
  g_assert_cmpuint (links->len, ==, 5);
  for (guint i = 0; i < links->len; i++)
    g_assert_true (DSL_IS_LINK (g_ptr_array_index (links, i)));
}

static void
test_file_links_primary (void)
{
  g_autoptr(GPtrArray) links = load_links ("file-links.json");
  DslLink *link = g_ptr_array_index (links, 0);

  g_assert_cmpstr (dsl_link_get_id (link), ==, "6a3b0f5e-2c1d-4e8f-9a7b-1c2d3e4f5a6b");
  g_assert_cmpstr (dsl_link_get_title (link), ==, "Shared link");
  g_assert_cmpstr (dsl_link_get_share_link (link), ==, "https://docspace.example.com/s/AbC123");
  g_assert_cmpint (dsl_link_get_access (link), ==, DSL_ACCESS_READ);
  g_assert_cmpint (dsl_link_get_subject_type (link), ==, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK);
  g_assert_cmpint (dsl_link_get_link_type (link), ==, DSL_LINK_TYPE_EXTERNAL);
  g_assert_true (dsl_link_get_primary (link));
  g_assert_null (dsl_link_get_expiration_date (link));
  g_assert_null (dsl_link_get_password (link));
  g_assert_false (dsl_link_get_is_expired (link));
  g_assert_false (dsl_link_get_internal (link));
  g_assert_false (dsl_link_get_deny_download (link));
  g_assert_cmpstr (dsl_link_get_request_token (link), ==, "eyJrZXkiOiJwcmltYXJ5In0");
  g_assert_true (dsl_link_get_can_edit_internal (link));
  g_assert_true (dsl_link_get_can_edit_deny_download (link));
  g_assert_true (dsl_link_get_can_edit_expiration_date (link));
  g_assert_false (dsl_link_get_can_revoke (link));
  g_assert_cmpint (dsl_link_get_max_use_count (link), ==, -1);
  g_assert_cmpint (dsl_link_get_current_use_count (link), ==, -1);
}

static void
test_file_links_password_and_expiry (void)
{
  g_autoptr(GPtrArray) links = load_links ("file-links.json");
  DslLink *link = g_ptr_array_index (links, 1);

  g_assert_cmpstr (dsl_link_get_id (link), ==, "0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f");
  g_assert_cmpstr (dsl_link_get_title (link), ==, "Editors (agency)");
  g_assert_cmpint (dsl_link_get_access (link), ==, DSL_ACCESS_EDITING);
  g_assert_cmpint (dsl_link_get_subject_type (link), ==, DSL_SUBJECT_TYPE_EXTERNAL_LINK);
  g_assert_false (dsl_link_get_primary (link));
  g_assert_cmpstr (dsl_link_get_password (link), ==, "Secr3t!pass");
  assert_date (dsl_link_get_expiration_date (link), 2026, 7, 1, 18, 0, 0, 0, HOURS (3));
}

static void
test_file_links_expired (void)
{
  g_autoptr(GPtrArray) links = load_links ("file-links.json");
  DslLink *link = g_ptr_array_index (links, 2);

  g_assert_cmpstr (dsl_link_get_title (link), ==, "Review round 1");
  g_assert_cmpint (dsl_link_get_access (link), ==, DSL_ACCESS_COMMENT);
  g_assert_true (dsl_link_get_is_expired (link));
  /* 7 fractional digits: microseconds keep the first six. */
  assert_date (dsl_link_get_expiration_date (link), 2026, 6, 1, 9, 30, 15, 123456, HOURS (3));
  /* No requestToken member: NULL. */
  g_assert_null (dsl_link_get_request_token (link));
}

static void
test_file_links_internal (void)
{
  g_autoptr(GPtrArray) links = load_links ("file-links.json");
  DslLink *link = g_ptr_array_index (links, 3);

  g_assert_cmpstr (dsl_link_get_title (link), ==, "Staff only");
  g_assert_cmpint (dsl_link_get_access (link), ==, DSL_ACCESS_REVIEW);
  g_assert_true (dsl_link_get_internal (link));
  g_assert_false (dsl_link_get_can_edit_internal (link));
  g_assert_false (dsl_link_get_deny_download (link));
}

static void
test_file_links_deny_download (void)
{
  g_autoptr(GPtrArray) links = load_links ("file-links.json");
  DslLink *link = g_ptr_array_index (links, 4);

  g_assert_cmpstr (dsl_link_get_id (link), ==, "33333333-4444-4555-8666-777777777777");
  g_assert_true (dsl_link_get_deny_download (link));
  g_assert_false (dsl_link_get_can_edit_deny_download (link));
  g_assert_false (dsl_link_get_internal (link));
}

static void
test_file_links_envelope_counts (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("file-links.json");

  g_assert_cmpint (envelope->count, ==, 6);
  g_assert_cmpint (envelope->total, ==, 6);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (envelope->response));
}

static void
test_single_link (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("link-single.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = dsl_json_parse_link (envelope->response, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (dsl_link_get_id (link), ==, "88888888-9999-4aaa-8bbb-cccccccccccc");
  g_assert_cmpint (dsl_link_get_access (link), ==, DSL_ACCESS_EDITING);
  g_assert_true (dsl_link_get_deny_download (link));
  assert_date (dsl_link_get_expiration_date (link), 2026, 7, 1, 18, 0, 0, 0, HOURS (3));
}

/* ------------------------------------------------------------------------------------------ */
/* Folder and room links */

static void
test_folder_links (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("folder-links.json");
  g_autoptr(GPtrArray) links = load_links ("folder-links.json");
  DslLink *primary;
  DslLink *forms;

  /* Folder link lists are not paged: no total. */
  g_assert_cmpint (envelope->total, ==, -1);
  g_assert_cmpint (envelope->count, ==, 2);

  g_assert_cmpuint (links->len, ==, 2);
  primary = g_ptr_array_index (links, 0);
  forms = g_ptr_array_index (links, 1);

  g_assert_true (dsl_link_get_primary (primary));
  g_assert_cmpstr (dsl_link_get_share_link (primary), ==, "https://docspace.example.com/s/Fold01");

  g_assert_cmpint (dsl_link_get_access (forms), ==, DSL_ACCESS_FILL_FORMS);
  g_assert_false (dsl_link_get_primary (forms));
  assert_date (dsl_link_get_expiration_date (forms), 2026, 12, 31, 23, 59, 59, 0, HOURS (-5));
}

static void
test_room_links_invitation (void)
{
  g_autoptr(GPtrArray) links = load_links ("room-links.json");
  DslLink *invitation;

  g_assert_cmpuint (links->len, ==, 2);
  invitation = g_ptr_array_index (links, 0);

  g_assert_cmpstr (dsl_link_get_id (invitation), ==, "66666666-7777-4888-8999-aaaaaaaaaaaa");
  g_assert_cmpint (dsl_link_get_subject_type (invitation), ==, DSL_SUBJECT_TYPE_INVITATION_LINK);
  g_assert_cmpint (dsl_link_get_link_type (invitation), ==, DSL_LINK_TYPE_INVITATION);
  g_assert_cmpint (dsl_link_get_access (invitation), ==, DSL_ACCESS_CONTENT_CREATOR);
  g_assert_cmpint (dsl_link_get_max_use_count (invitation), ==, 10);
  g_assert_cmpint (dsl_link_get_current_use_count (invitation), ==, 3);
  g_assert_false (dsl_link_get_primary (invitation));
  assert_date (dsl_link_get_expiration_date (invitation), 2026, 8, 15, 12, 0, 0, 0, 0);
}

static void
test_room_links_revocable_primary (void)
{
  g_autoptr(GPtrArray) links = load_links ("room-links.json");
  DslLink *primary = g_ptr_array_index (links, 1);

  g_assert_cmpint (dsl_link_get_subject_type (primary), ==, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK);
  g_assert_cmpint (dsl_link_get_link_type (primary), ==, DSL_LINK_TYPE_EXTERNAL);
  g_assert_true (dsl_link_get_primary (primary));
  g_assert_true (dsl_link_get_can_revoke (primary));
  g_assert_false (dsl_link_get_can_edit_expiration_date (primary));
}

static void
test_link_primary_from_subject_type (void)
{
  /* No sharedLink.primary member: subjectType 4 alone makes it primary. */
  g_autoptr(JsonNode) node = parse_json ("{\"access\":2,\"subjectType\":4,"
                                         "\"sharedLink\":{\"id\":\"abc\",\"title\":\"t\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = dsl_json_parse_link (node, &error);

  g_assert_no_error (error);
  g_assert_true (dsl_link_get_primary (link));
  g_assert_cmpint (dsl_link_get_link_type (link), ==, DSL_LINK_TYPE_EXTERNAL);
}

/* ------------------------------------------------------------------------------------------ */
/* Rooms and folder contents */

static void
test_rooms_kinds_and_types (void)
{
  g_autoptr(DslFolderPage) page = load_folder_page ("rooms.json");
  const DslRoomType expected[] = {
    DSL_ROOM_TYPE_PUBLIC, DSL_ROOM_TYPE_CUSTOM, DSL_ROOM_TYPE_EDITING, DSL_ROOM_TYPE_FILLING_FORMS,
  };
  DslItem *press;

  g_assert_cmpuint (page->items->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < page->items->len; i++)
    {
      DslItem *room = g_ptr_array_index (page->items, i);

      g_assert_cmpint (dsl_item_get_kind (room), ==, DSL_ITEM_KIND_ROOM);
      g_assert_cmpint (dsl_item_get_room_type (room), ==, expected[i]);
      g_assert_true (dsl_item_is_container (room));
      g_assert_cmpstr (dsl_item_get_parent_id (room), ==, "3");
    }

  press = g_ptr_array_index (page->items, 0);
  g_assert_cmpstr (dsl_item_get_id (press), ==, "1502");
  g_assert_cmpstr (dsl_item_get_title (press), ==, "Press kit");
  g_assert_cmpint (dsl_item_get_files_count (press), ==, 4);
  g_assert_cmpint (dsl_item_get_folders_count (press), ==, 1);
  g_assert_true (dsl_item_get_can_share (press));
  g_assert_true (dsl_item_get_shared_external (press));
  g_assert_cmpint (dsl_item_get_root_folder_type (press), ==, 14);
  g_assert_cmpstr (dsl_item_get_created_by (press), ==, "Jane Doe");
  g_assert_cmpstr (dsl_item_get_short_web_url (press), ==, "https://docspace.example.com/s/RmPk01");
  assert_date (dsl_item_get_updated (press), 2026, 6, 30, 13, 45, 12, 0, HOURS (3));

  /* deny-download and the caller's own access on the Custom room */
  g_assert_true (dsl_item_get_deny_download (g_ptr_array_index (page->items, 1)));
  g_assert_cmpint (dsl_item_get_access (g_ptr_array_index (page->items, 1)), ==,
                   DSL_ACCESS_ROOM_MANAGER);
  /* Collaboration rooms have no room links */
  g_assert_false (dsl_item_get_can_share (g_ptr_array_index (page->items, 2)));
}

static void
test_rooms_current_and_paging (void)
{
  g_autoptr(DslFolderPage) page = load_folder_page ("rooms.json");
  DslItem *part;

  g_assert_nonnull (page->current);
  g_assert_cmpstr (dsl_item_get_id (page->current), ==, "3");
  g_assert_cmpstr (dsl_item_get_title (page->current), ==, "Rooms");
  g_assert_cmpint (dsl_item_get_kind (page->current), ==, DSL_ITEM_KIND_FOLDER);
  g_assert_cmpint (dsl_item_get_root_folder_type (page->current), ==, 14);

  g_assert_cmpuint (page->path->len, ==, 1);
  part = g_ptr_array_index (page->path, 0);
  g_assert_cmpstr (dsl_item_get_id (part), ==, "3");
  g_assert_cmpint (dsl_item_get_kind (part), ==, DSL_ITEM_KIND_FOLDER);

  g_assert_cmpuint (page->start_index, ==, 0);
  g_assert_cmpuint (page->count, ==, 4);
  g_assert_cmpuint (page->total, ==, 4);
}

static void
test_rooms_link_limits (void)
{
  g_autoptr(DslFolderPage) page = load_folder_page ("rooms.json");
  DslItem *press = g_ptr_array_index (page->items, 0);
  DslItem *drafts = g_ptr_array_index (page->items, 2);
  DslItem *forms = g_ptr_array_index (page->items, 3);

  g_assert_cmpint (dsl_item_get_link_limit (press, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK), ==, 1);
  g_assert_cmpint (dsl_item_get_link_limit (press, DSL_SUBJECT_TYPE_EXTERNAL_LINK), ==, 5);
  /* Not sent for this subject type, nor at all for a room without canShare: -1. */
  g_assert_cmpint (dsl_item_get_link_limit (press, DSL_SUBJECT_TYPE_INVITATION_LINK), ==, -1);
  g_assert_cmpint (dsl_item_get_link_limit (drafts, DSL_SUBJECT_TYPE_EXTERNAL_LINK), ==, -1);
  /* Form-filling rooms: no additional links. */
  g_assert_cmpint (dsl_item_get_link_limit (forms, DSL_SUBJECT_TYPE_EXTERNAL_LINK), ==, 0);
}

static void
test_rooms_share_rights (void)
{
  g_autoptr(DslFolderPage) page = load_folder_page ("rooms.json");
  DslItem *press = g_ptr_array_index (page->items, 0);
  DslItem *drafts = g_ptr_array_index (page->items, 2);
  DslItem *forms = g_ptr_array_index (page->items, 3);
  const DslAccess *rights;
  gsize n = 99;

  rights = dsl_item_get_share_rights (press, DSL_SUBJECT_TYPE_USER, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (rights[0], ==, DSL_ACCESS_ROOM_MANAGER);
  g_assert_cmpint (rights[1], ==, DSL_ACCESS_CONTENT_CREATOR);
  g_assert_cmpint (rights[2], ==, DSL_ACCESS_READ);
  g_assert_cmpint (rights[3], ==, DSL_ACCESS_NONE);

  rights = dsl_item_get_share_rights (press, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (rights[0], ==, DSL_ACCESS_READ);

  g_assert_true (dsl_item_allows_share_right (press, DSL_SUBJECT_TYPE_EXTERNAL_LINK, DSL_ACCESS_NONE));
  g_assert_false (dsl_item_allows_share_right (press, DSL_SUBJECT_TYPE_EXTERNAL_LINK, DSL_ACCESS_EDITING));

  /* No availableShareRights at all: NULL and 0. */
  n = 99;
  g_assert_null (dsl_item_get_share_rights (drafts, DSL_SUBJECT_TYPE_EXTERNAL_LINK, &n));
  g_assert_cmpuint (n, ==, 0);

  /* An empty list is kept as an empty list. */
  n = 99;
  g_assert_nonnull (dsl_item_get_share_rights (forms, DSL_SUBJECT_TYPE_EXTERNAL_LINK, &n));
  g_assert_cmpuint (n, ==, 0);
  g_assert_true (dsl_item_allows_share_right (forms, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK,
                                              DSL_ACCESS_FILL_FORMS));
}

static void
test_rooms_security (void)
{
  g_autoptr(DslFolderPage) page = load_folder_page ("rooms.json");
  DslItem *press = g_ptr_array_index (page->items, 0);
  DslItem *marketing = g_ptr_array_index (page->items, 1);

  g_assert_true (dsl_item_get_security (press, "EditAccess"));
  g_assert_true (dsl_item_get_security (press, "CopySharedLink"));
  g_assert_false (dsl_item_get_security (press, "UseChat"));
  g_assert_false (dsl_item_get_security (press, "NoSuchAction"));
  g_assert_false (dsl_item_get_security (marketing, "Download"));
}

static void
test_folder_order (void)
{
  g_autoptr(DslFolderPage) page = load_folder_page ("folder-content.json");
  const char *ids[] = { "1580", "1601", "1602", "1603" };
  const DslItemKind kinds[] = {
    DSL_ITEM_KIND_FOLDER, DSL_ITEM_KIND_FILE, DSL_ITEM_KIND_FILE, DSL_ITEM_KIND_FILE,
  };

  g_assert_cmpuint (page->items->len, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < page->items->len; i++)
    {
      DslItem *item = g_ptr_array_index (page->items, i);

      g_assert_cmpstr (dsl_item_get_id (item), ==, ids[i]);
      g_assert_cmpint (dsl_item_get_kind (item), ==, kinds[i]);
    }

  g_assert_cmpint (dsl_item_get_files_count (g_ptr_array_index (page->items, 0)), ==, 7);
  g_assert_cmpstr (dsl_item_get_parent_id (g_ptr_array_index (page->items, 0)), ==, "1573");
}

static void
test_folder_path_parts (void)
{
  g_autoptr(DslFolderPage) page = load_folder_page ("folder-content.json");
  DslItem *rooms, *marketing, *reports;

  g_assert_cmpuint (page->path->len, ==, 3);
  rooms = g_ptr_array_index (page->path, 0);
  marketing = g_ptr_array_index (page->path, 1);
  reports = g_ptr_array_index (page->path, 2);

  g_assert_cmpstr (dsl_item_get_title (rooms), ==, "Rooms");
  g_assert_cmpint (dsl_item_get_kind (rooms), ==, DSL_ITEM_KIND_FOLDER);
  g_assert_cmpstr (dsl_item_get_id (marketing), ==, "1510");
  g_assert_cmpint (dsl_item_get_kind (marketing), ==, DSL_ITEM_KIND_ROOM);
  g_assert_cmpint (dsl_item_get_room_type (marketing), ==, DSL_ROOM_TYPE_CUSTOM);
  g_assert_cmpstr (dsl_item_get_id (reports), ==, "1573");
  g_assert_cmpint (dsl_item_get_kind (reports), ==, DSL_ITEM_KIND_FOLDER);

  g_assert_cmpstr (dsl_item_get_id (page->current), ==, "1573");
  g_assert_cmpstr (dsl_item_get_parent_id (page->current), ==, "1510");
  g_assert_cmpint (dsl_item_get_parent_room_type (page->current), ==, 19);
}

static void
test_folder_paging (void)
{
  g_autoptr(DslFolderPage) page = load_folder_page ("folder-content.json");

  g_assert_cmpuint (page->start_index, ==, 0);
  g_assert_cmpuint (page->count, ==, 4);
  g_assert_cmpuint (page->total, ==, 6);
}

static void
test_folder_file_fields (void)
{
  g_autoptr(DslFolderPage) page = load_folder_page ("folder-content.json");
  DslItem *docx = g_ptr_array_index (page->items, 1);
  DslItem *pdf = g_ptr_array_index (page->items, 2);
  DslItem *unknown = g_ptr_array_index (page->items, 3);

  g_assert_cmpstr (dsl_item_get_title (docx), ==, "Q3.docx");
  g_assert_cmpint (dsl_item_get_file_type (docx), ==, DSL_FILE_TYPE_DOCUMENT);
  g_assert_cmpstr (dsl_item_get_file_extension (docx), ==, ".docx");
  g_assert_cmpint (dsl_item_get_size (docx), ==, 19046);
  g_assert_cmpstr (dsl_item_get_parent_id (docx), ==, "1573");
  g_assert_cmpint (dsl_item_get_parent_room_type (docx), ==, 19);
  g_assert_cmpstr (dsl_item_get_web_url (docx), ==,
                   "https://docspace.example.com/doceditor?fileid=1601&version=3");
  g_assert_cmpstr (dsl_item_get_created_by (docx), ==, "Jane Doe");
  g_assert_false (dsl_item_is_container (docx));
  assert_date (dsl_item_get_created (docx), 2026, 6, 28, 9, 5, 30, 0, HOURS (3));
  assert_date (dsl_item_get_updated (docx), 2026, 6, 30, 13, 45, 12, 123456, HOURS (3));
  g_assert_cmpint (dsl_item_get_link_limit (docx, DSL_SUBJECT_TYPE_EXTERNAL_LINK), ==, 6);

  g_assert_cmpint (dsl_item_get_file_type (pdf), ==, DSL_FILE_TYPE_PDF);
  g_assert_cmpint (dsl_item_get_size (pdf), ==, 1258291);

  /* Optional members absent: defaults. Unknown fileType: UNKNOWN. */
  g_assert_cmpint (dsl_item_get_file_type (unknown), ==, DSL_FILE_TYPE_UNKNOWN);
  g_assert_cmpint (dsl_item_get_access (unknown), ==, DSL_ACCESS_READ);
  g_assert_null (dsl_item_get_created (unknown));
  g_assert_null (dsl_item_get_created_by (unknown));
  g_assert_null (dsl_item_get_web_url (unknown));
  g_assert_false (dsl_item_get_can_share (unknown));
  g_assert_cmpint (dsl_item_get_files_count (unknown), ==, -1);
  g_assert_cmpint (dsl_item_get_link_limit (unknown, DSL_SUBJECT_TYPE_EXTERNAL_LINK), ==, -1);
}

static void
test_folder_unknown_share_right_skipped (void)
{
  g_autoptr(DslFolderPage) page = load_folder_page ("folder-content.json");
  DslItem *docx = g_ptr_array_index (page->items, 1);
  const DslAccess *rights;
  gsize n = 0;

  /* ["Editing","Review","Comment","QuantumEdit","Read","None"]: the unknown name is dropped. */
  rights = dsl_item_get_share_rights (docx, DSL_SUBJECT_TYPE_EXTERNAL_LINK, &n);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpint (rights[0], ==, DSL_ACCESS_EDITING);
  g_assert_cmpint (rights[1], ==, DSL_ACCESS_REVIEW);
  g_assert_cmpint (rights[2], ==, DSL_ACCESS_COMMENT);
  g_assert_cmpint (rights[3], ==, DSL_ACCESS_READ);
  g_assert_cmpint (rights[4], ==, DSL_ACCESS_NONE);
}

static void
test_item_third_party_id (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("file-third-party.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) item = dsl_json_parse_item (envelope->response, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (dsl_item_get_id (item), ==, "sbox-12-%2fReports%2fBudget.xlsx");
  g_assert_cmpstr (dsl_item_get_parent_id (item), ==, "sbox-12-%2fReports");
  g_assert_cmpint (dsl_item_get_kind (item), ==, DSL_ITEM_KIND_FILE);
  g_assert_cmpint (dsl_item_get_file_type (item), ==, DSL_FILE_TYPE_SPREADSHEET);
  g_assert_cmpint (dsl_item_get_access (item), ==, DSL_ACCESS_READ_WRITE);
  g_assert_true (dsl_item_get_provider_item (item));
  assert_date (dsl_item_get_created (item), 2026, 5, 5, 5, 5, 5, 0, 0);
}

static void
test_item_kind_without_entry_type (void)
{
  /* A folder with roomType but no fileEntryType is still a room; a file is inferred from
   * fileExst. */
  g_autoptr(JsonNode) room_node = parse_json ("{\"id\":7,\"title\":\"R\",\"roomType\":6}");
  g_autoptr(JsonNode) file_node = parse_json ("{\"id\":8,\"title\":\"F\",\"fileExst\":\".txt\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) room = dsl_json_parse_item (room_node, &error);
  g_autoptr(DslItem) file = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (dsl_item_get_kind (room), ==, DSL_ITEM_KIND_ROOM);
  g_assert_cmpint (dsl_item_get_room_type (room), ==, DSL_ROOM_TYPE_PUBLIC);

  file = dsl_json_parse_item (file_node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dsl_item_get_kind (file), ==, DSL_ITEM_KIND_FILE);
}

/* ------------------------------------------------------------------------------------------ */
/* Users, keys, login */

static void
test_user_self (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("people-self.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslUser) user = dsl_json_parse_user (envelope->response, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (dsl_user_get_id (user), ==, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  g_assert_cmpstr (dsl_user_get_display_name (user), ==, "Jane Doe");
  g_assert_cmpstr (dsl_user_get_email (user), ==, "jane@example.com");
  g_assert_cmpstr (dsl_user_get_avatar (user), ==, "/static/images/default_user_photo_size_32-32.png");
  g_assert_false (dsl_user_get_is_admin (user));
  g_assert_true (dsl_user_get_is_owner (user));
  g_assert_true (dsl_user_get_is_room_admin (user));
  g_assert_false (dsl_user_get_is_visitor (user));
  g_assert_false (dsl_user_get_is_collaborator (user));
  /* isOwner alone is enough for the audit trail. */
  g_assert_true (dsl_user_can_read_audit (user));
}

static void
test_user_missing_id (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"displayName\":\"Jane Doe\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslUser) user = dsl_json_parse_user (node, &error);

  g_assert_null (user);
  assert_invalid_response (error, "id");
  g_assert_nonnull (strstr (error->message, "is missing"));
}

static void
test_key_info_fields (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("keys-self.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslKeyInfo) key = dsl_json_parse_key_info (envelope->response, &error);
  const char * const *permissions;

  g_assert_no_error (error);
  g_assert_cmpstr (dsl_key_info_get_id (key), ==, "9c8b7a6f-5e4d-4c3b-8a29-181716151413");
  g_assert_cmpstr (dsl_key_info_get_name (key), ==, "Links desktop app");
  g_assert_cmpstr (dsl_key_info_get_key_postfix (key), ==, "4f2a");
  g_assert_true (dsl_key_info_get_is_active (key));

  permissions = dsl_key_info_get_permissions (key);
  g_assert_cmpuint (g_strv_length ((GStrv) permissions), ==, 3);
  g_assert_cmpstr (permissions[0], ==, "files:write");

  assert_date (dsl_key_info_get_expires_at (key), 2026, 9, 1, 10, 0, 0, 0, HOURS (3));
  assert_date (dsl_key_info_get_last_used (key), 2026, 6, 30, 13, 40, 0, 0, HOURS (3));
  assert_date (dsl_key_info_get_created (key), 2026, 6, 1, 10, 0, 0, 0, HOURS (3));
}

static void
test_key_info_scopes (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("keys-self.json");
  g_autoptr(DslKeyInfo) key = dsl_json_parse_key_info (envelope->response, NULL);

  /* permissions: files:write, rooms:read, accounts.self:read */
  g_assert_true (dsl_key_info_has_scope (key, "files:read"));      /* write implies read */
  g_assert_true (dsl_key_info_has_scope (key, "files:write"));
  g_assert_true (dsl_key_info_has_scope (key, "rooms:read"));
  g_assert_false (dsl_key_info_has_scope (key, "rooms:write"));    /* read does not imply write */
  g_assert_true (dsl_key_info_has_scope (key, "accounts.self:read"));
  g_assert_false (dsl_key_info_has_scope (key, "accounts:read"));
  g_assert_false (dsl_key_info_has_scope (key, "*:read"));         /* audit needs a global scope */
}

static void
test_key_info_global_scopes (void)
{
  const char *read_only[] = { "*:read", NULL };
  const char *write_all[] = { "*:write", NULL };
  const char *star[] = { "*", NULL };
  const char *empty[] = { NULL };
  g_autoptr(DslKeyInfo) reader = g_object_new (DSL_TYPE_KEY_INFO, "permissions", read_only, NULL);
  g_autoptr(DslKeyInfo) writer = g_object_new (DSL_TYPE_KEY_INFO, "permissions", write_all, NULL);
  g_autoptr(DslKeyInfo) full = g_object_new (DSL_TYPE_KEY_INFO, "permissions", star, NULL);
  g_autoptr(DslKeyInfo) none = g_object_new (DSL_TYPE_KEY_INFO, "permissions", empty, NULL);

  g_assert_true (dsl_key_info_has_scope (reader, "files:read"));
  g_assert_true (dsl_key_info_has_scope (reader, "*:read"));
  g_assert_false (dsl_key_info_has_scope (reader, "files:write"));
  g_assert_false (dsl_key_info_has_scope (reader, "*:write"));

  g_assert_true (dsl_key_info_has_scope (writer, "rooms:write"));
  g_assert_true (dsl_key_info_has_scope (writer, "*:read"));

  g_assert_true (dsl_key_info_has_scope (full, "rooms:write"));
  /* No permissions at all: a full-access key. */
  g_assert_true (dsl_key_info_has_scope (none, "*:write"));
}

static DslAuthResult *
load_auth (const char *name)
{
  g_autoptr(DslEnvelope) envelope = load_envelope (name);
  g_autoptr(GError) error = NULL;
  DslAuthResult *result = dsl_json_parse_auth_result (envelope->response, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
test_auth_token (void)
{
  g_autoptr(DslAuthResult) result = load_auth ("auth-token.json");

  g_assert_cmpstr (result->token, ==, "8USGR/kaCFUGSrOm7XCSwg8rUiVxn6+9mzXqrEkGwMo=");
  assert_date (result->expires, 2026, 7, 30, 13, 45, 12, 0, HOURS (3));
  g_assert_false (result->tfa);
  g_assert_false (result->sms);
  g_assert_false (dsl_auth_result_needs_code (result));
}

static void
test_auth_tfa_confirm (void)
{
  g_autoptr(DslAuthResult) result = load_auth ("auth-tfa-confirm.json");

  g_assert_null (result->token);
  g_assert_true (result->tfa);
  g_assert_null (result->tfa_key);
  g_assert_true (g_str_has_prefix (result->confirm_url,
                                   "https://docspace.example.com/confirm/TfaAuth"));
  g_assert_true (dsl_auth_result_needs_code (result));
}

static void
test_auth_tfa_setup (void)
{
  g_autoptr(DslAuthResult) result = load_auth ("auth-tfa-setup.json");

  g_assert_null (result->token);
  g_assert_true (result->tfa);
  g_assert_cmpstr (result->tfa_key, ==, "JBSWY3DPEHPK3PXP");
  g_assert_nonnull (result->confirm_url);
  /* Setup must happen in a browser first: no code to ask for. */
  g_assert_false (dsl_auth_result_needs_code (result));
}

static void
test_auth_sms (void)
{
  g_autoptr(DslAuthResult) result = load_auth ("auth-sms.json");

  g_assert_null (result->token);
  g_assert_true (result->sms);
  g_assert_false (result->tfa);
  g_assert_cmpstr (result->phone_noise, ==, "+7 *** *** ** 45");
  assert_date (result->expires, 2026, 6, 30, 13, 50, 12, 0, HOURS (3));
  g_assert_true (dsl_auth_result_needs_code (result));
}

static void
test_auth_neither_token_nor_factor (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"sms\":false,\"tfa\":false}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAuthResult) result = dsl_json_parse_auth_result (node, &error);

  g_assert_null (result);
  assert_invalid_response (error, "token");
}

/* ------------------------------------------------------------------------------------------ */
/* Audit events */

static GPtrArray *
load_audit_events (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("audit-events.json");
  g_autoptr(GError) error = NULL;
  GPtrArray *events = dsl_json_parse_audit_events (envelope->response, &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

static void
test_audit_events (void)
{
  g_autoptr(GPtrArray) events = load_audit_events ();
  DslAuditEvent *created;
  const char * const *target;
  const int *entries;
  gsize n_entries = 0;

  g_assert_cmpuint (events->len, ==, 3);
  created = g_ptr_array_index (events, 1);

  g_assert_cmpint (dsl_audit_event_get_id (created), ==, 48190);
  assert_date (dsl_audit_event_get_date (created), 2026, 6, 30, 10, 2, 3, 456000, HOURS (3));
  g_assert_cmpstr (dsl_audit_event_get_user (created), ==, "Jane Doe");
  g_assert_cmpstr (dsl_audit_event_get_user_id (created), ==, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  g_assert_cmpint (dsl_audit_event_get_action_id (created), ==,
                   DSL_AUDIT_ACTION_FILE_EXTERNAL_LINK_CREATED);
  g_assert_cmpint (dsl_audit_event_get_action_type (created), ==, 1);
  g_assert_cmpint (dsl_audit_event_get_product (created), ==, 2);
  g_assert_cmpint (dsl_audit_event_get_location (created), ==, 1);
  g_assert_cmpstr (dsl_audit_event_get_ip (created), ==, "198.51.100.23");
  g_assert_cmpstr (dsl_audit_event_get_browser (created), ==, "Chrome 126.0");
  g_assert_cmpstr (dsl_audit_event_get_platform (created), ==, "Windows 10");
  g_assert_cmpstr (dsl_audit_event_get_context (created), ==, "Rooms: Marketing");
  g_assert_true (g_str_has_prefix (dsl_audit_event_get_action (created), "Files [Q3.docx]."));

  target = dsl_audit_event_get_target (created);
  g_assert_cmpuint (g_strv_length ((GStrv) target), ==, 2);
  g_assert_cmpstr (target[0], ==, "1601");
  g_assert_cmpstr (target[1], ==, "1573");
  g_assert_true (dsl_audit_event_has_target (created, "1573"));
  g_assert_false (dsl_audit_event_has_target (created, "157"));

  entries = dsl_audit_event_get_entries (created, &n_entries);
  g_assert_cmpuint (n_entries, ==, 2);
  g_assert_cmpint (entries[0], ==, 1);
  g_assert_cmpint (entries[1], ==, 2);
  g_assert_false (dsl_audit_event_is_anonymous (created));
}

static void
test_audit_target_single_string (void)
{
  g_autoptr(GPtrArray) events = load_audit_events ();
  DslAuditEvent *revoked = g_ptr_array_index (events, 2);
  const char * const *target = dsl_audit_event_get_target (revoked);
  gsize n_entries = 0;
  const int *entries = dsl_audit_event_get_entries (revoked, &n_entries);

  g_assert_cmpuint (g_strv_length ((GStrv) target), ==, 1);
  g_assert_cmpstr (target[0], ==, "1502");
  g_assert_cmpint (dsl_audit_event_get_action_id (revoked), ==,
                   DSL_AUDIT_ACTION_ROOM_EXTERNAL_LINK_REVOKED);
  g_assert_cmpuint (n_entries, ==, 1);
  g_assert_cmpint (entries[0], ==, 25);
  /* Optional members absent: NULL. */
  g_assert_null (dsl_audit_event_get_ip (revoked));
  assert_date (dsl_audit_event_get_date (revoked), 2026, 6, 29, 8, 0, 0, 0, 0);
}

static void
test_audit_anonymous (void)
{
  g_autoptr(GPtrArray) events = load_audit_events ();
  DslAuditEvent *download = g_ptr_array_index (events, 0);

  g_assert_true (dsl_audit_event_is_anonymous (download));
  g_assert_cmpstr (dsl_audit_event_get_user (download), ==, "Anonymous");
  g_assert_cmpint (dsl_audit_event_get_action_id (download), ==, DSL_AUDIT_ACTION_FILE_DOWNLOADED);
  g_assert_cmpint (dsl_audit_event_get_action_type (download), ==, 12);
  g_assert_true (dsl_audit_event_has_target (download, "1601"));
  g_assert_false (dsl_audit_event_is_anonymous (g_ptr_array_index (events, 2)));
}

static void
test_audit_entries_mistyped (void)
{
  g_autoptr(JsonNode) node = parse_json ("[{\"id\":1,\"entries\":[1,\"File\"]}]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = dsl_json_parse_audit_events (node, &error);

  g_assert_null (events);
  assert_invalid_response (error, "[0].entries[1]");
}

/* ------------------------------------------------------------------------------------------ */
/* Dates */

static GDateTime *
parse_date_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  GDateTime *date = dsl_json_parse_date (text, "date", &error);

  g_assert_no_error (error);
  g_assert_nonnull (date);
  return date;
}

static void
test_date_server_format (void)
{
  g_autoptr(GDateTime) date = parse_date_ok ("2026-06-30T13:45:12.0000000+03:00");

  assert_date (date, 2026, 6, 30, 13, 45, 12, 0, HOURS (3));
  g_assert_cmpint (g_date_time_to_unix (date), ==, 1782816312);
}

static void
test_date_seven_digits (void)
{
  g_autoptr(GDateTime) date = parse_date_ok ("2026-06-30T13:45:12.9876543+03:00");

  assert_date (date, 2026, 6, 30, 13, 45, 12, 987654, HOURS (3));
}

static void
test_date_utc_z (void)
{
  g_autoptr(GDateTime) date = parse_date_ok ("2026-07-01T15:00:00Z");

  assert_date (date, 2026, 7, 1, 15, 0, 0, 0, 0);
}

static void
test_date_short_fraction (void)
{
  g_autoptr(GDateTime) three = parse_date_ok ("2026-07-01T15:00:00.123Z");
  g_autoptr(GDateTime) one = parse_date_ok ("2026-07-01T15:00:00.5+05:30");

  assert_date (three, 2026, 7, 1, 15, 0, 0, 123000, 0);
  assert_date (one, 2026, 7, 1, 15, 0, 0, 500000, HOURS (5) + 30 * G_TIME_SPAN_MINUTE);
}

static void
test_date_negative_offset (void)
{
  g_autoptr(GDateTime) date = parse_date_ok ("2026-01-15T08:30:00-04:00");

  assert_date (date, 2026, 1, 15, 8, 30, 0, 0, HOURS (-4));
  g_assert_cmpint (g_date_time_to_unix (date), ==, 1768480200);
}

static void
test_date_date_only (void)
{
  g_autoptr(GDateTime) date = parse_date_ok ("2026-06-01");

  assert_date (date, 2026, 6, 1, 0, 0, 0, 0, 0);
}

static void
test_date_invalid (void)
{
  const char *bad[] = {
    "", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30", "2026-06-30T25:00:00Z",
    "2026-06-30T13:45:12.+03:00", "2026-06-30T13:45:12.0000000+03:00junk", "2026/06/30",
    /* no UTC equivalent */
    "9999-12-31T23:59:59-23:59",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) date = dsl_json_parse_date (bad[i], "sharedLink.expirationDate", &error);

      g_assert_null (date);
      assert_invalid_response (error, "sharedLink.expirationDate");
    }
}

static void
test_date_invalid_in_link (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"access\":2,\"subjectType\":1,\"sharedLink\":"
                                         "{\"id\":\"x\",\"expirationDate\":\"soon\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = dsl_json_parse_link (node, &error);

  g_assert_null (link);
  assert_invalid_response (error, "sharedLink.expirationDate");
}

static void
test_date_format (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) date = g_date_time_new (tz, 2026, 7, 1, 18, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 7, 1, 15, 0, 0);
  g_autoptr(GDateTime) precise = NULL;
  g_autofree char *text = dsl_json_format_date (date);
  g_autofree char *utc_text = dsl_json_format_date (utc);
  g_autofree char *precise_text = NULL;

  g_assert_cmpstr (text, ==, "2026-07-01T18:00:00.0000000+03:00");
  g_assert_cmpstr (utc_text, ==, "2026-07-01T15:00:00.0000000+00:00");

  precise = g_date_time_add (date, 123456);
  precise_text = dsl_json_format_date (precise);
  g_assert_cmpstr (precise_text, ==, "2026-07-01T18:00:00.1234560+03:00");
}

static void
test_date_round_trip (void)
{
  const char *text = "2026-12-31T23:59:59.1234560-05:00";
  g_autoptr(GDateTime) date = parse_date_ok (text);
  g_autofree char *again = dsl_json_format_date (date);

  g_assert_cmpstr (again, ==, text);
}

static void
test_date_min_value_is_never (void)
{
  /* .NET DateTime.MinValue means "never": no date, not an error. */
  g_autoptr(JsonNode) node = parse_json ("{\"id\":\"k\",\"lastUsed\":\"0001-01-01T00:00:00.0000000+03:00\","
                                         "\"expiresAt\":\"2026-09-01T10:00:00.0000000+03:00\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslKeyInfo) key = dsl_json_parse_key_info (node, &error);

  g_assert_no_error (error);
  g_assert_null (dsl_key_info_get_last_used (key));
  assert_date (dsl_key_info_get_expires_at (key), 2026, 9, 1, 10, 0, 0, 0, HOURS (3));
}

static void
test_date_object_shape (void)
{
  /* The SDKs' {utcTime, timeZoneOffset} shape is read through utcTime. */
  g_autoptr(JsonNode) node = parse_json ("{\"access\":2,\"subjectType\":1,\"sharedLink\":{\"id\":\"x\","
                                         "\"expirationDate\":{\"utcTime\":\"2026-07-01T15:00:00Z\","
                                         "\"timeZoneOffset\":\"03:00:00\"}}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = dsl_json_parse_link (node, &error);

  g_assert_no_error (error);
  assert_date (dsl_link_get_expiration_date (link), 2026, 7, 1, 15, 0, 0, 0, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Mistyped or missing members */

static void
test_invalid_link_id_not_string (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("link-mistyped-id.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = dsl_json_parse_link (envelope->response, &error);

  g_assert_null (link);
  assert_invalid_response (error, "sharedLink.id");
  g_assert_nonnull (strstr (error->message, "is not"));
}

static void
test_invalid_link_missing_access (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("link-missing-access.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = dsl_json_parse_link (envelope->response, &error);

  g_assert_null (link);
  assert_invalid_response (error, "access");
  g_assert_nonnull (strstr (error->message, "is missing"));
}

static void
test_invalid_link_missing_shared_link (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"access\":1,\"subjectType\":0}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = dsl_json_parse_link (node, &error);

  g_assert_null (link);
  assert_invalid_response (error, "sharedLink");
}

static void
test_invalid_link_missing_subject_type (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"access\":2,\"sharedLink\":{\"id\":\"x\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = dsl_json_parse_link (node, &error);

  g_assert_null (link);
  assert_invalid_response (error, "subjectType");
}

static void
test_invalid_link_unknown_access (void)
{
  /* An unknown role must not become None (that value deletes a link when sent back). */
  g_autoptr(JsonNode) node = parse_json ("{\"access\":42,\"subjectType\":1,"
                                         "\"sharedLink\":{\"id\":\"x\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = dsl_json_parse_link (node, &error);

  g_assert_null (link);
  assert_invalid_response (error, "access");
}

static void
test_invalid_link_in_list (void)
{
  g_autoptr(JsonNode) node = parse_json ("[{\"access\":2,\"subjectType\":4,\"sharedLink\":{\"id\":\"a\"}},"
                                         "{\"access\":2,\"subjectType\":1,\"sharedLink\":{\"id\":\"b\","
                                         "\"denyDownload\":\"yes\"}}]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = dsl_json_parse_links (node, &error);

  g_assert_null (links);
  assert_invalid_response (error, "[1].sharedLink.denyDownload");
}

static void
test_invalid_links_not_array (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"access\":2}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = dsl_json_parse_links (node, &error);

  g_assert_null (links);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "an array"));
}

static void
test_invalid_files_not_array (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("folder-files-object.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = dsl_json_parse_folder_page (envelope->response, &error);

  g_assert_null (page);
  assert_invalid_response (error, "files");
  g_assert_nonnull (strstr (error->message, "is not an array"));
}

static void
test_invalid_file_title_not_string (void)
{
  g_autoptr(DslEnvelope) envelope = load_envelope ("folder-file-title-number.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = dsl_json_parse_folder_page (envelope->response, &error);

  g_assert_null (page);
  assert_invalid_response (error, "files[3].title");
  g_assert_nonnull (strstr (error->message, "is not a string"));
}

static void
test_invalid_folder_page_without_lists (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"startIndex\":0,\"count\":0,\"total\":0}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = dsl_json_parse_folder_page (node, &error);

  g_assert_null (page);
  assert_invalid_response (error, "files");
}

static void
test_invalid_share_settings_value (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"id\":1,\"title\":\"t\",\"fileEntryType\":2,"
                                         "\"shareSettings\":{\"ExternalLink\":\"five\"}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) item = dsl_json_parse_item (node, &error);

  g_assert_null (item);
  assert_invalid_response (error, "shareSettings.ExternalLink");
}

static void
test_invalid_item_not_object (void)
{
  g_autoptr(JsonNode) node = parse_json ("[1,2]");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) item = dsl_json_parse_item (node, &error);

  g_assert_null (item);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "expected an object"));
}

static void
test_null_members_are_absent (void)
{
  g_autoptr(JsonNode) node = parse_json ("{\"id\":5,\"title\":\"t\",\"fileEntryType\":1,"
                                         "\"created\":null,\"shareSettings\":null,"
                                         "\"parentId\":null,\"unknownThing\":{\"x\":[1]}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) item = dsl_json_parse_item (node, &error);

  g_assert_no_error (error);
  g_assert_null (dsl_item_get_created (item));
  g_assert_null (dsl_item_get_parent_id (item));
  g_assert_cmpint (dsl_item_get_kind (item), ==, DSL_ITEM_KIND_FOLDER);
}

/* ------------------------------------------------------------------------------------------ */
/* Link request bodies */

static JsonObject *
request_object (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static void
assert_int_member (JsonObject *object,
                   const char *member,
                   gint64      value)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (node), ==, value);
}

static void
test_request_new_link (void)
{
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  dsl_link_set_title (state, "For the agency");
  dsl_link_set_access (state, DSL_ACCESS_EDITING);

  node = dsl_json_build_link_request (state, FALSE);
  object = request_object (node);

  g_assert_false (json_object_has_member (object, "linkId"));
  assert_int_member (object, "access", 10);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "For the agency");
  g_assert_false (json_object_has_member (object, "expirationDate"));
  g_assert_false (json_object_has_member (object, "password"));
  g_assert_false (json_object_get_boolean_member (object, "denyDownload"));
  g_assert_false (json_object_get_boolean_member (object, "internal"));
  g_assert_false (json_object_has_member (object, "linkType"));
  g_assert_false (json_object_has_member (object, "maxUseCount"));
}

static void
test_request_update_link (void)
{
  g_autoptr(GPtrArray) links = load_links ("file-links.json");
  g_autoptr(DslLink) state = dsl_link_copy (g_ptr_array_index (links, 1));
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  dsl_link_set_deny_download (state, TRUE);
  node = dsl_json_build_link_request (state, FALSE);
  object = request_object (node);

  g_assert_cmpstr (json_object_get_string_member (object, "linkId"), ==,
                   "0f9e8d7c-6b5a-4c3d-2e1f-0a9b8c7d6e5f");
  assert_int_member (object, "access", DSL_ACCESS_EDITING);
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Editors (agency)");
  /* A string with the offset, never the SDK's object shape. */
  g_assert_cmpstr (json_object_get_string_member (object, "expirationDate"), ==,
                   "2026-07-01T18:00:00.0000000+03:00");
  g_assert_cmpstr (json_object_get_string_member (object, "password"), ==, "Secr3t!pass");
  g_assert_true (json_object_get_boolean_member (object, "denyDownload"));

  /* Serialised compactly, with access as a bare number. */
  text = dsl_json_to_string (node);
  g_assert_nonnull (strstr (text, "\"access\":10"));
  g_assert_null (strchr (text, '\n'));
}

static void
test_request_empty_password_omitted (void)
{
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(JsonNode) node = NULL;

  dsl_link_set_id (state, "abc");
  dsl_link_set_password (state, "");
  node = dsl_json_build_link_request (state, FALSE);

  g_assert_false (json_object_has_member (request_object (node), "password"));
  g_assert_cmpstr (json_object_get_string_member (request_object (node), "linkId"), ==, "abc");
  /* dsl_link_new: access Read */
  assert_int_member (request_object (node), "access", DSL_ACCESS_READ);
}

static void
test_request_delete (void)
{
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(JsonNode) node = NULL;

  dsl_link_set_id (state, "6a3b0f5e-2c1d-4e8f-9a7b-1c2d3e4f5a6b");
  dsl_link_set_access (state, DSL_ACCESS_NONE);
  node = dsl_json_build_link_request (state, TRUE);

  assert_int_member (request_object (node), "access", 0);
  assert_int_member (request_object (node), "linkType", DSL_LINK_TYPE_EXTERNAL);
}

static void
test_request_room_invitation (void)
{
  g_autoptr(GPtrArray) links = load_links ("room-links.json");
  g_autoptr(DslLink) state = dsl_link_copy (g_ptr_array_index (links, 0));
  g_autoptr(JsonNode) node = dsl_json_build_link_request (state, TRUE);
  JsonObject *object = request_object (node);

  assert_int_member (object, "linkType", 0);
  assert_int_member (object, "maxUseCount", 10);
  assert_int_member (object, "access", DSL_ACCESS_CONTENT_CREATOR);
  g_assert_cmpstr (json_object_get_string_member (object, "expirationDate"), ==,
                   "2026-08-15T12:00:00.0000000+00:00");
}

static void
test_request_room_external (void)
{
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  dsl_link_set_max_use_count (state, 5);   /* ignored for external links */
  node = dsl_json_build_link_request (state, TRUE);
  object = request_object (node);

  assert_int_member (object, "linkType", 1);
  g_assert_false (json_object_has_member (object, "maxUseCount"));
}

/* ------------------------------------------------------------------------------------------ */
/* DslLink model */

static void
test_link_new_defaults (void)
{
  g_autoptr(DslLink) link = dsl_link_new ();

  g_assert_null (dsl_link_get_id (link));
  g_assert_cmpint (dsl_link_get_access (link), ==, DSL_ACCESS_READ);
  g_assert_cmpint (dsl_link_get_link_type (link), ==, DSL_LINK_TYPE_EXTERNAL);
  g_assert_cmpint (dsl_link_get_subject_type (link), ==, DSL_SUBJECT_TYPE_EXTERNAL_LINK);
  g_assert_cmpint (dsl_link_get_max_use_count (link), ==, -1);
  g_assert_cmpint (dsl_link_get_current_use_count (link), ==, -1);
  g_assert_null (dsl_link_get_expiration_date (link));
}

static void
test_link_copy_is_deep (void)
{
  g_autoptr(GPtrArray) links = load_links ("file-links.json");
  DslLink *original = g_ptr_array_index (links, 1);
  g_autoptr(DslLink) copy = dsl_link_copy (original);

  g_assert_true (copy != original);
  g_assert_true (dsl_link_state_equal (original, copy));
  g_assert_cmpstr (dsl_link_get_password (copy), ==, "Secr3t!pass");
  g_assert_cmpstr (dsl_link_get_share_link (copy), ==, dsl_link_get_share_link (original));
  g_assert_true (dsl_link_get_can_edit_expiration_date (copy));

  dsl_link_set_title (copy, "Renamed");
  g_assert_cmpstr (dsl_link_get_title (original), ==, "Editors (agency)");
  g_assert_false (dsl_link_state_equal (original, copy));
}

static void
test_link_state_equal_rules (void)
{
  g_autoptr(DslLink) a = dsl_link_new ();
  g_autoptr(DslLink) b = NULL;
  g_autoptr(GTimeZone) plus3 = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) local = g_date_time_new (plus3, 2026, 7, 1, 18, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 7, 1, 15, 0, 0.25);
  g_autoptr(GDateTime) later = g_date_time_new_utc (2026, 7, 1, 15, 0, 1);

  dsl_link_set_id (a, "x");
  dsl_link_set_expiration_date (a, local);
  dsl_link_set_password (a, NULL);
  b = dsl_link_copy (a);

  /* Same instant, other offset, sub-second noise: equal. */
  dsl_link_set_expiration_date (b, utc);
  g_assert_true (dsl_link_state_equal (a, b));
  /* One second later: different. */
  dsl_link_set_expiration_date (b, later);
  g_assert_false (dsl_link_state_equal (a, b));
  dsl_link_set_expiration_date (b, local);

  /* NULL and "" passwords are the same: no password. */
  dsl_link_set_password (b, "");
  g_assert_true (dsl_link_state_equal (a, b));
  dsl_link_set_password (b, "p4ssw0rd!");
  g_assert_false (dsl_link_state_equal (a, b));
  dsl_link_set_password (b, NULL);

  /* Server-computed and display-only fields do not count. */
  dsl_link_set_is_expired (b, TRUE);
  dsl_link_set_share_link (b, "https://elsewhere/s/1");
  dsl_link_set_current_use_count (b, 9);
  g_assert_true (dsl_link_state_equal (a, b));

  dsl_link_set_internal (b, TRUE);
  g_assert_false (dsl_link_state_equal (a, b));
  dsl_link_set_internal (b, FALSE);
  dsl_link_set_max_use_count (b, 3);
  g_assert_false (dsl_link_state_equal (a, b));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *counter)
{
  (*counter)++;
}

static void
test_link_notify_only_on_change (void)
{
  g_autoptr(DslLink) link = dsl_link_new ();
  guint title_changes = 0;
  guint access_changes = 0;

  g_signal_connect (link, "notify::title", G_CALLBACK (count_notify), &title_changes);
  g_signal_connect (link, "notify::access", G_CALLBACK (count_notify), &access_changes);

  dsl_link_set_title (link, "A");
  dsl_link_set_title (link, "A");
  g_object_set (link, "title", "A", NULL);
  g_assert_cmpuint (title_changes, ==, 1);

  dsl_link_set_access (link, DSL_ACCESS_READ);   /* the default: no change */
  g_assert_cmpuint (access_changes, ==, 0);
  g_object_set (link, "access", DSL_ACCESS_REVIEW, NULL);
  g_assert_cmpuint (access_changes, ==, 1);
  g_assert_cmpint (dsl_link_get_access (link), ==, DSL_ACCESS_REVIEW);
}

static void
test_item_properties (void)
{
  g_autoptr(DslItem) item = dsl_item_new (DSL_ITEM_KIND_ROOM, "1502", "Press kit");
  g_autofree char *title = NULL;
  DslRoomType room_type = DSL_ROOM_TYPE_NONE;
  guint changes = 0;

  g_signal_connect (item, "notify::title", G_CALLBACK (count_notify), &changes);
  g_object_set (item, "room-type", DSL_ROOM_TYPE_PUBLIC, "title", "Press kit", NULL);
  g_assert_cmpuint (changes, ==, 0);
  g_object_get (item, "title", &title, "room-type", &room_type, NULL);
  g_assert_cmpstr (title, ==, "Press kit");
  g_assert_cmpint (room_type, ==, DSL_ROOM_TYPE_PUBLIC);
  g_assert_cmpint (dsl_item_get_size (item), ==, -1);
  g_assert_true (dsl_item_is_container (item));
}

static void
count_any_notify (GObject    *object,
                  GParamSpec *pspec,
                  GPtrArray  *names)
{
  g_ptr_array_add (names, (gpointer) g_param_spec_get_name (pspec));
}

static gboolean
names_contain (GPtrArray  *names,
               const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;
  return FALSE;
}

/* Issue 12 rule 3: the server leaves out a subject type whose limit is 0 (FileEntryDto.cs):
 * a form-filling room's file says {"PrimaryExternalLink":1} only, which means no additional
 * links; without shareSettings nothing is known. */
static void
test_item_share_settings_zero_left_out (void)
{
  g_autoptr(JsonNode) form = parse_json ("{\"id\":321,\"title\":\"Form.pdf\","
                                         "\"fileEntryType\":2,\"canShare\":true,"
                                         "\"shareSettings\":{\"PrimaryExternalLink\":1}}");
  g_autoptr(JsonNode) none = parse_json ("{\"id\":322,\"title\":\"Other.pdf\","
                                         "\"fileEntryType\":2,\"canShare\":false}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) a = dsl_json_parse_item (form, &error);
  g_autoptr(DslItem) b = NULL;
  g_autofree char *limit = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (dsl_item_get_link_limit (a, DSL_SUBJECT_TYPE_EXTERNAL_LINK), ==, 0);
  g_assert_cmpint (dsl_item_get_link_limit (a, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK), ==, 1);
  g_assert_cmpint (dsl_link_form_links_left (a, NULL), ==, 0);
  limit = dsl_link_form_describe_limit (a);
  g_assert_cmpstr (limit, ==, "This item cannot have additional links");
  b = dsl_json_parse_item (none, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dsl_item_get_link_limit (b, DSL_SUBJECT_TYPE_EXTERNAL_LINK), ==, -1);
}

/* dsl_item_update_from: what a refresh does to an item whose id is still there. */
static void
test_item_update_from (void)
{
  g_autoptr(DslFolderPage) first = load_folder_page ("rooms.json");
  g_autoptr(DslFolderPage) again = load_folder_page ("rooms.json");
  g_autoptr(JsonNode) node = parse_json ("{\"id\":1502,\"title\":\"Press kit 2026\","
                                         "\"fileEntryType\":1,\"roomType\":6,\"parentId\":3,"
                                         "\"rootFolderType\":14,\"canShare\":true,"
                                         "\"shared\":true,\"sharedExternal\":false,"
                                         "\"shareSettings\":{\"ExternalLink\":2},"
                                         "\"availableShareRights\":{\"ExternalLink\":[]},"
                                         "\"security\":{\"Read\":true}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) renamed = dsl_json_parse_item (node, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  DslItem *press = g_ptr_array_index (first->items, 0);
  const DslAccess *rights;
  gsize n_rights = 99;

  g_assert_no_error (error);
  g_signal_connect (press, "notify", G_CALLBACK (count_any_notify), names);

  /* The same answer again: nothing changes, nothing is notified. */
  dsl_item_update_from (press, g_ptr_array_index (again->items, 0));
  g_assert_cmpuint (names->len, ==, 0);
  dsl_item_update_from (press, press);
  g_assert_cmpuint (names->len, ==, 0);

  /* A renamed room that lost its public link and most fields: each change once. */
  dsl_item_update_from (press, renamed);
  g_assert_true (names_contain (names, "title"));
  g_assert_true (names_contain (names, "shared-external"));
  g_assert_true (names_contain (names, "files-count"));
  g_assert_true (names_contain (names, "updated"));
  g_assert_true (names_contain (names, "short-web-url"));
  g_assert_false (names_contain (names, "id"));
  g_assert_false (names_contain (names, "kind"));
  g_assert_false (names_contain (names, "room-type"));
  g_assert_false (names_contain (names, "shared"));
  g_assert_false (names_contain (names, "can-share"));
  for (guint i = 0; i < names->len; i++)
    for (guint j = i + 1; j < names->len; j++)
      g_assert_cmpstr (g_ptr_array_index (names, i), !=, g_ptr_array_index (names, j));

  g_assert_cmpstr (dsl_item_get_title (press), ==, "Press kit 2026");
  g_assert_false (dsl_item_get_shared_external (press));
  g_assert_cmpint (dsl_item_get_files_count (press), ==, -1);
  g_assert_null (dsl_item_get_updated (press));
  g_assert_null (dsl_item_get_created_by (press));
  g_assert_cmpint (dsl_item_get_link_limit (press, DSL_SUBJECT_TYPE_EXTERNAL_LINK), ==, 2);
  g_assert_cmpint (dsl_item_get_link_limit (press, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK), ==, -1);
  /* An empty list sent stays an empty list; a list not sent is gone. */
  rights = dsl_item_get_share_rights (press, DSL_SUBJECT_TYPE_EXTERNAL_LINK, &n_rights);
  g_assert_nonnull (rights);
  g_assert_cmpuint (n_rights, ==, 0);
  g_assert_null (dsl_item_get_share_rights (press, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK, NULL));
  g_assert_true (dsl_item_get_security (press, "Read"));
  g_assert_false (dsl_item_get_security (press, "EditAccess"));

  /* And back: the original values return. */
  g_ptr_array_set_size (names, 0);
  dsl_item_update_from (press, g_ptr_array_index (again->items, 0));
  g_assert_true (names_contain (names, "title"));
  g_assert_cmpstr (dsl_item_get_title (press), ==, "Press kit");
  g_assert_true (dsl_item_get_security (press, "EditAccess"));
  g_assert_cmpint (dsl_item_get_link_limit (press, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK), ==, 1);
  g_signal_handlers_disconnect_by_func (press, count_any_notify, names);
}

/* ------------------------------------------------------------------------------------------ */
/* Enum names */

static void
test_enums_access_names (void)
{
  DslAccess access = DSL_ACCESS_NONE;

  g_assert_true (dsl_access_from_name ("Editing", &access));
  g_assert_cmpint (access, ==, DSL_ACCESS_EDITING);
  g_assert_true (dsl_access_from_name ("fillforms", &access));
  g_assert_cmpint (access, ==, DSL_ACCESS_FILL_FORMS);
  /* older aliases */
  g_assert_true (dsl_access_from_name ("RoomAdmin", &access));
  g_assert_cmpint (access, ==, DSL_ACCESS_ROOM_MANAGER);
  g_assert_true (dsl_access_from_name ("PowerUser", &access));
  g_assert_cmpint (access, ==, DSL_ACCESS_CONTENT_CREATOR);
  g_assert_true (dsl_access_from_name ("FullAccess", &access));
  g_assert_cmpint (access, ==, DSL_ACCESS_READ_WRITE);
  g_assert_true (dsl_access_from_name ("ReadOnly", &access));
  g_assert_cmpint (access, ==, DSL_ACCESS_READ);
  g_assert_true (dsl_access_from_name ("DenyAccess", &access));
  g_assert_cmpint (access, ==, DSL_ACCESS_RESTRICT);
  g_assert_false (dsl_access_from_name ("Owner", &access));

  g_assert_cmpstr (dsl_access_to_name (DSL_ACCESS_READ), ==, "Read");
  g_assert_cmpstr (dsl_access_to_name (DSL_ACCESS_ROOM_MANAGER), ==, "RoomManager");
  g_assert_cmpstr (dsl_access_to_name (DSL_ACCESS_CONTENT_CREATOR), ==, "ContentCreator");
  g_assert_null (dsl_access_to_name ((DslAccess) 42));
}

static void
test_enums_subject_type_names (void)
{
  DslSubjectType type = DSL_SUBJECT_TYPE_USER;

  g_assert_true (dsl_subject_type_from_name ("PrimaryExternalLink", &type));
  g_assert_cmpint (type, ==, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK);
  g_assert_true (dsl_subject_type_from_name ("invitationlink", &type));
  g_assert_cmpint (type, ==, DSL_SUBJECT_TYPE_INVITATION_LINK);
  g_assert_false (dsl_subject_type_from_name ("Robot", &type));
  g_assert_cmpstr (dsl_subject_type_to_name (DSL_SUBJECT_TYPE_GROUP), ==, "Group");
  g_assert_cmpstr (dsl_subject_type_to_name (DSL_SUBJECT_TYPE_EXTERNAL_LINK), ==, "ExternalLink");

  g_assert_true (dsl_room_type_is_valid (6));
  g_assert_false (dsl_room_type_is_valid (3));
  g_assert_false (dsl_room_type_is_valid (0));
}

/* Strings that arrive broken come out valid UTF-8 without control characters (tab and newline
 * stay): a lone surrogate escape, raw invalid bytes, C0 and C1 controls. */
static void
test_strings_made_valid (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GDateTime) date = NULL;
  /* json-glib 1.6 takes a lone surrogate escape as the surrogate's bytes (and eats the
   * character after it); 1.10 (Debian 13) refuses it with a parse error, so nothing broken gets
   * through, and only the controls are left to check. Both refuse raw bytes that are not
   * UTF-8. */
  const char *text =
    "{\"id\":\"f\\ud800xg\",\"title\":\"A\\ud800xB\\u0007C\\r\\nD\\tE\\u0085F\",\"fileEntryType\":2,"
    "\"createdBy\":{\"displayName\":\"\\udc00xAnn\\u001b[31m\"},\"webUrl\":\"https://x\\u0001y\"}";
  const char *without_surrogates =
    "{\"id\":\"fxg\",\"title\":\"AxB\\u0007C\\r\\nD\\tE\\u0085F\",\"fileEntryType\":2,"
    "\"createdBy\":{\"displayName\":\"xAnn\\u001b[31m\"},\"webUrl\":\"https://x\\u0001y\"}";
  gboolean surrogates;

  surrogates = json_parser_load_from_data (parser, text, -1, &error);
  if (!surrogates)
    {
      g_assert_true (error->domain == JSON_PARSER_ERROR);
      g_test_message ("this json-glib refuses lone surrogates: %s", error->message);
      g_clear_error (&error);
      json_parser_load_from_data (parser, without_surrogates, -1, &error);
    }
  g_assert_no_error (error);

  item = dsl_json_parse_item (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (dsl_item_get_id (item), -1, NULL));
  g_assert_true (g_utf8_validate (dsl_item_get_title (item), -1, NULL));
  if (surrogates)
    {
      g_assert_true (g_str_has_prefix (dsl_item_get_id (item), "f\xef\xbf\xbd"));
      g_assert_true (g_str_has_suffix (dsl_item_get_id (item), "\xef\xbf\xbdg"));
      g_assert_true (g_str_has_prefix (dsl_item_get_title (item), "A\xef\xbf\xbd"));
      g_assert_true (g_str_has_suffix (dsl_item_get_title (item), "\xef\xbf\xbd" "BC\nD\tEF"));
      g_assert_true (g_str_has_suffix (dsl_item_get_created_by (item), "\xef\xbf\xbd" "Ann[31m"));
    }
  else
    {
      g_assert_cmpstr (dsl_item_get_id (item), ==, "fxg");
      g_assert_cmpstr (dsl_item_get_title (item), ==, "AxBC\nD\tEF");
      g_assert_cmpstr (dsl_item_get_created_by (item), ==, "xAnn[31m");
    }
  g_assert_cmpstr (dsl_item_get_web_url (item), ==, "https://xy");

  /* a date that does not parse is quoted in the message: valid UTF-8, cut at a character */
  date = dsl_json_parse_date ("\xff\xfe\x01 2026-13-45 \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                              "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                              "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                              "created", &error);
  g_assert_null (date);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* FilesSettingsDto's sharing members: what a portal leaves out keeps the server's default; a
 * member of the wrong type is refused, not guessed. */
static void
test_sharing_policy (void)
{
  g_autoptr(JsonNode) older = parse_json ("{\"externalShare\": false, "
                                          "\"storeOriginalFiles\": true}");
  g_autoptr(JsonNode) full = parse_json ("{\"externalShare\": true, "
                                         "\"externalShareApplyToDocuments\": false, "
                                         "\"externalShareApplyToRooms\": false, "
                                         "\"blockExistingLinksOnRestrict\": false, "
                                         "\"defaultShareLinkInternal\": true}");
  g_autoptr(JsonNode) mistyped = parse_json ("{\"externalShare\": \"no\"}");
  g_autoptr(JsonNode) not_object = parse_json ("[true]");
  g_autoptr(DslSharingPolicy) a = NULL;
  g_autoptr(DslSharingPolicy) b = NULL;
  g_autoptr(DslSharingPolicy) c = NULL;
  g_autoptr(DslSharingPolicy) d = NULL;
  g_autoptr(GError) error = NULL;

  a = dsl_json_parse_sharing_policy (older, &error);
  g_assert_no_error (error);
  g_assert_false (a->external_share);
  g_assert_true (a->apply_to_documents);
  g_assert_true (a->apply_to_rooms);
  g_assert_true (a->block_existing);
  g_assert_false (a->default_internal);

  b = dsl_json_parse_sharing_policy (full, &error);
  g_assert_no_error (error);
  g_assert_true (b->external_share);
  g_assert_false (b->apply_to_documents);
  g_assert_false (b->apply_to_rooms);
  g_assert_false (b->block_existing);
  g_assert_true (b->default_internal);

  c = dsl_json_parse_sharing_policy (mistyped, &error);
  g_assert_null (c);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  d = dsl_json_parse_sharing_policy (not_object, &error);
  g_assert_null (d);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dsl/core/json/file-links-skip-user-shares", test_file_links_skip_user_shares);
  g_test_add_func ("/dsl/core/json/file-links-primary", test_file_links_primary);
  g_test_add_func ("/dsl/core/json/file-links-password-and-expiry", test_file_links_password_and_expiry);
  g_test_add_func ("/dsl/core/json/file-links-expired", test_file_links_expired);
  g_test_add_func ("/dsl/core/json/file-links-internal", test_file_links_internal);
  g_test_add_func ("/dsl/core/json/file-links-deny-download", test_file_links_deny_download);
  g_test_add_func ("/dsl/core/json/file-links-envelope-counts", test_file_links_envelope_counts);
  g_test_add_func ("/dsl/core/json/single-link", test_single_link);
  g_test_add_func ("/dsl/core/json/folder-links", test_folder_links);
  g_test_add_func ("/dsl/core/json/room-links-invitation", test_room_links_invitation);
  g_test_add_func ("/dsl/core/json/room-links-revocable-primary", test_room_links_revocable_primary);
  g_test_add_func ("/dsl/core/json/link-primary-from-subject-type", test_link_primary_from_subject_type);

  g_test_add_func ("/dsl/core/json/rooms-kinds-and-types", test_rooms_kinds_and_types);
  g_test_add_func ("/dsl/core/json/rooms-current-and-paging", test_rooms_current_and_paging);
  g_test_add_func ("/dsl/core/json/rooms-link-limits", test_rooms_link_limits);
  g_test_add_func ("/dsl/core/json/rooms-share-rights", test_rooms_share_rights);
  g_test_add_func ("/dsl/core/json/rooms-security", test_rooms_security);
  g_test_add_func ("/dsl/core/json/folder-order", test_folder_order);
  g_test_add_func ("/dsl/core/json/folder-path-parts", test_folder_path_parts);
  g_test_add_func ("/dsl/core/json/folder-paging", test_folder_paging);
  g_test_add_func ("/dsl/core/json/folder-file-fields", test_folder_file_fields);
  g_test_add_func ("/dsl/core/json/folder-unknown-share-right-skipped", test_folder_unknown_share_right_skipped);
  g_test_add_func ("/dsl/core/json/item-third-party-id", test_item_third_party_id);
  g_test_add_func ("/dsl/core/json/item-kind-without-entry-type", test_item_kind_without_entry_type);
  g_test_add_func ("/dsl/core/json/item-properties", test_item_properties);
  g_test_add_func ("/dsl/core/json/item-update-from", test_item_update_from);

  g_test_add_func ("/dsl/core/json/user-self", test_user_self);
  g_test_add_func ("/dsl/core/json/user-missing-id", test_user_missing_id);
  g_test_add_func ("/dsl/core/json/key-info-fields", test_key_info_fields);
  g_test_add_func ("/dsl/core/json/key-info-scopes", test_key_info_scopes);
  g_test_add_func ("/dsl/core/json/key-info-global-scopes", test_key_info_global_scopes);
  g_test_add_func ("/dsl/core/json/auth-token", test_auth_token);
  g_test_add_func ("/dsl/core/json/auth-tfa-confirm", test_auth_tfa_confirm);
  g_test_add_func ("/dsl/core/json/auth-tfa-setup", test_auth_tfa_setup);
  g_test_add_func ("/dsl/core/json/auth-sms", test_auth_sms);
  g_test_add_func ("/dsl/core/json/auth-neither-token-nor-factor", test_auth_neither_token_nor_factor);

  g_test_add_func ("/dsl/core/json/audit-events", test_audit_events);
  g_test_add_func ("/dsl/core/json/audit-target-single-string", test_audit_target_single_string);
  g_test_add_func ("/dsl/core/json/audit-anonymous", test_audit_anonymous);
  g_test_add_func ("/dsl/core/json/audit-entries-mistyped", test_audit_entries_mistyped);

  g_test_add_func ("/dsl/core/json/date-server-format", test_date_server_format);
  g_test_add_func ("/dsl/core/json/date-seven-digits", test_date_seven_digits);
  g_test_add_func ("/dsl/core/json/date-utc-z", test_date_utc_z);
  g_test_add_func ("/dsl/core/json/date-short-fraction", test_date_short_fraction);
  g_test_add_func ("/dsl/core/json/date-negative-offset", test_date_negative_offset);
  g_test_add_func ("/dsl/core/json/date-date-only", test_date_date_only);
  g_test_add_func ("/dsl/core/json/date-invalid", test_date_invalid);
  g_test_add_func ("/dsl/core/json/date-invalid-in-link", test_date_invalid_in_link);
  g_test_add_func ("/dsl/core/json/date-format", test_date_format);
  g_test_add_func ("/dsl/core/json/date-round-trip", test_date_round_trip);
  g_test_add_func ("/dsl/core/json/date-min-value-is-never", test_date_min_value_is_never);
  g_test_add_func ("/dsl/core/json/date-object-shape", test_date_object_shape);

  g_test_add_func ("/dsl/core/json/invalid-link-id-not-string", test_invalid_link_id_not_string);
  g_test_add_func ("/dsl/core/json/invalid-link-missing-access", test_invalid_link_missing_access);
  g_test_add_func ("/dsl/core/json/invalid-link-missing-shared-link", test_invalid_link_missing_shared_link);
  g_test_add_func ("/dsl/core/json/invalid-link-missing-subject-type", test_invalid_link_missing_subject_type);
  g_test_add_func ("/dsl/core/json/invalid-link-unknown-access", test_invalid_link_unknown_access);
  g_test_add_func ("/dsl/core/json/invalid-link-in-list", test_invalid_link_in_list);
  g_test_add_func ("/dsl/core/json/invalid-links-not-array", test_invalid_links_not_array);
  g_test_add_func ("/dsl/core/json/invalid-files-not-array", test_invalid_files_not_array);
  g_test_add_func ("/dsl/core/json/invalid-file-title-not-string", test_invalid_file_title_not_string);
  g_test_add_func ("/dsl/core/json/invalid-folder-page-without-lists", test_invalid_folder_page_without_lists);
  g_test_add_func ("/dsl/core/json/invalid-share-settings-value", test_invalid_share_settings_value);
  g_test_add_func ("/dsl/core/json/invalid-item-not-object", test_invalid_item_not_object);
  g_test_add_func ("/dsl/core/json/null-members-are-absent", test_null_members_are_absent);

  g_test_add_func ("/dsl/core/json/request-new-link", test_request_new_link);
  g_test_add_func ("/dsl/core/json/request-update-link", test_request_update_link);
  g_test_add_func ("/dsl/core/json/request-empty-password-omitted", test_request_empty_password_omitted);
  g_test_add_func ("/dsl/core/json/request-delete", test_request_delete);
  g_test_add_func ("/dsl/core/json/request-room-invitation", test_request_room_invitation);
  g_test_add_func ("/dsl/core/json/request-room-external", test_request_room_external);

  g_test_add_func ("/dsl/core/json/link-new-defaults", test_link_new_defaults);
  g_test_add_func ("/dsl/core/json/link-copy-is-deep", test_link_copy_is_deep);
  g_test_add_func ("/dsl/core/json/link-state-equal-rules", test_link_state_equal_rules);
  g_test_add_func ("/dsl/core/json/link-notify-only-on-change", test_link_notify_only_on_change);

  g_test_add_func ("/dsl/core/json/strings-made-valid", test_strings_made_valid);
  g_test_add_func ("/dsl/core/json/enums-access-names", test_enums_access_names);
  g_test_add_func ("/dsl/core/json/item-share-settings-zero-left-out",
                   test_item_share_settings_zero_left_out);
  g_test_add_func ("/dsl/core/json/enums-subject-type-names", test_enums_subject_type_names);
  g_test_add_func ("/dsl/core/json/sharing-policy", test_sharing_policy);

  return g_test_run ();
}

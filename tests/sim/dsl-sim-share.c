/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-share.c: what a share key names, as the server has it.
 *
 *   /s/<code> ──302──▶ long form (sim_link_long_path)          GET files/share/{key}
 *                        doceditor?fileid=<id>&share=<key>          │ key = the link's
 *                        share/preview/<id>?share=<key>             │ requestToken
 *                        filehandler.ashx?action=download&…         ▼
 *                        rooms/share?key=<key>[&folder=<id>]     ExternalShareDto
 *
 * Server sources (ONLYOFFICE/DocSpace-server):
 *  - products/ASC.Files/Core/Core/Security/ExternalShare.cs: GetLinkDataAsync builds the long
 *    URL and the key (a signature of the link id, which FileSharing.cs also hands out as the
 *    link's requestToken, so the `share=`/`key=` value IS the requestToken); the Status enum
 *    (0 Ok, 1 Invalid, 2 Expired, 3 RequiredPassword, 4 InvalidPassword, 5 ExternalAccessDenied)
 *    and ValidateRecordAsync (expired, then internal-without-sign-in, then password).
 *  - products/ASC.Files/Core/Helpers/FilesLinkUtility.cs: "doceditor?fileid=", the download
 *    handler "filehandler.ashx?action=download&fileid=", the "share" parameter, "share/preview/".
 *  - products/ASC.Files/Server/Api/SecurityController.cs: [AllowAnonymous] GET
 *    files/share/{key} (optional ?fileId=/&folderId= name a sub-item: entityId/entityTitle).
 *  - products/ASC.Files/Core/Helpers/ExternalLinkHelper.cs (ValidateAsync): which fields are set
 *    for which status; products/ASC.Files/Server/ApiModels/ResponseDto/ExternalShareDto.cs: the
 *    field names (nulls omitted; status, tenantId, shared, linkId, isAuthenticated and
 *    isRoomMember always written). */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim-server.h"

#include <string.h>

#define EMPTY_GUID "00000000-0000-0000-0000-000000000000"
#define SIM_TENANT_ID 1

enum {
  SHARE_OK = 0,
  SHARE_INVALID = 1,
  SHARE_EXPIRED = 2,
  SHARE_REQUIRED_PASSWORD = 3,
  SHARE_INVALID_PASSWORD = 4,
  SHARE_EXTERNAL_ACCESS_DENIED = 5
};

/* Extensions the editors open only after converting (FileUtility's "must convert" list): the
 * long form adds action=view (FilesLinkUtility.FileWebViewerUrlString). */
static gboolean
must_convert (SimEntry *file)
{
  static const char *exts[] = { ".doc", ".xls", ".ppt", ".rtf", ".odt", ".ods", ".odp" };
  const char *ext = sim_entry_ext (file);

  for (guint i = 0; i < G_N_ELEMENTS (exts); i++)
    if (g_ascii_strcasecmp (ext, exts[i]) == 0)
      return TRUE;
  return FALSE;
}

char *
sim_link_long_path (SimEntry *entry,
                    SimLink  *link)
{
  g_autofree char *id = g_uri_escape_string (entry->id, NULL, TRUE);

  if (link->request_token == NULL)
    return NULL;
  if (sim_entry_is_room (entry))
    return g_strdup_printf ("/rooms/share?key=%s", link->request_token);
  if (entry->is_folder)
    return g_strdup_printf ("/rooms/share?key=%s&folder=%s", link->request_token, id);

  switch (sim_entry_file_type (entry))
    {
    case 2:   /* video */
    case 3:   /* audio */
    case 4:   /* image */
      return g_strdup_printf ("/share/preview/%s?share=%s", id, link->request_token);
    case 5:   /* spreadsheet */
    case 6:   /* presentation */
    case 7:   /* document */
    case 10:  /* pdf */
    case 11:  /* diagram */
      return g_strdup_printf ("/doceditor?fileid=%s%s&share=%s", id,
                              must_convert (entry) ? "&action=view" : "", link->request_token);
    default:  /* archives, unknown types: the download handler */
      return g_strdup_printf ("/filehandler.ashx?action=download&fileid=%s&share=%s", id,
                              link->request_token);
    }
}

SimEntry *
sim_state_find_key (SimState   *state,
                    const char *key,
                    SimLink   **out_link)
{
  GHashTableIter iter;
  gpointer value;

  *out_link = NULL;
  if (key == NULL || *key == '\0')
    return NULL;
  g_hash_table_iter_init (&iter, state->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SimEntry *entry = value;

      for (guint i = 0; entry->links != NULL && i < entry->links->len; i++)
        {
          SimLink *l = g_ptr_array_index (entry->links, i);

          if (l->request_token != NULL && strcmp (l->request_token, key) == 0)
            {
              *out_link = l;
              return entry;
            }
        }
    }
  return NULL;
}

static gboolean
is_below (SimEntry *entry,
          SimEntry *ancestor)
{
  for (SimEntry *e = entry != NULL ? entry->parent : NULL; e != NULL; e = e->parent)
    if (e == ancestor)
      return TRUE;
  return FALSE;
}

/* GET files/share/{key} (ExternalLinkHelper.ValidateAsync). Anonymous callers are allowed.
 * The sim never sets the anonymous-session cookie and does not mark the item "recent by link"
 * (the server does, for a signed-in caller who neither created the item nor has it shared). */
void
sim_api_share_get (SimRequest *req)
{
  const char *key = req->segs[2];
  SimLink *link = NULL;
  SimEntry *entry = sim_state_find_key (req->state, key, &link);
  gboolean auth = req->user != NULL;
  int status = SHARE_INVALID;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean with_entry = FALSE;
  gboolean with_link = FALSE;
  SimEntry *room = NULL;
  SimEntry *sub = NULL;
  const char *file_id = sim_query_get (req, "fileId");
  const char *folder_id = sim_query_get (req, "folderId");

  if (entry != NULL)
    {
      /* ExternalShare.ValidateRecordAsync: expired, internal without sign-in, password. */
      if (sim_link_is_expired (link, g_get_real_time ()))
        status = SHARE_EXPIRED;
      else if (link->internal && !auth)
        status = SHARE_EXTERNAL_ACCESS_DENIED;
      else if (link->password != NULL)
        status = SHARE_REQUIRED_PASSWORD;
      else
        status = SHARE_OK;
    }

  if (status == SHARE_OK || status == SHARE_REQUIRED_PASSWORD)
    {
      with_entry = TRUE;
      room = sim_entry_room (entry);
      if (file_id != NULL || folder_id != NULL)
        {
          SimEntry *s = sim_state_lookup (req->state, file_id != NULL ? file_id : folder_id);

          if (s != NULL && s->is_folder == (file_id == NULL) && is_below (s, entry))
            sub = s;
        }
      if (sim_entry_in_archive (entry))
        status = SHARE_INVALID;   /* the entry's fields stay set */
      else if (status == SHARE_REQUIRED_PASSWORD)
        {
          /* A signed-in reader of the room does not need the password; the link id is still
           * not told without it. */
          if (auth && sim_entry_is_room (entry) && sim_can_read (req->user, entry))
            status = SHARE_OK;
        }
      else
        with_link = TRUE;
    }

  json_builder_begin_object (b);
  sim_member_int (b, "status", status);
  if (with_entry)
    {
      sim_member_str (b, "id", entry->id);
      sim_member_str (b, "title", entry->title);
      sim_member_int (b, "type", entry->is_folder ? 1 : 2);
    }
  sim_member_int (b, "tenantId", with_link ? SIM_TENANT_ID : 0);
  if (sub != NULL)
    {
      sim_member_str (b, "entityId", sub->id);
      sim_member_str (b, "entityTitle", sub->title);
      sim_member_int (b, "entityType", sub->is_folder ? 1 : 2);
    }
  if (with_entry && entry->is_folder)
    sim_member_bool (b, "isRoom", sim_entry_is_room (entry));
  /* Signed in with status Ok: the creator, a member, or (after the server marks it) anyone. */
  sim_member_bool (b, "shared", with_link && auth);
  sim_member_str (b, "linkId", with_link ? link->id : EMPTY_GUID);
  sim_member_bool (b, "isAuthenticated", auth);
  sim_member_bool (b, "isRoomMember", with_entry && auth && room != NULL &&
                   room->members != NULL && g_hash_table_contains (room->members, req->user->id));
  json_builder_end_object (b);
  sim_reply_ok (req, json_builder_get_root (b), -1);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-audit.c: GET /api/2.0/security/audit/events/filter and /events/last (§7).
 * Admins and the owner only; newest first; no "total".
 *
 * As the server's AuditEventsRepository.GetByFilterWithActionsAsync
 * (common/services/ASC.AuditTrail/Repositories/AuditEventsRepository.cs):
 *   action given ─▶ that action only; `target` exact; moduleType/actionType/entryType ignored
 *   otherwise    ─▶ only actions of the audit mapper (below), narrowed by actionType, and
 *                   entryType, the last only together with `target`, which it turns into a
 *                   substring match; `target` alone is ignored. moduleType fails (500).
 * The mapper is common/services/ASC.AuditTrail/Mappers/DocumentsActionMapper.cs: downloads of a
 * file (5009, 5010, 5062) are Files / File, a folder or room downloaded as an archive (5057) is
 * Folders / Folder only, so entryType=25 never returns it. RoomExternalLinkRenamed (5098) and
 * RoomInviteLinkUsed (7001) are in no mapper: only `action` finds them, and then the server's
 * AuditEventDto (web/ASC.Web.Api/ApiModels/ResponseDto/AuditEventDto.cs) reads the missing map
 * and the call fails with 500. */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim-server.h"

#include <string.h>

typedef struct {
  const char *name;
  int         value;
} EnumName;

static const EnumName location_names[] = {
  { "None", 0 }, { "Files", 1 }, { "Folders", 2 }, { "DocumentsSettings", 3 }, { "Rooms", 27 },
  { "Settings", 29 }, { "Contacts", 30 }, { "Agents", 31 },
};

static const EnumName action_type_names[] = {
  { "None", 0 }, { "Create", 1 }, { "Update", 2 }, { "Delete", 3 }, { "Link", 4 },
  { "Unlink", 5 }, { "Attach", 6 }, { "Detach", 7 }, { "Send", 8 }, { "Import", 9 },
  { "Export", 10 }, { "UpdateAccess", 11 }, { "Download", 12 }, { "Upload", 13 },
  { "Copy", 14 }, { "Move", 15 }, { "Reassigns", 16 }, { "Follow", 17 }, { "Unfollow", 18 },
  { "Logout", 19 },
};

static const EnumName entry_type_names[] = {
  { "None", 0 }, { "File", 1 }, { "Folder", 2 }, { "User", 23 }, { "Group", 24 }, { "Room", 25 },
  { "Tag", 26 }, { "Agent", 27 },
};

static const EnumName action_names[] = {
  { "FileDownloaded", MA_FILE_DOWNLOADED },
  { "FileDownloadedAs", MA_FILE_DOWNLOADED_AS },
  { "FileRevisionDownloaded", MA_FILE_REVISION_DOWNLOADED },
  { "FolderDownloaded", MA_FOLDER_DOWNLOADED },
  { "FileReaded", MA_FILE_READED },
  { "FileExternalLinkAccessUpdated", MA_FILE_EXTERNAL_LINK_ACCESS_UPDATED },
  { "RoomInvitationLinkUpdated", MA_ROOM_INVITATION_LINK_UPDATED },
  { "RoomInvitationLinkCreated", MA_ROOM_INVITATION_LINK_CREATED },
  { "RoomInvitationLinkDeleted", MA_ROOM_INVITATION_LINK_DELETED },
  { "RoomExternalLinkCreated", MA_ROOM_EXTERNAL_LINK_CREATED },
  { "RoomExternalLinkUpdated", MA_ROOM_EXTERNAL_LINK_UPDATED },
  { "RoomExternalLinkDeleted", MA_ROOM_EXTERNAL_LINK_DELETED },
  { "FileExternalLinkCreated", MA_FILE_EXTERNAL_LINK_CREATED },
  { "FileExternalLinkUpdated", MA_FILE_EXTERNAL_LINK_UPDATED },
  { "FileExternalLinkDeleted", MA_FILE_EXTERNAL_LINK_DELETED },
  { "RoomExternalLinkRevoked", MA_ROOM_EXTERNAL_LINK_REVOKED },
  { "RoomExternalLinkRenamed", MA_ROOM_EXTERNAL_LINK_RENAMED },
  { "FolderExternalLinkCreated", MA_FOLDER_EXTERNAL_LINK_CREATED },
  { "FolderExternalLinkUpdated", MA_FOLDER_EXTERNAL_LINK_UPDATED },
  { "FolderExternalLinkDeleted", MA_FOLDER_EXTERNAL_LINK_DELETED },
  { "RoomInviteLinkUsed", MA_ROOM_INVITE_LINK_USED },
};

/* The server's mapper (DocumentsActionMapper.cs) for the actions the simulator records:
 * location (LocationType), actionType, entry type. */
static const SimAuditMap audit_maps[] = {
  /* FilesActionMapper: EntryType.File */
  { MA_FILE_DOWNLOADED, LOC_FILES, 12, ENTRY_FILE },
  { MA_FILE_DOWNLOADED_AS, LOC_FILES, 12, ENTRY_FILE },
  { MA_FILE_REVISION_DOWNLOADED, LOC_FILES, 12, ENTRY_FILE },
  { MA_FILE_READED, LOC_FILES, 2, ENTRY_FILE },
  { MA_FILE_EXTERNAL_LINK_CREATED, LOC_FILES, 1, ENTRY_FILE },
  { MA_FILE_EXTERNAL_LINK_UPDATED, LOC_FILES, 2, ENTRY_FILE },
  { MA_FILE_EXTERNAL_LINK_DELETED, LOC_FILES, 3, ENTRY_FILE },
  { MA_FILE_EXTERNAL_LINK_ACCESS_UPDATED, LOC_FILES, 11, ENTRY_FILE },
  /* FoldersActionMapper: EntryType.Folder (FolderDownloaded too, also for rooms) */
  { MA_FOLDER_DOWNLOADED, LOC_FOLDERS, 12, ENTRY_FOLDER },
  { MA_FOLDER_EXTERNAL_LINK_CREATED, LOC_FOLDERS, 1, ENTRY_FOLDER },
  { MA_FOLDER_EXTERNAL_LINK_UPDATED, LOC_FOLDERS, 2, ENTRY_FOLDER },
  { MA_FOLDER_EXTERNAL_LINK_DELETED, LOC_FOLDERS, 3, ENTRY_FOLDER },
  /* RoomsActionMapper: EntryType.Room, all Update */
  { MA_ROOM_INVITATION_LINK_UPDATED, LOC_ROOMS, 2, ENTRY_ROOM },
  { MA_ROOM_INVITATION_LINK_CREATED, LOC_ROOMS, 2, ENTRY_ROOM },
  { MA_ROOM_INVITATION_LINK_DELETED, LOC_ROOMS, 2, ENTRY_ROOM },
  { MA_ROOM_EXTERNAL_LINK_CREATED, LOC_ROOMS, 2, ENTRY_ROOM },
  { MA_ROOM_EXTERNAL_LINK_UPDATED, LOC_ROOMS, 2, ENTRY_ROOM },
  { MA_ROOM_EXTERNAL_LINK_DELETED, LOC_ROOMS, 2, ENTRY_ROOM },
  { MA_ROOM_EXTERNAL_LINK_REVOKED, LOC_ROOMS, 2, ENTRY_ROOM },
  /* not mapped: MA_ROOM_EXTERNAL_LINK_RENAMED (5098), MA_ROOM_INVITE_LINK_USED (7001) */
};

const SimAuditMap *
sim_audit_map (int action_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (audit_maps); i++)
    if (audit_maps[i].action_id == action_id)
      return &audit_maps[i];
  return NULL;
}

/* An enum query parameter given as a number or a name; -1 when absent. Replies 400 problem
 * details and returns FALSE when it is neither. */
static gboolean
query_enum (SimRequest     *req,
            const char     *key,
            const EnumName *names,
            guint           n_names,
            int            *out)
{
  const char *v = sim_query_get (req, key);

  *out = -1;
  if (v == NULL || *v == '\0')
    return TRUE;
  if (sim_str_is_int (v))
    {
      *out = (int) g_ascii_strtoll (v, NULL, 10);
      return TRUE;
    }
  for (guint i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (v, names[i].name) == 0)
      {
        *out = names[i].value;
        return TRUE;
      }
  {
    g_autofree char *m = g_strdup_printf ("The value '%s' is not valid for %s.", v, key);

    sim_reply_problem (req, key, m);
  }
  return FALSE;
}

static gboolean
query_date (SimRequest *req,
            const char *key,
            gboolean    end_of_day,
            gint64     *out)
{
  const char *v = sim_query_get (req, key);

  *out = 0;
  if (v == NULL || *v == '\0')
    return TRUE;
  if (!sim_parse_date (v, TRUE, end_of_day, out))
    {
      g_autofree char *m = g_strdup_printf ("The value '%s' is not valid for %s.", v, key);

      sim_reply_problem (req, key, m);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_admin (SimRequest *req)
{
  return req->user != NULL && (req->user->is_admin || req->user->is_owner);
}

static int
compare_newest_first (gconstpointer pa,
                      gconstpointer pb)
{
  const SimEvent *a = *(SimEvent * const *) pa;
  const SimEvent *b = *(SimEvent * const *) pb;

  if (a->date != b->date)
    return a->date > b->date ? -1 : 1;
  return b->id - a->id;
}

/* Every event, or (mapped_only) those of the mapper's actions: what every call without
 * `action` starts from, /events/last and a plan without audit included. */
static GPtrArray *
newest_first (SimState *state,
              gboolean  mapped_only)
{
  GPtrArray *all = g_ptr_array_sized_new (state->events->len);

  for (guint i = 0; i < state->events->len; i++)
    {
      SimEvent *ev = g_ptr_array_index (state->events, i);

      if (!mapped_only || sim_audit_map (ev->action_id) != NULL)
        g_ptr_array_add (all, ev);
    }
  g_ptr_array_sort (all, compare_newest_first);
  return all;
}

static void
reply_events (SimRequest *req,
              GPtrArray  *events,
              guint       start,
              guint       count)
{
  JsonArray *a;
  JsonNode *node;

  /* the server builds each AuditEventDto from the action's map: without one it fails */
  for (guint i = start; i < events->len && i - start < count; i++)
    if (sim_audit_map (((SimEvent *) g_ptr_array_index (events, i))->action_id) == NULL)
      {
        sim_reply_error (req, 500, "Object reference not set to an instance of an object.",
                         "System.NullReferenceException", -2147467261);
        return;
      }

  a = json_array_new ();
  node = json_node_new (JSON_NODE_ARRAY);
  for (guint i = start; i < events->len && json_array_get_length (a) < count; i++)
    json_array_add_element (a, sim_dto_event (g_ptr_array_index (events, i)));
  json_node_take_array (node, a);
  sim_reply_ok (req, node, -1);
}

void
sim_api_audit_filter (SimRequest *req)
{
  const char *user_id = sim_query_get (req, "userId");
  const char *target = sim_query_get (req, "target");
  int module, action_type, action, entry_type;
  gint64 from, to;
  guint start, count;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  if (!is_admin (req))
    {
      sim_reply_access_denied (req);
      return;
    }
  if (sim_faults_audit_402 (req))
    {
      sim_reply_error (req, 402, "Your pricing plan does not support this option",
                       "ASC.Core.Billing.BillingException", -2146233088);
      return;
    }
  if (user_id != NULL && *user_id != '\0' && !g_uuid_string_is_valid (user_id))
    {
      g_autofree char *m = g_strdup_printf ("The value '%s' is not valid for userId.", user_id);

      sim_reply_problem (req, "userId", m);
      return;
    }
  if (!query_enum (req, "moduleType", location_names, G_N_ELEMENTS (location_names), &module) ||
      !query_enum (req, "actionType", action_type_names, G_N_ELEMENTS (action_type_names),
                   &action_type) ||
      !query_enum (req, "action", action_names, G_N_ELEMENTS (action_names), &action) ||
      !query_enum (req, "entryType", entry_type_names, G_N_ELEMENTS (entry_type_names),
                   &entry_type) ||
      !query_date (req, "from", FALSE, &from) ||
      !query_date (req, "to", TRUE, &to) ||
      !sim_query_paging (req, &start, &count))
    return;

  if (action == 0)
    action = -1;  /* None: as if absent */
  if (target != NULL && *target == '\0')
    target = NULL;
  if (sim_faults_audit_unfiltered (req))
    {
      /* a plan without the Audit feature: filters ignored, the latest 20 */
      all = newest_first (req->state, TRUE);
      reply_events (req, all, 0, 20);
      return;
    }

  /* The server collects the actions of moduleType from every product's mappers, and the
   * products other than Documents have no mapper of that location: a NullReferenceException
   * (AuditEventsRepository.cs, List.Find returning null), so moduleType fails, unless `action`
   * is given and it is not looked at. */
  if (action < 0 && module > 0)
    {
      sim_reply_error (req, 500, "Object reference not set to an instance of an object.",
                       "System.NullReferenceException", -2147467261);
      return;
    }

  all = newest_first (req->state, action < 0);
  hits = g_ptr_array_new ();
  for (guint i = 0; i < all->len; i++)
    {
      SimEvent *ev = g_ptr_array_index (all, i);

      if (user_id != NULL && *user_id != '\0' && g_ascii_strcasecmp (ev->user_id, user_id) != 0)
        continue;
      if (from != 0 && ev->date < from)
        continue;
      if (to != 0 && ev->date > to)
        continue;
      if (action >= 0)
        {
          if (ev->action_id != action)
            continue;
          if (target != NULL && g_strcmp0 (ev->target, target) != 0)
            continue;
        }
      else
        {
          const SimAuditMap *map = sim_audit_map (ev->action_id);

          g_assert (map != NULL);
          if (module > 0 && map->location != module)
            continue;
          if (action_type > 0 && map->action_type != action_type)
            continue;
          /* entryType counts only with a target, and makes it a substring match */
          if (entry_type > 0 && target != NULL)
            {
              if (map->entry_type != entry_type)
                continue;
              if (ev->target == NULL || strstr (ev->target, target) == NULL)
                continue;
            }
        }
      g_ptr_array_add (hits, ev);
    }
  reply_events (req, hits, start, count);
}

void
sim_api_audit_last (SimRequest *req)
{
  g_autoptr(GPtrArray) all = NULL;

  if (!is_admin (req))
    {
      sim_reply_access_denied (req);
      return;
    }
  all = newest_first (req->state, TRUE);
  reply_events (req, all, 0, 20);
}

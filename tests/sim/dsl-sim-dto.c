/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-dto.c: the server's JSON shapes (EmployeeFullDto, FileDto/FolderDto, FileShareDto,
 * AuditEventDto). Success bodies omit nulls, so optional members are simply not added. */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim.h"

#include <string.h>

void
sim_member_str (JsonBuilder *b,
                const char  *name,
                const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

void
sim_member_int (JsonBuilder *b,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

void
sim_member_bool (JsonBuilder *b,
                 const char  *name,
                 gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
member_date (JsonBuilder *b,
             const char  *name,
             gint64       usec)
{
  g_autofree char *s = sim_format_date (usec);

  sim_member_str (b, name, s);
}

/* DocSpace ids are numbers; third-party ids are strings. */
static void
member_id (JsonBuilder *b,
           const char  *name,
           SimEntry    *entry)
{
  json_builder_set_member_name (b, name);
  if (entry == NULL)
    json_builder_add_int_value (b, 0);
  else if (entry->numeric_id)
    json_builder_add_int_value (b, g_ascii_strtoll (entry->id, NULL, 10));
  else
    json_builder_add_string_value (b, entry->id);
}

void
sim_dto_user_short (JsonBuilder   *b,
                    const SimUser *user,
                    const char    *base_url)
{
  g_autofree char *profile = NULL;

  json_builder_begin_object (b);
  if (user == NULL)
    {
      sim_member_str (b, "id", "4a515a15-d4d6-4b8e-828e-e0586f18f3a3");
      sim_member_str (b, "displayName", "Unknown Account");
      json_builder_end_object (b);
      return;
    }
  profile = g_strdup_printf ("%s/accounts/people/filter?search=%s", base_url, user->email);
  sim_member_str (b, "id", user->id);
  sim_member_str (b, "displayName", user->display_name);
  sim_member_str (b, "avatarSmall", "/static/images/default_user_photo_size_32-32.png?hash=1");
  sim_member_str (b, "profileUrl", profile);
  sim_member_bool (b, "hasAvatar", FALSE);
  sim_member_bool (b, "isAnonim", FALSE);
  json_builder_end_object (b);
}

JsonNode *
sim_dto_user_full (const SimUser *user,
                   SimState      *state)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *profile = g_strdup_printf ("%s/accounts/people/filter?search=%s",
                                              state->base_url, user->email);

  json_builder_begin_object (b);
  sim_member_str (b, "firstName", user->first_name);
  sim_member_str (b, "lastName", user->last_name);
  sim_member_str (b, "userName", user->email);
  sim_member_str (b, "email", user->email);
  sim_member_int (b, "status", user->disabled ? 2 : 1);
  sim_member_int (b, "activationStatus", 1);
  sim_member_str (b, "department", "");
  member_date (b, "workFrom", state->start - 400 * SIM_USEC_PER_DAY);
  sim_member_bool (b, "isAdmin", user->is_admin || user->is_owner);
  sim_member_bool (b, "isRoomAdmin", user->is_room_admin);
  sim_member_bool (b, "isLDAP", FALSE);
  json_builder_set_member_name (b, "listAdminModules");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  sim_member_bool (b, "isOwner", user->is_owner);
  sim_member_bool (b, "isVisitor", user->is_visitor);
  sim_member_bool (b, "isCollaborator", !user->is_owner && !user->is_admin &&
                   !user->is_room_admin && !user->is_visitor);
  sim_member_str (b, "cultureName", "en-US");
  sim_member_bool (b, "isSSO", FALSE);
  sim_member_str (b, "avatar", "/static/images/default_user_photo_size_82-82.png?hash=1");
  sim_member_str (b, "avatarOriginal", "/static/images/default_user_photo_size_200-200.png?hash=1");
  sim_member_str (b, "avatarMax", "/static/images/default_user_photo_size_200-200.png?hash=1");
  sim_member_str (b, "avatarMedium", "/static/images/default_user_photo_size_48-48.png?hash=1");
  sim_member_bool (b, "hasPersonalFolder", user->my_folder_id != NULL);
  sim_member_bool (b, "tfaAppEnabled", user->tfa == 1);
  member_date (b, "registrationDate", state->start - 400 * SIM_USEC_PER_DAY);
  sim_member_str (b, "id", user->id);
  sim_member_str (b, "displayName", user->display_name);
  sim_member_str (b, "avatarSmall", "/static/images/default_user_photo_size_32-32.png?hash=1");
  sim_member_str (b, "profileUrl", profile);
  sim_member_bool (b, "hasAvatar", FALSE);
  sim_member_bool (b, "isAnonim", FALSE);
  json_builder_set_member_name (b, "groups");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
rights_names (JsonBuilder *b,
              GArray      *rights)
{
  json_builder_begin_array (b);
  for (guint i = 0; i < rights->len; i++)
    json_builder_add_string_value (b, sim_access_name (g_array_index (rights, int, i)));
  json_builder_end_array (b);
}

static SimEntry *
link_holder (SimEntry *entry)
{
  SimEntry *room = sim_entry_room (entry);

  /* In a form-filling room a file's link is the room's link. */
  if (room != NULL && room != entry && room->room_type == ROOM_FILLING)
    return room;
  return entry;
}

static void
count_tree (SimEntry *e,
            gint64   *files,
            gint64   *folders)
{
  *files += e->virtual_count;
  for (guint i = 0; i < e->children->len; i++)
    {
      SimEntry *c = g_ptr_array_index (e->children, i);

      if (c->is_folder)
        {
          (*folders)++;
          count_tree (c, files, folders);
        }
      else
        (*files)++;
    }
}

static void
security_member (JsonBuilder *b,
                 const char  *name,
                 gboolean     v)
{
  sim_member_bool (b, name, v);
}

static void
file_security (JsonBuilder   *b,
               const SimUser *user,
               SimEntry      *e)
{
  int access = sim_user_access (user, e);
  gboolean read = access >= 0;
  gboolean edit = sim_can_edit (user, e);
  gboolean full = !sim_entry_in_archive (e) && (access == FS_NONE || access == FS_ROOM_MANAGER);
  SimEntry *room = sim_entry_room (e);
  gboolean download = read && (room == NULL || !room->deny_download || full);
  gboolean doc = sim_entry_file_type (e) == 7;
  gboolean form = e->is_form;

  json_builder_set_member_name (b, "security");
  json_builder_begin_object (b);
  security_member (b, "Read", read);
  security_member (b, "Comment", edit && doc);
  security_member (b, "FillForms", read && form);
  security_member (b, "Review", edit && doc);
  security_member (b, "Edit", edit);
  security_member (b, "Delete", full);
  security_member (b, "CustomFilter", edit && sim_entry_file_type (e) == 5);
  security_member (b, "Rename", edit);
  security_member (b, "ReadHistory", read);
  security_member (b, "Lock", full);
  security_member (b, "EditHistory", edit);
  security_member (b, "Copy", download);
  security_member (b, "Move", full);
  security_member (b, "Duplicate", edit);
  security_member (b, "SubmitToFormGallery", full && form);
  security_member (b, "Download", download);
  security_member (b, "Convert", edit);
  security_member (b, "CreateRoomFrom", full && room == NULL);
  security_member (b, "CopyLink", read);
  security_member (b, "Embed", read);
  security_member (b, "StartFilling", full && form);
  security_member (b, "FillingStatus", read && form);
  security_member (b, "ResetFilling", full && form);
  security_member (b, "StopFilling", full && form);
  security_member (b, "OpenForm", read && form);
  security_member (b, "Vectorization", FALSE);
  security_member (b, "AskAi", FALSE);
  json_builder_end_object (b);
}

static void
folder_security (JsonBuilder   *b,
                 const SimUser *user,
                 SimEntry      *e)
{
  int access = sim_user_access (user, e);
  gboolean read = access >= 0;
  gboolean edit = sim_can_edit (user, e) && e->parent != NULL;
  gboolean full = !sim_entry_in_archive (e) && (access == FS_NONE || access == FS_ROOM_MANAGER);
  gboolean system = e->parent == NULL;
  gboolean room = sim_entry_is_room (e);
  gboolean admin = user != NULL && (user->is_admin || user->is_owner);
  SimEntry *holder = link_holder (e);
  SimLink *primary = sim_entry_primary_link (holder);
  gboolean create = system ? (e->folder_type == FT_VIRTUAL_ROOMS ?
                              (admin || (user != NULL && user->is_room_admin)) :
                              e->folder_type == FT_USER) : edit;

  json_builder_set_member_name (b, "security");
  json_builder_begin_object (b);
  security_member (b, "Read", read);
  security_member (b, "Create", create);
  security_member (b, "Delete", full && !system);
  security_member (b, "EditRoom", full && room);
  security_member (b, "Rename", full && !system);
  security_member (b, "CopyTo", edit || create);
  security_member (b, "MoveTo", edit || create);
  security_member (b, "Copy", read && !system);
  security_member (b, "Move", full && !system);
  security_member (b, "Pin", read && room);
  security_member (b, "Mute", read && room);
  security_member (b, "EditAccess", sim_can_edit_access (user, e));
  security_member (b, "Duplicate", full && room);
  security_member (b, "Download", read && !system && (!room || !e->deny_download || full));
  security_member (b, "CopySharedLink", read && primary != NULL && !primary->internal);
  security_member (b, "Reconnect", FALSE);
  security_member (b, "CreateRoomFrom", full && !system && !room && !sim_entry_room (e));
  security_member (b, "CopyLink", read && !system);
  security_member (b, "Embed", read && room);
  security_member (b, "ChangeOwner", room && admin);
  security_member (b, "IndexExport", FALSE);
  security_member (b, "UseChat", FALSE);
  json_builder_end_object (b);
}

JsonNode *
sim_dto_path_part (SimEntry *entry)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  member_id (b, "id", entry);
  sim_member_str (b, "title", entry->title);
  if (sim_entry_is_room (entry))
    sim_member_int (b, "roomType", entry->room_type);
  sim_member_int (b, "folderType", entry->folder_type);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sim_dto_entry (SimState      *state,
               const SimUser *user,
               SimEntry      *e)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  SimEntry *root = sim_entry_root (e);
  SimEntry *room = sim_entry_room (e);
  SimEntry *holder = link_holder (e);
  gboolean can_share = sim_can_share (user, e);
  gboolean shared_external = FALSE;
  int access = sim_user_access (user, e);
  const SimUser *creator = sim_user_by_id (e->created_by);

  for (guint i = 0; i < holder->links->len; i++)
    {
      SimLink *l = g_ptr_array_index (holder->links, i);

      if (l->subject_type != SUBJ_INVITATION && !l->internal)
        shared_external = TRUE;
    }

  json_builder_begin_object (b);
  if (!e->is_folder)
    {
      g_autofree char *esc = g_uri_escape_string (e->id, NULL, TRUE);
      g_autofree char *view = g_strdup_printf ("%s/filehandler.ashx?action=download&fileid=%s",
                                               state->base_url, esc);
      g_autofree char *web = g_strdup_printf ("%s/doceditor?fileid=%s&version=1",
                                              state->base_url, esc);
      g_autofree char *human = sim_human_size (e->size);

      member_id (b, "folderId", e->parent);
      sim_member_int (b, "version", 1);
      sim_member_int (b, "versionGroup", 1);
      sim_member_str (b, "contentLength", human);
      sim_member_int (b, "pureContentLength", e->size);
      sim_member_int (b, "fileStatus", 0);
      sim_member_bool (b, "mute", FALSE);
      sim_member_str (b, "viewUrl", view);
      sim_member_str (b, "webUrl", web);
      sim_member_int (b, "fileType", sim_entry_file_type (e));
      sim_member_str (b, "fileExst", sim_entry_ext (e));
      sim_member_str (b, "comment", "Created");
      sim_member_int (b, "thumbnailStatus", 0);
      sim_member_bool (b, "locked", FALSE);
      if (sim_entry_file_type (e) == 10)
        sim_member_bool (b, "isForm", e->is_form);
      sim_member_bool (b, "hasDraft", FALSE);
      file_security (b, user, e);
    }
  else
    {
      gint64 files = 0, folders = 0;

      /* Connected storage (Google Drive, Dropbox, OneDrive, WebDAV…) never counts: every
       * folder and room of a provider is made by ThirdPartyProviderDao.GetFolder() with
       * FilesCount = FoldersCount = 0 (products/ASC.Files/Core/Core/Thirdparty/
       * ThirdPartyProviderDao.cs), and FolderDtoHelper copies them as they are (products/
       * ASC.Files/Core/ApiModels/ResponseDto/FolderDto.cs). Only the Box and SharePoint DAOs
       * count their children, and only sometimes. */
      if (e->numeric_id)
        count_tree (e, &files, &folders);
      member_id (b, "parentId", e->parent);
      sim_member_int (b, "filesCount", files);
      sim_member_int (b, "foldersCount", folders);
      sim_member_int (b, "new", 0);
      sim_member_bool (b, "mute", FALSE);
      sim_member_bool (b, "pinned", FALSE);
      if (sim_entry_is_room (e))
        {
          sim_member_int (b, "roomType", e->room_type);
          sim_member_bool (b, "private", FALSE);
          sim_member_bool (b, "indexing", FALSE);
          sim_member_bool (b, "denyDownload", e->deny_download);
          json_builder_set_member_name (b, "tags");
          json_builder_begin_array (b);
          json_builder_end_array (b);
          json_builder_set_member_name (b, "logo");
          json_builder_begin_object (b);
          sim_member_str (b, "color", "88CC77");
          json_builder_end_object (b);
          sim_member_bool (b, "inRoom", user != NULL && e->members != NULL &&
                           (g_hash_table_contains (e->members, user->id) ||
                            g_strcmp0 (e->created_by, user->id) == 0));
        }
      else if (room != NULL && e->parent == room)
        sim_member_int (b, "rootRoomType", room->room_type);
      folder_security (b, user, e);
    }

  member_id (b, "id", e);
  sim_member_int (b, "rootFolderId", g_ascii_strtoll (root->id, NULL, 10));
  if (room != NULL && room != e)
    sim_member_int (b, "parentRoomType", room->folder_type);
  sim_member_bool (b, "canShare", can_share);
  if (can_share)
    {
      int primary, additional;

      /* FileEntryDto.cs: only when the caller may share, and only the subject types whose
       * limit is not 0 (a form-filling room and its files: PrimaryExternalLink only). */
      sim_link_limits (e, &primary, &additional);
      json_builder_set_member_name (b, "shareSettings");
      json_builder_begin_object (b);
      if (primary > 0)
        sim_member_int (b, "PrimaryExternalLink", primary);
      if (additional > 0)
        sim_member_int (b, "ExternalLink", additional);
      json_builder_end_object (b);
    }
  if (e->parent != NULL || e->folder_type == FT_USER)
    {
      g_autoptr(GArray) ext = sim_available_rights (user, e, SUBJ_EXTERNAL);

      /* FileDto.cs / FolderDto.cs: FileSecurity.GetAccesses, sent whatever canShare says; its
       * tables have ExternalLink and PrimaryExternalLink entries, never InvitationLink. */
      json_builder_set_member_name (b, "availableShareRights");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ExternalLink");
      rights_names (b, ext);
      json_builder_set_member_name (b, "PrimaryExternalLink");
      rights_names (b, ext);
      json_builder_end_object (b);
    }
  sim_member_str (b, "title", e->title);
  sim_member_int (b, "access", access < 0 ? FS_RESTRICT : access);
  sim_member_bool (b, "shared", holder->links->len > 0);
  sim_member_bool (b, "sharedForUser", FALSE);
  sim_member_bool (b, "sharedExternal", shared_external);
  sim_member_bool (b, "parentShared", FALSE);
  member_date (b, "created", e->created);
  json_builder_set_member_name (b, "createdBy");
  sim_dto_user_short (b, creator, state->base_url);
  member_date (b, "updated", e->updated);
  json_builder_set_member_name (b, "updatedBy");
  sim_dto_user_short (b, creator, state->base_url);
  sim_member_int (b, "rootFolderType", root->folder_type);
  /* FileEntryDto: ProviderItem = entry.ProviderEntry.NullIfDefault(), so true or absent
   * (products/ASC.Files/Core/ApiModels/ResponseDto/FileEntryDto.cs). */
  if (!e->numeric_id)
    {
      sim_member_bool (b, "providerItem", TRUE);
      sim_member_str (b, "providerKey", "DropboxV2");
      sim_member_int (b, "providerId", 12);
    }
  sim_member_int (b, "fileEntryType", e->is_folder ? 1 : 2);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sim_dto_link (SimState      *state,
              const SimUser *user,
              SimEntry      *holder,
              SimLink       *link,
              gboolean       blank_token)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *url = g_strdup_printf ("%s/s/%s", state->base_url, link->code);
  SimEntry *room = sim_entry_room (holder);
  int room_type = room != NULL ? room->room_type : ROOM_NONE;
  gboolean invitation = link->subject_type == SUBJ_INVITATION;
  gboolean can_edit_internal = !invitation && room_type != ROOM_VDR && room_type != ROOM_PUBLIC;
  gboolean can_edit_deny = !invitation && !(room != NULL && room->deny_download);
  /* FileSharing.ToAceAsync: false for primary links in (or of) a Public room; EditExpiration is
   * refused in form-filling rooms (FileSecurity.cs) */
  gboolean can_edit_expiry = !(link->subject_type == SUBJ_PRIMARY && room_type == ROOM_PUBLIC) &&
                             room_type != ROOM_FILLING;

  json_builder_begin_object (b);
  sim_member_int (b, "access", link->access);
  for (int pass = 0; pass < 2; pass++)
    {
      json_builder_set_member_name (b, pass == 0 ? "sharedTo" : "sharedLink");
      json_builder_begin_object (b);
      sim_member_str (b, "id", link->id);
      sim_member_str (b, "title", link->title);
      sim_member_str (b, "shareLink", url);
      if (link->expires != 0)
        member_date (b, "expirationDate", link->expires);
      sim_member_int (b, "linkType", invitation ? 0 : 1);
      sim_member_str (b, "password", link->password);
      sim_member_bool (b, "denyDownload", link->deny_download);
      sim_member_bool (b, "isExpired", sim_link_is_expired (link, g_get_real_time ()));
      sim_member_bool (b, "primary", link->subject_type == SUBJ_PRIMARY);
      sim_member_bool (b, "internal", link->internal);
      if (!invitation && !blank_token)
        sim_member_str (b, "requestToken", link->request_token);
      if (invitation)
        {
          if (link->max_use_count > 0)
            sim_member_int (b, "maxUseCount", link->max_use_count);
          sim_member_int (b, "currentUseCount", link->current_use_count);
        }
      json_builder_end_object (b);
    }
  sim_member_bool (b, "isLocked", FALSE);
  sim_member_bool (b, "isOwner", FALSE);
  sim_member_bool (b, "canEditAccess", FALSE);
  sim_member_bool (b, "canEditInternal", can_edit_internal);
  sim_member_bool (b, "canEditDenyDownload", can_edit_deny);
  sim_member_bool (b, "canEditExpirationDate", can_edit_expiry);
  sim_member_bool (b, "canRevoke", sim_link_can_revoke (holder, link));
  sim_member_int (b, "subjectType", link->subject_type);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
sim_dto_event (SimEvent *ev)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  sim_member_int (b, "id", ev->id);
  member_date (b, "date", ev->date);
  sim_member_str (b, "user", ev->user_name);
  sim_member_str (b, "userId", ev->user_id);
  sim_member_str (b, "action", ev->action);
  sim_member_int (b, "actionId", ev->action_id);
  sim_member_str (b, "ip", ev->ip);
  sim_member_str (b, "browser", ev->browser);
  sim_member_str (b, "platform", ev->platform);
  sim_member_str (b, "page", ev->page);
  sim_member_int (b, "actionType", ev->action_type);
  sim_member_int (b, "product", ev->product);
  sim_member_int (b, "location", ev->location);
  json_builder_set_member_name (b, "target");
  json_builder_begin_array (b);
  if (ev->target != NULL)
    json_builder_add_string_value (b, ev->target);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  json_builder_add_int_value (b, ev->entry_type);
  json_builder_end_array (b);
  sim_member_str (b, "context", ev->context);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-item.h: a room, folder or file of the portal (FileDto / FolderDto, docspace-api.md §3.4) */
#pragma once

#include <glib-object.h>
#include "dsl-enums.h"

G_BEGIN_DECLS

#define DSL_TYPE_ITEM (dsl_item_get_type ())
G_DECLARE_FINAL_TYPE (DslItem, dsl_item, DSL, ITEM, GObject)

/* Construct with g_object_new and the properties below (dsl-json does), or with dsl_item_new. */
DslItem      *dsl_item_new                   (DslItemKind  kind,
                                              const char  *id,
                                              const char  *title);

/* Properties (all readable; writable at construction or through the setters below):
 *  "id" string, "kind" DslItemKind, "title" string, "parent-id" string (folderId/parentId),
 *  "room-type" DslRoomType, "parent-room-type" int (FolderType), "root-folder-type" int (FolderType),
 *  "file-type" DslFileType, "file-extension" string (".docx"), "size" int64 (pureContentLength, -1),
 *  "access" DslAccess, "shared" bool, "shared-external" bool, "can-share" bool,
 *  "deny-download" bool (rooms), "provider-item" bool (providerItem: on connected storage,
 *  Google Drive, Dropbox, OneDrive, WebDAV…), "files-count" int (-1), "folders-count" int (-1)
 *  (connected storage always answers 0 for both, whatever it holds),
 *  "created" GDateTime, "updated" GDateTime, "created-by" string (display name),
 *  "web-url" string, "short-web-url" string, "has-expired-links" bool (not from the server: set
 *  by whoever read the item's links; FALSE until then, kept by dsl_item_update_from) */
const char   *dsl_item_get_id                (DslItem *self);
DslItemKind   dsl_item_get_kind              (DslItem *self);
const char   *dsl_item_get_title             (DslItem *self);
const char   *dsl_item_get_parent_id         (DslItem *self);
DslRoomType   dsl_item_get_room_type         (DslItem *self);
int           dsl_item_get_parent_room_type  (DslItem *self);
int           dsl_item_get_root_folder_type  (DslItem *self);
DslFileType   dsl_item_get_file_type         (DslItem *self);
const char   *dsl_item_get_file_extension    (DslItem *self);
gint64        dsl_item_get_size              (DslItem *self);
DslAccess     dsl_item_get_access            (DslItem *self);
gboolean      dsl_item_get_shared            (DslItem *self);
gboolean      dsl_item_get_shared_external   (DslItem *self);
gboolean      dsl_item_get_can_share         (DslItem *self);
gboolean      dsl_item_get_has_expired_links (DslItem *self);
void          dsl_item_set_has_expired_links (DslItem *self,
                                              gboolean has_expired);
gboolean      dsl_item_get_deny_download     (DslItem *self);
gboolean      dsl_item_get_provider_item     (DslItem *self);
int           dsl_item_get_files_count       (DslItem *self);
int           dsl_item_get_folders_count     (DslItem *self);
GDateTime    *dsl_item_get_created           (DslItem *self);
GDateTime    *dsl_item_get_updated           (DslItem *self);
const char   *dsl_item_get_created_by        (DslItem *self);
const char   *dsl_item_get_web_url           (DslItem *self);
const char   *dsl_item_get_short_web_url     (DslItem *self);

/* Copies every field of `other` (an item with the same id, e.g. from a re-read page) into
 * `self`, notifying only the properties whose value changed. Rows bound to `self` stay. */
void          dsl_item_update_from           (DslItem *self,
                                              DslItem *other);

/* TRUE for rooms and folders: things with children. */
gboolean      dsl_item_is_container          (DslItem *self);

/* shareSettings: the link limit for a subject type ("ExternalLink", "PrimaryExternalLink"),
 * or -1 when the server sent no shareSettings (it sends them only when canShare). The server
 * leaves out a limit of 0, so with shareSettings present ExternalLink is 0 when missing. */
int           dsl_item_get_link_limit        (DslItem        *self,
                                              DslSubjectType  subject_type);
void          dsl_item_set_link_limit        (DslItem        *self,
                                              DslSubjectType  subject_type,
                                              int             limit);

/* availableShareRights: the FileShare values allowed for a subject type, in server order
 * (names the client does not know are skipped). Returns NULL and sets *n_rights = 0 when the
 * server sent none for that subject type. */
const DslAccess *dsl_item_get_share_rights   (DslItem        *self,
                                              DslSubjectType  subject_type,
                                              gsize          *n_rights);
gboolean      dsl_item_allows_share_right    (DslItem        *self,
                                              DslSubjectType  subject_type,
                                              DslAccess       access);
void          dsl_item_set_share_rights      (DslItem         *self,
                                              DslSubjectType   subject_type,
                                              const DslAccess *rights,
                                              gsize            n_rights);

/* security: action name -> bool ("Read", "Download", "EditAccess", ...). FALSE when absent. */
gboolean      dsl_item_get_security          (DslItem    *self,
                                              const char *action);
void          dsl_item_set_security          (DslItem    *self,
                                              const char *action,
                                              gboolean    allowed);

/* A page of folder contents (FolderContentDto). Folders come before files in `items`. */
typedef struct {
  DslItem   *current;      /* owned; the folder itself (may be NULL if the server sent none) */
  GPtrArray *items;        /* owned; element-type DslItem, folders then files */
  GPtrArray *path;         /* owned; element-type DslItem (kind folder/room, id + title only),
                              root first, from pathParts */
  guint      start_index;
  guint      count;        /* items in this page */
  guint      total;        /* all items matching the query */
} DslFolderPage;

void          dsl_folder_page_free           (DslFolderPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DslFolderPage, dsl_folder_page_free)

G_END_DECLS

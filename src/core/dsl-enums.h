/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-enums.h: the DocSpace wire enums (numbers exactly as sent on the wire, docspace-api.md §5) */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* FileShare: the `access` of a link or of the current user on an item. */
typedef enum {
  DSL_ACCESS_NONE = 0,
  DSL_ACCESS_READ_WRITE = 1,
  DSL_ACCESS_READ = 2,
  DSL_ACCESS_RESTRICT = 3,
  DSL_ACCESS_VARIES = 4,
  DSL_ACCESS_REVIEW = 5,
  DSL_ACCESS_COMMENT = 6,
  DSL_ACCESS_FILL_FORMS = 7,
  DSL_ACCESS_CUSTOM_FILTER = 8,
  DSL_ACCESS_ROOM_MANAGER = 9,
  DSL_ACCESS_EDITING = 10,
  DSL_ACCESS_CONTENT_CREATOR = 11,
} DslAccess;

/* SubjectType of a FileShareDto. */
typedef enum {
  DSL_SUBJECT_TYPE_USER = 0,
  DSL_SUBJECT_TYPE_EXTERNAL_LINK = 1,
  DSL_SUBJECT_TYPE_GROUP = 2,
  DSL_SUBJECT_TYPE_INVITATION_LINK = 3,
  DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK = 4,
} DslSubjectType;

/* LinkType of sharedLink and of room link requests. */
typedef enum {
  DSL_LINK_TYPE_INVITATION = 0,
  DSL_LINK_TYPE_EXTERNAL = 1,
} DslLinkType;

/* RoomType (`roomType`; the rooms filter `type=`). NONE = not a room. */
typedef enum {
  DSL_ROOM_TYPE_NONE = 0,
  DSL_ROOM_TYPE_FILLING_FORMS = 1,
  DSL_ROOM_TYPE_EDITING = 2,
  DSL_ROOM_TYPE_CUSTOM = 5,
  DSL_ROOM_TYPE_PUBLIC = 6,
  DSL_ROOM_TYPE_VIRTUAL_DATA = 8,
  DSL_ROOM_TYPE_AI = 9,
} DslRoomType;

/* What an entry is, derived from fileEntryType (1 folder, 2 file) and roomType. */
typedef enum {
  DSL_ITEM_KIND_FILE,
  DSL_ITEM_KIND_FOLDER,
  DSL_ITEM_KIND_ROOM,
} DslItemKind;

/* FileType of a FileDto. */
typedef enum {
  DSL_FILE_TYPE_UNKNOWN = 0,
  DSL_FILE_TYPE_ARCHIVE = 1,
  DSL_FILE_TYPE_VIDEO = 2,
  DSL_FILE_TYPE_AUDIO = 3,
  DSL_FILE_TYPE_IMAGE = 4,
  DSL_FILE_TYPE_SPREADSHEET = 5,
  DSL_FILE_TYPE_PRESENTATION = 6,
  DSL_FILE_TYPE_DOCUMENT = 7,
  DSL_FILE_TYPE_PDF = 10,
  DSL_FILE_TYPE_DIAGRAM = 11,
} DslFileType;

/* The MessageAction numbers the app filters the audit trail by (docspace-api.md §7). */
typedef enum {
  DSL_AUDIT_ACTION_FILE_DOWNLOADED = 5009,
  DSL_AUDIT_ACTION_FILE_DOWNLOADED_AS = 5010,
  DSL_AUDIT_ACTION_FOLDER_DOWNLOADED = 5057,
  DSL_AUDIT_ACTION_FILE_EXTERNAL_LINK_ACCESS_UPDATED = 5060,
  DSL_AUDIT_ACTION_FILE_REVISION_DOWNLOADED = 5062,
  DSL_AUDIT_ACTION_FILE_READED = 5064,
  DSL_AUDIT_ACTION_ROOM_INVITATION_LINK_UPDATED = 5082,
  DSL_AUDIT_ACTION_ROOM_INVITATION_LINK_CREATED = 5086,
  DSL_AUDIT_ACTION_ROOM_INVITATION_LINK_DELETED = 5087,
  DSL_AUDIT_ACTION_ROOM_EXTERNAL_LINK_CREATED = 5088,
  DSL_AUDIT_ACTION_ROOM_EXTERNAL_LINK_UPDATED = 5089,
  DSL_AUDIT_ACTION_ROOM_EXTERNAL_LINK_DELETED = 5090,
  DSL_AUDIT_ACTION_FILE_EXTERNAL_LINK_CREATED = 5091,
  DSL_AUDIT_ACTION_FILE_EXTERNAL_LINK_UPDATED = 5092,
  DSL_AUDIT_ACTION_FILE_EXTERNAL_LINK_DELETED = 5093,
  DSL_AUDIT_ACTION_ROOM_EXTERNAL_LINK_REVOKED = 5097,
  DSL_AUDIT_ACTION_ROOM_EXTERNAL_LINK_RENAMED = 5098,
  DSL_AUDIT_ACTION_FOLDER_EXTERNAL_LINK_CREATED = 5122,
  DSL_AUDIT_ACTION_FOLDER_EXTERNAL_LINK_UPDATED = 5123,
  DSL_AUDIT_ACTION_FOLDER_EXTERNAL_LINK_DELETED = 5124,
  DSL_AUDIT_ACTION_ROOM_INVITE_LINK_USED = 7001,
} DslAuditAction;

/* FileShare names as the server spells them in availableShareRights ("Read", "Editing", ...).
 * Returns FALSE for an unknown name. */
gboolean     dsl_access_from_name  (const char *name,
                                    DslAccess  *out_access);
/* The server's name for an access value, or NULL for a value outside the enum. */
const char  *dsl_access_to_name    (DslAccess   access);

/* SubjectType names as used for keys of shareSettings/availableShareRights
 * ("ExternalLink", "PrimaryExternalLink", "InvitationLink", "User", "Group"). */
gboolean     dsl_subject_type_from_name (const char     *name,
                                         DslSubjectType *out_type);
const char  *dsl_subject_type_to_name   (DslSubjectType  type);

/* TRUE for the room types the enum knows. */
gboolean     dsl_room_type_is_valid (int value);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-json.h: JSON -> objects and objects -> request bodies; pure functions, no I/O.
 * Every parser checks node types before each getter, ignores unknown members, and fails with
 * DSL_ERROR_INVALID_RESPONSE naming the missing or mistyped member (e.g. "sharedLink.id"). */
#pragma once

#include <json-glib/json-glib.h>
#include "dsl-audit-event.h"
#include "dsl-item.h"
#include "dsl-link.h"
#include "dsl-share-url.h"
#include "dsl-sharing-policy.h"
#include "dsl-user.h"

G_BEGIN_DECLS

/* ApiDateTime: "2026-06-30T13:45:12.0000000+03:00" (7 fractional digits, Z or ±hh:mm), also
 * plain ISO strings and yyyy-MM-dd. Keeps the offset. NULL with an error naming `member`. */
GDateTime     *dsl_json_parse_date        (const char  *text,
                                           const char  *member,
                                           GError     **error);
/* The wire format the client sends: "2026-07-01T18:00:00.0000000+03:00" (offset kept). */
char          *dsl_json_format_date       (GDateTime   *date);

/* FileDto or FolderDto (rooms are FolderDto with roomType). */
DslItem       *dsl_json_parse_item        (JsonNode    *node,
                                           GError     **error);
/* FolderContentDto. */
DslFolderPage *dsl_json_parse_folder_page (JsonNode    *node,
                                           GError     **error);
/* FileShareDto with sharedLink (a link). */
DslLink       *dsl_json_parse_link        (JsonNode    *node,
                                           GError     **error);
/* An array of FileShareDto; entries that are not links (user/group shares) are skipped.
 * element-type DslLink */
GPtrArray     *dsl_json_parse_links       (JsonNode    *node,
                                           GError     **error);
DslAuditEvent *dsl_json_parse_audit_event (JsonNode    *node,
                                           GError     **error);
/* element-type DslAuditEvent */
GPtrArray     *dsl_json_parse_audit_events (JsonNode   *node,
                                            GError    **error);
DslUser       *dsl_json_parse_user        (JsonNode    *node,
                                           GError     **error);
DslKeyInfo    *dsl_json_parse_key_info    (JsonNode    *node,
                                           GError     **error);
DslAuthResult *dsl_json_parse_auth_result (JsonNode    *node,
                                           GError     **error);
/* ExternalShareDto (GET files/share/{key}): `status` required; ids at most 256 characters,
 * titles cut to 1024; the empty GUID as linkId reads as none. */
/* FilesSettingsDto's sharing members (GET files/settings); a member a portal does not send
 * keeps the server's default (dsl_sharing_policy_init_defaults); one of the wrong type is an
 * error. */
DslSharingPolicy *dsl_json_parse_sharing_policy (JsonNode  *node,
                                                 GError   **error);
DslShareInfo  *dsl_json_parse_share_info  (JsonNode    *node,
                                           GError     **error);

/* The full link request body (docspace-api.md §4): linkId (when the link has an id), access as
 * a number, title, expirationDate as a string with offset (omitted when never expires),
 * password (omitted when none), denyDownload, internal; for rooms (`for_room`) also linkType
 * and, for invitation links, maxUseCount (when > 0). Returns a JSON object node. */
JsonNode      *dsl_json_build_link_request (DslLink    *state,
                                            gboolean    for_room);
/* Serialise a node to a compact string (for request bodies). */
char          *dsl_json_to_string         (JsonNode    *node);

G_END_DECLS

G_BEGIN_DECLS

/* One linear pass over a body before it is parsed: FALSE, with DSL_ERROR_INVALID_RESPONSE
 * "The portal sent a response the app cannot read", when arrays and objects nest deeper than
 * 128 levels (json-glib's parser recurses and would overflow the stack) or an integer literal
 * (no '.', 'e' or 'E') does not fit gint64 (json-glib would read it as -1). Brackets and digits
 * inside strings are not counted. Says nothing else about the text's validity. */
gboolean       dsl_json_check_text        (const char  *data,
                                           gsize        len,
                                           GError     **error);

G_END_DECLS

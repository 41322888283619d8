/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-rules.h: what the signed-in person may do with an item's links, as the server
 * decides it (docspace-api.md §3.4, §6.1, §6.3), in one place for every caller: the sidebar,
 * the checkup, Find Link and the temporary-link guard. No GTK. */
#pragma once

#include <glib.h>

#include "dsl-item.h"
#include "dsl-link.h"

G_BEGIN_DECLS

/* May this link be removed: deleted, or revoked and regenerated for a link with canRevoke?
 * The server checks the requested role (None) against the item (FileSharing.cs):
 *  - files: anyone with canShare (FileSecurity.GetAccesses (file, subjectType) always allows
 *    None when a link is changed, although availableShareRights lists it for the creator only);
 *  - rooms: anyone with canShare, checked against the room type's table
 *    (FileSecurity.AvailableRoomAccesses, which has None for every room type with links);
 *  - plain folders: only the folder's creator, which is exactly when availableShareRights
 *    lists None for the link's subject type;
 *  - a room's invitation link: whoever manages the room's members (security.EditAccess). */
gboolean         dsl_link_rules_can_remove       (DslItem *item,
                                                  DslLink *link);

/* Why dsl_link_rules_can_remove says no, in words for the person (translated); NULL when the
 * link may be removed. */
const char      *dsl_link_rules_explain_no_remove (DslItem *item,
                                                   DslLink *link);

/* Can the person see and manage this room's invitation link? Every room type has one
 * (custom, public, form filling, collaboration, virtual data, AI); it takes the right to manage
 * the room's members, security.EditAccess. availableShareRights never says (it has no
 * InvitationLink key). FALSE for files and folders. */
gboolean         dsl_link_rules_has_invitation   (DslItem *item);

/* The roles an invitation link of a room of this type may give new members, in the server's
 * order (FileSecurity.AvailableRoomAccesses; never Room manager, None left out). NULL and
 * *n_roles = 0 for an unknown room type. */
const DslAccess *dsl_link_rules_invitation_roles (DslRoomType  room_type,
                                                  gsize       *n_roles);

/* The roles a link of this subject type may have on the item, in the server's order: for
 * external links availableShareRights (dsl_item_get_share_rights, None included where the
 * server lists it), for a room's invitation link dsl_link_rules_invitation_roles of the room's
 * type. NULL and *n_roles = 0 when there are none. */
const DslAccess *dsl_link_rules_roles            (DslItem        *item,
                                                  DslSubjectType  subject_type,
                                                  gsize          *n_roles);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sharing-policy.h: the portal's external sharing settings (issue 17; docspace-api.md §9),
 * from GET files/settings (FilesSettingsDto, any signed-in user), and what they mean for one
 * item, as the server decides it:
 *  - creation restricted (ExternalShare.cs IsCreationRestrictedAsync): sharing is off and the
 *    restriction applies to the item's section — My documents (root folder type USER) with
 *    "apply to documents", the Rooms section (VirtualRooms) with "apply to rooms". A new or
 *    changed link is then made portal-users-only (FileStorageService.cs
 *    ResolveRequiredAuthAsync), except in a public room, where the server refuses (403);
 *  - existing links blocked (IsGlobalRestrictionApplies): the same, and "block existing links"
 *    is on: public links still listed no longer open for visitors (ExternalAccessDenied);
 *  - new links internal by default ("defaultShareLinkInternal"; forced on while sharing is off,
 *    FilesSettings.cs:525), outside public rooms. */
#pragma once

#include <glib-object.h>

#include "dsl-item.h"

G_BEGIN_DECLS

typedef struct {
  gboolean external_share;       /* "externalShare": public links allowed */
  gboolean apply_to_documents;   /* "externalShareApplyToDocuments" */
  gboolean apply_to_rooms;       /* "externalShareApplyToRooms" */
  gboolean block_existing;       /* "blockExistingLinksOnRestrict" */
  gboolean default_internal;     /* "defaultShareLinkInternal" */
} DslSharingPolicy;

#define DSL_TYPE_SHARING_POLICY (dsl_sharing_policy_get_type ())
GType             dsl_sharing_policy_get_type (void) G_GNUC_CONST;
DslSharingPolicy *dsl_sharing_policy_copy     (const DslSharingPolicy *self);
void              dsl_sharing_policy_free     (DslSharingPolicy       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DslSharingPolicy, dsl_sharing_policy_free)

/* The server's defaults (FilesSettings.cs:229-237): sharing allowed. */
void              dsl_sharing_policy_init_defaults (DslSharingPolicy *self);
gboolean          dsl_sharing_policy_equal    (const DslSharingPolicy *a,
                                               const DslSharingPolicy *b);

/* For an item whose root folder type is `root_folder_type` (dsl_item_get_root_folder_type). */
gboolean          dsl_sharing_policy_restricts_creation (const DslSharingPolicy *self,
                                                         int                     root_folder_type);
gboolean          dsl_sharing_policy_blocks_existing    (const DslSharingPolicy *self,
                                                         int                     root_folder_type);

G_END_DECLS

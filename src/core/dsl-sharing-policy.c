/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sharing-policy.c: see dsl-sharing-policy.h. */

#include "config.h"

#include "dsl-sharing-policy.h"

/* FolderType (docspace-api.md §5): the sections the restriction names. */
#define FOLDER_TYPE_USER 5
#define FOLDER_TYPE_VIRTUAL_ROOMS 14

G_DEFINE_BOXED_TYPE (DslSharingPolicy, dsl_sharing_policy, dsl_sharing_policy_copy,
                     dsl_sharing_policy_free)

DslSharingPolicy *
dsl_sharing_policy_copy (const DslSharingPolicy *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

void
dsl_sharing_policy_free (DslSharingPolicy *self)
{
  g_free (self);
}

void
dsl_sharing_policy_init_defaults (DslSharingPolicy *self)
{
  g_return_if_fail (self != NULL);

  self->external_share = TRUE;
  self->apply_to_documents = TRUE;
  self->apply_to_rooms = TRUE;
  self->block_existing = TRUE;
  self->default_internal = FALSE;
}

gboolean
dsl_sharing_policy_equal (const DslSharingPolicy *a,
                          const DslSharingPolicy *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return !a->external_share == !b->external_share &&
         !a->apply_to_documents == !b->apply_to_documents &&
         !a->apply_to_rooms == !b->apply_to_rooms &&
         !a->block_existing == !b->block_existing &&
         !a->default_internal == !b->default_internal;
}

/* ExternalShare.cs IsCreationRestrictedAsync: by the entry's root folder type. */
gboolean
dsl_sharing_policy_restricts_creation (const DslSharingPolicy *self,
                                       int                     root_folder_type)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->external_share)
    return FALSE;
  switch (root_folder_type)
    {
    case FOLDER_TYPE_USER:
      return self->apply_to_documents;
    case FOLDER_TYPE_VIRTUAL_ROOMS:
      return self->apply_to_rooms;
    default:
      return FALSE;
    }
}

/* ExternalShare.cs IsGlobalRestrictionApplies. */
gboolean
dsl_sharing_policy_blocks_existing (const DslSharingPolicy *self,
                                    int                     root_folder_type)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->block_existing && dsl_sharing_policy_restricts_creation (self, root_folder_type);
}

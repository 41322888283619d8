/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-rules.c: the server's rules for removing links and for invitation links, read from
 * ONLYOFFICE/DocSpace-server 3.7 (products/ASC.Files/Core/Utils/FileSharing.cs,
 * products/ASC.Files/Core/Core/Security/FileSecurity.cs, FileEntryDto.cs); see the header. */
#define G_LOG_DOMAIN "dsl-link-rules"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "dsl-link-rules.h"

/* DslLink's subject type, from its flags when the server left subjectType out. */
static DslSubjectType
subject_of (DslLink *link)
{
  if (dsl_link_get_link_type (link) == DSL_LINK_TYPE_INVITATION ||
      dsl_link_get_subject_type (link) == DSL_SUBJECT_TYPE_INVITATION_LINK)
    return DSL_SUBJECT_TYPE_INVITATION_LINK;
  if (dsl_link_get_primary (link) ||
      dsl_link_get_subject_type (link) == DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK)
    return DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK;
  return DSL_SUBJECT_TYPE_EXTERNAL_LINK;
}

gboolean
dsl_link_rules_has_invitation (DslItem *item)
{
  g_return_val_if_fail (DSL_IS_ITEM (item), FALSE);

  return dsl_item_get_kind (item) == DSL_ITEM_KIND_ROOM &&
         dsl_link_rules_invitation_roles (dsl_item_get_room_type (item), NULL) != NULL &&
         dsl_item_get_security (item, "EditAccess");
}

gboolean
dsl_link_rules_can_remove (DslItem *item,
                           DslLink *link)
{
  DslSubjectType subject;

  g_return_val_if_fail (DSL_IS_ITEM (item), FALSE);
  g_return_val_if_fail (DSL_IS_LINK (link), FALSE);

  subject = subject_of (link);
  if (subject == DSL_SUBJECT_TYPE_INVITATION_LINK)
    return dsl_link_rules_has_invitation (item);
  if (!dsl_item_get_can_share (item))
    return FALSE;

  switch (dsl_item_get_kind (item))
    {
    case DSL_ITEM_KIND_FILE:
    case DSL_ITEM_KIND_ROOM:
      return TRUE;
    case DSL_ITEM_KIND_FOLDER:
    default:
      return dsl_item_allows_share_right (item, subject, DSL_ACCESS_NONE);
    }
}

const char *
dsl_link_rules_explain_no_remove (DslItem *item,
                                  DslLink *link)
{
  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (DSL_IS_LINK (link), NULL);

  if (dsl_link_rules_can_remove (item, link))
    return NULL;
  if (subject_of (link) == DSL_SUBJECT_TYPE_INVITATION_LINK)
    return _("Only the room's managers can remove its invitation link.");
  if (dsl_item_get_can_share (item) && dsl_item_get_kind (item) == DSL_ITEM_KIND_FOLDER)
    return _("Only the folder's creator can remove its links.");
  return _("You cannot manage the links of this item: ask its owner or a room manager.");
}

const DslAccess *
dsl_link_rules_invitation_roles (DslRoomType  room_type,
                                 gsize       *n_roles)
{
  static const DslAccess custom[] = {
    DSL_ACCESS_CONTENT_CREATOR, DSL_ACCESS_EDITING, DSL_ACCESS_REVIEW, DSL_ACCESS_COMMENT,
    DSL_ACCESS_READ,
  };
  static const DslAccess read_only[] = { DSL_ACCESS_CONTENT_CREATOR, DSL_ACCESS_READ };
  static const DslAccess filling[] = { DSL_ACCESS_CONTENT_CREATOR, DSL_ACCESS_FILL_FORMS };
  static const DslAccess editing[] = {
    DSL_ACCESS_CONTENT_CREATOR, DSL_ACCESS_EDITING, DSL_ACCESS_READ,
  };
  static const DslAccess data_room[] = {
    DSL_ACCESS_CONTENT_CREATOR, DSL_ACCESS_EDITING, DSL_ACCESS_READ, DSL_ACCESS_FILL_FORMS,
  };
  const DslAccess *roles = NULL;
  gsize n = 0;

#define PICK(table) (roles = (table), n = G_N_ELEMENTS (table))
  switch (room_type)
    {
    case DSL_ROOM_TYPE_CUSTOM:
      PICK (custom);
      break;
    case DSL_ROOM_TYPE_PUBLIC:
    case DSL_ROOM_TYPE_AI:
      PICK (read_only);
      break;
    case DSL_ROOM_TYPE_FILLING_FORMS:
      PICK (filling);
      break;
    case DSL_ROOM_TYPE_EDITING:
      PICK (editing);
      break;
    case DSL_ROOM_TYPE_VIRTUAL_DATA:
      PICK (data_room);
      break;
    case DSL_ROOM_TYPE_NONE:
    default:
      break;
    }
#undef PICK

  if (n_roles != NULL)
    *n_roles = n;
  return roles;
}

const DslAccess *
dsl_link_rules_roles (DslItem        *item,
                      DslSubjectType  subject_type,
                      gsize          *n_roles)
{
  gsize n = 0;
  const DslAccess *roles;

  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);

  if (subject_type == DSL_SUBJECT_TYPE_INVITATION_LINK)
    roles = dsl_item_get_kind (item) == DSL_ITEM_KIND_ROOM
            ? dsl_link_rules_invitation_roles (dsl_item_get_room_type (item), &n) : NULL;
  else
    roles = dsl_item_get_share_rights (item, subject_type, &n);
  if (n_roles != NULL)
    *n_roles = roles != NULL ? n : 0;
  return roles;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-enums.c: name <-> value tables for the wire enums whose names appear in JSON
 * (availableShareRights values, shareSettings/availableShareRights keys). The GTypes come from
 * dsl-enum-types (glib-mkenums). */
#define G_LOG_DOMAIN "dsl-enums"

#include "dsl-enums.h"

typedef struct {
  const char *name;
  int         value;
} DslNameEntry;

/* Canonical names first (dsl_access_to_name uses the first match), then the older aliases
 * still found in docs and the web client. */
static const DslNameEntry access_names[] = {
  { "None", DSL_ACCESS_NONE },
  { "ReadWrite", DSL_ACCESS_READ_WRITE },
  { "Read", DSL_ACCESS_READ },
  { "Restrict", DSL_ACCESS_RESTRICT },
  { "Varies", DSL_ACCESS_VARIES },
  { "Review", DSL_ACCESS_REVIEW },
  { "Comment", DSL_ACCESS_COMMENT },
  { "FillForms", DSL_ACCESS_FILL_FORMS },
  { "CustomFilter", DSL_ACCESS_CUSTOM_FILTER },
  { "RoomManager", DSL_ACCESS_ROOM_MANAGER },
  { "Editing", DSL_ACCESS_EDITING },
  { "ContentCreator", DSL_ACCESS_CONTENT_CREATOR },
  /* aliases */
  { "RoomAdmin", DSL_ACCESS_ROOM_MANAGER },
  { "PowerUser", DSL_ACCESS_CONTENT_CREATOR },
  { "FullAccess", DSL_ACCESS_READ_WRITE },
  { "ReadOnly", DSL_ACCESS_READ },
  { "DenyAccess", DSL_ACCESS_RESTRICT },
};

static const DslNameEntry subject_type_names[] = {
  { "User", DSL_SUBJECT_TYPE_USER },
  { "ExternalLink", DSL_SUBJECT_TYPE_EXTERNAL_LINK },
  { "Group", DSL_SUBJECT_TYPE_GROUP },
  { "InvitationLink", DSL_SUBJECT_TYPE_INVITATION_LINK },
  { "PrimaryExternalLink", DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK },
};

static gboolean
lookup_name (const DslNameEntry *table,
             gsize               n_entries,
             const char         *name,
             int                *out_value)
{
  g_assert (table != NULL);

  if (name == NULL)
    return FALSE;

  for (gsize i = 0; i < n_entries; i++)
    {
      if (g_ascii_strcasecmp (table[i].name, name) == 0)
        {
          if (out_value != NULL)
            *out_value = table[i].value;
          return TRUE;
        }
    }

  return FALSE;
}

static const char *
lookup_value (const DslNameEntry *table,
              gsize               n_entries,
              int                 value)
{
  for (gsize i = 0; i < n_entries; i++)
    {
      if (table[i].value == value)
        return table[i].name;
    }

  return NULL;
}

gboolean
dsl_access_from_name (const char *name,
                      DslAccess  *out_access)
{
  int value = 0;

  g_return_val_if_fail (name != NULL, FALSE);

  if (!lookup_name (access_names, G_N_ELEMENTS (access_names), name, &value))
    return FALSE;

  if (out_access != NULL)
    *out_access = (DslAccess) value;

  return TRUE;
}

const char *
dsl_access_to_name (DslAccess access)
{
  return lookup_value (access_names, G_N_ELEMENTS (access_names), (int) access);
}

gboolean
dsl_subject_type_from_name (const char     *name,
                            DslSubjectType *out_type)
{
  int value = 0;

  g_return_val_if_fail (name != NULL, FALSE);

  if (!lookup_name (subject_type_names, G_N_ELEMENTS (subject_type_names), name, &value))
    return FALSE;

  if (out_type != NULL)
    *out_type = (DslSubjectType) value;

  return TRUE;
}

const char *
dsl_subject_type_to_name (DslSubjectType type)
{
  return lookup_value (subject_type_names, G_N_ELEMENTS (subject_type_names), (int) type);
}

gboolean
dsl_room_type_is_valid (int value)
{
  switch (value)
    {
    case DSL_ROOM_TYPE_FILLING_FORMS:
    case DSL_ROOM_TYPE_EDITING:
    case DSL_ROOM_TYPE_CUSTOM:
    case DSL_ROOM_TYPE_PUBLIC:
    case DSL_ROOM_TYPE_VIRTUAL_DATA:
    case DSL_ROOM_TYPE_AI:
      return TRUE;
    default:
      return FALSE;
    }
}

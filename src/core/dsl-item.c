/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-item.c: a room, folder or file of the portal.
 *
 *   FileDto / FolderDto (JSON) --dsl-json--> DslItem --> GListStore in the tree
 *
 * Ids are opaque strings (DocSpace ints and third-party strings alike). Besides the plain
 * properties an item carries the per-subject-type link limits (shareSettings), the allowed
 * link roles (availableShareRights) and the `security` map. */
#define G_LOG_DOMAIN "dsl-item"

#include "dsl-item.h"
#include "dsl-enum-types.h"

#include <stdlib.h>
#include <string.h>

/* SubjectType values are 0..4: one slot each. */
#define N_SUBJECT_TYPES (DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK + 1)

/* The `security` action names of files, folders and rooms (docspace-api.md §3.4). Kept as one
 * bit each: a folder of 10,000 files would otherwise hold 270,000 small strings. */
static const char * const SECURITY_ACTIONS[] = {
  "AskAi", "ChangeOwner", "Comment", "Convert", "Copy", "CopyLink", "CopySharedLink", "CopyTo",
  "Create", "CreateRoomFrom", "CustomFilter", "Delete", "Download", "Duplicate", "Edit",
  "EditAccess", "EditHistory", "EditRoom", "Embed", "FillForms", "FillingStatus", "IndexExport",
  "Lock", "Move", "MoveTo", "Mute", "OpenForm", "Pin", "Read", "ReadHistory", "Reconnect",
  "Rename", "ResetFilling", "Review", "StartFilling", "StopFilling", "SubmitToFormGallery",
  "UseChat", "Vectorization",
};
G_STATIC_ASSERT (G_N_ELEMENTS (SECURITY_ACTIONS) <= 64);

static int
compare_action (const void *key,
                const void *element)
{
  return strcmp (key, *(const char * const *) element);
}

/* The bit of a known action name, or -1. */
static int
security_action_bit (const char *action)
{
  const char * const *found = bsearch (action, SECURITY_ACTIONS, G_N_ELEMENTS (SECURITY_ACTIONS),
                                       sizeof SECURITY_ACTIONS[0], compare_action);

  return found != NULL ? (int) (found - SECURITY_ACTIONS) : -1;
}

struct _DslItem
{
  GObject      parent_instance;

  /* owned */
  char        *id;
  char        *title;
  char        *parent_id;
  char        *file_extension;
  char        *created_by;
  char        *web_url;
  char        *short_web_url;
  GDateTime   *created;
  GDateTime   *updated;
  GArray      *share_rights[N_SUBJECT_TYPES];  /* element DslAccess; NULL = none sent */
  guint64      security;                       /* bit i = SECURITY_ACTIONS[i] allowed */

  /* plain values */
  DslItemKind  kind;
  DslRoomType  room_type;
  DslFileType  file_type;
  DslAccess    access;
  int          parent_room_type;
  int          root_folder_type;
  int          files_count;
  int          folders_count;
  gint64       size;
  int          link_limits[N_SUBJECT_TYPES];   /* -1 = none sent */
  guint        shared : 1;
  guint        shared_external : 1;
  guint        can_share : 1;
  guint        deny_download : 1;
  guint        provider_item : 1;       /* connected (third-party) storage */
  guint        has_expired_links : 1;   /* known only once its links were read */
};

G_DEFINE_FINAL_TYPE (DslItem, dsl_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_TITLE,
  PROP_PARENT_ID,
  PROP_ROOM_TYPE,
  PROP_PARENT_ROOM_TYPE,
  PROP_ROOT_FOLDER_TYPE,
  PROP_FILE_TYPE,
  PROP_FILE_EXTENSION,
  PROP_SIZE,
  PROP_ACCESS,
  PROP_SHARED,
  PROP_SHARED_EXTERNAL,
  PROP_CAN_SHARE,
  PROP_DENY_DOWNLOAD,
  PROP_PROVIDER_ITEM,
  PROP_FILES_COUNT,
  PROP_FOLDERS_COUNT,
  PROP_CREATED,
  PROP_UPDATED,
  PROP_CREATED_BY,
  PROP_WEB_URL,
  PROP_SHORT_WEB_URL,
  PROP_HAS_EXPIRED_LINKS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
subject_type_is_valid (DslSubjectType subject_type)
{
  return (int) subject_type >= 0 && (int) subject_type < N_SUBJECT_TYPES;
}

static void
set_string (DslItem     *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_date (DslItem    *self,
          GDateTime **field,
          GDateTime  *value,
          guint       prop_id)
{
  if (*field == value)
    return;
  if (*field != NULL && value != NULL && g_date_time_equal (*field, value))
    return;

  g_clear_pointer (field, g_date_time_unref);
  if (value != NULL)
    *field = g_date_time_ref (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_int (DslItem *self,
         int     *field,
         int      value,
         guint    prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

#define SET_FLAG(self, field, value, prop_id)                                  \
  G_STMT_START {                                                               \
    gboolean set_flag_v_ = !!(value);                                          \
    if ((self)->field != set_flag_v_)                                          \
      {                                                                        \
        (self)->field = set_flag_v_;                                           \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);       \
      }                                                                        \
  } G_STMT_END

static void
dsl_item_finalize (GObject *object)
{
  DslItem *self = (DslItem *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->parent_id, g_free);
  g_clear_pointer (&self->file_extension, g_free);
  g_clear_pointer (&self->created_by, g_free);
  g_clear_pointer (&self->web_url, g_free);
  g_clear_pointer (&self->short_web_url, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);
  for (guint i = 0; i < N_SUBJECT_TYPES; i++)
    g_clear_pointer (&self->share_rights[i], g_array_unref);

  G_OBJECT_CLASS (dsl_item_parent_class)->finalize (object);
}

static void
dsl_item_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  DslItem *self = DSL_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PARENT_ID:
      g_value_set_string (value, self->parent_id);
      break;
    case PROP_ROOM_TYPE:
      g_value_set_enum (value, self->room_type);
      break;
    case PROP_PARENT_ROOM_TYPE:
      g_value_set_int (value, self->parent_room_type);
      break;
    case PROP_ROOT_FOLDER_TYPE:
      g_value_set_int (value, self->root_folder_type);
      break;
    case PROP_FILE_TYPE:
      g_value_set_enum (value, self->file_type);
      break;
    case PROP_FILE_EXTENSION:
      g_value_set_string (value, self->file_extension);
      break;
    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case PROP_ACCESS:
      g_value_set_enum (value, self->access);
      break;
    case PROP_SHARED:
      g_value_set_boolean (value, self->shared);
      break;
    case PROP_SHARED_EXTERNAL:
      g_value_set_boolean (value, self->shared_external);
      break;
    case PROP_CAN_SHARE:
      g_value_set_boolean (value, self->can_share);
      break;
    case PROP_HAS_EXPIRED_LINKS:
      g_value_set_boolean (value, self->has_expired_links);
      break;
    case PROP_DENY_DOWNLOAD:
      g_value_set_boolean (value, self->deny_download);
      break;
    case PROP_PROVIDER_ITEM:
      g_value_set_boolean (value, self->provider_item);
      break;
    case PROP_FILES_COUNT:
      g_value_set_int (value, self->files_count);
      break;
    case PROP_FOLDERS_COUNT:
      g_value_set_int (value, self->folders_count);
      break;
    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case PROP_UPDATED:
      g_value_set_boxed (value, self->updated);
      break;
    case PROP_CREATED_BY:
      g_value_set_string (value, self->created_by);
      break;
    case PROP_WEB_URL:
      g_value_set_string (value, self->web_url);
      break;
    case PROP_SHORT_WEB_URL:
      g_value_set_string (value, self->short_web_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_item_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  DslItem *self = DSL_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      set_string (self, &self->id, g_value_get_string (value), prop_id);
      break;
    case PROP_KIND:
      set_int (self, (int *) &self->kind, g_value_get_enum (value), prop_id);
      break;
    case PROP_TITLE:
      set_string (self, &self->title, g_value_get_string (value), prop_id);
      break;
    case PROP_PARENT_ID:
      set_string (self, &self->parent_id, g_value_get_string (value), prop_id);
      break;
    case PROP_ROOM_TYPE:
      set_int (self, (int *) &self->room_type, g_value_get_enum (value), prop_id);
      break;
    case PROP_PARENT_ROOM_TYPE:
      set_int (self, &self->parent_room_type, g_value_get_int (value), prop_id);
      break;
    case PROP_ROOT_FOLDER_TYPE:
      set_int (self, &self->root_folder_type, g_value_get_int (value), prop_id);
      break;
    case PROP_FILE_TYPE:
      set_int (self, (int *) &self->file_type, g_value_get_enum (value), prop_id);
      break;
    case PROP_FILE_EXTENSION:
      set_string (self, &self->file_extension, g_value_get_string (value), prop_id);
      break;
    case PROP_SIZE:
      if (self->size != g_value_get_int64 (value))
        {
          self->size = g_value_get_int64 (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_ACCESS:
      set_int (self, (int *) &self->access, g_value_get_enum (value), prop_id);
      break;
    case PROP_SHARED:
      SET_FLAG (self, shared, g_value_get_boolean (value), prop_id);
      break;
    case PROP_SHARED_EXTERNAL:
      SET_FLAG (self, shared_external, g_value_get_boolean (value), prop_id);
      break;
    case PROP_CAN_SHARE:
      SET_FLAG (self, can_share, g_value_get_boolean (value), prop_id);
      break;
    case PROP_HAS_EXPIRED_LINKS:
      SET_FLAG (self, has_expired_links, g_value_get_boolean (value), prop_id);
      break;
    case PROP_DENY_DOWNLOAD:
      SET_FLAG (self, deny_download, g_value_get_boolean (value), prop_id);
      break;
    case PROP_PROVIDER_ITEM:
      SET_FLAG (self, provider_item, g_value_get_boolean (value), prop_id);
      break;
    case PROP_FILES_COUNT:
      set_int (self, &self->files_count, g_value_get_int (value), prop_id);
      break;
    case PROP_FOLDERS_COUNT:
      set_int (self, &self->folders_count, g_value_get_int (value), prop_id);
      break;
    case PROP_CREATED:
      set_date (self, &self->created, g_value_get_boxed (value), prop_id);
      break;
    case PROP_UPDATED:
      set_date (self, &self->updated, g_value_get_boxed (value), prop_id);
      break;
    case PROP_CREATED_BY:
      set_string (self, &self->created_by, g_value_get_string (value), prop_id);
      break;
    case PROP_WEB_URL:
      set_string (self, &self->web_url, g_value_get_string (value), prop_id);
      break;
    case PROP_SHORT_WEB_URL:
      set_string (self, &self->short_web_url, g_value_get_string (value), prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_item_class_init (DslItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dsl_item_finalize;
  object_class->get_property = dsl_item_get_property;
  object_class->set_property = dsl_item_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       DSL_TYPE_ITEM_KIND, DSL_ITEM_KIND_FILE, flags);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_PARENT_ID] =
    g_param_spec_string ("parent-id", NULL, NULL, NULL, flags);
  properties[PROP_ROOM_TYPE] =
    g_param_spec_enum ("room-type", NULL, NULL,
                       DSL_TYPE_ROOM_TYPE, DSL_ROOM_TYPE_NONE, flags);
  properties[PROP_PARENT_ROOM_TYPE] =
    g_param_spec_int ("parent-room-type", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_ROOT_FOLDER_TYPE] =
    g_param_spec_int ("root-folder-type", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_FILE_TYPE] =
    g_param_spec_enum ("file-type", NULL, NULL,
                       DSL_TYPE_FILE_TYPE, DSL_FILE_TYPE_UNKNOWN, flags);
  properties[PROP_FILE_EXTENSION] =
    g_param_spec_string ("file-extension", NULL, NULL, NULL, flags);
  properties[PROP_SIZE] =
    g_param_spec_int64 ("size", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_ACCESS] =
    g_param_spec_enum ("access", NULL, NULL,
                       DSL_TYPE_ACCESS, DSL_ACCESS_NONE, flags);
  properties[PROP_SHARED] =
    g_param_spec_boolean ("shared", NULL, NULL, FALSE, flags);
  properties[PROP_SHARED_EXTERNAL] =
    g_param_spec_boolean ("shared-external", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_SHARE] =
    g_param_spec_boolean ("can-share", NULL, NULL, FALSE, flags);
  properties[PROP_HAS_EXPIRED_LINKS] =
    g_param_spec_boolean ("has-expired-links", NULL, NULL, FALSE, flags);
  properties[PROP_DENY_DOWNLOAD] =
    g_param_spec_boolean ("deny-download", NULL, NULL, FALSE, flags);
  properties[PROP_PROVIDER_ITEM] =
    g_param_spec_boolean ("provider-item", NULL, NULL, FALSE, flags);
  properties[PROP_FILES_COUNT] =
    g_param_spec_int ("files-count", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_FOLDERS_COUNT] =
    g_param_spec_int ("folders-count", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_UPDATED] =
    g_param_spec_boxed ("updated", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_CREATED_BY] =
    g_param_spec_string ("created-by", NULL, NULL, NULL, flags);
  properties[PROP_WEB_URL] =
    g_param_spec_string ("web-url", NULL, NULL, NULL, flags);
  properties[PROP_SHORT_WEB_URL] =
    g_param_spec_string ("short-web-url", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dsl_item_init (DslItem *self)
{
  self->kind = DSL_ITEM_KIND_FILE;
  self->room_type = DSL_ROOM_TYPE_NONE;
  self->file_type = DSL_FILE_TYPE_UNKNOWN;
  self->access = DSL_ACCESS_NONE;
  self->size = -1;
  self->files_count = -1;
  self->folders_count = -1;
  for (guint i = 0; i < N_SUBJECT_TYPES; i++)
    self->link_limits[i] = -1;
}

DslItem *
dsl_item_new (DslItemKind  kind,
              const char  *id,
              const char  *title)
{
  return g_object_new (DSL_TYPE_ITEM,
                       "kind", kind,
                       "id", id,
                       "title", title,
                       NULL);
}

const char *
dsl_item_get_id (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), NULL);
  return self->id;
}

DslItemKind
dsl_item_get_kind (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), DSL_ITEM_KIND_FILE);
  return self->kind;
}

const char *
dsl_item_get_title (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), NULL);
  return self->title;
}

const char *
dsl_item_get_parent_id (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), NULL);
  return self->parent_id;
}

DslRoomType
dsl_item_get_room_type (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), DSL_ROOM_TYPE_NONE);
  return self->room_type;
}

int
dsl_item_get_parent_room_type (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), 0);
  return self->parent_room_type;
}

int
dsl_item_get_root_folder_type (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), 0);
  return self->root_folder_type;
}

DslFileType
dsl_item_get_file_type (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), DSL_FILE_TYPE_UNKNOWN);
  return self->file_type;
}

const char *
dsl_item_get_file_extension (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), NULL);
  return self->file_extension;
}

gint64
dsl_item_get_size (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), -1);
  return self->size;
}

DslAccess
dsl_item_get_access (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), DSL_ACCESS_NONE);
  return self->access;
}

gboolean
dsl_item_get_shared (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), FALSE);
  return self->shared;
}

gboolean
dsl_item_get_shared_external (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), FALSE);
  return self->shared_external;
}

gboolean
dsl_item_get_can_share (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), FALSE);
  return self->can_share;
}

gboolean
dsl_item_get_has_expired_links (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), FALSE);
  return self->has_expired_links;
}

void
dsl_item_set_has_expired_links (DslItem  *self,
                                gboolean  has_expired)
{
  g_return_if_fail (DSL_IS_ITEM (self));
  SET_FLAG (self, has_expired_links, has_expired, PROP_HAS_EXPIRED_LINKS);
}

gboolean
dsl_item_get_deny_download (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), FALSE);
  return self->deny_download;
}

gboolean
dsl_item_get_provider_item (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), FALSE);
  return self->provider_item;
}

int
dsl_item_get_files_count (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), -1);
  return self->files_count;
}

int
dsl_item_get_folders_count (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), -1);
  return self->folders_count;
}

GDateTime *
dsl_item_get_created (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), NULL);
  return self->created;
}

GDateTime *
dsl_item_get_updated (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), NULL);
  return self->updated;
}

const char *
dsl_item_get_created_by (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), NULL);
  return self->created_by;
}

const char *
dsl_item_get_web_url (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), NULL);
  return self->web_url;
}

const char *
dsl_item_get_short_web_url (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), NULL);
  return self->short_web_url;
}

gboolean
dsl_item_is_container (DslItem *self)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), FALSE);
  return self->kind == DSL_ITEM_KIND_FOLDER || self->kind == DSL_ITEM_KIND_ROOM;
}

int
dsl_item_get_link_limit (DslItem        *self,
                         DslSubjectType  subject_type)
{
  g_return_val_if_fail (DSL_IS_ITEM (self), -1);
  g_return_val_if_fail (subject_type_is_valid (subject_type), -1);

  return self->link_limits[subject_type];
}

void
dsl_item_set_link_limit (DslItem        *self,
                         DslSubjectType  subject_type,
                         int             limit)
{
  g_return_if_fail (DSL_IS_ITEM (self));
  g_return_if_fail (subject_type_is_valid (subject_type));

  self->link_limits[subject_type] = MAX (limit, -1);
}

const DslAccess *
dsl_item_get_share_rights (DslItem        *self,
                           DslSubjectType  subject_type,
                           gsize          *n_rights)
{
  GArray *rights;

  if (n_rights != NULL)
    *n_rights = 0;

  g_return_val_if_fail (DSL_IS_ITEM (self), NULL);
  g_return_val_if_fail (subject_type_is_valid (subject_type), NULL);

  rights = self->share_rights[subject_type];
  if (rights == NULL)
    return NULL;

  if (n_rights != NULL)
    *n_rights = rights->len;

  /* An empty list the server did send is not NULL (NULL means "none sent"). */
  if (rights->len == 0)
    {
      static const DslAccess nothing[1] = { DSL_ACCESS_NONE };
      return nothing;
    }

  return (const DslAccess *) (gpointer) rights->data;
}

gboolean
dsl_item_allows_share_right (DslItem        *self,
                             DslSubjectType  subject_type,
                             DslAccess       access)
{
  GArray *rights;

  g_return_val_if_fail (DSL_IS_ITEM (self), FALSE);
  g_return_val_if_fail (subject_type_is_valid (subject_type), FALSE);

  rights = self->share_rights[subject_type];
  if (rights == NULL)
    return FALSE;

  for (guint i = 0; i < rights->len; i++)
    {
      if (g_array_index (rights, DslAccess, i) == access)
        return TRUE;
    }

  return FALSE;
}

/* Every file of a folder usually allows the same roles: the lists are shared, immutable
 * arrays, one per distinct list, kept for the life of the process (there are only a few). */
G_LOCK_DEFINE_STATIC (rights_cache);
static GPtrArray *rights_cache;

static GArray *
intern_rights (const DslAccess *rights,
               gsize            n_rights)
{
  GArray *array;

  G_LOCK (rights_cache);
  if (rights_cache == NULL)
    rights_cache = g_ptr_array_new ();
  for (guint i = 0; i < rights_cache->len; i++)
    {
      array = g_ptr_array_index (rights_cache, i);
      if (array->len == n_rights &&
          (n_rights == 0 || memcmp (array->data, rights, n_rights * sizeof (DslAccess)) == 0))
        {
          G_UNLOCK (rights_cache);
          return g_array_ref (array);
        }
    }
  array = g_array_sized_new (FALSE, FALSE, sizeof (DslAccess), n_rights);
  g_array_append_vals (array, rights, n_rights);
  g_ptr_array_add (rights_cache, g_array_ref (array));
  G_UNLOCK (rights_cache);

  return array;
}

void
dsl_item_set_share_rights (DslItem         *self,
                           DslSubjectType   subject_type,
                           const DslAccess *rights,
                           gsize            n_rights)
{
  g_return_if_fail (DSL_IS_ITEM (self));
  g_return_if_fail (subject_type_is_valid (subject_type));
  g_return_if_fail (rights != NULL || n_rights == 0);

  /* An empty list from the server ("nothing allowed") differs from no list at all, so an
   * empty array is kept; NULL rights with 0 length means "the server sent none". */
  g_clear_pointer (&self->share_rights[subject_type], g_array_unref);
  if (rights == NULL)
    return;

  self->share_rights[subject_type] = intern_rights (rights, n_rights);
}

gboolean
dsl_item_get_security (DslItem    *self,
                       const char *action)
{
  int bit;

  g_return_val_if_fail (DSL_IS_ITEM (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  bit = security_action_bit (action);
  return bit >= 0 && (self->security & (G_GUINT64_CONSTANT (1) << bit)) != 0;
}

void
dsl_item_set_security (DslItem    *self,
                       const char *action,
                       gboolean    allowed)
{
  int bit;

  g_return_if_fail (DSL_IS_ITEM (self));
  g_return_if_fail (action != NULL);

  bit = security_action_bit (action);

  /* Actions this client does not know are not kept: nothing could ask for them. */
  if (bit < 0)
    return;
  if (allowed)
    self->security |= G_GUINT64_CONSTANT (1) << bit;
  else
    self->security &= ~(G_GUINT64_CONSTANT (1) << bit);
}

static gboolean
rights_equal (GArray *a,
              GArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  return a->len == 0 || memcmp (a->data, b->data, a->len * sizeof (DslAccess)) == 0;
}

void
dsl_item_update_from (DslItem *self,
                      DslItem *other)
{

  g_return_if_fail (DSL_IS_ITEM (self));
  g_return_if_fail (DSL_IS_ITEM (other));
  g_return_if_fail (g_strcmp0 (self->id, other->id) == 0);

  if (self == other)
    return;

  /* One batch of notifications, each property at most once and only when it changed. */
  g_object_freeze_notify (G_OBJECT (self));

  set_int (self, (int *) &self->kind, other->kind, PROP_KIND);
  set_string (self, &self->title, other->title, PROP_TITLE);
  set_string (self, &self->parent_id, other->parent_id, PROP_PARENT_ID);
  set_int (self, (int *) &self->room_type, other->room_type, PROP_ROOM_TYPE);
  set_int (self, &self->parent_room_type, other->parent_room_type, PROP_PARENT_ROOM_TYPE);
  set_int (self, &self->root_folder_type, other->root_folder_type, PROP_ROOT_FOLDER_TYPE);
  set_int (self, (int *) &self->file_type, other->file_type, PROP_FILE_TYPE);
  set_string (self, &self->file_extension, other->file_extension, PROP_FILE_EXTENSION);
  if (self->size != other->size)
    {
      self->size = other->size;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
    }
  set_int (self, (int *) &self->access, other->access, PROP_ACCESS);
  SET_FLAG (self, shared, other->shared, PROP_SHARED);
  SET_FLAG (self, shared_external, other->shared_external, PROP_SHARED_EXTERNAL);
  SET_FLAG (self, can_share, other->can_share, PROP_CAN_SHARE);
  SET_FLAG (self, deny_download, other->deny_download, PROP_DENY_DOWNLOAD);
  SET_FLAG (self, provider_item, other->provider_item, PROP_PROVIDER_ITEM);
  set_int (self, &self->files_count, other->files_count, PROP_FILES_COUNT);
  set_int (self, &self->folders_count, other->folders_count, PROP_FOLDERS_COUNT);
  set_date (self, &self->created, other->created, PROP_CREATED);
  set_date (self, &self->updated, other->updated, PROP_UPDATED);
  set_string (self, &self->created_by, other->created_by, PROP_CREATED_BY);
  set_string (self, &self->web_url, other->web_url, PROP_WEB_URL);
  set_string (self, &self->short_web_url, other->short_web_url, PROP_SHORT_WEB_URL);

  /* The fields without properties: link limits, allowed link roles, security. */
  for (guint i = 0; i < N_SUBJECT_TYPES; i++)
    {
      self->link_limits[i] = other->link_limits[i];
      /* Copied as arrays: an empty list sent by the server is not "none sent". */
      if (!rights_equal (self->share_rights[i], other->share_rights[i]))
        {
          g_clear_pointer (&self->share_rights[i], g_array_unref);
          if (other->share_rights[i] != NULL)
            self->share_rights[i] = g_array_ref (other->share_rights[i]);
        }
    }
  self->security = other->security;

  g_object_thaw_notify (G_OBJECT (self));
}

void
dsl_folder_page_free (DslFolderPage *page)
{
  if (page == NULL)
    return;

  g_clear_object (&page->current);
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_clear_pointer (&page->path, g_ptr_array_unref);
  g_free (page);
}

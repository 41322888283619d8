/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-user.c: who is signed in, what an API key may do, and what a login answered.
 *
 *   GET people/@self      --dsl-json--> DslUser       (isAdmin || isOwner -> audit view)
 *   GET keys/@self        --dsl-json--> DslKeyInfo    (scopes, expiry; never the secret)
 *   POST authentication   --dsl-json--> DslAuthResult (token, or a two-factor step)
 *
 * Tokens are secrets: nothing here logs them. */
#define G_LOG_DOMAIN "dsl-user"

#include "dsl-user.h"

#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* DslUser */

struct _DslUser
{
  GObject   parent_instance;

  /* owned */
  char     *id;
  char     *display_name;
  char     *email;
  char     *avatar;

  /* plain values */
  guint     is_admin : 1;
  guint     is_owner : 1;
  guint     is_room_admin : 1;
  guint     is_visitor : 1;
  guint     is_collaborator : 1;
};

G_DEFINE_FINAL_TYPE (DslUser, dsl_user, G_TYPE_OBJECT)

enum {
  USER_PROP_0,
  USER_PROP_ID,
  USER_PROP_DISPLAY_NAME,
  USER_PROP_EMAIL,
  USER_PROP_AVATAR,
  USER_PROP_IS_ADMIN,
  USER_PROP_IS_OWNER,
  USER_PROP_IS_ROOM_ADMIN,
  USER_PROP_IS_VISITOR,
  USER_PROP_IS_COLLABORATOR,
  USER_N_PROPS
};

static GParamSpec *user_properties[USER_N_PROPS];

static void
dsl_user_finalize (GObject *object)
{
  DslUser *self = (DslUser *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->avatar, g_free);

  G_OBJECT_CLASS (dsl_user_parent_class)->finalize (object);
}

static void
dsl_user_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  DslUser *self = DSL_USER (object);

  switch (prop_id)
    {
    case USER_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case USER_PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case USER_PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case USER_PROP_AVATAR:
      g_value_set_string (value, self->avatar);
      break;
    case USER_PROP_IS_ADMIN:
      g_value_set_boolean (value, self->is_admin);
      break;
    case USER_PROP_IS_OWNER:
      g_value_set_boolean (value, self->is_owner);
      break;
    case USER_PROP_IS_ROOM_ADMIN:
      g_value_set_boolean (value, self->is_room_admin);
      break;
    case USER_PROP_IS_VISITOR:
      g_value_set_boolean (value, self->is_visitor);
      break;
    case USER_PROP_IS_COLLABORATOR:
      g_value_set_boolean (value, self->is_collaborator);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_user_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  DslUser *self = DSL_USER (object);

  /* Construct-only: set once, nothing to notify. */
  switch (prop_id)
    {
    case USER_PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case USER_PROP_DISPLAY_NAME:
      g_free (self->display_name);
      self->display_name = g_value_dup_string (value);
      break;
    case USER_PROP_EMAIL:
      g_free (self->email);
      self->email = g_value_dup_string (value);
      break;
    case USER_PROP_AVATAR:
      g_free (self->avatar);
      self->avatar = g_value_dup_string (value);
      break;
    case USER_PROP_IS_ADMIN:
      self->is_admin = g_value_get_boolean (value);
      break;
    case USER_PROP_IS_OWNER:
      self->is_owner = g_value_get_boolean (value);
      break;
    case USER_PROP_IS_ROOM_ADMIN:
      self->is_room_admin = g_value_get_boolean (value);
      break;
    case USER_PROP_IS_VISITOR:
      self->is_visitor = g_value_get_boolean (value);
      break;
    case USER_PROP_IS_COLLABORATOR:
      self->is_collaborator = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_user_class_init (DslUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                      G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dsl_user_finalize;
  object_class->get_property = dsl_user_get_property;
  object_class->set_property = dsl_user_set_property;

  user_properties[USER_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, flags);
  user_properties[USER_PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  user_properties[USER_PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, flags);
  user_properties[USER_PROP_AVATAR] =
    g_param_spec_string ("avatar", NULL, NULL, NULL, flags);
  user_properties[USER_PROP_IS_ADMIN] =
    g_param_spec_boolean ("is-admin", NULL, NULL, FALSE, flags);
  user_properties[USER_PROP_IS_OWNER] =
    g_param_spec_boolean ("is-owner", NULL, NULL, FALSE, flags);
  user_properties[USER_PROP_IS_ROOM_ADMIN] =
    g_param_spec_boolean ("is-room-admin", NULL, NULL, FALSE, flags);
  user_properties[USER_PROP_IS_VISITOR] =
    g_param_spec_boolean ("is-visitor", NULL, NULL, FALSE, flags);
  user_properties[USER_PROP_IS_COLLABORATOR] =
    g_param_spec_boolean ("is-collaborator", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, USER_N_PROPS, user_properties);
}

static void
dsl_user_init (DslUser *self)
{
}

const char *
dsl_user_get_id (DslUser *self)
{
  g_return_val_if_fail (DSL_IS_USER (self), NULL);
  return self->id;
}

const char *
dsl_user_get_display_name (DslUser *self)
{
  g_return_val_if_fail (DSL_IS_USER (self), NULL);
  return self->display_name;
}

const char *
dsl_user_get_email (DslUser *self)
{
  g_return_val_if_fail (DSL_IS_USER (self), NULL);
  return self->email;
}

const char *
dsl_user_get_avatar (DslUser *self)
{
  g_return_val_if_fail (DSL_IS_USER (self), NULL);
  return self->avatar;
}

gboolean
dsl_user_get_is_admin (DslUser *self)
{
  g_return_val_if_fail (DSL_IS_USER (self), FALSE);
  return self->is_admin;
}

gboolean
dsl_user_get_is_owner (DslUser *self)
{
  g_return_val_if_fail (DSL_IS_USER (self), FALSE);
  return self->is_owner;
}

gboolean
dsl_user_get_is_room_admin (DslUser *self)
{
  g_return_val_if_fail (DSL_IS_USER (self), FALSE);
  return self->is_room_admin;
}

gboolean
dsl_user_get_is_visitor (DslUser *self)
{
  g_return_val_if_fail (DSL_IS_USER (self), FALSE);
  return self->is_visitor;
}

gboolean
dsl_user_get_is_collaborator (DslUser *self)
{
  g_return_val_if_fail (DSL_IS_USER (self), FALSE);
  return self->is_collaborator;
}

gboolean
dsl_user_can_read_audit (DslUser *self)
{
  g_return_val_if_fail (DSL_IS_USER (self), FALSE);
  return self->is_admin || self->is_owner;
}

/* ------------------------------------------------------------------------------------------ */
/* DslKeyInfo */

struct _DslKeyInfo
{
  GObject     parent_instance;

  /* owned */
  char       *id;
  char       *name;
  char       *key_postfix;
  GStrv       permissions;   /* never NULL after construction */
  GDateTime  *expires_at;
  GDateTime  *last_used;
  GDateTime  *created;

  /* plain values */
  guint       is_active : 1;
};

G_DEFINE_FINAL_TYPE (DslKeyInfo, dsl_key_info, G_TYPE_OBJECT)

enum {
  KEY_PROP_0,
  KEY_PROP_ID,
  KEY_PROP_NAME,
  KEY_PROP_KEY_POSTFIX,
  KEY_PROP_PERMISSIONS,
  KEY_PROP_EXPIRES_AT,
  KEY_PROP_LAST_USED,
  KEY_PROP_CREATED,
  KEY_PROP_IS_ACTIVE,
  KEY_N_PROPS
};

static GParamSpec *key_properties[KEY_N_PROPS];

static void
dsl_key_info_finalize (GObject *object)
{
  DslKeyInfo *self = (DslKeyInfo *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->key_postfix, g_free);
  g_clear_pointer (&self->permissions, g_strfreev);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->last_used, g_date_time_unref);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (dsl_key_info_parent_class)->finalize (object);
}

static void
dsl_key_info_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DslKeyInfo *self = DSL_KEY_INFO (object);

  switch (prop_id)
    {
    case KEY_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case KEY_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case KEY_PROP_KEY_POSTFIX:
      g_value_set_string (value, self->key_postfix);
      break;
    case KEY_PROP_PERMISSIONS:
      g_value_set_boxed (value, self->permissions);
      break;
    case KEY_PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;
    case KEY_PROP_LAST_USED:
      g_value_set_boxed (value, self->last_used);
      break;
    case KEY_PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;
    case KEY_PROP_IS_ACTIVE:
      g_value_set_boolean (value, self->is_active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
replace_date (GDateTime    **field,
              const GValue  *value)
{
  g_clear_pointer (field, g_date_time_unref);
  *field = g_value_dup_boxed (value);
}

static void
dsl_key_info_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DslKeyInfo *self = DSL_KEY_INFO (object);

  /* Construct-only: set once, nothing to notify. */
  switch (prop_id)
    {
    case KEY_PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;
    case KEY_PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case KEY_PROP_KEY_POSTFIX:
      g_free (self->key_postfix);
      self->key_postfix = g_value_dup_string (value);
      break;
    case KEY_PROP_PERMISSIONS:
      g_strfreev (self->permissions);
      self->permissions = g_value_dup_boxed (value);
      if (self->permissions == NULL)
        self->permissions = g_new0 (char *, 1);
      break;
    case KEY_PROP_EXPIRES_AT:
      replace_date (&self->expires_at, value);
      break;
    case KEY_PROP_LAST_USED:
      replace_date (&self->last_used, value);
      break;
    case KEY_PROP_CREATED:
      replace_date (&self->created, value);
      break;
    case KEY_PROP_IS_ACTIVE:
      self->is_active = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_key_info_class_init (DslKeyInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                      G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dsl_key_info_finalize;
  object_class->get_property = dsl_key_info_get_property;
  object_class->set_property = dsl_key_info_set_property;

  key_properties[KEY_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, flags);
  key_properties[KEY_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, flags);
  key_properties[KEY_PROP_KEY_POSTFIX] =
    g_param_spec_string ("key-postfix", NULL, NULL, NULL, flags);
  key_properties[KEY_PROP_PERMISSIONS] =
    g_param_spec_boxed ("permissions", NULL, NULL, G_TYPE_STRV, flags);
  key_properties[KEY_PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  key_properties[KEY_PROP_LAST_USED] =
    g_param_spec_boxed ("last-used", NULL, NULL, G_TYPE_DATE_TIME, flags);
  key_properties[KEY_PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, flags);
  key_properties[KEY_PROP_IS_ACTIVE] =
    g_param_spec_boolean ("is-active", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, KEY_N_PROPS, key_properties);
}

static void
dsl_key_info_init (DslKeyInfo *self)
{
  self->permissions = g_new0 (char *, 1);
}

const char *
dsl_key_info_get_id (DslKeyInfo *self)
{
  g_return_val_if_fail (DSL_IS_KEY_INFO (self), NULL);
  return self->id;
}

const char *
dsl_key_info_get_name (DslKeyInfo *self)
{
  g_return_val_if_fail (DSL_IS_KEY_INFO (self), NULL);
  return self->name;
}

const char *
dsl_key_info_get_key_postfix (DslKeyInfo *self)
{
  g_return_val_if_fail (DSL_IS_KEY_INFO (self), NULL);
  return self->key_postfix;
}

const char * const *
dsl_key_info_get_permissions (DslKeyInfo *self)
{
  g_return_val_if_fail (DSL_IS_KEY_INFO (self), NULL);
  return (const char * const *) self->permissions;
}

GDateTime *
dsl_key_info_get_expires_at (DslKeyInfo *self)
{
  g_return_val_if_fail (DSL_IS_KEY_INFO (self), NULL);
  return self->expires_at;
}

GDateTime *
dsl_key_info_get_last_used (DslKeyInfo *self)
{
  g_return_val_if_fail (DSL_IS_KEY_INFO (self), NULL);
  return self->last_used;
}

GDateTime *
dsl_key_info_get_created (DslKeyInfo *self)
{
  g_return_val_if_fail (DSL_IS_KEY_INFO (self), NULL);
  return self->created;
}

gboolean
dsl_key_info_get_is_active (DslKeyInfo *self)
{
  g_return_val_if_fail (DSL_IS_KEY_INFO (self), FALSE);
  return self->is_active;
}

/* Splits "files:read" into "files" and "read"; a permission without ':' (e.g. "*") has an
 * empty verb. */
static void
split_scope (const char  *scope,
             char       **out_resource,
             const char **out_verb)
{
  const char *colon = strchr (scope, ':');

  if (colon == NULL)
    {
      *out_resource = g_strdup (scope);
      *out_verb = "";
    }
  else
    {
      *out_resource = g_strndup (scope, colon - scope);
      *out_verb = colon + 1;
    }
}

/* docspace-api.md §1.2: a global scope satisfies any route (`*:read` any read, `*:write`
 * anything) and a write scope implies the read scope of the same resource. */
static gboolean
permission_satisfies (const char *permission,
                      const char *scope)
{
  g_autofree char *p_resource = NULL;
  g_autofree char *s_resource = NULL;
  const char *p_verb;
  const char *s_verb;

  if (g_ascii_strcasecmp (permission, "*") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (permission, scope) == 0)
    return TRUE;

  split_scope (permission, &p_resource, &p_verb);
  split_scope (scope, &s_resource, &s_verb);

  if (strcmp (p_resource, "*") == 0)
    {
      if (g_ascii_strcasecmp (p_verb, "write") == 0)
        return TRUE;
      if (g_ascii_strcasecmp (p_verb, "read") == 0)
        return g_ascii_strcasecmp (s_verb, "read") == 0;
      return FALSE;
    }

  return g_ascii_strcasecmp (p_resource, s_resource) == 0 &&
         g_ascii_strcasecmp (p_verb, "write") == 0 &&
         g_ascii_strcasecmp (s_verb, "read") == 0;
}

gboolean
dsl_key_info_has_scope (DslKeyInfo *self,
                        const char *scope)
{
  g_return_val_if_fail (DSL_IS_KEY_INFO (self), FALSE);
  g_return_val_if_fail (scope != NULL, FALSE);

  /* No permissions at all = a full-access key. */
  if (self->permissions[0] == NULL)
    return TRUE;

  for (guint i = 0; self->permissions[i] != NULL; i++)
    {
      if (permission_satisfies (self->permissions[i], scope))
        return TRUE;
    }

  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* DslAuthResult */

void
dsl_auth_result_free (DslAuthResult *result)
{
  if (result == NULL)
    return;

  /* The token is a secret: wipe it before handing the memory back. */
  if (result->token != NULL)
    memset (result->token, 0, strlen (result->token));
  g_clear_pointer (&result->token, g_free);
  g_clear_pointer (&result->expires, g_date_time_unref);
  g_clear_pointer (&result->tfa_key, g_free);
  g_clear_pointer (&result->confirm_url, g_free);
  g_clear_pointer (&result->phone_noise, g_free);
  g_free (result);
}

gboolean
dsl_auth_result_needs_code (const DslAuthResult *result)
{
  g_return_val_if_fail (result != NULL, FALSE);

  return (result->token == NULL || result->token[0] == '\0') &&
         (result->tfa || result->sms) &&
         (result->tfa_key == NULL || result->tfa_key[0] == '\0');
}

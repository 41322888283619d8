/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link.c: one external or invitation link.
 *
 *   FileShareDto { access, subjectType, can*, sharedLink { id, title, ... } }
 *        --dsl-json--> DslLink --(copy, edit)--> dsl_json_build_link_request --> PUT .../links
 *
 * The state sent on update is always the full state (the server resets omitted fields), so a
 * link is edited as a copy and compared with the server's answer by dsl_link_state_equal.
 * "password" is a secret: it is never logged. */
#define G_LOG_DOMAIN "dsl-link"

#include <string.h>

#include "dsl-link.h"
#include "dsl-enum-types.h"

struct _DslLink
{
  GObject         parent_instance;

  /* owned */
  char           *id;
  char           *title;
  char           *share_link;
  char           *password;
  char           *request_token;
  GDateTime      *expiration_date;

  /* plain values */
  DslAccess       access;
  DslSubjectType  subject_type;
  DslLinkType     link_type;
  int             max_use_count;
  int             current_use_count;
  guint           is_expired : 1;
  guint           deny_download : 1;
  guint           internal : 1;
  guint           primary : 1;
  guint           can_edit_internal : 1;
  guint           can_edit_deny_download : 1;
  guint           can_edit_expiration_date : 1;
  guint           can_revoke : 1;
};

G_DEFINE_FINAL_TYPE (DslLink, dsl_link, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_SHARE_LINK,
  PROP_ACCESS,
  PROP_SUBJECT_TYPE,
  PROP_LINK_TYPE,
  PROP_EXPIRATION_DATE,
  PROP_IS_EXPIRED,
  PROP_PASSWORD,
  PROP_DENY_DOWNLOAD,
  PROP_INTERNAL,
  PROP_PRIMARY,
  PROP_REQUEST_TOKEN,
  PROP_MAX_USE_COUNT,
  PROP_CURRENT_USE_COUNT,
  PROP_CAN_EDIT_INTERNAL,
  PROP_CAN_EDIT_DENY_DOWNLOAD,
  PROP_CAN_EDIT_EXPIRATION_DATE,
  PROP_CAN_REVOKE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
set_string (DslLink     *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  return TRUE;
}

/* The password is a secret: its bytes are wiped before they are freed (issue 14). */
static void
wipe_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
set_int (DslLink *self,
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
dsl_link_finalize (GObject *object)
{
  DslLink *self = (DslLink *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->share_link, g_free);
  g_clear_pointer (&self->password, wipe_free);
  g_clear_pointer (&self->request_token, g_free);
  g_clear_pointer (&self->expiration_date, g_date_time_unref);

  G_OBJECT_CLASS (dsl_link_parent_class)->finalize (object);
}

static void
dsl_link_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  DslLink *self = DSL_LINK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SHARE_LINK:
      g_value_set_string (value, self->share_link);
      break;
    case PROP_ACCESS:
      g_value_set_enum (value, self->access);
      break;
    case PROP_SUBJECT_TYPE:
      g_value_set_enum (value, self->subject_type);
      break;
    case PROP_LINK_TYPE:
      g_value_set_enum (value, self->link_type);
      break;
    case PROP_EXPIRATION_DATE:
      g_value_set_boxed (value, self->expiration_date);
      break;
    case PROP_IS_EXPIRED:
      g_value_set_boolean (value, self->is_expired);
      break;
    case PROP_PASSWORD:
      g_value_set_string (value, self->password);
      break;
    case PROP_DENY_DOWNLOAD:
      g_value_set_boolean (value, self->deny_download);
      break;
    case PROP_INTERNAL:
      g_value_set_boolean (value, self->internal);
      break;
    case PROP_PRIMARY:
      g_value_set_boolean (value, self->primary);
      break;
    case PROP_REQUEST_TOKEN:
      g_value_set_string (value, self->request_token);
      break;
    case PROP_MAX_USE_COUNT:
      g_value_set_int (value, self->max_use_count);
      break;
    case PROP_CURRENT_USE_COUNT:
      g_value_set_int (value, self->current_use_count);
      break;
    case PROP_CAN_EDIT_INTERNAL:
      g_value_set_boolean (value, self->can_edit_internal);
      break;
    case PROP_CAN_EDIT_DENY_DOWNLOAD:
      g_value_set_boolean (value, self->can_edit_deny_download);
      break;
    case PROP_CAN_EDIT_EXPIRATION_DATE:
      g_value_set_boolean (value, self->can_edit_expiration_date);
      break;
    case PROP_CAN_REVOKE:
      g_value_set_boolean (value, self->can_revoke);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  DslLink *self = DSL_LINK (object);

  switch (prop_id)
    {
    case PROP_ID:
      dsl_link_set_id (self, g_value_get_string (value));
      break;
    case PROP_TITLE:
      dsl_link_set_title (self, g_value_get_string (value));
      break;
    case PROP_SHARE_LINK:
      dsl_link_set_share_link (self, g_value_get_string (value));
      break;
    case PROP_ACCESS:
      dsl_link_set_access (self, g_value_get_enum (value));
      break;
    case PROP_SUBJECT_TYPE:
      dsl_link_set_subject_type (self, g_value_get_enum (value));
      break;
    case PROP_LINK_TYPE:
      dsl_link_set_link_type (self, g_value_get_enum (value));
      break;
    case PROP_EXPIRATION_DATE:
      dsl_link_set_expiration_date (self, g_value_get_boxed (value));
      break;
    case PROP_IS_EXPIRED:
      dsl_link_set_is_expired (self, g_value_get_boolean (value));
      break;
    case PROP_PASSWORD:
      dsl_link_set_password (self, g_value_get_string (value));
      break;
    case PROP_DENY_DOWNLOAD:
      dsl_link_set_deny_download (self, g_value_get_boolean (value));
      break;
    case PROP_INTERNAL:
      dsl_link_set_internal (self, g_value_get_boolean (value));
      break;
    case PROP_PRIMARY:
      dsl_link_set_primary (self, g_value_get_boolean (value));
      break;
    case PROP_REQUEST_TOKEN:
      dsl_link_set_request_token (self, g_value_get_string (value));
      break;
    case PROP_MAX_USE_COUNT:
      dsl_link_set_max_use_count (self, g_value_get_int (value));
      break;
    case PROP_CURRENT_USE_COUNT:
      dsl_link_set_current_use_count (self, g_value_get_int (value));
      break;
    case PROP_CAN_EDIT_INTERNAL:
      dsl_link_set_can_edit_internal (self, g_value_get_boolean (value));
      break;
    case PROP_CAN_EDIT_DENY_DOWNLOAD:
      dsl_link_set_can_edit_deny_download (self, g_value_get_boolean (value));
      break;
    case PROP_CAN_EDIT_EXPIRATION_DATE:
      dsl_link_set_can_edit_expiration_date (self, g_value_get_boolean (value));
      break;
    case PROP_CAN_REVOKE:
      dsl_link_set_can_revoke (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_class_init (DslLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dsl_link_finalize;
  object_class->get_property = dsl_link_get_property;
  object_class->set_property = dsl_link_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_SHARE_LINK] =
    g_param_spec_string ("share-link", NULL, NULL, NULL, flags);
  properties[PROP_ACCESS] =
    g_param_spec_enum ("access", NULL, NULL,
                       DSL_TYPE_ACCESS, DSL_ACCESS_READ, flags);
  properties[PROP_SUBJECT_TYPE] =
    g_param_spec_enum ("subject-type", NULL, NULL,
                       DSL_TYPE_SUBJECT_TYPE, DSL_SUBJECT_TYPE_EXTERNAL_LINK, flags);
  properties[PROP_LINK_TYPE] =
    g_param_spec_enum ("link-type", NULL, NULL,
                       DSL_TYPE_LINK_TYPE, DSL_LINK_TYPE_EXTERNAL, flags);
  properties[PROP_EXPIRATION_DATE] =
    g_param_spec_boxed ("expiration-date", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_IS_EXPIRED] =
    g_param_spec_boolean ("is-expired", NULL, NULL, FALSE, flags);
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL, flags);
  properties[PROP_DENY_DOWNLOAD] =
    g_param_spec_boolean ("deny-download", NULL, NULL, FALSE, flags);
  properties[PROP_INTERNAL] =
    g_param_spec_boolean ("internal", NULL, NULL, FALSE, flags);
  properties[PROP_PRIMARY] =
    g_param_spec_boolean ("primary", NULL, NULL, FALSE, flags);
  properties[PROP_REQUEST_TOKEN] =
    g_param_spec_string ("request-token", NULL, NULL, NULL, flags);
  properties[PROP_MAX_USE_COUNT] =
    g_param_spec_int ("max-use-count", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_CURRENT_USE_COUNT] =
    g_param_spec_int ("current-use-count", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_CAN_EDIT_INTERNAL] =
    g_param_spec_boolean ("can-edit-internal", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_EDIT_DENY_DOWNLOAD] =
    g_param_spec_boolean ("can-edit-deny-download", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_EDIT_EXPIRATION_DATE] =
    g_param_spec_boolean ("can-edit-expiration-date", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_REVOKE] =
    g_param_spec_boolean ("can-revoke", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dsl_link_init (DslLink *self)
{
  self->access = DSL_ACCESS_READ;
  self->subject_type = DSL_SUBJECT_TYPE_EXTERNAL_LINK;
  self->link_type = DSL_LINK_TYPE_EXTERNAL;
  self->max_use_count = -1;
  self->current_use_count = -1;
}

DslLink *
dsl_link_new (void)
{
  return g_object_new (DSL_TYPE_LINK, NULL);
}

DslLink *
dsl_link_copy (DslLink *self)
{
  DslLink *copy;

  g_return_val_if_fail (DSL_IS_LINK (self), NULL);

  /* Fields are copied directly: nobody can be connected to a new object yet. */
  copy = dsl_link_new ();
  copy->id = g_strdup (self->id);
  copy->title = g_strdup (self->title);
  copy->share_link = g_strdup (self->share_link);
  copy->password = g_strdup (self->password);
  copy->request_token = g_strdup (self->request_token);
  copy->expiration_date = self->expiration_date != NULL
                          ? g_date_time_ref (self->expiration_date) : NULL;
  copy->access = self->access;
  copy->subject_type = self->subject_type;
  copy->link_type = self->link_type;
  copy->max_use_count = self->max_use_count;
  copy->current_use_count = self->current_use_count;
  copy->is_expired = self->is_expired;
  copy->deny_download = self->deny_download;
  copy->internal = self->internal;
  copy->primary = self->primary;
  copy->can_edit_internal = self->can_edit_internal;
  copy->can_edit_deny_download = self->can_edit_deny_download;
  copy->can_edit_expiration_date = self->can_edit_expiration_date;
  copy->can_revoke = self->can_revoke;

  return copy;
}

static gboolean
dates_equal_to_the_second (GDateTime *a,
                           GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  /* The same instant, whatever the offset; sub-second parts are noise from the wire. */
  return g_date_time_to_unix (a) == g_date_time_to_unix (b);
}

static gboolean
passwords_equal (const char *a,
                 const char *b)
{
  /* NULL and "" both mean "no password". */
  if (a != NULL && *a == '\0')
    a = NULL;
  if (b != NULL && *b == '\0')
    b = NULL;

  return g_strcmp0 (a, b) == 0;
}

gboolean
dsl_link_state_equal (DslLink *a,
                      DslLink *b)
{
  g_return_val_if_fail (DSL_IS_LINK (a), FALSE);
  g_return_val_if_fail (DSL_IS_LINK (b), FALSE);

  if (a == b)
    return TRUE;

  return g_strcmp0 (a->id, b->id) == 0 &&
         g_strcmp0 (a->title, b->title) == 0 &&
         a->access == b->access &&
         dates_equal_to_the_second (a->expiration_date, b->expiration_date) &&
         passwords_equal (a->password, b->password) &&
         a->deny_download == b->deny_download &&
         a->internal == b->internal &&
         a->link_type == b->link_type &&
         a->max_use_count == b->max_use_count;
}

gboolean
dsl_link_is_invitation (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), FALSE);

  return self->subject_type == DSL_SUBJECT_TYPE_INVITATION_LINK ||
         (self->link_type == DSL_LINK_TYPE_INVITATION &&
          self->subject_type != DSL_SUBJECT_TYPE_EXTERNAL_LINK &&
          self->subject_type != DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK);
}

gboolean
dsl_link_is_expired_at (DslLink   *self,
                        GDateTime *now)
{
  g_return_val_if_fail (DSL_IS_LINK (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  return self->is_expired ||
         (self->expiration_date != NULL && g_date_time_compare (self->expiration_date, now) <= 0);
}

const char *
dsl_link_get_id (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), NULL);
  return self->id;
}

const char *
dsl_link_get_title (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), NULL);
  return self->title;
}

const char *
dsl_link_get_share_link (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), NULL);
  return self->share_link;
}

DslAccess
dsl_link_get_access (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), DSL_ACCESS_NONE);
  return self->access;
}

DslSubjectType
dsl_link_get_subject_type (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), DSL_SUBJECT_TYPE_EXTERNAL_LINK);
  return self->subject_type;
}

DslLinkType
dsl_link_get_link_type (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), DSL_LINK_TYPE_EXTERNAL);
  return self->link_type;
}

GDateTime *
dsl_link_get_expiration_date (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), NULL);
  return self->expiration_date;
}

gboolean
dsl_link_get_is_expired (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), FALSE);
  return self->is_expired;
}

const char *
dsl_link_get_password (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), NULL);
  return self->password;
}

gboolean
dsl_link_get_deny_download (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), FALSE);
  return self->deny_download;
}

gboolean
dsl_link_get_internal (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), FALSE);
  return self->internal;
}

gboolean
dsl_link_get_primary (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), FALSE);
  return self->primary;
}

const char *
dsl_link_get_request_token (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), NULL);
  return self->request_token;
}

int
dsl_link_get_max_use_count (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), -1);
  return self->max_use_count;
}

int
dsl_link_get_current_use_count (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), -1);
  return self->current_use_count;
}

gboolean
dsl_link_get_can_edit_internal (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), FALSE);
  return self->can_edit_internal;
}

gboolean
dsl_link_get_can_edit_deny_download (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), FALSE);
  return self->can_edit_deny_download;
}

gboolean
dsl_link_get_can_edit_expiration_date (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), FALSE);
  return self->can_edit_expiration_date;
}

gboolean
dsl_link_get_can_revoke (DslLink *self)
{
  g_return_val_if_fail (DSL_IS_LINK (self), FALSE);
  return self->can_revoke;
}

void
dsl_link_set_id (DslLink    *self,
                 const char *id)
{
  g_return_if_fail (DSL_IS_LINK (self));
  set_string (self, &self->id, id, PROP_ID);
}

void
dsl_link_set_title (DslLink    *self,
                    const char *title)
{
  g_return_if_fail (DSL_IS_LINK (self));
  set_string (self, &self->title, title, PROP_TITLE);
}

void
dsl_link_set_share_link (DslLink    *self,
                         const char *share_link)
{
  g_return_if_fail (DSL_IS_LINK (self));
  set_string (self, &self->share_link, share_link, PROP_SHARE_LINK);
}

void
dsl_link_set_access (DslLink   *self,
                     DslAccess  access)
{
  g_return_if_fail (DSL_IS_LINK (self));
  set_int (self, (int *) &self->access, access, PROP_ACCESS);
}

void
dsl_link_set_subject_type (DslLink        *self,
                           DslSubjectType  type)
{
  g_return_if_fail (DSL_IS_LINK (self));
  set_int (self, (int *) &self->subject_type, type, PROP_SUBJECT_TYPE);
}

void
dsl_link_set_link_type (DslLink     *self,
                        DslLinkType  type)
{
  g_return_if_fail (DSL_IS_LINK (self));
  set_int (self, (int *) &self->link_type, type, PROP_LINK_TYPE);
}

void
dsl_link_set_expiration_date (DslLink   *self,
                              GDateTime *date)
{
  g_return_if_fail (DSL_IS_LINK (self));

  if (self->expiration_date == date)
    return;
  if (self->expiration_date != NULL && date != NULL &&
      g_date_time_equal (self->expiration_date, date) &&
      g_date_time_get_utc_offset (self->expiration_date) == g_date_time_get_utc_offset (date))
    return;

  g_clear_pointer (&self->expiration_date, g_date_time_unref);
  if (date != NULL)
    self->expiration_date = g_date_time_ref (date);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRATION_DATE]);
}

void
dsl_link_set_is_expired (DslLink  *self,
                         gboolean  expired)
{
  g_return_if_fail (DSL_IS_LINK (self));
  SET_FLAG (self, is_expired, expired, PROP_IS_EXPIRED);
}

void
dsl_link_set_password (DslLink    *self,
                       const char *password)
{
  g_return_if_fail (DSL_IS_LINK (self));
  if (g_strcmp0 (self->password, password) == 0)
    return;
  wipe_free (self->password);
  self->password = g_strdup (password);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD]);
}

void
dsl_link_set_deny_download (DslLink  *self,
                            gboolean  deny)
{
  g_return_if_fail (DSL_IS_LINK (self));
  SET_FLAG (self, deny_download, deny, PROP_DENY_DOWNLOAD);
}

void
dsl_link_set_internal (DslLink  *self,
                       gboolean  internal)
{
  g_return_if_fail (DSL_IS_LINK (self));
  SET_FLAG (self, internal, internal, PROP_INTERNAL);
}

void
dsl_link_set_primary (DslLink  *self,
                      gboolean  primary)
{
  g_return_if_fail (DSL_IS_LINK (self));
  SET_FLAG (self, primary, primary, PROP_PRIMARY);
}

void
dsl_link_set_request_token (DslLink    *self,
                            const char *token)
{
  g_return_if_fail (DSL_IS_LINK (self));
  set_string (self, &self->request_token, token, PROP_REQUEST_TOKEN);
}

void
dsl_link_set_max_use_count (DslLink *self,
                            int      count)
{
  g_return_if_fail (DSL_IS_LINK (self));
  set_int (self, &self->max_use_count, MAX (count, -1), PROP_MAX_USE_COUNT);
}

void
dsl_link_set_current_use_count (DslLink *self,
                                int      count)
{
  g_return_if_fail (DSL_IS_LINK (self));
  set_int (self, &self->current_use_count, MAX (count, -1), PROP_CURRENT_USE_COUNT);
}

void
dsl_link_set_can_edit_internal (DslLink  *self,
                                gboolean  can)
{
  g_return_if_fail (DSL_IS_LINK (self));
  SET_FLAG (self, can_edit_internal, can, PROP_CAN_EDIT_INTERNAL);
}

void
dsl_link_set_can_edit_deny_download (DslLink  *self,
                                     gboolean  can)
{
  g_return_if_fail (DSL_IS_LINK (self));
  SET_FLAG (self, can_edit_deny_download, can, PROP_CAN_EDIT_DENY_DOWNLOAD);
}

void
dsl_link_set_can_edit_expiration_date (DslLink  *self,
                                       gboolean  can)
{
  g_return_if_fail (DSL_IS_LINK (self));
  SET_FLAG (self, can_edit_expiration_date, can, PROP_CAN_EDIT_EXPIRATION_DATE);
}

void
dsl_link_set_can_revoke (DslLink  *self,
                         gboolean  can)
{
  g_return_if_fail (DSL_IS_LINK (self));
  SET_FLAG (self, can_revoke, can, PROP_CAN_REVOKE);
}

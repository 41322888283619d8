/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-audit-event.c: one audit-trail entry, immutable.
 *
 *   GET security/audit/events/filter --> AuditEventDto[] --dsl-json--> DslAuditEvent
 *
 * All properties are construct-only. `entries` (EntryType ints) is handed over at construction
 * as a GVariant of type "ai" and read back with dsl_audit_event_get_entries(). */
#define G_LOG_DOMAIN "dsl-audit-event"

#include "dsl-audit-event.h"

struct _DslAuditEvent
{
  GObject     parent_instance;

  /* owned */
  GDateTime  *date;
  char       *user;
  char       *user_id;
  char       *action;
  char       *ip;
  char       *country;
  char       *city;
  char       *browser;
  char       *platform;
  char       *page;
  char       *context;
  GStrv       target;      /* never NULL after construction */
  GArray     *entries;     /* element int; never NULL after construction */

  /* plain values */
  gint64      id;
  int         action_id;
  int         action_type;
  int         product;
  int         location;
};

G_DEFINE_FINAL_TYPE (DslAuditEvent, dsl_audit_event, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DATE,
  PROP_USER,
  PROP_USER_ID,
  PROP_ACTION,
  PROP_ACTION_ID,
  PROP_ACTION_TYPE,
  PROP_IP,
  PROP_COUNTRY,
  PROP_CITY,
  PROP_BROWSER,
  PROP_PLATFORM,
  PROP_PAGE,
  PROP_PRODUCT,
  PROP_LOCATION,
  PROP_CONTEXT,
  PROP_TARGET,
  PROP_ENTRIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dsl_audit_event_finalize (GObject *object)
{
  DslAuditEvent *self = (DslAuditEvent *) object;

  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->action, g_free);
  g_clear_pointer (&self->ip, g_free);
  g_clear_pointer (&self->country, g_free);
  g_clear_pointer (&self->city, g_free);
  g_clear_pointer (&self->browser, g_free);
  g_clear_pointer (&self->platform, g_free);
  g_clear_pointer (&self->page, g_free);
  g_clear_pointer (&self->context, g_free);
  g_clear_pointer (&self->target, g_strfreev);
  g_clear_pointer (&self->entries, g_array_unref);

  G_OBJECT_CLASS (dsl_audit_event_parent_class)->finalize (object);
}

static GVariant *
entries_to_variant (GArray *entries)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("ai"));

  for (guint i = 0; i < entries->len; i++)
    g_variant_builder_add (builder, "i", (gint32) g_array_index (entries, int, i));

  return g_variant_builder_end (builder);
}

static void
dsl_audit_event_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DslAuditEvent *self = DSL_AUDIT_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_DATE:
      g_value_set_boxed (value, self->date);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case PROP_ACTION_ID:
      g_value_set_int (value, self->action_id);
      break;
    case PROP_ACTION_TYPE:
      g_value_set_int (value, self->action_type);
      break;
    case PROP_IP:
      g_value_set_string (value, self->ip);
      break;
    case PROP_COUNTRY:
      g_value_set_string (value, self->country);
      break;
    case PROP_CITY:
      g_value_set_string (value, self->city);
      break;
    case PROP_BROWSER:
      g_value_set_string (value, self->browser);
      break;
    case PROP_PLATFORM:
      g_value_set_string (value, self->platform);
      break;
    case PROP_PAGE:
      g_value_set_string (value, self->page);
      break;
    case PROP_PRODUCT:
      g_value_set_int (value, self->product);
      break;
    case PROP_LOCATION:
      g_value_set_int (value, self->location);
      break;
    case PROP_CONTEXT:
      g_value_set_string (value, self->context);
      break;
    case PROP_TARGET:
      g_value_set_boxed (value, self->target);
      break;
    case PROP_ENTRIES:
      g_value_take_variant (value, entries_to_variant (self->entries));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_audit_event_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DslAuditEvent *self = DSL_AUDIT_EVENT (object);

  /* Construct-only: each is set exactly once, so there is nothing to notify. */
  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_DATE:
      g_clear_pointer (&self->date, g_date_time_unref);
      self->date = g_value_dup_boxed (value);
      break;
    case PROP_USER:
      g_free (self->user);
      self->user = g_value_dup_string (value);
      break;
    case PROP_USER_ID:
      g_free (self->user_id);
      self->user_id = g_value_dup_string (value);
      break;
    case PROP_ACTION:
      g_free (self->action);
      self->action = g_value_dup_string (value);
      break;
    case PROP_ACTION_ID:
      self->action_id = g_value_get_int (value);
      break;
    case PROP_ACTION_TYPE:
      self->action_type = g_value_get_int (value);
      break;
    case PROP_IP:
      g_free (self->ip);
      self->ip = g_value_dup_string (value);
      break;
    case PROP_COUNTRY:
      g_free (self->country);
      self->country = g_value_dup_string (value);
      break;
    case PROP_CITY:
      g_free (self->city);
      self->city = g_value_dup_string (value);
      break;
    case PROP_BROWSER:
      g_free (self->browser);
      self->browser = g_value_dup_string (value);
      break;
    case PROP_PLATFORM:
      g_free (self->platform);
      self->platform = g_value_dup_string (value);
      break;
    case PROP_PAGE:
      g_free (self->page);
      self->page = g_value_dup_string (value);
      break;
    case PROP_PRODUCT:
      self->product = g_value_get_int (value);
      break;
    case PROP_LOCATION:
      self->location = g_value_get_int (value);
      break;
    case PROP_CONTEXT:
      g_free (self->context);
      self->context = g_value_dup_string (value);
      break;
    case PROP_TARGET:
      g_strfreev (self->target);
      self->target = g_value_dup_boxed (value);
      if (self->target == NULL)
        self->target = g_new0 (char *, 1);
      break;
    case PROP_ENTRIES:
      {
        GVariant *variant = g_value_get_variant (value);

        g_array_set_size (self->entries, 0);
        if (variant != NULL)
          {
            gsize n = 0;
            const gint32 *values = g_variant_get_fixed_array (variant, &n, sizeof (gint32));

            for (gsize i = 0; i < n; i++)
              {
                int v = values[i];
                g_array_append_val (self->entries, v);
              }
          }
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_audit_event_class_init (DslAuditEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                      G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dsl_audit_event_finalize;
  object_class->get_property = dsl_audit_event_get_property;
  object_class->set_property = dsl_audit_event_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_DATE] =
    g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL, flags);
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL, flags);
  properties[PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, NULL, flags);
  properties[PROP_ACTION_ID] =
    g_param_spec_int ("action-id", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_ACTION_TYPE] =
    g_param_spec_int ("action-type", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_IP] =
    g_param_spec_string ("ip", NULL, NULL, NULL, flags);
  properties[PROP_COUNTRY] =
    g_param_spec_string ("country", NULL, NULL, NULL, flags);
  properties[PROP_CITY] =
    g_param_spec_string ("city", NULL, NULL, NULL, flags);
  properties[PROP_BROWSER] =
    g_param_spec_string ("browser", NULL, NULL, NULL, flags);
  properties[PROP_PLATFORM] =
    g_param_spec_string ("platform", NULL, NULL, NULL, flags);
  properties[PROP_PAGE] =
    g_param_spec_string ("page", NULL, NULL, NULL, flags);
  properties[PROP_PRODUCT] =
    g_param_spec_int ("product", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_LOCATION] =
    g_param_spec_int ("location", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_CONTEXT] =
    g_param_spec_string ("context", NULL, NULL, NULL, flags);
  properties[PROP_TARGET] =
    g_param_spec_boxed ("target", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_ENTRIES] =
    g_param_spec_variant ("entries", NULL, NULL, G_VARIANT_TYPE ("ai"), NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dsl_audit_event_init (DslAuditEvent *self)
{
  self->target = g_new0 (char *, 1);
  self->entries = g_array_new (FALSE, FALSE, sizeof (int));
}

gint64
dsl_audit_event_get_id (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), 0);
  return self->id;
}

GDateTime *
dsl_audit_event_get_date (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->date;
}

const char *
dsl_audit_event_get_user (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->user;
}

const char *
dsl_audit_event_get_user_id (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->user_id;
}

const char *
dsl_audit_event_get_action (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->action;
}

int
dsl_audit_event_get_action_id (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), 0);
  return self->action_id;
}

int
dsl_audit_event_get_action_type (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), 0);
  return self->action_type;
}

const char *
dsl_audit_event_get_ip (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->ip;
}

const char *
dsl_audit_event_get_country (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->country;
}

const char *
dsl_audit_event_get_city (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->city;
}

const char *
dsl_audit_event_get_browser (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->browser;
}

const char *
dsl_audit_event_get_platform (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->platform;
}

const char *
dsl_audit_event_get_page (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->page;
}

int
dsl_audit_event_get_product (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), 0);
  return self->product;
}

int
dsl_audit_event_get_location (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), 0);
  return self->location;
}

const char *
dsl_audit_event_get_context (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return self->context;
}

const char * const *
dsl_audit_event_get_target (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);
  return (const char * const *) self->target;
}

const int *
dsl_audit_event_get_entries (DslAuditEvent *self,
                             gsize         *n_entries)
{
  static const int empty[1] = { 0 };

  if (n_entries != NULL)
    *n_entries = 0;

  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), NULL);

  if (n_entries != NULL)
    *n_entries = self->entries->len;

  return self->entries->len > 0 ? (const int *) (gpointer) self->entries->data : empty;
}

gboolean
dsl_audit_event_has_target (DslAuditEvent *self,
                            const char    *target)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);

  return g_strv_contains ((const char * const *) self->target, target);
}

gboolean
dsl_audit_event_is_anonymous (DslAuditEvent *self)
{
  g_return_val_if_fail (DSL_IS_AUDIT_EVENT (self), FALSE);

  return self->user_id != NULL &&
         g_ascii_strcasecmp (self->user_id, DSL_ANONYMOUS_USER_ID) == 0;
}

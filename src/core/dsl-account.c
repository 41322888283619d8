/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-account.c: accounts and their secrets.
 *
 *   GSettings "accounts" a(sss) ◀──write all──┐         Secret Service (libsecret)
 *        │ changed::accounts                   │          item: schema io.github.dslinks.…,
 *        ▼ reload (same objects kept)          │                portal + user attributes,
 *   DslAccountStore ── GListModel of DslAccount ┘                secret = API key or token
 *        ▲ add / remove / notify::display-name       ▲ secret_password_store / _clear,
 *        │                                           │ lookup = _search + retrieve_secret
 *   the UI (sign-in, account menu)  ──────────▶  dsl_account_*_secret_async (GTask wrappers)
 *
 * GSettings holds only (portal, user id, display name) and "last-account"; the key or session
 * token lives in the keyring. When there is no usable Secret Service the secret calls fail with
 * an error that dsl_account_error_is_no_keyring() recognises, and the app keeps the secret for
 * the session only. Secrets are never logged; looked-up ones are freed with secret_password_free
 * (which wipes them). */
#define G_LOG_DOMAIN "dsl-account"

#include "config.h"

#include <string.h>

#include "dsl-account.h"
#include "dsl-client.h"

/* ------------------------------------------------------------------------------------------ */
/* DslAccount */

struct _DslAccount
{
  GObject  parent_instance;

  /* owned */
  char    *portal;        /* normalised "scheme://host[:port]" */
  char    *user_id;
  char    *display_name;  /* never NULL once constructed */
};

G_DEFINE_FINAL_TYPE (DslAccount, dsl_account, G_TYPE_OBJECT)

enum {
  ACCOUNT_PROP_0,
  ACCOUNT_PROP_PORTAL,
  ACCOUNT_PROP_USER_ID,
  ACCOUNT_PROP_DISPLAY_NAME,
  ACCOUNT_N_PROPS
};

static GParamSpec *account_properties[ACCOUNT_N_PROPS];

static void
dsl_account_finalize (GObject *object)
{
  DslAccount *self = (DslAccount *) object;

  g_clear_pointer (&self->portal, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->display_name, g_free);

  G_OBJECT_CLASS (dsl_account_parent_class)->finalize (object);
}

static void
dsl_account_constructed (GObject *object)
{
  DslAccount *self = (DslAccount *) object;

  G_OBJECT_CLASS (dsl_account_parent_class)->constructed (object);

  /* An account always has something to show: the user id stands in for a missing name. */
  if (self->display_name == NULL || *self->display_name == '\0')
    {
      g_free (self->display_name);
      self->display_name = g_strdup (self->user_id != NULL ? self->user_id : "");
    }
}

static void
dsl_account_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DslAccount *self = DSL_ACCOUNT (object);

  switch (prop_id)
    {
    case ACCOUNT_PROP_PORTAL:
      g_value_set_string (value, self->portal);
      break;
    case ACCOUNT_PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case ACCOUNT_PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_account_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DslAccount *self = DSL_ACCOUNT (object);

  switch (prop_id)
    {
    case ACCOUNT_PROP_PORTAL:
      g_assert (self->portal == NULL);
      self->portal = g_value_dup_string (value);
      break;
    case ACCOUNT_PROP_USER_ID:
      g_assert (self->user_id == NULL);
      self->user_id = g_value_dup_string (value);
      break;
    case ACCOUNT_PROP_DISPLAY_NAME:
      dsl_account_set_display_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_account_class_init (DslAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dsl_account_finalize;
  object_class->constructed = dsl_account_constructed;
  object_class->get_property = dsl_account_get_property;
  object_class->set_property = dsl_account_set_property;

  account_properties[ACCOUNT_PROP_PORTAL] =
    g_param_spec_string ("portal", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  account_properties[ACCOUNT_PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  account_properties[ACCOUNT_PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ACCOUNT_N_PROPS, account_properties);
}

static void
dsl_account_init (DslAccount *self)
{
}

DslAccount *
dsl_account_new (const char *portal,
                 const char *user_id,
                 const char *display_name)
{
  g_return_val_if_fail (portal != NULL && *portal != '\0', NULL);
  g_return_val_if_fail (user_id != NULL && *user_id != '\0', NULL);

  return g_object_new (DSL_TYPE_ACCOUNT,
                       "portal", portal,
                       "user-id", user_id,
                       "display-name", display_name,
                       NULL);
}

const char *
dsl_account_get_portal (DslAccount *self)
{
  g_return_val_if_fail (DSL_IS_ACCOUNT (self), NULL);
  return self->portal;
}

const char *
dsl_account_get_user_id (DslAccount *self)
{
  g_return_val_if_fail (DSL_IS_ACCOUNT (self), NULL);
  return self->user_id;
}

const char *
dsl_account_get_display_name (DslAccount *self)
{
  g_return_val_if_fail (DSL_IS_ACCOUNT (self), NULL);
  return self->display_name;
}

void
dsl_account_set_display_name (DslAccount *self,
                              const char *display_name)
{
  g_return_if_fail (DSL_IS_ACCOUNT (self));

  /* Before construction ends the user id may not be known yet: constructed() fills in. */
  if ((display_name == NULL || *display_name == '\0') && self->user_id != NULL)
    display_name = self->user_id;
  if (g_strcmp0 (self->display_name, display_name) == 0)
    return;

  g_free (self->display_name);
  self->display_name = g_strdup (display_name);
  g_object_notify_by_pspec (G_OBJECT (self), account_properties[ACCOUNT_PROP_DISPLAY_NAME]);
}

/* "https://docspace.example.com" -> "docspace.example.com"; a port stays. */
static const char *
portal_host (const char *portal)
{
  const char *sep = strstr (portal, "://");

  return sep != NULL ? sep + 3 : portal;
}

char *
dsl_account_dup_key (DslAccount *self)
{
  g_return_val_if_fail (DSL_IS_ACCOUNT (self), NULL);

  return g_strdup_printf ("%s %s", self->user_id, self->portal);
}

const char *
dsl_account_get_host (DslAccount *self)
{
  g_return_val_if_fail (DSL_IS_ACCOUNT (self), NULL);

  return portal_host (self->portal);
}

char *
dsl_account_dup_label (DslAccount *self)
{
  g_return_val_if_fail (DSL_IS_ACCOUNT (self), NULL);

  return g_strdup_printf ("%s (%s)", self->display_name, portal_host (self->portal));
}

gboolean
dsl_account_equal (DslAccount *a,
                   DslAccount *b)
{
  g_return_val_if_fail (DSL_IS_ACCOUNT (a), FALSE);
  g_return_val_if_fail (DSL_IS_ACCOUNT (b), FALSE);

  return g_str_equal (a->portal, b->portal) && g_str_equal (a->user_id, b->user_id);
}

static gboolean
account_matches (DslAccount *account,
                 const char *portal,
                 const char *user_id)
{
  return g_str_equal (account->portal, portal) && g_str_equal (account->user_id, user_id);
}

GVariant *
dsl_account_to_variant (DslAccount *self)
{
  g_return_val_if_fail (DSL_IS_ACCOUNT (self), NULL);

  return g_variant_new ("(sss)", self->portal, self->user_id, self->display_name);
}

DslAccount *
dsl_account_new_from_variant (GVariant *variant)
{
  const char *portal = NULL;
  const char *user_id = NULL;
  const char *display_name = NULL;
  g_autofree char *normalized = NULL;

  if (variant == NULL || !g_variant_is_of_type (variant, G_VARIANT_TYPE ("(sss)")))
    return NULL;

  g_variant_get (variant, "(&s&s&s)", &portal, &user_id, &display_name);
  if (*portal == '\0' || *user_id == '\0' || *display_name == '\0')
    return NULL;

  /* A hand-edited entry must still be an address the client accepts (https, or http on
   * loopback only): a key is never sent anywhere else. */
  normalized = dsl_client_normalize_url (portal, NULL);
  if (normalized == NULL)
    return NULL;

  return dsl_account_new (normalized, user_id, display_name);
}

/* ------------------------------------------------------------------------------------------ */
/* Secrets */

gboolean
dsl_account_secret_is_session_token (const char *secret)
{
  g_return_val_if_fail (secret != NULL, FALSE);
  return !g_str_has_prefix (secret, "sk-");
}

DslClient *
dsl_account_new_client (DslAccount *self,
                        const char *secret)
{
  DslClient *client;

  g_return_val_if_fail (DSL_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  client = dsl_client_new (dsl_account_get_portal (self));
  if (dsl_account_secret_is_session_token (secret))
    dsl_client_set_session_token (client, secret);
  else
    dsl_client_set_api_key (client, secret);
  return client;
}

const SecretSchema *
dsl_account_get_secret_schema (void)
{
  static const SecretSchema schema = {
    BASE_APP_ID, SECRET_SCHEMA_NONE,
    {
      { "portal", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_debug ("Could not store a secret: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
dsl_account_store_secret_async (DslAccount          *self,
                                const char          *secret,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (DSL_IS_ACCOUNT (self));
  g_return_if_fail (secret != NULL && *secret != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_account_store_secret_async);

  /* What Seahorse and `secret-tool search` show for the item. */
  label = g_strdup_printf ("DocSpace Links: %s on %s", self->display_name, self->portal);
  secret_password_store (dsl_account_get_secret_schema (), SECRET_COLLECTION_DEFAULT, label,
                         secret, cancellable, secret_stored_cb, g_steal_pointer (&task),
                         "portal", self->portal,
                         "user", self->user_id,
                         NULL);
}

gboolean
dsl_account_store_secret_finish (DslAccount    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_account_store_secret_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
secret_retrieved_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  SecretValue *value;

  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (error != NULL)
    {
      g_debug ("Could not read a secret: %s", error->message);
      g_task_return_error (task, error);
      return;
    }

  /* Only text (what dsl_account_store_secret_async stores) is a key or a token. */
  if (value == NULL || secret_value_get_text (value) == NULL)
    {
      g_clear_pointer (&value, secret_value_unref);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  /* Non-pageable memory, wiped when freed with secret_password_free. */
  g_task_return_pointer (task, secret_value_unref_to_password (value, NULL),
                         (GDestroyNotify) secret_password_free);
}

static void
secret_searched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_debug ("Could not look up a secret: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  if (items == NULL)
    {
      /* Nothing stored: NULL without an error. */
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  /* The first item is the most recently stored unlocked one. */
  secret_retrievable_retrieve_secret (items->data, g_task_get_cancellable (task),
                                      secret_retrieved_cb, g_object_ref (task));
  g_list_free_full (items, g_object_unref);
}

/* secret_password_lookup () would be the one-call way, but in libsecret 0.20 (Debian 12) its
 * path through Service.GetSecrets leaks the D-Bus reply of every secret it finds (64 + 899
 * bytes, "definitely lost" under valgrind). Searching for the item and retrieving its secret
 * gives the same answer (unlocking if needed, the newest item first) without the leak. */
void
dsl_account_lookup_secret_async (DslAccount          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DSL_IS_ACCOUNT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_account_lookup_secret_async);

  secret_password_search (dsl_account_get_secret_schema (), SECRET_SEARCH_UNLOCK, cancellable,
                          secret_searched_cb, g_steal_pointer (&task),
                          "portal", self->portal,
                          "user", self->user_id,
                          NULL);
}

char *
dsl_account_lookup_secret_finish (DslAccount    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_account_lookup_secret_async), NULL);

  /* Free the result with secret_password_free (it wipes the memory). */
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
secret_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error means there was nothing to delete: that is success here. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    {
      g_debug ("Could not delete a secret: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
dsl_account_delete_secret_async (DslAccount          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DSL_IS_ACCOUNT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_account_delete_secret_async);

  secret_password_clear (dsl_account_get_secret_schema (), cancellable, secret_cleared_cb,
                         g_steal_pointer (&task),
                         "portal", self->portal,
                         "user", self->user_id,
                         NULL);
}

gboolean
dsl_account_delete_secret_finish (DslAccount    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_account_delete_secret_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Found by running the secret calls on Debian 12 (GLib 2.74, libsecret 0.20, gnome-keyring 42)
 * in each situation; see tests/test-account.c for the one the tests reproduce:
 *   no session bus, no $DISPLAY           G_IO_ERROR_FAILED ("Cannot autolaunch D-Bus without
 *                                         X11 $DISPLAY")
 *   no session bus, $DISPLAY set          G_SPAWN_EXIT_ERROR (dbus-launch --autolaunch failed)
 *   no dbus-launch installed              G_SPAWN_ERROR (G_SPAWN_ERROR_NOENT)
 *   bus address names a missing socket    G_IO_ERROR_NOT_FOUND
 *   stale socket / not allowed            G_IO_ERROR_CONNECTION_REFUSED / _PERMISSION_DENIED
 *   empty or malformed bus address        G_IO_ERROR_INVALID_ARGUMENT
 *   bus without a Secret Service          G_DBUS_ERROR_SERVICE_UNKNOWN (NAME_HAS_NO_OWNER when
 *                                         not auto-started)
 *   keyring daemon fails to start         G_DBUS_ERROR_SPAWN_CHILD_EXITED (and other SPAWN_*)
 *   gnome-keyring without a login         G_DBUS_ERROR_UNKNOWN_METHOD ("Object does not exist
 *   keyring (no default collection)       at path /org/freedesktop/secrets/collection/login");
 *                                         other services: UNKNOWN_OBJECT, SECRET_ERROR_NO_SUCH_OBJECT
 *   collection locked, unlock prompt      SECRET_ERROR_IS_LOCKED ("Cannot create an item in a
 *   impossible or dismissed               locked collection")
 *   bus gone while running                G_IO_ERROR_CLOSED, G_DBUS_ERROR_DISCONNECTED */
gboolean
dsl_account_error_is_no_keyring (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_FAILED:
        case G_IO_ERROR_NOT_FOUND:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_PERMISSION_DENIED:
        case G_IO_ERROR_INVALID_ARGUMENT:
        case G_IO_ERROR_CLOSED:
          return TRUE;
        default:
          return FALSE;
        }
    }

  if (error->domain == G_SPAWN_ERROR || error->domain == G_SPAWN_EXIT_ERROR)
    return TRUE;

  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_UNKNOWN_METHOD:
        case G_DBUS_ERROR_UNKNOWN_OBJECT:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
          return TRUE;
        default:
          return FALSE;
        }
    }

  if (error->domain == SECRET_ERROR)
    return error->code == SECRET_ERROR_NO_SUCH_OBJECT || error->code == SECRET_ERROR_IS_LOCKED;

  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* DslAccountStore */

struct _DslAccountStore
{
  GObject     parent_instance;

  /* owned */
  GSettings  *settings;
  GListStore *accounts;    /* element-type DslAccount; the model we forward */

  /* plain values */
  gulong      changed_id;
  gboolean    loading;     /* applying the key: do not write it back */
};

static void dsl_account_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DslAccountStore, dsl_account_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      dsl_account_store_list_model_init))

enum {
  STORE_PROP_0,
  STORE_PROP_SETTINGS,
  STORE_N_PROPS
};

static GParamSpec *store_properties[STORE_N_PROPS];

static GType
dsl_account_store_get_item_type (GListModel *model)
{
  return DSL_TYPE_ACCOUNT;
}

static guint
dsl_account_store_get_n_items (GListModel *model)
{
  DslAccountStore *self = DSL_ACCOUNT_STORE (model);

  return g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
}

static gpointer
dsl_account_store_get_item (GListModel *model,
                            guint       position)
{
  DslAccountStore *self = DSL_ACCOUNT_STORE (model);

  return g_list_model_get_item (G_LIST_MODEL (self->accounts), position);
}

static void
dsl_account_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dsl_account_store_get_item_type;
  iface->get_n_items = dsl_account_store_get_n_items;
  iface->get_item = dsl_account_store_get_item;
}

static void
on_accounts_items_changed (DslAccountStore *self,
                           guint            position,
                           guint            removed,
                           guint            added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static DslAccount *
store_account_at (DslAccountStore *self,
                  guint            position)
{
  DslAccount *account = g_list_model_get_item (G_LIST_MODEL (self->accounts), position);

  /* Borrowed: the GListStore keeps its own reference while the item stays in it. */
  g_object_unref (account);
  return account;
}

static gboolean
store_lookup (DslAccountStore *self,
              const char      *portal,
              const char      *user_id,
              guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      if (account_matches (store_account_at (self, i), portal, user_id))
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/* The whole list, as one a(sss) value. */
static void
store_write (DslAccountStore *self)
{
  GVariantBuilder builder;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  if (self->loading)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < n; i++)
    g_variant_builder_add_value (&builder, dsl_account_to_variant (store_account_at (self, i)));

  /* Our own write comes back as changed::accounts; reloading it would change nothing. */
  self->loading = TRUE;
  if (!g_settings_set_value (self->settings, "accounts", g_variant_builder_end (&builder)))
    g_warning ("Could not save the list of accounts");
  self->loading = FALSE;
}

static void
on_account_display_name (DslAccountStore *self)
{
  store_write (self);
}

static void
store_watch (DslAccountStore *self,
             DslAccount      *account)
{
  g_signal_connect_object (account, "notify::display-name",
                           G_CALLBACK (on_account_display_name), self, G_CONNECT_SWAPPED);
}

static void
store_unwatch (DslAccountStore *self,
               DslAccount      *account)
{
  g_signal_handlers_disconnect_by_func (account, on_account_display_name, self);
}

/* Applies the "accounts" key: accounts still listed keep their object (and so every row and
 * binding built on it), display names are updated in place, the rest is replaced with as few
 * items-changed as a common prefix and suffix allow. */
static void
store_reload (DslAccountStore *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "accounts");
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  guint prefix = 0, suffix = 0;
  GVariantIter iter;
  GVariant *child;

  self->loading = TRUE;

  g_variant_iter_init (&iter, value);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) entry = child;
      g_autoptr(DslAccount) parsed = dsl_account_new_from_variant (entry);
      DslAccount *account;
      guint position;
      gboolean duplicate = FALSE;

      if (parsed == NULL)
        {
          g_debug ("Ignoring a malformed entry in the accounts setting");
          continue;
        }
      for (guint i = 0; i < wanted->len && !duplicate; i++)
        duplicate = dsl_account_equal (g_ptr_array_index (wanted, i), parsed);
      if (duplicate)
        continue;

      if (store_lookup (self, parsed->portal, parsed->user_id, &position))
        {
          account = g_object_ref (store_account_at (self, position));
          dsl_account_set_display_name (account, parsed->display_name);
        }
      else
        {
          account = g_steal_pointer (&parsed);
        }
      g_ptr_array_add (wanted, account);
    }

  while (prefix < n_old && prefix < wanted->len &&
         store_account_at (self, prefix) == g_ptr_array_index (wanted, prefix))
    prefix++;
  while (suffix < n_old - prefix && suffix < wanted->len - prefix &&
         store_account_at (self, n_old - 1 - suffix) ==
         g_ptr_array_index (wanted, wanted->len - 1 - suffix))
    suffix++;

  if (prefix + suffix < MAX (n_old, wanted->len))
    {
      guint n_removed = n_old - prefix - suffix;
      guint n_added = wanted->len - prefix - suffix;

      for (guint i = prefix; i < prefix + n_removed; i++)
        store_unwatch (self, store_account_at (self, i));
      for (guint i = prefix; i < prefix + n_added; i++)
        store_watch (self, g_ptr_array_index (wanted, i));
      g_list_store_splice (self->accounts, prefix, n_removed,
                           wanted->pdata + prefix, n_added);
    }

  self->loading = FALSE;
}

static void
on_settings_changed (DslAccountStore *self,
                     const char      *key,
                     GSettings       *settings)
{
  if (self->loading)
    return;
  store_reload (self);
}

static void
dsl_account_store_constructed (GObject *object)
{
  DslAccountStore *self = (DslAccountStore *) object;

  G_OBJECT_CLASS (dsl_account_store_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  self->changed_id = g_signal_connect_swapped (self->settings, "changed::accounts",
                                               G_CALLBACK (on_settings_changed), self);
  store_reload (self);
}

static void
dsl_account_store_dispose (GObject *object)
{
  DslAccountStore *self = (DslAccountStore *) object;

  if (self->settings != NULL)
    g_clear_signal_handler (&self->changed_id, self->settings);
  if (self->accounts != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

      for (guint i = 0; i < n; i++)
        store_unwatch (self, store_account_at (self, i));
      g_signal_handlers_disconnect_by_func (self->accounts, on_accounts_items_changed, self);
    }
  g_clear_object (&self->accounts);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dsl_account_store_parent_class)->dispose (object);
}

static void
dsl_account_store_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DslAccountStore *self = DSL_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case STORE_PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_account_store_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DslAccountStore *self = DSL_ACCOUNT_STORE (object);

  switch (prop_id)
    {
    case STORE_PROP_SETTINGS:
      g_assert (self->settings == NULL);
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_account_store_class_init (DslAccountStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = dsl_account_store_constructed;
  object_class->dispose = dsl_account_store_dispose;
  object_class->get_property = dsl_account_store_get_property;
  object_class->set_property = dsl_account_store_set_property;

  store_properties[STORE_PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, STORE_N_PROPS, store_properties);
}

static void
dsl_account_store_init (DslAccountStore *self)
{
  self->accounts = g_list_store_new (DSL_TYPE_ACCOUNT);
  g_signal_connect_swapped (self->accounts, "items-changed",
                            G_CALLBACK (on_accounts_items_changed), self);
}

DslAccountStore *
dsl_account_store_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (DSL_TYPE_ACCOUNT_STORE, "settings", settings, NULL);
}

DslAccount *
dsl_account_store_find (DslAccountStore *self,
                        const char      *portal,
                        const char      *user_id)
{
  guint position;

  g_return_val_if_fail (DSL_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (portal != NULL, NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  if (!store_lookup (self, portal, user_id, &position))
    return NULL;
  return store_account_at (self, position);
}

DslAccount *
dsl_account_store_add (DslAccountStore *self,
                       DslAccount      *account)
{
  DslAccount *stored;

  g_return_val_if_fail (DSL_IS_ACCOUNT_STORE (self), NULL);
  g_return_val_if_fail (DSL_IS_ACCOUNT (account), NULL);

  stored = dsl_account_store_find (self, account->portal, account->user_id);
  if (stored != NULL)
    {
      /* A changed name is written by on_account_display_name(). */
      if (stored != account)
        dsl_account_set_display_name (stored, account->display_name);
      return stored;
    }

  store_watch (self, account);
  g_list_store_append (self->accounts, account);
  store_write (self);
  return account;
}

void
dsl_account_store_remove (DslAccountStore *self,
                          DslAccount      *account)
{
  g_autoptr(DslAccount) last = NULL;
  guint position;

  g_return_if_fail (DSL_IS_ACCOUNT_STORE (self));
  g_return_if_fail (DSL_IS_ACCOUNT (account));

  if (!store_lookup (self, account->portal, account->user_id, &position))
    return;

  /* The last-used account goes with it, so the next start does not pick a stranger. */
  last = dsl_account_store_get_last (self) != NULL
         ? g_object_ref (dsl_account_store_get_last (self)) : NULL;

  store_unwatch (self, store_account_at (self, position));
  g_list_store_remove (self->accounts, position);
  store_write (self);

  if (last != NULL && dsl_account_equal (last, account))
    dsl_account_store_set_last (self, NULL);
}

DslAccount *
dsl_account_store_get_last (DslAccountStore *self)
{
  g_autofree char *last = NULL;
  const char *space;
  g_autofree char *user_id = NULL;

  g_return_val_if_fail (DSL_IS_ACCOUNT_STORE (self), NULL);

  /* "<user id> <portal>": user ids are GUIDs, so the first space separates. */
  last = g_settings_get_string (self->settings, "last-account");
  space = strchr (last, ' ');
  if (space == NULL || space == last || space[1] == '\0')
    return NULL;

  user_id = g_strndup (last, space - last);
  return dsl_account_store_find (self, space + 1, user_id);
}

void
dsl_account_store_set_last (DslAccountStore *self,
                            DslAccount      *account)
{
  g_autofree char *value = NULL;

  g_return_if_fail (DSL_IS_ACCOUNT_STORE (self));
  g_return_if_fail (account == NULL || DSL_IS_ACCOUNT (account));

  if (account != NULL)
    value = g_strdup_printf ("%s %s", account->user_id, account->portal);
  if (!g_settings_set_string (self->settings, "last-account", value != NULL ? value : ""))
    g_warning ("Could not save the last account");
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-session.c: see dsl-session.h. */

#define G_LOG_DOMAIN "dsl-session"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include <libsecret/secret.h>

#include "dsl-session.h"

struct _DslSession
{
  GObject parent_instance;

  GSettings       *settings;         /* nullable */
  DslAccountStore *accounts;         /* NULL without settings */
  DslLinkMonitor  *monitor;
  DslAccount      *account;          /* the active account, or NULL */
  DslClient       *client;           /* its client once the secret is known, or NULL */
  GCancellable    *cancellable;      /* the keyring look-up in flight; NULL when idle */
  GCancellable    *background;       /* the look-ups without a window (connect_account…) */
  DslSharingPolicy *policy;          /* the portal's sharing policy; NULL until read */
  GCancellable    *policy_read;      /* the GET files/settings in flight, or NULL */
  GHashTable      *session_secrets;  /* account key -> secret, only when no keyring took it */

  gulong           unauthorized_id;
  guint            unauthorized_idle_id;
  gboolean         session_token;
  gboolean         no_keyring;
};

G_DEFINE_FINAL_TYPE (DslSession, dsl_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_ACCOUNTS,
  PROP_MONITOR,
  PROP_ACCOUNT,
  PROP_CLIENT,
  PROP_SESSION_TOKEN,
  PROP_NO_KEYRING,
  PROP_CONNECTING,
  PROP_SHARING_POLICY,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SIGN_IN_NEEDED,
  SIGNAL_PROBLEM,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
wipe_secret (gpointer secret)
{
  memset (secret, 0, strlen (secret));
  g_free (secret);
}

/* --- The look-up and the client --- */

static void
set_connecting (DslSession   *self,
                GCancellable *cancellable)
{
  gboolean was = self->cancellable != NULL;

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  self->cancellable = cancellable;
  if (was != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTING]);
}

static void on_unauthorized (DslSession *self,
                             DslClient  *client);

static void
set_policy (DslSession             *self,
            const DslSharingPolicy *policy)
{
  if (policy == NULL && self->policy == NULL)
    return;
  if (policy != NULL && self->policy != NULL && dsl_sharing_policy_equal (policy, self->policy))
    return;
  g_clear_pointer (&self->policy, dsl_sharing_policy_free);
  if (policy != NULL)
    self->policy = dsl_sharing_policy_copy (policy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHARING_POLICY]);
}

static void
policy_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslSession) self = DSL_SESSION (user_data);
  g_autoptr(DslSharingPolicy) policy = NULL;
  g_autoptr(GError) error = NULL;

  policy = dsl_client_get_sharing_policy_finish (client, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || client != self->client)
    return;
  g_clear_object (&self->policy_read);
  if (policy == NULL)
    {
      /* The portal enforces its policy anyway; the window only says less. */
      g_debug ("Could not read the portal's sharing policy: %s", error->message);
      return;
    }
  set_policy (self, policy);
}

void
dsl_session_refresh_policy (DslSession *self)
{
  g_return_if_fail (DSL_IS_SESSION (self));

  if (self->policy_read != NULL)
    g_cancellable_cancel (self->policy_read);
  g_clear_object (&self->policy_read);
  if (self->client == NULL)
    return;
  self->policy_read = g_cancellable_new ();
  dsl_client_get_sharing_policy_async (self->client, self->policy_read, policy_cb,
                                       g_object_ref (self));
}

static void
set_client (DslSession *self,
            DslClient  *client,
            gboolean    session_token)
{
  gboolean token_changed = self->session_token != session_token;

  g_clear_handle_id (&self->unauthorized_idle_id, g_source_remove);
  if (client == self->client && !token_changed)
    return;

  if (self->client != NULL)
    g_clear_signal_handler (&self->unauthorized_id, self->client);
  g_clear_object (&self->client);
  self->session_token = session_token;

  if (client != NULL)
    {
      g_autofree char *key = dsl_account_dup_key (self->account);

      /* The monitor guards the account's temporary links from now on, window or not; it also
       * attaches the Shell search provider's index to the client. */
      dsl_link_monitor_set_client (self->monitor, key, client);
      self->client = g_object_ref (client);
      self->unauthorized_id = g_signal_connect_object (client, "unauthorized",
                                                       G_CALLBACK (on_unauthorized), self,
                                                       G_CONNECT_SWAPPED);
    }
  if (token_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_TOKEN]);
  /* Another portal or account: its policy is read again (after sign-in, issue 17). */
  set_policy (self, NULL);
  dsl_session_refresh_policy (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

static void
refresh_user_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslSession) self = DSL_SESSION (user_data);
  g_autoptr(DslUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = dsl_client_get_self_finish (client, result, &error);
  if (user == NULL)
    {
      /* A 401 already went through "unauthorized"; the tree shows other failures. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not refresh the account's name: %s", error->message);
      return;
    }

  if (client != self->client || self->account == NULL)
    return;

  /* A name changed on the portal shows up in the account (notify::display-name). */
  dsl_account_set_display_name (self->account, dsl_user_get_display_name (user));
}

static void
connect_with_secret (DslSession *self,
                     const char *secret)
{
  g_autoptr(DslClient) client = dsl_account_new_client (self->account, secret);

  set_client (self, client, dsl_account_secret_is_session_token (secret));
  dsl_client_get_self_async (client, NULL, refresh_user_cb, g_object_ref (self));
}

static void
lookup_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DslAccount *account = DSL_ACCOUNT (object);
  g_autoptr(DslSession) self = DSL_SESSION (user_data);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = dsl_account_lookup_secret_finish (account, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || account != self->account)
    {
      /* Non-pageable memory from libsecret: freed (and wiped) its own way. */
      if (secret != NULL)
        secret_password_free (secret);
      return;
    }

  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTING]);

  if (secret == NULL)
    {
      const char *host = dsl_account_get_host (account);
      g_autofree char *message = NULL;

      if (error != NULL && dsl_account_error_is_no_keyring (error))
        /* Translators: %s is a portal address such as docspace.example.com */
        message = g_strdup_printf (_("No keyring is available, so the key for %s was not "
                                     "remembered. Sign in again."), host);
      else if (error != NULL)
        /* Translators: the first %s is a portal address, the second an error message */
        message = g_strdup_printf (_("The key for %s could not be read from the keyring (%s). "
                                     "Sign in again."), host, error->message);
      else
        /* Translators: %s is a portal address such as docspace.example.com */
        message = g_strdup_printf (_("The key for %s is no longer in the keyring. Sign in "
                                     "again."), host);

      g_signal_emit (self, signals[SIGNAL_SIGN_IN_NEEDED], 0,
                     dsl_account_get_portal (account), message, FALSE);
      return;
    }

  connect_with_secret (self, secret);
  secret_password_free (secret);
}

void
dsl_session_set_account (DslSession *self,
                         DslAccount *account)
{
  g_return_if_fail (DSL_IS_SESSION (self));
  g_return_if_fail (account == NULL || DSL_IS_ACCOUNT (account));

  set_connecting (self, NULL);
  set_client (self, NULL, FALSE);
  if (!g_set_object (&self->account, account))
    return;
  if (account != NULL && self->accounts != NULL)
    dsl_account_store_set_last (self->accounts, account);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

void
dsl_session_connect (DslSession *self)
{
  g_autofree char *key = NULL;
  const char *secret;

  g_return_if_fail (DSL_IS_SESSION (self));

  if (self->account == NULL)
    return;
  key = dsl_account_dup_key (self->account);
  secret = g_hash_table_lookup (self->session_secrets, key);
  if (secret != NULL)
    {
      connect_with_secret (self, secret);
      return;
    }

  set_connecting (self, g_cancellable_new ());
  dsl_account_lookup_secret_async (self->account, self->cancellable, lookup_secret_cb,
                                   g_object_ref (self));
}

void
dsl_session_disconnect (DslSession *self)
{
  g_return_if_fail (DSL_IS_SESSION (self));

  set_connecting (self, NULL);
  set_client (self, NULL, FALSE);
}

/* --- 401 in the middle of a session --- */

static gboolean
handle_unauthorized (gpointer user_data)
{
  DslSession *self = DSL_SESSION (user_data);
  g_autofree char *message = NULL;
  g_autofree char *key = NULL;
  const char *portal;
  const char *host;
  gboolean session_token = self->session_token;

  self->unauthorized_idle_id = 0;
  if (self->account == NULL || self->client == NULL)
    return G_SOURCE_REMOVE;

  portal = dsl_account_get_portal (self->account);
  host = dsl_account_get_host (self->account);
  key = dsl_account_dup_key (self->account);
  /* What the portal refused is no use any more, in memory or in the keyring (a new sign-in
   * replaces it there). */
  g_hash_table_remove (self->session_secrets, key);
  dsl_link_monitor_set_client (self->monitor, key, NULL);

  if (session_token)
    /* Translators: %s is a portal address such as docspace.example.com */
    message = g_strdup_printf (_("Your session on %s has ended (signed out or expired). Sign in "
                                 "again."), host);
  else
    /* Translators: %s is a portal address such as docspace.example.com */
    message = g_strdup_printf (_("Your key for %s is no longer accepted (revoked or expired). "
                                 "Sign in again."), host);

  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_SIGN_IN_NEEDED], 0, portal, message, session_token);
  set_client (self, NULL, FALSE);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
on_unauthorized (DslSession *self,
                 DslClient  *client)
{
  if (client != self->client || self->unauthorized_idle_id != 0)
    return;

  /* Not from inside the failing request's callback: the tree is still handling it. */
  self->unauthorized_idle_id = g_idle_add (handle_unauthorized, self);
}

/* --- Signing in and out --- */

typedef struct {
  DslSession *session;  /* owned */
  DslAccount *account;  /* owned */
  char       *secret;   /* owned; wiped */
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_clear_object (&data->session);
  g_clear_object (&data->account);
  g_clear_pointer (&data->secret, wipe_secret);
  g_free (data);
}

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  StoreData *data = user_data;
  DslSession *self = data->session;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = dsl_account_dup_key (data->account);

  if (dsl_account_store_secret_finish (data->account, result, &error))
    {
      g_hash_table_remove (self->session_secrets, key);
      store_data_free (data);
      return;
    }

  /* The app works on for this run; the next start asks again. */
  g_hash_table_replace (self->session_secrets, g_steal_pointer (&key),
                        g_steal_pointer (&data->secret));
  if (dsl_account_error_is_no_keyring (error))
    {
      g_debug ("No keyring: %s", error->message);
      g_signal_emit (self, signals[SIGNAL_PROBLEM], 0,
                     _("The key will not be remembered: no keyring is available"));
      if (!self->no_keyring)
        {
          self->no_keyring = TRUE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_KEYRING]);
        }
    }
  else
    {
      g_autofree char *title = NULL;

      g_warning ("Could not store the secret: %s", error->message);
      /* Translators: %s is an error message from the keyring */
      title = g_strdup_printf (_("The key will not be remembered: %s"), error->message);
      g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, title);
    }
  store_data_free (data);
}

DslAccount *
dsl_session_sign_in (DslSession *self,
                     DslClient  *client,
                     DslUser    *user,
                     const char *secret)
{
  g_autoptr(DslAccount) account = NULL;
  g_autofree char *key = NULL;
  DslAccount *stored;
  StoreData *data;

  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);
  g_return_val_if_fail (DSL_IS_CLIENT (client), NULL);
  g_return_val_if_fail (DSL_IS_USER (user), NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  account = dsl_account_new (dsl_client_get_base_url (client), dsl_user_get_id (user),
                             dsl_user_get_display_name (user));
  stored = self->accounts != NULL ? dsl_account_store_add (self->accounts, account) : account;
  key = dsl_account_dup_key (stored);

  /* Kept in memory until the keyring has it, so a quick switch back still finds it. */
  g_hash_table_replace (self->session_secrets, g_strdup (key), g_strdup (secret));

  data = g_new0 (StoreData, 1);
  data->session = g_object_ref (self);
  data->account = g_object_ref (stored);
  data->secret = g_strdup (secret);
  dsl_account_store_secret_async (stored, secret, NULL, store_secret_cb, data);

  dsl_session_set_account (self, stored);
  set_client (self, client, dsl_account_secret_is_session_token (secret));
  return self->account;
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!dsl_client_logout_finish (DSL_CLIENT (object), result, &error))
    g_debug ("Logging out failed: %s", error->message);
}

static void
delete_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DslSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (dsl_account_delete_secret_finish (DSL_ACCOUNT (object), result, &error) ||
      dsl_account_error_is_no_keyring (error))
    return;
  g_debug ("Deleting the secret failed: %s", error->message);
  /* The key stays in the keyring: said, so the person can remove it there (issue 14). */
  /* Translators: the first %s is a portal address, the second the keyring's error message */
  title = g_strdup_printf (_("The key for %s could not be removed from the keyring: %s"),
                           dsl_account_get_host (DSL_ACCOUNT (object)),
                           error->message);
  g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, title);
}

DslAccount *
dsl_session_sign_out (DslSession *self)
{
  g_autoptr(DslAccount) account = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);

  if (self->account == NULL)
    return NULL;

  account = g_object_ref (self->account);
  key = dsl_account_dup_key (account);
  set_connecting (self, NULL);

  /* A session token is ended on the server too; an API key stays valid (it is managed on
   * the portal) but is forgotten here. */
  if (self->client != NULL && self->session_token)
    dsl_client_logout_async (self->client, NULL, logout_cb, NULL);
  dsl_account_delete_secret_async (account, NULL, delete_secret_cb, g_object_ref (self));
  g_hash_table_remove (self->session_secrets, key);
  dsl_link_monitor_set_client (self->monitor, key, NULL);

  dsl_session_set_account (self, NULL);
  if (self->accounts != NULL)
    dsl_account_store_remove (self->accounts, account);
  return g_steal_pointer (&account);
}

/* --- Without a window: clients from the keyring for the monitor --- */

/* One account's key from the keyring, as a client for the monitor: the task's data is the
 * account key; it returns the account's client (the one made here, or one set meanwhile). */
static void
background_secret_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DslSession *self = g_task_get_source_object (task);
  const char *account_key = g_task_get_task_data (task);
  DslAccount *account = DSL_ACCOUNT (object);
  g_autoptr(GError) error = NULL;
  DslClient *client;
  char *secret;

  secret = dsl_account_lookup_secret_finish (account, result, &error);
  if (secret == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_message ("No key for %s in the keyring (its temporary links are not checked)%s%s",
                 dsl_account_get_portal (account), error != NULL ? ": " : "",
                 error != NULL ? error->message : "");
      if (error != NULL)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 /* Translators: %s is the keyring's own error message */
                                 _("The keyring could not be read: %s"), error->message);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                 /* Translators: %s is a portal address */
                                 _("The keyring holds no key for %s."),
                                 dsl_account_get_portal (account));
      return;
    }
  client = dsl_link_monitor_get_client (self->monitor, account_key);
  if (client == NULL)
    {
      g_autoptr(DslClient) made = dsl_account_new_client (account, secret);

      dsl_link_monitor_set_client (self->monitor, account_key, made);
      client = made;
    }
  secret_password_free (secret);
  g_task_return_pointer (task, g_object_ref (client), g_object_unref);
}

static void
connect_in_background (DslSession          *self,
                       DslAccount          *account,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, dsl_session_connect_account_async);
  g_task_set_task_data (task, dsl_account_dup_key (account), g_free);
  dsl_account_lookup_secret_async (account, cancellable, background_secret_cb, task);
}

void
dsl_session_connect_account_async (DslSession          *self,
                                   const char          *account_key,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DslAccount *account;
  DslClient *client;

  g_return_if_fail (DSL_IS_SESSION (self));
  g_return_if_fail (account_key != NULL);

  account = dsl_session_find_account (self, account_key);
  if (account != NULL)
    {
      connect_in_background (self, account,
                             cancellable != NULL ? cancellable : self->background,
                             callback, user_data);
      return;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_session_connect_account_async);
  client = dsl_link_monitor_get_client (self->monitor, account_key);
  if (client != NULL)
    g_task_return_pointer (task, g_object_ref (client), g_object_unref);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                             _("The account is not known to DocSpace Links any more."));
}

DslClient *
dsl_session_connect_account_finish (DslSession    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        dsl_session_connect_account_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
dsl_session_connect_accounts (DslSession *self)
{
  guint started = 0;
  guint n;

  g_return_val_if_fail (DSL_IS_SESSION (self), 0);

  n = self->accounts != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DslAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      g_autofree char *key = dsl_account_dup_key (account);

      if (dsl_link_monitor_get_client (self->monitor, key) != NULL ||
          !dsl_link_monitor_has_watched_links (self->monitor, key))
        continue;
      connect_in_background (self, account, self->background, NULL, NULL);
      started++;
    }
  return started;
}

/* --- Look-ups --- */

DslAccount *
dsl_session_find_account (DslSession *self,
                          const char *account_key)
{
  const char *space;
  g_autofree char *user_id = NULL;

  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);

  space = account_key != NULL ? strchr (account_key, ' ') : NULL;
  if (space == NULL || self->accounts == NULL)
    return NULL;
  user_id = g_strndup (account_key, space - account_key);
  return dsl_account_store_find (self->accounts, space + 1, user_id);
}

DslAccount *
dsl_session_find_portal (DslSession *self,
                         const char *portal)
{
  guint n;

  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);

  n = self->accounts != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) : 0;
  for (guint i = 0; i < n && portal != NULL; i++)
    {
      g_autoptr(DslAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (g_strcmp0 (dsl_account_get_portal (account), portal) == 0)
        return account;  /* the store holds it */
    }
  return NULL;
}

/* --- Getters --- */

GSettings *
dsl_session_get_settings (DslSession *self)
{
  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);
  return self->settings;
}

DslAccountStore *
dsl_session_get_accounts (DslSession *self)
{
  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);
  return self->accounts;
}

DslLinkMonitor *
dsl_session_get_monitor (DslSession *self)
{
  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);
  return self->monitor;
}

DslAccount *
dsl_session_get_account (DslSession *self)
{
  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);
  return self->account;
}

DslClient *
dsl_session_get_client (DslSession *self)
{
  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);
  return self->client;
}

char *
dsl_session_dup_account_key (DslSession *self)
{
  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);
  return self->account != NULL ? dsl_account_dup_key (self->account) : NULL;
}

gboolean
dsl_session_get_session_token (DslSession *self)
{
  g_return_val_if_fail (DSL_IS_SESSION (self), FALSE);
  return self->session_token;
}

gboolean
dsl_session_get_no_keyring (DslSession *self)
{
  g_return_val_if_fail (DSL_IS_SESSION (self), FALSE);
  return self->no_keyring;
}

const DslSharingPolicy *
dsl_session_get_sharing_policy (DslSession *self)
{
  g_return_val_if_fail (DSL_IS_SESSION (self), NULL);
  return self->policy;
}

gboolean
dsl_session_get_connecting (DslSession *self)
{
  g_return_val_if_fail (DSL_IS_SESSION (self), FALSE);
  return self->cancellable != NULL;
}

/* --- GObject --- */

static void
dsl_session_dispose (GObject *object)
{
  DslSession *self = DSL_SESSION (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->background);
  g_clear_object (&self->background);
  if (self->policy_read != NULL)
    g_cancellable_cancel (self->policy_read);
  g_clear_object (&self->policy_read);
  g_clear_pointer (&self->policy, dsl_sharing_policy_free);
  g_clear_handle_id (&self->unauthorized_idle_id, g_source_remove);
  if (self->client != NULL)
    g_clear_signal_handler (&self->unauthorized_id, self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->account);
  g_clear_object (&self->monitor);
  g_clear_object (&self->accounts);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->session_secrets, g_hash_table_unref);

  G_OBJECT_CLASS (dsl_session_parent_class)->dispose (object);
}

static void
dsl_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DslSession *self = DSL_SESSION (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SESSION_TOKEN:
      g_value_set_boolean (value, self->session_token);
      break;
    case PROP_NO_KEYRING:
      g_value_set_boolean (value, self->no_keyring);
      break;
    case PROP_CONNECTING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    case PROP_SHARING_POLICY:
      g_value_set_boxed (value, self->policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_session_class_init (DslSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dsl_session_dispose;
  object_class->get_property = dsl_session_get_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS, flags);
  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, DSL_TYPE_ACCOUNT_STORE, flags);
  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL, DSL_TYPE_LINK_MONITOR, flags);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, DSL_TYPE_ACCOUNT, flags);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DSL_TYPE_CLIENT, flags);
  properties[PROP_SESSION_TOKEN] =
    g_param_spec_boolean ("session-token", NULL, NULL, FALSE, flags);
  properties[PROP_NO_KEYRING] =
    g_param_spec_boolean ("no-keyring", NULL, NULL, FALSE, flags);
  properties[PROP_CONNECTING] =
    g_param_spec_boolean ("connecting", NULL, NULL, FALSE, flags);
  properties[PROP_SHARING_POLICY] =
    g_param_spec_boxed ("sharing-policy", NULL, NULL, DSL_TYPE_SHARING_POLICY, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SIGN_IN_NEEDED] =
    g_signal_new ("sign-in-needed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNAL_PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
dsl_session_init (DslSession *self)
{
  self->session_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_secret);
  self->background = g_cancellable_new ();
}

GSettings *
dsl_session_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE);
  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

DslSession *
dsl_session_new (GApplication *application,
                 GSettings    *settings)
{
  DslSession *self;

  g_return_val_if_fail (application == NULL || G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (DSL_TYPE_SESSION, NULL);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      self->accounts = dsl_account_store_new (settings);
    }
  self->monitor = dsl_link_monitor_new (application, settings, NULL);
  return self;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-monitor.c: see dsl-link-monitor.h. */

#define G_LOG_DOMAIN "dsl-link-monitor"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-link-monitor.h"
#include "dsl-search-index.h"

typedef struct
{
  DslLinkMonitor *monitor;     /* unowned: the state dies with the monitor */
  char         *account_key;
  DslClient    *client;
  DslLinkGuard *guard;
  DslLinkScan  *scan;   /* made on first use */
} AccountState;

struct _DslLinkMonitor
{
  GObject parent_instance;

  GApplication  *application;  /* weak */
  GSettings     *settings;     /* owned, nullable */
  DslGuardStore *store;        /* owned */
  GHashTable    *accounts;     /* account key -> AccountState */
  GCancellable  *cancellable;
  GPtrArray     *load_problems; /* messages no window has shown yet (dsl_link_monitor_take_…) */
  guint          timer_id;     /* every "guard-interval" minutes */
  gulong         interval_id;  /* settings' changed::guard-interval */
};

G_DEFINE_FINAL_TYPE (DslLinkMonitor, dsl_link_monitor, G_TYPE_OBJECT)

enum {
  SIGNAL_GUARD_CHECKED,
  SIGNAL_SCAN_FINISHED,
  SIGNAL_CLIENT_CHANGED,
  SIGNAL_STORE_PROBLEM,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
account_state_free (AccountState *state)
{
  if (state->scan != NULL)
    {
      g_signal_handlers_disconnect_by_data (state->scan, state);
      dsl_link_scan_cancel (state->scan);
    }
  g_clear_object (&state->scan);
  g_free (state->account_key);
  if (state->guard != NULL)
    g_signal_handlers_disconnect_by_data (state->guard, state);
  g_clear_object (&state->guard);
  g_clear_object (&state->client);
  g_free (state);
}

static void
dsl_link_monitor_dispose (GObject *object)
{
  DslLinkMonitor *self = DSL_LINK_MONITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->settings != NULL)
    g_clear_signal_handler (&self->interval_id, self->settings);
  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->load_problems, g_ptr_array_unref);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (dsl_link_monitor_parent_class)->dispose (object);
}

static void
dsl_link_monitor_class_init (DslLinkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dsl_link_monitor_dispose;

  signals[SIGNAL_GUARD_CHECKED] =
    g_signal_new ("guard-checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_PTR_ARRAY, G_TYPE_ERROR);
  signals[SIGNAL_SCAN_FINISHED] =
    g_signal_new ("scan-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, DSL_TYPE_LINK_SCAN);
  signals[SIGNAL_CLIENT_CHANGED] =
    g_signal_new ("client-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_STORE_PROBLEM] =
    g_signal_new ("store-problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
dsl_link_monitor_init (DslLinkMonitor *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) account_state_free);
  self->cancellable = g_cancellable_new ();
  self->load_problems = g_ptr_array_new_with_free_func (g_free);
}

static gboolean
on_timer (gpointer user_data)
{
  dsl_link_monitor_check_now (DSL_LINK_MONITOR (user_data), NULL);
  return G_SOURCE_CONTINUE;
}

guint
dsl_link_monitor_get_interval (DslLinkMonitor *self)
{
  g_return_val_if_fail (DSL_IS_LINK_MONITOR (self), 0);

  return self->settings != NULL
         ? CLAMP (g_settings_get_uint (self->settings, "guard-interval"), 1, 1440)
         : DSL_LINK_MONITOR_DEFAULT_INTERVAL;
}

/* (Re)starts the timer with the current interval, counted from now. */
static void
schedule (DslLinkMonitor *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->timer_id = g_timeout_add_seconds (dsl_link_monitor_get_interval (self) * 60,
                                          on_timer, self);
  g_source_set_name_by_id (self->timer_id, "[dsl] guard timer");
}

static void
on_interval_changed (DslLinkMonitor *self)
{
  schedule (self);
}

DslLinkMonitor *
dsl_link_monitor_new (GApplication  *application,
                      GSettings     *settings,
                      DslGuardStore *store)
{
  DslLinkMonitor *self = g_object_new (DSL_TYPE_LINK_MONITOR, NULL);

  g_set_weak_pointer (&self->application, application);
  g_set_object (&self->settings, settings);
  if (settings != NULL)
    self->interval_id = g_signal_connect_swapped (settings, "changed::guard-interval",
                                                  G_CALLBACK (on_interval_changed), self);
  schedule (self);
  if (store != NULL)
    self->store = g_object_ref (store);
  else
    {
      g_autoptr(GError) error = NULL;

      self->store = dsl_guard_store_new ();
      if (!dsl_guard_store_load (self->store, &error))
        g_debug ("Could not read the temporary links: %s", error->message);
    }
  /* what the load skipped (also a file moved aside or unreadable), for the first window;
   * logged by dsl_link_monitor_report_load_problem */
  {
    g_autofree char *problem = dsl_guard_store_describe_load_problems (self->store);

    if (problem != NULL)
      dsl_link_monitor_report_load_problem (self, problem);
  }
  return self;
}

DslGuardStore *
dsl_link_monitor_get_store (DslLinkMonitor *self)
{
  g_return_val_if_fail (DSL_IS_LINK_MONITOR (self), NULL);
  return self->store;
}

static void
emit_store_problem (DslLinkMonitor *self,
                    const char     *account_key,
                    const char     *message)
{
  g_signal_emit (self, signals[SIGNAL_STORE_PROBLEM], 0, account_key, message);
}

void
dsl_link_monitor_report_store_error (DslLinkMonitor *self,
                                     const GError   *error,
                                     DslGuardedLink *link)
{
  g_autofree char *message = NULL;

  g_return_if_fail (DSL_IS_LINK_MONITOR (self));
  g_return_if_fail (error != NULL);
  g_return_if_fail (link == NULL || DSL_IS_GUARDED_LINK (link));

  message = dsl_guarded_link_describe_save_error (link, error);
  /* the guard logs its own failures */
  g_message ("could not save the guarded links: %s", error->message);
  emit_store_problem (self, link != NULL ? dsl_guarded_link_get_account_key (link) : NULL,
                      message);
}

void
dsl_link_monitor_report_load_problem (DslLinkMonitor *self,
                                      const char     *message)
{
  g_return_if_fail (DSL_IS_LINK_MONITOR (self));
  g_return_if_fail (message != NULL);

  g_message ("%s", message);
  /* a window listening shows it now; else the first window takes it */
  if (g_signal_has_handler_pending (self, signals[SIGNAL_STORE_PROBLEM], 0, FALSE))
    emit_store_problem (self, NULL, message);
  else
    g_ptr_array_add (self->load_problems, g_strdup (message));
}

GStrv
dsl_link_monitor_take_load_problems (DslLinkMonitor *self)
{
  GStrv problems;

  g_return_val_if_fail (DSL_IS_LINK_MONITOR (self), NULL);

  g_ptr_array_add (self->load_problems, NULL);
  problems = (GStrv) g_ptr_array_steal (self->load_problems, NULL);
  return problems;
}

static void
on_guard_save_failed (DslLinkGuard   *guard,
                      DslGuardedLink *link,
                      const GError   *error,
                      const char     *message,
                      AccountState   *state)
{
  emit_store_problem (state->monitor, state->account_key, message);
}

static AccountState *
lookup (DslLinkMonitor *self,
        const char     *account_key)
{
  if (account_key == NULL)
    return NULL;
  return g_hash_table_lookup (self->accounts, account_key);
}

void
dsl_link_monitor_set_client (DslLinkMonitor *self,
                             const char     *account_key,
                             DslClient      *client)
{
  AccountState *state;

  g_return_if_fail (DSL_IS_LINK_MONITOR (self));
  g_return_if_fail (account_key != NULL);
  g_return_if_fail (client == NULL || DSL_IS_CLIENT (client));

  state = lookup (self, account_key);
  if (state != NULL && state->client == client)
    return;

  if (client == NULL)
    {
      if (g_hash_table_remove (self->accounts, account_key))
        g_signal_emit (self, signals[SIGNAL_CLIENT_CHANGED], 0, account_key);
      return;
    }

  state = g_new0 (AccountState, 1);
  state->monitor = self;
  state->account_key = g_strdup (account_key);
  state->client = g_object_ref (client);
  /* What the tree and the link scans read through this client (the window's, or the one signed
   * in for background checking) feeds the Shell search provider's index. */
  dsl_search_index_attach_client (dsl_search_index_get_shared (account_key), client);
  state->guard = dsl_link_guard_new (client, self->store);
  g_signal_connect (state->guard, "save-failed", G_CALLBACK (on_guard_save_failed), state);
  /* the records follow the expiries saved in the sidebar, the editor, the checkup */
  dsl_link_guard_set_account_key (state->guard, account_key);
  g_hash_table_replace (self->accounts, g_strdup (account_key), state);
  g_signal_emit (self, signals[SIGNAL_CLIENT_CHANGED], 0, account_key);

  /* Catch-up: links that went over while the app was closed are revoked at once. */
  if (g_list_model_get_n_items (dsl_guard_store_get_links (self->store, account_key)) > 0)
    dsl_link_monitor_check_now (self, account_key);
}

GStrv
dsl_link_monitor_dup_account_keys (DslLinkMonitor *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (DSL_IS_LINK_MONITOR (self), NULL);

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (builder, key);
  return g_strv_builder_end (builder);
}

DslClient *
dsl_link_monitor_get_client (DslLinkMonitor *self,
                             const char     *account_key)
{
  AccountState *state;

  g_return_val_if_fail (DSL_IS_LINK_MONITOR (self), NULL);
  state = lookup (self, account_key);
  return state != NULL ? state->client : NULL;
}

const char *
dsl_link_monitor_find_account (DslLinkMonitor *self,
                               DslClient      *client)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (DSL_IS_LINK_MONITOR (self), NULL);

  if (client == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((AccountState *) value)->client == client)
      return key;
  return NULL;
}

DslLinkGuard *
dsl_link_monitor_get_guard (DslLinkMonitor *self,
                            const char     *account_key)
{
  AccountState *state;

  g_return_val_if_fail (DSL_IS_LINK_MONITOR (self), NULL);
  state = lookup (self, account_key);
  return state != NULL ? state->guard : NULL;
}

static void
on_scan_running (DslLinkScan  *scan,
                 GParamSpec   *pspec,
                 AccountState *state)
{
  if (!dsl_link_scan_get_running (scan))
    g_signal_emit (state->monitor, signals[SIGNAL_SCAN_FINISHED], 0, state->account_key, scan);
}

DslLinkScan *
dsl_link_monitor_get_scan (DslLinkMonitor *self,
                           const char     *account_key)
{
  AccountState *state;

  g_return_val_if_fail (DSL_IS_LINK_MONITOR (self), NULL);
  state = lookup (self, account_key);
  if (state == NULL)
    return NULL;
  if (state->scan == NULL)
    {
      state->scan = dsl_link_scan_new (state->client);
      g_signal_connect (state->scan, "notify::running", G_CALLBACK (on_scan_running), state);
    }
  return state->scan;
}

typedef struct
{
  DslLinkMonitor *self;
  char           *account_key;
} CheckData;

char *
dsl_link_monitor_describe_revocation (DslGuardedLink *link)
{
  const char *title = dsl_guarded_link_get_item_title (link);
  guint limit = dsl_guarded_link_get_download_limit (link);

  switch (dsl_guarded_link_get_state (link))
    {
    case DSL_GUARD_STATE_REVOKED_LIMIT:
      /* Translators: %s is a file or folder name; %u the download limit */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The temporary link to “%s” was revoked: it reached "
                                           "its limit of %u download.",
                                           "The temporary link to “%s” was revoked: it reached "
                                           "its limit of %u downloads.", limit),
                              title, limit);
    case DSL_GUARD_STATE_REVOKED_EXPIRED:
      /* Translators: %s is a file or folder name */
      return g_strdup_printf (_("The temporary link to “%s” was revoked: it has expired."),
                              title);
    case DSL_GUARD_STATE_ACTIVE:
    case DSL_GUARD_STATE_GONE:
    case DSL_GUARD_STATE_FAILED:
    default:
      return NULL;
    }
}

/* A desktop notification for a link the guard has just revoked. */
static void
announce (DslLinkMonitor *self,
          DslGuardResult *result)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  if (result->outcome != DSL_GUARD_OUTCOME_REVOKED_LIMIT &&
      result->outcome != DSL_GUARD_OUTCOME_REVOKED_EXPIRED)
    return;
  body = dsl_link_monitor_describe_revocation (result->link);
  if (self->application == NULL || body == NULL)
    return;

  notification = g_notification_new (_("Temporary Link Revoked"));
  g_notification_set_body (notification, body);
  id = g_strdup_printf ("revoked-%s", dsl_guarded_link_get_link_id (result->link));
  g_application_send_notification (self->application, id, notification);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CheckData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  results = dsl_link_guard_check_finish (DSL_LINK_GUARD (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    goto out;

  if (results == NULL)
    {
      g_debug ("Checking the temporary links failed: %s", error->message);
      results = g_ptr_array_new ();
    }
  for (guint i = 0; i < results->len; i++)
    announce (data->self, g_ptr_array_index (results, i));
  g_signal_emit (data->self, signals[SIGNAL_GUARD_CHECKED], 0, data->account_key, results, error);

out:
  g_object_unref (data->self);
  g_free (data->account_key);
  g_free (data);
}

static void
check_account (DslLinkMonitor *self,
               const char     *account_key,
               AccountState   *state)
{
  CheckData *data = g_new0 (CheckData, 1);

  data->self = g_object_ref (self);
  data->account_key = g_strdup (account_key);
  dsl_link_guard_check_async (state->guard, account_key, self->cancellable, check_cb, data);
}

void
dsl_link_monitor_check_now (DslLinkMonitor *self,
                            const char     *account_key)
{
  g_return_if_fail (DSL_IS_LINK_MONITOR (self));

  if (account_key != NULL)
    {
      AccountState *state = lookup (self, account_key);

      if (state != NULL)
        check_account (self, account_key, state);
    }
  else
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, &key, &value))
        check_account (self, key, value);
    }
}

/* --- Without a window: which accounts need a client (DslSession reads their keys) --- */

gboolean
dsl_link_monitor_has_watched_links (DslLinkMonitor *self,
                                    const char     *account_key)
{
  GListModel *links;

  g_return_val_if_fail (DSL_IS_LINK_MONITOR (self), FALSE);
  g_return_val_if_fail (account_key != NULL, FALSE);

  links = dsl_guard_store_get_links (self->store, account_key);

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(DslGuardedLink) link = g_list_model_get_item (links, i);
      DslGuardState state = dsl_guarded_link_get_state (link);

      if (state == DSL_GUARD_STATE_ACTIVE || state == DSL_GUARD_STATE_FAILED)
        return TRUE;
    }
  return FALSE;
}


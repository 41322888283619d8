/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-expiry-reminders.c: see dsl-expiry-reminders.h.
 *
 *   DslLinkMonitor ── "client-changed" ──(2 min later)──▶ last checkup older than 6 h? ──▶
 *        │                       dsl_link_scan_start   (asked again by the 15-minute timer)
 *        │            "scan-finished"  ──▶ candidates += the scan's rows ─┐
 *        │            "guard-checked"  ──────────────────────────────────┤  (and every 15 min)
 *        ▼                                                                 ▼
 *   per account: DslReminderStore (reminders-<hash>.json) + candidates (link id -> item, URL,
 *   expiry; from the last scan) + the guard store's active links
 *        ▼
 *   due (expires within 24 h, not expired) and not yet reminded for this expiry
 *        ▼
 *   g_application_send_notification ("expiry-<link id>") ─▶ mark reminded ─▶ save
 *
 *   app.extend-link ─▶ hold the application ─▶ the account's client (none: its key from the
 *   keyring, dsl_session_connect_account_async) ─▶ dsl_link_ops_change_async (extend,
 *   expecting the expiry reminded of: re-read, someone else's change of the expiry ─▶
 *   conflict, nothing sent) ─▶ the same notification id replaced by "Link extended" (or the
 *   failure, said plainly) ─▶ release (started by D-Bus for the button and no window open:
 *   the process ends here)
 *   app.copy-link   ─▶ GdkClipboard; without a window: on X11 the process stays (held) until
 *   a clipboard manager took the text, someone else copied, or KEEP_CLIPBOARD_SECONDS;
 *   elsewhere (Wayland) the window is opened first */
#define G_LOG_DOMAIN "dsl-expiry-reminders"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "dsl-expiry-reminders.h"
#include "dsl-item.h"
#include "dsl-link-form.h"
#include "dsl-link-ops.h"
#include "dsl-link.h"
#include "dsl-reminder-store.h"

/* How long a link copied without a window stays on an X11 clipboard that has no clipboard
 * manager (the process keeps it; see dsl_expiry_reminders_copy). */
#define KEEP_CLIPBOARD_SECONDS (10 * 60)

typedef struct
{
  DslItemKind  kind;
  char        *item_id;
  char        *item_title;
  char        *link_id;
  char        *link_title;   /* nullable */
  char        *share_link;   /* nullable */
  GDateTime   *expires;
} Candidate;

typedef struct
{
  DslExpiryReminders *self;      /* unowned: it owns this */
  char               *key;
  DslReminderStore   *store;       /* owned, loaded */
  GHashTable         *candidates;  /* link id -> Candidate (from the last finished scan) */
  guint               scan_delay_id;
} Account;


struct _DslExpiryReminders
{
  GObject parent_instance;

  /* borrowed */
  GApplication   *application;  /* weak */
  DslLinkMonitor *monitor;      /* owned ref, signals connected */

  /* owned */
  GHashTable   *accounts;   /* account key -> Account */
  GHashTable   *extending;  /* link id (set): an extend under way */
  DslSession   *session;       /* nullable: reads keys from the keyring */
  GdkClipboard *kept_clipboard;  /* copied without a window: held until … (see copy) */
  guint         keep_timeout_id;
  GCancellable *cancellable;
  guint         timer_id;
};

G_DEFINE_FINAL_TYPE (DslExpiryReminders, dsl_expiry_reminders, G_TYPE_OBJECT)

static void
candidate_free (Candidate *candidate)
{
  g_free (candidate->item_id);
  g_free (candidate->item_title);
  g_free (candidate->link_id);
  g_free (candidate->link_title);
  g_free (candidate->share_link);
  g_clear_pointer (&candidate->expires, g_date_time_unref);
  g_free (candidate);
}

/* What the guard store knows of a temporary link, as a candidate (no link title there). */
static Candidate *
candidate_from_guarded (DslGuardedLink *link)
{
  Candidate *c = g_new0 (Candidate, 1);
  GDateTime *expires = dsl_guarded_link_get_expires (link);

  c->kind = dsl_guarded_link_get_item_kind (link);
  c->item_id = g_strdup (dsl_guarded_link_get_item_id (link));
  c->item_title = g_strdup (dsl_guarded_link_get_item_title (link));
  c->link_id = g_strdup (dsl_guarded_link_get_link_id (link));
  c->share_link = g_strdup (dsl_guarded_link_get_share_link (link));
  c->expires = expires != NULL ? g_date_time_ref (expires) : NULL;
  return c;
}

static void
account_free (Account *account)
{
  g_clear_handle_id (&account->scan_delay_id, g_source_remove);
  g_free (account->key);
  g_clear_object (&account->store);
  g_clear_pointer (&account->candidates, g_hash_table_unref);
  g_free (account);
}


static Account *
get_account (DslExpiryReminders *self,
             const char         *account_key)
{
  Account *account = g_hash_table_lookup (self->accounts, account_key);

  if (account == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *problem = NULL;

      account = g_new0 (Account, 1);
      account->self = self;
      account->key = g_strdup (account_key);
      account->store = dsl_reminder_store_new (account_key);
      /* A file that does not load means at worst a reminder more; say so and go on: what was
       * skipped or moved aside is shown in the window (once) and logged by the monitor. */
      if (!dsl_reminder_store_load (account->store, &error))
        g_debug ("Could not read the expiry reminders sent: %s", error->message);
      problem = dsl_reminder_store_describe_load_problems (account->store);
      if (problem != NULL)
        dsl_link_monitor_report_load_problem (self->monitor, problem);
      account->candidates = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                   (GDestroyNotify) candidate_free);
      g_hash_table_insert (self->accounts, g_strdup (account_key), account);
    }
  return account;
}

static void
save_store (Account *account)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  dsl_reminder_store_prune (account->store, now);
  if (!dsl_reminder_store_save (account->store, &error))
    g_warning ("Could not save the expiry reminders sent: %s", error->message);
}

/* --- Targets --- */

static const char * const kind_names[] = {
  [DSL_ITEM_KIND_FILE] = "file",
  [DSL_ITEM_KIND_FOLDER] = "folder",
  [DSL_ITEM_KIND_ROOM] = "room",
};

char *
dsl_expiry_reminders_make_target (const char  *account_key,
                                  DslItemKind  kind,
                                  const char  *item_id,
                                  const char  *link_id,
                                  GDateTime   *expires)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (account_key != NULL && item_id != NULL && link_id != NULL, NULL);
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  if (expires == NULL)
    return g_strjoin ("\n", account_key, kind_names[kind], item_id, link_id, NULL);
  when = g_date_time_format_iso8601 (expires);
  return g_strjoin ("\n", account_key, kind_names[kind], item_id, link_id, when, NULL);
}

gboolean
dsl_expiry_reminders_parse_target (const char  *target,
                                   char       **account_key,
                                   DslItemKind *kind,
                                   char       **item_id,
                                   char       **link_id,
                                   GDateTime  **expires)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GDateTime) when = NULL;
  guint n;

  g_return_val_if_fail (target != NULL, FALSE);

  parts = g_strsplit (target, "\n", -1);
  n = g_strv_length (parts);
  if ((n != 4 && n != 5) || *parts[0] == '\0' || *parts[2] == '\0' || *parts[3] == '\0')
    return FALSE;
  /* The expiry reminded of (a target of an older version has none). */
  if (n == 5 && (when = g_date_time_new_from_iso8601 (parts[4], NULL)) == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (parts[1], kind_names[i]))
      {
        *kind = i;
        *account_key = g_strdup (parts[0]);
        *item_id = g_strdup (parts[2]);
        *link_id = g_strdup (parts[3]);
        if (expires != NULL)
          *expires = g_steal_pointer (&when);
        return TRUE;
      }
  return FALSE;
}

/* --- Reminding --- */

static char *
notification_id (const char *link_id)
{
  return g_strconcat ("expiry-", link_id, NULL);
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date);

  return dsl_link_format_exact_date (local);
}

static void
send_reminder (DslExpiryReminders *self,
               const char         *account_key,
               const Candidate    *c,
               GDateTime          *now)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID);
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *when = dsl_link_describe_expiry (c->expires, FALSE, local_now);
  g_autofree char *exact = format_date (c->expires);
  g_autofree char *target = dsl_expiry_reminders_make_target (account_key, c->kind, c->item_id,
                                                              c->link_id, c->expires);
  g_autofree char *id = notification_id (c->link_id);

  /* Translators: %s is the name of a file, folder or room */
  title = g_strdup_printf (_("A link to “%s” expires soon"),
                           c->item_title != NULL ? c->item_title : c->item_id);
  if (c->link_title != NULL && *c->link_title != '\0')
    /* Translators: "“Partners”: Expires in 5 hours (Saturday, 5 December 2026, 09:30 (UTC+03:00))" */
    body = g_strdup_printf (_("“%s”: %s (%s)"), c->link_title, when, exact);
  else
    body = g_strdup_printf ("%s (%s)", when, exact);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  /* A click opens the window on the link (through its URL), else the window. */
  if (c->share_link != NULL && *c->share_link != '\0')
    g_notification_set_default_action_and_target (notification, "app.show-link", "s",
                                                   c->share_link);
  else
    g_notification_set_default_action (notification, "app.open-window");
  g_notification_add_button_with_target (notification, _("Extend 7 Days"), "app.extend-link",
                                         "s", target);
  if (c->share_link != NULL && *c->share_link != '\0')
    g_notification_add_button_with_target (notification, _("Copy Link"), "app.copy-link",
                                           "s", c->share_link);
  g_application_send_notification (self->application, id, notification);
  g_debug ("Reminded of link %s (expires %s)", c->link_id, exact);
}

static gboolean
consider (DslExpiryReminders *self,
          const char         *account_key,
          Account            *account,
          const Candidate    *c,
          GDateTime          *now)
{
  if (c->link_id == NULL || c->item_id == NULL || !dsl_reminder_expiry_is_due (c->expires, now) ||
      dsl_reminder_store_was_reminded (account->store, c->link_id, c->expires))
    return FALSE;

  send_reminder (self, account_key, c, now);
  dsl_reminder_store_mark_reminded (account->store, c->link_id, c->expires, now);
  return TRUE;
}

static void
check_account (DslExpiryReminders *self,
               const char         *account_key)
{
  Account *account = get_account (self, account_key);
  GListModel *guarded = dsl_guard_store_get_links (dsl_link_monitor_get_store (self->monitor),
                                                   account_key);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GHashTableIter iter;
  gpointer value;
  Candidate *c;
  gboolean changed = FALSE;

  if (self->application == NULL)
    return;

  /* The app's temporary links first: the guard keeps their expiry up to date. */
  for (guint i = 0; i < g_list_model_get_n_items (guarded); i++)
    {
      g_autoptr(DslGuardedLink) link = g_list_model_get_item (guarded, i);
      DslGuardState state = dsl_guarded_link_get_state (link);

      if (state != DSL_GUARD_STATE_ACTIVE && state != DSL_GUARD_STATE_FAILED)
        continue;
      c = candidate_from_guarded (link);
      changed |= consider (self, account_key, account, c, now);
      g_clear_pointer (&c, candidate_free);
    }

  g_hash_table_iter_init (&iter, account->candidates);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      changed |= consider (self, account_key, account, value, now);
    }

  if (changed)
    save_store (account);
}

void
dsl_expiry_reminders_check (DslExpiryReminders *self)
{
  g_auto(GStrv) keys = NULL;

  g_return_if_fail (DSL_IS_EXPIRY_REMINDERS (self));

  keys = dsl_link_monitor_dup_account_keys (self->monitor);
  for (guint i = 0; keys[i] != NULL; i++)
    check_account (self, keys[i]);
}

/* Starts the account's link checkup unless it ran to its end within the last 6 hours (or is
 * running now), so links made elsewhere (the web client) are known too. */
static void
maybe_start_scan (DslExpiryReminders *self,
                  const char         *account_key)
{
  Account *account = get_account (self, account_key);
  GDateTime *last = dsl_reminder_store_get_last_scan (account->store);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  DslLinkScan *scan = dsl_link_monitor_get_scan (self->monitor, account_key);
  GTimeSpan age;

  if (scan == NULL || dsl_link_scan_get_running (scan))
    return;
  age = last != NULL ? g_date_time_difference (now, last) : G_MAXINT64;
  /* A last checkup in the future (the clock was set back) counts as old. */
  if (age >= 0 && age < DSL_EXPIRY_REMINDERS_SCAN_AGE)
    {
      g_debug ("The link checkup ran less than 6 hours ago; not started for reminders");
      return;
    }
  g_debug ("Starting the link checkup for expiry reminders");
  dsl_link_scan_start (scan);
}

static gboolean
on_scan_delay (gpointer user_data)
{
  Account *account = user_data;

  account->scan_delay_id = 0;
  maybe_start_scan (account->self, account->key);
  return G_SOURCE_REMOVE;
}

/* The checkup walks the whole portal: it waits a while after sign-in, so the window's own
 * first requests (the tree, the sidebar) are not queued behind it. */
static void
schedule_scan (DslExpiryReminders *self,
               const char         *account_key)
{
  Account *account = get_account (self, account_key);
  const char *env = g_getenv ("DSL_REMINDER_SCAN_DELAY");
  guint delay = DSL_EXPIRY_REMINDERS_SCAN_DELAY_SECONDS;

  if (env != NULL && *env != '\0')
    delay = (guint) g_ascii_strtoull (env, NULL, 10);
  g_clear_handle_id (&account->scan_delay_id, g_source_remove);
  account->scan_delay_id = g_timeout_add_seconds (delay, on_scan_delay, account);
}

static gboolean
on_timer (gpointer user_data)
{
  DslExpiryReminders *self = DSL_EXPIRY_REMINDERS (user_data);
  g_auto(GStrv) keys = dsl_link_monitor_dup_account_keys (self->monitor);

  dsl_expiry_reminders_check (self);
  for (guint i = 0; keys[i] != NULL; i++)
    maybe_start_scan (self, keys[i]);
  return G_SOURCE_CONTINUE;
}

/* --- The monitor's signals --- */

static void
on_client_changed (DslLinkMonitor     *monitor,
                   const char         *account_key,
                   DslExpiryReminders *self)
{
  if (dsl_link_monitor_get_client (monitor, account_key) == NULL)
    return;

  check_account (self, account_key);   /* the guarded links are known already */
  schedule_scan (self, account_key);
}

static void
on_scan_finished (DslLinkMonitor     *monitor,
                  const char         *account_key,
                  DslLinkScan        *scan,
                  DslExpiryReminders *self)
{
  Account *account = get_account (self, account_key);
  GListModel *rows = dsl_link_scan_get_rows (scan);
  guint n = g_list_model_get_n_items (rows);

  /* A run stopped by a refused key says nothing about the portal's links. */
  if (dsl_link_scan_get_error (scan) != NULL)
    return;

  g_hash_table_remove_all (account->candidates);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DslLinkScanRow) row = g_list_model_get_item (rows, i);
      DslLink *link = dsl_link_scan_row_get_link (row);
      DslItem *item = dsl_link_scan_row_get_item (row);
      GDateTime *expires;
      Candidate *c;

      if (link == NULL || item == NULL || dsl_link_get_id (link) == NULL ||
          dsl_link_get_is_expired (link) || dsl_link_get_link_type (link) != DSL_LINK_TYPE_EXTERNAL)
        continue;
      expires = dsl_link_get_expiration_date (link);
      if (expires == NULL)
        continue;
      c = g_new0 (Candidate, 1);
      c->kind = dsl_item_get_kind (item);
      c->item_id = g_strdup (dsl_item_get_id (item));
      c->item_title = g_strdup (dsl_item_get_title (item));
      c->link_id = g_strdup (dsl_link_get_id (link));
      c->link_title = g_strdup (dsl_link_get_title (link));
      c->share_link = g_strdup (dsl_link_get_share_link (link));
      c->expires = g_date_time_ref (expires);
      g_hash_table_replace (account->candidates, c->link_id, c);
    }

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    dsl_reminder_store_set_last_scan (account->store, now);
  }
  save_store (account);
  check_account (self, account_key);
}

static void
on_guard_checked (DslLinkMonitor     *monitor,
                  const char         *account_key,
                  GPtrArray          *results,
                  const GError       *error,
                  DslExpiryReminders *self)
{
  check_account (self, account_key);
}

/* --- Extend 7 Days --- */

/* One press of "Extend 7 Days", from the press to its notification: it holds the application
 * (so a process started by D-Bus for the button lives until the outcome is told) and releases
 * it when freed. */
typedef struct
{
  DslExpiryReminders *self;    /* owned */
  GApplication       *application;  /* owned, held; NULL once the reminders are disposed */
  DslItemKind         kind;
  char               *account_key;
  char               *item_id;
  char               *link_id;
  GDateTime          *expires;  /* nullable: the expiry reminded of */
} ExtendData;

static void
extend_data_free (ExtendData *data)
{
  g_hash_table_remove (data->self->extending, data->link_id);
  if (data->application != NULL)
    {
      g_application_release (data->application);
      g_object_unref (data->application);
    }
  g_object_unref (data->self);
  g_free (data->account_key);
  g_free (data->item_id);
  g_free (data->link_id);
  g_clear_pointer (&data->expires, g_date_time_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExtendData, extend_data_free)

/* The item's title as known from the last scan or the guard store, or NULL. */
static const char *
known_title (DslExpiryReminders *self,
             const char         *account_key,
             const char         *link_id)
{
  Account *account = g_hash_table_lookup (self->accounts, account_key);
  DslGuardedLink *guarded;
  Candidate *c;

  if (account != NULL && (c = g_hash_table_lookup (account->candidates, link_id)) != NULL)
    return c->item_title;
  guarded = dsl_guard_store_lookup (dsl_link_monitor_get_store (self->monitor), account_key,
                                    link_id);
  return guarded != NULL ? dsl_guarded_link_get_item_title (guarded) : NULL;
}

/* `link_title` (nullable): the link's own title, named when the item's is not known (a
 * process started for the button knows no checkup). */
static void
extend_done (DslExpiryReminders *self,
             const char         *account_key,
             const char         *link_id,
             const char         *link_title,
             GDateTime          *new_expiry,
             const char         *failure)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID);
  g_autofree char *id = notification_id (link_id);
  const char *item_title = known_title (self, account_key, link_id);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (self->application == NULL)
    return;
  if (link_title != NULL && *link_title == '\0')
    link_title = NULL;

  if (failure == NULL)
    {
      g_autofree char *date = format_date (new_expiry);

      if (item_title != NULL)
        /* Translators: %s is the name of a file, folder or room */
        title = g_strdup_printf (_("The link to “%s” was extended"), item_title);
      else if (link_title != NULL)
        /* Translators: %s is the name of a link */
        title = g_strdup_printf (_("The link “%s” was extended"), link_title);
      else
        title = g_strdup (_("The link was extended"));
      /* Translators: %s is a date, e.g. "Saturday, 12 December 2026, 09:30 (UTC+03:00)" */
      body = g_strdup_printf (_("It now expires on %s."), date);
    }
  else
    {
      if (item_title != NULL)
        /* Translators: %s is the name of a file, folder or room */
        title = g_strdup_printf (_("The link to “%s” could not be extended"), item_title);
      else if (link_title != NULL)
        /* Translators: %s is the name of a link */
        title = g_strdup_printf (_("The link “%s” could not be extended"), link_title);
      else
        title = g_strdup (_("The link could not be extended"));
      body = g_strdup (failure);
    }

  /* The same id: the reminder is replaced by what became of it. */
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_default_action (notification, "app.open-window");
  g_application_send_notification (self->application, id, notification);
}

static void
extend_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ExtendData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) stored = NULL;
  GDateTime *got;
  Account *account;
  Candidate *c;

  stored = dsl_link_ops_change_finish (DSL_CLIENT (object), result, NULL, &error);
  if (stored == NULL)
    {
      g_autofree char *failure = NULL;

      /* Cancelled: at dispose, nobody to tell. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_GONE))
        failure = g_strdup (_("The link no longer exists: it was removed by someone else."));
      else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_CONFLICT))
        /* Translators: %s says who changed what, with both dates */
        failure = g_strdup_printf (_("%s Nothing was changed."), error->message);
      else if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR ||
               error->domain == G_TLS_ERROR)
        /* Translators: %s is the network's error, e.g. "Connection refused" */
        failure = g_strdup_printf (_("The portal could not be reached (%s). Check your network "
                                     "connection, then try again."), error->message);
      else
        failure = g_strdup (error->message);
      extend_done (data->self, data->account_key, data->link_id, NULL, NULL, failure);
      return;
    }

  got = dsl_link_get_expiration_date (stored);
  account = get_account (data->self, data->account_key);
  if ((c = g_hash_table_lookup (account->candidates, data->link_id)) != NULL && got != NULL)
    {
      g_clear_pointer (&c->expires, g_date_time_unref);
      c->expires = g_date_time_ref (got);
    }
  /* The guard's record of a temporary link follows by itself (the client's "link-stored",
   * which dsl-link-ops emits). */
  extend_done (data->self, data->account_key, data->link_id, dsl_link_get_title (stored), got,
               NULL);
}

static void
run_extend (ExtendData *data,   /* taken */
            DslClient  *client)
{
  DslExpiryReminders *self = data->self;
  g_autoptr(DslLinkChange) change = NULL;
  Account *account;
  Candidate *c;

  /* The expiry the reminder was about (an older target: as the last checkup saw it). */
  account = get_account (self, data->account_key);
  if (data->expires == NULL &&
      (c = g_hash_table_lookup (account->candidates, data->link_id)) != NULL &&
      c->expires != NULL)
    data->expires = g_date_time_ref (c->expires);

  /* Only the expiry, seven days past the server's current one; if someone else moved it
   * since the reminder, nothing is sent and the notification says so. */
  change = dsl_link_change_new_for_id (data->link_id);
  dsl_link_change_extend (change);
  if (data->expires != NULL)
    dsl_link_change_expect_expiry (change, data->expires);

  dsl_link_ops_change_async (client, data->kind, data->item_id, change, self->cancellable,
                             extend_cb, data);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(ExtendData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslClient) client = NULL;
  g_autofree char *failure = NULL;

  client = dsl_session_connect_account_finish (DSL_SESSION (object), result, &error);
  if (client != NULL)
    {
      run_extend (g_steal_pointer (&data), client);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Translators: %s says why there is no key, e.g. "The keyring holds no key for
   * https://portal.example.com." */
  failure = g_strdup_printf (_("%s Open DocSpace Links and sign in, then try again."),
                             error->message);
  extend_done (data->self, data->account_key, data->link_id, NULL, NULL, failure);
}

void
dsl_expiry_reminders_extend (DslExpiryReminders *self,
                             const char         *target)
{
  g_autofree char *account_key = NULL;
  g_autofree char *item_id = NULL;
  g_autofree char *link_id = NULL;
  g_autoptr(GDateTime) expires = NULL;
  DslItemKind kind;
  DslClient *client;
  ExtendData *data;

  g_return_if_fail (DSL_IS_EXPIRY_REMINDERS (self));
  g_return_if_fail (target != NULL);

  if (!dsl_expiry_reminders_parse_target (target, &account_key, &kind, &item_id, &link_id,
                                          &expires))
    {
      g_warning ("Not a link to extend: %s", target);
      return;
    }
  if (g_hash_table_contains (self->extending, link_id))
    return;

  g_hash_table_add (self->extending, g_strdup (link_id));
  data = g_new0 (ExtendData, 1);
  data->self = g_object_ref (self);
  if (self->application != NULL)
    {
      data->application = g_object_ref (self->application);
      g_application_hold (data->application);
    }
  data->kind = kind;
  data->account_key = g_steal_pointer (&account_key);
  data->item_id = g_steal_pointer (&item_id);
  data->link_id = g_steal_pointer (&link_id);
  data->expires = g_steal_pointer (&expires);

  client = dsl_link_monitor_get_client (self->monitor, data->account_key);
  if (client != NULL)
    run_extend (data, client);
  else if (self->session != NULL)
    /* No window signed in to that account (the app may have been started for this button):
     * its key from the keyring, as background checking reads it. */
    dsl_session_connect_account_async (self->session, data->account_key, self->cancellable,
                                       connect_cb, data);
  else
    {
      g_autoptr(ExtendData) owned = data;

      extend_done (owned->self, owned->account_key, owned->link_id, NULL, NULL,
                   _("The account is not known to DocSpace Links any more."));
    }
}

/* --- Copy Link --- */

static void
stop_keeping_clipboard (DslExpiryReminders *self)
{
  if (self->kept_clipboard == NULL)
    return;
  g_debug ("The copied link is no longer kept on the clipboard by this process");
  g_signal_handlers_disconnect_by_data (self->kept_clipboard, self);
  g_clear_object (&self->kept_clipboard);
  g_clear_handle_id (&self->keep_timeout_id, g_source_remove);
  if (self->application != NULL)
    g_application_release (self->application);
}

static void
on_kept_clipboard_changed (GdkClipboard       *clipboard,
                           DslExpiryReminders *self)
{
  /* Someone else copied: nothing of ours left to keep. */
  if (!gdk_clipboard_is_local (clipboard))
    stop_keeping_clipboard (self);
}

static gboolean
on_keep_timeout (gpointer user_data)
{
  DslExpiryReminders *self = user_data;

  self->keep_timeout_id = 0;
  stop_keeping_clipboard (self);
  return G_SOURCE_REMOVE;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(DslExpiryReminders) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A clipboard manager took a copy: the text outlives this process. */
  if (gdk_clipboard_store_finish (GDK_CLIPBOARD (object), result, &error))
    stop_keeping_clipboard (self);
  else
    g_debug ("No clipboard manager took the link (%s): kept here for %d minutes or until "
             "something else is copied", error->message, KEEP_CLIPBOARD_SECONDS / 60);
}

static void
tell_copied (DslExpiryReminders *self,
             const char         *url)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID);
  g_autofree char *body = NULL;

  /* Translators: %s is the link's web address */
  body = g_strdup_printf (_("%s is on the clipboard."), url);
  notification = g_notification_new (_("Link copied"));
  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_default_action (notification, "app.open-window");
  g_application_send_notification (self->application, "link-copied", notification);
}

void
dsl_expiry_reminders_copy (DslExpiryReminders *self,
                           const char         *url)
{
  GdkDisplay *display = gdk_display_get_default ();
  GdkClipboard *clipboard;
  gboolean windowless;

  g_return_if_fail (DSL_IS_EXPIRY_REMINDERS (self));
  g_return_if_fail (url != NULL);

  windowless = self->application != NULL && GTK_IS_APPLICATION (self->application) &&
               gtk_application_get_windows (GTK_APPLICATION (self->application)) == NULL;

  /* Without a window a Wayland compositor does not let the app set the clipboard (it takes
   * the serial of an input event on one of the app's surfaces), and a person who copies a
   * link mostly pastes it next: there, the window is opened first (it keeps the process, and
   * with it the clipboard; GNOME's Mutter also keeps the text once the owner has gone). */
  if (windowless && (display == NULL ||
                     !g_str_equal (G_OBJECT_TYPE_NAME (display), "GdkX11Display")))
    {
      g_application_activate (self->application);
      windowless = FALSE;
      display = gdk_display_get_default ();
    }
  if (display == NULL)
    return;
  clipboard = gdk_display_get_clipboard (display);
  gdk_clipboard_set_text (clipboard, url);
  if (!windowless)
    return;

  /* X11 without a window (started by D-Bus for the button): the selection lives in this
   * process, and without a clipboard manager it is gone when the process quits. So the
   * application is held, bounded: until a clipboard manager has taken a copy
   * (gdk_clipboard_store_async), someone else copies (the clipboard is not ours any more), or
   * KEEP_CLIPBOARD_SECONDS have passed, whichever comes first; a window opened meanwhile
   * keeps the process by itself. Ten minutes covers "copy, switch to the mail, paste" without
   * leaving a process behind for the rest of the session. */
  if (self->kept_clipboard == NULL)
    {
      g_application_hold (self->application);
      self->kept_clipboard = g_object_ref (clipboard);
      g_signal_connect (clipboard, "changed", G_CALLBACK (on_kept_clipboard_changed), self);
    }
  g_clear_handle_id (&self->keep_timeout_id, g_source_remove);
  self->keep_timeout_id = g_timeout_add_seconds (KEEP_CLIPBOARD_SECONDS, on_keep_timeout, self);
  gdk_clipboard_store_async (clipboard, G_PRIORITY_DEFAULT, self->cancellable, store_cb,
                             g_object_ref (self));
  tell_copied (self, url);
}

/* --- Object --- */

static void
dsl_expiry_reminders_dispose (GObject *object)
{
  DslExpiryReminders *self = DSL_EXPIRY_REMINDERS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_weak_pointer (&self->application);
  if (self->accounts != NULL)
    g_hash_table_remove_all (self->accounts);   /* and their delayed checkups */
  stop_keeping_clipboard (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (dsl_expiry_reminders_parent_class)->dispose (object);
}

static void
dsl_expiry_reminders_finalize (GObject *object)
{
  DslExpiryReminders *self = DSL_EXPIRY_REMINDERS (object);

  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->extending, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (dsl_expiry_reminders_parent_class)->finalize (object);
}

static void
dsl_expiry_reminders_class_init (DslExpiryRemindersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dsl_expiry_reminders_dispose;
  object_class->finalize = dsl_expiry_reminders_finalize;
}

static void
dsl_expiry_reminders_init (DslExpiryReminders *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) account_free);
  self->extending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
}

DslExpiryReminders *
dsl_expiry_reminders_new (GApplication   *application,
                          DslLinkMonitor *monitor)
{
  DslExpiryReminders *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DSL_IS_LINK_MONITOR (monitor), NULL);

  self = g_object_new (DSL_TYPE_EXPIRY_REMINDERS, NULL);
  g_set_weak_pointer (&self->application, application);
  self->monitor = g_object_ref (monitor);
  g_signal_connect (monitor, "client-changed", G_CALLBACK (on_client_changed), self);
  g_signal_connect (monitor, "scan-finished", G_CALLBACK (on_scan_finished), self);
  g_signal_connect (monitor, "guard-checked", G_CALLBACK (on_guard_checked), self);
  self->timer_id = g_timeout_add_seconds (DSL_EXPIRY_REMINDERS_INTERVAL_SECONDS, on_timer, self);
  return self;
}

void
dsl_expiry_reminders_set_session (DslExpiryReminders *self,
                                  DslSession         *session)
{
  g_return_if_fail (DSL_IS_EXPIRY_REMINDERS (self));
  g_return_if_fail (session == NULL || DSL_IS_SESSION (session));

  g_set_object (&self->session, session);
}

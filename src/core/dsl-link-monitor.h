/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-monitor.h: the application's watch over an account's links, alive with or without a
 * window.
 *
 * One DslLinkMonitor per DslSession (the application's, dsl_session_get_monitor; a window
 * without an application makes a session of its own: widget tests). Per account ("<user id>
 * <portal>", dsl_account_dup_key, the guard store's account key) it keeps:
 *  - the account's DslClient, handed over by the session once it has the secret (or, when the
 *    app runs in the background without a window, made from the keyring by the monitor);
 *  - a DslLinkGuard over the shared DslGuardStore: temporary links and their download limits;
 *  - a DslLinkScan: the link checkup's results, kept until the next refresh.
 *
 * The guard runs for every account with a client: when the client is first set (catch-up for
 * links that went over while the app was closed), every "guard-interval" minutes (GSettings),
 * and on dsl_link_monitor_check_now (app.check-now). Links it revokes are announced with a
 * GNotification (when there is an application) and "guard-checked". Expiry reminders (links
 * expiring within 24 hours, once per link) are sent after guard checks and finished scans. */
#pragma once

#include <gio/gio.h>

#include "dsl-account.h"
#include "dsl-client.h"
#include "dsl-link-guard.h"
#include "dsl-link-scan.h"

G_BEGIN_DECLS

#define DSL_TYPE_LINK_MONITOR (dsl_link_monitor_get_type ())
G_DECLARE_FINAL_TYPE (DslLinkMonitor, dsl_link_monitor, DSL, LINK_MONITOR, GObject)

/* `application` (nullable) sends the notifications; `settings` (nullable: defaults) gives
 * "guard-interval"; `store` (nullable: dsl_guard_store_new, loaded) holds the guarded links. */
DslLinkMonitor *dsl_link_monitor_new        (GApplication   *application,
                                             GSettings      *settings,
                                             DslGuardStore  *store);

DslGuardStore  *dsl_link_monitor_get_store  (DslLinkMonitor *self);

#define DSL_LINK_MONITOR_DEFAULT_INTERVAL 5
/* Minutes between guard checks ("guard-interval", 1–1440; 5 without settings). A change of
 * the setting restarts the timer. */
guint           dsl_link_monitor_get_interval (DslLinkMonitor *self);

/* The key of the account whose client is `client`, or NULL (transfer none). */
const char     *dsl_link_monitor_find_account (DslLinkMonitor *self,
                                               DslClient      *client);

/* What the notification of a revoked link says ("The temporary link to “Report.docx” was
 * revoked: it reached its limit of 2 downloads."), or NULL when `link` was not revoked by the
 * guard. */
char           *dsl_link_monitor_describe_revocation (DslGuardedLink *link);

/* The account's client (NULL: signed out; the account's guard and scan are dropped). Setting a
 * new client for an account with pending guarded links starts a check at once. */
void            dsl_link_monitor_set_client (DslLinkMonitor *self,
                                             const char     *account_key,
                                             DslClient      *client);
/* The keys of the accounts that have a client now (transfer full). */
GStrv           dsl_link_monitor_dup_account_keys (DslLinkMonitor *self);
/* transfer none; NULL when the account has no client */
DslClient      *dsl_link_monitor_get_client (DslLinkMonitor *self,
                                             const char     *account_key);
DslLinkGuard   *dsl_link_monitor_get_guard  (DslLinkMonitor *self,
                                             const char     *account_key);
/* The account's checkup scan, made on first use and kept (with its rows) while the account's
 * client stays the same. transfer none; NULL when the account has no client. */
DslLinkScan    *dsl_link_monitor_get_scan   (DslLinkMonitor *self,
                                             const char     *account_key);

/* Checks the guarded links of one account, or of every account with a client (NULL). A check
 * already under way for an account is left to finish. */
void            dsl_link_monitor_check_now  (DslLinkMonitor *self,
                                             const char     *account_key);

/* Whether the account has temporary links still watched (active, or a check failed): without a
 * window, DslSession reads the keys of those accounts (dsl_session_connect_accounts). */
gboolean        dsl_link_monitor_has_watched_links (DslLinkMonitor *self,
                                                    const char     *account_key);

/* Shows a failed save of the guard's store (dsl_guard_store_save) in the window, with what
 * it means, as "store-problem": for the link editor when ITS save of a new record fails (the
 * guard's own failed saves go the same way by themselves). `link` (nullable) is the record
 * the save was for; the words are dsl_guarded_link_describe_save_error()'s. */
void            dsl_link_monitor_report_store_error (DslLinkMonitor *self,
                                                     const GError   *error,
                                                     DslGuardedLink *link);

/* A state file (the guarded links, an account's reminders) did not load whole: `message`
 * (plain text, translated) says what was skipped or moved aside. Emitted as "store-problem"
 * (account NULL) when a window listens, else kept for dsl_link_monitor_take_load_problems, so
 * the first window shows it once. The monitor reports its own store's load this way. */
void            dsl_link_monitor_report_load_problem (DslLinkMonitor *self,
                                                      const char     *message);
/* The load problems no window has shown yet, and forgets them (transfer full; empty, never
 * NULL). A window calls it once it listens to "store-problem". */
GStrv           dsl_link_monitor_take_load_problems  (DslLinkMonitor *self);

/* Signals:
 *  "guard-checked" (const char *account_key, GPtrArray *results (element-type DslGuardResult),
 *                   const GError *error (nullable))  after every guard check of an account.
 *  "scan-finished" (const char *account_key, DslLinkScan *scan)  when an account's scan stops
 *                   running (finished, failed or cancelled; see its error and rows).
 *  "client-changed" (const char *account_key)  an account got a (new) client or lost it.
 *  "store-problem" (const char *account_key (nullable), const char *message)  a save of the
 *                   guarded links failed: `message` says what it means (plain text, translated;
 *                   escape it for markup). From the guards and dsl_link_monitor_report_store_error;
 *                   also a state file that did not load whole (dsl_link_monitor_report_load_problem). */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-expiry-reminders.h: a desktop notification when a link the person manages expires within
 * 24 hours, at most once per link and expiry, with "Extend 7 Days" and "Copy Link" (issue 5
 * "Expiry reminders"). Made by the application at startup, fed by its DslLinkMonitor. */
#pragma once

#include <gio/gio.h>

#include "dsl-enums.h"
#include "dsl-link-monitor.h"
#include "dsl-session.h"

G_BEGIN_DECLS

/* How often the known links are looked at again. */
#define DSL_EXPIRY_REMINDERS_INTERVAL_SECONDS (15 * 60)
/* An account's link checkup is started when it gets a client and has not run for this long,
 * DSL_EXPIRY_REMINDERS_SCAN_DELAY_SECONDS after the client came (the environment variable
 * DSL_REMINDER_SCAN_DELAY, in seconds, overrides that for tests), so the window's first
 * requests go first. */
#define DSL_EXPIRY_REMINDERS_SCAN_AGE (6 * G_TIME_SPAN_HOUR)
#define DSL_EXPIRY_REMINDERS_SCAN_DELAY_SECONDS 120

#define DSL_TYPE_EXPIRY_REMINDERS (dsl_expiry_reminders_get_type ())
G_DECLARE_FINAL_TYPE (DslExpiryReminders, dsl_expiry_reminders, DSL, EXPIRY_REMINDERS, GObject)

/* Listens to `monitor` ("client-changed", "scan-finished", "guard-checked") and sends its
 * notifications through `application` (weak). Buttons: app.extend-link and app.copy-link (see
 * below); the default action is app.show-link with the link's URL (app.open-window when the
 * URL is not known). */
DslExpiryReminders *dsl_expiry_reminders_new    (GApplication       *application,
                                                 DslLinkMonitor     *monitor);

/* Looks at every known link of every account with a client now. The timer does this every
 * DSL_EXPIRY_REMINDERS_INTERVAL_SECONDS and then starts an account's checkup whose last run
 * is older than DSL_EXPIRY_REMINDERS_SCAN_AGE (as a new client does). */
void                dsl_expiry_reminders_check  (DslExpiryReminders *self);

/* The target of app.extend-link: "<account key>\n<kind: file|folder|room>\n<item id>\n<link
 * id>[\n<the expiry reminded of, ISO 8601>]" (transfer full; `expires` NULL: no last part),
 * and its parts back (FALSE when it does not parse; `expires` optional, NULL without one). */
char               *dsl_expiry_reminders_make_target  (const char  *account_key,
                                                       DslItemKind  kind,
                                                       const char  *item_id,
                                                       const char  *link_id,
                                                       GDateTime   *expires);
gboolean            dsl_expiry_reminders_parse_target (const char  *target,
                                                       char       **account_key,
                                                       DslItemKind *kind,
                                                       char       **item_id,
                                                       char       **link_id,
                                                       GDateTime  **expires);

/* app.extend-link: "Extend by 7 days" through dsl_link_ops_change_async (the link read again,
 * only its expiry changed, 7 days past the current one or past now when it has expired),
 * expecting the expiry the reminder was about: when someone else changed it since, nothing is
 * changed and the notification says so with both dates; a link removed meanwhile is "removed
 * by someone else". The reminder is replaced by a notification saying the new date, or why it
 * failed.
 * The application is held until then, so a process started by D-Bus for the button
 * (--gapplication-service) lives until the outcome is told and then ends (if no window is
 * open). When the account has no client (no window signed in to it), its key is read from
 * the keyring (dsl_session_connect_account_async, the session of
 * dsl_expiry_reminders_set_session); no key there is said in the notification. */
void                dsl_expiry_reminders_extend (DslExpiryReminders *self,
                                                 const char         *target);
/* app.copy-link: `url` onto the display's clipboard. Without a window: on X11 the application
 * is held (the process owns the selection) until a clipboard manager took the text, someone
 * else copies, or 10 minutes passed, and a notification says it was copied; on other displays
 * (Wayland: no clipboard without a focused surface) the window is opened first. */
void                dsl_expiry_reminders_copy   (DslExpiryReminders *self,
                                                 const char         *url);

/* The session whose accounts' keys an extend may read from the keyring
 * (dsl_session_connect_account_async); NULL: none. */
void                dsl_expiry_reminders_set_session (DslExpiryReminders *self,
                                                      DslSession         *session);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-session.h: the signed-in account, in one place (issue 16).
 *
 * One DslSession per application (dsl_application_get_session), made at start-up and handed to
 * the window, Find Link and the link editor; a window made without an application (widget
 * tests) makes its own. It owns:
 *  - the settings it was given (nullable: defaults, no accounts remembered) and the accounts
 *    they hold (DslAccountStore);
 *  - the link monitor (per account: the guard of temporary links and the checkup's scan);
 *  - the active account, its DslClient once the account's key or session token is known, and
 *    the secrets no keyring could take (in memory for this run only, wiped when dropped);
 *  - the key look-up and store (libsecret), the 401 handling, sign-in and sign-out.
 *
 *   set_account ──▶ connect ──┬─ secret in memory ──────────────▶ client
 *                             └─ keyring look-up (connecting) ──┬▶ client (name refreshed)
 *                                                               └▶ "sign-in-needed" (why)
 *   sign_in (a client the sign-in page made) ──▶ account stored, its secret into the keyring
 *                                                ("problem" and no-keyring when it cannot)
 *   client "unauthorized" ──(idle)──▶ secret forgotten, "sign-in-needed" (the client still
 *                                     set, so a window can remember where it was), client gone
 *   sign_out ──▶ session token logged out, secret deleted ("problem" when it stays), account
 *                removed
 *   without a window (--background, a notification's button): connect_accounts /
 *   connect_account_async ──▶ keys from the keyring ──▶ clients for the link monitor
 *
 * Everything is a GObject property with notify; nothing here logs a secret. */
#pragma once

#include <gio/gio.h>

#include "dsl-account.h"
#include "dsl-client.h"
#include "dsl-link-monitor.h"
#include "dsl-user.h"

G_BEGIN_DECLS

#define DSL_TYPE_SESSION (dsl_session_get_type ())
G_DECLARE_FINAL_TYPE (DslSession, dsl_session, DSL, SESSION, GObject)

/* The application's settings (transfer full), or NULL when the schema is not installed (from
 * the build tree without GSETTINGS_SCHEMA_DIR: defaults instead of an abort). */
GSettings       *dsl_session_settings_new     (void);

/* `application` (nullable) sends the monitor's notifications; `settings` (nullable) holds the
 * accounts and the monitor's interval. */
DslSession      *dsl_session_new              (GApplication *application,
                                               GSettings    *settings);

/* transfer none; each may be NULL (settings and accounts without a schema) */
GSettings       *dsl_session_get_settings     (DslSession   *self);
DslAccountStore *dsl_session_get_accounts     (DslSession   *self);
DslLinkMonitor  *dsl_session_get_monitor      (DslSession   *self);
DslAccount      *dsl_session_get_account      (DslSession   *self);
DslClient       *dsl_session_get_client       (DslSession   *self);
/* "<user id> <portal>" of the active account (the monitor's and the guard store's key), or
 * NULL. */
char            *dsl_session_dup_account_key  (DslSession   *self);
/* The client uses a session token (a password sign-in), not an API key. */
gboolean         dsl_session_get_session_token (DslSession  *self);
/* A key could not be stored: there is no keyring, it is kept for this run only. */
gboolean         dsl_session_get_no_keyring   (DslSession   *self);
/* The active account's key is being read from the keyring. */
gboolean         dsl_session_get_connecting   (DslSession   *self);
/* The portal's sharing policy (GET files/settings), read whenever the session gets a client
 * and on dsl_session_refresh_policy (a refresh); NULL while not known (not read yet, or the
 * read failed: the portal enforces it anyway). Property "sharing-policy", notified on a
 * change. */
const DslSharingPolicy *dsl_session_get_sharing_policy (DslSession *self);
void             dsl_session_refresh_policy   (DslSession   *self);

/* The stored account with this key / on this (normalized) portal, or NULL. transfer none. */
DslAccount      *dsl_session_find_account     (DslSession   *self,
                                               const char   *account_key);
DslAccount      *dsl_session_find_portal      (DslSession   *self,
                                               const char   *portal);

/* Makes `account` (nullable) the active one: the look-up in flight is cancelled, the client
 * dropped, the account remembered as the last one. */
void             dsl_session_set_account      (DslSession   *self,
                                               DslAccount   *account);
/* Gives the active account a client: from the secret kept in memory at once, else from the
 * keyring (connecting until it is read; "sign-in-needed" when it cannot be). */
void             dsl_session_connect          (DslSession   *self);
/* The sign-in page signed in: the account is stored (or found), becomes the active one with
 * `client`, and `secret` goes into the keyring (kept in memory until it is there). Returns the
 * stored account (transfer none). */
DslAccount      *dsl_session_sign_in          (DslSession   *self,
                                               DslClient    *client,
                                               DslUser      *user,
                                               const char   *secret);
/* Signs the active account out: a session token is ended on the portal, the secret deleted,
 * the account removed. Returns the account that was signed out (transfer full), or NULL. */
DslAccount      *dsl_session_sign_out         (DslSession   *self);
/* A window goes: the look-up in flight is cancelled and the client dropped (the monitor keeps
 * its own), the account stays. */
void             dsl_session_disconnect       (DslSession   *self);

/* Without a window (background checking, --background): for each stored account that has
 * temporary links still watched and no client in the monitor yet, reads its key or session
 * token from the keyring and gives the monitor a client, which starts the catch-up check.
 * Returns the number of keyring look-ups started. */
guint            dsl_session_connect_accounts (DslSession   *self);
/* For one account (a notification's button pressed while the app had no window, or was not
 * running): its key from the keyring, the same way, with or without temporary links.
 * Finishes with the account's client in the monitor (transfer full; the one set meanwhile,
 * if any), or G_IO_ERROR_NOT_FOUND when no stored account has that key or the keyring holds
 * no key for it (the message says so, plain and translated), or the keyring's own error. A
 * NULL `cancellable` means the session's (cancelled when it goes). */
void             dsl_session_connect_account_async  (DslSession          *self,
                                                     const char          *account_key,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
DslClient       *dsl_session_connect_account_finish (DslSession          *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Signals:
 *  "sign-in-needed" (const char *portal, const char *message, gboolean use_password)  the
 *      active account cannot go on without signing in again: its key is not in the keyring
 *      (the client is NULL), or the portal refused it (emitted while the client is still set,
 *      then the client goes). `message` is plain text, translated.
 *  "problem" (const char *message)  the keyring could not store or delete a key; plain text,
 *      translated. */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-account.h: a portal account (portal address + user) and its secret in the Secret Service;
 * DslAccountStore: the list of accounts kept in GSettings (never a secret there). */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "dsl-client.h"

G_BEGIN_DECLS

#define DSL_TYPE_ACCOUNT (dsl_account_get_type ())
G_DECLARE_FINAL_TYPE (DslAccount, dsl_account, DSL, ACCOUNT, GObject)

/* Properties: "portal" (normalised base URL, construct-only), "user-id" (construct-only),
 * "display-name" (readwrite, explicit notify). */
DslAccount   *dsl_account_new                 (const char *portal,
                                               const char *user_id,
                                               const char *display_name);
const char   *dsl_account_get_portal          (DslAccount *self);
const char   *dsl_account_get_user_id         (DslAccount *self);
const char   *dsl_account_get_display_name    (DslAccount *self);
void          dsl_account_set_display_name    (DslAccount *self,
                                               const char *display_name);
/* "<user id> <portal>": the account's key (the guard store's, the link monitor's, the search
 * index's, the account menu's action target). */
char         *dsl_account_dup_key             (DslAccount *self);
/* The portal's address without its scheme: "docspace.example.com" (a port stays). */
const char   *dsl_account_get_host            (DslAccount *self);
/* "Olivia Owner (docspace.example.com)" style, for menus. */
char         *dsl_account_dup_label           (DslAccount *self);
/* TRUE when both name the same portal and user. */
gboolean      dsl_account_equal               (DslAccount *a,
                                               DslAccount *b);

/* (sss): portal, user id, display name. */
GVariant     *dsl_account_to_variant          (DslAccount *self);
/* NULL when the variant is not (sss) or a member is empty. */
DslAccount   *dsl_account_new_from_variant    (GVariant   *variant);

/* The libsecret schema: name = the base app ID "io.github.dslinks.DocSpaceLinks", attributes
 * "portal" and "user" (strings). The secret is an API key ("sk-…") or a session token; which
 * one is told by the "sk-" prefix. */
const SecretSchema *dsl_account_get_secret_schema (void);

/* Whether a stored secret is a session token (from e-mail and password sign-in) rather than an
 * API key, which always starts with "sk-". */
gboolean      dsl_account_secret_is_session_token (const char *secret);
/* A client for the account's portal signed in with `secret`, as an API key or a session token
 * (dsl_account_secret_is_session_token); transfer full. */
DslClient    *dsl_account_new_client          (DslAccount *self,
                                               const char *secret);

/* Store / look up / delete this account's secret. The label names the app, the user and the
 * portal. Lookup returns NULL without an error when nothing is stored. Never logs the secret. */
void          dsl_account_store_secret_async  (DslAccount          *self,
                                               const char          *secret,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      dsl_account_store_secret_finish (DslAccount          *self,
                                               GAsyncResult        *result,
                                               GError             **error);
void          dsl_account_lookup_secret_async (DslAccount          *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char         *dsl_account_lookup_secret_finish (DslAccount         *self,
                                                GAsyncResult       *result,
                                                GError            **error);
void          dsl_account_delete_secret_async (DslAccount          *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      dsl_account_delete_secret_finish (DslAccount         *self,
                                                GAsyncResult       *result,
                                                GError            **error);
/* TRUE when `error` means there is no usable Secret Service (no D-Bus session, no keyring
 * daemon, no default collection): the app then keeps the secret for the session only. */
gboolean      dsl_account_error_is_no_keyring (const GError *error);


#define DSL_TYPE_ACCOUNT_STORE (dsl_account_store_get_type ())
G_DECLARE_FINAL_TYPE (DslAccountStore, dsl_account_store, DSL, ACCOUNT_STORE, GObject)

/* A GListModel of DslAccount backed by the "accounts" (a(sss)) and "last-account" keys of
 * `settings` (schema io.github.dslinks.DocSpaceLinks). "last-account" holds "<user id> <portal>"
 * of the account used last (empty when none). Changes are written at once. */
DslAccountStore *dsl_account_store_new        (GSettings       *settings);
/* The stored account with this portal and user, or NULL (transfer none). */
DslAccount   *dsl_account_store_find          (DslAccountStore *self,
                                               const char      *portal,
                                               const char      *user_id);
/* Adds, or updates the display name of the same portal+user. Returns the stored account
 * (transfer none). */
DslAccount   *dsl_account_store_add           (DslAccountStore *self,
                                               DslAccount      *account);
void          dsl_account_store_remove        (DslAccountStore *self,
                                               DslAccount      *account);
/* transfer none; NULL when none or when it is no longer in the list */
DslAccount   *dsl_account_store_get_last      (DslAccountStore *self);
void          dsl_account_store_set_last      (DslAccountStore *self,
                                               DslAccount      *account);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sign-in-page.h: the signed-out page: portal address, API key or email + password, and the
 * two-factor code step. Checks the credentials against the portal and hands a ready DslClient
 * to whoever listens to "signed-in". */
#pragma once

#include <adwaita.h>

#include "dsl-client.h"

G_BEGIN_DECLS

/* Which field an error belongs under. */
typedef enum {
  DSL_SIGN_IN_FIELD_PORTAL,
  DSL_SIGN_IN_FIELD_KEY,
  DSL_SIGN_IN_FIELD_PASSWORD,
  DSL_SIGN_IN_FIELD_CODE,
} DslSignInField;

#define DSL_TYPE_SIGN_IN_PAGE (dsl_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (DslSignInPage, dsl_sign_in_page, DSL, SIGN_IN_PAGE, GtkWidget)

/* Properties: "portal" (string, the address entry's text), "use-password" (bool: the email and
 * password way is chosen), "can-cancel" (bool: show a Cancel that emits "cancelled", for
 * "Add Account…"), "busy" (bool, read-only: a sign-in is in progress).
 * Signals:
 *   "signed-in" (DslClient *client, DslUser *user, const char *secret): the client carries the
 *     checked credentials; `secret` is the API key or the session token (never the password).
 *   "cancelled": Cancel was pressed (only with can-cancel). */
GtkWidget  *dsl_sign_in_page_new              (void);
const char *dsl_sign_in_page_get_portal       (DslSignInPage *self);
void        dsl_sign_in_page_set_portal       (DslSignInPage *self,
                                               const char    *portal);
gboolean    dsl_sign_in_page_get_use_password (DslSignInPage *self);
void        dsl_sign_in_page_set_use_password (DslSignInPage *self,
                                               gboolean       use_password);
gboolean    dsl_sign_in_page_get_can_cancel   (DslSignInPage *self);
void        dsl_sign_in_page_set_can_cancel   (DslSignInPage *self,
                                               gboolean       can_cancel);
gboolean    dsl_sign_in_page_get_busy         (DslSignInPage *self);
/* A notice above the form ("Your key for … is no longer accepted…"); NULL hides it. */
void        dsl_sign_in_page_set_message      (DslSignInPage *self,
                                               const char    *message);
/* Stops a sign-in in progress, clears the key, password and code entries and every error, and
 * goes back to the first step. The portal address and email stay. */
void        dsl_sign_in_page_reset            (DslSignInPage *self);
/* Focuses the first empty field of the visible step. */
void        dsl_sign_in_page_focus            (DslSignInPage *self);

/* The sentence shown for a failed sign-in and the field it belongs under. `portal` is the
 * normalised address (may be NULL); `during_code` tells a wrong two-factor code from a wrong
 * password. The result may be Pango markup when *use_markup is set (a link to follow). */
char       *dsl_sign_in_describe_error        (const GError   *error,
                                               const char     *portal,
                                               gboolean        during_code,
                                               DslSignInField *field,
                                               gboolean       *use_markup);

G_END_DECLS

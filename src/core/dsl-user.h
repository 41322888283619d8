/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-user.h: who is signed in (EmployeeFullDto), an API key's metadata, and a login answer */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DSL_TYPE_USER (dsl_user_get_type ())
G_DECLARE_FINAL_TYPE (DslUser, dsl_user, DSL, USER, GObject)

/* Properties (readable; construct-only): "id", "display-name", "email", "avatar" (small avatar
 * URL path) strings; "is-admin", "is-owner", "is-room-admin", "is-visitor", "is-collaborator"
 * bools. */
const char   *dsl_user_get_id              (DslUser *self);
const char   *dsl_user_get_display_name    (DslUser *self);
const char   *dsl_user_get_email           (DslUser *self);
const char   *dsl_user_get_avatar          (DslUser *self);
gboolean      dsl_user_get_is_admin        (DslUser *self);
gboolean      dsl_user_get_is_owner        (DslUser *self);
gboolean      dsl_user_get_is_room_admin   (DslUser *self);
gboolean      dsl_user_get_is_visitor      (DslUser *self);
gboolean      dsl_user_get_is_collaborator (DslUser *self);
/* isAdmin || isOwner: may read the audit trail. */
gboolean      dsl_user_can_read_audit      (DslUser *self);

#define DSL_TYPE_KEY_INFO (dsl_key_info_get_type ())
G_DECLARE_FINAL_TYPE (DslKeyInfo, dsl_key_info, DSL, KEY_INFO, GObject)

/* GET keys/@self. Properties (readable; construct-only): "id", "name", "key-postfix" strings;
 * "permissions" GStrv; "expires-at", "last-used", "created" GDateTime (may be NULL);
 * "is-active" bool. */
const char         *dsl_key_info_get_id          (DslKeyInfo *self);
const char         *dsl_key_info_get_name        (DslKeyInfo *self);
const char         *dsl_key_info_get_key_postfix (DslKeyInfo *self);
const char * const *dsl_key_info_get_permissions (DslKeyInfo *self);
GDateTime          *dsl_key_info_get_expires_at  (DslKeyInfo *self);
GDateTime          *dsl_key_info_get_last_used   (DslKeyInfo *self);
GDateTime          *dsl_key_info_get_created     (DslKeyInfo *self);
gboolean            dsl_key_info_get_is_active   (DslKeyInfo *self);
/* TRUE when the key has no permissions or a global one satisfying `scope`
 * ("files:read" is satisfied by files:read, files:write, *:read, *:write, "*" or an empty list). */
gboolean            dsl_key_info_has_scope       (DslKeyInfo *self,
                                                  const char *scope);

/* The answer of POST authentication (and of POST authentication/{code}). */
typedef struct {
  char      *token;        /* session token; NULL when a two-factor step is needed. A secret. */
  GDateTime *expires;      /* may be NULL */
  gboolean   tfa;          /* authenticator-app two-factor */
  gboolean   sms;          /* SMS two-factor */
  char      *tfa_key;      /* set when app 2FA must first be set up in a browser */
  char      *confirm_url;  /* where to finish that in a browser */
  char      *phone_noise;  /* masked phone number for SMS */
} DslAuthResult;

void          dsl_auth_result_free        (DslAuthResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DslAuthResult, dsl_auth_result_free)
/* TRUE when the caller must ask for a code and call login again with it. */
gboolean      dsl_auth_result_needs_code  (const DslAuthResult *result);

G_END_DECLS

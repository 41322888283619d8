/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link.h: one external or invitation link (FileShareDto + sharedLink, docspace-api.md §4.4) */
#pragma once

#include <glib-object.h>
#include "dsl-enums.h"

G_BEGIN_DECLS

#define DSL_TYPE_LINK (dsl_link_get_type ())
G_DECLARE_FINAL_TYPE (DslLink, dsl_link, DSL, LINK, GObject)

/* A blank link state: no id (so sending it creates a link), access Read, external, no expiry. */
DslLink      *dsl_link_new                         (void);
/* A deep copy (for editing a link's state before an update). */
DslLink      *dsl_link_copy                        (DslLink *self);
/* TRUE when the two carry the same link state (id, title, access, expiry to the second,
 * password, denyDownload, internal, link type, maxUseCount). Used to spot skipped changes. */
gboolean      dsl_link_state_equal                 (DslLink *a,
                                                    DslLink *b);
/* A room's invitation link (subject type InvitationLink, or link type 0 without an external
 * subject type)? */
gboolean      dsl_link_is_invitation               (DslLink *self);
/* Expired at `now`: the server says so (isExpired), or the expiry is not after `now`. */
gboolean      dsl_link_is_expired_at               (DslLink   *self,
                                                    GDateTime *now);

/* Properties (readable and writable, G_PARAM_EXPLICIT_NOTIFY):
 *  "id" string (GUID; NULL for a link not created yet), "title" string, "share-link" string,
 *  "access" DslAccess, "subject-type" DslSubjectType, "link-type" DslLinkType,
 *  "expiration-date" GDateTime (NULL = never expires), "is-expired" bool (server-computed),
 *  "password" string (NULL = none; a secret: never log it), "deny-download" bool,
 *  "internal" bool, "primary" bool, "request-token" string, "max-use-count" int (-1),
 *  "current-use-count" int (-1), "can-edit-internal" bool, "can-edit-deny-download" bool,
 *  "can-edit-expiration-date" bool, "can-revoke" bool */
const char   *dsl_link_get_id                      (DslLink *self);
const char   *dsl_link_get_title                   (DslLink *self);
const char   *dsl_link_get_share_link              (DslLink *self);
DslAccess     dsl_link_get_access                  (DslLink *self);
DslSubjectType dsl_link_get_subject_type           (DslLink *self);
DslLinkType   dsl_link_get_link_type               (DslLink *self);
GDateTime    *dsl_link_get_expiration_date         (DslLink *self);
gboolean      dsl_link_get_is_expired              (DslLink *self);
const char   *dsl_link_get_password                (DslLink *self);
gboolean      dsl_link_get_deny_download           (DslLink *self);
gboolean      dsl_link_get_internal                (DslLink *self);
gboolean      dsl_link_get_primary                 (DslLink *self);
const char   *dsl_link_get_request_token           (DslLink *self);
int           dsl_link_get_max_use_count           (DslLink *self);
int           dsl_link_get_current_use_count       (DslLink *self);
gboolean      dsl_link_get_can_edit_internal       (DslLink *self);
gboolean      dsl_link_get_can_edit_deny_download  (DslLink *self);
gboolean      dsl_link_get_can_edit_expiration_date (DslLink *self);
gboolean      dsl_link_get_can_revoke              (DslLink *self);

void          dsl_link_set_id                      (DslLink *self, const char *id);
void          dsl_link_set_title                   (DslLink *self, const char *title);
void          dsl_link_set_share_link              (DslLink *self, const char *share_link);
void          dsl_link_set_access                  (DslLink *self, DslAccess access);
void          dsl_link_set_subject_type            (DslLink *self, DslSubjectType type);
void          dsl_link_set_link_type               (DslLink *self, DslLinkType type);
void          dsl_link_set_expiration_date         (DslLink *self, GDateTime *date);
void          dsl_link_set_is_expired              (DslLink *self, gboolean expired);
void          dsl_link_set_password                (DslLink *self, const char *password);
void          dsl_link_set_deny_download           (DslLink *self, gboolean deny);
void          dsl_link_set_internal                (DslLink *self, gboolean internal);
void          dsl_link_set_primary                 (DslLink *self, gboolean primary);
void          dsl_link_set_request_token           (DslLink *self, const char *token);
void          dsl_link_set_max_use_count           (DslLink *self, int count);
void          dsl_link_set_current_use_count       (DslLink *self, int count);
void          dsl_link_set_can_edit_internal       (DslLink *self, gboolean can);
void          dsl_link_set_can_edit_deny_download  (DslLink *self, gboolean can);
void          dsl_link_set_can_edit_expiration_date (DslLink *self, gboolean can);
void          dsl_link_set_can_revoke              (DslLink *self, gboolean can);

G_END_DECLS

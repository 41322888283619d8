/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-audit-event.h: one audit-trail entry (AuditEventDto, docspace-api.md §7) */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DSL_TYPE_AUDIT_EVENT (dsl_audit_event_get_type ())
G_DECLARE_FINAL_TYPE (DslAuditEvent, dsl_audit_event, DSL, AUDIT_EVENT, GObject)

/* The userId the server gives anonymous link visitors. */
#define DSL_ANONYMOUS_USER_ID "712d9ec3-5d2b-4b13-824f-71f00191dcca"

/* Properties (readable; construct-only): "id" int64, "date" GDateTime, "user" string,
 * "user-id" string, "action" string (human text), "action-id" int (MessageAction),
 * "action-type" int, "ip" string, "country" string, "city" string, "browser" string,
 * "platform" string, "page" string, "product" int, "location" int, "context" string,
 * "target" GStrv, "entries" GArray-free: use the getter below. */
gint64              dsl_audit_event_get_id          (DslAuditEvent *self);
GDateTime          *dsl_audit_event_get_date        (DslAuditEvent *self);
const char         *dsl_audit_event_get_user        (DslAuditEvent *self);
const char         *dsl_audit_event_get_user_id     (DslAuditEvent *self);
const char         *dsl_audit_event_get_action      (DslAuditEvent *self);
int                 dsl_audit_event_get_action_id   (DslAuditEvent *self);
int                 dsl_audit_event_get_action_type (DslAuditEvent *self);
const char         *dsl_audit_event_get_ip          (DslAuditEvent *self);
const char         *dsl_audit_event_get_country     (DslAuditEvent *self);
const char         *dsl_audit_event_get_city        (DslAuditEvent *self);
const char         *dsl_audit_event_get_browser     (DslAuditEvent *self);
const char         *dsl_audit_event_get_platform    (DslAuditEvent *self);
const char         *dsl_audit_event_get_page        (DslAuditEvent *self);
int                 dsl_audit_event_get_product     (DslAuditEvent *self);
int                 dsl_audit_event_get_location    (DslAuditEvent *self);
const char         *dsl_audit_event_get_context     (DslAuditEvent *self);
const char * const *dsl_audit_event_get_target      (DslAuditEvent *self);
/* EntryType ints; *n_entries receives the length. */
const int          *dsl_audit_event_get_entries     (DslAuditEvent *self,
                                                     gsize         *n_entries);
/* TRUE when target contains this id exactly. */
gboolean            dsl_audit_event_has_target      (DslAuditEvent *self,
                                                     const char    *target);
/* TRUE for anonymous link visitors (by userId). */
gboolean            dsl_audit_event_is_anonymous    (DslAuditEvent *self);

G_END_DECLS

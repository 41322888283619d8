/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-activity-list.h: the "Activity" section of the sidebar: the selected item's recent link
 * and download events from the portal's audit trail (docspace-api.md §7), newest first, paged.
 * Only portal administrators may read the trail: for anyone else, or a plan without audit, the
 * section says why in one dim line. */
#pragma once

#include <adwaita.h>

#include "dsl-client.h"
#include "dsl-item.h"
#include "dsl-link-monitor.h"

G_BEGIN_DECLS

#define DSL_TYPE_ACTIVITY_LIST (dsl_activity_list_get_type ())
G_DECLARE_FINAL_TYPE (DslActivityList, dsl_activity_list, DSL, ACTIVITY_LIST, GtkWidget)

/* How many events are asked for per page. */
#define DSL_ACTIVITY_PAGE_SIZE 25

/* Properties: "client" (DslClient or NULL; a new client is probed once for audit access),
 * "item" (DslItem or NULL; setting it cancels what is in flight and reads the item's first
 * page), "loading" (bool, read-only). Without a client or an item the section is hidden.
 *
 * Template ids the tests use: "stack" (pages "loading", "denied", "error", "none", "list"),
 * "denied_label", "error_label", "list" (GtkListBox of AdwActionRow: title = what, subtitle =
 * who and where, suffix label = when, each row holding its DslAuditEvent as object data
 * "dsl-audit-event"), "more_button". Actions: "activity.more", "activity.retry". */
GtkWidget *dsl_activity_list_new         (void);
void       dsl_activity_list_set_client  (DslActivityList *self,
                                          DslClient       *client);
DslClient *dsl_activity_list_get_client  (DslActivityList *self);
void       dsl_activity_list_set_item    (DslActivityList *self,
                                          DslItem         *item);
DslItem   *dsl_activity_list_get_item    (DslActivityList *self);
gboolean   dsl_activity_list_get_loading (DslActivityList *self);
/* Events received but not shown yet: rows are built a few per frame. */
guint      dsl_activity_list_get_n_pending (DslActivityList *self);
/* The application's link monitor (NULL: none). With it, the section also lists what the app's
 * guard did to the item's temporary links ("Temporary link revoked: 2 downloads reached", by
 * DocSpace Links, when) — for any account, the audit trail readable or not — in the template's
 * "guard_list" (rows hold their DslGuardedLink as "dsl-guarded-link"), and reads the portal's
 * events again after a check revoked one of the item's links. */
void       dsl_activity_list_set_monitor (DslActivityList *self,
                                          DslLinkMonitor  *monitor);
/* "Temporary link revoked: 2 downloads reached" / "…: expired", or NULL when the guard did not
 * revoke `link`. */
char      *dsl_activity_describe_guard   (DslGuardedLink  *link);

/* Reads the current item's events again from the first page. */
void       dsl_activity_list_reload      (DslActivityList *self);

/* The short phrase for a link or download MessageAction ("Downloaded", "Link created",
 * "Link revoked", "Opened", …), or NULL for an action this section does not show. */
const char *dsl_activity_describe_action (int action_id);

G_END_DECLS

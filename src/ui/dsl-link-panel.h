/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-panel.h: the links of the selected file, folder or room, in the sidebar below the
 * item's details: external links (primary first) and, for rooms, the invitation link; "Create
 * and Copy" for an item without links, "Add Link", edit, copy, revoke — each request
 * asynchronous and cancellable, stale answers for an item no longer selected discarded. */
#pragma once

#include <adwaita.h>

#include "dsl-client.h"
#include "dsl-item.h"
#include "dsl-link-monitor.h"
#include "dsl-session.h"

G_BEGIN_DECLS

#define DSL_TYPE_LINK_PANEL (dsl_link_panel_get_type ())
G_DECLARE_FINAL_TYPE (DslLinkPanel, dsl_link_panel, DSL, LINK_PANEL, GtkWidget)

/* The client and the item (setting either cancels what is in flight for the previous item and
 * reads the new item's links: one request, two for rooms) are those of the panel's DslLinkList
 * (src/core), which holds the links and every operation; the panel shows it. Property
 * "loading" (bool, read-only). Toasts go to the nearest AdwToastOverlay ancestor. */
GtkWidget *dsl_link_panel_new          (void);
void       dsl_link_panel_set_client   (DslLinkPanel *self,
                                        DslClient    *client);
void       dsl_link_panel_set_item     (DslLinkPanel *self,
                                        DslItem      *item);
DslItem   *dsl_link_panel_get_item     (DslLinkPanel *self);
/* The application's link monitor (NULL: none): with it, "Share Temporarily…" creates links
 * the monitor's guard watches (for the account whose client the panel has), their rows show
 * "1 of 2 downloads", and the list is read again when a check revoked one of the item's. */
void       dsl_link_panel_set_monitor  (DslLinkPanel   *self,
                                        DslLinkMonitor *monitor);
DslLinkMonitor *dsl_link_panel_get_monitor (DslLinkPanel *self);
/* The session (NULL: none) the panel's link editors take their settings and monitor from;
 * sets the session's monitor as the panel's (dsl_link_panel_set_monitor). */
void       dsl_link_panel_set_session  (DslLinkPanel   *self,
                                        DslSession     *session);
/* The notice above the links when the session's sharing policy restricts public links for the
 * item's section (issue 17), or NULL. */
const char *dsl_link_panel_get_policy_notice (DslLinkPanel *self);
DslClient *dsl_link_panel_get_client   (DslLinkPanel *self);
gboolean   dsl_link_panel_get_loading  (DslLinkPanel *self);
/* Re-reads the links of the current item. */
void       dsl_link_panel_reload       (DslLinkPanel *self);
/* Ctrl+C on the tree: copies the primary link of the current item when it is known and shows
 * "Link copied"; otherwise a toast saying the item has no link yet. Returns TRUE if it copied. */
gboolean   dsl_link_panel_copy_primary (DslLinkPanel *self);

/* Signals: "links-changed": after a create, edit, extend or revoke succeeded (the tree may
 * refresh the item's badges). The list then re-reads the item (GET files/file|folder|rooms/{id})
 * and updates the DslItem it was given with dsl_item_update_from, so rows bound to it show the
 * new badges; it holds what the server stored.
 *
 * Actions (installed on the panel; the rows' buttons use them, tests may activate them):
 * "links.copy", "links.copy-password" (cleared from the clipboard after a minute if it still
 * holds it), "links.copy-message", "links.copy-rich" (text/html + text/plain), "links.open",
 * "links.revoke" (confirmed with an
 * AdwMessageDialog in the words of dsl_link_ops_removal: responses "cancel" and "revoke"),
 * "links.edit", "links.extend" (dsl_link_change_extend; when someone else changed the expiry
 * since, an AdwMessageDialog shows both values: responses "cancel" and "extend", "Extend
 * Anyway") — each with a link id ("s"); "links.add", "links.share-temporarily" (the temporary link editor),
 * "links.create-primary" ("Create and Copy"),
 * "links.create-invitation", "links.retry" — without a parameter. */

G_END_DECLS

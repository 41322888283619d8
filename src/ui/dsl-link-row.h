/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-row.h: one link in the sidebar: title (primary marked), URL (selectable), access,
 * audience, expiry in words (exact date in the tooltip), password / download markers; "Copy
 * link" and "Revoke link" buttons and a menu (Edit, Copy Password, Share…, Open in Browser); expired
 * links dimmed with "Remove" and "Extend". A spinner while the row's link is being changed. */
#pragma once

#include <adwaita.h>

#include "dsl-item.h"
#include "dsl-link.h"
#include "dsl-link-guard.h"
#include "dsl-link-list.h"
#include "dsl-link-ops.h"
#include "dsl-share-sheet.h"

G_BEGIN_DECLS

#define DSL_TYPE_LINK_ROW (dsl_link_row_get_type ())
G_DECLARE_FINAL_TYPE (DslLinkRow, dsl_link_row, DSL, LINK_ROW, GtkListBoxRow)

/* Properties: "link" (DslLink), "item" (DslItem, for the rights), "busy" (bool: spinner, buttons
 * insensitive), "error" (string or NULL: the server's message shown under the row). */
GtkWidget *dsl_link_row_new       (DslItem    *item,
                                   DslLink    *link);
DslLink   *dsl_link_row_get_link  (DslLinkRow *self);
void       dsl_link_row_set_busy  (DslLinkRow *self,
                                   gboolean    busy);
void       dsl_link_row_set_error (DslLinkRow *self,
                                   const char *message);
gboolean   dsl_link_row_get_busy  (DslLinkRow *self);
const char *dsl_link_row_get_error (DslLinkRow *self);
void       dsl_link_row_set_link  (DslLinkRow *self,
                                   DslLink    *link);
DslItem   *dsl_link_row_get_item  (DslLinkRow *self);
void       dsl_link_row_set_item  (DslLinkRow *self,
                                   DslItem    *item);
/* The row's spinner and error follow `list`'s state of the row's link (busy, error; signal
 * "link-state-changed"), the operations being the list's. */
void       dsl_link_row_follow    (DslLinkRow  *self,
                                   DslLinkList *list);
/* The portal's base URL ("https://portal.example.com"): "Open in Browser" is offered only for
 * a share link on its origin (dsl_share_url_may_open); NULL (the default): never. */
void       dsl_link_row_set_portal_url (DslLinkRow *self,
                                        const char *portal_url);
/* Shows the row again from its link and item (done by itself when the item notifies) (the item's rights changed, or time passed and
 * "Expires in 3 days" became "Expires in 2 days"). */
void       dsl_link_row_refresh   (DslLinkRow *self);

/* A temporary link: the row shows "Temporary link: 1 of 2 downloads" (or "revoked when it
 * expires" without a limit) and follows the record's "downloads" and "state". NULL: none. */
void       dsl_link_row_set_guarded (DslLinkRow     *self,
                                     DslGuardedLink *guarded);
DslGuardedLink *dsl_link_row_get_guarded (DslLinkRow *self);
/* That text (transfer full). */
char      *dsl_link_row_describe_guard (DslGuardedLink *guarded);

/* What dragging the row gives (its GtkDragSource's "prepare"): the link as "text/uri-list"
 * ("URL\r\n") and as a string (text/plain); NULL when the link has no address. */
GdkContentProvider *dsl_link_row_create_drag_content (DslLinkRow *self);

/* "Share…" in the row's menu (the row's own action "link-row.share", offered when the link has
 * an address): presents a DslShareSheet for the row's link and item, transient for the row's
 * window, and returns it (borrowed: the window owns itself); NULL without a link or item. */
DslShareSheet *dsl_link_row_open_share_sheet (DslLinkRow *self);

/* TRUE when a removal applies to `link` of `item` (dsl_link_ops_removal is not NOT_ALLOWED).
 * The row shows "Revoke link" / "Remove" only then, named in that removal's words. */
gboolean   dsl_link_row_can_revoke (DslItem   *item,
                                    DslLink   *link);

/* The confirmation of a removal (the link panel's "links.revoke"), in the words of
 * dsl_link_ops_removal_words: an AdwMessageDialog, transient for `parent`, with the responses
 * "cancel" (default and close) and "revoke" (destructive). Not yet presented; NULL for
 * DSL_LINK_REMOVAL_NOT_ALLOWED. */
AdwMessageDialog *dsl_link_row_new_removal_dialog (GtkWindow      *parent,
                                                   DslLinkRemoval  removal);
/* The same for a caller that has no item (Find Link): the removal named by `invitation` and
 * the link's own flags (canRevoke, expired). Prefer the one above with
 * dsl_link_ops_removal (item, link, NULL). */
AdwMessageDialog *dsl_link_row_new_revoke_dialog (GtkWindow *parent,
                                                  DslLink   *link,
                                                  gboolean   invitation);

/* The row's buttons activate actions on the row's ancestors (the panel installs them), with the
 * link's id as the string parameter: "links.copy", "links.revoke", "links.edit",
 * "links.copy-password", "links.copy-message", "links.copy-rich", "links.open",
 * "links.extend" (expired links). "Remove" on an expired
 * link is "links.revoke" too (the panel words its confirmation for an expired link). Invitation
 * links (linkType 0) show their room role and uses, no Edit, and "Delete invitation link" as
 * the revoke button's name. The row's accessible name is the link's title. */

G_END_DECLS

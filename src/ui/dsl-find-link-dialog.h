/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-find-link-dialog.h: "Find Link…" (issue 5): paste a share URL of the signed-in portal
 * and see which item and which of its links it is — item and location, link name, address,
 * access, audience, expiry, password yes/no — with Copy and Revoke at hand. Short links, the
 * long forms a browser shows after opening one, and a URL shortener's links are taken (issue 12
 * rule 8): a key is resolved with GET files/share/{key} and the item's links; only when that
 * call fails does the account's DslLinkScan (dsl_link_monitor_get_scan) look (a scan that has
 * never run is started and waited for: progress, Cancel). */
#pragma once

#include <adwaita.h>

#include "dsl-link-scan.h"
#include "dsl-session.h"

G_BEGIN_DECLS

#define DSL_TYPE_FIND_LINK_DIALOG (dsl_find_link_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DslFindLinkDialog, dsl_find_link_dialog, DSL, FIND_LINK_DIALOG, AdwWindow)

/* A dialog transient for `parent`, working on the session's active account (and following it:
 * a URL given before the account has its client is looked up once it has). When the entry is
 * empty on opening and the clipboard holds a share URL of the account's portal, it is filled
 * in (not looked up). */
DslFindLinkDialog *dsl_find_link_dialog_new         (GtkWindow         *parent,
                                                     DslSession        *session);

/* Puts `url` (NULL: keep the entry's text) into the entry and looks it up. */
void               dsl_find_link_dialog_find        (DslFindLinkDialog *self,
                                                     const char        *url);

/* What the dialog shows: "hint", "waiting" (no client yet), "resolving" (asking the portal what
 * a key or a short link opens), "scanning", "not-found", "result". */
const char        *dsl_find_link_dialog_get_state   (DslFindLinkDialog *self);
/* The inline message under the entry (a malformed URL, another portal, a failed revoke or one
 * refused because someone else changed the link), or
 * NULL when none is shown. */
const char        *dsl_find_link_dialog_get_message (DslFindLinkDialog *self);
/* The scan row found (item, location, link), or NULL. transfer none. */
DslLinkScanRow    *dsl_find_link_dialog_get_result  (DslFindLinkDialog *self);

/* Actions (installed on the dialog): "find-link.find", "find-link.cancel" (stops the scan it
 * waits for), "find-link.rescan" (scans again, then looks again); "links.copy" and
 * "links.revoke" with the found link's id ("s"), as DslLinkRow's buttons use them in the
 * sidebar. Revoking is confirmed in the words of the removal that applies
 * (dsl_link_ops_removal_words: "Revoke Link?", "Remove Expired Link?"…; responses "cancel" and
 * "revoke") and made by dsl_link_ops_remove_async against the portal's current state (canRevoke
 * links are regenerated). A link removed by someone else meanwhile is said to be; an expired
 * link someone extended meanwhile is not removed (the message says so, the result shows it
 * as it is now).
 * "find-link.show-in-tree" (the item's ids from the tree's root: its parent folder's pathParts).
 * Signals: "link-revoked" (DslItem *item): the portal took the revoke, or the link was
 * found gone (the sidebar may reload);
 * "show-item" (const char *path): "Show in Tree", e.g. "@rooms/101/201/301" (the window selects
 * it with dsl_item_tree_restore_selection). */

G_END_DECLS

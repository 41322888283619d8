/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-row.h: one link in the sidebar: title (primary marked), URL (selectable), access,
 * audience, expiry in words (exact date in the tooltip), password / download markers; "Copy
 * link" and "Revoke link" buttons and a menu (Edit, Copy Password, Open in Browser); expired
 * links dimmed with "Remove" and "Extend". A spinner while the row's link is being changed. */
#pragma once

#include <adwaita.h>

#include "dsl-item.h"
#include "dsl-link.h"

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

/* The row's buttons activate actions on the row's ancestors (the panel installs them), with the
 * link's id as the string parameter: "links.copy", "links.revoke", "links.edit",
 * "links.copy-password", "links.open", "links.extend" (expired links). */

G_END_DECLS

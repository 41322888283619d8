/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-item-row.h: one recycled row of DslItemTree: an item (icon, plain-text title, badges) or
 * a status row ("Loading…", an error with Retry, "Empty"). Bound and unbound by the factory. */
#pragma once

#include <gtk/gtk.h>

#include "dsl-item.h"
#include "dsl-tree-node.h"

G_BEGIN_DECLS

#define DSL_TYPE_ITEM_ROW (dsl_item_row_get_type ())
G_DECLARE_FINAL_TYPE (DslItemRow, dsl_item_row, DSL, ITEM_ROW, GtkWidget)

GtkWidget     *dsl_item_row_new                   (void);
/* Shows `item` (NULL clears). Follows its title, shared-external ("has external links" badge)
 * and has-expired-links ("has expired links" badge) until cleared. */
void           dsl_item_row_set_item              (DslItemRow    *self,
                                                   DslItem       *item);
DslItem       *dsl_item_row_get_item              (DslItemRow    *self);
/* Shows a status row (NULL clears). */
void           dsl_item_row_set_status            (DslItemRow    *self,
                                                   DslTreeStatus *status);
DslTreeStatus *dsl_item_row_get_status            (DslItemRow    *self);

/* The symbolic icon name for an item: rooms by room type, files by file type. */
const char    *dsl_item_row_icon_name_for_item    (DslItem       *item);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-item-details.h: the sidebar showing what is known about the selected item (type,
 * location, owner, dates, size, external links) and, below, its links (DslLinkPanel);
 * "Nothing Selected" without one. */
#pragma once

#include <gtk/gtk.h>

#include "dsl-activity-list.h"
#include "dsl-item.h"
#include "dsl-link-panel.h"

G_BEGIN_DECLS

#define DSL_TYPE_ITEM_DETAILS (dsl_item_details_get_type ())
G_DECLARE_FINAL_TYPE (DslItemDetails, dsl_item_details, DSL, ITEM_DETAILS, GtkWidget)

/* Properties: "item" (DslItem or NULL), "location" (string or NULL). */
GtkWidget  *dsl_item_details_new          (void);
DslItem    *dsl_item_details_get_item     (DslItemDetails *self);
void        dsl_item_details_set_item     (DslItemDetails *self,
                                           DslItem        *item);
const char *dsl_item_details_get_location (DslItemDetails *self);
void        dsl_item_details_set_location (DslItemDetails *self,
                                           const char     *location);

/* The item's links below its fields (the window gives it the client). */
DslLinkPanel *dsl_item_details_get_link_panel (DslItemDetails *self);
/* Below the links: the item's link and download events (administrators; the window gives it
 * the client). */
DslActivityList *dsl_item_details_get_activity_list (DslItemDetails *self);

/* "Custom room", "Folder", "Document (.docx)"… (translated). */
char       *dsl_item_details_describe_type (DslItem *item);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-item-tree.h: the portal as a lazy tree ("Rooms", "My documents", folders, files), with
 * search, refresh and its own loading / error / empty states. */
#pragma once

#include <gtk/gtk.h>

#include "dsl-client.h"
#include "dsl-item.h"

G_BEGIN_DECLS

#define DSL_TYPE_ITEM_TREE (dsl_item_tree_get_type ())
G_DECLARE_FINAL_TYPE (DslItemTree, dsl_item_tree, DSL, ITEM_TREE, GtkWidget)

/* Properties: "client" (DslClient; NULL clears the tree, a client builds the roots and starts
 * loading them), "selected-item" (DslItem or NULL, read-only), "selected-location" (string,
 * read-only: the titles above the selected item, e.g. "Rooms › Marketing › Campaigns").
 * Signal "item-activated" (DslItem): a click on a row's title, Enter or a double click; the
 * item is the selected one by then. */
GtkWidget *dsl_item_tree_new                 (void);
DslClient *dsl_item_tree_get_client          (DslItemTree *self);
void       dsl_item_tree_set_client          (DslItemTree *self,
                                              DslClient   *client);
/* Without a client: TRUE shows the loading page instead of the signed-out one (the window is
 * reading the account's key); a client (or NULL again) ends it. */
void       dsl_item_tree_set_connecting      (DslItemTree *self,
                                              gboolean     connecting);
DslItem   *dsl_item_tree_get_selected_item   (DslItemTree *self);
const char *dsl_item_tree_get_selected_location (DslItemTree *self);

/* Re-reads every folder that is loaded and expanded (folders loaded but collapsed are re-read
 * when next expanded), keeping expansion and selection. */
void       dsl_item_tree_refresh             (DslItemTree *self);
/* Reveals the search bar and focuses its entry. */
void       dsl_item_tree_focus_search        (DslItemTree *self);
/* Gives the keyboard focus to the selected row (to the list when none is selected or shown);
 * returns whether the focus is in the list now. */
gboolean   dsl_item_tree_focus_selected      (DslItemTree *self);
/* Ids from the root joined by "/", e.g. "@rooms/101/201/301"; NULL when nothing is selected. */
char      *dsl_item_tree_dup_selected_path   (DslItemTree *self);
/* Expands along `path` as the folders load (page by page if needed) and selects the item;
 * gives up quietly when an id is gone. A new call or a selection by the person cancels it. */
void       dsl_item_tree_restore_selection   (DslItemTree *self,
                                              const char  *path);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-tree-node.h: what DslItemTree keeps per room or folder: its DslFolderModel and the status
 * row ("Loading…", an error with Retry, "Empty") shown after its children. */
#pragma once

#include <gio/gio.h>

#include "dsl-folder-model.h"

G_BEGIN_DECLS

typedef enum {
  DSL_TREE_STATUS_LOADING,   /* a page is in flight: a spinning "Loading…" */
  DSL_TREE_STATUS_MORE,      /* more pages, none asked for yet: "Loading…" without animation
                                (asked for once the row comes near the viewport) */
  DSL_TREE_STATUS_ERROR,
  DSL_TREE_STATUS_EMPTY,
} DslTreeStatusKind;

#define DSL_TYPE_TREE_NODE (dsl_tree_node_get_type ())
G_DECLARE_FINAL_TYPE (DslTreeNode, dsl_tree_node, DSL, TREE_NODE, GObject)

/* One status row; an item of the children model next to the DslItems. Immutable: a change of
 * kind or message replaces the object, so the recycled row showing it is bound again. */
#define DSL_TYPE_TREE_STATUS (dsl_tree_status_get_type ())
G_DECLARE_FINAL_TYPE (DslTreeStatus, dsl_tree_status, DSL, TREE_STATUS, GObject)

DslTreeStatusKind dsl_tree_status_get_kind    (DslTreeStatus *self);
const char       *dsl_tree_status_get_message (DslTreeStatus *self);
/* The node it belongs to (borrowed); NULL once the status was replaced or the node is gone. */
DslTreeNode      *dsl_tree_status_get_node    (DslTreeStatus *self);

/* Nothing is requested until dsl_tree_node_activate () or dsl_tree_node_load_more (). */
DslTreeNode    *dsl_tree_node_new             (DslClient   *client,
                                               const char  *folder_id);
DslFolderModel *dsl_tree_node_get_model       (DslTreeNode *self);
/* A new GListModel of the children: [DslItem..., DslTreeStatus?]. The node counts the views
 * alive: GtkTreeListModel holds one while the row is expanded. */
GListModel     *dsl_tree_node_create_children (DslTreeNode *self);
gboolean        dsl_tree_node_is_expanded     (DslTreeNode *self);
/* TRUE once a page was asked for (or the model was filtered). */
gboolean        dsl_tree_node_is_started      (DslTreeNode *self);
/* The row was expanded: loads page 0 the first time, or refreshes if marked stale. */
void            dsl_tree_node_activate        (DslTreeNode *self);
void            dsl_tree_node_load_more       (DslTreeNode *self);
void            dsl_tree_node_retry           (DslTreeNode *self);
/* Refreshes now if expanded and started, else remembers to refresh on the next activate. */
void            dsl_tree_node_refresh         (DslTreeNode *self);

G_END_DECLS

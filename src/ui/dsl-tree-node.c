/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-tree-node.c: one room or folder of DslItemTree.
 *
 *   DslFolderModel (DslItem, paged) ──┐
 *                                     ├─ parts (GListStore) ─▶ GtkFlattenListModel (one per view)
 *   status (GListStore, 0 or 1 DslTreeStatus) ─┘                 └─▶ GtkTreeListModel child model
 *
 * The status follows the folder model: LOADING while pages remain (binding that row asks for the
 * next page), ERROR with the failed page's message, EMPTY for a complete empty folder, nothing
 * once complete. The node outlives collapsing (DslItemTree keeps it), so re-expanding a folder
 * shows what was loaded without asking again. */
#define G_LOG_DOMAIN "dsl-tree-node"

#include "config.h"

#include <gtk/gtk.h>

#include "dsl-tree-node.h"

/* --- DslTreeStatus --- */

struct _DslTreeStatus
{
  GObject            parent_instance;

  DslTreeStatusKind  kind;
  char              *message;   /* owned; errors only */
  DslTreeNode       *node;      /* borrowed; cleared by the node when replaced or disposed */
};

G_DEFINE_FINAL_TYPE (DslTreeStatus, dsl_tree_status, G_TYPE_OBJECT)

static void
dsl_tree_status_finalize (GObject *object)
{
  DslTreeStatus *self = (DslTreeStatus *) object;

  g_free (self->message);
  G_OBJECT_CLASS (dsl_tree_status_parent_class)->finalize (object);
}

static void
dsl_tree_status_class_init (DslTreeStatusClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dsl_tree_status_finalize;
}

static void
dsl_tree_status_init (DslTreeStatus *self)
{
}

DslTreeStatusKind
dsl_tree_status_get_kind (DslTreeStatus *self)
{
  g_return_val_if_fail (DSL_IS_TREE_STATUS (self), DSL_TREE_STATUS_LOADING);
  return self->kind;
}

const char *
dsl_tree_status_get_message (DslTreeStatus *self)
{
  g_return_val_if_fail (DSL_IS_TREE_STATUS (self), NULL);
  return self->message;
}

DslTreeNode *
dsl_tree_status_get_node (DslTreeStatus *self)
{
  g_return_val_if_fail (DSL_IS_TREE_STATUS (self), NULL);
  return self->node;
}

/* --- DslTreeNode --- */

struct _DslTreeNode
{
  GObject         parent_instance;

  /* owned */
  DslFolderModel *model;
  GListStore     *status_store;   /* element-type DslTreeStatus, 0 or 1 */
  GListStore     *parts;          /* element-type GListModel: model, status_store */

  /* plain values */
  guint           n_views;        /* children models alive (see create_children) */
  gboolean        stale;          /* refresh on the next activate */
};

G_DEFINE_FINAL_TYPE (DslTreeNode, dsl_tree_node, G_TYPE_OBJECT)

static DslTreeStatus *
current_status (DslTreeNode *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->status_store)) == 0)
    return NULL;
  /* The store keeps its reference: borrowed. */
  return g_list_model_get_item (G_LIST_MODEL (self->status_store), 0);
}

static void
update_status (DslTreeNode *self)
{
  DslFolderModel *model = self->model;
  const GError *error = dsl_folder_model_get_error (model);
  g_autoptr(DslTreeStatus) current = current_status (self);
  gboolean show;
  DslTreeStatusKind kind = DSL_TREE_STATUS_LOADING;
  const char *message = NULL;

  if (error != NULL)
    {
      show = TRUE;
      kind = DSL_TREE_STATUS_ERROR;
      message = error->message;
    }
  else if (dsl_folder_model_get_complete (model))
    {
      show = g_list_model_get_n_items (G_LIST_MODEL (model)) == 0;
      kind = DSL_TREE_STATUS_EMPTY;
    }
  else
    {
      /* Loading, or more pages to come (not asked for yet). */
      show = TRUE;
    }

  if (current != NULL && show && current->kind == kind &&
      g_strcmp0 (current->message, message) == 0)
    return;
  if (current == NULL && !show)
    return;

  if (current != NULL)
    current->node = NULL;

  if (show)
    {
      DslTreeStatus *status = g_object_new (DSL_TYPE_TREE_STATUS, NULL);

      status->kind = kind;
      status->message = g_strdup (message);
      status->node = self;
      g_list_store_splice (self->status_store, 0, current != NULL ? 1 : 0,
                           (gpointer *) &status, 1);
      g_object_unref (status);
    }
  else
    {
      g_list_store_remove (self->status_store, 0);
    }
}

static void
on_model_items_changed (DslTreeNode *self,
                        guint        position,
                        guint        removed,
                        guint        added)
{
  update_status (self);
}

static void
on_model_notify (DslTreeNode *self)
{
  update_status (self);
}

static void
dsl_tree_node_dispose (GObject *object)
{
  DslTreeNode *self = (DslTreeNode *) object;

  if (self->status_store != NULL)
    {
      g_autoptr(DslTreeStatus) current = current_status (self);

      if (current != NULL)
        current->node = NULL;
    }
  if (self->model != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->model, self);
      dsl_folder_model_cancel (self->model);
    }
  g_clear_object (&self->parts);
  g_clear_object (&self->status_store);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (dsl_tree_node_parent_class)->dispose (object);
}

static void
dsl_tree_node_class_init (DslTreeNodeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dsl_tree_node_dispose;
}

static void
dsl_tree_node_init (DslTreeNode *self)
{
}

DslTreeNode *
dsl_tree_node_new (DslClient  *client,
                   const char *folder_id)
{
  DslTreeNode *self;

  g_return_val_if_fail (DSL_IS_CLIENT (client), NULL);
  g_return_val_if_fail (folder_id != NULL, NULL);

  self = g_object_new (DSL_TYPE_TREE_NODE, NULL);
  self->model = dsl_folder_model_new (client, folder_id, NULL);
  self->status_store = g_list_store_new (DSL_TYPE_TREE_STATUS);
  self->parts = g_list_store_new (G_TYPE_LIST_MODEL);
  g_list_store_append (self->parts, self->model);
  g_list_store_append (self->parts, self->status_store);

  /* After: the flatten models (connected first) have announced the folder's change before the
   * status row moves, so their positions stay consistent. */
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (on_model_items_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (on_model_notify), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::error", G_CALLBACK (on_model_notify), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::complete", G_CALLBACK (on_model_notify), self,
                           G_CONNECT_SWAPPED);
  update_status (self);
  return self;
}

DslFolderModel *
dsl_tree_node_get_model (DslTreeNode *self)
{
  g_return_val_if_fail (DSL_IS_TREE_NODE (self), NULL);
  return self->model;
}

/* Attached to each children view: counts it while alive and keeps the node alive with it. */
typedef struct {
  DslTreeNode *node;
} ViewTicket;

static void
view_ticket_free (gpointer data)
{
  ViewTicket *ticket = data;

  g_assert (ticket->node->n_views > 0);
  ticket->node->n_views--;
  g_object_unref (ticket->node);
  g_free (ticket);
}

GListModel *
dsl_tree_node_create_children (DslTreeNode *self)
{
  GtkFlattenListModel *view;
  ViewTicket *ticket;

  g_return_val_if_fail (DSL_IS_TREE_NODE (self), NULL);

  view = gtk_flatten_list_model_new (G_LIST_MODEL (g_object_ref (self->parts)));
  ticket = g_new0 (ViewTicket, 1);
  ticket->node = g_object_ref (self);
  self->n_views++;
  g_object_set_data_full (G_OBJECT (view), "dsl-tree-node-ticket", ticket, view_ticket_free);
  return G_LIST_MODEL (view);
}

gboolean
dsl_tree_node_is_expanded (DslTreeNode *self)
{
  g_return_val_if_fail (DSL_IS_TREE_NODE (self), FALSE);
  return self->n_views > 0;
}

gboolean
dsl_tree_node_is_started (DslTreeNode *self)
{
  g_return_val_if_fail (DSL_IS_TREE_NODE (self), FALSE);
  return dsl_folder_model_get_n_requests (self->model) > 0;
}

void
dsl_tree_node_activate (DslTreeNode *self)
{
  g_return_if_fail (DSL_IS_TREE_NODE (self));

  if (self->stale)
    {
      self->stale = FALSE;
      dsl_folder_model_refresh (self->model);
    }
  else if (!dsl_tree_node_is_started (self))
    {
      dsl_folder_model_load_more (self->model);
    }
}

void
dsl_tree_node_load_more (DslTreeNode *self)
{
  g_return_if_fail (DSL_IS_TREE_NODE (self));

  /* A stale node refreshes first; loading on from old pages would skip what moved. */
  if (self->stale)
    dsl_tree_node_activate (self);
  else
    dsl_folder_model_load_more (self->model);
}

void
dsl_tree_node_retry (DslTreeNode *self)
{
  g_return_if_fail (DSL_IS_TREE_NODE (self));
  dsl_folder_model_retry (self->model);
}

void
dsl_tree_node_refresh (DslTreeNode *self)
{
  g_return_if_fail (DSL_IS_TREE_NODE (self));

  if (!dsl_tree_node_is_started (self))
    return;
  if (self->n_views > 0)
    {
      self->stale = FALSE;
      dsl_folder_model_refresh (self->model);
    }
  else
    {
      self->stale = TRUE;
    }
}

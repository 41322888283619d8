/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-tree-node.c: one room or folder of DslItemTree.
 *
 *   DslFolderModel (DslItem, paged) ─items-changed─▶ DslTreeNode: children = items + status?
 *        notify::loading/error/complete ─────────────┘   │ "children-changed"
 *                                                        ▼
 *                          DslTreeChildren (one per view) ─items-changed─▶ GtkTreeListModel
 *
 * The status follows the folder model: LOADING while a page is in flight, MORE while pages remain
 * (DslItemTree asks for the next one when that row nears the viewport), ERROR with the failed
 * page's message, EMPTY for a complete empty folder, nothing once complete. A page appended at the end replaces the status row in the same items-changed
 * (removed the old status, added the page and a new status): GtkListView then anchors on the
 * first new item instead of following the "Loading…" row down, so the view does not jump and
 * the status row scrolls away like any row.
 *
 * The node outlives collapsing (DslItemTree keeps it), so re-expanding a folder shows what was
 * loaded without asking again. */
#define G_LOG_DOMAIN "dsl-tree-node"

#include "config.h"


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
  DslTreeStatus  *status;         /* the row after the items, or NULL */

  /* plain values */
  guint           n_views;        /* DslTreeChildren alive (see create_children) */
  gboolean        stale;          /* refresh on the next activate */
};

G_DEFINE_FINAL_TYPE (DslTreeNode, dsl_tree_node, G_TYPE_OBJECT)

enum {
  CHILDREN_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
n_model_items (DslTreeNode *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->model));
}

/* The status the folder model's state asks for: FALSE for none. */
static gboolean
wanted_status (DslTreeNode       *self,
               DslTreeStatusKind *kind,
               const char       **message)
{
  const GError *error = dsl_folder_model_get_error (self->model);

  *message = NULL;
  if (error != NULL)
    {
      *kind = DSL_TREE_STATUS_ERROR;
      *message = error->message;
      return TRUE;
    }
  if (dsl_folder_model_get_complete (self->model))
    {
      *kind = DSL_TREE_STATUS_EMPTY;
      return n_model_items (self) == 0;
    }
  /* A spinner only while a request is in flight: a spinning row kept bound off screen would
   * make the window draw every frame. */
  *kind = dsl_folder_model_get_loading (self->model) ? DSL_TREE_STATUS_LOADING
                                                     : DSL_TREE_STATUS_MORE;
  return TRUE;
}

static DslTreeStatus *
status_new (DslTreeNode       *self,
            DslTreeStatusKind  kind,
            const char        *message)
{
  DslTreeStatus *status = g_object_new (DSL_TYPE_TREE_STATUS, NULL);

  status->kind = kind;
  status->message = g_strdup (message);
  status->node = self;
  return status;
}

/* Swaps in a new status (or none); returns whether there was one before. */
static gboolean
replace_status (DslTreeNode   *self,
                DslTreeStatus *status)
{
  gboolean had = self->status != NULL;

  if (self->status != NULL)
    {
      self->status->node = NULL;
      g_object_unref (self->status);
    }
  self->status = status;
  return had;
}

static void
update_status (DslTreeNode *self)
{
  DslTreeStatusKind kind;
  const char *message;
  gboolean show = wanted_status (self, &kind, &message);
  gboolean had;

  if (self->status != NULL && show && self->status->kind == kind &&
      g_strcmp0 (self->status->message, message) == 0)
    return;
  if (self->status == NULL && !show)
    return;

  had = replace_status (self, show ? status_new (self, kind, message) : NULL);
  g_signal_emit (self, signals[CHILDREN_CHANGED], 0, n_model_items (self), had ? 1 : 0,
                 show ? 1 : 0);
}

static void
on_model_items_changed (DslTreeNode *self,
                        guint        position,
                        guint        removed,
                        guint        added)
{
  guint old_n = n_model_items (self) - added + removed;
  DslTreeStatusKind kind;
  const char *message;
  gboolean show;
  gboolean had;

  if (self->status == NULL || position + removed != old_n)
    {
      g_signal_emit (self, signals[CHILDREN_CHANGED], 0, position, removed, added);
      update_status (self);
      return;
    }

  /* A change at the end (a page appended, a filter emptying the folder): the status row goes
   * in the same change, and a new one (a new object) follows the new items. */
  show = wanted_status (self, &kind, &message);
  had = replace_status (self, show ? status_new (self, kind, message) : NULL);
  g_signal_emit (self, signals[CHILDREN_CHANGED], 0, position, removed + (had ? 1 : 0),
                 added + (show ? 1 : 0));
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

  replace_status (self, NULL);
  if (self->model != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->model, self);
      dsl_folder_model_cancel (self->model);
    }
  g_clear_object (&self->model);

  G_OBJECT_CLASS (dsl_tree_node_parent_class)->dispose (object);
}

static void
dsl_tree_node_class_init (DslTreeNodeClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dsl_tree_node_dispose;

  /* The children (items, then the status) changed, as GListModel::items-changed. */
  signals[CHILDREN_CHANGED] =
    g_signal_new ("children-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
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
  g_signal_connect_object (self->model, "items-changed",
                           G_CALLBACK (on_model_items_changed), self, G_CONNECT_SWAPPED);
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

/* --- DslTreeChildren: one view of a node's children, counted while alive --- */

#define DSL_TYPE_TREE_CHILDREN (dsl_tree_children_get_type ())
G_DECLARE_FINAL_TYPE (DslTreeChildren, dsl_tree_children, DSL, TREE_CHILDREN, GObject)

struct _DslTreeChildren
{
  GObject      parent_instance;

  DslTreeNode *node;   /* owned */
};

static void dsl_tree_children_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DslTreeChildren, dsl_tree_children, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      dsl_tree_children_list_model_init))

static GType
dsl_tree_children_get_item_type (GListModel *model)
{
  return G_TYPE_OBJECT;
}

static guint
dsl_tree_children_get_n_items (GListModel *model)
{
  DslTreeNode *node = DSL_TREE_CHILDREN (model)->node;

  return n_model_items (node) + (node->status != NULL ? 1 : 0);
}

static gpointer
dsl_tree_children_get_item (GListModel *model,
                            guint       position)
{
  DslTreeNode *node = DSL_TREE_CHILDREN (model)->node;
  guint n = n_model_items (node);

  if (position < n)
    return g_list_model_get_item (G_LIST_MODEL (node->model), position);
  if (position == n && node->status != NULL)
    return g_object_ref (node->status);
  return NULL;
}

static void
dsl_tree_children_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dsl_tree_children_get_item_type;
  iface->get_n_items = dsl_tree_children_get_n_items;
  iface->get_item = dsl_tree_children_get_item;
}

static void
on_children_changed (DslTreeChildren *self,
                     guint            position,
                     guint            removed,
                     guint            added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
dsl_tree_children_finalize (GObject *object)
{
  DslTreeChildren *self = (DslTreeChildren *) object;

  g_signal_handlers_disconnect_by_data (self->node, self);
  g_assert (self->node->n_views > 0);
  self->node->n_views--;
  g_object_unref (self->node);

  G_OBJECT_CLASS (dsl_tree_children_parent_class)->finalize (object);
}

static void
dsl_tree_children_class_init (DslTreeChildrenClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dsl_tree_children_finalize;
}

static void
dsl_tree_children_init (DslTreeChildren *self)
{
}

GListModel *
dsl_tree_node_create_children (DslTreeNode *self)
{
  DslTreeChildren *view;

  g_return_val_if_fail (DSL_IS_TREE_NODE (self), NULL);

  view = g_object_new (DSL_TYPE_TREE_CHILDREN, NULL);
  view->node = g_object_ref (self);
  self->n_views++;
  g_signal_connect_swapped (self, "children-changed", G_CALLBACK (on_children_changed), view);
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-item-tree.c: the portal as a lazy tree.
 *
 *   roots (GListStore: DslItem "@rooms", "@my")
 *     └▶ GtkTreeListModel (passthrough off, autoexpand off)
 *          create_func (item): files → NULL; rooms/folders → a view of their DslTreeNode:
 *             [DslFolderModel items..., DslTreeStatus?]   (nodes kept in `nodes` by folder id)
 *     └▶ GtkSingleSelection (autoselect off, can-unselect) ─▶ GtkListView
 *          GtkSignalListItemFactory: GtkTreeExpander + DslItemRow, recycled
 *
 * Requests: GtkTreeListRow.is_expandable () calls create_func too, so creating a view requests
 * nothing. A folder asks for page 0 when its row is expanded (notify::expanded while bound, or
 * its "Loading…" status row coming on screen). The next page: when the folder's "Loading…" row
 * (which follows its loaded items, a new object after every page, see dsl-tree-node.c) is on
 * screen or within NEAR_END rows of it, checked after layout whenever such a row is bound or
 * the list scrolls. Not at bind time alone: GTK 4.8's GtkListView binds up to ~200 rows around
 * its anchor, far beyond the viewport, which would chain pages nobody scrolled to.
 * DslFolderModel drops a load_more while one is in flight, so each page is asked for once.
 *
 * Frames: GTK 4.8 builds a row widget for every new item near the anchor, about half a
 * millisecond each; a page of 100 in one frame would stall it. The folder models append a page
 * CHUNK items at a time (the first when it arrives), and a tick callback appends the next chunk
 * of each folder once per frame, so rows show a frame after the answer and scrolling stays
 * smooth while pages come in.
 *
 * States (`stack`): signed-out (no client), loading (the roots' first pages, or no client yet
 * while the window reads the account's key: "connecting"), error (both roots
 * failed: message + Retry), empty (both roots empty), tree. */
#define G_LOG_DOMAIN "dsl-item-tree"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dsl-folder-model.h"
#include "dsl-item-row.h"
#include "dsl-item-tree.h"
#include "dsl-tree-node.h"
#include "dsl-ui-util.h"

/* Rows this close to a folder's loaded end ask for its next page when bound. */
#define NEAR_END 20
/* Items of a page appended per frame (see above): a viewport's worth; fewer in the first frame
 * after the page arrived, which also paid for reading its JSON. */
#define CHUNK 25
#define FIRST_CHUNK 10
/* Object data on a folder model: its pending page has not been started on yet. */
#define FRESH_PAGE "dsl-item-tree-fresh-page"
/* Object data on a folder model: its pending count when last seen (GUINT_TO_POINTER). */
#define LAST_PENDING "dsl-item-tree-last-pending"
/* On top of GtkSearchEntry's own 150 ms in GTK 4.8: about 300 ms after the last key. */
#define SEARCH_DELAY_MS 150

typedef struct {
  char           **ids;
  guint            n_ids;
  guint            index;          /* the id looked for next */
  GtkTreeListRow  *row;            /* owned; the container searched for ids[index] */
  DslFolderModel  *model;          /* owned while waiting for a page */
  gulong           loading_handler;
} Restore;

struct _DslItemTree
{
  GtkWidget           parent_instance;

  /* template children */
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkSpinner         *loading_spinner;
  AdwStatusPage      *error_page;
  AdwStatusPage      *empty_page;
  GtkScrolledWindow  *scrolled;
  GtkListView        *list_view;

  /* owned */
  DslClient          *client;
  GListStore         *roots;          /* element-type DslItem */
  GtkTreeListModel   *tree_model;
  GtkSingleSelection *selection;
  GHashTable         *nodes;          /* folder id → DslTreeNode */
  DslItem            *selected_item;
  char               *selected_location;
  char               *filter;         /* applied to the roots; NULL = none */
  Restore            *restore;
  GPtrArray          *loading_rows;   /* DslItemRow bound to a "Loading…" status (borrowed) */
  GdkFrameClock      *check_clock;    /* while check_handler is connected to it */
  gulong              check_handler;  /* after-paint: check_loading_rows () */
  guint               search_timeout_id;
  guint               stale_check_id;   /* idle: check_stale_rows () */
  GdkFrameClock      *stale_clock;      /* while stale_handler is connected to it */
  gulong              stale_handler;    /* after-paint: check_stale_rows () once laid out */
  guint               flush_tick_id;    /* tick: the next chunk of pending items */
  guint               flush_idle_id;    /* idle: every pending item, while unmapped */
  guint               removal_position; /* where rows were last removed */

  /* borrowed (held by `nodes`) */
  DslTreeNode        *rooms_node;
  DslTreeNode        *my_node;

  /* plain values */
  gboolean            roots_loaded;   /* a root page arrived once: no more "loading" page */
  gboolean            connecting;     /* no client yet, but one is on its way */
  gboolean            selecting;      /* our own selection change (restore) */
};

G_DEFINE_FINAL_TYPE (DslItemTree, dsl_item_tree, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SELECTED_ITEM,
  PROP_SELECTED_LOCATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ITEM_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void restore_step (DslItemTree *self);

/* --- nodes --- */

static DslTreeNode *
lookup_node (DslItemTree *self,
             gpointer     item)
{
  if (self->nodes == NULL || !DSL_IS_ITEM (item))
    return NULL;
  return g_hash_table_lookup (self->nodes, dsl_item_get_id (item));
}

/* --- pages appended a chunk per frame --- */

/* Appends up to `max` pending items (0: all) of every folder; TRUE if any are left. */
static gboolean
flush_pending (DslItemTree *self,
               guint        max)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) collapsed = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean left = FALSE;
  GHashTableIter iter;
  gpointer value;

  if (self->nodes == NULL)
    return FALSE;

  /* Collected first: appending runs handlers that may add nodes. A collapsed folder has no
   * rows to build, so it takes its whole page at once. */
  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DslFolderModel *model = dsl_tree_node_get_model (value);

      if (dsl_folder_model_get_n_pending (model) > 0)
        g_ptr_array_add (dsl_tree_node_is_expanded (value) ? models : collapsed,
                         g_object_ref (model));
    }
  for (guint i = 0; i < collapsed->len; i++)
    dsl_folder_model_flush_pending (g_ptr_array_index (collapsed, i), 0);
  for (guint i = 0; i < models->len; i++)
    {
      DslFolderModel *model = g_ptr_array_index (models, i);
      gboolean fresh = g_object_steal_data (G_OBJECT (model), FRESH_PAGE) != NULL;

      dsl_folder_model_flush_pending (model, max > 0 && fresh ? MIN (max, FIRST_CHUNK) : max);
      left |= dsl_folder_model_get_n_pending (model) > 0;
    }
  return left;
}

static gboolean
flush_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  DslItemTree *self = DSL_ITEM_TREE (widget);

  if (flush_pending (self, CHUNK))
    return G_SOURCE_CONTINUE;
  self->flush_tick_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
flush_idle (gpointer user_data)
{
  DslItemTree *self = user_data;

  self->flush_idle_id = 0;
  flush_pending (self, 0);
  return G_SOURCE_REMOVE;
}

static void
cancel_flush (DslItemTree *self)
{
  if (self->flush_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->flush_tick_id);
  self->flush_tick_id = 0;
  g_clear_handle_id (&self->flush_idle_id, g_source_remove);
}

static void
on_pending (DslItemTree    *self,
            GParamSpec     *pspec,
            DslFolderModel *model)
{
  guint n_pending = dsl_folder_model_get_n_pending (model);
  guint last = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (model), LAST_PENDING));

  g_object_set_data (G_OBJECT (model), LAST_PENDING, GUINT_TO_POINTER (n_pending));
  /* It also notifies as the page goes in chunk by chunk: more than before is a page arriving. */
  g_object_set_data (G_OBJECT (model), FRESH_PAGE,
                     GINT_TO_POINTER (n_pending > last));
  if (n_pending == 0)
    return;
  /* No frames while unmapped (the sign-in page is up): nobody waits for those rows either. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      if (self->flush_tick_id == 0)
        self->flush_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), flush_tick,
                                                            NULL, NULL);
    }
  else if (self->flush_idle_id == 0)
    {
      self->flush_idle_id = g_idle_add (flush_idle, self);
    }
}

static DslTreeNode *
ensure_node (DslItemTree *self,
             const char  *folder_id)
{
  DslTreeNode *node = g_hash_table_lookup (self->nodes, folder_id);
  DslFolderModel *model;

  if (node != NULL)
    return node;

  node = dsl_tree_node_new (self->client, folder_id);
  model = dsl_tree_node_get_model (node);
  dsl_folder_model_set_chunk_size (model, CHUNK);
  g_signal_connect_object (model, "notify::n-pending", G_CALLBACK (on_pending), self,
                           G_CONNECT_SWAPPED);
  g_hash_table_insert (self->nodes, g_strdup (folder_id), node);
  return node;
}

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  DslItemTree *self = user_data;

  if (!DSL_IS_ITEM (item) || !dsl_item_is_container (item))
    return NULL;
  /* Also called by is_expandable (): a view costs no request. */
  return dsl_tree_node_create_children (ensure_node (self, dsl_item_get_id (item)));
}

/* --- factory --- */

static GtkTreeListRow *
row_for_list_item (GtkListItem *list_item)
{
  return gtk_list_item_get_item (list_item);
}

static void
on_row_expanded (GtkTreeListRow *row,
                 GParamSpec     *pspec,
                 DslItemTree    *self)
{
  g_autoptr(GObject) item = NULL;
  DslTreeNode *node;

  if (!gtk_tree_list_row_get_expanded (row))
    return;
  item = gtk_tree_list_row_get_item (row);
  node = lookup_node (self, item);
  if (node != NULL)
    dsl_tree_node_activate (node);
}

/* --- the next page: "Loading…" rows near the viewport --- */

static void
check_loading_rows (DslItemTree *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->scrolled));
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_object_unref);

  /* Each folder with pages left shows one "Loading…" row after its items: when that row is on
   * screen or within NEAR_END rows of it, the person has scrolled to the folder's loaded end
   * and gets its next page. A page pushes the (new) row down by 100 rows, so the next one waits
   * for more scrolling: one request per page. */
  for (guint i = 0; i < self->loading_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->loading_rows, i);
      DslTreeStatus *status = dsl_item_row_get_status (DSL_ITEM_ROW (row));
      DslTreeNode *node = status != NULL ? dsl_tree_status_get_node (status) : NULL;
      int row_height = MAX (gtk_widget_get_height (row), 1);
      int margin = NEAR_END * row_height;
      graphene_point_t point;

      if (node == NULL || !gtk_widget_get_mapped (row))
        continue;
      if (!gtk_widget_compute_point (row, GTK_WIDGET (self->scrolled),
                                     &GRAPHENE_POINT_INIT (0, 0), &point))
        continue;
      if (point.y + row_height >= -margin && point.y <= height + margin)
        g_ptr_array_add (due, g_object_ref (node));
    }

  /* Afterwards: a request replaces the status row, which rebinds rows of `loading_rows`. */
  for (guint i = 0; i < due->len; i++)
    {
      DslTreeNode *node = g_ptr_array_index (due, i);

      g_debug ("\"Loading…\" row of %s near the viewport: next page",
               dsl_folder_model_get_folder_id (dsl_tree_node_get_model (node)));
      dsl_tree_node_load_more (node);
    }
}

static void
on_after_paint (GdkFrameClock *clock,
                DslItemTree   *self)
{
  g_clear_signal_handler (&self->check_handler, clock);
  g_clear_object (&self->check_clock);
  check_loading_rows (self);
}

static void
cancel_check (DslItemTree *self)
{
  /* A clock disposed with its surface has dropped its handlers already. */
  if (self->check_clock != NULL &&
      g_signal_handler_is_connected (self->check_clock, self->check_handler))
    g_signal_handler_disconnect (self->check_clock, self->check_handler);
  self->check_handler = 0;
  g_clear_object (&self->check_clock);
}

/* Checks the "Loading…" rows once the next frame is laid out (rows have their places then). */
static void
schedule_check (DslItemTree *self)
{
  GdkFrameClock *clock;

  if (self->check_handler != 0 || self->list_view == NULL || self->loading_rows->len == 0)
    return;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->list_view));
  if (clock == NULL)
    return;
  self->check_clock = g_object_ref (clock);
  self->check_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint),
                                          self);
  gtk_widget_queue_draw (GTK_WIDGET (self->list_view));
}

static void
on_scrolled (DslItemTree *self)
{
  schedule_check (self);
}

/* A click on a row's title (not on its expander arrow, which takes its own clicks): the row
 * is selected first, as GtkListView would do after this handler (the window may hide the tree
 * on "item-activated"), then announced. The list's own gesture, on the row above this one,
 * still sees the release. */
static void
on_row_released (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *list_item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  DslItemTree *self;
  DslItem *item;

  if (n_press != 1 || !gtk_list_item_get_selectable (list_item))
    return;
  item = dsl_item_row_get_item (DSL_ITEM_ROW (widget));
  self = DSL_ITEM_TREE (gtk_widget_get_ancestor (widget, DSL_TYPE_ITEM_TREE));
  if (item == NULL || self == NULL)
    return;

  g_object_ref (item);
  gtk_widget_activate_action (widget, "listitem.select", "(bb)", FALSE, FALSE);
  g_signal_emit (self, signals[ITEM_ACTIVATED], 0, item);
  g_object_unref (item);
}

static void
factory_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               DslItemTree              *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *row = dsl_item_row_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_row_released), list_item);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), row);
  gtk_list_item_set_child (list_item, expander);
}

static void
factory_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              DslItemTree              *self)
{
  GtkTreeListRow *row = row_for_list_item (list_item);
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));
  DslItemRow *widget = DSL_ITEM_ROW (gtk_tree_expander_get_child (expander));
  g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (expander, row);

  if (DSL_IS_ITEM (item))
    {
      gtk_list_item_set_selectable (list_item, TRUE);
      gtk_list_item_set_activatable (list_item, TRUE);
      dsl_item_row_set_item (widget, DSL_ITEM (item));
      if (dsl_item_is_container (DSL_ITEM (item)))
        g_signal_connect (row, "notify::expanded", G_CALLBACK (on_row_expanded), self);
    }
  else if (DSL_IS_TREE_STATUS (item))
    {
      DslTreeStatus *status = DSL_TREE_STATUS (item);

      gtk_list_item_set_selectable (list_item, FALSE);
      gtk_list_item_set_activatable (list_item, FALSE);
      dsl_item_row_set_status (widget, status);
      if (dsl_tree_status_get_kind (status) == DSL_TREE_STATUS_LOADING ||
          dsl_tree_status_get_kind (status) == DSL_TREE_STATUS_MORE)
        {
          /* Bound is not on screen: GTK 4.8 binds up to ~200 rows around the anchor. */
          g_ptr_array_add (self->loading_rows, widget);
          schedule_check (self);
        }
    }
}

static void
factory_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                DslItemTree              *self)
{
  GtkTreeListRow *row = row_for_list_item (list_item);
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));
  DslItemRow *widget = DSL_ITEM_ROW (gtk_tree_expander_get_child (expander));

  if (row != NULL)
    g_signal_handlers_disconnect_by_func (row, on_row_expanded, self);
  g_ptr_array_remove_fast (self->loading_rows, widget);
  gtk_tree_expander_set_list_row (expander, NULL);
  dsl_item_row_set_item (widget, NULL);
}

/* --- selection --- */

static char *
build_location (GtkTreeListRow *row)
{
  g_autoptr(GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GtkTreeListRow) parent = gtk_tree_list_row_get_parent (row);
  GString *location = g_string_new (NULL);

  while (parent != NULL)
    {
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (parent);
      GtkTreeListRow *up;

      if (DSL_IS_ITEM (item))
        g_ptr_array_add (titles, g_strdup (dsl_item_get_title (DSL_ITEM (item))));
      up = gtk_tree_list_row_get_parent (parent);
      g_object_unref (parent);
      parent = up;
    }

  for (guint i = titles->len; i > 0; i--)
    {
      if (location->len > 0)
        g_string_append (location, " › ");
      g_string_append (location, g_ptr_array_index (titles, i - 1));
    }
  return g_string_free (location, FALSE);
}

static void restore_cancel (DslItemTree *self);

static void
on_selection_changed (DslItemTree *self)
{
  GtkTreeListRow *row = NULL;
  g_autoptr(GObject) object = NULL;
  g_autofree char *location = NULL;
  DslItem *item = NULL;

  if (self->selection != NULL)
    row = gtk_single_selection_get_selected_item (self->selection);
  if (row != NULL)
    {
      object = gtk_tree_list_row_get_item (row);
      if (DSL_IS_ITEM (object))
        {
          item = DSL_ITEM (object);
          location = build_location (row);
        }
    }

  if (!self->selecting && self->restore != NULL && item != NULL)
    restore_cancel (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_set_object (&self->selected_item, item))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ITEM]);
  if (g_strcmp0 (self->selected_location, location) != 0)
    {
      g_free (self->selected_location);
      self->selected_location = g_steal_pointer (&location);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_LOCATION]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
select_row (DslItemTree    *self,
            GtkTreeListRow *row)
{
  guint position = gtk_tree_list_row_get_position (row);

  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                              position);
}

/* --- restoring a selection --- */

static void
restore_free (Restore *restore)
{
  if (restore->loading_handler != 0)
    g_signal_handler_disconnect (restore->model, restore->loading_handler);
  g_clear_object (&restore->model);
  g_clear_object (&restore->row);
  g_strfreev (restore->ids);
  g_free (restore);
}

static void
restore_cancel (DslItemTree *self)
{
  g_clear_pointer (&self->restore, restore_free);
}

static void
on_restore_loading (DslItemTree    *self,
                    GParamSpec     *pspec,
                    DslFolderModel *model)
{
  Restore *restore = self->restore;

  if (dsl_folder_model_get_loading (model))
    return;
  g_signal_handler_disconnect (restore->model, restore->loading_handler);
  restore->loading_handler = 0;
  g_clear_object (&restore->model);
  restore_step (self);
}

static void
restore_step (DslItemTree *self)
{
  Restore *restore = self->restore;

  while (restore != NULL)
    {
      g_autoptr(GObject) item = NULL;
      DslFolderModel *model;
      DslTreeNode *node;
      guint n_items;
      int found = -1;

      if (restore->row == NULL)
        {
          guint n_roots = g_list_model_get_n_items (G_LIST_MODEL (self->roots));

          for (guint i = 0; i < n_roots && found < 0; i++)
            {
              g_autoptr(DslItem) root = g_list_model_get_item (G_LIST_MODEL (self->roots), i);

              if (g_strcmp0 (dsl_item_get_id (root), restore->ids[0]) == 0)
                found = (int) i;
            }
          if (found < 0)
            break;
          restore->row = gtk_tree_list_model_get_child_row (self->tree_model, (guint) found);
          restore->index = 1;
        }
      else
        {
          item = gtk_tree_list_row_get_item (restore->row);
          node = lookup_node (self, item);
          if (node == NULL && DSL_IS_ITEM (item) && dsl_item_is_container (DSL_ITEM (item)))
            node = ensure_node (self, dsl_item_get_id (DSL_ITEM (item)));
          if (node == NULL)
            break;

          gtk_tree_list_row_set_expanded (restore->row, TRUE);
          if (!gtk_tree_list_row_get_expanded (restore->row))
            break;
          dsl_tree_node_activate (node);

          model = dsl_tree_node_get_model (node);
          n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
          for (guint i = 0; i < n_items && found < 0; i++)
            {
              g_autoptr(DslItem) child = g_list_model_get_item (G_LIST_MODEL (model), i);

              if (g_strcmp0 (dsl_item_get_id (child), restore->ids[restore->index]) == 0)
                found = (int) i;
            }

          if (found < 0)
            {
              /* Not loaded yet: wait for the next page; gone when everything is loaded. */
              if (dsl_folder_model_get_error (model) != NULL)
                break;
              if (!dsl_folder_model_get_loading (model))
                {
                  if (dsl_folder_model_get_complete (model))
                    break;
                  dsl_tree_node_load_more (node);
                  if (!dsl_folder_model_get_loading (model))
                    break;
                }
              restore->model = g_object_ref (model);
              restore->loading_handler =
                g_signal_connect_swapped (model, "notify::loading",
                                          G_CALLBACK (on_restore_loading), self);
              return;
            }

          {
            GtkTreeListRow *child = gtk_tree_list_row_get_child_row (restore->row,
                                                                     (guint) found);

            g_clear_object (&restore->row);
            restore->row = child;
            restore->index++;
          }
        }

      if (restore->row == NULL)
        break;
      if (restore->index == restore->n_ids)
        {
          select_row (self, restore->row);
          break;
        }
    }

  restore_cancel (self);
}

/* --- state --- */

static void
update_state (DslItemTree *self)
{
  DslFolderModel *rooms, *my;
  const GError *rooms_error, *my_error;
  gboolean rooms_settled, my_settled;
  static const char loading_page[] = "loading";
  guint n_items;
  const char *page;
  gboolean loading;

  if (self->client == NULL || self->rooms_node == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack,
                                        self->connecting ? loading_page : "signed-out");
      gtk_spinner_set_spinning (self->loading_spinner, self->connecting);
      return;
    }

  rooms = dsl_tree_node_get_model (self->rooms_node);
  my = dsl_tree_node_get_model (self->my_node);
  rooms_error = dsl_folder_model_get_error (rooms);
  my_error = dsl_folder_model_get_error (my);
  rooms_settled = rooms_error != NULL || dsl_folder_model_get_complete (rooms);
  my_settled = my_error != NULL || dsl_folder_model_get_complete (my);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (rooms)) +
            g_list_model_get_n_items (G_LIST_MODEL (my));

  if (rooms_error != NULL && my_error != NULL)
    {
      dsl_status_page_set_plain_description (self->error_page, rooms_error->message);
      page = "error";
    }
  else if (rooms_settled && my_settled && n_items == 0)
    {
      if (self->filter != NULL)
        {
          adw_status_page_set_title (self->empty_page, _("No Results"));
          adw_status_page_set_description (self->empty_page,
                                           _("No rooms or documents match the search."));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("Nothing Here"));
          adw_status_page_set_description (self->empty_page,
                                           _("This portal has no rooms or documents you can see."));
        }
      page = "empty";
    }
  else if (!self->roots_loaded && n_items == 0)
    {
      page = loading_page;
    }
  else
    {
      page = "tree";
    }

  loading = page == loading_page;
  if (!loading)
    self->roots_loaded = TRUE;
  gtk_spinner_set_spinning (self->loading_spinner, loading);
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
on_root_changed (DslItemTree *self)
{
  update_state (self);
}

/* --- GTK 4.8 workaround: rows left bound to removed items --- */

/* GTK 4.8's GtkListView can keep widgets bound to rows that a removal took away when its
 * scroll anchor was among them (collapsing a folder scrolled deep into it, a search replacing
 * the roots' children): the new row at that place then shows the old title. After a removal,
 * if any child is bound to a row that is no longer in the model, the view is given its model
 * again, which binds every row afresh, and scrolled back to where the removal happened. */
static void
check_stale_rows (DslItemTree *self)
{
  gboolean stale = FALSE;
  gboolean had_focus;
  guint n_items, position;

  if (self->tree_model == NULL)
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL && !stale;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *expander = gtk_widget_get_first_child (child);
      GtkTreeListRow *row;
      g_autoptr(GtkTreeListRow) current = NULL;

      if (expander == NULL || !GTK_IS_TREE_EXPANDER (expander))
        continue;
      row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (expander));
      if (row == NULL)
        continue;
      current = g_list_model_get_item (G_LIST_MODEL (self->tree_model),
                                       gtk_tree_list_row_get_position (row));
      stale = current != row;
    }
  if (!stale)
    return;

  g_debug ("rows bound to removed items: binding the view again");
  had_focus = gtk_widget_has_focus (GTK_WIDGET (self->list_view)) ||
              gtk_widget_get_focus_child (GTK_WIDGET (self->list_view)) != NULL;
  gtk_list_view_set_model (self->list_view, NULL);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->tree_model));
  if (n_items > 0)
    {
      position = MIN (self->removal_position, n_items - 1);
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                  position);
    }
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

static gboolean
check_stale_rows_idle (gpointer user_data)
{
  DslItemTree *self = user_data;

  self->stale_check_id = 0;
  check_stale_rows (self);
  return G_SOURCE_REMOVE;
}

static void
cancel_stale_check (DslItemTree *self)
{
  g_clear_handle_id (&self->stale_check_id, g_source_remove);
  if (self->stale_clock != NULL &&
      g_signal_handler_is_connected (self->stale_clock, self->stale_handler))
    g_signal_handler_disconnect (self->stale_clock, self->stale_handler);
  self->stale_handler = 0;
  g_clear_object (&self->stale_clock);
}

static void
on_stale_after_paint (GdkFrameClock *clock,
                      DslItemTree   *self)
{
  g_clear_signal_handler (&self->stale_handler, clock);
  g_clear_object (&self->stale_clock);
  check_stale_rows (self);
}

static void
on_tree_items_changed (DslItemTree *self,
                       guint        position,
                       guint        removed,
                       guint        added)
{
  GdkFrameClock *clock;

  if (removed == 0)
    return;
  self->removal_position = position > 0 ? position - 1 : 0;
  /* When idle, and after the next frame: while frames follow each other without a pause (a
   * page appended chunk by chunk on a slow machine) the idle may wait, and only the frame after
   * the removal has laid out the rows. */
  if (self->stale_check_id == 0)
    self->stale_check_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, check_stale_rows_idle,
                                            self, NULL);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->list_view));
  if (self->stale_handler == 0 && clock != NULL)
    {
      self->stale_clock = g_object_ref (clock);
      self->stale_handler = g_signal_connect (clock, "after-paint",
                                              G_CALLBACK (on_stale_after_paint), self);
    }
}

/* --- client --- */

static void
clear_tree (DslItemTree *self)
{
  restore_cancel (self);
  cancel_check (self);
  cancel_stale_check (self);

  gtk_list_view_set_model (self->list_view, NULL);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree_model);
  g_clear_object (&self->roots);
  if (self->rooms_node != NULL)
    g_signal_handlers_disconnect_by_data (dsl_tree_node_get_model (self->rooms_node), self);
  if (self->my_node != NULL)
    g_signal_handlers_disconnect_by_data (dsl_tree_node_get_model (self->my_node), self);
  self->rooms_node = NULL;
  self->my_node = NULL;
  if (self->nodes != NULL)
    g_hash_table_remove_all (self->nodes);
  cancel_flush (self);
  self->roots_loaded = FALSE;

  on_selection_changed (self);
}

static void
watch_root (DslItemTree *self,
            DslTreeNode *node)
{
  DslFolderModel *model = dsl_tree_node_get_model (node);

  g_signal_connect_object (model, "items-changed", G_CALLBACK (on_root_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (model, "notify::loading", G_CALLBACK (on_root_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "notify::error", G_CALLBACK (on_root_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "notify::complete", G_CALLBACK (on_root_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
expand_root (DslItemTree *self,
             guint        position,
             DslTreeNode *node)
{
  g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_child_row (self->tree_model, position);

  if (self->filter != NULL)
    dsl_folder_model_set_filter (dsl_tree_node_get_model (node), self->filter);
  if (row != NULL)
    gtk_tree_list_row_set_expanded (row, TRUE);
  dsl_tree_node_activate (node);
}

static void
build_tree (DslItemTree *self)
{
  g_autoptr(DslItem) rooms = dsl_item_new (DSL_ITEM_KIND_FOLDER, DSL_FOLDER_ROOMS, _("Rooms"));
  g_autoptr(DslItem) my = dsl_item_new (DSL_ITEM_KIND_FOLDER, DSL_FOLDER_MY, _("My documents"));

  self->roots = g_list_store_new (DSL_TYPE_ITEM);
  g_list_store_append (self->roots, rooms);
  g_list_store_append (self->roots, my);

  self->rooms_node = ensure_node (self, DSL_FOLDER_ROOMS);
  self->my_node = ensure_node (self, DSL_FOLDER_MY);
  watch_root (self, self->rooms_node);
  watch_root (self, self->my_node);

  self->tree_model = gtk_tree_list_model_new (G_LIST_MODEL (g_object_ref (self->roots)),
                                              FALSE, FALSE, create_children, self, NULL);
  g_signal_connect_object (self->tree_model, "items-changed",
                           G_CALLBACK (on_tree_items_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->tree_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  /* Positions in `roots`, whatever is expanded. */
  expand_root (self, 0, self->rooms_node);
  expand_root (self, 1, self->my_node);
}

void
dsl_item_tree_set_client (DslItemTree *self,
                          DslClient   *client)
{
  g_return_if_fail (DSL_IS_ITEM_TREE (self));
  g_return_if_fail (client == NULL || DSL_IS_CLIENT (client));

  if (client == self->client)
    return;

  clear_tree (self);
  self->connecting = FALSE;
  g_set_object (&self->client, client);
  if (client != NULL)
    build_tree (self);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

void
dsl_item_tree_set_connecting (DslItemTree *self,
                              gboolean     connecting)
{
  g_return_if_fail (DSL_IS_ITEM_TREE (self));

  if (self->client != NULL || self->connecting == !!connecting)
    return;
  self->connecting = !!connecting;
  update_state (self);
}

DslClient *
dsl_item_tree_get_client (DslItemTree *self)
{
  g_return_val_if_fail (DSL_IS_ITEM_TREE (self), NULL);
  return self->client;
}

DslItem *
dsl_item_tree_get_selected_item (DslItemTree *self)
{
  g_return_val_if_fail (DSL_IS_ITEM_TREE (self), NULL);
  return self->selected_item;
}

const char *
dsl_item_tree_get_selected_location (DslItemTree *self)
{
  g_return_val_if_fail (DSL_IS_ITEM_TREE (self), NULL);
  return self->selected_location;
}

/* --- search --- */

static void
apply_filter (DslItemTree *self,
              const char  *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));
  const char *filter = *stripped != '\0' ? stripped : NULL;

  if (g_strcmp0 (filter, self->filter) == 0)
    return;
  g_free (self->filter);
  self->filter = g_strdup (filter);
  if (self->client == NULL)
    return;

  g_debug ("filter: %s", filter != NULL ? filter : "(none)");
  /* set_filter cancels what is in flight and loads page 0 of the new query. */
  for (guint i = 0; i < 2; i++)
    {
      DslTreeNode *node = i == 0 ? self->rooms_node : self->my_node;
      g_autoptr(GtkTreeListRow) row = NULL;

      dsl_folder_model_set_filter (dsl_tree_node_get_model (node), self->filter);
      /* Keep the roots open so the matches show (by position in `roots`). */
      row = gtk_tree_list_model_get_child_row (self->tree_model, i);
      if (row != NULL)
        gtk_tree_list_row_set_expanded (row, TRUE);
    }
  update_state (self);
}

static gboolean
on_search_timeout (gpointer user_data)
{
  DslItemTree *self = user_data;

  self->search_timeout_id = 0;
  apply_filter (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  return G_SOURCE_REMOVE;
}

static void
on_search_changed (DslItemTree *self)
{
  g_clear_handle_id (&self->search_timeout_id, g_source_remove);
  self->search_timeout_id = g_timeout_add (SEARCH_DELAY_MS, on_search_timeout, self);
}

static void
on_search_mode_changed (DslItemTree *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    return;
  /* Closing the search (Escape) shows the whole tree again. */
  g_clear_handle_id (&self->search_timeout_id, g_source_remove);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_clear_handle_id (&self->search_timeout_id, g_source_remove);
  apply_filter (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* --- keyboard --- */

gboolean
dsl_item_tree_focus_selected (DslItemTree *self)
{
  GtkTreeListRow *row;

  g_return_val_if_fail (DSL_IS_ITEM_TREE (self), FALSE);

  row = self->selection != NULL ? gtk_single_selection_get_selected_item (self->selection) : NULL;
  if (row != NULL)
    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      {
        GtkWidget *expander = gtk_widget_get_first_child (child);

        if (expander != NULL && GTK_IS_TREE_EXPANDER (expander) &&
            gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (expander)) == row &&
            gtk_widget_grab_focus (child))
          return TRUE;
      }
  /* Not "the first focusable widget of the tree": that is its search entry on GTK 4.18. */
  return gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* The row holding the keyboard focus, else the selected one. */
static GtkTreeListRow *
dup_current_row (DslItemTree *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkTreeListRow *row;

  for (GtkWidget *widget = focus; widget != NULL; widget = gtk_widget_get_parent (widget))
    {
      GtkWidget *child;

      if (widget == GTK_WIDGET (self->list_view))
        break;
      if (GTK_IS_TREE_EXPANDER (widget))
        {
          row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (widget));
          return row != NULL ? g_object_ref (row) : NULL;
        }
      child = gtk_widget_get_first_child (widget);
      if (gtk_widget_get_parent (widget) == GTK_WIDGET (self->list_view) &&
          child != NULL && GTK_IS_TREE_EXPANDER (child))
        {
          row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (child));
          return row != NULL ? g_object_ref (row) : NULL;
        }
    }

  if (self->selection == NULL)
    return NULL;
  row = gtk_single_selection_get_selected_item (self->selection);
  return row != NULL ? g_object_ref (row) : NULL;
}

static void
set_row_expanded (DslItemTree    *self,
                  GtkTreeListRow *row,
                  gboolean        expanded)
{
  g_autoptr(GObject) item = NULL;
  DslTreeNode *node;

  gtk_tree_list_row_set_expanded (row, expanded);
  if (!expanded)
    return;
  item = gtk_tree_list_row_get_item (row);
  node = lookup_node (self, item);
  if (node != NULL)
    dsl_tree_node_activate (node);
}

static void
focus_row (DslItemTree    *self,
           GtkTreeListRow *row)
{
  select_row (self, row);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *expander = gtk_widget_get_first_child (child);

      if (expander != NULL && GTK_IS_TREE_EXPANDER (expander) &&
          gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (expander)) == row)
        {
          gtk_widget_grab_focus (child);
          break;
        }
    }
}

/* tree.expand-row (Right, Shift+Right, +): expands the focused (else selected) folder. */
static void
expand_row_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DslItemTree *self = DSL_ITEM_TREE (widget);
  g_autoptr(GtkTreeListRow) row = dup_current_row (self);

  if (row != NULL && gtk_tree_list_row_is_expandable (row))
    set_row_expanded (self, row, TRUE);
}

/* tree.collapse-row (Left, -): collapses the focused (else selected) folder; on a collapsed
 * folder or a file, moves to the folder above. */
static void
collapse_row_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DslItemTree *self = DSL_ITEM_TREE (widget);
  g_autoptr(GtkTreeListRow) row = dup_current_row (self);
  g_autoptr(GtkTreeListRow) parent = NULL;

  if (row == NULL)
    return;
  if (gtk_tree_list_row_get_expanded (row))
    {
      set_row_expanded (self, row, FALSE);
      return;
    }
  parent = gtk_tree_list_row_get_parent (row);
  if (parent != NULL)
    focus_row (self, parent);
}

static void
on_list_activate (DslItemTree *self,
                  guint        position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                         position);
  g_autoptr(GObject) item = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

  if (row != NULL && gtk_tree_list_row_is_expandable (row))
    set_row_expanded (self, row, !gtk_tree_list_row_get_expanded (row));
  if (DSL_IS_ITEM (item))
    {
      /* Enter and double clicks come to a selected row; an activation from elsewhere (the
       * accessibility bus) may not. */
      gtk_single_selection_set_selected (self->selection, position);
      g_signal_emit (self, signals[ITEM_ACTIVATED], 0, item);
    }
}

static void
add_shortcuts (DslItemTree *self)
{
  static const struct {
    guint           keyval;
    GdkModifierType modifiers;
    const char     *action;
  } keys[] = {
    { GDK_KEY_Right, 0, "tree.expand-row" },
    { GDK_KEY_Right, GDK_SHIFT_MASK, "tree.expand-row" },
    { GDK_KEY_KP_Right, 0, "tree.expand-row" },
    { GDK_KEY_plus, 0, "tree.expand-row" },
    { GDK_KEY_KP_Add, 0, "tree.expand-row" },
    { GDK_KEY_Left, 0, "tree.collapse-row" },
    { GDK_KEY_Left, GDK_SHIFT_MASK, "tree.collapse-row" },
    { GDK_KEY_KP_Left, 0, "tree.collapse-row" },
    { GDK_KEY_minus, 0, "tree.collapse-row" },
    { GDK_KEY_KP_Subtract, 0, "tree.collapse-row" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  /* GtkTreeExpander in GTK 4.8 binds only +, -, * and only when it has the focus, which the
   * list item above it keeps; GtkListView does nothing with Left/Right in a vertical list.
   * So the keys are taken on the way down to the focused row. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (
                                                              keys[i].keyval,
                                                              keys[i].modifiers),
                                                            gtk_named_action_new (
                                                              keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), controller);
}

/* --- public API --- */

GtkWidget *
dsl_item_tree_new (void)
{
  return g_object_new (DSL_TYPE_ITEM_TREE, NULL);
}

void
dsl_item_tree_refresh (DslItemTree *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DSL_IS_ITEM_TREE (self));

  if (self->client == NULL)
    return;

  /* The same DslItem objects come back (updated in place): rows, expansion and selection
   * built on them stay. Collapsed folders are re-read when next expanded. */
  g_hash_table_iter_init (&iter, self->nodes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    dsl_tree_node_refresh (value);
  update_state (self);
}

void
dsl_item_tree_focus_search (DslItemTree *self)
{
  g_return_if_fail (DSL_IS_ITEM_TREE (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

char *
dsl_item_tree_dup_selected_path (DslItemTree *self)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GtkTreeListRow) row = NULL;
  GString *path;
  GtkTreeListRow *selected;

  g_return_val_if_fail (DSL_IS_ITEM_TREE (self), NULL);

  if (self->selection == NULL || self->selected_item == NULL)
    return NULL;
  selected = gtk_single_selection_get_selected_item (self->selection);
  if (selected == NULL)
    return NULL;

  ids = g_ptr_array_new_with_free_func (g_free);
  row = g_object_ref (selected);
  while (row != NULL)
    {
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);
      GtkTreeListRow *parent;

      if (!DSL_IS_ITEM (item))
        return NULL;
      g_ptr_array_add (ids, g_strdup (dsl_item_get_id (DSL_ITEM (item))));
      parent = gtk_tree_list_row_get_parent (row);
      g_object_unref (row);
      row = parent;
    }

  path = g_string_new (NULL);
  for (guint i = ids->len; i > 0; i--)
    {
      if (path->len > 0)
        g_string_append_c (path, '/');
      g_string_append (path, g_ptr_array_index (ids, i - 1));
    }
  return g_string_free (path, FALSE);
}

void
dsl_item_tree_restore_selection (DslItemTree *self,
                                 const char  *path)
{
  g_auto(GStrv) ids = NULL;

  g_return_if_fail (DSL_IS_ITEM_TREE (self));

  restore_cancel (self);
  if (path == NULL || *path == '\0' || self->tree_model == NULL)
    return;

  ids = g_strsplit (path, "/", -1);
  for (guint i = 0; ids[i] != NULL; i++)
    if (*ids[i] == '\0')
      return;

  self->restore = g_new0 (Restore, 1);
  self->restore->n_ids = g_strv_length (ids);
  self->restore->ids = g_steal_pointer (&ids);
  restore_step (self);
}

/* --- GObject --- */

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DslItemTree *self = DSL_ITEM_TREE (widget);

  if (self->rooms_node != NULL)
    dsl_tree_node_retry (self->rooms_node);
  if (self->my_node != NULL)
    dsl_tree_node_retry (self->my_node);
  update_state (self);
}

static void
dsl_item_tree_dispose (GObject *object)
{
  DslItemTree *self = (DslItemTree *) object;

  g_clear_handle_id (&self->search_timeout_id, g_source_remove);
  if (self->list_view != NULL)
    clear_tree (self);
  cancel_flush (self);
  g_clear_object (&self->client);
  g_clear_object (&self->selected_item);
  g_clear_pointer (&self->nodes, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_ITEM_TREE);

  G_OBJECT_CLASS (dsl_item_tree_parent_class)->dispose (object);
}

static void
dsl_item_tree_unmap (GtkWidget *widget)
{
  DslItemTree *self = DSL_ITEM_TREE (widget);

  GTK_WIDGET_CLASS (dsl_item_tree_parent_class)->unmap (widget);

  /* No more frames: what is pending goes in at once. */
  if (self->flush_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->flush_tick_id);
      self->flush_tick_id = 0;
      if (self->flush_idle_id == 0)
        self->flush_idle_id = g_idle_add (flush_idle, self);
    }
}

static void
dsl_item_tree_finalize (GObject *object)
{
  DslItemTree *self = (DslItemTree *) object;

  g_clear_pointer (&self->loading_rows, g_ptr_array_unref);
  g_free (self->selected_location);
  g_free (self->filter);

  G_OBJECT_CLASS (dsl_item_tree_parent_class)->finalize (object);
}

static void
dsl_item_tree_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DslItemTree *self = DSL_ITEM_TREE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SELECTED_ITEM:
      g_value_set_object (value, self->selected_item);
      break;
    case PROP_SELECTED_LOCATION:
      g_value_set_string (value, self->selected_location);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_item_tree_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DslItemTree *self = DSL_ITEM_TREE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      dsl_item_tree_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_item_tree_class_init (DslItemTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_item_tree_dispose;
  object_class->finalize = dsl_item_tree_finalize;
  widget_class->unmap = dsl_item_tree_unmap;
  object_class->get_property = dsl_item_tree_get_property;
  object_class->set_property = dsl_item_tree_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DSL_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_ITEM] =
    g_param_spec_object ("selected-item", NULL, NULL, DSL_TYPE_ITEM,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_LOCATION] =
    g_param_spec_string ("selected-location", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DslItemTree::item-activated:
   * @item: the DslItem of the row
   *
   * The person clicked a row's title, or activated a row (Enter, double click; a folder is
   * also expanded or collapsed then). The row is selected by then.
   */
  signals[ITEM_ACTIVATED] =
    g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DSL_TYPE_ITEM);

  g_type_ensure (DSL_TYPE_ITEM_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-item-tree.ui");
  gtk_widget_class_bind_template_child (widget_class, DslItemTree, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DslItemTree, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DslItemTree, stack);
  gtk_widget_class_bind_template_child (widget_class, DslItemTree, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, DslItemTree, error_page);
  gtk_widget_class_bind_template_child (widget_class, DslItemTree, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DslItemTree, scrolled);
  gtk_widget_class_bind_template_child (widget_class, DslItemTree, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);

  gtk_widget_class_install_action (widget_class, "tree.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "tree.expand-row", NULL, expand_row_action);
  gtk_widget_class_install_action (widget_class, "tree.collapse-row", NULL,
                                   collapse_row_action);
  gtk_widget_class_set_css_name (widget_class, "dsl-item-tree");
}

static void
dsl_item_tree_init (DslItemTree *self)
{
  GtkListItemFactory *factory;
  GtkAdjustment *vadjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->loading_rows = g_ptr_array_new ();

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (factory_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (factory_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (factory_unbind), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);
  g_signal_connect_object (vadjustment, "value-changed", G_CALLBACK (on_scrolled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (vadjustment, "changed", G_CALLBACK (on_scrolled), self,
                           G_CONNECT_SWAPPED);
  add_shortcuts (self);
  update_state (self);
}

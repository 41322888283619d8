/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-paced-list.c: a list model showing its source's first items, growing a few per frame.
 *
 *   source (GListModel) ──▶ DslPacedList: always source[0, shown) ──▶ filter, sort, view
 *                                 ▲
 *       tick callback of a widget: shown += per_frame while the source has more
 *
 * A list view builds a row widget for every item that lands in view. When a burst of items
 * arrives in one turn of the main loop (the link checkup's first answers: 8 requests sent
 * together come back together), building a screenful of rows at once holds one frame for tens of
 * milliseconds. Shown a few per frame instead, the same rows cost a little in each of several
 * frames. Changes inside the shown part (a row replaced or removed) pass through at once;
 * dsl_paced_list_flush shows everything (the caller's "done"). Without a widget the list grows
 * only through dsl_paced_list_grow and _flush. */
#define G_LOG_DOMAIN "dsl-paced-list"

#include "config.h"

#include "dsl-paced-list.h"

struct _DslPacedList
{
  GObject     parent_instance;

  GListModel *source;
  guint       shown;
  guint       per_frame;
  GtkWidget  *widget;     /* weak */
  guint       tick_id;
};

static void dsl_paced_list_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DslPacedList, dsl_paced_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      dsl_paced_list_list_model_init))

static GType
dsl_paced_list_get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (DSL_PACED_LIST (model)->source);
}

static guint
dsl_paced_list_get_n_items (GListModel *model)
{
  return DSL_PACED_LIST (model)->shown;
}

static gpointer
dsl_paced_list_get_item (GListModel *model,
                         guint       position)
{
  DslPacedList *self = DSL_PACED_LIST (model);

  if (position >= self->shown)
    return NULL;
  return g_list_model_get_item (self->source, position);
}

static void
dsl_paced_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dsl_paced_list_get_item_type;
  iface->get_n_items = dsl_paced_list_get_n_items;
  iface->get_item = dsl_paced_list_get_item;
}

static void
stop_ticking (DslPacedList *self)
{
  if (self->tick_id != 0 && self->widget != NULL)
    gtk_widget_remove_tick_callback (self->widget, self->tick_id);
  self->tick_id = 0;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  DslPacedList *self = user_data;

  dsl_paced_list_grow (self, self->per_frame);
  if (dsl_paced_list_get_pending (self) > 0)
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
start_ticking (DslPacedList *self)
{
  if (self->tick_id == 0 && self->widget != NULL && dsl_paced_list_get_pending (self) > 0)
    self->tick_id = gtk_widget_add_tick_callback (self->widget, on_tick, self, NULL);
}

/* source[0, shown) stays what is shown: a change at `position` inside it is passed on at once
 * with every item it adds; one past it waits for its turn. */
static void
on_source_changed (DslPacedList *self,
                   guint         position,
                   guint         removed,
                   guint         added)
{
  if (position < self->shown)
    {
      guint gone = MIN (removed, self->shown - position);

      self->shown = self->shown - gone + added;
      g_list_model_items_changed (G_LIST_MODEL (self), position, gone, added);
    }
  start_ticking (self);
}

static void
dsl_paced_list_dispose (GObject *object)
{
  DslPacedList *self = DSL_PACED_LIST (object);

  dsl_paced_list_set_widget (self, NULL);
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  G_OBJECT_CLASS (dsl_paced_list_parent_class)->dispose (object);
}

static void
dsl_paced_list_class_init (DslPacedListClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dsl_paced_list_dispose;
}

static void
dsl_paced_list_init (DslPacedList *self)
{
}

/* Shows nothing of `source` until a frame, _grow or _flush: what it holds already comes in
 * `per_frame` at a time like the rest (the caller flushes when it has all of it). */
DslPacedList *
dsl_paced_list_new (GListModel *source,
                    guint       per_frame)
{
  DslPacedList *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);
  g_return_val_if_fail (per_frame > 0, NULL);

  self = g_object_new (DSL_TYPE_PACED_LIST, NULL);
  self->source = g_object_ref (source);
  self->per_frame = per_frame;
  g_signal_connect_object (source, "items-changed", G_CALLBACK (on_source_changed), self,
                           G_CONNECT_SWAPPED);
  return self;
}

/* The widget whose frames pace the list (NULL: none). */
void
dsl_paced_list_set_widget (DslPacedList *self,
                           GtkWidget    *widget)
{
  g_return_if_fail (DSL_IS_PACED_LIST (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  if (self->widget == widget)
    return;
  stop_ticking (self);
  if (self->widget != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
  self->widget = widget;
  if (widget != NULL)
    g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);
  start_ticking (self);
}

/* Items of the source not shown yet. */
guint
dsl_paced_list_get_pending (DslPacedList *self)
{
  g_return_val_if_fail (DSL_IS_PACED_LIST (self), 0);
  return g_list_model_get_n_items (self->source) - self->shown;
}

/* Shows up to `n` more items. */
void
dsl_paced_list_grow (DslPacedList *self,
                     guint         n)
{
  guint position;

  g_return_if_fail (DSL_IS_PACED_LIST (self));

  n = MIN (n, dsl_paced_list_get_pending (self));
  if (n == 0)
    return;
  position = self->shown;
  self->shown += n;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, n);
}

/* Shows everything the source holds now. */
void
dsl_paced_list_flush (DslPacedList *self)
{
  g_return_if_fail (DSL_IS_PACED_LIST (self));

  stop_ticking (self);
  dsl_paced_list_grow (self, dsl_paced_list_get_pending (self));
}

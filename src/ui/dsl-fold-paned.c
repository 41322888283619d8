/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-fold-paned.c: a GtkPaned that shows only one of its children below a width.
 *
 *   DslFoldPaned ──▶ GtkPaned ──▶ start child, end child
 *
 *   width >= fold-threshold: the paned as it is (both children, the handle, the position)
 *   width <  fold-threshold: "folded": one child visible ("show-end-child" says which), so the
 *                            paned gives it the whole width and hides its handle
 *
 * Why not AdwLeaflet (libadwaita 1.2's folding container): it has no resizable divider, and the
 * window's divider position is a setting people expect to keep. AdwBreakpoint and the split views
 * are libadwaita 1.4. So this wraps the GtkPaned and decides in size_allocate, with the width
 * it is given:
 *
 *   measure:  the minimum width is the folded one (the wider child's minimum), so the window
 *             can be made as narrow as one pane, whatever the state; the natural width is the
 *             paned's. Heights for a width the unfolded paned cannot take are the folded ones.
 *   allocate: (un)folds by showing or hiding the paned's children, measures the paned again
 *             and allocates it. Hiding a child queues a resize during allocation; GDK's frame
 *             clock runs the layout phase again in the same frame, which then changes nothing.
 *
 * The threshold should be above the unfolded paned's minimum width (both children's minimums
 * and the handle). Should a child ask for more (longer words in a translation), the paned also
 * folds below that minimum, as last measured unfolded: it never gets less than it needs. */
#define G_LOG_DOMAIN "dsl-fold-paned"

#include "config.h"

#include "dsl-fold-paned.h"

#define DEFAULT_THRESHOLD 600

struct _DslFoldPaned
{
  GtkWidget  parent_instance;

  /* owned (the only child) */
  GtkPaned  *child;

  /* plain values */
  int        unfolded_min;     /* the paned's minimum width when it was last unfolded */
  int        fold_threshold;
  gboolean   folded;
  gboolean   show_end_child;
};

G_DEFINE_FINAL_TYPE (DslFoldPaned, dsl_fold_paned, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHILD,
  PROP_FOLD_THRESHOLD,
  PROP_FOLDED,
  PROP_SHOW_END_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Shows both children unfolded, or the one chosen when folded. */
static void
update_children (DslFoldPaned *self)
{
  GtkWidget *start, *end;

  if (self->child == NULL)
    return;

  start = gtk_paned_get_start_child (self->child);
  end = gtk_paned_get_end_child (self->child);
  if (start != NULL)
    gtk_widget_set_visible (start, !self->folded || !self->show_end_child);
  if (end != NULL)
    gtk_widget_set_visible (end, !self->folded || self->show_end_child);
}

static void
measure_children (DslFoldPaned   *self,
                  GtkOrientation  orientation,
                  int             for_size,
                  int            *minimum,
                  int            *natural)
{
  GtkWidget *children[2] = { gtk_paned_get_start_child (self->child),
                             gtk_paned_get_end_child (self->child) };

  *minimum = *natural = 0;
  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    {
      int child_min = 0, child_nat = 0;

      if (children[i] == NULL || !gtk_widget_get_visible (children[i]))
        continue;
      gtk_widget_measure (children[i], orientation, for_size, &child_min, &child_nat,
                          NULL, NULL);
      *minimum = MAX (*minimum, child_min);
      *natural = MAX (*natural, child_nat);
    }
}

static void
dsl_fold_paned_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  DslFoldPaned *self = DSL_FOLD_PANED (widget);
  int paned_min = 0, paned_nat = 0;

  *minimum = *natural = 0;
  if (self->child == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->child)))
    return;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int folded_min, folded_nat;

      /* Folded, the paned's minimum is already one child's; unfolded, the wider of the two. */
      gtk_widget_measure (GTK_WIDGET (self->child), orientation, for_size,
                          &paned_min, &paned_nat, NULL, NULL);
      measure_children (self, orientation, for_size, &folded_min, &folded_nat);
      *minimum = MIN (paned_min, folded_min);
      *natural = paned_nat;
      return;
    }

  if (!self->folded && for_size >= 0)
    {
      int width_min;

      gtk_widget_measure (GTK_WIDGET (self->child), GTK_ORIENTATION_HORIZONTAL, -1,
                          &width_min, NULL, NULL, NULL);
      if (for_size < width_min)
        {
          /* A width the unfolded paned cannot take: it will fold at that width. */
          measure_children (self, orientation, for_size, minimum, natural);
          return;
        }
    }
  gtk_widget_measure (GTK_WIDGET (self->child), orientation, for_size,
                      minimum, natural, NULL, NULL);
}

static void
dsl_fold_paned_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  DslFoldPaned *self = DSL_FOLD_PANED (widget);
  gboolean folded = width < self->fold_threshold;
  int min, nat;

  if (self->child == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->child)))
    return;

  if (!folded && !self->folded)
    {
      gtk_widget_measure (GTK_WIDGET (self->child), GTK_ORIENTATION_HORIZONTAL, -1,
                          &self->unfolded_min, NULL, NULL, NULL);
      folded = width < self->unfolded_min;
    }
  else if (!folded)
    {
      folded = width < self->unfolded_min;
    }

  if (folded != self->folded)
    {
      self->folded = folded;
      update_children (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
    }

  /* The paned's children may have changed: it is measured before it is given a size. */
  gtk_widget_measure (GTK_WIDGET (self->child), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min, &nat, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self->child), GTK_ORIENTATION_VERTICAL, MAX (width, min),
                      &min, &nat, NULL, NULL);
  gtk_widget_allocate (GTK_WIDGET (self->child), width, height, baseline, NULL);
}

static GtkSizeRequestMode
dsl_fold_paned_get_request_mode (GtkWidget *widget)
{
  DslFoldPaned *self = DSL_FOLD_PANED (widget);

  return self->child != NULL ? gtk_widget_get_request_mode (GTK_WIDGET (self->child))
                             : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
dsl_fold_paned_dispose (GObject *object)
{
  DslFoldPaned *self = DSL_FOLD_PANED (object);

  if (self->child != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->child));
      self->child = NULL;
    }

  G_OBJECT_CLASS (dsl_fold_paned_parent_class)->dispose (object);
}

static void
dsl_fold_paned_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DslFoldPaned *self = DSL_FOLD_PANED (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;

    case PROP_FOLD_THRESHOLD:
      g_value_set_int (value, self->fold_threshold);
      break;

    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;

    case PROP_SHOW_END_CHILD:
      g_value_set_boolean (value, self->show_end_child);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_fold_paned_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DslFoldPaned *self = DSL_FOLD_PANED (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      dsl_fold_paned_set_child (self, g_value_get_object (value));
      break;

    case PROP_FOLD_THRESHOLD:
      dsl_fold_paned_set_fold_threshold (self, g_value_get_int (value));
      break;

    case PROP_SHOW_END_CHILD:
      dsl_fold_paned_set_show_end_child (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_fold_paned_class_init (DslFoldPanedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_fold_paned_dispose;
  object_class->get_property = dsl_fold_paned_get_property;
  object_class->set_property = dsl_fold_paned_set_property;

  widget_class->measure = dsl_fold_paned_measure;
  widget_class->size_allocate = dsl_fold_paned_size_allocate;
  widget_class->get_request_mode = dsl_fold_paned_get_request_mode;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_PANED,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLD_THRESHOLD] =
    g_param_spec_int ("fold-threshold", NULL, NULL, 0, G_MAXINT, DEFAULT_THRESHOLD,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_END_CHILD] =
    g_param_spec_boolean ("show-end-child", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dsl_fold_paned_init (DslFoldPaned *self)
{
  self->fold_threshold = DEFAULT_THRESHOLD;
}

GtkWidget *
dsl_fold_paned_new (void)
{
  return g_object_new (DSL_TYPE_FOLD_PANED, NULL);
}

GtkPaned *
dsl_fold_paned_get_child (DslFoldPaned *self)
{
  g_return_val_if_fail (DSL_IS_FOLD_PANED (self), NULL);

  return self->child;
}

void
dsl_fold_paned_set_child (DslFoldPaned *self,
                          GtkPaned     *child)
{
  g_return_if_fail (DSL_IS_FOLD_PANED (self));
  g_return_if_fail (child == NULL || GTK_IS_PANED (child));

  if (self->child == child)
    return;

  if (self->child != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->child));
  self->child = child;
  if (child != NULL)
    {
      gtk_widget_set_parent (GTK_WIDGET (child), GTK_WIDGET (self));
      update_children (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

int
dsl_fold_paned_get_fold_threshold (DslFoldPaned *self)
{
  g_return_val_if_fail (DSL_IS_FOLD_PANED (self), 0);

  return self->fold_threshold;
}

void
dsl_fold_paned_set_fold_threshold (DslFoldPaned *self,
                                   int           threshold)
{
  g_return_if_fail (DSL_IS_FOLD_PANED (self));

  if (self->fold_threshold == threshold)
    return;

  self->fold_threshold = threshold;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLD_THRESHOLD]);
}

gboolean
dsl_fold_paned_get_folded (DslFoldPaned *self)
{
  g_return_val_if_fail (DSL_IS_FOLD_PANED (self), FALSE);

  return self->folded;
}

gboolean
dsl_fold_paned_get_show_end_child (DslFoldPaned *self)
{
  g_return_val_if_fail (DSL_IS_FOLD_PANED (self), FALSE);

  return self->show_end_child;
}

void
dsl_fold_paned_set_show_end_child (DslFoldPaned *self,
                                   gboolean      show_end_child)
{
  g_return_if_fail (DSL_IS_FOLD_PANED (self));

  show_end_child = !!show_end_child;
  if (self->show_end_child == show_end_child)
    return;

  self->show_end_child = show_end_child;
  update_children (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_END_CHILD]);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-frame-stats.c: frame timing for build-aux/bench.py, only when DSL_FRAME_STATS=<path>.
 *
 *   window "realize" ─► GdkFrameClock "after-paint" ─► one record per frame:
 *                         [painted at, frame clock time, rows in the first mapped GtkListView,
 *                          link rows (DslLinkRow) mapped in the sidebar]
 *   SIGUSR1 / window "unrealize" ─► JSON written to <path> (atomically, g_file_set_contents)
 *   SIGUSR2 ─► toggles a tick callback: the window paints every frame while it is on
 *   a second window (the link checkup) ─► its own file, <path>.DslCheckupWindow; it paints
 *                                         every frame from the start when the first one does
 *   the fifth value of a frame: 1 while a GtkProgressBar is mapped (a checkup running); the
 *   sixth: the main thread's CPU time (µs), to tell work on the thread from waiting for a core;
 *   the seventh (Find Link dialog only, <path>.DslFindLinkDialog): 1 while its GtkStack shows
 *   the "result" page, else 0 (-1 for other windows)
 *
 * "first_main_frame_us": the first frame painted with the signed-in main view visible, i.e. a
 * DslItemTree mapped (looked up by type name, so this file links without the app: it is also
 * compiled into tests/bench/minimal-window.c, where there is none). "first_list_frame_us": the
 * first with the tree's GtkListView mapped (the tree shows its loading page until the first
 * rows arrive), "first_rows_frame_us": the first with rows in it.
 * Nothing here has user-visible strings. */

#define G_LOG_DOMAIN "dsl-frame-stats"

#include <glib-unix.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "dsl-frame-stats.h"

typedef struct
{
  gint64 painted;     /* g_get_monotonic_time () at after-paint */
  gint64 frame_time;  /* gdk_frame_clock_get_frame_time (): when the frame started */
  int    n_rows;      /* rows in the list view's model, -1 without one */
  int    n_links;     /* DslLinkRow widgets mapped, -1 outside the app */
  int    progress;    /* 1 while a GtkProgressBar is mapped (the checkup scanning), else 0 */
  gint64 cpu;         /* CPU time of the main thread (CLOCK_THREAD_CPUTIME_ID, µs): a long
                         interval with little CPU in it is the thread waiting for a core */
  int    result;      /* Find Link: 1 while the "result" page is shown; -1 elsewhere */
} Frame;

typedef struct
{
  /* owned */
  char   *path;
  GArray *frames;     /* Frame */
  GArray *ticking;    /* gint64 pairs: [on, off] (off = 0 while on) */
  guint   usr1_id;
  guint   usr2_id;

  /* borrowed (weak) */
  GtkWidget     *window;
  GtkWidget     *list;
  GtkWidget     *progress;    /* the first GtkProgressBar found mapped */
  GtkWidget     *stack;       /* Find Link: its GtkStack */
  gboolean       find_link;   /* the window is a DslFindLinkDialog */
  GType          main_type;   /* DslItemTree, 0 outside the app */
  GType          link_type;   /* DslLinkRow, 0 outside the app */
  GdkFrameClock *clock;
  gulong         after_paint_id;
  guint          tick_id;

  gint64 attached;
  gint64 first_frame;
  gint64 first_main_frame;
  gint64 first_list_frame;
  gint64 first_rows_frame;
} FrameStats;

/* The first mapped widget of `type` at or below `widget` (depth first). */
static GtkWidget *
find_mapped (GtkWidget *widget,
             GType      type)
{
  GtkWidget *child;

  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_mapped (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Mapped widgets of `type` at or below `widget`. */
static int
count_mapped (GtkWidget *widget,
              GType      type)
{
  int n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return 1;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      /* The tree's rows never hold links: skip the list view's thousands of widgets. */
      if (!GTK_IS_LIST_VIEW (child))
        n += count_mapped (child, type);
    }
  return n;
}

static void
append_time (GString    *out,
             const char *name,
             gint64      value)
{
  if (value > 0)
    g_string_append_printf (out, "  \"%s\": %" G_GINT64_FORMAT ",\n", name, value);
  else
    g_string_append_printf (out, "  \"%s\": null,\n", name);
}

static void
frame_stats_write (FrameStats *stats)
{
  g_autoptr(GString) out = g_string_new ("{\n");
  g_autoptr(GError) error = NULL;
  const char *renderer = "none";

  if (stats->window != NULL && gtk_native_get_renderer (GTK_NATIVE (stats->window)) != NULL)
    renderer = G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (stats->window)));

  g_string_append_printf (out, "  \"pid\": %d,\n", (int) getpid ());
  g_string_append_printf (out, "  \"renderer\": \"%s\",\n", renderer);
  g_string_append (out, "  \"clock\": \"CLOCK_MONOTONIC, microseconds\",\n");
  g_string_append_printf (out, "  \"written_us\": %" G_GINT64_FORMAT ",\n", g_get_monotonic_time ());
  append_time (out, "attached_us", stats->attached);
  append_time (out, "first_frame_us", stats->first_frame);
  append_time (out, "first_main_frame_us", stats->first_main_frame);
  append_time (out, "first_list_frame_us", stats->first_list_frame);
  append_time (out, "first_rows_frame_us", stats->first_rows_frame);

  g_string_append (out, "  \"ticking\": [");
  for (guint i = 0; i + 1 < stats->ticking->len; i += 2)
    g_string_append_printf (out, "%s[%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                            i > 0 ? ", " : "",
                            g_array_index (stats->ticking, gint64, i),
                            g_array_index (stats->ticking, gint64, i + 1));
  g_string_append (out, "],\n");

  g_string_append (out, "  \"frames\": [");
  for (guint i = 0; i < stats->frames->len; i++)
    {
      const Frame *f = &g_array_index (stats->frames, Frame, i);

      g_string_append_printf (out, "%s\n    [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %d, %d, %d, %"
                              G_GINT64_FORMAT ", %d]",
                              i > 0 ? "," : "", f->painted, f->frame_time, f->n_rows,
                              f->n_links, f->progress, f->cpu, f->result);
    }
  g_string_append (out, "\n  ]\n}\n");

  if (!g_file_set_contents (stats->path, out->str, (gssize) out->len, &error))
    g_warning ("Could not write the frame statistics: %s", error->message);
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return -1;
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
on_after_paint (GdkFrameClock *clock,
                FrameStats    *stats)
{
  Frame frame = { g_get_monotonic_time (), gdk_frame_clock_get_frame_time (clock), -1, -1, 0,
                  thread_cpu_us (), -1 };

  if (stats->find_link && stats->window != NULL)
    {
      if (stats->stack == NULL)
        {
          stats->stack = find_mapped (stats->window, GTK_TYPE_STACK);
          if (stats->stack != NULL)
            g_object_add_weak_pointer (G_OBJECT (stats->stack), (gpointer *) &stats->stack);
        }
      frame.result = stats->stack != NULL &&
                     g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stats->stack)),
                                "result") == 0;
    }

  if (stats->first_frame == 0)
    stats->first_frame = frame.painted;

  if (stats->main_type == 0)
    stats->main_type = g_type_from_name ("DslItemTree");
  if (stats->first_main_frame == 0 && stats->main_type != 0 && stats->window != NULL &&
      find_mapped (stats->window, stats->main_type) != NULL)
    stats->first_main_frame = frame.painted;

  if (stats->link_type == 0)
    stats->link_type = g_type_from_name ("DslLinkRow");
  if (stats->link_type != 0 && stats->window != NULL)
    frame.n_links = count_mapped (stats->window, stats->link_type);

  /* Looked up until found, then only asked whether it is mapped (the walk costs frames). */
  if (stats->progress == NULL && stats->window != NULL)
    {
      stats->progress = find_mapped (stats->window, GTK_TYPE_PROGRESS_BAR);
      if (stats->progress != NULL)
        g_object_add_weak_pointer (G_OBJECT (stats->progress), (gpointer *) &stats->progress);
    }
  frame.progress = stats->progress != NULL && gtk_widget_get_mapped (stats->progress);

  if (stats->list == NULL && stats->window != NULL)
    {
      stats->list = find_mapped (stats->window, GTK_TYPE_LIST_VIEW);
      if (stats->list != NULL)
        g_object_add_weak_pointer (G_OBJECT (stats->list), (gpointer *) &stats->list);
    }

  if (stats->list != NULL)
    {
      GtkSelectionModel *model = gtk_list_view_get_model (GTK_LIST_VIEW (stats->list));

      frame.n_rows = model != NULL ? (int) g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
      if (stats->first_list_frame == 0 && gtk_widget_get_mapped (stats->list))
        stats->first_list_frame = frame.painted;
      if (stats->first_rows_frame == 0 && frame.n_rows > 0)
        stats->first_rows_frame = frame.painted;
    }

  g_array_append_val (stats->frames, frame);
}

static gboolean
keep_ticking (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigusr1 (gpointer user_data)
{
  frame_stats_write (user_data);
  return G_SOURCE_CONTINUE;
}

/* How many windows paint continuously now: a window attached meanwhile (the link checkup)
 * joins in, so one SIGUSR2 still switches every window on or off together. */
static guint n_ticking;

static void
start_ticking (FrameStats *stats)
{
  gint64 now = g_get_monotonic_time ();
  gint64 zero = 0;

  stats->tick_id = gtk_widget_add_tick_callback (stats->window, keep_ticking, NULL, NULL);
  g_array_append_val (stats->ticking, now);
  g_array_append_val (stats->ticking, zero);
  n_ticking++;
}

static void
stop_ticking (FrameStats *stats)
{
  if (stats->window != NULL)
    gtk_widget_remove_tick_callback (stats->window, stats->tick_id);
  stats->tick_id = 0;
  g_array_index (stats->ticking, gint64, stats->ticking->len - 1) = g_get_monotonic_time ();
  n_ticking--;
}

static gboolean
on_sigusr2 (gpointer user_data)
{
  FrameStats *stats = user_data;

  if (stats->window == NULL)
    return G_SOURCE_CONTINUE;

  if (stats->tick_id == 0)
    start_ticking (stats);
  else
    stop_ticking (stats);

  return G_SOURCE_CONTINUE;
}

static void
on_realize (GtkWidget  *window,
            FrameStats *stats)
{
  if (stats->clock != NULL)
    return;

  stats->clock = gtk_widget_get_frame_clock (window);
  g_object_add_weak_pointer (G_OBJECT (stats->clock), (gpointer *) &stats->clock);
  stats->after_paint_id = g_signal_connect (stats->clock, "after-paint",
                                            G_CALLBACK (on_after_paint), stats);
}

static void
on_unrealize (GtkWidget  *window,
              FrameStats *stats)
{
  if (stats->clock != NULL)
    {
      g_clear_signal_handler (&stats->after_paint_id, stats->clock);
      g_object_remove_weak_pointer (G_OBJECT (stats->clock), (gpointer *) &stats->clock);
      stats->clock = NULL;
    }
  frame_stats_write (stats);
}

static void
frame_stats_free (gpointer  data,
                  GObject  *where_the_window_was)
{
  FrameStats *stats = data;

  if (stats->tick_id != 0)
    n_ticking--;
  stats->window = NULL;
  if (stats->list != NULL)
    g_object_remove_weak_pointer (G_OBJECT (stats->list), (gpointer *) &stats->list);
  if (stats->progress != NULL)
    g_object_remove_weak_pointer (G_OBJECT (stats->progress), (gpointer *) &stats->progress);
  if (stats->clock != NULL)
    {
      g_clear_signal_handler (&stats->after_paint_id, stats->clock);
      g_object_remove_weak_pointer (G_OBJECT (stats->clock), (gpointer *) &stats->clock);
    }
  g_clear_handle_id (&stats->usr1_id, g_source_remove);
  g_clear_handle_id (&stats->usr2_id, g_source_remove);
  g_clear_pointer (&stats->frames, g_array_unref);
  g_clear_pointer (&stats->ticking, g_array_unref);
  g_clear_pointer (&stats->path, g_free);
  g_free (stats);
}

void
dsl_frame_stats_attach (GtkWidget *window)
{
  const char *path = g_getenv ("DSL_FRAME_STATS");
  static guint n_attached;
  FrameStats *stats;

  g_return_if_fail (GTK_IS_WINDOW (window));

  if (path == NULL || *path == '\0')
    return;

  stats = g_new0 (FrameStats, 1);
  /* The first window (the main one) writes to <path>; any other (the link checkup) to
   * <path>.<type name>, e.g. "stats.json.DslCheckupWindow". */
  stats->path = n_attached++ == 0 ? g_strdup (path)
                                  : g_strdup_printf ("%s.%s", path, G_OBJECT_TYPE_NAME (window));
  stats->frames = g_array_sized_new (FALSE, FALSE, sizeof (Frame), 1024);
  stats->ticking = g_array_new (FALSE, FALSE, sizeof (gint64));
  stats->window = window;
  stats->find_link = g_str_equal (G_OBJECT_TYPE_NAME (window), "DslFindLinkDialog");
  stats->attached = g_get_monotonic_time ();

  g_object_weak_ref (G_OBJECT (window), frame_stats_free, stats);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), stats);
  g_signal_connect (window, "unrealize", G_CALLBACK (on_unrealize), stats);
  if (gtk_widget_get_realized (window))
    on_realize (window, stats);

  stats->usr1_id = g_unix_signal_add (SIGUSR1, on_sigusr1, stats);
  stats->usr2_id = g_unix_signal_add (SIGUSR2, on_sigusr2, stats);
  if (n_ticking > 0)
    start_ticking (stats);
}

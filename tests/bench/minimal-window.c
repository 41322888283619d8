/* SPDX-License-Identifier: GPL-3.0-or-later */
/* minimal-window.c: the reference for build-aux/bench.py's start-up figure.
 *
 * The least a libadwaita app does to show a window: an AdwApplication (non-unique, so it never
 * waits on another instance) and an AdwApplicationWindow holding an AdwHeaderBar and a label.
 * Its frames are recorded exactly as DocSpace Links records its own: the same
 * src/ui/dsl-frame-stats.c, enabled by DSL_FRAME_STATS=<path>. It has no list view, so the
 * benchmark reads "first_frame_us" here and "first_main_frame_us" in the app. Its size is the
 * app's (DSL_BENCH_SIZE=WIDTHxHEIGHT, set by the benchmark; 960x640 without it): the first
 * frame of a bigger window costs more to paint, whatever is in it. */

#include <adwaita.h>
#include <stdio.h>

#include "dsl-frame-stats.h"

static void
on_activate (GApplication *application)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (application));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("Minimal window");
  const char *size = g_getenv ("DSL_BENCH_SIZE");
  int width = 960, height = 640;

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Minimal window");
  if (size != NULL && sscanf (size, "%dx%d", &width, &height) != 2)
    g_error ("DSL_BENCH_SIZE=%s: expected WIDTHxHEIGHT", size);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);

  dsl_frame_stats_attach (window);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.dslinks.DocSpaceLinks.BenchMinimal",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}

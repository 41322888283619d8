/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-frame-stats.h: frame timing for the benchmarks (build-aux/bench.py); inert unless the
 * environment variable DSL_FRAME_STATS names a file. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* When DSL_FRAME_STATS=<path> is set: records the time of every frame `window` paints (its
 * GdkFrameClock "after-paint"), the first frame, the first with the signed-in main view (a
 * DslItemTree) mapped, the first with a GtkListView mapped and the first with rows in it, and
 * the list's row count at each frame.
 * Writes them as JSON to <path> on SIGUSR1 and when the window is unrealized. SIGUSR2 toggles a
 * tick callback that makes the window paint continuously, so a blocked main loop shows as a
 * long frame interval. Times are g_get_monotonic_time() (CLOCK_MONOTONIC, µs).
 * Without the variable it does nothing. */
void dsl_frame_stats_attach (GtkWidget *window);

G_END_DECLS

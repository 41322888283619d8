/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-test-util.h: what the ui tests (test-window, test-item-tree, test-link-panel,
 * test-link-editor) share: the display check, finding widgets, waiting on the main loop with a
 * deadline, and reading docspace-sim's request log. Each test keeps its own specific helpers. */
#pragma once

#include <gtk/gtk.h>

#include "dsl-sim-fixture.h"

G_BEGIN_DECLS

/* How long dsl_test_run_until waits before it fails (ms), times DSL_TEST_WAIT_SCALE from the
 * environment (the asan setup's 3). */
#define DSL_TEST_WAIT_MS 20000

/* A condition on a test's fixture, checked between main-loop iterations. */
typedef gboolean (*DslTestPredicate) (gpointer fixture, gconstpointer data);

gboolean    dsl_test_init_display          (void);
/* A test's own log writer: dsl_test_init_display installs one that passes every message to
 * `writer` (g_log_writer_default when unset), except one warning of libadwaita 1.6 and 1.7
 * that is not the app's (see dsl-test-util.c). Call before dsl_test_init_display. */
void        dsl_test_set_log_writer        (GLogWriterFunc writer);
gboolean    dsl_test_skip_without_display  (void);

/* Whether `widget` is the one looked for. */
typedef gboolean (*DslTestMatch) (GtkWidget *widget, gconstpointer data);

GtkWidget  *dsl_test_find_descendant       (GtkWidget     *root,
                                            DslTestMatch   match,
                                            gconstpointer  data);
GtkWidget  *dsl_test_find_widget           (GtkWidget  *root,
                                            const char *id);
GtkWidget  *dsl_test_get_widget            (GtkWidget  *root,
                                            const char *id);

/* The simulator whose last requests a timed-out dsl_test_run_until prints (borrowed). */
void        dsl_test_set_sim               (DslSim     *sim);
void        dsl_test_run_until_impl        (gpointer          fixture,
                                            DslTestPredicate  predicate,
                                            gconstpointer     data,
                                            const char       *what);
/* Iterates the main loop until `predicate (fixture, data)` holds; after DSL_TEST_WAIT_MS fails
 * with "timed out waiting for <predicate>". The predicate may take the test's own Fixture *. */
#define dsl_test_run_until(fixture, predicate, data) \
  dsl_test_run_until_impl (fixture, (DslTestPredicate) (predicate), data, #predicate)
void        dsl_test_run_for               (guint ms);
gint64      dsl_test_get_max_iteration_us  (void);
void        dsl_test_reset_max_iteration   (void);

/* The last visible toplevel of `type` (an AdwMessageDialog asking to confirm...), or NULL. */
GtkWindow  *dsl_test_find_window           (GType       type);
/* The text on `widget`'s clipboard, read as a paste would (the main loop runs meanwhile). */
char       *dsl_test_read_clipboard        (GtkWidget  *widget);

JsonObject *dsl_test_request_body          (DslSim     *sim,
                                            const char *method,
                                            const char *path);
GPtrArray  *dsl_test_request_queries       (DslSim     *sim,
                                            const char *path);

/* The visible AdwMessageDialog (the newest one when several are), or NULL. */
GtkWindow  *dsl_test_find_message_dialog   (void);
/* Drops the test's reference on `*client` and runs the main loop until requests still in
 * flight (each holds the client) are cancelled and done; fails when it stays alive. */
void        dsl_test_release_client        (GObject   **client);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-test-util.c: helpers shared by the ui tests; see dsl-test-util.h. */
#define G_LOG_DOMAIN "dsl-test-util"

#include "config.h"

#include <stdio.h>

#include <adwaita.h>

#include "dsl-test-util.h"

static gboolean have_display;
/* The longest single main-loop iteration seen by dsl_test_run_until (µs): a frame cannot start
 * while one runs, so this bounds the longest frame the person could see. */
static gint64 max_iteration_us;
/* The simulator whose request log a timeout reports (borrowed), or NULL. */
static DslSim *report_sim;

/* --- the display --- */

static GLogWriterFunc test_writer;

void
dsl_test_set_log_writer (GLogWriterFunc writer)
{
  test_writer = writer;
}

/* libadwaita 1.6 and 1.7 measure an AdwMessageDialog's one-line heading (a GtkLabel styled
 * title-2) at a width less than its own when GTK asks the dialog's width for a height, as
 * GTK 4.18 does when the dialog is shown: "Trying to measure GtkLabel 0x… for width of 100, but
 * it needs at least 134", once per dialog, whatever its heading. Fixed in libadwaita 1.8
 * (commit 34d32f5e, "alert/message-dialog: Fix warning with long heading", its issue 1025);
 * 1.2 wraps the heading and never warns. The dialog still looks and works right, so the tests
 * let exactly that warning through (said on stderr) and keep every other one fatal. */
static gboolean
is_message_dialog_heading_warning (GLogLevelFlags   level,
                                   const GLogField *fields,
                                   gsize            n_fields)
{
  const char *domain = NULL, *message = NULL;
  void *pointer = NULL;
  int for_width, needed;
  GtkWidget *root;

  if ((level & G_LOG_LEVEL_WARNING) == 0 || adw_get_major_version () != 1
      || adw_get_minor_version () < 6 || adw_get_minor_version () > 7)
    return FALSE;
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN") && fields[i].length < 0)
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
        message = fields[i].value;
    }
  if (g_strcmp0 (domain, "Gtk") != 0 || message == NULL
      || sscanf (message, "Trying to measure GtkLabel %p for width of %d, but it needs at least %d",
                 &pointer, &for_width, &needed) != 3
      || !GTK_IS_LABEL (pointer) || !gtk_widget_has_css_class (pointer, "title-2"))
    return FALSE;
  root = GTK_WIDGET (gtk_widget_get_root (pointer));
  return root != NULL && ADW_IS_MESSAGE_DIALOG (root);
}

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  if (is_message_dialog_heading_warning (level, fields, n_fields))
    {
      for (gsize i = 0; i < n_fields; i++)
        if (g_str_equal (fields[i].key, "MESSAGE"))
          g_printerr ("not fatal (libadwaita %u.%u's message dialog heading, fixed in 1.8): %s\n",
                      adw_get_major_version (), adw_get_minor_version (),
                      (const char *) fields[i].value);
      return G_LOG_WRITER_HANDLED;
    }
  if (test_writer != NULL)
    return test_writer (level, fields, n_fields, user_data);
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Initializes GTK and libadwaita if there is a display; returns whether there is one. */
gboolean
dsl_test_init_display (void)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();
  return have_display;
}

/* Marks the running case skipped when there is no display; returns whether it did. */
gboolean
dsl_test_skip_without_display (void)
{
  if (!have_display)
    g_test_skip ("no display (run through build-aux/run-tests.sh, which starts Xvfb)");
  return !have_display;
}

/* --- finding things --- */

/* The first widget, depth first from `root` itself, for which `match` holds, or NULL. */
GtkWidget *
dsl_test_find_descendant (GtkWidget     *root,
                          DslTestMatch   match,
                          gconstpointer  data)
{
  g_assert (GTK_IS_WIDGET (root));

  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = dsl_test_find_descendant (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_id (GtkWidget     *widget,
        gconstpointer  id)
{
  return g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0 ||
         g_strcmp0 (gtk_widget_get_name (widget), id) == 0;
}

/* Template children carry their builder id, widgets made in code (the window's sign-in page,
 * DslItemRow's children) their name; finds one anywhere below `root`, or NULL. */
GtkWidget *
dsl_test_find_widget (GtkWidget  *root,
                      const char *id)
{
  return dsl_test_find_descendant (root, has_id, id);
}

/* As dsl_test_find_widget, but fails the test naming `id` when there is none. */
GtkWidget *
dsl_test_get_widget (GtkWidget  *root,
                     const char *id)
{
  GtkWidget *widget = dsl_test_find_widget (root, id);

  if (widget == NULL)
    g_error ("no widget with the id %s", id);
  return widget;
}

/* --- main loop --- */

/* DSL_TEST_WAIT_SCALE (the asan setup sets it): sanitizer builds lay out a list of 25 rows in
 * seconds rather than milliseconds (ASan's slow unwinding on every malloc, which the leak
 * suppressions need), so their waits are longer; everything else waits DSL_TEST_WAIT_MS. */
static gint64
wait_scale (void)
{
  const char *value = g_getenv ("DSL_TEST_WAIT_SCALE");
  gint64 scale = value != NULL ? g_ascii_strtoll (value, NULL, 10) : 1;

  return CLAMP (scale, 1, 10);
}

void
dsl_test_set_sim (DslSim *sim)
{
  report_sim = sim;
}

/* A logged request's query string ("" for none; the log has null). */
static const char *
request_query (JsonObject *request)
{
  JsonNode *query = json_object_get_member (request, "query");

  return query != NULL && JSON_NODE_HOLDS_VALUE (query) ? json_node_get_string (query) : "";
}

/* What the simulator last received and answered: tells a request it never got (or never
 * answered) from an answer the widget did not show. */
static void
report_requests (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = NULL;
  JsonArray *array;
  guint n;

  if (report_sim == NULL)
    return;
  log = dsl_sim_get_requests (report_sim, &error);
  if (log == NULL)
    {
      g_printerr ("# the simulator's request log could not be read: %s\n", error->message);
      return;
    }
  array = json_node_get_array (log);
  n = json_array_get_length (array);
  g_printerr ("# the simulator's last requests (%u logged since the last reset):\n", n);
  for (guint i = n > 10 ? n - 10 : 0; i < n; i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);
      const char *query = request_query (request);

      g_printerr ("#   %s %s%s%s -> %" G_GINT64_FORMAT "\n",
                  json_object_get_string_member (request, "method"),
                  json_object_get_string_member (request, "path"),
                  *query != '\0' ? "?" : "", query,
                  json_object_get_int_member (request, "status"));
    }
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
dsl_test_run_until_impl (gpointer          fixture,
                         DslTestPredicate  predicate,
                         gconstpointer     data,
                         const char       *what)
{
  gint64 deadline = g_get_monotonic_time () + wait_scale () * DSL_TEST_WAIT_MS * 1000;
  guint tick = g_timeout_add (10, on_tick, NULL);

  while (!predicate (fixture, data))
    {
      gint64 before;

      if (g_get_monotonic_time () > deadline)
        {
          report_requests ();
          g_error ("timed out waiting for %s", what);
        }
      before = g_get_monotonic_time ();
      g_main_context_iteration (NULL, TRUE);
      max_iteration_us = MAX (max_iteration_us, g_get_monotonic_time () - before);
    }
  g_source_remove (tick);
}

/* Lets the main loop run for `ms` milliseconds. */
void
dsl_test_run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint tick = g_timeout_add (5, on_tick, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

gint64
dsl_test_get_max_iteration_us (void)
{
  return max_iteration_us;
}

void
dsl_test_reset_max_iteration (void)
{
  max_iteration_us = 0;
}

/* --- the simulator's request log --- */

/* The JSON object body of the newest request `method` `path` (a new reference); fails the test
 * if there is no such request or its body is not an object. */
JsonObject *
dsl_test_request_body (DslSim     *sim,
                       const char *method,
                       const char *path)
{
  g_autoptr(JsonNode) request = dsl_sim_find_request (sim, method, path);
  JsonNode *body;

  g_assert_nonnull (request);
  body = json_object_get_member (json_node_get_object (request), "body");
  g_assert_nonnull (body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (body));
  return json_object_ref (json_node_get_object (body));
}

/* The "query" of every logged request of `path`, oldest first ("" where there was none). */
GPtrArray *
dsl_test_request_queries (DslSim     *sim,
                          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = dsl_sim_get_requests (sim, &error);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (log);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (request, "path"), path))
        g_ptr_array_add (result, g_strdup (request_query (request)));
    }
  return result;
}

/* --- toplevels and the clipboard --- */

GtkWindow *
dsl_test_find_window (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

GtkWindow *
dsl_test_find_message_dialog (void)
{
  return dsl_test_find_window (ADW_TYPE_MESSAGE_DIALOG);
}

typedef struct {
  char    *text;
  gboolean done;
} ClipboardResult;

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ClipboardResult *r = user_data;
  g_autoptr(GError) error = NULL;

  r->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  r->done = TRUE;
}

char *
dsl_test_read_clipboard (GtkWidget *widget)
{
  ClipboardResult r = { 0 };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  return r.text;
}

/* --- teardown --- */

void
dsl_test_release_client (GObject **client)
{
  g_object_add_weak_pointer (*client, (gpointer *) client);
  g_object_unref (*client);
  for (guint i = 0; i < 400 && *client != NULL; i++)
    dsl_test_run_for (5);
  g_assert_null (*client);
}

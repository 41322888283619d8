/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c: DslWindow without a server: which page shows, what the form holds, and that a
 * refused address is reported under the fields without losing what was typed.
 *
 * Needs a display (build-aux/run-tests.sh provides Xvfb); without one every case is a TAP SKIP. */

#include "config.h"

#include <adwaita.h>

#include "dsl-window.h"

static gboolean have_display;

/* Template children carry their builder id; find one anywhere below `root`. */
static GtkWidget *
find_widget (GtkWidget  *root,
             const char *id)
{
  const char *root_id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (root));

  if (g_strcmp0 (root_id, id) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, id);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
get_widget (DslWindow  *window,
            const char *id)
{
  GtkWidget *widget = find_widget (GTK_WIDGET (window), id);

  g_assert_nonnull (widget);
  return widget;
}

static const char *
entry_text (DslWindow  *window,
            const char *id)
{
  return gtk_editable_get_text (GTK_EDITABLE (get_widget (window, id)));
}

static void
set_entry_text (DslWindow  *window,
                const char *id,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (get_widget (window, id)), text);
}

static void
destroy_window (DslWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  /* Let the destruction finish before the next case. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
skip_without_display (void)
{
  if (!have_display)
    g_test_skip ("no display (run through build-aux/run-tests.sh, which starts Xvfb)");
  return !have_display;
}

static void
test_sign_in_page_prefilled (void)
{
  DslWindow *window;
  GtkStack *stack;

  if (skip_without_display ())
    return;

  window = dsl_window_new (NULL, "http://127.0.0.1:8080");
  gtk_window_present (GTK_WINDOW (window));

  stack = GTK_STACK (get_widget (window, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "sign-in");
  g_assert_cmpstr (entry_text (window, "portal_entry"), ==, "http://127.0.0.1:8080");
  g_assert_cmpstr (entry_text (window, "key_entry"), ==, "");
  g_assert_false (gtk_widget_get_visible (get_widget (window, "error_label")));

  destroy_window (window);
}

static void
test_sign_in_needs_address_and_key (void)
{
  DslWindow *window;
  GtkWidget *button;

  if (skip_without_display ())
    return;

  window = dsl_window_new (NULL, NULL);
  button = get_widget (window, "sign_in_button");

  set_entry_text (window, "portal_entry", "");
  g_assert_false (gtk_widget_is_sensitive (button));

  set_entry_text (window, "portal_entry", "docspace.example.com");
  g_assert_false (gtk_widget_is_sensitive (button));

  set_entry_text (window, "key_entry", "sk-test");
  g_assert_true (gtk_widget_is_sensitive (button));

  set_entry_text (window, "portal_entry", "");
  g_assert_false (gtk_widget_is_sensitive (button));

  destroy_window (window);
}

static void
test_refused_address_shows_inline_error (void)
{
  DslWindow *window;
  GtkStack *stack;
  GtkWidget *error_label;

  if (skip_without_display ())
    return;

  /* Plain http is allowed only for loopback hosts, so this fails before any request. */
  window = dsl_window_new (NULL, "http://docspace.example.com");
  set_entry_text (window, "key_entry", "sk-test");
  gtk_window_present (GTK_WINDOW (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL));

  stack = GTK_STACK (get_widget (window, "stack"));
  error_label = get_widget (window, "error_label");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "sign-in");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_has_css_class (error_label, "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), !=, "");
  /* Nothing typed is lost. */
  g_assert_cmpstr (entry_text (window, "portal_entry"), ==, "http://docspace.example.com");
  g_assert_cmpstr (entry_text (window, "key_entry"), ==, "sk-test");

  destroy_window (window);
}

static void
test_cancel_sign_in_keeps_form (void)
{
  DslWindow *window;
  GtkStack *stack;

  if (skip_without_display ())
    return;

  /* Port 9 (discard) on loopback: the request cannot succeed, and we cancel it anyway. */
  window = dsl_window_new (NULL, "http://127.0.0.1:9");
  set_entry_text (window, "key_entry", "sk-test");
  stack = GTK_STACK (get_widget (window, "stack"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "loading");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-sign-in", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "sign-in");
  g_assert_false (gtk_widget_get_visible (get_widget (window, "error_label")));
  g_assert_cmpstr (entry_text (window, "portal_entry"), ==, "http://127.0.0.1:9");
  g_assert_cmpstr (entry_text (window, "key_entry"), ==, "sk-test");

  destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add_func ("/dsl/ui/window/sign-in-page-prefilled", test_sign_in_page_prefilled);
  g_test_add_func ("/dsl/ui/window/sign-in-needs-address-and-key",
                   test_sign_in_needs_address_and_key);
  g_test_add_func ("/dsl/ui/window/refused-address-shows-inline-error",
                   test_refused_address_shows_inline_error);
  g_test_add_func ("/dsl/ui/window/cancel-sign-in-keeps-form", test_cancel_sign_in_keeps_form);

  return g_test_run ();
}

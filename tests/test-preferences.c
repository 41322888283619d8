/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-preferences.c: the Preferences window's "New Links" group and the About window's
 * debugging information.
 *
 *   DslPreferencesWindow ─g_settings_bind─▶ GSettings (memory backend)
 *       combo rows / switch changed ─▶ key written;  key changed ─▶ row follows
 *   app.about (a registered DslApplication) ─▶ AdwAboutWindow "debug-info"
 *       ─▶ versions (compiled and running), display backend, accounts' portals, no secret
 *
 * Needs a display (build-aux/test-session.sh provides Xvfb); without one every case is a TAP
 * SKIP. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "dsl-application.h"
#include "dsl-link-form.h"
#include "dsl-preferences-window.h"
#include "dsl-test-util.h"

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (BASE_APP_ID);

  /* The memory backend lives as long as the process: every case starts from the defaults. */
  g_settings_reset (settings, "default-link-access");
  g_settings_reset (settings, "default-expiry-preset");
  g_settings_reset (settings, "default-password-required");
  g_settings_reset (settings, "accounts");
  return settings;
}

static const char *
row_label (AdwComboRow *row,
           guint        position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (adw_combo_row_get_model (row),
                                                           position);

  return gtk_string_object_get_string (item);
}

static char *
key_string (GSettings  *settings,
            const char *key)
{
  return g_settings_get_string (settings, key);
}

/* The rows offer the editor's words, start from the keys and write them as the person picks. */
static void
test_new_links (void)
{
  g_autoptr(GSettings) settings = NULL;
  DslPreferencesWindow *window;
  AdwComboRow *access;
  AdwComboRow *expiry;
  GtkSwitch *password;
  g_autofree char *value = NULL;

  if (dsl_test_skip_without_display ())
    return;

  settings = fresh_settings ();
  window = dsl_preferences_window_new (NULL, settings);
  gtk_window_present (GTK_WINDOW (window));
  dsl_test_run_for (50);

  access = ADW_COMBO_ROW (dsl_test_get_widget (GTK_WIDGET (window), "access_row"));
  expiry = ADW_COMBO_ROW (dsl_test_get_widget (GTK_WIDGET (window), "expiry_row"));
  password = GTK_SWITCH (dsl_test_get_widget (GTK_WIDGET (window), "password_switch"));

  /* The choices, in the link editor's words. */
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (access)), ==, 5);
  g_assert_cmpstr (row_label (access, 0), ==, dsl_link_describe_access (DSL_ACCESS_READ));
  g_assert_cmpstr (row_label (access, 4), ==, dsl_link_describe_access (DSL_ACCESS_EDITING));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (expiry)), ==, 5);
  g_assert_cmpstr (row_label (expiry, 0), ==,
                   dsl_expiry_preset_label (DSL_EXPIRY_PRESET_12_HOURS));
  g_assert_cmpstr (row_label (expiry, 4), ==, dsl_expiry_preset_label (DSL_EXPIRY_PRESET_NEVER));

  /* The defaults: View only, 7 days, no password. */
  g_assert_cmpstr (row_label (access, adw_combo_row_get_selected (access)), ==,
                   dsl_link_describe_access (DSL_ACCESS_READ));
  g_assert_cmpstr (row_label (expiry, adw_combo_row_get_selected (expiry)), ==,
                   dsl_expiry_preset_label (DSL_EXPIRY_PRESET_7_DAYS));
  g_assert_false (gtk_switch_get_active (password));

  /* Picking writes the key. */
  for (guint i = 0; i < 5; i++)
    if (g_str_equal (row_label (access, i), dsl_link_describe_access (DSL_ACCESS_COMMENT)))
      adw_combo_row_set_selected (access, i);
  value = key_string (settings, "default-link-access");
  g_assert_cmpstr (value, ==, "comment");
  g_clear_pointer (&value, g_free);

  for (guint i = 0; i < 5; i++)
    if (g_str_equal (row_label (expiry, i), dsl_expiry_preset_label (DSL_EXPIRY_PRESET_NEVER)))
      adw_combo_row_set_selected (expiry, i);
  value = key_string (settings, "default-expiry-preset");
  g_assert_cmpstr (value, ==, "never");
  g_clear_pointer (&value, g_free);

  gtk_switch_set_active (password, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "default-password-required"));

  /* And the rows follow the keys (another window, gsettings set). */
  g_settings_set_string (settings, "default-link-access", "edit");
  g_assert_cmpstr (row_label (access, adw_combo_row_get_selected (access)), ==,
                   dsl_link_describe_access (DSL_ACCESS_EDITING));
  g_settings_set_string (settings, "default-expiry-preset", "1-day");
  g_assert_cmpstr (row_label (expiry, adw_combo_row_get_selected (expiry)), ==,
                   dsl_expiry_preset_label (DSL_EXPIRY_PRESET_1_DAY));
  g_settings_set_boolean (settings, "default-password-required", FALSE);
  g_assert_false (gtk_switch_get_active (password));

  gtk_window_destroy (GTK_WINDOW (window));
  dsl_test_run_for (50);
  g_object_unref (fresh_settings ());
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in:\n%s", part, text);
}

static void
assert_lacks (const char *text,
              const char *part)
{
  if (strstr (text, part) != NULL)
    g_error ("“%s” is in:\n%s", part, text);
}

static gboolean
about_shown (gpointer fixture, gconstpointer data)
{
  return dsl_test_find_window (ADW_TYPE_ABOUT_WINDOW) != NULL;
}

/* app.about: the debugging information a person pastes into a report. */
static void
test_about_debug_info (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(DslApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gtk = NULL;
  g_autofree char *adw = NULL;
  g_autofree char *display = NULL;
  GVariantBuilder accounts;
  GtkWindow *about;
  const char *info;

  if (dsl_test_skip_without_display ())
    return;

  settings = fresh_settings ();
  g_variant_builder_init (&accounts, G_VARIANT_TYPE ("a(sss)"));
  g_variant_builder_add (&accounts, "(sss)", "https://olivia:hunter2@docspace.example.com",
                         "a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01", "Olivia Owner");
  g_assert_true (g_settings_set_value (settings, "accounts", g_variant_builder_end (&accounts)));

  app = dsl_application_new ();
  /* No bus name: the test's own instance, started (startup: settings, monitor) but not run. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (dsl_application_get_settings (app));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  dsl_test_run_until (NULL, about_shown, NULL);
  about = dsl_test_find_window (ADW_TYPE_ABOUT_WINDOW);
  info = adw_about_window_get_debug_info (ADW_ABOUT_WINDOW (about));
  g_assert_nonnull (info);
  g_test_message ("debug info:\n%s", info);
  g_assert_cmpstr (adw_about_window_get_debug_info_filename (ADW_ABOUT_WINDOW (about)), ==,
                   "docspace-links-debug-info.txt");

  gtk = g_strdup_printf ("GTK %d.%d.%d (running %u.%u.%u)\n",
                         GTK_MAJOR_VERSION, GTK_MINOR_VERSION, GTK_MICRO_VERSION,
                         gtk_get_major_version (), gtk_get_minor_version (),
                         gtk_get_micro_version ());
  adw = g_strdup_printf ("libadwaita %d.%d.%d (running %u.%u.%u)\n",
                         ADW_MAJOR_VERSION, ADW_MINOR_VERSION, ADW_MICRO_VERSION,
                         adw_get_major_version (), adw_get_minor_version (),
                         adw_get_micro_version ());
  display = g_strdup_printf ("Display: %s\n", G_OBJECT_TYPE_NAME (gdk_display_get_default ()));
  assert_contains (info, "DocSpace Links " PACKAGE_VERSION "\n");
  assert_contains (info, "Application ID: " APP_ID "\n");
  assert_contains (info, "GLib ");
  assert_contains (info, "libsoup ");
  assert_contains (info, "json-glib ");
  assert_contains (info, "libsecret ");
  assert_contains (info, gtk);
  assert_contains (info, adw);
  assert_contains (info, display);
  assert_contains (info, "Flatpak: ");
  assert_contains (info, "Accounts: 1\n");
  assert_contains (info, "Portals: https://docspace.example.com\n");
  assert_lacks (info, "hunter2");
  assert_lacks (info, "olivia");
  assert_lacks (info, "Olivia");
  assert_lacks (info, "a7b3c1d2");

  gtk_window_destroy (about);
  dsl_test_run_for (50);
  g_object_unref (fresh_settings ());
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  dsl_test_init_display ();

  g_test_add_func ("/dsl/ui/preferences/new-links", test_new_links);
  g_test_add_func ("/dsl/ui/about/debug-info", test_about_debug_info);

  return g_test_run ();
}

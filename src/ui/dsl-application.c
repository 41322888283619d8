/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-application.c: AdwApplication subclass.
 *
 * Single instance. handle-local-options answers --version in the process that was started;
 * everything else reaches the first instance as a command line (command-line): --portal URL or
 * a portal address as the argument (the desktop file's %U) opens one DslWindow, which restores
 * the last account or shows sign-in prefilled with that address, or, when the window is already
 * open, switches it to that portal (dsl_window_open_portal). A share URL of a portal as the
 * argument does the same for its portal, then opens Find Link with it (dsl_window_find_link).
 * activate (D-Bus activation, a launcher) opens or presents the window. App-wide actions live
 * here: app.quit (Ctrl+Q), app.about (with the debugging information of
 * dsl_application_dup_debug_info), app.preferences (Ctrl+,), app.check-now (every
 * account's temporary links), and the expiry reminders' app.open-window, app.show-link,
 * app.extend-link and app.copy-link. Window actions belong to DslWindow.
 *
 * D-Bus activation (the service file's `--gapplication-service`, G_APPLICATION_IS_SERVICE):
 * GLib then calls neither command-line nor activate; the process serves what the bus brings
 * (a notification's button through org.freedesktop.Application.ActivateAction) and ends once
 * nothing holds it (GLib waits up to 10 s for the first call). So the notification actions
 * hold the application while they work (dsl-expiry-reminders: an extend until its outcome is
 * told, a copy while the process must keep the X11 selection); a window holds it by itself.
 *
 * Background checking ("background-checking"): while it is on the application holds itself,
 * so it stays (its link monitor checking) after the last window closes; turning it on puts the
 * autostart entry (a resource, also installed under datadir) into $XDG_CONFIG_HOME/autostart
 * (inside Flatpak: the Background portal), turning it off removes it. The entry runs
 * `docspace-links --background`: no window; the monitor reads the keys of the accounts that
 * have temporary links from the keyring. */

#define G_LOG_DOMAIN "dsl-application"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "dsl-account.h"
#include "dsl-application.h"
#include "dsl-debug-info.h"
#include "dsl-expiry-reminders.h"
#include "dsl-frame-stats.h"
#include "dsl-preferences-window.h"
#include "dsl-search-provider.h"
#include "dsl-share-url.h"
#include "dsl-ui-util.h"
#include "dsl-window.h"

struct _DslApplication
{
  AdwApplication parent_instance;

  /* owned */
  char *portal;   /* from --portal; NULL when not given */
  DslSession *session;      /* made at startup: the accounts, the signed-in one, the link
                             * monitor (guarded links, checkups, reminders) */
  DslExpiryReminders *reminders;  /* made at startup, over the monitor */
  GSettings *settings;      /* NULL when the schema is not installed (defaults) */
  DslSearchProvider *search_provider; /* exported while registered on D-Bus */

  /* plain values */
  gboolean held;            /* g_application_hold for "background-checking" */
};

G_DEFINE_FINAL_TYPE (DslApplication, dsl_application, ADW_TYPE_APPLICATION)

static int
dsl_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", "docspace-links", PACKAGE_VERSION);
      return 0;
    }

  /* -1: carry on (registration, then command-line in the first instance). */
  return -1;
}

/* The window, made (with `portal` prefilled, or NULL) if there is none yet. */
static GtkWindow *
ensure_window (DslApplication *self,
               const char     *portal,
               gboolean       *created)
{
  GtkWindow *window = NULL;

  /* The main window, not a dialog of it (Find Link belongs to the application too). */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self));
       l != NULL && window == NULL; l = l->next)
    if (DSL_IS_WINDOW (l->data))
      window = l->data;

  *created = window == NULL;
  if (window == NULL)
    {
      g_free (self->portal);
      self->portal = g_strdup (portal);
      window = GTK_WINDOW (dsl_window_new (GTK_APPLICATION (self), self->session, portal));
      dsl_frame_stats_attach (GTK_WIDGET (window));  /* benchmarks only: DSL_FRAME_STATS=path */
    }
  return window;
}

static void
dsl_application_activate (GApplication *application)
{
  gboolean created;

  gtk_window_present (ensure_window (DSL_APPLICATION (application), NULL, &created));
}

/* The window on a share URL's portal, and Find Link showing that link and its item. */
static void
open_share_url (DslApplication *self,
                const char     *share_url)
{
  g_autofree char *portal = dsl_share_url_dup_portal (share_url);
  GtkWindow *window;
  gboolean created;

  window = ensure_window (self, portal, &created);
  if (!created && portal != NULL)
    dsl_window_open_portal (DSL_WINDOW (window), portal);
  gtk_window_present (window);
  dsl_window_find_link (DSL_WINDOW (window), share_url);
}

static int
dsl_application_command_line (GApplication            *application,
                              GApplicationCommandLine *command_line)
{
  DslApplication *self = DSL_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_auto(GStrv) arguments = g_application_command_line_get_arguments (command_line, NULL);
  const char *portal = NULL;
  const char *share_url = NULL;
  g_autofree char *share_portal = NULL;
  GtkWindow *window;
  gboolean created;

  if (g_variant_dict_contains (options, "background"))
    {
      /* The autostart entry: check the temporary links, no window. Without the preference
       * (turned off since the entry was made) there is nothing to do. */
      if (!self->held)
        {
          g_application_command_line_printerr (command_line, "%s\n",
                                               _("Background checking is turned off in "
                                                 "Preferences."));
          return 0;
        }
      dsl_session_connect_accounts (self->session);
      return 0;
    }

  /* A share URL as the argument (a launcher passes a URL as %U) opens Find Link on its portal:
   * "docspace-links https://portal/s/CODE", or a long form ("…/doceditor?fileid=1&share=KEY",
   * "…/rooms/share?key=KEY"). A URL shortener's link (another host) is not recognised here:
   * it would read as a portal address; paste it into Find Link. */
  if (arguments != NULL && arguments[0] != NULL && arguments[1] != NULL &&
      dsl_share_url_is_share_url (arguments[1]))
    {
      share_url = arguments[1];
      share_portal = dsl_share_url_dup_portal (share_url);
    }

  /* --portal wins; else the first argument. */
  if (!g_variant_dict_lookup (options, "portal", "&s", &portal) &&
      arguments != NULL && arguments[0] != NULL && arguments[1] != NULL)
    portal = share_portal != NULL ? share_portal : arguments[1];

  window = ensure_window (self, portal, &created);
  if (!created && portal != NULL)
    dsl_window_open_portal (DSL_WINDOW (window), portal);
  gtk_window_present (window);
  if (share_url != NULL)
    dsl_window_find_link (DSL_WINDOW (window), share_url);
  return 0;
}

static void
dsl_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  DslApplication *self = DSL_APPLICATION (user_data);
  GList *windows;

  /* Destroying the windows first lets them save their state and cancel their requests. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));

  g_application_quit (G_APPLICATION (self));
}

static void
dsl_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  DslApplication *self = DSL_APPLICATION (user_data);
  static const char *developers[] = { "The DocSpace Links developers", NULL };
  g_autofree char *debug_info = dsl_application_dup_debug_info (self);
  GtkWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("DocSpace Links"),
                        "application-icon", APP_ID,
                        "developer-name", _("The DocSpace Links developers"),
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Manage the external links of ONLYOFFICE DocSpace"),
                        "website", "https://github.com/dslinks/docspace-links",
                        "issue-url", "https://github.com/dslinks/docspace-links/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The DocSpace Links developers",
                        "debug-info", debug_info,
                        "debug-info-filename", "docspace-links-debug-info.txt",
                        NULL);
  /* Its mnemonic and icon buttons ("_Copy Text Copy Text" in GTK 4.8): named once. */
  dsl_ui_name_controls (GTK_WIDGET (about));
  gtk_window_present (about);
}

/* The expiry reminders' notification actions (dsl-expiry-reminders.h): the default action
 * opens the window; the buttons extend the link by 7 days or copy its URL. */
static void
dsl_application_open_window_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

/* A reminder's own click (its default action) when the link's URL is known: the window on
 * the link's item, through Find Link (which names the item, its place and the link, with Show
 * in Tree). Also from a cold start (D-Bus activation): the window then keeps the process. */
static void
dsl_application_show_link_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  DslApplication *self = DSL_APPLICATION (user_data);
  const char *url = g_variant_get_string (parameter, NULL);

  if (dsl_share_url_is_share_url (url))
    open_share_url (self, url);
  else
    g_application_activate (G_APPLICATION (self));
}

static void
dsl_application_extend_link_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  DslApplication *self = DSL_APPLICATION (user_data);

  if (self->reminders != NULL)
    dsl_expiry_reminders_extend (self->reminders, g_variant_get_string (parameter, NULL));
}

static void
dsl_application_copy_link_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  DslApplication *self = DSL_APPLICATION (user_data);

  if (self->reminders != NULL)
    dsl_expiry_reminders_copy (self->reminders, g_variant_get_string (parameter, NULL));
}

static void
dsl_application_check_now_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  DslApplication *self = DSL_APPLICATION (user_data);

  dsl_link_monitor_check_now (dsl_session_get_monitor (self->session), NULL);
}

static void
dsl_application_preferences_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  DslApplication *self = DSL_APPLICATION (user_data);
  DslPreferencesWindow *window;

  if (self->settings == NULL)
    {
      g_warning ("The settings schema is not installed: no preferences to show");
      return;
    }
  window = dsl_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                       self->settings);
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = dsl_application_quit_action },
  { .name = "about", .activate = dsl_application_about_action },
  { .name = "check-now", .activate = dsl_application_check_now_action },
  { .name = "preferences", .activate = dsl_application_preferences_action },
  { .name = "open-window", .activate = dsl_application_open_window_action },
  { .name = "show-link", .activate = dsl_application_show_link_action, .parameter_type = "s" },
  { .name = "extend-link", .activate = dsl_application_extend_link_action,
    .parameter_type = "s" },
  { .name = "copy-link", .activate = dsl_application_copy_link_action, .parameter_type = "s" },
};

/* --- Background checking --- */

char *
dsl_application_get_autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

/* Inside Flatpak the autostart folder is the sandbox's own: ask the Background portal. */
static void
request_background_portal (DslApplication *self,
                           gboolean        autostart)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (self));
  GVariantBuilder options;
  const char *commandline[] = { "docspace-links", "--background", NULL };

  if (bus == NULL)
    return;
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Check temporary links in the background")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (autostart));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_dbus_connection_call (bus, "org.freedesktop.portal.Desktop",
                          "/org/freedesktop/portal/desktop",
                          "org.freedesktop.portal.Background", "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
}

/* Puts the autostart entry (from the resources) in place, or removes it. */
static void
update_autostart (DslApplication *self,
                  gboolean        enabled)
{
  g_autofree char *path = dsl_application_get_autostart_path ();
  g_autoptr(GError) error = NULL;

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      request_background_portal (self, enabled);
      return;
    }

  if (enabled)
    {
      g_autoptr(GBytes) entry = g_resources_lookup_data (RESOURCE_BASE_PATH "/autostart.desktop",
                                                         G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      g_autofree char *dir = g_path_get_dirname (path);

      if (entry == NULL ||
          g_mkdir_with_parents (dir, 0700) != 0 ||
          !g_file_set_contents_full (path, g_bytes_get_data (entry, NULL),
                                     (gssize) g_bytes_get_size (entry),
                                     G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
        g_warning ("Could not create the autostart entry %s: %s", path,
                   error != NULL ? error->message : g_strerror (errno));
    }
  else if (g_unlink (path) != 0 && errno != ENOENT)
    {
      g_warning ("Could not remove the autostart entry %s: %s", path, g_strerror (errno));
    }
}

/* "background-checking" on: the application stays when its last window closes. */
static void
sync_hold (DslApplication *self)
{
  gboolean wanted = self->settings != NULL &&
                    g_settings_get_boolean (self->settings, "background-checking");

  if (wanted == self->held)
    return;
  self->held = wanted;
  if (wanted)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static void
on_background_changed (DslApplication *self)
{
  sync_hold (self);
  update_autostart (self, self->held);
}

/* The app's settings (transfer full), made once; NULL when the schema is not installed: from
 * the build tree without GSETTINGS_SCHEMA_DIR, defaults instead of an abort. */
static GSettings *
ensure_settings (DslApplication *self)
{
  if (self->settings == NULL)
    self->settings = dsl_session_settings_new ();
  return self->settings != NULL ? g_object_ref (self->settings) : NULL;
}

static void
dsl_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (dsl_application_parent_class)->startup (application);

  {
    g_autoptr(GSettings) settings = ensure_settings (DSL_APPLICATION (application));

    DslApplication *self = DSL_APPLICATION (application);

    self->session = dsl_session_new (application, settings);
    self->reminders = dsl_expiry_reminders_new (application,
                                                dsl_session_get_monitor (self->session));
    if (settings != NULL)
      {
        /* A notification's "Extend 7 Days" without a window signed in reads the key here. */
        dsl_expiry_reminders_set_session (self->reminders, self->session);
        g_signal_connect_object (settings, "changed::background-checking",
                                 G_CALLBACK (on_background_changed), self, G_CONNECT_SWAPPED);
        sync_hold (self);
      }
  }

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         close_accels);
  /* Ctrl+? (win.show-help-overlay), F5, Ctrl+R, Ctrl+F, Ctrl+C and F10 belong to the window
   * (DslWindow, its main menu button). */
}

/* A search result activated in the overview: the item in the window (made if needed: it signs
 * in from the keyring), or the window alone when the index no longer has it. */
static void
on_search_show_item (DslApplication *self,
                     const char     *account_key,
                     const char     *path,
                     guint           timestamp)
{
  gboolean created;
  GtkWindow *window = ensure_window (self, NULL, &created);

  if (account_key != NULL && path != NULL)
    dsl_window_show_item (DSL_WINDOW (window), account_key, path);
  gtk_window_present_with_time (window, timestamp);
}

/* A share URL typed in the overview: Find Link on its portal. */
static void
on_search_find_link (DslApplication *self,
                     const char     *url,
                     guint           timestamp)
{
  g_autofree char *portal = dsl_share_url_dup_portal (url);
  gboolean created;
  GtkWindow *window = ensure_window (self, NULL, &created);

  if (portal != NULL)
    dsl_window_open_portal (DSL_WINDOW (window), portal);
  gtk_window_present_with_time (window, timestamp);
  dsl_window_find_link (DSL_WINDOW (window), url);
}

/* org.gnome.Shell.SearchProvider2 on APP_PATH/SearchProvider (data/…search-provider.ini). */
static gboolean
dsl_application_dbus_register (GApplication     *application,
                               GDBusConnection  *connection,
                               const char       *object_path,
                               GError          **error)
{
  DslApplication *self = DSL_APPLICATION (application);
  g_autofree char *path = g_strconcat (object_path, "/SearchProvider", NULL);
  g_autoptr(GError) local_error = NULL;

  if (!G_APPLICATION_CLASS (dsl_application_parent_class)->dbus_register (application, connection,
                                                                          object_path, error))
    return FALSE;
  if (self->search_provider == NULL)
    {
      g_autoptr(GSettings) settings = ensure_settings (self);

      self->search_provider = dsl_search_provider_new (application, settings);
      g_signal_connect_object (self->search_provider, "show-item",
                               G_CALLBACK (on_search_show_item), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->search_provider, "find-link",
                               G_CALLBACK (on_search_find_link), self, G_CONNECT_SWAPPED);
    }
  /* Without the provider the app still works: only the overview does not find its items. */
  if (!dsl_search_provider_register (self->search_provider, connection, path, &local_error))
    g_warning ("The GNOME Shell search provider is not available: %s", local_error->message);
  else if ((g_application_get_flags (application) & G_APPLICATION_IS_SERVICE) != 0)
    {
      /* Started by D-Bus, most often for the Shell's search: the indexes are read while the
       * rest of the start-up runs, not when the first search comes. */
      g_autoptr(GSettings) settings = ensure_settings (self);

      if (settings != NULL)
        dsl_search_provider_preload (self->search_provider, settings);
    }
  return TRUE;
}

static void
dsl_application_dbus_unregister (GApplication    *application,
                                 GDBusConnection *connection,
                                 const char      *object_path)
{
  DslApplication *self = DSL_APPLICATION (application);

  if (self->search_provider != NULL)
    dsl_search_provider_unregister (self->search_provider);
  G_APPLICATION_CLASS (dsl_application_parent_class)->dbus_unregister (application, connection,
                                                                       object_path);
}

static void
dsl_application_finalize (GObject *object)
{
  DslApplication *self = DSL_APPLICATION (object);

  g_clear_pointer (&self->portal, g_free);
  g_clear_object (&self->search_provider);
  g_clear_object (&self->reminders);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dsl_application_parent_class)->finalize (object);
}

static void
dsl_application_class_init (DslApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = dsl_application_finalize;

  app_class->handle_local_options = dsl_application_handle_local_options;
  app_class->startup = dsl_application_startup;
  app_class->activate = dsl_application_activate;
  app_class->command_line = dsl_application_command_line;
  app_class->dbus_register = dsl_application_dbus_register;
  app_class->dbus_unregister = dsl_application_dbus_unregister;
}

static void
dsl_application_init (DslApplication *self)
{
  static const GOptionEntry options[] = {
    { "portal", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Portal address to sign in to, e.g. https://docspace.example.com"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Check temporary links without opening a window (needs background checking turned "
         "on in Preferences)"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[PORTAL]"));
}

DslApplication *
dsl_application_new (void)
{
  return g_object_new (DSL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}

const char *
dsl_application_get_portal (DslApplication *self)
{
  g_return_val_if_fail (DSL_IS_APPLICATION (self), NULL);

  return self->portal;
}

DslSession *
dsl_application_get_session (DslApplication *self)
{
  g_return_val_if_fail (DSL_IS_APPLICATION (self), NULL);

  return self->session;
}

GSettings *
dsl_application_get_settings (DslApplication *self)
{
  g_return_val_if_fail (DSL_IS_APPLICATION (self), NULL);

  return self->settings;
}

char *
dsl_application_dup_debug_info (DslApplication *self)
{
  GString *text = g_string_new (NULL);
  GdkDisplay *display = gdk_display_get_default ();

  g_return_val_if_fail (self == NULL || DSL_IS_APPLICATION (self), NULL);

  dsl_debug_info_append_app (text);
  g_string_append (text, "\nLibraries (compiled against; running, where the library says):\n");
  dsl_debug_info_append_core_libraries (text);
  dsl_debug_info_append_library (text, "GTK",
                                 GTK_MAJOR_VERSION, GTK_MINOR_VERSION, GTK_MICRO_VERSION,
                                 (int) gtk_get_major_version (),
                                 (int) gtk_get_minor_version (),
                                 (int) gtk_get_micro_version ());
  dsl_debug_info_append_library (text, "libadwaita",
                                 ADW_MAJOR_VERSION, ADW_MINOR_VERSION, ADW_MICRO_VERSION,
                                 (int) adw_get_major_version (),
                                 (int) adw_get_minor_version (),
                                 (int) adw_get_micro_version ());

  g_string_append (text, "\nEnvironment:\n");
  /* GdkX11Display, GdkWaylandDisplay, GdkBroadwayDisplay... */
  g_string_append_printf (text, "Display: %s\n",
                          display != NULL ? G_OBJECT_TYPE_NAME (display) : "none");
  dsl_debug_info_append_environment (text, self != NULL ? self->settings : NULL);

  return g_string_free (text, FALSE);
}

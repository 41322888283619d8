/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-application.c: AdwApplication subclass.
 *
 * Single instance. handle-local-options answers --version in the process that was started;
 * everything else reaches the first instance as a command line (command-line): --portal URL or
 * a portal address as the argument (the desktop file's %U) opens one DslWindow, which restores
 * the last account or shows sign-in prefilled with that address, or, when the window is already
 * open, switches it to that portal (dsl_window_open_portal). activate (D-Bus activation, a
 * launcher) opens or presents the window. App-wide actions live here: app.quit (Ctrl+Q),
 * app.about, and the expiry reminders' app.open-window, app.extend-link and app.copy-link.
 * Window actions belong to DslWindow. */

#define G_LOG_DOMAIN "dsl-application"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-application.h"
#include "dsl-expiry-reminders.h"
#include "dsl-frame-stats.h"
#include "dsl-link-monitor.h"
#include "dsl-window.h"

struct _DslApplication
{
  AdwApplication parent_instance;

  /* owned */
  char *portal;   /* from --portal; NULL when not given */
  DslLinkMonitor *monitor;  /* made at startup: guarded links, checkups, reminders */
  DslExpiryReminders *reminders;  /* made at startup, over the monitor */
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
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  *created = window == NULL;
  if (window == NULL)
    {
      g_free (self->portal);
      self->portal = g_strdup (portal);
      window = GTK_WINDOW (dsl_window_new (self, portal));
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

static int
dsl_application_command_line (GApplication            *application,
                              GApplicationCommandLine *command_line)
{
  DslApplication *self = DSL_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_auto(GStrv) arguments = g_application_command_line_get_arguments (command_line, NULL);
  const char *portal = NULL;
  GtkWindow *window;
  gboolean created;

  /* --portal wins; else the first argument (a launcher passes a URL as %U). */
  if (!g_variant_dict_lookup (options, "portal", "&s", &portal) &&
      arguments != NULL && arguments[0] != NULL && arguments[1] != NULL)
    portal = arguments[1];

  window = ensure_window (self, portal, &created);
  if (!created && portal != NULL)
    dsl_window_open_portal (DSL_WINDOW (window), portal);
  gtk_window_present (window);
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
                        NULL);
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

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = dsl_application_quit_action },
  { .name = "about", .activate = dsl_application_about_action },
  { .name = "open-window", .activate = dsl_application_open_window_action },
  { .name = "extend-link", .activate = dsl_application_extend_link_action,
    .parameter_type = "s" },
  { .name = "copy-link", .activate = dsl_application_copy_link_action, .parameter_type = "s" },
};

static void
dsl_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (dsl_application_parent_class)->startup (application);

  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = NULL;
    g_autoptr(GSettings) settings = NULL;

    /* From the build tree without GSETTINGS_SCHEMA_DIR: defaults instead of an abort. */
    if (source != NULL)
      schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE);
    if (schema != NULL)
      settings = g_settings_new_full (schema, NULL, NULL);
    DSL_APPLICATION (application)->monitor = dsl_link_monitor_new (application, settings, NULL);
    DSL_APPLICATION (application)->reminders =
      dsl_expiry_reminders_new (application, DSL_APPLICATION (application)->monitor);
  }

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close",
                                         close_accels);
  /* Ctrl+? (win.show-help-overlay), F5, Ctrl+R, Ctrl+F, Ctrl+C and F10 belong to the window
   * (DslWindow, its main menu button). */
}

static void
dsl_application_finalize (GObject *object)
{
  DslApplication *self = DSL_APPLICATION (object);

  g_clear_pointer (&self->portal, g_free);
  g_clear_object (&self->reminders);
  g_clear_object (&self->monitor);

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
}

static void
dsl_application_init (DslApplication *self)
{
  static const GOptionEntry options[] = {
    { "portal", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Portal address to sign in to, e.g. https://docspace.example.com"), N_("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
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

DslLinkMonitor *
dsl_application_get_monitor (DslApplication *self)
{
  g_return_val_if_fail (DSL_IS_APPLICATION (self), NULL);

  return self->monitor;
}

const char *
dsl_application_get_portal (DslApplication *self)
{
  g_return_val_if_fail (DSL_IS_APPLICATION (self), NULL);

  return self->portal;
}

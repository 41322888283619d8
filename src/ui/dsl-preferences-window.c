/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-preferences-window.c: see dsl-preferences-window.h. */

#define G_LOG_DOMAIN "dsl-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-preferences-window.h"

struct _DslPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* template children */
  GtkSpinButton *interval_spin;
  GtkSwitch     *background_switch;

  /* owned */
  GSettings     *settings;
};

G_DEFINE_FINAL_TYPE (DslPreferencesWindow, dsl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
dsl_preferences_window_dispose (GObject *object)
{
  DslPreferencesWindow *self = DSL_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dsl_preferences_window_parent_class)->dispose (object);
}

/* A number typed but not confirmed (Enter, Tab) still counts when the window closes. */
static gboolean
dsl_preferences_window_close_request (GtkWindow *window)
{
  DslPreferencesWindow *self = DSL_PREFERENCES_WINDOW (window);

  gtk_spin_button_update (self->interval_spin);

  return GTK_WINDOW_CLASS (dsl_preferences_window_parent_class)->close_request (window);
}

static void
dsl_preferences_window_class_init (DslPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_preferences_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = dsl_preferences_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DslPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, DslPreferencesWindow, background_switch);
}

static void
dsl_preferences_window_init (DslPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

DslPreferencesWindow *
dsl_preferences_window_new (GtkWindow *parent,
                            GSettings *settings)
{
  DslPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (DSL_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "guard-interval",
                   gtk_spin_button_get_adjustment (self->interval_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "background-checking", self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  return self;
}

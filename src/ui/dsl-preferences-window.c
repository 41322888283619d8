/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-preferences-window.c: see dsl-preferences-window.h. */

#define G_LOG_DOMAIN "dsl-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-link-form.h"
#include "dsl-preferences-window.h"

/* The choices of "default-link-access" and "default-expiry-preset", in the combo rows' order
 * (the editor's own order: its access list follows the portal, its presets this enum). */
static const DslAccess access_choices[] = {
  DSL_ACCESS_READ,
  DSL_ACCESS_REVIEW,
  DSL_ACCESS_COMMENT,
  DSL_ACCESS_FILL_FORMS,
  DSL_ACCESS_EDITING,
};

static const DslExpiryPreset preset_choices[] = {
  DSL_EXPIRY_PRESET_12_HOURS,
  DSL_EXPIRY_PRESET_1_DAY,
  DSL_EXPIRY_PRESET_7_DAYS,
  DSL_EXPIRY_PRESET_30_DAYS,
  DSL_EXPIRY_PRESET_NEVER,
};

struct _DslPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* template children */
  GtkSpinButton *interval_spin;
  GtkSwitch     *background_switch;
  AdwComboRow   *access_row;
  AdwComboRow   *expiry_row;
  GtkSwitch     *password_switch;

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
  gtk_widget_class_bind_template_child (widget_class, DslPreferencesWindow, access_row);
  gtk_widget_class_bind_template_child (widget_class, DslPreferencesWindow, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, DslPreferencesWindow, password_switch);
}

static void
dsl_preferences_window_init (DslPreferencesWindow *self)
{
  g_autoptr(GtkStringList) access_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) preset_labels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The link editor's own words for them. */
  for (gsize i = 0; i < G_N_ELEMENTS (access_choices); i++)
    gtk_string_list_append (access_labels, dsl_link_describe_access (access_choices[i]));
  adw_combo_row_set_model (self->access_row, G_LIST_MODEL (access_labels));
  for (gsize i = 0; i < G_N_ELEMENTS (preset_choices); i++)
    gtk_string_list_append (preset_labels, dsl_expiry_preset_label (preset_choices[i]));
  adw_combo_row_set_model (self->expiry_row, G_LIST_MODEL (preset_labels));
}

/* --- "default-link-access" / "default-expiry-preset" (nicks) <-> the rows' "selected" --- */

static gboolean
access_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  DslAccess access;

  if (!dsl_link_access_from_nick (g_variant_get_string (variant, NULL), &access))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (access_choices); i++)
    if (access_choices[i] == access)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
access_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (access_choices))
    return NULL;
  return g_variant_new_string (dsl_link_access_to_nick (access_choices[selected]));
}

static gboolean
preset_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  DslExpiryPreset preset;

  if (!dsl_expiry_preset_from_nick (g_variant_get_string (variant, NULL), &preset))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (preset_choices); i++)
    if (preset_choices[i] == preset)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
preset_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (preset_choices))
    return NULL;
  return g_variant_new_string (dsl_expiry_preset_to_nick (preset_choices[selected]));
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
  g_settings_bind_with_mapping (settings, "default-link-access", self->access_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, access_get_mapping, access_set_mapping,
                                NULL, NULL);
  g_settings_bind_with_mapping (settings, "default-expiry-preset", self->expiry_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, preset_get_mapping, preset_set_mapping,
                                NULL, NULL);
  g_settings_bind (settings, "default-password-required", self->password_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  return self;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-window.c: the main window.
 *
 * Pages of `stack` and how a person moves between them:
 *
 *   sign-in --win.sign-in--> loading --GET people/@self ok--> signed-in
 *      ^                        |  error: back, message under the fields, entries untouched
 *      +----win.cancel-sign-in--+
 *      +----win.sign-out (or a 401 while listing rooms) ---------- signed-in
 *
 * Signed in, the rooms are read page by page (GET files/rooms) into `rooms`, a GtkStringList of
 * titles shown by a GtkListView. Each request runs with `cancellable`, which dispose cancels.
 * The API key lives only in the entry and in the DslClient; it is never written anywhere. */

#define G_LOG_DOMAIN "dsl-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-client.h"
#include "dsl-window.h"

#define ROOMS_PAGE_SIZE 100

struct _DslWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwToastOverlay  *toast_overlay;
  GtkStack         *stack;
  GtkEntry         *portal_entry;
  GtkPasswordEntry *key_entry;
  GtkLabel         *error_label;
  AdwStatusPage    *loading_page;
  GtkSpinner       *loading_spinner;
  GtkLabel         *signed_in_label;
  GtkLabel         *portal_label;
  GtkStack         *rooms_stack;
  GtkSpinner       *rooms_spinner;
  GtkStringList    *rooms;
  GtkLabel         *rooms_error_label;

  /* owned */
  GSettings        *settings;      /* NULL when the schema is not installed */
  GCancellable     *cancellable;   /* the request in flight; NULL when idle */
  DslClient        *client;        /* the client signing in or signed in; NULL when signed out */
  DslUser          *user;          /* NULL until signed in */
  char             *initial_portal;
};

G_DEFINE_FINAL_TYPE (DslWindow, dsl_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PORTAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void dsl_window_load_rooms_page (DslWindow *self,
                                        guint      start_index);

static gboolean
dsl_window_is_busy (DslWindow *self)
{
  return self->cancellable != NULL;
}

static void
dsl_window_update_actions (DslWindow *self)
{
  const char *portal = gtk_editable_get_text (GTK_EDITABLE (self->portal_entry));
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->key_entry));
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean signing_in = g_strcmp0 (page, "loading") == 0;
  gboolean signed_in = self->user != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-in",
                                 !signed_in && !signing_in && *portal != '\0' && *key != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-sign-in", signing_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload-rooms",
                                 signed_in && !dsl_window_is_busy (self));
}

static void
dsl_window_cancel_request (DslWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
dsl_window_show_page (DslWindow  *self,
                      const char *name)
{
  gboolean loading = g_strcmp0 (name, "loading") == 0;

  gtk_stack_set_visible_child_name (self->stack, name);
  /* Only spin while visible: a hidden spinner still costs frames. */
  gtk_spinner_set_spinning (self->loading_spinner, loading);
  dsl_window_update_actions (self);
}

static void
dsl_window_show_sign_in_error (DslWindow  *self,
                               const char *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* A sentence for the person signing in. Core errors already are sentences; the two ways a key
 * can be refused get a hint on what to do about it. */
static char *
dsl_window_describe_sign_in_error (const GError *error)
{
  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED))
    return g_strdup (_("The portal did not accept this API key. Check that it is complete and "
                       "has not expired or been revoked."));
  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_MISSING_SCOPE))
    return g_strdup (_("This API key may not read your profile. Use a key with full access or "
                       "with the “accounts.self:read” permission."));
  return g_strdup (error->message);
}

static void
dsl_window_signed_out (DslWindow  *self,
                       const char *error_message)
{
  dsl_window_cancel_request (self);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  gtk_string_list_splice (self->rooms, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rooms)),
                          NULL);
  gtk_spinner_set_spinning (self->rooms_spinner, FALSE);
  dsl_window_show_sign_in_error (self, error_message);
  dsl_window_show_page (self, "sign-in");
}

/* --- Accounts in GSettings: portal, user id and display name only, never a secret --- */

static void
dsl_window_remember_account (DslWindow *self)
{
  g_autoptr(GVariant) accounts = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *portal = dsl_client_get_base_url (self->client);
  const char *user_id = dsl_user_get_id (self->user);
  const char *a_portal, *a_user_id, *a_name;

  if (self->settings == NULL)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  g_variant_builder_add (&builder, "(sss)", portal, user_id,
                         dsl_user_get_display_name (self->user));

  accounts = g_settings_get_value (self->settings, "accounts");
  g_variant_iter_init (&iter, accounts);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &a_portal, &a_user_id, &a_name))
    {
      if (g_strcmp0 (a_portal, portal) != 0 || g_strcmp0 (a_user_id, user_id) != 0)
        g_variant_builder_add (&builder, "(sss)", a_portal, a_user_id, a_name);
    }

  g_settings_set_value (self->settings, "accounts", g_variant_builder_end (&builder));
  g_settings_set_string (self->settings, "last-account", portal);
}

/* --- Rooms --- */

static void
dsl_window_list_rooms_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslWindow) self = DSL_WINDOW (user_data);
  g_autoptr(DslFolderPage) page = NULL;
  g_autoptr(GError) error = NULL;
  guint next;

  page = dsl_client_list_rooms_finish (client, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || client != self->client)
    return;

  g_clear_object (&self->cancellable);
  gtk_spinner_set_spinning (self->rooms_spinner, FALSE);

  if (page == NULL)
    {
      if (g_error_matches (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED))
        {
          dsl_window_signed_out (self, _("The portal no longer accepts this API key. Sign in "
                                         "again to continue."));
          return;
        }
      gtk_label_set_text (self->rooms_error_label, error->message);
      gtk_stack_set_visible_child_name (self->rooms_stack, "error");
      dsl_window_update_actions (self);
      return;
    }

  for (guint i = 0; i < page->items->len; i++)
    {
      DslItem *item = g_ptr_array_index (page->items, i);

      gtk_string_list_append (self->rooms, dsl_item_get_title (item));
    }

  next = page->start_index + page->count;
  if (page->count > 0 && next < page->total)
    {
      dsl_window_load_rooms_page (self, next);
      return;
    }

  gtk_stack_set_visible_child_name (self->rooms_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->rooms)) > 0
                                    ? "list" : "empty");
  dsl_window_update_actions (self);
}

static void
dsl_window_load_rooms_page (DslWindow *self,
                            guint      start_index)
{
  g_assert (DSL_IS_WINDOW (self));
  g_assert (self->client != NULL);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  dsl_client_list_rooms_async (self->client, NULL, NULL, 0, start_index, ROOMS_PAGE_SIZE,
                               self->cancellable, dsl_window_list_rooms_cb,
                               g_object_ref (self));
}

static void
dsl_window_reload_rooms (DslWindow *self)
{
  dsl_window_cancel_request (self);
  gtk_string_list_splice (self->rooms, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rooms)),
                          NULL);
  gtk_stack_set_visible_child_name (self->rooms_stack, "loading");
  gtk_spinner_set_spinning (self->rooms_spinner, TRUE);
  dsl_window_load_rooms_page (self, 0);
  dsl_window_update_actions (self);
}

/* --- Signing in --- */

static void
dsl_window_get_self_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslWindow) self = DSL_WINDOW (user_data);
  g_autoptr(DslUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signed_in_as = NULL;
  g_autofree char *on_portal = NULL;

  user = dsl_client_get_self_finish (client, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || client != self->client)
    return;

  g_clear_object (&self->cancellable);

  if (user == NULL)
    {
      g_autofree char *message = dsl_window_describe_sign_in_error (error);

      g_debug ("Signing in failed: %s", error->message);
      dsl_window_signed_out (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->key_entry));
      return;
    }

  self->user = g_steal_pointer (&user);
  dsl_window_remember_account (self);

  /* Translators: %s is the name of the person signed in. */
  signed_in_as = g_strdup_printf (_("Signed in as %s"), dsl_user_get_display_name (self->user));
  /* Translators: %s is the portal address, e.g. https://docspace.example.com */
  on_portal = g_strdup_printf (_("on %s"), dsl_client_get_base_url (client));
  gtk_label_set_text (self->signed_in_label, signed_in_as);
  gtk_label_set_text (self->portal_label, on_portal);

  dsl_window_show_sign_in_error (self, NULL);
  dsl_window_show_page (self, "signed-in");
  dsl_window_reload_rooms (self);
}

static void
dsl_window_sign_in (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);
  g_autofree char *base_url = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->portal_entry));

  dsl_window_cancel_request (self);
  g_clear_object (&self->client);

  base_url = dsl_client_normalize_url (address, &error);
  if (base_url == NULL)
    {
      dsl_window_show_sign_in_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->portal_entry));
      return;
    }

  /* A key pasted with a trailing newline is still the same key. */
  key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->key_entry))));
  self->client = dsl_client_new (base_url);
  dsl_client_set_api_key (self->client, key);

  self->cancellable = g_cancellable_new ();
  dsl_client_get_self_async (self->client, self->cancellable,
                             dsl_window_get_self_cb, g_object_ref (self));

  /* Translators: %s is the portal address */
  title = g_strdup_printf (_("Connecting to %s…"), base_url);
  adw_status_page_set_description (self->loading_page, title);
  dsl_window_show_sign_in_error (self, NULL);
  dsl_window_show_page (self, "loading");
}

static void
dsl_window_cancel_sign_in (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);

  dsl_window_signed_out (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->key_entry));
}

static void
dsl_window_sign_out (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);

  /* Signing out forgets the key; the portal address stays for next time. */
  gtk_editable_set_text (GTK_EDITABLE (self->key_entry), "");
  dsl_window_signed_out (self, NULL);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Signed out")));
  gtk_widget_grab_focus (GTK_WIDGET (self->key_entry));
}

static void
dsl_window_reload_rooms_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  dsl_window_reload_rooms (DSL_WINDOW (widget));
}

/* --- Template callbacks --- */

static void
on_entry_changed (DslWindow *self)
{
  dsl_window_update_actions (self);
}

static void
on_portal_entry_activate (DslWindow *self)
{
  /* Enter in the address field moves on to the key, as a person fills the form top down. */
  gtk_widget_grab_focus (GTK_WIDGET (self->key_entry));
}

/* --- GObject --- */

static void
dsl_window_constructed (GObject *object)
{
  DslWindow *self = DSL_WINDOW (object);
  const char *portal = self->initial_portal;
  g_autofree char *last_portal = NULL;

  G_OBJECT_CLASS (dsl_window_parent_class)->constructed (object);

  if (portal == NULL && self->settings != NULL)
    {
      last_portal = g_settings_get_string (self->settings, "last-account");
      portal = last_portal;
    }

  if (portal != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->portal_entry), portal);

  dsl_window_show_page (self, "sign-in");
  gtk_widget_grab_focus (portal != NULL && *portal != '\0'
                         ? GTK_WIDGET (self->key_entry)
                         : GTK_WIDGET (self->portal_entry));
}

static void
dsl_window_dispose (GObject *object)
{
  DslWindow *self = DSL_WINDOW (object);

  dsl_window_cancel_request (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_WINDOW);
  g_clear_object (&self->client);
  g_clear_object (&self->user);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dsl_window_parent_class)->dispose (object);
}

static void
dsl_window_finalize (GObject *object)
{
  DslWindow *self = DSL_WINDOW (object);

  g_clear_pointer (&self->initial_portal, g_free);

  G_OBJECT_CLASS (dsl_window_parent_class)->finalize (object);
}

static void
dsl_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DslWindow *self = DSL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PORTAL:
      g_free (self->initial_portal);
      self->initial_portal = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DslWindow *self = DSL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PORTAL:
      g_value_set_string (value, self->initial_portal);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_window_class_init (DslWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dsl_window_constructed;
  object_class->dispose = dsl_window_dispose;
  object_class->finalize = dsl_window_finalize;
  object_class->set_property = dsl_window_set_property;
  object_class->get_property = dsl_window_get_property;

  /**
   * DslWindow:portal:
   *
   * The portal address the sign-in form starts with (from --portal).
   */
  properties[PROP_PORTAL] =
    g_param_spec_string ("portal", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DslWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, portal_entry);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, key_entry);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, signed_in_label);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, portal_label);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, rooms_stack);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, rooms_spinner);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, rooms);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, rooms_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_portal_entry_activate);

  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, dsl_window_sign_in);
  gtk_widget_class_install_action (widget_class, "win.cancel-sign-in", NULL,
                                   dsl_window_cancel_sign_in);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, dsl_window_sign_out);
  gtk_widget_class_install_action (widget_class, "win.reload-rooms", NULL,
                                   dsl_window_reload_rooms_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "win.cancel-sign-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload-rooms", NULL);
}

static void
dsl_window_init (DslWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Running from the build tree without GSETTINGS_SCHEMA_DIR must not abort: the window then
   * just does not remember its size. */
  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE);
  if (schema != NULL)
    {
      self->settings = g_settings_new_full (schema, NULL, NULL);
      g_settings_bind (self->settings, "window-width", self, "default-width",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized",
                       G_SETTINGS_BIND_DEFAULT);
    }
  else
    {
      g_info ("Schema %s is not installed; window state will not be saved", BASE_APP_ID);
    }

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

DslWindow *
dsl_window_new (DslApplication *application,
                const char     *portal)
{
  g_return_val_if_fail (application == NULL || DSL_IS_APPLICATION (application), NULL);

  return g_object_new (DSL_TYPE_WINDOW,
                       "application", application,
                       "portal", portal,
                       NULL);
}

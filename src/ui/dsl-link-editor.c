/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-editor.c: the form that creates or edits one external link: the GObject.
 *
 *   constructed ─▶ a new link: the defaults of Preferences (read_defaults); Share Temporarily:
 *                  can the portal count downloads? (the audit probe) ─▶ fill_form
 *   busy (a save in flight) ─▶ the form insensitive, the focus given back afterwards
 *   saved ─▶ "link" is a copy of what the portal stored ─▶ "saved"
 *   Cancel / Escape / dispose ─▶ `cancellable` cancelled: no answer is waited for
 *
 * The fields live in dsl-link-editor-form.c, Save in dsl-link-editor-save.c; what the files
 * share is in dsl-link-editor-private.h. */

#define G_LOG_DOMAIN "dsl-link-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-link-editor-private.h"
#include "dsl-link-form.h"
#include "dsl-link-guard.h"
#include "dsl-ui-util.h"

G_DEFINE_FINAL_TYPE (DslLinkEditor, dsl_link_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CLIENT,
  PROP_ITEM,
  PROP_LINK,
  PROP_BUSY,
  PROP_GUARD,
  PROP_ACCOUNT_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- State --- */

void
_dsl_link_editor_set_busy (DslLinkEditor *self,
                           gboolean       busy)
{
  GtkWidget *focus;

  busy = !!busy;
  if (self->busy == busy)
    return;

  /* The fields turn insensitive: take the focus out of them first (GTK 4.8 warns when a
   * focused GtkText loses it that way), and give it back afterwards. */
  focus = gtk_window_get_focus (GTK_WINDOW (self));
  if (busy && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->form_box)))
    {
      g_set_weak_pointer (&self->focus_before, focus);
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
    }

  self->busy = busy;
  _dsl_link_editor_update_form (self);

  if (!busy && self->focus_before != NULL)
    {
      gtk_widget_grab_focus (self->focus_before);
      g_clear_weak_pointer (&self->focus_before);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Saved: the editor's link becomes a copy of what the portal stored, then "saved" is emitted
 * (a handler may destroy the window). */
void
_dsl_link_editor_emit_saved (DslLinkEditor *self,
                             DslLink       *stored,
                             gboolean       created)
{
  g_clear_object (&self->link);
  self->link = dsl_link_copy (stored);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINK]);

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, stored, created);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslLinkEditor *self = DSL_LINK_EDITOR (widget);

  /* Stops waiting for a save in flight too: nothing is reported for it (the portal may still
   * apply it). A fresh cancellable in case the window is kept open after all. */
  if (self->busy)
    {
      g_cancellable_cancel (self->cancellable);
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
      g_clear_object (&self->sent);
      _dsl_link_editor_set_busy (self, FALSE);
    }
  gtk_window_close (GTK_WINDOW (self));
}

/* --- Public --- */

DslLinkEditor *
dsl_link_editor_new (GtkWindow  *parent,
                     DslSession *session,
                     DslClient  *client,
                     DslItem    *item,
                     DslLink    *link)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (session == NULL || DSL_IS_SESSION (session), NULL);
  g_return_val_if_fail (DSL_IS_CLIENT (client), NULL);
  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (link == NULL || DSL_IS_LINK (link), NULL);

  return g_object_new (DSL_TYPE_LINK_EDITOR,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       "session", session,
                       "client", client,
                       "item", item,
                       "link", link,
                       NULL);
}

DslLink *
dsl_link_editor_get_link (DslLinkEditor *self)
{
  g_return_val_if_fail (DSL_IS_LINK_EDITOR (self), NULL);

  return self->link;
}

DslLinkEditor *
dsl_link_editor_new_temporary (GtkWindow    *parent,
                               DslSession   *session,
                               DslClient    *client,
                               DslItem      *item,
                               DslLinkGuard *guard,
                               const char   *account_key)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DSL_IS_CLIENT (client), NULL);
  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (session == NULL || DSL_IS_SESSION (session), NULL);
  g_return_val_if_fail (DSL_IS_LINK_GUARD (guard), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  return g_object_new (DSL_TYPE_LINK_EDITOR,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       "session", session,
                       "client", client,
                       "item", item,
                       "guard", guard,
                       "account-key", account_key,
                       NULL);
}

gboolean
dsl_link_editor_is_temporary (DslLinkEditor *self)
{
  g_return_val_if_fail (DSL_IS_LINK_EDITOR (self), FALSE);

  return _dsl_link_editor_is_temporary (self);
}

gboolean
dsl_link_editor_get_limit_allowed (DslLinkEditor *self)
{
  g_return_val_if_fail (DSL_IS_LINK_EDITOR (self), FALSE);

  return self->limit_allowed;
}

/* The audit probe's answer: the download limit is offered, or off with the reason. */
static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(DslLinkEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean allowed;

  allowed = dsl_link_guard_probe_audit_finish (DSL_LINK_GUARD (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;

  self->limit_allowed = allowed;
  if (allowed)
    {
      adw_action_row_set_subtitle (self->limit_row,
                                   _("Revoke the link after this many downloads"));
    }
  else
    {
      g_autofree char *reason = NULL;

      if (dsl_guard_error_is_audit (error))
        reason = g_strdup (error->message);
      else
        /* Translators: %s is the portal's or the network's error message */
        reason = g_strdup_printf (_("Downloads cannot be counted now: %s"), error->message);
      gtk_switch_set_active (self->limit_switch, FALSE);
      /* the portal's message in it: plain text */
      dsl_row_set_plain_subtitle (self->limit_row, reason);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GUARD]);
  _dsl_link_editor_update_form (self);
}

/* --- Defaults for new links (Preferences) --- */

/* The session's settings, or (no session: the tests) the schema's from the default source;
 * NULL when the schema is not installed. */
static GSettings *
dup_settings (DslLinkEditor *self)
{
  if (self->session != NULL && dsl_session_get_settings (self->session) != NULL)
    return g_object_ref (dsl_session_get_settings (self->session));
  return dsl_session_settings_new ();
}

/* "default-link-access", "default-expiry-preset" and "default-password-required", or the
 * form's own defaults (Read, 7 days, no password) without them. A temporary link is View only
 * and must expire: "Never" gives 7 days there. */
static void
read_defaults (DslLinkEditor *self)
{
  g_autoptr(GSettings) settings = dup_settings (self);
  g_autoptr(GSettingsSchema) schema = NULL;

  self->default_access = DSL_ACCESS_READ;
  self->default_preset = DSL_EXPIRY_PRESET_7_DAYS;
  self->default_password = FALSE;
  if (settings == NULL)
    return;

  /* An older schema installed system-wide may not have the keys yet. */
  g_object_get (settings, "settings-schema", &schema, NULL);
  if (g_settings_schema_has_key (schema, "default-link-access"))
    {
      g_autofree char *nick = g_settings_get_string (settings, "default-link-access");

      dsl_link_access_from_nick (nick, &self->default_access);
    }
  if (g_settings_schema_has_key (schema, "default-expiry-preset"))
    {
      g_autofree char *nick = g_settings_get_string (settings, "default-expiry-preset");

      dsl_expiry_preset_from_nick (nick, &self->default_preset);
    }
  if (g_settings_schema_has_key (schema, "default-password-required"))
    self->default_password = g_settings_get_boolean (settings, "default-password-required");

  if (_dsl_link_editor_is_temporary (self))
    {
      self->default_access = DSL_ACCESS_READ;
      if (self->default_preset == DSL_EXPIRY_PRESET_NEVER)
        self->default_preset = DSL_EXPIRY_PRESET_7_DAYS;
    }
}

/* --- GObject --- */

static void
dsl_link_editor_constructed (GObject *object)
{
  DslLinkEditor *self = DSL_LINK_EDITOR (object);

  G_OBJECT_CLASS (dsl_link_editor_parent_class)->constructed (object);

  g_return_if_fail (self->client != NULL && self->item != NULL);

  gtk_window_set_title (GTK_WINDOW (self),
                        _dsl_link_editor_is_new (self) ? _("New Link") : _("Edit Link"));
  if (_dsl_link_editor_is_temporary (self))
    {
      g_return_if_fail (self->link == NULL && self->account_key != NULL);
      gtk_window_set_title (GTK_WINDOW (self), _("Share Temporarily"));
      gtk_label_set_text_with_mnemonic (self->save_label, _("_Create and Copy"));
      gtk_widget_set_visible (self->limit_group, TRUE);
      adw_action_row_set_subtitle (self->limit_row,
                                   _("Checking whether the portal can count downloads…"));
      dsl_link_guard_probe_audit_async (self->guard, self->cancellable, probe_cb,
                                        g_object_ref (self));
    }
  if (self->link == NULL)
    read_defaults (self);
  _dsl_link_editor_fill_form (self, self->link);

  if (self->link == NULL)
    dsl_client_list_links_async (self->client, dsl_item_get_kind (self->item),
                                 dsl_item_get_id (self->item),
                                 dsl_item_get_kind (self->item) == DSL_ITEM_KIND_ROOM
                                 ? DSL_LINK_TYPE_EXTERNAL : -1,
                                 self->cancellable, _dsl_link_editor_list_links_cb,
                                 g_object_ref (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
dsl_link_editor_dispose (GObject *object)
{
  DslLinkEditor *self = DSL_LINK_EDITOR (object);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_LINK_EDITOR);

  g_clear_object (&self->session);
  g_clear_object (&self->client);
  g_clear_object (&self->item);
  g_clear_object (&self->link);
  g_clear_object (&self->sent);
  g_clear_object (&self->conflict);
  g_clear_object (&self->guard);
  g_clear_weak_pointer (&self->focus_before);

  G_OBJECT_CLASS (dsl_link_editor_parent_class)->dispose (object);
}

static void
dsl_link_editor_finalize (GObject *object)
{
  DslLinkEditor *self = DSL_LINK_EDITOR (object);

  g_clear_pointer (&self->rights, g_array_unref);
  g_clear_pointer (&self->default_title, g_free);
  g_clear_pointer (&self->initial_date, g_free);
  g_clear_pointer (&self->account_key, g_free);
  g_clear_pointer (&self->sent_at, g_date_time_unref);
  g_clear_pointer (&self->known_ids, g_strfreev);
  g_clear_pointer (&self->change, dsl_link_change_free);
  _dsl_link_editor_clear_server_errors (self);

  G_OBJECT_CLASS (dsl_link_editor_parent_class)->finalize (object);
}

static void
dsl_link_editor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DslLinkEditor *self = DSL_LINK_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_GUARD:
      g_value_set_object (value, self->guard);
      break;
    case PROP_ACCOUNT_KEY:
      g_value_set_string (value, self->account_key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_editor_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DslLinkEditor *self = DSL_LINK_EDITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;
    case PROP_CLIENT:
      g_set_object (&self->client, g_value_get_object (value));
      break;
    case PROP_ITEM:
      g_set_object (&self->item, g_value_get_object (value));
      break;
    case PROP_LINK:
      {
        DslLink *link = g_value_get_object (value);

        /* The editor works on its own copy: the list's link changes only after a save. */
        g_clear_object (&self->link);
        self->link = link != NULL ? dsl_link_copy (link) : NULL;
      }
      break;
    case PROP_GUARD:
      g_set_object (&self->guard, g_value_get_object (value));
      break;
    case PROP_ACCOUNT_KEY:
      g_free (self->account_key);
      self->account_key = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_editor_class_init (DslLinkEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = dsl_link_editor_constructed;
  object_class->dispose = dsl_link_editor_dispose;
  object_class->finalize = dsl_link_editor_finalize;
  object_class->get_property = dsl_link_editor_get_property;
  object_class->set_property = dsl_link_editor_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DSL_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DSL_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, DSL_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINK] =
    g_param_spec_object ("link", NULL, NULL, DSL_TYPE_LINK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GUARD] =
    g_param_spec_object ("guard", NULL, NULL, DSL_TYPE_LINK_GUARD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_KEY] =
    g_param_spec_string ("account-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, DSL_TYPE_LINK, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-link-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, save_label);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, message_box);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, message_icon);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, message_label);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, form_box);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, name_error);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, access_row);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, access_error);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, internal_row);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, internal_switch);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, expires_row);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, expiry_date_row);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, expiry_error);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, password_switch_row);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, password_switch);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, generate_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, password_row);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, password_error);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, download_row);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, download_switch);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, limit_group);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, limit_row);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, limit_spin);
  gtk_widget_class_bind_template_child (widget_class, DslLinkEditor, limit_switch);

  /* editor.save, editor.cancel, then the fields' callbacks and editor.generate-password. */
  _dsl_link_editor_class_save_init (widget_class);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  _dsl_link_editor_class_form_init (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
}

static void
dsl_link_editor_init (DslLinkEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->rights = g_array_new (FALSE, FALSE, sizeof (DslAccess));
  self->default_access = DSL_ACCESS_READ;
  self->default_preset = DSL_EXPIRY_PRESET_7_DAYS;

  gtk_widget_init_template (GTK_WIDGET (self));

  _dsl_link_editor_form_init (self);

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

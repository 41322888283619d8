/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-editor-save.c: DslLinkEditor's Save, and the answer to it.
 *
 *   Save ─▶ build_state (the FULL state) ─▶ dsl_link_form_check ─▶ PUT …/links (create/update)
 *        ─┬─ error: the server's message under its field (400 password …) or above the form;
 *         │         nothing typed is lost; a timeout is never sent again (listener re-reads)
 *         └─ stored: "saved" ─▶ close, or stay saying which changes the portal skipped (Close)
 *   edit ─▶ only the changed settings, on the portal's current state ─▶ someone else changed
 *           the same setting: asked above the form (Save Anyway / Cancel)
 *   Share Temporarily ─▶ a create that outlives the window ─▶ the guard's record of the link
 *
 * Every request but a temporary create runs with `cancellable` (Cancel, Escape and dispose
 * cancel it) and holds a reference to the editor. The password is a secret: it only goes from
 * the state that is sent into the request, and is never logged. */

#define G_LOG_DOMAIN "dsl-link-editor"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dsl-link-editor-private.h"
#include "dsl-link-form.h"
#include "dsl-link-guard.h"
#include "dsl-link-monitor.h"
#include "dsl-link-ops.h"
#include "dsl-ui-util.h"

/* --- The item's links before a create --- */

/* A create that times out is looked for among the links that are not these. */
void
_dsl_link_editor_set_known_ids (DslLinkEditor *self,
                                GPtrArray     *links)
{
  guint n = 0;

  g_strfreev (self->known_ids);
  self->known_ids = g_new0 (char *, links->len + 1);
  for (guint i = 0; i < links->len; i++)
    if (dsl_link_get_id (g_ptr_array_index (links, i)) != NULL)
      self->known_ids[n++] = g_strdup (dsl_link_get_id (g_ptr_array_index (links, i)));
}

/* --- Share Temporarily: the create outlives the window --- */

/* A temporary link's create, detached from the editor: Cancel or closing the window does not
 * cancel it (the portal may make the link anyway), so whatever it gives — the answer, or the
 * link a timed-out create is found to have made — gets its guard record. */
typedef struct {
  DslLinkEditor *editor;      /* weak: NULL once the editor is finalized */
  GtkWindow     *parent;      /* weak: where a toast goes when the editor is gone */
  DslLinkMonitor *monitor;    /* owned, nullable: the session's (its window shows problems) */
  DslLinkGuard  *guard;       /* owned */
  DslItem       *item;        /* owned */
  char          *account_key;
  GDateTime     *sent_at;
  guint          limit;       /* 0: expiry only */
} TemporaryCreate;

static void
temporary_create_free (TemporaryCreate *data)
{
  g_clear_weak_pointer (&data->editor);
  g_clear_weak_pointer (&data->parent);
  g_clear_object (&data->monitor);
  g_clear_object (&data->guard);
  g_clear_object (&data->item);
  g_free (data->account_key);
  g_clear_pointer (&data->sent_at, g_date_time_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TemporaryCreate, temporary_create_free)

/* The new link goes into the guard's store, with its limit (0 = expiry only), so the guard
 * revokes it in time. The store holds no secret: never the password. FALSE when the store
 * could not be saved: *record is the record and *error why. */
static gboolean
guard_created_link (TemporaryCreate  *data,
                    DslLink          *stored,
                    DslGuardedLink  **record,
                    GError          **error)
{
  DslGuardStore *store = dsl_link_guard_get_store (data->guard);
  g_autoptr(DslGuardedLink) guarded = NULL;

  guarded = dsl_guarded_link_new (data->account_key, dsl_link_get_id (stored),
                                  dsl_item_get_id (data->item), dsl_item_get_kind (data->item),
                                  dsl_item_get_title (data->item),
                                  dsl_link_get_share_link (stored), data->limit, data->sent_at,
                                  dsl_link_get_expiration_date (stored));
  /* Nothing counted since it was created: "0 of N downloads" until the first check. */
  dsl_guarded_link_set_downloads (guarded, 0);
  dsl_guard_store_add (store, guarded);
  *record = g_steal_pointer (&guarded);
  return dsl_guard_store_save (store, error);
}

/* A toast in the window the editor was opened from (its first AdwToastOverlay). */
static gboolean
toast_in_window (GtkWindow  *window,
                 const char *title)
{
  GtkWidget *widget = window != NULL ? gtk_window_get_child (window) : NULL;
  GPtrArray *queue;
  gboolean shown = FALSE;

  if (widget == NULL)
    return FALSE;
  queue = g_ptr_array_new ();
  g_ptr_array_add (queue, widget);
  for (guint i = 0; i < queue->len && !shown; i++)
    {
      widget = queue->pdata[i];
      if (ADW_IS_TOAST_OVERLAY (widget))
        {
          /* System words in it: plain text (libadwaita 1.2 toasts parse markup). */
          AdwToast *toast = dsl_plain_toast_new (title);

          adw_toast_set_timeout (toast, 0);
          adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (widget), toast);
          shown = TRUE;
        }
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (queue, child);
    }
  g_ptr_array_unref (queue);
  return shown;
}

static void save_outcome (DslLinkEditor *self,
                          DslLink       *stored,
                          gboolean       created,
                          const char    *skipped,
                          const char    *trouble);
static void show_save_error (DslLinkEditor *self,
                             const GError  *error,
                             gboolean       creating);

/* --- Saving --- */

static Field
field_of_bad_request (DslLinkEditor *self,
                      const GError  *error)
{
  const char * const *field_errors = dsl_error_get_field_errors (error);
  g_autofree char *message = g_utf8_casefold (error->message, -1);

  /* Problem details name the member: "Password: The field Password must be…". */
  for (guint i = 0; field_errors != NULL && field_errors[i] != NULL; i++)
    {
      g_autofree char *line = g_utf8_casefold (field_errors[i], -1);

      if (g_str_has_prefix (line, "password"))
        return FIELD_PASSWORD;
      if (g_str_has_prefix (line, "title"))
        return FIELD_NAME;
      if (g_str_has_prefix (line, "expirationdate"))
        return FIELD_EXPIRY;
      if (g_str_has_prefix (line, "access"))
        return FIELD_ACCESS;
    }

  /* The policy text of §6.6, the date limits of §6.4. */
  if (strstr (message, "password") != NULL)
    return FIELD_PASSWORD;
  if (strstr (message, "expiration") != NULL && self->can_edit_expiry)
    return FIELD_EXPIRY;
  return FIELD_FORM;
}

static void
show_save_error (DslLinkEditor *self,
                 const GError  *error,
                 gboolean       creating)
{
  Field field = FIELD_FORM;
  const char *message = error->message;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    message = _("The portal did not answer in time. Check the link list before trying again.");
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_GONE))
    message = _("This link was removed by someone else, so nothing was saved. What you typed "
                "is still here.");
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_NOT_APPLIED))
    message = creating
              ? _("The portal did not create the link. The item may be in the Archive, or "
                  "new links may not be allowed for it. Check the link list.")
              : _("The portal did not apply the change. Check the link list.");
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_BAD_REQUEST))
    field = field_of_bad_request (self, error);
  /* 403 (the link limit, a role not available, an archived item) and the rest: above. */

  if (field == FIELD_FORM)
    {
      _dsl_link_editor_show_message (self, MESSAGE_ERROR, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
      return;
    }

  g_free (self->server_errors[field]);
  self->server_errors[field] = g_strdup (message);
  _dsl_link_editor_update_form (self);
  gtk_widget_grab_focus (_dsl_link_editor_widget_for (self, field));
}

/* The editor is still there for the answer (not closed, not cancelled). */
static gboolean
waiting (DslLinkEditor *self)
{
  return self != NULL && self->cancellable != NULL && self->busy;
}

static void
temporary_create_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TemporaryCreate) data = user_data;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trouble = NULL;
  g_autoptr(DslLinkEditor) self = NULL;
  g_autoptr(DslGuardedLink) record = NULL;
  g_autoptr(GError) store_error = NULL;
  gboolean reconciled = FALSE;

  stored = dsl_link_ops_create_finish (DSL_CLIENT (source), result, &reconciled, &error);
  if (stored != NULL)
    {
      if (reconciled)
        g_debug ("A timed-out create made link %s: guarded", dsl_link_get_id (stored));
      if (!guard_created_link (data, stored, &record, &store_error))
        /* What it means for this link, in the guard's words. */
        trouble = dsl_guarded_link_describe_save_error (record, store_error);
    }

  if (data->editor != NULL)
    self = g_object_ref (data->editor);
  if (waiting (self))
    {
      g_autoptr(DslLink) sent = g_steal_pointer (&self->sent);
      g_autofree char *skipped = NULL;

      if (trouble != NULL)
        g_message ("could not save the guarded links: %s", store_error->message);
      _dsl_link_editor_set_busy (self, FALSE);
      if (stored == NULL)
        {
          show_save_error (self, error, TRUE);
          return;
        }
      skipped = dsl_link_form_describe_skipped (sent, stored);
      save_outcome (self, stored, TRUE, skipped, trouble);
      return;
    }

  /* The window was closed meanwhile: the person hears of it in the window behind. */
  if (stored == NULL)
    {
      g_debug ("A temporary link's create failed after its editor closed: %s", error->message);
      return;
    }
  if (trouble != NULL && data->monitor != NULL)
    {
      /* The window's one way for a failed save of the guarded links: the session's monitor. */
      dsl_link_monitor_report_store_error (data->monitor, store_error, record);
      return;
    }
  if (trouble != NULL)
    g_message ("could not save the guarded links: %s", store_error->message);
  else
    {
      if (data->limit > 0)
        trouble = g_strdup_printf (ngettext ("The temporary link was created after all: it is "
                                             "revoked after %u download or when it expires.",
                                             "The temporary link was created after all: it is "
                                             "revoked after %u downloads or when it expires.",
                                             data->limit), data->limit);
      else
        trouble = g_strdup (_("The temporary link was created after all: it is revoked when it "
                              "expires."));
    }
  if (!toast_in_window (data->parent, trouble))
    g_message ("%s", trouble);
}

static void
start_temporary_create (DslLinkEditor *self,
                        DslLink       *state)
{
  TemporaryCreate *data = g_new0 (TemporaryCreate, 1);

  g_set_weak_pointer (&data->editor, self);
  g_set_weak_pointer (&data->parent, gtk_window_get_transient_for (GTK_WINDOW (self)));
  if (self->session != NULL)
    data->monitor = g_object_ref (dsl_session_get_monitor (self->session));
  data->guard = g_object_ref (self->guard);
  data->item = g_object_ref (self->item);
  data->account_key = g_strdup (self->account_key);
  data->sent_at = g_date_time_ref (self->sent_at);
  if (self->limit_allowed && gtk_switch_get_active (self->limit_switch))
    {
      /* A number typed but not yet confirmed with Enter or Tab counts too. */
      gtk_spin_button_update (self->limit_spin);
      data->limit = (guint) gtk_spin_button_get_value_as_int (self->limit_spin);
    }

  /* Not the editor's cancellable: closing the window does not stop it. */
  dsl_link_ops_create_async (self->client, self->item, state,
                             (const char * const *) self->known_ids, NULL,
                             temporary_create_cb, data);
}

/* --- The answer --- */

/* Saved (`skipped`: what the portal did not take; `trouble`: what went wrong after the save,
 * the guard's record). Without either the window closes. */
static void
save_outcome (DslLinkEditor *self,
              DslLink       *stored,
              gboolean       created,
              const char    *skipped,
              const char    *trouble)
{
  g_clear_pointer (&self->change, dsl_link_change_free);
  g_clear_object (&self->conflict);
  _dsl_link_editor_emit_saved (self, stored, created);
  /* A handler may have destroyed the window. */
  if (self->cancellable == NULL)
    {
      if (trouble != NULL && !toast_in_window (gtk_window_get_transient_for (GTK_WINDOW (self)),
                                               trouble))
        g_message ("%s", trouble);
      return;
    }

  if (skipped == NULL && trouble == NULL)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  /* Stay, showing what the portal stored and which changes it did not take (or what the
   * record's failure means). The focus goes to Close before the fields turn insensitive. */
  gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
  _dsl_link_editor_fill_form (self, self->link);
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Link"));
  self->done = TRUE;
  if (trouble != NULL && skipped != NULL)
    {
      g_autofree char *both = g_strconcat (trouble, " ", skipped, NULL);

      _dsl_link_editor_show_message (self, MESSAGE_ERROR, both);
    }
  else
    _dsl_link_editor_show_message (self, trouble != NULL ? MESSAGE_ERROR : MESSAGE_WARNING,
                                   trouble != NULL ? trouble : skipped);
  gtk_label_set_text_with_mnemonic (self->save_label, _("_Close"));
  _dsl_link_editor_update_form (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
}

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DslLinkEditor) self = user_data;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(DslLink) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *skipped = NULL;

  stored = dsl_link_ops_create_finish (DSL_CLIENT (source), result, NULL, &error);

  /* Cancelled: Cancel or dispose; the widgets may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;

  sent = g_steal_pointer (&self->sent);
  _dsl_link_editor_set_busy (self, FALSE);
  if (stored == NULL)
    {
      /* Never sent again from here (a create that timed out and is not in the list read
       * again may still appear): the person decides, and the listener re-reads the list. */
      show_save_error (self, error, TRUE);
      return;
    }
  skipped = dsl_link_form_describe_skipped (sent, stored);
  save_outcome (self, stored, TRUE, skipped, NULL);
}

/* Someone else changed a setting the person changed too: asked here, with both values. */
static void
show_conflict (DslLinkEditor *self,
               const char    *message,
               DslLink       *current)
{
  g_autofree char *text = NULL;

  g_set_object (&self->conflict, current);
  /* Translators: %s says what someone else changed, with both values */
  text = g_strdup_printf (_("%s Save Anyway to apply your change over it, or Cancel to keep "
                            "it."), message);
  _dsl_link_editor_show_message (self, MESSAGE_WARNING, text);
  gtk_label_set_text_with_mnemonic (self->save_label, _("Save _Anyway"));
  _dsl_link_editor_update_form (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
}

static void
change_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DslLinkEditor) self = user_data;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(DslLink) current = NULL;
  g_autoptr(GError) error = NULL;

  stored = dsl_link_ops_change_finish (DSL_CLIENT (source), result, &current, &error);

  /* Cancelled: Cancel or dispose; the widgets may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->cancellable == NULL)
    return;

  g_clear_object (&self->sent);
  _dsl_link_editor_set_busy (self, FALSE);

  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_CONFLICT) && current != NULL)
    {
      show_conflict (self, error->message, current);
      return;
    }
  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_NOT_APPLIED) && current != NULL)
    {
      /* Saved, but the portal skipped (part of) it: what it kept, and which. */
      save_outcome (self, current, FALSE, error->message, NULL);
      return;
    }
  if (stored == NULL)
    {
      show_save_error (self, error, FALSE);
      return;
    }
  save_outcome (self, stored, FALSE, NULL, NULL);
}

static void
start_create (DslLinkEditor *self)
{
  if (_dsl_link_editor_is_temporary (self))
    start_temporary_create (self, self->sent);
  else
    dsl_link_ops_create_async (self->client, self->item, self->sent,
                               (const char * const *) self->known_ids, self->cancellable,
                               create_cb, g_object_ref (self));
}

static void
known_ids_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(DslLinkEditor) self = user_data;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;

  links = dsl_client_list_links_finish (DSL_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !waiting (self))
    return;
  if (links != NULL)
    _dsl_link_editor_set_known_ids (self, links);
  else
    g_debug ("Could not read the item's links before the create: %s", error->message);
  start_create (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DslLinkEditor *self = DSL_LINK_EDITOR (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(DslLink) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (self->done)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  if (self->busy)
    return;

  /* Everything typed counts now, also a field not yet visited. */
  for (guint i = 0; i < N_FIELDS; i++)
    self->touched[i] = TRUE;
  _dsl_link_editor_clear_server_errors (self);
  _dsl_link_editor_show_message (self, MESSAGE_ERROR, NULL);
  _dsl_link_editor_update_form (self);
  if (self->invalid)
    return;

  state = _dsl_link_editor_build_state (self, now, &message);
  if (state == NULL)
    {
      _dsl_link_editor_show_field_error (self, FIELD_EXPIRY, message);
      return;
    }
  if (!dsl_link_form_check (self->item, state, now, &error))
    {
      Field field = FIELD_FORM;

      if (error->domain == DSL_LINK_FORM_ERROR)
        {
          switch ((DslLinkFormError) error->code)
            {
            case DSL_LINK_FORM_ERROR_TITLE_EMPTY:
            case DSL_LINK_FORM_ERROR_TITLE_TOO_LONG:
              field = FIELD_NAME;
              break;
            case DSL_LINK_FORM_ERROR_EXPIRY_PAST:
            case DSL_LINK_FORM_ERROR_EXPIRY_TOO_FAR:
              field = FIELD_EXPIRY;
              break;
            case DSL_LINK_FORM_ERROR_PASSWORD_EMPTY:
            case DSL_LINK_FORM_ERROR_PASSWORD_LENGTH:
            case DSL_LINK_FORM_ERROR_PASSWORD_CHARS:
              field = FIELD_PASSWORD;
              break;
            case DSL_LINK_FORM_ERROR_ACCESS:
              field = FIELD_ACCESS;
              break;
            default:
              break;
            }
        }
      if (field == FIELD_FORM)
        _dsl_link_editor_show_message (self, MESSAGE_ERROR, error->message);
      else
        _dsl_link_editor_show_field_error (self, field, error->message);
      return;
    }

  g_clear_object (&self->sent);
  self->sent = g_object_ref (state);
  _dsl_link_editor_set_busy (self, TRUE);

  if (!_dsl_link_editor_is_new (self))
    {
      /* Only what the person changed, applied to the portal's current state. After a
       * conflict, Save Anyway: what the portal has now is what the person has seen. */
      g_clear_pointer (&self->change, dsl_link_change_free);
      self->change = dsl_link_change_new_from_states (self->link, state);
      if (self->conflict != NULL)
        dsl_link_change_accept_current (self->change, self->conflict);
      g_clear_object (&self->conflict);
      gtk_label_set_text_with_mnemonic (self->save_label, _("_Save"));
      dsl_link_ops_change_async (self->client, dsl_item_get_kind (self->item),
                                 dsl_item_get_id (self->item), self->change, self->cancellable,
                                 change_cb, g_object_ref (self));
      return;
    }

  {
    g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();

    /* The guard counts downloads from here on (whole seconds, as the audit trail). */
    g_clear_pointer (&self->sent_at, g_date_time_unref);
    self->sent_at = g_date_time_add (utc, -(GTimeSpan) g_date_time_get_microsecond (utc));
  }

  if (self->known_ids == NULL)
    {
      /* The links read at opening are not in (that read failed): read them first, so a
       * create that times out is not taken for a link that was there already. */
      dsl_client_list_links_async (self->client, dsl_item_get_kind (self->item),
                                   dsl_item_get_id (self->item), -1, self->cancellable,
                                   known_ids_cb, g_object_ref (self));
      return;
    }
  start_create (self);
}

/* --- Class --- */

void
_dsl_link_editor_class_save_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
}

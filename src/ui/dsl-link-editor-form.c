/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-editor-form.c: DslLinkEditor's fields: filling them, checking them, showing why not.
 *
 *   fill_form (a link, or a new link's defaults) ─▶ every field; a new link: GET …/links ─▶
 *             "Link N" + limit hint
 *   any change ─▶ update_form: each field checked (dsl-link-form), its error under it, Save
 *                 sensitive only when all are valid (its tooltip says why not)
 *   build_state ─▶ the FULL state the fields stand for, for Save (dsl-link-editor-save.c)
 *
 * The expiry date is typed as "YYYY-MM-DD HH:MM" in local time (parse_expiry); a link's own
 * date, unchanged, is kept to the second. The password only goes from its entry into the state
 * that is sent. */

#define G_LOG_DOMAIN "dsl-link-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-link-editor-private.h"
#include "dsl-link-form.h"
#include "dsl-link-rules.h"
#include "dsl-ui-util.h"

/* FolderType values of the enclosing room (docspace-api.md §5). */
#define FOLDER_TYPE_PUBLIC_ROOM 22
#define FOLDER_TYPE_VIRTUAL_DATA_ROOM 29

/* The format of the expiry date entry, in local time. */
#define DATE_FORMAT "%Y-%m-%d %H:%M"

typedef enum {
  ROOM_CONTEXT_OTHER,
  ROOM_CONTEXT_PUBLIC,
  ROOM_CONTEXT_VIRTUAL_DATA,
} RoomContext;

/* --- Small helpers --- */

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
set_text (gpointer    editable,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text != NULL ? text : "");
}

/* The GtkText inside an entry row: what has the focus, so what a screen reader names. */
static GtkAccessible *
accessible_of (gpointer widget)
{
  if (GTK_IS_EDITABLE (widget))
    {
      GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (widget));

      if (delegate != NULL)
        return GTK_ACCESSIBLE (delegate);
    }
  return GTK_ACCESSIBLE (widget);
}

/* Names an entry row and its GtkText `label`, each once and explicitly, with the labelled-by
 * relations libadwaita adds dropped: 1.2 relates the row to its title, which GTK 4.8 says after
 * an accessible label ("Password Password"); 1.7 relates the GtkText instead, and GTK 4.18 names
 * a row without a label of its own from its content, the title and the GtkText's name. */
static void
name_entry (gpointer    row,
            const char *label)
{
  GtkAccessible *text = accessible_of (row);

  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  if (text != GTK_ACCESSIBLE (row))
    {
      gtk_accessible_update_property (text, GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      gtk_accessible_reset_relation (text, GTK_ACCESSIBLE_RELATION_LABELLED_BY);
    }
}

static RoomContext
room_context (DslItem *item)
{
  if (dsl_item_get_kind (item) == DSL_ITEM_KIND_ROOM)
    {
      switch (dsl_item_get_room_type (item))
        {
        case DSL_ROOM_TYPE_PUBLIC:
          return ROOM_CONTEXT_PUBLIC;
        case DSL_ROOM_TYPE_VIRTUAL_DATA:
          return ROOM_CONTEXT_VIRTUAL_DATA;
        default:
          return ROOM_CONTEXT_OTHER;
        }
    }

  switch (dsl_item_get_parent_room_type (item))
    {
    case FOLDER_TYPE_PUBLIC_ROOM:
      return ROOM_CONTEXT_PUBLIC;
    case FOLDER_TYPE_VIRTUAL_DATA_ROOM:
      return ROOM_CONTEXT_VIRTUAL_DATA;
    default:
      return ROOM_CONTEXT_OTHER;
    }
}

static DslSubjectType
subject_type (DslLinkEditor *self)
{
  return self->link != NULL ? dsl_link_get_subject_type (self->link)
                            : DSL_SUBJECT_TYPE_EXTERNAL_LINK;
}

static DslExpiryPreset
selected_preset (DslLinkEditor *self)
{
  guint selected = adw_combo_row_get_selected (self->expires_row);

  return selected < DSL_N_EXPIRY_PRESETS ? (DslExpiryPreset) selected : DSL_EXPIRY_PRESET_NEVER;
}

static gboolean
custom_expiry (DslLinkEditor *self)
{
  return selected_preset (self) == DSL_EXPIRY_PRESET_CUSTOM;
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date);

  return g_date_time_format (local, DATE_FORMAT);
}

/* --- The expiry date as typed --- */

/* "YYYY-MM-DD HH:MM" in local time (a "T" or several spaces between date and time are fine).
 * Returns NULL with a message for the person when it is not a date that exists. */
static GDateTime *
parse_expiry (const char  *text,
              GDateTime   *now,
              char       **message)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  int values[5];
  int year, month, day, hour, minute;
  GDateTime *date;

  regex = g_regex_new ("^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]+)([0-9]{1,2}):([0-9]{2})$",
                       0, 0, NULL);
  g_assert (regex != NULL);

  if (!g_regex_match (regex, trimmed, 0, &match))
    {
      g_autoptr(GDateTime) example = g_date_time_add_days (now, 7);
      g_autofree char *example_text = g_date_time_format (example, DATE_FORMAT);

      /* Translators: %s is an example date in the same format, e.g. 2026-07-01 18:00 */
      *message = g_strdup_printf (_("Enter a date as YYYY-MM-DD HH:MM, for example %s"),
                                  example_text);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *part = g_match_info_fetch (match, i + 1);

      values[i] = (int) g_ascii_strtoll (part, NULL, 10);
    }
  year = values[0];
  month = values[1];
  day = values[2];
  hour = values[3];
  minute = values[4];

  if (year < 1)
    {
      *message = g_strdup (_("Enter a year after 0001"));
      return NULL;
    }
  if (month < 1 || month > 12)
    {
      *message = g_strdup (_("Enter a month from 01 to 12"));
      return NULL;
    }
  if (day < 1 || day > g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year))
    {
      g_autoptr(GDateTime) first = g_date_time_new_local (year, month, 1, 12, 0, 0);
      g_autofree char *month_name = first != NULL ? g_date_time_format (first, "%B %Y")
                                                  : g_strdup_printf ("%04d-%02d", year, month);
      int days = g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);

      /* Translators: "February 2026 has only 28 days" */
      *message = g_strdup_printf (ngettext ("%s has only %d day", "%s has only %d days", days),
                                  month_name, days);
      return NULL;
    }
  if (hour > 23 || minute > 59)
    {
      *message = g_strdup (_("Enter a time from 00:00 to 23:59"));
      return NULL;
    }

  date = g_date_time_new_local (year, month, day, hour, minute, 0);
  if (date == NULL)
    *message = g_strdup (_("Enter a date as YYYY-MM-DD HH:MM"));
  return date;
}

/* The expiry the form stands for: NULL = never. FALSE with a message when the typed date is
 * not a date. Unchanged or not editable: the link's own date, to the second. */
static gboolean
form_expiry (DslLinkEditor  *self,
             GDateTime      *now,
             GDateTime     **expiry,
             char          **message)
{
  DslExpiryPreset preset = selected_preset (self);
  GDateTime *original = self->link != NULL ? dsl_link_get_expiration_date (self->link) : NULL;

  *expiry = NULL;
  if (!self->can_edit_expiry)
    {
      *expiry = original != NULL ? g_date_time_ref (original) : NULL;
      return TRUE;
    }

  switch (preset)
    {
    case DSL_EXPIRY_PRESET_NEVER:
      return TRUE;
    case DSL_EXPIRY_PRESET_CUSTOM:
      {
        g_autofree char *typed = g_strstrip (g_strdup (text_of (self->expiry_date_row)));

        /* As filled in: the link's own date, seconds included. */
        if (original != NULL && g_strcmp0 (typed, self->initial_date) == 0)
          {
            *expiry = g_date_time_ref (original);
            return TRUE;
          }
        *expiry = parse_expiry (typed, now, message);
        return *expiry != NULL;
      }
    case DSL_EXPIRY_PRESET_12_HOURS:
    case DSL_EXPIRY_PRESET_1_DAY:
    case DSL_EXPIRY_PRESET_7_DAYS:
    case DSL_EXPIRY_PRESET_30_DAYS:
    default:
      *expiry = dsl_expiry_preset_apply (preset, now);
      return TRUE;
    }
}

/* The full state to send: a copy of the link (id, subject and link type, primary kept) with
 * every setting from the form. NULL with *message when the expiry date is not a date. */
DslLink *
_dsl_link_editor_build_state (DslLinkEditor  *self,
                              GDateTime      *now,
                              char          **message)
{
  g_autoptr(DslLink) state = self->link != NULL ? dsl_link_copy (self->link) : dsl_link_new ();
  g_autoptr(GDateTime) expiry = NULL;
  g_autofree char *title = g_strstrip (g_strdup (text_of (self->name_row)));
  guint selected = adw_combo_row_get_selected (self->access_row);

  if (!form_expiry (self, now, &expiry, message))
    return NULL;

  dsl_link_set_title (state, title);
  if (selected < self->rights->len)
    dsl_link_set_access (state, g_array_index (self->rights, DslAccess, selected));
  dsl_link_set_internal (state, gtk_switch_get_active (self->internal_switch));
  dsl_link_set_deny_download (state, gtk_switch_get_active (self->download_switch));
  dsl_link_set_expiration_date (state, expiry);
  dsl_link_set_password (state, gtk_switch_get_active (self->password_switch)
                                ? text_of (self->password_row) : NULL);

  return g_steal_pointer (&state);
}

/* --- Showing errors --- */

static GtkLabel *
error_label_for (DslLinkEditor *self,
                 Field          field)
{
  switch (field)
    {
    case FIELD_NAME:
      return self->name_error;
    case FIELD_ACCESS:
      return self->access_error;
    case FIELD_EXPIRY:
      return self->expiry_error;
    case FIELD_PASSWORD:
      return self->password_error;
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

GtkWidget *
_dsl_link_editor_widget_for (DslLinkEditor *self,
                             Field          field)
{
  switch (field)
    {
    case FIELD_NAME:
      return GTK_WIDGET (self->name_row);
    case FIELD_ACCESS:
      return GTK_WIDGET (self->access_row);
    case FIELD_EXPIRY:
      return custom_expiry (self) ? GTK_WIDGET (self->expiry_date_row)
                                  : GTK_WIDGET (self->expires_row);
    case FIELD_PASSWORD:
      return GTK_WIDGET (self->password_row);
    case N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

void
_dsl_link_editor_show_field_error (DslLinkEditor *self,
                                   Field          field,
                                   const char    *message)
{
  GtkLabel *label = error_label_for (self, field);
  GtkWidget *widgets[] = { _dsl_link_editor_widget_for (self, field), NULL };
  gboolean show = message != NULL && *message != '\0';

  if (field == FIELD_EXPIRY)
    {
      /* The error belongs to whichever expiry widget is in use; never both. */
      widgets[0] = GTK_WIDGET (self->expires_row);
      widgets[1] = GTK_WIDGET (self->expiry_date_row);
      gtk_widget_remove_css_class (widgets[0], "error");
      gtk_widget_remove_css_class (widgets[1], "error");
      gtk_accessible_reset_property (accessible_of (widgets[0]),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_property (accessible_of (widgets[1]),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      widgets[0] = _dsl_link_editor_widget_for (self, field);
      widgets[1] = NULL;
    }

  if (g_strcmp0 (gtk_label_get_text (label), show ? message : "") != 0)
    gtk_label_set_text (label, show ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), show);

  if (show)
    {
      gtk_widget_add_css_class (widgets[0], "error");
      /* Screen readers announce the field with what is wrong with it. */
      gtk_accessible_update_property (accessible_of (widgets[0]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (widgets[0], "error");
      gtk_accessible_reset_property (accessible_of (widgets[0]),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}
/* The form-level message above the fields; NULL hides it. */
void
_dsl_link_editor_show_message (DslLinkEditor *self,
                               MessageKind    kind,
                               const char    *message)
{
  gboolean show = message != NULL && *message != '\0';

  gtk_label_set_text (self->message_label, show ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_box), show);
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "warning");
  if (!show)
    return;

  gtk_widget_add_css_class (GTK_WIDGET (self->message_label),
                            kind == MESSAGE_ERROR ? "error" : "warning");
  gtk_image_set_from_icon_name (self->message_icon, kind == MESSAGE_ERROR
                                                    ? "dialog-error-symbolic"
                                                    : "dialog-warning-symbolic");
}

void
_dsl_link_editor_clear_server_errors (DslLinkEditor *self)
{
  for (guint i = 0; i < N_FIELDS; i++)
    g_clear_pointer (&self->server_errors[i], g_free);
}

/* --- State --- */

static void
update_actions (DslLinkEditor *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "editor.save",
                                 self->done || (!self->busy && !self->invalid));
  gtk_widget_action_set_enabled (widget, "editor.generate-password",
                                 !self->busy && !self->done);
  gtk_widget_set_sensitive (GTK_WIDGET (self->form_box), !self->busy && !self->done);
  /* Saved: only Close is left to press (Escape still closes too). */
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), !self->done);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

/* Why Save cannot be pressed (the first invalid field), or what it does. */
static void
update_save_tooltip (DslLinkEditor *self,
                     const char    *first_error)
{
  const char *tooltip;

  if (self->done)
    tooltip = _("Close the window (Ctrl+Return)");
  else if (self->busy)
    tooltip = _("Saving…");
  else if (first_error != NULL)
    tooltip = first_error;
  else
    tooltip = _("Save the link (Ctrl+Return)");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->save_button), tooltip);
}

/* Checks every field as it stands, shows each field's error under it (once the person has
 * typed there, or when it holds text), and enables Save only when all are valid. */
void
_dsl_link_editor_update_form (DslLinkEditor *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  char *errors[N_FIELDS] = { NULL, };
  gboolean shown[N_FIELDS] = { FALSE, };
  const char *first = NULL;
  g_autoptr(GError) error = NULL;

  if (self->item == NULL || self->rights == NULL)
    return;

  /* Name */
  if (!dsl_link_form_check_title (text_of (self->name_row), &error))
    errors[FIELD_NAME] = g_strdup (error->message);
  shown[FIELD_NAME] = self->touched[FIELD_NAME] || *text_of (self->name_row) != '\0';
  g_clear_error (&error);

  /* Access: the whole-state check, on a state that can only fail there. */
  {
    guint selected = adw_combo_row_get_selected (self->access_row);
    g_autoptr(DslLink) probe = self->link != NULL ? dsl_link_copy (self->link) : dsl_link_new ();

    dsl_link_set_title (probe, "probe");
    dsl_link_set_expiration_date (probe, NULL);
    dsl_link_set_password (probe, NULL);
    if (selected < self->rights->len)
      dsl_link_set_access (probe, g_array_index (self->rights, DslAccess, selected));
    if (!dsl_link_form_check (self->item, probe, now, &error) &&
        g_error_matches (error, DSL_LINK_FORM_ERROR, DSL_LINK_FORM_ERROR_ACCESS))
      errors[FIELD_ACCESS] = g_strdup (error->message);
    shown[FIELD_ACCESS] = TRUE;
    g_clear_error (&error);
  }

  /* Expiry */
  gtk_widget_set_visible (GTK_WIDGET (self->expiry_date_row), custom_expiry (self));
  if (self->can_edit_expiry)
    {
      g_autoptr(GDateTime) expiry = NULL;
      char *message = NULL;

      if (!form_expiry (self, now, &expiry, &message))
        errors[FIELD_EXPIRY] = message;
      else if (!dsl_link_form_check_expiry (expiry, now, &error))
        errors[FIELD_EXPIRY] = g_strdup (error->message);
      g_clear_error (&error);

      shown[FIELD_EXPIRY] = custom_expiry (self) &&
                            (self->touched[FIELD_EXPIRY] ||
                             *text_of (self->expiry_date_row) != '\0');
      if (errors[FIELD_EXPIRY] == NULL && expiry == NULL && _dsl_link_editor_is_temporary (self))
        {
          errors[FIELD_EXPIRY] = g_strdup (_("A temporary link must expire: choose when."));
          shown[FIELD_EXPIRY] = TRUE;
        }

      if (custom_expiry (self) || selected_preset (self) == DSL_EXPIRY_PRESET_NEVER)
        {
          GDateTime *original = self->link != NULL
                                ? dsl_link_get_expiration_date (self->link) : NULL;

          if (custom_expiry (self) && original != NULL)
            {
              g_autofree char *current =
                dsl_link_describe_expiry (original, dsl_link_get_is_expired (self->link), now);

              adw_action_row_set_subtitle (ADW_ACTION_ROW (self->expires_row), current);
            }
          else
            {
              adw_action_row_set_subtitle (ADW_ACTION_ROW (self->expires_row), NULL);
            }
        }
      else if (expiry != NULL)
        {
          g_autofree char *exact = dsl_link_format_exact_date (expiry);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (self->expires_row), exact);
        }
    }

  /* Download limit (Share Temporarily) */
  gtk_widget_set_sensitive (GTK_WIDGET (self->limit_switch), self->limit_allowed);
  gtk_widget_set_sensitive (GTK_WIDGET (self->limit_spin),
                            self->limit_allowed && gtk_switch_get_active (self->limit_switch));

  /* Password */
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row),
                            gtk_switch_get_active (self->password_switch));
  if (gtk_switch_get_active (self->password_switch))
    {
      if (!dsl_link_form_check_password (text_of (self->password_row), &error))
        errors[FIELD_PASSWORD] = g_strdup (error->message);
      g_clear_error (&error);
      shown[FIELD_PASSWORD] = self->touched[FIELD_PASSWORD] ||
                              *text_of (self->password_row) != '\0';
    }

  for (guint i = 0; i < N_FIELDS; i++)
    {
      const char *message = errors[i] != NULL && shown[i] ? errors[i] : NULL;

      if (message == NULL && errors[i] == NULL)
        message = self->server_errors[i];
      _dsl_link_editor_show_field_error (self, (Field) i, message);
      if (first == NULL && errors[i] != NULL)
        first = errors[i];
    }

  self->invalid = first != NULL;
  update_save_tooltip (self, first);
  for (guint i = 0; i < N_FIELDS; i++)
    g_free (errors[i]);

  update_actions (self);
}

/* --- Filling the form --- */

static void
fill_access (DslLinkEditor *self,
             DslLink       *link)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  const DslAccess *rights;
  gsize n_rights = 0;
  DslAccess current;
  guint selected = GTK_INVALID_LIST_POSITION;

  g_array_set_size (self->rights, 0);
  rights = dsl_link_rules_roles (self->item, subject_type (self), &n_rights);
  for (gsize i = 0; i < n_rights; i++)
    {
      gboolean seen = FALSE;

      /* None deletes the link: that is the sidebar's Delete, not an access level. */
      if (rights[i] == DSL_ACCESS_NONE)
        continue;
      /* Temporary links are for reading: View only, or nothing to choose. */
      if (_dsl_link_editor_is_temporary (self) && rights[i] != DSL_ACCESS_READ)
        continue;
      for (guint j = 0; j < self->rights->len; j++)
        seen = seen || g_array_index (self->rights, DslAccess, j) == rights[i];
      if (!seen)
        g_array_append_val (self->rights, rights[i]);
    }

  if (link != NULL)
    {
      current = dsl_link_get_access (link);
    }
  else
    {
      /* Defaults: the one chosen in Preferences when offered, else Read when offered, else
       * the first the item offers. */
      current = self->rights->len > 0 ? g_array_index (self->rights, DslAccess, 0)
                                      : DSL_ACCESS_READ;
      for (guint j = 0; j < self->rights->len; j++)
        if (g_array_index (self->rights, DslAccess, j) == DSL_ACCESS_READ)
          current = DSL_ACCESS_READ;
      for (guint j = 0; j < self->rights->len; j++)
        if (g_array_index (self->rights, DslAccess, j) == self->default_access)
          current = self->default_access;
    }

  for (guint j = 0; j < self->rights->len; j++)
    if (g_array_index (self->rights, DslAccess, j) == current)
      selected = j;
  if (selected == GTK_INVALID_LIST_POSITION)
    {
      /* The link's access is no longer offered: show it as it is; the check says why it
       * cannot be saved so. */
      g_array_append_val (self->rights, current);
      selected = self->rights->len - 1;
    }

  for (guint j = 0; j < self->rights->len; j++)
    gtk_string_list_append (labels,
                            dsl_link_describe_access (g_array_index (self->rights, DslAccess, j)));
  adw_combo_row_set_model (self->access_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (self->access_row, selected);
}

static void
fill_expiry (DslLinkEditor *self,
             DslLink       *link)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GDateTime *expiry = link != NULL ? dsl_link_get_expiration_date (link) : NULL;
  DslExpiryPreset preset;

  for (int p = 0; p < DSL_N_EXPIRY_PRESETS; p++)
    gtk_string_list_append (labels, dsl_expiry_preset_label ((DslExpiryPreset) p));
  adw_combo_row_set_model (self->expires_row, G_LIST_MODEL (labels));

  g_clear_pointer (&self->initial_date, g_free);
  if (expiry != NULL)
    {
      /* The current date, as Custom: the presets count from now, not from the link's date. */
      self->initial_date = format_date (expiry);
      preset = DSL_EXPIRY_PRESET_CUSTOM;
    }
  else
    {
      preset = link != NULL ? DSL_EXPIRY_PRESET_NEVER : self->default_preset;
    }
  set_text (self->expiry_date_row, self->initial_date);
  adw_combo_row_set_selected (self->expires_row, preset);
}

/* The can-edit flags of the link (docspace-api.md §4.4); for a new link, what the room forces
 * (§6.5) and whether the room itself denies downloads. Each locked control says why. */
static void
fill_permissions (DslLinkEditor *self,
                  DslLink       *link)
{
  RoomContext context = room_context (self->item);
  gboolean room_denies = dsl_item_get_kind (self->item) == DSL_ITEM_KIND_ROOM &&
                         dsl_item_get_deny_download (self->item);
  /* The server drops any date sent for these (§6.4), even where it reports it editable. */
  gboolean never_expires = link != NULL && dsl_link_get_primary (link) &&
                           dsl_item_get_kind (self->item) == DSL_ITEM_KIND_ROOM &&
                           (dsl_item_get_room_type (self->item) == DSL_ROOM_TYPE_PUBLIC ||
                            dsl_item_get_room_type (self->item) == DSL_ROOM_TYPE_FILLING_FORMS);
  const char *reason;

  if (link != NULL)
    {
      self->can_edit_internal = dsl_link_get_can_edit_internal (link);
      self->can_edit_expiry = dsl_link_get_can_edit_expiration_date (link) && !never_expires;
      self->can_edit_deny_download = dsl_link_get_can_edit_deny_download (link);
    }
  else
    {
      self->can_edit_internal = context == ROOM_CONTEXT_OTHER;
      self->can_edit_expiry = TRUE;
      self->can_edit_deny_download = !room_denies;
    }

  if (self->can_edit_internal)
    reason = NULL;
  else if (context == ROOM_CONTEXT_VIRTUAL_DATA)
    reason = _("Links in a virtual data room are always for portal users only.");
  else if (context == ROOM_CONTEXT_PUBLIC)
    reason = _("Links of a public room are always open to anyone.");
  else
    reason = _("The portal does not let you change who can open this link.");
  adw_action_row_set_subtitle (self->internal_row, reason);
  gtk_widget_set_sensitive (GTK_WIDGET (self->internal_switch), self->can_edit_internal);
  gtk_widget_set_sensitive (GTK_WIDGET (self->internal_row), self->can_edit_internal);

  if (self->can_edit_expiry)
    reason = NULL;
  else if (never_expires)
    reason = _("The general link of this room never expires.");
  else
    reason = _("The portal does not let you change when this link expires.");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->expires_row), reason);
  gtk_widget_set_sensitive (GTK_WIDGET (self->expires_row), self->can_edit_expiry);
  gtk_widget_set_sensitive (GTK_WIDGET (self->expiry_date_row), self->can_edit_expiry);

  if (self->can_edit_deny_download)
    reason = NULL;
  else if (room_denies || context == ROOM_CONTEXT_VIRTUAL_DATA)
    reason = _("The room decides whether its links allow downloads.");
  else
    reason = _("The portal does not let you change this for this link.");
  adw_action_row_set_subtitle (self->download_row, reason);
  gtk_widget_set_sensitive (GTK_WIDGET (self->download_switch), self->can_edit_deny_download);
  gtk_widget_set_sensitive (GTK_WIDGET (self->download_row), self->can_edit_deny_download);

  if (_dsl_link_editor_is_temporary (self))
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->access_row),
                                   _("Temporary links are view only."));
      gtk_widget_set_sensitive (GTK_WIDGET (self->access_row), FALSE);
    }
}

/* Puts `link` (or the defaults of a new link) into every field. */
void
_dsl_link_editor_fill_form (DslLinkEditor *self,
                            DslLink       *link)
{
  const char *password = link != NULL ? dsl_link_get_password (link) : NULL;
  gboolean internal;

  self->syncing = TRUE;

  if (link != NULL)
    {
      set_text (self->name_row, dsl_link_get_title (link));
      internal = dsl_link_get_internal (link);
    }
  else
    {
      g_clear_pointer (&self->default_title, g_free);
      /* Translators: the default name of a new link; %d counts the item's links */
      self->default_title = g_strdup_printf (_("Link %d"), 1);
      set_text (self->name_row, self->default_title);
      /* Virtual data rooms make every link internal (§6.5): show it as it will be. */
      internal = room_context (self->item) == ROOM_CONTEXT_VIRTUAL_DATA;
    }

  fill_access (self, link);
  fill_expiry (self, link);
  /* After the models: AdwComboRow sets its own sensitivity when given one. */
  fill_permissions (self, link);
  gtk_switch_set_active (self->internal_switch, internal);
  gtk_switch_set_active (self->download_switch,
                         link != NULL && dsl_link_get_deny_download (link));
  set_text (self->password_row, password);
  /* A new link: on when Preferences require a password; the empty field then keeps Save off
   * until one is typed or generated (or the switch turned off again). */
  gtk_switch_set_active (self->password_switch,
                         link != NULL ? password != NULL && *password != '\0'
                                      : self->default_password);

  for (guint i = 0; i < N_FIELDS; i++)
    self->touched[i] = FALSE;
  self->syncing = FALSE;

  _dsl_link_editor_update_form (self);
}

/* --- A new link's name and the item's limit, from its current links --- */

/* The item's links, read at opening: "Link N", the limit hint, and the ids a create that times
 * out is told apart from (dsl-link-editor-save.c). */
void
_dsl_link_editor_list_links_cb (GObject      *source,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(DslLinkEditor) self = user_data;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  guint additional = 0;
  int n;

  links = dsl_client_list_links_finish (DSL_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (links == NULL)
    {
      /* Only the default name depends on it: "Link 1" stays; Save reports real trouble. */
      g_debug ("Could not read the item's links: %s", error->message);
      return;
    }

  _dsl_link_editor_set_known_ids (self, links);
  for (guint i = 0; i < links->len; i++)
    {
      DslLink *link = g_ptr_array_index (links, i);

      if (dsl_link_get_subject_type (link) == DSL_SUBJECT_TYPE_EXTERNAL_LINK)
        additional++;
    }

  /* "Link N" after the additional links there are, skipping names already taken. */
  for (n = (int) additional + 1; ; n++)
    {
      gboolean taken = FALSE;

      g_free (title);
      title = g_strdup_printf (_("Link %d"), n);
      for (guint i = 0; i < links->len && !taken; i++)
        taken = g_strcmp0 (dsl_link_get_title (g_ptr_array_index (links, i)), title) == 0;
      if (!taken)
        break;
    }

  if (!self->busy && !self->done && self->default_title != NULL &&
      g_strcmp0 (text_of (self->name_row), self->default_title) == 0)
    {
      g_free (self->default_title);
      self->default_title = g_strdup (title);
      self->syncing = TRUE;
      set_text (self->name_row, title);
      self->syncing = FALSE;
    }

  if (dsl_link_form_links_left (self->item, links) == 0 &&
      !gtk_widget_get_visible (GTK_WIDGET (self->message_box)))
    {
      g_autofree char *limit = dsl_link_form_describe_limit (self->item);

      _dsl_link_editor_show_message (self, MESSAGE_ERROR, limit);
    }

  _dsl_link_editor_update_form (self);
}

/* --- Generate Password --- */

static void
generate_password_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DslLinkEditor *self = DSL_LINK_EDITOR (widget);
  char *password;

  if (self->busy || self->done)
    return;

  password = dsl_link_form_generate_password ();
  gtk_switch_set_active (self->password_switch, TRUE);
  set_text (self->password_row, password);
  dsl_link_form_free_password (password);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

/* --- Template callbacks --- */

static void
field_changed (DslLinkEditor *self,
               Field          field)
{
  if (self->syncing)
    return;
  self->touched[field] = TRUE;
  g_clear_pointer (&self->server_errors[field], g_free);
  _dsl_link_editor_update_form (self);
}

static void
on_name_changed (DslLinkEditor *self)
{
  field_changed (self, FIELD_NAME);
}

static void
on_access_changed (DslLinkEditor *self)
{
  field_changed (self, FIELD_ACCESS);
}

static void
on_expires_changed (DslLinkEditor *self)
{
  if (self->syncing)
    return;

  /* Custom starts from a date in the right format rather than an empty entry. */
  if (custom_expiry (self) && *text_of (self->expiry_date_row) == '\0')
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) week = g_date_time_add_days (now, 7);
      g_autofree char *text = format_date (week);

      self->syncing = TRUE;
      set_text (self->expiry_date_row, text);
      self->syncing = FALSE;
    }
  g_clear_pointer (&self->server_errors[FIELD_EXPIRY], g_free);
  _dsl_link_editor_update_form (self);
}

static void
on_expiry_date_changed (DslLinkEditor *self)
{
  field_changed (self, FIELD_EXPIRY);
}

static void
on_password_switch_changed (DslLinkEditor *self)
{
  if (self->syncing)
    return;
  g_clear_pointer (&self->server_errors[FIELD_PASSWORD], g_free);
  _dsl_link_editor_update_form (self);
}

static void
on_password_changed (DslLinkEditor *self)
{
  field_changed (self, FIELD_PASSWORD);
}

static void
on_switch_changed (DslLinkEditor *self)
{
  if (!self->syncing)
    _dsl_link_editor_update_form (self);
}

/* --- Class and instance --- */

void
_dsl_link_editor_class_form_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_access_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_expires_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_expiry_date_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_switch_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_switch_changed);

  gtk_widget_class_install_action (widget_class, "editor.generate-password", NULL,
                                   generate_password_action);
}

/* After the template's children are made. */
void
_dsl_link_editor_form_init (DslLinkEditor *self)
{
  /* The focused part of an entry row is its GtkText: it is named too, so a screen reader says
   * "Link name" and the end-to-end tests find the entry by it. */
  name_entry (self->name_row, _("Link name"));
  name_entry (self->expiry_date_row, _("Expiry date"));
  name_entry (self->password_row, _("Password"));
  /* libadwaita 1.2 names the password row's show-text button only by its tooltip. */
  dsl_ui_name_controls (GTK_WIDGET (self->password_row));
}

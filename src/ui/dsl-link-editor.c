/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-editor.c: the form that creates or edits one external link.
 *
 *   constructed ─▶ fill_form (link or defaults) ─▶ new link: GET …/links ─▶ "Link N" + limit hint
 *   any change ─▶ update_form: each field checked (dsl-link-form), its error under it, Save
 *                 sensitive only when all are valid (its tooltip says why not)
 *   Save ─▶ build_state (the FULL state) ─▶ dsl_link_form_check ─▶ PUT …/links (create/update)
 *        ─┬─ error: the server's message under its field (400 password …) or above the form;
 *         │         nothing typed is lost; a timeout is never sent again (listener re-reads)
 *         └─ stored: "saved" ─▶ close, or stay saying which changes the portal skipped (Close)
 *
 * Every request runs with `cancellable` (Cancel, Escape and dispose cancel it) and holds a
 * reference to the editor. The password is a secret: it only goes from its entry into the state
 * that is sent, and is never logged. */

#define G_LOG_DOMAIN "dsl-link-editor"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dsl-application.h"
#include "dsl-link-editor.h"
#include "dsl-link-form.h"
#include "dsl-link-guard.h"
#include "dsl-link-monitor.h"
#include "dsl-link-ops.h"
#include "dsl-link-rules.h"
#include "dsl-ui-util.h"
#include "dsl-window.h"

/* FolderType values of the enclosing room (docspace-api.md §5). */
#define FOLDER_TYPE_PUBLIC_ROOM 22
#define FOLDER_TYPE_VIRTUAL_DATA_ROOM 29

/* The format of the expiry date entry, in local time. */
#define DATE_FORMAT "%Y-%m-%d %H:%M"

typedef enum {
  FIELD_NAME,
  FIELD_ACCESS,
  FIELD_EXPIRY,
  FIELD_PASSWORD,
  N_FIELDS,
  FIELD_FORM = N_FIELDS,
} Field;

typedef enum {
  ROOM_CONTEXT_OTHER,
  ROOM_CONTEXT_PUBLIC,
  ROOM_CONTEXT_VIRTUAL_DATA,
} RoomContext;

struct _DslLinkEditor
{
  AdwWindow            parent_instance;

  /* template children */
  GtkButton           *cancel_button;
  GtkButton           *save_button;
  GtkLabel            *save_label;
  GtkSpinner          *spinner;
  GtkBox              *message_box;
  GtkImage            *message_icon;
  GtkLabel            *message_label;
  GtkBox              *form_box;
  AdwEntryRow         *name_row;
  GtkLabel            *name_error;
  AdwComboRow         *access_row;
  GtkLabel            *access_error;
  AdwActionRow        *internal_row;
  GtkSwitch           *internal_switch;
  AdwComboRow         *expires_row;
  AdwEntryRow         *expiry_date_row;
  GtkLabel            *expiry_error;
  AdwActionRow        *password_switch_row;
  GtkSwitch           *password_switch;
  GtkButton           *generate_button;
  AdwPasswordEntryRow *password_row;
  GtkLabel            *password_error;
  AdwActionRow        *download_row;
  GtkSwitch           *download_switch;
  GtkWidget           *limit_group;
  AdwActionRow        *limit_row;
  GtkSpinButton       *limit_spin;
  GtkSwitch           *limit_switch;

  /* owned */
  GCancellable        *cancellable;      /* the editor's lifetime; cancelled by Cancel/dispose */
  DslClient           *client;
  DslItem             *item;
  DslLink             *link;             /* a copy of the link edited; NULL for a new one */
  DslLink             *sent;             /* the state in flight (holds the password) */
  DslLinkGuard        *guard;            /* Share Temporarily: the guard of the account */
  char                *account_key;      /* ... and the account's key in its store */
  GDateTime           *sent_at;          /* UTC, whole seconds: when the create was sent */
  GStrv                known_ids;        /* a new link: the item's links as read at opening */
  DslLinkChange       *change;           /* an edit in flight or asked about (conflict) */
  DslLink             *conflict;         /* the portal's state the person is asked about */
  GArray              *rights;           /* DslAccess, parallel to the Access combo's model */
  char                *default_title;    /* "Link N" while the person has not typed a name */
  char                *initial_date;     /* the expiry date entry as filled in, or NULL */
  char                *server_errors[N_FIELDS]; /* the portal's refusal, until the field changes */

  /* borrowed */
  GtkWidget           *focus_before;     /* weak: the field focused when a save started */

  /* plain values */
  gboolean             busy;
  gboolean             done;             /* saved, but the portal skipped a change: Close */
  gboolean             invalid;
  gboolean             syncing;          /* filling the form: not the person's changes */
  gboolean             touched[N_FIELDS];
  gboolean             can_edit_internal;
  gboolean             can_edit_expiry;
  gboolean             can_edit_deny_download;
  gboolean             limit_allowed;    /* the audit probe said downloads can be counted */
  DslAccess            default_access;   /* a new link's, from Preferences (read_defaults) */
  DslExpiryPreset      default_preset;
  gboolean             default_password;
};

G_DEFINE_FINAL_TYPE (DslLinkEditor, dsl_link_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
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

static void update_form (DslLinkEditor *self);

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

static gboolean
is_temporary (DslLinkEditor *self)
{
  return self->guard != NULL;
}

static gboolean
is_new (DslLinkEditor *self)
{
  return self->link == NULL || dsl_link_get_id (self->link) == NULL ||
         *dsl_link_get_id (self->link) == '\0';
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
static DslLink *
build_state (DslLinkEditor  *self,
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

static GtkWidget *
widget_for (DslLinkEditor *self,
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

static void
show_field_error (DslLinkEditor *self,
                  Field          field,
                  const char    *message)
{
  GtkLabel *label = error_label_for (self, field);
  GtkWidget *widgets[] = { widget_for (self, field), NULL };
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
      widgets[0] = widget_for (self, field);
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

typedef enum {
  MESSAGE_ERROR,
  MESSAGE_WARNING,
} MessageKind;

/* The form-level message above the fields; NULL hides it. */
static void
show_message (DslLinkEditor *self,
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

static void
clear_server_errors (DslLinkEditor *self)
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

static void
set_busy (DslLinkEditor *self,
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
  update_form (self);

  if (!busy && self->focus_before != NULL)
    {
      gtk_widget_grab_focus (self->focus_before);
      g_clear_weak_pointer (&self->focus_before);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
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
static void
update_form (DslLinkEditor *self)
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
      if (errors[FIELD_EXPIRY] == NULL && expiry == NULL && is_temporary (self))
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
      show_field_error (self, (Field) i, message);
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
      if (is_temporary (self) && rights[i] != DSL_ACCESS_READ)
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

  if (is_temporary (self))
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->access_row),
                                   _("Temporary links are view only."));
      gtk_widget_set_sensitive (GTK_WIDGET (self->access_row), FALSE);
    }
}

/* Puts `link` (or the defaults of a new link) into every field. */
static void
fill_form (DslLinkEditor *self,
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

  update_form (self);
}

/* --- A new link's name and the item's limit, from its current links --- */

/* A create that times out is looked for among the links that are not these. */
static void
set_known_ids (DslLinkEditor *self,
               GPtrArray     *links)
{
  guint n = 0;

  g_strfreev (self->known_ids);
  self->known_ids = g_new0 (char *, links->len + 1);
  for (guint i = 0; i < links->len; i++)
    if (dsl_link_get_id (g_ptr_array_index (links, i)) != NULL)
      self->known_ids[n++] = g_strdup (dsl_link_get_id (g_ptr_array_index (links, i)));
}

static void
list_links_cb (GObject      *source,
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

  set_known_ids (self, links);
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

      show_message (self, MESSAGE_ERROR, limit);
    }

  update_form (self);
}

/* --- Share Temporarily: the create outlives the window --- */

/* A temporary link's create, detached from the editor: Cancel or closing the window does not
 * cancel it (the portal may make the link anyway), so whatever it gives — the answer, or the
 * link a timed-out create is found to have made — gets its guard record. */
typedef struct {
  DslLinkEditor *editor;      /* weak: NULL once the editor is finalized */
  GtkWindow     *parent;      /* weak: where a toast goes when the editor is gone */
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
      show_message (self, MESSAGE_ERROR, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->save_button));
      return;
    }

  g_free (self->server_errors[field]);
  self->server_errors[field] = g_strdup (message);
  update_form (self);
  gtk_widget_grab_focus (widget_for (self, field));
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
      set_busy (self, FALSE);
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
  if (trouble != NULL && data->parent != NULL && DSL_IS_WINDOW (data->parent))
    {
      /* The window's one way for a failed save of the guarded links. */
      dsl_link_monitor_report_store_error (dsl_window_get_monitor (DSL_WINDOW (data->parent)),
                                           store_error, record);
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
  g_clear_object (&self->link);
  self->link = dsl_link_copy (stored);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINK]);

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, stored, created);
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
  fill_form (self, self->link);
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Link"));
  self->done = TRUE;
  if (trouble != NULL && skipped != NULL)
    {
      g_autofree char *both = g_strconcat (trouble, " ", skipped, NULL);

      show_message (self, MESSAGE_ERROR, both);
    }
  else
    show_message (self, trouble != NULL ? MESSAGE_ERROR : MESSAGE_WARNING,
                  trouble != NULL ? trouble : skipped);
  gtk_label_set_text_with_mnemonic (self->save_label, _("_Close"));
  update_form (self);
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
  set_busy (self, FALSE);
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
  show_message (self, MESSAGE_WARNING, text);
  gtk_label_set_text_with_mnemonic (self->save_label, _("Save _Anyway"));
  update_form (self);
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
  set_busy (self, FALSE);

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
  if (is_temporary (self))
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
    set_known_ids (self, links);
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
  clear_server_errors (self);
  show_message (self, MESSAGE_ERROR, NULL);
  update_form (self);
  if (self->invalid)
    return;

  state = build_state (self, now, &message);
  if (state == NULL)
    {
      show_field_error (self, FIELD_EXPIRY, message);
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
        show_message (self, MESSAGE_ERROR, error->message);
      else
        show_field_error (self, field, error->message);
      return;
    }

  g_clear_object (&self->sent);
  self->sent = g_object_ref (state);
  set_busy (self, TRUE);

  if (!is_new (self))
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
      set_busy (self, FALSE);
    }
  gtk_window_close (GTK_WINDOW (self));
}

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
  update_form (self);
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
  update_form (self);
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
  update_form (self);
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
    update_form (self);
}

/* --- Public --- */

DslLinkEditor *
dsl_link_editor_new (GtkWindow *parent,
                     DslClient *client,
                     DslItem   *item,
                     DslLink   *link)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DSL_IS_CLIENT (client), NULL);
  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (link == NULL || DSL_IS_LINK (link), NULL);

  return g_object_new (DSL_TYPE_LINK_EDITOR,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
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
                               DslClient    *client,
                               DslItem      *item,
                               DslLinkGuard *guard,
                               const char   *account_key)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DSL_IS_CLIENT (client), NULL);
  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (DSL_IS_LINK_GUARD (guard), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  return g_object_new (DSL_TYPE_LINK_EDITOR,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
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

  return is_temporary (self);
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
  update_form (self);
}

/* --- Defaults for new links (Preferences) --- */

/* The application's settings, or (no application: the tests) the schema's from the default
 * source; NULL when the schema is not installed. */
static GSettings *
dup_settings (DslLinkEditor *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  if (DSL_IS_APPLICATION (application) &&
      dsl_application_get_settings (DSL_APPLICATION (application)) != NULL)
    return g_object_ref (dsl_application_get_settings (DSL_APPLICATION (application)));

  source = g_settings_schema_source_get_default ();
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BASE_APP_ID, TRUE);
  return schema != NULL ? g_settings_new_full (schema, NULL, NULL) : NULL;
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

  if (is_temporary (self))
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

  gtk_window_set_title (GTK_WINDOW (self), is_new (self) ? _("New Link") : _("Edit Link"));
  if (is_temporary (self))
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
  fill_form (self, self->link);

  if (self->link == NULL)
    dsl_client_list_links_async (self->client, dsl_item_get_kind (self->item),
                                 dsl_item_get_id (self->item),
                                 dsl_item_get_kind (self->item) == DSL_ITEM_KIND_ROOM
                                 ? DSL_LINK_TYPE_EXTERNAL : -1,
                                 self->cancellable, list_links_cb, g_object_ref (self));

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
  clear_server_errors (self);

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
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_access_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_expires_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_expiry_date_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_switch_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_switch_changed);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "editor.generate-password", NULL,
                                   generate_password_action);
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

  /* The focused part of an entry row is its GtkText: it is named too, so a screen reader says
   * "Link name" and the end-to-end tests find the entry by it. */
  name_entry (self->name_row, _("Link name"));
  name_entry (self->expiry_date_row, _("Expiry date"));
  name_entry (self->password_row, _("Password"));
  /* libadwaita 1.2 names the password row's show-text button only by its tooltip. */
  dsl_ui_name_controls (GTK_WIDGET (self->password_row));

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->save_button));
}

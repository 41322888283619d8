/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-editor-private.h: what the files of DslLinkEditor share, and nothing outside them
 * includes: the instance struct, and the functions one file lends the others.
 *
 *   dsl-link-editor.c       the GObject: construction, properties, "saved", busy, Cancel, the
 *                           public API, a new link's defaults (Preferences), the audit probe
 *   dsl-link-editor-form.c  the fields: filling them, checking them as the person types, the
 *                           errors under them, the expiry date as typed, the state they stand for
 *   dsl-link-editor-save.c  Save: create, change, Share Temporarily's create, the answer
 *                           (saved, skipped changes, conflicts, errors) */
#pragma once

#include "dsl-link-editor.h"
#include "dsl-link-form.h"
#include "dsl-link-ops.h"
#include "dsl-session.h"

G_BEGIN_DECLS

typedef enum {
  FIELD_NAME,
  FIELD_ACCESS,
  FIELD_EXPIRY,
  FIELD_PASSWORD,
  N_FIELDS,
  FIELD_FORM = N_FIELDS,
} Field;

typedef enum {
  MESSAGE_ERROR,
  MESSAGE_WARNING,
} MessageKind;

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
  DslSession          *session;      /* nullable: its settings and monitor */
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

static inline gboolean
_dsl_link_editor_is_temporary (DslLinkEditor *self)
{
  return self->guard != NULL;
}

static inline gboolean
_dsl_link_editor_is_new (DslLinkEditor *self)
{
  return self->link == NULL || dsl_link_get_id (self->link) == NULL ||
         *dsl_link_get_id (self->link) == '\0';
}

/* dsl-link-editor.c */
void       _dsl_link_editor_set_busy            (DslLinkEditor *self,
                                                 gboolean       busy);
void       _dsl_link_editor_emit_saved          (DslLinkEditor *self,
                                                 DslLink       *stored,
                                                 gboolean       created);

/* dsl-link-editor-form.c */
void       _dsl_link_editor_class_form_init     (GtkWidgetClass *widget_class);
void       _dsl_link_editor_form_init           (DslLinkEditor *self);
void       _dsl_link_editor_fill_form           (DslLinkEditor *self,
                                                 DslLink       *link);
void       _dsl_link_editor_update_form         (DslLinkEditor *self);
DslLink   *_dsl_link_editor_build_state         (DslLinkEditor  *self,
                                                 GDateTime      *now,
                                                 char          **message);
GtkWidget *_dsl_link_editor_widget_for          (DslLinkEditor *self,
                                                 Field          field);
void       _dsl_link_editor_show_field_error    (DslLinkEditor *self,
                                                 Field          field,
                                                 const char    *message);
void       _dsl_link_editor_show_message        (DslLinkEditor *self,
                                                 MessageKind    kind,
                                                 const char    *message);
void       _dsl_link_editor_clear_server_errors (DslLinkEditor *self);
void       _dsl_link_editor_list_links_cb       (GObject       *source,
                                                 GAsyncResult  *result,
                                                 gpointer       user_data);

/* dsl-link-editor-save.c */
void       _dsl_link_editor_class_save_init     (GtkWidgetClass *widget_class);
void       _dsl_link_editor_set_known_ids       (DslLinkEditor *self,
                                                 GPtrArray     *links);

G_END_DECLS

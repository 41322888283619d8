/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-panel.c: the links of the selected item.
 *
 *   set_item / set_client ──▶ generation++, the item's GCancellable cancelled and replaced
 *        │
 *        ▼ load ()       load_serial++ (a reload drops the answers of the load before it)
 *   cannot have links ──▶ "unavailable" (dsl_link_form_explain_no_links), no request
 *   file / folder     ──▶ GET …/links                                   ─┐ only answers of
 *   room              ──▶ GET rooms/{id}/links?type=1 ∥ GET …?type=0     ─┤ the newest load of
 *                                                                         ▼ this item count
 *                         "error" (message + Retry) │ "empty" (Create and Copy) │ "list"
 *
 *   row actions "links.*" (parameter: link id) ──▶ one request each, the row busy meanwhile;
 *   success ──▶ toast, "links-changed", the item re-read (its badges), the list read again;
 *   failure ──▶ the server's message on the row; a timeout ──▶ the list read again, never the
 *   request sent again. Answers for an item no longer shown (generation) are dropped. */
#define G_LOG_DOMAIN "dsl-link-panel"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dsl-link-editor.h"
#include "dsl-link-form.h"
#include "dsl-link-monitor.h"
#include "dsl-link-panel.h"
#include "dsl-link-row.h"
#include "dsl-link-rules.h"

struct _DslLinkPanel
{
  GtkWidget      parent_instance;

  /* template children */
  GtkWidget     *add_button;
  GtkWidget     *temporary_button;
  GtkStack      *stack;
  GtkSpinner    *loading_spinner;
  AdwStatusPage *error_page;
  AdwStatusPage *unavailable_page;
  GtkLabel      *create_error_label;
  GtkListBox    *list;
  GtkWidget     *invitation_group;
  GtkListBox    *invitation_list;
  GtkWidget     *create_invitation_button;
  GtkLabel      *invitation_error_label;

  /* owned */
  DslClient     *client;
  DslItem       *item;
  DslLinkMonitor *monitor;          /* temporary links: their guard and store; or NULL */
  GCancellable  *cancellable;       /* everything asked for `item`; NULL without one */
  GCancellable  *load_cancellable;  /* the load in flight */
  GPtrArray     *links;             /* DslLink: external links, primary first; NULL = not read */
  DslLink       *invitation;        /* rooms: the invitation link, or NULL */
  GHashTable    *busy;              /* link id -> TRUE while a change is in flight */
  GHashTable    *errors;            /* link id -> the server's message for the last change */
  /* what the load in flight received so far */
  GPtrArray     *incoming_links;
  DslLink       *incoming_invitation;
  GError        *incoming_error;
  GError        *incoming_invitation_error;

  /* plain values */
  gulong         item_notify_id;
  guint          generation;        /* the item (and client) shown; bumped when either changes */
  guint          load_serial;       /* the newest load */
  guint          pending;           /* answers the newest load still waits for */
  gboolean       loading;
  gboolean       creating;          /* Create and Copy in flight */
  gboolean       creating_invitation;
  gboolean       wants_invitation;  /* a room whose members the person manages */
  gboolean       invitation_only;
  gboolean       loaded_invitation; /* the invitation-only load has answered */   /* such a room without external links (collaboration,
                                       virtual data, AI): only its invitation link is read */
};

G_DEFINE_FINAL_TYPE (DslLinkPanel, dsl_link_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ITEM,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LINKS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void load (DslLinkPanel *self,
                  gboolean      show_spinner);

/* --- small helpers --- */

static void
toast (DslLinkPanel *self,
       const char   *title)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL)
    {
      g_debug ("No toast overlay for: %s", title);
      return;
    }
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (title));
}

static GtkWindow *
parent_window (DslLinkPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
copy_text (DslLinkPanel *self,
           const char   *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gboolean
is_timeout (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static gboolean
is_primary (DslLink *link)
{
  return dsl_link_get_primary (link) ||
         dsl_link_get_subject_type (link) == DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK;
}

static gboolean
is_expired (DslLink *link)
{
  g_autoptr(GDateTime) now = NULL;

  if (dsl_link_get_is_expired (link))
    return TRUE;
  if (dsl_link_get_expiration_date (link) == NULL)
    return FALSE;
  now = g_date_time_new_now_utc ();
  return g_date_time_compare (dsl_link_get_expiration_date (link), now) <= 0;
}

/* The link with this id (external or invitation), or NULL. */
static DslLink *
find_link (DslLinkPanel *self,
           const char   *id)
{
  if (id == NULL || *id == '\0')
    return NULL;
  if (self->invitation != NULL && g_strcmp0 (dsl_link_get_id (self->invitation), id) == 0)
    return self->invitation;
  for (guint i = 0; self->links != NULL && i < self->links->len; i++)
    {
      DslLink *link = g_ptr_array_index (self->links, i);

      if (g_strcmp0 (dsl_link_get_id (link), id) == 0)
        return link;
    }
  return NULL;
}

static DslLinkRow *
find_row_in (GtkListBox *list,
             const char *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (DSL_IS_LINK_ROW (child) &&
          g_strcmp0 (dsl_link_get_id (dsl_link_row_get_link (DSL_LINK_ROW (child))), id) == 0)
        return DSL_LINK_ROW (child);
    }
  return NULL;
}

static DslLinkRow *
find_row (DslLinkPanel *self,
          const char   *id)
{
  DslLinkRow *row = find_row_in (self->list, id);

  return row != NULL ? row : find_row_in (self->invitation_list, id);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* GTK 4.8 keeps a GtkStack's hidden pages in the accessibility tree: only the page shown is
 * visible, so screen readers (and the end-to-end tests) find one set of buttons. */
static void
show_page (DslLinkPanel *self,
           const char   *name)
{
  GtkSelectionModel *pages = gtk_stack_get_pages (self->stack);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (pages));

  for (guint i = 0; i < n; i++)
    {
      GtkStackPage *page = g_list_model_get_item (G_LIST_MODEL (pages), i);

      gtk_widget_set_visible (gtk_stack_page_get_child (page),
                              g_strcmp0 (gtk_stack_page_get_name (page), name) == 0);
      g_object_unref (page);
    }
  g_object_unref (pages);
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (name, "loading"));
}

static void
set_loading (DslLinkPanel *self,
             gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_label_message (GtkLabel   *label,
                   const char *message)
{
  gboolean visible = message != NULL && *message != '\0';

  gtk_label_set_text (label, visible ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), visible);
}

static const char *
explain_no_links (DslLinkPanel *self)
{
  return self->item != NULL ? dsl_link_form_explain_no_links (self->item) : NULL;
}

/* The key of the panel's account in the monitor, or NULL. */
static const char *
account_key (DslLinkPanel *self)
{
  if (self->monitor == NULL || self->client == NULL)
    return NULL;
  return dsl_link_monitor_find_account (self->monitor, self->client);
}

static DslLinkGuard *
current_guard (DslLinkPanel *self)
{
  const char *key = account_key (self);

  return key != NULL ? dsl_link_monitor_get_guard (self->monitor, key) : NULL;
}

/* The guard's record of `link` when it is a temporary link of this account, or NULL. */
static DslGuardedLink *
lookup_guarded (DslLinkPanel *self,
                DslLink      *link)
{
  const char *key = account_key (self);

  if (key == NULL || dsl_link_get_id (link) == NULL)
    return NULL;
  return dsl_guard_store_lookup (dsl_link_monitor_get_store (self->monitor), key,
                                 dsl_link_get_id (link));
}

/* --- actions' state --- */

static void
update_actions (DslLinkPanel *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean ready = self->client != NULL && self->item != NULL;
  gboolean can_links = ready && explain_no_links (self) == NULL;
  gboolean listed = can_links && self->links != NULL;
  int left = listed ? dsl_link_form_links_left (self->item, self->links) : -1;
  gboolean can_add = listed && left != 0;
  /* a room without external links whose invitation link was read */
  gboolean invitation_only = ready && self->invitation_only && self->loaded_invitation;
  const char *no_temporary = self->item != NULL ? dsl_link_form_explain_no_temporary (self->item)
                                                : NULL;
  gboolean can_temporary = can_add && no_temporary == NULL && current_guard (self) != NULL;

  gtk_widget_action_set_enabled (widget, "links.add", can_add);
  gtk_widget_action_set_enabled (widget, "links.share-temporarily", can_temporary);
  gtk_widget_set_visible (self->temporary_button, can_links && current_guard (self) != NULL);
  if (can_temporary)
    gtk_widget_set_tooltip_text (self->temporary_button,
                                 _("Share Temporarily: a view-only link that expires, "
                                   "optionally after a number of downloads"));
  else if (no_temporary != NULL)
    gtk_widget_set_tooltip_text (self->temporary_button, no_temporary);
  else if (listed && left == 0)
    {
      g_autofree char *limit = dsl_link_form_describe_limit (self->item);

      gtk_widget_set_tooltip_text (self->temporary_button, limit);
    }
  gtk_widget_action_set_enabled (widget, "links.create-primary", can_links && !self->creating);
  gtk_widget_action_set_enabled (widget, "links.retry", ready);
  gtk_widget_action_set_enabled (widget, "links.copy", ready);
  gtk_widget_action_set_enabled (widget, "links.copy-password", ready);
  gtk_widget_action_set_enabled (widget, "links.copy-message", ready);
  gtk_widget_action_set_enabled (widget, "links.copy-rich", ready);
  gtk_widget_action_set_enabled (widget, "links.open", ready);
  gtk_widget_action_set_enabled (widget, "links.revoke", can_links || invitation_only);
  gtk_widget_action_set_enabled (widget, "links.edit", can_links || invitation_only);
  gtk_widget_action_set_enabled (widget, "links.extend", can_links || invitation_only);
  gtk_widget_action_set_enabled (widget, "links.create-invitation",
                                 ready && self->wants_invitation &&
                                 (listed || invitation_only) && self->invitation == NULL &&
                                 !self->creating_invitation);

  gtk_widget_set_visible (self->add_button, can_links);
  if (listed && left == 0)
    {
      g_autofree char *limit = dsl_link_form_describe_limit (self->item);

      gtk_widget_set_tooltip_text (self->add_button, limit);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, limit,
                                      -1);
    }
  else
    {
      gtk_widget_set_tooltip_text (self->add_button, _("Add Link"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("Create another link with its own settings"),
                                      -1);
    }
}

/* --- showing what was read --- */

static GtkWidget *
make_row (DslLinkPanel *self,
          DslLink      *link)
{
  GtkWidget *row = dsl_link_row_new (self->item, link);
  const char *id = dsl_link_get_id (link);

  dsl_link_row_set_guarded (DSL_LINK_ROW (row), lookup_guarded (self, link));

  if (id != NULL)
    {
      dsl_link_row_set_busy (DSL_LINK_ROW (row), g_hash_table_contains (self->busy, id));
      dsl_link_row_set_error (DSL_LINK_ROW (row), g_hash_table_lookup (self->errors, id));
    }
  return row;
}

static int
compare_primary_first (gconstpointer a,
                       gconstpointer b)
{
  DslLink *la = *(DslLink **) a;
  DslLink *lb = *(DslLink **) b;

  return (int) is_primary (lb) - (int) is_primary (la);
}

static void
show_invitation (DslLinkPanel *self)
{
  clear_list (self->invitation_list);
  if (self->invitation != NULL)
    gtk_list_box_append (self->invitation_list, make_row (self, self->invitation));
  gtk_widget_set_visible (GTK_WIDGET (self->invitation_list), self->invitation != NULL);
  gtk_widget_set_visible (self->create_invitation_button,
                          self->invitation == NULL && dsl_link_rules_has_invitation (self->item));
  gtk_widget_set_visible (self->invitation_group, self->wants_invitation);
}

static void
show_links (DslLinkPanel *self)
{
  clear_list (self->list);
  for (guint i = 0; i < self->links->len; i++)
    gtk_list_box_append (self->list, make_row (self, g_ptr_array_index (self->links, i)));
  show_invitation (self);
  show_page (self, self->links->len > 0 ? "list" : "empty");
}

static void
clear_incoming (DslLinkPanel *self)
{
  g_clear_pointer (&self->incoming_links, g_ptr_array_unref);
  g_clear_object (&self->incoming_invitation);
  g_clear_error (&self->incoming_error);
  g_clear_error (&self->incoming_invitation_error);
}

static gboolean
has_expired_links (DslLinkPanel *self)
{
  for (guint i = 0; self->links != NULL && i < self->links->len; i++)
    if (is_expired (g_ptr_array_index (self->links, i)))
      return TRUE;
  return self->invitation != NULL && is_expired (self->invitation);
}

/* Every answer of the newest load is in. */
static void
apply_load (DslLinkPanel *self)
{
  set_loading (self, FALSE);

  if (self->incoming_error != NULL)
    {
      adw_status_page_set_description (self->error_page, self->incoming_error->message);
      g_clear_pointer (&self->links, g_ptr_array_unref);
      g_clear_object (&self->invitation);
      gtk_widget_set_visible (self->invitation_group, FALSE);
      show_page (self, "error");
      clear_incoming (self);
      update_actions (self);
      return;
    }

  if (self->invitation_only)
    {
      /* the "unavailable" page stays: it says why there are no external links */
      g_set_object (&self->invitation, self->incoming_invitation);
      set_label_message (self->invitation_error_label,
                         self->incoming_invitation_error != NULL
                         ? self->incoming_invitation_error->message : NULL);
      self->loaded_invitation = TRUE;
      clear_incoming (self);
      show_invitation (self);
      update_actions (self);
      dsl_item_set_has_expired_links (self->item, has_expired_links (self));
      return;
    }

  g_clear_pointer (&self->links, g_ptr_array_unref);
  self->links = g_steal_pointer (&self->incoming_links);
  /* The server sends the primary link first; keep it so whatever it sends. */
  g_ptr_array_sort (self->links, compare_primary_first);
  g_set_object (&self->invitation, self->incoming_invitation);
  set_label_message (self->invitation_error_label,
                     self->incoming_invitation_error != NULL
                     ? self->incoming_invitation_error->message : NULL);
  clear_incoming (self);
  show_links (self);
  update_actions (self);

  /* The tree's row of the item shows an "expired links" badge from this. */
  dsl_item_set_has_expired_links (self->item, has_expired_links (self));
}

typedef struct {
  DslLinkPanel *self;     /* owned */
  guint         serial;
} LoadData;

static LoadData *
load_data_new (DslLinkPanel *self)
{
  LoadData *data = g_new0 (LoadData, 1);

  data->self = g_object_ref (self);
  data->serial = self->load_serial;
  return data;
}

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
list_links_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  DslLinkPanel *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = NULL;

  links = dsl_client_list_links_finish (DSL_CLIENT (object), result, &error);
  /* A stale answer (another item, or a newer load) is dropped, whatever it says. */
  if (is_cancelled (error) || data->serial != self->load_serial)
    return;

  if (links != NULL)
    self->incoming_links = g_steal_pointer (&links);
  else
    self->incoming_error = g_steal_pointer (&error);

  g_assert (self->pending > 0);
  if (--self->pending == 0)
    apply_load (self);
}

static void
get_invitation_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  DslLinkPanel *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;

  if (!dsl_client_get_invitation_link_finish (DSL_CLIENT (object), result, &link, &error))
    {
      if (is_cancelled (error) || data->serial != self->load_serial)
        return;
      self->incoming_invitation_error = g_steal_pointer (&error);
    }
  else
    {
      if (data->serial != self->load_serial)
        return;
      self->incoming_invitation = g_steal_pointer (&link);
    }

  g_assert (self->pending > 0);
  if (--self->pending == 0)
    apply_load (self);
}

static gboolean
room_wants_invitation (DslItem *item)
{
  return dsl_link_rules_has_invitation (item);
}

/* Reads the links of the item shown: one request, two for rooms (in parallel). */
static void
load (DslLinkPanel *self,
      gboolean      show_spinner)
{
  const char *explain;
  DslItemKind kind;
  const char *id;

  if (self->load_cancellable != NULL)
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
    }
  self->load_serial++;
  self->pending = 0;
  self->invitation_only = FALSE;
  self->loaded_invitation = FALSE;
  clear_incoming (self);

  if (self->item == NULL || self->client == NULL)
    {
      g_clear_pointer (&self->links, g_ptr_array_unref);
      g_clear_object (&self->invitation);
      clear_list (self->list);
      clear_list (self->invitation_list);
      gtk_widget_set_visible (self->invitation_group, FALSE);
      set_loading (self, FALSE);
      show_page (self, "none");
      update_actions (self);
      return;
    }

  explain = explain_no_links (self);
  if (explain != NULL)
    {
      g_clear_pointer (&self->links, g_ptr_array_unref);
      g_clear_object (&self->invitation);
      clear_list (self->list);
      clear_list (self->invitation_list);
      gtk_widget_set_visible (self->invitation_group, FALSE);
      adw_status_page_set_description (self->unavailable_page, explain);
      set_loading (self, FALSE);
      show_page (self, "unavailable");
      self->wants_invitation = room_wants_invitation (self->item);
      if (self->wants_invitation)
        {
          /* Every room type has an invitation link, also those without external links. */
          self->invitation_only = TRUE;
          self->load_cancellable = g_cancellable_new ();
          set_loading (self, TRUE);
          self->pending = 1;
          dsl_client_get_invitation_link_async (self->client, dsl_item_get_id (self->item),
                                                self->load_cancellable, get_invitation_cb,
                                                load_data_new (self));
        }
      update_actions (self);
      return;
    }

  kind = dsl_item_get_kind (self->item);
  id = dsl_item_get_id (self->item);
  self->wants_invitation = room_wants_invitation (self->item);
  self->load_cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  if (show_spinner || self->links == NULL)
    {
      gtk_widget_set_visible (self->invitation_group, FALSE);
      show_page (self, "loading");
    }

  self->pending = self->wants_invitation ? 2 : 1;
  dsl_client_list_links_async (self->client, kind, id, kind == DSL_ITEM_KIND_ROOM ? 1 : -1,
                               self->load_cancellable, list_links_cb, load_data_new (self));
  if (self->wants_invitation)
    dsl_client_get_invitation_link_async (self->client, id, self->load_cancellable,
                                          get_invitation_cb, load_data_new (self));
  update_actions (self);
}

/* --- after a change --- */

static void
get_item_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DslLinkPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) fresh = NULL;

  fresh = dsl_client_get_item_finish (DSL_CLIENT (object), result, &error);
  if (fresh == NULL)
    {
      if (!is_cancelled (error))
        g_debug ("Could not read the item again: %s", error->message);
      return;
    }
  if (self->item == NULL || g_strcmp0 (dsl_item_get_id (self->item), dsl_item_get_id (fresh)) != 0)
    return;
  /* The tree's row of this item shows the new badges; the details the new field. */
  dsl_item_update_from (self->item, fresh);
}

/* A create, edit or revoke went through: tell, re-read the item (badges) and the list. */
static void
links_changed (DslLinkPanel *self)
{
  g_signal_emit (self, signals[LINKS_CHANGED], 0);
  if (self->item != NULL && self->client != NULL)
    dsl_client_get_item_async (self->client, dsl_item_get_kind (self->item),
                               dsl_item_get_id (self->item), self->cancellable,
                               get_item_cb, g_object_ref (self));
  load (self, FALSE);
}

static void
set_busy (DslLinkPanel *self,
          const char   *id,
          gboolean      busy)
{
  DslLinkRow *row = find_row (self, id);

  if (busy)
    g_hash_table_add (self->busy, g_strdup (id));
  else
    g_hash_table_remove (self->busy, id);
  if (row != NULL)
    dsl_link_row_set_busy (row, busy);
}

static void
set_error (DslLinkPanel *self,
           const char   *id,
           const char   *message)
{
  DslLinkRow *row = find_row (self, id);

  if (message != NULL)
    g_hash_table_replace (self->errors, g_strdup (id), g_strdup (message));
  else
    g_hash_table_remove (self->errors, id);
  if (row != NULL)
    dsl_link_row_set_error (row, message);
}

typedef enum {
  CHANGE_DELETE,       /* revoke (delete) or remove an expired link */
  CHANGE_REGENERATE,   /* canRevoke: delete, the server makes a new primary link */
  CHANGE_DELETE_INVITATION,
  CHANGE_EXTEND,
} ChangeKind;

typedef struct {
  DslLinkPanel *self;        /* owned */
  guint         generation;
  ChangeKind    kind;
  char         *link_id;
  gboolean      expired;     /* "Remove" rather than "Revoke" */
  DslLink      *sent;        /* owned; CHANGE_EXTEND: the state sent */
} ChangeData;

static ChangeData *
change_data_new (DslLinkPanel *self,
                 ChangeKind    kind,
                 const char   *link_id)
{
  ChangeData *data = g_new0 (ChangeData, 1);

  data->self = g_object_ref (self);
  data->generation = self->generation;
  data->kind = kind;
  data->link_id = g_strdup (link_id);
  return data;
}

static void
change_data_free (ChangeData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->sent);
  g_free (data->link_id);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChangeData, change_data_free)

/* TRUE when the answer is for the item still shown and worth handling. */
static gboolean
change_is_current (ChangeData   *data,
                   const GError *error)
{
  if (is_cancelled (error))
    return FALSE;
  return data->generation == data->self->generation && data->self->item != NULL;
}

/* A change failed: the row stays as it was, with the server's message; a timeout is resolved
 * by reading the list again (the portal may have done it), never by sending it again. */
static void
change_failed (DslLinkPanel *self,
               ChangeData   *data,
               const GError *error)
{
  set_busy (self, data->link_id, FALSE);
  if (is_timeout (error))
    {
      toast (self, _("The portal did not answer in time. The links were read again."));
      load (self, FALSE);
      return;
    }
  set_error (self, data->link_id, error->message);
}

static void
delete_link_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ChangeData) data = user_data;
  DslLinkPanel *self = data->self;
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) replacement = NULL;
  gboolean ok;
  DslLinkRow *row;

  switch (data->kind)
    {
    case CHANGE_REGENERATE:
      replacement = dsl_client_revoke_link_finish (client, result, &error);
      ok = replacement != NULL;
      break;
    case CHANGE_DELETE_INVITATION:
      ok = dsl_client_delete_invitation_link_finish (client, result, &error);
      break;
    case CHANGE_DELETE:
    case CHANGE_EXTEND:
    default:
      ok = dsl_client_delete_link_finish (client, result, &replacement, &error);
      break;
    }

  if (!change_is_current (data, error))
    return;
  if (!ok)
    {
      change_failed (self, data, error);
      return;
    }

  set_busy (self, data->link_id, FALSE);
  set_error (self, data->link_id, NULL);
  /* The row goes at once; the list read again below confirms it (and shows a new link). */
  row = find_row (self, data->link_id);
  if (row != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (gtk_widget_get_parent (GTK_WIDGET (row))),
                         GTK_WIDGET (row));

  switch (data->kind)
    {
    case CHANGE_REGENERATE:
      toast (self, _("Link revoked. A new link replaces it."));
      break;
    case CHANGE_DELETE_INVITATION:
      toast (self, _("Invitation link deleted"));
      break;
    case CHANGE_DELETE:
    case CHANGE_EXTEND:
    default:
      toast (self, data->expired ? _("Link removed") : _("Link revoked"));
      break;
    }
  links_changed (self);
}

static void
start_delete (DslLinkPanel *self,
              const char   *id)
{
  DslLink *link = find_link (self, id);
  ChangeData *data;
  DslItemKind kind;
  const char *item_id;

  if (link == NULL || self->client == NULL || g_hash_table_contains (self->busy, id))
    return;

  kind = dsl_item_get_kind (self->item);
  item_id = dsl_item_get_id (self->item);
  set_error (self, id, NULL);
  set_busy (self, id, TRUE);

  if (link == self->invitation)
    {
      data = change_data_new (self, CHANGE_DELETE_INVITATION, id);
      dsl_client_delete_invitation_link_async (self->client, item_id, id, self->cancellable,
                                               delete_link_cb, data);
    }
  else if (dsl_link_get_can_revoke (link))
    {
      data = change_data_new (self, CHANGE_REGENERATE, id);
      dsl_client_revoke_link_async (self->client, kind, item_id, link, self->cancellable,
                                    delete_link_cb, data);
    }
  else
    {
      data = change_data_new (self, CHANGE_DELETE, id);
      data->expired = is_expired (link);
      dsl_client_delete_link_async (self->client, kind, item_id, link, self->cancellable,
                                    delete_link_cb, data);
    }
}

typedef struct {
  DslLinkPanel *self;       /* owned */
  guint         generation;
  char         *link_id;
} ConfirmData;

static void
confirm_data_free (gpointer user_data)
{
  ConfirmData *data = user_data;

  g_clear_object (&data->self);
  g_free (data->link_id);
  g_free (data);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  ConfirmData *data = g_object_get_data (G_OBJECT (dialog), "dsl-confirm");

  if (data == NULL || g_strcmp0 (response, "revoke") != 0 ||
      data->generation != data->self->generation)
    return;
  start_delete (data->self, data->link_id);
}

/* "Revoke link" / "Remove" / the invitation's delete: always confirmed first. */
static void
confirm_delete (DslLinkPanel *self,
                DslLink      *link)
{
  AdwMessageDialog *dialog;
  ConfirmData *data;

  dialog = dsl_link_row_new_revoke_dialog (parent_window (self), link,
                                           link == self->invitation);

  data = g_new0 (ConfirmData, 1);
  data->self = g_object_ref (self);
  data->generation = self->generation;
  data->link_id = g_strdup (dsl_link_get_id (link));
  g_object_set_data_full (G_OBJECT (dialog), "dsl-confirm", data, confirm_data_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
update_link_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ChangeData) data = user_data;
  DslLinkPanel *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) stored = NULL;
  g_autofree char *skipped = NULL;

  stored = dsl_client_update_link_finish (DSL_CLIENT (object), result, &error);
  if (!change_is_current (data, error))
    return;
  if (stored == NULL)
    {
      change_failed (self, data, error);
      return;
    }

  set_busy (self, data->link_id, FALSE);
  skipped = dsl_link_form_describe_skipped (data->sent, stored);
  if (skipped != NULL)
    {
      /* The list read again shows what the portal kept; the row says what it did not take. */
      set_error (self, data->link_id, skipped);
    }
  else
    {
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *date = NULL;
      g_autofree char *title = NULL;
      GDateTime *expiry = dsl_link_get_expiration_date (stored);

      set_error (self, data->link_id, NULL);
      if (expiry != NULL)
        {
          local = g_date_time_to_local (expiry);
          /* Translators: a date in a toast, e.g. "30 November, 16:05"; see g_date_time_format */
          date = g_date_time_format (local, _("%-d %B, %H:%M"));
        }
      /* Translators: %s is a date, e.g. "30 November, 16:05" */
      title = g_strdup_printf (_("Link extended to %s"), date != NULL ? date : "");
      toast (self, title);
    }
  links_changed (self);
}

static void
start_extend (DslLinkPanel *self,
              const char   *id)
{
  DslLink *link = find_link (self, id);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) expiry = NULL;
  ChangeData *data;

  if (link == NULL || link == self->invitation || self->client == NULL ||
      g_hash_table_contains (self->busy, id))
    return;

  /* The full state as listed (password included: omitted fields would be reset), with a new
   * expiry seven days from now. */
  now = g_date_time_new_now_local ();
  expiry = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_7_DAYS, now);
  data = change_data_new (self, CHANGE_EXTEND, id);
  data->sent = dsl_link_copy (link);
  dsl_link_set_expiration_date (data->sent, expiry);
  dsl_link_set_is_expired (data->sent, FALSE);

  set_error (self, id, NULL);
  set_busy (self, id, TRUE);
  dsl_client_update_link_async (self->client, dsl_item_get_kind (self->item),
                                dsl_item_get_id (self->item), data->sent, self->cancellable,
                                update_link_cb, data);
}

/* --- Create and Copy, the invitation link --- */

typedef struct {
  DslLinkPanel *self;  /* owned */
  guint         generation;
} CreateData;

static CreateData *
create_data_new (DslLinkPanel *self)
{
  CreateData *data = g_new0 (CreateData, 1);

  data->self = g_object_ref (self);
  data->generation = self->generation;
  return data;
}

static void
create_data_free (CreateData *data)
{
  g_clear_object (&data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CreateData, create_data_free)

/* What both creations do with their answer: unless it is stale, drop the `creating` flag; on a
 * failure read the list again after a timeout, else show the portal's refusal in
 * `error_label`. Returns whether there is a created link to go on with. */
static gboolean
create_answered (CreateData   *data,
                 DslLink      *link,
                 const GError *error,
                 gboolean     *creating,
                 GtkLabel     *error_label)
{
  DslLinkPanel *self = data->self;

  if (is_cancelled (error) || data->generation != self->generation)
    return FALSE;

  *creating = FALSE;
  update_actions (self);
  if (link == NULL)
    {
      if (is_timeout (error))
        {
          toast (self, _("The portal did not answer in time. The links were read again."));
          load (self, FALSE);
          return FALSE;
        }
      set_label_message (error_label, error->message);
      return FALSE;
    }

  set_label_message (error_label, NULL);
  return TRUE;
}

static void
get_primary_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CreateData) data = user_data;
  DslLinkPanel *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;

  link = dsl_client_get_primary_link_finish (DSL_CLIENT (object), result, &error);
  if (!create_answered (data, link, error, &self->creating, self->create_error_label))
    return;

  if (dsl_link_get_share_link (link) != NULL)
    {
      copy_text (self, dsl_link_get_share_link (link));
      toast (self, _("Link created and copied"));
    }
  links_changed (self);
}

static void
set_invitation_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CreateData) data = user_data;
  DslLinkPanel *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;

  link = dsl_client_set_invitation_link_finish (DSL_CLIENT (object), result, &error);
  if (!create_answered (data, link, error, &self->creating_invitation,
                        self->invitation_error_label))
    return;

  toast (self, _("Invitation link created"));
  links_changed (self);
}

/* The role new people get: Content creator when the room offers it, else the first role
 * offered that is not None or Room manager. */
static DslAccess
invitation_access (DslItem *item)
{
  gsize n = 0;
  const DslAccess *roles = dsl_link_rules_roles (item, DSL_SUBJECT_TYPE_INVITATION_LINK, &n);

  for (gsize i = 0; i < n; i++)
    if (roles[i] == DSL_ACCESS_CONTENT_CREATOR)
      return DSL_ACCESS_CONTENT_CREATOR;
  return n > 0 ? roles[0] : DSL_ACCESS_READ;
}

/* --- actions --- */

static const char *
link_id_param (GVariant *parameter)
{
  if (parameter == NULL || !g_variant_is_of_type (parameter, G_VARIANT_TYPE_STRING))
    return NULL;
  return g_variant_get_string (parameter, NULL);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, link_id_param (parameter));

  if (link == NULL || dsl_link_get_share_link (link) == NULL)
    return;
  copy_text (self, dsl_link_get_share_link (link));
  toast (self, _("Link copied"));
}

/* A copied password leaves the clipboard after DSL_PASSWORD_CLEAR_SECONDS (60; the tests set
 * the environment variable of that name to a few seconds), if the clipboard still holds it:
 * anything copied since, here or in another app, stays. */
static guint
password_clear_seconds (void)
{
  const char *text = g_getenv ("DSL_PASSWORD_CLEAR_SECONDS");
  guint64 seconds;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, 3600, &seconds, NULL))
    return (guint) seconds;
  return 60;
}

typedef struct {
  GdkClipboard       *clipboard;
  GdkContentProvider *content;
} ClearData;

static void
clear_data_free (gpointer user_data)
{
  ClearData *data = user_data;

  g_object_unref (data->clipboard);
  g_object_unref (data->content);
  g_free (data);
}

static gboolean
clear_password_cb (gpointer user_data)
{
  ClearData *data = user_data;

  if (gdk_clipboard_get_content (data->clipboard) == data->content)
    gdk_clipboard_set_content (data->clipboard, NULL);
  return G_SOURCE_REMOVE;
}

static void
clear_later (GdkClipboard       *clipboard,
             GdkContentProvider *content)
{
  ClearData *data = g_new0 (ClearData, 1);
  guint id;

  /* The clipboard belongs to the display: the password is cleared also when this panel (or
   * its window) is gone by then and the application still runs. */
  data->clipboard = g_object_ref (clipboard);
  data->content = g_object_ref (content);
  id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, password_clear_seconds (),
                                   clear_password_cb, data, clear_data_free);
  g_source_set_name_by_id (id, "[dsl] clear copied password");
}

static void
copy_password_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, link_id_param (parameter));
  const char *password = link != NULL ? dsl_link_get_password (link) : NULL;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_autoptr(GdkContentProvider) content = NULL;

  if (password == NULL || *password == '\0')
    return;
  content = gdk_content_provider_new_typed (G_TYPE_STRING, password);
  gdk_clipboard_set_content (clipboard, content);
  clear_later (clipboard, content);
  toast (self, _("Password copied. It is cleared from the clipboard in a minute."));
}

static void
copy_message_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, link_id_param (parameter));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *message = NULL;

  if (link == NULL || dsl_link_get_share_link (link) == NULL)
    return;
  message = dsl_link_format_message (self->item, link, now);
  copy_text (self, message);
  toast (self, _("Message copied"));
}

/* text/html (an anchor with the item's title) for mail and chat, the address as text/plain
 * for everything else. */
static void
copy_rich_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, link_id_param (parameter));
  g_autofree char *html = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkContentProvider) content = NULL;
  GdkContentProvider *providers[2];

  if (link == NULL || dsl_link_get_share_link (link) == NULL)
    return;
  html = dsl_link_format_html (self->item, link);
  bytes = g_bytes_new (html, strlen (html));
  providers[0] = gdk_content_provider_new_for_bytes ("text/html", bytes);
  providers[1] = gdk_content_provider_new_typed (G_TYPE_STRING, dsl_link_get_share_link (link));
  content = gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
  gdk_clipboard_set_content (gtk_widget_get_clipboard (widget), content);
  toast (self, _("Link copied with its title"));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, link_id_param (parameter));

  if (link == NULL || dsl_link_get_share_link (link) == NULL)
    return;
  gtk_show_uri (parent_window (self), dsl_link_get_share_link (link), GDK_CURRENT_TIME);
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  const char *id = link_id_param (parameter);
  DslLink *link = find_link (self, id);

  if (link == NULL || g_hash_table_contains (self->busy, id))
    return;
  if (link != self->invitation && !dsl_link_row_can_revoke (self->item, link))
    return;
  confirm_delete (self, link);
}

static void
extend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  start_extend (DSL_LINK_PANEL (widget), link_id_param (parameter));
}

typedef struct {
  DslLinkPanel *self;  /* owned */
  guint         generation;
  gboolean      saved;
} EditorData;

static void
editor_data_free (gpointer user_data)
{
  EditorData *data = user_data;

  g_clear_object (&data->self);
  g_free (data);
}

static void
on_editor_saved (DslLinkEditor *editor,
                 DslLink       *stored,
                 gboolean       created,
                 gpointer       user_data)
{
  EditorData *data = g_object_get_data (G_OBJECT (editor), "dsl-editor");
  gboolean temporary = created && dsl_link_editor_is_temporary (editor);

  if (data == NULL)
    return;
  /* Share Temporarily is "Create and Copy": the link is copied even when another item was
   * selected meanwhile. */
  if (temporary && dsl_link_get_share_link (stored) != NULL)
    copy_text (data->self, dsl_link_get_share_link (stored));
  if (data->generation != data->self->generation)
    return;
  data->saved = TRUE;
  if (temporary)
    toast (data->self, _("Temporary link created and copied"));
  else
    toast (data->self, created ? _("Link created") : _("Link saved"));
  links_changed (data->self);
}

static void
on_editor_destroy (DslLinkEditor *editor,
                   gpointer       user_data)
{
  EditorData *data = g_object_get_data (G_OBJECT (editor), "dsl-editor");

  /* Closed without a save: a request may still have reached the portal (the editor reports
   * a timeout and never sends twice), so the list is read again. */
  if (data == NULL || data->saved || data->generation != data->self->generation)
    return;
  load (data->self, FALSE);
}

static void
show_editor (DslLinkPanel  *self,
             DslLinkEditor *editor)
{
  EditorData *data;
  data = g_new0 (EditorData, 1);
  data->self = g_object_ref (self);
  data->generation = self->generation;
  g_object_set_data_full (G_OBJECT (editor), "dsl-editor", data, editor_data_free);
  g_signal_connect (editor, "saved", G_CALLBACK (on_editor_saved), NULL);
  g_signal_connect (editor, "destroy", G_CALLBACK (on_editor_destroy), NULL);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
open_editor (DslLinkPanel *self,
             DslLink      *link)
{
  if (self->client == NULL || self->item == NULL)
    return;
  show_editor (self, dsl_link_editor_new (parent_window (self), self->client, self->item, link));
}

static void
share_temporarily_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLinkGuard *guard = current_guard (self);

  if (guard == NULL || self->item == NULL || self->links == NULL ||
      dsl_link_form_explain_no_temporary (self->item) != NULL ||
      dsl_link_form_links_left (self->item, self->links) == 0)
    return;
  show_editor (self, dsl_link_editor_new_temporary (parent_window (self), self->client,
                                                    self->item, guard, account_key (self)));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, link_id_param (parameter));

  if (link == NULL || link == self->invitation || !dsl_item_get_can_share (self->item))
    return;
  open_editor (self, link);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);

  if (self->links == NULL || dsl_link_form_links_left (self->item, self->links) == 0)
    return;
  open_editor (self, NULL);
}

static void
create_primary_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);

  if (self->client == NULL || self->item == NULL || self->creating)
    return;
  self->creating = TRUE;
  set_label_message (self->create_error_label, NULL);
  update_actions (self);
  /* Get-or-create: sent once; a timeout is resolved by reading the list. */
  dsl_client_get_primary_link_async (self->client, dsl_item_get_kind (self->item),
                                     dsl_item_get_id (self->item), NULL, self->cancellable,
                                     get_primary_cb, create_data_new (self));
}

static void
create_invitation_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  g_autoptr(DslLink) state = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) expiry = NULL;

  if (self->client == NULL || self->item == NULL || self->creating_invitation ||
      self->invitation != NULL)
    return;

  /* Defaults: Content creator, seven days (invitation links need a future date). */
  state = dsl_link_new ();
  now = g_date_time_new_now_local ();
  expiry = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_7_DAYS, now);
  dsl_link_set_link_type (state, DSL_LINK_TYPE_INVITATION);
  dsl_link_set_subject_type (state, DSL_SUBJECT_TYPE_INVITATION_LINK);
  dsl_link_set_title (state, _("Invitation link"));
  dsl_link_set_access (state, invitation_access (self->item));
  dsl_link_set_expiration_date (state, expiry);

  self->creating_invitation = TRUE;
  set_label_message (self->invitation_error_label, NULL);
  update_actions (self);
  dsl_client_set_invitation_link_async (self->client, dsl_item_get_id (self->item), state,
                                        self->cancellable, set_invitation_cb,
                                        create_data_new (self));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  load (DSL_LINK_PANEL (widget), TRUE);
}

/* --- the item --- */

static void
on_item_notify (DslLinkPanel *self)
{
  /* The item was read again (its rights may have changed): redraw, do not reload. */
  if (self->links != NULL && !self->loading)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list));
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        if (DSL_IS_LINK_ROW (child))
          dsl_link_row_refresh (DSL_LINK_ROW (child));
    }
  update_actions (self);
}

/* A new item or client: whatever is in flight belongs to the old one. */
static void
restart (DslLinkPanel *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->creating = FALSE;
  self->creating_invitation = FALSE;
  self->wants_invitation = FALSE;
  g_hash_table_remove_all (self->busy);
  g_hash_table_remove_all (self->errors);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_object (&self->invitation);
  clear_list (self->list);
  clear_list (self->invitation_list);
  set_label_message (self->create_error_label, NULL);
  set_label_message (self->invitation_error_label, NULL);
  load (self, TRUE);
}

/* --- public --- */

GtkWidget *
dsl_link_panel_new (void)
{
  return g_object_new (DSL_TYPE_LINK_PANEL, NULL);
}

DslClient *
dsl_link_panel_get_client (DslLinkPanel *self)
{
  g_return_val_if_fail (DSL_IS_LINK_PANEL (self), NULL);
  return self->client;
}

void
dsl_link_panel_set_client (DslLinkPanel *self,
                           DslClient    *client)
{
  g_return_if_fail (DSL_IS_LINK_PANEL (self));
  g_return_if_fail (client == NULL || DSL_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/* A check revoked (or lost) a link of the item shown: read the list again. Downloads
 * counted show on their rows by themselves. */
static void
on_guard_checked (DslLinkPanel *self,
                  const char   *key,
                  GPtrArray    *results,
                  const GError *error)
{
  gboolean reload = FALSE;

  if (self->item == NULL || g_strcmp0 (key, account_key (self)) != 0)
    return;
  for (guint i = 0; i < results->len; i++)
    {
      DslGuardResult *r = g_ptr_array_index (results, i);

      if (r->outcome != DSL_GUARD_OUTCOME_ACTIVE && r->outcome != DSL_GUARD_OUTCOME_FAILED &&
          g_strcmp0 (dsl_guarded_link_get_item_id (r->link), dsl_item_get_id (self->item)) == 0 &&
          dsl_guarded_link_get_item_kind (r->link) == dsl_item_get_kind (self->item))
        reload = TRUE;
    }
  if (reload)
    load (self, FALSE);
}

/* The client changed in the monitor (signed in, or out): the button follows. */
static void
on_monitor_client_changed (DslLinkPanel *self)
{
  update_actions (self);
}

void
dsl_link_panel_set_monitor (DslLinkPanel   *self,
                            DslLinkMonitor *monitor)
{
  g_return_if_fail (DSL_IS_LINK_PANEL (self));
  g_return_if_fail (monitor == NULL || DSL_IS_LINK_MONITOR (monitor));

  if (self->monitor == monitor)
    return;
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    {
      g_signal_connect_swapped (monitor, "guard-checked", G_CALLBACK (on_guard_checked), self);
      g_signal_connect_swapped (monitor, "client-changed",
                                G_CALLBACK (on_monitor_client_changed), self);
    }
  update_actions (self);
}

DslLinkMonitor *
dsl_link_panel_get_monitor (DslLinkPanel *self)
{
  g_return_val_if_fail (DSL_IS_LINK_PANEL (self), NULL);
  return self->monitor;
}

DslItem *
dsl_link_panel_get_item (DslLinkPanel *self)
{
  g_return_val_if_fail (DSL_IS_LINK_PANEL (self), NULL);
  return self->item;
}

void
dsl_link_panel_set_item (DslLinkPanel *self,
                         DslItem      *item)
{
  g_return_if_fail (DSL_IS_LINK_PANEL (self));
  g_return_if_fail (item == NULL || DSL_IS_ITEM (item));

  if (item == self->item)
    return;
  if (self->item != NULL)
    g_clear_signal_handler (&self->item_notify_id, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->item_notify_id = g_signal_connect_swapped (item, "notify",
                                                     G_CALLBACK (on_item_notify), self);
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

gboolean
dsl_link_panel_get_loading (DslLinkPanel *self)
{
  g_return_val_if_fail (DSL_IS_LINK_PANEL (self), FALSE);
  return self->loading;
}

void
dsl_link_panel_reload (DslLinkPanel *self)
{
  g_return_if_fail (DSL_IS_LINK_PANEL (self));
  load (self, FALSE);
}

gboolean
dsl_link_panel_copy_primary (DslLinkPanel *self)
{
  const char *explain;

  g_return_val_if_fail (DSL_IS_LINK_PANEL (self), FALSE);

  if (self->item == NULL)
    return FALSE;

  for (guint i = 0; self->links != NULL && i < self->links->len; i++)
    {
      DslLink *link = g_ptr_array_index (self->links, i);

      if (is_primary (link) && dsl_link_get_share_link (link) != NULL)
        {
          copy_text (self, dsl_link_get_share_link (link));
          toast (self, _("Link copied"));
          return TRUE;
        }
    }

  explain = explain_no_links (self);
  if (explain != NULL)
    toast (self, explain);
  else if (self->links == NULL)
    toast (self, _("The links of this item are still loading"));
  else
    toast (self, _("This item has no link yet: use “Create and Copy”"));
  return FALSE;
}

/* --- GObject --- */

static void
dsl_link_panel_dispose (GObject *object)
{
  DslLinkPanel *self = DSL_LINK_PANEL (object);
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  /* Answers still on their way are for nobody now. */
  self->generation++;
  self->load_serial++;
  if (self->item != NULL)
    g_clear_signal_handler (&self->item_notify_id, self->item);

  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_LINK_PANEL);
  /* The template's root box has no id, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->item);
  g_clear_object (&self->client);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_object (&self->invitation);
  clear_incoming (self);

  G_OBJECT_CLASS (dsl_link_panel_parent_class)->dispose (object);
}

static void
dsl_link_panel_finalize (GObject *object)
{
  DslLinkPanel *self = DSL_LINK_PANEL (object);

  g_clear_pointer (&self->busy, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_hash_table_unref);

  G_OBJECT_CLASS (dsl_link_panel_parent_class)->finalize (object);
}

static void
dsl_link_panel_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DslLinkPanel *self = DSL_LINK_PANEL (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_panel_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DslLinkPanel *self = DSL_LINK_PANEL (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      dsl_link_panel_set_client (self, g_value_get_object (value));
      break;
    case PROP_ITEM:
      dsl_link_panel_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_panel_class_init (DslLinkPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_link_panel_dispose;
  object_class->finalize = dsl_link_panel_finalize;
  object_class->get_property = dsl_link_panel_get_property;
  object_class->set_property = dsl_link_panel_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DSL_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, DSL_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DslLinkPanel::links-changed:
   *
   * A create, edit or revoke went through (the item's badges may change).
   */
  signals[LINKS_CHANGED] =
    g_signal_new ("links-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (DSL_TYPE_LINK_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-link-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, add_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, temporary_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, error_page);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, unavailable_page);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, create_error_label);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, list);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, invitation_group);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, invitation_list);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, create_invitation_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, invitation_error_label);

  gtk_widget_class_install_action (widget_class, "links.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "links.copy-password", "s",
                                   copy_password_action);
  gtk_widget_class_install_action (widget_class, "links.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "links.copy-message", "s", copy_message_action);
  gtk_widget_class_install_action (widget_class, "links.copy-rich", "s", copy_rich_action);
  gtk_widget_class_install_action (widget_class, "links.revoke", "s", revoke_action);
  gtk_widget_class_install_action (widget_class, "links.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "links.extend", "s", extend_action);
  gtk_widget_class_install_action (widget_class, "links.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "links.share-temporarily", NULL,
                                   share_temporarily_action);
  gtk_widget_class_install_action (widget_class, "links.create-primary", NULL,
                                   create_primary_action);
  gtk_widget_class_install_action (widget_class, "links.create-invitation", NULL,
                                   create_invitation_action);
  gtk_widget_class_install_action (widget_class, "links.retry", NULL, retry_action);

  gtk_widget_class_set_css_name (widget_class, "dsl-link-panel");
}

static void
dsl_link_panel_init (DslLinkPanel *self)
{
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  show_page (self, "none");
  update_actions (self);
}

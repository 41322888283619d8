/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-find-link-dialog.c: "Find Link…".
 *
 *   entry ──find──▶ the session's active account ──▶ DslLinkMonitor: client? ── no ──▶ "waiting"
 *                                                   │ yes                      (client-changed,
 *                                                   ▼                           notify::active-
 *                      dsl_share_url_parse_full (url, client's base URL)         account: again)
 *                         │ error: inline message, the entry keeps the text
 *                         ▼
 *                      the account's DslLinkScan rows (if it ran) ── match ──▶ "result"
 *                         │ none
 *                         ▼ "resolving" (issue 12 rule 8)
 *        short link (the portal's /s/, or a URL shortener's): GET it, not followed ─▶ Location
 *        long form: GET files/share/{key}  ┐ at once, when the URL names the item:
 *                   GET …/{id}/links       │ GET files/file/{id} (or folder) and its links
 *                   GET …/{id}             ┘ (else after the key told the item)
 *                         │ status Ok / RequiredPassword / Expired + the link among the item's
 *                         │ links (requestToken = key) ──▶ "result" (+ a notice), location later
 *                         │ Invalid, Expired, ExternalAccessDenied... ──▶ "not-found", said plainly
 *                         │ the key call failed (an older server): ▼
 *                      the scan: never run (then started) or running
 *                         ▼
 *                      "scanning": rows items-changed ── match ──▶ "result"
 *                                  notify::running = FALSE ──▶ "not-found" (Search Again)
 *
 * Copy and Revoke on the result activate "links.copy" / "links.revoke" with the link id, the
 * contract of DslLinkRow's buttons; the removal that applies and its words come from core
 * (dsl_link_ops_removal, dsl_link_ops_removal_words), and dsl_link_ops_remove_async reads the
 * link again and removes it with the scan's client (gone: "removed by someone else"; an
 * expired link extended since: not removed, the result shows it as it is now). */

#define G_LOG_DOMAIN "dsl-find-link-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-find-link-dialog.h"
#include "dsl-frame-stats.h"
#include "dsl-link-form.h"
#include "dsl-link-rules.h"
#include "dsl-link-monitor.h"
#include "dsl-link-ops.h"
#include "dsl-share-url.h"
#include "dsl-ui-util.h"

struct _DslFindLinkDialog
{
  AdwWindow parent_instance;

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkEntry        *url_entry;
  GtkLabel        *message_label;
  GtkStack        *stack;
  GtkLabel        *waiting_label;
  GtkProgressBar  *progress_bar;
  GtkLabel        *progress_label;
  GtkLabel        *not_found_label;
  AdwActionRow    *item_row;
  AdwActionRow    *title_row;
  AdwActionRow    *url_row;
  AdwActionRow    *access_row;
  AdwActionRow    *audience_row;
  AdwActionRow    *expiry_row;
  AdwActionRow    *password_row;
  GtkLabel        *revoked_label;
  GtkLabel        *notice_label;
  GtkButton       *copy_button;
  GtkButton       *revoke_button;

  /* owned */
  DslLinkMonitor  *monitor;
  DslLinkScan     *scan;          /* the scan watched while "scanning"; else NULL */
  DslLinkScanRow  *result;
  DslClient       *result_client; /* the client of the scan the result came from */
  char            *token;         /* the parsed URL being looked for */
  GCancellable    *cancellable;   /* the revoke in flight */
  GHashTable      *revoked;       /* link ids revoked here (the scan still lists them) */
  struct _Resolve *resolve;       /* the key or short link being resolved; else NULL */

  /* borrowed */
  DslSession      *session;       /* owned: the active account */

  /* plain values */
  DslShareUrlKind  kind;
  gulong           rows_changed_id;
  gulong           running_id;
  gulong           scanned_id;
  gulong           found_id;
  guint            pulse_id;
  gboolean         pending;       /* a find waits for the account's client */
  gboolean         cancelled;     /* the person cancelled the scan */
  gboolean         revoking;
  guint            generation;    /* bumped by every find: late answers are dropped */
};

G_DEFINE_FINAL_TYPE (DslFindLinkDialog, dsl_find_link_dialog, ADW_TYPE_WINDOW)

enum {
  LINK_REVOKED,
  SHOW_ITEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void find (DslFindLinkDialog *self);

/* --- state --- */

/* FolderType of the sections (docspace-api.md §5) */
#define FOLDER_TYPE_MY    5
#define FOLDER_TYPE_ROOMS 14
#define FOLDER_TYPE_ARCHIVE 20

/* The tree's root ("@rooms", "@my") the row's item is below, or NULL (the Archive...). */
static const char *
tree_root (DslLinkScanRow *row)
{
  DslItem *item = dsl_link_scan_row_get_item (row);

  if (dsl_item_get_kind (item) == DSL_ITEM_KIND_ROOM)
    return "@rooms";
  if (dsl_item_get_parent_id (item) == NULL)
    return NULL;
  switch (dsl_item_get_root_folder_type (item))
    {
    case FOLDER_TYPE_MY:
      return DSL_FOLDER_MY;
    case FOLDER_TYPE_ROOMS:
      return "@rooms";
    default:
      return NULL;
    }
}

static void
update_actions (DslFindLinkDialog *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const char *state = gtk_stack_get_visible_child_name (self->stack);
  DslLink *link = self->result != NULL ? dsl_link_scan_row_get_link (self->result) : NULL;
  gboolean revoked = link != NULL && g_hash_table_contains (self->revoked,
                                                            dsl_link_get_id (link));

  gtk_widget_action_set_enabled (widget, "find-link.cancel", self->scan != NULL);
  gtk_widget_action_set_enabled (widget, "find-link.rescan",
                                 g_strcmp0 (state, "not-found") == 0 && self->scan == NULL);
  gtk_widget_action_set_enabled (widget, "find-link.show-in-tree",
                                 self->result != NULL && tree_root (self->result) != NULL);
  gtk_widget_action_set_enabled (widget, "links.copy", link != NULL && !revoked);
  /* who may remove it is the server's rule (dsl-link-rules.c) */
  gtk_widget_action_set_enabled (widget, "links.revoke",
                                 link != NULL && !revoked && !self->revoking &&
                                 dsl_link_ops_removal (dsl_link_scan_row_get_item (self->result),
                                                       link, NULL) != DSL_LINK_REMOVAL_NOT_ALLOWED);
}

static void
show_message (DslFindLinkDialog *self,
              const char        *message)
{
  gtk_label_set_text (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->url_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->url_entry), "error");
}

static gboolean
pulse (gpointer user_data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (user_data));
  return G_SOURCE_CONTINUE;
}

static void
show_page (DslFindLinkDialog *self,
           const char        *name)
{
  gboolean scanning = g_str_equal (name, "scanning");

  gtk_stack_set_visible_child_name (self->stack, name);
  if (scanning && self->pulse_id == 0)
    self->pulse_id = g_timeout_add (150, pulse, self->progress_bar);
  else if (!scanning)
    g_clear_handle_id (&self->pulse_id, g_source_remove);
  update_actions (self);
}

static void
toast (DslFindLinkDialog *self,
       const char        *title)
{
  /* plain text: titles and messages from the portal (toasts parse markup in libadwaita 1.2) */
  adw_toast_overlay_add_toast (self->toast_overlay, dsl_plain_toast_new (title));
}

static char *
active_account (DslFindLinkDialog *self)
{
  char *key = NULL;

  if (self->session != NULL)
    key = dsl_session_dup_account_key (self->session);
  return key;
}

/* --- the scan --- */

static void
unwatch_scan (DslFindLinkDialog *self)
{
  if (self->scan == NULL)
    return;
  g_clear_signal_handler (&self->rows_changed_id, dsl_link_scan_get_rows (self->scan));
  g_clear_signal_handler (&self->running_id, self->scan);
  g_clear_signal_handler (&self->scanned_id, self->scan);
  g_clear_signal_handler (&self->found_id, self->scan);
  g_clear_object (&self->scan);
}

static gboolean
row_matches (DslFindLinkDialog *self,
             DslLinkScanRow    *row)
{
  DslLink *link = dsl_link_scan_row_get_link (row);

  return link != NULL &&
         dsl_share_url_matches_link (self->kind, self->token, dsl_link_get_share_link (link),
                                     dsl_link_get_request_token (link));
}

/* The first row from `position` on that is the link looked for (new reference), or NULL. */
static DslLinkScanRow *
search_rows (DslFindLinkDialog *self,
             GListModel        *rows,
             guint              position)
{
  guint n = g_list_model_get_n_items (rows);

  for (guint i = position; i < n; i++)
    {
      g_autoptr(DslLinkScanRow) row = g_list_model_get_item (rows, i);

      if (row_matches (self, row))
        return g_steal_pointer (&row);
    }
  return NULL;
}

static void
set_row (AdwActionRow *row,
         const char   *subtitle)
{
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (row, subtitle != NULL ? subtitle : "");
}

/* The notice over a result: what the portal says of the link. NULL for none. */
static const char *
result_notice (DslShareInfo *info,
               DslLink      *link)
{
  if ((info != NULL && info->status == DSL_SHARE_STATUS_EXPIRED) ||
      dsl_link_get_is_expired (link))
    return _("This link has expired: it no longer opens.");
  if (dsl_link_get_password (link) != NULL ||
      (info != NULL && info->status == DSL_SHARE_STATUS_REQUIRED_PASSWORD))
    return _("This link is protected by a password: whoever opens it must enter it.");
  return NULL;
}

static void
show_notice (DslFindLinkDialog *self,
             const char        *text)
{
  gtk_label_set_text (self->notice_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), text != NULL);
}

static void
show_result (DslFindLinkDialog *self,
             DslLinkScanRow    *row,
             DslClient         *client)
{
  DslItem *item = dsl_link_scan_row_get_item (row);
  DslLink *link = dsl_link_scan_row_get_link (row);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *expiry = dsl_link_describe_expiry (dsl_link_get_expiration_date (link),
                                                      dsl_link_get_is_expired (link), now);
  const char *location = dsl_link_scan_row_get_location (row);
  GVariant *target = g_variant_new_string (dsl_link_get_id (link));
  gboolean revoked = g_hash_table_contains (self->revoked, dsl_link_get_id (link));

  g_set_object (&self->result, row);
  g_set_object (&self->result_client, client);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->item_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->item_row), dsl_item_get_title (item));
  set_row (self->item_row, location != NULL && *location != '\0' ? location : NULL);
  set_row (self->title_row, dsl_link_get_title (link));
  set_row (self->url_row, dsl_link_get_share_link (link));
  set_row (self->access_row, dsl_link_describe_access (dsl_link_get_access (link)));
  set_row (self->audience_row, dsl_link_describe_audience (dsl_link_get_internal (link)));
  set_row (self->expiry_row, expiry);
  set_row (self->password_row, dsl_link_get_password (link) != NULL ? _("Yes") : _("No"));

  /* The action names come with the first target ("s" actions refuse a button without one). */
  g_variant_ref_sink (target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->copy_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->revoke_button), target);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->copy_button), "links.copy");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->revoke_button), "links.revoke");
  g_variant_unref (target);

  gtk_label_set_text (self->revoked_label, revoked ? _("This link has been revoked.") : "");
  gtk_widget_set_visible (GTK_WIDGET (self->revoked_label), revoked);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->revoke_button),
                               dsl_link_rules_explain_no_remove (item, link));
  show_notice (self, result_notice (NULL, link));
  show_page (self, "result");
}

static void
show_not_found (DslFindLinkDialog *self,
                DslLinkScan       *scan)
{
  const GError *error = dsl_link_scan_get_error (scan);
  guint failures = dsl_link_scan_get_n_failures (scan);
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->cancelled)
    g_string_append (text, _("The search was cancelled before this link was found."));
  else if (error != NULL)
    g_string_append_printf (text, _("The portal’s links could not be read: %s"),
                            error->message);
  else
    g_string_append (text, _("None of the links you manage on this portal has this address. "
                             "It may have been revoked, or it belongs to an item you cannot "
                             "share."));
  if (failures > 0 && error == NULL && !self->cancelled)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text, ngettext ("The links of %u item could not be read.",
                                              "The links of %u items could not be read.",
                                              failures), failures);
    }
  gtk_label_set_text (self->not_found_label, text->str);
  show_page (self, "not-found");
}

static void
update_progress (DslFindLinkDialog *self)
{
  guint items, links;
  g_autofree char *items_text = NULL;
  g_autofree char *text = NULL;

  if (self->scan == NULL)
    return;
  items = dsl_link_scan_get_items_scanned (self->scan);
  links = dsl_link_scan_get_links_found (self->scan);
  items_text = g_strdup_printf (ngettext ("%u item scanned", "%u items scanned", items), items);
  /* Translators: "12 items scanned, 3 links found" */
  text = g_strdup_printf (ngettext ("%s, %u link found", "%s, %u links found", links),
                          items_text, links);
  gtk_label_set_text (self->progress_label, text);
}

static void
on_rows_changed (DslFindLinkDialog *self,
                 guint              position,
                 guint              removed,
                 guint              added)
{
  g_autoptr(DslLinkScanRow) row = NULL;
  g_autoptr(DslLinkScan) scan = NULL;

  if (added == 0 || self->scan == NULL)
    return;
  row = search_rows (self, dsl_link_scan_get_rows (self->scan), position);
  if (row == NULL)
    return;
  /* Found while the scan goes on: the scan keeps running for the checkup's sake. */
  scan = g_object_ref (self->scan);
  unwatch_scan (self);
  show_result (self, row, dsl_link_scan_get_client (scan));
}

static void
on_running (DslFindLinkDialog *self)
{
  g_autoptr(DslLinkScan) scan = NULL;
  g_autoptr(DslLinkScanRow) row = NULL;

  if (self->scan == NULL || dsl_link_scan_get_running (self->scan))
    return;
  scan = g_object_ref (self->scan);
  unwatch_scan (self);
  row = search_rows (self, dsl_link_scan_get_rows (scan), 0);
  if (row != NULL)
    show_result (self, row, dsl_link_scan_get_client (scan));
  else
    show_not_found (self, scan);
}

static void
watch_scan (DslFindLinkDialog *self,
            DslLinkScan       *scan)
{
  unwatch_scan (self);
  self->scan = g_object_ref (scan);
  self->cancelled = FALSE;
  self->rows_changed_id = g_signal_connect_swapped (dsl_link_scan_get_rows (scan),
                                                    "items-changed",
                                                    G_CALLBACK (on_rows_changed), self);
  self->running_id = g_signal_connect_swapped (scan, "notify::running",
                                               G_CALLBACK (on_running), self);
  self->scanned_id = g_signal_connect_swapped (scan, "notify::items-scanned",
                                               G_CALLBACK (update_progress), self);
  self->found_id = g_signal_connect_swapped (scan, "notify::links-found",
                                             G_CALLBACK (update_progress), self);
  update_progress (self);
  show_page (self, "scanning");
}

/* --- resolving a key or a short link (issue 12 rule 8) --- */

typedef struct {
  DslFindLinkDialog *self;   /* owned */
  DslLinkScanRow    *row;    /* owned */
} PathData;

static void
path_data_free (PathData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->row);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PathData, path_data_free)


#define MAX_HOPS 3

typedef struct _Resolve {
  DslClient         *client;        /* owned */
  GCancellable      *cancellable;   /* owned; cancelled when the resolve stops */
  char              *key;           /* the share key, once known */
  guint              hops;          /* redirects followed */
  DslShareInfo      *info;          /* GET files/share/{key}; NULL until answered */
  GError            *info_error;
  gboolean           info_done;
  DslItemKind        kind;          /* the item whose links are read */
  char              *id;            /* NULL: not known yet */
  GPtrArray         *links;
  GError            *links_error;
  guint              links_pending; /* 0: answered (or not asked) */
  DslItem           *item;
  guint              item_pending;
  gboolean           item_asked;
} Resolve;

static void
resolve_free (Resolve *resolve)
{
  g_cancellable_cancel (resolve->cancellable);
  g_clear_object (&resolve->cancellable);
  g_clear_object (&resolve->client);
  g_free (resolve->key);
  g_clear_pointer (&resolve->info, dsl_share_info_free);
  g_clear_error (&resolve->info_error);
  g_free (resolve->id);
  g_clear_pointer (&resolve->links, g_ptr_array_unref);
  g_clear_error (&resolve->links_error);
  g_clear_object (&resolve->item);
  g_free (resolve);
}

/* What an answer's callback holds: the dialog and the find it belongs to. */
typedef struct {
  DslFindLinkDialog *self;     /* owned */
  guint              generation;
  char              *id;       /* the item asked about (links, item) */
} Call;

static Call *
call_new (DslFindLinkDialog *self,
          const char        *id)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->generation = self->generation;
  call->id = g_strdup (id);
  return call;
}

static void
call_free (Call *call)
{
  g_clear_object (&call->self);
  g_free (call->id);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

/* The resolve an answer is for, or NULL when a newer find replaced it. */
static Resolve *
call_resolve (Call *call)
{
  if (call->self->generation != call->generation)
    return NULL;
  return call->self->resolve;
}

static void
stop_resolve (DslFindLinkDialog *self)
{
  self->generation++;
  g_clear_pointer (&self->resolve, resolve_free);
}

static void
show_not_found_text (DslFindLinkDialog *self,
                     const char        *text)
{
  stop_resolve (self);
  gtk_label_set_text (self->not_found_label, text);
  show_page (self, "not-found");
}

static void look_in_scan (DslFindLinkDialog *self,
                          DslClient         *client);

/* The key could not be asked about (an older server, a failure): look through the scan. */
static void
fall_back_to_scan (DslFindLinkDialog *self)
{
  g_autoptr(DslClient) client = g_object_ref (self->resolve->client);

  stop_resolve (self);
  look_in_scan (self, client);
}

static DslLink *
find_link_in (GPtrArray    *links,
              const char   *key,
              const char   *link_id)
{
  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      DslLink *link = g_ptr_array_index (links, i);

      if ((key != NULL && g_strcmp0 (dsl_link_get_request_token (link), key) == 0) ||
          (link_id != NULL && g_ascii_strcasecmp (dsl_link_get_id (link), link_id) == 0))
        return link;
    }
  return NULL;
}

/* Where a found item is: the parent folder's pathParts, filled in after the result shows. */
static void
location_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PathData) call = user_data;
  g_autoptr(DslFolderPage) page = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  page = dsl_client_list_folder_finish (DSL_CLIENT (object), result, NULL);
  if (page == NULL || call->self->result != call->row)
    return;
  for (guint i = 0; page->path != NULL && i < page->path->len; i++)
    {
      if (i > 0)
        g_string_append (text, " \u203a ");
      g_string_append (text, dsl_item_get_title (g_ptr_array_index (page->path, i)));
    }
  set_row (call->self->item_row, text->str);
}

static void
fetch_location (DslFindLinkDialog *self)
{
  DslItem *item = dsl_link_scan_row_get_item (self->result);
  PathData *call;

  if (dsl_item_get_kind (item) == DSL_ITEM_KIND_ROOM)
    {
      set_row (self->item_row, dsl_item_get_root_folder_type (item) == FOLDER_TYPE_ARCHIVE
                               ? _("Archive") : _("Rooms"));
      return;
    }
  if (dsl_item_get_parent_id (item) == NULL)
    return;
  call = g_new0 (PathData, 1);
  call->self = g_object_ref (self);
  call->row = g_object_ref (self->result);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  dsl_client_list_folder_async (self->result_client, dsl_item_get_parent_id (item), NULL, 0, 1,
                                self->cancellable, location_cb, call);
}

static void resolve_step (DslFindLinkDialog *self);

static void
links_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = dsl_client_list_links_finish (DSL_CLIENT (object), result,
                                                             &error);
  Resolve *resolve = call_resolve (call);

  if (resolve == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  resolve->links_pending--;
  /* An answer about an item asked before the key told another one is dropped. */
  if (g_strcmp0 (call->id, resolve->id) == 0)
    {
      g_clear_pointer (&resolve->links, g_ptr_array_unref);
      g_clear_error (&resolve->links_error);
      resolve->links = g_steal_pointer (&links);
      resolve->links_error = g_steal_pointer (&error);
    }
  resolve_step (call->self);
}

static void
item_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) item = dsl_client_get_item_finish (DSL_CLIENT (object), result, &error);
  Resolve *resolve = call_resolve (call);

  if (resolve == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  resolve->item_pending--;
  if (g_strcmp0 (call->id, resolve->id) == 0)
    g_set_object (&resolve->item, item);
  resolve_step (call->self);
}

/* Reads the item `kind`/`id` and its links (both at once). */
static void
fetch_item (DslFindLinkDialog *self,
            DslItemKind        kind,
            const char        *id)
{
  Resolve *resolve = self->resolve;

  g_free (resolve->id);
  resolve->id = g_strdup (id);
  resolve->kind = kind;
  g_clear_pointer (&resolve->links, g_ptr_array_unref);
  g_clear_object (&resolve->item);
  resolve->item_asked = TRUE;
  resolve->links_pending++;
  resolve->item_pending++;
  dsl_client_list_links_async (resolve->client, kind, id, kind == DSL_ITEM_KIND_ROOM ? 1 : -1,
                               resolve->cancellable, links_cb, call_new (self, id));
  dsl_client_get_item_async (resolve->client, kind, id, resolve->cancellable, item_cb,
                             call_new (self, id));
}

static DslItemKind
info_kind (DslShareInfo *info)
{
  if (info->type == 2)
    return DSL_ITEM_KIND_FILE;
  return info->is_room ? DSL_ITEM_KIND_ROOM : DSL_ITEM_KIND_FOLDER;
}

/* What the portal says of a key that opens nothing (or nothing it tells). */
static char *
describe_status (DslShareInfo *info)
{
  switch (info->status)
    {
    case DSL_SHARE_STATUS_INVALID:
      if (info->title != NULL)
        return g_strdup_printf (_("This link no longer opens “%s”: the item is in the Archive "
                                  "or in the Trash."), info->title);
      return g_strdup (_("This link does not work: it was revoked or deleted, or it never was "
                         "a link of this portal."));
    case DSL_SHARE_STATUS_EXPIRED:
      return g_strdup (_("This link has expired. Search the portal’s links to see which item "
                         "it belongs to."));
    case DSL_SHARE_STATUS_EXTERNAL_ACCESS_DENIED:
      return g_strdup (_("The portal does not open this link: it is for portal users only, or "
                         "the portal’s sharing settings block public links."));
    case DSL_SHARE_STATUS_INVALID_PASSWORD:
      return g_strdup (_("The portal did not accept the password for this link."));
    default:
      return g_strdup_printf (_("The portal does not open this link (status %d)."),
                              info->status);
    }
}

static void
show_resolved (DslFindLinkDialog *self,
               DslItem           *item,
               DslLink           *link)
{
  g_autoptr(DslLinkScanRow) row = dsl_link_scan_row_new (item, NULL, link, NULL, NULL);
  g_autoptr(DslClient) client = g_object_ref (self->resolve->client);
  g_autoptr(DslShareInfo) info = g_steal_pointer (&self->resolve->info);

  stop_resolve (self);
  show_result (self, row, client);
  show_notice (self, result_notice (info, link));
  fetch_location (self);
}

/* Every answer comes here: decides once enough is known. */
static void
resolve_step (DslFindLinkDialog *self)
{
  Resolve *resolve = self->resolve;
  DslShareInfo *info = resolve->info;
  DslLink *link;

  if (!resolve->info_done)
    return;
  if (resolve->info_error != NULL)
    {
      g_debug ("files/share/{key} failed (%s): looking through the scan",
               resolve->info_error->message);
      fall_back_to_scan (self);
      return;
    }

  if (info->id != NULL && (info->status == DSL_SHARE_STATUS_OK ||
                           info->status == DSL_SHARE_STATUS_REQUIRED_PASSWORD))
    {
      DslItemKind kind = info_kind (info);

      /* The URL named another item than the key does (or none): read the key's. */
      if (!resolve->item_asked || resolve->kind != kind || g_strcmp0 (resolve->id, info->id))
        {
          fetch_item (self, kind, info->id);
          return;
        }
    }
  if (resolve->links_pending > 0 || resolve->item_pending > 0)
    return;

  link = find_link_in (resolve->links, resolve->key, info->link_id);
  if (link != NULL && resolve->item != NULL &&
      (info->status == DSL_SHARE_STATUS_OK || info->status == DSL_SHARE_STATUS_REQUIRED_PASSWORD ||
       info->status == DSL_SHARE_STATUS_EXPIRED))
    {
      g_autoptr(DslItem) item = g_object_ref (resolve->item);
      g_autoptr(DslLink) found = g_object_ref (link);

      show_resolved (self, item, found);
      return;
    }

  if (info->status == DSL_SHARE_STATUS_OK || info->status == DSL_SHARE_STATUS_REQUIRED_PASSWORD)
    {
      g_autofree char *text = NULL;

      if (info->title != NULL)
        text = g_strdup_printf (_("This link opens “%s”, but it is not among the links you can "
                                  "manage."), info->title);
      else
        text = g_strdup (_("This link works, but it is not among the links you can manage."));
      show_not_found_text (self, text);
      return;
    }

  {
    g_autofree char *text = describe_status (info);

    show_not_found_text (self, text);
  }
}

static void
share_info_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslShareInfo) info = dsl_client_get_share_info_finish (DSL_CLIENT (object), result,
                                                                   &error);
  Resolve *resolve = call_resolve (call);

  if (resolve == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  resolve->info_done = TRUE;
  resolve->info = g_steal_pointer (&info);
  resolve->info_error = g_steal_pointer (&error);
  resolve_step (call->self);
}

/* A long form: its key, and the item when the URL names it (then read at the same time). */
static void
resolve_key (DslFindLinkDialog *self,
             const char        *key,
             DslShareUrlTarget  target,
             const char        *target_id)
{
  Resolve *resolve = self->resolve;

  /* `key` may be self->token: copy it first. */
  g_free (resolve->key);
  resolve->key = g_strdup (key);
  /* A scan started later (Search Again) looks for the key. */
  self->kind = DSL_SHARE_URL_KIND_KEY;
  g_free (self->token);
  self->token = g_strdup (resolve->key);

  dsl_client_get_share_info_async (resolve->client, resolve->key, resolve->cancellable,
                                   share_info_cb, call_new (self, NULL));
  if (target_id != NULL && target == DSL_SHARE_URL_TARGET_FILE)
    fetch_item (self, DSL_ITEM_KIND_FILE, target_id);
  else if (target_id != NULL && target == DSL_SHARE_URL_TARGET_FOLDER)
    fetch_item (self, DSL_ITEM_KIND_FOLDER, target_id);
}

static void follow (DslFindLinkDialog *self,
                    const char        *url);

static void
follow_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = dsl_client_follow_short_link_finish (DSL_CLIENT (object), result,
                                                                   &error);
  DslFindLinkDialog *self = call->self;
  Resolve *resolve = call_resolve (call);
  const char *base;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *target_id = NULL;
  DslShareUrlKind kind;
  DslShareUrlTarget target;

  if (resolve == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  base = dsl_client_get_base_url (resolve->client);

  if (error != NULL || location == NULL)
    {
      if (self->kind == DSL_SHARE_URL_KIND_SHORT)
        {
          /* The portal's own short link did not redirect: the scan knows its links. */
          fall_back_to_scan (self);
          return;
        }
      stop_resolve (self);
      if (error != NULL)
        {
          g_autofree char *text = g_strdup_printf (_("This link could not be opened: %s"),
                                                   error->message);
          show_message (self, text);
        }
      else
        show_message (self, _("This link does not lead to a share link of this portal."));
      show_page (self, "hint");
      return;
    }

  if (!dsl_share_url_parse_full (location, base, &kind, &token, &target, &target_id,
                                 &parse_error))
    {
      stop_resolve (self);
      if (g_error_matches (parse_error, DSL_SHARE_URL_ERROR, DSL_SHARE_URL_ERROR_OTHER_PORTAL))
        {
          show_message (self, parse_error->message);
          show_page (self, "hint");
        }
      else if (self->kind == DSL_SHARE_URL_KIND_SHORT)
        /* The portal sends an unknown code to its start page (UrlShortRewriter.cs). */
        show_not_found_text (self, _("The portal does not know this short link."));
      else
        {
          show_message (self, _("This link does not lead to a share link of this portal."));
          show_page (self, "hint");
        }
      return;
    }

  if (kind == DSL_SHARE_URL_KIND_KEY)
    resolve_key (self, token, target, target_id);
  else if (kind == DSL_SHARE_URL_KIND_REDIRECT)
    {
      /* Only the portal's own short links are followed further, never a third host. */
      stop_resolve (self);
      show_message (self, _("This link does not lead to a share link of this portal."));
      show_page (self, "hint");
    }
  else if (resolve->hops >= MAX_HOPS)
    {
      stop_resolve (self);
      show_message (self, _("This link redirects too many times."));
      show_page (self, "hint");
    }
  else
    follow (self, location);
}

static void
follow (DslFindLinkDialog *self,
        const char        *url)
{
  self->resolve->hops++;
  dsl_client_follow_short_link_async (self->resolve->client, url, self->resolve->cancellable,
                                      follow_cb, call_new (self, NULL));
}

/* --- finding --- */

/* The scan: its rows, then (never run) a run of it, or the one running. */
static void
look_in_scan (DslFindLinkDialog *self,
              DslClient         *client)
{
  g_autofree char *key = active_account (self);
  g_autoptr(DslLinkScanRow) row = NULL;
  DslLinkScan *scan;

  if (key == NULL || self->monitor == NULL)
    return;
  scan = dsl_link_monitor_get_scan (self->monitor, key);
  row = search_rows (self, dsl_link_scan_get_rows (scan), 0);
  if (row != NULL)
    show_result (self, row, client);
  else if (dsl_link_scan_get_running (scan))
    watch_scan (self, scan);
  else if (g_list_model_get_n_items (dsl_link_scan_get_rows (scan)) == 0 &&
           dsl_link_scan_get_items_scanned (scan) == 0)
    {
      /* Never run for this account: read every link of the portal once. */
      watch_scan (self, scan);
      dsl_link_scan_start (scan);
    }
  else
    show_not_found (self, scan);
}

static void
find (DslFindLinkDialog *self)
{
  g_autofree char *key = active_account (self);
  DslClient *client = key != NULL && self->monitor != NULL
                      ? dsl_link_monitor_get_client (self->monitor, key) : NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->url_entry));
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLinkScanRow) row = NULL;
  g_autofree char *target_id = NULL;
  DslShareUrlTarget target = DSL_SHARE_URL_TARGET_UNKNOWN;
  DslLinkScan *scan;

  unwatch_scan (self);
  stop_resolve (self);
  g_clear_object (&self->result);
  g_clear_object (&self->result_client);
  g_clear_pointer (&self->token, g_free);
  self->pending = FALSE;
  show_message (self, NULL);
  show_notice (self, NULL);

  if (client == NULL)
    {
      /* After a start from the command line the account's secret is still being read, or
       * the sign-in page is shown: look again once the account has its client. */
      self->pending = TRUE;
      adw_window_title_set_subtitle (self->window_title, NULL);
      show_page (self, "waiting");
      return;
    }

  adw_window_title_set_subtitle (self->window_title, dsl_client_get_base_url (client));
  if (!dsl_share_url_parse_full (text, dsl_client_get_base_url (client), &self->kind,
                                 &self->token, &target, &target_id, &error))
    {
      show_message (self, error->message);
      show_page (self, "hint");
      gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
      return;
    }

  /* A scan that has run may know the link already: nothing to ask. */
  scan = dsl_link_monitor_get_scan (self->monitor, key);
  row = search_rows (self, dsl_link_scan_get_rows (scan), 0);
  if (row != NULL)
    {
      show_result (self, row, client);
      return;
    }

  self->resolve = g_new0 (Resolve, 1);
  self->resolve->client = g_object_ref (client);
  self->resolve->cancellable = g_cancellable_new ();
  show_page (self, "resolving");
  if (self->kind == DSL_SHARE_URL_KIND_KEY)
    resolve_key (self, self->token, target, target_id);
  else if (self->kind == DSL_SHARE_URL_KIND_SHORT)
    {
      g_autofree char *url = g_strdup_printf ("%s/s/%s", dsl_client_get_base_url (client),
                                              self->token);

      follow (self, url);
    }
  else
    follow (self, self->token);
}

static void
on_client_changed (DslFindLinkDialog *self,
                   const char        *account_key)
{
  /* Waiting for a client; or waiting on a scan the monitor may just have dropped with the
   * account's old client (find watches the account's current scan again). */
  if (self->pending || self->scan != NULL)
    find (self);
}

static void
on_entry_activate (DslFindLinkDialog *self)
{
  find (self);
}

static void
on_entry_changed (DslFindLinkDialog *self)
{
  /* The message was about the text before this change. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    show_message (self, NULL);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  find (DSL_FIND_LINK_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslFindLinkDialog *self = DSL_FIND_LINK_DIALOG (widget);

  if (self->scan == NULL)
    return;
  self->cancelled = TRUE;
  dsl_link_scan_cancel (self->scan);
  /* A scan that does not report the stop (already idle) still leaves this page. */
  if (self->scan != NULL)
    on_running (self);
}

static void
rescan_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslFindLinkDialog *self = DSL_FIND_LINK_DIALOG (widget);
  g_autofree char *key = active_account (self);
  DslLinkScan *scan = key != NULL ? dsl_link_monitor_get_scan (self->monitor, key) : NULL;

  if (scan == NULL || self->token == NULL)
    {
      find (self);
      return;
    }
  watch_scan (self, scan);
  dsl_link_scan_start (scan);
}

/* --- copy and revoke --- */

static DslLink *
result_link (DslFindLinkDialog *self,
             GVariant          *parameter)
{
  DslLink *link = self->result != NULL ? dsl_link_scan_row_get_link (self->result) : NULL;

  if (link == NULL || g_strcmp0 (dsl_link_get_id (link), g_variant_get_string (parameter, NULL)))
    return NULL;
  return link;
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DslFindLinkDialog *self = DSL_FIND_LINK_DIALOG (widget);
  DslLink *link = result_link (self, parameter);

  if (link == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), dsl_link_get_share_link (link));
  toast (self, _("Link copied"));
}

typedef struct {
  DslFindLinkDialog *self;      /* owned */
  DslLinkScanRow    *row;       /* owned: the result revoked */
} RevokeData;

static void
revoke_data_free (RevokeData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->row);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RevokeData, revoke_data_free)

/* The result's link is off the portal (removed here or by someone else): said under it, and
 * Copy and Revoke are not offered any more. */
static void
show_link_gone (DslFindLinkDialog *self,
                DslLinkScanRow    *row,
                const char        *text)
{
  DslLink *link = dsl_link_scan_row_get_link (row);

  g_hash_table_add (self->revoked, g_strdup (dsl_link_get_id (link)));
  if (self->result != row)
    {
      update_actions (self);
      return;
    }
  gtk_label_set_text (self->revoked_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->revoked_label), TRUE);
  update_actions (self);
}

static void
revoke_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RevokeData) data = user_data;
  DslFindLinkDialog *self = data->self;
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslLink) replacement = NULL;
  g_autoptr(DslLink) current = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  DslItem *item = dsl_link_scan_row_get_item (data->row);
  const DslLinkRemovalWords *words;
  DslLinkRemoval removal;

  removal = dsl_link_ops_remove_finish (client, result, &replacement, &current, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->revoking = FALSE;
  g_clear_object (&self->cancellable);

  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_GONE))
    {
      /* Nothing left to revoke: said plainly, and the sidebar reads the item again. */
      show_link_gone (self, data->row, _("This link was removed by someone else: it is no "
                                         "longer on the portal."));
      g_signal_emit (self, signals[LINK_REVOKED], 0, item);
      return;
    }
  if (error != NULL)
    {
      if (self->result == data->row)
        {
          /* Someone else changed it (an expired link extended): the result shows the link
           * as the portal has it now, and why nothing was removed. */
          if (current != NULL)
            {
              g_autoptr(DslLinkScanRow) row =
                dsl_link_scan_row_new (item, dsl_link_scan_row_get_location (data->row), current,
                                       NULL, NULL);

              show_result (self, row, client);
            }
          show_message (self, error->message);
        }
      update_actions (self);
      return;
    }

  words = dsl_link_ops_removal_words (removal);
  toast (self, words != NULL ? words->done : _("Link revoked"));
  if (removal == DSL_LINK_REMOVAL_REGENERATE && replacement != NULL &&
      dsl_link_get_share_link (replacement) != NULL)
    text = g_strdup_printf (_("This link has been revoked. A new link replaces it: %s"),
                            dsl_link_get_share_link (replacement));
  else if (removal == DSL_LINK_REMOVAL_REMOVE_EXPIRED)
    text = g_strdup (_("This expired link has been removed."));
  else if (removal == DSL_LINK_REMOVAL_INVITATION)
    text = g_strdup (_("This invitation link has been deleted."));
  else
    text = g_strdup (_("This link has been revoked."));
  show_link_gone (self, data->row, text);
  g_signal_emit (self, signals[LINK_REVOKED], 0, item);
}

static void
start_revoke (DslFindLinkDialog *self)
{
  RevokeData *data;

  if (self->result == NULL || self->result_client == NULL || self->revoking)
    return;
  data = g_new0 (RevokeData, 1);
  data->self = g_object_ref (self);
  data->row = g_object_ref (self->result);

  self->revoking = TRUE;
  show_message (self, NULL);
  update_actions (self);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* Core reads the link again and decides the removal from the portal's state. */
  dsl_link_ops_remove_async (self->result_client, dsl_link_scan_row_get_item (data->row),
                             dsl_link_scan_row_get_link (data->row), self->cancellable,
                             revoke_cb, data);
}

static void
on_confirm_response (DslFindLinkDialog *self,
                     const char        *response,
                     AdwMessageDialog  *dialog)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "dsl-link-id");
  DslLink *link = self->result != NULL ? dsl_link_scan_row_get_link (self->result) : NULL;

  /* The result may have changed while the question was open. */
  if (g_strcmp0 (response, "revoke") != 0 || link == NULL ||
      g_strcmp0 (dsl_link_get_id (link), id) != 0)
    return;
  start_revoke (self);
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslFindLinkDialog *self = DSL_FIND_LINK_DIALOG (widget);
  DslLink *link = result_link (self, parameter);
  const DslLinkRemovalWords *words;
  AdwMessageDialog *dialog;

  if (link == NULL || self->revoking)
    return;
  words = dsl_link_ops_removal_words (dsl_link_ops_removal (dsl_link_scan_row_get_item (self->result),
                                                            link, NULL));
  if (words == NULL)
    return;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), words->heading,
                                                       words->body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "revoke", words->verb,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "revoke", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  dsl_message_dialog_name_responses (dialog);
  g_object_set_data_full (G_OBJECT (dialog), "dsl-link-id", g_strdup (dsl_link_get_id (link)),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- Show in Tree --- */


static void
show_item (DslFindLinkDialog *self,
           const char        *path)
{
  g_signal_emit (self, signals[SHOW_ITEM], 0, path);
}

/* The parent folder's pathParts (section first) give the ids from the tree's root down. */
static void
list_parent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PathData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslFolderPage) page = NULL;
  g_autoptr(GString) path = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  DslItem *item = dsl_link_scan_row_get_item (data->row);
  const char *parent_id = dsl_item_get_parent_id (item);

  page = dsl_client_list_folder_finish (DSL_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      data->self->result != data->row)
    return;
  if (page == NULL)
    {
      show_message (data->self, error->message);
      return;
    }

  for (guint i = 0; page->path != NULL && i < page->path->len; i++)
    g_ptr_array_add (ids, (gpointer) dsl_item_get_id (g_ptr_array_index (page->path, i)));
  if (ids->len == 0 || g_strcmp0 (g_ptr_array_index (ids, ids->len - 1), parent_id) != 0)
    g_ptr_array_add (ids, (gpointer) parent_id);

  /* ids[0] is the section itself (Rooms, My documents): the tree's root stands for it. */
  path = g_string_new (tree_root (data->row));
  for (guint i = 1; i < ids->len; i++)
    g_string_append_printf (path, "/%s", (const char *) g_ptr_array_index (ids, i));
  g_string_append_printf (path, "/%s", dsl_item_get_id (item));
  show_item (data->self, path->str);
}

static void
show_in_tree_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DslFindLinkDialog *self = DSL_FIND_LINK_DIALOG (widget);
  DslItem *item;
  PathData *data;

  if (self->result == NULL || self->result_client == NULL || tree_root (self->result) == NULL)
    return;
  item = dsl_link_scan_row_get_item (self->result);
  if (dsl_item_get_kind (item) == DSL_ITEM_KIND_ROOM)
    {
      g_autofree char *path = g_strdup_printf ("@rooms/%s", dsl_item_get_id (item));

      show_item (self, path);
      return;
    }

  data = g_new0 (PathData, 1);
  data->self = g_object_ref (self);
  data->row = g_object_ref (self->result);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  dsl_client_list_folder_async (self->result_client, dsl_item_get_parent_id (item), NULL, 0, 1,
                                self->cancellable, list_parent_cb, data);
}

/* --- the clipboard on opening --- */

static void
read_clipboard_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DslFindLinkDialog) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  g_autofree char *key = NULL;
  DslClient *client;

  if (text == NULL || self->monitor == NULL ||
      *gtk_editable_get_text (GTK_EDITABLE (self->url_entry)) != '\0')
    return;
  key = active_account (self);
  client = key != NULL ? dsl_link_monitor_get_client (self->monitor, key) : NULL;
  if (client == NULL ||
      !dsl_share_url_parse (text, dsl_client_get_base_url (client), NULL, NULL, NULL))
    return;
  g_strstrip (text);
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), text);
  gtk_editable_select_region (GTK_EDITABLE (self->url_entry), 0, -1);
}

static void
dsl_find_link_dialog_map (GtkWidget *widget)
{
  DslFindLinkDialog *self = DSL_FIND_LINK_DIALOG (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);

  GTK_WIDGET_CLASS (dsl_find_link_dialog_parent_class)->map (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->url_entry));
  if (*gtk_editable_get_text (GTK_EDITABLE (self->url_entry)) == '\0' &&
      gdk_content_formats_contain_gtype (gdk_clipboard_get_formats (clipboard), G_TYPE_STRING))
    gdk_clipboard_read_text_async (clipboard, NULL, read_clipboard_cb, g_object_ref (self));
}

/* --- GObject --- */

static void
dsl_find_link_dialog_dispose (GObject *object)
{
  DslFindLinkDialog *self = DSL_FIND_LINK_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  unwatch_scan (self);
  stop_resolve (self);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_FIND_LINK_DIALOG);

  g_clear_object (&self->result);
  g_clear_object (&self->result_client);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (dsl_find_link_dialog_parent_class)->dispose (object);
}

static void
dsl_find_link_dialog_finalize (GObject *object)
{
  DslFindLinkDialog *self = DSL_FIND_LINK_DIALOG (object);

  g_free (self->token);
  g_hash_table_unref (self->revoked);

  G_OBJECT_CLASS (dsl_find_link_dialog_parent_class)->finalize (object);
}

static void
dsl_find_link_dialog_class_init (DslFindLinkDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_find_link_dialog_dispose;
  object_class->finalize = dsl_find_link_dialog_finalize;
  widget_class->map = dsl_find_link_dialog_map;

  /**
   * DslFindLinkDialog::link-revoked:
   * @item: the item whose link was revoked
   *
   * The portal took a revoke sent from the dialog.
   */
  signals[LINK_REVOKED] =
    g_signal_new ("link-revoked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, DSL_TYPE_ITEM);

  /**
   * DslFindLinkDialog::show-item:
   * @path: ids from the tree's root to the item, e.g. "@rooms/101/201/301"
   *
   * "Show in Tree": the window selects the item (dsl_item_tree_restore_selection).
   */
  signals[SHOW_ITEM] =
    g_signal_new ("show-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-find-link-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, url_entry);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, not_found_label);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, item_row);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, access_row);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, audience_row);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, revoked_label);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, notice_label);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, DslFindLinkDialog, revoke_button);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);

  gtk_widget_class_install_action (widget_class, "find-link.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "find-link.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "find-link.rescan", NULL, rescan_action);
  gtk_widget_class_install_action (widget_class, "find-link.show-in-tree", NULL,
                                   show_in_tree_action);
  gtk_widget_class_install_action (widget_class, "links.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "links.revoke", "s", revoke_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dsl_find_link_dialog_init (DslFindLinkDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->revoked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  update_actions (self);
  dsl_frame_stats_attach (GTK_WIDGET (self));   /* benchmarks only: DSL_FRAME_STATS=path */
}

/* --- public --- */

DslFindLinkDialog *
dsl_find_link_dialog_new (GtkWindow  *parent,
                          DslSession *session)
{
  DslFindLinkDialog *self;

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DSL_IS_SESSION (session), NULL);

  self = g_object_new (DSL_TYPE_FIND_LINK_DIALOG,
                       "transient-for", parent,
                       "application", gtk_window_get_application (parent),
                       NULL);
  self->session = g_object_ref (session);
  self->monitor = g_object_ref (dsl_session_get_monitor (session));
  g_signal_connect_object (self->monitor, "client-changed", G_CALLBACK (on_client_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::account", G_CALLBACK (on_client_changed),
                           self, G_CONNECT_SWAPPED);
  return self;
}

void
dsl_find_link_dialog_find (DslFindLinkDialog *self,
                           const char        *url)
{
  g_return_if_fail (DSL_IS_FIND_LINK_DIALOG (self));

  if (url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->url_entry), url);
  find (self);
}

const char *
dsl_find_link_dialog_get_state (DslFindLinkDialog *self)
{
  g_return_val_if_fail (DSL_IS_FIND_LINK_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
dsl_find_link_dialog_get_message (DslFindLinkDialog *self)
{
  g_return_val_if_fail (DSL_IS_FIND_LINK_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_text (self->message_label);
}

DslLinkScanRow *
dsl_find_link_dialog_get_result (DslFindLinkDialog *self)
{
  g_return_val_if_fail (DSL_IS_FIND_LINK_DIALOG (self), NULL);

  return self->result;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-panel.c: the links of the selected item.
 *
 *   DslLinkList (core: load, reload, busy/error per link, remove/change/create through
 *   │            dsl-link-ops, "links-changed")
 *   ├─ items ──────────▶ gtk_list_box_bind_model (list) ──▶ DslLinkRow per link, which
 *   │                    follows the list's busy flag and error of its link
 *   ├─ "invitation" ───▶ GListStore of 0 or 1 ──▶ bound to invitation_list
 *   └─ notify / items ─▶ sync_state (): the stack's page, labels, actions (and the item's
 *                        notify, through a GSignalGroup: its rights)
 *
 *   row actions "links.*" (parameter: link id) ──▶ the list's operation; its answer ──▶ a
 *   toast (the rest, the model shows). Extend asks before overwriting an expiry someone else
 *   changed (DSL_ERROR_LINK_CONFLICT: both values shown, "Extend Anyway"). */
#define G_LOG_DOMAIN "dsl-link-panel"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dsl-error.h"
#include "dsl-link-editor.h"
#include "dsl-link-form.h"
#include "dsl-link-list.h"
#include "dsl-link-monitor.h"
#include "dsl-link-ops.h"
#include "dsl-link-panel.h"
#include "dsl-link-row.h"
#include "dsl-share-url.h"
#include "dsl-ui-util.h"

struct _DslLinkPanel
{
  GtkWidget       parent_instance;

  /* template children */
  GtkWidget      *add_button;
  GtkWidget      *temporary_button;
  GtkWidget      *policy_box;
  GtkLabel       *policy_label;
  GtkStack       *stack;
  GtkSpinner     *loading_spinner;
  AdwStatusPage  *error_page;
  AdwStatusPage  *unavailable_page;
  GtkLabel       *create_error_label;
  GtkListBox     *list;
  GtkWidget      *invitation_group;
  GtkListBox     *invitation_list;
  GtkWidget      *create_invitation_button;
  GtkLabel       *invitation_error_label;

  /* owned */
  DslLinkList    *links;
  GListStore     *invitation;       /* the room's invitation link, or empty */
  DslLinkMonitor *monitor;          /* temporary links: their guard and store; or NULL */
  DslSession     *session;          /* nullable: for the link editor (settings, monitor) */
  GSignalGroup   *item_signals;     /* the item's: its rights change what is offered */
};

G_DEFINE_FINAL_TYPE (DslLinkPanel, dsl_link_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LINKS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
  /* Toasts parse markup; messages from the portal or with a link's name are plain text. */
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), dsl_plain_toast_new (title));
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

static DslItem *
item_of (DslLinkPanel *self)
{
  return dsl_link_list_get_item (self->links);
}

static DslClient *
client_of (DslLinkPanel *self)
{
  return dsl_link_list_get_client (self->links);
}

static const char *
portal_url (DslLinkPanel *self)
{
  return client_of (self) != NULL ? dsl_client_get_base_url (client_of (self)) : NULL;
}

static DslLink *
find_link (DslLinkPanel *self,
           GVariant     *parameter)
{
  if (parameter == NULL || !g_variant_is_of_type (parameter, G_VARIANT_TYPE_STRING))
    return NULL;
  return dsl_link_list_find (self->links, g_variant_get_string (parameter, NULL));
}

static gboolean
is_the_invitation (DslLinkPanel *self,
                   DslLink      *link)
{
  return link != NULL && link == dsl_link_list_get_invitation (self->links);
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
  return item_of (self) != NULL ? dsl_link_form_explain_no_links (item_of (self)) : NULL;
}

/* The key of the panel's account in the monitor, or NULL. */
static const char *
account_key (DslLinkPanel *self)
{
  if (self->monitor == NULL || client_of (self) == NULL)
    return NULL;
  return dsl_link_monitor_find_account (self->monitor, client_of (self));
}

static DslLinkGuard *
current_guard (DslLinkPanel *self)
{
  const char *key = account_key (self);

  return key != NULL ? dsl_link_monitor_get_guard (self->monitor, key) : NULL;
}

/* --- showing the model --- */

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  DslLinkPanel *self = user_data;
  DslLink *link = item;
  GtkWidget *row = dsl_link_row_new (item_of (self), link);
  const char *key = account_key (self);
  const char *id = dsl_link_get_id (link);

  if (key != NULL && id != NULL)
    dsl_link_row_set_guarded (DSL_LINK_ROW (row),
                              dsl_guard_store_lookup (dsl_link_monitor_get_store (self->monitor),
                                                      key, id));
  dsl_link_row_set_portal_url (DSL_LINK_ROW (row), portal_url (self));
  dsl_link_row_follow (DSL_LINK_ROW (row), self->links);
  return row;
}

static void
on_invitation_changed (DslLinkPanel *self)
{
  DslLink *link = dsl_link_list_get_invitation (self->links);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->invitation));

  g_list_store_splice (self->invitation, 0, n, (gpointer *) &link, link != NULL ? 1 : 0);
}

/* The page, the labels and every action's state, from the model. */
/* FolderType (docspace-api.md §5) of the sections a sharing policy names. */
#define FOLDER_TYPE_USER 5

/* Above the links: what the portal's sharing policy does to this item's public links (issue
 * 17), or nothing. The words are the app's own; the policy is the session's. */
static void
sync_policy (DslLinkPanel *self)
{
  const DslSharingPolicy *policy = self->session != NULL
                                   ? dsl_session_get_sharing_policy (self->session) : NULL;
  DslItem *item = item_of (self);
  int root = item != NULL ? dsl_item_get_root_folder_type (item) : 0;
  const char *text = NULL;

  if (policy != NULL && item != NULL && client_of (self) != NULL &&
      dsl_sharing_policy_restricts_creation (policy, root))
    {
      gboolean documents = root == FOLDER_TYPE_USER;

      if (dsl_sharing_policy_blocks_existing (policy, root))
        text = documents
               ? _("An administrator turned off public links for documents on this portal: "
                   "existing public links do not open, and new links are for portal users only.")
               : _("An administrator turned off public links for rooms on this portal: "
                   "existing public links do not open, and new links are for portal users only.");
      else
        text = documents
               ? _("An administrator turned off public links for documents on this portal: new "
                   "links are for portal users only. Existing public links still open.")
               : _("An administrator turned off public links for rooms on this portal: new "
                   "links are for portal users only. Existing public links still open.");
    }
  gtk_label_set_text (self->policy_label, text != NULL ? text : "");
  gtk_widget_set_visible (self->policy_box, text != NULL);
}

/* What the panel shows of its policy notice (NULL when none); for tests. */
const char *
dsl_link_panel_get_policy_notice (DslLinkPanel *self)
{
  g_return_val_if_fail (DSL_IS_LINK_PANEL (self), NULL);

  return gtk_widget_get_visible (self->policy_box) ? gtk_label_get_text (self->policy_label)
                                                   : NULL;
}

static void
sync_state (DslLinkPanel *self)
{
  static const char * const copies[] = { "links.copy", "links.copy-password",
                                         "links.copy-message", "links.copy-rich", "links.open" };
  static const char * const changes[] = { "links.revoke", "links.edit", "links.extend" };
  GtkWidget *widget = GTK_WIDGET (self);
  DslItem *item = item_of (self);
  gboolean ready = client_of (self) != NULL && item != NULL;
  const char *explain = explain_no_links (self);
  gboolean can_links = ready && explain == NULL;
  gboolean loaded = dsl_link_list_get_loaded (self->links);
  gboolean listed = can_links && loaded;
  int left = listed ? dsl_link_list_get_links_left (self->links) : -1;
  gboolean can_add = listed && left != 0;
  gboolean wants_invitation = ready && dsl_link_list_get_wants_invitation (self->links);
  /* a room without external links whose invitation link was read */
  gboolean invitation_only = ready && !can_links && wants_invitation && loaded;
  gboolean has_invitation = dsl_link_list_get_invitation (self->links) != NULL;
  const char *no_temporary = item != NULL ? dsl_link_form_explain_no_temporary (item) : NULL;
  gboolean can_temporary = can_add && no_temporary == NULL && current_guard (self) != NULL;
  const char *error = dsl_link_list_get_error (self->links);
  g_autofree char *limit = listed && left == 0 ? dsl_link_form_describe_limit (item) : NULL;

  sync_policy (self);
  if (!ready)
    show_page (self, "none");
  else if (explain != NULL)
    {
      dsl_status_page_set_plain_description (self->unavailable_page, explain);
      show_page (self, "unavailable");
    }
  else if (error != NULL)
    {
      /* the server's or the network's message: plain text, never a link */
      dsl_status_page_set_plain_description (self->error_page, error);
      show_page (self, "error");
    }
  else if (!loaded)
    show_page (self, "loading");
  else
    show_page (self, g_list_model_get_n_items (G_LIST_MODEL (self->links)) > 0 ? "list"
                                                                                  : "empty");

  gtk_widget_set_visible (self->invitation_group, wants_invitation && loaded);
  gtk_widget_set_visible (GTK_WIDGET (self->invitation_list), has_invitation);
  gtk_widget_set_visible (self->create_invitation_button, !has_invitation && wants_invitation);
  set_label_message (self->create_error_label, dsl_link_list_get_create_error (self->links));
  set_label_message (self->invitation_error_label,
                     dsl_link_list_get_invitation_error (self->links));

  gtk_widget_action_set_enabled (widget, "links.add", can_add);
  gtk_widget_action_set_enabled (widget, "links.share-temporarily", can_temporary);
  gtk_widget_set_visible (self->temporary_button, can_links && current_guard (self) != NULL);
  if (can_temporary)
    gtk_widget_set_tooltip_text (self->temporary_button,
                                 _("Share Temporarily: a view-only link that expires, "
                                   "optionally after a number of downloads"));
  else if (no_temporary != NULL || limit != NULL)
    gtk_widget_set_tooltip_text (self->temporary_button, no_temporary != NULL ? no_temporary
                                                                               : limit);
  gtk_widget_action_set_enabled (widget, "links.create-primary",
                                 can_links && !dsl_link_list_get_creating (self->links, FALSE));
  gtk_widget_action_set_enabled (widget, "links.retry", ready);
  for (guint i = 0; i < G_N_ELEMENTS (copies); i++)
    gtk_widget_action_set_enabled (widget, copies[i], ready);
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    gtk_widget_action_set_enabled (widget, changes[i], can_links || invitation_only);
  gtk_widget_action_set_enabled (widget, "links.create-invitation",
                                 wants_invitation && (listed || invitation_only) &&
                                 !has_invitation &&
                                 !dsl_link_list_get_creating (self->links, TRUE));

  gtk_widget_set_visible (self->add_button, can_links);
  gtk_widget_set_tooltip_text (self->add_button, limit != NULL ? limit : _("Add Link"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  limit != NULL ? limit
                                                : _("Create another link with its own settings"),
                                  -1);
}

static void
on_list_notify (DslLinkPanel *self,
                GParamSpec   *pspec)
{
  if (g_strcmp0 (pspec->name, "invitation") == 0)
    on_invitation_changed (self);
  sync_state (self);
  if (g_strcmp0 (pspec->name, "loading") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
on_item_notify (DslLinkPanel *self,
                GParamSpec   *pspec)
{
  /* its rights; not the badge of expired links, which the list sets */
  if (g_strcmp0 (pspec->name, "has-expired-links") != 0)
    sync_state (self);
}

static void
on_links_changed (DslLinkPanel *self)
{
  g_signal_emit (self, signals[LINKS_CHANGED], 0);
}

/* --- what the operations answered --- */

/* A failure the model does not show on a row: said in a toast. */
static void
toast_failure (DslLinkPanel *self,
               const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    toast (self, _("The portal did not answer in time. The links were read again."));
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_GONE))
    toast (self, error->message);
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DslLinkPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  DslLinkRemoval removal;

  removal = dsl_link_list_remove_finish (DSL_LINK_LIST (object), result, NULL, &error);
  if (error != NULL)
    toast_failure (self, error);
  else
    toast (self, dsl_link_ops_removal_words (removal)->done);
}

static void run_change (DslLinkPanel  *self,
                        DslLinkChange *change);

static void
on_conflict_response (AdwMessageDialog *dialog,
                      const char       *response,
                      DslLinkPanel     *self)
{
  DslLinkChange *change = g_object_get_data (G_OBJECT (dialog), "dsl-change");

  if (g_strcmp0 (response, "extend") != 0)
    return;
  /* What the person has seen now is the server's state: the next attempt overwrites it
   * (unless it changed yet again, which asks again). */
  dsl_link_change_accept_current (change, g_object_get_data (G_OBJECT (dialog), "dsl-current"));
  run_change (self, change);
}

/* Someone else changed the expiry since the person saw it: ask, showing both values. */
static void
ask_conflict (DslLinkPanel  *self,
              DslLinkChange *change,
              DslLink       *current,
              const char    *message)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent_window (self),
                                                       _("Link Changed by Someone Else"),
                                                       NULL));
  adw_message_dialog_set_body (dialog, message);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"),
                                    "extend", _("_Extend Anyway"), NULL);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  dsl_message_dialog_name_responses (dialog);
  g_object_set_data_full (G_OBJECT (dialog), "dsl-change", dsl_link_change_copy (change),
                          (GDestroyNotify) dsl_link_change_free);
  g_object_set_data_full (G_OBJECT (dialog), "dsl-current", g_object_ref (current),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_conflict_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
change_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DslLinkPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLinkChange) change = NULL;
  g_autoptr(DslLink) current = NULL;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;

  stored = dsl_link_list_change_finish (DSL_LINK_LIST (object), result, &change, &current,
                                        &error);
  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_CONFLICT) && current != NULL)
    ask_conflict (self, change, current, error->message);
  else if (error != NULL)
    toast_failure (self, error);
  else if (dsl_link_get_expiration_date (stored) != NULL)
    {
      local = g_date_time_to_local (dsl_link_get_expiration_date (stored));
      /* Translators: a date in a toast, e.g. "30 November, 16:05"; see g_date_time_format */
      date = g_date_time_format (local, _("%-d %B, %H:%M"));
      /* Translators: %s is a date, e.g. "30 November, 16:05" */
      title = g_strdup_printf (_("Link extended to %s"), date);
      toast (self, title);
    }
}

static void
run_change (DslLinkPanel  *self,
            DslLinkChange *change)
{
  dsl_link_list_change_async (self->links, change, change_cb, g_object_ref (self));
}

/* Create and Copy, Create Invitation Link. */
static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DslLinkPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = dsl_link_list_create_finish (DSL_LINK_LIST (object), result, &error);

  if (link == NULL)
    toast_failure (self, error);
  else if (dsl_link_get_subject_type (link) == DSL_SUBJECT_TYPE_INVITATION_LINK)
    toast (self, _("Invitation link created"));
  else if (dsl_link_get_share_link (link) != NULL)
    {
      copy_text (self, dsl_link_get_share_link (link));
      toast (self, _("Link created and copied"));
    }
}

/* --- actions --- */

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

static gboolean
clear_password_cb (gpointer user_data)
{
  GdkContentProvider *content = user_data;
  GdkClipboard *clipboard = g_object_get_data (G_OBJECT (content), "dsl-clipboard");

  if (gdk_clipboard_get_content (clipboard) == content)
    gdk_clipboard_set_content (clipboard, NULL);
  return G_SOURCE_REMOVE;
}

static void
copy_password_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, parameter);
  const char *password = link != NULL ? dsl_link_get_password (link) : NULL;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  g_autoptr(GdkContentProvider) content = NULL;
  guint id;

  if (password == NULL || *password == '\0')
    return;
  /* marked "secret" for clipboard managers (x-kde-passwordManagerHint): they do not keep it */
  content = dsl_secret_content_new (password);
  gdk_clipboard_set_content (clipboard, content);
  /* The clipboard belongs to the display: the password is cleared also when this panel (or
   * its window) is gone by then and the application still runs. */
  g_object_set_data_full (G_OBJECT (content), "dsl-clipboard", g_object_ref (clipboard),
                          g_object_unref);
  id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, password_clear_seconds (),
                                   clear_password_cb, g_object_ref (content), g_object_unref);
  g_source_set_name_by_id (id, "[dsl] clear copied password");
  toast (self, _("Password copied. It is cleared from the clipboard in a minute."));
}

/* Copy, Copy as Message, Copy as Rich Link (text/html: an anchor with the item's title, for
 * mail and chat; the address as text/plain for everything else), Open in Browser. */
static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, parameter);
  const char *url = link != NULL ? dsl_link_get_share_link (link) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *text = NULL;
  g_autoptr(GBytes) html = NULL;
  g_autoptr(GdkContentProvider) content = NULL;
  GdkContentProvider *providers[2];

  if (url == NULL)
    return;
  if (g_str_equal (action_name, "links.open"))
    {
      const char *why = NULL;

      /* The portal's address for it: only its own https origin is opened (issue 14). */
      if (dsl_ui_may_open_url (url, portal_url (self), &why))
        gtk_show_uri (parent_window (self), url, GDK_CURRENT_TIME);
      else
        toast (self, why);
    }
  else if (g_str_equal (action_name, "links.copy-message"))
    {
      text = dsl_link_format_message (item_of (self), link, now);
      copy_text (self, text);
      toast (self, _("Message copied"));
    }
  else if (g_str_equal (action_name, "links.copy-rich") &&
           /* a web address (https, or http on loopback; no user info or odd characters) on
            * any host: the anchor says no more than the text, but never file: or javascript:.
            * Copying is not opening: another host the portal uses for its links is fine. */
           dsl_share_url_may_open (url, url, NULL))
    {
      text = dsl_link_format_html (item_of (self), link);
      html = g_bytes_new (text, strlen (text));
      providers[0] = gdk_content_provider_new_for_bytes ("text/html", html);
      providers[1] = gdk_content_provider_new_typed (G_TYPE_STRING, url);
      content = gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
      gdk_clipboard_set_content (gtk_widget_get_clipboard (widget), content);
      toast (self, _("Link copied with its title"));
    }
  else
    {
      /* Also Copy as Rich Link of an address that is not a web address: no clickable anchor
       * for mail and chat, the text only. */
      copy_text (self, url);
      toast (self, _("Link copied"));
    }
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     DslLinkPanel     *self)
{
  if (g_strcmp0 (response, "revoke") == 0)
    dsl_link_list_remove_async (self->links, g_object_get_data (G_OBJECT (dialog), "dsl-link-id"),
                                remove_cb, g_object_ref (self));
}

/* Revoke, regenerate, remove an expired link, delete the invitation: always confirmed first,
 * in the words of the removal core says applies. */
static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, parameter);
  AdwMessageDialog *dialog;

  if (link == NULL || dsl_link_list_get_busy (self->links, dsl_link_get_id (link)))
    return;
  dialog = dsl_link_row_new_removal_dialog (parent_window (self),
                                            dsl_link_ops_removal (item_of (self), link, NULL));
  if (dialog == NULL)
    return;
  g_object_set_data_full (G_OBJECT (dialog), "dsl-link-id", g_strdup (dsl_link_get_id (link)),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* "Extend": seven days after the server's current expiry, or after now when it has passed. */
static void
extend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, parameter);
  g_autoptr(DslLinkChange) change = NULL;

  if (link == NULL || is_the_invitation (self, link))
    return;
  change = dsl_link_change_new (link);
  dsl_link_change_extend (change);
  run_change (self, change);
}

static void
on_editor_saved (DslLinkEditor *editor,
                 DslLink       *stored,
                 gboolean       created,
                 DslLinkPanel  *self)
{
  gboolean temporary = created && dsl_link_editor_is_temporary (editor);

  /* Share Temporarily is "Create and Copy": the link is copied even when another item was
   * selected meanwhile. */
  if (temporary && dsl_link_get_share_link (stored) != NULL)
    copy_text (self, dsl_link_get_share_link (stored));
  g_object_set_data (G_OBJECT (editor), "dsl-saved", GINT_TO_POINTER (TRUE));
  if (g_object_get_data (G_OBJECT (editor), "dsl-item") != item_of (self))
    return;
  if (temporary)
    toast (self, _("Temporary link created and copied"));
  else
    toast (self, created ? _("Link created") : _("Link saved"));
  dsl_link_list_changed_elsewhere (self->links);
}

/* Closed without a save: a request may still have reached the portal (the editor reports a
 * timeout and never sends twice), so the list is read again. */
static void
on_editor_destroy (DslLinkEditor *editor,
                   DslLinkPanel  *self)
{
  if (g_object_get_data (G_OBJECT (editor), "dsl-saved") == NULL &&
      g_object_get_data (G_OBJECT (editor), "dsl-item") == item_of (self))
    dsl_link_list_reload (self->links);
}

static void
show_editor (DslLinkPanel  *self,
             DslLinkEditor *editor)
{
  g_object_set_data_full (G_OBJECT (editor), "dsl-item", g_object_ref (item_of (self)),
                          g_object_unref);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved), self, 0);
  g_signal_connect_object (editor, "destroy", G_CALLBACK (on_editor_destroy), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
share_temporarily_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLinkGuard *guard = current_guard (self);

  if (guard == NULL || item_of (self) == NULL ||
      dsl_link_form_explain_no_temporary (item_of (self)) != NULL ||
      dsl_link_list_get_links_left (self->links) == 0)
    return;
  show_editor (self, dsl_link_editor_new_temporary (parent_window (self), self->session,
                                                    client_of (self), item_of (self), guard,
                                                    account_key (self)));
}

/* "links.edit" (a link id), "links.add" (none). */
static void
editor_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);
  DslLink *link = find_link (self, parameter);

  if (parameter != NULL ? link == NULL || is_the_invitation (self, link) ||
                          !dsl_item_get_can_share (item_of (self))
                        : dsl_link_list_get_links_left (self->links) == 0)
    return;
  show_editor (self, dsl_link_editor_new (parent_window (self), self->session, client_of (self),
                                          item_of (self), link));
}

/* "links.create-primary" (Create and Copy), "links.create-invitation". */
static void
create_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslLinkPanel *self = DSL_LINK_PANEL (widget);

  if (g_str_equal (action_name, "links.create-invitation"))
    dsl_link_list_create_invitation_async (self->links, create_cb, g_object_ref (self));
  else
    dsl_link_list_create_primary_async (self->links, create_cb, g_object_ref (self));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  dsl_link_list_reload (DSL_LINK_PANEL (widget)->links);
}

/* --- the item, the monitor --- */

/* A check revoked (or lost) a link of the item shown: read the list again. Downloads
 * counted show on their rows by themselves. */
static void
on_guard_checked (DslLinkPanel *self,
                  const char   *key,
                  GPtrArray    *results,
                  const GError *error)
{
  DslItem *item = item_of (self);

  if (item == NULL || g_strcmp0 (key, account_key (self)) != 0)
    return;
  for (guint i = 0; i < results->len; i++)
    {
      DslGuardResult *r = g_ptr_array_index (results, i);

      if (r->outcome != DSL_GUARD_OUTCOME_ACTIVE && r->outcome != DSL_GUARD_OUTCOME_FAILED &&
          g_strcmp0 (dsl_guarded_link_get_item_id (r->link), dsl_item_get_id (item)) == 0 &&
          dsl_guarded_link_get_item_kind (r->link) == dsl_item_get_kind (item))
        {
          dsl_link_list_reload (self->links);
          return;
        }
    }
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
  return client_of (self);
}

void
dsl_link_panel_set_client (DslLinkPanel *self,
                           DslClient    *client)
{
  g_return_if_fail (DSL_IS_LINK_PANEL (self));
  g_return_if_fail (client == NULL || DSL_IS_CLIENT (client));

  if (client_of (self) == client)
    return;
  dsl_link_list_set_client (self->links, client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
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
      /* The client changed in the monitor (signed in, or out): the button follows. */
      g_signal_connect_swapped (monitor, "client-changed", G_CALLBACK (sync_state), self);
    }
  sync_state (self);
}

void
dsl_link_panel_set_session (DslLinkPanel *self,
                            DslSession   *session)
{
  g_return_if_fail (DSL_IS_LINK_PANEL (self));
  g_return_if_fail (session == NULL || DSL_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_swapped (session, "notify::sharing-policy", G_CALLBACK (sync_policy), self);
  dsl_link_panel_set_monitor (self, session != NULL ? dsl_session_get_monitor (session) : NULL);
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
  return item_of (self);
}

void
dsl_link_panel_set_item (DslLinkPanel *self,
                         DslItem      *item)
{
  g_return_if_fail (DSL_IS_LINK_PANEL (self));
  g_return_if_fail (item == NULL || DSL_IS_ITEM (item));

  dsl_link_list_set_item (self->links, item);
}

gboolean
dsl_link_panel_get_loading (DslLinkPanel *self)
{
  g_return_val_if_fail (DSL_IS_LINK_PANEL (self), FALSE);
  return dsl_link_list_get_loading (self->links);
}

void
dsl_link_panel_reload (DslLinkPanel *self)
{
  g_return_if_fail (DSL_IS_LINK_PANEL (self));
  dsl_link_list_reload (self->links);
}

gboolean
dsl_link_panel_copy_primary (DslLinkPanel *self)
{
  DslLink *primary;
  const char *explain;

  g_return_val_if_fail (DSL_IS_LINK_PANEL (self), FALSE);

  if (item_of (self) == NULL)
    return FALSE;
  primary = dsl_link_list_get_primary (self->links);
  if (primary != NULL)
    {
      copy_text (self, dsl_link_get_share_link (primary));
      toast (self, _("Link copied"));
      return TRUE;
    }
  explain = explain_no_links (self);
  if (explain != NULL)
    toast (self, explain);
  else if (!dsl_link_list_get_loaded (self->links))
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

  if (self->links != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->links, self);
      /* Everything in flight is cancelled; its answers are for nobody now. */
      g_object_run_dispose (G_OBJECT (self->links));
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_LINK_PANEL);
  /* The template's root box has no id, so dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_object (&self->links);
  g_clear_object (&self->invitation);
  g_clear_object (&self->item_signals);

  G_OBJECT_CLASS (dsl_link_panel_parent_class)->dispose (object);
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
    case PROP_LOADING:
      g_value_set_boolean (value, dsl_link_panel_get_loading (self));
      break;
    case PROP_CLIENT:
      g_value_set_object (value, client_of (self));
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
  object_class->get_property = dsl_link_panel_get_property;
  object_class->set_property = dsl_link_panel_set_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DslLinkPanel:client:
   *
   * The account's client (the window binds it to its session's), or NULL.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DSL_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, policy_box);
  gtk_widget_class_bind_template_child (widget_class, DslLinkPanel, policy_label);
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
  gtk_widget_class_install_action (widget_class, "links.open", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "links.copy-message", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "links.copy-rich", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "links.revoke", "s", revoke_action);
  gtk_widget_class_install_action (widget_class, "links.edit", "s", editor_action);
  gtk_widget_class_install_action (widget_class, "links.extend", "s", extend_action);
  gtk_widget_class_install_action (widget_class, "links.add", NULL, editor_action);
  gtk_widget_class_install_action (widget_class, "links.share-temporarily", NULL,
                                   share_temporarily_action);
  gtk_widget_class_install_action (widget_class, "links.create-primary", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "links.create-invitation", NULL, create_action);
  gtk_widget_class_install_action (widget_class, "links.retry", NULL, retry_action);

  gtk_widget_class_set_css_name (widget_class, "dsl-link-panel");
}

static void
dsl_link_panel_init (DslLinkPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->links = dsl_link_list_new (NULL, NULL);
  self->invitation = g_list_store_new (DSL_TYPE_LINK);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->links), create_row, self, NULL);
  gtk_list_box_bind_model (self->invitation_list, G_LIST_MODEL (self->invitation), create_row,
                           self, NULL);
  g_signal_connect_swapped (self->links, "notify", G_CALLBACK (on_list_notify), self);
  g_signal_connect_swapped (self->links, "items-changed", G_CALLBACK (sync_state), self);
  self->item_signals = g_signal_group_new (DSL_TYPE_ITEM);
  g_signal_group_connect_swapped (self->item_signals, "notify", G_CALLBACK (on_item_notify),
                                  self);
  g_object_bind_property (self->links, "item", self->item_signals, "target",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->links, "links-changed", G_CALLBACK (on_links_changed), self);
  sync_state (self);
}

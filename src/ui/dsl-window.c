/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-window.c: the main window and the accounts.
 *
 *   stack "sign-in": DslSignInPage ──"signed-in" (client, user, secret)──┐
 *      ▲        ▲                                                         ▼
 *      │        │ secret missing / rejected          store the secret (libsecret; in memory for
 *      │        │                                    the session when there is no keyring),
 *      │        │                                    add the account (GSettings), set it last
 *      │   stack "main": DslItemTree connecting ──secret looked up──▶ the tree (DslItemTree with
 *      │        ▲   (start, Add Account cancelled,                      the account's DslClient)
 *      │        │    switching from the account menu)                    │
 *      │        └────────────────────────────────────────────────────────┤ DslClient "unauthorized"
 *      └── Sign Out (logout for tokens, delete the secret) / 401 ────────┘ (selection remembered,
 *                                                                           restored after)
 *
 * Sidebar: DslItemDetails (bound to the tree's "selected-item") holds the DslLinkPanel, which
 * gets the account's client with the tree. Ctrl+C with the focus in the tree's list copies the
 * selected item's primary link (win.copy-link); anywhere else Ctrl+C stays the focused
 * widget's (entries, selectable labels).
 *
 * Narrow (DslFoldPaned "folded", below 600 px): only the tree shows; a click on a row's title,
 * Enter or a double click ("item-activated") shows the sidebar alone, with a back button in the
 * header (win.back: Alt+Left, Escape) that returns to the tree, its selection kept.
 *
 * Start: the last account shows the main view at once with its stored display name and the
 * tree's loading page; the secret is read asynchronously (`cancellable`), then the tree gets a
 * client. The sign-in page is made only when it is first shown: a start with a remembered
 * account never builds it. Nothing here logs a
 * secret; the window keeps one only in `session_secrets` when no keyring can hold it. */

#define G_LOG_DOMAIN "dsl-window"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dsl-account.h"
#include "dsl-checkup-window.h"
#include "dsl-link-monitor.h"
#include "dsl-client.h"
#include "dsl-find-link-dialog.h"
#include "dsl-fold-paned.h"
#include "dsl-item-details.h"
#include "dsl-item-tree.h"
#include "dsl-link-panel.h"
#include "dsl-sign-in-page.h"
#include "dsl-ui-util.h"
#include "dsl-window.h"

struct _DslWindow
{
  AdwApplicationWindow parent_instance;

  /* template children */
  AdwWindowTitle   *window_title;
  GtkButton        *pane_back_button;
  GtkButton        *refresh_button;
  GtkButton        *search_button;
  GtkButton        *narrow_search_button;
  GtkMenuButton    *main_menu_button;
  GtkMenuButton    *account_button;
  AdwToastOverlay  *toast_overlay;
  GtkStack         *stack;
  AdwBin           *sign_in_bin;
  DslFoldPaned     *fold;
  GtkPaned         *paned;
  AdwBin           *tree_bin;
  AdwBin           *details_bin;

  /* owned */
  GSettings        *settings;         /* NULL when the schema is not installed */
  DslLinkMonitor   *monitor;          /* the application's (or, without one, the window's own) */
  gboolean          check_requested;  /* win.check-now: say how the next check went */
  DslAccountStore  *store;            /* NULL without settings */
  GMenu            *account_menu;
  GCancellable     *cancellable;      /* the secret lookup in flight; NULL when idle */
  DslAccount       *account;          /* the account shown (or being signed in again); or NULL */
  DslClient        *client;           /* the account's client once it has its secret; or NULL */
  GHashTable       *session_secrets;  /* account key -> secret, only when no keyring took it */
  char             *restore_path;     /* selection to restore after signing in again */
  char             *restore_key;      /* ... for this account key */
  char             *initial_portal;   /* from --portal */

  /* borrowed (children of sign_in_bin / tree_bin / details_bin); sign_in_page NULL until needed */
  DslSignInPage    *sign_in_page;
  GtkWidget        *tree;
  GtkWindow        *shortcuts_window;   /* made on first Ctrl+?, hidden on close */
  DslFindLinkDialog *find_link_dialog;  /* weak: open while Find Link is shown */
  GdkFrameClock    *first_frame_clock;  /* until the sidebar is made (see ensure_details) */
  GtkWidget        *details;

  /* plain values */
  gulong            unauthorized_id;
  gulong            first_frame_handler;
  guint             unauthorized_idle_id;
  guint             header_idle_id;   /* update_header_buttons () after a fold */
  gboolean          session_token;    /* the client uses a session token, not an API key */
  gboolean          no_keyring;       /* a secret could not be stored: say so in the menu */
};

G_DEFINE_FINAL_TYPE (DslWindow, dsl_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PORTAL,
  PROP_ACTIVE_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void dsl_window_activate_account (DslWindow  *self,
                                         DslAccount *account);

/* --- The tree and the details --- */

static void     update_actions (DslWindow *self);
static gboolean on_main_page   (DslWindow *self);

/* The sidebar (DslItemDetails with its DslLinkPanel) is made once the window's first frame is
 * painted, or earlier when something needs it: the first frame shows sooner without it, and
 * nothing can be selected before the tree has rows anyway. */
static void
drop_first_frame_hook (DslWindow *self)
{
  /* A clock disposed with its surface has dropped its handlers already. */
  if (self->first_frame_clock != NULL &&
      g_signal_handler_is_connected (self->first_frame_clock, self->first_frame_handler))
    g_signal_handler_disconnect (self->first_frame_clock, self->first_frame_handler);
  self->first_frame_handler = 0;
  g_clear_object (&self->first_frame_clock);
}

/* The details' DslActivityList (self->details must exist). */
static DslActivityList *
activity_list (DslWindow *self)
{
  return dsl_item_details_get_activity_list (DSL_ITEM_DETAILS (self->details));
}

static void
ensure_details (DslWindow *self)
{
  if (self->details != NULL)
    return;

  drop_first_frame_hook (self);

  self->details = dsl_item_details_new ();
  g_object_bind_property (self->tree, "selected-item", self->details, "item",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->tree, "selected-location", self->details, "location",
                          G_BINDING_SYNC_CREATE);
  adw_bin_set_child (self->details_bin, self->details);
  dsl_link_panel_set_client (dsl_item_details_get_link_panel (DSL_ITEM_DETAILS (self->details)),
                             self->client);
  dsl_link_panel_set_monitor (dsl_item_details_get_link_panel (DSL_ITEM_DETAILS (self->details)),
                              dsl_window_get_monitor (self));
  dsl_activity_list_set_client (activity_list (self), self->client);
  dsl_activity_list_set_monitor (activity_list (self), dsl_window_get_monitor (self));
}

static DslLinkPanel *
link_panel (DslWindow *self)
{
  ensure_details (self);
  return dsl_item_details_get_link_panel (DSL_ITEM_DETAILS (self->details));
}

static void
on_first_frame (GdkFrameClock *clock,
                DslWindow     *self)
{
  ensure_details (self);
}

static void
on_window_map (DslWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->details != NULL || self->first_frame_handler != 0 || clock == NULL)
    return;
  self->first_frame_clock = g_object_ref (clock);
  self->first_frame_handler = g_signal_connect (clock, "after-paint",
                                                G_CALLBACK (on_first_frame), self);
}

/* --- Narrow windows: one pane at a time --- */

static gboolean
showing_details_only (DslWindow *self)
{
  return dsl_fold_paned_get_folded (self->fold) && dsl_fold_paned_get_show_end_child (self->fold);
}

/* Refresh, Search and Link Checkup sit in squeezers (see dsl-window.ui): in a narrow header
 * they go without the window being told, so the header never holds the window wide. Folded,
 * the start of the header has one button: Back with the sidebar alone, else Search. */
static void
update_header_buttons (DslWindow *self)
{
  gboolean main_page = on_main_page (self);
  gboolean folded = dsl_fold_paned_get_folded (self->fold);
  gboolean details_only = showing_details_only (self);

  g_clear_handle_id (&self->header_idle_id, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->pane_back_button), main_page && details_only);
  gtk_widget_set_visible (GTK_WIDGET (self->narrow_search_button),
                          main_page && folded && !details_only);
  gtk_widget_set_visible (GTK_WIDGET (self->refresh_button), main_page && !folded);
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), main_page && !folded);
}

static gboolean
update_header_idle (gpointer user_data)
{
  DslWindow *self = DSL_WINDOW (user_data);

  self->header_idle_id = 0;
  update_header_buttons (self);
  return G_SOURCE_REMOVE;
}

/* DslFoldPaned (un)folds while the window is being laid out, after the header got its size:
 * the header changes after this frame (a resize queued now would leave it unallocated). */
static void
update_fold (DslWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back",
                                 on_main_page (self) && showing_details_only (self));
  if (self->header_idle_id == 0)
    self->header_idle_id = g_idle_add (update_header_idle, self);
}

static void
show_details_pane (DslWindow *self)
{
  if (!dsl_fold_paned_get_folded (self->fold) || dsl_fold_paned_get_show_end_child (self->fold))
    return;
  ensure_details (self);
  dsl_fold_paned_set_show_end_child (self->fold, TRUE);
  update_header_buttons (self);
  /* The focus was in the tree, hidden now: into the sidebar, so keys keep working. */
  gtk_widget_child_focus (GTK_WIDGET (self->details_bin), GTK_DIR_TAB_FORWARD);
}

static void
show_tree_pane (DslWindow *self)
{
  if (!dsl_fold_paned_get_show_end_child (self->fold))
    return;
  dsl_fold_paned_set_show_end_child (self->fold, FALSE);
  update_header_buttons (self);
  /* The focus was in the sidebar, hidden now: back to the selected row. */
  if (dsl_fold_paned_get_folded (self->fold))
    dsl_item_tree_focus_selected (DSL_ITEM_TREE (self->tree));
}

static void
on_item_activated (DslWindow *self,
                   DslItem   *item)
{
  show_details_pane (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  show_tree_pane (DSL_WINDOW (widget));
}

static void
create_tree (DslWindow *self)
{
  self->tree = dsl_item_tree_new ();
  adw_bin_set_child (self->tree_bin, self->tree);
  g_signal_connect_object (self->tree, "notify::selected-item",
                           G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tree, "item-activated",
                           G_CALLBACK (on_item_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (on_window_map), NULL);
}

/* --- Small helpers --- */

static char *
account_key (DslAccount *account)
{
  return g_strdup_printf ("%s %s", dsl_account_get_user_id (account),
                          dsl_account_get_portal (account));
}

/* "https://docspace.example.com" -> "docspace.example.com"; a port stays. */
static const char *
portal_host (const char *portal)
{
  const char *sep = strstr (portal, "://");

  return sep != NULL ? sep + 3 : portal;
}

static void
wipe_secret (gpointer secret)
{
  memset (secret, 0, strlen (secret));
  g_free (secret);
}

/* `title` is plain text: toasts take markup in libadwaita 1.2, and titles hold error messages
 * from the network or the system, item titles and portal names. */
static AdwToast *
plain_toast (const char *title)
{
  return dsl_plain_toast_new (title);
}

static void
add_toast (DslWindow  *self,
           const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, plain_toast (title));
}

static gboolean
on_main_page (DslWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") == 0;
}

/* --- Header, menu and actions --- */

static void
update_header (DslWindow *self)
{
  if (self->account != NULL && on_main_page (self))
    {
      const char *name = dsl_account_get_display_name (self->account);
      const char *host = portal_host (dsl_account_get_portal (self->account));
      /* Translators: the account button's tooltip: a name, then a portal address */
      g_autofree char *tooltip = g_strdup_printf (_("%s on %s"), name, host);

      adw_window_title_set_title (self->window_title, name);
      adw_window_title_set_subtitle (self->window_title, host);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), tooltip);
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("DocSpace Links"));
      adw_window_title_set_subtitle (self->window_title, NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), _("Account"));
    }
}

static void
update_actions (DslWindow *self)
{
  gboolean main_page = on_main_page (self);
  gboolean connected = main_page && self->client != NULL;
  gboolean busy = self->sign_in_page != NULL && dsl_sign_in_page_get_busy (self->sign_in_page);
  guint n_accounts = self->store != NULL
                     ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-link",
                                 connected && self->tree != NULL &&
                                 dsl_item_tree_get_selected_item (DSL_ITEM_TREE (self->tree)) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out",
                                 self->account != NULL && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-account", main_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.account", n_accounts > 0 && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.no-keyring", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-now", connected);

  update_header_buttons (self);
  gtk_widget_set_visible (GTK_WIDGET (self->account_button), n_accounts > 0 || self->account != NULL);
}

static void
rebuild_account_menu (DslWindow *self)
{
  g_autoptr(GMenu) accounts = g_menu_new ();
  g_autoptr(GMenu) manage = g_menu_new ();
  guint n = self->store != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;

  g_menu_remove_all (self->account_menu);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DslAccount) account = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      g_autofree char *label = dsl_account_dup_label (account);
      g_autofree char *key = account_key (account);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.account", g_variant_new_string (key));
      g_menu_append_item (accounts, item);
    }

  if (self->no_keyring)
    g_menu_append (manage, _("The key will not be remembered: no keyring is available"),
                   "win.no-keyring");
  g_menu_append (manage, _("_Add Account…"), "win.add-account");
  g_menu_append (manage, _("Sign _Out"), "win.sign-out");

  if (n > 0)
    g_menu_append_section (self->account_menu, NULL, G_MENU_MODEL (accounts));
  g_menu_append_section (self->account_menu, NULL, G_MENU_MODEL (manage));
  update_actions (self);
}

static void
show_page (DslWindow  *self,
           const char *name)
{
  gboolean sign_in = g_str_equal (name, "sign-in");

  /* Only the page shown is visible: GTK 4.8 keeps a GtkStack's hidden pages in the
   * accessibility tree, where screen readers (and the end-to-end tests) would find a second
   * set of fields and buttons. */
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_bin), sign_in);
  gtk_widget_set_visible (GTK_WIDGET (self->fold), !sign_in);
  /* Signed in again, a narrow window starts from the tree. */
  if (sign_in)
    dsl_fold_paned_set_show_end_child (self->fold, FALSE);
  gtk_stack_set_visible_child_name (self->stack, name);
  update_header (self);
  update_actions (self);
}

static void
set_account (DslWindow  *self,
             DslAccount *account)
{
  if (!g_set_object (&self->account, account))
    return;
  if (account != NULL && self->store != NULL)
    dsl_account_store_set_last (self->store, account);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_ACCOUNT]);
}

/* --- The client --- */

static void
cancel_lookup (DslWindow *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

static void on_unauthorized (DslWindow *self,
                             DslClient *client);

static void
set_client (DslWindow *self,
            DslClient *client,
            gboolean   session_token)
{
  if (self->client != NULL)
    {
      g_clear_signal_handler (&self->unauthorized_id, self->client);
      g_clear_object (&self->client);
    }
  g_clear_handle_id (&self->unauthorized_idle_id, g_source_remove);

  dsl_item_tree_set_client (DSL_ITEM_TREE (self->tree), client);
  if (self->details != NULL)
    {
      dsl_link_panel_set_client (link_panel (self), client);
      dsl_activity_list_set_client (activity_list (self), client);
    }
  self->session_token = session_token;

  if (client != NULL)
    {
      g_autofree char *key = account_key (self->account);

      /* The monitor guards the account's temporary links from now on, window or not; it also
       * attaches the Shell search provider's index to the client. */
      dsl_link_monitor_set_client (dsl_window_get_monitor (self), key, client);
      self->client = g_object_ref (client);
      self->unauthorized_id = g_signal_connect_object (client, "unauthorized",
                                                       G_CALLBACK (on_unauthorized), self,
                                                       G_CONNECT_SWAPPED);
    }
  update_actions (self);
}

static void
refresh_user_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslWindow) self = DSL_WINDOW (user_data);
  g_autoptr(DslUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = dsl_client_get_self_finish (client, result, &error);
  if (user == NULL)
    {
      /* A 401 already went through "unauthorized"; the tree shows other failures. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not refresh the account's name: %s", error->message);
      return;
    }

  if (client != self->client || self->account == NULL)
    return;

  /* A name changed on the portal shows up here and in the account list. */
  dsl_account_set_display_name (self->account, dsl_user_get_display_name (user));
  update_header (self);
  rebuild_account_menu (self);
}

/* The account's client is ready: show the tree with it. */
static void
connect_client (DslWindow *self,
                DslClient *client,
                gboolean   session_token,
                gboolean   check_user)
{
  g_autofree char *key = account_key (self->account);

  set_client (self, client, session_token);

  if (self->restore_path != NULL && g_strcmp0 (self->restore_key, key) == 0)
    dsl_item_tree_restore_selection (DSL_ITEM_TREE (self->tree), self->restore_path);
  g_clear_pointer (&self->restore_path, g_free);
  g_clear_pointer (&self->restore_key, g_free);

  if (check_user)
    dsl_client_get_self_async (client, NULL, refresh_user_cb, g_object_ref (self));
}

static void
connect_with_secret (DslWindow  *self,
                     const char *secret)
{
  g_autoptr(DslClient) client = dsl_account_new_client (self->account, secret);

  connect_client (self, client, dsl_account_secret_is_session_token (secret), TRUE);
}

static void on_signed_in         (DslWindow     *self,
                                  DslClient     *client,
                                  DslUser       *user,
                                  const char    *secret,
                                  DslSignInPage *page);
static void on_sign_in_cancelled (DslWindow     *self,
                                  DslSignInPage *page);
static void on_sign_in_busy      (DslWindow     *self);

/* The sign-in page, made the first time it is needed (a start with a remembered account shows
 * the tree at once and never needs it). */
static void
ensure_sign_in_page (DslWindow *self)
{
  GtkWidget *page;

  if (self->sign_in_page != NULL)
    return;

  page = dsl_sign_in_page_new ();
  gtk_widget_set_name (page, "sign_in_page");
  g_signal_connect_object (page, "signed-in", G_CALLBACK (on_signed_in), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "cancelled", G_CALLBACK (on_sign_in_cancelled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (page, "notify::busy", G_CALLBACK (on_sign_in_busy), self,
                           G_CONNECT_SWAPPED);
  adw_bin_set_child (self->sign_in_bin, page);
  self->sign_in_page = DSL_SIGN_IN_PAGE (page);
}

/* Signing in again for the shown account (or a new one): the sign-in page with a reason. */
static void
show_sign_in (DslWindow  *self,
              const char *portal,
              const char *message,
              gboolean    use_password,
              gboolean    can_cancel)
{
  ensure_sign_in_page (self);
  dsl_sign_in_page_reset (self->sign_in_page);
  if (portal != NULL)
    dsl_sign_in_page_set_portal (self->sign_in_page, portal);
  dsl_sign_in_page_set_message (self->sign_in_page, message);
  dsl_sign_in_page_set_use_password (self->sign_in_page, use_password);
  dsl_sign_in_page_set_can_cancel (self->sign_in_page, can_cancel);
  show_page (self, "sign-in");
  dsl_sign_in_page_focus (self->sign_in_page);
}

static void
lookup_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DslAccount *account = DSL_ACCOUNT (object);
  g_autoptr(DslWindow) self = DSL_WINDOW (user_data);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = dsl_account_lookup_secret_finish (account, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || account != self->account)
    {
      /* Non-pageable memory from libsecret: freed (and wiped) its own way. */
      if (secret != NULL)
        secret_password_free (secret);
      return;
    }

  g_clear_object (&self->cancellable);

  if (secret == NULL)
    {
      const char *host = portal_host (dsl_account_get_portal (account));
      g_autofree char *message = NULL;

      if (error != NULL && dsl_account_error_is_no_keyring (error))
        /* Translators: %s is a portal address such as docspace.example.com */
        message = g_strdup_printf (_("No keyring is available, so the key for %s was not "
                                     "remembered. Sign in again."), host);
      else if (error != NULL)
        /* Translators: the first %s is a portal address, the second an error message */
        message = g_strdup_printf (_("The key for %s could not be read from the keyring (%s). "
                                     "Sign in again."), host, error->message);
      else
        /* Translators: %s is a portal address such as docspace.example.com */
        message = g_strdup_printf (_("The key for %s is no longer in the keyring. Sign in "
                                     "again."), host);

      show_sign_in (self, dsl_account_get_portal (account), message, FALSE, FALSE);
      return;
    }

  connect_with_secret (self, secret);
  secret_password_free (secret);
}

/* Show `account` at once (its stored name in the header, the tree connecting), then read its
 * secret and give the tree a client. */
static void
dsl_window_activate_account (DslWindow  *self,
                             DslAccount *account)
{
  g_autofree char *key = account_key (account);
  const char *secret;

  cancel_lookup (self);
  set_client (self, NULL, FALSE);
  set_account (self, account);

  dsl_item_tree_set_connecting (DSL_ITEM_TREE (self->tree), TRUE);
  if (self->sign_in_page != NULL)
    {
      dsl_sign_in_page_reset (self->sign_in_page);
      dsl_sign_in_page_set_message (self->sign_in_page, NULL);
    }
  show_page (self, "main");
  rebuild_account_menu (self);

  secret = g_hash_table_lookup (self->session_secrets, key);
  if (secret != NULL)
    {
      connect_with_secret (self, secret);
      return;
    }

  self->cancellable = g_cancellable_new ();
  dsl_account_lookup_secret_async (account, self->cancellable, lookup_secret_cb,
                                   g_object_ref (self));
}

/* --- 401 in the middle of a session --- */

static gboolean
handle_unauthorized (gpointer user_data)
{
  DslWindow *self = DSL_WINDOW (user_data);
  g_autofree char *message = NULL;
  const char *portal;
  gboolean session_token = self->session_token;

  self->unauthorized_idle_id = 0;
  if (self->account == NULL || self->client == NULL)
    return G_SOURCE_REMOVE;

  portal = dsl_account_get_portal (self->account);
  g_free (self->restore_path);
  self->restore_path = dsl_item_tree_dup_selected_path (DSL_ITEM_TREE (self->tree));
  g_free (self->restore_key);
  self->restore_key = account_key (self->account);
  /* What the portal refused is no use any more, in memory or in the keyring (a new sign-in
   * replaces it there). */
  g_hash_table_remove (self->session_secrets, self->restore_key);
  dsl_link_monitor_set_client (dsl_window_get_monitor (self), self->restore_key, NULL);

  set_client (self, NULL, FALSE);

  if (session_token)
    /* Translators: %s is a portal address such as docspace.example.com */
    message = g_strdup_printf (_("Your session on %s has ended (signed out or expired). Sign in "
                                 "again."), portal_host (portal));
  else
    /* Translators: %s is a portal address such as docspace.example.com */
    message = g_strdup_printf (_("Your key for %s is no longer accepted (revoked or expired). "
                                 "Sign in again."), portal_host (portal));

  show_sign_in (self, portal, message, session_token, FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_unauthorized (DslWindow *self,
                 DslClient *client)
{
  if (client != self->client || self->unauthorized_idle_id != 0)
    return;

  /* Not from inside the failing request's callback: the tree is still handling it. */
  self->unauthorized_idle_id = g_idle_add (handle_unauthorized, self);
}

/* --- Signing in --- */

typedef struct {
  DslWindow  *window;   /* owned */
  DslAccount *account;  /* owned */
  char       *secret;   /* owned; wiped */
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->account);
  g_clear_pointer (&data->secret, wipe_secret);
  g_free (data);
}

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  StoreData *data = user_data;
  DslWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = account_key (data->account);

  if (dsl_account_store_secret_finish (data->account, result, &error))
    {
      g_hash_table_remove (self->session_secrets, key);
      store_data_free (data);
      return;
    }

  /* The app works on for this session; the next start asks again. */
  g_hash_table_replace (self->session_secrets, g_steal_pointer (&key),
                        g_steal_pointer (&data->secret));
  if (dsl_account_error_is_no_keyring (error))
    {
      g_debug ("No keyring: %s", error->message);
      self->no_keyring = TRUE;
      add_toast (self, _("The key will not be remembered: no keyring is available"));
    }
  else
    {
      g_autofree char *title = NULL;

      g_warning ("Could not store the secret: %s", error->message);
      /* Translators: %s is an error message from the keyring */
      title = g_strdup_printf (_("The key will not be remembered: %s"), error->message);
      add_toast (self, title);
    }
  rebuild_account_menu (self);
  store_data_free (data);
}

static void
on_signed_in (DslWindow     *self,
              DslClient     *client,
              DslUser       *user,
              const char    *secret,
              DslSignInPage *page)
{
  g_autoptr(DslAccount) account = dsl_account_new (dsl_client_get_base_url (client),
                                                   dsl_user_get_id (user),
                                                   dsl_user_get_display_name (user));
  DslAccount *stored = account;
  g_autofree char *key = account_key (account);
  StoreData *data;

  if (self->store != NULL)
    stored = dsl_account_store_add (self->store, account);

  /* Kept in memory until the keyring has it, so a quick switch back still finds it. */
  g_hash_table_replace (self->session_secrets, g_strdup (key), g_strdup (secret));

  data = g_new0 (StoreData, 1);
  data->window = g_object_ref (self);
  data->account = g_object_ref (stored);
  data->secret = g_strdup (secret);
  dsl_account_store_secret_async (stored, secret, NULL, store_secret_cb, data);

  cancel_lookup (self);
  set_client (self, NULL, FALSE);
  set_account (self, stored);
  if (self->store != NULL)
    dsl_account_store_set_last (self->store, stored);

  dsl_sign_in_page_reset (page);
  dsl_sign_in_page_set_message (page, NULL);
  show_page (self, "main");
  rebuild_account_menu (self);
  connect_client (self, client, dsl_account_secret_is_session_token (secret), FALSE);
}

static void
on_sign_in_cancelled (DslWindow     *self,
                      DslSignInPage *page)
{
  DslAccount *target = self->account;

  if (target == NULL && self->store != NULL)
    target = dsl_account_store_get_last (self->store);
  if (target == NULL)
    return;

  dsl_sign_in_page_reset (page);
  if (target == self->account && self->client != NULL)
    show_page (self, "main");
  else
    dsl_window_activate_account (self, target);
}

static void
on_sign_in_busy (DslWindow *self)
{
  update_actions (self);
}

/* --- Actions --- */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);

  dsl_item_tree_refresh (DSL_ITEM_TREE (self->tree));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);

  show_tree_pane (self);
  dsl_item_tree_focus_search (DSL_ITEM_TREE (self->tree));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);

  dsl_link_panel_copy_primary (link_panel (self));
}

/* Link checkup (win.checkup, Ctrl+Shift+L): one window per main window, over the active
 * account's scan that the link monitor keeps (results stay until refreshed). */
static void
on_checkup_destroy (GtkWidget *checkup,
                    DslWindow *self)
{
  if (g_object_get_data (G_OBJECT (self), "dsl-checkup-window") == checkup)
    g_object_set_data (G_OBJECT (self), "dsl-checkup-window", NULL);
}

static void
checkup_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);
  GtkWindow *checkup = g_object_get_data (G_OBJECT (self), "dsl-checkup-window");
  g_autofree char *key = self->account != NULL ? account_key (self->account) : NULL;
  DslLinkScan *scan = key != NULL ? dsl_link_monitor_get_scan (dsl_window_get_monitor (self), key)
                                  : NULL;

  if (scan == NULL)
    {
      add_toast (self, _("Sign in to a portal to check its links"));
      return;
    }
  if (checkup != NULL && dsl_checkup_window_get_scan (DSL_CHECKUP_WINDOW (checkup)) != scan)
    {
      gtk_window_destroy (checkup);
      checkup = NULL;
    }
  if (checkup == NULL)
    {
      checkup = GTK_WINDOW (dsl_checkup_window_new (GTK_WINDOW (self), scan));
      /* Cleared when the window is destroyed (the data holds no reference). */
      g_object_set_data (G_OBJECT (self), "dsl-checkup-window", checkup);
      g_signal_connect_object (checkup, "destroy", G_CALLBACK (on_checkup_destroy), self, 0);
    }
  gtk_window_present (checkup);
}

/* TRUE when the keyboard focus is in the tree's list of rows (not its search entry, not a
 * selectable label of the sidebar). */
static gboolean
focus_in_tree_list (DslWindow *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (self->tree == NULL || focus == NULL || !gtk_widget_is_ancestor (focus, self->tree))
    return FALSE;
  for (GtkWidget *widget = focus; widget != NULL && widget != self->tree;
       widget = gtk_widget_get_parent (widget))
    {
      if (GTK_IS_EDITABLE (widget))
        return FALSE;
      if (GTK_IS_LIST_VIEW (widget))
        return TRUE;
    }
  return FALSE;
}

/* Ctrl+C: the selected item's primary link, only from the tree's list; returning FALSE lets
 * the key go on to whoever else handles it. */
static gboolean
copy_link_shortcut (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  DslWindow *self = DSL_WINDOW (widget);

  if (!focus_in_tree_list (self))
    return FALSE;
  return gtk_widget_activate_action (widget, "win.copy-link", NULL);
}

/* --- Temporary links: Check Now and what the guard did --- */

static void
check_now_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);
  g_autofree char *key = NULL;

  if (self->account == NULL || self->client == NULL)
    return;
  key = account_key (self->account);
  self->check_requested = TRUE;
  dsl_link_monitor_check_now (dsl_window_get_monitor (self), key);
}

/* After each check of the account shown: a toast when links were revoked, and for Check Now
 * how it went (nothing to check, nothing over its limit, a failure). */
static void
on_guard_checked (DslWindow    *self,
                  const char   *key,
                  GPtrArray    *results,
                  const GError *error)
{
  g_autofree char *current = self->account != NULL ? account_key (self->account) : NULL;
  g_autofree char *title = NULL;
  gboolean requested = self->check_requested;
  guint revoked = 0, failed = 0, gone = 0;
  const char *failure = NULL;
  DslGuardedLink *gone_link = NULL;

  if (g_strcmp0 (key, current) != 0)
    return;
  self->check_requested = FALSE;

  for (guint i = 0; i < results->len; i++)
    {
      DslGuardResult *r = g_ptr_array_index (results, i);

      if (r->outcome == DSL_GUARD_OUTCOME_REVOKED_LIMIT ||
          r->outcome == DSL_GUARD_OUTCOME_REVOKED_EXPIRED)
        revoked++;
      else if (r->outcome == DSL_GUARD_OUTCOME_GONE)
        {
          gone++;
          gone_link = r->link;
        }
      else if (r->outcome == DSL_GUARD_OUTCOME_FAILED)
        {
          failed++;
          failure = r->error != NULL ? r->error->message : NULL;
        }
    }

  /* Gone from the portal (the app's own removals drop the record first): no longer watched. */
  if (gone == 1)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is a file or folder name */
      text = g_strdup_printf (_("The temporary link to “%s” was removed by someone else"),
                              dsl_guarded_link_get_item_title (gone_link));
      add_toast (self, text);
    }
  else if (gone > 1)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u temporary link was removed by someone else",
                                           "%u temporary links were removed by someone else",
                                           gone), gone);
      add_toast (self, text);
    }

  if (error != NULL)
    /* Translators: %s says why the check failed */
    title = g_strdup_printf (_("Could not check the temporary links: %s"), error->message);
  else if (revoked > 0)
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u temporary link revoked",
                                          "%u temporary links revoked", revoked), revoked);
  else if (failed > 0 && failure != NULL)
    /* Translators: %u counts links; %s is the error of the last one */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Could not check %u temporary link: %s",
                                          "Could not check %u temporary links: %s", failed),
                             failed, failure);
  else if (!requested)
    return;
  else if (results->len == 0)
    title = g_strdup (_("There are no temporary links to check"));
  else
    title = g_strdup (_("Temporary links checked: none has reached its limit"));
  add_toast (self, title);
}

/* A save of the guarded links failed (the guard's, or the editor's for a new temporary link):
 * what it means stays on screen until dismissed. */
static void
on_store_problem (DslWindow  *self,
                  const char *key,
                  const char *message)
{
  g_autofree char *current = self->account != NULL ? account_key (self->account) : NULL;
  AdwToast *toast;

  if (key != NULL && g_strcmp0 (key, current) != 0)
    return;
  toast = plain_toast (message);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* GtkShortcutsWindow's own search button (an image) and section menu, which GTK 4.8 names by
 * their types ("GtkImage", "GtkMenuButton"). */
static void
name_shortcuts_controls (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_MENU_BUTTON (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Sections"), -1);
      else if (GTK_IS_TOGGLE_BUTTON (child) &&
               GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (child))))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Search Shortcuts"), -1);
      else
        name_shortcuts_controls (child);
    }
}

/* The keyboard shortcuts window (Ctrl+?), built the first time it is asked for rather than with
 * every window, as GtkApplication would from gtk/help-overlay.ui: most starts never show it. */
static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);

  if (self->shortcuts_window == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource (RESOURCE_BASE_PATH "/ui/dsl-shortcuts-window.ui");

      self->shortcuts_window = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_window_set_transient_for (self->shortcuts_window, GTK_WINDOW (self));
      gtk_window_set_hide_on_close (self->shortcuts_window, TRUE);
      name_shortcuts_controls (GTK_WIDGET (self->shortcuts_window));
      g_object_add_weak_pointer (G_OBJECT (self->shortcuts_window),
                                 (gpointer *) &self->shortcuts_window);
    }
  gtk_window_present (self->shortcuts_window);
}

/* --- Find Link (win.find-link, Ctrl+Shift+F; a share URL on the command line) --- */

static void
on_find_link_revoked (DslWindow *self,
                      DslItem   *item)
{
  /* The sidebar may show the item whose link went. */
  if (self->details != NULL && dsl_link_panel_get_item (link_panel (self)) != NULL &&
      g_strcmp0 (dsl_item_get_id (dsl_link_panel_get_item (link_panel (self))),
                 dsl_item_get_id (item)) == 0)
    dsl_link_panel_reload (link_panel (self));
}

static void
on_find_link_show_item (DslWindow  *self,
                        const char *path)
{
  if (!on_main_page (self) || self->client == NULL)
    return;
  dsl_item_tree_restore_selection (DSL_ITEM_TREE (self->tree), path);
  /* Narrow: the sidebar shows the item once the tree has selected it. */
  show_details_pane (self);
  gtk_window_present (GTK_WINDOW (self));
}

static void
find_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  dsl_window_find_link (DSL_WINDOW (widget), NULL);
}

DslFindLinkDialog *
dsl_window_find_link (DslWindow  *self,
                      const char *url)
{
  g_return_val_if_fail (DSL_IS_WINDOW (self), NULL);

  if (self->find_link_dialog == NULL)
    {
      DslFindLinkDialog *dialog = dsl_find_link_dialog_new (self);

      g_set_weak_pointer (&self->find_link_dialog, dialog);
      g_signal_connect_object (dialog, "link-revoked", G_CALLBACK (on_find_link_revoked), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (dialog, "show-item", G_CALLBACK (on_find_link_show_item), self,
                               G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (self->find_link_dialog));
  if (url != NULL)
    dsl_find_link_dialog_find (self->find_link_dialog, url);
  return self->find_link_dialog;
}

static void
add_account_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);

  show_sign_in (self, "", NULL, FALSE, self->account != NULL);
}

static void
logout_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!dsl_client_logout_finish (DSL_CLIENT (object), result, &error))
    g_debug ("Logging out failed: %s", error->message);
}

static void
delete_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DslWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (dsl_account_delete_secret_finish (DSL_ACCOUNT (object), result, &error) ||
      dsl_account_error_is_no_keyring (error))
    return;
  g_debug ("Deleting the secret failed: %s", error->message);
  /* The key stays in the keyring: said, so the person can remove it there (issue 14). */
  if (self->toast_overlay == NULL)
    return;
  /* Translators: the first %s is a portal address, the second the keyring's error message */
  title = g_strdup_printf (_("The key for %s could not be removed from the keyring: %s"),
                           portal_host (dsl_account_get_portal (DSL_ACCOUNT (object))),
                           error->message);
  adw_toast_overlay_add_toast (self->toast_overlay, plain_toast (title));
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);
  g_autoptr(DslAccount) account = NULL;
  g_autofree char *key = NULL;
  g_autofree char *title = NULL;

  if (self->account == NULL)
    return;

  account = g_object_ref (self->account);
  key = account_key (account);
  cancel_lookup (self);

  /* A session token is ended on the server too; an API key stays valid (it is managed on
   * the portal) but is forgotten here. */
  if (self->client != NULL && self->session_token)
    dsl_client_logout_async (self->client, NULL, logout_cb, NULL);
  dsl_account_delete_secret_async (account, NULL, delete_secret_cb, g_object_ref (self));
  g_hash_table_remove (self->session_secrets, key);
  dsl_link_monitor_set_client (dsl_window_get_monitor (self), key, NULL);

  set_client (self, NULL, FALSE);
  set_account (self, NULL);
  if (self->store != NULL)
    dsl_account_store_remove (self->store, account);
  g_clear_pointer (&self->restore_path, g_free);
  g_clear_pointer (&self->restore_key, g_free);
  rebuild_account_menu (self);

  /* Translators: %s is a portal address such as docspace.example.com */
  title = g_strdup_printf (_("Signed out of %s"), portal_host (dsl_account_get_portal (account)));
  add_toast (self, title);
  show_sign_in (self, dsl_account_get_portal (account), NULL, FALSE, FALSE);
}

static void
switch_to_account_key (DslWindow  *self,
                       const char *key)
{
  const char *space = key != NULL ? strchr (key, ' ') : NULL;
  g_autofree char *user_id = NULL;
  DslAccount *account;

  if (space == NULL || self->store == NULL)
    return;

  user_id = g_strndup (key, space - key);
  account = dsl_account_store_find (self->store, space + 1, user_id);
  if (account == NULL)
    return;

  if (account == self->account && self->client != NULL && on_main_page (self))
    return;
  dsl_window_activate_account (self, account);
}

/* --portal (or a portal address as the argument) given to a second start while this window is
 * open: the account on that portal if there is one, else the sign-in page with the address
 * filled in (Cancel goes back to the account shown). */
void
dsl_window_open_portal (DslWindow  *self,
                        const char *portal)
{
  g_autofree char *normalized = NULL;
  DslAccount *match = NULL;
  guint n;

  g_return_if_fail (DSL_IS_WINDOW (self));

  if (portal == NULL || *portal == '\0')
    return;

  normalized = dsl_client_normalize_url (portal, NULL);
  if (normalized != NULL && self->account != NULL && on_main_page (self) &&
      g_strcmp0 (dsl_account_get_portal (self->account), normalized) == 0)
    return;

  n = self->store != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;
  for (guint i = 0; i < n && normalized != NULL && match == NULL; i++)
    {
      g_autoptr(DslAccount) account = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (dsl_account_get_portal (account), normalized) == 0)
        match = account;
    }

  if (match != NULL)
    dsl_window_activate_account (self, match);
  else
    /* A malformed address is shown as typed: the page says what is wrong with it on Sign In. */
    show_sign_in (self, portal, NULL, FALSE, self->account != NULL);
}

void
dsl_window_show_item (DslWindow  *self,
                      const char *account_key_,
                      const char *path)
{
  g_autofree char *current = NULL;
  DslAccount *match = NULL;
  guint n;

  g_return_if_fail (DSL_IS_WINDOW (self));
  g_return_if_fail (account_key_ != NULL && path != NULL);

  current = self->account != NULL ? account_key (self->account) : NULL;
  if (g_strcmp0 (current, account_key_) == 0 && on_main_page (self) && self->client != NULL)
    {
      dsl_item_tree_restore_selection (DSL_ITEM_TREE (self->tree), path);
      show_details_pane (self);
      return;
    }

  n = self->store != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->store)) : 0;
  for (guint i = 0; i < n && match == NULL; i++)
    {
      g_autoptr(DslAccount) account = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      g_autofree char *key = account_key (account);

      if (g_strcmp0 (key, account_key_) == 0)
        match = account;
    }
  if (match == NULL)
    return;

  /* Selected once the account's client is ready (connect_client). */
  g_free (self->restore_path);
  self->restore_path = g_strdup (path);
  g_free (self->restore_key);
  self->restore_key = g_strdup (account_key_);
  /* The account being connected already (a window just made): its key is on its way. */
  if (g_strcmp0 (current, account_key_) == 0 && self->cancellable != NULL)
    return;
  dsl_window_activate_account (self, match);
}

/* --- GObject --- */

static void
dsl_window_constructed (GObject *object)
{
  DslWindow *self = DSL_WINDOW (object);
  DslAccount *last = NULL;
  g_autofree char *initial = NULL;

  G_OBJECT_CLASS (dsl_window_parent_class)->constructed (object);

  if (self->store != NULL)
    last = dsl_account_store_get_last (self->store);
  if (self->initial_portal != NULL && *self->initial_portal != '\0')
    initial = dsl_client_normalize_url (self->initial_portal, NULL);

  rebuild_account_menu (self);

  if (last != NULL && (self->initial_portal == NULL || *self->initial_portal == '\0' ||
                       g_strcmp0 (initial, dsl_account_get_portal (last)) == 0))
    dsl_window_activate_account (self, last);
  else
    /* --portal names another portal: sign in there; Cancel goes back to the last account. */
    show_sign_in (self, self->initial_portal, NULL, FALSE, last != NULL);
}

static void
dsl_window_dispose (GObject *object)
{
  DslWindow *self = DSL_WINDOW (object);

  cancel_lookup (self);
  g_clear_handle_id (&self->unauthorized_idle_id, g_source_remove);
  g_clear_handle_id (&self->header_idle_id, g_source_remove);
  drop_first_frame_hook (self);
  if (self->shortcuts_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->shortcuts_window),
                                    (gpointer *) &self->shortcuts_window);
      gtk_window_destroy (self->shortcuts_window);
      self->shortcuts_window = NULL;
    }
  if (self->client != NULL)
    {
      g_clear_signal_handler (&self->unauthorized_id, self->client);
      g_clear_object (&self->client);
    }

  /* Find Link may outlive the window (the accessibility bus holds references to it); GTK 4.8
   * would then reach this window through its transient-for pointer when it goes. */
  if (self->find_link_dialog != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (self->find_link_dialog), NULL);
      gtk_window_destroy (GTK_WINDOW (self->find_link_dialog));
    }
  g_clear_weak_pointer (&self->find_link_dialog);
  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_WINDOW);
  self->sign_in_page = NULL;
  self->tree = NULL;
  self->details = NULL;

  g_clear_object (&self->account);
  g_clear_object (&self->store);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  g_clear_object (&self->account_menu);
  g_clear_pointer (&self->session_secrets, g_hash_table_unref);

  G_OBJECT_CLASS (dsl_window_parent_class)->dispose (object);
}

static void
dsl_window_finalize (GObject *object)
{
  DslWindow *self = DSL_WINDOW (object);

  g_clear_pointer (&self->initial_portal, g_free);
  g_clear_pointer (&self->restore_path, g_free);
  g_clear_pointer (&self->restore_key, g_free);

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

    case PROP_ACTIVE_ACCOUNT:
      /* From the account menu (win.account). */
      switch_to_account_key (self, g_value_get_string (value));
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

    case PROP_ACTIVE_ACCOUNT:
      g_value_take_string (value, self->account != NULL ? account_key (self->account)
                                                        : g_strdup (""));
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
  /**
   * DslWindow:active-account:
   *
   * "<user id> <portal>" of the account shown, "" when none. Setting it switches to that
   * account (the account menu's radio items, win.account).
   */
  properties[PROP_ACTIVE_ACCOUNT] =
    g_param_spec_string ("active-account", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DSL_TYPE_FOLD_PANED);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DslWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, pane_back_button);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, narrow_search_button);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, main_menu_button);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, sign_in_bin);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, fold);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, tree_bin);
  gtk_widget_class_bind_template_child (widget_class, DslWindow, details_bin);
  gtk_widget_class_bind_template_callback (widget_class, update_fold);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "win.checkup", NULL, checkup_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_L, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.checkup", NULL);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_shortcuts_action);
  gtk_widget_class_install_action (widget_class, "win.add-account", NULL, add_account_action);
  gtk_widget_class_install_action (widget_class, "win.find-link", NULL, find_link_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  /* Only a menu line saying so; never enabled. */
  gtk_widget_class_install_action (widget_class, "win.no-keyring", NULL, NULL);
  gtk_widget_class_install_action (widget_class, "win.check-now", NULL, check_now_action);
  gtk_widget_class_install_property_action (widget_class, "win.account", "active-account");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, GDK_ALT_MASK,
                                       "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.find-link", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_question, GDK_CONTROL_MASK,
                                       "win.show-help-overlay", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_c, GDK_CONTROL_MASK,
                                copy_link_shortcut, NULL);
}

static void
dsl_window_init (DslWindow *self)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  GSettingsSchemaSource *source;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->session_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_secret);
  self->account_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->account_button, G_MENU_MODEL (self->account_menu));
  create_tree (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", FALSE);

  /* Running from the build tree without GSETTINGS_SCHEMA_DIR must not abort: the window then
   * just does not remember its size or accounts. */
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
      g_settings_bind (self->settings, "pane-position", self->paned, "position",
                       G_SETTINGS_BIND_DEFAULT);
      self->store = dsl_account_store_new (self->settings);
      g_signal_connect_object (self->store, "items-changed",
                               G_CALLBACK (rebuild_account_menu), self, G_CONNECT_SWAPPED);
    }
  else
    {
      g_info ("Schema %s is not installed; accounts and window state will not be saved",
              BASE_APP_ID);
    }

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

DslLinkMonitor *
dsl_window_get_monitor (DslWindow *self)
{
  g_return_val_if_fail (DSL_IS_WINDOW (self), NULL);

  if (self->monitor == NULL)
    {
      GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

      if (DSL_IS_APPLICATION (application))
        self->monitor = g_object_ref (dsl_application_get_monitor (DSL_APPLICATION (application)));
      else
        self->monitor = dsl_link_monitor_new (NULL, self->settings, NULL);
      g_signal_connect_object (self->monitor, "guard-checked", G_CALLBACK (on_guard_checked),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->monitor, "store-problem", G_CALLBACK (on_store_problem),
                               self, G_CONNECT_SWAPPED);
      /* a state file that did not load whole before this window listened */
      {
        g_auto(GStrv) problems = dsl_link_monitor_take_load_problems (self->monitor);

        for (guint i = 0; problems[i] != NULL; i++)
          on_store_problem (self, NULL, problems[i]);
      }
    }
  return self->monitor;
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-window-accounts.c: the main window follows its session (DslSession): the header and the
 * account menu, the sign-in page (made when first needed), switching accounts, and a portal or
 * a search result from outside (see the diagram in dsl-window.c). */

#define G_LOG_DOMAIN "dsl-window"

#include "config.h"

#include "dsl-window-private.h"

/* --- Header, menu and actions --- */

static guint
n_accounts (DslWindow *self)
{
  DslAccountStore *accounts = dsl_session_get_accounts (self->session);

  return accounts != NULL ? g_list_model_get_n_items (G_LIST_MODEL (accounts)) : 0;
}

static void
update_header (DslWindow *self)
{
  DslAccount *account = account_of (self);

  if (account != NULL && on_main_page (self))
    {
      const char *name = dsl_account_get_display_name (account);
      const char *host = dsl_account_get_host (account);
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

void
_dsl_window_update_actions (DslWindow *self)
{
  gboolean main_page = on_main_page (self);
  gboolean connected = main_page && client_of (self) != NULL;
  gboolean busy = self->sign_in_page != NULL && dsl_sign_in_page_get_busy (self->sign_in_page);
  guint n = n_accounts (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", connected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-link",
                                 connected && self->tree != NULL &&
                                 dsl_item_tree_get_selected_item (DSL_ITEM_TREE (self->tree)) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out",
                                 account_of (self) != NULL && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-account", main_page);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.account", n > 0 && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.no-keyring", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-now", connected);

  _dsl_window_update_header_buttons (self);
  gtk_widget_set_visible (GTK_WIDGET (self->account_button), n > 0 || account_of (self) != NULL);
}

void
_dsl_window_rebuild_account_menu (DslWindow *self)
{
  g_autoptr(GMenu) accounts = g_menu_new ();
  g_autoptr(GMenu) manage = g_menu_new ();
  guint n = n_accounts (self);

  g_menu_remove_all (self->account_menu);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DslAccount) account =
        g_list_model_get_item (G_LIST_MODEL (dsl_session_get_accounts (self->session)), i);
      g_autofree char *label = dsl_account_dup_label (account);
      g_autofree char *key = dsl_account_dup_key (account);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.account", g_variant_new_string (key));
      g_menu_append_item (accounts, item);
    }

  if (dsl_session_get_no_keyring (self->session))
    g_menu_append (manage, _("The key will not be remembered: no keyring is available"),
                   "win.no-keyring");
  g_menu_append (manage, _("_Add Account…"), "win.add-account");
  g_menu_append (manage, _("Sign _Out"), "win.sign-out");

  if (n > 0)
    g_menu_append_section (self->account_menu, NULL, G_MENU_MODEL (accounts));
  g_menu_append_section (self->account_menu, NULL, G_MENU_MODEL (manage));
  _dsl_window_update_actions (self);
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
  _dsl_window_update_actions (self);
}

/* --- The session: the account shown and its client --- */

static void
on_account_changed (DslWindow *self)
{
  g_signal_group_set_target (self->account_signals, account_of (self));
  g_object_notify (G_OBJECT (self), "active-account");
}

/* A name changed on the portal shows up here and in the account list. */
static void
on_display_name_changed (DslWindow *self)
{
  update_header (self);
  _dsl_window_rebuild_account_menu (self);
}

/* The tree follows the session's client (a binding, see dsl_window_constructed); then a
 * selection kept over signing in again is restored. */
static void
on_client_changed (DslWindow *self)
{
  DslClient *client = client_of (self);

  if (client != NULL)
    {
      g_autofree char *key = dsl_account_dup_key (account_of (self));

      if (self->restore_path != NULL && g_strcmp0 (self->restore_key, key) == 0)
        dsl_item_tree_restore_selection (DSL_ITEM_TREE (self->tree), self->restore_path);
      g_clear_pointer (&self->restore_path, g_free);
      g_clear_pointer (&self->restore_key, g_free);
    }
  _dsl_window_update_actions (self);
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
void
_dsl_window_show_sign_in (DslWindow  *self,
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

/* The key is not in the keyring, or the portal refused it (the client still set: what was
 * selected is restored after signing in again). */
static void
on_sign_in_needed (DslWindow  *self,
                   const char *portal,
                   const char *message,
                   gboolean    use_password)
{
  if (client_of (self) != NULL)
    {
      g_free (self->restore_path);
      self->restore_path = dsl_item_tree_dup_selected_path (DSL_ITEM_TREE (self->tree));
      g_free (self->restore_key);
      self->restore_key = dsl_account_dup_key (account_of (self));
    }
  _dsl_window_show_sign_in (self, portal, message, use_password, FALSE);
}

static void
on_session_problem (DslWindow  *self,
                    const char *message)
{
  add_toast (self, message);
}

/* Show `account` at once (its stored name in the header, the tree connecting), then read its
 * secret and give the tree a client. */
void
_dsl_window_activate_account (DslWindow  *self,
                             DslAccount *account)
{
  dsl_session_set_account (self->session, account);

  dsl_item_tree_set_connecting (DSL_ITEM_TREE (self->tree), TRUE);
  if (self->sign_in_page != NULL)
    {
      dsl_sign_in_page_reset (self->sign_in_page);
      dsl_sign_in_page_set_message (self->sign_in_page, NULL);
    }
  show_page (self, "main");
  _dsl_window_rebuild_account_menu (self);
  dsl_session_connect (self->session);
}

/* --- Signing in --- */

static void
on_signed_in (DslWindow     *self,
              DslClient     *client,
              DslUser       *user,
              const char    *secret,
              DslSignInPage *page)
{
  dsl_session_sign_in (self->session, client, user, secret);

  dsl_sign_in_page_reset (page);
  dsl_sign_in_page_set_message (page, NULL);
  show_page (self, "main");
  _dsl_window_rebuild_account_menu (self);
}

static void
on_sign_in_cancelled (DslWindow     *self,
                      DslSignInPage *page)
{
  DslAccount *target = account_of (self);
  DslAccountStore *accounts = dsl_session_get_accounts (self->session);

  if (target == NULL && accounts != NULL)
    target = dsl_account_store_get_last (accounts);
  if (target == NULL)
    return;

  dsl_sign_in_page_reset (page);
  if (target == account_of (self) && client_of (self) != NULL)
    show_page (self, "main");
  else
    _dsl_window_activate_account (self, target);
}

static void
on_sign_in_busy (DslWindow *self)
{
  _dsl_window_update_actions (self);
}

void
_dsl_window_switch_to_account_key (DslWindow  *self,
                       const char *key)
{
  DslAccount *account = dsl_session_find_account (self->session, key);

  if (account == NULL)
    return;

  if (account == account_of (self) && client_of (self) != NULL && on_main_page (self))
    return;
  _dsl_window_activate_account (self, account);
}

/* --portal (or a portal address as the argument) given to a second start while this window is
 * open: the account on that portal if there is one, else the sign-in page with the address
 * filled in (Cancel goes back to the account shown). */
void
dsl_window_open_portal (DslWindow  *self,
                        const char *portal)
{
  g_autofree char *normalized = NULL;
  DslAccount *match;

  g_return_if_fail (DSL_IS_WINDOW (self));

  if (portal == NULL || *portal == '\0')
    return;

  normalized = dsl_client_normalize_url (portal, NULL);
  if (normalized != NULL && account_of (self) != NULL && on_main_page (self) &&
      g_strcmp0 (dsl_account_get_portal (account_of (self)), normalized) == 0)
    return;

  match = dsl_session_find_portal (self->session, normalized);

  if (match != NULL)
    _dsl_window_activate_account (self, match);
  else
    /* A malformed address is shown as typed: the page says what is wrong with it on Sign In. */
    _dsl_window_show_sign_in (self, portal, NULL, FALSE, account_of (self) != NULL);
}

void
dsl_window_show_item (DslWindow  *self,
                      const char *account_key_,
                      const char *path)
{
  g_autofree char *current = NULL;
  DslAccount *match;

  g_return_if_fail (DSL_IS_WINDOW (self));
  g_return_if_fail (account_key_ != NULL && path != NULL);

  current = dsl_session_dup_account_key (self->session);
  if (g_strcmp0 (current, account_key_) == 0 && on_main_page (self) && client_of (self) != NULL)
    {
      dsl_item_tree_restore_selection (DSL_ITEM_TREE (self->tree), path);
      _dsl_window_show_details_pane (self);
      return;
    }

  match = dsl_session_find_account (self->session, account_key_);
  if (match == NULL)
    return;

  /* Selected once the account's client is ready (connect_client). */
  g_free (self->restore_path);
  self->restore_path = g_strdup (path);
  g_free (self->restore_key);
  self->restore_key = g_strdup (account_key_);
  /* The account being connected already (a window just made): its key is on its way. */
  if (g_strcmp0 (current, account_key_) == 0 && dsl_session_get_connecting (self->session))
    return;
  _dsl_window_activate_account (self, match);
}

/* Connects the window to its session: its settings (size, panes), its accounts (the menu),
 * its account, client and messages, the monitor's. */
void
_dsl_window_follow_session (DslWindow *self)
{
  GSettings *settings = dsl_session_get_settings (self->session);
  DslAccountStore *accounts = dsl_session_get_accounts (self->session);

  if (settings != NULL)
    {
      g_settings_bind (settings, "window-width", self, "default-width",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-height", self, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "window-maximized", self, "maximized",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "pane-position", self->paned, "position",
                       G_SETTINGS_BIND_DEFAULT);
    }
  else
    {
      g_info ("Schema %s is not installed; accounts and window state will not be saved",
              BASE_APP_ID);
    }
  if (accounts != NULL)
    g_signal_connect_object (accounts, "items-changed",
                             G_CALLBACK (_dsl_window_rebuild_account_menu), self, G_CONNECT_SWAPPED);

  g_binding_group_set_source (self->client_bindings, self->session);
  g_signal_group_connect_object (self->account_signals, "notify::display-name",
                                 G_CALLBACK (on_display_name_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_set_target (self->account_signals, account_of (self));
  g_signal_connect_object (self->session, "notify::account", G_CALLBACK (on_account_changed),
                           self, G_CONNECT_SWAPPED);
  /* After the bindings: the tree and the sidebar have the client when the selection is
   * restored. */
  g_signal_connect_object (self->session, "notify::client", G_CALLBACK (on_client_changed),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->session, "notify::no-keyring",
                           G_CALLBACK (_dsl_window_rebuild_account_menu), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "sign-in-needed", G_CALLBACK (on_sign_in_needed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "problem", G_CALLBACK (on_session_problem),
                           self, G_CONNECT_SWAPPED);
  /* Guard checks and store problems show from the start (a check runs once a client is set). */
  dsl_window_get_monitor (self);
}


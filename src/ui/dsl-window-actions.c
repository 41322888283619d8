/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-window-actions.c: the main window's win.* actions and their keys: Back, Refresh, Search,
 * Copy Link (Ctrl+C only from the tree's list), the link checkup, Check Now and the toasts of
 * what the guard did, the shortcuts window, Find Link, Add Account and Sign Out. */

#define G_LOG_DOMAIN "dsl-window"

#include "config.h"

#include "dsl-window-private.h"

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _dsl_window_show_tree_pane (DSL_WINDOW (widget));
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

  _dsl_window_show_tree_pane (self);
  dsl_item_tree_focus_search (DSL_ITEM_TREE (self->tree));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);

  dsl_link_panel_copy_primary (_dsl_window_link_panel (self));
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
  g_autofree char *key = account_of (self) != NULL ? dsl_account_dup_key (account_of (self)) : NULL;
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

  if (account_of (self) == NULL || client_of (self) == NULL)
    return;
  key = dsl_account_dup_key (account_of (self));
  self->check_requested = TRUE;
  dsl_link_monitor_check_now (dsl_window_get_monitor (self), key);
}

/* After each check of the account shown: a toast when links were revoked, and for Check Now
 * how it went (nothing to check, nothing over its limit, a failure). */
void
_dsl_window_on_guard_checked (DslWindow    *self,
                  const char   *key,
                  GPtrArray    *results,
                  const GError *error)
{
  g_autofree char *current = account_of (self) != NULL ? dsl_account_dup_key (account_of (self)) : NULL;
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
void
_dsl_window_on_store_problem (DslWindow  *self,
                  const char *key,
                  const char *message)
{
  g_autofree char *current = account_of (self) != NULL ? dsl_account_dup_key (account_of (self)) : NULL;
  AdwToast *toast;

  if (key != NULL && g_strcmp0 (key, current) != 0)
    return;
  toast = dsl_plain_toast_new (message);
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
  if (self->details != NULL && dsl_link_panel_get_item (_dsl_window_link_panel (self)) != NULL &&
      g_strcmp0 (dsl_item_get_id (dsl_link_panel_get_item (_dsl_window_link_panel (self))),
                 dsl_item_get_id (item)) == 0)
    dsl_link_panel_reload (_dsl_window_link_panel (self));
}

static void
on_find_link_show_item (DslWindow  *self,
                        const char *path)
{
  if (!on_main_page (self) || client_of (self) == NULL)
    return;
  dsl_item_tree_restore_selection (DSL_ITEM_TREE (self->tree), path);
  /* Narrow: the sidebar shows the item once the tree has selected it. */
  _dsl_window_show_details_pane (self);
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
      DslFindLinkDialog *dialog = dsl_find_link_dialog_new (GTK_WINDOW (self), self->session);

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

  _dsl_window_show_sign_in (self, "", NULL, FALSE, account_of (self) != NULL);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DslWindow *self = DSL_WINDOW (widget);
  g_autoptr(DslAccount) account = dsl_session_sign_out (self->session);
  g_autofree char *title = NULL;

  if (account == NULL)
    return;

  g_clear_pointer (&self->restore_path, g_free);
  g_clear_pointer (&self->restore_key, g_free);
  _dsl_window_rebuild_account_menu (self);

  /* Translators: %s is a portal address such as docspace.example.com */
  title = g_strdup_printf (_("Signed out of %s"), dsl_account_get_host (account));
  add_toast (self, title);
  _dsl_window_show_sign_in (self, dsl_account_get_portal (account), NULL, FALSE, FALSE);
}

void
_dsl_window_class_init_actions (GtkWidgetClass *widget_class)
{
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

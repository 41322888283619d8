/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-window.c: the main window (its files: see dsl-window-private.h).
 *
 * The account shown, its client, the keyring and the 401s are the session's (DslSession, the
 * application's); the window follows it (dsl-window-accounts.c):
 *
 *   stack "sign-in": DslSignInPage ──"signed-in" (client, user, secret)──▶ dsl_session_sign_in
 *      ▲        ▲                          (account stored, secret into the keyring or memory)
 *      │        │ "sign-in-needed": secret missing / rejected                    │
 *      │   stack "main": DslItemTree connecting ──dsl_session_connect──▶ session "client" ─┐
 *      │        ▲   (start, Add Account cancelled,                       (GBindingGroup: the
 *      │        │    switching from the account menu)                     tree, the sidebar)│
 *      │        └─────────────────────────────────────────────────────────────────────────┤
 *      └── Sign Out (dsl_session_sign_out) / 401 ("sign-in-needed" while the client is    │
 *          still set: the selection is remembered, restored when the client comes back) ◀─┘
 *
 * Sidebar: DslItemDetails (bound to the tree's "selected-item") holds the DslLinkPanel, which
 * follows the session's client with the tree. Ctrl+C with the focus in the tree's list copies
 * the selected item's primary link (win.copy-link); anywhere else Ctrl+C stays the focused
 * widget's (entries, selectable labels).
 *
 * Narrow (DslFoldPaned "folded", below 600 px): only the tree shows; a click on a row's title,
 * Enter or a double click ("item-activated") shows the sidebar alone, with a back button in the
 * header (win.back: Alt+Left, Escape) that returns to the tree, its selection kept.
 *
 * Start: the last account shows the main view at once with its stored display name and the
 * tree's loading page; the session reads the secret asynchronously, then the tree gets a
 * client. The sign-in page is made only when it is first shown: a start with a remembered
 * account never builds it. Nothing here sees a secret but the sign-in page's hand-over. */

#define G_LOG_DOMAIN "dsl-window"

#include "config.h"

#include "dsl-window-private.h"

G_DEFINE_FINAL_TYPE (DslWindow, dsl_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PORTAL,
  PROP_SESSION,
  PROP_ACTIVE_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- The tree and the details --- */

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
  /* The sidebar follows the session's client (signed in, out, another account). */
  g_binding_group_bind (self->client_bindings, "client",
                        dsl_item_details_get_link_panel (DSL_ITEM_DETAILS (self->details)),
                        "client", G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->client_bindings, "client", activity_list (self), "client",
                        G_BINDING_SYNC_CREATE);
  dsl_link_panel_set_session (dsl_item_details_get_link_panel (DSL_ITEM_DETAILS (self->details)),
                              self->session);
  dsl_activity_list_set_monitor (activity_list (self), dsl_window_get_monitor (self));
}

DslLinkPanel *
_dsl_window_link_panel (DslWindow *self)
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
void
_dsl_window_update_header_buttons (DslWindow *self)
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
  _dsl_window_update_header_buttons (self);
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

void
_dsl_window_show_details_pane (DslWindow *self)
{
  if (!dsl_fold_paned_get_folded (self->fold) || dsl_fold_paned_get_show_end_child (self->fold))
    return;
  ensure_details (self);
  dsl_fold_paned_set_show_end_child (self->fold, TRUE);
  _dsl_window_update_header_buttons (self);
  /* The focus was in the tree, hidden now: into the sidebar, so keys keep working. */
  gtk_widget_child_focus (GTK_WIDGET (self->details_bin), GTK_DIR_TAB_FORWARD);
}

void
_dsl_window_show_tree_pane (DslWindow *self)
{
  if (!dsl_fold_paned_get_show_end_child (self->fold))
    return;
  dsl_fold_paned_set_show_end_child (self->fold, FALSE);
  _dsl_window_update_header_buttons (self);
  /* The focus was in the sidebar, hidden now: back to the selected row. */
  if (dsl_fold_paned_get_folded (self->fold))
    dsl_item_tree_focus_selected (DSL_ITEM_TREE (self->tree));
}

static void
on_item_activated (DslWindow *self,
                   DslItem   *item)
{
  _dsl_window_show_details_pane (self);
}
static void
create_tree (DslWindow *self)
{
  self->tree = dsl_item_tree_new ();
  adw_bin_set_child (self->tree_bin, self->tree);
  g_signal_connect_object (self->tree, "notify::selected-item",
                           G_CALLBACK (_dsl_window_update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tree, "item-activated",
                           G_CALLBACK (on_item_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (on_window_map), NULL);
}

/* --- GObject --- */

static void
dsl_window_constructed (GObject *object)
{
  DslWindow *self = DSL_WINDOW (object);
  DslAccount *last = NULL;
  g_autofree char *initial = NULL;

  G_OBJECT_CLASS (dsl_window_parent_class)->constructed (object);

  if (self->session == NULL)
    {
      /* Without an application (widget tests): a session of its own. Running from the build
       * tree without GSETTINGS_SCHEMA_DIR must not abort: the window then just does not
       * remember its size or accounts. */
      g_autoptr(GSettings) settings = dsl_session_settings_new ();

      self->session = dsl_session_new (NULL, settings);
    }
  _dsl_window_follow_session (self);

  if (dsl_session_get_accounts (self->session) != NULL)
    last = dsl_account_store_get_last (dsl_session_get_accounts (self->session));
  if (self->initial_portal != NULL && *self->initial_portal != '\0')
    initial = dsl_client_normalize_url (self->initial_portal, NULL);

  _dsl_window_rebuild_account_menu (self);

  if (last != NULL && (self->initial_portal == NULL || *self->initial_portal == '\0' ||
                       g_strcmp0 (initial, dsl_account_get_portal (last)) == 0))
    _dsl_window_activate_account (self, last);
  else
    /* --portal names another portal: sign in there; Cancel goes back to the last account. */
    _dsl_window_show_sign_in (self, self->initial_portal, NULL, FALSE, last != NULL);
}

static void
dsl_window_dispose (GObject *object)
{
  DslWindow *self = DSL_WINDOW (object);

  if (self->session != NULL)
    {
      /* The session outlives the window (the application's): it stops connecting and drops
       * the client (the monitor keeps its own), as the window stops showing it. */
      g_signal_handlers_disconnect_by_data (self->session, self);
      if (dsl_session_get_accounts (self->session) != NULL)
        g_signal_handlers_disconnect_by_data (dsl_session_get_accounts (self->session), self);
      g_binding_group_set_source (self->client_bindings, NULL);
      if (self->monitor_connected)
        g_signal_handlers_disconnect_by_data (dsl_session_get_monitor (self->session), self);
      dsl_session_disconnect (self->session);
    }
  if (self->account_signals != NULL)
    g_signal_group_set_target (self->account_signals, NULL);
  g_clear_handle_id (&self->header_idle_id, g_source_remove);
  drop_first_frame_hook (self);
  if (self->shortcuts_window != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->shortcuts_window),
                                    (gpointer *) &self->shortcuts_window);
      gtk_window_destroy (self->shortcuts_window);
      self->shortcuts_window = NULL;
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

  g_clear_object (&self->session);
  g_clear_object (&self->client_bindings);
  g_clear_object (&self->account_signals);
  g_clear_object (&self->account_menu);

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

    case PROP_SESSION:
      g_set_object (&self->session, g_value_get_object (value));
      break;

    case PROP_ACTIVE_ACCOUNT:
      /* From the account menu (win.account). */
      _dsl_window_switch_to_account_key (self, g_value_get_string (value));
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

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_ACTIVE_ACCOUNT:
      g_value_take_string (value, account_of (self) != NULL ? dsl_account_dup_key (account_of (self))
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
   * DslWindow:session:
   *
   * The signed-in account, its client, the settings and the link monitor (the
   * application's; without one, the window makes its own).
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, DSL_TYPE_SESSION,
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

  _dsl_window_class_init_actions (widget_class);
}
static void
dsl_window_init (DslWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->account_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->account_button, G_MENU_MODEL (self->account_menu));
  create_tree (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", FALSE);

  /* The account's name (a GSignalGroup: the target follows the session's account). */
  self->account_signals = g_signal_group_new (DSL_TYPE_ACCOUNT);
  /* The tree and the sidebar follow the session's client (ensure_details binds the sidebar). */
  self->client_bindings = g_binding_group_new ();
  g_binding_group_bind (self->client_bindings, "client", self->tree, "client",
                        G_BINDING_SYNC_CREATE);

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
DslSession *
dsl_window_get_session (DslWindow *self)
{
  g_return_val_if_fail (DSL_IS_WINDOW (self), NULL);

  return self->session;
}

DslLinkMonitor *
dsl_window_get_monitor (DslWindow *self)
{
  DslLinkMonitor *monitor;

  g_return_val_if_fail (DSL_IS_WINDOW (self), NULL);

  monitor = dsl_session_get_monitor (self->session);
  if (!self->monitor_connected)
    {
      self->monitor_connected = TRUE;
      g_signal_connect_object (monitor, "guard-checked", G_CALLBACK (_dsl_window_on_guard_checked),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (monitor, "store-problem", G_CALLBACK (_dsl_window_on_store_problem),
                               self, G_CONNECT_SWAPPED);
      /* a state file that did not load whole before this window listened */
      {
        g_auto(GStrv) problems = dsl_link_monitor_take_load_problems (monitor);

        for (guint i = 0; problems[i] != NULL; i++)
          _dsl_window_on_store_problem (self, NULL, problems[i]);
      }
    }
  return monitor;
}

DslWindow *
dsl_window_new (GtkApplication *application,
                DslSession     *session,
                const char     *portal)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (session == NULL || DSL_IS_SESSION (session), NULL);

  return g_object_new (DSL_TYPE_WINDOW,
                       "application", application,
                       "session", session,
                       "portal", portal,
                       NULL);
}


/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-window-private.h: what the files of the main window share (GNOME Text Editor's
 * editor-window-private.h is the model):
 *   dsl-window.c           the GObject, the tree and the sidebar, narrow windows
 *   dsl-window-accounts.c  following the session: header, account menu, sign-in page,
 *                          switching accounts, a portal or a search result from outside
 *   dsl-window-actions.c   the win.* actions and their keys, Find Link, the link checkup,
 *                          Check Now and what the guard did, the shortcuts window */
#pragma once

#include <string.h>
#include <glib/gi18n.h>

#include "dsl-account.h"
#include "dsl-checkup-window.h"
#include "dsl-client.h"
#include "dsl-find-link-dialog.h"
#include "dsl-fold-paned.h"
#include "dsl-item-details.h"
#include "dsl-item-tree.h"
#include "dsl-link-monitor.h"
#include "dsl-link-panel.h"
#include "dsl-session.h"
#include "dsl-sign-in-page.h"
#include "dsl-ui-util.h"
#include "dsl-window.h"

G_BEGIN_DECLS

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
  DslSession       *session;          /* the account shown, its client, settings and monitor */
  GSignalGroup     *account_signals;  /* on the session's account: its name */
  gboolean          check_requested;  /* win.check-now: say how the next check went */
  GMenu            *account_menu;
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

  GBindingGroup    *client_bindings;  /* the session's client into the tree and the sidebar */

  /* plain values */
  gboolean          monitor_connected; /* dsl_window_get_monitor has connected to it */
  gulong            first_frame_handler;
  guint             header_idle_id;   /* update_header_buttons () after a fold */
};

/* --- Small helpers --- */

static inline DslAccount *
account_of (DslWindow *self)
{
  return dsl_session_get_account (self->session);
}

static inline DslClient *
client_of (DslWindow *self)
{
  return dsl_session_get_client (self->session);
}


/* `title` is plain text: toasts take markup in libadwaita 1.2, and titles hold error messages
 * from the network or the system, item titles and portal names. */
static inline void
add_toast (DslWindow  *self,
           const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, dsl_plain_toast_new (title));
}

static inline gboolean
on_main_page (DslWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "main") == 0;
}

/* dsl-window.c */
DslLinkPanel *_dsl_window_link_panel            (DslWindow      *self);
void          _dsl_window_show_details_pane     (DslWindow      *self);
void          _dsl_window_show_tree_pane        (DslWindow      *self);
void          _dsl_window_update_header_buttons (DslWindow      *self);

/* dsl-window-accounts.c */
void          _dsl_window_update_actions        (DslWindow      *self);
void          _dsl_window_rebuild_account_menu  (DslWindow      *self);
void          _dsl_window_show_sign_in          (DslWindow      *self,
                                                 const char     *portal,
                                                 const char     *message,
                                                 gboolean        use_password,
                                                 gboolean        can_cancel);
void          _dsl_window_activate_account      (DslWindow      *self,
                                                 DslAccount     *account);
void          _dsl_window_follow_session        (DslWindow      *self);
void          _dsl_window_switch_to_account_key (DslWindow      *self,
                                                 const char     *key);

/* dsl-window-actions.c */
void          _dsl_window_class_init_actions    (GtkWidgetClass *widget_class);
void          _dsl_window_on_guard_checked      (DslWindow      *self,
                                                 const char     *key,
                                                 GPtrArray      *results,
                                                 const GError   *error);
void          _dsl_window_on_store_problem      (DslWindow      *self,
                                                 const char     *key,
                                                 const char     *message);

G_END_DECLS

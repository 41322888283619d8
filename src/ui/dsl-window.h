/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-window.h: the main window: sign in with an API key, then the signed-in account's rooms */
#pragma once

#include <adwaita.h>

#include "dsl-session.h"

G_BEGIN_DECLS

#define DSL_TYPE_WINDOW (dsl_window_get_type ())
G_DECLARE_FINAL_TYPE (DslWindow, dsl_window, DSL, WINDOW, AdwApplicationWindow)

/* `application` may be NULL (tests). `session` (the application's) holds the accounts, the
 * active one and its client; NULL: the window makes its own (tests). `portal` prefills the
 * portal address; NULL uses the last account's portal from GSettings, if any. */
DslWindow *dsl_window_new         (GtkApplication *application,
                                   DslSession     *session,
                                   const char     *portal);
/* A portal address from a later start (--portal or the argument): switches to an account on
 * that portal, or shows the sign-in page for it. */
void       dsl_window_open_portal (DslWindow      *self,
                                   const char     *portal);

/* Find Link (win.find-link): presents the window's Find Link dialog (made on first use) and,
 * with a `url`, looks it up (once the account has its client). transfer none. */
typedef struct _DslFindLinkDialog DslFindLinkDialog;
DslFindLinkDialog *dsl_window_find_link (DslWindow  *self,
                                         const char *url);

/* A search result (dsl-search-provider.c): shows the account `account_key` ("<user id>
 * <portal>", one of the stored accounts; switching to it and reading its key from the keyring
 * when it is not the one shown) and selects the item at `path` in the tree (ids from the root,
 * as dsl_item_tree_dup_selected_path) once its client is ready. */
void       dsl_window_show_item   (DslWindow      *self,
                                   const char     *account_key,
                                   const char     *path);

/* The window's session (transfer none) and its link monitor, whose guard checks and store
 * problems the window shows (transfer none). */
DslSession     *dsl_window_get_session (DslWindow *self);
DslLinkMonitor *dsl_window_get_monitor (DslWindow *self);

G_END_DECLS

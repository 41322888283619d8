/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-search-provider.h: org.gnome.Shell.SearchProvider2 on APP_PATH/SearchProvider: the
 * overview finds the rooms, folders and files of every account by name, from each account's
 * search index (dsl-search-index.h: never a request), and a pasted share URL as "Find Link…"
 * (issue 15 "GNOME Shell search provider"). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The result id of a share URL: this prefix, then the URL. */
#define DSL_SEARCH_PROVIDER_FIND_LINK_PREFIX "find-link:"

#define DSL_TYPE_SEARCH_PROVIDER (dsl_search_provider_get_type ())
G_DECLARE_FINAL_TYPE (DslSearchProvider, dsl_search_provider, DSL, SEARCH_PROVIDER, GObject)

/* The accounts come from `settings` (nullable: none; read on first use). `application` is
 * held while a call runs and a little after, and activated by LaunchSearch. */
DslSearchProvider *dsl_search_provider_new        (GApplication      *application,
                                                   GSettings         *settings);
/* Exports the interface on `connection` at `object_path`. */
gboolean           dsl_search_provider_register   (DslSearchProvider *self,
                                                   GDBusConnection   *connection,
                                                   const char        *object_path,
                                                   GError           **error);
void               dsl_search_provider_unregister (DslSearchProvider *self);
/* Starts reading the search index of each account of `settings` in a thread
 * (dsl_search_index_preload_shared). */
void               dsl_search_provider_preload    (DslSearchProvider *self,
                                                   GSettings         *settings);

/* The result ids for `terms` (transfer full, NULL-terminated): the search of D-Bus's
 * GetInitialResultSet, or with `previous` (nullable) of GetSubsearchResultSet. */
char             **dsl_search_provider_search     (DslSearchProvider  *self,
                                                   const char * const *terms,
                                                   const char * const *previous);

/* Signals (ActivateResult; the application shows them in its window, made if needed):
 *  "show-item" (const char *account_key (nullable), const char *path (nullable),
 *               guint timestamp)  a result of an account's index: the account and the item's
 *               path in the tree (ids from the root), both NULL when the index no longer has it.
 *  "find-link" (const char *url, guint timestamp)  a share URL typed in the overview. */

G_END_DECLS

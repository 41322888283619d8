/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-search-provider.h: org.gnome.Shell.SearchProvider2 on APP_PATH/SearchProvider: the
 * overview finds the rooms, folders and files of every account by name, from each account's
 * search index (dsl-search-index.h: never a request), and a pasted share URL as "Find Link…"
 * (issue 15 "GNOME Shell search provider"). */
#pragma once

#include "dsl-application.h"

G_BEGIN_DECLS

/* The result id of a share URL: this prefix, then the URL. */
#define DSL_SEARCH_PROVIDER_FIND_LINK_PREFIX "find-link:"

#define DSL_TYPE_SEARCH_PROVIDER (dsl_search_provider_get_type ())
G_DECLARE_FINAL_TYPE (DslSearchProvider, dsl_search_provider, DSL, SEARCH_PROVIDER, GObject)

/* The accounts come from the application's settings (dsl_application_get_settings, read
 * on first use); activation opens the application's window. */
DslSearchProvider *dsl_search_provider_new        (DslApplication    *application);
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

G_END_DECLS

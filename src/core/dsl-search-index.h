/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-search-index.h: what the GNOME Shell search provider searches (issue 15 "GNOME Shell
 * search provider"): the rooms, folders and files of one account by name, where each is (its
 * parent chain up to Rooms or My documents) and how many external links it has, from the
 * pages the tree loaded and the account's last link scan. Kept on disk per account in
 * g_get_user_cache_dir()/docspace-links/search-<hash>.json, so a search never sends a request
 * and works while the app is not running. No secrets: ids, titles and link counts only. */
#pragma once

#include <gio/gio.h>

#include "dsl-client.h"
#include "dsl-enums.h"

G_BEGIN_DECLS

/* Items kept per account at most (further items are not added, records beyond are not read). */
#define DSL_SEARCH_INDEX_MAX_ITEMS 100000
/* An id longer than this (bytes) is not kept; a title longer is cut (at a character). */
#define DSL_SEARCH_INDEX_MAX_ID 256
#define DSL_SEARCH_INDEX_MAX_TITLE 1024
/* Parents followed at most from an item to its root. */
#define DSL_SEARCH_INDEX_MAX_DEPTH 64

/* One search hit: the item id and how well it matched (lower is better: 0 every term starts
 * the name, 1 every term starts a word of it, 2 some term is inside a word). */
typedef struct {
  char  *id;
  char  *sort_key;  /* the folded name: ties are broken by it */
  guint  rank;
} DslSearchHit;

void dsl_search_hit_free (DslSearchHit *hit);

#define DSL_TYPE_SEARCH_INDEX (dsl_search_index_get_type ())
G_DECLARE_FINAL_TYPE (DslSearchIndex, dsl_search_index, DSL, SEARCH_INDEX, GObject)

/* g_get_user_cache_dir()/docspace-links/search-<first 16 hex digits of sha256(key)>.json:
 * the account key ("<user id> <portal>") is not written in the file name (transfer full). */
char           *dsl_search_index_path_for_account (const char *account_key);

/* An empty index kept at `path` (not loaded). */
DslSearchIndex *dsl_search_index_new_for_path     (const char *path);
const char     *dsl_search_index_get_path         (DslSearchIndex *self);

/* The process's index of the account (transfer none; made and loaded from its path on first
 * use, saved a moment after each change, kept until dsl_search_index_shared_shutdown). */
DslSearchIndex *dsl_search_index_get_shared       (const char *account_key);
/* Starts reading the account's index from its file in a thread, unless the process has it
 * already: a service started by D-Bus calls it before its start-up, so that the first search
 * waits only for what is left of the reading (dsl_search_index_get_shared waits for it). */
void            dsl_search_index_preload_shared   (const char *account_key);
/* Saves every shared index with unsaved changes (the application calls it when it ends). */
void            dsl_search_index_shared_flush     (void);

/* What a title is searched as: " café menu " (its words, folded as g_str_tokenize_and_fold()
 * folds them, between spaces), and in `*ascii` their ASCII forms " cafe menu ", or NULL when
 * the same (both transfer full). */
char           *dsl_search_index_fold_title       (const char  *title,
                                                   char       **ascii);

/* Replaces the contents with the file's. A missing file is an empty index (TRUE). The file is
 * not trusted: a record with a member missing, of the wrong type, an unknown kind, an id over
 * DSL_SEARCH_INDEX_MAX_ID bytes or a title over DSL_SEARCH_INDEX_MAX_TITLE is skipped and
 * reported in the load problems ("record 3: …"); text is made valid UTF-8. A file that is not
 * an index (not JSON, another format, over DSL_STATE_FILE_MAX_SIZE, nested too deep, more than
 * DSL_SEARCH_INDEX_MAX_ITEMS records) leaves the index empty and gives G_FILE_ERROR_FAILED
 * (FALSE): it is a cache, the next save replaces it. */
gboolean        dsl_search_index_load             (DslSearchIndex *self,
                                                   GError        **error);
/* What the last load skipped, one plain-text sentence each (empty when none; borrowed). */
const char * const *dsl_search_index_get_load_problems (DslSearchIndex *self);
/* Atomic (dsl_state_file_write: mode 0600, the directory made). */
gboolean        dsl_search_index_save             (DslSearchIndex *self,
                                                   GError        **error);
/* Saves `delay_ms` after the first unsaved change (0, the default: only when asked). */
void            dsl_search_index_set_autosave     (DslSearchIndex *self,
                                                   guint           delay_ms);
gboolean        dsl_search_index_get_dirty        (DslSearchIndex *self);

/* --- Feeding --- */

/* Adds or updates one item, a child of `parent_id` ("@rooms", "@my" or a container's id).
 * An id or parent id that is empty or over DSL_SEARCH_INDEX_MAX_ID is ignored (FALSE); so is a
 * new item when the index holds DSL_SEARCH_INDEX_MAX_ITEMS. */
gboolean        dsl_search_index_add              (DslSearchIndex *self,
                                                   const char     *parent_id,
                                                   const char     *id,
                                                   const char     *title,
                                                   DslItemKind     kind);
/* The same for a page of the container `parent_id` (element-type DslItem). */
void            dsl_search_index_add_items        (DslSearchIndex *self,
                                                   const char     *parent_id,
                                                   GPtrArray      *items);
/* The link counts of a finished link scan (element-type DslLinkScanRow, dsl-link-scan.h): every
 * item's counts are replaced (an item without a row has none), and the scan's time kept. */
void            dsl_search_index_set_links        (DslSearchIndex *self,
                                                   GListModel     *rows,
                                                   GDateTime      *scanned_at);
/* A walk of the whole portal (a link scan) starts: the items added from now on are noted, so
 * that dsl_search_index_end_walk can drop the ones the portal no longer has. */
void            dsl_search_index_begin_walk       (DslSearchIndex *self);
/* The walk ended. `complete`: it read every listing (no failure, not stopped): the items not
 * added since begin_walk are removed (deleted, or moved to the Archive or the trash). Returns
 * how many were removed. */
guint           dsl_search_index_end_walk         (DslSearchIndex *self,
                                                   gboolean        complete);
/* When the link counts were taken (NULL: never; transfer none). */
GDateTime      *dsl_search_index_get_scanned_at   (DslSearchIndex *self);
guint           dsl_search_index_get_n_items      (DslSearchIndex *self);

/* Hooks: the index the account's client feeds (a client holds a reference to it). The folder
 * model and the link scan call the feed functions with their client; without an attached
 * index they do nothing. */
void            dsl_search_index_attach_client    (DslSearchIndex *self,
                                                   DslClient      *client);
DslSearchIndex *dsl_search_index_for_client       (DslClient      *client);
void            dsl_search_index_feed_page        (DslClient      *client,
                                                   const char     *parent_id,
                                                   GPtrArray      *items);
void            dsl_search_index_feed_scan_start  (DslClient      *client);
/* A scan's end: `complete` as for end_walk; the link counts are taken from `rows` when the
 * scan was not stopped by an error (`rows` NULL: it was). */
void            dsl_search_index_feed_scan        (DslClient      *client,
                                                   GListModel     *rows,
                                                   GDateTime      *scanned_at,
                                                   gboolean        complete);

/* --- Searching (in memory: never a request) --- */

/* The items whose name matches every term (element-type DslSearchHit, best first, all of them:
 * GNOME Shell shows a few and narrows them with a subsearch, which must find every one): each term is tokenized and folded as g_str_tokenize_and_fold
 * does (case and accents do not matter), and each of its words must start a word of the name
 * or occur inside it. Items that cannot be reached from a root are left out. `within`
 * (nullable, NULL-terminated ids) limits the search to those items (a subsearch). */
GPtrArray      *dsl_search_index_search           (DslSearchIndex     *self,
                                                   const char * const *terms,
                                                   const char * const *within);
/* Orders hits as the search does (for merging the hits of several indexes). */
int             dsl_search_hit_compare            (const DslSearchHit *a,
                                                   const DslSearchHit *b);

/* --- One item --- */

gboolean        dsl_search_index_contains         (DslSearchIndex *self,
                                                   const char     *id);
const char     *dsl_search_index_get_title        (DslSearchIndex *self,
                                                   const char     *id);
DslItemKind     dsl_search_index_get_kind         (DslSearchIndex *self,
                                                   const char     *id);
/* Ids from the root joined by "/", as DslItemTree's paths ("@rooms/101/201/301"), or NULL when
 * the item is unknown or its parents do not lead to a root. */
char           *dsl_search_index_dup_path         (DslSearchIndex *self,
                                                   const char     *id);
/* The titles above the item, "Rooms › Marketing › Campaigns" (translated root names), or NULL
 * as above. */
char           *dsl_search_index_dup_location     (DslSearchIndex *self,
                                                   const char     *id);
/* "3 links, 1 expiring", "1 link, 1 expired", "No links" (translated), or NULL when no scan
 * was recorded. */
char           *dsl_search_index_dup_link_state   (DslSearchIndex *self,
                                                   const char     *id);

G_END_DECLS

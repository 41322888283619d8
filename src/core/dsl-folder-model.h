/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-folder-model.h: the children of one container as a GListModel of DslItem, read from the
 * portal lazily, one page (100 items) per request, only when asked for. */
#pragma once

#include <gio/gio.h>
#include "dsl-client.h"

G_BEGIN_DECLS

/* Folder ids: DSL_FOLDER_ROOMS (the Rooms section), DSL_FOLDER_MY, or any folder's id
 * (dsl-client.h). */

#define DSL_TYPE_FOLDER_MODEL (dsl_folder_model_get_type ())
G_DECLARE_FINAL_TYPE (DslFolderModel, dsl_folder_model, DSL, FOLDER_MODEL, GObject)

/* Nothing is requested until dsl_folder_model_load_more() is called.
 * Properties (read-only, explicit notify): "client", "folder-id", "filter" (string or NULL),
 * "loading" (a request is in flight), "error" (G_TYPE_ERROR of the last failed page, or NULL),
 * "total" (int, -1 until the first page arrives), "complete" (every page loaded),
 * "n-requests" (uint: page requests sent so far, for tests and benchmarks), "n-pending" (uint:
 * items of the last page not appended yet, see set_chunk_size). */
DslFolderModel *dsl_folder_model_new          (DslClient      *client,
                                               const char     *folder_id,
                                               const char     *filter);
const char   *dsl_folder_model_get_folder_id  (DslFolderModel *self);
const char   *dsl_folder_model_get_filter     (DslFolderModel *self);
gboolean      dsl_folder_model_get_loading    (DslFolderModel *self);
const GError *dsl_folder_model_get_error      (DslFolderModel *self);
int           dsl_folder_model_get_total      (DslFolderModel *self);
gboolean      dsl_folder_model_get_complete   (DslFolderModel *self);
guint         dsl_folder_model_get_n_requests (DslFolderModel *self);

/* Requests the next page (startIndex = items loaded so far) unless one is in flight, every page
 * is loaded, or the last page failed (then call retry). The first call loads page 0. */
void          dsl_folder_model_load_more      (DslFolderModel *self);
/* Clears the error and requests the page that failed. */
void          dsl_folder_model_retry          (DslFolderModel *self);
/* Re-reads the pages loaded so far (one request per page). Items whose id is still there are
 * updated in place (the same DslItem object, see dsl_item_update_from), so rows, expansion and
 * selection built on them survive; vanished items are removed and new ones inserted. */
void          dsl_folder_model_refresh        (DslFolderModel *self);
/* Changes the server-side filter (filterValue): cancels what is in flight, empties the model and
 * loads page 0 of the new query. NULL or "" = no filter. */
void          dsl_folder_model_set_filter     (DslFolderModel *self,
                                               const char     *filter);
/* Cancels what is in flight (loading becomes FALSE); items already received are appended. */
void          dsl_folder_model_cancel         (DslFolderModel *self);

/* With a chunk size, a page that arrives is kept pending ("n-pending" notifies; "loading" stays
 * TRUE and "complete" waits) until flush_pending appends it, `chunk_size` items per call being
 * what the owner is expected to ask for. 0 (the default) appends every page whole at once. */
void          dsl_folder_model_set_chunk_size (DslFolderModel *self,
                                               guint           chunk_size);
guint         dsl_folder_model_get_n_pending  (DslFolderModel *self);
/* Appends up to `max` pending items (0: all); returns how many it appended. */
guint         dsl_folder_model_flush_pending  (DslFolderModel *self,
                                               guint           max);

G_END_DECLS

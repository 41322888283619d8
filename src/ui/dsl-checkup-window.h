/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-checkup-window.h: the link checkup (issue 5): every external link of an account in one
 * table, with filters, search, bulk Revoke / Extend / Remove all expired, and CSV export. */
#pragma once

#include <adwaita.h>

#include "dsl-link-scan.h"

G_BEGIN_DECLS

#define DSL_TYPE_CHECKUP_WINDOW (dsl_checkup_window_get_type ())
G_DECLARE_FINAL_TYPE (DslCheckupWindow, dsl_checkup_window, DSL, CHECKUP_WINDOW, AdwWindow)

/* A window over `scan` (an account's DslLinkScan, kept by the link monitor), transient for
 * `parent` (nullable). Starts the scan when it has never run. */
DslCheckupWindow  *dsl_checkup_window_new           (GtkWindow        *parent,
                                                     DslLinkScan      *scan);
DslLinkScan       *dsl_checkup_window_get_scan      (DslCheckupWindow *self);
/* The rows shown: the scan's rows filtered and sorted as in the table (element-type
 * DslLinkScanRow). transfer none */
GListModel        *dsl_checkup_window_get_shown     (DslCheckupWindow *self);
/* The table's selection over dsl_checkup_window_get_shown. transfer none */
GtkSelectionModel *dsl_checkup_window_get_selection (DslCheckupWindow *self);
/* Bulk changes queued or in flight. */
guint              dsl_checkup_window_get_n_pending (DslCheckupWindow *self);

/* What the last bulk change did to a link, shown on its row (dsl-link-ops decides; the window
 * reports). */
typedef enum {
  DSL_CHECKUP_OUTCOME_NONE,          /* not touched since the scan */
  DSL_CHECKUP_OUTCOME_APPLIED,       /* the portal holds the change (a removed link's row goes) */
  DSL_CHECKUP_OUTCOME_NOT_APPLIED,   /* the portal skipped it, or it could not apply; why */
  DSL_CHECKUP_OUTCOME_GONE,          /* someone else removed the link; the row stays, marked */
  DSL_CHECKUP_OUTCOME_CHANGED,       /* someone else changed it since the scan: nothing sent; the
                                        row shows the portal's state now */
  DSL_CHECKUP_OUTCOME_FAILED,        /* refused (also: not yours to remove) or no answer */
} DslCheckupOutcome;

/* The last bulk change's outcome on the link's row; *message (optional) gets its words
 * (transfer none, NULL for NONE). */
DslCheckupOutcome  dsl_checkup_window_get_row_outcome (DslCheckupWindow *self,
                                                       const char       *link_id,
                                                       const char      **message);
/* The words of the last bulk change's outcome on the link's row when it is not APPLIED, or
 * NULL (none, or it succeeded). */
const char        *dsl_checkup_window_get_row_error (DslCheckupWindow *self,
                                                     const char       *link_id);

/* Writes the shown rows as CSV (dsl_link_scan_rows_to_csv) to `file`, replacing it. The save
 * dialog (checkup.export) calls this and shows a toast with the outcome. */
void               dsl_checkup_window_export_async  (DslCheckupWindow    *self,
                                                     GFile               *file,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean           dsl_checkup_window_export_finish (DslCheckupWindow    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS

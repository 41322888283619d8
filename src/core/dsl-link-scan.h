/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-scan.h: the link checkup without GTK: every external link the person can manage
 * across the portal (Rooms and My documents, walked page by page), as a GListModel of rows,
 * with the predicates and comparisons a checkup view wraps in its filter and sort models, and
 * CSV export (docspace-api.md §3, §4, §6; issue 5 "Link checkup"). */
#pragma once

#include <gio/gio.h>

#include "dsl-client.h"

G_BEGIN_DECLS

/* --- One row: an item and one of its external links --- */

typedef enum {
  DSL_LINK_SCAN_STATE_ACTIVE,
  DSL_LINK_SCAN_STATE_EXPIRING_SOON,   /* expires within 7 (calendar) days of the check */
  DSL_LINK_SCAN_STATE_EXPIRED,
} DslLinkScanState;

#define DSL_TYPE_LINK_SCAN_ROW (dsl_link_scan_row_get_type ())
G_DECLARE_FINAL_TYPE (DslLinkScanRow, dsl_link_scan_row, DSL, LINK_SCAN_ROW, GObject)

/* `location` is where the item is, e.g. "Rooms › Marketing › Campaigns" (the containers above
 * it, not the item itself). `link` may be NULL for a failure row, then `error` says what went
 * wrong with the item (reading its contents or its links). The state is derived once, at
 * `checked_at` (NULL = now): EXPIRED when the server says so or the expiry is not after
 * checked_at, EXPIRING_SOON when it is within 7 days (dsl_link_expires_within), else ACTIVE.
 * Properties (read-only, construct-only): "item" DslItem, "location" string, "link" DslLink,
 * "error" G_TYPE_ERROR, "checked-at" GDateTime, "state" DslLinkScanState (as int). */
DslLinkScanRow   *dsl_link_scan_row_new          (DslItem      *item,
                                                  const char   *location,
                                                  DslLink      *link,
                                                  const GError *error,
                                                  GDateTime    *checked_at);
DslItem          *dsl_link_scan_row_get_item     (DslLinkScanRow *self);
const char       *dsl_link_scan_row_get_location (DslLinkScanRow *self);
DslLink          *dsl_link_scan_row_get_link     (DslLinkScanRow *self);
const GError     *dsl_link_scan_row_get_error    (DslLinkScanRow *self);
GDateTime        *dsl_link_scan_row_get_checked_at (DslLinkScanRow *self);
DslLinkScanState  dsl_link_scan_row_get_state    (DslLinkScanRow *self);

/* "Active", "Expiring soon", "Expired" (translated) */
const char       *dsl_link_scan_state_describe   (DslLinkScanState state);

/* --- Filters (for a GtkCustomFilter in the view) --- */

typedef enum {
  DSL_LINK_SCAN_FILTER_NONE            = 0,
  /* state: a row passes when its state is one of the chosen ones (OR) */
  DSL_LINK_SCAN_FILTER_EXPIRED         = 1 << 0,
  DSL_LINK_SCAN_FILTER_EXPIRING_SOON   = 1 << 1,
  /* each of these must hold (AND) */
  DSL_LINK_SCAN_FILTER_NO_PASSWORD     = 1 << 2,
  DSL_LINK_SCAN_FILTER_NO_EXPIRY       = 1 << 3,
  DSL_LINK_SCAN_FILTER_ANYONE_CAN_EDIT = 1 << 4,   /* access Editing and not internal */
  /* audience: a row passes when its audience is one of the chosen ones (OR) */
  DSL_LINK_SCAN_FILTER_ANYONE          = 1 << 5,   /* not internal */
  DSL_LINK_SCAN_FILTER_PORTAL_USERS    = 1 << 6,   /* internal */
} DslLinkScanFilterFlags;

typedef struct {
  DslLinkScanFilterFlags flags;
} DslLinkScanFilter;

/* TRUE when `row` (a link row; failure rows never match) passes `filter` (NULL = no flags) and
 * `search` (NULL or blank = anything). The groups above are combined with AND. The search is
 * split at white space; every word must occur, case-insensitively (casefolded, NFKC), in the
 * item title, the location, the link title or the URL. */
gboolean          dsl_link_scan_row_matches      (DslLinkScanRow          *row,
                                                  const DslLinkScanFilter *filter,
                                                  const char              *search);

/* --- Sorting (for a GtkCustomSorter) --- */

typedef enum {
  DSL_LINK_SCAN_COLUMN_ITEM,       /* item title, collated */
  DSL_LINK_SCAN_COLUMN_LOCATION,   /* location, collated */
  DSL_LINK_SCAN_COLUMN_TITLE,      /* link title, collated */
  DSL_LINK_SCAN_COLUMN_ACCESS,     /* least to most: View only, Form filling, Comment, Review,
                                      Editing, then anything else by number */
  DSL_LINK_SCAN_COLUMN_AUDIENCE,   /* portal users only, then anyone with the link */
  DSL_LINK_SCAN_COLUMN_EXPIRY,     /* earliest first; never-expiring links last */
  DSL_LINK_SCAN_COLUMN_PASSWORD,   /* without a password first */
  DSL_LINK_SCAN_COLUMN_STATE,      /* expired, expiring soon, active */
} DslLinkScanColumn;

/* Ascending order by `column` (-1, 0, 1); ties are broken by item title, location, link title
 * and link id, so the order is total and the same on every run. Failure rows sort after link
 * rows. Negate for descending. */
int               dsl_link_scan_row_compare      (DslLinkScanRow    *a,
                                                  DslLinkScanRow    *b,
                                                  DslLinkScanColumn  column);

/* --- CSV export --- */

/* RFC 4180 CSV in UTF-8 of the link rows of `rows` (element-type DslLinkScanRow; failure rows
 * are skipped) in model order: a header row "Item,Location,Link,URL,Access,Audience,Expires,
 * Password,State" (translated), then one line per link; lines end in CRLF; fields holding a
 * comma, a double quote, CR or LF are quoted, inner quotes doubled. Access and audience in
 * words (dsl_link_describe_access/_audience), Expires as ISO 8601 with the link's offset
 * ("2026-07-01T18:00:00+03:00", empty when it never expires), Password "yes" or "no" — the
 * password itself is never written — and State in words (dsl_link_scan_state_describe). A field
 * starting with =, +, -, @, tab or CR gets a leading apostrophe, so a spreadsheet shows it
 * instead of running it as a formula (titles are written by other people). */
GBytes           *dsl_link_scan_rows_to_csv      (GListModel    *rows);
/* The same, written to `out` (synchronously; the caller owns and closes the stream). */
gboolean          dsl_link_scan_write_csv        (GListModel    *rows,
                                                  GOutputStream *out,
                                                  GCancellable  *cancellable,
                                                  GError       **error);

/* --- The scan --- */

#define DSL_TYPE_LINK_SCAN (dsl_link_scan_get_type ())
G_DECLARE_FINAL_TYPE (DslLinkScan, dsl_link_scan, DSL, LINK_SCAN, GObject)

/* Properties (read-only, explicit notify): "client" (construct-only), "running", "items-scanned"
 * (uint: rooms, folders and files seen), "links-found" (uint: rows in the rows model),
 * "n-failures" (uint: rows in the failures model), "error" (G_TYPE_ERROR: what stopped the
 * last run early — the credentials were refused —, else NULL).
 * Signal "finished" (void): a run has ended by itself (walked everything, or stopped by
 * "error"); not emitted for cancel, a restart or dispose. */
DslLinkScan      *dsl_link_scan_new              (DslClient   *client);
DslClient        *dsl_link_scan_get_client       (DslLinkScan *self);

/* Starts a run: clears the rows, failures and counters of the last run (a run under way is
 * cancelled first) and walks GET files/rooms (active rooms only, so the Archive is left out)
 * and GET files/@my, every container recursively, 100 items per page (the pages after the
 * first of a listing are requested together). It asks for links only of files and folders
 * whose `shared` flag is set and of rooms that can have external links (canShare and not a
 * Collaboration, VDR or AI room: dsl_link_form_explain_no_links), at most
 * DSL_CLIENT_MAX_IN_FLIGHT requests at a time. Room invitation links are not listed. A
 * link seen on two items (a file in a Form-filling room shows the room's link) is one row, on
 * the room. A 429 pauses the client (every request of every caller) for its Retry-After, up to
 * DSL_CLIENT_MAX_PAUSE_SECONDS (the client has retried a GET twice already); the scan waits for
 * it and repeats the request, up to 8 times; a longer Retry-After, or any other failure, is
 * recorded as a failure row for the container or item and the walk goes on, except 401 (stops the run,
 * "error"). A My documents that does not exist (guests: 404) is not a failure. */
void              dsl_link_scan_start            (DslLinkScan *self);
/* Cancels what is in flight and sends nothing more; rows found so far stay. */
void              dsl_link_scan_cancel           (DslLinkScan *self);

gboolean          dsl_link_scan_get_running      (DslLinkScan *self);
guint             dsl_link_scan_get_items_scanned (DslLinkScan *self);
guint             dsl_link_scan_get_links_found  (DslLinkScan *self);
guint             dsl_link_scan_get_n_failures   (DslLinkScan *self);
const GError     *dsl_link_scan_get_error        (DslLinkScan *self);
/* After a change made through the client (the checkup's bulk actions): the row of link
 * `link_id` shows `link` instead (what the server stored: a new expiry, or the regenerated
 * link of a canRevoke link), or is removed when `link` is NULL (revoked, removed). The item,
 * location and checked-at stay. FALSE when no row holds that link. */
gboolean          dsl_link_scan_update_link      (DslLinkScan *self,
                                                  const char  *link_id,
                                                  DslLink     *link);
/* element-type DslLinkScanRow (link rows), in the order found; kept until the next start. */
GListModel       *dsl_link_scan_get_rows         (DslLinkScan *self);
/* element-type DslLinkScanRow with a NULL link and an error: the items that failed. */
GListModel       *dsl_link_scan_get_failures     (DslLinkScan *self);

G_END_DECLS

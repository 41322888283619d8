/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-guard.h: the app's own download limits and expiry for external links, kept in a
 * file of its own and enforced through the audit trail (docspace-api.md §6.1, §7) */
#pragma once

#include <gio/gio.h>
#include "dsl-client.h"

G_BEGIN_DECLS

#define DSL_GUARD_ERROR (dsl_guard_error_quark ())

typedef enum {
  DSL_GUARD_ERROR_AUDIT_PAYMENT_REQUIRED, /* the audit filter answered 402 */
  DSL_GUARD_ERROR_AUDIT_FORBIDDEN,        /* 403: only portal administrators read the trail */
  DSL_GUARD_ERROR_AUDIT_NO_SCOPE,         /* 403 empty: the API key may not read the trail */
  DSL_GUARD_ERROR_AUDIT_UNFILTERED,       /* the filters were ignored: a plan without audit */
  DSL_GUARD_ERROR_CORRUPT_STORE,          /* the store file did not parse; it was moved aside */
  DSL_GUARD_ERROR_NOT_OVERWRITTEN,        /* a save would destroy the file: written by a newer
                                           * version (or damaged and not moved aside) */
} DslGuardError;

GQuark        dsl_guard_error_quark      (void);

/* TRUE for the DSL_GUARD_ERROR_AUDIT_* codes: the portal cannot count downloads for this
 * account, so only expiry is enforced. */
gboolean      dsl_guard_error_is_audit   (const GError *error);

typedef enum {
  DSL_GUARD_STATE_ACTIVE,
  DSL_GUARD_STATE_REVOKED_LIMIT,   /* revoked by the guard: the download limit was reached */
  DSL_GUARD_STATE_REVOKED_EXPIRED, /* revoked by the guard: the link had expired */
  DSL_GUARD_STATE_GONE,            /* the link (or its item) no longer exists on the server */
  DSL_GUARD_STATE_FAILED,          /* the last check failed (see last-error); checked again */
} DslGuardState;

/* "active", "revoked-limit", "revoked-expired", "gone", "failed" (the store's spelling). */
const char   *dsl_guard_state_to_string  (DslGuardState state);
gboolean      dsl_guard_state_from_string (const char    *text,
                                           DslGuardState *out_state);

/* --- DslGuardedLink: one guarded link (no secrets: never the link password) --- */

#define DSL_TYPE_GUARDED_LINK (dsl_guarded_link_get_type ())
G_DECLARE_FINAL_TYPE (DslGuardedLink, dsl_guarded_link, DSL, GUARDED_LINK, GObject)

/* Read-only properties (notified on a real change, for the sidebar's "k of N downloads"):
 * "link-id", "item-id", "item-title", "download-limit" uint, "expires" GDateTime,
 * "state" int (DslGuardState), "last-error" string, "downloads" int (-1 unknown).
 * `account_key` is "<user id> <portal>". `created` is converted to UTC (seconds kept);
 * `expires` may be NULL; `download_limit` 0 = none (expiry only). State ACTIVE, downloads -1. */
DslGuardedLink *dsl_guarded_link_new (const char  *account_key,
                                      const char  *link_id,
                                      const char  *item_id,
                                      DslItemKind  item_kind,
                                      const char  *item_title,
                                      const char  *share_link,
                                      guint        download_limit,
                                      GDateTime   *created,
                                      GDateTime   *expires);
const char   *dsl_guarded_link_get_account_key    (DslGuardedLink *self);
const char   *dsl_guarded_link_get_link_id        (DslGuardedLink *self);
const char   *dsl_guarded_link_get_item_id        (DslGuardedLink *self);
DslItemKind   dsl_guarded_link_get_item_kind      (DslGuardedLink *self);
const char   *dsl_guarded_link_get_item_title     (DslGuardedLink *self);
const char   *dsl_guarded_link_get_share_link     (DslGuardedLink *self);
guint         dsl_guarded_link_get_download_limit (DslGuardedLink *self);
GDateTime    *dsl_guarded_link_get_created        (DslGuardedLink *self);
GDateTime    *dsl_guarded_link_get_expires        (DslGuardedLink *self);
DslGuardState dsl_guarded_link_get_state          (DslGuardedLink *self);
/* When the guard revoked the link (REVOKED_LIMIT, REVOKED_EXPIRED; UTC, whole seconds; kept in
 * the store as "revoked"), or NULL. */
GDateTime    *dsl_guarded_link_get_revoked        (DslGuardedLink *self);
/* The message of the last failure (FAILED), or NULL. */
const char   *dsl_guarded_link_get_last_error     (DslGuardedLink *self);
/* Downloads counted at the last check, or -1 when unknown. */
int           dsl_guarded_link_get_downloads      (DslGuardedLink *self);
/* TRUE when expires is set and <= now. */
gboolean      dsl_guarded_link_is_expired         (DslGuardedLink *self,
                                                   GDateTime      *now);

void          dsl_guarded_link_set_state          (DslGuardedLink *self,
                                                   DslGuardState   state,
                                                   const char     *last_error);
void          dsl_guarded_link_set_downloads      (DslGuardedLink *self,
                                                   int             downloads);
/* The expiry the server holds for the link (NULL: never expires); kept in UTC, whole seconds.
 * Notifies "expires" on a real change. */
void          dsl_guarded_link_set_expires        (DslGuardedLink *self,
                                                   GDateTime      *expires);

/* What a failed dsl_guard_store_save() means, for the window (plain text, translated).
 * `link` (nullable) is the record the save was for. A watched record the file never held
 * (Share Temporarily's new link): "Could not save the temporary link to “<title>”: <error>.
 * This link’s download limit is not being enforced after the app quits." (with a limit) or
 * "… This link will not be revoked when it expires if the app has quit by then." (expiry only).
 * NULL or a record the file already holds: the file still guards it (the guard reads the
 * server's expiry before it revokes), so it says the links are still guarded but changes
 * since the last save are lost. */
char         *dsl_guarded_link_describe_save_error (DslGuardedLink *link,
                                                    const GError   *error);

/* --- DslGuardStore: the JSON file, grouped per account --- */

#define DSL_TYPE_GUARD_STORE (dsl_guard_store_get_type ())
G_DECLARE_FINAL_TYPE (DslGuardStore, dsl_guard_store, DSL, GUARD_STORE, GObject)

/* g_get_user_data_dir()/docspace-links/guarded-links.json */
DslGuardStore *dsl_guard_store_new           (void);
DslGuardStore *dsl_guard_store_new_for_path  (const char     *path);
const char    *dsl_guard_store_get_path      (DslGuardStore  *self);
/* Replaces the contents with the file's. A missing file is an empty store (TRUE).
 * A record that cannot be read (a member missing or of the wrong type, an unknown kind or
 * state, a date with no UTC equivalent, …) is skipped and reported in the load problems
 * ("record 3: unknown state “foo”"); the others are kept (TRUE). Text is made valid UTF-8
 * (reported). A file written by a newer version (its "version" above ours) is read as far as
 * this version can and reported, and every save refuses to overwrite it
 * (DSL_GUARD_ERROR_NOT_OVERWRITTEN), so the newer version's data survive.
 * A file that is not a guarded-links file at all (not JSON, another format, nested too deep,
 * over DSL_STATE_FILE_MAX_SIZE bytes or DSL_STATE_FILE_MAX_RECORDS records: never read whole)
 * leaves the store empty, is renamed to "<path>.corrupt-<UTC time>" (so the next save does not
 * overwrite it; when the rename fails, saves refuse instead) and gives
 * DSL_GUARD_ERROR_CORRUPT_STORE naming that file (FALSE; also a load problem). A file that
 * cannot be read at all gives the G_FILE_ERROR (FALSE; also a load problem), and saves refuse
 * to replace it (DSL_GUARD_ERROR_NOT_OVERWRITTEN) until a load works. */
gboolean       dsl_guard_store_load          (DslGuardStore  *self,
                                              GError        **error);
/* What the last load skipped or could not read, one plain-text translated sentence each
 * (empty, never NULL, when the file was read whole; borrowed until the next load). */
const char * const *dsl_guard_store_get_load_problems (DslGuardStore *self);
/* The load problems as one plain-text sentence for the window ("Not everything in the file of
 * temporary links could be read: record 3: unknown state “foo”"; when the load read nothing, the sentence of its
 * error), or NULL when none. */
char          *dsl_guard_store_describe_load_problems (DslGuardStore *self);
/* Atomic (g_file_set_contents_full, mode 0600); creates the directory. Never writes invalid
 * UTF-8. Refuses (DSL_GUARD_ERROR_NOT_OVERWRITTEN) after a load of a newer version's file, of a
 * file that could not be read, or of a damaged file that could not be moved aside. */
gboolean       dsl_guard_store_save          (DslGuardStore  *self,
                                              GError        **error);
/* Adds `link` to its account, replacing a link with the same id. */
void           dsl_guard_store_add           (DslGuardStore  *self,
                                              DslGuardedLink *link);
gboolean       dsl_guard_store_remove        (DslGuardStore  *self,
                                              const char     *account_key,
                                              const char     *link_id);
/* Borrowed, or NULL. */
DslGuardedLink *dsl_guard_store_lookup       (DslGuardStore  *self,
                                              const char     *account_key,
                                              const char     *link_id);
/* The account's links in the order added, as a live GListModel of DslGuardedLink (borrowed:
 * valid as long as the store). Never NULL. */
GListModel    *dsl_guard_store_get_links     (DslGuardStore  *self,
                                              const char     *account_key);

/* --- DslLinkGuard: checks an account's links, counts downloads, revokes --- */

typedef enum {
  DSL_GUARD_OUTCOME_ACTIVE,          /* still active; downloads counted (or -1, see audit_error) */
  DSL_GUARD_OUTCOME_REVOKED_LIMIT,
  DSL_GUARD_OUTCOME_REVOKED_EXPIRED,
  DSL_GUARD_OUTCOME_GONE,
  DSL_GUARD_OUTCOME_FAILED,          /* see error */
} DslGuardOutcome;

typedef struct {
  DslGuardedLink *link;        /* owned ref: the store's record, already updated */
  DslGuardOutcome outcome;
  int             downloads;   /* counted this time, or -1 */
  GError         *audit_error; /* why downloads were not counted (DSL_GUARD_ERROR_AUDIT_*), or NULL */
  GError         *error;       /* FAILED: what failed */
} DslGuardResult;

void          dsl_guard_result_free      (DslGuardResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DslGuardResult, dsl_guard_result_free)

#define DSL_TYPE_LINK_GUARD (dsl_link_guard_get_type ())
G_DECLARE_FINAL_TYPE (DslLinkGuard, dsl_link_guard, DSL, LINK_GUARD, GObject)

DslLinkGuard *dsl_link_guard_new         (DslClient     *client,
                                          DslGuardStore *store);
DslClient    *dsl_link_guard_get_client  (DslLinkGuard  *self);
/* The account (the store's key) whose records follow the writes answered through the guard's
 * client (its "link-stored", emitted by dsl-link-ops for the sidebar, the editor, the checkup,
 * the reminders): a guarded link's record takes the stored expiry, or is dropped when the link
 * was removed, and the store is saved (a failure is "save-failed"). Records already revoked
 * or gone are left as they are. NULL stops following. The monitor sets it. */
void          dsl_link_guard_set_account_key (DslLinkGuard *self,
                                              const char   *account_key);
DslGuardStore *dsl_link_guard_get_store  (DslLinkGuard  *self);

/* Checks every ACTIVE (and FAILED) link of the account, at most 8 requests in flight. Per
 * link: list the item's links (gone → GONE); the record's expiry becomes the server's
 * `expirationDate` (someone may have extended it, or made it never expire); expired on the
 * server → revoke (PUT access 0), else with a limit count the downloads from the audit trail
 * and revoke at the limit. A 429 (after the client's retries of GETs) fails that link and
 * holds back new ones until Retry-After.
 * The records are updated as answers arrive and the store is saved at the end, also when
 * cancelled (so revocations that happened are kept); a failed save is "save-failed" (once
 * until a save of a check works again), the results are returned all the same. Returns
 * element-type DslGuardResult, in the store's order; an error only when cancelled
 * (G_IO_ERROR_CANCELLED) or a check of the same account is still under way
 * (G_IO_ERROR_PENDING: one at a time, so no link is revoked twice). `account_key` must be the
 * account the guard's client is signed in to. */
void          dsl_link_guard_check_async  (DslLinkGuard        *self,
                                           const char          *account_key,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
GPtrArray    *dsl_link_guard_check_finish (DslLinkGuard        *self,
                                           GAsyncResult        *result,
                                           GError             **error);

/* Anonymous downloads of the link's item since the link was created (FileDownloaded for
 * files, FolderDownloaded for folders and rooms; every page). -1 with DSL_GUARD_ERROR_AUDIT_*
 * when the portal cannot tell, or with the client's error. Does not change the store. */
void          dsl_link_guard_count_downloads_async  (DslLinkGuard        *self,
                                                     DslGuardedLink      *link,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
int           dsl_link_guard_count_downloads_finish (DslLinkGuard        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Whether this account can count downloads at all, before offering a download limit: one
 * audit-filter request for an id no item has (FileDownloaded). TRUE, or FALSE with
 * DSL_GUARD_ERROR_AUDIT_* (402, 403 not an administrator, 403 key scope, filters ignored)
 * or the client's error. A plan without audit is only seen when the portal has any event. */
void          dsl_link_guard_probe_audit_async  (DslLinkGuard        *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean      dsl_link_guard_probe_audit_finish (DslLinkGuard        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* Signals:
 *  "save-failed" (DslGuardedLink *link (nullable), GError *error, const char *message)
 *      the guard's save of the store failed: `link` the record it was for (NULL: none in
 *      particular), `message` dsl_guarded_link_describe_save_error()'s plain text for the
 *      window. */

G_END_DECLS

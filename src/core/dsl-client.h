/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-client.h: one DocSpace portal account; every call an _async/_finish pair */
#pragma once

#include <gio/gio.h>
#include "dsl-audit-event.h"
#include "dsl-enums.h"
#include "dsl-error.h"
#include "dsl-item.h"
#include "dsl-link.h"
#include "dsl-share-url.h"
#include "dsl-sharing-policy.h"
#include "dsl-user.h"

G_BEGIN_DECLS

#define DSL_TYPE_CLIENT (dsl_client_get_type ())
G_DECLARE_FINAL_TYPE (DslClient, dsl_client, DSL, CLIENT, GObject)

/* The items of one page of every listing the app asks for: the most the server sends in one
 * page (a larger count is a 400), so a listing takes as few requests as it can. */
#define DSL_CLIENT_PAGE_SIZE 100
/* A listing is read no further than this many pages: a portal answering `total: 1e15` with a
 * full page each time would otherwise be paged for ever (the folder model stops with an error,
 * the scan marks the listing cut). */
#define DSL_CLIENT_MAX_PAGES 1000

/* The traffic policy every caller of one client shares (the scan, the guard, the folder
 * models, the checkup, the sidebar):
 * - at most DSL_CLIENT_MAX_IN_FLIGHT requests of one client are on the wire at a time (the
 *   server rate-limits beyond that); the client holds the others back and sends them in the
 *   order they were asked for; libsoup's connection limit is the same number;
 * - a 429 of any request pauses the whole client: nothing more, GET or write, whoever asked,
 *   is sent before its Retry-After has passed (at least 1 s, at most
 *   DSL_CLIENT_MAX_PAUSE_SECONDS); a request held back by a pause and then cancelled ends at
 *   once. The client's own retries of a GET are unchanged: twice, after 0.5 s and 1 s or the
 *   429's Retry-After when it is at most 10 s (a longer one is reported, not waited out). */
#define DSL_CLIENT_MAX_IN_FLIGHT 8
#define DSL_CLIENT_MAX_PAUSE_SECONDS 60

/* Folder ids with a meaning of their own: My documents (GET files/@my) and the Rooms section
 * (GET files/rooms). */
#define DSL_FOLDER_MY "@my"
#define DSL_FOLDER_ROOMS "@rooms"

/* Normalise a portal address typed by a person: adds https:// when no scheme is given, drops
 * any path, query, fragment and trailing slashes, lowercases the host. Plain http:// is allowed
 * only for loopback hosts (127.0.0.0/8, ::1, localhost); otherwise DSL_ERROR_INVALID_ARGUMENT
 * with an explanation. Returns "scheme://host[:port]". */
char         *dsl_client_normalize_url  (const char  *address,
                                         GError     **error);

/* `base_url` must be normalised. Properties: "base-url" (construct-only), "timeout" (seconds,
 * default 30), "paused" (read-only: a 429's pause holds every request back). Signals:
 * "unauthorized" (emitted once per 401 on any authenticated call, so the UI can bring back
 * sign-in). */
DslClient    *dsl_client_new            (const char  *base_url);
const char   *dsl_client_get_base_url   (DslClient   *self);
void          dsl_client_set_timeout    (DslClient   *self,
                                         guint        seconds);
/* Credentials: an API key (sent as "Authorization: Bearer sk-...") or a session token (sent as
 * "Authorization: <token>"). Setting one clears the other; NULL clears. Never logged. */
void          dsl_client_set_api_key    (DslClient   *self,
                                         const char  *api_key);
void          dsl_client_set_session_token (DslClient *self,
                                         const char  *token);
gboolean      dsl_client_has_credentials (DslClient  *self);

/* The pause after a 429 (see above): whether it holds requests back now, and the monotonic
 * time (g_get_monotonic_time) it ends at, 0 when there is none. */
gboolean      dsl_client_get_paused      (DslClient  *self);
gint64        dsl_client_get_resume_time (DslClient  *self);
/* Completes when no pause holds requests back (at once when none does); a cancelled wait ends
 * at once with G_IO_ERROR_CANCELLED, and so does one when the client is disposed. */
void          dsl_client_wait_async      (DslClient           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      dsl_client_wait_finish     (DslClient           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Signal "link-stored" (int kind, const char *item_id, const char *link_id, DslLink *stored):
 * the server answered a write to a link (dsl-link-ops emits it); `stored` is what the server
 * keeps, NULL when the link was removed. */
void          dsl_client_emit_link_stored (DslClient   *self,
                                           DslItemKind  kind,
                                           const char  *item_id,
                                           const char  *link_id,
                                           DslLink     *stored);

/* --- Authentication (docspace-api.md §1) --- */

/* GET people/@self */
void          dsl_client_get_self_async      (DslClient           *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DslUser      *dsl_client_get_self_finish     (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* GET files/settings: the portal's external sharing settings (issue 17). */
void          dsl_client_get_sharing_policy_async  (DslClient           *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
DslSharingPolicy *dsl_client_get_sharing_policy_finish (DslClient        *self,
                                                        GAsyncResult     *result,
                                                        GError          **error);
/* GET keys/@self (API keys only) */
void          dsl_client_get_key_info_async  (DslClient           *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DslKeyInfo   *dsl_client_get_key_info_finish (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* POST authentication (code NULL) or POST authentication/{code} with the code in the body too.
 * On success with a token, the client starts using it as its session token. 401 ->
 * DSL_ERROR_LOGIN_FAILED, 403 without an error type ("Too many login attempts…" in the portal's
 * language) -> DSL_ERROR_TOO_MANY_ATTEMPTS, 403 InvalidOperationException ("User disabled") ->
 * DSL_ERROR_ACCOUNT_DISABLED, app 2FA that needs setup -> DSL_ERROR_TFA_SETUP_REQUIRED (message
 * carries confirmUrl). A result without a token and with tfa/sms means: ask for the code. */
void          dsl_client_login_async         (DslClient           *self,
                                              const char          *email,
                                              const char          *password,
                                              const char          *code,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DslAuthResult *dsl_client_login_finish       (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* POST authentication/logout; clears the session token on success. */
void          dsl_client_logout_async        (DslClient           *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      dsl_client_logout_finish       (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* --- Browsing (docspace-api.md §3); count 1..100, else DSL_ERROR_INVALID_ARGUMENT --- */

/* GET files/rooms?filterValue=&type=..&startIndex=&count= ; room_types may be NULL. */
void          dsl_client_list_rooms_async    (DslClient           *self,
                                              const char          *filter_value,
                                              const DslRoomType   *room_types,
                                              gsize                n_room_types,
                                              guint                start_index,
                                              guint                count,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DslFolderPage *dsl_client_list_rooms_finish  (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* GET files/{folder_id} (or files/@my for DSL_FOLDER_MY) ?filterValue=&startIndex=&count= */
void          dsl_client_list_folder_async   (DslClient           *self,
                                              const char          *folder_id,
                                              const char          *filter_value,
                                              guint                start_index,
                                              guint                count,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DslFolderPage *dsl_client_list_folder_finish (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* The pager every listing uses (the folder model, the scan): one page of DSL_CLIENT_PAGE_SIZE
 * items from `start_index` of the folder `folder_id` — DSL_FOLDER_ROOMS is the Rooms section
 * (dsl_client_list_rooms_async, every type), any other id dsl_client_list_folder_async — with
 * `filter_value` (nullable). */
void          dsl_client_list_page_async     (DslClient           *self,
                                              const char          *folder_id,
                                              const char          *filter_value,
                                              guint                start_index,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DslFolderPage *dsl_client_list_page_finish   (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* How many pages a listing of `total` items takes, at most DSL_CLIENT_MAX_PAGES. */
guint         dsl_client_page_count          (guint                total);
/* GET files/file/{id}, files/folder/{id} or files/rooms/{id} */
void          dsl_client_get_item_async      (DslClient           *self,
                                              DslItemKind          kind,
                                              const char          *id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DslItem      *dsl_client_get_item_finish     (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* --- Links (docspace-api.md §4, §6). `kind`+`id` name the item; ids are URL-encoded. --- */

/* Get-or-create the primary link. Files/folders: POST …/link with `initial` as the body (may be
 * NULL for defaults). Rooms: GET files/rooms/{id}/link (`initial` ignored). */
void          dsl_client_get_primary_link_async  (DslClient           *self,
                                                  DslItemKind          kind,
                                                  const char          *id,
                                                  DslLink             *initial,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
DslLink      *dsl_client_get_primary_link_finish (DslClient           *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* All external links of an item (files: every page; folders and rooms: one call). For rooms
 * `room_link_type` -1 = all (invitation + external), 0 invitation, 1 external (type=).
 * Returns element-type DslLink, primary first as the server orders them. */
void          dsl_client_list_links_async    (DslClient           *self,
                                              DslItemKind          kind,
                                              const char          *id,
                                              int                  room_link_type,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray    *dsl_client_list_links_finish   (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* PUT …/links without linkId: a new additional link from `state` (its id is ignored). A 200
 * without `response` -> DSL_ERROR_NOT_APPLIED. Rooms send linkType 1. */
void          dsl_client_create_link_async   (DslClient           *self,
                                              DslItemKind          kind,
                                              const char          *id,
                                              DslLink             *state,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DslLink      *dsl_client_create_link_finish  (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* PUT …/links with linkId and the FULL state (omitted fields would be reset). Returns what the
 * server stored, which may differ when it skipped a change (compare with dsl_link_state_equal). */
void          dsl_client_update_link_async   (DslClient           *self,
                                              DslItemKind          kind,
                                              const char          *id,
                                              DslLink             *state,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DslLink      *dsl_client_update_link_finish  (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* Delete: PUT …/links with the link's full state as `link` holds it (as last read) and access 0
 * (rooms add linkType 1): the server skips a bare {linkId, access: 0} when the stored audience
 * or expiry differs and may not change (docspace-api.md §6.1). For links with canRevoke the
 * server answers with a regenerated primary link: it is returned in *replacement (else NULL).
 * An answer with the same link still holding a role is DSL_ERROR_NOT_APPLIED: nothing was
 * removed. */
void          dsl_client_delete_link_async   (DslClient           *self,
                                              DslItemKind          kind,
                                              const char          *id,
                                              DslLink             *link,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean      dsl_client_delete_link_finish  (DslClient           *self,
                                              GAsyncResult        *result,
                                              DslLink            **replacement,
                                              GError             **error);
/* Revoke-and-regenerate a link with canRevoke (public / form-filling rooms): the same PUT as
 * delete; the same link back, or no replacement, is an error (DSL_ERROR_NOT_APPLIED). Returns
 * the new link. */
void          dsl_client_revoke_link_async   (DslClient           *self,
                                              DslItemKind          kind,
                                              const char          *id,
                                              DslLink             *link,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
DslLink      *dsl_client_revoke_link_finish  (DslClient           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* --- Share keys and short links (docspace-api.md §9) --- */

/* GET files/share/{key} (anonymous allowed): what the key of a long share URL opens. The key
 * is kept out of debug output. */
void          dsl_client_get_share_info_async   (DslClient           *self,
                                                 const char          *key,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
DslShareInfo *dsl_client_get_share_info_finish  (DslClient           *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* GET `url` (a short link, of the portal or of a URL shortener) without credentials and without
 * following the redirect. Returns the absolute Location of a 3xx answer, or NULL (no error)
 * when the answer is no redirect. Transport errors keep their domain. */
void          dsl_client_follow_short_link_async  (DslClient           *self,
                                                   const char          *url,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
char         *dsl_client_follow_short_link_finish (DslClient           *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* --- Room invitation link (one per room; linkType 0) --- */

/* GET files/rooms/{id}/links?type=0; *link = NULL when the room has none. */
void          dsl_client_get_invitation_link_async  (DslClient           *self,
                                                     const char          *room_id,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean      dsl_client_get_invitation_link_finish (DslClient           *self,
                                                     GAsyncResult        *result,
                                                     DslLink            **link,
                                                     GError             **error);
/* PUT files/rooms/{id}/links with linkType 0: creates (no id) or updates the invitation link.
 * `state` gives access (room role), title, expiry (must be future, <= 10 years) and
 * maxUseCount. */
void          dsl_client_set_invitation_link_async  (DslClient           *self,
                                                     const char          *room_id,
                                                     DslLink             *state,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
DslLink      *dsl_client_set_invitation_link_finish (DslClient           *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
/* PUT files/rooms/{id}/links {linkId, access: 0, linkType: 0} */
void          dsl_client_delete_invitation_link_async  (DslClient           *self,
                                                        const char          *room_id,
                                                        const char          *link_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean      dsl_client_delete_invitation_link_finish (DslClient           *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* --- Audit trail (docspace-api.md §7): GET security/audit/events/filter --- */

typedef struct {
  int          action;       /* MessageAction, or -1 for none (with one, the server ignores
                                action_type and entry_type and matches target exactly) */
  int          entry_type;   /* EntryType, or -1 (applies only with a target, which it makes a
                                substring match) */
  int          action_type;  /* ActionType (12 Download...), or -1 */
  const char  *target;       /* item id, or NULL */
  const char  *user_id;      /* GUID, or NULL */
  GDateTime   *from;         /* or NULL; sent as ISO with offset, '+' encoded */
  GDateTime   *to;           /* or NULL */
  guint        start_index;
  guint        count;        /* 1..100; 0 means 100 */
} DslAuditFilter;

/* Initialises a filter with no criteria (action/entry_type/action_type -1, count 100). */
void          dsl_audit_filter_init          (DslAuditFilter *filter);

/* One page, newest first (element-type DslAuditEvent). */
void          dsl_client_list_audit_events_async  (DslClient            *self,
                                                   const DslAuditFilter *filter,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray    *dsl_client_list_audit_events_finish (DslClient            *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS

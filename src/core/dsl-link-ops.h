/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-ops.h: every change to an existing link, in one place, made against the server's
 * current state (docspace-api.md §6): which removal applies to a link and how it is worded;
 * remove; change one or more settings; create (with a timed-out create reconciled by reading
 * the list again). A PUT …/links replaces every setting of a link, and other people change
 * links too, so each operation reads the link again, applies only what the person asked for,
 * sends that, and compares the answer with what was sent. No GTK.
 *
 * Errors (domain DSL_ERROR) besides the client's own:
 *  DSL_ERROR_LINK_GONE      the link is no longer on the server ("removed by someone else")
 *  DSL_ERROR_LINK_CONFLICT  a setting being changed was changed by someone else since the
 *                           person saw it (the message shows both values); nothing was sent
 *  DSL_ERROR_NOT_APPLIED    the server answered but skipped (part of) the change; the message
 *                           says which */
#pragma once

#include <gio/gio.h>

#include "dsl-client.h"
#include "dsl-item.h"
#include "dsl-link.h"

G_BEGIN_DECLS

/* --- Which removal applies --- */

typedef enum {
  DSL_LINK_REMOVAL_NOT_ALLOWED,     /* dsl_link_rules_explain_no_remove says why */
  DSL_LINK_REMOVAL_REVOKE,          /* the link is deleted: whoever uses it loses access */
  DSL_LINK_REMOVAL_REGENERATE,      /* canRevoke (primary link of a public or form-filling
                                       room): deleted, the server makes a new one in its place */
  DSL_LINK_REMOVAL_REMOVE_EXPIRED,  /* an expired link is taken off the list */
  DSL_LINK_REMOVAL_INVITATION,      /* a room's invitation link is deleted */
} DslLinkRemoval;

/* The removal that applies to `link` of `item` at `now` (NULL = now): the rules of
 * dsl-link-rules first, then invitation, canRevoke, expired (isExpired or a past expiry). */
DslLinkRemoval dsl_link_ops_removal (DslItem   *item,
                                     DslLink   *link,
                                     GDateTime *now);

/* How a removal is worded, translated. `heading`/`body`/`verb` make the confirmation
 * ("Revoke Link?", what it means, "_Revoke" with a mnemonic), `action` names the button
 * ("Revoke link", for tooltips and accessible names), `done` is the outcome ("Link revoked").
 * NULL for DSL_LINK_REMOVAL_NOT_ALLOWED. */
typedef struct {
  const char *heading;
  const char *body;
  const char *verb;
  const char *action;
  const char *done;
} DslLinkRemovalWords;

const DslLinkRemovalWords *dsl_link_ops_removal_words (DslLinkRemoval removal);

/* --- Remove --- */

/* Reads `item`'s links again, finds `seen`'s id, decides the removal from the server's
 * current state and sends it (the delete carries the current state, §6.1). Gone →
 * DSL_ERROR_LINK_GONE. When `seen` was an expired link (Remove) and the server's copy is no
 * longer expired (someone extended it) → DSL_ERROR_LINK_CONFLICT and nothing is removed.
 * Not allowed now → DSL_ERROR_FORBIDDEN with the rule's words. */
void           dsl_link_ops_remove_async   (DslClient           *client,
                                            DslItem             *item,
                                            DslLink             *seen,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* Returns the removal made (NOT_ALLOWED on error); *replacement (optional) gets the new link
 * a REGENERATE made, else NULL. *current (optional) gets the server's state of the link on
 * DSL_ERROR_LINK_CONFLICT, else NULL. */
DslLinkRemoval dsl_link_ops_remove_finish  (DslClient           *client,
                                            GAsyncResult        *result,
                                            DslLink            **replacement,
                                            DslLink            **current,
                                            GError             **error);

/* --- Change --- */

typedef enum {
  DSL_LINK_FIELD_TITLE         = 1 << 0,
  DSL_LINK_FIELD_ACCESS        = 1 << 1,
  DSL_LINK_FIELD_EXPIRY        = 1 << 2,
  DSL_LINK_FIELD_PASSWORD      = 1 << 3,
  DSL_LINK_FIELD_INTERNAL      = 1 << 4,   /* the audience */
  DSL_LINK_FIELD_DENY_DOWNLOAD = 1 << 5,
} DslLinkFields;

/* What the person asked to change, and what they saw before. */
typedef struct _DslLinkChange DslLinkChange;

/* A change of the link `seen` (its id names the link; the values of the fields changed are
 * what the person saw, checked against the server before anything is sent). */
DslLinkChange *dsl_link_change_new              (DslLink       *seen);
/* A change of the link with this id without anything seen (no conflict check) unless
 * dsl_link_change_expect_expiry is called. */
DslLinkChange *dsl_link_change_new_for_id       (const char    *link_id);
/* Every field in which `wanted` differs from `seen` (the link form: the person edited `seen`
 * into `wanted`). A change with no fields is valid and sends nothing but the re-read. */
DslLinkChange *dsl_link_change_new_from_states  (DslLink       *seen,
                                                 DslLink       *wanted);
DslLinkChange *dsl_link_change_copy             (DslLinkChange *change);
void           dsl_link_change_free             (DslLinkChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DslLinkChange, dsl_link_change_free)

const char    *dsl_link_change_get_link_id      (DslLinkChange *change);
DslLinkFields  dsl_link_change_get_fields       (DslLinkChange *change);
gboolean       dsl_link_change_is_extend        (DslLinkChange *change);

void           dsl_link_change_set_title        (DslLinkChange *change, const char *title);
void           dsl_link_change_set_access       (DslLinkChange *change, DslAccess access);
/* NULL = never expires. */
void           dsl_link_change_set_expiry       (DslLinkChange *change, GDateTime *expiry);
/* "Extend by 7 days", the one meaning everywhere (sidebar, checkup, reminders): seven
 * calendar days after the link's expiry as the server has it now, or after now when that has
 * passed; a link that does not expire is not changed (DSL_ERROR_NOT_APPLIED). */
void           dsl_link_change_extend           (DslLinkChange *change);
/* NULL or "" = no password. A secret: never logged, cleared when the change is freed. */
void           dsl_link_change_set_password     (DslLinkChange *change, const char *password);
void           dsl_link_change_set_internal     (DslLinkChange *change, gboolean internal);
void           dsl_link_change_set_deny_download (DslLinkChange *change, gboolean deny);
/* The expiry the person saw (NULL = never), for a change made without a whole link seen
 * (a reminder knows only the expiry it reminded of). */
void           dsl_link_change_expect_expiry    (DslLinkChange *change, GDateTime *seen_expiry);
/* After a DSL_ERROR_LINK_CONFLICT the person chose to go ahead: what they have now seen is
 * `current` (the link the conflict returned); the next attempt overwrites unless it changed
 * again. */
void           dsl_link_change_accept_current   (DslLinkChange *change, DslLink *current);

/* The server's state of the link with the change applied (what would be sent), or NULL when
 * the change cannot apply to it (an extend of a link that does not expire). `now` NULL =
 * now. Exposed for tests and for showing "Extend to …" before asking. */
DslLink       *dsl_link_change_apply            (DslLinkChange *change,
                                                 DslLink       *current,
                                                 GDateTime     *now);
/* The person-facing words for a conflict between what `change` saw and `current`, naming the
 * field(s) and showing both values (never a password), or NULL when there is none. */
char          *dsl_link_change_describe_conflict (DslLinkChange *change,
                                                  DslLink       *current);

/* Reads the links of the item (`kind`, `item_id`) again, finds the link, checks for a
 * conflict, applies the change to the server's state, sends it (an invitation link through
 * the room's invitation call) and compares the answer with what was sent. */
void           dsl_link_ops_change_async   (DslClient           *client,
                                            DslItemKind          kind,
                                            const char          *item_id,
                                            DslLinkChange       *change,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* Returns what the server stored. *current (optional) gets the server's state of the link on
 * DSL_ERROR_LINK_CONFLICT and DSL_ERROR_NOT_APPLIED (what it kept), else NULL. */
DslLink       *dsl_link_ops_change_finish  (DslClient           *client,
                                            GAsyncResult        *result,
                                            DslLink            **current,
                                            GError             **error);

/* --- Create --- */

/* Creates a link on `item` from `state`: an external link (PUT without linkId), the item's
 * primary link when `state` is primary (files and folders: POST …/link; rooms: GET
 * rooms/{id}/link), or the room's invitation link when `state`'s subject type is
 * InvitationLink. When the create request times out or fails in transport (not when it is
 * cancelled), the item's links are read again and a link that is not among `known_ids`
 * (NULL-terminated; may be NULL) and carries `state`'s title is taken as the one created;
 * with none, the original error is returned. */
void           dsl_link_ops_create_async   (DslClient           *client,
                                            DslItem             *item,
                                            DslLink             *state,
                                            const char * const  *known_ids,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* What the server stored; *reconciled (optional) says it was found by reading the list again. */
DslLink       *dsl_link_ops_create_finish  (DslClient           *client,
                                            GAsyncResult        *result,
                                            gboolean            *reconciled,
                                            GError             **error);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-list.h: the links of one item as a GListModel of DslLink (external links, primary
 * first; a room's invitation link apart, as a property), read from the portal and kept in step
 * with what the server stores: loading, reload (a reload drops the answers of the loads before
 * it), per-link busy and error state, and the operations of dsl-link-ops (remove, change,
 * create) with their outcome in the model. No GTK: the link sidebar binds to it. */
#pragma once

#include <gio/gio.h>

#include "dsl-client.h"
#include "dsl-item.h"
#include "dsl-link.h"
#include "dsl-link-ops.h"

G_BEGIN_DECLS

#define DSL_TYPE_LINK_LIST (dsl_link_list_get_type ())
G_DECLARE_FINAL_TYPE (DslLinkList, dsl_link_list, DSL, LINK_LIST, GObject)

/* Properties: "client" (DslClient or NULL), "item" (DslItem or NULL) — setting either cancels
 * everything in flight for the previous one, empties the model and reads the new item's links:
 * nothing when the item cannot have links (dsl_link_form_explain_no_links; a room whose
 * invitation link the person manages still gets that one read), GET …/links for files and
 * folders, rooms/{id}/links?type=1 and ?type=0 in parallel for rooms;
 * "loading" (bool): a load is in flight;
 * "loaded" (bool): the newest load answered and its links are in the model (FALSE before,
 * after a failed load, without an item);
 * "error" (string or NULL): the message of the failed load;
 * "invitation" (DslLink or NULL): the room's invitation link;
 * "invitation-error" (string or NULL): reading or creating the invitation link failed;
 * "create-error" (string or NULL): the last create of an external or primary link failed;
 * "creating", "creating-invitation" (bool): a create is in flight.
 *
 * The model follows the client's "link-stored" signal for its item: a link the server stored
 * (here or elsewhere in the app) replaces the one with its id or is added; a removed one goes.
 * After each load and change the item's has-expired-links is set from the links.
 *
 * Signals:
 * "link-state-changed" (const char *link_id): its busy flag or error changed;
 * "links-changed" (): a remove, change or create went through; the item is then read again
 * (GET files/file|folder|rooms/{id}) and updated with dsl_item_update_from. */
DslLinkList  *dsl_link_list_new                  (DslClient    *client,
                                                  DslItem      *item);
DslClient    *dsl_link_list_get_client           (DslLinkList  *self);
void          dsl_link_list_set_client           (DslLinkList  *self,
                                                  DslClient    *client);
DslItem      *dsl_link_list_get_item             (DslLinkList  *self);
void          dsl_link_list_set_item             (DslLinkList  *self,
                                                  DslItem      *item);
gboolean      dsl_link_list_get_loading          (DslLinkList  *self);
gboolean      dsl_link_list_get_loaded           (DslLinkList  *self);
const char   *dsl_link_list_get_error            (DslLinkList  *self);
DslLink      *dsl_link_list_get_invitation       (DslLinkList  *self);
const char   *dsl_link_list_get_invitation_error (DslLinkList  *self);
const char   *dsl_link_list_get_create_error     (DslLinkList  *self);
gboolean      dsl_link_list_get_creating         (DslLinkList  *self,
                                                  gboolean      invitation);
/* The room's invitation link is read with the list (dsl_link_rules_has_invitation). */
gboolean      dsl_link_list_get_wants_invitation (DslLinkList  *self);

/* Reads the item's links again; the model keeps what it has until the answer (a failed one
 * empties it and sets "error"). */
void          dsl_link_list_reload               (DslLinkList  *self);
/* A link of the item was changed outside the list (the link editor): emits "links-changed",
 * reads the item and the list again. */
void          dsl_link_list_changed_elsewhere    (DslLinkList  *self);
/* How many more additional links the item may have (dsl_link_form_links_left: -1 without a
 * limit); 0 while the links are not loaded. */
int           dsl_link_list_get_links_left       (DslLinkList  *self);

/* The link with this id (external or the invitation link), or NULL. */
DslLink      *dsl_link_list_find                 (DslLinkList  *self,
                                                  const char   *link_id);
/* The item's primary link with an address, or NULL. */
DslLink      *dsl_link_list_get_primary          (DslLinkList  *self);
gboolean      dsl_link_list_get_busy             (DslLinkList  *self,
                                                  const char   *link_id);
/* The message of the last failed operation on the link (also after it was dropped because
 * someone else removed it), or NULL. */
const char   *dsl_link_list_get_error_for        (DslLinkList  *self,
                                                  const char   *link_id);

/* --- Operations (dsl-link-ops). Each marks the link busy while in flight (a link already busy
 * is refused with G_IO_ERROR_BUSY), clears its error first, and on failure sets the link's
 * error to the message, except:
 *  - a timeout: the list is read again (never the request sent again), no error on the link;
 *  - DSL_ERROR_LINK_GONE: the link is dropped from the model, its error says someone else
 *    removed it;
 *  - DSL_ERROR_LINK_CONFLICT of a change: no error on the link (the caller asks the person,
 *    see dsl_link_change_accept_current).
 * On success the model holds what the server stored and "links-changed" is emitted. Cancelled
 * (G_IO_ERROR_CANCELLED) when the item or client changes or the list is disposed. --- */

/* Removes the link as dsl_link_ops_remove_async decides from the server's current state. */
void           dsl_link_list_remove_async  (DslLinkList          *self,
                                            const char           *link_id,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* The removal made; *replacement (optional) the link a regenerate made. */
DslLinkRemoval dsl_link_list_remove_finish (DslLinkList          *self,
                                            GAsyncResult         *result,
                                            DslLink             **replacement,
                                            GError              **error);

/* Applies `change` (copied) with dsl_link_ops_change_async. */
void           dsl_link_list_change_async  (DslLinkList          *self,
                                            DslLinkChange        *change,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* What the server stored. On DSL_ERROR_LINK_CONFLICT (and NOT_APPLIED) *current (optional) gets
 * the server's state. *change (optional) gets a copy of the change asked for, to try again. */
DslLink       *dsl_link_list_change_finish (DslLinkList          *self,
                                            GAsyncResult         *result,
                                            DslLinkChange       **change,
                                            DslLink             **current,
                                            GError              **error);

/* Creates a link from `state` with dsl_link_ops_create_async (an invitation link when its
 * subject type is InvitationLink, the primary link when it is primary), the links in the model
 * being the ones known before. Failure goes to "create-error" or "invitation-error". */
void           dsl_link_list_create_async  (DslLinkList          *self,
                                            DslLink              *state,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
/* "Create and Copy": the item's primary link (get-or-create, sent once). */
void           dsl_link_list_create_primary_async    (DslLinkList         *self,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* The room's invitation link with the defaults: "Invitation link", the role Content creator
 * (else the first role the room offers), expiring in seven days (invitation links need a
 * future date). G_IO_ERROR_EXISTS when the room has one. */
void           dsl_link_list_create_invitation_async (DslLinkList         *self,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* The answer of the three creates. */
DslLink       *dsl_link_list_create_finish (DslLinkList          *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS

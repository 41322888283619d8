/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-fixture.h: start a docspace-sim for a test, talk to its /__sim/ control API, stop it.
 * Tests only: uses synchronous libsoup on its own, which the app never does. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _DslSim DslSim;

/* Spawns docspace-sim (path from the DSL_SIM environment variable, else the build-time path)
 * with "--port 0" and `extra_args` (NULL-terminated, may be NULL), reads the portal URL from
 * its first stdout line. Fails after 10 s. */
DslSim      *dsl_sim_start            (const char * const *extra_args,
                                       GError            **error);
/* Kills the simulator by its pid and waits for it. NULL-safe. */
void         dsl_sim_stop             (DslSim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DslSim, dsl_sim_stop)

/* "http://127.0.0.1:PORT" */
const char  *dsl_sim_get_url          (DslSim *sim);

/* POST /__sim/reset: state back to the seed, request log and faults cleared. */
gboolean     dsl_sim_reset            (DslSim     *sim,
                                       GError    **error);
/* POST /__sim/faults {"profile": PROFILE} ("none" clears). */
gboolean     dsl_sim_set_faults       (DslSim     *sim,
                                       const char *profile,
                                       GError    **error);
/* POST /__sim/links/{link_id} with `json_body`: a second administrator changes the link (any
 * item's external or invitation link) as the portal owner, with no rule checks, no audit event
 * and no request-log entry; the body has any of "title" (string), "access" (number),
 * "password" (string; "" or null removes it), "internal", "denyDownload" (booleans),
 * "expirationDate" (ISO 8601 string, null = never). The change is saved to --state. Fails
 * naming the HTTP status on 400 (bad body) or 404 (no such link). */
gboolean     dsl_sim_change_link      (DslSim     *sim,
                                       const char *link_id,
                                       const char *json_body,
                                       GError    **error);
/* DELETE /__sim/links/{link_id}: the link is gone as if deleted (a primary link too); 404 when
 * there is no such link. */
gboolean     dsl_sim_delete_link      (DslSim     *sim,
                                       const char *link_id,
                                       GError    **error);
/* GET /__sim/requests: the JSON array of received API requests, oldest first; each
 * {"method","path","query" (raw string or null),"body" (parsed JSON, a string when not JSON,
 * or null),"status","user" (the authenticated user id or null)}. */
JsonNode    *dsl_sim_get_requests     (DslSim     *sim,
                                       GError    **error);
/* DELETE /__sim/requests */
gboolean     dsl_sim_clear_requests   (DslSim     *sim,
                                       GError    **error);
/* The newest logged request whose method equals `method` (NULL = any) and whose path equals
 * `path`, as a new reference to its JSON object node; NULL when none. */
JsonNode    *dsl_sim_find_request     (DslSim     *sim,
                                       const char *method,
                                       const char *path);
/* How many logged requests match method (NULL = any) and path (NULL = any). */
guint        dsl_sim_count_requests   (DslSim     *sim,
                                       const char *method,
                                       const char *path);

/* The portal's truth as the simulator keeps it in its --state FILE (written after every
 * change and reset): every external link (not invitation links, subjectType 3) of an entry
 * under Rooms ("1") or the owner's My documents ("2"), as link id -> a copy of the link's JSON
 * object with one member added, "entryId" (the id of the room, folder or file holding it).
 * *n_items (optional) gets how many rooms, folders and files are under those two roots
 * (virtual folders count their generated files). Fails the test on an unreadable file. */
GHashTable  *dsl_sim_read_external_links (const char *state_file,
                                          guint      *n_items);

/* A synchronous request straight to the simulator, for the simulator's own tests.
 * `authorization` is the whole Authorization header value, or NULL. `body` is a JSON text or
 * NULL. Returns the HTTP status (0 on transport error); *out_body (optional) gets the body,
 * *out_headers (optional) the response headers as a new SoupMessageHeaders-free GHashTable
 * (lower-case name -> value). */
guint        dsl_sim_http             (DslSim       *sim,
                                       const char   *method,
                                       const char   *path_and_query,
                                       const char   *authorization,
                                       const char   *body,
                                       GBytes      **out_body,
                                       GHashTable  **out_headers);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-server.h: one API request as the handlers see it, and the reply helpers that produce
 * the server's envelopes. */
#pragma once

#include "dsl-sim.h"

G_BEGIN_DECLS

typedef struct _SimServer SimServer;

typedef struct {
  SimServer         *sim;
  SimState          *state;
  SoupServerMessage *msg;
  const char        *method;
  char              *raw_path;     /* as received */
  char              *raw_query;    /* NULL when absent */
  char             **segs;         /* decoded segments after /api/2.0/ */
  guint              n_segs;
  GPtrArray         *query;        /* decoded key, value, key, value, ... */
  GBytes            *raw_body;
  JsonNode          *body;         /* parsed JSON body, NULL when empty or not JSON */
  gboolean           body_invalid; /* non-empty body that is not JSON */
  const SimUser     *user;         /* authenticated caller, NULL = anonymous */
  const SimApiKey   *key;          /* when authenticated by an API key */
  const char        *session_token;
  char              *href;         /* the request URL, for the envelope's links */

  /* the reply */
  guint              status;
  GBytes            *reply;
  const char        *content_type;
  gboolean           mutated;      /* save --state afterwards */
} SimRequest;

typedef void (*SimHandler) (SimRequest *req);

/* replies */
void         sim_reply_raw            (SimRequest *req,
                                       guint       status,
                                       const char *content_type,
                                       const char *body);
void         sim_reply_ok             (SimRequest *req,
                                       JsonNode   *response,
                                       gint64      total);
void         sim_reply_error          (SimRequest *req,
                                       guint       status,
                                       const char *message,
                                       const char *type,
                                       gint64      hresult);
void         sim_reply_empty          (SimRequest *req,
                                       guint       status);
void         sim_reply_problem        (SimRequest *req,
                                       const char *field,
                                       const char *message);
void         sim_reply_access_denied  (SimRequest *req);
void         sim_reply_not_found      (SimRequest *req,
                                       const char *message);
void         sim_reply_argument       (SimRequest *req,
                                       const char *message);
void         sim_reply_invalid_op     (SimRequest *req,
                                       const char *message);
void         sim_reply_auth_failed    (SimRequest *req,
                                       guint       status,
                                       const char *message);

/* query */
const char  *sim_query_get            (SimRequest *req,
                                       const char *key);
GPtrArray   *sim_query_get_all        (SimRequest *req,
                                       const char *key);
gboolean     sim_query_int            (SimRequest *req,
                                       const char *key,
                                       const char *field,
                                       gint64      def,
                                       gint64     *out);
gboolean     sim_query_paging         (SimRequest *req,
                                       guint      *start,
                                       guint      *count);

JsonObject  *sim_request_body_object  (SimRequest *req);
SimEvent    *sim_request_event        (SimRequest *req,
                                       int         action_id,
                                       SimEntry   *entry,
                                       const char *text);
SimSession  *sim_request_new_session  (SimRequest    *req,
                                       const SimUser *user,
                                       gboolean       session_only);
gboolean     sim_faults_revoked       (SimServer *sim);
gboolean     sim_faults_audit_402     (SimRequest *req);
gboolean     sim_faults_audit_unfiltered (SimRequest *req);
/* The portal's language from the profile's culture= ("de"), or NULL for English. */
const char  *sim_faults_culture       (SimRequest *req);

/* handlers: dsl-sim-api.c */
void         sim_api_auth_check       (SimRequest *req);
void         sim_api_auth_login       (SimRequest *req);
void         sim_api_auth_logout      (SimRequest *req);
void         sim_api_people_self      (SimRequest *req);
void         sim_api_keys_self        (SimRequest *req);
void         sim_api_rooms_list       (SimRequest *req);
void         sim_api_room_get         (SimRequest *req);
void         sim_api_folder_content   (SimRequest *req);
void         sim_api_my               (SimRequest *req);
void         sim_api_root             (SimRequest *req);
void         sim_api_folder_get       (SimRequest *req);
void         sim_api_folder_path      (SimRequest *req);
void         sim_api_file_get         (SimRequest *req);

/* handlers: dsl-sim-links.c */
void         sim_api_file_link        (SimRequest *req);
void         sim_api_file_links_get   (SimRequest *req);
void         sim_api_file_links_put   (SimRequest *req);
void         sim_api_folder_link      (SimRequest *req);
void         sim_api_folder_links_get (SimRequest *req);
void         sim_api_folder_links_put (SimRequest *req);
void         sim_api_room_link        (SimRequest *req);
void         sim_api_room_links_get   (SimRequest *req);
void         sim_api_room_links_put   (SimRequest *req);

/* handlers: dsl-sim-share.c */
void         sim_api_share_get        (SimRequest *req);
void         sim_api_files_settings_get   (SimRequest *req);
void         sim_api_external_sharing_put (SimRequest *req);

/* handlers: dsl-sim-audit.c */
void         sim_api_audit_filter     (SimRequest *req);
void         sim_api_audit_last       (SimRequest *req);

/* dsl-sim-server.c */
SimServer   *sim_server_new           (guint        port,
                                       guint        scale,
                                       guint        latency_ms,
                                       const char  *faults,
                                       const char  *state_file,
                                       GError     **error);
const char  *sim_server_get_url       (SimServer *sim);
void         sim_server_free          (SimServer *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimServer, sim_server_free)

G_END_DECLS

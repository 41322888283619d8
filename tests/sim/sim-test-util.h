/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim-test-util.h: helpers for the simulator's own tests: one simulator per test binary, calls
 * returning status + parsed JSON, and short accessors into envelopes. */
#pragma once

#include "dsl-sim-fixture.h"

G_BEGIN_DECLS

#define OWNER_KEY    "Bearer sk-demo-owner"
#define USER_KEY     "Bearer sk-demo-user"
#define GUEST_KEY    "Bearer sk-demo-guest"
#define EXPIRED_KEY  "Bearer sk-demo-expired"
#define READONLY_KEY "Bearer sk-demo-readonly"
#define OWNER_ID     "a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01"
#define USER_ID      "a7b3c1d2-0002-4c5e-9f10-5a6b7c8d9e02"
#define ANONYMOUS_ID "712d9ec3-5d2b-4b13-824f-71f00191dcca"

typedef struct {
  guint       status;
  char       *text;     /* the body, NUL-terminated */
  gsize       length;
  JsonNode   *json;     /* NULL when the body is not JSON */
  GHashTable *headers;  /* lower-case name -> value */
} SimResp;

void        sim_resp_free        (SimResp *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimResp, sim_resp_free)

/* The shared simulator of this test binary (started by sim_test_init). */
DslSim     *sim_test_sim         (void);
void        sim_test_init        (int    *argc,
                                  char ***argv);
int         sim_test_run         (void);
/* Resets the shared simulator; call at the start of every test. */
void        sim_test_reset       (void);

SimResp    *sim_call             (DslSim     *sim,
                                  const char *method,
                                  const char *path,
                                  const char *auth,
                                  const char *body);
/* Shorthand on the shared simulator. */
SimResp    *api                  (const char *method,
                                  const char *path,
                                  const char *auth,
                                  const char *body);

/* envelope helpers (assert the types) */
JsonObject *resp_object          (SimResp *r);
JsonNode   *resp_response        (SimResp *r);   /* NULL when absent */
JsonObject *resp_response_object (SimResp *r);
JsonArray  *resp_response_array  (SimResp *r);
JsonObject *resp_error           (SimResp *r);   /* error{} of an error envelope */

JsonObject *obj_obj              (JsonObject *o,
                                  const char *name);
JsonArray  *obj_arr              (JsonObject *o,
                                  const char *name);
const char *obj_str              (JsonObject *o,
                                  const char *name);
gint64      obj_int              (JsonObject *o,
                                  const char *name);
gboolean    obj_bool             (JsonObject *o,
                                  const char *name);
/* An id member as text, whether it is a number or a string. */
char       *obj_id               (JsonObject *o,
                                  const char *name);
JsonObject *arr_obj              (JsonArray *a,
                                  guint      i);
/* The entry with this id in an array of entries/links ("id" or sharedLink.id), or NULL. */
JsonObject *find_by_id           (JsonArray  *a,
                                  const char *id);
JsonObject *find_link_by_title   (JsonArray  *a,
                                  const char *title);
/* "2026-...+03:00" n days from now */
char       *iso_in_days          (double days);

G_END_DECLS

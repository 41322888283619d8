/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim-test-util.c: see sim-test-util.h. */
#define G_LOG_DOMAIN "docspace-sim-test"

#include "sim-test-util.h"

#include <string.h>

static DslSim *shared_sim;

void
sim_resp_free (SimResp *r)
{
  if (r == NULL)
    return;
  g_free (r->text);
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_pointer (&r->headers, g_hash_table_unref);
  g_free (r);
}

DslSim *
sim_test_sim (void)
{
  g_assert_nonnull (shared_sim);
  return shared_sim;
}

void
sim_test_init (int    *argc,
               char ***argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);
  shared_sim = dsl_sim_start (NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (shared_sim);
}

int
sim_test_run (void)
{
  int ret = g_test_run ();

  g_clear_pointer (&shared_sim, dsl_sim_stop);
  return ret;
}

void
sim_test_reset (void)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_reset (sim_test_sim (), &error);
  g_assert_no_error (error);
}

SimResp *
sim_call (DslSim     *sim,
          const char *method,
          const char *path,
          const char *auth,
          const char *body)
{
  SimResp *r = g_new0 (SimResp, 1);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  r->status = dsl_sim_http (sim, method, path, auth, body, &bytes, &r->headers);
  if (bytes != NULL)
    {
      r->length = g_bytes_get_size (bytes);
      r->text = g_strndup (g_bytes_get_data (bytes, NULL), r->length);
    }
  else
    r->text = g_strdup ("");
  if (r->length > 0 && json_parser_load_from_data (parser, r->text, (gssize) r->length, NULL) &&
      json_parser_get_root (parser) != NULL)
    r->json = json_node_copy (json_parser_get_root (parser));
  return r;
}

SimResp *
api (const char *method,
     const char *path,
     const char *auth,
     const char *body)
{
  return sim_call (sim_test_sim (), method, path, auth, body);
}

JsonObject *
resp_object (SimResp *r)
{
  if (r->json == NULL || !JSON_NODE_HOLDS_OBJECT (r->json))
    g_error ("expected a JSON object, got HTTP %u: %s", r->status, r->text);
  return json_node_get_object (r->json);
}

JsonNode *
resp_response (SimResp *r)
{
  JsonObject *o = resp_object (r);

  return json_object_has_member (o, "response") ? json_object_get_member (o, "response") : NULL;
}

JsonObject *
resp_response_object (SimResp *r)
{
  JsonNode *n = resp_response (r);

  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n))
    g_error ("expected an object response, got HTTP %u: %s", r->status, r->text);
  return json_node_get_object (n);
}

JsonArray *
resp_response_array (SimResp *r)
{
  JsonNode *n = resp_response (r);

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    g_error ("expected an array response, got HTTP %u: %s", r->status, r->text);
  return json_node_get_array (n);
}

JsonObject *
resp_error (SimResp *r)
{
  return obj_obj (resp_object (r), "error");
}

static JsonNode *
member (JsonObject *o,
        const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL)
    g_error ("missing member \"%s\"", name);
  return n;
}

JsonObject *
obj_obj (JsonObject *o,
         const char *name)
{
  JsonNode *n = member (o, name);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (n));
  return json_node_get_object (n);
}

JsonArray *
obj_arr (JsonObject *o,
         const char *name)
{
  JsonNode *n = member (o, name);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (n));
  return json_node_get_array (n);
}

const char *
obj_str (JsonObject *o,
         const char *name)
{
  JsonNode *n = member (o, name);

  if (JSON_NODE_HOLDS_NULL (n))
    return NULL;
  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_STRING);
  return json_node_get_string (n);
}

gint64
obj_int (JsonObject *o,
         const char *name)
{
  JsonNode *n = member (o, name);

  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_INT64);
  return json_node_get_int (n);
}

gboolean
obj_bool (JsonObject *o,
          const char *name)
{
  JsonNode *n = member (o, name);

  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  g_assert_cmpint (json_node_get_value_type (n), ==, G_TYPE_BOOLEAN);
  return json_node_get_boolean (n);
}

char *
obj_id (JsonObject *o,
        const char *name)
{
  JsonNode *n = member (o, name);

  g_assert_true (JSON_NODE_HOLDS_VALUE (n));
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
  return g_strdup (json_node_get_string (n));
}

JsonObject *
arr_obj (JsonArray *a,
         guint      i)
{
  g_assert_cmpuint (i, <, json_array_get_length (a));
  return json_array_get_object_element (a, i);
}

JsonObject *
find_by_id (JsonArray  *a,
            const char *id)
{
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      g_autofree char *oid = NULL;

      if (json_object_has_member (o, "sharedLink"))
        {
          if (g_strcmp0 (obj_str (obj_obj (o, "sharedLink"), "id"), id) == 0)
            return o;
          continue;
        }
      oid = obj_id (o, "id");
      if (g_strcmp0 (oid, id) == 0)
        return o;
    }
  return NULL;
}

JsonObject *
find_link_by_title (JsonArray  *a,
                    const char *title)
{
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);

      if (g_strcmp0 (obj_str (obj_obj (o, "sharedLink"), "title"), title) == 0)
        return o;
    }
  return NULL;
}

char *
iso_in_days (double days)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, days * 86400.0);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%S.0000000+03:00");
}

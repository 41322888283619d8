/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-fixture.c: start docspace-sim for a test, drive its /__sim/ control API, stop it.
 *
 *   dsl_sim_start ─▶ GSubprocess (stdout piped) ─▶ first line = portal URL (10 s limit,
 *                    read on a private GMainContext so the caller's loop is untouched)
 *   control calls and dsl_sim_http ─▶ one synchronous SoupSession without proxies
 *   dsl_sim_stop ─▶ SIGTERM, then SIGKILL if it does not exit within 5 s, then wait. */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim-fixture.h"

#include <libsoup/soup.h>
#include <signal.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <string.h>

#ifndef DSL_SIM_PATH
#error "DSL_SIM_PATH must be defined by the build"
#endif

#define START_TIMEOUT_SECONDS 10
#define STOP_TIMEOUT_SECONDS 5

struct _DslSim {
  GSubprocess *process;
  SoupSession *session;
  char        *url;
};

typedef struct {
  GMainContext *context;
  char         *line;
  GError       *error;
  gboolean      done;
  gboolean      timed_out;
} LineRead;

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *lr = user_data;

  lr->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                        NULL, &lr->error);
  lr->done = TRUE;
  g_main_context_wakeup (lr->context);
}

static gboolean
on_start_timeout (gpointer user_data)
{
  LineRead *lr = user_data;

  lr->timed_out = TRUE;
  g_main_context_wakeup (lr->context);
  return G_SOURCE_REMOVE;
}

typedef struct {
  GMainContext *context;
  gboolean      done;
  gboolean      timed_out;
} Wait;

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  w->done = TRUE;
  g_main_context_wakeup (w->context);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  Wait *w = user_data;

  w->timed_out = TRUE;
  g_main_context_wakeup (w->context);
  return G_SOURCE_REMOVE;
}

/* Waits up to STOP_TIMEOUT_SECONDS for the process to exit, then kills it. */
static void
wait_for_exit (GSubprocess *process)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (STOP_TIMEOUT_SECONDS);
  Wait w = { context, FALSE, FALSE };

  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (process, NULL, on_waited, &w);
  g_source_set_callback (timeout, on_wait_timeout, &w, NULL);
  g_source_attach (timeout, context);
  while (!w.done && !w.timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  if (!w.done)
    {
      g_subprocess_force_exit (process);
      while (!w.done)
        g_main_context_iteration (context, TRUE);
    }
  g_main_context_pop_thread_default (context);
}

/* In the child: if the test process dies without stopping us, take the simulator down too. */
static void
child_setup (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

DslSim *
dsl_sim_start (const char * const *extra_args,
               GError            **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GSource) timeout = NULL;
  LineRead lr = { 0 };
  const char *path = g_getenv ("DSL_SIM");
  DslSim *sim;

  if (path == NULL || *path == '\0')
    path = DSL_SIM_PATH;

  g_ptr_array_add (argv, (gpointer) path);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (process == NULL)
    return NULL;

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  lr.context = context;
  data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_read_line_async (data, G_PRIORITY_DEFAULT, NULL, on_line_read, &lr);
  timeout = g_timeout_source_new_seconds (START_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, on_start_timeout, &lr, NULL);
  g_source_attach (timeout, context);
  while (!lr.done && !lr.timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  if (!lr.done)
    {
      /* let the pending read finish (it fails once the process is gone) */
      g_subprocess_force_exit (process);
      while (!lr.done)
        g_main_context_iteration (context, TRUE);
    }
  g_main_context_pop_thread_default (context);

  if (lr.timed_out || lr.line == NULL || !g_str_has_prefix (lr.line, "http://"))
    {
      if (lr.timed_out)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                     "docspace-sim (%s) printed no URL within %d s", path,
                     START_TIMEOUT_SECONDS);
      else if (lr.error != NULL)
        g_propagate_prefixed_error (error, g_steal_pointer (&lr.error),
                                    "Reading the URL of docspace-sim (%s): ", path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "docspace-sim (%s) exited without printing its URL", path);
      g_clear_error (&lr.error);
      g_free (lr.line);
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, NULL);
      return NULL;
    }

  sim = g_new0 (DslSim, 1);
  sim->process = g_steal_pointer (&process);
  sim->url = g_strdup (g_strstrip (lr.line));
  g_free (lr.line);
  sim->session = soup_session_new_with_options ("timeout", 60, "user-agent", "dsl-sim-fixture",
                                                NULL);
  soup_session_set_proxy_resolver (sim->session, NULL);
  return sim;
}

void
dsl_sim_stop (DslSim *sim)
{
  if (sim == NULL)
    return;
  g_clear_object (&sim->session);
  if (sim->process != NULL)
    {
      if (g_subprocess_get_identifier (sim->process) != NULL)
        {
          g_subprocess_send_signal (sim->process, SIGTERM);
          wait_for_exit (sim->process);
        }
      g_clear_object (&sim->process);
    }
  g_free (sim->url);
  g_free (sim);
}

const char *
dsl_sim_get_url (DslSim *sim)
{
  g_return_val_if_fail (sim != NULL, NULL);
  return sim->url;
}

static guint
send (DslSim      *sim,
      const char  *method,
      const char  *path_and_query,
      const char  *authorization,
      const char  *body,
      GBytes     **out_body,
      GHashTable **out_headers,
      GError     **error)
{
  g_autofree char *uri = g_strconcat (sim->url, path_and_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;

  if (msg == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Bad URI %s", uri);
      return 0;
    }
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  authorization);
  if (body != NULL)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (sim->session, msg, NULL, error);
  if (bytes == NULL)
    return 0;
  if (out_headers != NULL)
    {
      SoupMessageHeadersIter iter;
      const char *name, *value;
      GHashTable *h = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      soup_message_headers_iter_init (&iter, soup_message_get_response_headers (msg));
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          char *lower = g_ascii_strdown (name, -1);
          const char *prev = g_hash_table_lookup (h, lower);

          if (prev != NULL)
            g_hash_table_replace (h, lower, g_strdup_printf ("%s, %s", prev, value));
          else
            g_hash_table_replace (h, lower, g_strdup (value));
        }
      *out_headers = h;
    }
  if (out_body != NULL)
    *out_body = g_steal_pointer (&bytes);
  return soup_message_get_status (msg);
}

static gboolean
control (DslSim      *sim,
         const char  *method,
         const char  *path,
         const char  *body,
         GBytes     **out_body,
         GError     **error)
{
  g_autoptr(GBytes) reply = NULL;
  guint status;

  g_return_val_if_fail (sim != NULL, FALSE);
  status = send (sim, method, path, NULL, body, &reply, NULL, error);
  if (status == 0)
    return FALSE;
  if (status < 200 || status > 299)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s %s: HTTP %u %s", method, path,
                   status, text);
      return FALSE;
    }
  if (out_body != NULL)
    *out_body = g_steal_pointer (&reply);
  return TRUE;
}

gboolean
dsl_sim_reset (DslSim  *sim,
               GError **error)
{
  return control (sim, "POST", "/__sim/reset", NULL, NULL, error);
}

gboolean
dsl_sim_set_faults (DslSim     *sim,
                    const char *profile,
                    GError    **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (profile != NULL, FALSE);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "profile");
  json_builder_add_string_value (b, profile);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  body = json_generator_to_data (gen, NULL);
  return control (sim, "POST", "/__sim/faults", body, NULL, error);
}

static char *
link_control_path (const char *link_id)
{
  g_autofree char *escaped = g_uri_escape_string (link_id, NULL, FALSE);

  return g_strconcat ("/__sim/links/", escaped, NULL);
}

gboolean
dsl_sim_change_link (DslSim     *sim,
                     const char *link_id,
                     const char *json_body,
                     GError    **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (link_id != NULL && json_body != NULL, FALSE);
  path = link_control_path (link_id);
  return control (sim, "POST", path, json_body, NULL, error);
}

gboolean
dsl_sim_delete_link (DslSim     *sim,
                     const char *link_id,
                     GError    **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (link_id != NULL, FALSE);
  path = link_control_path (link_id);
  return control (sim, "DELETE", path, NULL, NULL, error);
}

JsonNode *
dsl_sim_get_requests (DslSim  *sim,
                      GError **error)
{
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!control (sim, "GET", "/__sim/requests", NULL, &reply, error))
    return NULL;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                   (gssize) g_bytes_get_size (reply), error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "/__sim/requests did not return an array");
      return NULL;
    }
  return json_node_copy (root);
}

gboolean
dsl_sim_clear_requests (DslSim  *sim,
                        GError **error)
{
  return control (sim, "DELETE", "/__sim/requests", NULL, NULL, error);
}

static gboolean
request_matches (JsonNode   *node,
                 const char *method,
                 const char *path)
{
  JsonObject *o;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  o = json_node_get_object (node);
  if (method != NULL && g_strcmp0 (json_object_get_string_member_with_default (o, "method", NULL),
                                   method) != 0)
    return FALSE;
  if (path != NULL && g_strcmp0 (json_object_get_string_member_with_default (o, "path", NULL),
                                 path) != 0)
    return FALSE;
  return TRUE;
}

JsonNode *
dsl_sim_find_request (DslSim     *sim,
                      const char *method,
                      const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) all = dsl_sim_get_requests (sim, &error);
  JsonArray *a;

  g_return_val_if_fail (path != NULL, NULL);
  if (all == NULL)
    {
      g_warning ("dsl_sim_find_request: %s", error->message);
      return NULL;
    }
  a = json_node_get_array (all);
  for (guint i = json_array_get_length (a); i > 0; i--)
    {
      JsonNode *n = json_array_get_element (a, i - 1);

      if (request_matches (n, method, path))
        return json_node_copy (n);
    }
  return NULL;
}

guint
dsl_sim_count_requests (DslSim     *sim,
                        const char *method,
                        const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) all = dsl_sim_get_requests (sim, &error);
  JsonArray *a;
  guint n = 0;

  if (all == NULL)
    {
      g_warning ("dsl_sim_count_requests: %s", error->message);
      return 0;
    }
  a = json_node_get_array (all);
  for (guint i = 0; i < json_array_get_length (a); i++)
    if (request_matches (json_array_get_element (a, i), method, path))
      n++;
  return n;
}

static JsonObject *
state_entry (GHashTable *entries,
             const char *id)
{
  return id != NULL ? g_hash_table_lookup (entries, id) : NULL;
}

/* The root ("1" Rooms, "2" Olivia's My documents, "6" Archive, …) an entry is under. */
static const char *
state_entry_root (GHashTable *entries,
                  JsonObject *entry)
{
  JsonObject *parent;

  while ((parent = state_entry (entries,
                                json_object_get_string_member_with_default (entry, "parent",
                                                                            NULL))) != NULL)
    entry = parent;
  return json_object_get_string_member (entry, "id");
}

GHashTable *
dsl_sim_read_external_links (const char *state_file,
                             guint      *n_items)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) entries = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GHashTable *links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) json_object_unref);
  JsonArray *array;
  guint count = 0;

  json_parser_load_from_file (parser, state_file, &error);
  g_assert_no_error (error);
  array = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "entries");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);

      g_hash_table_insert (entries, (gpointer) json_object_get_string_member (entry, "id"), entry);
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      const char *id = json_object_get_string_member (entry, "id");
      const char *root = state_entry_root (entries, entry);
      JsonArray *entry_links = json_object_get_array_member (entry, "links");

      if ((g_strcmp0 (root, "1") != 0 && g_strcmp0 (root, "2") != 0) || g_str_equal (id, root))
        continue;

      if (!json_object_get_boolean_member (entry, "virtual"))
        count++;
      count += MAX (json_object_get_int_member (entry, "virtualCount"), 0);

      for (guint j = 0; entry_links != NULL && j < json_array_get_length (entry_links); j++)
        {
          JsonObject *link = json_array_get_object_element (entry_links, j);
          g_autoptr(JsonNode) copy = NULL;

          if (json_object_get_int_member (link, "subjectType") == 3)
            continue;
          copy = json_node_copy (json_array_get_element (entry_links, j));
          json_object_set_string_member (json_node_get_object (copy), "entryId", id);
          g_hash_table_insert (links, g_strdup (json_object_get_string_member (link, "id")),
                               json_object_ref (json_node_get_object (copy)));
        }
    }

  if (n_items != NULL)
    *n_items = count;
  return links;
}

guint
dsl_sim_http (DslSim       *sim,
              const char   *method,
              const char   *path_and_query,
              const char   *authorization,
              const char   *body,
              GBytes      **out_body,
              GHashTable  **out_headers)
{
  g_autoptr(GError) error = NULL;
  guint status;

  g_return_val_if_fail (sim != NULL, 0);
  status = send (sim, method, path_and_query, authorization, body, out_body, out_headers,
                 &error);
  if (status == 0)
    g_debug ("dsl_sim_http %s %s: %s", method, path_and_query, error->message);
  return status;
}

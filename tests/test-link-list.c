/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-link-list.c: DslLinkList (the links of one item as a GListModel) against docspace-sim,
 * without a display: loading a file, a folder, a room with its invitation link; a reload
 * dropping the answer of the load before it; busy and error per link; remove and extend; and a
 * second administrator changing the link between the list's read and its write (the
 * simulator's /__sim/links control API): the write is made against the server's current state,
 * so what the other administrator did stays, a removed link is dropped, a moved expiry is
 * asked about with both values and nothing is sent.
 *
 * Seed data (tests/sim/README.md): 401 "Q3 report.docx" (primary + "Download blocked"), 501
 * "Drafts" (a folder with its primary link), 101 "Marketing" (four external links, "Old
 * preview" expired, and an invitation link), 104 "Engineering" (collaboration: no external
 * links). */
#define G_LOG_DOMAIN "dsl-test"

#include <string.h>

#include <gio/gio.h>

#include "dsl-client.h"
#include "dsl-error.h"
#include "dsl-link-form.h"
#include "dsl-link-list.h"
#include "dsl-sim-fixture.h"

#define OWNER_KEY "sk-demo-owner"
#define WAIT_MS   20000

static DslSim *sim;

typedef struct {
  DslClient   *client;
  DslLinkList *list;
  guint        changed;       /* "links-changed" */
  GPtrArray   *states;        /* "link-state-changed" ids, in order */
  GAsyncResult *result;
} Fixture;

/* --- waiting --- */

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Predicate) (Fixture *f);

static void
run_until (Fixture   *f,
           Predicate  predicate,
           const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (WAIT_MS, timed_out_cb, &timed_out);

  while (!predicate (f) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting for %s", what);
  g_source_remove (id);
}

static void
run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
settled (Fixture *f)
{
  return !dsl_link_list_get_loading (f->list);
}

static gboolean
answered (Fixture *f)
{
  return f->result != NULL;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

/* Waits for the operation started with done_cb and hands its result over. */
static GAsyncResult *
wait_result (Fixture *f)
{
  run_until (f, answered, "the operation's answer");
  return g_steal_pointer (&f->result);
}

/* --- the portal --- */

typedef struct {
  DslItem *item;
  GError  *error;
  gboolean done;
} ItemResult;

static void
get_item_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ItemResult *r = user_data;

  r->item = dsl_client_get_item_finish (DSL_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

static DslItem *
fetch_item (Fixture     *f,
            DslItemKind  kind,
            const char  *id)
{
  ItemResult r = { 0 };

  dsl_client_get_item_async (f->client, kind, id, NULL, get_item_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  return r.item;
}

/* Shows `id` in the list and waits for its links; the request log then holds only them. */
static DslItem *
load_item (Fixture     *f,
           DslItemKind  kind,
           const char  *id)
{
  g_autoptr(GError) error = NULL;
  DslItem *item = fetch_item (f, kind, id);

  dsl_sim_clear_requests (sim, &error);
  g_assert_no_error (error);
  dsl_link_list_set_item (f->list, item);
  g_assert_true (dsl_link_list_get_loading (f->list));
  run_until (f, settled, "the load");
  return item;
}

static guint
count (const char *method,
       const char *path)
{
  return dsl_sim_count_requests (sim, method, path);
}

static void
set_faults (const char *profile)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_set_faults (sim, profile, &error);
  g_assert_no_error (error);
}

/* The link the portal holds now (read as the owner, straight from the simulator), or NULL. */
static JsonObject *
server_link (const char *path_and_query,
             const char *link_id)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *entries;
  guint status;

  status = dsl_sim_http (sim, "GET", path_and_query, "Bearer " OWNER_KEY, NULL, &body, NULL);
  g_assert_cmpuint (status, ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              &error);
  g_assert_no_error (error);
  entries = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "response");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *link = json_object_get_object_member (json_array_get_object_element (entries, i),
                                                        "sharedLink");

      if (g_strcmp0 (json_object_get_string_member (link, "id"), link_id) == 0)
        return json_object_ref (link);
    }
  return NULL;
}

/* The link of the model titled `title`, or NULL. */
static DslLink *
find_titled (Fixture    *f,
             const char *title)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->list)); i++)
    {
      g_autoptr(DslLink) link = g_list_model_get_item (G_LIST_MODEL (f->list), i);

      if (g_strcmp0 (dsl_link_get_title (link), title) == 0)
        return dsl_link_list_find (f->list, dsl_link_get_id (link));
    }
  return NULL;
}

static char *
titles (Fixture *f)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (f->list)); i++)
    {
      g_autoptr(DslLink) link = g_list_model_get_item (G_LIST_MODEL (f->list), i);

      g_string_append_printf (text, "%s%s", i > 0 ? "," : "", dsl_link_get_title (link));
    }
  return g_string_free (text, FALSE);
}

static GDateTime *
parse_date (const char *text)
{
  return g_date_time_new_from_iso8601 (text, NULL);
}

/* --- fixture --- */

static void
on_links_changed (Fixture *f)
{
  f->changed++;
}

static void
on_link_state_changed (Fixture    *f,
                       const char *id)
{
  g_ptr_array_add (f->states, g_strdup (id));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_reset (sim, &error);
  g_assert_no_error (error);
  f->client = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->client, OWNER_KEY);
  f->list = dsl_link_list_new (f->client, NULL);
  f->states = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect_swapped (f->list, "links-changed", G_CALLBACK (on_links_changed), f);
  g_signal_connect_swapped (f->list, "link-state-changed", G_CALLBACK (on_link_state_changed),
                            f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (f->list), (gpointer *) &f->list);
  g_object_unref (f->list);
  /* Requests in flight (the item read again after a change) hold the list until they are
   * done. */
  for (guint i = 0; i < 400 && f->list != NULL; i++)
    run_for (5);
  g_assert_null (f->list);
  g_object_add_weak_pointer (G_OBJECT (f->client), (gpointer *) &f->client);
  g_object_unref (f->client);
  /* Requests in flight hold the client until they are cancelled and complete. */
  for (guint i = 0; i < 400 && f->client != NULL; i++)
    run_for (5);
  g_assert_null (f->client);
  g_clear_object (&f->result);
  g_ptr_array_unref (f->states);
  set_faults ("none");
}

/* --- loading --- */

/* A file: one request, primary first. */
static void
test_file (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  g_autofree char *shown = titles (f);
  g_autoptr(DslLink) first = g_list_model_get_item (G_LIST_MODEL (f->list), 0);

  g_assert_true (dsl_link_list_get_loaded (f->list));
  g_assert_null (dsl_link_list_get_error (f->list));
  g_assert_cmpstr (shown, ==, "Shared link,Download blocked");
  g_assert_true (dsl_link_get_primary (first));
  g_assert_true (dsl_link_list_get_primary (f->list) == dsl_link_list_find (f->list,
                                                                            dsl_link_get_id (first)));
  g_assert_null (dsl_link_list_get_invitation (f->list));
  g_assert_false (dsl_link_list_get_wants_invitation (f->list));
  g_assert_cmpuint (count ("GET", "/api/2.0/files/file/401/links"), ==, 1);
  g_assert_cmpuint (count (NULL, NULL), ==, 1);
  g_assert_false (dsl_item_get_has_expired_links (item));
}

/* A folder: GET files/folder/{id}/links. */
static void
test_folder (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_FOLDER, "501");
  g_autoptr(DslLink) first = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 1);
  first = g_list_model_get_item (G_LIST_MODEL (f->list), 0);
  g_assert_true (dsl_link_get_primary (first));
  g_assert_cmpuint (count ("GET", "/api/2.0/files/folder/501/links"), ==, 1);
  g_assert_cmpuint (count (NULL, NULL), ==, 1);
}

/* A room: external links (type=1) and the invitation link (type=0), two requests; the item's
 * badge says it has an expired link. */
static void
test_room (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_ROOM, "101");
  g_autofree char *shown = titles (f);
  g_autoptr(GPtrArray) queries = NULL;
  DslLink *invitation = dsl_link_list_get_invitation (f->list);

  g_assert_cmpstr (shown, ==, "Shared link,Old preview,Partners,Staff only");
  g_assert_nonnull (invitation);
  g_assert_cmpint (dsl_link_get_subject_type (invitation), ==, DSL_SUBJECT_TYPE_INVITATION_LINK);
  g_assert_true (dsl_link_list_find (f->list, dsl_link_get_id (invitation)) == invitation);
  g_assert_true (dsl_link_list_get_wants_invitation (f->list));
  g_assert_cmpuint (count ("GET", "/api/2.0/files/rooms/101/links"), ==, 2);
  g_assert_cmpuint (count (NULL, NULL), ==, 2);
  g_assert_true (dsl_item_get_has_expired_links (item));
}

/* A collaboration room cannot have external links: only its invitation link is read. */
static void
test_invitation_only (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_ROOM, "104");

  g_assert_nonnull (dsl_link_form_explain_no_links (item));
  g_assert_true (dsl_link_list_get_loaded (f->list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);
  g_assert_cmpuint (count ("GET", "/api/2.0/files/rooms/104/links"), ==, 1);
  g_assert_cmpuint (count (NULL, NULL), ==, 1);
}

/* A failing load: the error, no links; a reload clears it. */
static void
test_load_error (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = fetch_item (f, DSL_ITEM_KIND_FILE, "401");

  set_faults ("error500,path=/api/2.0/files/file/401/links");
  dsl_link_list_set_item (f->list, item);
  run_until (f, settled, "the load");
  g_assert_nonnull (strstr (dsl_link_list_get_error (f->list), "The portal answered with an error"));
  g_assert_false (dsl_link_list_get_loaded (f->list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);
  set_faults ("none");
  dsl_link_list_reload (f->list);
  g_assert_null (dsl_link_list_get_error (f->list));
  run_until (f, settled, "the reload");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 2);
}

/* The first load's answer is held back; a second administrator removes a link meanwhile and
 * the list is read again: the newer answer counts, the older one (with the link) is dropped
 * when it arrives. */
static void
test_reload_drops_stale (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = fetch_item (f, DSL_ITEM_KIND_FILE, "401");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *blocked_id = NULL;

  /* The id of "Download blocked", from a first look. */
  dsl_link_list_set_item (f->list, item);
  run_until (f, settled, "the load");
  blocked_id = g_strdup (dsl_link_get_id (find_titled (f, "Download blocked")));
  dsl_link_list_set_item (f->list, NULL);

  set_faults ("latency=1500,count=1,path=/api/2.0/files/file/401/links");
  dsl_link_list_set_item (f->list, item);
  run_for (300);   /* the slow request was taken in (with both links) */
  dsl_sim_delete_link (sim, blocked_id, &error);
  g_assert_no_error (error);
  dsl_link_list_reload (f->list);
  run_until (f, settled, "the reload");
  before = titles (f);
  g_assert_cmpstr (before, ==, "Shared link");
  /* Well past the first answer. */
  run_for (1800);
  after = titles (f);
  g_assert_cmpstr (after, ==, "Shared link");
  g_assert_false (dsl_link_list_get_loading (f->list));
}

/* --- operations --- */

static gboolean
id_seen (GPtrArray  *states,
         const char *id)
{
  for (guint i = 0; i < states->len; i++)
    if (g_strcmp0 (states->pdata[i], id) == 0)
      return TRUE;
  return FALSE;
}

/* Busy while the remove is in flight; a failure leaves the link with the message on it, and
 * the other links untouched. */
static void
test_busy_and_error (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (dsl_link_get_id (find_titled (f, "Download blocked")));
  const char *primary_id = dsl_link_get_id (find_titled (f, "Shared link"));

  set_faults ("error500,path=/api/2.0/files/file/401/links");
  dsl_link_list_remove_async (f->list, id, done_cb, f);
  g_assert_true (dsl_link_list_get_busy (f->list, id));
  g_assert_false (dsl_link_list_get_busy (f->list, primary_id));
  g_assert_true (id_seen (f->states, id));
  /* A second operation on a busy link is refused. */
  dsl_link_list_remove_async (f->list, id, done_cb, f);
  result = wait_result (f);
  g_assert_cmpint (dsl_link_list_remove_finish (f->list, result, NULL, &error), ==,
                   DSL_LINK_REMOVAL_NOT_ALLOWED);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_clear_object (&result);

  result = wait_result (f);
  dsl_link_list_remove_finish (f->list, result, NULL, &error);
  g_assert_nonnull (error);
  g_assert_false (dsl_link_list_get_busy (f->list, id));
  g_assert_nonnull (strstr (dsl_link_list_get_error_for (f->list, id),
                            "The portal answered with an error"));
  g_assert_null (dsl_link_list_get_error_for (f->list, primary_id));
  g_assert_nonnull (find_titled (f, "Download blocked"));
  g_assert_cmpuint (f->changed, ==, 0);
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
}

/* Remove: the link goes from the model and the portal; "links-changed"; the item read again. */
static void
test_remove (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) put = NULL;
  g_autofree char *id = g_strdup (dsl_link_get_id (find_titled (f, "Download blocked")));
  g_autofree char *shown = NULL;
  g_autoptr(JsonObject) left = NULL;

  dsl_link_list_remove_async (f->list, id, done_cb, f);
  result = wait_result (f);
  g_assert_cmpint (dsl_link_list_remove_finish (f->list, result, NULL, &error), ==,
                   DSL_LINK_REMOVAL_REVOKE);
  g_assert_no_error (error);
  shown = titles (f);
  g_assert_cmpstr (shown, ==, "Shared link");
  g_assert_null (dsl_link_list_find (f->list, id));
  g_assert_false (dsl_link_list_get_busy (f->list, id));
  g_assert_cmpuint (f->changed, ==, 1);
  put = dsl_sim_find_request (sim, "PUT", "/api/2.0/files/file/401/links");
  g_assert_nonnull (put);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_node_get_object (put), "body"), "access"), ==, 0);
  left = server_link ("/api/2.0/files/file/401/links", id);
  g_assert_null (left);
  /* The item is read again (its badges). */
  for (guint i = 0; i < 400 && count ("GET", "/api/2.0/files/file/401") == 0; i++)
    run_for (10);
  g_assert_cmpuint (count ("GET", "/api/2.0/files/file/401"), ==, 1);
}

/* Extend an expired link: seven days from now; the model holds what the server stored. */
static void
test_extend (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_ROOM, "101");
  g_autoptr(DslLinkChange) change = dsl_link_change_new (find_titled (f, "Old preview"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *expiry;
  GTimeSpan ahead;

  dsl_link_change_extend (change);
  dsl_link_list_change_async (f->list, change, done_cb, f);
  result = wait_result (f);
  stored = dsl_link_list_change_finish (f->list, result, NULL, NULL, &error);
  g_assert_no_error (error);
  expiry = dsl_link_get_expiration_date (find_titled (f, "Old preview"));
  g_assert_nonnull (expiry);
  ahead = g_date_time_difference (expiry, now);
  g_assert_cmpint (ahead, >, 6 * G_TIME_SPAN_DAY);
  g_assert_cmpint (ahead, <=, 8 * G_TIME_SPAN_DAY);
  g_assert_false (dsl_link_get_is_expired (find_titled (f, "Old preview")));
  g_assert_false (dsl_item_get_has_expired_links (item));
  g_assert_cmpuint (f->changed, ==, 1);
  g_assert_cmpuint (count ("PUT", "/api/2.0/files/rooms/101/links"), ==, 1);
}

/* (a) A second administrator adds a password and makes the link portal-users-only after the
 * list was read; Extend then keeps both and sets the new expiry. */
static void
test_extend_keeps_others_change (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_ROOM, "101");
  DslLink *seen = find_titled (f, "Old preview");
  g_autofree char *id = g_strdup (dsl_link_get_id (seen));
  g_autoptr(DslLinkChange) change = dsl_link_change_new (seen);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(JsonObject) server = NULL;
  g_autoptr(GDateTime) expiry = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_null (dsl_link_get_password (seen));
  g_assert_false (dsl_link_get_internal (seen));
  dsl_sim_change_link (sim, id, "{\"password\": \"Other-admin-1\", \"internal\": true}", &error);
  g_assert_no_error (error);

  dsl_link_change_extend (change);
  dsl_link_list_change_async (f->list, change, done_cb, f);
  result = wait_result (f);
  stored = dsl_link_list_change_finish (f->list, result, NULL, NULL, &error);
  g_assert_no_error (error);

  server = server_link ("/api/2.0/files/rooms/101/links?type=1", id);
  g_assert_nonnull (server);
  g_assert_true (json_object_has_member (server, "password"));
  g_assert_cmpstr (json_object_get_string_member (server, "password"), ==, "Other-admin-1");
  g_assert_true (json_object_get_boolean_member_with_default (server, "internal", FALSE));
  expiry = parse_date (json_object_get_string_member (server, "expirationDate"));
  g_assert_cmpint (g_date_time_difference (expiry, now), >, 6 * G_TIME_SPAN_DAY);
  /* The model shows the server's state too. */
  g_assert_cmpstr (dsl_link_get_password (find_titled (f, "Old preview")), ==, "Other-admin-1");
  g_assert_true (dsl_link_get_internal (find_titled (f, "Old preview")));
}

/* (b) A second administrator removed the link after the list was read: Extend drops it from
 * the model and says so; nothing is sent. */
static void
test_extend_gone (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  DslLink *seen = find_titled (f, "Download blocked");
  g_autofree char *id = g_strdup (dsl_link_get_id (seen));
  g_autoptr(DslLinkChange) change = dsl_link_change_new (seen);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) stored = NULL;

  dsl_sim_delete_link (sim, id, &error);
  g_assert_no_error (error);
  dsl_link_change_extend (change);
  dsl_link_list_change_async (f->list, change, done_cb, f);
  result = wait_result (f);
  stored = dsl_link_list_change_finish (f->list, result, NULL, NULL, &error);
  g_assert_null (stored);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_LINK_GONE);
  g_assert_null (find_titled (f, "Download blocked"));
  g_assert_null (dsl_link_list_find (f->list, id));
  g_assert_nonnull (strstr (dsl_link_list_get_error_for (f->list, id), "removed it"));
  g_assert_false (dsl_link_list_get_busy (f->list, id));
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
  g_assert_cmpuint (f->changed, ==, 0);
}

/* (b) The same for Revoke. */
static void
test_revoke_gone (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  g_autofree char *id = g_strdup (dsl_link_get_id (find_titled (f, "Download blocked")));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  dsl_sim_delete_link (sim, id, &error);
  g_assert_no_error (error);
  dsl_link_list_remove_async (f->list, id, done_cb, f);
  result = wait_result (f);
  dsl_link_list_remove_finish (f->list, result, NULL, &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_LINK_GONE);
  g_assert_nonnull (strstr (error->message, "someone else removed it"));
  shown = titles (f);
  g_assert_cmpstr (shown, ==, "Shared link");
  g_assert_nonnull (strstr (dsl_link_list_get_error_for (f->list, id), "removed it"));
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
}

/* (c) A second administrator moved the expiry after the list was read: Extend reports the
 * conflict with both dates and sends nothing; the model shows the server's expiry. Accepting
 * the current state then extends from it. */
static void
test_extend_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_ROOM, "101");
  DslLink *seen = find_titled (f, "Old preview");
  g_autofree char *id = g_strdup (dsl_link_get_id (seen));
  g_autoptr(GDateTime) seen_expiry = g_date_time_ref (dsl_link_get_expiration_date (seen));
  g_autoptr(DslLinkChange) change = dsl_link_change_new (seen);
  g_autoptr(DslLinkChange) again = NULL;
  g_autoptr(DslLink) current = NULL;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) moved = g_date_time_add_days (now, 3);
  g_autofree char *moved_text = g_date_time_format_iso8601 (moved);
  g_autofree char *body = g_strdup_printf ("{\"expirationDate\": \"%s\"}", moved_text);
  g_autofree char *seen_words = dsl_link_format_exact_date (seen_expiry);
  g_autofree char *moved_words = NULL;
  g_autoptr(GError) sim_error = NULL;
  GTimeSpan ahead;

  dsl_sim_change_link (sim, id, body, &sim_error);
  g_assert_no_error (sim_error);
  dsl_sim_clear_requests (sim, &sim_error);
  g_assert_no_error (sim_error);

  dsl_link_change_extend (change);
  dsl_link_list_change_async (f->list, change, done_cb, f);
  result = wait_result (f);
  stored = dsl_link_list_change_finish (f->list, result, &again, &current, &error);
  g_assert_null (stored);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_LINK_CONFLICT);
  g_assert_nonnull (current);
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (current)), ==,
                   g_date_time_to_unix (moved));
  moved_words = dsl_link_format_exact_date (dsl_link_get_expiration_date (current));
  g_assert_nonnull (strstr (error->message, seen_words));
  g_assert_nonnull (strstr (error->message, moved_words));
  g_assert_nonnull (current);
  g_assert_nonnull (again);
  /* Nothing sent: one read, no PUT. */
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
  g_assert_cmpuint (count ("GET", "/api/2.0/files/rooms/101/links"), ==, 1);
  /* The conflict is the caller's to ask about, not an error on the row. */
  g_assert_null (dsl_link_list_get_error_for (f->list, id));
  g_assert_false (dsl_link_list_get_busy (f->list, id));
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (find_titled (f,
                                                                                "Old preview"))),
                   ==, g_date_time_to_unix (moved));
  g_clear_error (&error);
  g_clear_object (&result);

  /* "Extend Anyway": seven days after the server's expiry. */
  dsl_link_change_accept_current (again, current);
  dsl_link_list_change_async (f->list, again, done_cb, f);
  result = wait_result (f);
  stored = dsl_link_list_change_finish (f->list, result, NULL, NULL, &error);
  g_assert_no_error (error);
  ahead = g_date_time_difference (dsl_link_get_expiration_date (stored), moved);
  g_assert_cmpint (ahead, >=, 7 * G_TIME_SPAN_DAY - G_TIME_SPAN_MINUTE);
  g_assert_cmpint (ahead, <=, 7 * G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR);
  g_assert_cmpuint (count ("PUT", "/api/2.0/files/rooms/101/links"), ==, 1);
}

/* Changing the item cancels what is in flight: the answer is for nobody. */
static void
test_set_item_cancels (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  g_autoptr(DslItem) notes = fetch_item (f, DSL_ITEM_KIND_FILE, "402");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup (dsl_link_get_id (find_titled (f, "Download blocked")));

  set_faults ("latency=500,path=/api/2.0/files/file/401/links");
  dsl_link_list_remove_async (f->list, id, done_cb, f);
  dsl_link_list_set_item (f->list, notes);
  result = wait_result (f);
  dsl_link_list_remove_finish (f->list, result, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  run_until (f, settled, "402's links");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->list)), ==, 0);
  g_assert_false (dsl_link_list_get_busy (f->list, id));
  run_for (700);
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

#define add_test(name, func) \
  g_test_add ("/dsl/link-list/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  add_test ("file", test_file);
  add_test ("folder", test_folder);
  add_test ("room", test_room);
  add_test ("invitation-only", test_invitation_only);
  add_test ("load-error", test_load_error);
  add_test ("reload-drops-stale", test_reload_drops_stale);
  add_test ("busy-and-error", test_busy_and_error);
  add_test ("remove", test_remove);
  add_test ("extend", test_extend);
  add_test ("extend-keeps-others-change", test_extend_keeps_others_change);
  add_test ("extend-gone", test_extend_gone);
  add_test ("revoke-gone", test_revoke_gone);
  add_test ("extend-conflict", test_extend_conflict);
  add_test ("set-item-cancels", test_set_item_cancels);

  sim = dsl_sim_start (NULL, &error);
  g_assert_no_error (error);
  status = g_test_run ();
  dsl_sim_stop (sim);
  return status;
}

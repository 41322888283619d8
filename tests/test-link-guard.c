/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-link-guard.c: DslGuardStore (the file) and DslLinkGuard against docspace-sim.
 *
 *   DslClient ── create a link on 402 ──▶ docspace-sim ◀── GET /s/<code>?download=1 (anonymous)
 *   DslGuardStore (temp dir) ◀── DslLinkGuard check ──▶ list links, audit filter, PUT access 0
 *        └ asserted: per-link results, the records and the file, the requests the sim received
 *
 * One simulator for the whole binary, reset before every test. */
#include "config.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#if defined(__has_include)
# if __has_include(<valgrind/valgrind.h>)
#  include <valgrind/valgrind.h>
# endif
#endif

#include "dsl-link-guard.h"
#include "dsl-link-ops.h"
#include "dsl-sim-fixture.h"

#define OWNER_KEY "sk-demo-owner"
#define USER_KEY "sk-demo-user"
#define OWNER_ID "a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01"
#define USER_ID "a7b3c1d2-0002-4c5e-9f10-5a6b7c8d9e02"
#define NOTES_LINKS "/api/2.0/files/file/402/links"

static DslSim *sim;

typedef struct {
  DslClient     *client;
  char          *account;
  char          *dir;
  char          *path;
  DslGuardStore *store;
  DslLinkGuard  *guard;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_reset (sim, &error);
  g_assert_no_error (error);

  f->client = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->client, OWNER_KEY);
  f->account = g_strdup_printf ("%s %s", OWNER_ID, dsl_sim_get_url (sim));
  f->dir = g_dir_make_tmp ("test-link-guard-XXXXXX", &error);
  g_assert_no_error (error);
  /* a folder that does not exist yet: save creates it */
  f->path = g_build_filename (f->dir, "docspace-links", "guarded-links.json", NULL);
  f->store = dsl_guard_store_new_for_path (f->path);
  f->guard = dsl_link_guard_new (f->client, f->store);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_object_add_weak_pointer (G_OBJECT (f->guard), (gpointer *) &f->guard);
  g_object_unref (f->guard);
  g_assert_null (f->guard);
  g_clear_object (&f->store);
  g_clear_object (&f->client);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->account);
}

#define add_test(name, func) \
  g_test_add ("/dsl/core/link-guard/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

/* --- helpers --- */

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static DslLink *
create_link (DslClient   *client,
             DslItemKind  kind,
             const char  *item_id,
             const char  *title,
             const char  *password)
{
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DslLink *link;

  dsl_link_set_title (state, title);
  dsl_link_set_access (state, DSL_ACCESS_READ);
  dsl_link_set_password (state, password);
  dsl_client_create_link_async (client, kind, item_id, state, NULL, on_result, &result);
  link = dsl_client_create_link_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (dsl_link_get_id (link));
  return link;
}

static GPtrArray *
list_links (DslClient   *client,
            DslItemKind  kind,
            const char  *item_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *links;

  dsl_client_list_links_async (client, kind, item_id, -1, NULL, on_result, &result);
  links = dsl_client_list_links_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  return links;
}

static gboolean
has_link (DslClient   *client,
          DslItemKind  kind,
          const char  *item_id,
          const char  *link_id)
{
  g_autoptr(GPtrArray) links = list_links (client, kind, item_id);

  for (guint i = 0; i < links->len; i++)
    if (g_strcmp0 (dsl_link_get_id (g_ptr_array_index (links, i)), link_id) == 0)
      return TRUE;
  return FALSE;
}

/* A visitor downloads through the link: GET /s/<code>?download=1, anonymous when
 * `authorization` is NULL. */
static void
download_as (DslLink    *link,
             const char *authorization)
{
  g_autoptr(GUri) uri = g_uri_parse (dsl_link_get_share_link (link), G_URI_FLAGS_NONE, NULL);
  g_autofree char *path = NULL;
  guint status;

  g_assert_nonnull (uri);
  path = g_strdup_printf ("%s?download=1", g_uri_get_path (uri));
  status = dsl_sim_http (sim, "GET", path, authorization, NULL, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
}

static void
download (DslLink *link)
{
  download_as (link, NULL);
}

/* An anonymous download with more parameters: "&format=pdf" (download as, 5010) or
 * "&version=1" (an older version, 5062); see tests/sim/README.md. */
static void
download_with (DslLink    *link,
               const char *extra)
{
  g_autoptr(GUri) uri = g_uri_parse (dsl_link_get_share_link (link), G_URI_FLAGS_NONE, NULL);
  g_autofree char *path = NULL;

  g_assert_nonnull (uri);
  path = g_strdup_printf ("%s?download=1%s", g_uri_get_path (uri), extra);
  g_assert_cmpuint (dsl_sim_http (sim, "GET", path, NULL, NULL, NULL, NULL), ==, 200);
}

/* Guards a link created now (`created` taken before the link was made). */
static DslGuardedLink *
guard_link (Fixture     *f,
            const char  *account,
            DslItemKind  kind,
            const char  *item_id,
            DslLink     *link,
            GDateTime   *created,
            guint        limit,
            GDateTime   *expires)
{
  g_autoptr(DslGuardedLink) guarded =
    dsl_guarded_link_new (account, dsl_link_get_id (link), item_id, kind, "Notes.txt",
                          dsl_link_get_share_link (link), limit, created, expires);

  dsl_guard_store_add (f->store, guarded);
  return guarded;
}

static GPtrArray *
check_full (DslLinkGuard  *guard,
            const char    *account,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dsl_link_guard_check_async (guard, account, cancellable, on_result, &result);
  return dsl_link_guard_check_finish (guard, wait_result (&result), error);
}

static GPtrArray *
check (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *results = check_full (f->guard, f->account, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

static DslGuardResult *
result_at (GPtrArray *results,
           guint      i)
{
  g_assert_cmpuint (i, <, results->len);
  return g_ptr_array_index (results, i);
}

/* The PUTs the sim received on `path` with access 0 for `link_id`. */
static guint
count_revokes (const char *path,
               const char *link_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = dsl_sim_get_requests (sim, &error);
  JsonArray *a;
  guint n = 0;

  g_assert_no_error (error);
  a = json_node_get_array (log);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *r = json_array_get_object_element (a, i);
      JsonNode *body = json_object_get_member (r, "body");
      JsonObject *b;

      if (g_strcmp0 (json_object_get_string_member (r, "method"), "PUT") != 0 ||
          g_strcmp0 (json_object_get_string_member (r, "path"), path) != 0 ||
          body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
        continue;
      b = json_node_get_object (body);
      if (json_object_has_member (b, "access") &&
          json_object_get_int_member (b, "access") == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (b, "linkId", NULL),
                     link_id) == 0)
        n++;
    }
  return n;
}

/* The raw queries of the audit filter requests the sim received, oldest first. */
static GPtrArray *
audit_queries (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = dsl_sim_get_requests (sim, &error);
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  JsonArray *a;

  g_assert_no_error (error);
  a = json_node_get_array (log);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *r = json_array_get_object_element (a, i);

      if (g_strcmp0 (json_object_get_string_member (r, "path"),
                     "/api/2.0/security/audit/events/filter") == 0)
        g_ptr_array_add (queries,
                         g_strdup (json_object_get_string_member_with_default (r, "query", "")));
    }
  return queries;
}

static int
count_downloads (Fixture         *f,
                 DslGuardedLink  *link,
                 GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  dsl_link_guard_count_downloads_async (f->guard, link, NULL, on_result, &result);
  return dsl_link_guard_count_downloads_finish (f->guard, wait_result (&result), error);
}

static void
reload (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->guard);
  g_clear_object (&f->store);
  f->store = dsl_guard_store_new_for_path (f->path);
  dsl_guard_store_load (f->store, &error);
  g_assert_no_error (error);
  f->guard = dsl_link_guard_new (f->client, f->store);
}

/* The link as the server lists it now, or NULL. */
static DslLink *
server_link (DslClient   *client,
             DslItemKind  kind,
             const char  *item_id,
             const char  *link_id)
{
  g_autoptr(GPtrArray) links = list_links (client, kind, item_id);

  for (guint i = 0; i < links->len; i++)
    if (g_strcmp0 (dsl_link_get_id (g_ptr_array_index (links, i)), link_id) == 0)
      return g_object_ref (g_ptr_array_index (links, i));
  return NULL;
}

static DslLink *
server_link_by_title (DslClient   *client,
                      DslItemKind  kind,
                      const char  *item_id,
                      const char  *title)
{
  g_autoptr(GPtrArray) links = list_links (client, kind, item_id);

  for (guint i = 0; i < links->len; i++)
    if (g_strcmp0 (dsl_link_get_title (g_ptr_array_index (links, i)), title) == 0)
      return g_object_ref (g_ptr_array_index (links, i));
  g_assert_not_reached ();
}

/* A link created now that the server says expires at `expires` (NULL: never). */
static DslLink *
create_expiring_link_on (DslClient   *client,
                         DslItemKind  kind,
                         const char  *item_id,
                         const char  *title,
                         GDateTime   *expires)
{
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DslLink *link;

  dsl_link_set_title (state, title);
  dsl_link_set_access (state, DSL_ACCESS_READ);
  dsl_link_set_expiration_date (state, expires);
  dsl_client_create_link_async (client, kind, item_id, state, NULL, on_result, &result);
  link = dsl_client_create_link_finish (client, wait_result (&result), &error);
  g_assert_no_error (error);
  return link;
}

static DslLink *
create_expiring_link (DslClient  *client,
                      const char *title,
                      GDateTime  *expires)
{
  return create_expiring_link_on (client, DSL_ITEM_KIND_FILE, "402", title, expires);
}

/* A link that has expired on the server: made to expire in two seconds (the server refuses a
 * date in the past), then waited for until the server lists it as expired. */
static DslLink *
create_expired_link (DslClient   *client,
                     DslItemKind  kind,
                     const char  *item_id,
                     const char  *title)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 2);
  g_autoptr(DslLink) link = create_expiring_link_on (client, kind, item_id, title, soon);

  for (guint i = 0; i < 50; i++)
    {
      DslLink *listed = server_link (client, kind, item_id, dsl_link_get_id (link));

      g_assert_nonnull (listed);
      if (dsl_link_get_is_expired (listed))
        return listed;
      g_object_unref (listed);
      g_usleep (G_USEC_PER_SEC / 5);
    }
  g_assert_not_reached ();
}

/* --- the guard --- */

/* The same expiry to the second (the server and the store keep whole seconds), or both none. */
static gboolean
same_expiry (GDateTime *a,
             GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_to_unix (a) == g_date_time_to_unix (b);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *n)
{
  (*n)++;
}

static void
test_limit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) revoked_at = NULL;
  g_autoptr(DslLink) link = create_link (f->client, DSL_ITEM_KIND_FILE, "402", "Temporary", NULL);
  const char *id = dsl_link_get_id (link);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  DslGuardedLink *guarded;
  DslGuardResult *r;
  guint n_state = 0, n_downloads = 0;
  int prop_state = -1;

  guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", link, created, 2, NULL);
  guarded = dsl_guard_store_lookup (f->store, f->account, id);
  g_assert_nonnull (guarded);
  g_signal_connect (guarded, "notify::state", G_CALLBACK (count_notify), &n_state);
  g_signal_connect (guarded, "notify::downloads", G_CALLBACK (count_notify), &n_downloads);
  g_assert_cmpint (count_downloads (f, guarded, &error), ==, 0);
  g_assert_no_error (error);

  /* one download: still active, counted */
  download (link);
  g_assert_cmpint (count_downloads (f, guarded, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  results = check (f);
  g_assert_cmpuint (results->len, ==, 1);
  r = result_at (results, 0);
  g_assert_true (r->link == guarded);
  g_assert_cmpint (r->outcome, ==, DSL_GUARD_OUTCOME_ACTIVE);
  g_assert_cmpint (r->downloads, ==, 1);
  g_assert_no_error (r->audit_error);
  g_assert_no_error (r->error);
  g_assert_cmpint (dsl_guarded_link_get_state (guarded), ==, DSL_GUARD_STATE_ACTIVE);
  g_assert_cmpint (dsl_guarded_link_get_downloads (guarded), ==, 1);
  g_assert_cmpuint (n_downloads, ==, 1);
  g_assert_cmpuint (n_state, ==, 0);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
  g_assert_true (has_link (f->client, DSL_ITEM_KIND_FILE, "402", id));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* a second download: revoked with PUT access 0, gone from the list */
  download (link);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  results = check (f);
  g_assert_cmpuint (results->len, ==, 1);
  r = result_at (results, 0);
  g_assert_cmpint (r->outcome, ==, DSL_GUARD_OUTCOME_REVOKED_LIMIT);
  g_assert_cmpint (r->downloads, ==, 2);
  g_assert_cmpint (dsl_guarded_link_get_state (guarded), ==, DSL_GUARD_STATE_REVOKED_LIMIT);
  g_assert_cmpuint (n_downloads, ==, 2);
  g_assert_cmpuint (n_state, ==, 1);
  g_object_get (guarded, "state", &prop_state, NULL);
  g_assert_cmpint (prop_state, ==, DSL_GUARD_STATE_REVOKED_LIMIT);
  g_assert_cmpuint (count_revokes (NOTES_LINKS, id), ==, 1);
  g_assert_false (has_link (f->client, DSL_ITEM_KIND_FILE, "402", id));
  g_clear_pointer (&results, g_ptr_array_unref);
  /* when it was revoked: now, to the second */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    GDateTime *revoked = dsl_guarded_link_get_revoked (guarded);

    g_assert_nonnull (revoked);
    g_assert_cmpint (g_date_time_difference (now, revoked), >=, 0);
    g_assert_cmpint (g_date_time_difference (now, revoked), <, 60 * G_TIME_SPAN_SECOND);
    revoked_at = g_date_time_ref (revoked);
  }

  /* saved: the file says so; a revoked link is not checked again */
  reload (f);
  guarded = dsl_guard_store_lookup (f->store, f->account, id);
  g_assert_nonnull (guarded);
  g_assert_cmpint (dsl_guarded_link_get_state (guarded), ==, DSL_GUARD_STATE_REVOKED_LIMIT);
  g_assert_nonnull (dsl_guarded_link_get_revoked (guarded));
  g_assert_true (g_date_time_equal (dsl_guarded_link_get_revoked (guarded), revoked_at));
  g_assert_cmpint (dsl_guarded_link_get_downloads (guarded), ==, 2);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  results = check (f);
  g_assert_cmpuint (results->len, ==, 0);
  g_assert_cmpuint (dsl_sim_count_requests (sim, NULL, NULL), ==, 0);
}

/* Downloads of the item before the link was created, and by signed-in people (through an
 * internal link), do not count. */
static void
test_count_since_creation (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(DslLink) old = create_link (f->client, DSL_ITEM_KIND_FILE, "402", "Old", NULL);
  g_autoptr(DslLink) internal = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DslGuardedLink *guarded;

  download (old);
  download (old);
  g_usleep (1100 * 1000);   /* `from` has whole seconds */
  created = g_date_time_new_now_utc ();
  link = create_link (f->client, DSL_ITEM_KIND_FILE, "402", "New", NULL);
  guarded = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", link, created, 5, NULL);
  download (link);
  g_assert_cmpint (count_downloads (f, guarded, &error), ==, 1);
  g_assert_no_error (error);

  dsl_link_set_title (internal, "Staff");
  dsl_link_set_internal (internal, TRUE);
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "402", internal, NULL,
                                on_result, &result);
  g_clear_object (&internal);
  internal = dsl_client_create_link_finish (f->client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_true (dsl_link_get_internal (internal));
  download_as (internal, "Bearer " USER_KEY);
  g_assert_cmpint (count_downloads (f, guarded, &error), ==, 1);
  g_assert_no_error (error);
  download (old);
  g_assert_cmpint (count_downloads (f, guarded, &error), ==, 2);
  g_assert_no_error (error);
}

/* A second administrator moves the link's expiry on the server (the simulator's control API,
 * between the guard's record and its check). */
static void
other_admin_sets_expiry (DslLink   *link,
                         GDateTime *expires)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *date = expires != NULL ? g_date_time_format_iso8601 (expires) : NULL;
  g_autofree char *body = date != NULL
                          ? g_strdup_printf ("{\"expirationDate\": \"%s\"}", date)
                          : g_strdup ("{\"expirationDate\": null}");

  g_assert_true (dsl_sim_change_link (sim, dsl_link_get_id (link), body, &error));
  g_assert_no_error (error);
}

/* Only the server's expiry revokes: a record that holds an older date (the link was extended
 * in the sidebar, the editor, the checkup or by another administrator) follows the server
 * and the link stays; so does one the server says never expires. */
static void
test_extended_on_server (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) old_expiry = g_date_time_add_seconds (created, -60);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (created, 1);
  g_autoptr(GDateTime) next_week = g_date_time_add_days (created, 8);
  g_autoptr(DslLink) extended = create_expiring_link (f->client, "Extended", tomorrow);
  g_autoptr(DslLink) endless = create_expiring_link (f->client, "Endless", tomorrow);
  g_autoptr(DslLink) now_extended = NULL;
  g_autoptr(DslLink) now_endless = NULL;
  g_autoptr(GPtrArray) results = NULL;
  DslGuardedLink *a, *b;
  guint n_expires = 0;

  a = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", extended, created, 0, old_expiry);
  b = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", endless, created, 3, old_expiry);
  g_signal_connect (a, "notify::expires", G_CALLBACK (count_notify), &n_expires);
  /* between the record and the check, someone else moves the expiry on the server */
  other_admin_sets_expiry (extended, next_week);
  other_admin_sets_expiry (endless, NULL);

  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  results = check (f);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_ACTIVE);
  g_assert_cmpint (result_at (results, 1)->outcome, ==, DSL_GUARD_OUTCOME_ACTIVE);
  g_assert_cmpint (dsl_guarded_link_get_state (a), ==, DSL_GUARD_STATE_ACTIVE);
  g_assert_cmpint (dsl_guarded_link_get_state (b), ==, DSL_GUARD_STATE_ACTIVE);
  /* nothing was revoked: the links are still there as the other admin left them */
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
  now_extended = server_link (f->client, DSL_ITEM_KIND_FILE, "402", dsl_link_get_id (extended));
  now_endless = server_link (f->client, DSL_ITEM_KIND_FILE, "402", dsl_link_get_id (endless));
  g_assert_nonnull (now_extended);
  g_assert_nonnull (now_endless);
  g_assert_true (same_expiry (dsl_link_get_expiration_date (now_extended), next_week));
  g_assert_null (dsl_link_get_expiration_date (now_endless));
  /* the records hold the server's expiry now (notified), and so does the file */
  g_assert_true (same_expiry (dsl_guarded_link_get_expires (a),
                              dsl_link_get_expiration_date (now_extended)));
  g_assert_null (dsl_guarded_link_get_expires (b));
  g_assert_cmpuint (n_expires, ==, 1);
  reload (f);
  a = dsl_guard_store_lookup (f->store, f->account, dsl_link_get_id (extended));
  b = dsl_guard_store_lookup (f->store, f->account, dsl_link_get_id (endless));
  g_assert_true (same_expiry (dsl_guarded_link_get_expires (a), next_week));
  g_assert_null (dsl_guarded_link_get_expires (b));
}

/* Expired on the server: revoked, whatever the record says (here a later date: someone
 * shortened it). The room's seeded "Old preview" expired two days ago. */
static void
test_expired (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (created, 3);
  g_autoptr(DslLink) link = server_link_by_title (f->client, DSL_ITEM_KIND_ROOM, "101",
                                                  "Old preview");
  g_autoptr(DslLink) other = create_expiring_link (f->client, "Later", later);
  g_autoptr(GPtrArray) results = NULL;
  DslGuardResult *r;

  g_assert_true (dsl_link_get_is_expired (link));
  g_assert_nonnull (dsl_link_get_expiration_date (link));
  guard_link (f, f->account, DSL_ITEM_KIND_ROOM, "101", link, created, 0, later);
  guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", other, created, 0, later);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  results = check (f);
  g_assert_cmpuint (results->len, ==, 2);
  r = result_at (results, 0);
  g_assert_cmpint (r->outcome, ==, DSL_GUARD_OUTCOME_REVOKED_EXPIRED);
  g_assert_cmpint (dsl_guarded_link_get_state (r->link), ==, DSL_GUARD_STATE_REVOKED_EXPIRED);
  g_assert_true (same_expiry (dsl_guarded_link_get_expires (r->link),
                              dsl_link_get_expiration_date (link)));
  r = result_at (results, 1);
  g_assert_cmpint (r->outcome, ==, DSL_GUARD_OUTCOME_ACTIVE);
  /* no limit: the audit trail is not read */
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/security/audit/events/filter"),
                    ==, 0);
  g_assert_cmpuint (count_revokes ("/api/2.0/files/rooms/101/links", dsl_link_get_id (link)),
                    ==, 1);
  g_assert_cmpuint (count_revokes (NOTES_LINKS, dsl_link_get_id (other)), ==, 0);
  g_assert_false (has_link (f->client, DSL_ITEM_KIND_ROOM, "101", dsl_link_get_id (link)));
  g_assert_true (has_link (f->client, DSL_ITEM_KIND_FILE, "402", dsl_link_get_id (other)));
}

/* A link that expires while the guard watches it: the server's date passes, it is revoked. */
static void
test_expires_on_server (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (created, 2);
  g_autoptr(DslLink) link = create_expiring_link (f->client, "Soon", soon);
  g_autoptr(GPtrArray) results = NULL;
  DslGuardedLink *guarded;

  guarded = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", link, created, 0,
                        dsl_link_get_expiration_date (link));
  results = check (f);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_ACTIVE);
  g_clear_pointer (&results, g_ptr_array_unref);
  g_assert_true (has_link (f->client, DSL_ITEM_KIND_FILE, "402", dsl_link_get_id (link)));

  g_usleep (3 * G_USEC_PER_SEC);
  results = check (f);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_REVOKED_EXPIRED);
  g_assert_cmpint (dsl_guarded_link_get_state (guarded), ==, DSL_GUARD_STATE_REVOKED_EXPIRED);
  g_assert_cmpuint (count_revokes (NOTES_LINKS, dsl_link_get_id (link)), ==, 1);
  g_assert_false (has_link (f->client, DSL_ITEM_KIND_FILE, "402", dsl_link_get_id (link)));
}

/* --- a failed save is reported, with what it means --- */

static void
on_save_failed (DslLinkGuard   *guard,
                DslGuardedLink *link,
                const GError   *error,
                const char     *message,
                GPtrArray      *messages)
{
  g_assert_nonnull (error);
  g_ptr_array_add (messages, g_strdup (message));
}

/* The store's folder cannot be made: its parent is a plain file (root may write anywhere, so
 * a read-only folder would not do). */
static void
break_store_path (Fixture *f)
{
  g_autofree char *blocker = g_build_filename (f->dir, "docspace-links", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (blocker, "not a folder", -1, &error));
  g_assert_no_error (error);
}

static void
test_save_failed (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (created, 3);
  g_autoptr(DslLink) limited = create_link (f->client, DSL_ITEM_KIND_FILE, "402", "Limited",
                                            NULL);
  g_autoptr(DslLink) expiring = create_expiring_link (f->client, "Expiring", later);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  DslGuardedLink *a, *b;
  const char *message;

  break_store_path (f);
  g_signal_connect (f->guard, "save-failed", G_CALLBACK (on_save_failed), messages);
  b = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", expiring, created, 0,
                  dsl_link_get_expiration_date (expiring));
  a = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", limited, created, 2, NULL);

  /* the check still answers with what it did; the failed save is the signal, which names
   * the link at risk (the one with a limit first) */
  results = check (f);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpuint (messages->len, ==, 1);
  message = g_ptr_array_index (messages, 0);
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "“Notes.txt”"));
  g_assert_nonnull (strstr (message, "download limit is not being enforced"));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* the same failure at the next check is not said again */
  results = check (f);
  g_assert_cmpuint (messages->len, ==, 1);

  /* what a failed save means for a link without a limit */
  g_assert_false (dsl_guard_store_save (f->store, &error));
  g_assert_nonnull (error);
  text = dsl_guarded_link_describe_save_error (b, error);
  g_assert_nonnull (strstr (text, "will not be revoked when it expires"));
  g_clear_pointer (&text, g_free);
  text = dsl_guarded_link_describe_save_error (a, error);
  g_assert_nonnull (strstr (text, "download limit is not being enforced"));
  g_clear_pointer (&text, g_free);

  /* once the file holds the records, a failed save no longer puts them at risk */
  {
    g_autofree char *blocker = g_build_filename (f->dir, "docspace-links", NULL);

    g_assert_cmpint (g_remove (blocker), ==, 0);
  }
  g_clear_error (&error);
  g_assert_true (dsl_guard_store_save (f->store, &error));
  g_assert_no_error (error);
  g_set_error_literal (&error, G_FILE_ERROR, G_FILE_ERROR_NOSPC, "No space left on device");
  text = dsl_guarded_link_describe_save_error (a, error);
  g_assert_null (strstr (text, "not being enforced"));
  g_assert_nonnull (strstr (text, "still guarded"));
  g_clear_pointer (&text, g_free);
  text = dsl_guarded_link_describe_save_error (NULL, error);
  g_assert_nonnull (strstr (text, "No space left on device"));
}

/* Every way of downloading a file counts toward the limit: FileDownloaded (5009), "download
 * as" another format (5010) and an older version (5062), asked for in one query
 * (actionType=12&entryType=1&target=<id>, docspace-api.md §7). That query matches the target
 * as a substring: downloads of file 100402 come back for 402 and must not count. */
static void
test_download_kinds (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(DslLink) link = create_link (f->client, DSL_ITEM_KIND_FILE, "402", "Temporary", NULL);
  g_autoptr(DslLink) other = create_link (f->client, DSL_ITEM_KIND_FILE, "100402", "Other",
                                          NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GError) error = NULL;
  DslGuardedLink *guarded;
  const char *query;

  guarded = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", link, created, 3, NULL);
  download (other);
  download_with (other, "&format=pdf");
  download_with (other, "&version=1");
  download_with (link, "&format=pdf");
  download_with (link, "&version=1");
  g_assert_cmpint (count_downloads (f, guarded, &error), ==, 2);
  g_assert_no_error (error);

  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  results = check (f);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_ACTIVE);
  g_assert_cmpint (result_at (results, 0)->downloads, ==, 2);
  g_assert_cmpuint (count_revokes (NOTES_LINKS, dsl_link_get_id (link)), ==, 0);
  queries = audit_queries ();
  g_assert_cmpuint (queries->len, ==, 1);
  query = g_ptr_array_index (queries, 0);
  g_assert_true (g_str_has_prefix (query, "actionType=12&entryType=1&target=402&from="));
  g_assert_null (strstr (query, "action="));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* the third download, a plain one: the limit */
  download (link);
  results = check (f);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_REVOKED_LIMIT);
  g_assert_cmpint (result_at (results, 0)->downloads, ==, 3);
  g_assert_cmpuint (count_revokes (NOTES_LINKS, dsl_link_get_id (link)), ==, 1);
  g_assert_false (has_link (f->client, DSL_ITEM_KIND_FILE, "402", dsl_link_get_id (link)));
}

/* Folders and rooms count FolderDownloaded (5057) and are revoked on their own route. */
static void
test_folder_and_room (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(DslLink) folder = create_link (f->client, DSL_ITEM_KIND_FOLDER, "501", "Temp", NULL);
  g_autoptr(DslLink) room = create_link (f->client, DSL_ITEM_KIND_ROOM, "101", "Temp", NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(JsonNode) put = NULL;
  JsonObject *body;

  guard_link (f, f->account, DSL_ITEM_KIND_FOLDER, "501", folder, created, 1, NULL);
  guard_link (f, f->account, DSL_ITEM_KIND_ROOM, "101", room, created, 2, NULL);
  download (folder);
  download (room);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  results = check (f);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_REVOKED_LIMIT);
  g_assert_cmpint (result_at (results, 0)->downloads, ==, 1);
  g_assert_cmpint (result_at (results, 1)->outcome, ==, DSL_GUARD_OUTCOME_ACTIVE);
  g_assert_cmpint (result_at (results, 1)->downloads, ==, 1);
  g_assert_cmpuint (count_revokes ("/api/2.0/files/folder/501/links", dsl_link_get_id (folder)),
                    ==, 1);
  g_assert_false (has_link (f->client, DSL_ITEM_KIND_FOLDER, "501", dsl_link_get_id (folder)));
  g_clear_pointer (&results, g_ptr_array_unref);

  download (room);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  results = check (f);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_REVOKED_LIMIT);
  g_assert_cmpuint (count_revokes ("/api/2.0/files/rooms/101/links", dsl_link_get_id (room)),
                    ==, 1);
  put = dsl_sim_find_request (sim, "PUT", "/api/2.0/files/rooms/101/links");
  body = json_object_get_object_member (json_node_get_object (put), "body");
  g_assert_cmpint (json_object_get_int_member (body, "linkType"), ==, 1);
  g_assert_false (has_link (f->client, DSL_ITEM_KIND_ROOM, "101", dsl_link_get_id (room)));
}

/* Deleted on the server (the link, or the whole item): GONE, nothing sent but the reads. */
static void
test_gone (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(DslGuardedLink) a =
    dsl_guarded_link_new (f->account, "00000000-0000-4000-8000-000000000001", "402",
                          DSL_ITEM_KIND_FILE, "Notes.txt", NULL, 1, created, NULL);
  g_autoptr(DslGuardedLink) b =
    dsl_guarded_link_new (f->account, "00000000-0000-4000-8000-000000000002", "999999",
                          DSL_ITEM_KIND_FILE, "Deleted.txt", NULL, 1, created, NULL);
  g_autoptr(GPtrArray) results = NULL;

  dsl_guard_store_add (f->store, a);
  dsl_guard_store_add (f->store, b);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  results = check (f);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_GONE);
  g_assert_cmpint (result_at (results, 1)->outcome, ==, DSL_GUARD_OUTCOME_GONE);
  g_assert_cmpint (dsl_guarded_link_get_state (a), ==, DSL_GUARD_STATE_GONE);
  g_assert_cmpint (dsl_guarded_link_get_state (b), ==, DSL_GUARD_STATE_GONE);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
  g_assert_cmpuint (dsl_sim_count_requests (sim, NULL, "/api/2.0/security/audit/events/filter"),
                    ==, 0);
}

/* A server error is FAILED with its message, and the link is checked again next time. */
static void
test_failed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(DslLink) link = create_link (f->client, DSL_ITEM_KIND_FILE, "402", "Temporary", NULL);
  DslGuardedLink *guarded;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  DslGuardResult *r;

  guarded = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", link, created, 1, NULL);
  dsl_sim_set_faults (sim, "error500,path=/api/2.0/files", &error);
  g_assert_no_error (error);
  results = check (f);
  r = result_at (results, 0);
  g_assert_cmpint (r->outcome, ==, DSL_GUARD_OUTCOME_FAILED);
  g_assert_error (r->error, DSL_ERROR, DSL_ERROR_SERVER);
  g_assert_cmpint (dsl_guarded_link_get_state (guarded), ==, DSL_GUARD_STATE_FAILED);
  g_assert_cmpstr (dsl_guarded_link_get_last_error (guarded), ==, r->error->message);
  g_clear_pointer (&results, g_ptr_array_unref);

  dsl_sim_set_faults (sim, "none", &error);
  g_assert_no_error (error);
  download (link);
  results = check (f);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_REVOKED_LIMIT);
  g_assert_null (dsl_guarded_link_get_last_error (guarded));
}

/* A portal that skips the delete: it lists what the simulator listed and answers every PUT
 * with 200 and the link unchanged, as the server does when it skips a change the caller may
 * not make (docspace-api.md §6.1, e.g. an expiry or `internal` that differs in a VDR room).
 * The simulator has no such case the guard's full-state delete would meet, so this stands in.
 * (A GThreadedSocketService, as in test-client.c: libsoup 3.2's server leaks under valgrind.) */
typedef struct {
  GMutex          lock;
  char           *list_body;   /* the simulator's answer to GET …/links */
  char           *link_json;   /* the guarded link, as listed */
  guint           puts;
  GSocketService *service;
  char           *url;
} SkipServer;

static gboolean
skip_run (GThreadedSocketService *service,
          GSocketConnection      *connection,
          GObject                *source,
          gpointer                user_data)
{
  SkipServer *state = user_data;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *request_line = NULL;
  g_autofree char *head = NULL;
  g_autofree char *answer = NULL;
  gsize length = 0;
  GOutputStream *out;

  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  request_line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (request_line == NULL)
    return TRUE;
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (header == NULL || *header == '\0')
        break;
      if (g_ascii_strncasecmp (header, "Content-Length:", 15) == 0)
        length = g_ascii_strtoull (header + 15, NULL, 10);
    }
  if (length > 0)
    {
      g_autofree char *body = g_malloc (length);

      g_input_stream_read_all (G_INPUT_STREAM (in), body, length, NULL, NULL, NULL);
    }

  g_mutex_lock (&state->lock);
  if (g_str_has_prefix (request_line, "PUT "))
    {
      state->puts++;
      answer = g_strdup_printf ("{\"count\":1,\"response\":%s,\"status\":0,\"statusCode\":200}",
                                state->link_json);
    }
  else
    answer = g_strdup (state->list_body);
  g_mutex_unlock (&state->lock);

  head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          strlen (answer));
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, answer, strlen (answer), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* Serves the simulator's list of file `item_id`'s links, and `link_id` for every PUT. */
static void
skip_server_start (SkipServer *state,
                   const char *item_id,
                   const char *link_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = g_strdup_printf ("/api/2.0/files/file/%s/links", item_id);
  JsonArray *links;

  g_assert_cmpuint (dsl_sim_http (sim, "GET", path, "Bearer " OWNER_KEY, NULL, &body, NULL), ==,
                    200);
  state->list_body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  json_parser_load_from_data (parser, state->list_body, -1, &error);
  g_assert_no_error (error);
  links = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "response");
  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonObject *l = json_array_get_object_element (links, i);

      if (g_strcmp0 (json_object_get_string_member (json_object_get_object_member (l,
                                                                                   "sharedLink"),
                                                    "id"), link_id) == 0)
        state->link_json = json_to_string (json_array_get_element (links, i), FALSE);
    }
  g_assert_nonnull (state->link_json);

  g_mutex_init (&state->lock);
  state->service = g_threaded_socket_service_new (2);
  g_signal_connect (state->service, "run", G_CALLBACK (skip_run), state);
  g_socket_listener_add_address (G_SOCKET_LISTENER (state->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  state->url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_service_start (state->service);
}

static void
skip_server_stop (SkipServer *state)
{
  g_socket_service_stop (state->service);
  g_socket_listener_close (G_SOCKET_LISTENER (state->service));
  g_clear_object (&state->service);
  g_clear_pointer (&state->list_body, g_free);
  g_clear_pointer (&state->link_json, g_free);
  g_clear_pointer (&state->url, g_free);
  g_mutex_clear (&state->lock);
}

/* A delete the portal answered 200 with the link unchanged did not revoke it: FAILED (not
 * "revoked"), no revocation date, checked again next time, and revoked then when the portal
 * applies it. */
static void
test_delete_not_applied (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(DslLink) link = create_expired_link (f->client, DSL_ITEM_KIND_FILE, "402", "Expired");
  GDateTime *expires = dsl_link_get_expiration_date (link);
  g_autoptr(DslClient) skipping = NULL;
  g_autoptr(DslLinkGuard) guard = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  SkipServer server = { 0 };
  DslGuardedLink *guarded;
  DslGuardResult *r;

  guarded = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", link, created, 0, expires);
  skip_server_start (&server, "402", dsl_link_get_id (link));
  skipping = dsl_client_new (server.url);
  dsl_client_set_api_key (skipping, OWNER_KEY);
  guard = dsl_link_guard_new (skipping, f->store);
  results = check_full (guard, f->account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server.puts, ==, 1);
  skip_server_stop (&server);

  r = result_at (results, 0);
  g_assert_cmpint (r->outcome, ==, DSL_GUARD_OUTCOME_FAILED);
  g_assert_error (r->error, DSL_ERROR, DSL_ERROR_NOT_APPLIED);
  g_assert_cmpint (dsl_guarded_link_get_state (guarded), ==, DSL_GUARD_STATE_FAILED);
  g_assert_null (dsl_guarded_link_get_revoked (guarded));
  g_assert_nonnull (dsl_guarded_link_get_last_error (guarded));
  g_clear_pointer (&results, g_ptr_array_unref);

  /* saved as failed, so the next check tries again: against the simulator, it takes effect */
  reload (f);
  guarded = dsl_guard_store_lookup (f->store, f->account, dsl_link_get_id (link));
  g_assert_cmpint (dsl_guarded_link_get_state (guarded), ==, DSL_GUARD_STATE_FAILED);
  g_assert_true (has_link (f->client, DSL_ITEM_KIND_FILE, "402", dsl_link_get_id (link)));
  results = check (f);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_REVOKED_EXPIRED);
  g_assert_false (has_link (f->client, DSL_ITEM_KIND_FILE, "402", dsl_link_get_id (link)));
}

/* A non-admin cannot read the audit trail: the reason, no revoke for downloads; expiry still
 * applies. */
static void
test_not_admin (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DslClient) user = dsl_client_new (dsl_sim_get_url (sim));
  g_autofree char *account = g_strdup_printf ("%s %s", USER_ID, dsl_sim_get_url (sim));
  g_autoptr(DslLinkGuard) guard = NULL;
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslLink) expired = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  DslGuardResult *r;

  dsl_client_set_api_key (user, USER_KEY);
  guard = dsl_link_guard_new (user, f->store);
  /* 303 "Brand guide.pdf" in Marketing, which Ulrich manages */
  link = create_link (user, DSL_ITEM_KIND_FILE, "303", "Temporary", NULL);
  expired = create_expired_link (user, DSL_ITEM_KIND_FILE, "303", "Expired");
  guard_link (f, account, DSL_ITEM_KIND_FILE, "303", link, created, 1, NULL);
  guard_link (f, account, DSL_ITEM_KIND_FILE, "303", expired, created, 1,
              dsl_link_get_expiration_date (expired));
  download (link);
  download (link);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));

  results = check_full (guard, account, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 2);
  r = result_at (results, 0);
  g_assert_cmpint (r->outcome, ==, DSL_GUARD_OUTCOME_ACTIVE);
  g_assert_cmpint (r->downloads, ==, -1);
  g_assert_error (r->audit_error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_AUDIT_FORBIDDEN);
  g_assert_nonnull (strstr (r->audit_error->message, "administrators"));
  g_assert_true (dsl_guard_error_is_audit (r->audit_error));
  r = result_at (results, 1);
  g_assert_cmpint (r->outcome, ==, DSL_GUARD_OUTCOME_REVOKED_EXPIRED);

  g_assert_cmpuint (count_revokes ("/api/2.0/files/file/303/links", dsl_link_get_id (link)),
                    ==, 0);
  g_assert_cmpuint (count_revokes ("/api/2.0/files/file/303/links", dsl_link_get_id (expired)),
                    ==, 1);
  g_assert_true (has_link (user, DSL_ITEM_KIND_FILE, "303", dsl_link_get_id (link)));
  /* the owner's links are not this account's */
  g_assert_cmpuint (g_list_model_get_n_items (dsl_guard_store_get_links (f->store, f->account)),
                    ==, 0);
}

static void
check_audit_fault (Fixture    *f,
                   const char *profile,
                   int         code)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(DslLink) link = create_link (f->client, DSL_ITEM_KIND_FILE, "402", "Temporary", NULL);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  DslGuardedLink *guarded;
  DslGuardResult *r;

  guarded = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", link, created, 1, NULL);
  download (link);
  download (link);
  dsl_sim_set_faults (sim, profile, &error);
  g_assert_no_error (error);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));

  results = check (f);
  g_assert_cmpuint (results->len, ==, 1);
  r = result_at (results, 0);
  g_assert_cmpint (r->outcome, ==, DSL_GUARD_OUTCOME_ACTIVE);
  g_assert_cmpint (r->downloads, ==, -1);
  g_assert_error (r->audit_error, DSL_GUARD_ERROR, code);
  g_assert_cmpint (dsl_guarded_link_get_state (guarded), ==, DSL_GUARD_STATE_ACTIVE);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
  g_assert_cmpint (count_downloads (f, guarded, &error), ==, -1);
  g_assert_error (error, DSL_GUARD_ERROR, code);
  g_assert_true (has_link (f->client, DSL_ITEM_KIND_FILE, "402", dsl_link_get_id (link)));
}

static void
test_audit_402 (Fixture       *f,
                gconstpointer  data)
{
  check_audit_fault (f, "audit402", DSL_GUARD_ERROR_AUDIT_PAYMENT_REQUIRED);
}

static void
test_audit_unfiltered (Fixture       *f,
                       gconstpointer  data)
{
  check_audit_fault (f, "audit-unfiltered", DSL_GUARD_ERROR_AUDIT_UNFILTERED);
}

/* Before offering a limit: can this account count downloads? */
static gboolean
probe (DslClient  *client,
       GError    **error)
{
  g_autoptr(DslGuardStore) store = dsl_guard_store_new_for_path ("/nonexistent/guarded.json");
  g_autoptr(DslLinkGuard) guard = dsl_link_guard_new (client, store);
  g_autoptr(GAsyncResult) result = NULL;

  dsl_link_guard_probe_audit_async (guard, NULL, on_result, &result);
  return dsl_link_guard_probe_audit_finish (guard, wait_result (&result), error);
}

static void
test_probe (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(DslClient) user = dsl_client_new (dsl_sim_get_url (sim));
  g_autoptr(DslClient) readonly = dsl_client_new (dsl_sim_get_url (sim));
  g_autoptr(GError) error = NULL;

  dsl_client_set_api_key (user, USER_KEY);
  dsl_client_set_api_key (readonly, "sk-demo-readonly");

  g_assert_true (probe (f->client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/security/audit/events/filter"),
                    ==, 1);

  g_assert_false (probe (user, &error));
  g_assert_error (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_AUDIT_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (probe (readonly, &error));
  g_assert_error (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_AUDIT_NO_SCOPE);
  g_clear_error (&error);

  dsl_sim_set_faults (sim, "audit402", &error);
  g_assert_no_error (error);
  g_assert_false (probe (f->client, &error));
  g_assert_error (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_AUDIT_PAYMENT_REQUIRED);
  g_clear_error (&error);

  dsl_sim_set_faults (sim, "audit-unfiltered", &error);
  g_assert_no_error (error);
  g_assert_false (probe (f->client, &error));
  g_assert_error (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_AUDIT_UNFILTERED);
  g_assert_true (dsl_guard_error_is_audit (error));
}

/* 20 links, each answer 300 ms late: at most 8 in flight, so at least three rounds. */
#define N_MANY 20

static void
add_many (Fixture *f,
          guint    n)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", i);
      g_autoptr(DslGuardedLink) link =
        dsl_guarded_link_new (f->account, id, "402", DSL_ITEM_KIND_FILE, "Notes.txt", NULL, 1,
                              created, NULL);

      dsl_guard_store_add (f->store, link);
    }
}

static void
test_in_flight (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  add_many (f, N_MANY);
  dsl_sim_set_faults (sim, "latency=300", &error);
  g_assert_no_error (error);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  start = g_get_monotonic_time ();
  results = check (f);
  g_assert_cmpuint (results->len, ==, N_MANY);
  for (guint i = 0; i < N_MANY; i++)
    g_assert_cmpint (result_at (results, i)->outcome, ==, DSL_GUARD_OUTCOME_GONE);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", NOTES_LINKS), ==, N_MANY);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 3 * 300 * 1000 - 50 * 1000);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* 429 after the client's own retries: those links fail, and no new link starts before
 * Retry-After has passed. */
static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  add_many (f, 10);
  /* the first 8 links' GETs: 3 attempts each (the client retries twice after Retry-After) */
  dsl_sim_set_faults (sim, "ratelimit=1,count=24,path=" NOTES_LINKS, &error);
  g_assert_no_error (error);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  start = g_get_monotonic_time ();
  results = check (f);
  g_assert_cmpuint (results->len, ==, 10);
  for (guint i = 0; i < 8; i++)
    {
      DslGuardResult *r = result_at (results, i);

      g_assert_cmpint (r->outcome, ==, DSL_GUARD_OUTCOME_FAILED);
      g_assert_error (r->error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
      g_assert_cmpint (dsl_guarded_link_get_state (r->link), ==, DSL_GUARD_STATE_FAILED);
    }
  g_assert_cmpint (result_at (results, 8)->outcome, ==, DSL_GUARD_OUTCOME_GONE);
  g_assert_cmpint (result_at (results, 9)->outcome, ==, DSL_GUARD_OUTCOME_GONE);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", NOTES_LINKS), ==, 26);
  /* 2 s of the client's retries, then 1 s of pause before links 9 and 10 */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2900 * 1000);
}

/* The pause after a 429 is the client's: another caller's write refused with 429 holds the
 * check back too (nothing is sent before Retry-After has passed), then it runs as usual. */
static void
test_rate_limited_elsewhere (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  gint64 refused_at;

  add_many (f, 2);
  dsl_sim_set_faults (sim, "ratelimit=2,count=1,path=/api/2.0/files/file/401/links", &error);
  g_assert_no_error (error);
  dsl_client_create_link_async (f->client, DSL_ITEM_KIND_FILE, "401", state, NULL, on_result,
                                &result);
  link = dsl_client_create_link_finish (f->client, wait_result (&result), &error);
  refused_at = g_get_monotonic_time ();
  g_assert_error (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED);
  g_clear_error (&error);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));

  results = check (f);
  /* the pause began when the 429 came back, shortly before refused_at */
  g_assert_cmpint (g_get_monotonic_time () - refused_at, >=, 1800 * 1000);
  g_assert_cmpuint (results->len, ==, 2);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_GONE);
  g_assert_cmpint (result_at (results, 1)->outcome, ==, DSL_GUARD_OUTCOME_GONE);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", NOTES_LINKS), ==, 2);
}

/* A long Retry-After (the client does not retry): cancelling ends the pause at once. */
static void
test_rate_limited_cancel (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  add_many (f, 10);
  dsl_sim_set_faults (sim, "ratelimit=30,count=8,path=" NOTES_LINKS, &error);
  g_assert_no_error (error);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  start = g_get_monotonic_time ();
  g_timeout_add (500, cancel_cb, cancellable);
  results = check_full (f->guard, f->account, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (results);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (dsl_sim_count_requests (sim, NULL, NULL), ==, 8);
  /* the 8 that were refused are recorded as failed: the save happens when cancelled too */
  reload (f);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(DslGuardedLink) link =
        g_list_model_get_item (dsl_guard_store_get_links (f->store, f->account), i);

      g_assert_cmpint (dsl_guarded_link_get_state (link), ==, DSL_GUARD_STATE_FAILED);
    }
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gboolean waited = FALSE;
  GListModel *links;

  add_many (f, N_MANY);
  dsl_sim_set_faults (sim, "latency=300", &error);
  g_assert_no_error (error);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  g_timeout_add (100, cancel_cb, cancellable);
  results = check_full (f->guard, f->account, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (results);

  /* nothing more is sent after the cancel: at most the first 8 reached the server */
  g_timeout_add (1000, quit_cb, &waited);
  while (!waited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (dsl_sim_count_requests (sim, NULL, NULL), <=, 8);
  links = dsl_guard_store_get_links (f->store, f->account);
  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(DslGuardedLink) link = g_list_model_get_item (links, i);

      g_assert_cmpint (dsl_guarded_link_get_state (link), ==, DSL_GUARD_STATE_ACTIVE);
    }

  /* already cancelled: nothing sent at all */
  g_clear_error (&error);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));
  results = check_full (f->guard, f->account, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (results);
  g_assert_cmpuint (dsl_sim_count_requests (sim, NULL, NULL), ==, 0);
}

/* One check per account at a time: a second one while the first runs is refused (it would
 * revoke the same links twice); once the first is done, the next one runs. */
static void
test_one_at_a_time (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;

  add_many (f, 3);
  dsl_sim_set_faults (sim, "latency=300", &error);
  g_assert_no_error (error);
  g_assert_true (dsl_sim_clear_requests (sim, NULL));

  dsl_link_guard_check_async (f->guard, f->account, NULL, on_result, &first);
  dsl_link_guard_check_async (f->guard, f->account, NULL, on_result, &second);
  g_assert_null (dsl_link_guard_check_finish (f->guard, wait_result (&second), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  results = dsl_link_guard_check_finish (f->guard, wait_result (&first), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 3);
  /* the refused one sent nothing: one listing per link */
  g_assert_cmpuint (dsl_sim_count_requests (sim, NULL, NULL), ==, 3);

  /* the next one runs (the made-up links were found gone: nothing left to check) */
  again = check (f);
  g_assert_cmpuint (again->len, ==, 0);
}

/* --- every write through the client moves the record (dsl-link-ops' "link-stored") --- */

static DslLink *
change_expiry (DslClient *client,
               DslLink   *link,
               GDateTime *expires,
               gboolean   extend)
{
  g_autoptr(DslLinkChange) change = dsl_link_change_new (link);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DslLink *stored;

  if (extend)
    dsl_link_change_extend (change);
  else
    dsl_link_change_set_expiry (change, expires);
  dsl_link_ops_change_async (client, DSL_ITEM_KIND_FILE, "402", change, NULL, on_result,
                             &result);
  stored = dsl_link_ops_change_finish (client, wait_result (&result), NULL, &error);
  g_assert_no_error (error);
  return stored;
}

static void
test_follows_writes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (created, 1);
  g_autoptr(GDateTime) next_week = g_date_time_add_days (created, 8);
  g_autoptr(DslLink) link = create_expiring_link (f->client, "Temporary", tomorrow);
  g_autoptr(DslLink) removed = create_expiring_link (f->client, "Removed", tomorrow);
  g_autoptr(DslLink) untouched = create_expiring_link (f->client, "Untouched", tomorrow);
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(DslLink) current = NULL;
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DslGuardedLink *guarded, *other;
  const char *id = dsl_link_get_id (link);

  guarded = guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", link, created, 2,
                        dsl_link_get_expiration_date (link));
  guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", removed, created, 0,
              dsl_link_get_expiration_date (removed));
  /* another account's record of a link: not this guard's to follow */
  other = guard_link (f, "someone-else", DSL_ITEM_KIND_FILE, "402", untouched, created, 0,
                      dsl_link_get_expiration_date (untouched));
  dsl_link_guard_set_account_key (f->guard, f->account);
  g_signal_connect (f->guard, "save-failed", G_CALLBACK (on_save_failed), messages);

  /* the expiry saved in the sidebar or the editor: the record and the file follow */
  stored = change_expiry (f->client, link, next_week, FALSE);
  g_assert_true (same_expiry (dsl_guarded_link_get_expires (guarded), next_week));
  g_assert_true (same_expiry (dsl_guarded_link_get_expires (guarded),
                              dsl_link_get_expiration_date (stored)));
  /* "Extend by 7 days" (the checkup, the reminders): seven days after the server's expiry */
  current = g_steal_pointer (&stored);
  stored = change_expiry (f->client, current, NULL, TRUE);
  g_assert_true (same_expiry (dsl_guarded_link_get_expires (guarded),
                              dsl_link_get_expiration_date (stored)));
  g_assert_cmpint (g_date_time_difference (dsl_guarded_link_get_expires (guarded), next_week) /
                   G_TIME_SPAN_HOUR, >=, 7 * 24 - 1);
  g_assert_cmpint (g_date_time_difference (dsl_guarded_link_get_expires (guarded), next_week) /
                   G_TIME_SPAN_HOUR, <=, 7 * 24 + 1);
  /* made never to expire */
  g_clear_object (&current);
  current = g_steal_pointer (&stored);
  stored = change_expiry (f->client, current, NULL, FALSE);
  g_assert_null (dsl_link_get_expiration_date (stored));
  g_assert_null (dsl_guarded_link_get_expires (guarded));

  /* removed in the app: no longer guarded */
  dsl_client_get_item_async (f->client, DSL_ITEM_KIND_FILE, "402", NULL, on_result, &result);
  item = dsl_client_get_item_finish (f->client, wait_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  dsl_link_ops_remove_async (f->client, item, removed, NULL, on_result, &result);
  dsl_link_ops_remove_finish (f->client, wait_result (&result), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (dsl_guard_store_lookup (f->store, f->account, dsl_link_get_id (removed)));
  g_assert_true (same_expiry (dsl_guarded_link_get_expires (other), tomorrow));
  g_assert_cmpuint (messages->len, ==, 0);

  reload (f);
  guarded = dsl_guard_store_lookup (f->store, f->account, id);
  g_assert_nonnull (guarded);
  g_assert_null (dsl_guarded_link_get_expires (guarded));
  g_assert_null (dsl_guard_store_lookup (f->store, f->account, dsl_link_get_id (removed)));

  /* a save that fails is said, for the record it was for */
  dsl_link_guard_set_account_key (f->guard, f->account);
  g_signal_connect (f->guard, "save-failed", G_CALLBACK (on_save_failed), messages);
  remove_tree (f->dir);
  g_assert_cmpint (g_mkdir (f->dir, 0700), ==, 0);
  break_store_path (f);
  g_clear_object (&current);
  current = g_steal_pointer (&stored);
  stored = change_expiry (f->client, current, next_week, FALSE);
  g_assert_true (same_expiry (dsl_guarded_link_get_expires (guarded), next_week));
  g_assert_cmpuint (messages->len, ==, 1);
  /* the file held the record (with the expiry the check corrects): still guarded */
  g_assert_nonnull (strstr (g_ptr_array_index (messages, 0), "still guarded"));
}

/* --- the store --- */

static void
test_store_round_trip (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 ("2026-06-01T10:00:00+03:00", NULL);
  g_autoptr(GDateTime) expires = g_date_time_new_from_iso8601 ("2026-06-08T10:00:00Z", NULL);
  g_autoptr(DslGuardedLink) a =
    dsl_guarded_link_new (f->account, "link-a", "402", DSL_ITEM_KIND_FILE, "Notes.txt",
                          "http://x/s/a", 3, created, expires);
  g_autoptr(DslGuardedLink) b =
    dsl_guarded_link_new (f->account, "link-b", "501", DSL_ITEM_KIND_FOLDER, "Drafts",
                          NULL, 0, created, NULL);
  g_autoptr(DslGuardedLink) c =
    dsl_guarded_link_new ("other http://y", "link-c", "101", DSL_ITEM_KIND_ROOM, "Marketing",
                          "http://y/s/c", 1, created, NULL);
  g_autoptr(DslGuardedLink) a2 = NULL;
  g_autoptr(DslGuardStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) created_utc = g_date_time_new_from_iso8601 ("2026-06-01T07:00:00Z", NULL);
  DslGuardedLink *l;
  GListModel *model;

  dsl_guarded_link_set_downloads (a, 2);
  dsl_guarded_link_set_state (b, DSL_GUARD_STATE_FAILED, "The portal answered 500");
  dsl_guarded_link_set_state (c, DSL_GUARD_STATE_REVOKED_EXPIRED, "ignored");
  dsl_guard_store_add (f->store, a);
  dsl_guard_store_add (f->store, b);
  dsl_guard_store_add (f->store, c);
  /* the same id again replaces */
  a2 = dsl_guarded_link_new (f->account, "link-a", "402", DSL_ITEM_KIND_FILE, "Notes.txt",
                             "http://x/s/a", 4, created, expires);
  dsl_guarded_link_set_downloads (a2, 2);
  dsl_guard_store_add (f->store, a2);
  g_assert_cmpuint (g_list_model_get_n_items (dsl_guard_store_get_links (f->store, f->account)),
                    ==, 2);
  g_assert_true (dsl_guard_store_save (f->store, &error));
  g_assert_no_error (error);

  store = dsl_guard_store_new_for_path (f->path);
  g_assert_true (dsl_guard_store_load (store, &error));
  g_assert_no_error (error);
  model = dsl_guard_store_get_links (store, f->account);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);

  l = dsl_guard_store_lookup (store, f->account, "link-a");
  g_assert_nonnull (l);
  g_assert_cmpstr (dsl_guarded_link_get_account_key (l), ==, f->account);
  g_assert_cmpstr (dsl_guarded_link_get_item_id (l), ==, "402");
  g_assert_cmpint (dsl_guarded_link_get_item_kind (l), ==, DSL_ITEM_KIND_FILE);
  g_assert_cmpstr (dsl_guarded_link_get_item_title (l), ==, "Notes.txt");
  g_assert_cmpstr (dsl_guarded_link_get_share_link (l), ==, "http://x/s/a");
  g_assert_cmpuint (dsl_guarded_link_get_download_limit (l), ==, 4);
  g_assert_true (g_date_time_equal (dsl_guarded_link_get_created (l), created_utc));
  g_assert_cmpint (g_date_time_get_utc_offset (dsl_guarded_link_get_created (l)), ==, 0);
  g_assert_true (g_date_time_equal (dsl_guarded_link_get_expires (l), expires));
  g_assert_cmpint (dsl_guarded_link_get_state (l), ==, DSL_GUARD_STATE_ACTIVE);
  g_assert_cmpint (dsl_guarded_link_get_downloads (l), ==, 2);

  l = dsl_guard_store_lookup (store, f->account, "link-b");
  g_assert_nonnull (l);
  g_assert_cmpint (dsl_guarded_link_get_item_kind (l), ==, DSL_ITEM_KIND_FOLDER);
  g_assert_null (dsl_guarded_link_get_share_link (l));
  g_assert_null (dsl_guarded_link_get_expires (l));
  g_assert_cmpuint (dsl_guarded_link_get_download_limit (l), ==, 0);
  g_assert_cmpint (dsl_guarded_link_get_state (l), ==, DSL_GUARD_STATE_FAILED);
  g_assert_cmpstr (dsl_guarded_link_get_last_error (l), ==, "The portal answered 500");
  g_assert_cmpint (dsl_guarded_link_get_downloads (l), ==, -1);

  l = dsl_guard_store_lookup (store, "other http://y", "link-c");
  g_assert_nonnull (l);
  g_assert_cmpint (dsl_guarded_link_get_item_kind (l), ==, DSL_ITEM_KIND_ROOM);
  g_assert_cmpint (dsl_guarded_link_get_state (l), ==, DSL_GUARD_STATE_REVOKED_EXPIRED);
  g_assert_null (dsl_guarded_link_get_last_error (l));
  g_assert_null (dsl_guard_store_lookup (store, f->account, "link-c"));

  /* remove, and the model follows */
  g_assert_true (dsl_guard_store_remove (store, f->account, "link-a"));
  g_assert_false (dsl_guard_store_remove (store, f->account, "link-a"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  g_assert_true (dsl_guard_store_save (store, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  store = dsl_guard_store_new_for_path (f->path);
  g_assert_true (dsl_guard_store_load (store, &error));
  g_assert_null (dsl_guard_store_lookup (store, f->account, "link-a"));
  g_assert_nonnull (dsl_guard_store_lookup (store, f->account, "link-b"));
}

static void
test_store_missing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslGuardStore) store = dsl_guard_store_new ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "docspace-links",
                                                "guarded-links.json", NULL);

  g_assert_cmpstr (dsl_guard_store_get_path (store), ==, expected);
  g_assert_true (dsl_guard_store_load (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (dsl_guard_store_get_links (f->store, f->account)),
                    ==, 0);
}

static void
check_corrupt (Fixture    *f,
               const char *text)
{
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(DslGuardedLink) old =
    dsl_guarded_link_new (f->account, "link-old", "402", DSL_ITEM_KIND_FILE, "Notes.txt",
                          NULL, 1, created, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *aside_text = NULL;
  g_autofree char *described = NULL;
  GListModel *model = dsl_guard_store_get_links (f->store, f->account);
  const char *name;

  dsl_guard_store_add (f->store, old);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, text, -1, NULL));

  g_assert_false (dsl_guard_store_load (f->store, &error));
  g_assert_error (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_CORRUPT_STORE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  dir = g_dir_open (folder, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "guarded-links.json.corrupt-"))
      aside = g_build_filename (folder, name, NULL);
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (error->message, aside));
  /* the same sentence, for the window */
  g_assert_cmpstr (dsl_guard_store_get_load_problems (f->store)[0], ==, error->message);
  g_assert_null (dsl_guard_store_get_load_problems (f->store)[1]);
  described = dsl_guard_store_describe_load_problems (f->store);
  g_assert_cmpstr (described, ==, error->message);
  g_assert_true (g_file_get_contents (aside, &aside_text, NULL, NULL));
  g_assert_cmpstr (aside_text, ==, text);

  /* a new file can be written, and the damaged one stays */
  g_clear_error (&error);
  g_assert_true (dsl_guard_store_save (f->store, &error));
  g_assert_no_error (error);
  g_assert_true (dsl_guard_store_load (f->store, &error));
  g_assert_null (dsl_guard_store_get_load_problems (f->store)[0]);
  g_assert_null (dsl_guard_store_describe_load_problems (f->store));
  g_assert_true (g_file_test (aside, G_FILE_TEST_EXISTS));
  g_remove (aside);
}

static void
test_store_corrupt (Fixture       *f,
                    gconstpointer  data)
{
  check_corrupt (f, "{\"format\": \"docspace-links-guarded-links\", \"accounts\": {");
}

static void
test_store_wrong_shape (Fixture       *f,
                        gconstpointer  data)
{
  /* the accounts are not an object: not a guarded-links file at all */
  check_corrupt (f, "{\"format\": \"docspace-links-guarded-links\", \"version\": 1, "
                    "\"accounts\": [{\"linkId\": 5}]}");
}

/* "format" of the wrong type: moved aside, no CRITICAL (fatal under g_test_init). */
static void
test_store_format_object (Fixture       *f,
                          gconstpointer  data)
{
  check_corrupt (f, "{\"format\": {}, \"version\": 1, \"accounts\": {}}");
}

static void
test_store_not_json (Fixture       *f,
                     gconstpointer  data)
{
  check_corrupt (f, "<html><body>Not JSON</body></html>\n");
}

/* 100,000 nested "[" would overflow json-glib's recursive parser: refused before it. */
static void
test_store_deep (Fixture       *f,
                 gconstpointer  data)
{
  GString *text = g_string_new ("{\"format\": \"docspace-links-guarded-links\", \"version\": 1, "
                                "\"accounts\": {\"a b\": ");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  check_corrupt (f, text->str);
  g_string_free (text, TRUE);
}

/* The records of a store file: %s are the state of the second and the title of the last. */
#define RECORD(id, state, title) \
  "{\"linkId\": \"" id "\", \"itemId\": \"402\", \"itemKind\": \"file\", " \
  "\"itemTitle\": \"" title "\", \"downloadLimit\": 3, \"created\": \"2026-12-01T10:00:00Z\", " \
  "\"state\": \"" state "\", \"downloads\": 1}"

static char *
damaged_file (const char *account,
              int         version)
{
  return g_strdup_printf (
    "{\"format\": \"docspace-links-guarded-links\", \"version\": %d, \"accounts\": {"
    "\"%s\": ["
    RECORD ("link-good", "active", "Notes.txt") ","
    RECORD ("link-state", "foo", "Notes.txt") ","
    "{\"linkId\": 5, \"itemId\": \"402\", \"itemKind\": \"file\", \"itemTitle\": \"T\", "
    " \"downloadLimit\": 3, \"created\": \"2026-12-01T10:00:00Z\", \"state\": \"active\", "
    " \"downloads\": 1},"
    "{\"linkId\": \"link-object\", \"itemId\": \"402\", \"itemKind\": \"file\", "
    " \"itemTitle\": {\"text\": \"T\"}, \"downloadLimit\": 3, "
    " \"created\": \"2026-12-01T10:00:00Z\", \"state\": \"active\", \"downloads\": 1},"
    "{\"linkId\": \"link-date\", \"itemId\": \"402\", \"itemKind\": \"file\", "
    " \"itemTitle\": \"T\", \"downloadLimit\": 3, \"created\": \"2026-12-01T10:00:00Z\", "
    " \"expires\": \"9999-12-31T23:59:59-23:59\", \"state\": \"active\", \"downloads\": 1},"
    RECORD ("link-surrogate", "active", "x\\ud800y") "],"
    /* a lone surrogate last in a string: json-glib would swallow the closing quote */
    "\"other http://y\": [{\"linkId\": \"link-other\", \"itemId\": \"7\", "
    " \"itemKind\": \"room\", \"itemTitle\": \"Plan\", \"downloadLimit\": 0, "
    " \"created\": \"2026-12-01T10:00:00Z\", \"state\": \"failed\", "
    " \"lastError\": \"boom\\udc00\", \"downloads\": -1}]}}",
    version, account);
}

static void
assert_problems (const char * const *problems,
                 const char * const *expected)
{
  guint i;

  g_assert_nonnull (problems);
  for (i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (problems[i], ==, expected[i]);
  g_assert_cmpstr (problems[i], ==, NULL);
}

/* One bad record among good ones: it is skipped and reported; the others (of every account)
 * are kept; the lone surrogate's title is made valid and survives a save and a load. */
static void
test_store_bad_records (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autofree char *text = damaged_file (f->account, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(DslGuardStore) again = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *described = NULL;
  const char *title;
  DslGuardedLink *l;
  const char * const expected[] = {
    "record 2: unknown state “foo”",
    "record 3: “linkId” is not text",
    "record 4: “itemTitle” is not text",
    "record 5: “expires” is not a date the app can use",
    "Some text in the guarded links file was not valid UTF-8; the characters that could not "
    "be read were replaced",
    NULL
  };

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, text, -1, NULL));
  g_assert_true (dsl_guard_store_load (f->store, &error));
  g_assert_no_error (error);
  assert_problems (dsl_guard_store_get_load_problems (f->store), expected);
  /* the window's sentence: the first three, and how many more */
  described = dsl_guard_store_describe_load_problems (f->store);
  g_assert_cmpstr (described, ==, "Not everything in the file of temporary links could be read: "
                                  "record 2: unknown state “foo”; record 3: “linkId” is not "
                                  "text; record 4: “itemTitle” is not text (and 2 more)");

  g_assert_cmpuint (g_list_model_get_n_items (dsl_guard_store_get_links (f->store, f->account)),
                    ==, 2);
  g_assert_nonnull (dsl_guard_store_lookup (f->store, f->account, "link-good"));
  l = dsl_guard_store_lookup (f->store, f->account, "link-surrogate");
  g_assert_nonnull (l);
  title = dsl_guarded_link_get_item_title (l);
  g_assert_true (g_utf8_validate (title, -1, NULL));
  g_assert_cmpstr (title, ==, "x\xef\xbf\xbdy");  /* U+FFFD */
  l = dsl_guard_store_lookup (f->store, "other http://y", "link-other");
  g_assert_nonnull (l);
  g_assert_cmpint (dsl_guarded_link_get_state (l), ==, DSL_GUARD_STATE_FAILED);
  g_assert_cmpstr (dsl_guarded_link_get_last_error (l), ==, "boom\xef\xbf\xbd");

  /* saved and loaded again: the same records, valid UTF-8 in the file, nothing to report */
  g_assert_true (dsl_guard_store_save (f->store, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (f->path, &saved, NULL, NULL));
  g_assert_true (g_utf8_validate (saved, -1, NULL));
  again = dsl_guard_store_new_for_path (f->path);
  g_assert_true (dsl_guard_store_load (again, &error));
  g_assert_no_error (error);
  assert_problems (dsl_guard_store_get_load_problems (again), (const char * const[]) { NULL });
  g_assert_cmpuint (g_list_model_get_n_items (dsl_guard_store_get_links (again, f->account)),
                    ==, 2);
  l = dsl_guard_store_lookup (again, f->account, "link-surrogate");
  g_assert_nonnull (l);
  g_assert_cmpstr (dsl_guarded_link_get_item_title (l), ==, title);
  g_assert_nonnull (dsl_guard_store_lookup (again, "other http://y", "link-other"));
}

/* A newer version's file: read as far as this version can, and never overwritten. */
static void
test_store_newer (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autofree char *text = damaged_file (f->account, 2);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(DslGuardedLink) added =
    dsl_guarded_link_new (f->account, "link-new", "402", DSL_ITEM_KIND_FILE, "Notes.txt",
                          NULL, 1, created, NULL);
  const char * const *problems;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, text, -1, NULL));
  g_assert_true (dsl_guard_store_load (f->store, &error));
  g_assert_no_error (error);
  problems = dsl_guard_store_get_load_problems (f->store);
  g_assert_cmpstr (problems[0], ==, "The guarded links file was written by a newer version of "
                                    "DocSpace Links: it is read as far as this version can, "
                                    "and not changed");
  g_assert_cmpstr (problems[1], ==, "record 2: unknown state “foo”");
  g_assert_cmpuint (g_strv_length ((char **) problems), ==, 6);
  g_assert_nonnull (dsl_guard_store_lookup (f->store, f->account, "link-good"));
  g_assert_nonnull (dsl_guard_store_lookup (f->store, "other http://y", "link-other"));

  dsl_guard_store_add (f->store, added);
  g_assert_false (dsl_guard_store_save (f->store, &error));
  g_assert_error (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_NOT_OVERWRITTEN);
  g_assert_nonnull (strstr (error->message,
                            "written by a newer version of DocSpace Links; not overwritten"));
  g_assert_true (g_file_get_contents (f->path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text);
}

/* Larger than DSL_STATE_FILE_MAX_SIZE (sparse: never read whole) or more records than
 * DSL_STATE_FILE_MAX_RECORDS: moved aside, reported. */
static void
test_store_huge (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (f->path);
  g_autoptr(GError) error = NULL;
  GString *many;
  const char * const *problems;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  int fd;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  fd = g_open (f->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, "{", 1), ==, 1);
  g_assert_cmpint (ftruncate (fd, 17 * 1024 * 1024), ==, 0);
  close (fd);
  g_assert_false (dsl_guard_store_load (f->store, &error));
  g_assert_error (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_CORRUPT_STORE);
  g_assert_nonnull (strstr (error->message, "too large"));
  problems = dsl_guard_store_get_load_problems (f->store);
  g_assert_cmpstr (problems[0], ==, error->message);
  g_assert_null (problems[1]);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  dir = g_dir_open (folder, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *aside = g_build_filename (folder, name, NULL);

      g_assert_true (g_str_has_prefix (name, "guarded-links.json.corrupt-"));
      g_remove (aside);
    }

  many = g_string_new ("{\"format\": \"docspace-links-guarded-links\", \"version\": 1, "
                       "\"accounts\": {\"a b\": [");
  for (guint i = 0; i < 100001; i++)
    g_string_append (many, i == 0 ? "{}" : ",{}");
  g_string_append (many, "]}}");
  check_corrupt (f, many->str);
  g_string_free (many, TRUE);
}

static void
test_store_unreadable (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* a folder where the file should be */
  g_assert_cmpint (g_mkdir_with_parents (f->path, 0700), ==, 0);
  g_assert_false (dsl_guard_store_load (f->store, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (dsl_guard_store_get_load_problems (f->store)[0], ==, error->message);
  g_clear_error (&error);
  /* never replaced unread */
  g_assert_false (dsl_guard_store_save (f->store, &error));
  g_assert_error (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_NOT_OVERWRITTEN);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_DIR));
}

/* After a real check of a password-protected link, the file holds no secret. */
static void
test_store_no_secrets (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GDateTime) created = g_date_time_new_now_utc ();
  g_autoptr(DslLink) link = create_link (f->client, DSL_ITEM_KIND_FILE, "402", "Temporary",
                                         "Zq9!secretPW");
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *text = NULL;
  g_autofree char *lower = NULL;

  g_assert_cmpstr (dsl_link_get_password (link), ==, "Zq9!secretPW");
  guard_link (f, f->account, DSL_ITEM_KIND_FILE, "402", link, created, 3, NULL);
  results = check (f);
  g_assert_cmpint (result_at (results, 0)->outcome, ==, DSL_GUARD_OUTCOME_ACTIVE);

  g_assert_true (g_file_get_contents (f->path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, dsl_link_get_id (link)));
  g_assert_null (strstr (text, "Zq9!secretPW"));
  g_assert_null (strstr (text, OWNER_KEY));
  g_assert_null (strstr (text, "sk-"));
  if (dsl_link_get_request_token (link) != NULL)
    g_assert_null (strstr (text, dsl_link_get_request_token (link)));
  lower = g_ascii_strdown (text, -1);
  g_assert_null (strstr (lower, "password"));
  g_assert_null (strstr (lower, "token"));
  g_assert_null (strstr (lower, "key\""));
}

/* --- an audit trail that pages for ever --- */

/* Answers every request with a full page of 100 FileDownloaded events on the probe's target:
 * `repeat` TRUE, the same 100 events each time (ids 1..100); FALSE, new ones (from
 * startIndex + 1). A GThreadedSocketService, as in test-folder-model.c. */
typedef struct {
  GMutex          lock;
  gboolean        repeat;
  guint           n_pages;
} EndlessAudit;

static gboolean
endless_audit_run (GThreadedSocketService *service,
                   GSocketConnection      *connection,
                   GObject                *source,
                   gpointer                user_data)
{
  EndlessAudit *audit = user_data;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *request_line = NULL;
  g_autofree char *head = NULL;
  g_autoptr(GString) body = g_string_new ("{\"response\":[");
  const char *start_text;
  guint start = 0;
  gboolean repeat;
  GOutputStream *out;

  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  request_line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (request_line == NULL)
    return TRUE;
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (header == NULL || *header == '\0')
        break;
    }
  start_text = strstr (request_line, "startIndex=");
  if (start_text != NULL)
    start = (guint) g_ascii_strtoull (start_text + strlen ("startIndex="), NULL, 10);

  g_mutex_lock (&audit->lock);
  audit->n_pages++;
  repeat = audit->repeat;
  g_mutex_unlock (&audit->lock);

  for (guint i = 0; i < 100; i++)
    g_string_append_printf (body, "%s{\"id\":%u,\"date\":\"2026-06-30T13:45:12.0000000Z\","
                            "\"actionId\":%d,\"target\":[\"docspace-links-audit-probe\"]}",
                            i > 0 ? "," : "", (repeat ? 0 : start) + i + 1,
                            DSL_AUDIT_ACTION_FILE_DOWNLOADED);
  g_string_append (body, "],\"count\":100,\"total\":1000000000000000,\"status\":0,"
                   "\"statusCode\":200}");

  head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          body->len);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, body->str, body->len, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* How long a bounded wait lasts: 60 s, times DSL_TEST_WAIT_SCALE (the asan setup's 3: a
 * thousand requests under ASan on a busy machine once took more than 60 s). */
static gint64
bounded_wait_us (void)
{
  const char *value = g_getenv ("DSL_TEST_WAIT_SCALE");
  gint64 scale = value != NULL ? g_ascii_strtoll (value, NULL, 10) : 1;

  return CLAMP (scale, 1, 10) * 60 * G_USEC_PER_SEC;
}

/* The probe's count against the endless trail; the wait is bounded (bounded_wait_us): paging
 * for ever fails here rather than hangs. */
static gboolean
probe_endless (const char  *url,
               GError     **error)
{
  g_autoptr(DslClient) client = dsl_client_new (url);
  g_autoptr(DslGuardStore) store = dsl_guard_store_new_for_path ("/nonexistent/guarded.json");
  g_autoptr(DslLinkGuard) guard = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + bounded_wait_us ();

  dsl_client_set_api_key (client, OWNER_KEY);
  guard = dsl_link_guard_new (client, store);
  dsl_link_guard_probe_audit_async (guard, NULL, on_result, &result);
  while (result == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("the audit trail was still being paged after %" G_GINT64_FORMAT " s",
                 bounded_wait_us () / G_USEC_PER_SEC);
    }
  return dsl_link_guard_probe_audit_finish (guard, result, error);
}

/* Under valgrind, 1,000 requests take minutes: the 1,000-page halves are left out there. */
static gboolean
on_valgrind (void)
{
#if defined(RUNNING_ON_VALGRIND)
  return RUNNING_ON_VALGRIND != 0;
#else
  return FALSE;
#endif
}

/* Full pages for ever: the same events again stop the count at once; new ones stop it after
 * 1,000 pages. Either way an error that says so, not a count. */
static void
test_audit_endless (void)
{
  EndlessAudit audit = { 0 };
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (4);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_mutex_init (&audit.lock);
  g_signal_connect (service, "run", G_CALLBACK (endless_audit_run), &audit);
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_service_start (G_SOCKET_SERVICE (service));

  audit.repeat = TRUE;
  g_assert_false (probe_endless (url, &error));
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (error->message, ==,
                   "The portal keeps sending more pages: stopped after 100 items");
  g_assert_cmpuint (audit.n_pages, ==, 2);
  g_clear_error (&error);

  g_mutex_lock (&audit.lock);
  audit.repeat = FALSE;
  audit.n_pages = 0;
  g_mutex_unlock (&audit.lock);
  if (on_valgrind ())
    goto out;
  g_assert_false (probe_endless (url, &error));
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (error->message, ==,
                   "The portal keeps sending more pages: stopped after 100000 items");
  g_assert_cmpuint (audit.n_pages, ==, 1000);

out:
  g_socket_service_stop (G_SOCKET_SERVICE (service));
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_mutex_clear (&audit.lock);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  add_test ("limit", test_limit);
  add_test ("count-since-creation", test_count_since_creation);
  add_test ("expired", test_expired);
  add_test ("extended-on-server", test_extended_on_server);
  add_test ("expires-on-server", test_expires_on_server);
  add_test ("save-failed", test_save_failed);
  add_test ("follows-writes", test_follows_writes);
  add_test ("download-kinds", test_download_kinds);
  add_test ("folder-and-room", test_folder_and_room);
  add_test ("gone", test_gone);
  add_test ("failed", test_failed);
  add_test ("delete-not-applied", test_delete_not_applied);
  add_test ("not-admin", test_not_admin);
  add_test ("audit-402", test_audit_402);
  add_test ("audit-unfiltered", test_audit_unfiltered);
  add_test ("probe", test_probe);
  g_test_add_func ("/dsl/core/link-guard/audit-endless", test_audit_endless);
  add_test ("in-flight", test_in_flight);
  add_test ("rate-limited", test_rate_limited);
  add_test ("rate-limited-cancel", test_rate_limited_cancel);
  add_test ("rate-limited-elsewhere", test_rate_limited_elsewhere);
  add_test ("cancel", test_cancel);
  add_test ("one-at-a-time", test_one_at_a_time);
  add_test ("store-round-trip", test_store_round_trip);
  add_test ("store-missing", test_store_missing);
  add_test ("store-corrupt", test_store_corrupt);
  add_test ("store-wrong-shape", test_store_wrong_shape);
  add_test ("store-format-object", test_store_format_object);
  add_test ("store-not-json", test_store_not_json);
  add_test ("store-deep", test_store_deep);
  add_test ("store-bad-records", test_store_bad_records);
  add_test ("store-newer", test_store_newer);
  add_test ("store-huge", test_store_huge);
  add_test ("store-unreadable", test_store_unreadable);
  add_test ("store-no-secrets", test_store_no_secrets);

  {
    /* --scale 1: file 100402, whose id contains 402's */
    const char * const args[] = { "--scale", "1", NULL };

    sim = dsl_sim_start (args, &error);
  }
  g_assert_no_error (error);

  status = g_test_run ();

  g_clear_pointer (&sim, dsl_sim_stop);
  return status;
}

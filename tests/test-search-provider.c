/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-search-provider.c: the Shell search provider without a display (issue 16: it moved to
 * src/core and hands what was activated to the application as signals).
 *
 *   settings "accounts" ──▶ each account's shared search index (in memory here)
 *   search (terms) ──▶ "item:<account hash>:<id>" ids; a share URL ──▶ "find-link:<url>"
 *   ActivateResult over D-Bus (a private bus, GTestDBus) ──▶ "show-item" (account, path) or
 *                                                            "find-link" (url), with the time
 *
 * tests/e2e/test_search_provider.py drives the same through the running app and GNOME Shell's
 * calls. */
#define G_LOG_DOMAIN "dsl-test"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "dsl-account.h"
#include "dsl-folder-model.h"
#include "dsl-search-index.h"
#include "dsl-search-provider.h"
#include "dsl-state-file.h"

#define PORTAL "https://docspace.example.com"
#define USER_ID "a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01"
#define OBJECT_PATH "/io/github/dslinks/DocSpaceLinks/Test/SearchProvider"

typedef struct {
  GSettings         *settings;
  GApplication      *application;
  DslSearchProvider *provider;
  char              *key;
  guint              show_item;
  char              *shown_key;
  char              *shown_path;
  guint              find_link;
  char              *found_url;
  guint              timestamp;
} Fixture;

static void
on_show_item (DslSearchProvider *provider,
              const char        *account_key,
              const char        *path,
              guint              timestamp,
              Fixture           *f)
{
  f->show_item++;
  g_free (f->shown_key);
  f->shown_key = g_strdup (account_key);
  g_free (f->shown_path);
  f->shown_path = g_strdup (path);
  f->timestamp = timestamp;
}

static void
on_find_link (DslSearchProvider *provider,
              const char        *url,
              guint              timestamp,
              Fixture           *f)
{
  f->find_link++;
  g_free (f->found_url);
  f->found_url = g_strdup (url);
  f->timestamp = timestamp;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DslAccountStore) store = NULL;
  g_autoptr(DslAccount) account = NULL;
  DslSearchIndex *index;

  f->settings = g_settings_new (BASE_APP_ID);
  g_settings_reset (f->settings, "accounts");
  g_settings_reset (f->settings, "last-account");
  store = dsl_account_store_new (f->settings);
  account = dsl_account_new (PORTAL, USER_ID, "Olivia Owner");
  dsl_account_store_add (store, account);
  f->key = dsl_account_dup_key (account);

  /* The account's shared index, as the window's scans fill it. */
  index = dsl_search_index_get_shared (f->key);
  dsl_search_index_add (index, DSL_FOLDER_ROOMS, "101", "Marketing", DSL_ITEM_KIND_ROOM);
  dsl_search_index_add (index, "101", "201", "Campaigns", DSL_ITEM_KIND_FOLDER);
  dsl_search_index_add (index, "201", "301", "Launch plan.docx", DSL_ITEM_KIND_FILE);
  dsl_search_index_add (index, DSL_FOLDER_MY, "401", "Budget.xlsx", DSL_ITEM_KIND_FILE);

  f->application = g_application_new ("io.github.dslinks.DocSpaceLinks.Test",
                                       G_APPLICATION_NON_UNIQUE);
  f->provider = dsl_search_provider_new (f->application, f->settings);
  g_signal_connect (f->provider, "show-item", G_CALLBACK (on_show_item), f);
  g_signal_connect (f->provider, "find-link", G_CALLBACK (on_find_link), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  dsl_search_provider_unregister (f->provider);
  g_clear_object (&f->provider);
  g_clear_object (&f->application);
  g_clear_object (&f->settings);
  g_free (f->key);
  g_free (f->shown_key);
  g_free (f->shown_path);
  g_free (f->found_url);
}

static char *
item_id (Fixture    *f,
         const char *id)
{
  g_autofree char *hash = dsl_state_file_hash_account (f->key);

  return g_strdup_printf ("item:%s:%s", hash, id);
}

/* --- search --- */

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  const char *launch[] = { "launch", NULL };
  const char *nothing[] = { "nothing-matches-this", NULL };
  const char *url[] = { PORTAL "/s/AbCdEf123", NULL };
  g_auto(GStrv) hits = dsl_search_provider_search (f->provider, launch, NULL);
  g_auto(GStrv) none = dsl_search_provider_search (f->provider, nothing, NULL);
  g_auto(GStrv) link = dsl_search_provider_search (f->provider, url, NULL);
  g_autofree char *plan = item_id (f, "301");
  const char *previous[] = { plan, NULL };
  const char *budget_terms[] = { "budget", NULL };
  g_auto(GStrv) within = dsl_search_provider_search (f->provider, budget_terms, previous);

  g_assert_cmpuint (g_strv_length (hits), ==, 1);
  g_assert_cmpstr (hits[0], ==, plan);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_cmpuint (g_strv_length (link), ==, 1);
  g_assert_cmpstr (link[0], ==, DSL_SEARCH_PROVIDER_FIND_LINK_PREFIX PORTAL "/s/AbCdEf123");
  /* A subsearch stays within the previous results: Budget is not among them. */
  g_assert_cmpuint (g_strv_length (within), ==, 0);
}

/* --- ActivateResult over D-Bus --- */

typedef struct {
  gboolean done;
  GError  *error;
} Call;

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GVariant) reply = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &call->error);
  call->done = TRUE;
}

static void
activate (GDBusConnection *connection,
          const char      *id,
          guint32          timestamp)
{
  const char *terms[] = { "launch", NULL };
  Call call = { 0 };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_dbus_connection_call (connection, g_dbus_connection_get_unique_name (connection),
                          OBJECT_PATH, "org.gnome.Shell.SearchProvider2", "ActivateResult",
                          g_variant_new ("(s^asu)", id, terms, timestamp), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_call_done, &call);
  while (!call.done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (call.done);
  g_assert_no_error (call.error);
}

static void
test_activate (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plan = item_id (f, "301");
  g_autofree char *gone = item_id (f, "999");
  g_autofree char *expected_path = NULL;
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");

  if (daemon == NULL)
    {
      g_test_skip ("dbus-daemon is not installed");
      return;
    }
  g_test_dbus_up (bus);
  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (dsl_search_provider_register (f->provider, connection, OBJECT_PATH, &error));
  g_assert_no_error (error);

  /* An item: its account and where it is in the tree, from the index. */
  activate (connection, plan, 4242);
  expected_path = dsl_search_index_dup_path (dsl_search_index_get_shared (f->key), "301");
  g_assert_nonnull (expected_path);
  g_assert_cmpuint (f->show_item, ==, 1);
  g_assert_cmpstr (f->shown_key, ==, f->key);
  g_assert_cmpstr (f->shown_path, ==, expected_path);
  g_assert_cmpuint (f->timestamp, ==, 4242);
  g_assert_cmpuint (f->find_link, ==, 0);

  /* An item the index no longer has: the window alone. */
  activate (connection, gone, 4343);
  g_assert_cmpuint (f->show_item, ==, 2);
  g_assert_null (f->shown_key);
  g_assert_null (f->shown_path);

  /* A share URL: Find Link with it. */
  activate (connection, DSL_SEARCH_PROVIDER_FIND_LINK_PREFIX PORTAL "/s/AbCdEf123", 4444);
  g_assert_cmpuint (f->find_link, ==, 1);
  g_assert_cmpstr (f->found_url, ==, PORTAL "/s/AbCdEf123");
  g_assert_cmpuint (f->timestamp, ==, 4444);
  g_assert_cmpuint (f->show_item, ==, 2);

  dsl_search_provider_unregister (f->provider);
  g_dbus_connection_close_sync (connection, NULL, NULL);
  g_clear_object (&connection);
  g_test_dbus_down (bus);
}

/* This run's cache directory and what the indexes may have written into it (two levels). */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = g_dir_make_tmp ("dsl-search-provider-XXXXXX", NULL);
  int status;

  /* The indexes' cache files go to a directory of this run (read before GLib caches it). */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/dsl/search-provider/search", Fixture, NULL, fixture_set_up, test_search,
              fixture_tear_down);
  g_test_add ("/dsl/search-provider/activate", Fixture, NULL, fixture_set_up, test_activate,
              fixture_tear_down);
  status = g_test_run ();
  remove_tree (cache);
  return status;
}

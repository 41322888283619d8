/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-account.c: DslAccount, its secret in the Secret Service, and DslAccountStore.
 *
 *   DslAccount ──to_variant / new_from_variant──▶ (sss)            round trip, malformed entries
 *   DslAccountStore ──▶ GSettings (memory backend) "accounts", "last-account"   key contents
 *   dsl_account_*_secret_async ──▶ libsecret ──▶ gnome-keyring of the private test session
 *   a subprocess without a bus / with a bus but no Secret Service ──▶ the "no keyring" errors
 *
 * build-aux/test-session.sh runs this with an unlocked gnome-keyring, and then the secret tests
 * must pass. Run by hand without a Secret Service they are skipped, saying why. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <unistd.h>

#include "dsl-account.h"

#define PORTAL "http://127.0.0.1:8080"
#define OLIVIA "a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01"
#define ULRICH "a7b3c1d2-0002-4c5e-9f10-5a6b7c8d9e02"
#define SECRET_KEY "sk-demo-owner"

/* --- helpers --- */

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (BASE_APP_ID);

  /* The memory backend lives as long as the process: every test starts from the defaults. */
  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "last-account");
  return settings;
}

static char *
accounts_key_text (GSettings *settings)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, "accounts");

  return g_variant_print (value, FALSE);
}

/* No key of the schema holds anything that looks like a secret. */
static void
assert_no_secret_in_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      g_assert_null (strstr (text, "sk-"));
      g_assert_null (strstr (text, "secret"));
    }
}

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  g_assert_null (wait->result);
  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  g_error ("a secret call did not finish within 30 s");
  return G_SOURCE_REMOVE;
}

static void
wait_init (Wait *wait)
{
  wait->loop = g_main_loop_new (NULL, FALSE);
  wait->result = NULL;
}

/* Runs the main loop until on_done fired; returns the result (owned by `wait` until the next
 * call or wait_clear). */
static GAsyncResult *
wait_run (Wait *wait)
{
  guint timeout_id = g_timeout_add_seconds (30, on_wait_timeout, NULL);

  g_main_loop_run (wait->loop);
  g_source_remove (timeout_id);
  g_assert_nonnull (wait->result);
  return wait->result;
}

static void
wait_clear (Wait *wait)
{
  g_clear_object (&wait->result);
  g_clear_pointer (&wait->loop, g_main_loop_unref);
}

static gboolean
store_secret (DslAccount  *account,
              const char  *secret,
              GError     **error)
{
  Wait wait;
  gboolean ok;

  wait_init (&wait);
  dsl_account_store_secret_async (account, secret, NULL, on_done, &wait);
  ok = dsl_account_store_secret_finish (account, wait_run (&wait), error);
  wait_clear (&wait);
  return ok;
}

static char *
lookup_secret (DslAccount  *account,
               GError     **error)
{
  Wait wait;
  char *secret;

  wait_init (&wait);
  dsl_account_lookup_secret_async (account, NULL, on_done, &wait);
  secret = dsl_account_lookup_secret_finish (account, wait_run (&wait), error);
  wait_clear (&wait);
  return secret;
}

static gboolean
delete_secret (DslAccount  *account,
               GError     **error)
{
  Wait wait;
  gboolean ok;

  wait_init (&wait);
  dsl_account_delete_secret_async (account, NULL, on_done, &wait);
  ok = dsl_account_delete_secret_finish (account, wait_run (&wait), error);
  wait_clear (&wait);
  return ok;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *counter)
{
  (*counter)++;
}

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

/* --- DslAccount --- */

/* Which kind of secret the keyring holds: API keys start with "sk-" (case as written), a
 * session token from e-mail and password sign-in does not; the client is made for the
 * account's portal either way. */
static void
test_secret_kind (void)
{
  g_autoptr(DslAccount) account = dsl_account_new ("https://docspace.example.com", OLIVIA,
                                                   "Olivia Owner");
  g_autoptr(DslClient) with_key = dsl_account_new_client (account, "sk-0123456789abcdef");
  g_autoptr(DslClient) with_token = dsl_account_new_client (account, "eyJhbGciOiJIUzI1NiJ9.x.y");

  g_assert_false (dsl_account_secret_is_session_token ("sk-0123456789abcdef"));
  g_assert_true (dsl_account_secret_is_session_token ("eyJhbGciOiJIUzI1NiJ9.x.y"));
  g_assert_true (dsl_account_secret_is_session_token ("SK-upper"));
  g_assert_true (dsl_account_secret_is_session_token (""));
  g_assert_true (g_str_has_prefix (dsl_client_get_base_url (with_key),
                                   "https://docspace.example.com"));
  g_assert_true (g_str_has_prefix (dsl_client_get_base_url (with_token),
                                   "https://docspace.example.com"));
}

static void
test_properties (void)
{
  g_autoptr(DslAccount) account = dsl_account_new ("https://docspace.example.com", OLIVIA,
                                                   "Olivia Owner");
  g_autoptr(DslAccount) same = dsl_account_new ("https://docspace.example.com", OLIVIA, "O.");
  g_autoptr(DslAccount) other = dsl_account_new ("https://docspace.example.com", ULRICH,
                                                 "Olivia Owner");
  g_autoptr(DslAccount) nameless = dsl_account_new (PORTAL, ULRICH, NULL);
  g_autoptr(DslAccount) local = dsl_account_new (PORTAL, OLIVIA, "Olivia Owner");
  g_autofree char *label = dsl_account_dup_label (account);
  g_autofree char *local_label = dsl_account_dup_label (local);
  g_autofree char *portal = NULL;
  guint changes = 0;

  g_assert_cmpstr (dsl_account_get_portal (account), ==, "https://docspace.example.com");
  g_assert_cmpstr (dsl_account_get_user_id (account), ==, OLIVIA);
  g_assert_cmpstr (dsl_account_get_display_name (account), ==, "Olivia Owner");
  g_object_get (account, "portal", &portal, NULL);
  g_assert_cmpstr (portal, ==, "https://docspace.example.com");

  g_assert_cmpstr (label, ==, "Olivia Owner (docspace.example.com)");
  g_assert_cmpstr (local_label, ==, "Olivia Owner (127.0.0.1:8080)");

  g_assert_true (dsl_account_equal (account, same));
  g_assert_false (dsl_account_equal (account, other));
  g_assert_false (dsl_account_equal (account, local));

  /* Without a name the user id stands in, so the account always has a label. */
  g_assert_cmpstr (dsl_account_get_display_name (nameless), ==, ULRICH);

  g_signal_connect (account, "notify::display-name", G_CALLBACK (count_notify), &changes);
  dsl_account_set_display_name (account, "Olivia Owner");
  g_assert_cmpuint (changes, ==, 0);
  dsl_account_set_display_name (account, "Olivia O.");
  g_object_set (account, "display-name", "Olivia O.", NULL);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpstr (dsl_account_get_display_name (account), ==, "Olivia O.");
}

static void
test_variant_round_trip (void)
{
  g_autoptr(DslAccount) account = dsl_account_new (PORTAL, OLIVIA, "Olivia Owner");
  g_autoptr(GVariant) variant = g_variant_ref_sink (dsl_account_to_variant (account));
  g_autoptr(DslAccount) back = NULL;
  g_autofree char *text = g_variant_print (variant, TRUE);

  g_assert_cmpstr (g_variant_get_type_string (variant), ==, "(sss)");
  g_assert_cmpstr (text, ==, "('" PORTAL "', '" OLIVIA "', 'Olivia Owner')");

  back = dsl_account_new_from_variant (variant);
  g_assert_nonnull (back);
  g_assert_true (back != account);
  g_assert_true (dsl_account_equal (back, account));
  g_assert_cmpstr (dsl_account_get_portal (back), ==, PORTAL);
  g_assert_cmpstr (dsl_account_get_user_id (back), ==, OLIVIA);
  g_assert_cmpstr (dsl_account_get_display_name (back), ==, "Olivia Owner");
}

static void
test_variant_malformed (void)
{
  static const char *rejected[] = {
    "('http://127.0.0.1:8080', 'user')",                      /* (ss) */
    "'http://127.0.0.1:8080'",                                /* s */
    "('http://127.0.0.1:8080', 'user', 'name', 'extra')",     /* (ssss) */
    "('http://127.0.0.1:8080', 'user', 1)",                   /* (ssi) */
    "('', 'user', 'name')",                                   /* empty members */
    "('http://127.0.0.1:8080', '', 'name')",
    "('http://127.0.0.1:8080', 'user', '')",
    "('not a url at all', 'user', 'name')",
    "('ftp://docspace.example.com', 'user', 'name')",         /* not http(s) */
    "('http://docspace.example.com', 'user', 'name')",        /* plain http off loopback */
  };
  g_autoptr(GVariant) messy = g_variant_ref_sink (
    g_variant_new ("(sss)", "HTTPS://DocSpace.Example.com/rooms/", OLIVIA, "Olivia Owner"));
  g_autoptr(DslAccount) normalized = NULL;

  g_assert_null (dsl_account_new_from_variant (NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (rejected); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) variant = g_variant_parse (NULL, rejected[i], NULL, NULL, &error);

      g_assert_no_error (error);
      if (dsl_account_new_from_variant (variant) != NULL)
        g_error ("accepted %s", rejected[i]);
    }

  /* An address a person typed into the key is read in its normalised form. */
  normalized = dsl_account_new_from_variant (messy);
  g_assert_nonnull (normalized);
  g_assert_cmpstr (dsl_account_get_portal (normalized), ==, "https://docspace.example.com");
}

static void
test_error_is_no_keyring (void)
{
  const struct {
    GQuark   domain;
    int      code;
    gboolean expected;
  } cases[] = {
    { G_IO_ERROR, G_IO_ERROR_FAILED, TRUE },                /* no $DISPLAY to autolaunch */
    { G_IO_ERROR, G_IO_ERROR_NOT_FOUND, TRUE },             /* no socket at the address */
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, TRUE },    /* stale socket */
    { G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, TRUE },      /* malformed address */
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, FALSE },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, FALSE },
    { G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN, TRUE },
    { G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER, TRUE },
    { G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD, TRUE },    /* gnome-keyring, no login keyring */
    { G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_EXITED, TRUE },
    { G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND, TRUE },
    { G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED, FALSE },
    { G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS, FALSE },
    { G_SPAWN_EXIT_ERROR, 1, TRUE },                        /* dbus-launch failed */
    { G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT, TRUE },           /* no dbus-launch */
    { SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT, TRUE },
    { SECRET_ERROR, SECRET_ERROR_IS_LOCKED, TRUE },
    { SECRET_ERROR, SECRET_ERROR_PROTOCOL, FALSE },
    { SECRET_ERROR, SECRET_ERROR_ALREADY_EXISTS, FALSE },
    { G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND, FALSE },
  };

  g_assert_false (dsl_account_error_is_no_keyring (NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code, "test");

      if (dsl_account_error_is_no_keyring (error) != cases[i].expected)
        g_error ("%s %d: expected %s", g_quark_to_string (cases[i].domain), cases[i].code,
                 cases[i].expected ? "TRUE" : "FALSE");
    }
}

/* --- DslAccountStore (GSettings memory backend) --- */

static void
test_store_add (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DslAccountStore) store = dsl_account_store_new (settings);
  g_autoptr(DslAccount) olivia = dsl_account_new (PORTAL, OLIVIA, "Olivia Owner");
  g_autoptr(DslAccount) ulrich = dsl_account_new (PORTAL, ULRICH, "Ulrich User");
  g_autoptr(DslAccount) olivia_again = dsl_account_new (PORTAL, OLIVIA, "Olivia Owner");
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autofree char *text = NULL;
  DslAccount *stored;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == DSL_TYPE_ACCOUNT);
  g_signal_connect (store, "items-changed", G_CALLBACK (record_change), changes);

  g_assert_true (dsl_account_store_add (store, olivia) == olivia);
  g_assert_true (dsl_account_store_add (store, ulrich) == ulrich);
  g_assert_cmpuint (changes->len, ==, 2);
  g_assert_cmpuint (g_array_index (changes, Change, 1).position, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 1).added, ==, 1);

  text = accounts_key_text (settings);
  g_assert_cmpstr (text, ==,
                   "[('" PORTAL "', '" OLIVIA "', 'Olivia Owner'), "
                   "('" PORTAL "', '" ULRICH "', 'Ulrich User')]");

  /* The same portal and user again: the stored object, no second entry, no items-changed. */
  stored = dsl_account_store_add (store, olivia_again);
  g_assert_true (stored == olivia);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_cmpuint (changes->len, ==, 2);

  {
    g_autoptr(DslAccount) first = g_list_model_get_item (G_LIST_MODEL (store), 0);

    g_assert_true (first == olivia);
  }
  assert_no_secret_in_settings (settings);
}

static void
test_store_update (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DslAccountStore) store = dsl_account_store_new (settings);
  g_autoptr(DslAccount) olivia = dsl_account_new (PORTAL, OLIVIA, "Olivia Owner");
  g_autoptr(DslAccount) renamed = dsl_account_new (PORTAL, OLIVIA, "Olivia O.");
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autofree char *after_add = NULL;
  g_autofree char *after_set = NULL;

  dsl_account_store_add (store, olivia);
  g_signal_connect (store, "items-changed", G_CALLBACK (record_change), changes);

  /* add () with a new display name updates the stored account and the key. */
  g_assert_true (dsl_account_store_add (store, renamed) == olivia);
  g_assert_cmpstr (dsl_account_get_display_name (olivia), ==, "Olivia O.");
  after_add = accounts_key_text (settings);
  g_assert_cmpstr (after_add, ==, "[('" PORTAL "', '" OLIVIA "', 'Olivia O.')]");

  /* So does renaming the stored account directly. */
  dsl_account_set_display_name (olivia, "Olivia Owner-Smith");
  after_set = accounts_key_text (settings);
  g_assert_cmpstr (after_set, ==, "[('" PORTAL "', '" OLIVIA "', 'Olivia Owner-Smith')]");
  g_assert_cmpuint (changes->len, ==, 0);
  assert_no_secret_in_settings (settings);
}

static void
test_store_remove (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DslAccountStore) store = dsl_account_store_new (settings);
  g_autoptr(DslAccount) olivia = dsl_account_new (PORTAL, OLIVIA, "Olivia Owner");
  g_autoptr(DslAccount) ulrich = dsl_account_new (PORTAL, ULRICH, "Ulrich User");
  g_autoptr(DslAccount) ulrich_copy = dsl_account_new (PORTAL, ULRICH, "Someone");
  g_autoptr(DslAccount) stranger = dsl_account_new ("https://other.example.com", ULRICH, "U");
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autofree char *text = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *last = NULL;
  guint renames = 0;

  dsl_account_store_add (store, olivia);
  dsl_account_store_add (store, ulrich);
  dsl_account_store_set_last (store, ulrich);
  g_signal_connect (store, "items-changed", G_CALLBACK (record_change), changes);

  /* Not in the store: nothing happens. */
  dsl_account_store_remove (store, stranger);
  g_assert_cmpuint (changes->len, ==, 0);

  /* Removed by portal + user, not by pointer; the last-used mark goes with it. */
  dsl_account_store_remove (store, ulrich_copy);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 1);
  text = accounts_key_text (settings);
  g_assert_cmpstr (text, ==, "[('" PORTAL "', '" OLIVIA "', 'Olivia Owner')]");
  g_assert_null (dsl_account_store_find (store, PORTAL, ULRICH));
  g_assert_null (dsl_account_store_get_last (store));
  last = g_settings_get_string (settings, "last-account");
  g_assert_cmpstr (last, ==, "");

  /* A removed account is no longer watched. */
  g_signal_connect (ulrich, "notify::display-name", G_CALLBACK (count_notify), &renames);
  dsl_account_set_display_name (ulrich, "Ulrich Renamed");
  g_assert_cmpuint (renames, ==, 1);
  g_clear_pointer (&text, g_free);
  text = accounts_key_text (settings);
  g_assert_cmpstr (text, ==, "[('" PORTAL "', '" OLIVIA "', 'Olivia Owner')]");

  dsl_account_store_remove (store, olivia);
  empty = accounts_key_text (settings);
  g_assert_cmpstr (empty, ==, "[]");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
}

static void
test_store_find (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DslAccountStore) store = dsl_account_store_new (settings);
  g_autoptr(DslAccount) olivia = dsl_account_new (PORTAL, OLIVIA, "Olivia Owner");
  g_autoptr(DslAccount) olivia_elsewhere = dsl_account_new ("https://docspace.example.com",
                                                            OLIVIA, "Olivia Owner");

  dsl_account_store_add (store, olivia);
  dsl_account_store_add (store, olivia_elsewhere);

  g_assert_true (dsl_account_store_find (store, PORTAL, OLIVIA) == olivia);
  g_assert_true (dsl_account_store_find (store, "https://docspace.example.com", OLIVIA) ==
                 olivia_elsewhere);
  g_assert_null (dsl_account_store_find (store, PORTAL, ULRICH));
  g_assert_null (dsl_account_store_find (store, "https://nowhere.example.com", OLIVIA));
}

static void
test_store_last (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DslAccountStore) store = dsl_account_store_new (settings);
  g_autoptr(DslAccount) olivia = dsl_account_new (PORTAL, OLIVIA, "Olivia Owner");
  g_autoptr(DslAccount) ulrich = dsl_account_new (PORTAL, ULRICH, "Ulrich User");
  g_autofree char *value = NULL;
  g_autofree char *cleared = NULL;

  g_assert_null (dsl_account_store_get_last (store));
  dsl_account_store_add (store, olivia);
  dsl_account_store_add (store, ulrich);

  dsl_account_store_set_last (store, ulrich);
  value = g_settings_get_string (settings, "last-account");
  g_assert_cmpstr (value, ==, ULRICH " " PORTAL);
  g_assert_true (dsl_account_store_get_last (store) == ulrich);

  dsl_account_store_set_last (store, NULL);
  cleared = g_settings_get_string (settings, "last-account");
  g_assert_cmpstr (cleared, ==, "");
  g_assert_null (dsl_account_store_get_last (store));

  /* Values that name nobody in the list. */
  g_settings_set_string (settings, "last-account", "garbage");
  g_assert_null (dsl_account_store_get_last (store));
  g_settings_set_string (settings, "last-account", " " PORTAL);
  g_assert_null (dsl_account_store_get_last (store));
  g_settings_set_string (settings, "last-account", OLIVIA " ");
  g_assert_null (dsl_account_store_get_last (store));
  g_settings_set_string (settings, "last-account", OLIVIA " https://other.example.com");
  g_assert_null (dsl_account_store_get_last (store));
  g_settings_set_string (settings, "last-account", OLIVIA " " PORTAL);
  g_assert_true (dsl_account_store_get_last (store) == olivia);
  assert_no_secret_in_settings (settings);
}

static void
test_store_load_ignores_malformed (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(DslAccountStore) store = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAccount) first = NULL;
  g_autoptr(DslAccount) second = NULL;

  value = g_variant_parse (G_VARIANT_TYPE ("a(sss)"),
                           "[('" PORTAL "', '" OLIVIA "', 'Olivia Owner'),"
                           " ('', 'nobody', 'Nobody'),"
                           " ('not a portal', 'x', 'X'),"
                           " ('http://docspace.example.com', 'x', 'Plain http'),"
                           " ('" PORTAL "', '', 'No id'),"
                           " ('" PORTAL "', '" OLIVIA "', 'Olivia twice'),"
                           " ('https://docspace.example.com/', '" ULRICH "', 'Ulrich User')]",
                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_settings_set_value (settings, "accounts", value);

  store = dsl_account_store_new (settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (store), 0);
  second = g_list_model_get_item (G_LIST_MODEL (store), 1);
  g_assert_cmpstr (dsl_account_get_display_name (first), ==, "Olivia Owner");
  g_assert_cmpstr (dsl_account_get_portal (second), ==, "https://docspace.example.com");
  g_assert_cmpstr (dsl_account_get_user_id (second), ==, ULRICH);
}

/* Another writer of the key (a second window, dconf-editor): the list follows, and accounts
 * that are still there keep their object. */
static void
test_store_external_change (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(GSettings) elsewhere = g_settings_new (BASE_APP_ID);
  g_autoptr(DslAccountStore) store = dsl_account_store_new (settings);
  g_autoptr(DslAccount) olivia = dsl_account_new (PORTAL, OLIVIA, "Olivia Owner");
  g_autoptr(DslAccount) ulrich = dsl_account_new (PORTAL, ULRICH, "Ulrich User");
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAccount) item0 = NULL;
  g_autoptr(DslAccount) item1 = NULL;
  g_autoptr(DslAccount) item2 = NULL;
  guint renames = 0;

  dsl_account_store_add (store, olivia);
  dsl_account_store_add (store, ulrich);
  g_signal_connect (store, "items-changed", G_CALLBACK (record_change), changes);
  g_signal_connect (olivia, "notify::display-name", G_CALLBACK (count_notify), &renames);

  /* Olivia renamed, Ulrich unchanged, a new account at the end. */
  value = g_variant_parse (G_VARIANT_TYPE ("a(sss)"),
                           "[('" PORTAL "', '" OLIVIA "', 'Olivia Renamed'),"
                           " ('" PORTAL "', '" ULRICH "', 'Ulrich User'),"
                           " ('https://docspace.example.com', '" OLIVIA "', 'Olivia Owner')]",
                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_settings_set_value (elsewhere, "accounts", value);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  item0 = g_list_model_get_item (G_LIST_MODEL (store), 0);
  item1 = g_list_model_get_item (G_LIST_MODEL (store), 1);
  item2 = g_list_model_get_item (G_LIST_MODEL (store), 2);
  g_assert_true (item0 == olivia);
  g_assert_true (item1 == ulrich);
  g_assert_cmpstr (dsl_account_get_portal (item2), ==, "https://docspace.example.com");
  g_assert_cmpstr (dsl_account_get_display_name (olivia), ==, "Olivia Renamed");
  g_assert_cmpuint (renames, ==, 1);
  /* Only the new entry was announced. */
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, 2);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 0);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 1);

  /* Ulrich removed elsewhere: one removal; the others stay the same objects. */
  g_array_set_size (changes, 0);
  g_clear_pointer (&value, g_variant_unref);
  value = g_variant_parse (G_VARIANT_TYPE ("a(sss)"),
                           "[('" PORTAL "', '" OLIVIA "', 'Olivia Renamed'),"
                           " ('https://docspace.example.com', '" OLIVIA "', 'Olivia Owner')]",
                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_settings_set_value (elsewhere, "accounts", value);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_null (dsl_account_store_find (store, PORTAL, ULRICH));
  g_assert_true (dsl_account_store_find (store, PORTAL, OLIVIA) == olivia);
  g_assert_true (dsl_account_store_find (store, "https://docspace.example.com", OLIVIA) == item2);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).position, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).added, ==, 0);

  /* Reset to the default: everything goes. */
  g_array_set_size (changes, 0);
  g_settings_reset (elsewhere, "accounts");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (g_array_index (changes, Change, 0).removed, ==, 2);
}

/* --- secrets in the Secret Service of the test session --- */

/* TRUE when a Secret Service with a usable default collection answers. Under
 * build-aux/test-session.sh (GNOME_KEYRING_CONTROL is set by its unlocked gnome-keyring) it must;
 * run by hand without one, the test is skipped with the reason. */
static gboolean
require_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  gboolean in_test_session = g_getenv ("GNOME_KEYRING_CONTROL") != NULL;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  if (service == NULL && !in_test_session)
    {
      g_autofree char *reason = g_strdup_printf ("no Secret Service (%s); run inside "
                                                 "build-aux/test-session.sh", error->message);
      g_test_skip (reason);
      return FALSE;
    }
  g_assert_no_error (error);

  if (!in_test_session)
    {
      g_autoptr(SecretCollection) collection = NULL;

      collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                     SECRET_COLLECTION_NONE, NULL, &error);
      if (collection == NULL || secret_collection_get_locked (collection))
        {
          g_autofree char *reason = g_strdup_printf ("%s; run inside build-aux/test-session.sh",
                                                     error != NULL ? error->message :
                                                     collection == NULL ? "no default keyring" :
                                                     "the default keyring is locked");
          g_test_skip (reason);
          return FALSE;
        }
    }
  return TRUE;
}

/* The items stored under the app's schema for these attributes, like `secret-tool search`.
 * (Asynchronous: the _sync variant runs a private main context that leaks under valgrind.) */
static GList *
search_items (const char *portal,
              const char *user_id)
{
  g_autoptr(GError) error = NULL;
  Wait wait;
  GList *items;

  wait_init (&wait);
  secret_password_search (dsl_account_get_secret_schema (),
                          SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL, on_done, &wait,
                          "portal", portal,
                          "user", user_id,
                          NULL);
  items = secret_password_search_finish (wait_run (&wait), &error);
  wait_clear (&wait);
  g_assert_no_error (error);
  return items;
}

static void
test_secret_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslAccount) account = NULL;
  g_autoptr(DslAccount) neighbour = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *portal = NULL;
  g_autofree char *label = NULL;
  g_autofree char *expected_label = NULL;
  char *secret;
  GList *items;
  GHashTableIter iter;
  gpointer key, value;

  if (!require_keyring ())
    return;

  /* Attributes of this run only, so a keyring shared with a person's session stays untouched. */
  portal = g_strdup_printf ("http://127.0.0.1:%u", 20000 + (guint) (getpid () % 40000));
  account = dsl_account_new (portal, OLIVIA, "Olivia Owner");
  neighbour = dsl_account_new (portal, ULRICH, "Ulrich User");

  /* Nothing stored yet: NULL without an error. */
  secret = lookup_secret (account, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  g_assert_true (store_secret (account, "sk-first-key", &error));
  g_assert_no_error (error);
  /* Storing again replaces the secret instead of adding an item. */
  g_assert_true (store_secret (account, SECRET_KEY, &error));
  g_assert_no_error (error);

  secret = lookup_secret (account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, SECRET_KEY);
  secret_password_free (secret);

  secret = lookup_secret (neighbour, &error);
  g_assert_no_error (error);
  g_assert_null (secret);

  /* One item, found by the app's schema, labelled for people, with exactly the schema's
   * attributes (libsecret adds xdg:schema). */
  items = search_items (portal, OLIVIA);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  attributes = secret_retrievable_get_attributes (items->data);
  label = secret_retrievable_get_label (items->data);
  expected_label = g_strdup_printf ("DocSpace Links: Olivia Owner on %s", portal);
  g_assert_cmpstr (label, ==, expected_label);
  g_assert_cmpuint (g_hash_table_size (attributes), ==, 3);
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_str_equal (key, "xdg:schema"))
        g_assert_cmpstr (value, ==, BASE_APP_ID);
      else if (g_str_equal (key, "portal"))
        g_assert_cmpstr (value, ==, portal);
      else if (g_str_equal (key, "user"))
        g_assert_cmpstr (value, ==, OLIVIA);
      else
        g_error ("unexpected attribute %s", (const char *) key);
    }
  g_list_free_full (items, g_object_unref);

  g_assert_true (delete_secret (account, &error));
  g_assert_no_error (error);
  secret = lookup_secret (account, &error);
  g_assert_no_error (error);
  g_assert_null (secret);
  items = search_items (portal, OLIVIA);
  g_assert_null (items);

  /* Deleting what is not there is not an error. */
  g_assert_true (delete_secret (account, &error));
  g_assert_no_error (error);
}

/* Runs the three secret calls and checks each fails with a "no keyring" error. Returns the
 * lookup's error. */
static GError *
assert_secret_calls_fail (void)
{
  g_autoptr(DslAccount) account = dsl_account_new (PORTAL, OLIVIA, "Olivia Owner");
  g_autoptr(GError) store_error = NULL;
  g_autoptr(GError) delete_error = NULL;
  GError *lookup_error = NULL;
  char *secret;

  secret = lookup_secret (account, &lookup_error);
  g_assert_null (secret);
  g_assert_nonnull (lookup_error);
  g_test_message ("lookup: %s %d: %s", g_quark_to_string (lookup_error->domain),
                  lookup_error->code, lookup_error->message);
  g_assert_true (dsl_account_error_is_no_keyring (lookup_error));

  g_assert_false (store_secret (account, SECRET_KEY, &store_error));
  g_assert_nonnull (store_error);
  g_assert_true (dsl_account_error_is_no_keyring (store_error));
  /* The key is not in the message. */
  g_assert_null (strstr (store_error->message, SECRET_KEY));

  g_assert_false (delete_secret (account, &delete_error));
  g_assert_nonnull (delete_error);
  g_assert_true (dsl_account_error_is_no_keyring (delete_error));

  return lookup_error;
}

/* libsecret 0.21 (GNOME 49) warns once that it has no session bus before it fails the call
 * with the error the test checks; that warning is expected here, every other one stays fatal. */
static gboolean
no_bus_warning_expected (const char     *log_domain,
                         GLogLevelFlags  log_level,
                         const char     *message,
                         gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "libsecret") == 0 && (log_level & G_LOG_LEVEL_WARNING) &&
           strstr (message, "couldn't get session bus") != NULL);
}

/* No session bus at all: DBUS_SESSION_BUS_ADDRESS names a socket that does not exist. In a
 * subprocess, since GLib and libsecret keep the bus and the service for the process. */
static void
test_no_keyring_no_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp ("dsl-no-bus-XXXXXX", NULL);
      g_autofree char *address = g_strdup_printf ("unix:path=%s/bus", dir);

      g_test_log_set_fatal_handler (no_bus_warning_expected, NULL);
      g_assert_nonnull (dir);
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
      error = assert_secret_calls_fail ();
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      g_rmdir (dir);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* A session bus on which nobody provides org.freedesktop.secrets (GTestDBus: a private
 * dbus-daemon with no service files). */
static void
test_no_keyring_no_service (void)
{
  g_autofree char *daemon = NULL;

  if (g_test_subprocess ())
    {
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(GError) error = NULL;

      g_test_dbus_up (bus);
      error = assert_secret_calls_fail ();
      g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN);
      /* libsecret holds on to the bus connection, so g_test_dbus_down () would wait for it in
       * vain: stop the daemon and let this process end with the object. */
      g_test_dbus_stop (bus);
      return;
    }

  daemon = g_find_program_in_path ("dbus-daemon");
  if (daemon == NULL)
    {
      g_test_skip ("dbus-daemon is not installed");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dsl/core/account/properties", test_properties);
  g_test_add_func ("/dsl/core/account/secret-kind", test_secret_kind);
  g_test_add_func ("/dsl/core/account/variant-round-trip", test_variant_round_trip);
  g_test_add_func ("/dsl/core/account/variant-malformed", test_variant_malformed);
  g_test_add_func ("/dsl/core/account/error-is-no-keyring", test_error_is_no_keyring);
  g_test_add_func ("/dsl/core/account/store-add", test_store_add);
  g_test_add_func ("/dsl/core/account/store-update", test_store_update);
  g_test_add_func ("/dsl/core/account/store-remove", test_store_remove);
  g_test_add_func ("/dsl/core/account/store-find", test_store_find);
  g_test_add_func ("/dsl/core/account/store-last", test_store_last);
  g_test_add_func ("/dsl/core/account/store-load-ignores-malformed",
                   test_store_load_ignores_malformed);
  g_test_add_func ("/dsl/core/account/store-external-change", test_store_external_change);
  g_test_add_func ("/dsl/core/account/secret-round-trip", test_secret_round_trip);
  g_test_add_func ("/dsl/core/account/no-keyring-no-bus", test_no_keyring_no_bus);
  g_test_add_func ("/dsl/core/account/no-keyring-no-service", test_no_keyring_no_service);

  return g_test_run ();
}

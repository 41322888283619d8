/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-session.c: DslSession, the signed-in account without a display (issue 16).
 *
 *   sign_in (a client, its user, the key) ──▶ account stored, active, client set, key in the
 *                                             keyring (the private test session's)
 *   set_account + connect ──▶ key read from the keyring ──▶ client; the name refreshed
 *                          └─ no key ──▶ "sign-in-needed" (why), no client
 *   a key the portal refuses ──▶ "sign-in-needed" while the client is set, then no client,
 *                                the monitor's client gone too
 *   sign_out ──▶ account removed, key deleted, no client
 *   no Secret Service (a subprocess without a bus) ──▶ "problem", no-keyring; the key kept in
 *                                                      memory: a switch back connects at once
 *   without a window: connect_accounts (accounts with watched temporary links) and
 *   connect_account_async ──▶ keys from the keyring become the monitor's clients
 *
 * The secret tests need build-aux/test-session.sh (an unlocked gnome-keyring); run by hand
 * without one they are skipped, saying why. */
#define G_LOG_DOMAIN "dsl-test"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "dsl-session.h"
#include "dsl-sim-fixture.h"

static DslSim *sim;

typedef struct {
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
}

typedef gboolean (*Predicate) (gpointer data);

static gboolean
run_until (Predicate predicate,
           gpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!predicate (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return predicate (data);
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (BASE_APP_ID);

  /* The memory backend lives as long as the process: every test starts from the defaults. */
  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "last-account");
  return settings;
}

/* The portal's host, as the messages name it. */
static const char *
sim_host (void)
{
  return strstr (dsl_sim_get_url (sim), "://") + 3;
}

static DslClient *
client_with_key (const char *key)
{
  DslClient *client = dsl_client_new (dsl_sim_get_url (sim));

  dsl_client_set_api_key (client, key);
  return client;
}

static DslUser *
get_user (DslClient *client)
{
  Wait w = { 0 };
  g_autoptr(GError) error = NULL;
  DslUser *user;

  dsl_client_get_self_async (client, NULL, on_done, &w);
  g_assert_true (run_until (has_result, &w));
  user = dsl_client_get_self_finish (client, w.result, &error);
  g_assert_no_error (error);
  g_object_unref (w.result);
  return user;
}

/* The account's secret in the keyring (transfer full), or NULL; *error_out (nullable) takes a
 * failed look-up's error (else it fails the test). */
static char *
keyring_secret (DslAccount  *account,
                GError     **error_out)
{
  Wait w = { 0 };
  g_autoptr(GError) error = NULL;
  char *secret;
  char *copy;

  dsl_account_lookup_secret_async (account, NULL, on_done, &w);
  g_assert_true (run_until (has_result, &w));
  secret = dsl_account_lookup_secret_finish (account, w.result, &error);
  if (error_out != NULL && error != NULL)
    g_propagate_error (error_out, g_steal_pointer (&error));
  g_assert_no_error (error);
  g_object_unref (w.result);
  copy = g_strdup (secret);
  if (secret != NULL)
    secret_password_free (secret);
  return copy;
}

/* Waits (up to a second) until the keyring holds `expected` (NULL: nothing) for `account`: the
 * session stores and deletes asynchronously. */
static void
assert_keyring_holds (DslAccount *account,
                      const char *expected)
{
  g_autofree char *held = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_free (held);
      g_clear_error (&error);
      /* An item being replaced can be listed and gone a moment later: asked again. */
      held = keyring_secret (account, &error);
      if (error == NULL && g_strcmp0 (held, expected) == 0)
        break;
      g_usleep (20000);
    }
  g_assert_no_error (error);
  g_assert_cmpstr (held, ==, expected);
}

static void
store_in_keyring (DslAccount *account,
                  const char *secret)
{
  Wait w = { 0 };
  g_autoptr(GError) error = NULL;

  dsl_account_store_secret_async (account, secret, NULL, on_done, &w);
  g_assert_true (run_until (has_result, &w));
  g_assert_true (dsl_account_store_secret_finish (account, w.result, &error));
  g_assert_no_error (error);
  g_object_unref (w.result);
}

static void
delete_from_keyring (DslAccount *account)
{
  Wait w = { 0 };

  dsl_account_delete_secret_async (account, NULL, on_done, &w);
  g_assert_true (run_until (has_result, &w));
  dsl_account_delete_secret_finish (account, w.result, NULL);
  g_object_unref (w.result);
}

/* Same rule as test-account.c: under build-aux/test-session.sh the keyring must answer. */
static gboolean
require_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;

  if (sim == NULL)
    {
      g_test_skip ("docspace-sim did not start");
      return FALSE;
    }
  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  if (service == NULL && g_getenv ("GNOME_KEYRING_CONTROL") == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("no Secret Service (%s); run inside "
                                                 "build-aux/test-session.sh", error->message);
      g_test_skip (reason);
      return FALSE;
    }
  g_assert_no_error (error);
  return TRUE;
}

/* What the session said. */
typedef struct {
  DslSession *session;
  guint       sign_in_needed;
  char       *portal;
  char       *message;
  gboolean    use_password;
  gboolean    had_client;     /* the client was still set when "sign-in-needed" came */
  GPtrArray  *problems;
  guint       client_notifies;
} Record;

static void
on_sign_in_needed (DslSession *session,
                   const char *portal,
                   const char *message,
                   gboolean    use_password,
                   Record     *r)
{
  r->sign_in_needed++;
  g_free (r->portal);
  r->portal = g_strdup (portal);
  g_free (r->message);
  r->message = g_strdup (message);
  r->use_password = use_password;
  r->had_client = dsl_session_get_client (session) != NULL;
}

static void
on_problem (DslSession *session,
            const char *message,
            Record     *r)
{
  g_ptr_array_add (r->problems, g_strdup (message));
}

static void
on_client_notify (Record *r)
{
  r->client_notifies++;
}

static void
record_init (Record     *r,
             DslSession *session)
{
  memset (r, 0, sizeof *r);
  r->session = session;
  r->problems = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (session, "sign-in-needed", G_CALLBACK (on_sign_in_needed), r);
  g_signal_connect (session, "problem", G_CALLBACK (on_problem), r);
  g_signal_connect_swapped (session, "notify::client", G_CALLBACK (on_client_notify), r);
}

static void
record_clear (Record *r)
{
  g_signal_handlers_disconnect_by_data (r->session, r);
  g_free (r->portal);
  g_free (r->message);
  g_ptr_array_unref (r->problems);
}

static void
on_count (guint *count)
{
  (*count)++;
}

static gboolean
has_client (gpointer data)
{
  return dsl_session_get_client (DSL_SESSION (data)) != NULL;
}

static gboolean
needs_sign_in (gpointer data)
{
  Record *r = data;

  return r->sign_in_needed > 0 && dsl_session_get_client (r->session) == NULL;
}

static gboolean
named_olivia (gpointer data)
{
  return g_strcmp0 (dsl_account_get_display_name (DSL_ACCOUNT (data)), "Olivia Owner") == 0;
}

/* Signs in as the owner with an API key: what the sign-in page hands over. */
static DslAccount *
sign_in_owner (DslSession *session)
{
  g_autoptr(DslClient) client = client_with_key ("sk-demo-owner");
  g_autoptr(DslUser) user = get_user (client);
  DslAccount *account = dsl_session_sign_in (session, client, user, "sk-demo-owner");

  g_assert_true (dsl_session_get_client (session) == client);
  return account;
}

/* --- tests --- */

static void
test_sign_in_then_connect_from_keyring (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(DslSession) session = NULL;
  g_autoptr(DslSession) second = NULL;
  g_autofree char *key = NULL;
  DslAccount *account;
  DslAccount *last;
  Record r;

  if (!require_keyring ())
    return;

  settings = fresh_settings ();
  session = dsl_session_new (NULL, settings);
  record_init (&r, session);

  account = sign_in_owner (session);
  g_assert_true (dsl_session_get_account (session) == account);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (dsl_session_get_accounts (session))),
                    ==, 1);
  g_assert_false (dsl_session_get_session_token (session));
  key = dsl_session_dup_account_key (session);
  g_assert_true (g_str_has_suffix (key, dsl_sim_get_url (sim)));
  /* The monitor has the account's client: the guard and the scan work without a window. */
  g_assert_true (dsl_link_monitor_get_client (dsl_session_get_monitor (session), key) ==
                 dsl_session_get_client (session));
  g_assert_true (dsl_session_find_account (session, key) == account);
  g_assert_true (dsl_session_find_portal (session, dsl_sim_get_url (sim)) == account);
  g_assert_null (dsl_session_find_portal (session, "https://other.example.com"));
  g_assert_null (dsl_session_find_account (session, "nobody"));

  /* The key reaches the keyring (asynchronously). */
  assert_keyring_holds (account, "sk-demo-owner");
  g_assert_cmpuint (r.problems->len, ==, 0);
  g_assert_false (dsl_session_get_no_keyring (session));
  record_clear (&r);

  /* The next start: a new session over the same settings reads the key from the keyring. */
  second = dsl_session_new (NULL, settings);
  record_init (&r, second);
  last = dsl_account_store_get_last (dsl_session_get_accounts (second));
  g_assert_nonnull (last);
  dsl_account_set_display_name (last, "Stale Name");
  dsl_session_set_account (second, last);
  g_assert_null (dsl_session_get_client (second));
  dsl_session_connect (second);
  g_assert_true (dsl_session_get_connecting (second));
  g_assert_true (run_until (has_client, second));
  g_assert_false (dsl_session_get_connecting (second));
  g_assert_cmpuint (r.sign_in_needed, ==, 0);
  /* The name the portal has now replaces the stored one. */
  g_assert_true (run_until (named_olivia, last));

  delete_from_keyring (account);
  record_clear (&r);
}

/* A remembered account whose keyring entry is `secret` (NULL: none), connected until the
 * session says it needs signing in again. transfer none (the session's store holds it). */
static DslAccount *
connect_until_sign_in_needed (DslSession *session,
                              Record     *r,
                              const char *user_id,
                              const char *secret)
{
  g_autoptr(DslAccount) account = dsl_account_new (dsl_sim_get_url (sim), user_id, "Someone");
  DslAccount *stored = dsl_account_store_add (dsl_session_get_accounts (session), account);

  if (secret != NULL)
    store_in_keyring (stored, secret);
  else
    delete_from_keyring (stored);
  dsl_session_set_account (session, stored);
  dsl_session_connect (session);
  g_assert_true (run_until (needs_sign_in, r));
  g_assert_cmpuint (r->sign_in_needed, ==, 1);
  return stored;
}

static void
test_missing_key_needs_sign_in (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(DslSession) session = NULL;
  g_autofree char *expected = NULL;
  DslAccount *stored;
  Record r;

  if (!require_keyring ())
    return;

  settings = fresh_settings ();
  session = dsl_session_new (NULL, settings);
  record_init (&r, session);
  stored = connect_until_sign_in_needed (session, &r, "no-such-user-id", NULL);
  g_assert_false (r.had_client);
  g_assert_cmpstr (r.portal, ==, dsl_sim_get_url (sim));
  expected = g_strdup_printf ("The key for %s is no longer in the keyring. Sign in again.",
                              sim_host ());
  g_assert_cmpstr (r.message, ==, expected);
  g_assert_false (r.use_password);
  g_assert_false (dsl_session_get_connecting (session));
  /* The account stays the active one: the sign-in page is for it. */
  g_assert_true (dsl_session_get_account (session) == stored);
  record_clear (&r);
}

static void
test_refused_key_needs_sign_in (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(DslSession) session = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *key = NULL;
  DslAccount *stored;
  Record r;

  if (!require_keyring ())
    return;

  settings = fresh_settings ();
  session = dsl_session_new (NULL, settings);
  record_init (&r, session);
  /* The owner's expired key: GET people/@self answers 401. */
  stored = connect_until_sign_in_needed (session, &r, "refused-key-user", "sk-demo-expired");
  /* Said while the client was still set (a window remembers where it was), then dropped. */
  g_assert_true (r.had_client);
  g_assert_null (dsl_session_get_client (session));
  expected = g_strdup_printf ("Your key for %s is no longer accepted (revoked or expired). "
                              "Sign in again.", sim_host ());
  g_assert_cmpstr (r.message, ==, expected);
  g_assert_false (r.use_password);
  key = dsl_session_dup_account_key (session);
  g_assert_null (dsl_link_monitor_get_client (dsl_session_get_monitor (session), key));

  delete_from_keyring (stored);
  record_clear (&r);
}

static void
test_sign_out (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(DslSession) session = NULL;
  g_autoptr(DslAccount) signed_out = NULL;
  g_autoptr(DslAccount) kept = NULL;
  g_autofree char *key = NULL;
  DslAccount *account;
  Record r;

  if (!require_keyring ())
    return;

  settings = fresh_settings ();
  session = dsl_session_new (NULL, settings);
  record_init (&r, session);
  account = sign_in_owner (session);
  kept = g_object_ref (account);
  key = dsl_session_dup_account_key (session);
  /* Signed in a moment ago: the key is in the keyring (the store runs asynchronously). */
  assert_keyring_holds (kept, "sk-demo-owner");

  signed_out = dsl_session_sign_out (session);
  g_assert_true (signed_out == kept);
  g_assert_null (dsl_session_get_account (session));
  g_assert_null (dsl_session_get_client (session));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (dsl_session_get_accounts (session))),
                    ==, 0);
  g_assert_null (dsl_link_monitor_get_client (dsl_session_get_monitor (session), key));
  g_assert_null (dsl_session_sign_out (session));

  /* The key leaves the keyring. */
  assert_keyring_holds (kept, NULL);
  g_assert_cmpuint (r.problems->len, ==, 0);
  record_clear (&r);
}

static gboolean
said_no_keyring (gpointer data)
{
  Record *r = data;

  return r->problems->len > 0 && dsl_session_get_no_keyring (r->session);
}

/* No session bus, so no Secret Service: signed in all the same, told so, and the key kept in
 * memory for this run (a switch back connects at once, without the keyring). */
static void
test_no_keyring_keeps_key_in_memory (void)
{
  if (sim == NULL)
    {
      g_test_skip ("docspace-sim did not start");
      return;
    }

  if (g_test_subprocess ())
    {
      g_autoptr(GSettings) settings = fresh_settings ();
      g_autoptr(DslSession) session = dsl_session_new (NULL, settings);
      DslAccount *account;
      Record r;

      record_init (&r, session);
      account = sign_in_owner (session);
      g_assert_true (run_until (said_no_keyring, &r));
      g_assert_cmpuint (r.problems->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (r.problems, 0), ==,
                       "The key will not be remembered: no keyring is available");

      dsl_session_set_account (session, NULL);
      g_assert_null (dsl_session_get_client (session));
      dsl_session_set_account (session, account);
      dsl_session_connect (session);
      /* From memory: no look-up, the client at once. */
      g_assert_false (dsl_session_get_connecting (session));
      g_assert_nonnull (dsl_session_get_client (session));
      g_assert_cmpuint (r.sign_in_needed, ==, 0);
      record_clear (&r);
      return;
    }

  {
    g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/dsl-test-bus", TRUE);
    g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, 0);
    if (saved != NULL)
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
    else
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  }
  g_test_trap_assert_passed ();
}

/* A window going drops the client and the look-up, not the account. */
static void
test_disconnect_keeps_account (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(DslSession) session = NULL;
  DslAccount *account;
  Record r;

  if (!require_keyring ())
    return;

  settings = fresh_settings ();
  session = dsl_session_new (NULL, settings);
  record_init (&r, session);
  account = sign_in_owner (session);
  dsl_session_disconnect (session);
  g_assert_true (dsl_session_get_account (session) == account);
  g_assert_null (dsl_session_get_client (session));
  g_assert_false (dsl_session_get_connecting (session));

  delete_from_keyring (account);
  record_clear (&r);
}

typedef struct {
  DslSession *session;
  const char *key;
} MonitorWait;

static gboolean
monitor_has_client (gpointer data)
{
  MonitorWait *w = data;

  return dsl_link_monitor_get_client (dsl_session_get_monitor (w->session), w->key) != NULL;
}

static DslClient *
connect_account (DslSession  *session,
                 const char  *key,
                 GError     **error)
{
  Wait w = { 0 };
  DslClient *client;

  dsl_session_connect_account_async (session, key, NULL, on_done, &w);
  g_assert_true (run_until (has_result, &w));
  client = dsl_session_connect_account_finish (session, w.result, error);
  g_object_unref (w.result);
  return client;
}

/* Without a window (--background, a notification's button): keys from the keyring become the
 * monitor's clients; only accounts with watched temporary links in the background. */
static void
test_background_connect (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(DslSession) session = NULL;
  g_autoptr(DslAccount) owner = NULL;
  g_autoptr(DslAccount) keyless = NULL;
  g_autoptr(DslGuardedLink) watched = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(DslClient) client = NULL;
  g_autoptr(DslClient) unknown = NULL;
  g_autoptr(DslClient) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *keyless_key = NULL;
  g_autofree char *no_key = NULL;
  DslLinkMonitor *monitor;
  DslAccount *stored;
  DslAccount *stored_keyless;
  MonitorWait mw;

  if (!require_keyring ())
    return;

  settings = fresh_settings ();
  session = dsl_session_new (NULL, settings);
  monitor = dsl_session_get_monitor (session);
  owner = dsl_account_new (dsl_sim_get_url (sim), "background-owner", "Olivia Owner");
  stored = dsl_account_store_add (dsl_session_get_accounts (session), owner);
  store_in_keyring (stored, "sk-demo-owner");
  key = dsl_account_dup_key (stored);
  keyless = dsl_account_new (dsl_sim_get_url (sim), "background-keyless", "Nobody");
  stored_keyless = dsl_account_store_add (dsl_session_get_accounts (session), keyless);
  delete_from_keyring (stored_keyless);
  keyless_key = dsl_account_dup_key (stored_keyless);

  /* No temporary link watched: nothing to read. */
  g_assert_cmpuint (dsl_session_connect_accounts (session), ==, 0);
  g_assert_null (dsl_link_monitor_get_client (monitor, key));

  /* A watched link: its account's key is read and the monitor gets a client. */
  watched = dsl_guarded_link_new (key, "background-link", "301", DSL_ITEM_KIND_FILE,
                                  "Launch plan.docx", "http://example.invalid/s/x", 2, now, NULL);
  dsl_guard_store_add (dsl_link_monitor_get_store (monitor), watched);
  g_assert_cmpuint (dsl_session_connect_accounts (session), ==, 1);
  mw.session = session;
  mw.key = key;
  g_assert_true (run_until (monitor_has_client, &mw));
  g_assert_cmpuint (dsl_session_connect_accounts (session), ==, 0);
  /* The session's own client is not touched: no window signed in. */
  g_assert_null (dsl_session_get_client (session));

  /* One account, asked for by a notification's button: the monitor's client. */
  client = connect_account (session, key, &error);
  g_assert_no_error (error);
  g_assert_true (client == dsl_link_monitor_get_client (monitor, key));

  unknown = connect_account (session, "nobody https://other.example.com", &error);
  g_assert_null (unknown);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "The account is not known to DocSpace Links any more.");
  g_clear_error (&error);

  missing = connect_account (session, keyless_key, &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  no_key = g_strdup_printf ("The keyring holds no key for %s.", dsl_sim_get_url (sim));
  g_assert_cmpstr (error->message, ==, no_key);
  g_assert_null (dsl_link_monitor_get_client (monitor, keyless_key));

  dsl_guard_store_remove (dsl_link_monitor_get_store (monitor), key, "background-link");
  delete_from_keyring (stored);
}

static gboolean
has_policy (gpointer data)
{
  return dsl_session_get_sharing_policy (DSL_SESSION (data)) != NULL;
}

static gboolean
sharing_off (gpointer data)
{
  const DslSharingPolicy *policy = dsl_session_get_sharing_policy (DSL_SESSION (data));

  return policy != NULL && !policy->external_share;
}

/* The portal's sharing policy (issue 17): read once the session has a client, again on
 * refresh; gone with the client. */
static void
test_sharing_policy (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(DslSession) session = NULL;
  g_autoptr(GError) error = NULL;
  DslSharingPolicy defaults;
  DslAccount *account;
  guint notifies = 0;

  if (!require_keyring ())
    return;

  settings = fresh_settings ();
  session = dsl_session_new (NULL, settings);
  g_signal_connect_swapped (session, "notify::sharing-policy", G_CALLBACK (on_count), &notifies);
  g_assert_null (dsl_session_get_sharing_policy (session));
  account = sign_in_owner (session);
  g_assert_true (run_until (has_policy, session));
  dsl_sharing_policy_init_defaults (&defaults);
  g_assert_true (dsl_sharing_policy_equal (dsl_session_get_sharing_policy (session), &defaults));
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/settings"), >=, 1);

  /* An admin turns public links off; the next refresh shows it. */
  g_assert_cmpuint (dsl_sim_http (sim, "PUT", "/api/2.0/files/settings/externalsharingsettings",
                                  "Bearer sk-demo-owner", "{\"externalShare\":false}", NULL,
                                  NULL), ==, 200);
  dsl_session_refresh_policy (session);
  g_assert_true (run_until (sharing_off, session));
  g_assert_cmpuint (notifies, ==, 2);

  /* Signed out: nothing is known about a portal any more. */
  assert_keyring_holds (account, "sk-demo-owner");
  {
    g_autoptr(DslAccount) out = dsl_session_sign_out (session);

    assert_keyring_holds (out, NULL);
  }
  g_assert_null (dsl_session_get_sharing_policy (session));
  g_assert_true (dsl_sim_reset (sim, &error));
  g_assert_no_error (error);
}

/* This run's data directory and the files the sessions' monitors saved in it (the guard store
 * after a check: docspace-links/guarded-links.json). */
static void
remove_data_home (const char *data_home)
{
  g_autofree char *folder = g_build_filename (data_home, "docspace-links", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (folder, name, NULL);

      g_unlink (file);
    }
  g_rmdir (folder);
  g_rmdir (data_home);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = g_dir_make_tmp ("test-session-XXXXXX", NULL);
  int status;

  /* The monitors' state files go to a directory of this run, not the test session's HOME
   * (test-window's store-problem-shown needs it without a guarded-links.json). Set before
   * GLib reads it. */
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsl/session/sign-in-then-connect-from-keyring",
                   test_sign_in_then_connect_from_keyring);
  g_test_add_func ("/dsl/session/missing-key-needs-sign-in", test_missing_key_needs_sign_in);
  g_test_add_func ("/dsl/session/refused-key-needs-sign-in", test_refused_key_needs_sign_in);
  g_test_add_func ("/dsl/session/sign-out", test_sign_out);
  g_test_add_func ("/dsl/session/no-keyring-keeps-key-in-memory",
                   test_no_keyring_keeps_key_in_memory);
  g_test_add_func ("/dsl/session/disconnect-keeps-account", test_disconnect_keeps_account);
  g_test_add_func ("/dsl/session/background-connect", test_background_connect);
  g_test_add_func ("/dsl/session/sharing-policy", test_sharing_policy);

  sim = dsl_sim_start (NULL, &error);
  if (sim == NULL)
    g_printerr ("# docspace-sim did not start: %s\n", error->message);
  status = g_test_run ();
  if (sim != NULL)
    dsl_sim_stop (sim);
  remove_data_home (data_home);
  return status;
}

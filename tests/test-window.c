/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c: DslWindow and DslSignInPage: which page shows, what the form holds and how its
 * fields are named, the error sentences and the field each belongs under, and signing in against
 * docspace-sim (API key, a refused key, a key without permissions, email + password + code,
 * cancelling) with the header showing who is signed in.
 *
 * Needs a display (build-aux/run-tests.sh provides Xvfb); without one every case is a TAP SKIP.
 * GSettings is the memory backend (tests/meson.build); the secret goes to whatever Secret Service
 * the session has, and without one the window keeps it in memory, which is fine here. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "dsl-fold-paned.h"
#include "dsl-item-details.h"
#include "dsl-item-tree.h"
#include "dsl-sign-in-page.h"
#include "dsl-sim-fixture.h"
#include "dsl-test-util.h"
#include "dsl-window.h"

static gboolean have_display;
static DslSim *sim;

static GtkWidget *
get_widget (DslWindow  *window,
            const char *id)
{
  return dsl_test_get_widget (GTK_WIDGET (window), id);
}

static const char *
entry_text (DslWindow  *window,
            const char *id)
{
  return gtk_editable_get_text (GTK_EDITABLE (get_widget (window, id)));
}

static void
set_entry_text (DslWindow  *window,
                const char *id,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (get_widget (window, id)), text);
}

static const char *
label_text (DslWindow  *window,
            const char *id)
{
  return gtk_label_get_text (GTK_LABEL (get_widget (window, id)));
}

static gboolean
is_shown (DslWindow  *window,
          const char *id)
{
  return gtk_widget_get_visible (get_widget (window, id));
}

static const char *
visible_page (DslWindow  *window,
              const char *stack_id)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (get_widget (window, stack_id)));
}

static gboolean
is_mnemonic_label_of (GtkWidget     *widget,
                      gconstpointer  target)
{
  return GTK_IS_LABEL (widget) &&
         (gconstpointer) gtk_label_get_mnemonic_widget (GTK_LABEL (widget)) == target;
}

/* The text a person reads for `widget`: the label pointing at it with mnemonic-widget (that
 * label names the entry or button for screen readers on GTK 4.8), without the underline. */
static GtkWidget *
find_mnemonic_label (GtkWidget *root,
                     GtkWidget *target)
{
  return dsl_test_find_descendant (root, is_mnemonic_label_of, target);
}

static void
assert_named (DslWindow  *window,
              const char *id,
              const char *name)
{
  GtkWidget *label = find_mnemonic_label (GTK_WIDGET (window), get_widget (window, id));

  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, name);
}

static DslSignInPage *
sign_in_page (DslWindow *window)
{
  return DSL_SIGN_IN_PAGE (get_widget (window, "sign_in_page"));
}

static void
destroy_window (DslWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  /* Let the destruction finish before the next case. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until `done` says so or 20 s pass. */
static gboolean
wait_until (gboolean (*done) (DslWindow *window),
            DslWindow *window)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timed_out_cb, &timed_out);

  while (!done (window) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static gboolean
idle (DslWindow *window)
{
  return !dsl_sign_in_page_get_busy (sign_in_page (window));
}

static gboolean
on_main (DslWindow *window)
{
  return g_strcmp0 (visible_page (window, "stack"), "main") == 0 && idle (window);
}

static gboolean
in_code_step (DslWindow *window)
{
  return is_shown (window, "code_box") && idle (window);
}

/* Whether `model` (or one of its sections) has an item labelled `label`. */
static gboolean
menu_has_label (GMenuModel *model,
                const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GMenuModel) section = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) &&
          g_strcmp0 (text, label) == 0)
        return TRUE;
      section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      if (section != NULL && menu_has_label (section, label))
        return TRUE;
    }
  return FALSE;
}

static gboolean
says_no_keyring (DslWindow *window)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (get_widget (window, "account_button"));

  return menu_has_label (gtk_menu_button_get_menu_model (button),
                         "The key will not be remembered: no keyring is available");
}

static gboolean
skip_without_sim (void)
{
  if (dsl_test_skip_without_display ())
    return TRUE;
  if (sim == NULL)
    g_test_skip ("docspace-sim did not start");
  return sim == NULL;
}

/* A window as on a first start: no accounts remembered (GSettings is the memory backend). */
static DslWindow *
new_window (const char *portal)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  DslWindow *window;

  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "last-account");
  window = dsl_window_new (NULL, NULL, portal);

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* --- Without a server --- */

static void
test_sign_in_page_widgets (void)
{
  DslWindow *window;

  if (dsl_test_skip_without_display ())
    return;

  window = new_window (NULL);

  g_assert_cmpstr (visible_page (window, "stack"), ==, "sign-in");
  g_assert_true (is_shown (window, "credentials_box"));
  g_assert_false (is_shown (window, "code_box"));
  g_assert_true (is_shown (window, "key_box"));
  g_assert_false (is_shown (window, "password_box"));

  /* The names screen readers and the end-to-end tests use. */
  assert_named (window, "portal_entry", "Portal address");
  assert_named (window, "key_entry", "API key");
  assert_named (window, "email_entry", "Email");
  assert_named (window, "password_entry", "Password");
  assert_named (window, "sign_in_button", "Sign In");
  assert_named (window, "code_entry", "Two-factor code");
  assert_named (window, "verify_button", "Verify");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (get_widget (window, "key_method_button"))),
                   ==, "API Key");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (get_widget (window, "password_method_button"))),
                   ==, "Email and Password");

  /* Inside a scrolled window, so a small window never cuts off the buttons. */
  g_assert_true (GTK_IS_SCROLLED_WINDOW (get_widget (window, "scroller")));
  g_assert_true (gtk_widget_get_visible (get_widget (window, "sign_in_button")));
  g_assert_false (gtk_widget_get_visible (get_widget (window, "verify_button")));
  g_assert_false (is_shown (window, "portal_error_label"));
  g_assert_false (is_shown (window, "message_label"));

  /* The header: signed out, and the icon buttons have tooltips. */
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (get_widget (window, "window_title"))),
                   ==, "DocSpace Links");
  g_assert_nonnull (gtk_widget_get_tooltip_text (get_widget (window, "main_menu_button")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (get_widget (window, "refresh_button")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (get_widget (window, "search_button")));
  g_assert_false (gtk_widget_is_visible (get_widget (window, "refresh_button")));

  destroy_window (window);
}

static void
test_sign_in_page_prefilled (void)
{
  DslWindow *window;
  g_autofree char *portal = NULL;

  if (dsl_test_skip_without_display ())
    return;

  window = new_window ("http://127.0.0.1:8080");
  g_object_get (window, "portal", &portal, NULL);
  g_assert_cmpstr (portal, ==, "http://127.0.0.1:8080");

  g_assert_cmpstr (visible_page (window, "stack"), ==, "sign-in");
  g_assert_cmpstr (entry_text (window, "portal_entry"), ==, "http://127.0.0.1:8080");
  g_assert_cmpstr (dsl_sign_in_page_get_portal (sign_in_page (window)), ==,
                   "http://127.0.0.1:8080");
  g_assert_cmpstr (entry_text (window, "key_entry"), ==, "");
  /* The address is there, so the key is next. */
  g_assert_true (gtk_widget_has_focus (get_widget (window, "key_entry")) ||
                 gtk_widget_is_focus (get_widget (window, "key_entry")) ||
                 gtk_widget_get_focus_child (get_widget (window, "key_entry")) != NULL);

  destroy_window (window);
}

static void
test_auth_method_switch (void)
{
  DslWindow *window;
  GtkWidget *button;

  if (dsl_test_skip_without_display ())
    return;

  window = new_window ("http://127.0.0.1:8080");
  button = get_widget (window, "sign_in_button");

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (get_widget (window, "password_method_button")),
                                TRUE);
  g_assert_true (is_shown (window, "password_box"));
  g_assert_false (is_shown (window, "key_box"));
  g_assert_true (dsl_sign_in_page_get_use_password (sign_in_page (window)));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_get_mapped (get_widget (window, "email_entry")));
  g_assert_true (gtk_widget_get_mapped (get_widget (window, "password_entry")));
  g_assert_false (gtk_widget_get_mapped (get_widget (window, "key_entry")));

  /* Sign In needs both. */
  g_assert_false (gtk_widget_is_sensitive (button));
  set_entry_text (window, "email_entry", "owner@example.com");
  g_assert_false (gtk_widget_is_sensitive (button));
  set_entry_text (window, "password_entry", "secret");
  g_assert_true (gtk_widget_is_sensitive (button));

  dsl_sign_in_page_set_use_password (sign_in_page (window), FALSE);
  g_assert_true (is_shown (window, "key_box"));
  g_assert_false (is_shown (window, "password_box"));
  g_assert_false (gtk_widget_is_sensitive (button));
  /* What was typed for the other way stays. */
  g_assert_cmpstr (entry_text (window, "email_entry"), ==, "owner@example.com");

  destroy_window (window);
}

static void
test_sign_in_needs_address_and_key (void)
{
  DslWindow *window;
  GtkWidget *button;

  if (dsl_test_skip_without_display ())
    return;

  window = new_window (NULL);
  button = get_widget (window, "sign_in_button");

  set_entry_text (window, "portal_entry", "");
  g_assert_false (gtk_widget_is_sensitive (button));

  set_entry_text (window, "portal_entry", "docspace.example.com");
  g_assert_false (gtk_widget_is_sensitive (button));

  set_entry_text (window, "key_entry", "sk-test");
  g_assert_true (gtk_widget_is_sensitive (button));

  set_entry_text (window, "portal_entry", "");
  g_assert_false (gtk_widget_is_sensitive (button));

  destroy_window (window);
}

static void
test_refused_address_shows_inline_error (void)
{
  DslWindow *window;
  GtkWidget *error_label;

  if (dsl_test_skip_without_display ())
    return;

  /* Plain http is allowed only for loopback hosts, so this fails before any request. */
  window = new_window ("http://docspace.example.com");
  set_entry_text (window, "key_entry", "sk-test");

  g_assert_true (gtk_widget_activate_action (get_widget (window, "sign_in_page"),
                                             "sign-in.sign-in", NULL));

  error_label = get_widget (window, "portal_error_label");
  g_assert_cmpstr (visible_page (window, "stack"), ==, "sign-in");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_true (gtk_widget_has_css_class (error_label, "error"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)), "http"));
  g_assert_false (is_shown (window, "key_error_label"));
  /* Nothing typed is lost. */
  g_assert_cmpstr (entry_text (window, "portal_entry"), ==, "http://docspace.example.com");
  g_assert_cmpstr (entry_text (window, "key_entry"), ==, "sk-test");

  destroy_window (window);
}

static void
test_describe_errors (void)
{
  static const struct {
    GQuark          domain;
    int             code;
    gboolean        during_code;
    DslSignInField  field;
    const char     *words;
  } cases[] = {
    { 0 /* resolver */, G_RESOLVER_ERROR_NOT_FOUND, FALSE, DSL_SIGN_IN_FIELD_PORTAL, "Could not find" },
    { 1 /* io */, G_IO_ERROR_CONNECTION_REFUSED, FALSE, DSL_SIGN_IN_FIELD_PORTAL, "cannot be reached" },
    { 1, G_IO_ERROR_HOST_UNREACHABLE, FALSE, DSL_SIGN_IN_FIELD_PORTAL, "cannot be reached" },
    { 1, G_IO_ERROR_TIMED_OUT, FALSE, DSL_SIGN_IN_FIELD_PORTAL, "did not answer in time" },
    { 2 /* tls */, G_TLS_ERROR_BAD_CERTIFICATE, FALSE, DSL_SIGN_IN_FIELD_PORTAL, "certificate" },
    { 3 /* dsl */, DSL_ERROR_INVALID_RESPONSE, FALSE, DSL_SIGN_IN_FIELD_PORTAL, "does not look like" },
    { 3, DSL_ERROR_NOT_FOUND, FALSE, DSL_SIGN_IN_FIELD_PORTAL, "does not look like" },
    { 3, DSL_ERROR_UNAUTHORIZED, FALSE, DSL_SIGN_IN_FIELD_KEY, "wrong, expired or revoked" },
    { 3, DSL_ERROR_MISSING_SCOPE, FALSE, DSL_SIGN_IN_FIELD_KEY, "rooms:read" },
    { 3, DSL_ERROR_LOGIN_FAILED, FALSE, DSL_SIGN_IN_FIELD_PASSWORD, "password is wrong" },
    { 3, DSL_ERROR_LOGIN_FAILED, TRUE, DSL_SIGN_IN_FIELD_CODE, "code is wrong" },
    { 3, DSL_ERROR_TOO_MANY_ATTEMPTS, FALSE, DSL_SIGN_IN_FIELD_PASSWORD, "Too many" },
    { 3, DSL_ERROR_ACCOUNT_DISABLED, FALSE, DSL_SIGN_IN_FIELD_PASSWORD, "disabled" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GQuark domains[] = { G_RESOLVER_ERROR, G_IO_ERROR, G_TLS_ERROR, DSL_ERROR };
      g_autoptr(GError) error = g_error_new_literal (domains[cases[i].domain], cases[i].code,
                                                     "low-level text");
      DslSignInField field = -1;
      gboolean markup = TRUE;
      g_autofree char *message = dsl_sign_in_describe_error (error, "https://docspace.example.com",
                                                             cases[i].during_code, &field,
                                                             &markup);

      g_test_message ("case %u: %s", i, message);
      g_assert_cmpint (field, ==, cases[i].field);
      g_assert_false (markup);
      g_assert_nonnull (strstr (message, cases[i].words));
      if (cases[i].field == DSL_SIGN_IN_FIELD_PORTAL)
        g_assert_nonnull (strstr (message, "docspace.example.com"));
    }
}

static void
test_describe_tfa_setup (void)
{
  g_autoptr(GError) error = g_error_new (DSL_ERROR, DSL_ERROR_TFA_SETUP_REQUIRED,
                                         "This account must set up two-factor authentication "
                                         "first. Finish the setup in a web browser at %s, then "
                                         "sign in again.",
                                         "http://127.0.0.1:1/confirm.aspx?type=TfaActivation&a=b");
  DslSignInField field = -1;
  gboolean markup = FALSE;
  g_autofree char *message = dsl_sign_in_describe_error (error, "http://127.0.0.1:1", FALSE,
                                                         &field, &markup);

  g_assert_cmpint (field, ==, DSL_SIGN_IN_FIELD_PASSWORD);
  g_assert_true (markup);
  /* A link a person can follow, with the URL escaped for markup. */
  g_assert_nonnull (strstr (message,
                            "<a href=\"http://127.0.0.1:1/confirm.aspx?type=TfaActivation&amp;a=b\">"));
  g_assert_null (strstr (message, "&a=b"));
}

/* The set-up address of another host, or with another scheme, is text, not a link (issue 14). */
static void
test_describe_tfa_setup_other_host (void)
{
  static const char * const urls[] = {
    "https://evil.example/confirm.aspx?type=TfaActivation",
    "https://docspace.example.com@evil.example/confirm.aspx",
    "http://docspace.example.com/confirm.aspx",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = g_error_new (DSL_ERROR, DSL_ERROR_TFA_SETUP_REQUIRED,
                                             "Finish the setup in a web browser at %s, then "
                                             "sign in again.", urls[i]);
      DslSignInField field = -1;
      gboolean markup = TRUE;
      g_autofree char *message = NULL;

      message = dsl_sign_in_describe_error (error, "https://docspace.example.com", FALSE, &field,
                                            &markup);
      g_assert_cmpint (field, ==, DSL_SIGN_IN_FIELD_PASSWORD);
      g_assert_false (markup);
      g_assert_null (strstr (message, "<a"));
      g_assert_nonnull (strstr (message, urls[i]));
    }
}

/* --- Against docspace-sim --- */

static void
sign_in_with_key (DslWindow  *window,
                  const char *key)
{
  set_entry_text (window, "portal_entry", dsl_sim_get_url (sim));
  dsl_sign_in_page_set_use_password (sign_in_page (window), FALSE);
  set_entry_text (window, "key_entry", key);
  g_assert_true (gtk_widget_activate_action (get_widget (window, "sign_in_page"),
                                             "sign-in.sign-in", NULL));
  g_assert_true (dsl_sign_in_page_get_busy (sign_in_page (window)));
  g_assert_true (gtk_widget_get_visible (get_widget (window, "spinner")));
}

static void
assert_signed_in_as (DslWindow  *window,
                     const char *name)
{
  AdwWindowTitle *title = ADW_WINDOW_TITLE (get_widget (window, "window_title"));
  const char *url = dsl_sim_get_url (sim);

  g_assert_cmpstr (visible_page (window, "stack"), ==, "main");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, name);
  /* host:port, without the scheme */
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, strstr (url, "://") + 3);
}

static void
test_sign_in_with_key (void)
{
  DslWindow *window;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GVariant) accounts = NULL;
  g_autofree char *last = NULL;
  g_autofree char *expected_last = NULL;
  g_autofree char *active = NULL;
  g_autofree char *printed = NULL;

  if (skip_without_sim ())
    return;

  dsl_sim_reset (sim, NULL);
  settings = g_settings_new (BASE_APP_ID);

  window = new_window (NULL);
  sign_in_with_key (window, "sk-demo-owner");
  g_assert_true (wait_until (on_main, window));

  assert_signed_in_as (window, "Olivia Owner");
  g_assert_true (gtk_widget_is_visible (get_widget (window, "refresh_button")));
  /* The page forgot the key; the address is shown as it is used. */
  g_assert_cmpstr (entry_text (window, "key_entry"), ==, "");
  g_assert_cmpstr (entry_text (window, "portal_entry"), ==, dsl_sim_get_url (sim));
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/people/@self"), >=, 1);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/keys/@self"), ==, 1);

  /* The account, never the key, is in GSettings; it is the last one. */
  accounts = g_settings_get_value (settings, "accounts");
  g_assert_cmpuint (g_variant_n_children (accounts), ==, 1);
  printed = g_variant_print (accounts, FALSE);
  g_assert_null (strstr (printed, "sk-demo"));
  last = g_settings_get_string (settings, "last-account");
  expected_last = g_strdup_printf ("a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01 %s",
                                   dsl_sim_get_url (sim));
  g_assert_cmpstr (last, ==, expected_last);
  g_object_get (window, "active-account", &active, NULL);
  g_assert_cmpstr (active, ==, expected_last);

  destroy_window (window);
}

static void
test_wrong_key_keeps_form (void)
{
  DslWindow *window;

  if (skip_without_sim ())
    return;

  dsl_sim_reset (sim, NULL);
  window = new_window (NULL);
  sign_in_with_key (window, "sk-demo-expired");
  g_assert_true (wait_until (idle, window));

  g_assert_cmpstr (visible_page (window, "stack"), ==, "sign-in");
  g_assert_true (is_shown (window, "key_error_label"));
  g_assert_false (is_shown (window, "portal_error_label"));
  g_assert_nonnull (strstr (label_text (window, "key_error_label"), "expired"));
  g_assert_cmpstr (entry_text (window, "key_entry"), ==, "sk-demo-expired");
  g_assert_cmpstr (entry_text (window, "portal_entry"), ==, dsl_sim_get_url (sim));

  destroy_window (window);
}

static void
test_key_without_permissions (void)
{
  DslWindow *window;

  if (skip_without_sim ())
    return;

  dsl_sim_reset (sim, NULL);
  window = new_window (NULL);
  sign_in_with_key (window, "sk-demo-readonly");
  g_assert_true (wait_until (idle, window));

  g_assert_cmpstr (visible_page (window, "stack"), ==, "sign-in");
  g_assert_true (is_shown (window, "key_error_label"));
  g_assert_nonnull (strstr (label_text (window, "key_error_label"), "rooms:read"));
  g_assert_cmpstr (entry_text (window, "key_entry"), ==, "sk-demo-readonly");

  destroy_window (window);
}

static void
test_sign_in_with_password_and_code (void)
{
  DslWindow *window;
  g_autoptr(JsonNode) login = NULL;

  if (skip_without_sim ())
    return;

  dsl_sim_reset (sim, NULL);
  window = new_window (dsl_sim_get_url (sim));
  dsl_sign_in_page_set_use_password (sign_in_page (window), TRUE);
  set_entry_text (window, "email_entry", "tfa@example.com");
  set_entry_text (window, "password_entry", "DemoTfa1!");
  g_assert_true (gtk_widget_activate_action (get_widget (window, "sign_in_page"),
                                             "sign-in.sign-in", NULL));
  g_assert_true (wait_until (in_code_step, window));
  g_assert_true (gtk_widget_get_visible (get_widget (window, "verify_button")));
  g_assert_true (gtk_widget_get_visible (get_widget (window, "back_button")));

  /* A wrong code: the message under the code, the code kept. */
  set_entry_text (window, "code_entry", "000000");
  g_assert_true (gtk_widget_activate_action (get_widget (window, "sign_in_page"),
                                             "sign-in.verify", NULL));
  g_assert_true (wait_until (idle, window));
  g_assert_true (is_shown (window, "code_box"));
  g_assert_true (is_shown (window, "code_error_label"));
  g_assert_cmpstr (entry_text (window, "code_entry"), ==, "000000");

  set_entry_text (window, "code_entry", "123 456");
  g_assert_true (gtk_widget_activate_action (get_widget (window, "sign_in_page"),
                                             "sign-in.verify", NULL));
  g_assert_true (wait_until (on_main, window));
  assert_signed_in_as (window, "Tara Twofactor");
  g_assert_cmpstr (entry_text (window, "password_entry"), ==, "");

  login = dsl_sim_find_request (sim, "POST", "/api/2.0/authentication/123456");
  g_assert_nonnull (login);

  destroy_window (window);
}

static void
test_wrong_password (void)
{
  DslWindow *window;

  if (skip_without_sim ())
    return;

  dsl_sim_reset (sim, NULL);
  window = new_window (dsl_sim_get_url (sim));
  dsl_sign_in_page_set_use_password (sign_in_page (window), TRUE);
  set_entry_text (window, "email_entry", "owner@example.com");
  set_entry_text (window, "password_entry", "not the password");
  g_assert_true (gtk_widget_activate_action (get_widget (window, "sign_in_page"),
                                             "sign-in.sign-in", NULL));
  g_assert_true (wait_until (idle, window));

  g_assert_true (is_shown (window, "password_error_label"));
  g_assert_false (is_shown (window, "portal_error_label"));
  g_assert_cmpstr (entry_text (window, "email_entry"), ==, "owner@example.com");
  g_assert_cmpstr (entry_text (window, "password_entry"), ==, "not the password");

  destroy_window (window);
}

static void
test_cancel_sign_in_keeps_form (void)
{
  DslWindow *window;

  if (skip_without_sim ())
    return;

  /* The portal holds its answer for 5 s; Escape (sign-in.cancel) does not wait for it. */
  dsl_sim_reset (sim, NULL);
  g_assert_true (dsl_sim_set_faults (sim, "stall=5000", NULL));
  window = new_window (NULL);
  sign_in_with_key (window, "sk-demo-owner");

  g_assert_true (gtk_widget_activate_action (get_widget (window, "sign_in_page"),
                                             "sign-in.cancel", NULL));
  g_assert_false (dsl_sign_in_page_get_busy (sign_in_page (window)));
  g_assert_false (gtk_widget_get_visible (get_widget (window, "spinner")));
  g_assert_cmpstr (visible_page (window, "stack"), ==, "sign-in");
  g_assert_false (is_shown (window, "portal_error_label"));
  g_assert_false (is_shown (window, "key_error_label"));
  g_assert_cmpstr (entry_text (window, "portal_entry"), ==, dsl_sim_get_url (sim));
  g_assert_cmpstr (entry_text (window, "key_entry"), ==, "sk-demo-owner");

  destroy_window (window);
  dsl_sim_set_faults (sim, "none", NULL);
}

static void
test_no_keyring_keeps_key_for_session (void)
{
  if (skip_without_sim ())
    return;

  if (g_test_subprocess ())
    {
      /* No session bus here, so no Secret Service: signed in all the same, and told so. */
      DslWindow *window = new_window (NULL);

      sign_in_with_key (window, "sk-demo-owner");
      g_assert_true (wait_until (on_main, window));
      assert_signed_in_as (window, "Olivia Owner");
      g_assert_true (wait_until (says_no_keyring, window));
      g_assert_cmpstr (visible_page (window, "stack"), ==, "main");

      destroy_window (window);
      return;
    }

  {
    g_autofree char *saved = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

    /* GTK_A11Y=none: GTK's accessibility would warn that it has no bus to talk to. */
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/dsl-test-bus", TRUE);
    g_setenv ("GTK_A11Y", "none", TRUE);
    g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, 0);
    g_unsetenv ("GTK_A11Y");
    if (saved != NULL)
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved, TRUE);
    else
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  }
  g_test_trap_assert_passed ();
}

/* --- Narrow windows --- */

static gboolean
is_narrow_and_folded (DslWindow *window)
{
  return dsl_fold_paned_get_folded (DSL_FOLD_PANED (get_widget (window, "fold"))) &&
         gtk_widget_get_width (GTK_WIDGET (window)) < 400;
}

static gboolean
is_wide_and_unfolded (DslWindow *window)
{
  return !dsl_fold_paned_get_folded (DSL_FOLD_PANED (get_widget (window, "fold"))) &&
         gtk_widget_get_width (GTK_WIDGET (window)) >= 900;
}

static GtkSingleSelection *
tree_rows (DslWindow *window)
{
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (get_widget (window,
                                                                                    "list_view"))));
}

/* The position of the row titled `title` in the tree's list, or -1. */
static int
tree_position (DslWindow  *window,
               const char *title)
{
  GListModel *rows = G_LIST_MODEL (tree_rows (window));

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

      if (DSL_IS_ITEM (item) && g_strcmp0 (dsl_item_get_title (DSL_ITEM (item)), title) == 0)
        return (int) i;
    }
  return -1;
}

static gboolean
tree_has_notes (DslWindow *window)
{
  return tree_position (window, "Notes.txt") >= 0;
}

static const char *
selected_title (DslWindow *window)
{
  GtkWidget *tree = adw_bin_get_child (ADW_BIN (get_widget (window, "tree_bin")));
  DslItem *item = dsl_item_tree_get_selected_item (DSL_ITEM_TREE (tree));

  return item != NULL ? dsl_item_get_title (item) : NULL;
}

/* Resizes the window as a person would, until `done`: a configure event from the X server
 * about an earlier size may still come in and set the default size back, so it is asked
 * again every half second. */
static gboolean
resize_until (DslWindow  *window,
              int         width,
              gboolean  (*done) (DslWindow *window))
{
  for (guint i = 0; i < 40; i++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), width, 640);
      dsl_test_run_for (500);
      if (done (window))
        return TRUE;
    }
  return FALSE;
}

/* The panes shown have been allocated (a slow, sanitized build may need more than a frame). */
static gboolean
panes_allocated (DslWindow *window)
{
  const char *names[] = { "tree_bin", "details_bin" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *pane = get_widget (window, names[i]);

      if (gtk_widget_get_visible (pane) &&
          (!gtk_widget_get_mapped (pane) || gtk_widget_get_width (pane) == 0 ||
           gtk_widget_get_width (pane) > gtk_widget_get_width (GTK_WIDGET (window))))
        return FALSE;
    }
  return !gtk_widget_get_visible (get_widget (window, "details_bin")) ||
         !gtk_widget_get_visible (get_widget (window, "tree_bin")) ||
         gtk_widget_get_width (get_widget (window, "details_bin")) +
         gtk_widget_get_width (get_widget (window, "tree_bin")) <=
         gtk_widget_get_width (get_widget (window, "fold"));
}

/* Lets the window lay itself out after a change (a few frames, then until allocated). */
static void
settle (DslWindow *window)
{
  dsl_test_run_for (200);
  g_assert_true (wait_until (panes_allocated, window));
  dsl_test_run_for (50);
}

static int
min_width (GtkWidget *widget)
{
  int minimum = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  return minimum;
}

/* Below 600 px only one pane shows: the tree, then (a row activated) the sidebar with a back
 * button, then the tree again with the selection kept; wide again, both and no back button. */
static void
test_narrow_window_folds (void)
{
  g_autoptr(GSettings) settings = NULL;
  DslWindow *window;
  GtkWidget *fold, *tree_bin, *details_bin, *back, *header;
  int position;
  int pane_position;

  if (skip_without_sim ())
    return;

  dsl_sim_reset (sim, NULL);
  settings = g_settings_new (BASE_APP_ID);
  window = new_window (NULL);
  sign_in_with_key (window, "sk-demo-owner");
  g_assert_true (wait_until (on_main, window));
  fold = get_widget (window, "fold");
  tree_bin = get_widget (window, "tree_bin");
  details_bin = get_widget (window, "details_bin");
  back = get_widget (window, "pane_back_button");
  header = gtk_widget_get_ancestor (get_widget (window, "refresh_button"), ADW_TYPE_HEADER_BAR);
  pane_position = gtk_paned_get_position (GTK_PANED (get_widget (window, "paned")));

  g_assert_true (resize_until (window, 360, is_narrow_and_folded));
  g_assert_true (wait_until (tree_has_notes, window));
  settle (window);

  /* Nothing asks for more than 360 px: the window took the size it was given. */
  g_test_message ("minimum widths with the tree: header %d, tree %d, fold %d",
                  min_width (header), min_width (tree_bin), min_width (fold));
  g_test_message ("window: surface %d px, content %d px",
                  gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))),
                  gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))), ==, 360);
  g_assert_cmpint (min_width (header), <=, gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (min_width (fold), <=, gtk_widget_get_width (GTK_WIDGET (window)));
  g_test_message ("header allocation: start squeezer %d, title %d, end squeezer %d, header %d",
                  gtk_widget_get_width (get_widget (window, "start_squeezer")),
                  gtk_widget_get_width (get_widget (window, "window_title")),
                  gtk_widget_get_width (get_widget (window, "end_squeezer")),
                  gtk_widget_get_width (header));
  /* Refresh and Link Checkup are in the main menu; Search stays. */
  g_assert_false (gtk_widget_get_mapped (get_widget (window, "refresh_button")));
  g_assert_true (gtk_widget_get_mapped (get_widget (window, "narrow_search_button")));

  /* Folded: the tree alone, full width. */
  g_assert_true (gtk_widget_get_visible (tree_bin));
  g_assert_false (gtk_widget_get_visible (details_bin));
  g_assert_cmpint (gtk_widget_get_width (tree_bin), ==, gtk_widget_get_width (fold));
  g_assert_false (gtk_widget_get_visible (back));
  g_assert_false (gtk_widget_is_sensitive (back) && gtk_widget_get_visible (back));

  /* A row activated (Enter): the sidebar alone, full width, showing that item; a back button. */
  position = tree_position (window, "Notes.txt");
  g_signal_emit_by_name (get_widget (window, "list_view"), "activate", (guint) position);
  settle (window);
  g_assert_cmpstr (selected_title (window), ==, "Notes.txt");
  g_assert_false (gtk_widget_get_visible (tree_bin));
  g_assert_true (gtk_widget_get_visible (details_bin));
  g_assert_true (gtk_widget_get_mapped (details_bin));
  g_assert_cmpint (gtk_widget_get_width (details_bin), ==, gtk_widget_get_width (fold));
  g_test_message ("minimum widths with the sidebar: header %d, sidebar %d, fold %d",
                  min_width (header), min_width (details_bin), min_width (fold));
  g_assert_cmpint (gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window))), ==, 360);
  g_assert_true (gtk_widget_get_visible (back));
  g_assert_true (gtk_widget_get_mapped (back));
  g_assert_true (gtk_widget_is_sensitive (back));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (back), ==, "Back (Alt+Left)");
  g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (back)), ==, "go-previous-symbolic");
  g_assert_false (gtk_widget_get_mapped (get_widget (window, "narrow_search_button")));
  g_assert_cmpint (min_width (header), <=, gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (min_width (details_bin), <=, gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_cmpint (min_width (fold), <=, gtk_widget_get_width (GTK_WIDGET (window)));
  {
    DslItem *shown = NULL;

    g_object_get (adw_bin_get_child (ADW_BIN (details_bin)), "item", &shown, NULL);
    g_assert_nonnull (shown);
    g_assert_cmpstr (dsl_item_get_title (shown), ==, "Notes.txt");
    g_object_unref (shown);
  }

  /* Back (the button's action; Alt+Left and Escape are bound to it): the tree, the same row
   * selected. */
  g_signal_emit_by_name (back, "clicked");
  settle (window);
  g_assert_true (gtk_widget_get_visible (tree_bin));
  g_assert_false (gtk_widget_get_visible (details_bin));
  g_assert_false (gtk_widget_get_visible (back));
  g_assert_true (gtk_widget_get_mapped (get_widget (window, "narrow_search_button")));
  g_assert_cmpstr (selected_title (window), ==, "Notes.txt");
  g_assert_cmpuint (gtk_single_selection_get_selected (tree_rows (window)), ==, (guint) position);
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL) &&
                  gtk_widget_get_visible (details_bin));

  /* Wide again: both panes, the divider where it was, no back button. */
  g_assert_true (resize_until (window, 1000, is_wide_and_unfolded));
  settle (window);
  g_assert_true (gtk_widget_get_visible (tree_bin));
  g_assert_true (gtk_widget_get_visible (details_bin));
  g_assert_true (gtk_widget_get_mapped (details_bin));
  g_assert_false (gtk_widget_get_visible (back));
  g_assert_true (gtk_widget_get_mapped (get_widget (window, "refresh_button")));
  g_assert_true (gtk_widget_get_mapped (get_widget (window, "search_button")));
  g_assert_false (gtk_widget_get_mapped (get_widget (window, "narrow_search_button")));
  g_assert_true (gtk_widget_get_mapped (get_widget (window, "checkup_button")));
  g_assert_cmpint (gtk_paned_get_position (GTK_PANED (get_widget (window, "paned"))), ==,
                   pane_position);
  g_assert_cmpint (gtk_widget_get_width (tree_bin) + gtk_widget_get_width (details_bin), <=,
                   gtk_widget_get_width (fold));
  g_assert_cmpstr (selected_title (window), ==, "Notes.txt");

  destroy_window (window);
  /* The window's size went to GSettings (the memory backend): the next cases start as usual. */
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "pane-position");
}

/* DslFoldPaned alone: folded below its threshold, and also below the paned's minimum when the
 * children ask for more than the threshold allows; the child shown is the one asked for. */
static void
test_fold_paned_threshold (void)
{
  GtkWindow *window;
  DslFoldPaned *fold;
  GtkWidget *paned, *start, *end;
  int widths[] = { 700, 500, 380 };
  gboolean expected[] = { FALSE, TRUE, TRUE };

  if (dsl_test_skip_without_display ())
    return;

  window = GTK_WINDOW (gtk_window_new ());
  fold = DSL_FOLD_PANED (dsl_fold_paned_new ());
  paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  start = gtk_label_new ("start");
  end = gtk_label_new ("end");
  gtk_widget_set_size_request (start, 300, -1);
  gtk_widget_set_size_request (end, 300, -1);
  gtk_paned_set_start_child (GTK_PANED (paned), start);
  gtk_paned_set_end_child (GTK_PANED (paned), end);
  gtk_paned_set_shrink_start_child (GTK_PANED (paned), FALSE);
  gtk_paned_set_shrink_end_child (GTK_PANED (paned), FALSE);
  dsl_fold_paned_set_child (fold, GTK_PANED (paned));
  dsl_fold_paned_set_fold_threshold (fold, 400);
  gtk_window_set_child (window, GTK_WIDGET (fold));
  gtk_window_set_decorated (window, FALSE);
  gtk_window_present (window);

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      for (guint tries = 0; tries < 40 && gtk_widget_get_width (GTK_WIDGET (fold)) != widths[i];
           tries++)
        {
          gtk_window_set_default_size (window, widths[i], 300);
          dsl_test_run_for (250);
        }
      g_test_message ("at %d px: folded %d", widths[i], dsl_fold_paned_get_folded (fold));
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fold)), ==, widths[i]);
      g_assert_cmpint (dsl_fold_paned_get_folded (fold), ==, expected[i]);
      g_assert_true (gtk_widget_get_visible (start));
      g_assert_cmpint (gtk_widget_get_visible (end), ==, !expected[i]);
      if (expected[i])
        g_assert_cmpint (gtk_widget_get_width (start), ==, widths[i]);
    }

  dsl_fold_paned_set_show_end_child (fold, TRUE);
  dsl_test_run_for (100);
  g_assert_false (gtk_widget_get_visible (start));
  g_assert_true (gtk_widget_get_visible (end));
  g_assert_cmpint (gtk_widget_get_width (end), ==, 380);

  gtk_window_destroy (window);
}

/* Ctrl+? (win.show-help-overlay): the shortcuts window is built on first use, transient for
 * the window, lists the shortcuts, and is reused (hidden on close, not rebuilt). */
static void
test_shortcuts_window (void)
{
  DslWindow *window;
  GtkWindow *shortcuts = NULL;
  GListModel *toplevels;   /* GTK's own list */
  guint n_before;

  if (dsl_test_skip_without_display ())
    return;

  window = new_window (NULL);
  toplevels = gtk_window_get_toplevels ();
  n_before = g_list_model_get_n_items (toplevels);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, n_before + 1);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_SHORTCUTS_WINDOW (toplevel))
        shortcuts = toplevel;
    }
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_true (gtk_window_get_modal (shortcuts));

  gtk_window_close (shortcuts);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, n_before + 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));

  /* It goes with the window. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, n_before - 1);
}

static gboolean
is_label_starting (GtkWidget     *widget,
                   gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix);
}

static const char *store_problem =
  "Not everything in the file of temporary links could be read: "
  "record 1: unknown state “paused”";

static gboolean
shows_store_problem (DslWindow *window)
{
  return dsl_test_find_descendant (GTK_WIDGET (window), is_label_starting, store_problem) != NULL;
}

/* A guarded-links.json with a record this version cannot read: the record is skipped and the
 * window says so in a toast (the monitor's "store-problem"), as plain text. */
static void
test_store_problem_shown (void)
{
  g_autofree char *folder = g_build_filename (g_get_user_data_dir (), "docspace-links", NULL);
  g_autofree char *path = g_build_filename (folder, "guarded-links.json", NULL);
  DslWindow *window;

  if (skip_without_sim ())
    return;
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("a guarded-links.json exists already (not a test session's HOME)");
      return;
    }

  dsl_sim_reset (sim, NULL);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path,
    "{\"format\": \"docspace-links-guarded-links\", \"version\": 1, \"accounts\": {"
    "\"someone http://127.0.0.1:9\": [{\"linkId\": \"l\", \"itemId\": \"402\", "
    "\"itemKind\": \"file\", \"itemTitle\": \"<b>Notes</b>\", \"downloadLimit\": 3, "
    "\"created\": \"2026-12-01T10:00:00Z\", \"state\": \"paused\", \"downloads\": 1}]}}",
    -1, NULL));

  window = new_window (NULL);
  sign_in_with_key (window, "sk-demo-owner");
  g_assert_true (wait_until (on_main, window));
  g_assert_true (wait_until (shows_store_problem, window));

  destroy_window (window);
  g_remove (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  have_display = dsl_test_init_display ();
  if (have_display)
    {
      sim = dsl_sim_start (NULL, &error);
      if (sim == NULL)
        g_printerr ("# docspace-sim: %s\n", error->message);
      dsl_test_set_sim (sim);
    }

  g_test_add_func ("/dsl/ui/window/sign-in-page-widgets", test_sign_in_page_widgets);
  g_test_add_func ("/dsl/ui/window/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/dsl/ui/window/sign-in-page-prefilled", test_sign_in_page_prefilled);
  g_test_add_func ("/dsl/ui/window/auth-method-switch", test_auth_method_switch);
  g_test_add_func ("/dsl/ui/window/sign-in-needs-address-and-key",
                   test_sign_in_needs_address_and_key);
  g_test_add_func ("/dsl/ui/window/refused-address-shows-inline-error",
                   test_refused_address_shows_inline_error);
  g_test_add_func ("/dsl/ui/sign-in/describe-errors", test_describe_errors);
  g_test_add_func ("/dsl/ui/sign-in/describe-tfa-setup-other-host",
                   test_describe_tfa_setup_other_host);
  g_test_add_func ("/dsl/ui/sign-in/describe-tfa-setup", test_describe_tfa_setup);
  g_test_add_func ("/dsl/ui/window/sign-in-with-key", test_sign_in_with_key);
  g_test_add_func ("/dsl/ui/window/wrong-key-keeps-form", test_wrong_key_keeps_form);
  g_test_add_func ("/dsl/ui/window/key-without-permissions", test_key_without_permissions);
  g_test_add_func ("/dsl/ui/window/sign-in-with-password-and-code",
                   test_sign_in_with_password_and_code);
  g_test_add_func ("/dsl/ui/window/wrong-password", test_wrong_password);
  g_test_add_func ("/dsl/ui/window/cancel-sign-in-keeps-form", test_cancel_sign_in_keeps_form);
  g_test_add_func ("/dsl/ui/window/no-keyring-keeps-key-for-session",
                   test_no_keyring_keeps_key_for_session);
  g_test_add_func ("/dsl/ui/window/narrow-window-folds", test_narrow_window_folds);
  g_test_add_func ("/dsl/ui/window/store-problem-shown", test_store_problem_shown);
  g_test_add_func ("/dsl/ui/fold-paned/threshold", test_fold_paned_threshold);

  status = g_test_run ();
  dsl_sim_stop (sim);
  return status;
}

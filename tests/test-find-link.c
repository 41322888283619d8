/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-find-link.c: "Find Link…" in a real, signed-in DslWindow against docspace-sim.
 *
 *   DslWindow (signed in as Olivia with sk-demo-owner) ─ win.find-link ─▶ DslFindLinkDialog
 *        │ its DslLinkMonitor's scan (never run: the dialog starts it)          │
 *        ▼                                                                      ▼
 *   docspace-sim (request log asserted)                      result rows, clipboard, messages
 *
 * Share URLs are the simulator's own: each link's shareLink and requestToken read with the
 * client before the dialog is opened. Needs a display (build-aux/run-tests.sh provides Xvfb);
 * without one every case is a TAP SKIP. */
#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dsl-client.h"
#include "dsl-find-link-dialog.h"
#include "dsl-item-tree.h"
#include "dsl-link-monitor.h"
#include "dsl-sign-in-page.h"
#include "dsl-sim-fixture.h"
#include "dsl-test-util.h"
#include "dsl-window.h"

#define OWNER_KEY "sk-demo-owner"

static gboolean have_display;
static DslSim *sim;

typedef struct {
  DslWindow         *window;
  DslClient         *client;   /* the test's own, to read the sim's links */
  DslFindLinkDialog *dialog;
} Fixture;

/* --- helpers --- */

static gboolean
signed_in (Fixture *f, gconstpointer data)
{
  g_autofree char *key = NULL;

  g_object_get (f->window, "active-account", &key, NULL);
  return key != NULL && *key != '\0' &&
         dsl_link_monitor_get_client (dsl_window_get_monitor (f->window), key) != NULL;
}

static gboolean
settled (Fixture *f, gconstpointer data)
{
  const char *state = dsl_find_link_dialog_get_state (f->dialog);

  return g_strcmp0 (state, "scanning") != 0 && g_strcmp0 (state, "waiting") != 0 &&
         g_strcmp0 (state, "resolving") != 0;
}

typedef struct {
  GPtrArray *links;
  GError    *error;
  gboolean   done;
} LinksResult;

static void
list_links_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  LinksResult *r = user_data;

  r->links = dsl_client_list_links_finish (DSL_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

static GPtrArray *
list_links (Fixture     *f,
            DslItemKind  kind,
            const char  *id)
{
  LinksResult r = { 0 };

  dsl_client_list_links_async (f->client, kind, id, kind == DSL_ITEM_KIND_ROOM ? 1 : -1, NULL,
                               list_links_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  return r.links;
}

/* The link titled `title` of an item, as the portal has it now (new reference), or NULL. */
static DslLink *
find_link (Fixture     *f,
           DslItemKind  kind,
           const char  *id,
           const char  *title)
{
  g_autoptr(GPtrArray) links = list_links (f, kind, id);

  for (guint i = 0; i < links->len; i++)
    if (g_strcmp0 (dsl_link_get_title (g_ptr_array_index (links, i)), title) == 0)
      return g_object_ref (g_ptr_array_index (links, i));
  return NULL;
}

static DslLink *
get_link (Fixture     *f,
          DslItemKind  kind,
          const char  *id,
          const char  *title)
{
  DslLink *link = find_link (f, kind, id, title);

  g_assert_nonnull (link);
  g_assert_nonnull (dsl_link_get_share_link (link));
  return link;
}

static const char *
subtitle (Fixture    *f,
          const char *row_id)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (dsl_test_get_widget (GTK_WIDGET (f->dialog),
                                                                           row_id)));
}

/* The not-found page's text. */
static const char *
not_found_text (Fixture *f)
{
  return gtk_label_get_text (GTK_LABEL (dsl_test_get_widget (GTK_WIDGET (f->dialog),
                                                             "not_found_label")));
}

/* What the dialog says over a result (expired, password), or NULL. */
static const char *
notice (Fixture *f)
{
  GtkWidget *label = dsl_test_find_widget (GTK_WIDGET (f->dialog), "notice_label");

  if (label == NULL || !gtk_widget_get_visible (label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

static const char *
entry_text (Fixture *f)
{
  return gtk_editable_get_text (GTK_EDITABLE (dsl_test_get_widget (GTK_WIDGET (f->dialog),
                                                                    "url_entry")));
}

static void
find (Fixture    *f,
      const char *url)
{
  f->dialog = dsl_window_find_link (f->window, url);
  g_assert_nonnull (f->dialog);
  dsl_test_run_until (f, settled, NULL);
  if (g_strcmp0 (dsl_find_link_dialog_get_state (f->dialog), "not-found") == 0)
    g_test_message ("not found: %s", not_found_text (f));
}

static char *
clipboard_text (Fixture *f)
{
  return dsl_test_read_clipboard (GTK_WIDGET (f->dialog));
}

static AdwMessageDialog *
find_message_dialog (void)
{
  return (AdwMessageDialog *) dsl_test_find_window (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
message_dialog_shown (Fixture *f, gconstpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
revoked_shown (Fixture *f, gconstpointer data)
{
  return gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->dialog), "revoked_label"));
}

static gboolean
message_shown (Fixture *f, gconstpointer data)
{
  return dsl_find_link_dialog_get_message (f->dialog) != NULL;
}

/* Whether the account's scan read the portal: it reads the links of every file, also of
 * "Spec.docx" (331, in Engineering), which nothing else in these tests opens. (The tree's own
 * loading reads files/rooms too, so that is no sign.) */
static gboolean
scan_ran (void)
{
  return dsl_sim_count_requests (sim, "GET", "/api/2.0/files/file/331/links") > 0;
}

static gboolean
scan_ran_p (Fixture *f, gconstpointer data)
{
  return scan_ran ();
}

static guint
count_share_requests (const char *key)
{
  g_autofree char *path = g_strdup_printf ("/api/2.0/files/share/%s", key);

  return dsl_sim_count_requests (sim, "GET", path);
}

static gboolean
location_shown (Fixture *f, gconstpointer data)
{
  return *subtitle (f, "item_row") != '\0';
}

static gboolean
state_is (Fixture *f, gconstpointer state)
{
  return f->dialog != NULL && g_strcmp0 (dsl_find_link_dialog_get_state (f->dialog), state) == 0;
}

/* --- fixture --- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  GtkWidget *page;

  if (!have_display || sim == NULL)
    return;

  dsl_sim_reset (sim, &error);
  g_assert_no_error (error);

  f->client = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->client, OWNER_KEY);

  /* A first start (memory GSettings), signed in with the owner's key on the sign-in page. */
  settings = g_settings_new (BASE_APP_ID);
  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "last-account");
  f->window = dsl_window_new (NULL, NULL, dsl_sim_get_url (sim));
  gtk_window_present (GTK_WINDOW (f->window));
  page = dsl_test_get_widget (GTK_WIDGET (f->window), "sign_in_page");
  dsl_sign_in_page_set_use_password (DSL_SIGN_IN_PAGE (page), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (dsl_test_get_widget (page, "portal_entry")),
                         dsl_sim_get_url (sim));
  gtk_editable_set_text (GTK_EDITABLE (dsl_test_get_widget (page, "key_entry")), OWNER_KEY);
  g_assert_true (gtk_widget_activate_action (page, "sign-in.sign-in", NULL));
  dsl_test_run_until (f, signed_in, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->client);
}

static gboolean
skip (void)
{
  if (dsl_test_skip_without_display ())
    return TRUE;
  if (sim == NULL)
    g_test_skip ("docspace-sim did not start");
  return sim == NULL;
}

/* --- cases --- */

/* A pasted /s/ URL of a file's second link: the scan never ran, so the dialog runs it and
 * shows the right item and the right link with its settings. */
static void
test_short_url (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  g_autofree char *pasted = NULL;
  DslLinkScanRow *row;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  g_assert_true (g_str_has_prefix (dsl_link_get_share_link (link), dsl_sim_get_url (sim)));
  g_assert_nonnull (strstr (dsl_link_get_share_link (link), "/s/"));
  /* as pasted: surrounding white space, a trailing slash */
  pasted = g_strdup_printf ("  %s/ \n", dsl_link_get_share_link (link));
  dsl_sim_clear_requests (sim, NULL);

  find (f, pasted);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");
  g_assert_null (dsl_find_link_dialog_get_message (f->dialog));
  /* resolved through the short link's redirect and its key: no scan of the portal */
  g_assert_false (scan_ran ());
  g_assert_cmpuint (count_share_requests (dsl_link_get_request_token (link)), ==, 1);
  dsl_test_run_until (f, location_shown, NULL);

  row = dsl_find_link_dialog_get_result (f->dialog);
  g_assert_nonnull (row);
  g_assert_cmpstr (dsl_item_get_id (dsl_link_scan_row_get_item (row)), ==, "401");
  g_assert_cmpstr (dsl_link_get_id (dsl_link_scan_row_get_link (row)), ==,
                   dsl_link_get_id (link));

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     dsl_test_get_widget (GTK_WIDGET (f->dialog), "item_row"))), ==,
                   "Q3 report.docx");
  g_assert_nonnull (strstr (subtitle (f, "item_row"), "My documents"));
  g_assert_cmpstr (subtitle (f, "title_row"), ==, "Download blocked");
  g_assert_cmpstr (subtitle (f, "url_row"), ==, dsl_link_get_share_link (link));
  g_assert_cmpstr (subtitle (f, "access_row"), ==, "View only");
  g_assert_cmpstr (subtitle (f, "audience_row"), ==, "Anyone with the link");
  g_assert_true (g_str_has_prefix (subtitle (f, "expiry_row"), "Expires in"));
  g_assert_cmpstr (subtitle (f, "password_row"), ==, "No");
  /* what was pasted stays in the entry */
  g_assert_cmpstr (entry_text (f), ==, pasted);
}

/* A room share URL (/rooms/share?key=<requestToken>) finds the room's link; a password shows. */
static void
test_room_url (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  g_autofree char *url = NULL;
  DslLinkScanRow *row;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_ROOM, "101", "Partners");
  g_assert_nonnull (dsl_link_get_request_token (link));
  url = g_strdup_printf ("%s/rooms/share?key=%s", dsl_sim_get_url (sim),
                         dsl_link_get_request_token (link));

  find (f, url);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");
  row = dsl_find_link_dialog_get_result (f->dialog);
  g_assert_cmpstr (dsl_item_get_id (dsl_link_scan_row_get_item (row)), ==, "101");
  g_assert_cmpstr (dsl_link_get_id (dsl_link_scan_row_get_link (row)), ==,
                   dsl_link_get_id (link));
  g_assert_cmpstr (subtitle (f, "title_row"), ==, "Partners");
  g_assert_cmpstr (subtitle (f, "password_row"), ==, "Yes");
  /* the link's short address is shown, not the pasted long one */
  g_assert_cmpstr (subtitle (f, "url_row"), ==, dsl_link_get_share_link (link));
  /* the password is said over the result */
  g_assert_nonnull (notice (f));
  g_assert_nonnull (strstr (notice (f), "password"));
  g_assert_cmpuint (count_share_requests (dsl_link_get_request_token (link)), ==, 1);
  g_assert_false (scan_ran ());
  dsl_test_run_until (f, location_shown, NULL);
  g_assert_cmpstr (subtitle (f, "item_row"), ==, "Rooms");
}

/* Copy puts the link's address on the clipboard. */
static void
test_copy (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  g_autofree char *text = NULL;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_ROOM, "101", "Staff only");
  find (f, dsl_link_get_share_link (link));
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f->dialog)), "before");
  /* the button, as a person clicks it: its action target is the link's id */
  g_assert_true (gtk_widget_is_sensitive (dsl_test_get_widget (GTK_WIDGET (f->dialog),
                                                               "copy_button")));
  g_signal_emit_by_name (dsl_test_get_widget (GTK_WIDGET (f->dialog), "copy_button"), "clicked");
  text = clipboard_text (f);
  g_assert_cmpstr (text, ==, dsl_link_get_share_link (link));
}

/* Revoke asks first; "revoke" sends access 0 for exactly that link, and the portal no longer
 * has it; the item's other links stay. */
static void
test_revoke (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslLink) gone = NULL;
  g_autoptr(GPtrArray) remaining = NULL;
  g_autoptr(JsonObject) body = NULL;
  AdwMessageDialog *question;
  GtkWidget *revoke_button;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  find (f, dsl_link_get_share_link (link));
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");
  dsl_sim_clear_requests (sim, NULL);

  revoke_button = dsl_test_get_widget (GTK_WIDGET (f->dialog), "revoke_button");
  g_assert_true (gtk_widget_is_sensitive (revoke_button));
  g_signal_emit_by_name (revoke_button, "clicked");
  dsl_test_run_until (f, message_dialog_shown, NULL);
  question = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Revoke Link?");
  /* nothing is sent before the answer */
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);

  adw_message_dialog_response (question, "revoke");
  dsl_test_run_until (f, revoked_shown, NULL);

  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 1);
  body = dsl_test_request_body (sim, "PUT", "/api/2.0/files/file/401/links");
  g_assert_nonnull (body);
  g_assert_cmpstr (json_object_get_string_member (body, "linkId"), ==, dsl_link_get_id (link));
  g_assert_cmpint (json_object_get_int_member (body, "access"), ==, 0);

  gone = find_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  g_assert_null (gone);
  remaining = list_links (f, DSL_ITEM_KIND_FILE, "401");
  g_assert_cmpuint (remaining->len, ==, 1);
  g_assert_true (dsl_link_get_primary (g_ptr_array_index (remaining, 0)));
  /* a revoked link is not offered again */
  g_assert_false (gtk_widget_is_sensitive (revoke_button));
}

/* Cancelling the question sends nothing. */
static void
test_revoke_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  AdwMessageDialog *question;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  find (f, dsl_link_get_share_link (link));
  dsl_sim_clear_requests (sim, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "links.revoke", "s",
                                             dsl_link_get_id (link)));
  dsl_test_run_until (f, message_dialog_shown, NULL);
  question = find_message_dialog ();
  adw_message_dialog_response (question, "cancel");
  dsl_test_run_for (300);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
  g_assert_false (revoked_shown (f, NULL));
}

/* --- someone else changes the link between the lookup and Revoke (issue 13) --- */

/* The link is deleted by someone else after it was found: Revoke says so plainly and sends
 * nothing. */
static void
test_revoke_gone (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *question;
  const char *said;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  find (f, dsl_link_get_share_link (link));
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");

  dsl_sim_delete_link (sim, dsl_link_get_id (link), &error);
  g_assert_no_error (error);
  dsl_sim_clear_requests (sim, NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "links.revoke", "s",
                                             dsl_link_get_id (link)));
  dsl_test_run_until (f, message_dialog_shown, NULL);
  question = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Revoke Link?");
  adw_message_dialog_response (question, "revoke");
  dsl_test_run_until (f, revoked_shown, NULL);

  said = gtk_label_get_text (GTK_LABEL (dsl_test_get_widget (GTK_WIDGET (f->dialog),
                                                             "revoked_label")));
  g_test_message ("said: %s", said);
  g_assert_nonnull (strstr (said, "removed by someone else"));
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
  /* nothing left to revoke or copy */
  g_assert_false (gtk_widget_is_sensitive (dsl_test_get_widget (GTK_WIDGET (f->dialog),
                                                                "revoke_button")));
}

/* An expired link found, then extended by someone else before "Remove": not removed; the
 * dialog says why and shows the link as it is now. */
static void
test_remove_extended (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslLink) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_days (now, -2);
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 9);
  g_autofree char *past_iso = g_date_time_format_iso8601 (past);
  g_autofree char *later_iso = g_date_time_format_iso8601 (later);
  g_autofree char *expire = g_strdup_printf ("{\"expirationDate\":\"%s\"}", past_iso);
  g_autofree char *extend = g_strdup_printf ("{\"expirationDate\":\"%s\"}", later_iso);
  AdwMessageDialog *question;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  dsl_sim_change_link (sim, dsl_link_get_id (link), expire, &error);
  g_assert_no_error (error);
  find (f, dsl_link_get_share_link (link));
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");
  g_assert_cmpstr (notice (f), ==, "This link has expired: it no longer opens.");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "links.revoke", "s",
                                             dsl_link_get_id (link)));
  dsl_test_run_until (f, message_dialog_shown, NULL);
  question = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, "Remove Expired Link?");

  /* Someone extends it while the question is open. */
  dsl_sim_change_link (sim, dsl_link_get_id (link), extend, &error);
  g_assert_no_error (error);
  dsl_sim_clear_requests (sim, NULL);
  adw_message_dialog_response (question, "revoke");
  dsl_test_run_until (f, message_shown, NULL);

  g_test_message ("said: %s", dsl_find_link_dialog_get_message (f->dialog));
  g_assert_nonnull (strstr (dsl_find_link_dialog_get_message (f->dialog),
                            "extended this link"));
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
  after = find_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  g_assert_nonnull (after);
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (after)), ==,
                   g_date_time_to_unix (later));
  /* the result shows it as it is now: no longer expired, Revoke offered with its own words */
  g_assert_null (notice (f));
  g_assert_false (revoked_shown (f, NULL));
}

/* A share URL of another portal: said at once, nothing scanned, the text kept. */
static void
test_other_portal (Fixture       *f,
                   gconstpointer  data)
{
  const char *url = "https://docspace.example.org/s/AbC123";

  if (skip ())
    return;

  dsl_sim_clear_requests (sim, NULL);
  find (f, url);
  dsl_test_run_until (f, message_shown, NULL);
  g_assert_nonnull (strstr (dsl_find_link_dialog_get_message (f->dialog), "another portal"));
  g_assert_nonnull (strstr (dsl_find_link_dialog_get_message (f->dialog),
                            "docspace.example.org"));
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "hint");
  g_assert_null (dsl_find_link_dialog_get_result (f->dialog));
  g_assert_cmpstr (entry_text (f), ==, url);
  g_assert_false (scan_ran ());
}

/* Text that is no share URL at all. */
static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = NULL;

  if (skip ())
    return;

  url = g_strdup_printf ("%s/rooms", dsl_sim_get_url (sim));
  find (f, url);
  dsl_test_run_until (f, message_shown, NULL);
  g_assert_nonnull (strstr (dsl_find_link_dialog_get_message (f->dialog),
                            "is not a share link"));
  g_assert_cmpstr (entry_text (f), ==, url);

  /* typing clears the message about the old text */
  gtk_editable_set_text (GTK_EDITABLE (dsl_test_get_widget (GTK_WIDGET (f->dialog),
                                                            "url_entry")), "x");
  g_assert_null (dsl_find_link_dialog_get_message (f->dialog));
}

/* A well-formed /s/ URL of this portal that is no link: the whole portal is read, then "not
 * found"; Search Again reads it again. */
static void
test_bogus_code (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *url = NULL;
  const char *text;
  guint rooms_reads;

  if (skip ())
    return;

  url = g_strdup_printf ("%s/s/NoSuchCode", dsl_sim_get_url (sim));
  dsl_sim_clear_requests (sim, NULL);
  find (f, url);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "not-found");
  g_assert_null (dsl_find_link_dialog_get_result (f->dialog));
  /* the portal sends an unknown code to its start page: said without reading every link */
  text = not_found_text (f);
  g_assert_cmpstr (text, ==, "The portal does not know this short link.");
  g_assert_false (scan_ran ());

  /* Search Again reads the portal's links. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "find-link.rescan", NULL));
  dsl_test_run_until (f, settled, NULL);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "not-found");
  text = not_found_text (f);
  g_assert_true (g_str_has_prefix (text, "None of the links you manage"));
  rooms_reads = dsl_sim_count_requests (sim, "GET", "/api/2.0/files/rooms");
  g_assert_cmpuint (rooms_reads, >=, 1);

  /* ...and again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "find-link.rescan", NULL));
  dsl_test_run_until (f, settled, NULL);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "not-found");
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/rooms"), >,
                    rooms_reads);
}

/* Cancel while the scan runs: the scan stops and the dialog says so. */
static void
test_cancel_scan (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *url = NULL;
  const char *text;

  if (skip ())
    return;

  /* A key the portal cannot tell about (a broken answer): the dialog reads every link. */
  g_assert_true (dsl_sim_set_faults (sim, "malformed,path=/api/2.0/files/share", NULL));
  url = g_strdup_printf ("%s/rooms/share?key=NoSuchKey", dsl_sim_get_url (sim));
  f->dialog = dsl_window_find_link (f->window, url);
  dsl_test_run_until (f, state_is, "scanning");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog), "find-link.cancel", NULL));
  dsl_test_run_until (f, settled, NULL);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "not-found");
  text = gtk_label_get_text (GTK_LABEL (dsl_test_get_widget (GTK_WIDGET (f->dialog),
                                                             "not_found_label")));
  g_assert_true (g_str_has_prefix (text, "The search was cancelled"));
}

/* The window's menu and shortcut reach the dialog. */
static void
test_window_action (Fixture       *f,
                    gconstpointer  data)
{
  GtkWindow *found;

  if (skip ())
    return;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.find-link", NULL));
  found = dsl_test_find_window (DSL_TYPE_FIND_LINK_DIALOG);
  g_assert_nonnull (found);
  g_assert_true (gtk_window_get_transient_for (found) == GTK_WINDOW (f->window));
  f->dialog = DSL_FIND_LINK_DIALOG (found);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "hint");
  /* the same dialog again, not a second one */
  g_assert_true (dsl_window_find_link (f->window, NULL) == f->dialog);
}

/* A URL given before the account has its client (a start from the command line) waits, then
 * resolves once the window is signed in. */
static void
test_waits_for_sign_in (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GSettings) settings = NULL;
  DslWindow *window;
  GtkWidget *page;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  /* a second, signed-out window (its own monitor: no application) */
  settings = g_settings_new (BASE_APP_ID);
  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "last-account");
  window = dsl_window_new (NULL, NULL, dsl_sim_get_url (sim));
  gtk_window_present (GTK_WINDOW (window));

  f->dialog = dsl_window_find_link (window, dsl_link_get_share_link (link));
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "waiting");
  g_assert_null (dsl_find_link_dialog_get_message (f->dialog));

  page = dsl_test_get_widget (GTK_WIDGET (window), "sign_in_page");
  dsl_sign_in_page_set_use_password (DSL_SIGN_IN_PAGE (page), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (dsl_test_get_widget (page, "key_entry")), OWNER_KEY);
  g_assert_true (gtk_widget_activate_action (page, "sign-in.sign-in", NULL));
  dsl_test_run_until (f, settled, NULL);

  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");
  g_assert_cmpstr (dsl_link_get_id (dsl_link_scan_row_get_link (
                     dsl_find_link_dialog_get_result (f->dialog))), ==, dsl_link_get_id (link));
  gtk_window_destroy (GTK_WINDOW (window));
  f->dialog = NULL;
}

/* Opened with a share URL of this portal on the clipboard, the entry holds it (not yet looked
 * up); anything else on the clipboard is left alone. */
static void
test_prefill_from_clipboard (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  GdkClipboard *clipboard;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_ROOM, "101", "Partners");
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  gdk_clipboard_set_text (clipboard, "https://elsewhere.example.org/s/AbC123");
  f->dialog = dsl_window_find_link (f->window, NULL);
  dsl_test_run_for (300);
  g_assert_cmpstr (entry_text (f), ==, "");
  gtk_window_destroy (GTK_WINDOW (f->dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  gdk_clipboard_set_text (clipboard, dsl_link_get_share_link (link));
  f->dialog = dsl_window_find_link (f->window, NULL);
  dsl_test_run_for (300);
  g_assert_cmpstr (entry_text (f), ==, dsl_link_get_share_link (link));
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "hint");
}

static gboolean
is_item_tree (GtkWidget *widget, gconstpointer data)
{
  return DSL_IS_ITEM_TREE (widget);
}

static gboolean
tree_selected (Fixture *f, gconstpointer id)
{
  DslItemTree *tree = DSL_ITEM_TREE (dsl_test_find_descendant (GTK_WIDGET (f->window),
                                                               is_item_tree, NULL));
  DslItem *item = dsl_item_tree_get_selected_item (tree);

  return item != NULL && g_strcmp0 (dsl_item_get_id (item), id) == 0;
}

/* "Show in Tree" selects the found item in the window, expanding the folders above it. */
static void
test_show_in_tree (Fixture       *f,
                   gconstpointer  data)
{
  struct { DslItemKind kind; const char *id; const char *title; } cases[] = {
    { DSL_ITEM_KIND_FILE, "301", "View only, no download" },   /* Rooms › Marketing › … › 2026 */
    { DSL_ITEM_KIND_FILE, "401", "Download blocked" },         /* My documents */
    { DSL_ITEM_KIND_ROOM, "101", "Partners" },
  };

  if (skip ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DslLink) link = get_link (f, cases[i].kind, cases[i].id, cases[i].title);

      g_test_message ("show %s in the tree", cases[i].id);
      find (f, dsl_link_get_share_link (link));
      g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");
      g_assert_false (tree_selected (f, cases[i].id));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->dialog),
                                                 "find-link.show-in-tree", NULL));
      dsl_test_run_until (f, tree_selected, cases[i].id);
    }
}

/* --- long forms, statuses, other hosts (issue 12 rule 8) --- */

typedef struct {
  GMainLoop *loop;
  DslLink   *link;
  GError    *error;
} PrimaryResult;

static void
primary_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  PrimaryResult *r = user_data;

  r->link = dsl_client_get_primary_link_finish (DSL_CLIENT (object), result, &r->error);
  g_main_loop_quit (r->loop);
}

/* The primary link of a file (created when missing). */
static DslLink *
primary_link (Fixture    *f,
              const char *id)
{
  PrimaryResult r = { g_main_loop_new (NULL, FALSE), NULL, NULL };

  dsl_client_get_primary_link_async (f->client, DSL_ITEM_KIND_FILE, id, NULL, NULL, primary_cb,
                                     &r);
  g_main_loop_run (r.loop);
  g_main_loop_unref (r.loop);
  g_assert_no_error (r.error);
  return r.link;
}

/* Pastes `url` and checks that the result is `link` of item `id`, found with one GET
 * files/share/{key} and no scan. */
static void
assert_resolves (Fixture    *f,
                 const char *url,
                 const char *id,
                 DslLink    *link)
{
  DslLinkScanRow *row;

  g_test_message ("paste %s", url);
  dsl_sim_clear_requests (sim, NULL);
  find (f, url);
  g_assert_null (dsl_find_link_dialog_get_message (f->dialog));
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");
  row = dsl_find_link_dialog_get_result (f->dialog);
  g_assert_cmpstr (dsl_item_get_id (dsl_link_scan_row_get_item (row)), ==, id);
  g_assert_cmpstr (dsl_link_get_id (dsl_link_scan_row_get_link (row)), ==,
                   dsl_link_get_id (link));
  g_assert_cmpuint (count_share_requests (dsl_link_get_request_token (link)), ==, 1);
  g_assert_false (scan_ran ());
  g_assert_cmpstr (subtitle (f, "url_row"), ==, dsl_link_get_share_link (link));
  /* what was pasted stays */
  g_assert_cmpstr (entry_text (f), ==, url);
}

/* Every long form the browser shows after opening a short link resolves, each with one key
 * request and no scan: the editor, the download handler, the media preview, a folder's and a
 * room's form, and the form a short link redirects to. */
static void
test_long_forms (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(DslLink) doc = NULL;
  g_autoptr(DslLink) image = NULL;
  g_autoptr(DslLink) folder = NULL;
  g_autoptr(DslLink) room = NULL;
  const char *base;

  if (skip ())
    return;

  base = dsl_sim_get_url (sim);
  doc = get_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  image = primary_link (f, "311");
  folder = get_link (f, DSL_ITEM_KIND_FOLDER, "501", "Shared link");
  room = get_link (f, DSL_ITEM_KIND_ROOM, "102", "Journalists");

  {
    g_autofree char *url = g_strdup_printf ("%s/doceditor?fileid=401&share=%s", base,
                                            dsl_link_get_request_token (doc));
    assert_resolves (f, url, "401", doc);
    dsl_test_run_until (f, location_shown, NULL);
    g_assert_cmpstr (subtitle (f, "item_row"), ==, "My documents");
  }
  {
    g_autofree char *url = g_strdup_printf ("%s/doceditor?fileid=401&action=view&share=%s",
                                            base, dsl_link_get_request_token (doc));
    assert_resolves (f, url, "401", doc);
  }
  {
    g_autofree char *url = g_strdup_printf ("%s/filehandler.ashx?action=download&fileid=401"
                                            "&share=%s", base,
                                            dsl_link_get_request_token (doc));
    assert_resolves (f, url, "401", doc);
  }
  {
    g_autofree char *url = g_strdup_printf ("%s/share/preview/311?share=%s", base,
                                            dsl_link_get_request_token (image));
    assert_resolves (f, url, "311", image);
  }
  {
    g_autofree char *url = g_strdup_printf ("%s/rooms/share?key=%s&folder=501", base,
                                            dsl_link_get_request_token (folder));
    assert_resolves (f, url, "501", folder);
  }
  {
    g_autofree char *url = g_strdup_printf ("%s/rooms/share?key=%s", base,
                                            dsl_link_get_request_token (room));
    assert_resolves (f, url, "102", room);
  }
}

/* The long form the simulator's /s/ redirects to, as a browser shows it. */
static char *
long_form_of (DslLink *link)
{
  g_autoptr(GUri) uri = g_uri_parse (dsl_link_get_share_link (link), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GHashTable) headers = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", dsl_link_get_share_link (link));
  g_autoptr(GBytes) body = NULL;

  soup_session_set_proxy_resolver (session, NULL);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  return g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Location"));
}

/* An expired link is said to be expired (the portal answers Expired for its key). */
static void
test_expired (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  g_autofree char *url = NULL;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_ROOM, "101", "Old preview");
  url = long_form_of (link);
  g_assert_nonnull (strstr (url, "/rooms/share?key="));
  find (f, url);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "not-found");
  g_assert_nonnull (strstr (not_found_text (f),
                            "This link has expired"));
  g_assert_null (dsl_find_link_dialog_get_result (f->dialog));
  g_assert_cmpstr (entry_text (f), ==, url);
}

/* A deleted link: its long form and its short link (which still redirects) are said to be
 * invalid. */
static void
test_deleted (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  guint status;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  url = long_form_of (link);
  body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0}", dsl_link_get_id (link));
  status = dsl_sim_http (sim, "PUT", "/api/2.0/files/file/401/links", "Bearer " OWNER_KEY,
                         body, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);

  find (f, url);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "not-found");
  g_assert_true (g_str_has_prefix (not_found_text (f),
                                   "This link does not work"));

  find (f, dsl_link_get_share_link (link));
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "not-found");
  g_assert_true (g_str_has_prefix (not_found_text (f),
                                   "This link does not work"));
  g_assert_false (scan_ran ());
}

/* A file's password link: the portal answers RequiredPassword without the link id; the link is
 * found among the file's links by its key, and the password is said. */
static void
test_password_file (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *url = NULL;
  JsonObject *shared;
  guint status;

  if (skip ())
    return;

  status = dsl_sim_http (sim, "PUT", "/api/2.0/files/file/402/links", "Bearer " OWNER_KEY,
                         "{\"access\":2,\"title\":\"Locked\",\"password\":\"Secret123\"}",
                         &answer, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             g_bytes_get_size (answer), NULL));
  shared = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                   "response"), "sharedLink");
  url = g_strdup_printf ("%s/doceditor?fileid=402&share=%s", dsl_sim_get_url (sim),
                         json_object_get_string_member (shared, "requestToken"));

  find (f, url);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");
  g_assert_cmpstr (subtitle (f, "title_row"), ==, "Locked");
  g_assert_cmpstr (subtitle (f, "password_row"), ==, "Yes");
  g_assert_nonnull (notice (f));
  g_assert_nonnull (strstr (notice (f),
                            "protected by a password"));
  /* the password itself is never shown */
  g_assert_null (strstr (notice (f), "Secret123"));
}

/* A long form on another host is another portal's: said at once, nothing asked. */
static void
test_other_portal_long (Fixture       *f,
                        gconstpointer  data)
{
  const char *url = "https://elsewhere.example.org/doceditor?fileid=12&share=AbCdEf";

  if (skip ())
    return;

  dsl_sim_clear_requests (sim, NULL);
  find (f, url);
  dsl_test_run_until (f, message_shown, NULL);
  g_assert_nonnull (strstr (dsl_find_link_dialog_get_message (f->dialog), "another portal"));
  g_assert_nonnull (strstr (dsl_find_link_dialog_get_message (f->dialog),
                            "elsewhere.example.org"));
  g_assert_cmpstr (entry_text (f), ==, url);
  g_assert_false (scan_ran ());
}

/* A URL shortener on another host (Bitly, say): /<code> redirects to where the test says. */
typedef struct {
  SoupServer *server;
  char       *base;
  GHashTable *targets;   /* "/<code>" -> Location */
  guint       hits;
  gboolean    saw_credentials;
} Shortener;

static void
shortener_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Shortener *s = user_data;
  const char *target = g_hash_table_lookup (s->targets, path);

  s->hits++;
  if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                    "Authorization") != NULL)
    s->saw_credentials = TRUE;
  if (target != NULL)
    soup_server_message_set_redirect (msg, 301, target);
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static Shortener *
shortener_new (void)
{
  Shortener *s = g_new0 (Shortener, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  s->server = soup_server_new (NULL, NULL);
  s->targets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_server_add_handler (s->server, NULL, shortener_cb, s, NULL);
  g_assert_true (soup_server_listen_local (s->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (s->server);
  /* "localhost", so the host differs from the simulator's 127.0.0.1 */
  s->base = g_strdup_printf ("http://localhost:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return s;
}

static void
shortener_free (Shortener *s)
{
  soup_server_disconnect (s->server);
  g_object_unref (s->server);
  g_hash_table_unref (s->targets);
  g_free (s->base);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Shortener, shortener_free)

static char *
shortener_add (Shortener  *s,
               const char *code,
               const char *target)
{
  g_hash_table_replace (s->targets, g_strconcat ("/", code, NULL), g_strdup (target));
  return g_strdup_printf ("%s/%s", s->base, code);
}

/* A link of the portal's URL shortener resolves (its redirect leads to this portal's long
 * form); one that leads to another portal, or to no share link, is said to. */
static void
test_shortener (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(Shortener) shortener = NULL;
  g_autoptr(DslLink) link = NULL;
  g_autofree char *long_url = NULL;
  g_autofree char *to_portal = NULL;
  g_autofree char *to_short = NULL;
  g_autofree char *to_other = NULL;
  g_autofree char *to_nothing = NULL;
  g_autofree char *portal_short = NULL;

  if (skip ())
    return;

  shortener = shortener_new ();
  link = get_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  long_url = long_form_of (link);
  to_portal = shortener_add (shortener, "3AbCdE", long_url);
  portal_short = g_strdup (dsl_link_get_share_link (link));
  to_short = shortener_add (shortener, "4ToShort", portal_short);
  to_other = shortener_add (shortener, "5Other",
                            "https://elsewhere.example.org/doceditor?fileid=1&share=Zz");
  to_nothing = shortener_add (shortener, "6Nothing", "https://www.example.org/welcome");

  assert_resolves (f, to_portal, "401", link);
  g_assert_false (shortener->saw_credentials);

  /* shortener → the portal's /s/ → its long form */
  assert_resolves (f, to_short, "401", link);

  find (f, to_other);
  dsl_test_run_until (f, message_shown, NULL);
  g_assert_nonnull (strstr (dsl_find_link_dialog_get_message (f->dialog), "another portal"));
  g_assert_nonnull (strstr (dsl_find_link_dialog_get_message (f->dialog),
                            "elsewhere.example.org"));
  g_assert_cmpstr (entry_text (f), ==, to_other);

  find (f, to_nothing);
  dsl_test_run_until (f, message_shown, NULL);
  g_assert_cmpstr (dsl_find_link_dialog_get_message (f->dialog), ==,
                   "This link does not lead to a share link of this portal.");
  g_assert_false (shortener->saw_credentials);
}

/* When the portal cannot tell about a key (an older server, a broken answer), the scan finds
 * the link by its requestToken. */
static void
test_falls_back_to_scan (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(DslLink) link = NULL;
  g_autofree char *url = NULL;

  if (skip ())
    return;

  link = get_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  url = long_form_of (link);
  g_assert_true (dsl_sim_set_faults (sim, "malformed,path=/api/2.0/files/share", NULL));
  dsl_sim_clear_requests (sim, NULL);
  find (f, url);
  g_assert_cmpstr (dsl_find_link_dialog_get_state (f->dialog), ==, "result");
  g_assert_cmpstr (dsl_link_get_id (dsl_link_scan_row_get_link (
                     dsl_find_link_dialog_get_result (f->dialog))), ==, dsl_link_get_id (link));
  g_assert_cmpuint (count_share_requests (dsl_link_get_request_token (link)), ==, 1);
  /* the scan found it (and goes on reading the rest of the portal) */
  dsl_test_run_until (f, scan_ran_p, NULL);
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

#define ADD(path, func) \
  g_test_add ("/dsl/ui/find-link/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("short-url", test_short_url);
  ADD ("room-url", test_room_url);
  ADD ("copy", test_copy);
  ADD ("revoke", test_revoke);
  ADD ("revoke-cancelled", test_revoke_cancelled);
  ADD ("revoke-gone", test_revoke_gone);
  ADD ("remove-extended", test_remove_extended);
  ADD ("other-portal", test_other_portal);
  ADD ("malformed", test_malformed);
  ADD ("bogus-code", test_bogus_code);
  ADD ("cancel-scan", test_cancel_scan);
  ADD ("window-action", test_window_action);
  ADD ("waits-for-sign-in", test_waits_for_sign_in);
  ADD ("prefill-from-clipboard", test_prefill_from_clipboard);
  ADD ("show-in-tree", test_show_in_tree);
  ADD ("long-forms", test_long_forms);
  ADD ("expired", test_expired);
  ADD ("deleted", test_deleted);
  ADD ("password-file", test_password_file);
  ADD ("other-portal-long", test_other_portal_long);
  ADD ("shortener", test_shortener);
  ADD ("falls-back-to-scan", test_falls_back_to_scan);
#undef ADD

  status = g_test_run ();
  dsl_sim_stop (sim);
  return status;
}

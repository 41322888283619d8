/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-link-panel.c: DslLinkPanel and DslLinkRow in a real window against docspace-sim.
 *
 *   GtkWindow ─ AdwToastOverlay ─ DslLinkPanel ──DslClient──▶ docspace-sim (request log asserted)
 *                                   ├ list (GtkListBox of DslLinkRow), read back as shown
 *                                   └ invitation_list (rooms)
 *
 * Seed data: tests/sim/README.md (401 "Q3 report.docx": primary + "Download blocked"; 402
 * "Notes.txt": no links; 101 "Marketing": four external links and an invitation link; 102
 * "Press Kit": a public room; 104 "Engineering": a collaboration room; 106 "Full Room": at its
 * link limit). Needs a display (build-aux/run-tests.sh provides Xvfb); without one every case
 * is a TAP SKIP. */
#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dsl-link-form.h"
#include "dsl-link-panel.h"
#include "dsl-link-row.h"
#include "dsl-sim-fixture.h"
#include "dsl-test-util.h"
#include "dsl-ui-util.h"

#define OWNER_KEY "sk-demo-owner"

static gboolean have_display;
static DslSim *sim;

typedef struct {
  DslClient       *client;
  GtkWindow       *window;
  AdwToastOverlay *overlay;
  DslLinkPanel    *panel;
  guint            changed;   /* "links-changed" emissions */
} Fixture;

/* --- finding things --- */

static gboolean
is_label_starting (GtkWidget     *widget,
                   gconstpointer  prefix)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix);
}

/* A visible GtkLabel below `root` whose text starts with `prefix` (toasts, messages). */
static GtkLabel *
find_label (GtkWidget  *root,
            const char *prefix)
{
  return (GtkLabel *) dsl_test_find_descendant (root, is_label_starting, prefix);
}

static const char *
page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (dsl_test_get_widget (GTK_WIDGET (f->panel),
                                                                           "stack")));
}

/* The DslLinkRows of a list box, in order (borrowed). */
static GPtrArray *
rows_of (Fixture    *f,
         const char *list_id)
{
  GtkWidget *list = dsl_test_get_widget (GTK_WIDGET (f->panel), list_id);
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (DSL_IS_LINK_ROW (child))
      g_ptr_array_add (rows, child);
  return rows;
}

static DslLinkRow *
find_row (Fixture    *f,
          const char *title)
{
  g_autoptr(GPtrArray) rows = rows_of (f, "list");

  for (guint i = 0; i < rows->len; i++)
    {
      DslLinkRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (dsl_link_get_title (dsl_link_row_get_link (row)), title) == 0)
        return row;
    }
  return NULL;
}

static DslLinkRow *
get_row (Fixture    *f,
         const char *title)
{
  DslLinkRow *row = find_row (f, title);

  g_assert_nonnull (row);
  return row;
}

static char *
titles (Fixture    *f,
        const char *list_id)
{
  g_autoptr(GPtrArray) rows = rows_of (f, list_id);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      DslLink *link = dsl_link_row_get_link (g_ptr_array_index (rows, i));

      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append (text, dsl_link_get_title (link));
    }
  return g_string_free (text, FALSE);
}

static gboolean
widget_visible (DslLinkRow *row,
                const char *id)
{
  return gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (row), id));
}

/* The text of the label `id` in `row`. */
static const char *
row_label_text (DslLinkRow *row,
                const char *id)
{
  return gtk_label_get_text (GTK_LABEL (dsl_test_get_widget (GTK_WIDGET (row), id)));
}

static AdwMessageDialog *
find_dialog (void)
{
  return (AdwMessageDialog *) dsl_test_find_window (ADW_TYPE_MESSAGE_DIALOG);
}

/* --- predicates --- */

static gboolean
settled (Fixture *f, gconstpointer data)
{
  return !dsl_link_panel_get_loading (f->panel) && g_strcmp0 (page (f), "loading") != 0;
}

static gboolean
page_is (Fixture *f, gconstpointer name)
{
  return settled (f, NULL) && g_strcmp0 (page (f), name) == 0;
}

static gboolean
dialog_shown (Fixture *f, gconstpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
row_gone (Fixture *f, gconstpointer title)
{
  return find_row (f, title) == NULL && settled (f, NULL);
}

static gboolean
row_has_error (Fixture *f, gconstpointer title)
{
  DslLinkRow *row = find_row (f, title);

  return row != NULL && !dsl_link_row_get_busy (row) && dsl_link_row_get_error (row) != NULL;
}

static gboolean
label_shown (Fixture *f, gconstpointer prefix)
{
  return find_label (GTK_WIDGET (f->window), prefix) != NULL;
}

static gboolean
changed_once (Fixture *f, gconstpointer data)
{
  return f->changed > 0 && settled (f, NULL);
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

/* The item as the tree would have it (read before the request log is cleared). */
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

/* Shows `id` in the panel and waits for its links; the request log then holds only them. */
static DslItem *
show_item (Fixture     *f,
           DslItemKind  kind,
           const char  *id)
{
  g_autoptr(GError) error = NULL;
  DslItem *item = fetch_item (f, kind, id);

  dsl_sim_clear_requests (sim, &error);
  g_assert_no_error (error);
  dsl_link_panel_set_item (f->panel, item);
  dsl_test_run_until (f, settled, NULL);
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

/* A change reads the links again before it writes (dsl-link-ops): the fault a test stages for
 * the write must spare that read. hold_reread holds the next read of `path` back for 400 ms
 * and returns the reads so far; fault_write waits until the read came in and then sets
 * `profile`, which the write that follows meets. */
static guint
hold_reread (const char *path)
{
  g_autofree char *profile = g_strdup_printf ("latency=400,count=1,path=%s", path);

  set_faults (profile);
  return count ("GET", path);
}

typedef struct {
  const char *path;
  guint       reads;
} Reads;

static gboolean
reread_came (Fixture *f, gconstpointer data)
{
  const Reads *r = data;

  return count ("GET", r->path) > r->reads;
}

static void
fault_write (Fixture    *f,
             const char *path,
             guint       reads,
             const char *profile)
{
  Reads r = { path, reads };

  dsl_test_run_until (f, reread_came, &r);
  set_faults (profile);
}

static char *
clipboard_text (Fixture *f)
{
  return dsl_test_read_clipboard (GTK_WIDGET (f->panel));
}

static void
activate_on_link (Fixture    *f,
                  const char *action,
                  DslLinkRow *row)
{
  const char *id = dsl_link_get_id (dsl_link_row_get_link (row));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), action, "s", id));
}

/* --- fixture --- */

static void
on_links_changed (Fixture *f)
{
  f->changed++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *scrolled;

  if (!have_display)
    return;

  dsl_sim_reset (sim, &error);
  g_assert_no_error (error);

  f->client = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->client, OWNER_KEY);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 420, 720);
  f->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  scrolled = gtk_scrolled_window_new ();
  f->panel = DSL_LINK_PANEL (dsl_link_panel_new ());
  gtk_widget_set_margin_start (GTK_WIDGET (f->panel), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (f->panel), 12);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (f->panel));
  adw_toast_overlay_set_child (f->overlay, scrolled);
  gtk_window_set_child (f->window, GTK_WIDGET (f->overlay));
  g_signal_connect_swapped (f->panel, "links-changed", G_CALLBACK (on_links_changed), f);
  dsl_link_panel_set_client (f->panel, f->client);
  gtk_window_present (f->window);
}

static void
close_dialogs (void)
{
  AdwMessageDialog *dialog;

  while ((dialog = find_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  close_dialogs ();
  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_add_weak_pointer (G_OBJECT (f->client), (gpointer *) &f->client);
  g_object_unref (f->client);
  /* Requests in flight hold the client until they are cancelled and complete. */
  for (guint i = 0; i < 400 && f->client != NULL; i++)
    dsl_test_run_for (5);
  g_assert_null (f->client);
  set_faults ("none");
}

/* --- tests --- */

typedef struct {
  DslUser *user;
  GError  *error;
  gboolean done;
} UserResult;

static void
get_user_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  UserResult *r = user_data;

  r->user = dsl_client_get_self_finish (DSL_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

static gboolean
has_notice (Fixture *f, gconstpointer data)
{
  return dsl_link_panel_get_policy_notice (f->panel) != NULL;
}

/* The portal's sharing policy (issue 17): public links turned off for rooms, existing ones
 * blocked. The room's links carry a notice saying so; a file in My documents does not. */
static void
test_policy_notice (Fixture *f, gconstpointer data)
{
  g_autoptr(DslSession) session = dsl_session_new (NULL, NULL);
  g_autoptr(DslItem) room = NULL;
  g_autoptr(DslItem) file = NULL;
  UserResult r = { 0 };
  const char *notice;

  g_assert_cmpuint (dsl_sim_http (sim, "PUT", "/api/2.0/files/settings/externalsharingsettings",
                                  "Bearer " OWNER_KEY,
                                  "{\"externalShare\":false,\"externalShareApplyToRooms\":true,"
                                  "\"blockExistingLinksOnRestrict\":true}", NULL, NULL), ==, 200);
  dsl_client_get_self_async (f->client, NULL, get_user_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  dsl_session_sign_in (session, f->client, r.user, OWNER_KEY);
  g_clear_object (&r.user);
  dsl_link_panel_set_session (f->panel, session);

  room = show_item (f, DSL_ITEM_KIND_ROOM, "101");
  dsl_test_run_until (f, has_notice, NULL);
  notice = dsl_link_panel_get_policy_notice (f->panel);
  g_assert_nonnull (strstr (notice, "for rooms"));
  g_assert_nonnull (strstr (notice, "existing public links do not open"));

  file = show_item (f, DSL_ITEM_KIND_FILE, "401");
  g_assert_null (dsl_link_panel_get_policy_notice (f->panel));

  dsl_link_panel_set_session (f->panel, NULL);
}

/* A file's links: one request, primary first and marked, the second with its markers. */
static void
test_file_links (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  DslLinkRow *primary, *blocked;
  GtkWidget *expiry;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_FILE, "401");
  g_assert_cmpstr (page (f), ==, "list");
  shown = titles (f, "list");
  g_assert_cmpstr (shown, ==, "Shared link,Download blocked");
  rows = rows_of (f, "list");
  primary = g_ptr_array_index (rows, 0);
  blocked = g_ptr_array_index (rows, 1);

  g_assert_true (dsl_link_get_primary (dsl_link_row_get_link (primary)));
  g_assert_true (widget_visible (primary, "primary_tag"));
  g_assert_false (widget_visible (blocked, "primary_tag"));
  g_assert_true (widget_visible (blocked, "download_icon"));
  g_assert_false (widget_visible (primary, "download_icon"));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (dsl_test_get_widget (GTK_WIDGET (primary),
                                                                           "url_label"))));
  g_assert_cmpstr (row_label_text (primary, "url_label"),
                   ==, dsl_link_get_share_link (dsl_link_row_get_link (primary)));
  g_assert_cmpstr (row_label_text (primary, "expiry_label"), ==, "Never expires");
  expiry = dsl_test_get_widget (GTK_WIDGET (blocked), "expiry_label");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (expiry)), "Expires "));
  g_assert_nonnull (gtk_widget_get_tooltip_text (expiry));
  g_assert_nonnull (strstr (row_label_text (primary, "access_label"), "View only"));
  /* Revoke offered (None is among the file's rights); the owner may edit. */
  g_assert_true (widget_visible (primary, "revoke_button"));
  g_assert_true (widget_visible (blocked, "copy_button"));
  g_assert_false (widget_visible (blocked, "expired_box"));

  /* One request, no invitation group for a file. */
  g_assert_cmpuint (count ("GET", "/api/2.0/files/file/401/links"), ==, 1);
  g_assert_cmpuint (count (NULL, NULL), ==, 1);
  g_assert_false (gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->panel),
                                                               "invitation_group")));
  g_assert_false (dsl_item_get_has_expired_links (item));
}

/* A room: external links in one list, the invitation link apart; two requests. */
static void
test_room_links (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *invitation = NULL;
  DslLinkRow *old, *partners;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "101");
  g_assert_cmpstr (page (f), ==, "list");
  shown = titles (f, "list");
  g_assert_cmpstr (shown, ==, "Shared link,Old preview,Partners,Staff only");
  invitation = titles (f, "invitation_list");
  g_assert_cmpstr (invitation, ==, "Invitation link");
  g_assert_true (gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->panel),
                                                              "invitation_group")));
  g_assert_cmpuint (count ("GET", "/api/2.0/files/rooms/101/links"), ==, 2);
  g_assert_cmpuint (count (NULL, NULL), ==, 2);
  /* The tree's badge: the room has an expired link. */
  g_assert_true (dsl_item_get_has_expired_links (item));

  /* The expired link is dimmed, with Remove and Extend; the others are not. */
  old = get_row (f, "Old preview");
  g_assert_true (widget_visible (old, "expired_box"));
  g_assert_true (widget_visible (old, "remove_button"));
  g_assert_true (widget_visible (old, "extend_button"));
  g_assert_true (gtk_widget_has_css_class (dsl_test_get_widget (GTK_WIDGET (old), "title_label"),
                                           "dim-label"));
  g_assert_true (g_str_has_prefix (row_label_text (old, "expiry_label"), "Expired "));
  partners = get_row (f, "Partners");
  g_assert_false (widget_visible (partners, "expired_box"));
  g_assert_true (widget_visible (partners, "password_icon"));
  g_assert_false (gtk_widget_has_css_class (dsl_test_get_widget (GTK_WIDGET (partners),
                                                                 "title_label"),
                                            "dim-label"));
  g_assert_nonnull (strstr (row_label_text (get_row (f, "Staff only"), "access_label"),
                            "Portal users only"));
}

/* A collaboration room cannot have external links: said so; only its invitation link is read
 * (every room type has one, issue 12 rule 1). */
static void
test_no_links_explained (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  AdwStatusPage *unavailable;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "104");
  g_assert_cmpstr (page (f), ==, "unavailable");
  unavailable = ADW_STATUS_PAGE (dsl_test_get_widget (GTK_WIDGET (f->panel), "unavailable_page"));
  g_assert_nonnull (dsl_link_form_explain_no_links (item));
  g_assert_cmpstr (adw_status_page_get_description (unavailable), ==,
                   dsl_link_form_explain_no_links (item));
  g_assert_nonnull (strstr (adw_status_page_get_description (unavailable), "Collaboration"));
  g_assert_false (gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->panel),
                                                               "add_button")));
  dsl_test_run_for (200);
  g_assert_cmpuint (count ("GET", "/api/2.0/files/rooms/104/links"), ==, 1);
  g_assert_cmpuint (count (NULL, NULL), ==, 1);
}

/* 401's answer is held back; 402 is selected meanwhile: only 402's state shows, before and
 * after 401's answer would have arrived. */
static void
test_stale_answer (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) q3 = NULL;
  g_autoptr(DslItem) notes = NULL;
  g_autoptr(GError) error = NULL;

  if (dsl_test_skip_without_display ())
    return;

  q3 = fetch_item (f, DSL_ITEM_KIND_FILE, "401");
  notes = fetch_item (f, DSL_ITEM_KIND_FILE, "402");
  set_faults ("latency=1500,path=/api/2.0/files/file/401");
  dsl_sim_clear_requests (sim, &error);
  g_assert_no_error (error);

  dsl_link_panel_set_item (f->panel, q3);
  g_assert_true (dsl_link_panel_get_loading (f->panel));
  g_assert_cmpstr (page (f), ==, "loading");
  dsl_test_run_for (50);
  dsl_link_panel_set_item (f->panel, notes);
  dsl_test_run_until (f, page_is, "empty");
  g_assert_true (dsl_link_panel_get_item (f->panel) == notes);

  /* Well past 401's delayed answer. */
  dsl_test_run_for (2500);
  g_assert_cmpstr (page (f), ==, "empty");
  g_assert_false (dsl_link_panel_get_loading (f->panel));
  g_assert_cmpint (gtk_widget_get_first_child (dsl_test_get_widget (GTK_WIDGET (f->panel),
                                                                    "list")) == NULL,
                   ==, TRUE);
  g_assert_null (find_row (f, "Shared link"));
  g_assert_cmpuint (count ("GET", "/api/2.0/files/file/402/links"), ==, 1);
}

/* Copy puts the shareLink on the clipboard and says so; Ctrl+C's copy_primary does too. */
static void
test_copy (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *primary_copied = NULL;
  DslLinkRow *blocked;
  const char *url;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_FILE, "401");
  blocked = get_row (f, "Download blocked");
  url = dsl_link_get_share_link (dsl_link_row_get_link (blocked));
  g_assert_nonnull (url);
  activate_on_link (f, "links.copy", blocked);
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, url);
  dsl_test_run_until (f, label_shown, "Link copied");

  g_assert_true (dsl_link_panel_copy_primary (f->panel));
  primary_copied = clipboard_text (f);
  g_assert_cmpstr (primary_copied, ==,
                   dsl_link_get_share_link (dsl_link_row_get_link (get_row (f, "Shared link"))));
  /* Copying changes nothing on the portal. */
  g_assert_cmpuint (count (NULL, NULL), ==, 1);
}

/* TRUE when the row's menu has an item for `action`. */
static gboolean
menu_has (DslLinkRow *row,
          const char *action)
{
  GtkWidget *button = dsl_test_get_widget (GTK_WIDGET (row), "menu_button");
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  GPtrArray *models = g_ptr_array_new ();
  gboolean found = FALSE;

  g_ptr_array_add (models, menu);
  for (guint m = 0; m < models->len && !found; m++)
    {
      GMenuModel *model = g_ptr_array_index (models, m);

      for (int i = 0; i < g_menu_model_get_n_items (model) && !found; i++)
        {
          g_autofree char *name = NULL;
          GMenuModel *section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

          if (section != NULL)
            {
              g_ptr_array_add (models, section);
              g_object_unref (section);  /* the parent model keeps it */
            }
          if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name))
            found = g_strcmp0 (name, action) == 0;
        }
    }
  g_ptr_array_unref (models);
  return found;
}

/* Copy Password: only in the menu of a link with one; the clipboard gets it. */
static void
test_copy_password (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *copied = NULL;
  DslLinkRow *partners;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "101");
  partners = get_row (f, "Partners");
  g_assert_true (menu_has (partners, "links.copy-password"));
  g_assert_true (menu_has (partners, "links.edit"));
  g_assert_true (menu_has (partners, "links.open"));
  g_assert_false (menu_has (get_row (f, "Staff only"), "links.copy-password"));
  activate_on_link (f, "links.copy-password", partners);
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, "Secret123");
  dsl_test_run_until (f, label_shown, "Password copied");
}

/* What `mime` reads as from the clipboard (a paste of that type), or NULL when not offered. */
typedef struct {
  GInputStream *stream;
  gboolean      done;
} ReadMime;

static void
read_mime_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadMime *r = user_data;

  r->stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (source), result, NULL, NULL);
  r->done = TRUE;
}

static void
splice_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Read asynchronously: a local clipboard's stream is written by this same main loop. */
static char *
stream_text (GInputStream *stream)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  gboolean done = FALSE;

  g_output_stream_splice_async (out, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE,
                                G_PRIORITY_DEFAULT, NULL, splice_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static char *
clipboard_mime (Fixture    *f,
                const char *mime)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->panel));
  const char *mimes[] = { mime, NULL };
  ReadMime r = { 0 };
  char *text;

  gdk_clipboard_read_async (clipboard, mimes, G_PRIORITY_DEFAULT, NULL, read_mime_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  if (r.stream == NULL)
    return NULL;
  text = stream_text (r.stream);
  g_object_unref (r.stream);
  return text;
}

/* Copy as Message and Copy as Rich Link: in every link's menu; what a paste gets. */
static void
test_copy_formats (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *message = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *html = NULL;
  g_autofree char *plain = NULL;
  DslLinkRow *partners;
  DslLink *link;
  GdkContentFormats *formats;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "101");
  partners = get_row (f, "Partners");
  link = dsl_link_row_get_link (partners);
  g_assert_true (menu_has (partners, "links.copy-message"));
  g_assert_true (menu_has (partners, "links.copy-rich"));

  activate_on_link (f, "links.copy-message", partners);
  message = clipboard_text (f);
  expected = dsl_link_format_message (dsl_link_panel_get_item (f->panel), link, now);
  g_assert_cmpstr (message, ==, expected);
  g_assert_nonnull (strstr (message, dsl_link_get_share_link (link)));
  g_assert_nonnull (strstr (message, "The password is sent separately."));
  g_assert_null (strstr (message, "Secret123"));
  dsl_test_run_until (f, label_shown, "Message copied");

  activate_on_link (f, "links.copy-rich", partners);
  formats = gdk_clipboard_get_formats (gtk_widget_get_clipboard (GTK_WIDGET (f->panel)));
  g_assert_true (gdk_content_formats_contain_mime_type (formats, "text/html"));
  html = clipboard_mime (f, "text/html");
  g_assert_nonnull (html);
  g_assert_true (g_str_has_prefix (html, "<a href=\""));
  g_assert_nonnull (strstr (html, dsl_link_get_share_link (link)));
  g_assert_nonnull (strstr (html, ">Marketing — Partners</a>"));
  plain = clipboard_text (f);
  g_assert_cmpstr (plain, ==, dsl_link_get_share_link (link));
  /* Copying changes nothing on the portal. */
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
}

/* Issue 14: a copied password is marked for clipboard managers (x-kde-passwordManagerHint:
 * secret) so that their history does not keep it; the text is the password still. */
static void
test_copy_password_hint (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *hint = NULL;
  g_autofree char *copied = NULL;
  GdkContentFormats *formats;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "101");
  activate_on_link (f, "links.copy-password", get_row (f, "Partners"));
  formats = gdk_clipboard_get_formats (gtk_widget_get_clipboard (GTK_WIDGET (f->panel)));
  g_assert_true (gdk_content_formats_contain_mime_type (formats, "x-kde-passwordManagerHint"));
  hint = clipboard_mime (f, "x-kde-passwordManagerHint");
  g_assert_cmpstr (hint, ==, "secret");
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, "Secret123");
}

/* Issue 14: "Open in Browser" only for a share link on the portal's own origin: a row whose
 * shareLink is a file:, smb: or another host's address has the item insensitive (no such
 * action), and the panel's action refuses it too. */
static void
test_open_only_portal_origin (Fixture *f, gconstpointer data)
{
  static const char * const refused[] = {
    "file:///etc/passwd", "smb://fileserver/share", "https://evil.example/s/AbC",
    "javascript:alert(1)",
  };
  g_autoptr(DslItem) item = dsl_item_new (DSL_ITEM_KIND_FILE, "9001", "R&D <team>.docx");
  g_autofree char *good = NULL;

  /* the simulator runs only with a display */
  if (dsl_test_skip_without_display ())
    return;
  good = g_strdup_printf ("%s/s/AbC123", dsl_sim_get_url (sim));

  for (guint i = 0; i <= G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(DslLink) link = dsl_link_new ();
      GtkWidget *row;

      dsl_link_set_id (link, "crafted");
      dsl_link_set_title (link, "R&D <team>");
      dsl_link_set_share_link (link, i < G_N_ELEMENTS (refused) ? refused[i] : good);
      row = g_object_ref_sink (dsl_link_row_new (item, link));
      /* no portal known: never */
      g_assert_false (menu_has (DSL_LINK_ROW (row), "links.open"));
      dsl_link_row_set_portal_url (DSL_LINK_ROW (row), dsl_sim_get_url (sim));
      g_test_message ("%s", dsl_link_get_share_link (link));
      if (i < G_N_ELEMENTS (refused))
        {
          g_assert_false (menu_has (DSL_LINK_ROW (row), "links.open"));
          g_assert_true (menu_has (DSL_LINK_ROW (row), "links.open-refused"));
        }
      else
        {
          g_assert_true (menu_has (DSL_LINK_ROW (row), "links.open"));
        }
      /* the title is plain text */
      g_assert_cmpstr (row_label_text (DSL_LINK_ROW (row), "title_label"), ==, "R&D <team>");
      g_object_unref (row);
    }
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
label_with_text_shown (Fixture *f, gconstpointer text)
{
  return dsl_test_find_descendant (GTK_WIDGET (f->window), is_label_with_text, text) != NULL;
}

/* Issue 14: a toast (markup in libadwaita 1.2) shows a title from the portal as typed. */
static void
test_plain_toast (Fixture *f, gconstpointer data)
{
  static const char text[] = "R&D <team>: <a href=\"https://evil.example\">click</a>";

  if (dsl_test_skip_without_display ())
    return;

  adw_toast_overlay_add_toast (f->overlay, dsl_plain_toast_new (text));
  dsl_test_run_until (f, label_with_text_shown, text);
}

/* A portal that answers every request with 400 and `message` in the error envelope. */
static void
hostile_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, user_data);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "statusCode");
  json_builder_add_int_value (builder, 400);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, NULL);
  soup_server_message_set_status (msg, 400, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

#define EVIL_MESSAGE "<a href=\"https://evil.example\">Your session expired: click here</a>"

/* Issue 14: the portal's error message is plain text on the links' error page: its tags are
 * shown as typed, not turned into a link. */
static void
test_error_message_plain (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslClient) hostile = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;
  GtkWidget *label;

  if (dsl_test_skip_without_display ())
    return;

  item = fetch_item (f, DSL_ITEM_KIND_FILE, "401");
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, hostile_handler, (gpointer) EVIL_MESSAGE, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  hostile = dsl_client_new (url);
  dsl_client_set_api_key (hostile, OWNER_KEY);

  dsl_link_panel_set_client (f->panel, hostile);
  dsl_link_panel_set_item (f->panel, item);
  dsl_test_run_until (f, page_is, "error");
  label = dsl_test_find_descendant (dsl_test_get_widget (GTK_WIDGET (f->panel), "error_page"),
                                    is_label_starting, "<a href=");
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, EVIL_MESSAGE);

  dsl_link_panel_set_item (f->panel, NULL);
  dsl_link_panel_set_client (f->panel, f->client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (server);
}

/* A copied password leaves the clipboard after the interval, unless something else was copied
 * since (DSL_PASSWORD_CLEAR_SECONDS shortens the minute here). */
static gboolean
clipboard_emptied (Fixture *f, gconstpointer data)
{
  return gdk_clipboard_get_content ((GdkClipboard *) data) == NULL;
}

static void
test_password_cleared (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *kept = NULL;
  GdkClipboard *clipboard;
  DslLinkRow *partners;

  if (dsl_test_skip_without_display ())
    return;

  g_setenv ("DSL_PASSWORD_CLEAR_SECONDS", "1", TRUE);
  item = show_item (f, DSL_ITEM_KIND_ROOM, "101");
  partners = get_row (f, "Partners");
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->panel));

  activate_on_link (f, "links.copy-password", partners);
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, "Secret123");
  /* Not at once; within the interval (g_timeout_add_seconds may fire up to a second late). */
  g_assert_nonnull (gdk_clipboard_get_content (clipboard));
  dsl_test_run_until (f, clipboard_emptied, clipboard);
  g_assert_null (gdk_clipboard_get_content (clipboard));
  g_assert_false (gdk_content_formats_contain_gtype (gdk_clipboard_get_formats (clipboard),
                                                     G_TYPE_STRING));

  /* Something copied after the password stays. Not in the same instant as the emptying: GDK
   * learns of the selection owner changing to None through an X event that comes later, and
   * taken after a new copy it would mark this process's own clipboard as remote (a read
   * through the X server then waits for ever). A person copies again seconds later. */
  dsl_test_run_for (500);
  activate_on_link (f, "links.copy-password", partners);
  activate_on_link (f, "links.copy", partners);
  dsl_test_run_for (2500);
  g_assert_true (gdk_clipboard_is_local (clipboard));
  g_assert_nonnull (gdk_clipboard_get_content (clipboard));
  {
    g_auto(GValue) value = G_VALUE_INIT;

    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (gdk_clipboard_get_content (clipboard),
                                                   &value, NULL));
    kept = g_value_dup_string (&value);
  }
  g_assert_cmpstr (kept, ==, dsl_link_get_share_link (dsl_link_row_get_link (partners)));
  g_unsetenv ("DSL_PASSWORD_CLEAR_SECONDS");
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  gdk_content_provider_write_mime_type_finish (GDK_CONTENT_PROVIDER (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static char *
provider_text (GdkContentProvider *provider,
               const char         *mime)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  gdk_content_provider_write_mime_type_async (provider, mime, out, G_PRIORITY_DEFAULT, NULL,
                                              write_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

/* Dragging a link row out gives the link as text/uri-list and text/plain. */
static void
test_drag (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GdkContentProvider) content = NULL;
  g_autoptr(GdkContentFormats) formats = NULL;
  g_autoptr(GListModel) controllers = NULL;
  g_autofree char *uri_list = NULL;
  g_autofree char *expected = NULL;
  GValue value = G_VALUE_INIT;
  GtkDragSource *source = NULL;
  DslLinkRow *blocked;
  const char *url;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_FILE, "401");
  blocked = get_row (f, "Download blocked");
  url = dsl_link_get_share_link (dsl_link_row_get_link (blocked));

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (blocked));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && source == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DRAG_SOURCE (controller))
        source = GTK_DRAG_SOURCE (controller);
    }
  g_assert_nonnull (source);
  g_assert_cmpint (gtk_drag_source_get_actions (source) & GDK_ACTION_COPY, ==, GDK_ACTION_COPY);

  g_signal_emit_by_name (source, "prepare", 4.0, 4.0, &content);
  g_assert_nonnull (content);
  formats = gdk_content_provider_ref_formats (content);
  g_assert_true (gdk_content_formats_contain_mime_type (formats, "text/uri-list"));
  g_assert_true (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING));
  uri_list = provider_text (content, "text/uri-list");
  expected = g_strconcat (url, "\r\n", NULL);
  g_assert_cmpstr (uri_list, ==, expected);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  g_assert_cmpstr (g_value_get_string (&value), ==, url);
  g_value_unset (&value);
}

/* Create and Copy on an item without links: get-or-create, then the clipboard holds it. */
static void
test_create_and_copy (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *copied = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  DslLink *link;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_FILE, "402");
  g_assert_cmpstr (page (f), ==, "empty");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "links.create-primary", NULL));
  dsl_test_run_until (f, changed_once, NULL);
  dsl_test_run_until (f, page_is, "list");
  rows = rows_of (f, "list");
  g_assert_cmpuint (rows->len, ==, 1);
  link = dsl_link_row_get_link (g_ptr_array_index (rows, 0));
  g_assert_true (dsl_link_get_primary (link));
  copied = clipboard_text (f);
  g_assert_cmpstr (copied, ==, dsl_link_get_share_link (link));
  g_assert_cmpuint (count ("POST", "/api/2.0/files/file/402/link"), ==, 1);
  dsl_test_run_until (f, label_shown, "Link created and copied");
}

/* Revoke: confirmed, the simulator receives access 0 for the link, the row goes. */
static void
test_revoke (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *id = NULL;
  AdwMessageDialog *dialog;
  g_autoptr(JsonObject) body = NULL;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_FILE, "401");
  id = g_strdup (dsl_link_get_id (dsl_link_row_get_link (get_row (f, "Download blocked"))));
  activate_on_link (f, "links.revoke", get_row (f, "Download blocked"));
  dsl_test_run_until (f, dialog_shown, NULL);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Revoke Link?");
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "Anyone using this link will lose access. This cannot be undone.");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "revoke"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  /* Nothing is sent before the answer. */
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
  adw_message_dialog_response (dialog, "revoke");

  dsl_test_run_until (f, row_gone, "Download blocked");
  dsl_test_run_until (f, changed_once, NULL);
  body = dsl_test_request_body (sim, "PUT", "/api/2.0/files/file/401/links");
  g_assert_cmpstr (json_object_get_string_member (body, "linkId"), ==, id);
  g_assert_cmpint (json_object_get_int_member (body, "access"), ==, 0);
  g_assert_cmpuint (count ("PUT", "/api/2.0/files/file/401/links"), ==, 1);
  /* The list was read again from the server and still has the primary link only. */
  dsl_test_run_until (f, page_is, "list");
  g_assert_cmpuint (count ("GET", "/api/2.0/files/file/401/links"), >=, 2);
  g_assert_nonnull (find_row (f, "Shared link"));
  g_assert_null (find_row (f, "Download blocked"));
  dsl_test_run_until (f, label_shown, "Link revoked");
}

/* Issue 12 rule 4: a virtual data room's link is internal and cannot be made public; the
 * delete carries the link's state (internal included), so the portal removes it — a bare
 * {linkId, access: 0} would be answered 200 with the link unchanged. */
static void
test_revoke_vdr (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(JsonObject) body = NULL;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_FILE, "341");
  activate_on_link (f, "links.revoke", get_row (f, "Shared link"));
  dsl_test_run_until (f, dialog_shown, NULL);
  adw_message_dialog_response (find_dialog (), "revoke");
  dsl_test_run_until (f, row_gone, "Shared link");
  body = dsl_test_request_body (sim, "PUT", "/api/2.0/files/file/341/links");
  g_assert_cmpint (json_object_get_int_member (body, "access"), ==, 0);
  g_assert_true (json_object_get_boolean_member (body, "internal"));
  dsl_test_run_until (f, page_is, "empty");
  dsl_test_run_until (f, label_shown, "Link revoked");
}

/* Issue 12 rule 1: every room type has an invitation link, also a collaboration room, which
 * has no external links: its manager sees the invitation section under the explanation. */
static void
test_invitation_in_collaboration_room (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "104");
  g_assert_cmpstr (page (f), ==, "unavailable");
  g_assert_true (gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->panel),
                                                              "invitation_group")));
  g_assert_true (gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->panel),
                                                              "create_invitation_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "links.create-invitation",
                                             NULL));
  dsl_test_run_until (f, label_shown, "Invitation link created");
  g_assert_cmpuint (count ("PUT", "/api/2.0/files/rooms/104/links"), ==, 1);
}

/* Issue 12 rule 3: a form-filling room's file answers shareSettings {"PrimaryExternalLink":1}
 * only: no additional links, said in Add Link's tooltip. */
static void
test_no_additional_links_in_form_room (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  GtkWidget *add;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_FILE, "321");
  add = dsl_test_get_widget (GTK_WIDGET (f->panel), "add_button");
  g_assert_false (gtk_widget_is_sensitive (add));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (add), ==, "This item cannot have additional links");
}

/* Cancel in the dialog sends nothing. */
static void
test_revoke_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_FILE, "401");
  activate_on_link (f, "links.revoke", get_row (f, "Download blocked"));
  dsl_test_run_until (f, dialog_shown, NULL);
  adw_message_dialog_response (find_dialog (), "cancel");
  dsl_test_run_for (300);
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
  g_assert_nonnull (find_row (f, "Download blocked"));
}

/* A failing revoke leaves the row as it was, with the server's message on it. */
static void
test_revoke_fails (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  DslLinkRow *row;
  guint gets;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_FILE, "401");
  gets = hold_reread ("/api/2.0/files/file/401/links");
  activate_on_link (f, "links.revoke", get_row (f, "Download blocked"));
  dsl_test_run_until (f, dialog_shown, NULL);
  adw_message_dialog_response (find_dialog (), "revoke");
  fault_write (f, "/api/2.0/files/file/401/links", gets,
               "error500,path=/api/2.0/files/file/401/links");
  /* the revoke's own read of the current state */
  gets = count ("GET", "/api/2.0/files/file/401/links");

  dsl_test_run_until (f, row_has_error, "Download blocked");
  row = get_row (f, "Download blocked");
  g_assert_nonnull (strstr (dsl_link_row_get_error (row), "The portal answered with an error"));
  g_assert_true (widget_visible (row, "error_label"));
  g_assert_cmpstr (row_label_text (row, "error_label"), ==, dsl_link_row_get_error (row));
  g_assert_false (widget_visible (row, "spinner"));
  g_assert_cmpuint (count ("PUT", "/api/2.0/files/file/401/links"), ==, 1);
  g_assert_cmpuint (f->changed, ==, 0);
  /* Not re-read, not sent again. */
  dsl_test_run_for (300);
  g_assert_cmpuint (count ("GET", "/api/2.0/files/file/401/links"), ==, gets);
  g_assert_cmpuint (count ("PUT", "/api/2.0/files/file/401/links"), ==, 1);
  g_assert_cmpstr (page (f), ==, "list");
}

/* A revoke that times out is resolved by reading the list, never by sending it again. */
static void
test_revoke_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  guint reads;

  if (dsl_test_skip_without_display ())
    return;

  /* Before the first request: libsoup applies it to new connections. */
  dsl_client_set_timeout (f->client, 1);
  item = show_item (f, DSL_ITEM_KIND_FILE, "401");
  reads = hold_reread ("/api/2.0/files/file/401/links");
  activate_on_link (f, "links.revoke", get_row (f, "Download blocked"));
  dsl_test_run_until (f, dialog_shown, NULL);
  adw_message_dialog_response (find_dialog (), "revoke");
  fault_write (f, "/api/2.0/files/file/401/links", reads,
               "stall=2500,count=1,path=/api/2.0/files/file/401/links");

  /* The portal did revoke it (the stalled request was processed): the re-read list shows it. */
  dsl_test_run_until (f, label_shown, "The portal did not answer in time");
  dsl_test_run_until (f, row_gone, "Download blocked");
  dsl_test_run_for (300);
  g_assert_cmpuint (count ("PUT", "/api/2.0/files/file/401/links"), ==, 1);
  g_assert_cmpuint (count ("GET", "/api/2.0/files/file/401/links"), >=, 1);
}

/* A public room's primary link: "revoke" regenerates it, the new link is listed. */
static void
test_regenerate (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *old_id = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  AdwMessageDialog *dialog;
  DslLinkRow *primary;
  DslLink *fresh;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "102");
  rows = rows_of (f, "list");
  primary = g_ptr_array_index (rows, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_true (dsl_link_get_can_revoke (dsl_link_row_get_link (primary)));
  g_assert_true (widget_visible (primary, "revoke_button"));
  old_id = g_strdup (dsl_link_get_id (dsl_link_row_get_link (primary)));
  activate_on_link (f, "links.revoke", primary);
  dsl_test_run_until (f, dialog_shown, NULL);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "Anyone using this link will lose access. A new link replaces it.");
  adw_message_dialog_response (dialog, "revoke");
  dsl_test_run_until (f, changed_once, NULL);
  dsl_test_run_until (f, page_is, "list");

  rows = rows_of (f, "list");
  g_assert_cmpuint (rows->len, ==, 2);
  fresh = dsl_link_row_get_link (g_ptr_array_index (rows, 0));
  g_assert_true (dsl_link_get_primary (fresh));
  g_assert_cmpstr (dsl_link_get_id (fresh), !=, old_id);
  dsl_test_run_until (f, label_shown, "Link revoked. A new link replaces it.");
}

/* Extend an expired link: the full state with a new expiry; the row is not expired after. */
static void
test_extend (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(JsonObject) body = NULL;
  DslLinkRow *row;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "101");
  activate_on_link (f, "links.extend", get_row (f, "Old preview"));
  dsl_test_run_until (f, changed_once, NULL);
  dsl_test_run_until (f, label_shown, "Link extended to ");

  body = dsl_test_request_body (sim, "PUT", "/api/2.0/files/rooms/101/links");
  g_assert_cmpint (json_object_get_int_member (body, "access"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (body, "title"), ==, "Old preview");
  g_assert_true (json_object_has_member (body, "expirationDate"));
  g_assert_cmpint (json_object_get_int_member (body, "linkType"), ==, 1);
  row = get_row (f, "Old preview");
  g_assert_false (widget_visible (row, "expired_box"));
  g_assert_false (dsl_item_get_has_expired_links (item));
  g_assert_true (g_str_has_prefix (row_label_text (row, "expiry_label"), "Expires "));
}

/* A second administrator moved "Old preview"'s expiry after the sidebar showed it: Extend asks,
 * showing both dates, and sends nothing before the answer; "Extend Anyway" extends from the
 * server's expiry, seven days after it. */
static void
test_extend_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) moved = g_date_time_add_days (now, 3);
  g_autoptr(GDateTime) sent = NULL;
  g_autofree char *moved_text = g_date_time_format_iso8601 (moved);
  g_autofree char *change = g_strdup_printf ("{\"expirationDate\": \"%s\"}", moved_text);
  g_autofree char *seen_words = NULL;
  g_autofree char *moved_words = NULL;
  g_autofree char *id = NULL;
  AdwMessageDialog *dialog;
  DslLink *seen;
  GDateTime *current;
  GTimeSpan ahead;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "101");
  seen = dsl_link_row_get_link (get_row (f, "Old preview"));
  id = g_strdup (dsl_link_get_id (seen));
  seen_words = dsl_link_format_exact_date (dsl_link_get_expiration_date (seen));
  dsl_sim_change_link (sim, id, change, &error);
  g_assert_no_error (error);

  activate_on_link (f, "links.extend", get_row (f, "Old preview"));
  dsl_test_run_until (f, dialog_shown, NULL);
  dialog = find_dialog ();
  /* The row shows the server's expiry now; the question names it (as the server has it). */
  current = dsl_link_get_expiration_date (dsl_link_row_get_link (get_row (f, "Old preview")));
  g_assert_cmpint (g_date_time_to_unix (current), ==, g_date_time_to_unix (moved));
  moved_words = dsl_link_format_exact_date (current);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), seen_words));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), moved_words));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "extend"), ==,
                   "_Extend Anyway");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "cancel"), ==, "_Cancel");
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
  g_assert_cmpuint (f->changed, ==, 0);

  adw_message_dialog_response (dialog, "extend");
  dsl_test_run_until (f, changed_once, NULL);
  dsl_test_run_until (f, label_shown, "Link extended to ");
  g_assert_cmpuint (count ("PUT", "/api/2.0/files/rooms/101/links"), ==, 1);
  body = dsl_test_request_body (sim, "PUT", "/api/2.0/files/rooms/101/links");
  g_assert_cmpstr (json_object_get_string_member (body, "linkId"), ==, id);
  sent = g_date_time_new_from_iso8601 (json_object_get_string_member (body, "expirationDate"),
                                       NULL);
  ahead = g_date_time_difference (sent, moved);
  g_assert_cmpint (ahead, >=, 7 * G_TIME_SPAN_DAY - G_TIME_SPAN_MINUTE);
  g_assert_cmpint (ahead, <=, 7 * G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR);
}

/* At the limit "Add Link" is disabled and its tooltip says the limit. */
static void
test_limit (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *tooltip = NULL;
  GtkWidget *add;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "106");
  add = dsl_test_get_widget (GTK_WIDGET (f->panel), "add_button");
  g_assert_true (gtk_widget_get_visible (add));
  g_assert_false (gtk_widget_is_sensitive (add));
  limit = dsl_link_form_describe_limit (item);
  tooltip = g_strdup (gtk_widget_get_tooltip_text (add));
  g_assert_cmpstr (tooltip, ==, limit);

  /* 401 has room for more: enabled. */
  g_clear_object (&item);
  item = show_item (f, DSL_ITEM_KIND_FILE, "401");
  g_assert_true (gtk_widget_is_sensitive (add));
}

/* A failing read shows the server's message and Retry, which reads again. */
static void
test_error_and_retry (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  AdwStatusPage *error_page;

  if (dsl_test_skip_without_display ())
    return;

  item = fetch_item (f, DSL_ITEM_KIND_FILE, "401");
  /* Every attempt fails (the client retries GETs on its own). */
  set_faults ("error500,path=/api/2.0/files/file/401/links");
  dsl_link_panel_set_item (f->panel, item);
  dsl_test_run_until (f, page_is, "error");
  error_page = ADW_STATUS_PAGE (dsl_test_get_widget (GTK_WIDGET (f->panel), "error_page"));
  g_assert_nonnull (strstr (adw_status_page_get_description (error_page),
                            "The portal answered with an error"));
  set_faults ("none");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "links.retry", NULL));
  dsl_test_run_until (f, page_is, "list");
  g_assert_nonnull (find_row (f, "Download blocked"));
}

/* Deleting the room's invitation link, then creating one with defaults. */
static void
test_invitation (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(JsonObject) body = NULL;
  DslLinkRow *row;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_ROOM, "101");
  rows = rows_of (f, "invitation_list");
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  activate_on_link (f, "links.revoke", row);
  dsl_test_run_until (f, dialog_shown, NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (find_dialog ()), ==,
                   "Delete Invitation Link?");
  adw_message_dialog_response (find_dialog (), "revoke");
  dsl_test_run_until (f, changed_once, NULL);
  dsl_test_run_until (f, page_is, "list");
  body = dsl_test_request_body (sim, "PUT", "/api/2.0/files/rooms/101/links");
  g_assert_cmpint (json_object_get_int_member (body, "access"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (body, "linkType"), ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of (f, "invitation_list");
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_true (gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->panel),
                                                              "create_invitation_button")));
  /* External links untouched. */
  shown = titles (f, "list");
  g_assert_cmpstr (shown, ==, "Shared link,Old preview,Partners,Staff only");

  f->changed = 0;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "links.create-invitation",
                                             NULL));
  dsl_test_run_until (f, changed_once, NULL);
  dsl_test_run_until (f, page_is, "list");
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = rows_of (f, "invitation_list");
  g_assert_cmpuint (rows->len, ==, 1);
  g_clear_pointer (&body, json_object_unref);
  body = dsl_test_request_body (sim, "PUT", "/api/2.0/files/rooms/101/links");
  g_assert_cmpint (json_object_get_int_member (body, "linkType"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (body, "access"), ==, 11);
  g_assert_false (json_object_has_member (body, "linkId"));
}

/* After a change the item is read again, so the tree's badges follow. */
static void
test_item_reread (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, DSL_ITEM_KIND_FILE, "402");
  g_assert_false (dsl_item_get_shared_external (item));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->panel), "links.create-primary", NULL));
  dsl_test_run_until (f, changed_once, NULL);
  for (guint i = 0; i < 400 && !dsl_item_get_shared_external (item); i++)
    dsl_test_run_for (10);
  g_assert_true (dsl_item_get_shared_external (item));
  g_assert_cmpuint (count ("GET", "/api/2.0/files/file/402"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  have_display = dsl_test_init_display ();

#define add_test(name, func) \
  g_test_add ("/dsl/ui/link-panel/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  add_test ("file-links", test_file_links);
  add_test ("policy-notice", test_policy_notice);
  add_test ("room-links", test_room_links);
  add_test ("no-links-explained", test_no_links_explained);
  add_test ("stale-answer", test_stale_answer);
  add_test ("copy", test_copy);
  add_test ("copy-password", test_copy_password);
  add_test ("copy-formats", test_copy_formats);
  add_test ("password-cleared", test_password_cleared);
  add_test ("drag", test_drag);
  add_test ("create-and-copy", test_create_and_copy);
  add_test ("copy-password-hint", test_copy_password_hint);
  add_test ("open-only-portal-origin", test_open_only_portal_origin);
  add_test ("error-message-plain", test_error_message_plain);
  add_test ("plain-toast", test_plain_toast);
  add_test ("revoke", test_revoke);
  add_test ("revoke-cancelled", test_revoke_cancelled);
  add_test ("revoke-vdr", test_revoke_vdr);
  add_test ("invitation-in-collaboration-room", test_invitation_in_collaboration_room);
  add_test ("no-additional-links-in-form-room", test_no_additional_links_in_form_room);
  add_test ("revoke-fails", test_revoke_fails);
  add_test ("revoke-timeout", test_revoke_timeout);
  add_test ("regenerate", test_regenerate);
  add_test ("extend", test_extend);
  add_test ("extend-conflict", test_extend_conflict);
  add_test ("limit", test_limit);
  add_test ("error-and-retry", test_error_and_retry);
  add_test ("invitation", test_invitation);
  add_test ("item-reread", test_item_reread);

  if (have_display)
    {
      sim = dsl_sim_start (NULL, &error);
      g_assert_no_error (error);
      dsl_test_set_sim (sim);
    }

  status = g_test_run ();

  g_clear_pointer (&sim, dsl_sim_stop);
  return status;
}

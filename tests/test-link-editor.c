/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-link-editor.c: DslLinkEditor, driven through its widgets against docspace-sim.
 *
 *   parent GtkWindow ─ DslLinkEditor ──DslClient──▶ docspace-sim (request log asserted)
 *                                     └───────────▶ a stub portal (a stricter password policy)
 *
 * Fields are filled with gtk_editable_set_text / adw_combo_row_set_selected / the switches, Save
 * and Generate pressed through their actions, and the main loop iterated until the answer is
 * in. The messages expected come from dsl-link-form itself (the editor must show those).
 * Needs a display (build-aux/run-tests.sh provides Xvfb); without one every case is a TAP SKIP. */
#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <string.h>

#include <glib/gstdio.h>

#include "dsl-link-editor.h"
#include "dsl-link-form.h"
#include "dsl-sim-fixture.h"
#include "dsl-test-util.h"

#define OWNER_KEY "sk-demo-owner"
#define TIMEOUT_MESSAGE \
  "The portal did not answer in time. Check the link list before trying again."

static gboolean have_display;
static DslSim *sim;
/* The password of the case running: no log line may contain it. */
static char *secret;

typedef struct {
  DslClient     *client;
  GtkWindow     *parent;
  DslLinkEditor *editor;     /* weak: NULL once the editor is destroyed */
  guint          saved;
  gboolean       saved_created;
  DslLink       *saved_link;
} Fixture;

/* --- logging: passwords never reach a log --- */

static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (secret != NULL && g_str_equal (fields[i].key, "MESSAGE") &&
        g_strstr_len (fields[i].value, fields[i].length, secret) != NULL)
      g_error ("a log message contains the link's password");

  if ((level & G_LOG_LEVEL_DEBUG) != 0)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
set_secret (const char *password)
{
  g_free (secret);
  secret = g_strdup (password);
}

/* --- finding things --- */

static GtkWidget *
w (Fixture    *f,
   const char *id)
{
  g_assert_nonnull (f->editor);
  return dsl_test_get_widget (GTK_WIDGET (f->editor), id);
}

static const char *
text (Fixture    *f,
      const char *id)
{
  return gtk_editable_get_text (GTK_EDITABLE (w (f, id)));
}

static void
type (Fixture    *f,
      const char *id,
      const char *value)
{
  gtk_editable_set_text (GTK_EDITABLE (w (f, id)), value);
}

/* The error shown under a field (NULL when none is shown). */
static const char *
shown_error (Fixture    *f,
             const char *label_id)
{
  GtkWidget *label = w (f, label_id);

  if (!gtk_widget_get_visible (label))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (label));
}

static const char *
form_message (Fixture *f)
{
  if (!gtk_widget_get_visible (w (f, "message_box")))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (w (f, "message_label")));
}

/* A row saying why it is locked. */
static gboolean
has_subtitle (Fixture    *f,
              const char *id)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (w (f, id)));

  return subtitle != NULL && *subtitle != '\0';
}

static gboolean
save_enabled (Fixture *f)
{
  return gtk_widget_get_sensitive (w (f, "save_button"));
}

static void
press_save (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL));
}

static void
select_preset (Fixture         *f,
               DslExpiryPreset  preset)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (w (f, "expires_row")), preset);
}

static void
set_switch (Fixture    *f,
            const char *id,
            gboolean    active)
{
  gtk_switch_set_active (GTK_SWITCH (w (f, id)), active);
}

/* The message dsl-link-form gives for a bad value, which the editor must show as is. */
static char *
title_message (const char *title)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dsl_link_form_check_title (title, &error));
  return g_strdup (error->message);
}

static char *
expiry_message (GDateTime *expiry)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;

  g_assert_false (dsl_link_form_check_expiry (expiry, now, &error));
  return g_strdup (error->message);
}

static char *
password_message (const char *password)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dsl_link_form_check_password (password, &error));
  return g_strdup (error->message);
}

static char *
format_local (GDateTime *date)
{
  return g_date_time_format (date, "%Y-%m-%d %H:%M");
}

/* Writes the widget as drawn to DSL_ARTIFACTS (else G_TEST_BUILDDIR) for a person to look at. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("DSL_ARTIFACTS");
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  if (dir == NULL)
    dir = g_getenv ("G_TEST_BUILDDIR");
  if (dir == NULL)
    dir = ".";
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);

  /* Nothing to take until the window has drawn its new state (slow under sanitizers). */
  for (guint i = 0; i < 100 && node == NULL; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        dsl_test_run_for (50);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* --- the portal --- */

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (Fixture *f, gconstpointer data)
{
  return *(GAsyncResult * const *) data != NULL;
}

static DslItem *
load_item (Fixture     *f,
           DslItemKind  kind,
           const char  *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DslItem *item;

  dsl_client_get_item_async (f->client, kind, id, NULL, got_result, &result);
  dsl_test_run_until (f, result_ready, &result);
  item = dsl_client_get_item_finish (f->client, result, &error);
  g_assert_no_error (error);
  return item;
}

static GPtrArray *
load_links (Fixture     *f,
            DslItemKind  kind,
            const char  *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *links;

  dsl_client_list_links_async (f->client, kind, id, kind == DSL_ITEM_KIND_ROOM ? 1 : -1,
                               NULL, got_result, &result);
  dsl_test_run_until (f, result_ready, &result);
  links = dsl_client_list_links_finish (f->client, result, &error);
  g_assert_no_error (error);
  return links;
}

/* The link with this title (primary: NULL title = the primary link), a new reference. */
static DslLink *
load_link (Fixture     *f,
           DslItemKind  kind,
           const char  *id,
           const char  *title)
{
  g_autoptr(GPtrArray) links = load_links (f, kind, id);

  for (guint i = 0; i < links->len; i++)
    {
      DslLink *link = g_ptr_array_index (links, i);

      if (title == NULL ? dsl_link_get_primary (link)
                        : g_strcmp0 (dsl_link_get_title (link), title) == 0)
        return g_object_ref (link);
    }
  g_error ("item %s has no link %s", id, title != NULL ? title : "(primary)");
}

/* --- the editor --- */

static void
on_saved (DslLinkEditor *editor,
          DslLink       *stored,
          gboolean       created,
          Fixture       *f)
{
  g_assert_true (DSL_IS_LINK (stored));
  f->saved++;
  f->saved_created = created;
  g_set_object (&f->saved_link, stored);
}

static gboolean
default_name_in (Fixture *f, gconstpointer data)
{
  return g_strcmp0 (text (f, "name_row"), data) == 0;
}

static void
open_editor (Fixture *f,
             DslItem *item,
             DslLink *link)
{
  f->editor = dsl_link_editor_new (f->parent, NULL, f->client, item, link);
  g_object_add_weak_pointer (G_OBJECT (f->editor), (gpointer *) &f->editor);
  g_signal_connect (f->editor, "saved", G_CALLBACK (on_saved), f);
  gtk_window_present (GTK_WINDOW (f->editor));
  dsl_test_run_for (50);
}

static gboolean
not_busy (Fixture *f, gconstpointer data)
{
  gboolean busy = TRUE;

  if (f->editor == NULL)
    return TRUE;
  g_object_get (f->editor, "busy", &busy, NULL);
  return !busy;
}

static gboolean
editor_gone (Fixture *f, gconstpointer data)
{
  return f->editor == NULL;
}

/* Destroys the editor and waits until it is finalized: a request it had in flight holds it
 * until its cancelled answer is in. */
static void
close_editor (Fixture *f)
{
  if (f->editor != NULL)
    gtk_window_destroy (GTK_WINDOW (f->editor));
  dsl_test_run_until (f, editor_gone, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!have_display)
    return;

  dsl_sim_reset (sim, &error);
  g_assert_no_error (error);
  set_secret (NULL);

  f->client = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->client, OWNER_KEY);
  f->parent = GTK_WINDOW (gtk_window_new ());
  gtk_window_present (f->parent);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  close_editor (f);
  gtk_window_destroy (f->parent);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->saved_link);
  g_object_add_weak_pointer (G_OBJECT (f->client), (gpointer *) &f->client);
  g_object_unref (f->client);
  /* Requests in flight hold the client until they are cancelled and complete. */
  for (guint i = 0; i < 200 && f->client != NULL; i++)
    dsl_test_run_for (5);
  g_assert_null (f->client);
  set_secret (NULL);
}

/* --- tests --- */

/* A new link: "Link N" after the item's links, Read, anyone, 7 days, no password. */
static void
test_defaults (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  AdwComboRow *access;
  GtkStringObject *selected;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_editor (f, item, NULL);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->editor)), ==, "New Link");
  g_assert_null (dsl_link_editor_get_link (f->editor));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (f->editor)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (f->editor)) == f->parent);

  /* 401 has its primary link and one additional: the new one is the second. */
  dsl_test_run_until (f, default_name_in, "Link 2");
  access = ADW_COMBO_ROW (w (f, "access_row"));
  selected = GTK_STRING_OBJECT (adw_combo_row_get_selected_item (access));
  g_assert_cmpstr (gtk_string_object_get_string (selected), ==,
                   dsl_link_describe_access (DSL_ACCESS_READ));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (w (f, "internal_switch"))));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (w (f, "expires_row"))), ==,
                    DSL_EXPIRY_PRESET_7_DAYS);
  g_assert_false (gtk_widget_get_visible (w (f, "expiry_date_row")));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (w (f, "password_switch"))));
  g_assert_false (gtk_widget_get_sensitive (w (f, "password_row")));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (w (f, "download_switch"))));
  g_assert_true (gtk_widget_get_sensitive (w (f, "internal_switch")));
  g_assert_true (gtk_widget_get_sensitive (w (f, "download_switch")));
  g_assert_true (save_enabled (f));
  g_assert_null (form_message (f));
  /* Opening sends nothing but the one read. */
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);

  dsl_test_run_for (100);
  save_screenshot (GTK_WIDGET (f->editor), "link-editor-new.png");
}

static void
test_name (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *empty = title_message ("");
  g_autofree char *too_long = NULL;
  g_autofree char *name_256 = g_strnfill (256, 'n');
  g_autofree char *name_255 = g_strnfill (255, 'n');

  if (dsl_test_skip_without_display ())
    return;

  too_long = title_message (name_256);
  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_editor (f, item, NULL);
  dsl_test_run_until (f, default_name_in, "Link 2");

  type (f, "name_row", "");
  g_assert_false (save_enabled (f));
  g_assert_cmpstr (shown_error (f, "name_error"), ==, empty);
  g_assert_true (gtk_widget_has_css_class (w (f, "name_row"), "error"));
  /* Save says why it cannot be pressed. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (w (f, "save_button")), ==, empty);

  type (f, "name_row", "   ");
  g_assert_false (save_enabled (f));
  g_assert_cmpstr (shown_error (f, "name_error"), ==, empty);

  type (f, "name_row", name_256);
  g_assert_false (save_enabled (f));
  g_assert_cmpstr (shown_error (f, "name_error"), ==, too_long);

  /* 255 characters, also when they take more bytes. */
  type (f, "name_row", name_255);
  g_assert_true (save_enabled (f));
  g_assert_null (shown_error (f, "name_error"));
  g_assert_false (gtk_widget_has_css_class (w (f, "name_row"), "error"));
  {
    GString *wide = g_string_new (NULL);

    for (guint i = 0; i < 255; i++)
      g_string_append (wide, "ü");
    type (f, "name_row", wide->str);
    g_assert_true (save_enabled (f));
    g_string_append (wide, "ü");
    type (f, "name_row", wide->str);
    g_assert_false (save_enabled (f));
    g_string_free (wide, TRUE);
  }

  /* Pressing Save while a field is invalid sends nothing. */
  gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL);
  dsl_test_run_for (100);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
}

static void
test_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) past = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) far = g_date_time_add_years (now, 11);
  g_autoptr(GDateTime) soon = g_date_time_add_days (now, 3);
  g_autofree char *past_text = format_local (past);
  g_autofree char *far_text = format_local (far);
  g_autofree char *soon_text = format_local (soon);
  g_autofree char *past_message = expiry_message (past);
  g_autofree char *far_message = expiry_message (far);
  const char *error;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_editor (f, item, NULL);

  /* Presets need no date; Custom shows the entry, filled in with a valid one. */
  select_preset (f, DSL_EXPIRY_PRESET_NEVER);
  g_assert_false (gtk_widget_get_visible (w (f, "expiry_date_row")));
  g_assert_true (save_enabled (f));
  select_preset (f, DSL_EXPIRY_PRESET_CUSTOM);
  g_assert_true (gtk_widget_get_visible (w (f, "expiry_date_row")));
  g_assert_cmpuint (strlen (text (f, "expiry_date_row")), ==, strlen ("2026-07-01 18:00"));
  g_assert_true (save_enabled (f));
  g_assert_null (shown_error (f, "expiry_error"));

  type (f, "expiry_date_row", past_text);
  g_assert_false (save_enabled (f));
  g_assert_cmpstr (shown_error (f, "expiry_error"), ==, past_message);
  g_assert_true (gtk_widget_has_css_class (w (f, "expiry_date_row"), "error"));

  type (f, "expiry_date_row", far_text);
  g_assert_false (save_enabled (f));
  g_assert_cmpstr (shown_error (f, "expiry_error"), ==, far_message);

  type (f, "expiry_date_row", "next tuesday");
  g_assert_false (save_enabled (f));
  error = shown_error (f, "expiry_error");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "YYYY-MM-DD HH:MM"));

  type (f, "expiry_date_row", "2026-07-01");
  g_assert_false (save_enabled (f));
  g_assert_nonnull (strstr (shown_error (f, "expiry_error"), "YYYY-MM-DD HH:MM"));

  /* Dates that do not exist are named as such, not as a format error. */
  type (f, "expiry_date_row", "2026-02-30 12:00");
  g_assert_false (save_enabled (f));
  error = shown_error (f, "expiry_error");
  g_assert_nonnull (strstr (error, "28 days"));
  g_assert_null (strstr (error, "YYYY"));

  type (f, "expiry_date_row", "2026-13-01 12:00");
  g_assert_false (save_enabled (f));
  g_assert_nonnull (strstr (shown_error (f, "expiry_error"), "month"));

  type (f, "expiry_date_row", "2026-03-01 24:30");
  g_assert_false (save_enabled (f));
  g_assert_nonnull (strstr (shown_error (f, "expiry_error"), "23:59"));

  type (f, "expiry_date_row", soon_text);
  g_assert_true (save_enabled (f));
  g_assert_null (shown_error (f, "expiry_error"));
  g_assert_false (gtk_widget_has_css_class (w (f, "expiry_date_row"), "error"));

  /* An invalid date no longer counts once a preset is chosen. */
  type (f, "expiry_date_row", past_text);
  g_assert_false (save_enabled (f));
  select_preset (f, DSL_EXPIRY_PRESET_30_DAYS);
  g_assert_true (save_enabled (f));
  g_assert_null (shown_error (f, "expiry_error"));
}

static void
test_password (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autofree char *short_message = password_message ("1234567");
  g_autofree char *space_message = password_message ("with space");
  g_autofree char *generated = NULL;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_editor (f, item, NULL);

  /* Turned on without a password: Save says what is missing. */
  set_switch (f, "password_switch", TRUE);
  g_assert_true (gtk_widget_get_sensitive (w (f, "password_row")));
  g_assert_false (save_enabled (f));
  g_assert_nonnull (gtk_widget_get_tooltip_text (w (f, "save_button")));

  type (f, "password_row", "1234567");
  g_assert_false (save_enabled (f));
  g_assert_cmpstr (shown_error (f, "password_error"), ==, short_message);
  g_assert_true (gtk_widget_has_css_class (w (f, "password_row"), "error"));

  type (f, "password_row", "with space");
  g_assert_cmpstr (shown_error (f, "password_error"), ==, space_message);

  /* Off: the password does not count. */
  set_switch (f, "password_switch", FALSE);
  g_assert_true (save_enabled (f));
  g_assert_null (shown_error (f, "password_error"));

  /* Generate fills in a valid one and turns the password on. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.generate-password",
                                             NULL));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (w (f, "password_switch"))));
  generated = g_strdup (text (f, "password_row"));
  g_assert_cmpuint (strlen (generated), ==, 16);
  g_assert_true (dsl_link_form_check_password (generated, NULL));
  g_assert_null (shown_error (f, "password_error"));
  g_assert_true (save_enabled (f));

  /* A second one differs. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.generate-password",
                                             NULL));
  g_assert_cmpstr (text (f, "password_row"), !=, generated);
}

/* The Access combo lists exactly availableShareRights for the subject type, without None. */
static void
check_access_list (Fixture     *f,
                   DslItem     *item,
                   DslLink     *link)
{
  GListModel *model;
  const DslAccess *rights;
  gsize n_rights = 0;
  guint expected = 0;
  DslSubjectType subject = link != NULL ? dsl_link_get_subject_type (link)
                                        : DSL_SUBJECT_TYPE_EXTERNAL_LINK;

  rights = dsl_item_get_share_rights (item, subject, &n_rights);
  g_assert_cmpuint (n_rights, >, 0);

  open_editor (f, item, link);
  model = adw_combo_row_get_model (ADW_COMBO_ROW (w (f, "access_row")));
  for (gsize i = 0; i < n_rights; i++)
    {
      g_autoptr(GtkStringObject) label = NULL;

      if (rights[i] == DSL_ACCESS_NONE)
        continue;
      label = g_list_model_get_item (model, expected++);
      g_assert_nonnull (label);
      g_assert_cmpstr (gtk_string_object_get_string (label), ==,
                       dsl_link_describe_access (rights[i]));
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, expected);
  close_editor (f);
}

static void
test_access_rights (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) docx = NULL;
  g_autoptr(DslItem) pdf = NULL;
  g_autoptr(DslItem) room = NULL;
  g_autoptr(DslLink) primary = NULL;

  if (dsl_test_skip_without_display ())
    return;

  docx = load_item (f, DSL_ITEM_KIND_FILE, "401");
  pdf = load_item (f, DSL_ITEM_KIND_FILE, "303");
  room = load_item (f, DSL_ITEM_KIND_ROOM, "101");
  check_access_list (f, docx, NULL);
  check_access_list (f, pdf, NULL);
  check_access_list (f, room, NULL);
  /* The primary link: PrimaryExternalLink's rights. */
  primary = load_link (f, DSL_ITEM_KIND_FILE, "401", NULL);
  g_assert_cmpint (dsl_link_get_subject_type (primary), ==,
                   DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK);
  check_access_list (f, docx, primary);
}

static void
test_can_edit (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) file = NULL;
  g_autoptr(DslItem) public_room = NULL;
  g_autoptr(DslItem) vdr_file = NULL;
  g_autoptr(DslLink) locked = NULL;
  g_autoptr(DslLink) public_primary = NULL;
  g_autoptr(DslLink) vdr_primary = NULL;
  g_autoptr(DslLink) open = NULL;

  if (dsl_test_skip_without_display ())
    return;

  /* Every flag off: each control locked, saying why. */
  file = load_item (f, DSL_ITEM_KIND_FILE, "401");
  locked = load_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  open = dsl_link_copy (locked);
  dsl_link_set_can_edit_internal (locked, FALSE);
  dsl_link_set_can_edit_expiration_date (locked, FALSE);
  dsl_link_set_can_edit_deny_download (locked, FALSE);
  open_editor (f, file, locked);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->editor)), ==, "Edit Link");
  g_assert_false (gtk_widget_is_sensitive (w (f, "internal_switch")));
  g_assert_true (has_subtitle (f, "internal_row"));
  g_assert_false (gtk_widget_is_sensitive (w (f, "expires_row")));
  g_assert_false (gtk_widget_is_sensitive (w (f, "expiry_date_row")));
  g_assert_true (has_subtitle (f, "expires_row"));
  g_assert_false (gtk_widget_is_sensitive (w (f, "download_switch")));
  g_assert_true (has_subtitle (f, "download_row"));
  /* The locked values are the link's. */
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (w (f, "download_switch"))));
  g_assert_true (gtk_widget_is_sensitive (w (f, "name_row")));
  g_assert_true (save_enabled (f));
  close_editor (f);

  /* The same link as the portal lists it: everything editable, no reasons. */
  open_editor (f, file, open);
  g_assert_true (gtk_widget_is_sensitive (w (f, "internal_switch")));
  g_assert_false (has_subtitle (f, "internal_row"));
  g_assert_true (gtk_widget_is_sensitive (w (f, "expires_row")));
  g_assert_true (gtk_widget_is_sensitive (w (f, "download_switch")));
  g_assert_false (has_subtitle (f, "download_row"));
  /* Its expiry (in 3 days) is shown as Custom with its date. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (w (f, "expires_row"))), ==,
                    DSL_EXPIRY_PRESET_CUSTOM);
  {
    g_autoptr(GDateTime) local = g_date_time_to_local (dsl_link_get_expiration_date (open));
    g_autofree char *expected = format_local (local);

    g_assert_true (gtk_widget_get_visible (w (f, "expiry_date_row")));
    g_assert_cmpstr (text (f, "expiry_date_row"), ==, expected);
  }
  close_editor (f);

  /* A public room's primary link: never expires, always open to anyone. */
  public_room = load_item (f, DSL_ITEM_KIND_ROOM, "102");
  public_primary = load_link (f, DSL_ITEM_KIND_ROOM, "102", NULL);
  g_assert_false (dsl_link_get_can_edit_expiration_date (public_primary));
  open_editor (f, public_room, public_primary);
  g_assert_false (gtk_widget_is_sensitive (w (f, "expires_row")));
  g_assert_true (has_subtitle (f, "expires_row"));
  g_assert_false (gtk_widget_is_sensitive (w (f, "internal_switch")));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (w (f, "internal_switch"))));
  g_assert_true (save_enabled (f));
  close_editor (f);

  /* A file in a virtual data room that denies downloads: internal, download locked. */
  vdr_file = load_item (f, DSL_ITEM_KIND_FILE, "341");
  vdr_primary = load_link (f, DSL_ITEM_KIND_FILE, "341", NULL);
  open_editor (f, vdr_file, vdr_primary);
  g_assert_false (gtk_widget_is_sensitive (w (f, "internal_switch")));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (w (f, "internal_switch"))));
  g_assert_false (gtk_widget_is_sensitive (w (f, "download_switch")));
  close_editor (f);
}

static void
test_create (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autofree char *password = NULL;
  gboolean busy = FALSE;
  guint requests;
  DslLink *found = NULL;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_editor (f, item, NULL);
  dsl_test_run_until (f, default_name_in, "Link 2");

  type (f, "name_row", "  For the auditors  ");
  adw_combo_row_set_selected (ADW_COMBO_ROW (w (f, "access_row")), 0);
  select_preset (f, DSL_EXPIRY_PRESET_30_DAYS);
  set_switch (f, "download_switch", TRUE);
  set_switch (f, "internal_switch", TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.generate-password",
                                             NULL));
  password = g_strdup (text (f, "password_row"));
  set_secret (password);

  requests = dsl_sim_count_requests (sim, NULL, NULL);
  press_save (f);

  /* Sending: Save, Generate and the fields locked, the spinner on. */
  g_object_get (f->editor, "busy", &busy, NULL);
  g_assert_true (busy);
  g_assert_false (save_enabled (f));
  g_assert_false (gtk_widget_is_sensitive (w (f, "name_row")));
  g_assert_false (gtk_widget_is_sensitive (w (f, "generate_button")));
  g_assert_true (gtk_widget_get_visible (w (f, "spinner")));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (w (f, "spinner"))));

  dsl_test_run_until (f, editor_gone, NULL);
  g_assert_cmpuint (f->saved, ==, 1);
  g_assert_true (f->saved_created);
  g_assert_cmpstr (dsl_link_get_title (f->saved_link), ==, "For the auditors");

  /* One PUT with the whole state and no linkId. */
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 1);
  g_assert_cmpuint (dsl_sim_count_requests (sim, NULL, NULL), ==, requests + 1);
  body = dsl_test_request_body (sim, "PUT", "/api/2.0/files/file/401/links");
  g_assert_false (json_object_has_member (body, "linkId") &&
                  json_object_get_string_member (body, "linkId") != NULL &&
                  *json_object_get_string_member (body, "linkId") != '\0');
  g_assert_cmpstr (json_object_get_string_member (body, "title"), ==, "For the auditors");
  {
    gsize n_rights = 0;
    const DslAccess *rights = dsl_item_get_share_rights (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK,
                                                         &n_rights);

    g_assert_cmpuint (n_rights, >, 0);
    g_assert_cmpint (json_object_get_int_member (body, "access"), ==, rights[0]);
  }
  g_assert_cmpstr (json_object_get_string_member (body, "password"), ==, password);
  g_assert_true (json_object_get_boolean_member (body, "denyDownload"));
  g_assert_true (json_object_get_boolean_member (body, "internal"));
  g_assert_nonnull (json_object_get_string_member (body, "expirationDate"));

  /* The portal lists it as sent. */
  links = load_links (f, DSL_ITEM_KIND_FILE, "401");
  for (guint i = 0; i < links->len; i++)
    if (g_strcmp0 (dsl_link_get_title (g_ptr_array_index (links, i)), "For the auditors") == 0)
      found = g_ptr_array_index (links, i);
  g_assert_nonnull (found);
  g_assert_cmpstr (dsl_link_get_password (found), ==, password);
  g_assert_true (dsl_link_get_deny_download (found));
  g_assert_true (dsl_link_get_internal (found));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    GTimeSpan ahead = g_date_time_difference (dsl_link_get_expiration_date (found), now);

    g_assert_cmpint (ahead, >, 29 * G_TIME_SPAN_DAY);
    g_assert_cmpint (ahead, <=, 30 * G_TIME_SPAN_DAY);
  }
}

/* Editing sends the full state: a changed name alone keeps the password, access, audience,
 * expiry and download setting as listed. */
static void
test_edit_full_state (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) room = NULL;
  g_autoptr(DslLink) partners = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(DslLink) after = NULL;

  if (dsl_test_skip_without_display ())
    return;

  set_secret ("Secret123");
  room = load_item (f, DSL_ITEM_KIND_ROOM, "101");
  partners = load_link (f, DSL_ITEM_KIND_ROOM, "101", "Partners");
  g_assert_cmpstr (dsl_link_get_password (partners), ==, "Secret123");

  open_editor (f, room, partners);
  g_assert_true (dsl_link_editor_get_link (f->editor) != partners);
  g_assert_cmpstr (text (f, "name_row"), ==, "Partners");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (w (f, "password_switch"))));
  g_assert_cmpstr (text (f, "password_row"), ==, "Secret123");

  type (f, "name_row", "Partners 2026");
  dsl_sim_clear_requests (sim, NULL);
  press_save (f);
  dsl_test_run_until (f, editor_gone, NULL);
  g_assert_cmpuint (f->saved, ==, 1);
  g_assert_false (f->saved_created);

  body = dsl_test_request_body (sim, "PUT", "/api/2.0/files/rooms/101/links");
  g_assert_cmpstr (json_object_get_string_member (body, "linkId"), ==,
                   dsl_link_get_id (partners));
  g_assert_cmpstr (json_object_get_string_member (body, "title"), ==, "Partners 2026");
  g_assert_cmpstr (json_object_get_string_member (body, "password"), ==, "Secret123");
  g_assert_cmpint (json_object_get_int_member (body, "access"), ==,
                   dsl_link_get_access (partners));
  g_assert_cmpint (json_object_get_int_member (body, "linkType"), ==, DSL_LINK_TYPE_EXTERNAL);
  g_assert_true (json_object_has_member (body, "denyDownload"));
  g_assert_true (json_object_has_member (body, "internal"));

  after = load_link (f, DSL_ITEM_KIND_ROOM, "101", "Partners 2026");
  g_assert_cmpstr (dsl_link_get_id (after), ==, dsl_link_get_id (partners));
  g_assert_cmpstr (dsl_link_get_password (after), ==, "Secret123");
  g_assert_cmpint (dsl_link_get_access (after), ==, dsl_link_get_access (partners));
  g_assert_cmpint (dsl_link_get_internal (after), ==, dsl_link_get_internal (partners));
}

/* Room 106 has its 5 additional links: the portal's 403 is shown above the form, and
 * everything typed stays. */
static void
test_link_limit (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) room = NULL;
  const char *message;

  if (dsl_test_skip_without_display ())
    return;

  room = load_item (f, DSL_ITEM_KIND_ROOM, "106");
  open_editor (f, room, NULL);
  dsl_test_run_until (f, default_name_in, "Link 6");
  /* The editor knows from the list it read that the item is full, and says so at once. */
  {
    g_autofree char *limit = dsl_link_form_describe_limit (room);

    g_assert_nonnull (limit);
    g_assert_cmpstr (form_message (f), ==, limit);
  }
  type (f, "name_row", "One too many");
  set_switch (f, "password_switch", TRUE);
  type (f, "password_row", "Sixth-link-9");
  set_secret ("Sixth-link-9");

  press_save (f);
  dsl_test_run_until (f, not_busy, NULL);
  g_assert_nonnull (f->editor);
  g_assert_cmpuint (f->saved, ==, 0);
  message = form_message (f);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "The maximum number of links may not exceed 5"));
  g_assert_true (gtk_widget_has_css_class (w (f, "message_label"), "error"));
  dsl_test_run_for (100);
  save_screenshot (GTK_WIDGET (f->editor), "link-editor-limit.png");

  /* Nothing lost, and the form works again. */
  g_assert_cmpstr (text (f, "name_row"), ==, "One too many");
  g_assert_cmpstr (text (f, "password_row"), ==, "Sixth-link-9");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (w (f, "password_switch"))));
  g_assert_true (gtk_widget_is_sensitive (w (f, "name_row")));
  g_assert_true (save_enabled (f));
  g_assert_false (gtk_widget_get_visible (w (f, "spinner")));
  g_assert_null (shown_error (f, "password_error"));
  g_assert_null (shown_error (f, "name_error"));
}

/* --- a portal with a stricter password policy than the default (§6.6) --- */

#define STRICT_POLICY "The password must contain at least one upper case letter and one special " \
                      "character"

static void
strict_portal_handler (SoupServer        *server,
                       SoupServerMessage *msg,
                       const char        *path,
                       GHashTable        *query,
                       gpointer           user_data)
{
  guint *puts = user_data;
  const char *body;

  if (g_str_equal (soup_server_message_get_method (msg), "PUT"))
    {
      (*puts)++;
      body = "{\"error\":{\"message\":\"" STRICT_POLICY "\",\"type\":\"System.ArgumentException\","
             "\"stack\":null,\"hresult\":-2147024809},\"status\":1,\"statusCode\":400}";
      soup_server_message_set_status (msg, 400, NULL);
    }
  else
    {
      body = "{\"count\":0,\"total\":0,\"response\":[],\"status\":0,\"statusCode\":200}";
      soup_server_message_set_status (msg, 200, NULL);
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
test_password_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslClient) strict = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  guint puts = 0;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");

  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, "/api/2.0", strict_portal_handler, &puts, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  strict = dsl_client_new (url);
  dsl_client_set_api_key (strict, OWNER_KEY);

  f->editor = dsl_link_editor_new (f->parent, NULL, strict, item, NULL);
  g_object_add_weak_pointer (G_OBJECT (f->editor), (gpointer *) &f->editor);
  g_signal_connect (f->editor, "saved", G_CALLBACK (on_saved), f);
  gtk_window_present (GTK_WINDOW (f->editor));

  type (f, "name_row", "Strict");
  set_switch (f, "password_switch", TRUE);
  type (f, "password_row", "lowercase8");
  set_secret ("lowercase8");
  g_assert_true (save_enabled (f));

  press_save (f);
  dsl_test_run_until (f, not_busy, NULL);
  g_assert_cmpuint (puts, ==, 1);
  g_assert_nonnull (f->editor);
  g_assert_cmpuint (f->saved, ==, 0);

  /* Under Password, in the portal's words; not above the form. */
  g_assert_cmpstr (shown_error (f, "password_error"), ==, STRICT_POLICY);
  g_assert_true (gtk_widget_has_css_class (w (f, "password_row"), "error"));
  g_assert_null (form_message (f));
  g_assert_cmpstr (text (f, "name_row"), ==, "Strict");
  g_assert_cmpstr (text (f, "password_row"), ==, "lowercase8");
  g_assert_true (save_enabled (f));

  dsl_test_run_for (100);
  save_screenshot (GTK_WIDGET (f->editor), "link-editor-password-refused.png");

  /* Typing a new password clears the portal's complaint. */
  type (f, "password_row", "Upper-case9");
  g_assert_null (shown_error (f, "password_error"));

  close_editor (f);
}

static gboolean
links_read (Fixture *f, gconstpointer data)
{
  return dsl_sim_count_requests (sim, "GET", "/api/2.0/files/file/401/links") > 0;
}

/* A client that waits 2 s. libsoup gives a connection the session's timeout when it opens
 * it: a client that waits 2 s from its first request on. */
static void
use_impatient_client (Fixture *f)
{
  g_clear_object (&f->client);
  f->client = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->client, OWNER_KEY);
  dsl_client_set_timeout (f->client, 2);
}

/* A create that times out after the portal made the link: the list read again finds it
 * (a link not among those read at opening, with the title sent), and it is the save's
 * answer. Sent once. */
static void
test_timeout_found (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) made = NULL;

  if (dsl_test_skip_without_display ())
    return;

  use_impatient_client (f);
  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_editor (f, item, NULL);
  type (f, "name_row", "Slow portal");
  /* Only the save stalls, not the editor's read of the links. */
  dsl_test_run_until (f, links_read, NULL);
  dsl_test_run_until (f, default_name_in, "Slow portal");

  dsl_sim_set_faults (sim, "stall=5000,count=1,path=/api/2.0/files/file/401/links", &error);
  g_assert_no_error (error);
  dsl_sim_clear_requests (sim, NULL);

  press_save (f);
  dsl_test_run_until (f, editor_gone, NULL);
  g_assert_cmpuint (f->saved, ==, 1);
  g_assert_true (f->saved_created);
  made = load_link (f, DSL_ITEM_KIND_FILE, "401", "Slow portal");
  g_assert_cmpstr (dsl_link_get_id (f->saved_link), ==, dsl_link_get_id (made));

  /* Not sent a second time; the list was read again instead. */
  dsl_test_run_for (3500);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 1);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "GET", "/api/2.0/files/file/401/links"), >=, 1);
}

/* A save that times out, and the list read again does not answer either: reported once and
 * not sent again; nothing is emitted. */
static void
test_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GError) error = NULL;

  if (dsl_test_skip_without_display ())
    return;

  use_impatient_client (f);
  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_editor (f, item, NULL);
  type (f, "name_row", "Slow portal");
  /* Only the save stalls, not the editor's read of the links. */
  dsl_test_run_until (f, links_read, NULL);

  /* The PUT and every read again (three attempts, and whatever libsoup itself repeats on a
   * connection the timeout closed: with an exact count of 4, the last read once got through
   * under ASan and found the link). The fixture's reset clears what is left. */
  dsl_sim_set_faults (sim, "stall=5000,count=10,path=/api/2.0/files/file/401/links", &error);
  g_assert_no_error (error);
  dsl_sim_clear_requests (sim, NULL);

  press_save (f);
  dsl_test_run_until (f, not_busy, NULL);
  g_assert_nonnull (f->editor);
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_cmpstr (form_message (f), ==, TIMEOUT_MESSAGE);
  g_assert_cmpstr (text (f, "name_row"), ==, "Slow portal");
  g_assert_true (save_enabled (f));

  /* Not sent a second time. */
  dsl_test_run_for (3500);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 1);
}

/* The portal keeps a VDR link internal whatever is sent: the editor says so, stays open with
 * Close, and still reports the save. */
static void
test_skipped_change (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslLink) sent = NULL;
  const char *message;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "341");
  link = load_link (f, DSL_ITEM_KIND_FILE, "341", NULL);
  g_assert_true (dsl_link_get_internal (link));
  /* As if the portal had offered the switch. */
  dsl_link_set_can_edit_internal (link, TRUE);

  open_editor (f, item, link);
  g_assert_true (gtk_widget_is_sensitive (w (f, "internal_switch")));
  set_switch (f, "internal_switch", FALSE);
  press_save (f);
  dsl_test_run_until (f, not_busy, NULL);

  g_assert_nonnull (f->editor);
  g_assert_cmpuint (f->saved, ==, 1);
  g_assert_false (f->saved_created);
  g_assert_true (dsl_link_get_internal (f->saved_link));

  sent = dsl_link_copy (f->saved_link);
  dsl_link_set_internal (sent, FALSE);
  message = form_message (f);
  g_assert_nonnull (message);
  {
    g_autofree char *expected = dsl_link_form_describe_skipped (sent, f->saved_link);

    g_assert_cmpstr (message, ==, expected);
  }
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (w (f, "save_label"))), ==, "Close");
  dsl_test_run_for (100);
  save_screenshot (GTK_WIDGET (f->editor), "link-editor-skipped.png");
  g_assert_true (save_enabled (f));
  g_assert_false (gtk_widget_get_visible (w (f, "cancel_button")));
  g_assert_false (gtk_widget_is_sensitive (w (f, "name_row")));
  /* The form shows what the portal stored. */
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (w (f, "internal_switch"))));

  dsl_sim_clear_requests (sim, NULL);
  press_save (f);
  dsl_test_run_until (f, editor_gone, NULL);
  g_assert_cmpuint (f->saved, ==, 1);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
}

/* --- someone else changes the link while the editor is open (issue 13) --- */

/* Someone adds a password between the opening of the editor and Save of a title change: the
 * portal keeps the password and takes the new title (only the title is changed). */
static void
test_concurrent_password (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslLink) after = NULL;
  g_autoptr(GError) error = NULL;

  if (dsl_test_skip_without_display ())
    return;

  set_secret ("Added-Meanwhile-7");
  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  link = load_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  g_assert_null (dsl_link_get_password (link));

  open_editor (f, item, link);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (w (f, "password_switch"))));
  type (f, "name_row", "Download blocked (Q3)");

  dsl_sim_change_link (sim, dsl_link_get_id (link), "{\"password\":\"Added-Meanwhile-7\"}",
                       &error);
  g_assert_no_error (error);

  press_save (f);
  dsl_test_run_until (f, editor_gone, NULL);
  g_assert_cmpuint (f->saved, ==, 1);
  g_assert_false (f->saved_created);

  after = load_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked (Q3)");
  g_assert_cmpstr (dsl_link_get_id (after), ==, dsl_link_get_id (link));
  g_assert_cmpstr (dsl_link_get_password (after), ==, "Added-Meanwhile-7");
  g_assert_true (dsl_link_get_deny_download (after));
  g_assert_cmpstr (dsl_link_get_password (f->saved_link), ==, "Added-Meanwhile-7");
}

static gboolean
message_shown (Fixture *f, gconstpointer data)
{
  return form_message (f) != NULL;
}

/* Someone changes the expiry while the person changes it too: asked in the editor with both
 * dates, nothing sent; Save Anyway then applies the person's date (and keeps the rest). */
static void
test_expiry_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(DslLink) link = NULL;
  g_autoptr(DslLink) theirs = NULL;
  g_autoptr(DslLink) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 10, 0,
                                                      0);
  g_autoptr(GDateTime) mine = g_date_time_add_days (today, 10);
  g_autoptr(GDateTime) other = g_date_time_add_days (today, 20);
  g_autofree char *mine_text = format_local (mine);
  g_autofree char *other_iso = NULL;
  g_autofree char *body = NULL;
  g_autofree char *was = NULL;
  g_autofree char *is = NULL;
  const char *message;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  link = load_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  g_assert_nonnull (dsl_link_get_expiration_date (link));

  open_editor (f, item, link);
  select_preset (f, DSL_EXPIRY_PRESET_CUSTOM);
  type (f, "expiry_date_row", mine_text);

  other_iso = g_date_time_format_iso8601 (other);
  body = g_strdup_printf ("{\"expirationDate\":\"%s\",\"title\":\"Renamed meanwhile\"}",
                          other_iso);
  dsl_sim_change_link (sim, dsl_link_get_id (link), body, &error);
  g_assert_no_error (error);
  theirs = load_link (f, DSL_ITEM_KIND_FILE, "401", "Renamed meanwhile");
  dsl_sim_clear_requests (sim, NULL);

  press_save (f);
  dsl_test_run_until (f, not_busy, NULL);

  /* Asked, with both dates; nothing sent. */
  g_assert_nonnull (f->editor);
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
  message = form_message (f);
  g_assert_nonnull (message);
  g_test_message ("asked: %s", message);
  was = dsl_link_format_exact_date (dsl_link_get_expiration_date (link));
  is = dsl_link_format_exact_date (dsl_link_get_expiration_date (theirs));
  g_assert_nonnull (strstr (message, was));
  g_assert_nonnull (strstr (message, is));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (w (f, "save_label"))), ==, "Save Anyway");
  g_assert_true (gtk_widget_get_visible (w (f, "cancel_button")));
  g_assert_true (save_enabled (f));
  dsl_test_run_for (100);
  save_screenshot (GTK_WIDGET (f->editor), "link-editor-conflict.png");

  /* Save Anyway: the person's date; the title someone else gave stays (not changed here). */
  press_save (f);
  dsl_test_run_until (f, editor_gone, NULL);
  g_assert_cmpuint (f->saved, ==, 1);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 1);
  after = load_link (f, DSL_ITEM_KIND_FILE, "401", "Renamed meanwhile");
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (after)), ==,
                   g_date_time_to_unix (mine));
  g_assert_true (dsl_link_get_deny_download (after));
}

/* The link is deleted while the editor is open: said so, what was typed stays. */
static void
test_edit_gone (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GError) error = NULL;
  const char *message;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  link = load_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  open_editor (f, item, link);
  type (f, "name_row", "Typed here");
  dsl_sim_delete_link (sim, dsl_link_get_id (link), &error);
  g_assert_no_error (error);
  dsl_sim_clear_requests (sim, NULL);

  press_save (f);
  dsl_test_run_until (f, message_shown, NULL);
  message = form_message (f);
  g_assert_nonnull (strstr (message, "removed by someone else"));
  g_assert_cmpstr (text (f, "name_row"), ==, "Typed here");
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);
}

/* --- Share Temporarily: the guard record of a create that timed out or was left --- */

typedef struct {
  char          *dir;
  DslGuardStore *store;
  DslLinkGuard  *guard;
} Guarding;

static void
guarding_init (Guarding   *g,
               Fixture    *f,
               gboolean    writable)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  g->dir = g_dir_make_tmp ("dsl-editor-guard-XXXXXX", &error);
  g_assert_no_error (error);
  if (writable)
    path = g_build_filename (g->dir, "guarded-links.json", NULL);
  else
    {
      /* Its directory is a file: every save fails. */
      g_autofree char *blocker = g_build_filename (g->dir, "blocker", NULL);

      g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
      path = g_build_filename (blocker, "guarded-links.json", NULL);
    }
  g->store = dsl_guard_store_new_for_path (path);
  g->guard = dsl_link_guard_new (f->client, g->store);
}

static void
guarding_clear (Guarding *g)
{
  g_autofree char *path = g_build_filename (g->dir, "guarded-links.json", NULL);
  g_autofree char *blocker = g_build_filename (g->dir, "blocker", NULL);

  g_clear_object (&g->guard);
  g_clear_object (&g->store);
  g_unlink (path);
  g_unlink (blocker);
  g_rmdir (g->dir);
  g_free (g->dir);
}

static void
open_temporary (Fixture  *f,
                DslItem  *item,
                Guarding *g)
{
  f->editor = dsl_link_editor_new_temporary (f->parent, NULL, f->client, item, g->guard,
                                             "account");
  g_object_add_weak_pointer (G_OBJECT (f->editor), (gpointer *) &f->editor);
  g_signal_connect (f->editor, "saved", G_CALLBACK (on_saved), f);
  gtk_window_present (GTK_WINDOW (f->editor));
  dsl_test_run_for (50);
}

typedef struct {
  Guarding   *g;
  const char *title;
} GuardedQuery;

/* The link with this title on 401 has a record in the guard store (and its file). */
static gboolean
guarded_on_disk (Fixture *f, gconstpointer data)
{
  const GuardedQuery *q = data;
  g_autoptr(DslGuardStore) reread = dsl_guard_store_new_for_path (dsl_guard_store_get_path (q->g->store));
  g_autoptr(GPtrArray) links = NULL;
  DslLink *link = NULL;

  if (!dsl_guard_store_load (reread, NULL))
    return FALSE;
  links = load_links (f, DSL_ITEM_KIND_FILE, "401");
  for (guint i = 0; i < links->len; i++)
    if (g_strcmp0 (dsl_link_get_title (links->pdata[i]), q->title) == 0)
      link = links->pdata[i];
  return link != NULL && dsl_guard_store_lookup (reread, "account", dsl_link_get_id (link)) != NULL;
}

/* The create times out after the portal made the link: the list read again finds it, and it
 * is guarded (in the store's file) as the save's answer. */
static void
test_temporary_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GError) error = NULL;
  Guarding g = { 0 };
  GuardedQuery q = { &g, "Slow temporary" };

  if (dsl_test_skip_without_display ())
    return;

  use_impatient_client (f);
  guarding_init (&g, f, TRUE);
  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_temporary (f, item, &g);
  dsl_test_run_until (f, links_read, NULL);
  type (f, "name_row", "Slow temporary");
  dsl_test_run_for (200);

  dsl_sim_set_faults (sim, "stall=5000,count=1,path=/api/2.0/files/file/401/links", &error);
  g_assert_no_error (error);
  dsl_sim_clear_requests (sim, NULL);

  press_save (f);
  dsl_test_run_until (f, editor_gone, NULL);
  g_assert_cmpuint (f->saved, ==, 1);
  g_assert_true (f->saved_created);
  g_assert_true (guarded_on_disk (f, &q));
  g_assert_nonnull (dsl_guard_store_lookup (g.store, "account",
                                            dsl_link_get_id (f->saved_link)));
  dsl_test_run_for (3500);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 1);
  guarding_clear (&g);
}

/* Cancel while the create is under way: the create goes on without the window, and the link
 * it made is guarded. */
static void
test_temporary_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GError) error = NULL;
  Guarding g = { 0 };
  GuardedQuery q = { &g, "Left behind" };

  if (dsl_test_skip_without_display ())
    return;

  guarding_init (&g, f, TRUE);
  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_temporary (f, item, &g);
  dsl_test_run_until (f, links_read, NULL);
  type (f, "name_row", "Left behind");
  dsl_test_run_for (200);

  dsl_sim_set_faults (sim, "stall=1500,count=1,path=/api/2.0/files/file/401/links", &error);
  g_assert_no_error (error);

  press_save (f);
  dsl_test_run_for (300);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.cancel", NULL));
  dsl_test_run_until (f, editor_gone, NULL);
  g_assert_cmpuint (f->saved, ==, 0);

  dsl_test_run_until (f, guarded_on_disk, &q);
  guarding_clear (&g);
}

/* The guard's record cannot be saved: the editor stays open and says what that means. */
static void
test_temporary_store_fails (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  Guarding g = { 0 };
  const char *message;

  if (dsl_test_skip_without_display ())
    return;

  guarding_init (&g, f, FALSE);
  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_temporary (f, item, &g);
  dsl_test_run_until (f, links_read, NULL);
  type (f, "name_row", "Unrecorded");
  dsl_test_run_for (200);

  press_save (f);
  dsl_test_run_until (f, not_busy, NULL);
  g_assert_nonnull (f->editor);
  g_assert_cmpuint (f->saved, ==, 1);
  message = form_message (f);
  g_assert_nonnull (message);
  g_test_message ("shown: %s", message);
  g_assert_nonnull (strstr (message, "will not be revoked when it expires"));
  g_assert_true (gtk_widget_has_css_class (w (f, "message_label"), "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (w (f, "save_label"))), ==, "Close");
  close_editor (f);
  guarding_clear (&g);
}

/* --- Preferences: defaults for new links --- */

static void
set_link_defaults (const char *access,
                   const char *preset,
                   gboolean    password)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);

  g_assert_true (g_settings_set_string (settings, "default-link-access", access));
  g_assert_true (g_settings_set_string (settings, "default-expiry-preset", preset));
  g_assert_true (g_settings_set_boolean (settings, "default-password-required", password));
}

static void
reset_link_defaults (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);

  g_settings_reset (settings, "default-link-access");
  g_settings_reset (settings, "default-expiry-preset");
  g_settings_reset (settings, "default-password-required");
}

static DslAccess
selected_access (Fixture *f)
{
  GtkStringObject *selected =
    GTK_STRING_OBJECT (adw_combo_row_get_selected_item (ADW_COMBO_ROW (w (f, "access_row"))));
  const char *label = gtk_string_object_get_string (selected);
  static const DslAccess known[] = {
    DSL_ACCESS_READ, DSL_ACCESS_REVIEW, DSL_ACCESS_COMMENT, DSL_ACCESS_FILL_FORMS,
    DSL_ACCESS_EDITING,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (label, dsl_link_describe_access (known[i])))
      return known[i];
  g_error ("unexpected access label %s", label);
}

static gboolean
offers (DslItem   *item,
        DslAccess  access)
{
  gsize n = 0;
  const DslAccess *rights = dsl_item_get_share_rights (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK, &n);

  for (gsize i = 0; i < n; i++)
    if (rights[i] == access)
      return TRUE;
  return FALSE;
}

/* The defaults chosen in Preferences: a new link starts with them (the access when the item
 * offers it, else Read); the password switch on with an empty field keeps Save off until a
 * password is typed or the switch is turned off. */
static void
test_preferences_defaults (Fixture *f, gconstpointer data)
{
  static const char *nicks[] = { "review", "comment", "fill-forms", "edit" };
  g_autoptr(DslItem) item = NULL;
  g_autofree char *empty = password_message ("");
  const char *offered = NULL;
  const char *not_offered = NULL;
  DslAccess access;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  for (gsize i = 0; i < G_N_ELEMENTS (nicks); i++)
    {
      g_assert_true (dsl_link_access_from_nick (nicks[i], &access));
      if (offers (item, access) && offered == NULL)
        offered = nicks[i];
      else if (!offers (item, access) && not_offered == NULL)
        not_offered = nicks[i];
    }
  g_assert_nonnull (offered);
  g_assert_true (offers (item, DSL_ACCESS_READ));

  set_link_defaults (offered, "30-days", TRUE);
  open_editor (f, item, NULL);
  dsl_test_run_until (f, default_name_in, "Link 2");
  g_assert_true (dsl_link_access_from_nick (offered, &access));
  g_assert_cmpint (selected_access (f), ==, access);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (w (f, "expires_row"))), ==,
                    DSL_EXPIRY_PRESET_30_DAYS);
  g_assert_false (gtk_widget_get_visible (w (f, "expiry_date_row")));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (w (f, "password_switch"))));
  g_assert_true (gtk_widget_get_sensitive (w (f, "password_row")));
  g_assert_cmpstr (text (f, "password_row"), ==, "");
  /* Not an error under the field before anything is typed, but Save says what is missing. */
  g_assert_null (shown_error (f, "password_error"));
  g_assert_false (save_enabled (f));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (w (f, "save_button")), ==, empty);
  /* The person may still do without one. */
  set_switch (f, "password_switch", FALSE);
  g_assert_true (save_enabled (f));
  set_switch (f, "password_switch", TRUE);
  g_assert_false (save_enabled (f));
  set_secret ("Default1pass");
  type (f, "password_row", "Default1pass");
  g_assert_true (save_enabled (f));

  /* What is sent: the access and the expiry chosen in Preferences. */
  dsl_sim_clear_requests (sim, NULL);
  press_save (f);
  dsl_test_run_until (f, editor_gone, NULL);
  g_assert_cmpuint (f->saved, ==, 1);
  g_assert_true (f->saved_created);
  g_assert_cmpint (dsl_link_get_access (f->saved_link), ==, access);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) expected = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_30_DAYS, now);
    GDateTime *stored = dsl_link_get_expiration_date (f->saved_link);

    g_assert_nonnull (stored);
    /* To the minute (the save took less). */
    g_assert_cmpint (ABS (g_date_time_difference (stored, expected)), <, 2 * G_TIME_SPAN_MINUTE);
  }

  /* An access the item does not offer: the form's own default, Read. */
  if (not_offered != NULL)
    {
      set_link_defaults (not_offered, "never", FALSE);
      open_editor (f, item, NULL);
      g_assert_cmpint (selected_access (f), ==, DSL_ACCESS_READ);
      g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (w (f, "expires_row"))), ==,
                        DSL_EXPIRY_PRESET_NEVER);
      g_assert_false (gtk_switch_get_active (GTK_SWITCH (w (f, "password_switch"))));
      g_assert_true (save_enabled (f));
      close_editor (f);
    }

  reset_link_defaults ();
}

/* Editing a link shows the link as it is, whatever Preferences say for new ones. */
static void
test_preferences_not_for_edit (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(DslLink) link = NULL;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  link = load_link (f, DSL_ITEM_KIND_FILE, "401", "Download blocked");
  g_assert_cmpint (dsl_link_get_access (link), !=, DSL_ACCESS_EDITING);
  g_assert_true (dsl_link_get_password (link) == NULL || *dsl_link_get_password (link) == '\0');

  set_link_defaults ("edit", "12-hours", TRUE);
  open_editor (f, item, link);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->editor)), ==, "Edit Link");
  g_assert_cmpint (selected_access (f), ==, dsl_link_get_access (link));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (w (f, "expires_row"))), ==,
                    dsl_link_get_expiration_date (link) != NULL ? DSL_EXPIRY_PRESET_CUSTOM
                                                                : DSL_EXPIRY_PRESET_NEVER);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (w (f, "password_switch"))));
  g_assert_true (save_enabled (f));
  close_editor (f);

  reset_link_defaults ();
}

/* Share Temporarily: always View only and must expire ("never" gives 7 days); the password
 * preference applies. */
static void
test_preferences_temporary (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(DslGuardStore) store = dsl_guard_store_new_for_path ("/nonexistent/guarded.json");
  g_autoptr(DslLinkGuard) guard = NULL;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  guard = dsl_link_guard_new (f->client, store);
  set_link_defaults ("edit", "never", TRUE);
  f->editor = dsl_link_editor_new_temporary (f->parent, NULL, f->client, item, guard, "account");
  g_object_add_weak_pointer (G_OBJECT (f->editor), (gpointer *) &f->editor);
  gtk_window_present (GTK_WINDOW (f->editor));
  dsl_test_run_for (50);

  g_assert_cmpint (selected_access (f), ==, DSL_ACCESS_READ);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (w (f, "expires_row"))), ==,
                    DSL_EXPIRY_PRESET_7_DAYS);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (w (f, "password_switch"))));
  g_assert_false (save_enabled (f));
  close_editor (f);

  set_link_defaults ("view", "1-day", FALSE);
  f->editor = dsl_link_editor_new_temporary (f->parent, NULL, f->client, item, guard, "account");
  g_object_add_weak_pointer (G_OBJECT (f->editor), (gpointer *) &f->editor);
  dsl_test_run_for (50);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (w (f, "expires_row"))), ==,
                    DSL_EXPIRY_PRESET_1_DAY);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (w (f, "password_switch"))));
  close_editor (f);

  reset_link_defaults ();
}

/* Cancel (Escape) closes without sending anything; Ctrl+Return is Save. */
static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;

  if (dsl_test_skip_without_display ())
    return;

  item = load_item (f, DSL_ITEM_KIND_FILE, "401");
  open_editor (f, item, NULL);
  type (f, "name_row", "Never sent");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.cancel", NULL));
  dsl_test_run_until (f, editor_gone, NULL);
  dsl_test_run_for (100);
  g_assert_cmpuint (f->saved, ==, 0);
  g_assert_cmpuint (dsl_sim_count_requests (sim, "PUT", NULL), ==, 0);

  /* Cancelling while the save is in flight: nothing is reported afterwards. */
  open_editor (f, item, NULL);
  type (f, "name_row", "Cancelled in flight");
  press_save (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.cancel", NULL));
  dsl_test_run_until (f, editor_gone, NULL);
  dsl_test_run_for (300);
  g_assert_cmpuint (f->saved, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* The debug messages of the code that handles the password reach the writer too. */
  g_setenv ("G_MESSAGES_DEBUG", "dsl-link-editor dsl-link-form dsl-client", TRUE);
  dsl_test_set_log_writer (log_writer);
  g_test_init (&argc, &argv, NULL);

  have_display = dsl_test_init_display ();

#define add_test(name, func) \
  g_test_add ("/dsl/ui/link-editor/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  add_test ("defaults", test_defaults);
  add_test ("name", test_name);
  add_test ("expiry", test_expiry);
  add_test ("password", test_password);
  add_test ("access-rights", test_access_rights);
  add_test ("can-edit", test_can_edit);
  add_test ("create", test_create);
  add_test ("edit-full-state", test_edit_full_state);
  add_test ("link-limit", test_link_limit);
  add_test ("password-refused", test_password_refused);
  add_test ("timeout", test_timeout);
  add_test ("timeout-found", test_timeout_found);
  add_test ("concurrent-password", test_concurrent_password);
  add_test ("expiry-conflict", test_expiry_conflict);
  add_test ("edit-gone", test_edit_gone);
  add_test ("temporary-timeout", test_temporary_timeout);
  add_test ("temporary-cancelled", test_temporary_cancelled);
  add_test ("temporary-store-fails", test_temporary_store_fails);
  add_test ("skipped-change", test_skipped_change);
  add_test ("cancel", test_cancel);
  add_test ("preferences-defaults", test_preferences_defaults);
  add_test ("preferences-not-for-edit", test_preferences_not_for_edit);
  add_test ("preferences-temporary", test_preferences_temporary);

  if (have_display)
    {
      sim = dsl_sim_start (NULL, &error);
      g_assert_no_error (error);
      dsl_test_set_sim (sim);
    }

  status = g_test_run ();

  g_clear_pointer (&sim, dsl_sim_stop);
  g_clear_pointer (&secret, g_free);
  return status;
}

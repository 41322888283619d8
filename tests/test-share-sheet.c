/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-share-sheet.c: DslShareSheet opened from a DslLinkRow's "Share…" in a real window.
 *
 *   GtkWindow ─ GtkListBox ─ DslLinkRow ──"link-row.share"──▶ DslShareSheet (modal, transient)
 *     accessible names of every control (once, no underscores); the QR image's name and
 *     description; "Copy QR Code" read back from the clipboard as an image (in the process and,
 *     with xclip, as image/png through the X server) and decoded with zbarimg; the QR view as
 *     drawn (rendered to pixels: only pure black and white, decoded again) at two sizes;
 *     "Send by E-mail…"'s mailto: URI (caught by an "open-uri" handler: nothing is opened);
 *     "Copy as Message"; a link too long for a QR code.
 *
 * No portal is needed: the item and link are made here. Needs a display (run through
 * build-aux/test-session.sh); without one every case is a TAP SKIP, and the decoding steps
 * without zbarimg (xclip: that step alone). */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dsl-link-form.h"
#include "dsl-link-row.h"
#include "dsl-qr.h"
#include "dsl-share-message.h"
#include "dsl-share-sheet.h"
#include "dsl-test-util.h"

#define URL "https://docspace.example.com/s/Qw3rTy12AbC"
#define PASSWORD "Pa55&word#1"

static gboolean have_display;
static char *tmp_dir;

typedef struct {
  GtkWindow     *window;
  DslItem       *item;
  DslLink       *link;
  DslLinkRow    *row;
  DslShareSheet *sheet;
  char          *opened;     /* the URI "open-uri" was emitted with */
  guint          n_opened;
} Fixture;

/* --- helpers --- */

static char *
zbar_decode (const char *path)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path,
                         NULL };

  g_assert_nonnull (zbarimg);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  if (g_str_has_suffix (out, "\n"))
    out[strlen (out) - 1] = '\0';
  return g_steal_pointer (&out);
}

static char *
decode_texture (GdkTexture *texture,
                const char *name)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  return zbar_decode (path);
}

/* `widget` as drawn, rendered by its window's renderer. */
static GdkTexture *
render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  /* a window's bounds include its shadow: its intrinsic size, not its width, is 1:1 */
  int width = gdk_paintable_get_intrinsic_width (paintable);
  int height = gdk_paintable_get_intrinsic_height (paintable);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;

  g_assert_cmpint (width, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static gboolean
have_zbarimg (void)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");

  return zbarimg != NULL;
}

static gboolean
sheet_shown (Fixture *f, gconstpointer data)
{
  return dsl_test_find_window (DSL_TYPE_SHARE_SHEET) != NULL;
}

static gboolean
sheet_laid_out (Fixture *f, gconstpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (f->sheet)) > 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (f->sheet));
}

static gboolean
label_shown (Fixture *f, gconstpointer prefix)
{
  GtkLabel *label = NULL;

  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (f->sheet)); w != NULL; )
    {
      if (GTK_IS_LABEL (w) && gtk_widget_get_mapped (w) &&
          g_str_has_prefix (gtk_label_get_text (GTK_LABEL (w)), prefix))
        {
          label = GTK_LABEL (w);
          break;
        }
      /* depth first */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            {
              w = gtk_widget_get_parent (w);
              if (w == GTK_WIDGET (f->sheet))
                w = NULL;
            }
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  return label != NULL;
}

static GtkWidget *
sheet_widget (Fixture    *f,
              const char *id)
{
  return dsl_test_get_widget (GTK_WIDGET (f->sheet), id);
}

static gboolean
on_open_uri (DslShareSheet *sheet,
             const char    *uri,
             Fixture       *f)
{
  g_free (f->opened);
  f->opened = g_strdup (uri);
  f->n_opened++;
  return TRUE;  /* handled: the default handler (gtk_show_uri_full) does not run */
}

/* Opens the sheet as a person does: the row's menu has "Share…", activating it presents it. */
static void
open_sheet (Fixture *f)
{
  GtkWidget *button = dsl_test_get_widget (GTK_WIDGET (f->row), "menu_button");
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  gboolean found = FALSE;

  g_assert_nonnull (menu);
  for (int i = 0; i < g_menu_model_get_n_items (menu) && !found; i++)
    {
      GMenuModel *section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *action = NULL;
          g_autofree char *label = NULL;

          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          if (g_strcmp0 (action, "link-row.share") == 0)
            {
              g_assert_cmpstr (label, ==, "_Share…");
              found = TRUE;
            }
        }
      g_clear_object (&section);
    }
  g_assert_true (found);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->row), "link-row.share", NULL));
  dsl_test_run_until (f, sheet_shown, NULL);
  f->sheet = DSL_SHARE_SHEET (dsl_test_find_window (DSL_TYPE_SHARE_SHEET));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (f->sheet)) == f->window);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (f->sheet)));
  g_signal_connect (f->sheet, "open-uri", G_CALLBACK (on_open_uri), f);
  dsl_test_run_until (f, sheet_laid_out, NULL);
}

/* --- fixture --- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const char *url = data != NULL ? data : URL;
  g_autoptr(GDateTime) expiry = NULL;
  g_autoptr(GDateTime) now = NULL;
  GtkWidget *list;

  if (!have_display)
    return;

  f->item = g_object_new (DSL_TYPE_ITEM,
                          "kind", DSL_ITEM_KIND_FILE,
                          "id", "401",
                          "title", "Q3 report & plan #2.docx",
                          "can-share", TRUE,
                          NULL);
  f->link = dsl_link_new ();
  dsl_link_set_id (f->link, "link-1");
  dsl_link_set_title (f->link, "Partners");
  dsl_link_set_share_link (f->link, url);
  dsl_link_set_access (f->link, DSL_ACCESS_READ);
  dsl_link_set_subject_type (f->link, DSL_SUBJECT_TYPE_EXTERNAL_LINK);
  dsl_link_set_password (f->link, PASSWORD);
  now = g_date_time_new_now_utc ();
  expiry = g_date_time_add_days (now, 10);
  dsl_link_set_expiration_date (f->link, expiry);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 420, 400);
  list = gtk_list_box_new ();
  f->row = DSL_LINK_ROW (dsl_link_row_new (f->item, f->link));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (f->row));
  gtk_window_set_child (f->window, list);
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWindow *sheet;

  if (!have_display)
    return;
  while ((sheet = dsl_test_find_window (GTK_TYPE_FILE_CHOOSER_DIALOG)) != NULL)
    gtk_window_destroy (sheet);
  while ((sheet = dsl_test_find_window (DSL_TYPE_SHARE_SHEET)) != NULL)
    gtk_window_destroy (sheet);
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->item);
  g_clear_object (&f->link);
  g_clear_pointer (&f->opened, g_free);
}

/* --- tests --- */

/* Every control has a name, said once, without a mnemonic underscore; the QR image is an
 * image named "QR code of the link" and described by the address; the address is shown as
 * selectable plain text. */
static void
test_accessible_names (Fixture *f, gconstpointer data)
{
  static const struct { const char *id; const char *name; } controls[] = {
    { "copy_qr_button", "Copy QR Code" },
    { "save_png_button", "Save as PNG…" },
    { "save_svg_button", "Save as SVG…" },
    { "email_button", "Send by E-mail…" },
    { "copy_message_button", "Copy as Message" },
  };
  GtkWidget *qr_view, *url_label;
  char *message;

  if (dsl_test_skip_without_display ())
    return;
  open_sheet (f);

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      GtkWidget *button = sheet_widget (f, controls[i].id);
      g_autofree char *doubled = g_strdup_printf ("%s %s", controls[i].name, controls[i].name);

      g_assert_true (gtk_widget_get_mapped (button));
      gtk_test_accessible_assert_role (button, GTK_ACCESSIBLE_ROLE_BUTTON);
      /* One source of the name: GTK 4.8 sets the label property from the button's label;
       * a newer GTK may point to its label widget instead. Both at once is said twice. */
      if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL))
        {
          message = gtk_test_accessible_check_property (GTK_ACCESSIBLE (button),
                                                        GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                        controls[i].name);
          g_assert_null (message);
          /* not "Copy QR Code Copy QR Code" */
          message = gtk_test_accessible_check_property (GTK_ACCESSIBLE (button),
                                                        GTK_ACCESSIBLE_PROPERTY_LABEL, doubled);
          g_assert_nonnull (message);
          g_free (message);
          g_assert_false (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (button),
                                                            GTK_ACCESSIBLE_RELATION_LABELLED_BY));
        }
      else
        {
          g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (button),
                                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY));
          g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, controls[i].name);
        }
      /* no mnemonic underscore */
      g_assert_null (strchr (controls[i].name, '_'));
      g_assert_false (gtk_button_get_use_underline (GTK_BUTTON (button)));
      g_assert_true (gtk_widget_is_sensitive (button));
    }

  qr_view = sheet_widget (f, "qr_view");
  g_assert_true (gtk_widget_get_mapped (qr_view));
  gtk_test_accessible_assert_role (qr_view, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (qr_view, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "QR code of the link");
  gtk_test_accessible_assert_property (qr_view, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, URL);

  url_label = sheet_widget (f, "url_label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (url_label)), ==, URL);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (url_label)));
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (url_label)));
  g_assert_false (gtk_widget_get_visible (sheet_widget (f, "qr_error_label")));
  /* the first focus: not the address (a focused label selects all its text) */
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (f->sheet)) == sheet_widget (f, "email_button"));

  /* for a person to look at: the sheet as drawn */
  if (g_getenv ("DSL_ARTIFACTS") != NULL)
    {
      g_autoptr(GdkTexture) shot = render_widget (GTK_WIDGET (f->sheet));
      g_autofree char *path = g_build_filename (g_getenv ("DSL_ARTIFACTS"), "share-sheet.png",
                                                NULL);

      graphene_point_t at;
      double sx, sy;

      g_assert_true (gtk_widget_compute_point (qr_view, GTK_WIDGET (f->sheet),
                                               &GRAPHENE_POINT_INIT (0, 0), &at));
      gtk_native_get_surface_transform (GTK_NATIVE (f->sheet), &sx, &sy);
      g_test_message ("qr view at %g,%g in the window, surface transform %g,%g",
                      at.x, at.y, sx, sy);
      g_mkdir_with_parents (g_getenv ("DSL_ARTIFACTS"), 0755);
      g_assert_true (gdk_texture_save_to_png (shot, path));
    }
}

typedef struct {
  GdkTexture *texture;
  gboolean    done;
} TextureResult;

static void
read_texture_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TextureResult *r = user_data;
  g_autoptr(GError) error = NULL;

  r->texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), result, &error);
  g_assert_no_error (error);
  r->done = TRUE;
}

typedef struct {
  gboolean exited;
  int      status;
} ChildResult;

static void
child_exited (GPid     pid,
              int      status,
              gpointer user_data)
{
  ChildResult *r = user_data;

  r->status = status;
  r->exited = TRUE;
  g_spawn_close_pid (pid);
}

/* What another program pastes: `xclip -o -t image/png` runs while the main loop serves the
 * selection; its output is written to `path`. FALSE without xclip. */
static gboolean
paste_png_with_xclip (Fixture    *f,
                      const char *path)
{
  g_autofree char *xclip = g_find_program_in_path ("xclip");
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  ChildResult r = { 0 };
  GPid pid;
  const char *argv[] = { "/bin/sh", "-c", NULL, NULL };

  if (xclip == NULL)
    return FALSE;
  command = g_strdup_printf ("'%s' -selection clipboard -t image/png -o > '%s'", xclip, path);
  argv[2] = command;
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                NULL, &pid, &error));
  g_assert_no_error (error);
  g_child_watch_add (pid, child_exited, &r);
  while (!r.exited)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_spawn_check_wait_status (r.status, NULL));
  return TRUE;
}

/* "Copy QR Code": the clipboard holds an image, whole pixels per module, that decodes to the
 * link, in this process and for another program (image/png through the X server). */
static void
test_copy_qr (Fixture *f, gconstpointer data)
{
  TextureResult r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DslQr) qr = dsl_qr_encode (URL, &error);
  g_autofree char *decoded = NULL;
  g_autofree char *pasted_path = NULL;
  int full, module;

  if (dsl_test_skip_without_display ())
    return;
  g_assert_no_error (error);
  open_sheet (f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->sheet), "share.copy-qr", NULL));
  dsl_test_run_until (f, label_shown, "QR code copied");

  gdk_clipboard_read_texture_async (gtk_widget_get_clipboard (GTK_WIDGET (f->window)), NULL,
                                    read_texture_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (r.texture);
  full = dsl_qr_get_full_width (qr);
  module = dsl_share_sheet_png_module_size (full);
  g_assert_cmpint (gdk_texture_get_width (r.texture), ==, full * module);
  g_assert_cmpint (gdk_texture_get_height (r.texture), ==, full * module);
  g_assert_cmpint (gdk_texture_get_width (r.texture), >=, 512);

  if (!have_zbarimg ())
    {
      g_object_unref (r.texture);
      g_test_skip ("zbarimg (zbar-tools) is not installed");
      return;
    }
  decoded = decode_texture (r.texture, "clipboard.png");
  g_assert_cmpstr (decoded, ==, URL);
  g_object_unref (r.texture);

  pasted_path = g_build_filename (tmp_dir, "pasted.png", NULL);
  if (paste_png_with_xclip (f, pasted_path))
    {
      g_autofree char *pasted = zbar_decode (pasted_path);

      g_assert_cmpstr (pasted, ==, URL);
    }
  else
    g_test_message ("xclip is not installed: the paste by another program is not checked");
}

/* The QR view as drawn: rendered to pixels, every pixel of the code is pure black or pure
 * white (no grey seams or blurred edges) and it decodes to the link, at two sizes. */
static void
render_and_check (Fixture    *f,
                  const char *name)
{
  GtkWidget *view = sheet_widget (f, "qr_view");
  g_autoptr(GdkTexture) texture = render_widget (view);
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = NULL;
  gsize stride = (gsize) width * 4;
  guint black = 0, white = 0;

  g_assert_cmpint (width, ==, gtk_widget_get_width (view));
  g_assert_cmpint (height, ==, gtk_widget_get_height (view));
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + y * stride + x * 4;  /* B G R A (premultiplied) */

        if (p[3] == 0)
          continue;  /* outside the code */
        g_assert_cmpuint (p[3], ==, 255);
        g_assert_true ((p[0] == 0 && p[1] == 0 && p[2] == 0) ||
                       (p[0] == 255 && p[1] == 255 && p[2] == 255));
        if (p[0] == 0)
          black++;
        else
          white++;
      }
  g_assert_cmpuint (black, >, 0);
  g_assert_cmpuint (white, >, black);  /* the quiet zone alone is a third of the area */
  if (have_zbarimg ())
    {
      g_autofree char *decoded = decode_texture (texture, name);

      g_assert_cmpstr (decoded, ==, URL);
    }
}

static gboolean
view_height_is (Fixture *f, gconstpointer height)
{
  return gtk_widget_get_height (sheet_widget (f, "qr_view")) == GPOINTER_TO_INT (height);
}

static void
test_drawn_crisp (Fixture *f, gconstpointer data)
{
  if (dsl_test_skip_without_display ())
    return;
  open_sheet (f);
  dsl_test_run_until (f, view_height_is, GINT_TO_POINTER (240));
  render_and_check (f, "drawn-240.png");
  /* a size that is no multiple of the code's width */
  gtk_widget_set_size_request (sheet_widget (f, "qr_view"), -1, 317);
  dsl_test_run_until (f, view_height_is, GINT_TO_POINTER (317));
  render_and_check (f, "drawn-317.png");
}

/* "Send by E-mail…": one mailto: URI with the subject and body of dsl-share-message; never the
 * password, but saying that one is needed. */
static void
test_email (Fixture *f, gconstpointer data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(DslShareMessage) message = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *encoded_password = NULL;

  if (dsl_test_skip_without_display ())
    return;
  open_sheet (f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->sheet), "share.email", NULL));
  g_assert_cmpuint (f->n_opened, ==, 1);
  message = dsl_share_message_new (f->item, f->link, now);
  expected = dsl_share_message_to_mailto (message);
  g_assert_cmpstr (f->opened, ==, expected);
  g_assert_true (g_str_has_prefix (f->opened,
                                   "mailto:?subject=Link%20to%20%E2%80%9CQ3%20report%20%26%20"
                                   "plan%20%232.docx%20%E2%80%94%20Partners%E2%80%9D&body="));
  g_assert_nonnull (strstr (f->opened, "https%3A%2F%2Fdocspace.example.com%2Fs%2FQw3rTy12AbC"
                                       "%0D%0A"));
  g_assert_nonnull (strstr (f->opened, "%0D%0AExpires%20on%20"));
  g_assert_nonnull (strstr (f->opened, "The%20password%20is%20sent%20separately."));
  encoded_password = g_uri_escape_string (PASSWORD, NULL, FALSE);
  g_assert_null (strstr (f->opened, "Pa55"));
  g_assert_null (strstr (f->opened, encoded_password));
}

/* "Copy as Message": the mail's body, as Copy as Message in the link menu copies it. */
static void
test_copy_message (Fixture *f, gconstpointer data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *expected = NULL;
  g_autofree char *copied = NULL;

  if (dsl_test_skip_without_display ())
    return;
  open_sheet (f);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->sheet), "share.copy-message",
                                             NULL));
  dsl_test_run_until (f, label_shown, "Message copied");
  copied = dsl_test_read_clipboard (GTK_WIDGET (f->window));
  expected = dsl_link_format_message (f->item, f->link, now);
  g_assert_cmpstr (copied, ==, expected);
  g_assert_null (strstr (copied, PASSWORD));
  g_assert_nonnull (strstr (copied, URL "\n"));
}

/* What Save as PNG… and Save as SVG… write decodes to the link (the dialog itself is the
 * desktop's). */
static void
test_file_bytes (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) svg = NULL;
  g_autofree char *png_path = g_build_filename (tmp_dir, "saved.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  if (dsl_test_skip_without_display ())
    return;
  open_sheet (f);
  png = dsl_share_sheet_dup_file_bytes (f->sheet, DSL_SHARE_FORMAT_PNG);
  svg = dsl_share_sheet_dup_file_bytes (f->sheet, DSL_SHARE_FORMAT_SVG);
  g_assert_nonnull (png);
  g_assert_nonnull (svg);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (svg, NULL), g_bytes_get_size (svg),
                                  "shape-rendering=\"crispEdges\""));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (svg, NULL), g_bytes_get_size (svg),
                                  "<title>QR code of " URL "</title>"));
  texture = gdk_texture_new_from_bytes (png, &error);
  g_assert_no_error (error);
  if (have_zbarimg ())
    {
      g_autofree char *decoded = NULL;

      g_file_set_contents (png_path, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                           &error);
      g_assert_no_error (error);
      decoded = zbar_decode (png_path);
      g_assert_cmpstr (decoded, ==, URL);
    }
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  const char *text = GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;

  return text != NULL && gtk_widget_get_mapped (widget) &&
         (g_strcmp0 (text, label) == 0 ||
          (text[0] == '_' && g_strcmp0 (text + 1, label) == 0));
}

static gboolean
chooser_has_file (GtkFileChooser *chooser, gconstpointer target)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (chooser);

  return file != NULL && g_file_equal (file, (GFile *) target);
}

static gboolean
chooser_shown (Fixture *f, gconstpointer data)
{
  return dsl_test_find_window (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

/* The toast that says this file was written (the write is done then). */
static gboolean
file_saved (Fixture *f, gconstpointer file_name)
{
  g_autofree char *said = g_strdup_printf ("Saved as “%s”", (const char *) file_name);

  return label_shown (f, said);
}

/* Save as PNG… / Save as SVG… through the file chooser (GtkFileChooserNative; here, outside a
 * sandbox, GTK's own dialog): the suggested name, then the file written where the person chose,
 * read back by zbarimg (the SVG made a PNG by rsvg-convert when it is there). */
static void
save_through_chooser (Fixture    *f,
                      const char *action,
                      const char *file_name,
                      const char *suffix)
{
  g_autofree char *path = g_build_filename (tmp_dir, file_name, NULL);
  g_autoptr(GFile) target = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *suggested = NULL;
  g_autofree char *expected = g_strconcat ("Q3 report & plan #2.docx — Partners QR code", suffix,
                                           NULL);
  GtkWindow *chooser;
  GtkWidget *save;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->sheet), action, NULL));
  dsl_test_run_until (f, chooser_shown, NULL);
  chooser = dsl_test_find_window (GTK_TYPE_FILE_CHOOSER_DIALOG);
  suggested = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (suggested, ==, expected);
  /* typed as a person may: the whole path in the name entry */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), path);
  dsl_test_run_until (chooser, chooser_has_file, target);
  /* as a person does: its "Save" button */
  save = dsl_test_find_descendant (GTK_WIDGET (chooser), is_button_labelled, "Save");
  g_assert_nonnull (save);
  g_assert_true (gtk_widget_activate (save));
  dsl_test_run_until (f, file_saved, file_name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* GTK's own file chooser measures the free space of every mount in its sidebar; in the test
 * session the document portal's FUSE mount refuses that (a warning about the session, not
 * about the sheet): dropped. Every other message goes to GLib's writer, fatal as before. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, "Failed to measure available space: ") &&
        strstr (fields[i].value, "/doc: Operation not permitted") != NULL)
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
test_save_files (Fixture *f, gconstpointer data)
{
  g_autofree char *png = g_build_filename (tmp_dir, "chosen.png", NULL);
  g_autofree char *svg = g_build_filename (tmp_dir, "chosen.svg", NULL);
  g_autofree char *svg_png = g_build_filename (tmp_dir, "chosen-svg.png", NULL);
  g_autofree char *rsvg = g_find_program_in_path ("rsvg-convert");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  if (dsl_test_skip_without_display ())
    return;
  open_sheet (f);

  save_through_chooser (f, "share.save-png", "chosen.png", ".png");
  save_through_chooser (f, "share.save-svg", "chosen.svg", ".svg");
  g_file_get_contents (svg, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "<?xml"));
  g_assert_nonnull (strstr (contents, "shape-rendering=\"crispEdges\""));
  if (!have_zbarimg ())
    {
      g_test_skip ("zbarimg (zbar-tools) is not installed");
      return;
    }
  {
    g_autofree char *decoded = zbar_decode (png);

    g_assert_cmpstr (decoded, ==, URL);
  }
  if (rsvg != NULL)
    {
      const char *argv[] = { rsvg, "-b", "white", "-o", svg_png, svg, NULL };
      int status = 0;
      g_autofree char *decoded = NULL;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                   NULL, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      decoded = zbar_decode (svg_png);
      g_assert_cmpstr (decoded, ==, URL);
    }
}

/* A link too long for a QR code: said plainly, no code, no QR buttons; mail and message still
 * work. */
static void
test_too_long (Fixture *f, gconstpointer data)
{
  GtkWidget *error_label;

  if (dsl_test_skip_without_display ())
    return;
  open_sheet (f);

  error_label = sheet_widget (f, "qr_error_label");
  g_assert_true (gtk_widget_get_mapped (error_label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error_label)),
                            "too long for a QR code"));
  g_assert_false (gtk_widget_get_visible (sheet_widget (f, "qr_view")));
  g_assert_false (gtk_widget_is_sensitive (sheet_widget (f, "copy_qr_button")));
  g_assert_false (gtk_widget_is_sensitive (sheet_widget (f, "save_png_button")));
  g_assert_false (gtk_widget_is_sensitive (sheet_widget (f, "save_svg_button")));
  g_assert_null (dsl_share_sheet_dup_file_bytes (f->sheet, DSL_SHARE_FORMAT_PNG));
  g_assert_true (gtk_widget_is_sensitive (sheet_widget (f, "email_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->sheet), "share.email", NULL));
  g_assert_cmpuint (f->n_opened, ==, 1);
}

/* Closing the window closes the sheet with it (destroy-with-parent), cleanly. */
static void
test_parent_closed (Fixture *f, gconstpointer data)
{
  DslShareSheet *sheet;

  if (dsl_test_skip_without_display ())
    return;
  open_sheet (f);
  sheet = f->sheet;
  /* toasts shown and queued when it goes */
  gtk_widget_activate_action (GTK_WIDGET (f->sheet), "share.copy-qr", NULL);
  dsl_test_run_until (f, label_shown, "QR code copied");
  gtk_widget_activate_action (GTK_WIDGET (f->sheet), "share.copy-message", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->sheet), "share.copy-qr", NULL);
  dsl_test_run_for (300);
  g_object_add_weak_pointer (G_OBJECT (sheet), (gpointer *) &sheet);
  gtk_window_destroy (f->window);
  f->window = NULL;
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (sheet);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *too_long = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Through the shared writer, which dsl_test_init_display installs (g_log_set_writer_func may
   * be called once in a process). */
  dsl_test_set_log_writer (log_writer);
  have_display = dsl_test_init_display ();
  tmp_dir = g_dir_make_tmp ("dsl-test-share-sheet-XXXXXX", &error);
  g_assert_no_error (error);
  {
    GString *url = g_string_new ("https://docspace.example.com/s/");

    while (url->len <= DSL_QR_MAX_BYTES + 10)
      g_string_append (url, "abcdefghij");
    too_long = g_string_free (url, FALSE);
  }

#define add_test(name, func, data) \
  g_test_add ("/dsl/ui/share-sheet/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)
  add_test ("accessible-names", test_accessible_names, NULL);
  add_test ("copy-qr", test_copy_qr, NULL);
  add_test ("drawn-crisp", test_drawn_crisp, NULL);
  add_test ("email", test_email, NULL);
  add_test ("copy-message", test_copy_message, NULL);
  add_test ("file-bytes", test_file_bytes, NULL);
  add_test ("save-files", test_save_files, NULL);
  add_test ("too-long", test_too_long, too_long);
  add_test ("parent-closed", test_parent_closed, NULL);
  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_remove (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}

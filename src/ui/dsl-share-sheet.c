/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-share-sheet.c: the share sheet of one link.
 *
 *   DslLink (a copy) + DslItem ──dsl_qr_encode──▶ DslQr ──▶ DslQrView (rectangles snapped to
 *   │                                                   │     whole device pixels)
 *   │                                                   ├─▶ PNG bytes ─▶ GdkTexture (clipboard)
 *   │                                                   └─▶ PNG / SVG ─▶ GtkFileChooserNative
 *   └──dsl_share_message_new──▶ subject + body ──▶ mailto: ──"open-uri"──▶ gtk_show_uri_full
 *                                                └──▶ clipboard text ("Copy as Message")
 *
 * Results and failures are toasts in the sheet's own overlay. */
#define G_LOG_DOMAIN "dsl-share-sheet"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "dsl-link-form.h"
#include "dsl-qr.h"
#include "dsl-share-message.h"
#include "dsl-share-sheet.h"
#include "dsl-ui-util.h"

/* --- DslQrView: the code as rectangles --- */

#define DSL_TYPE_QR_VIEW (dsl_qr_view_get_type ())
G_DECLARE_FINAL_TYPE (DslQrView, dsl_qr_view, DSL, QR_VIEW, GtkWidget)

struct _DslQrView
{
  GtkWidget  parent_instance;

  DslQr     *qr;   /* owned; NULL: nothing drawn */
};

G_DEFINE_FINAL_TYPE (DslQrView, dsl_qr_view, GTK_TYPE_WIDGET)

static void
dsl_qr_view_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  DslQrView *self = DSL_QR_VIEW (widget);
  int full = self->qr != NULL ? dsl_qr_get_full_width (self->qr) : 0;

  /* at least 2 pixels per module: a phone reads it off the screen */
  *minimum = 2 * full;
  *natural = MAX (2 * full, 240);
}

/* Each module is a whole number of device pixels, and the code starts on a device pixel, so
 * the edges are sharp at any size and scale: no scaled bitmap, no antialiased seams. */
static void
dsl_qr_view_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  DslQrView *self = DSL_QR_VIEW (widget);
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA black = { 0, 0, 0, 1 };
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  int full, n, device_module;
  double module, side, ox, oy;

  if (self->qr == NULL)
    return;
  full = dsl_qr_get_full_width (self->qr);
  n = dsl_qr_get_width (self->qr);
  device_module = MAX (1, MIN (width, height) * scale / full);
  module = (double) device_module / scale;
  side = module * full;
  ox = floor ((width - side) / 2 * scale) / scale;
  oy = floor ((height - side) / 2 * scale) / scale;

  /* dark on light whatever the style: that is what readers expect */
  gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (ox, oy, side, side));
  for (int y = 0; y < n; y++)
    for (int x = 0; x < n; x++)
      {
        int run = 0;

        while (x + run < n && dsl_qr_is_dark (self->qr, x + run, y))
          run++;
        if (run == 0)
          continue;
        gtk_snapshot_append_color (snapshot, &black,
                                   &GRAPHENE_RECT_INIT (ox + (x + DSL_QR_QUIET_ZONE) * module,
                                                        oy + (y + DSL_QR_QUIET_ZONE) * module,
                                                        run * module, module));
        x += run;
      }
}

static void
dsl_qr_view_finalize (GObject *object)
{
  DslQrView *self = DSL_QR_VIEW (object);

  g_clear_pointer (&self->qr, dsl_qr_unref);
  G_OBJECT_CLASS (dsl_qr_view_parent_class)->finalize (object);
}

static void
dsl_qr_view_class_init (DslQrViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dsl_qr_view_finalize;
  widget_class->measure = dsl_qr_view_measure;
  widget_class->snapshot = dsl_qr_view_snapshot;
  gtk_widget_class_set_css_name (widget_class, "dsl-qr-view");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dsl_qr_view_init (DslQrView *self)
{
}

static void
dsl_qr_view_set_qr (DslQrView *self,
                    DslQr     *qr)
{
  g_clear_pointer (&self->qr, dsl_qr_unref);
  self->qr = qr != NULL ? dsl_qr_ref (qr) : NULL;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* --- DslShareSheet --- */

struct _DslShareSheet
{
  AdwWindow        parent_instance;

  /* template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  DslQrView       *qr_view;
  GtkLabel        *qr_error_label;
  GtkLabel        *url_label;
  GtkWidget       *qr_buttons;
  GtkWidget       *email_button;

  /* owned */
  DslItem         *item;
  DslLink         *link;
  DslQr           *qr;          /* NULL when the address is too long (or missing) */
  char            *title;       /* the item (and link) as a message names it */
  GCancellable    *cancellable;
  GtkNativeDialog *chooser;     /* Save as PNG… / SVG… while it is open; or NULL */
};

G_DEFINE_FINAL_TYPE (DslShareSheet, dsl_share_sheet, ADW_TYPE_WINDOW)

enum {
  OPEN_URI,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (DslShareSheet *self,
       const char    *text)
{
  /* an answer that came in after the sheet was closed: nobody to tell */
  if (self->toast_overlay == NULL)
    return;
  adw_toast_overlay_add_toast (self->toast_overlay, dsl_plain_toast_new (text));
}

int
dsl_share_sheet_png_module_size (int full_width)
{
  g_return_val_if_fail (full_width > 0, 4);
  return CLAMP (1024 / full_width, 4, 32);
}

GBytes *
dsl_share_sheet_dup_file_bytes (DslShareSheet  *self,
                                DslShareFormat  format)
{
  g_autofree char *svg = NULL;
  g_autofree char *svg_title = NULL;
  gsize length;

  g_return_val_if_fail (DSL_IS_SHARE_SHEET (self), NULL);

  if (self->qr == NULL)
    return NULL;
  if (format == DSL_SHARE_FORMAT_PNG)
    return dsl_qr_to_png (self->qr,
                          dsl_share_sheet_png_module_size (dsl_qr_get_full_width (self->qr)));
  /* Translators: the title inside a saved SVG file; %s is the link's address */
  svg_title = g_strdup_printf (_("QR code of %s"), dsl_link_get_share_link (self->link));
  svg = dsl_qr_to_svg (self->qr, 8, svg_title);
  length = strlen (svg);
  return g_bytes_new_take (g_steal_pointer (&svg), length);
}

/* --- actions --- */

static void
copy_qr_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DslShareSheet *self = DSL_SHARE_SHEET (widget);
  g_autoptr(GBytes) png = dsl_share_sheet_dup_file_bytes (self, DSL_SHARE_FORMAT_PNG);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  if (png == NULL)
    return;
  texture = gdk_texture_new_from_bytes (png, &error);
  if (texture == NULL)
    {
      toast (self, error->message);
      return;
    }
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (widget), texture);
  toast (self, _("QR code copied"));
}

static void
replace_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DslShareSheet) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: %s is the reason, from the system */
      message = g_strdup_printf (_("The QR code could not be saved: %s"), error->message);
      toast (self, message);
      return;
    }
  name = g_file_get_basename (G_FILE (object));
  /* Translators: %s is a file name */
  message = g_strdup_printf (_("Saved as “%s”"), name);
  toast (self, message);
}

static void
on_save_response (GtkNativeDialog *chooser,
                  int              response,
                  DslShareSheet   *self)
{
  DslShareFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "dsl-format"));
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && (bytes = dsl_share_sheet_dup_file_bytes (self, format)) != NULL)
    g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                         self->cancellable, replace_cb, g_object_ref (self));
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

/* "Q3 report.docx — Partners QR code.png", without characters a file name cannot hold. */
static char *
suggested_name (DslShareSheet  *self,
                DslShareFormat  format)
{
  /* Translators: a file name for a saved QR code; %s is the item's (and link's) name */
  g_autofree char *base = g_strdup_printf (_("%s QR code"), self->title);

  for (char *p = base; *p != '\0'; p++)
    if (*p == '/' || *p == '\\' || (guchar) *p < 0x20)
      *p = '_';
  return g_strconcat (base, format == DSL_SHARE_FORMAT_PNG ? ".png" : ".svg", NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DslShareSheet *self = DSL_SHARE_SHEET (widget);
  DslShareFormat format = g_str_equal (action_name, "share.save-png") ? DSL_SHARE_FORMAT_PNG
                                                                      : DSL_SHARE_FORMAT_SVG;
  g_autofree char *name = suggested_name (self, format);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->qr == NULL || self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (format == DSL_SHARE_FORMAT_PNG
                                           ? _("Save QR Code as PNG")
                                           : _("Save QR Code as SVG"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("Save"), _("Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (format == DSL_SHARE_FORMAT_PNG)
    {
      gtk_file_filter_set_name (filter, _("PNG image"));
      gtk_file_filter_add_mime_type (filter, "image/png");
    }
  else
    {
      gtk_file_filter_set_name (filter, _("SVG image"));
      gtk_file_filter_add_mime_type (filter, "image/svg+xml");
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data (G_OBJECT (chooser), "dsl-format", GINT_TO_POINTER (format));
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_save_response), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static DslShareMessage *
make_message (DslShareSheet *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return dsl_share_message_new (self->item, self->link, now);
}

static void
copy_message_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DslShareSheet *self = DSL_SHARE_SHEET (widget);
  g_autoptr(DslShareMessage) message = make_message (self);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), message->body);
  toast (self, _("Message copied"));
}

static void
email_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DslShareSheet *self = DSL_SHARE_SHEET (widget);
  g_autoptr(DslShareMessage) message = make_message (self);
  g_autofree char *uri = dsl_share_message_to_mailto (message);
  gboolean handled = FALSE;

  g_signal_emit (self, signals[OPEN_URI], 0, uri, &handled);
}

static void
show_uri_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DslShareSheet) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Translators: %s is the reason, from the system */
  message = g_strdup_printf (_("No mail program could be opened: %s"), error->message);
  toast (self, message);
}

/* The default "open-uri": the desktop's handler of mailto: (in Flatpak, the OpenURI portal). */
static gboolean
dsl_share_sheet_real_open_uri (DslShareSheet *self,
                               const char    *uri)
{
  gtk_show_uri_full (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, self->cancellable, show_uri_cb,
                     g_object_ref (self));
  return TRUE;
}

/* --- setting up --- */

static void
sync_sheet (DslShareSheet *self)
{
  const char *url = dsl_link_get_share_link (self->link);
  g_autoptr(GError) error = NULL;

  gtk_label_set_text (self->url_label, url != NULL ? url : "");
  adw_window_title_set_subtitle (self->window_title, self->title);
  gtk_window_set_title (GTK_WINDOW (self), self->title);

  if (url != NULL && *url != '\0')
    self->qr = dsl_qr_encode (url, &error);
  else
    g_set_error_literal (&error, DSL_QR_ERROR, DSL_QR_ERROR_EMPTY,
                         _("This link has no address yet."));
  dsl_qr_view_set_qr (self->qr_view, self->qr);
  gtk_widget_set_visible (GTK_WIDGET (self->qr_view), self->qr != NULL);
  gtk_label_set_text (self->qr_error_label, error != NULL ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->qr_error_label), error != NULL);
  gtk_widget_set_sensitive (self->qr_buttons, self->qr != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "share.copy-qr", self->qr != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "share.save-png", self->qr != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "share.save-svg", self->qr != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "share.email", url != NULL && *url != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "share.copy-message",
                                 url != NULL && *url != '\0');

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->qr_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("QR code of the link"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, url != NULL ? url : "",
                                  -1);
}

/* The parent goes (the application quits, its window is closed): the sheet goes first, and
 * lets go of it. GTK 4.8 keeps a plain pointer to the transient parent and disconnects from it
 * when the sheet is disposed; something still holding the sheet then (the X11 window export of
 * gtk_show_uri_full, the accessibility bridge) made that a use after free at quit. */
static void
on_parent_destroy (DslShareSheet *self)
{
  gtk_window_set_transient_for (GTK_WINDOW (self), NULL);
  gtk_window_destroy (GTK_WINDOW (self));
}

DslShareSheet *
dsl_share_sheet_new (GtkWindow *parent,
                     DslItem   *item,
                     DslLink   *link)
{
  DslShareSheet *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (DSL_IS_LINK (link), NULL);

  self = g_object_new (DSL_TYPE_SHARE_SHEET,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent)
                                                     : NULL,
                       NULL);
  if (parent != NULL)
    g_signal_connect_object (parent, "destroy", G_CALLBACK (on_parent_destroy), self,
                             G_CONNECT_SWAPPED);
  self->item = g_object_ref (item);
  self->link = dsl_link_copy (link);
  self->title = dsl_link_format_share_title (item, link);
  sync_sheet (self);
  return self;
}

/* The first focus is "Send by E-mail…", not the selectable address (a label focused first
 * selects all its text). */
static void
dsl_share_sheet_map (GtkWidget *widget)
{
  DslShareSheet *self = DSL_SHARE_SHEET (widget);

  GTK_WIDGET_CLASS (dsl_share_sheet_parent_class)->map (widget);
  if (gtk_widget_is_sensitive (self->email_button))
    gtk_window_set_focus (GTK_WINDOW (self), self->email_button);
}

static void
dsl_share_sheet_dispose (GObject *object)
{
  DslShareSheet *self = DSL_SHARE_SHEET (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_SHARE_SHEET);
  g_clear_object (&self->item);
  g_clear_object (&self->link);
  g_clear_pointer (&self->qr, dsl_qr_unref);
  G_OBJECT_CLASS (dsl_share_sheet_parent_class)->dispose (object);
}

static void
dsl_share_sheet_finalize (GObject *object)
{
  DslShareSheet *self = DSL_SHARE_SHEET (object);

  g_clear_object (&self->cancellable);
  g_free (self->title);
  G_OBJECT_CLASS (dsl_share_sheet_parent_class)->finalize (object);
}

static void
dsl_share_sheet_class_init (DslShareSheetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_share_sheet_dispose;
  object_class->finalize = dsl_share_sheet_finalize;
  widget_class->map = dsl_share_sheet_map;

  /**
   * DslShareSheet::open-uri:
   * @uri: the mailto: URI of "Send by E-mail…"
   *
   * Returns: TRUE when a handler opened it (the default handler does, asynchronously).
   */
  signals[OPEN_URI] =
    g_signal_new_class_handler ("open-uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (dsl_share_sheet_real_open_uri),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  g_type_ensure (DSL_TYPE_QR_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-share-sheet.ui");
  gtk_widget_class_bind_template_child (widget_class, DslShareSheet, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DslShareSheet, window_title);
  gtk_widget_class_bind_template_child (widget_class, DslShareSheet, qr_view);
  gtk_widget_class_bind_template_child (widget_class, DslShareSheet, qr_error_label);
  gtk_widget_class_bind_template_child (widget_class, DslShareSheet, url_label);
  gtk_widget_class_bind_template_child (widget_class, DslShareSheet, qr_buttons);
  gtk_widget_class_bind_template_child (widget_class, DslShareSheet, email_button);

  gtk_widget_class_install_action (widget_class, "share.copy-qr", NULL, copy_qr_action);
  gtk_widget_class_install_action (widget_class, "share.save-png", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "share.save-svg", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "share.email", NULL, email_action);
  gtk_widget_class_install_action (widget_class, "share.copy-message", NULL,
                                   copy_message_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
dsl_share_sheet_init (DslShareSheet *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

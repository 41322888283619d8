/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-share-sheet.h: "Share…" on a link row (issue 15): the link's address (selectable text),
 * its QR code (drawn crisp at any size), "Copy QR Code" (an image on the clipboard), "Save as
 * PNG…", "Save as SVG…" (GtkFileChooserNative: the file chooser portal in Flatpak), "Send by
 * E-mail…" (a mailto: URI with the item's title, the link and its expiry, never the password,
 * opened through gtk_show_uri_full: the OpenURI portal in Flatpak) and "Copy as Message" (the
 * mail's body as text). A link too long for a QR code says so instead of the code. */
#pragma once

#include <adwaita.h>

#include "dsl-item.h"
#include "dsl-link.h"

G_BEGIN_DECLS

#define DSL_TYPE_SHARE_SHEET (dsl_share_sheet_get_type ())
G_DECLARE_FINAL_TYPE (DslShareSheet, dsl_share_sheet, DSL, SHARE_SHEET, AdwWindow)

typedef enum {
  DSL_SHARE_FORMAT_PNG,
  DSL_SHARE_FORMAT_SVG,
} DslShareFormat;

/* A modal sheet for `link` of `item`, transient for `parent` (may be NULL); not yet presented.
 * The link is copied: what the sheet shows does not change under it. */
DslShareSheet *dsl_share_sheet_new            (GtkWindow      *parent,
                                               DslItem        *item,
                                               DslLink        *link);

/* What "Save as PNG…" / "Save as SVG…" write (NULL when the link has no QR code): the PNG has
 * dsl_share_sheet_png_module_size whole pixels per module. */
GBytes        *dsl_share_sheet_dup_file_bytes (DslShareSheet  *self,
                                               DslShareFormat  format);
/* Pixels per module of the PNG and of the copied image for a code `full_width` modules wide
 * (quiet zone included): about 1,000 pixels, 4 to 32 per module. */
int            dsl_share_sheet_png_module_size (int            full_width);

/* Signals: "open-uri" (const char *uri) → gboolean: "Send by E-mail…" emits it with the mailto:
 * URI; the default handler opens it with gtk_show_uri_full and shows a toast when that fails.
 * A handler returning TRUE has opened it instead (the tests record the URI so).
 *
 * Actions (on the sheet): "share.copy-qr", "share.save-png", "share.save-svg", "share.email",
 * "share.copy-message". Escape closes the sheet. The QR image is an "img" with the accessible
 * name "QR code of the link" and the address as its description. */

G_END_DECLS

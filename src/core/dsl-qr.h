/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-qr.h: a QR code of a link, without GTK (issue 15, the share sheet). libqrencode makes the
 * module matrix (error correction level M, byte mode, the text's UTF-8 bytes as they are); this
 * file draws it as SVG text (one path of whole-module rectangles, crispEdges) and as PNG bytes
 * (8-bit grey, whole pixels per module, with a small zlib-free "stored" deflate writer). Both
 * include the quiet zone of DSL_QR_QUIET_ZONE modules on every side that readers need. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DSL_QR_ERROR (dsl_qr_error_quark ())

typedef enum {
  DSL_QR_ERROR_EMPTY,     /* nothing to encode */
  DSL_QR_ERROR_TOO_LONG,  /* more than a version 40 code holds at level M in byte mode */
  DSL_QR_ERROR_FAILED,    /* libqrencode failed otherwise (out of memory) */
} DslQrError;

/* Modules of white space around the code on every side (ISO/IEC 18004). */
#define DSL_QR_QUIET_ZONE 4
/* The most bytes a version 40 code holds at level M in byte mode. */
#define DSL_QR_MAX_BYTES 2331

typedef struct _DslQr DslQr;

GQuark    dsl_qr_error_quark   (void);

/* The QR code of `text` (its UTF-8 bytes), level M, the smallest version that holds it. NULL
 * with DSL_QR_ERROR_TOO_LONG (a sentence a person can read, giving both lengths) or another
 * DSL_QR_ERROR. Reference counted (immutable). */
DslQr    *dsl_qr_encode        (const char  *text,
                                GError     **error);
DslQr    *dsl_qr_ref           (DslQr       *self);
void      dsl_qr_unref         (DslQr       *self);

/* The version (1..40) and the modules per side, without the quiet zone (17 + 4 × version). */
int       dsl_qr_get_version   (DslQr       *self);
int       dsl_qr_get_width     (DslQr       *self);
/* TRUE for a dark module; x and y count from the code's top left corner, outside the code
 * (the quiet zone, or beyond) is light. */
gboolean  dsl_qr_is_dark       (DslQr       *self,
                                int          x,
                                int          y);
/* The modules per side with the quiet zone: dsl_qr_get_width + 2 × DSL_QR_QUIET_ZONE. */
int       dsl_qr_get_full_width (DslQr      *self);

/* An SVG document of the code: a white background and one black path of rectangles on the
 * module grid (viewBox in modules, quiet zone included), shape-rendering="crispEdges", with
 * width and height of `module_px` × the full width. `title` (may be NULL) is its <title>,
 * escaped. */
char     *dsl_qr_to_svg        (DslQr       *self,
                                int          module_px,
                                const char  *title);
/* A PNG of the code, 8-bit greyscale, `module_px` (1..64) whole pixels per module, quiet zone
 * included: (full width × module_px) pixels square. */
GBytes   *dsl_qr_to_png        (DslQr       *self,
                                int          module_px);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DslQr, dsl_qr_unref)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-qr.c: text ──QRcode_encodeString (level M)──▶ module matrix ──▶ SVG text / PNG bytes.
 *
 * PNG without zlib: the image data is a zlib stream of "stored" (uncompressed) deflate blocks
 * (RFC 1950/1951) of 1-bit grey rows, so a dependency becomes a few dozen lines; a QR code at
 * 1 bit per pixel is small enough without compression (about 130 kB at 1,000 pixels). */
#define G_LOG_DOMAIN "dsl-qr"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <qrencode.h>
#include <string.h>

#include "dsl-qr.h"

struct _DslQr
{
  int      version;
  int      width;
  guint8  *dark;       /* width × width, row by row: 1 for a dark module */
};

G_DEFINE_QUARK (dsl-qr-error-quark, dsl_qr_error)

DslQr *
dsl_qr_encode (const char  *text,
               GError     **error)
{
  QRcode *code;
  DslQr *self;
  gsize length;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  length = strlen (text);
  if (length == 0)
    {
      g_set_error_literal (error, DSL_QR_ERROR, DSL_QR_ERROR_EMPTY,
                           _("There is no address to make a QR code of."));
      return NULL;
    }

  /* Byte mode for everything that is not digits or upper-case letters (QR_MODE_8: no Kanji
   * guessing), case kept. The UTF-8 bytes go in as they are: phone cameras read them so. */
  errno = 0;
  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    {
      int saved = errno;

      if (saved == ERANGE || length > DSL_QR_MAX_BYTES)
        g_set_error (error, DSL_QR_ERROR, DSL_QR_ERROR_TOO_LONG,
                     /* Translators: %u is the link's length in bytes, e.g. 2400, %d the most
                      * a QR code holds, 2331 */
                     _("This link is too long for a QR code: it has %u bytes, a QR code holds "
                       "at most %d. Send the link as text instead."),
                     (guint) MIN (length, G_MAXUINT), DSL_QR_MAX_BYTES);
      else
        g_set_error (error, DSL_QR_ERROR, DSL_QR_ERROR_FAILED,
                     _("The QR code could not be made: %s"), g_strerror (saved));
      return NULL;
    }

  self = g_atomic_rc_box_new0 (DslQr);
  self->version = code->version;
  self->width = code->width;
  self->dark = g_malloc ((gsize) code->width * code->width);
  for (int i = 0; i < code->width * code->width; i++)
    self->dark[i] = code->data[i] & 1;
  QRcode_free (code);
  return self;
}

DslQr *
dsl_qr_ref (DslQr *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

static void
qr_clear (gpointer data)
{
  DslQr *self = data;

  g_free (self->dark);
}

void
dsl_qr_unref (DslQr *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, qr_clear);
}

int
dsl_qr_get_version (DslQr *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->version;
}

int
dsl_qr_get_width (DslQr *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width;
}

int
dsl_qr_get_full_width (DslQr *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->width + 2 * DSL_QR_QUIET_ZONE;
}

gboolean
dsl_qr_is_dark (DslQr *self,
                int    x,
                int    y)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (x < 0 || y < 0 || x >= self->width || y >= self->width)
    return FALSE;
  return self->dark[(gsize) y * self->width + x] != 0;
}

/* --- SVG --- */

char *
dsl_qr_to_svg (DslQr      *self,
               int         module_px,
               const char *title)
{
  GString *svg;
  int full;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (module_px > 0, NULL);

  full = dsl_qr_get_full_width (self);
  svg = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  g_string_append_printf (svg,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
                          "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                          "shape-rendering=\"crispEdges\">\n",
                          full * module_px, full * module_px, full, full);
  if (title != NULL && *title != '\0')
    {
      g_autofree char *escaped = g_markup_escape_text (title, -1);

      g_string_append_printf (svg, "<title>%s</title>\n", escaped);
    }
  g_string_append_printf (svg, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", full, full);
  g_string_append (svg, "<path fill=\"#000\" d=\"");
  /* Each run of dark modules in a row is one rectangle, one module high, on the grid. */
  for (int y = 0; y < self->width; y++)
    for (int x = 0; x < self->width; x++)
      {
        int run = 0;

        while (x + run < self->width && dsl_qr_is_dark (self, x + run, y))
          run++;
        if (run == 0)
          continue;
        g_string_append_printf (svg, "M%d %dh%dv1h-%dz",
                                x + DSL_QR_QUIET_ZONE, y + DSL_QR_QUIET_ZONE, run, run);
        x += run;
      }
  g_string_append (svg, "\"/>\n</svg>\n");
  return g_string_free (svg, FALSE);
}

/* --- PNG --- */

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         length)
{
  static guint32 table[256];
  static gsize table_ready = 0;

  if (g_once_init_enter (&table_ready))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&table_ready, 1);
    }
  crc ^= 0xffffffffu;
  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, bytes, 4);
}

/* length, type, data, CRC of type and data */
static void
append_chunk (GByteArray   *out,
              const char   *type,
              const guint8 *data,
              gsize         length)
{
  guint32 crc;

  g_assert (length <= G_MAXINT32);
  append_be32 (out, (guint32) length);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (out, data, length);
  crc = crc32_update (0, (const guint8 *) type, 4);
  crc = crc32_update (crc, data, length);
  append_be32 (out, crc);
}

/* A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951, BTYPE 00) holding `raw`. */
static GByteArray *
zlib_stored (const guint8 *raw,
             gsize         length)
{
  GByteArray *out = g_byte_array_sized_new (length + length / 65535 * 5 + 16);
  static const guint8 header[2] = { 0x78, 0x01 };  /* deflate, 32K window; (0x7801 % 31) == 0 */
  guint32 a = 1, b = 0;
  gsize done = 0;

  g_byte_array_append (out, header, 2);
  do
    {
      gsize block = MIN (length - done, 65535);
      guint8 head[5];

      head[0] = done + block == length ? 1 : 0;  /* BFINAL, BTYPE 00 */
      head[1] = block & 0xff;
      head[2] = block >> 8;
      head[3] = ~block & 0xff;
      head[4] = (~block >> 8) & 0xff;
      g_byte_array_append (out, head, 5);
      g_byte_array_append (out, raw + done, block);
      done += block;
    }
  while (done < length);

  for (gsize i = 0; i < length; i++)
    {
      a = (a + raw[i]) % 65521;
      b = (b + a) % 65521;
    }
  append_be32 (out, (b << 16) | a);
  return out;
}

GBytes *
dsl_qr_to_png (DslQr *self,
               int    module_px)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(GByteArray) zlib = NULL;
  g_autofree guint8 *raw = NULL;
  guint8 ihdr[13];
  int full, pixels, stride;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (module_px >= 1 && module_px <= 64, NULL);

  full = dsl_qr_get_full_width (self);
  pixels = full * module_px;
  stride = 1 + (pixels + 7) / 8;  /* filter byte, then 1 bit per pixel */

  /* 1-bit grey: 1 is white, 0 black. Start all white, clear the dark modules' bits. */
  raw = g_malloc ((gsize) stride * pixels);
  for (int y = 0; y < pixels; y++)
    {
      guint8 *row = raw + (gsize) y * stride;
      int my = y / module_px - DSL_QR_QUIET_ZONE;

      row[0] = 0;  /* filter: none */
      memset (row + 1, 0xff, stride - 1);
      for (int x = 0; x < pixels; x++)
        if (dsl_qr_is_dark (self, x / module_px - DSL_QR_QUIET_ZONE, my))
          row[1 + x / 8] &= ~(0x80 >> (x % 8));
    }

  /* IHDR: width, height, bit depth 1, colour type 0 (grey), deflate, filter 0, no interlace */
  ihdr[0] = pixels >> 24; ihdr[1] = pixels >> 16; ihdr[2] = pixels >> 8; ihdr[3] = pixels;
  memcpy (ihdr + 4, ihdr, 4);
  ihdr[8] = 1;
  ihdr[9] = 0;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;

  zlib = zlib_stored (raw, (gsize) stride * pixels);
  out = g_byte_array_sized_new (zlib->len + 64);
  g_byte_array_append (out, signature, sizeof signature);
  append_chunk (out, "IHDR", ihdr, sizeof ihdr);
  append_chunk (out, "IDAT", zlib->data, zlib->len);
  append_chunk (out, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

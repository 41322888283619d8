/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-qr.c: dsl_qr_* — the share sheet's QR code read back by a real reader: the PNG and the
 * SVG (made a PNG by rsvg-convert, or ImageMagick's convert) decoded with zbarimg (zbar-tools)
 * must give the link again, for short, long and non-ASCII links; level M (what fits and what
 * does not), the quiet zone, whole pixels per module, the SVG path matching the matrix. Without
 * zbarimg the decoding cases are a TAP SKIP (build-aux/install-deps.sh installs it). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "dsl-qr.h"

static char *tmp_dir;

static char *
find_tool (const char *name)
{
  return g_find_program_in_path (name);
}

/* The text zbarimg reads from the image at `path`, or NULL when it finds no QR code. */
static char *
zbar_decode (const char *path)
{
  g_autofree char *zbarimg = find_tool ("zbarimg");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path,
                         NULL };

  g_assert_nonnull (zbarimg);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("zbarimg %s: %s", path, err);
      return NULL;
    }
  /* --raw: the data, then a newline */
  if (g_str_has_suffix (out, "\n"))
    out[strlen (out) - 1] = '\0';
  return g_steal_pointer (&out);
}

static gboolean
skip_without_zbarimg (void)
{
  g_autofree char *zbarimg = find_tool ("zbarimg");

  if (zbarimg == NULL)
    {
      g_test_skip ("zbarimg (zbar-tools) is not installed");
      return TRUE;
    }
  return FALSE;
}

static char *
write_temp (const char *name,
            const void *data,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (tmp_dir, name, NULL);

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return path;
}

/* The PNG's width and height from its IHDR, checking the signature and the chunk's name. */
static void
png_size (GBytes *png,
          guint  *width,
          guint  *height,
          guint  *depth)
{
  gsize length;
  const guint8 *p = g_bytes_get_data (png, &length);

  g_assert_cmpuint (length, >, 33);
  g_assert_cmpmem (p, 8, "\x89PNG\r\n\x1a\n", 8);
  g_assert_cmpmem (p + 12, 4, "IHDR", 4);
  *width = (guint) p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19];
  *height = (guint) p[20] << 24 | p[21] << 16 | p[22] << 8 | p[23];
  *depth = p[24];
}

static char *
decode_png (DslQr      *qr,
            int         module_px,
            const char *name)
{
  g_autoptr(GBytes) png = dsl_qr_to_png (qr, module_px);
  g_autofree char *path = write_temp (name, g_bytes_get_data (png, NULL), g_bytes_get_size (png));

  return zbar_decode (path);
}

/* The SVG made a PNG by rsvg-convert (or convert), then read by zbarimg. */
static char *
decode_svg (DslQr      *qr,
            const char *name)
{
  g_autofree char *svg = dsl_qr_to_svg (qr, 6, "QR code");
  g_autofree char *svg_name = g_strconcat (name, ".svg", NULL);
  g_autofree char *png_name = g_strconcat (name, ".png", NULL);
  g_autofree char *svg_path = write_temp (svg_name, svg, strlen (svg));
  g_autofree char *png_path = g_build_filename (tmp_dir, png_name, NULL);
  g_autofree char *rsvg = find_tool ("rsvg-convert");
  g_autofree char *convert = find_tool ("convert");
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (rsvg != NULL)
    {
      const char *argv[] = { rsvg, "-b", "white", "-o", png_path, svg_path, NULL };

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                   NULL, NULL, NULL, &status, &error));
    }
  else
    {
      const char *argv[] = { convert, svg_path, png_path, NULL };

      g_assert_nonnull (convert);
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                                   NULL, NULL, NULL, &status, &error));
    }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return zbar_decode (png_path);
}

static void
assert_round_trip (const char *url,
                   const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslQr) qr = dsl_qr_encode (url, &error);
  g_autofree char *from_png = NULL;
  g_autofree char *from_svg = NULL;
  g_autofree char *png_name = g_strconcat (name, ".png", NULL);

  g_assert_no_error (error);
  g_assert_nonnull (qr);
  from_png = decode_png (qr, 4, png_name);
  g_assert_cmpstr (from_png, ==, url);
  from_svg = decode_svg (qr, name);
  g_assert_cmpstr (from_svg, ==, url);
}

static void
test_decode_short (void)
{
  if (skip_without_zbarimg ())
    return;
  assert_round_trip ("https://docspace.example.com/s/AbC123xyZ", "short");
  assert_round_trip ("http://127.0.0.1:39211/rooms/share?key=K3y_0f-the.Room&folder=5#x",
                     "query");
}

static void
test_decode_long (void)
{
  GString *url = g_string_new ("https://docspace.example.com/doceditor?fileid=123&share=");
  g_autoptr(GError) error = NULL;
  g_autoptr(DslQr) qr = NULL;

  if (skip_without_zbarimg ())
    {
      g_string_free (url, TRUE);
      return;
    }
  /* mixed case and digits, about 1,500 bytes: a version in the 30s */
  while (url->len < 1500)
    g_string_append (url, "aZ09-_.~Kq7x");
  qr = dsl_qr_encode (url->str, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dsl_qr_get_version (qr), >=, 30);
  assert_round_trip (url->str, "long");
  g_string_free (url, TRUE);
}

static void
test_decode_unicode (void)
{
  if (skip_without_zbarimg ())
    return;
  /* UTF-8 bytes in byte mode, read back as UTF-8 */
  assert_round_trip ("https://docspace.example.com/s/Ünïcödé-документ-文件-🔗", "unicode");
}

/* Level M: 2331 bytes in byte mode fit a version 40 code, one more does not (level L would
 * hold 2953), and the message says so in words. */
static void
test_level_m_limits (void)
{
  g_autofree char *fits = g_strnfill (DSL_QR_MAX_BYTES, 'a');
  g_autofree char *over = g_strnfill (DSL_QR_MAX_BYTES + 1, 'a');
  g_autoptr(GError) error = NULL;
  g_autoptr(DslQr) qr = NULL;
  DslQr *none;

  qr = dsl_qr_encode (fits, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dsl_qr_get_version (qr), ==, 40);
  g_assert_cmpint (dsl_qr_get_width (qr), ==, 177);

  none = dsl_qr_encode (over, &error);
  g_assert_null (none);
  g_assert_error (error, DSL_QR_ERROR, DSL_QR_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "too long for a QR code"));
  g_assert_nonnull (strstr (error->message, "2332"));
  g_assert_nonnull (strstr (error->message, "2331"));
  g_clear_error (&error);

  none = dsl_qr_encode ("", &error);
  g_assert_null (none);
  g_assert_error (error, DSL_QR_ERROR, DSL_QR_ERROR_EMPTY);

  /* 26 bytes in byte mode: version 2 at level M (version 2 at L holds 32, Q 20, H 14). */
  g_clear_pointer (&qr, dsl_qr_unref);
  g_clear_error (&error);
  qr = dsl_qr_encode ("abcdefghijklmnopqrstuvwxyz", &error);
  g_assert_no_error (error);
  g_assert_cmpint (dsl_qr_get_version (qr), ==, 2);
  g_clear_pointer (&qr, dsl_qr_unref);
  qr = dsl_qr_encode ("abcdefghijklmnopqrstuvwxyz!", &error);
  g_assert_no_error (error);
  g_assert_cmpint (dsl_qr_get_version (qr), ==, 3);
}

/* The PNG: whole pixels per module, the quiet zone white, the modules where the matrix says. */
static void
test_png_pixels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslQr) qr = dsl_qr_encode ("https://docspace.example.com/s/AbC123xyZ", &error);
  g_autoptr(GBytes) png = NULL;
  guint width, height, depth;
  int full;

  g_assert_no_error (error);
  full = dsl_qr_get_full_width (qr);
  g_assert_cmpint (full, ==, dsl_qr_get_width (qr) + 2 * 4);
  png = dsl_qr_to_png (qr, 7);
  png_size (png, &width, &height, &depth);
  g_assert_cmpuint (width, ==, (guint) full * 7);
  g_assert_cmpuint (height, ==, width);
  g_assert_cmpuint (depth, ==, 1);
  /* Finder patterns: the code's corner modules are dark, the quiet zone light. */
  g_assert_true (dsl_qr_is_dark (qr, 0, 0));
  g_assert_true (dsl_qr_is_dark (qr, dsl_qr_get_width (qr) - 1, 0));
  g_assert_false (dsl_qr_is_dark (qr, -1, 0));
  g_assert_false (dsl_qr_is_dark (qr, 0, dsl_qr_get_width (qr)));
}

/* The SVG's path, read back rectangle by rectangle, is the matrix; nothing in the quiet zone. */
static void
test_svg_matches_matrix (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslQr) qr = dsl_qr_encode ("https://docspace.example.com/s/Ab&<\"x\">", &error);
  g_autofree char *svg = NULL;
  g_autofree guint8 *seen = NULL;
  const char *d;
  int n, full;

  g_assert_no_error (error);
  n = dsl_qr_get_width (qr);
  full = dsl_qr_get_full_width (qr);
  svg = dsl_qr_to_svg (qr, 10, "QR code of <a> & \"b\"");
  g_assert_nonnull (strstr (svg, "shape-rendering=\"crispEdges\""));
  g_assert_nonnull (strstr (svg, "<title>QR code of &lt;a&gt; &amp; &quot;b&quot;</title>"));
  {
    g_autofree char *size = g_strdup_printf ("width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\"",
                                             full * 10, full * 10, full, full);
    g_assert_nonnull (strstr (svg, size));
  }

  seen = g_malloc0 ((gsize) full * full);
  d = strstr (svg, " d=\"");
  g_assert_nonnull (d);
  d += 4;
  while (*d == 'M')
    {
      int x, y, run, back, used = 0;

      g_assert_cmpint (sscanf (d, "M%d %dh%dv1h-%dz%n", &x, &y, &run, &back, &used), ==, 4);
      g_assert_cmpint (run, ==, back);
      g_assert_cmpint (x, >=, 4);
      g_assert_cmpint (y, >=, 4);
      g_assert_cmpint (x + run, <=, 4 + n);
      g_assert_cmpint (y, <, 4 + n);
      for (int i = 0; i < run; i++)
        seen[y * full + x + i] = 1;
      d += used;
    }
  g_assert_cmpint (*d, ==, '"');
  for (int y = 0; y < full; y++)
    for (int x = 0; x < full; x++)
      g_assert_cmpint (seen[y * full + x], ==, dsl_qr_is_dark (qr, x - 4, y - 4));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("dsl-test-qr-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/dsl/qr/decode-short", test_decode_short);
  g_test_add_func ("/dsl/qr/decode-long", test_decode_long);
  g_test_add_func ("/dsl/qr/decode-unicode", test_decode_unicode);
  g_test_add_func ("/dsl/qr/level-m-limits", test_level_m_limits);
  g_test_add_func ("/dsl/qr/png-pixels", test_png_pixels);
  g_test_add_func ("/dsl/qr/svg-matches-matrix", test_svg_matches_matrix);
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-debug-info.c: the GTK-free part of the About window's debugging information.
 *
 *   dsl_debug_info_append_* ──▶ text: the app, GLib / libsoup / json-glib / libsecret versions,
 *                                     Flatpak, the accounts' portals from GSettings (memory
 *                                     backend) — never a user id, name, password or token */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dsl-debug-info.h"

#define PORTAL "http://127.0.0.1:8080"
#define USER_ID "a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01"
#define USER_NAME "Olivia Owner"

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” is not in:\n%s", part, text);
}

static void
assert_lacks (const char *text,
              const char *part)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  g_autofree char *lower_part = g_ascii_strdown (part, -1);

  if (strstr (lower, lower_part) != NULL)
    g_error ("“%s” is in:\n%s", part, text);
}

static void
test_versions (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *glib = g_strdup_printf ("GLib %d.%d.%d (running %u.%u.%u)\n",
                                           GLIB_MAJOR_VERSION, GLIB_MINOR_VERSION,
                                           GLIB_MICRO_VERSION, glib_major_version,
                                           glib_minor_version, glib_micro_version);
  g_autofree char *soup = g_strdup_printf ("libsoup %d.%d.%d (running %u.%u.%u)\n",
                                           SOUP_MAJOR_VERSION, SOUP_MINOR_VERSION,
                                           SOUP_MICRO_VERSION, soup_get_major_version (),
                                           soup_get_minor_version (),
                                           soup_get_micro_version ());
  g_autofree char *secret = g_strdup_printf ("libsecret %d.%d.%d (compiled against",
                                             SECRET_MAJOR_VERSION, SECRET_MINOR_VERSION,
                                             SECRET_MICRO_VERSION);

  dsl_debug_info_append_app (text);
  dsl_debug_info_append_core_libraries (text);
  assert_contains (text->str, "DocSpace Links " PACKAGE_VERSION "\n");
  assert_contains (text->str, "Application ID: " APP_ID "\n");
  assert_contains (text->str, glib);
  assert_contains (text->str, soup);
  assert_contains (text->str, "json-glib " JSON_VERSION_S " (compiled against");
  assert_contains (text->str, secret);
}

static void
test_library_line (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  dsl_debug_info_append_library (text, "GTK", 4, 8, 3, 4, 12, 1);
  dsl_debug_info_append_library (text, "json-glib", 1, 6, 6, -1, -1, -1);
  g_assert_cmpstr (text->str, ==,
                   "GTK 4.8.3 (running 4.12.1)\n"
                   "json-glib 1.6.6 (compiled against; no runtime version)\n");
}

static void
test_safe_portal (void)
{
  static const struct {
    const char *portal;
    const char *expected;
  } cases[] = {
    { "https://docspace.example.com", "https://docspace.example.com" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "https://olivia:hunter2@docspace.example.com/", "https://docspace.example.com/" },
    { "https://docspace.example.com/?token=abc#key", "https://docspace.example.com/" },
    { "docspace.example.com", NULL },
    { "", NULL },
    { NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *safe = dsl_debug_info_dup_safe_portal (cases[i].portal);

      g_assert_cmpstr (safe, ==, cases[i].expected);
    }
}

/* The accounts: their number and their portals, nothing about the people or their keys. */
static void
test_environment (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) empty = g_string_new (NULL);
  g_autoptr(GString) unknown = g_string_new (NULL);
  GVariantBuilder accounts;

  g_settings_reset (settings, "accounts");
  dsl_debug_info_append_environment (empty, settings);
  g_assert_cmpstr (empty->str, ==,
                   dsl_debug_info_in_flatpak () ? "Flatpak: yes\nAccounts: 0\nPortals: none\n"
                                                : "Flatpak: no\nAccounts: 0\nPortals: none\n");

  g_variant_builder_init (&accounts, G_VARIANT_TYPE ("a(sss)"));
  g_variant_builder_add (&accounts, "(sss)", PORTAL, USER_ID, USER_NAME);
  g_variant_builder_add (&accounts, "(sss)", PORTAL, "second-user-id", "Ulrich User");
  g_variant_builder_add (&accounts, "(sss)", "https://ulrich:hunter2@other.example.com/?token=t0k",
                         "third-user-id", "Third Person");
  g_assert_true (g_settings_set_value (settings, "accounts", g_variant_builder_end (&accounts)));

  dsl_debug_info_append_environment (text, settings);
  assert_contains (text->str, "Accounts: 3\n");
  assert_contains (text->str, "Portals: " PORTAL ", https://other.example.com/\n");
  assert_lacks (text->str, USER_ID);
  assert_lacks (text->str, "second-user-id");
  assert_lacks (text->str, USER_NAME);
  assert_lacks (text->str, "Ulrich");
  assert_lacks (text->str, "hunter2");
  assert_lacks (text->str, "token");
  assert_lacks (text->str, "password");
  g_settings_reset (settings, "accounts");

  dsl_debug_info_append_environment (unknown, NULL);
  assert_contains (unknown->str, "Accounts: unknown\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dsl/debug-info/versions", test_versions);
  g_test_add_func ("/dsl/debug-info/library-line", test_library_line);
  g_test_add_func ("/dsl/debug-info/safe-portal", test_safe_portal);
  g_test_add_func ("/dsl/debug-info/environment", test_environment);

  return g_test_run ();
}

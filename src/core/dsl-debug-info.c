/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-debug-info.c: see dsl-debug-info.h.
 *
 *   About window (ui) ─▶ append_app ─▶ core libraries ─▶ GTK, libadwaita (ui) ─▶ environment
 *                                                                     └─ "accounts" (a(sss)):
 *                                                                        portals only, cleaned
 *
 * json-glib and libsecret have no runtime version functions: only the versions built against. */
#define G_LOG_DOMAIN "dsl-debug-info"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "dsl-debug-info.h"

void
dsl_debug_info_append_app (GString *text)
{
  g_return_if_fail (text != NULL);

  g_string_append_printf (text, "DocSpace Links %s\n", PACKAGE_VERSION);
  g_string_append_printf (text, "Application ID: %s\n", APP_ID);
}

void
dsl_debug_info_append_library (GString    *text,
                               const char *name,
                               guint       major,
                               guint       minor,
                               guint       micro,
                               int         running_major,
                               int         running_minor,
                               int         running_micro)
{
  g_return_if_fail (text != NULL);
  g_return_if_fail (name != NULL);

  if (running_major < 0)
    g_string_append_printf (text, "%s %u.%u.%u (compiled against; no runtime version)\n",
                            name, major, minor, micro);
  else
    g_string_append_printf (text, "%s %u.%u.%u (running %d.%d.%d)\n",
                            name, major, minor, micro,
                            running_major, running_minor, running_micro);
}

void
dsl_debug_info_append_core_libraries (GString *text)
{
  g_return_if_fail (text != NULL);

  dsl_debug_info_append_library (text, "GLib",
                                 GLIB_MAJOR_VERSION, GLIB_MINOR_VERSION, GLIB_MICRO_VERSION,
                                 (int) glib_major_version, (int) glib_minor_version,
                                 (int) glib_micro_version);
  dsl_debug_info_append_library (text, "libsoup",
                                 SOUP_MAJOR_VERSION, SOUP_MINOR_VERSION, SOUP_MICRO_VERSION,
                                 (int) soup_get_major_version (),
                                 (int) soup_get_minor_version (),
                                 (int) soup_get_micro_version ());
  dsl_debug_info_append_library (text, "json-glib",
                                 JSON_MAJOR_VERSION, JSON_MINOR_VERSION, JSON_MICRO_VERSION,
                                 -1, -1, -1);
  dsl_debug_info_append_library (text, "libsecret",
                                 SECRET_MAJOR_VERSION, SECRET_MINOR_VERSION,
                                 SECRET_MICRO_VERSION, -1, -1, -1);
}

gboolean
dsl_debug_info_in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

char *
dsl_debug_info_dup_safe_portal (const char *portal)
{
  g_autoptr(GUri) uri = NULL;

  if (portal == NULL)
    return NULL;
  uri = g_uri_parse (portal, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;
  /* A portal typed as https://name:password@host must not leak its password into a report. */
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), g_uri_get_path (uri), NULL, NULL);
}

void
dsl_debug_info_append_environment (GString   *text,
                                   GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GVariant) accounts = NULL;
  g_autoptr(GPtrArray) portals = NULL;
  g_autofree char *joined = NULL;
  GVariantIter iter;
  const char *portal;

  g_return_if_fail (text != NULL);
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  g_string_append_printf (text, "Flatpak: %s\n", dsl_debug_info_in_flatpak () ? "yes" : "no");

  if (settings != NULL)
    g_object_get (settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, "accounts"))
    {
      g_string_append (text, "Accounts: unknown\n");
      return;
    }

  /* (portal address, user id, display name): only the first is read. */
  accounts = g_settings_get_value (settings, "accounts");
  portals = g_ptr_array_new_with_free_func (g_free);
  g_variant_iter_init (&iter, accounts);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &portal, NULL, NULL))
    {
      g_autofree char *safe = dsl_debug_info_dup_safe_portal (portal);

      if (safe != NULL &&
          !g_ptr_array_find_with_equal_func (portals, safe, g_str_equal, NULL))
        g_ptr_array_add (portals, g_steal_pointer (&safe));
    }
  g_ptr_array_add (portals, NULL);
  joined = g_strjoinv (", ", (char **) portals->pdata);

  g_string_append_printf (text, "Accounts: %" G_GSIZE_FORMAT "\n",
                          g_variant_n_children (accounts));
  g_string_append_printf (text, "Portals: %s\n", *joined != '\0' ? joined : "none");
}

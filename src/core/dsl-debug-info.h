/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-debug-info.h: the GTK-free part of the About window's "Debugging Information", which a
 * person pastes into a bug report: the app, the core libraries (compiled against and, where the
 * library can say, running with), Flatpak, and the accounts' portals. Never a key, token,
 * password, user id or user name: only what the "accounts" key's portal addresses say, without
 * any user name, password, query or fragment in them. Not translated (it is for developers). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* "DocSpace Links 1.0.0\nApplication ID: io.github.dslinks.DocSpaceLinks\n" */
void      dsl_debug_info_append_app        (GString    *text);
/* "NAME COMPILED (running RUNNING)\n"; a negative `running_major`: "NAME COMPILED (compiled
 * against; no runtime version)\n". */
void      dsl_debug_info_append_library    (GString    *text,
                                            const char *name,
                                            guint       major,
                                            guint       minor,
                                            guint       micro,
                                            int         running_major,
                                            int         running_minor,
                                            int         running_micro);
/* GLib, libsoup, json-glib, libsecret, one line each. */
void      dsl_debug_info_append_core_libraries (GString *text);
/* "Flatpak: yes|no\n", then "Accounts: N\n" and "Portals: a, b\n" (distinct, in order) from the
 * "accounts" key of `settings` (NULL or a schema without it: "Accounts: unknown\n"). */
void      dsl_debug_info_append_environment (GString   *text,
                                             GSettings *settings);
/* TRUE inside a Flatpak sandbox (/.flatpak-info exists). */
gboolean  dsl_debug_info_in_flatpak        (void);
/* `portal` as scheme://host[:port][/path] (no user info, query or fragment), or NULL when it
 * is not an absolute URI. */
char     *dsl_debug_info_dup_safe_portal   (const char *portal);

G_END_DECLS

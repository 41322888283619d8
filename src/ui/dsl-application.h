/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-application.h: the application object; parses --portal and owns the app actions */
#pragma once

#include <adwaita.h>

#include "dsl-session.h"

G_BEGIN_DECLS

#define DSL_TYPE_APPLICATION (dsl_application_get_type ())
G_DECLARE_FINAL_TYPE (DslApplication, dsl_application, DSL, APPLICATION, AdwApplication)

DslApplication *dsl_application_new        (void);
/* The portal address given with --portal, or NULL. */
const char     *dsl_application_get_portal (DslApplication *self);

/* The application's settings (made at startup; transfer none), or NULL when the schema is not
 * installed (the defaults apply). */
GSettings      *dsl_application_get_settings (DslApplication *self);

/* The About window's "Debugging Information": app and library versions (compiled against and
 * running), Flatpak, the display backend, the number of accounts and their portal addresses.
 * Never a key, token, password or user name. `self` may be NULL (no accounts then). */
char           *dsl_application_dup_debug_info (DslApplication *self);

/* The application's session: the accounts, the signed-in one and its client, the link monitor
 * (made at startup; transfer none). */
DslSession     *dsl_application_get_session (DslApplication *self);

/* Where background checking puts its autostart entry:
 * $XDG_CONFIG_HOME/autostart/<app id>.desktop (transfer full). */
char           *dsl_application_get_autostart_path (void);

G_END_DECLS

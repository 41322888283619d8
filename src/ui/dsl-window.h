/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-window.h: the main window: sign in with an API key, then the signed-in account's rooms */
#pragma once

#include <adwaita.h>

#include "dsl-application.h"

G_BEGIN_DECLS

#define DSL_TYPE_WINDOW (dsl_window_get_type ())
G_DECLARE_FINAL_TYPE (DslWindow, dsl_window, DSL, WINDOW, AdwApplicationWindow)

/* `application` may be NULL (tests). `portal` prefills the portal address; NULL uses the last
 * account's portal from GSettings, if any. */
DslWindow *dsl_window_new (DslApplication *application,
                           const char     *portal);

G_END_DECLS

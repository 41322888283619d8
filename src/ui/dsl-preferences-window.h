/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-preferences-window.h: Preferences (app.preferences, Ctrl+,): how often temporary links
 * are checked, whether the checks go on in the background, and what a new link starts with
 * (access, expiry preset, password required; the link editor reads them). Every control is bound to the
 * application's GSettings, so a change applies at once. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DSL_TYPE_PREFERENCES_WINDOW (dsl_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (DslPreferencesWindow, dsl_preferences_window, DSL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Accessible names: "Check every" (spin button, minutes: "guard-interval"), "Keep checking in
 * the background" (switch: "background-checking"), and in "New Links" "Access" (combo row:
 * "default-link-access"), "Expires after" (combo row: "default-expiry-preset"), "Require a
 * password" (switch: "default-password-required"). `parent` may be NULL. */
DslPreferencesWindow *dsl_preferences_window_new (GtkWindow *parent,
                                                  GSettings *settings);

G_END_DECLS

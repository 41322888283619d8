/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-ui-util.h: showing text from the network as plain text, opening its addresses, and
 * copying secrets (issue 14). libadwaita 1.2 parses Pango markup in toast titles, status page
 * descriptions and row titles and subtitles: a title "R&D <team>" would warn and vanish, an
 * error message "<a href=…>" would become a link. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A toast whose title is `text`, shown as is. */
AdwToast           *dsl_plain_toast_new                   (const char        *text);

/* The description of `page` is `text` (nullable), shown as is. */
void                dsl_status_page_set_plain_description (AdwStatusPage     *page,
                                                           const char        *text);

/* Markup off first, then the title: setting a title with markup on parses it (a warning on
 * "&"). The subtitle of an AdwActionRow follows the same use-markup property. */
void                dsl_row_set_plain_title               (AdwPreferencesRow *row,
                                                           const char        *text);
void                dsl_row_set_plain_subtitle            (AdwActionRow      *row,
                                                           const char        *text);

/* The mime type with which password managers' clipboard history (KDE's Klipper and others)
 * recognise a secret and do not keep it. */
#define DSL_PASSWORD_MANAGER_HINT_MIME "x-kde-passwordManagerHint"

/* Clipboard content for a password: the text, and the hint "secret". */
GdkContentProvider *dsl_secret_content_new                (const char        *secret);

/* Whether the address `url` from the portal whose base URL is `portal_base_url` may be opened
 * in a browser (dsl_share_url_may_open). When it may not and `why` is given, sets *why to a
 * sentence saying so (static). */
gboolean            dsl_ui_may_open_url                   (const char        *url,
                                                           const char        *portal_base_url,
                                                           const char       **why);

/* Opens `url` when dsl_ui_may_open_url allows it; returns whether it did. */
gboolean            dsl_ui_open_url                       (GtkWindow         *parent,
                                                           const char        *url,
                                                           const char        *portal_base_url);

/* Names the controls below `widget` that GTK 4.8 would name wrongly, once and explicitly:
 * a button showing a label ("_Copy Text Copy Text", "GtkButton") by its text, an icon button
 * with a tooltip (named "GtkImage") by its tooltip. For windows whose controls the toolkit
 * makes (AdwAboutWindow, GtkShortcutsWindow, AdwMessageDialog); call it once they are built. */
void                dsl_ui_name_controls                  (GtkWidget         *widget);

/* Names each response button of `dialog` once, by its label's text without the mnemonic
 * underscore: AdwMessageDialog makes them with gtk_button_new_with_mnemonic, which GTK 4.8
 * names "_Revoke Revoke" (the label property, then the label it is labelled by). Call it
 * after the responses are added. */
void                dsl_message_dialog_name_responses     (AdwMessageDialog  *dialog);

G_END_DECLS

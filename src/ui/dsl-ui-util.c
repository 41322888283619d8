/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-ui-util.c: plain text in libadwaita 1.2 widgets, safe opening of addresses, secrets on
 * the clipboard. */

#define G_LOG_DOMAIN "dsl-ui-util"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "dsl-share-url.h"
#include "dsl-ui-util.h"

AdwToast *
dsl_plain_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text != NULL ? text : "", -1);

  return adw_toast_new (escaped);
}

void
dsl_status_page_set_plain_description (AdwStatusPage *page,
                                       const char    *text)
{
  g_autofree char *escaped = text != NULL ? g_markup_escape_text (text, -1) : NULL;

  /* Always markup in libadwaita 1.2 */
  adw_status_page_set_description (page, escaped);
}

void
dsl_row_set_plain_title (AdwPreferencesRow *row,
                         const char        *text)
{
  adw_preferences_row_set_use_markup (row, FALSE);
  adw_preferences_row_set_title (row, text != NULL ? text : "");
}

void
dsl_row_set_plain_subtitle (AdwActionRow *row,
                            const char   *text)
{
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (row, text);
}

GdkContentProvider *
dsl_secret_content_new (const char *secret)
{
  static const char hint[] = "secret";
  g_autoptr(GBytes) bytes = g_bytes_new_static (hint, strlen (hint));
  GdkContentProvider *providers[2];

  providers[0] = gdk_content_provider_new_typed (G_TYPE_STRING, secret);
  providers[1] = gdk_content_provider_new_for_bytes (DSL_PASSWORD_MANAGER_HINT_MIME, bytes);
  return gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
}

gboolean
dsl_ui_may_open_url (const char  *url,
                     const char  *portal_base_url,
                     const char **why)
{
  if (dsl_share_url_may_open (url, portal_base_url, NULL))
    return TRUE;
  if (why != NULL)
    *why = _("This address is not on the portal’s own secure site, so it is not opened. Copy it "
             "if you trust it.");
  return FALSE;
}

gboolean
dsl_ui_open_url (GtkWindow  *parent,
                 const char *url,
                 const char *portal_base_url)
{
  if (!dsl_ui_may_open_url (url, portal_base_url, NULL))
    {
      g_debug ("Not opening an address outside the portal's origin");
      return FALSE;
    }
  gtk_show_uri (parent, url, GDK_CURRENT_TIME);
  return TRUE;
}

/* A button showing a label: named by its text (without the mnemonic underscore, which GTK 4.8
 * says: "_Copy Text Copy Text"; a label without a mnemonic is not read at all: "GtkButton").
 * The name is set explicitly and the labelled-by relation dropped, so no toolkit version's
 * name computation can add anything to it (GTK 4.8 joins the label property and the labelling
 * widgets' names; newer GTK prefers the relation). */
static void
name_by_label (GtkWidget *button,
               GtkLabel  *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (label), -1);
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* An icon button described only by its tooltip: GTK 4.8 does not read tooltips and says the
 * type name ("GtkImage"). Named by the tooltip, followed as it changes ("Show Text", "Hide
 * Text"). */
static void
name_by_tooltip (GtkWidget *button)
{
  const char *tooltip = gtk_widget_get_tooltip_text (button);

  if (tooltip != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    tooltip, -1);
}

void
dsl_ui_name_controls (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *content = GTK_IS_BUTTON (child) ? gtk_button_get_child (GTK_BUTTON (child))
                                                 : NULL;

      if (GTK_IS_LABEL (content))
        name_by_label (child, GTK_LABEL (content));
      else if (GTK_IS_BUTTON (child) && gtk_button_get_icon_name (GTK_BUTTON (child)) != NULL)
        {
          name_by_tooltip (child);
          g_signal_connect (child, "notify::tooltip-text", G_CALLBACK (name_by_tooltip), NULL);
        }
      else
        dsl_ui_name_controls (child);
    }
}

void
dsl_message_dialog_name_responses (AdwMessageDialog *dialog)
{
  g_return_if_fail (ADW_IS_MESSAGE_DIALOG (dialog));

  dsl_ui_name_controls (GTK_WIDGET (dialog));
}

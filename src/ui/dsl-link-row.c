/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-row.c: one link of the sidebar.
 *
 *   "link" + "item" ──▶ sync_link (): title (+ Primary), URL, access · audience, password / download
 *                       markers, expiry in words (exact date as tooltip); which buttons show
 *                       follows the item's rights (availableShareRights, canShare) and the
 *                       link's flags (canRevoke, canEditExpirationDate, expired)
 *   buttons and menu ──▶ actions "links.*" of an ancestor (DslLinkPanel), parameter = link id
 *   "busy" / "error" ──▶ spinner + insensitive buttons / the server's message under the row
 *
 * The row asks nothing of the portal itself. */
#define G_LOG_DOMAIN "dsl-link-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dsl-link-form.h"
#include "dsl-link-list.h"
#include "dsl-link-ops.h"
#include "dsl-link-rules.h"
#include "dsl-link-row.h"
#include "dsl-share-sheet.h"
#include "dsl-ui-util.h"

struct _DslLinkRow
{
  GtkListBoxRow  parent_instance;

  /* template children */
  GtkLabel      *title_label;
  GtkLabel      *primary_tag;
  GtkSpinner    *spinner;
  GtkWidget     *buttons;
  GtkButton     *copy_button;
  GtkButton     *revoke_button;
  GtkMenuButton *menu_button;
  GtkLabel      *url_label;
  GtkLabel      *access_label;
  GtkImage      *password_icon;
  GtkImage      *download_icon;
  GtkLabel      *expiry_label;
  GtkWidget     *expired_box;
  GtkButton     *remove_button;
  GtkButton     *extend_button;
  GtkLabel      *error_label;
  GtkLabel      *guard_label;

  /* owned */
  DslLink       *link;
  DslGuardedLink *guarded;       /* the app's guard watches this link; or NULL */
  DslItem       *item;
  char          *error;
  char          *portal_url;    /* the portal's base URL: "Open in Browser" only on its origin */
  DslLinkList   *list;          /* the link's busy flag and error come from it; or NULL */

  /* plain values */
  gboolean       busy;
};

G_DEFINE_FINAL_TYPE (DslLinkRow, dsl_link_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_LINK,
  PROP_ITEM,
  PROP_BUSY,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_invitation (DslLink *link)
{
  return dsl_link_get_link_type (link) == DSL_LINK_TYPE_INVITATION ||
         dsl_link_get_subject_type (link) == DSL_SUBJECT_TYPE_INVITATION_LINK;
}

static gboolean
link_is_expired (DslLink *link)
{
  g_autoptr(GDateTime) now = NULL;
  GDateTime *expiry;

  if (dsl_link_get_is_expired (link))
    return TRUE;
  expiry = dsl_link_get_expiration_date (link);
  if (expiry == NULL)
    return FALSE;
  now = g_date_time_new_now_utc ();
  return g_date_time_compare (expiry, now) <= 0;
}

gboolean
dsl_link_row_can_revoke (DslItem *item,
                         DslLink *link)
{
  g_return_val_if_fail (DSL_IS_ITEM (item), FALSE);
  g_return_val_if_fail (DSL_IS_LINK (link), FALSE);

  /* Which removal applies (and whether one does) is core's (dsl-link-ops.c). */
  return dsl_link_ops_removal (item, link, NULL) != DSL_LINK_REMOVAL_NOT_ALLOWED;
}

static void
set_tooltip_and_label (GtkWidget  *widget,
                       const char *text)
{
  gtk_widget_set_tooltip_text (widget, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
}

/* --- Dragging the link out --- */

GdkContentProvider *
dsl_link_row_create_drag_content (DslLinkRow *self)
{
  const char *url;
  g_autofree char *uri_list = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GdkContentProvider *providers[2];

  g_return_val_if_fail (DSL_IS_LINK_ROW (self), NULL);

  url = self->link != NULL ? dsl_link_get_share_link (self->link) : NULL;
  if (url == NULL || *url == '\0')
    return NULL;
  uri_list = g_strconcat (url, "\r\n", NULL);
  bytes = g_bytes_new (uri_list, strlen (uri_list));
  providers[0] = gdk_content_provider_new_for_bytes ("text/uri-list", bytes);
  providers[1] = gdk_content_provider_new_typed (G_TYPE_STRING, url);
  return gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
}

static GdkContentProvider *
on_drag_prepare (GtkDragSource *source,
                 double         x,
                 double         y,
                 DslLinkRow    *self)
{
  return dsl_link_row_create_drag_content (self);
}

static void
on_drag_begin (GtkDragSource *source,
               GdkDrag       *drag,
               DslLinkRow    *self)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (GTK_WIDGET (self->title_label));

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static void
rebuild_menu (DslLinkRow *self,
              gboolean    can_edit)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  const char *id = dsl_link_get_id (self->link);
  GVariant *target;
  g_autoptr(GMenuItem) open = NULL;

  if (can_edit)
    {
      g_autoptr(GMenuItem) edit = g_menu_item_new (_("_Edit…"), NULL);

      g_menu_item_set_action_and_target_value (edit, "links.edit", g_variant_new_string (id));
      g_menu_append_item (menu, edit);
    }
  if (dsl_link_get_password (self->link) != NULL && *dsl_link_get_password (self->link) != '\0')
    {
      g_autoptr(GMenuItem) copy = g_menu_item_new (_("Copy _Password"), NULL);

      g_menu_item_set_action_and_target_value (copy, "links.copy-password",
                                               g_variant_new_string (id));
      g_menu_append_item (menu, copy);
    }
  if (dsl_link_get_share_link (self->link) != NULL)
    {
      g_autoptr(GMenu) copies = g_menu_new ();
      g_autoptr(GMenuItem) message = g_menu_item_new (_("Copy as _Message"), NULL);
      g_autoptr(GMenuItem) rich = g_menu_item_new (_("Copy as _Rich Link"), NULL);

      g_menu_item_set_action_and_target_value (message, "links.copy-message",
                                               g_variant_new_string (id));
      g_menu_append_item (copies, message);
      g_menu_item_set_action_and_target_value (rich, "links.copy-rich",
                                               g_variant_new_string (id));
      g_menu_append_item (copies, rich);
      g_menu_append_section (menu, NULL, G_MENU_MODEL (copies));
    }
  if (dsl_link_get_share_link (self->link) != NULL &&
      *dsl_link_get_share_link (self->link) != '\0')
    {
      /* the row's own action: the sheet needs nothing but the link and the item */
      g_autoptr(GMenuItem) share = g_menu_item_new (_("_Share…"), "link-row.share");

      g_menu_append_item (section, share);
    }
  target = g_variant_new_string (id);
  if (dsl_ui_may_open_url (dsl_link_get_share_link (self->link), self->portal_url, NULL))
    {
      open = g_menu_item_new (_("_Open in Browser"), NULL);
      g_menu_item_set_action_and_target_value (open, "links.open", target);
    }
  else
    {
      /* An address the portal sent that is not on its own https origin (file:, smb:, another
       * host…): not opened. No such action: the item is shown insensitive, saying why. */
      open = g_menu_item_new (_("Open in Browser (not the portal’s address)"), NULL);
      g_menu_item_set_action_and_target_value (open, "links.open-refused", target);
    }
  g_menu_append_item (section, open);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));

  gtk_menu_button_set_menu_model (self->menu_button, G_MENU_MODEL (menu));
}

static char *
describe_uses (DslLink *link)
{
  int max = dsl_link_get_max_use_count (link);
  int used = MAX (dsl_link_get_current_use_count (link), 0);

  if (max <= 0)
    return NULL;
  /* Translators: an invitation link's uses, e.g. "Used 3 of 10 times" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Used %d of %d time",
                                       "Used %d of %d times", max), used, max);
}

static void
sync_link (DslLinkRow *self)
{
  DslLink *link = self->link;
  const char *id;
  const char *title;
  const char *url;
  const char *password;
  gboolean invitation, expired, can_share, can_revoke, primary;
  const DslLinkRemovalWords *words;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *details = NULL;
  g_autofree char *uses = NULL;
  GVariant *target;

  if (link == NULL || self->item == NULL)
    return;

  id = dsl_link_get_id (link);
  title = dsl_link_get_title (link);
  url = dsl_link_get_share_link (link);
  password = dsl_link_get_password (link);
  invitation = is_invitation (link);
  expired = link_is_expired (link);
  primary = !invitation && (dsl_link_get_primary (link) ||
                            dsl_link_get_subject_type (link) ==
                            DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK);
  can_share = dsl_item_get_can_share (self->item);
  words = dsl_link_ops_removal_words (dsl_link_ops_removal (self->item, link, NULL));
  can_revoke = words != NULL;

  if (title == NULL || *title == '\0')
    title = invitation ? _("Invitation link") : _("Shared link");
  gtk_label_set_text (self->title_label, title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title_label), title);
  gtk_widget_set_visible (GTK_WIDGET (self->primary_tag), primary);
  gtk_label_set_text (self->url_label, url != NULL ? url : "");
  gtk_widget_set_visible (GTK_WIDGET (self->url_label), url != NULL && *url != '\0');

  /* "View only · Anyone with the link"; invitation links: the role people join with. */
  if (invitation)
    {
      uses = describe_uses (link);
      /* Translators: an invitation link's room role, e.g. "Joins as Content creator" */
      details = g_strdup_printf (_("Joins as %s"), dsl_link_describe_access (dsl_link_get_access (link)));
      if (uses != NULL)
        {
          char *joined = g_strdup_printf ("%s · %s", details, uses);

          g_free (details);
          details = joined;
        }
    }
  else
    {
      /* Translators: a link's access and audience, e.g. "View only · Anyone with the link" */
      details = g_strdup_printf (_("%s · %s"),
                                 dsl_link_describe_access (dsl_link_get_access (link)),
                                 dsl_link_describe_audience (dsl_link_get_internal (link)));
    }
  gtk_label_set_text (self->access_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->password_icon), password != NULL && *password != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->download_icon), dsl_link_get_deny_download (link));

  now = g_date_time_new_now_local ();
  expiry = dsl_link_describe_expiry (dsl_link_get_expiration_date (link),
                                     dsl_link_get_is_expired (link), now);
  gtk_label_set_text (self->expiry_label, expiry);
  if (dsl_link_get_expiration_date (link) != NULL)
    exact = dsl_link_format_exact_date (dsl_link_get_expiration_date (link));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->expiry_label), exact);
  if (exact != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->expiry_label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, exact,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->expiry_label),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  /* Expired links are dimmed (their actions are not). */
  if (expired)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->url_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->access_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->expiry_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->expiry_label), "warning");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->url_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->access_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->expiry_label), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (self->expiry_label), "dim-label");
    }

  /* Every button names its link. */
  target = g_variant_ref_sink (g_variant_new_string (id != NULL ? id : ""));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->copy_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->revoke_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->remove_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->extend_button), target);
  g_variant_unref (target);

  /* "Revoke link", "Delete invitation link"; "Remove" keeps its label, the tooltip says more. */
  if (words != NULL)
    {
      set_tooltip_and_label (GTK_WIDGET (self->revoke_button), words->action);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->remove_button), words->action);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->revoke_button), can_revoke && !expired);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_button), url != NULL && *url != '\0');

  gtk_widget_set_visible (self->expired_box, expired && can_share);
  gtk_widget_set_visible (GTK_WIDGET (self->remove_button), expired && can_revoke);
  gtk_widget_set_visible (GTK_WIDGET (self->extend_button),
                          expired && !invitation && dsl_link_get_can_edit_expiration_date (link));

  /* Invitation links are not edited with the external-link form. */
  rebuild_menu (self, can_share && !invitation);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, details,
                                  -1);
}

static void
sync_state (DslLinkRow *self)
{
  gboolean has_error = self->error != NULL && *self->error != '\0';

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
  gtk_widget_set_sensitive (self->buttons, !self->busy);
  gtk_widget_set_sensitive (self->expired_box, !self->busy);
  gtk_label_set_text (self->error_label, has_error ? self->error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), has_error);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, self->busy, -1);
}

/* --- public --- */

GtkWidget *
dsl_link_row_new (DslItem *item,
                  DslLink *link)
{
  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);
  g_return_val_if_fail (DSL_IS_LINK (link), NULL);

  return g_object_new (DSL_TYPE_LINK_ROW, "item", item, "link", link, NULL);
}

DslLink *
dsl_link_row_get_link (DslLinkRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_ROW (self), NULL);
  return self->link;
}

void
dsl_link_row_set_link (DslLinkRow *self,
                       DslLink    *link)
{
  g_return_if_fail (DSL_IS_LINK_ROW (self));
  g_return_if_fail (link == NULL || DSL_IS_LINK (link));

  if (!g_set_object (&self->link, link))
    return;
  sync_link (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINK]);
}

/* The item read again: its rights may have changed (its badge of expired links, set from the
 * links themselves, changes nothing here). */
static void
on_item_notify (DslLinkRow *self,
                GParamSpec *pspec)
{
  if (g_strcmp0 (pspec->name, "has-expired-links") != 0)
    sync_link (self);
}

DslItem *
dsl_link_row_get_item (DslLinkRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_ROW (self), NULL);
  return self->item;
}

void
dsl_link_row_set_item (DslLinkRow *self,
                       DslItem    *item)
{
  g_return_if_fail (DSL_IS_LINK_ROW (self));
  g_return_if_fail (item == NULL || DSL_IS_ITEM (item));

  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, on_item_notify, self);
  if (!g_set_object (&self->item, item))
    return;
  if (item != NULL)
    g_signal_connect_object (item, "notify", G_CALLBACK (on_item_notify), self,
                             G_CONNECT_SWAPPED);
  sync_link (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

char *
dsl_link_row_describe_guard (DslGuardedLink *guarded)
{
  guint limit = dsl_guarded_link_get_download_limit (guarded);
  int downloads = dsl_guarded_link_get_downloads (guarded);

  if (limit == 0)
    return g_strdup (_("Temporary link: revoked when it expires"));
  if (downloads < 0)
    /* Translators: %u is the download limit of a temporary link */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Temporary link: %u download allowed",
                                         "Temporary link: %u downloads allowed", limit),
                            limit);
  /* Translators: "Temporary link: 1 of 2 downloads"; %d counted, %u the limit */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Temporary link: %d of %u download",
                                       "Temporary link: %d of %u downloads", limit),
                          downloads, limit);
}

static void
sync_guard (DslLinkRow *self)
{
  g_autofree char *text = NULL;

  if (self->guarded != NULL &&
      dsl_guarded_link_get_state (self->guarded) != DSL_GUARD_STATE_GONE)
    text = dsl_link_row_describe_guard (self->guarded);
  gtk_label_set_text (self->guard_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->guard_label), text != NULL);
}

DslGuardedLink *
dsl_link_row_get_guarded (DslLinkRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_ROW (self), NULL);
  return self->guarded;
}

void
dsl_link_row_set_guarded (DslLinkRow     *self,
                          DslGuardedLink *guarded)
{
  g_return_if_fail (DSL_IS_LINK_ROW (self));
  g_return_if_fail (guarded == NULL || DSL_IS_GUARDED_LINK (guarded));

  if (self->guarded == guarded)
    return;
  if (self->guarded != NULL)
    g_signal_handlers_disconnect_by_data (self->guarded, self);
  g_set_object (&self->guarded, guarded);
  if (guarded != NULL)
    {
      g_signal_connect_swapped (guarded, "notify::downloads", G_CALLBACK (sync_guard), self);
      g_signal_connect_swapped (guarded, "notify::state", G_CALLBACK (sync_guard), self);
    }
  sync_guard (self);
}

void
dsl_link_row_set_portal_url (DslLinkRow *self,
                             const char *portal_url)
{
  g_return_if_fail (DSL_IS_LINK_ROW (self));

  if (g_strcmp0 (self->portal_url, portal_url) == 0)
    return;
  g_free (self->portal_url);
  self->portal_url = g_strdup (portal_url);
  sync_link (self);
}

/* Re-reads the item's rights and the time (expiry in words). */
void
dsl_link_row_refresh (DslLinkRow *self)
{
  g_return_if_fail (DSL_IS_LINK_ROW (self));
  sync_link (self);
}

gboolean
dsl_link_row_get_busy (DslLinkRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_ROW (self), FALSE);
  return self->busy;
}

void
dsl_link_row_set_busy (DslLinkRow *self,
                       gboolean    busy)
{
  g_return_if_fail (DSL_IS_LINK_ROW (self));

  busy = !!busy;
  if (self->busy == busy)
    return;
  self->busy = busy;
  sync_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

const char *
dsl_link_row_get_error (DslLinkRow *self)
{
  g_return_val_if_fail (DSL_IS_LINK_ROW (self), NULL);
  return self->error;
}

void
dsl_link_row_set_error (DslLinkRow *self,
                        const char *message)
{
  g_return_if_fail (DSL_IS_LINK_ROW (self));

  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  sync_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
on_link_state_changed (DslLinkRow *self,
                       const char *link_id)
{
  const char *id = self->link != NULL ? dsl_link_get_id (self->link) : NULL;

  if (id == NULL || g_strcmp0 (id, link_id) != 0)
    return;
  dsl_link_row_set_busy (self, dsl_link_list_get_busy (self->list, id));
  dsl_link_row_set_error (self, dsl_link_list_get_error_for (self->list, id));
}

void
dsl_link_row_follow (DslLinkRow  *self,
                     DslLinkList *list)
{
  g_return_if_fail (DSL_IS_LINK_ROW (self));
  g_return_if_fail (DSL_IS_LINK_LIST (list));

  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_set_object (&self->list, list);
  g_signal_connect_object (list, "link-state-changed", G_CALLBACK (on_link_state_changed),
                           self, G_CONNECT_SWAPPED);
  if (self->link != NULL)
    on_link_state_changed (self, dsl_link_get_id (self->link));
}

/* --- GObject --- */

static void
dsl_link_row_dispose (GObject *object)
{
  DslLinkRow *self = DSL_LINK_ROW (object);

  if (self->guarded != NULL)
    g_signal_handlers_disconnect_by_data (self->guarded, self);
  g_clear_object (&self->guarded);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->list);
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_func (self->item, on_item_notify, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_LINK_ROW);
  g_clear_object (&self->link);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (dsl_link_row_parent_class)->dispose (object);
}

static void
dsl_link_row_finalize (GObject *object)
{
  DslLinkRow *self = DSL_LINK_ROW (object);

  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->portal_url, g_free);

  G_OBJECT_CLASS (dsl_link_row_parent_class)->finalize (object);
}

static void
dsl_link_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DslLinkRow *self = DSL_LINK_ROW (object);

  switch (prop_id)
    {
    case PROP_LINK:
      g_value_set_object (value, self->link);
      break;
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  DslLinkRow *self = DSL_LINK_ROW (object);

  switch (prop_id)
    {
    case PROP_LINK:
      dsl_link_row_set_link (self, g_value_get_object (value));
      break;
    case PROP_ITEM:
      dsl_link_row_set_item (self, g_value_get_object (value));
      break;
    case PROP_BUSY:
      dsl_link_row_set_busy (self, g_value_get_boolean (value));
      break;
    case PROP_ERROR:
      dsl_link_row_set_error (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

DslShareSheet *
dsl_link_row_open_share_sheet (DslLinkRow *self)
{
  GtkRoot *root;
  DslShareSheet *sheet;

  g_return_val_if_fail (DSL_IS_LINK_ROW (self), NULL);

  if (self->link == NULL || self->item == NULL)
    return NULL;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  sheet = dsl_share_sheet_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->item,
                               self->link);
  gtk_window_present (GTK_WINDOW (sheet));
  return sheet;
}

static void
share_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  dsl_link_row_open_share_sheet (DSL_LINK_ROW (widget));
}

static void
dsl_link_row_class_init (DslLinkRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_link_row_dispose;
  object_class->finalize = dsl_link_row_finalize;
  object_class->get_property = dsl_link_row_get_property;
  object_class->set_property = dsl_link_row_set_property;

  properties[PROP_LINK] =
    g_param_spec_object ("link", NULL, NULL, DSL_TYPE_LINK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, DSL_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-link-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, primary_tag);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, buttons);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, revoke_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, url_label);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, access_label);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, password_icon);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, download_icon);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, expiry_label);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, expired_box);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, extend_button);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, DslLinkRow, guard_label);

  gtk_widget_class_install_action (widget_class, "link-row.share", NULL, share_action);
}

static void
dsl_link_row_init (DslLinkRow *self)
{
  GtkDragSource *drag;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "dsl-link-row");

  /* Dragged into a mail or a chat: the link as text/uri-list and text/plain. */
  drag = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag, GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (on_drag_prepare), self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

AdwMessageDialog *
dsl_link_row_new_removal_dialog (GtkWindow      *parent,
                                 DslLinkRemoval  removal)
{
  const DslLinkRemovalWords *words = dsl_link_ops_removal_words (removal);
  AdwMessageDialog *dialog;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  if (words == NULL)
    return NULL;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, words->heading, words->body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "revoke", words->verb,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "revoke", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  dsl_message_dialog_name_responses (dialog);
  return dialog;
}

AdwMessageDialog *
dsl_link_row_new_revoke_dialog (GtkWindow *parent,
                                DslLink   *link,
                                gboolean   invitation)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DSL_IS_LINK (link), NULL);

  /* For callers without the item: the link's own flags in the order dsl_link_ops_removal
   * reads them (its rules need the item; callers that have it use the function above). */
  return dsl_link_row_new_removal_dialog (parent,
                                          invitation ? DSL_LINK_REMOVAL_INVITATION
                                          : dsl_link_get_can_revoke (link)
                                          ? DSL_LINK_REMOVAL_REGENERATE
                                          : link_is_expired (link)
                                          ? DSL_LINK_REMOVAL_REMOVE_EXPIRED
                                          : DSL_LINK_REMOVAL_REVOKE);
}

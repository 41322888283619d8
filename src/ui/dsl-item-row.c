/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-item-row.c: the row widget GtkListView recycles for every item and status of the tree.
 *
 *   factory setup ─▶ one DslItemRow per visible row: an icon and a label, built in code
 *   factory bind  ─▶ set_item / set_status: texts, icon, badges; one notify handler on the item
 *   factory unbind ─▶ set_item (NULL): the handler goes, nothing else is allocated
 *
 * GTK 4.8's list view builds rows for up to ~200 items around its anchor, so a row must be
 * cheap: no GtkBuilder template, and the widgets few rows need (badges, the status row's
 * spinner and Retry button) are made the first time a row needs them, then kept for reuse. */
#define G_LOG_DOMAIN "dsl-item-row"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-item-row.h"

struct _DslItemRow
{
  GtkWidget      parent_instance;

  /* children (unparented in dispose); those after `title` are NULL until first needed */
  GtkImage      *icon;
  GtkLabel      *title;
  GtkSpinner    *spinner;
  GtkImage      *links_badge;
  GtkImage      *expired_badge;
  GtkButton     *retry_button;

  /* owned */
  DslItem       *item;
  DslTreeStatus *status;
  gulong         notify_handler;
};

G_DEFINE_FINAL_TYPE (DslItemRow, dsl_item_row, GTK_TYPE_WIDGET)

const char *
dsl_item_row_icon_name_for_item (DslItem *item)
{
  const char *id;

  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);

  id = dsl_item_get_id (item);
  if (g_strcmp0 (id, DSL_FOLDER_ROOMS) == 0)
    return "network-workgroup-symbolic";
  if (g_strcmp0 (id, DSL_FOLDER_MY) == 0)
    return "user-home-symbolic";

  switch (dsl_item_get_kind (item))
    {
    case DSL_ITEM_KIND_ROOM:
      switch (dsl_item_get_room_type (item))
        {
        case DSL_ROOM_TYPE_PUBLIC:
          return "folder-publicshare-symbolic";
        case DSL_ROOM_TYPE_FILLING_FORMS:
          return "document-edit-symbolic";
        case DSL_ROOM_TYPE_EDITING:
          return "system-users-symbolic";
        case DSL_ROOM_TYPE_VIRTUAL_DATA:
          return "security-high-symbolic";
        case DSL_ROOM_TYPE_AI:
          return "emoji-objects-symbolic";
        case DSL_ROOM_TYPE_CUSTOM:
        case DSL_ROOM_TYPE_NONE:
        default:
          return "folder-symbolic";
        }
    case DSL_ITEM_KIND_FOLDER:
      return "folder-symbolic";
    case DSL_ITEM_KIND_FILE:
    default:
      switch (dsl_item_get_file_type (item))
        {
        case DSL_FILE_TYPE_DOCUMENT:
        case DSL_FILE_TYPE_PDF:
          return "x-office-document-symbolic";
        case DSL_FILE_TYPE_SPREADSHEET:
          return "x-office-spreadsheet-symbolic";
        case DSL_FILE_TYPE_PRESENTATION:
          return "x-office-presentation-symbolic";
        case DSL_FILE_TYPE_IMAGE:
          return "image-x-generic-symbolic";
        case DSL_FILE_TYPE_VIDEO:
          return "video-x-generic-symbolic";
        case DSL_FILE_TYPE_AUDIO:
          return "audio-x-generic-symbolic";
        case DSL_FILE_TYPE_ARCHIVE:
          return "package-x-generic-symbolic";
        case DSL_FILE_TYPE_DIAGRAM:
          return "x-office-drawing-symbolic";
        case DSL_FILE_TYPE_UNKNOWN:
        default:
          return "text-x-generic-symbolic";
        }
    }
}

/* The focusable row of the list is the GtkListItemWidget two levels up (above the
 * GtkTreeExpander): it carries the name too, so a screen reader reads the title on the row. */
static GtkWidget *
get_list_item_widget (DslItemRow *self)
{
  GtkWidget *list_item = gtk_widget_get_parent (GTK_WIDGET (self));

  if (list_item != NULL && GTK_IS_TREE_EXPANDER (list_item))
    list_item = gtk_widget_get_parent (list_item);
  return list_item;
}

/* label NULL: no name (an unbound row must not keep announcing its last title). */
static void
set_accessible_label (DslItemRow *self,
                      const char *label)
{
  GtkWidget *list_item = get_list_item_widget (self);

  if (label != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                      -1);
      if (list_item != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (list_item),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                        -1);
    }
  else
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      if (list_item != NULL)
        gtk_accessible_reset_property (GTK_ACCESSIBLE (list_item),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL);
    }
}

/* --- children made on first use; `name` lets tests (and the inspector) find them --- */

static void
on_retry_clicked (DslItemRow *self)
{
  DslTreeNode *node;

  if (self->status == NULL)
    return;
  node = dsl_tree_status_get_node (self->status);
  if (node != NULL)
    dsl_tree_node_retry (node);
}

static GtkImage *
badge_new (DslItemRow *self,
           const char *name,
           const char *icon_name,
           const char *text,
           const char *css_class,
           GtkWidget  *after)
{
  GtkWidget *badge = gtk_image_new_from_icon_name (icon_name);

  gtk_widget_set_name (badge, name);
  gtk_widget_set_tooltip_text (badge, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (badge), GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
  gtk_widget_add_css_class (badge, css_class);
  gtk_widget_insert_after (badge, GTK_WIDGET (self), after);
  return GTK_IMAGE (badge);
}

static void
show_links_badge (DslItemRow *self,
                  gboolean    show)
{
  if (self->links_badge == NULL)
    {
      if (!show)
        return;
      self->links_badge = badge_new (self, "links_badge", "web-browser-symbolic",
                                     _("Has external links"), "dim-label",
                                     GTK_WIDGET (self->title));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->links_badge), show);
}

static void
show_expired_badge (DslItemRow *self,
                    gboolean    show)
{
  if (self->expired_badge == NULL)
    {
      if (!show)
        return;
      self->expired_badge = badge_new (self, "expired_badge", "alarm-symbolic",
                                       _("Has expired links"), "warning",
                                       self->links_badge != NULL
                                       ? GTK_WIDGET (self->links_badge)
                                       : GTK_WIDGET (self->title));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->expired_badge), show);
}

/* The spinner takes the icon's place; `spinning` only while a page is in flight (an animation
 * draws every frame). */
static void
show_spinner (DslItemRow *self,
              gboolean    show,
              gboolean    spinning)
{
  if (self->spinner == NULL)
    {
      if (!show)
        return;
      self->spinner = GTK_SPINNER (gtk_spinner_new ());
      gtk_widget_set_name (GTK_WIDGET (self->spinner), "spinner");
      gtk_widget_insert_after (GTK_WIDGET (self->spinner), GTK_WIDGET (self),
                               GTK_WIDGET (self->icon));
    }
  gtk_spinner_set_spinning (self->spinner, show && spinning);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), show);
}

static void
show_retry_button (DslItemRow *self,
                   gboolean    show)
{
  if (self->retry_button == NULL)
    {
      if (!show)
        return;
      self->retry_button = GTK_BUTTON (gtk_button_new_with_label (_("Retry")));
      gtk_widget_set_name (GTK_WIDGET (self->retry_button), "retry_button");
      gtk_widget_set_valign (GTK_WIDGET (self->retry_button), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (self->retry_button), "flat");
      g_signal_connect_swapped (self->retry_button, "clicked", G_CALLBACK (on_retry_clicked),
                                self);
      gtk_widget_insert_before (GTK_WIDGET (self->retry_button), GTK_WIDGET (self), NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), show);
}

/* --- binding --- */

static void
sync_item (DslItemRow *self)
{
  DslItem *item = self->item;
  const char *title = dsl_item_get_title (item);

  if (title == NULL)
    title = "";
  gtk_label_set_text (self->title, title);
  gtk_image_set_from_icon_name (self->icon, dsl_item_row_icon_name_for_item (item));
  show_links_badge (self, dsl_item_get_shared_external (item));
  show_expired_badge (self, dsl_item_get_has_expired_links (item));
  set_accessible_label (self, title);
}

static void
on_item_notify (DslItemRow *self,
                GParamSpec *pspec)
{
  sync_item (self);
}

static void
reset (DslItemRow *self)
{
  if (self->notify_handler != 0)
    {
      g_signal_handler_disconnect (self->item, self->notify_handler);
      self->notify_handler = 0;
    }
  g_clear_object (&self->item);
  g_clear_object (&self->status);

  show_spinner (self, FALSE, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), TRUE);
  show_links_badge (self, FALSE);
  show_expired_badge (self, FALSE);
  show_retry_button (self, FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->title), "dim-label");
  gtk_widget_remove_css_class (GTK_WIDGET (self->title), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title), NULL);
  gtk_label_set_text (self->title, "");
}

void
dsl_item_row_set_item (DslItemRow *self,
                       DslItem    *item)
{
  g_return_if_fail (DSL_IS_ITEM_ROW (self));
  g_return_if_fail (item == NULL || DSL_IS_ITEM (item));

  if (item != NULL && item == self->item)
    return;

  if (item == NULL)
    {
      gboolean was_bound = self->item != NULL || self->status != NULL;

      reset (self);
      if (was_bound)
        set_accessible_label (self, NULL);
      return;
    }

  reset (self);
  self->item = g_object_ref (item);
  /* One handler for every property: a refresh updates items in place (dsl_item_update_from). */
  self->notify_handler = g_signal_connect_swapped (item, "notify", G_CALLBACK (on_item_notify),
                                                   self);
  sync_item (self);
}

DslItem *
dsl_item_row_get_item (DslItemRow *self)
{
  g_return_val_if_fail (DSL_IS_ITEM_ROW (self), NULL);
  return self->item;
}

void
dsl_item_row_set_status (DslItemRow    *self,
                         DslTreeStatus *status)
{
  const char *text;

  g_return_if_fail (DSL_IS_ITEM_ROW (self));
  g_return_if_fail (status == NULL || DSL_IS_TREE_STATUS (status));

  reset (self);
  if (status == NULL)
    return;

  self->status = g_object_ref (status);
  switch (dsl_tree_status_get_kind (status))
    {
    case DSL_TREE_STATUS_LOADING:
    case DSL_TREE_STATUS_MORE:
      text = _("Loading…");
      gtk_widget_set_visible (GTK_WIDGET (self->icon), FALSE);
      show_spinner (self, TRUE, dsl_tree_status_get_kind (status) == DSL_TREE_STATUS_LOADING);
      gtk_widget_add_css_class (GTK_WIDGET (self->title), "dim-label");
      break;
    case DSL_TREE_STATUS_ERROR:
      text = dsl_tree_status_get_message (status);
      if (text == NULL || *text == '\0')
        text = _("Could not load this folder");
      gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->title), "error");
      show_retry_button (self, TRUE);
      break;
    case DSL_TREE_STATUS_EMPTY:
    default:
      text = _("Empty");
      gtk_widget_set_visible (GTK_WIDGET (self->icon), FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (self->title), "dim-label");
      break;
    }
  gtk_label_set_text (self->title, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title),
                               dsl_tree_status_get_kind (status) == DSL_TREE_STATUS_ERROR
                               ? text : NULL);
  set_accessible_label (self, text);
}

DslTreeStatus *
dsl_item_row_get_status (DslItemRow *self)
{
  g_return_val_if_fail (DSL_IS_ITEM_ROW (self), NULL);
  return self->status;
}

static void
dsl_item_row_dispose (GObject *object)
{
  DslItemRow *self = (DslItemRow *) object;
  GtkWidget *child;

  if (self->icon != NULL)
    reset (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->icon = NULL;
  self->title = NULL;
  self->spinner = NULL;
  self->links_badge = NULL;
  self->expired_badge = NULL;
  self->retry_button = NULL;

  G_OBJECT_CLASS (dsl_item_row_parent_class)->dispose (object);
}

static void
dsl_item_row_class_init (DslItemRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_item_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dsl-item-row");
}

static void
dsl_item_row_init (DslItemRow *self)
{
  GtkWidget *icon;
  GtkWidget *title;

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              8);

  icon = g_object_new (GTK_TYPE_IMAGE, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  gtk_widget_set_name (icon, "icon");
  gtk_widget_set_parent (icon, GTK_WIDGET (self));
  self->icon = GTK_IMAGE (icon);

  /* Plain text: titles come from the portal and may contain markup characters. */
  title = g_object_new (GTK_TYPE_LABEL,
                        "use-markup", FALSE,
                        "use-underline", FALSE,
                        "xalign", 0.0f,
                        "hexpand", TRUE,
                        "ellipsize", PANGO_ELLIPSIZE_END,
                        "single-line-mode", TRUE,
                        NULL);
  gtk_widget_set_name (title, "title");
  gtk_widget_set_parent (title, GTK_WIDGET (self));
  self->title = GTK_LABEL (title);
}

GtkWidget *
dsl_item_row_new (void)
{
  return g_object_new (DSL_TYPE_ITEM_ROW, NULL);
}

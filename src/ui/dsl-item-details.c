/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-item-details.c: the details of one item, as plain selectable text.
 *
 *   "item" ──notify──▶ sync_details (): title, icon, and one key/value row per field; a field without a
 *                      value hides its row. NULL ▶ the "Nothing Selected" status page.
 *   "item" ──────────▶ link_panel (DslLinkPanel, below the fields): the item's links, read once
 *                      the window gives the panel its client.
 *   "item" ──────────▶ activity_list (DslActivityList, below the links): the item's link and
 *                      download events from the audit trail, for administrators; asked for once
 *                      the links are in, so its requests and rows never hold the links up. */
#define G_LOG_DOMAIN "dsl-item-details"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dsl-activity-list.h"
#include "dsl-item-details.h"
#include "dsl-item-row.h"
#include "dsl-link-panel.h"

typedef enum {
  FIELD_TYPE,
  FIELD_LOCATION,
  FIELD_OWNER,
  FIELD_CREATED,
  FIELD_UPDATED,
  FIELD_SIZE,
  FIELD_LINKS,
  N_FIELDS
} Field;

struct _DslItemDetails
{
  GtkWidget  parent_instance;

  /* template children */
  GtkStack  *stack;
  GtkImage  *icon;
  GtkLabel  *item_title;
  GtkGrid   *grid;
  DslLinkPanel *link_panel;
  DslActivityList *activity_list;

  /* borrowed: children of `grid` */
  GtkWidget *keys[N_FIELDS];
  GtkLabel  *values[N_FIELDS];

  /* owned */
  DslItem   *item;
  char      *location;
  gulong     notify_handler;
};

G_DEFINE_FINAL_TYPE (DslItemDetails, dsl_item_details, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  PROP_LOCATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
dsl_item_details_describe_type (DslItem *item)
{
  const char *name;
  const char *extension;

  g_return_val_if_fail (DSL_IS_ITEM (item), NULL);

  switch (dsl_item_get_kind (item))
    {
    case DSL_ITEM_KIND_ROOM:
      switch (dsl_item_get_room_type (item))
        {
        case DSL_ROOM_TYPE_FILLING_FORMS:
          return g_strdup (_("Form filling room"));
        case DSL_ROOM_TYPE_EDITING:
          return g_strdup (_("Collaboration room"));
        case DSL_ROOM_TYPE_PUBLIC:
          return g_strdup (_("Public room"));
        case DSL_ROOM_TYPE_VIRTUAL_DATA:
          return g_strdup (_("Virtual data room"));
        case DSL_ROOM_TYPE_AI:
          return g_strdup (_("AI room"));
        case DSL_ROOM_TYPE_CUSTOM:
          return g_strdup (_("Custom room"));
        case DSL_ROOM_TYPE_NONE:
        default:
          return g_strdup (_("Room"));
        }
    case DSL_ITEM_KIND_FOLDER:
      return g_strdup (_("Folder"));
    case DSL_ITEM_KIND_FILE:
    default:
      break;
    }

  switch (dsl_item_get_file_type (item))
    {
    case DSL_FILE_TYPE_DOCUMENT:
      name = _("Document");
      break;
    case DSL_FILE_TYPE_SPREADSHEET:
      name = _("Spreadsheet");
      break;
    case DSL_FILE_TYPE_PRESENTATION:
      name = _("Presentation");
      break;
    case DSL_FILE_TYPE_PDF:
      name = _("PDF");
      break;
    case DSL_FILE_TYPE_IMAGE:
      name = _("Image");
      break;
    case DSL_FILE_TYPE_VIDEO:
      name = _("Video");
      break;
    case DSL_FILE_TYPE_AUDIO:
      name = _("Audio");
      break;
    case DSL_FILE_TYPE_ARCHIVE:
      name = _("Archive");
      break;
    case DSL_FILE_TYPE_DIAGRAM:
      name = _("Diagram");
      break;
    case DSL_FILE_TYPE_UNKNOWN:
    default:
      name = _("File");
      break;
    }

  extension = dsl_item_get_file_extension (item);
  if (extension == NULL || *extension == '\0')
    return g_strdup (name);
  /* TRANSLATORS: a file type and its extension, e.g. "Document (.docx)" */
  return g_strdup_printf (_("%s (%s)"), name, extension);
}

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  if (date == NULL)
    return NULL;
  local = g_date_time_to_local (date);
  /* TRANSLATORS: a date and time, see g_date_time_format (); e.g. "26 November 2026, 18:04" */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

static void
set_field (DslItemDetails *self,
           Field           field,
           const char     *value)
{
  gboolean visible = value != NULL && *value != '\0';

  gtk_label_set_text (self->values[field], visible ? value : "");
  gtk_widget_set_visible (self->keys[field], visible);
  gtk_widget_set_visible (GTK_WIDGET (self->values[field]), visible);
}

static void
sync_details (DslItemDetails *self)
{
  DslItem *item = self->item;
  g_autofree char *type = NULL;
  g_autofree char *created = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *size = NULL;
  const char *title;

  if (item == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  title = dsl_item_get_title (item);
  gtk_label_set_text (self->item_title, title != NULL ? title : "");
  gtk_image_set_from_icon_name (self->icon, dsl_item_row_icon_name_for_item (item));

  type = dsl_item_details_describe_type (item);
  created = format_date (dsl_item_get_created (item));
  updated = format_date (dsl_item_get_updated (item));
  if (dsl_item_get_kind (item) == DSL_ITEM_KIND_FILE && dsl_item_get_size (item) >= 0)
    size = g_format_size ((guint64) dsl_item_get_size (item));

  set_field (self, FIELD_TYPE, type);
  set_field (self, FIELD_LOCATION, self->location);
  set_field (self, FIELD_OWNER, dsl_item_get_created_by (item));
  set_field (self, FIELD_CREATED, created);
  set_field (self, FIELD_UPDATED, updated);
  set_field (self, FIELD_SIZE, size);
  set_field (self, FIELD_LINKS, dsl_item_get_shared_external (item)
                                ? _("Has external links") : _("No external links"));
  gtk_stack_set_visible_child_name (self->stack, "item");
}

static void
on_item_notify (DslItemDetails *self)
{
  sync_details (self);
}

void
dsl_item_details_set_item (DslItemDetails *self,
                           DslItem        *item)
{
  g_return_if_fail (DSL_IS_ITEM_DETAILS (self));
  g_return_if_fail (item == NULL || DSL_IS_ITEM (item));

  if (item == self->item)
    return;

  if (self->notify_handler != 0)
    g_clear_signal_handler (&self->notify_handler, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->notify_handler = g_signal_connect_swapped (item, "notify",
                                                     G_CALLBACK (on_item_notify), self);
  sync_details (self);
  dsl_link_panel_set_item (self->link_panel, item);
  /* The links first: the activity follows when they are in (on_links_loading). */
  dsl_activity_list_set_item (self->activity_list,
                              dsl_link_panel_get_loading (self->link_panel) ? NULL : item);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

DslItem *
dsl_item_details_get_item (DslItemDetails *self)
{
  g_return_val_if_fail (DSL_IS_ITEM_DETAILS (self), NULL);
  return self->item;
}

void
dsl_item_details_set_location (DslItemDetails *self,
                               const char     *location)
{
  g_return_if_fail (DSL_IS_ITEM_DETAILS (self));

  if (g_strcmp0 (location, self->location) == 0)
    return;
  g_free (self->location);
  self->location = g_strdup (location);
  sync_details (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
}

const char *
dsl_item_details_get_location (DslItemDetails *self)
{
  g_return_val_if_fail (DSL_IS_ITEM_DETAILS (self), NULL);
  return self->location;
}

DslLinkPanel *
dsl_item_details_get_link_panel (DslItemDetails *self)
{
  g_return_val_if_fail (DSL_IS_ITEM_DETAILS (self), NULL);
  return self->link_panel;
}

DslActivityList *
dsl_item_details_get_activity_list (DslItemDetails *self)
{
  g_return_val_if_fail (DSL_IS_ITEM_DETAILS (self), NULL);
  return self->activity_list;
}

GtkWidget *
dsl_item_details_new (void)
{
  return g_object_new (DSL_TYPE_ITEM_DETAILS, NULL);
}

static void
on_links_loading (DslItemDetails *self)
{
  if (!dsl_link_panel_get_loading (self->link_panel))
    dsl_activity_list_set_item (self->activity_list, self->item);
}

/* A link of the item was created, changed or revoked here: the portal recorded it, so the
 * activity shown before is out of date. */
static void
on_links_changed (DslItemDetails *self)
{
  if (self->item != NULL &&
      dsl_activity_list_get_item (self->activity_list) == self->item)
    dsl_activity_list_reload (self->activity_list);
}

static void
dsl_item_details_dispose (GObject *object)
{
  DslItemDetails *self = (DslItemDetails *) object;

  if (self->notify_handler != 0)
    g_clear_signal_handler (&self->notify_handler, self->item);
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_ITEM_DETAILS);

  G_OBJECT_CLASS (dsl_item_details_parent_class)->dispose (object);
}

static void
dsl_item_details_finalize (GObject *object)
{
  DslItemDetails *self = (DslItemDetails *) object;

  g_free (self->location);
  G_OBJECT_CLASS (dsl_item_details_parent_class)->finalize (object);
}

static void
dsl_item_details_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DslItemDetails *self = DSL_ITEM_DETAILS (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_item_details_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DslItemDetails *self = DSL_ITEM_DETAILS (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      dsl_item_details_set_item (self, g_value_get_object (value));
      break;
    case PROP_LOCATION:
      dsl_item_details_set_location (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_item_details_class_init (DslItemDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_item_details_dispose;
  object_class->finalize = dsl_item_details_finalize;
  object_class->get_property = dsl_item_details_get_property;
  object_class->set_property = dsl_item_details_set_property;

  g_type_ensure (DSL_TYPE_LINK_PANEL);
  g_type_ensure (DSL_TYPE_ACTIVITY_LIST);

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, DSL_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCATION] =
    g_param_spec_string ("location", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-item-details.ui");
  gtk_widget_class_bind_template_child (widget_class, DslItemDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, DslItemDetails, icon);
  gtk_widget_class_bind_template_child (widget_class, DslItemDetails, item_title);
  gtk_widget_class_bind_template_child (widget_class, DslItemDetails, grid);
  gtk_widget_class_bind_template_child (widget_class, DslItemDetails, link_panel);
  gtk_widget_class_bind_template_child (widget_class, DslItemDetails, activity_list);
  gtk_widget_class_set_css_name (widget_class, "dsl-item-details");
}

static void
dsl_item_details_init (DslItemDetails *self)
{
  const char *keys[N_FIELDS] = {
    [FIELD_TYPE] = _("Type"),
    [FIELD_LOCATION] = _("Location"),
    [FIELD_OWNER] = _("Owner"),
    [FIELD_CREATED] = _("Created"),
    [FIELD_UPDATED] = _("Updated"),
    [FIELD_SIZE] = _("Size"),
    [FIELD_LINKS] = _("External links"),
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->link_panel, "notify::loading", G_CALLBACK (on_links_loading),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->link_panel, "links-changed", G_CALLBACK (on_links_changed),
                           self, G_CONNECT_SWAPPED);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      GtkWidget *key = gtk_label_new (keys[i]);
      GtkWidget *value = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (key), 0);
      gtk_label_set_yalign (GTK_LABEL (key), 0);
      gtk_widget_add_css_class (key, "dim-label");

      /* Values are plain text from the portal: never markup. */
      gtk_label_set_use_markup (GTK_LABEL (value), FALSE);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_widget_set_hexpand (value, TRUE);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                      GTK_ACCESSIBLE_RELATION_LABELLED_BY, key, NULL,
                                      -1);

      gtk_grid_attach (self->grid, key, 0, (int) i, 1, 1);
      gtk_grid_attach (self->grid, value, 1, (int) i, 1, 1);
      self->keys[i] = key;
      self->values[i] = GTK_LABEL (value);
    }

  sync_details (self);
}

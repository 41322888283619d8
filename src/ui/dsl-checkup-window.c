/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-checkup-window.c: the link checkup window (issue 5).
 *
 *   DslLinkScan rows (GListStore, kept by the link monitor per account)
 *     └ GtkFilterListModel  (GtkCustomFilter: dsl_link_scan_row_matches, toggles + search)
 *        └ GtkSortListModel (the column view's sorter: one GtkCustomSorter per column,
 *           │                dsl_link_scan_row_compare)
 *           └ GtkMultiSelection ─▶ GtkColumnView (GtkSignalListItemFactory per column)
 *
 * Bulk actions (Revoke, Extend expiry, Remove all expired) become jobs in a queue; at most
 * DSL_CLIENT_MAX_IN_FLIGHT are under way at a time (the client's own cap, so the window does
 * not pile requests up in the client while the scan may need it too), each a dsl-link-ops
 * operation through the scan's DslClient (which reads the link again, decides the removal or
 * applies only the change to the portal's state now, and sends it; the client's pause after a
 * 429 holds every job's requests back). Each job's outcome is kept by link id
 * (DslCheckupOutcome: a status icon on the row, its tooltip the words) and the portal's state
 * is written back into the scan (dsl_link_scan_update_link): removed rows go, changed rows
 * show what the portal holds, a link changed by someone else since the scan shows their
 * change, a link someone else removed stays marked. A failure on one row does not stop the
 * others. */
#define G_LOG_DOMAIN "dsl-checkup-window"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-checkup-window.h"
#include "dsl-frame-stats.h"
#include "dsl-link-form.h"
#include "dsl-link-ops.h"
#include "dsl-link-rules.h"
#include "dsl-paced-list.h"
#include "dsl-ui-util.h"

/* Rows shown per frame while the scan runs (DslPacedList): the first answers come back
 * together, and a screenful of new rows built in one frame would hold it for tens of ms. */
#define ROWS_PER_FRAME 4

struct _DslCheckupWindow
{
  AdwWindow             parent_instance;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *error_label;
  GtkSearchEntry       *search_entry;
  GtkToggleButton      *expired_toggle;
  GtkToggleButton      *expiring_toggle;
  GtkToggleButton      *no_password_toggle;
  GtkToggleButton      *no_expiry_toggle;
  GtkToggleButton      *anyone_edit_toggle;
  GtkToggleButton      *anyone_toggle;
  GtkToggleButton      *portal_users_toggle;
  GtkStack             *stack;
  AdwStatusPage        *empty_page;
  GtkColumnView        *column_view;
  GtkExpander          *failures_expander;
  GtkListBox           *failures_list;
  GtkLabel             *selection_label;
  GtkMenuButton        *extend_button;
  GtkButton            *cancel_button;
  GtkPopover           *extend_popover;
  GtkCalendar          *calendar;

  /* owned */
  DslLinkScan          *scan;
  GtkCustomFilter      *filter;
  DslPacedList         *paced;
  GtkFilterListModel   *filter_model;
  GtkSortListModel     *sort_model;
  GtkMultiSelection    *selection;
  GCancellable         *cancellable;     /* bulk changes and export; cancelled on dispose */
  GQueue               *queue;           /* Job, not sent yet */
  GHashTable           *busy;            /* link id (set): queued or in flight */
  GHashTable           *outcomes;        /* link id -> Outcome of the last bulk action */
  GHashTable           *status_images;   /* link id -> GtkImage bound to it (borrowed) */
  GtkFileChooserNative *chooser;
  char                 *search;

  /* plain values */
  DslLinkScanFilterFlags flags;
  guint                 n_in_flight;
  guint                 batch_ok;
  guint                 batch_failed;
  guint                 pulse_id;
  guint                 view_idle_id;      /* update_view, once per main-loop turn */
  gboolean              cancelled;
  gboolean              close_when_done;   /* closed with changes under way: hidden until then */
};

G_DEFINE_FINAL_TYPE (DslCheckupWindow, dsl_checkup_window, ADW_TYPE_WINDOW)

/* --- small helpers --- */

/* Toast titles are markup in libadwaita 1.2; these are plain text (a file name, an error). */
static void
toast (DslCheckupWindow *self,
       const char       *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, dsl_plain_toast_new (title));
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static DslLinkScanRow *
shown_row (DslCheckupWindow *self,
           guint             position)
{
  DslLinkScanRow *row = g_list_model_get_item (G_LIST_MODEL (self->sort_model), position);

  g_object_unref (row);   /* borrowed: the model keeps it */
  return row;
}

static const char *
row_link_id (DslLinkScanRow *row)
{
  DslLink *link = dsl_link_scan_row_get_link (row);

  return link != NULL ? dsl_link_get_id (link) : NULL;
}

/* --- per-row status --- */

typedef struct {
  DslCheckupOutcome  kind;
  char              *message;   /* nullable */
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_free (outcome->message);
  g_free (outcome);
}

static void
update_status_image (DslCheckupWindow *self,
                     GtkImage         *image,
                     const char       *link_id)
{
  Outcome *outcome = link_id != NULL ? g_hash_table_lookup (self->outcomes, link_id) : NULL;
  const char *icon = NULL;
  const char *text = NULL;

  if (link_id != NULL && g_hash_table_contains (self->busy, link_id))
    {
      icon = "content-loading-symbolic";
      text = _("Working…");
    }
  else if (outcome != NULL)
    {
      switch (outcome->kind)
        {
        case DSL_CHECKUP_OUTCOME_APPLIED:
          icon = "object-select-symbolic";
          break;
        case DSL_CHECKUP_OUTCOME_NOT_APPLIED:
        case DSL_CHECKUP_OUTCOME_CHANGED:
          icon = "dialog-warning-symbolic";
          break;
        case DSL_CHECKUP_OUTCOME_GONE:
          icon = "edit-delete-symbolic";
          break;
        case DSL_CHECKUP_OUTCOME_FAILED:
        case DSL_CHECKUP_OUTCOME_NONE:
        default:
          icon = "dialog-error-symbolic";
          break;
        }
      /* Plain text: the words may hold a title or a date from the portal. */
      text = outcome->message;
    }
  if (icon != NULL)
    gtk_image_set_from_icon_name (image, icon);
  else
    gtk_image_clear (image);
  gtk_widget_set_tooltip_text (GTK_WIDGET (image), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text != NULL ? text : "",
                                  -1);
}

static void
status_changed (DslCheckupWindow *self,
                const char       *link_id)
{
  GtkImage *image = g_hash_table_lookup (self->status_images, link_id);

  if (image != NULL)
    update_status_image (self, image, link_id);
}

/* --- columns --- */

static char *
describe_expiry (DslLink *link)
{
  GDateTime *expiry = dsl_link_get_expiration_date (link);
  g_autoptr(GDateTime) local = NULL;

  if (expiry == NULL)
    return g_strdup (_("Never"));
  local = g_date_time_to_local (expiry);
  /* Translators: a date in the checkup table; see g_date_time_format */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

static char *
cell_text (DslLinkScanRow    *row,
           DslLinkScanColumn  column)
{
  DslLink *link = dsl_link_scan_row_get_link (row);

  switch (column)
    {
    case DSL_LINK_SCAN_COLUMN_ITEM:
      return g_strdup (dsl_item_get_title (dsl_link_scan_row_get_item (row)));
    case DSL_LINK_SCAN_COLUMN_LOCATION:
      return g_strdup (dsl_link_scan_row_get_location (row));
    case DSL_LINK_SCAN_COLUMN_TITLE:
      return g_strdup (link != NULL ? dsl_link_get_title (link) : NULL);
    case DSL_LINK_SCAN_COLUMN_ACCESS:
      return g_strdup (link != NULL ? dsl_link_describe_access (dsl_link_get_access (link)) : NULL);
    case DSL_LINK_SCAN_COLUMN_AUDIENCE:
      return g_strdup (link != NULL ? dsl_link_describe_audience (dsl_link_get_internal (link))
                                    : NULL);
    case DSL_LINK_SCAN_COLUMN_EXPIRY:
      return link != NULL ? describe_expiry (link) : NULL;
    case DSL_LINK_SCAN_COLUMN_PASSWORD:
      if (link == NULL)
        return NULL;
      return g_strdup (dsl_link_get_password (link) != NULL &&
                       *dsl_link_get_password (link) != '\0' ? _("Yes") : _("No"));
    case DSL_LINK_SCAN_COLUMN_STATE:
    default:
      return g_strdup (dsl_link_scan_state_describe (dsl_link_scan_row_get_state (row)));
    }
}

static void
text_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
text_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  DslLinkScanColumn column = GPOINTER_TO_INT (user_data);
  DslLinkScanRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = cell_text (row, column);

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  /* Long titles and locations are ellipsized: the whole text on hover. */
  if (column == DSL_LINK_SCAN_COLUMN_ITEM || column == DSL_LINK_SCAN_COLUMN_LOCATION ||
      column == DSL_LINK_SCAN_COLUMN_TITLE)
    gtk_widget_set_tooltip_text (label, text);
}

static void
status_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, gtk_image_new ());
}

static void
status_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  DslCheckupWindow *self = user_data;
  GtkImage *image = GTK_IMAGE (gtk_list_item_get_child (list_item));
  const char *link_id = row_link_id (gtk_list_item_get_item (list_item));

  if (link_id != NULL)
    {
      g_hash_table_replace (self->status_images, g_strdup (link_id), image);
      g_object_set_data_full (G_OBJECT (image), "dsl-link-id", g_strdup (link_id), g_free);
    }
  update_status_image (self, image, link_id);
}

static void
status_unbind (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  DslCheckupWindow *self = user_data;
  GtkWidget *image = gtk_list_item_get_child (list_item);
  const char *link_id = g_object_get_data (G_OBJECT (image), "dsl-link-id");

  if (link_id != NULL && g_hash_table_lookup (self->status_images, link_id) == image)
    g_hash_table_remove (self->status_images, link_id);
  g_object_set_data (G_OBJECT (image), "dsl-link-id", NULL);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return dsl_link_scan_row_compare ((DslLinkScanRow *) a, (DslLinkScanRow *) b,
                                    GPOINTER_TO_INT (user_data));
}

/* Columns have a fixed width (which the person can still drag): a column without one is as wide
 * as its widest cell, so GTK measures every cell of the column again whenever one label
 * changes, and a scan adding rows while it runs would re-measure the whole screenful each frame.
 * The width is `chars` average characters of the view's font, or the title's width when that is
 * more (translated titles are longer), plus room for the padding and the sort arrow. */
static void
add_column (DslCheckupWindow  *self,
            const char        *title,
            DslLinkScanColumn  column,
            guint              chars,
            gboolean           expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *view = GTK_WIDGET (self->column_view);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (view, title);
  PangoFontMetrics *metrics;
  GtkColumnViewColumn *view_column;
  GtkSorter *sorter;
  int char_width, title_width;

  metrics = pango_context_get_metrics (gtk_widget_get_pango_context (view), NULL, NULL);
  char_width = PANGO_PIXELS (pango_font_metrics_get_approximate_char_width (metrics));
  pango_font_metrics_unref (metrics);
  pango_layout_get_pixel_size (layout, &title_width, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (text_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (text_bind), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, GINT_TO_POINTER (column), NULL));
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_fixed_width (view_column,
                                          MAX ((int) chars * char_width, title_width) + 32);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (sorter);
  g_object_unref (view_column);
}

static void
add_columns (DslCheckupWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *status;

  g_signal_connect (factory, "setup", G_CALLBACK (status_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (status_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (status_unbind), self);
  status = gtk_column_view_column_new (NULL, factory);
  gtk_column_view_column_set_fixed_width (status, 40);
  gtk_column_view_append_column (self->column_view, status);
  g_object_unref (status);

  add_column (self, _("Item"), DSL_LINK_SCAN_COLUMN_ITEM, 16, TRUE);
  add_column (self, _("Location"), DSL_LINK_SCAN_COLUMN_LOCATION, 14, TRUE);
  add_column (self, _("Link"), DSL_LINK_SCAN_COLUMN_TITLE, 14, TRUE);
  add_column (self, _("Access"), DSL_LINK_SCAN_COLUMN_ACCESS, 12, FALSE);
  add_column (self, _("Audience"), DSL_LINK_SCAN_COLUMN_AUDIENCE, 18, FALSE);
  add_column (self, _("Expires"), DSL_LINK_SCAN_COLUMN_EXPIRY, 14, FALSE);
  add_column (self, _("Password"), DSL_LINK_SCAN_COLUMN_PASSWORD, 6, FALSE);
  add_column (self, _("State"), DSL_LINK_SCAN_COLUMN_STATE, 12, FALSE);
}

/* --- filter --- */

static gboolean
filter_row (gpointer item,
            gpointer user_data)
{
  DslCheckupWindow *self = user_data;
  DslLinkScanFilter filter = { self->flags };

  return dsl_link_scan_row_matches (item, &filter, self->search);
}

static void
on_filter_toggled (DslCheckupWindow *self)
{
  struct { GtkToggleButton *toggle; DslLinkScanFilterFlags flag; } toggles[] = {
    { self->expired_toggle, DSL_LINK_SCAN_FILTER_EXPIRED },
    { self->expiring_toggle, DSL_LINK_SCAN_FILTER_EXPIRING_SOON },
    { self->no_password_toggle, DSL_LINK_SCAN_FILTER_NO_PASSWORD },
    { self->no_expiry_toggle, DSL_LINK_SCAN_FILTER_NO_EXPIRY },
    { self->anyone_edit_toggle, DSL_LINK_SCAN_FILTER_ANYONE_CAN_EDIT },
    { self->anyone_toggle, DSL_LINK_SCAN_FILTER_ANYONE },
    { self->portal_users_toggle, DSL_LINK_SCAN_FILTER_PORTAL_USERS },
  };
  DslLinkScanFilterFlags flags = DSL_LINK_SCAN_FILTER_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (toggles); i++)
    if (toggles[i].toggle != NULL && gtk_toggle_button_get_active (toggles[i].toggle))
      flags |= toggles[i].flag;
  if (flags == self->flags)
    return;
  self->flags = flags;
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_search_changed (DslCheckupWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (g_strcmp0 (text, self->search) == 0 || self->filter == NULL)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* --- state shown --- */

static gboolean actionable (DslCheckupWindow *self,
                            DslLinkScanRow   *row);

static guint
n_selected (DslCheckupWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

  return (guint) gtk_bitset_get_size (selected);
}

static guint
n_expired (DslCheckupWindow *self)
{
  GListModel *rows = dsl_link_scan_get_rows (self->scan);
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(DslLinkScanRow) row = g_list_model_get_item (rows, i);

      if (dsl_link_scan_row_get_state (row) == DSL_LINK_SCAN_STATE_EXPIRED &&
          actionable (self, row))
        count++;
    }
  return count;
}

static void
update_actions (DslCheckupWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean running = dsl_link_scan_get_running (self->scan);
  guint selected = n_selected (self);
  g_autofree char *text = NULL;

  gtk_widget_action_set_enabled (widget, "checkup.cancel", running);
  /* Shown while the scan runs only: a greyed-out Cancel beside finished results misleads. */
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_action_set_enabled (widget, "checkup.revoke", selected > 0);
  gtk_widget_action_set_enabled (widget, "checkup.extend", selected > 0);
  gtk_widget_action_set_enabled (widget, "checkup.extend-to-date", selected > 0);
  /* A menu button has no action of its own. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->extend_button), selected > 0);
  gtk_widget_action_set_enabled (widget, "checkup.remove-expired", n_expired (self) > 0);
  gtk_widget_action_set_enabled (widget, "checkup.export",
                                 g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) > 0);

  if (selected > 0)
    /* Translators: in the checkup's action bar */
    text = g_strdup_printf (ngettext ("%u link selected", "%u links selected", selected),
                            selected);
  gtk_label_set_text (self->selection_label, text != NULL ? text : "");
}

static void
update_progress (DslCheckupWindow *self)
{
  guint items = dsl_link_scan_get_items_scanned (self->scan);
  guint links = dsl_link_scan_get_links_found (self->scan);
  g_autofree char *items_text = NULL;
  g_autofree char *links_text = NULL;
  g_autofree char *text = NULL;

  items_text = g_strdup_printf (ngettext ("%u item scanned", "%u items scanned", items), items);
  links_text = g_strdup_printf (ngettext ("%u link found", "%u links found", links), links);
  if (!dsl_link_scan_get_running (self->scan) && self->cancelled)
    /* Translators: "12 items scanned, 3 links found (cancelled)" */
    text = g_strdup_printf (_("%s, %s (cancelled)"), items_text, links_text);
  else
    /* Translators: "12 items scanned, 3 links found" */
    text = g_strdup_printf (_("%s, %s"), items_text, links_text);
  gtk_label_set_text (self->progress_label, text);
}

static void
update_view (DslCheckupWindow *self)
{
  gboolean running = dsl_link_scan_get_running (self->scan);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) > 0 ||
      dsl_paced_list_get_pending (self->paced) > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (dsl_link_scan_get_links_found (self->scan) == 0)
    {
      adw_status_page_set_title (self->empty_page,
                                 running ? _("Looking for Links…") : _("No Links"));
      adw_status_page_set_description (self->empty_page,
                                       running ? NULL
                                       : _("No item of this portal that you can manage has an "
                                           "external link."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "no-match");
  update_actions (self);
}

static void
update_failures (DslCheckupWindow *self)
{
  guint n = dsl_link_scan_get_n_failures (self->scan);
  g_autofree char *label = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->failures_expander), n > 0);
  label = g_strdup_printf (ngettext ("%u item could not be read", "%u items could not be read",
                                     n), n);
  gtk_expander_set_label (self->failures_expander, label);
}

static void
update_error (DslCheckupWindow *self)
{
  const GError *error = dsl_link_scan_get_error (self->scan);
  g_autofree char *text = NULL;

  if (error != NULL)
    /* Translators: %s is the portal's or the connection's error message */
    text = g_strdup_printf (_("The checkup stopped: %s"), error->message);
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static gboolean
on_view_idle (gpointer user_data)
{
  DslCheckupWindow *self = user_data;

  self->view_idle_id = 0;
  update_view (self);
  return G_SOURCE_REMOVE;
}

/* While the scan runs, links come in a few at a time from up to 8 answers handled in one turn
 * of the main loop: the page, actions and labels are brought up to date once, before the next
 * frame (GDK redraws at G_PRIORITY_HIGH_IDLE + 20). */
static void
queue_update_view (DslCheckupWindow *self)
{
  if (self->view_idle_id == 0)
    self->view_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, on_view_idle, self, NULL);
}

static gboolean
on_pulse (gpointer user_data)
{
  DslCheckupWindow *self = user_data;

  gtk_progress_bar_pulse (self->progress_bar);
  update_progress (self);
  return G_SOURCE_CONTINUE;
}

static void
on_running_changed (DslCheckupWindow *self)
{
  gboolean running = dsl_link_scan_get_running (self->scan);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  if (running && self->pulse_id == 0)
    self->pulse_id = g_timeout_add (100, on_pulse, self);
  else if (!running)
    g_clear_handle_id (&self->pulse_id, g_source_remove);
  /* Done (or results kept from before): every row at once, for the actions and the export. */
  if (!running)
    dsl_paced_list_flush (self->paced);
  update_progress (self);
  update_error (self);
  update_view (self);
}

static GtkWidget *
create_failure_row (gpointer item,
                    gpointer user_data)
{
  DslLinkScanRow *row = item;
  const GError *error = dsl_link_scan_row_get_error (row);
  GtkWidget *widget = adw_action_row_new ();
  g_autofree char *subtitle = NULL;

  /* plain text before any text is set: the title is the server's (a "&" would warn) */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (widget), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (widget),
                                 dsl_item_get_title (dsl_link_scan_row_get_item (row)));
  /* Translators: "Rooms › Marketing: The portal refused …" */
  subtitle = g_strdup_printf (_("%s: %s"), dsl_link_scan_row_get_location (row),
                              error != NULL ? error->message : _("Unknown error"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (widget), subtitle);
  return widget;
}

/* --- bulk changes --- */

/* Every write goes through dsl-link-ops: it reads the link again, decides the removal or
 * applies only the change to the portal's state now, and says what became of it. The window
 * only reports each link's outcome on its row and brings the scan's row up to date. */
typedef enum {
  JOB_REMOVE,     /* revoke, regenerate, or remove an expired link: dsl_link_ops_removal */
  JOB_CHANGE,     /* extend, or an expiry on a date */
} JobKind;

typedef struct {
  DslCheckupWindow *self;     /* owned once sent */
  JobKind           kind;
  char             *link_id;
  DslItem          *item;     /* owned */
  DslLink          *seen;     /* owned: the scan's link */
  DslLinkChange    *change;   /* owned (JOB_CHANGE) */
  DslLinkRemoval    removal;  /* JOB_REMOVE: as the scan's state says, for the confirmation */
  const char       *refusal;  /* a removal the person may not make, in words; not sent */
} Job;

static void
job_free (Job *job)
{
  if (job == NULL)
    return;
  g_clear_object (&job->self);
  g_clear_object (&job->item);
  g_clear_object (&job->seen);
  g_clear_pointer (&job->change, dsl_link_change_free);
  g_free (job->link_id);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
job_new (DslLinkScanRow *row,
         JobKind         kind)
{
  Job *job = g_new0 (Job, 1);
  DslItem *item = dsl_link_scan_row_get_item (row);
  DslLink *link = dsl_link_scan_row_get_link (row);

  job->kind = kind;
  job->link_id = g_strdup (dsl_link_get_id (link));
  job->item = g_object_ref (item);
  job->seen = dsl_link_copy (link);
  if (kind == JOB_REMOVE)
    {
      job->removal = dsl_link_ops_removal (item, link, NULL);
      /* Who may remove a link is the server's rule (dsl-link-rules.c): a folder's links only
       * its creator. Said on the row instead of sending a request the portal refuses. */
      if (job->removal == DSL_LINK_REMOVAL_NOT_ALLOWED)
        job->refusal = dsl_link_rules_explain_no_remove (item, link);
    }
  else
    job->change = dsl_link_change_new (link);
  return job;
}

static void pump (DslCheckupWindow *self);

static void
batch_done (DslCheckupWindow *self)
{
  g_autofree char *title = NULL;

  if (self->n_in_flight > 0 || self->queue == NULL || !g_queue_is_empty (self->queue))
    return;
  if (self->batch_failed == 0)
    title = g_strdup_printf (ngettext ("%u link changed", "%u links changed", self->batch_ok),
                             self->batch_ok);
  else
    /* Translators: "3 links changed, 1 not changed; see the marked rows" */
    title = g_strdup_printf (ngettext ("%u link changed, %u not changed; see the marked rows",
                                       "%u links changed, %u not changed; see the marked rows",
                                       self->batch_ok),
                             self->batch_ok, self->batch_failed);
  toast (self, title);
  self->batch_ok = 0;
  self->batch_failed = 0;
  update_actions (self);
  if (self->close_when_done && !gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
set_outcome (DslCheckupWindow  *self,
             const char        *link_id,
             DslCheckupOutcome  kind,
             const char        *message)
{
  Outcome *outcome = g_new0 (Outcome, 1);

  outcome->kind = kind;
  outcome->message = g_strdup (message);
  g_hash_table_replace (self->outcomes, g_strdup (link_id), outcome);
  if (kind == DSL_CHECKUP_OUTCOME_APPLIED)
    self->batch_ok++;
  else
    self->batch_failed++;
  status_changed (self, link_id);
}

/* One job's end: its outcome on the row `outcome_id` (the link's, or the link that replaced
 * it), then the next job. */
static void
job_finished (DslCheckupWindow  *self,
              Job               *job,
              const char        *outcome_id,
              DslCheckupOutcome  kind,
              const char        *message)
{
  g_hash_table_remove (self->busy, job->link_id);
  self->n_in_flight--;
  set_outcome (self, outcome_id, kind, message);
  status_changed (self, job->link_id);
  pump (self);
  batch_done (self);
}

/* A job that did not apply: its outcome from the error, and the row brought up to date with
 * `current` (the portal's state of the link, when the operation read it). */
static void
job_failed (DslCheckupWindow *self,
            Job              *job,
            const GError     *error,
            DslLink          *current)
{
  DslCheckupOutcome kind = DSL_CHECKUP_OUTCOME_FAILED;
  const char *message = error->message;

  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_GONE))
    /* The row stays, marked, until the next scan; no action takes it again. */
    kind = DSL_CHECKUP_OUTCOME_GONE;
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_CONFLICT))
    kind = DSL_CHECKUP_OUTCOME_CHANGED;
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_NOT_APPLIED))
    kind = DSL_CHECKUP_OUTCOME_NOT_APPLIED;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    message = _("The portal did not answer in time; refresh to see whether the change was "
                "made.");
  /* A bulk action does not ask per row: the row shows what the portal holds now, so the next
   * action starts from it. */
  if (current != NULL && dsl_link_get_id (current) != NULL &&
      g_strcmp0 (dsl_link_get_id (current), job->link_id) == 0)
    dsl_link_scan_update_link (self->scan, job->link_id, current);
  job_finished (self, job, job->link_id, kind, message);
}

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  DslCheckupWindow *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) replacement = NULL;
  g_autoptr(DslLink) current = NULL;
  const DslLinkRemovalWords *words;
  DslLinkRemoval removal;

  removal = dsl_link_ops_remove_finish (DSL_CLIENT (object), result, &replacement, &current,
                                        &error);
  if (is_cancelled (error))
    return;
  if (error != NULL)
    {
      job_failed (self, job, error, current);
      return;
    }
  /* The row goes, or shows the link that replaces it. */
  dsl_link_scan_update_link (self->scan, job->link_id, replacement);
  words = dsl_link_ops_removal_words (removal);
  job_finished (self, job, replacement != NULL ? dsl_link_get_id (replacement) : job->link_id,
                DSL_CHECKUP_OUTCOME_APPLIED, words != NULL ? words->done : NULL);
}

static void
change_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  DslCheckupWindow *self = job->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(DslLink) current = NULL;

  stored = dsl_link_ops_change_finish (DSL_CLIENT (object), result, &current, &error);
  if (is_cancelled (error))
    return;
  if (stored == NULL)
    {
      job_failed (self, job, error, current);
      return;
    }
  dsl_link_scan_update_link (self->scan, job->link_id, stored);
  job_finished (self, job, job->link_id, DSL_CHECKUP_OUTCOME_APPLIED, _("Changed"));
}

/* Sends queued jobs while fewer than DSL_CLIENT_MAX_IN_FLIGHT are under way. */
static void
pump (DslCheckupWindow *self)
{
  DslClient *client = dsl_link_scan_get_client (self->scan);
  Job *job;

  if (self->queue == NULL)
    return;
  while (self->n_in_flight < DSL_CLIENT_MAX_IN_FLIGHT &&
         (job = g_queue_pop_head (self->queue)) != NULL)
    {
      job->self = g_object_ref (self);
      self->n_in_flight++;
      if (job->kind == JOB_CHANGE)
        dsl_link_ops_change_async (client, dsl_item_get_kind (job->item),
                                   dsl_item_get_id (job->item), job->change, self->cancellable,
                                   change_cb, job);
      else
        dsl_link_ops_remove_async (client, job->item, job->seen, self->cancellable, remove_cb,
                                   job);
    }
}

static void
enqueue (DslCheckupWindow *self,
         GPtrArray        *jobs)
{
  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = g_ptr_array_index (jobs, i);

      if (g_hash_table_contains (self->busy, job->link_id))
        continue;
      if (job->refusal != NULL)
        {
          set_outcome (self, job->link_id, DSL_CHECKUP_OUTCOME_FAILED, job->refusal);
          continue;
        }
      g_hash_table_add (self->busy, g_strdup (job->link_id));
      g_hash_table_remove (self->outcomes, job->link_id);
      status_changed (self, job->link_id);
      g_queue_push_tail (self->queue, g_steal_pointer (&jobs->pdata[i]));
    }
  pump (self);
  batch_done (self);
  update_actions (self);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     DslCheckupWindow *self)
{
  GPtrArray *jobs = g_object_get_data (G_OBJECT (dialog), "dsl-jobs");

  if (g_strcmp0 (response, "confirm") == 0 && jobs != NULL)
    enqueue (self, jobs);
}

/* Asks before touching `jobs` (transfer full); nothing happens without a "confirm". The
 * heading and body are plain text. */
static void
confirm (DslCheckupWindow *self,
         GPtrArray        *jobs,
         const char       *heading,
         const char       *body,
         const char       *verb,
         gboolean          destructive)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  adw_message_dialog_set_heading_use_markup (dialog, FALSE);
  adw_message_dialog_set_body_use_markup (dialog, FALSE);
  adw_message_dialog_set_heading (dialog, heading);
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "confirm", verb,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                          : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  dsl_message_dialog_name_responses (dialog);
  g_object_set_data_full (G_OBJECT (dialog), "dsl-jobs", jobs,
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Whether the row's link may be taken by a bulk action: it has an id, is not being changed
 * and was not removed by someone else. */
static gboolean
actionable (DslCheckupWindow *self,
            DslLinkScanRow   *row)
{
  const char *id = row_link_id (row);
  Outcome *outcome;

  if (id == NULL || g_hash_table_contains (self->busy, id))
    return FALSE;
  outcome = g_hash_table_lookup (self->outcomes, id);
  return outcome == NULL || outcome->kind != DSL_CHECKUP_OUTCOME_GONE;
}

/* The selected rows not already being changed (element-type DslLinkScanRow, borrowed). */
static GPtrArray *
selected_rows (DslCheckupWindow *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *rows = g_ptr_array_new ();
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    do
      {
        DslLinkScanRow *row = shown_row (self, position);

        if (actionable (self, row))
          g_ptr_array_add (rows, row);
      }
    while (gtk_bitset_iter_next (&iter, &position));
  return rows;
}

static GPtrArray *
new_jobs (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
}

/* The confirmation's body for removing `jobs`: `lead` (nullable), then what each kind of
 * removal among them means (dsl_link_ops_removal_words) and for how many links. */
static char *
describe_removals (GPtrArray  *jobs,
                   const char *lead)
{
  guint counts[DSL_LINK_REMOVAL_INVITATION + 1] = { 0 };
  GString *text = g_string_new (lead);

  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = g_ptr_array_index (jobs, i);

      if (job->removal <= DSL_LINK_REMOVAL_INVITATION)
        counts[job->removal]++;
    }
  for (guint r = 0; r <= DSL_LINK_REMOVAL_INVITATION; r++)
    {
      const DslLinkRemovalWords *words = dsl_link_ops_removal_words (r);

      if (counts[r] == 0)
        continue;
      if (text->len > 0)
        g_string_append (text, "\n\n");
      if (words == NULL)
        g_string_append_printf (text,
                                /* Translators: in the bulk Revoke / Remove confirmation */
                                ngettext ("%u link is not yours to remove; its row will say why.",
                                          "%u links are not yours to remove; their rows will say "
                                          "why.", counts[r]),
                                counts[r]);
      else
        g_string_append_printf (text,
                                /* Translators: "2 links: Anyone using this link will lose
                                 * access. This cannot be undone." */
                                ngettext ("%u link: %s", "%u links: %s", counts[r]),
                                counts[r], words->body);
    }
  return g_string_free (text, FALSE);
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (widget);
  g_autoptr(GPtrArray) rows = selected_rows (self);
  GPtrArray *jobs;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (rows->len == 0)
    return;
  jobs = new_jobs ();
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (jobs, job_new (g_ptr_array_index (rows, i), JOB_REMOVE));
  heading = g_strdup_printf (ngettext ("Revoke %u link?", "Revoke %u links?", jobs->len),
                             jobs->len);
  body = describe_removals (jobs, NULL);
  confirm (self, jobs, heading, body, _("_Revoke"), TRUE);
}

static void
remove_expired_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (widget);
  GListModel *rows = dsl_link_scan_get_rows (self->scan);
  GPtrArray *jobs = new_jobs ();
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(DslLinkScanRow) row = g_list_model_get_item (rows, i);

      if (dsl_link_scan_row_get_state (row) != DSL_LINK_SCAN_STATE_EXPIRED ||
          !actionable (self, row))
        continue;
      g_ptr_array_add (jobs, job_new (row, JOB_REMOVE));
    }
  if (jobs->len == 0)
    {
      g_ptr_array_unref (jobs);
      return;
    }
  heading = g_strdup_printf (ngettext ("Remove %u expired link?", "Remove %u expired links?",
                                       jobs->len), jobs->len);
  body = describe_removals (jobs,
                            _("Every expired link found is removed, whether it is shown and "
                              "selected or not. A link someone extended since the checkup is "
                              "kept."));
  confirm (self, jobs, heading, body, _("_Remove"), TRUE);
}

/* Extends the selected links: to `expiry`, or by 7 days when NULL (dsl_link_change_extend:
 * seven days after each link's expiry as the portal has it then, or after now when that has
 * passed). Only the expiry is sent; every other setting stays as the portal has it. */
static void
extend_to (DslCheckupWindow *self,
           GDateTime        *expiry)
{
  g_autoptr(GPtrArray) rows = selected_rows (self);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  GPtrArray *jobs;

  gtk_popover_popdown (self->extend_popover);
  if (rows->len == 0)
    return;
  jobs = new_jobs ();
  for (guint i = 0; i < rows->len; i++)
    {
      Job *job = job_new (g_ptr_array_index (rows, i), JOB_CHANGE);

      if (expiry != NULL)
        dsl_link_change_set_expiry (job->change, expiry);
      else
        dsl_link_change_extend (job->change);
      g_ptr_array_add (jobs, job);
    }
  heading = g_strdup_printf (ngettext ("Extend %u link?", "Extend %u links?", jobs->len),
                             jobs->len);
  if (expiry != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (expiry);
      g_autofree char *date = g_date_time_format (local, _("%-d %B %Y, %H:%M"));

      /* Translators: %s is a date, e.g. "30 November 2026, 16:05" */
      body = g_strdup_printf (_("The links will expire on %s."), date);
    }
  else
    body = g_strdup (_("Each link will expire 7 days after its current expiry date, or 7 days "
                       "from now if it has passed. Links that never expire are not changed."));
  confirm (self, jobs, heading, body, _("_Extend"), FALSE);
}

static void
extend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) expiry = NULL;
  int days = g_variant_get_int32 (parameter);

  /* 7: "Extend by 7 days", the one meaning everywhere; 30: a date, 30 days from now. */
  if (days == 30)
    expiry = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_30_DAYS, now);
  extend_to (self, expiry);
}

static void
extend_to_date_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (widget);
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->calendar);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) expiry = NULL;

  /* The end of the chosen day, local time. */
  expiry = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                  g_date_time_get_day_of_month (day), 23, 59, 0);
  if (expiry == NULL || g_date_time_compare (expiry, now) <= 0)
    {
      toast (self, _("Choose a date in the future"));
      return;
    }
  extend_to (self, expiry);
}

/* --- scan control --- */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (widget);

  self->cancelled = FALSE;
  g_hash_table_remove_all (self->outcomes);
  dsl_link_scan_start (self->scan);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (widget);

  if (!dsl_link_scan_get_running (self->scan))
    return;
  self->cancelled = TRUE;
  dsl_link_scan_cancel (self->scan);
  on_running_changed (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (DSL_CHECKUP_WINDOW (widget)->search_entry));
}

/* --- export --- */

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
dsl_checkup_window_export_async (DslCheckupWindow    *self,
                                 GFile               *file,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (DSL_IS_CHECKUP_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_checkup_window_export_async);
  /* Made in memory (a few hundred kB for thousands of links), written asynchronously. */
  bytes = dsl_link_scan_rows_to_csv (G_LIST_MODEL (self->sort_model));
  /* Private (0600): the file holds every share URL of the portal (issue 14). A new file
   * replaces an existing one, so its mode is not kept. */
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable,
                                       export_cb, g_steal_pointer (&task));
}

gboolean
dsl_checkup_window_export_finish (DslCheckupWindow  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (object);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *title = NULL;

  if (!dsl_checkup_window_export_finish (self, result, &error))
    {
      if (is_cancelled (error))
        return;
      /* Translators: the first %s is a file name, the second the reason */
      title = g_strdup_printf (_("Could not export to “%s”: %s"), name, error->message);
    }
  else
    /* Translators: %s is a file name */
    title = g_strdup_printf (_("Links exported to “%s”"), name);
  toast (self, title);
}

static void
on_chooser_response (GtkNativeDialog  *dialog,
                     int               response,
                     DslCheckupWindow *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  dsl_checkup_window_export_async (self, file, self->cancellable, export_done_cb,
                                   g_object_ref (file));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (widget);

  if (self->chooser != NULL)
    return;
  /* GtkFileChooserNative goes through the file chooser portal inside Flatpak. */
  self->chooser = gtk_file_chooser_native_new (_("Export Links"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: the suggested file name of the CSV export */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), _("links.csv"));
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- GObject --- */

/* Closing the window while changes are under way would cancel them half-way: the window hides
 * and goes once they are done (presenting it again shows their results). */
static gboolean
dsl_checkup_window_close_request (GtkWindow *window)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (window);

  if (self->n_in_flight > 0 || (self->queue != NULL && !g_queue_is_empty (self->queue)))
    {
      self->close_when_done = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (dsl_checkup_window_parent_class)->close_request (window);
}

static void
dsl_checkup_window_dispose (GObject *object)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_handle_id (&self->view_idle_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->queue != NULL)
    {
      g_queue_free_full (self->queue, (GDestroyNotify) job_free);
      self->queue = NULL;
    }
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_CHECKUP_WINDOW);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->paced);
  g_clear_object (&self->filter);
  g_clear_object (&self->scan);

  G_OBJECT_CLASS (dsl_checkup_window_parent_class)->dispose (object);
}

static void
dsl_checkup_window_finalize (GObject *object)
{
  DslCheckupWindow *self = DSL_CHECKUP_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->busy, g_hash_table_unref);
  g_clear_pointer (&self->outcomes, g_hash_table_unref);
  g_clear_pointer (&self->status_images, g_hash_table_unref);
  g_free (self->search);

  G_OBJECT_CLASS (dsl_checkup_window_parent_class)->finalize (object);
}

static void
dsl_checkup_window_class_init (DslCheckupWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_checkup_window_dispose;
  object_class->finalize = dsl_checkup_window_finalize;
  GTK_WINDOW_CLASS (klass)->close_request = dsl_checkup_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-checkup-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, expired_toggle);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, expiring_toggle);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, no_password_toggle);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, no_expiry_toggle);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, anyone_edit_toggle);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, anyone_toggle);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, portal_users_toggle);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, failures_expander);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, failures_list);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, extend_button);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, extend_popover);
  gtk_widget_class_bind_template_child (widget_class, DslCheckupWindow, calendar);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);

  gtk_widget_class_install_action (widget_class, "checkup.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "checkup.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "checkup.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "checkup.revoke", NULL, revoke_action);
  gtk_widget_class_install_action (widget_class, "checkup.extend", "i", extend_action);
  gtk_widget_class_install_action (widget_class, "checkup.extend-to-date", NULL,
                                   extend_to_date_action);
  gtk_widget_class_install_action (widget_class, "checkup.remove-expired", NULL,
                                   remove_expired_action);
  gtk_widget_class_install_action (widget_class, "checkup.export", NULL, export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "checkup.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "checkup.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "checkup.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "checkup.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "checkup.revoke", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
dsl_checkup_window_init (DslCheckupWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->queue = g_queue_new ();
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) outcome_free);
  self->status_images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  add_columns (self);
}

DslCheckupWindow *
dsl_checkup_window_new (GtkWindow   *parent,
                        DslLinkScan *scan)
{
  DslCheckupWindow *self;
  GtkSorter *sorter;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DSL_IS_LINK_SCAN (scan), NULL);

  /* With the application: its shortcuts (Ctrl+Q) work here, and it stays open when the main
   * window closes. */
  self = g_object_new (DSL_TYPE_CHECKUP_WINDOW,
                       "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
  dsl_frame_stats_attach (GTK_WIDGET (self));   /* benchmarks only: DSL_FRAME_STATS=path */
  self->scan = g_object_ref (scan);

  self->filter = gtk_custom_filter_new (filter_row, self, NULL);
  self->paced = dsl_paced_list_new (dsl_link_scan_get_rows (scan), ROWS_PER_FRAME);
  dsl_paced_list_set_widget (self->paced, GTK_WIDGET (self));
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->paced)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                                              sorter != NULL ? g_object_ref (sorter) : NULL);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->sort_model, "items-changed", G_CALLBACK (queue_update_view),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (scan, "notify::running", G_CALLBACK (on_running_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (scan, "notify::error", G_CALLBACK (update_error), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (scan, "notify::n-failures", G_CALLBACK (update_failures), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_bind_model (self->failures_list, dsl_link_scan_get_failures (scan),
                           create_failure_row, NULL, NULL);

  /* Results are kept per account until refreshed: start only a scan that never ran. */
  if (!dsl_link_scan_get_running (scan) && dsl_link_scan_get_items_scanned (scan) == 0 &&
      dsl_link_scan_get_links_found (scan) == 0 && dsl_link_scan_get_error (scan) == NULL)
    dsl_link_scan_start (scan);

  on_running_changed (self);
  update_failures (self);
  return self;
}

DslLinkScan *
dsl_checkup_window_get_scan (DslCheckupWindow *self)
{
  g_return_val_if_fail (DSL_IS_CHECKUP_WINDOW (self), NULL);
  return self->scan;
}

GListModel *
dsl_checkup_window_get_shown (DslCheckupWindow *self)
{
  g_return_val_if_fail (DSL_IS_CHECKUP_WINDOW (self), NULL);
  return G_LIST_MODEL (self->sort_model);
}

GtkSelectionModel *
dsl_checkup_window_get_selection (DslCheckupWindow *self)
{
  g_return_val_if_fail (DSL_IS_CHECKUP_WINDOW (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

guint
dsl_checkup_window_get_n_pending (DslCheckupWindow *self)
{
  g_return_val_if_fail (DSL_IS_CHECKUP_WINDOW (self), 0);
  return g_hash_table_size (self->busy);
}

const char *
dsl_checkup_window_get_row_error (DslCheckupWindow *self,
                                  const char       *link_id)
{
  const char *message = NULL;

  g_return_val_if_fail (DSL_IS_CHECKUP_WINDOW (self), NULL);
  g_return_val_if_fail (link_id != NULL, NULL);

  if (dsl_checkup_window_get_row_outcome (self, link_id, &message) ==
      DSL_CHECKUP_OUTCOME_APPLIED)
    return NULL;
  return message;
}

DslCheckupOutcome
dsl_checkup_window_get_row_outcome (DslCheckupWindow  *self,
                                    const char        *link_id,
                                    const char       **message)
{
  Outcome *outcome;

  g_return_val_if_fail (DSL_IS_CHECKUP_WINDOW (self), DSL_CHECKUP_OUTCOME_NONE);
  g_return_val_if_fail (link_id != NULL, DSL_CHECKUP_OUTCOME_NONE);

  outcome = g_hash_table_lookup (self->outcomes, link_id);
  if (message != NULL)
    *message = outcome != NULL ? outcome->message : NULL;
  return outcome != NULL ? outcome->kind : DSL_CHECKUP_OUTCOME_NONE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-item-tree.c: DslItemTree, DslItemRow and DslItemDetails, driven in a real GtkWindow
 * against docspace-sim --scale 1 (room 900 "Big Data" → folder 901 with 10,000 files).
 *
 *   GtkWindow ─ DslItemTree ──DslClient──▶ docspace-sim (request log asserted)
 *                  └ list_view (GtkListView of GtkTreeListRow) read back as a person sees it
 *
 * Needs a display (build-aux/run-tests.sh provides Xvfb); without one every case is a TAP SKIP.
 * With DSL_ARTIFACTS set (else G_TEST_BUILDDIR), /expand-room also writes tree-expanded.png. */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dsl-item-details.h"
#include "dsl-item-row.h"
#include "dsl-item-tree.h"
#include "dsl-sim-fixture.h"
#include "dsl-test-util.h"
#include "dsl-tree-node.h"

#define OWNER_KEY "sk-demo-owner"

/* Under AddressSanitizer every page costs seconds: page through a tenth of the folder there
 * (the per-page assertions are the same), all of it otherwise. */
#if defined(__SANITIZE_ADDRESS__)
#define BIG_PAGES 10
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIG_PAGES 10
#endif
#endif
#ifndef BIG_PAGES
#define BIG_PAGES 100
#endif

static gboolean have_display;
static DslSim *sim;
/* Frames painted while paging: start of the frame (before-paint) and the longest one (µs). */
static gint64 frame_start_us;
static gint64 max_frame_us;

static void
on_before_paint (GdkFrameClock *clock,
                 gpointer       user_data)
{
  frame_start_us = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  if (frame_start_us > 0)
    max_frame_us = MAX (max_frame_us, g_get_monotonic_time () - frame_start_us);
  frame_start_us = 0;
}

typedef struct {
  DslClient   *client;
  GtkWindow   *window;
  DslItemTree *tree;
} Fixture;

/* --- finding things --- */

static GtkListView *
list_view (Fixture *f)
{
  return GTK_LIST_VIEW (dsl_test_get_widget (GTK_WIDGET (f->tree), "list_view"));
}

static GListModel *
rows (Fixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (list_view (f)));
}

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (dsl_test_get_widget (GTK_WIDGET (f->tree),
                                                                           "stack")));
}

/* The position of the row whose item has this title (items only), or -1. Small trees only. */
static int
find_title (Fixture    *f,
            const char *title)
{
  GListModel *model = rows (f);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n && i < 2000; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

      if (DSL_IS_ITEM (item) && g_strcmp0 (dsl_item_get_title (DSL_ITEM (item)), title) == 0)
        return (int) i;
    }
  return -1;
}

static GtkTreeListRow *
get_row (Fixture    *f,
         const char *title)
{
  int position = find_title (f, title);

  g_assert_cmpint (position, >=, 0);
  return g_list_model_get_item (rows (f), (guint) position);
}

static gboolean
has_title (Fixture *f, gconstpointer title)
{
  return find_title (f, title) >= 0;
}

static gboolean
lacks_title (Fixture *f, gconstpointer title)
{
  return find_title (f, title) < 0;
}

static gboolean
tree_page_shown (Fixture *f, gconstpointer data)
{
  return g_strcmp0 (visible_page (f), "tree") == 0;
}

/* The status object (if any) right after the children of `title`'s row. */
static DslTreeStatus *
dup_status_of (Fixture    *f,
               const char *title)
{
  g_autoptr(GtkTreeListRow) row = get_row (f, title);
  GListModel *children = gtk_tree_list_row_get_children (row);
  guint n;
  g_autoptr(GObject) last = NULL;

  if (children == NULL || (n = g_list_model_get_n_items (children)) == 0)
    return NULL;
  last = g_list_model_get_item (children, n - 1);
  return DSL_IS_TREE_STATUS (last) ? g_object_ref (DSL_TREE_STATUS (last)) : NULL;
}

static guint
n_children_of (Fixture    *f,
               const char *title)
{
  g_autoptr(GtkTreeListRow) row = get_row (f, title);
  GListModel *children = gtk_tree_list_row_get_children (row);

  return children != NULL ? g_list_model_get_n_items (children) : 0;
}

static guint
count (const char *path)
{
  return dsl_sim_count_requests (sim, "GET", path);
}

static guint
total_requests (void)
{
  return dsl_sim_count_requests (sim, NULL, NULL);
}

/* Expands a row as a click on its expander would. */
static void
expand (Fixture    *f,
        const char *title)
{
  g_autoptr(GtkTreeListRow) row = get_row (f, title);

  gtk_tree_list_row_set_expanded (row, TRUE);
}

static void
select_title (Fixture    *f,
              const char *title)
{
  int position = find_title (f, title);

  g_assert_cmpint (position, >=, 0);
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (rows (f)), (guint) position);
}

static gboolean
shows_status (GtkWidget     *widget,
              gconstpointer  status)
{
  return DSL_IS_ITEM_ROW (widget) && dsl_item_row_get_status (DSL_ITEM_ROW (widget)) == status;
}

/* The bound DslItemRow showing `status`, or NULL when it is not on screen. */
static DslItemRow *
find_status_row (GtkWidget     *root,
                 DslTreeStatus *status)
{
  return (DslItemRow *) dsl_test_find_descendant (root, shows_status, status);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  return dsl_test_find_descendant (root, is_button_labelled, label);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("DSL_ARTIFACTS");
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  if (dir == NULL)
    dir = g_getenv ("G_TEST_BUILDDIR");
  if (dir == NULL)
    dir = ".";
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* --- fixture --- */

static gboolean
roots_loaded (Fixture *f, gconstpointer data)
{
  return find_title (f, "Marketing") >= 0 && find_title (f, "Q3 report.docx") >= 0;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!have_display)
    return;

  dsl_sim_reset (sim, &error);
  g_assert_no_error (error);

  f->client = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->client, OWNER_KEY);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 420, 640);
  f->tree = DSL_ITEM_TREE (dsl_item_tree_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->tree));
  gtk_window_present (f->window);

  if (data == NULL)
    {
      dsl_item_tree_set_client (f->tree, f->client);
      dsl_test_run_until (f, roots_loaded, NULL);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  gtk_window_destroy (f->window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_add_weak_pointer (G_OBJECT (f->client), (gpointer *) &f->client);
  g_object_unref (f->client);
  /* Requests in flight hold the client until they are cancelled and complete. */
  for (guint i = 0; i < 200 && f->client != NULL; i++)
    dsl_test_run_for (5);
  g_assert_null (f->client);
}

/* Resident memory of this process in KiB (Linux). */
static gint64
rss_kib (void)
{
  g_autofree char *statm = NULL;
  long long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lld %lld", &size, &resident) != 2)
    return -1;
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

/* --- tests --- */

static void
test_roots (Fixture *f, gconstpointer data)
{
  g_autoptr(GtkTreeListRow) rooms = NULL;
  g_autoptr(GtkTreeListRow) my = NULL;

  if (dsl_test_skip_without_display ())
    return;

  g_assert_cmpstr (visible_page (f), ==, "tree");
  rooms = get_row (f, "Rooms");
  my = get_row (f, "My documents");
  g_assert_cmpuint (gtk_tree_list_row_get_position (rooms), ==, 0);
  g_assert_true (gtk_tree_list_row_get_expanded (rooms));
  g_assert_true (gtk_tree_list_row_get_expanded (my));
  for (guint i = 0; i < 6; i++)
    {
      static const char *rooms_titles[] = {
        "Marketing", "Press Kit", "Supplier Forms", "Engineering", "Due Diligence", "Big Data",
      };
      g_autoptr(GtkTreeListRow) row = get_row (f, rooms_titles[i]);

      g_assert_false (gtk_tree_list_row_get_expanded (row));
      g_assert_true (gtk_tree_list_row_is_expandable (row));
    }
  g_assert_cmpint (find_title (f, "Drafts"), >, find_title (f, "My documents"));

  /* Nothing below the roots was asked for: one request per root. */
  dsl_test_run_for (200);
  g_assert_cmpuint (count ("/api/2.0/files/rooms"), ==, 1);
  g_assert_cmpuint (count ("/api/2.0/files/@my"), ==, 1);
  g_assert_cmpuint (total_requests (), ==, 2);
}

static gboolean
campaigns_and_files (Fixture *f, gconstpointer data)
{
  return find_title (f, "Campaigns") >= 0 && find_title (f, "Brand guide.pdf") >= 0;
}

static void
test_expand_room (Fixture *f, gconstpointer data)
{
  int marketing, campaigns, brand;

  if (dsl_test_skip_without_display ())
    return;

  g_assert_cmpuint (count ("/api/2.0/files/101"), ==, 0);
  expand (f, "Marketing");
  dsl_test_run_until (f, campaigns_and_files, NULL);

  marketing = find_title (f, "Marketing");
  campaigns = find_title (f, "Campaigns");
  brand = find_title (f, "Brand guide.pdf");
  /* Folders first, then files, right below the room. */
  g_assert_cmpint (campaigns, ==, marketing + 1);
  g_assert_cmpint (brand, >, campaigns);
  g_assert_null (dup_status_of (f, "Marketing"));

  dsl_test_run_for (300);
  g_assert_cmpuint (count ("/api/2.0/files/101"), ==, 1);
  /* Campaigns is not expanded: nothing asked for it. */
  g_assert_cmpuint (count ("/api/2.0/files/201"), ==, 0);

  /* Collapsing and expanding again shows what was loaded without asking again. */
  {
    g_autoptr(GtkTreeListRow) row = get_row (f, "Marketing");

    gtk_tree_list_row_set_expanded (row, FALSE);
    dsl_test_run_for (50);
    g_assert_cmpint (find_title (f, "Campaigns"), <, 0);
    gtk_tree_list_row_set_expanded (row, TRUE);
    g_assert_cmpint (find_title (f, "Campaigns"), ==, marketing + 1);
    dsl_test_run_for (200);
    g_assert_cmpuint (count ("/api/2.0/files/101"), ==, 1);
  }

  save_screenshot (GTK_WIDGET (f->window), "tree-expanded.png");
}

static void
test_plain_text_title (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  GtkWidget *row;
  GtkLabel *label;

  if (dsl_test_skip_without_display ())
    return;

  item = dsl_item_new (DSL_ITEM_KIND_FILE, "1", "<b>bold</b> & <i>co</i>");
  g_object_set (item, "file-type", DSL_FILE_TYPE_SPREADSHEET, "shared-external", TRUE, NULL);
  row = g_object_ref_sink (dsl_item_row_new ());
  dsl_item_row_set_item (DSL_ITEM_ROW (row), item);

  label = GTK_LABEL (dsl_test_get_widget (row, "title"));
  g_assert_false (gtk_label_get_use_markup (label));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "<b>bold</b> & <i>co</i>");
  g_assert_cmpstr (gtk_label_get_label (label), ==, "<b>bold</b> & <i>co</i>");
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (dsl_test_get_widget (row, "icon"))), ==,
                   "x-office-spreadsheet-symbolic");
  g_assert_true (gtk_widget_get_visible (dsl_test_get_widget (row, "links_badge")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (dsl_test_get_widget (row, "links_badge")), ==,
                   "Has external links");

  /* A rename (refresh updates the same object) reaches the bound row. */
  g_object_set (item, "title", "<u>renamed</u>", "shared-external", FALSE, NULL);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "<u>renamed</u>");
  g_assert_false (gtk_widget_get_visible (dsl_test_get_widget (row, "links_badge")));

  /* Known once the sidebar read the item's links. */
  g_assert_null (dsl_test_find_widget (row, "expired_badge"));
  dsl_item_set_has_expired_links (item, TRUE);
  g_assert_true (gtk_widget_get_visible (dsl_test_get_widget (row, "expired_badge")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (dsl_test_get_widget (row, "expired_badge")), ==,
                   "Has expired links");
  dsl_item_set_has_expired_links (item, FALSE);
  g_assert_false (gtk_widget_get_visible (dsl_test_get_widget (row, "expired_badge")));

  dsl_item_row_set_item (DSL_ITEM_ROW (row), NULL);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "");
  g_object_unref (row);
}

typedef struct {
  const char *title;
  guint       more_than;
} ChildCount;

static gboolean
children_more_than (Fixture *f, gconstpointer data)
{
  const ChildCount *c = data;

  return n_children_of (f, c->title) > c->more_than;
}

static void
scroll_to_end (Fixture *f)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view (f)));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
}

/* The person keeps scrolling to the end until the next page is there. */
static gboolean
page_done (Fixture *f, gconstpointer data)
{
  const ChildCount *c = data;
  g_autoptr(DslTreeStatus) status = NULL;

  scroll_to_end (f);
  status = dup_status_of (f, c->title);

  /* More children, and the page is in: no chunk of it waits to be appended (the tree appends a
   * page over a few frames; at the end of the list the next page may be asked for in the very
   * frame that appends the last chunk, so "not loading" is not a state to wait for). */
  return n_children_of (f, c->title) > c->more_than &&
         (status == NULL || dsl_folder_model_get_n_pending (
            dsl_tree_node_get_model (dsl_tree_status_get_node (status))) == 0);
}

static gboolean
big_folder_idle (Fixture *f, gconstpointer data)
{
  g_autoptr(DslTreeStatus) status = dup_status_of (f, "10,000 files");

  return status == NULL || dsl_tree_status_get_kind (status) != DSL_TREE_STATUS_LOADING;
}

static void
open_big_folder (Fixture *f)
{
  /* The whole first page (appended over a few frames) and the "Loading…" row after it. */
  ChildCount first = { "10,000 files", 100 };

  expand (f, "Big Data");
  dsl_test_run_until (f, has_title, "10,000 files");
  expand (f, "10,000 files");
  dsl_test_run_until (f, children_more_than, &first);
}

static void
test_paging (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) starts = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(DslTreeStatus) status = NULL;
  gint64 started;
  gint64 rss_before;
  GdkFrameClock *clock;
  guint loaded;

  if (dsl_test_skip_without_display ())
    return;

  open_big_folder (f);
  dsl_test_run_for (300);
  /* Page 0 only: the rows bound at the top are far from the loaded end. */
  g_assert_cmpuint (count ("/api/2.0/files/901"), ==, 1);
  g_assert_cmpuint (n_children_of (f, "10,000 files"), ==, 101);   /* + "Loading…" */
  status = dup_status_of (f, "10,000 files");
  g_assert_nonnull (status);
  /* More to come, nothing in flight: no spinner animating off screen. */
  g_assert_cmpint (dsl_tree_status_get_kind (status), ==, DSL_TREE_STATUS_MORE);
  g_clear_object (&status);

  rss_before = rss_kib ();
  dsl_test_reset_max_iteration ();
  max_frame_us = 0;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  started = g_get_monotonic_time ();
  for (guint step = 0; step < 150 && n_children_of (f, "10,000 files") < BIG_PAGES * 100; step++)
    {
      ChildCount c = { "10,000 files", n_children_of (f, "10,000 files") };

      dsl_test_run_until (f, page_done, &c);
    }
  g_signal_handlers_disconnect_by_func (clock, on_before_paint, NULL);
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, NULL);
  g_test_message ("scrolled through %u files in %.1f s; longest frame %.1f ms; longest "
                  "main-loop iteration %.1f ms; resident memory +%.1f MB",
                  BIG_PAGES * 100, (g_get_monotonic_time () - started) / 1e6, max_frame_us / 1e3,
                  dsl_test_get_max_iteration_us () / 1e3, (rss_kib () - rss_before) / 1024.0);

  /* Back to the top (nothing more is wanted), nothing in flight any more: every request sent
   * is a page shown. */
  gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view (f))), 0);
  dsl_test_run_until (f, big_folder_idle, NULL);
  dsl_test_run_for (300);
  loaded = n_children_of (f, "10,000 files");
  status = dup_status_of (f, "10,000 files");
  if (status != NULL)
    loaded--;
  g_assert_cmpuint (loaded % 100, ==, 0);
  g_assert_cmpuint (count ("/api/2.0/files/901"), ==, loaded / 100);
  if (BIG_PAGES == 100)
    {
      g_assert_cmpuint (loaded, ==, 10000);
      g_assert_null (status);
    }
  else
    {
      g_assert_cmpuint (loaded, >=, BIG_PAGES * 100);
      g_test_message ("AddressSanitizer: %u pages of 100", loaded / 100);
    }
  g_clear_object (&status);

  /* Every page exactly once. */
  starts = dsl_test_request_queries (sim, "/api/2.0/files/901");
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < starts->len; i++)
    {
      const char *query = g_ptr_array_index (starts, i);
      const char *start = strstr (query, "startIndex=");
      g_autofree char *value = NULL;

      g_assert_nonnull (start);
      value = g_strndup (start + strlen ("startIndex="), strcspn (start + strlen ("startIndex="), "&"));
      g_assert_true (g_hash_table_add (seen, g_steal_pointer (&value)));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, starts->len);
  g_assert_true (g_hash_table_contains (seen, "0"));
  if (BIG_PAGES == 100)
    g_assert_true (g_hash_table_contains (seen, "9900"));
}

static gboolean
status_is_error (Fixture *f, gconstpointer title)
{
  g_autoptr(DslTreeStatus) status = dup_status_of (f, title);

  return status != NULL && dsl_tree_status_get_kind (status) == DSL_TREE_STATUS_ERROR;
}

static gboolean
status_is_empty (Fixture *f, gconstpointer title)
{
  g_autoptr(DslTreeStatus) status = dup_status_of (f, title);

  return status != NULL && dsl_tree_status_get_kind (status) == DSL_TREE_STATUS_EMPTY;
}

static gboolean
status_row_shown (Fixture *f, gconstpointer title)
{
  g_autoptr(DslTreeStatus) status = dup_status_of (f, title);

  return status != NULL && find_status_row (GTK_WIDGET (f->tree), status) != NULL;
}

static void
test_error_and_retry (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslTreeStatus) status = NULL;
  DslItemRow *row;
  GtkWidget *retry;

  if (dsl_test_skip_without_display ())
    return;

  /* Three 502s: the first attempt and both GET retries of the client. */
  dsl_sim_set_faults (sim, "html502,count=3,path=/api/2.0/files/104", &error);
  g_assert_no_error (error);

  expand (f, "Engineering");
  dsl_test_run_until (f, status_is_error, "Engineering");
  dsl_test_run_until (f, status_row_shown, "Engineering");
  g_assert_cmpuint (count ("/api/2.0/files/104"), ==, 3);

  status = dup_status_of (f, "Engineering");
  g_assert_nonnull (dsl_tree_status_get_message (status));
  g_assert_cmpstr (dsl_tree_status_get_message (status), !=, "");
  row = find_status_row (GTK_WIDGET (f->tree), status);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (dsl_test_get_widget (GTK_WIDGET (row),
                                                                       "title"))),
                   ==, dsl_tree_status_get_message (status));
  retry = find_button (GTK_WIDGET (row), "Retry");
  g_assert_nonnull (retry);
  /* The tree itself stays: no error page for one folder. */
  g_assert_cmpstr (visible_page (f), ==, "tree");

  g_signal_emit_by_name (retry, "clicked");
  dsl_test_run_until (f, has_title, "Designs");
  g_assert_true (has_title (f, "Spec.docx"));
  g_assert_null (dup_status_of (f, "Engineering"));
  g_assert_cmpuint (count ("/api/2.0/files/104"), ==, 4);

  /* An empty folder says so in a dimmed row. */
  expand (f, "Designs");
  dsl_test_run_until (f, status_is_empty, "Designs");
  dsl_test_run_until (f, status_row_shown, "Designs");
  {
    g_autoptr(DslTreeStatus) empty = dup_status_of (f, "Designs");
    DslItemRow *empty_row = find_status_row (GTK_WIDGET (f->tree), empty);
    GtkWidget *label = dsl_test_get_widget (GTK_WIDGET (empty_row), "title");

    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Empty");
    g_assert_true (gtk_widget_has_css_class (label, "dim-label"));
    g_assert_null (find_button (GTK_WIDGET (empty_row), "Retry"));
  }
}

static gboolean
search_shows_press_kit_only (Fixture *f, gconstpointer data)
{
  return find_title (f, "Press Kit") >= 0 && find_title (f, "Marketing") < 0;
}

static void
test_search (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rooms_queries = NULL;
  GtkWidget *entry;
  GtkSearchBar *bar;
  gboolean sent = FALSE;

  if (dsl_test_skip_without_display ())
    return;

  dsl_item_tree_focus_search (f->tree);
  bar = GTK_SEARCH_BAR (dsl_test_get_widget (GTK_WIDGET (f->tree), "search_bar"));
  entry = dsl_test_get_widget (GTK_WIDGET (f->tree), "search_entry");
  g_assert_true (gtk_search_bar_get_search_mode (bar));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* Typed key by key: only the final text reaches the server. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "P");
  dsl_test_run_for (30);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Pr");
  dsl_test_run_for (30);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Press");
  dsl_test_run_until (f, search_shows_press_kit_only, NULL);

  rooms_queries = dsl_test_request_queries (sim, "/api/2.0/files/rooms");
  for (guint i = 0; i < rooms_queries->len; i++)
    {
      const char *query = g_ptr_array_index (rooms_queries, i);

      g_assert_null (strstr (query, "filterValue=P&"));
      g_assert_null (strstr (query, "filterValue=Pr&"));
      if (strstr (query, "filterValue=Press") != NULL)
        sent = TRUE;
    }
  g_assert_true (sent);
  g_assert_cmpuint (rooms_queries->len, ==, 2);
  g_assert_cmpstr (visible_page (f), ==, "tree");

  /* Nothing matches: the empty state. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "no such thing at all");
  dsl_test_run_until (f, lacks_title, "Press Kit");
  dsl_test_run_for (300);
  g_assert_cmpstr (visible_page (f), ==, "empty");

  /* Closing the search (Escape) restores the whole tree. */
  gtk_search_bar_set_search_mode (bar, FALSE);
  dsl_test_run_until (f, has_title, "Marketing");
  dsl_test_run_until (f, tree_page_shown, NULL);
  g_assert_true (has_title (f, "Press Kit"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

typedef struct {
  const char *path;
  guint       n;
} PathCount;

static gboolean
count_reached (Fixture *f, gconstpointer data)
{
  const PathCount *c = data;

  return count (c->path) >= c->n;
}

static void
test_refresh_keeps_state (Fixture *f, gconstpointer data)
{
  PathCount rooms = { "/api/2.0/files/rooms", 2 };
  PathCount marketing = { "/api/2.0/files/101", 2 };
  PathCount campaigns = { "/api/2.0/files/201", 2 };
  g_autoptr(DslItem) before = NULL;

  if (dsl_test_skip_without_display ())
    return;

  expand (f, "Marketing");
  dsl_test_run_until (f, has_title, "Campaigns");
  expand (f, "Campaigns");
  dsl_test_run_until (f, has_title, "2026");
  select_title (f, "2026");
  before = g_object_ref (dsl_item_tree_get_selected_item (f->tree));
  g_assert_cmpstr (dsl_item_get_id (before), ==, "202");

  dsl_item_tree_refresh (f->tree);
  dsl_test_run_until (f, count_reached, &rooms);
  dsl_test_run_until (f, count_reached, &marketing);
  dsl_test_run_until (f, count_reached, &campaigns);
  dsl_test_run_for (300);

  /* Re-read once each, still expanded, the same object still selected. */
  g_assert_cmpuint (count ("/api/2.0/files/101"), ==, 2);
  g_assert_cmpuint (count ("/api/2.0/files/201"), ==, 2);
  g_assert_cmpuint (count ("/api/2.0/files/202"), ==, 0);
  g_assert_true (has_title (f, "Campaigns"));
  g_assert_true (has_title (f, "2026"));
  g_assert_true (dsl_item_tree_get_selected_item (f->tree) == before);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (rows (f))), ==,
                    (guint) find_title (f, "2026"));
}

static void
test_selection_and_restore (Fixture *f, gconstpointer data)
{
  g_autofree char *path = NULL;
  DslItem *item;

  if (dsl_test_skip_without_display ())
    return;

  g_assert_null (dsl_item_tree_get_selected_item (f->tree));
  g_assert_null (dsl_item_tree_dup_selected_path (f->tree));

  expand (f, "Marketing");
  dsl_test_run_until (f, has_title, "Campaigns");
  expand (f, "Campaigns");
  dsl_test_run_until (f, has_title, "2026");
  expand (f, "2026");
  dsl_test_run_until (f, has_title, "Launch plan.docx");
  select_title (f, "Launch plan.docx");

  item = dsl_item_tree_get_selected_item (f->tree);
  g_assert_nonnull (item);
  g_assert_cmpstr (dsl_item_get_id (item), ==, "301");
  g_assert_cmpstr (dsl_item_tree_get_selected_location (f->tree), ==,
                   "Rooms › Marketing › Campaigns › 2026");
  path = dsl_item_tree_dup_selected_path (f->tree);
  g_assert_cmpstr (path, ==, "@rooms/101/201/202/301");

  /* Signing out and in again: a new tree, the path restored as the folders load. */
  dsl_item_tree_set_client (f->tree, NULL);
  g_assert_null (dsl_item_tree_get_selected_item (f->tree));
  g_assert_cmpstr (visible_page (f), ==, "signed-out");
  dsl_item_tree_set_client (f->tree, f->client);
  dsl_item_tree_restore_selection (f->tree, path);
  dsl_test_run_until (f, has_title, "Launch plan.docx");
  {
    g_autofree char *restored = NULL;

    for (guint i = 0; i < 100 && dsl_item_tree_get_selected_item (f->tree) == NULL; i++)
      dsl_test_run_for (20);
    restored = dsl_item_tree_dup_selected_path (f->tree);
    g_assert_cmpstr (restored, ==, "@rooms/101/201/202/301");
    g_assert_cmpstr (dsl_item_tree_get_selected_location (f->tree), ==,
                     "Rooms › Marketing › Campaigns › 2026");
  }

  /* An id that is gone: nothing selected, nothing left waiting. */
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (rows (f)), GTK_INVALID_LIST_POSITION);
  dsl_item_tree_restore_selection (f->tree, "@rooms/101/999");
  dsl_test_run_for (300);
  g_assert_null (dsl_item_tree_get_selected_item (f->tree));
}

static void
test_restore_deep_page (Fixture *f, gconstpointer data)
{
  g_autofree char *restored = NULL;

  if (dsl_test_skip_without_display ())
    return;

  /* File 100250 is on page 2 of folder 901: pages 0-2 are read, no more. */
  dsl_item_tree_restore_selection (f->tree, "@rooms/900/901/100250");
  for (guint i = 0; i < 500 && dsl_item_tree_get_selected_item (f->tree) == NULL; i++)
    dsl_test_run_for (20);
  restored = dsl_item_tree_dup_selected_path (f->tree);
  g_assert_cmpstr (restored, ==, "@rooms/900/901/100250");
  dsl_test_run_for (300);
  g_assert_cmpuint (count ("/api/2.0/files/900"), ==, 1);
  g_assert_cmpuint (count ("/api/2.0/files/901"), ==, 3);
}

static void
test_details (Fixture *f, gconstpointer data)
{
  GtkWidget *details;
  GtkWidget *grid;
  GtkStack *stack;
  DslItem *item;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *created = NULL;

  if (dsl_test_skip_without_display ())
    return;

  expand (f, "Marketing");
  dsl_test_run_until (f, has_title, "Brand guide.pdf");
  select_title (f, "Brand guide.pdf");
  item = dsl_item_tree_get_selected_item (f->tree);
  g_assert_nonnull (item);
  g_assert_nonnull (dsl_item_get_created_by (item));

  details = g_object_ref_sink (dsl_item_details_new ());
  stack = GTK_STACK (dsl_test_get_widget (details, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (dsl_test_get_widget (details,
                                                                              "empty_page"))),
                   ==, "Nothing Selected");

  g_object_set (details,
                "item", item,
                "location", dsl_item_tree_get_selected_location (f->tree),
                NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "item");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (dsl_test_get_widget (details, "item_title"))),
                   ==, "Brand guide.pdf");

  grid = dsl_test_get_widget (details, "grid");
  for (GtkWidget *child = gtk_widget_get_first_child (grid);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child))
      g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (child)));
  g_test_message ("details:\n%s", text->str);

  g_assert_nonnull (strstr (text->str, "Type\n"));
  g_assert_nonnull (strstr (text->str, "PDF (.pdf)\n"));
  g_assert_nonnull (strstr (text->str, "Location\nRooms › Marketing\n"));
  g_assert_nonnull (strstr (text->str, "Owner\n"));
  g_assert_nonnull (strstr (text->str, dsl_item_get_created_by (item)));
  g_assert_nonnull (strstr (text->str, "Created\n"));
  g_assert_nonnull (strstr (text->str, "Size\n"));
  g_assert_nonnull (strstr (text->str, "No external links\n"));
  {
    g_autoptr(GDateTime) local = g_date_time_to_local (dsl_item_get_created (item));

    created = g_date_time_format (local, "%-d %B %Y, %H:%M");
    g_assert_nonnull (strstr (text->str, created));
  }

  /* A room names its type. */
  {
    g_autoptr(GtkTreeListRow) row = get_row (f, "Press Kit");
    g_autoptr(GObject) room = gtk_tree_list_row_get_item (row);
    g_autofree char *type = dsl_item_details_describe_type (DSL_ITEM (room));

    g_assert_cmpstr (type, ==, "Public room");
  }

  dsl_item_details_set_item (DSL_ITEM_DETAILS (details), NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_object_unref (details);
}

/* Selects and focuses the row of `title`, as a click would. */
static void
focus_title (Fixture    *f,
             const char *title)
{
  select_title (f, title);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list_view (f)));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *expander = gtk_widget_get_first_child (child);
      GtkTreeListRow *row;
      g_autoptr(GObject) item = NULL;

      if (expander == NULL || !GTK_IS_TREE_EXPANDER (expander))
        continue;
      row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (expander));
      if (row == NULL)
        continue;
      item = gtk_tree_list_row_get_item (row);
      if (DSL_IS_ITEM (item) && g_strcmp0 (dsl_item_get_title (DSL_ITEM (item)), title) == 0)
        {
          g_assert_true (gtk_widget_grab_focus (child));
          return;
        }
    }
  g_assert_not_reached ();
}

static void
test_keyboard (Fixture *f, gconstpointer data)
{
  g_autoptr(GtkTreeListRow) marketing = NULL;

  if (dsl_test_skip_without_display ())
    return;

  /* Right (tree.expand-row) on a room expands it and loads it. */
  marketing = get_row (f, "Marketing");
  focus_title (f, "Marketing");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "tree.expand-row", NULL));
  g_assert_true (gtk_tree_list_row_get_expanded (marketing));
  dsl_test_run_until (f, has_title, "Campaigns");

  /* Left (tree.collapse-row) on a collapsed folder goes to the folder above. */
  dsl_test_run_for (100);
  focus_title (f, "Campaigns");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "tree.collapse-row", NULL));
  g_assert_cmpstr (dsl_item_get_title (dsl_item_tree_get_selected_item (f->tree)), ==,
                   "Marketing");
  /* …and on an expanded one collapses it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "tree.collapse-row", NULL));
  g_assert_false (gtk_tree_list_row_get_expanded (marketing));
  g_assert_true (lacks_title (f, "Campaigns"));
  g_assert_cmpuint (count ("/api/2.0/files/101"), ==, 1);
}

/* Every row widget shows the row that is at its place in the model now (the tree rebinds the
 * view when GTK 4.8 leaves widgets bound to removed rows: once idle, and after the next frame). */
static gboolean
rows_fresh (Fixture *f, gconstpointer data)
{
  GListModel *model = rows (f);
  guint n_checked = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list_view (f)));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *expander = gtk_widget_get_first_child (child);
      GtkTreeListRow *row;
      g_autoptr(GtkTreeListRow) current = NULL;
      g_autoptr(GObject) item = NULL;
      GtkWidget *widget;

      if (expander == NULL || !GTK_IS_TREE_EXPANDER (expander) ||
          (row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (expander))) == NULL)
        continue;
      current = g_list_model_get_item (model, gtk_tree_list_row_get_position (row));
      if (current != row)
        return FALSE;
      item = gtk_tree_list_row_get_item (row);
      widget = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
      if (DSL_IS_ITEM (item) &&
          g_strcmp0 (gtk_label_get_text (GTK_LABEL (dsl_test_get_widget (widget, "title"))),
                     dsl_item_get_title (DSL_ITEM (item))) != 0)
        return FALSE;
      n_checked++;
    }
  return n_checked > 0;
}

/* Collapsing a folder, or searching, while scrolled deep into a large folder: GTK 4.8 leaves
 * rows bound to removed items unless the tree rebinds them. */
static void
test_collapse_while_deep (Fixture *f, gconstpointer data)
{
  g_autoptr(GtkTreeListRow) big = NULL;
  GtkWidget *entry;

  if (dsl_test_skip_without_display ())
    return;

  open_big_folder (f);
  for (guint k = 0; k < 3; k++)
    {
      ChildCount c = { "10,000 files", n_children_of (f, "10,000 files") };

      dsl_test_run_until (f, page_done, &c);
    }
  dsl_test_run_for (300);

  big = get_row (f, "10,000 files");
  gtk_tree_list_row_set_expanded (big, FALSE);
  dsl_test_run_for (300);
  dsl_test_run_until (f, rows_fresh, NULL);
  g_assert_true (has_title (f, "My documents"));

  gtk_tree_list_row_set_expanded (big, TRUE);
  for (guint k = 0; k < 2; k++)
    {
      ChildCount c = { "10,000 files", n_children_of (f, "10,000 files") };

      dsl_test_run_until (f, page_done, &c);
    }
  dsl_test_run_for (300);

  dsl_item_tree_focus_search (f->tree);
  entry = dsl_test_get_widget (GTK_WIDGET (f->tree), "search_entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), "Press");
  dsl_test_run_until (f, search_shows_press_kit_only, NULL);
  dsl_test_run_for (300);
  dsl_test_run_until (f, rows_fresh, NULL);
}

static gboolean
error_page_shown (Fixture *f, gconstpointer data)
{
  return g_strcmp0 (visible_page (f), "error") == 0;
}

static void
test_roots_fail (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  AdwStatusPage *page;

  if (dsl_test_skip_without_display ())
    return;

  /* Both roots: three attempts each. */
  dsl_sim_set_faults (sim, "error500,count=6,path=/api/2.0/files", &error);
  g_assert_no_error (error);
  dsl_item_tree_set_client (f->tree, f->client);
  g_assert_cmpstr (visible_page (f), ==, "loading");
  dsl_test_run_until (f, error_page_shown, NULL);

  page = ADW_STATUS_PAGE (dsl_test_get_widget (GTK_WIDGET (f->tree), "error_page"));
  g_assert_nonnull (adw_status_page_get_description (page));
  g_assert_cmpstr (adw_status_page_get_description (page), !=, "");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->tree), "tree.retry", NULL));
  dsl_test_run_until (f, roots_loaded, NULL);
  g_assert_cmpstr (visible_page (f), ==, "tree");
}

int
main (int   argc,
      char *argv[])
{
  const char *args[] = { "--scale", "1", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  have_display = dsl_test_init_display ();

#define add_test(name, func, data) \
  g_test_add ("/dsl/ui/item-tree/" name, Fixture, data, fixture_set_up, func, fixture_tear_down)
  add_test ("roots", test_roots, NULL);
  add_test ("expand-room", test_expand_room, NULL);
  add_test ("plain-text-title", test_plain_text_title, NULL);
  add_test ("paging", test_paging, NULL);
  add_test ("error-and-retry", test_error_and_retry, NULL);
  add_test ("search", test_search, NULL);
  add_test ("refresh-keeps-state", test_refresh_keeps_state, NULL);
  add_test ("selection-and-restore", test_selection_and_restore, NULL);
  add_test ("restore-deep-page", test_restore_deep_page, NULL);
  add_test ("details", test_details, NULL);
  add_test ("keyboard", test_keyboard, NULL);
  add_test ("collapse-while-deep", test_collapse_while_deep, NULL);
  add_test ("roots-fail", test_roots_fail, "no client");

  if (have_display)
    {
      sim = dsl_sim_start (args, &error);
      g_assert_no_error (error);
      dsl_test_set_sim (sim);
    }

  status = g_test_run ();

  g_clear_pointer (&sim, dsl_sim_stop);
  return status;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-checkup-window.c: DslCheckupWindow in a real window against docspace-sim.
 *
 *   DslCheckupWindow ── DslLinkScan ──DslClient──▶ docspace-sim --state FILE
 *     ├ shown model (filter + sort), read back         └ FILE: the simulator's portal after
 *     ├ toggles and search entry, set as a person would       every change = the ground truth
 *     └ bulk actions through their AdwMessageDialog; asserted on the simulator's request log
 *       and on FILE (exactly the selected links changed, nothing else)
 *
 * One simulator (the seed portal) for the whole binary, reset before every test. Needs a
 * display (build-aux/run-tests.sh provides Xvfb); without one every case is a TAP SKIP. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "dsl-checkup-window.h"
#include "dsl-sim-fixture.h"
#include "dsl-test-util.h"

#define OWNER_KEY "sk-demo-owner"

static gboolean have_display;
static DslSim *sim;
static char *state_dir;
static char *state_file;

typedef struct {
  DslClient        *client;
  DslLinkScan      *scan;
  DslCheckupWindow *window;
} Fixture;

/* --- the simulator's truth --- */

/* Every external link of Rooms and My documents in the --state file: link id -> its "expires"
 * (µs since the epoch, 0 = never) as a string. */
static GHashTable *
ground_truth (void)
{
  g_autoptr(GHashTable) links = dsl_sim_read_external_links (state_file, NULL);
  GHashTable *truth = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, links);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (truth, g_strdup (key),
                         g_strdup_printf ("%" G_GINT64_FORMAT,
                                          json_object_get_int_member (value, "expires")));
  return truth;
}

/* --- helpers --- */

static GListModel *
shown (Fixture *f)
{
  return dsl_checkup_window_get_shown (f->window);
}

static DslLinkScanRow *
shown_at (Fixture *f,
          guint    position)
{
  DslLinkScanRow *row = g_list_model_get_item (shown (f), position);

  g_assert_nonnull (row);
  g_object_unref (row);
  return row;
}

static const char *
link_id (DslLinkScanRow *row)
{
  return dsl_link_get_id (dsl_link_scan_row_get_link (row));
}

/* The shown rows as a set of link ids. */
static GHashTable *
shown_ids (Fixture *f)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (shown (f)); i++)
    g_assert_true (g_hash_table_add (ids, g_strdup (link_id (shown_at (f, i)))));
  return ids;
}

static AdwMessageDialog *
find_dialog (void)
{
  return (AdwMessageDialog *) dsl_test_find_message_dialog ();
}

static void
set_faults (const char *profile)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_set_faults (sim, profile, &error);
  g_assert_no_error (error);
}

static guint
count (const char *method,
       const char *path)
{
  return dsl_sim_count_requests (sim, method, path);
}

static void
toggle (Fixture    *f,
        const char *id,
        gboolean    active)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (dsl_test_get_widget (GTK_WIDGET (f->window),
                                                                        id)), active);
}

/* Independent of dsl_link_scan_row_matches: what each filter means, from the link itself. */
static gboolean
is_expired (DslLinkScanRow *row)
{
  DslLink *link = dsl_link_scan_row_get_link (row);
  GDateTime *expiry = dsl_link_get_expiration_date (link);

  return dsl_link_get_is_expired (link) ||
         (expiry != NULL &&
          g_date_time_compare (expiry, dsl_link_scan_row_get_checked_at (row)) <= 0);
}

static gboolean
has_password (DslLinkScanRow *row)
{
  const char *password = dsl_link_get_password (dsl_link_scan_row_get_link (row));

  return password != NULL && *password != '\0';
}

typedef gboolean (*RowPredicate) (DslLinkScanRow *row);

static gboolean
no_password_expired (DslLinkScanRow *row)
{
  return !has_password (row) && is_expired (row);
}

static gboolean
internal (DslLinkScanRow *row)
{
  return dsl_link_get_internal (dsl_link_scan_row_get_link (row));
}

static gboolean
no_expiry (DslLinkScanRow *row)
{
  return dsl_link_get_expiration_date (dsl_link_scan_row_get_link (row)) == NULL;
}

/* The scan's rows for which `predicate` holds, as link ids. */
static GHashTable *
expected_ids (Fixture      *f,
              RowPredicate  predicate)
{
  GListModel *rows = dsl_link_scan_get_rows (f->scan);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(DslLinkScanRow) row = g_list_model_get_item (rows, i);

      if (predicate (row))
        g_hash_table_add (ids, g_strdup (link_id (row)));
    }
  return ids;
}

static void
assert_same_ids (GHashTable *expected,
                 GHashTable *found)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (found, key))
      g_error ("link %s is missing", (char *) key);
  g_hash_table_iter_init (&iter, found);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (expected, key))
      g_error ("link %s should not be there", (char *) key);
}

/* --- predicates --- */

static gboolean
scan_done (Fixture *f, gconstpointer data)
{
  return !dsl_link_scan_get_running (f->scan) && dsl_link_scan_get_items_scanned (f->scan) > 0;
}

static gboolean
dialog_shown (Fixture *f, gconstpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
nothing_pending (Fixture *f, gconstpointer data)
{
  return dsl_checkup_window_get_n_pending (f->window) == 0;
}

static gboolean
shown_count_is (Fixture *f, gconstpointer n)
{
  return g_list_model_get_n_items (shown (f)) == GPOINTER_TO_UINT (n);
}

static gboolean
page_is (Fixture *f, gconstpointer name)
{
  GtkWidget *stack = dsl_test_get_widget (GTK_WIDGET (f->window), "stack");

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), name) == 0;
}

static gboolean
links_found (Fixture *f, gconstpointer data)
{
  return dsl_link_scan_get_links_found (f->scan) > 0;
}

/* --- fixture --- */

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
  f->scan = dsl_link_scan_new (f->client);
}

static void
open_window (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->window = dsl_checkup_window_new (NULL, f->scan);
  gtk_window_present (GTK_WINDOW (f->window));
  /* The window starts a scan that never ran. */
  g_assert_true (dsl_link_scan_get_running (f->scan));
  dsl_test_run_until (f, scan_done, NULL);
  g_assert_null (dsl_link_scan_get_error (f->scan));
  dsl_sim_clear_requests (sim, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  AdwMessageDialog *dialog;

  if (!have_display)
    return;

  while ((dialog = find_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->scan);
  dsl_test_release_client ((GObject **) &f->client);
  set_faults ("none");
}

/* --- tests --- */

/* Every link of the portal, once, and nothing else; the table and failures list are there. */
static void
test_rows_match_truth (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) truth = NULL;
  g_autoptr(GHashTable) found = NULL;
  GtkColumnView *view;
  g_autoptr(GListModel) columns = NULL;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  truth = ground_truth ();
  found = shown_ids (f);
  g_assert_cmpuint (g_hash_table_size (truth), >=, 15);
  assert_same_ids (truth, found);
  g_assert_cmpuint (dsl_link_scan_get_n_failures (f->scan), ==, 0);
  g_assert_false (gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->window),
                                                               "failures_expander")));

  view = GTK_COLUMN_VIEW (dsl_test_get_widget (GTK_WIDGET (f->window), "column_view"));
  g_assert_true (GTK_IS_MULTI_SELECTION (gtk_column_view_get_model (view)));
  columns = g_object_ref (gtk_column_view_get_columns (view));
  /* status, Item, Location, Link, Access, Audience, Expires, Password, State */
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 9);

  /* Results are kept: a second window over the same scan does not scan again. */
  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = dsl_checkup_window_new (NULL, f->scan);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_false (dsl_link_scan_get_running (f->scan));
  dsl_test_run_for (200);
  g_assert_cmpuint (count (NULL, NULL), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (shown (f)), ==, g_hash_table_size (truth));
}

/* Sorting by a column follows dsl_link_scan_row_compare, both ways. */
static void
test_sort (Fixture *f, gconstpointer data)
{
  GtkColumnView *view;
  g_autoptr(GtkColumnViewColumn) column = NULL;
  guint n;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  view = GTK_COLUMN_VIEW (dsl_test_get_widget (GTK_WIDGET (f->window), "column_view"));
  column = g_list_model_get_item (gtk_column_view_get_columns (view), 6);   /* Expires */
  g_assert_cmpstr (gtk_column_view_column_get_title (column), ==, "Expires");
  gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
  n = g_list_model_get_n_items (shown (f));
  g_assert_cmpuint (n, >, 2);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (dsl_link_scan_row_compare (shown_at (f, i - 1), shown_at (f, i),
                                                DSL_LINK_SCAN_COLUMN_EXPIRY), <, 0);
  gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (dsl_link_scan_row_compare (shown_at (f, i - 1), shown_at (f, i),
                                                DSL_LINK_SCAN_COLUMN_EXPIRY), >, 0);
}

/* The toggles narrow the list to exactly the rows that have the property. */
static void
test_filters (Fixture *f, gconstpointer data)
{
  struct {
    const char   *toggles[3];
    RowPredicate  predicate;
  } cases[] = {
    { { "expired_toggle" }, is_expired },
    { { "expired_toggle", "no_password_toggle" }, no_password_expired },
    { { "portal_users_toggle" }, internal },
    { { "no_expiry_toggle" }, no_expiry },
  };
  guint total;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  total = g_list_model_get_n_items (shown (f));
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GHashTable) expected = expected_ids (f, cases[c].predicate);
      g_autoptr(GHashTable) found = NULL;

      for (guint t = 0; t < 3 && cases[c].toggles[t] != NULL; t++)
        toggle (f, cases[c].toggles[t], TRUE);
      found = shown_ids (f);
      g_test_message ("%s…: %u of %u", cases[c].toggles[0], g_hash_table_size (found), total);
      /* The seed has some of each, and not only those. */
      g_assert_cmpuint (g_hash_table_size (expected), >, 0);
      g_assert_cmpuint (g_hash_table_size (expected), <, total);
      assert_same_ids (expected, found);
      for (guint t = 0; t < 3 && cases[c].toggles[t] != NULL; t++)
        toggle (f, cases[c].toggles[t], FALSE);
      g_assert_cmpuint (g_list_model_get_n_items (shown (f)), ==, total);
    }

  /* Nothing matches: the "no-match" page says so. */
  toggle (f, "portal_users_toggle", TRUE);
  toggle (f, "anyone_edit_toggle", TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (shown (f)), ==, 0);
  dsl_test_run_until (f, page_is, "no-match");
}

static gboolean
mentions_marketing (DslLinkScanRow *row)
{
  g_autofree char *text = g_strdup_printf ("%s %s %s",
                                           dsl_item_get_title (dsl_link_scan_row_get_item (row)),
                                           dsl_link_scan_row_get_location (row),
                                           dsl_link_get_title (dsl_link_scan_row_get_link (row)));
  g_autofree char *folded = g_utf8_casefold (text, -1);

  return strstr (folded, "marketing") != NULL;
}

/* Typing in the search box narrows the list (case does not matter). */
static void
test_search (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) expected = NULL;
  g_autoptr(GHashTable) found = NULL;
  GtkEditable *entry;
  guint total;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  total = g_list_model_get_n_items (shown (f));
  expected = expected_ids (f, mentions_marketing);
  g_assert_cmpuint (g_hash_table_size (expected), >, 0);
  g_assert_cmpuint (g_hash_table_size (expected), <, total);

  entry = GTK_EDITABLE (dsl_test_get_widget (GTK_WIDGET (f->window), "search_entry"));
  gtk_editable_set_text (entry, "MARKETING");
  dsl_test_run_until (f, shown_count_is, GUINT_TO_POINTER (g_hash_table_size (expected)));
  found = shown_ids (f);
  assert_same_ids (expected, found);

  gtk_editable_set_text (entry, "no such link anywhere");
  dsl_test_run_until (f, shown_count_is, GUINT_TO_POINTER (0));
  gtk_editable_set_text (entry, "");
  dsl_test_run_until (f, shown_count_is, GUINT_TO_POINTER (total));
}

/* Selects up to `n` shown rows for which `wanted` holds; returns their link ids. */
static GHashTable *
select_rows (Fixture      *f,
             RowPredicate  wanted,
             guint         n)
{
  GtkSelectionModel *selection = dsl_checkup_window_get_selection (f->window);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; i < g_list_model_get_n_items (shown (f)) && g_hash_table_size (ids) < n; i++)
    {
      DslLinkScanRow *row = shown_at (f, i);

      if (!wanted (row))
        continue;
      gtk_selection_model_select_item (selection, i, FALSE);
      g_hash_table_add (ids, g_strdup (link_id (row)));
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, n);
  return ids;
}

static gboolean
plain_link (DslLinkScanRow *row)
{
  DslLink *link = dsl_link_scan_row_get_link (row);

  return !dsl_link_get_can_revoke (link) && !is_expired (row);
}

static gboolean
extendable (DslLinkScanRow *row)
{
  DslLink *link = dsl_link_scan_row_get_link (row);

  return dsl_link_get_can_edit_expiration_date (link) && !dsl_link_get_can_revoke (link) &&
         dsl_item_get_kind (dsl_link_scan_row_get_item (row)) != DSL_ITEM_KIND_ROOM;
}

/* The link ids of every PUT …/links the simulator received, with access 0 or not. */
static GHashTable *
put_link_ids (gboolean revokes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) log = dsl_sim_get_requests (sim, &error);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (log);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);
      JsonNode *body = json_object_get_member (request, "body");
      JsonObject *object;

      if (g_strcmp0 (json_object_get_string_member (request, "method"), "PUT") != 0 ||
          body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
        continue;
      object = json_node_get_object (body);
      if ((json_object_get_int_member_with_default (object, "access", -1) == 0) != revokes)
        continue;
      g_assert_true (g_hash_table_add (ids, g_strdup (json_object_get_string_member (object,
                                                                                   "linkId"))));
    }
  return ids;
}

static AdwMessageDialog *
wait_dialog (Fixture    *f,
             const char *heading)
{
  AdwMessageDialog *dialog;

  dsl_test_run_until (f, dialog_shown, NULL);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  /* Nothing is sent before the answer. */
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
  return dialog;
}

/* Bulk revoke: confirmed with the number, access 0 for exactly the selected links, which are
 * gone from the portal and from the list; every other link stays. */
static void
test_bulk_revoke (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) chosen = NULL;
  g_autoptr(GHashTable) sent = NULL;
  g_autoptr(GHashTable) left = NULL;
  GHashTableIter iter;
  gpointer key;
  AdwMessageDialog *dialog;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  before = ground_truth ();
  chosen = select_rows (f, plain_link, 3);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.revoke", NULL);
  dialog = wait_dialog (f, "Revoke 3 links?");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "confirm"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_response (dialog, "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);

  sent = put_link_ids (TRUE);
  assert_same_ids (chosen, sent);
  g_assert_cmpuint (count ("PUT", NULL), ==, 3);

  after = ground_truth ();
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (after, key) != g_hash_table_contains (chosen, key));
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before) - 3);

  /* The rows went; the rest are still shown. */
  left = shown_ids (f);
  assert_same_ids (after, left);
}

/* Selects `n` plain links of `n` different items; failing_path gets the links path of the
 * first one's item. */
static char *failing_path;

static GHashTable *
select_rows_of_distinct_items (Fixture *f,
                               guint    n)
{
  GtkSelectionModel *selection = dsl_checkup_window_get_selection (f->window);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) items = g_hash_table_new (g_str_hash, g_str_equal);
  static const char *kinds[] = { "file", "folder", "rooms" };

  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; i < g_list_model_get_n_items (shown (f)) && g_hash_table_size (ids) < n; i++)
    {
      DslLinkScanRow *row = shown_at (f, i);
      DslItem *item = dsl_link_scan_row_get_item (row);

      if (!plain_link (row) || !g_hash_table_add (items, (gpointer) dsl_item_get_id (item)))
        continue;
      if (g_hash_table_size (ids) == 0)
        {
          g_free (failing_path);
          failing_path = g_strdup_printf ("/api/2.0/files/%s/%s/links",
                                          kinds[dsl_item_get_kind (item)],
                                          dsl_item_get_id (item));
        }
      gtk_selection_model_select_item (selection, i, FALSE);
      g_hash_table_add (ids, g_strdup (link_id (row)));
    }
  g_assert_cmpuint (g_hash_table_size (ids), ==, n);
  return ids;
}

/* A failure on one row is shown on that row and does not stop the others. */
static void
test_bulk_revoke_partial_failure (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) chosen = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) left = NULL;
  const char *failing = NULL;
  guint n_failed = 0;
  GHashTableIter iter;
  gpointer key;
  g_autofree char *fault = NULL;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  chosen = select_rows_of_distinct_items (f, 4);
  /* Every request for the first one's item fails with a 500 (the re-read too, after its
   * retries); the others go through. */
  fault = g_strdup_printf ("error500,path=%s", failing_path);
  set_faults (fault);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.revoke", NULL);
  adw_message_dialog_response (wait_dialog (f, "Revoke 4 links?"), "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);

  after = ground_truth ();
  g_hash_table_iter_init (&iter, chosen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (after, key))
      {
        failing = key;
        n_failed++;
      }
  g_assert_cmpuint (n_failed, ==, 1);
  g_assert_nonnull (dsl_checkup_window_get_row_error (f->window, failing));
  g_test_message ("row error: %s", dsl_checkup_window_get_row_error (f->window, failing));
  g_hash_table_iter_init (&iter, chosen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_str_equal (key, failing))
      g_assert_null (dsl_checkup_window_get_row_error (f->window, key));
  /* The failed row stays in the list, the others went. */
  left = shown_ids (f);
  g_hash_table_iter_init (&iter, chosen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (left, key) == g_str_equal (key, failing));
}

static gboolean
folder_201_link (DslLinkScanRow *row)
{
  return g_strcmp0 (dsl_item_get_id (dsl_link_scan_row_get_item (row)), "201") == 0;
}

static gboolean
file_301_link (DslLinkScanRow *row)
{
  return g_strcmp0 (dsl_item_get_id (dsl_link_scan_row_get_item (row)), "301") == 0 &&
         !dsl_link_get_primary (dsl_link_scan_row_get_link (row));
}

/* Issue 12 rule 2, in bulk: Ulrich manages room 101 but created nothing in it. He may revoke a
 * file's link (the server allows None on files to anyone who may share), not the link of
 * folder 201, which Olivia made: that row says why, and no request is sent for it. */
static void
test_bulk_revoke_by_room_manager (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) folder = NULL;
  g_autoptr(GHashTable) file = NULL;
  g_autoptr(GHashTable) sent = NULL;
  g_autoptr(GHashTable) after = NULL;
  GtkSelectionModel *selection;
  GHashTableIter iter;
  gpointer folder_id = NULL, file_id = NULL;
  guint status;

  if (dsl_test_skip_without_display ())
    return;

  status = dsl_sim_http (sim, "POST", "/api/2.0/files/folder/201/link", "Bearer sk-demo-owner",
                         "{\"access\":2}", NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_clear_object (&f->scan);
  dsl_test_release_client ((GObject **) &f->client);
  f->client = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->client, "sk-demo-user");
  f->scan = dsl_link_scan_new (f->client);
  open_window (f);

  folder = select_rows (f, folder_201_link, 1);
  g_hash_table_iter_init (&iter, folder);
  g_hash_table_iter_next (&iter, &folder_id, NULL);
  file = select_rows (f, file_301_link, 1);
  g_hash_table_iter_init (&iter, file);
  g_hash_table_iter_next (&iter, &file_id, NULL);
  /* both selected */
  selection = dsl_checkup_window_get_selection (f->window);
  for (guint i = 0; i < g_list_model_get_n_items (shown (f)); i++)
    if (g_str_equal (link_id (shown_at (f, i)), folder_id))
      gtk_selection_model_select_item (selection, i, FALSE);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.revoke", NULL);
  adw_message_dialog_response (wait_dialog (f, "Revoke 2 links?"), "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);

  sent = put_link_ids (TRUE);
  g_assert_cmpuint (g_hash_table_size (sent), ==, 1);
  g_assert_true (g_hash_table_contains (sent, file_id));
  g_assert_cmpstr (dsl_checkup_window_get_row_error (f->window, folder_id), ==,
                   "Only the folder's creator can remove its links.");
  g_assert_null (dsl_checkup_window_get_row_error (f->window, file_id));
  after = ground_truth ();
  g_assert_true (g_hash_table_contains (after, folder_id));
  g_assert_false (g_hash_table_contains (after, file_id));
}

static gint64
expires_of (GHashTable *truth,
            const char *id)
{
  const char *value = g_hash_table_lookup (truth, id);

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

/* Bulk extend by 30 days: exactly the selected links get the new expiry on the portal and in
 * the list; every other link keeps its own. */
static void
test_bulk_extend (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) chosen = NULL;
  g_autoptr(GHashTable) sent = NULL;
  GHashTableIter iter;
  gpointer key;
  gint64 now = g_get_real_time ();
  gint64 month = (gint64) 30 * 24 * 3600 * G_USEC_PER_SEC;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  before = ground_truth ();
  chosen = select_rows (f, extendable, 2);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.extend", "i", 30);
  adw_message_dialog_response (wait_dialog (f, "Extend 2 links?"), "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);

  sent = put_link_ids (FALSE);
  assert_same_ids (chosen, sent);
  g_assert_cmpuint (count ("PUT", NULL), ==, 2);

  after = ground_truth ();
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint64 expires = expires_of (after, key);

      if (g_hash_table_contains (chosen, key))
        {
          /* 30 days from now, to the minute or so */
          g_assert_cmpint (ABS (expires - (now + month)), <, 5 * 60 * G_USEC_PER_SEC);
          g_assert_null (dsl_checkup_window_get_row_error (f->window, key));
        }
      else
        g_assert_cmpint (expires, ==, expires_of (before, key));
    }

  /* The rows show the new expiry. */
  for (guint i = 0; i < g_list_model_get_n_items (shown (f)); i++)
    {
      DslLinkScanRow *row = shown_at (f, i);
      GDateTime *expiry;

      if (!g_hash_table_contains (chosen, link_id (row)))
        continue;
      expiry = dsl_link_get_expiration_date (dsl_link_scan_row_get_link (row));
      g_assert_nonnull (expiry);
      g_assert_cmpint (ABS (g_date_time_to_unix (expiry) - (now + month) / G_USEC_PER_SEC), <,
                       5 * 60);
    }
}

/* Remove all expired: every expired link, selected or not, and only those. */
static void
test_remove_expired (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) expired = NULL;
  g_autoptr(GHashTable) sent = NULL;
  g_autoptr(GHashTable) left = NULL;
  g_autofree char *heading = NULL;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  expired = expected_ids (f, is_expired);
  g_assert_cmpuint (g_hash_table_size (expired), >, 0);
  gtk_selection_model_unselect_all (dsl_checkup_window_get_selection (f->window));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.remove-expired", NULL);
  heading = g_strdup_printf (g_hash_table_size (expired) == 1 ? "Remove %u expired link?"
                                                               : "Remove %u expired links?",
                             g_hash_table_size (expired));
  adw_message_dialog_response (wait_dialog (f, heading), "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);
  sent = put_link_ids (TRUE);
  assert_same_ids (expired, sent);
  left = expected_ids (f, is_expired);
  g_assert_cmpuint (g_hash_table_size (left), ==, 0);
}

static gboolean
window_gone (Fixture *f, gconstpointer data)
{
  return f->window == NULL;
}

/* Closing the window while changes are under way finishes them first: the window hides, and
 * goes when the last answer is in. */
static void
test_close_while_pending (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) chosen = NULL;
  g_autoptr(GHashTable) sent = NULL;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  chosen = select_rows (f, plain_link, 3);
  set_faults ("latency=300");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.revoke", NULL);
  adw_message_dialog_response (wait_dialog (f, "Revoke 3 links?"), "confirm");
  g_assert_cmpuint (dsl_checkup_window_get_n_pending (f->window), ==, 3);
  gtk_window_destroy (GTK_WINDOW (find_dialog ()));

  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_nonnull (f->window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  dsl_test_run_until (f, window_gone, NULL);

  sent = put_link_ids (TRUE);
  assert_same_ids (chosen, sent);
}

/* Extend to a date from the calendar: the end of that day, local time. */
static void
test_extend_to_date (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) chosen = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 12);
  g_autoptr(GDateTime) end_of_day = NULL;
  GHashTableIter iter;
  gpointer key;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  chosen = select_rows (f, extendable, 1);
  gtk_calendar_select_day (GTK_CALENDAR (dsl_test_get_widget (GTK_WIDGET (f->window),
                                                              "calendar")), day);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.extend-to-date", NULL);
  adw_message_dialog_response (wait_dialog (f, "Extend 1 link?"), "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);

  end_of_day = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                      g_date_time_get_day_of_month (day), 23, 59, 0);
  after = ground_truth ();
  g_hash_table_iter_init (&iter, chosen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_cmpint (expires_of (after, key) / G_USEC_PER_SEC, ==,
                     g_date_time_to_unix (end_of_day));
}

/* A bulk change over many links keeps at most 8 requests in flight, and uses them all. */
static guint max_in_flight;
static guint baseline_refs;

static gboolean
on_poll (gpointer user_data)
{
  Fixture *f = user_data;
  guint refs = g_atomic_int_get (&G_OBJECT (f->client)->ref_count);

  if (refs > baseline_refs)
    max_in_flight = MAX (max_in_flight, refs - baseline_refs);
  return G_SOURCE_CONTINUE;
}

static void
test_at_most_eight (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) chosen = NULL;
  g_autoptr(GHashTable) sent = NULL;
  g_autofree char *heading = NULL;
  guint n = 0;
  guint poll_id;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  for (guint i = 0; i < g_list_model_get_n_items (shown (f)); i++)
    if (plain_link (shown_at (f, i)))
      n++;
  g_assert_cmpuint (n, >, 8);
  chosen = select_rows (f, plain_link, n);
  set_faults ("latency=200");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.revoke", NULL);
  heading = g_strdup_printf ("Revoke %u links?", n);
  /* Each link operation (dsl-link-ops) is a GTask holding the client, and so is each request
   * it sends (the re-read, then the write): what is above the references held now (the
   * test's, the scan's) is twice the number of operations whose request is under way. */
  baseline_refs = g_atomic_int_get (&G_OBJECT (f->client)->ref_count);
  max_in_flight = 0;
  adw_message_dialog_response (wait_dialog (f, heading), "confirm");
  on_poll (f);
  poll_id = g_timeout_add (1, on_poll, f);
  dsl_test_run_until (f, nothing_pending, NULL);
  g_source_remove (poll_id);

  g_test_message ("client references above the baseline at most: %u", max_in_flight);
  g_assert_cmpuint (max_in_flight, ==, 2 * DSL_CLIENT_MAX_IN_FLIGHT);
  sent = put_link_ids (TRUE);
  assert_same_ids (chosen, sent);
}

/* Cancel in the confirmation sends nothing. */
static void
test_confirm_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) chosen = NULL;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  chosen = select_rows (f, plain_link, 2);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.revoke", NULL);
  adw_message_dialog_response (wait_dialog (f, "Revoke 2 links?"), "cancel");
  dsl_test_run_for (300);
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
}

/* The CSV export writes the shown (filtered, sorted) rows, in their order. */
static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (dsl_checkup_window_export_finish (DSL_CHECKUP_WINDOW (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
flag_set (Fixture *f, gconstpointer flag)
{
  return *(const gboolean *) flag;
}

static void
test_export (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (state_dir, "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GtkColumnView *view;
  g_autoptr(GtkColumnViewColumn) column = NULL;
  gboolean done = FALSE;
  guint n;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  toggle (f, "anyone_toggle", TRUE);
  view = GTK_COLUMN_VIEW (dsl_test_get_widget (GTK_WIDGET (f->window), "column_view"));
  column = g_list_model_get_item (gtk_column_view_get_columns (view), 1);   /* Item */
  gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
  n = g_list_model_get_n_items (shown (f));
  g_assert_cmpuint (n, >, 2);
  g_assert_cmpuint (n, <, dsl_link_scan_get_links_found (f->scan));

  dsl_checkup_window_export_async (f->window, file, NULL, export_cb, &done);
  dsl_test_run_until (f, flag_set, &done);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_unlink (path);

  lines = g_strsplit (contents, "\r\n", -1);
  /* header, n lines, and the empty string after the last CRLF */
  g_assert_cmpuint (g_strv_length (lines), ==, n + 2);
  g_assert_true (g_str_has_prefix (lines[0], "Item,Location,Link,URL,"));
  for (guint i = 0; i < n; i++)
    {
      DslLinkScanRow *row = shown_at (f, i);
      const char *url = dsl_link_get_share_link (dsl_link_scan_row_get_link (row));

      /* In the shown order, each line names its link's URL; no password is written. */
      g_assert_nonnull (strstr (lines[i + 1], url));
      if (has_password (row))
        g_assert_null (strstr (lines[i + 1],
                               dsl_link_get_password (dsl_link_scan_row_get_link (row))));
    }
  g_assert_cmpstr (lines[n + 1], ==, "");
}

/* An item that cannot be read is listed with its error; the walk goes on. */
static void
test_failures (Fixture *f, gconstpointer data)
{
  GtkWidget *expander;
  GtkWidget *list;
  GtkWidget *row;

  if (dsl_test_skip_without_display ())
    return;

  /* "Campaigns" (201, in Marketing) cannot be listed. */
  set_faults ("error500,path=/api/2.0/files/201");
  open_window (f);
  expander = dsl_test_get_widget (GTK_WIDGET (f->window), "failures_expander");
  g_assert_true (gtk_widget_get_visible (expander));
  g_assert_cmpstr (gtk_expander_get_label (GTK_EXPANDER (expander)), ==,
                   "1 item could not be read");
  gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
  list = dsl_test_get_widget (GTK_WIDGET (f->window), "failures_list");
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_nonnull (row);
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Campaigns");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                   "Rooms \u203a Marketing: "));
  g_test_message ("%s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  /* The other links were found all the same. */
  g_assert_cmpuint (g_list_model_get_n_items (shown (f)), >, 10);
}

/* Cancel stops the walk: no request reaches the portal afterwards; the rows so far stay. */
static void
test_cancel (Fixture *f, gconstpointer data)
{
  guint at_cancel, later;

  if (dsl_test_skip_without_display ())
    return;

  set_faults ("latency=150");
  f->window = dsl_checkup_window_new (NULL, f->scan);
  gtk_window_present (GTK_WINDOW (f->window));
  dsl_test_run_until (f, links_found, NULL);
  g_assert_true (dsl_link_scan_get_running (f->scan));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.cancel", NULL);
  g_assert_false (dsl_link_scan_get_running (f->scan));
  /* What was in flight has reached the simulator by now; nothing after it. */
  dsl_test_run_for (100);
  at_cancel = count (NULL, NULL);
  dsl_test_run_for (1500);
  later = count (NULL, NULL);
  g_test_message ("requests at cancel: %u, 1.5 s later: %u", at_cancel, later);
  g_assert_cmpuint (later, ==, at_cancel);
  g_assert_cmpuint (g_list_model_get_n_items (shown (f)), ==,
                    dsl_link_scan_get_links_found (f->scan));
  g_assert_cmpuint (dsl_link_scan_get_links_found (f->scan), >, 0);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (dsl_test_get_widget (GTK_WIDGET (f->window), "progress_label"))),
                            "cancelled"));

  /* Refresh starts again and finds everything. */
  set_faults ("none");
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.refresh", NULL);
  dsl_test_run_until (f, scan_done, NULL);
  {
    g_autoptr(GHashTable) truth = ground_truth ();
    g_autoptr(GHashTable) found = shown_ids (f);

    assert_same_ids (truth, found);
  }
}

/* --- a second administrator between the scan and the bulk action (issue 13) --- */

/* The link's state in the --state file (a new reference), or NULL when it is gone. */
static JsonObject *
server_link (const char *id)
{
  g_autoptr(GHashTable) links = dsl_sim_read_external_links (state_file, NULL);
  JsonObject *link = g_hash_table_lookup (links, id);

  return link != NULL ? json_object_ref (link) : NULL;
}

/* The scan's link id of the link called `title` on item `item_id` (a copy: a changed row is
 * replaced in the scan). */
static char *
scan_link_id (Fixture    *f,
              const char *item_id,
              const char *title)
{
  GListModel *rows = dsl_link_scan_get_rows (f->scan);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(DslLinkScanRow) row = g_list_model_get_item (rows, i);

      if (g_strcmp0 (dsl_item_get_id (dsl_link_scan_row_get_item (row)), item_id) == 0 &&
          g_strcmp0 (dsl_link_get_title (dsl_link_scan_row_get_link (row)), title) == 0)
        return g_strdup (link_id (row));
    }
  g_error ("no link “%s” on item %s in the scan", title, item_id);
  return NULL;
}

/* The scan's row of the link, or NULL. */
static DslLinkScanRow *
scan_row (Fixture    *f,
          const char *id)
{
  GListModel *rows = dsl_link_scan_get_rows (f->scan);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(DslLinkScanRow) row = g_list_model_get_item (rows, i);

      if (g_strcmp0 (link_id (row), id) == 0)
        return row;   /* borrowed: the scan keeps it */
    }
  return NULL;
}

/* Selects exactly the shown rows of these link ids (NULL-terminated). */
static void
select_ids (Fixture            *f,
            const char * const *ids)
{
  GtkSelectionModel *selection = dsl_checkup_window_get_selection (f->window);
  guint n = 0;

  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; i < g_list_model_get_n_items (shown (f)); i++)
    if (g_strv_contains (ids, link_id (shown_at (f, i))))
      {
        gtk_selection_model_select_item (selection, i, FALSE);
        n++;
      }
  g_assert_cmpuint (n, ==, g_strv_length ((char **) ids));
}

static void
second_admin_changes (const char *id,
                      const char *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dsl_sim_change_link (sim, id, json, &error));
  g_assert_no_error (error);
}

static char *
iso_in_days (double days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, days * 24 * 3600);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static void
assert_outcome (Fixture           *f,
                const char        *id,
                DslCheckupOutcome  expected,
                const char        *words)
{
  const char *message = NULL;
  DslCheckupOutcome outcome = dsl_checkup_window_get_row_outcome (f->window, id, &message);

  g_test_message ("row %s: outcome %d: %s", id, outcome, message != NULL ? message : "(none)");
  g_assert_cmpint (outcome, ==, expected);
  if (words != NULL)
    {
      g_assert_nonnull (message);
      g_assert_nonnull (strstr (message, words));
    }
}

/* Bulk "By 7 days" after another administrator added a password to a link and made it portal
 * users only: the portal keeps both, with the new expiry 7 days after the expiry it had; the
 * row says applied and shows what the portal holds. An expired link is extended from now. */
static void
test_extend_keeps_second_admin (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) blocked = NULL;
  g_autoptr(JsonObject) old = NULL;
  g_autofree char *blocked_id = NULL;
  g_autofree char *old_id = NULL;
  gint64 expires_before;
  gint64 now = g_get_real_time ();
  gint64 week = (gint64) 7 * 24 * 3600 * G_USEC_PER_SEC;
  gint64 hour = (gint64) 3600 * G_USEC_PER_SEC;
  DslLink *shown_link;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  blocked_id = scan_link_id (f, "401", "Download blocked");   /* expires in 3 days */
  old_id = scan_link_id (f, "101", "Old preview");             /* expired */
  blocked = server_link (blocked_id);
  expires_before = json_object_get_int_member (blocked, "expires");
  g_assert_cmpint (expires_before, >, now);
  g_assert_null (json_object_get_string_member_with_default (blocked, "password", NULL));
  g_assert_false (json_object_get_boolean_member (blocked, "internal"));

  /* After the scan, before Extend. */
  second_admin_changes (blocked_id, "{\"password\":\"Second-admin-1\",\"internal\":true}");

  select_ids (f, (const char *[]) { blocked_id, old_id, NULL });
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.extend", "i", 7);
  adw_message_dialog_response (wait_dialog (f, "Extend 2 links?"), "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);

  g_clear_pointer (&blocked, json_object_unref);
  blocked = server_link (blocked_id);
  g_assert_nonnull (blocked);
  g_assert_cmpstr (json_object_get_string_member_with_default (blocked, "password", NULL), ==,
                   "Second-admin-1");
  g_assert_true (json_object_get_boolean_member (blocked, "internal"));
  /* 7 calendar days after the expiry it had (an hour either way for a DST change) */
  g_assert_cmpint (ABS (json_object_get_int_member (blocked, "expires") -
                        (expires_before + week)), <=, hour);
  assert_outcome (f, blocked_id, DSL_CHECKUP_OUTCOME_APPLIED, NULL);
  g_assert_null (dsl_checkup_window_get_row_error (f->window, blocked_id));

  /* The expired one: 7 days from now. */
  old = server_link (old_id);
  g_assert_cmpint (ABS (json_object_get_int_member (old, "expires") - (now + week)), <,
                   5 * 60 * G_USEC_PER_SEC);
  assert_outcome (f, old_id, DSL_CHECKUP_OUTCOME_APPLIED, NULL);

  /* The row shows what the portal holds now: a second Extend starts from it. */
  shown_link = dsl_link_scan_row_get_link (scan_row (f, blocked_id));
  g_assert_true (dsl_link_get_internal (shown_link));
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (shown_link)), ==,
                   json_object_get_int_member (blocked, "expires") / G_USEC_PER_SEC);
  g_assert_cmpint (dsl_link_scan_row_get_state (scan_row (f, old_id)), !=,
                   DSL_LINK_SCAN_STATE_EXPIRED);
}

/* Remove All Expired after another administrator extended one of the expired links: that link
 * stays on the portal, its row says it was changed since the scan and shows the new expiry;
 * the other expired links are removed. */
static void
test_remove_expired_extended_since (Fixture *f, gconstpointer data)
{
  g_autofree char *past = iso_in_days (-2);
  g_autofree char *past_body = g_strdup_printf ("{\"expirationDate\":\"%s\"}", past);
  g_autofree char *future = iso_in_days (10);
  g_autofree char *future_body = g_strdup_printf ("{\"expirationDate\":\"%s\"}", future);
  g_autoptr(GHashTable) expired = NULL;
  g_autoptr(GHashTable) sent = NULL;
  g_autoptr(JsonObject) kept = NULL;
  g_autofree char *old_id = NULL;
  g_autofree char *link1_id = NULL;
  g_autofree char *link2_id = NULL;
  DslLinkScanRow *row;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  /* Two more expired links, before a fresh scan. */
  link1_id = scan_link_id (f, "106", "Link 1");
  link2_id = scan_link_id (f, "106", "Link 2");
  second_admin_changes (link1_id, past_body);
  second_admin_changes (link2_id, past_body);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.refresh", NULL);
  dsl_test_run_until (f, scan_done, NULL);
  {
    g_autoptr(GError) error = NULL;

    dsl_sim_clear_requests (sim, &error);
    g_assert_no_error (error);
  }
  old_id = scan_link_id (f, "101", "Old preview");
  expired = expected_ids (f, is_expired);
  g_assert_cmpuint (g_hash_table_size (expired), ==, 3);

  /* After the scan: "Old preview" is extended by someone else. */
  second_admin_changes (old_id, future_body);

  gtk_selection_model_unselect_all (dsl_checkup_window_get_selection (f->window));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.remove-expired", NULL);
  adw_message_dialog_response (wait_dialog (f, "Remove 3 expired links?"), "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);

  kept = server_link (old_id);
  g_assert_nonnull (kept);
  g_assert_cmpint (json_object_get_int_member (kept, "expires"), >, g_get_real_time ());
  g_assert_null (server_link (link1_id));
  g_assert_null (server_link (link2_id));
  sent = put_link_ids (TRUE);
  g_assert_false (g_hash_table_contains (sent, old_id));
  g_assert_cmpuint (g_hash_table_size (sent), ==, 2);

  assert_outcome (f, old_id, DSL_CHECKUP_OUTCOME_CHANGED, "extended");
  assert_outcome (f, link1_id, DSL_CHECKUP_OUTCOME_APPLIED, NULL);
  /* Its row shows the portal's expiry now, and no longer counts as expired. */
  row = scan_row (f, old_id);
  g_assert_nonnull (row);
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (dsl_link_scan_row_get_link (row))),
                   ==, json_object_get_int_member (kept, "expires") / G_USEC_PER_SEC);
  g_assert_cmpint (dsl_link_scan_row_get_state (row), !=, DSL_LINK_SCAN_STATE_EXPIRED);
  g_assert_null (scan_row (f, link1_id));
  g_assert_null (scan_row (f, link2_id));
}

/* Bulk Revoke after another administrator deleted one of the selected links: its row says it
 * was removed by someone else (nothing is sent for it, nothing is created), the others are
 * revoked. */
static void
test_revoke_removed_since (Fixture *f, gconstpointer data)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = g_new0 (char *, 4);

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  ids[0] = scan_link_id (f, "106", "Link 3");
  ids[1] = scan_link_id (f, "106", "Link 4");
  ids[2] = scan_link_id (f, "106", "Link 5");
  before = ground_truth ();

  g_assert_true (dsl_sim_delete_link (sim, ids[1], &error));
  g_assert_no_error (error);

  select_ids (f, (const char * const *) ids);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.revoke", NULL);
  adw_message_dialog_response (wait_dialog (f, "Revoke 3 links?"), "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);

  after = ground_truth ();
  for (guint i = 0; i < 3; i++)
    g_assert_false (g_hash_table_contains (after, ids[i]));
  /* Nothing else went, and nothing was made in its place. */
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before) - 3);
  sent = put_link_ids (TRUE);
  g_assert_cmpuint (g_hash_table_size (sent), ==, 2);
  g_assert_false (g_hash_table_contains (sent, ids[1]));
  g_assert_cmpuint (count ("PUT", NULL), ==, 2);

  assert_outcome (f, ids[1], DSL_CHECKUP_OUTCOME_GONE, "someone else removed it");
  assert_outcome (f, ids[0], DSL_CHECKUP_OUTCOME_APPLIED, NULL);
  assert_outcome (f, ids[2], DSL_CHECKUP_OUTCOME_APPLIED, NULL);
  /* The revoked rows went; the gone one stays, marked, and is not taken again. */
  g_assert_null (scan_row (f, ids[0]));
  g_assert_null (scan_row (f, ids[2]));
  g_assert_nonnull (scan_row (f, ids[1]));
  gtk_window_destroy (GTK_WINDOW (find_dialog ()));
  select_ids (f, (const char *[]) { ids[1], NULL });
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.revoke", NULL);
  dsl_test_run_for (200);
  g_assert_null (find_dialog ());
}

/* What the portal skips is reported as not applied, with the reason: the expiry of a Public
 * room's primary link cannot change (FileSharing.cs), and "By 7 days" leaves a link that
 * never expires as it is (nothing sent). The row keeps the portal's state. */
static void
test_extend_not_applied (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) primary = NULL;
  g_autoptr(JsonObject) journalists = NULL;
  g_autoptr(JsonObject) blocked = NULL;
  g_autofree char *primary_id = NULL;
  g_autofree char *journalists_id = NULL;
  g_autofree char *blocked_id = NULL;
  gint64 now = g_get_real_time ();
  gint64 month = (gint64) 30 * 24 * 3600 * G_USEC_PER_SEC;

  if (dsl_test_skip_without_display ())
    return;

  open_window (f);
  primary_id = scan_link_id (f, "102", "Shared link");        /* Press Kit: a Public room */
  journalists_id = scan_link_id (f, "102", "Journalists");    /* never expires */
  blocked_id = scan_link_id (f, "401", "Download blocked");

  /* 30 days from now: the portal skips the Public room's primary link. */
  select_ids (f, (const char *[]) { primary_id, blocked_id, NULL });
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.extend", "i", 30);
  adw_message_dialog_response (wait_dialog (f, "Extend 2 links?"), "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);

  primary = server_link (primary_id);
  g_assert_cmpint (json_object_get_int_member (primary, "expires"), ==, 0);
  assert_outcome (f, primary_id, DSL_CHECKUP_OUTCOME_NOT_APPLIED, "did not change the expiry");
  g_assert_null (dsl_link_get_expiration_date (dsl_link_scan_row_get_link (scan_row (f, primary_id))));
  blocked = server_link (blocked_id);
  g_assert_cmpint (ABS (json_object_get_int_member (blocked, "expires") - (now + month)), <,
                   5 * 60 * G_USEC_PER_SEC);
  assert_outcome (f, blocked_id, DSL_CHECKUP_OUTCOME_APPLIED, NULL);

  /* By 7 days: a link that never expires is not given an expiry. */
  {
    g_autoptr(GError) error = NULL;

    dsl_sim_clear_requests (sim, &error);
    g_assert_no_error (error);
  }
  gtk_window_destroy (GTK_WINDOW (find_dialog ()));
  select_ids (f, (const char *[]) { journalists_id, NULL });
  gtk_widget_activate_action (GTK_WIDGET (f->window), "checkup.extend", "i", 7);
  adw_message_dialog_response (wait_dialog (f, "Extend 1 link?"), "confirm");
  dsl_test_run_until (f, nothing_pending, NULL);
  journalists = server_link (journalists_id);
  g_assert_cmpint (json_object_get_int_member (journalists, "expires"), ==, 0);
  g_assert_cmpuint (count ("PUT", NULL), ==, 0);
  assert_outcome (f, journalists_id, DSL_CHECKUP_OUTCOME_NOT_APPLIED, "expire");
}

/* A visible label below `root` whose text is `text` exactly. */
static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
label_with_text_shown (Fixture *f, gconstpointer text)
{
  return dsl_test_find_descendant (GTK_WIDGET (f->window), is_label_with_text, text) != NULL;
}

/* Issue 14: link titles from the portal are plain text in the table (no Gtk-WARNING, which is
 * fatal here, on "&"); the export replaces a 0644 file with a private one (0600: it holds
 * every share URL), quotes a field with ";" and guards a formula after a separator inside a
 * field, not only at its start. */
static void
test_export_private_and_guarded (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (state_dir, "private.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GHashTable) truth = NULL;
  g_autoptr(GList) ids = NULL;
  g_autofree char *contents = NULL;
  GtkEditable *entry;
  GStatBuf st;
  gboolean done = FALSE;

  if (dsl_test_skip_without_display ())
    return;

  truth = ground_truth ();
  ids = g_list_sort (g_hash_table_get_keys (truth), (GCompareFunc) strcmp);
  g_assert_cmpuint (g_list_length (ids), >=, 3);
  second_admin_changes (ids->data, "{\"title\":\"R&D <team>\"}");
  second_admin_changes (ids->next->data, "{\"title\":\"x;=cmd|' /C calc'!A0\"}");
  second_admin_changes (ids->next->next->data, "{\"title\":\"a\\t+1, b,-2\"}");
  open_window (f);

  entry = GTK_EDITABLE (dsl_test_get_widget (GTK_WIDGET (f->window), "search_entry"));
  gtk_editable_set_text (entry, "R&D");
  dsl_test_run_until (f, shown_count_is, GUINT_TO_POINTER (1));
  dsl_test_run_until (f, label_with_text_shown, "R&D <team>");
  gtk_editable_set_text (entry, "");

  g_assert_true (g_file_set_contents (path, "old", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  dsl_checkup_window_export_async (f->window, file, NULL, export_cb, &done);
  dsl_test_run_until (f, flag_set, &done);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_unlink (path);

  g_assert_nonnull (strstr (contents, ",R&D <team>,"));
  g_assert_nonnull (strstr (contents, ",\"x;'=cmd|' /C calc'!A0\","));
  g_assert_nonnull (strstr (contents, ",\"a\t'+1, b,'-2\","));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { "--state", NULL, NULL };
  int status;

  g_test_init (&argc, &argv, NULL);
  have_display = dsl_test_init_display ();

#define add_test(name, func) \
  g_test_add ("/dsl/ui/checkup-window/" name, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  add_test ("rows-match-truth", test_rows_match_truth);
  add_test ("sort", test_sort);
  add_test ("filters", test_filters);
  add_test ("search", test_search);
  add_test ("bulk-revoke", test_bulk_revoke);
  add_test ("bulk-revoke-partial-failure", test_bulk_revoke_partial_failure);
  add_test ("bulk-revoke-by-room-manager", test_bulk_revoke_by_room_manager);
  add_test ("bulk-extend", test_bulk_extend);
  add_test ("remove-expired", test_remove_expired);
  add_test ("extend-to-date", test_extend_to_date);
  add_test ("at-most-eight", test_at_most_eight);
  add_test ("confirm-cancelled", test_confirm_cancelled);
  add_test ("close-while-pending", test_close_while_pending);
  add_test ("export", test_export);
  add_test ("export-private-and-guarded", test_export_private_and_guarded);
  add_test ("failures", test_failures);
  add_test ("cancel", test_cancel);
  add_test ("extend-keeps-second-admin", test_extend_keeps_second_admin);
  add_test ("remove-expired-extended-since", test_remove_expired_extended_since);
  add_test ("revoke-removed-since", test_revoke_removed_since);
  add_test ("extend-not-applied", test_extend_not_applied);

  state_dir = g_dir_make_tmp ("test-checkup-window-XXXXXX", &error);
  g_assert_no_error (error);
  state_file = g_build_filename (state_dir, "state.json", NULL);
  args[1] = state_file;
  if (have_display)
    {
      sim = dsl_sim_start (args, &error);
      g_assert_no_error (error);
      dsl_test_set_sim (sim);
    }

  status = g_test_run ();

  g_clear_pointer (&sim, dsl_sim_stop);
  g_clear_pointer (&failing_path, g_free);
  g_unlink (state_file);
  g_rmdir (state_dir);
  g_free (state_file);
  g_free (state_dir);
  return status;
}

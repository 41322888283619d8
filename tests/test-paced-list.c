/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-paced-list.c: DslPacedList, the prefix of a list model that grows a few items per frame.
 *
 *   GListStore of strings ──▶ DslPacedList ──▶ its items and items-changed, recorded ──▶
 *   always equal to the store's first `shown` items; grow / flush / frames of a window
 */
#include "dsl-paced-list.h"
#include "dsl-test-util.h"

typedef struct {
  GListStore   *store;
  DslPacedList *paced;
  guint         n_signals;
  guint         last_position, last_removed, last_added;
} Fixture;

static void
on_items_changed (Fixture *f,
                  guint    position,
                  guint    removed,
                  guint    added)
{
  f->n_signals++;
  f->last_position = position;
  f->last_removed = removed;
  f->last_added = added;
}

static void
append (GListStore *store,
        const char *text)
{
  g_autoptr(GtkStringObject) item = gtk_string_object_new (text);

  g_list_store_append (store, item);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *text = g_strdup_printf ("row %u", i);

      append (f->store, text);
    }
  f->paced = dsl_paced_list_new (G_LIST_MODEL (f->store), 4);
  g_signal_connect_swapped (f->paced, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->paced);
  g_clear_object (&f->store);
}

/* The paced list is the store's first n items, item for item. */
static void
assert_prefix (Fixture *f,
               guint    n)
{
  GListModel *paced = G_LIST_MODEL (f->paced);

  g_assert_cmpuint (g_list_model_get_n_items (paced), ==, n);
  g_assert_cmpuint (dsl_paced_list_get_pending (f->paced), ==,
                    g_list_model_get_n_items (G_LIST_MODEL (f->store)) - n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) shown = g_list_model_get_item (paced, i);
      g_autoptr(GObject) source = g_list_model_get_item (G_LIST_MODEL (f->store), i);

      g_assert_true (shown == source);
    }
  g_assert_null (g_list_model_get_item (paced, n));
}

static void
test_grow_and_flush (Fixture       *f,
                     gconstpointer  data)
{
  assert_prefix (f, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->paced)) == GTK_TYPE_STRING_OBJECT);

  dsl_paced_list_grow (f->paced, 4);
  assert_prefix (f, 4);
  g_assert_cmpuint (f->n_signals, ==, 1);
  g_assert_cmpuint (f->last_position, ==, 0);
  g_assert_cmpuint (f->last_added, ==, 4);

  /* Appended to the source: waits. */
  append (f->store, "row 10");
  assert_prefix (f, 4);
  g_assert_cmpuint (f->n_signals, ==, 1);

  /* Never more than there is. */
  dsl_paced_list_grow (f->paced, 100);
  assert_prefix (f, 11);
  g_assert_cmpuint (f->last_position, ==, 4);
  g_assert_cmpuint (f->last_added, ==, 7);
  dsl_paced_list_grow (f->paced, 1);
  g_assert_cmpuint (f->n_signals, ==, 2);

  append (f->store, "row 11");
  dsl_paced_list_flush (f->paced);
  assert_prefix (f, 12);
  g_assert_cmpuint (f->n_signals, ==, 3);
}

static void
test_changes_inside (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GtkStringObject) a = gtk_string_object_new ("replacement");
  g_autoptr(GtkStringObject) b = gtk_string_object_new ("another");
  gpointer two[] = { a, b };

  dsl_paced_list_grow (f->paced, 4);
  f->n_signals = 0;

  /* A row shown is replaced by two: passed on at once, both shown. */
  g_list_store_splice (f->store, 1, 1, two, 2);
  assert_prefix (f, 5);
  g_assert_cmpuint (f->n_signals, ==, 1);
  g_assert_cmpuint (f->last_position, ==, 1);
  g_assert_cmpuint (f->last_removed, ==, 1);
  g_assert_cmpuint (f->last_added, ==, 2);

  /* A removal across the end of what is shown removes only what was shown. */
  g_list_store_splice (f->store, 3, 4, NULL, 0);
  assert_prefix (f, 3);
  g_assert_cmpuint (f->last_position, ==, 3);
  g_assert_cmpuint (f->last_removed, ==, 2);
  g_assert_cmpuint (f->last_added, ==, 0);

  /* A change past it is not seen. */
  f->n_signals = 0;
  g_list_store_remove (f->store, 5);
  assert_prefix (f, 3);
  g_assert_cmpuint (f->n_signals, ==, 0);

  /* Everything gone (a new run of the scan). */
  g_list_store_remove_all (f->store);
  assert_prefix (f, 0);
  g_assert_cmpuint (f->last_removed, ==, 3);
}

static gboolean
all_shown (Fixture      *f,
           gconstpointer data)
{
  return dsl_paced_list_get_pending (f->paced) == 0;
}

/* With a widget, the list grows by its step in each frame the widget's clock paints. */
static void
test_frames (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *window;
  guint largest = 0;

  if (dsl_test_skip_without_display ())
    return;

  window = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (window));
  dsl_paced_list_set_widget (f->paced, window);
  f->n_signals = 0;
  f->last_added = 0;
  while (dsl_paced_list_get_pending (f->paced) > 0)
    {
      g_main_context_iteration (NULL, TRUE);
      largest = MAX (largest, f->last_added);
    }
  assert_prefix (f, 10);
  g_assert_cmpuint (f->n_signals, ==, 3);   /* 4 + 4 + 2 */
  g_assert_cmpuint (largest, ==, 4);

  /* New items start it again. */
  append (f->store, "row 10");
  dsl_test_run_until (f, all_shown, NULL);
  assert_prefix (f, 11);

  /* Without its widget it stops. */
  gtk_window_destroy (GTK_WINDOW (window));
  append (f->store, "row 11");
  dsl_test_run_for (200);
  assert_prefix (f, 11);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  dsl_test_init_display ();

#define add_test(name, func) \
  g_test_add ("/dsl/ui/paced-list/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  add_test ("grow-and-flush", test_grow_and_flush);
  add_test ("changes-inside", test_changes_inside);
  add_test ("frames", test_frames);
#undef add_test

  return g_test_run ();
}

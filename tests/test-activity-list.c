/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-activity-list.c: DslActivityList in a real window against docspace-sim --scale 1.
 *
 *   GtkWindow ─ DslActivityList ──DslClient──▶ docspace-sim (request log asserted)
 *                 └ list (GtkListBox of AdwActionRow), read back as shown
 *
 * Seed data: tests/sim/README.md. File 401 "Q3 report.docx" has three seeded events: its link
 * created by Olivia (5 days ago), an anonymous view (FileReaded, 2.5 days ago) and an anonymous
 * download (2 days ago). File 301 has Bob's link creation and an anonymous view. With --scale 1
 * folder 901 holds files 100000…109999: 100401 contains "401", which the server's substring
 * match on `target` (with entryType) also finds. Needs a display; without one every case is a
 * TAP SKIP. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "dsl-activity-list.h"
#include "dsl-link-form.h"
#include "dsl-sim-fixture.h"
#include "dsl-test-util.h"

#define OWNER_KEY "sk-demo-owner"
#define USER_KEY  "sk-demo-user"
/* Where the simulator's events come from (no city or country: see its README). */
#define FROM " \u00b7 127.0.0.1"
#define AUDIT_PATH "/api/2.0/security/audit/events/filter"

static gboolean have_display;
static DslSim *sim;

typedef struct {
  DslClient       *owner;    /* fetches items and links, makes downloads */
  DslClient       *client;   /* the list's (owner, or the non-admin) */
  GtkWindow       *window;
  DslActivityList *list;
} Fixture;

/* --- waiting on the client --- */

typedef struct {
  GObject *object;
  GError  *error;
  gboolean done;
} Result;

static void
get_item_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Result *r = user_data;

  r->object = (GObject *) dsl_client_get_item_finish (DSL_CLIENT (object), result, &r->error);
  r->done = TRUE;
}

static void
primary_link_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Result *r = user_data;

  r->object = (GObject *) dsl_client_get_primary_link_finish (DSL_CLIENT (object), result,
                                                              &r->error);
  r->done = TRUE;
}

static DslItem *
fetch_item_of_kind (Fixture     *f,
                    DslItemKind  kind,
                    const char  *id)
{
  Result r = { 0 };

  dsl_client_get_item_async (f->owner, kind, id, NULL, get_item_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  return DSL_ITEM (r.object);
}

static DslItem *
fetch_item (Fixture    *f,
            const char *id)
{
  Result r = { 0 };

  dsl_client_get_item_async (f->owner, DSL_ITEM_KIND_FILE, id, NULL, get_item_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  return DSL_ITEM (r.object);
}

/* The file's primary link (made when it has none), as the owner. */
static DslLink *
primary_link (Fixture    *f,
              const char *id)
{
  Result r = { 0 };

  dsl_client_get_primary_link_async (f->owner, DSL_ITEM_KIND_FILE, id, NULL, NULL,
                                     primary_link_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  return DSL_LINK (r.object);
}

/* An anonymous visitor downloads the file through its primary link: GET /s/<code>?download=1,
 * which records FileDownloaded. */
static void
download (Fixture    *f,
          const char *id,
          guint       times)
{
  g_autoptr(DslLink) link = primary_link (f, id);
  const char *share = dsl_link_get_share_link (link);
  const char *path;
  g_autofree char *query = NULL;

  g_assert_nonnull (share);
  g_assert_true (g_str_has_prefix (share, dsl_sim_get_url (sim)));
  path = share + strlen (dsl_sim_get_url (sim));
  g_assert_true (g_str_has_prefix (path, "/s/"));
  query = g_strdup_printf ("%s?download=1", path);
  for (guint i = 0; i < times; i++)
    g_assert_cmpuint (dsl_sim_http (sim, "GET", query, NULL, NULL, NULL, NULL), ==, 200);
}

/* --- reading the widget --- */

static const char *
page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (dsl_test_get_widget (GTK_WIDGET (f->list),
                                                                           "stack")));
}

static gboolean
settled (Fixture       *f,
         gconstpointer  data)
{
  return !dsl_activity_list_get_loading (f->list) && g_strcmp0 (page (f), "loading") != 0 &&
         dsl_activity_list_get_n_pending (f->list) == 0;
}

/* The rows in order (borrowed). */
static GPtrArray *
rows_of (Fixture *f)
{
  GtkWidget *list = dsl_test_get_widget (GTK_WIDGET (f->list), "list");
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (list);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child))
      g_ptr_array_add (rows, child);
  return rows;
}

static guint
n_rows (Fixture *f)
{
  g_autoptr(GPtrArray) rows = rows_of (f);

  return rows->len;
}

static gboolean
has_rows (Fixture       *f,
          gconstpointer  n)
{
  return settled (f, NULL) && n_rows (f) == GPOINTER_TO_UINT (n);
}

static gboolean
has_more_rows_than (Fixture       *f,
                    gconstpointer  n)
{
  return settled (f, NULL) && n_rows (f) > GPOINTER_TO_UINT (n);
}

static DslAuditEvent *
row_event (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "dsl-audit-event");
}

/* "what|who…" per row, joined with ";". */
static char *
describe_rows (Fixture *f)
{
  g_autoptr(GPtrArray) rows = rows_of (f);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if (i > 0)
        g_string_append_c (text, ';');
      g_string_append_printf (text, "%s|%s",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
    }
  return g_string_free (text, FALSE);
}

/* Every row's event is one of `id`'s (exactly) and the rows are newest first. */
static void
assert_rows_of (Fixture    *f,
                const char *id)
{
  g_autoptr(GPtrArray) rows = rows_of (f);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                      NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      DslAuditEvent *event = row_event (g_ptr_array_index (rows, i));
      gint64 *event_id = g_new (gint64, 1);

      g_assert_nonnull (event);
      g_assert_true (dsl_audit_event_has_target (event, id));
      *event_id = dsl_audit_event_get_id (event);
      g_assert_false (g_hash_table_contains (seen, event_id));
      g_hash_table_add (seen, event_id);
      if (i > 0)
        g_assert_cmpint (g_date_time_compare (dsl_audit_event_get_date (event),
                                              dsl_audit_event_get_date (
                                                row_event (g_ptr_array_index (rows, i - 1)))),
                         <=, 0);
    }
}

static guint
audit_requests (void)
{
  return dsl_sim_count_requests (sim, "GET", AUDIT_PATH);
}

static void
clear_requests (void)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_clear_requests (sim, &error);
  g_assert_no_error (error);
}

static void
set_faults (const char *profile)
{
  g_autoptr(GError) error = NULL;

  dsl_sim_set_faults (sim, profile, &error);
  g_assert_no_error (error);
}

/* Shows `id` and waits until the section has settled. */
static DslItem *
show_item (Fixture    *f,
           const char *id)
{
  DslItem *item = fetch_item (f, id);

  dsl_activity_list_set_item (f->list, item);
  dsl_test_run_until (f, settled, NULL);
  return item;
}

/* The row's "when" label: the one with a tooltip. */
static gboolean
is_when_label (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_tooltip_text (widget) != NULL;
}

static gboolean
no_other_toplevel (Fixture *f)
{
  GList *toplevels = gtk_window_list_toplevels ();
  gboolean alone = TRUE;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != f->window && gtk_widget_get_visible (l->data))
      alone = FALSE;
  g_list_free (toplevels);
  return alone;
}

/* --- fixture --- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *scrolled;

  if (!have_display)
    return;

  dsl_sim_reset (sim, &error);
  g_assert_no_error (error);

  f->owner = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->owner, OWNER_KEY);
  f->client = dsl_client_new (dsl_sim_get_url (sim));
  dsl_client_set_api_key (f->client, data != NULL ? data : OWNER_KEY);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 420, 720);
  scrolled = gtk_scrolled_window_new ();
  f->list = DSL_ACTIVITY_LIST (dsl_activity_list_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (f->list));
  gtk_window_set_child (f->window, scrolled);
  dsl_activity_list_set_client (f->list, f->client);
  gtk_window_present (f->window);
}

static void
drop_client (DslClient **client)
{
  g_object_add_weak_pointer (G_OBJECT (*client), (gpointer *) client);
  g_object_unref (*client);
  /* Requests in flight hold the client until they are cancelled and complete. */
  for (guint i = 0; i < 400 && *client != NULL; i++)
    dsl_test_run_for (5);
  g_assert_null (*client);
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
  drop_client (&f->client);
  drop_client (&f->owner);
  set_faults ("none");
}

/* --- tests --- */

/* File 401 as the owner: its three events, newest first, with the phrases and "Anonymous";
 * one probe, then one page asked with entryType 1 and target 401. */
static void
test_owner_events (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(DslItem) other = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *exact = NULL;
  g_autoptr(GDateTime) local = NULL;
  GtkWidget *when;
  const char *query;

  if (dsl_test_skip_without_display ())
    return;

  clear_requests ();
  item = show_item (f, "401");
  g_assert_cmpstr (page (f), ==, "list");
  shown = describe_rows (f);
  g_assert_cmpstr (shown, ==,
                   "Downloaded|Anonymous" FROM ";Opened|Anonymous" FROM
                   ";Link created|Olivia Owner" FROM);
  assert_rows_of (f, "401");
  rows = rows_of (f);
  g_assert_cmpint (dsl_audit_event_get_action_id (row_event (g_ptr_array_index (rows, 0))),
                   ==, 5009);

  /* When: relative ("2 days ago"), the exact date as tooltip. */
  when = dsl_test_find_descendant (GTK_WIDGET (g_ptr_array_index (rows, 0)), is_when_label,
                                   NULL);
  g_assert_nonnull (when);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (when)), ==, "2 days ago");
  local = g_date_time_to_local (dsl_audit_event_get_date (row_event (g_ptr_array_index (rows,
                                                                                       0))));
  exact = dsl_link_format_exact_date (local);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (when), ==, exact);

  /* The heading and "Show More" (hidden: three events are one page). */
  g_assert_false (gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->list),
                                                               "more_button")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (dsl_test_get_widget (GTK_WIDGET (f->list),
                                                                       "heading"))),
                   ==, "Activity");

  /* The probe, then the page. */
  g_assert_cmpuint (audit_requests (), ==, 2);
  queries = dsl_test_request_queries (sim, AUDIT_PATH);
  g_assert_cmpuint (queries->len, ==, 2);
  query = g_ptr_array_index (queries, 1);
  g_assert_nonnull (strstr (query, "entryType=1"));
  g_assert_nonnull (strstr (query, "target=401"));
  g_assert_nonnull (strstr (query, "count=25"));
  g_assert_null (strstr (query, "action="));

  /* Another item: the probe's answer is kept, one request. */
  other = show_item (f, "301");
  g_assert_cmpuint (audit_requests (), ==, 3);
  g_clear_pointer (&shown, g_free);
  shown = describe_rows (f);
  g_assert_cmpstr (shown, ==, "Opened|Anonymous" FROM ";Link created|Ulrich User" FROM);
  assert_rows_of (f, "301");
}

/* The server matches `target` as a substring with entryType: file 100401's events come back
 * for 401 and must not show. */
static void
test_exact_target (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *shown = NULL;
  const char *text;
  guint status;

  if (dsl_test_skip_without_display ())
    return;

  /* A link on 100401 and a download through it: two events whose target contains "401". */
  download (f, "100401", 1);
  status = dsl_sim_http (sim, "GET", AUDIT_PATH "?entryType=1&target=401&count=25",
                         "Bearer " OWNER_KEY, NULL, &body, NULL);
  g_assert_cmpuint (status, ==, 200);
  text = g_bytes_get_data (body, NULL);
  /* The trap is armed: the server's answer holds the other file's events. */
  g_assert_nonnull (strstr (text, "\"100401\""));

  item = show_item (f, "401");
  shown = describe_rows (f);
  g_assert_cmpstr (shown, ==,
                   "Downloaded|Anonymous" FROM ";Opened|Anonymous" FROM
                   ";Link created|Olivia Owner" FROM);
  assert_rows_of (f, "401");
}

/* A download made after the list was shown appears, first, once the list is read again. */
static void
test_new_download (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *shown = NULL;
  gint64 newest;

  if (dsl_test_skip_without_display ())
    return;

  item = show_item (f, "401");
  g_assert_cmpuint (n_rows (f), ==, 3);
  rows = rows_of (f);
  newest = dsl_audit_event_get_id (row_event (g_ptr_array_index (rows, 0)));
  g_clear_pointer (&rows, g_ptr_array_unref);

  download (f, "401", 1);
  g_assert_cmpuint (n_rows (f), ==, 3);
  dsl_activity_list_reload (f->list);
  dsl_test_run_until (f, has_rows, GUINT_TO_POINTER (4));
  shown = describe_rows (f);
  g_assert_true (g_str_has_prefix (shown, "Downloaded|Anonymous" FROM
                                          ";Downloaded|Anonymous" FROM ";Opened|"));
  rows = rows_of (f);
  g_assert_cmpint (dsl_audit_event_get_id (row_event (g_ptr_array_index (rows, 0))), !=, newest);
  g_assert_cmpint (dsl_audit_event_get_id (row_event (g_ptr_array_index (rows, 1))), ==, newest);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (dsl_test_find_descendant (
                     g_ptr_array_index (rows, 0), is_when_label, NULL))), ==, "Just now");
  assert_rows_of (f, "401");
}

/* 30 more downloads: 33 events, 25 on the first page, "Show More" brings the other 8 and goes. */
static void
test_paging (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autofree char *shown = NULL;
  GtkWidget *more;

  if (dsl_test_skip_without_display ())
    return;

  download (f, "401", 30);
  item = show_item (f, "401");
  g_assert_cmpuint (n_rows (f), ==, 25);
  more = dsl_test_get_widget (GTK_WIDGET (f->list), "more_button");
  g_assert_true (gtk_widget_get_visible (more));
  g_assert_true (gtk_widget_get_sensitive (more));

  clear_requests ();
  gtk_widget_activate (more);
  dsl_test_run_until (f, has_rows, GUINT_TO_POINTER (33));
  g_assert_false (gtk_widget_get_visible (more));
  queries = dsl_test_request_queries (sim, AUDIT_PATH);
  g_assert_cmpuint (queries->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (queries, 0), "startIndex=25"));
  shown = describe_rows (f);
  g_assert_true (g_str_has_suffix (shown, "Downloaded|Anonymous" FROM ";Opened|Anonymous" FROM ";"
                                          "Link created|Olivia Owner" FROM));
  assert_rows_of (f, "401");
}

/* A full page arrives in one answer but its rows are built a few per frame: never more than
 * 3 new rows between two frames, and all 25 in the end, in the server's order. */
typedef struct {
  Fixture *f;
  guint    last;
  guint    most_added;
  guint    frames;
  gint64   started;
  gint64   longest;  /* µs, from before-paint to after-paint */
} FrameRows;

static void
note_before_paint (GdkFrameClock *clock,
                   FrameRows     *fr)
{
  fr->started = g_get_monotonic_time ();
}

static void
count_rows_after_paint (GdkFrameClock *clock,
                        FrameRows     *fr)
{
  guint now = n_rows (fr->f);

  if (fr->started != 0)
    fr->longest = MAX (fr->longest, g_get_monotonic_time () - fr->started);
  fr->most_added = MAX (fr->most_added, now - MIN (now, fr->last));
  if (now != fr->last)
    fr->frames++;
  fr->last = now;
}

static gboolean
answered (Fixture       *f,
          gconstpointer  data)
{
  return !dsl_activity_list_get_loading (f->list);
}

static void
test_rows_per_frame (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  FrameRows fr = { f, 0, 0, 0, 0, 0 };
  GdkFrameClock *clock;
  gulong handler, before;

  if (dsl_test_skip_without_display ())
    return;

  download (f, "401", 30);
  item = fetch_item (f, "401");
  dsl_test_run_for (200);  /* the window has drawn itself */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  g_assert_nonnull (clock);
  before = g_signal_connect (clock, "before-paint", G_CALLBACK (note_before_paint), &fr);
  handler = g_signal_connect_after (clock, "after-paint", G_CALLBACK (count_rows_after_paint),
                                    &fr);

  dsl_activity_list_set_item (f->list, item);
  dsl_test_run_until (f, answered, NULL);
  /* The page is in; no row was built in the turn that received it. */
  g_assert_cmpuint (n_rows (f) + dsl_activity_list_get_n_pending (f->list), ==, 25);
  g_assert_cmpuint (n_rows (f), <=, 3);
  g_assert_cmpstr (page (f), ==, "list");

  dsl_test_run_until (f, has_rows, GUINT_TO_POINTER (25));
  g_signal_handler_disconnect (clock, handler);
  g_signal_handler_disconnect (clock, before);
  /* Reported, not asserted: a loaded machine or a sanitizer build draws slower. */
  g_test_message ("25 rows in %u frames, the longest %" G_GINT64_FORMAT " ms", fr.frames,
                  fr.longest / 1000);
  g_assert_cmpuint (fr.most_added, >, 0);
  g_assert_cmpuint (fr.most_added, <=, 3);
  g_assert_cmpuint (fr.frames, >=, 9);
  assert_rows_of (f, "401");
}

/* A non-admin: the reason in one dim line, for every item, and no event request beyond the
 * probe; no dialog. */
static void
test_not_admin (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) first = NULL;
  g_autoptr(DslItem) second = NULL;
  GtkWidget *label;

  if (dsl_test_skip_without_display ())
    return;

  first = fetch_item (f, "401");
  second = fetch_item (f, "301");
  clear_requests ();
  dsl_activity_list_set_item (f->list, first);
  dsl_test_run_until (f, settled, NULL);
  g_assert_cmpstr (page (f), ==, "denied");
  label = dsl_test_get_widget (GTK_WIDGET (f->list), "denied_label");
  g_assert_true (gtk_widget_is_visible (label));
  g_assert_true (gtk_widget_has_css_class (label, "dim-label"));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)),
                                   "Only portal administrators can read the audit trail"));

  dsl_activity_list_set_item (f->list, second);
  dsl_test_run_until (f, settled, NULL);
  dsl_test_run_for (200);
  g_assert_cmpstr (page (f), ==, "denied");
  g_assert_cmpuint (n_rows (f), ==, 0);
  /* Only the probe, answered 403 for the non-admin. */
  g_assert_cmpuint (audit_requests (), ==, 1);
  g_assert_true (no_other_toplevel (f));
}

/* A plan without audit (402): its reason, no list. */
static void
test_audit402 (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;

  if (dsl_test_skip_without_display ())
    return;

  set_faults ("audit402");
  clear_requests ();
  item = show_item (f, "401");
  g_assert_cmpstr (page (f), ==, "denied");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (
                                     dsl_test_get_widget (GTK_WIDGET (f->list), "denied_label"))),
                                   "The portal's plan does not include the audit trail"));
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_cmpuint (audit_requests (), ==, 1);
  g_assert_true (no_other_toplevel (f));
}

/* Items switched while their pages are on the way (each answer held 300 ms): only the last
 * item's events show, also after the earlier answers had time to arrive. */
static void
test_quick_switch (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) a = NULL;
  g_autoptr(DslItem) b = NULL;
  g_autoptr(DslItem) c = NULL;
  g_autofree char *shown = NULL;

  if (dsl_test_skip_without_display ())
    return;

  a = fetch_item (f, "401");
  b = fetch_item (f, "402");
  c = fetch_item (f, "301");
  /* The probe first, so that the pages themselves are in flight when the item changes. */
  dsl_activity_list_set_item (f->list, b);
  dsl_test_run_until (f, settled, NULL);

  set_faults ("latency=300,path=" AUDIT_PATH);
  clear_requests ();
  dsl_activity_list_set_item (f->list, a);
  /* 401's page is asked and held by the simulator. */
  dsl_test_run_for (100);
  dsl_activity_list_set_item (f->list, b);
  dsl_activity_list_set_item (f->list, c);
  dsl_test_run_until (f, settled, NULL);
  shown = describe_rows (f);
  g_assert_cmpstr (shown, ==, "Opened|Anonymous" FROM ";Link created|Ulrich User" FROM);
  assert_rows_of (f, "301");
  /* 401's answer (300 ms) has come and gone by now: still 301's rows only. */
  dsl_test_run_for (500);
  g_clear_pointer (&shown, g_free);
  shown = describe_rows (f);
  g_assert_cmpstr (shown, ==, "Opened|Anonymous" FROM ";Link created|Ulrich User" FROM);
  g_assert_true (dsl_activity_list_get_item (f->list) == c);
}

/* A failing page: the message inline with Retry, which reads the page again. */
static void
test_error_and_retry (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(DslItem) other = NULL;
  GtkWidget *label;

  if (dsl_test_skip_without_display ())
    return;

  other = show_item (f, "301");
  g_assert_cmpuint (n_rows (f), ==, 2);
  set_faults ("error500,path=" AUDIT_PATH);
  item = show_item (f, "401");
  g_assert_cmpstr (page (f), ==, "error");
  label = dsl_test_get_widget (GTK_WIDGET (f->list), "error_label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), !=, "");
  g_assert_true (gtk_widget_is_visible (dsl_test_get_widget (GTK_WIDGET (f->list),
                                                             "retry_button")));
  g_assert_cmpuint (n_rows (f), ==, 0);
  g_assert_true (no_other_toplevel (f));

  set_faults ("none");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->list), "activity.retry", NULL));
  dsl_test_run_until (f, has_rows, GUINT_TO_POINTER (3));
  g_assert_cmpstr (page (f), ==, "list");
  assert_rows_of (f, "401");
}

/* --- a room: its Room events and its downloads (FolderDownloaded 5057, a Folder entry only),
 * two queries merged --- */

#define ROOM_LINKS "/api/2.0/files/rooms/101/links"

/* Room 101 downloaded as an archive by an anonymous visitor through its primary link. */
static void
download_room (Fixture *f,
               guint    times)
{
  Result r = { 0 };
  g_autoptr(DslLink) link = NULL;
  g_autofree char *query = NULL;

  dsl_client_get_primary_link_async (f->owner, DSL_ITEM_KIND_ROOM, "101", NULL, NULL,
                                     primary_link_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  link = DSL_LINK (r.object);
  query = g_strdup_printf ("%s?download=1",
                           dsl_link_get_share_link (link) + strlen (dsl_sim_get_url (sim)));
  for (guint i = 0; i < times; i++)
    g_assert_cmpuint (dsl_sim_http (sim, "GET", query, NULL, NULL, NULL, NULL), ==, 200);
}

static JsonNode *
sim_json (const char *method,
          const char *path,
          const char *body)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *node;

  g_assert_cmpuint (dsl_sim_http (sim, method, path, "Bearer " OWNER_KEY, body, &answer, NULL),
                    ==, 200);
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  return node;
}

/* A room link created and deleted: RoomExternalLinkCreated then Deleted (both Room entries). */
static void
room_link_come_and_go (void)
{
  g_autoptr(JsonNode) created = sim_json ("PUT", ROOM_LINKS,
                                          "{\"access\":2,\"linkType\":1,\"title\":\"Brief\"}");
  g_autoptr(JsonNode) deleted = NULL;
  JsonObject *link = json_object_get_object_member (json_node_get_object (created), "response");
  g_autofree char *body = g_strdup_printf ("{\"linkId\":\"%s\",\"access\":0,\"linkType\":1}",
                                           json_object_get_string_member (
                                             json_object_get_object_member (link, "sharedLink"),
                                             "id"));

  deleted = sim_json ("PUT", ROOM_LINKS, body);
}

/* The ids of the room's events the list should show, newest first, read from the simulator
 * with the two queries (each fits one page of 100 here). */
static GArray *
room_event_ids (void)
{
  const char *queries[] = { AUDIT_PATH "?entryType=25&target=101&count=100",
                            AUDIT_PATH "?action=5057&target=101&count=100" };
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(JsonNode) node = sim_json ("GET", queries[q], NULL);
      JsonArray *a = json_object_get_array_member (json_node_get_object (node), "response");

      g_assert_cmpuint (json_array_get_length (a), <, 100);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonObject *ev = json_array_get_object_element (a, i);
          gint64 id = json_object_get_int_member (ev, "id");

          if (dsl_activity_describe_action (json_object_get_int_member (ev, "actionId")) != NULL)
            g_array_append_val (ids, id);
        }
    }
  /* the simulator's ids grow with time: newest first is the highest id first */
  for (guint i = 1; i < ids->len; i++)
    for (guint j = i; j > 0 && g_array_index (ids, gint64, j) > g_array_index (ids, gint64, j - 1);
         j--)
      {
        gint64 t = g_array_index (ids, gint64, j);

        g_array_index (ids, gint64, j) = g_array_index (ids, gint64, j - 1);
        g_array_index (ids, gint64, j - 1) = t;
      }
  return ids;
}

/* The room's downloads show with its link events, newest first: asked with action=5057, as the
 * Room query (entryType=25) never has them. */
static void
test_room_downloads (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GPtrArray) queries = NULL;
  g_autofree char *shown = NULL;
  gboolean room_query = FALSE, download_query = FALSE;

  if (dsl_test_skip_without_display ())
    return;

  download_room (f, 2);
  clear_requests ();
  item = fetch_item_of_kind (f, DSL_ITEM_KIND_ROOM, "101");
  dsl_activity_list_set_item (f->list, item);
  dsl_test_run_until (f, settled, NULL);
  shown = describe_rows (f);
  g_assert_cmpstr (shown, ==,
                   "Downloaded|Anonymous" FROM ";Downloaded|Anonymous" FROM
                   ";Link created|Ulrich User" FROM ";Invitation link created|Olivia Owner" FROM);
  assert_rows_of (f, "101");
  g_assert_false (gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->list),
                                                               "more_button")));

  queries = dsl_test_request_queries (sim, AUDIT_PATH);
  for (guint i = 0; i < queries->len; i++)
    {
      const char *query = g_ptr_array_index (queries, i);

      room_query = room_query || (strstr (query, "entryType=25") != NULL &&
                                  strstr (query, "target=101") != NULL);
      download_query = download_query || (g_str_has_prefix (query, "action=5057&") &&
                                          strstr (query, "target=101") != NULL);
    }
  g_assert_true (room_query);
  g_assert_true (download_query);
}

/* Downloads and link events interleaved in time, more than a page of each query: every page
 * is the newest of both, and after "Show More" to the end every event is there once, in
 * order. */
static void
test_room_merged_paging (Fixture *f, gconstpointer data)
{
  g_autoptr(DslItem) item = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *more;
  guint downloads_on_first_page = 0;

  if (dsl_test_skip_without_display ())
    return;

  for (guint i = 0; i < 14; i++)
    {
      download_room (f, 1);
      room_link_come_and_go ();
    }
  expected = room_event_ids ();
  g_assert_cmpuint (expected->len, ==, 14 * 3 + 2);

  item = fetch_item_of_kind (f, DSL_ITEM_KIND_ROOM, "101");
  dsl_activity_list_set_item (f->list, item);
  dsl_test_run_until (f, settled, NULL);
  g_assert_cmpuint (n_rows (f), >, 0);
  g_assert_cmpuint (n_rows (f), <=, DSL_ACTIVITY_PAGE_SIZE);
  assert_rows_of (f, "101");
  rows = rows_of (f);
  for (guint i = 0; i < rows->len; i++)
    {
      DslAuditEvent *event = row_event (g_ptr_array_index (rows, i));

      /* the page is the newest events of both queries */
      g_assert_cmpint (dsl_audit_event_get_id (event), ==, g_array_index (expected, gint64, i));
      if (dsl_audit_event_get_action_id (event) == 5057)
        downloads_on_first_page++;
    }
  g_assert_cmpuint (downloads_on_first_page, >, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  more = dsl_test_get_widget (GTK_WIDGET (f->list), "more_button");
  for (guint round = 0; gtk_widget_get_visible (more); round++)
    {
      guint before = n_rows (f);

      g_assert_cmpuint (round, <, 10);
      /* a button's activation clicks it a moment later */
      gtk_widget_activate (more);
      dsl_test_run_until (f, has_more_rows_than, GUINT_TO_POINTER (before));
      assert_rows_of (f, "101");
    }

  rows = rows_of (f);
  g_assert_cmpuint (rows->len, ==, expected->len);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpint (dsl_audit_event_get_id (row_event (g_ptr_array_index (rows, i))), ==,
                     g_array_index (expected, gint64, i));
}

/* --- a portal whose audit trail pages for ever --- */

/* The probe gets no events; every other query the same full page of FileDownloaded events on
 * file 401 (ids 1..25), whatever its startIndex, with `total: 10^15`. */
typedef struct {
  GMutex lock;
  guint  n_pages;   /* answers that were not the probe */
} EndlessAudit;

static gboolean
endless_audit_run (GThreadedSocketService *service,
                   GSocketConnection      *connection,
                   GObject                *source,
                   gpointer                user_data)
{
  EndlessAudit *audit = user_data;
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *request_line = NULL;
  g_autofree char *head = NULL;
  g_autoptr(GString) body = g_string_new ("{\"response\":[");
  GOutputStream *out;

  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  request_line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (request_line == NULL)
    return TRUE;
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (header == NULL || *header == '\0')
        break;
    }

  if (strstr (request_line, "docspace-links-audit-probe") == NULL)
    {
      g_mutex_lock (&audit->lock);
      audit->n_pages++;
      g_mutex_unlock (&audit->lock);
      for (guint i = 0; i < DSL_ACTIVITY_PAGE_SIZE; i++)
        g_string_append_printf (body, "%s{\"id\":%u,\"date\":\"2026-06-30T13:45:%02u.0000000Z\","
                                "\"actionId\":5009,\"action\":\"Downloaded\",\"user\":\"x\","
                                "\"target\":[\"401\"]}", i > 0 ? "," : "", i + 1, 59 - i);
    }
  g_string_append (body, "],\"total\":1000000000000000,\"status\":0,\"statusCode\":200}");

  head = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          body->len);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, body->str, body->len, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static gboolean
shows_error (Fixture       *f,
             gconstpointer  data)
{
  return !dsl_activity_list_get_loading (f->list) && g_strcmp0 (page (f), "error") == 0;
}

/* The same page of events for ever: "Show More" reads one more page, finds nothing new and
 * stops with a message, instead of asking for page after page (the wait is bounded: today's
 * endless paging times out here). */
static void
test_endless_pages (Fixture *f, gconstpointer data)
{
  EndlessAudit audit = { 0 };
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslClient) client = NULL;
  g_autoptr(DslItem) item = NULL;
  g_autofree char *url = NULL;
  GtkWidget *label;

  if (dsl_test_skip_without_display ())
    return;

  g_mutex_init (&audit.lock);
  service = g_threaded_socket_service_new (4);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_signal_connect (service, "run", G_CALLBACK (endless_audit_run), &audit);
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_service_start (service);
  client = dsl_client_new (url);
  dsl_client_set_api_key (client, OWNER_KEY);

  item = fetch_item (f, "401");
  dsl_activity_list_set_client (f->list, client);
  dsl_activity_list_set_item (f->list, item);
  dsl_test_run_until (f, has_rows, GUINT_TO_POINTER (DSL_ACTIVITY_PAGE_SIZE));

  gtk_widget_activate (dsl_test_get_widget (GTK_WIDGET (f->list), "more_button"));
  dsl_test_run_until (f, shows_error, NULL);
  label = dsl_test_get_widget (GTK_WIDGET (f->list), "error_label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                   "The portal keeps sending more pages: stopped after 50 items");
  g_assert_cmpuint (audit.n_pages, ==, 2);

  /* Retry shows what was kept and asks for nothing more */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->list), "activity.retry", NULL));
  dsl_test_run_until (f, has_rows, GUINT_TO_POINTER (DSL_ACTIVITY_PAGE_SIZE));
  g_assert_false (gtk_widget_get_visible (dsl_test_get_widget (GTK_WIDGET (f->list),
                                                               "more_button")));
  g_assert_cmpuint (audit.n_pages, ==, 2);

  dsl_activity_list_set_client (f->list, f->client);
  drop_client (&client);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_mutex_clear (&audit.lock);
}

/* The phrases of the link and download actions of docspace-api.md §7; others are not shown. */
static void
test_phrases (void)
{
  g_assert_cmpstr (dsl_activity_describe_action (5009), ==, "Downloaded");
  g_assert_cmpstr (dsl_activity_describe_action (5057), ==, "Downloaded");
  g_assert_cmpstr (dsl_activity_describe_action (5064), ==, "Opened");
  g_assert_cmpstr (dsl_activity_describe_action (5091), ==, "Link created");
  g_assert_cmpstr (dsl_activity_describe_action (5122), ==, "Link created");
  g_assert_cmpstr (dsl_activity_describe_action (5088), ==, "Link created");
  g_assert_cmpstr (dsl_activity_describe_action (5093), ==, "Link deleted");
  g_assert_cmpstr (dsl_activity_describe_action (5097), ==, "Link revoked");
  g_assert_cmpstr (dsl_activity_describe_action (5086), ==, "Invitation link created");
  /* in no audit mapper: the filter never returns them (docspace-api.md §7) */
  g_assert_null (dsl_activity_describe_action (5098));
  g_assert_null (dsl_activity_describe_action (7001));
  g_assert_null (dsl_activity_describe_action (5000));
  g_assert_null (dsl_activity_describe_action (0));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *sim_args[] = { "--scale", "1", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  have_display = dsl_test_init_display ();

#define add_test(name, func, key) \
  g_test_add ("/dsl/ui/activity-list/" name, Fixture, key, fixture_set_up, func, \
              fixture_tear_down)
  g_test_add_func ("/dsl/ui/activity-list/phrases", test_phrases);
  add_test ("owner-events", test_owner_events, NULL);
  add_test ("exact-target", test_exact_target, NULL);
  add_test ("new-download", test_new_download, NULL);
  add_test ("paging", test_paging, NULL);
  add_test ("rows-per-frame", test_rows_per_frame, NULL);
  add_test ("not-admin", test_not_admin, USER_KEY);
  add_test ("audit402", test_audit402, NULL);
  add_test ("quick-switch", test_quick_switch, NULL);
  add_test ("error-and-retry", test_error_and_retry, NULL);
  add_test ("room-downloads", test_room_downloads, NULL);
  add_test ("room-merged-paging", test_room_merged_paging, NULL);
  add_test ("endless-pages", test_endless_pages, NULL);

  if (have_display)
    {
      sim = dsl_sim_start (sim_args, &error);
      g_assert_no_error (error);
      dsl_test_set_sim (sim);
    }

  status = g_test_run ();

  g_clear_pointer (&sim, dsl_sim_stop);
  return status;
}

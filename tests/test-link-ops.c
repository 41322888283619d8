/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-link-ops.c: every change to a link against the server's current state
 * (dsl-link-ops.c, issue 13): which removal applies and its words, the change of one setting
 * while a second administrator changed another since the link was read, conflicts on the
 * setting itself, links gone, Remove of an expired link someone extended, and a timed-out
 * create found again by reading the list. Against docspace-sim; the second administrator is
 * another client sending the real API's PUT, as a person in the web client would. */
#define G_LOG_DOMAIN "dsl-test"

#include <string.h>

#include <gio/gio.h>

#include "dsl-client.h"
#include "dsl-error.h"
#include "dsl-link-form.h"
#include "dsl-link-ops.h"
#include "dsl-sim-fixture.h"

static DslSim *sim;

typedef struct {
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *w)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (w->result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (w->result);
  return w->result;
}

static DslClient *
owner_client (void)
{
  DslClient *client = dsl_client_new (dsl_sim_get_url (sim));

  dsl_client_set_api_key (client, "sk-demo-owner");
  return client;
}

static void
reset (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dsl_sim_reset (sim, &error));
}

static DslItem *
get_item (DslClient   *client,
          DslItemKind  kind,
          const char  *id)
{
  Wait w = { NULL };
  g_autoptr(GError) error = NULL;
  DslItem *item;

  dsl_client_get_item_async (client, kind, id, NULL, on_done, &w);
  item = dsl_client_get_item_finish (client, wait_for (&w), &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
  return item;
}

static GPtrArray *
get_links (DslClient   *client,
           DslItemKind  kind,
           const char  *id)
{
  Wait w = { NULL };
  g_autoptr(GError) error = NULL;
  GPtrArray *links;

  dsl_client_list_links_async (client, kind, id, kind == DSL_ITEM_KIND_ROOM ? -1 : 0, NULL,
                               on_done, &w);
  links = dsl_client_list_links_finish (client, wait_for (&w), &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
  return links;
}

/* The link titled `title` as the server has it now (a new reference), or NULL. */
static DslLink *
find_titled (DslItemKind  kind,
             const char  *id,
             const char  *title)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(GPtrArray) links = get_links (client, kind, id);

  for (guint i = 0; i < links->len; i++)
    if (g_strcmp0 (dsl_link_get_title (links->pdata[i]), title) == 0)
      return g_object_ref (links->pdata[i]);
  return NULL;
}

static DslLink *
find_id (DslItemKind  kind,
         const char  *id,
         const char  *link_id)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(GPtrArray) links = get_links (client, kind, id);

  for (guint i = 0; i < links->len; i++)
    if (g_strcmp0 (dsl_link_get_id (links->pdata[i]), link_id) == 0)
      return g_object_ref (links->pdata[i]);
  return NULL;
}

/* The second administrator: another session sending the web client's full-state PUT. */
static void
second_admin_update (DslItemKind  kind,
                     const char  *id,
                     DslLink     *state)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { NULL };

  dsl_client_update_link_async (client, kind, id, state, NULL, on_done, &w);
  stored = dsl_client_update_link_finish (client, wait_for (&w), &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
}

static void
second_admin_delete (DslItemKind  kind,
                     const char  *id,
                     DslLink     *link)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslLink) replacement = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { NULL };

  dsl_client_delete_link_async (client, kind, id, link, NULL, on_done, &w);
  g_assert_true (dsl_client_delete_link_finish (client, wait_for (&w), &replacement, &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);
}

static DslLink *
run_change (DslClient      *client,
            DslItemKind     kind,
            const char     *id,
            DslLinkChange  *change,
            DslLink       **current,
            GError        **error)
{
  Wait w = { NULL };
  DslLink *stored;

  dsl_link_ops_change_async (client, kind, id, change, NULL, on_done, &w);
  stored = dsl_link_ops_change_finish (client, wait_for (&w), current, error);
  g_clear_object (&w.result);
  return stored;
}

static DslLinkRemoval
run_remove (DslClient  *client,
            DslItem    *item,
            DslLink    *seen,
            DslLink   **replacement,
            DslLink   **current,
            GError    **error)
{
  Wait w = { NULL };
  DslLinkRemoval removal;

  dsl_link_ops_remove_async (client, item, seen, NULL, on_done, &w);
  removal = dsl_link_ops_remove_finish (client, wait_for (&w), replacement, current, error);
  g_clear_object (&w.result);
  return removal;
}

static guint
count_puts (const char *path)
{
  return dsl_sim_count_requests (sim, "PUT", path);
}

/* --- without a portal --- */

static DslLink *
link_new (const char *id,
          GDateTime  *expiry)
{
  DslLink *link = dsl_link_new ();

  dsl_link_set_id (link, id);
  dsl_link_set_title (link, "Partners");
  dsl_link_set_subject_type (link, DSL_SUBJECT_TYPE_EXTERNAL_LINK);
  dsl_link_set_expiration_date (link, expiry);
  return link;
}

/* One meaning of "Extend by 7 days": after the server's expiry, or after now once passed. */
static void
test_extend_meaning (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 7, 12, 0, 0);
  g_autoptr(GDateTime) later = g_date_time_new_utc (2026, 12, 9, 8, 30, 0);
  g_autoptr(GDateTime) earlier = g_date_time_new_utc (2026, 12, 1, 8, 30, 0);
  g_autoptr(DslLink) future = link_new ("a", later);
  g_autoptr(DslLink) past = link_new ("b", earlier);
  g_autoptr(DslLink) never = link_new ("c", NULL);
  g_autoptr(DslLinkChange) change = dsl_link_change_new_for_id ("a");
  g_autoptr(DslLink) a = NULL;
  g_autoptr(DslLink) b = NULL;
  g_autoptr(DslLink) c = NULL;

  dsl_link_change_extend (change);
  g_assert_true (dsl_link_change_is_extend (change));
  g_assert_cmpint (dsl_link_change_get_fields (change), ==, DSL_LINK_FIELD_EXPIRY);
  a = dsl_link_change_apply (change, future, now);
  b = dsl_link_change_apply (change, past, now);
  c = dsl_link_change_apply (change, never, now);
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (a)), ==,
                   g_date_time_to_unix (later) + 7 * 86400);
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (b)), ==,
                   g_date_time_to_unix (now) + 7 * 86400);
  g_assert_false (dsl_link_get_is_expired (b));
  g_assert_null (c);
}

/* The change of one field leaves every other field as the server has it. */
static void
test_apply_only_the_change (void)
{
  g_autoptr(DslLink) seen = link_new ("a", NULL);
  g_autoptr(DslLink) current = link_new ("a", NULL);
  g_autoptr(DslLink) wanted = NULL;
  g_autoptr(DslLinkChange) change = NULL;
  g_autoptr(DslLink) sent = NULL;

  wanted = dsl_link_copy (seen);
  dsl_link_set_title (wanted, "Press");
  change = dsl_link_change_new_from_states (seen, wanted);
  g_assert_cmpint (dsl_link_change_get_fields (change), ==, DSL_LINK_FIELD_TITLE);

  dsl_link_set_password (current, "Other123!");
  dsl_link_set_internal (current, TRUE);
  g_assert_null (dsl_link_change_describe_conflict (change, current));
  sent = dsl_link_change_apply (change, current, NULL);
  g_assert_cmpstr (dsl_link_get_title (sent), ==, "Press");
  g_assert_cmpstr (dsl_link_get_password (sent), ==, "Other123!");
  g_assert_true (dsl_link_get_internal (sent));
}

/* A conflict names the field and both values, never a password. */
static void
test_conflict_words (void)
{
  g_autoptr(GDateTime) d1 = g_date_time_new_utc (2026, 12, 9, 8, 30, 0);
  g_autoptr(GDateTime) d2 = g_date_time_new_utc (2026, 12, 20, 8, 30, 0);
  g_autoptr(DslLink) seen = link_new ("a", d1);
  g_autoptr(DslLink) current = link_new ("a", d2);
  g_autoptr(DslLinkChange) change = dsl_link_change_new (seen);
  g_autofree char *words = NULL;
  g_autofree char *a = dsl_link_format_exact_date (d1);
  g_autofree char *b = dsl_link_format_exact_date (d2);
  g_autoptr(DslLinkChange) password = dsl_link_change_new (seen);
  g_autofree char *pw_words = NULL;

  dsl_link_change_extend (change);
  words = dsl_link_change_describe_conflict (change, current);
  g_assert_nonnull (words);
  g_assert_nonnull (strstr (words, a));
  g_assert_nonnull (strstr (words, b));

  dsl_link_change_set_password (password, "Mine1234!");
  dsl_link_set_password (current, "Theirs123!");
  pw_words = dsl_link_change_describe_conflict (password, current);
  g_assert_nonnull (pw_words);
  g_assert_null (strstr (pw_words, "Theirs123!"));
  g_assert_null (strstr (pw_words, "Mine1234!"));

  /* someone made the same change: no conflict */
  dsl_link_change_accept_current (change, current);
  g_assert_null (dsl_link_change_describe_conflict (change, current));
}

static void
test_removal_kinds (void)
{
  g_autoptr(DslItem) room = dsl_item_new (DSL_ITEM_KIND_ROOM, "101", "Marketing");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) past = g_date_time_add_days (now, -1);
  g_autoptr(DslLink) plain = link_new ("a", NULL);
  g_autoptr(DslLink) expired = link_new ("b", past);
  g_autoptr(DslLink) regen = link_new ("c", NULL);
  g_autoptr(DslLink) invitation = link_new ("d", NULL);

  g_object_set (room, "can-share", TRUE, "room-type", DSL_ROOM_TYPE_CUSTOM, NULL);
  dsl_item_set_security (room, "EditAccess", TRUE);
  dsl_link_set_can_revoke (regen, TRUE);
  dsl_link_set_subject_type (invitation, DSL_SUBJECT_TYPE_INVITATION_LINK);
  dsl_link_set_link_type (invitation, DSL_LINK_TYPE_INVITATION);

  g_assert_cmpint (dsl_link_ops_removal (room, plain, now), ==, DSL_LINK_REMOVAL_REVOKE);
  g_assert_cmpint (dsl_link_ops_removal (room, expired, now), ==,
                   DSL_LINK_REMOVAL_REMOVE_EXPIRED);
  g_assert_cmpint (dsl_link_ops_removal (room, regen, now), ==, DSL_LINK_REMOVAL_REGENERATE);
  g_assert_cmpint (dsl_link_ops_removal (room, invitation, now), ==,
                   DSL_LINK_REMOVAL_INVITATION);
  g_object_set (room, "can-share", FALSE, NULL);
  g_assert_cmpint (dsl_link_ops_removal (room, plain, now), ==, DSL_LINK_REMOVAL_NOT_ALLOWED);
  g_assert_null (dsl_link_ops_removal_words (DSL_LINK_REMOVAL_NOT_ALLOWED));
  for (DslLinkRemoval r = DSL_LINK_REMOVAL_REVOKE; r <= DSL_LINK_REMOVAL_INVITATION; r++)
    {
      const DslLinkRemovalWords *words = dsl_link_ops_removal_words (r);

      g_assert_nonnull (words);
      g_assert_nonnull (words->heading);
      g_assert_nonnull (strchr (words->verb, '_'));
      g_assert_nonnull (words->done);
    }
}

/* --- against the portal --- */

/* Extend after a second administrator added a password and made the link internal: the
 * server keeps both, with the new expiry. The old way (the state as first read, a new
 * expiry) removed the password and made the link public again. */
static void
test_extend_keeps_others_changes (void)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslLink) seen = find_titled (DSL_ITEM_KIND_FILE, "401", "Download blocked");
  g_autoptr(DslLink) theirs = NULL;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(DslLink) after = NULL;
  g_autoptr(DslLinkChange) change = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected;

  g_assert_nonnull (seen);
  g_assert_nonnull (dsl_link_get_expiration_date (seen));
  g_assert_null (dsl_link_get_password (seen));

  theirs = dsl_link_copy (seen);
  dsl_link_set_password (theirs, "Theirs123!");
  dsl_link_set_internal (theirs, TRUE);
  second_admin_update (DSL_ITEM_KIND_FILE, "401", theirs);

  expected = g_date_time_to_unix (dsl_link_get_expiration_date (seen)) + 7 * 86400;
  change = dsl_link_change_new (seen);
  dsl_link_change_extend (change);
  stored = run_change (client, DSL_ITEM_KIND_FILE, "401", change, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);

  after = find_id (DSL_ITEM_KIND_FILE, "401", dsl_link_get_id (seen));
  g_assert_cmpstr (dsl_link_get_password (after), ==, "Theirs123!");
  g_assert_true (dsl_link_get_internal (after));
  g_assert_true (dsl_link_get_deny_download (after));
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (after)), ==, expected);
}

/* Someone moved the expiry since it was seen: nothing is sent; the conflict says both dates and
 * hands back the server's state; accepting it and running again extends from the new date. */
static void
test_extend_conflict (void)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslLink) seen = find_titled (DSL_ITEM_KIND_FILE, "401", "Download blocked");
  g_autoptr(DslLink) theirs = dsl_link_copy (seen);
  g_autoptr(GDateTime) moved = g_date_time_add_days (dsl_link_get_expiration_date (seen), 20);
  g_autoptr(DslLinkChange) change = dsl_link_change_new (seen);
  g_autoptr(DslLink) current = NULL;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(DslLink) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date = dsl_link_format_exact_date (moved);
  guint puts;

  dsl_link_set_expiration_date (theirs, moved);
  second_admin_update (DSL_ITEM_KIND_FILE, "401", theirs);
  puts = count_puts ("/api/2.0/files/file/401/links");

  dsl_link_change_extend (change);
  stored = run_change (client, DSL_ITEM_KIND_FILE, "401", change, &current, &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_LINK_CONFLICT);
  g_assert_null (stored);
  g_assert_nonnull (strstr (error->message, date));
  g_assert_nonnull (current);
  g_assert_cmpuint (count_puts ("/api/2.0/files/file/401/links"), ==, puts);
  after = find_id (DSL_ITEM_KIND_FILE, "401", dsl_link_get_id (seen));
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (after)), ==,
                   g_date_time_to_unix (moved));
  g_clear_error (&error);

  dsl_link_change_accept_current (change, current);
  g_clear_object (&current);
  stored = run_change (client, DSL_ITEM_KIND_FILE, "401", change, &current, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (dsl_link_get_expiration_date (stored)), ==,
                   g_date_time_to_unix (moved) + 7 * 86400);
}

/* A rename while someone else set a password: the password stays. */
static void
test_rename_keeps_password (void)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslLink) seen = find_titled (DSL_ITEM_KIND_ROOM, "101", "Staff only");
  g_autoptr(DslLink) theirs = dsl_link_copy (seen);
  g_autoptr(DslLink) wanted = dsl_link_copy (seen);
  g_autoptr(DslLinkChange) change = NULL;
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(DslLink) after = NULL;
  g_autoptr(GError) error = NULL;

  dsl_link_set_password (theirs, "Theirs123!");
  second_admin_update (DSL_ITEM_KIND_ROOM, "101", theirs);

  dsl_link_set_title (wanted, "Staff and partners");
  change = dsl_link_change_new_from_states (seen, wanted);
  stored = run_change (client, DSL_ITEM_KIND_ROOM, "101", change, NULL, &error);
  g_assert_no_error (error);
  after = find_id (DSL_ITEM_KIND_ROOM, "101", dsl_link_get_id (seen));
  g_assert_cmpstr (dsl_link_get_title (after), ==, "Staff and partners");
  g_assert_cmpstr (dsl_link_get_password (after), ==, "Theirs123!");
  g_assert_true (dsl_link_get_internal (after));
}

/* Gone: removed by someone else, for a change and for a removal. */
static void
test_gone (void)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslItem) room = get_item (client, DSL_ITEM_KIND_ROOM, "101");
  g_autoptr(DslLink) seen = find_titled (DSL_ITEM_KIND_ROOM, "101", "Partners");
  g_autoptr(DslLinkChange) change = dsl_link_change_new (seen);
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(GError) error = NULL;
  DslLinkRemoval removal;

  second_admin_delete (DSL_ITEM_KIND_ROOM, "101", seen);
  dsl_link_change_set_title (change, "Partners 2");
  stored = run_change (client, DSL_ITEM_KIND_ROOM, "101", change, NULL, &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_LINK_GONE);
  g_assert_null (stored);
  g_clear_error (&error);

  removal = run_remove (client, room, seen, NULL, NULL, &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_LINK_GONE);
  g_assert_cmpint (removal, ==, DSL_LINK_REMOVAL_NOT_ALLOWED);
}

/* Remove of an expired link that someone extended since: it stays. */
static void
test_remove_expired_extended (void)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslItem) room = get_item (client, DSL_ITEM_KIND_ROOM, "101");
  g_autoptr(DslLink) seen = find_titled (DSL_ITEM_KIND_ROOM, "101", "Old preview");
  g_autoptr(DslLink) theirs = dsl_link_copy (seen);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) week = g_date_time_add_days (now, 7);
  g_autoptr(DslLink) current = NULL;
  g_autoptr(DslLink) after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (dsl_link_ops_removal (room, seen, now), ==, DSL_LINK_REMOVAL_REMOVE_EXPIRED);
  dsl_link_set_expiration_date (theirs, week);
  dsl_link_set_is_expired (theirs, FALSE);
  second_admin_update (DSL_ITEM_KIND_ROOM, "101", theirs);

  run_remove (client, room, seen, NULL, &current, &error);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_LINK_CONFLICT);
  g_assert_nonnull (current);
  after = find_id (DSL_ITEM_KIND_ROOM, "101", dsl_link_get_id (seen));
  g_assert_nonnull (after);
  g_assert_false (dsl_link_get_is_expired (after));
}

/* Revoke of a link someone made internal since it was read: the delete carries the server's
 * current state, and the link is gone. */
static void
test_revoke_current_state (void)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslItem) room = get_item (client, DSL_ITEM_KIND_ROOM, "101");
  g_autoptr(DslLink) seen = find_titled (DSL_ITEM_KIND_ROOM, "101", "Partners");
  g_autoptr(DslLink) theirs = dsl_link_copy (seen);
  g_autoptr(DslLink) after = NULL;
  g_autoptr(GError) error = NULL;
  DslLinkRemoval removal;

  dsl_link_set_internal (theirs, TRUE);
  second_admin_update (DSL_ITEM_KIND_ROOM, "101", theirs);

  removal = run_remove (client, room, seen, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (removal, ==, DSL_LINK_REMOVAL_REVOKE);
  after = find_id (DSL_ITEM_KIND_ROOM, "101", dsl_link_get_id (seen));
  g_assert_null (after);
}

static void
on_link_stored (DslClient  *client,
                int         kind,
                const char *item_id,
                const char *link_id,
                DslLink    *stored,
                gpointer    user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, g_strdup_printf ("%d %s %s %s", kind, item_id, link_id,
                                          stored != NULL ? "stored" : "removed"));
}

/* Every write the server answered is announced (the guard follows expiries through it). */
static void
test_link_stored_signal (void)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslItem) file = get_item (client, DSL_ITEM_KIND_FILE, "401");
  g_autoptr(DslLink) seen = find_titled (DSL_ITEM_KIND_FILE, "401", "Download blocked");
  g_autoptr(DslLinkChange) change = dsl_link_change_new (seen);
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DslLink) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expect_stored = NULL;
  g_autofree char *expect_removed = NULL;

  g_signal_connect (client, "link-stored", G_CALLBACK (on_link_stored), events);
  dsl_link_change_extend (change);
  stored = run_change (client, DSL_ITEM_KIND_FILE, "401", change, NULL, &error);
  g_assert_no_error (error);
  run_remove (client, file, stored, NULL, NULL, &error);
  g_assert_no_error (error);

  expect_stored = g_strdup_printf ("%d 401 %s stored", DSL_ITEM_KIND_FILE, dsl_link_get_id (seen));
  expect_removed = g_strdup_printf ("%d 401 %s removed", DSL_ITEM_KIND_FILE,
                                    dsl_link_get_id (seen));
  g_assert_cmpuint (events->len, ==, 2);
  g_assert_cmpstr (events->pdata[0], ==, expect_stored);
  g_assert_cmpstr (events->pdata[1], ==, expect_removed);
}

/* A public room's primary link (canRevoke) is regenerated: the replacement comes back. */
static void
test_regenerate (void)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslItem) room = get_item (client, DSL_ITEM_KIND_ROOM, "102");
  g_autoptr(GPtrArray) links = get_links (client, DSL_ITEM_KIND_ROOM, "102");
  g_autoptr(DslLink) replacement = NULL;
  g_autoptr(GError) error = NULL;
  DslLink *primary = NULL;
  DslLinkRemoval removal;

  for (guint i = 0; i < links->len; i++)
    if (dsl_link_get_can_revoke (links->pdata[i]))
      primary = links->pdata[i];
  g_assert_nonnull (primary);
  removal = run_remove (client, room, primary, &replacement, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (removal, ==, DSL_LINK_REMOVAL_REGENERATE);
  g_assert_nonnull (replacement);
  g_assert_cmpstr (dsl_link_get_id (replacement), !=, dsl_link_get_id (primary));
}

/* The room's invitation link: found by the re-read of all the room's links, and deleted. */
static void
test_remove_invitation (void)
{
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslItem) room = get_item (client, DSL_ITEM_KIND_ROOM, "101");
  g_autoptr(DslLink) seen = find_titled (DSL_ITEM_KIND_ROOM, "101", "Invitation link");
  g_autoptr(DslLink) after = NULL;
  g_autoptr(GError) error = NULL;
  DslLinkRemoval removal;

  g_assert_nonnull (seen);
  removal = run_remove (client, room, seen, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (removal, ==, DSL_LINK_REMOVAL_INVITATION);
  after = find_id (DSL_ITEM_KIND_ROOM, "101", dsl_link_get_id (seen));
  g_assert_null (after);
}

/* A create whose answer never came in time: the link is there, found by reading the list
 * again, never sent twice. */
static void
test_create_timed_out (void)
{
  g_autoptr(DslClient) reader = owner_client ();
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslItem) file = get_item (reader, DSL_ITEM_KIND_FILE, "401");
  g_autoptr(GPtrArray) before = get_links (reader, DSL_ITEM_KIND_FILE, "401");
  g_autoptr(GPtrArray) known = g_ptr_array_new ();
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) created = NULL;
  g_autoptr(DslLink) after = NULL;
  g_autoptr(GError) error = NULL;
  gboolean reconciled = FALSE;
  Wait w = { NULL };

  for (guint i = 0; i < before->len; i++)
    g_ptr_array_add (known, (gpointer) dsl_link_get_id (before->pdata[i]));
  g_ptr_array_add (known, NULL);

  dsl_link_set_title (state, "Temporary for Anna");
  /* A new client: the timeout applies to the connections it opens from now on. */
  dsl_client_set_timeout (client, 1);
  g_assert_true (dsl_sim_set_faults (sim, "stall=2500,count=1,path=/api/2.0/files/file/401/links",
                                     &error));
  g_assert_no_error (error);
  dsl_sim_clear_requests (sim, NULL);

  dsl_link_ops_create_async (client, file, state, (const char * const *) known->pdata, NULL,
                             on_done, &w);
  created = dsl_link_ops_create_finish (client, wait_for (&w), &reconciled, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_true (reconciled);
  g_assert_cmpstr (dsl_link_get_title (created), ==, "Temporary for Anna");
  g_assert_cmpuint (count_puts ("/api/2.0/files/file/401/links"), ==, 1);
  after = find_titled (DSL_ITEM_KIND_FILE, "401", "Temporary for Anna");
  g_assert_cmpstr (dsl_link_get_id (after), ==, dsl_link_get_id (created));
  dsl_sim_set_faults (sim, "none", NULL);
}

/* Create and Copy asks for the primary link without a title: a timed-out one is found too. */
static void
test_create_primary_timed_out (void)
{
  g_autoptr(DslClient) reader = owner_client ();
  g_autoptr(DslClient) client = owner_client ();
  g_autoptr(DslItem) file = get_item (reader, DSL_ITEM_KIND_FILE, "402");
  g_autoptr(DslLink) state = dsl_link_new ();
  g_autoptr(DslLink) created = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  gboolean reconciled = FALSE;
  Wait w = { NULL };

  dsl_link_set_primary (state, TRUE);
  dsl_client_set_timeout (client, 1);
  g_assert_true (dsl_sim_set_faults (sim, "stall=2500,count=1,path=/api/2.0/files/file/402/link",
                                     &error));
  dsl_link_ops_create_async (client, file, state, NULL, NULL, on_done, &w);
  created = dsl_link_ops_create_finish (client, wait_for (&w), &reconciled, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_true (reconciled);
  g_assert_true (dsl_link_get_primary (created));
  g_assert_cmpuint (dsl_sim_count_requests (sim, "POST", "/api/2.0/files/file/402/link"), ==, 1);
  after = get_links (reader, DSL_ITEM_KIND_FILE, "402");
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (dsl_link_get_id (after->pdata[0]), ==, dsl_link_get_id (created));
  dsl_sim_set_faults (sim, "none", NULL);
}

static void
add (const char *path,
     GTestFunc   func)
{
  g_test_add_func (path, func);
}

static void
with_reset (gconstpointer data)
{
  reset ();
  ((GTestFunc) data) ();
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  static const struct { const char *path; GTestFunc func; } portal[] = {
    { "/dsl/link-ops/extend-keeps-others-changes", test_extend_keeps_others_changes },
    { "/dsl/link-ops/extend-conflict", test_extend_conflict },
    { "/dsl/link-ops/rename-keeps-password", test_rename_keeps_password },
    { "/dsl/link-ops/gone", test_gone },
    { "/dsl/link-ops/remove-expired-extended", test_remove_expired_extended },
    { "/dsl/link-ops/revoke-current-state", test_revoke_current_state },
    { "/dsl/link-ops/link-stored-signal", test_link_stored_signal },
    { "/dsl/link-ops/regenerate", test_regenerate },
    { "/dsl/link-ops/remove-invitation", test_remove_invitation },
    { "/dsl/link-ops/create-timed-out", test_create_timed_out },
    { "/dsl/link-ops/create-primary-timed-out", test_create_primary_timed_out },
  };
  int status;

  g_test_init (&argc, &argv, NULL);
  add ("/dsl/link-ops/extend-meaning", test_extend_meaning);
  add ("/dsl/link-ops/apply-only-the-change", test_apply_only_the_change);
  add ("/dsl/link-ops/conflict-words", test_conflict_words);
  add ("/dsl/link-ops/removal-kinds", test_removal_kinds);
  for (guint i = 0; i < G_N_ELEMENTS (portal); i++)
    g_test_add_data_func (portal[i].path, portal[i].func, with_reset);

  sim = dsl_sim_start (NULL, &error);
  g_assert_no_error (error);
  status = g_test_run ();
  dsl_sim_stop (sim);
  return status;
}

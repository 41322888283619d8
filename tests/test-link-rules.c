/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-link-rules.c: core's rules for removing links and for invitation links
 * (dsl-link-rules.c, issue 12 rules 1 and 2), on their own and against docspace-sim for every
 * role of its users: whatever dsl_link_rules_can_remove says must be what the portal does when
 * the delete is sent. The simulator's side is read from the server's FileSharing.cs and
 * FileSecurity.cs (tests/sim/dsl-sim-state.c). */
#define G_LOG_DOMAIN "dsl-test"

#include <gio/gio.h>

#include "dsl-client.h"
#include "dsl-error.h"
#include "dsl-link-rules.h"
#include "dsl-sim-fixture.h"

static DslSim *sim;

static const char *const keys[] = { "sk-demo-owner", "sk-demo-user", "sk-demo-guest" };

/* --- without a portal --- */

static DslItem *
item_new (DslItemKind kind,
          DslRoomType room_type,
          gboolean    can_share)
{
  DslItem *item = dsl_item_new (kind, "1", "Item");

  g_object_set (item, "room-type", room_type, "can-share", can_share, NULL);
  return item;
}

static DslLink *
external_link (gboolean primary)
{
  DslLink *link = dsl_link_new ();

  dsl_link_set_id (link, "a1b2");
  dsl_link_set_link_type (link, DSL_LINK_TYPE_EXTERNAL);
  dsl_link_set_primary (link, primary);
  dsl_link_set_subject_type (link, primary ? DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK
                                           : DSL_SUBJECT_TYPE_EXTERNAL_LINK);
  return link;
}

/* Files: anyone who may share removes links, None listed or not. */
static void
test_file (void)
{
  g_autoptr(DslItem) file = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslItem) viewer = item_new (DSL_ITEM_KIND_FILE, DSL_ROOM_TYPE_NONE, FALSE);
  g_autoptr(DslLink) link = external_link (FALSE);
  const DslAccess rights[] = { DSL_ACCESS_EDITING, DSL_ACCESS_READ };

  dsl_item_set_share_rights (file, DSL_SUBJECT_TYPE_EXTERNAL_LINK, rights, G_N_ELEMENTS (rights));
  g_assert_true (dsl_link_rules_can_remove (file, link));
  g_assert_false (dsl_link_rules_can_remove (viewer, link));
}

/* Rooms: anyone who may share, although None is listed for the creator only. */
static void
test_room (void)
{
  g_autoptr(DslItem) room = item_new (DSL_ITEM_KIND_ROOM, DSL_ROOM_TYPE_CUSTOM, TRUE);
  g_autoptr(DslLink) primary = external_link (TRUE);
  const DslAccess rights[] = { DSL_ACCESS_EDITING, DSL_ACCESS_READ };

  dsl_item_set_share_rights (room, DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK, rights,
                             G_N_ELEMENTS (rights));
  g_assert_true (dsl_link_rules_can_remove (room, primary));
}

/* Plain folders: only when None is listed (the folder's creator). */
static void
test_folder (void)
{
  g_autoptr(DslItem) folder = item_new (DSL_ITEM_KIND_FOLDER, DSL_ROOM_TYPE_NONE, TRUE);
  g_autoptr(DslLink) link = external_link (FALSE);
  const DslAccess others[] = { DSL_ACCESS_EDITING, DSL_ACCESS_READ };
  const DslAccess creator[] = { DSL_ACCESS_EDITING, DSL_ACCESS_READ, DSL_ACCESS_NONE };

  dsl_item_set_share_rights (folder, DSL_SUBJECT_TYPE_EXTERNAL_LINK, others,
                             G_N_ELEMENTS (others));
  g_assert_false (dsl_link_rules_can_remove (folder, link));
  dsl_item_set_share_rights (folder, DSL_SUBJECT_TYPE_EXTERNAL_LINK, creator,
                             G_N_ELEMENTS (creator));
  g_assert_true (dsl_link_rules_can_remove (folder, link));
}

/* Invitation links: every room type, with EditAccess; never Room manager. */
static void
test_invitation (void)
{
  static const DslRoomType types[] = {
    DSL_ROOM_TYPE_CUSTOM, DSL_ROOM_TYPE_PUBLIC, DSL_ROOM_TYPE_FILLING_FORMS,
    DSL_ROOM_TYPE_EDITING, DSL_ROOM_TYPE_VIRTUAL_DATA, DSL_ROOM_TYPE_AI,
  };
  g_autoptr(DslItem) folder = item_new (DSL_ITEM_KIND_FOLDER, DSL_ROOM_TYPE_NONE, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(DslItem) room = item_new (DSL_ITEM_KIND_ROOM, types[i], FALSE);
      gsize n = 0;
      const DslAccess *roles = dsl_link_rules_invitation_roles (types[i], &n);

      g_assert_nonnull (roles);
      g_assert_cmpint (roles[0], ==, DSL_ACCESS_CONTENT_CREATOR);
      for (gsize j = 0; j < n; j++)
        {
          g_assert_cmpint (roles[j], !=, DSL_ACCESS_ROOM_MANAGER);
          g_assert_cmpint (roles[j], !=, DSL_ACCESS_NONE);
        }
      g_assert_false (dsl_link_rules_has_invitation (room));
      dsl_item_set_security (room, "EditAccess", TRUE);
      g_assert_true (dsl_link_rules_has_invitation (room));
      roles = dsl_link_rules_roles (room, DSL_SUBJECT_TYPE_INVITATION_LINK, &n);
      g_assert_nonnull (roles);
    }
  dsl_item_set_security (folder, "EditAccess", TRUE);
  g_assert_false (dsl_link_rules_has_invitation (folder));
}

/* --- against the portal --- */

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
client_for (const char *key)
{
  DslClient *client = dsl_client_new (dsl_sim_get_url (sim));

  dsl_client_set_api_key (client, key);
  return client;
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
  g_clear_object (&w.result);
  if (item == NULL)
    g_assert_true (g_error_matches (error, DSL_ERROR, DSL_ERROR_FORBIDDEN) ||
                   g_error_matches (error, DSL_ERROR, DSL_ERROR_NOT_FOUND));
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

  dsl_client_list_links_async (client, kind, id, kind == DSL_ITEM_KIND_ROOM ? 1 : -1, NULL,
                               on_done, &w);
  links = dsl_client_list_links_finish (client, wait_for (&w), &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
  return links;
}

/* Olivia makes a link on folder 201 in room 101, so that the folder's links have a creator
 * other than Ulrich, its room's manager. */
static void
seed_folder_link (void)
{
  g_autoptr(DslClient) owner = client_for (keys[0]);
  g_autoptr(DslLink) initial = dsl_link_new ();
  g_autoptr(DslLink) link = NULL;
  g_autoptr(GError) error = NULL;
  Wait w = { NULL };

  dsl_client_get_primary_link_async (owner, DSL_ITEM_KIND_FOLDER, "201", initial, NULL,
                                     on_done, &w);
  link = dsl_client_get_primary_link_finish (owner, wait_for (&w), &error);
  g_assert_no_error (error);
  g_clear_object (&w.result);
}

typedef struct {
  DslItemKind kind;
  const char *id;
} Case;

/* For every user and item: what the rule says about the item's first link is what happens
 * when the delete is sent. */
static void
test_agrees_with_portal (void)
{
  static const Case cases[] = {
    { DSL_ITEM_KIND_FILE, "301" },    /* file in a custom room */
    { DSL_ITEM_KIND_FILE, "331" },    /* file in a collaboration room */
    { DSL_ITEM_KIND_FILE, "401" },    /* file in Olivia's My documents */
    { DSL_ITEM_KIND_ROOM, "101" },    /* custom room */
    { DSL_ITEM_KIND_ROOM, "102" },    /* public room (canRevoke primary) */
    { DSL_ITEM_KIND_FOLDER, "201" },  /* folder in a custom room, link by Olivia */
    { DSL_ITEM_KIND_FOLDER, "501" },  /* folder in Olivia's My documents */
  };
  guint allowed = 0, refused = 0;

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(DslClient) client = client_for (keys[k]);
        g_autoptr(DslItem) item = NULL;
        g_autoptr(GPtrArray) links = NULL;
        g_autoptr(GPtrArray) owner_links = NULL;
        g_autoptr(DslClient) owner = client_for (keys[0]);
        g_autoptr(GError) error = NULL;
        g_autoptr(DslLink) replacement = NULL;
        DslLink *link;
        gboolean rule, done;
        Wait w = { NULL };

        g_assert_true (dsl_sim_reset (sim, &error));
        seed_folder_link ();
        item = get_item (client, cases[i].kind, cases[i].id);
        if (item == NULL)
          continue;
        /* the link as its owner lists it (someone without rights is listed nothing) */
        owner_links = get_links (owner, cases[i].kind, cases[i].id);
        g_assert_cmpuint (owner_links->len, >, 0);
        link = g_ptr_array_index (owner_links, 0);
        rule = dsl_link_rules_can_remove (item, link);

        dsl_client_delete_link_async (client, cases[i].kind, cases[i].id, link, NULL,
                                      on_done, &w);
        done = dsl_client_delete_link_finish (client, wait_for (&w), &replacement, &error);
        g_clear_object (&w.result);
        links = get_links (owner, cases[i].kind, cases[i].id);
        for (guint j = 0; done && j < links->len; j++)
          g_assert_cmpstr (dsl_link_get_id (g_ptr_array_index (links, j)), !=,
                           dsl_link_get_id (link));
        if (rule != done)
          g_error ("%s on %s %s: the rule says %s, the portal %s (%s)", keys[k],
                   cases[i].kind == DSL_ITEM_KIND_FILE ? "file" :
                   cases[i].kind == DSL_ITEM_KIND_ROOM ? "room" : "folder", cases[i].id,
                   rule ? "yes" : "no", done ? "deleted it" : "refused",
                   error != NULL ? error->message : "");
        if (rule)
          allowed++;
        else
          refused++;
      }
  /* both answers occur, for the owner, the room manager and the guest together */
  g_assert_cmpuint (allowed, >=, 7);
  g_assert_cmpuint (refused, >=, 2);
}

/* Rule 2 in words: Ulrich, room manager of 101 but creator of nothing, may delete the links of
 * the room and of its files, not of its folder 201. */
static void
test_room_manager (void)
{
  g_autoptr(DslClient) user = client_for (keys[1]);
  g_autoptr(DslItem) room = NULL;
  g_autoptr(DslItem) file = NULL;
  g_autoptr(DslItem) folder = NULL;
  g_autoptr(DslLink) link = external_link (FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_true (dsl_sim_reset (sim, &error));
  seed_folder_link ();
  room = get_item (user, DSL_ITEM_KIND_ROOM, "101");
  file = get_item (user, DSL_ITEM_KIND_FILE, "301");
  folder = get_item (user, DSL_ITEM_KIND_FOLDER, "201");
  g_assert_false (dsl_item_allows_share_right (room, DSL_SUBJECT_TYPE_EXTERNAL_LINK,
                                               DSL_ACCESS_NONE));
  g_assert_true (dsl_link_rules_can_remove (room, link));
  g_assert_false (dsl_item_allows_share_right (file, DSL_SUBJECT_TYPE_EXTERNAL_LINK,
                                               DSL_ACCESS_NONE));
  g_assert_true (dsl_link_rules_can_remove (file, link));
  g_assert_true (dsl_item_get_can_share (folder));
  g_assert_false (dsl_link_rules_can_remove (folder, link));
  /* Rule 1: a room whose members Ulrich manages has an invitation link; one he only views
   * (collaboration room 104) has not, for Olivia it has */
  g_assert_true (dsl_link_rules_has_invitation (room));
  {
    g_autoptr(DslItem) viewed = get_item (user, DSL_ITEM_KIND_ROOM, "104");
    g_autoptr(DslClient) owner = client_for (keys[0]);
    g_autoptr(DslItem) owned = get_item (owner, DSL_ITEM_KIND_ROOM, "104");

    g_assert_false (dsl_link_rules_has_invitation (viewed));
    g_assert_true (dsl_link_rules_has_invitation (owned));
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dsl/link-rules/file", test_file);
  g_test_add_func ("/dsl/link-rules/room", test_room);
  g_test_add_func ("/dsl/link-rules/folder", test_folder);
  g_test_add_func ("/dsl/link-rules/invitation", test_invitation);
  g_test_add_func ("/dsl/link-rules/room-manager", test_room_manager);
  g_test_add_func ("/dsl/link-rules/agrees-with-portal", test_agrees_with_portal);

  sim = dsl_sim_start (NULL, &error);
  g_assert_no_error (error);
  status = g_test_run ();
  dsl_sim_stop (sim);
  return status;
}

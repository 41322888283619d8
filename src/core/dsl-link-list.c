/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-list.c: see dsl-link-list.h.
 *
 *   set_item / set_client ──▶ the item's GCancellable cancelled and replaced, model emptied
 *        │
 *        ▼ load ()       load_serial++ (a reload drops the answers of the loads before it)
 *   cannot have links ──▶ nothing read (a room whose invitation the person manages: ?type=0)
 *   file / folder     ──▶ GET …/links                                   ─┐ only answers of
 *   room              ──▶ GET rooms/{id}/links?type=1 ∥ GET …?type=0     ─┤ the newest load
 *                                                                         ▼ count
 *                         "error" │ the links, primary first + "invitation" ("loaded")
 *
 *   remove / change / create ──▶ dsl-link-ops (re-read, compare, write), the link busy
 *        ├─ the client's "link-stored" ──▶ the model takes what the server stored
 *        ├─ success ──▶ "links-changed", the item read again (its badges)
 *        └─ failure ──▶ the link's error; timeout ──▶ the list read again; gone ──▶ dropped */
#define G_LOG_DOMAIN "dsl-link-list"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-error.h"
#include "dsl-link-form.h"
#include "dsl-link-list.h"
#include "dsl-link-rules.h"

struct _DslLinkList
{
  GObject        parent_instance;

  /* owned */
  DslClient     *client;
  DslItem       *item;
  GCancellable  *cancellable;       /* everything asked for `item` */
  GCancellable  *load_cancellable;  /* the load in flight */
  GPtrArray     *links;             /* DslLink: external links, primary first */
  DslLink       *invitation;
  char          *error;
  char          *invitation_error;
  char          *create_error;
  GHashTable    *busy;              /* link id -> TRUE while an operation is in flight */
  GHashTable    *errors;            /* link id -> message of the last failed operation */
  /* what the newest load received so far */
  GPtrArray     *incoming_links;
  DslLink       *incoming_invitation;
  GError        *incoming_error;
  GError        *incoming_invitation_error;

  /* plain values */
  gulong         stored_id;
  guint          load_serial;
  guint          pending;           /* answers the newest load still waits for */
  gboolean       loading;
  gboolean       loaded;
  gboolean       creating;
  gboolean       creating_invitation;
  gboolean       wants_invitation;
  gboolean       invitation_only;   /* cannot have external links; the invitation is read */
};

static void dsl_link_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DslLinkList, dsl_link_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, dsl_link_list_model_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ITEM,
  PROP_LOADING,
  PROP_LOADED,
  PROP_ERROR,
  PROP_INVITATION,
  PROP_INVITATION_ERROR,
  PROP_CREATE_ERROR,
  PROP_CREATING,
  PROP_CREATING_INVITATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LINK_STATE_CHANGED,
  LINKS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* --- small helpers --- */

static gboolean
is_primary (DslLink *link)
{
  return dsl_link_get_primary (link) ||
         dsl_link_get_subject_type (link) == DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK;
}

static gboolean
set_bool (DslLinkList *self,
          gboolean    *field,
          gboolean     value,
          guint        prop)
{
  if (*field == !!value)
    return FALSE;
  *field = !!value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

static void
set_string (DslLinkList *self,
            char       **field,
            const char  *value,
            guint        prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_invitation (DslLinkList *self,
                DslLink     *link)
{
  if (g_set_object (&self->invitation, link))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVITATION]);
}

/* Replaces the model's links (`links` taken, NULL = none). */
static void
set_links (DslLinkList *self,
           GPtrArray   *links)
{
  guint removed = self->links->len;

  g_ptr_array_unref (self->links);
  self->links = links != NULL ? links : g_ptr_array_new_with_free_func (g_object_unref);
  if (removed > 0 || self->links->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->links->len);
}

static gboolean
find_position (DslLinkList *self,
               const char  *link_id,
               guint       *position)
{
  for (guint i = 0; link_id != NULL && i < self->links->len; i++)
    if (g_strcmp0 (dsl_link_get_id (self->links->pdata[i]), link_id) == 0)
      {
        *position = i;
        return TRUE;
      }
  return FALSE;
}

/* The tree's row of the item shows an "expired links" badge from this. */
static void
update_expired_badge (DslLinkList *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean expired = self->invitation != NULL && dsl_link_is_expired_at (self->invitation, now);

  for (guint i = 0; i < self->links->len && !expired; i++)
    expired = dsl_link_is_expired_at (self->links->pdata[i], now);
  if (self->item != NULL)
    dsl_item_set_has_expired_links (self->item, expired);
}

/* The model takes the server's state of a link: `stored` replaces the link with `link_id` or
 * is added (primary first); NULL drops it. */
static void
take_stored (DslLinkList *self,
             const char  *link_id,
             DslLink     *stored)
{
  g_autoptr(DslLink) copy = stored != NULL ? dsl_link_copy (stored) : NULL;
  guint position;

  if (self->invitation != NULL &&
      g_strcmp0 (dsl_link_get_id (self->invitation), link_id) == 0 &&
      (copy == NULL || dsl_link_is_invitation (copy)))
    set_invitation (self, copy);
  else if (copy != NULL && dsl_link_is_invitation (copy))
    set_invitation (self, copy);
  else if (find_position (self, link_id, &position))
    {
      if (copy != NULL)
        {
          g_object_unref (self->links->pdata[position]);
          self->links->pdata[position] = g_steal_pointer (&copy);
          g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
        }
      else
        {
          g_ptr_array_remove_index (self->links, position);
          g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
        }
    }
  else if (copy != NULL && !self->invitation_only)
    {
      position = is_primary (copy) ? 0 : self->links->len;
      g_ptr_array_insert (self->links, position, g_steal_pointer (&copy));
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
    }
  else
    return;
  update_expired_badge (self);
}

static void
on_link_stored (DslLinkList *self,
                int          kind,
                const char  *item_id,
                const char  *link_id,
                DslLink     *stored)
{
  if (self->item == NULL || !self->loaded || kind != (int) dsl_item_get_kind (self->item) ||
      g_strcmp0 (item_id, dsl_item_get_id (self->item)) != 0)
    return;
  take_stored (self, link_id, stored);
}

static void
set_link_state (DslLinkList *self,
                const char  *link_id,
                gboolean     busy,
                const char  *message)
{
  gboolean was_busy = g_hash_table_contains (self->busy, link_id);
  const char *was_error = g_hash_table_lookup (self->errors, link_id);

  if (was_busy == busy && g_strcmp0 (was_error, message) == 0)
    return;
  if (busy)
    g_hash_table_add (self->busy, g_strdup (link_id));
  else
    g_hash_table_remove (self->busy, link_id);
  if (message != NULL)
    g_hash_table_replace (self->errors, g_strdup (link_id), g_strdup (message));
  else
    g_hash_table_remove (self->errors, link_id);
  g_signal_emit (self, signals[LINK_STATE_CHANGED], 0, link_id);
}

/* --- load --- */

static void load (DslLinkList *self);

static void
clear_incoming (DslLinkList *self)
{
  g_clear_pointer (&self->incoming_links, g_ptr_array_unref);
  g_clear_object (&self->incoming_invitation);
  g_clear_error (&self->incoming_error);
  g_clear_error (&self->incoming_invitation_error);
}

static int
compare_primary_first (gconstpointer a,
                       gconstpointer b)
{
  return (int) is_primary (*(DslLink **) b) - (int) is_primary (*(DslLink **) a);
}

/* Every answer of the newest load is in. */
static void
apply_load (DslLinkList *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_bool (self, &self->loading, FALSE, PROP_LOADING);
  if (self->incoming_error != NULL)
    {
      set_links (self, NULL);
      set_invitation (self, NULL);
      set_bool (self, &self->loaded, FALSE, PROP_LOADED);
      set_string (self, &self->error, self->incoming_error->message, PROP_ERROR);
    }
  else
    {
      if (!self->invitation_only)
        {
          /* The server sends the primary link first; keep it so whatever it sends. */
          g_ptr_array_sort (self->incoming_links, compare_primary_first);
          set_links (self, g_steal_pointer (&self->incoming_links));
        }
      set_invitation (self, self->incoming_invitation);
      set_string (self, &self->invitation_error,
                  self->incoming_invitation_error != NULL
                  ? self->incoming_invitation_error->message : NULL, PROP_INVITATION_ERROR);
      set_bool (self, &self->loaded, TRUE, PROP_LOADED);
      update_expired_badge (self);
    }
  clear_incoming (self);
  g_object_thaw_notify (G_OBJECT (self));
}

typedef struct {
  DslLinkList *self;     /* owned */
  guint        serial;
} LoadData;

static LoadData *
load_data_new (DslLinkList *self)
{
  LoadData *data = g_new0 (LoadData, 1);

  data->self = g_object_ref (self);
  data->serial = self->load_serial;
  return data;
}

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

/* Counts one answer of the newest load; after the last, the load applies. */
static void
answered (DslLinkList *self)
{
  g_assert (self->pending > 0);
  if (--self->pending == 0)
    apply_load (self);
}

static void
list_links_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  DslLinkList *self = data->self;
  g_autoptr(GError) error = NULL;
  GPtrArray *links = dsl_client_list_links_finish (DSL_CLIENT (object), result, &error);

  /* A stale answer (another item, or a newer load) is dropped, whatever it says. */
  if (data->serial != self->load_serial ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&links, g_ptr_array_unref);
      return;
    }
  self->incoming_links = links;
  self->incoming_error = g_steal_pointer (&error);
  answered (self);
}

static void
get_invitation_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  DslLinkList *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) link = NULL;

  dsl_client_get_invitation_link_finish (DSL_CLIENT (object), result, &link, &error);
  if (data->serial != self->load_serial ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->incoming_invitation = g_steal_pointer (&link);
  self->incoming_invitation_error = g_steal_pointer (&error);
  answered (self);
}

/* Reads the links of the item: one request, two for rooms (in parallel). */
static void
load (DslLinkList *self)
{
  DslItemKind kind;
  const char *id;
  gboolean can_links;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_serial++;
  self->pending = 0;
  clear_incoming (self);

  g_object_freeze_notify (G_OBJECT (self));
  set_string (self, &self->error, NULL, PROP_ERROR);
  self->invitation_only = FALSE;
  self->wants_invitation = self->item != NULL && dsl_link_rules_has_invitation (self->item);
  can_links = self->item != NULL && dsl_link_form_explain_no_links (self->item) == NULL;

  if (self->item == NULL || self->client == NULL || (!can_links && !self->wants_invitation))
    {
      set_links (self, NULL);
      set_invitation (self, NULL);
      set_bool (self, &self->loaded, FALSE, PROP_LOADED);
      set_bool (self, &self->loading, FALSE, PROP_LOADING);
      g_object_thaw_notify (G_OBJECT (self));
      return;
    }

  kind = dsl_item_get_kind (self->item);
  id = dsl_item_get_id (self->item);
  self->load_cancellable = g_cancellable_new ();
  if (!can_links)
    {
      /* Every room type has an invitation link, also those without external links. */
      self->invitation_only = TRUE;
      set_links (self, NULL);
      set_invitation (self, NULL);
      set_bool (self, &self->loaded, FALSE, PROP_LOADED);
    }
  else
    {
      self->pending++;
      dsl_client_list_links_async (self->client, kind, id, kind == DSL_ITEM_KIND_ROOM ? 1 : -1,
                                   self->load_cancellable, list_links_cb, load_data_new (self));
    }
  if (self->wants_invitation)
    {
      self->pending++;
      dsl_client_get_invitation_link_async (self->client, id, self->load_cancellable,
                                            get_invitation_cb, load_data_new (self));
    }
  set_bool (self, &self->loading, TRUE, PROP_LOADING);
  g_object_thaw_notify (G_OBJECT (self));
}

/* A new item or client: whatever is in flight belongs to the old one. */
static void
restart (DslLinkList *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_object_freeze_notify (G_OBJECT (self));
  g_hash_table_remove_all (self->busy);
  g_hash_table_remove_all (self->errors);
  set_bool (self, &self->creating, FALSE, PROP_CREATING);
  set_bool (self, &self->creating_invitation, FALSE, PROP_CREATING_INVITATION);
  set_string (self, &self->create_error, NULL, PROP_CREATE_ERROR);
  set_string (self, &self->invitation_error, NULL, PROP_INVITATION_ERROR);
  set_links (self, NULL);
  set_invitation (self, NULL);
  set_bool (self, &self->loaded, FALSE, PROP_LOADED);
  load (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* --- after an operation --- */

static void
get_item_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DslLinkList) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslItem) fresh = dsl_client_get_item_finish (DSL_CLIENT (object), result, &error);

  if (fresh == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the item again: %s", error->message);
      return;
    }
  if (self->item != NULL && g_strcmp0 (dsl_item_get_id (self->item), dsl_item_get_id (fresh)) == 0)
    dsl_item_update_from (self->item, fresh);
}

/* A remove, change or create went through: tell, and read the item again (its badges). */
static void
links_changed (DslLinkList *self)
{
  update_expired_badge (self);
  g_signal_emit (self, signals[LINKS_CHANGED], 0);
  if (self->item != NULL && self->client != NULL)
    dsl_client_get_item_async (self->client, dsl_item_get_kind (self->item),
                               dsl_item_get_id (self->item), self->cancellable, get_item_cb,
                               g_object_ref (self));
}

/* An operation's own data (the GTask's task data). */
typedef struct {
  char           *link_id;
  DslLinkChange  *change;
  DslLink        *current;
  DslLink        *replacement;
  DslLinkRemoval  removal;
  gboolean        invitation;
} Op;

static void
op_free (Op *op)
{
  g_free (op->link_id);
  g_clear_pointer (&op->change, dsl_link_change_free);
  g_clear_object (&op->current);
  g_clear_object (&op->replacement);
  g_free (op);
}

/* A GTask for an operation on `link_id`, or NULL after returning why it cannot start. */
static GTask *
op_start (DslLinkList         *self,
          const char          *link_id,
          gpointer             source_tag,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  op->link_id = g_strdup (link_id);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  if (self->client == NULL || self->item == NULL ||
      (link_id != NULL && dsl_link_list_find (self, link_id) == NULL))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("This link is no longer listed."));
      return NULL;
    }
  if (link_id != NULL && g_hash_table_contains (self->busy, link_id))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "%s",
                               _("This link is being changed."));
      return NULL;
    }
  if (link_id != NULL)
    set_link_state (self, link_id, TRUE, NULL);
  return g_steal_pointer (&task);
}

/* An operation on a link failed (not cancelled): the link's state says why. */
static void
op_failed (DslLinkList  *self,
           Op           *op,
           const GError *error)
{
  guint position;

  if (op->current != NULL)
    take_stored (self, op->link_id, op->current);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      /* The portal may have done it: read the list, never send the request again. */
      set_link_state (self, op->link_id, FALSE, NULL);
      load (self);
      return;
    }
  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_GONE) &&
      find_position (self, op->link_id, &position))
    take_stored (self, op->link_id, NULL);
  set_link_state (self, op->link_id, FALSE,
                  g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_CONFLICT) && op->change != NULL
                  ? NULL : error->message);
}

/* --- public --- */

DslLinkList *
dsl_link_list_new (DslClient *client,
                   DslItem   *item)
{
  g_return_val_if_fail (client == NULL || DSL_IS_CLIENT (client), NULL);
  g_return_val_if_fail (item == NULL || DSL_IS_ITEM (item), NULL);

  return g_object_new (DSL_TYPE_LINK_LIST, "client", client, "item", item, NULL);
}

DslClient *
dsl_link_list_get_client (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), NULL);
  return self->client;
}

void
dsl_link_list_set_client (DslLinkList *self,
                          DslClient   *client)
{
  g_return_if_fail (DSL_IS_LINK_LIST (self));
  g_return_if_fail (client == NULL || DSL_IS_CLIENT (client));

  if (self->client == client)
    return;
  if (self->client != NULL)
    g_clear_signal_handler (&self->stored_id, self->client);
  g_set_object (&self->client, client);
  if (client != NULL)
    self->stored_id = g_signal_connect_swapped (client, "link-stored",
                                                G_CALLBACK (on_link_stored), self);
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

DslItem *
dsl_link_list_get_item (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), NULL);
  return self->item;
}

void
dsl_link_list_set_item (DslLinkList *self,
                        DslItem     *item)
{
  g_return_if_fail (DSL_IS_LINK_LIST (self));
  g_return_if_fail (item == NULL || DSL_IS_ITEM (item));

  if (!g_set_object (&self->item, item))
    return;
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

gboolean
dsl_link_list_get_loading (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), FALSE);
  return self->loading;
}

gboolean
dsl_link_list_get_loaded (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), FALSE);
  return self->loaded;
}

const char *
dsl_link_list_get_error (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), NULL);
  return self->error;
}

DslLink *
dsl_link_list_get_invitation (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), NULL);
  return self->invitation;
}

const char *
dsl_link_list_get_invitation_error (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), NULL);
  return self->invitation_error;
}

const char *
dsl_link_list_get_create_error (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), NULL);
  return self->create_error;
}

gboolean
dsl_link_list_get_creating (DslLinkList *self,
                            gboolean     invitation)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), FALSE);
  return invitation ? self->creating_invitation : self->creating;
}

gboolean
dsl_link_list_get_wants_invitation (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), FALSE);
  return self->wants_invitation;
}

void
dsl_link_list_reload (DslLinkList *self)
{
  g_return_if_fail (DSL_IS_LINK_LIST (self));
  load (self);
}

void
dsl_link_list_changed_elsewhere (DslLinkList *self)
{
  g_return_if_fail (DSL_IS_LINK_LIST (self));
  links_changed (self);
  load (self);
}

int
dsl_link_list_get_links_left (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), 0);

  if (!self->loaded || self->item == NULL)
    return 0;
  return dsl_link_form_links_left (self->item, self->links);
}

DslLink *
dsl_link_list_find (DslLinkList *self,
                    const char  *link_id)
{
  guint position;

  g_return_val_if_fail (DSL_IS_LINK_LIST (self), NULL);

  if (link_id == NULL || *link_id == '\0')
    return NULL;
  if (self->invitation != NULL && g_strcmp0 (dsl_link_get_id (self->invitation), link_id) == 0)
    return self->invitation;
  return find_position (self, link_id, &position) ? self->links->pdata[position] : NULL;
}

DslLink *
dsl_link_list_get_primary (DslLinkList *self)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), NULL);

  for (guint i = 0; i < self->links->len; i++)
    if (is_primary (self->links->pdata[i]) && dsl_link_get_share_link (self->links->pdata[i]))
      return self->links->pdata[i];
  return NULL;
}

gboolean
dsl_link_list_get_busy (DslLinkList *self,
                        const char  *link_id)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), FALSE);
  return link_id != NULL && g_hash_table_contains (self->busy, link_id);
}

const char *
dsl_link_list_get_error_for (DslLinkList *self,
                             const char  *link_id)
{
  g_return_val_if_fail (DSL_IS_LINK_LIST (self), NULL);
  return link_id != NULL ? g_hash_table_lookup (self->errors, link_id) : NULL;
}

/* remove */

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DslLinkList *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->removal = dsl_link_ops_remove_finish (DSL_CLIENT (object), result, &op->replacement,
                                            &op->current, &error);
  if (g_task_return_error_if_cancelled (task))
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    {
      op_failed (self, op, error);
      g_task_return_error (task, error);
      return;
    }
  /* The link-stored signal took the link off the model (and added a replacement). */
  set_link_state (self, op->link_id, FALSE, NULL);
  links_changed (self);
  g_task_return_boolean (task, TRUE);
}

void
dsl_link_list_remove_async (DslLinkList         *self,
                            const char          *link_id,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DSL_IS_LINK_LIST (self));
  g_return_if_fail (link_id != NULL);

  task = op_start (self, link_id, dsl_link_list_remove_async, callback, user_data);
  if (task != NULL)
    dsl_link_ops_remove_async (self->client, self->item, dsl_link_list_find (self, link_id),
                               self->cancellable, remove_cb, task);
}

DslLinkRemoval
dsl_link_list_remove_finish (DslLinkList   *self,
                             GAsyncResult  *result,
                             DslLink      **replacement,
                             GError       **error)
{
  Op *op;

  g_return_val_if_fail (g_task_is_valid (result, self), DSL_LINK_REMOVAL_NOT_ALLOWED);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_link_list_remove_async),
                        DSL_LINK_REMOVAL_NOT_ALLOWED);

  op = g_task_get_task_data (G_TASK (result));
  if (replacement != NULL)
    *replacement = NULL;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return DSL_LINK_REMOVAL_NOT_ALLOWED;
  if (replacement != NULL && op->replacement != NULL)
    *replacement = g_object_ref (op->replacement);
  return op->removal;
}

/* change */

static void
change_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DslLinkList *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  DslLink *stored;

  stored = dsl_link_ops_change_finish (DSL_CLIENT (object), result, &op->current, &error);
  if (g_task_return_error_if_cancelled (task))
    {
      g_clear_object (&stored);
      g_clear_error (&error);
      return;
    }
  if (stored == NULL)
    {
      op_failed (self, op, error);
      g_task_return_error (task, error);
      return;
    }
  /* The model took it through link-stored; a change that sent nothing (the server had it
   * already) is taken here. */
  take_stored (self, op->link_id, stored);
  set_link_state (self, op->link_id, FALSE, NULL);
  links_changed (self);
  g_task_return_pointer (task, stored, g_object_unref);
}

void
dsl_link_list_change_async (DslLinkList         *self,
                            DslLinkChange       *change,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DSL_IS_LINK_LIST (self));
  g_return_if_fail (change != NULL);

  task = op_start (self, dsl_link_change_get_link_id (change), dsl_link_list_change_async,
                   callback, user_data);
  if (task == NULL)
    return;
  ((Op *) g_task_get_task_data (task))->change = dsl_link_change_copy (change);
  dsl_link_ops_change_async (self->client, dsl_item_get_kind (self->item),
                             dsl_item_get_id (self->item), change, self->cancellable, change_cb,
                             task);
}

DslLink *
dsl_link_list_change_finish (DslLinkList    *self,
                             GAsyncResult   *result,
                             DslLinkChange **change,
                             DslLink       **current,
                             GError        **error)
{
  Op *op;
  DslLink *stored;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_link_list_change_async), NULL);

  op = g_task_get_task_data (G_TASK (result));
  stored = g_task_propagate_pointer (G_TASK (result), error);
  if (change != NULL)
    *change = op->change != NULL ? dsl_link_change_copy (op->change) : NULL;
  if (current != NULL)
    *current = stored == NULL && op->current != NULL ? g_object_ref (op->current) : NULL;
  return stored;
}

/* create */

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DslLinkList *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  GError *error = NULL;
  DslLink *link;

  link = dsl_link_ops_create_finish (DSL_CLIENT (object), result, NULL, &error);
  if (g_task_return_error_if_cancelled (task))
    {
      g_clear_object (&link);
      g_clear_error (&error);
      return;
    }
  if (op->invitation)
    set_bool (self, &self->creating_invitation, FALSE, PROP_CREATING_INVITATION);
  else
    set_bool (self, &self->creating, FALSE, PROP_CREATING);
  if (link == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        load (self);
      else if (op->invitation)
        set_string (self, &self->invitation_error, error->message, PROP_INVITATION_ERROR);
      else
        set_string (self, &self->create_error, error->message, PROP_CREATE_ERROR);
      g_task_return_error (task, error);
      return;
    }
  links_changed (self);
  g_task_return_pointer (task, link, g_object_unref);
}

void
dsl_link_list_create_async (DslLinkList         *self,
                            DslLink             *state,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GStrvBuilder) known = NULL;
  g_auto(GStrv) known_ids = NULL;
  GTask *task;
  gboolean invitation;

  g_return_if_fail (DSL_IS_LINK_LIST (self));
  g_return_if_fail (DSL_IS_LINK (state));

  task = op_start (self, NULL, dsl_link_list_create_async, callback, user_data);
  if (task == NULL)
    return;
  invitation = dsl_link_is_invitation (state);
  if (invitation ? self->creating_invitation : self->creating)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "%s",
                               _("The link is being created."));
      g_object_unref (task);
      return;
    }
  ((Op *) g_task_get_task_data (task))->invitation = invitation;
  if (invitation)
    {
      set_bool (self, &self->creating_invitation, TRUE, PROP_CREATING_INVITATION);
      set_string (self, &self->invitation_error, NULL, PROP_INVITATION_ERROR);
    }
  else
    {
      set_bool (self, &self->creating, TRUE, PROP_CREATING);
      set_string (self, &self->create_error, NULL, PROP_CREATE_ERROR);
    }

  known = g_strv_builder_new ();
  for (guint i = 0; i < self->links->len; i++)
    if (dsl_link_get_id (self->links->pdata[i]) != NULL)
      g_strv_builder_add (known, dsl_link_get_id (self->links->pdata[i]));
  if (self->invitation != NULL && dsl_link_get_id (self->invitation) != NULL)
    g_strv_builder_add (known, dsl_link_get_id (self->invitation));
  known_ids = g_strv_builder_end (known);
  dsl_link_ops_create_async (self->client, self->item, state, (const char * const *) known_ids,
                             self->cancellable, create_cb, task);
}

void
dsl_link_list_create_primary_async (DslLinkList         *self,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(DslLink) state = dsl_link_new ();

  g_return_if_fail (DSL_IS_LINK_LIST (self));

  dsl_link_set_primary (state, TRUE);
  dsl_link_list_create_async (self, state, callback, user_data);
}

/* The role new people get: Content creator when the room offers it, else the first role
 * offered. */
static DslAccess
invitation_access (DslItem *item)
{
  gsize n = 0;
  const DslAccess *roles = dsl_link_rules_roles (item, DSL_SUBJECT_TYPE_INVITATION_LINK, &n);

  for (gsize i = 0; i < n; i++)
    if (roles[i] == DSL_ACCESS_CONTENT_CREATOR)
      return DSL_ACCESS_CONTENT_CREATOR;
  return n > 0 ? roles[0] : DSL_ACCESS_READ;
}

void
dsl_link_list_create_invitation_async (DslLinkList         *self,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(DslLink) state = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) expiry = dsl_expiry_preset_apply (DSL_EXPIRY_PRESET_7_DAYS, now);

  g_return_if_fail (DSL_IS_LINK_LIST (self));

  if (self->item == NULL || self->invitation != NULL)
    {
      g_task_report_new_error (self, callback, user_data, dsl_link_list_create_async,
                               G_IO_ERROR, G_IO_ERROR_EXISTS, "%s",
                               _("This room has an invitation link."));
      return;
    }
  state = dsl_link_new ();
  dsl_link_set_link_type (state, DSL_LINK_TYPE_INVITATION);
  dsl_link_set_subject_type (state, DSL_SUBJECT_TYPE_INVITATION_LINK);
  dsl_link_set_title (state, _("Invitation link"));
  dsl_link_set_access (state, invitation_access (self->item));
  dsl_link_set_expiration_date (state, expiry);
  dsl_link_list_create_async (self, state, callback, user_data);
}

DslLink *
dsl_link_list_create_finish (DslLinkList   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_link_list_create_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- GListModel --- */

static GType
dsl_link_list_get_item_type (GListModel *model)
{
  return DSL_TYPE_LINK;
}

static guint
dsl_link_list_get_n_items (GListModel *model)
{
  return DSL_LINK_LIST (model)->links->len;
}

static gpointer
dsl_link_list_get_list_item (GListModel *model,
                             guint       position)
{
  DslLinkList *self = DSL_LINK_LIST (model);

  return position < self->links->len ? g_object_ref (self->links->pdata[position]) : NULL;
}

static void
dsl_link_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dsl_link_list_get_item_type;
  iface->get_n_items = dsl_link_list_get_n_items;
  iface->get_item = dsl_link_list_get_list_item;
}

/* --- GObject --- */

static void
dsl_link_list_dispose (GObject *object)
{
  DslLinkList *self = DSL_LINK_LIST (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  /* Answers still on their way are for nobody now. */
  self->load_serial++;
  if (self->client != NULL)
    g_clear_signal_handler (&self->stored_id, self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->item);
  g_clear_object (&self->invitation);
  clear_incoming (self);

  G_OBJECT_CLASS (dsl_link_list_parent_class)->dispose (object);
}

static void
dsl_link_list_finalize (GObject *object)
{
  DslLinkList *self = DSL_LINK_LIST (object);

  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_clear_pointer (&self->busy, g_hash_table_unref);
  g_clear_pointer (&self->errors, g_hash_table_unref);
  g_free (self->error);
  g_free (self->invitation_error);
  g_free (self->create_error);

  G_OBJECT_CLASS (dsl_link_list_parent_class)->finalize (object);
}

static void
dsl_link_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DslLinkList *self = DSL_LINK_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_INVITATION:
      g_value_set_object (value, self->invitation);
      break;
    case PROP_INVITATION_ERROR:
      g_value_set_string (value, self->invitation_error);
      break;
    case PROP_CREATE_ERROR:
      g_value_set_string (value, self->create_error);
      break;
    case PROP_CREATING:
      g_value_set_boolean (value, self->creating);
      break;
    case PROP_CREATING_INVITATION:
      g_value_set_boolean (value, self->creating_invitation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DslLinkList *self = DSL_LINK_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      dsl_link_list_set_client (self, g_value_get_object (value));
      break;
    case PROP_ITEM:
      dsl_link_list_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_link_list_class_init (DslLinkListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dsl_link_list_dispose;
  object_class->finalize = dsl_link_list_finalize;
  object_class->get_property = dsl_link_list_get_property;
  object_class->set_property = dsl_link_list_set_property;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, DSL_TYPE_CLIENT, rw);
  properties[PROP_ITEM] = g_param_spec_object ("item", NULL, NULL, DSL_TYPE_ITEM, rw);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, ro);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_INVITATION] = g_param_spec_object ("invitation", NULL, NULL, DSL_TYPE_LINK, ro);
  properties[PROP_INVITATION_ERROR] = g_param_spec_string ("invitation-error", NULL, NULL, NULL,
                                                           ro);
  properties[PROP_CREATE_ERROR] = g_param_spec_string ("create-error", NULL, NULL, NULL, ro);
  properties[PROP_CREATING] = g_param_spec_boolean ("creating", NULL, NULL, FALSE, ro);
  properties[PROP_CREATING_INVITATION] = g_param_spec_boolean ("creating-invitation", NULL, NULL,
                                                               FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DslLinkList::link-state-changed:
   * @link_id: the link whose busy flag or error changed
   */
  signals[LINK_STATE_CHANGED] =
    g_signal_new ("link-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * DslLinkList::links-changed:
   *
   * A remove, change or create went through (the item's badges may change).
   */
  signals[LINKS_CHANGED] =
    g_signal_new ("links-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
dsl_link_list_init (DslLinkList *self)
{
  self->links = g_ptr_array_new_with_free_func (g_object_unref);
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
}

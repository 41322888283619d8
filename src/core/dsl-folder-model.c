/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-folder-model.c: the children of one container, read lazily, one page per request.
 *
 *   load_more ()  ──▶ dsl_client_list_page (startIndex = n_items, count = 100) ──┐
 *                                                                                  ▼
 *   GListModel ◀── items-changed (n, 0, added) ◀── page_done: append page->items (steal)
 *      ▲                                              total, complete, loading
 *      │
 *   refresh ()    ──▶ pages 0..k-1 again, at most REFRESH_PARALLEL at a time ──┐
 *      │                                                                        ▼
 *      └── one items-changed per changed run ◀── refresh_finish: same id = the same DslItem,
 *                                                updated in place (dsl_item_update_from);
 *                                                vanished ids removed, new ids inserted at
 *                                                their server position
 *
 * Every request of one operation (a load, a refresh, a filter change) shares one
 * GCancellable; starting another operation, cancel () and dispose cancel it, and a callback
 * whose cancellable is no longer the model's is dropped without a trace, so
 * G_IO_ERROR_CANCELLED never becomes the "error" property. Requests hold the model weakly:
 * dropping the last reference disposes it, which cancels what is in flight.
 *
 * No clock or limit of its own for the portal's rate limit: the client pauses every request
 * after a 429 and caps those in flight (dsl-client.h), for this model as for every caller.
 *
 * Cheap for big folders: items live in one GPtrArray (O(1) get_item); a page is appended by
 * stealing its array's pointers, never by copying the model.
 *
 * With a chunk size (set by the tree), a page is appended only when the owner calls
 * flush_pending, a chunk at a time (DslItemTree does it once per frame), so no frame pays for
 * building a whole page of rows. The page counts as loading until its last item is in; a
 * refresh or cancel () appends what is pending first, a new filter drops it. */
#define G_LOG_DOMAIN "dsl-folder-model"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dsl-folder-model.h"
#include "dsl-search-index.h"

/* A folder is read no further than DSL_CLIENT_MAX_PAGES pages or this many items: the
 * loading stops with an error then. */
#define MAX_ITEMS 100000
/* Pages a refresh reads at the same time: half the client's cap, so a refresh leaves room for
 * the other folders and callers of the same client (the client holds back what is beyond its
 * cap, and every request while it is paused after a 429). */
#define REFRESH_PARALLEL (DSL_CLIENT_MAX_IN_FLIGHT / 2)

typedef enum {
  SLOT_EMPTY,
  SLOT_IN_FLIGHT,
  SLOT_DONE,
} SlotState;

/* A refresh under way, or failed and waiting for retry (then the pages read are kept). */
typedef struct {
  GPtrArray *pages;          /* per page index: GPtrArray of DslItem, or NULL until read */
  GArray    *states;         /* per page index: SlotState */
  guint      n_pages;        /* pages to read: shrinks at a short page, and grows with the
                                total when the model was complete before */
  int        total;          /* the latest total the server sent */
  gboolean   keep_complete;
  gboolean   short_page;     /* a page came back with fewer than DSL_CLIENT_PAGE_SIZE items */
} Refresh;

struct _DslFolderModel
{
  GObject        parent_instance;

  /* owned */
  DslClient     *client;
  char          *folder_id;
  char          *filter;        /* NULL = none */
  GPtrArray     *items;         /* element-type DslItem */
  GPtrArray     *pending;       /* of the last page, not appended yet (chunked), or NULL */
  GError        *error;         /* of the last failed page */
  GCancellable  *cancellable;   /* of the requests in flight; NULL when none is */
  Refresh       *refresh;

  /* plain values */
  int            total;         /* -1 until a page arrived */
  guint          generation;    /* bumped when the list is emptied for a new query */
  guint          n_requests;
  guint          n_in_flight;
  guint          chunk_size;    /* 0: a page is appended whole */
  guint          n_pages_loaded; /* by load_more () since the list was last emptied */
  guint          loading : 1;
  guint          complete : 1;
  guint          pending_complete : 1;   /* "complete" once `pending` is in */
};

static void dsl_folder_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DslFolderModel, dsl_folder_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      dsl_folder_model_list_model_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_FOLDER_ID,
  PROP_FILTER,
  PROP_LOADING,
  PROP_ERROR,
  PROP_TOTAL,
  PROP_COMPLETE,
  PROP_N_REQUESTS,
  PROP_N_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One page request. Holds the model weakly, the operation's cancellable strongly. */
typedef struct {
  GWeakRef      model;
  GCancellable *cancellable;
  guint         page;        /* refresh: the page index */
  gboolean      refresh;
} PageRequest;

static void
page_request_free (PageRequest *request)
{
  g_weak_ref_clear (&request->model);
  g_clear_object (&request->cancellable);
  g_free (request);
}

static void
page_items_free (gpointer items)
{
  /* Slots of pages not read (or beyond a short page) stay NULL. */
  if (items != NULL)
    g_ptr_array_unref (items);
}

static void
refresh_free (Refresh *refresh)
{
  g_clear_pointer (&refresh->pages, g_ptr_array_unref);
  g_clear_pointer (&refresh->states, g_array_unref);
  g_free (refresh);
}

static Refresh *
refresh_new (guint    n_pages,
             gboolean keep_complete)
{
  Refresh *refresh = g_new0 (Refresh, 1);

  refresh->pages = g_ptr_array_new_with_free_func (page_items_free);
  refresh->states = g_array_new (FALSE, TRUE, sizeof (SlotState));
  refresh->n_pages = n_pages;
  refresh->total = -1;
  refresh->keep_complete = keep_complete;
  g_ptr_array_set_size (refresh->pages, n_pages);
  g_array_set_size (refresh->states, n_pages);
  return refresh;
}

/* --- state with notifications --- */

static void
set_loading (DslFolderModel *self,
             gboolean        loading)
{
  if (self->loading == !!loading)
    return;
  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_total (DslFolderModel *self,
           int             total)
{
  if (self->total == total)
    return;
  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static void
set_complete (DslFolderModel *self,
              gboolean        complete)
{
  if (self->complete == !!complete)
    return;
  self->complete = !!complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/* Takes `error` (may be NULL to clear). */
static void
set_error (DslFolderModel *self,
           GError         *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Cancels every request in flight; a refresh in flight ends with them. */
static void
cancel_requests (DslFolderModel *self)
{
  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->n_in_flight = 0;
  g_clear_pointer (&self->refresh, refresh_free);
  set_loading (self, FALSE);
}

/* Replaces items[pos, pos + n_remove) with source[from, from + n_add), taking references. */
static void
items_splice (GPtrArray *items,
              guint      pos,
              guint      n_remove,
              GPtrArray *source,
              guint      from,
              guint      n_add)
{
  guint len;

  if (n_remove > 0)
    g_ptr_array_remove_range (items, pos, n_remove);
  if (n_add == 0)
    return;

  len = items->len;
  g_ptr_array_set_size (items, len + n_add);
  memmove (items->pdata + pos + n_add, items->pdata + pos, (len - pos) * sizeof (gpointer));
  for (guint i = 0; i < n_add; i++)
    items->pdata[pos + i] = g_object_ref (g_ptr_array_index (source, from + i));
}

/* --- requests --- */

static void page_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
send_page (DslFolderModel *self,
           guint           start_index,
           gboolean        refresh,
           guint           page)
{
  PageRequest *request = g_new0 (PageRequest, 1);

  g_assert (self->cancellable != NULL);

  g_weak_ref_init (&request->model, self);
  request->cancellable = g_object_ref (self->cancellable);
  request->refresh = refresh;
  request->page = page;

  g_debug ("%s %s: startIndex %u", refresh ? "refresh" : "load", self->folder_id, start_index);
  dsl_client_list_page_async (self->client, self->folder_id, self->filter, start_index,
                              request->cancellable, page_cb, request);

  self->n_in_flight++;
  self->n_requests++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_REQUESTS]);
  set_loading (self, TRUE);
}

/* Sends the refresh's unread pages, in order, keeping at most REFRESH_PARALLEL in flight. */
static void
refresh_pump (DslFolderModel *self)
{
  Refresh *refresh = self->refresh;

  for (guint i = 0; i < refresh->n_pages && self->n_in_flight < REFRESH_PARALLEL; i++)
    {
      SlotState *state = &g_array_index (refresh->states, SlotState, i);

      if (*state != SLOT_EMPTY)
        continue;
      if (self->cancellable == NULL)
        self->cancellable = g_cancellable_new ();
      *state = SLOT_IN_FLIGHT;
      send_page (self, i * DSL_CLIENT_PAGE_SIZE, TRUE, i);
    }
}

static gboolean
refresh_is_read (Refresh *refresh)
{
  for (guint i = 0; i < refresh->n_pages; i++)
    if (g_array_index (refresh->states, SlotState, i) != SLOT_DONE)
      return FALSE;
  return TRUE;
}

/* Longest increasing subsequence of `positions` (old indices of the kept items in their new
 * order): those items stay where they are; every other kept item has moved. Marks them. */
static void
mark_unmoved (const guint *positions,
              guint        n,
              gboolean    *unmoved)
{
  g_autofree guint *tails = g_new (guint, n + 1);   /* index into positions, per length */
  g_autofree guint *previous = g_new (guint, n + 1);
  guint length = 0;

  for (guint i = 0; i < n; i++)
    {
      guint lo = 0, hi = length;

      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (positions[tails[mid]] < positions[i])
            lo = mid + 1;
          else
            hi = mid;
        }
      previous[i] = lo > 0 ? tails[lo - 1] : G_MAXUINT;
      tails[lo] = i;
      if (lo == length)
        length++;
    }

  for (guint i = length > 0 ? tails[length - 1] : G_MAXUINT; i != G_MAXUINT; i = previous[i])
    unmoved[i] = TRUE;
}

/* Every page is read: turn the old list into the new one with as few items-changed as the
 * unchanged runs allow. The same id keeps its DslItem object. */
static void
refresh_finish (DslFolderModel *self)
{
  Refresh *refresh = g_steal_pointer (&self->refresh);
  g_autoptr(GPtrArray) target = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) old_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree guint *kept_old = NULL;      /* old index of each kept item, in new order */
  g_autofree guint *kept_new = NULL;      /* its new index */
  g_autofree gboolean *unmoved = NULL;
  g_autofree gboolean *stay_old = NULL;   /* per old index: stays in place */
  g_autofree gboolean *stay_new = NULL;   /* per new index: an old item staying in place */
  guint n_old = self->items->len;
  guint n_kept = 0;
  guint o = 0, t = 0;
  guint generation = self->generation;

  g_object_freeze_notify (G_OBJECT (self));
  g_clear_object (&self->cancellable);

  /* The new list, in server order; an id seen twice (pages shifted while read) counts once. */
  for (guint p = 0; p < refresh->n_pages; p++)
    {
      GPtrArray *page = g_ptr_array_index (refresh->pages, p);

      for (guint i = 0; page != NULL && i < page->len; i++)
        {
          DslItem *item = g_ptr_array_index (page, i);

          if (!g_hash_table_add (seen, (gpointer) dsl_item_get_id (item)))
            continue;
          g_ptr_array_add (target, g_object_ref (item));
        }
    }

  for (guint i = n_old; i > 0; i--)
    g_hash_table_insert (old_index, (gpointer) dsl_item_get_id (g_ptr_array_index (self->items,
                                                                                   i - 1)),
                         GUINT_TO_POINTER (i));

  /* The same id: the old object, updated in place, takes the new one's place. */
  kept_old = g_new (guint, MIN (n_old, target->len) + 1);
  kept_new = g_new (guint, MIN (n_old, target->len) + 1);
  for (guint i = 0; i < target->len; i++)
    {
      DslItem *fresh = g_ptr_array_index (target, i);
      guint position = GPOINTER_TO_UINT (g_hash_table_lookup (old_index,
                                                              dsl_item_get_id (fresh)));
      DslItem *old;

      if (position == 0)
        continue;
      old = g_ptr_array_index (self->items, position - 1);
      dsl_item_update_from (old, fresh);
      target->pdata[i] = g_object_ref (old);
      g_object_unref (fresh);
      kept_old[n_kept] = position - 1;
      kept_new[n_kept] = i;
      n_kept++;
    }

  unmoved = g_new0 (gboolean, n_kept + 1);
  stay_old = g_new0 (gboolean, n_old + 1);
  stay_new = g_new0 (gboolean, target->len + 1);
  mark_unmoved (kept_old, n_kept, unmoved);
  for (guint k = 0; k < n_kept; k++)
    {
      if (unmoved[k])
        {
          stay_old[kept_old[k]] = TRUE;
          stay_new[kept_new[k]] = TRUE;
        }
    }

  /* Items that stay are anchors, in the same order in both lists; between two anchors the old
   * run is replaced by the new run in one items-changed. The model is updated before each
   * emission, so handlers always see a list consistent with what was announced. Loading stays
   * TRUE meanwhile: a load_more from a handler would ask for the wrong startIndex. */
  while (o < n_old || t < target->len)
    {
      guint o_end = o, t_end = t;

      if (o < n_old && t < target->len && stay_old[o] && stay_new[t])
        {
          g_assert (g_ptr_array_index (self->items, t) == g_ptr_array_index (target, t));
          o++;
          t++;
          continue;
        }

      while (o_end < n_old && !stay_old[o_end])
        o_end++;
      while (t_end < target->len && !stay_new[t_end])
        t_end++;

      /* Before this run the model already holds target[0, t): position t is old item o. */
      items_splice (self->items, t, o_end - o, target, t, t_end - t);
      g_list_model_items_changed (G_LIST_MODEL (self), t, o_end - o, t_end - t);
      o = o_end;
      t = t_end;

      /* A handler changed the filter: the list was emptied and a new query began. */
      if (self->generation != generation)
        break;
    }

  if (self->generation == generation)
    {
      g_assert (self->items->len == target->len);
      set_total (self, refresh->total >= 0 ? refresh->total : (int) self->items->len);
      set_complete (self, refresh->short_page || self->items->len >= (guint) self->total);
    }
  set_loading (self, self->n_in_flight > 0);
  refresh_free (refresh);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
refresh_page_done (DslFolderModel *self,
                   guint           index,
                   DslFolderPage  *page)
{
  Refresh *refresh = self->refresh;
  guint n_items = page->items->len;

  g_assert (refresh != NULL);

  if (index < refresh->n_pages)
    {
      g_ptr_array_index (refresh->pages, index) = g_steal_pointer (&page->items);
      g_array_index (refresh->states, SlotState, index) = SLOT_DONE;
      refresh->total = (int) MIN (page->total, (guint) G_MAXINT);

      if (n_items < DSL_CLIENT_PAGE_SIZE)
        {
          /* The end of the list: later pages (if in flight) are not needed. */
          refresh->short_page = TRUE;
          refresh->n_pages = index + 1;
        }
      else if (refresh->keep_complete && !refresh->short_page)
        {
          /* The folder grew: a complete model stays complete. */
          guint wanted = dsl_client_page_count (page->total);

          if (wanted > refresh->n_pages)
            {
              refresh->n_pages = wanted;
              g_ptr_array_set_size (refresh->pages, wanted);
              g_array_set_size (refresh->states, wanted);
            }
        }
    }

  refresh_pump (self);
  if (self->n_in_flight == 0 && refresh_is_read (refresh))
    refresh_finish (self);
}

static guint
n_pending (DslFolderModel *self)
{
  return self->pending != NULL ? self->pending->len : 0;
}

/* Appends up to `max` pending items (all for 0); the page's state once the last is in. */
static guint
append_pending (DslFolderModel *self,
                guint           max)
{
  guint position = self->items->len;
  guint added = n_pending (self);

  if (added == 0)
    return 0;
  if (max > 0 && max < added)
    added = max;

  g_object_freeze_notify (G_OBJECT (self));

  if (added == self->pending->len)
    {
      /* Steals the pointers and frees the array: no copy, no extra references. */
      g_ptr_array_extend_and_steal (self->items, g_steal_pointer (&self->pending));
      set_complete (self, self->pending_complete);
      set_loading (self, FALSE);
    }
  else
    {
      g_ptr_array_set_size (self->items, position + added);
      memcpy (self->items->pdata + position, self->pending->pdata, added * sizeof (gpointer));
      memmove (self->pending->pdata, self->pending->pdata + added,
               (self->pending->len - added) * sizeof (gpointer));
      g_ptr_array_set_free_func (self->pending, NULL);
      g_ptr_array_set_size (self->pending, self->pending->len - added);
      g_ptr_array_set_free_func (self->pending, g_object_unref);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);

  /* State first: a handler may call load_more () for the next page. */
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, added);

  g_object_thaw_notify (G_OBJECT (self));
  return added;
}

/* Forgets what is pending (the list is emptied for a new query, or the model goes away). */
static void
drop_pending (DslFolderModel *self)
{
  if (self->pending == NULL)
    return;
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

/* Whether any item of `page` has an id the model does not hold yet. */
static gboolean
page_brings_new (DslFolderModel *self,
                 GPtrArray      *page)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < page->len; i++)
    g_hash_table_add (ids, (gpointer) dsl_item_get_id (g_ptr_array_index (page, i)));
  for (guint i = 0; i < self->items->len && g_hash_table_size (ids) > 0; i++)
    g_hash_table_remove (ids, dsl_item_get_id (g_ptr_array_index (self->items, i)));
  return g_hash_table_size (ids) > 0;
}

static void
load_page_done (DslFolderModel *self,
                DslFolderPage  *page)
{
  gboolean complete;
  gboolean endless = FALSE;
  guint added = page->items->len;

  g_assert (self->pending == NULL);

  g_object_freeze_notify (G_OBJECT (self));

  g_clear_object (&self->cancellable);
  set_total (self, (int) MIN (page->total, (guint) G_MAXINT));
  complete = added < DSL_CLIENT_PAGE_SIZE || self->items->len + added >= page->total;
  self->n_pages_loaded++;

  /* More to come, says the portal: but not for ever, and not the same items again. */
  if (!complete)
    {
      if (!page_brings_new (self, page->items))
        {
          g_ptr_array_set_size (page->items, 0);
          added = 0;
          endless = TRUE;
        }
      else if (self->n_pages_loaded >= DSL_CLIENT_MAX_PAGES ||
               self->items->len + added >= MAX_ITEMS)
        {
          if (self->items->len + added > MAX_ITEMS)
            g_ptr_array_set_size (page->items, MAX_ITEMS - MIN (self->items->len, MAX_ITEMS));
          added = page->items->len;
          endless = TRUE;
        }
      complete = endless;
    }
  if (endless)
    {
      g_debug ("%s: the portal keeps sending more pages, stopped after %u items",
               self->folder_id, self->items->len + added);
      set_error (self, g_error_new (DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                                    _("The portal keeps sending more pages: stopped after %u "
                                      "items"), self->items->len + added));
    }

  if (added == 0)
    {
      set_complete (self, complete);
      set_loading (self, FALSE);
    }
  else
    {
      /* Still loading until the last chunk is in; without chunks it all goes in now. */
      self->pending = g_steal_pointer (&page->items);
      self->pending_complete = complete;
      if (self->chunk_size == 0)
        append_pending (self, 0);
      else
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
page_failed (DslFolderModel *self,
             GError         *error)
{
  g_object_freeze_notify (G_OBJECT (self));

  /* Stop the rest of the operation; a failed refresh keeps the pages it read for retry. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  self->n_in_flight = 0;
  if (self->refresh != NULL)
    {
      for (guint i = 0; i < self->refresh->states->len; i++)
        {
          SlotState *state = &g_array_index (self->refresh->states, SlotState, i);

          if (*state == SLOT_IN_FLIGHT)
            *state = SLOT_EMPTY;
        }
    }

  set_error (self, error);
  set_loading (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
page_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PageRequest *request = user_data;
  g_autoptr(DslFolderModel) self = g_weak_ref_get (&request->model);
  g_autoptr(DslFolderPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = dsl_client_list_page_finish (DSL_CLIENT (source), result, &error);

  /* Gone, cancelled, or replaced by a newer operation: nothing to do, nothing to show. */
  if (self == NULL || request->cancellable != self->cancellable ||
      g_cancellable_is_cancelled (request->cancellable))
    {
      page_request_free (request);
      return;
    }

  g_assert (self->n_in_flight > 0);
  self->n_in_flight--;

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Cancelled from elsewhere (the client went away): silent, like cancel (). */
          cancel_requests (self);
        }
      else
        {
          g_debug ("Page of %s failed: %s", self->folder_id, error->message);
          page_failed (self, g_steal_pointer (&error));
        }
    }
  else if (request->refresh)
    {
      /* The Shell search provider's index of the account, when one is attached. */
      dsl_search_index_feed_page (self->client, self->folder_id, page->items);
      refresh_page_done (self, request->page, page);
    }
  else
    {
      dsl_search_index_feed_page (self->client, self->folder_id, page->items);
      load_page_done (self, page);
    }

  page_request_free (request);
}

/* --- GListModel --- */

static GType
dsl_folder_model_get_item_type (GListModel *model)
{
  return DSL_TYPE_ITEM;
}

static guint
dsl_folder_model_get_n_items (GListModel *model)
{
  DslFolderModel *self = DSL_FOLDER_MODEL (model);

  return self->items->len;
}

static gpointer
dsl_folder_model_get_item (GListModel *model,
                           guint       position)
{
  DslFolderModel *self = DSL_FOLDER_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
dsl_folder_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = dsl_folder_model_get_item_type;
  iface->get_n_items = dsl_folder_model_get_n_items;
  iface->get_item = dsl_folder_model_get_item;
}

/* --- GObject --- */

static void
dsl_folder_model_dispose (GObject *object)
{
  DslFolderModel *self = (DslFolderModel *) object;

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  self->n_in_flight = 0;
  g_clear_pointer (&self->refresh, refresh_free);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (dsl_folder_model_parent_class)->dispose (object);
}

static void
dsl_folder_model_finalize (GObject *object)
{
  DslFolderModel *self = (DslFolderModel *) object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->folder_id, g_free);
  g_clear_pointer (&self->filter, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (dsl_folder_model_parent_class)->finalize (object);
}

static void
dsl_folder_model_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DslFolderModel *self = DSL_FOLDER_MODEL (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_FOLDER_ID:
      g_value_set_string (value, self->folder_id);
      break;
    case PROP_FILTER:
      g_value_set_string (value, self->filter);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_TOTAL:
      g_value_set_int (value, self->total);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    case PROP_N_REQUESTS:
      g_value_set_uint (value, self->n_requests);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, n_pending (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_folder_model_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DslFolderModel *self = DSL_FOLDER_MODEL (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_assert (self->client == NULL);
      self->client = g_value_dup_object (value);
      break;
    case PROP_FOLDER_ID:
      g_assert (self->folder_id == NULL);
      self->folder_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_folder_model_class_init (DslFolderModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags readable = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = dsl_folder_model_dispose;
  object_class->finalize = dsl_folder_model_finalize;
  object_class->get_property = dsl_folder_model_get_property;
  object_class->set_property = dsl_folder_model_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DSL_TYPE_CLIENT, construct);
  properties[PROP_FOLDER_ID] =
    g_param_spec_string ("folder-id", NULL, NULL, NULL, construct);
  properties[PROP_FILTER] =
    g_param_spec_string ("filter", NULL, NULL, NULL, readable);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE, readable);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, readable);
  properties[PROP_TOTAL] =
    g_param_spec_int ("total", NULL, NULL, -1, G_MAXINT, -1, readable);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE, readable);
  properties[PROP_N_REQUESTS] =
    g_param_spec_uint ("n-requests", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0, readable);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dsl_folder_model_init (DslFolderModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->total = -1;
}

/* --- public API --- */

DslFolderModel *
dsl_folder_model_new (DslClient  *client,
                      const char *folder_id,
                      const char *filter)
{
  DslFolderModel *self;

  g_return_val_if_fail (DSL_IS_CLIENT (client), NULL);
  g_return_val_if_fail (folder_id != NULL && *folder_id != '\0', NULL);

  self = g_object_new (DSL_TYPE_FOLDER_MODEL,
                       "client", client,
                       "folder-id", folder_id,
                       NULL);
  if (filter != NULL && *filter != '\0')
    self->filter = g_strdup (filter);
  return self;
}

const char *
dsl_folder_model_get_folder_id (DslFolderModel *self)
{
  g_return_val_if_fail (DSL_IS_FOLDER_MODEL (self), NULL);
  return self->folder_id;
}

const char *
dsl_folder_model_get_filter (DslFolderModel *self)
{
  g_return_val_if_fail (DSL_IS_FOLDER_MODEL (self), NULL);
  return self->filter;
}

gboolean
dsl_folder_model_get_loading (DslFolderModel *self)
{
  g_return_val_if_fail (DSL_IS_FOLDER_MODEL (self), FALSE);
  return self->loading;
}

const GError *
dsl_folder_model_get_error (DslFolderModel *self)
{
  g_return_val_if_fail (DSL_IS_FOLDER_MODEL (self), NULL);
  return self->error;
}

int
dsl_folder_model_get_total (DslFolderModel *self)
{
  g_return_val_if_fail (DSL_IS_FOLDER_MODEL (self), -1);
  return self->total;
}

gboolean
dsl_folder_model_get_complete (DslFolderModel *self)
{
  g_return_val_if_fail (DSL_IS_FOLDER_MODEL (self), FALSE);
  return self->complete;
}

guint
dsl_folder_model_get_n_requests (DslFolderModel *self)
{
  g_return_val_if_fail (DSL_IS_FOLDER_MODEL (self), 0);
  return self->n_requests;
}

/* The next page after the items loaded, as an operation of its own. */
static void
load_next_page (DslFolderModel *self)
{
  g_assert (self->cancellable == NULL && self->refresh == NULL);

  self->cancellable = g_cancellable_new ();
  send_page (self, self->items->len, FALSE, 0);
}

void
dsl_folder_model_load_more (DslFolderModel *self)
{
  g_return_if_fail (DSL_IS_FOLDER_MODEL (self));

  /* A failed refresh waiting for retry also blocks loading: its error is set. */
  if (self->loading || self->complete || self->error != NULL || self->client == NULL)
    return;

  load_next_page (self);
}

void
dsl_folder_model_retry (DslFolderModel *self)
{
  g_return_if_fail (DSL_IS_FOLDER_MODEL (self));

  if (self->error == NULL || self->loading || self->client == NULL)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  set_error (self, NULL);
  if (self->refresh != NULL)
    refresh_pump (self);   /* only the pages not read yet */
  else
    dsl_folder_model_load_more (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
dsl_folder_model_refresh (DslFolderModel *self)
{
  gboolean keep_complete;
  guint n_pages;

  g_return_if_fail (DSL_IS_FOLDER_MODEL (self));

  if (self->client == NULL)
    return;
  /* Nothing was ever asked for (or the first page was cancelled): nothing to re-read. */
  if (self->total < 0 && !self->loading && self->error == NULL && self->refresh == NULL)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  /* What arrived is shown before the pages are read again. A load in flight is cancelled: the
   * pages read again cover what it would have added only up to what was loaded, and load_more
   * continues from there afterwards. */
  append_pending (self, 0);
  cancel_requests (self);
  g_clear_pointer (&self->refresh, refresh_free);
  set_error (self, NULL);

  keep_complete = self->complete;
  n_pages = MAX (1, dsl_client_page_count (self->items->len));
  self->refresh = refresh_new (n_pages, keep_complete);
  refresh_pump (self);

  g_object_thaw_notify (G_OBJECT (self));
}

void
dsl_folder_model_set_filter (DslFolderModel *self,
                             const char     *filter)
{
  guint removed;

  g_return_if_fail (DSL_IS_FOLDER_MODEL (self));

  if (filter != NULL && *filter == '\0')
    filter = NULL;
  if (g_strcmp0 (self->filter, filter) == 0)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  cancel_requests (self);
  g_clear_pointer (&self->refresh, refresh_free);
  drop_pending (self);
  set_loading (self, FALSE);

  g_free (self->filter);
  self->filter = g_strdup (filter);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);

  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  self->n_pages_loaded = 0;
  self->generation++;
  set_error (self, NULL);
  set_total (self, -1);
  set_complete (self, FALSE);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);

  /* Not load_more (): this may run inside a refresh's items-changed, while "loading" is still
   * TRUE for it. Page 0 of the new query is always the right next request. */
  if (self->client != NULL && self->cancellable == NULL)
    load_next_page (self);

  g_object_thaw_notify (G_OBJECT (self));
}

void
dsl_folder_model_cancel (DslFolderModel *self)
{
  g_return_if_fail (DSL_IS_FOLDER_MODEL (self));

  append_pending (self, 0);
  cancel_requests (self);
}

void
dsl_folder_model_set_chunk_size (DslFolderModel *self,
                                 guint           chunk_size)
{
  g_return_if_fail (DSL_IS_FOLDER_MODEL (self));

  self->chunk_size = chunk_size;
}

guint
dsl_folder_model_get_n_pending (DslFolderModel *self)
{
  g_return_val_if_fail (DSL_IS_FOLDER_MODEL (self), 0);
  return n_pending (self);
}

guint
dsl_folder_model_flush_pending (DslFolderModel *self,
                                guint           max)
{
  g_return_val_if_fail (DSL_IS_FOLDER_MODEL (self), 0);
  return append_pending (self, max);
}

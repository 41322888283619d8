/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-search-index.c: see dsl-search-index.h.
 *
 *   DslFolderModel page ──dsl_search_index_feed_page (client, folder id, items)──┐
 *   DslLinkScan listing ──dsl_search_index_feed_page (client, container, items)──┤
 *   DslLinkScan finished ──dsl_search_index_feed_scan (client, rows)─────────────┤
 *                                                                                 ▼
 *        the client's attached DslSearchIndex: entries (id → parent, title, kind, the
 *        name's folded words, link counts) ──autosave──▶ search-<hash>.json (cache dir)
 *                                                                                 │
 *   DslSearchProvider ──dsl_search_index_search (terms)──▶ hits ◀─────────────────┘
 *
 * A search scans every entry's folded words with strstr: for 10,000 items that is well under a
 * millisecond, so there is no token index to keep consistent. */
#define G_LOG_DOMAIN "dsl-search-index"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dsl-folder-model.h"
#include "dsl-item.h"
#include "dsl-link-scan.h"
#include "dsl-search-index.h"
#include "dsl-state-file.h"

#define INDEX_FORMAT "docspace-links-search-index"
#define INDEX_VERSION 1
#define CLIENT_DATA "dsl-search-index"
#define LOCATION_SEPARATOR " \u203a "
#define SHARED_AUTOSAVE_MS 2000

typedef struct {
  char        *id;
  char        *parent;
  char        *title;
  char        *words;      /* " word word … ": the folded words of the title */
  char        *ascii;      /* the same in ASCII ("café" → "cafe"), or NULL when the same */
  DslItemKind  kind;
  guint        n_links;
  guint        n_expiring;
  guint        n_expired;
} Entry;

struct _DslSearchIndex
{
  GObject     parent_instance;

  /* owned */
  char       *path;
  GHashTable *entries;      /* id → Entry */
  GPtrArray  *order;        /* Entry (borrowed from entries), in the order added */
  GPtrArray  *problems;     /* of the last load, NULL-terminated */
  GDateTime  *scanned_at;
  GHashTable *walk_seen;    /* ids added since begin_walk (borrowed keys); NULL when no walk */
  GThread    *loader;       /* reads the file for dsl_search_index_preload_shared; joined once */

  GMutex      write_lock;   /* held while a snapshot is written (any thread) */

  /* plain values */
  guint       autosave_ms;
  guint       autosave_id;
  gboolean    dirty;
  gboolean    saving;       /* a save runs in a thread */
  guint64     generation;   /* of the last snapshot taken */
  guint64     written;      /* of the last snapshot written (under write_lock) */
};

G_DEFINE_FINAL_TYPE (DslSearchIndex, dsl_search_index, G_TYPE_OBJECT)

static GHashTable *shared_indexes;  /* account key → DslSearchIndex */

void
dsl_search_hit_free (DslSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->id);
  g_free (hit->sort_key);
  g_free (hit);
}

static void
entry_free (Entry *entry)
{
  g_free (entry->id);
  g_free (entry->parent);
  g_free (entry->title);
  g_free (entry->words);
  g_free (entry->ascii);
  g_free (entry);
}

/* The ASCII form of a folded word ("café" → "cafe", "straße" → "strasse"), or the word
 * itself when it has none (transfer full). */
static char *
ascii_word (const char *word)
{
  g_autofree char *ascii = g_str_to_ascii (word, "C");

  if (strchr (ascii, '?') != NULL && strchr (word, '?') == NULL)
    return g_strdup (word);
  return g_ascii_strdown (ascii, -1);
}

/* A title of ASCII only, folded as g_str_tokenize_and_fold() folds it (its words are the runs
 * of letters and digits, in lower case), without its Unicode tables: 10,000 titles are read
 * from the cache at every start, and this halves the time. */
static gboolean
fold_ascii_words (const char *title,
                  GString    *words)
{
  gboolean in_word = FALSE;

  for (const char *c = title; *c != '\0'; c++)
    if ((guchar) *c >= 0x80)
      return FALSE;
  for (const char *c = title; *c != '\0'; c++)
    {
      if (g_ascii_isalnum (*c))
        {
          g_string_append_c (words, g_ascii_tolower (*c));
          in_word = TRUE;
        }
      else if (in_word)
        {
          g_string_append_c (words, ' ');
          in_word = FALSE;
        }
    }
  if (in_word)
    g_string_append_c (words, ' ');
  return TRUE;
}

char *
dsl_search_index_fold_title (const char  *title,
                             char       **ascii)
{
  g_auto(GStrv) tokens = NULL;
  GString *words = g_string_new (" ");
  GString *plain;

  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (ascii != NULL, NULL);

  if (fold_ascii_words (title, words))
    {
      *ascii = NULL;
      return g_string_free (words, FALSE);
    }
  g_string_truncate (words, 1);
  tokens = g_str_tokenize_and_fold (title, NULL, NULL);
  plain = g_string_new (" ");
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      g_autofree char *a = ascii_word (tokens[i]);

      g_string_append_printf (words, "%s ", tokens[i]);
      g_string_append_printf (plain, "%s ", a);
    }
  if (strcmp (words->str, plain->str) == 0)
    {
      g_string_free (plain, TRUE);
      *ascii = NULL;
    }
  else
    *ascii = g_string_free (plain, FALSE);
  return g_string_free (words, FALSE);
}

/* --- GObject --- */

static gboolean autosave_cb (gpointer user_data);

static void
mark_dirty (DslSearchIndex *self)
{
  self->dirty = TRUE;
  if (self->autosave_ms > 0 && self->autosave_id == 0)
    self->autosave_id = g_timeout_add (self->autosave_ms, autosave_cb, self);
}

static void save_async (DslSearchIndex *self);

static gboolean
autosave_cb (gpointer user_data)
{
  DslSearchIndex *self = DSL_SEARCH_INDEX (user_data);

  self->autosave_id = 0;
  if (self->dirty)
    save_async (self);
  return G_SOURCE_REMOVE;
}

static void
dsl_search_index_finalize (GObject *object)
{
  DslSearchIndex *self = DSL_SEARCH_INDEX (object);

  if (self->loader != NULL)
    g_object_unref (g_thread_join (g_steal_pointer (&self->loader)));
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  g_clear_pointer (&self->walk_seen, g_hash_table_unref);
  g_clear_pointer (&self->order, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->scanned_at, g_date_time_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->write_lock);

  G_OBJECT_CLASS (dsl_search_index_parent_class)->finalize (object);
}

static void
dsl_search_index_class_init (DslSearchIndexClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dsl_search_index_finalize;
}

static void
dsl_search_index_init (DslSearchIndex *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) entry_free);
  self->order = g_ptr_array_new ();
  g_mutex_init (&self->write_lock);
  self->problems = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->problems, NULL);
}

char *
dsl_search_index_path_for_account (const char *account_key)
{
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (account_key != NULL, NULL);

  digest = dsl_state_file_hash_account (account_key);
  name = g_strdup_printf ("search-%s.json", digest);
  return g_build_filename (g_get_user_cache_dir (), "docspace-links", name, NULL);
}

DslSearchIndex *
dsl_search_index_new_for_path (const char *path)
{
  DslSearchIndex *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DSL_TYPE_SEARCH_INDEX, NULL);
  self->path = g_strdup (path);
  return self;
}

const char *
dsl_search_index_get_path (DslSearchIndex *self)
{
  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), NULL);
  return self->path;
}

/* Says in the log what the load of a shared index could not read. */
static void
report_load (DslSearchIndex *self,
             const GError   *error)
{
  if (error != NULL)
    g_message ("The search index %s was not read (%s); it is made again", self->path,
               error->message);
  else if (self->problems->len > 1)
    g_message ("Not everything in the search index %s could be read: %s", self->path,
               (const char *) self->problems->pdata[0]);
}

/* In the loader thread: an index of its own (no main-loop source is made for it), read. */
static gpointer
load_thread (gpointer data)
{
  DslSearchIndex *loaded = data;
  g_autoptr(GError) error = NULL;

  if (!dsl_search_index_load (loaded, &error))
    g_object_set_data_full (G_OBJECT (loaded), "dsl-load-error", g_steal_pointer (&error),
                            (GDestroyNotify) g_error_free);
  return loaded;
}

/* Waits for the loader thread and takes what it read. */
static void
adopt_preloaded (DslSearchIndex *self)
{
  g_autoptr(DslSearchIndex) loaded = g_thread_join (g_steal_pointer (&self->loader));

  /* Nothing was added meanwhile: every caller comes through dsl_search_index_get_shared. */
  g_assert (self->order->len == 0);
  g_assert (!self->dirty);
#define TAKE(member) G_STMT_START { \
    gpointer taken_ = self->member; \
    self->member = loaded->member; \
    loaded->member = taken_; \
  } G_STMT_END
  TAKE (entries);
  TAKE (order);
  TAKE (problems);
  TAKE (scanned_at);
#undef TAKE
  report_load (self, g_object_get_data (G_OBJECT (loaded), "dsl-load-error"));
}

static DslSearchIndex *
make_shared (const char *account_key,
             gboolean    in_thread)
{
  g_autofree char *path = dsl_search_index_path_for_account (account_key);
  DslSearchIndex *self = dsl_search_index_new_for_path (path);
  g_autoptr(GError) error = NULL;

  if (in_thread)
    self->loader = g_thread_try_new ("dsl-search-load", load_thread,
                                     dsl_search_index_new_for_path (path), &error);
  if (self->loader == NULL)
    {
      if (error != NULL)
        g_clear_error (&error);  /* No thread: read here, as without a preload. */
      dsl_search_index_load (self, &error);
      report_load (self, error);
    }
  dsl_search_index_set_autosave (self, SHARED_AUTOSAVE_MS);
  if (shared_indexes == NULL)
    shared_indexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_hash_table_insert (shared_indexes, g_strdup (account_key), self);
  return self;
}

void
dsl_search_index_preload_shared (const char *account_key)
{
  g_return_if_fail (account_key != NULL);

  if (shared_indexes == NULL || !g_hash_table_contains (shared_indexes, account_key))
    make_shared (account_key, TRUE);
}

DslSearchIndex *
dsl_search_index_get_shared (const char *account_key)
{
  DslSearchIndex *self;

  g_return_val_if_fail (account_key != NULL, NULL);

  self = shared_indexes != NULL ? g_hash_table_lookup (shared_indexes, account_key) : NULL;
  if (self == NULL)
    return make_shared (account_key, FALSE);
  if (self->loader != NULL)
    adopt_preloaded (self);
  return self;
}

void
dsl_search_index_shared_flush (void)
{
  GHashTableIter iter;
  gpointer value;

  if (shared_indexes == NULL)
    return;
  g_hash_table_iter_init (&iter, shared_indexes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DslSearchIndex *self = value;

      g_autoptr(GError) error = NULL;

      g_clear_handle_id (&self->autosave_id, g_source_remove);
      if (self->dirty && !dsl_search_index_save (self, &error))
        g_warning ("Could not save the search index %s: %s", self->path, error->message);
    }
}

/* --- Entries --- */

/* `text` cut to at most `max` bytes at a character boundary, valid UTF-8 (transfer full). */
static char *
bounded_text (const char *text,
              gsize       max)
{
  g_autofree char *valid = dsl_state_file_make_valid (text != NULL ? text : "", NULL);
  const char *end;

  if (strlen (valid) <= max)
    return g_steal_pointer (&valid);
  end = g_utf8_find_prev_char (valid, valid + max + 1);
  return g_strndup (valid, end != NULL ? (gsize) (end - valid) : 0);
}

static gboolean
id_ok (const char *id)
{
  return id != NULL && *id != '\0' && strlen (id) <= DSL_SEARCH_INDEX_MAX_ID &&
         g_utf8_validate (id, -1, NULL);
}

/* Adds or updates; TRUE when something changed. */
static gboolean
put (DslSearchIndex *self,
     const char     *parent_id,
     const char     *id,
     const char     *title,
     DslItemKind     kind)
{
  g_autofree char *bounded = bounded_text (title, DSL_SEARCH_INDEX_MAX_TITLE);
  Entry *entry = g_hash_table_lookup (self->entries, id);

  if (entry != NULL)
    {
      if (g_strcmp0 (entry->parent, parent_id) == 0 && g_strcmp0 (entry->title, bounded) == 0 &&
          entry->kind == kind)
        return FALSE;
      g_free (entry->parent);
      entry->parent = g_strdup (parent_id);
      if (g_strcmp0 (entry->title, bounded) != 0)
        {
          g_free (entry->words);
          g_free (entry->ascii);
          entry->words = dsl_search_index_fold_title (bounded, &entry->ascii);
          g_free (entry->title);
          entry->title = g_steal_pointer (&bounded);
        }
      entry->kind = kind;
      return TRUE;
    }
  if (g_hash_table_size (self->entries) >= DSL_SEARCH_INDEX_MAX_ITEMS)
    return FALSE;
  entry = g_new0 (Entry, 1);
  entry->id = g_strdup (id);
  entry->parent = g_strdup (parent_id);
  entry->words = dsl_search_index_fold_title (bounded, &entry->ascii);
  entry->title = g_steal_pointer (&bounded);
  entry->kind = kind;
  g_hash_table_insert (self->entries, entry->id, entry);
  g_ptr_array_add (self->order, entry);
  return TRUE;
}

/* During a walk: `id` is still on the portal. */
static void
note_seen (DslSearchIndex *self,
           const char     *id)
{
  Entry *entry;

  if (self->walk_seen != NULL && (entry = g_hash_table_lookup (self->entries, id)) != NULL)
    g_hash_table_add (self->walk_seen, entry->id);
}

void
dsl_search_index_begin_walk (DslSearchIndex *self)
{
  g_return_if_fail (DSL_IS_SEARCH_INDEX (self));

  g_clear_pointer (&self->walk_seen, g_hash_table_unref);
  self->walk_seen = g_hash_table_new (g_str_hash, g_str_equal);
}

guint
dsl_search_index_end_walk (DslSearchIndex *self,
                           gboolean        complete)
{
  g_autoptr(GHashTable) seen = NULL;
  guint kept = 0, removed;

  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), 0);

  seen = g_steal_pointer (&self->walk_seen);
  if (seen == NULL || !complete)
    return 0;
  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);

      if (g_hash_table_contains (seen, entry->id))
        self->order->pdata[kept++] = entry;
      else
        g_hash_table_remove (self->entries, entry->id);   /* frees it */
    }
  removed = self->order->len - kept;
  g_ptr_array_set_size (self->order, kept);
  if (removed > 0)
    mark_dirty (self);
  return removed;
}

gboolean
dsl_search_index_add (DslSearchIndex *self,
                      const char     *parent_id,
                      const char     *id,
                      const char     *title,
                      DslItemKind     kind)
{
  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), FALSE);

  if (!id_ok (parent_id) || !id_ok (id) || kind > DSL_ITEM_KIND_ROOM)
    return FALSE;
  if (!put (self, parent_id, id, title, kind))
    {
      note_seen (self, id);
      return FALSE;
    }
  note_seen (self, id);
  mark_dirty (self);
  return TRUE;
}

void
dsl_search_index_add_items (DslSearchIndex *self,
                            const char     *parent_id,
                            GPtrArray      *items)
{
  g_return_if_fail (DSL_IS_SEARCH_INDEX (self));

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      DslItem *item = g_ptr_array_index (items, i);

      dsl_search_index_add (self, parent_id, dsl_item_get_id (item), dsl_item_get_title (item),
                            dsl_item_get_kind (item));
    }
}

void
dsl_search_index_set_links (DslSearchIndex *self,
                            GListModel     *rows,
                            GDateTime      *scanned_at)
{
  guint n;

  g_return_if_fail (DSL_IS_SEARCH_INDEX (self));
  g_return_if_fail (G_IS_LIST_MODEL (rows));

  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);

      entry->n_links = entry->n_expiring = entry->n_expired = 0;
    }
  n = g_list_model_get_n_items (rows);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) object = g_list_model_get_item (rows, i);
      DslLinkScanRow *row;
      Entry *entry;

      if (!DSL_IS_LINK_SCAN_ROW (object))
        continue;
      row = DSL_LINK_SCAN_ROW (object);
      if (dsl_link_scan_row_get_link (row) == NULL)
        continue;
      entry = g_hash_table_lookup (self->entries, dsl_item_get_id (dsl_link_scan_row_get_item (row)));
      if (entry == NULL)
        continue;
      entry->n_links++;
      if (dsl_link_scan_row_get_state (row) == DSL_LINK_SCAN_STATE_EXPIRING_SOON)
        entry->n_expiring++;
      else if (dsl_link_scan_row_get_state (row) == DSL_LINK_SCAN_STATE_EXPIRED)
        entry->n_expired++;
    }
  g_clear_pointer (&self->scanned_at, g_date_time_unref);
  self->scanned_at = scanned_at != NULL ? g_date_time_ref (scanned_at)
                                        : g_date_time_new_now_utc ();
  mark_dirty (self);
}

GDateTime *
dsl_search_index_get_scanned_at (DslSearchIndex *self)
{
  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), NULL);
  return self->scanned_at;
}

guint
dsl_search_index_get_n_items (DslSearchIndex *self)
{
  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), 0);
  return self->order->len;
}

gboolean
dsl_search_index_get_dirty (DslSearchIndex *self)
{
  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), FALSE);
  return self->dirty;
}

void
dsl_search_index_set_autosave (DslSearchIndex *self,
                               guint           delay_ms)
{
  g_return_if_fail (DSL_IS_SEARCH_INDEX (self));

  self->autosave_ms = delay_ms;
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  if (self->dirty && delay_ms > 0)
    self->autosave_id = g_timeout_add (delay_ms, autosave_cb, self);
}

/* --- Hooks --- */

void
dsl_search_index_attach_client (DslSearchIndex *self,
                                DslClient      *client)
{
  g_return_if_fail (DSL_IS_SEARCH_INDEX (self));
  g_return_if_fail (DSL_IS_CLIENT (client));

  g_object_set_data_full (G_OBJECT (client), CLIENT_DATA, g_object_ref (self), g_object_unref);
}

DslSearchIndex *
dsl_search_index_for_client (DslClient *client)
{
  if (client == NULL)
    return NULL;
  return g_object_get_data (G_OBJECT (client), CLIENT_DATA);
}

void
dsl_search_index_feed_page (DslClient  *client,
                            const char *parent_id,
                            GPtrArray  *items)
{
  DslSearchIndex *self = dsl_search_index_for_client (client);

  if (self != NULL)
    dsl_search_index_add_items (self, parent_id, items);
}

void
dsl_search_index_feed_scan_start (DslClient *client)
{
  DslSearchIndex *self = dsl_search_index_for_client (client);

  if (self != NULL)
    dsl_search_index_begin_walk (self);
}

void
dsl_search_index_feed_scan (DslClient  *client,
                            GListModel *rows,
                            GDateTime  *scanned_at,
                            gboolean    complete)
{
  DslSearchIndex *self = dsl_search_index_for_client (client);

  if (self == NULL)
    return;
  dsl_search_index_end_walk (self, complete && rows != NULL);
  if (rows != NULL)
    dsl_search_index_set_links (self, rows, scanned_at);
}

/* --- Load and save --- */

static void
add_problem (DslSearchIndex *self,
             char           *problem)
{
  g_ptr_array_insert (self->problems, (int) self->problems->len - 1, problem);
}

static void
clear (DslSearchIndex *self)
{
  g_clear_pointer (&self->walk_seen, g_hash_table_unref);
  g_ptr_array_set_size (self->order, 0);
  g_hash_table_remove_all (self->entries);
  g_clear_pointer (&self->scanned_at, g_date_time_unref);
  g_ptr_array_set_size (self->problems, 0);
  g_ptr_array_add (self->problems, NULL);
}

static const char *
kind_name (DslItemKind kind)
{
  switch (kind)
    {
    case DSL_ITEM_KIND_FILE:
      return "file";
    case DSL_ITEM_KIND_FOLDER:
      return "folder";
    case DSL_ITEM_KIND_ROOM:
      return "room";
    default:
      g_assert_not_reached ();
    }
}

static gboolean
kind_from_name (const char  *name,
                DslItemKind *kind)
{
  for (DslItemKind k = DSL_ITEM_KIND_FILE; k <= DSL_ITEM_KIND_ROOM; k++)
    if (g_strcmp0 (name, kind_name (k)) == 0)
      {
        *kind = k;
        return TRUE;
      }
  return FALSE;
}

/* NULL when the record was read into the index, else why not (transfer full). */
static char *
read_record (DslSearchIndex *self,
             JsonNode       *node,
             gboolean       *made_valid)
{
  JsonObject *record;
  const char *id, *parent, *title, *kind_text;
  g_autofree char *valid_id = NULL;
  g_autofree char *valid_parent = NULL;
  g_autofree char *valid_title = NULL;
  DslItemKind kind;
  const char *counts[] = { "links", "expiring", "expired" };
  gint64 values[3] = { 0, 0, 0 };
  Entry *entry;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup (_("it is not an object"));
  record = json_node_get_object (node);
  if ((id = dsl_state_file_get_string (record, "id")) == NULL)
    return g_strdup (_("“id” is missing or not text"));
  if ((parent = dsl_state_file_get_string (record, "parent")) == NULL)
    return g_strdup (_("“parent” is missing or not text"));
  if ((title = dsl_state_file_get_string (record, "title")) == NULL)
    return g_strdup (_("“title” is missing or not text"));
  if (!kind_from_name (dsl_state_file_get_string (record, "kind"), &kind))
    {
      kind_text = dsl_state_file_get_string (record, "kind");
      return kind_text != NULL ? g_strdup (_("“kind” is not file, folder or room"))
                               : g_strdup (_("“kind” is missing or not text"));
    }
  valid_id = dsl_state_file_make_valid (id, made_valid);
  valid_parent = dsl_state_file_make_valid (parent, made_valid);
  valid_title = dsl_state_file_make_valid (title, made_valid);
  if (!id_ok (valid_id) || !id_ok (valid_parent))
    return g_strdup_printf (_("an id is empty or longer than %d bytes"), DSL_SEARCH_INDEX_MAX_ID);
  if (strlen (valid_title) > DSL_SEARCH_INDEX_MAX_TITLE)
    return g_strdup_printf (_("the title is longer than %d bytes"), DSL_SEARCH_INDEX_MAX_TITLE);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      if (json_object_get_member (record, counts[i]) == NULL)
        continue;
      if (!dsl_state_file_get_int (record, counts[i], &values[i]) || values[i] < 0 ||
          values[i] > G_MAXINT)
        /* Translators: %s is a member name such as “links” */
        return g_strdup_printf (_("“%s” is not a count"), counts[i]);
    }
  if (values[1] + values[2] > values[0])
    return g_strdup (_("it counts more expiring and expired links than links"));
  if (g_hash_table_contains (self->entries, valid_id))
    return g_strdup (_("its id was listed before"));

  if (!put (self, valid_parent, valid_id, valid_title, kind))
    return g_strdup (_("the index is full"));
  entry = g_hash_table_lookup (self->entries, valid_id);
  entry->n_links = (guint) values[0];
  entry->n_expiring = (guint) values[1];
  entry->n_expired = (guint) values[2];
  return NULL;
}

static gboolean
parse (DslSearchIndex *self,
       const char     *text,
       gsize           len,
       GError        **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *list;
  JsonArray *array;
  const char *scanned;
  gboolean made_valid = FALSE;
  gint64 version = 0;

  parser = dsl_state_file_parse (text, len, &made_valid, error);
  if (parser == NULL)
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (dsl_state_file_get_string (json_node_get_object (root), "format"),
                 INDEX_FORMAT) != 0)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           _("it is not a search index"));
      return FALSE;
    }
  object = json_node_get_object (root);
  if (!dsl_state_file_get_int (object, "version", &version) || version != INDEX_VERSION)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           _("it is of another version"));
      return FALSE;
    }
  list = json_object_get_member (object, "items");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           _("its items are not a list"));
      return FALSE;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) > DSL_SEARCH_INDEX_MAX_ITEMS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("it holds %u records, more than the %u the app loads"),
                   json_array_get_length (array), DSL_SEARCH_INDEX_MAX_ITEMS);
      return FALSE;
    }

  if ((scanned = dsl_state_file_get_string (object, "scanned-at")) != NULL &&
      (self->scanned_at = dsl_state_file_parse_date (scanned)) == NULL)
    add_problem (self, g_strdup (_("the time of the link scan is not a date")));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *problem = read_record (self, json_array_get_element (array, i),
                                              &made_valid);

      if (problem != NULL)
        /* Translators: the first %u is the record's number in the file, %s why */
        add_problem (self, g_strdup_printf (_("record %u: %s"), i + 1, problem));
    }
  if (made_valid)
    add_problem (self, g_strdup (_("Some text in the search index was not valid UTF-8; the "
                                   "characters that could not be read were replaced")));
  return TRUE;
}

gboolean
dsl_search_index_load (DslSearchIndex *self,
                       GError        **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), FALSE);

  clear (self);
  g_clear_handle_id (&self->autosave_id, g_source_remove);
  self->dirty = FALSE;
  if (!dsl_state_file_read (self->path, DSL_STATE_FILE_MAX_SIZE, &text, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
    }
  else if (parse (self, text, len, &local_error))
    return TRUE;

  /* A cache: what cannot be read is dropped, and made again from the portal. */
  clear (self);
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
               _("The search index could not be read (%s)"), local_error->message);
  add_problem (self, g_strdup ((*error)->message));
  return FALSE;
}

const char * const *
dsl_search_index_get_load_problems (DslSearchIndex *self)
{
  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), NULL);
  return (const char * const *) self->problems->pdata;
}

/* What a save writes, copied on the main thread so the JSON can be made and written in a
 * thread: 10,000 items take some 80 ms, which would stall the window's frames while the tree
 * pages through a big folder. */
typedef struct {
  char      *path;
  char      *scanned_at;   /* ISO 8601 UTC, or NULL */
  GPtrArray *entries;      /* Entry copies (words not copied) */
  guint64    generation;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_free (snapshot->path);
  g_free (snapshot->scanned_at);
  g_ptr_array_unref (snapshot->entries);
  g_free (snapshot);
}

static Snapshot *
take_snapshot (DslSearchIndex *self)
{
  Snapshot *snapshot = g_new0 (Snapshot, 1);

  snapshot->path = g_strdup (self->path);
  if (self->scanned_at != NULL)
    {
      g_autoptr(GDateTime) utc = g_date_time_to_utc (self->scanned_at);

      snapshot->scanned_at = utc != NULL ? g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ") : NULL;
    }
  snapshot->entries = g_ptr_array_new_full (self->order->len, (GDestroyNotify) entry_free);
  for (guint i = 0; i < self->order->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->order, i);
      Entry *copy = g_memdup2 (entry, sizeof *entry);

      copy->id = g_strdup (entry->id);
      copy->parent = g_strdup (entry->parent);
      copy->title = g_strdup (entry->title);
      copy->words = NULL;
      copy->ascii = NULL;
      g_ptr_array_add (snapshot->entries, copy);
    }
  snapshot->generation = ++self->generation;
  self->dirty = FALSE;
  return snapshot;
}

/* The snapshot as the file's text (any thread). */
static char *
serialize (Snapshot *snapshot,
           gsize    *len)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, INDEX_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, INDEX_VERSION);
  if (snapshot->scanned_at != NULL)
    {
      json_builder_set_member_name (builder, "scanned-at");
      json_builder_add_string_value (builder, snapshot->scanned_at);
    }
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < snapshot->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (snapshot->entries, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->id);
      json_builder_set_member_name (builder, "parent");
      json_builder_add_string_value (builder, entry->parent);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, entry->title);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind_name (entry->kind));
      if (entry->n_links > 0)
        {
          json_builder_set_member_name (builder, "links");
          json_builder_add_int_value (builder, entry->n_links);
          json_builder_set_member_name (builder, "expiring");
          json_builder_add_int_value (builder, entry->n_expiring);
          json_builder_set_member_name (builder, "expired");
          json_builder_add_int_value (builder, entry->n_expired);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, len);
}

/* Writes the snapshot unless a newer one was written already (a save in a thread and one at
 * exit may cross). Any thread. */
static gboolean
write_snapshot (DslSearchIndex *self,
                Snapshot       *snapshot,
                GError        **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  gboolean ok = TRUE;

  text = serialize (snapshot, &len);
  g_mutex_lock (&self->write_lock);
  if (snapshot->generation > self->written)
    {
      ok = dsl_state_file_write (snapshot->path, text, len, error);
      if (ok)
        self->written = snapshot->generation;
    }
  g_mutex_unlock (&self->write_lock);
  return ok;
}

gboolean
dsl_search_index_save (DslSearchIndex *self,
                       GError        **error)
{
  Snapshot *snapshot;
  gboolean ok;

  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), FALSE);

  snapshot = take_snapshot (self);
  ok = write_snapshot (self, snapshot, error);
  if (!ok)
    self->dirty = TRUE;
  snapshot_free (snapshot);
  return ok;
}

static void
save_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_snapshot (DSL_SEARCH_INDEX (source_object), task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_in_thread_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DslSearchIndex *self = DSL_SEARCH_INDEX (object);
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("Could not save the search index %s: %s", self->path, error->message);
      return;   /* not retried until the next change */
    }
  /* Changes made meanwhile: their own save. */
  if (self->dirty)
    mark_dirty (self);
}

static void
save_async (DslSearchIndex *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->saving)
    {
      /* save_in_thread_cb saves again when it is done */
      return;
    }
  self->saving = TRUE;
  task = g_task_new (self, NULL, save_in_thread_cb, NULL);
  g_task_set_source_tag (task, save_async);
  g_task_set_task_data (task, take_snapshot (self), (GDestroyNotify) snapshot_free);
  g_task_run_in_thread (task, save_in_thread);
}

/* --- Searching --- */

/* The parent chain of `entry` reaches a root ("@rooms", "@my"). */
static gboolean
reachable (DslSearchIndex *self,
           Entry          *entry,
           GPtrArray      *chain)
{
  for (guint depth = 0; depth < DSL_SEARCH_INDEX_MAX_DEPTH; depth++)
    {
      if (chain != NULL)
        g_ptr_array_add (chain, entry);
      if (g_str_equal (entry->parent, DSL_FOLDER_ROOMS) ||
          g_str_equal (entry->parent, DSL_FOLDER_MY))
        return TRUE;
      entry = g_hash_table_lookup (self->entries, entry->parent);
      if (entry == NULL)
        return FALSE;
    }
  return FALSE;
}

typedef struct {
  char *token;       /* " word": a word of the search, folded, after a space */
  char *ascii;       /* its ASCII form, when it differs; or NULL */
} Needle;

static void
needles_free (GArray *needles)
{
  for (guint i = 0; i < needles->len; i++)
    {
      g_free (g_array_index (needles, Needle, i).token);
      g_free (g_array_index (needles, Needle, i).ascii);
    }
  g_array_free (needles, TRUE);
}

static GArray *
make_needles (const char * const *terms)
{
  GArray *needles = g_array_new (FALSE, FALSE, sizeof (Needle));

  for (guint t = 0; terms != NULL && terms[t] != NULL; t++)
    {
      g_auto(GStrv) tokens = g_str_tokenize_and_fold (terms[t], NULL, NULL);

      for (guint i = 0; tokens[i] != NULL; i++)
        {
          g_autofree char *ascii = ascii_word (tokens[i]);
          Needle needle = { g_strconcat (" ", tokens[i], NULL), NULL };

          if (strcmp (ascii, tokens[i]) != 0)
            needle.ascii = g_strconcat (" ", ascii, NULL);
          g_array_append_val (needles, needle);
        }
    }
  return needles;
}

/* The rank of `needle` (" word") in `words`: 0 starts the first word, 1 starts a word,
 * 2 inside a word, G_MAXUINT no match. */
static guint
needle_rank (const char *words,
             const char *needle)
{
  const char *hit;

  if (words == NULL || needle == NULL)
    return G_MAXUINT;
  hit = strstr (words, needle);
  if (hit == words)
    return 0;
  if (hit != NULL)
    return 1;
  return strstr (words, needle + 1) != NULL ? 2 : G_MAXUINT;
}

/* The entry's rank for every needle (the worst of them), or G_MAXUINT. The name and the search
 * are compared as typed and in ASCII, so accents do not matter either way. */
static guint
entry_rank (Entry  *entry,
            GArray *needles)
{
  guint rank = 0;

  for (guint i = 0; i < needles->len; i++)
    {
      Needle *needle = &g_array_index (needles, Needle, i);
      const char *ascii = needle->ascii != NULL ? needle->ascii : needle->token;
      guint r = needle_rank (entry->words, needle->token);

      r = MIN (r, needle_rank (entry->ascii, needle->token));
      if (needle->ascii != NULL)
        r = MIN (r, needle_rank (entry->words, ascii));
      r = MIN (r, needle_rank (entry->ascii != NULL ? entry->ascii : entry->words, ascii));
      if (r == G_MAXUINT)
        return G_MAXUINT;
      rank = MAX (rank, r);
    }
  return rank;
}

int
dsl_search_hit_compare (const DslSearchHit *a,
                        const DslSearchHit *b)
{
  int result;

  if (a->rank != b->rank)
    return a->rank < b->rank ? -1 : 1;
  result = strcmp (a->sort_key, b->sort_key);
  return result != 0 ? result : strcmp (a->id, b->id);
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  return dsl_search_hit_compare (*(DslSearchHit * const *) a, *(DslSearchHit * const *) b);
}

static void
consider (DslSearchIndex *self,
          Entry          *entry,
          GArray         *needles,
          GPtrArray      *hits)
{
  guint rank = entry_rank (entry, needles);
  DslSearchHit *hit;

  if (rank == G_MAXUINT || !reachable (self, entry, NULL))
    return;
  hit = g_new0 (DslSearchHit, 1);
  hit->id = g_strdup (entry->id);
  hit->sort_key = g_strdup (entry->ascii != NULL ? entry->ascii : entry->words);
  hit->rank = rank;
  g_ptr_array_add (hits, hit);
}

GPtrArray *
dsl_search_index_search (DslSearchIndex     *self,
                         const char * const *terms,
                         const char * const *within)
{
  GPtrArray *hits = g_ptr_array_new_with_free_func ((GDestroyNotify) dsl_search_hit_free);
  GArray *needles;

  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), hits);

  needles = make_needles (terms);
  if (needles->len == 0)
    {
      needles_free (needles);
      return hits;
    }
  if (within != NULL)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; within[i] != NULL; i++)
        {
          Entry *entry = g_hash_table_lookup (self->entries, within[i]);

          if (entry != NULL && g_hash_table_add (seen, entry->id))
            consider (self, entry, needles, hits);
        }
    }
  else
    {
      for (guint i = 0; i < self->order->len; i++)
        consider (self, g_ptr_array_index (self->order, i), needles, hits);
    }
  needles_free (needles);

  g_ptr_array_sort (hits, compare_hits);
  return hits;
}

/* --- One item --- */

gboolean
dsl_search_index_contains (DslSearchIndex *self,
                           const char     *id)
{
  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), FALSE);
  return id != NULL && g_hash_table_contains (self->entries, id);
}

const char *
dsl_search_index_get_title (DslSearchIndex *self,
                            const char     *id)
{
  Entry *entry;

  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), NULL);

  entry = id != NULL ? g_hash_table_lookup (self->entries, id) : NULL;
  return entry != NULL ? entry->title : NULL;
}

DslItemKind
dsl_search_index_get_kind (DslSearchIndex *self,
                           const char     *id)
{
  Entry *entry;

  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), DSL_ITEM_KIND_FILE);

  entry = id != NULL ? g_hash_table_lookup (self->entries, id) : NULL;
  return entry != NULL ? entry->kind : DSL_ITEM_KIND_FILE;
}

/* The chain from the item up (item first), or NULL when it does not reach a root. */
static GPtrArray *
chain_of (DslSearchIndex *self,
          const char     *id)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  Entry *entry = id != NULL ? g_hash_table_lookup (self->entries, id) : NULL;

  if (entry == NULL || !reachable (self, entry, chain))
    return NULL;
  return g_steal_pointer (&chain);
}

char *
dsl_search_index_dup_path (DslSearchIndex *self,
                           const char     *id)
{
  g_autoptr(GPtrArray) chain = NULL;
  GString *path;

  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), NULL);

  if ((chain = chain_of (self, id)) == NULL)
    return NULL;
  path = g_string_new (((Entry *) g_ptr_array_index (chain, chain->len - 1))->parent);
  for (guint i = chain->len; i > 0; i--)
    {
      g_string_append_c (path, '/');
      g_string_append (path, ((Entry *) g_ptr_array_index (chain, i - 1))->id);
    }
  return g_string_free (path, FALSE);
}

char *
dsl_search_index_dup_location (DslSearchIndex *self,
                               const char     *id)
{
  g_autoptr(GPtrArray) chain = NULL;
  const char *root;
  GString *location;

  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), NULL);

  if ((chain = chain_of (self, id)) == NULL)
    return NULL;
  root = ((Entry *) g_ptr_array_index (chain, chain->len - 1))->parent;
  location = g_string_new (g_str_equal (root, DSL_FOLDER_ROOMS) ? _("Rooms") : _("My documents"));
  for (guint i = chain->len; i > 1; i--)
    {
      g_string_append (location, LOCATION_SEPARATOR);
      g_string_append (location, ((Entry *) g_ptr_array_index (chain, i - 1))->title);
    }
  return g_string_free (location, FALSE);
}

char *
dsl_search_index_dup_link_state (DslSearchIndex *self,
                                 const char     *id)
{
  Entry *entry;
  GString *state;

  g_return_val_if_fail (DSL_IS_SEARCH_INDEX (self), NULL);

  entry = id != NULL ? g_hash_table_lookup (self->entries, id) : NULL;
  if (entry == NULL || self->scanned_at == NULL)
    return NULL;
  if (entry->n_links == 0)
    return g_strdup (_("No links"));
  state = g_string_new (NULL);
  g_string_append_printf (state,
                          /* Translators: a search result's link state, e.g. "3 links" */
                          g_dngettext (GETTEXT_PACKAGE, "%u link", "%u links", entry->n_links),
                          entry->n_links);
  if (entry->n_expiring > 0)
    g_string_append_printf (state,
                            /* Translators: follows "3 links": ", 1 expiring" (soon) */
                            g_dngettext (GETTEXT_PACKAGE, ", %u expiring", ", %u expiring",
                                         entry->n_expiring),
                            entry->n_expiring);
  if (entry->n_expired > 0)
    g_string_append_printf (state,
                            /* Translators: follows "3 links": ", 1 expired" */
                            g_dngettext (GETTEXT_PACKAGE, ", %u expired", ", %u expired",
                                         entry->n_expired),
                            entry->n_expired);
  return g_string_free (state, FALSE);
}

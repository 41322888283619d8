/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-reminder-store.c: see dsl-reminder-store.h.
 *
 *   reminders-<sha256(account key)[:16]>.json
 *   {"format": "docspace-links-reminders", "version": 1,
 *    "last-scan": "2026-12-04T12:00:00Z",                      (absent: never)
 *    "reminded": [{"link-id": "…", "expires": "…Z", "reminded-at": "…Z"}, …]}
 *
 * Dates are kept as Unix seconds in memory and written in UTC; entries are written sorted by
 * link id so the file is the same for the same contents. */
#define G_LOG_DOMAIN "dsl-reminder-store"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dsl-reminder-store.h"

#define STORE_FORMAT "docspace-links-reminders"
#define STORE_VERSION 1

typedef struct
{
  gint64 expires;      /* Unix seconds */
  gint64 reminded_at;  /* Unix seconds */
} Entry;

struct _DslReminderStore
{
  GObject parent_instance;

  /* owned */
  char       *path;
  GHashTable *entries;    /* link id -> Entry */
  GDateTime  *last_scan;  /* nullable, UTC */
};

G_DEFINE_FINAL_TYPE (DslReminderStore, dsl_reminder_store, G_TYPE_OBJECT)

gboolean
dsl_reminder_expiry_is_due (GDateTime *expires,
                            GDateTime *now)
{
  GTimeSpan left;

  g_return_val_if_fail (now != NULL, FALSE);

  if (expires == NULL)
    return FALSE;
  left = g_date_time_difference (expires, now);
  return left > 0 && left <= DSL_REMINDER_WINDOW;
}

static void
dsl_reminder_store_finalize (GObject *object)
{
  DslReminderStore *self = DSL_REMINDER_STORE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->last_scan, g_date_time_unref);

  G_OBJECT_CLASS (dsl_reminder_store_parent_class)->finalize (object);
}

static void
dsl_reminder_store_class_init (DslReminderStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dsl_reminder_store_finalize;
}

static void
dsl_reminder_store_init (DslReminderStore *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

char *
dsl_reminder_store_path_for_account (const char *account_key)
{
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (account_key != NULL, NULL);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, account_key, -1);
  digest[16] = '\0';
  name = g_strdup_printf ("reminders-%s.json", digest);
  return g_build_filename (g_get_user_data_dir (), "docspace-links", name, NULL);
}

DslReminderStore *
dsl_reminder_store_new_for_path (const char *path)
{
  DslReminderStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DSL_TYPE_REMINDER_STORE, NULL);
  self->path = g_strdup (path);
  return self;
}

DslReminderStore *
dsl_reminder_store_new (const char *account_key)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (account_key != NULL, NULL);

  path = dsl_reminder_store_path_for_account (account_key);
  return dsl_reminder_store_new_for_path (path);
}

const char *
dsl_reminder_store_get_path (DslReminderStore *self)
{
  g_return_val_if_fail (DSL_IS_REMINDER_STORE (self), NULL);
  return self->path;
}

static char *
format_utc (gint64 unix_seconds)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (unix_seconds);

  return date != NULL ? g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

/* An ISO 8601 member of `object` as Unix seconds; FALSE when missing or not a date. */
static gboolean
read_date (JsonObject *object,
           const char *member,
           gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GDateTime) date = NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  date = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
  if (date == NULL)
    return FALSE;
  *out = g_date_time_to_unix (date);
  return TRUE;
}

static gboolean
parse (DslReminderStore *self,
       const char       *text,
       gsize             len,
       GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  JsonNode *list;
  gint64 when;

  if (!json_parser_load_from_data (parser, text, len, error))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "not a JSON object");
      return FALSE;
    }
  object = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "format", ""),
                 STORE_FORMAT) != 0)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           "\"format\" is not " STORE_FORMAT);
      return FALSE;
    }

  if (read_date (object, "last-scan", &when))
    self->last_scan = g_date_time_new_from_unix_utc (when);

  list = json_object_get_member (object, "reminded");
  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    {
      JsonArray *array = json_node_get_array (list);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *record;
          const char *link_id;
          Entry entry = { 0, 0 };

          /* A record we cannot read is skipped, not fatal: at worst one more reminder. */
          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          record = json_node_get_object (node);
          link_id = json_object_get_string_member_with_default (record, "link-id", NULL);
          if (link_id == NULL || *link_id == '\0' || !read_date (record, "expires", &entry.expires))
            continue;
          if (!read_date (record, "reminded-at", &entry.reminded_at))
            entry.reminded_at = entry.expires;
          g_hash_table_replace (self->entries, g_strdup (link_id), g_memdup2 (&entry, sizeof entry));
        }
    }
  return TRUE;
}

gboolean
dsl_reminder_store_load (DslReminderStore *self,
                         GError          **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DSL_IS_REMINDER_STORE (self), FALSE);

  g_hash_table_remove_all (self->entries);
  g_clear_pointer (&self->last_scan, g_date_time_unref);

  if (!g_file_get_contents (self->path, &text, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!parse (self, text, len, &local_error))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
      g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);

      g_hash_table_remove_all (self->entries);
      g_clear_pointer (&self->last_scan, g_date_time_unref);
      /* Kept aside for a person to look at; the next save starts a fresh file. */
      if (g_rename (self->path, aside) != 0)
        g_debug ("Could not move %s aside: %s", self->path, g_strerror (errno));
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "The reminder file could not be read (%s); it was moved to %s",
                   local_error->message, aside);
      return FALSE;
    }
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

gboolean
dsl_reminder_store_save (DslReminderStore *self,
                         GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree gpointer *ids = NULL;
  guint n_ids = 0;
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  g_return_val_if_fail (DSL_IS_REMINDER_STORE (self), FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, STORE_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, STORE_VERSION);
  if (self->last_scan != NULL)
    {
      g_autofree char *when = format_utc (g_date_time_to_unix (self->last_scan));

      json_builder_set_member_name (builder, "last-scan");
      json_builder_add_string_value (builder, when);
    }
  json_builder_set_member_name (builder, "reminded");
  json_builder_begin_array (builder);
  ids = g_hash_table_get_keys_as_array (self->entries, &n_ids);
  qsort (ids, n_ids, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n_ids; i++)
    {
      const Entry *entry = g_hash_table_lookup (self->entries, ids[i]);
      g_autofree char *expires = format_utc (entry->expires);
      g_autofree char *reminded = format_utc (entry->reminded_at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "link-id");
      json_builder_add_string_value (builder, ids[i]);
      json_builder_set_member_name (builder, "expires");
      json_builder_add_string_value (builder, expires);
      json_builder_set_member_name (builder, "reminded-at");
      json_builder_add_string_value (builder, reminded);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &len);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Could not create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents_full (self->path, text, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT |
                                   G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                   0600, error);
}

gboolean
dsl_reminder_store_was_reminded (DslReminderStore *self,
                                 const char       *link_id,
                                 GDateTime        *expires)
{
  const Entry *entry;

  g_return_val_if_fail (DSL_IS_REMINDER_STORE (self), FALSE);
  g_return_val_if_fail (link_id != NULL, FALSE);

  if (expires == NULL)
    return FALSE;
  entry = g_hash_table_lookup (self->entries, link_id);
  return entry != NULL && entry->expires == g_date_time_to_unix (expires);
}

void
dsl_reminder_store_mark_reminded (DslReminderStore *self,
                                  const char       *link_id,
                                  GDateTime        *expires,
                                  GDateTime        *now)
{
  Entry entry;

  g_return_if_fail (DSL_IS_REMINDER_STORE (self));
  g_return_if_fail (link_id != NULL && expires != NULL && now != NULL);

  entry.expires = g_date_time_to_unix (expires);
  entry.reminded_at = g_date_time_to_unix (now);
  g_hash_table_replace (self->entries, g_strdup (link_id), g_memdup2 (&entry, sizeof entry));
}

guint
dsl_reminder_store_get_n_entries (DslReminderStore *self)
{
  g_return_val_if_fail (DSL_IS_REMINDER_STORE (self), 0);
  return g_hash_table_size (self->entries);
}

guint
dsl_reminder_store_prune (DslReminderStore *self,
                          GDateTime        *now)
{
  GHashTableIter iter;
  gpointer value;
  gint64 limit;
  guint removed = 0;

  g_return_val_if_fail (DSL_IS_REMINDER_STORE (self), 0);
  g_return_val_if_fail (now != NULL, 0);

  limit = g_date_time_to_unix (now) - DSL_REMINDER_KEEP / G_TIME_SPAN_SECOND;
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Entry *) value)->expires < limit)
      {
        g_hash_table_iter_remove (&iter);
        removed++;
      }
  return removed;
}

GDateTime *
dsl_reminder_store_get_last_scan (DslReminderStore *self)
{
  g_return_val_if_fail (DSL_IS_REMINDER_STORE (self), NULL);
  return self->last_scan;
}

void
dsl_reminder_store_set_last_scan (DslReminderStore *self,
                                  GDateTime        *when)
{
  g_return_if_fail (DSL_IS_REMINDER_STORE (self));

  g_clear_pointer (&self->last_scan, g_date_time_unref);
  if (when != NULL)
    self->last_scan = g_date_time_to_utc (when);
}

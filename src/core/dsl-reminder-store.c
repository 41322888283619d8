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

#include <stdlib.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "dsl-reminder-store.h"
#include "dsl-state-file.h"

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
  GPtrArray  *problems;   /* NULL-terminated: what the last load skipped (translated) */
  char       *refuse_save; /* why a save would destroy data (a newer version's file), or NULL */
  gboolean    failed;     /* the last load read nothing: problems[0] says why */
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
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->refuse_save, g_free);

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
  self->problems = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->problems, NULL);
}

char *
dsl_reminder_store_path_for_account (const char *account_key)
{
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (account_key != NULL, NULL);

  digest = dsl_state_file_hash_account (account_key);
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

/* An ISO 8601 member of `object` as Unix seconds. NULL when it was read or is absent
 * (`*present` FALSE), else why not (translated). */
static char *
read_date (JsonObject *object,
           const char *member,
           gboolean   *present,
           gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GDateTime) date = NULL;
  const char *text;

  *present = node != NULL && !JSON_NODE_HOLDS_NULL (node);
  if (!*present)
    return NULL;
  if ((text = dsl_state_file_get_string (object, member)) == NULL)
    return g_strdup_printf (_("“%s” is not text"), member);
  /* NULL also for a date with no UTC equivalent (9999-12-31T23:59:59-23:59) */
  date = dsl_state_file_parse_date (text);
  if (date == NULL)
    return g_strdup_printf (_("“%s” is not a date the app can use"), member);
  *out = g_date_time_to_unix (date);
  return NULL;
}

static void
add_problem (DslReminderStore *self,
             char             *problem)
{
  /* the NULL terminator is the last element */
  g_ptr_array_insert (self->problems, (int) self->problems->len - 1, problem);
}

/* Why record `node` is skipped (translated), or NULL with `link_id` (transfer full) and
 * `entry` set. */
static char *
read_record (JsonNode *node,
             char    **link_id,
             Entry    *entry,
             gboolean *made_valid)
{
  JsonObject *record;
  JsonNode *id_node;
  const char *id;
  gboolean present;
  char *problem;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup (_("it is not an object"));
  record = json_node_get_object (node);
  id_node = json_object_get_member (record, "link-id");
  if (id_node == NULL || JSON_NODE_HOLDS_NULL (id_node))
    return g_strdup_printf (_("“%s” is missing"), "link-id");
  if ((id = dsl_state_file_get_string (record, "link-id")) == NULL)
    return g_strdup_printf (_("“%s” is not text"), "link-id");
  if (*id == '\0')
    return g_strdup (_("the link has no id"));
  if ((problem = read_date (record, "expires", &present, &entry->expires)) != NULL)
    return problem;
  if (!present)
    return g_strdup_printf (_("“%s” is missing"), "expires");
  if ((problem = read_date (record, "reminded-at", &present, &entry->reminded_at)) != NULL)
    return problem;
  if (!present)
    entry->reminded_at = entry->expires;
  *link_id = dsl_state_file_make_valid (id, made_valid);
  return NULL;
}

/* FALSE (the file is not a reminder file at all, or too large to load) with `error`; else
 * TRUE, with the records it could not read skipped and added to the problems. */
static gboolean
parse (DslReminderStore *self,
       const char       *text,
       gsize             len,
       GError          **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *problem = NULL;
  JsonNode *root;
  JsonObject *object;
  JsonNode *list;
  gboolean made_valid = FALSE;
  gboolean present;
  gint64 version = 1;
  gint64 when;

  parser = dsl_state_file_parse (text, len, &made_valid, error);
  if (parser == NULL)
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (dsl_state_file_get_string (json_node_get_object (root), "format"),
                 STORE_FORMAT) != 0)
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           _("it is not a reminder file"));
      return FALSE;
    }
  object = json_node_get_object (root);
  if (json_object_get_member (object, "version") != NULL &&
      (!dsl_state_file_get_int (object, "version", &version) || version < 1))
    {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                           _("its version is not a positive whole number"));
      return FALSE;
    }
  list = json_object_get_member (object, "reminded");
  if (list != NULL && JSON_NODE_HOLDS_ARRAY (list) &&
      json_array_get_length (json_node_get_array (list)) > DSL_STATE_FILE_MAX_RECORDS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("it holds %u records, more than the %u the app loads"),
                   json_array_get_length (json_node_get_array (list)),
                   DSL_STATE_FILE_MAX_RECORDS);
      return FALSE;
    }

  if (version > STORE_VERSION)
    {
      self->refuse_save =
        g_strdup_printf (_("The reminder file %s was written by a newer version of DocSpace "
                           "Links; not overwritten"), self->path);
      add_problem (self, g_strdup (_("The reminder file was written by a newer version of "
                                     "DocSpace Links: it is read as far as this version can, "
                                     "and not changed")));
    }

  if ((problem = read_date (object, "last-scan", &present, &when)) != NULL)
    add_problem (self, g_steal_pointer (&problem));
  else if (present)
    self->last_scan = g_date_time_new_from_unix_utc (when);

  if (list != NULL && !JSON_NODE_HOLDS_NULL (list) && !JSON_NODE_HOLDS_ARRAY (list))
    add_problem (self, g_strdup (_("the reminders sent are not a list")));
  else if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
    {
      JsonArray *array = json_node_get_array (list);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *link_id = NULL;
          Entry entry = { 0, 0 };

          /* A record we cannot read is skipped, not fatal: at worst one more reminder. */
          problem = read_record (json_array_get_element (array, i), &link_id, &entry,
                                 &made_valid);
          if (problem != NULL)
            {
              /* Translators: the first %u is the record's number in the file, %s why */
              add_problem (self, g_strdup_printf (_("record %u: %s"), i + 1, problem));
              g_clear_pointer (&problem, g_free);
              continue;
            }
          g_hash_table_replace (self->entries, g_steal_pointer (&link_id),
                                g_memdup2 (&entry, sizeof entry));
        }
    }
  if (made_valid)
    add_problem (self, g_strdup (_("Some text in the reminder file was not valid UTF-8; the "
                                   "characters that could not be read were replaced")));
  return TRUE;
}

static void
clear (DslReminderStore *self)
{
  g_hash_table_remove_all (self->entries);
  g_clear_pointer (&self->last_scan, g_date_time_unref);
  g_clear_pointer (&self->refuse_save, g_free);
  self->failed = FALSE;
  g_ptr_array_set_size (self->problems, 0);
  g_ptr_array_add (self->problems, NULL);
}

gboolean
dsl_reminder_store_load (DslReminderStore *self,
                         GError          **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) aside_error = NULL;
  g_autofree char *aside = NULL;
  GError *result;

  g_return_val_if_fail (DSL_IS_REMINDER_STORE (self), FALSE);

  clear (self);
  if (!dsl_state_file_read (self->path, DSL_STATE_FILE_MAX_SIZE, &text, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          g_prefix_error (&local_error, _("Could not read the reminder file: "));
          self->refuse_save = g_strdup_printf (_("The reminder file %s could not be read and "
                                                 "was not overwritten"), self->path);
          add_problem (self, g_strdup (local_error->message));
          g_propagate_error (error, g_steal_pointer (&local_error));
          self->failed = TRUE;
          return FALSE;
        }
    }
  else if (parse (self, text, len, &local_error))
    return TRUE;

  /* Not a reminder file at all (or far too large): kept aside for a person to look at; the
   * next save starts a fresh file (when it cannot be moved, saves refuse instead). */
  clear (self);
  aside = dsl_state_file_move_aside (self->path, &aside_error);
  if (aside == NULL)
    {
      result = g_error_new (G_FILE_ERROR, G_FILE_ERROR_FAILED,
                            _("The reminder file could not be read (%s) and could not be moved "
                              "aside: %s"), local_error->message, aside_error->message);
      self->refuse_save = g_strdup_printf (_("The reminder file %s is damaged and was not "
                                             "overwritten"), self->path);
    }
  else
    result = g_error_new (G_FILE_ERROR, G_FILE_ERROR_FAILED,
                          _("The reminder file could not be read (%s); it was moved to %s"),
                          local_error->message, aside);
  add_problem (self, g_strdup (result->message));
  g_propagate_error (error, result);
  self->failed = TRUE;
  return FALSE;
}

const char * const *
dsl_reminder_store_get_load_problems (DslReminderStore *self)
{
  g_return_val_if_fail (DSL_IS_REMINDER_STORE (self), NULL);
  return (const char * const *) self->problems->pdata;
}

char *
dsl_reminder_store_describe_load_problems (DslReminderStore *self)
{
  g_autofree char *joined = NULL;

  g_return_val_if_fail (DSL_IS_REMINDER_STORE (self), NULL);

  if (self->failed)
    return g_strdup (self->problems->pdata[0]);  /* a sentence of its own */
  joined = dsl_state_file_join_problems (dsl_reminder_store_get_load_problems (self));
  if (joined == NULL)
    return NULL;
  /* Translators: %s lists what could not be read, e.g. "record 2: “expires” is not text" */
  return g_strdup_printf (_("Not everything in the file of expiry reminders sent could be "
                            "read: %s"), joined);
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

  if (self->refuse_save != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY, self->refuse_save);
      return FALSE;
    }

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
      g_autofree char *link_id = dsl_state_file_make_valid (ids[i], NULL);

      if (expires == NULL || reminded == NULL)
        continue;  /* cannot happen: the dates come from GDateTimes */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "link-id");
      json_builder_add_string_value (builder, link_id);
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

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-guard.c: download limits and expiry the app enforces itself (docspace-api.md §6.1,
 * §7): the server has no maxDownloads, so downloads are counted in the audit trail.
 *
 *   DslGuardStore ── guarded-links.json {"accounts": {"<user id> <portal>": [record, ...]}}
 *        │ (no secrets: never a password, key or token)
 *        ▼
 *   check_async (account) ── at most DSL_CLIENT_MAX_IN_FLIGHT links at a time, one request each
 *                            at a time:
 *
 *     list_links (item) ──404 / link missing──▶ GONE
 *        │  the record's expiry := the server's expirationDate (extended elsewhere, or none)
 *        ├─ expired on the server ───────────────────────────▶ delete (PUT access 0) ▶ REVOKED_EXPIRED
 *        ├─ no limit ──▶ ACTIVE
 *        └─ count: audit filter from created, page by page, anonymous events only:
 *              file:          actionType 12 (Download) + entryType 1 (File) + target: 5009,
 *                             5010 (download as) and 5062 (older version); entryType makes the
 *                             server match target as a substring, so only exact targets count
 *              folder / room: action 5057 + target (exact): an archive download is
 *                             FolderDownloaded, mapped to Folder only (DocumentsActionMapper.cs)
 *              ├─ 402 / 403 / filters ignored ──▶ ACTIVE + audit_error (no revoke for downloads)
 *              ├─ count >= limit ────────────────────────────▶ delete ──▶ REVOKED_LIMIT
 *              └─ else ──▶ ACTIVE (count)
 *     delete 404 ──▶ GONE; any other failure ──▶ FAILED (checked again next time)
 *     429 (after the client's own retries of GETs) ──▶ FAILED; the client is paused for its
 *         Retry-After (at least 1 s, at most DSL_CLIENT_MAX_PAUSE_SECONDS), and no new link is
 *         started before the pause is over (dsl_client_wait_async), whoever's request met it
 *        ▼
 *   records updated as results arrive; the store saved once at the end (also when cancelled,
 *   so revocations that happened are kept; a failed save is "save-failed"); results in the
 *   store's order.
 *
 * An audit error is account-wide: once one link met it, the others skip the audit call. */
#define G_LOG_DOMAIN "dsl-link-guard"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "dsl-link-guard.h"
#include "dsl-state-file.h"

/* The audit filter's ActionType Download and EntryType File (docspace-api.md §7). */
#define AUDIT_ACTION_TYPE_DOWNLOAD 12
#define AUDIT_ENTRY_FILE 1
/* The audit filter's largest page. */
#define AUDIT_PAGE 100
/* Pages of one count at most: a portal answering full pages for ever is not paged for ever. */
#define AUDIT_MAX_PAGES 1000
#define STORE_FORMAT "docspace-links-guarded-links"
#define STORE_VERSION 1

G_DEFINE_QUARK (dsl-guard-error-quark, dsl_guard_error)

gboolean
dsl_guard_error_is_audit (const GError *error)
{
  return error != NULL && error->domain == DSL_GUARD_ERROR &&
         (error->code == DSL_GUARD_ERROR_AUDIT_PAYMENT_REQUIRED ||
          error->code == DSL_GUARD_ERROR_AUDIT_FORBIDDEN ||
          error->code == DSL_GUARD_ERROR_AUDIT_NO_SCOPE ||
          error->code == DSL_GUARD_ERROR_AUDIT_UNFILTERED);
}

static const char * const state_names[] = {
  [DSL_GUARD_STATE_ACTIVE] = "active",
  [DSL_GUARD_STATE_REVOKED_LIMIT] = "revoked-limit",
  [DSL_GUARD_STATE_REVOKED_EXPIRED] = "revoked-expired",
  [DSL_GUARD_STATE_GONE] = "gone",
  [DSL_GUARD_STATE_FAILED] = "failed",
};

const char *
dsl_guard_state_to_string (DslGuardState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

gboolean
dsl_guard_state_from_string (const char    *text,
                             DslGuardState *out_state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (text, state_names[i]) == 0)
      {
        *out_state = i;
        return TRUE;
      }
  return FALSE;
}

static const char * const kind_names[] = {
  [DSL_ITEM_KIND_FILE] = "file",
  [DSL_ITEM_KIND_FOLDER] = "folder",
  [DSL_ITEM_KIND_ROOM] = "room",
};

static gboolean
kind_from_string (const char  *text,
                  DslItemKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *out_kind = i;
        return TRUE;
      }
  return FALSE;
}

/* ------------------------------------------------------------------------------------------ */
/* DslGuardedLink */

struct _DslGuardedLink
{
  GObject        parent_instance;

  /* owned */
  char          *account_key;
  char          *link_id;
  char          *item_id;
  char          *item_title;
  char          *share_link;
  GDateTime     *created;       /* UTC */
  GDateTime     *expires;       /* UTC, or NULL */
  GDateTime     *revoked;       /* UTC: when the guard revoked it, or NULL */
  char          *last_error;

  /* plain values */
  DslItemKind    item_kind;
  guint          download_limit;
  DslGuardState  state;
  int            downloads;
  gboolean       saved;         /* the file holds a record of this link (loaded or saved) */
};

G_DEFINE_FINAL_TYPE (DslGuardedLink, dsl_guarded_link, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LINK_ID,
  PROP_ITEM_ID,
  PROP_ITEM_TITLE,
  PROP_DOWNLOAD_LIMIT,
  PROP_EXPIRES,
  PROP_STATE,
  PROP_LAST_ERROR,
  PROP_DOWNLOADS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dsl_guarded_link_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DslGuardedLink *self = DSL_GUARDED_LINK (object);

  switch (prop_id)
    {
    case PROP_LINK_ID:
      g_value_set_string (value, self->link_id);
      break;
    case PROP_ITEM_ID:
      g_value_set_string (value, self->item_id);
      break;
    case PROP_ITEM_TITLE:
      g_value_set_string (value, self->item_title);
      break;
    case PROP_DOWNLOAD_LIMIT:
      g_value_set_uint (value, self->download_limit);
      break;
    case PROP_EXPIRES:
      g_value_set_boxed (value, self->expires);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_DOWNLOADS:
      g_value_set_int (value, self->downloads);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_guarded_link_finalize (GObject *object)
{
  DslGuardedLink *self = DSL_GUARDED_LINK (object);

  g_free (self->account_key);
  g_free (self->link_id);
  g_free (self->item_id);
  g_free (self->item_title);
  g_free (self->share_link);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->expires, g_date_time_unref);
  g_clear_pointer (&self->revoked, g_date_time_unref);
  g_free (self->last_error);

  G_OBJECT_CLASS (dsl_guarded_link_parent_class)->finalize (object);
}

static void
dsl_guarded_link_class_init (DslGuardedLinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dsl_guarded_link_finalize;
  object_class->get_property = dsl_guarded_link_get_property;

  properties[PROP_LINK_ID] = g_param_spec_string ("link-id", NULL, NULL, NULL, ro);
  properties[PROP_ITEM_ID] = g_param_spec_string ("item-id", NULL, NULL, NULL, ro);
  properties[PROP_ITEM_TITLE] = g_param_spec_string ("item-title", NULL, NULL, NULL, ro);
  properties[PROP_DOWNLOAD_LIMIT] =
    g_param_spec_uint ("download-limit", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_EXPIRES] =
    g_param_spec_boxed ("expires", NULL, NULL, G_TYPE_DATE_TIME, ro);
  /* DslGuardState */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, DSL_GUARD_STATE_ACTIVE, DSL_GUARD_STATE_FAILED,
                      DSL_GUARD_STATE_ACTIVE, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_DOWNLOADS] = g_param_spec_int ("downloads", NULL, NULL, -1, G_MAXINT, -1, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dsl_guarded_link_init (DslGuardedLink *self)
{
  self->downloads = -1;
}

/* UTC, whole seconds: what the store keeps and the audit filter's `from` sends. */
static GDateTime *
utc_seconds (GDateTime *date)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (date);

  return g_date_time_new_utc (g_date_time_get_year (utc), g_date_time_get_month (utc),
                              g_date_time_get_day_of_month (utc), g_date_time_get_hour (utc),
                              g_date_time_get_minute (utc), g_date_time_get_second (utc));
}

DslGuardedLink *
dsl_guarded_link_new (const char  *account_key,
                      const char  *link_id,
                      const char  *item_id,
                      DslItemKind  item_kind,
                      const char  *item_title,
                      const char  *share_link,
                      guint        download_limit,
                      GDateTime   *created,
                      GDateTime   *expires)
{
  DslGuardedLink *self;

  g_return_val_if_fail (account_key != NULL, NULL);
  g_return_val_if_fail (link_id != NULL, NULL);
  g_return_val_if_fail (item_id != NULL, NULL);
  g_return_val_if_fail ((guint) item_kind < G_N_ELEMENTS (kind_names), NULL);
  g_return_val_if_fail (created != NULL, NULL);

  self = g_object_new (DSL_TYPE_GUARDED_LINK, NULL);
  self->account_key = g_strdup (account_key);
  self->link_id = g_strdup (link_id);
  self->item_id = g_strdup (item_id);
  self->item_kind = item_kind;
  self->item_title = g_strdup (item_title != NULL ? item_title : "");
  self->share_link = g_strdup (share_link);
  self->download_limit = download_limit;
  self->created = utc_seconds (created);
  self->expires = expires != NULL ? utc_seconds (expires) : NULL;
  return self;
}

const char *
dsl_guarded_link_get_account_key (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), NULL);
  return self->account_key;
}

const char *
dsl_guarded_link_get_link_id (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), NULL);
  return self->link_id;
}

const char *
dsl_guarded_link_get_item_id (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), NULL);
  return self->item_id;
}

DslItemKind
dsl_guarded_link_get_item_kind (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), DSL_ITEM_KIND_FILE);
  return self->item_kind;
}

const char *
dsl_guarded_link_get_item_title (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), NULL);
  return self->item_title;
}

const char *
dsl_guarded_link_get_share_link (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), NULL);
  return self->share_link;
}

guint
dsl_guarded_link_get_download_limit (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), 0);
  return self->download_limit;
}

GDateTime *
dsl_guarded_link_get_created (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), NULL);
  return self->created;
}

GDateTime *
dsl_guarded_link_get_expires (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), NULL);
  return self->expires;
}

DslGuardState
dsl_guarded_link_get_state (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), DSL_GUARD_STATE_ACTIVE);
  return self->state;
}

GDateTime *
dsl_guarded_link_get_revoked (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), NULL);
  return self->revoked;
}

const char *
dsl_guarded_link_get_last_error (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), NULL);
  return self->last_error;
}

int
dsl_guarded_link_get_downloads (DslGuardedLink *self)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), -1);
  return self->downloads;
}

static gboolean
same_date (GDateTime *a,
           GDateTime *b)
{
  return a == b || (a != NULL && b != NULL && g_date_time_equal (a, b));
}

void
dsl_guarded_link_set_expires (DslGuardedLink *self,
                              GDateTime      *expires)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_if_fail (DSL_IS_GUARDED_LINK (self));

  if (expires != NULL)
    utc = utc_seconds (expires);
  if (same_date (self->expires, utc))
    return;
  g_clear_pointer (&self->expires, g_date_time_unref);
  self->expires = g_steal_pointer (&utc);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES]);
}

char *
dsl_guarded_link_describe_save_error (DslGuardedLink *link,
                                      const GError   *error)
{
  const char *reason;

  g_return_val_if_fail (link == NULL || DSL_IS_GUARDED_LINK (link), NULL);
  g_return_val_if_fail (error != NULL, NULL);

  reason = error->message;
  if (link == NULL || link->saved ||
      (link->state != DSL_GUARD_STATE_ACTIVE && link->state != DSL_GUARD_STATE_FAILED))
    /* The file still holds every watched link as it was last saved, and the guard reads the
     * server's expiry before it revokes: what is lost is only news (counts, revocations). */
    /* Translators: %s says why the file could not be written */
    return g_strdup_printf (_("Could not save the temporary links: %s. They are still "
                              "guarded, but changes since the last save are lost when the app "
                              "quits."), reason);
  if (link->download_limit > 0)
    /* Translators: the first %s is a file or folder name, the second why the file could not
     * be written */
    return g_strdup_printf (_("Could not save the temporary link to “%s”: %s. This link’s "
                              "download limit is not being enforced after the app quits."),
                            link->item_title, reason);
  /* Translators: the first %s is a file or folder name, the second why the file could not be
   * written */
  return g_strdup_printf (_("Could not save the temporary link to “%s”: %s. This link will not "
                            "be revoked when it expires if the app has quit by then."),
                          link->item_title, reason);
}

gboolean
dsl_guarded_link_is_expired (DslGuardedLink *self,
                             GDateTime      *now)
{
  g_return_val_if_fail (DSL_IS_GUARDED_LINK (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);
  return self->expires != NULL && g_date_time_compare (self->expires, now) <= 0;
}

void
dsl_guarded_link_set_state (DslGuardedLink *self,
                            DslGuardState   state,
                            const char     *last_error)
{
  g_return_if_fail (DSL_IS_GUARDED_LINK (self));
  g_return_if_fail ((guint) state < G_N_ELEMENTS (state_names));

  if (state != DSL_GUARD_STATE_FAILED)
    last_error = NULL;
  if (self->state != state)
    {
      self->state = state;
      g_clear_pointer (&self->revoked, g_date_time_unref);
      if (state == DSL_GUARD_STATE_REVOKED_LIMIT || state == DSL_GUARD_STATE_REVOKED_EXPIRED)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

          /* Whole seconds, as the store keeps it. */
          self->revoked = g_date_time_add (now, -(GTimeSpan) g_date_time_get_microsecond (now));
        }
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->last_error, last_error) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (last_error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
}

void
dsl_guarded_link_set_downloads (DslGuardedLink *self,
                                int             downloads)
{
  g_return_if_fail (DSL_IS_GUARDED_LINK (self));

  downloads = MAX (downloads, -1);
  if (self->downloads == downloads)
    return;
  self->downloads = downloads;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOADS]);
}

/* ------------------------------------------------------------------------------------------ */
/* DslGuardStore */

struct _DslGuardStore
{
  GObject     parent_instance;

  /* owned */
  char       *path;
  GHashTable *accounts;   /* account key -> GListStore of DslGuardedLink */
  GPtrArray  *problems;   /* NULL-terminated: what the last load skipped (translated) */
  char       *refuse_save; /* why a save would destroy data (a newer version's file), or NULL */
  gboolean    failed;     /* the last load read nothing: problems[0] says why */
};

G_DEFINE_FINAL_TYPE (DslGuardStore, dsl_guard_store, G_TYPE_OBJECT)

static void
dsl_guard_store_finalize (GObject *object)
{
  DslGuardStore *self = DSL_GUARD_STORE (object);

  g_free (self->path);
  g_hash_table_unref (self->accounts);
  g_ptr_array_unref (self->problems);
  g_free (self->refuse_save);

  G_OBJECT_CLASS (dsl_guard_store_parent_class)->finalize (object);
}

static void
dsl_guard_store_class_init (DslGuardStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dsl_guard_store_finalize;
}

static void
dsl_guard_store_init (DslGuardStore *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->problems = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->problems, NULL);
}

DslGuardStore *
dsl_guard_store_new_for_path (const char *path)
{
  DslGuardStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DSL_TYPE_GUARD_STORE, NULL);
  self->path = g_strdup (path);
  return self;
}

DslGuardStore *
dsl_guard_store_new (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "docspace-links",
                                            "guarded-links.json", NULL);

  return dsl_guard_store_new_for_path (path);
}

const char *
dsl_guard_store_get_path (DslGuardStore *self)
{
  g_return_val_if_fail (DSL_IS_GUARD_STORE (self), NULL);
  return self->path;
}

static GListStore *
account_store (DslGuardStore *self,
               const char    *account_key)
{
  GListStore *list = g_hash_table_lookup (self->accounts, account_key);

  if (list == NULL)
    {
      list = g_list_store_new (DSL_TYPE_GUARDED_LINK);
      g_hash_table_insert (self->accounts, g_strdup (account_key), list);
    }
  return list;
}

static gboolean
find_link (GListStore *list,
           const char *link_id,
           guint      *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DslGuardedLink) link = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (g_strcmp0 (link->link_id, link_id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

void
dsl_guard_store_add (DslGuardStore  *self,
                     DslGuardedLink *link)
{
  GListStore *list;
  guint position;

  g_return_if_fail (DSL_IS_GUARD_STORE (self));
  g_return_if_fail (DSL_IS_GUARDED_LINK (link));

  list = account_store (self, link->account_key);
  if (find_link (list, link->link_id, &position))
    {
      g_autoptr(DslGuardedLink) old = g_list_model_get_item (G_LIST_MODEL (list), position);

      /* the file still holds the record it replaces */
      link->saved = link->saved || old->saved;
      g_list_store_splice (list, position, 1, (gpointer *) &link, 1);
    }
  else
    g_list_store_append (list, link);
}

gboolean
dsl_guard_store_remove (DslGuardStore *self,
                        const char    *account_key,
                        const char    *link_id)
{
  GListStore *list;
  guint position;

  g_return_val_if_fail (DSL_IS_GUARD_STORE (self), FALSE);
  g_return_val_if_fail (account_key != NULL && link_id != NULL, FALSE);

  list = g_hash_table_lookup (self->accounts, account_key);
  if (list == NULL || !find_link (list, link_id, &position))
    return FALSE;
  g_list_store_remove (list, position);
  return TRUE;
}

DslGuardedLink *
dsl_guard_store_lookup (DslGuardStore *self,
                        const char    *account_key,
                        const char    *link_id)
{
  GListStore *list;
  guint position;
  g_autoptr(DslGuardedLink) link = NULL;

  g_return_val_if_fail (DSL_IS_GUARD_STORE (self), NULL);
  g_return_val_if_fail (account_key != NULL && link_id != NULL, NULL);

  list = g_hash_table_lookup (self->accounts, account_key);
  if (list == NULL || !find_link (list, link_id, &position))
    return NULL;
  link = g_list_model_get_item (G_LIST_MODEL (list), position);
  /* the list keeps it alive */
  return link;
}

GListModel *
dsl_guard_store_get_links (DslGuardStore *self,
                           const char    *account_key)
{
  g_return_val_if_fail (DSL_IS_GUARD_STORE (self), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  return G_LIST_MODEL (account_store (self, account_key));
}

/* A save never writes invalid UTF-8 (a network string the client let through, say). */
static void
add_valid_string (JsonBuilder *b,
                  const char  *text)
{
  g_autofree char *valid = dsl_state_file_make_valid (text, NULL);

  json_builder_add_string_value (b, valid);
}

static JsonNode *
record_to_json (DslGuardedLink *link)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *created = g_date_time_format_iso8601 (link->created);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "linkId");
  add_valid_string (b, link->link_id);
  json_builder_set_member_name (b, "itemId");
  add_valid_string (b, link->item_id);
  json_builder_set_member_name (b, "itemKind");
  json_builder_add_string_value (b, kind_names[link->item_kind]);
  json_builder_set_member_name (b, "itemTitle");
  add_valid_string (b, link->item_title);
  if (link->share_link != NULL)
    {
      json_builder_set_member_name (b, "shareLink");
      add_valid_string (b, link->share_link);
    }
  json_builder_set_member_name (b, "downloadLimit");
  json_builder_add_int_value (b, link->download_limit);
  json_builder_set_member_name (b, "created");
  json_builder_add_string_value (b, created);
  if (link->expires != NULL)
    {
      g_autofree char *expires = g_date_time_format_iso8601 (link->expires);

      json_builder_set_member_name (b, "expires");
      json_builder_add_string_value (b, expires);
    }
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, state_names[link->state]);
  if (link->revoked != NULL)
    {
      g_autofree char *revoked = g_date_time_format_iso8601 (link->revoked);

      json_builder_set_member_name (b, "revoked");
      json_builder_add_string_value (b, revoked);
    }
  if (link->last_error != NULL)
    {
      json_builder_set_member_name (b, "lastError");
      add_valid_string (b, link->last_error);
    }
  json_builder_set_member_name (b, "downloads");
  json_builder_add_int_value (b, link->downloads);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
dsl_guard_store_save (DslGuardStore  *self,
                      GError        **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GList) keys = NULL;
  gsize len;

  g_return_val_if_fail (DSL_IS_GUARD_STORE (self), FALSE);

  if (self->refuse_save != NULL)
    {
      g_set_error_literal (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_NOT_OVERWRITTEN,
                           self->refuse_save);
      return FALSE;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, STORE_FORMAT);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, STORE_VERSION);
  json_builder_set_member_name (b, "accounts");
  json_builder_begin_object (b);
  /* sorted, so the file does not change when nothing did */
  keys = g_list_sort (g_hash_table_get_keys (self->accounts), (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l != NULL; l = l->next)
    {
      GListModel *list = g_hash_table_lookup (self->accounts, l->data);
      guint n = g_list_model_get_n_items (list);

      g_autofree char *key = NULL;

      if (n == 0)
        continue;
      key = dsl_state_file_make_valid (l->data, NULL);
      json_builder_set_member_name (b, key);
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(DslGuardedLink) link = g_list_model_get_item (list, i);

          json_builder_add_value (b, record_to_json (link));
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, &len);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (!g_file_set_contents_full (self->path, text, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  for (GList *l = keys; l != NULL; l = l->next)
    {
      GListModel *list = g_hash_table_lookup (self->accounts, l->data);

      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(DslGuardedLink) link = g_list_model_get_item (list, i);

          link->saved = TRUE;
        }
    }
  return TRUE;
}

/* Why a record was skipped (translated), or NULL when it was read. */
static char *
check_string (JsonObject  *o,
              const char  *member,
              gboolean     required,
              const char **out)
{
  JsonNode *node = json_object_get_member (o, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return required ? g_strdup_printf (_("“%s” is missing"), member) : NULL;
  if ((*out = dsl_state_file_get_string (o, member)) == NULL)
    return g_strdup_printf (_("“%s” is not text"), member);
  return NULL;
}

static char *
check_int (JsonObject *o,
           const char *member,
           gint64      min,
           gint64      max,
           gint64     *out)
{
  if (json_object_get_member (o, member) == NULL)
    return g_strdup_printf (_("“%s” is missing"), member);
  if (!dsl_state_file_get_int (o, member, out))
    return g_strdup_printf (_("“%s” is not a whole number"), member);
  if (*out < min || *out > max)
    return g_strdup_printf (_("“%s” is out of range"), member);
  return NULL;
}

static char *
check_date (JsonObject *o,
            const char *member,
            gboolean    required,
            GDateTime **out)
{
  const char *text;
  char *problem = check_string (o, member, required, &text);

  *out = NULL;
  if (problem != NULL || text == NULL)
    return problem;
  *out = dsl_state_file_parse_date (text);
  if (*out == NULL)
    return g_strdup_printf (_("“%s” is not a date the app can use"), member);
  return NULL;
}

/* A record of the file as a link (transfer full), or NULL with `problem` (translated) saying
 * why it was skipped. Strings are made valid UTF-8 (`made_valid` set when one was not). */
static DslGuardedLink *
record_from_json (const char  *account_key,
                  JsonNode    *node,
                  gboolean    *made_valid,
                  char       **problem)
{
  JsonObject *o;
  const char *link_id, *item_id, *kind, *title, *share, *state_s, *last;
  gint64 limit, downloads;
  DslItemKind item_kind;
  DslGuardState state;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) revoked = NULL;
  g_autofree char *v_link_id = NULL, *v_item_id = NULL, *v_title = NULL, *v_share = NULL,
                  *v_last = NULL;
  DslGuardedLink *link;

  *problem = NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      *problem = g_strdup (_("it is not an object"));
      return NULL;
    }
  o = json_node_get_object (node);
  if ((*problem = check_string (o, "linkId", TRUE, &link_id)) != NULL ||
      (*problem = check_string (o, "itemId", TRUE, &item_id)) != NULL ||
      (*problem = check_string (o, "itemKind", TRUE, &kind)) != NULL ||
      (*problem = check_string (o, "itemTitle", TRUE, &title)) != NULL ||
      (*problem = check_string (o, "state", TRUE, &state_s)) != NULL ||
      (*problem = check_string (o, "shareLink", FALSE, &share)) != NULL ||
      (*problem = check_string (o, "lastError", FALSE, &last)) != NULL ||
      (*problem = check_int (o, "downloadLimit", 0, G_MAXINT, &limit)) != NULL ||
      (*problem = check_int (o, "downloads", -1, G_MAXINT, &downloads)) != NULL ||
      (*problem = check_date (o, "created", TRUE, &created)) != NULL ||
      (*problem = check_date (o, "expires", FALSE, &expires)) != NULL)
    return NULL;
  if (*link_id == '\0' || *item_id == '\0')
    {
      *problem = g_strdup (_("the link or its item has no id"));
      return NULL;
    }
  if (!kind_from_string (kind, &item_kind))
    {
      g_autofree char *shown = dsl_state_file_make_valid (kind, NULL);

      /* Translators: %s is a word read from the file */
      *problem = g_strdup_printf (_("unknown kind “%s”"), shown);
      return NULL;
    }
  if (!dsl_guard_state_from_string (state_s, &state))
    {
      g_autofree char *shown = dsl_state_file_make_valid (state_s, NULL);

      /* Translators: %s is a word read from the file */
      *problem = g_strdup_printf (_("unknown state “%s”"), shown);
      return NULL;
    }
  /* "revoked" is informative: unreadable means unknown, not a bad record */
  g_free (check_date (o, "revoked", FALSE, &revoked));

  v_link_id = dsl_state_file_make_valid (link_id, made_valid);
  v_item_id = dsl_state_file_make_valid (item_id, made_valid);
  v_title = dsl_state_file_make_valid (title, made_valid);
  v_share = dsl_state_file_make_valid (share, made_valid);
  v_last = dsl_state_file_make_valid (last, made_valid);
  link = dsl_guarded_link_new (account_key, v_link_id, v_item_id, item_kind, v_title, v_share,
                               (guint) limit, created, expires);
  dsl_guarded_link_set_state (link, state, v_last);
  link->downloads = (int) downloads;
  link->saved = TRUE;
  g_clear_pointer (&link->revoked, g_date_time_unref);
  link->revoked = g_steal_pointer (&revoked);
  return link;
}

static void
add_problem (DslGuardStore *self,
             char          *problem)
{
  /* the NULL terminator is the last element */
  g_ptr_array_insert (self->problems, (int) self->problems->len - 1, problem);
}

/* Fills the store from the file's text. FALSE (the file is not a guarded-links file at all,
 * or too large to load) with `error`; else TRUE, with the records it could not read skipped
 * and added to the problems. */
static gboolean
parse_store (DslGuardStore *self,
             const char    *text,
             gsize          len,
             GError       **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root, *accounts;
  JsonNode *node;
  g_autoptr(GList) members = NULL;
  gboolean made_valid = FALSE;
  gint64 version = 1;
  guint n_records = 0;
  guint record = 0;

  parser = dsl_state_file_parse (text, len, &made_valid, error);
  if (parser == NULL)
    return FALSE;
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      g_strcmp0 (dsl_state_file_get_string (json_node_get_object (node), "format"),
                 STORE_FORMAT) != 0)
    {
      g_set_error_literal (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_CORRUPT_STORE,
                           _("it is not a guarded links file"));
      return FALSE;
    }
  root = json_node_get_object (node);
  if (json_object_get_member (root, "version") != NULL &&
      (!dsl_state_file_get_int (root, "version", &version) || version < 1))
    {
      g_set_error_literal (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_CORRUPT_STORE,
                           _("its version is not a positive whole number"));
      return FALSE;
    }
  node = json_object_get_member (root, "accounts");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_CORRUPT_STORE,
                           _("it has no list of accounts"));
      return FALSE;
    }
  accounts = json_node_get_object (node);
  members = json_object_get_members (accounts);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *array = json_object_get_member (accounts, l->data);

      if (JSON_NODE_HOLDS_ARRAY (array))
        n_records += json_array_get_length (json_node_get_array (array));
    }
  if (n_records > DSL_STATE_FILE_MAX_RECORDS)
    {
      g_set_error (error, DSL_GUARD_ERROR, DSL_GUARD_ERROR_CORRUPT_STORE,
                   _("it holds %u records, more than the %u the app loads"),
                   n_records, DSL_STATE_FILE_MAX_RECORDS);
      return FALSE;
    }

  if (version > STORE_VERSION)
    {
      self->refuse_save =
        g_strdup_printf (_("The guarded links file %s was written by a newer version of DocSpace "
                           "Links; not overwritten"), self->path);
      add_problem (self, g_strdup (_("The guarded links file was written by a newer version of "
                                     "DocSpace Links: it is read as far as this version can, "
                                     "and not changed")));
    }
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *array = json_object_get_member (accounts, l->data);
      g_autofree char *key = dsl_state_file_make_valid (l->data, &made_valid);
      GListStore *list;
      JsonArray *links;

      if (!JSON_NODE_HOLDS_ARRAY (array))
        {
          /* Translators: %s is the account ("<user id> <portal>") */
          add_problem (self, g_strdup_printf (_("the links of the account %s are not a list"),
                                              key));
          continue;
        }
      list = account_store (self, key);
      links = json_node_get_array (array);
      for (guint i = 0; i < json_array_get_length (links); i++)
        {
          g_autofree char *problem = NULL;
          g_autoptr(DslGuardedLink) link = NULL;

          record++;
          link = record_from_json (key, json_array_get_element (links, i), &made_valid,
                                   &problem);
          if (link == NULL)
            {
              /* Translators: the first %u is the record's number in the file, %s why */
              add_problem (self, g_strdup_printf (_("record %u: %s"), record, problem));
              continue;
            }
          g_list_store_append (list, link);
        }
    }
  if (made_valid)
    add_problem (self, g_strdup (_("Some text in the guarded links file was not valid UTF-8; "
                                   "the characters that could not be read were replaced")));
  return TRUE;
}

static void
clear_accounts (DslGuardStore *self)
{
  GHashTableIter iter;
  gpointer value;

  /* keep the GListStores: models handed out stay valid and announce the change */
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_list_store_remove_all (value);
}

static void
clear_problems (DslGuardStore *self)
{
  g_ptr_array_set_size (self->problems, 0);
  g_ptr_array_add (self->problems, NULL);
}

gboolean
dsl_guard_store_load (DslGuardStore  *self,
                      GError        **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) aside_error = NULL;
  g_autofree char *aside = NULL;
  GError *result = NULL;
  gsize len;

  g_return_val_if_fail (DSL_IS_GUARD_STORE (self), FALSE);

  clear_accounts (self);
  clear_problems (self);
  g_clear_pointer (&self->refuse_save, g_free);
  self->failed = FALSE;
  if (!dsl_state_file_read (self->path, DSL_STATE_FILE_MAX_SIZE, &text, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        {
          g_autofree char *problem = NULL;

          g_prefix_error (&local_error, _("Could not read the guarded links file: "));
          /* it may hold every account's links: a save would replace it unread */
          self->refuse_save = g_strdup_printf (_("The guarded links file %s could not be read "
                                                 "and was not overwritten"), self->path);
          problem = g_strdup (local_error->message);
          add_problem (self, g_steal_pointer (&problem));
          g_propagate_error (error, g_steal_pointer (&local_error));
          self->failed = TRUE;
          return FALSE;
        }
    }
  else if (parse_store (self, text, len, &local_error))
    return TRUE;

  /* Not a guarded-links file at all (or far too large): kept aside for a person to look at,
   * and the next save starts a fresh file. Records already read are dropped with it. */
  clear_accounts (self);
  clear_problems (self);
  g_clear_pointer (&self->refuse_save, g_free);
  aside = dsl_state_file_move_aside (self->path, &aside_error);
  if (aside == NULL)
    {
      result = g_error_new (DSL_GUARD_ERROR, DSL_GUARD_ERROR_CORRUPT_STORE,
                            _("The guarded links file %s is damaged (%s) and could not be moved "
                              "aside: %s"),
                            self->path, local_error->message, aside_error->message);
      /* a save would replace it */
      self->refuse_save = g_strdup_printf (_("The guarded links file %s is damaged and was not "
                                             "overwritten"), self->path);
    }
  else
    {
      g_message ("guarded links file damaged (%s), moved to %s", local_error->message, aside);
      result = g_error_new (DSL_GUARD_ERROR, DSL_GUARD_ERROR_CORRUPT_STORE,
                            _("The guarded links file was damaged (%s); it was moved to %s"),
                            local_error->message, aside);
    }
  add_problem (self, g_strdup (result->message));
  g_propagate_error (error, g_steal_pointer (&result));
  self->failed = TRUE;
  return FALSE;
}

const char * const *
dsl_guard_store_get_load_problems (DslGuardStore *self)
{
  g_return_val_if_fail (DSL_IS_GUARD_STORE (self), NULL);
  return (const char * const *) self->problems->pdata;
}

char *
dsl_guard_store_describe_load_problems (DslGuardStore *self)
{
  g_autofree char *joined = NULL;

  g_return_val_if_fail (DSL_IS_GUARD_STORE (self), NULL);

  if (self->failed)
    return g_strdup (self->problems->pdata[0]);  /* a sentence of its own */
  joined = dsl_state_file_join_problems (dsl_guard_store_get_load_problems (self));
  if (joined == NULL)
    return NULL;
  /* Translators: %s lists what could not be read, e.g. "record 3: unknown state “foo”" */
  return g_strdup_printf (_("Not everything in the file of temporary links could be read: %s"),
                          joined);
}

/* ------------------------------------------------------------------------------------------ */
/* Counting downloads */

typedef struct {
  DslClient  *client;
  char       *item_id;
  GDateTime  *from;
  int         action;    /* ask by this action (exact target), or -1: a file's downloads */
  guint       start;
  int         count;
  guint       n_pages;
  GHashTable *seen;      /* gint64 ids of the events read: one sent twice counts once */
} Count;

static void
count_free (Count *c)
{
  g_clear_object (&c->client);
  g_free (c->item_id);
  g_clear_pointer (&c->from, g_date_time_unref);
  g_clear_pointer (&c->seen, g_hash_table_unref);
  g_free (c);
}

/* The three ways a file is downloaded (all ActionType Download on a File entry). */
static gboolean
is_file_download (int action_id)
{
  return action_id == DSL_AUDIT_ACTION_FILE_DOWNLOADED ||
         action_id == DSL_AUDIT_ACTION_FILE_DOWNLOADED_AS ||
         action_id == DSL_AUDIT_ACTION_FILE_REVISION_DOWNLOADED;
}

/* Whether one of the event's targets contains `id`: what the server's substring match found. */
static gboolean
target_contains (DslAuditEvent *event,
                 const char    *id)
{
  const char * const *targets = dsl_audit_event_get_target (event);

  for (guint i = 0; targets != NULL && targets[i] != NULL; i++)
    if (strstr (targets[i], id) != NULL)
      return TRUE;
  return FALSE;
}

static void count_page (GTask *task);

/* The client's error for the audit filter, as the reason downloads cannot be counted. */
static GError *
audit_error (GError *error)
{
  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_PAYMENT_REQUIRED))
    return g_error_new (DSL_GUARD_ERROR, DSL_GUARD_ERROR_AUDIT_PAYMENT_REQUIRED,
                        _("The portal's plan does not include the audit trail, so downloads "
                          "cannot be counted"));
  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_FORBIDDEN))
    return g_error_new (DSL_GUARD_ERROR, DSL_GUARD_ERROR_AUDIT_FORBIDDEN,
                        _("Only portal administrators can read the audit trail, so downloads "
                          "cannot be counted"));
  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_MISSING_SCOPE))
    return g_error_new (DSL_GUARD_ERROR, DSL_GUARD_ERROR_AUDIT_NO_SCOPE,
                        _("The API key may not read the audit trail, so downloads cannot be "
                          "counted"));
  return g_error_copy (error);
}

static void
count_page_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Count *c = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  guint fresh = 0;

  events = dsl_client_list_audit_events_finish (DSL_CLIENT (source), result, &error);
  if (events == NULL)
    {
      g_task_return_error (task, audit_error (error));
      return;
    }
  c->n_pages++;
  for (guint i = 0; i < events->len; i++)
    {
      DslAuditEvent *ev = g_ptr_array_index (events, i);
      gint64 event_id = dsl_audit_event_get_id (ev);

      int action_id = dsl_audit_event_get_action_id (ev);
      GDateTime *date = dsl_audit_event_get_date (ev);

      if (g_hash_table_contains (c->seen, &event_id))
        continue;
      g_hash_table_add (c->seen, g_memdup2 (&event_id, sizeof event_id));
      fresh++;

      /* a plan without audit ignores the filters (docspace-api.md §7) */
      if ((c->action >= 0 ? action_id != c->action : !is_file_download (action_id)) ||
          !target_contains (ev, c->item_id))
        {
          g_task_return_new_error (task, DSL_GUARD_ERROR, DSL_GUARD_ERROR_AUDIT_UNFILTERED,
                                   _("The portal ignores the audit trail filters (a plan "
                                     "without audit), so downloads cannot be counted"));
          return;
        }
      /* another item whose id contains this one (entryType: substring match), or older than
       * the link */
      if (!dsl_audit_event_has_target (ev, c->item_id) ||
          (c->from != NULL && (date == NULL || g_date_time_compare (date, c->from) < 0)))
        continue;
      /* the limit is about people who are not signed in: link visitors */
      if (dsl_audit_event_is_anonymous (ev))
        c->count++;
    }
  if (events->len < AUDIT_PAGE)
    {
      g_task_return_int (task, c->count);
      return;
    }
  /* More to come, says the portal: not the same events again, and not for ever. Downloads
   * not counted to the end are not a count (the link is not revoked on them). */
  if (fresh == 0 || c->n_pages >= AUDIT_MAX_PAGES)
    {
      g_task_return_new_error (task, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                               _("The portal keeps sending more pages: stopped after %u items"),
                               g_hash_table_size (c->seen));
      return;
    }
  c->start += events->len;
  count_page (g_steal_pointer (&task));
}

static void
count_page (GTask *task)
{
  Count *c = g_task_get_task_data (task);
  DslAuditFilter filter;

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  dsl_audit_filter_init (&filter);
  if (c->action >= 0)
    {
      filter.action = c->action;
    }
  else
    {
      filter.action_type = AUDIT_ACTION_TYPE_DOWNLOAD;
      filter.entry_type = AUDIT_ENTRY_FILE;
    }
  filter.target = c->item_id;
  filter.from = c->from;
  filter.start_index = c->start;
  filter.count = AUDIT_PAGE;
  dsl_client_list_audit_events_async (c->client, &filter, g_task_get_cancellable (task),
                                      count_page_done, task);
}

/* `from` may be NULL; `action` -1 counts a file's downloads. */
static void
count_start (DslClient           *client,
             gpointer             source,
             const char          *item_id,
             int                  action,
             GDateTime           *from,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);
  Count *c = g_new0 (Count, 1);

  g_task_set_source_tag (task, source_tag);
  c->client = g_object_ref (client);
  c->item_id = g_strdup (item_id);
  c->from = from != NULL ? g_date_time_ref (from) : NULL;
  c->action = action;
  c->seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_task_set_task_data (task, c, (GDestroyNotify) count_free);
  count_page (task);
}

static void
count_async (DslClient           *client,
             gpointer             source,
             DslGuardedLink      *link,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  count_start (client, source, link->item_id,
               link->item_kind == DSL_ITEM_KIND_FILE ? -1 : DSL_AUDIT_ACTION_FOLDER_DOWNLOADED,
               link->created, count_async, cancellable, callback, user_data);
}

/* ------------------------------------------------------------------------------------------ */
/* DslLinkGuard */

struct _DslLinkGuard
{
  GObject        parent_instance;

  /* owned */
  DslClient     *client;
  DslGuardStore *store;
  GHashTable    *checking;   /* account keys with a check under way (a second one would
                                revoke the same links twice) */
  gboolean       check_save_failing; /* the last check's save failed (reported) */
  char          *account_key; /* whose records follow the client's writes, or NULL */
  gulong         stored_id;   /* the client's "link-stored" */
  GHashTable    *revoking;    /* link ids the guard is revoking itself (a set) */
};

enum { SIGNAL_SAVE_FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DslLinkGuard, dsl_link_guard, G_TYPE_OBJECT)

static void
dsl_link_guard_dispose (GObject *object)
{
  DslLinkGuard *self = DSL_LINK_GUARD (object);

  if (self->client != NULL)
    g_clear_signal_handler (&self->stored_id, self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_pointer (&self->checking, g_hash_table_unref);
  g_clear_pointer (&self->revoking, g_hash_table_unref);
  g_clear_pointer (&self->account_key, g_free);

  G_OBJECT_CLASS (dsl_link_guard_parent_class)->dispose (object);
}

static void
dsl_link_guard_class_init (DslLinkGuardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dsl_link_guard_dispose;

  signals[SIGNAL_SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3,
                  DSL_TYPE_GUARDED_LINK, G_TYPE_ERROR, G_TYPE_STRING);
}

/* A watched record of the account that the file does not hold yet (one with a limit first),
 * or NULL: what a failed save puts at risk. */
static DslGuardedLink *
unsaved_link (DslGuardStore *store,
              const char    *account_key)
{
  GListModel *links = dsl_guard_store_get_links (store, account_key);
  DslGuardedLink *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(DslGuardedLink) link = g_list_model_get_item (links, i);

      if (link->saved || (link->state != DSL_GUARD_STATE_ACTIVE &&
                          link->state != DSL_GUARD_STATE_FAILED))
        continue;
      if (found == NULL || (found->download_limit == 0 && link->download_limit > 0))
        found = link;   /* the store keeps it alive */
    }
  return found;
}

static void
report_save_failure (DslLinkGuard   *self,
                     DslGuardedLink *link,
                     const GError   *error)
{
  g_autofree char *message = dsl_guarded_link_describe_save_error (link, error);

  g_message ("could not save the guarded links: %s", error->message);
  g_signal_emit (self, signals[SIGNAL_SAVE_FAILED], 0, link, error, message);
}

static void
dsl_link_guard_init (DslLinkGuard *self)
{
  self->checking = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->revoking = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DslLinkGuard *
dsl_link_guard_new (DslClient     *client,
                    DslGuardStore *store)
{
  DslLinkGuard *self;

  g_return_val_if_fail (DSL_IS_CLIENT (client), NULL);
  g_return_val_if_fail (DSL_IS_GUARD_STORE (store), NULL);

  self = g_object_new (DSL_TYPE_LINK_GUARD, NULL);
  self->client = g_object_ref (client);
  self->store = g_object_ref (store);
  return self;
}

/* A write to a link answered through the guard's client (the sidebar, the editor, the
 * checkup, the reminders: dsl-link-ops): the record follows the server's expiry, or is
 * dropped when the link was removed. Records the guard revoked (or found gone) stay as they
 * are: they are history. */
static void
on_link_stored (DslClient    *client,
                int           kind,
                const char   *item_id,
                const char   *link_id,
                DslLink      *stored,
                DslLinkGuard *self)
{
  g_autoptr(DslGuardedLink) record = NULL;
  g_autoptr(GError) error = NULL;
  DslGuardedLink *found;

  if (self->account_key == NULL || g_hash_table_contains (self->revoking, link_id))
    return;
  found = dsl_guard_store_lookup (self->store, self->account_key, link_id);
  if (found == NULL ||
      (found->state != DSL_GUARD_STATE_ACTIVE && found->state != DSL_GUARD_STATE_FAILED))
    return;
  /* kept for the report when the store drops it */
  record = g_object_ref (found);

  if (stored == NULL)
    {
      g_debug ("link %s was removed: no longer guarded", link_id);
      dsl_guard_store_remove (self->store, self->account_key, link_id);
    }
  else
    {
      if (same_date (record->expires, dsl_link_get_expiration_date (stored)))
        return;
      dsl_guarded_link_set_expires (record, dsl_link_get_expiration_date (stored));
    }
  if (!dsl_guard_store_save (self->store, &error))
    report_save_failure (self, stored != NULL ? record : NULL, error);
}

void
dsl_link_guard_set_account_key (DslLinkGuard *self,
                                const char   *account_key)
{
  g_return_if_fail (DSL_IS_LINK_GUARD (self));

  g_free (self->account_key);
  self->account_key = g_strdup (account_key);
  if (account_key != NULL && self->stored_id == 0)
    self->stored_id = g_signal_connect (self->client, "link-stored",
                                        G_CALLBACK (on_link_stored), self);
  else if (account_key == NULL)
    g_clear_signal_handler (&self->stored_id, self->client);
}

DslClient *
dsl_link_guard_get_client (DslLinkGuard *self)
{
  g_return_val_if_fail (DSL_IS_LINK_GUARD (self), NULL);
  return self->client;
}

DslGuardStore *
dsl_link_guard_get_store (DslLinkGuard *self)
{
  g_return_val_if_fail (DSL_IS_LINK_GUARD (self), NULL);
  return self->store;
}

void
dsl_guard_result_free (DslGuardResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->link);
  g_clear_error (&result->audit_error);
  g_clear_error (&result->error);
  g_free (result);
}

void
dsl_link_guard_count_downloads_async (DslLinkGuard        *self,
                                      DslGuardedLink      *link,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (DSL_IS_LINK_GUARD (self));
  g_return_if_fail (DSL_IS_GUARDED_LINK (link));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  count_async (self->client, self, link, cancellable, callback, user_data);
}

int
dsl_link_guard_count_downloads_finish (DslLinkGuard  *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  gssize n;

  g_return_val_if_fail (DSL_IS_LINK_GUARD (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == count_async, -1);

  n = g_task_propagate_int (G_TASK (result), error);
  return n < 0 ? -1 : (int) n;
}

/* No item has this id: a portal that applies the filters answers with no event. */
#define PROBE_TARGET "docspace-links-audit-probe"

void
dsl_link_guard_probe_audit_async (DslLinkGuard        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (DSL_IS_LINK_GUARD (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  count_start (self->client, self, PROBE_TARGET, DSL_AUDIT_ACTION_FILE_DOWNLOADED, NULL,
               dsl_link_guard_probe_audit_async, cancellable, callback, user_data);
}

gboolean
dsl_link_guard_probe_audit_finish (DslLinkGuard  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (DSL_IS_LINK_GUARD (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        dsl_link_guard_probe_audit_async, FALSE);

  return g_task_propagate_int (G_TASK (result), error) >= 0;
}

/* One check of an account. */
typedef struct {
  GPtrArray  *results;      /* DslGuardResult, one per link checked, in the store's order */
  GDateTime  *now;
  GError     *audit_error;  /* the first audit error met: the others skip the audit call */
  gboolean    waiting;      /* for the client's pause after a 429 (the wait holds the task) */
  char       *account_key;
  guint       next;
  guint       in_flight;
  gboolean    cancelled;
} Check;

static void
check_free (Check *check)
{
  /* the wait holds the task, so none is left here */
  g_assert (!check->waiting);
  g_ptr_array_unref (check->results);
  g_date_time_unref (check->now);
  g_clear_error (&check->audit_error);
  g_free (check->account_key);
  g_free (check);
}

/* One link's walk through the flow; holds the check's task. */
typedef struct {
  GTask          *task;
  DslGuardResult *result;   /* borrowed from the check */
  DslLink        *server;   /* the link as listed */
  DslGuardOutcome revoke_for;
} Op;

static void check_start_next (GTask *task);

static void
op_finish (Op              *op,
           DslGuardOutcome  outcome,
           GError          *error)
{
  GTask *task = op->task;
  Check *check = g_task_get_task_data (task);
  DslGuardResult *r = op->result;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* the record stays as it was */
      check->cancelled = TRUE;
      outcome = DSL_GUARD_OUTCOME_FAILED;
    }
  else
    {
      r->outcome = outcome;
      switch (outcome)
        {
        case DSL_GUARD_OUTCOME_ACTIVE:
          dsl_guarded_link_set_state (r->link, DSL_GUARD_STATE_ACTIVE, NULL);
          if (r->downloads >= 0)
            dsl_guarded_link_set_downloads (r->link, r->downloads);
          break;
        case DSL_GUARD_OUTCOME_REVOKED_LIMIT:
          dsl_guarded_link_set_state (r->link, DSL_GUARD_STATE_REVOKED_LIMIT, NULL);
          dsl_guarded_link_set_downloads (r->link, r->downloads);
          break;
        case DSL_GUARD_OUTCOME_REVOKED_EXPIRED:
          dsl_guarded_link_set_state (r->link, DSL_GUARD_STATE_REVOKED_EXPIRED, NULL);
          break;
        case DSL_GUARD_OUTCOME_GONE:
          dsl_guarded_link_set_state (r->link, DSL_GUARD_STATE_GONE, NULL);
          break;
        case DSL_GUARD_OUTCOME_FAILED:
        default:
          g_assert (error != NULL);
          dsl_guarded_link_set_state (r->link, DSL_GUARD_STATE_FAILED, error->message);
          r->error = g_error_copy (error);
          break;
        }
      g_debug ("link %s of item %s: %s", dsl_guarded_link_get_link_id (r->link),
               dsl_guarded_link_get_item_id (r->link),
               dsl_guard_state_to_string (dsl_guarded_link_get_state (r->link)));
    }

  g_clear_object (&op->server);
  g_free (op);
  check->in_flight--;
  check_start_next (task);
  g_object_unref (task);
}

static void
op_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Op *op = user_data;
  DslLinkGuard *self = g_task_get_source_object (op->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(DslLink) replacement = NULL;
  gboolean deleted;

  deleted = dsl_client_delete_link_finish (DSL_CLIENT (source), result, &replacement, &error);
  if (self->revoking != NULL)
    g_hash_table_remove (self->revoking, dsl_guarded_link_get_link_id (op->result->link));
  if (!deleted)
    {
      /* any other error, DSL_ERROR_NOT_APPLIED included: not revoked, checked again */
      if (g_error_matches (error, DSL_ERROR, DSL_ERROR_NOT_FOUND))
        op_finish (op, DSL_GUARD_OUTCOME_GONE, NULL);
      else
        op_finish (op, DSL_GUARD_OUTCOME_FAILED, error);
      return;
    }
  /* Success means the answer shows the link gone (or replaced): the client turns the server's
   * "200 with the link unchanged" into DSL_ERROR_NOT_APPLIED (docspace-api.md §6.1). */
  op_finish (op, op->revoke_for, NULL);
}

static void
op_revoke (Op              *op,
           DslGuardOutcome  reason)
{
  DslLinkGuard *self = g_task_get_source_object (op->task);
  DslGuardedLink *link = op->result->link;

  op->revoke_for = reason;
  /* its own revocation is not someone's removal (see on_link_stored) */
  g_hash_table_add (self->revoking, g_strdup (dsl_guarded_link_get_link_id (link)));
  dsl_client_delete_link_async (self->client, dsl_guarded_link_get_item_kind (link),
                                dsl_guarded_link_get_item_id (link), op->server,
                                g_task_get_cancellable (op->task), op_deleted, op);
}

static void
op_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Op *op = user_data;
  Check *check = g_task_get_task_data (op->task);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL)
    {
      if (dsl_guard_error_is_audit (error))
        {
          if (check->audit_error == NULL)
            check->audit_error = g_error_copy (error);
          op->result->audit_error = g_steal_pointer (&error);
          op_finish (op, DSL_GUARD_OUTCOME_ACTIVE, NULL);
        }
      else
        op_finish (op, DSL_GUARD_OUTCOME_FAILED, error);
      return;
    }

  op->result->downloads = (int) n;
  if (n >= (gssize) dsl_guarded_link_get_download_limit (op->result->link))
    op_revoke (op, DSL_GUARD_OUTCOME_REVOKED_LIMIT);
  else
    op_finish (op, DSL_GUARD_OUTCOME_ACTIVE, NULL);
}

static void
op_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Op *op = user_data;
  Check *check = g_task_get_task_data (op->task);
  DslLinkGuard *self = g_task_get_source_object (op->task);
  DslGuardedLink *link = op->result->link;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = NULL;

  links = dsl_client_list_links_finish (DSL_CLIENT (source), result, &error);
  if (links == NULL)
    {
      /* the item itself is gone (or no longer ours to see) */
      if (g_error_matches (error, DSL_ERROR, DSL_ERROR_NOT_FOUND))
        op_finish (op, DSL_GUARD_OUTCOME_GONE, NULL);
      else
        op_finish (op, DSL_GUARD_OUTCOME_FAILED, error);
      return;
    }
  for (guint i = 0; i < links->len && op->server == NULL; i++)
    if (g_strcmp0 (dsl_link_get_id (g_ptr_array_index (links, i)),
                   dsl_guarded_link_get_link_id (link)) == 0)
      op->server = g_object_ref (g_ptr_array_index (links, i));
  if (op->server == NULL)
    {
      op_finish (op, DSL_GUARD_OUTCOME_GONE, NULL);
      return;
    }

  /* The server's expiry is the truth: the sidebar, the editor, the checkup, the reminders or
   * another administrator may have moved it (or taken it away) since the record was written.
   * The record follows it on every check, and only the server's expiry revokes. */
  dsl_guarded_link_set_expires (link, dsl_link_get_expiration_date (op->server));
  if (dsl_link_get_is_expired (op->server) || dsl_guarded_link_is_expired (link, check->now))
    op_revoke (op, DSL_GUARD_OUTCOME_REVOKED_EXPIRED);
  else if (dsl_guarded_link_get_download_limit (link) == 0)
    op_finish (op, DSL_GUARD_OUTCOME_ACTIVE, NULL);
  else if (check->audit_error != NULL)
    {
      op->result->audit_error = g_error_copy (check->audit_error);
      op_finish (op, DSL_GUARD_OUTCOME_ACTIVE, NULL);
    }
  else
    count_async (self->client, self, link, g_task_get_cancellable (op->task), op_counted, op);
}

/* The client's pause is over, or the check was cancelled. */
static void
check_waited_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);

  dsl_client_wait_finish (DSL_CLIENT (source), result, NULL);
  check->waiting = FALSE;
  check_start_next (task);
}

static void
check_start_next (GTask *task)
{
  DslLinkGuard *self = g_task_get_source_object (task);
  Check *check = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  gboolean paused;

  if (g_cancellable_is_cancelled (cancellable))
    check->cancelled = TRUE;

  /* After a 429 (this check's or any other caller's of the client), no link starts before the
   * client's pause is over. */
  paused = dsl_client_get_paused (self->client);
  if (paused && !check->cancelled && check->next < check->results->len && !check->waiting)
    {
      check->waiting = TRUE;
      dsl_client_wait_async (self->client, cancellable, check_waited_cb, g_object_ref (task));
    }

  while (!paused && !check->cancelled && check->in_flight < DSL_CLIENT_MAX_IN_FLIGHT &&
         check->next < check->results->len)
    {
      Op *op = g_new0 (Op, 1);
      DslGuardedLink *link;

      op->task = g_object_ref (task);
      op->result = g_ptr_array_index (check->results, check->next++);
      link = op->result->link;
      check->in_flight++;
      dsl_client_list_links_async (self->client, dsl_guarded_link_get_item_kind (link),
                                   dsl_guarded_link_get_item_id (link),
                                   DSL_LINK_TYPE_EXTERNAL, cancellable, op_listed, op);
    }
  if (check->in_flight > 0 || check->waiting ||
      (!check->cancelled && check->next < check->results->len))
    return;

  /* done: keep what happened (also when cancelled: revoked links stay revoked) */
  if (self->checking != NULL)
    g_hash_table_remove (self->checking, check->account_key);
  if (!dsl_guard_store_save (self->store, &error))
    {
      /* Reported once until a save works again (the next check would say the same). What
       * happened on the server stays in the results. */
      if (!self->check_save_failing)
        report_save_failure (self, unsaved_link (self->store, check->account_key), error);
      self->check_save_failing = TRUE;
    }
  else
    self->check_save_failing = FALSE;
  if (check->cancelled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "The check was cancelled");
  else
    g_task_return_pointer (task, g_ptr_array_ref (check->results),
                           (GDestroyNotify) g_ptr_array_unref);
}

void
dsl_link_guard_check_async (DslLinkGuard        *self,
                            const char          *account_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GListModel *links;
  Check *check;

  g_return_if_fail (DSL_IS_LINK_GUARD (self));
  g_return_if_fail (account_key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_link_guard_check_async);

  if (!g_hash_table_add (self->checking, g_strdup (account_key)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The links of this account are being checked already"));
      return;
    }

  check = g_new0 (Check, 1);
  check->account_key = g_strdup (account_key);
  check->results = g_ptr_array_new_with_free_func ((GDestroyNotify) dsl_guard_result_free);
  check->now = g_date_time_new_now_utc ();
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);

  links = dsl_guard_store_get_links (self->store, account_key);
  for (guint i = 0; i < g_list_model_get_n_items (links); i++)
    {
      g_autoptr(DslGuardedLink) link = g_list_model_get_item (links, i);
      DslGuardState state = dsl_guarded_link_get_state (link);

      if (state == DSL_GUARD_STATE_ACTIVE || state == DSL_GUARD_STATE_FAILED)
        {
          DslGuardResult *r = g_new0 (DslGuardResult, 1);

          r->link = g_steal_pointer (&link);
          r->downloads = -1;
          g_ptr_array_add (check->results, r);
        }
    }
  check_start_next (task);
}

GPtrArray *
dsl_link_guard_check_finish (DslLinkGuard  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (DSL_IS_LINK_GUARD (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == dsl_link_guard_check_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

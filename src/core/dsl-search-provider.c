/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-search-provider.c: org.gnome.Shell.SearchProvider2 (see dsl-search-provider.h).
 *
 *   GNOME Shell ──GetInitialResultSet (terms)──▶ each account of GSettings "accounts":
 *                                                 dsl_search_index_get_shared (key) (the
 *                                                 window's live index, or the cache file)
 *               ◀── ids "item:<account hash>:<item id>", best first; a share URL:
 *                   "find-link:<url>"
 *               ──GetSubsearchResultSet (previous, terms)──▶ the same, only within previous
 *               ──GetResultMetas (ids)──▶ name, "location · link state", a themed icon
 *               ──ActivateResult (id)──▶ "show-item" (account, path) / "find-link" (url):
 *                                         the application shows them in its window (made if
 *                                         needed: it signs in from the keyring)
 *               ──LaunchSearch──▶ g_application_activate: the window
 *
 * Every method answers from memory or the cache file: no request goes to a portal. The
 * application is held while a method runs and LINGER_SECONDS after, so a D-Bus activated
 * service does not quit under it, nor between two keys. */
#define G_LOG_DOMAIN "dsl-search-provider"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "dsl-account.h"
#include "dsl-search-index.h"
#include "dsl-search-provider.h"
#include "dsl-share-url.h"
#include "dsl-state-file.h"

#define ITEM_PREFIX "item:"
/* The application stays this long after the last call: the Shell calls again at the next key,
 * and a D-Bus activated service would otherwise quit between two keys. */
#define LINGER_SECONDS 10

static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.gnome.Shell.SearchProvider2'>"
  "    <method name='GetInitialResultSet'>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='as' name='results' direction='out'/>"
  "    </method>"
  "    <method name='GetSubsearchResultSet'>"
  "      <arg type='as' name='previous_results' direction='in'/>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='as' name='results' direction='out'/>"
  "    </method>"
  "    <method name='GetResultMetas'>"
  "      <arg type='as' name='identifiers' direction='in'/>"
  "      <arg type='aa{sv}' name='metas' direction='out'/>"
  "    </method>"
  "    <method name='ActivateResult'>"
  "      <arg type='s' name='identifier' direction='in'/>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='LaunchSearch'>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

struct _DslSearchProvider
{
  GObject          parent_instance;

  /* owned */
  GSettings       *settings;       /* NULL without a schema */
  DslAccountStore *accounts;       /* NULL without settings */
  GDBusConnection *connection;     /* while registered */

  /* borrowed */
  GApplication    *application;    /* weak */

  /* plain values */
  guint            registration_id;
  guint            linger_id;      /* holding the application until it fires */
};

G_DEFINE_FINAL_TYPE (DslSearchProvider, dsl_search_provider, G_TYPE_OBJECT)

enum {
  SIGNAL_SHOW_ITEM,
  SIGNAL_FIND_LINK,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* The accounts of the settings, read on first use. */
static guint
n_accounts (DslSearchProvider *self)
{
  if (self->accounts == NULL && self->settings != NULL)
    self->accounts = dsl_account_store_new (self->settings);
  return self->accounts != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) : 0;
}

/* The account key whose hash is `hash` (transfer full), or NULL. */
static char *
account_for_hash (DslSearchProvider *self,
                  const char        *hash,
                  gsize              hash_len)
{
  guint n = n_accounts (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DslAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      g_autofree char *key = dsl_account_dup_key (account);
      g_autofree char *digest = dsl_state_file_hash_account (key);

      if (strlen (digest) == hash_len && strncmp (digest, hash, hash_len) == 0)
        return g_steal_pointer (&key);
    }
  return NULL;
}

void
dsl_search_provider_preload (DslSearchProvider *self,
                             GSettings         *settings)
{
  g_return_if_fail (DSL_IS_SEARCH_PROVIDER (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->accounts == NULL)
    self->accounts = dsl_account_store_new (settings);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->accounts)); i++)
    {
      g_autoptr(DslAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      g_autofree char *key = dsl_account_dup_key (account);

      dsl_search_index_preload_shared (key);
    }
}

/* Splits "item:<hash>:<item id>" into the account key and the item id (transfer full). */
static gboolean
parse_item_id (DslSearchProvider  *self,
               const char         *id,
               char              **key,
               char              **item_id)
{
  const char *hash, *colon;

  if (!g_str_has_prefix (id, ITEM_PREFIX))
    return FALSE;
  hash = id + strlen (ITEM_PREFIX);
  colon = strchr (hash, ':');
  if (colon == NULL || colon[1] == '\0')
    return FALSE;
  *key = account_for_hash (self, hash, (gsize) (colon - hash));
  if (*key == NULL)
    return FALSE;
  *item_id = g_strdup (colon + 1);
  return TRUE;
}

/* A share URL among the terms (borrowed), or NULL. */
static const char *
share_url_term (const char * const *terms)
{
  for (guint i = 0; terms != NULL && terms[i] != NULL; i++)
    if (dsl_share_url_is_share_url (terms[i]))
      return terms[i];
  return NULL;
}

typedef struct {
  DslSearchHit *hit;   /* borrowed from the account's hits */
  char         *result_id;
} Merged;

static int
compare_merged (gconstpointer a,
                gconstpointer b)
{
  return dsl_search_hit_compare (((const Merged *) a)->hit, ((const Merged *) b)->hit);
}

char **
dsl_search_provider_search (DslSearchProvider  *self,
                            const char * const *terms,
                            const char * const *previous)
{
  g_autoptr(GStrvBuilder) results = g_strv_builder_new ();
  g_autoptr(GPtrArray) all_hits = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GArray) merged = g_array_new (FALSE, FALSE, sizeof (Merged));
  const char *url;
  guint n;

  g_return_val_if_fail (DSL_IS_SEARCH_PROVIDER (self), NULL);

  /* A pasted share link: one result that opens Find Link with it. */
  if ((url = share_url_term (terms)) != NULL)
    {
      g_autofree char *id = g_strconcat (DSL_SEARCH_PROVIDER_FIND_LINK_PREFIX, url, NULL);

      g_strv_builder_add (results, id);
      return g_strv_builder_end (results);
    }

  n = n_accounts (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DslAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      g_autofree char *key = dsl_account_dup_key (account);
      g_autofree char *hash = dsl_state_file_hash_account (key);
      g_autofree char *prefix = g_strdup_printf (ITEM_PREFIX "%s:", hash);
      DslSearchIndex *index = dsl_search_index_get_shared (key);
      g_autoptr(GPtrArray) within = NULL;
      GPtrArray *hits;

      if (previous != NULL)
        {
          /* A subsearch: only this account's previous results. */
          within = g_ptr_array_new ();
          for (guint p = 0; previous[p] != NULL; p++)
            if (g_str_has_prefix (previous[p], prefix))
              g_ptr_array_add (within, (gpointer) (previous[p] + strlen (prefix)));
          if (within->len == 0)
            continue;
          g_ptr_array_add (within, NULL);
        }

      hits = dsl_search_index_search (index, terms,
                                      within != NULL ? (const char * const *) within->pdata
                                                     : NULL);
      g_ptr_array_add (all_hits, hits);
      for (guint h = 0; h < hits->len; h++)
        {
          DslSearchHit *hit = g_ptr_array_index (hits, h);
          Merged entry;

          /* The index leaves out what cannot be reached in the tree. */
          entry.hit = hit;
          entry.result_id = g_strconcat (prefix, hit->id, NULL);
          g_array_append_val (merged, entry);
        }
    }

  g_array_sort (merged, compare_merged);
  for (guint i = 0; i < merged->len; i++)
    {
      Merged *entry = &g_array_index (merged, Merged, i);

      g_strv_builder_add (results, entry->result_id);
      g_free (entry->result_id);
    }
  return g_strv_builder_end (results);
}

/* --- GetResultMetas --- */

static GIcon *
icon_for (DslItemKind  kind,
          const char  *title)
{
  switch (kind)
    {
    case DSL_ITEM_KIND_ROOM:
      return g_themed_icon_new_with_default_fallbacks ("folder-publicshare");
    case DSL_ITEM_KIND_FOLDER:
      return g_themed_icon_new_with_default_fallbacks ("folder");
    case DSL_ITEM_KIND_FILE:
    default:
      {
        g_autofree char *type = g_content_type_guess (title, NULL, 0, NULL);

        return g_content_type_get_icon (type);
      }
    }
}

static GVariant *
item_meta (DslSearchProvider *self,
           const char        *id)
{
  g_autofree char *key = NULL;
  g_autofree char *item_id = NULL;
  g_autofree char *location = NULL;
  g_autofree char *state = NULL;
  g_autofree char *description = NULL;
  g_autofree char *icon_text = NULL;
  g_autoptr(GIcon) icon = NULL;
  DslSearchIndex *index;
  const char *title;
  GVariantBuilder meta;

  if (g_str_has_prefix (id, DSL_SEARCH_PROVIDER_FIND_LINK_PREFIX))
    {
      icon = g_themed_icon_new_with_default_fallbacks ("edit-find");
      icon_text = g_icon_to_string (icon);
      g_variant_builder_init (&meta, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&meta, "{sv}", "id", g_variant_new_string (id));
      g_variant_builder_add (&meta, "{sv}", "name", g_variant_new_string (_("Find Link…")));
      g_variant_builder_add (&meta, "{sv}", "description",
                             g_variant_new_string (id + strlen (DSL_SEARCH_PROVIDER_FIND_LINK_PREFIX)));
      g_variant_builder_add (&meta, "{sv}", "gicon", g_variant_new_string (icon_text));
      return g_variant_builder_end (&meta);
    }

  if (!parse_item_id (self, id, &key, &item_id))
    return NULL;
  index = dsl_search_index_get_shared (key);
  if ((title = dsl_search_index_get_title (index, item_id)) == NULL)
    return NULL;
  location = dsl_search_index_dup_location (index, item_id);
  state = dsl_search_index_dup_link_state (index, item_id);
  if (location != NULL && state != NULL)
    /* Translators: a search result's description: where it is, then its links, e.g.
     * "Rooms › Marketing · 3 links, 1 expiring" */
    description = g_strdup_printf (_("%s · %s"), location, state);
  else
    description = g_strdup (location != NULL ? location : state != NULL ? state : "");
  icon = icon_for (dsl_search_index_get_kind (index, item_id), title);
  icon_text = g_icon_to_string (icon);

  g_variant_builder_init (&meta, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&meta, "{sv}", "id", g_variant_new_string (id));
  g_variant_builder_add (&meta, "{sv}", "name", g_variant_new_string (title));
  g_variant_builder_add (&meta, "{sv}", "description", g_variant_new_string (description));
  if (icon_text != NULL)
    g_variant_builder_add (&meta, "{sv}", "gicon", g_variant_new_string (icon_text));
  return g_variant_builder_end (&meta);
}

/* --- ActivateResult, LaunchSearch --- */

static void
activate_result (DslSearchProvider *self,
                 const char        *id,
                 guint32            timestamp)
{
  g_autofree char *key = NULL;
  g_autofree char *item_id = NULL;
  g_autofree char *path = NULL;

  if (g_str_has_prefix (id, DSL_SEARCH_PROVIDER_FIND_LINK_PREFIX))
    {
      g_signal_emit (self, signals[SIGNAL_FIND_LINK], 0,
                     id + strlen (DSL_SEARCH_PROVIDER_FIND_LINK_PREFIX), timestamp);
      return;
    }

  /* Where it is in the tree, from the index (the item may have moved since the search). */
  if (parse_item_id (self, id, &key, &item_id))
    path = dsl_search_index_dup_path (dsl_search_index_get_shared (key), item_id);
  g_signal_emit (self, signals[SIGNAL_SHOW_ITEM], 0, path != NULL ? key : NULL, path, timestamp);
}

/* --- D-Bus --- */

static void
hold (DslSearchProvider *self)
{
  if (self->linger_id != 0)
    g_clear_handle_id (&self->linger_id, g_source_remove);
  else
    g_application_hold (G_APPLICATION (self->application));
}

static gboolean
on_linger_done (gpointer user_data)
{
  DslSearchProvider *self = DSL_SEARCH_PROVIDER (user_data);

  self->linger_id = 0;
  if (self->application != NULL)
    g_application_release (G_APPLICATION (self->application));
  return G_SOURCE_REMOVE;
}

static void
linger (DslSearchProvider *self)
{
  g_assert (self->linger_id == 0);
  self->linger_id = g_timeout_add_seconds (LINGER_SECONDS, on_linger_done, self);
}

static char **
dup_strv (GVariant *variant)
{
  return g_variant_dup_strv (variant, NULL);
}

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  DslSearchProvider *self = DSL_SEARCH_PROVIDER (user_data);
  g_autoptr(GApplication) application = self->application != NULL
                                        ? g_object_ref (self->application) : NULL;

  if (application != NULL)
    hold (self);

  if (g_str_equal (method_name, "GetInitialResultSet") ||
      g_str_equal (method_name, "GetSubsearchResultSet"))
    {
      g_autoptr(GVariant) terms_v = NULL;
      g_autoptr(GVariant) previous_v = NULL;
      g_auto(GStrv) terms = NULL;
      g_auto(GStrv) previous = NULL;
      g_auto(GStrv) results = NULL;

      if (g_str_equal (method_name, "GetInitialResultSet"))
        terms_v = g_variant_get_child_value (parameters, 0);
      else
        {
          previous_v = g_variant_get_child_value (parameters, 0);
          terms_v = g_variant_get_child_value (parameters, 1);
          previous = dup_strv (previous_v);
        }
      terms = dup_strv (terms_v);
      results = dsl_search_provider_search (self, (const char * const *) terms,
                                            (const char * const *) previous);
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(^as)", results));
    }
  else if (g_str_equal (method_name, "GetResultMetas"))
    {
      g_autoptr(GVariant) ids_v = g_variant_get_child_value (parameters, 0);
      g_auto(GStrv) ids = dup_strv (ids_v);
      GVariantBuilder metas;

      g_variant_builder_init (&metas, G_VARIANT_TYPE ("aa{sv}"));
      for (guint i = 0; ids[i] != NULL; i++)
        {
          GVariant *meta = item_meta (self, ids[i]);

          if (meta != NULL)
            g_variant_builder_add_value (&metas, meta);
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(aa{sv})", &metas));
    }
  else if (g_str_equal (method_name, "ActivateResult"))
    {
      const char *id = NULL;
      guint32 timestamp = 0;

      g_variant_get (parameters, "(&s^a&su)", &id, NULL, &timestamp);
      activate_result (self, id, timestamp);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "LaunchSearch"))
    {
      if (application != NULL)
        g_application_activate (application);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "No method %s", method_name);
    }

  if (application != NULL)
    linger (self);
}

static const GDBusInterfaceVTable vtable = { .method_call = method_call };

gboolean
dsl_search_provider_register (DslSearchProvider *self,
                              GDBusConnection   *connection,
                              const char        *object_path,
                              GError           **error)
{
  static GDBusNodeInfo *node_info;

  g_return_val_if_fail (DSL_IS_SEARCH_PROVIDER (self), FALSE);
  g_return_val_if_fail (self->registration_id == 0, FALSE);

  if (node_info == NULL)
    node_info = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  self->registration_id =
    g_dbus_connection_register_object (connection, object_path, node_info->interfaces[0],
                                       &vtable, self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;
  self->connection = g_object_ref (connection);
  return TRUE;
}

void
dsl_search_provider_unregister (DslSearchProvider *self)
{
  g_return_if_fail (DSL_IS_SEARCH_PROVIDER (self));

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
  /* The last changes of the indexes, before the process ends. */
  dsl_search_index_shared_flush ();
}

/* --- GObject --- */

static void
dsl_search_provider_dispose (GObject *object)
{
  DslSearchProvider *self = DSL_SEARCH_PROVIDER (object);

  dsl_search_provider_unregister (self);
  if (self->linger_id != 0)
    {
      g_clear_handle_id (&self->linger_id, g_source_remove);
      if (self->application != NULL)
        g_application_release (G_APPLICATION (self->application));
    }
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->accounts);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (dsl_search_provider_parent_class)->dispose (object);
}

static void
dsl_search_provider_class_init (DslSearchProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dsl_search_provider_dispose;

  signals[SIGNAL_SHOW_ITEM] =
    g_signal_new ("show-item", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT);
  signals[SIGNAL_FIND_LINK] =
    g_signal_new ("find-link", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
dsl_search_provider_init (DslSearchProvider *self)
{
}

DslSearchProvider *
dsl_search_provider_new (GApplication *application,
                         GSettings    *settings)
{
  DslSearchProvider *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (DSL_TYPE_SEARCH_PROVIDER, NULL);
  g_set_weak_pointer (&self->application, application);
  g_set_object (&self->settings, settings);
  return self;
}

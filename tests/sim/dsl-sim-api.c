/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-api.c: authentication (§1), the current user and key, and browsing (§3). */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim-server.h"

#include <string.h>

#define MSG_AUTH_FAILED "User authentication failed"
/* Resource.ErrorTooManyLoginAttempts and Resource.ErrorUserDisabled, in the portal's language
 * (web/ASC.Web.Core/PublicResources/Resource.resx, Resource.de.resx; CultureMiddleware picks
 * the tenant's culture for the anonymous login call). "User authentication failed" is a
 * literal in AuthenticationController, English everywhere. */
#define MSG_TOO_MANY "Too many login attempts. Please try again later"
#define MSG_TOO_MANY_DE "Zu viele Anmeldeversuche. Bitte versuchen Sie es später noch einmal"
#define MSG_DISABLED "User disabled"
#define MSG_DISABLED_DE "Benutzer deaktiviert"
#define MSG_FOLDER_NOT_FOUND "The required folder was not found"
#define MSG_FILE_NOT_FOUND "The required file was not found"
#define MSG_READ_FOLDER "You don't have enough permission to view the folder content"
#define MAX_LOGIN_FAILURES 5
#define TFA_APP_CODE "123456"

/* ------------------------------------------------------------------------------------------ */
/* Authentication */

static const char *
body_string (JsonObject *o,
             const char *name)
{
  JsonNode *n = sim_obj_get (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
body_bool (JsonObject *o,
           const char *name)
{
  JsonNode *n = sim_obj_get (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return FALSE;
  return json_node_get_boolean (n);
}

void
sim_api_auth_check (SimRequest *req)
{
  sim_reply_ok (req, json_node_init_boolean (json_node_alloc (), req->user != NULL), -1);
}

static void
count_failure (SimRequest *req,
               const char *email_lower)
{
  int n = GPOINTER_TO_INT (g_hash_table_lookup (req->state->login_failures, email_lower));

  g_hash_table_replace (req->state->login_failures, g_strdup (email_lower),
                        GINT_TO_POINTER (n + 1));
  req->mutated = TRUE;
}

static char *
confirm_url (SimRequest    *req,
             const char    *type,
             const SimUser *user)
{
  g_autofree char *key = sim_random_string (32);
  g_autofree char *email = g_uri_escape_string (user->email, NULL, TRUE);

  return g_strdup_printf ("%s/confirm/%s?type=%s&key=%s&email=%s", req->state->base_url,
                          type, type, key, email);
}

void
sim_api_auth_login (SimRequest *req)
{
  JsonObject *o = sim_request_body_object (req);
  const char *user_name = body_string (o, "userName");
  const char *password = body_string (o, "password");
  const char *code = body_string (o, "code");
  gboolean session_only = body_bool (o, "session");
  g_autofree char *email_lower = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  const SimUser *u;
  SimSession *ss;

  if (req->body_invalid)
    {
      sim_reply_problem (req, "$",
                         "The input does not contain any JSON tokens or is invalid JSON.");
      return;
    }
  if (user_name == NULL || *user_name == '\0')
    {
      sim_reply_auth_failed (req, 401, MSG_AUTH_FAILED);
      return;
    }
  email_lower = g_ascii_strdown (user_name, -1);
  if (GPOINTER_TO_INT (g_hash_table_lookup (req->state->login_failures, email_lower)) >=
      MAX_LOGIN_FAILURES)
    {
      /* BruteForceCredentialException: CustomExceptionHandler answers 403 without the
       * exception's type, stack and hresult (withStackTrace = false; common/ASC.Api.Core/
       * Middleware/ResponseWrapper.cs), so error.type is null: that, not the localised
       * message, is what marks this answer. */
      sim_reply_auth_failed (req, 403, g_strcmp0 (sim_faults_culture (req), "de") == 0
                                       ? MSG_TOO_MANY_DE : MSG_TOO_MANY);
      return;
    }
  u = sim_user_by_email (user_name);
  if (u == NULL || password == NULL || !g_str_equal (u->password, password))
    {
      count_failure (req, email_lower);
      sim_reply_auth_failed (req, 401, MSG_AUTH_FAILED);
      return;
    }
  if (u->disabled)
    {
      /* InvalidOperationException (AuthenticationController.AuthenticateMe): 403 with the
       * exception's type, stack and hresult. */
      sim_reply_invalid_op (req, g_strcmp0 (sim_faults_culture (req), "de") == 0
                                 ? MSG_DISABLED_DE : MSG_DISABLED);
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  if (u->tfa == 2)
    {
      g_autofree char *url = confirm_url (req, "TfaActivation", u);
      g_autofree char *key = sim_random_string (16);
      g_autofree char *tfa_key = g_ascii_strup (key, -1);

      json_builder_set_member_name (b, "sms");
      json_builder_add_boolean_value (b, FALSE);
      json_builder_set_member_name (b, "tfa");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_set_member_name (b, "tfaKey");
      json_builder_add_string_value (b, tfa_key);
      json_builder_set_member_name (b, "confirmUrl");
      json_builder_add_string_value (b, url);
      json_builder_end_object (b);
      sim_reply_ok (req, json_builder_get_root (b), -1);
      return;
    }
  if (u->tfa == 1 && code == NULL)
    {
      g_autofree char *url = confirm_url (req, "TfaAuth", u);

      json_builder_set_member_name (b, "sms");
      json_builder_add_boolean_value (b, FALSE);
      json_builder_set_member_name (b, "tfa");
      json_builder_add_boolean_value (b, TRUE);
      json_builder_set_member_name (b, "confirmUrl");
      json_builder_add_string_value (b, url);
      json_builder_end_object (b);
      sim_reply_ok (req, json_builder_get_root (b), -1);
      return;
    }
  if (u->tfa == 1 && !g_str_equal (code, TFA_APP_CODE))
    {
      count_failure (req, email_lower);
      sim_reply_auth_failed (req, 401, MSG_AUTH_FAILED);
      return;
    }

  if (g_hash_table_remove (req->state->login_failures, email_lower))
    req->mutated = TRUE;
  ss = sim_request_new_session (req, u, session_only);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, ss->token);
  if (!session_only)
    {
      g_autofree char *expires = sim_format_date (ss->expires);

      json_builder_set_member_name (b, "expires");
      json_builder_add_string_value (b, expires);
    }
  json_builder_set_member_name (b, "sms");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "tfa");
  json_builder_add_boolean_value (b, u->tfa == 1);
  json_builder_end_object (b);
  {
    g_autofree char *cookie = g_strdup_printf ("asc_auth_key=%s; path=/; HttpOnly; SameSite=Lax",
                                               ss->token);

    soup_message_headers_append (soup_server_message_get_response_headers (req->msg),
                                 "Set-Cookie", cookie);
  }
  sim_reply_ok (req, json_builder_get_root (b), -1);
}

void
sim_api_auth_logout (SimRequest *req)
{
  if (req->session_token != NULL)
    {
      g_hash_table_remove (req->state->sessions, req->session_token);
      req->session_token = NULL;
      req->mutated = TRUE;
    }
  soup_message_headers_append (soup_server_message_get_response_headers (req->msg),
                               "Set-Cookie",
                               "asc_auth_key=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT");
  sim_reply_ok (req, NULL, -1);
}

void
sim_api_people_self (SimRequest *req)
{
  sim_reply_ok (req, sim_dto_user_full (req->user, req->state), -1);
}

void
sim_api_keys_self (SimRequest *req)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const SimApiKey *k = req->key;
  const char *postfix;
  g_autofree char *masked = NULL;
  gint64 *last;

  if (k == NULL)
    {
      sim_reply_not_found (req, "The API key was not found");
      return;
    }
  postfix = k->secret + strlen (k->secret) - 4;
  masked = g_strdup_printf ("sk-***%s", postfix);
  last = g_hash_table_lookup (req->state->key_last_used, k->id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, k->id);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, k->name);
  json_builder_set_member_name (b, "key");
  json_builder_add_string_value (b, masked);
  json_builder_set_member_name (b, "keyPostfix");
  json_builder_add_string_value (b, postfix);
  json_builder_set_member_name (b, "permissions");
  json_builder_begin_array (b);
  for (guint i = 0; k->permissions[i] != NULL; i++)
    json_builder_add_string_value (b, k->permissions[i]);
  json_builder_end_array (b);
  if (last != NULL)
    {
      g_autofree char *d = sim_format_date (*last);

      json_builder_set_member_name (b, "lastUsed");
      json_builder_add_string_value (b, d);
    }
  {
    g_autofree char *d = sim_format_date (req->state->start - 90 * SIM_USEC_PER_DAY);

    json_builder_set_member_name (b, "createOn");
    json_builder_add_string_value (b, d);
  }
  json_builder_set_member_name (b, "createBy");
  sim_dto_user_short (b, sim_user_by_id (k->user_id), req->state->base_url);
  if (k->expires_days != 0)
    {
      g_autofree char *d = sim_format_date (req->state->start +
                                            k->expires_days * SIM_USEC_PER_DAY);

      json_builder_set_member_name (b, "expiresAt");
      json_builder_add_string_value (b, d);
    }
  json_builder_set_member_name (b, "isActive");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_end_object (b);
  sim_reply_ok (req, json_builder_get_root (b), -1);
}

/* ------------------------------------------------------------------------------------------ */
/* Browsing */

typedef enum {
  SORT_NONE,
  SORT_AZ,
  SORT_UPDATED,
  SORT_CREATED,
  SORT_SIZE,
  SORT_TYPE
} SortBy;

typedef struct {
  const char *filter_value;
  int         apply_filter;  /* 0 all, 1 files, 2 folders */
  int         filter_type;
  GArray     *room_types;    /* rooms list: wanted RoomTypes, empty = all */
  SortBy      sort_by;
  gboolean    descending;
} ListOpts;

static gboolean
parse_list_opts (SimRequest *req,
                 ListOpts   *o)
{
  const char *sort = sim_query_get (req, "sortBy");
  gint64 v;

  memset (o, 0, sizeof *o);
  o->filter_value = sim_query_get (req, "filterValue");
  if (o->filter_value != NULL && *o->filter_value == '\0')
    o->filter_value = NULL;
  if (!sim_query_int (req, "applyFilterOption", "applyFilterOption", 0, &v))
    return FALSE;
  o->apply_filter = (int) v;
  if (!sim_query_int (req, "filterType", "filterType", 0, &v))
    return FALSE;
  o->filter_type = (int) v;
  if (!sim_query_int (req, "sortOrder", "sortOrder", 0, &v))
    return FALSE;
  o->descending = v == 1;
  if (sort != NULL)
    {
      if (g_ascii_strcasecmp (sort, "AZ") == 0)
        o->sort_by = SORT_AZ;
      else if (g_ascii_strcasecmp (sort, "DateAndTime") == 0 ||
               g_ascii_strcasecmp (sort, "LastOpened") == 0)
        o->sort_by = SORT_UPDATED;
      else if (g_ascii_strcasecmp (sort, "DateAndTimeCreation") == 0)
        o->sort_by = SORT_CREATED;
      else if (g_ascii_strcasecmp (sort, "Size") == 0 ||
               g_ascii_strcasecmp (sort, "UsedSpace") == 0)
        o->sort_by = SORT_SIZE;
      else if (g_ascii_strcasecmp (sort, "Type") == 0 ||
               g_ascii_strcasecmp (sort, "RoomType") == 0)
        o->sort_by = SORT_TYPE;
    }
  return TRUE;
}

static gboolean
title_matches (SimEntry   *e,
               const char *needle)
{
  g_autofree char *h = NULL;
  g_autofree char *n = NULL;

  if (needle == NULL)
    return TRUE;
  h = g_utf8_casefold (e->title, -1);
  n = g_utf8_casefold (needle, -1);
  return strstr (h, n) != NULL;
}

static gboolean
type_matches (SimEntry *e,
              int       filter_type)
{
  int ft = e->is_folder ? -1 : sim_entry_file_type (e);

  switch (filter_type)
    {
    case 0: return TRUE;
    case 1: return !e->is_folder;
    case 2: return e->is_folder;
    case 3: return ft == 7;
    case 4: return ft == 6;
    case 5: return ft == 5;
    case 7: return ft == 4;
    case 12: return ft == 2 || ft == 3;
    case 22: return ft == 10;
    case 23: return ft == 10 && e->is_form;
    case 25: return ft == 11;
    case 13: return e->room_type == ROOM_FILLING;
    case 14: return e->room_type == ROOM_EDITING;
    case 17: return e->room_type == ROOM_CUSTOM;
    case 20: return e->room_type == ROOM_PUBLIC;
    case 24: return e->room_type == ROOM_VDR;
    case 26: return e->room_type == ROOM_AI;
    default: return TRUE;
    }
}

static gboolean
entry_wanted (SimRequest *req,
              SimEntry   *e,
              ListOpts   *o)
{
  if (!sim_can_read (req->user, e))
    return FALSE;
  if (o->apply_filter == 1 && e->is_folder)
    return FALSE;
  if (o->apply_filter == 2 && !e->is_folder)
    return FALSE;
  if (!type_matches (e, o->filter_type))
    return FALSE;
  if (o->room_types != NULL && o->room_types->len > 0)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < o->room_types->len; i++)
        found |= g_array_index (o->room_types, int, i) == e->room_type;
      if (!found)
        return FALSE;
    }
  return title_matches (e, o->filter_value);
}

static ListOpts *sort_opts;

static int
compare_entries (gconstpointer pa,
                 gconstpointer pb)
{
  SimEntry *a = *(SimEntry * const *) pa;
  SimEntry *b = *(SimEntry * const *) pb;
  int r = 0;

  if (a->is_folder != b->is_folder)
    return a->is_folder ? -1 : 1;  /* folders first, whatever the order */
  switch (sort_opts->sort_by)
    {
    case SORT_AZ:
      r = g_utf8_collate (a->title, b->title);
      break;
    case SORT_UPDATED:
      r = a->updated < b->updated ? -1 : a->updated > b->updated;
      break;
    case SORT_CREATED:
      r = a->created < b->created ? -1 : a->created > b->created;
      break;
    case SORT_SIZE:
      r = a->size < b->size ? -1 : a->size > b->size;
      break;
    case SORT_TYPE:
      r = a->is_folder ? a->room_type - b->room_type :
          sim_entry_file_type (a) - sim_entry_file_type (b);
      break;
    case SORT_NONE:
    default:
      break;
    }
  return sort_opts->descending ? -r : r;
}

static JsonNode *
path_parts (SimEntry *folder)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  JsonArray *a = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (SimEntry *e = folder; e != NULL; e = e->parent)
    g_ptr_array_insert (chain, 0, e);
  for (guint i = 0; i < chain->len; i++)
    json_array_add_element (a, sim_dto_path_part (g_ptr_array_index (chain, i)));
  json_node_take_array (node, a);
  return node;
}

/* FolderContentDto: folders before files, one shared page. */
static JsonNode *
folder_content (SimRequest *req,
                SimEntry   *folder,
                ListOpts   *o,
                guint       start,
                guint       count)
{
  JsonObject *obj = json_object_new ();
  JsonArray *files = json_array_new ();
  JsonArray *folders = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  guint n = sim_entry_n_children (folder);
  guint total = 0;
  guint emitted = 0;
  gboolean plain = o->filter_value == NULL && o->apply_filter == 0 && o->filter_type == 0 &&
                   (o->room_types == NULL || o->room_types->len == 0) &&
                   o->sort_by == SORT_NONE && folder->virtual_count > 0;

  if (plain)
    {
      /* the big generated folder: page by index without touching the rest */
      total = n;
      for (guint i = start; i < n && emitted < count; i++, emitted++)
        {
          SimEntry *c = sim_entry_nth_child (req->state, folder, i);

          json_array_add_element (c->is_folder ? folders : files,
                                  sim_dto_entry (req->state, req->user, c));
        }
    }
  else
    {
      g_autoptr(GPtrArray) matching = g_ptr_array_new ();

      for (guint i = 0; i < n; i++)
        {
          SimEntry *c = sim_entry_nth_child (req->state, folder, i);

          if (entry_wanted (req, c, o))
            g_ptr_array_add (matching, c);
        }
      sort_opts = o;
      g_ptr_array_sort (matching, compare_entries);
      sort_opts = NULL;
      total = matching->len;
      for (guint i = start; i < matching->len && emitted < count; i++, emitted++)
        {
          SimEntry *c = g_ptr_array_index (matching, i);

          json_array_add_element (c->is_folder ? folders : files,
                                  sim_dto_entry (req->state, req->user, c));
        }
    }

  json_object_set_array_member (obj, "files", files);
  json_object_set_array_member (obj, "folders", folders);
  json_object_set_member (obj, "current", sim_dto_entry (req->state, req->user, folder));
  json_object_set_member (obj, "pathParts", path_parts (folder));
  json_object_set_int_member (obj, "startIndex", start);
  json_object_set_int_member (obj, "count", emitted);
  json_object_set_int_member (obj, "total", total);
  json_object_set_int_member (obj, "new", 0);
  json_node_take_object (node, obj);
  return node;
}

/* Looks up a folder the caller may open; replies 404/403 and returns NULL otherwise. */
static SimEntry *
readable_folder (SimRequest *req,
                 const char *id)
{
  SimEntry *e = sim_state_lookup (req->state, id);

  if (e == NULL || !e->is_folder)
    {
      sim_reply_not_found (req, MSG_FOLDER_NOT_FOUND);
      return NULL;
    }
  if (!sim_can_read (req->user, e))
    {
      sim_reply_error (req, 403, MSG_READ_FOLDER, "System.Security.SecurityException",
                       -2146233078);
      return NULL;
    }
  return e;
}

static void
reply_content (SimRequest *req,
               SimEntry   *folder,
               ListOpts   *o)
{
  guint start, count;

  if (!sim_query_paging (req, &start, &count))
    return;
  sim_reply_ok (req, folder_content (req, folder, o, start, count), -1);
}

void
sim_api_rooms_list (SimRequest *req)
{
  ListOpts o;
  g_autoptr(GPtrArray) types = sim_query_get_all (req, "type");
  g_autoptr(GArray) room_types = g_array_new (FALSE, FALSE, sizeof (int));
  gint64 area;
  SimEntry *section;
  guint start, count;
  JsonNode *content;

  if (!parse_list_opts (req, &o) ||
      !sim_query_int (req, "searchArea", "searchArea", 0, &area))
    return;
  for (guint i = 0; i < types->len; i++)
    {
      const char *t = g_ptr_array_index (types, i);
      static const struct { const char *name; int v; } names[] = {
        { "FillingFormsRoom", 1 }, { "EditingRoom", 2 }, { "CustomRoom", 5 },
        { "PublicRoom", 6 }, { "VirtualDataRoom", 8 }, { "AiRoom", 9 },
      };
      int v = -1;

      if (sim_str_is_int (t))
        v = (int) g_ascii_strtoll (t, NULL, 10);
      else
        for (guint k = 0; k < G_N_ELEMENTS (names); k++)
          if (g_ascii_strcasecmp (t, names[k].name) == 0)
            v = names[k].v;
      if (v < 0)
        {
          g_autofree char *m = g_strdup_printf ("The value '%s' is not valid for type.", t);

          sim_reply_problem (req, "type", m);
          return;
        }
      g_array_append_val (room_types, v);
    }
  o.room_types = room_types;
  if (!sim_query_paging (req, &start, &count))
    return;

  /* 0 Active (default), 1 Archive, 2 Any; the others list nothing here */
  section = sim_state_lookup (req->state, area == 1 ? "6" : "1");
  content = folder_content (req, section, &o, start, count);
  if (area == 2)
    {
      /* Active and archived rooms together in one page */
      JsonObject *obj = json_node_get_object (content);
      JsonArray *folders = json_array_new ();
      g_autoptr(GPtrArray) all = g_ptr_array_new ();
      const char *sections[] = { "1", "6" };
      guint emitted = 0;

      for (guint s = 0; s < G_N_ELEMENTS (sections); s++)
        {
          SimEntry *sec = sim_state_lookup (req->state, sections[s]);

          for (guint i = 0; i < sim_entry_n_children (sec); i++)
            {
              SimEntry *c = sim_entry_nth_child (req->state, sec, i);

              if (entry_wanted (req, c, &o))
                g_ptr_array_add (all, c);
            }
        }
      sort_opts = &o;
      g_ptr_array_sort (all, compare_entries);
      sort_opts = NULL;
      for (guint i = start; i < all->len && emitted < count; i++, emitted++)
        json_array_add_element (folders, sim_dto_entry (req->state, req->user,
                                                        g_ptr_array_index (all, i)));
      json_object_set_array_member (obj, "folders", folders);
      json_object_set_int_member (obj, "count", emitted);
      json_object_set_int_member (obj, "total", all->len);
    }
  else if (area > 2)
    {
      JsonObject *obj = json_node_get_object (content);

      json_object_set_array_member (obj, "folders", json_array_new ());
      json_object_set_int_member (obj, "count", 0);
      json_object_set_int_member (obj, "total", 0);
    }
  sim_reply_ok (req, content, -1);
}

void
sim_api_folder_content (SimRequest *req)
{
  ListOpts o;
  SimEntry *folder;

  if (!parse_list_opts (req, &o))
    return;
  folder = readable_folder (req, req->segs[1]);
  if (folder != NULL)
    reply_content (req, folder, &o);
}

void
sim_api_my (SimRequest *req)
{
  ListOpts o;
  SimEntry *folder;

  if (!parse_list_opts (req, &o))
    return;
  if (req->user->my_folder_id == NULL)
    {
      sim_reply_not_found (req, MSG_FOLDER_NOT_FOUND);
      return;
    }
  folder = readable_folder (req, req->user->my_folder_id);
  if (folder != NULL)
    reply_content (req, folder, &o);
}

void
sim_api_root (SimRequest *req)
{
  ListOpts o;
  guint start, count;
  JsonArray *a;
  JsonNode *node;
  const char *ids[3];
  guint n = 0;

  if (!parse_list_opts (req, &o) || !sim_query_paging (req, &start, &count))
    return;
  if (req->user->my_folder_id != NULL)
    ids[n++] = req->user->my_folder_id;
  ids[n++] = "1";
  if (!req->user->is_visitor)
    ids[n++] = "6";
  a = json_array_new ();
  for (guint i = 0; i < n; i++)
    json_array_add_element (a, folder_content (req, sim_state_lookup (req->state, ids[i]), &o,
                                               start, count));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, a);
  sim_reply_ok (req, node, -1);
}

void
sim_api_folder_get (SimRequest *req)
{
  SimEntry *folder = readable_folder (req, req->segs[2]);

  if (folder != NULL)
    sim_reply_ok (req, sim_dto_entry (req->state, req->user, folder), -1);
}

void
sim_api_room_get (SimRequest *req)
{
  SimEntry *room = sim_state_lookup (req->state, req->segs[2]);

  if (room == NULL || !sim_entry_is_room (room))
    {
      sim_reply_not_found (req, MSG_FOLDER_NOT_FOUND);
      return;
    }
  room = readable_folder (req, req->segs[2]);
  if (room != NULL)
    sim_reply_ok (req, sim_dto_entry (req->state, req->user, room), -1);
}

void
sim_api_folder_path (SimRequest *req)
{
  SimEntry *folder = readable_folder (req, req->segs[2]);
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  JsonArray *a;
  JsonNode *node;

  if (folder == NULL)
    return;
  for (SimEntry *e = folder; e != NULL; e = e->parent)
    g_ptr_array_insert (chain, 0, e);
  a = json_array_new ();
  for (guint i = 0; i < chain->len; i++)
    json_array_add_element (a, sim_dto_entry (req->state, req->user,
                                              g_ptr_array_index (chain, i)));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, a);
  sim_reply_ok (req, node, -1);
}

void
sim_api_file_get (SimRequest *req)
{
  SimEntry *file = sim_state_lookup (req->state, req->segs[2]);

  if (file == NULL || file->is_folder)
    {
      sim_reply_not_found (req, MSG_FILE_NOT_FOUND);
      return;
    }
  if (!sim_can_read (req->user, file))
    {
      sim_reply_access_denied (req);
      return;
    }
  sim_reply_ok (req, sim_dto_entry (req->state, req->user, file), -1);
}

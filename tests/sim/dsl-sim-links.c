/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-links.c: external and invitation links of files, folders and rooms (§4, §6).
 *
 *   request body ─▶ parse (lenient access, strict types elsewhere: 400 problem details)
 *   ─▶ item + holder (a file in a form-filling room shares the room's link)
 *   ─▶ rights: readable, not archived, canShare (403 "Access denied")
 *   ─▶ create | update (full state, silent skips) | delete (access 0) | revoke-regenerate
 *   ─▶ audit event ─▶ FileShareDto, or no "response" key */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim-server.h"

#include <string.h>

#define MSG_FILE_NOT_FOUND "The required file was not found"
#define MSG_FOLDER_NOT_FOUND "The required folder was not found"
#define MSG_ROLE "The role is not available for this user type"
#define MSG_PASSWORD \
  "Password must be 8-30 characters long and contain only Latin letters, digits and symbols, " \
  "without spaces"
#define MSG_EXPIRY_TOO_FAR \
  "The expiration date may not be more than 10 years from now (Parameter 'expirationDate')"
#define MSG_EXPIRY_PAST \
  "The expiration date must be in the future (Parameter 'expirationDate')"
#define DEFAULT_TITLE "Shared link"
#define FILL_OUT_TITLE "Link to fill out"
#define INVITATION_TITLE "Invitation link"

typedef enum {
  KIND_FILE,
  KIND_FOLDER,
  KIND_ROOM
} LinkKind;

typedef struct {
  char    *link_id;         /* NULL = new link */
  gboolean access_given;
  int      access;
  char    *title;
  gboolean expiry_given;
  gint64   expires;         /* 0 = none */
  char    *password;
  gboolean deny_download;
  gboolean internal;
  gboolean primary;
  int      link_type;       /* rooms: 0 invitation, 1 external */
  int      max_use_count;   /* 0 = not given */
} LinkBody;

static void
link_body_clear (LinkBody *b)
{
  g_free (b->link_id);
  g_free (b->title);
  g_free (b->password);
}

/* ------------------------------------------------------------------------------------------ */
/* Body parsing */

static void
json_type_problem (SimRequest *req,
                   const char *member,
                   const char *type)
{
  g_autofree char *field = g_strdup_printf ("$.%s", member);
  g_autofree char *msg = g_strdup_printf ("The JSON value could not be converted to %s. "
                                          "Path: $.%s | LineNumber: 0 | BytePositionInLine: 1.",
                                          type, member);

  sim_reply_problem (req, field, msg);
}

static gboolean
node_is (JsonNode *n,
         GType     type)
{
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == type;
}

/* The server's lenient FileShare converter: number, numeric string or name; else None. */
static int
lenient_access (JsonNode *n)
{
  if (node_is (n, G_TYPE_INT64))
    return (int) CLAMP (json_node_get_int (n), G_MININT32, G_MAXINT32);
  if (node_is (n, G_TYPE_STRING))
    {
      const char *s = json_node_get_string (n);
      int v;

      if (sim_str_is_int (s))
        return (int) CLAMP (g_ascii_strtoll (s, NULL, 10), G_MININT32, G_MAXINT32);
      v = sim_access_from_name (s);
      return v >= 0 ? v : FS_NONE;
    }
  return FS_NONE;
}

static gboolean
read_bool (SimRequest *req,
           JsonObject *o,
           const char *name,
           gboolean   *out)
{
  JsonNode *n = sim_obj_get (o, name);

  *out = FALSE;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!node_is (n, G_TYPE_BOOLEAN))
    {
      json_type_problem (req, name, "System.Boolean");
      return FALSE;
    }
  *out = json_node_get_boolean (n);
  return TRUE;
}

static gboolean
read_string (SimRequest *req,
             JsonObject *o,
             const char *name,
             char      **out)
{
  JsonNode *n = sim_obj_get (o, name);

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!node_is (n, G_TYPE_STRING))
    {
      json_type_problem (req, name, "System.String");
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (n));
  return TRUE;
}

static gboolean
parse_link_body (SimRequest *req,
                 LinkKind    kind,
                 gboolean    body_required,
                 LinkBody   *b)
{
  JsonObject *o;
  JsonNode *n;

  memset (b, 0, sizeof *b);
  if (req->body_invalid)
    {
      sim_reply_problem (req, "$",
                         "The input does not contain any JSON tokens or is invalid JSON.");
      return FALSE;
    }
  if (req->body == NULL)
    {
      if (!body_required)
        return TRUE;
      sim_reply_problem (req, "", "A non-empty request body is required.");
      return FALSE;
    }
  o = sim_request_body_object (req);
  if (o == NULL)
    {
      json_type_problem (req, "", "the request model");
      return FALSE;
    }

  n = sim_obj_get (o, "linkId");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      const char *s = node_is (n, G_TYPE_STRING) ? json_node_get_string (n) : NULL;

      if (s == NULL || (*s != '\0' && !g_uuid_string_is_valid (s)))
        {
          json_type_problem (req, "linkId", "System.Guid");
          return FALSE;
        }
      if (*s != '\0' && strcmp (s, "00000000-0000-0000-0000-000000000000") != 0)
        b->link_id = g_ascii_strdown (s, -1);
    }

  n = sim_obj_get (o, "access");
  b->access_given = n != NULL;
  b->access = lenient_access (n);

  if (!read_string (req, o, "title", &b->title) ||
      !read_string (req, o, "password", &b->password) ||
      !read_bool (req, o, "denyDownload", &b->deny_download) ||
      !read_bool (req, o, "internal", &b->internal))
    return FALSE;
  if (kind != KIND_ROOM && !read_bool (req, o, "primary", &b->primary))
    return FALSE;
  if ((b->title != NULL && g_utf8_strlen (b->title, -1) > 255) ||
      (b->password != NULL && g_utf8_strlen (b->password, -1) > 255))
    {
      gboolean title = b->title != NULL && g_utf8_strlen (b->title, -1) > 255;
      g_autofree char *m = g_strdup_printf ("The field %s must be a string with a maximum length "
                                            "of 255.", title ? "Title" : "Password");

      sim_reply_problem (req, title ? "Title" : "Password", m);
      return FALSE;
    }

  n = sim_obj_get (o, "expirationDate");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
    {
      /* ApiDateTime is read from a string only; the SDK's {utcTime, ...} object fails */
      if (!node_is (n, G_TYPE_STRING) ||
          !sim_parse_date (json_node_get_string (n), FALSE, FALSE, &b->expires))
        {
          json_type_problem (req, "expirationDate", "ASC.Api.Core.ApiDateTime");
          return FALSE;
        }
      b->expiry_given = TRUE;
    }

  if (kind == KIND_ROOM)
    {
      n = sim_obj_get (o, "linkType");
      if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
        {
          if (!node_is (n, G_TYPE_INT64) || json_node_get_int (n) < 0 ||
              json_node_get_int (n) > 1)
            {
              json_type_problem (req, "linkType", "ASC.Files.Core.ApiModels.RequestDto.LinkType");
              return FALSE;
            }
          b->link_type = (int) json_node_get_int (n);
        }
      n = sim_obj_get (o, "maxUseCount");
      if (n != NULL && !JSON_NODE_HOLDS_NULL (n))
        {
          gint64 v;

          if (!node_is (n, G_TYPE_INT64))
            {
              json_type_problem (req, "maxUseCount", "System.Nullable`1[System.Int32]");
              return FALSE;
            }
          v = json_node_get_int (n);
          if (v < 1 || v > 1000)
            {
              sim_reply_problem (req, "MaxUseCount",
                                 "The field MaxUseCount must be between 1 and 1000.");
              return FALSE;
            }
          b->max_use_count = (int) v;
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Rules */

static SimEntry *
link_holder (SimEntry *entry)
{
  SimEntry *room = sim_entry_room (entry);

  if (room != NULL && room != entry && room->room_type == ROOM_FILLING)
    return room;
  return entry;
}

static int
context_room_type (SimEntry *entry)
{
  SimEntry *room = sim_entry_room (entry);

  return room != NULL ? room->room_type : ROOM_NONE;
}

static gboolean
password_ok (const char *p)
{
  gsize len = strlen (p);

  if (len < 8 || len > 30)
    return FALSE;
  for (const char *c = p; *c != '\0'; c++)
    if ((guchar) *c < 0x21 || (guchar) *c > 0x7e)
      return FALSE;
  return TRUE;
}

/* gint64 µs of now + 10 years */
static gint64
ten_years_ahead (gint64 now)
{
  g_autoptr(GDateTime) n = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) t = g_date_time_add_years (n, 10);

  return g_date_time_to_unix (t) * G_USEC_PER_SEC + now % G_USEC_PER_SEC;
}

static const char *
role_text (int access)
{
  switch (access)
    {
    case FS_READ: return "Read Only";
    case FS_EDITING: return "Editing";
    case FS_REVIEW: return "Review";
    case FS_COMMENT: return "Commenting";
    case FS_FILL_FORMS: return "Form Filling";
    case FS_ROOM_MANAGER: return "Room manager";
    case FS_CONTENT_CREATOR: return "Content creator";
    case FS_READ_WRITE: return "Full Access";
    default: return sim_access_name (access);
    }
}

static const char *
area_name (SimEntry *holder)
{
  if (sim_entry_is_room (holder))
    return "Rooms";
  return holder->is_folder ? "Folders" : "Files";
}

typedef enum {
  EV_CREATED,
  EV_UPDATED,
  EV_DELETED
} EvKind;

static void
link_event (SimRequest *req,
            SimEntry   *holder,
            SimLink    *link,
            EvKind      kind)
{
  g_autofree char *text = NULL;
  int action;
  static const char *verbs[] = { "created", "updated", "deleted" };

  if (link->subject_type == SUBJ_INVITATION)
    {
      action = kind == EV_CREATED ? MA_ROOM_INVITATION_LINK_CREATED :
               kind == EV_UPDATED ? MA_ROOM_INVITATION_LINK_UPDATED :
                                    MA_ROOM_INVITATION_LINK_DELETED;
      text = kind == EV_DELETED ?
             g_strdup_printf ("Rooms [%s]. Invitation link deleted: %s", holder->title,
                              link->title) :
             g_strdup_printf ("Rooms [%s]. Invitation link %s: %s. Role: %s", holder->title,
                              verbs[kind], link->title, role_text (link->access));
    }
  else
    {
      if (sim_entry_is_room (holder))
        action = MA_ROOM_EXTERNAL_LINK_CREATED + kind;
      else if (holder->is_folder)
        action = MA_FOLDER_EXTERNAL_LINK_CREATED + kind;
      else
        action = MA_FILE_EXTERNAL_LINK_CREATED + kind;
      text = kind == EV_DELETED ?
             g_strdup_printf ("%s [%s]. External link deleted: %s", area_name (holder),
                              holder->title, link->title) :
             g_strdup_printf ("%s [%s]. External link %s: %s. Role: %s", area_name (holder),
                              holder->title, verbs[kind], link->title, role_text (link->access));
    }
  sim_request_event (req, action, holder, text);
}

static void
reply_link (SimRequest *req,
            SimEntry   *holder,
            SimLink    *link,
            gboolean    blank_token)
{
  sim_reply_ok (req, sim_dto_link (req->state, req->user, holder, link, blank_token), -1);
}

static gboolean
can_edit_internal (SimEntry *holder)
{
  int rt = context_room_type (holder);

  return rt != ROOM_VDR && rt != ROOM_PUBLIC;
}

static gboolean
can_edit_deny_download (SimEntry *holder)
{
  SimEntry *room = sim_entry_room (holder);

  return !(room != NULL && room->deny_download);
}

/* Public and form-filling rooms' primary links never expire. */
static gboolean
never_expires (SimEntry *holder,
               int       subject_type)
{
  return subject_type == SUBJ_PRIMARY && sim_entry_is_room (holder) &&
         (holder->room_type == ROOM_PUBLIC || holder->room_type == ROOM_FILLING);
}

/* May the expiry of this link change? Not for a Public room's primary link (FileSharing.cs
 * skips that change), not anywhere in a form-filling room (FileSecurity: EditExpiration is
 * refused for FillingFormsRoom and the items in one). */
static gboolean
can_edit_expiry (SimEntry *holder,
                 int       subject_type)
{
  if (subject_type == SUBJ_PRIMARY && sim_entry_is_room (holder) &&
      holder->room_type == ROOM_PUBLIC)
    return FALSE;
  return context_room_type (holder) != ROOM_FILLING;
}

/* Checks the shared settings of a create/update; replies and returns FALSE when refused.
 * *out_expires gets the expiry to store (past dates dropped). */
static gboolean
check_settings (SimRequest *req,
                LinkBody   *b,
                gboolean    apply_expiry,
                gint64     *out_expires)
{
  gint64 now = g_get_real_time ();

  *out_expires = 0;
  if (apply_expiry && b->expiry_given)
    {
      if (b->expires > ten_years_ahead (now))
        {
          sim_reply_argument (req, MSG_EXPIRY_TOO_FAR);
          return FALSE;
        }
      if (b->expires > now)
        *out_expires = b->expires;
    }
  if (b->password != NULL && *b->password != '\0' && !password_ok (b->password))
    {
      sim_reply_argument (req, MSG_PASSWORD);
      return FALSE;
    }
  return TRUE;
}

static int
count_subject (SimEntry *holder,
               int       subject_type)
{
  int n = 0;

  for (guint i = 0; i < holder->links->len; i++)
    n += ((SimLink *) g_ptr_array_index (holder->links, i))->subject_type == subject_type;
  return n;
}

static void
reply_limit (SimRequest *req,
             int         limit)
{
  g_autofree char *m = g_strdup_printf ("The maximum number of links may not exceed %d", limit);

  sim_reply_invalid_op (req, m);
}

static const char *
default_title (SimEntry *holder,
               int       subject_type)
{
  if (subject_type == SUBJ_PRIMARY && sim_entry_is_room (holder) &&
      holder->room_type == ROOM_FILLING)
    return FILL_OUT_TITLE;
  return DEFAULT_TITLE;
}

static int
default_primary_access (SimEntry *holder)
{
  int rt = context_room_type (holder);

  if (rt == ROOM_FILLING)
    return FS_FILL_FORMS;
  if (rt == ROOM_PUBLIC && !holder->is_folder && holder->is_form)
    return FS_EDITING;
  return FS_READ;
}

/* Creates an external link from the body; replies on refusal. */
static SimLink *
create_external (SimRequest *req,
                 SimEntry   *entry,
                 SimEntry   *holder,
                 LinkBody   *b,
                 int         subject_type,
                 const char *title)
{
  g_autoptr(GArray) rights = sim_link_change_rights (req->user, entry, subject_type);
  gint64 expires;
  SimLink *link;

  if (b->access == FS_NONE || !sim_rights_contain (rights, b->access))
    {
      sim_reply_invalid_op (req, MSG_ROLE);
      return NULL;
    }
  if (!check_settings (req, b, !never_expires (holder, subject_type), &expires))
    return NULL;
  link = sim_link_new (req->state, holder, subject_type, b->access,
                       title != NULL && *title != '\0' ? title :
                       default_title (holder, subject_type),
                       req->user->id, g_get_real_time ());
  if (b->link_id != NULL && subject_type == SUBJ_EXTERNAL)
    {
      g_free (link->id);
      link->id = g_strdup (b->link_id);
    }
  link->expires = expires;
  link->password = b->password != NULL && *b->password != '\0' ? g_strdup (b->password) : NULL;
  link->deny_download = can_edit_deny_download (holder) ? b->deny_download : FALSE;
  link->internal = context_room_type (holder) == ROOM_VDR ? TRUE :
                   context_room_type (holder) == ROOM_PUBLIC ? FALSE : b->internal;
  link_event (req, holder, link, EV_CREATED);
  return link;
}

/* Replaces the regenerating primary link of a Public or Form-filling room (or of an item in
 * one) with a fresh one; returns the new link. */
static SimLink *
revoke_regenerate (SimRequest *req,
                   SimEntry   *holder,
                   SimLink    *old)
{
  SimLink *fresh;
  g_autofree char *old_title = g_strdup (old->title);
  g_autofree char *text = NULL;

  sim_entry_remove_link (req->state, holder, old);
  fresh = sim_link_new (req->state, holder, SUBJ_PRIMARY, default_primary_access (holder),
                        default_title (holder, SUBJ_PRIMARY), req->user->id, g_get_real_time ());
  if (sim_entry_is_room (holder))
    {
      text = g_strdup_printf ("Rooms [%s]. External link revoked: %s", holder->title, old_title);
      sim_request_event (req, MA_ROOM_EXTERNAL_LINK_REVOKED, holder, text);
    }
  else
    {
      SimLink gone = { 0 };

      gone.title = old_title;
      gone.subject_type = SUBJ_PRIMARY;
      link_event (req, holder, &gone, EV_DELETED);
      link_event (req, holder, fresh, EV_CREATED);
    }
  return fresh;
}

static void
update_external (SimRequest *req,
                 SimEntry   *entry,
                 SimEntry   *holder,
                 SimLink    *link,
                 LinkBody   *b)
{
  g_autoptr(GArray) rights = sim_link_change_rights (req->user, entry, link->subject_type);
  const char *title;
  gboolean expiry_editable;
  gint64 expires;
  gboolean changed = FALSE;
  gboolean renamed;
  gboolean deny, internal;
  char *password;

  if (!sim_rights_contain (rights, b->access))
    {
      sim_reply_invalid_op (req, MSG_ROLE);
      return;
    }

  /* FileSharing.cs compares the stored audience and expiry with the request before it applies
   * anything: when one differs and the caller may not change it, the whole change (a delete
   * included) is skipped, and the answer is 200 with the unchanged link. */
  if ((b->internal != link->internal && !can_edit_internal (holder)) ||
      ((b->expiry_given ? b->expires : 0) != link->expires &&
       !can_edit_expiry (holder, link->subject_type)))
    {
      reply_link (req, holder, link, FALSE);
      return;
    }

  if (b->access == FS_NONE)
    {
      if (sim_link_can_revoke (holder, link))
        {
          SimLink *fresh = revoke_regenerate (req, holder, link);

          reply_link (req, holder, fresh, TRUE);
          return;
        }
      link_event (req, holder, link, EV_DELETED);
      sim_entry_remove_link (req->state, holder, link);
      sim_reply_ok (req, NULL, -1);
      return;
    }

  /* the body is the full state: what is omitted is reset; what may not change is kept */
  expiry_editable = can_edit_expiry (holder, link->subject_type) &&
                    !never_expires (holder, link->subject_type);
  if (!check_settings (req, b, expiry_editable, &expires))
    return;
  if (!expiry_editable)
    expires = link->expires;
  title = b->title != NULL && *b->title != '\0' ? b->title : DEFAULT_TITLE;
  password = b->password != NULL && *b->password != '\0' ? b->password : NULL;
  deny = can_edit_deny_download (holder) ? b->deny_download : link->deny_download;
  internal = can_edit_internal (holder) ? b->internal : link->internal;

  renamed = g_strcmp0 (link->title, title) != 0;
  changed = link->access != b->access || link->expires != expires ||
            g_strcmp0 (link->password, password) != 0 || link->deny_download != deny ||
            link->internal != internal;
  link->access = b->access;
  link->expires = expires;
  g_free (link->password);
  link->password = g_strdup (password);
  link->deny_download = deny;
  link->internal = internal;
  if (renamed)
    {
      g_autofree char *text = NULL;

      g_free (link->title);
      link->title = g_strdup (title);
      text = g_strdup_printf ("%s [%s]. External link renamed: %s", area_name (holder),
                              holder->title, title);
      sim_request_event (req, MA_ROOM_EXTERNAL_LINK_RENAMED, holder, text);
    }
  if (changed)
    link_event (req, holder, link, EV_UPDATED);
  req->mutated = TRUE;
  reply_link (req, holder, link, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Lookup and rights */

static SimEntry *
find_item (SimRequest *req,
           LinkKind    kind,
           const char *id)
{
  SimEntry *e = sim_state_lookup (req->state, id);

  if (kind == KIND_FILE && (e == NULL || e->is_folder))
    {
      sim_reply_not_found (req, MSG_FILE_NOT_FOUND);
      return NULL;
    }
  if (kind == KIND_FOLDER && (e == NULL || !e->is_folder))
    {
      sim_reply_not_found (req, MSG_FOLDER_NOT_FOUND);
      return NULL;
    }
  if (kind == KIND_ROOM && (e == NULL || !sim_entry_is_room (e)))
    {
      sim_reply_not_found (req, MSG_FOLDER_NOT_FOUND);
      return NULL;
    }
  return e;
}

/* May the caller manage this item's external links? Replies 403 when not. */
static gboolean
may_manage (SimRequest *req,
            SimEntry   *entry)
{
  if (req->user == NULL || !sim_can_read (req->user, entry) || sim_entry_in_archive (entry) ||
      !sim_can_share (req->user, entry))
    {
      sim_reply_access_denied (req);
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Shared handlers */

/* The role a new primary link gets (FileStorageService.GetPrimaryExternalLinkAsync): forms in
 * form-filling and virtual data rooms FillForms, forms in My documents Editing unless FillForms
 * or Editing was asked for, forms in other rooms Editing; anything else what was asked. */
static int
primary_share_for (SimEntry *entry,
                   int       share)
{
  gboolean mine = sim_entry_root (entry)->folder_type == FT_USER;
  int rt = context_room_type (entry);

  if (entry->is_folder || !entry->is_form)
    return share;
  if (!mine && (rt == ROOM_FILLING || rt == ROOM_VDR))
    return FS_FILL_FORMS;
  if (mine)
    return share != FS_EDITING && share != FS_FILL_FORMS ? FS_EDITING : share;
  return FS_EDITING;
}

static void
get_or_create_primary (SimRequest *req,
                       LinkKind    kind,
                       const char *id)
{
  LinkBody b;
  SimEntry *entry, *holder;
  SimLink *primary;
  gboolean post = g_str_equal (req->method, "POST");

  if (!parse_link_body (req, kind, FALSE, &b))
    return;
  if (!post)
    {
      /* GET: defaults only */
      link_body_clear (&b);
      memset (&b, 0, sizeof b);
    }
  entry = find_item (req, kind, id);
  if (entry == NULL || !may_manage (req, entry))
    goto out;
  holder = link_holder (entry);

  primary = sim_entry_primary_link (holder);
  if (primary != NULL)
    {
      reply_link (req, holder, primary, FALSE);
      goto out;
    }
  /* FilesController.cs / FileStorageService.GetPrimaryExternalLinkAsync: GET asks for Read;
   * POST for the body's access, which is None (0) when left out; forms get their own role;
   * None creates nothing (200 without a response). */
  if (!post)
    b.access = FS_READ;
  else if (!b.access_given)
    b.access = FS_NONE;
  b.access = primary_share_for (entry, b.access);
  if (b.access == FS_NONE)
    {
      sim_reply_ok (req, NULL, -1);
      goto out;
    }
  primary = create_external (req, entry, holder, &b, SUBJ_PRIMARY,
                             kind == KIND_FOLDER ? b.title : NULL);
  if (primary != NULL)
    reply_link (req, holder, primary, FALSE);

out:
  link_body_clear (&b);
}

static void
list_links (SimRequest *req,
            LinkKind    kind,
            const char *id,
            int         type_filter,
            gboolean    paged)
{
  SimEntry *entry = find_item (req, kind, id);
  SimEntry *holder;
  g_autoptr(GPtrArray) links = NULL;
  JsonArray *a;
  JsonNode *node;
  guint start = 0, count = 100;

  if (entry == NULL)
    return;
  if (paged && !sim_query_paging (req, &start, &count))
    return;
  holder = link_holder (entry);
  a = json_array_new ();
  links = sim_entry_sorted_links (holder, type_filter);
  /* without the right to manage links: an empty list, not 403. A room's links are read by its
   * managers in every room type (FileSharing.cs CheckAccessAsync: ReadLinks) */
  if (!sim_can_read (req->user, entry) ||
      !(sim_can_share (req->user, entry) ||
        (kind == KIND_ROOM && sim_can_edit_access (req->user, entry))))
    g_ptr_array_set_size (links, 0);
  for (guint i = start; i < links->len && json_array_get_length (a) < count; i++)
    json_array_add_element (a, sim_dto_link (req->state, req->user, holder,
                                             g_ptr_array_index (links, i), FALSE));
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, a);
  sim_reply_ok (req, node, paged ? (gint64) links->len : -1);
}

static void
put_external (SimRequest *req,
              LinkKind    kind,
              const char *id,
              LinkBody   *b)
{
  SimEntry *entry = find_item (req, kind, id);
  SimEntry *holder;
  SimLink *link = NULL;
  int primary_limit, additional_limit;

  if (entry == NULL || !may_manage (req, entry))
    return;
  holder = link_holder (entry);

  if (b->link_id != NULL)
    {
      link = sim_entry_find_link (holder, b->link_id);
      if (link != NULL && link->subject_type == SUBJ_INVITATION)
        link = NULL;
    }
  if (link != NULL)
    {
      update_external (req, entry, holder, link, b);
      return;
    }

  /* a new link; None creates nothing */
  if (b->access == FS_NONE)
    {
      sim_reply_ok (req, NULL, -1);
      return;
    }
  sim_link_limits (holder, &primary_limit, &additional_limit);
  if (b->primary && kind != KIND_ROOM)
    {
      /* FileSharing.cs: no primary limit of its own -> the additional one */
      if (primary_limit == 0)
        primary_limit = additional_limit;
      if (count_subject (holder, SUBJ_PRIMARY) >= primary_limit)
        {
          reply_limit (req, primary_limit);
          return;
        }
      link = create_external (req, entry, holder, b, SUBJ_PRIMARY, b->title);
    }
  else
    {
      if (count_subject (holder, SUBJ_EXTERNAL) >= additional_limit)
        {
          reply_limit (req, additional_limit);
          return;
        }
      link = create_external (req, entry, holder, b, SUBJ_EXTERNAL, b->title);
    }
  if (link != NULL)
    reply_link (req, holder, link, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Files */

void
sim_api_file_link (SimRequest *req)
{
  get_or_create_primary (req, KIND_FILE, req->segs[2]);
}

void
sim_api_file_links_get (SimRequest *req)
{
  list_links (req, KIND_FILE, req->segs[2], 1, TRUE);
}

void
sim_api_file_links_put (SimRequest *req)
{
  LinkBody b;

  if (!parse_link_body (req, KIND_FILE, TRUE, &b))
    return;
  put_external (req, KIND_FILE, req->segs[2], &b);
  link_body_clear (&b);
}

/* ------------------------------------------------------------------------------------------ */
/* Folders */

void
sim_api_folder_link (SimRequest *req)
{
  get_or_create_primary (req, KIND_FOLDER, req->segs[2]);
}

void
sim_api_folder_links_get (SimRequest *req)
{
  list_links (req, KIND_FOLDER, req->segs[2], 1, FALSE);
}

void
sim_api_folder_links_put (SimRequest *req)
{
  LinkBody b;

  if (!parse_link_body (req, KIND_FOLDER, TRUE, &b))
    return;
  put_external (req, KIND_FOLDER, req->segs[2], &b);
  link_body_clear (&b);
}

/* ------------------------------------------------------------------------------------------ */
/* Rooms */

void
sim_api_room_link (SimRequest *req)
{
  get_or_create_primary (req, KIND_ROOM, req->segs[2]);
}

void
sim_api_room_links_get (SimRequest *req)
{
  gint64 type;

  if (!sim_query_int (req, "type", "type", -1, &type))
    return;
  if (type != -1 && type != 0 && type != 1)
    {
      g_autofree char *m = g_strdup_printf ("The value '%" G_GINT64_FORMAT "' is not valid "
                                            "for type.", type);

      sim_reply_problem (req, "type", m);
      return;
    }
  list_links (req, KIND_ROOM, req->segs[2], (int) type, FALSE);
}

static void
put_invitation (SimRequest *req,
                LinkBody   *b)
{
  SimEntry *room = find_item (req, KIND_ROOM, req->segs[2]);
  SimLink *link = NULL;
  g_autoptr(GArray) rights = NULL;
  gint64 now = g_get_real_time ();
  gint64 expires = 0;
  int access;

  if (room == NULL)
    return;
  access = sim_user_access (req->user, room);
  /* room managers manage invitations, in every room type; not guests, not in the Archive */
  if (req->user->is_visitor || sim_entry_in_archive (room) ||
      (access != FS_NONE && access != FS_ROOM_MANAGER))
    {
      sim_reply_access_denied (req);
      return;
    }
  if (b->link_id != NULL)
    {
      link = sim_entry_find_link (room, b->link_id);
      if (link != NULL && link->subject_type != SUBJ_INVITATION)
        link = NULL;
    }
  if (b->access == FS_NONE)
    {
      if (link != NULL)
        {
          link_event (req, room, link, EV_DELETED);
          sim_entry_remove_link (req->state, room, link);
        }
      sim_reply_ok (req, NULL, -1);
      return;
    }
  rights = sim_link_change_rights (req->user, room, SUBJ_INVITATION);
  if (!sim_rights_contain (rights, b->access))
    {
      sim_reply_invalid_op (req, MSG_ROLE);
      return;
    }
  if (b->expiry_given)
    {
      if (b->expires <= now)
        {
          sim_reply_argument (req, MSG_EXPIRY_PAST);
          return;
        }
      if (b->expires > ten_years_ahead (now))
        {
          sim_reply_argument (req, MSG_EXPIRY_TOO_FAR);
          return;
        }
      expires = b->expires;
    }
  if (link == NULL)
    {
      if (count_subject (room, SUBJ_INVITATION) >= 1)
        {
          reply_limit (req, 1);
          return;
        }
      link = sim_link_new (req->state, room, SUBJ_INVITATION, b->access,
                           b->title != NULL && *b->title != '\0' ? b->title : INVITATION_TITLE,
                           req->user->id, now);
      if (b->link_id != NULL)
        {
          g_free (link->id);
          link->id = g_strdup (b->link_id);
        }
      link->expires = expires;
      link->max_use_count = b->max_use_count;
      link_event (req, room, link, EV_CREATED);
    }
  else
    {
      g_free (link->title);
      link->title = g_strdup (b->title != NULL && *b->title != '\0' ? b->title : INVITATION_TITLE);
      link->access = b->access;
      link->expires = expires;
      link->max_use_count = b->max_use_count;
      link_event (req, room, link, EV_UPDATED);
    }
  reply_link (req, room, link, FALSE);
}

void
sim_api_room_links_put (SimRequest *req)
{
  LinkBody b;

  if (!parse_link_body (req, KIND_ROOM, TRUE, &b))
    return;
  if (b.link_type == 0)
    put_invitation (req, &b);
  else
    put_external (req, KIND_ROOM, req->segs[2], &b);
  link_body_clear (&b);
}

/* ------------------------------------------------------------------------------------------ */
/* /__sim/links/{id}: a second administrator */

/* Acts as the portal owner with no rule checks and no audit event: the test wants the link in
 * exactly this state, whatever the item's rules would allow through the API. A past expiry is
 * kept (the link is then expired), where the API drops it. */
gboolean
sim_link_control_change (SimLink   *link,
                         JsonNode  *body,
                         char     **out_message)
{
  static const char *known[] = { "title", "access", "password", "internal", "denyDownload",
                                 "expirationDate" };
  JsonObject *o;
  g_autoptr(GList) members = NULL;
  JsonNode *n;
  gint64 expires = 0;

  *out_message = NULL;
  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      *out_message = g_strdup ("the body must be a JSON object");
      return FALSE;
    }
  o = json_node_get_object (body);

  /* check everything first, so a bad body changes nothing */
  members = json_object_get_members (o);
  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean ok = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (known) && !ok; i++)
        ok = g_ascii_strcasecmp (l->data, known[i]) == 0;
      if (!ok)
        {
          *out_message = g_strdup_printf ("unknown member \"%s\" (known: title, access, password, "
                                          "internal, denyDownload, expirationDate)",
                                          (const char *) l->data);
          return FALSE;
        }
    }
  n = sim_obj_get (o, "title");
  if (n != NULL && (!node_is (n, G_TYPE_STRING) || *json_node_get_string (n) == '\0'))
    {
      *out_message = g_strdup ("\"title\" must be a non-empty string");
      return FALSE;
    }
  n = sim_obj_get (o, "access");
  if (n != NULL && (!node_is (n, G_TYPE_INT64) || json_node_get_int (n) <= FS_NONE ||
                    json_node_get_int (n) > FS_LAST))
    {
      *out_message = g_strdup_printf ("\"access\" must be a number from 1 to %d (to remove the "
                                      "link, DELETE it)", FS_LAST);
      return FALSE;
    }
  n = sim_obj_get (o, "password");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n) && !node_is (n, G_TYPE_STRING))
    {
      *out_message = g_strdup ("\"password\" must be a string or null");
      return FALSE;
    }
  n = sim_obj_get (o, "internal");
  if (n != NULL && !node_is (n, G_TYPE_BOOLEAN))
    {
      *out_message = g_strdup ("\"internal\" must be true or false");
      return FALSE;
    }
  n = sim_obj_get (o, "denyDownload");
  if (n != NULL && !node_is (n, G_TYPE_BOOLEAN))
    {
      *out_message = g_strdup ("\"denyDownload\" must be true or false");
      return FALSE;
    }
  n = sim_obj_get (o, "expirationDate");
  if (n != NULL && !JSON_NODE_HOLDS_NULL (n) &&
      (!node_is (n, G_TYPE_STRING) ||
       !sim_parse_date (json_node_get_string (n), FALSE, FALSE, &expires)))
    {
      *out_message = g_strdup ("\"expirationDate\" must be an ISO 8601 date and time "
                               "(e.g. 2026-12-31T23:59:59.000+03:00) or null");
      return FALSE;
    }

  /* then apply */
  if ((n = sim_obj_get (o, "title")) != NULL)
    {
      g_free (link->title);
      link->title = g_strdup (json_node_get_string (n));
    }
  if ((n = sim_obj_get (o, "access")) != NULL)
    link->access = (int) json_node_get_int (n);
  if ((n = sim_obj_get (o, "password")) != NULL)
    {
      const char *p = JSON_NODE_HOLDS_NULL (n) ? NULL : json_node_get_string (n);

      g_free (link->password);
      link->password = p != NULL && *p != '\0' ? g_strdup (p) : NULL;
    }
  if ((n = sim_obj_get (o, "internal")) != NULL)
    link->internal = json_node_get_boolean (n);
  if ((n = sim_obj_get (o, "denyDownload")) != NULL)
    link->deny_download = json_node_get_boolean (n);
  if (sim_obj_get (o, "expirationDate") != NULL)
    link->expires = expires;
  return TRUE;
}

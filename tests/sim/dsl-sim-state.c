/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-state.c: the portal's data: seed accounts and items, who may do what, links, events,
 * and the --state file.
 *
 *   entries (id -> SimEntry) ── parent/children ── rooms section 1, My documents 2..5, Archive 6
 *        └─ links (SimLink, creation order)   link_codes: /s/<code> -> entry
 *   events (SimEvent, oldest first)   sessions (token -> user)   login failures (e-mail -> n)
 *
 * Seed dates hang off `start`, so a run is deterministic relative to its start time. */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Accounts */

#define OWNER_ID    "a7b3c1d2-0001-4c5e-9f10-5a6b7c8d9e01"
#define USER_ID     "a7b3c1d2-0002-4c5e-9f10-5a6b7c8d9e02"
#define GUEST_ID    "a7b3c1d2-0003-4c5e-9f10-5a6b7c8d9e03"
#define TFA_ID      "a7b3c1d2-0004-4c5e-9f10-5a6b7c8d9e04"
#define SETUP_ID    "a7b3c1d2-0005-4c5e-9f10-5a6b7c8d9e05"
#define DISABLED_ID "a7b3c1d2-0006-4c5e-9f10-5a6b7c8d9e06"
#define NODOCS_ID   "a7b3c1d2-0007-4c5e-9f10-5a6b7c8d9e07"

static const SimUser users[] = {
  { OWNER_ID, "Olivia Owner", "Olivia", "Owner", "owner@example.com", "DemoOwner1!",
    TRUE, TRUE, FALSE, FALSE, FALSE, 0, "2" },
  { USER_ID, "Ulrich User", "Ulrich", "User", "user@example.com", "DemoUser1!",
    FALSE, FALSE, TRUE, FALSE, FALSE, 0, "3" },
  { GUEST_ID, "Gina Guest", "Gina", "Guest", "guest@example.com", "DemoGuest1!",
    FALSE, FALSE, FALSE, TRUE, FALSE, 0, NULL },
  { TFA_ID, "Tara Twofactor", "Tara", "Twofactor", "tfa@example.com", "DemoTfa1!",
    FALSE, TRUE, FALSE, FALSE, FALSE, 1, "4" },
  { SETUP_ID, "Tomas Setup", "Tomas", "Setup", "tfasetup@example.com", "DemoTfa1!",
    FALSE, FALSE, TRUE, FALSE, FALSE, 2, "5" },
  { DISABLED_ID, "Dora Disabled", "Dora", "Disabled", "disabled@example.com", "DemoDisabled1!",
    FALSE, FALSE, TRUE, FALSE, TRUE, 0, NULL },
  /* An administrator took Documents away from him (web item security of the "files" product):
   * signing in and people/@self work, every files/… call answers 403 with an empty body. */
  { NODOCS_ID, "Nils Nodocs", "Nils", "Nodocs", "nodocs@example.com", "DemoNodocs1!",
    FALSE, FALSE, FALSE, FALSE, FALSE, 0, NULL, TRUE },
};

static const char *const perms_full[] = { NULL };
static const char *const perms_readonly[] = { "files:read", NULL };

static const SimApiKey api_keys[] = {
  { "c4d5e6f7-0001-4a1b-8c2d-3e4f5a6b7c01", "Demo owner key", "sk-demo-owner", OWNER_ID,
    perms_full, 0 },
  { "c4d5e6f7-0002-4a1b-8c2d-3e4f5a6b7c02", "Demo user key", "sk-demo-user", USER_ID,
    perms_full, 0 },
  { "c4d5e6f7-0003-4a1b-8c2d-3e4f5a6b7c03", "Demo guest key", "sk-demo-guest", GUEST_ID,
    perms_full, 0 },
  { "c4d5e6f7-0004-4a1b-8c2d-3e4f5a6b7c04", "Expired key", "sk-demo-expired", OWNER_ID,
    perms_full, -1 },
  { "c4d5e6f7-0005-4a1b-8c2d-3e4f5a6b7c05", "Read-only files key", "sk-demo-readonly", OWNER_ID,
    perms_readonly, 0 },
};

const SimUser *
sim_user_by_id (const char *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    if (g_ascii_strcasecmp (users[i].id, id) == 0)
      return &users[i];
  return NULL;
}

const SimUser *
sim_user_by_email (const char *email)
{
  if (email == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    if (g_ascii_strcasecmp (users[i].email, email) == 0)
      return &users[i];
  return NULL;
}

const SimUser *
sim_user_by_index (guint i)
{
  return i < G_N_ELEMENTS (users) ? &users[i] : NULL;
}

const SimApiKey *
sim_api_key_by_secret (const char *secret)
{
  if (secret == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (api_keys); i++)
    if (strcmp (api_keys[i].secret, secret) == 0)
      return &api_keys[i];
  return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Entries and links: memory */

void
sim_link_free (SimLink *link)
{
  if (link == NULL)
    return;
  g_free (link->id);
  g_free (link->title);
  g_free (link->code);
  g_free (link->request_token);
  g_free (link->password);
  g_free (link->created_by);
  g_free (link);
}

static void
sim_entry_free (SimEntry *entry)
{
  g_free (entry->id);
  g_free (entry->title);
  g_free (entry->created_by);
  g_clear_pointer (&entry->children, g_ptr_array_unref);
  g_clear_pointer (&entry->members, g_hash_table_unref);
  g_clear_pointer (&entry->links, g_ptr_array_unref);
  g_free (entry);
}

void
sim_event_free (SimEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->user_id);
  g_free (event->user_name);
  g_free (event->action);
  g_free (event->target);
  g_free (event->context);
  g_free (event->ip);
  g_free (event->browser);
  g_free (event->platform);
  g_free (event->page);
  g_free (event);
}

static void
sim_session_free (SimSession *session)
{
  g_free (session->token);
  g_free (session->user_id);
  g_free (session);
}

void
sim_sharing_policy_init_defaults (SimSharingPolicy *policy)
{
  /* FilesSettings.cs:229-237 (DisableShareLinkSetting defaults to false). */
  policy->external_share = TRUE;
  policy->apply_to_documents = TRUE;
  policy->apply_to_rooms = TRUE;
  policy->block_existing = TRUE;
  policy->default_internal = FALSE;
}

static SimState *
sim_state_new_empty (gint64      start,
                     guint       scale,
                     const char *base_url)
{
  SimState *state = g_new0 (SimState, 1);

  sim_sharing_policy_init_defaults (&state->policy);
  state->start = start;
  state->scale = scale;
  state->base_url = g_strdup (base_url);
  state->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) sim_entry_free);
  state->virtual_folders = g_ptr_array_new ();
  state->link_codes = g_hash_table_new (g_str_hash, g_str_equal);
  state->dead_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->events = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_event_free);
  state->next_event_id = 1;
  state->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) sim_session_free);
  state->login_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  state->key_last_used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return state;
}

void
sim_state_free (SimState *state)
{
  if (state == NULL)
    return;
  g_hash_table_unref (state->link_codes);
  g_hash_table_unref (state->dead_codes);
  g_ptr_array_unref (state->virtual_folders);
  g_hash_table_unref (state->entries);
  g_ptr_array_unref (state->events);
  g_hash_table_unref (state->sessions);
  g_hash_table_unref (state->login_failures);
  g_hash_table_unref (state->key_last_used);
  g_free (state->base_url);
  g_free (state);
}

static SimEntry *
entry_new (SimState   *state,
           SimEntry   *parent,
           const char *id,
           gboolean    is_folder,
           const char *title,
           const char *created_by,
           gint64      created,
           gboolean    add_to_parent)
{
  SimEntry *e = g_new0 (SimEntry, 1);

  e->id = g_strdup (id);
  e->numeric_id = sim_str_is_int (id);
  e->is_folder = is_folder;
  e->title = g_strdup (title);
  e->parent = parent;
  e->created_by = g_strdup (created_by);
  e->created = created;
  e->updated = created;
  e->links = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_link_free);
  if (is_folder)
    e->children = g_ptr_array_new ();
  if (parent != NULL && add_to_parent)
    g_ptr_array_add (parent->children, e);
  g_hash_table_insert (state->entries, e->id, e);
  return e;
}

static const char *virtual_exts[] = { ".docx", ".xlsx", ".pdf", ".pptx", ".txt" };

static SimEntry *
materialize_virtual (SimState *state,
                     SimEntry *folder,
                     guint     idx)
{
  g_autofree char *id = g_strdup_printf ("%" G_GUINT64_FORMAT, folder->virtual_base + idx);
  g_autofree char *title = g_strdup_printf ("File %05u%s", idx + 1,
                                            virtual_exts[idx % G_N_ELEMENTS (virtual_exts)]);
  SimEntry *e;

  e = entry_new (state, folder, id, FALSE, title, folder->created_by,
                 folder->created + (gint64) (idx % 1000) * 60 * G_USEC_PER_SEC, FALSE);
  e->is_virtual = TRUE;
  e->size = 4096 + (gint64) ((idx * 7919u) % 900000u);
  return e;
}

SimEntry *
sim_state_lookup (SimState   *state,
                  const char *id)
{
  SimEntry *e;

  if (id == NULL)
    return NULL;
  e = g_hash_table_lookup (state->entries, id);
  if (e != NULL)
    return e;
  if (sim_str_is_int (id) && id[0] != '-' && id[0] != '0')
    {
      guint64 n = g_ascii_strtoull (id, NULL, 10);

      for (guint i = 0; i < state->virtual_folders->len; i++)
        {
          SimEntry *vf = g_ptr_array_index (state->virtual_folders, i);

          if (n >= vf->virtual_base && n < vf->virtual_base + vf->virtual_count)
            return materialize_virtual (state, vf, (guint) (n - vf->virtual_base));
        }
    }
  return NULL;
}

guint
sim_entry_n_children (SimEntry *entry)
{
  if (!entry->is_folder)
    return 0;
  return entry->children->len + entry->virtual_count;
}

SimEntry *
sim_entry_nth_child (SimState *state,
                     SimEntry *entry,
                     guint     i)
{
  g_autofree char *id = NULL;

  if (i < entry->children->len)
    return g_ptr_array_index (entry->children, i);
  i -= entry->children->len;
  g_assert (i < entry->virtual_count);
  id = g_strdup_printf ("%" G_GUINT64_FORMAT, entry->virtual_base + i);
  return sim_state_lookup (state, id);
}

/* ------------------------------------------------------------------------------------------ */
/* Where an entry lives */

gboolean
sim_entry_is_room (SimEntry *entry)
{
  return entry != NULL && entry->room_type != ROOM_NONE;
}

SimEntry *
sim_entry_room (SimEntry *entry)
{
  for (SimEntry *e = entry; e != NULL; e = e->parent)
    if (sim_entry_is_room (e))
      return e;
  return NULL;
}

SimEntry *
sim_entry_root (SimEntry *entry)
{
  SimEntry *e = entry;

  while (e->parent != NULL)
    e = e->parent;
  return e;
}

gboolean
sim_entry_in_archive (SimEntry *entry)
{
  return sim_entry_root (entry)->folder_type == FT_ARCHIVE;
}

int
sim_room_folder_type (int room_type)
{
  switch (room_type)
    {
    case ROOM_FILLING: return FT_FILLING_ROOM;
    case ROOM_EDITING: return FT_EDITING_ROOM;
    case ROOM_CUSTOM: return FT_CUSTOM_ROOM;
    case ROOM_PUBLIC: return FT_PUBLIC_ROOM;
    case ROOM_VDR: return FT_VDR;
    case ROOM_AI: return FT_AI_ROOM;
    default: return FT_DEFAULT;
    }
}

const char *
sim_entry_ext (SimEntry *entry)
{
  const char *dot;

  if (entry->is_folder)
    return "";
  dot = strrchr (entry->title, '.');
  return dot != NULL ? dot : "";
}

/* FileType: 0 Unknown, 1 Archive, 2 Video, 3 Audio, 4 Image, 5 Spreadsheet, 6 Presentation,
 * 7 Document, 10 Pdf, 11 Diagram */
int
sim_entry_file_type (SimEntry *entry)
{
  static const struct { const char *ext; int type; } map[] = {
    { ".docx", 7 }, { ".doc", 7 }, { ".odt", 7 }, { ".rtf", 7 }, { ".txt", 7 }, { ".md", 7 },
    { ".xlsx", 5 }, { ".xls", 5 }, { ".ods", 5 }, { ".csv", 5 },
    { ".pptx", 6 }, { ".ppt", 6 }, { ".odp", 6 },
    { ".pdf", 10 },
    { ".png", 4 }, { ".jpg", 4 }, { ".jpeg", 4 }, { ".gif", 4 }, { ".svg", 4 },
    { ".mp4", 2 }, { ".mp3", 3 }, { ".zip", 1 }, { ".vsdx", 11 },
  };
  const char *ext = sim_entry_ext (entry);

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_ascii_strcasecmp (ext, map[i].ext) == 0)
      return map[i].type;
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Who may do what */

static gboolean
is_admin (const SimUser *user)
{
  return user != NULL && (user->is_owner || user->is_admin);
}

static gboolean
is_system_folder (SimEntry *entry)
{
  return entry->parent == NULL;
}

/* The caller's FileShare on the entry; -1 = no access. 0 (None) = owner/full, as the server
 * reports it for the creator's own items. */
int
sim_user_access (const SimUser *user,
                 SimEntry      *entry)
{
  SimEntry *root;
  SimEntry *room;
  gpointer role;

  if (user == NULL)
    return -1;
  root = sim_entry_root (entry);
  if (root->folder_type == FT_USER)
    return g_strcmp0 (root->created_by, user->id) == 0 ? FS_NONE : -1;
  if (is_system_folder (entry))
    {
      if (entry->folder_type == FT_ARCHIVE && user->is_visitor)
        return -1;
      return FS_READ;
    }
  room = sim_entry_room (entry);
  if (room == NULL)
    return -1;
  if (is_admin (user))
    return g_strcmp0 (room->created_by, user->id) == 0 ? FS_NONE : FS_ROOM_MANAGER;
  if (g_hash_table_lookup_extended (room->members, user->id, NULL, &role))
    return GPOINTER_TO_INT (role);
  return -1;
}

gboolean
sim_can_read (const SimUser *user,
              SimEntry      *entry)
{
  return sim_user_access (user, entry) >= 0;
}

gboolean
sim_can_edit (const SimUser *user,
              SimEntry      *entry)
{
  int access = sim_user_access (user, entry);

  if (sim_entry_in_archive (entry))
    return FALSE;
  return access == FS_NONE || access == FS_ROOM_MANAGER || access == FS_EDITING ||
         access == FS_CONTENT_CREATOR || access == FS_READ_WRITE;
}

/* Items that can carry external links at all. */
gboolean
sim_entry_takes_links (SimEntry *entry)
{
  if (is_system_folder (entry))
    return FALSE;
  if (sim_entry_is_room (entry))
    return entry->room_type == ROOM_CUSTOM || entry->room_type == ROOM_PUBLIC ||
           entry->room_type == ROOM_FILLING;
  return TRUE;
}

/* canShare (server: CanSetAccess): not guests; not inside the Archive (the room itself is the
 * exception); managers of the room, owners of My-documents items, admins. Collaboration, VDR
 * and AI rooms themselves report false. */
gboolean
sim_can_share (const SimUser *user,
               SimEntry      *entry)
{
  int access;

  if (user == NULL || user->is_visitor)
    return FALSE;
  if (!sim_entry_takes_links (entry))
    return FALSE;
  if (sim_entry_in_archive (entry) && !sim_entry_is_room (entry))
    return FALSE;
  access = sim_user_access (user, entry);
  return access == FS_NONE || access == FS_ROOM_MANAGER;
}

/* security.EditAccess: managing who is in a room (members and its invitation link) is for the
 * room's managers and owner in every room type, Collaboration, VDR and AI rooms included, which
 * report canShare false only because they have no external links of their own
 * (FileEntryDto.cs). Not for guests, not in the Archive. Other entries: as canShare. */
gboolean
sim_can_edit_access (const SimUser *user,
                     SimEntry      *entry)
{
  int access;

  if (!sim_entry_is_room (entry))
    return sim_can_share (user, entry);
  if (user == NULL || user->is_visitor || sim_entry_in_archive (entry))
    return FALSE;
  access = sim_user_access (user, entry);
  return access == FS_NONE || access == FS_ROOM_MANAGER;
}

static int
context_room_type (SimEntry *entry)
{
  SimEntry *room = sim_entry_room (entry);

  return room != NULL ? room->room_type : ROOM_NONE;
}

/* The room type whose tables apply to an entry: the room's own type for a room, else the type
 * of the room it is in; ROOM_NONE for My documents (the server's FolderType.USER tables). */
static gboolean
in_my_documents (SimEntry *entry)
{
  return sim_entry_root (entry)->folder_type == FT_USER;
}

/* shareSettings (FileSecurity.GetLinksSettings with _linkCountRoomSettingsAccesses for rooms and
 * _linkCountRoomFileSettingsAccesses for files and folders): 0 where the server's table has no
 * entry, and the DTO leaves a 0 out (FileEntryDto.cs). Files and folders outside public and
 * form-filling rooms have no PrimaryExternalLink entry: creating their primary link is checked
 * against the additional limit instead (FileSharing.cs, "primaryLinksSettings == 0"). */
void
sim_link_limits (SimEntry *entry,
                 int      *primary,
                 int      *additional)
{
  *primary = 0;
  *additional = 0;
  if (sim_entry_is_room (entry))
    {
      switch (entry->room_type)
        {
        case ROOM_CUSTOM:
        case ROOM_PUBLIC:
          *primary = 1;
          *additional = 5;
          return;
        case ROOM_FILLING:
          *primary = 1;
          return;
        default:
          return;
        }
    }
  if (in_my_documents (entry))
    {
      *additional = 6;
      return;
    }
  switch (context_room_type (entry))
    {
    case ROOM_PUBLIC:
      *primary = 1;
      *additional = 5;
      break;
    case ROOM_FILLING:
      *primary = 1;
      break;
    case ROOM_CUSTOM:
    case ROOM_EDITING:
    case ROOM_VDR:
    case ROOM_AI:
      *additional = 6;
      break;
    default:
      break;
    }
}

static void
push (GArray *a,
      int     v)
{
  g_array_append_val (a, v);
}

/* FileSecurity.DefaultFileAccess, in the server's order. */
static const int default_file_access[] = {
  FS_EDITING, FS_FILL_FORMS, FS_REVIEW, FS_COMMENT, FS_READ, FS_NONE
};
static const int filling_file_access[] = { FS_FILL_FORMS, FS_NONE };

/* DocSpaceHelper.IsFillFormsRoom: form-filling rooms, virtual data rooms and My documents. */
static gboolean
fill_forms_context (SimEntry *entry)
{
  int rt = context_room_type (entry);

  return in_my_documents (entry) || rt == ROOM_FILLING || rt == ROOM_VDR;
}

/* What the simulator's formats can do in the editors (FileUtility.CanWebEdit, CanWebReview,
 * CanWebComment): documents everything, spreadsheets, presentations, PDFs and diagrams edit,
 * anything else is view only. */
static gboolean
format_can_edit (SimEntry *entry)
{
  int type = sim_entry_file_type (entry);

  return type == 7 || type == 5 || type == 6 || type == 10 || type == 11;
}

static gboolean
format_can_review (SimEntry *entry)
{
  return sim_entry_file_type (entry) == 7;
}

/* FileSecurity.GetAccesses (File): the table of the file's context (_availableRoomFileAccesses:
 * form-filling rooms FillForms + None, every other context DefaultFileAccess), filtered: Read
 * only for files that are not forms; Editing for editable formats, for forms only outside
 * form-filling rooms; FillForms only for forms in a fill-forms context; Review and Comment not
 * for forms; None for the file's creator, or always when the server checks a link change
 * (subjectTypeForCheck, FileSharing.cs). */
static GArray *
file_rights (const SimUser *user,
             SimEntry      *entry,
             gboolean       for_change)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (int));
  gboolean filling = !in_my_documents (entry) && context_room_type (entry) == ROOM_FILLING;
  const int *table = filling ? filling_file_access : default_file_access;
  gsize n = filling ? G_N_ELEMENTS (filling_file_access) : G_N_ELEMENTS (default_file_access);

  for (gsize i = 0; i < n; i++)
    {
      int s = table[i];

      switch (s)
        {
        case FS_READ:
          if (!entry->is_form)
            push (a, s);
          break;
        case FS_NONE:
          if (for_change || (user != NULL && g_strcmp0 (entry->created_by, user->id) == 0))
            push (a, s);
          break;
        case FS_EDITING:
          if ((!entry->is_form || !filling) && format_can_edit (entry))
            push (a, s);
          break;
        case FS_FILL_FORMS:
          if (entry->is_form && fill_forms_context (entry))
            push (a, s);
          break;
        case FS_REVIEW:
        case FS_COMMENT:
          if (!entry->is_form && format_can_review (entry))
            push (a, s);
          break;
        default:
          break;
        }
    }
  return a;
}

/* FileSecurity.GetAccesses (Folder), for rooms and folders: the context's table without
 * FillForms outside fill-forms contexts; None only for the folder's (or room's) creator. */
static GArray *
folder_rights (const SimUser *user,
               SimEntry      *entry)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (int));
  gboolean filling = !in_my_documents (entry) && context_room_type (entry) == ROOM_FILLING;
  const int *table = filling ? filling_file_access : default_file_access;
  gsize n = filling ? G_N_ELEMENTS (filling_file_access) : G_N_ELEMENTS (default_file_access);

  for (gsize i = 0; i < n; i++)
    {
      int s = table[i];

      if (s == FS_FILL_FORMS && !fill_forms_context (entry))
        continue;
      if (s == FS_NONE && (user == NULL || g_strcmp0 (entry->created_by, user->id) != 0))
        continue;
      push (a, s);
    }
  return a;
}

/* FileSecurity.AvailableRoomAccesses: the roles a room's links may be given, checked when a link
 * of a room is created, changed or deleted (FileSharing.cs, "room != null"). Invitation links
 * never offer Room manager. Room types without external links have no ExternalLink entry. */
static GArray *
room_table_rights (SimEntry *room,
                   int       subject_type)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (int));

  if (subject_type == SUBJ_INVITATION)
    {
      push (a, FS_CONTENT_CREATOR);
      switch (room->room_type)
        {
        case ROOM_CUSTOM:
          push (a, FS_EDITING);
          push (a, FS_REVIEW);
          push (a, FS_COMMENT);
          push (a, FS_READ);
          break;
        case ROOM_PUBLIC:
        case ROOM_AI:
          push (a, FS_READ);
          break;
        case ROOM_FILLING:
          push (a, FS_FILL_FORMS);
          break;
        case ROOM_EDITING:
          push (a, FS_EDITING);
          push (a, FS_READ);
          break;
        case ROOM_VDR:
          push (a, FS_EDITING);
          push (a, FS_READ);
          push (a, FS_FILL_FORMS);
          break;
        default:
          break;
        }
      push (a, FS_NONE);
      return a;
    }

  switch (room->room_type)
    {
    case ROOM_CUSTOM:
    case ROOM_PUBLIC:
      for (gsize i = 0; i < G_N_ELEMENTS (default_file_access); i++)
        push (a, default_file_access[i]);
      break;
    case ROOM_FILLING:
      push (a, FS_FILL_FORMS);
      push (a, FS_READ);
      push (a, FS_NONE);
      break;
    default:
      break;
    }
  return a;
}

/* availableShareRights of an entry for a subject type (ExternalLink, PrimaryExternalLink): what
 * FileDto.cs / FolderDto.cs send, from FileSecurity.GetAccesses. There is no InvitationLink
 * entry in the server's tables for GetAccesses: the invitation roles are
 * sim_link_change_rights (room, SUBJ_INVITATION). */
GArray *
sim_available_rights (const SimUser *user,
                      SimEntry      *entry,
                      int            subject_type)
{
  if (subject_type == SUBJ_INVITATION)
    return g_array_new (FALSE, FALSE, sizeof (int));
  if (!entry->is_folder)
    return file_rights (user, entry, FALSE);
  return folder_rights (user, entry);
}

/* The roles the server accepts when a link of the entry is created, changed or deleted
 * (FileSharing.cs): files GetAccesses (file, subjectType) (None for anyone who may share),
 * rooms the room type's AvailableRoomAccesses, plain folders GetAccesses (folder) (None only
 * for the folder's creator: "The role is not available for this user type" for others). */
GArray *
sim_link_change_rights (const SimUser *user,
                        SimEntry      *entry,
                        int            subject_type)
{
  if (sim_entry_is_room (entry))
    return room_table_rights (entry, subject_type);
  if (subject_type == SUBJ_INVITATION)
    return g_array_new (FALSE, FALSE, sizeof (int));
  if (!entry->is_folder)
    return file_rights (user, entry, TRUE);
  return folder_rights (user, entry);
}

gboolean
sim_rights_contain (GArray *rights,
                    int     access)
{
  for (guint i = 0; i < rights->len; i++)
    if (g_array_index (rights, int, i) == access)
      return TRUE;
  return FALSE;
}

/* Primary links of Public and Form-filling rooms (and of the items in them): "delete" there
 * revokes and regenerates. */
gboolean
sim_link_can_revoke (SimEntry *holder,
                     SimLink  *link)
{
  int rt = context_room_type (holder);

  return link->subject_type == SUBJ_PRIMARY && (rt == ROOM_PUBLIC || rt == ROOM_FILLING);
}

gboolean
sim_link_is_expired (SimLink *link,
                     gint64   now)
{
  return link->expires != 0 && link->expires < now;
}

/* ------------------------------------------------------------------------------------------ */
/* Links */

static char *
new_unique_code (SimState *state)
{
  for (;;)
    {
      char *code = sim_random_string_with (state->seed_rand, 8);

      if (!g_hash_table_contains (state->link_codes, code))
        return code;
      g_free (code);
    }
}

SimLink *
sim_link_new (SimState   *state,
              SimEntry   *entry,
              int         subject_type,
              int         access,
              const char *title,
              const char *created_by,
              gint64      created)
{
  SimLink *link = g_new0 (SimLink, 1);

  link->id = sim_new_guid_with (state->seed_rand);
  link->title = g_strdup (title);
  link->code = new_unique_code (state);
  if (subject_type != SUBJ_INVITATION)
    link->request_token = sim_random_string_with (state->seed_rand, 43);
  link->access = access;
  link->subject_type = subject_type;
  link->created = created;
  link->created_by = g_strdup (created_by);
  g_ptr_array_add (entry->links, link);
  g_hash_table_insert (state->link_codes, link->code, entry);
  return link;
}

SimLink *
sim_entry_find_link (SimEntry   *entry,
                     const char *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < entry->links->len; i++)
    {
      SimLink *l = g_ptr_array_index (entry->links, i);

      if (g_ascii_strcasecmp (l->id, id) == 0)
        return l;
    }
  return NULL;
}

SimLink *
sim_entry_primary_link (SimEntry *entry)
{
  for (guint i = 0; i < entry->links->len; i++)
    {
      SimLink *l = g_ptr_array_index (entry->links, i);

      if (l->subject_type == SUBJ_PRIMARY)
        return l;
    }
  return NULL;
}

void
sim_entry_remove_link (SimState *state,
                       SimEntry *entry,
                       SimLink  *link)
{
  char *long_path = sim_link_long_path (entry, link);

  /* The short link still redirects to the long form, whose key now answers Invalid. */
  if (long_path != NULL)
    g_hash_table_replace (state->dead_codes, g_strdup (link->code), long_path);
  g_hash_table_remove (state->link_codes, link->code);
  g_ptr_array_remove (entry->links, link);
}

SimEntry *
sim_state_find_code (SimState   *state,
                     const char *code,
                     SimLink   **out_link)
{
  SimEntry *entry = g_hash_table_lookup (state->link_codes, code);

  *out_link = NULL;
  if (entry == NULL)
    return NULL;
  for (guint i = 0; i < entry->links->len; i++)
    {
      SimLink *l = g_ptr_array_index (entry->links, i);

      if (strcmp (l->code, code) == 0)
        {
          *out_link = l;
          return entry;
        }
    }
  return NULL;
}

/* The entry holding the link with this id, external or invitation, of any item (the
 * /__sim/links/{id} control calls); NULL when there is none. */
SimEntry *
sim_state_find_link (SimState   *state,
                     const char *id,
                     SimLink   **out_link)
{
  GHashTableIter iter;
  gpointer value;

  *out_link = NULL;
  if (id == NULL || *id == '\0')
    return NULL;
  g_hash_table_iter_init (&iter, state->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      SimEntry *entry = value;
      SimLink *link = sim_entry_find_link (entry, id);

      if (link != NULL)
        {
          *out_link = link;
          return entry;
        }
    }
  return NULL;
}

/* Primary first, then the invitation link, then additional links in creation order.
 * type_filter: -1 all, 0 invitation only, 1 external only. */
GPtrArray *
sim_entry_sorted_links (SimEntry *entry,
                        int       type_filter)
{
  static const int order[] = { SUBJ_PRIMARY, SUBJ_INVITATION, SUBJ_EXTERNAL };
  GPtrArray *out = g_ptr_array_new ();

  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    {
      if (type_filter == 0 && order[o] != SUBJ_INVITATION)
        continue;
      if (type_filter == 1 && order[o] == SUBJ_INVITATION)
        continue;
      for (guint i = 0; i < entry->links->len; i++)
        {
          SimLink *l = g_ptr_array_index (entry->links, i);

          if (l->subject_type == order[o])
            g_ptr_array_add (out, l);
        }
    }
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Events */

char *
sim_entry_context (SimEntry *entry)
{
  SimEntry *room = sim_entry_room (entry);
  SimEntry *root = sim_entry_root (entry);

  if (room != NULL)
    return g_strdup_printf ("Rooms: %s", room->title);
  return g_strdup (root->title);
}

SimEvent *
sim_state_add_event (SimState   *state,
                     gint64      date,
                     const char *user_id,
                     const char *user_name,
                     int         action_id,
                     SimEntry   *entry,
                     const char *action_text)
{
  SimEvent *ev = g_new0 (SimEvent, 1);
  const SimAuditMap *map;

  ev->id = state->next_event_id++;
  ev->date = date;
  ev->user_id = g_strdup (user_id);
  ev->user_name = g_strdup (user_name);
  ev->action = g_strdup (action_text);
  ev->action_id = action_id;
  ev->product = 2;
  ev->target = g_strdup (entry->id);
  ev->context = sim_entry_context (entry);
  ev->ip = g_strdup ("127.0.0.1");
  /* actionType, location and entries come from the audit mapper, as the server's
   * AuditEventDto takes them: a room downloaded as an archive is FolderDownloaded, mapped to
   * Folders / Folder, never to Room. An action in no mapper gets none. */
  map = sim_audit_map (action_id);
  if (map != NULL)
    {
      ev->action_type = map->action_type;
      ev->location = map->location;
      ev->entry_type = map->entry_type;
    }
  g_ptr_array_add (state->events, ev);
  return ev;
}

/* ------------------------------------------------------------------------------------------ */
/* Seed */

typedef struct {
  SimState *state;
  gint64    start;
} Seed;

static gint64
ago (Seed  *s,
     double days)
{
  return s->start - (gint64) (days * (double) SIM_USEC_PER_DAY);
}

static SimEntry *
seed_folder (Seed       *s,
             SimEntry   *parent,
             const char *id,
             const char *title,
             double      days_ago)
{
  return entry_new (s->state, parent, id, TRUE, title, parent->created_by, ago (s, days_ago), TRUE);
}

static SimEntry *
seed_room (Seed       *s,
           const char *id,
           const char *title,
           int         room_type,
           double      days_ago)
{
  SimEntry *rooms = g_hash_table_lookup (s->state->entries, "1");
  SimEntry *room = entry_new (s->state, rooms, id, TRUE, title, OWNER_ID, ago (s, days_ago), TRUE);

  room->room_type = room_type;
  room->folder_type = sim_room_folder_type (room_type);
  room->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return room;
}

static SimEntry *
seed_file (Seed       *s,
           SimEntry   *parent,
           const char *id,
           const char *title,
           gint64      size,
           double      days_ago)
{
  SimEntry *f = entry_new (s->state, parent, id, FALSE, title, parent->created_by,
                           ago (s, days_ago), TRUE);

  f->size = size;
  f->updated = f->created + (gint64) 3 * 3600 * G_USEC_PER_SEC;
  return f;
}

static SimLink *
seed_link (Seed       *s,
           SimEntry   *entry,
           int         subject_type,
           int         access,
           const char *title,
           double      days_ago)
{
  return sim_link_new (s->state, entry, subject_type, access, title, entry->created_by,
                       ago (s, days_ago));
}

static void
member (SimEntry   *room,
        const char *user_id,
        int         role)
{
  g_hash_table_insert (room->members, g_strdup (user_id), GINT_TO_POINTER (role));
}

static void
seed_event (Seed       *s,
            double      days_ago,
            const char *user_id,
            int         action_id,
            const char *entry_id,
            const char *text)
{
  const SimUser *u = sim_user_by_id (user_id);
  SimEntry *e = g_hash_table_lookup (s->state->entries, entry_id);
  SimEvent *ev;

  g_assert (e != NULL);
  ev = sim_state_add_event (s->state, ago (s, days_ago), user_id,
                            u != NULL ? u->display_name : "Anonymous", action_id, e, text);
  ev->browser = g_strdup (u != NULL ? "Firefox 132.0" : "Chrome 131.0");
  ev->platform = g_strdup (u != NULL ? "Linux" : "Windows 10");
}

static void
seed_scale (Seed *s)
{
  SimState *state = s->state;
  SimEntry *big;
  SimEntry *ten_k;

  for (guint i = 1; i <= state->scale; i++)
    {
      guint base = 20000 + (i - 1) * 10;
      char id[32];
      char title[64];
      SimEntry *room;

      g_snprintf (id, sizeof id, "%u", base);
      g_snprintf (title, sizeof title, "Scale room %u", i);
      room = seed_room (s, id, title, ROOM_CUSTOM, 200 - (i % 150));
      for (guint f = 0; f < 3; f++)
        {
          g_snprintf (id, sizeof id, "%u", base + 1 + f);
          g_snprintf (title, sizeof title, "Folder %c", 'A' + f);
          seed_folder (s, room, id, title, 100);
        }
      for (guint f = 0; f < 5; f++)
        {
          static const char *names[] = { "Report.docx", "Figures.xlsx", "Slides.pptx",
                                         "Scan.pdf", "Notes.txt" };
          SimEntry *file;

          g_snprintf (id, sizeof id, "%u", base + 4 + f);
          file = seed_file (s, room, id, names[f], 10000 + 1000 * f + i, 90);
          seed_link (s, file, SUBJ_PRIMARY, FS_READ, "Shared link", 30);
        }
    }

  big = seed_room (s, "900", "Big Data", ROOM_CUSTOM, 120);
  ten_k = seed_folder (s, big, "901", "10,000 files", 119);
  ten_k->virtual_count = 10000;
  ten_k->virtual_base = 100000;
  g_ptr_array_add (state->virtual_folders, ten_k);
  seed_link (s, big, SUBJ_PRIMARY, FS_READ, "Shared link", 100);
  for (guint i = 0; i < 5; i++)
    {
      SimEntry *f = sim_entry_nth_child (state, ten_k, i * 1000);

      f->is_virtual = TRUE;
      seed_link (s, f, SUBJ_PRIMARY, FS_READ, "Shared link", 50);
    }
}

SimState *
sim_state_new_seed (gint64      start,
                    guint       scale,
                    const char *base_url)
{
  SimState *state = sim_state_new_empty (start, scale, base_url);
  Seed seed = { state, start };
  Seed *s = &seed;
  SimEntry *rooms, *archive, *my, *e, *r, *f;
  SimLink *l;

  state->seed_rand = g_rand_new_with_seed (20261123);

  /* system folders */
  rooms = entry_new (state, NULL, "1", TRUE, "Rooms", OWNER_ID, ago (s, 400), FALSE);
  rooms->folder_type = FT_VIRTUAL_ROOMS;
  my = entry_new (state, NULL, "2", TRUE, "My documents", OWNER_ID, ago (s, 400), FALSE);
  my->folder_type = FT_USER;
  e = entry_new (state, NULL, "3", TRUE, "My documents", USER_ID, ago (s, 300), FALSE);
  e->folder_type = FT_USER;
  e = entry_new (state, NULL, "4", TRUE, "My documents", TFA_ID, ago (s, 250), FALSE);
  e->folder_type = FT_USER;
  e = entry_new (state, NULL, "5", TRUE, "My documents", SETUP_ID, ago (s, 200), FALSE);
  e->folder_type = FT_USER;
  archive = entry_new (state, NULL, "6", TRUE, "Archive", OWNER_ID, ago (s, 400), FALSE);
  archive->folder_type = FT_ARCHIVE;

  /* 101 Marketing: custom room */
  r = seed_room (s, "101", "Marketing", ROOM_CUSTOM, 60);
  member (r, USER_ID, FS_ROOM_MANAGER);
  member (r, GUEST_ID, FS_READ);
  f = seed_folder (s, r, "201", "Campaigns", 59);
  f = seed_folder (s, f, "202", "2026", 58);
  e = seed_file (s, f, "301", "Launch plan.docx", 48213, 20);
  seed_link (s, e, SUBJ_PRIMARY, FS_READ, "Shared link", 19);
  l = seed_link (s, e, SUBJ_EXTERNAL, FS_READ, "View only, no download", 18);
  l->deny_download = TRUE;
  seed_file (s, f, "302", "Budget.xlsx", 22310, 17);
  seed_file (s, r, "303", "Brand guide.pdf", 2512034, 40);
  seed_file (s, r, "304", "Press release.docx", 18342, 10);
  seed_link (s, r, SUBJ_PRIMARY, FS_READ, "Shared link", 55);
  l = seed_link (s, r, SUBJ_EXTERNAL, FS_READ, "Old preview", 30);
  l->expires = ago (s, 2);
  l = seed_link (s, r, SUBJ_EXTERNAL, FS_READ, "Partners", 25);
  l->password = g_strdup ("Secret123");
  l = seed_link (s, r, SUBJ_EXTERNAL, FS_READ, "Staff only", 24);
  l->internal = TRUE;
  seed_link (s, r, SUBJ_INVITATION, FS_CONTENT_CREATOR, "Invitation link", 50);

  /* 102 Press Kit: public room */
  r = seed_room (s, "102", "Press Kit", ROOM_PUBLIC, 50);
  member (r, USER_ID, FS_ROOM_MANAGER);
  seed_file (s, r, "311", "Logo.png", 84211, 45);
  seed_file (s, r, "312", "Fact sheet.pdf", 301233, 44);
  seed_link (s, r, SUBJ_PRIMARY, FS_READ, "Shared link", 49);
  seed_link (s, r, SUBJ_EXTERNAL, FS_READ, "Journalists", 40);

  /* 103 Supplier Forms: form-filling room */
  r = seed_room (s, "103", "Supplier Forms", ROOM_FILLING, 45);
  e = seed_file (s, r, "321", "Supplier form.pdf", 120044, 44);
  e->is_form = TRUE;
  seed_link (s, r, SUBJ_PRIMARY, FS_FILL_FORMS, "Link to fill out", 44);

  /* 104 Engineering: collaboration room */
  r = seed_room (s, "104", "Engineering", ROOM_EDITING, 40);
  member (r, USER_ID, FS_READ);
  seed_folder (s, r, "231", "Designs", 39);
  e = seed_file (s, r, "331", "Spec.docx", 65123, 38);
  seed_link (s, e, SUBJ_PRIMARY, FS_READ, "Shared link", 37);

  /* 105 Due Diligence: virtual data room, downloads denied, links internal */
  r = seed_room (s, "105", "Due Diligence", ROOM_VDR, 35);
  r->deny_download = TRUE;
  member (r, USER_ID, FS_READ);
  e = seed_file (s, r, "341", "Contract.pdf", 402113, 34);
  l = seed_link (s, e, SUBJ_PRIMARY, FS_READ, "Shared link", 33);
  l->internal = TRUE;

  /* 106 Full Room: at its link limit */
  r = seed_room (s, "106", "Full Room", ROOM_CUSTOM, 30);
  seed_link (s, r, SUBJ_PRIMARY, FS_READ, "Shared link", 29);
  for (int i = 1; i <= 5; i++)
    {
      g_autofree char *t = g_strdup_printf ("Link %d", i);

      seed_link (s, r, SUBJ_EXTERNAL, FS_READ, t, 29 - i);
    }

  /* 107 Archive Room: custom room in the Archive */
  r = seed_room (s, "107", "Archive Room", ROOM_CUSTOM, 100);
  g_ptr_array_remove (rooms->children, r);
  r->parent = archive;
  g_ptr_array_add (archive->children, r);
  member (r, USER_ID, FS_ROOM_MANAGER);
  seed_file (s, r, "351", "Old minutes.docx", 12044, 99);
  seed_link (s, r, SUBJ_PRIMARY, FS_READ, "Shared link", 98);

  /* Olivia's My documents */
  e = seed_file (s, my, "401", "Q3 report.docx", 73311, 8);
  seed_link (s, e, SUBJ_PRIMARY, FS_READ, "Shared link", 5);
  l = seed_link (s, e, SUBJ_EXTERNAL, FS_READ, "Download blocked", 4);
  l->deny_download = TRUE;
  l->expires = start + 3 * SIM_USEC_PER_DAY;
  seed_file (s, my, "402", "Notes.txt", 1204, 6);
  f = seed_folder (s, my, "501", "Drafts", 12);
  seed_file (s, f, "502", "Draft.docx", 9822, 11);
  seed_link (s, f, SUBJ_PRIMARY, FS_READ, "Shared link", 3);
  f = seed_folder (s, my, "sbox-12-demo", "Sandbox (connected storage)", 15);
  e = seed_file (s, f, "sbox-12-file-1", "Sandbox notes.docx", 5120, 14);

  if (scale > 0)
    seed_scale (s);

  /* Seeded last, so that the links above keep their ids and codes: a link inside the
   * connected-storage folder, which reports 0 files and 0 folders. */
  seed_link (s, e, SUBJ_PRIMARY, FS_READ, "Shared link", 13);

  /* a little history */
  seed_event (s, 50, OWNER_ID, MA_ROOM_INVITATION_LINK_CREATED, "101",
              "Rooms [Marketing]. Invitation link created: Invitation link");
  seed_event (s, 25, USER_ID, MA_ROOM_EXTERNAL_LINK_CREATED, "101",
              "Rooms [Marketing]. External link created: Partners");
  seed_event (s, 19, USER_ID, MA_FILE_EXTERNAL_LINK_CREATED, "301",
              "Files [Launch plan.docx]. External link created: Shared link. Role: Read Only");
  seed_event (s, 5, OWNER_ID, MA_FILE_EXTERNAL_LINK_CREATED, "401",
              "Files [Q3 report.docx]. External link created: Shared link. Role: Read Only");
  seed_event (s, 3, OWNER_ID, MA_FOLDER_EXTERNAL_LINK_CREATED, "501",
              "Folders [Drafts]. External link created: Shared link. Role: Read Only");
  seed_event (s, 2.5, SIM_ANONYMOUS_ID, MA_FILE_READED, "401",
              "Files [Q3 report.docx]. Opened for viewing");
  seed_event (s, 2, SIM_ANONYMOUS_ID, MA_FILE_DOWNLOADED, "401",
              "File downloaded: Q3 report.docx");
  seed_event (s, 1, SIM_ANONYMOUS_ID, MA_FILE_READED, "301",
              "Files [Launch plan.docx]. Opened for viewing");

  g_clear_pointer (&state->seed_rand, g_rand_free);
  return state;
}

/* ------------------------------------------------------------------------------------------ */
/* --state file: our own JSON, entries parent-first so children keep their order */

static void
save_link (JsonBuilder *b,
           SimLink     *l)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, l->id);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, l->title);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, l->code);
  json_builder_set_member_name (b, "requestToken");
  json_builder_add_string_value (b, l->request_token);
  json_builder_set_member_name (b, "access");
  json_builder_add_int_value (b, l->access);
  json_builder_set_member_name (b, "subjectType");
  json_builder_add_int_value (b, l->subject_type);
  json_builder_set_member_name (b, "expires");
  json_builder_add_int_value (b, l->expires);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, l->password);
  json_builder_set_member_name (b, "denyDownload");
  json_builder_add_boolean_value (b, l->deny_download);
  json_builder_set_member_name (b, "internal");
  json_builder_add_boolean_value (b, l->internal);
  json_builder_set_member_name (b, "maxUseCount");
  json_builder_add_int_value (b, l->max_use_count);
  json_builder_set_member_name (b, "currentUseCount");
  json_builder_add_int_value (b, l->current_use_count);
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, l->created);
  json_builder_set_member_name (b, "createdBy");
  json_builder_add_string_value (b, l->created_by);
  json_builder_end_object (b);
}

static void
save_entry (JsonBuilder *b,
            SimEntry    *e)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, e->id);
  json_builder_set_member_name (b, "parent");
  json_builder_add_string_value (b, e->parent != NULL ? e->parent->id : NULL);
  json_builder_set_member_name (b, "folder");
  json_builder_add_boolean_value (b, e->is_folder);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, e->title);
  json_builder_set_member_name (b, "folderType");
  json_builder_add_int_value (b, e->folder_type);
  json_builder_set_member_name (b, "roomType");
  json_builder_add_int_value (b, e->room_type);
  json_builder_set_member_name (b, "denyDownload");
  json_builder_add_boolean_value (b, e->deny_download);
  json_builder_set_member_name (b, "createdBy");
  json_builder_add_string_value (b, e->created_by);
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, e->created);
  json_builder_set_member_name (b, "updated");
  json_builder_add_int_value (b, e->updated);
  json_builder_set_member_name (b, "size");
  json_builder_add_int_value (b, e->size);
  json_builder_set_member_name (b, "isForm");
  json_builder_add_boolean_value (b, e->is_form);
  json_builder_set_member_name (b, "virtual");
  json_builder_add_boolean_value (b, e->is_virtual);
  json_builder_set_member_name (b, "virtualCount");
  json_builder_add_int_value (b, e->virtual_count);
  json_builder_set_member_name (b, "virtualBase");
  json_builder_add_int_value (b, (gint64) e->virtual_base);
  if (e->members != NULL)
    {
      GHashTableIter it;
      gpointer k, v;

      json_builder_set_member_name (b, "members");
      json_builder_begin_object (b);
      g_hash_table_iter_init (&it, e->members);
      while (g_hash_table_iter_next (&it, &k, &v))
        {
          json_builder_set_member_name (b, k);
          json_builder_add_int_value (b, GPOINTER_TO_INT (v));
        }
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "links");
  json_builder_begin_array (b);
  for (guint i = 0; i < e->links->len; i++)
    save_link (b, g_ptr_array_index (e->links, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
save_tree (JsonBuilder *b,
           SimEntry    *e)
{
  save_entry (b, e);
  if (e->children != NULL)
    for (guint i = 0; i < e->children->len; i++)
      save_tree (b, g_ptr_array_index (e->children, i));
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  const SimEntry *ea = *(SimEntry * const *) a;
  const SimEntry *eb = *(SimEntry * const *) b;

  if (ea->numeric_id && eb->numeric_id)
    {
      gint64 ia = g_ascii_strtoll (ea->id, NULL, 10);
      gint64 ib = g_ascii_strtoll (eb->id, NULL, 10);

      return ia < ib ? -1 : ia > ib;
    }
  return strcmp (ea->id, eb->id);
}

gboolean
sim_state_save (SimState   *state,
                const char *file,
                GError    **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) roots = g_ptr_array_new ();
  g_autoptr(GPtrArray) virt = g_ptr_array_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  GHashTableIter it;
  gpointer v;

  g_hash_table_iter_init (&it, state->entries);
  while (g_hash_table_iter_next (&it, NULL, &v))
    {
      SimEntry *e = v;

      if (e->parent == NULL)
        g_ptr_array_add (roots, e);
      else if (e->is_virtual && e->links->len > 0)
        g_ptr_array_add (virt, e);
    }
  g_ptr_array_sort (roots, compare_ids);
  g_ptr_array_sort (virt, compare_ids);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "docspace-sim-state");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "start");
  json_builder_add_int_value (b, state->start);
  json_builder_set_member_name (b, "scale");
  json_builder_add_int_value (b, state->scale);
  json_builder_set_member_name (b, "nextEventId");
  json_builder_add_int_value (b, state->next_event_id);
  json_builder_set_member_name (b, "sharingPolicy");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "externalShare");
  json_builder_add_boolean_value (b, state->policy.external_share);
  json_builder_set_member_name (b, "applyToDocuments");
  json_builder_add_boolean_value (b, state->policy.apply_to_documents);
  json_builder_set_member_name (b, "applyToRooms");
  json_builder_add_boolean_value (b, state->policy.apply_to_rooms);
  json_builder_set_member_name (b, "blockExisting");
  json_builder_add_boolean_value (b, state->policy.block_existing);
  json_builder_set_member_name (b, "defaultInternal");
  json_builder_add_boolean_value (b, state->policy.default_internal);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < roots->len; i++)
    save_tree (b, g_ptr_array_index (roots, i));
  for (guint i = 0; i < virt->len; i++)
    save_entry (b, g_ptr_array_index (virt, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = 0; i < state->events->len; i++)
    {
      SimEvent *ev = g_ptr_array_index (state->events, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, ev->id);
      json_builder_set_member_name (b, "date");
      json_builder_add_int_value (b, ev->date);
      json_builder_set_member_name (b, "userId");
      json_builder_add_string_value (b, ev->user_id);
      json_builder_set_member_name (b, "user");
      json_builder_add_string_value (b, ev->user_name);
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, ev->action);
      json_builder_set_member_name (b, "actionId");
      json_builder_add_int_value (b, ev->action_id);
      json_builder_set_member_name (b, "actionType");
      json_builder_add_int_value (b, ev->action_type);
      json_builder_set_member_name (b, "product");
      json_builder_add_int_value (b, ev->product);
      json_builder_set_member_name (b, "location");
      json_builder_add_int_value (b, ev->location);
      json_builder_set_member_name (b, "target");
      json_builder_add_string_value (b, ev->target);
      json_builder_set_member_name (b, "entryType");
      json_builder_add_int_value (b, ev->entry_type);
      json_builder_set_member_name (b, "context");
      json_builder_add_string_value (b, ev->context);
      json_builder_set_member_name (b, "ip");
      json_builder_add_string_value (b, ev->ip);
      json_builder_set_member_name (b, "browser");
      json_builder_add_string_value (b, ev->browser);
      json_builder_set_member_name (b, "platform");
      json_builder_add_string_value (b, ev->platform);
      json_builder_set_member_name (b, "page");
      json_builder_add_string_value (b, ev->page);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "sessions");
  json_builder_begin_array (b);
  g_hash_table_iter_init (&it, state->sessions);
  while (g_hash_table_iter_next (&it, NULL, &v))
    {
      SimSession *ss = v;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "token");
      json_builder_add_string_value (b, ss->token);
      json_builder_set_member_name (b, "userId");
      json_builder_add_string_value (b, ss->user_id);
      json_builder_set_member_name (b, "expires");
      json_builder_add_int_value (b, ss->expires);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "loginFailures");
  json_builder_begin_object (b);
  g_hash_table_iter_init (&it, state->login_failures);
  {
    gpointer k;

    while (g_hash_table_iter_next (&it, &k, &v))
      {
        json_builder_set_member_name (b, k);
        json_builder_add_int_value (b, GPOINTER_TO_INT (v));
      }
  }
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  data = sim_json_to_string (root);
  return g_file_set_contents (file, data, -1, error);
}

static const char *
jstr (JsonObject *o,
      const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gint64
jint (JsonObject *o,
      const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return 0;
  return json_node_get_int (n);
}

static gboolean
jbool (JsonObject *o,
       const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  return json_node_get_boolean (n);
}

static gboolean
load_entry (SimState   *state,
            JsonObject *o,
            GError    **error)
{
  const char *id = jstr (o, "id");
  const char *parent_id = jstr (o, "parent");
  const char *title = jstr (o, "title");
  SimEntry *parent = NULL;
  SimEntry *e;
  JsonNode *links;
  JsonNode *members;
  gboolean is_virtual = jbool (o, "virtual");

  if (id == NULL || title == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "entry without id or title");
      return FALSE;
    }
  if (parent_id != NULL)
    {
      parent = g_hash_table_lookup (state->entries, parent_id);
      if (parent == NULL || !parent->is_folder)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "entry %s: unknown parent %s", id, parent_id);
          return FALSE;
        }
    }
  if (g_hash_table_contains (state->entries, id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "duplicate entry %s", id);
      return FALSE;
    }
  e = entry_new (state, parent, id, jbool (o, "folder"), title, jstr (o, "createdBy"),
                 jint (o, "created"), !is_virtual);
  e->is_virtual = is_virtual;
  e->updated = jint (o, "updated");
  e->folder_type = (int) jint (o, "folderType");
  e->room_type = (int) jint (o, "roomType");
  e->deny_download = jbool (o, "denyDownload");
  e->size = jint (o, "size");
  e->is_form = jbool (o, "isForm");
  e->virtual_count = (guint) jint (o, "virtualCount");
  e->virtual_base = (guint64) jint (o, "virtualBase");
  if (e->virtual_count > 0)
    g_ptr_array_add (state->virtual_folders, e);

  members = json_object_get_member (o, "members");
  if (members != NULL && JSON_NODE_HOLDS_OBJECT (members))
    {
      JsonObject *mo = json_node_get_object (members);
      g_autoptr(GList) names = json_object_get_members (mo);

      e->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (GList *l = names; l != NULL; l = l->next)
        member (e, l->data, (int) json_object_get_int_member (mo, l->data));
    }

  links = json_object_get_member (o, "links");
  if (links != NULL && JSON_NODE_HOLDS_ARRAY (links))
    {
      JsonArray *la = json_node_get_array (links);

      for (guint i = 0; i < json_array_get_length (la); i++)
        {
          JsonObject *lo = json_array_get_object_element (la, i);
          SimLink *l = g_new0 (SimLink, 1);

          l->id = g_strdup (jstr (lo, "id"));
          l->title = g_strdup (jstr (lo, "title"));
          l->code = g_strdup (jstr (lo, "code"));
          l->request_token = g_strdup (jstr (lo, "requestToken"));
          l->access = (int) jint (lo, "access");
          l->subject_type = (int) jint (lo, "subjectType");
          l->expires = jint (lo, "expires");
          l->password = g_strdup (jstr (lo, "password"));
          l->deny_download = jbool (lo, "denyDownload");
          l->internal = jbool (lo, "internal");
          l->max_use_count = (int) jint (lo, "maxUseCount");
          l->current_use_count = (int) jint (lo, "currentUseCount");
          l->created = jint (lo, "created");
          l->created_by = g_strdup (jstr (lo, "createdBy"));
          if (l->id == NULL || l->code == NULL || l->title == NULL)
            {
              sim_link_free (l);
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "entry %s: incomplete link", id);
              return FALSE;
            }
          g_ptr_array_add (e->links, l);
          g_hash_table_insert (state->link_codes, l->code, e);
        }
    }
  return TRUE;
}

SimState *
sim_state_load (const char *file,
                const char *base_url,
                GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(SimState) state = NULL;
  JsonObject *root;
  JsonNode *n;

  if (!json_parser_load_from_file (parser, file, error))
    return NULL;
  n = json_parser_get_root (parser);
  if (n == NULL || !JSON_NODE_HOLDS_OBJECT (n) ||
      g_strcmp0 (jstr (json_node_get_object (n), "format"), "docspace-sim-state") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s is not a docspace-sim state file", file);
      return NULL;
    }
  root = json_node_get_object (n);
  state = sim_state_new_empty (jint (root, "start"), (guint) jint (root, "scale"), base_url);
  state->next_event_id = (int) jint (root, "nextEventId");
  n = json_object_get_member (root, "sharingPolicy");
  if (n != NULL && JSON_NODE_HOLDS_OBJECT (n))
    {
      /* A state file from before the policy keeps the defaults. */
      JsonObject *p = json_node_get_object (n);

      state->policy.external_share = jbool (p, "externalShare");
      state->policy.apply_to_documents = jbool (p, "applyToDocuments");
      state->policy.apply_to_rooms = jbool (p, "applyToRooms");
      state->policy.block_existing = jbool (p, "blockExisting");
      state->policy.default_internal = jbool (p, "defaultInternal");
    }

  n = json_object_get_member (root, "entries");
  if (n != NULL && JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *a = json_node_get_array (n);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *en = json_array_get_element (a, i);

          if (!JSON_NODE_HOLDS_OBJECT (en) ||
              !load_entry (state, json_node_get_object (en), error))
            {
              if (error != NULL && *error == NULL)
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bad entry");
              return NULL;
            }
        }
    }
  if (g_hash_table_lookup (state->entries, "1") == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s has no rooms section", file);
      return NULL;
    }

  n = json_object_get_member (root, "events");
  if (n != NULL && JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *a = json_node_get_array (n);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonObject *o = json_array_get_object_element (a, i);
          SimEvent *ev = g_new0 (SimEvent, 1);

          ev->id = (int) jint (o, "id");
          ev->date = jint (o, "date");
          ev->user_id = g_strdup (jstr (o, "userId"));
          ev->user_name = g_strdup (jstr (o, "user"));
          ev->action = g_strdup (jstr (o, "action"));
          ev->action_id = (int) jint (o, "actionId");
          ev->action_type = (int) jint (o, "actionType");
          ev->product = (int) jint (o, "product");
          ev->location = (int) jint (o, "location");
          ev->target = g_strdup (jstr (o, "target"));
          ev->entry_type = (int) jint (o, "entryType");
          ev->context = g_strdup (jstr (o, "context"));
          ev->ip = g_strdup (jstr (o, "ip"));
          ev->browser = g_strdup (jstr (o, "browser"));
          ev->platform = g_strdup (jstr (o, "platform"));
          ev->page = g_strdup (jstr (o, "page"));
          g_ptr_array_add (state->events, ev);
        }
    }

  n = json_object_get_member (root, "sessions");
  if (n != NULL && JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *a = json_node_get_array (n);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonObject *o = json_array_get_object_element (a, i);
          SimSession *ss = g_new0 (SimSession, 1);

          ss->token = g_strdup (jstr (o, "token"));
          ss->user_id = g_strdup (jstr (o, "userId"));
          ss->expires = jint (o, "expires");
          if (ss->token == NULL)
            {
              sim_session_free (ss);
              continue;
            }
          g_hash_table_replace (state->sessions, ss->token, ss);
        }
    }

  n = json_object_get_member (root, "loginFailures");
  if (n != NULL && JSON_NODE_HOLDS_OBJECT (n))
    {
      JsonObject *o = json_node_get_object (n);
      g_autoptr(GList) names = json_object_get_members (o);

      for (GList *l = names; l != NULL; l = l->next)
        g_hash_table_insert (state->login_failures, g_strdup (l->data),
                             GINT_TO_POINTER ((int) json_object_get_int_member (o, l->data)));
    }

  return g_steal_pointer (&state);
}

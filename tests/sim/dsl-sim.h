/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim.h: internals of docspace-sim, a local ONLYOFFICE DocSpace portal for tests and demos.
 *
 *   SoupServer ─▶ dsl-sim-server.c   routing, envelope, auth schemes, API-key scopes, faults,
 *                 │                   request log, /__sim/ control API, /s/<code> visitor pages
 *                 ├─▶ dsl-sim-api.c   authentication, people/@self, keys/@self, browsing
 *                 ├─▶ dsl-sim-links.c file / folder / room links (the sharing rules of §6)
 *                 └─▶ dsl-sim-audit.c audit trail filter
 *   SimState (dsl-sim-state.c): users, entries, links, events, sessions; seed and --state file.
 *   DTOs (dsl-sim-dto.c): the server's JSON shapes, nulls omitted.
 *
 * Independent of src/core on purpose: it must not share the app's bugs. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* FileShare */
enum {
  FS_NONE = 0,
  FS_READ_WRITE = 1,
  FS_READ = 2,
  FS_RESTRICT = 3,
  FS_VARIES = 4,
  FS_REVIEW = 5,
  FS_COMMENT = 6,
  FS_FILL_FORMS = 7,
  FS_CUSTOM_FILTER = 8,
  FS_ROOM_MANAGER = 9,
  FS_EDITING = 10,
  FS_CONTENT_CREATOR = 11,
  FS_LAST = 11
};

/* SubjectType */
enum {
  SUBJ_USER = 0,
  SUBJ_EXTERNAL = 1,
  SUBJ_GROUP = 2,
  SUBJ_INVITATION = 3,
  SUBJ_PRIMARY = 4
};

/* RoomType */
enum {
  ROOM_NONE = 0,
  ROOM_FILLING = 1,
  ROOM_EDITING = 2,
  ROOM_CUSTOM = 5,
  ROOM_PUBLIC = 6,
  ROOM_VDR = 8,
  ROOM_AI = 9
};

/* FolderType */
enum {
  FT_DEFAULT = 0,
  FT_USER = 5,
  FT_VIRTUAL_ROOMS = 14,
  FT_FILLING_ROOM = 15,
  FT_EDITING_ROOM = 16,
  FT_CUSTOM_ROOM = 19,
  FT_ARCHIVE = 20,
  FT_PUBLIC_ROOM = 22,
  FT_VDR = 29,
  FT_AI_ROOM = 31
};

/* MessageAction values the simulator records */
enum {
  MA_FILE_DOWNLOADED = 5009,
  MA_FILE_DOWNLOADED_AS = 5010,
  MA_FOLDER_DOWNLOADED = 5057,
  MA_FILE_EXTERNAL_LINK_ACCESS_UPDATED = 5060,
  MA_FILE_REVISION_DOWNLOADED = 5062,
  MA_FILE_READED = 5064,
  MA_ROOM_INVITATION_LINK_UPDATED = 5082,
  MA_ROOM_INVITATION_LINK_CREATED = 5086,
  MA_ROOM_INVITATION_LINK_DELETED = 5087,
  MA_ROOM_EXTERNAL_LINK_CREATED = 5088,
  MA_ROOM_EXTERNAL_LINK_UPDATED = 5089,
  MA_ROOM_EXTERNAL_LINK_DELETED = 5090,
  MA_FILE_EXTERNAL_LINK_CREATED = 5091,
  MA_FILE_EXTERNAL_LINK_UPDATED = 5092,
  MA_FILE_EXTERNAL_LINK_DELETED = 5093,
  MA_ROOM_EXTERNAL_LINK_REVOKED = 5097,
  MA_ROOM_EXTERNAL_LINK_RENAMED = 5098,
  MA_FOLDER_EXTERNAL_LINK_CREATED = 5122,
  MA_FOLDER_EXTERNAL_LINK_UPDATED = 5123,
  MA_FOLDER_EXTERNAL_LINK_DELETED = 5124,
  MA_ROOM_INVITE_LINK_USED = 7001
};

/* EntryType / LocationType used in events */
enum { ENTRY_FILE = 1, ENTRY_FOLDER = 2, ENTRY_ROOM = 25 };
enum { LOC_FILES = 1, LOC_FOLDERS = 2, LOC_ROOMS = 27 };

#define SIM_ANONYMOUS_ID "712d9ec3-5d2b-4b13-824f-71f00191dcca"
#define SIM_USEC_PER_DAY (G_USEC_PER_SEC * (gint64) 86400)
#define SIM_PORTAL_OFFSET_SECONDS (3 * 3600)

typedef struct {
  const char *id;
  const char *display_name;
  const char *first_name;
  const char *last_name;
  const char *email;
  const char *password;
  gboolean    is_owner;
  gboolean    is_admin;
  gboolean    is_room_admin;
  gboolean    is_visitor;
  gboolean    disabled;
  int         tfa;             /* 0 none, 1 app set up, 2 setup required */
  const char *my_folder_id;    /* NULL: no My documents */
  gboolean    no_documents;    /* Documents (the "files" product) not available to this user */
} SimUser;

typedef struct {
  const char        *id;
  const char        *name;
  const char        *secret;
  const char        *user_id;
  const char *const *permissions;  /* NULL-terminated; empty = full access */
  gint64             expires_days; /* relative to start, 0 = never */
} SimApiKey;

typedef struct {
  char    *id;
  char    *title;
  char    *code;            /* /s/<code> */
  char    *request_token;
  int      access;
  int      subject_type;
  gint64   expires;         /* µs since the epoch (UTC), 0 = never */
  char    *password;        /* NULL = none */
  gboolean deny_download;
  gboolean internal;
  int      max_use_count;   /* invitation links; 0 = unlimited */
  int      current_use_count;
  gint64   created;
  char    *created_by;
} SimLink;

typedef struct _SimEntry SimEntry;
struct _SimEntry {
  char       *id;
  gboolean    numeric_id;
  gboolean    is_folder;
  char       *title;
  SimEntry   *parent;        /* borrowed */
  GPtrArray  *children;      /* borrowed SimEntry*, folders only */
  int         folder_type;   /* FolderType of system folders and rooms, 0 otherwise */
  int         room_type;     /* RoomType, rooms only */
  gboolean    deny_download; /* rooms */
  char       *created_by;
  gint64      created;
  gint64      updated;
  gint64      size;
  gboolean    is_form;
  GHashTable *members;       /* rooms: user id -> GINT_TO_POINTER (FileShare) */
  GPtrArray  *links;         /* SimLink*, owned, creation order */
  guint       virtual_count; /* generated files, listed after the real children */
  guint64     virtual_base;
  gboolean    is_virtual;    /* a generated file, materialised on first use */
};

typedef struct {
  int     id;
  gint64  date;
  char   *user_id;
  char   *user_name;
  char   *action;
  int     action_id;
  int     action_type;
  int     product;
  int     location;
  char   *target;
  int     entry_type;
  char   *context;
  char   *ip;
  char   *browser;
  char   *platform;
  char   *page;
} SimEvent;

typedef struct {
  char   *token;
  char   *user_id;
  gint64  expires;
} SimSession;

/* The portal's external sharing settings (products/ASC.Files/Core/Configuration/
 * FilesSettings.cs: DisableShareLinkSetting and the four settings of issue 17, with their
 * defaults at FilesSettings.cs:229-237: sharing allowed, the restriction applying to documents
 * and to rooms, existing links blocked under it, new links not internal by default). */
typedef struct {
  gboolean external_share;          /* !DisableShareLinkSetting */
  gboolean apply_to_documents;      /* ExternalShareApplyToDocumentsSetting */
  gboolean apply_to_rooms;          /* ExternalShareApplyToRoomsSetting */
  gboolean block_existing;          /* BlockExistingLinksOnRestrictSetting */
  gboolean default_internal;        /* DefaultShareLinkInternalSetting */
} SimSharingPolicy;

typedef struct {
  gint64      start;         /* the time relative seed dates hang off */
  SimSharingPolicy policy;
  guint       scale;
  char       *base_url;
  GHashTable *entries;       /* id -> SimEntry*, owned */
  GPtrArray  *virtual_folders;  /* borrowed SimEntry* with virtual_count > 0 */
  GHashTable *link_codes;    /* code -> SimEntry*, borrowed */
  GHashTable *dead_codes;    /* code of a deleted link -> its long path, owned (the server's
                              * short-link table keeps them: web/ASC.Web.Core/UrlShortRewriter.cs) */
  GPtrArray  *events;        /* SimEvent*, oldest first */
  int         next_event_id;
  GHashTable *sessions;      /* token -> SimSession* */
  GHashTable *login_failures;  /* lower-case e-mail -> GINT_TO_POINTER (count) */
  GHashTable *key_last_used; /* key id -> gint64* */
  GRand      *seed_rand;     /* while seeding: fixed-seed ids, so seed links are the same */
} SimState;

/* ---- util ---- */
char        *sim_format_date          (gint64 usec);
gboolean     sim_parse_date           (const char *text,
                                       gboolean    allow_date_only,
                                       gboolean    end_of_day,
                                       gint64     *out_usec);
char        *sim_random_string        (guint len);
char        *sim_random_string_with   (GRand *rand,
                                       guint  len);
char        *sim_new_guid             (void);
char        *sim_new_guid_with        (GRand *rand);
JsonNode    *sim_obj_get              (JsonObject *obj,
                                       const char *name);
char        *sim_json_to_string       (JsonNode *node);
JsonNode    *sim_json_parse           (const char *data,
                                       gsize       len);
const char  *sim_access_name          (int access);
int          sim_access_from_name     (const char *name);
char        *sim_human_size           (gint64 bytes);
gboolean     sim_str_is_int           (const char *s);

/* ---- state ---- */
void         sim_sharing_policy_init_defaults (SimSharingPolicy *policy);
SimState    *sim_state_new_seed       (gint64      start,
                                       guint       scale,
                                       const char *base_url);
void         sim_state_free           (SimState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimState, sim_state_free)
SimState    *sim_state_load           (const char *file,
                                       const char *base_url,
                                       GError    **error);
gboolean     sim_state_save           (SimState   *state,
                                       const char *file,
                                       GError    **error);

const SimUser   *sim_user_by_id       (const char *id);
const SimUser   *sim_user_by_email    (const char *email);
const SimUser   *sim_user_by_index    (guint i);
const SimApiKey *sim_api_key_by_secret (const char *secret);

SimEntry    *sim_state_lookup         (SimState   *state,
                                       const char *id);
SimEntry    *sim_entry_room           (SimEntry *entry);
SimEntry    *sim_entry_root           (SimEntry *entry);
gboolean     sim_entry_is_room        (SimEntry *entry);
gboolean     sim_entry_in_archive     (SimEntry *entry);
guint        sim_entry_n_children     (SimEntry *entry);
SimEntry    *sim_entry_nth_child      (SimState *state,
                                       SimEntry *entry,
                                       guint     i);
const char  *sim_entry_ext            (SimEntry *entry);
int          sim_entry_file_type      (SimEntry *entry);
int          sim_room_folder_type     (int room_type);

gboolean     sim_can_read             (const SimUser *user,
                                       SimEntry      *entry);
int          sim_user_access          (const SimUser *user,
                                       SimEntry      *entry);
gboolean     sim_can_edit             (const SimUser *user,
                                       SimEntry      *entry);
gboolean     sim_can_share            (const SimUser *user,
                                       SimEntry      *entry);
gboolean     sim_entry_takes_links    (SimEntry *entry);
void         sim_link_limits          (SimEntry *entry,
                                       int      *primary,
                                       int      *additional);
GArray      *sim_available_rights     (const SimUser *user,
                                       SimEntry      *entry,
                                       int            subject_type);
GArray      *sim_link_change_rights   (const SimUser *user,
                                       SimEntry      *entry,
                                       int            subject_type);
gboolean     sim_can_edit_access      (const SimUser *user,
                                       SimEntry      *entry);
gboolean     sim_rights_contain       (GArray *rights,
                                       int     access);
gboolean     sim_link_can_revoke      (SimEntry *holder,
                                       SimLink  *link);
gboolean     sim_link_is_expired      (SimLink *link,
                                       gint64   now);

SimLink     *sim_link_new             (SimState   *state,
                                       SimEntry   *entry,
                                       int         subject_type,
                                       int         access,
                                       const char *title,
                                       const char *created_by,
                                       gint64      created);
void         sim_link_free            (SimLink *link);
SimLink     *sim_entry_find_link      (SimEntry   *entry,
                                       const char *id);
SimLink     *sim_entry_primary_link   (SimEntry *entry);
void         sim_entry_remove_link    (SimState *state,
                                       SimEntry *entry,
                                       SimLink  *link);
SimEntry    *sim_state_find_code      (SimState   *state,
                                       const char *code,
                                       SimLink   **out_link);
GPtrArray   *sim_entry_sorted_links   (SimEntry *entry,
                                       int       type_filter);
SimEntry    *sim_state_find_link      (SimState   *state,
                                       const char *id,
                                       SimLink   **out_link);
/* dsl-sim-links.c: a second administrator's change through /__sim/links/{id}: `body` is an
 * object with any of "title", "access", "password", "internal", "denyDownload",
 * "expirationDate"; all of it is checked before anything is applied. FALSE (nothing changed)
 * with a message for the 400 answer on a bad body. */
gboolean     sim_link_control_change  (SimLink   *link,
                                       JsonNode  *body,
                                       char     **out_message);
/* dsl-sim-share.c: the long form a short link redirects to, e.g.
 * "/doceditor?fileid=301&share=<key>" (ExternalShare.cs GetLinkDataAsync); NULL for
 * invitation links. */
char        *sim_link_long_path       (SimEntry *entry,
                                       SimLink  *link);
/* The entry and external link whose request token (the `share=`/`key=` value) is `key`. */
SimEntry    *sim_state_find_key       (SimState   *state,
                                       const char *key,
                                       SimLink   **out_link);

SimEvent    *sim_state_add_event      (SimState   *state,
                                       gint64      date,
                                       const char *user_id,
                                       const char *user_name,
                                       int         action_id,
                                       SimEntry   *entry,
                                       const char *action_text);
void         sim_event_free           (SimEvent *event);

/* The server's audit mapper entry of a MessageAction (dsl-sim-audit.c); NULL when the action is
 * in no mapper (5098, 7001): such events are recorded but no type filter returns them. */
typedef struct {
  int action_id;
  int location;
  int action_type;
  int entry_type;
} SimAuditMap;

const SimAuditMap *sim_audit_map      (int action_id);
char        *sim_entry_context        (SimEntry *entry);

/* ---- DTOs ---- */
void         sim_dto_user_short       (JsonBuilder   *b,
                                       const SimUser *user,
                                       const char    *base_url);
JsonNode    *sim_dto_user_full        (const SimUser *user,
                                       SimState      *state);
JsonNode    *sim_dto_entry            (SimState      *state,
                                       const SimUser *user,
                                       SimEntry      *entry);
JsonNode    *sim_dto_path_part        (SimEntry *entry);
/* JSON members of the server's success bodies: a NULL string is left out (nulls omitted). */
void         sim_member_str           (JsonBuilder *b,
                                       const char  *name,
                                       const char  *value);
void         sim_member_int           (JsonBuilder *b,
                                       const char  *name,
                                       gint64       value);
void         sim_member_bool          (JsonBuilder *b,
                                       const char  *name,
                                       gboolean     value);
JsonNode    *sim_dto_link             (SimState      *state,
                                       const SimUser *user,
                                       SimEntry      *holder,
                                       SimLink       *link,
                                       gboolean       blank_token);
JsonNode    *sim_dto_event            (SimEvent *event);

G_END_DECLS

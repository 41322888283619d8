/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-state-file.h: reading the app's own JSON state files (guarded-links.json,
 * reminders-<hash>.json) so that a damaged or hostile file cannot exhaust the app, crash the
 * parser or bring invalid UTF-8 in (issue 14 "Local state"). */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A state file larger than this is not read (both files hold a few kB in normal use). */
#define DSL_STATE_FILE_MAX_SIZE (16 * 1024 * 1024)
/* A state file with more records than this is not loaded. */
#define DSL_STATE_FILE_MAX_RECORDS 100000
/* JSON nested deeper than this is not handed to json-glib (its parser recurses). */
#define DSL_STATE_FILE_MAX_DEPTH 32

/* Reads `path` whole when it is at most `max_size` bytes: the size is checked (fstat) before
 * anything is read, and reading stops past it. A missing file is G_FILE_ERROR_NOENT; a file
 * too large G_IO_ERROR_MESSAGE_TOO_LARGE (translated message); other errors G_FILE_ERROR. */
gboolean    dsl_state_file_read        (const char  *path,
                                        gsize        max_size,
                                        char       **contents,
                                        gsize       *length,
                                        GError     **error);

/* Parses `text` as JSON into a parser (transfer full), or NULL with G_FILE_ERROR_FAILED
 * (translated message). Invalid UTF-8 in the text and lone UTF-16 surrogate escapes
 * ("\ud800" without its pair) are replaced by U+FFFD first (`made_valid` TRUE);
 * JSON nested deeper than DSL_STATE_FILE_MAX_DEPTH is refused before json-glib sees it. */
JsonParser *dsl_state_file_parse       (const char  *text,
                                        gsize        length,
                                        gboolean    *made_valid,
                                        GError     **error);

/* `text` (nullable) as valid UTF-8 (transfer full): invalid sequences, such as json-glib's
 * decoding of a lone surrogate escape, become U+FFFD. Sets `*made_valid` (nullable) when a
 * change was made. */
char       *dsl_state_file_make_valid  (const char  *text,
                                        gboolean    *made_valid);

/* The member `member` of `object` when it is a JSON string, else NULL (never a CRITICAL). */
const char *dsl_state_file_get_string  (JsonObject  *object,
                                        const char  *member);
/* The member when it is a JSON integer (TRUE), else FALSE. */
gboolean    dsl_state_file_get_int     (JsonObject  *object,
                                        const char  *member,
                                        gint64      *out);

/* An ISO 8601 date as UTC, whole seconds (transfer full), or NULL when it does not parse or
 * has no UTC equivalent (e.g. 9999-12-31T23:59:59-23:59). */
GDateTime  *dsl_state_file_parse_date  (const char  *text);

/* `problems` (NULL-terminated, nullable) as one line for the window: the first three joined
 * with "; ", then "(and N more)"; NULL when there are none (transfer full). */
char       *dsl_state_file_join_problems (const char * const *problems);

/* Renames `path` to "<path>.corrupt-<UTC time>" so the next save does not overwrite it;
 * returns the new path (transfer full) or NULL with G_FILE_ERROR. */
char       *dsl_state_file_move_aside  (const char  *path,
                                        GError     **error);

/* Writes `length` bytes of `contents` to `path` atomically (a temporary file renamed over it,
 * g_file_set_contents_full with CONSISTENT, mode 0600), creating its directory (0700) first. */
/* The first 16 hex digits of sha256(account_key): names an account's files without its key. */
char       *dsl_state_file_hash_account (const char *account_key);
gboolean    dsl_state_file_write       (const char  *path,
                                        const char  *contents,
                                        gsize        length,
                                        GError     **error);

G_END_DECLS

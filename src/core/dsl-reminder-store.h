/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-reminder-store.h: which expiry reminders were sent, per account, so each link is reminded
 * at most once per expiry (issue 5 "Expiry reminders"), and when the account's link checkup
 * last ran. A small JSON file of the app's own; no secrets (link ids and dates only). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A link is due for a reminder when it expires within this span and has not expired yet. */
#define DSL_REMINDER_WINDOW (24 * G_TIME_SPAN_HOUR)
/* Entries whose expiry lies further back than this are dropped (dsl_reminder_store_prune). */
#define DSL_REMINDER_KEEP (30 * G_TIME_SPAN_DAY)

/* TRUE when `expires` (nullable: never expires → FALSE) is after `now` and at most
 * DSL_REMINDER_WINDOW after it. */
gboolean           dsl_reminder_expiry_is_due         (GDateTime  *expires,
                                                       GDateTime  *now);

#define DSL_TYPE_REMINDER_STORE (dsl_reminder_store_get_type ())
G_DECLARE_FINAL_TYPE (DslReminderStore, dsl_reminder_store, DSL, REMINDER_STORE, GObject)

/* g_get_user_data_dir()/docspace-links/reminders-<first 16 hex digits of sha256(key)>.json:
 * the account key ("<user id> <portal>") is not written in the file name. */
char              *dsl_reminder_store_path_for_account (const char *account_key);
/* The account's store at dsl_reminder_store_path_for_account (not loaded yet). */
DslReminderStore  *dsl_reminder_store_new             (const char *account_key);
DslReminderStore  *dsl_reminder_store_new_for_path    (const char *path);
const char        *dsl_reminder_store_get_path        (DslReminderStore *self);

/* Replaces the contents with the file's. A missing file is an empty store (TRUE).
 * A record that cannot be read (a member missing or of the wrong type, a date with no UTC
 * equivalent, …) is skipped and reported in the load problems ("record 3: …"); the others are
 * kept (TRUE); so is an unreadable "last-scan" (never). Text is made valid UTF-8 (reported).
 * A file written by a newer version (its "version" above ours) is read as far as this version
 * can and reported, and every save refuses to overwrite it (G_IO_ERROR_READ_ONLY).
 * A file that is not a reminder file at all (not JSON, another format, nested too deep, over
 * DSL_STATE_FILE_MAX_SIZE bytes or DSL_STATE_FILE_MAX_RECORDS records: never read whole)
 * leaves the store empty, is renamed to "<path>.corrupt-<UTC time>" (when the rename fails,
 * saves refuse instead) and gives G_FILE_ERROR_FAILED naming that file (FALSE; also a load
 * problem). A file that cannot be read at all gives the G_FILE_ERROR (FALSE; a problem too),
 * and saves refuse to replace it until a load works. */
gboolean           dsl_reminder_store_load            (DslReminderStore *self,
                                                       GError          **error);
/* What the last load skipped or could not read, one plain-text translated sentence each
 * (empty, never NULL, when the file was read whole; borrowed until the next load). */
const char * const *dsl_reminder_store_get_load_problems (DslReminderStore *self);
/* The load problems as one plain-text sentence for the window ("Not everything in the file of
 * expiry reminders sent could be read: record 2: …"; when the load read nothing, the sentence of its error), or
 * NULL when none. */
char              *dsl_reminder_store_describe_load_problems (DslReminderStore *self);
/* Atomic (g_file_set_contents_full, mode 0600); creates the directory. Refuses
 * (G_IO_ERROR_READ_ONLY) after a load of a newer version's file, of a file that could not be
 * read, or of a damaged file that could not be moved aside. */
gboolean           dsl_reminder_store_save            (DslReminderStore *self,
                                                       GError          **error);

/* TRUE when `link_id` was reminded for this very expiry (compared to the second). A link whose
 * expiry changed since is not "reminded" for the new one. */
gboolean           dsl_reminder_store_was_reminded    (DslReminderStore *self,
                                                       const char       *link_id,
                                                       GDateTime        *expires);
/* Records that `link_id` was reminded for `expires` at `now` (replacing an older record of the
 * link). Does not save. */
void               dsl_reminder_store_mark_reminded   (DslReminderStore *self,
                                                       const char       *link_id,
                                                       GDateTime        *expires,
                                                       GDateTime        *now);
guint              dsl_reminder_store_get_n_entries   (DslReminderStore *self);
/* Drops entries whose expiry is more than DSL_REMINDER_KEEP before `now`; returns how many. */
guint              dsl_reminder_store_prune           (DslReminderStore *self,
                                                       GDateTime        *now);

/* When the account's link checkup last ran to its end (NULL: never; transfer none). */
GDateTime         *dsl_reminder_store_get_last_scan   (DslReminderStore *self);
void               dsl_reminder_store_set_last_scan   (DslReminderStore *self,
                                                       GDateTime        *when);

G_END_DECLS

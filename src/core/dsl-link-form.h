/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-form.h: what the link sidebar and the link form say and check, without GTK:
 * links and their settings in words, expiry presets, validation of a link's state before it
 * is sent (docspace-api.md §4, §6), password generation, and which changes the server skipped.
 * All strings returned are translated (gettext domain "docspace-links"). */
#pragma once

#include <glib.h>

#include "dsl-item.h"
#include "dsl-link.h"

G_BEGIN_DECLS

/* --- Expiry presets (the link form and "Extend") --- */

typedef enum {
  DSL_EXPIRY_PRESET_12_HOURS,
  DSL_EXPIRY_PRESET_1_DAY,
  DSL_EXPIRY_PRESET_7_DAYS,
  DSL_EXPIRY_PRESET_30_DAYS,
  DSL_EXPIRY_PRESET_NEVER,
  DSL_EXPIRY_PRESET_CUSTOM,
} DslExpiryPreset;

#define DSL_N_EXPIRY_PRESETS (DSL_EXPIRY_PRESET_CUSTOM + 1)

/* "12 hours", "1 day", "7 days", "30 days", "Never", "Custom…" */
const char   *dsl_expiry_preset_label     (DslExpiryPreset preset);
/* `now` plus the preset's span, in `now`'s time zone; NULL for NEVER and CUSTOM. Days are
 * calendar days (the same wall-clock time N days later, also across a DST change). */
GDateTime    *dsl_expiry_preset_apply     (DslExpiryPreset preset,
                                           GDateTime      *now);

/* --- Defaults for new links: the nicks the GSettings keys "default-link-access" and
 * "default-expiry-preset" hold --- */

/* "view", "review", "comment", "fill-forms", "edit" for READ, REVIEW, COMMENT, FILL_FORMS,
 * EDITING (the access levels a link can have on a file, folder or room); NULL for any other. */
const char   *dsl_link_access_to_nick     (DslAccess        access);
/* The reverse; FALSE (and *access untouched) for an unknown nick or NULL. */
gboolean      dsl_link_access_from_nick   (const char      *nick,
                                           DslAccess       *access);
/* "12-hours", "1-day", "7-days", "30-days", "never"; NULL for CUSTOM (not a default). */
const char   *dsl_expiry_preset_to_nick   (DslExpiryPreset  preset);
/* The reverse; FALSE (and *preset untouched) for an unknown nick, "custom" or NULL. */
gboolean      dsl_expiry_preset_from_nick (const char      *nick,
                                           DslExpiryPreset *preset);

/* --- Validation (GError domain DSL_LINK_FORM_ERROR; messages are for the person, shown next
 * to the field) --- */

#define DSL_LINK_FORM_ERROR (dsl_link_form_error_quark ())
GQuark        dsl_link_form_error_quark   (void);

typedef enum {
  DSL_LINK_FORM_ERROR_TITLE_EMPTY,       /* "Enter a name for the link" */
  DSL_LINK_FORM_ERROR_TITLE_TOO_LONG,    /* "The name can have at most 255 characters" */
  DSL_LINK_FORM_ERROR_EXPIRY_PAST,       /* "Choose a time in the future" */
  DSL_LINK_FORM_ERROR_EXPIRY_TOO_FAR,    /* "Choose a date at most 10 years ahead" */
  DSL_LINK_FORM_ERROR_PASSWORD_EMPTY,    /* "Enter a password or turn the password off" */
  DSL_LINK_FORM_ERROR_PASSWORD_LENGTH,   /* "The password needs 8 to 30 characters" */
  DSL_LINK_FORM_ERROR_PASSWORD_CHARS,    /* "Use only Latin letters, digits and symbols, no spaces" */
  DSL_LINK_FORM_ERROR_ACCESS,            /* "This access is not available for this item" */
} DslLinkFormError;

/* Title: required after trimming, at most 255 characters (characters, not bytes; counted as
 * given, surrounding spaces included, so it holds whether or not the caller trims). */
gboolean      dsl_link_form_check_title    (const char  *title,
                                            GError     **error);
/* Expiry: NULL (never) is valid; otherwise strictly after `now` and at most 10 calendar years
 * after it (exactly now + 10 years is valid). */
gboolean      dsl_link_form_check_expiry   (GDateTime   *expiry,
                                            GDateTime   *now,
                                            GError     **error);
/* The portal's default policy (§6.6): 8–30 characters, printable ASCII (0x21–0x7E) only.
 * NULL or "" is PASSWORD_EMPTY; characters are checked before the length (so "abc def" is
 * PASSWORD_CHARS). The portal may be stricter: the server's 400 message is shown as well when
 * it refuses. */
gboolean      dsl_link_form_check_password (const char  *password,
                                            GError     **error);
/* A fresh 16-character password drawn from getrandom(2) (not g_random: it is not meant for
 * secrets), with at least one upper case letter, lower case letter, digit and symbol, all
 * printable ASCII without look-alikes (0/O, 1/l/I); passes dsl_link_form_check_password and
 * every character option of a portal policy (upper case, digits, special symbols, also the
 * reduced "ascii:cut" character set). A portal whose minimum length is above 16 refuses it
 * with a 400 like any other password. Release with dsl_link_form_free_password. */
char         *dsl_link_form_generate_password (void);
/* Overwrites the string with zeros, then frees it. NULL is fine. */
void          dsl_link_form_free_password  (char        *password);

/* Everything above for a whole link state about to be sent for `item`: title, expiry (only
 * when the link's expiry is editable, i.e. not the primary link of a Public or Form-filling
 * room itself, whose date the server drops), password when set (non-empty), access within
 * availableShareRights for the link's subject type (a primary link falls back to the
 * ExternalLink list when the server sent none for PrimaryExternalLink; with no list at all,
 * the roles §5 accepts for links). Access None (0, which deletes) always fails. The first
 * failure wins, in that order. */
gboolean      dsl_link_form_check          (DslItem     *item,
                                            DslLink     *state,
                                            GDateTime   *now,
                                            GError     **error);

/* --- In words --- */

/* "View only" (2), "Review" (5), "Comment" (6), "Form filling" (7), "Editing" (10),
 * "No access" (0); room roles for invitation links: "Room manager" (9), "Content creator" (11),
 * "Full access" (1); anything else "Custom access". */
const char   *dsl_link_describe_access     (DslAccess    access);
/* "Portal users only" (internal) / "Anyone with the link" */
const char   *dsl_link_describe_audience   (gboolean     internal);
/* NULL expiry: "Never expires" ("Expired" if is_expired). Expired (is_expired or expiry <= now):
 * "Expired today at 14:05" on `now`'s calendar day, else "Expired on 12 May" (with the year when
 * it is not `now`'s year: "Expired on 12 May 2025"). Future, by the time left (rounded down):
 *   under 1 minute           "Expires in less than a minute"
 *   under 1 hour             "Expires in 10 minutes"
 *   under 12 hours           "Expires in 5 hours" (even when that is tomorrow: a short span
 *                            reads better than a clock time)
 *   12 to 48 hours and on the next calendar day   "Expires tomorrow at 09:00"
 *   otherwise under 24 hours "Expires in 20 hours"
 *   otherwise                "Expires in 3 days" (whole days: 3 days 5 hours is 3 days)
 * Plural forms via ngettext. `expiry` is converted to `now`'s time zone; dates and times are
 * shown in it (24-hour "%H:%M"). */
char         *dsl_link_describe_expiry     (GDateTime   *expiry,
                                            gboolean     is_expired,
                                            GDateTime   *now);
/* The exact date for a tooltip: "Tuesday, 12 May 2026, 14:05 (UTC+03:00)" in `date`'s own
 * time zone (convert it first, e.g. with g_date_time_to_local, to show it in another). */
char         *dsl_link_format_exact_date   (GDateTime   *date);
/* What a message names: "Q3 report.docx" for the primary link (or a link without a name),
 * "Q3 report.docx — Partners" for another; "Untitled" for an item without a title. */
char         *dsl_link_format_share_title  (DslItem     *item,
                                            DslLink     *link);
/* "Copy as Message": what a person pastes into a mail or chat, one line each —
 *   “Q3 report.docx” (the item; “Q3 report.docx” — Partners for a link that is not primary)
 *   https://portal/s/abc
 *   Anyone with the link can open it: View only
 *   Expires on Tuesday, 12 May 2026, 14:05 (UTC+03:00)   (or "Does not expire")
 *   The password is sent separately.                     (only with a password)
 * The password itself is never in it. The expiry is shown in `now`'s time zone. */
char         *dsl_link_format_message      (DslItem     *item,
                                            DslLink     *link,
                                            GDateTime   *now);
/* "Copy as Rich Link": an HTML anchor for mail and chat, <a href="URL">TITLE</a>, with the
 * title as in the message's first line (without the quotes) and both escaped for HTML. */
char         *dsl_link_format_html         (DslItem     *item,
                                            DslLink     *link);

/* TRUE when the link expires within `days` (calendar) days from `now`, the end included, and
 * has not expired yet (not is_expired and expiry after `now`). */
gboolean      dsl_link_expires_within      (DslLink     *link,
                                            GDateTime   *now,
                                            int          days);

/* Why `item` cannot have external links here, or NULL when it can (canShare and not a room
 * type without links): "Collaboration rooms cannot have external links. Share the files in
 * this room instead.", "Virtual data rooms…", "AI rooms…", "You cannot manage the links of this
 * item: ask its owner or a room manager." */
const char   *dsl_link_form_explain_no_links (DslItem   *item);

/* How many more additional links `item` may have given the links it has now (primary and
 * invitation links not counted; `links` may be NULL), from shareSettings.ExternalLink, or -1
 * when the server sent no limit. Never below 0; 0 means "Add Link" is disabled. */
/* Why `item` cannot have a temporary link ("Share Temporarily": a View-only additional link),
 * or NULL when it can: what dsl_link_form_explain_no_links says; rooms other than custom and
 * public ones; files and folders in a form-filling room; items whose external links cannot be
 * View only. (Whether another link fits is dsl_link_form_links_left.) */
const char   *dsl_link_form_explain_no_temporary (DslItem   *item);
int           dsl_link_form_links_left     (DslItem     *item,
                                            GPtrArray   *links);
/* "This item can have at most %d additional links" (ngettext), for the disabled button's tooltip;
 * "This item cannot have additional links" for a limit of 0; NULL when the server sent none. */
char         *dsl_link_form_describe_limit (DslItem     *item);

/* The settings the server did not take: compares what was sent with what came back (title
 * ignoring surrounding spaces, access, audience, expiry to the minute (both never, or both in
 * the same minute), password (NULL and "" alike), download restriction) and returns a
 * NULL-terminated array (g_strfreev) of translated names of those that differ, in this order:
 * "name", "access", "audience", "expiry", "password", "download restriction"; or NULL when all
 * were taken. */
char        **dsl_link_form_skipped_changes (DslLink    *sent,
                                             DslLink    *stored);
/* "The portal did not change the audience and expiry of this link." built from the above (in
 * its order: "a", "a and b", "a, b and c"), or NULL when nothing was skipped. */
char         *dsl_link_form_describe_skipped (DslLink   *sent,
                                              DslLink   *stored);

G_END_DECLS

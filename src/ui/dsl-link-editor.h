/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-editor.h: the form that creates an additional external link or edits one (title,
 * access, audience, expiry, password, download restriction), validated as the person types,
 * sending the request itself so the server's refusal is shown next to the field it concerns. */
#pragma once

#include <adwaita.h>

#include "dsl-client.h"
#include "dsl-item.h"
#include "dsl-link.h"
#include "dsl-link-guard.h"
#include "dsl-session.h"

G_BEGIN_DECLS

#define DSL_TYPE_LINK_EDITOR (dsl_link_editor_get_type ())
G_DECLARE_FINAL_TYPE (DslLinkEditor, dsl_link_editor, DSL, LINK_EDITOR, AdwWindow)

/* A modal window transient for `parent`. `link` NULL: "New Link" (PUT …/links without linkId,
 * defaults: title "Link N"; the access of "default-link-access" (Preferences) when the item
 * offers it, else Read if offered, else the first of availableShareRights.ExternalLink;
 * anyone; the expiry preset of "default-expiry-preset"; the password switch on, its field
 * empty, with "default-password-required" — without the settings schema: Read, 7 days, no
 * password. The settings are the session's (`session`, nullable), or without a session the
 * schema's from the default source); otherwise "Edit Link" on a copy of `link` (its state,
 * password included, as listed). Save of an edit applies only the settings the person changed to the
 * portal's current state (dsl_link_ops_change_async with dsl_link_change_new_from_states: the
 * link as opened against the form), so what someone else changed meanwhile stays. When someone
 * else changed a setting the person changed too, nothing is sent and the editor asks above the
 * form, with both values: Save reads "Save Anyway" (the person's values over the portal's
 * current ones, dsl_link_change_accept_current) and Cancel closes. A link removed meanwhile is
 * said to be "removed by someone else", what was typed stays. A new link is made by
 * dsl_link_ops_create_async (known ids: the links read at opening), so a create that times out
 * is found by reading the list again. The window closes itself on success unless
 * the server skipped a change, in which case it stays open saying which (Close then closes).
 * Accessible names (the e2e tests use them): "Link name" (entry), "Access" (combo),
 * "Portal users only" (switch), "Expires" (combo: 12 hours, 1 day, 7 days, 30 days, Never,
 * Custom…), "Expiry date" (entry "YYYY-MM-DD HH:MM", shown for Custom…), "Require password"
 * (switch), "Password" (password entry), "Generate Password" (button), "Restrict download"
 * (switch), "Cancel" and "Save" (buttons). Escape = Cancel; Ctrl+Return / Enter = Save.
 * `parent` may be NULL. A new link's "Link N" counts the item's additional links: the editor
 * reads them once (GET …/links; N = their number + 1, skipping a name already taken) and says
 * at once when the item has no links left (dsl_link_form_links_left); if that read fails the
 * name stays "Link 1". Controls the link's can-edit flags lock (for a new link: what the room
 * forces, §6.5) are insensitive with a subtitle saying why.
 * Properties: "client", "item", "link" (construct-only; "link" is copied), "busy" (read-only:
 * a save is in flight). Actions: "editor.save" (Close once saved with skipped changes),
 * "editor.cancel", "editor.generate-password". */
DslLinkEditor *dsl_link_editor_new      (GtkWindow  *parent,
                                         DslSession *session,
                                         DslClient  *client,
                                         DslItem    *item,
                                         DslLink    *link);
/* "Share Temporarily": a new View-only link that must expire (Never is refused: a default
 * expiry preset of "never" gives 7 days here; "default-password-required" applies), with an
 * optional password and an optional download limit that the app enforces itself through the
 * audit trail (DslLinkGuard). The editor first asks the guard whether this account can count
 * downloads (dsl_link_guard_probe_audit_async); until it knows, and when it cannot (not an
 * administrator, a plan without audit, 402/403), "Limit downloads" is off and insensitive,
 * its subtitle saying why. Save reads "Create and Copy"; once the portal stored the link it is
 * added to the guard's store (link id, item, limit — 0 for expiry only —, the time the request
 * was sent, expiry; never the password) and saved, before "saved" is emitted. The create is
 * not cancelled with the window: closed or cancelled while it runs, it goes on (holding the
 * guard, not the editor), and the link it makes — or that a create timed out after made, found
 * by reading the list again — is guarded all the same. When the guard's record cannot be saved
 * the person is told what that means (dsl_guarded_link_describe_save_error: the download limit
 * is not being enforced, or the link will not be revoked when it expires): above the form (the
 * editor then stays open with Close), or, the editor closed, through the session's monitor
 * (dsl_link_monitor_report_store_error: a toast in the window that follows it; without a
 * session: a toast in the parent's first AdwToastOverlay). A create that succeeds after its editor closed is said
 * in a toast there too. Accessible names besides the above: "Limit downloads" (switch),
 * "Download limit" (spin button). */
DslLinkEditor *dsl_link_editor_new_temporary (GtkWindow    *parent,
                                              DslSession   *session,
                                              DslClient    *client,
                                              DslItem      *item,
                                              DslLinkGuard *guard,
                                              const char   *account_key);
/* TRUE for an editor made by dsl_link_editor_new_temporary. */
gboolean       dsl_link_editor_is_temporary (DslLinkEditor *self);
/* Share Temporarily: whether the download limit is offered (the audit probe succeeded);
 * "notify::guard" is emitted when the probe answers. */
gboolean       dsl_link_editor_get_limit_allowed (DslLinkEditor *self);

/* The link being edited (a copy), or NULL for a new one; after a save, a copy of what the
 * portal stored. */
DslLink       *dsl_link_editor_get_link (DslLinkEditor *self);

/* Signals:
 *  "saved" (DslLink *stored, gboolean created): the server's answer, after a successful save;
 *  also when the portal skipped a change (the window then stays open saying which, with
 *  Close), so the listener always updates its list. Not emitted for a failed save, nor when
 *  Cancel/Escape stops waiting for one (the portal may still apply it: re-read on close).
 *  The editor never sends a request twice: a timeout (of a create: one the list read again
 *  does not explain) is reported as "The portal did not answer in time. Check the link list
 *  before trying again." and the listener re-reads the list. */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-link-ops.c: see dsl-link-ops.h.
 *
 *   change: GET the item's links ──▶ the link by id (gone ─▶ LINK_GONE)
 *             ──▶ the changed fields still as the person saw them? (no ─▶ LINK_CONFLICT + current)
 *             ──▶ current state + only the change ──▶ PUT …/links (invitation: rooms' type 0)
 *             ──▶ answer == sent? (no ─▶ NOT_APPLIED naming what was skipped) ──▶ "link-stored"
 *   remove: GET the item's links ──▶ the link by id (gone ─▶ LINK_GONE)
 *             ──▶ the removal from the current state (an expired link extended since ─▶
 *                 LINK_CONFLICT) ──▶ PUT with access 0 and the current state ──▶ "link-stored"
 *   create: PUT / POST / GET ──▶ timed out or lost in transport ──▶ GET the links again ──▶ a
 *             new link with the title sent is the one created */
#define G_LOG_DOMAIN "dsl-link-ops"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "dsl-link-form.h"
#include "dsl-link-ops.h"
#include "dsl-link-rules.h"

/* --- Which removal applies --- */

DslLinkRemoval
dsl_link_ops_removal (DslItem   *item,
                      DslLink   *link,
                      GDateTime *now)
{
  g_autoptr(GDateTime) owned_now = NULL;

  g_return_val_if_fail (DSL_IS_ITEM (item), DSL_LINK_REMOVAL_NOT_ALLOWED);
  g_return_val_if_fail (DSL_IS_LINK (link), DSL_LINK_REMOVAL_NOT_ALLOWED);

  if (now == NULL)
    now = owned_now = g_date_time_new_now_utc ();

  if (!dsl_link_rules_can_remove (item, link))
    return DSL_LINK_REMOVAL_NOT_ALLOWED;
  if (dsl_link_is_invitation (link))
    return DSL_LINK_REMOVAL_INVITATION;
  if (dsl_link_get_can_revoke (link))
    return DSL_LINK_REMOVAL_REGENERATE;
  if (dsl_link_is_expired_at (link, now))
    return DSL_LINK_REMOVAL_REMOVE_EXPIRED;
  return DSL_LINK_REMOVAL_REVOKE;
}

const DslLinkRemovalWords *
dsl_link_ops_removal_words (DslLinkRemoval removal)
{
  /* Filled on each call: the words follow the current translation. Main thread only. */
  static DslLinkRemovalWords words;

  switch (removal)
    {
    case DSL_LINK_REMOVAL_REVOKE:
      words.heading = _("Revoke Link?");
      words.body = _("Anyone using this link will lose access. This cannot be undone.");
      words.verb = _("_Revoke");
      words.action = _("Revoke link");
      words.done = _("Link revoked");
      break;
    case DSL_LINK_REMOVAL_REGENERATE:
      words.heading = _("Revoke Link?");
      words.body = _("Anyone using this link will lose access. A new link replaces it.");
      words.verb = _("_Revoke");
      words.action = _("Revoke link");
      words.done = _("Link revoked. A new link replaces it.");
      break;
    case DSL_LINK_REMOVAL_REMOVE_EXPIRED:
      words.heading = _("Remove Expired Link?");
      words.body = _("The link no longer works; removing it takes it off the list. This cannot be "
                     "undone.");
      words.verb = _("_Remove");
      words.action = _("Remove expired link");
      words.done = _("Link removed");
      break;
    case DSL_LINK_REMOVAL_INVITATION:
      words.heading = _("Delete Invitation Link?");
      words.body = _("People who have not used it yet can no longer join the room with it. This "
                     "cannot be undone.");
      words.verb = _("_Delete");
      words.action = _("Delete invitation link");
      words.done = _("Invitation link deleted");
      break;
    case DSL_LINK_REMOVAL_NOT_ALLOWED:
    default:
      return NULL;
    }
  return &words;
}

/* --- The intended change --- */

struct _DslLinkChange
{
  char          *link_id;
  DslLinkFields  fields;
  gboolean       extend;
  /* wanted values */
  char          *title;
  DslAccess      access;
  GDateTime     *expiry;          /* nullable: never */
  char          *password;        /* nullable: none; a secret */
  gboolean       internal;
  gboolean       deny_download;
  /* what the person saw */
  DslLink       *seen;            /* nullable */
  gboolean       expect_expiry;
  GDateTime     *seen_expiry;     /* nullable: never (with expect_expiry) */
};

DslLinkChange *
dsl_link_change_new_for_id (const char *link_id)
{
  DslLinkChange *change;

  g_return_val_if_fail (link_id != NULL && *link_id != '\0', NULL);

  change = g_new0 (DslLinkChange, 1);
  change->link_id = g_strdup (link_id);
  return change;
}

DslLinkChange *
dsl_link_change_new (DslLink *seen)
{
  DslLinkChange *change;

  g_return_val_if_fail (DSL_IS_LINK (seen), NULL);
  g_return_val_if_fail (dsl_link_get_id (seen) != NULL, NULL);

  change = dsl_link_change_new_for_id (dsl_link_get_id (seen));
  change->seen = dsl_link_copy (seen);
  return change;
}

static gboolean
same_date (GDateTime *a,
           GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_to_unix (a) == g_date_time_to_unix (b);
}

static gboolean
same_password (const char *a,
               const char *b)
{
  if (a != NULL && *a == '\0')
    a = NULL;
  if (b != NULL && *b == '\0')
    b = NULL;
  return g_strcmp0 (a, b) == 0;
}

DslLinkChange *
dsl_link_change_new_from_states (DslLink *seen,
                                 DslLink *wanted)
{
  DslLinkChange *change;

  g_return_val_if_fail (DSL_IS_LINK (seen), NULL);
  g_return_val_if_fail (DSL_IS_LINK (wanted), NULL);

  change = dsl_link_change_new (seen);
  if (g_strcmp0 (dsl_link_get_title (seen), dsl_link_get_title (wanted)) != 0)
    dsl_link_change_set_title (change, dsl_link_get_title (wanted));
  if (dsl_link_get_access (seen) != dsl_link_get_access (wanted))
    dsl_link_change_set_access (change, dsl_link_get_access (wanted));
  if (!same_date (dsl_link_get_expiration_date (seen), dsl_link_get_expiration_date (wanted)))
    dsl_link_change_set_expiry (change, dsl_link_get_expiration_date (wanted));
  if (!same_password (dsl_link_get_password (seen), dsl_link_get_password (wanted)))
    dsl_link_change_set_password (change, dsl_link_get_password (wanted));
  if (dsl_link_get_internal (seen) != dsl_link_get_internal (wanted))
    dsl_link_change_set_internal (change, dsl_link_get_internal (wanted));
  if (dsl_link_get_deny_download (seen) != dsl_link_get_deny_download (wanted))
    dsl_link_change_set_deny_download (change, dsl_link_get_deny_download (wanted));
  return change;
}

DslLinkChange *
dsl_link_change_copy (DslLinkChange *change)
{
  DslLinkChange *copy;

  g_return_val_if_fail (change != NULL, NULL);

  copy = g_new0 (DslLinkChange, 1);
  *copy = *change;
  copy->link_id = g_strdup (change->link_id);
  copy->title = g_strdup (change->title);
  copy->expiry = change->expiry != NULL ? g_date_time_ref (change->expiry) : NULL;
  copy->password = g_strdup (change->password);
  copy->seen = change->seen != NULL ? dsl_link_copy (change->seen) : NULL;
  copy->seen_expiry = change->seen_expiry != NULL ? g_date_time_ref (change->seen_expiry) : NULL;
  return copy;
}

void
dsl_link_change_free (DslLinkChange *change)
{
  if (change == NULL)
    return;
  g_free (change->link_id);
  g_free (change->title);
  g_clear_pointer (&change->expiry, g_date_time_unref);
  dsl_link_form_free_password (change->password);
  g_clear_object (&change->seen);
  g_clear_pointer (&change->seen_expiry, g_date_time_unref);
  g_free (change);
}

const char *
dsl_link_change_get_link_id (DslLinkChange *change)
{
  g_return_val_if_fail (change != NULL, NULL);
  return change->link_id;
}

DslLinkFields
dsl_link_change_get_fields (DslLinkChange *change)
{
  g_return_val_if_fail (change != NULL, 0);
  return change->fields;
}

gboolean
dsl_link_change_is_extend (DslLinkChange *change)
{
  g_return_val_if_fail (change != NULL, FALSE);
  return change->extend;
}

void
dsl_link_change_set_title (DslLinkChange *change,
                           const char    *title)
{
  g_return_if_fail (change != NULL);
  g_free (change->title);
  change->title = g_strdup (title);
  change->fields |= DSL_LINK_FIELD_TITLE;
}

void
dsl_link_change_set_access (DslLinkChange *change,
                            DslAccess      access)
{
  g_return_if_fail (change != NULL);
  change->access = access;
  change->fields |= DSL_LINK_FIELD_ACCESS;
}

void
dsl_link_change_set_expiry (DslLinkChange *change,
                            GDateTime     *expiry)
{
  g_return_if_fail (change != NULL);
  g_clear_pointer (&change->expiry, g_date_time_unref);
  change->expiry = expiry != NULL ? g_date_time_ref (expiry) : NULL;
  change->extend = FALSE;
  change->fields |= DSL_LINK_FIELD_EXPIRY;
}

void
dsl_link_change_extend (DslLinkChange *change)
{
  g_return_if_fail (change != NULL);
  g_clear_pointer (&change->expiry, g_date_time_unref);
  change->extend = TRUE;
  change->fields |= DSL_LINK_FIELD_EXPIRY;
}

void
dsl_link_change_set_password (DslLinkChange *change,
                              const char    *password)
{
  g_return_if_fail (change != NULL);
  dsl_link_form_free_password (change->password);
  change->password = password != NULL && *password != '\0' ? g_strdup (password) : NULL;
  change->fields |= DSL_LINK_FIELD_PASSWORD;
}

void
dsl_link_change_set_internal (DslLinkChange *change,
                              gboolean       internal)
{
  g_return_if_fail (change != NULL);
  change->internal = internal;
  change->fields |= DSL_LINK_FIELD_INTERNAL;
}

void
dsl_link_change_set_deny_download (DslLinkChange *change,
                                   gboolean       deny)
{
  g_return_if_fail (change != NULL);
  change->deny_download = deny;
  change->fields |= DSL_LINK_FIELD_DENY_DOWNLOAD;
}

void
dsl_link_change_expect_expiry (DslLinkChange *change,
                               GDateTime     *seen_expiry)
{
  g_return_if_fail (change != NULL);
  g_clear_pointer (&change->seen_expiry, g_date_time_unref);
  change->seen_expiry = seen_expiry != NULL ? g_date_time_ref (seen_expiry) : NULL;
  change->expect_expiry = TRUE;
}

void
dsl_link_change_accept_current (DslLinkChange *change,
                                DslLink       *current)
{
  g_return_if_fail (change != NULL);
  g_return_if_fail (DSL_IS_LINK (current));

  g_clear_object (&change->seen);
  change->seen = dsl_link_copy (current);
  if (change->expect_expiry)
    dsl_link_change_expect_expiry (change, dsl_link_get_expiration_date (current));
}

/* The expiry an extend gives `current`: seven calendar days after its expiry, or after now
 * when that has passed, in the expiry's own offset; NULL for a link that does not expire. */
static GDateTime *
extended_expiry (GDateTime *expiry,
                 GDateTime *now)
{
  g_autoptr(GDateTime) base = NULL;

  if (expiry == NULL)
    return NULL;
  if (g_date_time_compare (expiry, now) > 0)
    base = g_date_time_ref (expiry);
  else
    base = g_date_time_to_timezone (now, g_date_time_get_timezone (expiry));
  return g_date_time_add_days (base, 7);
}

DslLink *
dsl_link_change_apply (DslLinkChange *change,
                       DslLink       *current,
                       GDateTime     *now)
{
  g_autoptr(GDateTime) owned_now = NULL;
  g_autoptr(DslLink) state = NULL;

  g_return_val_if_fail (change != NULL, NULL);
  g_return_val_if_fail (DSL_IS_LINK (current), NULL);

  if (now == NULL)
    now = owned_now = g_date_time_new_now_utc ();

  state = dsl_link_copy (current);
  if (change->fields & DSL_LINK_FIELD_TITLE)
    dsl_link_set_title (state, change->title);
  if (change->fields & DSL_LINK_FIELD_ACCESS)
    dsl_link_set_access (state, change->access);
  if (change->fields & DSL_LINK_FIELD_EXPIRY)
    {
      g_autoptr(GDateTime) expiry = NULL;

      if (change->extend)
        {
          expiry = extended_expiry (dsl_link_get_expiration_date (current), now);
          if (expiry == NULL)
            return NULL;
        }
      else if (change->expiry != NULL)
        expiry = g_date_time_ref (change->expiry);
      dsl_link_set_expiration_date (state, expiry);
      dsl_link_set_is_expired (state, expiry != NULL && g_date_time_compare (expiry, now) <= 0);
    }
  if (change->fields & DSL_LINK_FIELD_PASSWORD)
    dsl_link_set_password (state, change->password);
  if (change->fields & DSL_LINK_FIELD_INTERNAL)
    dsl_link_set_internal (state, change->internal);
  if (change->fields & DSL_LINK_FIELD_DENY_DOWNLOAD)
    dsl_link_set_deny_download (state, change->deny_download);
  return g_steal_pointer (&state);
}

/* --- Conflicts: a field being changed that someone else changed since it was seen --- */

static char *
describe_date (GDateTime *date)
{
  return date != NULL ? dsl_link_format_exact_date (date) : g_strdup (_("never"));
}

static const char *
describe_downloads (gboolean deny)
{
  return deny ? _("downloads blocked") : _("downloads allowed");
}

/* Appends one sentence per changed field to `text`. Only fields the change touches count,
 * and not when the server already has the value wanted (someone made the same change). */
static void
collect_conflicts (DslLinkChange *change,
                   DslLink       *current,
                   GString       *text)
{
  DslLink *seen = change->seen;
  g_autofree char *sentence = NULL;

#define ADD(s) G_STMT_START { if (text->len > 0) g_string_append_c (text, ' '); \
                              g_string_append (text, (s)); } G_STMT_END

  if ((change->fields & DSL_LINK_FIELD_EXPIRY) && (seen != NULL || change->expect_expiry))
    {
      GDateTime *was = seen != NULL ? dsl_link_get_expiration_date (seen) : change->seen_expiry;
      GDateTime *is = dsl_link_get_expiration_date (current);
      gboolean wanted_already = !change->extend && same_date (is, change->expiry);

      if (change->expect_expiry)
        was = change->seen_expiry;
      if (!same_date (was, is) && !wanted_already)
        {
          g_autofree char *a = describe_date (was);
          g_autofree char *b = describe_date (is);

          /* Translators: both %s are dates, or "never" */
          sentence = g_strdup_printf (_("Someone else changed when this link expires: you saw "
                                        "%s, it is now %s."), a, b);
          ADD (sentence);
          g_clear_pointer (&sentence, g_free);
        }
    }
  if (seen == NULL)
    return;
  if ((change->fields & DSL_LINK_FIELD_TITLE) &&
      g_strcmp0 (dsl_link_get_title (seen), dsl_link_get_title (current)) != 0 &&
      g_strcmp0 (change->title, dsl_link_get_title (current)) != 0)
    {
      /* Translators: both %s are names of a link */
      sentence = g_strdup_printf (_("Someone else renamed this link: you saw “%s”, it is now "
                                    "“%s”."),
                                  dsl_link_get_title (seen) != NULL ? dsl_link_get_title (seen) : "",
                                  dsl_link_get_title (current) != NULL
                                    ? dsl_link_get_title (current) : "");
      ADD (sentence);
      g_clear_pointer (&sentence, g_free);
    }
  if ((change->fields & DSL_LINK_FIELD_ACCESS) &&
      dsl_link_get_access (seen) != dsl_link_get_access (current) &&
      change->access != dsl_link_get_access (current))
    {
      /* Translators: both %s are access levels, "View only", "Editing" */
      sentence = g_strdup_printf (_("Someone else changed what this link allows: you saw %s, "
                                    "it is now %s."),
                                  dsl_link_describe_access (dsl_link_get_access (seen)),
                                  dsl_link_describe_access (dsl_link_get_access (current)));
      ADD (sentence);
      g_clear_pointer (&sentence, g_free);
    }
  if ((change->fields & DSL_LINK_FIELD_PASSWORD) &&
      !same_password (dsl_link_get_password (seen), dsl_link_get_password (current)) &&
      !same_password (change->password, dsl_link_get_password (current)))
    {
      const char *is_set = dsl_link_get_password (current);

      /* Never the passwords themselves. */
      ADD (is_set != NULL && *is_set != '\0'
           ? _("Someone else changed the password of this link.")
           : _("Someone else removed the password of this link."));
    }
  if ((change->fields & DSL_LINK_FIELD_INTERNAL) &&
      dsl_link_get_internal (seen) != dsl_link_get_internal (current) &&
      change->internal != dsl_link_get_internal (current))
    {
      /* Translators: both %s are audiences, "Anyone with the link", "Portal users only" */
      sentence = g_strdup_printf (_("Someone else changed who can open this link: you saw "
                                    "“%s”, it is now “%s”."),
                                  dsl_link_describe_audience (dsl_link_get_internal (seen)),
                                  dsl_link_describe_audience (dsl_link_get_internal (current)));
      ADD (sentence);
      g_clear_pointer (&sentence, g_free);
    }
  if ((change->fields & DSL_LINK_FIELD_DENY_DOWNLOAD) &&
      dsl_link_get_deny_download (seen) != dsl_link_get_deny_download (current) &&
      change->deny_download != dsl_link_get_deny_download (current))
    {
      /* Translators: both %s are "downloads allowed" or "downloads blocked" */
      sentence = g_strdup_printf (_("Someone else changed whether this link allows downloads: "
                                    "you saw %s, it is now %s."),
                                  describe_downloads (dsl_link_get_deny_download (seen)),
                                  describe_downloads (dsl_link_get_deny_download (current)));
      ADD (sentence);
      g_clear_pointer (&sentence, g_free);
    }
#undef ADD
}

char *
dsl_link_change_describe_conflict (DslLinkChange *change,
                                   DslLink       *current)
{
  GString *text;

  g_return_val_if_fail (change != NULL, NULL);
  g_return_val_if_fail (DSL_IS_LINK (current), NULL);

  text = g_string_new (NULL);
  collect_conflicts (change, current, text);
  if (text->len == 0)
    {
      g_string_free (text, TRUE);
      return NULL;
    }
  return g_string_free (text, FALSE);
}

/* --- The operations --- */

typedef enum {
  OP_CHANGE,
  OP_REMOVE,
  OP_CREATE,
} OpKind;

typedef struct {
  OpKind          op;
  DslItemKind     kind;
  char           *item_id;
  DslItem        *item;          /* OP_REMOVE, OP_CREATE */
  char           *link_id;
  DslLinkChange  *change;        /* OP_CHANGE */
  DslLink        *seen;          /* OP_REMOVE */
  DslLink        *state;         /* OP_CREATE: what was asked for */
  GStrv           known_ids;     /* OP_CREATE */
  GError         *first_error;   /* OP_CREATE: the create's own failure */
  DslLink        *sent;          /* what was sent */
  DslLink        *current;       /* the server's state, as last read */
  DslLinkRemoval  removal;
  DslLink        *replacement;
  gboolean        reconciled;
} OpData;

static void
op_data_free (OpData *data)
{
  g_free (data->item_id);
  g_clear_object (&data->item);
  g_free (data->link_id);
  g_clear_pointer (&data->change, dsl_link_change_free);
  g_clear_object (&data->seen);
  g_clear_object (&data->state);
  g_strfreev (data->known_ids);
  g_clear_error (&data->first_error);
  g_clear_object (&data->sent);
  g_clear_object (&data->current);
  g_clear_object (&data->replacement);
  g_free (data);
}

static OpData *
op_data_of (GTask *task)
{
  return g_task_get_task_data (task);
}

/* The answer to an operation: the link it leaves (or NULL); *current and *replacement copied
 * out by the _finish functions. */
typedef struct {
  DslLink        *link;
  DslLink        *current;
  DslLink        *replacement;
  DslLinkRemoval  removal;
  gboolean        reconciled;
} OpResult;

static void
op_result_free (OpResult *result)
{
  g_clear_object (&result->link);
  g_clear_object (&result->current);
  g_clear_object (&result->replacement);
  g_free (result);
}

static void
op_return (GTask   *task,
           DslLink *link)
{
  OpData *data = op_data_of (task);
  OpResult *result = g_new0 (OpResult, 1);

  result->link = link != NULL ? g_object_ref (link) : NULL;
  result->replacement = data->replacement != NULL ? g_object_ref (data->replacement) : NULL;
  result->removal = data->removal;
  result->reconciled = data->reconciled;
  g_task_return_pointer (task, result, (GDestroyNotify) op_result_free);
}

/* An error, keeping the server's current state of the link for the caller (conflicts and
 * skipped changes carry it in the task data, which _finish reads). */
static void
op_return_error (GTask  *task,
                 GError *error)
{
  g_task_return_error (task, error);
}

static void
gone (GTask *task)
{
  op_return_error (task, g_error_new_literal (DSL_ERROR, DSL_ERROR_LINK_GONE,
                                              _("This link is no longer on the portal: "
                                                "someone else removed it.")));
}

static DslLink *
find_by_id (GPtrArray  *links,
            const char *id)
{
  for (guint i = 0; i < links->len; i++)
    if (g_strcmp0 (dsl_link_get_id (links->pdata[i]), id) == 0)
      return links->pdata[i];
  return NULL;
}

static int
room_link_type (DslItemKind kind)
{
  /* Rooms: every link, invitation and external, in one call. */
  return kind == DSL_ITEM_KIND_ROOM ? -1 : 0;
}

static void
emit_stored (DslClient  *client,
             OpData     *data,
             const char *link_id,
             DslLink    *stored)
{
  dsl_client_emit_link_stored (client, data->kind, data->item_id, link_id, stored);
}

/* change */

static void
change_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = op_data_of (task);
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslLink) stored = NULL;
  g_autofree char *skipped = NULL;
  GError *error = NULL;

  if (g_async_result_is_tagged (result, dsl_client_set_invitation_link_async))
    stored = dsl_client_set_invitation_link_finish (client, result, &error);
  else
    stored = dsl_client_update_link_finish (client, result, &error);
  if (stored == NULL)
    {
      op_return_error (task, error);
      return;
    }

  emit_stored (client, data, data->link_id, stored);

  /* The server skips changes it may not make without saying so (§6.2): compare. */
  skipped = dsl_link_form_describe_skipped (data->sent, stored);
  if (skipped != NULL)
    {
      g_set_object (&data->current, stored);
      op_return_error (task, g_error_new_literal (DSL_ERROR, DSL_ERROR_NOT_APPLIED, skipped));
      return;
    }
  op_return (task, stored);
}

static void
change_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = op_data_of (task);
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(GPtrArray) links = NULL;
  g_autofree char *conflict = NULL;
  DslLink *current;
  GError *error = NULL;

  links = dsl_client_list_links_finish (client, result, &error);
  if (links == NULL)
    {
      op_return_error (task, error);
      return;
    }
  current = find_by_id (links, data->link_id);
  if (current == NULL)
    {
      emit_stored (client, data, data->link_id, NULL);
      gone (task);
      return;
    }
  g_set_object (&data->current, current);

  conflict = dsl_link_change_describe_conflict (data->change, current);
  if (conflict != NULL)
    {
      op_return_error (task, g_error_new_literal (DSL_ERROR, DSL_ERROR_LINK_CONFLICT, conflict));
      return;
    }

  data->sent = dsl_link_change_apply (data->change, current, NULL);
  if (data->sent == NULL)
    {
      op_return_error (task, g_error_new_literal (DSL_ERROR, DSL_ERROR_NOT_APPLIED,
                                                  _("This link does not expire, so it was not "
                                                    "extended.")));
      return;
    }
  if (dsl_link_state_equal (data->sent, current))
    {
      /* Nothing to send: the server already has it (someone made the same change). */
      op_return (task, current);
      return;
    }

  if (dsl_link_is_invitation (current))
    dsl_client_set_invitation_link_async (client, data->item_id, data->sent,
                                          g_task_get_cancellable (task), change_sent_cb,
                                          g_object_ref (task));
  else
    dsl_client_update_link_async (client, data->kind, data->item_id, data->sent,
                                  g_task_get_cancellable (task), change_sent_cb,
                                  g_object_ref (task));
}

void
dsl_link_ops_change_async (DslClient           *client,
                           DslItemKind          kind,
                           const char          *item_id,
                           DslLinkChange       *change,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *data;

  g_return_if_fail (DSL_IS_CLIENT (client));
  g_return_if_fail (kind <= DSL_ITEM_KIND_ROOM);
  g_return_if_fail (item_id != NULL);
  g_return_if_fail (change != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_link_ops_change_async);
  data = g_new0 (OpData, 1);
  data->op = OP_CHANGE;
  data->kind = kind;
  data->item_id = g_strdup (item_id);
  data->link_id = g_strdup (change->link_id);
  data->change = dsl_link_change_copy (change);
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);

  dsl_client_list_links_async (client, kind, item_id, room_link_type (kind), cancellable,
                               change_read_cb, g_steal_pointer (&task));
}

/* Copies the server's state kept by a failed operation to *current. */
static void
take_current (GAsyncResult  *result,
              const GError  *error,
              DslLink      **current)
{
  OpData *data = op_data_of (G_TASK (result));

  if (current == NULL)
    return;
  *current = NULL;
  if (data->current != NULL &&
      (g_error_matches (error, DSL_ERROR, DSL_ERROR_LINK_CONFLICT) ||
       g_error_matches (error, DSL_ERROR, DSL_ERROR_NOT_APPLIED)))
    *current = g_object_ref (data->current);
}

DslLink *
dsl_link_ops_change_finish (DslClient     *client,
                            GAsyncResult  *result,
                            DslLink      **current,
                            GError       **error)
{
  OpResult *answer;
  GError *local = NULL;
  DslLink *link;

  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_link_ops_change_async), NULL);

  answer = g_task_propagate_pointer (G_TASK (result), &local);
  if (answer == NULL)
    {
      take_current (result, local, current);
      g_propagate_error (error, local);
      return NULL;
    }
  if (current != NULL)
    *current = NULL;
  link = g_steal_pointer (&answer->link);
  op_result_free (answer);
  return link;
}

/* remove */

static void
remove_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = op_data_of (task);
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslLink) replacement = NULL;
  GError *error = NULL;
  gboolean ok;

  switch (data->removal)
    {
    case DSL_LINK_REMOVAL_INVITATION:
      ok = dsl_client_delete_invitation_link_finish (client, result, &error);
      break;
    case DSL_LINK_REMOVAL_REGENERATE:
      replacement = dsl_client_revoke_link_finish (client, result, &error);
      ok = replacement != NULL;
      break;
    case DSL_LINK_REMOVAL_REVOKE:
    case DSL_LINK_REMOVAL_REMOVE_EXPIRED:
    case DSL_LINK_REMOVAL_NOT_ALLOWED:
    default:
      ok = dsl_client_delete_link_finish (client, result, &replacement, &error);
      break;
    }
  if (!ok)
    {
      op_return_error (task, error);
      return;
    }

  emit_stored (client, data, data->link_id, NULL);
  if (replacement != NULL)
    {
      emit_stored (client, data, dsl_link_get_id (replacement), replacement);
      g_set_object (&data->replacement, replacement);
    }
  op_return (task, NULL);
}

static void
remove_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = op_data_of (task);
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  DslLinkRemoval was;
  DslLink *current;
  GError *error = NULL;

  links = dsl_client_list_links_finish (client, result, &error);
  if (links == NULL)
    {
      op_return_error (task, error);
      return;
    }
  current = find_by_id (links, data->link_id);
  if (current == NULL)
    {
      emit_stored (client, data, data->link_id, NULL);
      gone (task);
      return;
    }
  g_set_object (&data->current, current);

  was = dsl_link_ops_removal (data->item, data->seen, now);
  data->removal = dsl_link_ops_removal (data->item, current, now);

  if (was == DSL_LINK_REMOVAL_REMOVE_EXPIRED && data->removal != DSL_LINK_REMOVAL_REMOVE_EXPIRED)
    {
      g_autofree char *date = describe_date (dsl_link_get_expiration_date (current));

      /* Someone extended it since: removing "an expired link" would cut a working one. */
      op_return_error (task,
                       g_error_new (DSL_ERROR, DSL_ERROR_LINK_CONFLICT,
                                    /* Translators: %s is a date, or "never" */
                                    _("Someone else extended this link since you saw it: it "
                                      "expires %s now, so it was not removed."), date));
      return;
    }
  if (data->removal == DSL_LINK_REMOVAL_NOT_ALLOWED)
    {
      op_return_error (task, g_error_new_literal (DSL_ERROR, DSL_ERROR_FORBIDDEN,
                                                  dsl_link_rules_explain_no_remove (data->item,
                                                                                    current)));
      return;
    }

  data->sent = g_object_ref (current);
  switch (data->removal)
    {
    case DSL_LINK_REMOVAL_INVITATION:
      dsl_client_delete_invitation_link_async (client, data->item_id, data->link_id,
                                               g_task_get_cancellable (task), remove_sent_cb,
                                               g_object_ref (task));
      break;
    case DSL_LINK_REMOVAL_REGENERATE:
      dsl_client_revoke_link_async (client, data->kind, data->item_id, current,
                                    g_task_get_cancellable (task), remove_sent_cb,
                                    g_object_ref (task));
      break;
    case DSL_LINK_REMOVAL_REVOKE:
    case DSL_LINK_REMOVAL_REMOVE_EXPIRED:
    case DSL_LINK_REMOVAL_NOT_ALLOWED:
    default:
      dsl_client_delete_link_async (client, data->kind, data->item_id, current,
                                    g_task_get_cancellable (task), remove_sent_cb,
                                    g_object_ref (task));
      break;
    }
}

void
dsl_link_ops_remove_async (DslClient           *client,
                           DslItem             *item,
                           DslLink             *seen,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *data;

  g_return_if_fail (DSL_IS_CLIENT (client));
  g_return_if_fail (DSL_IS_ITEM (item));
  g_return_if_fail (DSL_IS_LINK (seen));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_link_ops_remove_async);
  data = g_new0 (OpData, 1);
  data->op = OP_REMOVE;
  data->kind = dsl_item_get_kind (item);
  data->item_id = g_strdup (dsl_item_get_id (item));
  data->item = g_object_ref (item);
  data->link_id = g_strdup (dsl_link_get_id (seen));
  data->seen = dsl_link_copy (seen);
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);

  if (data->link_id == NULL || *data->link_id == '\0')
    {
      g_task_return_new_error (task, DSL_ERROR, DSL_ERROR_INVALID_ARGUMENT, "%s",
                               _("This link does not exist on the portal, so there is nothing "
                                 "to remove."));
      return;
    }

  dsl_client_list_links_async (client, data->kind, data->item_id,
                               room_link_type (data->kind), cancellable, remove_read_cb,
                               g_steal_pointer (&task));
}

DslLinkRemoval
dsl_link_ops_remove_finish (DslClient     *client,
                            GAsyncResult  *result,
                            DslLink      **replacement,
                            DslLink      **current,
                            GError       **error)
{
  OpResult *answer;
  GError *local = NULL;
  DslLinkRemoval removal;

  g_return_val_if_fail (g_task_is_valid (result, client), DSL_LINK_REMOVAL_NOT_ALLOWED);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_link_ops_remove_async),
                        DSL_LINK_REMOVAL_NOT_ALLOWED);

  if (replacement != NULL)
    *replacement = NULL;
  answer = g_task_propagate_pointer (G_TASK (result), &local);
  if (answer == NULL)
    {
      take_current (result, local, current);
      g_propagate_error (error, local);
      return DSL_LINK_REMOVAL_NOT_ALLOWED;
    }
  if (current != NULL)
    *current = NULL;
  if (replacement != NULL)
    *replacement = g_steal_pointer (&answer->replacement);
  removal = answer->removal;
  op_result_free (answer);
  return removal;
}

/* create */

static gboolean
worth_reconciling (const GError *error)
{
  /* A timeout or a lost connection: the portal may have made it. A refusal (DSL_ERROR) or a
   * cancellation says nothing was made, or that nobody waits for the answer. */
  if (error == NULL || error->domain == DSL_ERROR)
    return FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  return TRUE;
}

static gboolean
is_known (OpData     *data,
          const char *id)
{
  return data->known_ids != NULL && g_strv_contains ((const char * const *) data->known_ids, id);
}

static void
create_reread_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = op_data_of (task);
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  DslLink *found = NULL;

  links = dsl_client_list_links_finish (client, result, &error);
  if (links != NULL)
    for (guint i = 0; i < links->len && found == NULL; i++)
      {
        DslLink *link = links->pdata[i];

        if (dsl_link_get_id (link) == NULL || is_known (data, dsl_link_get_id (link)) ||
            dsl_link_is_invitation (link) != dsl_link_is_invitation (data->state))
          continue;
        /* A primary link is asked for without a title (the server names it): any new primary
         * link is the one; other links carry the title sent. */
        if (dsl_link_get_primary (data->state)
            ? dsl_link_get_primary (link)
            : g_strcmp0 (dsl_link_get_title (link), dsl_link_get_title (data->state)) == 0)
          found = link;
      }
  if (found == NULL)
    {
      /* Not there (or the list could not be read): the create's own failure stands. */
      op_return_error (task, g_steal_pointer (&data->first_error));
      return;
    }
  data->reconciled = TRUE;
  emit_stored (client, data, dsl_link_get_id (found), found);
  op_return (task, found);
}

static void
create_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = op_data_of (task);
  DslClient *client = DSL_CLIENT (object);
  g_autoptr(DslLink) stored = NULL;
  GError *error = NULL;

  if (g_async_result_is_tagged (result, dsl_client_set_invitation_link_async))
    stored = dsl_client_set_invitation_link_finish (client, result, &error);
  else if (g_async_result_is_tagged (result, dsl_client_get_primary_link_async))
    stored = dsl_client_get_primary_link_finish (client, result, &error);
  else
    stored = dsl_client_create_link_finish (client, result, &error);

  if (stored != NULL)
    {
      emit_stored (client, data, dsl_link_get_id (stored), stored);
      op_return (task, stored);
      return;
    }
  if (!worth_reconciling (error))
    {
      op_return_error (task, error);
      return;
    }
  /* Never sent again: the list says whether it was made. Not cancellable by the caller's
   * cancellable, which is the one that failed; a cancelled task still drops the answer. */
  data->first_error = error;
  dsl_client_list_links_async (client, data->kind, data->item_id, room_link_type (data->kind),
                               NULL, create_reread_cb, g_steal_pointer (&task));
}

void
dsl_link_ops_create_async (DslClient           *client,
                           DslItem             *item,
                           DslLink             *state,
                           const char * const  *known_ids,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *data;

  g_return_if_fail (DSL_IS_CLIENT (client));
  g_return_if_fail (DSL_IS_ITEM (item));
  g_return_if_fail (DSL_IS_LINK (state));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_link_ops_create_async);
  data = g_new0 (OpData, 1);
  data->op = OP_CREATE;
  data->kind = dsl_item_get_kind (item);
  data->item_id = g_strdup (dsl_item_get_id (item));
  data->item = g_object_ref (item);
  data->state = dsl_link_copy (state);
  data->known_ids = g_strdupv ((char **) known_ids);
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);

  if (dsl_link_is_invitation (state) && data->kind == DSL_ITEM_KIND_ROOM)
    dsl_client_set_invitation_link_async (client, data->item_id, data->state, cancellable,
                                          create_sent_cb, g_steal_pointer (&task));
  else if (dsl_link_get_primary (state))
    dsl_client_get_primary_link_async (client, data->kind, data->item_id, data->state,
                                       cancellable, create_sent_cb, g_steal_pointer (&task));
  else
    dsl_client_create_link_async (client, data->kind, data->item_id, data->state, cancellable,
                                  create_sent_cb, g_steal_pointer (&task));
}

DslLink *
dsl_link_ops_create_finish (DslClient     *client,
                            GAsyncResult  *result,
                            gboolean      *reconciled,
                            GError       **error)
{
  OpResult *answer;
  DslLink *link;

  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_link_ops_create_async), NULL);

  if (reconciled != NULL)
    *reconciled = FALSE;
  answer = g_task_propagate_pointer (G_TASK (result), error);
  if (answer == NULL)
    return NULL;
  if (reconciled != NULL)
    *reconciled = answer->reconciled;
  link = g_steal_pointer (&answer->link);
  op_result_free (answer);
  return link;
}

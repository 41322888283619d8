/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-activity-list.c: the item's link and download events from the audit trail.
 *
 *   set_client ──▶ probe_generation++, probe state forgotten (asked again once, per client)
 *   set_item / set_client ──▶ generation++, the load in flight cancelled, rows cleared
 *   refresh () ──▶ no probe yet   ▶ dsl_link_guard_probe_audit_async ("loading")
 *                  probe refused  ▶ "denied": one dim line with the reason (402, 403, no audit)
 *                  probe allowed  ▶ load_more (): one round of the merged streams below
 *   streams ──▶ each a query of its own, read DSL_ACTIVITY_PAGE_SIZE at a time from its own
 *               startIndex; its answers filtered (only events whose target holds exactly the
 *               item id, as entryType makes the server match a substring, and whose action is a
 *               link or download action) into its `pending` queue, newest first
 *        file:   entryType=1&target=<id>
 *        folder: entryType=2&target=<id> (FolderDownloaded 5057 is a Folder entry)
 *        room:   entryType=25&target=<id> + action=5057&target=<id>: a room downloaded as an
 *                archive is FolderDownloaded, mapped to Folder only, so the Room query never
 *                has it (DocumentsActionMapper.cs; docspace-api.md §7)
 *   a round ──▶ while every stream has pending events or is done: the newest head of all goes
 *               to the list (an event shows only once every other stream is known to hold
 *               nothing newer, so nothing is lost or shown twice across pages); a stream that
 *               ran dry is read further only while the round has shown nothing yet (a few
 *               full pages that kept nothing at most), else the round ends and "Show More"
 *               goes on from there. A round shows at most a page.
 *   events (GListStore) ──▶ DslPacedList (a few per frame) ──▶ list (GtkListBox, bound): a page
 *                   of 25 AdwActionRows built in one frame held it for 270 ms
 *   failure ──▶ "error" with the message and Retry (probe again, or the page that failed). */
#define G_LOG_DOMAIN "dsl-activity-list"

#include "config.h"

#include <glib/gi18n.h>

#include "dsl-activity-list.h"
#include "dsl-link-form.h"
#include "dsl-link-guard.h"
#include "dsl-paced-list.h"

/* EntryType values of the audit filter. */
#define ENTRY_FILE   1
#define ENTRY_FOLDER 2
#define ENTRY_ROOM   25

/* Full pages without a single event of ours that are followed without asking. */
#define MAX_SILENT_PAGES 4
/* A stream is read no further than this many events: a portal that answers full pages for
 * ever is not paged for ever, even one "Show More" at a time. */
#define MAX_STREAM_EVENTS 100000

/* MessageAction FolderDownloaded: a folder or room downloaded as an archive. */
#define ACTION_FOLDER_DOWNLOADED 5057

/* One query of the item's events, read page by page. */
typedef struct {
  int      action;       /* MessageAction, or -1 */
  int      entry_type;   /* EntryType, or -1 */
  guint    next_start;   /* startIndex of its next page */
  gboolean done;         /* a short page came back */
  GQueue   pending;      /* DslAuditEvent (owned), newest first: kept, not shown yet */
} Stream;

#define MAX_STREAMS 2

/* Rows built per frame: a new AdwActionRow costs about 10 ms of style, layout and drawing
 * (Xvfb); a whole page in one frame held it for 270 ms, three per frame for 35 ms. */
#define ROWS_PER_FRAME 3

typedef enum {
  PROBE_UNKNOWN,
  PROBE_RUNNING,
  PROBE_ALLOWED,
  PROBE_DENIED,
} ProbeState;

struct _DslActivityList
{
  GtkWidget     parent_instance;

  /* template children */
  GtkWidget    *box;
  GtkStack     *stack;
  GtkLabel     *denied_label;
  GtkLabel     *error_label;
  GtkListBox   *list;
  GtkWidget    *more_button;
  GtkListBox   *guard_list;

  /* owned */
  DslClient    *client;
  DslItem      *item;
  DslLinkGuard *guard;              /* for the probe; NULL without a client */
  DslLinkMonitor *monitor;          /* the guard's records of temporary links; or NULL */
  GCancellable *probe_cancellable;  /* the probe in flight */
  GCancellable *load_cancellable;   /* the page in flight */
  char         *denied_reason;      /* PROBE_DENIED: the error's message */
  GListStore   *events;             /* DslAuditEvent: the rows, all pages so far */
  DslPacedList *paced;              /* `events` as the list shows them */

  GHashTable   *shown;              /* event ids in `events` (gint64*) */

  /* state */
  ProbeState    probe;
  guint         probe_generation;   /* bumped with the client */
  guint         generation;         /* bumped with the item or the client */
  Stream        streams[MAX_STREAMS];
  guint         n_streams;
  guint         round_shown;        /* events the current round added */
  guint         silent_pages;       /* full pages of the current round that kept nothing */
  gboolean      has_more;
  gboolean      loading;
};

G_DEFINE_FINAL_TYPE (DslActivityList, dsl_activity_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ITEM,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void refresh (DslActivityList *self);
static void restart (DslActivityList *self);

const char *
dsl_activity_describe_action (int action_id)
{
  switch (action_id)
    {
    case 5009: /* FileDownloaded */
    case 5057: /* FolderDownloaded */
    case 5062: /* FileRevisionDownloaded */
      return _("Downloaded");
    case 5010: /* FileDownloadedAs */
      return _("Downloaded as another format");
    case 5064: /* FileReaded: opened for viewing */
      return _("Opened");
    case 5091: /* FileExternalLinkCreated */
    case 5122: /* FolderExternalLinkCreated */
    case 5088: /* RoomExternalLinkCreated */
      return _("Link created");
    case 5092: /* FileExternalLinkUpdated */
    case 5123: /* FolderExternalLinkUpdated */
    case 5089: /* RoomExternalLinkUpdated */
      return _("Link updated");
    case 5060: /* FileExternalLinkAccessUpdated */
      return _("Link access changed");
    case 5093: /* FileExternalLinkDeleted */
    case 5124: /* FolderExternalLinkDeleted */
    case 5090: /* RoomExternalLinkDeleted */
      return _("Link deleted");
    case 5097: /* RoomExternalLinkRevoked */
      return _("Link revoked");
    case 5086: /* RoomInvitationLinkCreated */
      return _("Invitation link created");
    case 5082: /* RoomInvitationLinkUpdated */
      return _("Invitation link updated");
    case 5087: /* RoomInvitationLinkDeleted */
      return _("Invitation link deleted");
    /* Not 5098 (RoomExternalLinkRenamed) nor 7001 (RoomInviteLinkUsed): they are in no audit
     * mapper, so the filter never returns them without `action` (and fails with it). */
    default:
      return NULL;
    }
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static int
entry_type_for (DslItem *item)
{
  switch (dsl_item_get_kind (item))
    {
    case DSL_ITEM_KIND_ROOM:
      return ENTRY_ROOM;
    case DSL_ITEM_KIND_FOLDER:
      return ENTRY_FOLDER;
    case DSL_ITEM_KIND_FILE:
    default:
      return ENTRY_FILE;
    }
}

/* "Just now", "5 minutes ago", "3 hours ago", "Yesterday", "4 days ago", else the date. */
static char *
describe_when (GDateTime *date,
               GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date);
  g_autoptr(GDateTime) local_now = g_date_time_to_local (now);
  GTimeSpan span = g_date_time_difference (now, date);
  gint64 minutes = span / G_TIME_SPAN_MINUTE;
  gint64 hours = span / G_TIME_SPAN_HOUR;
  int days;

  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         (gulong) minutes), (int) minutes);
  if (hours < 24)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         (gulong) hours), (int) hours);
  days = g_date_time_get_day_of_year (local_now) - g_date_time_get_day_of_year (local) +
         365 * (g_date_time_get_year (local_now) - g_date_time_get_year (local));
  if (days <= 1)
    return g_strdup (_("Yesterday"));
  if (days < 7)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago",
                                         (gulong) days), days);
  /* The locale's date. */
  return g_date_time_format (local, "%x");
}

static char *
describe_who_where (DslAuditEvent *event)
{
  const char *parts[] = {
    dsl_audit_event_get_city (event),
    dsl_audit_event_get_country (event),
    dsl_audit_event_get_ip (event),
  };
  const char *who = dsl_audit_event_get_user (event);
  GString *text = g_string_new (NULL);
  gboolean first_place = TRUE;

  if (dsl_audit_event_is_anonymous (event))
    who = _("Anonymous");
  else if (who == NULL || *who == '\0')
    who = _("Unknown user");
  g_string_append (text, who);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == NULL || *parts[i] == '\0')
        continue;
      /* TRANSLATORS: between who did it and from where, e.g. "Anonymous · Berlin, 10.0.0.1" */
      g_string_append (text, first_place ? _(" · ") : ", ");
      g_string_append (text, parts[i]);
      first_place = FALSE;
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
create_row (DslAuditEvent *event,
            const char    *what,
            GDateTime     *now)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *when = gtk_label_new (NULL);
  GDateTime *date = dsl_audit_event_get_date (event);
  g_autofree char *subtitle = describe_who_where (event);

  /* Names and places come from the portal: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  gtk_widget_add_css_class (when, "dim-label");
  gtk_widget_set_valign (when, GTK_ALIGN_CENTER);
  if (date != NULL)
    {
      g_autofree char *relative = describe_when (date, now);
      g_autoptr(GDateTime) local = g_date_time_to_local (date);
      g_autofree char *exact = dsl_link_format_exact_date (local);

      gtk_label_set_text (GTK_LABEL (when), relative);
      gtk_widget_set_tooltip_text (when, exact);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), when);

  g_object_set_data_full (G_OBJECT (row), "dsl-audit-event", g_object_ref (event),
                          g_object_unref);
  return row;
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  DslAuditEvent *event = item;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return create_row (event, dsl_activity_describe_action (dsl_audit_event_get_action_id (event)),
                     now);
}

static guint
n_events (DslActivityList *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->events));
}

/* --- The guard's own events (temporary links it revoked) --- */

char *
dsl_activity_describe_guard (DslGuardedLink *link)
{
  guint limit = dsl_guarded_link_get_download_limit (link);

  switch (dsl_guarded_link_get_state (link))
    {
    case DSL_GUARD_STATE_REVOKED_LIMIT:
      /* Translators: %u is the download limit of a temporary link */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Temporary link revoked: %u download reached",
                                           "Temporary link revoked: %u downloads reached",
                                           limit), limit);
    case DSL_GUARD_STATE_REVOKED_EXPIRED:
      return g_strdup (_("Temporary link revoked: expired"));
    case DSL_GUARD_STATE_ACTIVE:
    case DSL_GUARD_STATE_GONE:
    case DSL_GUARD_STATE_FAILED:
    default:
      return NULL;
    }
}

static void
sync_guard_rows (DslActivityList *self)
{
  const char *key = NULL;
  GListModel *links;
  GtkWidget *child;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->guard_list))) != NULL)
    gtk_list_box_remove (self->guard_list, child);

  if (self->monitor != NULL && self->client != NULL)
    key = dsl_link_monitor_find_account (self->monitor, self->client);
  if (key == NULL || self->item == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->guard_list), FALSE);
      return;
    }

  /* Newest last in the store: walk it backwards, so the list is newest first too. */
  links = dsl_guard_store_get_links (dsl_link_monitor_get_store (self->monitor), key);
  for (guint i = g_list_model_get_n_items (links); i > 0; i--)
    {
      g_autoptr(DslGuardedLink) link = g_list_model_get_item (links, i - 1);
      g_autofree char *what = NULL;
      GDateTime *revoked = dsl_guarded_link_get_revoked (link);
      GtkWidget *row, *when;

      if (dsl_guarded_link_get_item_kind (link) != dsl_item_get_kind (self->item) ||
          g_strcmp0 (dsl_guarded_link_get_item_id (link), dsl_item_get_id (self->item)) != 0 ||
          (what = dsl_activity_describe_guard (link)) == NULL)
        continue;

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), what);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("By DocSpace Links"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      when = gtk_label_new (NULL);
      gtk_widget_add_css_class (when, "dim-label");
      gtk_widget_set_valign (when, GTK_ALIGN_CENTER);
      if (revoked != NULL)
        {
          g_autofree char *relative = describe_when (revoked, now);
          g_autoptr(GDateTime) local = g_date_time_to_local (revoked);
          g_autofree char *exact = dsl_link_format_exact_date (local);

          gtk_label_set_text (GTK_LABEL (when), relative);
          gtk_widget_set_tooltip_text (when, exact);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), when);
      g_object_set_data_full (G_OBJECT (row), "dsl-guarded-link", g_object_ref (link),
                              g_object_unref);
      gtk_list_box_append (self->guard_list, row);
      shown++;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->guard_list), shown > 0);
}

/* A check revoked a link of the item shown: its own row, and the portal's events again. */
static void
on_guard_checked (DslActivityList *self,
                  const char      *key,
                  GPtrArray       *results,
                  const GError    *error)
{
  gboolean ours = FALSE;

  if (self->item == NULL || self->client == NULL ||
      g_strcmp0 (key, dsl_link_monitor_find_account (self->monitor, self->client)) != 0)
    return;
  for (guint i = 0; i < results->len; i++)
    {
      DslGuardResult *r = g_ptr_array_index (results, i);

      ours = ours || ((r->outcome == DSL_GUARD_OUTCOME_REVOKED_LIMIT ||
                       r->outcome == DSL_GUARD_OUTCOME_REVOKED_EXPIRED) &&
                      dsl_guarded_link_get_item_kind (r->link) == dsl_item_get_kind (self->item) &&
                      g_strcmp0 (dsl_guarded_link_get_item_id (r->link),
                                 dsl_item_get_id (self->item)) == 0);
    }
  if (ours)
    restart (self);
}

void
dsl_activity_list_set_monitor (DslActivityList *self,
                               DslLinkMonitor  *monitor)
{
  g_return_if_fail (DSL_IS_ACTIVITY_LIST (self));
  g_return_if_fail (monitor == NULL || DSL_IS_LINK_MONITOR (monitor));

  if (self->monitor == monitor)
    return;
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    {
      g_signal_connect_swapped (monitor, "guard-checked", G_CALLBACK (on_guard_checked), self);
      g_signal_connect_swapped (monitor, "client-changed", G_CALLBACK (sync_guard_rows), self);
    }
  sync_guard_rows (self);
}

static void
stream_init (Stream *stream,
             int     action,
             int     entry_type)
{
  stream->action = action;
  stream->entry_type = entry_type;
  stream->next_start = 0;
  stream->done = FALSE;
  g_queue_init (&stream->pending);
}

static void
clear_streams (DslActivityList *self)
{
  for (guint i = 0; i < self->n_streams; i++)
    g_queue_clear_full (&self->streams[i].pending, g_object_unref);
  self->n_streams = 0;
}

/* The rows go; the item's streams start again from their first page. */
static void
clear_rows (DslActivityList *self)
{
  g_list_store_remove_all (self->events);
  g_hash_table_remove_all (self->shown);
  clear_streams (self);
  if (self->item != NULL)
    {
      stream_init (&self->streams[self->n_streams++], -1, entry_type_for (self->item));
      if (dsl_item_get_kind (self->item) == DSL_ITEM_KIND_ROOM)
        stream_init (&self->streams[self->n_streams++], ACTION_FOLDER_DOWNLOADED, -1);
    }
  self->round_shown = 0;
  self->silent_pages = 0;
  self->has_more = FALSE;
}

static void
set_loading (DslActivityList *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
show_page (DslActivityList *self)
{
  gtk_widget_set_visible (self->more_button, self->has_more);
  gtk_widget_set_sensitive (self->more_button, !self->loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "activity.more",
                                 self->has_more && !self->loading);
  gtk_stack_set_visible_child_name (self->stack, n_events (self) > 0 ? "list" : "none");
}

static void
show_error (DslActivityList *self,
            const GError    *error)
{
  gtk_label_set_text (self->error_label, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/* --- rounds over the streams --- */

typedef struct {
  DslActivityList *self;   /* owned ref */
  guint            generation;
  Stream          *stream; /* borrowed: in self, valid while the generation holds */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void advance (DslActivityList *self);

static gboolean
streams_have_more (DslActivityList *self)
{
  for (guint i = 0; i < self->n_streams; i++)
    if (!self->streams[i].done || !g_queue_is_empty (&self->streams[i].pending))
      return TRUE;
  return FALSE;
}

static void
end_round (DslActivityList *self)
{
  set_loading (self, FALSE);
  self->has_more = streams_have_more (self);
  show_page (self);
}

static void
list_events_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  DslActivityList *self = data->self;
  Stream *stream = data->stream;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const char *id;
  guint kept = 0;
  guint fresh = 0;

  events = dsl_client_list_audit_events_finish (DSL_CLIENT (object), result, &error);
  if (is_cancelled (error) || data->generation != self->generation || self->item == NULL)
    return;

  g_clear_object (&self->load_cancellable);
  if (events == NULL)
    {
      /* the stream stays where it was: Retry asks for the same page */
      set_loading (self, FALSE);
      show_error (self, error);
      return;
    }

  id = dsl_item_get_id (self->item);
  for (guint i = 0; i < events->len; i++)
    {
      DslAuditEvent *event = g_ptr_array_index (events, i);
      gint64 event_id;

      /* entryType turns target into a substring match: "401" also finds "100401". */
      if (dsl_activity_describe_action (dsl_audit_event_get_action_id (event)) == NULL ||
          !dsl_audit_event_has_target (event, id))
        continue;
      event_id = dsl_audit_event_get_id (event);
      if (!g_hash_table_contains (self->shown, &event_id))
        fresh++;
      g_queue_push_tail (&stream->pending, g_object_ref (event));
      kept++;
    }
  stream->next_start += events->len;
  stream->done = events->len < DSL_ACTIVITY_PAGE_SIZE;
  /* More to come, says the portal: not the same events again, and not for ever. The events
   * kept so far are shown on Retry; the stream asks for nothing more. */
  if (!stream->done && ((kept > 0 && fresh == 0) || stream->next_start >= MAX_STREAM_EVENTS))
    {
      g_autoptr(GError) endless = NULL;

      stream->done = TRUE;
      endless = g_error_new (DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                             _("The portal keeps sending more pages: stopped after %u items"),
                             stream->next_start);
      set_loading (self, FALSE);
      show_error (self, endless);
      return;
    }
  if (kept == 0 && !stream->done)
    self->silent_pages++;
  advance (self);
}

static void
fetch (DslActivityList *self,
       Stream          *stream)
{
  DslAuditFilter filter;
  LoadData *data;

  g_assert (self->client != NULL && self->item != NULL);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  dsl_audit_filter_init (&filter);
  filter.action = stream->action;
  filter.entry_type = stream->entry_type;
  filter.target = dsl_item_get_id (self->item);
  filter.start_index = stream->next_start;
  filter.count = DSL_ACTIVITY_PAGE_SIZE;

  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->generation = self->generation;
  data->stream = stream;

  set_loading (self, TRUE);
  if (n_events (self) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else
    show_page (self);
  dsl_client_list_audit_events_async (self->client, &filter, self->load_cancellable,
                                      list_events_cb, data);
}

/* Newest first; the same date: the higher id first. */
static gboolean
is_newer (DslAuditEvent *a,
          DslAuditEvent *b)
{
  GDateTime *da = dsl_audit_event_get_date (a);
  GDateTime *db = dsl_audit_event_get_date (b);
  int order;

  if (da != NULL && db != NULL)
    order = g_date_time_compare (da, db);
  else
    order = (da != NULL) - (db != NULL);

  if (order != 0)
    return order > 0;
  return dsl_audit_event_get_id (a) > dsl_audit_event_get_id (b);
}

/* Moves events to the list, newest first across the streams, until the round has a page or a
 * stream must be read further. */
static void
advance (DslActivityList *self)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

  for (;;)
    {
      Stream *dry = NULL;
      Stream *best = NULL;
      DslAuditEvent *event;
      gint64 event_id;

      for (guint i = 0; i < self->n_streams && dry == NULL; i++)
        if (!self->streams[i].done && g_queue_is_empty (&self->streams[i].pending))
          dry = &self->streams[i];
      if (dry != NULL)
        {
          /* what is moved so far is safe: dry has nothing newer than its last page */
          g_list_store_splice (self->events, n_events (self), 0, batch->pdata, batch->len);
          if (self->round_shown + batch->len > 0 || self->silent_pages >= MAX_SILENT_PAGES)
            {
              self->round_shown += batch->len;
              end_round (self);
            }
          else
            fetch (self, dry);
          return;
        }

      for (guint i = 0; i < self->n_streams; i++)
        {
          DslAuditEvent *head = g_queue_peek_head (&self->streams[i].pending);

          if (head != NULL && (best == NULL ||
                               is_newer (head, g_queue_peek_head (&best->pending))))
            best = &self->streams[i];
        }
      if (best == NULL || self->round_shown + batch->len >= DSL_ACTIVITY_PAGE_SIZE)
        break;

      event = g_queue_pop_head (&best->pending);
      event_id = dsl_audit_event_get_id (event);
      /* pages move when events arrive meanwhile: one already shown is not shown twice */
      if (g_hash_table_contains (self->shown, &event_id))
        {
          g_object_unref (event);
          continue;
        }
      g_hash_table_add (self->shown, g_memdup2 (&event_id, sizeof event_id));
      g_ptr_array_add (batch, event);
    }

  g_list_store_splice (self->events, n_events (self), 0, batch->pdata, batch->len);
  self->round_shown += batch->len;
  end_round (self);
}

/* One more page: a new round. */
static void
load_more (DslActivityList *self)
{
  g_assert (self->client != NULL && self->item != NULL);

  self->round_shown = 0;
  self->silent_pages = 0;
  advance (self);
}

/* --- the probe: once per client --- */

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  DslActivityList *self = data->self;
  g_autoptr(GError) error = NULL;
  gboolean allowed;

  allowed = dsl_link_guard_probe_audit_finish (DSL_LINK_GUARD (object), result, &error);
  if (is_cancelled (error) || data->generation != self->probe_generation)
    return;

  g_clear_object (&self->probe_cancellable);
  if (allowed)
    {
      self->probe = PROBE_ALLOWED;
    }
  else if (dsl_guard_error_is_audit (error))
    {
      self->probe = PROBE_DENIED;
      g_free (self->denied_reason);
      self->denied_reason = g_strdup (error->message);
    }
  else
    {
      /* Not an answer about the account (network, 5xx): ask again on Retry. */
      self->probe = PROBE_UNKNOWN;
      set_loading (self, FALSE);
      if (self->item != NULL)
        show_error (self, error);
      return;
    }
  refresh (self);
}

static void
start_probe (DslActivityList *self)
{
  LoadData *data;

  g_assert (self->guard != NULL);

  self->probe = PROBE_RUNNING;
  self->probe_cancellable = g_cancellable_new ();
  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->generation = self->probe_generation;
  dsl_link_guard_probe_audit_async (self->guard, self->probe_cancellable, probe_cb, data);
}

/* Shows what is known for the current item and asks for what is not. */
static void
refresh (DslActivityList *self)
{
  gboolean ready = self->client != NULL && self->item != NULL;

  gtk_widget_set_visible (self->box, ready);
  sync_guard_rows (self);
  if (!ready)
    {
      set_loading (self, FALSE);
      return;
    }

  switch (self->probe)
    {
    case PROBE_UNKNOWN:
      start_probe (self);
      G_GNUC_FALLTHROUGH;
    case PROBE_RUNNING:
      set_loading (self, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      break;
    case PROBE_DENIED:
      set_loading (self, FALSE);
      gtk_label_set_text (self->denied_label, self->denied_reason);
      gtk_stack_set_visible_child_name (self->stack, "denied");
      break;
    case PROBE_ALLOWED:
    default:
      load_more (self);
      break;
    }
}

/* A new item or client: whatever is in flight for the old one is dropped. */
static void
restart (DslActivityList *self)
{
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->generation++;
  clear_rows (self);
  refresh (self);
}

/* --- actions --- */

static void
more_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DslActivityList *self = DSL_ACTIVITY_LIST (widget);

  if (!self->has_more || self->loading || self->client == NULL || self->item == NULL ||
      self->probe != PROBE_ALLOWED)
    return;
  load_more (self);
}

static void
retry_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DslActivityList *self = DSL_ACTIVITY_LIST (widget);

  if (self->loading)
    return;
  /* The rows shown stay; the page that failed (or the probe) is asked again. */
  refresh (self);
}

/* --- public --- */

GtkWidget *
dsl_activity_list_new (void)
{
  return g_object_new (DSL_TYPE_ACTIVITY_LIST, NULL);
}

void
dsl_activity_list_set_client (DslActivityList *self,
                              DslClient       *client)
{
  g_return_if_fail (DSL_IS_ACTIVITY_LIST (self));
  g_return_if_fail (client == NULL || DSL_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  /* Another account: what the last one was allowed says nothing about this one. */
  if (self->probe_cancellable != NULL)
    g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_object (&self->guard);
  g_clear_pointer (&self->denied_reason, g_free);
  self->probe = PROBE_UNKNOWN;
  self->probe_generation++;
  if (client != NULL)
    {
      g_autoptr(DslGuardStore) store = dsl_guard_store_new ();

      /* The probe only asks the portal; the store is never loaded or saved here. */
      self->guard = dsl_link_guard_new (client, store);
    }
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

DslClient *
dsl_activity_list_get_client (DslActivityList *self)
{
  g_return_val_if_fail (DSL_IS_ACTIVITY_LIST (self), NULL);
  return self->client;
}

void
dsl_activity_list_set_item (DslActivityList *self,
                            DslItem         *item)
{
  g_return_if_fail (DSL_IS_ACTIVITY_LIST (self));
  g_return_if_fail (item == NULL || DSL_IS_ITEM (item));

  if (!g_set_object (&self->item, item))
    return;
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

DslItem *
dsl_activity_list_get_item (DslActivityList *self)
{
  g_return_val_if_fail (DSL_IS_ACTIVITY_LIST (self), NULL);
  return self->item;
}

gboolean
dsl_activity_list_get_loading (DslActivityList *self)
{
  g_return_val_if_fail (DSL_IS_ACTIVITY_LIST (self), FALSE);
  return self->loading;
}

guint
dsl_activity_list_get_n_pending (DslActivityList *self)
{
  g_return_val_if_fail (DSL_IS_ACTIVITY_LIST (self), 0);
  return dsl_paced_list_get_pending (self->paced);
}

void
dsl_activity_list_reload (DslActivityList *self)
{
  g_return_if_fail (DSL_IS_ACTIVITY_LIST (self));
  restart (self);
}

/* --- GObject --- */

static void
dsl_activity_list_dispose (GObject *object)
{
  DslActivityList *self = (DslActivityList *) object;

  if (self->probe_cancellable != NULL)
    g_cancellable_cancel (self->probe_cancellable);
  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_object (&self->load_cancellable);
  self->generation++;
  self->probe_generation++;
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  if (self->paced != NULL)
    dsl_paced_list_set_widget (self->paced, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DSL_TYPE_ACTIVITY_LIST);
  g_clear_object (&self->paced);
  g_clear_object (&self->events);
  clear_streams (self);
  g_clear_object (&self->guard);
  g_clear_object (&self->client);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (dsl_activity_list_parent_class)->dispose (object);
}

static void
dsl_activity_list_finalize (GObject *object)
{
  DslActivityList *self = (DslActivityList *) object;

  g_free (self->denied_reason);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  G_OBJECT_CLASS (dsl_activity_list_parent_class)->finalize (object);
}

static void
dsl_activity_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DslActivityList *self = DSL_ACTIVITY_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_activity_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DslActivityList *self = DSL_ACTIVITY_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      dsl_activity_list_set_client (self, g_value_get_object (value));
      break;
    case PROP_ITEM:
      dsl_activity_list_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_activity_list_class_init (DslActivityListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dsl_activity_list_dispose;
  object_class->finalize = dsl_activity_list_finalize;
  object_class->get_property = dsl_activity_list_get_property;
  object_class->set_property = dsl_activity_list_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, DSL_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, DSL_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "activity.more", NULL, more_activated);
  gtk_widget_class_install_action (widget_class, "activity.retry", NULL, retry_activated);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/dsl-activity-list.ui");
  gtk_widget_class_bind_template_child (widget_class, DslActivityList, box);
  gtk_widget_class_bind_template_child (widget_class, DslActivityList, stack);
  gtk_widget_class_bind_template_child (widget_class, DslActivityList, denied_label);
  gtk_widget_class_bind_template_child (widget_class, DslActivityList, error_label);
  gtk_widget_class_bind_template_child (widget_class, DslActivityList, list);
  gtk_widget_class_bind_template_child (widget_class, DslActivityList, more_button);
  gtk_widget_class_bind_template_child (widget_class, DslActivityList, guard_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dsl-activity-list");
}

static void
dsl_activity_list_init (DslActivityList *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->events = g_list_store_new (DSL_TYPE_AUDIT_EVENT);
  self->shown = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->paced = dsl_paced_list_new (G_LIST_MODEL (self->events), ROWS_PER_FRAME);
  dsl_paced_list_set_widget (self->paced, GTK_WIDGET (self));
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->paced), create_row_cb, NULL, NULL);
  refresh (self);
}

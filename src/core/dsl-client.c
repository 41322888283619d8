/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-client.c: one DocSpace portal account, spoken to over libsoup 3
 *
 * Request flow (every public operation is a thin wrapper around it):
 *
 *   dsl_client_foo_async ()
 *     │  checks its arguments (refusals never reach the network: g_task_report_error)
 *     ▼
 *   client_send ()       GTask + DslRequest {method, path, query, body, result spec}
 *     ▼
 *   request_attempt ()   the traffic policy, shared by every caller of this client:
 *     │                  paused after a 429, DSL_CLIENT_MAX_IN_FLIGHT attempts holding a
 *     │                  slot, or others held back before it ──► `held` (FIFO; a cancelled
 *     │                  one ends at once) ──► client_dispatch () when the pause ends
 *     │                  (client_resume_cb) or a slot is given back (request_end_attempt)
 *     ▼
 *   request_send ()      (holds a slot) new SoupMessage: Accept, Authorization, JSON body
 *     │                  client_send_message (); a deadline of twice the timeout for
 *     │                  headers and body together (request_deadline_cb)
 *     ▼
 *   request_sent ()      refuses a Content-Length over the cap (request_body_cap)
 *   request_read ()      reads the body in chunks, stops past the cap
 *     ▼
 *   request_complete ()  status + Retry-After + body ──► dsl_envelope_parse () (the slot is
 *     │                  given back first; bodies over 8 kB: in GLib's thread pool, then
 *     │                  request_parsed ())
 *     ├─ 429 (any method) ──► client_pause (): resume_at = now + Retry-After (1 s .. 60 s);
 *     │                    "paused", dsl_client_get_resume_time (), dsl_client_wait_async ()
 *     ├─ error, GET, retryable (transport, 5xx, 429)
 *     │     ──► request_retry_later () (0.5 s, 1 s or Retry-After) ──► request_attempt ()
 *     ├─ error ──► login mapping / "unauthorized" signal ──► g_task_return_error ()
 *     └─ envelope ──► spec->handler ()  (dsl-json parsers; a paged list may call
 *                                       request_attempt () again for its next page)
 *     ▼
 *   dsl_client_foo_finish ()  g_task_is_valid + g_task_propagate_*
 *
 * Only GET is retried: a PUT/POST that failed half-way is reconciled by the caller re-reading
 * the list, never by sending it again. The pause and the cap are the client's, not a caller's:
 * the scan, the guard, the folder models and the checkup keep no clock or limit of their own
 * for them (a short link's GET, to any host, goes around them). Credentials and link
 * passwords are never logged.
 *
 * A hostile portal (issue 14): bodies are capped (8 MiB for lists, 1 MiB for anything else,
 * 64 KiB for error bodies), each attempt has an overall deadline (libsoup's timeout applies to
 * each read only: a body sent one byte a second would never time out), a paged listing stops
 * after MAX_LISTING_PAGES pages or MAX_LISTING_ITEMS items, and dsl_envelope_parse refuses
 * JSON nested too deep or with integers beyond 64 bits before json-glib reads it.
 */

#define G_LOG_DOMAIN "dsl-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "dsl-client.h"
#include "dsl-json.h"

#define DEFAULT_TIMEOUT_SECONDS 30
/* A 429 asking us to wait longer than this is reported instead of waited out. */
#define MAX_RETRY_AFTER_SECONDS 10
/* Body caps: lists (a page of 100 files is about 200 kB), anything else, error bodies. */
#define MAX_LIST_BODY_BYTES (8 * 1024 * 1024)
#define MAX_BODY_BYTES (1024 * 1024)
#define MAX_ERROR_BODY_BYTES (64 * 1024)
#define READ_CHUNK_BYTES (64 * 1024)
/* The client's own paging (the links of a file): at most this many pages and items. */
#define MAX_LISTING_PAGES 1000
#define MAX_LISTING_ITEMS 100000

/* Delay before retry N of a GET; its length is the number of retries. */
static const guint retry_backoff_ms[] = { 500, 1000 };

struct _DslClient
{
  GObject      parent_instance;

  /* owned */
  SoupSession *session;        /* NULL once disposed */
  char        *base_url;       /* "scheme://host[:port]" */
  char        *api_key;        /* a secret: never logged */
  char        *session_token;  /* a secret: never logged */
  guint        timeout;
  GCancellable *closing;       /* cancelled by dispose: ends every call in flight */

  /* the traffic policy (one per client, whoever the caller) */
  GMainContext *context;       /* the thread-default context the client was made in */
  GQueue        held;          /* Waiter: attempts held by the pause or the cap, oldest first */
  GQueue        pause_waits;   /* Waiter: dsl_client_wait_async () calls */
  GSource      *resume;        /* fires at resume_at; NULL when not paused */
  gint64        resume_at;     /* monotonic time before which nothing is sent; 0: no pause */
  guint         n_in_flight;   /* attempts holding a slot (sent, or about to be) */
};

G_DEFINE_FINAL_TYPE (DslClient, dsl_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TIMEOUT,
  PROP_PAUSED,
  N_PROPS
};

enum {
  UNAUTHORIZED,
  LINK_STORED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------------------------------------ */
/* The request layer                                                                           */
/* ------------------------------------------------------------------------------------------ */

typedef enum {
  REQUEST_LOGIN = 1 << 0,  /* no credentials sent; login error mapping; no "unauthorized" */
  REQUEST_PAGED = 1 << 1,  /* follow the envelope's `total` with startIndex/count (file links) */
  REQUEST_SECRET_PATH = 1 << 2, /* the path holds a share key: kept out of debug output */
  REQUEST_LIST = 1 << 3,   /* a listing: the larger body cap */
} RequestFlags;

/* Turns a success envelope into the task's result: calls g_task_return_*, or (paged lists)
 * request_attempt() again for the next page. Borrows `task`. */
typedef void     (*ResponseHandler) (GTask       *task,
                                     DslEnvelope *envelope);
/* The dsl-json parser signature: a new object or NULL with an error. */
typedef gpointer (*ParseFunc)       (JsonNode    *node,
                                     GError     **error);

/* How an operation turns its answer into a result. */
typedef struct {
  ResponseHandler handler;
  ParseFunc       parse;         /* for handle_parsed */
  GDestroyNotify  result_free;   /* for handle_parsed */
  DslError        missing_code;  /* handle_parsed: error when the envelope has no `response` */
  RequestFlags    flags;
} ResultSpec;

typedef struct {
  /* borrowed */
  const char       *method;      /* a static string */
  const ResultSpec *spec;        /* static */
  DslClient        *client;      /* the task's source object (the task holds it) */
  /* owned */
  char             *path;        /* "api/2.0/…", ids already escaped */
  char             *query;       /* escaped, without '?'; NULL for none */
  GBytes           *body;        /* JSON; NULL for none */
  SoupMessage      *message;     /* the attempt in flight */
  GPtrArray        *links;       /* REQUEST_PAGED: links gathered so far */
  guint             attempt;     /* retries done for the current page */
  guint             start_index; /* REQUEST_PAGED: the page being fetched */
  char             *link_id;     /* a link delete: the link it asked to remove */
  DslCredentials    credentials; /* what the last attempt was sent with */
  guint             pages;       /* REQUEST_PAGED: pages received */
  GHashTable       *link_ids;    /* REQUEST_PAGED: ids of the links gathered so far */
  /* the attempt in flight */
  GCancellable     *cancellable; /* cancelled by the caller's cancellable, the deadline or
                                  * the client's dispose */
  gulong            cancel_id;   /* on the task's cancellable */
  GCancellable     *closing;     /* the client's (a reference) */
  gulong            closing_id;  /* on it */
  GSource          *deadline;
  gboolean          timed_out;   /* the deadline fired */
  GInputStream     *stream;      /* the body being read */
  GByteArray       *buffer;      /* what was read of it */
  gsize             cap;         /* its size limit */
  gboolean          holds_slot;  /* counted in the client's n_in_flight */
} DslRequest;

static void client_release_slot (DslClient *self);

static void
request_end_attempt (DslRequest   *request,
                     GCancellable *task_cancellable)
{
  if (request->holds_slot)
    {
      request->holds_slot = FALSE;
      client_release_slot (request->client);
    }
  if (request->cancel_id != 0)
    g_cancellable_disconnect (task_cancellable, request->cancel_id);
  request->cancel_id = 0;
  if (request->closing_id != 0)
    g_cancellable_disconnect (request->closing, request->closing_id);
  request->closing_id = 0;
  if (request->deadline != NULL)
    g_source_destroy (request->deadline);
  g_clear_pointer (&request->deadline, g_source_unref);
  if (request->stream != NULL)
    {
      /* Closing a body not read to its end would read (skip) the rest of it first, however
       * large or slow: cancelled, the close drops the connection at once. */
      if (request->cancellable != NULL)
        g_cancellable_cancel (request->cancellable);
      g_input_stream_close (request->stream, request->cancellable, NULL);
      g_clear_object (&request->stream);
    }
  g_clear_object (&request->cancellable);
  g_clear_pointer (&request->buffer, g_byte_array_unref);
}

static void
request_free (gpointer data)
{
  DslRequest *request = data;

  g_clear_pointer (&request->path, g_free);
  g_clear_pointer (&request->query, g_free);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_object (&request->message);
  g_clear_pointer (&request->links, g_ptr_array_unref);
  g_clear_pointer (&request->link_id, g_free);
  g_clear_pointer (&request->link_ids, g_hash_table_unref);
  /* A task is freed after its attempt ended (request_end_attempt disconnected it and gave
   * its slot back). */
  g_assert (request->cancel_id == 0);
  g_assert (!request->holds_slot);
  request_end_attempt (request, NULL);
  g_clear_object (&request->closing);
  g_free (request);
}

/* The path for debug output: a login path may carry a two-factor code, which stays out. */
static const char *
request_log_path (DslRequest *request)
{
  if (request->spec->flags & REQUEST_SECRET_PATH)
    return "api/2.0/files/share/…";
  return (request->spec->flags & REQUEST_LOGIN) ? "api/2.0/authentication" : request->path;
}

/* libsoup 3.3.1 to 3.6.5 may finish a message's queue item twice, and so free it twice, when
 * its send is cancelled while the response headers are awaited: since libsoup commit 7df98880
 * ("Do not wait for the next loop iteration to unqueue async items", 3.3.1) the cancellation
 * finishes the item at once and run_until_read_done () finishes it again. Commit 794e089a
 * ("fix 'heap-use-after-free' caused by 'finishing' queue item twice", 3.6.6) fixed it; 3.4.x
 * never got it. On those versions a send is never cancelled in that phase, neither through
 * its cancellable nor by soup_session_abort (): client_send_message () detaches it instead.
 * DSL_SOUP_DETACH_CANCEL=1 forces that path on any libsoup (tests), =0 forces it off. */
static gboolean
soup_cancel_is_unsafe (void)
{
  static int unsafe = -1;

  if (unsafe < 0)
    {
      const char *force = g_getenv ("DSL_SOUP_DETACH_CANCEL");
      guint version = soup_get_major_version () * 10000 + soup_get_minor_version () * 100 +
                      soup_get_micro_version ();

      if (force != NULL && (g_str_equal (force, "0") || g_str_equal (force, "1")))
        unsafe = g_str_equal (force, "1");
      else
        unsafe = version >= 30301 && version < 30606;
    }
  return unsafe;
}

/* What a sent message's task does with the response's body stream or the error (both taken;
 * one is NULL). Consumes `task`. */
typedef void (*SentFunc) (GTask        *task,
                          GInputStream *stream,
                          GError       *error);

/* One soup_session_send_async (). */
typedef struct {
  GTask    *task;   /* owned; NULL once detached */
  SentFunc  sent;
  GSource  *watch;  /* unsafe libsoup: the cancellables, while the headers are awaited */
  gboolean  sent_to_soup;
} Send;

/* An unsafe libsoup: the call was cancelled (or timed out) while the headers are awaited. The
 * task ends now with G_IO_ERROR_CANCELLED, as a cancelled send would end it; the send goes on
 * alone and send_done drops its response. */
static gboolean
send_detach (GCancellable *cancellable,
             gpointer      user_data)
{
  Send *send = user_data;
  GTask *task = g_steal_pointer (&send->task);

  g_clear_pointer (&send->watch, g_source_unref);
  /* GIO's own words for a cancellation. */
  send->sent (task, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               g_dgettext ("glib20", "Operation was cancelled")));
  if (!send->sent_to_soup)
    g_free (send);
  return G_SOURCE_REMOVE;
}

static void
send_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Send *send = user_data;
  GError *error = NULL;
  GInputStream *stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  if (send->watch != NULL)
    g_source_destroy (send->watch);
  g_clear_pointer (&send->watch, g_source_unref);
  if (send->task != NULL)
    send->sent (send->task, stream, error);
  else
    {
      /* Detached: nobody waits for this answer. A cancelled close does not read the body, it
       * drops the connection. */
      g_autoptr(GCancellable) drop = g_cancellable_new ();

      g_debug ("dropped the response of a request cancelled before its headers came");
      g_cancellable_cancel (drop);
      if (stream != NULL)
        g_input_stream_close (stream, drop, NULL);
      g_clear_object (&stream);
      g_clear_error (&error);
    }
  g_free (send);
}

/* soup_session_send_async () of `message` for `task`, cancelled by `cancellable` (NULL for
 * none) and by the client's dispose; `sent` gets the result. Consumes `task`. */
static void
client_send_message (DslClient    *self,
                     SoupMessage  *message,
                     GCancellable *cancellable,
                     GTask        *task,
                     SentFunc      sent)
{
  Send *send = g_new0 (Send, 1);

  send->task = task;
  send->sent = sent;
  if (soup_cancel_is_unsafe ())
    {
      /* libsoup never sees a cancellation: the watch detaches the send instead. */
      g_autoptr(GSource) closing = g_cancellable_source_new (self->closing);

      send->watch = g_cancellable_source_new (cancellable);
      g_source_set_callback (send->watch, G_SOURCE_FUNC (send_detach), send, NULL);
      g_source_set_dummy_callback (closing);
      g_source_add_child_source (send->watch, closing);
      g_source_attach (send->watch, g_task_get_context (task));
      /* Cancelled already: not sent at all. */
      if (g_cancellable_is_cancelled (cancellable) || g_cancellable_is_cancelled (self->closing))
        return;
      cancellable = NULL;
    }
  send->sent_to_soup = TRUE;
  soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT, cancellable, send_done,
                           send);
}

static void request_sent (GTask        *task,
                          GInputStream *stream,
                          GError       *error);

static void
request_cancel_attempt (GCancellable *cancellable,
                        gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* The attempt's deadline: it is cancelled, and request_fail reports G_IO_ERROR_TIMED_OUT. */
static gboolean
request_deadline_cb (gpointer user_data)
{
  DslRequest *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  g_clear_pointer (&request->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* Sends the request once; it holds a slot. Consumes one reference to `task`. */
static void
request_send (GTask *task)
{
  DslClient *self = g_task_get_source_object (task);
  DslRequest *request = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *uri = NULL;
  SoupMessageHeaders *headers;

  g_assert (request->holds_slot);
  if (self->session == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The connection to the portal was closed."));
      request_end_attempt (request, g_task_get_cancellable (task));
      g_object_unref (task);
      return;
    }

  uri = g_strconcat (self->base_url, "/", request->path,
                     request->query != NULL ? "?" : "",
                     request->query != NULL ? request->query : "",
                     NULL);
  message = soup_message_new (request->method, uri);
  if (message == NULL)
    {
      g_task_return_error (task, dsl_error_new (DSL_ERROR_INVALID_ARGUMENT, 0, NULL,
                                                _("“%s” is not a valid portal address."),
                                                self->base_url));
      request_end_attempt (request, g_task_get_cancellable (task));
      g_object_unref (task);
      return;
    }

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  request->credentials = DSL_CREDENTIALS_NONE;
  if ((request->spec->flags & REQUEST_LOGIN) == 0)
    {
      if (self->api_key != NULL)
        {
          char *value = g_strconcat ("Bearer ", self->api_key, NULL);

          soup_message_headers_replace (headers, "Authorization", value);
          explicit_bzero (value, strlen (value));
          g_free (value);
          request->credentials = DSL_CREDENTIALS_API_KEY;
        }
      else if (self->session_token != NULL)
        {
          soup_message_headers_replace (headers, "Authorization", self->session_token);
          request->credentials = DSL_CREDENTIALS_SESSION;
        }
    }
  if (request->body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", request->body);

  g_set_object (&request->message, message);
  g_debug ("%s /%s (attempt %u)",
           request->method, request_log_path (request), request->attempt + 1);

  /* The attempt's own cancellable: the caller's cancels it, and so do the deadline and the
   * client's dispose. (The last attempt has ended: request_end_attempt ran for it.) */
  g_assert (request->cancellable == NULL && request->cancel_id == 0);
  request->cancellable = g_cancellable_new ();
  request->timed_out = FALSE;
  if (g_task_get_cancellable (task) != NULL)
    request->cancel_id = g_cancellable_connect (g_task_get_cancellable (task),
                                                G_CALLBACK (request_cancel_attempt),
                                                g_object_ref (request->cancellable),
                                                g_object_unref);
  g_set_object (&request->closing, self->closing);
  request->closing_id = g_cancellable_connect (self->closing,
                                               G_CALLBACK (request_cancel_attempt),
                                               g_object_ref (request->cancellable),
                                               g_object_unref);
  if (self->timeout > 0)
    {
      /* Headers and body together get twice the timeout libsoup applies to each read. */
      request->deadline = g_timeout_source_new_seconds (self->timeout * 2);
      g_source_set_callback (request->deadline, request_deadline_cb, request, NULL);
      g_source_attach (request->deadline, g_task_get_context (task));
    }
  client_send_message (self, message, request->cancellable, task, request_sent);
}

/* --- the traffic policy: one pause after a 429 and one cap, for every caller --- */

/* An attempt held back by the pause or the cap, or a dsl_client_wait_async () call. */
typedef struct {
  DslClient *client;   /* borrowed: the task holds it */
  GTask     *task;     /* owned */
  GQueue    *queue;    /* the client's queue it is in */
  GList      link;     /* its node in `queue` */
  GSource   *cancel;   /* owned: the task's cancellable, while it waits; or NULL */
} Waiter;

static gboolean
client_is_paused (DslClient *self)
{
  return self->resume_at != 0 && self->resume_at > g_get_monotonic_time ();
}

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel != NULL)
    {
      g_source_destroy (waiter->cancel);
      g_clear_pointer (&waiter->cancel, g_source_unref);
    }
  g_clear_object (&waiter->task);
  g_free (waiter);
}

/* Out of its queue: the caller takes it. */
static Waiter *
waiter_unlink (Waiter *waiter)
{
  g_queue_unlink (waiter->queue, &waiter->link);
  waiter->queue = NULL;
  return waiter;
}

/* A cancelled wait ends at once, not at the end of a pause of up to a minute. */
static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  DslRequest *request = waiter->queue == &waiter->client->held
                        ? g_task_get_task_data (waiter->task) : NULL;

  waiter_unlink (waiter);
  g_clear_pointer (&waiter->cancel, g_source_unref);
  if (request != NULL)
    g_debug ("%s /%s cancelled while held back", request->method, request_log_path (request));
  g_task_return_error_if_cancelled (waiter->task);
  waiter_free (waiter);
  return G_SOURCE_REMOVE;
}

static void
client_hold (DslClient *self,
             GQueue    *queue,
             GTask     *task)
{
  Waiter *waiter = g_new0 (Waiter, 1);
  GCancellable *cancellable = g_task_get_cancellable (task);

  waiter->client = self;
  waiter->task = task;
  waiter->link.data = waiter;
  waiter->queue = queue;
  g_queue_push_tail_link (queue, &waiter->link);
  if (cancellable != NULL)
    {
      waiter->cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel, G_SOURCE_FUNC (waiter_cancelled_cb), waiter, NULL);
      g_source_attach (waiter->cancel, g_task_get_context (task));
    }
}

static gboolean
held_attempt_cb (gpointer user_data)
{
  request_send (g_object_ref (user_data));
  return G_SOURCE_REMOVE;
}

/* Lets through what the pause and the cap allow now: every wait once the pause is over, and
 * held attempts in order while a slot is free. An attempt gets its slot here and is sent from
 * its own context's main loop (never from inside the caller that freed the slot). */
static void
client_dispatch (DslClient *self)
{
  /* A wait's callback runs from here and may drop the caller's last reference. */
  g_autoptr(DslClient) keep = NULL;

  if (client_is_paused (self))
    return;

  keep = g_object_ref (self);
  while (!g_queue_is_empty (&self->pause_waits))
    {
      Waiter *waiter = waiter_unlink (g_queue_peek_head (&self->pause_waits));

      g_task_return_boolean (waiter->task, TRUE);
      waiter_free (waiter);
    }

  while (!g_queue_is_empty (&self->held) && self->n_in_flight < DSL_CLIENT_MAX_IN_FLIGHT)
    {
      Waiter *waiter = waiter_unlink (g_queue_peek_head (&self->held));
      DslRequest *request = g_task_get_task_data (waiter->task);
      g_autoptr(GSource) idle = g_idle_source_new ();

      self->n_in_flight++;
      request->holds_slot = TRUE;
      g_source_set_callback (idle, held_attempt_cb, g_object_ref (waiter->task), g_object_unref);
      g_source_attach (idle, g_task_get_context (waiter->task));
      waiter_free (waiter);
    }
}

static void
client_release_slot (DslClient *self)
{
  g_assert (self->n_in_flight > 0);
  self->n_in_flight--;
  client_dispatch (self);
}

static gboolean
client_resume_cb (gpointer user_data)
{
  DslClient *self = user_data;

  g_clear_pointer (&self->resume, g_source_unref);
  self->resume_at = 0;
  g_debug ("the pause after a 429 is over");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
  client_dispatch (self);
  return G_SOURCE_REMOVE;
}

/* A 429 of any request: nothing of this client is sent for `retry_after` seconds (at least 1,
 * at most DSL_CLIENT_MAX_PAUSE_SECONDS) from now; a later 429 may only lengthen the pause. */
static void
client_pause (DslClient *self,
              guint      retry_after)
{
  guint seconds = CLAMP (retry_after, 1, DSL_CLIENT_MAX_PAUSE_SECONDS);
  gint64 now = g_get_monotonic_time ();
  gint64 resume_at = now + (gint64) seconds * G_USEC_PER_SEC;
  gboolean was_paused = self->resume != NULL;

  if (self->session == NULL || (was_paused && resume_at <= self->resume_at))
    return;
  g_debug ("rate limited: nothing is sent for %u s", seconds);
  self->resume_at = resume_at;
  if (self->resume != NULL)
    g_source_destroy (self->resume);
  g_clear_pointer (&self->resume, g_source_unref);
  /* In whole milliseconds, rounded up: the timer never fires before resume_at. */
  self->resume = g_timeout_source_new ((guint) ((resume_at - now + 999) / 1000));
  g_source_set_callback (self->resume, client_resume_cb, self, NULL);
  g_source_attach (self->resume, self->context);
  if (!was_paused)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAUSED]);
}

/* Sends the request once, when the pause and the cap let it: at once when nothing is held
 * back before it. Consumes one reference to `task`. */
static void
request_attempt (GTask *task)
{
  DslClient *self = g_task_get_source_object (task);
  DslRequest *request = g_task_get_task_data (task);

  if (self->session != NULL &&
      (client_is_paused (self) || self->n_in_flight >= DSL_CLIENT_MAX_IN_FLIGHT ||
       !g_queue_is_empty (&self->held)))
    {
      g_debug ("%s /%s held back (%s)", request->method, request_log_path (request),
               client_is_paused (self) ? "paused after a 429" : "requests in flight");
      client_hold (self, &self->held, task);
      return;
    }
  self->n_in_flight++;
  request->holds_slot = TRUE;
  request_send (task);
}

static gboolean
request_retry_cb (gpointer user_data)
{
  GTask *task = user_data;

  if (!g_task_return_error_if_cancelled (task))
    request_attempt (g_object_ref (task));
  return G_SOURCE_REMOVE;
}

/* Waits `delay_ms` (or until the caller cancels) and sends again. Consumes `task`. */
static void
request_retry_later (GTask *task,
                     guint  delay_ms)
{
  DslRequest *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GSource) source = g_timeout_source_new (delay_ms);

  request->attempt++;
  g_debug ("retrying %s /%s in %u ms", request->method, request_log_path (request), delay_ms);

  /* A cancelled wait must end at once, not after a 10 s Retry-After. */
  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
    }
  g_source_set_callback (source, request_retry_cb, task, g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

/* Whether a failed attempt is worth repeating, and after how long. */
static gboolean
request_should_retry (DslRequest   *request,
                      const GError *error,
                      guint        *delay_ms)
{
  if (!g_str_equal (request->method, "GET") ||
      request->attempt >= G_N_ELEMENTS (retry_backoff_ms))
    return FALSE;

  *delay_ms = retry_backoff_ms[request->attempt];

  if (error->domain == DSL_ERROR)
    {
      if (error->code == DSL_ERROR_RATE_LIMITED)
        {
          guint retry_after = dsl_error_get_retry_after (error);

          if (retry_after > MAX_RETRY_AFTER_SECONDS)
            return FALSE;
          if (retry_after > 0)
            *delay_ms = retry_after * 1000;
          return TRUE;
        }
      return error->code == DSL_ERROR_SERVER && dsl_error_get_status (error) >= 500;
    }

  /* Transport errors, except those that cannot get better by themselves. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      error->domain == G_TLS_ERROR ||
      g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    return FALSE;
  return TRUE;
}

/* `error` (taken) as `code` with `message`, keeping what the server said (status, message,
 * error type). */
static GError *
recode_error (GError     *error,
              DslError    code,
              const char *message)
{
  GError *mapped = g_error_copy (error);

  mapped->code = code;
  g_free (mapped->message);
  mapped->message = g_strdup (message);
  g_error_free (error);
  return mapped;
}

/* The login call has its own words for 401 and for its 403s. Those are told apart by what
 * does not change with the portal's language (the message does): the brute-force and recaptcha
 * refusals are sent without the exception's type, stack and hresult, a disabled user as an
 * InvalidOperationException (AuthenticationController.cs; CustomExceptionHandler in
 * ResponseWrapper.cs). */
static GError *
map_login_error (GError *error)
{
  const char *server_type;

  if (error->domain != DSL_ERROR)
    return error;

  server_type = dsl_error_get_server_type (error);
  if (error->code == DSL_ERROR_UNAUTHORIZED)
    return recode_error (error, DSL_ERROR_LOGIN_FAILED, _("The e-mail or password is wrong."));
  if (error->code == DSL_ERROR_FORBIDDEN && dsl_error_get_server_message (error) != NULL &&
      server_type == NULL)
    return recode_error (error, DSL_ERROR_TOO_MANY_ATTEMPTS,
                         _("Too many sign-in attempts. Wait a while, then sign in through the "
                           "portal's web page once."));
  if (error->code == DSL_ERROR_FORBIDDEN &&
      g_strcmp0 (server_type, "System.InvalidOperationException") == 0)
    return recode_error (error, DSL_ERROR_ACCOUNT_DISABLED,
                         _("This account is disabled. Ask the portal’s administrator."));
  return error;
}

static void handle_parsed (GTask       *task,
                           DslEnvelope *envelope);

/* What the request does with its answer, parsed (envelope) or not (error, owned). */
static void
request_parsed (GTask       *task,
                DslEnvelope *envelope,
                GError      *error)
{
  DslClient *self = g_task_get_source_object (task);
  DslRequest *request = g_task_get_task_data (task);
  guint delay_ms = 0;

  if (envelope != NULL)
    {
      request->spec->handler (task, envelope);
      return;
    }

  g_assert (error != NULL);
  if (g_error_matches (error, DSL_ERROR, DSL_ERROR_RATE_LIMITED))
    client_pause (self, dsl_error_get_retry_after (error));
  if (request_should_retry (request, error, &delay_ms))
    {
      g_debug ("%s /%s failed: %s",
               request->method, request_log_path (request), error->message);
      g_error_free (error);
      request_retry_later (g_object_ref (task), delay_ms);
      return;
    }

  if (error->domain == DSL_ERROR)
    error = dsl_error_for_credentials (error, request->credentials,
                                       g_str_has_prefix (request->path, "api/2.0/")
                                       ? request->path + strlen ("api/2.0/") : request->path);
  if (request->spec->flags & REQUEST_LOGIN)
    error = map_login_error (error);
  else if (g_error_matches (error, DSL_ERROR, DSL_ERROR_UNAUTHORIZED))
    g_signal_emit (self, signals[UNAUTHORIZED], 0);

  g_task_return_error (task, error);
}

/* Bodies above this size are parsed (and freed) in GLib's thread pool: a page of 100 files is
 * about 200 kB of JSON and takes 15-30 ms to parse, and several pages arriving together would
 * otherwise hold the main loop (and the window's frames) for hundreds of milliseconds (the
 * link checkup). HTTP itself stays on the main loop; dsl_envelope_parse is a pure function. */
#define PARSE_IN_THREAD_BYTES (8 * 1024)

typedef struct {
  guint          status;
  char          *retry_after;
  GBytes        *body;
  /* handle_parsed requests: their dsl-json parser runs in the thread too */
  ParseFunc      parse;
  GDestroyNotify result_free;
  gboolean       parsed;
  DslEnvelope   *envelope;      /* when not parsed */
  gpointer       result;
  GError        *parse_error;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_free (job->retry_after);
  g_bytes_unref (job->body);
  if (job->result != NULL)
    job->result_free (job->result);
  g_clear_error (&job->parse_error);
  g_clear_pointer (&job->envelope, dsl_envelope_free);
  g_free (job);
}

static void
parse_thread (GTask        *parse,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ParseJob *job = task_data;
  GError *error = NULL;
  DslEnvelope *envelope = dsl_envelope_parse (job->status, job->retry_after, job->body, &error);

  if (envelope == NULL)
    {
      g_task_return_error (parse, error);
      return;
    }
  if (envelope->response != NULL && job->parse != NULL)
    {
      job->result = job->parse (envelope->response, &job->parse_error);
      job->parsed = TRUE;
      /* Freeing a large JSON tree costs about as much as building it: here, not in the
       * main loop. */
      dsl_envelope_free (envelope);
      envelope = NULL;
    }
  job->envelope = envelope;
  g_task_return_boolean (parse, TRUE);
}

static void
parse_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ParseJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(DslEnvelope) envelope = NULL;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      request_parsed (task, NULL, error);
      return;
    }
  if (job->parsed)
    {
      /* What handle_parsed would do, with the result made in the thread. */
      if (job->result != NULL)
        g_task_return_pointer (task, g_steal_pointer (&job->result), job->result_free);
      else
        g_task_return_error (task, g_steal_pointer (&job->parse_error));
      return;
    }
  envelope = g_steal_pointer (&job->envelope);
  request_parsed (task, envelope, NULL);
}

/* The body has been read: to the parser. Consumes `task`. */
static void
request_complete (GTask  *task,
                  GBytes *body_in)
{
  DslRequest *request = g_task_get_task_data (task);
  g_autoptr(GBytes) body = body_in;
  g_autoptr(DslEnvelope) envelope = NULL;
  GError *error = NULL;
  SoupMessageHeaders *headers = soup_message_get_response_headers (request->message);
  guint status = soup_message_get_status (request->message);
  const char *retry_after = soup_message_headers_get_one (headers, "Retry-After");

  g_debug ("%s /%s -> %u", request->method, request_log_path (request), status);
  if (g_bytes_get_size (body) > PARSE_IN_THREAD_BYTES)
    {
      ParseJob *job = g_new0 (ParseJob, 1);
      g_autoptr(GTask) parse = g_task_new (NULL, NULL, parse_done, task);

      job->status = status;
      job->retry_after = g_strdup (retry_after);
      job->body = g_steal_pointer (&body);
      if (request->spec->handler == handle_parsed)
        {
          job->parse = request->spec->parse;
          job->result_free = request->spec->result_free;
        }
      g_task_set_source_tag (parse, request_complete);
      g_task_set_task_data (parse, job, (GDestroyNotify) parse_job_free);
      g_task_run_in_thread (parse, parse_thread);
      return;
    }
  envelope = dsl_envelope_parse (status, retry_after, body, &error);
  request_parsed (task, envelope, error);
  g_object_unref (task);
}

/* The attempt failed before its body was read (`error` taken). Consumes `task`. */
static void
request_fail (GTask  *task,
              GError *error)
{
  DslRequest *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && request->timed_out &&
      !g_cancellable_is_cancelled (cancellable))
    {
      g_error_free (error);
      error = g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                           _("The portal did not answer within %u seconds."),
                           ((DslClient *) g_task_get_source_object (task))->timeout * 2);
    }
  request_end_attempt (request, cancellable);
  request_parsed (task, NULL, error);
  g_object_unref (task);
}

static GError *
body_too_large_error (guint status,
                      gsize cap)
{
  g_autofree char *size = g_format_size_full (cap, G_FORMAT_SIZE_IEC_UNITS);

  return dsl_error_new (DSL_ERROR_INVALID_RESPONSE, status, NULL,
                        _("The portal sent a response that is too large (more than %s)."),
                        size);
}

/* The most a body may hold: error bodies are small, lists may be long. */
static gsize
request_body_cap (DslRequest *request,
                  guint       status)
{
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    return MAX_ERROR_BODY_BYTES;
  return (request->spec->flags & REQUEST_LIST) ? MAX_LIST_BODY_BYTES : MAX_BODY_BYTES;
}

static void request_read (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
request_read_more (GTask *task)
{
  DslRequest *request = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   request->cancellable, request_read, task);
}

static void
request_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  DslRequest *request = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      request_fail (task, error);
      return;
    }
  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      GBytes *body = g_byte_array_free_to_bytes (g_steal_pointer (&request->buffer));

      /* At its end, the body's stream closes without waiting. */
      g_input_stream_close (request->stream, NULL, NULL);
      g_clear_object (&request->stream);
      request_end_attempt (request, g_task_get_cancellable (task));
      request_complete (task, body);
      return;
    }
  if (size > request->cap - request->buffer->len)
    {
      request_fail (task, body_too_large_error (soup_message_get_status (request->message),
                                                request->cap));
      return;
    }
  g_byte_array_append (request->buffer, g_bytes_get_data (chunk, NULL), size);
  request_read_more (task);
}

/* The headers are in: the body is read only when its announced size is within the cap. */
static void
request_sent (GTask        *task,
              GInputStream *stream,
              GError       *error)
{
  DslRequest *request = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  guint status;

  if (stream == NULL)
    {
      request_fail (task, error);
      return;
    }
  request->stream = stream;
  status = soup_message_get_status (request->message);
  headers = soup_message_get_response_headers (request->message);
  request->cap = request_body_cap (request, status);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) request->cap)
    {
      request_fail (task, body_too_large_error (status, request->cap));
      return;
    }
  request->buffer = g_byte_array_new ();
  request_read_more (task);
}

/* Starts an operation. Takes ownership of `path`, `query` and `body`. `link_id`: the link a
 * delete names, for the answer's check (NULL for anything else). */
static void
client_send_for_link (DslClient           *self,
                      const char          *method,
                      char                *path,
                      char                *query,
                      JsonObject          *body,
                      const char          *link_id,
                      const ResultSpec    *spec,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             source_tag)
{
  GTask *task;
  DslRequest *request;

  g_assert (DSL_IS_CLIENT (self));
  g_assert (path != NULL);
  g_assert (spec != NULL && spec->handler != NULL);

  request = g_new0 (DslRequest, 1);
  request->method = method;
  request->spec = spec;
  request->client = self;
  request->path = path;
  request->query = query;
  request->link_id = g_strdup (link_id);
  if (body != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
      char *text = dsl_json_to_string (node);

      request->body = g_bytes_new_take (text, strlen (text));
      json_object_unref (body);
    }

  task = g_task_new (self, cancellable, callback, user_data);
  /* The function form: the macro would name every task "source_tag". */
  (g_task_set_source_tag) (task, source_tag);
  g_task_set_task_data (task, request, request_free);

  request_attempt (task);
}

static void
client_send (DslClient           *self,
             const char          *method,
             char                *path,
             char                *query,
             JsonObject          *body,
             const ResultSpec    *spec,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  client_send_for_link (self, method, path, query, body, NULL, spec, cancellable, callback,
                        user_data, source_tag);
}

/* Refuses an operation without sending anything (DSL_ERROR_INVALID_ARGUMENT). */
G_GNUC_PRINTF (5, 6)
static void
client_refuse (DslClient           *self,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag,
               const char          *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_task_report_error (self, callback, user_data, source_tag,
                       dsl_error_new (DSL_ERROR_INVALID_ARGUMENT, 0, NULL, "%s", message));
}

/* --- response handlers --- */

static GError *
missing_response_error (DslError code)
{
  if (code == DSL_ERROR_NOT_APPLIED)
    return dsl_error_new (DSL_ERROR_NOT_APPLIED, 200, NULL, "%s",
                          _("The portal accepted the request but did not apply it."));
  return dsl_error_new (DSL_ERROR_INVALID_RESPONSE, 200, NULL, "%s",
                        _("The portal sent an answer without the “response” member."));
}

/* The common case: `response` through one dsl-json parser. */
static void
handle_parsed (GTask       *task,
               DslEnvelope *envelope)
{
  DslRequest *request = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result;

  if (envelope->response == NULL)
    {
      g_task_return_error (task, missing_response_error (request->spec->missing_code));
      return;
    }

  result = request->spec->parse (envelope->response, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, request->spec->result_free);
}

/* Success is all there is to know. */
static void
handle_done (GTask       *task,
             DslEnvelope *envelope)
{
  g_task_return_boolean (task, TRUE);
}

static void
handle_logout (GTask       *task,
               DslEnvelope *envelope)
{
  dsl_client_set_session_token (g_task_get_source_object (task), NULL);
  g_task_return_boolean (task, TRUE);
}

static void
handle_login (GTask       *task,
              DslEnvelope *envelope)
{
  DslClient *self = g_task_get_source_object (task);
  g_autoptr(DslAuthResult) auth = NULL;
  GError *error = NULL;

  if (envelope->response == NULL)
    {
      g_task_return_error (task, missing_response_error (DSL_ERROR_INVALID_RESPONSE));
      return;
    }

  auth = dsl_json_parse_auth_result (envelope->response, &error);
  if (auth == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (auth->token == NULL && auth->tfa && auth->tfa_key != NULL)
    {
      const char *url = auth->confirm_url != NULL ? auth->confirm_url : self->base_url;

      g_task_return_error (task,
                           dsl_error_new (DSL_ERROR_TFA_SETUP_REQUIRED, 200, NULL,
                                          _("This account must set up two-factor authentication "
                                            "first. Finish the setup in a web browser at %s, "
                                            "then sign in again."),
                                          url));
      return;
    }

  if (auth->token != NULL)
    dsl_client_set_session_token (self, auth->token);
  g_task_return_pointer (task, g_steal_pointer (&auth), (GDestroyNotify) dsl_auth_result_free);
}

static char *
links_page_query (guint start_index)
{
  return g_strdup_printf ("startIndex=%u&count=%u", start_index, DSL_CLIENT_PAGE_SIZE);
}

/* A links array; for REQUEST_PAGED, gathers every page the envelope's `total` announces. */
static void
handle_links (GTask       *task,
              DslEnvelope *envelope)
{
  DslRequest *request = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  GError *error = NULL;
  guint first;

  if (envelope->response == NULL)
    {
      g_task_return_error (task, missing_response_error (DSL_ERROR_INVALID_RESPONSE));
      return;
    }

  page = dsl_json_parse_links (envelope->response, &error);
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (request->links == NULL)
    request->links = g_ptr_array_new_with_free_func (g_object_unref);
  first = request->links->len;
  g_ptr_array_extend_and_steal (request->links, g_steal_pointer (&page));

  if ((request->spec->flags & REQUEST_PAGED) && envelope->total >= 0)
    {
      /* The raw element count: skipped user shares still advance the page. */
      guint received = json_array_get_length (json_node_get_array (envelope->response));
      guint fresh = 0;

      /* A hostile portal could page for ever (`total` 10^15, one link a page) or send the
       * same links again and again: bounded, and said so. */
      if (request->link_ids == NULL)
        request->link_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = first; i < request->links->len; i++)
        {
          const char *id = dsl_link_get_id (g_ptr_array_index (request->links, i));

          if (id != NULL && !g_hash_table_contains (request->link_ids, id))
            {
              g_hash_table_add (request->link_ids, g_strdup (id));
              fresh++;
            }
        }
      request->pages++;
      if (received > 0 && request->start_index + received < (guint64) envelope->total &&
          (envelope->total > MAX_LISTING_ITEMS || request->pages >= MAX_LISTING_PAGES ||
           (guint64) request->start_index + received >= MAX_LISTING_ITEMS ||
           (fresh == 0 && request->links->len > first)))
        {
          /* The total as text: a format macro inside _() would not reach the catalog. */
          g_autofree char *announced = g_strdup_printf ("%" G_GINT64_FORMAT, envelope->total);

          g_task_return_new_error (task, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                                   /* Translators: the first %s is a number of links */
                                   _("The portal keeps sending more links (it announced %s; "
                                     "%u pages read). The list was stopped: the app reads at "
                                     "most %u links in %u pages."),
                                   announced, request->pages, MAX_LISTING_ITEMS,
                                   MAX_LISTING_PAGES);
          return;
        }

      if (received > 0 && request->start_index + received < (guint64) envelope->total)
        {
          request->start_index += received;
          request->attempt = 0;
          g_free (request->query);
          request->query = links_page_query (request->start_index);
          request_attempt (g_object_ref (task));
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&request->links),
                         (GDestroyNotify) g_ptr_array_unref);
}

/* The room's invitation link (type=0), or NULL when it has none. */
static void
handle_invitation (GTask       *task,
                   DslEnvelope *envelope)
{
  g_autoptr(GPtrArray) links = NULL;
  GError *error = NULL;

  if (envelope->response == NULL)
    {
      g_task_return_error (task, missing_response_error (DSL_ERROR_INVALID_RESPONSE));
      return;
    }

  links = dsl_json_parse_links (envelope->response, &error);
  if (links == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < links->len; i++)
    {
      DslLink *link = g_ptr_array_index (links, i);

      if (dsl_link_get_link_type (link) == DSL_LINK_TYPE_INVITATION)
        {
          g_task_return_pointer (task, g_object_ref (link), g_object_unref);
          return;
        }
    }
  g_task_return_pointer (task, NULL, NULL);
}

/* The answer to a delete (access 0, docspace-api.md §6.1): no link when the link is gone;
 * another link when a canRevoke link was regenerated; the same link, still with a role, when
 * the server skipped the whole change (it compares the stored audience and expiry with the
 * request first) — that is DSL_ERROR_NOT_APPLIED, never a success. */
static void
handle_removed (GTask       *task,
                DslEnvelope *envelope)
{
  DslRequest *request = g_task_get_task_data (task);
  DslLink *link;
  GError *error = NULL;

  if (envelope->response == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  link = dsl_json_parse_link (envelope->response, &error);
  if (link == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_strcmp0 (dsl_link_get_id (link), request->link_id) == 0 &&
      dsl_link_get_access (link) != DSL_ACCESS_NONE)
    {
      g_object_unref (link);
      g_task_return_new_error (task, DSL_ERROR, DSL_ERROR_NOT_APPLIED, "%s",
                               _("The portal kept the link: it answered without removing it. "
                                 "Someone may have changed the link, or you may not change "
                                 "its settings."));
      return;
    }
  g_task_return_pointer (task, link, g_object_unref);
}

#define PARSED(parser, free_func, missing) \
  { handle_parsed, (ParseFunc) (parser), (GDestroyNotify) (free_func), (missing), 0 }
#define PARSED_LIST(parser, free_func) \
  { handle_parsed, (ParseFunc) (parser), (GDestroyNotify) (free_func), \
    DSL_ERROR_INVALID_RESPONSE, REQUEST_LIST }

static const ResultSpec user_result = PARSED (dsl_json_parse_user, g_object_unref,
                                              DSL_ERROR_INVALID_RESPONSE);
static const ResultSpec key_info_result = PARSED (dsl_json_parse_key_info, g_object_unref,
                                                  DSL_ERROR_INVALID_RESPONSE);
static const ResultSpec folder_page_result = PARSED_LIST (dsl_json_parse_folder_page,
                                                          dsl_folder_page_free);
static const ResultSpec item_result = PARSED (dsl_json_parse_item, g_object_unref,
                                              DSL_ERROR_INVALID_RESPONSE);
static const ResultSpec audit_result = PARSED_LIST (dsl_json_parse_audit_events,
                                                    g_ptr_array_unref);
/* A link must come back: a 200 without one means the server skipped the request. */
static const ResultSpec link_result = PARSED (dsl_json_parse_link, g_object_unref,
                                              DSL_ERROR_NOT_APPLIED);
static const ResultSpec share_info_result = { handle_parsed,
                                              (ParseFunc) dsl_json_parse_share_info,
                                              (GDestroyNotify) dsl_share_info_free,
                                              DSL_ERROR_INVALID_RESPONSE, REQUEST_SECRET_PATH };
static const ResultSpec sharing_policy_result = PARSED (dsl_json_parse_sharing_policy,
                                                        dsl_sharing_policy_free,
                                                        DSL_ERROR_INVALID_RESPONSE);
static const ResultSpec login_result = { handle_login, .flags = REQUEST_LOGIN };
static const ResultSpec logout_result = { handle_logout };
static const ResultSpec done_result = { handle_done };
static const ResultSpec links_result = { handle_links, .flags = REQUEST_LIST };
static const ResultSpec paged_links_result = { handle_links,
                                               .flags = REQUEST_PAGED | REQUEST_LIST };
static const ResultSpec invitation_result = { handle_invitation, .flags = REQUEST_LIST };
static const ResultSpec removed_result = { handle_removed };

#undef PARSED
#undef PARSED_LIST

/* --- paths, queries and bodies --- */

/* Ids are opaque (third-party ones are strings like "sbox-12-…"): escape everything but '@',
 * which is legal in a path segment and names special folders ("@my"). */
static char *
escape_id (const char *id)
{
  return g_uri_escape_string (id, "@", FALSE);
}

/* "api/2.0/files/{file,folder,rooms}/<id><suffix>" */
static char *
item_path (DslItemKind  kind,
           const char  *id,
           const char  *suffix)
{
  static const char * const sections[] = {
    [DSL_ITEM_KIND_FILE] = "files/file",
    [DSL_ITEM_KIND_FOLDER] = "files/folder",
    [DSL_ITEM_KIND_ROOM] = "files/rooms",
  };
  g_autofree char *escaped = escape_id (id);

  g_assert ((guint) kind < G_N_ELEMENTS (sections));
  return g_strconcat ("api/2.0/", sections[kind], "/", escaped, suffix, NULL);
}

static void
query_add (GString    *query,
           const char *name,
           const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append (query, name);
  g_string_append_c (query, '=');
  g_string_append (query, escaped);
}

static void
query_add_int (GString    *query,
               const char *name,
               gint64      value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  query_add (query, name, text);
}

static void
query_add_date (GString    *query,
                const char *name,
                GDateTime  *date)
{
  g_autofree char *text = dsl_json_format_date (date);

  /* Escaped by query_add: the offset's '+' must travel as %2B, not as a space. */
  query_add (query, name, text);
}

/* The query string, or NULL when empty. Frees `query`. */
static char *
query_end (GString *query)
{
  if (query->len == 0)
    {
      g_string_free (query, TRUE);
      return NULL;
    }
  return g_string_free (query, FALSE);
}

/* The link request body of docspace-api.md §4, built by dsl-json (the one place that knows
 * its members and types), as a mutable copy without the members named in `drop`. */
static JsonObject *
link_body (DslLink            *state,
           gboolean            for_room,
           const char * const *drop)
{
  g_autoptr(JsonNode) built = dsl_json_build_link_request (state, for_room);
  JsonObject *source = json_node_get_object (built);
  g_autoptr(GList) members = json_object_get_members (source);
  JsonObject *object = json_object_new ();

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (drop == NULL || !g_strv_contains (drop, name))
        json_object_set_member (object, name,
                                json_node_copy (json_object_get_member (source, name)));
    }
  return object;
}

/* A new link has no linkId: whatever id the state carries is not sent. */
static const char * const new_link_drop[] = { "linkId", NULL };
/* An invitation carries a role, a title, an expiry and a use limit; nothing else. */
static const char * const invitation_drop[] = { "password", "denyDownload", "internal", NULL };

/* {"linkId": id, "access": 0} (+ "linkType" for rooms): access None deletes the link. Used
 * for a room's invitation link, whose check compares nothing else. */
static JsonObject *
delete_body (const char *link_id,
             int         room_link_type)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "linkId", link_id);
  json_object_set_int_member (object, "access", DSL_ACCESS_NONE);
  if (room_link_type >= 0)
    json_object_set_int_member (object, "linkType", room_link_type);
  return object;
}

/* An external link's delete: its full state as last read, with access 0, as the web client
 * sends it. The server compares the stored audience and expiry with the request before it
 * applies anything, and skips the whole change when one differs and may not be changed (every
 * link of a virtual data room is internal), so a bare {linkId, access: 0} can do nothing
 * (FileSharing.cs; docspace-api.md §6.1). */
static JsonObject *
delete_state_body (DslLink  *link,
                   gboolean  for_room)
{
  JsonObject *object = link_body (link, for_room, NULL);

  json_object_set_int_member (object, "access", DSL_ACCESS_NONE);
  return object;
}

static gboolean
count_is_valid (guint count)
{
  return count >= 1 && count <= DSL_CLIENT_PAGE_SIZE;
}

#define COUNT_REFUSAL N_("Ask for 1 to 100 items at a time, not %u.")

/* ------------------------------------------------------------------------------------------ */
/* Addresses                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_str_equal (host, "localhost"))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* The host in lower case ASCII (IDN → punycode), or NULL when it is not a host name or an IP
 * address (GUri lets spaces and other oddities through). */
static char *
host_normalize (const char *host)
{
  g_autofree char *ascii = NULL;

  if (g_hostname_is_ip_address (host))
    return g_ascii_strdown (host, -1);

  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL || *ascii == '\0')
    return NULL;
  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
        return NULL;
    }
  return g_ascii_strdown (ascii, -1);
}

char *
dsl_client_normalize_url (const char  *address,
                          GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *full = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  gboolean is_http;
  int port;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_strstrip (g_strdup (address != NULL ? address : ""));
  if (*text == '\0')
    {
      g_propagate_error (error, dsl_error_new (DSL_ERROR_INVALID_ARGUMENT, 0, NULL, "%s",
                                               _("Enter the address of your DocSpace portal, "
                                                 "for example https://docspace.example.com.")));
      return NULL;
    }

  /* "localhost:8080" has a scheme as far as URI syntax goes; only "x://" counts as one here. */
  scheme = g_uri_peek_scheme (text);
  if (scheme != NULL && g_str_has_prefix (text + strlen (scheme) + 1, "//"))
    full = g_strdup (text);
  else
    full = g_strconcat ("https://", text, NULL);

  uri = g_uri_parse (full, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_propagate_error (error, dsl_error_new (DSL_ERROR_INVALID_ARGUMENT, 0, NULL,
                                               _("“%s” is not a web address. Enter it as "
                                                 "https://docspace.example.com."),
                                               text));
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  is_http = g_ascii_strcasecmp (scheme, "http") == 0;
  if (!is_http && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_propagate_error (error, dsl_error_new (DSL_ERROR_INVALID_ARGUMENT, 0, NULL,
                                               _("Only https:// addresses are supported, "
                                                 "not %s://."),
                                               scheme));
      return NULL;
    }

  host = host_normalize (g_uri_get_host (uri));
  if (host == NULL)
    {
      g_propagate_error (error, dsl_error_new (DSL_ERROR_INVALID_ARGUMENT, 0, NULL,
                                               _("“%s” is not a valid host name."),
                                               g_uri_get_host (uri)));
      return NULL;
    }
  if (is_http && !host_is_loopback (host))
    {
      g_propagate_error (error, dsl_error_new (DSL_ERROR_INVALID_ARGUMENT, 0, NULL, "%s",
                                               _("Plain http:// is only accepted for addresses "
                                                 "on this computer (localhost). Use https:// "
                                                 "for your portal.")));
      return NULL;
    }

  /* IPv6 literals keep their brackets; an explicit port stays even when it is the default. */
  if (strchr (host, ':') != NULL)
    {
      g_auto(GStrv) zone = g_strsplit (host, "%", 2);  /* fe80::1%eth0: the % is escaped */
      char *bracketed = g_strconcat ("[", zone[0], zone[1] != NULL ? "%25" : "",
                                     zone[1] != NULL ? zone[1] : "", "]", NULL);

      g_free (host);
      host = bracketed;
    }
  port = g_uri_get_port (uri);
  if (port > 0)
    return g_strdup_printf ("%s://%s:%d", is_http ? "http" : "https", host, port);
  return g_strdup_printf ("%s://%s", is_http ? "http" : "https", host);
}

/* ------------------------------------------------------------------------------------------ */
/* GObject                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* Ends every call in `queue` with G_IO_ERROR_CANCELLED (the client is being disposed). */
static void
client_end_held (DslClient *self,
                 GQueue    *queue)
{
  while (!g_queue_is_empty (queue))
    {
      Waiter *waiter = waiter_unlink (g_queue_peek_head (queue));

      g_task_return_new_error (waiter->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The connection to the portal was closed."));
      waiter_free (waiter);
    }
}

static void
dsl_client_dispose (GObject *object)
{
  DslClient *self = DSL_CLIENT (object);

  /* Pending tasks hold a reference, so this only meets work in flight through
   * g_object_run_dispose(): it ends with G_IO_ERROR_CANCELLED, and retries see no session.
   * Detached sends (soup_cancel_is_unsafe) do not hold the client: aborting the session would
   * cancel them in libsoup, so there it is not aborted; they end by themselves. */
  g_cancellable_cancel (self->closing);
  if (self->session != NULL && !soup_cancel_is_unsafe ())
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  /* Nothing held back waits for a pause or a slot any more. */
  if (self->resume != NULL)
    g_source_destroy (self->resume);
  g_clear_pointer (&self->resume, g_source_unref);
  self->resume_at = 0;
  client_end_held (self, &self->held);
  client_end_held (self, &self->pause_waits);

  G_OBJECT_CLASS (dsl_client_parent_class)->dispose (object);
}

/* Secrets are wiped before their memory goes back to the allocator. */
static void
secret_free (char *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
dsl_client_finalize (GObject *object)
{
  DslClient *self = DSL_CLIENT (object);

  g_clear_object (&self->closing);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->api_key, secret_free);
  g_clear_pointer (&self->session_token, secret_free);

  G_OBJECT_CLASS (dsl_client_parent_class)->finalize (object);
}

static void
dsl_client_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DslClient *self = DSL_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, dsl_client_get_paused (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_client_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DslClient *self = DSL_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_assert (self->base_url == NULL);
      self->base_url = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      dsl_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dsl_client_class_init (DslClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dsl_client_dispose;
  object_class->finalize = dsl_client_finalize;
  object_class->get_property = dsl_client_get_property;
  object_class->set_property = dsl_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TIMEOUT_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether a 429 holds every request back (notified when a pause starts and ends). */
  properties[PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted when an authenticated call got a 401: the key or token no longer works. */
  signals[UNAUTHORIZED] =
    g_signal_new ("unauthorized",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* Emitted by dsl-link-ops after the server answered a write to a link: (kind as int,
   * item id, link id, the stored DslLink or NULL when the link was removed). The temporary-
   * link guard follows the expiries it keeps through it. */
  signals[LINK_STORED] =
    g_signal_new ("link-stored",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING, DSL_TYPE_LINK);
}

void
dsl_client_emit_link_stored (DslClient   *self,
                             DslItemKind  kind,
                             const char  *item_id,
                             const char  *link_id,
                             DslLink     *stored)
{
  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (item_id != NULL && link_id != NULL);
  g_return_if_fail (stored == NULL || DSL_IS_LINK (stored));

  g_signal_emit (self, signals[LINK_STORED], 0, (int) kind, item_id, link_id, stored);
}

gboolean
dsl_client_get_paused (DslClient *self)
{
  g_return_val_if_fail (DSL_IS_CLIENT (self), FALSE);

  return client_is_paused (self);
}

gint64
dsl_client_get_resume_time (DslClient *self)
{
  g_return_val_if_fail (DSL_IS_CLIENT (self), 0);

  return client_is_paused (self) ? self->resume_at : 0;
}

void
dsl_client_wait_async (DslClient           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_client_wait_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!client_is_paused (self) || self->session == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  client_hold (self, &self->pause_waits, g_steal_pointer (&task));
}

gboolean
dsl_client_wait_finish (DslClient     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_wait_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The timeout of new clients: DEFAULT_TIMEOUT_SECONDS, or DSL_REQUEST_TIMEOUT (1–600 seconds)
 * from the environment, which the end-to-end tests of a slow portal set (a person never
 * waits the default's minutes there). */
static guint
initial_timeout (void)
{
  const char *text = g_getenv ("DSL_REQUEST_TIMEOUT");
  guint64 seconds = 0;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, 600, &seconds, NULL))
    return (guint) seconds;
  return DEFAULT_TIMEOUT_SECONDS;
}

static void
dsl_client_init (DslClient *self)
{
  self->timeout = initial_timeout ();
  self->closing = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
  /* The client holds attempts beyond the cap itself; libsoup's limit is the same. */
  self->session = soup_session_new_with_options ("user-agent", "DocSpaceLinks/" PACKAGE_VERSION,
                                                 "max-conns", DSL_CLIENT_MAX_IN_FLIGHT,
                                                 "max-conns-per-host", DSL_CLIENT_MAX_IN_FLIGHT,
                                                 "timeout", self->timeout,
                                                 "idle-timeout", self->timeout,
                                                 NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                  */
/* ------------------------------------------------------------------------------------------ */

DslClient *
dsl_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (DSL_TYPE_CLIENT, "base-url", base_url, NULL);
}

const char *
dsl_client_get_base_url (DslClient *self)
{
  g_return_val_if_fail (DSL_IS_CLIENT (self), NULL);

  return self->base_url;
}

void
dsl_client_set_timeout (DslClient *self,
                        guint      seconds)
{
  g_return_if_fail (DSL_IS_CLIENT (self));

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  if (self->session != NULL)
    {
      soup_session_set_timeout (self->session, seconds);
      soup_session_set_idle_timeout (self->session, seconds);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

void
dsl_client_set_api_key (DslClient  *self,
                        const char *api_key)
{
  g_return_if_fail (DSL_IS_CLIENT (self));

  g_clear_pointer (&self->session_token, secret_free);
  secret_free (self->api_key);
  self->api_key = g_strdup (api_key);
}

void
dsl_client_set_session_token (DslClient  *self,
                              const char *token)
{
  g_return_if_fail (DSL_IS_CLIENT (self));

  g_clear_pointer (&self->api_key, secret_free);
  secret_free (self->session_token);
  self->session_token = g_strdup (token);
}

gboolean
dsl_client_has_credentials (DslClient *self)
{
  g_return_val_if_fail (DSL_IS_CLIENT (self), FALSE);

  return self->api_key != NULL || self->session_token != NULL;
}

/* --- The portal's settings --- */

void
dsl_client_get_sharing_policy_async (DslClient           *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));

  client_send (self, "GET", g_strdup ("api/2.0/files/settings"), NULL, NULL,
               &sharing_policy_result, cancellable, callback, user_data,
               dsl_client_get_sharing_policy_async);
}

DslSharingPolicy *
dsl_client_get_sharing_policy_finish (DslClient     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_get_sharing_policy_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Authentication --- */

void
dsl_client_get_self_async (DslClient           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));

  client_send (self, "GET", g_strdup ("api/2.0/people/@self"), NULL, NULL, &user_result,
               cancellable, callback, user_data, dsl_client_get_self_async);
}

DslUser *
dsl_client_get_self_finish (DslClient     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_get_self_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dsl_client_get_key_info_async (DslClient           *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));

  client_send (self, "GET", g_strdup ("api/2.0/keys/@self"), NULL, NULL, &key_info_result,
               cancellable, callback, user_data, dsl_client_get_key_info_async);
}

DslKeyInfo *
dsl_client_get_key_info_finish (DslClient     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_get_key_info_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dsl_client_login_async (DslClient           *self,
                        const char          *email,
                        const char          *password,
                        const char          *code,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  JsonObject *object;
  g_autofree char *escaped_code = NULL;
  char *path;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  /* The body holds the password: it is never logged (request_attempt logs the path only). */
  object = json_object_new ();
  json_object_set_string_member (object, "userName", email);
  json_object_set_string_member (object, "password", password);
  json_object_set_boolean_member (object, "session", FALSE);

  if (code != NULL && *code != '\0')
    {
      /* The server reads the code from the body; the path carries it too (§1.4). */
      json_object_set_string_member (object, "code", code);
      escaped_code = g_uri_escape_string (code, NULL, FALSE);
      path = g_strconcat ("api/2.0/authentication/", escaped_code, NULL);
    }
  else
    path = g_strdup ("api/2.0/authentication");

  client_send (self, "POST", path, NULL, object, &login_result,
               cancellable, callback, user_data, dsl_client_login_async);
}

DslAuthResult *
dsl_client_login_finish (DslClient     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_login_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dsl_client_logout_async (DslClient           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));

  client_send (self, "POST", g_strdup ("api/2.0/authentication/logout"), NULL, NULL,
               &logout_result, cancellable, callback, user_data, dsl_client_logout_async);
}

gboolean
dsl_client_logout_finish (DslClient     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_logout_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Browsing --- */

void
dsl_client_list_rooms_async (DslClient           *self,
                             const char          *filter_value,
                             const DslRoomType   *room_types,
                             gsize                n_room_types,
                             guint                start_index,
                             guint                count,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GString *query;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (room_types != NULL || n_room_types == 0);

  if (!count_is_valid (count))
    {
      client_refuse (self, callback, user_data, dsl_client_list_rooms_async,
                     _(COUNT_REFUSAL), count);
      return;
    }

  query = g_string_new (NULL);
  if (filter_value != NULL && *filter_value != '\0')
    query_add (query, "filterValue", filter_value);
  for (gsize i = 0; i < n_room_types; i++)
    query_add_int (query, "type", room_types[i]);
  query_add_int (query, "startIndex", start_index);
  query_add_int (query, "count", count);

  client_send (self, "GET", g_strdup ("api/2.0/files/rooms"), query_end (query), NULL,
               &folder_page_result, cancellable, callback, user_data,
               dsl_client_list_rooms_async);
}

DslFolderPage *
dsl_client_list_rooms_finish (DslClient     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_list_rooms_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dsl_client_list_folder_async (DslClient           *self,
                              const char          *folder_id,
                              const char          *filter_value,
                              guint                start_index,
                              guint                count,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  GString *query;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (folder_id != NULL);

  if (!count_is_valid (count))
    {
      client_refuse (self, callback, user_data, dsl_client_list_folder_async,
                     _(COUNT_REFUSAL), count);
      return;
    }

  query = g_string_new (NULL);
  if (filter_value != NULL && *filter_value != '\0')
    query_add (query, "filterValue", filter_value);
  query_add_int (query, "startIndex", start_index);
  query_add_int (query, "count", count);

  escaped = escape_id (folder_id);
  client_send (self, "GET", g_strconcat ("api/2.0/files/", escaped, NULL), query_end (query),
               NULL, &folder_page_result, cancellable, callback, user_data,
               dsl_client_list_folder_async);
}

DslFolderPage *
dsl_client_list_folder_finish (DslClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_list_folder_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dsl_client_list_page_async (DslClient           *self,
                            const char          *folder_id,
                            const char          *filter_value,
                            guint                start_index,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (folder_id != NULL);

  if (g_str_equal (folder_id, DSL_FOLDER_ROOMS))
    dsl_client_list_rooms_async (self, filter_value, NULL, 0, start_index, DSL_CLIENT_PAGE_SIZE,
                                 cancellable, callback, user_data);
  else
    dsl_client_list_folder_async (self, folder_id, filter_value, start_index,
                                  DSL_CLIENT_PAGE_SIZE, cancellable, callback, user_data);
}

DslFolderPage *
dsl_client_list_page_finish (DslClient     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_list_rooms_async) ||
                        g_async_result_is_tagged (result, dsl_client_list_folder_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
dsl_client_page_count (guint total)
{
  guint pages = total / DSL_CLIENT_PAGE_SIZE + (total % DSL_CLIENT_PAGE_SIZE != 0 ? 1 : 0);

  return MIN (pages, DSL_CLIENT_MAX_PAGES);
}

void
dsl_client_get_item_async (DslClient           *self,
                           DslItemKind          kind,
                           const char          *id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (kind <= DSL_ITEM_KIND_ROOM);
  g_return_if_fail (id != NULL);

  client_send (self, "GET", item_path (kind, id, ""), NULL, NULL, &item_result,
               cancellable, callback, user_data, dsl_client_get_item_async);
}

DslItem *
dsl_client_get_item_finish (DslClient     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_get_item_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Links --- */

/* The optional link a delete or an invitation lookup produced. */
static gboolean
finish_optional_link (GAsyncResult  *result,
                      DslLink      **link,
                      GError       **error)
{
  gboolean ok = !g_task_had_error (G_TASK (result));
  DslLink *found = g_task_propagate_pointer (G_TASK (result), error);

  if (link != NULL)
    *link = found;
  else
    g_clear_object (&found);
  return ok;
}

void
dsl_client_get_primary_link_async (DslClient           *self,
                                   DslItemKind          kind,
                                   const char          *id,
                                   DslLink             *initial,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(DslLink) defaults = NULL;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (kind <= DSL_ITEM_KIND_ROOM);
  g_return_if_fail (id != NULL);
  g_return_if_fail (initial == NULL || DSL_IS_LINK (initial));

  if (kind == DSL_ITEM_KIND_ROOM)
    {
      client_send (self, "GET", item_path (kind, id, "/link"), NULL, NULL, &link_result,
                   cancellable, callback, user_data, dsl_client_get_primary_link_async);
      return;
    }

  if (initial == NULL)
    initial = defaults = dsl_link_new ();
  client_send (self, "POST", item_path (kind, id, "/link"), NULL,
               link_body (initial, FALSE, new_link_drop), &link_result,
               cancellable, callback, user_data, dsl_client_get_primary_link_async);
}

DslLink *
dsl_client_get_primary_link_finish (DslClient     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_get_primary_link_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dsl_client_list_links_async (DslClient           *self,
                             DslItemKind          kind,
                             const char          *id,
                             int                  room_link_type,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  char *query = NULL;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (kind <= DSL_ITEM_KIND_ROOM);
  g_return_if_fail (id != NULL);

  switch (kind)
    {
    case DSL_ITEM_KIND_FILE:
      client_send (self, "GET", item_path (kind, id, "/links"), links_page_query (0), NULL,
                   &paged_links_result, cancellable, callback, user_data,
                   dsl_client_list_links_async);
      return;
    case DSL_ITEM_KIND_ROOM:
      if (room_link_type >= 0)
        query = g_strdup_printf ("type=%d", room_link_type);
      break;
    case DSL_ITEM_KIND_FOLDER:
    default:
      break;
    }

  client_send (self, "GET", item_path (kind, id, "/links"), query, NULL, &links_result,
               cancellable, callback, user_data, dsl_client_list_links_async);
}

GPtrArray *
dsl_client_list_links_finish (DslClient     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_list_links_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dsl_client_create_link_async (DslClient           *self,
                              DslItemKind          kind,
                              const char          *id,
                              DslLink             *state,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  gboolean for_room = kind == DSL_ITEM_KIND_ROOM;
  JsonObject *body;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (kind <= DSL_ITEM_KIND_ROOM);
  g_return_if_fail (id != NULL);
  g_return_if_fail (DSL_IS_LINK (state));

  body = link_body (state, for_room, new_link_drop);
  if (for_room)
    json_object_set_int_member (body, "linkType", DSL_LINK_TYPE_EXTERNAL);

  client_send (self, "PUT", item_path (kind, id, "/links"), NULL, body, &link_result,
               cancellable, callback, user_data, dsl_client_create_link_async);
}

DslLink *
dsl_client_create_link_finish (DslClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_create_link_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dsl_client_update_link_async (DslClient           *self,
                              DslItemKind          kind,
                              const char          *id,
                              DslLink             *state,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (kind <= DSL_ITEM_KIND_ROOM);
  g_return_if_fail (id != NULL);
  g_return_if_fail (DSL_IS_LINK (state));

  if (dsl_link_get_id (state) == NULL || *dsl_link_get_id (state) == '\0')
    {
      client_refuse (self, callback, user_data, dsl_client_update_link_async, "%s",
                     _("This link does not exist on the portal yet, so it cannot be changed."));
      return;
    }

  /* The full state: the server resets every member left out (§6.2). */
  client_send (self, "PUT", item_path (kind, id, "/links"), NULL,
               link_body (state, kind == DSL_ITEM_KIND_ROOM, NULL), &link_result,
               cancellable, callback, user_data, dsl_client_update_link_async);
}

DslLink *
dsl_client_update_link_finish (DslClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_update_link_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Delete and revoke send the same PUT; they differ in what they expect back. */
static void
send_link_delete (DslClient           *self,
                  DslItemKind          kind,
                  const char          *id,
                  DslLink             *link,
                  const ResultSpec    *spec,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data,
                  gpointer             source_tag)
{
  const char *link_id = dsl_link_get_id (link);

  if (link_id == NULL || *link_id == '\0')
    {
      client_refuse (self, callback, user_data, source_tag, "%s",
                     _("This link does not exist on the portal, so there is nothing to delete."));
      return;
    }

  client_send_for_link (self, "PUT", item_path (kind, id, "/links"), NULL,
                        delete_state_body (link, kind == DSL_ITEM_KIND_ROOM), link_id,
                        spec, cancellable, callback, user_data, source_tag);
}

void
dsl_client_delete_link_async (DslClient           *self,
                              DslItemKind          kind,
                              const char          *id,
                              DslLink             *link,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (kind <= DSL_ITEM_KIND_ROOM);
  g_return_if_fail (id != NULL);
  g_return_if_fail (DSL_IS_LINK (link));

  send_link_delete (self, kind, id, link, &removed_result,
                    cancellable, callback, user_data, dsl_client_delete_link_async);
}

gboolean
dsl_client_delete_link_finish (DslClient     *self,
                               GAsyncResult  *result,
                               DslLink      **replacement,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_delete_link_async), FALSE);

  return finish_optional_link (result, replacement, error);
}

void
dsl_client_revoke_link_async (DslClient           *self,
                              DslItemKind          kind,
                              const char          *id,
                              DslLink             *link,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (kind <= DSL_ITEM_KIND_ROOM);
  g_return_if_fail (id != NULL);
  g_return_if_fail (DSL_IS_LINK (link));

  send_link_delete (self, kind, id, link, &removed_result,
                    cancellable, callback, user_data, dsl_client_revoke_link_async);
}

DslLink *
dsl_client_revoke_link_finish (DslClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_revoke_link_async), NULL);

  if (!g_task_had_error (G_TASK (result)))
    {
      DslLink *replacement = g_task_propagate_pointer (G_TASK (result), NULL);

      if (replacement != NULL)
        return replacement;
      /* Gone, but nothing in its place: say what the answer shows. */
      g_set_error_literal (error, DSL_ERROR, DSL_ERROR_NOT_APPLIED,
                           _("The link was removed, but the portal sent no new link in its "
                             "place. Refresh to see the links as they are now."));
      return NULL;
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Room invitation link --- */

void
dsl_client_get_invitation_link_async (DslClient           *self,
                                      const char          *room_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (room_id != NULL);

  client_send (self, "GET", item_path (DSL_ITEM_KIND_ROOM, room_id, "/links"),
               g_strdup_printf ("type=%d", DSL_LINK_TYPE_INVITATION), NULL, &invitation_result,
               cancellable, callback, user_data, dsl_client_get_invitation_link_async);
}

gboolean
dsl_client_get_invitation_link_finish (DslClient     *self,
                                       GAsyncResult  *result,
                                       DslLink      **link,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_get_invitation_link_async),
                        FALSE);

  return finish_optional_link (result, link, error);
}

void
dsl_client_set_invitation_link_async (DslClient           *self,
                                      const char          *room_id,
                                      DslLink             *state,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(DslLink) invitation = NULL;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (room_id != NULL);
  g_return_if_fail (DSL_IS_LINK (state));

  /* As an invitation, so that dsl-json writes linkType 0 and maxUseCount. */
  invitation = dsl_link_copy (state);
  dsl_link_set_link_type (invitation, DSL_LINK_TYPE_INVITATION);

  client_send (self, "PUT", item_path (DSL_ITEM_KIND_ROOM, room_id, "/links"), NULL,
               link_body (invitation, TRUE, invitation_drop),
               &link_result, cancellable, callback, user_data,
               dsl_client_set_invitation_link_async);
}

DslLink *
dsl_client_set_invitation_link_finish (DslClient     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_set_invitation_link_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
dsl_client_delete_invitation_link_async (DslClient           *self,
                                         const char          *room_id,
                                         const char          *link_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (room_id != NULL);
  g_return_if_fail (link_id != NULL);

  client_send (self, "PUT", item_path (DSL_ITEM_KIND_ROOM, room_id, "/links"), NULL,
               delete_body (link_id, DSL_LINK_TYPE_INVITATION), &done_result,
               cancellable, callback, user_data, dsl_client_delete_invitation_link_async);
}

gboolean
dsl_client_delete_invitation_link_finish (DslClient     *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result,
                                                  dsl_client_delete_invitation_link_async),
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- Audit trail --- */

void
dsl_audit_filter_init (DslAuditFilter *filter)
{
  g_return_if_fail (filter != NULL);

  memset (filter, 0, sizeof *filter);
  filter->action = -1;
  filter->entry_type = -1;
  filter->action_type = -1;
  filter->count = DSL_CLIENT_PAGE_SIZE;
}

void
dsl_client_list_audit_events_async (DslClient            *self,
                                    const DslAuditFilter *filter,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  guint count;
  GString *query;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (filter != NULL);

  count = filter->count == 0 ? DSL_CLIENT_PAGE_SIZE : filter->count;
  if (!count_is_valid (count))
    {
      client_refuse (self, callback, user_data, dsl_client_list_audit_events_async,
                     _(COUNT_REFUSAL), count);
      return;
    }

  query = g_string_new (NULL);
  if (filter->action >= 0)
    query_add_int (query, "action", filter->action);
  if (filter->action_type >= 0)
    query_add_int (query, "actionType", filter->action_type);
  if (filter->entry_type >= 0)
    query_add_int (query, "entryType", filter->entry_type);
  if (filter->target != NULL)
    query_add (query, "target", filter->target);
  if (filter->user_id != NULL)
    query_add (query, "userId", filter->user_id);
  if (filter->from != NULL)
    query_add_date (query, "from", filter->from);
  if (filter->to != NULL)
    query_add_date (query, "to", filter->to);
  query_add_int (query, "startIndex", filter->start_index);
  query_add_int (query, "count", count);

  client_send (self, "GET", g_strdup ("api/2.0/security/audit/events/filter"),
               query_end (query), NULL, &audit_result,
               cancellable, callback, user_data, dsl_client_list_audit_events_async);
}

GPtrArray *
dsl_client_list_audit_events_finish (DslClient     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_list_audit_events_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Share keys and short links (issue 12 rule 8) --- */

void
dsl_client_get_share_info_async (DslClient           *self,
                                 const char          *key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *escaped = NULL;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (key != NULL && *key != '\0');

  escaped = g_uri_escape_string (key, NULL, FALSE);
  client_send (self, "GET", g_strconcat ("api/2.0/files/share/", escaped, NULL), NULL, NULL,
               &share_info_result, cancellable, callback, user_data,
               dsl_client_get_share_info_async);
}

DslShareInfo *
dsl_client_get_share_info_finish (DslClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_get_share_info_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
follow_short_link_cb (GTask        *task_in,
                      GInputStream *body_in,
                      GError       *error_in)
{
  g_autoptr(GTask) task = task_in;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GInputStream) body = body_in;
  g_autoptr(GCancellable) drop = g_cancellable_new ();
  g_autoptr(GError) error = error_in;
  const char *location;
  guint status;

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Only the headers matter: the body, whatever its size, is dropped unread (a cancelled close
   * does not skip it, it closes the connection). */
  g_cancellable_cancel (drop);
  g_input_stream_close (body, drop, NULL);
  status = soup_message_get_status (message);
  location = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                           "Location");
  if (SOUP_STATUS_IS_REDIRECTION (status) && location != NULL)
    {
      g_autoptr(GUri) target = g_uri_parse_relative (soup_message_get_uri (message), location,
                                                     G_URI_FLAGS_ENCODED, NULL);

      if (target != NULL)
        {
          g_task_return_pointer (task, g_uri_to_string (target), g_free);
          return;
        }
    }
  g_task_return_pointer (task, NULL, NULL);
}

void
dsl_client_follow_short_link_async (DslClient           *self,
                                    const char          *url,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;

  g_return_if_fail (DSL_IS_CLIENT (self));
  g_return_if_fail (url != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, dsl_client_follow_short_link_async);
  message = self->session != NULL ? soup_message_new ("GET", url) : NULL;
  if (message == NULL)
    {
      g_task_return_error (task, dsl_error_new (DSL_ERROR_INVALID_ARGUMENT, 0, NULL,
                                                _("This is not a web address.")));
      return;
    }
  /* No credentials: the host may be anyone's (a URL shortener). One hop, not followed. The
   * URL is not logged: it opens the link. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  g_debug ("GET a short link (not followed)");
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);
  client_send_message (self, message, cancellable, g_object_ref (task), follow_short_link_cb);
}

char *
dsl_client_follow_short_link_finish (DslClient     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, dsl_client_follow_short_link_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

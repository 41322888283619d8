/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-hostile.c: DslClient against a hostile portal (issue 14): a tiny HTTP server in this
 * process answers every request with one fault, and the client must end each call with a
 * specific error, in bounded time and memory, without crashing.
 *
 *   deep nesting      100,000 `[` in a 200 answer and in a 400 answer (json-glib's recursive
 *                     parser overflowed the stack: run in a subprocess)
 *   huge body         Content-Length 4 GiB; a chunked body past the cap
 *   slow body         one byte every 200 ms with a 1 s timeout
 *   endless paging    total 10^15 with one new link a page; the same link again and again;
 *                     a plausible total with one new link a page (the page bound)
 *   big integer       a file id beyond gint64 (json-glib reads it as -1)
 *   late headers      the headers over 4 s (a byte every 100 ms), then a 64 MiB body: a call cancelled (or timed
 *                     out, or its client disposed) before them ends at once, and the answer
 *                     is dropped (the client hangs up). Also run as test-hostile-detach with
 *                     DSL_SOUP_DETACH_CANCEL=1: the path taken on libsoup 3.3.1-3.6.5, where
 *                     a send is detached rather than cancelled in libsoup (dsl-client.c)
 *
 * (A GThreadedSocketService rather than a SoupServer: libsoup 3.2's server leaks under
 * valgrind. One server for the binary: its threads may outlive a test.) */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "dsl-client.h"
#include "dsl-error.h"
#include "dsl-json.h"

typedef enum {
  MODE_DEEP,
  MODE_DEEP_ERROR,
  MODE_HUGE_LENGTH,
  MODE_CHUNKED,
  MODE_SLOW,
  MODE_PAGING_ENDLESS,
  MODE_PAGING_SAME,
  MODE_PAGING_MANY,
  MODE_BIG_INTEGER,
  MODE_LATE_HEADERS,
} Mode;

#define LATE_HEADERS_MS 4000
#define LATE_BODY_BYTES (64 * 1024 * 1024)

#define DEPTH 100000
#define ERROR_DEPTH 32000

static struct {
  GSocketService *service;
  char           *url;
  int             mode;      /* Mode, atomic */
  int             requests;  /* atomic */
  int             hung_up;   /* atomic: MODE_LATE_HEADERS, the client closed before the end */
  int             finished;  /* atomic: MODE_LATE_HEADERS, the answer ended */
} server;

static guint
query_uint (const char *query,
            const char *name)
{
  g_autoptr(GHashTable) params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
  const char *value = params != NULL ? g_hash_table_lookup (params, name) : NULL;

  return value != NULL ? (guint) g_ascii_strtoull (value, NULL, 10) : 0;
}

static void
write_response (GOutputStream *out,
                const char    *status,
                const char    *body,
                gsize          len)
{
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                                           "Connection: close\r\n\r\n", status, len);

  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, body, len, NULL, NULL, NULL);
}

static char *
deep_body (void)
{
  GString *body = g_string_new ("{\"response\":");

  for (guint i = 0; i < DEPTH; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < DEPTH; i++)
    g_string_append_c (body, ']');
  g_string_append (body, ",\"status\":0,\"statusCode\":200}");
  return g_string_free (body, FALSE);
}

static char *
links_page (guint       first_id,
            const char *total)
{
  return g_strdup_printf ("{\"response\":[{\"access\":2,\"subjectType\":1,"
                          "\"sharedLink\":{\"id\":\"link-%u\",\"title\":\"Link\"}}],"
                          "\"count\":1,\"total\":%s,\"status\":0,\"statusCode\":200}",
                          first_id, total);
}

/* Runs in the service's thread: one request per connection, blocking I/O. */
static gboolean
server_run (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source,
            gpointer                user_data)
{
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *request_line = NULL;
  g_autofree char *body = NULL;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  const char *query;
  guint start;
  char drain[4096];

  g_socket_set_timeout (g_socket_connection_get_socket (connection), 10);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_CR_LF);
  request_line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (request_line == NULL)
    return TRUE;
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);

      if (header == NULL || *header == '\0')
        break;
    }
  g_atomic_int_inc (&server.requests);
  query = strchr (request_line, '?') != NULL ? strchr (request_line, '?') + 1 : "";
  start = query_uint (query, "startIndex");

  switch ((Mode) g_atomic_int_get (&server.mode))
    {
    case MODE_DEEP:
      body = deep_body ();
      write_response (out, "200 OK", body, strlen (body));
      break;

    case MODE_DEEP_ERROR:
      {
        /* Under the 64 KiB cap of error bodies: 32,000 levels, closed, beside a message that
         * a body read as JSON would give. */
        GString *text = g_string_new ("{\"error\":{\"message\":\"deep\"},\"response\":");

        for (guint i = 0; i < ERROR_DEPTH; i++)
          g_string_append_c (text, '[');
        for (guint i = 0; i < ERROR_DEPTH; i++)
          g_string_append_c (text, ']');
        g_string_append_c (text, '}');
        body = g_string_free (text, FALSE);
        write_response (out, "400 Bad Request", body, strlen (body));
      }
      break;

    case MODE_HUGE_LENGTH:
      {
        const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Content-Length: 4294967296\r\nConnection: close\r\n\r\n"
                           "{\"response\":\"";

        g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
        /* Until the client hangs up (or the socket's timeout). */
        while (g_input_stream_read (G_INPUT_STREAM (in), drain, sizeof drain, NULL, NULL) > 0)
          ;
      }
      break;

    case MODE_CHUNKED:
      {
        const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                           "d\r\n{\"response\":\"\r\n";
        g_autofree char *chunk = g_malloc (64 * 1024 + 16);
        int len = g_snprintf (chunk, 16, "%x\r\n", 64 * 1024);

        memset (chunk + len, 'a', 64 * 1024);
        memcpy (chunk + len + 64 * 1024, "\r\n", 2);
        len += 64 * 1024 + 2;
        g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
        /* 4 MiB at most, or until the client hangs up. */
        for (guint i = 0; i < 64; i++)
          if (!g_output_stream_write_all (out, chunk, len, NULL, NULL, NULL))
            break;
        g_output_stream_write_all (out, "2\r\n\"}\r\n0\r\n\r\n", 12, NULL, NULL, NULL);
      }
      break;

    case MODE_SLOW:
      {
        char text[101];
        const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Content-Length: 100\r\nConnection: close\r\n\r\n";

        memset (text, ' ', 100);
        memcpy (text, "{\"response\":null,\"status\":0,\"statusCode\":200}", 46);
        g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
        for (guint i = 0; i < 100; i++)
          {
            if (!g_output_stream_write_all (out, text + i, 1, NULL, NULL, NULL) ||
                !g_output_stream_flush (out, NULL, NULL))
              break;
            g_usleep (200 * 1000);
          }
      }
      break;

    case MODE_PAGING_ENDLESS:
      body = links_page (start, "1000000000000000");
      write_response (out, "200 OK", body, strlen (body));
      break;

    case MODE_PAGING_SAME:
      body = links_page (0, "50");
      write_response (out, "200 OK", body, strlen (body));
      break;

    case MODE_PAGING_MANY:
      body = links_page (start, "100000");
      write_response (out, "200 OK", body, strlen (body));
      break;

    case MODE_BIG_INTEGER:
      {
        g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data",
                                                       "folder-content.json", NULL);
        g_autofree char *text = NULL;
        g_auto(GStrv) parts = NULL;

        g_file_get_contents (path, &text, NULL, NULL);
        g_assert_nonnull (text);
        parts = g_strsplit (text, "\"id\": 1601", 2);
        g_assert_cmpuint (g_strv_length (parts), ==, 2);
        body = g_strjoin ("\"id\": 18446744073709551616", parts[0], parts[1], NULL);
        write_response (out, "200 OK", body, strlen (body));
      }
      break;

    case MODE_LATE_HEADERS:
      {
        g_autofree char *head = g_strdup_printf ("HTTP/1.1 200 OK\r\n"
                                                 "Content-Type: application/json\r\n"
                                                 "Content-Length: %d\r\n"
                                                 "Connection: close\r\n\r\n",
                                                 LATE_BODY_BYTES);
        g_autofree char *chunk = g_malloc0 (64 * 1024);
        gboolean ok;

        /* A header line one byte every 100 ms: libsoup's timeout (for each read) does not
         * end the wait, the client's deadline or a cancellation does. */
        ok = g_output_stream_write_all (out, "HTTP/1.1 200 OK\r\nX-Late: ", 25, NULL, NULL,
                                        NULL);
        for (guint i = 0; ok && i < LATE_HEADERS_MS / 100; i++)
          {
            ok = g_output_stream_write_all (out, "a", 1, NULL, NULL, NULL) &&
                 g_output_stream_flush (out, NULL, NULL);
            g_usleep (100 * 1000);
          }
        ok = ok && g_output_stream_write_all (out, head + 15, strlen (head) - 15, NULL, NULL,
                                              NULL);
        for (guint i = 0; ok && i < LATE_BODY_BYTES / (64 * 1024); i++)
          ok = g_output_stream_write_all (out, chunk, 64 * 1024, NULL, NULL, NULL);
        g_atomic_int_set (&server.hung_up, !ok);
        g_atomic_int_set (&server.finished, TRUE);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
server_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  server.service = g_threaded_socket_service_new (16);
  g_signal_connect (server.service, "run", G_CALLBACK (server_run), NULL);
  g_socket_listener_add_address (G_SOCKET_LISTENER (server.service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  server.url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_service_start (server.service);
}

/* --- calls --- */

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static DslClient *
client_for (Mode  mode,
            guint timeout)
{
  DslClient *client = dsl_client_new (server.url);

  g_atomic_int_set (&server.mode, mode);
  g_atomic_int_set (&server.requests, 0);
  g_atomic_int_set (&server.hung_up, FALSE);
  g_atomic_int_set (&server.finished, FALSE);
  dsl_client_set_api_key (client, "sk-hostile");
  dsl_client_set_timeout (client, timeout);
  return client;
}

static GError *
get_self_error (Mode mode)
{
  g_autoptr(DslClient) client = client_for (mode, 2);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(DslUser) user = NULL;
  GError *error = NULL;

  dsl_client_get_self_async (client, NULL, on_done, &result);
  user = dsl_client_get_self_finish (client, wait_for (&result), &error);
  g_assert_null (user);
  g_assert_nonnull (error);
  return error;
}

static GError *
list_links_error (Mode mode)
{
  g_autoptr(DslClient) client = client_for (mode, 2);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) links = NULL;
  GError *error = NULL;

  dsl_client_list_links_async (client, DSL_ITEM_KIND_FILE, "1", -1, NULL, on_done, &result);
  links = dsl_client_list_links_finish (client, wait_for (&result), &error);
  g_assert_null (links);
  g_assert_nonnull (error);
  return error;
}

/* --- the cases --- */

/* Before json-glib sees it: the old parser recursed 100,000 times in a pool thread. */
static void
test_deep_nesting (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = get_self_error (MODE_DEEP);

      g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
      g_assert_true (g_str_has_prefix (error->message,
                                       "The portal sent a response the app cannot read"));
      return;
    }
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* An error body is read for the server's message: the same check (its message is not read),
 * and the status still decides the error. */
static void
test_deep_nesting_error_body (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = get_self_error (MODE_DEEP_ERROR);

      g_assert_error (error, DSL_ERROR, DSL_ERROR_BAD_REQUEST);
      g_assert_cmpuint (dsl_error_get_status (error), ==, 400);
      g_assert_null (dsl_error_get_server_message (error));
      return;
    }
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* Refused on its Content-Length, before a byte of it is read. */
static void
test_huge_content_length (void)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  error = get_self_error (MODE_HUGE_LENGTH);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The portal sent a response that is too large"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  /* Not a transport error: not tried again. */
  g_assert_cmpint (g_atomic_int_get (&server.requests), ==, 1);
}

/* No Content-Length: reading stops past the cap (1 MiB for a user). */
static void
test_chunked_past_cap (void)
{
  g_autoptr(GError) error = get_self_error (MODE_CHUNKED);

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The portal sent a response that is too large"));
  g_assert_cmpuint (dsl_error_get_status (error), ==, 200);
}

/* One byte every 200 ms: each read is quick, the whole is not. The deadline is twice the
 * timeout; a POST is not tried again, so one deadline is the whole wait. */
static void
test_slow_body (void)
{
  g_autoptr(DslClient) client = client_for (MODE_SLOW, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  dsl_client_logout_async (client, NULL, on_done, &result);
  g_assert_false (dsl_client_logout_finish (client, wait_for (&result), &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed, >=, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <, 4 * G_USEC_PER_SEC);
}

/* The deadline is not a cancellation by the caller, and a cancellation is not a timeout. */
static void
test_slow_body_cancelled (void)
{
  g_autoptr(DslClient) client = client_for (MODE_SLOW, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  dsl_client_get_self_async (client, cancellable, on_done, &result);
  g_timeout_add_once (300, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_null (dsl_client_get_self_finish (client, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1 * G_USEC_PER_SEC);
}

static void
test_paging_endless (void)
{
  g_autoptr(GError) error = list_links_error (MODE_PAGING_ENDLESS);

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_true (g_str_has_prefix (error->message, "The portal keeps sending more links"));
  g_assert_cmpint (g_atomic_int_get (&server.requests), <=, 1000);
}

static void
test_paging_same_links (void)
{
  g_autoptr(GError) error = list_links_error (MODE_PAGING_SAME);

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_true (g_str_has_prefix (error->message, "The portal keeps sending more links"));
  g_assert_cmpint (g_atomic_int_get (&server.requests), ==, 2);
}

/* A total within reason, one new link a page: the page bound ends it. */
static void
test_paging_page_bound (void)
{
  g_autoptr(GError) error = list_links_error (MODE_PAGING_MANY);

  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_true (g_str_has_prefix (error->message, "The portal keeps sending more links"));
  g_assert_cmpint (g_atomic_int_get (&server.requests), ==, 1000);
}

static void
test_integer_out_of_range (void)
{
  g_autoptr(DslClient) client = client_for (MODE_BIG_INTEGER, 2);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DslFolderPage *page;

  dsl_client_list_folder_async (client, "1", NULL, 0, 100, NULL, on_done, &result);
  page = dsl_client_list_folder_finish (client, wait_for (&result), &error);
  g_assert_null (page);
  g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "18446744073709551616"));
}

/* The late answer is dropped: the client hung up on it instead of reading 64 MiB. */
static void
assert_late_answer_dropped (void)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!g_atomic_int_get (&server.finished) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (10 * 1000);
  g_assert_true (g_atomic_int_get (&server.finished));
  g_assert_true (g_atomic_int_get (&server.hung_up));
  g_assert_cmpint (g_atomic_int_get (&server.requests), ==, 1);
  /* What is left of the send (a detached one closes its stream) runs now. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (5 * 1000);
}

/* Cancelled while the headers are awaited: G_IO_ERROR_CANCELLED at once, not when they come. */
static void
test_late_headers_cancelled (void)
{
  g_autoptr(DslClient) client = client_for (MODE_LATE_HEADERS, 5);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  dsl_client_get_self_async (client, cancellable, on_done, &result);
  g_timeout_add_once (300, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_null (dsl_client_get_self_finish (client, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1000 * 1000);
  assert_late_answer_dropped ();
}

/* The deadline (twice the timeout: 2 s) passes while the headers come in (each read within
 * libsoup's timeout): the timeout error then, and a POST is not sent again. */
static void
test_late_headers_deadline (void)
{
  g_autoptr(DslClient) client = client_for (MODE_LATE_HEADERS, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  dsl_client_logout_async (client, NULL, on_done, &result);
  g_assert_false (dsl_client_logout_finish (client, wait_for (&result), &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (elapsed, >=, 1000 * 1000);  /* a seconds timeout may fire early */
  g_assert_cmpint (elapsed, <, 3500 * 1000);  /* …or up to a second late */
  assert_late_answer_dropped ();
}

/* A short link's one hop, cancelled while its headers are awaited. */
static void
test_late_headers_short_link (void)
{
  g_autoptr(DslClient) client = client_for (MODE_LATE_HEADERS, 5);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (server.url, "/s/late", NULL);
  gint64 start = g_get_monotonic_time ();

  dsl_client_follow_short_link_async (client, url, cancellable, on_done, &result);
  g_timeout_add_once (300, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  g_assert_null (dsl_client_follow_short_link_finish (client, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1000 * 1000);
  assert_late_answer_dropped ();
}

/* Disposing the client while the headers are awaited ends the call with
 * G_IO_ERROR_CANCELLED at once. */
static void
test_late_headers_dispose (void)
{
  g_autoptr(DslClient) client = client_for (MODE_LATE_HEADERS, 5);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  dsl_client_get_self_async (client, NULL, on_done, &result);
  g_timeout_add_once (300, (GSourceOnceFunc) g_object_run_dispose, client);
  g_assert_null (dsl_client_get_self_finish (client, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1000 * 1000);
  assert_late_answer_dropped ();
}

/* The scanner itself: what it counts and what it leaves alone. */
static void
test_check_text (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  const char *good[] = {
    "{\"a\":[1,2,{\"b\":\"[[[[\\\"]]]]\"}],\"n\":-9223372036854775808}",
    "{\"n\":9223372036854775807,\"f\":1e400,\"g\":123456789012345678901234.5}",
    "[0000000000000000000000001]",
    "\"unterminated [[[",
  };
  const char *bad[] = {
    "{\"n\":9223372036854775808}",
    "[-9223372036854775809]",
    "[18446744073709551616]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (dsl_json_check_text (good[i], strlen (good[i]), &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (dsl_json_check_text (bad[i], strlen (bad[i]), &error));
      g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
    }

  for (guint i = 0; i < 128; i++)
    g_string_append (deep, i % 2 ? "{\"k\":" : "[");
  g_assert_true (dsl_json_check_text (deep->str, deep->len, NULL));
  g_string_append_c (deep, '[');
  g_assert_false (dsl_json_check_text (deep->str, deep->len, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server_start ();

  g_test_add_func ("/dsl/core/hostile/check-text", test_check_text);
  g_test_add_func ("/dsl/core/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/dsl/core/hostile/deep-nesting-error-body", test_deep_nesting_error_body);
  g_test_add_func ("/dsl/core/hostile/huge-content-length", test_huge_content_length);
  g_test_add_func ("/dsl/core/hostile/chunked-past-cap", test_chunked_past_cap);
  g_test_add_func ("/dsl/core/hostile/slow-body", test_slow_body);
  g_test_add_func ("/dsl/core/hostile/slow-body-cancelled", test_slow_body_cancelled);
  g_test_add_func ("/dsl/core/hostile/paging-endless", test_paging_endless);
  g_test_add_func ("/dsl/core/hostile/paging-same-links", test_paging_same_links);
  g_test_add_func ("/dsl/core/hostile/paging-page-bound", test_paging_page_bound);
  g_test_add_func ("/dsl/core/hostile/integer-out-of-range", test_integer_out_of_range);
  g_test_add_func ("/dsl/core/hostile/late-headers-cancelled", test_late_headers_cancelled);
  g_test_add_func ("/dsl/core/hostile/late-headers-deadline", test_late_headers_deadline);
  g_test_add_func ("/dsl/core/hostile/late-headers-short-link", test_late_headers_short_link);
  g_test_add_func ("/dsl/core/hostile/late-headers-dispose", test_late_headers_dispose);

  return g_test_run ();
}

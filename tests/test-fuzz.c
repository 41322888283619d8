/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-fuzz.c: seeded mutation fuzzing of every parser in core.
 *
 *   seeds (the files in tests/data/, and the strings below) ──mutate──▶ input ──▶ each parser:
 *     dsl_envelope_parse (the envelope, and dsl-error's body → error mapping, at 200 and at
 *       the error statuses), then every dsl_json_parse_* on its `response` and on the bare
 *       JSON (item, folder page, link, links, audit event(s), user, key info, auth result,
 *       share info); dsl_json_parse_date; dsl_share_url_parse_full and friends; the reminder
 *       store and the guard store loaders (from a file)
 *   asserted: no crash, no GLib CRITICAL or WARNING (g_test_init makes them fatal), and each
 *   parser either returns an object or sets a GError: never both, never neither.
 *
 * Mutations (1 to 3 per input, from a GRand with a fixed seed): byte flips, truncation,
 * duplication of a slice, type swaps (a value replaced by another JSON type), nesting up to
 * 100 deep, numbers out of range, invalid UTF-8, lone surrogate escapes, control characters.
 *
 * How many: DSL_FUZZ_ITERATIONS inputs per target, JSON bodies and state files (dates and
 * share URLs get four times as many); default 2000, about 20,000 inputs in all: a few seconds,
 * well under 30 s under ASan (200 under valgrind). The seed: DSL_FUZZ_SEED (default 1). A longer run by hand:
 *
 *   DSL_FUZZ_ITERATIONS=200000 DSL_FUZZ_SEED=$RANDOM \
 *     meson test -C _build test-fuzz --timeout-multiplier 0 --verbose
 *
 * (or the binary itself with G_TEST_SRCDIR=tests, where it finds data/)
 *
 * An input that breaks a parser is printed (escaped) before the test fails, with its target
 * (DSL_FUZZ_VERBOSE=1 prints every input: the last one printed before a crash or a CRITICAL
 * is the culprit); the counts of inputs run are printed as TAP comments. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#if defined(__has_include)
# if __has_include(<valgrind/valgrind.h>)
#  include <valgrind/valgrind.h>
# endif
#endif

#include "dsl-error.h"
#include "dsl-json.h"
#include "dsl-link-guard.h"
#include "dsl-reminder-store.h"
#include "dsl-share-url.h"

static GRand *rng;
static guint iterations;
static GPtrArray *json_seeds;      /* GBytes: tests/data/ */
static const char *current_target;
static GBytes *current_input;
static char *state_dir;

/* --- reporting --- */

static void
print_current_input (void)
{
  g_autofree char *escaped = NULL;
  g_autofree char *head = NULL;
  gsize size = 0;
  const char *data;

  if (current_input == NULL)
    return;
  data = g_bytes_get_data (current_input, &size);
  head = g_strndup (data, MIN (size, 4096));
  escaped = g_strescape (head, NULL);
  g_printerr ("fuzz input of %s (%" G_GSIZE_FORMAT " bytes): \"%s\"\n",
              current_target, size, escaped);
}

static gboolean
on_fatal_log (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  print_current_input ();
  return TRUE;
}

/* Exactly one of `object` and `error`. */
static void
check_outcome (const char   *parser,
               gboolean      object,
               const GError *error)
{
  if (object == (error == NULL))
    return;
  print_current_input ();
  g_error ("%s returned %s", parser,
           object ? "an object and set an error" : "nothing and set no error");
}

/* Text the app may show: valid UTF-8. */
static void
check_utf8 (const char *what,
            const char *text)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return;
  print_current_input ();
  g_error ("%s is not valid UTF-8", what);
}

static void
ignore_log (const char     *log_domain,
                        GLogLevelFlags  log_level,
                        const char     *message,
                        gpointer        user_data)
{
}

/* --- mutations --- */

static const char * const type_swaps[] = {
  "true", "false", "null", "0", "-1", "1.5", "1e400", "\"\"", "\"x\"", "[]", "{}", "[1,\"a\"]",
  "{\"id\":1}", "\"\\ud800x\"", "18446744073709551616", "-9223372036854775809",
  "9223372036854775807", "\"0001-01-01T00:00:00\"", "\"9999-12-31T23:59:59-23:59\"",
};

static const char * const inserts[] = {
  "\xff", "\xfe\xff", "\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf",    /* invalid UTF-8 */
  "\\ud800", "\\udc00", "\\ud800x", "\\u0000", "\\u0007", "\\u001b", "\\u2028",   /* escapes */
  "\x01", "\r", "\t", "\"", "\\", ",", ":", "{", "}", "[", "]",
  "99999999999999999999999", "1e999999", "-0", "NaN",
};

static guint
random_below (guint n)
{
  return n == 0 ? 0 : (guint) g_rand_int_range (rng, 0, (gint32) n);
}

/* Replaces the value after a ':' or '[' or ',' at a random position with another type. */
static void
swap_type (GByteArray *data)
{
  guint start = random_below (data->len);
  guint end;
  const char *swap = type_swaps[random_below (G_N_ELEMENTS (type_swaps))];

  while (start < data->len && data->data[start] != ':' && data->data[start] != '[' &&
         data->data[start] != ',')
    start++;
  if (start >= data->len)
    return;
  start++;
  end = start;
  if (end < data->len && (data->data[end] == '{' || data->data[end] == '['))
    {
      int depth = 0;

      /* the whole nested value (strings may fool it: that is fine for fuzzing) */
      for (; end < data->len; end++)
        {
          if (data->data[end] == '{' || data->data[end] == '[')
            depth++;
          else if (data->data[end] == '}' || data->data[end] == ']')
            if (--depth == 0)
              {
                end++;
                break;
              }
        }
    }
  else if (end < data->len && data->data[end] == '"')
    {
      for (end++; end < data->len && data->data[end] != '"'; end++)
        if (data->data[end] == '\\')
          end++;
      end = MIN (end + 1, data->len);
    }
  else
    {
      while (end < data->len && strchr (",}]", data->data[end]) == NULL)
        end++;
    }
  g_byte_array_remove_range (data, start, end - start);
  /* GByteArray has no insert: rebuild the tail */
  {
    g_autoptr(GByteArray) tail = g_byte_array_new ();

    g_byte_array_append (tail, data->data + start, data->len - start);
    g_byte_array_set_size (data, start);
    g_byte_array_append (data, (const guint8 *) swap, strlen (swap));
    g_byte_array_append (data, tail->data, tail->len);
  }
}

static void
insert_at (GByteArray   *data,
           guint         position,
           const guint8 *bytes,
           guint         length)
{
  g_autoptr(GByteArray) tail = g_byte_array_new ();

  position = MIN (position, data->len);
  g_byte_array_append (tail, data->data + position, data->len - position);
  g_byte_array_set_size (data, position);
  g_byte_array_append (data, bytes, length);
  g_byte_array_append (data, tail->data, tail->len);
}

/* Escapes that keep a JSON string a string. */
static const char * const string_inserts[] = {
  "\\ud800x", "\\udc00x", "\\ud800\\u0041", "\\u0000", "\\u0007", "\\u001b", "\\u2028",
  "\\u202e", "\\r", "\\t", "<a href=\\\"https://evil.example\\\">x</a>", "&amp;<b>",
  "\xc3\xa9", "\xf0\x9f\x98\x80",
};

/* A mutation that keeps the JSON well-formed (most of the time): what reaches the DTO
 * parsers rather than stopping at json-glib. */
static void
mutate_gently (GByteArray *data)
{
  switch (random_below (3))
    {
    case 0:
    case 1:
      swap_type (data);
      break;
    default:
      {
        const char *text = string_inserts[random_below (G_N_ELEMENTS (string_inserts))];
        guint position = random_below (data->len + 1);

        while (position < data->len && data->data[position] != '"')
          position++;
        if (position < data->len)
          insert_at (data, position + 1, (const guint8 *) text, strlen (text));
      }
      break;
    }
}

static void
mutate_once (GByteArray *data)
{
  switch (random_below (9))
    {
    case 0: /* byte flips */
      for (guint n = 1 + random_below (4); n > 0 && data->len > 0; n--)
        data->data[random_below (data->len)] ^= (guint8) (1 + random_below (255));
      break;
    case 1: /* truncation */
      g_byte_array_set_size (data, random_below (data->len + 1));
      break;
    case 2: /* duplication of a slice */
      if (data->len > 0)
        {
          guint from = random_below (data->len);
          guint length = 1 + random_below (MIN (data->len - from, 512));
          g_autoptr(GByteArray) slice = g_byte_array_new ();

          g_byte_array_append (slice, data->data + from, length);
          insert_at (data, random_below (data->len + 1), slice->data, slice->len);
        }
      break;
    case 3: /* type swap */
    case 4:
      swap_type (data);
      break;
    case 5: /* nesting up to 100 */
      {
        guint depth = 1 + random_below (100);
        guint position = random_below (data->len + 1);
        g_autofree guint8 *open = g_malloc (depth);
        g_autofree guint8 *close = g_malloc (depth);
        gboolean objects = random_below (2);

        for (guint i = 0; i < depth; i++)
          {
            open[i] = objects && i % 2 ? '{' : '[';
            close[depth - 1 - i] = objects && i % 2 ? '}' : ']';
          }
        if (objects)
          {
            /* {"a":[{"a":[ ... is what the parser accepts: keep it simple, arrays only */
            memset (open, '[', depth);
            memset (close, ']', depth);
          }
        insert_at (data, position, open, depth);
        if (random_below (3) > 0)
          insert_at (data, MIN (position + depth + random_below (64), data->len), close, depth);
      }
      break;
    default: /* big numbers, invalid UTF-8, lone surrogates, control characters */
      {
        const char *text = inserts[random_below (G_N_ELEMENTS (inserts))];
        guint position = random_below (data->len + 1);

        /* inside a string more often than not */
        for (guint i = position; i < data->len && i < position + 64; i++)
          if (data->data[i] == '"')
            {
              position = i + 1;
              break;
            }
        insert_at (data, position, (const guint8 *) text, strlen (text));
      }
      break;
    }
}

/* A mutated copy of `seed`, NUL-terminated (not counted in the size). */
static GBytes *
mutate (const void *seed,
        gsize       size)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint n = 1 + random_below (3);
  gboolean gently = random_below (3) > 0;

  g_byte_array_append (data, seed, size);
  for (guint i = 0; i < n; i++)
    {
      if (gently)
        mutate_gently (data);
      else
        mutate_once (data);
    }
  size = data->len;
  g_byte_array_append (data, (const guint8 *) "", 1);
  return g_bytes_new_take (g_byte_array_free (g_steal_pointer (&data), FALSE), size);
}

static gboolean verbose;   /* DSL_FUZZ_VERBOSE: every input before it is parsed */

static void
set_current (const char *target,
             GBytes     *input)
{
  current_target = target;
  g_clear_pointer (&current_input, g_bytes_unref);
  current_input = input != NULL ? g_bytes_ref (input) : NULL;
  if (verbose)
    print_current_input ();
}

/* --- the JSON parsers --- */

typedef gpointer (*NodeParser) (JsonNode *node, GError **error);

static const struct {
  const char *name;
  NodeParser  parse;
  GDestroyNotify free_func;
} node_parsers[] = {
  { "dsl_json_parse_item", (NodeParser) dsl_json_parse_item, g_object_unref },
  { "dsl_json_parse_folder_page", (NodeParser) dsl_json_parse_folder_page,
    (GDestroyNotify) dsl_folder_page_free },
  { "dsl_json_parse_link", (NodeParser) dsl_json_parse_link, g_object_unref },
  { "dsl_json_parse_links", (NodeParser) dsl_json_parse_links,
    (GDestroyNotify) g_ptr_array_unref },
  { "dsl_json_parse_audit_event", (NodeParser) dsl_json_parse_audit_event, g_object_unref },
  { "dsl_json_parse_audit_events", (NodeParser) dsl_json_parse_audit_events,
    (GDestroyNotify) g_ptr_array_unref },
  { "dsl_json_parse_user", (NodeParser) dsl_json_parse_user, g_object_unref },
  { "dsl_json_parse_key_info", (NodeParser) dsl_json_parse_key_info, g_object_unref },
  { "dsl_json_parse_auth_result", (NodeParser) dsl_json_parse_auth_result,
    (GDestroyNotify) dsl_auth_result_free },
  { "dsl_json_parse_share_info", (NodeParser) dsl_json_parse_share_info,
    (GDestroyNotify) dsl_share_info_free },
};

static guint n_objects;
static guint n_errors;

/* Every string property of a parsed object (and of the objects in a parsed array) is valid
 * UTF-8: it will be shown. */
static void
check_object_strings (GObject *object)
{
  guint n_specs = 0;
  g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object),
                                                                  &n_specs);

  for (guint i = 0; i < n_specs; i++)
    {
      if (specs[i]->value_type == G_TYPE_STRING && (specs[i]->flags & G_PARAM_READABLE))
        {
          g_autofree char *value = NULL;

          g_object_get (object, specs[i]->name, &value, NULL);
          check_utf8 (specs[i]->name, value);
        }
      else if (specs[i]->value_type == G_TYPE_STRV && (specs[i]->flags & G_PARAM_READABLE))
        {
          g_auto(GStrv) values = NULL;

          g_object_get (object, specs[i]->name, &values, NULL);
          for (guint j = 0; values != NULL && values[j] != NULL; j++)
            check_utf8 (specs[i]->name, values[j]);
        }
    }
}

static void
check_result_strings (const char *parser,
                      gpointer    result)
{
  if (g_str_has_suffix (parser, "_links") || g_str_has_suffix (parser, "_events"))
    {
      GPtrArray *array = result;

      for (guint i = 0; i < array->len; i++)
        check_object_strings (g_ptr_array_index (array, i));
    }
  else if (g_str_has_suffix (parser, "_folder_page"))
    {
      DslFolderPage *page = result;

      for (guint i = 0; i < page->items->len; i++)
        check_object_strings (g_ptr_array_index (page->items, i));
      for (guint i = 0; i < page->path->len; i++)
        check_object_strings (g_ptr_array_index (page->path, i));
    }
  else if (g_str_has_suffix (parser, "_share_info"))
    {
      DslShareInfo *info = result;

      check_utf8 ("id", info->id);
      check_utf8 ("title", info->title);
      check_utf8 ("entity_id", info->entity_id);
      check_utf8 ("entity_title", info->entity_title);
    }
  else if (g_str_has_suffix (parser, "_auth_result"))
    {
      DslAuthResult *auth = result;

      check_utf8 ("confirm_url", auth->confirm_url);
      check_utf8 ("phone_noise", auth->phone_noise);
    }
  else
    {
      check_object_strings (result);
    }
}

/* Every DTO parser on `node`, and on the first elements when it is an array. */
static void
parse_node_everywhere (JsonNode *node,
                       gboolean  elements)
{
  for (guint i = 0; i < G_N_ELEMENTS (node_parsers); i++)
    {
      g_autoptr(GError) error = NULL;
      gpointer object = node_parsers[i].parse (node, &error);

      check_outcome (node_parsers[i].name, object != NULL, error);
      if (object != NULL)
        {
          check_result_strings (node_parsers[i].name, object);
          n_objects++;
          node_parsers[i].free_func (object);
        }
      else
        {
          n_errors++;
        }
    }

  if (elements && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < MIN (json_array_get_length (array), 3); i++)
        parse_node_everywhere (json_array_get_element (array, i), FALSE);
    }
  if (elements && JSON_NODE_HOLDS_OBJECT (node))
    {
      /* the lists inside a folder page, and a link's sharedLink */
      static const char * const members[] = { "files", "folders", "current", "sharedLink" };

      for (guint i = 0; i < G_N_ELEMENTS (members); i++)
        {
          JsonNode *member = json_object_get_member (json_node_get_object (node), members[i]);

          if (member != NULL)
            parse_node_everywhere (member, JSON_NODE_HOLDS_ARRAY (member));
        }
    }
}

static const guint statuses[] = { 200, 200, 200, 400, 401, 402, 403, 404, 429, 500, 502 };

static void
test_json (void)
{
  guint n_envelopes = 0;
  guint n_inputs = 0;

  n_objects = n_errors = 0;
  for (guint i = 0; i < iterations; i++)
    {
      GBytes *seed = g_ptr_array_index (json_seeds, random_below (json_seeds->len));
      gsize size = 0;
      const char *data = g_bytes_get_data (seed, &size);
      g_autoptr(GBytes) input = mutate (data, size);
      g_autoptr(GError) error = NULL;
      g_autoptr(DslEnvelope) envelope = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      /* mostly 200: what the DTO parsers see */
      guint status = random_below (4) > 0 ? 200 : statuses[random_below (G_N_ELEMENTS (statuses))];
      const char *retry_after = random_below (4) == 0 ? "1e99" : "3";

      set_current ("dsl_envelope_parse", input);
      envelope = dsl_envelope_parse (status, retry_after, input, &error);
      check_outcome ("dsl_envelope_parse", envelope != NULL, error);
      if (error != NULL)
        {
          /* what the app shows of it */
          check_utf8 ("the error message", error->message);
          (void) dsl_error_get_server_message (error);
          (void) dsl_error_get_field_errors (error);
          error = dsl_error_for_credentials (g_steal_pointer (&error), DSL_CREDENTIALS_SESSION,
                                             "files/rooms");
          g_assert_nonnull (error);
        }
      n_inputs++;
      if (envelope != NULL && envelope->response != NULL)
        {
          set_current ("dsl_json_parse_* (the envelope's response)", input);
          parse_node_everywhere (envelope->response, TRUE);
          n_envelopes++;
        }

      /* the bare JSON too: not every fuzzed input stays an envelope */
      if (json_parser_load_from_data (parser, g_bytes_get_data (input, NULL),
                                      (gssize) g_bytes_get_size (input), NULL) &&
          json_parser_get_root (parser) != NULL)
        {
          set_current ("dsl_json_parse_* (the bare JSON)", input);
          parse_node_everywhere (json_parser_get_root (parser), TRUE);
        }
    }
  set_current (NULL, NULL);
  g_test_message ("fuzz json: %u inputs (%u with a response), %u objects, %u errors",
                  n_inputs, n_envelopes, n_objects, n_errors);
}

/* --- dates --- */

static const char * const date_seeds[] = {
  "2026-06-30T13:45:12.0000000+03:00", "2026-06-30T13:45:12.0000000Z", "2026-06-30",
  "2026-06-30T13:45:12Z", "2026-06-30T13:45:12.123-11:30", "0001-01-01T00:00:00.0000000Z",
  "9999-12-31T23:59:59.9999999+14:00", "9999-12-31T23:59:59-23:59",
};

static void
test_dates (void)
{
  guint n_dates = 0;

  for (guint i = 0; i < iterations * 4; i++)
    {
      const char *seed = date_seeds[random_below (G_N_ELEMENTS (date_seeds))];
      g_autoptr(GBytes) input = i < G_N_ELEMENTS (date_seeds)
                                ? g_bytes_new_take (g_strdup (date_seeds[i]),
                                                    strlen (date_seeds[i]))
                                : mutate (seed, strlen (seed));
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) date = NULL;

      set_current ("dsl_json_parse_date", input);
      date = dsl_json_parse_date (g_bytes_get_data (input, NULL), "date", &error);
      check_outcome ("dsl_json_parse_date", date != NULL, error);
      if (date != NULL)
        {
          g_autofree char *text = dsl_json_format_date (date);

          g_assert_nonnull (text);
          n_dates++;
        }
      else
        {
          check_utf8 ("the error message", error->message);
        }
    }
  set_current (NULL, NULL);
  g_test_message ("fuzz dates: %u inputs, %u dates", iterations * 4, n_dates);
}

/* --- share URLs --- */

static const char * const url_seeds[] = {
  "https://docspace.example.com/s/AbC123",
  "http://127.0.0.1:8080/doceditor?fileid=401&share=Hrf",
  "http://127.0.0.1:8080/rooms/share?key=TokenB",
  "https://docspace.example.com/rooms/shared/filter?folder=12&key=abc",
  "http://[::1]:8080/s/Qw3rTy12",
  "https://bit.ly/3AbCdE",
  "  https://DOCSPACE.example.com:443/s/AbC123/?password=x#frag  ",
  "docspace.example.com/s/AbC123",
  "https://docspace.example.com./s/AbC123",
};

static void
test_share_urls (void)
{
  guint n_parsed = 0;

  for (guint i = 0; i < iterations * 4; i++)
    {
      const char *seed = url_seeds[random_below (G_N_ELEMENTS (url_seeds))];
      g_autoptr(GBytes) input = mutate (seed, strlen (seed));
      const char *url = g_bytes_get_data (input, NULL);
      const char *portals[] = { NULL, "https://docspace.example.com", "http://127.0.0.1:8080" };
      const char *portal = portals[random_below (G_N_ELEMENTS (portals))];
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;
      g_autofree char *target_id = NULL;
      g_autofree char *base = NULL;
      DslShareUrlKind kind = 0;
      DslShareUrlTarget target = 0;
      gboolean ok;

      set_current ("dsl_share_url_parse_full", input);
      ok = dsl_share_url_parse_full (url, portal, &kind, &token, &target, &target_id, &error);
      check_outcome ("dsl_share_url_parse_full", ok, error);
      if (ok)
        {
          n_parsed++;
          check_utf8 ("the token", token);
          (void) dsl_share_url_matches_link (kind, token, seed, "TokenB");
        }
      else
        {
          check_utf8 ("the error message", error->message);
        }
      g_clear_error (&error);
      set_current ("dsl_share_url_parse", input);
      g_clear_pointer (&token, g_free);
      ok = dsl_share_url_parse (url, portal, &kind, &token, &error);
      check_outcome ("dsl_share_url_parse", ok, error);
      set_current ("dsl_share_url_is_share_url / dup_portal", input);
      (void) dsl_share_url_is_share_url (url);
      base = dsl_share_url_dup_portal (url);
      check_utf8 ("the portal", base);
    }
  set_current (NULL, NULL);
  g_test_message ("fuzz share URLs: %u inputs, %u parsed", iterations * 4, n_parsed);
}

/* --- the state files --- */

static const char * const reminder_seeds[] = {
  "{\"format\": \"docspace-links-reminders\", \"version\": 1, \"last-scan\": "
  "\"2026-12-01T08:00:00Z\", \"reminded\": ["
  " {\"link-id\": \"0b5d1a7e-1c1e-4a53-9d2b-5a8c4c1f7e01\", \"expires\": "
  "\"2026-12-05T09:00:00+03:00\"},"
  " {\"link-id\": \"6f9e0c44-2b7a-4e8e-8f51-1d0f3a9b2c02\", \"expires\": \"2026-12-06T00:00:00Z\"}"
  "]}",
};

static const char * const guard_seeds[] = {
  "{\"format\": \"docspace-links-guarded-links\", \"version\": 1, \"accounts\": {"
  "\"https://docspace.example.com olivia@example.com\": ["
  " {\"linkId\": \"0b5d1a7e-1c1e-4a53-9d2b-5a8c4c1f7e01\", \"itemId\": \"401\","
  " \"itemKind\": \"file\", \"itemTitle\": \"Budget.xlsx\","
  " \"shareLink\": \"https://docspace.example.com/s/AbC123\", \"downloadLimit\": 3,"
  " \"created\": \"2026-12-01T08:00:00Z\", \"expires\": \"2026-12-08T08:00:00Z\","
  " \"state\": \"active\", \"downloads\": 1},"
  " {\"linkId\": \"6f9e0c44-2b7a-4e8e-8f51-1d0f3a9b2c02\", \"itemId\": \"12\","
  " \"itemKind\": \"room\", \"itemTitle\": \"R&D <team>\", \"downloadLimit\": 10,"
  " \"created\": \"2026-12-01T08:00:00Z\", \"state\": \"revoked-limit\","
  " \"revoked\": \"2026-12-02T08:00:00Z\", \"lastError\": \"x\", \"downloads\": 10}]}}",
};

/* Removes every file of the state directory (a loader moves a bad file aside). */
static void
clear_state_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (state_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (state_dir, name, NULL);

      g_unlink (path);
    }
}

typedef gboolean (*Loader) (const char *path, GError **error);

static gboolean
load_reminders (const char  *path,
                GError     **error)
{
  g_autoptr(DslReminderStore) store = dsl_reminder_store_new_for_path (path);

  return dsl_reminder_store_load (store, error);
}

static gboolean
load_guarded (const char  *path,
              GError     **error)
{
  g_autoptr(DslGuardStore) store = dsl_guard_store_new_for_path (path);

  return dsl_guard_store_load (store, error);
}

static void
fuzz_loader (const char         *name,
             Loader              load,
             const char * const *seeds,
             guint               n_seeds)
{
  g_autofree char *path = g_build_filename (state_dir, "state.json", NULL);
  guint n_loaded = 0;

  for (guint i = 0; i < iterations; i++)
    {
      const char *seed = seeds[random_below (n_seeds)];
      g_autoptr(GBytes) input = i == 0 ? g_bytes_new_take (g_strdup (seed), strlen (seed))
                                       : mutate (seed, strlen (seed));
      g_autoptr(GError) error = NULL;
      gboolean ok;

      clear_state_dir ();
      g_assert_true (g_file_set_contents (path, g_bytes_get_data (input, NULL),
                                          (gssize) g_bytes_get_size (input), NULL));
      set_current (name, input);
      ok = load (path, &error);
      check_outcome (name, ok, error);
      if (i == 0)
        g_assert_true (ok);
      if (ok)
        n_loaded++;
      else
        check_utf8 ("the error message", error->message);
    }
  clear_state_dir ();
  set_current (NULL, NULL);
  g_test_message ("fuzz %s: %u inputs, %u loaded", name, iterations, n_loaded);
}

static void
test_reminder_store (void)
{
  fuzz_loader ("dsl_reminder_store_load", load_reminders,
               reminder_seeds, G_N_ELEMENTS (reminder_seeds));
}

static void
test_guard_store (void)
{
  fuzz_loader ("dsl_guard_store_load", load_guarded, guard_seeds, G_N_ELEMENTS (guard_seeds));
}

/* --- main --- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
load_json_seeds (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  /* the same order everywhere: the seed alone decides the inputs */
  g_ptr_array_sort (names, compare_names);

  json_seeds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      char *contents = NULL;
      gsize length = 0;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_ptr_array_add (json_seeds, g_bytes_new_take (contents, length));
    }
  g_assert_cmpuint (json_seeds->len, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  const char *env_iterations = g_getenv ("DSL_FUZZ_ITERATIONS");
  const char *env_seed = g_getenv ("DSL_FUZZ_SEED");
  guint32 seed = env_seed != NULL ? (guint32) g_ascii_strtoull (env_seed, NULL, 10) : 1;
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_log_set_fatal_handler (on_fatal_log, NULL);
  /* a loader says "moved aside" on every damaged file: thousands of lines */
  g_log_set_handler ("dsl-link-guard", G_LOG_LEVEL_MESSAGE, ignore_log,
                     NULL);

  iterations = env_iterations != NULL ? (guint) g_ascii_strtoull (env_iterations, NULL, 10)
                                      : 2000;
#if defined(RUNNING_ON_VALGRIND)
  /* memcheck is some 50 times slower: the ASan run covers the default number */
  if (env_iterations == NULL && RUNNING_ON_VALGRIND)
    iterations = 200;
#endif
  rng = g_rand_new_with_seed (seed);
  verbose = g_getenv ("DSL_FUZZ_VERBOSE") != NULL;
  load_json_seeds ();
  state_dir = g_dir_make_tmp ("test-fuzz-XXXXXX", NULL);
  g_assert_nonnull (state_dir);
  g_test_message ("fuzz: seed %u, %u iterations per target", seed, iterations);

  g_test_add_func ("/dsl/core/fuzz/json", test_json);
  g_test_add_func ("/dsl/core/fuzz/dates", test_dates);
  g_test_add_func ("/dsl/core/fuzz/share-urls", test_share_urls);
  g_test_add_func ("/dsl/core/fuzz/reminder-store", test_reminder_store);
  g_test_add_func ("/dsl/core/fuzz/guard-store", test_guard_store);

  status = g_test_run ();

  clear_state_dir ();
  g_rmdir (state_dir);
  g_free (state_dir);
  g_ptr_array_unref (json_seeds);
  g_rand_free (rng);
  return status;
}

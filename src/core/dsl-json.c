/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-json.c: the hand-written mapping between DocSpace JSON and the core objects.
 *
 *   envelope.response --dsl_json_parse_*--> DslItem / DslFolderPage / DslLink / DslAuditEvent /
 *                                           DslUser / DslKeyInfo / DslAuthResult
 *   DslLink state     --dsl_json_build_link_request--> request body for PUT .../links
 *
 * Every member is read through a Reader, which checks the node type before each getter,
 * treats JSON null like an absent member (the server omits nulls from success bodies anyway),
 * ignores unknown members, and fails with DSL_ERROR_INVALID_RESPONSE naming the member path
 * ("files[3].title") when a required member is missing or any member has the wrong type.
 * Member names are camelCase exactly as in docspace-api.md. Passwords and tokens pass through
 * here but are never logged. */
#define G_LOG_DOMAIN "dsl-json"

#include "dsl-json.h"
#include "dsl-enum-types.h"
#include "dsl-error.h"

#include <string.h>

#define UNEXPECTED "The portal sent an unexpected answer"

/* ------------------------------------------------------------------------------------------ */
/* Strings from the network */

/* Whether `c` is dropped from a string that came from the network: C0 controls but tab and
 * newline, DEL and C1 controls. They have no business in a title or a message, and shown they
 * turn into boxes, move the text or (a lone CR) hide what comes before. */
static gboolean
is_dropped_control (gunichar c)
{
  return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c < 0xa0);
}

/* A copy of `text` that is valid UTF-8 without control characters: every string taken from a
 * JSON node goes through here before it is stored. json-glib turns a lone surrogate escape
 * ("\ud800") into bytes that are not UTF-8, and passes invalid bytes through as they came;
 * they become U+FFFD. NULL for NULL. */
static char *
network_string (const char *text)
{
  g_autofree char *valid = NULL;
  GString *clean;
  gboolean plain = TRUE;

  if (text == NULL)
    return NULL;

  for (const guchar *p = (const guchar *) text; *p != '\0' && plain; p++)
    plain = *p >= 0x20 ? *p < 0x7f : (*p == '\t' || *p == '\n');
  if (plain)
    return g_strdup (text);

  valid = g_utf8_make_valid (text, -1);
  clean = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_dropped_control (c))
        g_string_append_unichar (clean, c);
    }
  return g_string_free (clean, FALSE);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors and member paths */

/* "sharedLink" + "id" -> "sharedLink.id"; "files" + "[3]" -> "files[3]"; "" + "id" -> "id" */
static char *
member_path (const char *prefix,
             const char *member)
{
  if (prefix == NULL || *prefix == '\0')
    return g_strdup (member);
  if (member == NULL || *member == '\0')
    return g_strdup (prefix);
  if (member[0] == '[')
    return g_strconcat (prefix, member, NULL);
  return g_strconcat (prefix, ".", member, NULL);
}

static char *
index_path (const char *prefix,
            guint       index)
{
  g_autofree char *suffix = g_strdup_printf ("[%u]", index);

  return member_path (prefix, suffix);
}

static const char *
node_kind_name (JsonNode *node)
{
  if (node == NULL)
    return "nothing";

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
    }
}

static void
set_missing (GError     **error,
             const char  *prefix,
             const char  *member)
{
  g_autofree char *raw_path = member_path (prefix, member);
  g_autofree char *path = network_string (raw_path);

  g_set_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
               UNEXPECTED ": member \"%s\" is missing.", path);
}

/* `expected` is e.g. "a string", "an array". A path of "" means the answer itself. */
static void
set_mistyped_path (GError     **error,
                   const char  *path,
                   const char  *expected,
                   JsonNode    *node)
{
  g_autofree char *clean_path = network_string (path);

  path = clean_path;
  if (path == NULL || *path == '\0')
    g_set_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                 UNEXPECTED ": expected %s but got %s.", expected, node_kind_name (node));
  else
    g_set_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                 UNEXPECTED ": member \"%s\" is not %s.", path, expected);
}

static void
set_mistyped (GError     **error,
              const char  *prefix,
              const char  *member,
              const char  *expected,
              JsonNode    *node)
{
  g_autofree char *path = member_path (prefix, member);

  set_mistyped_path (error, path, expected, node);
}

static void
set_bad_value (GError     **error,
               const char  *prefix,
               const char  *member,
               gint64       value)
{
  g_autofree char *raw_path = member_path (prefix, member);
  g_autofree char *path = network_string (raw_path);

  g_set_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
               UNEXPECTED ": member \"%s\" has an unknown value (%" G_GINT64_FORMAT ").",
               path, value);
}

static gboolean
node_is_type (JsonNode *node,
              GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* ------------------------------------------------------------------------------------------ */
/* Reader: one JSON object and its path */

typedef struct {
  JsonObject *object;   /* borrowed */
  const char *prefix;   /* path of the object itself; "" for the answer */
} Reader;

static gboolean
reader_init (Reader      *reader,
             JsonNode    *node,
             const char  *path,
             GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_mistyped_path (error, path, "an object", node);
      return FALSE;
    }

  reader->object = json_node_get_object (node);
  reader->prefix = path != NULL ? path : "";
  return TRUE;
}

/* The member's node, or NULL when absent or null. */
static JsonNode *
reader_lookup (const Reader *reader,
               const char   *member)
{
  JsonNode *node = json_object_get_member (reader->object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
reader_has (const Reader *reader,
            const char   *member)
{
  return reader_lookup (reader, member) != NULL;
}

static gboolean
reader_string (const Reader  *reader,
               const char    *member,
               gboolean       required,
               char         **out,
               GError       **error)
{
  JsonNode *node = reader_lookup (reader, member);

  g_assert (out != NULL && *out == NULL);

  if (node == NULL)
    {
      if (required)
        set_missing (error, reader->prefix, member);
      return !required;
    }

  if (!node_is_type (node, G_TYPE_STRING))
    {
      set_mistyped (error, reader->prefix, member, "a string", node);
      return FALSE;
    }

  *out = network_string (json_node_get_string (node));
  return TRUE;
}

static gboolean
reader_int64 (const Reader  *reader,
              const char    *member,
              gboolean       required,
              gint64         default_value,
              gint64        *out,
              GError       **error)
{
  JsonNode *node = reader_lookup (reader, member);

  *out = default_value;

  if (node == NULL)
    {
      if (required)
        set_missing (error, reader->prefix, member);
      return !required;
    }

  if (!node_is_type (node, G_TYPE_INT64))
    {
      set_mistyped (error, reader->prefix, member, "a whole number", node);
      return FALSE;
    }

  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
reader_int (const Reader  *reader,
            const char    *member,
            gboolean       required,
            int            default_value,
            int           *out,
            GError       **error)
{
  gint64 value = default_value;

  if (!reader_int64 (reader, member, required, default_value, &value, error))
    return FALSE;

  *out = (int) CLAMP (value, G_MININT, G_MAXINT);
  return TRUE;
}

/* Optional; FALSE when absent. */
static gboolean
reader_bool (const Reader  *reader,
             const char    *member,
             gboolean      *out,
             GError       **error)
{
  JsonNode *node = reader_lookup (reader, member);

  *out = FALSE;

  if (node == NULL)
    return TRUE;

  if (!node_is_type (node, G_TYPE_BOOLEAN))
    {
      set_mistyped (error, reader->prefix, member, "a boolean", node);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Ids: numbers for DocSpace storage, strings for third-party storage and GUIDs. */
static gboolean
reader_id (const Reader  *reader,
           const char    *member,
           gboolean       required,
           char         **out,
           GError       **error)
{
  JsonNode *node = reader_lookup (reader, member);

  g_assert (out != NULL && *out == NULL);

  if (node == NULL)
    {
      if (required)
        set_missing (error, reader->prefix, member);
      return !required;
    }

  if (node_is_type (node, G_TYPE_INT64))
    {
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    }

  if (node_is_type (node, G_TYPE_STRING) && *json_node_get_string (node) != '\0')
    {
      *out = network_string (json_node_get_string (node));
      return TRUE;
    }

  set_mistyped (error, reader->prefix, member, "a number or a non-empty string", node);
  return FALSE;
}

/* Optional ApiDateTime. A string on the wire; the object shape {utcTime, timeZoneOffset} that
 * the SDKs describe is accepted too (utcTime is read). */
static gboolean
reader_date (const Reader  *reader,
             const char    *member,
             GDateTime    **out,
             GError       **error)
{
  JsonNode *node = reader_lookup (reader, member);
  g_autofree char *path = NULL;

  g_assert (out != NULL && *out == NULL);

  if (node == NULL)
    return TRUE;

  path = member_path (reader->prefix, member);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      Reader inner;
      g_autofree char *utc = NULL;
      g_autofree char *utc_path = NULL;

      if (!reader_init (&inner, node, path, error) ||
          !reader_string (&inner, "utcTime", TRUE, &utc, error))
        return FALSE;

      utc_path = member_path (path, "utcTime");
      *out = dsl_json_parse_date (utc, utc_path, error);
      return *out != NULL;
    }

  if (!node_is_type (node, G_TYPE_STRING))
    {
      set_mistyped_path (error, path, "a date string", node);
      return FALSE;
    }

  /* .NET's DateTime.MinValue stands for "never" (e.g. a key not used yet); with an offset it
   * would not even fit in a GDateTime. */
  if (g_str_has_prefix (json_node_get_string (node), "0001-01-01"))
    return TRUE;

  *out = dsl_json_parse_date (json_node_get_string (node), path, error);
  return *out != NULL;
}

static gboolean
reader_object (const Reader  *reader,
               const char    *member,
               gboolean       required,
               JsonNode     **out,
               GError       **error)
{
  JsonNode *node = reader_lookup (reader, member);

  *out = NULL;

  if (node == NULL)
    {
      if (required)
        set_missing (error, reader->prefix, member);
      return !required;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_mistyped (error, reader->prefix, member, "an object", node);
      return FALSE;
    }

  *out = node;
  return TRUE;
}

static gboolean
reader_array (const Reader  *reader,
              const char    *member,
              gboolean       required,
              JsonArray    **out,
              GError       **error)
{
  JsonNode *node = reader_lookup (reader, member);

  *out = NULL;

  if (node == NULL)
    {
      if (required)
        set_missing (error, reader->prefix, member);
      return !required;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_mistyped (error, reader->prefix, member, "an array", node);
      return FALSE;
    }

  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
enum_has_value (GType type,
                int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);

  return g_enum_get_value (klass, value) != NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Dates */

static gboolean
read_digits (const char **p,
             guint        n,
             int         *out)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      value = value * 10 + ((*p)[i] - '0');
    }

  *p += n;
  *out = value;
  return TRUE;
}

static GDateTime *
parse_date_text (const char *text)
{
  const char *p = text;
  int year, month, day;
  int hour = 0, minute = 0, second = 0;
  gint64 usec = 0;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) base = NULL;

  if (!read_digits (&p, 4, &year) || *p != '-')
    return NULL;
  p++;
  if (!read_digits (&p, 2, &month) || *p != '-')
    return NULL;
  p++;
  if (!read_digits (&p, 2, &day))
    return NULL;

  if (*p == '\0')
    {
      /* yyyy-MM-dd: midnight UTC. */
      tz = g_time_zone_new_utc ();
    }
  else
    {
      if (*p != 'T' && *p != 't' && *p != ' ')
        return NULL;
      p++;

      if (!read_digits (&p, 2, &hour) || *p != ':')
        return NULL;
      p++;
      if (!read_digits (&p, 2, &minute))
        return NULL;
      if (*p == ':')
        {
          p++;
          if (!read_digits (&p, 2, &second))
            return NULL;
        }

      if (*p == '.' || *p == ',')
        {
          guint n = 0;
          gint64 scale = 100000;   /* the first fractional digit is 1e5 microseconds */

          p++;
          while (g_ascii_isdigit (*p))
            {
              /* The server sends 7 digits (100 ns ticks); microseconds keep the first 6. */
              if (scale > 0)
                {
                  usec += (*p - '0') * scale;
                  scale /= 10;
                }
              p++;
              n++;
            }
          if (n == 0 || n > 9)
            return NULL;
        }

      if (*p == 'Z' || *p == 'z')
        {
          tz = g_time_zone_new_utc ();
          p++;
        }
      else if (*p == '+' || *p == '-')
        {
          int sign = *p == '-' ? -1 : 1;
          int off_h = 0, off_m = 0;

          p++;
          if (!read_digits (&p, 2, &off_h))
            return NULL;
          if (*p == ':')
            p++;
          if (g_ascii_isdigit (*p) && !read_digits (&p, 2, &off_m))
            return NULL;
          if (off_h > 23 || off_m > 59)
            return NULL;

          tz = g_time_zone_new_offset (sign * (off_h * 3600 + off_m * 60));
        }
      else
        {
          /* No offset at all (e.g. the login `expires`, a plain .NET DateTime): UTC. */
          tz = g_time_zone_new_utc ();
        }

      if (*p != '\0')
        return NULL;
    }

  if (month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 59)
    return NULL;

  base = g_date_time_new (tz, year, month, day, hour, minute, second);
  if (base == NULL)
    return NULL;

  if (usec == 0)
    return g_steal_pointer (&base);

  return g_date_time_add (base, usec);
}

GDateTime *
dsl_json_parse_date (const char  *text,
                     const char  *member,
                     GError     **error)
{
  GDateTime *date;
  g_autofree char *clean = NULL;
  g_autofree char *shown = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  date = text != NULL ? parse_date_text (text) : NULL;
  if (date != NULL)
    {
      /* A date at the end of the calendar may have no UTC equivalent
       * (9999-12-31T23:59:59-23:59): every later comparison would be a CRITICAL. */
      g_autoptr(GDateTime) utc = g_date_time_to_utc (date);

      if (utc != NULL)
        return date;
      g_date_time_unref (date);
    }

  /* The text goes into the message: valid UTF-8, cut at a character. */
  clean = network_string (text != NULL ? text : "");
  shown = g_utf8_substring (clean, 0, MIN (g_utf8_strlen (clean, -1), 40));
  text = shown;

  if (member != NULL && *member != '\0')
    g_set_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                 UNEXPECTED ": member \"%s\" is not a valid date (\"%s\").", member, text);
  else
    g_set_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                 "“%s” is not a valid date.", text);

  return NULL;
}

char *
dsl_json_format_date (GDateTime *date)
{
  g_autofree char *main_part = NULL;
  g_autofree char *offset = NULL;

  g_return_val_if_fail (date != NULL, NULL);

  main_part = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S");
  offset = g_date_time_format (date, "%:z");

  /* Seven fractional digits, as the server writes them: microseconds plus one zero. */
  return g_strdup_printf ("%s.%06d0%s", main_part, g_date_time_get_microsecond (date), offset);
}

/* ------------------------------------------------------------------------------------------ */
/* Items */

/* FolderType values of room folders (docspace-api.md §5), for pathParts without roomType. */
static gboolean
folder_type_is_room (int folder_type)
{
  switch (folder_type)
    {
    case 15: /* FillingFormsRoom */
    case 16: /* EditingRoom */
    case 19: /* CustomRoom */
    case 22: /* PublicRoom */
    case 29: /* VirtualDataRoom */
    case 31: /* AiRoom */
      return TRUE;
    default:
      return FALSE;
    }
}

/* The item's access: a number, or (leniently) a FileShare name. An unknown value is shown as
 * None: this is only the caller's own role, used for display. */
static gboolean
read_item_access (const Reader  *reader,
                  DslAccess     *out,
                  GError       **error)
{
  JsonNode *node = reader_lookup (reader, "access");

  *out = DSL_ACCESS_NONE;

  if (node == NULL)
    return TRUE;

  if (node_is_type (node, G_TYPE_INT64))
    {
      gint64 value = json_node_get_int (node);

      if (value >= G_MININT && value <= G_MAXINT && enum_has_value (DSL_TYPE_ACCESS, (int) value))
        *out = (DslAccess) value;
      else
        g_debug ("Unknown access value %" G_GINT64_FORMAT " of an item", value);
      return TRUE;
    }

  if (node_is_type (node, G_TYPE_STRING))
    {
      if (!dsl_access_from_name (json_node_get_string (node), out))
        *out = DSL_ACCESS_NONE;
      return TRUE;
    }

  set_mistyped (error, reader->prefix, "access", "a number", node);
  return FALSE;
}

static gboolean
read_share_settings (const Reader  *reader,
                     DslItem       *item,
                     GError       **error)
{
  JsonNode *node = NULL;
  Reader settings;
  g_autofree char *path = NULL;
  g_autoptr(GList) members = NULL;

  if (!reader_object (reader, "shareSettings", FALSE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  path = member_path (reader->prefix, "shareSettings");
  if (!reader_init (&settings, node, path, error))
    return FALSE;

  /* The server leaves out a subject type whose limit is 0 (FileEntryDto.cs): a form-filling
   * room and its files answer {"PrimaryExternalLink":1}, so a missing ExternalLink means no
   * additional links. (A missing PrimaryExternalLink does not mean "no primary link": files
   * outside public and form-filling rooms have none in the table, and the server checks their
   * primary link against the additional limit, FileSharing.cs.) */
  dsl_item_set_link_limit (item, DSL_SUBJECT_TYPE_EXTERNAL_LINK, 0);

  members = json_object_get_members (settings.object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      DslSubjectType subject_type;
      int limit = -1;

      if (!reader_int (&settings, name, FALSE, -1, &limit, error))
        return FALSE;
      /* Subject types the client does not know are skipped. */
      if (dsl_subject_type_from_name (name, &subject_type))
        dsl_item_set_link_limit (item, subject_type, limit);
    }

  return TRUE;
}

static gboolean
read_share_rights (const Reader  *reader,
                   DslItem       *item,
                   GError       **error)
{
  JsonNode *node = NULL;
  Reader rights;
  g_autofree char *path = NULL;
  g_autoptr(GList) members = NULL;

  if (!reader_object (reader, "availableShareRights", FALSE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  path = member_path (reader->prefix, "availableShareRights");
  if (!reader_init (&rights, node, path, error))
    return FALSE;

  members = json_object_get_members (rights.object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      DslSubjectType subject_type;
      JsonArray *array = NULL;
      g_autoptr(GArray) values = NULL;
      g_autofree char *key_path = NULL;

      if (!reader_array (&rights, name, FALSE, &array, error))
        return FALSE;
      if (array == NULL || !dsl_subject_type_from_name (name, &subject_type))
        continue;

      key_path = member_path (path, name);
      values = g_array_new (FALSE, FALSE, sizeof (DslAccess));

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          DslAccess access;

          if (!node_is_type (element, G_TYPE_STRING))
            {
              g_autofree char *element_path = index_path (key_path, i);

              set_mistyped_path (error, element_path, "a string", element);
              return FALSE;
            }

          /* Names the client does not know (newer roles) are skipped. */
          if (dsl_access_from_name (json_node_get_string (element), &access))
            g_array_append_val (values, access);
        }

      {
        /* An empty list is kept as such (not "none sent"), so pass a non-NULL pointer. */
        static const DslAccess nothing[1] = { DSL_ACCESS_NONE };

        dsl_item_set_share_rights (item, subject_type,
                                   values->len > 0 ? (const DslAccess *) (gpointer) values->data
                                                   : nothing,
                                   values->len);
      }
    }

  return TRUE;
}

static gboolean
read_security (const Reader  *reader,
               DslItem       *item,
               GError       **error)
{
  JsonNode *node = NULL;
  Reader security;
  g_autofree char *path = NULL;
  g_autoptr(GList) members = NULL;

  if (!reader_object (reader, "security", FALSE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  path = member_path (reader->prefix, "security");
  if (!reader_init (&security, node, path, error))
    return FALSE;

  members = json_object_get_members (security.object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      gboolean allowed = FALSE;

      if (!reader_bool (&security, l->data, &allowed, error))
        return FALSE;
      dsl_item_set_security (item, l->data, allowed);
    }

  return TRUE;
}

/* createdBy is an EmployeeDto; its displayName is what the UI shows. */
static gboolean
read_created_by (const Reader  *reader,
                 char         **out,
                 GError       **error)
{
  JsonNode *node = reader_lookup (reader, "createdBy");
  g_autofree char *path = NULL;
  Reader employee;

  if (node == NULL)
    return TRUE;

  if (node_is_type (node, G_TYPE_STRING))
    {
      *out = network_string (json_node_get_string (node));
      return TRUE;
    }

  path = member_path (reader->prefix, "createdBy");
  if (!reader_init (&employee, node, path, error))
    return FALSE;

  return reader_string (&employee, "displayName", FALSE, out, error);
}

/* `kind_hint`: the list the entry came from (files[] or folders[]), or -1. */
static DslItem *
parse_item_at (JsonNode    *node,
               const char  *path,
               int          kind_hint,
               GError     **error)
{
  Reader r;
  g_autoptr(DslItem) item = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *parent_id = NULL;
  g_autofree char *file_extension = NULL;
  g_autofree char *created_by = NULL;
  g_autofree char *web_url = NULL;
  g_autofree char *short_web_url = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) updated = NULL;
  DslItemKind kind;
  DslRoomType room_type = DSL_ROOM_TYPE_NONE;
  DslFileType file_type = DSL_FILE_TYPE_UNKNOWN;
  DslAccess access = DSL_ACCESS_NONE;
  int entry_type = 0;
  int room_type_value = 0;
  int file_type_value = 0;
  int parent_room_type = 0;
  int root_folder_type = 0;
  int files_count = -1;
  int folders_count = -1;
  gint64 size = -1;
  gboolean shared = FALSE;
  gboolean shared_external = FALSE;
  gboolean can_share = FALSE;
  gboolean deny_download = FALSE;
  gboolean provider_item = FALSE;
  gboolean has_room_type;

  if (!reader_init (&r, node, path, error))
    return NULL;

  if (!reader_id (&r, "id", TRUE, &id, error) ||
      !reader_string (&r, "title", TRUE, &title, error) ||
      !reader_int (&r, "fileEntryType", FALSE, 0, &entry_type, error) ||
      !reader_int (&r, "roomType", FALSE, 0, &room_type_value, error))
    return NULL;

  /* fileEntryType: 2 file, 1 folder; rooms are folders with a roomType. */
  has_room_type = reader_has (&r, "roomType");
  if (entry_type == 2)
    kind = DSL_ITEM_KIND_FILE;
  else if (entry_type == 1)
    kind = DSL_ITEM_KIND_FOLDER;
  else if (kind_hint >= 0)
    kind = (DslItemKind) kind_hint;
  else if (reader_has (&r, "fileExst") || reader_has (&r, "folderId") || reader_has (&r, "version"))
    kind = DSL_ITEM_KIND_FILE;
  else
    kind = DSL_ITEM_KIND_FOLDER;

  if (kind != DSL_ITEM_KIND_FILE && has_room_type)
    {
      kind = DSL_ITEM_KIND_ROOM;
      if (dsl_room_type_is_valid (room_type_value))
        room_type = (DslRoomType) room_type_value;
      else
        g_debug ("Unknown room type %d of room %s", room_type_value, id);
    }

  if (!reader_id (&r, kind == DSL_ITEM_KIND_FILE ? "folderId" : "parentId", FALSE,
                  &parent_id, error) ||
      !reader_int (&r, "parentRoomType", FALSE, 0, &parent_room_type, error) ||
      !reader_int (&r, "rootFolderType", FALSE, 0, &root_folder_type, error) ||
      !reader_int (&r, "fileType", FALSE, 0, &file_type_value, error) ||
      !reader_string (&r, "fileExst", FALSE, &file_extension, error) ||
      !reader_int64 (&r, "pureContentLength", FALSE, -1, &size, error) ||
      !read_item_access (&r, &access, error) ||
      !reader_bool (&r, "shared", &shared, error) ||
      !reader_bool (&r, "sharedExternal", &shared_external, error) ||
      !reader_bool (&r, "canShare", &can_share, error) ||
      !reader_bool (&r, "denyDownload", &deny_download, error) ||
      !reader_bool (&r, "providerItem", &provider_item, error) ||
      !reader_int (&r, "filesCount", FALSE, -1, &files_count, error) ||
      !reader_int (&r, "foldersCount", FALSE, -1, &folders_count, error) ||
      !reader_date (&r, "created", &created, error) ||
      !reader_date (&r, "updated", &updated, error) ||
      !read_created_by (&r, &created_by, error) ||
      !reader_string (&r, "webUrl", FALSE, &web_url, error) ||
      !reader_string (&r, "shortWebUrl", FALSE, &short_web_url, error))
    return NULL;

  if (enum_has_value (DSL_TYPE_FILE_TYPE, file_type_value))
    file_type = (DslFileType) file_type_value;

  item = g_object_new (DSL_TYPE_ITEM,
                       "id", id,
                       "kind", kind,
                       "title", title,
                       "parent-id", parent_id,
                       "room-type", room_type,
                       "parent-room-type", parent_room_type,
                       "root-folder-type", root_folder_type,
                       "file-type", file_type,
                       "file-extension", file_extension,
                       "size", MAX (size, (gint64) -1),
                       "access", access,
                       "shared", shared,
                       "shared-external", shared_external,
                       "can-share", can_share,
                       "deny-download", deny_download,
                       "provider-item", provider_item,
                       "files-count", MAX (files_count, -1),
                       "folders-count", MAX (folders_count, -1),
                       "created", created,
                       "updated", updated,
                       "created-by", created_by,
                       "web-url", web_url,
                       "short-web-url", short_web_url,
                       NULL);

  if (!read_share_settings (&r, item, error) ||
      !read_share_rights (&r, item, error) ||
      !read_security (&r, item, error))
    return NULL;

  return g_steal_pointer (&item);
}

DslItem *
dsl_json_parse_item (JsonNode  *node,
                     GError   **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_item_at (node, "", -1, error);
}

/* pathParts[i]: {id, title, roomType?, folderType} */
static DslItem *
parse_path_part (JsonNode    *node,
                 const char  *path,
                 GError     **error)
{
  Reader r;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  int room_type = 0;
  int folder_type = 0;
  DslItemKind kind = DSL_ITEM_KIND_FOLDER;

  if (!reader_init (&r, node, path, error) ||
      !reader_id (&r, "id", TRUE, &id, error) ||
      !reader_string (&r, "title", TRUE, &title, error) ||
      !reader_int (&r, "roomType", FALSE, 0, &room_type, error) ||
      !reader_int (&r, "folderType", FALSE, 0, &folder_type, error))
    return NULL;

  if (reader_has (&r, "roomType") || folder_type_is_room (folder_type))
    kind = DSL_ITEM_KIND_ROOM;

  return g_object_new (DSL_TYPE_ITEM,
                       "id", id,
                       "kind", kind,
                       "title", title,
                       "room-type", dsl_room_type_is_valid (room_type)
                                    ? (DslRoomType) room_type : DSL_ROOM_TYPE_NONE,
                       NULL);
}

static gboolean
parse_item_list (const Reader  *reader,
                 JsonArray     *array,
                 const char    *member,
                 int            kind_hint,
                 GPtrArray     *into,
                 GError       **error)
{
  g_autofree char *path = member_path (reader->prefix, member);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *element_path = index_path (path, i);
      DslItem *item = parse_item_at (json_array_get_element (array, i), element_path,
                                     kind_hint, error);

      if (item == NULL)
        return FALSE;
      g_ptr_array_add (into, item);
    }

  return TRUE;
}

DslFolderPage *
dsl_json_parse_folder_page (JsonNode  *node,
                            GError   **error)
{
  Reader r;
  g_autoptr(DslFolderPage) page = NULL;
  JsonArray *files = NULL;
  JsonArray *folders = NULL;
  JsonArray *path_parts = NULL;
  JsonNode *current = NULL;
  gint64 start_index = 0;
  gint64 count = -1;
  gint64 total = -1;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reader_init (&r, node, "", error))
    return NULL;

  if (!reader_array (&r, "files", FALSE, &files, error) ||
      !reader_array (&r, "folders", FALSE, &folders, error) ||
      !reader_object (&r, "current", FALSE, &current, error) ||
      !reader_array (&r, "pathParts", FALSE, &path_parts, error) ||
      !reader_int64 (&r, "startIndex", FALSE, 0, &start_index, error) ||
      !reader_int64 (&r, "count", FALSE, -1, &count, error) ||
      !reader_int64 (&r, "total", FALSE, -1, &total, error))
    return NULL;

  /* Either list may be empty, but an answer with neither is not folder contents. */
  if (files == NULL && folders == NULL)
    {
      set_missing (error, "", "files");
      return NULL;
    }

  page = g_new0 (DslFolderPage, 1);
  page->items = g_ptr_array_new_with_free_func (g_object_unref);
  page->path = g_ptr_array_new_with_free_func (g_object_unref);

  /* Folders (and rooms) first, then files. */
  if ((folders != NULL &&
       !parse_item_list (&r, folders, "folders", DSL_ITEM_KIND_FOLDER, page->items, error)) ||
      (files != NULL &&
       !parse_item_list (&r, files, "files", DSL_ITEM_KIND_FILE, page->items, error)))
    return NULL;

  if (current != NULL)
    {
      page->current = parse_item_at (current, "current", DSL_ITEM_KIND_FOLDER, error);
      if (page->current == NULL)
        return NULL;
    }

  for (guint i = 0; path_parts != NULL && i < json_array_get_length (path_parts); i++)
    {
      g_autofree char *element_path = index_path ("pathParts", i);
      DslItem *part = parse_path_part (json_array_get_element (path_parts, i),
                                       element_path, error);

      if (part == NULL)
        return NULL;
      g_ptr_array_add (page->path, part);
    }

  page->start_index = (guint) CLAMP (start_index, 0, G_MAXUINT);
  page->count = count >= 0 ? (guint) MIN (count, G_MAXUINT) : page->items->len;
  page->total = total >= 0 ? (guint) MIN (total, G_MAXUINT) : page->start_index + page->items->len;

  return g_steal_pointer (&page);
}

/* ------------------------------------------------------------------------------------------ */
/* Links */

/* A link's access must be known exactly: showing a wrong role and saving it back could change
 * or (with None) delete the link. So unknown values are an error here. */
static gboolean
read_link_access (const Reader  *reader,
                  DslAccess     *out,
                  GError       **error)
{
  JsonNode *node = reader_lookup (reader, "access");

  if (node == NULL)
    {
      set_missing (error, reader->prefix, "access");
      return FALSE;
    }

  if (node_is_type (node, G_TYPE_INT64))
    {
      gint64 value = json_node_get_int (node);

      if (value < 0 || value > G_MAXINT || !enum_has_value (DSL_TYPE_ACCESS, (int) value))
        {
          set_bad_value (error, reader->prefix, "access", value);
          return FALSE;
        }
      *out = (DslAccess) value;
      return TRUE;
    }

  if (node_is_type (node, G_TYPE_STRING) &&
      dsl_access_from_name (json_node_get_string (node), out))
    return TRUE;

  set_mistyped (error, reader->prefix, "access", "a number", node);
  return FALSE;
}

static DslLink *
parse_link_at (JsonNode    *node,
               const char  *path,
               GError     **error)
{
  Reader r;
  Reader shared;
  JsonNode *shared_node = NULL;
  g_autofree char *shared_path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *share_link = NULL;
  g_autofree char *password = NULL;
  g_autofree char *request_token = NULL;
  g_autoptr(GDateTime) expiration_date = NULL;
  g_autoptr(DslLink) link = NULL;
  DslAccess access = DSL_ACCESS_READ;
  int subject_type = 0;
  int link_type = -1;
  int max_use_count = -1;
  int current_use_count = -1;
  gboolean can_edit_internal = FALSE;
  gboolean can_edit_deny_download = FALSE;
  gboolean can_edit_expiration_date = FALSE;
  gboolean can_revoke = FALSE;
  gboolean deny_download = FALSE;
  gboolean is_expired = FALSE;
  gboolean primary = FALSE;
  gboolean internal = FALSE;

  if (!reader_init (&r, node, path, error) ||
      !reader_object (&r, "sharedLink", TRUE, &shared_node, error))
    return NULL;

  shared_path = member_path (path, "sharedLink");
  if (!reader_init (&shared, shared_node, shared_path, error) ||
      !reader_id (&shared, "id", TRUE, &id, error) ||
      !read_link_access (&r, &access, error) ||
      !reader_int (&r, "subjectType", TRUE, 0, &subject_type, error))
    return NULL;

  if (!enum_has_value (DSL_TYPE_SUBJECT_TYPE, subject_type))
    {
      set_bad_value (error, path, "subjectType", subject_type);
      return NULL;
    }

  if (!reader_bool (&r, "canEditInternal", &can_edit_internal, error) ||
      !reader_bool (&r, "canEditDenyDownload", &can_edit_deny_download, error) ||
      !reader_bool (&r, "canEditExpirationDate", &can_edit_expiration_date, error) ||
      !reader_bool (&r, "canRevoke", &can_revoke, error) ||
      !reader_string (&shared, "title", FALSE, &title, error) ||
      !reader_string (&shared, "shareLink", FALSE, &share_link, error) ||
      !reader_date (&shared, "expirationDate", &expiration_date, error) ||
      !reader_int (&shared, "linkType", FALSE, -1, &link_type, error) ||
      !reader_string (&shared, "password", FALSE, &password, error) ||
      !reader_bool (&shared, "denyDownload", &deny_download, error) ||
      !reader_bool (&shared, "isExpired", &is_expired, error) ||
      !reader_bool (&shared, "primary", &primary, error) ||
      !reader_bool (&shared, "internal", &internal, error) ||
      !reader_string (&shared, "requestToken", FALSE, &request_token, error) ||
      !reader_int (&shared, "maxUseCount", FALSE, -1, &max_use_count, error) ||
      !reader_int (&shared, "currentUseCount", FALSE, -1, &current_use_count, error))
    return NULL;

  if (link_type == -1)
    link_type = subject_type == DSL_SUBJECT_TYPE_INVITATION_LINK
                ? DSL_LINK_TYPE_INVITATION : DSL_LINK_TYPE_EXTERNAL;
  else if (!enum_has_value (DSL_TYPE_LINK_TYPE, link_type))
    {
      set_bad_value (error, shared_path, "linkType", link_type);
      return NULL;
    }

  link = dsl_link_new ();
  dsl_link_set_id (link, id);
  dsl_link_set_title (link, title);
  dsl_link_set_share_link (link, share_link);
  dsl_link_set_access (link, access);
  dsl_link_set_subject_type (link, (DslSubjectType) subject_type);
  dsl_link_set_link_type (link, (DslLinkType) link_type);
  dsl_link_set_expiration_date (link, expiration_date);
  dsl_link_set_is_expired (link, is_expired);
  dsl_link_set_password (link, password);
  dsl_link_set_deny_download (link, deny_download);
  dsl_link_set_internal (link, internal);
  dsl_link_set_primary (link, primary || subject_type == DSL_SUBJECT_TYPE_PRIMARY_EXTERNAL_LINK);
  dsl_link_set_request_token (link, request_token);
  dsl_link_set_max_use_count (link, max_use_count);
  dsl_link_set_current_use_count (link, current_use_count);
  dsl_link_set_can_edit_internal (link, can_edit_internal);
  dsl_link_set_can_edit_deny_download (link, can_edit_deny_download);
  dsl_link_set_can_edit_expiration_date (link, can_edit_expiration_date);
  dsl_link_set_can_revoke (link, can_revoke);

  /* The password is a secret: wipe the temporary copy. */
  if (password != NULL)
    memset (password, 0, strlen (password));

  return g_steal_pointer (&link);
}

DslLink *
dsl_json_parse_link (JsonNode  *node,
                     GError   **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_link_at (node, "", error);
}

GPtrArray *
dsl_json_parse_links (JsonNode  *node,
                      GError   **error)
{
  g_autoptr(GPtrArray) links = NULL;
  JsonArray *array;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      set_mistyped_path (error, "", "an array", node);
      return NULL;
    }

  array = json_node_get_array (node);
  links = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *path = index_path ("", i);
      JsonNode *shared_link;
      DslLink *link;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          set_mistyped_path (error, path, "an object", element);
          return NULL;
        }

      /* User and group shares have no sharedLink: not links. */
      shared_link = json_object_get_member (json_node_get_object (element), "sharedLink");
      if (shared_link == NULL || JSON_NODE_HOLDS_NULL (shared_link))
        continue;

      link = parse_link_at (element, path, error);
      if (link == NULL)
        return NULL;
      g_ptr_array_add (links, link);
    }

  return g_steal_pointer (&links);
}

/* ------------------------------------------------------------------------------------------ */
/* Audit events */

static gboolean
read_audit_target (const Reader  *reader,
                   GStrv         *out,
                   GError       **error)
{
  JsonNode *node = reader_lookup (reader, "target");
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = member_path (reader->prefix, "target");

  if (node != NULL)
    {
      if (node_is_type (node, G_TYPE_STRING))
        {
          g_ptr_array_add (values, network_string (json_node_get_string (node)));
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (node_is_type (element, G_TYPE_STRING))
                g_ptr_array_add (values, network_string (json_node_get_string (element)));
              else if (node_is_type (element, G_TYPE_INT64))
                g_ptr_array_add (values, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                          json_node_get_int (element)));
              else
                {
                  g_autofree char *element_path = index_path (path, i);

                  set_mistyped_path (error, element_path, "a string", element);
                  return FALSE;
                }
            }
        }
      else
        {
          set_mistyped_path (error, path, "an array of strings", node);
          return FALSE;
        }
    }

  g_ptr_array_add (values, NULL);
  g_ptr_array_set_free_func (values, NULL);
  *out = (GStrv) g_ptr_array_free (g_steal_pointer (&values), FALSE);
  return TRUE;
}

static gboolean
read_audit_entries (const Reader  *reader,
                    GVariant     **out,
                    GError       **error)
{
  JsonArray *array = NULL;
  g_autoptr(GVariantBuilder) builder = NULL;
  g_autofree char *path = NULL;

  if (!reader_array (reader, "entries", FALSE, &array, error))
    return FALSE;

  path = member_path (reader->prefix, "entries");
  builder = g_variant_builder_new (G_VARIANT_TYPE ("ai"));

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_is_type (element, G_TYPE_INT64))
        {
          g_autofree char *element_path = index_path (path, i);

          set_mistyped_path (error, element_path, "a whole number", element);
          return FALSE;
        }

      g_variant_builder_add (builder, "i",
                             (gint32) CLAMP (json_node_get_int (element), G_MININT32, G_MAXINT32));
    }

  *out = g_variant_ref_sink (g_variant_builder_end (builder));
  return TRUE;
}

static DslAuditEvent *
parse_audit_event_at (JsonNode    *node,
                      const char  *path,
                      GError     **error)
{
  Reader r;
  gint64 id = 0;
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *user = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *action = NULL;
  g_autofree char *ip = NULL;
  g_autofree char *country = NULL;
  g_autofree char *city = NULL;
  g_autofree char *browser = NULL;
  g_autofree char *platform = NULL;
  g_autofree char *page = NULL;
  g_autofree char *context = NULL;
  g_auto(GStrv) target = NULL;
  g_autoptr(GVariant) entries = NULL;
  int action_id = 0;
  int action_type = 0;
  int product = 0;
  int location = 0;

  if (!reader_init (&r, node, path, error) ||
      !reader_int64 (&r, "id", TRUE, 0, &id, error) ||
      !reader_date (&r, "date", &date, error) ||
      !reader_string (&r, "user", FALSE, &user, error) ||
      !reader_id (&r, "userId", FALSE, &user_id, error) ||
      !reader_string (&r, "action", FALSE, &action, error) ||
      !reader_int (&r, "actionId", FALSE, 0, &action_id, error) ||
      !reader_int (&r, "actionType", FALSE, 0, &action_type, error) ||
      !reader_string (&r, "ip", FALSE, &ip, error) ||
      !reader_string (&r, "country", FALSE, &country, error) ||
      !reader_string (&r, "city", FALSE, &city, error) ||
      !reader_string (&r, "browser", FALSE, &browser, error) ||
      !reader_string (&r, "platform", FALSE, &platform, error) ||
      !reader_string (&r, "page", FALSE, &page, error) ||
      !reader_int (&r, "product", FALSE, 0, &product, error) ||
      !reader_int (&r, "location", FALSE, 0, &location, error) ||
      !reader_string (&r, "context", FALSE, &context, error) ||
      !read_audit_target (&r, &target, error) ||
      !read_audit_entries (&r, &entries, error))
    return NULL;

  return g_object_new (DSL_TYPE_AUDIT_EVENT,
                       "id", id,
                       "date", date,
                       "user", user,
                       "user-id", user_id,
                       "action", action,
                       "action-id", action_id,
                       "action-type", action_type,
                       "ip", ip,
                       "country", country,
                       "city", city,
                       "browser", browser,
                       "platform", platform,
                       "page", page,
                       "product", product,
                       "location", location,
                       "context", context,
                       "target", target,
                       "entries", entries,
                       NULL);
}

DslAuditEvent *
dsl_json_parse_audit_event (JsonNode  *node,
                            GError   **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_audit_event_at (node, "", error);
}

GPtrArray *
dsl_json_parse_audit_events (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(GPtrArray) events = NULL;
  JsonArray *array;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      set_mistyped_path (error, "", "an array", node);
      return NULL;
    }

  array = json_node_get_array (node);
  events = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = index_path ("", i);
      DslAuditEvent *event = parse_audit_event_at (json_array_get_element (array, i), path, error);

      if (event == NULL)
        return NULL;
      g_ptr_array_add (events, event);
    }

  return g_steal_pointer (&events);
}

/* ------------------------------------------------------------------------------------------ */
/* Users, keys, login */

DslUser *
dsl_json_parse_user (JsonNode  *node,
                     GError   **error)
{
  Reader r;
  g_autofree char *id = NULL;
  g_autofree char *display_name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *avatar = NULL;
  gboolean is_admin = FALSE;
  gboolean is_owner = FALSE;
  gboolean is_room_admin = FALSE;
  gboolean is_visitor = FALSE;
  gboolean is_collaborator = FALSE;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reader_init (&r, node, "", error) ||
      !reader_id (&r, "id", TRUE, &id, error) ||
      !reader_string (&r, "displayName", FALSE, &display_name, error) ||
      !reader_string (&r, "email", FALSE, &email, error) ||
      !reader_string (&r, "avatarSmall", FALSE, &avatar, error) ||
      !reader_bool (&r, "isAdmin", &is_admin, error) ||
      !reader_bool (&r, "isOwner", &is_owner, error) ||
      !reader_bool (&r, "isRoomAdmin", &is_room_admin, error) ||
      !reader_bool (&r, "isVisitor", &is_visitor, error) ||
      !reader_bool (&r, "isCollaborator", &is_collaborator, error))
    return NULL;

  if (avatar == NULL && !reader_string (&r, "avatar", FALSE, &avatar, error))
    return NULL;

  return g_object_new (DSL_TYPE_USER,
                       "id", id,
                       "display-name", display_name,
                       "email", email,
                       "avatar", avatar,
                       "is-admin", is_admin,
                       "is-owner", is_owner,
                       "is-room-admin", is_room_admin,
                       "is-visitor", is_visitor,
                       "is-collaborator", is_collaborator,
                       NULL);
}

DslKeyInfo *
dsl_json_parse_key_info (JsonNode  *node,
                         GError   **error)
{
  Reader r;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key_postfix = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(GDateTime) last_used = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GPtrArray) permissions = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array = NULL;
  gboolean is_active = FALSE;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Never read `key`: for keys/@self it is not the secret, and the client has no use for it. */
  if (!reader_init (&r, node, "", error) ||
      !reader_id (&r, "id", TRUE, &id, error) ||
      !reader_string (&r, "name", FALSE, &name, error) ||
      !reader_string (&r, "keyPostfix", FALSE, &key_postfix, error) ||
      !reader_array (&r, "permissions", FALSE, &array, error) ||
      !reader_date (&r, "expiresAt", &expires_at, error) ||
      !reader_date (&r, "lastUsed", &last_used, error) ||
      !reader_date (&r, "createOn", &created, error) ||
      !reader_bool (&r, "isActive", &is_active, error))
    return NULL;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!node_is_type (element, G_TYPE_STRING))
        {
          g_autofree char *path = index_path ("permissions", i);

          set_mistyped_path (error, path, "a string", element);
          return NULL;
        }
      g_ptr_array_add (permissions, network_string (json_node_get_string (element)));
    }
  g_ptr_array_add (permissions, NULL);

  return g_object_new (DSL_TYPE_KEY_INFO,
                       "id", id,
                       "name", name,
                       "key-postfix", key_postfix,
                       "permissions", (GStrv) permissions->pdata,
                       "expires-at", expires_at,
                       "last-used", last_used,
                       "created", created,
                       "is-active", is_active,
                       NULL);
}

DslAuthResult *
dsl_json_parse_auth_result (JsonNode  *node,
                            GError   **error)
{
  Reader r;
  g_autoptr(DslAuthResult) result = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reader_init (&r, node, "", error))
    return NULL;

  result = g_new0 (DslAuthResult, 1);

  if (!reader_string (&r, "token", FALSE, &result->token, error) ||
      !reader_date (&r, "expires", &result->expires, error) ||
      !reader_bool (&r, "tfa", &result->tfa, error) ||
      !reader_bool (&r, "sms", &result->sms, error) ||
      !reader_string (&r, "tfaKey", FALSE, &result->tfa_key, error) ||
      !reader_string (&r, "confirmUrl", FALSE, &result->confirm_url, error) ||
      !reader_string (&r, "phoneNoise", FALSE, &result->phone_noise, error))
    return NULL;

  if (result->token != NULL && result->token[0] == '\0')
    g_clear_pointer (&result->token, g_free);

  /* Without a token the answer must at least ask for a second factor. */
  if (result->token == NULL && !result->tfa && !result->sms)
    {
      set_missing (error, "", "token");
      return NULL;
    }

  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------------------------------ */
/* Request bodies */

JsonNode *
dsl_json_build_link_request (DslLink  *state,
                             gboolean  for_room)
{
  g_autoptr(JsonBuilder) builder = NULL;
  const char *id;
  const char *title;
  const char *password;
  GDateTime *expiration;

  g_return_val_if_fail (DSL_IS_LINK (state), NULL);

  id = dsl_link_get_id (state);
  title = dsl_link_get_title (state);
  password = dsl_link_get_password (state);
  expiration = dsl_link_get_expiration_date (state);

  /* Mutable, so a caller may still adjust the body (e.g. drop members for an endpoint). */
  builder = json_builder_new ();
  json_builder_begin_object (builder);

  if (id != NULL && *id != '\0')
    {
      json_builder_set_member_name (builder, "linkId");
      json_builder_add_string_value (builder, id);
    }

  /* Always a number: the server turns an unparsable access into 0 = None, a delete. */
  json_builder_set_member_name (builder, "access");
  json_builder_add_int_value (builder, dsl_link_get_access (state));

  /* The full state on every update: an omitted member is reset by the server. */
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title != NULL ? title : "");

  if (expiration != NULL)
    {
      g_autofree char *date = dsl_json_format_date (expiration);

      json_builder_set_member_name (builder, "expirationDate");
      json_builder_add_string_value (builder, date);
    }

  if (password != NULL && *password != '\0')
    {
      json_builder_set_member_name (builder, "password");
      json_builder_add_string_value (builder, password);
    }

  json_builder_set_member_name (builder, "denyDownload");
  json_builder_add_boolean_value (builder, dsl_link_get_deny_download (state));

  json_builder_set_member_name (builder, "internal");
  json_builder_add_boolean_value (builder, dsl_link_get_internal (state));

  if (for_room)
    {
      DslLinkType link_type = dsl_link_get_link_type (state);

      json_builder_set_member_name (builder, "linkType");
      json_builder_add_int_value (builder, link_type);

      if (link_type == DSL_LINK_TYPE_INVITATION && dsl_link_get_max_use_count (state) > 0)
        {
          json_builder_set_member_name (builder, "maxUseCount");
          json_builder_add_int_value (builder, dsl_link_get_max_use_count (state));
        }
    }

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
dsl_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, FALSE);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* ExternalShareDto */

#define SHARE_ID_MAX    256
#define SHARE_TITLE_MAX 1024

/* An optional id no longer than SHARE_ID_MAX bytes. */
static gboolean
reader_bounded_id (const Reader  *reader,
                   const char    *member,
                   char         **out,
                   GError       **error)
{
  if (!reader_id (reader, member, FALSE, out, error))
    return FALSE;
  if (*out != NULL && strlen (*out) > SHARE_ID_MAX)
    {
      g_clear_pointer (out, g_free);
      set_mistyped (error, reader->prefix, member, "an id of at most 256 characters",
                    reader_lookup (reader, member));
      return FALSE;
    }
  return TRUE;
}

/* An optional title, valid UTF-8 (json-glib checks), cut to SHARE_TITLE_MAX characters. */
static gboolean
reader_bounded_title (const Reader  *reader,
                      const char    *member,
                      char         **out,
                      GError       **error)
{
  if (!reader_string (reader, member, FALSE, out, error))
    return FALSE;
  if (*out != NULL && g_utf8_strlen (*out, -1) > SHARE_TITLE_MAX)
    {
      char *cut = g_utf8_substring (*out, 0, SHARE_TITLE_MAX);

      g_free (*out);
      *out = cut;
    }
  return TRUE;
}

/* An optional boolean that keeps *out (a default) when absent. */
static gboolean
reader_bool_or (const Reader  *reader,
                const char    *member,
                gboolean      *out,
                GError       **error)
{
  gboolean given = *out;

  if (reader_lookup (reader, member) == NULL)
    return TRUE;
  if (!reader_bool (reader, member, &given, error))
    return FALSE;
  *out = given;
  return TRUE;
}

DslSharingPolicy *
dsl_json_parse_sharing_policy (JsonNode  *node,
                               GError   **error)
{
  Reader r;
  g_autoptr(DslSharingPolicy) policy = g_new0 (DslSharingPolicy, 1);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dsl_sharing_policy_init_defaults (policy);
  if (!reader_init (&r, node, "", error) ||
      !reader_bool_or (&r, "externalShare", &policy->external_share, error) ||
      !reader_bool_or (&r, "externalShareApplyToDocuments", &policy->apply_to_documents,
                       error) ||
      !reader_bool_or (&r, "externalShareApplyToRooms", &policy->apply_to_rooms, error) ||
      !reader_bool_or (&r, "blockExistingLinksOnRestrict", &policy->block_existing, error) ||
      !reader_bool_or (&r, "defaultShareLinkInternal", &policy->default_internal, error))
    return NULL;
  return g_steal_pointer (&policy);
}

DslShareInfo *
dsl_json_parse_share_info (JsonNode  *node,
                           GError   **error)
{
  Reader r;
  g_autoptr(DslShareInfo) info = g_new0 (DslShareInfo, 1);
  g_autofree char *link_id = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!reader_init (&r, node, "", error) ||
      !reader_int (&r, "status", TRUE, 0, &info->status, error) ||
      !reader_bounded_id (&r, "id", &info->id, error) ||
      !reader_bounded_title (&r, "title", &info->title, error) ||
      !reader_int (&r, "type", FALSE, 0, &info->type, error) ||
      !reader_bool (&r, "isRoom", &info->is_room, error) ||
      !reader_string (&r, "linkId", FALSE, &link_id, error) ||
      !reader_bounded_id (&r, "entityId", &info->entity_id, error) ||
      !reader_bounded_title (&r, "entityTitle", &info->entity_title, error) ||
      !reader_int (&r, "entityType", FALSE, 0, &info->entity_type, error) ||
      !reader_bool (&r, "isAuthenticated", &info->is_authenticated, error))
    return NULL;

  if (info->status < 0)
    {
      set_bad_value (error, "", "status", info->status);
      return NULL;
    }
  if (link_id != NULL && !g_uuid_string_is_valid (link_id))
    {
      set_mistyped (error, "", "linkId", "a GUID", reader_lookup (&r, "linkId"));
      return NULL;
    }
  /* Guid.Empty: the server did not say which link (password links, other statuses). */
  if (link_id != NULL && strcmp (link_id, "00000000-0000-0000-0000-000000000000") != 0)
    info->link_id = g_steal_pointer (&link_id);
  return g_steal_pointer (&info);
}

/* ------------------------------------------------------------------------------------------ */
/* Checking a body before json-glib reads it (issue 14) */

/* json-glib's parser recurses once per nesting level: 100,000 `[` in 200 kB overflow the stack
 * of a thread-pool thread. Real answers nest fewer than 10 levels. */
#define MAX_JSON_DEPTH 128

#define UNREADABLE "The portal sent a response the app cannot read"

/* Whether the integer literal `digits` (no sign, at least one digit) fits gint64: json-glib
 * turns one that does not into -1 without a word, and ids would collide. */
static gboolean
integer_fits (const char *digits,
              gsize       len,
              gboolean    negative)
{
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

  while (len > 1 && *digits == '0')
    {
      digits++;
      len--;
    }
  if (len != 19)
    return len < 19;
  return memcmp (digits, limit, 19) <= 0;
}

gboolean
dsl_json_check_text (const char  *data,
                     gsize        len,
                     GError     **error)
{
  guint depth = 0;
  gsize i = 0;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  while (i < len)
    {
      char c = data[i];

      if (c == '"')
        {
          /* Skip the string, escapes included; an unterminated one is the parser's to report. */
          for (i++; i < len && data[i] != '"'; i++)
            if (data[i] == '\\')
              i++;
          i++;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            {
              g_set_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                           UNREADABLE " (nested deeper than %u levels).", MAX_JSON_DEPTH);
              return FALSE;
            }
          i++;
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
          i++;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gboolean negative = c == '-';
          gsize start = negative ? i + 1 : i;
          gsize end = start;
          gboolean integer = TRUE;

          while (end < len && g_ascii_isdigit (data[end]))
            end++;
          for (i = end; i < len && (g_ascii_isdigit (data[i]) || data[i] == '.' ||
                                    data[i] == 'e' || data[i] == 'E' || data[i] == '+' ||
                                    data[i] == '-'); i++)
            integer = FALSE;
          if (integer && end > start && !integer_fits (data + start, end - start, negative))
            {
              g_set_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE,
                           UNREADABLE " (the number %s%.*s is too large).",
                           negative ? "-" : "", (int) MIN (end - start, 40), data + start);
              return FALSE;
            }
          if (i == start && negative)
            i++;
        }
      else
        {
          i++;
        }
    }
  return TRUE;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-util.c: dates in the portal's ApiDateTime format, ids, case-insensitive JSON access. */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim.h"

#include <stdio.h>
#include <string.h>

static GTimeZone *
portal_tz (void)
{
  static GTimeZone *tz;

  if (tz == NULL)
    tz = g_time_zone_new_offset (SIM_PORTAL_OFFSET_SECONDS);
  return tz;
}

/* ApiDateTime: yyyy-MM-ddTHH:mm:ss.fffffff+03:00, always 7 fractional digits. */
char *
sim_format_date (gint64 usec)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *main_part = NULL;
  gint64 frac;

  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (utc == NULL)
    return g_strdup ("0001-01-01T00:00:00.0000000+03:00");
  local = g_date_time_to_timezone (utc, portal_tz ());
  main_part = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S");
  frac = usec % G_USEC_PER_SEC;
  if (frac < 0)
    frac += G_USEC_PER_SEC;
  return g_strdup_printf ("%s.%07" G_GINT64_FORMAT "+03:00", main_part, frac * 10);
}

/* Accepts what DateTimeOffset.Parse accepts in practice: ISO 8601 with or without an offset
 * (no offset = the portal's zone), and, for query parameters, a bare yyyy-MM-dd. */
gboolean
sim_parse_date (const char *text,
                gboolean    allow_date_only,
                gboolean    end_of_day,
                gint64     *out_usec)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;
  char tail;

  if (text == NULL || *text == '\0')
    return FALSE;

  if (allow_date_only && strlen (text) == 10 &&
      sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3)
    {
      dt = g_date_time_new (portal_tz (), y, m, d, 0, 0, 0);
      if (dt == NULL)
        return FALSE;
      *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
      if (end_of_day)
        *out_usec += SIM_USEC_PER_DAY - 1;
      return TRUE;
    }

  dt = g_date_time_new_from_iso8601 (text, portal_tz ());
  if (dt == NULL)
    return FALSE;
  *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

static const char base62[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

char *
sim_random_string_with (GRand *rand,
                        guint  len)
{
  GString *s = g_string_sized_new (len);

  for (guint i = 0; i < len; i++)
    g_string_append_c (s, base62[rand != NULL ? g_rand_int_range (rand, 0, 62) :
                                                g_random_int_range (0, 62)]);
  return g_string_free (s, FALSE);
}

char *
sim_random_string (guint len)
{
  return sim_random_string_with (NULL, len);
}

char *
sim_new_guid_with (GRand *rand)
{
  guint32 w[4];

  if (rand == NULL)
    return g_uuid_string_random ();
  for (guint i = 0; i < 4; i++)
    w[i] = g_rand_int (rand);
  /* version 4, variant 1, like g_uuid_string_random */
  return g_strdup_printf ("%08x-%04x-4%03x-%04x-%04x%08x", w[0], w[1] >> 16, w[1] & 0xfff,
                          (w[2] >> 16 & 0x3fff) | 0x8000, w[2] & 0xffff, w[3]);
}

char *
sim_new_guid (void)
{
  return sim_new_guid_with (NULL);
}

/* Request bodies are matched case-insensitively, like the server's model binder. */
JsonNode *
sim_obj_get (JsonObject *obj,
             const char *name)
{
  g_autoptr(GList) members = NULL;

  if (obj == NULL)
    return NULL;
  if (json_object_has_member (obj, name))
    return json_object_get_member (obj, name);
  members = json_object_get_members (obj);
  for (GList *l = members; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, name) == 0)
      return json_object_get_member (obj, l->data);
  return NULL;
}

char *
sim_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

JsonNode *
sim_json_parse (const char *data,
                gsize       len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (data == NULL || len == 0)
    return NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root != NULL ? json_node_copy (root) : NULL;
}

static const char *access_names[] = {
  "None", "ReadWrite", "Read", "Restrict", "Varies", "Review", "Comment", "FillForms",
  "CustomFilter", "RoomManager", "Editing", "ContentCreator",
};

const char *
sim_access_name (int access)
{
  if (access < 0 || access > FS_LAST)
    return "None";
  return access_names[access];
}

/* The server's lenient FileShare converter: a name (or old alias), else -1. */
int
sim_access_from_name (const char *name)
{
  for (int i = 0; i <= FS_LAST; i++)
    if (g_ascii_strcasecmp (name, access_names[i]) == 0)
      return i;
  if (g_ascii_strcasecmp (name, "RoomAdmin") == 0)
    return FS_ROOM_MANAGER;
  if (g_ascii_strcasecmp (name, "PowerUser") == 0)
    return FS_CONTENT_CREATOR;
  return -1;
}

char *
sim_human_size (gint64 bytes)
{
  if (bytes < 1024)
    return g_strdup_printf ("%" G_GINT64_FORMAT " bytes", bytes);
  if (bytes < 1024 * 1024)
    return g_strdup_printf ("%.2f KB", bytes / 1024.0);
  return g_strdup_printf ("%.2f MB", bytes / (1024.0 * 1024.0));
}

gboolean
sim_str_is_int (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 18)
    return FALSE;
  if (*s == '-')
    s++;
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

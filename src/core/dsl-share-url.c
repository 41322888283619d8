/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-share-url.c: share URLs of a portal, parsed with GUri.
 *
 *   " HTTPS://Portal.example.com:443/s/AbC123/?password=x "
 *        │ strip, scheme (or the portal's), GUri (query kept encoded for g_uri_parse_params)
 *        ▼
 *   path "/s/<code>" ──▶ SHORT, code
 *   a long form: "/rooms/share" + key=<key>[&folder=<id>], "/doceditor" or "/filehandler.ashx"
 *        + fileid=<id>&share=<key>, "/share/preview/<id>" + share=<key> ──▶ KEY, key, item
 *        │
 *        ▼ origin (scheme, lowercase host without a trailing dot, port or the default) compared
 *          with the portal's: OTHER_PORTAL when they differ, except a one-segment link on
 *          another host (a URL shortener's, https://bit.ly/3AbC) ──▶ REDIRECT, the URL */

#define G_LOG_DOMAIN "dsl-share-url"

#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "dsl-share-url.h"

G_DEFINE_QUARK (dsl-share-url-error-quark, dsl_share_url_error)

void
dsl_share_info_free (DslShareInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->title);
  g_free (info->link_id);
  g_free (info->entity_id);
  g_free (info->entity_title);
  g_free (info);
}

typedef struct {
  char *scheme;   /* lowercase */
  char *host;     /* lowercase, no trailing dot, no IPv6 brackets */
  int   port;     /* the scheme's default when none was given */
} Origin;

static void
origin_clear (Origin *origin)
{
  g_clear_pointer (&origin->scheme, g_free);
  g_clear_pointer (&origin->host, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Origin, origin_clear)

static gboolean
has_explicit_scheme (const char *text)
{
  const char *scheme = g_uri_peek_scheme (text);

  /* "portal:8080/s/x" has a scheme as far as URI syntax goes; only "x://" counts here. */
  return scheme != NULL && g_str_has_prefix (text + strlen (scheme) + 1, "//");
}

static int
default_port (const char *scheme)
{
  return g_str_equal (scheme, "http") ? 80 : 443;
}

/* Fills `origin` from `uri` (an http or https URI with a host). */
static void
origin_from_uri (Origin *origin,
                 GUri   *uri)
{
  g_autofree char *host = g_ascii_strdown (g_uri_get_host (uri), -1);
  gsize len = strlen (host);

  while (len > 1 && host[len - 1] == '.')
    host[--len] = '\0';
  origin->scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  origin->host = g_steal_pointer (&host);
  origin->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : default_port (origin->scheme);
}

static gboolean
is_web_scheme (const char *scheme)
{
  return g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0;
}

static GUri *
parse_web_uri (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_ENCODED_QUERY, NULL);

  if (uri == NULL || !is_web_scheme (g_uri_get_scheme (uri)) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;
  return g_steal_pointer (&uri);
}

static gboolean
is_code (const char *code)
{
  if (*code == '\0')
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* A key as it appears in a long form: not empty, no white space. */
static char *
dup_key (GHashTable *params,
         const char *name)
{
  const char *key = params != NULL ? g_hash_table_lookup (params, name) : NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (key != NULL ? key : ""));

  if (*stripped == '\0' || strpbrk (stripped, " \t\r\n") != NULL)
    return NULL;
  return g_steal_pointer (&stripped);
}

/* An item id as a long form carries it: not empty, no white space, no slash. */
static char *
dup_id (const char *id)
{
  if (id == NULL || *id == '\0' || strpbrk (id, " \t\r\n/") != NULL)
    return NULL;
  return g_strdup (id);
}

/* The share kind, token and (long forms) the item of `uri`'s path and query, or FALSE.
 *
 * The long forms are those of ExternalShare.GetLinkDataAsync and FilesLinkUtility in the
 * server (products/ASC.Files/Core/Core/Security/ExternalShare.cs, .../Helpers/
 * FilesLinkUtility.cs): files "doceditor?fileid=<id>&share=<key>" (documents),
 * "share/preview/<id>?share=<key>" (images, media), "filehandler.ashx?action=download&
 * fileid=<id>&share=<key>" (other files); rooms "rooms/share?key=<key>", folders
 * "rooms/share?key=<key>&folder=<id>". The key is the link's requestToken. */
static gboolean
share_of_uri (GUri              *uri,
              DslShareUrlKind   *kind,
              char             **token,
              DslShareUrlTarget *target,
              char             **target_id)
{
  g_autofree char *path = g_strdup (g_uri_get_path (uri));
  g_autoptr(GHashTable) params = NULL;
  gsize len = strlen (path);
  char *key = NULL;

  while (len > 1 && path[len - 1] == '/')
    path[--len] = '\0';

  if (g_ascii_strncasecmp (path, "/s/", 3) == 0 && is_code (path + 3))
    {
      *kind = DSL_SHARE_URL_KIND_SHORT;
      *token = g_strdup (path + 3);
      *target = DSL_SHARE_URL_TARGET_UNKNOWN;
      *target_id = NULL;
      return TRUE;
    }

  if (g_uri_get_query (uri) != NULL)
    params = g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                 G_URI_PARAMS_CASE_INSENSITIVE, NULL);
  if (params == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (path, "/rooms/share") == 0 && (key = dup_key (params, "key")) != NULL)
    {
      *target_id = dup_id (g_hash_table_lookup (params, "folder"));
      *target = *target_id != NULL ? DSL_SHARE_URL_TARGET_FOLDER : DSL_SHARE_URL_TARGET_ROOM;
    }
  else if ((g_ascii_strcasecmp (path, "/doceditor") == 0 ||
            g_ascii_strcasecmp (path, "/filehandler.ashx") == 0) &&
           (key = dup_key (params, "share")) != NULL)
    {
      *target_id = dup_id (g_hash_table_lookup (params, "fileid"));
      *target = *target_id != NULL ? DSL_SHARE_URL_TARGET_FILE : DSL_SHARE_URL_TARGET_UNKNOWN;
    }
  else if (g_ascii_strncasecmp (path, "/share/preview/", 15) == 0 && path[15] != '\0' &&
           (key = dup_key (params, "share")) != NULL)
    {
      g_autofree char *id = g_uri_unescape_string (path + 15, NULL);

      *target_id = dup_id (id);
      *target = *target_id != NULL ? DSL_SHARE_URL_TARGET_FILE : DSL_SHARE_URL_TARGET_UNKNOWN;
    }
  else
    return FALSE;

  *kind = DSL_SHARE_URL_KIND_KEY;
  *token = key;
  return TRUE;
}

/* A link of a URL shortener such as https://bit.ly/3AbC: one path segment that could be a code,
 * no query. */
static gboolean
is_shortener_uri (GUri *uri)
{
  g_autofree char *path = g_strdup (g_uri_get_path (uri));
  gsize len = strlen (path);

  while (len > 1 && path[len - 1] == '/')
    path[--len] = '\0';
  return path[0] == '/' && is_code (path + 1) && g_uri_get_query (uri) == NULL;
}

/* "host" or "host:port" as a person would read it (no default port). */
static char *
origin_describe (const Origin *origin)
{
  gboolean ipv6 = strchr (origin->host, ':') != NULL;

  if (origin->port == default_port (origin->scheme))
    return ipv6 ? g_strdup_printf ("[%s]", origin->host) : g_strdup (origin->host);
  return g_strdup_printf (ipv6 ? "[%s]:%d" : "%s:%d", origin->host, origin->port);
}

gboolean
dsl_share_url_parse_full (const char         *url,
                          const char         *portal_base,
                          DslShareUrlKind    *kind,
                          char              **token,
                          DslShareUrlTarget  *target,
                          char              **target_id,
                          GError            **error)
{
  g_autofree char *text = NULL;
  g_autofree char *full = NULL;
  g_autofree char *found_token = NULL;
  g_autofree char *found_id = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) portal_uri = NULL;
  g_auto(Origin) origin = { 0 };
  g_auto(Origin) portal = { 0 };
  DslShareUrlKind found_kind = DSL_SHARE_URL_KIND_SHORT;
  DslShareUrlTarget found_target = DSL_SHARE_URL_TARGET_UNKNOWN;
  gboolean explicit_scheme;
  gboolean is_share;
  gboolean same_origin;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Pasted or from the portal: it may not be UTF-8, and it is quoted in the messages. */
  text = g_strstrip (g_utf8_make_valid (url != NULL ? url : "", -1));
  if (*text == '\0')
    {
      g_set_error_literal (error, DSL_SHARE_URL_ERROR, DSL_SHARE_URL_ERROR_MALFORMED,
                           _("Paste a share link, for example "
                             "https://docspace.example.com/s/AbC123."));
      return FALSE;
    }

  if (portal_base != NULL)
    {
      portal_uri = parse_web_uri (portal_base);
      if (portal_uri != NULL)
        origin_from_uri (&portal, portal_uri);
    }

  explicit_scheme = has_explicit_scheme (text);
  if (explicit_scheme)
    full = g_strdup (text);
  else
    full = g_strconcat (portal.scheme != NULL ? portal.scheme : "https", "://", text, NULL);

  uri = parse_web_uri (full);
  if (uri == NULL)
    {
      g_set_error (error, DSL_SHARE_URL_ERROR, DSL_SHARE_URL_ERROR_MALFORMED,
                   _("“%s” is not a web address. A share link looks like "
                     "https://docspace.example.com/s/AbC123."), text);
      return FALSE;
    }

  origin_from_uri (&origin, uri);
  same_origin = portal.host == NULL ||
                (g_str_equal (origin.host, portal.host) && origin.port == portal.port &&
                 (!explicit_scheme || g_str_equal (origin.scheme, portal.scheme)));
  is_share = share_of_uri (uri, &found_kind, &found_token, &found_target, &found_id);

  if (!is_share && !same_origin && is_shortener_uri (uri))
    {
      /* Perhaps the portal's URL shortener (Bitly...): only its redirect tells. */
      found_kind = DSL_SHARE_URL_KIND_REDIRECT;
      found_token = g_uri_to_string (uri);
      found_target = DSL_SHARE_URL_TARGET_UNKNOWN;
    }
  else if (!is_share)
    {
      g_set_error (error, DSL_SHARE_URL_ERROR, DSL_SHARE_URL_ERROR_MALFORMED,
                   _("“%s” is not a share link. A share link looks like "
                     "https://docspace.example.com/s/AbC123, or like the address a browser "
                     "shows after opening one (…/doceditor?fileid=…&share=…, "
                     "…/rooms/share?key=…)."), text);
      return FALSE;
    }
  else if (!same_origin)
    {
      g_autofree char *theirs = origin_describe (&origin);
      g_autofree char *ours = origin_describe (&portal);

      if (g_str_equal (theirs, ours))
        {
          /* Only the scheme differs: say so, or the message reads "a.com, not a.com". */
          g_autofree char *host = g_steal_pointer (&theirs);

          g_free (ours);
          theirs = g_strdup_printf ("%s://%s", origin.scheme, host);
          ours = g_strdup_printf ("%s://%s", portal.scheme, host);
        }
      g_set_error (error, DSL_SHARE_URL_ERROR, DSL_SHARE_URL_ERROR_OTHER_PORTAL,
                   _("This link belongs to another portal (%s), not to %s. Sign in to that "
                     "portal to find it."), theirs, ours);
      return FALSE;
    }

  if (kind != NULL)
    *kind = found_kind;
  if (token != NULL)
    *token = g_steal_pointer (&found_token);
  if (target != NULL)
    *target = found_target;
  if (target_id != NULL)
    *target_id = g_steal_pointer (&found_id);
  return TRUE;
}

gboolean
dsl_share_url_parse (const char       *url,
                     const char       *portal_base,
                     DslShareUrlKind  *kind,
                     char            **token,
                     GError          **error)
{
  DslShareUrlKind found_kind;
  g_autofree char *found_token = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!dsl_share_url_parse_full (url, portal_base, &found_kind, &found_token, NULL, NULL,
                                 &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (found_kind == DSL_SHARE_URL_KIND_REDIRECT)
    {
      g_autoptr(GUri) uri = g_uri_parse (found_token, G_URI_FLAGS_NONE, NULL);
      g_autofree char *portal = portal_base != NULL ? g_strdup (portal_base) : NULL;

      g_set_error (error, DSL_SHARE_URL_ERROR, DSL_SHARE_URL_ERROR_OTHER_PORTAL,
                   _("This link is on another host (%s), not on %s."),
                   uri != NULL ? g_uri_get_host (uri) : found_token,
                   portal != NULL ? portal : "");
      return FALSE;
    }
  if (kind != NULL)
    *kind = found_kind;
  if (token != NULL)
    *token = g_steal_pointer (&found_token);
  return TRUE;
}

gboolean
dsl_share_url_is_share_url (const char *url)
{
  g_autofree char *text = g_strstrip (g_utf8_make_valid (url != NULL ? url : "", -1));

  return has_explicit_scheme (text) && dsl_share_url_parse (text, NULL, NULL, NULL, NULL);
}

char *
dsl_share_url_dup_portal (const char *url)
{
  g_autofree char *text = g_strstrip (g_utf8_make_valid (url != NULL ? url : "", -1));
  g_autoptr(GUri) uri = NULL;
  g_auto(Origin) origin = { 0 };
  g_autofree char *host = NULL;

  if (!dsl_share_url_is_share_url (text))
    return NULL;
  uri = parse_web_uri (text);
  origin_from_uri (&origin, uri);
  host = origin_describe (&origin);
  return g_strdup_printf ("%s://%s", origin.scheme, host);
}

gboolean
dsl_share_url_matches_link (DslShareUrlKind  kind,
                            const char      *token,
                            const char      *share_link,
                            const char      *request_token)
{
  DslShareUrlKind link_kind;
  g_autofree char *link_token = NULL;

  if (token == NULL || *token == '\0')
    return FALSE;
  if (kind == DSL_SHARE_URL_KIND_KEY && request_token != NULL &&
      g_str_equal (token, request_token))
    return TRUE;
  if (share_link == NULL ||
      !dsl_share_url_parse (share_link, NULL, &link_kind, &link_token, NULL))
    return FALSE;
  return link_kind == kind && g_str_equal (link_token, token);
}

/* The raw authority ("//" up to the path) of `url` holds no user info, no percent-encoding and
 * only ASCII: GUri decodes a host and browsers may map it otherwise (IDN, "%2e"). */
static gboolean
authority_is_plain (const char *url)
{
  const char *start = strstr (url, "//");
  const char *end;

  if (start == NULL)
    return FALSE;
  start += 2;
  end = start + strcspn (start, "/?#");
  for (const char *p = start; p < end; p++)
    if (*p == '@' || *p == '%' || (guchar) *p >= 0x80)
      return FALSE;
  return end > start;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_str_equal (host, "localhost"))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* The origin of `text` when it is an http(s) URL with a host that may be opened. */
static gboolean
openable_origin (const char *text,
                 Origin     *origin)
{
  g_autoptr(GUri) uri = NULL;

  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || *p == 0x7f || *p == '\\')
      return FALSE;
  if (!has_explicit_scheme (text) || !authority_is_plain (text))
    return FALSE;
  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_userinfo (uri) != NULL || g_uri_get_host (uri) == NULL ||
      *g_uri_get_host (uri) == '\0' || !is_web_scheme (g_uri_get_scheme (uri)))
    return FALSE;
  origin_from_uri (origin, uri);
  if (g_str_equal (origin->scheme, "http") && !host_is_loopback (origin->host))
    return FALSE;
  return TRUE;
}

gboolean
dsl_share_url_may_open (const char *url,
                        const char *portal_base_url,
                        const char *short_link_host)
{
  g_auto(Origin) target = { 0 };
  g_auto(Origin) portal = { 0 };

  if (url == NULL || portal_base_url == NULL || !openable_origin (url, &target))
    return FALSE;
  if (short_link_host != NULL && *short_link_host != '\0' &&
      g_ascii_strcasecmp (target.host, short_link_host) == 0 &&
      target.port == default_port (target.scheme))
    return TRUE;
  if (!openable_origin (portal_base_url, &portal))
    return FALSE;
  return g_str_equal (target.scheme, portal.scheme) && g_str_equal (target.host, portal.host) &&
         target.port == portal.port;
}

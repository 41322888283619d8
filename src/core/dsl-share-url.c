/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-share-url.c: share URLs of a portal, parsed with GUri.
 *
 *   " HTTPS://Portal.example.com:443/s/AbC123/?password=x "
 *        │ strip, scheme (or the portal's), GUri (query kept encoded for g_uri_parse_params)
 *        ▼
 *   path "/s/<code>" ──▶ SHORT, code        path "/rooms/share" + key=<token> ──▶ KEY, token
 *        │
 *        ▼ origin (scheme, lowercase host without a trailing dot, port or the default) compared
 *          with the portal's: OTHER_PORTAL when they differ */

#define G_LOG_DOMAIN "dsl-share-url"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "dsl-share-url.h"

G_DEFINE_QUARK (dsl-share-url-error-quark, dsl_share_url_error)

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

/* The share kind and token of `uri`'s path and query, or FALSE. */
static gboolean
share_of_uri (GUri             *uri,
              DslShareUrlKind  *kind,
              char            **token)
{
  g_autofree char *path = g_strdup (g_uri_get_path (uri));
  gsize len = strlen (path);

  while (len > 1 && path[len - 1] == '/')
    path[--len] = '\0';

  if (g_ascii_strncasecmp (path, "/s/", 3) == 0 && is_code (path + 3))
    {
      *kind = DSL_SHARE_URL_KIND_SHORT;
      *token = g_strdup (path + 3);
      return TRUE;
    }

  if (g_ascii_strcasecmp (path, "/rooms/share") == 0 && g_uri_get_query (uri) != NULL)
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                         G_URI_PARAMS_CASE_INSENSITIVE, NULL);
      const char *key = params != NULL ? g_hash_table_lookup (params, "key") : NULL;
      g_autofree char *stripped = g_strstrip (g_strdup (key != NULL ? key : ""));

      if (*stripped != '\0' && strchr (stripped, ' ') == NULL)
        {
          *kind = DSL_SHARE_URL_KIND_KEY;
          *token = g_steal_pointer (&stripped);
          return TRUE;
        }
    }
  return FALSE;
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
dsl_share_url_parse (const char       *url,
                     const char       *portal_base,
                     DslShareUrlKind  *kind,
                     char            **token,
                     GError          **error)
{
  g_autofree char *text = NULL;
  g_autofree char *full = NULL;
  g_autofree char *found_token = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) portal_uri = NULL;
  g_auto(Origin) origin = { 0 };
  g_auto(Origin) portal = { 0 };
  DslShareUrlKind found_kind;
  gboolean explicit_scheme;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = g_strstrip (g_strdup (url != NULL ? url : ""));
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
  if (!share_of_uri (uri, &found_kind, &found_token))
    {
      g_set_error (error, DSL_SHARE_URL_ERROR, DSL_SHARE_URL_ERROR_MALFORMED,
                   _("“%s” is not a share link. A share link looks like "
                     "https://docspace.example.com/s/AbC123 or ends in "
                     "/rooms/share?key=…"), text);
      return FALSE;
    }

  origin_from_uri (&origin, uri);
  if (portal.host != NULL &&
      (!g_str_equal (origin.host, portal.host) || origin.port != portal.port ||
       (explicit_scheme && !g_str_equal (origin.scheme, portal.scheme))))
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
  return TRUE;
}

gboolean
dsl_share_url_is_share_url (const char *url)
{
  g_autofree char *text = g_strstrip (g_strdup (url != NULL ? url : ""));

  return has_explicit_scheme (text) && dsl_share_url_parse (text, NULL, NULL, NULL, NULL);
}

char *
dsl_share_url_dup_portal (const char *url)
{
  g_autofree char *text = g_strstrip (g_strdup (url != NULL ? url : ""));
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

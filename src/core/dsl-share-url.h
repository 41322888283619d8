/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-share-url.h: recognising a share URL of a DocSpace portal, without GTK (issue 5 "Find
 * Link…"). A link's `shareLink` is shortened, "https://portal/s/<code>"; opening it leads, for
 * a room, to "https://portal/rooms/share?key=<requestToken>" (docspace-api.md §4.4, §9). Either
 * may be pasted; the result is compared with the links of a scan (dsl_share_url_matches_link). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DSL_SHARE_URL_ERROR (dsl_share_url_error_quark ())

typedef enum {
  DSL_SHARE_URL_ERROR_MALFORMED,     /* not a web address, or not a share URL of any portal */
  DSL_SHARE_URL_ERROR_OTHER_PORTAL,  /* a share URL, but of another portal than `portal_base` */
} DslShareUrlError;

typedef enum {
  DSL_SHARE_URL_KIND_SHORT,   /* /s/<code>: token = the code (case-sensitive) */
  DSL_SHARE_URL_KIND_KEY,     /* /rooms/share?key=<token>: token = the link's requestToken */
} DslShareUrlKind;

GQuark    dsl_share_url_error_quark     (void);

/* Parses `url` (surrounding white space ignored; scheme http or https, or none — then the
 * portal's scheme is assumed; host case and a default port do not matter; trailing slashes,
 * a query on /s/ links such as ?password= and a fragment are ignored). `portal_base`
 * ("scheme://host[:port]", may be NULL: any portal) is the portal the URL must belong to.
 * On success sets *kind and *token (newly allocated; both optional) and returns TRUE; else a
 * DSL_SHARE_URL_ERROR with a sentence a person can act on. */
gboolean  dsl_share_url_parse           (const char       *url,
                                         const char       *portal_base,
                                         DslShareUrlKind  *kind,
                                         char            **token,
                                         GError          **error);

/* TRUE when `url` is a share URL of some portal (with an explicit http(s) scheme). */
gboolean  dsl_share_url_is_share_url    (const char       *url);

/* "scheme://host[:port]" of a share URL (lowercase host, no default port), or NULL when `url`
 * is not a share URL with an explicit scheme. */
char     *dsl_share_url_dup_portal      (const char       *url);

/* TRUE when the parsed URL (`kind`, `token`) names the link whose shareLink is `share_link`
 * and requestToken is `request_token` (either may be NULL). A short code is compared with the
 * code of `share_link`; a key with `request_token` (or a key in a long `share_link`). */
gboolean  dsl_share_url_matches_link    (DslShareUrlKind   kind,
                                         const char       *token,
                                         const char       *share_link,
                                         const char       *request_token);

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-share-url.h: recognising a share URL of a DocSpace portal, without GTK (issue 5 "Find
 * Link…", issue 12 rule 8). A link's `shareLink` is shortened, "https://portal/s/<code>" (or on
 * a URL shortener's host); opening it redirects to the long form, which is what people paste:
 * files "…/doceditor?fileid=<id>&share=<key>", "…/share/preview/<id>?share=<key>",
 * "…/filehandler.ashx?action=download&fileid=<id>&share=<key>"; rooms "…/rooms/share?key=<key>",
 * folders "…/rooms/share?key=<key>&folder=<id>" (the server's ExternalShare.cs and
 * FilesLinkUtility.cs). The key is the link's requestToken; GET files/share/{key} tells what it
 * opens (DslShareInfo). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DSL_SHARE_URL_ERROR (dsl_share_url_error_quark ())

typedef enum {
  DSL_SHARE_URL_ERROR_MALFORMED,     /* not a web address, or not a share URL of any portal */
  DSL_SHARE_URL_ERROR_OTHER_PORTAL,  /* a share URL, but of another portal than `portal_base` */
} DslShareUrlError;

typedef enum {
  DSL_SHARE_URL_KIND_SHORT,    /* /s/<code>: token = the code (case-sensitive) */
  DSL_SHARE_URL_KIND_KEY,      /* a long form: token = the key, the link's requestToken */
  DSL_SHARE_URL_KIND_REDIRECT, /* dsl_share_url_parse_full only: a link of another host shaped
                                * like a URL shortener's (https://bit.ly/3AbC); token = the URL.
                                * Only the redirect it answers tells whose link it is. */
} DslShareUrlKind;

/* What a long form names besides the key. */
typedef enum {
  DSL_SHARE_URL_TARGET_UNKNOWN,  /* short links and redirects */
  DSL_SHARE_URL_TARGET_FILE,     /* fileid=<id>, share/preview/<id> */
  DSL_SHARE_URL_TARGET_FOLDER,   /* rooms/share?…&folder=<id> */
  DSL_SHARE_URL_TARGET_ROOM,     /* rooms/share?key= alone: a room (id not in the URL) */
} DslShareUrlTarget;

/* GET files/share/{key}: the Status of products/ASC.Files/Core/Core/Security/ExternalShare.cs */
typedef enum {
  DSL_SHARE_STATUS_OK = 0,
  DSL_SHARE_STATUS_INVALID = 1,                /* unknown key, deleted link, Archive or Trash */
  DSL_SHARE_STATUS_EXPIRED = 2,
  DSL_SHARE_STATUS_REQUIRED_PASSWORD = 3,
  DSL_SHARE_STATUS_INVALID_PASSWORD = 4,
  DSL_SHARE_STATUS_EXTERNAL_ACCESS_DENIED = 5, /* internal link without sign-in, or public links
                                                * blocked by the portal's sharing policy */
} DslShareStatus;

/* ExternalShareDto (products/ASC.Files/Server/ApiModels/ResponseDto/ExternalShareDto.cs, filled
 * by ExternalLinkHelper.ValidateAsync). `id`/`title`/`type` are the item the link belongs to,
 * set only for Ok and RequiredPassword (and for Invalid when the item is in the Archive or
 * Trash); `link_id` only for Ok, and not for a password link (NULL for the empty GUID);
 * `entity_*` only for a sub-item asked with ?fileId=/?folderId=. `status` may be a value newer
 * than this enum. */
typedef struct {
  int       status;
  char     *id;
  char     *title;
  int       type;             /* FileEntryType: 1 folder, 2 file, 0 not given */
  gboolean  is_room;
  char     *link_id;
  char     *entity_id;
  char     *entity_title;
  int       entity_type;
  gboolean  is_authenticated;
} DslShareInfo;

void      dsl_share_info_free           (DslShareInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DslShareInfo, dsl_share_info_free)

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

/* dsl_share_url_parse, plus what a long form names (*target, *target_id: newly allocated, NULL
 * for DSL_SHARE_URL_TARGET_UNKNOWN and ROOM), and DSL_SHARE_URL_KIND_REDIRECT for a link on
 * another host that a URL shortener may have made (dsl_share_url_parse reports it as another
 * portal's). All outputs optional. */
gboolean  dsl_share_url_parse_full      (const char         *url,
                                         const char         *portal_base,
                                         DslShareUrlKind    *kind,
                                         char              **token,
                                         DslShareUrlTarget  *target,
                                         char              **target_id,
                                         GError            **error);

/* TRUE when `url` is a share URL of some portal (with an explicit http(s) scheme), short or
 * long. */
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

/* TRUE when `url` (a shareLink or an address in a message from the portal) may be opened in a
 * browser or shown as a clickable link: https (or http on a loopback host: 127.0.0.0/8, ::1,
 * localhost), no user info, and the origin (scheme, host, port) of `portal_base_url` or, when
 * given, the host `short_link_host` (a URL shortener the portal is configured with). White
 * space, control characters, a backslash, and a percent-encoded or non-ASCII host are refused:
 * browsers read such addresses differently from GUri. */
gboolean  dsl_share_url_may_open        (const char       *url,
                                         const char       *portal_base_url,
                                         const char       *short_link_host);

G_END_DECLS

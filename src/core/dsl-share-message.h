/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-share-message.h: a link as a message for mail and chat, without GTK (issue 15, the share
 * sheet): the subject and body "Send by E-mail…" opens the person's mail program with, through a
 * mailto: URI (RFC 6068) that Flatpak's OpenURI portal carries, and the text "Copy as Message"
 * copies (the same body). The password is never in them; a link with one says that it is sent
 * separately. */
#pragma once

#include <glib.h>

#include "dsl-item.h"
#include "dsl-link.h"

G_BEGIN_DECLS

typedef struct {
  char *subject;  /* one line: "Link to “Q3 report.docx — Partners”" */
  char *body;     /* dsl_link_format_message: title, address, audience and access, expiry
                   * (in `now`'s time zone, the person's language), the password line */
} DslShareMessage;

/* The message of `link` of `item`; free with dsl_share_message_free. */
DslShareMessage *dsl_share_message_new      (DslItem               *item,
                                             DslLink               *link,
                                             GDateTime             *now);
void             dsl_share_message_free     (DslShareMessage       *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DslShareMessage, dsl_share_message_free)

/* "mailto:?subject=…&body=…" for the message (no recipient: the person picks one). */
char            *dsl_share_message_to_mailto (const DslShareMessage *message);

/* A mailto: URI (RFC 6068) for `to` (an address, or NULL/"" for none), `subject` and `body`
 * (either may be NULL: left out). Every byte but the unreserved characters (A-Z a-z 0-9 - . _ ~)
 * is percent-encoded as UTF-8 ("@" too, except in `to`), so "&", "?", "#", "%", "+" and "="
 * in a title stay text. Line breaks in the body (LF, CR or CRLF) become %0D%0A as section 5
 * asks; in the subject, a header of one line, every run of line breaks and other control
 * characters becomes one space. */
char            *dsl_share_mailto_uri       (const char            *to,
                                             const char            *subject,
                                             const char            *body);

G_END_DECLS

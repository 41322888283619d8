/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-error.h: DSL_ERROR and the one place that maps an HTTP status + body to a result or an error */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DSL_ERROR (dsl_error_quark ())

typedef enum {
  DSL_ERROR_UNAUTHORIZED,       /* 401: missing, wrong, revoked or expired key/token (empty body) */
  DSL_ERROR_MISSING_SCOPE,      /* 403 with an empty body to an API key: it lacks the route's scope */
  DSL_ERROR_FORBIDDEN,          /* 403 JSON: "Access denied" or a business rule (message kept) */
  DSL_ERROR_NOT_FOUND,          /* 404 */
  DSL_ERROR_BAD_REQUEST,        /* 400: error envelope, or problem details in a success envelope */
  DSL_ERROR_PAYMENT_REQUIRED,   /* 402 JSON: the plan lacks the feature (BillingException) */
  DSL_ERROR_RATE_LIMITED,       /* 429: see dsl_error_get_retry_after() */
  DSL_ERROR_SERVER,             /* 5xx, with JSON, HTML or no body; or another unexpected status */
  DSL_ERROR_INVALID_RESPONSE,   /* a body that is not the expected JSON; message names the member */
  DSL_ERROR_LOGIN_FAILED,       /* login: wrong e-mail or password (401 "User authentication failed") */
  DSL_ERROR_TOO_MANY_ATTEMPTS,  /* login: 403 JSON whose error has no type (brute force, recaptcha) */
  DSL_ERROR_TFA_SETUP_REQUIRED, /* login: two-factor must be set up in a browser first (confirmUrl) */
  DSL_ERROR_NOT_APPLIED,        /* 200 without `response` where a created link was expected */
  DSL_ERROR_INVALID_ARGUMENT,   /* the client refused to send: bad URL, id, date out of range... */
  DSL_ERROR_SUBSCRIPTION_LAPSED,/* 402 with an empty body: the portal is not paid for, every
                                 * call but signing in is refused (PaymentFilter) */
  DSL_ERROR_NO_DOCUMENTS,       /* 403 with an empty body to a session: the user may not use
                                 * Documents (ProductSecurityFilter) */
  DSL_ERROR_ACCOUNT_DISABLED,   /* login: 403 InvalidOperationException, the user is disabled */
  DSL_ERROR_PORTAL_UNAVAILABLE, /* 403 with an empty body where no Documents or key scope
                                 * applies: the portal is being moved, restored or encrypted */
  DSL_ERROR_LINK_GONE,          /* the link is no longer on the server: removed by someone else */
  DSL_ERROR_LINK_CONFLICT,      /* a setting being changed was changed by someone else since it
                                 * was read; nothing was sent (dsl-link-ops.h) */
} DslError;

GQuark       dsl_error_quark              (void);

/* Extended error data (G_DEFINE_EXTENDED_ERROR): present on every DSL_ERROR made by this module. */
/* The HTTP status that produced the error (the envelope's statusCode for 400-in-200), or 0. */
guint        dsl_error_get_status         (const GError *error);
/* The server's error.type (the .NET exception type, e.g. "System.InvalidOperationException"),
 * or NULL when it sent none: null for authentication errors and the brute-force refusal. This,
 * unlike error.message, does not depend on the portal's language. */
const char  *dsl_error_get_server_type    (const GError *error);
/* Seconds from the Retry-After header of a 429, or 0 when absent. */
guint        dsl_error_get_retry_after    (const GError *error);
/* The server's error.message (or problem details title), or NULL when it sent none. */
const char  *dsl_error_get_server_message (const GError *error);
/* For 400 problem details: "field: message" lines, or NULL. */
const char * const *dsl_error_get_field_errors (const GError *error);

/* A parsed success envelope (docspace-api.md §2). */
typedef struct {
  JsonNode *root;      /* owned: the whole body */
  JsonNode *response;  /* borrowed from root; NULL when the envelope has no `response` key */
  gint64    count;     /* envelope count, or -1 when absent */
  gint64    total;     /* envelope total, or -1 when absent */
} DslEnvelope;

void         dsl_envelope_free            (DslEnvelope *envelope);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DslEnvelope, dsl_envelope_free)

/* THE mapping: HTTP status, its Retry-After header (may be NULL) and its body (may be NULL or
 * empty) to either a success envelope or a DSL_ERROR. Handles: 401 empty, 403 empty (scope),
 * 403 JSON, 400 error envelope, 400 problem details inside a 200 envelope (statusCode >= 400),
 * 402, 404, 429 + Retry-After, 5xx with JSON/HTML/empty body, truncated or non-JSON bodies,
 * JSON that is not an envelope. Error messages are human sentences; the server's text is kept
 * in the extended data. */
DslEnvelope *dsl_envelope_parse           (guint         http_status,
                                           const char   *retry_after,
                                           GBytes       *body,
                                           GError      **error);

/* Who sent a request: what a bare 403 means depends on it (docspace-api.md §1.5). */
typedef enum {
  DSL_CREDENTIALS_NONE,      /* anonymous, e.g. the login call */
  DSL_CREDENTIALS_API_KEY,   /* Authorization: Bearer sk-… */
  DSL_CREDENTIALS_SESSION,   /* a session token from signing in with a password */
} DslCredentials;

/* dsl_envelope_parse() reads a 403 with an empty body as an API key's missing scope. Given
 * who asked and the path under /api/2.0/ ("files/rooms"), this says what the server meant:
 * with a session, a files route refused by ProductSecurityFilter → DSL_ERROR_NO_DOCUMENTS;
 * without credentials, or a session elsewhere → DSL_ERROR_PORTAL_UNAVAILABLE (only
 * TenantStatusFilter answers so). Takes `error` and returns it or its replacement. */
GError      *dsl_error_for_credentials    (GError         *error,
                                           DslCredentials  credentials,
                                           const char     *api_path);

/* A DSL_ERROR with the given code and status, for use by the client (e.g. NOT_APPLIED). */
GError      *dsl_error_new                (DslError      code,
                                           guint         http_status,
                                           const char   *server_message,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS

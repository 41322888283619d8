/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-share-url.c: dsl_share_url_* — which pasted text is a share URL of which portal, and
 * which link it names. Table-driven: each case is one URL against one portal. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "dsl-error.h"
#include "dsl-json.h"
#include "dsl-share-url.h"

#define PORTAL "https://docspace.example.com"

typedef struct {
  const char      *url;
  const char      *portal;
  DslShareUrlKind  kind;
  const char      *token;
} Good;

static const Good good[] = {
  { "https://docspace.example.com/s/AbC123", PORTAL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "https://docspace.example.com/s/AbC123/", PORTAL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "https://docspace.example.com/s/AbC123///", PORTAL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "  https://docspace.example.com/s/AbC123\n", PORTAL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "\thttps://docspace.example.com/s/AbC123 \t", PORTAL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "HTTPS://DocSpace.Example.COM/s/AbC123", PORTAL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "https://docspace.example.com./s/AbC123", PORTAL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "https://docspace.example.com:443/s/AbC123", PORTAL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "https://docspace.example.com/s/AbC123", "https://docspace.example.com:443/",
    DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "https://docspace.example.com/s/AbC123", "https://DOCSPACE.example.com/",
    DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "https://docspace.example.com/s/AbC123?password=secret", PORTAL,
    DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "https://docspace.example.com/s/AbC123?download=1#top", PORTAL,
    DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "https://docspace.example.com/S/AbC123", PORTAL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "https://docspace.example.com/s/a-b_C", PORTAL, DSL_SHARE_URL_KIND_SHORT, "a-b_C" },
  /* without a scheme: the portal's */
  { "docspace.example.com/s/AbC123", PORTAL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
  { "127.0.0.1:8080/s/xY9", "http://127.0.0.1:8080", DSL_SHARE_URL_KIND_SHORT, "xY9" },
  /* the simulator's shape */
  { "http://127.0.0.1:39211/s/Qw3rTy12", "http://127.0.0.1:39211", DSL_SHARE_URL_KIND_SHORT,
    "Qw3rTy12" },
  { "http://localhost:80/s/Qw3rTy12", "http://LOCALHOST", DSL_SHARE_URL_KIND_SHORT, "Qw3rTy12" },
  { "http://[::1]:8080/s/Qw3rTy12", "http://[::1]:8080", DSL_SHARE_URL_KIND_SHORT, "Qw3rTy12" },
  /* room share URLs */
  { "https://docspace.example.com/rooms/share?key=K3y_0f-the.Room", PORTAL,
    DSL_SHARE_URL_KIND_KEY, "K3y_0f-the.Room" },
  { "https://docspace.example.com/rooms/share/?key=abc", PORTAL, DSL_SHARE_URL_KIND_KEY, "abc" },
  { "https://docspace.example.com/rooms/share?folderId=5&key=abc", PORTAL,
    DSL_SHARE_URL_KIND_KEY, "abc" },
  { "https://docspace.example.com/rooms/share?KEY=abc", PORTAL, DSL_SHARE_URL_KIND_KEY, "abc" },
  { "https://docspace.example.com/rooms/share?key=a%2Bb%3D", PORTAL, DSL_SHARE_URL_KIND_KEY,
    "a+b=" },
  { "https://docspace.example.com/rooms/share?key=a+b", PORTAL, DSL_SHARE_URL_KIND_KEY, "a+b" },
  /* any portal */
  { "https://other.example.org/s/AbC123", NULL, DSL_SHARE_URL_KIND_SHORT, "AbC123" },
};

typedef struct {
  const char       *url;
  const char       *portal;
  DslShareUrlError  code;
} Bad;

static const Bad bad[] = {
  { "", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "   ", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { NULL, PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "hello world", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "ftp://docspace.example.com/s/AbC123", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "mailto:someone@docspace.example.com", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/s/", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/s", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/s/AbC/123", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/s/Ab%20C", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/x/s/AbC123", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/rooms/share", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/rooms/share?key=", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/rooms/share?id=5", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/rooms/shared/5", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  { "https://docspace.example.com/s/AbC 123", PORTAL, DSL_SHARE_URL_ERROR_MALFORMED },
  /* a share link, but of another portal */
  { "https://other.example.org/s/AbC123", PORTAL, DSL_SHARE_URL_ERROR_OTHER_PORTAL },
  { "https://docspace.example.com.evil.org/s/AbC123", PORTAL,
    DSL_SHARE_URL_ERROR_OTHER_PORTAL },
  { "https://docspace.example.com:8443/s/AbC123", PORTAL, DSL_SHARE_URL_ERROR_OTHER_PORTAL },
  { "http://docspace.example.com/s/AbC123", PORTAL, DSL_SHARE_URL_ERROR_OTHER_PORTAL },
  { "http://127.0.0.1:8081/s/AbC123", "http://127.0.0.1:8080",
    DSL_SHARE_URL_ERROR_OTHER_PORTAL },
  { "http://127.0.0.1/s/AbC123", "http://127.0.0.1:8080", DSL_SHARE_URL_ERROR_OTHER_PORTAL },
  { "https://other.example.org/rooms/share?key=abc", PORTAL,
    DSL_SHARE_URL_ERROR_OTHER_PORTAL },
  { "other.example.org/s/AbC123", PORTAL, DSL_SHARE_URL_ERROR_OTHER_PORTAL },
};

static void
test_parse_good (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;
      DslShareUrlKind kind = 99;

      g_test_message ("good %u: %s (portal %s)", i, good[i].url, good[i].portal);
      g_assert_true (dsl_share_url_parse (good[i].url, good[i].portal, &kind, &token, &error));
      g_assert_no_error (error);
      g_assert_cmpint (kind, ==, good[i].kind);
      g_assert_cmpstr (token, ==, good[i].token);
    }
}

static void
test_parse_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;
      DslShareUrlKind kind = 99;

      g_test_message ("bad %u: %s (portal %s)", i, bad[i].url, bad[i].portal);
      g_assert_false (dsl_share_url_parse (bad[i].url, bad[i].portal, &kind, &token, &error));
      g_assert_error (error, DSL_SHARE_URL_ERROR, (int) bad[i].code);
      g_assert_nonnull (error->message);
      g_assert_cmpuint (strlen (error->message), >, 10);
      /* nothing is set on failure */
      g_assert_null (token);
      g_assert_cmpint (kind, ==, 99);
    }
}

/* The message names both portals, so a person knows where to sign in. */
static void
test_other_portal_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) scheme_error = NULL;

  g_assert_false (dsl_share_url_parse ("https://Other.Example.org:8443/s/x", PORTAL, NULL, NULL,
                                       &error));
  g_assert_error (error, DSL_SHARE_URL_ERROR, DSL_SHARE_URL_ERROR_OTHER_PORTAL);
  g_assert_nonnull (strstr (error->message, "other.example.org:8443"));
  g_assert_nonnull (strstr (error->message, "docspace.example.com"));

  g_assert_false (dsl_share_url_parse ("http://docspace.example.com/s/x", PORTAL, NULL, NULL,
                                       &scheme_error));
  g_assert_nonnull (strstr (scheme_error->message, "http://docspace.example.com"));
  g_assert_nonnull (strstr (scheme_error->message, "https://docspace.example.com"));
}

/* The malformed message quotes what was pasted (stripped), so nothing typed is lost. */
static void
test_malformed_message (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dsl_share_url_parse ("  https://docspace.example.com/files  ", PORTAL, NULL,
                                       NULL, &error));
  g_assert_error (error, DSL_SHARE_URL_ERROR, DSL_SHARE_URL_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "“https://docspace.example.com/files”"));
}

static void
test_is_share_url (void)
{
  g_assert_true (dsl_share_url_is_share_url ("https://docspace.example.com/s/AbC123"));
  g_assert_true (dsl_share_url_is_share_url (" http://127.0.0.1:8080/s/AbC123/ "));
  g_assert_true (dsl_share_url_is_share_url ("https://x.org/rooms/share?key=abc"));
  g_assert_false (dsl_share_url_is_share_url (NULL));
  g_assert_false (dsl_share_url_is_share_url (""));
  /* portal addresses (the command line's other use) are not share URLs */
  g_assert_false (dsl_share_url_is_share_url ("https://docspace.example.com"));
  g_assert_false (dsl_share_url_is_share_url ("https://docspace.example.com/"));
  g_assert_false (dsl_share_url_is_share_url ("docspace.example.com"));
  /* no explicit scheme: a file name or a portal, not a share URL */
  g_assert_false (dsl_share_url_is_share_url ("docspace.example.com/s/AbC123"));
  g_assert_false (dsl_share_url_is_share_url ("ftp://docspace.example.com/s/AbC123"));
  g_assert_false (dsl_share_url_is_share_url ("https://docspace.example.com/rooms/share"));
}

static void
test_dup_portal (void)
{
  struct { const char *url; const char *portal; } cases[] = {
    { "https://docspace.example.com/s/AbC123", "https://docspace.example.com" },
    { " HTTPS://DocSpace.Example.com:443/s/AbC123/ ", "https://docspace.example.com" },
    { "http://127.0.0.1:39211/s/AbC123", "http://127.0.0.1:39211" },
    { "http://localhost:80/rooms/share?key=a", "http://localhost" },
    { "http://[::1]:8080/s/x", "http://[::1]:8080" },
    { "https://docspace.example.com", NULL },
    { "nonsense", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *portal = dsl_share_url_dup_portal (cases[i].url);

      g_test_message ("dup-portal %u: %s", i, cases[i].url);
      g_assert_cmpstr (portal, ==, cases[i].portal);
    }
}

static void
test_matches_short (void)
{
  const char *share_link = "https://docspace.example.com/s/AbC123";

  g_assert_true (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_SHORT, "AbC123", share_link,
                                             "tok"));
  /* codes are case-sensitive */
  g_assert_false (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_SHORT, "abc123", share_link,
                                              "tok"));
  g_assert_false (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_SHORT, "AbC12", share_link,
                                              "tok"));
  g_assert_false (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_SHORT, "AbC1234", share_link,
                                              "tok"));
  /* the short code is not the request token */
  g_assert_false (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_SHORT, "tok", share_link,
                                              "tok"));
  g_assert_false (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_SHORT, "AbC123", NULL, NULL));
  g_assert_false (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_SHORT, "", share_link, NULL));
  g_assert_false (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_SHORT, NULL, share_link, NULL));
}

static void
test_matches_key (void)
{
  const char *share_link = "https://docspace.example.com/s/AbC123";

  g_assert_true (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_KEY, "K3y", share_link, "K3y"));
  g_assert_false (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_KEY, "k3y", share_link, "K3y"));
  g_assert_false (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_KEY, "K3y", share_link, NULL));
  /* a key is not a short code */
  g_assert_false (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_KEY, "AbC123", share_link,
                                              "K3y"));
  /* a long share link with the key in it */
  g_assert_true (dsl_share_url_matches_link (DSL_SHARE_URL_KIND_KEY, "K3y",
                                             "https://docspace.example.com/rooms/share?key=K3y",
                                             NULL));
}

/* Parse, then match: what the Find Link dialog does with each row of a scan. */
static void
test_parse_then_match (void)
{
  struct { const char *share_link; const char *token; } links[] = {
    { "http://127.0.0.1:8080/s/aaaa1111", "TokenA" },
    { "http://127.0.0.1:8080/s/bbbb2222", "TokenB" },
    { "http://127.0.0.1:8080/s/cccc3333", "TokenC" },
  };
  const char *pasted[] = {
    " HTTP://127.0.0.1:8080/s/bbbb2222/ ",
    "http://127.0.0.1:8080/rooms/share?key=TokenB",
  };

  for (guint p = 0; p < G_N_ELEMENTS (pasted); p++)
    {
      g_autofree char *token = NULL;
      DslShareUrlKind kind;
      guint n_matches = 0;
      guint found = G_MAXUINT;

      g_assert_true (dsl_share_url_parse (pasted[p], "http://127.0.0.1:8080", &kind, &token,
                                          NULL));
      for (guint i = 0; i < G_N_ELEMENTS (links); i++)
        if (dsl_share_url_matches_link (kind, token, links[i].share_link, links[i].token))
          {
            n_matches++;
            found = i;
          }
      g_assert_cmpuint (n_matches, ==, 1);
      g_assert_cmpuint (found, ==, 1);
    }
}

/* --- long forms (issue 12 rule 8) ---
 * The shapes of the server's ExternalShare.GetLinkDataAsync and FilesLinkUtility
 * (products/ASC.Files/Core/Core/Security/ExternalShare.cs, .../Helpers/FilesLinkUtility.cs). */

typedef struct {
  const char        *url;
  DslShareUrlKind    kind;
  const char        *token;
  DslShareUrlTarget  target;
  const char        *target_id;
} Long;

static const Long longs[] = {
  /* documents: the editor */
  { "https://docspace.example.com/doceditor?fileid=1573&share=AbC-_9", DSL_SHARE_URL_KIND_KEY,
    "AbC-_9", DSL_SHARE_URL_TARGET_FILE, "1573" },
  { "https://docspace.example.com/doceditor?fileid=1573&action=view&share=AbC", DSL_SHARE_URL_KIND_KEY,
    "AbC", DSL_SHARE_URL_TARGET_FILE, "1573" },
  { "https://docspace.example.com/doceditor?share=AbC&fileid=1573&version=2#page=3",
    DSL_SHARE_URL_KIND_KEY, "AbC", DSL_SHARE_URL_TARGET_FILE, "1573" },
  { "https://docspace.example.com/DocEditor?FileId=1573&Share=AbC", DSL_SHARE_URL_KIND_KEY,
    "AbC", DSL_SHARE_URL_TARGET_FILE, "1573" },
  /* third-party ids, URL-encoded */
  { "https://docspace.example.com/doceditor?fileid=sbox-12-file%2D1&share=AbC",
    DSL_SHARE_URL_KIND_KEY, "AbC", DSL_SHARE_URL_TARGET_FILE, "sbox-12-file-1" },
  /* other files: the download handler */
  { "https://docspace.example.com/filehandler.ashx?action=download&fileid=88&share=K3y",
    DSL_SHARE_URL_KIND_KEY, "K3y", DSL_SHARE_URL_TARGET_FILE, "88" },
  /* images and media: the preview */
  { "https://docspace.example.com/share/preview/311?share=K3y", DSL_SHARE_URL_KIND_KEY, "K3y",
    DSL_SHARE_URL_TARGET_FILE, "311" },
  { "https://docspace.example.com/share/preview/311/?share=K3y", DSL_SHARE_URL_KIND_KEY, "K3y",
    DSL_SHARE_URL_TARGET_FILE, "311" },
  /* rooms and folders */
  { "https://docspace.example.com/rooms/share?key=K3y", DSL_SHARE_URL_KIND_KEY, "K3y",
    DSL_SHARE_URL_TARGET_ROOM, NULL },
  { "https://docspace.example.com/rooms/share?key=K3y&folder=501", DSL_SHARE_URL_KIND_KEY, "K3y",
    DSL_SHARE_URL_TARGET_FOLDER, "501" },
  /* the simulator's */
  { "http://127.0.0.1:8080/doceditor?fileid=401&share=Hrf", DSL_SHARE_URL_KIND_KEY, "Hrf",
    DSL_SHARE_URL_TARGET_FILE, "401" },
  /* a short link names no item */
  { "https://docspace.example.com/s/AbC123", DSL_SHARE_URL_KIND_SHORT, "AbC123",
    DSL_SHARE_URL_TARGET_UNKNOWN, NULL },
  /* a URL shortener's link on another host: followed, not refused */
  { "https://bit.ly/3AbCdE", DSL_SHARE_URL_KIND_REDIRECT, "https://bit.ly/3AbCdE",
    DSL_SHARE_URL_TARGET_UNKNOWN, NULL },
  { " https://go.example.net/x_Y-z/ ", DSL_SHARE_URL_KIND_REDIRECT, "https://go.example.net/x_Y-z/",
    DSL_SHARE_URL_TARGET_UNKNOWN, NULL },
};

static void
test_long_forms (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (longs); i++)
    {
      const char *portal = g_str_has_prefix (longs[i].url, "http://127") ?
                           "http://127.0.0.1:8080" : PORTAL;
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;
      g_autofree char *id = NULL;
      DslShareUrlKind kind = 99;
      DslShareUrlTarget target = 99;

      g_test_message ("long %u: %s", i, longs[i].url);
      g_assert_true (dsl_share_url_parse_full (longs[i].url, portal, &kind, &token, &target,
                                               &id, &error));
      g_assert_no_error (error);
      g_assert_cmpint (kind, ==, longs[i].kind);
      g_assert_cmpstr (token, ==, longs[i].token);
      g_assert_cmpint (target, ==, longs[i].target);
      g_assert_cmpstr (id, ==, longs[i].target_id);
    }
}

static void
test_long_forms_bad (void)
{
  struct { const char *url; DslShareUrlError code; } cases[] = {
    /* no key */
    { "https://docspace.example.com/doceditor?fileid=1573", DSL_SHARE_URL_ERROR_MALFORMED },
    { "https://docspace.example.com/doceditor?fileid=1573&share=", DSL_SHARE_URL_ERROR_MALFORMED },
    { "https://docspace.example.com/filehandler.ashx?action=download&fileid=88",
      DSL_SHARE_URL_ERROR_MALFORMED },
    { "https://docspace.example.com/share/preview/?share=K3y", DSL_SHARE_URL_ERROR_MALFORMED },
    { "https://docspace.example.com/share/preview/311", DSL_SHARE_URL_ERROR_MALFORMED },
    /* the key of another path is not a share link */
    { "https://docspace.example.com/rooms/share?share=K3y", DSL_SHARE_URL_ERROR_MALFORMED },
    { "https://docspace.example.com/files?share=K3y", DSL_SHARE_URL_ERROR_MALFORMED },
    /* a portal page on the portal itself is not a shortener's link */
    { "https://docspace.example.com/rooms", DSL_SHARE_URL_ERROR_MALFORMED },
    /* the long forms of another portal */
    { "https://other.example.org/doceditor?fileid=1&share=K3y", DSL_SHARE_URL_ERROR_OTHER_PORTAL },
    { "https://other.example.org/share/preview/1?share=K3y", DSL_SHARE_URL_ERROR_OTHER_PORTAL },
    { "https://other.example.org/filehandler.ashx?action=download&fileid=1&share=K3y",
      DSL_SHARE_URL_ERROR_OTHER_PORTAL },
    { "https://other.example.org/rooms/share?key=K3y&folder=5", DSL_SHARE_URL_ERROR_OTHER_PORTAL },
    /* another host, but no shortener's shape */
    { "https://other.example.org/a/b", DSL_SHARE_URL_ERROR_MALFORMED },
    { "https://other.example.org/abc?x=1", DSL_SHARE_URL_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;

      g_test_message ("bad long %u: %s", i, cases[i].url);
      g_assert_false (dsl_share_url_parse_full (cases[i].url, PORTAL, NULL, &token, NULL, NULL,
                                                &error));
      g_assert_error (error, DSL_SHARE_URL_ERROR, (int) cases[i].code);
      g_assert_null (token);
    }
}

/* dsl_share_url_parse (the clipboard, the command line) takes long forms too, and calls a
 * shortener's link another host's. */
static void
test_parse_long_and_redirect (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  DslShareUrlKind kind;

  g_assert_true (dsl_share_url_parse ("https://docspace.example.com/doceditor?fileid=1&share=K",
                                      PORTAL, &kind, &token, NULL));
  g_assert_cmpint (kind, ==, DSL_SHARE_URL_KIND_KEY);
  g_assert_cmpstr (token, ==, "K");
  g_assert_false (dsl_share_url_parse ("https://bit.ly/3AbCdE", PORTAL, NULL, NULL, &error));
  g_assert_error (error, DSL_SHARE_URL_ERROR, DSL_SHARE_URL_ERROR_OTHER_PORTAL);
  g_assert_true (dsl_share_url_is_share_url ("https://x.org/doceditor?fileid=1&share=K"));
  g_assert_true (dsl_share_url_is_share_url ("https://x.org/share/preview/1?share=K"));
  g_assert_false (dsl_share_url_is_share_url ("https://bit.ly/3AbCdE"));
  g_assert_false (dsl_share_url_is_share_url ("https://docspace.example.com/rooms"));
}

/* A key matches the link whose requestToken it is. */
static void
test_long_matches_token (void)
{
  g_autofree char *token = NULL;
  DslShareUrlKind kind;

  g_assert_true (dsl_share_url_parse ("https://docspace.example.com/share/preview/7?share=T0k",
                                      PORTAL, &kind, &token, NULL));
  g_assert_true (dsl_share_url_matches_link (kind, token, "https://docspace.example.com/s/AbC",
                                             "T0k"));
  g_assert_false (dsl_share_url_matches_link (kind, token, "https://docspace.example.com/s/AbC",
                                              "T0K"));
}

/* --- ExternalShareDto (products/ASC.Files/Server/ApiModels/ResponseDto/ExternalShareDto.cs) --- */

static DslShareInfo *
parse_info (const char  *json,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return dsl_json_parse_share_info (json_parser_get_root (parser), error);
}

static void
test_share_info (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DslShareInfo) ok = NULL;
  g_autoptr(DslShareInfo) password = NULL;
  g_autoptr(DslShareInfo) expired = NULL;
  g_autoptr(DslShareInfo) future = NULL;

  ok = parse_info ("{\"status\":0,\"id\":\"401\",\"title\":\"Q3 report.docx\",\"type\":2,"
                   "\"tenantId\":1,\"shared\":true,"
                   "\"linkId\":\"d7c6126b-4194-483b-85f8-b42677fc7b27\","
                   "\"isAuthenticated\":true,\"isRoomMember\":false,\"unknown\":[1]}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ok->status, ==, DSL_SHARE_STATUS_OK);
  g_assert_cmpstr (ok->id, ==, "401");
  g_assert_cmpstr (ok->title, ==, "Q3 report.docx");
  g_assert_cmpint (ok->type, ==, 2);
  g_assert_false (ok->is_room);
  g_assert_cmpstr (ok->link_id, ==, "d7c6126b-4194-483b-85f8-b42677fc7b27");
  g_assert_true (ok->is_authenticated);

  /* numbers as ids; the empty GUID reads as no link id */
  password = parse_info ("{\"status\":3,\"id\":101,\"title\":\"Marketing\",\"type\":1,"
                         "\"isRoom\":true,\"tenantId\":0,\"shared\":false,"
                         "\"linkId\":\"00000000-0000-0000-0000-000000000000\","
                         "\"isAuthenticated\":false,\"isRoomMember\":false}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (password->status, ==, DSL_SHARE_STATUS_REQUIRED_PASSWORD);
  g_assert_cmpstr (password->id, ==, "101");
  g_assert_true (password->is_room);
  g_assert_null (password->link_id);

  expired = parse_info ("{\"status\":2,\"tenantId\":0,\"shared\":false,"
                        "\"linkId\":\"00000000-0000-0000-0000-000000000000\","
                        "\"isAuthenticated\":true,\"isRoomMember\":false}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (expired->status, ==, DSL_SHARE_STATUS_EXPIRED);
  g_assert_null (expired->id);
  g_assert_null (expired->title);

  /* a status newer than this client is kept as a number */
  future = parse_info ("{\"status\":9}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (future->status, ==, 9);
}

static void
test_share_info_bad (void)
{
  const char *cases[] = {
    "[]",
    "{}",                                              /* status missing */
    "{\"status\":\"Ok\"}",                             /* status not a number */
    "{\"status\":-1}",
    "{\"status\":0,\"id\":true}",
    "{\"status\":0,\"title\":[]}",
    "{\"status\":0,\"linkId\":\"not-a-guid\"}",
    "{\"status\":0,\"linkId\":5}",
    "{\"status\":0,\"isRoom\":\"yes\"}",
  };
  g_autofree char *long_id = NULL;
  g_autofree char *long_id_json = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DslShareInfo) info = NULL;

      g_test_message ("bad share info %u: %s", i, cases[i]);
      info = parse_info (cases[i], &error);
      g_assert_null (info);
      g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
    }

  /* ids are bounded */
  long_id = g_strnfill (300, '7');
  long_id_json = g_strdup_printf ("{\"status\":0,\"id\":\"%s\"}", long_id);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DslShareInfo) info = parse_info (long_id_json, &error);

    g_assert_null (info);
    g_assert_error (error, DSL_ERROR, DSL_ERROR_INVALID_RESPONSE);
  }
}

/* Titles are cut to 1024 characters (not bytes: UTF-8 stays whole). */
static void
test_share_info_long_title (void)
{
  g_autoptr(GString) title = g_string_new (NULL);
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DslShareInfo) info = NULL;

  for (guint i = 0; i < 2000; i++)
    g_string_append (title, "\u00e9");
  json = g_strdup_printf ("{\"status\":0,\"title\":\"%s\"}", title->str);
  info = parse_info (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_utf8_strlen (info->title, -1), ==, 1024);
  g_assert_true (g_utf8_validate (info->title, -1, NULL));
}

/* Only the portal's own https origin (or http on loopback, or the short-link host) is opened. */
static void
test_may_open (void)
{
  const char *portal = "https://portal.example.com";
  static const char * const allowed[] = {
    "https://portal.example.com/s/AbC123",
    "https://portal.example.com:443/rooms/share?key=k#x",
    "HTTPS://Portal.Example.COM./s/AbC123",
  };
  static const char * const refused[] = {
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "smb://portal.example.com/share",
    "javascript:alert(1)",
    "JavaScript://portal.example.com/%0aalert(1)",
    "data:text/html,<b>x</b>",
    "http://portal.example.com/s/AbC123",
    "https://evil.example/s/AbC123",
    "https://portal.example.com.evil.example/s/AbC123",
    "https://portal.example.com:8443/s/AbC123",
    "https://portal.example.com@evil.example/s/AbC123",
    "https://user:pw@portal.example.com/s/AbC123",
    "https://evil.example\\@portal.example.com/s/AbC123",
    "https://evil.example\\portal.example.com/s/AbC123",
    "https://portal%2eexample.com/s/AbC123",
    "https://p\xc3\xb6rtal.example.com/s/AbC123",
    "https://xn--prtal-jua.example.com/s/AbC123",
    " https://portal.example.com/s/AbC123",
    "https://portal.example.com/s/Ab C123",
    "https://portal.example.com/s/AbC123\n",
    "//portal.example.com/s/AbC123",
    "portal.example.com/s/AbC123",
    "https:///s/AbC123",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_test_message ("allowed: %s", allowed[i]);
      g_assert_true (dsl_share_url_may_open (allowed[i], portal, NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_test_message ("refused: %s", refused[i]);
      g_assert_false (dsl_share_url_may_open (refused[i], portal, NULL));
    }
  g_assert_false (dsl_share_url_may_open (NULL, portal, NULL));
  g_assert_false (dsl_share_url_may_open (allowed[0], NULL, NULL));

  /* http only on loopback, and only on the portal's own origin */
  g_assert_true (dsl_share_url_may_open ("http://127.0.0.1:8080/s/x", "http://127.0.0.1:8080",
                                         NULL));
  g_assert_true (dsl_share_url_may_open ("http://127.1.2.3:8080/s/x", "http://127.1.2.3:8080/",
                                         NULL));
  g_assert_true (dsl_share_url_may_open ("http://[::1]:8080/s/x", "http://[::1]:8080", NULL));
  g_assert_true (dsl_share_url_may_open ("http://localhost:8080/s/x", "http://localhost:8080",
                                         NULL));
  g_assert_false (dsl_share_url_may_open ("http://127.0.0.1:9090/s/x", "http://127.0.0.1:8080",
                                          NULL));
  g_assert_false (dsl_share_url_may_open ("http://10.0.0.1/s/x", "http://10.0.0.1", NULL));
  g_assert_false (dsl_share_url_may_open ("http://portal.example.com/s/x",
                                          "http://portal.example.com", NULL));
  g_assert_false (dsl_share_url_may_open ("https://127.0.0.1:8080/s/x", "http://127.0.0.1:8080",
                                          NULL));

  /* the configured short-link host, https on its default port */
  g_assert_true (dsl_share_url_may_open ("https://sho.rt/AbC", portal, "sho.rt"));
  g_assert_true (dsl_share_url_may_open ("https://SHO.RT/AbC", portal, "sho.rt"));
  g_assert_false (dsl_share_url_may_open ("https://sho.rt/AbC", portal, NULL));
  g_assert_false (dsl_share_url_may_open ("http://sho.rt/AbC", portal, "sho.rt"));
  g_assert_false (dsl_share_url_may_open ("https://sho.rt:8443/AbC", portal, "sho.rt"));
  g_assert_false (dsl_share_url_may_open ("https://portal@sho.rt/AbC", portal, "evil.rt"));
  g_assert_false (dsl_share_url_may_open ("file://sho.rt/AbC", portal, "sho.rt"));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dsl/share-url/parse-good", test_parse_good);
  g_test_add_func ("/dsl/share-url/parse-bad", test_parse_bad);
  g_test_add_func ("/dsl/share-url/other-portal-message", test_other_portal_message);
  g_test_add_func ("/dsl/share-url/malformed-message", test_malformed_message);
  g_test_add_func ("/dsl/share-url/is-share-url", test_is_share_url);
  g_test_add_func ("/dsl/share-url/dup-portal", test_dup_portal);
  g_test_add_func ("/dsl/share-url/matches-short", test_matches_short);
  g_test_add_func ("/dsl/share-url/matches-key", test_matches_key);
  g_test_add_func ("/dsl/share-url/parse-then-match", test_parse_then_match);
  g_test_add_func ("/dsl/share-url/long-forms", test_long_forms);
  g_test_add_func ("/dsl/share-url/long-forms-bad", test_long_forms_bad);
  g_test_add_func ("/dsl/share-url/parse-long-and-redirect", test_parse_long_and_redirect);
  g_test_add_func ("/dsl/share-url/long-matches-token", test_long_matches_token);
  g_test_add_func ("/dsl/share-url/share-info", test_share_info);
  g_test_add_func ("/dsl/share-url/share-info-bad", test_share_info_bad);
  g_test_add_func ("/dsl/share-url/share-info-long-title", test_share_info_long_title);

  g_test_add_func ("/dsl/share-url/may-open", test_may_open);

  return g_test_run ();
}

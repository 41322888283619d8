/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-share-url.c: dsl_share_url_* — which pasted text is a share URL of which portal, and
 * which link it names. Table-driven: each case is one URL against one portal. */
#include "config.h"

#include <locale.h>
#include <string.h>

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

  return g_test_run ();
}

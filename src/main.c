/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: set up gettext and run the application; everything else lives in src/ui/ */

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "dsl-application.h"

/* Where the translations are: LOCALEDIR, the install prefix's. Debug builds (meson's debug
 * option, on for the default debug buildtype, off for release and plain) also honour
 * DSL_LOCALEDIR, so the uninstalled app can speak another language: the end-to-end test
 * test_german points it at the build tree's po/ (po/LL/LC_MESSAGES/docspace-links.mo).
 * Release builds read LOCALEDIR only. */
static const char *
locale_dir (void)
{
#ifdef DSL_LOCALEDIR_OVERRIDE
  const char *dir = g_getenv ("DSL_LOCALEDIR");

  if (dir != NULL && *dir != '\0')
    return dir;
#endif
  return LOCALEDIR;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DslApplication) app = NULL;

#ifdef __linux__
  /* No core file and no ptrace by other processes of the user: the memory holds API keys,
   * session tokens and link passwords (issue 14). */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_debug ("Could not make the process non-dumpable");
#endif

  /* Before option parsing, so --help is translated too. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = dsl_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

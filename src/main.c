/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: set up gettext and run the application; everything else lives in src/ui/ */

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "dsl-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DslApplication) app = NULL;

  /* Before option parsing, so --help is translated too. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = dsl_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

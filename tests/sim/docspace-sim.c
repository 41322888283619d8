/* SPDX-License-Identifier: GPL-3.0-or-later */
/* docspace-sim: a local ONLYOFFICE DocSpace portal for tests and demos.
 *
 *   docspace-sim [--port N] [--scale N] [--latency MS] [--faults PROFILE] [--state FILE]
 *
 * Listens on 127.0.0.1 only; the first line on stdout is the portal URL. Runs until SIGTERM or
 * SIGINT. See README.md next to this file for the seed accounts and the fault profiles. */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim-server.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  int port = 0;
  int scale = 0;
  int latency = 0;
  g_autofree char *faults = NULL;
  g_autofree char *state_file = NULL;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (0 = pick a free one)", "N" },
    { "scale", 0, 0, G_OPTION_ARG_INT, &scale,
      "Add N generated rooms and the \"Big Data\" room with 10,000 files", "N" },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency, "Delay every API response by MS", "MS" },
    { "faults", 0, 0, G_OPTION_ARG_STRING, &faults, "Fault profile (see README.md)", "PROFILE" },
    { "state", 0, 0, G_OPTION_ARG_FILENAME, &state_file,
      "Load state from FILE if it exists and save it after every change", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- local DocSpace portal");
  g_autoptr(GError) error = NULL;
  g_autoptr(SimServer) sim = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint sigterm, sigint;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("docspace-sim: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || scale < 0 || scale > 100000 || latency < 0 ||
      latency > 600000)
    {
      g_printerr ("docspace-sim: --port, --scale or --latency out of range\n");
      return 2;
    }

  sim = sim_server_new ((guint) port, (guint) scale, (guint) latency, faults, state_file, &error);
  if (sim == NULL)
    {
      g_printerr ("docspace-sim: %s\n", error->message);
      return 1;
    }

  /* handlers first: a script may signal us as soon as it has read the URL */
  loop = g_main_loop_new (NULL, FALSE);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, loop);
  sigint = g_unix_signal_add (SIGINT, on_signal, loop);

  /* Scripts read this line. */
  printf ("%s\n", sim_server_get_url (sim));
  fflush (stdout);
  g_main_loop_run (loop);
  g_source_remove (sigterm);
  g_source_remove (sigint);
  return 0;
}

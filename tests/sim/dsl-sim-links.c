/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-links.c: link endpoints (temporary: answered as unknown routes until implemented). */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim-server.h"

void sim_api_file_link (SimRequest *req) { sim_reply_empty (req, 404); }
void sim_api_file_links_get (SimRequest *req) { sim_reply_empty (req, 404); }
void sim_api_file_links_put (SimRequest *req) { sim_reply_empty (req, 404); }
void sim_api_folder_link (SimRequest *req) { sim_reply_empty (req, 404); }
void sim_api_folder_links_get (SimRequest *req) { sim_reply_empty (req, 404); }
void sim_api_folder_links_put (SimRequest *req) { sim_reply_empty (req, 404); }
void sim_api_room_link (SimRequest *req) { sim_reply_empty (req, 404); }
void sim_api_room_links_get (SimRequest *req) { sim_reply_empty (req, 404); }
void sim_api_room_links_put (SimRequest *req) { sim_reply_empty (req, 404); }

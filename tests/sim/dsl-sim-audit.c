/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-audit.c: audit trail (temporary: answered as unknown routes until implemented). */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim-server.h"

void sim_api_audit_filter (SimRequest *req) { sim_reply_empty (req, 404); }
void sim_api_audit_last (SimRequest *req) { sim_reply_empty (req, 404); }

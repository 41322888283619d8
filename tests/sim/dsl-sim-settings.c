/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dsl-sim-settings.c: the portal's external sharing settings (docspace-api.md §9, issue 17).
 *
 *   GET files/settings                         FilesSettingsDto's sharing members; anonymous
 *                                              allowed (products/ASC.Files/Server/Api/
 *                                              SettingsController.cs:216-221)
 *   PUT files/settings/externalsharingsettings the admin's change (SettingsController.cs:175,
 *                                              FilesSettings.cs:515-555): a non-admin gets
 *                                              InvalidOperationException; turning sharing off
 *                                              makes new links internal by default too
 *
 * The real FilesSettingsDto has many more members (FilesSettingsDto.cs); only the sharing ones
 * are sent here, so the app can depend on nothing else. */
#define G_LOG_DOMAIN "docspace-sim"

#include "dsl-sim-server.h"

/* FilesCommonResource.ErrorMessage_SecurityException (FilesCommonResource.resx:327). */
#define MSG_SECURITY "You don't have enough permission to perform the operation"

static JsonNode *
policy_dto (const SimSharingPolicy *p)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  /* FilesSettingsDto.cs:257 (ExternalShare = !DisableShareLinkSetting), 403-421 */
  json_builder_set_member_name (b, "externalShare");
  json_builder_add_boolean_value (b, p->external_share);
  json_builder_set_member_name (b, "defaultShareLinkInternal");
  json_builder_add_boolean_value (b, p->default_internal);
  json_builder_set_member_name (b, "externalShareApplyToDocuments");
  json_builder_add_boolean_value (b, p->apply_to_documents);
  json_builder_set_member_name (b, "externalShareApplyToRooms");
  json_builder_add_boolean_value (b, p->apply_to_rooms);
  json_builder_set_member_name (b, "blockExistingLinksOnRestrict");
  json_builder_add_boolean_value (b, p->block_existing);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
sim_api_files_settings_get (SimRequest *req)
{
  sim_reply_ok (req, policy_dto (&req->state->policy), -1);
}

/* The request's boolean member, FALSE when absent (ExternalSharingSettingsRequestDto's bools
 * bind to false). */
static gboolean
member_bool (JsonObject *o,
             const char *name)
{
  JsonNode *n = o != NULL ? sim_obj_get (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return FALSE;
  return json_node_get_boolean (n);
}

void
sim_api_external_sharing_put (SimRequest *req)
{
  JsonObject *o = req->body != NULL && JSON_NODE_HOLDS_OBJECT (req->body)
                  ? json_node_get_object (req->body) : NULL;
  SimSharingPolicy *p = &req->state->policy;

  if (req->user == NULL || !(req->user->is_owner || req->user->is_admin))
    {
      sim_reply_invalid_op (req, MSG_SECURITY);
      return;
    }

  /* FilesSettings.cs:524-528 */
  p->external_share = member_bool (o, "externalShare");
  p->default_internal = !p->external_share || member_bool (o, "defaultShareLinkInternal");
  p->apply_to_documents = member_bool (o, "externalShareApplyToDocuments");
  p->apply_to_rooms = member_bool (o, "externalShareApplyToRooms");
  p->block_existing = member_bool (o, "blockExistingLinksOnRestrict");
  req->mutated = TRUE;
  /* ExternalSharingSettingsDto: the same five members (FilesSettings.cs:537-544). */
  sim_reply_ok (req, policy_dto (p), -1);
}

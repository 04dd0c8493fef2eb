/** Slack user groups for the access policy (approvers or operators configured as a group). */
import type { webApi } from "@slack/bolt";
import type { Directory } from "../domain/ports.js";

export function createSlackDirectory(client: webApi.WebClient): Directory {
  return {
    async usergroupMembers(usergroupId) {
      const res = await client.usergroups.users.list({ usergroup: usergroupId });
      return res.users ?? [];
    },
  };
}

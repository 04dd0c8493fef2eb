/** Opens "Extend contract" with the contractors the user may extend: from the reminder's button and `/contractor extend`. */
import type { webApi } from "@slack/bolt";
import type { Deps } from "../domain/deps.js";
import { listExtendableContractors } from "../domain/use-cases/list-extendable-contractors.js";
import { buildExtensionModal } from "./views/extension.js";

export async function openExtensionModal(
  deps: Deps,
  client: webApi.WebClient,
  input: { triggerId: string; userId: string; email?: string | null; managedPersonId?: number },
): Promise<void> {
  const data = await listExtendableContractors(deps, input);
  await client.views.open({ trigger_id: input.triggerId, view: buildExtensionModal(data) });
}

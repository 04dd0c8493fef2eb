/** `/contractor extend [email]`: "Extend contract", with that contractor chosen when given. */
import { openExtensionModal } from "../../../open-extension-modal.js";
import type { SubCommand } from "./sub-command.js";

export const contractorExtend: SubCommand<{ kind: "extend"; email: string | null }> = (
  ctx,
  { sub, command, client },
) =>
  openExtensionModal(ctx.deps, client, {
    triggerId: command.trigger_id,
    userId: command.user_id,
    email: sub.email,
  });

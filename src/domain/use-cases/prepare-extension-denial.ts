/**
 * Before Deny on an extension asks for a reason: whether the clicker may deny it now, so a stranger
 * or a stale button never opens the modal. `decideExtension` checks again on submission.
 */
import type { Deps } from "../deps.js";
import { precheckExtensionDecision } from "../extensions.js";

type Checked = Awaited<ReturnType<typeof precheckExtensionDecision>>;

export type ExtensionDenialPrepared =
  { status: "open"; extensionId: string } | Exclude<Checked, { status: "open" }>;

export async function prepareExtensionDenial(
  deps: Deps,
  input: { extensionId: string; actor: string },
): Promise<ExtensionDenialPrepared> {
  const checked = await precheckExtensionDecision(deps, { ...input, outcome: "deny" });
  if (checked.status !== "open") return checked;
  return { status: "open", extensionId: checked.extension.id };
}

/**
 * Checks what a recording DoorFlow sandbox saw against the spec: the requests sent to it and,
 * except where a fault rule answered, the answers it gave.
 */
import type { DoorFlowSandbox } from "../../tools/sandbox/doorflow/sandbox.js";
import { Contract, type Exchange, loadSpec, type Violation } from "./openapi.js";

let spec: ReturnType<typeof loadSpec> | undefined;

export interface ContractResult {
  requests: number;
  responses: number;
  violations: Violation[];
}

function recordedExchanges(sandbox: DoorFlowSandbox): Exchange[] {
  return sandbox.calls.flatMap((call) => (call.exchange ? [{ ...call, ...call.exchange }] : []));
}

export function checkRecorded(sandbox: DoorFlowSandbox): ContractResult {
  spec ??= loadSpec();
  const contract = new Contract(spec, {
    credentialSlugs: sandbox.state.credentialTypes.map((t) => t.slug),
  });
  const exchanges = recordedExchanges(sandbox);
  return {
    requests: exchanges.length,
    responses: exchanges.filter((x) => !x.faulted && !x.dropped).length,
    violations: exchanges.flatMap((x) => contract.check(x)),
  };
}

/** One line per violation, for an assertion that reads well when it fails. */
export function formatViolations(violations: Violation[]): string[] {
  return violations.map((v) => `${v.call} (${v.side}) ${v.message}`);
}

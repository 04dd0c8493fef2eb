/**
 * "Offboard now" on the `/offboard` preview, for a DoorFlow person or a Buzz-in contractor. The
 * clicker is authorised first (the preview may be old, the operator list may have changed); only
 * then is `onStarted` called, for Slack to replace the preview so a second click finds no button.
 */
import type { ManagedPerson } from "../../db/repositories/managed-people.js";
import type { Deps } from "../deps.js";
import { describeFailure } from "../failures.js";
import { offboardManagedNow, offboardNow } from "../offboard-requests.js";
import type { OffboardOutcome } from "../ports.js";
import { personName } from "../model.js";

export type OffboardPersonNowResult = { status: "forbidden" } | { status: "done"; outcome: OffboardOutcome };

export async function offboardDoorFlowPersonNow(
  deps: Deps,
  input: { actor: string; personId: number; onStarted: () => Promise<unknown> },
): Promise<OffboardPersonNowResult> {
  const { actor, personId } = input;
  if (!(await deps.policy.isOperator(actor))) return { status: "forbidden" };
  await input.onStarted();
  try {
    const result = await offboardNow(deps, { actor, personId });
    return result.status === "forbidden" ? result : { status: "done", outcome: result.outcome };
  } catch (error) {
    // Reading DoorFlow's reservations failed before any person was touched.
    deps.logger.error("offboard now failed", { personId, error: describeFailure(error) });
    return {
      status: "done",
      outcome: {
        personId,
        status: "failed",
        removed: { groupReservations: 0, reservations: 0, mobileCredentials: 0 },
        cardNumbers: [],
        error: describeFailure(error),
      },
    };
  }
}

export type OffboardContractorNowResult =
  | { status: "forbidden" }
  | { status: "not_found" }
  | { status: "offboarded"; name: string }
  | { status: "failed"; name: string; error: string };

const nameOf = (p: ManagedPerson) => personName(p);

export async function offboardBuzzinContractorNow(
  deps: Deps,
  input: { actor: string; managedPersonId: number; onStarted: () => Promise<unknown> },
): Promise<OffboardContractorNowResult> {
  if (!(await deps.policy.isOperator(input.actor))) return { status: "forbidden" };
  await input.onStarted();
  const result = await offboardManagedNow(deps, input);
  switch (result.status) {
    case "forbidden":
    case "not_found":
      return result;
    case "offboarded":
      return { status: "offboarded", name: nameOf(result.person) };
    case "failed":
      return { status: "failed", name: nameOf(result.person), error: result.error };
  }
}

/**
 * `/offboard <email | @user>`, `/offboard bulk`, `/offboard help`, for operators only: who would be
 * offboarded. A Buzz-in contractor is not in DoorFlow: offered on their own, or beside DoorFlow's
 * answer, which comes as a promise so the Buzz-in part is not held up by a slow DoorFlow.
 */
import type { Deps } from "../deps.js";
import { describeFailure } from "../failures.js";
import { type FindResult, findBuzzinToOffboard, findPersonToOffboard } from "../offboard-requests.js";
import { personName } from "../model.js";

export type OffboardTarget =
  { kind: "help" } | { kind: "bulk" } | { kind: "email"; email: string } | { kind: "user"; userId: string };

/** How a Slack user becomes an email (Slack's users.info); `P` is the problem to show when it cannot. */
export type EmailOfUser<P> = (userId: string) => Promise<{ email: string } | { problem: P }>;

export interface BuzzinMatch {
  managedPersonId: number;
  name: string;
  email: string | null;
  company: string | null;
  /** A Buzz-in contractor's access names are their property and unit (set from the request). */
  where: string;
  endDate: string;
}

export type DoorFlowMatch = FindResult | { status: "unreadable"; email: string; error: string };

export type OffboardPreviewResult<P> =
  | { status: "forbidden" }
  | { status: "help" }
  | { status: "bulk" }
  | { status: "problem"; problem: P }
  | { status: "preview"; email: string; buzzin: BuzzinMatch[]; doorflow: Promise<DoorFlowMatch> };

export async function previewOffboarding<P>(
  deps: Deps,
  input: { actor: string; target: OffboardTarget; emailOfUser: EmailOfUser<P> },
): Promise<OffboardPreviewResult<P>> {
  const { actor, target } = input;
  if (!(await deps.policy.isOperator(actor))) return { status: "forbidden" };
  if (target.kind === "help" || target.kind === "bulk") return { status: target.kind };
  const resolved = target.kind === "email" ? { email: target.email } : await input.emailOfUser(target.userId);
  if ("problem" in resolved) return { status: "problem", problem: resolved.problem };
  const { email } = resolved;
  const buzzin = findBuzzinToOffboard(deps, email).map((m) => ({
    managedPersonId: m.id,
    name: personName(m),
    email: m.email,
    company: m.company,
    where: m.accessNames.join(", "),
    endDate: m.endDate,
  }));
  const doorflow = findPersonToOffboard(deps, { actor, email }).catch((error: unknown): DoorFlowMatch => {
    deps.logger.warn("offboard preview failed", { error: describeFailure(error) });
    return { status: "unreadable", email, error: describeFailure(error) };
  });
  return { status: "preview", email, buzzin, doorflow };
}

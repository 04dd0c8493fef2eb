/**
 * `/contractor`, `/contractor visitor`, `/contractor buzzin`: whether the caller may ask for access,
 * and what the form needs. The form lists DoorFlow's groups or doors, so it is not for people who
 * may not ask; the list comes as a promise, for Slack to open the modal before DoorFlow answers.
 */
import { buzzinFormDefaults } from "../buzzin-form.js";
import type { NamedItem } from "../catalog.js";
import type { Deps } from "../deps.js";
import { todayIn } from "../requests.js";

export type RequestFormResult =
  | { status: "forbidden" }
  | { status: "contractor"; today: string; maxDays: number; sites: boolean; groups: Promise<NamedItem[]> }
  | { status: "visitor"; today: string; doors: Promise<NamedItem[]> };

export async function openRequestForm(
  deps: Pick<Deps, "policy" | "catalog" | "now" | "settings" | "buzzin">,
  input: { userId: string; kind: "contractor" | "visitor" },
): Promise<RequestFormResult> {
  if (!(await deps.policy.mayRequest(input.userId))) return { status: "forbidden" };
  const today = todayIn(deps);
  if (input.kind === "visitor") return { status: "visitor", today, doors: deps.catalog.doors() };
  return {
    status: "contractor",
    today,
    maxDays: deps.settings.contractorMaxDays,
    sites: deps.buzzin !== undefined,
    groups: deps.catalog.groups(),
  };
}

export type BuzzinFormResult =
  | { status: "not_configured" }
  | { status: "forbidden" }
  | { status: "open"; defaults: ReturnType<typeof buzzinFormDefaults> };

export async function openBuzzinForm(
  deps: Pick<Deps, "policy" | "now" | "settings" | "buzzin">,
  input: { userId: string },
): Promise<BuzzinFormResult> {
  if (!deps.buzzin) return { status: "not_configured" };
  if (!(await deps.policy.mayRequest(input.userId))) return { status: "forbidden" };
  return { status: "open", defaults: buzzinFormDefaults(deps) };
}

/** `/contractor audit <email>`: one person's audit trail, for operators only. */
import type { Deps } from "../deps.js";
import { type AuditLine, personHistory } from "../audit-export.js";
import { rolesOf } from "./roles.js";

export type AuditHistoryResult =
  { status: "forbidden" } | { status: "no_email" } | { status: "history"; email: string; lines: AuditLine[] };

export async function readAuditHistory(
  deps: Pick<Deps, "db" | "policy">,
  input: { userId: string; email: string | null },
): Promise<AuditHistoryResult> {
  // Both roles are asked, as for the other read-only sub-commands (one round trip, cached after).
  const { isOperator } = await rolesOf(deps, input.userId);
  if (!isOperator) return { status: "forbidden" };
  if (!input.email) return { status: "no_email" };
  return { status: "history", email: input.email, lines: personHistory(deps.db, input.email) };
}

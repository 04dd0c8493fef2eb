/** `/contractor` and `/offboard` command text, parsed. */
import { z } from "zod";
import type { OffboardTarget } from "../domain/use-cases/preview-offboarding.js";

/** `/contractor` sub-commands. Anything unknown gets help, not an error. */
export type ContractorCommand =
  | { kind: "new" }
  | { kind: "visitor" }
  /** "New contractor" for a Buzz-in community straight away. */
  | { kind: "buzzin" }
  | { kind: "help" }
  | { kind: "list" }
  | { kind: "status"; email: string | null }
  | { kind: "extend"; email: string | null }
  | { kind: "audit"; email: string | null };

/** With `should_escape: true` an email arrives as `<mailto:a@b.c|a@b.c>`. */
function unescapeEmail(token: string | undefined): string | null {
  if (!token) return null;
  const mailto = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/.exec(token);
  return (mailto?.[1] ?? token).trim().toLowerCase() || null;
}

export function parseContractorCommand(text: string | undefined): ContractorCommand {
  const [word, arg] = (text ?? "").trim().split(/\s+/, 2);
  switch ((word ?? "").toLowerCase()) {
    case "":
    case "new":
      return { kind: "new" };
    case "visitor":
      return { kind: "visitor" };
    case "buzzin":
    case "permit":
      return { kind: "buzzin" };
    case "list":
      return { kind: "list" };
    case "status":
      return { kind: "status", email: unescapeEmail(arg) };
    case "extend":
      return { kind: "extend", email: unescapeEmail(arg) };
    case "audit":
      return { kind: "audit", email: unescapeEmail(arg) };
    default:
      return { kind: "help" };
  }
}

const email = z.email();

/** `/offboard` with `should_escape: true`: a mention arrives as `<@U123|name>`, an email as `<mailto:…|…>`. */
export function parseOffboardCommand(text: string | undefined): OffboardTarget {
  const word = (text ?? "").trim().split(/\s+/, 1)[0] ?? "";
  if (word.toLowerCase() === "bulk") return { kind: "bulk" };
  const user = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word);
  if (user?.[1]) return { kind: "user", userId: user[1] };
  const address = unescapeEmail(word);
  if (address && email.safeParse(address).success) return { kind: "email", email: address };
  return { kind: "help" };
}

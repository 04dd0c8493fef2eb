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
export function unescapeEmail(token: string | undefined): string | null {
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

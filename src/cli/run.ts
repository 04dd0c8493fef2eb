/**
 * The `gatehouse` command line: parses the arguments and runs one command. Exit codes: 0 done,
 * 1 the command ran and failed (the reason is on stderr), 2 the command line itself is wrong.
 */
import { parseArgs } from "node:util";
import { errorMessage } from "../lib/errors.js";
import type { CliContext } from "./context.js";
import { doorflowCheck } from "./doorflow-check.js";
import { DEFAULT_REDIRECT_URI, doorflowConnect } from "./doorflow-connect.js";
import { offboardDue } from "./offboard-due.js";
import { auditExport, cardCollected, listContractors, offboardEmail } from "./operator.js";

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

export const HELP = `gatehouse — operate Gatehouse from a terminal (reads .env like the bot)

  gatehouse doorflow connect [--redirect-uri URL] [--paste]
      One-time OAuth consent: prints DoorFlow's authorize URL, takes the code from the
      localhost callback (default ${DEFAULT_REDIRECT_URI}) or pasted, stores the tokens.
  gatehouse doorflow check
      Account, time zone, card/PIN/mobile credential types, groups, doors, sync status.
  gatehouse offboard-due [--dry-run]
      Offboards everyone due now, as the daily job does (alerts and card reminders go to
      Slack); exits 1 if any failed. --dry-run lists who is due now and at the next
      OFFBOARD_CRON run, and changes nothing.
  gatehouse offboard <email>
      Disables the DoorFlow person with exactly this email (never deletes), ends their
      reservations, verifies, syncs and asks facilities for the card.
  gatehouse card collected <email>
      Facilities has the card back from this offboarded person: removes the card from
      them in DoorFlow (the person stays disabled), so it can be issued again; audited.
  gatehouse contractors list
      Active contractors, ending soonest first.
  gatehouse audit export --since YYYY-MM-DD [--format csv|jsonl]
      The audit trail since a day (in ACCOUNT_TIMEZONE, else UTC) on stdout.
  gatehouse help

Exit codes: 0 done, 1 failed (the reason is printed), 2 wrong command line.`;

const OPTIONS = {
  "redirect-uri": { type: "string" },
  paste: { type: "boolean" },
  "dry-run": { type: "boolean" },
  since: { type: "string" },
  format: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Which options each command takes; anything else is a usage error rather than silently ignored. */
const COMMAND_OPTIONS: Record<string, ReadonlyArray<keyof typeof OPTIONS>> = {
  "doorflow connect": ["redirect-uri", "paste"],
  "doorflow check": [],
  "offboard-due": ["dry-run"],
  offboard: [],
  "card collected": [],
  "contractors list": [],
  "audit export": ["since", "format"],
};

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

function usageError(context: CliContext, text: string): number {
  context.io.err(text);
  context.io.err(HELP);
  return EXIT_USAGE;
}

export async function runCli(argv: string[], context: CliContext): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>
  >;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    return usageError(context, errorMessage(error));
  }
  const { positionals, values } = parsed;
  // `offboard <email>` takes its email as a positional argument.
  const command =
    positionals[0] === "offboard"
      ? "offboard"
      : positionals[0] === "card" && positionals[1] === "collected"
        ? "card collected"
        : positionals.join(" ");
  if (values.help || command === "" || command === "help") {
    context.io.out(HELP);
    return EXIT_OK;
  }
  const allowed = COMMAND_OPTIONS[command];
  if (!allowed) return usageError(context, `Unknown command "${command}".`);
  const extra = Object.keys(values).filter((name) => !allowed.includes(name as keyof typeof OPTIONS));
  if (extra.length > 0)
    return usageError(context, `"${command}" does not take ${extra.map((n) => `--${n}`).join(", ")}.`);

  const redirectUri = values["redirect-uri"];
  if (redirectUri !== undefined && !isHttpUrl(redirectUri))
    return usageError(context, `--redirect-uri ${redirectUri} is not an http(s) URL.`);

  try {
    if (command === "doorflow connect")
      return await doorflowConnect(context, {
        ...(redirectUri !== undefined ? { redirectUri } : {}),
        listen: values.paste !== true,
      });
    if (command === "offboard-due") return await offboardDue(context, { dryRun: values["dry-run"] === true });
    if (command === "offboard") {
      const email = positionals[1];
      if (!email || positionals.length > 2)
        return usageError(context, "Say whom to offboard: gatehouse offboard name@company.com");
      return await offboardEmail(context, email.trim().toLowerCase());
    }
    if (command === "card collected") {
      const email = positionals[2];
      if (!email || positionals.length > 3)
        return usageError(context, "Say whose card: gatehouse card collected name@company.com");
      return await cardCollected(context, email.trim().toLowerCase());
    }
    if (command === "contractors list") return await listContractors(context);
    if (command === "audit export") {
      if (!values.since) return usageError(context, "audit export needs --since YYYY-MM-DD.");
      return auditExport(context, { since: values.since, format: values.format ?? "csv" });
    }
    return await doorflowCheck(context);
  } catch (error) {
    // Configuration, OAuth and DoorFlow failures are GatehouseErrors whose message already says what to do.
    context.io.err(errorMessage(error));
    return EXIT_FAILED;
  }
}

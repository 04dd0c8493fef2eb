/**
 * `gatehouse doorflow check`: what Gatehouse sees in the DoorFlow account — reachable, token valid,
 * time zone, the credential types it needs for cards, PINs and mobile, groups, doors, sync status.
 */
import type { DoorFlowSettings } from "../config.js";
import {
  CREDENTIAL_ROLES,
  CREDENTIAL_TYPE_VARIABLE,
  credentialTypeProblem,
  describeCredentialType,
  resolveCredentialTypes,
} from "../domain/credential-types.js";
import type { DoorFlowClient } from "../doorflow/client.js";
import type { CredentialType } from "../doorflow/schemas.js";
import { DoorFlowError } from "../doorflow/errors.js";
import { errorMessage } from "../lib/errors.js";
import { resolveTimeZone } from "../lib/time.js";
import { type CliContext, openDoorFlowSession } from "./context.js";

type Account = Awaited<ReturnType<DoorFlowClient["getAccount"]>>;

interface Report {
  ok(text: string): void;
  note(text: string): void;
  problem(text: string): void;
}

/**
 * The client's 401 message suggests both remedies because it cannot know the mode; here we do, and
 * `connect` refuses to run while DOORFLOW_ACCESS_TOKEN is set, so a fixed token gets its own advice.
 */
function explain(error: unknown, settings: DoorFlowSettings): string {
  if (
    error instanceof DoorFlowError &&
    error.code === "doorflow_unauthorized" &&
    settings.doorflow.auth.kind === "token"
  ) {
    const why = error.description ?? error.error ?? `HTTP ${error.status ?? 401}`;
    return `DoorFlow refused DOORFLOW_ACCESS_TOKEN (${why}): set it to a valid token for this DoorFlow account, or unset it and connect with OAuth (DOORFLOW_CLIENT_ID, DOORFLOW_CLIENT_SECRET, then \`gatehouse doorflow connect\`).`;
  }
  return errorMessage(error);
}

function checkTimeZone(report: Report, account: Account, configured: string | undefined): void {
  const reported = resolveTimeZone(account.time_zone);
  const says = `DoorFlow says "${account.time_zone}"`;
  if (configured) {
    report.ok(`time zone ${configured} (from ACCOUNT_TIMEZONE; ${says})`);
    if (reported && reported !== configured)
      report.note(`ACCOUNT_TIMEZONE differs from the DoorFlow account's zone ${reported}`);
  } else if (reported) {
    report.ok(`time zone ${reported}${reported !== account.time_zone ? ` (${says})` : ""}`);
  } else {
    report.problem(
      `time zone "${account.time_zone}" is not recognised: set ACCOUNT_TIMEZONE to its IANA name`,
    );
  }
}

/** Every credential type of the account, and which one Gatehouse uses as the card, PIN and mobile. */
async function checkCredentialTypes(report: Report, client: DoorFlowClient, settings: DoorFlowSettings) {
  const types = await client.listCredentialTypes();
  const resolved = resolveCredentialTypes(types, settings.doorflow.credentialTypes);
  const usedFor = (t: CredentialType) =>
    CREDENTIAL_ROLES.filter((role) => resolved[role].type?.id === t.id).map((role) =>
      role === "pin" ? "PIN" : role,
    );
  report.note(`${types.length} credential type(s):`);
  for (const t of types) {
    const roles = usedFor(t);
    report.note(
      `  ${describeCredentialType(t)}${roles.length > 0 ? ` → used as the ${roles.join(" and ")}` : ""}`,
    );
  }
  for (const role of CREDENTIAL_ROLES) {
    const choice = resolved[role];
    const problem = credentialTypeProblem(choice, types);
    if (choice.type)
      report.ok(
        `${role === "pin" ? "PIN" : role} credential type: ${describeCredentialType(choice.type)} (${choice.source === "setting" ? `from ${CREDENTIAL_TYPE_VARIABLE[role]}` : "detected from its label"})`,
      );
    else if (role === "mobile") report.note(`${problem ?? ""} Until then the "mobile" option is refused.`);
    else report.problem(problem ?? `no ${role} credential type`);
  }
}

async function checkGroups(report: Report, client: DoorFlowClient): Promise<void> {
  const groups = await client.listGroups();
  if (groups.length > 0) report.ok(`${groups.length} groups: ${groups.map((g) => g.name).join(", ")}`);
  else
    report.problem(
      "no groups: create access groups in DoorFlow's web UI; contractors are given access through them",
    );
}

async function checkDoors(report: Report, client: DoorFlowClient): Promise<void> {
  const channels = await client.listChannels();
  const offline = channels.filter((c) => c.status !== "online");
  if (channels.length === 0) {
    report.problem("no doors: visitors cannot be given access until DoorFlow has channels");
    return;
  }
  report.ok(
    `${channels.length} doors${offline.length > 0 ? ` (not online: ${offline.map((c) => `${c.name} ${c.status}`).join(", ")})` : ""}`,
  );
}

function checkSync(report: Report, account: Account): void {
  const sync = account.sync;
  if (sync.status === "failing")
    report.problem(`sync is failing${sync.description ? `: ${sync.description}` : ""}`);
  else report.ok(`sync ${sync.status}${sync.last_sync ? `, last ${sync.last_sync}` : ""}`);
}

export async function doorflowCheck({ io, env }: CliContext): Promise<number> {
  const session = openDoorFlowSession({ io, env });
  const { settings, client } = session;
  let problems = 0;
  const report: Report = {
    ok: (text) => io.out(`  ✓ ${text}`),
    note: (text) => io.out(`  - ${text}`),
    problem: (text) => {
      problems += 1;
      io.out(`  ✗ ${text}`);
    },
  };
  try {
    io.out(
      `DoorFlow at ${settings.doorflow.baseUrl} (${settings.doorflow.auth.kind === "token" ? "fixed token" : "OAuth"})`,
    );
    let account: Account;
    try {
      account = await client.getAccount();
    } catch (error) {
      // Unreachable or refused: every later call would fail the same way, so say it once.
      report.problem(explain(error, settings));
      return 1;
    }
    report.ok(`account "${account.name}" (${account.id}), signed in as ${account.user.email}`);
    checkTimeZone(report, account, settings.accountTimeZone);
    // Each part stands alone, so a missing scope for one still lets the others be reported.
    for (const part of [checkCredentialTypes, checkGroups, checkDoors]) {
      try {
        await part(report, client, settings);
      } catch (error) {
        report.problem(explain(error, settings));
      }
    }
    checkSync(report, account);
  } finally {
    await session.close();
    io.out(problems === 0 ? "DoorFlow is ready for Gatehouse." : `${problems} problem(s) found.`);
  }
  return problems === 0 ? 0 : 1;
}

/**
 * `gatehouse doorflow check`: what Gatehouse sees in the DoorFlow account — reachable, token valid,
 * time zone, the credential types it needs for cards, PINs and mobile, groups, doors, sync status.
 */
import { errorMessage } from "../lib/errors.js";
import { resolveTimeZone } from "../lib/time.js";
import { type CliContext, openDoorFlowSession } from "./context.js";

const CARD_SLUGS = ["card_number"];
const PIN_SLUGS = ["pin"];
const MOBILE_SLUGS = ["hid_mobile_access", "passflow"];

export async function doorflowCheck({ io, env }: CliContext): Promise<number> {
  const session = openDoorFlowSession(env);
  let problems = 0;
  const problem = (text: string) => {
    problems += 1;
    io.out(`  ✗ ${text}`);
  };
  try {
    io.out(
      `DoorFlow at ${session.settings.doorflow.baseUrl} (${session.settings.doorflow.auth.kind === "token" ? "fixed token" : "OAuth"})`,
    );
    const account = await session.client.getAccount();
    io.out(`  ✓ account "${account.name}" (${account.id}), signed in as ${account.user.email}`);
    const zone = session.settings.accountTimeZone ?? resolveTimeZone(account.time_zone);
    if (zone)
      io.out(
        `  ✓ time zone ${zone}${zone !== account.time_zone ? ` (DoorFlow says "${account.time_zone}")` : ""}`,
      );
    else problem(`time zone "${account.time_zone}" is not recognised: set ACCOUNT_TIMEZONE to its IANA name`);

    const types = await session.client.listCredentialTypes();
    const find = (slugs: string[]) => types.filter((t) => slugs.includes(t.slug));
    for (const [what, slugs, required] of [
      ["card", CARD_SLUGS, true],
      ["PIN", PIN_SLUGS, true],
      ["mobile", MOBILE_SLUGS, false],
    ] as const) {
      const found = find([...slugs]);
      if (found.length > 0)
        io.out(
          `  ✓ ${what} credential type: ${found.map((t) => `${t.label} (${t.slug}, id ${t.id})`).join(", ")}`,
        );
      else if (required)
        problem(
          `no ${what} credential type (${slugs.join(" or ")}): enable it in DoorFlow's credential settings`,
        );
      else io.out(`  - no mobile credential type: the "mobile" option will be refused`);
    }

    const groups = await session.client.listGroups();
    if (groups.length > 0) io.out(`  ✓ ${groups.length} groups: ${groups.map((g) => g.name).join(", ")}`);
    else
      problem(
        "no groups: create access groups in DoorFlow's web UI; contractors are given access through them",
      );
    const channels = await session.client.listChannels();
    const offline = channels.filter((c) => c.status !== "online").length;
    io.out(`  ✓ ${channels.length} doors${offline > 0 ? ` (${offline} not online)` : ""}`);
    const sync = account.sync;
    if (sync.status === "failing")
      problem(`sync is failing${sync.description ? `: ${sync.description}` : ""}`);
    else io.out(`  ✓ sync ${sync.status}${sync.last_sync ? `, last ${sync.last_sync}` : ""}`);
  } catch (error) {
    problem(errorMessage(error));
  } finally {
    await session.close();
  }
  io.out(problems === 0 ? "DoorFlow is ready for Gatehouse." : `${problems} problem(s) found.`);
  return problems === 0 ? 0 : 1;
}

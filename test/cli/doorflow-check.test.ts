import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run.js";
import { type CliWorld, FIXED_TOKEN, fakeTerminal, freePort, oauthEnv, startCliWorld } from "./support.js";

let world: CliWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("gatehouse doorflow check with a fixed token", () => {
  it("reports the account, its zone, the card and PIN type ids, groups, doors and sync, and exits 0", async () => {
    world = await startCliWorld();
    const { sandbox } = world.doorflow;
    const io = fakeTerminal();

    const code = await runCli(
      ["doorflow", "check"],
      world.context(io, { DOORFLOW_ACCESS_TOKEN: FIXED_TOKEN }),
    );

    expect(code).toBe(0);
    expect(io.errLines).toEqual([]);
    const out = io.outLines;
    expect(out[0]).toBe(`DoorFlow at ${world.doorflow.url} (fixed token)`);
    const account = sandbox.state.account;
    expect(out).toContain(
      `  ✓ account "${account.name}" (${account.id}), signed in as ${account.user.email}`,
    );
    expect(account.timeZoneName).toBe("London");
    expect(out).toContain(`  ✓ time zone Europe/London (DoorFlow says "London")`);
    // The ids are the account's own, read from /credential_types, not constants.
    const cardId = sandbox.credentialTypeId("card_number");
    const pinId = sandbox.credentialTypeId("pin");
    expect(out).toContain(
      `  ✓ card credential type: "Card Number" (slug card_number, id ${cardId}) (detected from its label)`,
    );
    expect(out).toContain(`  ✓ PIN credential type: "PIN" (slug pin, id ${pinId}) (detected from its label)`);
    expect(out.find((l) => l.includes("mobile credential type"))).toContain(
      `slug hid_mobile_access, id ${sandbox.credentialTypeId("hid_mobile_access")}`,
    );
    // Every type of the account is listed, with what Gatehouse uses it for.
    for (const t of sandbox.state.credentialTypes)
      expect(out.some((l) => l.includes(`(slug ${t.slug}, id ${t.id})`))).toBe(true);
    expect(out).toContain(`  -   "Card Number" (slug card_number, id ${cardId}) → used as the card`);
    const groups = sandbox.state.groups.map((g) => g.name).sort((a, b) => a.localeCompare(b));
    expect(out).toContain(`  ✓ ${groups.length} groups: ${groups.join(", ")}`);
    const doors = out.find((l) => / doors/.test(l));
    expect(doors).toMatch(new RegExp(`^  ✓ ${sandbox.state.channels.length} doors`));
    for (const offline of sandbox.state.channels.filter((c) => c.status !== "online"))
      expect(doors).toContain(offline.name);
    expect(out).toContain("  ✓ sync complete");
    expect(out.at(-1)).toBe("DoorFlow is ready for Gatehouse.");
  });

  it("says where the zone comes from when ACCOUNT_TIMEZONE overrides the account's", async () => {
    world = await startCliWorld();
    const io = fakeTerminal();

    const code = await runCli(
      ["doorflow", "check"],
      world.context(io, { DOORFLOW_ACCESS_TOKEN: FIXED_TOKEN, ACCOUNT_TIMEZONE: "Europe/Dublin" }),
    );

    expect(code).toBe(0);
    expect(io.outLines).toContain(
      `  ✓ time zone Europe/Dublin (from ACCOUNT_TIMEZONE; DoorFlow says "London")`,
    );
    expect(io.outLines).toContain(
      "  - ACCOUNT_TIMEZONE differs from the DoorFlow account's zone Europe/London",
    );
  });

  it("counts missing credential types and groups as problems and exits 1", async () => {
    world = await startCliWorld();
    const { state } = world.doorflow.sandbox;
    state.credentialTypes = state.credentialTypes.filter((t) => t.slug !== "pin");
    state.groups = [];
    const io = fakeTerminal();

    const code = await runCli(
      ["doorflow", "check"],
      world.context(io, { DOORFLOW_ACCESS_TOKEN: FIXED_TOKEN }),
    );

    expect(code).toBe(1);
    const problems = io.outLines.filter((l) => l.startsWith("  ✗"));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^ {2}✗ No DoorFlow credential type looks like the PIN; the account has "Card Number" .* Set DOORFLOW_PIN_CREDENTIAL_TYPE to the id, slug or label of the PIN type/,
    );
    expect(problems[1]).toBe(
      "  ✗ no groups: create access groups in DoorFlow's web UI; contractors are given access through them",
    );
    // The parts that are fine are still reported.
    expect(io.text()).toContain("✓ card credential type");
    expect(io.outLines.at(-1)).toBe("2 problem(s) found.");
  });

  it("refuses a wrong token in one line that says what to do, and exits 1", async () => {
    world = await startCliWorld();
    const io = fakeTerminal();

    const code = await runCli(
      ["doorflow", "check"],
      world.context(io, { DOORFLOW_ACCESS_TOKEN: "not-the-token" }),
    );

    expect(code).toBe(1);
    const problems = io.outLines.filter((l) => l.startsWith("  ✗"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/refused DOORFLOW_ACCESS_TOKEN \(The access token is invalid\)/);
    expect(problems[0]).toMatch(/set it to a valid token for this DoorFlow account/);
    // `connect` refuses to run while a fixed token is set, so it must not be the advice on its own.
    expect(problems[0]).toMatch(/or unset it and connect with OAuth/);
    // Nothing after the refused account call is attempted.
    expect(world.doorflow.sandbox.calls.map((c) => c.path)).toEqual(["/api/3/account"]);
    expect(io.outLines.at(-1)).toBe("1 problem(s) found.");
  });

  it("says the account is unreachable when nothing answers, and exits 1", async () => {
    world = await startCliWorld();
    const io = fakeTerminal();

    const code = await runCli(
      ["doorflow", "check"],
      world.context(io, {
        DOORFLOW_ACCESS_TOKEN: FIXED_TOKEN,
        DOORFLOW_BASE_URL: `http://127.0.0.1:${await freePort()}`,
      }),
    );

    expect(code).toBe(1);
    expect(io.outLines.filter((l) => l.startsWith("  ✗"))).toHaveLength(1);
    expect(io.outLines[1]).toMatch(
      /^ {2}✗ Could not reach DoorFlow at .*Check the network and DOORFLOW_BASE_URL\.$/,
    );
  });
});

describe("gatehouse doorflow check in OAuth mode", () => {
  it("says to run connect when no tokens were stored yet", async () => {
    world = await startCliWorld({ fixedToken: null });
    const io = fakeTerminal();

    const code = await runCli(["doorflow", "check"], world.context(io, oauthEnv()));

    expect(code).toBe(1);
    expect(io.outLines[0]).toBe(`DoorFlow at ${world.doorflow.url} (OAuth)`);
    expect(io.text()).toContain(
      "✗ Gatehouse is not connected to DoorFlow yet. Run `gatehouse doorflow connect`",
    );
    expect(world.doorflow.sandbox.calls).toEqual([]);
  });
});

describe("configuration", () => {
  it("names the missing DoorFlow variable on stderr and exits 1", async () => {
    world = await startCliWorld();
    const io = fakeTerminal();

    const code = await runCli(
      ["doorflow", "check"],
      world.context(io, { DOORFLOW_CLIENT_ID: "only-the-id" }),
    );

    expect(code).toBe(1);
    expect(io.errLines.join("\n")).toMatch(/DOORFLOW_CLIENT_SECRET is missing/);
    expect(io.outLines).toEqual([]);
  });
});

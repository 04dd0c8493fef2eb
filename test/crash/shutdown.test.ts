/**
 * Graceful shutdown of the real bot process: SIGTERM while an approval is being provisioned (DoorFlow
 * slow) refuses new requests, lets the provisioning finish, closes the database and exits 0; a second
 * SIGTERM during a long drain exits at once, and the next start resumes the abandoned work without
 * waiting for its lease to lapse.
 */
import { existsSync } from "node:fs";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { type CrashWorld, createCrashWorld } from "../../tools/sandbox/crash/world.js";
import { CAST } from "../../tools/sandbox/story.js";
import { until } from "../helpers/until.js";
import { approveOne } from "./support.js";

let world: CrashWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const GROUP_RESERVATIONS = /^\/api\/3\/group_reservations$/;

async function refusedOr503(response: Promise<{ statusCode?: number; status?: number }>): Promise<boolean> {
  return response.then(
    (r) => (r.statusCode ?? r.status) === 503,
    () => true,
  );
}

/** Resolves once DoorFlow has received (and done) the group reservation create. */
function groupReservationArrives(w: CrashWorld): Promise<void> {
  return new Promise((resolve) => {
    const stop = w.doorflow.onCall((call) => {
      if (call.method !== "POST" || !GROUP_RESERVATIONS.test(call.path)) return;
      stop();
      resolve();
    });
  });
}

describe("graceful shutdown of the bot process", () => {
  it(
    "on SIGTERM refuses new requests, finishes the provisioning in flight, closes the database, exits 0",
    { timeout: 30_000 },
    async () => {
      world = await createCrashWorld();
      const w = world;
      const { bot } = await w.startBot();
      w.doorflow.sandbox.faults.add({ method: "POST", path: GROUP_RESERVATIONS, latencyMs: 1_500, times: 1 });
      const arrived = groupReservationArrives(w);
      const id = await approveOne(w);
      await arrived;

      bot.signal("SIGTERM");
      await bot.waitForLog((e) => e.msg === "stopping");
      // While it drains, a new Slack request and a health check are refused: no connection, or 503 on
      // a connection kept alive from before.
      expect(await refusedOr503(request(`${bot.url}/healthz`))).toBe(true);
      const late = w.driver().command({ command: "/contractor", text: "help", userId: CAST.requester.id });
      expect(await refusedOr503(late)).toBe(true);

      const exit = await bot.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(bot.lines.join("\n")).toMatch(/"msg":"stopped".*"abandoned":0/);
      // The last connection closed checkpoints and removes the write-ahead log: the database was closed.
      expect(existsSync(`${w.databaseFile}-wal`)).toBe(false);

      expect(getAccessRequest(w.db(), id)?.state).toBe("active");
      const person = w.doorflow.sandbox.personBySystemId(id);
      expect(person?.enabled).toBe(true);
      const live = w.doorflow.sandbox.state.groupReservations.filter(
        (g) => g.personId === person?.id && g.deactivatedAt === null,
      );
      expect(live).toHaveLength(1);
      const dms = w.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === CAST.requester.id);
      expect(dms.map((c) => String(c.args.text))).toContain("Access for Sia Shutdown is ready");
      // Nothing ran after the stop: the help command got no answer.
      expect(w.slack.callsTo("response_url")).toHaveLength(0);
    },
  );

  it(
    "exits at once on a second SIGTERM, and the next start takes the work up without waiting for its lease",
    { timeout: 30_000 },
    async () => {
      world = await createCrashWorld();
      const w = world;
      const first = await w.startBot();
      w.doorflow.sandbox.faults.add({
        method: "POST",
        path: GROUP_RESERVATIONS,
        latencyMs: 30_000,
        times: 1,
      });
      const arrived = groupReservationArrives(w);
      const id = await approveOne(w);
      await arrived;

      first.bot.signal("SIGTERM");
      await first.bot.waitForLog((e) => e.msg === "stopping");
      first.bot.signal("SIGTERM");
      // 128 + SIGTERM: neither 0 (drained) nor 1 (drain time up, 10 s later), so the second signal ended it.
      expect((await first.bot.exited).code).toBe(143);
      expect(getAccessRequest(w.db(), id)?.state).toBe("provisioning");
      expect(getAccessRequest(w.db(), id)?.leaseExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 60_000);

      const syncsBefore = w.doorflow.sandbox.calls.filter((c) => c.path === "/api/3/sync").length;
      await w.startBot();
      await until(
        () => getAccessRequest(w.db(), id)?.state === "active",
        "the request to become active",
        8_000,
      );
      const person = w.doorflow.sandbox.personBySystemId(id);
      const live = w.doorflow.sandbox.state.groupReservations.filter(
        (g) => g.personId === person?.id && g.deactivatedAt === null,
      );
      expect(live).toHaveLength(1);
      expect(w.doorflow.sandbox.state.people.filter((p) => p.systemId === id)).toHaveLength(1);
      // The restart syncs what the stopped process changed without syncing.
      await until(
        () => w.doorflow.sandbox.calls.filter((c) => c.path === "/api/3/sync").length > syncsBefore,
        "a sync after the restart",
      );
      const stopped = await w.stopBot();
      expect(stopped.code).toBe(0);
    },
  );
});

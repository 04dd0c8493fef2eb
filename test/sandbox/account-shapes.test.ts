/**
 * The account shapes: each account serves its own credential types (ids, labels, slugs) and its
 * own zone, answered by its Rails name, and applies them where DoorFlow does (the person's
 * credential fields, generated PINs, the same-day rule). No literal in Gatehouse names their types.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { accountSchema, credentialTypeSchema } from "../../src/doorflow/schemas.js";
import { resolveTimeZone } from "../../src/lib/time.js";
import { ACCOUNT_SHAPES } from "../../tools/sandbox/doorflow/shapes.js";
import { startTestSandbox } from "./helpers.js";

const ANSWERED_ZONE: Record<keyof typeof ACCOUNT_SHAPES, string> = {
  staffBadge: "Eastern Time (US & Canada)",
  employeeCard: "Sydney",
  hawaii: "Hawaii",
};

const shapes = Object.entries(ACCOUNT_SHAPES).map(([name, shape]) => ({
  name: name as keyof typeof ACCOUNT_SHAPES,
  shape,
}));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

describe.each(shapes)("the $name account", ({ name, shape }) => {
  const card = shape.credentialTypes.find((t) => t.kind === "value" && t.code === 100)!;
  const pin = shape.credentialTypes.find((t) => t.code === 300)!;

  it("serves its own credential types and its zone by its Rails name", async () => {
    const { api, sandbox } = await startTestSandbox({ account: shape });
    expect(sandbox.timeZone).toBe(shape.timeZone);
    const account = accountSchema.parse((await api("GET", "/api/3/account")).json);
    expect(account.time_zone).toBe(ANSWERED_ZONE[name]);
    expect(resolveTimeZone(account.time_zone)).toBe(shape.timeZone);

    const types = credentialTypeSchema.array().parse((await api("GET", "/api/3/credential_types")).json);
    expect(types).toEqual(
      shape.credentialTypes.map((t) => ({ id: t.id, label: t.label, slug: t.slug, code: t.code })),
    );
  });

  it("names a person's credential fields by its slugs: seeded cards, generated PINs", async () => {
    const { api } = await startTestSandbox({ account: shape });
    const amelia = (await api("GET", "/api/3/people/40201")).json;
    expect(amelia[card.slug]).toBe("40010001");
    expect(amelia[pin.slug]).toBe("4821");
    expect(amelia).not.toHaveProperty("card_number");

    const created = await api("POST", "/api/3/people", {
      body: { first_name: "Shay", last_name: "Pe", [card.slug]: "81000001", [pin.slug]: "******" },
    });
    expect(created.status).toBe(201);
    expect(created.json[card.slug]).toBe("81000001");
    expect(created.json[pin.slug]).toMatch(/^\d{6}$/);
    // Another account's slug is no credential field here.
    const foreign = await api("POST", "/api/3/people", {
      body: { first_name: "For", last_name: "Eign", card_number: "81000002" },
    });
    expect(foreign.json).not.toHaveProperty("card_number");
    const taken = await api("POST", `/api/3/people/${created.json.id}/credentials`, {
      body: { person_credential: { credential_type_id: card.id, value: "40010002" } },
    });
    expect(taken.status).toBe(409);
  });

  it("applies the same-day rule in its own zone", async () => {
    const { api } = await startTestSandbox({ account: shape, now: new Date("2027-06-01T00:00:00Z") });
    const local = (time: string) =>
      new Intl.DateTimeFormat("en-CA", {
        timeZone: shape.timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }).format(new Date(time));
    // 13:00 to 15:00 UTC on 10 June: one local day in New York and Honolulu, 23:00 to 01:00 in Sydney.
    const start = "2027-06-10T13:00:00Z";
    const end = "2027-06-10T15:00:00Z";
    const res = await api("POST", "/api/3/reservations", {
      body: { person_id: 40201, start_time: start, end_time: end, channel_ids: [1340] },
    });
    expect(res.status).toBe(local(start) === local(end) ? 201 : 422);
    expect(name === "employeeCard" ? 422 : 201).toBe(res.status);
  });
});

describe("the shapes", () => {
  it("differ in credential-type ids, slugs and labels and in zone", () => {
    const all = shapes.flatMap(({ shape }) => shape.credentialTypes);
    for (const key of ["id", "slug", "label"] as const) {
      expect(new Set(all.map((t) => t[key])).size).toBe(all.length);
    }
    expect(new Set(shapes.map(({ shape }) => shape.timeZone)).size).toBe(shapes.length);
  });

  it("name types no string literal in Gatehouse outside the sandbox names", () => {
    const src = new URL("../../src/", import.meta.url).pathname;
    const files = sourceFiles(src);
    const text = files.map((f) => readFileSync(f, "utf8")).join("\n");
    const named = shapes
      .flatMap(({ shape }) => shape.credentialTypes)
      .flatMap((t) => [t.slug, t.label])
      // Quoted as a string, not in a comment's backticks (credential-types.ts cites the spec's example).
      .filter((word) => new RegExp(`(["'])${word}\\1`).test(text));
    expect(named).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });
});

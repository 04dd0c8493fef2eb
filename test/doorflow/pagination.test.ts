import { afterEach, describe, expect, it } from "vitest";
import { DoorFlowError } from "../../src/doorflow/errors.js";
import { closeHarnesses, createHarness, person, type RecordedRequest } from "./support.js";

afterEach(closeHarnesses);

/** Answers a people list like DoorFlow: `page`/`per_page` over `total` people. */
function pagedPeople(total: number) {
  return (req: RecordedRequest) => {
    const page = Number(req.query.get("page"));
    const perPage = Number(req.query.get("per_page"));
    const first = (page - 1) * perPage + 1;
    const last = Math.min(total, page * perPage);
    return { body: Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => person(first + i)) };
  };
}

describe("people lists", () => {
  it("reads every page, 100 at a time, until a short page", async () => {
    const h = createHarness();
    h.mock.route(pagedPeople(250));
    const all = await h.client.listPeople();
    expect(all).toHaveLength(250);
    expect(new Set(all.map((p) => p.id)).size).toBe(250);
    expect(h.mock.requests.map((r) => [r.query.get("page"), r.query.get("per_page")])).toEqual([
      ["1", "100"],
      ["2", "100"],
      ["3", "100"],
    ]);
  });

  it("asks for one more page when the last one is exactly full, and stops at the empty one", async () => {
    const h = createHarness();
    h.mock.route(pagedPeople(200));
    expect(await h.client.listPeople()).toHaveLength(200);
    expect(h.mock.requests.map((r) => r.query.get("page"))).toEqual(["1", "2", "3"]);
  });

  it("passes the email and system_id filters on every page", async () => {
    const h = createHarness();
    h.mock.route(pagedPeople(120));
    await h.client.listPeople({ email: "ada@example.com", systemId: "gh-7" });
    expect(h.mock.requests).toHaveLength(2);
    for (const r of h.mock.requests) {
      expect(r.query.get("email")).toBe("ada@example.com");
      expect(r.query.get("system_id")).toBe("gh-7");
    }
  });

  it("leaves out a filter that is not given", async () => {
    const h = createHarness();
    h.mock.route(pagedPeople(3));
    await h.client.listPeople({ email: "ada@example.com" });
    expect(h.mock.requests[0]?.query.has("system_id")).toBe(false);
  });

  it("iterates people lazily: stopping early reads no further page", async () => {
    const h = createHarness();
    h.mock.route(pagedPeople(350));
    const seen: number[] = [];
    for await (const p of h.client.iteratePeople()) {
      seen.push(p.id);
      if (seen.length === 150) break;
    }
    expect(seen.at(-1)).toBe(150);
    expect(h.mock.requests).toHaveLength(2);
  });

  it("stops when a server ignoring `page` sends the first page again", async () => {
    const h = createHarness();
    // Always the same 100 people, whatever page is asked for: read naively, this never ends.
    h.mock.route(() => ({ body: Array.from({ length: 100 }, (_, i) => person(i + 1)) }));
    const error = await h.client.listPeople().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DoorFlowError);
    expect(error).toMatchObject({ code: "doorflow_bad_response" });
    expect((error as Error).message).toMatch(/page 2 of people repeats page 1/);
    expect(h.mock.requests).toHaveLength(2);
  });

  it("stops when a later page repeats an earlier one (a server cycling through pages)", async () => {
    const h = createHarness();
    h.mock.route((req) => {
      const page = ((Number(req.query.get("page")) - 1) % 3) + 1;
      return { body: Array.from({ length: 100 }, (_, i) => person(page * 1000 + i)) };
    });
    await expect(h.client.listPeople()).rejects.toThrow(/page 4 of people repeats page 1/);
    expect(h.mock.requests).toHaveLength(4);
  });

  it("stops after too many full pages, however different they are", async () => {
    const h = createHarness({ maxPages: 5 });
    h.mock.route((req) => {
      const page = Number(req.query.get("page"));
      return { body: Array.from({ length: 100 }, (_, i) => person(page * 1000 + i)) };
    });
    await expect(h.client.listPeople()).rejects.toMatchObject({
      code: "doorflow_bad_response",
      message: expect.stringMatching(/more than 5 pages of people/),
    });
    expect(h.mock.requests).toHaveLength(5);
    // A lazy reader is stopped the same way.
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const p of h.client.iteratePeople()) seen.push(p.id);
      })(),
    ).rejects.toThrow(/more than 5 pages/);
    expect(seen).toHaveLength(500);
  });

  it("reads up to its page limit when the last page is short", async () => {
    const h = createHarness({ maxPages: 3 });
    h.mock.route(pagedPeople(250));
    expect(await h.client.listPeople()).toHaveLength(250);
  });

  it("pages other lists 500 at a time", async () => {
    const h = createHarness();
    h.mock.route(() => ({ body: [{ id: 1, label: "Card", slug: "card_number", code: null }] }));
    await h.client.listCredentialTypes();
    expect(h.mock.requests[0]?.query.get("per_page")).toBe("500");
  });
});

describe("finding people", () => {
  it("findPeopleByEmail keeps only exact, case-insensitive matches of DoorFlow's partial matches", async () => {
    const h = createHarness();
    h.mock.route(() => ({
      body: [
        person(1, { email: "ada@example.com" }),
        person(2, { email: "ada@example.com.au" }),
        person(3, { email: "bada@example.com" }),
        person(4, { email: "ADA@Example.COM" }),
        person(5, { email: null }),
      ],
    }));
    const found = await h.client.findPeopleByEmail(" Ada@example.com ");
    expect(found.map((p) => p.id)).toEqual([1, 4]);
    expect(h.mock.requests[0]?.query.get("email")).toBe("Ada@example.com");
  });

  it("findPersonBySystemId returns the exact match or null", async () => {
    const h = createHarness();
    h.mock.route((req) => ({
      body:
        req.query.get("system_id") === "gh-1"
          ? [person(8, { system_id: "gh-10" }), person(9, { system_id: "gh-1" })]
          : [],
    }));
    await expect(h.client.findPersonBySystemId("gh-1")).resolves.toMatchObject({ id: 9 });
    await expect(h.client.findPersonBySystemId("gh-2")).resolves.toBeNull();
  });

  it("filters reservations by person on our side (DoorFlow has no person filter)", async () => {
    const h = createHarness();
    const r = (id: number, personId: number) => ({
      id,
      person_id: personId,
      start_time: "2027-03-28T09:00:00Z",
      end_time: "2027-03-28T17:00:00Z",
      channel_ids: [1],
      created_at: "2027-03-27T09:00:00Z",
      updated_at: "2027-03-27T09:00:00Z",
    });
    h.mock.route(() => ({ body: [r(1, 5), r(2, 6), r(3, 5)] }));
    const mine = await h.client.listReservations({ personId: 5 });
    expect(mine.map((x) => x.id)).toEqual([1, 3]);
    expect(h.mock.requests[0]?.query.has("person_id")).toBe(false);
  });
});

/**
 * The contract checker itself: what it refuses, so that "no violations" in the story means the
 * exchanges follow the spec and not that the checker lets everything through.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { accountRoutes } from "../../tools/sandbox/doorflow/routes/account.js";
import { credentialRoutes } from "../../tools/sandbox/doorflow/routes/credentials.js";
import { groupReservationRoutes } from "../../tools/sandbox/doorflow/routes/group-reservations.js";
import { peopleRoutes } from "../../tools/sandbox/doorflow/routes/people.js";
import { reservationRoutes } from "../../tools/sandbox/doorflow/routes/reservations.js";
import { Contract, type Exchange, isRfc3339DateTime, loadSpec, SHARED_SPEC, SPEC_COPY } from "./openapi.js";

const spec = loadSpec();
const contract = new Contract(spec, { credentialSlugs: ["staff_badge", "door_pin"] });

function exchange(overrides: Partial<Exchange>): Exchange {
  return {
    method: "GET",
    path: "/api/3/account",
    query: "",
    status: 200,
    faulted: false,
    dropped: false,
    requestType: undefined,
    requestBody: undefined,
    responseType: "application/json; charset=utf-8",
    responseBody: "{}",
    ...overrides,
  };
}

const person = {
  id: 40221,
  first_name: "Carla",
  last_name: "Card",
  email: "carla@contract.example",
  enabled: true,
  valid_from: "2027-03-01T00:00:00.000Z",
  valid_to: "2027-03-05T23:59:59+00:00",
  groups: [5122],
  roles: [],
  staff_badge: "70000001",
  door_pin: null,
};

const createPerson = (body: object, response: object = person) =>
  contract.check(
    exchange({
      method: "POST",
      path: "/api/3/people",
      status: 201,
      requestType: "application/json",
      requestBody: JSON.stringify(body),
      responseBody: JSON.stringify(response),
    }),
  );

const messages = (violations: Array<{ message: string }>) => violations.map((v) => v.message);

describe("RFC 3339 date-times", () => {
  it.each([
    ["2027-03-05T23:59:59+04:00", true],
    ["2027-03-05T23:59:59.999Z", true],
    ["2027-03-05t23:59:59z", true],
    ["2027-03-05", false],
    ["2027-03-05T23:59:59", false],
    ["2027-03-05 23:59:59Z", false],
    ["2027-03-05T23:59Z", false],
    ["2027-02-29T10:00:00Z", false],
    ["2028-02-29T10:00:00Z", true],
    ["2027-03-05T24:00:00Z", false],
    ["2027-03-05T10:00:00+0400", false],
  ])("%s is %s", (value, valid) => {
    expect(isRfc3339DateTime(value)).toBe(valid);
  });
});

describe("the contract checker", () => {
  it("passes a person created with date-times and the account's credential fields", () => {
    expect(
      createPerson({
        first_name: "Carla",
        last_name: "Card",
        valid_from: "2027-03-01T00:00:00+00:00",
        valid_to: "2027-03-05T23:59:59+00:00",
        staff_badge: "70000001",
        door_pin: "******",
      }),
    ).toEqual([]);
  });

  it("refuses a bare date, a field the spec does not know and another account's credential slug", () => {
    const found = createPerson({
      first_name: "Carla",
      last_name: "Card",
      valid_to: "2027-03-05",
      card_number: "1",
      nickname: "CC",
    });
    expect(found.every((v) => v.side === "request")).toBe(true);
    expect(messages(found).sort()).toEqual([
      'body/valid_to: must match format "date-time" ("2027-03-05")',
      'body: field "card_number" is not in the spec',
      'body: field "nickname" is not in the spec',
    ]);
  });

  it("refuses a response field the spec does not know, and a wrong type", () => {
    const found = createPerson(
      { first_name: "A", last_name: "B" },
      { ...person, shoe_size: 9, enabled: "yes" },
    );
    expect(messages(found).sort()).toEqual([
      "body/enabled: must be boolean",
      'body: field "shoe_size" is not in the spec',
    ]);
  });

  it("refuses an undocumented status, a wrong content type and an unknown operation", () => {
    expect(messages(contract.check(exchange({ status: 418 })))).toEqual([
      "status 418 is not documented (200, 401, 403)",
    ]);
    expect(messages(contract.check(exchange({ responseType: "text/html" })))).toEqual([
      'content type "text/html" is not one of application/json',
    ]);
    expect(messages(contract.check(exchange({ path: "/api/3/doors" })))).toEqual([
      "no operation in the spec for this method and path",
    ]);
  });

  it("checks query and path parameters", () => {
    expect(
      messages(
        contract.check(
          exchange({
            path: "/api/3/people",
            query: "per_page=500&colour=red&since_utc=2027-03-01",
            responseBody: "[]",
          }),
        ),
      ).sort(),
    ).toEqual([
      "query parameter colour is not in the spec",
      "query parameter per_page: must be <= 100",
      'query parameter since_utc: must match format "date-time" ("2027-03-01")',
    ]);
    expect(
      messages(contract.check(exchange({ path: "/api/3/people/abc", status: 404, responseBody: "{}" }))),
    ).toEqual(["path parameter id: must be integer"]);
  });

  it("takes a 422's field errors for the operation's request fields only, and no error_description", () => {
    const answer = (body: object) =>
      messages(
        contract.check(
          exchange({
            method: "POST",
            path: "/api/3/group_reservations",
            status: 422,
            requestType: "application/json",
            requestBody: JSON.stringify({
              group_reservation: {
                person_id: 1,
                start_time: "2027-03-01T00:00:00Z",
                end_time: "2027-03-01T00:00:00Z",
                group_ids: [1],
              },
            }),
            responseBody: JSON.stringify(body),
          }),
        ),
      );
    expect(
      answer({ error: "Validation failed", errors: { end_time: ["must be after start_time"] } }),
    ).toEqual([]);
    expect(answer({ error: "x", error_description: "y", errors: { email: ["is invalid"] } }).sort()).toEqual([
      'body/errors: field "email" is not in the spec',
      'body: field "error_description" is not in the spec',
    ]);
  });

  it("checks only the request of an exchange a fault rule answered", () => {
    const faulted = exchange({ status: 502, faulted: true, responseBody: "<html>" });
    expect(contract.check(faulted)).toEqual([]);
    expect(messages(contract.check({ ...faulted, faulted: false }))).toEqual([
      "status 502 is not documented (200, 401, 403)",
    ]);
  });
});

describe("the sandbox's routes", () => {
  it("guard each operation with the scope the spec's security names", () => {
    const routes = [
      ...accountRoutes,
      ...peopleRoutes,
      ...credentialRoutes,
      ...reservationRoutes,
      ...groupReservationRoutes,
    ];
    const mismatches = routes.flatMap((route) => {
      const path = route.pattern.replace(/:([a-z_]+)/g, "1");
      const matched = contract.match(route.method, path);
      if (!matched) return [`${route.method} ${route.pattern}: not in the spec`];
      const wanted = matched.op.scopes[0];
      return route.scope === wanted ? [] : [`${route.method} ${route.pattern}: ${route.scope} ≠ ${wanted}`];
    });
    expect(mismatches).toEqual([]);
    expect(routes.length).toBeGreaterThan(15);
  });
});

describe("the spec copy", () => {
  it("is DoorFlow's document as the shared folder holds it", () => {
    const copy = readFileSync(SPEC_COPY, "utf8");
    expect(copy).toContain("title: DoorFlow API");
    // CI's clean clone has no shared folder; where it is there, the copy must not have drifted.
    if (existsSync(SHARED_SPEC)) expect(copy).toBe(readFileSync(SHARED_SPEC, "utf8"));
  });
});

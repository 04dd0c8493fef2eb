/**
 * The DoorFlow contract, and the account shapes: the grant → extension → offboarding story runs
 * against the default account and each shape (own credential types, own zone), and every request
 * Gatehouse sends and every answer the sandbox gives validate against DoorFlow's OpenAPI document.
 */
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_TIME_ZONE } from "../../tools/sandbox/doorflow/sandbox.js";
import { ACCOUNT_SHAPES } from "../../tools/sandbox/doorflow/shapes.js";
import type { AccountShape } from "../../tools/sandbox/doorflow/types.js";
import { checkRecorded, formatViolations } from "./check.js";
import { CARD_NUMBER, type Played, playGrantExtendOffboard } from "./story.js";

const ACCOUNTS: Array<{ name: string; shape?: AccountShape; timeZone: string }> = [
  { name: "default", timeZone: DEFAULT_SANDBOX_TIME_ZONE },
  ...Object.entries(ACCOUNT_SHAPES).map(([name, shape]) => ({ name, shape, timeZone: shape.timeZone })),
];

const played: Played[] = [];
afterAll(async () => {
  for (const p of played.splice(0)) await p.story.close();
});

describe.each(ACCOUNTS)("the $name account", ({ name, shape, timeZone }) => {
  it("runs grant → extension → offboarding, every exchange as the spec has it", async () => {
    // 1 March 2027 is a Monday; Sydney is in daylight saving then, New York and London not yet.
    const p = await playGrantExtendOffboard("2027-03-01", { timeZone, account: shape });
    played.push(p);
    const { story } = p;
    const sandbox = story.doorflow.sandbox;

    // Gatehouse found the account's zone (Honolulu answered as "Hawaii") and its card type.
    expect(story.gatehouse.timeZone).toBe(timeZone);
    const cardType = sandbox.state.credentialTypes.find((t) => t.kind === "value" && t.code === 100);
    const carla = sandbox.personBySystemId(p.card);
    expect(
      sandbox.state.credentials.find((c) => c.personId === carla?.id && c.credentialTypeId === cardType?.id)
        ?.value,
    ).toBe(CARD_NUMBER);

    expect(p.opens).toEqual({
      cardOnFirstDay: true,
      // The extension kept the groups past the first last day.
      cardAfterFirstLastDay: true,
      cardAfterOffboarding: false,
      mobileBeforeOffboarding: true,
      mobileAfterOffboarding: false,
      visitorOnVisit: true,
      visitorDayAfter: false,
    });
    expect(carla?.enabled).toBe(false);

    const result = checkRecorded(sandbox);
    console.warn(
      `DoorFlow contract, ${name} account: ${result.requests} requests and ${result.responses} responses validated, ${result.violations.length} violations`,
    );
    expect(formatViolations(result.violations)).toEqual([]);
    expect(result.requests).toBeGreaterThan(40);
  });
});

import { describe, expect, it } from "vitest";
import { ACTION, BLOCK, CALLBACK, FIELD } from "../../../src/slack/ids.js";
import { LABEL } from "../../../src/slack/views/labels.js";

describe("Slack ids", () => {
  it("keeps the ids listeners already match on", () => {
    expect(CALLBACK).toMatchObject({
      contractorRequest: "contractor_request",
      visitorRequest: "visitor_request",
      denyReason: "deny_reason",
    });
    expect(ACTION).toMatchObject({
      approve: "request_approve",
      deny: "request_deny",
      showPin: "show_pin",
      extend: "contractor_extend",
    });
    expect(FIELD.firstName).toEqual({ block: "first_name", action: "first_name_input" });
  });

  it("gives every field an action id that is its block id plus _input, and a label", () => {
    for (const [name, f] of Object.entries(FIELD)) {
      expect(f.action).toBe(`${f.block}_input`);
      expect(LABEL[name as keyof typeof LABEL]).toBeTruthy();
    }
  });

  it("never reuses an id within a kind, so one listener cannot catch another's events", () => {
    const unique = (values: string[]) => new Set(values).size === values.length;
    expect(unique(Object.values(CALLBACK))).toBe(true);
    expect(unique(Object.values(ACTION))).toBe(true);
    expect(unique([...Object.values(BLOCK), ...Object.values(FIELD).map((f) => f.block)])).toBe(true);
    expect(unique(Object.values(FIELD).map((f) => f.action))).toBe(true);
  });
});

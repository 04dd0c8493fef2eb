import { describe, expect, it } from "vitest";
import { BLOCK, CALLBACK, FIELD } from "../../../src/slack/ids.js";
import { buildContractorModal } from "../../../src/slack/views/contractor-modal.js";
import { buildVisitorModal } from "../../../src/slack/views/visitor-modal.js";
import { blockOf, inputLabels, slackLimitViolations, visibleText } from "./slack-checks.js";

const groups = [
  { id: 7, name: "Workshop" },
  { id: 3, name: "Main entrance" },
];
const base = { today: "2027-03-02", privateMetadata: '{"channel":"C1"}', maxDays: 183 };

describe("New contractor modal", () => {
  const view = buildContractorModal({ ...base, groups });

  it("has the product's title, buttons, callback and labels in order", () => {
    expect(view).toMatchObject({
      type: "modal",
      callback_id: CALLBACK.contractorRequest,
      title: { text: "New contractor" },
      submit: { text: "Request" },
      close: { text: "Cancel" },
      private_metadata: '{"channel":"C1"}',
    });
    expect(inputLabels(view)).toEqual([
      "First name",
      "Last name",
      "Email",
      "Company",
      "Access groups",
      "Start date",
      "End date",
      "Credential",
      "Card number",
      "Notes",
    ]);
    expect(slackLimitViolations(view)).toEqual([]);
  });

  it("uses the right element for each field, keyed by the shared ids", () => {
    expect(blockOf(view, FIELD.email.block)?.element).toMatchObject({
      type: "email_text_input",
      action_id: FIELD.email.action,
    });
    expect(blockOf(view, FIELD.startDate.block)?.element).toMatchObject({
      type: "datepicker",
      initial_date: "2027-03-02",
    });
    expect(blockOf(view, FIELD.endDate.block)).toMatchObject({
      element: { type: "datepicker", action_id: FIELD.endDate.action },
      hint: { text: "At most 183 days after the start date" },
    });
    expect(blockOf(view, FIELD.endDate.block)?.element.initial_date).toBeUndefined();
    expect(blockOf(view, FIELD.credential.block)?.element).toMatchObject({
      type: "radio_buttons",
      options: [
        { text: { text: "Card" }, value: "card" },
        { text: { text: "Mobile credential" }, value: "mobile" },
      ],
      initial_option: { value: "card" },
    });
    expect(blockOf(view, FIELD.cardNumber.block)).toMatchObject({
      optional: true,
      hint: { text: "Digits only; required for a card" },
    });
    expect(blockOf(view, FIELD.notes.block)).toMatchObject({ optional: true, element: { multiline: true } });
    expect(blockOf(view, FIELD.firstName.block)?.optional).toBeUndefined();
  });

  it("lists DoorFlow's groups by name with their id as the value", () => {
    expect(blockOf(view, FIELD.accessGroups.block)?.element).toMatchObject({
      type: "multi_static_select",
      options: [
        { text: { text: "Main entrance" }, value: "3" },
        { text: { text: "Workshop" }, value: "7" },
      ],
    });
  });

  it("fills in earlier values when rebuilt, dropping groups that no longer exist", () => {
    const again = buildContractorModal({
      ...base,
      groups,
      initial: {
        firstName: "Ada",
        email: "ada@example.com",
        accessGroupIds: [7, 99],
        startDate: "2027-03-05",
        endDate: "2027-04-05",
        credential: "mobile",
        notes: "Night shifts",
      },
    });
    expect(blockOf(again, FIELD.firstName.block)?.element.initial_value).toBe("Ada");
    expect(blockOf(again, FIELD.email.block)?.element.initial_value).toBe("ada@example.com");
    expect(blockOf(again, FIELD.accessGroups.block)?.element.initial_options).toEqual([
      { text: { type: "plain_text", text: "Workshop", emoji: true }, value: "7" },
    ]);
    expect(blockOf(again, FIELD.startDate.block)?.element.initial_date).toBe("2027-03-05");
    expect(blockOf(again, FIELD.endDate.block)?.element.initial_date).toBe("2027-04-05");
    expect(blockOf(again, FIELD.credential.block)?.element.initial_option.value).toBe("mobile");
    expect(slackLimitViolations(again)).toEqual([]);
  });

  it("splits 150 groups into option groups so every one can be chosen", () => {
    const many = Array.from({ length: 150 }, (_, i) => ({
      id: i + 1,
      name: `Group ${String(i + 1).padStart(3, "0")}`,
    }));
    const big = buildContractorModal({ ...base, groups: many });
    const select = blockOf(big, FIELD.accessGroups.block)?.element;
    expect(select.options).toBeUndefined();
    expect(select.option_groups.map((g: { options: unknown[] }) => g.options.length)).toEqual([100, 50]);
    expect(select.option_groups[0].label.text).toBe("Group 001 – Group 100");
    const values = select.option_groups.flatMap((g: { options: { value: string }[] }) =>
      g.options.map((o) => o.value),
    );
    expect(new Set(values)).toEqual(new Set(many.map((g) => String(g.id))));
    expect(slackLimitViolations(big)).toEqual([]);
  });

  it("says so when even option groups cannot hold them all", () => {
    const huge = Array.from({ length: 10_050 }, (_, i) => ({
      id: i,
      name: `G${String(i).padStart(5, "0")}`,
    }));
    const view = buildContractorModal({ ...base, groups: huge });
    expect(slackLimitViolations(view)).toEqual([]);
    expect(visibleText(view)).toContain("50 more groups could not be listed here");
  });

  it("clamps a group name longer than Slack's option text", () => {
    const long = buildContractorModal({ ...base, groups: [{ id: 1, name: "Very long group ".repeat(10) }] });
    expect(slackLimitViolations(long)).toEqual([]);
    expect(blockOf(long, FIELD.accessGroups.block)?.element.options[0].text.text).toMatch(/…$/);
  });

  it("opens with a loading note and no inputs or submit while groups load", () => {
    const loading = buildContractorModal({ ...base, groups: "loading" });
    expect(loading.callback_id).toBe(CALLBACK.contractorRequest);
    expect(loading.private_metadata).toBe(base.privateMetadata);
    expect(loading.submit).toBeUndefined();
    expect(inputLabels(loading)).toEqual([]);
    expect(blockOf(loading, BLOCK.accessGroupsStatus)?.text.text).toBe(
      "Loading access groups from DoorFlow…",
    );
    expect(slackLimitViolations(loading)).toEqual([]);
  });

  it("explains what to do when DoorFlow cannot be reached, masking any token in the error", () => {
    const failed = buildContractorModal({
      ...base,
      groups: { error: "timeout; Authorization: Bearer abc.def" },
    });
    expect(failed.submit).toBeUndefined();
    const text = visibleText(failed);
    expect(text).toContain("DoorFlow could not be reached");
    expect(text).toContain("run */contractor* again");
    expect(text).not.toContain("abc.def");
    expect(slackLimitViolations(failed)).toEqual([]);
  });

  it("tells the requester to create groups first when DoorFlow has none", () => {
    const empty = buildContractorModal({ ...base, groups: [] });
    expect(empty.submit).toBeUndefined();
    expect(visibleText(empty)).toContain("no access groups in DoorFlow");
    expect(slackLimitViolations(empty)).toEqual([]);
  });

  it("refuses private_metadata Slack would reject rather than cut it", () => {
    expect(() => buildContractorModal({ ...base, groups, privateMetadata: "x".repeat(3001) })).toThrow(
      RangeError,
    );
  });
});

describe("New visitor modal", () => {
  const doors = [
    { id: 11, name: "Front door" },
    { id: 12, name: "Lift lobby" },
  ];
  const view = buildVisitorModal({ doors, today: "2027-03-02", privateMetadata: "" });

  it("has the product's title, labels and an optional email", () => {
    expect(view).toMatchObject({
      callback_id: CALLBACK.visitorRequest,
      title: { text: "New visitor" },
      submit: { text: "Request" },
    });
    expect(inputLabels(view)).toEqual(["First name", "Last name", "Email", "Company", "Doors", "Visit date"]);
    expect(blockOf(view, FIELD.email.block)).toMatchObject({
      optional: true,
      element: { type: "email_text_input" },
    });
    expect(blockOf(view, FIELD.doors.block)?.element).toMatchObject({
      type: "multi_static_select",
      action_id: FIELD.doors.action,
      options: [{ value: "11" }, { value: "12" }],
    });
    expect(blockOf(view, FIELD.visitDate.block)?.element).toMatchObject({
      type: "datepicker",
      action_id: FIELD.visitDate.action,
      initial_date: "2027-03-02",
    });
    expect(slackLimitViolations(view)).toEqual([]);
  });

  it("shows loading and failure states for doors without a submit button", () => {
    const loading = buildVisitorModal({ doors: "loading", today: "2027-03-02", privateMetadata: "" });
    expect(blockOf(loading, BLOCK.doorsStatus)?.text.text).toBe("Loading doors from DoorFlow…");
    const failed = buildVisitorModal({ doors: { error: "503" }, today: "2027-03-02", privateMetadata: "" });
    expect(visibleText(failed)).toContain("/contractor visitor");
    for (const v of [loading, failed]) {
      expect(v.submit).toBeUndefined();
      expect(slackLimitViolations(v)).toEqual([]);
    }
  });
});

/** The matrix's rows for the slash commands: /contractor and its sub-commands, /offboard and its. */
import { addDays } from "../../src/lib/time.js";
import { CAST } from "../../tools/sandbox/story.js";
import { ACTION, bulkEmailsField, CALLBACK } from "../../src/slack/ids.js";
import { contractorValues, visitorValues } from "../helpers/forms.js";
import {
  as,
  command,
  extensionsBy,
  notARequester,
  onlyOperators,
  requestsBy,
  type Row,
  submit,
} from "./attempt.js";
import * as f from "./fixtures.js";

export const COMMAND_ROWS: Record<string, Row> = {
  "/contractor new": {
    refusal: notARequester,
    // The form lists DoorFlow's access groups.
    hidden: /"callback_id":"contractor_request"|Server room/,
    async attempt(s, userId) {
      const who = f.unique("New");
      const shown = await as(s, userId, async () => [
        await command(s, userId, "/contractor", "new"),
        await submit(
          s,
          userId,
          CALLBACK.contractorRequest,
          contractorValues(f.contractorInput(s, who)) as never,
        ),
      ]);
      return { effect: requestsBy(s, userId, who.email).n === 1, shown };
    },
  },
  "/contractor visitor": {
    refusal: notARequester,
    hidden: /"callback_id":"visitor_request"|Main entrance/,
    async attempt(s, userId) {
      const who = f.unique("Visitor");
      const values = visitorValues({
        firstName: "Vee",
        lastName: who.lastName,
        email: who.email,
        company: "Grid",
        doorIds: [1340],
        visitDate: f.today(s),
      });
      const shown = await as(s, userId, async () => [
        await command(s, userId, "/contractor", "visitor"),
        await submit(s, userId, CALLBACK.visitorRequest, values as never),
      ]);
      return { effect: requestsBy(s, userId, who.email).n === 1, shown };
    },
  },
  "/contractor buzzin": {
    refusal: notARequester,
    hidden: new RegExp(`"callback_id":"${CALLBACK.buzzinRequest}"`),
    async attempt(s, userId) {
      const who = f.unique("Permit");
      const shown = await as(s, userId, async () => [
        await command(s, userId, "/contractor", "buzzin"),
        await submit(s, userId, CALLBACK.buzzinRequest, f.buzzinInput(s, who) as never),
      ]);
      const effect = requestsBy(s, userId, who.email).n === 1;
      // Left pending, it would push the App Home rows' own request past the ten approvals shown.
      s.gatehouse.db.$client
        .prepare("update access_requests set state = 'denied' where email = ? and state = 'requested'")
        .run(who.email);
      return { effect, shown };
    },
  },
  "/contractor list": {
    async attempt(s, userId) {
      const { managed } = await f.activeContractor(s);
      const shown = await as(s, userId, async () => [await command(s, userId, "/contractor", "list")]);
      return { effect: shown.includes(managed.lastName), shown };
    },
  },
  "/contractor status": {
    async attempt(s, userId) {
      const { managed } = await f.activeContractor(s);
      const shown = await as(s, userId, async () => [
        await command(s, userId, "/contractor", `status ${managed.email}`),
      ]);
      return { effect: shown.includes(managed.lastName), shown };
    },
  },
  "/contractor audit": {
    refusal: /Only operators can read the audit trail/,
    async attempt(s, userId) {
      const { managed } = await f.activeContractor(s);
      const shown = await as(s, userId, async () => [
        await command(s, userId, "/contractor", `audit ${managed.email}`),
      ]);
      return { effect: shown.includes("request.approved"), shown };
    },
  },
  "/contractor extend": {
    refusal: notARequester,
    async attempt(s, userId) {
      const { managed } = await f.activeContractor(s);
      const shown = await as(s, userId, async () => [
        await command(s, userId, "/contractor", `extend ${managed.email}`),
        await submit(
          s,
          userId,
          CALLBACK.extensionRequest,
          f.extensionValues(managed.id, addDays(f.today(s), 20)),
        ),
      ]);
      return { effect: extensionsBy(s, userId, managed.id).n === 1, shown };
    },
  },
  "/contractor help": {
    async attempt(s, userId) {
      const shown = await as(s, userId, async () => [await command(s, userId, "/contractor", "help")]);
      // Everyone gets help; the approving and offboarding parts only for those who can use them.
      const sections =
        shown.includes("*Approving*") === (userId === CAST.approver.id) &&
        shown.includes("*Offboarding*") === (userId === CAST.operator.id);
      return { effect: shown.includes("Gatehouse commands") && sections, shown };
    },
  },
  "/offboard <email>": {
    refusal: onlyOperators,
    async attempt(s, userId) {
      const person = await f.doorflowPerson(s);
      const shown = await as(s, userId, async () => [await command(s, userId, "/offboard", person.email)]);
      return { effect: shown.includes(ACTION.offboardNow) && shown.includes(person.name), shown };
    },
  },
  "/offboard bulk": {
    refusal: onlyOperators,
    async attempt(s, userId) {
      const person = await f.doorflowPerson(s);
      const box = bulkEmailsField(1);
      const values = {
        [box.block]: { [box.action]: { type: "plain_text_input", value: person.email } },
      } as never;
      const shown = await as(s, userId, async () => [
        await command(s, userId, "/offboard", "bulk"),
        await submit(s, userId, CALLBACK.offboardBulk, values),
      ]);
      return { effect: !f.isEnabled(s, person.id), shown };
    },
  },
  "/offboard help": {
    refusal: onlyOperators,
    async attempt(s, userId) {
      const shown = await as(s, userId, async () => [await command(s, userId, "/offboard", "help")]);
      return { effect: shown.includes("/offboard bulk"), shown };
    },
  },
};

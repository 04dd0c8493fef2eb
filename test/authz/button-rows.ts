/** The matrix's rows for the buttons, on messages and on App Home, and for what App Home shows. */
import { getAccessRequest } from "../../src/db/repositories/access-requests.js";
import { getExtension } from "../../src/db/repositories/extensions.js";
import { getManagedPerson } from "../../src/db/repositories/managed-people.js";
import { findOpenOffboarding } from "../../src/db/repositories/offboardings.js";
import { addDays } from "../../src/lib/time.js";
import { decideRequest } from "../../src/domain/requests.js";
import { CAST, CHANNELS } from "../../tools/sandbox/story.js";
import { ACTION, CALLBACK, FIELD } from "../../src/slack/ids.js";
import {
  as,
  click,
  extensionsBy,
  home,
  notARequester,
  onlyApprovers,
  onlyOperators,
  reason,
  type Row,
  submit,
} from "./attempt.js";
import * as f from "./fixtures.js";

export const BUTTON_ROWS: Record<string, Row> = {
  Approve: {
    refusal: onlyApprovers,
    async attempt(s, userId) {
      const r = await f.pendingRequest(s);
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.approve, r.id, { ts: r.ts, channel: CHANNELS.approval }),
      ]);
      return {
        effect:
          getAccessRequest(s.gatehouse.db, r.id)?.state === "active" &&
          !!s.doorflow.sandbox.personBySystemId(r.id),
        shown,
      };
    },
  },
  "Approve (existing DoorFlow person)": {
    refusal: /Only approvers|only an operator can approve it/,
    async attempt(s, userId) {
      const r = await f.existingPersonRequest(s);
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.approve, r.id, { ts: r.ts, channel: CHANNELS.approval }),
      ]);
      const person = s.doorflow.sandbox.state.people.find((p) => p.id === r.personId);
      const effect = getAccessRequest(s.gatehouse.db, r.id)?.state === "active" && !!person?.enabled;
      // Denied once judged, so refused cells do not crowd other cells' requests off App Home.
      await decideRequest(s.gatehouse.deps, { requestId: r.id, userId: CAST.approver2.id, outcome: "deny" });
      return { effect, shown };
    },
  },
  Deny: {
    refusal: onlyApprovers,
    async attempt(s, userId) {
      const r = await f.pendingRequest(s);
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.deny, r.id, { ts: r.ts, channel: CHANNELS.approval }),
        await submit(s, userId, CALLBACK.denyReason, reason, r.id),
      ]);
      return { effect: getAccessRequest(s.gatehouse.db, r.id)?.state === "denied", shown };
    },
  },
  "Show PIN": {
    refusal: /Only the requester can see this PIN/,
    async attempt(s, userId) {
      const { requestId } = await f.activeContractor(s);
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.showPin, requestId, undefined),
      ]);
      return { effect: shown.includes(CALLBACK.pinView), shown };
    },
  },
  Extend: {
    refusal: notARequester,
    async attempt(s, userId) {
      const { managed } = await f.activeContractor(s);
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.extend, String(managed.id), undefined),
        await submit(
          s,
          userId,
          CALLBACK.extensionRequest,
          f.extensionValues(managed.id, addDays(f.today(s), 25)),
        ),
      ]);
      return { effect: extensionsBy(s, userId, managed.id).n === 1, shown };
    },
  },
  "Extension Approve": {
    refusal: /Only approvers can approve or deny extensions/,
    async attempt(s, userId) {
      const e = await f.pendingExtension(s);
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.extensionApprove, e.extensionId, {
          ts: e.ts,
          channel: CHANNELS.approval,
        }),
      ]);
      return { effect: getExtension(s.gatehouse.db, e.extensionId)?.state === "applied", shown };
    },
  },
  "Extension Deny": {
    refusal: /Only approvers can approve or deny extensions/,
    async attempt(s, userId) {
      const e = await f.pendingExtension(s);
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.extensionDeny, e.extensionId, { ts: e.ts, channel: CHANNELS.approval }),
        await submit(s, userId, CALLBACK.extensionDenyReason, reason, e.extensionId),
      ]);
      return { effect: getExtension(s.gatehouse.db, e.extensionId)?.state === "denied", shown };
    },
  },
  "Offboard now": {
    refusal: onlyOperators,
    async attempt(s, userId) {
      const person = await f.doorflowPerson(s);
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.offboardNow, String(person.id), undefined),
      ]);
      return { effect: !f.isEnabled(s, person.id), shown };
    },
  },
  "Offboard now (Buzz-in)": {
    refusal: onlyOperators,
    async attempt(s, userId) {
      const managed = await f.buzzinContractor(s);
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.offboardBuzzinNow, String(managed.id), undefined),
      ]);
      return { effect: getManagedPerson(s.gatehouse.db, managed.id)?.status === "offboarded", shown };
    },
  },
  "Reissue pass (Buzz-in)": {
    refusal: /Only the person who asked for this contractor, or an operator/,
    async attempt(s, userId) {
      const managed = await f.buzzinContractor(s);
      const permit = () =>
        s.buzzin?.sandbox.state.permits.find((p) => p.contractorId === f.buzzinContractorId(s, managed));
      const before = permit()?.accessCode;
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.reissuePass, String(managed.id), undefined),
      ]);
      await s.buzzin?.sandbox.settled();
      await s.gatehouse.idle();
      return { effect: permit()?.accessCode !== before, shown };
    },
  },
  "Schedule…": {
    refusal: onlyOperators,
    async attempt(s, userId) {
      const person = await f.doorflowPerson(s);
      const lastDay = {
        [FIELD.lastDay.block]: {
          [FIELD.lastDay.action]: { type: "datepicker", selected_date: addDays(f.today(s), 3) },
        },
      } as never;
      const shown = await as(s, userId, async () => [
        await click(
          s,
          userId,
          ACTION.offboardSchedule,
          JSON.stringify({ personId: person.id, name: person.name }),
          undefined,
        ),
        await submit(s, userId, CALLBACK.offboardSchedule, lastDay, String(person.id)),
      ]);
      return { effect: findOpenOffboarding(s.gatehouse.db, person.id) !== undefined, shown };
    },
  },
  Retry: {
    refusal: /Only Gatehouse operators can retry/,
    async attempt(s, userId) {
      const failed = await f.failedOffboarding(s);
      const at = { ts: failed.ts, channel: CHANNELS.security };
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.retry, String(failed.offboardingId), at),
      ]);
      return { effect: !f.isEnabled(s, failed.person.id), shown };
    },
  },
  "Card collected": {
    refusal: /Only Gatehouse operators can confirm/,
    async attempt(s, userId) {
      const card = await f.cardReminder(s);
      const at = { ts: card.ts, channel: CHANNELS.facilities };
      const shown = await as(s, userId, async () => [
        await click(s, userId, ACTION.cardCollected, String(card.managedId), at),
      ]);
      return { effect: getManagedPerson(s.gatehouse.db, card.managedId)?.cardCollectedAt != null, shown };
    },
  },
  "App Home: a pending request with Approve and Deny": {
    async attempt(s, userId) {
      const r = await f.pendingRequest(s);
      const shown = await home(s, userId);
      return {
        effect: shown.includes(`"action_id":"${ACTION.approve}"`) && shown.includes(`"value":"${r.id}"`),
        shown,
      };
    },
  },
  "App Home: a contractor the requester asked for": {
    async attempt(s, userId) {
      const { managed } = await f.activeContractor(s);
      const shown = await home(s, userId);
      return { effect: shown.includes(managed.lastName), shown };
    },
  },
  "App Home: a failed offboarding with Retry": {
    async attempt(s, userId) {
      const failed = await f.failedOffboarding(s);
      const shown = await home(s, userId);
      return {
        effect:
          shown.includes(`"action_id":"${ACTION.retry}"`) &&
          shown.includes(`"value":"${failed.offboardingId}"`),
        shown,
      };
    },
  },
};

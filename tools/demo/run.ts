/**
 * `npm run demo`: the whole story with no Slack or DoorFlow account. It starts the DoorFlow
 * sandbox and a stand-in for Slack's Web API on loopback, runs the real bot in HTTP mode on a
 * throw-away SQLite file, plays the requester and the approvers through Slack-signed requests, and
 * prints what Slack would show them, then the state DoorFlow is left in. A Buzz-in community (its
 * sandbox, firing real webhooks at the bot) shows the second provider.
 */
import { request } from "undici";
import { hrSignatureHeaders } from "../../src/http/hr-signature.js";
import { createLogger } from "../../src/lib/logger.js";
import { addDays, formatLocal, localDateOf } from "../../src/lib/time.js";
import { isPinType } from "../sandbox/doorflow/model.js";
import { renderBlocks, renderView } from "../sandbox/slack/render.js";
import { CAST, CHANNELS, startStory, type Story } from "../sandbox/story.js";
import { ACTION, CALLBACK, FIELD, type FieldName } from "../../src/slack/ids.js";

const say = (text = "") => console.log(text);
const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `    │ ${l}`)
    .join("\n");

function scene(title: string): void {
  say();
  say(`━━ ${title} ${"━".repeat(Math.max(0, 92 - title.length))}`);
}

type Values = Record<string, Record<string, Record<string, unknown>>>;
function field(values: Values, name: FieldName, state: Record<string, unknown>): void {
  values[FIELD[name].block] = { [FIELD[name].action]: state };
}
const text = (value: string) => ({ type: "plain_text_input", value });
const date = (selected_date: string) => ({ type: "datepicker", selected_date });
const options = (ids: number[]) => ({
  type: "multi_static_select",
  selected_options: ids.map((id) => ({ value: String(id), text: { type: "plain_text", text: String(id) } })),
});

function latestView(story: Story, callbackId: string): unknown {
  return [...story.slack.views.values()].reverse().find((v) => v.view.callback_id === callbackId)?.view;
}

function approvalFor(story: Story): { ts: string; id: string } {
  const message = story.slack.messages(CHANNELS.approval).at(-1);
  const id = /"value":"(gh_[A-Za-z0-9_-]+)"/.exec(JSON.stringify(message?.blocks))?.[1];
  if (!message || !id) throw new Error("the approval message did not arrive");
  return { ts: message.ts, id };
}

/** The requester submits a request modal and an approver approves it at once. */
async function submitAndApprove(
  story: Story,
  callbackId: string,
  values: Values,
  approverId: string,
): Promise<{ ts: string; id: string }> {
  await story.driver.viewSubmission({ userId: CAST.requester.id, callbackId, values: values as never });
  await story.gatehouse.idle();
  const request = approvalFor(story);
  await story.driver.blockAction({
    userId: approverId,
    actionId: ACTION.approve,
    value: request.id,
    message: { ts: request.ts, channel: CHANNELS.approval },
  });
  await story.gatehouse.idle();
  return request;
}

function showMessage(where: string, message: { text: string; blocks: unknown } | undefined): void {
  say(`  ${where}:`);
  say(indent(message ? renderBlocks(message.blocks) || message.text : "(nothing)"));
}

function dmTo(story: Story, userId: string) {
  return story.slack
    .callsTo("chat.postMessage")
    .filter((c) => c.args.channel === userId)
    .map((c) => ({ text: typeof c.args.text === "string" ? c.args.text : "", blocks: c.args.blocks ?? [] }));
}

const DEMO_HR_SECRET = "demo-hr-webhook-secret-0123456789";

/** The HR system says Amelia has left: a signed webhook, and her door access ends with nobody typing. */
async function hrLeaver(story: Story): Promise<void> {
  scene("HR marks Amelia Hart as terminated: a signed webhook to POST /webhooks/hr");
  const amelia = story.doorflow.sandbox.state.people.find(
    (p) => p.email === "amelia.hart@harbourside.example",
  );
  say(`  Before: DoorFlow person ${amelia?.id} Amelia Hart, enabled=${amelia?.enabled}`);
  const body = JSON.stringify({
    id: "bamboohr-evt-58213",
    type: "employee.terminated",
    email: "amelia.hart@harbourside.example",
    name: "Amelia Hart",
  });
  const res = await request(`${story.gatehouse.http.url}/webhooks/hr`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...hrSignatureHeaders(DEMO_HR_SECRET, body) },
  });
  say(`  Gatehouse answered ${res.statusCode} ${await res.body.text()}`);
  await story.gatehouse.idle();
  showMessage("#security-alerts", story.slack.messages(CHANNELS.security).at(-1));
  showMessage("#facilities", story.slack.messages(CHANNELS.facilities).at(-1));
  say(`  After: Amelia Hart enabled=${amelia?.enabled} (disabled, never deleted)`);
  if (amelia?.enabled !== false) throw new Error("the HR event did not offboard Amelia");
}

async function main(): Promise<void> {
  const logs: string[] = [];
  const story = await startStory({
    logger: createLogger({ level: "info", write: (l) => logs.push(l) }),
    buzzin: true,
    env: { HR_WEBHOOK_SECRET: DEMO_HR_SECRET },
  });
  const { driver, gatehouse, slack } = story;
  const tz = gatehouse.timeZone;
  const today = localDateOf(new Date(), tz);
  try {
    say("Gatehouse demo: the real bot against the bundled DoorFlow sandbox and a local Slack stand-in.");
    say(
      `DoorFlow sandbox ${story.doorflow.url} (account time zone ${tz}); bot on ${gatehouse.http.url}/slack/events`,
    );
    say(
      `Cast: requester @${CAST.requester.name}, approvers @${CAST.approver.name} and @${CAST.approver2.name}.`,
    );

    scene(`@${CAST.requester.name} types /contractor`);
    const cmd = await driver.command({ command: "/contractor", text: "", userId: CAST.requester.id });
    await gatehouse.idle();
    say(`  Slack got its acknowledgement in ${cmd.ms.toFixed(0)} ms; the modal "New contractor":`);
    say(indent(renderView(latestView(story, CALLBACK.contractorRequest))));

    scene("She asks for 200 days by mistake: the error shows on the field");
    const values: Values = {};
    field(values, "firstName", text("Jo"));
    field(values, "lastName", text("Builder"));
    field(values, "email", { type: "email_text_input", value: "jo.builder@acme-fitouts.example" });
    field(values, "company", text("Acme Fit-outs"));
    field(values, "accessGroups", options([5122, 5123]));
    field(values, "startDate", date(today));
    field(values, "endDate", date(addDays(today, 200)));
    field(values, "credential", {
      type: "radio_buttons",
      selected_option: { value: "card", text: { type: "plain_text", text: "Card" } },
    });
    field(values, "cardNumber", text("88012345"));
    field(values, "notes", text("Fitting out the loading bay, weekdays"));
    const refused = await driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.contractorRequest,
      values: values as never,
    });
    say(`  Slack answer: ${JSON.stringify(refused.body)}`);

    scene("She fixes the end date (six weeks) and submits");
    field(values, "endDate", date(addDays(today, 42)));
    await driver.viewSubmission({
      userId: CAST.requester.id,
      callbackId: CALLBACK.contractorRequest,
      values: values as never,
    });
    await gatehouse.idle();
    const contractor = approvalFor(story);
    showMessage("#access-approvals", slack.messages(CHANNELS.approval).at(-1));
    showMessage(`DM to @${CAST.requester.name}`, dmTo(story, CAST.requester.id).at(-1));

    scene(`@${CAST.stranger.name}, who is not an approver, clicks Approve`);
    const ownClick = { message: { ts: contractor.ts, channel: CHANNELS.approval } };
    await driver.blockAction({
      userId: CAST.stranger.id,
      actionId: ACTION.approve,
      value: contractor.id,
      ...ownClick,
    });
    await gatehouse.idle();
    say(
      `  to @${CAST.stranger.name} only: ${
        slack
          .messages()
          .filter((m) => m.ephemeralTo === CAST.stranger.id)
          .at(-1)?.text
      }`,
    );

    scene(`@${CAST.approver.name} and @${CAST.approver2.name} both click Approve at the same moment`);
    const started = performance.now();
    await Promise.all([
      driver.blockAction({
        userId: CAST.approver.id,
        actionId: ACTION.approve,
        value: contractor.id,
        ...ownClick,
      }),
      driver.blockAction({
        userId: CAST.approver2.id,
        actionId: ACTION.approve,
        value: contractor.id,
        ...ownClick,
      }),
    ]);
    await gatehouse.idle();
    say(`  provisioned and told in ${(performance.now() - started).toFixed(0)} ms`);
    showMessage(
      "#access-approvals (updated in place)",
      slack.messages(CHANNELS.approval).find((m) => m.ts === contractor.ts),
    );
    const late = slack
      .messages()
      .filter((m) => m.ephemeralTo && m.text.startsWith("Already"))
      .at(-1);
    say(`  to the slower approver only: ${late?.text ?? "(none)"}`);
    showMessage(
      `DM to @${CAST.requester.name} (the only place the PIN appears)`,
      dmTo(story, CAST.requester.id).at(-1),
    );

    scene(`@${CAST.requester.name} books a visitor for today: /contractor visitor`);
    await driver.command({ command: "/contractor", text: "visitor", userId: CAST.requester.id });
    await gatehouse.idle();
    const visitor: Values = {};
    field(visitor, "firstName", text("Vera"));
    field(visitor, "lastName", text("Visitor"));
    field(visitor, "email", { type: "email_text_input", value: null });
    field(visitor, "company", text("Northwind Audit"));
    field(visitor, "doors", options([1340, 1341]));
    field(visitor, "visitDate", date(today));
    const visit = await submitAndApprove(story, CALLBACK.visitorRequest, visitor, CAST.approver2.id);
    showMessage(`DM to @${CAST.requester.name}`, dmTo(story, CAST.requester.id).at(-1));

    scene(`@${CAST.requester.name} asks for a contractor in the Buzz-in community: /contractor buzzin`);
    const buzzin = story.buzzin;
    if (!buzzin) throw new Error("the demo starts the Buzz-in sandbox");
    await driver.command({ command: "/contractor", text: "buzzin", userId: CAST.requester.id });
    await gatehouse.idle();
    const community = gatehouse.deps.settings.buzzinTimeZone;
    const communityToday = localDateOf(new Date(), community);
    const permitForm: Values = {};
    const texts: Array<[FieldName, string]> = [
      ["firstName", "Omar"],
      ["lastName", "Haddad"],
      ["phone", "+971500000123"],
      ["company", "Fitout Co LLC"],
      ["tradeLicenseUrl", "https://files.fitout.example/licence.pdf"],
      ["salesforceId", "0035g00000ABCDE"],
      ["property", "DAMAC-TWR-07"],
      ["unit", "UNIT-0712"],
      ["jobsSummary", "Full interior fit-out of unit 0712."],
      ["nocUrl", "https://files.fitout.example/noc-12345.pdf"],
      ["nocNumber", "NOC-12345"],
      ["representativeName", "Yusuf Karim"],
      ["representativePhone", "+971501234567"],
      ["employees", "Ali Hassan, +971501112233\nSara Khan, +971504445566"],
    ];
    for (const [name, value] of texts) field(permitForm, name, text(value));
    field(permitForm, "email", { type: "email_text_input", value: "omar.haddad@fitout.example" });
    field(permitForm, "tradeLicenseExpiry", date(addDays(communityToday, 300)));
    field(permitForm, "startDate", date(communityToday));
    field(permitForm, "endDate", date(addDays(communityToday, 30)));
    field(permitForm, "timeIn", { type: "timepicker", selected_time: "08:00" });
    field(permitForm, "timeOut", { type: "timepicker", selected_time: "18:00" });
    field(permitForm, "nocIssueDate", date(addDays(communityToday, -10)));
    field(permitForm, "nocExpiryDate", date(addDays(communityToday, 60)));
    await submitAndApprove(story, CALLBACK.buzzinRequest, permitForm, CAST.approver.id);
    showMessage(`DM to @${CAST.requester.name}`, dmTo(story, CAST.requester.id).at(-1));
    const settle = async () => {
      await buzzin.sandbox.settled();
      await new Promise((resolve) => setImmediate(resolve));
      await gatehouse.idle();
    };
    const pending = buzzin.sandbox.state.contractors.at(-1);
    say(
      `  In Buzz-in: contractor ${pending?.id ?? "?"} (${pending?.email ?? "?"}), approved=${pending?.approved}`,
    );
    scene("The community admin approves Omar in Buzz-in's dashboard; Buzz-in then accepts the permit");
    buzzin.sandbox.approveContractor(pending?.id ?? "");
    await settle();
    const permit = buzzin.sandbox.state.permits.at(-1);
    say(
      `  On the webhook Gatehouse created permit ${permit?.id ?? "?"} (salesforcePermitId ${permit?.salesforcePermitId ?? "?"}) and submitted it: ${permit?.status}, valid ${permit ? formatLocal(permit.validFrom, community) : "?"} → ${permit ? formatLocal(permit.validTill, community) : "?"}, ${permit?.employees.length ?? 0} employees`,
    );
    buzzin.sandbox.acceptPermit(permit?.id ?? "");
    await settle();
    const passDm = dmTo(story, CAST.requester.id).at(-1);
    showMessage(`DM to @${CAST.requester.name} (the only place the access code appears)`, passDm);

    scene(`The code was shared by mistake: @${CAST.requester.name} clicks "Reissue pass"`);
    const button = (passDm?.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === ACTION.reissuePass);
    await driver.blockAction({
      userId: CAST.requester.id,
      actionId: ACTION.reissuePass,
      value: button?.value ?? "",
    });
    await settle();
    say(
      `  In Buzz-in: permit ${permit?.id ?? "?"} has a new code; ${permit?.formerCodes.length ?? 0} old code(s) no longer work`,
    );
    showMessage(`DM to @${CAST.requester.name}`, dmTo(story, CAST.requester.id).at(-1));

    scene("DoorFlow at the end");
    const sandbox = story.doorflow.sandbox;
    for (const id of [contractor.id, visit.id]) {
      const person = sandbox.personBySystemId(id);
      if (!person) continue;
      say(
        `  person ${person.id} ${person.firstName} ${person.lastName} <${person.email ?? "no email"}>: enabled=${person.enabled}, valid ${person.validFrom} → ${person.validTo}, system_id ${person.systemId}`,
      );
      for (const c of sandbox.state.credentials.filter((x) => x.personId === person.id)) {
        const type = sandbox.state.credentialTypes.find((t) => t.id === c.credentialTypeId);
        say(
          `    credential ${type?.label}: ${type && isPinType(type) ? "•••• (only in the requester's DM)" : c.value}`,
        );
      }
      for (const g of sandbox.state.groupReservations.filter((x) => x.personId === person.id)) {
        const names = g.groupIds
          .map((gid) => sandbox.state.groups.find((x) => x.id === gid)?.name)
          .join(", ");
        say(
          `    group reservation ${g.id}: ${names}, ${formatLocal(g.startTime, tz)} → ${formatLocal(g.endTime, tz)}`,
        );
      }
      for (const r of sandbox.state.reservations.filter((x) => x.personId === person.id)) {
        const names = r.channelIds
          .map((cid) => sandbox.state.channels.find((x) => x.id === cid)?.name)
          .join(", ");
        say(
          `    reservation ${r.id}: ${names}, ${formatLocal(r.startTime, tz)} → ${formatLocal(r.endTime, tz)}`,
        );
      }
    }
    const syncs = sandbox.calls.filter((c) => c.path === "/api/3/sync");
    say(
      `  sync requested ${syncs.length} time(s) (debounced; DoorFlow allows one per 30 s): ${syncs.map((c) => c.status).join(", ")}`,
    );
    const offboard = gatehouse.deps.settings.offboardingDueAt(addDays(today, 42));
    say(
      `  Jo's offboarding is scheduled for ${formatLocal(offboard, tz)} (the first OFFBOARD_CRON run on her last day).`,
    );
    await hrLeaver(story);
    say();
    say(`The bot wrote ${logs.length} log lines (JSON); none holds a PIN, an access code or a token.`);
  } finally {
    await story.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * `/offboard <email | @user>`: who would be offboarded, shown only to the operator who asked, with
 * "Offboard now", "Schedule…" and "Cancel"; and the answers when several people or nobody match.
 * A PIN's value never reaches these builders (the preview carries only its label).
 */
import type { ActionsBlock, Button, KnownBlock } from "@slack/types";
import type { OffboardPreview } from "../../domain/offboard-requests.js";
import type { BuzzinMatch, DoorFlowMatch } from "../../domain/use-cases/preview-offboarding.js";
import { formatLocal, formatLocalDate } from "../../lib/time.js";
import { ACTION, BLOCK } from "../ids.js";
import { SLACK_LIMITS } from "./limits.js";
import { buildNoticeMessage } from "./notices.js";
import type { Mrkdwn, SlackMessage } from "./text.js";
import { clamp, context, fieldsSection, header, linesToSections, mrkdwn, plain, section } from "./text.js";

export const OFFBOARD_REFUSAL = "Only Gatehouse operators can offboard people. Ask your security team.";

/** The refusal, to the clicker alone and beside the message clicked. */
export function offboardRefusal(): SlackMessage & { response_type: "ephemeral"; replace_original: false } {
  return { response_type: "ephemeral", replace_original: false, ...buildNoticeMessage(OFFBOARD_REFUSAL) };
}

const OFFBOARD_BUTTON = { now: "Offboard now", schedule: "Schedule…", cancel: "Cancel" } as const;

/** What the "Schedule…" button carries: the modal needs the name, and an ephemeral click brings no message. */
interface ScheduleButtonValue {
  personId: number;
  name: string;
  /** The last day already scheduled, to start the picker there. */
  lastDay?: string;
}

function offboardNowButton(personId: number, name: string): Button {
  return {
    type: "button",
    action_id: ACTION.offboardNow,
    text: plain(OFFBOARD_BUTTON.now, SLACK_LIMITS.buttonText),
    style: "danger",
    value: String(personId),
    confirm: {
      title: plain("Offboard now?", 100),
      text: plain(
        `${name} is disabled in DoorFlow at once and loses every reservation. They are not deleted.`,
        300,
      ),
      confirm: plain("Offboard now", 30),
      deny: plain("Go back", 30),
      style: "danger",
    },
  };
}

export function offboardActions(
  personId: number,
  name: string,
  options: { withSchedule?: boolean; lastDay?: string } = {},
): ActionsBlock {
  const withSchedule = options.withSchedule ?? true;
  const value: ScheduleButtonValue = {
    personId,
    name: clamp(name, 200),
    ...(options.lastDay ? { lastDay: options.lastDay } : {}),
  };
  return {
    type: "actions",
    block_id: BLOCK.offboardActions,
    elements: [
      offboardNowButton(personId, name),
      ...(withSchedule
        ? [
            {
              type: "button" as const,
              action_id: ACTION.offboardSchedule,
              text: plain(OFFBOARD_BUTTON.schedule, SLACK_LIMITS.buttonText),
              value: JSON.stringify(value),
            },
          ]
        : []),
      {
        type: "button",
        action_id: ACTION.offboardCancel,
        text: plain(OFFBOARD_BUTTON.cancel, SLACK_LIMITS.buttonText),
        value: String(personId),
      },
    ],
  };
}

function credentialsText(p: OffboardPreview): Mrkdwn {
  if (p.credentials.length === 0) return mrkdwn`none`;
  const parts = p.credentials.map((c) => (c.value ? `${c.label} ${c.value}` : c.label));
  return mrkdwn`${parts.join(", ")}`;
}

function managedText(p: OffboardPreview): Mrkdwn {
  const m = p.managed;
  if (!m) return mrkdwn`No: Gatehouse did not create them`;
  if (m.status !== "active") return mrkdwn`Yes (${m.kind}), ${m.status}`;
  return mrkdwn`Yes (${m.kind}), last day ${formatLocalDate(m.endDate)}`;
}

function scheduledText(p: OffboardPreview, timeZone: string): Mrkdwn | null {
  if (!p.scheduled) return null;
  return mrkdwn`Last day ${formatLocalDate(p.scheduled.lastDay)}: offboarded at ${formatLocal(p.scheduled.dueAt, timeZone)}`;
}

function accessLines(p: OffboardPreview, timeZone: string): Mrkdwn[] {
  const when = (iso: string) => formatLocal(new Date(iso), timeZone);
  return [
    ...p.groupReservations.map(
      (g) => mrkdwn`• Groups ${g.groups.join(", ") || "—"} (${g.state}, until ${when(g.end)})`,
    ),
    ...p.reservations.map(
      (r) => mrkdwn`• Doors ${r.doors.join(", ") || "—"} (${when(r.start)} – ${when(r.end)})`,
    ),
  ];
}

function buildOffboardPreview(p: OffboardPreview, timeZone: string): SlackMessage {
  const { person } = p;
  const who = person.email ? mrkdwn`${person.name}\n${person.email}` : mrkdwn`${person.name}`;
  const access = accessLines(p, timeZone);
  const blocks: KnownBlock[] = [
    header(`Offboard ${person.name}?`),
    fieldsSection([
      ["Person", who],
      ["In DoorFlow", person.enabled ? mrkdwn`Enabled` : mrkdwn`Already disabled`],
      ["Credentials", credentialsText(p)],
      ["Managed by Gatehouse", managedText(p)],
      ["Scheduled", scheduledText(p, timeZone)],
      ["DoorFlow person", mrkdwn`${person.id}`],
    ]),
  ];
  if (access.length === 0) blocks.push(section(mrkdwn`*Active reservations*\nNone.`));
  else {
    blocks.push(section(mrkdwn`*Active reservations and group reservations*`));
    blocks.push(...linesToSections(access, 5).blocks);
  }
  blocks.push(offboardActions(person.id, person.name, { lastDay: p.scheduled?.lastDay }));
  blocks.push(
    context(
      person.enabled
        ? "Only you can see this. Offboarding disables the person in DoorFlow (never deletes them), ends their reservations, checks the result and asks facilities to collect the card."
        : "Only you can see this. They are already disabled; offboarding still ends what is left of their reservations and checks the result.",
    ),
  );
  return { text: mrkdwn`Offboard ${person.name}?`.value, blocks };
}

interface OffboardMatch {
  id: number;
  name: string;
  email: string | null;
  enabled: boolean;
}

function buildOffboardSeveral(email: string, people: OffboardMatch[]): SlackMessage {
  const lines = people.map(
    (p) =>
      mrkdwn`• ${p.name}, ${p.email ?? "no email"}, ${p.enabled ? "enabled" : "disabled"}, DoorFlow person ${p.id}`,
  );
  return {
    text: mrkdwn`${people.length} DoorFlow people have the email ${email}`.value,
    blocks: [
      section(mrkdwn`*${people.length} DoorFlow people have the email ${email}.*`),
      ...linesToSections(lines, 10).blocks,
      context(
        "Gatehouse offboards a person only when exactly one has the email. Offboard the right one in DoorFlow, or give the others their own email there and run /offboard again.",
      ),
    ],
  };
}

function buildOffboardNone(email: string): SlackMessage {
  const text = mrkdwn`No DoorFlow person has the email ${email}.`;
  return {
    text: text.value,
    blocks: [
      section(text),
      context(
        "DoorFlow's search also finds parts of emails, but Gatehouse only offboards an exact match. Check the spelling, or look the person up in DoorFlow.",
      ),
    ],
  };
}

export function buildOffboardHelp(): SlackMessage {
  const lines = [
    "*Offboarding* (operators only)",
    "• */offboard <email>* or */offboard @user* — see who would be offboarded: credentials, reservations, whether Gatehouse manages them. Then *Offboard now* or *Schedule…* their last day.",
    "• */offboard bulk* — offboard up to 500 emails at once; you get one message that fills in as it goes, then a summary.",
    "• */offboard help* — this message",
  ].join("\n");
  return {
    text: "/offboard <email | @user>, /offboard bulk, /offboard help",
    blocks: [
      header("Gatehouse: offboarding"),
      section(lines),
      context(
        "Offboarding disables the person in DoorFlow (never deletes them), ends their reservations and group reservations, checks the result, and asks facilities to collect the card. A scheduled offboarding runs at the daily job on the last day.",
      ),
    ],
  };
}

/** The preview replaced while "Offboard now" runs, so the buttons cannot be clicked twice. */
export function buildOffboardRunning(name: string): SlackMessage {
  const text = mrkdwn`:hourglass_flowing_sand: Offboarding ${name}…`;
  return { text: text.value, blocks: [section(text)] };
}

export function buildOffboardCancelled(): SlackMessage {
  return {
    text: "Cancelled: nobody was offboarded.",
    blocks: [context("Cancelled: nobody was offboarded.")],
  };
}

/** Buzz-in contractors with the email: "Offboard now" revokes them and their pass in Buzz-in. */
export function buildBuzzinOffboardPreview(people: BuzzinMatch[]): SlackMessage {
  const blocks: KnownBlock[] = [header("Offboard from the Buzz-in community?")];
  for (const p of people.slice(0, 10)) {
    blocks.push(
      section(
        mrkdwn`*${p.name}*${p.email ? mrkdwn` (${p.email})` : mrkdwn``}${p.company ? mrkdwn`, ${p.company}` : mrkdwn``}\nBuzz-in contractor at ${p.where}, last day ${formatLocalDate(p.endDate)}`,
      ),
      {
        type: "actions",
        block_id: `${BLOCK.offboardActions}_buzzin_${p.managedPersonId}`,
        elements: [
          {
            type: "button",
            action_id: ACTION.offboardBuzzinNow,
            text: plain(OFFBOARD_BUTTON.now, SLACK_LIMITS.buttonText),
            style: "danger",
            value: String(p.managedPersonId),
            confirm: {
              title: plain("Offboard now?", 100),
              text: plain(
                `${p.name}'s contractor registration and pass are revoked in Buzz-in at once. Nothing is deleted.`,
                300,
              ),
              confirm: plain("Offboard now", 30),
              deny: plain("Go back", 30),
              style: "danger",
            },
          },
        ],
      },
    );
  }
  return { text: `Offboard ${people.map((p) => p.name).join(", ")} from the Buzz-in community?`, blocks };
}

export function buildBuzzinOffboardOutcome(
  name: string,
  outcome: { ok: true } | { ok: false; error: string },
): SlackMessage {
  const text = outcome.ok
    ? mrkdwn`:white_check_mark: ${name} is offboarded: their Buzz-in contractor registration and pass are revoked, checked by reading the permit back.`
    : mrkdwn`:x: ${name} could not be offboarded in Buzz-in: ${clamp(outcome.error, 500)}. The security channel has been told, and Gatehouse retries after about 5 minutes, 15 minutes, then hourly.`;
  return { text: text.value, blocks: [section(text)] };
}

/** DoorFlow's answer to `/offboard <email>`: nobody, several people, one person's preview, or unreadable. */
export function buildDoorFlowMatch(found: DoorFlowMatch, timeZone: string): SlackMessage {
  switch (found.status) {
    case "forbidden":
      return buildNoticeMessage(OFFBOARD_REFUSAL);
    case "none":
      return buildOffboardNone(found.email);
    case "several":
      return buildOffboardSeveral(found.email, found.people);
    case "one":
      return buildOffboardPreview(found.preview, timeZone);
    case "unreadable":
      return buildNoticeMessage(
        `Gatehouse could not read ${found.email} from DoorFlow: ${found.error}. Try again in a minute.`,
      );
  }
}

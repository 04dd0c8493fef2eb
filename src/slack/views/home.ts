/**
 * The App Home tab for one viewer. Slack rejects a home view of more than 100 blocks outright, so
 * every part gets a share of that budget: the short, actionable parts first (decisions, failures,
 * the viewer's requests), capped so they cannot crowd out the rest; the people with access, the one
 * list that can run to thousands, take what is left and end with "and N more".
 */
import type { HomeView, KnownBlock } from "@slack/types";
import type { HomeData } from "../../domain/home.js";
import { formatLocalDate } from "../../lib/time.js";
import { leaverBlock } from "./home-leavers.js";
import { approvalBlocks, failureBlock, personBlocks, requestLine } from "./home-rows.js";
import { SLACK_LIMITS } from "./limits.js";
import { context, header, linesToSections, type Mrkdwn, mrkdwn } from "./text.js";

export const HOME_TITLE = {
  approvals: "Waiting for your decision",
  failures: "Open failures",
  leavers: "Leavers detected",
  requests: "Your requests",
  peopleAll: "Active contractors and visitors",
  peopleMine: "People you asked access for",
} as const;

/** Most blocks each capped part may use, header and summary included. */
const CAP = { approvals: 22, failures: 12, leavers: 10, requests: 5 } as const;

interface Part {
  title: string;
  /** Each item's blocks, in order. */
  items: KnownBlock[][];
  /** How many items exist in all (items may hold fewer). */
  total: number;
  empty: Mrkdwn;
  more: (hidden: number) => Mrkdwn;
}

/** A header, as many whole items as fit in `max` blocks, and a summary of the rest. */
function renderPart(part: Part, max: number): KnownBlock[] {
  const title = header(part.title);
  if (part.items.length === 0 && part.total === 0) return [title, context(part.empty)];
  const cost = part.items.reduce((n, item) => n + item.length, 0);
  if (part.items.length >= part.total && 1 + cost <= max) return [title, ...part.items.flat()];
  // Header and the summary line are always shown.
  let room = max - 2;
  const shown: KnownBlock[] = [];
  let count = 0;
  for (const item of part.items) {
    if (item.length > room) break;
    shown.push(...item);
    room -= item.length;
    count += 1;
  }
  return [title, ...shown, context(part.more(part.total - count))];
}

function requestsPart(data: HomeData, max: number): KnownBlock[] {
  const title = header(HOME_TITLE.requests);
  const { rows, more } = data.requests;
  if (rows.length === 0) {
    return [title, context("You have not asked for access yet. Use /contractor or /contractor visitor.")];
  }
  const { blocks, shown } = linesToSections(rows.map(requestLine), max - 2);
  const note =
    more || shown < rows.length
      ? mrkdwn`Your ${shown} latest requests. /contractor status <email> shows anyone else's history.`
      : mrkdwn`/contractor status <email> shows one person's history.`;
  return [title, ...blocks, context(note)];
}

function rolesLine(data: HomeData): Mrkdwn {
  const { approver, operator } = data.roles;
  const roles =
    approver && operator
      ? "You are an approver and an operator."
      : approver
        ? "You are an approver."
        : operator
          ? "You are an operator."
          : "Ask for building access with /contractor.";
  return mrkdwn`Today is ${formatLocalDate(data.today)} (${data.timeZone}). ${roles}`;
}

export function buildHomeView(data: HomeData): HomeView {
  const parts: Array<(max: number) => KnownBlock[]> = [];
  const approvals = data.approvals;
  if (approvals) {
    parts.push((max) =>
      renderPart(
        {
          title: HOME_TITLE.approvals,
          items: approvals.rows.map(approvalBlocks),
          total: approvals.total,
          empty: mrkdwn`Nothing waits for your decision.`,
          more: (n) => mrkdwn`and ${n} more waiting; the approval channel has every request.`,
        },
        Math.min(max, CAP.approvals),
      ),
    );
  }
  const failures = data.failures;
  if (failures) {
    parts.push((max) =>
      renderPart(
        {
          title: HOME_TITLE.failures,
          items: failures.rows.map((f) => [failureBlock(f, data.timeZone)]),
          total: failures.total,
          empty: mrkdwn`No open failures.`,
          more: (n) => mrkdwn`and ${n} more open in the security channel.`,
        },
        Math.min(max, CAP.failures),
      ),
    );
  }
  const leavers = data.leavers;
  if (leavers) {
    parts.push((max) =>
      renderPart(
        {
          title: HOME_TITLE.leavers,
          items: leavers.rows.map((l) => [leaverBlock(l, data.timeZone)]),
          total: leavers.total,
          empty: mrkdwn`No leaver has come from HR, SCIM or Slack yet.`,
          more: (n) => mrkdwn`and ${n} earlier; the audit trail has every one.`,
        },
        Math.min(max, CAP.leavers),
      ),
    );
  }
  parts.push((max) => requestsPart(data, Math.min(max, CAP.requests)));
  const people = data.people;
  parts.push((max) =>
    renderPart(
      {
        title: people.scope === "all" ? HOME_TITLE.peopleAll : HOME_TITLE.peopleMine,
        items: people.rows.map((p) => personBlocks(p, data.roles.operator, data.viewerId)),
        total: people.total,
        empty:
          people.scope === "all"
            ? mrkdwn`Nobody has access through Gatehouse right now.`
            : mrkdwn`Nobody you asked for has access right now.`,
        more: (n) => mrkdwn`and ${n} more — /contractor list`,
      },
      max,
    ),
  );

  const blocks: KnownBlock[] = [header("Gatehouse: building access"), context(rolesLine(data))];
  parts.forEach((render, i) => {
    if (i > 0) blocks.push({ type: "divider" });
    // Leave the later parts their dividers and at least a header and a line each.
    const later = parts.length - 1 - i;
    blocks.push(...render(SLACK_LIMITS.viewBlocks - blocks.length - later * 3));
  });
  return { type: "home", blocks };
}

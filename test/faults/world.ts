/**
 * The world a fault scenario runs in: the real bot, the DoorFlow sandbox and the Slack stand-in on
 * one virtual clock that only moves when told (the bot's `now` and the sandbox's clock together),
 * leavers already in DoorFlow for the operators to offboard, and the forms the requesters submit.
 */
import { createLogger, type Logger } from "../../src/lib/logger.js";
import { addDays, type LocalDate, zonedInstant } from "../../src/lib/time.js";
import { seededRandom } from "../../tools/sandbox/doorflow/random.js";
import { CAST, startStory, type Story } from "../../tools/sandbox/story.js";
import type { ContractorInput, VisitorInput } from "../helpers/forms.js";

export const ZONE = "Europe/London";
/** The first day of the story: requests start on it, and the contracts due end on it. */
export const DAY_ONE: LocalDate = "2027-06-01";
export const VISIT_DAY: LocalDate = addDays(DAY_ONE, 1);
const LATER_END: LocalDate = addDays(DAY_ONE, 14);

export interface Mix {
  /** Contractor requests, of which `dueContractors` end on day one (the daily job offboards them). */
  contractors: number;
  dueContractors: number;
  visitors: number;
  /** Leavers offboarded one by one with /offboard and "Offboard now". */
  offboardNow: number;
  /** Leavers offboarded in one /offboard bulk list (with one unknown email). */
  bulk: number;
}

interface Clock {
  now: () => Date;
  set(at: Date): void;
  advanceMinutes(minutes: number): void;
}

export interface World {
  story: Story;
  clock: Clock;
  logLines: string[];
  close(): Promise<void>;
}

export type RequestForm =
  | { kind: "contractor"; requesterId: string; input: ContractorInput & { email: string } }
  | { kind: "visitor"; requesterId: string; input: VisitorInput & { email: string } };

export interface Leaver {
  personId: number;
  email: string;
  card: string;
}

/** Fast client retries: a fault still exhausts them sometimes, which is what sends work to the retry paths. */
export const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 10, maxElapsedMs: 2_000 };

/** Slack's client makes four attempts, as in production, only without the seconds between them. */
const FAST_SLACK_RETRY = { retries: 3, factor: 2, minTimeout: 5, maxTimeout: 20 };

export async function startWorld(options: { seed: number; logLevel?: "debug" | "warn" }): Promise<World> {
  let at = zonedInstant(DAY_ONE, "09:00", ZONE).getTime();
  const logLines: string[] = [];
  const logger: Logger = createLogger({ level: options.logLevel ?? "warn", write: (l) => logLines.push(l) });
  const story = await startStory({
    logger,
    now: () => new Date(at),
    catchUp: false,
    doorflow: { timeZone: ZONE, now: new Date(at), ticking: false, random: seededRandom(options.seed) },
    env: { ACCOUNT_TIMEZONE: ZONE },
    doorflowRetry: FAST_RETRY,
    slackRetry: FAST_SLACK_RETRY,
  });
  const clock: Clock = {
    now: () => new Date(at),
    set(next) {
      at = next.getTime();
      story.doorflow.sandbox.clock.set(next);
    },
    advanceMinutes(minutes) {
      clock.set(new Date(at + minutes * 60_000));
    },
  };
  return { story, clock, logLines, close: () => story.close() };
}

/** Requesters take turns; the approver never decides on their own request. */
const REQUESTERS = [CAST.requester.id, CAST.approver2.id, CAST.stranger.id];

export function requestForms(mix: Mix, tag: string): RequestForm[] {
  const forms: RequestForm[] = [];
  for (let i = 0; i < mix.contractors; i++) {
    const credential = i % 4 === 3 ? "mobile" : "card";
    forms.push({
      kind: "contractor",
      requesterId: REQUESTERS[i % REQUESTERS.length] as string,
      input: {
        firstName: "Con",
        lastName: `${tag} ${i}`,
        email: `con${i}.${tag}@contractors.example`,
        company: "Faulty Works",
        groupIds: i % 2 === 0 ? [5122] : [5121, 5123],
        startDate: DAY_ONE,
        endDate: i < mix.dueContractors ? DAY_ONE : LATER_END,
        credential,
        cardNumber: credential === "card" ? String(51_000_000 + i) : null,
      },
    });
  }
  for (let i = 0; i < mix.visitors; i++) {
    forms.push({
      kind: "visitor",
      requesterId: REQUESTERS[i % REQUESTERS.length] as string,
      input: {
        firstName: "Vis",
        lastName: `${tag} ${i}`,
        email: `vis${i}.${tag}@visitors.example`,
        company: "Guests Ltd",
        doorIds: [1340, 1345],
        visitDate: VISIT_DAY,
      },
    });
  }
  return forms;
}

/**
 * Employees who are leaving, each with a card and group access until well after the story, made
 * through the bot's own DoorFlow client before any fault is switched on.
 */
export async function createLeavers(world: World, count: number, tag: string): Promise<Leaver[]> {
  const client = world.story.gatehouse.doorflow;
  const now = world.clock.now();
  const leavers: Leaver[] = [];
  for (let i = 0; i < count; i++) {
    const email = `leaver${i}.${tag}@staff.example`;
    const card = String(52_000_000 + i);
    const person = await client.createPerson({
      first_name: "Lee",
      last_name: `Ver ${tag} ${i}`,
      email,
      system_id: `EMP-${tag}-${i}`,
      enabled: true,
      credentials: { card_number: card },
    });
    await client.createGroupReservation({
      personId: person.id,
      startTime: new Date(now.getTime() - 86_400_000),
      endTime: new Date(now.getTime() + 30 * 86_400_000),
      groupIds: [5127],
    });
    leavers.push({ personId: person.id, email, card });
  }
  return leavers;
}

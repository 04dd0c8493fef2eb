/** Everything a use case needs, built once by the composition root (src/app.ts) and by tests. */
import type { BuzzinClient } from "../buzzin/client.js";
import type { Database } from "../db/database.js";
import type { DoorFlowClient } from "../doorflow/client.js";
import type { Logger } from "../lib/logger.js";
import type { ProviderId } from "./model.js";
import type { LocalDate } from "../lib/time.js";
import type { Catalog } from "./catalog.js";
import type { AccessPolicy } from "./policy.js";
import type { Messenger, Outbox } from "./ports.js";
import type { SyncScheduler } from "./sync.js";

export interface DomainSettings {
  /** IANA zone of the DoorFlow account: every calendar day is a day there. */
  timeZone: string;
  contractorMaxDays: number;
  visitorApproval: boolean;
  pendingApprovalHours: number;
  securityChannelId: string;
  /**
   * The instant an offboarding for this last day falls due: the first OFFBOARD_CRON run that day,
   * in the account's zone, or in the community's (BUZZIN_TIME_ZONE) for a Buzz-in contract.
   */
  offboardingDueAt: (lastDay: LocalDate, provider?: ProviderId) => Date;
  /** BUZZIN_TIME_ZONE: a Buzz-in permit's calendar days and instants are the community's. */
  buzzinTimeZone: string;
  /** The zone a contract's days and messages are in: the community's for Buzz-in, else the account's. */
  timeZoneOf: (provider?: ProviderId) => string;
  /** SLACK_DEACTIVATION_OFFBOARD: a deactivated Slack account is alerted (default) or offboarded. */
  slackDeactivationOffboard?: "alert" | "auto";
}

export interface Deps {
  db: Database;
  doorflow: DoorFlowClient;
  /** Present when Buzz-in is configured (BUZZIN_API_KEY). */
  buzzin?: BuzzinClient;
  catalog: Catalog;
  policy: AccessPolicy;
  messenger: Messenger;
  /** The durable queue the messenger's messages wait in until Slack has them. */
  outbox: Outbox;
  sync: SyncScheduler;
  settings: DomainSettings;
  logger: Logger;
  now: () => Date;
  /** Identifies this process in leases. */
  processId: string;
}

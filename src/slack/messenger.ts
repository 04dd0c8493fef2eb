/**
 * The domain's Messenger on Slack's Web API. Everything but the two secret-carrying direct messages
 * is queued in the durable outbox (src/slack/outbox.ts) and delivered from there. Direct messages
 * are posted to the user id (the app's Messages tab). The PIN is only ever passed to
 * `accessGranted`, whose message goes to the requester alone and is never stored; the Web API
 * client logs at INFO at most, so the body is never logged.
 */
import type { ProviderId } from "../domain/model.js";
import type { webApi } from "@slack/bolt";
import type { AccessRequest } from "../domain/model.js";
import type { AccessDetails, Messenger, SecurityAlert, Tx } from "../domain/ports.js";
import { escapeSlackText } from "../lib/text.js";
import { formatLocal } from "../lib/time.js";
import { buildAccessDetailsMessage, buildPassMessage } from "./views/access-details.js";
import {
  type ApprovalStatus,
  buildApprovalMessage,
  type ExistingPersonView,
} from "./views/approval-message.js";
import { buildCardCollectionMessage } from "./views/card-collection.js";
import { buildEndReminder } from "./views/end-reminder.js";
import { buildExtensionMessage } from "./views/extension.js";
import { buildSecurityAlert } from "./views/security-alert.js";
import type { SlackOutbox } from "./outbox.js";
import { personName } from "../domain/model.js";

export interface MessengerSettings {
  approvalChannelId: string;
  securityChannelId: string;
  facilitiesChannelId: string;
  timeZone: string;
  /** The zone a contract's days are told in: the community's for Buzz-in, else the account's. */
  timeZoneOf: (provider?: ProviderId) => string;
  pendingApprovalHours: number;
}

export function createSlackMessenger(
  client: webApi.WebClient,
  settings: MessengerSettings,
  outbox: SlackOutbox,
  db: Tx,
): Messenger {
  const approvalMessage = (request: AccessRequest) =>
    buildApprovalMessage({
      requestId: request.id,
      kind: request.kind,
      requesterId: request.requesterId,
      personName: personName(request),
      email: request.email,
      company: request.company,
      accessNames: request.accessNames,
      startDate: request.startDate,
      endDate: request.endDate,
      credential: request.credential,
      notes: request.notes,
      status: approvalStatus(request, settings.pendingApprovalHours),
      existingPerson: request.existingPerson ? existingPersonView(request) : null,
      timeZone: settings.timeZoneOf(request.provider),
    });

  const known = (channel: string | null, ts: string | null) => (channel && ts ? { channel, ts } : null);

  return {
    async approvalRequested(request, tx) {
      outbox.post(tx ?? db, settings.approvalChannelId, approvalMessage(request), `request:${request.id}`);
    },

    async approvalDecided(request, tx) {
      const ref = `request:${request.id}` as const;
      // A request never posted for approval (a visitor who needs none) has no message to rewrite.
      if (!request.approvalTs && !outbox.hasPost(tx ?? db, ref)) return;
      outbox.update(
        tx ?? db,
        ref,
        approvalMessage(request),
        known(request.approvalChannelId, request.approvalTs),
      );
    },

    // The two direct messages that carry a secret are sent at once and never stored (see outbox.ts).
    async passIssued(request, pass) {
      const message = buildPassMessage({ ...pass, company: request.company });
      await client.chat.postMessage({ channel: request.requesterId, ...message });
    },

    async accessGranted(request, details: AccessDetails) {
      const message = buildAccessDetailsMessage({
        requestId: request.id,
        kind: request.kind,
        personName: details.personName,
        company: request.company,
        cardNumber: details.cardNumber,
        pin: details.pin,
        credential: request.credential,
        accessNames: request.accessNames,
        start: details.start,
        end: details.end,
        timeZone: settings.timeZone,
      });
      await client.chat.postMessage({ channel: request.requesterId, ...message });
    },

    async notifyUser(userId, text, tx) {
      outbox.post(tx ?? db, userId, { text: escapeAllButMentions(text) });
    },

    async securityAlert(alert: SecurityAlert, options) {
      const ref = options?.alertKey ? (`alert:${options.alertKey}` as const) : undefined;
      outbox.post(options?.tx ?? db, settings.securityChannelId, buildSecurityAlert(alert), ref);
    },

    async updateSecurityAlert(alertKey, alert) {
      const ref = `alert:${alertKey}` as const;
      outbox.update(db, ref, buildSecurityAlert(alert), outbox.messageOf(ref) ?? null);
    },

    async extensionRequested(extension, person, scheduled) {
      outbox.post(
        db,
        settings.approvalChannelId,
        buildExtensionMessage(extension, person, settings.timeZoneOf(person.provider), scheduled),
        `extension:${extension.id}`,
      );
    },

    async extensionDecided(extension, person, scheduled) {
      const ref = `extension:${extension.id}` as const;
      if (!extension.approvalTs && !outbox.hasPost(db, ref)) return;
      outbox.update(
        db,
        ref,
        buildExtensionMessage(extension, person, settings.timeZoneOf(person?.provider), scheduled),
        known(extension.approvalChannelId, extension.approvalTs),
      );
    },

    async endReminder(reminder) {
      outbox.post(db, reminder.requesterId, buildEndReminder(reminder));
    },

    async cardCollection(notice) {
      outbox.post(
        db,
        settings.facilitiesChannelId,
        buildCardCollectionMessage(notice),
        notice.managedPersonId === null ? undefined : `card:${notice.managedPersonId}`,
      );
    },

    async cardCollected(message, notice, by, at) {
      outbox.update(
        db,
        notice.managedPersonId === null ? `card:none` : `card:${notice.managedPersonId}`,
        buildCardCollectionMessage(notice, { by, at: formatLocal(at, settings.timeZone) }),
        { channel: message.channelId, ts: message.ts },
      );
    },
  };
}

/**
 * A direct message's text carries names, companies and reasons people typed, and Slack reads it as
 * mrkdwn: everything is escaped except the `<@U…>` mentions the use cases put in themselves, so a
 * typed "<!channel>" or "<https://…|link>" arrives as text.
 */
function escapeAllButMentions(text: string): string {
  return text
    .split(/(<@[UW][A-Z0-9]+>)/)
    .map((part, i) => (i % 2 === 1 ? part : escapeSlackText(part)))
    .join("");
}

function approvalStatus(request: AccessRequest, pendingHours: number): ApprovalStatus {
  switch (request.state) {
    case "requested":
      return { state: "pending" };
    case "denied":
      return {
        state: "denied",
        by: request.decidedBy ?? undefined,
        at: request.decidedAt ?? undefined,
        reason: request.denyReason ?? undefined,
      };
    case "expired":
      return { state: "expired", hours: pendingHours };
    case "failed":
      return {
        state: "failed",
        by: request.decidedBy ?? undefined,
        at: request.decidedAt ?? undefined,
        reason: request.lastError ?? undefined,
      };
    default:
      return { state: "approved", by: request.decidedBy ?? undefined, at: request.decidedAt ?? undefined };
  }
}

function existingPersonView(request: AccessRequest): ExistingPersonView | null {
  const p = request.existingPerson;
  if (!p) return null;
  return {
    name: personName(p),
    enabled: p.enabled,
    changedAt: p.changedAt ? new Date(p.changedAt) : null,
    managedBefore: p.managedBefore,
    groupNames: p.groupNames,
    cardNumber: p.cardNumber,
    keepsCard: request.credential === "card" && request.cardNumber === p.cardNumber,
    credentialKinds: p.credentialKinds,
    systemId: p.systemId,
  };
}

/**
 * The domain's Messenger on Slack's Web API. Direct messages are posted to the user id (the app's
 * Messages tab) in one call. The PIN is only ever passed to `accessGranted`, whose message goes to
 * the requester alone; the Web API client logs at INFO at most, so the body is never logged.
 */
import type { webApi } from "@slack/bolt";
import type { AccessRequest } from "../db/repositories/access-requests.js";
import type { AccessDetails, Messenger, PostedMessage, SecurityAlert } from "../domain/ports.js";
import { personName } from "../domain/audit.js";
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

export interface MessengerSettings {
  approvalChannelId: string;
  securityChannelId: string;
  facilitiesChannelId: string;
  timeZone: string;
  pendingApprovalHours: number;
}

export function createSlackMessenger(client: webApi.WebClient, settings: MessengerSettings): Messenger {
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
      timeZone: settings.timeZone,
    });

  const posted = (channel: string | undefined, ts: string | undefined): PostedMessage => {
    if (!channel || !ts) throw new Error("Slack did not return the posted message's channel and ts");
    return { channelId: channel, ts };
  };

  return {
    async approvalRequested(request) {
      const message = approvalMessage(request);
      const res = await client.chat.postMessage({ channel: settings.approvalChannelId, ...message });
      return posted(res.channel, res.ts);
    },

    async approvalDecided(request) {
      if (!request.approvalChannelId || !request.approvalTs) return;
      await client.chat.update({
        channel: request.approvalChannelId,
        ts: request.approvalTs,
        ...approvalMessage(request),
      });
    },

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

    async notifyUser(userId, text) {
      await client.chat.postMessage({ channel: userId, text: escapeAllButMentions(text) });
    },

    async securityAlert(alert: SecurityAlert) {
      const res = await client.chat.postMessage({
        channel: settings.securityChannelId,
        ...buildSecurityAlert(alert),
      });
      return posted(res.channel, res.ts);
    },

    async extensionRequested(extension, person, scheduled) {
      const res = await client.chat.postMessage({
        channel: settings.approvalChannelId,
        ...buildExtensionMessage(extension, person, settings.timeZone, scheduled),
      });
      return posted(res.channel, res.ts);
    },

    async extensionDecided(extension, person, scheduled) {
      if (!extension.approvalChannelId || !extension.approvalTs) return;
      await client.chat.update({
        channel: extension.approvalChannelId,
        ts: extension.approvalTs,
        ...buildExtensionMessage(extension, person, settings.timeZone, scheduled),
      });
    },

    async endReminder(reminder) {
      await client.chat.postMessage({ channel: reminder.requesterId, ...buildEndReminder(reminder) });
    },

    async cardCollection(notice) {
      const res = await client.chat.postMessage({
        channel: settings.facilitiesChannelId,
        ...buildCardCollectionMessage(notice),
      });
      return posted(res.channel, res.ts);
    },

    async cardCollected(message, notice, by, at) {
      await client.chat.update({
        channel: message.channelId,
        ts: message.ts,
        ...buildCardCollectionMessage(notice, { by, at: formatLocal(at, settings.timeZone) }),
      });
    },

    async updateSecurityAlert(message, alert) {
      await client.chat.update({ channel: message.channelId, ts: message.ts, ...buildSecurityAlert(alert) });
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
    name: `${p.firstName} ${p.lastName}`,
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

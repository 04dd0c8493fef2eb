/**
 * Housekeeping of `webhook_deliveries`, whichever sender's ids it holds. A delivery id only has to
 * be remembered while its sender may still re-send it (minutes to a day); kept for ever, the table
 * would grow by every event received. How deliveries are claimed lives with their sender
 * (src/buzzin/deliveries.ts).
 */
import { lt } from "drizzle-orm";
import type { Executor } from "../database.js";
import { webhookDeliveries } from "../schema.js";

/** How long a delivery id is kept: far beyond any sender's retry window. */
export const WEBHOOK_DELIVERY_RETENTION_DAYS = 30;

/** Deletes the delivery ids received before `receivedBefore`; returns how many. */
export function pruneWebhookDeliveries(db: Executor, receivedBefore: Date): number {
  return db.delete(webhookDeliveries).where(lt(webhookDeliveries.receivedAt, receivedBefore)).run().changes;
}

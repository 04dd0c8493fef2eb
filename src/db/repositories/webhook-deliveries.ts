/**
 * Webhook deliveries seen, so that an event re-sent under the same key takes effect once. The key
 * is `X-Buzzin-Delivery`, else the envelope's `id`, else a hash of the body (see the receiver).
 * Claiming is one INSERT … ON CONFLICT DO NOTHING: of two copies arriving together exactly one
 * wins. A delivery whose handling failed may be claimed again by a later copy, since Buzz-in got a
 * 2xx before the failure and would not otherwise send it again.
 *
 * Housekeeping, whichever sender's ids the table holds: a delivery id only has to be remembered
 * while its sender may still re-send it (minutes to a day); kept for ever, the table would grow by
 * every event received.
 */
import { and, eq, lt } from "drizzle-orm";
import type { Executor } from "../database.js";
import { webhookDeliveries } from "../schema.js";
import type { WebhookDeliveryState } from "../../domain/model.js";

/** How long a delivery id is kept: far beyond any sender's retry window. */
export const WEBHOOK_DELIVERY_RETENTION_DAYS = 30;

/** Deletes the delivery ids received before `receivedBefore`; returns how many. */
export function pruneWebhookDeliveries(db: Executor, receivedBefore: Date): number {
  return db.delete(webhookDeliveries).where(lt(webhookDeliveries.receivedAt, receivedBefore)).run().changes;
}

/** The webhook receiver's DeliveryStore (src/domain/ports.ts) over this table. */
export function createDeliveryStore(db: Executor) {
  return {
    claim(deliveryId: string, event: string, now: Date): "new" | "duplicate" {
      const inserted = db
        .insert(webhookDeliveries)
        .values({ deliveryId, event, receivedAt: now, status: "received" })
        .onConflictDoNothing()
        .run();
      if (inserted.changes === 1) return "new";
      const retried = db
        .update(webhookDeliveries)
        .set({ status: "received", receivedAt: now, processedAt: null })
        .where(and(eq(webhookDeliveries.deliveryId, deliveryId), eq(webhookDeliveries.status, "failed")))
        .run();
      return retried.changes === 1 ? "new" : "duplicate";
    },
    finish(
      deliveryId: string,
      status: Exclude<WebhookDeliveryState, "received">,
      now: Date,
      problem?: string,
    ): void {
      db.update(webhookDeliveries)
        .set({ status, processedAt: now, ...(problem === undefined ? {} : { problem }) })
        .where(eq(webhookDeliveries.deliveryId, deliveryId))
        .run();
    },
  };
}

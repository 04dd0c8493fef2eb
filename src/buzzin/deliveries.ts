/**
 * Webhook deliveries seen, so that an event re-sent under the same key takes effect once. The key
 * is `X-Buzzin-Delivery`, else the envelope's `id`, else a hash of the body (see the receiver). Claiming is one INSERT … ON CONFLICT DO NOTHING: of two copies arriving together exactly one
 * wins. A delivery whose handling failed may be claimed again by a later copy, since Buzz-in got a
 * 2xx before the failure and would not otherwise send it again.
 */
import { and, eq } from "drizzle-orm";
import type { Executor } from "../db/database.js";
import { webhookDeliveries, type WebhookDeliveryState } from "../db/schema.js";

type DeliveryClaim = "new" | "duplicate";

export interface DeliveryStore {
  claim(deliveryId: string, event: string, now: Date): DeliveryClaim;
  finish(
    deliveryId: string,
    status: Exclude<WebhookDeliveryState, "received">,
    now: Date,
    problem?: string,
  ): void;
}

export function createDeliveryStore(db: Executor): DeliveryStore {
  return {
    claim(deliveryId, event, now) {
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
    finish(deliveryId, status, now, problem) {
      db.update(webhookDeliveries)
        .set({ status, processedAt: now, ...(problem === undefined ? {} : { problem }) })
        .where(eq(webhookDeliveries.deliveryId, deliveryId))
        .run();
    },
  };
}

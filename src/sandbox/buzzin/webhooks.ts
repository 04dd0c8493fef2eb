/**
 * The sandbox's webhook sender. Deliveries go out one at a time in the order they happened (an
 * approval before the pass it leads to), each recorded with every attempt's outcome. `redeliver`
 * sends a delivery again with the same id and the same bytes, as Buzz-in does after a timeout: the
 * receiver's deduplication is what a test of it checks.
 */
import { randomUUID } from "node:crypto";
import { type Dispatcher, request } from "undici";
import { BUZZIN_DELIVERY_HEADER, BUZZIN_TOKEN_HEADER } from "../../buzzin/events.js";
import type { WebhookDelivery } from "./types.js";

export interface WebhookSenderOptions {
  url?: string;
  token: string;
  now: () => Date;
  dispatcher?: Dispatcher;
  /** How long a receiver may take to answer. */
  timeoutMs?: number;
}

export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: WebhookSenderOptions) {}

  set url(value: string | undefined) {
    this.options.url = value;
  }

  get url(): string | undefined {
    return this.options.url;
  }

  /** Records the event and queues its delivery; returns the delivery at once. */
  fire(event: string, data: unknown): WebhookDelivery {
    const body = JSON.stringify({ event, createdAt: this.options.now().toISOString(), data });
    const delivery: WebhookDelivery = { id: randomUUID(), event, body, attempts: [] };
    this.deliveries.push(delivery);
    this.enqueue(delivery);
    return delivery;
  }

  redeliver(id: string): WebhookDelivery | undefined {
    const delivery = this.deliveries.find((d) => d.id === id);
    if (delivery) this.enqueue(delivery);
    return delivery;
  }

  /** Resolves when every delivery queued so far has been attempted. */
  async settled(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.queue;
      await current;
    } while (current !== this.queue);
  }

  /** Forgets the deliveries (a sandbox reset); whatever is in flight still completes. */
  clear(): void {
    this.deliveries.length = 0;
  }

  private enqueue(delivery: WebhookDelivery): void {
    this.queue = this.queue.then(() => this.send(delivery));
  }

  private async send(delivery: WebhookDelivery): Promise<void> {
    const { url, token, now, dispatcher, timeoutMs = 10_000 } = this.options;
    if (url === undefined) return;
    try {
      const res = await request(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [BUZZIN_TOKEN_HEADER]: token,
          [BUZZIN_DELIVERY_HEADER]: delivery.id,
          "x-buzzin-event": delivery.event,
        },
        body: delivery.body,
        ...(dispatcher ? { dispatcher } : {}),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.dump();
      delivery.attempts.push({ at: now(), status: res.statusCode });
    } catch (error) {
      delivery.attempts.push({ at: now(), status: 0, error: (error as Error).message });
    }
  }
}

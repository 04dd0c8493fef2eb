/**
 * The sandbox's webhook sender, as the passes-permits-issued page describes delivery: a POST of the
 * envelope `{id, event, communityId, createdAt, data}` with `X-Buzzin-Event`, `X-Buzzin-Delivery`
 * and `X-Buzzin-Token`. Deliveries go out one at a time in the order they happened (an approval
 * before the pass it leads to), each recorded with every attempt's outcome. `redeliver` sends a
 * delivery again with the same id and the same bytes; fault injection loses deliveries (never sent)
 * or repeats them (sent twice), and `retries` re-sends what the receiver did not acknowledge
 * (Buzz-in's own retry policy is not documented: 0 by default).
 */
import { randomUUID } from "node:crypto";
import { type Dispatcher, request } from "undici";
import {
  BUZZIN_DELIVERY_HEADER,
  BUZZIN_EVENT_HEADER,
  BUZZIN_TOKEN_HEADER,
} from "../../../src/buzzin/events.js";
import type { WebhookDelivery } from "./types.js";

export interface WebhookFaults {
  /** Probability that a delivery is never sent. */
  lose: number;
  /** Probability that a delivery is sent twice. */
  repeat: number;
}

export interface WebhookSenderOptions {
  url?: string;
  token: string;
  communityId: () => string;
  now: () => Date;
  newId: () => string;
  random: () => number;
  dispatcher?: Dispatcher;
  /** How long a receiver may take to answer. */
  timeoutMs?: number;
  retries?: number;
}

export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  readonly faults: WebhookFaults = { lose: 0, repeat: 0 };
  /** Called after each attempt, with the receiver's status (the crash suite kills on a 2xx). */
  onAttempt: ((delivery: WebhookDelivery, status: number) => void) | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: WebhookSenderOptions) {}

  set url(value: string | undefined) {
    this.options.url = value;
  }

  get url(): string | undefined {
    return this.options.url;
  }

  /** Records the event and queues its delivery; returns the delivery at once. */
  fire(event: string, data: unknown, communityId = this.options.communityId()): WebhookDelivery {
    const envelopeId = this.options.newId();
    const body = JSON.stringify({
      id: envelopeId,
      event,
      communityId,
      createdAt: this.options.now().toISOString(),
      data,
    });
    const delivery: WebhookDelivery = { id: randomUUID(), event, envelopeId, body, attempts: [] };
    this.deliveries.push(delivery);
    if (this.options.random() < this.faults.lose) {
      delivery.attempts.push({ at: this.options.now(), status: 0, error: "lost (fault injected)" });
      return delivery;
    }
    this.enqueue(delivery);
    if (this.options.random() < this.faults.repeat) this.enqueue(delivery);
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
    const retries = this.options.retries ?? 0;
    for (let attempt = 0; attempt <= retries; attempt++) {
      const status = await this.attempt(delivery);
      this.onAttempt?.(delivery, status);
      if (status >= 200 && status < 300) return;
      if (this.options.url === undefined) return;
    }
  }

  private async attempt(delivery: WebhookDelivery): Promise<number> {
    const { url, token, now, dispatcher, timeoutMs = 10_000 } = this.options;
    if (url === undefined) {
      delivery.attempts.push({ at: now(), status: 0, error: "no receiver configured" });
      return 0;
    }
    try {
      const res = await request(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [BUZZIN_EVENT_HEADER]: delivery.event,
          [BUZZIN_DELIVERY_HEADER]: delivery.id,
          [BUZZIN_TOKEN_HEADER]: token,
        },
        body: delivery.body,
        ...(dispatcher ? { dispatcher } : {}),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.dump();
      delivery.attempts.push({ at: now(), status: res.statusCode });
      return res.statusCode;
    } catch (error) {
      delivery.attempts.push({ at: now(), status: 0, error: (error as Error).message });
      return 0;
    }
  }
}

/** Answering Slack without acting: what the guard and the start-up gate do with a request they refuse. */
import type { AnyMiddlewareArgs } from "@slack/bolt";

export const STARTING_TEXT =
  "Gatehouse is starting and cannot act on this yet: try again in a minute. If this lasts, tell your Gatehouse operators.";

/**
 * Events are acknowledged by Bolt before middleware runs; everything else carries `ack`. A slash
 * command may be given a line for the person (shown only to them).
 */
export async function acknowledge(args: AnyMiddlewareArgs, commandText?: string): Promise<void> {
  if (!("ack" in args) || typeof args.ack !== "function") return;
  const ack = args.ack as (response?: unknown) => Promise<void>;
  await (commandText ? ack({ response_type: "ephemeral", text: commandText }) : ack());
}

/**
 * While Gatehouse is still starting (DoorFlow has not answered yet, so the account's time zone and
 * everything built on it are not known), Slack's requests are acknowledged at once and nothing
 * else happens: a slash command gets a line for the person instead of Slack's "operation timed
 * out", an event or a click an empty 200 so that Slack does not retry it.
 */
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { acknowledge, STARTING_TEXT } from "./acknowledge.js";
import { originOf } from "./guard.js";

export function createStartupGate(ready: () => boolean): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    if (ready()) {
      await args.next();
      return;
    }
    await acknowledge(args, originOf(args.body).type === "command" ? STARTING_TEXT : undefined);
  };
}

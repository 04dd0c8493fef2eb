/**
 * How a listener answers the clicking user. A click in a message carries a response URL (Bolt's
 * `respond`); a click on App Home does not, so the answer goes to the user's direct messages.
 */
import type { RespondArguments, RespondFn, webApi } from "@slack/bolt";

export type Reply = (message: string | RespondArguments) => Promise<unknown>;

export function replier(respond: RespondFn | undefined, client: webApi.WebClient, userId: string): Reply {
  if (respond) return respond;
  return async (message) => {
    const m: { text?: string; blocks?: unknown[]; delete_original?: boolean } =
      typeof message === "string" ? { text: message } : message;
    // Nothing to delete or replace on App Home: the home is republished instead.
    if (m.delete_original) return;
    await client.chat.postMessage({
      channel: userId,
      text: m.text ?? "",
      ...(m.blocks ? { blocks: m.blocks as never } : {}),
    });
  };
}

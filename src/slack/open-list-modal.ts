/**
 * Opens a form that lists DoorFlow's groups or doors within Slack's 3-second trigger window: with
 * the list at once when DoorFlow answers (or the cache holds it) quickly, else "loading" first and
 * the list (or what went wrong) by views.update when it comes.
 */
import type { webApi } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import type { NamedItem } from "../domain/catalog.js";
import { errorMessage } from "../lib/errors.js";
import { within } from "../lib/deadline.js";
import type { Logger } from "../lib/logger.js";
import type { Choices } from "./views/form-fields.js";

/** Open with the list at once when it comes within this long. */
const LIST_WAIT_MS = 250;

export async function openListModal(
  client: webApi.WebClient,
  input: {
    triggerId: string;
    list: Promise<NamedItem[]>;
    build: (choices: Choices) => ModalView;
    logger: Logger;
  },
): Promise<void> {
  const { list, build } = input;
  // A list that fails this fast is "not yet": the modal opens loading, then says what went wrong.
  const early = await within(list, LIST_WAIT_MS).catch(() => undefined);
  const opened = await client.views.open({ trigger_id: input.triggerId, view: build(early ?? "loading") });
  if (early) return;
  const choices: Choices = await list.catch((error: unknown) => {
    input.logger.warn("could not load the DoorFlow list for the modal", { error: errorMessage(error) });
    return { error: "Gatehouse could not reach DoorFlow. Close this and try again in a minute." };
  });
  await client.views.update({
    view_id: opened.view?.id ?? "",
    hash: opened.view?.hash,
    view: build(choices),
  });
}

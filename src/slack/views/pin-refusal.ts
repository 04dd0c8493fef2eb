/** Why "Show PIN" shows no PIN (plain text, to the clicker alone). */
import type { RevealPinResult } from "../../domain/use-cases/reveal-pin.js";
import { escapeSlackText } from "../../lib/text.js";
import { personName } from "../../domain/model.js";

export function buildPinRefusal(result: Exclude<RevealPinResult, { status: "pin" }>): string {
  switch (result.status) {
    case "forbidden":
      return "Only the requester can see this PIN, while the access is active.";
    case "ended":
      return `This access has ended (${escapeSlackText(personName(result.request))} was offboarded): there is no PIN to show.`;
    case "no_pin":
      return "DoorFlow has no PIN for this person any more.";
  }
}

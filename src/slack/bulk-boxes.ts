/** The "Bulk offboarding" modal's email boxes, read in order, with the first problem on the box it is in. */
import { parseBulkEmails } from "../domain/offboard-requests.js";
import { BULK_EMAIL_BOXES, bulkEmailsField } from "./ids.js";

type Values = Record<string, Record<string, { value?: string | null }>>;

/** The boxes' texts in order, and the first problem found, keyed by the box's block id. */
export function readBulkBoxes(values: Values): { text: string; errors: Record<string, string> | null } {
  const boxes = Array.from({ length: BULK_EMAIL_BOXES }, (_, i) => {
    const f = bulkEmailsField(i + 1);
    return { block: f.block, text: values[f.block]?.[f.action]?.value ?? "" };
  });
  for (const box of boxes) {
    if (box.text.trim() === "") continue;
    const parsed = parseBulkEmails(box.text);
    if ("error" in parsed) return { text: "", errors: { [box.block]: parsed.error } };
  }
  const text = boxes.map((b) => b.text).join("\n");
  const all = parseBulkEmails(text);
  const first = boxes[0]?.block ?? "";
  return { text, errors: "error" in all ? { [first]: all.error } : null };
}

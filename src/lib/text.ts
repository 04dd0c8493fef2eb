/**
 * Text that came from people or DoorFlow, made safe to put inside Slack mrkdwn: `&`, `<` and `>`
 * escaped, so a name like "<!channel>" cannot ping a channel or form a link.
 */
export function escapeSlackText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

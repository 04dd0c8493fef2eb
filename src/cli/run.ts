/** The `gatehouse` command line: parses the arguments and runs one command. */
import { parseArgs } from "node:util";
import type { CliContext } from "./context.js";
import { doorflowCheck } from "./doorflow-check.js";
import { DEFAULT_REDIRECT_URI, doorflowConnect } from "./doorflow-connect.js";

export const HELP = `gatehouse — operate Gatehouse from a terminal (reads .env like the bot)

  gatehouse doorflow connect [--redirect-uri URL] [--paste]
      One-time OAuth consent: prints DoorFlow's authorize URL, takes the code from the
      localhost callback (default ${DEFAULT_REDIRECT_URI}) or pasted, stores the tokens.
  gatehouse doorflow check
      Account, time zone, card/PIN/mobile credential types, groups, doors, sync status.
  gatehouse help
`;

export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: {
      "redirect-uri": { type: "string" },
      paste: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals.join(" ");
  if (values.help || command === "" || command === "help") {
    context.io.out(HELP);
    return 0;
  }
  switch (command) {
    case "doorflow connect":
      return doorflowConnect(context, {
        ...(typeof values["redirect-uri"] === "string" ? { redirectUri: values["redirect-uri"] } : {}),
        listen: values.paste !== true,
      });
    case "doorflow check":
      return doorflowCheck(context);
    default:
      context.io.err(`Unknown command "${command}".\n`);
      context.io.out(HELP);
      return 2;
  }
}

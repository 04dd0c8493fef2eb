/**
 * `npm run doorflow:sandbox -- --port 4010 [--host 127.0.0.1] [--token sandbox] [--time-zone Europe/London]
 *  [--account staffBadge|employeeCard|hawaii] [--client-id id --client-secret secret] [--no-seed]`
 * Runs the DoorFlow sandbox as an HTTP server on a clock that follows real time, until SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { DEFAULT_SANDBOX_TIME_ZONE, DEFAULT_SANDBOX_TOKEN } from "./sandbox.js";
import { ACCOUNT_SHAPES } from "./shapes.js";
import { startDoorFlowSandbox } from "./server.js";

const USAGE = `usage: npm run doorflow:sandbox -- [--port 4010] [--host 127.0.0.1] [--token sandbox] [--time-zone Europe/London] [--account ${Object.keys(ACCOUNT_SHAPES).join("|")}] [--client-id ID --client-secret SECRET] [--no-seed]`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", default: "4010" },
        host: { type: "string", default: "127.0.0.1" },
        token: { type: "string", default: DEFAULT_SANDBOX_TOKEN },
        "time-zone": { type: "string", default: DEFAULT_SANDBOX_TIME_ZONE },
        account: { type: "string" },
        "client-id": { type: "string" },
        "client-secret": { type: "string" },
        "no-seed": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number, not "${values.port}"`);
    return 2;
  }
  const shapeName = values.account;
  const account =
    shapeName === undefined ? undefined : ACCOUNT_SHAPES[shapeName as keyof typeof ACCOUNT_SHAPES];
  if (shapeName !== undefined && !account) {
    console.error(`--account must be one of ${Object.keys(ACCOUNT_SHAPES).join(", ")}, not "${shapeName}"`);
    return 2;
  }
  const clientId = values["client-id"];
  const clientSecret = values["client-secret"];
  if ((clientId === undefined) !== (clientSecret === undefined)) {
    console.error("--client-id and --client-secret go together");
    return 2;
  }

  const running = await startDoorFlowSandbox({
    port,
    host: values.host,
    token: values.token,
    timeZone: values["time-zone"],
    account,
    seed: !values["no-seed"],
    oauthClient: clientId && clientSecret ? { clientId, clientSecret } : undefined,
  });
  console.log(`DoorFlow sandbox listening on ${running.url}`);
  console.log(`  DOORFLOW_BASE_URL=${running.url}`);
  console.log(`  DOORFLOW_ACCESS_TOKEN=${values.token}`);
  console.log(`  account time zone: ${running.sandbox.timeZone}`);
  if (account) {
    const types = account.credentialTypes.map((t) => `${t.label} (${t.slug}, ${t.id})`).join(", ");
    console.log(`  credential types: ${types}`);
  }
  console.log(
    clientId
      ? `  OAuth client: ${clientId}`
      : "  OAuth: any client id and secret are accepted (consent is automatic)",
  );

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await running.close();
  console.log("DoorFlow sandbox stopped");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);

/**
 * Builds the DoorFlow client the configuration asks for: a fixed bearer token, or OAuth with the
 * token pair kept (encrypted) in the database. Shared by the bot, the CLI and the demo.
 */
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { createDbTokenStore } from "../db/repositories/doorflow-tokens.js";
import { type DoorFlowAuth, oauthAuth, staticTokenAuth } from "../doorflow/auth.js";
import { DoorFlowClient, type DoorFlowClientOptions } from "../doorflow/client.js";
import { GatehouseError } from "../lib/errors.js";
import type { Logger } from "../lib/logger.js";
import { resolveTimeZone } from "../lib/time.js";

function createDoorFlowAuth(doorflow: Config["doorflow"], db: Database, logger: Logger): DoorFlowAuth {
  if (doorflow.auth.kind === "token") return staticTokenAuth(doorflow.auth.accessToken);
  const store = createDbTokenStore(db, { baseUrl: doorflow.baseUrl, secret: doorflow.auth.clientSecret });
  return oauthAuth({
    baseUrl: doorflow.baseUrl,
    clientId: doorflow.auth.clientId,
    clientSecret: doorflow.auth.clientSecret,
    store,
    logger,
  });
}

export function createDoorFlowClient(
  doorflow: Config["doorflow"],
  db: Database,
  logger: Logger,
  options: Pick<DoorFlowClientOptions, "retry"> = {},
): DoorFlowClient {
  return new DoorFlowClient({
    ...options,
    baseUrl: doorflow.baseUrl,
    auth: createDoorFlowAuth(doorflow, db, logger),
    logger: logger.child({ component: "doorflow" }),
  });
}

export interface AccountZone {
  timeZone: string;
  source: "ACCOUNT_TIMEZONE" | "DoorFlow account";
  /** What DoorFlow answered, e.g. the Rails name "London". */
  reported?: string;
}

/**
 * Every day boundary is computed in the account's zone: from ACCOUNT_TIMEZONE when set, else from
 * `GET /api/3/account`, whose Rails names ("London") are mapped to IANA ("Europe/London").
 */
export async function resolveAccountTimeZone(
  client: Pick<DoorFlowClient, "getAccount">,
  configured?: string,
): Promise<AccountZone> {
  if (configured) return { timeZone: configured, source: "ACCOUNT_TIMEZONE" };
  const account = await client.getAccount();
  const timeZone = resolveTimeZone(account.time_zone);
  if (!timeZone) {
    throw new GatehouseError(
      "account_time_zone_unknown",
      `DoorFlow reports the account time zone "${account.time_zone}", which Gatehouse does not recognise: set ACCOUNT_TIMEZONE to its IANA name (for example Europe/London).`,
    );
  }
  return { timeZone, source: "DoorFlow account", reported: account.time_zone };
}

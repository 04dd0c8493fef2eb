/**
 * What the modals list and provisioning needs to know about the DoorFlow account: groups, doors
 * and which credential types are the card, the PIN and the mobile credential. Credential type ids
 * and slugs differ per account, so they are resolved once (credential-types.ts) and refreshed after
 * a while.
 */
import type { DoorFlowClient } from "../doorflow/client.js";
import type { CredentialType } from "../doorflow/schemas.js";
import { type CredentialTypeSettings, resolveCredentialTypes } from "./credential-types.js";

export interface NamedItem {
  id: number;
  name: string;
}

export interface CredentialTypes {
  card: CredentialType | null;
  pin: CredentialType | null;
  mobile: CredentialType | null;
}

export interface Catalog {
  groups(): Promise<NamedItem[]>;
  doors(): Promise<NamedItem[]>;
  credentialTypes(): Promise<CredentialTypes>;
}

/** The card, PIN and mobile types of an account, as settings or detection decide (credential-types.ts). */
function pickCredentialTypes(
  types: CredentialType[],
  settings: CredentialTypeSettings = {},
): CredentialTypes {
  const resolved = resolveCredentialTypes(types, settings);
  return { card: resolved.card.type, pin: resolved.pin.type, mobile: resolved.mobile.type };
}

export function createCatalog(
  client: Pick<DoorFlowClient, "listGroups" | "listChannels" | "listCredentialTypes">,
  options: { ttlMs?: number; now?: () => number; credentialTypes?: CredentialTypeSettings } = {},
): Catalog {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const cached = <T>(load: () => Promise<T>) => {
    let entry: { value: Promise<T>; at: number } | undefined;
    return () => {
      if (entry && now() - entry.at < ttlMs) return entry.value;
      const value = load();
      const current = { value, at: now() };
      entry = current;
      // A failure is not remembered: the next modal asks DoorFlow again.
      value.catch(() => {
        if (entry === current) entry = undefined;
      });
      return value;
    };
  };
  const byName = (a: NamedItem, b: NamedItem) => a.name.localeCompare(b.name);
  return {
    groups: cached(async () =>
      (await client.listGroups()).map((g) => ({ id: g.id, name: g.name })).sort(byName),
    ),
    doors: cached(async () =>
      (await client.listChannels()).map((c) => ({ id: c.id, name: c.name })).sort(byName),
    ),
    credentialTypes: cached(async () =>
      pickCredentialTypes(await client.listCredentialTypes(), options.credentialTypes),
    ),
  };
}

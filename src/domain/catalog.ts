/**
 * What the modals list and provisioning needs to know about the DoorFlow account: groups, doors
 * and which credential types are the card, the PIN and the mobile credential. Credential type ids
 * differ per account, so they are looked up by slug, once, and refreshed after a while.
 */
import type { DoorFlowClient } from "../doorflow/client.js";
import type { CredentialType } from "../doorflow/schemas.js";

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

/** Slugs DoorFlow uses for these credentials, in order of preference. */
const CARD_SLUGS = ["card_number"];
const PIN_SLUGS = ["pin"];
const MOBILE_SLUGS = ["hid_mobile_access", "passflow", "doorflow_mobile"];

export function pickCredentialTypes(types: CredentialType[]): CredentialTypes {
  const pick = (slugs: string[]) => {
    for (const slug of slugs) {
      const found = types.find((t) => t.slug === slug);
      if (found) return found;
    }
    return null;
  };
  return { card: pick(CARD_SLUGS), pin: pick(PIN_SLUGS), mobile: pick(MOBILE_SLUGS) };
}

export function createCatalog(
  client: Pick<DoorFlowClient, "listGroups" | "listChannels" | "listCredentialTypes">,
  options: { ttlMs?: number; now?: () => number } = {},
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
    credentialTypes: cached(async () => pickCredentialTypes(await client.listCredentialTypes())),
  };
}

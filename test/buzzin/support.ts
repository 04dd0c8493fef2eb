/**
 * The Buzz-in sandbox on a loopback port and the real BuzzinClient pointed at it. The client never
 * waits here: its `sleep` records the delay and returns, so retry tests run at once and can assert
 * on the delays asked for.
 */
import { onTestFinished } from "vitest";
import { BuzzinClient, type BuzzinClientOptions, type ContractorInput } from "../../src/buzzin/client.js";
import type { BuzzinError } from "../../src/buzzin/errors.js";
import { DEFAULT_BUZZIN_API_KEY } from "../../src/sandbox/buzzin/sandbox.js";
import { type RunningBuzzinSandbox, startBuzzinSandbox } from "../../src/sandbox/buzzin/server.js";
import type { BuzzinSandboxOptions } from "../../src/sandbox/buzzin/types.js";

/** 12:00 in Dubai on Monday 1 March 2027. */
export const NOW = new Date("2027-03-01T08:00:00Z");

export interface BuzzinTestbed extends RunningBuzzinSandbox {
  client: BuzzinClient;
  /** Every delay the client asked to sleep, in order. */
  sleeps: number[];
  /** Another client on the same sandbox (another key, another header name). */
  clientWith(options: Partial<BuzzinClientOptions>): BuzzinClient;
}

export async function startTestbed(
  options: BuzzinSandboxOptions = {},
  clientOptions: Partial<BuzzinClientOptions> = {},
): Promise<BuzzinTestbed> {
  const running = await startBuzzinSandbox({ now: NOW, ...options });
  const sleeps: number[] = [];
  const clients: BuzzinClient[] = [];
  const clientWith = (extra: Partial<BuzzinClientOptions>) => {
    const client = new BuzzinClient({
      baseUrl: running.url,
      apiKey: DEFAULT_BUZZIN_API_KEY,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...extra,
    });
    clients.push(client);
    return client;
  };
  const client = clientWith(clientOptions);
  onTestFinished(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await running.close();
  });
  return { ...running, client, sleeps, clientWith };
}

let serial = 0;

/** A valid contractor, unique on every call unless fields are given. */
export function contractorInput(overrides: Partial<ContractorInput> = {}): ContractorInput {
  serial++;
  return {
    name: "Ahmed Contracting LLC Rep",
    email: `ops${serial}@ahmed-contracting.ae`,
    phone: `+9715000${String(serial).padStart(5, "0")}`,
    company: {
      companyName: "Ahmed Contracting LLC",
      tradeLicense: { type: "url", url: "https://files.example.com/license.pdf" },
      tradeLicenseExpiryDate: "2027-12-31",
    },
    salesforceId: `a0B5g000000AB${String(serial).padStart(4, "0")}`,
    ...overrides,
  };
}

export async function failure(promise: Promise<unknown>): Promise<BuzzinError> {
  return (await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  )) as BuzzinError;
}

/** An approved contractor with a submitted and accepted permit: the state a pass exists in. */
export async function permitWithPass(
  bed: BuzzinTestbed,
  dates = { startDate: "2027-03-02", endDate: "2027-03-31" },
) {
  const contractor = await bed.client.createContractor(contractorInput());
  bed.sandbox.approveContractor(contractor._id);
  const draft = await bed.client.createPermit({
    kind: "fitOut",
    contractorId: contractor._id,
    property: "DAMAC Hills – Golf Vista 2",
    unit: "GV2-1204",
    ...dates,
    salesforce: { permitId: "a1C5g00000PERMIT1", unitId: "a1U5g00000UNIT1" },
  });
  await bed.client.submitPermit(draft._id);
  bed.sandbox.acceptPermit(draft._id);
  return { contractor, permit: await bed.client.getPermit(draft._id) };
}

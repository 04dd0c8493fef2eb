/**
 * The Buzz-in sandbox on a loopback port and the real BuzzinClient pointed at it. The client never
 * waits here: its `sleep` records the delay and returns, so retry tests run at once and can assert
 * on the delays asked for.
 */
import { onTestFinished } from "vitest";
import {
  BuzzinClient,
  type BuzzinClientOptions,
  type ContractorInput,
  type PermitInput,
} from "../../src/buzzin/client.js";
import type { BuzzinError } from "../../src/buzzin/errors.js";
import { DEFAULT_BUZZIN_API_KEY } from "../../tools/sandbox/buzzin/sandbox.js";
import { type RunningBuzzinSandbox, startBuzzinSandbox } from "../../tools/sandbox/buzzin/server.js";
import type { BuzzinSandboxOptions } from "../../tools/sandbox/buzzin/types.js";

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

/** A permit for the sandbox's tower, 2–31 March 2027, 10:00–22:00 in Dubai (06:00Z–18:00Z). */
export function permitInput(
  communityContractorId: string,
  overrides: Partial<PermitInput> = {},
): PermitInput {
  serial++;
  return {
    salesforcePermitId: `a1B5g000000PRM${String(serial).padStart(4, "0")}`,
    contractor: { id: communityContractorId },
    property: "DAMAC-TWR-07",
    unit: "UNIT-0712",
    validFrom: new Date("2027-03-02T06:00:00.000Z"),
    validTill: new Date("2027-03-31T18:00:00.000Z"),
    jobsSummary: "Full interior fit-out of unit 0712.",
    noc: {
      url: "https://files.example.com/noc-12345.pdf",
      nocNumber: "NOC-12345",
      issueDate: "2027-02-20",
      expiryDate: "2027-04-30",
    },
    details: {
      timeIn: "10:00",
      timeOut: "22:00",
      representative: { name: "Yusuf Karim", phone: "+971501234567" },
      employees: [{ name: "Ali Hassan", phone: "+971501112233" }],
    },
    ...overrides,
  };
}

/** An approved contractor with a submitted and accepted permit: the state a pass exists in. */
export async function permitWithPass(bed: BuzzinTestbed, overrides: Partial<PermitInput> = {}) {
  const contractor = await bed.client.createContractor(contractorInput());
  bed.sandbox.approveContractor(contractor._id);
  const input = permitInput(contractor._id, overrides);
  const created = await bed.client.createPermit(input);
  if (created.status !== "created") throw new Error("the permit was not created");
  await bed.client.submitPermit(created.permit._id, input.details);
  bed.sandbox.acceptPermit(created.permit._id);
  return { contractor, input, permit: await bed.client.getPermit(created.permit._id) };
}

/** The sandbox's record of a permit (for what the API does not show, like its live code). */
export function sandboxPermit(bed: BuzzinTestbed, id: string) {
  const permit = bed.sandbox.state.permits.find((p) => p.id === id);
  if (!permit) throw new Error(`no permit ${id} in the sandbox`);
  return permit;
}

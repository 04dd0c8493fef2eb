/**
 * Injected failures. A rule either answers instead of DoorFlow (a gateway error: nothing changed)
 * or lets DoorFlow do the work and then spoils the answer (a timeout or dropped connection after
 * the record was created), which is the case a client must not turn into a duplicate.
 */
import type { FaultRule, SandboxResponse } from "./types.js";
import { json } from "./respond.js";

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

const STATUS_ERRORS: Record<number, string> = {
  400: "bad_request",
  401: "invalid_token",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "unprocessable_entity",
  429: "rate_limited",
  500: "internal_server_error",
  502: "bad_gateway",
  503: "service_unavailable",
  504: "gateway_timeout",
};

export class FaultRegistry {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): () => void {
    const entry: ActiveRule = { rule, remaining: rule.times ?? Infinity };
    this.rules.push(entry);
    return () => {
      this.rules = this.rules.filter((r) => r !== entry);
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** The first matching rule that fires this time (its probability drawn from `random`). */
  pick(method: string, path: string, random: () => number): FaultRule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (typeof rule.path === "string" ? rule.path !== path : !rule.path.test(path)) continue;
      if (rule.probability !== undefined && rule.probability < 1 && random() >= rule.probability) continue;
      entry.remaining--;
      if (entry.remaining <= 0) this.rules = this.rules.filter((r) => r !== entry);
      return rule;
    }
    return undefined;
  }
}

export function isProcessed(rule: FaultRule): boolean {
  return rule.processed ?? rule.status === undefined;
}

function faultBody(rule: FaultRule, status: number): SandboxResponse {
  if (typeof rule.body === "string") {
    return { status, headers: { "content-type": "application/json; charset=utf-8" }, body: rule.body };
  }
  if (rule.body !== undefined) return json(status, rule.body);
  const error = STATUS_ERRORS[status] ?? "error";
  if (status === 429) return json(status, { error, description: "Too many requests (injected fault)" });
  return json(status, { error, error_description: `Injected fault: ${status}` });
}

/** The answer for a rule that stands in for DoorFlow, or that replaces what DoorFlow answered. */
export function applyFault(rule: FaultRule, modelAnswer: SandboxResponse | undefined): SandboxResponse {
  let res: SandboxResponse =
    rule.status !== undefined
      ? faultBody(rule, rule.status)
      : (modelAnswer ?? json(502, { error: "bad_gateway" }));
  res = { ...res, headers: { ...res.headers, ...rule.headers } };
  if (rule.latencyMs !== undefined) res.latencyMs = (res.latencyMs ?? 0) + rule.latencyMs;
  if (rule.drop) res.drop = true;
  return res;
}

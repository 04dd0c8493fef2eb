/**
 * DoorFlow's OpenAPI document as a contract: every recorded exchange is checked against the
 * operation it calls — path and query parameters, the request body against `requestBody`, the
 * status against the documented ones, the response body against that status's schema.
 *
 * OpenAPI 3.0 schemas become JSON Schema for ajv with three tightenings, so that the check means
 * something: every object is closed (a field the spec does not know fails), `date-time` is RFC 3339
 * section 5.6 with seconds and an offset (a bare date fails), and the only open objects, Person and
 * PersonInput (`additionalProperties`: "dynamic credential type fields based on account
 * configuration"), take exactly the account's credential-type slugs.
 *
 * One reading where the document is partial: its UnprocessableEntityError, shared by every
 * operation, lists `value`, `credential_type_id` and `limit_reached` under `errors` ("Field-specific
 * validation errors"). A field error names a field of the request, so `errors` also takes the
 * operation's own request fields (an array of messages each) — and nothing else.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";

// A copy of ../shared/doorflow/openapi.yaml: CI runs on a clean clone without the shared folder.
export const SPEC_COPY = new URL("../fixtures/doorflow-openapi.yaml", import.meta.url);
export const SHARED_SPEC = new URL("../../../shared/doorflow/openapi.yaml", import.meta.url);

type Node = Record<string, unknown>;
type JsonSchema = Record<string, unknown>;

export interface Exchange {
  method: string;
  /** Without the query. */
  path: string;
  /** Raw query string, without `?`. */
  query: string;
  status: number;
  /** A fault rule answered or spoiled this call: only the request is DoorFlow's contract then. */
  faulted: boolean;
  dropped: boolean;
  requestType: string | undefined;
  requestBody: string | undefined;
  responseType: string | undefined;
  responseBody: string;
}

export interface Violation {
  /** `PUT /api/3/people/40221 → 201` */
  call: string;
  side: "request" | "response";
  message: string;
}

export interface Operation {
  id: string;
  method: string;
  template: string;
  node: Node;
  /** OAuth2 scopes from `security` (empty: any valid token). */
  scopes: string[];
}

export function loadSpec(url: URL = SPEC_COPY): Node {
  return parse(readFileSync(url, "utf8")) as Node;
}

const METHODS = ["get", "post", "put", "delete", "patch"] as const;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every operation of the document, with its path template and OAuth2 scopes. */
function operationsOf(spec: Node): Operation[] {
  const out: Operation[] = [];
  for (const [template, item] of Object.entries(spec.paths as Node)) {
    if (!isNode(item)) continue;
    for (const method of METHODS) {
      const node = item[method];
      if (!isNode(node)) continue;
      const security = Array.isArray(node.security) ? (node.security as Node[]) : [];
      const scopes = security.flatMap((s) => (Array.isArray(s.OAuth2) ? (s.OAuth2 as string[]) : []));
      out.push({ id: String(node.operationId), method: method.toUpperCase(), template, node, scopes });
    }
  }
  return out;
}

// RFC 3339 section 5.6: full-date "T" full-time, seconds required, "Z" or a numeric offset. "T"
// and "Z" may be lower case (the RFC's note); a space, a missing offset or a bare date are not it.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt]([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

export function isRfc3339DateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const KEPT = ["type", "enum", "format", "pattern", "minItems", "maxItems", "minimum", "maximum", "required"];

class SchemaConverter {
  private readonly memo = new Map<string, JsonSchema>();

  constructor(
    private readonly spec: Node,
    private readonly credentialSlugs: readonly string[],
  ) {}

  resolve(ref: string): Node {
    let node: unknown = this.spec;
    for (const part of ref.replace(/^#\//, "").split("/")) node = isNode(node) ? node[part] : undefined;
    if (!isNode(node)) throw new Error(`unresolvable $ref ${ref}`);
    return node;
  }

  deref(node: Node): Node {
    return typeof node.$ref === "string" ? this.deref(this.resolve(node.$ref)) : node;
  }

  convert(node: Node): JsonSchema {
    if (typeof node.$ref === "string") {
      const ref = node.$ref;
      const cached = this.memo.get(ref);
      if (cached) return cached;
      const converted = this.convert(this.resolve(ref));
      this.memo.set(ref, converted);
      return converted;
    }
    const out: JsonSchema = {};
    for (const key of KEPT) if (node[key] !== undefined) out[key] = node[key];
    if (isNode(node.items)) out.items = this.convert(node.items);
    const isObject = node.type === "object" || isNode(node.properties);
    if (isObject) {
      const properties: Record<string, JsonSchema> = {};
      for (const [name, child] of Object.entries(isNode(node.properties) ? node.properties : {})) {
        if (isNode(child)) properties[name] = this.convert(child);
      }
      // The spec's only `additionalProperties` are Person's and PersonInput's credential fields,
      // named after the account's credential-type slugs: exactly those, a value or null.
      if (node.additionalProperties !== undefined) {
        for (const slug of this.credentialSlugs) properties[slug] ??= { type: ["string", "null"] };
      }
      out.type = "object";
      out.properties = properties;
      out.additionalProperties = false;
    }
    if (node.nullable === true) {
      if (typeof out.type === "string") out.type = [out.type, "null"];
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    }
    return out;
  }
}

function describeErrors(errors: ErrorObject[] | null | undefined, root = "body"): string[] {
  return (errors ?? []).map((e) => {
    const at = `${root}${e.instancePath}`;
    if (e.keyword === "additionalProperties") {
      return `${at}: field "${String(e.params.additionalProperty)}" is not in the spec`;
    }
    const value = e.keyword === "format" || e.keyword === "enum" ? ` (${JSON.stringify(e.data)})` : "";
    return `${at}: ${e.message ?? e.keyword}${value}`;
  });
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function parseBody(type: string, text: string): { ok: true; value: unknown } | { ok: false } {
  if (type === "application/x-www-form-urlencoded") {
    return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A query or path value (always text) read as its parameter's schema says. */
function paramValue(schema: Node, raw: string, style: unknown, explode: unknown): unknown {
  if (schema.type === "array") {
    const parts = style === "form" && explode === false ? raw.split(",") : [raw];
    const items = isNode(schema.items) ? schema.items : {};
    return parts.map((p) => paramValue(items, p, undefined, undefined));
  }
  if (schema.type === "integer") return /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (schema.type === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
}

export interface ContractOptions {
  /** The account's credential-type slugs: the open fields of Person and PersonInput. */
  credentialSlugs: readonly string[];
}

export class Contract {
  readonly operations: Operation[];
  private readonly ajv: Ajv;
  private readonly converter: SchemaConverter;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly matchers: Array<{ op: Operation; regex: RegExp; names: string[] }>;

  constructor(spec: Node, options: ContractOptions) {
    this.operations = operationsOf(spec);
    this.converter = new SchemaConverter(spec, options.credentialSlugs);
    this.ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
    addFormats.default(this.ajv, ["email", "uri"]);
    this.ajv.addFormat("date-time", { type: "string", validate: isRfc3339DateTime });
    this.matchers = this.operations.map((op) => {
      const names: string[] = [];
      const source = op.template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
        names.push(name);
        return "([^/]+)";
      });
      return { op, regex: new RegExp(`^${source}$`), names };
    });
  }

  /** The operation a request calls, and its path parameters. */
  match(method: string, path: string): { op: Operation; params: Record<string, string> } | undefined {
    // Literal templates first: /api/3/credentials must not read as /api/3/{x}.
    const candidates = this.matchers
      .filter((m) => m.op.method === method.toUpperCase())
      .sort((a, b) => a.names.length - b.names.length);
    for (const { op, regex, names } of candidates) {
      const m = regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = safeDecode(m[i + 1] ?? "")));
      return { op, params };
    }
    return undefined;
  }

  /** Every way the exchange departs from the spec; empty when it follows it. */
  check(x: Exchange): Violation[] {
    const call = `${x.method} ${x.path}${x.query ? `?${x.query}` : ""} → ${x.dropped ? "dropped" : x.status}`;
    const violations: Violation[] = [];
    const add = (side: Violation["side"], message: string) => violations.push({ call, side, message });
    const matched = this.match(x.method, x.path);
    if (!matched) {
      add("request", "no operation in the spec for this method and path");
      return violations;
    }
    const { op, params } = matched;
    this.checkParameters(op, params, x.query, (m) => add("request", m));
    this.checkRequestBody(op, x, (m) => add("request", m));
    if (!x.faulted && !x.dropped) this.checkResponse(op, x, (m) => add("response", m));
    return violations;
  }

  private validator(key: string, schema: () => JsonSchema): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(schema());
      this.compiled.set(key, fn);
    }
    return fn;
  }

  private parameters(op: Operation): Node[] {
    const list = Array.isArray(op.node.parameters) ? (op.node.parameters as Node[]) : [];
    return list.map((p) => this.converter.deref(p));
  }

  private checkParameters(
    op: Operation,
    pathParams: Record<string, string>,
    rawQuery: string,
    add: (message: string) => void,
  ): void {
    const declared = this.parameters(op);
    const query = new URLSearchParams(rawQuery);
    const check = (p: Node, raw: string) => {
      const schema = isNode(p.schema) ? p.schema : {};
      const fn = this.validator(`${op.id} param ${String(p.in)} ${String(p.name)}`, () =>
        this.converter.convert(schema),
      );
      const value = paramValue(schema, raw, p.style ?? "form", p.explode ?? true);
      if (!fn(value)) {
        for (const e of describeErrors(fn.errors, `${String(p.in)} parameter ${String(p.name)}`)) add(e);
      }
    };
    for (const [name, raw] of Object.entries(pathParams)) {
      const p = declared.find((d) => d.in === "path" && d.name === name);
      if (p) check(p, raw);
      else add(`path parameter ${name} is not in the spec`);
    }
    for (const name of new Set(query.keys())) {
      const p = declared.find((d) => d.in === "query" && d.name === name);
      if (!p) add(`query parameter ${name} is not in the spec`);
      else for (const raw of query.getAll(name)) check(p, raw);
    }
    for (const p of declared) {
      if (p.in === "query" && p.required === true && !query.has(String(p.name))) {
        add(`required query parameter ${String(p.name)} is missing`);
      }
    }
  }

  /** The names a request body of `op` can carry: its fields and, one level down, a wrapper's. */
  private requestFields(op: Operation): string[] {
    const requestBody = isNode(op.node.requestBody) ? this.converter.deref(op.node.requestBody) : undefined;
    const content = requestBody && isNode(requestBody.content) ? requestBody.content : {};
    const names = new Set<string>();
    for (const media of Object.values(content)) {
      if (!isNode(media) || !isNode(media.schema)) continue;
      const top = this.converter.convert(media.schema);
      for (const [name, child] of Object.entries((top.properties ?? {}) as Record<string, JsonSchema>)) {
        names.add(name);
        for (const inner of Object.keys(child.properties ?? {})) names.add(inner);
      }
    }
    return [...names];
  }

  private withRequestFieldErrors(op: Operation, schema: JsonSchema): JsonSchema {
    const errors = (schema.properties as Record<string, JsonSchema> | undefined)?.errors;
    if (!errors || !errors.properties) return schema;
    const properties = { ...(errors.properties as Record<string, JsonSchema>) };
    for (const name of this.requestFields(op)) {
      properties[name] ??= { type: "array", items: { type: "string" } };
    }
    return {
      ...schema,
      properties: { ...(schema.properties as object), errors: { ...errors, properties } },
    };
  }

  private checkRequestBody(op: Operation, x: Exchange, add: (message: string) => void): void {
    const requestBody = isNode(op.node.requestBody) ? this.converter.deref(op.node.requestBody) : undefined;
    const hasBody = x.requestBody !== undefined && x.requestBody.trim() !== "";
    if (!requestBody) {
      if (hasBody) add("a body for an operation that takes none");
      return;
    }
    if (!hasBody) {
      if (requestBody.required === true) add("the required body is missing");
      return;
    }
    const content = isNode(requestBody.content) ? requestBody.content : {};
    const type = mediaType(x.requestType);
    const media = content[type];
    if (!isNode(media)) {
      add(`content type "${type}" is not one of ${Object.keys(content).join(", ")}`);
      return;
    }
    const parsed = parseBody(type, x.requestBody ?? "");
    if (!parsed.ok) {
      add(`the body is not valid ${type}`);
      return;
    }
    const fn = this.validator(`${op.id} request ${type}`, () =>
      this.converter.convert(isNode(media.schema) ? media.schema : {}),
    );
    if (!fn(parsed.value)) for (const e of describeErrors(fn.errors)) add(e);
  }

  private checkResponse(op: Operation, x: Exchange, add: (message: string) => void): void {
    const responses = isNode(op.node.responses) ? op.node.responses : {};
    const declared = responses[String(x.status)];
    if (!isNode(declared)) {
      add(`status ${x.status} is not documented (${Object.keys(responses).join(", ")})`);
      return;
    }
    const response = this.converter.deref(declared);
    const content = isNode(response.content) ? response.content : undefined;
    if (!content) return;
    const type = mediaType(x.responseType);
    const media = content[type];
    if (!isNode(media)) {
      add(`content type "${type}" is not one of ${Object.keys(content).join(", ")}`);
      return;
    }
    if (type !== "application/json") return;
    const parsed = parseBody(type, x.responseBody);
    if (!parsed.ok) {
      add("the body is not valid JSON");
      return;
    }
    const fn = this.validator(`${op.id} response ${x.status}`, () => {
      const schema = this.converter.convert(isNode(media.schema) ? media.schema : {});
      return x.status === 422 ? this.withRequestFieldErrors(op, schema) : schema;
    });
    if (!fn(parsed.value)) for (const e of describeErrors(fn.errors)) add(e);
  }
}

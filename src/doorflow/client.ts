/**
 * DoorFlow API v3 for Gatehouse: one method per call we make, each describing the request and how
 * it may be repeated; the shared transport (lib/http) sends it with DoorFlow's auth and errors. Lists are read to the last page. POSTs that could
 * create a duplicate are only repeated after checking that the lost attempt did not already create
 * the record (DoorFlow has no idempotency header).
 */
import { z } from "zod";
import { type HttpCall, type HttpClientOptions, HttpTransport } from "../lib/http/transport.js";
import type { DoorFlowAuth } from "./auth.js";
import { DoorFlowError, doorflowErrors } from "./errors.js";
import {
  type Account,
  accountSchema,
  type Channel,
  type Credential,
  type CredentialType,
  channelSchema,
  credentialSchema,
  credentialTypeSchema,
  type Group,
  type GroupReservation,
  groupReservationSchema,
  groupSchema,
  okResultSchema,
  type Person,
  type PersonInput,
  personSchema,
  type Reservation,
  reservationSchema,
} from "./schemas.js";
import { personBody, sameBooking, sameEmail, wireInstant } from "./wire.js";

export interface DoorFlowClientOptions extends HttpClientOptions {
  baseUrl: string;
  auth: DoorFlowAuth;
  /** Most pages one list may take (default MAX_LIST_PAGES); tests lower it. */
  maxPages?: number;
}

export interface PeopleFilter {
  email?: string;
  systemId?: string;
}

export interface ReservationRequest {
  personId: number;
  startTime: Date;
  endTime: Date;
  channelIds: number[];
}

export interface GroupReservationRequest {
  personId: number;
  startTime: Date;
  endTime: Date;
  groupIds: number[];
}

export type SyncResult = { status: "requested" } | { status: "rate_limited"; retryInSeconds: number };

/** DoorFlow caps people pages at 100; other lists allow 500 (channels 1000). */
const PEOPLE_PAGE = 100;
const LIST_PAGE = 500;
/**
 * A list longer than this many full pages is not a real account (100,000 people) but a server that
 * never sends the short last page: reading stops with an error instead of looping forever.
 */
const MAX_LIST_PAGES = 1_000;
/** The spec promises `retry_in` on a sync 429; this is DoorFlow's documented ~30 s limit if it is absent. */
const SYNC_RETRY_FALLBACK_S = 30;
/** DoorFlow's "generate a PIN for me" value. */
const GENERATE = "******";

const people = z.array(personSchema);
const channels = z.array(channelSchema);
const credentialTypes = z.array(credentialTypeSchema);
const groups = z.array(groupSchema);
const credentials = z.array(credentialSchema);
const reservations = z.array(reservationSchema);
const groupReservations = z.array(groupReservationSchema);

type DoorFlowCall<T> = HttpCall<T, DoorFlowError>;

const goneAfterRetry = (error: DoorFlowError, h: { attempt: number }) =>
  error.code === "doorflow_not_found" && h.attempt > 1 ? { value: undefined } : undefined;

export class DoorFlowClient {
  private readonly transport: HttpTransport<DoorFlowError>;
  private readonly maxPages: number;

  constructor(options: DoorFlowClientOptions) {
    const { auth, maxPages, ...http } = options;
    this.maxPages = maxPages ?? MAX_LIST_PAGES;
    this.transport = new HttpTransport({
      ...http,
      service: "doorflow",
      auth: {
        headers: async () => ({ authorization: await auth.authorization() }),
        refreshAfterUnauthorized: (sent) => auth.refreshAfterUnauthorized(sent.authorization ?? ""),
        isOwnError: (error) => error instanceof DoorFlowError,
      },
      errors: doorflowErrors,
      concurrency: http.concurrency ?? 4,
    });
  }

  getAccount(): Promise<Account> {
    return this.get("/api/3/account", accountSchema, "the account");
  }

  listCredentialTypes(): Promise<CredentialType[]> {
    return this.listAll("/api/3/credential_types", credentialTypes, "credential types");
  }

  /** Not paginated by DoorFlow. */
  listGroups(): Promise<Group[]> {
    return this.get("/api/3/groups", groups, "groups");
  }

  listChannels(): Promise<Channel[]> {
    return this.listAll("/api/3/channels", channels, "doors");
  }

  async listPeople(filter: PeopleFilter = {}): Promise<Person[]> {
    const all: Person[] = [];
    for await (const page of this.pages(
      "/api/3/people",
      people,
      "people",
      PEOPLE_PAGE,
      peopleQuery(filter),
    )) {
      all.push(...page);
    }
    return all;
  }

  async *iteratePeople(filter: PeopleFilter = {}): AsyncIterable<Person> {
    for await (const page of this.pages(
      "/api/3/people",
      people,
      "people",
      PEOPLE_PAGE,
      peopleQuery(filter),
    )) {
      yield* page;
    }
  }

  getPerson(id: number): Promise<Person> {
    return this.get(`/api/3/people/${id}`, personSchema, `person ${id}`);
  }

  async findPersonBySystemId(systemId: string): Promise<Person | null> {
    const found = await this.listPeople({ systemId });
    return found.find((p) => p.system_id === systemId) ?? null;
  }

  async findPeopleByEmail(email: string): Promise<Person[]> {
    const found = await this.listPeople({ email: email.trim() });
    return found.filter((p) => sameEmail(p.email, email));
  }

  createPerson(input: PersonInput): Promise<Person> {
    const systemId = input.system_id ?? undefined;
    return this.transport.send({
      method: "POST",
      path: "/api/3/people",
      body: personBody(input),
      schema: personSchema,
      doing: "create",
      what: describePerson(input),
      // system_id is our idempotency key: a person carrying it means the lost attempt got through.
      replay: systemId
        ? async () => {
            const existing = await this.findPersonBySystemId(systemId);
            return existing ? { value: existing } : undefined;
          }
        : "unsafe",
    });
  }

  /** DoorFlow answers 201 to an update. */
  updatePerson(id: number, input: PersonInput): Promise<Person> {
    return this.send({
      method: "PUT",
      path: `/api/3/people/${id}`,
      body: personBody(input),
      schema: personSchema,
      doing: "update",
      what: `person ${id}`,
    });
  }

  listCredentials(personId: number): Promise<Credential[]> {
    return this.listAll(
      `/api/3/people/${personId}/credentials`,
      credentials,
      `the credentials of person ${personId}`,
    );
  }

  /** Every credential in the account (spec: listAllCredentials, `GET /api/3/credentials`). */
  listAllCredentials(): Promise<Credential[]> {
    return this.listAll("/api/3/credentials", credentials, "the account's credentials");
  }

  /**
   * Who holds `value` for the credential type. DoorFlow has no filter by value, so this reads the
   * account's credential list; values are unique per type, so there is at most one holder.
   */
  async findCredentialHolder(credentialTypeId: number, value: string): Promise<Credential | null> {
    const all = await this.listAllCredentials();
    return all.find((c) => c.credential_type_id === credentialTypeId && c.value === value) ?? null;
  }

  /** `value: null` for a mobile credential: DoorFlow sends the person an invitation instead. */
  createCredential(
    personId: number,
    input: { credentialTypeId: number; value: string | null },
  ): Promise<Credential> {
    return this.send({
      method: "POST",
      path: `/api/3/people/${personId}/credentials`,
      body: { person_credential: { credential_type_id: input.credentialTypeId, value: input.value } },
      schema: credentialSchema,
      doing: "create",
      what: `a credential of type ${input.credentialTypeId} for person ${personId}`,
      // One credential per type per person: a repeat cannot duplicate, DoorFlow answers 409.
      replay: "safe",
      settle: (error, history) => {
        if (error.code !== "doorflow_conflict") return undefined;
        const existing = credentialSchema.safeParse(error.body);
        if (!existing.success || existing.data.credential_type_id !== input.credentialTypeId)
          return undefined;
        const same = existing.data.value === input.value;
        // A generated PIN cannot be compared, nor a mobile invitation (it has no value): after a
        // lost attempt the existing one is ours, unless it is a mobile credential on its way out.
        const live = existing.data.status !== "revoking" && existing.data.status !== "revoked";
        const uncompared = input.value === GENERATE || (input.value === null && live);
        const ours = uncompared && history.mayHaveAppliedBefore;
        return same || ours ? { value: existing.data } : undefined;
      },
    });
  }

  updateCredential(personId: number, credentialId: string, input: { value: string }): Promise<Credential> {
    return this.send({
      method: "PUT",
      path: `/api/3/people/${personId}/credentials/${encodeURIComponent(credentialId)}`,
      body: { person_credential: { value: input.value } },
      schema: credentialSchema,
      doing: "update",
      what: `credential ${credentialId} of person ${personId}`,
    });
  }

  deleteCredential(personId: number, credentialId: string): Promise<void> {
    return this.delete(
      `/api/3/people/${personId}/credentials/${encodeURIComponent(credentialId)}`,
      `credential ${credentialId} of person ${personId}`,
    );
  }

  /** Start and end must fall on the same day in the account time zone (DoorFlow answers 422 otherwise). */
  createReservation(r: ReservationRequest): Promise<Reservation> {
    return this.send({
      method: "POST",
      path: "/api/3/reservations",
      body: {
        person_id: r.personId,
        start_time: wireInstant(r.startTime),
        end_time: wireInstant(r.endTime),
        channel_ids: r.channelIds,
      },
      schema: reservationSchema,
      doing: "create",
      what: `the reservation for person ${r.personId}`,
      // DoorFlow lists only future reservations: once the window has begun, a lost attempt's
      // reservation would not be listed, and sending again could make a second one. The caller
      // resolves that case from its own record (see provisioning's grantAccess).
      replay:
        r.startTime.getTime() <= Date.now()
          ? "unsafe"
          : async () => {
              const existing = await this.listReservations({ personId: r.personId });
              const match = existing.find((x) => sameBooking(x, r, (y) => y.channel_ids, r.channelIds));
              return match ? { value: match } : undefined;
            },
    });
  }

  /**
   * DoorFlow lists *future* reservations only (spec: listReservations), not current ones; it has no
   * person filter, so we filter here.
   */
  async listReservations(filter: { personId?: number } = {}): Promise<Reservation[]> {
    const all = await this.listAll("/api/3/reservations", reservations, "reservations");
    return filter.personId === undefined ? all : all.filter((r) => r.person_id === filter.personId);
  }

  deleteReservation(id: number): Promise<void> {
    return this.delete(`/api/3/reservations/${id}`, `reservation ${id}`);
  }

  createGroupReservation(r: GroupReservationRequest): Promise<GroupReservation> {
    return this.send({
      method: "POST",
      path: "/api/3/group_reservations",
      body: {
        group_reservation: {
          person_id: r.personId,
          start_time: wireInstant(r.startTime),
          end_time: wireInstant(r.endTime),
          group_ids: r.groupIds,
        },
      },
      schema: groupReservationSchema,
      doing: "create",
      what: `the group reservation for person ${r.personId}`,
      replay: async () => {
        const existing = await this.listGroupReservations({ personId: r.personId });
        const match = existing.find(
          (x) => x.state !== "deactivated" && sameBooking(x, r, (y) => y.group_ids, r.groupIds),
        );
        return match ? { value: match } : undefined;
      },
    });
  }

  async listGroupReservations(filter: { personId?: number } = {}): Promise<GroupReservation[]> {
    const all = await this.listAll("/api/3/group_reservations", groupReservations, "group reservations");
    return filter.personId === undefined ? all : all.filter((r) => r.person_id === filter.personId);
  }

  /** DoorFlow has no GET by id for group reservations: look in the list. */
  async getGroupReservation(id: number): Promise<GroupReservation | null> {
    const all = await this.listGroupReservations();
    return all.find((r) => r.id === id) ?? null;
  }

  /** A pending one is deleted; an active one is deactivated and the person leaves its groups. */
  deleteGroupReservation(id: number): Promise<void> {
    return this.delete(`/api/3/group_reservations/${id}`, `group reservation ${id}`);
  }

  /**
   * Pushes changes to the door controllers. DoorFlow allows about one call per 30 s; a 429 is an
   * expected answer, returned (not retried) so the caller's debouncer can reschedule.
   */
  requestSync(): Promise<SyncResult> {
    return this.send<SyncResult>({
      method: "POST",
      path: "/api/3/sync",
      schema: okResultSchema.transform((): SyncResult => ({ status: "requested" })),
      doing: "start",
      what: "a sync of the door controllers",
      // Syncing twice is harmless.
      replay: "safe",
      settle: (error) =>
        error.code === "doorflow_rate_limited"
          ? {
              value: {
                status: "rate_limited",
                retryInSeconds: error.retryInSeconds ?? SYNC_RETRY_FALLBACK_S,
              },
            }
          : undefined,
    });
  }

  async close(): Promise<void> {
    await this.transport.close();
  }

  private send<T>(call: DoorFlowCall<T>): Promise<T> {
    return this.transport.send(call);
  }

  private get<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T> {
    return this.transport.send({ method: "GET", path, schema, doing: "read", what });
  }

  private delete(path: string, what: string): Promise<void> {
    return this.transport.send<void>({
      method: "DELETE",
      path,
      schema: null,
      doing: "delete",
      what,
      // A 404 after a lost attempt means that attempt deleted it.
      settle: goneAfterRetry,
    });
  }

  private async listAll<T>(path: string, schema: z.ZodType<T[]>, what: string): Promise<T[]> {
    const all: T[] = [];
    for await (const page of this.pages(path, schema, what, LIST_PAGE, {})) all.push(...page);
    return all;
  }

  /**
   * Pages until a short page: DoorFlow's Total header is optional, a short page is not. A server
   * that ignores `page` (or cycles) would answer full pages for ever, so a page that repeats an
   * earlier one, or more than `maxPages` full pages, ends the read with an error: a partial list
   * passed off as whole could make Gatehouse miss a person it must offboard.
   */
  private async *pages<T>(
    path: string,
    schema: z.ZodType<T[]>,
    what: string,
    perPage: number,
    query: Record<string, string | undefined>,
  ): AsyncGenerator<T[]> {
    const seen = new Map<string, number>();
    for (let page = 1; ; page++) {
      if (page > this.maxPages) {
        throw pagingError(
          path,
          `DoorFlow sent more than ${this.maxPages} pages of ${what} without a short last page; Gatehouse stopped reading. DoorFlow may be ignoring the page parameter; please report it.`,
        );
      }
      const items = await this.transport.send({
        method: "GET",
        path,
        query: { ...query, page, per_page: perPage },
        schema,
        doing: "list",
        what,
      });
      if (items.length < perPage) {
        yield items;
        return;
      }
      const key = pageKey(items);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        throw pagingError(
          path,
          `DoorFlow's page ${page} of ${what} repeats page ${earlier}; Gatehouse stopped reading. DoorFlow may be ignoring the page parameter; please report it.`,
        );
      }
      seen.set(key, page);
      yield items;
    }
  }
}

/** A page's identity: its records' ids in order (every DoorFlow list has them), else its content. */
function pageKey(items: unknown[]): string {
  const ids = items.map((item) => (item && typeof item === "object" && "id" in item ? item.id : undefined));
  return ids.every((id) => id !== undefined) ? JSON.stringify(ids) : JSON.stringify(items);
}

function pagingError(path: string, message: string): DoorFlowError {
  return new DoorFlowError({ code: "doorflow_bad_response", message, method: "GET", path });
}

function peopleQuery(filter: PeopleFilter): Record<string, string | undefined> {
  return { email: filter.email, system_id: filter.systemId };
}

function describePerson(input: PersonInput): string {
  const name = [input.first_name, input.last_name].filter(Boolean).join(" ");
  return name ? `the person ${name}` : "the person";
}

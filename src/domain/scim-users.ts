/**
 * The identities an identity provider (Okta, Entra ID) provisions over SCIM, and what their
 * lifecycle means for doors. Creating or changing a user writes nothing to DoorFlow: door access
 * comes from a request. `active` turning false, or a DELETE, is a leaver: one leaver event per
 * deactivation, recorded in the same transaction as the change, so it is offboarded exactly once
 * however often the provider repeats itself. Turning active again never gives access back.
 * (RFC 7643 §4.1.1 `active`; RFC 7644 §3.5.2 PATCH, §3.6 DELETE.)
 */
import { randomUUID } from "node:crypto";
import { inTransaction } from "../db/database.js";
import { recordAudit } from "../db/repositories/audit.js";
import {
  findScimUserByUserName,
  getScimUser,
  insertScimUser,
  markScimUserDeleted,
  type ScimUser,
  type ScimUserFields,
  updateScimUser,
} from "../db/repositories/scim-users.js";
import { errorMessage } from "../lib/errors.js";
import type { Deps } from "./deps.js";
import { recordScimDeprovision } from "./leaver-intake.js";
import { LEAVER_ACTOR } from "./leavers.js";

export interface ScimIdentity extends ScimUserFields {
  /** A name to show people: name.formatted, given + family, or displayName. */
  displayName: string | null;
}

export type ScimWrite =
  | { status: "ok"; user: ScimUser; leaverRecorded: boolean }
  | { status: "not_found" }
  | { status: "conflict"; userName: string };

export function createScimUser(deps: Pick<Deps, "db" | "now">, identity: ScimIdentity): ScimWrite {
  return inTransaction(deps.db, (tx) => {
    if (findScimUserByUserName(tx, identity.userName))
      return { status: "conflict", userName: identity.userName };
    const user = insertScimUser(tx, randomUUID(), fieldsOf(identity), deps.now());
    recordAudit(tx, {
      at: deps.now(),
      actor: LEAVER_ACTOR.scim,
      action: "scim.user_created",
      subjectEmail: user.email,
      subjectName: identity.displayName,
      outcome: "info",
      details: {
        scimUserId: user.id,
        userName: user.userName,
        externalId: user.externalId,
        active: user.active,
      },
    });
    return { status: "ok", user, leaverRecorded: false };
  });
}

/** PUT and PATCH both end here with the user's whole new state. */
export async function replaceScimUser(deps: Deps, id: string, identity: ScimIdentity): Promise<ScimWrite> {
  const result = inTransaction(deps.db, (tx): ScimWrite & { reactivated?: ScimUser } => {
    const current = getScimUser(tx, id);
    if (!current) return { status: "not_found" };
    const holder = findScimUserByUserName(tx, identity.userName);
    if (holder && holder.id !== id) return { status: "conflict", userName: identity.userName };
    const deactivated = current.active && !identity.active;
    const deactivations = current.deactivations + (deactivated ? 1 : 0);
    const user = updateScimUser(tx, id, { ...fieldsOf(identity), deactivations }, deps.now());
    if (deactivated) {
      recordScimDeprovision(
        tx,
        { id, email: user.email, name: identity.displayName, deactivation: deactivations },
        deps.now(),
      );
    }
    const reactivated = !current.active && identity.active;
    return { status: "ok", user, leaverRecorded: deactivated, ...(reactivated ? { reactivated: user } : {}) };
  });
  if (result.status === "ok" && result.reactivated) await tellReactivated(deps, result.reactivated, identity);
  return result;
}

export function deleteScimUser(deps: Pick<Deps, "db" | "now">, id: string): ScimWrite {
  return inTransaction(deps.db, (tx) => {
    const current = getScimUser(tx, id);
    if (!current) return { status: "not_found" };
    // Deleting a user who is already inactive is not a second deactivation.
    const deactivations = current.deactivations + (current.active ? 1 : 0);
    markScimUserDeleted(tx, id, deactivations, deps.now());
    if (current.active) {
      recordScimDeprovision(
        tx,
        { id, email: current.email, name: nameOf(current.resource), deactivation: deactivations },
        deps.now(),
      );
    }
    return { status: "ok", user: current, leaverRecorded: current.active };
  });
}

/** The security channel is told, once per reactivation; door access stays as it is. */
async function tellReactivated(deps: Deps, user: ScimUser, identity: ScimIdentity): Promise<void> {
  const who = identity.displayName ?? user.userName;
  recordAudit(deps.db, {
    at: deps.now(),
    actor: LEAVER_ACTOR.scim,
    action: "scim.user_reactivated",
    subjectEmail: user.email,
    subjectName: who,
    outcome: "info",
    details: { scimUserId: user.id, userName: user.userName },
  });
  await deps.messenger
    .securityAlert({
      title: `Identity provider (SCIM): ${who} is active again`,
      lines: [
        { label: "Person", text: [`${who} (${user.email ?? user.userName}), SCIM user `, { code: user.id }] },
        {
          text: "Gatehouse does not give door access back by itself: if they need it, ask for it with /contractor (an employee's card is re-enabled in DoorFlow by someone who decides so).",
        },
      ],
    })
    .catch((error: unknown) =>
      deps.logger.warn("could not post the SCIM reactivation notice", { error: errorMessage(error) }),
    );
}

function fieldsOf(identity: ScimIdentity): ScimUserFields {
  return {
    userName: identity.userName,
    externalId: identity.externalId,
    email: identity.email?.toLowerCase() ?? null,
    active: identity.active,
    resource: identity.resource,
  };
}

/** The name a stored resource gives, as `ScimIdentity.displayName` does. */
export function nameOf(resource: Record<string, unknown>): string | null {
  const name = (resource.name ?? {}) as { formatted?: unknown; givenName?: unknown; familyName?: unknown };
  if (typeof name.formatted === "string" && name.formatted.trim()) return name.formatted.trim();
  const parts = [name.givenName, name.familyName].filter(
    (p): p is string => typeof p === "string" && !!p.trim(),
  );
  if (parts.length > 0) return parts.join(" ");
  return typeof resource.displayName === "string" && resource.displayName.trim()
    ? resource.displayName.trim()
    : null;
}

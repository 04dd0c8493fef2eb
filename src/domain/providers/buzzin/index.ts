/** Buzz-in work permits behind the access-provider port: one file per behaviour, gathered here. */
import type { Deps } from "../../deps.js";
import type { AccessProvider } from "../../ports.js";
import { extendInBuzzin } from "./extend.js";
import { offboardInBuzzin } from "./offboard.js";
import { provisionInBuzzin } from "./provision.js";

export function createBuzzinProvider(deps: Deps): AccessProvider {
  return {
    id: "buzzin",
    provision: (requestId) => provisionInBuzzin(deps, requestId),
    extend: (person, newEndDate) => extendInBuzzin(deps, person, newEndDate),
    offboard: (claimed) => Promise.all(claimed.map((o) => offboardInBuzzin(deps, o))),
  };
}

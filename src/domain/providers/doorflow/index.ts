/** DoorFlow behind the access-provider port: one file per behaviour, gathered here. */
import type { Deps } from "../../deps.js";
import type { AccessProvider } from "../../ports.js";
import { extendInDoorFlow } from "./extend.js";
import { offboardInDoorFlow } from "./offboard.js";
import { provisionRequest } from "./provision.js";

export function createDoorFlowProvider(deps: Deps): AccessProvider {
  return {
    id: "doorflow",
    provision: (requestId) => provisionRequest(deps, requestId),
    extend: (person, newEndDate) => extendInDoorFlow(deps, person, newEndDate),
    offboard: (claimed) => offboardInDoorFlow(deps, claimed),
  };
}

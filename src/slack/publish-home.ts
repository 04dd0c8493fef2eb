/** Draws a user's App Home from what they may see, and publishes it. */
import type { webApi } from "@slack/bolt";
import type { Deps } from "../domain/deps.js";
import { loadHome } from "../domain/home.js";
import { buildHomeView } from "./views/home.js";

export async function publishHome(deps: Deps, client: webApi.WebClient, userId: string): Promise<void> {
  const view = buildHomeView(await loadHome(deps, userId));
  await client.views.publish({ user_id: userId, view });
}

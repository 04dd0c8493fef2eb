/**
 * views.*, users.*, usergroups.users.list, auth.test and bots.info as Slack answers them. Views keep their id
 * across updates and get a new hash each time, so a stale `hash` meets `hash_conflict` as in Slack.
 */
import { type MethodHandler, fail, obj, str } from "./args.js";
import { type Json, userObject, viewObject } from "./shapes.js";
import type { StandInView } from "./types.js";
import type { Workspace } from "./workspace.js";

function invalid(field: string): Json {
  return fail("invalid_arguments", {
    response_metadata: { messages: [`[ERROR] missing required field: ${field}`] },
  });
}

function findByExternalId(ws: Workspace, externalId: string): StandInView | undefined {
  return [...ws.views.values()].find((v) => v.externalId === externalId);
}

export function viewAndUserMethods(ws: Workspace): Record<string, MethodHandler> {
  const openModal = (args: Record<string, unknown>, pushed: boolean): Json => {
    // Any non-empty trigger id is accepted: the stand-in records it, but does not expire it.
    const trigger = str(args.trigger_id);
    if (trigger === undefined) return invalid("trigger_id");
    const input = obj(args.view);
    if (!input) return invalid("view");
    if (input.type !== "modal") return fail("invalid_arguments");
    if (input.title === undefined) return invalid("title");
    const externalId = str(input.external_id);
    if (externalId !== undefined && findByExternalId(ws, externalId)) return fail("duplicate_external_id");
    const userId = ws.triggers.get(trigger);
    const parent = pushed
      ? [...ws.views.values()].reverse().find((v) => v.view.type === "modal" && v.userId === userId)
      : undefined;
    const id = ws.nextId("V");
    const hash = ws.nextHash();
    const view = viewObject(ws, input, {
      id,
      hash,
      rootViewId: typeof parent?.view.root_view_id === "string" ? parent.view.root_view_id : id,
      previousViewId: parent?.id ?? null,
    });
    ws.views.set(id, {
      id,
      hash,
      view,
      ...(userId !== undefined ? { userId } : {}),
      ...(externalId !== undefined ? { externalId } : {}),
    });
    return { ok: true, view };
  };

  return {
    "auth.test": () => ({
      ok: true,
      url: `https://${ws.teamDomain}.slack.com/`,
      team: ws.teamName,
      user: ws.users.get(ws.botUserId)?.name ?? "gatehouse",
      team_id: ws.teamId,
      user_id: ws.botUserId,
      bot_id: ws.botId,
      is_enterprise_install: false,
    }),

    // Only the workspace's own bot is known; Slack answers bot_not_found for any other id.
    "bots.info": (args) => {
      if (str(args.bot) !== ws.botId) return fail("bot_not_found");
      return {
        ok: true,
        bot: {
          id: ws.botId,
          deleted: false,
          name: ws.users.get(ws.botUserId)?.name ?? "gatehouse",
          updated: ws.epochSeconds(),
          app_id: ws.appId,
          user_id: ws.botUserId,
          icons: { image_36: "", image_48: "", image_72: "" },
        },
      };
    },

    "api.test": (args) => ({ ok: true, args }),

    "views.open": (args) => openModal(args, false),
    "views.push": (args) => openModal(args, true),

    "views.update": (args) => {
      const viewId = str(args.view_id);
      const externalId = str(args.external_id);
      if (viewId === undefined && externalId === undefined) return invalid("view_id");
      const input = obj(args.view);
      if (!input) return invalid("view");
      const existing = viewId !== undefined ? ws.views.get(viewId) : findByExternalId(ws, externalId ?? "");
      if (!existing) return fail("not_found");
      const hash = str(args.hash);
      if (hash !== undefined && hash !== existing.hash) return fail("hash_conflict");
      existing.hash = ws.nextHash();
      existing.view = viewObject(
        ws,
        { ...input, external_id: str(input.external_id) ?? existing.externalId },
        {
          id: existing.id,
          hash: existing.hash,
          rootViewId:
            typeof existing.view.root_view_id === "string" ? existing.view.root_view_id : existing.id,
          previousViewId: (existing.view.previous_view_id as string | null | undefined) ?? null,
          state: existing.view.state,
        },
      );
      return { ok: true, view: existing.view };
    },

    "views.publish": (args) => {
      const user = ws.users.get(str(args.user_id) ?? "");
      if (!user || user.deleted) return fail("user_not_found");
      const input = obj(args.view);
      if (!input) return invalid("view");
      if (input.type !== "home") return fail("invalid_arguments");
      const existing = [...ws.views.values()].find((v) => v.userId === user.id && v.view.type === "home");
      const hash = str(args.hash);
      if (existing && hash !== undefined && hash !== existing.hash) return fail("hash_conflict");
      const id = existing?.id ?? ws.nextId("V");
      const newHash = ws.nextHash();
      const view = viewObject(ws, input, { id, hash: newHash, rootViewId: id, previousViewId: null });
      ws.views.set(id, { id, userId: user.id, hash: newHash, view });
      return { ok: true, view };
    },

    "users.info": (args) => {
      const user = ws.users.get(str(args.user) ?? "");
      if (!user) return fail("user_not_found");
      return { ok: true, user: userObject(ws, user) };
    },

    "users.lookupByEmail": (args) => {
      const email = str(args.email);
      const user = email === undefined ? undefined : ws.findUserByEmail(email);
      if (!user) return fail("users_not_found");
      return { ok: true, user: userObject(ws, user) };
    },

    "usergroups.users.list": (args) => {
      const members = ws.usergroups.get(str(args.usergroup) ?? "");
      if (!members) return fail("no_such_subteam");
      return { ok: true, users: [...members] };
    },
  };
}

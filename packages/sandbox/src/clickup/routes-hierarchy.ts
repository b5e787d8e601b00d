/** GET /user, GET /team, spaces, folders, lists (platform-apis.md §1.2). Nothing in the sandbox is archived. */
import type { Route } from "../kit/types.js";
import { type ClickUpEnv, ok, requireList, requireTeam } from "./env.js";
import { ClickUpApiError, ClickUpErrors } from "./errors.js";
import { folderView, listView, spaceView, taskCounts } from "./hierarchy-view.js";

/** `archived=true` asks for archived objects only, of which the sandbox has none. */
function wantsArchived(query: URLSearchParams): boolean {
  return query.get("archived") === "true";
}

export function hierarchyRoutes(env: ClickUpEnv): Route[] {
  const { store } = env;
  return [
    {
      method: "GET",
      pattern: "/user",
      handler: () => ok({ user: { ...store.user(env.actingUser), week_start_day: 1, global_font_support: false, timezone: "Etc/UTC" } }),
    },
    {
      method: "GET",
      pattern: "/team",
      handler: () => {
        // The token's owner owns the workspace (ClickUp roles: 1 owner, 3 member).
        const members = env.ctx.truth.people.map((p) => ({ user: { ...store.user(p.key), role: p.key === env.actingUser ? 1 : 3 } }));
        const name = `${env.ctx.truth.projectKey.toUpperCase()} Workspace`;
        return ok({ teams: [{ id: store.teamId, name, color: "#7b68ee", avatar: null, members }] });
      },
    },
    {
      method: "GET",
      pattern: "/team/:team_id/space",
      handler: (req) => {
        requireTeam(env, req.params.team_id);
        return ok({ spaces: wantsArchived(req.query) ? [] : store.layout.spaces.map((s) => spaceView(store, s)) });
      },
    },
    {
      method: "GET",
      pattern: "/space/:space_id/folder",
      handler: (req) => {
        const space = store.space(req.params.space_id ?? "");
        if (!space) throw new ClickUpApiError(ClickUpErrors.spaceNotFound);
        const counts = taskCounts(store.items);
        const folders = wantsArchived(req.query) ? [] : store.layout.folders.filter((f) => f.spaceId === space.id);
        return ok({ folders: folders.map((f) => folderView(store, f, counts)) });
      },
    },
    {
      method: "GET",
      pattern: "/folder/:folder_id/list",
      handler: (req) => {
        const folder = store.folder(req.params.folder_id ?? "");
        if (!folder) throw new ClickUpApiError(ClickUpErrors.folderNotFound);
        const counts = taskCounts(store.items);
        const lists = wantsArchived(req.query) ? [] : store.layout.lists.filter((l) => l.folderId === folder.id);
        return ok({ lists: lists.map((l) => listView(store, l, counts)) });
      },
    },
    {
      method: "GET",
      pattern: "/space/:space_id/list",
      handler: (req) => {
        const space = store.space(req.params.space_id ?? "");
        if (!space) throw new ClickUpApiError(ClickUpErrors.spaceNotFound);
        const counts = taskCounts(store.items);
        const lists = wantsArchived(req.query) ? [] : store.layout.lists.filter((l) => l.spaceId === space.id && l.folderId === null);
        return ok({ lists: lists.map((l) => listView(store, l, counts)) });
      },
    },
    {
      method: "GET",
      pattern: "/list/:list_id",
      handler: (req) => ok(listView(store, requireList(env, req.params.list_id), taskCounts(store.items))),
    },
  ];
}

/** `users/me/`, workspace members and projects (`api/urls/user.py`, `member.py`, `project.py`). */
import type { SandboxRequest } from "../kit/types.js";
import { renderProject, renderUserLite } from "./catalog-view.js";
import type { PlaneRoute } from "./endpoint.js";
import { PlaneErrors } from "./errors.js";
import { paginate } from "./paginate.js";
import type { PlaneStore } from "./store.js";

export function workspaceRoutes(store: PlaneStore): PlaneRoute[] {
  return [
    {
      method: "GET",
      pattern: "/users/me/",
      permission: "authenticated",
      handle: () => ({ status: 200, body: renderUserLite(store.apiUser) }),
    },
    {
      // A plain array (not paginated): UserLite fields plus the workspace role.
      method: "GET",
      pattern: "/workspaces/:slug/members/",
      permission: "workspace",
      handle: () => ({
        status: 200,
        body: store.ctx.truth.people.map((person) => ({ ...renderUserLite(person), role: store.roleOf(person) })),
      }),
    },
    {
      method: "GET",
      pattern: "/workspaces/:slug/projects/",
      permission: "workspace",
      handle: (req: SandboxRequest) => ({
        status: 200,
        body: paginate(req.query, store.layout.projects, (project) => renderProject(store, project)),
      }),
    },
    {
      method: "GET",
      pattern: "/workspaces/:slug/projects/:pk/",
      permission: "project",
      handle: (req: SandboxRequest) => {
        const project = store.project(req.params.pk!);
        if (!project) throw PlaneErrors.resourceNotFound();
        return { status: 200, body: renderProject(store, project) };
      },
    },
  ];
}

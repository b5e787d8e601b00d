import type { PlaneClient } from "./client.js";
import type { PlaneCycle, PlaneLabel, PlaneMember, PlaneModule, PlaneProject, PlaneState } from "./plane-types.js";

/** What a project's work items refer to by id: its states, labels, cycles and modules. */
export interface ProjectCatalog {
  project: PlaneProject;
  states: Map<string, PlaneState>;
  labels: Map<string, PlaneLabel>;
  cycles: Map<string, PlaneCycle>;
  modules: Map<string, PlaneModule>;
}

export const projectPath = (slug: string, projectId: string) => `workspaces/${slug}/projects/${projectId}`;

/** The workspace's members (a plain array, not paginated), by id. */
export async function loadMembers(client: PlaneClient, slug: string, signal?: AbortSignal): Promise<Map<string, PlaneMember>> {
  const members = await client.get<PlaneMember[]>(`workspaces/${slug}/members/`, "GET workspaces/:slug/members/", undefined, signal);
  if (!Array.isArray(members)) throw new TypeError("workspace members: not a list");
  return new Map(members.map((m) => [m.id, m]));
}

async function all<T extends { id: string }>(client: PlaneClient, path: string, endpoint: string, perPage: number, signal?: AbortSignal, query: Record<string, string> = {}): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for await (const page of client.pages<T>(path, endpoint, query, perPage, signal)) for (const row of page.results) out.set(row.id, row);
  return out;
}

export async function loadCatalog(client: PlaneClient, slug: string, projectId: string, perPage: number, signal?: AbortSignal): Promise<ProjectCatalog> {
  const base = projectPath(slug, projectId);
  const project = await client.get<PlaneProject>(`${base}/`, "GET projects/:id/", undefined, signal);
  return {
    project: { id: project.id, name: project.name, identifier: project.identifier },
    states: await all<PlaneState>(client, `${base}/states/`, "GET projects/:id/states/", perPage, signal),
    labels: await all<PlaneLabel>(client, `${base}/labels/`, "GET projects/:id/labels/", perPage, signal),
    cycles: await all<PlaneCycle>(client, `${base}/cycles/`, "GET projects/:id/cycles/", perPage, signal, { cycle_view: "all" }),
    modules: await all<PlaneModule>(client, `${base}/modules/`, "GET projects/:id/modules/", perPage, signal),
  };
}

/** What writes need: the project with its states and labels (no cycles or modules). */
export async function loadWritableCatalog(client: PlaneClient, slug: string, projectId: string, perPage: number, signal?: AbortSignal): Promise<Pick<ProjectCatalog, "project" | "states" | "labels">> {
  const base = projectPath(slug, projectId);
  const project = await client.get<PlaneProject>(`${base}/`, "GET projects/:id/", undefined, signal);
  return {
    project: { id: project.id, name: project.name, identifier: project.identifier },
    states: await all<PlaneState>(client, `${base}/states/`, "GET projects/:id/states/", perPage, signal),
    labels: await all<PlaneLabel>(client, `${base}/labels/`, "GET projects/:id/labels/", perPage, signal),
  };
}

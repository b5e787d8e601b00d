import { mapLimit } from "@pmo/platform-agent";
import { JobFailure, type ProjectConfig } from "@pmo/runtime";
import type { ClickUpClient } from "./client.js";
import { clickUpFailure } from "./failures.js";
import type { ClickUpSettings } from "./settings.js";
import type { ClickUpStatus } from "./status-category.js";

export type ClickUpContainers = NonNullable<ProjectConfig["clickup"]>;

export interface ClickUpUser {
  id: number;
  username: string;
  email?: string | null;
}

/** What the agent needs to know about one configured list. */
export interface ListInfo {
  id: string;
  name: string;
  folder: { id: string; name: string } | null;
  spaceId: string;
  /** A sprint list: its dates make the iteration of its tasks. */
  sprint: { startAt: number | null; endAt: number | null } | null;
  statuses: ClickUpStatus[];
}

export interface Workspace {
  teamId: string;
  teamName: string;
  members: ClickUpUser[];
  lists: ListInfo[];
  /** Configured spaces the token sees (a configured space it does not see fails verification). */
  spaceIds: string[];
}

interface RawList {
  id: string;
  name: string;
  folder?: { id: string; name: string; hidden?: boolean } | null;
  space?: { id: string } | null;
  start_date?: string | null;
  due_date?: string | null;
  statuses?: ClickUpStatus[];
}

/**
 * Checks the credential and every configured container, and reads what collection needs of them:
 * the workspace (and its members), the configured spaces, each configured list. Each failure says
 * which it is: bad token, a workspace or list the token may not see, or a list that does not exist.
 */
export async function resolveWorkspace(
  client: ClickUpClient,
  containers: ClickUpContainers | null,
  settings: Pick<ClickUpSettings, "iterations" | "concurrency">,
  credentialEnv: string,
  signal?: AbortSignal,
  /** Lists read by an earlier run (incremental runs reuse them instead of asking again). */
  known: ReadonlyMap<string, ListInfo> = new Map(),
): Promise<Workspace> {
  if (!containers) throw JobFailure.nonRetryable("clickup: this project has no clickup block in config/projects.json", "missing_parameters");
  const { teams } = await client.get<{ teams: { id: string; name: string; members?: { user: ClickUpUser }[] }[] }>("/team", "/team", undefined, signal).catch((err) => {
    throw clickUpFailure(err, { credentialEnv });
  });
  const team = teams.find((t) => String(t.id) === containers.teamId);
  if (!team) {
    throw JobFailure.nonRetryable(
      `clickup: no permission: workspace (team) ${containers.teamId} is not among those the token in ${credentialEnv} may see (${teams.map((t) => t.id).join(", ") || "none"})`,
      "forbidden",
    );
  }
  const teamWhere = `workspace (team) ${containers.teamId}`;
  const unknown = containers.listIds.filter((id) => !known.has(id));
  if (containers.spaceIds.length && unknown.length) {
    const { spaces } = await client.get<{ spaces: { id: string }[] }>("/team/:team_id/space", `/team/${containers.teamId}/space`, { archived: false }, signal).catch((err) => {
      throw clickUpFailure(err, { credentialEnv, container: teamWhere });
    });
    const missing = containers.spaceIds.filter((id) => !spaces.some((s) => String(s.id) === id));
    if (missing.length) throw JobFailure.nonRetryable(`clickup: space ${missing.join(", ")} was not found in ${teamWhere}: check config/projects.json`, "container_not_found");
  }
  // The lists are read side by side (as many at once as task pages are fetched): one after the
  // other, a workspace of 30 lists waited 30 round trips before its first task page.
  const lists = await mapLimit(containers.listIds, settings.concurrency, async (listId) => {
    const cached = known.get(listId);
    if (cached) return cached;
    const raw = await client.get<RawList>("/list/:list_id", `/list/${listId}`, undefined, signal).catch((err) => {
      throw clickUpFailure(err, { credentialEnv, container: `list ${listId}` });
    });
    return listInfo(raw, settings);
  });
  return {
    teamId: containers.teamId,
    teamName: team.name,
    members: (team.members ?? []).map((m) => ({ id: m.user.id, username: m.user.username, email: m.user.email ?? null })),
    lists,
    spaceIds: containers.spaceIds,
  };
}

function listInfo(raw: RawList, settings: Pick<ClickUpSettings, "iterations">): ListInfo {
  // Folderless lists sit in a hidden folder the API never addresses: no folder for us.
  const folder = raw.folder && !raw.folder.hidden ? { id: String(raw.folder.id), name: raw.folder.name } : null;
  const pattern = new RegExp(settings.iterations.folderNamePattern, "i");
  const isSprint = folder !== null && (settings.iterations.folderIds.includes(folder.id) || pattern.test(folder.name));
  return {
    id: String(raw.id),
    name: raw.name,
    folder,
    spaceId: String(raw.space?.id ?? ""),
    sprint: isSprint ? { startAt: msOrNull(raw.start_date), endAt: msOrNull(raw.due_date) } : null,
    statuses: raw.statuses ?? [],
  };
}

/** ClickUp sends instants as ms-epoch strings (sometimes numbers). */
export function msOrNull(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

import type { PlatformEvent } from "@pmo/contracts";
import type { PolledChanges } from "@pmo/platform-agent";
import type { ClickUpContext } from "./context.js";
import { msOrNull } from "./hierarchy.js";
import { TASKS_PER_PAGE, type ClickUpTask, type TaskPage } from "./task-shape.js";

/** Every configured workspace with the lists configured in it (projects may share a workspace). */
function configuredWorkspaces(cu: ClickUpContext): Map<string, string[]> {
  const byTeam = new Map<string, Set<string>>();
  for (const p of Object.values(cu.env.projects.projects)) {
    if (!p.clickup) continue;
    const lists = byTeam.get(p.clickup.teamId) ?? byTeam.set(p.clickup.teamId, new Set()).get(p.clickup.teamId)!;
    for (const l of p.clickup.listIds) lists.add(l);
  }
  return new Map([...byTeam].map(([team, lists]) => [team, [...lists]]));
}

/**
 * What changed on ClickUp since the poll watermark (for the kit's webhook-silence poller): per
 * workspace, one `GET /team/{id}/task` over the configured lists with `date_updated_gt`, newest
 * change first. Newest first because a task edited while the pages are read then moves to a page
 * already read and shifts the rest down (one repeat, no loss); oldest first would shift the rest up
 * past the reader and lose one. The first poll reads one page only, to learn ClickUp's clock.
 */
export async function pollClickUpChanges(cu: ClickUpContext, since: string | null, signal: AbortSignal): Promise<PolledChanges> {
  const sinceMs = since === null ? null : Date.parse(since);
  let newest = sinceMs;
  const events: PlatformEvent[] = [];
  for (const [teamId, lists] of configuredWorkspaces(cu)) {
    // date_updated_gt is exclusive and the kit's `since` inclusive: a change stamped exactly at the watermark must come back.
    const query = { include_closed: true, subtasks: true, list_ids: lists, order_by: "updated", reverse: true, ...(sinceMs === null ? {} : { date_updated_gt: sinceMs - 1 }) };
    for (let page = 0; ; page++) {
      const body = await cu.client.get<TaskPage>("/team/:team_id/task", `/team/${teamId}/task`, { ...query, page }, signal);
      for (const t of body.tasks) {
        const at = msOrNull(t.date_updated);
        if (at === null) continue;
        newest = Math.max(newest ?? at, at);
        events.push(changeEvent(t, at, sinceMs));
      }
      if (sinceMs === null || body.last_page === true || body.tasks.length < TASKS_PER_PAGE) break;
    }
  }
  return { events, watermark: newest === null ? null : new Date(newest).toISOString() };
}

/** A polled task → the event a webhook would have carried, as far as the task tells (it has no history). */
function changeEvent(t: ClickUpTask, at: number, sinceMs: number | null): PlatformEvent {
  const created = msOrNull(t.date_created);
  const isNew = sinceMs !== null && created !== null && created >= sinceMs;
  return {
    id: `clickup:poll:${t.id}:${at}`,
    platform: "clickup",
    type: isNew ? "item.created" : "item.updated",
    itemRef: { platform: "clickup", id: t.id },
    at: new Date(at).toISOString(),
    actor: null,
    changes: isNew ? [] : [{ field: "status", from: null, to: t.status?.status ?? null }],
  };
}

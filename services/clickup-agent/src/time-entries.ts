import { streamJsonItems } from "@pmo/platform-agent";
import type { ClickUpClient } from "./client.js";
import { msOrNull, type Workspace } from "./hierarchy.js";

interface TimeEntry {
  id: string;
  task?: { id: string } | null;
  duration: string | number;
  task_location?: { list_id?: string | number } | null;
}

/**
 * Tracked time per task of the configured lists, from Time Tracking 2.0
 * (`GET /team/{id}/time_entries`, platform-apis.md §1.9). One request for the whole workspace:
 * the endpoint takes one location filter at a time, so asking per list would cost one request per
 * list on every run. Without `assignee` it returns only the token owner's entries, so every member
 * is named. A running timer (negative duration) is not counted until it stops.
 */
export async function trackedTimeByTask(client: ClickUpClient, ws: Workspace, range: { start: number; end: number }, signal?: AbortSignal): Promise<Map<string, number>> {
  const lists = new Set(ws.lists.map((l) => l.id));
  return client.call<Map<string, number>>({
    endpoint: "GET /team/:team_id/time_entries",
    path: `/team/${ws.teamId}/time_entries`,
    query: { start_date: Math.floor(range.start), end_date: Math.ceil(range.end), assignee: ws.members.map((m) => m.id).join(",") || undefined },
    // A year of a busy workspace's entries is tens of MB: summed entry by entry as they stream in,
    // never held (a new sum each attempt, so a retried request counts nothing twice).
    stream: async (body) => {
      const byTask = new Map<string, number>();
      await streamJsonItems(body, "data", (e) => addEntry(byTask, e as TimeEntry, lists));
      return byTask;
    },
    signal,
  });
}

/** Adds one entry's duration to its task, when it counts: a task of the configured lists, stopped (a running timer has a negative duration). */
function addEntry(byTask: Map<string, number>, e: TimeEntry, lists: ReadonlySet<string>): void {
  const taskId = e?.task?.id;
  const duration = msOrNull(e?.duration);
  if (!taskId || duration === null || duration <= 0) return;
  const listId = e.task_location?.list_id;
  if (listId !== undefined && !lists.has(String(listId))) return;
  byTask.set(taskId, (byTask.get(taskId) ?? 0) + duration);
}

import { WorkItemSchema, type WorkItem } from "@pmo/contracts";
import { msOrNull, type ListInfo } from "./hierarchy.js";
import { isoInstant } from "./instant.js";
import { priorityFromTask } from "./priority.js";
import type { StatusCategorizer } from "./status-category.js";
import { statusHistory } from "./status-history.js";
import type { ClickUpTask } from "./task-shape.js";

export interface NormaliseContext {
  lists: ReadonlyMap<string, ListInfo>;
  categorizer: StatusCategorizer;
  /** Tracked time per task id from the time entries, when they were read. */
  timeSpent: ReadonlyMap<string, number> | null;
}

/** A record ClickUp sent that does not make a valid WorkItem: reported in `errors`, never fatal. */
export class MalformedTaskError extends Error {
  override name = "MalformedTaskError";
  constructor(readonly taskId: string | null, message: string) {
    super(message);
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : isoInstant(ms);
}

function required(task: ClickUpTask, field: "date_created" | "date_updated"): string {
  const ms = msOrNull(task[field]);
  if (ms === null) throw new MalformedTaskError(task.id ?? null, `task ${task.id}: ${field} is missing or not a ms timestamp`);
  return iso(ms)!;
}

/**
 * A ClickUp task as the common WorkItem (DESIGN §4). Dates arrive as ms-epoch strings; `blockedBy`
 * are the tasks this one waits on (`dependencies` lists both directions; ours are those whose
 * `task_id` is this task). The task object has no status history: `history` comes from the time in
 * status fetched beside it (status-history.ts says what that can and cannot tell), and `startedAt`
 * is its first entry into an in_progress status; without it (ClickApp off, or a snapshot from before)
 * `history` is empty and `startedAt` is ClickUp's start date, the only start instant a task carries.
 */
export function normaliseTask(task: ClickUpTask, ctx: NormaliseContext): WorkItem {
  if (!task || typeof task.id !== "string" || typeof task.name !== "string" || !task.status || typeof task.status.status !== "string") {
    throw new MalformedTaskError(typeof task?.id === "string" ? task.id : null, "task without id, name or status");
  }
  const listId = String(task.list?.id ?? "");
  const list = ctx.lists.get(listId);
  const points = typeof task.points === "number" ? task.points : null;
  const estimateMs = msOrNull(task.time_estimate);
  const spent = ctx.timeSpent ? (ctx.timeSpent.get(task.id) ?? msOrNull(task.time_spent) ?? 0) : msOrNull(task.time_spent);
  const history = statusHistory(task.pmo_time_in_status, task.status, ctx.categorizer);
  const candidate = {
    ref: { platform: "clickup" as const, id: task.id },
    key: task.custom_id || `CU-${task.id}`,
    url: task.url ?? `https://app.clickup.com/t/${task.id}`,
    title: task.name,
    kind: task.parent ? ("subtask" as const) : ("task" as const),
    status: task.status.status,
    statusCategory: ctx.categorizer.categorize(task.status),
    priority: priorityFromTask(task.priority),
    assignees: (task.assignees ?? []).map((a) => a.username ?? a.email ?? String(a.id)),
    labels: (task.tags ?? []).map((t) => t.name),
    container: { id: listId, name: list?.name ?? task.list?.name ?? "", kind: "list" as const },
    iteration: list?.sprint ? { id: list.id, name: list.name, startAt: iso(list.sprint.startAt), endAt: iso(list.sprint.endAt) } : null,
    createdAt: required(task, "date_created"),
    updatedAt: required(task, "date_updated"),
    startedAt: history.find((t) => t.toCategory === "in_progress")?.at ?? iso(msOrNull(task.start_date)),
    closedAt: iso(msOrNull(task.date_closed) ?? msOrNull(task.date_done)),
    dueAt: iso(msOrNull(task.due_date)),
    estimate: points === null && estimateMs === null ? null : { points, ms: estimateMs },
    timeSpentMs: spent,
    parent: task.parent ? { platform: "clickup" as const, id: task.parent } : null,
    blockedBy: (task.dependencies ?? []).filter((d) => d.task_id === task.id && d.depends_on !== task.id).map((d) => ({ platform: "clickup" as const, id: d.depends_on })),
    history,
  };
  const parsed = WorkItemSchema.safeParse(candidate);
  if (!parsed.success) throw new MalformedTaskError(task.id, `task ${task.id}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  // WorkItemSchema only checks (no defaults, no transforms), so the candidate is the valid item;
  // zod's output is a deep copy of it, ~10k of them a collection for the collector to sweep.
  return candidate satisfies WorkItem;
}

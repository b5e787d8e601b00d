/** Builders for hand-written WorkItems in tests: every field explicit, so expected values can be computed by hand. */
import type { StatusCategory, StatusTransition, WorkItem } from "@pmo/contracts";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

let seq = 0;

export function item(over: Partial<WorkItem> & { id?: string } = {}): WorkItem {
  const id = over.id ?? `i${++seq}`;
  const { id: _ignored, ...rest } = over;
  return {
    ref: { platform: "github", id },
    key: `#${id}`,
    url: `https://example.test/${id}`,
    title: `Item ${id}`,
    kind: "task",
    status: "Todo",
    statusCategory: "todo",
    priority: "none",
    assignees: [],
    labels: [],
    container: { id: "c1", name: "web", kind: "repo" },
    iteration: null,
    createdAt: "2024-01-01T00:00:00.000Z",
    updatedAt: "2024-01-01T00:00:00.000Z",
    startedAt: null,
    closedAt: null,
    dueAt: null,
    estimate: null,
    timeSpentMs: null,
    parent: null,
    blockedBy: [],
    history: [],
    ...rest,
  };
}

const STATUS_NAME: Record<StatusCategory, string> = {
  backlog: "Backlog",
  todo: "Todo",
  in_progress: "In Progress",
  in_review: "In Review",
  done: "Done",
  cancelled: "Cancelled",
};

/** A history from [at, category] steps; the first step is the creation (from null). */
export function history(...steps: Array<[string, StatusCategory]>): StatusTransition[] {
  return steps.map(([at, to], i) => {
    const from = i === 0 ? null : steps[i - 1]![1];
    return { at, from: from && STATUS_NAME[from], to: STATUS_NAME[to], fromCategory: from, toCategory: to, by: null };
  });
}

/** An item whose status, category and dates follow its history. */
export function itemWithHistory(steps: Array<[string, StatusCategory]>, over: Partial<WorkItem> & { id?: string } = {}): WorkItem {
  const last = steps[steps.length - 1]!;
  const closed = last[1] === "done" || last[1] === "cancelled";
  return item({
    createdAt: steps[0]![0],
    updatedAt: last[0],
    status: STATUS_NAME[last[1]],
    statusCategory: last[1],
    closedAt: closed ? last[0] : null,
    history: history(...steps),
    ...over,
  });
}

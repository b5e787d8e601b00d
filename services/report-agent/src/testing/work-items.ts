/** A valid WorkItem with overridable fields, for tests (never shipped). */
import type { WorkItem } from "@pmo/contracts";

export function workItem(id: string, o: Partial<WorkItem> = {}): WorkItem {
  return {
    ref: { platform: "github", id },
    key: `#${id}`,
    url: `https://github.example/acme/web/issues/${id}`,
    title: `Issue ${id}`,
    kind: "issue",
    status: "open",
    statusCategory: "todo",
    priority: "none",
    assignees: [],
    labels: [],
    container: { id: "acme/web", name: "acme/web", kind: "repo" },
    iteration: null,
    createdAt: "2026-10-01T09:00:00Z",
    updatedAt: "2026-10-02T09:00:00Z",
    startedAt: null,
    closedAt: null,
    dueAt: null,
    estimate: null,
    timeSpentMs: null,
    parent: null,
    blockedBy: [],
    history: [],
    ...o,
  };
}

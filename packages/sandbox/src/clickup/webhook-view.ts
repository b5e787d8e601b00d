/**
 * Renders an ItemChange as ClickUp's task webhook delivery (CU-docs /docs/webhooktaskpayloads):
 * a body of ids and `history_items` only — `{event, history_items, task_id, webhook_id}`, just
 * `{event, task_id, webhook_id}` for taskDeleted, plus top-level `data` for time tracking — signed
 * with `X-Signature`. ClickUp sends one request per event; the kit asks for one delivery per
 * (change, registration), so a change that ClickUp reports under a specific event *and*
 * taskUpdated is delivered under the first of those the registration subscribes to.
 */
import { createHash } from "node:crypto";
import type { ItemChange, WebhookDelivery, WebhookRegistration } from "../kit/types.js";
import type { TruthItem } from "../truth/model.js";
import { priorityObject } from "./priorities.js";
import { CLICKUP_SIGNATURE_HEADER, signClickUpWebhook } from "./signature.js";
import { statusObject } from "./statuses.js";
import type { ClickUpStore } from "./store.js";
import { tagView } from "./task-view.js";

/** Location a registration listens to, encoded in WebhookRegistration.scope as "<kind>:<id>". */
export type WebhookLocation = "team" | "space" | "folder" | "list" | "task";

export function encodeScope(kind: WebhookLocation, id: string): string {
  return `${kind}:${id}`;
}

export function decodeScope(scope: string | null): { kind: WebhookLocation | null; id: string } | null {
  if (scope === null) return null;
  const m = /^(team|space|folder|list|task):(.*)$/.exec(scope);
  // A bare id (e.g. a registration made through the control API) matches any location with that id.
  return m ? { kind: m[1] as WebhookLocation, id: m[2]! } : { kind: null, id: scope };
}

function inScope(store: ClickUpStore, scope: string | null, item: TruthItem): boolean {
  const s = decodeScope(scope);
  if (!s) return true;
  const list = store.list(item.container);
  const ids: Record<WebhookLocation, string | null | undefined> = {
    team: store.teamId,
    space: list?.spaceId,
    folder: list?.folderId,
    list: item.container,
    task: item.id,
  };
  return s.kind ? ids[s.kind] === s.id : Object.values(ids).includes(s.id);
}

/** Which ClickUp events a field change is reported under, most specific first. */
const FIELD_EVENTS: Partial<Record<keyof TruthItem, string>> = {
  assignees: "taskAssigneeUpdated",
  priority: "taskPriorityUpdated",
  dueAt: "taskDueDateUpdated",
  labels: "taskTagUpdated",
  timeEstimateMs: "taskTimeEstimateUpdated",
  container: "taskMoved",
  status: "taskStatusUpdated",
};

function candidateEvents(change: ItemChange): string[] {
  switch (change.kind) {
    case "created":
      return ["taskCreated"];
    case "deleted":
      return ["taskDeleted"];
    case "comment_added":
      return ["taskCommentPosted"];
    case "time_tracked":
      return ["taskTimeTrackedUpdated"];
    case "status_changed":
    case "updated": {
      const specific = Object.keys(change.before).flatMap((f) => FIELD_EVENTS[f as keyof TruthItem] ?? []);
      return [...new Set([...specific, "taskUpdated"])];
    }
  }
}

/** The fields whose history items belong to `event`. */
function fieldsFor(event: string, change: ItemChange): (keyof TruthItem)[] {
  const changed = Object.keys(change.before) as (keyof TruthItem)[];
  if (event === "taskUpdated") return changed;
  return changed.filter((f) => FIELD_EVENTS[f] === event);
}

/** Stable 19-digit history item id (ClickUp's look), derived from the change id. */
export function historyId(changeId: string, index: number): string {
  const h = createHash("sha256").update(`${changeId}/${index}`).digest("hex");
  return (2_000_000_000_000_000_000n + (BigInt(`0x${h.slice(0, 15)}`) % 1_000_000_000_000_000_000n)).toString();
}

type HistoryBody = { field: string; data?: Record<string, unknown>; before?: unknown; after?: unknown; comment?: unknown };

function fieldHistory(store: ClickUpStore, change: ItemChange, field: keyof TruthItem): HistoryBody[] {
  const { item, before } = change;
  const layout = store.layout;
  switch (field) {
    case "status": {
      const after = statusObject(layout, item.status);
      return [{ field: "status", data: { status_type: after.type }, before: before.status ? statusObject(layout, before.status) : null, after }];
    }
    case "title":
      return [{ field: "name", before: before.title, after: item.title }];
    case "description":
      return [{ field: "content", before: before.description, after: item.description }];
    case "priority":
      return [{ field: "priority", before: before.priority ? priorityObject(before.priority) : null, after: priorityObject(item.priority) }];
    case "assignees": {
      const was = before.assignees ?? [];
      return [
        ...item.assignees.filter((k) => !was.includes(k)).map((k) => ({ field: "assignee_add", after: store.user(k) })),
        ...was.filter((k) => !item.assignees.includes(k)).map((k) => ({ field: "assignee_rem", before: store.user(k) })),
      ];
    }
    case "dueAt":
      return [{ field: "due_date", data: { due_date_time: false, old_due_date_time: false }, before: before.dueAt == null ? null : String(before.dueAt), after: item.dueAt === null ? null : String(item.dueAt) }];
    case "labels": {
      const was = before.labels ?? [];
      const added = item.labels.filter((l) => !was.includes(l)).map(tagView);
      const removed = was.filter((l) => !item.labels.includes(l)).map(tagView);
      return [{ field: "tag", before: removed.length ? removed : null, after: added.length ? added : null }];
    }
    case "timeEstimateMs":
      return [{ field: "time_estimate", data: { time_estimate: item.timeEstimateMs }, before: before.timeEstimateMs == null ? null : String(before.timeEstimateMs), after: item.timeEstimateMs === null ? null : String(item.timeEstimateMs) }];
    case "estimatePoints":
      return [{ field: "points", before: before.estimatePoints ?? null, after: item.estimatePoints }];
    case "container":
      return [{ field: "section_moved", data: { mute_notifications: true }, before: { id: before.container }, after: { id: item.container } }];
    default:
      return []; // derived bookkeeping (updatedAt, transitions, closedAt…) has no history item of its own
  }
}

function historyBodies(store: ClickUpStore, change: ItemChange, event: string): HistoryBody[] {
  const { item } = change;
  switch (change.kind) {
    case "created":
      return [{ field: "task_creation", before: null, after: null }];
    case "comment_added": {
      const c = item.comments[item.comments.length - 1];
      return [{ field: "comment", before: null, after: c?.id ?? null, comment: [{ text: c?.body ?? "", attributes: {} }] }];
    }
    case "time_tracked": {
      const e = item.timeEntries[item.timeEntries.length - 1];
      const total = String(item.timeEntries.reduce((n, t) => n + t.durationMs, 0));
      const after = e ? { id: e.id, start: String(e.startAt), end: String(e.startAt + e.durationMs), time: String(e.durationMs), source: "clickup", date_added: String(change.at) } : null;
      return [{ field: "time_spent", data: { total_time: total, rollup_time: total }, before: null, after }];
    }
    default:
      return fieldsFor(event, change).flatMap((f) => fieldHistory(store, change, f));
  }
}

export function renderClickUpWebhook(store: ClickUpStore, change: ItemChange, reg: WebhookRegistration): WebhookDelivery | null {
  if (change.platform !== "clickup" || !inScope(store, reg.scope, change.item)) return null;
  const event = candidateEvents(change).find((e) => reg.events.includes("*") || reg.events.includes(e));
  if (!event) return null;
  let payload: Record<string, unknown>;
  if (change.kind === "deleted") {
    payload = { event, task_id: change.item.id, webhook_id: reg.id };
  } else {
    const history_items = historyBodies(store, change, event).map((h, i) => ({
      id: historyId(change.id, i),
      type: 1,
      date: String(change.at),
      field: h.field,
      parent_id: change.item.container,
      data: h.data ?? {},
      source: null,
      user: store.user(change.by),
      ...("before" in h ? { before: h.before } : {}),
      ...("after" in h ? { after: h.after } : {}),
      ...(h.comment ? { comment: h.comment } : {}),
    }));
    const e = change.item.timeEntries[change.item.timeEntries.length - 1];
    payload = { event, history_items, task_id: change.item.id };
    if (change.kind === "time_tracked" && e) payload.data = { description: "Time Tracking Created", interval_id: e.id };
    payload.webhook_id = reg.id;
  }
  const body = Buffer.from(JSON.stringify(payload), "utf8");
  return { headers: { "Content-Type": "application/json", [CLICKUP_SIGNATURE_HEADER]: signClickUpWebhook(reg.secret, body) }, body };
}

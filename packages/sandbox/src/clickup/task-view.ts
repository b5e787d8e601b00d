/**
 * A TruthItem rendered exactly as ClickUp's task endpoints return a task (platform-apis.md §1.4,
 * CU-OAS CreateTask / GetFilteredTeamTasks examples): dates as ms-epoch strings, priority as an
 * object, status as an object, people as user objects.
 */
import { createHash } from "node:crypto";
import type { TruthItem } from "../truth/model.js";
import type { CustomFieldCatalog } from "./custom-fields.js";
import { folderRef } from "./hierarchy-view.js";
import { priorityObject } from "./priorities.js";
import { statusObject } from "./statuses.js";
import type { ClickUpStore } from "./store.js";

/** What rendering needs besides the item; built once per request so a page costs O(items), not O(items²). */
export interface TaskViewContext {
  store: ClickUpStore;
  fields: CustomFieldCatalog;
  /** blocker id → ids of live tasks waiting on it. */
  waitersByBlocker: Map<string, string[]>;
  /** `include_markdown_description=true`: add `markdown_description` (the sandbox's descriptions are plain text, valid Markdown). */
  markdownDescription: boolean;
}

export function waitersIndex(items: readonly TruthItem[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const i of items) {
    if (i.deletedAt !== null) continue;
    for (const b of i.blockedBy) {
      const list = index.get(b);
      if (list) list.push(i.id);
      else index.set(b, [i.id]);
    }
  }
  return index;
}

function ms(value: number | null): string | null {
  return value === null ? null : String(value);
}

const TAG_COLORS = ["#4194f6", "#e93d82", "#2ecd6f", "#ff7800", "#7C4DFF", "#b5bcc2"];

const tagColors = new Map<string, string>();

/** Tag as ClickUp renders it; colours are a stable function of the name. */
export function tagView(name: string): { name: string; tag_fg: string; tag_bg: string } {
  let color = tagColors.get(name);
  if (!color) tagColors.set(name, (color = TAG_COLORS[createHash("sha256").update(name).digest()[0]! % TAG_COLORS.length]!));
  return { name, tag_fg: color, tag_bg: color };
}

function dependencies(view: TaskViewContext, item: TruthItem): Record<string, unknown>[] {
  const dep = (waiter: string, blocker: string) => ({
    task_id: waiter,
    depends_on: blocker,
    type: 1,
    date_created: String(item.createdAt),
    userid: String(view.store.user(item.creator).id),
    workspace_id: view.store.teamId,
    chain_id: null,
  });
  return [...item.blockedBy.map((b) => dep(item.id, b)), ...(view.waitersByBlocker.get(item.id) ?? []).map((w) => dep(w, item.id))];
}

export function taskView(view: TaskViewContext, item: TruthItem): Record<string, unknown> {
  const markdown = view.markdownDescription ? { markdown_description: item.description } : {};
  const { store } = view;
  const layout = store.layout;
  const list = store.list(item.container);
  const folder = list ? folderRef(store, list) : { id: "", name: "", hidden: true, access: true };
  const extras = store.readExtras(item.id);
  const assignees = item.assignees.map((k) => store.user(k));
  const watchers = [...new Set([item.creator, ...item.assignees])].map((k) => store.user(k));
  const timeSpent = item.timeEntries.reduce((n, e) => n + e.durationMs, 0);
  return {
    id: item.id,
    custom_id: null, // only set when a workspace enables Custom Task IDs, which the sandbox's does not
    custom_item_id: null,
    name: item.title,
    text_content: item.description,
    description: item.description,
    ...markdown,
    status: statusObject(layout, item.status),
    orderindex: `${item.seq}.00000000000000000000000000000000`,
    date_created: String(item.createdAt),
    date_updated: String(item.updatedAt),
    date_closed: ms(item.closedAt),
    date_done: ms(item.closedAt),
    archived: extras.archived,
    creator: store.user(item.creator),
    assignees,
    group_assignees: [],
    watchers,
    checklists: [],
    tags: item.labels.map(tagView),
    parent: item.parentId,
    top_level_parent: item.parentId,
    priority: priorityObject(item.priority),
    due_date: ms(item.dueAt),
    start_date: ms(extras.startDate),
    // Unset sprint points are left out, as in the GetTasks example's second task.
    ...(item.estimatePoints === null ? {} : { points: item.estimatePoints }),
    time_estimate: item.timeEstimateMs,
    // "time_spent ... is only included in the response for tasks with time entries" (developer.clickup.com GetTasks).
    ...(timeSpent > 0 ? { time_spent: timeSpent } : {}),
    custom_fields: view.fields.taskValues(item),
    dependencies: dependencies(view, item),
    linked_tasks: [],
    locations: [],
    team_id: store.teamId,
    url: `https://app.clickup.com/t/${item.id}`,
    sharing: { public: false, public_share_expires_on: null, public_fields: [], token: null, seo_optimized: false },
    permission_level: "create",
    list: { id: item.container, name: list?.name ?? "", access: true },
    project: folder,
    folder,
    space: { id: list?.spaceId ?? "" },
  };
}

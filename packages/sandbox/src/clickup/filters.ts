/**
 * The task filters and ordering shared by GET /list/{id}/task and GET /team/{id}/task
 * (CU-OAS GetTasks / GetFilteredTeamTasks, platform-apis.md §1.5), and the 0-based, 100-per-page
 * pagination with `last_page`.
 */
import type { TruthItem } from "../truth/model.js";
import { ClickUpApiError, invalidInput } from "./errors.js";
import { categoryOfStatusName, isClosedCategory } from "./statuses.js";
import type { ClickUpStore } from "./store.js";

/** "Responses are limited to 100 tasks per page" (CU-OAS). */
export const TASKS_PER_PAGE = 100;

export const TaskOrder = { Id: "id", Created: "created", Updated: "updated", DueDate: "due_date" } as const;
export type TaskOrder = (typeof TaskOrder)[keyof typeof TaskOrder];

export interface TaskQuery {
  page: number;
  orderBy: TaskOrder;
  reverse: boolean;
  subtasks: boolean;
  includeClosed: boolean;
  archived: boolean;
  statuses: string[];
  assignees: number[];
  tags: string[];
  parent: string | null;
  spaceIds: string[];
  folderIds: string[];
  listIds: string[];
  /** [field, gt, lt] bounds, all exclusive, in ms. */
  ranges: { field: "createdAt" | "updatedAt" | "dueAt" | "closedAt"; gt: number | null; lt: number | null }[];
}

/** ClickUp clients send arrays as `statuses[]=a&statuses[]=b`; the OAS names some without `[]`, so both are read. */
function many(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(`${name}[]`), ...query.getAll(name)];
}

function flag(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const v = query.get(name);
  if (v === null || v === "") return fallback;
  return v === "true" || v === "1";
}

function msParam(query: URLSearchParams, name: string): number | null {
  const v = query.get(name);
  if (v === null || v === "") return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ClickUpApiError(invalidInput(`${name} must be a Unix time in milliseconds`, "INPUT_003"));
  return n;
}

export function parseTaskQuery(query: URLSearchParams): TaskQuery {
  const pageText = query.get("page");
  const page = pageText === null || pageText === "" ? 0 : Number(pageText);
  if (!Number.isInteger(page) || page < 0) throw new ClickUpApiError(invalidInput("page must be a non-negative integer", "INPUT_002"));
  const orderText = query.get("order_by") ?? TaskOrder.Created;
  // Unknown order_by values fall back to ClickUp's documented default ("created") rather than failing.
  const orderBy = (Object.values(TaskOrder) as string[]).includes(orderText) ? (orderText as TaskOrder) : TaskOrder.Created;
  const assignees = many(query, "assignees").map(Number).filter(Number.isFinite);
  return {
    page,
    orderBy,
    reverse: flag(query, "reverse", false),
    subtasks: flag(query, "subtasks", false),
    includeClosed: flag(query, "include_closed", false),
    archived: flag(query, "archived", false),
    statuses: many(query, "statuses"),
    assignees,
    tags: many(query, "tags").map((t) => t.toLowerCase()),
    parent: query.get("parent"),
    spaceIds: many(query, "space_ids"),
    folderIds: many(query, "project_ids"),
    listIds: many(query, "list_ids"),
    ranges: [
      { field: "createdAt", gt: msParam(query, "date_created_gt"), lt: msParam(query, "date_created_lt") },
      { field: "updatedAt", gt: msParam(query, "date_updated_gt"), lt: msParam(query, "date_updated_lt") },
      { field: "dueAt", gt: msParam(query, "due_date_gt"), lt: msParam(query, "due_date_lt") },
      { field: "closedAt", gt: msParam(query, "date_done_gt"), lt: msParam(query, "date_done_lt") },
    ].filter((r) => r.gt !== null || r.lt !== null) as TaskQuery["ranges"],
  };
}

/**
 * The predicate for `q`, with names and ids resolved once (not per item): status names to
 * categories, ClickUp user ids to Person keys, folder/space ids to the lists they hold.
 * Deleted items never pass: they are not served.
 */
export function taskFilter(store: ClickUpStore, q: TaskQuery): (item: TruthItem) => boolean {
  const statuses = new Set(q.statuses.map((s) => categoryOfStatusName(store.layout, s)));
  const assignees = new Set(q.assignees.flatMap((id) => store.personByClickUpId(id)?.key ?? []));
  const tags = new Set(q.tags);
  const lists = store.layout.lists.filter(
    (l) =>
      (!q.listIds.length || q.listIds.includes(l.id)) &&
      (!q.folderIds.length || (l.folderId !== null && q.folderIds.includes(l.folderId))) &&
      (!q.spaceIds.length || q.spaceIds.includes(l.spaceId)),
  );
  const inLists = q.listIds.length || q.folderIds.length || q.spaceIds.length ? new Set(lists.map((l) => l.id)) : null;
  const checkArchived = q.archived || store.hasArchived();
  return (item) => {
    if (item.deletedAt !== null) return false;
    if (checkArchived && store.isArchived(item.id) !== q.archived) return false;
    // `parent` asks for that task's subtasks, which implies subtasks are wanted.
    if (q.parent !== null) {
      if (item.parentId !== q.parent) return false;
    } else if (!q.subtasks && item.parentId !== null) return false;
    if (!q.includeClosed && isClosedCategory(item.status)) return false;
    if (q.statuses.length && !statuses.has(item.status)) return false;
    if (q.assignees.length && !item.assignees.some((k) => assignees.has(k))) return false;
    if (q.tags.length && !item.labels.some((l) => tags.has(l.toLowerCase()))) return false;
    for (const r of q.ranges) {
      const v = item[r.field];
      if (v === null) return false;
      if (r.gt !== null && !(v > r.gt)) return false;
      if (r.lt !== null && !(v < r.lt)) return false;
    }
    return inLists === null || inLists.has(item.container);
  };
}

/**
 * Orders matching tasks. ClickUp documents only that `created` is the default and that `reverse`
 * flips the order; ascending-by-default is inferred from how clients use `reverse=true` to get the
 * newest first. Tasks without a due date sort last; ties keep creation order (the input's order,
 * and Array.prototype.sort is stable).
 */
export function orderTasks(q: TaskQuery, tasks: TruthItem[]): TruthItem[] {
  const key = (i: TruthItem): number | string | null => {
    switch (q.orderBy) {
      case TaskOrder.Id:
        return i.id;
      case TaskOrder.Created:
        return i.createdAt;
      case TaskOrder.Updated:
        return i.updatedAt;
      case TaskOrder.DueDate:
        return i.dueAt;
    }
  };
  const sorted = tasks
    .map((item) => ({ item, k: key(item) }))
    .sort((a, b) => {
      if (a.k === b.k) return 0;
      if (a.k === null) return 1;
      if (b.k === null) return -1;
      return a.k < b.k ? -1 : 1;
    })
    .map((e) => e.item);
  return q.reverse ? sorted.reverse() : sorted;
}

/** Filters, orders and pages `candidates` (given in creation order): `{tasks, last_page}` before rendering. */
export function selectTaskPage(store: ClickUpStore, q: TaskQuery, candidates: Iterable<TruthItem>): { tasks: TruthItem[]; lastPage: boolean } {
  const matches = taskFilter(store, q);
  const matching: TruthItem[] = [];
  for (const item of candidates) if (matches(item)) matching.push(item);
  const ordered = orderTasks(q, matching);
  const start = q.page * TASKS_PER_PAGE;
  return { tasks: ordered.slice(start, start + TASKS_PER_PAGE), lastPage: start + TASKS_PER_PAGE >= ordered.length };
}

/**
 * Writes to tasks through the API: validate the body as ClickUp does (platform-apis.md §1.3),
 * mutate the truth item in place (transitions appended, derived status facts recomputed,
 * updatedAt moved), and report each change with ctx.emitChange so webhooks fire.
 */
import type { TruthItem } from "../truth/model.js";
import { applyStatusFacts } from "../truth/derive.js";
import { editFields, type ItemEdit, markDeleted, moveStatus, touch } from "../truth/mutate.js";
import { type ClickUpEnv, requireTask } from "./env.js";
import { ClickUpApiError, invalidInput } from "./errors.js";
import { priorityFromWire } from "./priorities.js";
import { categoryOfStatusName, STATUS_ORDER } from "./statuses.js";

type LayoutList = ClickUpEnv["store"]["layout"]["lists"][number];
type Body = Record<string, unknown>;

function fail(err: string, code = "INPUT_001"): never {
  throw new ClickUpApiError(invalidInput(err, code));
}

function text(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") fail(`${key} must be a string`);
  return v;
}

/** An optional ms instant / duration: integer, digit string, or null to clear. */
function msOrNull(body: Body, key: string): number | null | undefined {
  const v = body[key];
  if (v === undefined || v === null) return v;
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) fail(`${key} must be an integer number of milliseconds`);
  return n;
}

function userKeys(env: ClickUpEnv, ids: unknown, key: string): string[] {
  if (!Array.isArray(ids)) fail(`${key} must be an array of user ids`);
  return ids.map((id) => {
    const person = typeof id === "number" || typeof id === "string" ? env.store.personByClickUpId(Number(id)) : undefined;
    if (!person) fail(`${key}: user ${String(id)} is not a member of this workspace`, "INPUT_004");
    return person.key;
  });
}

function statusOf(env: ClickUpEnv, body: Body) {
  const name = text(body, "status");
  if (name === undefined) return undefined;
  const category = categoryOfStatusName(env.store.layout, name);
  if (!category) fail(`Status "${name}" does not exist in this list`, "INPUT_006");
  return category;
}

function priorityOf(body: Body) {
  if (!("priority" in body)) return undefined;
  const p = priorityFromWire(body.priority);
  if (p === undefined) fail("Priority must be 1 (urgent), 2 (high), 3 (normal), 4 (low) or null", "INPUT_007");
  return p;
}

function pointsOf(body: Body): number | null | undefined {
  const v = body.points;
  if (v === undefined || v === null) return v;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail("points must be a non-negative number");
  return v;
}

function customFieldValues(env: ClickUpEnv, raw: unknown): Record<string, string | number | null> {
  if (raw === undefined) return {};
  if (!Array.isArray(raw)) fail("custom_fields must be an array of {id, value}");
  const out: Record<string, string | number | null> = {};
  for (const entry of raw as { id?: unknown; value?: unknown }[]) {
    const field = typeof entry?.id === "string" ? env.fields.byId(entry.id) : undefined;
    if (!field) fail(`Custom field ${String(entry?.id)} not found`, "FIELD_001");
    const value = env.fields.truthValue(field, entry.value);
    if (value === undefined) fail(`Invalid value for custom field ${field.name}`, "FIELD_002");
    out[field.name] = value;
  }
  return out;
}

/** POST /list/{list_id}/task. */
export function createTask(env: ClickUpEnv, list: LayoutList, body: Body): TruthItem {
  const { store, ctx } = env;
  const name = text(body, "name");
  if (name === undefined || name.trim() === "") fail("Task name invalid", "INPUT_005");
  const parentId = text(body, "parent") ?? null;
  if (parentId !== null && requireTask(env, parentId).container !== list.id) fail("Parent task must be in the same list", "INPUT_008");
  const now = ctx.now();
  const status = statusOf(env, body) ?? STATUS_ORDER[0]!; // a new task starts in the list's first status
  const startDate = msOrNull(body, "start_date") ?? null;
  if (body.archived !== undefined && typeof body.archived !== "boolean") fail("archived must be a boolean");
  const tags = body.tags === undefined ? [] : body.tags;
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")) fail("tags must be an array of tag names");
  const customFields = Object.fromEntries(store.layout.customFields.map((f) => [f.name, null]));
  const item: TruthItem = {
    platform: "clickup",
    id: store.nextTaskId(),
    seq: store.nextSeq(list.id),
    container: list.id,
    kind: parentId ? "subtask" : "task",
    title: name,
    description: text(body, "markdown_content") ?? text(body, "description") ?? "",
    creator: env.actingUser,
    assignees: body.assignees === undefined ? [] : [...new Set(userKeys(env, body.assignees, "assignees"))],
    labels: [...new Set(tags as string[])],
    priority: priorityOf(body) ?? "none",
    estimatePoints: pointsOf(body) ?? null,
    timeEstimateMs: msOrNull(body, "time_estimate") ?? null,
    sprint: list.sprint,
    parentId,
    blockedBy: [],
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    closedAt: null,
    dueAt: msOrNull(body, "due_date") ?? null,
    status,
    transitions: [{ at: now, from: null, to: status, by: env.actingUser }],
    timeEntries: [],
    comments: [],
    reopenCount: 0,
    pr: null,
    customFields: { ...customFields, ...customFieldValues(env, body.custom_fields) },
    deletedAt: null,
  };
  applyStatusFacts(item);
  store.append(item);
  const extras = store.taskExtras(item.id);
  extras.startDate = startDate;
  extras.archived = body.archived === true;
  ctx.emitChange({ platform: "clickup", kind: "created", item, before: {}, at: now, by: env.actingUser });
  return item;
}

/** PUT /task/{task_id}: only the fields present change; assignees are `{add, rem}`. */
export function updateTask(env: ClickUpEnv, item: TruthItem, body: Body): void {
  const { store, ctx } = env;
  // Validate everything before touching the item, so a 400 leaves it unchanged.
  const name = text(body, "name");
  if (name !== undefined && name.trim() === "") fail("Task name invalid", "INPUT_005");
  const description = text(body, "markdown_content") ?? text(body, "description");
  const status = statusOf(env, body);
  const priority = priorityOf(body);
  const dueAt = msOrNull(body, "due_date");
  const startDate = msOrNull(body, "start_date");
  const timeEstimate = msOrNull(body, "time_estimate");
  const points = pointsOf(body);
  let assignees: string[] | undefined;
  if (body.assignees !== undefined) {
    const a = body.assignees as { add?: unknown; rem?: unknown } | null;
    if (a === null || typeof a !== "object" || Array.isArray(a)) fail('assignees must be {"add": [ids], "rem": [ids]}');
    const add = a.add === undefined ? [] : userKeys(env, a.add, "assignees.add");
    const rem = a.rem === undefined ? [] : userKeys(env, a.rem, "assignees.rem");
    assignees = [...item.assignees.filter((k) => !rem.includes(k)), ...add.filter((k) => !item.assignees.includes(k) && !rem.includes(k))];
  }
  // "You cannot convert a subtask to a task by setting parent to null" (CU-OAS UpdateTask): null is ignored.
  const parentId = typeof body.parent === "string" ? requireTask(env, body.parent).id : undefined;
  if (body.archived !== undefined && typeof body.archived !== "boolean") fail("archived must be a boolean");

  const now = ctx.now();
  const updatedBefore = item.updatedAt;
  const edit: ItemEdit = { title: name, description, priority, dueAt, timeEstimateMs: timeEstimate, estimatePoints: points, assignees };
  for (const k of Object.keys(edit) as (keyof ItemEdit)[]) if (edit[k] === undefined) delete edit[k]; // absent = unchanged
  const before: Partial<TruthItem> = editFields(item, edit, now);
  let fieldsChanged = Object.keys(before).length > 0;
  if (parentId !== undefined && parentId !== item.id && parentId !== item.parentId) {
    Object.assign(before, { parentId: item.parentId, kind: item.kind });
    item.parentId = parentId;
    item.kind = "subtask";
    fieldsChanged = true;
  }
  const extras = store.taskExtras(item.id);
  if (startDate !== undefined && startDate !== extras.startDate) {
    extras.startDate = startDate;
    fieldsChanged = true;
  }
  if (typeof body.archived === "boolean" && body.archived !== extras.archived) {
    extras.archived = body.archived;
    fieldsChanged = true;
  }
  if (fieldsChanged) touch(item, now);
  const was = { status: item.status, startedAt: item.startedAt, closedAt: item.closedAt, reopenCount: item.reopenCount, updatedAt: updatedBefore };
  if (status !== undefined && moveStatus(item, status, now, env.actingUser)) {
    ctx.emitChange({ platform: "clickup", kind: "status_changed", item, before: was, at: now, by: env.actingUser });
  }
  if (fieldsChanged) ctx.emitChange({ platform: "clickup", kind: "updated", item, before: { ...before, updatedAt: updatedBefore }, at: now, by: env.actingUser });
}

/** DELETE /task/{task_id}: the truth keeps the item, marked deleted, so deletion can be detected. */
export function deleteTask(env: ClickUpEnv, item: TruthItem): void {
  const now = env.ctx.now();
  const snapshot = structuredClone(item); // ItemChange.item is the item as it was before deletion
  markDeleted(item, now);
  env.ctx.emitChange({ platform: "clickup", kind: "deleted", item: snapshot, before: { deletedAt: null }, at: now, by: env.actingUser });
}

/** POST /task/{task_id}/field/{field_id} `{"value": ...}`: the only way to set a custom field after creation. */
export function setCustomField(env: ClickUpEnv, item: TruthItem, fieldId: string, body: Body): void {
  const values = customFieldValues(env, [{ id: fieldId, value: body.value }]);
  const now = env.ctx.now();
  const before: Partial<TruthItem> = { customFields: { ...item.customFields }, updatedAt: item.updatedAt };
  Object.assign(item.customFields, values);
  touch(item, now);
  env.ctx.emitChange({ platform: "clickup", kind: "updated", item, before, at: now, by: env.actingUser });
}

/**
 * Validation and application of a work-item create/update body, as `IssueSerializer` does it:
 * field errors as DRF's `{"field": ["…"]}` map, object-level checks as `non_field_errors`,
 * assignees silently reduced to project members and labels to the project's labels.
 */
import type { Priority, StatusCategory, TruthItem } from "../truth/model.js";
import { moveStatus } from "../truth/mutate.js";
import { PlaneErrors } from "./errors.js";
import type { PlaneStore } from "./store.js";
import { isoDate, parseIsoDate, stripTags } from "./wire-format.js";

const PRIORITIES: readonly Priority[] = ["urgent", "high", "medium", "low", "none"];

/** A validated body: only the keys the client sent. */
export interface WorkItemWrite {
  name?: string;
  descriptionHtml?: string;
  priority?: Priority;
  status?: StatusCategory;
  assignees?: string[]; // Person.key
  labels?: string[]; // label names
  parentId?: string | null;
  startDate?: number | null;
  dueAt?: number | null;
  point?: number | null;
  isDraft?: boolean;
  externalId?: string | null;
  externalSource?: string | null;
  sortOrder?: number;
}

const nullableText = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

export function parseWorkItemWrite(store: PlaneStore, projectId: string, body: Record<string, unknown>, creating: boolean): WorkItemWrite {
  const errors: Record<string, string[]> = {};
  const write: WorkItemWrite = {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(body, key);

  if (has("name")) {
    if (typeof body.name !== "string") errors.name = ["Not a valid string."];
    else if (body.name.trim() === "") errors.name = ["This field may not be blank."];
    else if (body.name.length > 255) errors.name = ["Ensure this field has no more than 255 characters."];
    else write.name = body.name;
  } else if (creating) errors.name = ["This field is required."];

  if (has("description_html")) write.descriptionHtml = String(body.description_html ?? "");
  if (has("priority")) {
    if (PRIORITIES.includes(body.priority as Priority)) write.priority = body.priority as Priority;
    else errors.priority = [`"${String(body.priority)}" is not a valid choice.`];
  }
  if (has("state") && body.state !== null) {
    const state = store.state(String(body.state));
    if (!state) errors.state = [`Invalid pk "${String(body.state)}" - object does not exist.`];
    else if (state.projectId !== projectId) throw PlaneErrors.nonField("State is not valid please pass a valid state_id");
    else write.status = state.category;
  }
  if (has("assignees")) {
    const ids = Array.isArray(body.assignees) ? body.assignees.map(String) : [];
    write.assignees = ids.flatMap((id) => store.personByPlaneId(id)?.key ?? []);
  }
  if (has("labels")) {
    const ids = Array.isArray(body.labels) ? body.labels.map(String) : [];
    write.labels = ids.flatMap((id) => {
      const label = store.label(id);
      return label && label.projectId === projectId ? [label.name] : [];
    });
  }
  if (has("parent")) {
    if (body.parent === null) write.parentId = null;
    else if (!store.workItem(projectId, String(body.parent))) throw PlaneErrors.nonField("Parent is not valid issue_id please pass a valid issue_id");
    else write.parentId = String(body.parent);
  }
  for (const [key, target] of [["start_date", "startDate"], ["target_date", "dueAt"]] as const) {
    if (!has(key)) continue;
    if (body[key] === null) write[target] = null;
    else {
      const ms = parseIsoDate(String(body[key]));
      if (ms === null) errors[key] = ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."];
      else write[target] = ms;
    }
  }
  if (has("point")) {
    const point = body.point;
    if (point === null) write.point = null;
    else if (Number.isInteger(point) && (point as number) >= 0 && (point as number) <= 12) write.point = point as number;
    else errors.point = ["Ensure this value is less than or equal to 12."];
  }
  if (has("is_draft")) write.isDraft = body.is_draft === true;
  if (has("external_id")) write.externalId = nullableText(body.external_id);
  if (has("external_source")) write.externalSource = nullableText(body.external_source);
  if (has("sort_order") && typeof body.sort_order === "number") write.sortOrder = body.sort_order;

  if (Object.keys(errors).length > 0) throw PlaneErrors.validation(errors);
  const start = write.startDate;
  const target = write.dueAt;
  if (start != null && target != null && start > target) throw PlaneErrors.nonField("Start date cannot exceed target date");
  return write;
}

/** One field that changed, for activities and webhooks: the truth field and Plane's wording. */
export interface FieldChange {
  /** null for Plane-only fields (start_date), which the truth does not hold. */
  truthField: keyof TruthItem | null;
  planeField: string;
  before: unknown;
  oldText: string | null;
  newText: string | null;
  comment: string;
}

const text = (value: unknown): string | null => (value === null || value === undefined ? null : Array.isArray(value) ? value.join(",") : String(value));

/** Applies a validated write to the item in place; returns the changes in Plane's field order. */
export function applyWorkItemWrite(store: PlaneStore, item: TruthItem, write: WorkItemWrite, at: number, by: string): FieldChange[] {
  const changes: FieldChange[] = [];
  const extras = store.writableExtras(item);
  const set = <K extends keyof TruthItem>(field: K, value: TruthItem[K], planeField: string, comment: string) => {
    if (JSON.stringify(item[field]) === JSON.stringify(value)) return;
    changes.push({ truthField: field, planeField, before: item[field], oldText: text(item[field]), newText: text(value), comment });
    item[field] = value;
  };
  if (write.name !== undefined) set("title", write.name, "name", "updated the name to");
  if (write.descriptionHtml !== undefined) {
    extras.descriptionHtml = write.descriptionHtml;
    set("description", stripTags(write.descriptionHtml), "description_html", "updated the description to");
  }
  if (write.priority !== undefined) set("priority", write.priority, "priority", "updated the priority to");
  if (write.parentId !== undefined) set("parentId", write.parentId, "parent", "updated the parent issue to");
  if (write.dueAt !== undefined) set("dueAt", write.dueAt, "target_date", "updated the target date to");
  if (write.point !== undefined) set("estimatePoints", write.point, "estimate_point", "updated the estimate point to ");
  if (write.assignees !== undefined) set("assignees", write.assignees, "assignees", "updated assignees ");
  if (write.labels !== undefined) set("labels", write.labels, "labels", "updated labels ");
  if (write.startDate !== undefined) {
    if (extras.startDate !== write.startDate) {
      changes.push({ truthField: null, planeField: "start_date", before: extras.startDate, oldText: isoDate(extras.startDate), newText: isoDate(write.startDate), comment: "updated the start date to " });
    }
    extras.startDate = write.startDate;
  }
  if (write.isDraft !== undefined) extras.isDraft = write.isDraft;
  if (write.externalId !== undefined) extras.externalId = write.externalId;
  if (write.externalSource !== undefined) extras.externalSource = write.externalSource;
  if (write.sortOrder !== undefined) extras.sortOrder = write.sortOrder;
  if (write.status !== undefined) {
    const before = item.status;
    // moveStatus appends the transition and re-derives startedAt/closedAt/reopenCount.
    if (moveStatus(item, write.status, at, by)) {
      changes.push({ truthField: "status", planeField: "state", before, oldText: null, newText: null, comment: "updated the state to" });
    }
  }
  if (changes.length > 0 || Object.keys(write).length > 0) {
    item.updatedAt = Math.max(item.updatedAt, at);
    extras.updatedBy = by;
  }
  return changes;
}

/**
 * The query parameters Plane's list views share: `fields=`, `expand=` (BaseAPIView properties) and the
 * work-item list's `order_by=` (IssueListCreateAPIEndpoint.get), with its custom orders for priority,
 * state group, labels and assignees and plain model-field ordering for everything else.
 */
import type { TruthItem } from "../truth/model.js";
import { PlaneErrors } from "./errors.js";
import type { PlaneStore } from "./store.js";
import { workItemFields, type Shape } from "./work-item-view.js";

const csv = (raw: string | null): string[] | null => {
  const parts = (raw ?? "").split(",").filter((part) => part !== "");
  return parts.length > 0 ? parts : null;
};

export const shapeOf = (query: URLSearchParams): Shape => ({ fields: csv(query.get("fields")), expand: csv(query.get("expand")) });

type SortKey = string | number | boolean | null;

const PRIORITY_ORDER = ["urgent", "high", "medium", "low", "none"];
const STATE_GROUP_ORDER = ["backlog", "unstarted", "started", "completed", "cancelled"];

/**
 * Postgres order: ascending puts NULLs last, descending puts them first. Ties keep the truth's
 * creation order (Postgres leaves them unspecified; a stable order keeps pages consistent).
 */
function compareKeys(a: SortKey, b: SortKey, descending: boolean): number {
  if (a === b) return 0;
  if (a === null) return descending ? -1 : 1;
  if (b === null) return descending ? 1 : -1;
  const order = a < b ? -1 : 1;
  return descending ? -order : order;
}

function sortBy(items: TruthItem[], key: (item: TruthItem) => SortKey, descending: boolean): TruthItem[] {
  const keyed = items.map((item, index) => ({ item, index, key: key(item) }));
  keyed.sort((x, y) => compareKeys(x.key, y.key, descending) || x.index - y.index);
  return keyed.map((entry) => entry.item);
}

/** Keys for model fields read straight from the truth, to avoid rendering every item to sort it. */
const DIRECT_KEYS: Record<string, (item: TruthItem) => SortKey> = {
  created_at: (item) => item.createdAt,
  updated_at: (item) => item.updatedAt,
  sequence_id: (item) => item.seq,
  name: (item) => item.title,
  id: (item) => item.id,
  target_date: (item) => (item.dueAt === null ? null : new Date(item.dueAt).toISOString().slice(0, 10)),
};

/** Model fields that `order_by` may name; other names make Django raise FieldError → Plane's 500. */
const ORDERABLE_FIELDS = new Set([
  "created_at", "updated_at", "deleted_at", "point", "name", "description_html", "priority", "start_date",
  "target_date", "sequence_id", "sort_order", "completed_at", "archived_at", "is_draft", "external_source",
  "external_id", "created_by", "updated_by", "project", "workspace", "parent", "state", "estimate_point", "type", "id",
]);

export interface OrderOptions {
  /** The work-item list's custom orders (priority rank, state group, labels/assignees max); other
   * lists (cycle-issues, module-issues) hand `order_by` straight to Django. @default true */
  customOrders?: boolean;
}

export function orderWorkItems(store: PlaneStore, items: TruthItem[], orderBy: string, options: OrderOptions = {}): TruthItem[] {
  const descending = orderBy.startsWith("-");
  const field = descending ? orderBy.slice(1) : orderBy;
  if (options.customOrders !== false) return orderWithCustomRules(store, items, field, descending);
  return orderByModelField(store, items, field, descending);
}

function orderWithCustomRules(store: PlaneStore, items: TruthItem[], field: string, descending: boolean): TruthItem[] {
  switch (field) {
    case "priority":
      // Plane annotates the position in [urgent … none] (reversed for "-priority") and sorts ascending.
      return sortBy(items, (item) => PRIORITY_ORDER.indexOf(item.priority), descending);
    case "state__name":
    case "state__group":
      // Both orders use the state *group* position; unknown groups (triage) sort after the five.
      return sortBy(items, (item) => {
        const group = store.stateFor(item.container, item.status)?.group ?? "";
        const index = STATE_GROUP_ORDER.indexOf(group);
        return index === -1 ? STATE_GROUP_ORDER.length : index;
      }, descending);
    case "labels__name":
      return sortBy(items, (item) => maxOf(item.labels), descending);
    case "assignees__first_name":
      return sortBy(items, (item) => maxOf(item.assignees.map((key) => store.person(key)?.name.split(" ")[0] ?? "")), descending);
  }
  return orderByModelField(store, items, field, descending);
}

function orderByModelField(store: PlaneStore, items: TruthItem[], field: string, descending: boolean): TruthItem[] {
  if (!ORDERABLE_FIELDS.has(field)) throw PlaneErrors.serverError();
  const direct = DIRECT_KEYS[field];
  const key = direct ?? ((item: TruthItem) => (workItemFields(store, item)[field] ?? null) as SortKey);
  return sortBy(items, key, descending);
}

/** SQL `Max()` over a to-many relation: NULL when there is none. */
const maxOf = (values: string[]): string | null => (values.length === 0 ? null : values.reduce((a, b) => (a > b ? a : b)));

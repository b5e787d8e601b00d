/**
 * A TruthItem as Plane's `IssueSerializer` writes it (`apps/api/plane/api/serializers/issue.py`):
 * every `Issue` model field except `description_json` and `description_stripped` (the serializer
 * excludes both, so they are absent here too), foreign keys as UUID strings, `assignees` and `labels`
 * appended last by `to_representation`, then `fields=` / `expand=` applied as `BaseSerializer` does.
 * Cycle and module ids are not part of this serializer (the list view's `cycle_id` annotation is not
 * a declared field), so they appear only in webhook payloads (webhook-view.ts).
 */
import type { TruthItem } from "../truth/model.js";
import {
  estimatePointId,
  renderEstimatePoint,
  renderLabel,
  renderProjectLite,
  renderStateLite,
  renderUserLite,
  renderWorkspaceLite,
} from "./catalog-view.js";
import type { PlaneStore } from "./store.js";
import { escapeHtml, isoDate, isoDateTime } from "./wire-format.js";

type Json = Record<string, unknown>;

export interface Shape {
  /** `fields=a,b`: keep only these serializer fields (unknown names are ignored). */
  fields: string[] | null;
  /** `expand=state,assignees,…`: replace ids by nested objects. */
  expand: string[] | null;
}

export const FULL_SHAPE: Shape = { fields: null, expand: null };

/** The HTML Plane stores for a description: the API writer's own, else the text as one paragraph. */
export function descriptionHtml(store: PlaneStore, item: TruthItem): string {
  return store.extras(item).descriptionHtml ?? (item.description ? `<p>${escapeHtml(item.description)}</p>` : "<p></p>");
}

/** Plane's `point` is an integer 0–12; `estimate_point` points at an EstimatePoint row. */
const legacyPoint = (points: number | null): number | null =>
  points !== null && Number.isInteger(points) && points >= 0 && points <= 12 ? points : null;

/** Person.key of the last writer: the API user who last patched it, else the actor of the last transition. */
export function lastUpdater(store: PlaneStore, item: TruthItem): string | null {
  const recorded = store.extras(item).updatedBy;
  if (recorded) return recorded;
  return item.transitions.length > 1 ? item.transitions[item.transitions.length - 1]!.by : null;
}

/** The serializer's plain representation (ids, not objects), in its field order. */
export function workItemFields(store: PlaneStore, item: TruthItem): Json {
  const extras = store.extras(item);
  const updater = lastUpdater(store, item);
  return {
    id: item.id,
    type_id: null,
    created_at: isoDateTime(item.createdAt),
    updated_at: isoDateTime(item.updatedAt),
    deleted_at: isoDateTime(item.deletedAt),
    point: legacyPoint(item.estimatePoints),
    name: item.title,
    description_html: descriptionHtml(store, item),
    description_binary: null,
    priority: item.priority,
    start_date: isoDate(extras.startDate),
    target_date: isoDate(item.dueAt),
    sequence_id: item.seq,
    sort_order: extras.sortOrder,
    // Issue.save sets completed_at when the state's group is "completed" and clears it otherwise.
    completed_at: item.status === "done" ? isoDateTime(item.closedAt) : null,
    archived_at: null,
    is_draft: extras.isDraft,
    external_source: extras.externalSource,
    external_id: extras.externalId,
    created_by: store.person(item.creator)?.planeId ?? null,
    updated_by: updater ? (store.person(updater)?.planeId ?? null) : null,
    project: item.container,
    workspace: store.workspaceId,
    parent: item.parentId,
    state: store.stateFor(item.container, item.status)?.id ?? null,
    estimate_point: item.estimatePoints === null ? null : estimatePointId(item.container, item.estimatePoints),
    type: null,
    assignees: item.assignees.flatMap((key) => store.person(key)?.planeId ?? []),
    labels: store.labelIdsOf(item),
  };
}

/**
 * `BaseSerializer.to_representation`'s expansion mapper. A null relation expands to `{}` because DRF
 * renders `Serializer(None).data` as the (empty) initial data of an all-read-only serializer.
 */
function expandField(store: PlaneStore, item: TruthItem, field: string, flat: Json): unknown {
  const userOf = (planeId: unknown) => {
    const person = typeof planeId === "string" ? store.personByPlaneId(planeId) : undefined;
    return person ? renderUserLite(person) : {};
  };
  switch (field) {
    case "state": {
      const state = store.stateFor(item.container, item.status);
      return state ? renderStateLite(state) : {};
    }
    case "project": {
      const project = store.project(item.container);
      return project ? renderProjectLite(project) : {};
    }
    case "workspace":
      return renderWorkspaceLite(store);
    case "created_by":
    case "updated_by":
      return userOf(flat[field]);
    case "parent": {
      const parent = item.parentId ? store.workItem(item.container, item.parentId) : undefined;
      return parent ? { id: parent.id, sequence_id: parent.seq, project_id: parent.container } : {};
    }
    case "estimate_point":
      return item.estimatePoints === null ? {} : renderEstimatePoint(store, item.container, item.estimatePoints);
    case "assignees":
      return item.assignees.flatMap((key) => {
        const person = store.person(key);
        return person ? [renderUserLite(person)] : [];
      });
    case "labels":
      return store.labelIdsOf(item).flatMap((id) => {
        const label = store.label(id);
        return label ? [renderLabel(store, label)] : [];
      });
    default:
      // Fields outside the mapper become `getattr(instance, f"{field}_id", None)`, i.e. null.
      return null;
  }
}

export function renderWorkItem(store: PlaneStore, item: TruthItem, shape: Shape = FULL_SHAPE): Json {
  const flat = workItemFields(store, item);
  const kept = shape.fields ? Object.fromEntries(Object.entries(flat).filter(([key]) => shape.fields!.includes(key))) : flat;
  for (const field of shape.expand ?? []) {
    if (field in kept) kept[field] = expandField(store, item, field, flat);
  }
  return kept;
}

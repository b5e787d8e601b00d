/**
 * Changes to a TruthItem that keep its invariants (status = last transition, startedAt/closedAt/
 * reopenCount derived, updatedAt ≥ every event). Used by the control API; emulators may use them
 * for their own writes too.
 */
import { applyStatusFacts } from "./derive.js";
import type { Comment, StatusCategory, TruthItem } from "./model.js";

/** Appends a transition to `to` (no-op when already there) and re-derives the status facts. Returns whether it moved. */
export function moveStatus(item: TruthItem, to: StatusCategory, at: number, by: string): boolean {
  if (item.status === to) return false;
  item.transitions.push({ at: Math.max(at, lastTransitionAt(item)), from: item.status, to, by });
  applyStatusFacts(item);
  touch(item, at);
  return true;
}

export function addComment(item: TruthItem, comment: Comment): void {
  item.comments.push(comment);
  touch(item, comment.at);
}

/** Fields a generic edit may change (the platform-neutral ones). */
export const EDITABLE_FIELDS = ["title", "description", "priority", "assignees", "labels", "dueAt", "estimatePoints", "timeEstimateMs", "sprint", "blockedBy"] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];
export type ItemEdit = Partial<Pick<TruthItem, EditableField>>;

/** Applies an edit; returns the previous values of the fields that actually changed. */
export function editFields(item: TruthItem, edit: ItemEdit, at: number): Partial<TruthItem> {
  const before: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    if (!(field in edit)) continue;
    const value = edit[field];
    if (JSON.stringify(item[field]) === JSON.stringify(value)) continue;
    before[field] = item[field];
    (item as unknown as Record<string, unknown>)[field] = value;
  }
  if (Object.keys(before).length > 0) touch(item, at);
  return before as Partial<TruthItem>;
}

export function markDeleted(item: TruthItem, at: number): void {
  item.deletedAt = Math.max(at, item.updatedAt);
  item.updatedAt = item.deletedAt;
}

/** updatedAt never goes backwards, and never falls behind an event. */
export function touch(item: TruthItem, at: number): void {
  if (at > item.updatedAt) item.updatedAt = at;
}

function lastTransitionAt(item: TruthItem): number {
  return item.transitions[item.transitions.length - 1]?.at ?? item.createdAt;
}

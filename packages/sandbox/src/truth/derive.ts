/**
 * Facts that follow from an item's history. The generator, the control API's mutations and the
 * emulators' writes all use these, so `status`, `startedAt`, `closedAt`, `reopenCount` and
 * `updatedAt` never disagree with the events they summarise.
 */
import type { StatusCategory, Transition, TruthItem } from "./model.js";

/** done and cancelled are the closed categories; the other four are open. */
export function isClosedCategory(c: StatusCategory): boolean {
  return c === "done" || c === "cancelled";
}

export interface StatusFacts {
  status: StatusCategory;
  startedAt: number | null;
  closedAt: number | null;
  reopenCount: number;
}

/** status = last transition; startedAt = first entry into in_progress; closedAt = last entry into done/cancelled while closed now. */
export function statusFacts(transitions: readonly Transition[]): StatusFacts {
  let startedAt: number | null = null;
  let reopenCount = 0;
  for (const t of transitions) {
    if (startedAt === null && t.to === "in_progress") startedAt = t.at;
    if (t.from !== null && isClosedCategory(t.from) && !isClosedCategory(t.to)) reopenCount++;
  }
  const last = transitions[transitions.length - 1];
  if (!last) throw new RangeError("an item needs at least its creation transition");
  return { status: last.to, startedAt, closedAt: isClosedCategory(last.to) ? last.at : null, reopenCount };
}

/** The latest instant anything happened to the item: what `updatedAt` must equal at least. */
export function lastActivityAt(item: TruthItem): number {
  let at = item.createdAt;
  for (const t of item.transitions) if (t.at > at) at = t.at;
  for (const c of item.comments) if (c.at > at) at = c.at;
  for (const e of item.timeEntries) if (e.startAt + e.durationMs > at) at = e.startAt + e.durationMs;
  if (item.pr) {
    for (const r of item.pr.reviews) if (r.at > at) at = r.at;
    if (item.pr.mergedAt !== null && item.pr.mergedAt > at) at = item.pr.mergedAt;
  }
  if (item.deletedAt !== null && item.deletedAt > at) at = item.deletedAt;
  return at;
}

/** Writes the derived status facts of `item.transitions` back onto the item. */
export function applyStatusFacts(item: TruthItem): void {
  const f = statusFacts(item.transitions);
  item.status = f.status;
  item.startedAt = f.startedAt;
  item.closedAt = f.closedAt;
  item.reopenCount = f.reopenCount;
}

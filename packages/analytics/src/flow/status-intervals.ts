import type { StatusCategory, WorkItem } from "@pmo/contracts";

/** A stretch of time an item spent in one status: [start, end) in epoch ms. */
export interface StatusInterval {
  status: string;
  category: StatusCategory;
  start: number;
  end: number;
}

/**
 * The item's status timeline from its history, in time order. The stretch before the first recorded
 * transition is attributed to that transition's `from` status (from createdAt); the last status
 * lasts until `untilMs` (now). Empty when the item has no history.
 */
export function statusIntervals(item: WorkItem, untilMs: number): StatusInterval[] {
  const history = [...item.history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const intervals: StatusInterval[] = [];
  const first = history[0];
  if (first && first.from !== null && first.fromCategory !== null) {
    intervals.push({ status: first.from, category: first.fromCategory, start: Date.parse(item.createdAt), end: Date.parse(first.at) });
  }
  history.forEach((t, i) => {
    const next = history[i + 1];
    const start = Date.parse(t.at);
    const end = next ? Date.parse(next.at) : Math.max(start, untilMs);
    intervals.push({ status: t.to, category: t.toCategory, start, end });
  });
  return intervals.filter((s) => s.end > s.start);
}

import type { StatusCategory, WorkItem } from "@pmo/contracts";
import type { DurationCalendar } from "../calendar/working-calendar.js";
import { statusIntervals } from "../flow/status-intervals.js";
import { distribution } from "../stats/distribution.js";
import type { StatusTime } from "../types/metrics.js";

/** Where work waits: statuses of open work. Backlog is a parking lot and done is the end, neither is a bottleneck. */
const WAITING_CATEGORIES: ReadonlySet<StatusCategory> = new Set(["todo", "in_progress", "in_review"]);
const BOTTLENECK_COUNT = 3;

/** Per raw status: each item's total time in it (all visits), current visits measured up to now. */
export function timeInStatus(items: readonly WorkItem[], nowMs: number, calendar: DurationCalendar): StatusTime[] {
  const perStatus = new Map<string, { category: StatusCategory; perItem: number[] }>();
  for (const item of items) {
    const mine = new Map<string, { category: StatusCategory; ms: number }>();
    for (const s of statusIntervals(item, nowMs)) {
      const entry = mine.get(s.status) ?? { category: s.category, ms: 0 };
      entry.ms += calendar.duration(s.start, s.end);
      mine.set(s.status, entry);
    }
    for (const [status, { category, ms }] of mine) {
      const bucket = perStatus.get(status) ?? { category, perItem: [] };
      bucket.perItem.push(ms);
      perStatus.set(status, bucket);
    }
  }
  return [...perStatus.entries()]
    .map(([status, { category, perItem }]) => ({
      status,
      category,
      items: perItem.length,
      totalMs: perItem.reduce((s, v) => s + v, 0),
      perItemMs: distribution(perItem),
    }))
    .sort((a, b) => b.totalMs - a.totalMs || a.status.localeCompare(b.status));
}

/** The open-work statuses where items wait longest, by median time per item. */
export function bottlenecks(statusTimes: readonly StatusTime[]): StatusTime[] {
  return statusTimes
    .filter((s) => WAITING_CATEGORIES.has(s.category))
    .sort((a, b) => (b.perItemMs.median ?? 0) - (a.perItemMs.median ?? 0) || a.status.localeCompare(b.status))
    .slice(0, BOTTLENECK_COUNT);
}

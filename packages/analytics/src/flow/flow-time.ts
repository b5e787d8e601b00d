import type { WorkItem } from "@pmo/contracts";
import type { DurationCalendar } from "../calendar/working-calendar.js";
import { completedAt } from "./completion.js";
import { statusIntervals } from "./status-intervals.js";

/** Categories in which work is actively moving; everything else is waiting or paused. */
const ACTIVE = new Set(["in_progress", "in_review"]);

/** createdAt → completion, or null for items not completed. */
export function leadTime(item: WorkItem, calendar: DurationCalendar): number | null {
  const done = completedAt(item);
  return done === null ? null : calendar.duration(Date.parse(item.createdAt), done);
}

/**
 * Time in in_progress/in_review up to completion, paused intervals excluded; null when the item is
 * not completed or nothing tells when work started (no history and no startedAt).
 */
export function cycleTime(item: WorkItem, calendar: DurationCalendar): number | null {
  const done = completedAt(item);
  if (done === null) return null;
  if (item.history.length === 0) {
    return item.startedAt ? calendar.duration(Date.parse(item.startedAt), done) : null;
  }
  const active = statusIntervals(item, done).filter((s) => ACTIVE.has(s.category) && s.start < done);
  if (active.length === 0) return item.startedAt ? calendar.duration(Date.parse(item.startedAt), done) : null;
  return active.reduce((sum, s) => sum + calendar.duration(s.start, Math.min(s.end, done)), 0);
}

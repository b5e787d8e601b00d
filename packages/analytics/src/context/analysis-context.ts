import type { WorkItem } from "@pmo/contracts";
import { createCalendar, type DurationCalendar } from "../calendar/working-calendar.js";
import { DEFAULT_THRESHOLDS, type AnalyzeOptions, type ItemComment, type Iteration, type Thresholds } from "../types/options.js";
import { commentsFromEvents } from "./comments.js";
import { defaultPeriod, type MsPeriod } from "./period.js";
import { sortSprints, sprintsFromItems } from "./sprints.js";

/** Everything a metric needs besides the items, resolved once per analysis. */
export interface AnalysisContext {
  nowMs: number;
  calendar: DurationCalendar;
  period: MsPeriod;
  sprints: Iteration[];
  thresholds: Thresholds;
  /** Null when neither comments nor events were given: first response cannot be measured. */
  comments: ItemComment[] | null;
  /** Every analysed item by `platform:id`, for resolving blockers across platforms. */
  itemsByRef: ReadonlyMap<string, WorkItem>;
}

export function refKey(ref: { platform: string; id: string }): string {
  return `${ref.platform}:${ref.id}`;
}

export function buildContext(items: readonly WorkItem[], opts: AnalyzeOptions): AnalysisContext {
  const nowMs = opts.now.getTime();
  const calendar = createCalendar(opts.calendar);
  const period = opts.period
    ? { start: opts.period.start.getTime(), end: opts.period.end.getTime() }
    : defaultPeriod(opts.reportType, nowMs, calendar);
  const comments = opts.comments || opts.events ? [...(opts.comments ?? []), ...commentsFromEvents(opts.events ?? [])] : null;
  return {
    nowMs,
    calendar,
    period,
    sprints: opts.sprints ? sortSprints(opts.sprints) : sprintsFromItems(items),
    thresholds: { ...DEFAULT_THRESHOLDS, ...opts.thresholds },
    comments,
    itemsByRef: new Map(items.map((i) => [refKey(i.ref), i])),
  };
}

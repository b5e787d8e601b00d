import type { ItemRef, Platform, PlatformEvent, ReportType } from "@pmo/contracts";
import type { BusinessCalendarConfig } from "../calendar/config.js";

/** A sprint (ClickUp sprint list, GitHub milestone, Plane cycle) with known dates; `endAt` is exclusive. */
export interface Iteration {
  id: string;
  name: string;
  startAt: Date;
  endAt: Date;
}

/**
 * A comment or review on an item. WorkItem carries no comment timestamps, so time to first response
 * needs these (or `comment.added` platform events, which `commentsFromEvents` turns into these).
 */
export interface ItemComment {
  itemRef: ItemRef;
  at: Date;
  author: string | null;
}

/** Limits that decide when something is stale, due soon, overloaded… In calendar days (working days when the calendar is on). */
export interface Thresholds {
  /** An open item untouched this long is stale. @default 14 */
  staleDays: number;
  /** An open item due within this long is due soon. @default 2 */
  dueSoonDays: number;
  /** A PR waiting for review longer than this is flagged. @default 2 */
  reviewWaitDays: number;
  /** More items in progress/review than this for one person is overload. @default 3 */
  wipPerPerson: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { staleDays: 14, dueSoonDays: 2, reviewWaitDays: 2, wipPerPerson: 3 };

export interface AnalyzeOptions {
  /** The instant the analysis is "as of": open intervals end here, later completions are not counted. */
  now: Date;
  /** Business calendar; when absent (or `enabled: false`) durations are elapsed wall-clock time. */
  calendar?: BusinessCalendarConfig;
  /** Sprints; when absent they are taken from the items' `iteration` fields. */
  sprints?: Iteration[];
  reportType?: ReportType;
  /** Window for "completed in period" figures; defaults from `reportType` (see `defaultPeriod`). */
  period?: { start: Date; end: Date };
  comments?: ItemComment[];
  /** Platform events; their `comment.added` entries are used as comments. */
  events?: PlatformEvent[];
  thresholds?: Partial<Thresholds>;
  /** Platforms that get a view even without items (every requested platform needs its analytics file). */
  platforms?: Platform[];
}

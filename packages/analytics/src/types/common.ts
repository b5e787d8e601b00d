import type { ItemRef, Platform, StatusCategory } from "@pmo/contracts";

/** ISO-8601 UTC instant, e.g. `2024-03-04T09:00:00.000Z`. Every instant in an output is one of these. */
export type Instant = string;

/** A half-open time window [start, end). */
export interface Period {
  start: Instant;
  end: Instant;
}

/** The facts about an item a report or an insight needs to show it, without the whole WorkItem. */
export interface ItemBrief {
  ref: ItemRef;
  key: string;
  title: string;
  url: string;
  status: string;
  statusCategory: StatusCategory;
  assignees: string[];
  points: number | null;
  dueAt: Instant | null;
}

/**
 * Summary of a sample. Percentiles use linear interpolation between closest ranks (Hyndman–Fan
 * type 7, numpy's and Excel PERCENTILE.INC's default, the one issue-metrics uses): for sorted
 * x[0..n-1], p-th percentile = x[h] + (h - ⌊h⌋)(x[⌊h⌋+1] - x[⌊h⌋]) with h = (n-1)·p. All null when n = 0.
 */
export interface Distribution {
  count: number;
  mean: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
  min: number | null;
  max: number | null;
}

/** A count-per-bucket series point (a week or a sprint). */
export interface SeriesPoint {
  /** `2024-W05` for a week, the sprint id for a sprint. */
  key: string;
  label: string;
  start: Instant;
  end: Instant;
  items: number;
  points: number;
}

/** Items and points keyed by platform, for cross-platform tables. */
export type PerPlatform<T> = Partial<Record<Platform, T>>;

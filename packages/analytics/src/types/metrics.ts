import type { ItemRef, Platform, StatusCategory } from "@pmo/contracts";
import type { CalendarDescription } from "../calendar/config.js";
import type { MetricDefinitions } from "../definitions.js";
import type { Distribution, Instant, ItemBrief, Period, SeriesPoint } from "./common.js";

export type Trend = "up" | "down" | "flat";

export interface SeriesSummary {
  series: SeriesPoint[];
  averageItems: number | null;
  averagePoints: number | null;
  /** Least-squares slope of points per bucket over the series. */
  slopePoints: number | null;
  trend: Trend | null;
}

export interface SprintForecast {
  sprintId: string;
  sprintName: string;
  committedPoints: number;
  donePoints: number;
  /** Share of the sprint's (working) time already elapsed at `now`, 0..1. */
  elapsedShare: number;
  /** donePoints + average sprint velocity × remaining share. */
  projectedPoints: number;
  likelyToFinish: boolean;
}

export interface VelocityMetrics {
  byWeek: SeriesSummary;
  bySprint: SeriesSummary;
  forecast: SprintForecast | null;
}

export interface ThroughputMetrics {
  completedInPeriod: number;
  pointsInPeriod: number;
  createdInPeriod: number;
  perWeek: number | null;
}

export interface WipMetrics {
  total: number;
  inProgress: number;
  inReview: number;
  byAssignee: Record<string, number>;
}

/** Lead or cycle time over completed items; open items are counted but never averaged. */
export interface FlowTime {
  unit: "ms";
  distribution: Distribution;
  /** Completed items without enough data (no history, no dates). */
  withoutData: number;
  /** Open items left out of the distribution. */
  openExcluded: number;
}

export interface ResponseMetrics {
  commentsAvailable: boolean;
  note: string | null;
  issues: { timeToFirstResponse: Distribution; unanswered: number; timeToClose: Distribution };
  pullRequests: { timeToFirstResponse: Distribution; unanswered: number; timeToMerge: Distribution };
}

export interface StatusTime {
  status: string;
  category: StatusCategory;
  /** Items that spent time in it. */
  items: number;
  totalMs: number;
  /** Time per item, all its visits summed. */
  perItemMs: Distribution;
}

export interface Blocker {
  ref: ItemRef;
  /** Null when the blocker is not among the analysed items. */
  item: ItemBrief | null;
}

export interface BlockedItem {
  item: ItemBrief;
  /** `dependency`: open `blockedBy` items; `status`: the raw status says blocked. */
  reasons: Array<"dependency" | "status">;
  blockers: Blocker[];
  blockedForMs: number | null;
}

export interface DueItem {
  item: ItemBrief;
  /** Positive: overdue by; negative: due in. */
  overdueMs: number;
}

export interface StaleItem {
  item: ItemBrief;
  idleMs: number;
}

export interface AwaitingReview {
  item: ItemBrief;
  waitingMs: number;
}

export interface AssigneeLoad {
  assignee: string;
  open: number;
  inProgress: number;
  inReview: number;
  openPoints: number;
  blocked: number;
  overdue: number;
  completedInPeriod: number;
}

export interface ReworkMetrics {
  closedItems: number;
  reopenedItems: ItemRef[];
  reopenRate: number | null;
  itemsWithHistory: number;
  backflowItems: ItemRef[];
  backflowTransitions: number;
  backflowRate: number | null;
}

export interface EstimateAccuracy {
  /** Completed items with both an ms estimate and tracked time. */
  sampleSize: number;
  estimatedMs: number;
  spentMs: number;
  /** spent / estimated per item. */
  ratio: Distribution;
  withinTolerance: number;
  over: number;
  under: number;
  /** |ratio − 1| ≤ this counts as accurate. */
  tolerance: number;
}

export interface MetricSet {
  counts: {
    total: number;
    open: number;
    done: number;
    cancelled: number;
    byStatusCategory: Record<StatusCategory, number>;
    byStatus: Record<string, number>;
  };
  velocity: VelocityMetrics;
  throughput: ThroughputMetrics;
  wip: WipMetrics;
  leadTime: FlowTime;
  cycleTime: FlowTime;
  responsiveness: ResponseMetrics;
  timeInStatus: StatusTime[];
  /** Open-work statuses (todo, in progress, in review) ranked by median time per item. */
  bottlenecks: StatusTime[];
  blocked: BlockedItem[];
  overdue: DueItem[];
  dueSoon: DueItem[];
  stale: StaleItem[];
  prsAwaitingReview: AwaitingReview[];
  assignees: AssigneeLoad[];
  rework: ReworkMetrics;
  estimates: EstimateAccuracy;
}

/** Shared header of every output object: definitions are versioned and written into each. */
export interface AnalyticsHeader {
  definitions: MetricDefinitions;
  generatedAt: Instant;
  period: Period;
  calendar: CalendarDescription;
}

/** `analysis/<platform>-analytics.json`. */
export interface PlatformAnalytics extends AnalyticsHeader {
  platform: Platform;
  metrics: MetricSet;
}

/** One project across every platform, plus the per-platform views. */
export interface ProjectAnalytics extends AnalyticsHeader {
  platforms: Platform[];
  metrics: MetricSet;
  byPlatform: Partial<Record<Platform, PlatformAnalytics>>;
}

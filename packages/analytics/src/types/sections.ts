import type { Platform, StatusCategory } from "@pmo/contracts";
import type { Distribution, Instant, ItemBrief, Period } from "./common.js";
import type { AssigneeLoad, BlockedItem, DueItem, SeriesSummary, SprintForecast, StatusTime, WipMetrics } from "./metrics.js";
import type { AnalyticsHeader } from "./metrics.js";

export interface PersonStandup {
  assignee: string;
  doneYesterday: ItemBrief[];
  inProgress: ItemBrief[];
  blocked: ItemBrief[];
  dueTodayOrOverdue: ItemBrief[];
}

/** Daily standup: "yesterday" is the previous working day (calendar on) or the previous day, in the calendar's zone. */
export interface DailySections {
  type: "daily";
  yesterday: Period;
  today: Period;
  doneYesterday: ItemBrief[];
  inProgress: ItemBrief[];
  blocked: BlockedItem[];
  dueToday: DueItem[];
  overdue: DueItem[];
  perPerson: PersonStandup[];
}

/** Weekly and monthly progress over their period. */
export interface ProgressSections {
  type: "weekly" | "monthly";
  completed: ItemBrief[];
  started: ItemBrief[];
  created: number;
  completedPoints: number;
  byPlatform: Partial<Record<Platform, { completed: number; points: number; open: number }>>;
  statusBreakdown: Record<StatusCategory, number>;
  cycleTimeMs: Distribution;
  leadTimeMs: Distribution;
  /** Cycle times of the completed items, for the distribution chart. */
  cycleTimeSamplesMs: number[];
  wip: WipMetrics;
  bottlenecks: StatusTime[];
  blocked: BlockedItem[];
  overdue: DueItem[];
  assignees: AssigneeLoad[];
  /** Weekly velocity buckets inside the period (a monthly report shows its weeks). */
  weeks: SeriesSummary;
}

export interface BurndownPoint {
  /** End of the day (exclusive), in the calendar's zone. */
  at: Instant;
  date: string;
  remainingPoints: number;
  remainingItems: number;
  completedPoints: number;
  scopePoints: number;
  idealPoints: number;
}

export interface SprintSections {
  type: "sprint";
  sprint: { id: string; name: string; startAt: Instant; endAt: Instant; status: "past" | "current" | "future" };
  scope: ItemBrief[];
  scopePoints: number;
  /** Scope items completed before the sprint ended (or now, for the current sprint). */
  done: ItemBrief[];
  donePoints: number;
  /** Scope items not done when the sprint ended: they roll over (or remain, for the current sprint). */
  carriedOver: ItemBrief[];
  /** Scope items already started before the sprint began: brought in from earlier sprints. */
  carriedIn: ItemBrief[];
  burndown: BurndownPoint[];
  velocity: SeriesSummary;
  forecast: SprintForecast | null;
}

export interface VelocitySections {
  type: "velocity";
  byWeek: SeriesSummary;
  bySprint: SeriesSummary;
  forecast: SprintForecast | null;
  byPlatform: Partial<Record<Platform, { byWeek: SeriesSummary; bySprint: SeriesSummary }>>;
}

export type ReportSectionsBody = DailySections | ProgressSections | SprintSections | VelocitySections;

/** What a renderer needs for one report, with the versioned definitions it was computed under. */
export type ReportSections = AnalyticsHeader & { sections: ReportSectionsBody };

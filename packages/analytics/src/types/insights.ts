import type { ItemRef, Platform } from "@pmo/contracts";
import type { AnalyticsHeader } from "./metrics.js";

export type Severity = "info" | "warning" | "critical";

export const PatternKind = {
  ReviewBottleneck: "review-bottleneck",
  StatusBottleneck: "status-bottleneck",
  WipOverload: "wip-overload",
  FrequentReopens: "frequent-reopens",
  Backflow: "backflow",
  StaleWork: "stale-work",
  AgingReviews: "aging-reviews",
  OverdueWork: "overdue-work",
  BlockedWork: "blocked-work",
  EstimateDrift: "estimate-drift",
  VelocityDecline: "velocity-decline",
  SprintAtRisk: "sprint-at-risk",
} as const;
export type PatternKind = (typeof PatternKind)[keyof typeof PatternKind];

/** The items and numbers a pattern or insight rests on. */
export interface Evidence {
  /** At most `EVIDENCE_ITEM_LIMIT` refs, worst first; `itemCount` is the full count. */
  items: ItemRef[];
  itemCount: number;
  numbers: Record<string, number>;
}

export interface Pattern {
  id: string;
  kind: PatternKind;
  severity: Severity;
  /** Null for the cross-platform view. */
  platform: Platform | null;
  summary: string;
  /** Share of the scope's open work the evidence covers, 0..1 (0 when nothing is open). */
  reach: number;
  evidence: Evidence;
}

export interface Insight {
  rank: number;
  id: string;
  kind: PatternKind;
  severity: Severity;
  platform: Platform | null;
  title: string;
  recommendation: string;
  /** severity weight × share of work affected; higher first. */
  score: number;
  evidence: Evidence;
  patternId: string;
}

/** `analysis/patterns.json`. */
export interface Patterns extends AnalyticsHeader {
  patterns: Pattern[];
}

/** `analysis/insights.json`. */
export interface Insights extends AnalyticsHeader {
  insights: Insight[];
}

/**
 * @pmo/analytics — pure functions over WorkItem[] and platform events: metrics, bottlenecks,
 * patterns, ranked insights and the per-report sections renderers need. No I/O (DESIGN §1).
 *
 * Entry points:
 *   analyzeProject(items, opts)      → ProjectAnalytics (cross-platform `metrics` + `byPlatform[p]`,
 *                                      each a PlatformAnalytics = analysis/<platform>-analytics.json)
 *   detectPatterns(analytics)        → Patterns  (analysis/patterns.json)
 *   rankInsights(patterns)           → Insights  (analysis/insights.json)
 *   reportSections(items, opts)      → ReportSections for opts.reportType (daily|weekly|monthly|sprint|velocity)
 * Every output carries `definitions` (versioned), `generatedAt`, `period` and `calendar`, and is plain JSON.
 */
export type * from "./types/common.js";
export type * from "./types/options.js";
export type * from "./types/metrics.js";
export type * from "./types/insights.js";
export type * from "./types/sections.js";
export { DEFAULT_THRESHOLDS } from "./types/options.js";
export { PatternKind } from "./types/insights.js";

export { METRICS_VERSION, METRIC_DEFINITIONS, type MetricDefinitions, type MetricDefinition } from "./definitions.js";
export {
  BusinessCalendarConfigSchema,
  type BusinessCalendarConfig,
  type ResolvedCalendarConfig,
  type CalendarDescription,
  type WorkingWindow,
} from "./calendar/config.js";
export { WorkingCalendar, ElapsedCalendar, createCalendar, type DurationCalendar } from "./calendar/working-calendar.js";
export { isoWeekKey } from "./calendar/zone-time.js";
export { distribution, percentile } from "./stats/distribution.js";

export { analyzeProject, analyzePlatform } from "./analyze.js";
export { defaultPeriod } from "./context/period.js";
export { sprintsFromItems } from "./context/sprints.js";
export { commentsFromEvents } from "./context/comments.js";
export { completedAt, isOpen } from "./flow/completion.js";
export { cycleTime, leadTime } from "./flow/flow-time.js";
export { detectPatterns } from "./insights/detect-patterns.js";
export { rankInsights, EVIDENCE_ITEM_LIMIT } from "./insights/rank-insights.js";
export { reportSections, SprintNotFoundError, type ReportSectionsOptions } from "./sections/report-sections.js";
export { buildContext, type AnalysisContext } from "./context/analysis-context.js";
export { dailySections } from "./sections/daily.js";
export { progressSections } from "./sections/progress.js";
export { sprintSections } from "./sections/sprint.js";
export { velocitySections } from "./sections/velocity.js";

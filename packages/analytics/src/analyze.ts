import type { Platform, WorkItem } from "@pmo/contracts";
import { buildContext, type AnalysisContext } from "./context/analysis-context.js";
import { toInstant } from "./calendar/zone-time.js";
import { METRIC_DEFINITIONS } from "./definitions.js";
import { computeMetricSet } from "./metrics/metric-set.js";
import type { AnalyticsHeader, PlatformAnalytics, ProjectAnalytics } from "./types/metrics.js";
import type { AnalyzeOptions } from "./types/options.js";

export function headerOf(ctx: AnalysisContext): AnalyticsHeader {
  return {
    definitions: METRIC_DEFINITIONS,
    generatedAt: toInstant(ctx.nowMs),
    period: { start: toInstant(ctx.period.start), end: toInstant(ctx.period.end) },
    calendar: ctx.calendar.describe(),
  };
}

function platformView(platform: Platform, items: readonly WorkItem[], ctx: AnalysisContext): PlatformAnalytics {
  return { platform, ...headerOf(ctx), metrics: computeMetricSet(items, ctx) };
}

/** One platform's view (`analysis/<platform>-analytics.json`); blockers resolve only within `items`. */
export function analyzePlatform(platform: Platform, items: readonly WorkItem[], opts: AnalyzeOptions): PlatformAnalytics {
  const own = items.filter((i) => i.ref.platform === platform);
  return platformView(platform, own, buildContext(own, opts));
}

/**
 * The project across every platform: one metric set over all items (blockers resolved across
 * platforms), and a view per platform present in `items`, under the same calendar, period and sprints.
 */
export function analyzeProject(items: readonly WorkItem[], opts: AnalyzeOptions): ProjectAnalytics {
  const ctx = buildContext(items, opts);
  const platforms = [...new Set([...(opts.platforms ?? []), ...items.map((i) => i.ref.platform)])].sort();
  const byPlatform: ProjectAnalytics["byPlatform"] = {};
  for (const p of platforms) byPlatform[p] = platformView(p, items.filter((i) => i.ref.platform === p), ctx);
  return { ...headerOf(ctx), platforms, metrics: computeMetricSet(items, ctx), byPlatform };
}

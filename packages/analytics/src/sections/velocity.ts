import type { Platform, WorkItem } from "@pmo/contracts";
import type { AnalysisContext } from "../context/analysis-context.js";
import { forecastSprint, summarizeSeries, throughputBySprint, throughputByWeek } from "../metrics/velocity.js";
import type { VelocitySections } from "../types/sections.js";

function seriesOf(items: readonly WorkItem[], ctx: AnalysisContext) {
  const bySprint = throughputBySprint(items, ctx.sprints, ctx.nowMs);
  return {
    bySprint,
    summary: {
      byWeek: summarizeSeries(throughputByWeek(items, ctx.period.start, ctx.nowMs, ctx.calendar), ctx.nowMs),
      bySprint: summarizeSeries(bySprint, ctx.nowMs),
    },
  };
}

/** Velocity per week (over the period) and per sprint, cross-platform and per platform, with the current sprint's forecast. */
export function velocitySections(items: readonly WorkItem[], ctx: AnalysisContext): VelocitySections {
  const all = seriesOf(items, ctx);
  const byPlatform: VelocitySections["byPlatform"] = {};
  const platforms = [...new Set(items.map((i) => i.ref.platform))].sort() as Platform[];
  for (const p of platforms) byPlatform[p] = seriesOf(items.filter((i) => i.ref.platform === p), ctx).summary;
  return {
    type: "velocity",
    ...all.summary,
    forecast: forecastSprint(items, ctx.sprints, all.bySprint, ctx.nowMs, ctx.calendar),
    byPlatform,
  };
}

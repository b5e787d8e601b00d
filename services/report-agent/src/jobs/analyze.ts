import { analyzeProject, detectPatterns, rankInsights, type ProjectAnalytics } from "@pmo/analytics";
import type { ArtifactRef } from "@pmo/contracts";
import type { JobContext, JobOutcome } from "@pmo/runtime";
import { AnalysisPaths } from "../data/analysis-files.js";
import { analyzeOptions, loadAnalysisInputs } from "../data/analysis-inputs.js";
import type { AnalyticsSettings } from "../settings.js";
import { AnalyzeInputSchema, parseInput } from "./inputs.js";
import { computeSections } from "./report-sections.js";

/**
 * Phase 2: metrics over every platform's collected items (one cross-platform view and one per
 * platform), patterns, ranked insights, and the requested report's sections for the render jobs.
 * Idempotent: the same inputs write the same files.
 */
export async function analyzeJob(ctx: JobContext, settings: AnalyticsSettings): Promise<JobOutcome> {
  const input = parseInput(AnalyzeInputSchema, ctx.job.input, "analyze");
  const { workflowId } = ctx.job;
  const inputs = await loadAnalysisInputs(ctx.artifacts, workflowId, input.collected, new Date(ctx.job.issuedAt));
  ctx.heartbeat();
  for (const c of inputs.collected) {
    if (c.invalidCount) ctx.log.warn({ platform: c.platform, invalid: c.invalidCount, first: c.invalid[0] }, "invalid collected records left out of the analysis");
  }

  const analytics = analyzeProject(inputs.items, { ...analyzeOptions(inputs, settings), ...(input.reportType ? { reportType: input.reportType } : {}) });
  ctx.heartbeat();
  const patterns = detectPatterns(analytics);
  const insights = rankInsights(patterns);
  const sections = input.reportType ? computeSections(inputs, settings, input.reportType, input.sprint) : null;
  ctx.heartbeat();

  const { byPlatform, ...project } = analytics;
  const writes: Array<Promise<ArtifactRef>> = [
    ...input.platforms.map((p) => ctx.artifacts.putJson(workflowId, AnalysisPaths.platform(p), byPlatform[p] ?? emptyPlatform(analytics, p))),
    ctx.artifacts.putJson(workflowId, AnalysisPaths.project, project),
    ctx.artifacts.putJson(workflowId, AnalysisPaths.patterns, patterns),
    ctx.artifacts.putJson(workflowId, AnalysisPaths.insights, insights),
    ctx.artifacts.putJson(workflowId, AnalysisPaths.dataQuality, {
      ...inputs.dataQuality,
      invalidRecords: Object.fromEntries(inputs.collected.map((c) => [c.platform, c.invalid])),
    }),
  ];
  if (sections) writes.push(ctx.artifacts.putJson(workflowId, AnalysisPaths.reportSections(sections.reportType), sections));
  const artifacts = await Promise.all(writes);

  const invalid = inputs.collected.reduce((n, c) => n + c.invalidCount, 0);
  return {
    output: {
      items: inputs.items.length,
      invalidItems: invalid,
      asOf: inputs.asOf.toISOString(),
      patterns: patterns.patterns.length,
      insights: insights.insights.length,
      topInsight: insights.insights[0]?.title ?? null,
      metrics: { itemsAnalyzed: inputs.items.length, invalidItemsSkipped: invalid },
    },
    artifacts,
  };
}

/** A requested platform whose collection held no valid item still gets its (empty) analytics file. */
function emptyPlatform(analytics: ProjectAnalytics, platform: (typeof analytics.platforms)[number]): unknown {
  const { byPlatform: _omit, platforms: _all, ...header } = analytics;
  return { ...header, platform, metrics: null };
}

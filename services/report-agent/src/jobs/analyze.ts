import { analyzePlatform, analyzeProject, detectPatterns, rankInsights } from "@pmo/analytics";
import type { ArtifactRef } from "@pmo/contracts";
import { JobFailure, type JobContext, type JobOutcome } from "@pmo/runtime";
import { AnalysisPaths } from "../data/analysis-files.js";
import { analyzeOptions, loadAnalysisInputs } from "../data/analysis-inputs.js";
import type { AnalyticsSettings } from "../settings.js";
import { AnalyzeInputSchema, parseInput } from "./inputs.js";
import { computeSections, type StoredSections } from "./report-sections.js";

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

  // The analytics files describe the project over the analytics' default look-back (12 weeks), not
  // the report's period: patterns need history, and the weekly report's velocity chart shows it. The
  // report's own period is in its sections. Every requested platform gets its view, even an empty one.
  const analytics = analyzeProject(inputs.items, { ...analyzeOptions(inputs, settings), platforms: input.platforms });
  ctx.heartbeat();
  const patterns = detectPatterns(analytics, inputs.items, settings.thresholds);
  const insights = rankInsights(patterns);
  const sections = input.reportType ? sectionsOrNull(() => computeSections(inputs, settings, input.reportType!, input.sprint), ctx) : null;
  ctx.heartbeat();

  const { byPlatform, ...project } = analytics;
  const writes: Array<Promise<ArtifactRef>> = [
    ...input.platforms.map((p) => ctx.artifacts.putJson(workflowId, AnalysisPaths.platform(p), byPlatform[p] ?? analyzePlatform(p, [], analyzeOptions(inputs, settings)))),
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
      reportSections: sections ? AnalysisPaths.reportSections(sections.reportType) : null,
      metrics: { itemsAnalyzed: inputs.items.length, invalidItemsSkipped: invalid },
    },
    artifacts,
  };
}

/**
 * The report's sections are a convenience for the render jobs, not an analysis output: a report that
 * cannot be made (a sprint the data does not know) fails its render jobs, which say why, while the
 * analysis itself stands.
 */
function sectionsOrNull(compute: () => StoredSections, ctx: JobContext): StoredSections | null {
  try {
    return compute();
  } catch (err) {
    if (!(err instanceof JobFailure) || !err.nonRetryable) throw err;
    ctx.log.warn({ code: err.code, reason: err.message }, "report sections not computed; the render jobs will report it");
    return null;
  }
}

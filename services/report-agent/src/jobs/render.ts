import type { Insights, ProjectAnalytics } from "@pmo/analytics";
import type { JobContext, JobOutcome } from "@pmo/runtime";
import { JobFailure } from "@pmo/runtime";
import { readJsonArtifact } from "../data/collected.js";
import { AnalysisPaths } from "../data/analysis-files.js";
import { buildReportJson, ReportDataError } from "../report/build.js";
import { renderReport } from "../render/render-format.js";
import type { AnalyticsSettings } from "../settings.js";
import { RenderInputSchema, parseInput } from "./inputs.js";
import { loadOrComputeSections } from "./report-sections.js";

/**
 * Phase 3 (report): one report in one format, written to exactly `input.outputPath` (markdown over
 * GitHub's limit adds numbered parts beside it). Replicas share these jobs through the agent's durable
 * consumer; rendering the same job twice writes the same file.
 */
export async function renderJob(ctx: JobContext, settings: AnalyticsSettings): Promise<JobOutcome> {
  const input = parseInput(RenderInputSchema, ctx.job.input, "render");
  const { workflowId } = ctx.job;
  const stored = await loadOrComputeSections(ctx.artifacts, workflowId, input, settings, new Date(ctx.job.issuedAt));
  const [project, insights] = await Promise.all([
    readJsonArtifact(ctx.artifacts, workflowId, AnalysisPaths.project).catch(() => null) as Promise<ProjectAnalytics | null>,
    readJsonArtifact(ctx.artifacts, workflowId, AnalysisPaths.insights).catch(() => null) as Promise<Insights | null>,
  ]);
  ctx.heartbeat();

  let json;
  try {
    json = buildReportJson({
      reportType: input.reportType,
      workflowId,
      project: ctx.job.project,
      platforms: stored.platforms,
      asOf: stored.asOf,
      generatedAt: new Date().toISOString(),
      sections: stored.report,
      projectAnalytics: project,
      insights: insights?.insights ?? [],
      dataQuality: stored.dataQuality,
    });
  } catch (err) {
    // Bad analysis data stays bad on a retry.
    if (err instanceof ReportDataError) throw JobFailure.nonRetryable(err.message, "invalid_report_data");
    throw err;
  }
  const files = await renderReport(json, input.format, input.outputPath);
  const artifacts = await Promise.all(files.map((f) => ctx.artifacts.put(workflowId, f.path, f.content, f.contentType)));
  return {
    output: {
      path: input.outputPath,
      reportType: input.reportType,
      format: input.format,
      bytes: artifacts[0]!.size,
      parts: files.length,
      headline: Object.fromEntries(json.headline.map((h) => [h.id, h.value])),
    },
    artifacts,
  };
}

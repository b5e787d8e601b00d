/**
 * The requested report's sections. The analyze job computes them once and stores them; each render job
 * (one per format, possibly on another replica) reads them back, and recomputes them from the collected
 * data only when they are missing or were computed for another report.
 */
import { reportSections, SprintNotFoundError, type ReportSections } from "@pmo/analytics";
import type { ReportType } from "@pmo/contracts";
import { JobFailure, type ArtifactStore } from "@pmo/runtime";
import { readJsonArtifact } from "../data/collected.js";
import { AnalysisPaths } from "../data/analysis-files.js";
import { analyzeOptions, loadAnalysisInputs, type AnalysisInputs } from "../data/analysis-inputs.js";
import type { DataQuality } from "../report/report-json.js";
import type { AnalyticsSettings } from "../settings.js";

/** `analysis/report-<type>.json`. */
export interface StoredSections {
  reportType: ReportType;
  sprint: string | null;
  asOf: string;
  platforms: AnalysisInputs["platforms"];
  dataQuality: DataQuality;
  report: ReportSections;
}

export function computeSections(inputs: AnalysisInputs, settings: AnalyticsSettings, reportType: ReportType, sprint: string | null): StoredSections {
  let report: ReportSections;
  try {
    report = reportSections(inputs.items, { ...analyzeOptions(inputs, settings), platforms: inputs.platforms, reportType, sprint });
  } catch (err) {
    // A sprint the data does not know stays unknown on a retry.
    if (err instanceof SprintNotFoundError) throw JobFailure.nonRetryable(err.message, "sprint_not_found", { sprint });
    throw err;
  }
  return { reportType, sprint, asOf: inputs.asOf.toISOString(), platforms: inputs.platforms, dataQuality: inputs.dataQuality, report };
}

export async function loadOrComputeSections(
  artifacts: ArtifactStore,
  workflowId: string,
  want: { reportType: ReportType; sprint: string | null; collected: readonly string[] },
  settings: AnalyticsSettings,
  fallbackNow: Date,
): Promise<StoredSections> {
  const stored = (await readJsonArtifact(artifacts, workflowId, AnalysisPaths.reportSections(want.reportType)).catch(() => null)) as StoredSections | null;
  if (stored && stored.reportType === want.reportType && stored.sprint === want.sprint && stored.report?.sections) return stored;
  const inputs = await loadAnalysisInputs(artifacts, workflowId, want.collected, fallbackNow);
  return computeSections(inputs, settings, want.reportType, want.sprint);
}

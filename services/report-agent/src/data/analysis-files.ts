/** Where the analyze job leaves its results, and what the render jobs read back. */
import type { Platform, ReportType } from "@pmo/contracts";

export const AnalysisPaths = {
  platform: (p: Platform) => `analysis/${p}-analytics.json`,
  /**
   * The cross-platform view (metrics over every platform's items together). Not `*-analytics.json`:
   * the orchestrator's gate reads that pattern as a per-platform file, which must name its platform.
   */
  project: "analysis/project.json",
  patterns: "analysis/patterns.json",
  insights: "analysis/insights.json",
  /** Records left out as invalid, per platform. */
  dataQuality: "analysis/data-quality.json",
  /** The requested report's sections, computed once so the render jobs (one per format) share them. */
  reportSections: (type: ReportType) => `analysis/report-${type}.json`,
} as const;

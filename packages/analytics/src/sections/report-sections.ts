import type { ReportType, WorkItem } from "@pmo/contracts";
import { headerOf } from "../analyze.js";
import { buildContext } from "../context/analysis-context.js";
import type { AnalyzeOptions } from "../types/options.js";
import type { ReportSections } from "../types/sections.js";
import { dailySections } from "./daily.js";
import { progressSections } from "./progress.js";
import { sprintSections } from "./sprint.js";
import { velocitySections } from "./velocity.js";

export interface ReportSectionsOptions extends AnalyzeOptions {
  reportType: ReportType;
  /** Sprint id, name or slug (`sprint-24`) for sprint reports; the current sprint otherwise. */
  sprint?: string | null;
}

/** Thrown when a sprint report names a sprint the items do not know (or no sprint exists). */
export class SprintNotFoundError extends Error {
  override name = "SprintNotFoundError";
  constructor(readonly sprint: string | null) {
    super(sprint ? `no sprint "${sprint}" among the analysed items` : "no sprint with dates among the analysed items");
  }
}

/** The data a renderer needs for one report type, with the versioned definitions and calendar. */
export function reportSections(items: readonly WorkItem[], opts: ReportSectionsOptions): ReportSections {
  const ctx = buildContext(items, opts);
  const header = headerOf(ctx);
  switch (opts.reportType) {
    case "daily":
      return { ...header, sections: dailySections(items, ctx) };
    case "weekly":
    case "monthly":
      return { ...header, sections: progressSections(items, ctx, opts.reportType) };
    case "sprint": {
      const sections = sprintSections(items, ctx, opts.sprint);
      if (!sections) throw new SprintNotFoundError(opts.sprint ?? null);
      return { ...header, sections };
    }
    case "velocity":
      return { ...header, sections: velocitySections(items, ctx) };
  }
}

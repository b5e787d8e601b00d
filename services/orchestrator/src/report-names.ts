import type { ReportFormat, ReportType } from "@pmo/contracts";
import { sanitizeFileSegment } from "@pmo/contracts";

/** ISO-8601 week of a UTC date, as `2026-W48`. */
export function isoWeek(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const day = d.getUTCDay() || 7; // Monday=1 … Sunday=7
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday of this week decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

export const FORMAT_EXTENSION: Record<ReportFormat, string> = { markdown: "md", json: "json", html: "html", pdf: "pdf" };

/** The seed's report names: `reports/weekly-2026-W48.md`, `reports/sprint-sprint-24.pdf`, … */
export function reportBaseName(type: ReportType, at: Date, sprint: string | undefined): string {
  switch (type) {
    case "daily":
      return `daily-${at.toISOString().slice(0, 10)}`;
    case "weekly":
      return `weekly-${isoWeek(at)}`;
    case "monthly":
      return `monthly-${at.toISOString().slice(0, 7)}`;
    case "sprint":
      return `sprint-${sanitizeFileSegment(sprint ?? "current")}`;
    case "velocity":
      return `velocity-report-${isoWeek(at)}`;
  }
}

export function reportPath(type: ReportType, format: ReportFormat, at: Date, sprint: string | undefined): string {
  return `reports/${reportBaseName(type, at, sprint)}.${FORMAT_EXTENSION[format]}`;
}

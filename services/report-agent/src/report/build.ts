/**
 * From analysis to report: the json (numbers, headline, chart data; schema-validated) and the
 * format-neutral document every other format draws.
 */
import type { Platform, ReportType } from "@pmo/contracts";
import type { Insight, ProjectAnalytics, ReportSections, ReportSectionsBody } from "@pmo/analytics";
import { dailyReport } from "./daily.js";
import { table, right, type ReportDocument, type Section } from "./document.js";
import { formatDay, formatInstant, formatNumber } from "./format.js";
import { clip } from "./items.js";
import { progressReport } from "./progress.js";
import { REPORT_JSON_VERSION, ReportJsonSchema, type DataQuality, type ReportJson } from "./report-json.js";
import type { ReportContext, ReportKind } from "./report-kind.js";
import { sprintReport } from "./sprint.js";
import { velocityReport } from "./velocity.js";

/** Insights shown in a report (the json of the analysis holds them all). */
const INSIGHTS_SHOWN = 5;

export interface ReportInputs {
  reportType: ReportType;
  workflowId: string;
  project: string;
  platforms: Platform[];
  asOf: string;
  generatedAt: string;
  sections: ReportSections;
  projectAnalytics: ProjectAnalytics | null;
  insights: Insight[];
  dataQuality: DataQuality;
}

function kindOf(body: ReportSectionsBody): ReportKind<ReportSectionsBody> {
  switch (body.type) {
    case "daily":
      return dailyReport as ReportKind<ReportSectionsBody>;
    case "weekly":
    case "monthly":
      return progressReport as ReportKind<ReportSectionsBody>;
    case "sprint":
      return sprintReport as ReportKind<ReportSectionsBody>;
    case "velocity":
      return velocityReport as ReportKind<ReportSectionsBody>;
  }
}

export class ReportDataError extends Error {
  override name = "ReportDataError";
}

export function buildReportJson(inputs: ReportInputs): ReportJson {
  const { sections: analysed } = inputs;
  const body = analysed.sections;
  if (body.type !== inputs.reportType) throw new ReportDataError(`the analysis holds ${body.type} sections, not ${inputs.reportType}`);
  const kind = kindOf(body);
  const ctx: ReportContext = { mode: analysed.calendar.mode, project: inputs.projectAnalytics };
  const json = {
    kind: "pmo.report" as const,
    version: REPORT_JSON_VERSION,
    reportType: inputs.reportType,
    title: kind.title(body),
    workflowId: inputs.workflowId,
    project: inputs.project,
    platforms: inputs.platforms,
    generatedAt: inputs.generatedAt,
    asOf: inputs.asOf,
    period: analysed.period,
    calendar: analysed.calendar,
    definitions: analysed.definitions,
    headline: kind.headline(body, ctx),
    sections: body,
    charts: kind.charts(body, ctx),
    insights: inputs.insights.slice(0, INSIGHTS_SHOWN).map((i) => ({ rank: i.rank, title: i.title, recommendation: i.recommendation, severity: i.severity, platform: i.platform, evidence: i.evidence })),
    dataQuality: inputs.dataQuality,
  };
  const parsed = ReportJsonSchema.safeParse(json);
  if (!parsed.success) throw new ReportDataError(`report data failed its schema: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

function insightsSection(json: ReportJson): Section[] {
  if (json.reportType === "daily") return [];
  return [
    {
      id: "insights",
      title: "Insights",
      blocks: [
        table(
          [right("#"), "Severity", "Insight", "Recommendation"],
          json.insights.map((i) => [{ text: String(i.rank) }, { text: i.severity }, { text: clip(i.title, 200) }, { text: clip(i.recommendation, 400) }]),
          "No insight stands out.",
        ),
      ],
    },
  ];
}

function notes(json: ReportJson): string[] {
  const invalid = Object.entries(json.dataQuality.invalidItems).filter(([, n]) => n > 0);
  const analysed = Object.entries(json.dataQuality.analysedItems).map(([p, n]) => `${p} ${formatNumber(n)}`);
  return [
    `Items analysed: ${analysed.join(", ") || "none"}.${invalid.length ? ` Left out as invalid: ${invalid.map(([p, n]) => `${p} ${n}`).join(", ")}.` : ""}`,
    `Durations: ${json.calendar.mode === "business" ? `working time (business calendar, ${json.calendar.timeZone})` : `elapsed time (${json.calendar.timeZone})`}. Metric definitions version ${json.definitions.version}.`,
    `Workflow ${json.workflowId}.`,
  ];
}

export function composeDocument(json: ReportJson): ReportDocument {
  const kind = kindOf(json.sections);
  const span = kind.span?.(json.sections) ?? json.period;
  return {
    reportType: json.reportType,
    title: json.title,
    subtitle: `Project ${json.project} · ${json.platforms.join(", ")} · ${formatDay(span.start)} to ${formatDay(span.end)} · as of ${formatInstant(json.asOf)}`,
    generatedAt: json.generatedAt,
    headline: json.headline.map((h) => ({ id: h.id, label: h.label, value: h.display })),
    sections: [...kind.sections(json.sections, json, json.calendar.mode), ...insightsSection(json)],
    notes: notes(json),
  };
}

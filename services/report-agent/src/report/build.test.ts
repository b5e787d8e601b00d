import { describe, expect, it } from "vitest";
import type { ReportType } from "@pmo/contracts";
import type { ProgressSections } from "@pmo/analytics";
import { reportInputs, sectionsByType } from "../testing/report-fixtures.js";
import { buildReportJson, composeDocument, ReportDataError } from "./build.js";
import { ReportJsonSchema } from "./report-json.js";

const TYPES: ReportType[] = ["daily", "weekly", "monthly", "sprint", "velocity"];

describe("buildReportJson", () => {
  it("produces schema-valid json for every report type, with versioned definitions and the chart data", () => {
    for (const t of TYPES) {
      const json = buildReportJson(reportInputs(t));
      expect(ReportJsonSchema.parse(JSON.parse(JSON.stringify(json)))).toEqual(json);
      expect(json.reportType).toBe(t);
      expect(json.definitions.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(json.charts.length).toBeGreaterThan(0);
      expect(json.headline.length).toBeGreaterThanOrEqual(5);
    }
  });

  it("takes the headline numbers straight from the sections", () => {
    const weekly = Object.fromEntries(buildReportJson(reportInputs("weekly")).headline.map((h) => [h.id, h.value]));
    expect(weekly).toMatchObject({ completed: 2, "points-completed": 8, created: 9, wip: 5, "cycle-median": 2.5 * 86_400_000, blocked: 0, overdue: 1 });
    const sprint = Object.fromEntries(buildReportJson(reportInputs("sprint")).headline.map((h) => [h.id, h.display]));
    expect(sprint).toMatchObject({ "scope-points": "11", "done-points": "5", completion: "45%", "carried-over": "3", projected: "12.4" });
  });

  it("bins the cycle-time samples of a progress report into the distribution chart", () => {
    const chart = buildReportJson(reportInputs("weekly")).charts.find((c) => c.id === "cycle-time")!;
    // samples: 0.5 d, 2.5 d, 6 d, 30 d
    expect(chart.categories).toEqual(["0–1 d", "1–2 d", "2–4 d", "4–7 d", "7–14 d", "14–28 d", "28+ d"]);
    expect(chart.series[0]!.values).toEqual([1, 0, 1, 1, 0, 0, 1]);
  });

  it("refuses sections of another report type, and sections that break the schema", () => {
    expect(() => buildReportJson({ ...reportInputs("weekly"), reportType: "sprint" })).toThrow(ReportDataError);
    const broken = { ...(sectionsByType.weekly as ProgressSections), created: -1 };
    expect(() => buildReportJson(reportInputs("weekly", broken))).toThrow(/created/);
  });
});

describe("composeDocument", () => {
  it("draws every chart the json holds, and notes the data quality and the definitions version", () => {
    for (const t of TYPES) {
      const json = buildReportJson(reportInputs(t));
      const doc = composeDocument(json);
      const drawn = doc.sections.flatMap((s) => s.blocks).filter((b) => b.kind === "chart").map((b) => (b.kind === "chart" ? b.chart.id : ""));
      expect(drawn.sort(), t).toEqual(json.charts.map((c) => c.id).sort());
      expect(doc.headline.map((h) => h.value)).toEqual(json.headline.map((h) => h.display));
      expect(doc.notes.join(" ")).toContain("Left out as invalid: github 1");
      expect(doc.notes.join(" ")).toContain(`definitions version ${json.definitions.version}`);
    }
  });
});

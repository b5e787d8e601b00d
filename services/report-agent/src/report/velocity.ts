import type { Platform } from "@pmo/contracts";
import type { SeriesSummary, VelocitySections } from "@pmo/analytics";
import { velocityChart } from "./charts.js";
import { right, table, type Block } from "./document.js";
import { formatDay, formatNumber } from "./format.js";
import { forecastText } from "./sprint.js";
import { chartBlock, count, points, section, type ReportKind } from "./report-kind.js";

function seriesTable(summary: SeriesSummary, bucket: string): Block {
  return table(
    [bucket, "From", right("Items"), right("Points")],
    summary.series.map((p) => [{ text: p.label }, { text: formatDay(p.start) }, { text: String(p.items) }, { text: formatNumber(p.points) }]),
    "No completed work in this range.",
  );
}

/** Velocity: per sprint and per week, averages, trend, forecast, per platform. */
export const velocityReport: ReportKind<VelocitySections> = {
  title: () => "Velocity report",
  headline: (s) => [
    points("avg-points-sprint", "Avg points / sprint", s.bySprint.averagePoints),
    count("avg-items-sprint", "Avg items / sprint", s.bySprint.averageItems),
    points("avg-points-week", "Avg points / week", s.byWeek.averagePoints),
    { id: "trend", label: "Trend", value: s.bySprint.slopePoints, unit: "points/sprint", display: s.bySprint.trend ?? "–" },
    points("projected", "Current sprint, projected", s.forecast?.projectedPoints ?? null),
  ],
  charts: (s) => [
    velocityChart("by-sprint", "Velocity per sprint", "sprint", s.bySprint),
    velocityChart("by-week", "Velocity per week", "week", s.byWeek),
  ],
  sections: (s, json) => [
    section("forecast", "Forecast", [forecastText(s.forecast)]),
    section("by-sprint", "Per sprint", [...chartBlock(json, "by-sprint"), seriesTable(s.bySprint, "Sprint")]),
    section("by-week", "Per week", [...chartBlock(json, "by-week"), seriesTable(s.byWeek, "Week")]),
    section("by-platform", "Per platform", [
      table(
        ["Platform", right("Avg points / sprint"), right("Avg items / sprint"), right("Avg points / week"), "Trend"],
        (Object.entries(s.byPlatform) as Array<[Platform, { byWeek: SeriesSummary; bySprint: SeriesSummary }]>).map(([p, v]) => [
          { text: p },
          { text: formatNumber(v.bySprint.averagePoints) },
          { text: formatNumber(v.bySprint.averageItems) },
          { text: formatNumber(v.byWeek.averagePoints) },
          { text: v.bySprint.trend ?? "–" },
        ]),
        "No platform data.",
      ),
    ]),
  ],
};

import type { Platform } from "@pmo/contracts";
import type { Distribution, ProgressSections, SeriesSummary } from "@pmo/analytics";
import { cycleTimeChart, statusChart, velocityChart } from "./charts.js";
import { right, table, type Block } from "./document.js";
import { formatDay, formatDuration, formatNumber } from "./format.js";
import { blockedTable, dueTable, itemTable } from "./items.js";
import { chartBlock, count, duration, points, section, type DurationMode, type ReportContext, type ReportKind } from "./report-kind.js";

/** How many weeks of history the weekly report's velocity chart shows. */
const WEEKLY_HISTORY = 8;

/** A weekly report shows the last weeks (its own period is one bucket); a monthly one its weeks. */
function velocityHistory(s: ProgressSections, ctx: ReportContext): SeriesSummary {
  const byWeek = ctx.project?.metrics.velocity.byWeek;
  if (s.type === "weekly" && byWeek && byWeek.series.length) return { ...byWeek, series: byWeek.series.slice(-WEEKLY_HISTORY) };
  return s.weeks;
}

function distributionTable(rows: Array<[string, Distribution]>, mode: DurationMode): Block {
  return table(
    ["", right("Items"), right("Median"), right("p75"), right("p90"), right("Mean")],
    rows.map(([label, d]) => [{ text: label }, { text: String(d.count) }, { text: formatDuration(d.median, mode) }, { text: formatDuration(d.p75, mode) }, { text: formatDuration(d.p90, mode) }, { text: formatDuration(d.mean, mode) }]),
    "No completed items.",
  );
}

/** Weekly and monthly progress over their period. */
export const progressReport: ReportKind<ProgressSections> = {
  title: (s) => (s.type === "weekly" ? "Weekly progress report" : "Monthly progress report"),
  headline: (s, { mode }) => [
    count("completed", "Items completed", s.completed.length),
    points("points-completed", "Points completed", s.completedPoints),
    count("created", "Items created", s.created),
    count("wip", "Work in progress", s.wip.total),
    duration("cycle-median", "Median cycle time", s.cycleTimeMs.median, mode),
    duration("cycle-p90", "p90 cycle time", s.cycleTimeMs.p90, mode),
    count("blocked", "Blocked", s.blocked.length),
    count("overdue", "Overdue", s.overdue.length),
  ],
  charts: (s, ctx) => [
    velocityChart("velocity", s.type === "weekly" ? "Velocity, recent weeks" : "Velocity, weeks of the month", "week", velocityHistory(s, ctx)),
    statusChart("status", s.statusBreakdown),
    cycleTimeChart("cycle-time", s.cycleTimeSamplesMs, ctx.mode),
  ],
  sections: (s, json, mode) => [
    section("summary", "Summary", [
      {
        kind: "paragraph",
        text: `From ${formatDay(json.period.start)} to ${formatDay(json.period.end)}: ${s.completed.length} items completed (${formatNumber(s.completedPoints)} points), ${s.started.length} started and ${s.created} created; ${s.wip.total} in progress or review now.`,
      },
      table(
        ["Platform", right("Completed"), right("Points"), right("Open")],
        (Object.entries(s.byPlatform) as Array<[Platform, { completed: number; points: number; open: number }]>).map(([p, v]) => [{ text: p }, { text: String(v.completed) }, { text: formatNumber(v.points) }, { text: String(v.open) }]),
        "No platform data.",
      ),
    ]),
    section("velocity", "Velocity", chartBlock(json, "velocity")),
    // The chart's values are the breakdown (markdown prints them as a table): no second table.
    section("status", "Status breakdown", chartBlock(json, "status")),
    section("flow", "Cycle and lead time", [...chartBlock(json, "cycle-time"), distributionTable([["Cycle time", s.cycleTimeMs], ["Lead time", s.leadTimeMs]], mode)]),
    section("completed", "Completed", [itemTable(s.completed, "Nothing was completed in this period.")]),
    section("started", "Started", [itemTable(s.started, "Nothing was started in this period.")]),
    section("bottlenecks", "Bottlenecks: where work waits", [
      table(
        ["Status", right("Items"), right("Median per item"), right("p90 per item")],
        s.bottlenecks.map((b) => [{ text: b.status }, { text: String(b.items) }, { text: formatDuration(b.perItemMs.median, mode) }, { text: formatDuration(b.perItemMs.p90, mode) }]),
        "No waiting time measured.",
      ),
    ]),
    section("blocked", "Blocked", [blockedTable(s.blocked, mode, "Nothing is blocked.")]),
    section("overdue", "Overdue", [dueTable(s.overdue, mode, "Nothing is overdue.")]),
    section("people", "People", [
      table(
        ["Person", right("Completed"), right("Open"), right("In progress"), right("In review"), right("Open points"), right("Blocked"), right("Overdue")],
        s.assignees.map((a) => [{ text: a.assignee }, { text: String(a.completedInPeriod) }, { text: String(a.open) }, { text: String(a.inProgress) }, { text: String(a.inReview) }, { text: formatNumber(a.openPoints) }, { text: String(a.blocked) }, { text: String(a.overdue) }]),
        "Nobody has assigned work.",
      ),
    ]),
  ],
};

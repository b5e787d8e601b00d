/** The report charts (velocity bars, burndown/burnup lines, cycle-time distribution, status breakdown) as chart models. */
import type { StatusCategory } from "@pmo/contracts";
import type { BurndownPoint, SeriesSummary } from "@pmo/analytics";
import type { ChartModel } from "../charts/model.js";
import { STATUS_COLORS } from "../charts/palette.js";

const STATUS_ORDER: StatusCategory[] = ["backlog", "todo", "in_progress", "in_review", "done", "cancelled"];
const STATUS_LABELS: Record<StatusCategory, string> = { backlog: "Backlog", todo: "To do", in_progress: "In progress", in_review: "In review", done: "Done", cancelled: "Cancelled" };

export function statusLabel(c: StatusCategory): string {
  return STATUS_LABELS[c];
}

/** Story points when the work is estimated in points, else item counts (GitHub issues rarely carry points). */
export function velocityChart(id: string, title: string, bucket: string, summary: SeriesSummary): ChartModel {
  const usePoints = summary.series.some((p) => p.points > 0);
  return {
    id,
    kind: "bars",
    title,
    unit: usePoints ? "story points" : "items",
    categoryLabel: bucket,
    categories: summary.series.map((p) => p.label),
    series: [{ name: usePoints ? "Points completed" : "Items completed", values: summary.series.map((p) => (usePoints ? p.points : p.items)), color: "blue" }],
  };
}

export function statusChart(id: string, breakdown: Partial<Record<StatusCategory, number>>): ChartModel {
  const present = STATUS_ORDER.filter((c) => (breakdown[c] ?? 0) > 0 || c === "in_progress" || c === "done");
  return {
    id,
    kind: "hbars",
    title: "Status breakdown",
    unit: "items",
    categoryLabel: "status",
    categories: present.map(statusLabel),
    series: [{ name: "Items", values: present.map((c) => breakdown[c] ?? 0), color: "slate" }],
    categoryColors: present.map((c) => STATUS_COLORS[c]),
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Bucket edges: days for elapsed time, working hours when the business calendar is on. */
const CYCLE_BUCKETS = {
  elapsed: { unit: "items by cycle time in days", edges: [0, 1, 2, 4, 7, 14, 28].map((d) => d * DAY), label: (a: number, b: number | null) => (b === null ? `${a / DAY}+ d` : `${a / DAY}–${b / DAY} d`) },
  business: { unit: "items by cycle time in working hours", edges: [0, 4, 8, 16, 40, 80, 160].map((h) => h * HOUR), label: (a: number, b: number | null) => (b === null ? `${a / HOUR}+ h` : `${a / HOUR}–${b / HOUR} h`) },
};

export function cycleTimeChart(id: string, samplesMs: readonly number[], mode: "elapsed" | "business"): ChartModel {
  const { edges, label, unit } = CYCLE_BUCKETS[mode];
  const counts = edges.map(() => 0);
  for (const v of samplesMs) {
    let i = edges.length - 1;
    while (i > 0 && v < edges[i]!) i--;
    counts[i]!++;
  }
  return {
    id,
    kind: "bars",
    title: "Cycle-time distribution",
    unit,
    categoryLabel: "cycle time",
    categories: edges.map((a, i) => label(a, edges[i + 1] ?? null)),
    series: [{ name: "Completed items", values: counts, color: "teal" }],
  };
}

export function burndownChart(points: readonly BurndownPoint[]): ChartModel {
  return {
    id: "burndown",
    kind: "lines",
    title: "Sprint burndown",
    unit: "story points remaining",
    categoryLabel: "day",
    categories: points.map((p) => p.date.slice(5)),
    series: [
      { name: "Remaining", values: points.map((p) => p.remainingPoints), color: "blue" },
      { name: "Ideal", values: points.map((p) => p.idealPoints), color: "grey", dashed: true },
    ],
  };
}

export function burnupChart(points: readonly BurndownPoint[]): ChartModel {
  return {
    id: "burnup",
    kind: "lines",
    title: "Sprint burnup",
    unit: "story points",
    categoryLabel: "day",
    categories: points.map((p) => p.date.slice(5)),
    series: [
      { name: "Completed", values: points.map((p) => p.completedPoints), color: "green" },
      { name: "Scope", values: points.map((p) => p.scopePoints), color: "amber", dashed: true },
    ],
  };
}

/** Load per person (daily standup): items in progress, sorted by load. */
export function loadChart(id: string, rows: ReadonlyArray<{ person: string; count: number }>): ChartModel {
  const sorted = [...rows].sort((a, b) => b.count - a.count || a.person.localeCompare(b.person)).slice(0, 15);
  return {
    id,
    kind: "hbars",
    title: "Work in progress per person",
    unit: "items",
    categoryLabel: "person",
    categories: sorted.map((r) => r.person),
    series: [{ name: "In progress", values: sorted.map((r) => r.count), color: "blue" }],
  };
}

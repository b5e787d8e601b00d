import type { WorkItem } from "@pmo/contracts";
import type { DurationCalendar } from "../calendar/working-calendar.js";
import { addLocalDays, isoWeekKey, startOfIsoWeek, toInstant } from "../calendar/zone-time.js";
import { sprintAt } from "../context/sprints.js";
import { slope } from "../stats/distribution.js";
import { completedAt, pointsOf } from "../flow/completion.js";
import type { SeriesPoint } from "../types/common.js";
import type { SeriesSummary, SprintForecast, Trend } from "../types/metrics.js";
import type { Iteration } from "../types/options.js";

/** A slope smaller than this share of the mean is noise: the trend is flat. */
const FLAT_TREND_SHARE = 0.05;
/** Sprints the forecast averages over. */
const FORECAST_SPRINTS = 3;

interface Completion {
  at: number;
  points: number;
}

function completions(items: readonly WorkItem[], untilMs: number): Completion[] {
  const out: Completion[] = [];
  for (const item of items) {
    const at = completedAt(item);
    if (at !== null && at < untilMs) out.push({ at, points: pointsOf(item) });
  }
  return out;
}

/**
 * Items and points completed per ISO week (Monday 00:00 in the calendar's zone) over [fromMs, toMs),
 * with empty weeks included so an idle week shows as zero rather than disappearing.
 */
export function throughputByWeek(items: readonly WorkItem[], fromMs: number, toMs: number, calendar: DurationCalendar): SeriesPoint[] {
  const zone = calendar.timeZone;
  const series: SeriesPoint[] = [];
  const byKey = new Map<string, SeriesPoint>();
  for (let start = startOfIsoWeek(fromMs, zone); start < toMs; start = addLocalDays(start, 7, zone)) {
    const key = isoWeekKey(start, zone);
    const point = { key, label: key, start: toInstant(start), end: toInstant(addLocalDays(start, 7, zone)), items: 0, points: 0 };
    series.push(point);
    byKey.set(key, point);
  }
  for (const c of completions(items, toMs)) {
    if (c.at < fromMs) continue;
    const point = byKey.get(isoWeekKey(c.at, zone));
    if (point) {
      point.items++;
      point.points += c.points;
    }
  }
  return series;
}

/** Items and points completed inside each sprint's [startAt, endAt), by completion time (an item spanning sprints counts where it finished). */
export function throughputBySprint(items: readonly WorkItem[], sprints: readonly Iteration[], untilMs: number): SeriesPoint[] {
  const series = sprints
    .filter((s) => s.startAt.getTime() < untilMs)
    .map((s) => ({ key: s.id, label: s.name, start: s.startAt.toISOString(), end: s.endAt.toISOString(), items: 0, points: 0 }));
  const byId = new Map(series.map((p) => [p.key, p]));
  for (const c of completions(items, untilMs)) {
    const sprint = sprintAt(sprints, c.at);
    const point = sprint ? byId.get(sprint.id) : undefined;
    if (point) {
      point.items++;
      point.points += c.points;
    }
  }
  return series;
}

/**
 * Averages and trend over the buckets that are over at `nowMs` (the running bucket is partial and
 * would drag both down); the series itself keeps every bucket.
 */
export function summarizeSeries(series: SeriesPoint[], nowMs: number): SeriesSummary {
  const finished = series.filter((p) => Date.parse(p.end) <= nowMs);
  if (finished.length === 0) return { series, averageItems: null, averagePoints: null, slopePoints: null, trend: null };
  const averageItems = finished.reduce((s, p) => s + p.items, 0) / finished.length;
  const averagePoints = finished.reduce((s, p) => s + p.points, 0) / finished.length;
  const slopePoints = slope(finished.map((p) => p.points));
  return { series, averageItems, averagePoints, slopePoints, trend: trendOf(slopePoints, averagePoints) };
}

export function trendOf(slopePoints: number | null, mean: number): Trend | null {
  if (slopePoints === null) return null;
  if (Math.abs(slopePoints) <= FLAT_TREND_SHARE * Math.abs(mean)) return "flat";
  return slopePoints > 0 ? "up" : "down";
}

/**
 * Will the current sprint's commitment be done? Projection = points done so far + mean velocity of
 * the last finished sprints × the share of the sprint's (working) time still ahead.
 */
export function forecastSprint(
  items: readonly WorkItem[],
  sprints: readonly Iteration[],
  bySprint: readonly SeriesPoint[],
  nowMs: number,
  calendar: DurationCalendar,
): SprintForecast | null {
  const current = sprintAt(sprints, nowMs);
  if (!current) return null;
  const start = current.startAt.getTime();
  const end = current.endAt.getTime();
  const scope = items.filter((i) => i.iteration?.id === current.id && i.statusCategory !== "cancelled");
  const committedPoints = scope.reduce((s, i) => s + pointsOf(i), 0);
  const donePoints = scope.reduce((s, i) => {
    const at = completedAt(i);
    return at !== null && at < nowMs ? s + pointsOf(i) : s;
  }, 0);
  const total = calendar.duration(start, end);
  const elapsedShare = total === 0 ? 1 : calendar.duration(start, nowMs) / total;
  const previous = bySprint.filter((p) => Date.parse(p.end) <= start).slice(-FORECAST_SPRINTS);
  const meanVelocity = previous.length === 0 ? 0 : previous.reduce((s, p) => s + p.points, 0) / previous.length;
  const projectedPoints = donePoints + meanVelocity * (1 - elapsedShare);
  return {
    sprintId: current.id,
    sprintName: current.name,
    committedPoints,
    donePoints,
    elapsedShare,
    projectedPoints,
    likelyToFinish: projectedPoints >= committedPoints,
  };
}

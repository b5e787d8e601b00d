import type { WorkItem } from "@pmo/contracts";
import { addLocalDays, localDate, toInstant } from "../calendar/zone-time.js";
import type { AnalysisContext } from "../context/analysis-context.js";
import { sprintAt } from "../context/sprints.js";
import { toBrief } from "../flow/brief.js";
import { completedAt, pointsOf, workStartedAt } from "../flow/completion.js";
import { forecastSprint, summarizeSeries, throughputBySprint } from "../metrics/velocity.js";
import type { Iteration } from "../types/options.js";
import type { BurndownPoint, SprintSections } from "../types/sections.js";

/** The sprint asked for (id, name or slug such as `sprint-24`), else the current one, else the latest started. */
export function pickSprint(sprints: readonly Iteration[], nowMs: number, wanted?: string | null): Iteration | null {
  if (wanted) {
    const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    return sprints.find((s) => s.id === wanted || s.name === wanted || slug(s.name) === slug(wanted)) ?? null;
  }
  return sprintAt(sprints, nowMs) ?? [...sprints].reverse().find((s) => s.startAt.getTime() <= nowMs) ?? null;
}

/**
 * Remaining work at the end of each local day of the sprint (up to now). Scope is the sprint's
 * items as they are now (WorkItem keeps only the current iteration). The ideal line falls with
 * the calendar's time, so it stays flat over weekends and holidays when the business calendar is on.
 */
export function burndown(scope: readonly WorkItem[], sprint: Iteration, ctx: AnalysisContext): BurndownPoint[] {
  const zone = ctx.calendar.timeZone;
  const start = sprint.startAt.getTime();
  const end = sprint.endAt.getTime();
  const total = ctx.calendar.duration(start, end);
  const scopePoints = scope.reduce((s, i) => s + pointsOf(i), 0);
  const done = scope.map((i) => ({ at: completedAt(i), points: pointsOf(i) }));
  const points: BurndownPoint[] = [];
  for (let dayStart = start; dayStart < end && dayStart <= ctx.nowMs; dayStart = addLocalDays(dayStart, 1, zone)) {
    const at = Math.min(addLocalDays(dayStart, 1, zone), end);
    const finished = done.filter((d) => d.at !== null && d.at < Math.min(at, ctx.nowMs));
    const completedPoints = finished.reduce((s, d) => s + d.points, 0);
    const elapsed = total === 0 ? 1 : ctx.calendar.duration(start, at) / total;
    points.push({
      at: toInstant(at),
      date: localDate(dayStart, zone),
      remainingPoints: scopePoints - completedPoints,
      remainingItems: scope.length - finished.length,
      completedPoints,
      scopePoints,
      idealPoints: scopePoints * (1 - elapsed),
    });
  }
  return points;
}

export function sprintSections(items: readonly WorkItem[], ctx: AnalysisContext, wanted?: string | null): SprintSections | null {
  const sprint = pickSprint(ctx.sprints, ctx.nowMs, wanted);
  if (!sprint) return null;
  const start = sprint.startAt.getTime();
  const end = sprint.endAt.getTime();
  const cutoff = Math.min(end, ctx.nowMs);
  const scope = items.filter((i) => i.iteration?.id === sprint.id && i.statusCategory !== "cancelled");
  const isDone = (i: WorkItem): boolean => {
    const at = completedAt(i);
    return at !== null && at < cutoff;
  };
  const done = scope.filter(isDone);
  const bySprint = throughputBySprint(items, ctx.sprints, ctx.nowMs);
  return {
    type: "sprint",
    sprint: {
      id: sprint.id,
      name: sprint.name,
      startAt: toInstant(start),
      endAt: toInstant(end),
      status: ctx.nowMs >= end ? "past" : ctx.nowMs >= start ? "current" : "future",
    },
    scope: scope.map(toBrief),
    scopePoints: scope.reduce((s, i) => s + pointsOf(i), 0),
    done: done.map(toBrief),
    donePoints: done.reduce((s, i) => s + pointsOf(i), 0),
    carriedOver: scope.filter((i) => !isDone(i)).map(toBrief),
    carriedIn: scope.filter((i) => (workStartedAt(i) ?? Infinity) < start).map(toBrief),
    burndown: burndown(scope, sprint, ctx),
    velocity: summarizeSeries(bySprint, ctx.nowMs),
    forecast: forecastSprint(items, ctx.sprints, bySprint, ctx.nowMs, ctx.calendar),
  };
}

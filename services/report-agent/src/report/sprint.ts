import type { SprintForecast, SprintSections } from "@pmo/analytics";
import { burndownChart, burnupChart, velocityChart } from "./charts.js";
import type { Block } from "./document.js";
import { formatDay, formatNumber, formatPercent } from "./format.js";
import { itemTable } from "./items.js";
import { chartBlock, count, points, section, share, type ReportKind } from "./report-kind.js";

export function forecastText(f: SprintForecast | null): Block {
  if (!f) return { kind: "paragraph", text: "No current sprint to forecast." };
  return {
    kind: "paragraph",
    text: `${f.sprintName}: ${formatNumber(f.donePoints)} of ${formatNumber(f.committedPoints)} committed points done with ${formatPercent(f.elapsedShare)} of the sprint elapsed; projected ${formatNumber(f.projectedPoints)} points by its end, so it is ${f.likelyToFinish ? "likely" : "unlikely"} to finish.`,
  };
}

/** Sprint: scope, done, carried over, burndown, velocity. */
export const sprintReport: ReportKind<SprintSections> = {
  title: (s) => `Sprint report: ${s.sprint.name}`,
  // endAt is exclusive: the sprint's last day is the one before.
  span: (s) => ({ start: s.sprint.startAt, end: new Date(Date.parse(s.sprint.endAt) - 1).toISOString() }),
  headline: (s) => [
    points("scope-points", "Scope (points)", s.scopePoints),
    points("done-points", "Done (points)", s.donePoints),
    share("completion", "Completion", s.scopePoints > 0 ? s.donePoints / s.scopePoints : null),
    count("done-items", "Items done", s.done.length),
    count("carried-over", "Carried over", s.carriedOver.length),
    points("projected", "Projected (points)", s.forecast?.projectedPoints ?? null),
  ],
  charts: (s) => [burndownChart(s.burndown), burnupChart(s.burndown), velocityChart("velocity", "Velocity, recent sprints", "sprint", s.velocity)],
  sections: (s, json) => [
    section("summary", "Summary", [
      { kind: "paragraph", text: `${s.sprint.name} (${s.sprint.status}) runs from ${formatDay(s.sprint.startAt)} to ${formatDay(s.sprint.endAt)}: ${s.scope.length} items in scope (${formatNumber(s.scopePoints)} points), ${s.done.length} done (${formatNumber(s.donePoints)} points), ${s.carriedOver.length} carried over, ${s.carriedIn.length} carried in.` },
      forecastText(s.forecast),
    ]),
    section("burndown", "Burndown and burnup", [...chartBlock(json, "burndown"), ...chartBlock(json, "burnup")]),
    section("velocity", "Velocity", chartBlock(json, "velocity")),
    section("done", "Done", [itemTable(s.done, "Nothing done yet.")]),
    section("carried-over", s.sprint.status === "past" ? "Carried over" : "Remaining", [itemTable(s.carriedOver, "Nothing left over.")]),
    section("carried-in", "Carried in from earlier sprints", [itemTable(s.carriedIn, "Nothing carried in.")]),
    section("scope", "Scope", [itemTable(s.scope, "The sprint has no items.")]),
  ],
};

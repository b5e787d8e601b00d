import { describe, expect, it } from "vitest";
import { HOUR, itemWithHistory } from "../testing/fixtures.js";
import { B, COMMENTS, D, ITEMS, NOW, SPRINTS } from "../testing/scenario.js";
import type { DailySections, ProgressSections, SprintSections, VelocitySections } from "../types/sections.js";
import { reportSections, SprintNotFoundError } from "./report-sections.js";

const base = { now: NOW, sprints: SPRINTS, comments: COMMENTS };
const ids = (list: Array<{ ref: { id: string } } | { item: { ref: { id: string } } }>) =>
  list.map((x) => ("item" in x ? x.item.ref.id : x.ref.id));

describe("reportSections", () => {
  it("daily: yesterday, in progress, blocked, due and per person", () => {
    const s = reportSections(ITEMS, { ...base, reportType: "daily" }).sections as DailySections;
    expect(s.yesterday).toEqual({ start: "2024-03-12T00:00:00.000Z", end: "2024-03-13T00:00:00.000Z" });
    expect(ids(s.doneYesterday)).toEqual(["B", "C"]);
    expect(ids(s.inProgress)).toEqual(["D", "F"]);
    expect(ids(s.blocked)).toEqual(["D"]);
    expect(ids(s.overdue)).toEqual(["D"]);
    expect(s.dueToday).toEqual([]); // E is due at tomorrow's midnight
    const ann = s.perPerson.find((p) => p.assignee === "ann")!;
    expect([ids(ann.doneYesterday), ids(ann.inProgress), ids(ann.blocked), ids(ann.dueTodayOrOverdue)]).toEqual([["C"], ["D"], ["D"], ["D"]]);
  });

  it("daily on a Monday with the calendar on covers Friday and the weekend", () => {
    const s = reportSections(ITEMS, { ...base, now: new Date("2024-03-18T10:00:00Z"), calendar: { timeZone: "UTC" }, reportType: "daily" }).sections as DailySections;
    expect(s.yesterday).toEqual({ start: "2024-03-15T00:00:00.000Z", end: "2024-03-18T00:00:00.000Z" });
  });

  it("weekly: completed, started, created, points and distributions", () => {
    const s = reportSections(ITEMS, { ...base, reportType: "weekly" }).sections as ProgressSections;
    expect(ids(s.completed)).toEqual(["B", "C", "G"]);
    expect(ids(s.started)).toEqual(["C", "D", "G"]);
    expect([s.created, s.completedPoints]).toEqual([4, 7]);
    expect(s.byPlatform).toEqual({ github: { completed: 3, points: 7, open: 3 }, plane: { completed: 0, points: 0, open: 1 } });
    expect(s.cycleTimeSamplesMs.sort((a, b) => a - b)).toEqual([12, 26, 144].map((n) => n * HOUR));
    expect(s.cycleTimeMs.median).toBe(26 * HOUR);
  });

  it("monthly: the month so far, with its weeks", () => {
    const r = reportSections(ITEMS, { ...base, reportType: "monthly" });
    expect(r.period.start).toBe("2024-03-01T00:00:00.000Z");
    const s = r.sections as ProgressSections;
    expect(s.weeks.series.map((p) => [p.key, p.items])).toEqual([["2024-W09", 0], ["2024-W10", 0], ["2024-W11", 3]]);
  });

  it("sprint: scope, done, carried over and in (an item spanning sprints), burndown", () => {
    const s = reportSections(ITEMS, { ...base, reportType: "sprint" }).sections as SprintSections;
    expect(s.sprint).toMatchObject({ id: "s2", status: "current" });
    expect([ids(s.scope), s.scopePoints, ids(s.done), s.donePoints]).toEqual([["B", "C", "D"], 15, ["B", "C"], 7]);
    expect(ids(s.carriedOver)).toEqual([D.ref.id]);
    expect(ids(s.carriedIn)).toEqual([B.ref.id]); // started 03-06, in sprint 1's time
    expect(s.burndown.map((p) => [p.date, p.remainingPoints, p.remainingItems])).toEqual([
      ["2024-03-11", 15, 3],
      ["2024-03-12", 8, 1],
      ["2024-03-13", 8, 1],
    ]);
    expect(s.burndown[0]!.idealPoints).toBeCloseTo(15 * (13 / 14), 10);
    expect(s.forecast?.sprintId).toBe("s2");
    const past = reportSections(ITEMS, { ...base, reportType: "sprint", sprint: "sprint-1" }).sections as SprintSections;
    expect([past.sprint.status, ids(past.done), past.carriedOver]).toEqual(["past", ["A"], []]);
    expect(() => reportSections(ITEMS, { ...base, reportType: "sprint", sprint: "sprint-9" })).toThrow(SprintNotFoundError);
  });

  it("sprint burndown: the ideal line stays flat over a weekend with the calendar on", () => {
    const sprint = { id: "w", name: "W", startAt: new Date("2024-03-08T00:00:00Z"), endAt: new Date("2024-03-12T00:00:00Z") }; // Fri..Mon
    const task = itemWithHistory([["2024-03-08T09:00:00Z", "todo"]], { iteration: { id: "w", name: "W", startAt: "2024-03-08T00:00:00Z", endAt: "2024-03-12T00:00:00Z" }, estimate: { points: 4, ms: null } });
    const s = reportSections([task], { now: new Date("2024-03-12T00:00:00Z"), sprints: [sprint], calendar: { timeZone: "UTC" }, reportType: "sprint" });
    expect((s.sections as SprintSections).burndown.map((p) => p.idealPoints)).toEqual([2, 2, 2, 0]);
  });

  it("velocity: per week and per sprint, per platform", () => {
    const s = reportSections(ITEMS, { ...base, reportType: "velocity" }).sections as VelocitySections;
    expect(s.bySprint.series.map((p) => p.points)).toEqual([3, 7]);
    expect(Object.keys(s.byPlatform)).toEqual(["github", "plane"]);
    expect(s.byPlatform.plane!.bySprint.series.map((p) => p.points)).toEqual([0, 0]);
    expect(s.forecast?.committedPoints).toBe(15);
  });
});

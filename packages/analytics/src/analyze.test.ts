import { REQUIRED_JSON_FIELDS } from "@pmo/contracts";
import { describe, expect, it } from "vitest";
import { analyzePlatform, analyzeProject } from "./analyze.js";
import { METRICS_VERSION } from "./definitions.js";
import { HOUR } from "./testing/fixtures.js";
import { A, C, COMMENTS, D, E, ITEMS, NOW, SPRINTS } from "./testing/scenario.js";

const h = (n: number): number => n * HOUR;
const refs = (...items: Array<{ ref: unknown }>) => items.map((i) => i.ref);
const opts = { now: NOW, sprints: SPRINTS, reportType: "weekly" as const, comments: COMMENTS, thresholds: { staleDays: 7 } };

describe("analyzeProject over the hand-computed scenario (weekly: Mon 03-11 00:00 → now)", () => {
  const project = analyzeProject(ITEMS, opts);
  const m = project.metrics;

  it("writes the versioned definitions, the period and the calendar into the output", () => {
    expect(project.definitions.version).toBe(METRICS_VERSION);
    expect(project.period).toEqual({ start: "2024-03-11T00:00:00.000Z", end: "2024-03-13T12:00:00.000Z" });
    expect(project.calendar.mode).toBe("elapsed");
    expect(project.platforms).toEqual(["github", "plane"]);
  });

  it("counts items by state", () => {
    expect(m.counts).toMatchObject({ total: 9, open: 4, done: 4, cancelled: 1 });
    expect(m.counts.byStatusCategory).toEqual({ backlog: 1, todo: 1, in_progress: 1, in_review: 1, done: 4, cancelled: 1 });
  });

  it("measures throughput and WIP", () => {
    // B, C, G completed in the period; 5 + 2 + 0 points; C, D, G, I created; 3 / (2.5 d / 7 d)
    expect(m.throughput).toEqual({ completedInPeriod: 3, pointsInPeriod: 7, createdInPeriod: 4, perWeek: 8.4 });
    expect(m.wip).toEqual({ total: 2, inProgress: 1, inReview: 1, byAssignee: { ann: 1, bob: 1, carl: 1 } });
  });

  it("gives lead and cycle time distributions over items completed in the period, open items excluded", () => {
    // lead [12, 28, 192] h; cycle [12, 26, 144] h (C: 2 h + 24 h after the reopen; B: 6 days)
    expect(m.leadTime).toEqual({
      unit: "ms",
      distribution: { count: 3, mean: h(232 / 3), median: h(28), p75: h(110), p90: h(159.2), min: h(12), max: h(192) },
      withoutData: 0,
      openExcluded: 4,
    });
    expect(m.cycleTime.distribution).toMatchObject({ count: 3, median: h(26), min: h(12), max: h(144) });
    expect(m.cycleTime.distribution.mean).toBeCloseTo(h(182 / 3), 3);
    expect(m.cycleTime.distribution.p75).toBeCloseTo(h(85), 3);
    expect(m.cycleTime.distribution.p90).toBeCloseTo(h(120.4), 3);
  });

  it("measures first response (creator's own comments ignored), close and merge times", () => {
    expect(m.responsiveness.commentsAvailable).toBe(true);
    expect(m.responsiveness.issues.timeToFirstResponse).toMatchObject({ count: 1, median: h(6) });
    expect(m.responsiveness.issues.unanswered).toBe(1); // H
    expect(m.responsiveness.issues.timeToClose).toMatchObject({ count: 1, median: h(24) }); // H, cancelled
    expect(m.responsiveness.pullRequests.timeToFirstResponse).toMatchObject({ count: 1, median: h(3) });
    expect(m.responsiveness.pullRequests.unanswered).toBe(1); // F
    expect(m.responsiveness.pullRequests.timeToMerge).toMatchObject({ count: 1, median: h(12) });
  });

  it("says so when no comment data is given", () => {
    const r = analyzeProject(ITEMS, { now: NOW }).metrics.responsiveness;
    expect(r.commentsAvailable).toBe(false);
    expect(r.note).toMatch(/comment/);
    expect(r.issues.timeToFirstResponse.count).toBe(0);
  });

  it("finds time in status and ranks the bottlenecks by median per item", () => {
    const review = m.timeInStatus.find((s) => s.status === "In Review")!;
    expect(review).toMatchObject({ items: 3, totalMs: h(2 + 120 + 6), category: "in_review" });
    expect(review.perItemMs.median).toBe(h(6));
    // In Progress per item [6, 12, 24, 26, 48, 144] → median 25 h; Todo [1, 1, 24, 24, 48] → 24 h
    expect(m.bottlenecks.map((s) => [s.status, s.perItemMs.median])).toEqual([
      ["In Progress", h(25)],
      ["Todo", h(24)],
      ["In Review", h(6)],
    ]);
  });

  it("lists blocked items with their blockers across platforms", () => {
    expect(m.blocked).toHaveLength(1);
    expect(m.blocked[0]).toMatchObject({ item: { ref: D.ref }, reasons: ["dependency"], blockers: [{ ref: E.ref, item: { key: "WEB-5" } }] });
  });

  it("finds overdue, due-soon and stale items and PRs awaiting review", () => {
    expect(m.overdue.map((d) => [d.item.ref.id, d.overdueMs])).toEqual([["D", h(36)]]);
    expect(m.dueSoon.map((d) => [d.item.ref.id, d.overdueMs])).toEqual([["E", -h(12)]]);
    expect(m.stale.map((s) => [s.item.ref.id, s.idleMs])).toEqual([["E", h(300)]]);
    expect(m.prsAwaitingReview.map((p) => [p.item.ref.id, p.waitingMs])).toEqual([["F", h(120)]]);
  });

  it("computes the load per assignee (an item counts for each of its assignees)", () => {
    expect(m.assignees).toEqual([
      { assignee: "(unassigned)", open: 2, inProgress: 0, inReview: 0, openPoints: 0, blocked: 0, overdue: 0, completedInPeriod: 0 },
      { assignee: "ann", open: 1, inProgress: 1, inReview: 0, openPoints: 8, blocked: 1, overdue: 1, completedInPeriod: 1 },
      { assignee: "bob", open: 1, inProgress: 1, inReview: 0, openPoints: 8, blocked: 1, overdue: 1, completedInPeriod: 1 },
      { assignee: "carl", open: 1, inProgress: 0, inReview: 1, openPoints: 0, blocked: 0, overdue: 0, completedInPeriod: 1 },
    ]);
  });

  it("computes reopen and backflow rates", () => {
    expect(m.rework).toEqual({
      closedItems: 5, // A, B, C, G, H
      reopenedItems: refs(C),
      reopenRate: 0.2,
      itemsWithHistory: 8,
      backflowItems: refs(D),
      backflowTransitions: 1,
      backflowRate: 0.125,
    });
  });

  it("compares tracked time with estimates", () => {
    expect(m.estimates).toMatchObject({ sampleSize: 3, estimatedMs: h(40), spentMs: h(42), withinTolerance: 1, over: 1, under: 1 });
    expect(m.estimates.ratio).toMatchObject({ median: 1.2, min: 0.5, max: 2 });
  });

  it("computes velocity per sprint and forecasts the current one", () => {
    expect(m.velocity.bySprint.series.map((p) => [p.key, p.items, p.points])).toEqual([["s1", 1, 3], ["s2", 3, 7]]);
    expect(m.velocity.bySprint).toMatchObject({ averageItems: 1, averagePoints: 3, trend: null }); // only S1 is over
    const f = m.velocity.forecast!;
    expect(f).toMatchObject({ sprintId: "s2", committedPoints: 15, donePoints: 7, likelyToFinish: false });
    expect(f.elapsedShare).toBeCloseTo(2.5 / 14, 12);
    expect(f.projectedPoints).toBeCloseTo(7 + 3 * (11.5 / 14), 12);
  });

  it("computes weekly velocity with empty weeks, averages over finished weeks and a trend", () => {
    const v = analyzeProject(ITEMS, { ...opts, period: { start: new Date("2024-02-26T00:00:00Z"), end: NOW } }).metrics.velocity.byWeek;
    expect(v.series.map((p) => [p.key, p.items, p.points])).toEqual([["2024-W09", 1, 3], ["2024-W10", 0, 0], ["2024-W11", 3, 7]]);
    expect(v).toMatchObject({ averageItems: 0.5, averagePoints: 1.5, slopePoints: -3, trend: "down" });
  });

  it("gives a view per platform; blockers outside a lone platform still block", () => {
    const github = project.byPlatform.github!;
    expect(github.platform).toBe("github");
    expect(github.metrics.counts.total).toBe(8);
    expect(project.byPlatform.plane!.metrics.counts).toMatchObject({ total: 1, open: 1 });
    const alone = analyzePlatform("github", ITEMS, opts);
    expect(alone.metrics.blocked[0]!.blockers).toEqual([{ ref: E.ref, item: null }]);
    expect(analyzeProject([A], { ...opts, platforms: ["clickup", "github"] }).platforms).toEqual(["clickup", "github"]);
  });

  it("is plain JSON and carries every field the orchestrator's gates require", () => {
    expect(JSON.parse(JSON.stringify(project))).toEqual(project);
    const fields = REQUIRED_JSON_FIELDS.find((r) => r.pattern.test("analysis/github-analytics.json"))!.fields;
    for (const f of fields) expect(project.byPlatform.github).toHaveProperty(f);
  });
});

describe("analyzeProject edge cases", () => {
  it("handles empty input", () => {
    const empty = analyzeProject([], { now: NOW });
    expect(empty.platforms).toEqual([]);
    expect(empty.metrics.counts.total).toBe(0);
    expect(empty.metrics.cycleTime.distribution.median).toBeNull();
    expect(empty.metrics.rework.reopenRate).toBeNull();
    expect(empty.metrics.velocity.forecast).toBeNull();
  });

  it("applies the business calendar to every duration and day threshold", () => {
    const cal = { timeZone: "UTC", holidays: ["2024-03-11"] };
    const m = analyzeProject(ITEMS, { ...opts, calendar: cal }).metrics;
    // G: Mon 03-11 is a holiday → 0 working hours of lead time
    // B lead: Mon 03-04 09:00 → Tue 03-12 09:00 = Mon..Fri 5 × 8 h, Mon holiday, Tue 0 h = 40 h
    // C lead: Mon 09:00 (holiday) → Tue 13:00 = 4 h
    expect(m.leadTime.distribution).toMatchObject({ min: 0, median: h(4), max: h(40) });
    // E untouched since Fri 03-01 00:00: working days 03-01, 04..08, 12, 13 half = 7 × 8 h + 3 h = 59 h ≥ 7 × 8 h → stale
    expect(m.stale.map((s) => [s.item.ref.id, s.idleMs])).toEqual([["E", h(59)]]);
    // F in review since Fri 03-08 12:00: 5 h + Tue 8 h + Wed 3 h = 16 h = 2 working days → not above 2 days
    expect(m.prsAwaitingReview[0]!.waitingMs).toBe(h(16));
    expect(analyzeProject(ITEMS, { ...opts, calendar: cal }).calendar).toMatchObject({ mode: "business", dayMs: h(8) });
  });
});

/**
 * Hand-built report sections for the renderer tests (never shipped): small, with the hostile strings
 * a platform can hand us (markup, markdown syntax, pipes, non-Latin scripts) in titles and names.
 */
import { METRIC_DEFINITIONS, type DailySections, type Distribution, type ItemBrief, type ProgressSections, type ReportSections, type ReportSectionsBody, type SeriesSummary, type SprintSections, type VelocitySections } from "@pmo/analytics";
import type { Platform, ReportType, StatusCategory } from "@pmo/contracts";
import type { ReportInputs } from "../report/build.js";

export const XSS_TITLE = "<img src=x onerror=alert(1)>";
const DAY = 86_400_000;
export const AS_OF = "2026-11-04T12:00:00.000Z";

export function brief(n: number, o: Partial<ItemBrief> = {}): ItemBrief {
  const platform: Platform = (["github", "clickup", "plane"] as const)[n % 3]!;
  return {
    ref: { platform, id: String(1000 + n) },
    key: `#${n}`,
    title: `Item ${n}`,
    url: `https://example.test/items/${n}`,
    status: "in progress",
    statusCategory: "in_progress",
    assignees: ["ada-lovelace"],
    points: 3,
    dueAt: null,
    ...o,
  };
}

const dist = (count: number, median: number | null, p90: number | null = median): Distribution => ({ count, mean: median, median, p75: median, p90, min: median, max: p90 });

function series(keys: string[], points: number[]): SeriesSummary {
  return {
    series: keys.map((k, i) => ({ key: k, label: k, start: new Date(Date.parse("2026-09-07T00:00:00Z") + i * 7 * DAY).toISOString(), end: new Date(Date.parse("2026-09-14T00:00:00Z") + i * 7 * DAY).toISOString(), items: Math.round(points[i]! / 2), points: points[i]! })),
    averageItems: 4,
    averagePoints: points.reduce((a, b) => a + b, 0) / points.length,
    slopePoints: 0.5,
    trend: "up",
  };
}

const hostile = [
  brief(1, { title: XSS_TITLE, assignees: ["Zoë <b>bold</b>"] }),
  brief(2, { title: "Pipes | and *stars* and [links](javascript:alert(1))", url: "javascript:alert(1)", points: null }),
  brief(3, { title: "# not a heading\nsecond line", assignees: [] }),
  brief(4, { title: "Ünïcödé — Ελληνικά — Кириллица", status: "done", statusCategory: "done", points: 5 }),
];

const statusBreakdown: Record<StatusCategory, number> = { backlog: 4, todo: 6, in_progress: 3, in_review: 2, done: 11, cancelled: 1 };

export const sectionsByType: Record<ReportType, ReportSectionsBody> = {
  daily: {
    type: "daily",
    yesterday: { start: "2026-11-03T00:00:00.000Z", end: "2026-11-04T00:00:00.000Z" },
    today: { start: "2026-11-04T00:00:00.000Z", end: AS_OF },
    doneYesterday: [hostile[3]!],
    inProgress: [hostile[0]!, hostile[1]!],
    blocked: [{ item: hostile[2]!, reasons: ["dependency"], blockers: [{ ref: hostile[0]!.ref, item: hostile[0]! }], blockedForMs: 2 * DAY }],
    dueToday: [{ item: brief(5, { dueAt: "2026-11-04T17:00:00.000Z" }), overdueMs: -5 * 3_600_000 }],
    overdue: [{ item: brief(6, { dueAt: "2026-11-01T17:00:00.000Z" }), overdueMs: 3 * DAY }],
    perPerson: [
      { assignee: "Zoë <b>bold</b>", doneYesterday: [], inProgress: [hostile[0]!], blocked: [], dueTodayOrOverdue: [] },
      { assignee: "ada-lovelace", doneYesterday: [hostile[3]!], inProgress: [hostile[1]!], blocked: [hostile[2]!], dueTodayOrOverdue: [brief(6)] },
    ],
  } satisfies DailySections,
  weekly: progress("weekly"),
  monthly: progress("monthly"),
  sprint: {
    type: "sprint",
    sprint: { id: "s-24", name: "Sprint 24", startAt: "2026-10-26T00:00:00.000Z", endAt: "2026-11-09T00:00:00.000Z", status: "current" },
    scope: hostile,
    scopePoints: 11,
    done: [hostile[3]!],
    donePoints: 5,
    carriedOver: hostile.slice(0, 3),
    carriedIn: [hostile[2]!],
    burndown: Array.from({ length: 10 }, (_, i) => ({
      at: new Date(Date.parse("2026-10-27T00:00:00Z") + i * DAY).toISOString(),
      date: new Date(Date.parse("2026-10-26T00:00:00Z") + i * DAY).toISOString().slice(0, 10),
      remainingPoints: i < 9 ? 11 - (i > 4 ? 5 : 0) : 6,
      remainingItems: 4 - (i > 4 ? 1 : 0),
      completedPoints: i > 4 ? 5 : 0,
      scopePoints: 11,
      idealPoints: Math.max(0, 11 - (11 / 13) * i),
    })),
    velocity: series(["Sprint 21", "Sprint 22", "Sprint 23"], [18, 22, 25]),
    forecast: { sprintId: "s-24", sprintName: "Sprint 24", committedPoints: 11, donePoints: 5, elapsedShare: 0.65, projectedPoints: 12.4, likelyToFinish: true },
  } satisfies SprintSections,
  velocity: {
    type: "velocity",
    byWeek: series(["2026-W37", "2026-W38", "2026-W39", "2026-W40", "2026-W41", "2026-W42", "2026-W43", "2026-W44"], [8, 12, 9, 14, 11, 13, 15, 10]),
    bySprint: series(["Sprint 21", "Sprint 22", "Sprint 23"], [18, 22, 25]),
    forecast: null,
    byPlatform: { github: { byWeek: series(["2026-W44"], [0]), bySprint: series(["Sprint 23"], [0]) } },
  } satisfies VelocitySections,
};

function progress(type: "weekly" | "monthly"): ProgressSections {
  return {
    type,
    completed: [hostile[3]!, brief(7, { status: "done", statusCategory: "done" })],
    started: [hostile[0]!],
    created: 9,
    completedPoints: 8,
    byPlatform: { github: { completed: 1, points: 3, open: 4 }, clickup: { completed: 1, points: 5, open: 7 } },
    statusBreakdown,
    cycleTimeMs: dist(2, 2.5 * DAY, 6 * DAY),
    leadTimeMs: dist(2, 5 * DAY, 9 * DAY),
    cycleTimeSamplesMs: [0.5 * DAY, 2.5 * DAY, 6 * DAY, 30 * DAY],
    wip: { total: 5, inProgress: 3, inReview: 2, byAssignee: { "ada-lovelace": 3 } },
    bottlenecks: [{ status: "review", category: "in_review", items: 4, totalMs: 8 * DAY, perItemMs: dist(4, 2 * DAY, 3 * DAY) }],
    blocked: [],
    overdue: [{ item: brief(6, { dueAt: "2026-11-01T17:00:00.000Z" }), overdueMs: 3 * DAY }],
    assignees: [{ assignee: "ada-lovelace", open: 6, inProgress: 3, inReview: 1, openPoints: 14, blocked: 1, overdue: 1, completedInPeriod: 2 }],
    weeks: series(["2026-W45"], [8]),
  };
}

export function reportSectionsFor(type: ReportType, body: ReportSectionsBody = sectionsByType[type]): ReportSections {
  return {
    definitions: METRIC_DEFINITIONS,
    generatedAt: AS_OF,
    period: { start: "2026-11-02T00:00:00.000Z", end: AS_OF },
    calendar: { mode: "elapsed", timeZone: "UTC", workingDays: null, workingHours: null, holidays: [], dayMs: DAY },
    sections: body,
  };
}

export function reportInputs(type: ReportType, body?: ReportSectionsBody): ReportInputs {
  return {
    reportType: type,
    workflowId: "workflow-2026-11-04-120000",
    project: "web",
    platforms: ["github", "clickup", "plane"],
    asOf: AS_OF,
    generatedAt: AS_OF,
    sections: reportSectionsFor(type, body),
    projectAnalytics: null,
    insights: [
      { rank: 1, id: "i1", kind: "review-bottleneck", severity: "warning", platform: "github", title: `Reviews wait ${XSS_TITLE}`, recommendation: "Pair on reviews | daily", score: 0.8, evidence: { items: [], itemCount: 4, numbers: { medianWaitMs: 2 * DAY } }, patternId: "p1" },
    ],
    dataQuality: { invalidItems: { github: 1 }, analysedItems: { github: 12, clickup: 10, plane: 8 } },
  };
}

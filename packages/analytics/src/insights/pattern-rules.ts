import type { ItemRef, Platform, WorkItem } from "@pmo/contracts";
import { isOpen } from "../flow/completion.js";
import type { Pattern, PatternKind, Severity } from "../types/insights.js";
import type { MetricSet } from "../types/metrics.js";
import type { Thresholds } from "../types/options.js";
import { evidenceOf } from "./evidence.js";

/** Inputs of one detection pass: a metric set and the items it was computed from. */
export interface RuleInput {
  metrics: MetricSet;
  items: readonly WorkItem[];
  platform: Platform | null;
  thresholds: Thresholds;
  /** One calendar day of the analysis (24 h, or a working day's hours). */
  dayMs: number;
}

export type PatternRule = (input: RuleInput) => Pattern | null;

/** Rule thresholds; each named for the pattern it triggers. */
export const RULES = {
  bottleneckMedianDays: 1,
  bottleneckCriticalDays: 5,
  reopenRate: 0.1,
  reopenCriticalRate: 0.25,
  backflowRate: 0.15,
  backflowCriticalRate: 0.3,
  staleShareWarning: 0.1,
  overdueShareCritical: 0.2,
  blockedShareCritical: 0.2,
  estimateMinSample: 5,
  estimateHighRatio: 1.25,
  estimateLowRatio: 0.75,
  velocityMinBuckets: 3,
  sprintCriticalShare: 0.7,
  minItems: 2,
} as const;

function pattern(input: RuleInput, kind: PatternKind, severity: Severity, summary: string, items: ItemRef[], numbers: Record<string, number>): Pattern {
  const open = input.metrics.counts.open;
  const reach = open > 0 ? Math.min(1, items.length / open) : 0;
  return { id: `${kind}:${input.platform ?? "all"}`, kind, severity, platform: input.platform, summary, reach, evidence: evidenceOf(items, numbers) };
}

const days = (ms: number, dayMs: number): string => (ms / dayMs).toFixed(1);
const pct = (share: number): string => `${Math.round(share * 100)}%`;
const openCount = (input: RuleInput): number => Math.max(1, input.metrics.counts.open);

export const statusBottleneck: PatternRule = (input) => {
  const top = input.metrics.bottlenecks[0];
  const median = top?.perItemMs.median ?? 0;
  if (!top || median < RULES.bottleneckMedianDays * input.dayMs) return null;
  const kind = top.category === "in_review" ? "review-bottleneck" : "status-bottleneck";
  const waiting = input.items.filter((i) => i.status === top.status).map((i) => i.ref);
  return pattern(
    input,
    kind,
    median >= RULES.bottleneckCriticalDays * input.dayMs ? "critical" : "warning",
    `Work waits longest in "${top.status}": median ${days(median, input.dayMs)} days per item, p90 ${days(top.perItemMs.p90 ?? 0, input.dayMs)}.`,
    waiting,
    { medianMs: median, p90Ms: top.perItemMs.p90 ?? 0, itemsMeasured: top.items, itemsThere: waiting.length },
  );
};

export const wipOverload: PatternRule = (input) => {
  const limit = input.thresholds.wipPerPerson;
  const over = Object.entries(input.metrics.wip.byAssignee).filter(([, n]) => n > limit);
  if (over.length === 0) return null;
  const people = new Set(over.map(([who]) => who));
  const items = input.items.filter((i) => (i.statusCategory === "in_progress" || i.statusCategory === "in_review") && i.assignees.some((a) => people.has(a)));
  const max = Math.max(...over.map(([, n]) => n));
  return pattern(
    input,
    "wip-overload",
    max > 2 * limit ? "critical" : "warning",
    `${over.length} ${over.length === 1 ? "person has" : "people have"} more than ${limit} items in progress (most: ${max}).`,
    items.map((i) => i.ref),
    { limit, people: over.length, maxWip: max },
  );
};

export const frequentReopens: PatternRule = (input) => {
  const { reopenRate, reopenedItems, closedItems } = input.metrics.rework;
  if (reopenRate === null || reopenRate < RULES.reopenRate || reopenedItems.length < RULES.minItems) return null;
  return pattern(
    input,
    "frequent-reopens",
    reopenRate >= RULES.reopenCriticalRate ? "critical" : "warning",
    `${pct(reopenRate)} of closed items were reopened (${reopenedItems.length} of ${closedItems}).`,
    reopenedItems,
    { reopenRate, reopened: reopenedItems.length, closed: closedItems },
  );
};

export const backflow: PatternRule = (input) => {
  const { backflowRate, backflowItems, backflowTransitions, itemsWithHistory } = input.metrics.rework;
  if (backflowRate === null || backflowRate < RULES.backflowRate || backflowItems.length < RULES.minItems) return null;
  return pattern(
    input,
    "backflow",
    backflowRate >= RULES.backflowCriticalRate ? "critical" : "warning",
    `${pct(backflowRate)} of items moved backwards in the flow (${backflowTransitions} backward moves).`,
    backflowItems,
    { backflowRate, items: backflowItems.length, transitions: backflowTransitions, itemsWithHistory },
  );
};

export const staleWork: PatternRule = (input) => {
  const stale = input.metrics.stale;
  if (stale.length === 0) return null;
  const share = stale.length / openCount(input);
  return pattern(
    input,
    "stale-work",
    share >= RULES.staleShareWarning ? "warning" : "info",
    `${stale.length} open items (${pct(share)}) untouched for ${input.thresholds.staleDays}+ days.`,
    stale.map((s) => s.item.ref),
    { stale: stale.length, shareOfOpen: share, oldestIdleMs: stale[0]!.idleMs },
  );
};

export const agingReviews: PatternRule = (input) => {
  const limit = input.thresholds.reviewWaitDays * input.dayMs;
  const aging = input.metrics.prsAwaitingReview.filter((p) => p.waitingMs > limit);
  if (aging.length === 0) return null;
  return pattern(
    input,
    "aging-reviews",
    aging[0]!.waitingMs > 3 * limit ? "critical" : "warning",
    `${aging.length} pull requests have waited more than ${input.thresholds.reviewWaitDays} days for review (longest ${days(aging[0]!.waitingMs, input.dayMs)}).`,
    aging.map((p) => p.item.ref),
    { waiting: aging.length, longestWaitMs: aging[0]!.waitingMs, limitMs: limit },
  );
};

export const overdueWork: PatternRule = (input) => {
  const overdue = input.metrics.overdue;
  if (overdue.length === 0) return null;
  const share = overdue.length / openCount(input);
  return pattern(
    input,
    "overdue-work",
    share >= RULES.overdueShareCritical ? "critical" : "warning",
    `${overdue.length} open items are past their due date (${pct(share)} of open work).`,
    overdue.map((d) => d.item.ref),
    { overdue: overdue.length, shareOfOpen: share, mostOverdueMs: overdue[0]!.overdueMs },
  );
};

export const blockedWork: PatternRule = (input) => {
  const blocked = input.metrics.blocked;
  if (blocked.length === 0) return null;
  const share = blocked.length / openCount(input);
  const blockers = new Set(blocked.flatMap((b) => b.blockers.map((x) => `${x.ref.platform}:${x.ref.id}`)));
  return pattern(
    input,
    "blocked-work",
    share >= RULES.blockedShareCritical ? "critical" : "warning",
    `${blocked.length} open items are blocked, by ${blockers.size} distinct blockers.`,
    blocked.map((b) => b.item.ref),
    { blocked: blocked.length, distinctBlockers: blockers.size, shareOfOpen: share },
  );
};

export const estimateDrift: PatternRule = (input) => {
  const { sampleSize, ratio } = input.metrics.estimates;
  const median = ratio.median;
  if (sampleSize < RULES.estimateMinSample || median === null) return null;
  if (median <= RULES.estimateHighRatio && median >= RULES.estimateLowRatio) return null;
  const direction = median > 1 ? "more" : "less";
  const items = input.items.filter((i) => i.statusCategory === "done" && (i.estimate?.ms ?? 0) > 0 && i.timeSpentMs !== null);
  return pattern(
    input,
    "estimate-drift",
    "warning",
    `Work takes ${direction} time than estimated: median spent/estimate ${median.toFixed(2)} over ${sampleSize} items.`,
    items.map((i) => i.ref),
    { medianRatio: median, p90Ratio: ratio.p90 ?? 0, sampleSize },
  );
};

export const velocityDecline: PatternRule = (input) => {
  const { bySprint, byWeek } = input.metrics.velocity;
  const finished = (s: typeof bySprint) => s.series.filter((p) => p.items > 0 || p.points > 0).length;
  const source = bySprint.trend === "down" && finished(bySprint) >= RULES.velocityMinBuckets ? bySprint : byWeek.trend === "down" && finished(byWeek) >= RULES.velocityMinBuckets ? byWeek : null;
  if (!source) return null;
  return pattern(
    input,
    "velocity-decline",
    "warning",
    `Velocity is falling: ${source.slopePoints!.toFixed(1)} points per ${source === bySprint ? "sprint" : "week"} on an average of ${source.averagePoints!.toFixed(1)}.`,
    [],
    { slopePoints: source.slopePoints!, averagePoints: source.averagePoints!, buckets: source.series.length },
  );
};

export const sprintAtRisk: PatternRule = (input) => {
  const f = input.metrics.velocity.forecast;
  if (!f || f.likelyToFinish || f.committedPoints === 0) return null;
  const open = input.items.filter((i) => i.iteration?.id === f.sprintId && isOpen(i)).map((i) => i.ref);
  return pattern(
    input,
    "sprint-at-risk",
    f.projectedPoints < RULES.sprintCriticalShare * f.committedPoints ? "critical" : "warning",
    `${f.sprintName} is projected to finish ${f.projectedPoints.toFixed(1)} of ${f.committedPoints} committed points.`,
    open,
    { committedPoints: f.committedPoints, donePoints: f.donePoints, projectedPoints: f.projectedPoints, elapsedShare: f.elapsedShare },
  );
};

/** Rules run on the cross-platform view (people, sprints and due dates span platforms). */
export const PROJECT_RULES: readonly PatternRule[] = [
  statusBottleneck, wipOverload, frequentReopens, backflow, staleWork, agingReviews, overdueWork, blockedWork, estimateDrift, velocityDecline, sprintAtRisk,
];

/** Rules also run per platform when several are analysed: each platform has its own workflow. */
export const PLATFORM_RULES: readonly PatternRule[] = [statusBottleneck, frequentReopens, backflow, agingReviews];

/**
 * Metric definitions, versioned and written into every output object so a reader of an old report
 * knows exactly how its numbers were computed. Bump METRICS_VERSION whenever a definition changes meaning.
 */
export const METRICS_VERSION = "1.0.0";

export interface MetricDefinition {
  unit: "ms" | "count" | "points" | "ratio" | "items/week" | "points/bucket";
  definition: string;
}

export interface MetricDefinitions {
  version: string;
  percentile: string;
  durations: string;
  metrics: Record<string, MetricDefinition>;
}

export const METRIC_DEFINITIONS: MetricDefinitions = {
  version: METRICS_VERSION,
  percentile:
    "Linear interpolation between closest ranks (Hyndman-Fan type 7, numpy/Excel PERCENTILE.INC default): sorted x[0..n-1], h=(n-1)p, value = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). median = p50.",
  durations:
    "Every duration is measured by the output's calendar: elapsed time, or working time (working days and hours in the calendar's IANA zone, holidays excluded) when calendar.mode is 'business'. Day-based thresholds count working days then.",
  metrics: {
    completion: { unit: "count", definition: "An item is completed at its last transition into a 'done' category (from history), else at closedAt when its category is done. Cancelled items are never completed." },
    velocity: { unit: "points/bucket", definition: "Story points (estimate.points, missing = 0) and item count of items completed in each ISO week (Monday 00:00 local) or sprint [startAt, endAt). Average over full buckets before the current one; trend = least-squares slope, 'flat' when |slope| < 5% of the mean." },
    forecast: { unit: "points", definition: "Current sprint: committed = points of items whose iteration is the sprint; projected = points done so far + mean velocity of up to 3 previous sprints × share of the sprint's time still to come; likely to finish when projected ≥ committed." },
    throughput: { unit: "count", definition: "Items completed in the period; perWeek = completed / (period length in days / 7)." },
    wip: { unit: "count", definition: "Items whose current category is in_progress or in_review at 'now'." },
    leadTime: { unit: "ms", definition: "createdAt → completion, completed items only; open items are counted in openExcluded, never averaged." },
    cycleTime: { unit: "ms", definition: "Time spent in in_progress or in_review categories from status history up to completion; intervals in any other category (paused, back to todo, blocked) are excluded; reopened items add their new active time. Without history: startedAt → completion when both exist." },
    timeToFirstResponse: { unit: "ms", definition: "Issues and PRs: createdAt → first comment or review by someone other than the creator (the 'by' of the creation transition, when known). Needs comments or comment.added events; unanswered items are counted, not averaged." },
    timeToClose: { unit: "ms", definition: "Issues: createdAt → completion or cancellation." },
    timeToMerge: { unit: "ms", definition: "Pull requests in the done category (merged): createdAt → completion. PRs closed unmerged are cancelled and excluded." },
    timeInStatus: { unit: "ms", definition: "Per raw status: time each item spent in it (all visits summed, the current one up to now); bottlenecks are todo/in_progress/in_review statuses ranked by median per item." },
    blocked: { unit: "count", definition: "Open items with at least one blockedBy item that is not done/cancelled (unknown blockers count as blocking), or whose raw status contains 'block'." },
    overdue: { unit: "count", definition: "Open items with dueAt < now; due soon: now ≤ dueAt and (calendar) time until due ≤ dueSoonDays." },
    stale: { unit: "count", definition: "Open items (not backlog) whose updatedAt is at least staleDays of (calendar) time before now." },
    prsAwaitingReview: { unit: "count", definition: "Open pull requests in in_review, waiting since their last transition into it (else updatedAt); flagged past reviewWaitDays." },
    assigneeLoad: { unit: "count", definition: "Per assignee (each of an item's assignees; '(unassigned)' otherwise): open, in progress, in review, open points, blocked, overdue, completed in period." },
    reopenRate: { unit: "ratio", definition: "Items with a transition out of done/cancelled to an open category ÷ items ever completed or cancelled." },
    backflowRate: { unit: "ratio", definition: "Items with a backward move between open categories (order backlog < todo < in_progress < in_review) ÷ items with history. Reopens are counted separately." },
    estimateAccuracy: { unit: "ratio", definition: "Completed items with estimate.ms > 0 and timeSpentMs: ratio = timeSpentMs / estimate.ms; accurate when |ratio − 1| ≤ 0.2. Tracked time is effort, so the calendar does not apply." },
  },
};

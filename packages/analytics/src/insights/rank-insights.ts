import type { Insight, Insights, Pattern, PatternKind, Patterns, Severity } from "../types/insights.js";

export { EVIDENCE_ITEM_LIMIT } from "./evidence.js";

const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 3, warning: 2, info: 1 };

/** What to do about each pattern: the recommendation a team lead would act on. */
const ADVICE: Record<PatternKind, { title: string; recommendation: string }> = {
  "review-bottleneck": { title: "Reviews are the bottleneck", recommendation: "Set a review SLA, rotate a daily reviewer and keep pull requests small so they can be reviewed in one sitting." },
  "status-bottleneck": { title: "Work queues up in one status", recommendation: "Look at what the items in this status wait for and limit how many may enter it until the queue drains." },
  "wip-overload": { title: "Too much work in progress per person", recommendation: "Finish before starting: agree a WIP limit per person and move the excess back to todo or to someone with capacity." },
  "frequent-reopens": { title: "Closed work comes back", recommendation: "Tighten the definition of done (acceptance criteria, tests) and review reopened items for a common cause." },
  backflow: { title: "Work moves backwards in the flow", recommendation: "Find why items leave review or progress (unclear requirements, failed review) and fix it upstream." },
  "stale-work": { title: "Open items nobody touches", recommendation: "Triage stale items: close what no longer matters, reassign or reschedule the rest." },
  "aging-reviews": { title: "Pull requests wait for review", recommendation: "Assign reviewers to the oldest pull requests today; consider auto-assignment and review reminders." },
  "overdue-work": { title: "Items are past their due date", recommendation: "Re-plan overdue items with their owners: renegotiate dates or cut scope, and tell stakeholders." },
  "blocked-work": { title: "Items are blocked", recommendation: "Raise the blockers at standup and give each one an owner; unblocking usually beats starting new work." },
  "estimate-drift": { title: "Estimates are off", recommendation: "Compare estimates with tracked time in the retrospective and recalibrate, e.g. split items larger than a day or two." },
  "velocity-decline": { title: "Velocity is declining", recommendation: "Check for rising unplanned work, interruptions or growing WIP before committing to the next sprint." },
  "sprint-at-risk": { title: "The current sprint is at risk", recommendation: "Agree now which committed items to drop or swap, rather than discovering it at the sprint review." },
};

/** Severity weight × (1 + reach): among equally severe problems the one touching more work ranks higher. */
function scoreOf(p: Pattern): number {
  return Number((SEVERITY_WEIGHT[p.severity] * (1 + p.reach)).toFixed(4));
}

/**
 * `analysis/insights.json`: one ranked recommendation per pattern, highest score first (ties:
 * severity, then id, so the order is deterministic).
 */
export function rankInsights(patterns: Patterns): Insights {
  const scored = patterns.patterns.map((p) => ({ p, score: scoreOf(p) }));
  scored.sort((a, b) => b.score - a.score || SEVERITY_WEIGHT[b.p.severity] - SEVERITY_WEIGHT[a.p.severity] || a.p.id.localeCompare(b.p.id));
  const insights: Insight[] = scored.map(({ p, score }, i) => ({
    rank: i + 1,
    id: `insight:${p.id}`,
    kind: p.kind,
    severity: p.severity,
    platform: p.platform,
    title: p.platform ? `${ADVICE[p.kind].title} (${p.platform})` : ADVICE[p.kind].title,
    recommendation: `${p.summary} ${ADVICE[p.kind].recommendation}`,
    score,
    evidence: p.evidence,
    patternId: p.id,
  }));
  const { definitions, generatedAt, period, calendar } = patterns;
  return { definitions, generatedAt, period, calendar, insights };
}

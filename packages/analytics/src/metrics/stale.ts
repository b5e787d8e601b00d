import type { WorkItem } from "@pmo/contracts";
import type { AnalysisContext } from "../context/analysis-context.js";
import { toBrief } from "../flow/brief.js";
import { isOpen } from "../flow/completion.js";
import type { AwaitingReview, StaleItem } from "../types/metrics.js";

/** Open, non-backlog items untouched for `staleDays` of (calendar) time, longest idle first. */
export function staleItems(items: readonly WorkItem[], ctx: AnalysisContext): StaleItem[] {
  const limit = ctx.thresholds.staleDays * ctx.calendar.dayMs;
  return items
    .filter((i) => isOpen(i) && i.statusCategory !== "backlog")
    .map((i) => ({ item: toBrief(i), idleMs: ctx.calendar.duration(Date.parse(i.updatedAt), ctx.nowMs) }))
    .filter((s) => s.idleMs >= limit)
    .sort((a, b) => b.idleMs - a.idleMs);
}

/** When the PR last entered review: its last transition into in_review, else its last update. */
function inReviewSince(item: WorkItem): number {
  for (let i = item.history.length - 1; i >= 0; i--) {
    const t = item.history[i]!;
    if (t.toCategory === "in_review") return Date.parse(t.at);
  }
  return Date.parse(item.updatedAt);
}

/** Open pull requests in review, longest waiting first (all of them; `reviewWaitDays` flags the old ones in patterns). */
export function prsAwaitingReview(items: readonly WorkItem[], ctx: AnalysisContext): AwaitingReview[] {
  return items
    .filter((i) => i.kind === "pull_request" && i.statusCategory === "in_review")
    .map((i) => ({ item: toBrief(i), waitingMs: ctx.calendar.duration(inReviewSince(i), ctx.nowMs) }))
    .sort((a, b) => b.waitingMs - a.waitingMs);
}

import type { WorkItem } from "@pmo/contracts";
import { refKey, type AnalysisContext } from "../context/analysis-context.js";
import { closedAt, completedAt } from "../flow/completion.js";
import { distribution } from "../stats/distribution.js";
import type { ResponseMetrics } from "../types/metrics.js";
import type { ItemComment } from "../types/options.js";

export const NO_COMMENTS_NOTE =
  "WorkItem carries no comment timestamps and no comments or comment.added events were given: time to first response is not measured.";

/** The creator, when the history records who created the item (its transition from no status). */
function creatorOf(item: WorkItem): string | null {
  return item.history.find((t) => t.from === null)?.by ?? null;
}

function firstResponses(items: readonly WorkItem[], comments: readonly ItemComment[], ctx: AnalysisContext): { values: number[]; unanswered: number } {
  const byItem = new Map<string, ItemComment[]>();
  for (const c of comments) {
    const key = refKey(c.itemRef);
    const list = byItem.get(key);
    if (list) list.push(c);
    else byItem.set(key, [c]);
  }
  const values: number[] = [];
  let unanswered = 0;
  for (const item of items) {
    const creator = creatorOf(item);
    const created = Date.parse(item.createdAt);
    const first = (byItem.get(refKey(item.ref)) ?? [])
      .map((c) => ({ at: c.at.getTime(), author: c.author }))
      .filter((c) => c.at >= created && c.at < ctx.nowMs && (creator === null || c.author !== creator))
      .sort((a, b) => a.at - b.at)[0];
    if (first) values.push(ctx.calendar.duration(created, first.at));
    else unanswered++;
  }
  return { values, unanswered };
}

function durationsTo(items: readonly WorkItem[], end: (i: WorkItem) => number | null, ctx: AnalysisContext): number[] {
  const values: number[] = [];
  for (const item of items) {
    const at = end(item);
    if (at !== null) values.push(ctx.calendar.duration(Date.parse(item.createdAt), at));
  }
  return values;
}

/** Time to first response and to close (issues) or merge (pull requests), issue-metrics style. */
export function responsiveness(items: readonly WorkItem[], ctx: AnalysisContext): ResponseMetrics {
  const issues = items.filter((i) => i.kind === "issue");
  const prs = items.filter((i) => i.kind === "pull_request");
  const comments = ctx.comments;
  const issueResponses = comments ? firstResponses(issues, comments, ctx) : { values: [], unanswered: 0 };
  const prResponses = comments ? firstResponses(prs, comments, ctx) : { values: [], unanswered: 0 };
  return {
    commentsAvailable: comments !== null,
    note: comments ? null : NO_COMMENTS_NOTE,
    issues: {
      timeToFirstResponse: distribution(issueResponses.values),
      unanswered: issueResponses.unanswered,
      timeToClose: distribution(durationsTo(issues, closedAt, ctx)),
    },
    pullRequests: {
      timeToFirstResponse: distribution(prResponses.values),
      unanswered: prResponses.unanswered,
      timeToMerge: distribution(durationsTo(prs, completedAt, ctx)),
    },
  };
}

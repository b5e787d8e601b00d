import type { WorkItem } from "@pmo/contracts";
import { refKey, type AnalysisContext } from "../context/analysis-context.js";
import { toBrief } from "../flow/brief.js";
import { isOpen } from "../flow/completion.js";
import type { BlockedItem, Blocker } from "../types/metrics.js";

const BLOCKED_STATUS = /block/i;

/** The transition into the current blocked status, if the history shows one. */
function blockedSince(item: WorkItem): number | null {
  for (let i = item.history.length - 1; i >= 0; i--) {
    const t = item.history[i]!;
    if (t.to === item.status) return Date.parse(t.at);
  }
  return null;
}

/** Open items held up by open dependencies (any platform) or sitting in a "blocked" status, with what blocks them. */
export function blockedItems(items: readonly WorkItem[], ctx: AnalysisContext): BlockedItem[] {
  const out: BlockedItem[] = [];
  for (const item of items) {
    if (!isOpen(item)) continue;
    const blockers: Blocker[] = item.blockedBy
      .map((ref) => ({ ref, blocker: ctx.itemsByRef.get(refKey(ref)) }))
      .filter(({ blocker }) => !blocker || isOpen(blocker))
      .map(({ ref, blocker }) => ({ ref, item: blocker ? toBrief(blocker) : null }));
    const reasons: BlockedItem["reasons"] = [];
    if (blockers.length > 0) reasons.push("dependency");
    if (BLOCKED_STATUS.test(item.status)) reasons.push("status");
    if (reasons.length === 0) continue;
    const since = reasons.includes("status") ? blockedSince(item) : null;
    out.push({ item: toBrief(item), reasons, blockers, blockedForMs: since === null ? null : ctx.calendar.duration(since, ctx.nowMs) });
  }
  return out;
}

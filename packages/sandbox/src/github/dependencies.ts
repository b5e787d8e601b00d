/**
 * Issue dependencies ("blocked by" / "blocking") from the truth's `blockedBy`, which names blockers
 * by number in the same repo. Shapes from GH-OAS 23.0.1: schema `issue-dependencies-summary`
 * `{blocked_by, blocking, total_blocked_by, total_blocking}`, where (GitHub's GraphQL schema,
 * IssueDependenciesSummary) `blockedBy` is the "Count of issues this issue is blocked by" and
 * `totalBlockedBy` the "Total count of issues this issue is blocked by (open and closed)": the
 * plain counts are of open issues only. Deleted issues drop out of both, as their relations do on GitHub.
 */
import type { TruthItem } from "../truth/model.js";
import { issueState } from "./issue-state.js";
import type { GitHubIndex, RepoRecord } from "./repo-index.js";

export interface IssueDependenciesSummary {
  blocked_by: number;
  total_blocked_by: number;
  blocking: number;
  total_blocking: number;
}

const isOpen = (item: TruthItem) => issueState(item) === "open";

/** One repo's dependency graph as of one request (built lazily, like the rest of RepoCatalog). */
export class RepoDependencies {
  private waiters: Map<TruthItem, TruthItem[]> | null = null;

  constructor(
    private readonly index: GitHubIndex,
    private readonly repo: RepoRecord,
  ) {}

  /** The live issues `item` waits on, in the order they were added. */
  blockersOf(item: TruthItem): TruthItem[] {
    if (item.blockedBy.length === 0) return [];
    const out: TruthItem[] = [];
    for (const id of new Set(item.blockedBy)) {
      const blocker = /^\d+$/.test(id) ? this.index.itemOrDeleted(this.repo, Number(id)) : undefined;
      if (blocker && blocker.deletedAt === null && blocker !== item) out.push(blocker);
    }
    return out;
  }

  /** The live issues waiting on `item` (the reverse of `blockersOf`), in number order. */
  waitingOn(item: TruthItem): TruthItem[] {
    if (!this.waiters) {
      const waiters = new Map<TruthItem, TruthItem[]>();
      for (const waiter of this.index.items(this.repo)) {
        if (waiter.deletedAt !== null || waiter.blockedBy.length === 0) continue;
        for (const blocker of this.blockersOf(waiter)) {
          const list = waiters.get(blocker);
          if (list) list.push(waiter);
          else waiters.set(blocker, [waiter]);
        }
      }
      this.waiters = waiters;
    }
    return this.waiters.get(item) ?? [];
  }

  summary(item: TruthItem): IssueDependenciesSummary {
    const blockers = this.blockersOf(item);
    const waiting = this.waitingOn(item);
    return {
      blocked_by: blockers.filter(isOpen).length,
      total_blocked_by: blockers.length,
      blocking: waiting.filter(isOpen).length,
      total_blocking: waiting.length,
    };
  }
}

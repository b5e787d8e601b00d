/**
 * How an item's status moves over the weeks: a small random walk through the status categories with
 * realistic dwell times, stopped at `now`. Items created long ago are mostly done; recent ones are
 * still open, which gives cycle time, throughput, WIP, reopened and stale items naturally.
 */
import { DAY, HOUR, MINUTE, toSecond } from "./calendar.js";
import { isClosedCategory } from "./derive.js";
import type { Review, StatusCategory, Transition } from "./model.js";
import type { Prng } from "./prng.js";

/** Mean time spent in each category before the next move. */
const MEAN_DWELL: Record<StatusCategory, number> = {
  backlog: 6 * DAY,
  todo: 3 * DAY,
  in_progress: 3 * DAY,
  in_review: 1 * DAY,
  done: 5 * DAY, // before a (rare) reopen
  cancelled: 10 * DAY,
};

/** Where an item goes next from each category (weights). */
const NEXT: Record<StatusCategory, Partial<Record<StatusCategory, number>>> = {
  backlog: { todo: 88, cancelled: 6, in_progress: 6 },
  todo: { in_progress: 88, backlog: 7, cancelled: 5 },
  in_progress: { in_review: 75, done: 15, todo: 10 },
  in_review: { done: 80, in_progress: 20 },
  done: { in_progress: 60, todo: 40 },
  cancelled: { backlog: 50, todo: 50 },
};

const REOPEN_CHANCE = { done: 0.08, cancelled: 0.03 } as const;
/** Share of items that stop moving early and sit untouched: the stale ones. */
const STALL_CHANCE = 0.06;

export interface WalkInput {
  createdAt: number;
  now: number;
  creator: string;
  /** Who moves the item once work starts (its assignee, else the creator). */
  worker: string;
}

/** Status history of a task / issue / subtask. */
export function walkWorkItem(rng: Prng, input: WalkInput): Transition[] {
  const { createdAt, now, creator, worker } = input;
  let state: StatusCategory = rng.chance(0.45) ? "backlog" : "todo";
  const transitions: Transition[] = [{ at: createdAt, from: null, to: state, by: creator }];
  const maxMoves = rng.chance(STALL_CHANCE) ? rng.int(0, 2) : Infinity;
  let t = createdAt;
  while (transitions.length - 1 < maxMoves) {
    if (isClosedCategory(state) && !rng.chance(REOPEN_CHANCE[state as "done" | "cancelled"])) break;
    t = toSecond(t + Math.max(10 * MINUTE, rng.exponential(MEAN_DWELL[state])));
    if (t > now) break;
    const to: StatusCategory = rng.weighted(NEXT[state] as Record<StatusCategory, number>);
    const by = to === "backlog" || to === "cancelled" || (to === "todo" && !isClosedCategory(state)) ? creator : worker;
    transitions.push({ at: t, from: state, to, by });
    state = to;
  }
  return transitions;
}

export interface PullRequestWalk {
  transitions: Transition[];
  draft: boolean;
  reviewRequestedAt: number | null;
  reviews: Omit<Review, "id">[];
  mergedAt: number | null;
  mergedBy: string | null;
}

/** Fates of a pull request once it asks for review. */
const PR_FATE = { merge: 74, changes_then_merge: 10, close: 6, stale: 10 } as const;

/**
 * Status history of a pull request: opened (as a draft = in_progress, else in_review), reviewed,
 * then merged (done) or closed (cancelled); "stale" ones wait for review with no review at all.
 */
export function walkPullRequest(rng: Prng, input: WalkInput & { reviewers: string[] }): PullRequestWalk {
  const { createdAt, now, creator, reviewers } = input;
  const draft = rng.chance(0.2);
  const walk: PullRequestWalk = {
    transitions: [{ at: createdAt, from: null, to: draft ? "in_progress" : "in_review", by: creator }],
    draft,
    reviewRequestedAt: draft ? null : createdAt,
    reviews: [],
    mergedAt: null,
    mergedBy: null,
  };
  let t = createdAt;
  let state: StatusCategory = walk.transitions[0]!.to;
  const move = (to: StatusCategory, by: string): boolean => {
    if (t > now) return false;
    walk.transitions.push({ at: t, from: state, to, by });
    state = to;
    return true;
  };
  if (draft) {
    t = toSecond(t + rng.exponential(1.5 * DAY));
    if (!move("in_review", creator)) return walk;
    walk.draft = false;
    walk.reviewRequestedAt = t;
  }
  const fate = rng.weighted(PR_FATE);
  if (fate === "stale") return walk;
  const reviewer = rng.pick(reviewers);
  const review = (state: Review["state"]): boolean => {
    t = toSecond(t + Math.max(5 * MINUTE, rng.exponential(8 * HOUR)));
    if (t > now) return false;
    walk.reviews.push({ person: reviewer, at: t, state });
    return true;
  };
  if (fate === "close") {
    t = toSecond(t + rng.exponential(3 * DAY));
    move("cancelled", creator);
    return walk;
  }
  if (fate === "changes_then_merge") {
    if (!review("CHANGES_REQUESTED") || !move("in_progress", creator)) return walk;
    t = toSecond(t + Math.max(30 * MINUTE, rng.exponential(1 * DAY)));
    if (!move("in_review", creator)) return walk;
  }
  if (rng.chance(0.3) && !review("COMMENTED")) return walk;
  if (!review("APPROVED")) return walk;
  t = toSecond(t + Math.max(MINUTE, rng.exponential(4 * HOUR)));
  const merger = rng.chance(0.7) ? creator : reviewer;
  if (move("done", merger)) {
    walk.mergedAt = t;
    walk.mergedBy = merger;
  }
  return walk;
}

/** Comments and time entries around an item's status history. */
import { HOUR, MINUTE, toSecond } from "./calendar.js";
import type { Comment, TimeEntry, Transition } from "./model.js";
import { COMMENTS, TIME_ENTRY_NOTES } from "./names.js";
import type { Prng } from "./prng.js";

const COMMENT_COUNT = { "0": 35, "1": 30, "2": 20, "3": 10, "4": 5 } as const;

/** 0..4 comments between creation and `until`, in time order; `nextId` mints the platform's comment ids. */
export function generateComments(
  rng: Prng,
  from: number,
  until: number,
  people: readonly string[],
  nextId: () => string,
): Comment[] {
  const count = Number(rng.weighted(COMMENT_COUNT));
  if (count === 0 || until <= from) return [];
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(toSecond(rng.between(from, until)));
  times.sort((a, b) => a - b);
  return times.map((at) => ({ id: nextId(), person: rng.pick(people), at, body: rng.pick(COMMENTS) }));
}

/** Time logged during each in_progress stretch, by the item's worker; every entry ends by `now`. */
export function generateTimeEntries(
  rng: Prng,
  transitions: readonly Transition[],
  now: number,
  worker: string,
  nextId: () => string,
): TimeEntry[] {
  const entries: TimeEntry[] = [];
  for (let i = 0; i < transitions.length; i++) {
    if (transitions[i]!.to !== "in_progress") continue;
    const start = transitions[i]!.at;
    const end = transitions[i + 1]?.at ?? now;
    const k = rng.int(0, 3);
    for (let j = 0; j < k; j++) {
      const durationMs = toSecond(Math.min(end - start, Math.max(15 * MINUTE, rng.exponential(2 * HOUR))));
      if (durationMs <= 0) break;
      const startAt = toSecond(rng.between(start, end - durationMs));
      entries.push({ id: nextId(), person: worker, startAt, durationMs, description: rng.pick(TIME_ENTRY_NOTES) });
    }
  }
  entries.sort((a, b) => a.startAt - b.startAt);
  return entries;
}

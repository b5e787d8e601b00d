/** Time constants and the sprint calendar shared by all three platforms. */
import type { Sprint } from "./model.js";

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const SPRINT_LENGTH = 14 * DAY;

/**
 * The generator's default "now": a Monday morning, fixed so that the same seed gives the same bytes.
 * @default 2026-11-02T09:00:00Z
 */
export const DEFAULT_NOW = Date.UTC(2026, 10, 2, 9, 0, 0);

/** Finished sprints before the current one: about six months of history. */
export const PAST_SPRINTS = 12;

/** Truncates to whole seconds: GitHub and Plane render second-precision timestamps, so the truth never holds finer instants. */
export function toSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}

/**
 * Two-week sprints on a grid anchored at Monday 1970-01-05: the 12 past sprints, the current one
 * (containing `now`) and the next, planned one. `endAt` is exclusive (the next sprint's start).
 */
export function buildSprints(now: number): Sprint[] {
  const anchor = Date.UTC(1970, 0, 5);
  const index = Math.floor((now - anchor) / SPRINT_LENGTH);
  const currentStart = anchor + index * SPRINT_LENGTH;
  const sprints: Sprint[] = [];
  for (let k = -PAST_SPRINTS; k <= 1; k++) {
    const number = PAST_SPRINTS + 1 + k;
    const startAt = currentStart + k * SPRINT_LENGTH;
    sprints.push({ key: `sprint-${number}`, name: `Sprint ${number}`, number, startAt, endAt: startAt + SPRINT_LENGTH });
  }
  return sprints;
}

/** The sprint whose [startAt, endAt) contains `at`, or null. */
export function sprintAt(sprints: readonly Sprint[], at: number): Sprint | null {
  for (const s of sprints) if (at >= s.startAt && at < s.endAt) return s;
  return null;
}

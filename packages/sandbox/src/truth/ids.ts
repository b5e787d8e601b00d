/**
 * Native id shapes. Ids that must be unique among many items come from counters passed through a
 * bijection (never from raw random draws), so they cannot collide; emulators creating new items call
 * the same functions with the next counter value.
 */

const BASE36_7 = 36 ** 7;
/** Prime and coprime with 36, so n → n·K mod 36^7 is a permutation: distinct n give distinct ids. */
const SCRAMBLE = 1_000_003;

/** ClickUp task id such as "86b0x1y2z": "86" + 7 lower-case base-36 characters, unique per (seed, n). */
export function clickupTaskId(seed: number, n: number): string {
  const offset = (Math.abs(seed) * 7_919) % BASE36_7;
  const v = (offset + n * SCRAMBLE) % BASE36_7;
  return `86${v.toString(36).padStart(7, "0")}`;
}

/** Numeric id as a decimal string: `base + n` (ClickUp comment / time-entry ids, GitHub comment / review ids). */
export function numericId(base: number, n: number): string {
  return String(base + n);
}

/** Id bases per kind of record, far apart so that no two kinds share a value. */
export const ID_BASE = {
  clickupComment: 90_150_000_000_000,
  clickupTimeEntry: 4_300_000_000_000,
  githubComment: 2_100_000_000,
  githubReview: 3_400_000_000,
} as const;

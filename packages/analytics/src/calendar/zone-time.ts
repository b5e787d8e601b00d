/** Wall-clock arithmetic in an IANA zone (day, week and month boundaries), via luxon. */
import { DateTime } from "luxon";

export function localDateTime(ms: number, zone: string): DateTime {
  return DateTime.fromMillis(ms, { zone });
}

/** Start (local midnight) of the day containing `ms`, as epoch ms. */
export function startOfDay(ms: number, zone: string): number {
  return localDateTime(ms, zone).startOf("day").toMillis();
}

/** Local midnight `days` days after the day containing `ms` (23 or 25 h away across DST). */
export function addLocalDays(ms: number, days: number, zone: string): number {
  return localDateTime(ms, zone).startOf("day").plus({ days }).toMillis();
}

/** Start of the ISO week (Monday 00:00 local) containing `ms`. */
export function startOfIsoWeek(ms: number, zone: string): number {
  return localDateTime(ms, zone).startOf("week").toMillis();
}

export function startOfMonth(ms: number, zone: string): number {
  return localDateTime(ms, zone).startOf("month").toMillis();
}

/** `2024-W05`: ISO week-numbering year and week of `ms` in `zone`. */
export function isoWeekKey(ms: number, zone: string): string {
  const d = localDateTime(ms, zone);
  return `${d.weekYear}-W${String(d.weekNumber).padStart(2, "0")}`;
}

/** `2024-03-31`: the local date of `ms`. */
export function localDate(ms: number, zone: string): string {
  return localDateTime(ms, zone).toISODate()!;
}

export function toInstant(ms: number): string {
  return new Date(ms).toISOString();
}

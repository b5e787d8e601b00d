import { IANAZone } from "luxon";
import { z } from "zod";

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "must be HH:MM (24:00 allowed as an end)");

/** A daily working window in local wall-clock time, e.g. 09:00–12:00. */
export const WorkingWindowSchema = z
  .object({ start: clock, end: clock })
  .refine((w) => minutesOf(w.start) < minutesOf(w.end), "start must be before end");

/**
 * The business calendar (issue 5 §1). `enabled: false` keeps the zone for day/week buckets but
 * measures every duration as elapsed time.
 */
export const BusinessCalendarConfigSchema = z.object({
  enabled: z.boolean().default(true),
  /** IANA zone, e.g. `Europe/Berlin`. @default "UTC" */
  timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), "must be an IANA time zone").default("UTC"),
  /** ISO weekdays, 1 = Monday … 7 = Sunday. @default [1,2,3,4,5] */
  workingDays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
  /** Several windows allow a lunch break. @default [{start:"09:00", end:"17:00"}] */
  workingHours: z.array(WorkingWindowSchema).min(1).default([{ start: "09:00", end: "17:00" }]),
  /** Local dates (YYYY-MM-DD) with no working time. */
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be YYYY-MM-DD")).default([]),
});
/** What a user writes (defaults optional). */
export type BusinessCalendarConfig = z.input<typeof BusinessCalendarConfigSchema>;
export type ResolvedCalendarConfig = z.output<typeof BusinessCalendarConfigSchema>;
export type WorkingWindow = z.output<typeof WorkingWindowSchema>;

/** How the durations in an output were measured; written into every output. */
export interface CalendarDescription {
  mode: "elapsed" | "business";
  timeZone: string;
  workingDays: number[] | null;
  workingHours: WorkingWindow[] | null;
  holidays: string[];
  /** Length of one "day" in day-based thresholds: 24 h, or one working day's hours. */
  dayMs: number;
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return h! * 60 + m!;
}

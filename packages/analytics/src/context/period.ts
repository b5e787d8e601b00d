import type { ReportType } from "@pmo/contracts";
import type { DurationCalendar } from "../calendar/working-calendar.js";
import { addLocalDays, localDate, startOfDay, startOfIsoWeek, startOfMonth } from "../calendar/zone-time.js";

/** A window in epoch ms, [start, end). */
export interface MsPeriod {
  start: number;
  end: number;
}

/** Fallback window for "velocity"/unknown reports and sprint reports without a sprint: the last 12 weeks. */
const DEFAULT_LOOKBACK_DAYS = 84;

/**
 * The period a report covers when none is given, in the calendar's zone: daily = today so far plus
 * the previous working day (its "yesterday"); weekly = this ISO week to now; monthly = this month
 * to now; anything else = the last 12 weeks.
 */
export function defaultPeriod(reportType: ReportType | undefined, nowMs: number, calendar: DurationCalendar): MsPeriod {
  const zone = calendar.timeZone;
  switch (reportType) {
    case "daily":
      return { start: previousWorkingDayStart(nowMs, calendar), end: nowMs };
    case "weekly":
      return { start: startOfIsoWeek(nowMs, zone), end: nowMs };
    case "monthly":
      return { start: startOfMonth(nowMs, zone), end: nowMs };
    default:
      return { start: addLocalDays(nowMs, -DEFAULT_LOOKBACK_DAYS, zone), end: nowMs };
  }
}

/** Local midnight of the last working day before the one containing `nowMs` (Monday → Friday). */
export function previousWorkingDayStart(nowMs: number, calendar: DurationCalendar): number {
  const zone = calendar.timeZone;
  for (let back = 1; back <= 31; back++) {
    const start = addLocalDays(nowMs, -back, zone);
    if (calendar.isWorkingDate(localDate(start, zone))) return start;
  }
  return addLocalDays(nowMs, -1, zone);
}

export function startOfToday(nowMs: number, calendar: DurationCalendar): number {
  return startOfDay(nowMs, calendar.timeZone);
}

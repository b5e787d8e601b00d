import { DateTime } from "luxon";
import {
  BusinessCalendarConfigSchema,
  minutesOf,
  type BusinessCalendarConfig,
  type CalendarDescription,
  type ResolvedCalendarConfig,
} from "./config.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Measures durations: elapsed wall-clock time, or working time under a business calendar. */
export interface DurationCalendar {
  readonly timeZone: string;
  /** Counted time in [startMs, endMs); 0 when end ≤ start. */
  duration(startMs: number, endMs: number): number;
  /** One "day" in thresholds such as "stale after 14 days": 24 h, or one working day's hours. */
  readonly dayMs: number;
  /** True when `localDate` (YYYY-MM-DD) has working time (always true for elapsed time). */
  isWorkingDate(localDate: string): boolean;
  describe(): CalendarDescription;
}

/** Elapsed time; still carries a zone so day/week buckets follow the team's clock. */
export class ElapsedCalendar implements DurationCalendar {
  readonly dayMs = DAY;
  constructor(readonly timeZone = "UTC") {}
  duration(startMs: number, endMs: number): number {
    return Math.max(0, endMs - startMs);
  }
  isWorkingDate(): boolean {
    return true;
  }
  describe(): CalendarDescription {
    return { mode: "elapsed", timeZone: this.timeZone, workingDays: null, workingHours: null, holidays: [], dayMs: this.dayMs };
  }
}

interface WorkingDay {
  /** Local midnight starting this day, and the next one (23, 24 or 25 h later). */
  start: number;
  end: number;
  /** Working windows of this local date as epoch-ms [start, end) pairs (already DST-correct). */
  windows: Array<[number, number]>;
  /** Working ms from the table's origin day to this day's start (negative before the origin). */
  before: number;
}

/**
 * Working time in an IANA zone: only working days, inside working hours, never on holidays.
 *
 * Why luxon: converting a local wall-clock time to an instant needs the zone's offset on that date
 * (DST), which `Date` cannot give; luxon does it over the platform's Intl data with a documented
 * rule for the missing/repeated hour. The working-time sum itself is ours: a cumulative table of
 * working ms per local day, grown lazily in both directions, so `duration(a, b) = W(b) − W(a)`
 * costs two lookups however long the span.
 */
export class WorkingCalendar implements DurationCalendar {
  readonly timeZone: string;
  readonly dayMs: number;
  private readonly config: ResolvedCalendarConfig;
  private readonly workingDays: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  /** Working days by day number, contiguous over [firstDay, lastDay]; existing entries never change. */
  private readonly days = new Map<number, WorkingDay>();
  private firstDay = Number.NaN;
  private lastDay = Number.NaN;

  constructor(config: BusinessCalendarConfig) {
    this.config = BusinessCalendarConfigSchema.parse(config);
    this.timeZone = this.config.timeZone;
    this.workingDays = new Set(this.config.workingDays);
    this.holidays = new Set(this.config.holidays);
    this.dayMs = this.config.workingHours.reduce((sum, w) => sum + (minutesOf(w.end) - minutesOf(w.start)) * 60_000, 0);
  }

  duration(startMs: number, endMs: number): number {
    return endMs <= startMs ? 0 : this.workedUntil(endMs) - this.workedUntil(startMs);
  }

  isWorkingDate(localDate: string): boolean {
    const d = DateTime.fromISO(localDate, { zone: this.timeZone });
    return this.workingDays.has(d.weekday) && !this.holidays.has(localDate);
  }

  describe(): CalendarDescription {
    const { timeZone, workingDays, workingHours, holidays } = this.config;
    return { mode: "business", timeZone, workingDays: [...workingDays].sort(), workingHours, holidays: [...holidays].sort(), dayMs: this.dayMs };
  }

  /** Working ms from the table's origin up to `ms`. */
  private workedUntil(ms: number): number {
    const day = this.localDayOf(ms);
    let within = 0;
    for (const [start, end] of day.windows) within += Math.min(Math.max(ms - start, 0), end - start);
    return day.before + within;
  }

  /**
   * The local day containing `ms`, without a zone conversion per call (the hot path: every duration
   * calls this twice). Zone offsets are within ±14 h, so it is the UTC day or one of its neighbours.
   */
  private localDayOf(ms: number): WorkingDay {
    const utcDay = Math.floor(ms / DAY);
    for (const n of [utcDay, utcDay - 1, utcDay + 1]) {
      const day = this.dayAt(n);
      if (day.start <= ms && ms < day.end) return day;
    }
    throw new Error(`no local day contains ${new Date(ms).toISOString()} in ${this.timeZone}`);
  }

  private dayAt(n: number): WorkingDay {
    if (this.days.size === 0) {
      this.days.set(n, this.dayOf(n, 0));
      this.firstDay = this.lastDay = n;
    }
    while (n > this.lastDay) {
      const last = this.days.get(this.lastDay)!;
      this.lastDay++;
      this.days.set(this.lastDay, this.dayOf(this.lastDay, last.before + workOf(last.windows)));
    }
    while (n < this.firstDay) {
      const first = this.days.get(this.firstDay)!;
      this.firstDay--;
      const day = this.dayOf(this.firstDay, 0);
      day.before = first.before - workOf(day.windows);
      this.days.set(this.firstDay, day);
    }
    return this.days.get(n)!;
  }

  /** Local date number `n` (days since 1970-01-01) in the zone: its bounds and working windows. */
  private dayOf(n: number, before: number): WorkingDay {
    const date = DateTime.fromMillis(n * DAY, { zone: "UTC" });
    const local = DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone: this.timeZone });
    return { start: local.toMillis(), end: local.plus({ days: 1 }).toMillis(), windows: this.windowsOf(local), before };
  }

  private windowsOf(local: DateTime): Array<[number, number]> {
    if (!this.workingDays.has(local.weekday) || this.holidays.has(local.toISODate()!)) return [];
    // `plus({minutes})` from local midnight would drift across DST; set the wall-clock time instead.
    const at = (hhmm: string): number => {
      const minutes = minutesOf(hhmm);
      if (minutes === 24 * 60) return local.plus({ days: 1 }).toMillis();
      return local.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
    };
    return this.config.workingHours.map((w) => [at(w.start), at(w.end)] as [number, number]).filter(([s, e]) => e > s);
  }
}

function workOf(windows: ReadonlyArray<[number, number]>): number {
  return windows.reduce((sum, [start, end]) => sum + end - start, 0);
}

/** The calendar an analysis runs under: working time when a config is given and enabled. */
export function createCalendar(config?: BusinessCalendarConfig): DurationCalendar {
  if (!config) return new ElapsedCalendar();
  const resolved = BusinessCalendarConfigSchema.parse(config);
  return resolved.enabled ? new WorkingCalendar(resolved) : new ElapsedCalendar(resolved.timeZone);
}

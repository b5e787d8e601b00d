import { describe, expect, it } from "vitest";
import { BusinessCalendarConfigSchema } from "./config.js";
import { createCalendar, ElapsedCalendar, WorkingCalendar } from "./working-calendar.js";

const HOUR = 3_600_000;
const at = (iso: string): number => Date.parse(iso);

describe("WorkingCalendar", () => {
  const weekdays = new WorkingCalendar({ timeZone: "UTC" });

  it("counts only working hours of working days (Fri 16:00 → Mon 10:00 = 2 h)", () => {
    expect(weekdays.duration(at("2024-03-08T16:00:00Z"), at("2024-03-11T10:00:00Z"))).toBe(2 * HOUR);
    expect(weekdays.duration(at("2024-03-09T10:00:00Z"), at("2024-03-10T23:00:00Z"))).toBe(0); // a weekend
    expect(weekdays.duration(at("2024-03-11T10:00:00Z"), at("2024-03-11T09:00:00Z"))).toBe(0); // reversed
    expect(weekdays.dayMs).toBe(8 * HOUR);
  });

  it("skips holidays", () => {
    const cal = new WorkingCalendar({ timeZone: "UTC", holidays: ["2024-03-11"] });
    expect(cal.duration(at("2024-03-08T16:00:00Z"), at("2024-03-12T10:00:00Z"))).toBe(2 * HOUR);
    expect(cal.isWorkingDate("2024-03-11")).toBe(false);
    expect(cal.isWorkingDate("2024-03-12")).toBe(true);
  });

  it("honours a lunch break", () => {
    const cal = new WorkingCalendar({ timeZone: "UTC", workingHours: [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "17:00" }] });
    expect(cal.duration(at("2024-03-11T11:00:00Z"), at("2024-03-11T14:00:00Z"))).toBe(2 * HOUR);
    expect(cal.dayMs).toBe(7 * HOUR);
  });

  it("follows the zone's offset across a DST change (Berlin, 31 March 2024)", () => {
    // Fri 29 Mar 16:00 CET (15:00Z) → Tue 2 Apr 10:00 CEST (08:00Z), Easter Monday off:
    // Fri 16–17 (1 h) + Tue 09–10 (1 h). A fixed +1 h offset would put Tue 09:00 at 08:00Z and count 0 h there.
    const berlin = new WorkingCalendar({ timeZone: "Europe/Berlin", holidays: ["2024-04-01"] });
    expect(berlin.duration(at("2024-03-29T15:00:00Z"), at("2024-04-02T08:00:00Z"))).toBe(2 * HOUR);
    const allDay = new WorkingCalendar({ timeZone: "Europe/Berlin", workingDays: [1, 2, 3, 4, 5, 6, 7], workingHours: [{ start: "00:00", end: "24:00" }] });
    expect(allDay.duration(at("2024-03-30T23:00:00Z"), at("2024-03-31T22:00:00Z"))).toBe(23 * HOUR); // the short day
    const night = new WorkingCalendar({ timeZone: "Europe/Berlin", workingDays: [7], workingHours: [{ start: "01:00", end: "04:00" }] });
    expect(night.duration(at("2024-03-30T00:00:00Z"), at("2024-04-01T00:00:00Z"))).toBe(2 * HOUR); // 02:00–03:00 never happened
  });

  it("has a 25-hour day when clocks fall back (New York, 3 November 2024)", () => {
    const allDay = new WorkingCalendar({ timeZone: "America/New_York", workingDays: [7], workingHours: [{ start: "00:00", end: "24:00" }] });
    expect(allDay.duration(at("2024-11-03T04:00:00Z"), at("2024-11-04T05:00:00Z"))).toBe(25 * HOUR);
  });

  it("is additive however far apart the calls are (its day table grows both ways)", () => {
    const cal = new WorkingCalendar({ timeZone: "Europe/Berlin" });
    const [a, b, c] = [at("2023-01-02T10:00:00Z"), at("2024-03-29T15:00:00Z"), at("2025-07-01T12:00:00Z")];
    const bc = cal.duration(b, c);
    const ab = cal.duration(a, b);
    expect(cal.duration(a, c)).toBe(ab + bc);
    expect(new WorkingCalendar({ timeZone: "Europe/Berlin" }).duration(a, c)).toBe(ab + bc);
  });

  it("rejects a bad configuration with the field named", () => {
    const bad = BusinessCalendarConfigSchema.safeParse({ timeZone: "Mars/Olympus", workingHours: [{ start: "17:00", end: "09:00" }] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["timeZone", "workingHours.0"]));
  });
});

describe("createCalendar", () => {
  it("measures elapsed time without a config or when disabled, keeping the zone", () => {
    expect(createCalendar()).toBeInstanceOf(ElapsedCalendar);
    const off = createCalendar({ enabled: false, timeZone: "Asia/Tokyo" });
    expect(off.describe()).toMatchObject({ mode: "elapsed", timeZone: "Asia/Tokyo", dayMs: 24 * HOUR });
    expect(off.duration(at("2024-03-09T00:00:00Z"), at("2024-03-10T00:00:00Z"))).toBe(24 * HOUR);
    expect(createCalendar({ timeZone: "UTC" }).describe().mode).toBe("business");
  });
});

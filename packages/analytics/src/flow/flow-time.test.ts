import { describe, expect, it } from "vitest";
import { ElapsedCalendar, WorkingCalendar } from "../calendar/working-calendar.js";
import { HOUR, item, itemWithHistory } from "../testing/fixtures.js";
import { completedAt } from "./completion.js";
import { cycleTime, leadTime } from "./flow-time.js";

const elapsed = new ElapsedCalendar();

describe("cycleTime and leadTime", () => {
  const paused = itemWithHistory([
    ["2024-03-11T00:00:00Z", "todo"],
    ["2024-03-11T10:00:00Z", "in_progress"],
    ["2024-03-11T14:00:00Z", "todo"], // paused overnight: not counted
    ["2024-03-12T10:00:00Z", "in_progress"],
    ["2024-03-12T12:00:00Z", "in_review"],
    ["2024-03-12T15:00:00Z", "done"],
  ]);

  it("counts only in_progress/in_review time, excluding paused intervals", () => {
    expect(cycleTime(paused, elapsed)).toBe(4 * HOUR + 2 * HOUR + 3 * HOUR);
    expect(leadTime(paused, elapsed)).toBe(39 * HOUR);
  });

  it("adds a reopened item's new active time and completes it at its last close", () => {
    const reopened = itemWithHistory([
      ["2024-03-11T00:00:00Z", "todo"],
      ["2024-03-11T10:00:00Z", "in_progress"],
      ["2024-03-11T14:00:00Z", "done"],
      ["2024-03-12T09:00:00Z", "in_progress"],
      ["2024-03-12T11:00:00Z", "done"],
    ]);
    expect(completedAt(reopened)).toBe(Date.parse("2024-03-12T11:00:00Z"));
    expect(cycleTime(reopened, elapsed)).toBe(6 * HOUR);
    expect(leadTime(reopened, elapsed)).toBe(35 * HOUR);
  });

  it("falls back to startedAt → closedAt without history, and gives null when nothing tells", () => {
    const dated = item({ statusCategory: "done", startedAt: "2024-03-11T08:00:00Z", closedAt: "2024-03-11T20:00:00Z" });
    expect(cycleTime(dated, elapsed)).toBe(12 * HOUR);
    expect(cycleTime(item({ statusCategory: "done", closedAt: "2024-03-11T20:00:00Z" }), elapsed)).toBeNull();
    expect(leadTime(item({ statusCategory: "done", closedAt: null }), elapsed)).toBeNull();
  });

  it("is null for open and cancelled items", () => {
    expect(cycleTime(itemWithHistory([["2024-03-11T00:00:00Z", "in_progress"]]), elapsed)).toBeNull();
    expect(leadTime(itemWithHistory([["2024-03-11T00:00:00Z", "todo"], ["2024-03-11T01:00:00Z", "cancelled"]]), elapsed)).toBeNull();
  });

  it("measures working time when the business calendar is on (weekend and holiday skipped)", () => {
    const cal = new WorkingCalendar({ timeZone: "UTC", holidays: ["2024-03-11"] });
    const overWeekend = itemWithHistory([
      ["2024-03-08T15:00:00Z", "todo"],
      ["2024-03-08T16:00:00Z", "in_progress"], // Fri 16:00
      ["2024-03-12T10:00:00Z", "done"], // Tue 10:00 after a Monday holiday
    ]);
    expect(cycleTime(overWeekend, cal)).toBe(2 * HOUR);
    expect(leadTime(overWeekend, cal)).toBe(3 * HOUR);
  });
});

import type { WorkItem } from "@pmo/contracts";
import type { DurationCalendar } from "../calendar/working-calendar.js";
import type { MsPeriod } from "../context/period.js";
import { completedAt, isOpen } from "../flow/completion.js";
import { cycleTime, leadTime } from "../flow/flow-time.js";
import { distribution } from "../stats/distribution.js";
import type { FlowTime } from "../types/metrics.js";
import { inPeriod } from "./throughput.js";

type Measure = (item: WorkItem, calendar: DurationCalendar) => number | null;

/** A flow time over the items completed in the period; open items are counted, never averaged. */
function flowTime(items: readonly WorkItem[], period: MsPeriod, calendar: DurationCalendar, measure: Measure): FlowTime {
  const values: number[] = [];
  let withoutData = 0;
  let openExcluded = 0;
  for (const item of items) {
    if (isOpen(item)) openExcluded++;
    if (!inPeriod(completedAt(item), period)) continue;
    const value = measure(item, calendar);
    if (value === null) withoutData++;
    else values.push(value);
  }
  return { unit: "ms", distribution: distribution(values), withoutData, openExcluded };
}

export const leadTimes = (items: readonly WorkItem[], period: MsPeriod, calendar: DurationCalendar): FlowTime =>
  flowTime(items, period, calendar, leadTime);
export const cycleTimes = (items: readonly WorkItem[], period: MsPeriod, calendar: DurationCalendar): FlowTime =>
  flowTime(items, period, calendar, cycleTime);

/** The cycle time of each item that has one, for distribution charts. */
export function cycleTimeSamples(items: readonly WorkItem[], calendar: DurationCalendar): number[] {
  return items.map((i) => cycleTime(i, calendar)).filter((v): v is number => v !== null);
}

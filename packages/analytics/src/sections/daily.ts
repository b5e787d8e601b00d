import type { WorkItem } from "@pmo/contracts";
import { addLocalDays, toInstant } from "../calendar/zone-time.js";
import type { AnalysisContext } from "../context/analysis-context.js";
import { previousWorkingDayStart, startOfToday } from "../context/period.js";
import { toBrief } from "../flow/brief.js";
import { completedAt } from "../flow/completion.js";
import { blockedItems } from "../metrics/blocked.js";
import { overdueItems } from "../metrics/due.js";
import { inPeriod } from "../metrics/throughput.js";
import { isInProgress, UNASSIGNED } from "../metrics/wip.js";
import type { ItemBrief } from "../types/common.js";
import type { DueItem } from "../types/metrics.js";
import type { DailySections, PersonStandup } from "../types/sections.js";

/**
 * The standup: "yesterday" runs from the start of the previous working day to the start of today
 * (so Monday's standup covers Friday and anything done over the weekend).
 */
export function dailySections(items: readonly WorkItem[], ctx: AnalysisContext): DailySections {
  const zone = ctx.calendar.timeZone;
  const todayStart = startOfToday(ctx.nowMs, ctx.calendar);
  const yesterday = { start: previousWorkingDayStart(ctx.nowMs, ctx.calendar), end: todayStart };
  const today = { start: todayStart, end: addLocalDays(todayStart, 1, zone) };
  const doneYesterday = items.filter((i) => inPeriod(completedAt(i), yesterday)).map(toBrief);
  const inProgress = items.filter(isInProgress).map(toBrief);
  const blocked = blockedItems(items, ctx);
  const due = overdueItems(items, ctx);
  const dueLaterToday = items
    .filter((i) => i.dueAt !== null && Date.parse(i.dueAt) >= ctx.nowMs && Date.parse(i.dueAt) < today.end && i.statusCategory !== "done" && i.statusCategory !== "cancelled")
    .map((i) => ({ item: toBrief(i), overdueMs: -ctx.calendar.duration(ctx.nowMs, Date.parse(i.dueAt!)) }));
  const dueToday = [...due.filter((d) => Date.parse(d.item.dueAt!) >= todayStart), ...dueLaterToday];
  const overdue = due.filter((d) => Date.parse(d.item.dueAt!) < todayStart);
  return {
    type: "daily",
    yesterday: { start: toInstant(yesterday.start), end: toInstant(yesterday.end) },
    today: { start: toInstant(today.start), end: toInstant(today.end) },
    doneYesterday,
    inProgress,
    blocked,
    dueToday,
    overdue,
    perPerson: perPerson(doneYesterday, inProgress, blocked.map((b) => b.item), [...dueToday, ...overdue]),
  };
}

function perPerson(done: ItemBrief[], inProgress: ItemBrief[], blocked: ItemBrief[], due: DueItem[]): PersonStandup[] {
  const people = new Map<string, PersonStandup>();
  const add = (list: keyof Omit<PersonStandup, "assignee">, item: ItemBrief): void => {
    for (const who of item.assignees.length ? item.assignees : [UNASSIGNED]) {
      let p = people.get(who);
      if (!p) people.set(who, (p = { assignee: who, doneYesterday: [], inProgress: [], blocked: [], dueTodayOrOverdue: [] }));
      p[list].push(item);
    }
  };
  done.forEach((i) => add("doneYesterday", i));
  inProgress.forEach((i) => add("inProgress", i));
  blocked.forEach((i) => add("blocked", i));
  due.forEach((d) => add("dueTodayOrOverdue", d.item));
  return [...people.values()].sort((a, b) => a.assignee.localeCompare(b.assignee));
}

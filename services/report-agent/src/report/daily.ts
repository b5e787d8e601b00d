import type { DailySections } from "@pmo/analytics";
import { loadChart } from "./charts.js";
import { table, right } from "./document.js";
import { formatDay } from "./format.js";
import { blockedTable, dueTable, itemTable, keyCell, titleCell } from "./items.js";
import { chartBlock, count, section, type ReportKind } from "./report-kind.js";

/** Daily standup: done yesterday, in progress, blocked, due today / overdue, per person. */
export const dailyReport: ReportKind<DailySections> = {
  title: (s) => `Daily standup, ${formatDay(s.today.start)}`,
  headline: (s) => [
    count("done-yesterday", "Done yesterday", s.doneYesterday.length),
    count("in-progress", "In progress", s.inProgress.length),
    count("blocked", "Blocked", s.blocked.length),
    count("due-today", "Due today", s.dueToday.length),
    count("overdue", "Overdue", s.overdue.length),
  ],
  charts: (s) => [loadChart("load", s.perPerson.map((p) => ({ person: p.assignee, count: p.inProgress.length })))],
  sections: (s, json, mode) => [
    section("per-person", "Per person", [
      table(
        ["Person", right("Done yesterday"), right("In progress"), right("Blocked"), right("Due today / overdue")],
        s.perPerson.map((p) => [{ text: p.assignee }, { text: String(p.doneYesterday.length) }, { text: String(p.inProgress.length) }, { text: String(p.blocked.length) }, { text: String(p.dueTodayOrOverdue.length) }]),
        "Nobody has assigned work.",
      ),
      ...chartBlock(json, "load"),
    ]),
    section("done-yesterday", `Done yesterday (${formatDay(s.yesterday.start)})`, [itemTable(s.doneYesterday, "Nothing was completed yesterday.")]),
    section("in-progress", "In progress", [itemTable(s.inProgress, "Nothing is in progress.")]),
    section("blocked", "Blocked", [blockedTable(s.blocked, mode, "Nothing is blocked.")]),
    section("due-today", "Due today", [dueTable(s.dueToday, mode, "Nothing is due today.")]),
    section("overdue", "Overdue", [dueTable(s.overdue, mode, "Nothing is overdue.")]),
    ...s.perPerson
      .filter((p) => p.doneYesterday.length + p.inProgress.length + p.blocked.length + p.dueTodayOrOverdue.length > 0)
      .map((p, i) =>
        section(`person-${i + 1}`, `Standup: ${p.assignee}`, [
          table(
            ["", "Item", "Title"],
            [
              ...p.doneYesterday.map((x) => [{ text: "done yesterday" }, keyCell(x), titleCell(x)]),
              ...p.inProgress.map((x) => [{ text: "in progress" }, keyCell(x), titleCell(x)]),
              ...p.blocked.map((x) => [{ text: "blocked" }, keyCell(x), titleCell(x)]),
              ...p.dueTodayOrOverdue.map((x) => [{ text: "due / overdue" }, keyCell(x), titleCell(x)]),
            ],
            "Nothing to report.",
          ),
        ]),
      ),
  ],
};

import { describe, expect, it } from "vitest";
import { WorkItemSchema } from "@pmo/contracts";
import { normaliseTask } from "./normalise.js";
import { clickUpSettings } from "./settings.js";
import { StatusCategorizer } from "./status-category.js";
import { statusHistory } from "./status-history.js";
import type { ClickUpTask } from "./task-shape.js";
import type { TaskTimeInStatus } from "./time-in-status.js";

const categorizer = new StatusCategorizer(clickUpSettings({ baseUrl: "http://x", tokenEnv: "T", rateLimit: {}, timeoutMs: 1000 }));
const iso = (ms: number) => new Date(ms).toISOString();

/** Task 20bbn28 of CU-OAS GetBulkTasks'TimeinStatus, verbatim: back in "open" after "active status #2". */
const SPEC_EXAMPLE: TaskTimeInStatus = {
  current_status: { status: "open", color: "#d3d3d3", total_time: { by_minute: 21830, since: "1604004420925" } },
  status_history: [
    { status: "open", color: "#d3d3d3", type: "open", total_time: { by_minute: 22276, since: "1604004420925" }, orderindex: 0 },
    { status: "active status #2", color: "#5CF1D4", type: "custom", total_time: { by_minute: 40109, since: "1601597828835" }, orderindex: 4 },
  ],
};

describe("status history from ClickUp's time in status", () => {
  it("orders the latest entry of each status in time (the response lists them in board order), each from the one before", () => {
    expect(statusHistory(SPEC_EXAMPLE, { status: "open", type: "open" }, categorizer)).toEqual([
      { at: iso(1601597828835), from: null, to: "active status #2", fromCategory: null, toCategory: "in_progress", by: null },
      { at: iso(1604004420925), from: "active status #2", to: "open", fromCategory: "in_progress", toCategory: "todo", by: null },
    ]);
  });

  it("adds the current status when the history leaves it out, typed from the task's own status; ties keep board order", () => {
    const record: TaskTimeInStatus = {
      current_status: { status: "shipping", total_time: { by_minute: 3, since: "3000" } },
      status_history: [
        { status: "in review", type: "custom", total_time: { by_minute: 1, since: "2000" }, orderindex: 3 },
        { status: "to do", type: "open", total_time: { by_minute: 1, since: "2000" }, orderindex: 1 },
      ],
    };
    const history = statusHistory(record, { status: "shipping", type: "closed" }, categorizer);
    expect(history.map((t) => [t.from, t.to, t.toCategory])).toEqual([
      [null, "to do", "todo"],
      ["to do", "in review", "in_review"],
      ["in review", "shipping", "done"],
    ]);
  });

  it("yields nothing from a missing or malformed record (entries without a status or a ms `since` are skipped)", () => {
    const current = { status: "open", type: "open" };
    expect(statusHistory(undefined, current, categorizer)).toEqual([]);
    expect(statusHistory("nonsense" as unknown as TaskTimeInStatus, current, categorizer)).toEqual([]);
    expect(statusHistory({ status_history: [{ status: "open", total_time: { since: "soon" } }, { total_time: { since: "5" } }] }, current, categorizer)).toEqual([]);
  });
});

describe("normaliseTask with and without time in status", () => {
  const ctx = { lists: new Map(), categorizer, timeSpent: null };
  const task: ClickUpTask = {
    id: "20bbn28",
    name: "Example",
    status: { status: "open", type: "open", orderindex: 0 },
    date_created: "1601597828835",
    date_updated: "1604004420925",
    start_date: "1601000000000",
    list: { id: "1" },
  };

  it("takes history from the record and startedAt from its first entry into in_progress", () => {
    const item = normaliseTask({ ...task, pmo_time_in_status: SPEC_EXAMPLE }, ctx);
    expect(item.history.map((t) => t.to)).toEqual(["active status #2", "open"]);
    expect(item.startedAt).toBe(iso(1601597828835));
  });

  it("falls back to today's behaviour without it: no history, startedAt from start_date", () => {
    const item = normaliseTask(task, ctx);
    expect(item.history).toEqual([]);
    expect(item.startedAt).toBe(iso(1601000000000));
    // A history that never reached in_progress keeps the start date too.
    const never = normaliseTask({ ...task, pmo_time_in_status: { status_history: [{ status: "open", type: "open", total_time: { since: "1601597828835" } }] } }, ctx);
    expect(never.history).toHaveLength(1);
    expect(never.startedAt).toBe(iso(1601000000000));
  });

  it("hands back exactly what WorkItemSchema accepts (it returns its checked candidate, not zod's copy)", () => {
    const item = normaliseTask({ ...task, pmo_time_in_status: SPEC_EXAMPLE, assignees: [{ id: 7, username: "ada" }], tags: [{ name: "ui" }], points: 3, due_date: "1605000000000" }, ctx);
    expect(WorkItemSchema.parse(item)).toStrictEqual(item);
    expect(() => normaliseTask({ ...task, date_updated: "yesterday" }, ctx)).toThrow(/date_updated/);
  });
});

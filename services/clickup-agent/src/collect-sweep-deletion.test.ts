/**
 * clickup-agent's collect handler in process, a sweep (every list in full, compared with the last
 * snapshots) while a task is deleted: its list's pages shift back by one once the first is read,
 * so the task at the second page's edge is never listed. It must not be reported deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectedData } from "@pmo/contracts";
import type { ClickUpTask, TaskPage } from "./task-shape.js";
import { TASKS_PER_PAGE } from "./task-shape.js";
import { startInProcessCollect, type InProcessCollect } from "./testing/in-process-collect.js";

let run: InProcessCollect;

beforeAll(async () => {
  // Every run after the first is a sweep.
  run = await startInProcessCollect({ seed: 23, items: 1500, config: { fullSweepEveryRuns: 1 }, sampleEvery: 1_000_000 });
}, 60_000);

afterAll(async () => {
  await run?.close();
});

/** A list's page as the agent asks for it (creation order, closed tasks and subtasks included). */
const page = (listId: string, n: number) =>
  run.client.get<TaskPage>("/list/:list_id/task", `/list/${listId}/task`, { include_closed: true, subtasks: true, archived: false, order_by: "created", page: n });

describe("ClickUp's sweep", () => {
  it("does not report deleted the task that a deletion while the lists are paged made it skip", async () => {
    await run.collect("sweep-deletion-first");
    const size = (id: string) => run.sandbox.truth.items.clickup.filter((t) => t.deletedAt === null && t.container === id).length;
    const list = run.listIds().sort((a, b) => size(b) - size(a))[0]!;
    const [first, second] = await Promise.all([page(list, 0), page(list, 1)]);
    expect(first.tasks).toHaveLength(TASKS_PER_PAGE);
    const doomed = first.tasks.find((t) => String(t.list?.id) === list && !t.parent && !first.tasks.some((o: ClickUpTask) => o.parent === t.id))!;
    const skipped = second.tasks[0]!;

    // Both of the list's first pages answer late; once the first is in, the task on it is deleted.
    run.sandbox.control.addFault("clickup", { kind: "slow", match: `/list/${list}/task`, count: 2, delayMs: 400 });
    const mark = run.sandbox.control.requests("clickup").length;
    const sweeping = run.collect("sweep-deletion");
    // The log has paths as ClickUp serves them, under /api/v2.
    const firstPage = (e: { url: string }) => e.url.includes(`/list/${list}/task?`) && /[?&]page=0(&|$)/.test(e.url);
    while (!run.sandbox.control.requests("clickup").slice(mark).some(firstPage)) await new Promise((r) => setTimeout(r, 2));
    run.sandbox.control.mutate({ platform: "clickup", id: doomed.id, container: list, delete: true });
    const outcome = await sweeping;
    run.sandbox.control.clearFaults("clickup");
    expect(outcome.output).toMatchObject({ mode: "full", errors: 0 });

    const log = run.sandbox.control.requests("clickup").slice(mark);
    expect(log.some((e) => /\/task\/([^/?]+)(\?|$)/.exec(e.url)?.[1] === skipped.id), "the unlisted task was asked for").toBe(true);
    const data = await run.readJson<CollectedData>("sweep-deletion", "data/clickup-collected.json");
    expect(data.items.some((i) => i.ref.id === skipped.id)).toBe(true);
    // The deleted task was listed before it went: collected this time, reported by the next run.
    expect(data.deleted).toEqual([]);
  }, 60_000);
});

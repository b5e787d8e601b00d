/**
 * clickup-agent's collect handler in process against the sandbox's ClickUp emulator over real HTTP
 * and a real nats-server: the collected output is the lists' next snapshot (stored once, named by
 * each list's cursor with its digest), and an output rewritten since is no snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectedData } from "@pmo/contracts";
import { startInProcessCollect, type InProcessCollect } from "./testing/in-process-collect.js";

let run: InProcessCollect;
const live = () => run.sandbox.truth.items.clickup.filter((t) => t.deletedAt === null);
const ids = (data: CollectedData) => data.items.map((i) => i.ref.id).sort();

beforeAll(async () => {
  run = await startInProcessCollect({ seed: 17, items: 150, config: {}, sampleEvery: 1_000 });
}, 60_000);

afterAll(async () => {
  await run?.close();
});

describe("ClickUp's snapshots are its collected outputs", () => {
  it("a first run stores the data once: every list's cursor names the output, and no snapshot copy is written", async () => {
    const outcome = await run.collect("ref-first");
    expect(outcome.output).toMatchObject({ mode: "full", items: live().length });
    const output = outcome.artifacts!.find((a) => a.path === "data/clickup-collected.json")!;
    const refs = await run.snapshotRefs();
    expect([...refs.keys()]).toEqual(run.listIds());
    for (const ref of refs.values()) expect(ref).toEqual({ workflowId: "ref-first", path: "data/clickup-collected.json", digest: output.digest });
    expect(await run.artifacts.list("_snapshots")).toEqual([]);
  });

  it("each task's raw record is what ClickUp sent for it, with its time in status added", async () => {
    const data = await run.readJson<CollectedData>("ref-first", "data/clickup-collected.json");
    const raw = new Map(data.items.map((i) => [i.ref.id, i.raw as Record<string, unknown>]));
    const listId = run.listIds()[0]!;
    const res = await fetch(`${run.sandbox.urls.clickup}/list/${listId}/task?include_closed=true&subtasks=true&archived=false&order_by=created&page=0`, { headers: { authorization: run.sandbox.credentials.clickupToken } });
    const { tasks } = (await res.json()) as { tasks: { id: string }[] };
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) {
      const { pmo_time_in_status: timeInStatus, ...sent } = raw.get(task.id)!;
      expect(sent, task.id).toEqual(task);
      expect(timeInStatus, task.id).toMatchObject({ current_status: expect.any(Object) });
    }
  });

  it("the next run merges into it: only the changed task is fetched, the rest come from the output", async () => {
    const changed = live()[3]!;
    run.sandbox.control.mutate({ platform: "clickup", id: changed.id, fields: { title: "Changed after the first run" } });
    const outcome = await run.collect("ref-second");
    expect(outcome.output).toMatchObject({ mode: "incremental", items: live().length, fullLists: 0 });
    // The changed task, and the first run's newest one again (the query overlaps by the clock skew).
    expect((outcome.output as { fetched: number }).fetched).toBeGreaterThanOrEqual(1);
    expect((outcome.output as { fetched: number }).fetched).toBeLessThanOrEqual(2);
    const data = await run.readJson<CollectedData>("ref-second", "data/clickup-collected.json");
    expect(ids(data)).toEqual(live().map((t) => t.id).sort());
    expect(data.items.find((i) => i.ref.id === changed.id)!.title).toBe("Changed after the first run");
  });

  it("an output rewritten since its run (a retried job) is no snapshot: the lists are fetched in full", async () => {
    const before = [...(await run.snapshotRefs()).values()][0]!;
    const data = await run.readJson<CollectedData>("ref-second", "data/clickup-collected.json");
    // The same path, other bytes: what a retry of that job would leave.
    await run.artifacts.put("ref-second", "data/clickup-collected.json", JSON.stringify({ ...data, items: data.items.slice(1) }));
    const outcome = await run.collect("ref-third");
    expect(outcome.output).toMatchObject({ mode: "full", items: live().length, fullLists: run.listIds().length });
    expect(ids(await run.readJson<CollectedData>("ref-third", "data/clickup-collected.json"))).toEqual(live().map((t) => t.id).sort());
    expect([...(await run.snapshotRefs()).values()][0]).not.toEqual(before);
  });
});

/**
 * clickup-agent's collect handler in process, every run a full sweep (`fullSweepEveryRuns: 1`),
 * against the sandbox's ClickUp emulator over real HTTP and a real nats-server, with the snapshot
 * store watched: a sweep after some tasks changed holds the previous snapshots' entries a few at a
 * time, never the workspace, and still reports exactly the events a comparison of every emitted
 * item with its previous version gives, in emission order, deletions last. Every entry the store
 * hands out is watched through weak references; a forced garbage collection, every few entries read
 * or written, tells how many of them are still held by anyone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectedData, PlatformEvent, WorkItem } from "@pmo/contracts";
import { fullComparisonEvents } from "./testing/full-comparison.js";
import { startInProcessCollect, type InProcessCollect } from "./testing/in-process-collect.js";
import { SNAPSHOT_ENTRIES } from "../../../test/harness/watched-snapshot-store.js";

/** Entries in hand at once when they stream: the one being read and the one before it, with some slack. */
const HELD_BOUND = 4;

let run: InProcessCollect;
const live = () => run.sandbox.truth.items.clickup.filter((t) => t.deletedAt === null);

beforeAll(async () => {
  // Every run a full sweep: the first run has no cursor, and each later one is its list's 1st since the last full one.
  run = await startInProcessCollect({ seed: 31, items: 300, config: { fullSweepEveryRuns: 1 }, sampleEvery: 10 });
}, 60_000);

afterAll(async () => {
  await run?.close();
});

type EventsFile = { collectedAt: string; mode: string; events: PlatformEvent[] };

describe("ClickUp's full sweep and the previous snapshots", () => {
  /** The first run's items: the previous versions the sweep compares with. */
  let previous: Map<string, WorkItem>;

  it("first run: every list in full, no events (there is nothing to compare with)", async () => {
    const outcome = await run.collect("sweep-first");
    expect(outcome.output).toMatchObject({ mode: "full", items: live().length, errors: 0, fullLists: run.listIds().length });
    const data = await run.readJson<CollectedData>("sweep-first", "data/clickup-collected.json");
    previous = new Map(data.items.map((i) => [i.ref.id, i]));
    expect((await run.readJson<EventsFile>("sweep-first", "monitoring/clickup-events.json")).events).toEqual([]);
  });

  it("the watch sees the snapshots held whole (control: the measurement can fail)", async () => {
    run.snapshots.reset();
    const refs = await run.snapshotRefs();
    expect([...refs.keys()]).toEqual(run.listIds());
    const whole = [];
    for await (const entry of run.snapshots.entries(refs)) whole.push(entry);
    expect(whole).toHaveLength(live().length);
    expect((await run.heap.sample()).get(SNAPSHOT_ENTRIES)).toBeGreaterThanOrEqual(whole.length);
    expect(whole.length).toBe(live().length); // `whole` stays alive up to here
  });

  it("a sweep after changes holds a few previous entries at a time and reports exactly the full comparison's events, in emission order", async () => {
    const blocks = (id: string) => live().some((o) => o.parentId === id || o.blockedBy.includes(id));
    const [moved, edited] = live().slice(5, 7);
    const gone = live().find((t) => t.id !== moved!.id && t.id !== edited!.id && !blocks(t.id))!;
    run.sandbox.control.mutate({ platform: "clickup", id: moved!.id, status: moved!.status === "done" ? "in_progress" : "done" });
    run.sandbox.control.mutate({ platform: "clickup", id: edited!.id, fields: { title: "Renamed before the sweep", priority: "urgent" } });
    run.sandbox.control.mutate({ platform: "clickup", id: gone.id, delete: true });
    const created = await run.client.call<{ id: string }>({ method: "POST", endpoint: "POST /list/:list_id/task", path: `/list/${run.listIds()[0]}/task`, body: { name: "Created before the sweep" } });

    run.snapshots.reset();
    const outcome = await run.collect("sweep-second");
    expect(outcome.output).toMatchObject({ mode: "full", items: live().length, deleted: 1, errors: 0, fullLists: run.listIds().length });
    const data = await run.readJson<CollectedData>("sweep-second", "data/clickup-collected.json");
    const file = await run.readJson<EventsFile>("sweep-second", "monitoring/clickup-events.json");

    expect(file.events).toEqual(fullComparisonEvents(previous, data.items, [gone.id], file.collectedAt));
    // And that is what the test did, nothing else.
    const order = new Map(data.items.map((i, k) => [i.ref.id, k]));
    const changed = [`status.changed ${moved!.id}`, `item.updated ${edited!.id}`, `item.created ${created.id}`].sort((a, b) => order.get(a.split(" ")[1]!)! - order.get(b.split(" ")[1]!)!);
    expect(file.events.map((e) => `${e.type} ${e.itemRef?.id}`)).toEqual([...changed, `item.deleted ${gone.id}`]);
    expect(file.events.find((e) => e.itemRef?.id === edited!.id)!.changes.map((c) => c.field)).toEqual(["title", "priority"]);

    // Each previous entry was read (for its stamp, then up to the last changed one), never more than a few at once.
    expect(run.snapshots.handedOut).toBeGreaterThanOrEqual(previous.size);
    expect(run.heap.maxHeld(SNAPSHOT_ENTRIES)).toBeLessThanOrEqual(HELD_BOUND);
  }, 60_000);
});

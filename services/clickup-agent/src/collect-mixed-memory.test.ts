/**
 * clickup-agent's collect handler in process, on a run that mixes full and incremental lists: a
 * list added to the configured ones since the last run and lists whose periodic sweep is due are
 * fetched in full, the others incrementally, while tasks change, move between lists of either kind,
 * and one is deleted. The run gives the ground truth, exactly the events a comparison of every
 * emitted item with its previous version gives, and streams the full lists: their raw tasks are
 * never all alive at once. Every raw task a list's page hands over is watched through a weak
 * reference; a forced garbage collection, every few snapshot entries read or written, tells how
 * many of them are still held by anyone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectedData, PlatformEvent, WorkItem } from "@pmo/contracts";
import type { TruthItem } from "@pmo/sandbox";
import { cursorKey, type ListCursor } from "./list-cursor.js";
import { listTasks } from "./task-pages.js";
import { TASKS_PER_PAGE } from "./task-shape.js";
import { fullComparisonEvents } from "./testing/full-comparison.js";
import { startInProcessCollect, type InProcessCollect } from "./testing/in-process-collect.js";
import { LIST_PAGE_TASKS } from "./testing/watched-client.js";

/**
 * Pages in hand at once with one list's pages fetched at a time (`concurrency: 1`): the page being
 * emitted and the next one, with some slack. (A single fetcher seldom gets ahead of the emission;
 * collect-page-backpressure.test.ts checks the bound that holds with several.)
 */
const PAGES_HELD_BOUND = 3;
/** The lists whose sweep the test makes due: the largest (the first is longer than PAGES_HELD_BOUND pages). */
const SWEPT_LISTS = 7;

let run: InProcessCollect;
const live = () => run.sandbox.truth.items.clickup.filter((t) => t.deletedAt === null);
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  run = await startInProcessCollect({ seed: 31, items: 3000, config: { concurrency: 1 }, sampleEvery: 100 });
}, 60_000);

afterAll(async () => {
  await run?.close();
});

type EventsFile = { collectedAt: string; mode: string; events: PlatformEvent[] };

describe("ClickUp's collection mixing full and incremental lists", () => {
  const size = (listId: string) => live().filter((t) => t.container === listId).length;
  /** The configured lists by size, largest first; the smallest non-empty one is added to the configuration later. */
  let bySize: string[];
  let added: string;
  let swept: string[];
  let incremental: string[];
  /** The first run's items: the previous versions the mixed run compares with. */
  let previous: Map<string, WorkItem>;

  it("first run, over every list but one: every list in full", async () => {
    bySize = run.listIds().sort((a, b) => size(b) - size(a));
    added = bySize.filter((id) => size(id) > 0).at(-1)!;
    swept = bySize.slice(0, SWEPT_LISTS);
    incremental = bySize.filter((id) => id !== added && !swept.includes(id));
    const outcome = await run.collect("mixed-first", run.listIds().filter((id) => id !== added));
    expect(outcome.output).toMatchObject({ mode: "full", errors: 0, fullLists: run.listIds().length - 1 });
    const data = await run.readJson<CollectedData>("mixed-first", "data/clickup-collected.json");
    previous = new Map(data.items.map((i) => [i.ref.id, i]));
  }, 60_000);

  it("the watch sees a list's pages held whole (control: the measurement can fail)", async () => {
    run.heap.reset();
    const held: unknown[] = [];
    await listTasks(run.client, swept[0]!, (tasks) => void held.push(...tasks));
    expect(held.length).toBeGreaterThan(TASKS_PER_PAGE);
    expect((await run.heap.sample()).get(LIST_PAGE_TASKS)).toBeGreaterThanOrEqual(held.length);
    expect(held).toHaveLength(size(swept[0]!)); // `held` stays alive up to here
  });

  it("a mixed run streams the full lists, gives the ground truth and exactly the full comparison's events", async () => {
    // Tasks moved between lists carry no parent and no subtasks (ClickUp keeps a subtask in its parent's list).
    const movable = (listId: string, skip = 0) => live().filter((t) => t.container === listId && t.parentId === null && !live().some((o) => o.parentId === t.id))[skip]!;
    const blocks = (id: string) => live().some((o) => o.parentId === id || o.blockedBy.includes(id));
    const statusMoved = movable(incremental[0]!);
    const edited = movable(incremental[1]!);
    const sweptChanged = movable(swept[1]!);
    const intoFull = movable(incremental[2]!);
    const outOfFull = movable(swept[0]!);
    const intoAdded = movable(incremental[3]!);
    const gone = live().find((t) => t.container === swept[2] && !blocks(t.id))!;
    const otherStatus = (t: TruthItem) => (t.status === "done" ? "in_progress" : "done");
    run.sandbox.control.mutate({ platform: "clickup", id: statusMoved.id, status: otherStatus(statusMoved) });
    run.sandbox.control.mutate({ platform: "clickup", id: edited.id, fields: { title: "Renamed before the mixed run", priority: "urgent" } });
    run.sandbox.control.mutate({ platform: "clickup", id: sweptChanged.id, status: otherStatus(sweptChanged) });
    run.sandbox.control.mutate({ platform: "clickup", id: gone.id, delete: true });
    // The sandbox's API has no move: its truth is edited as ClickUp's UI would (new home list, updated now).
    const move = (t: TruthItem, to: string) => {
      run.sandbox.control.mutate({ platform: "clickup", id: t.id, fields: { title: `${t.title} (moved)` } });
      t.container = to;
    };
    move(intoFull, swept[3]!);
    move(outOfFull, incremental[4]!);
    move(intoAdded, added);
    // The swept lists' sweep is due (their last full fetch is a day old); the added list has none.
    for (const id of swept) {
      const cursor = (await run.cursors.get(cursorKey(id))) as ListCursor;
      await run.cursors.set(cursorKey(id), { ...cursor, lastFullAt: cursor.lastFullAt - run.settings.fullSweepAfterMs });
    }
    const fullTasks = live().filter((t) => t.container === added || swept.includes(t.container)).length;

    run.snapshots.reset();
    const outcome = await run.collect("mixed-second");
    expect(outcome.output).toMatchObject({ mode: "incremental", items: live().length, deleted: 1, errors: 0, fullLists: swept.length + 1 });
    const data = await run.readJson<CollectedData>("mixed-second", "data/clickup-collected.json");
    const file = await run.readJson<EventsFile>("mixed-second", "monitoring/clickup-events.json");

    // The ground truth: every live task once, under its home list, as it is now.
    const truthView = (t: TruthItem) => ({ id: t.id, list: t.container, title: t.title, status: t.status, updatedAt: iso(t.updatedAt) });
    const itemView = (i: WorkItem) => ({ id: i.ref.id, list: i.container.id, title: i.title, status: i.statusCategory, updatedAt: i.updatedAt });
    const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(data.items.map(itemView))).toEqual(byId(live().map(truthView)));
    expect(data.deleted).toEqual([{ platform: "clickup", id: gone.id }]);

    expect(file.events).toEqual(fullComparisonEvents(previous, data.items, [gone.id], file.collectedAt));
    // And that is what the test did, nothing else: the added list's tasks are new to the snapshots.
    const expected = new Map([
      [statusMoved.id, "status.changed"],
      [edited.id, "item.updated title,priority"],
      [sweptChanged.id, "status.changed"],
      [intoFull.id, "item.updated title,container"],
      [outOfFull.id, "item.updated title,container"],
      [intoAdded.id, "item.updated title,container"],
      ...live()
        .filter((t) => t.container === added && t.id !== intoAdded.id)
        .map((t) => [t.id, "item.created"] as const),
    ]);
    const order = new Map(data.items.map((i, k) => [i.ref.id, k]));
    const described = (e: PlatformEvent) => (e.type === "item.updated" ? `${e.type} ${e.changes.map((c) => c.field)}` : e.type);
    expect(file.events.map((e) => [e.itemRef!.id, described(e)])).toEqual([...[...expected].sort(([a], [b]) => order.get(a)! - order.get(b)!), [gone.id, "item.deleted"]]);

    // The full lists streamed: a few pages of their raw tasks alive at once, not all of them, not even the largest list's.
    expect(size(swept[0]!)).toBeGreaterThan(PAGES_HELD_BOUND * TASKS_PER_PAGE);
    expect(fullTasks).toBeGreaterThan(4 * PAGES_HELD_BOUND * TASKS_PER_PAGE);
    expect(run.heap.maxHeld(LIST_PAGE_TASKS)).toBeLessThanOrEqual(PAGES_HELD_BOUND * TASKS_PER_PAGE);
  }, 60_000);

  it("a full collection of the same workspace gives the same items, field for field", async () => {
    const mixed = await run.readJson<CollectedData>("mixed-second", "data/clickup-collected.json");
    for (const id of run.listIds()) await run.cursors.forget(cursorKey(id));
    const outcome = await run.collect("mixed-reference");
    expect(outcome.output).toMatchObject({ mode: "full", fullLists: run.listIds().length });
    const reference = await run.readJson<CollectedData>("mixed-reference", "data/clickup-collected.json");
    // The raw tasks are left out: ClickUp's time in the current status grows by the minute.
    const byId = (items: CollectedData["items"]) => items.map(({ raw: _raw, ...item }) => item).sort((a, b) => a.ref.id.localeCompare(b.ref.id));
    expect(byId(mixed.items)).toEqual(byId(reference.items));
  }, 60_000);
});

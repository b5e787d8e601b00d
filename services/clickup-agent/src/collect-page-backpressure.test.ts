/**
 * clickup-agent's collect handler in process, a full run with the default concurrency over a
 * workspace of thousands of tasks: emitting a page costs more than fetching one, so without a bound
 * the fetchers pile pages up in proportion to the workspace. The raw tasks of every page are watched
 * through weak references (see test/harness/heap-watch.ts); at most MAX_PAGES_HELD pages may be alive
 * at once, however many lists are fetched side by side (a page holds its slot from its request to
 * the end of its emission).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectedData } from "@pmo/contracts";
import { MAX_PAGES_HELD } from "./collect.js";
import { TASKS_PER_PAGE } from "./task-shape.js";
import { startInProcessCollect, type InProcessCollect } from "./testing/in-process-collect.js";
import { LIST_PAGE_TASKS } from "./testing/watched-client.js";

let run: InProcessCollect;

beforeAll(async () => {
  run = await startInProcessCollect({ seed: 17, items: 6000, config: {}, sampleEvery: 100 });
}, 60_000);

afterAll(async () => {
  await run?.close();
});

describe("ClickUp's full collection", () => {
  it("holds at most a bounded number of fetched pages whatever the size of the workspace", async () => {
    const outcome = await run.collect("backpressure");
    expect(outcome.output).toMatchObject({ mode: "full", errors: 0 });
    const data = await run.readJson<CollectedData>("backpressure", "data/clickup-collected.json");
    const live = run.sandbox.truth.items.clickup.filter((t) => t.deletedAt === null).length;
    expect(data.items).toHaveLength(live);
    // Pages being fetched, waiting and being emitted, all of them.
    const bound = MAX_PAGES_HELD * TASKS_PER_PAGE;
    expect(live, "a workspace well beyond the bound").toBeGreaterThan(2 * bound);
    const held = run.heap.maxHeld(LIST_PAGE_TASKS);
    expect(held, "pages are held while they wait (the watch samples as each page arrives)").toBeGreaterThan(TASKS_PER_PAGE);
    expect(held).toBeLessThanOrEqual(bound);
  }, 120_000);
});

import { describe, expect, it } from "vitest";
import type { SnapshotEntry } from "@pmo/platform-agent";
import type { WorkItem } from "@pmo/contracts";
import { mergeSnapshots } from "./snapshot-merge.js";
import type { ClickUpTask } from "./task-shape.js";

const task = (id: string, list: string, updated = 1): ClickUpTask => ({ id, name: id, status: { status: "to do" }, date_created: 1, date_updated: updated, list: { id: list } });
const entry = (id: string, list: string): SnapshotEntry => ({ item: { ref: { platform: "clickup", id }, container: { id: list, name: list, kind: "list" } } as WorkItem, raw: task(id, list) });

/**
 * Runs the merge over in-memory snapshots and returns what was emitted per list. `streamed`: the ids
 * the full lists' pages emitted before the merge.
 */
async function merge(listIds: string[], full: string[], snapshots: Record<string, string[]>, fetched: ClickUpTask[], streamed: string[] = []) {
  const emitted: Record<string, { id: string; fetched: boolean; updated: unknown }[]> = {};
  const outcome = await mergeSnapshots(
    {
      listIds,
      fullyFetched: new Set(full),
      snapshot: (async function* () {
        for (const [listId, ids] of Object.entries(snapshots)) for (const id of ids) yield entry(id, listId);
      })(),
      fetched: new Map(fetched.map((t) => [t.id, t])),
      present: new Set(streamed),
    },
    async (listId, t, isFetched) => void (emitted[listId] ??= []).push({ id: t.id, fetched: isFetched, updated: t.date_updated }),
  );
  const deleted = [...outcome.previousIds].filter((id) => !outcome.present.has(id)).sort();
  return { emitted, deleted, before: [...outcome.before.keys()].sort() };
}

describe("mergeSnapshots", () => {
  it("keeps an incremental list's snapshot and replaces only what changed", async () => {
    const r = await merge(["A"], [], { A: ["a1", "a2"] }, [task("a2", "A", 5)]);
    expect(r.emitted).toEqual({ A: [{ id: "a1", fetched: false, updated: 1 }, { id: "a2", fetched: true, updated: 5 }] });
    expect(r.deleted).toEqual([]);
    expect(r.before).toEqual(["a2"]);
  });

  it("a full list is exactly what its pages emitted before the merge: nothing of its snapshot is emitted, the missing ones are deleted", async () => {
    const r = await merge(["A"], ["A"], { A: ["a1", "a2"] }, [], ["a1"]);
    expect(r.emitted).toEqual({});
    expect(r.deleted).toEqual(["a2"]);
  });

  it("a task that moved from an incremental list into a full one (emitted from its pages) leaves its old list and is not deleted", async () => {
    const r = await merge(["A", "B"], ["A"], { A: ["a1"], B: ["b1", "b2"] }, [], ["a1", "b1"]);
    expect(r.emitted).toEqual({ B: [{ id: "b2", fetched: false, updated: 1 }] });
    expect(r.deleted).toEqual([]);
  });

  it("a task that moved from a full list into an incremental one is emitted under its new list, with its previous item from the full list's snapshot", async () => {
    const r = await merge(["A", "B"], ["A"], { A: ["a1", "a2"], B: ["b1"] }, [task("a2", "B", 5)], ["a1"]);
    expect(r.emitted).toEqual({ B: [{ id: "b1", fetched: false, updated: 1 }, { id: "a2", fetched: true, updated: 5 }] });
    expect(r.deleted).toEqual([]);
    expect(r.before).toEqual(["a2"]);
  });

  it("a fetched task already emitted from a full list's page is not emitted again", async () => {
    const r = await merge(["A", "B"], ["A"], { A: ["a1"], B: ["b1"] }, [task("a1", "A", 5)], ["a1"]);
    expect(r.emitted).toEqual({ B: [{ id: "b1", fetched: false, updated: 1 }] });
    expect(r.deleted).toEqual([]);
  });

  it("a task that moved between configured lists leaves its old list and is not deleted", async () => {
    const r = await merge(["A", "B"], [], { A: ["a1"], B: ["b1"] }, [task("a1", "B")]);
    expect(r.emitted).toEqual({ B: [{ id: "b1", fetched: false, updated: 1 }, { id: "a1", fetched: true, updated: 1 }] });
    expect(r.deleted).toEqual([]);
  });

  it("a task fetched under a list that is not configured is not emitted, and its old entry counts as gone", async () => {
    const r = await merge(["A"], [], { A: ["a1"] }, [task("a1", "Z")]);
    expect(r.emitted).toEqual({});
    expect(r.deleted).toEqual(["a1"]);
  });
});

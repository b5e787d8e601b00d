import { describe, expect, it } from "vitest";
import type { SnapshotEntry } from "@pmo/platform-agent";
import type { WorkItem } from "@pmo/contracts";
import { mergeSnapshots } from "./snapshot-merge.js";
import type { ClickUpTask } from "./task-shape.js";

const task = (id: string, list: string, updated = 1): ClickUpTask => ({ id, name: id, status: { status: "to do" }, date_created: 1, date_updated: updated, list: { id: list } });
const entry = (id: string, list: string): SnapshotEntry => ({ item: { ref: { platform: "clickup", id } } as WorkItem, raw: task(id, list) });
const snap = (list: string, ...ids: string[]) => new Map(ids.map((id) => [id, entry(id, list)]));
const ids = (m: Map<string, unknown> | undefined) => [...(m?.keys() ?? [])].sort();

describe("mergeSnapshots", () => {
  it("keeps an incremental list's snapshot and replaces only what changed", () => {
    const merged = mergeSnapshots(["A"], new Set(), new Map([["A", snap("A", "a1", "a2")]]), new Map([["a2", task("a2", "A", 5)]]));
    expect(ids(merged.lists.get("A"))).toEqual(["a1", "a2"]);
    expect(merged.lists.get("A")!.get("a2")).toMatchObject({ item: null, raw: { date_updated: 5 } });
    expect(merged.deleted).toEqual([]);
  });

  it("a full list is exactly what came back: the missing ones are deleted", () => {
    const merged = mergeSnapshots(["A"], new Set(["A"]), new Map([["A", snap("A", "a1", "a2")]]), new Map([["a1", task("a1", "A")]]));
    expect(ids(merged.lists.get("A"))).toEqual(["a1"]);
    expect(merged.deleted).toEqual([{ platform: "clickup", id: "a2" }]);
  });

  it("a task that moved between configured lists leaves its old list and is not deleted", () => {
    const merged = mergeSnapshots(["A", "B"], new Set(), new Map([["A", snap("A", "a1")], ["B", snap("B", "b1")]]), new Map([["a1", task("a1", "B")]]));
    expect(ids(merged.lists.get("A"))).toEqual([]);
    expect(ids(merged.lists.get("B"))).toEqual(["a1", "b1"]);
    expect(merged.deleted).toEqual([]);
  });
});

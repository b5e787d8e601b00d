import { describe, expect, it, vi } from "vitest";
import type { WorkItem } from "@pmo/contracts";
import { ArtifactStore } from "@pmo/runtime";
import { natsWithTopology } from "../../../test/harness/nats-fixture.js";
import { CollectedSnapshots, type SnapshotRef } from "./collected-snapshots.js";
import { collectedEntries, CollectedWriter } from "./collected-writer.js";

function item(id: string, list: string, title = `Task ${id}`): WorkItem {
  const at = "2026-01-01T00:00:00.000Z";
  return {
    ref: { platform: "clickup", id }, key: `CU-${id}`, url: `https://app.clickup.com/t/${id}`, title, kind: "task", status: "to do", statusCategory: "todo", priority: "none",
    assignees: [], labels: [], container: { id: list, name: list, kind: "list" }, iteration: null, createdAt: at, updatedAt: at, startedAt: null, closedAt: null, dueAt: null,
    estimate: null, timeSpentMs: null, parent: null, blockedBy: [], history: [],
  };
}

describe("CollectedSnapshots: the last outputs as the next run's snapshots", () => {
  const nats = natsWithTopology();
  const store = () => new ArtifactStore(nats.topo.artifacts);

  /** A collected output of `items` ([id, list, title?]) as CollectedWriter stores it; its ref. */
  async function output(workflowId: string, items: [string, string, string?][]): Promise<SnapshotRef> {
    const w = new CollectedWriter(store(), workflowId, "data/clickup-collected.json", { platform: "clickup", collectedAt: new Date().toISOString(), mode: "full", containers: [...new Set(items.map(([, l]) => l))] });
    for (const [id, list, title] of items) await w.add(item(id, list, title), { id, list: { id: list }, name: title ?? `Task ${id}`, text: "line\nbreak \u2028 “quoted”" });
    const ref = await w.finish({ deleted: [], errors: [], stats: {} });
    return { workflowId, path: "data/clickup-collected.json", digest: ref.digest };
  }

  it("reads back each entry as it was written: the item and the raw record apart", async () => {
    await output("wf-read", [["1", "A"], ["2", "B"]]);
    const entries = [];
    for await (const e of collectedEntries((await store().getStream("wf-read", "data/clickup-collected.json"))!, "wf-read")) entries.push(e);
    expect(entries).toEqual([
      { item: item("1", "A"), raw: { id: "1", list: { id: "A" }, name: "Task 1", text: "line\nbreak \u2028 “quoted”" } },
      { item: item("2", "B"), raw: { id: "2", list: { id: "B" }, name: "Task 2", text: "line\nbreak \u2028 “quoted”" } },
    ]);
  });

  it("hands out each list from the output its ref names, reading every output once", async () => {
    const older = await output("wf-older", [["a1", "A"], ["b1", "B", "stale"], ["c1", "C"]]);
    const newer = await output("wf-newer", [["b1", "B", "fresh"], ["b2", "B"], ["d1", "D"]]);
    const snapshots = new CollectedSnapshots(store());
    const reads = vi.spyOn(ArtifactStore.prototype, "getStream");
    try {
      const seen = [];
      for await (const e of snapshots.entries(new Map([["A", older], ["C", older], ["B", newer]]))) seen.push(`${e.item.container.id}:${e.item.ref.id}:${e.item.title}`);
      // B comes from the newer output only; D is in it but was not asked for.
      expect(seen).toEqual(["A:a1:Task a1", "C:c1:Task c1", "B:b1:fresh", "B:b2:Task b2"]);
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
  });

  it("parses only the entries a ref says its container's are, where every ref to the output says so", async () => {
    const ref = await output("wf-ranges", [["a1", "A"], ["a2", "A"], ["b1", "B"], ["b2", "B"], ["c1", "C"]]);
    const snapshots = new CollectedSnapshots(store());
    const parses = vi.spyOn(JSON, "parse");
    const read = async (refs: Map<string, SnapshotRef>) => {
      const seen = [];
      parses.mockClear();
      for await (const e of snapshots.entries(refs)) seen.push(e.item.ref.id);
      // Each entry parsed is one JSON.parse of its line (the store parses its own metadata too).
      return { seen, parsed: parses.mock.calls.filter(([text]) => String(text).startsWith('{"ref":')).length };
    };
    try {
      expect(await read(new Map([["B", { ...ref, entries: { from: 2, count: 2 } }]]))).toEqual({ seen: ["b1", "b2"], parsed: 2 });
      // A range narrower than the container's entries is believed: what it leaves out is not given.
      expect(await read(new Map([["A", { ...ref, entries: { from: 1, count: 1 } }], ["C", { ...ref, entries: { from: 4, count: 1 } }]]))).toEqual({ seen: ["a2", "c1"], parsed: 2 });
      // One ref without a range: every entry is parsed, and only the containers asked for given.
      expect(await read(new Map([["B", { ...ref, entries: { from: 2, count: 2 } }], ["C", ref]]))).toEqual({ seen: ["b1", "b2", "c1"], parsed: 5 });
    } finally {
      parses.mockRestore();
    }
  });

  it("an output rewritten or gone since is no snapshot, and a read that finds it rewritten fails", async () => {
    const kept = await output("wf-kept", [["k1", "K"]]);
    const rewritten = await output("wf-rewritten", [["r1", "R"]]);
    const snapshots = new CollectedSnapshots(store());
    const refs = new Map<string, SnapshotRef | undefined>([["K", kept], ["R", rewritten], ["G", { workflowId: "wf-never", path: "data/clickup-collected.json", digest: kept.digest }], ["N", undefined]]);
    expect([...(await snapshots.usable(refs)).keys()]).toEqual(["K", "R"]);
    await output("wf-rewritten", [["r1", "R", "retried"]]);
    expect([...(await snapshots.usable(refs)).keys()]).toEqual(["K"]);
    const read = async () => {
      for await (const _ of snapshots.entries(new Map([["R", rewritten]]))) void _;
    };
    await expect(read()).rejects.toThrow(/gone or was rewritten/);
  });

  it("refuses bytes that are not a whole collected output", async () => {
    const read = async (path: string) => {
      for await (const _ of collectedEntries((await store().getStream("wf-bad", path))!, path)) void _;
    };
    await store().put("wf-bad", "other.jsonl", `{"item":{},"raw":{}}\n`);
    await expect(read("other.jsonl")).rejects.toThrow(/not collected data/);
    const whole = new TextDecoder().decode((await store().get("wf-read", "data/clickup-collected.json"))!);
    await store().put("wf-bad", "cut.json", whole.slice(0, whole.indexOf("\n]")));
    await expect(read("cut.json")).rejects.toThrow(/cut object/);
  });
});

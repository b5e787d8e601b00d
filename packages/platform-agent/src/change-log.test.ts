import { describe, expect, it } from "vitest";
import type { PlatformEvent, WorkItem } from "@pmo/contracts";
import { ChangeLog, type ChangeRules } from "./change-log.js";
import type { SnapshotEntry } from "./snapshot-entry.js";

/** A version of an item: what the rules below look at. */
const item = (id: string, updatedAt: string, title = `title of ${id}`): WorkItem => ({ ref: { platform: "plane", id }, updatedAt, title }) as WorkItem;

/** Rules as a platform writes them: a version is its `updatedAt`; an update names the title's change. */
const rules: ChangeRules = {
  event: (before, after) => {
    const base = { platform: "plane" as const, itemRef: after.ref, at: after.updatedAt, actor: null };
    if (!before) return { ...base, id: `${after.ref.id}:created`, type: "item.created", changes: [] };
    if (before.updatedAt === after.updatedAt) return null;
    return { ...base, id: `${after.ref.id}:${after.updatedAt}`, type: "item.updated", changes: [{ field: "title", from: before.title, to: after.title }] };
  },
  stamp: (i) => i.updatedAt,
  deletion: (id, at) => ({ id: `${id}:deleted`, platform: "plane", type: "item.deleted", itemRef: { platform: "plane", id }, at: at.toISOString(), actor: null, changes: [] }),
};

/** A snapshot that streams its entries anew at each call, counting what was read. */
function snapshotOf(items: WorkItem[]) {
  const snapshot = {
    read: 0,
    async *entries(): AsyncGenerator<SnapshotEntry> {
      for (const i of items) {
        snapshot.read++;
        yield { item: i, raw: {} };
      }
    },
  };
  return snapshot;
}

/** The events a comparison of every emitted item with its previous version (all in hand) gives. */
function fullComparison(previous: WorkItem[], emitted: WorkItem[], deleted: string[], at: Date): PlatformEvent[] {
  const byId = new Map(previous.map((i) => [i.ref.id, i]));
  return [...emitted.map((i) => rules.event(byId.get(i.ref.id), i)).filter((e): e is PlatformEvent => e !== null), ...deleted.map((id) => rules.deletion(id, at))];
}

const at = new Date("2026-02-01T00:00:00Z");

describe("ChangeLog", () => {
  it("by stamps, then a second pass: the events of a full comparison, in emission order, deletions last", async () => {
    const previous = ["a", "b", "c", "d", "e", "f"].map((id) => item(id, "2026-01-01T00:00:00.000Z"));
    const snapshot = snapshotOf(previous);
    // Emitted in another order than the snapshot's; b and e changed, g is new, d is gone.
    const emitted = [item("e", "2026-01-05T00:00:00.000Z", "E!"), item("a", "2026-01-01T00:00:00.000Z"), item("g", "2026-01-04T00:00:00.000Z"), item("c", "2026-01-01T00:00:00.000Z"), item("b", "2026-01-03T00:00:00.000Z", "B!"), item("f", "2026-01-01T00:00:00.000Z")];
    const log = new ChangeLog(rules, true);
    await log.remember(snapshot.entries());
    expect([...log.previousIds()]).toEqual(["a", "b", "c", "d", "e", "f"]);
    for (const i of emitted) log.compareToRemembered(i);
    await log.resolve(snapshot.entries());
    const deleted = [...log.previousIds()].filter((id) => !emitted.some((i) => i.ref.id === id));
    log.deleted(deleted, at);

    expect(log.events).toEqual(fullComparison(previous, emitted, ["d"], at));
    expect(log.events.map((e) => `${e.type} ${e.itemRef?.id}`)).toEqual(["item.updated e", "item.created g", "item.updated b", "item.deleted d"]);
    expect(log.events[0]!.changes).toEqual([{ field: "title", from: "title of e", to: "E!" }]);
  });

  it("the second pass stops at the last changed item, and is not read at all when nothing changed", async () => {
    const previous = ["a", "b", "c", "d"].map((id) => item(id, "2026-01-01T00:00:00.000Z"));
    const changed = new ChangeLog(rules, true);
    await changed.remember(snapshotOf(previous).entries());
    changed.compareToRemembered(item("b", "2026-01-02T00:00:00.000Z"));
    const second = snapshotOf(previous);
    await changed.resolve(second.entries());
    expect(second.read).toBe(2);
    expect(changed.events.map((e) => e.id)).toEqual(["b:2026-01-02T00:00:00.000Z"]);

    const unchanged = new ChangeLog(rules, true);
    await unchanged.remember(snapshotOf(previous).entries());
    for (const i of previous) unchanged.compareToRemembered(item(i.ref.id, i.updatedAt));
    const untouched = snapshotOf(previous);
    await unchanged.resolve(untouched.entries());
    expect(untouched.read).toBe(0);
    expect(unchanged.events).toEqual([]);
  });

  it("a changed item the second pass no longer finds (the snapshot was replaced meanwhile) gives no event; the others keep their places", async () => {
    const previous = ["a", "b", "c"].map((id) => item(id, "2026-01-01T00:00:00.000Z"));
    const log = new ChangeLog(rules, true);
    await log.remember(snapshotOf(previous).entries());
    log.compareToRemembered(item("a", "2026-01-02T00:00:00.000Z"));
    log.compareToRemembered(item("b", "2026-01-02T00:00:00.000Z"));
    log.compareToRemembered(item("c", "2026-01-02T00:00:00.000Z"));
    await log.resolve(snapshotOf([previous[0]!, previous[2]!]).entries());
    expect(log.events.map((e) => e.itemRef?.id)).toEqual(["a", "c"]);
  });

  it("with the previous version in hand, compares at once; nothing at all without a previous snapshot", async () => {
    const log = new ChangeLog(rules, true);
    log.compare(item("a", "2026-01-01T00:00:00.000Z"), item("a", "2026-01-01T00:00:00.000Z"));
    log.compare(item("b", "2026-01-01T00:00:00.000Z"), item("b", "2026-01-02T00:00:00.000Z"));
    log.compare(undefined, item("c", "2026-01-02T00:00:00.000Z"));
    expect(log.events.map((e) => `${e.type} ${e.itemRef?.id}`)).toEqual(["item.updated b", "item.created c"]);

    const first = new ChangeLog(rules, false);
    first.compare(undefined, item("c", "2026-01-02T00:00:00.000Z"));
    first.compareToRemembered(item("d", "2026-01-02T00:00:00.000Z"));
    await first.resolve(snapshotOf([]).entries());
    first.deleted(["x"], at);
    expect(first.events).toEqual([]);
  });

  it("an id met twice in the previous snapshot keeps its first entry, in both passes", async () => {
    const previous = [item("a", "2026-01-01T00:00:00.000Z", "first"), item("a", "2026-01-03T00:00:00.000Z", "second")];
    const log = new ChangeLog(rules, true);
    await log.remember(snapshotOf(previous).entries());
    expect([...log.previousIds()]).toEqual(["a"]);
    log.compareToRemembered(item("a", "2026-01-03T00:00:00.000Z", "now"));
    await log.resolve(snapshotOf(previous).entries());
    expect(log.events.map((e) => e.changes)).toEqual([[{ field: "title", from: "first", to: "now" }]]);
  });
});

/** PreviousSnapshot over collected outputs in the agent's real artifact store (NATS object store on a real nats-server). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { WorkItem } from "@pmo/contracts";
import { CollectedSnapshots, CollectedWriter, type SnapshotEntry, type SnapshotRef } from "@pmo/platform-agent";
import { ArtifactStore, ensureTopology } from "@pmo/runtime";
import { startNatsServer, type NatsServer } from "../../../test/harness/nats-server.js";
import { PreviousSnapshot } from "./previous-snapshot.js";

const REPO = "acme/web";
let nats: NatsServer;
let nc: NatsConnection;
let store: ArtifactStore;
let snapshots: CollectedSnapshots;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  store = new ArtifactStore((await ensureTopology(nc, { replicas: 1 })).artifacts);
  snapshots = new CollectedSnapshots(store);
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

/** An entry with what the index reads (the rest of a WorkItem plays no part here). */
function entry(number: number, updatedAt: string, state: "open" | "closed", title = "t", repo = REPO): SnapshotEntry {
  const item = { ref: { platform: "github", id: `${repo}#${number}` }, container: { id: repo }, updatedAt, status: state, statusCategory: state === "open" ? "todo" : "done", title } as unknown as WorkItem;
  return { item, raw: { issue: { number, updated_at: updatedAt, state, title }, pull: null, timeline: [] } };
}

/** A collected output of `entries` at `workflowId` (rewritten when it is there), as the collect job writes it; its ref. */
async function output(workflowId: string, entries: SnapshotEntry[]): Promise<SnapshotRef> {
  const writer = new CollectedWriter(store, workflowId, "data/github-collected.json", { platform: "github", collectedAt: new Date().toISOString(), mode: "full", containers: [REPO] });
  for (const e of entries) await writer.add(e.item, e.raw);
  const { digest } = await writer.finish({ deleted: [], errors: [], stats: {} });
  return { workflowId, path: "data/github-collected.json", digest };
}

async function replayed(previous: PreviousSnapshot): Promise<{ id: string; title: string }[]> {
  const out: { id: string; title: string }[] = [];
  for await (const { id, entry } of previous.replay()) out.push({ id, title: (entry.item as unknown as { title: string }).title });
  return out;
}

describe("PreviousSnapshot", () => {
  it("is null when the repository has no snapshot, or its output is gone or was rewritten", async () => {
    expect(await PreviousSnapshot.read(snapshots, REPO, undefined)).toBeNull();
    const ref = await output("wf-none", [entry(1, "2024-05-01T10:00:00Z", "open")]);
    expect(await PreviousSnapshot.read(snapshots, REPO, { ...ref, workflowId: "wf-never" })).toBeNull();
    await output("wf-none", [entry(1, "2024-05-02T10:00:00Z", "open")]);
    expect(await PreviousSnapshot.read(snapshots, REPO, ref)).toBeNull();
  });

  it("indexes each item, counts the open ones, and counts them again with fetched versions replacing, adding and removing items", async () => {
    // Another repository's entries in the same output are not this one's.
    const ref = await output("wf-index", [entry(1, "2024-05-01T10:00:00Z", "open"), entry(9, "2024-05-01T10:00:00Z", "open", "t", "acme/other"), entry(2, "2024-05-02T10:00:00Z", "closed"), entry(3, "2024-05-03T10:00:00Z", "open")]);
    const previous = (await PreviousSnapshot.read(snapshots, REPO, ref))!;
    expect(previous.get(`${REPO}#2`)).toEqual({ ref: { platform: "github", id: `${REPO}#2` }, listedAt: "2024-05-02T10:00:00Z", updatedAt: "2024-05-02T10:00:00Z", status: "closed", statusCategory: "done", open: false, line: 1 });
    expect(previous.openCount).toBe(2);
    const fetched = new Map<string, SnapshotEntry | null>([
      [`${REPO}#1`, entry(1, "2024-05-04T10:00:00Z", "closed")], // closed since
      [`${REPO}#2`, entry(2, "2024-05-04T10:00:00Z", "open")], // reopened
      [`${REPO}#3`, null], // no longer normalises
      [`${REPO}#4`, entry(4, "2024-05-04T10:00:00Z", "open")], // new
    ]);
    expect(previous.openCountWith(fetched)).toBe(2);
    expect(await replayed(previous)).toEqual([1, 2, 3].map((n) => ({ id: `${REPO}#${n}`, title: "t" })));
  });

  it("an id written twice: the index and the replay both take its last line, once", async () => {
    const ref = await output("wf-twice", [entry(1, "2024-05-01T10:00:00Z", "open", "first"), entry(2, "2024-05-01T10:00:00Z", "open"), entry(1, "2024-05-02T10:00:00Z", "closed", "last")]);
    const previous = (await PreviousSnapshot.read(snapshots, REPO, ref))!;
    expect(previous.get(`${REPO}#1`)).toMatchObject({ listedAt: "2024-05-02T10:00:00Z", open: false, line: 2 });
    expect(previous.openCount).toBe(1);
    expect(await replayed(previous)).toEqual([{ id: `${REPO}#2`, title: "t" }, { id: `${REPO}#1`, title: "last" }]);
  });

  it("refuses to replay a snapshot rewritten since it was indexed (two versions of the repository would mix)", async () => {
    const v1 = [entry(1, "2024-05-01T10:00:00Z", "open"), entry(2, "2024-05-01T10:00:00Z", "open")];
    for (const replacement of [
      [entry(1, "2024-05-01T10:00:00Z", "open"), entry(2, "2024-05-05T10:00:00Z", "open")], // another version of an item
      [entry(1, "2024-05-01T10:00:00Z", "open")], // an item gone
      [...v1, entry(3, "2024-05-05T10:00:00Z", "open")], // an item more
    ]) {
      const ref = await output("wf-rewritten", v1);
      const previous = (await PreviousSnapshot.read(snapshots, REPO, ref))!;
      await output("wf-rewritten", replacement);
      await expect(replayed(previous)).rejects.toThrow(/gone or was rewritten/);
    }
  });
});

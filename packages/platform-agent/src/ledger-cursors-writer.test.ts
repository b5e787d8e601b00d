import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { CollectedDataSchema, type WorkItem } from "@pmo/contracts";
import { ArtifactStore, ensureTopology, type Topology } from "@pmo/runtime";
import { startNatsServer, type NatsServer } from "../../../test/harness/nats-server.js";
import { CollectedWriter } from "./collected-writer.js";
import { parseJsonItems } from "./json-items.js";
import { setRawField } from "./raw-source.js";
import { CursorStore } from "./cursors.js";
import { OperationLedger } from "./operation-ledger.js";

function item(i: number): WorkItem {
  const at = new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();
  return {
    ref: { platform: "github", id: String(i) }, key: `#${i}`, url: `https://example.test/${i}`, title: `Item ${i} — “quoted” \u2028`, kind: "issue", status: "open", statusCategory: "todo", priority: "none",
    assignees: [], labels: [], container: { id: "acme/web", name: "web", kind: "repo" }, iteration: null, createdAt: at, updatedAt: at, startedAt: null, closedAt: null, dueAt: null,
    estimate: null, timeSpentMs: null, parent: null, blockedBy: [], history: [],
  };
}

describe("ledger, cursors and the collected writer", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let topo: Topology;
  let store: ArtifactStore;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    topo = await ensureTopology(nc, { replicas: 1 });
    store = new ArtifactStore(topo.artifacts);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("the operation ledger tells a retry what an earlier attempt left", async () => {
    const ledger = new OperationLedger<{ id: string }>(topo.kv.Ledger, "github");
    expect(await ledger.begin("wf:op-1", { title: "A" })).toBeNull();
    const again = await ledger.begin("wf:op-1", { title: "A" });
    expect(again).toMatchObject({ state: "pending", attempts: 1 });
    await ledger.complete("wf:op-1", { title: "A" }, { id: "42" });
    expect(await ledger.begin("wf:op-1", { title: "A" })).toMatchObject({ state: "done", outcome: { id: "42" } });
    expect((await ledger.get("wf:op-1"))?.state).toBe("done");
  });

  it("cursors are per platform and container", async () => {
    const gh = new CursorStore<{ since: string }>(topo.kv.Cursors, "github");
    const cu = new CursorStore<{ since: string }>(topo.kv.Cursors, "clickup");
    await gh.set("acme/web", { since: "2026-01-01T00:00:00Z" });
    expect(await gh.get("acme/web")).toEqual({ since: "2026-01-01T00:00:00Z" });
    expect(await cu.get("acme/web")).toBeNull();
    await gh.forget("acme/web");
    expect(await gh.get("acme/web")).toBeNull();
  });

  it("streams a collection larger than one object-store chunk into valid CollectedData", async () => {
    const w = new CollectedWriter(store, "workflow-2026-01-01-000000", "data/github-collected.json", { platform: "github", collectedAt: new Date().toISOString(), mode: "full", containers: ["acme/web"] });
    for (let i = 1; i <= 3_000; i++) await w.add(item(i), { number: i, body: "x".repeat(100) });
    const ref = await w.finish({ deleted: [{ platform: "github", id: "9999" }], errors: [{ id: "13", message: "bad record" }], stats: { requests: 30 } });
    expect(ref.size).toBeGreaterThan(128 * 1024);
    const parsed = CollectedDataSchema.parse(JSON.parse(new TextDecoder().decode((await store.get("workflow-2026-01-01-000000", "data/github-collected.json"))!)));
    expect(parsed.items).toHaveLength(3_000);
    expect(parsed.items[2999]!.raw).toMatchObject({ number: 3000 });
    expect(parsed.stats).toEqual({ items: 3_000, requests: 30 });
    expect(parsed.deleted).toEqual([{ platform: "github", id: "9999" }]);
  });

  it("entries added concurrently, their raw records as received bytes, are each written whole (never interleaved)", async () => {
    const w = new CollectedWriter(store, "workflow-concurrent", "data/github-collected.json", { platform: "github", collectedAt: new Date().toISOString(), mode: "full", containers: ["acme/web"] });
    const sent = Array.from({ length: 2_000 }, (_, i) => ({ number: i + 1, body: "y".repeat(i % 300) }));
    const page = parseJsonItems(Buffer.from(JSON.stringify({ tasks: sent })), "tasks") as { tasks: { number: number }[] };
    page.tasks.forEach((raw, i) => i % 2 && setRawField(raw, "added", i));
    // Four writers at once, as GitHub's repositories share one output.
    await Promise.all([0, 1, 2, 3].map(async (lane) => {
      for (let i = lane; i < page.tasks.length; i += 4) await w.add(item(i + 1), page.tasks[i]);
    }));
    await w.finish({ deleted: [], errors: [], stats: {} });
    const parsed = CollectedDataSchema.parse(JSON.parse(new TextDecoder().decode((await store.get("workflow-concurrent", "data/github-collected.json"))!)));
    const byId = new Map(parsed.items.map((i) => [i.ref.id, i.raw]));
    expect(byId.size).toBe(2_000);
    sent.forEach((raw, i) => expect(byId.get(String(i + 1))).toEqual(i % 2 ? { ...raw, added: i } : raw));
  });
});

/**
 * plane-agent's collect handler in-process, against the sandbox's Plane emulator over real HTTP and
 * a real nats-server, with the output observed: a full run hands each listing page's
 * entries to the writers before it asks for the page after next (nothing holds a project whole), an
 * incremental run streams the previous snapshot (the last output) instead of loading it, and a
 * failed run leaves the snapshots and cursors as they were, so the next run still sees every change.
 */
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import type { CollectedData, WorkItem } from "@pmo/contracts";
import { AgentMetrics, CollectedSnapshots, CollectedWriter, CursorStore, SharedRateBudget, type AgentEnvironment, type SnapshotEntry, type SnapshotRef } from "@pmo/platform-agent";
import { ArtifactStore, ensureTopology, type JobContext, type JobOutcome } from "@pmo/runtime";
import { startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { PlaneClient, PlaneSettingsSchema, StatusMapper, containerKey } from "../../services/plane-agent/src/index.js";
import { collectHandler } from "../../services/plane-agent/src/collect.js";
import { testJob } from "../harness/jobs.js";
import { connectTo } from "../harness/mesh.js";
import { startNatsServer, type NatsServer } from "../harness/nats-server.js";

/** Small pages, so each project spans several. */
const PAGE = 5;

/** The real CollectedSnapshots, with how often the collector streamed a snapshot written down. */
class ObservedSnapshots extends CollectedSnapshots {
  streams = 0;

  override entries(refs: ReadonlyMap<string, SnapshotRef>): AsyncGenerator<SnapshotEntry> {
    this.streams++;
    return super.entries(refs);
  }
}

/** Each entry handed to the collected output: its project, and the newest request Plane had received by then. */
const added: { container: string; id: string; afterRequest: number }[] = [];
/** Called after each entry handed to the output (a test changes Plane mid-run with it). */
let onAdd: ((container: string) => void) | null = null;

let server: NatsServer;
let nc: NatsConnection;
let sandbox: SandboxHandle;
let artifacts: ArtifactStore;
let snapshots: ObservedSnapshots;
let cursors: CursorStore<Record<string, unknown>>;
let collect: (workflowId: string) => Promise<JobOutcome>;
/** The same, with every run full (the periodic full collection always due). */
let collectFull: (workflowId: string) => Promise<JobOutcome>;

const lastRequest = () => sandbox.control.requests("plane", 1)[0]?.seq ?? 0;
const liveItems = (projectId?: string) => sandbox.truth.items.plane.filter((i) => i.deletedAt === null && (projectId === undefined || i.container === projectId));

async function readJson<T>(workflowId: string, path: string): Promise<T> {
  const bytes = await artifacts.get(workflowId, path);
  if (!bytes) throw new Error(`no artifact ${workflowId}/${path}`);
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}

/** A project's snapshot as the next run would read it: the entries of the output its cursor names. */
async function snapshotOf(projectId: string): Promise<string[]> {
  const cursor = (await cursors.get(containerKey(sandbox.truth.plane.workspaceSlug, projectId))) as { snapshot?: SnapshotRef } | null;
  if (!cursor?.snapshot) return [];
  const lines: string[] = [];
  for await (const e of new CollectedSnapshots(artifacts).entries(new Map([[projectId, cursor.snapshot]]))) lines.push(JSON.stringify(e));
  return lines;
}

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectTo(server.url);
  const topology = await ensureTopology(nc, { replicas: 1 });
  sandbox = await startSandbox({ seed: 4242, itemsPerPlatform: 60, rateLimits: { planePerMinute: 1_000_000 } });
  artifacts = new ArtifactStore(topology.artifacts);
  snapshots = new ObservedSnapshots(artifacts);
  const addSerialized = CollectedWriter.prototype.addSerialized;
  vi.spyOn(CollectedWriter.prototype, "addSerialized").mockImplementation(function (this: CollectedWriter, entry) {
    const item = JSON.parse(entry.item) as WorkItem;
    added.push({ container: item.container.id, id: item.ref.id, afterRequest: lastRequest() });
    onAdd?.(item.container.id);
    return addSerialized.call(this, entry);
  });
  cursors = new CursorStore(topology.kv.Cursors, "plane");
  const log = pino({ level: "warn" });
  const settingsWith = (extra: Record<string, unknown>) => PlaneSettingsSchema.parse({ pageSize: PAGE, retry: { retries: 1, minTimeoutMs: 1, maxTimeoutMs: 5 }, ...extra });
  const settings = settingsWith({});
  const client = new PlaneClient({
    baseUrl: sandbox.urls.plane,
    token: sandbox.credentials.planeApiKey,
    budget: new SharedRateBudget(topology.kv.Ledger, "plane", "streaming-test", { limit: 1_000_000, windowMs: 60_000 }),
    metrics: new AgentMetrics("plane", new Registry()),
    log,
    timeoutMs: 10_000,
    retry: settings.retry,
  });
  // The handler reads only these parts of the environment.
  const env = { platform: "plane", credentialEnv: "PLANE_API_KEY", cursors, log } as Partial<AgentEnvironment> as AgentEnvironment;
  const truth = sandbox.truth;
  const runner = (s: typeof settings) => {
    const handler = collectHandler({ env, client, settings: s, mapper: new StatusMapper(s), webBase: "http://plane.test", snapshots });
    return (workflowId: string) => {
      const job = testJob({ workflowId, agent: "plane", op: "collect", input: { containers: { workspace: truth.plane.workspaceSlug, projectIds: truth.plane.projects.map((p) => p.id) }, outputPath: "data/plane-collected.json", eventsPath: "monitoring/plane-events.json" } });
      const ctx: JobContext = { job, deliveryCount: 1, signal: new AbortController().signal, artifacts, log, heartbeat: () => undefined };
      return handler(ctx);
    };
  };
  collect = runner(settings);
  collectFull = runner(settingsWith({ fullCollectionIntervalMs: 0 }));
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await nc?.close();
  await sandbox?.close();
  await server?.stop();
});

describe("plane-agent collect streams", () => {
  it("hands each listing page's entries to the writers before it asks for the page after next", async () => {
    const mark = lastRequest();
    const outcome = await collect("workflow-stream-full");
    expect(outcome.output).toMatchObject({ mode: "full", items: liveItems().length, errors: 0 });
    const data = await readJson<CollectedData>("workflow-stream-full", "data/plane-collected.json");
    expect(data.items.map((i) => i.ref.id).sort()).toEqual(liveItems().map((i) => i.id).sort());

    const log = sandbox.control.requests("plane").filter((r) => r.seq > mark);
    for (const project of sandbox.truth.plane.projects) {
      const listing = log.filter((r) => r.url.includes(`/projects/${project.id}/work-items/?`) && r.url.includes("order_by="));
      const handed = added.filter((a) => a.container === project.id);
      expect(listing.length, `listing pages of ${project.id}`).toBe(Math.ceil(liveItems(project.id).length / PAGE));
      expect(listing.length).toBeGreaterThanOrEqual(4);
      expect(handed).toHaveLength(liveItems(project.id).length);
      // Page k is asked for while page k-1's details are read and page k-2 is emitted: pages before those are out.
      listing.forEach((page, k) => {
        const handedOver = handed.filter((a) => a.afterRequest < page.seq).length;
        expect(handedOver, `${project.id}: entries handed over before listing page ${k} was asked for`).toBeGreaterThanOrEqual(Math.max(0, k - 2) * PAGE);
      });
    }
    // The output is the snapshot: no copy of it is written.
    expect(await artifacts.list("_snapshots")).toEqual([]);
    for (const project of sandbox.truth.plane.projects) expect(await snapshotOf(project.id)).toHaveLength(liveItems(project.id).length);
  });

  it("merges an incremental run into the previous snapshot as it streams, never loading it whole", async () => {
    const [first, second] = sandbox.truth.plane.projects;
    const edited = liveItems(first!.id)[5]!;
    const gone = liveItems(second!.id).find((i) => !liveItems().some((o) => o.parentId === i.id || o.blockedBy.includes(i.id)))!;
    sandbox.control.mutate({ platform: "plane", id: edited.id, fields: { title: "Renamed while streaming" } });
    sandbox.control.mutate({ platform: "plane", id: gone.id, delete: true });
    const streams = snapshots.streams;

    const outcome = await collect("workflow-stream-incremental");
    expect(outcome.output).toMatchObject({ mode: "incremental", items: liveItems().length, deleted: 1, errors: 0 });
    expect(snapshots.streams).toBeGreaterThan(streams);
    const data = await readJson<CollectedData>("workflow-stream-incremental", "data/plane-collected.json");
    expect(data.items.map((i) => i.ref.id).sort()).toEqual(liveItems().map((i) => i.id).sort());
    expect(data.items.find((i) => i.ref.id === edited.id)?.title).toBe("Renamed while streaming");
    expect(data.deleted).toEqual([{ platform: "plane", id: gone.id }]);
    const { events } = await readJson<{ events: { type: string; itemRef: { id: string } }[] }>("workflow-stream-incremental", "monitoring/plane-events.json");
    expect(events.map((e) => [e.type, e.itemRef.id])).toEqual([
      ["item.updated", edited.id],
      ["item.deleted", gone.id],
    ]);
  });

  it("leaves the snapshots and cursors as they were when a run fails, so the next run still reports the change", async () => {
    const [first, second] = sandbox.truth.plane.projects;
    const keys = sandbox.truth.plane.projects.map((p) => containerKey(sandbox.truth.plane.workspaceSlug, p.id));
    const before = { snapshots: await Promise.all(sandbox.truth.plane.projects.map((p) => snapshotOf(p.id))), cursors: await Promise.all(keys.map((k) => cursors.get(k))) };
    const edited = liveItems(first!.id)[2]!;
    sandbox.control.mutate({ platform: "plane", id: edited.id, fields: { title: "Renamed before a failed run" } });
    // The first project is collected (and streamed into its new snapshot); the second fails.
    sandbox.control.addFault("plane", { kind: "server_error", match: `/projects/${second!.id}/work-items/`, count: 1_000 });
    try {
      await expect(collect("workflow-stream-failed")).rejects.toThrow(/plane/);
    } finally {
      sandbox.control.clearFaults("plane");
    }
    expect(await artifacts.info("workflow-stream-failed", "data/plane-collected.json")).toBeNull();
    expect(await Promise.all(sandbox.truth.plane.projects.map((p) => snapshotOf(p.id)))).toEqual(before.snapshots);
    expect(await Promise.all(keys.map((k) => cursors.get(k)))).toEqual(before.cursors);

    const outcome = await collect("workflow-stream-after-failure");
    expect(outcome.output).toMatchObject({ mode: "incremental", errors: 0 });
    const { events } = await readJson<{ events: { type: string; itemRef: { id: string } }[] }>("workflow-stream-after-failure", "monitoring/plane-events.json");
    expect(events.map((e) => [e.type, e.itemRef.id])).toEqual([["item.updated", edited.id]]);
  });
  it("a full run neither loses nor calls deleted an item updated while it pages (it jumps to the front)", async () => {
    const [first] = sandbox.truth.plane.projects;
    // The item listed last (oldest update): updated once the first page is in, it moves to a page already read.
    const moving = liveItems(first!.id).sort((a, b) => a.updatedAt - b.updatedAt)[0]!;
    let mutated = false;
    onAdd = (container) => {
      if (mutated || container !== first!.id) return;
      mutated = true;
      sandbox.control.mutate({ platform: "plane", id: moving.id, fields: { title: "Updated while the listing was paged" } });
    };
    try {
      const outcome = await collectFull("workflow-stream-moving");
      expect(mutated).toBe(true);
      expect(outcome.output).toMatchObject({ mode: "full", items: liveItems().length, deleted: 0, errors: 0 });
      const data = await readJson<CollectedData>("workflow-stream-moving", "data/plane-collected.json");
      expect(data.items.map((i) => i.ref.id).sort()).toEqual(liveItems().map((i) => i.id).sort());
      expect(data.items.find((i) => i.ref.id === moving.id)?.title).toBe("Updated while the listing was paged");
      expect(data.deleted).toEqual([]);
      const { events } = await readJson<{ events: { type: string; itemRef: { id: string } }[] }>("workflow-stream-moving", "monitoring/plane-events.json");
      expect(events.filter((e) => e.type === "item.deleted")).toEqual([]);
      expect(events.map((e) => [e.type, e.itemRef.id])).toContainEqual(["item.updated", moving.id]);
    } finally {
      onAdd = null;
    }
  });
  it("a full run survives an item deleted between its listing and its details, and reports it deleted", async () => {
    const [first] = sandbox.truth.plane.projects;
    // On the listing's first page (newest change first).
    const doomed = liveItems(first!.id).sort((a, b) => b.updatedAt - a.updatedAt)[0]!;
    // Its activities answer late; meanwhile it is deleted, so they answer 404.
    sandbox.control.addFault("plane", { kind: "slow", match: `/work-items/${doomed.id}/activities/`, count: 1, delayMs: 500 });
    const mark = lastRequest();
    const running = collectFull("workflow-stream-deleted-midway");
    const listingOf = (r: { url: string }) => r.url.includes(`/projects/${first!.id}/work-items/?`) && r.url.includes("order_by=");
    while (!sandbox.control.requests("plane").some((r) => r.seq > mark && listingOf(r))) await new Promise((r) => setTimeout(r, 2));
    sandbox.control.mutate({ platform: "plane", id: doomed.id, delete: true });
    try {
      const outcome = await running;
      expect(outcome.output).toMatchObject({ mode: "full", items: liveItems().length, errors: 0 });
    } finally {
      sandbox.control.clearFaults("plane");
    }
    const log = sandbox.control.requests("plane").filter((r) => r.seq > mark);
    expect(log.some((r) => r.url.includes(`/work-items/${doomed.id}/activities/`) && r.status === 404), "its details answered 404").toBe(true);
    const data = await readJson<CollectedData>("workflow-stream-deleted-midway", "data/plane-collected.json");
    expect(data.items.map((i) => i.ref.id).sort()).toEqual(liveItems().map((i) => i.id).sort());
    expect(data.deleted).toEqual([{ platform: "plane", id: doomed.id }]);
  });
});

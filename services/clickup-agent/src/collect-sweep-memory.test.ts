/**
 * clickup-agent's collect handler in process, every run a full sweep (`fullSweepEveryRuns: 1`),
 * against the sandbox's ClickUp emulator over real HTTP and a real nats-server, with the snapshot
 * store watched: a sweep after some tasks changed holds the previous snapshots' entries a few at a
 * time, never the workspace, and still reports exactly the events a comparison of every emitted
 * item with its previous version gives, in emission order, deletions last. Every entry the store
 * hands out is watched through weak references; a forced garbage collection, every few entries read
 * or written, tells how many of them are still held by anyone.
 */
import { setMaxListeners } from "node:events";
import v8 from "node:v8";
import vm from "node:vm";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import type { CollectedData, Job, PlatformEvent, WorkItem } from "@pmo/contracts";
import { AgentMetrics, CursorStore, SharedRateBudget, SnapshotStore, type AgentEnvironment, type SnapshotEntry, type SnapshotWriter } from "@pmo/platform-agent";
import { ArtifactStore, ensureTopology, type JobContext, type JobOutcome } from "@pmo/runtime";
import { startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { connectTo } from "../../../test/harness/mesh.js";
import { startNatsServer, type NatsServer } from "../../../test/harness/nats-server.js";
import { itemEvent } from "./change-events.js";
import { ClickUpClient } from "./client.js";
import { collectHandler } from "./collect.js";
import { ClickUpSettingsSchema, type ClickUpSettings } from "./settings.js";
import { StatusCategorizer } from "./status-category.js";

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

/** A sample (forced GC) every this many entries read from or written to a snapshot. */
const SAMPLE_EVERY = 10;
/** Entries in hand at once when they stream: the one being read and the one before it, with some slack. */
const HELD_BOUND = 4;

/** The agent's SnapshotStore, watching what it hands out: `maxHeld` is the most entries read found alive at once since `reset`. */
class WatchedSnapshotStore extends SnapshotStore {
  handedOut = 0;
  maxHeld = 0;
  private watched: WeakRef<object>[][] = [];
  private written = 0;

  reset(): void {
    this.handedOut = 0;
    this.maxHeld = 0;
    this.watched = [];
  }

  override async *entries(container: string): AsyncGenerator<SnapshotEntry> {
    for await (const entry of super.entries(container)) {
      if (++this.handedOut % SAMPLE_EVERY === 0) await this.sample();
      // The entry, its item and its raw task: keeping any of them keeps the entry's weight.
      this.watched.push([entry, entry.item, entry.raw as object].map((o) => new WeakRef(o)));
      yield entry;
    }
  }

  override open(container: string): SnapshotWriter {
    const writer = super.open(container);
    return {
      ...writer,
      add: async (entry) => {
        if (++this.written % SAMPLE_EVERY === 0) await this.sample();
        await writer.add(entry);
      },
    };
  }

  /** Collects garbage (in a new macrotask, so no weak reference is pinned by the current job) and counts what survived. */
  async sample(): Promise<number> {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    this.watched = this.watched.filter((refs) => refs.some((r) => r.deref() !== undefined));
    this.maxHeld = Math.max(this.maxHeld, this.watched.length);
    return this.watched.length;
  }
}

let server: NatsServer;
let nc: NatsConnection;
let sandbox: SandboxHandle;
let artifacts: ArtifactStore;
let snapshots: WatchedSnapshotStore;
let client: ClickUpClient;
let collect: (workflowId: string) => Promise<JobOutcome>;

const live = () => sandbox.truth.items.clickup.filter((t) => t.deletedAt === null);
const listIds = () => sandbox.truth.clickup.lists.map((l) => l.id);

async function readJson<T>(workflowId: string, path: string): Promise<T> {
  const bytes = await artifacts.get(workflowId, path);
  if (!bytes) throw new Error(`no artifact ${workflowId}/${path}`);
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectTo(server.url);
  const topology = await ensureTopology(nc, { replicas: 1 });
  sandbox = await startSandbox({ seed: 31, itemsPerPlatform: 300, rateLimits: { clickupPerMinute: 1_000_000 } });
  artifacts = new ArtifactStore(topology.artifacts);
  snapshots = new WatchedSnapshotStore(artifacts, "clickup");
  const log = pino({ level: "warn" });
  // Every run a full sweep: the first run has no cursor, and each later one is its list's 1st since the last full one.
  const settings: ClickUpSettings = { ...ClickUpSettingsSchema.parse({ fullSweepEveryRuns: 1, retryMinMs: 1 }), timeoutMs: 10_000, inFlightGraceMs: 0 };
  client = new ClickUpClient({
    baseUrl: sandbox.urls.clickup,
    token: sandbox.credentials.clickupToken,
    budget: new SharedRateBudget(topology.kv.Ledger, "clickup", "sweep-memory-test", { limit: 1_000_000, windowMs: 60_000 }),
    metrics: new AgentMetrics("clickup", new Registry()),
    log,
    settings,
  });
  // The handler reads only these parts of the environment.
  const env = { platform: "clickup", credentialEnv: "CLICKUP_API_TOKEN", snapshots, cursors: new CursorStore(topology.kv.Cursors, "clickup"), log } as Partial<AgentEnvironment> as AgentEnvironment;
  const handler = collectHandler({ env, client, settings, categorizer: new StatusCategorizer(settings) });
  const truth = sandbox.truth;
  collect = (workflowId) => {
    const job: Job = {
      jobId: `${workflowId}:discovery:clickup:collect:1`,
      workflowId,
      phase: "discovery",
      agent: "clickup",
      op: "collect",
      attempt: 1,
      task: "discovery/clickup/collect",
      project: "web",
      issuedAt: new Date().toISOString(),
      deadlineAt: new Date(Date.now() + 60_000).toISOString(),
      input: { containers: { teamId: truth.clickup.teamId, spaceIds: truth.clickup.spaces.map((s) => s.id), listIds: listIds() }, outputPath: "data/clickup-collected.json", eventsPath: "monitoring/clickup-events.json" },
    };
    // A signal shared by many requests at once, as the job worker makes it.
    const { signal } = new AbortController();
    setMaxListeners(100, signal);
    const ctx: JobContext = { job, deliveryCount: 1, signal, artifacts, log, heartbeat: () => undefined };
    return handler(ctx);
  };
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await sandbox?.close();
  await server?.stop();
});

type EventsFile = { collectedAt: string; mode: string; events: PlatformEvent[] };

describe("ClickUp's full sweep and the previous snapshots", () => {
  /** The first run's items: the previous versions the sweep compares with. */
  let previous: Map<string, WorkItem>;

  it("first run: every list in full, no events (there is nothing to compare with)", async () => {
    const outcome = await collect("sweep-first");
    expect(outcome.output).toMatchObject({ mode: "full", items: live().length, errors: 0, fullLists: listIds().length });
    const data = await readJson<CollectedData>("sweep-first", "data/clickup-collected.json");
    previous = new Map(data.items.map((i) => [i.ref.id, i]));
    expect((await readJson<EventsFile>("sweep-first", "monitoring/clickup-events.json")).events).toEqual([]);
  });

  it("the watch sees the snapshots held whole (control: the measurement can fail)", async () => {
    snapshots.reset();
    const whole = [];
    for (const id of listIds()) whole.push(await snapshots.load(id));
    const entries = whole.reduce((n, m) => n + m!.size, 0);
    expect(entries).toBe(live().length);
    expect(await snapshots.sample()).toBeGreaterThanOrEqual(entries);
    expect(whole).toHaveLength(listIds().length); // `whole` stays alive up to here
  });

  it("a sweep after changes holds a few previous entries at a time and reports exactly the full comparison's events, in emission order", async () => {
    const blocks = (id: string) => live().some((o) => o.parentId === id || o.blockedBy.includes(id));
    const [moved, edited] = live().slice(5, 7);
    const gone = live().find((t) => t.id !== moved!.id && t.id !== edited!.id && !blocks(t.id))!;
    sandbox.control.mutate({ platform: "clickup", id: moved!.id, status: moved!.status === "done" ? "in_progress" : "done" });
    sandbox.control.mutate({ platform: "clickup", id: edited!.id, fields: { title: "Renamed before the sweep", priority: "urgent" } });
    sandbox.control.mutate({ platform: "clickup", id: gone.id, delete: true });
    const created = await client.call<{ id: string }>({ method: "POST", endpoint: "POST /list/:list_id/task", path: `/list/${listIds()[0]}/task`, body: { name: "Created before the sweep" } });

    snapshots.reset();
    const outcome = await collect("sweep-second");
    expect(outcome.output).toMatchObject({ mode: "full", items: live().length, deleted: 1, errors: 0, fullLists: listIds().length });
    const data = await readJson<CollectedData>("sweep-second", "data/clickup-collected.json");
    const file = await readJson<EventsFile>("sweep-second", "monitoring/clickup-events.json");

    // What comparing every emitted item (in the order they were written) with its previous version gives.
    const full = data.items.map((i) => itemEvent(previous.get(i.ref.id), i)).filter((e): e is PlatformEvent => e !== null);
    const deletion = { id: `clickup:poll:${gone.id}:deleted`, platform: "clickup", type: "item.deleted", itemRef: { platform: "clickup", id: gone.id }, at: file.collectedAt, actor: null, changes: [] };
    expect(file.events).toEqual(JSON.parse(JSON.stringify([...full, deletion])));
    // And that is what the test did, nothing else.
    const order = new Map(data.items.map((i, k) => [i.ref.id, k]));
    const changed = [`status.changed ${moved!.id}`, `item.updated ${edited!.id}`, `item.created ${created.id}`].sort((a, b) => order.get(a.split(" ")[1]!)! - order.get(b.split(" ")[1]!)!);
    expect(file.events.map((e) => `${e.type} ${e.itemRef?.id}`)).toEqual([...changed, `item.deleted ${gone.id}`]);
    expect(file.events.find((e) => e.itemRef?.id === edited!.id)!.changes.map((c) => c.field)).toEqual(["title", "priority"]);

    // Each previous entry was read (for its stamp, then up to the last changed one), never more than a few at once.
    expect(snapshots.handedOut).toBeGreaterThanOrEqual(previous.size);
    expect(snapshots.maxHeld).toBeLessThanOrEqual(HELD_BOUND);
  }, 60_000);
});

/**
 * clickup-agent's collect handler in process (so a test can watch its heap), against the sandbox's
 * ClickUp emulator over real HTTP and a real nats-server, its snapshot store and client watched.
 */
import { setMaxListeners } from "node:events";
import { pino } from "pino";
import { Registry } from "prom-client";
import type { NatsConnection } from "@nats-io/transport-node";
import { AgentMetrics, CursorStore, SharedRateBudget, type AgentEnvironment, type SnapshotRef } from "@pmo/platform-agent";
import { ArtifactStore, ensureTopology, type JobContext, type JobOutcome } from "@pmo/runtime";
import { startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { connectTo } from "../../../../test/harness/mesh.js";
import { startNatsServer } from "../../../../test/harness/nats-server.js";
import { collectHandler } from "../collect.js";
import { ClickUpSettingsSchema, type ClickUpSettings } from "../settings.js";
import { StatusCategorizer } from "../status-category.js";
import { HeapWatch } from "../../../../test/harness/heap-watch.js";
import { testJob } from "../../../../test/harness/jobs.js";
import { WatchedClickUpClient } from "./watched-client.js";
import { WatchedCollectedSnapshots } from "../../../../test/harness/watched-snapshot-store.js";
import { cursorKey, type ListCursor } from "../list-cursor.js";

export interface InProcessCollectOptions {
  seed: number;
  items: number;
  /** clickup-config.json's ClickUp keys (the schema's defaults for the rest). */
  config: Record<string, unknown>;
  /** The watch samples every this many snapshot entries read. */
  sampleEvery: number;
}

export interface InProcessCollect {
  sandbox: SandboxHandle;
  artifacts: ArtifactStore;
  heap: HeapWatch;
  snapshots: WatchedCollectedSnapshots;
  /** The snapshot each list's cursor names now (lists without one are left out). */
  snapshotRefs(): Promise<Map<string, SnapshotRef>>;
  client: WatchedClickUpClient;
  cursors: CursorStore<Record<string, unknown>>;
  settings: ClickUpSettings;
  /** Every list of the sandbox's workspace. */
  listIds(): string[];
  /** One `collect` job over `lists` (every list by default), writing `data/clickup-collected.json` and `monitoring/clickup-events.json`. */
  collect(workflowId: string, lists?: string[]): Promise<JobOutcome>;
  readJson<T>(workflowId: string, path: string): Promise<T>;
  close(): Promise<void>;
}

export async function startInProcessCollect(opts: InProcessCollectOptions): Promise<InProcessCollect> {
  // What started, stopped in reverse order by `close` (or at once, when starting fails half-way).
  const started: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of started.splice(0).reverse()) await stop();
  };
  try {
    const server = await startNatsServer();
    started.push(() => server.stop());
    const nc = await connectTo(server.url);
    started.push(() => nc.close());
    const sandbox = await startSandbox({ seed: opts.seed, itemsPerPlatform: opts.items, rateLimits: { clickupPerMinute: 1_000_000 } });
    started.push(() => sandbox.close());
    return { ...(await collectOn(opts, nc, sandbox)), close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function collectOn(opts: InProcessCollectOptions, nc: NatsConnection, sandbox: SandboxHandle): Promise<Omit<InProcessCollect, "close">> {
  const topology = await ensureTopology(nc, { replicas: 1 });
  const artifacts = new ArtifactStore(topology.artifacts);
  const heap = new HeapWatch(opts.sampleEvery);
  const snapshots = new WatchedCollectedSnapshots(artifacts, heap);
  const log = pino({ level: "warn" });
  const settings: ClickUpSettings = { ...ClickUpSettingsSchema.parse({ retryMinMs: 1, ...opts.config }), timeoutMs: 10_000, inFlightGraceMs: 0 };
  const client = new WatchedClickUpClient(
    {
      baseUrl: sandbox.urls.clickup,
      token: sandbox.credentials.clickupToken,
      budget: new SharedRateBudget(topology.kv.Ledger, "clickup", "in-process-collect", { limit: 1_000_000, windowMs: 60_000 }),
      metrics: new AgentMetrics("clickup", new Registry()),
      log,
      settings,
    },
    heap,
  );
  const cursors = new CursorStore<Record<string, unknown>>(topology.kv.Cursors, "clickup");
  // The handler reads only these parts of the environment.
  const env = { platform: "clickup", credentialEnv: "CLICKUP_API_TOKEN", cursors, log } as Partial<AgentEnvironment> as AgentEnvironment;
  const handler = collectHandler({ env, client, settings, categorizer: new StatusCategorizer(settings), snapshots });
  const truth = sandbox.truth;
  const listIds = () => truth.clickup.lists.map((l) => l.id);
  return {
    sandbox,
    artifacts,
    heap,
    snapshots,
    async snapshotRefs() {
      const refs = new Map<string, SnapshotRef>();
      for (const id of listIds()) {
        const ref = ((await cursors.get(cursorKey(id))) as ListCursor | null)?.snapshot;
        if (ref) refs.set(id, ref);
      }
      return refs;
    },
    client,
    cursors,
    settings,
    listIds,
    collect(workflowId, lists = listIds()) {
      const job = testJob({ workflowId, agent: "clickup", op: "collect", input: { containers: { teamId: truth.clickup.teamId, spaceIds: truth.clickup.spaces.map((s) => s.id), listIds: lists }, outputPath: "data/clickup-collected.json", eventsPath: "monitoring/clickup-events.json" } });
      // A signal shared by many requests at once, as the job worker makes it.
      const { signal } = new AbortController();
      setMaxListeners(100, signal);
      const ctx: JobContext = { job, deliveryCount: 1, signal, artifacts, log, heartbeat: () => undefined };
      return handler(ctx);
    },
    async readJson<T>(workflowId: string, path: string): Promise<T> {
      const bytes = await artifacts.get(workflowId, path);
      if (!bytes) throw new Error(`no artifact ${workflowId}/${path}`);
      return JSON.parse(new TextDecoder().decode(bytes)) as T;
    },
  };
}

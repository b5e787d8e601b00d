/**
 * plane-agent as its own process against the sandbox's Plane emulator over real HTTP and a real
 * nats-server: verify, full and incremental collection against the ground truth, rate limits and
 * faults, bulk manage with a SIGKILL mid-way, webhooks, and one workflow through the orchestrator.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { Consumer, JobResultEnvelopeSchema, Stream, Subjects, wrap, type CollectedData, type Job, type JobResult, type Phase, type WorkItem } from "@pmo/contracts";
import { ArtifactStore, ensureTopology, type Topology } from "@pmo/runtime";
import { signPlaneWebhook, startSandbox, writeSandboxConfig, type SandboxHandle, type Truth, type TruthItem } from "@pmo/sandbox";
import { FAST_POLICY, makeConfig } from "../harness/config-fixture.js";
import { connectTo, publishRequest, serviceEnv, startOrchestrator, waitForWorkflow } from "../harness/mesh.js";
import { startNatsServer, type NatsServer } from "../harness/nats-server.js";
import { startProcess, type ServiceProcess } from "../harness/processes.js";
import { startFakeAgent } from "../agents/fake-agent.js";

const started = (e: Record<string, unknown>) => e.msg === "plane-agent started" && typeof e.httpPort === "number";

// ---- the expected normalisation, written from the truth independently of the agent's code ----

function expectedItem(truth: Truth, t: TruthItem): Omit<WorkItem, "url"> {
  const project = truth.plane.projects.find((p) => p.id === t.container)!;
  const stateName = (c: string) => truth.plane.states.find((s) => s.projectId === t.container && s.category === c)!.name;
  const login = (key: string) => truth.people.find((p) => p.key === key)!.login;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const sprint = t.sprint ? truth.sprints.find((s) => s.key === t.sprint)! : null;
  const cycle = sprint ? truth.plane.cycles.find((c) => c.projectId === t.container && c.sprint === sprint.key)! : null;
  const labels = new Set(truth.plane.labels.filter((l) => l.projectId === t.container).map((l) => l.name));
  const live = new Set(truth.items.plane.filter((i) => i.deletedAt === null).map((i) => i.id));
  return {
    ref: { platform: "plane", id: t.id },
    key: `${project.identifier}-${t.seq}`,
    title: t.title,
    kind: t.parentId ? "subtask" : "issue",
    status: stateName(t.status),
    statusCategory: t.status,
    priority: t.priority,
    assignees: t.assignees.map(login),
    labels: t.labels.filter((l) => labels.has(l)),
    container: { id: project.id, name: project.name, kind: "project" },
    iteration: sprint && cycle ? { id: cycle.id, name: sprint.name, startAt: iso(sprint.startAt), endAt: iso(sprint.endAt) } : null,
    createdAt: iso(t.createdAt)!,
    updatedAt: iso(t.updatedAt)!,
    startedAt: iso(t.startedAt),
    closedAt: iso(t.closedAt),
    dueAt: t.dueAt === null ? null : `${new Date(t.dueAt).toISOString().slice(0, 10)}T00:00:00.000Z`,
    estimate: t.estimatePoints === null ? null : { points: t.estimatePoints, ms: null },
    timeSpentMs: null,
    parent: t.parentId ? { platform: "plane", id: t.parentId } : null,
    blockedBy: t.blockedBy.filter((id) => live.has(id)).map((id) => ({ platform: "plane" as const, id })),
    history: t.transitions.map((tr) => ({ at: iso(tr.at)!, from: tr.from === null ? null : stateName(tr.from), to: stateName(tr.to), fromCategory: tr.from, toCategory: tr.to, by: login(tr.by) })),
  };
}

function expectMatchesTruth(data: CollectedData, truth: Truth): void {
  const live = truth.items.plane.filter((i) => i.deletedAt === null);
  expect(data.errors).toEqual([]);
  expect(data.items.map((i) => i.ref.id).sort()).toEqual(live.map((i) => i.id).sort());
  const byId = new Map(data.items.map((i) => [i.ref.id, i]));
  for (const t of live) {
    const { url, raw, ...got } = byId.get(t.id)!;
    expect(got, `${t.id}`).toEqual(expectedItem(truth, t));
    expect(url).toContain(`/northwind/projects/${t.container}/issues/${t.id}`);
    expect((raw as { moduleId: string | null }).moduleId, `module of ${t.id}`).toBe(t.module ?? null);
  }
}

// ---- the rig: nats-server, sandbox, config, the agent as a process ----

interface Rig {
  server: NatsServer;
  sandbox: SandboxHandle;
  nc: NatsConnection;
  topology: Topology;
  artifacts: ArtifactStore;
  dirs: { configDir: string; workspaceDir: string };
  env: NodeJS.ProcessEnv;
  agent: ServiceProcess;
  httpPort: number;
}

const PLANE_SETTINGS = { retry: { retries: 8, minTimeoutMs: 20, maxTimeoutMs: 400 }, detailConcurrency: 4 };

async function startAgent(rig: Pick<Rig, "env">, extra: NodeJS.ProcessEnv = {}): Promise<{ agent: ServiceProcess; httpPort: number }> {
  const agent = startProcess("plane-agent", "services/plane-agent/src/main.ts", { ...rig.env, ...extra });
  const line = await agent.waitForLog(started);
  return { agent, httpPort: line.httpPort as number };
}

let jobCounter = 0;

/** Publishes one job to the agent the way the orchestrator does and waits for its result. */
async function runJob(rig: Rig, op: string, input: Record<string, unknown>, opts: { phase?: Phase; workflowId?: string; timeoutMs?: number } = {}): Promise<JobResult> {
  const workflowId = opts.workflowId ?? `workflow-plane-${++jobCounter}`;
  const phase = opts.phase ?? "discovery";
  const job: Job = {
    jobId: `${workflowId}:${phase}:plane:${op}:1`,
    workflowId,
    phase,
    agent: "plane",
    op,
    attempt: 1,
    task: `${phase}/plane/${op}`,
    project: "web",
    issuedAt: new Date().toISOString(),
    deadlineAt: new Date(Date.now() + (opts.timeoutMs ?? 45_000)).toISOString(),
    input,
  };
  const sub = rig.nc.subscribe(Subjects.result(workflowId), { max: 1 });
  await jetstream(rig.nc).publish(Subjects.job("plane", op), JSON.stringify(wrap("job", job)), { msgID: job.jobId });
  const timer = setTimeout(() => sub.unsubscribe(), opts.timeoutMs ?? 45_000);
  for await (const m of sub) {
    clearTimeout(timer);
    return JobResultEnvelopeSchema.parse(m.json()).payload;
  }
  throw new Error(`no result for ${job.jobId}`);
}

async function readJson<T>(rig: Rig, workflowId: string, path: string): Promise<T> {
  const bytes = await rig.artifacts.get(workflowId, path);
  if (!bytes) throw new Error(`no artifact ${workflowId}/${path}`);
  return JSON.parse(new TextDecoder().decode(bytes)) as T;
}

function containers(truth: Truth) {
  return { workspace: truth.plane.workspaceSlug, projectIds: truth.plane.projects.map((p) => p.id) };
}

async function collect(rig: Rig): Promise<{ result: JobResult; data: CollectedData; workflowId: string }> {
  const workflowId = `workflow-collect-${++jobCounter}`;
  const result = await runJob(rig, "collect", { platform: "plane", containers: containers(rig.sandbox.truth), outputPath: "data/plane-collected.json", eventsPath: "monitoring/plane-events.json" }, { workflowId });
  expect(result.error, JSON.stringify(result.error)).toBeUndefined();
  return { result, workflowId, data: await readJson<CollectedData>(rig, workflowId, "data/plane-collected.json") };
}

async function startRig(opts: { items: number; timeScale: number }): Promise<Rig> {
  const server = await startNatsServer();
  const sandbox = await startSandbox({ seed: 4242, itemsPerPlatform: opts.items, timeScale: opts.timeScale });
  const dirs = makeConfig();
  await writeSandboxConfig(dirs.configDir, sandbox);
  const deadlines = Object.fromEntries(Object.keys(FAST_POLICY.phaseDeadlinesMs).map((p) => [p, 40_000]));
  writeFileSync(join(dirs.configDir, "workflow.json"), JSON.stringify({ ...FAST_POLICY, jobTimeoutMs: 30_000, phaseDeadlinesMs: deadlines }));
  const planeConfig = join(dirs.configDir, "plane-config.json");
  writeFileSync(planeConfig, JSON.stringify({ ...JSON.parse(readFileSync(planeConfig, "utf8")), ...PLANE_SETTINGS }, null, 2));
  const env = { ...serviceEnv(server.url, dirs), LOG_LEVEL: "info" };
  const nc = await connectTo(server.url);
  const topology = await ensureTopology(nc, { replicas: 1 });
  const { agent, httpPort } = await startAgent({ env });
  return { server, sandbox, nc, topology, artifacts: new ArtifactStore(topology.artifacts), dirs, env, agent, httpPort };
}

async function stopRig(rig: Rig | undefined): Promise<void> {
  if (!rig) return;
  await rig.agent.kill();
  await rig.nc.close();
  await rig.sandbox.close();
  await rig.server.stop();
}

describe("plane-agent against the sandbox", () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig({ items: 40, timeScale: 60 });
  });
  afterAll(async () => stopRig(rig));

  it("verifies the key, the workspace and each project, naming the missing project", async () => {
    const ok = await runJob(rig, "verify", { platform: "plane", containers: containers(rig.sandbox.truth) }, { phase: "initialization" });
    expect(ok.ok).toBe(true);
    expect(ok.output).toMatchObject({ credential: "valid", workspace: "northwind" });
    const missing = "0b6f7c1e-1111-4222-8333-944444444444";
    const bad = await runJob(rig, "verify", { platform: "plane", containers: { ...containers(rig.sandbox.truth), projectIds: [rig.sandbox.truth.plane.projects[0]!.id, missing] } }, { phase: "initialization" });
    expect(bad.ok).toBe(false);
    expect(bad.error).toMatchObject({ nonRetryable: true, code: "container_not_found" });
    expect(bad.error!.message).toContain(missing);
  });

  it("collects every work item equal to the ground truth, field for field, more than a rate window without a 429", async () => {
    // The quota is Plane's real 60/min, time-scaled: one window lasts a second.
    const { data, result } = await collect(rig);
    expect(result.output).toMatchObject({ mode: "full", deleted: 0, errors: 0 });
    expectMatchesTruth(data, rig.sandbox.truth);
    const counters = rig.sandbox.control.counters().plane!;
    expect(counters.requests.total).toBeGreaterThan(60);
    expect(counters.requests.byStatus["429"] ?? 0).toBe(0);
  });

  it("re-collects only what changed since the watermark, merges it, and detects deletions", async () => {
    const truth = rig.sandbox.truth;
    const live = truth.items.plane.filter((i) => i.deletedAt === null);
    const moved = live[3]!;
    const edited = live[7]!;
    const gone = live.find((i) => !live.some((o) => o.parentId === i.id || o.blockedBy.includes(i.id)) && i !== moved && i !== edited)!;
    rig.sandbox.control.mutate({ platform: "plane", id: moved.id, status: moved.status === "done" ? "in_progress" : "done" });
    rig.sandbox.control.mutate({ platform: "plane", id: edited.id, fields: { title: "Renamed by the incremental test", priority: "urgent" } });
    rig.sandbox.control.mutate({ platform: "plane", id: gone.id, delete: true });
    const before = rig.sandbox.control.requests("plane").length;

    const { data, result, workflowId } = await collect(rig);
    expect(result.output).toMatchObject({ mode: "incremental", deleted: 1 });
    expect(data.deleted).toEqual([{ platform: "plane", id: gone.id }]);
    expectMatchesTruth(data, rig.sandbox.truth);

    const requests = rig.sandbox.control.requests("plane").slice(before);
    const perItem = requests.filter((r) => /\/(activities|relations)\/$/.test(r.url.split("?")[0]!));
    const touched = new Set(perItem.map((r) => r.url.split("/work-items/")[1]!.split("/")[0]));
    expect([...touched].sort()).toEqual([moved.id, edited.id].sort());
    expect(requests.length).toBeLessThan(rig.sandbox.control.counters().plane!.requests.total / 3);

    const events = await readJson<{ events: { type: string; itemRef: { id: string } }[] }>(rig, workflowId, "monitoring/plane-events.json");
    expect(events.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "status.changed", itemRef: { platform: "plane", id: moved.id } }),
        expect.objectContaining({ type: "item.updated", itemRef: { platform: "plane", id: edited.id } }),
        expect.objectContaining({ type: "item.deleted", itemRef: { platform: "plane", id: gone.id } }),
      ]),
    );
  });

  it("collects everything correctly with 10% injected faults (429, 5xx, resets, malformed bodies)", async () => {
    const cursors = await rig.topology.kv.Cursors.keys();
    for await (const key of cursors) await rig.topology.kv.Cursors.delete(key); // forces a full collection
    for (const kind of ["rate_limit", "server_error", "reset", "malformed"] as const) rig.sandbox.control.addFault("plane", { kind, rate: 0.025, match: "GET" });
    try {
      const { data, result } = await collect(rig);
      expect(result.output).toMatchObject({ mode: "full" });
      expectMatchesTruth(data, rig.sandbox.truth);
      const applied = rig.sandbox.control.counters().plane!.faultsApplied;
      expect(Object.values(applied).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(3);
    } finally {
      rig.sandbox.control.clearFaults("plane");
    }
  });
});

describe("plane-agent manage, webhooks, verify failures and a workflow", () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig({ items: 30, timeScale: 120 });
  });
  afterAll(async () => stopRig(rig));

  function bulkOperations(truth: Truth) {
    const live = truth.items.plane.filter((i) => i.deletedAt === null);
    const label = truth.plane.labels.find((l) => l.projectId === truth.plane.projects[0]!.id)!.name;
    const priorities = ["low", "medium", "high", "critical"] as const;
    const creates = Array.from({ length: 150 }, (_, i) => ({ op: "create" as const, title: `Bulk item ${i}`, description: `Made by the bulk test (${i})`, priority: priorities[i % 4], assignee: truth.people[i % truth.people.length]!.login, labels: [label], dueDate: "2026-12-01" }));
    const updates = Array.from({ length: 50 }, (_, i) => ({ op: "update" as const, id: live[i % live.length]!.id, priority: priorities[(i + 1) % 4], status: i % 2 === 0 ? "In Progress" : "Done" }));
    return [...creates, ...updates];
  }

  it("runs a report workflow through the orchestrator with the real collected Plane data", async () => {
    const orchestrator = await startOrchestrator(rig.env);
    const fakes = await Promise.all((["report", "alert", "sync"] as const).map((a) => startFakeAgent(a, { env: rig.env })));
    try {
      await publishRequest(rig.nc, { action: "report", platforms: ["plane"], project: "web", requestId: "plane-report-1", parameters: { reportType: "weekly", formats: ["markdown"] } });
      const done = await waitForWorkflow(rig.nc, "plane-report-1", 40_000);
      expect(done.record.state.status, JSON.stringify(done.record.state.metadata?.errors)).toBe("complete");
      const data = await readJson<CollectedData>(rig, done.workflowId, "data/plane-collected.json");
      expect(data.items.length).toBe(rig.sandbox.truth.items.plane.filter((i) => i.deletedAt === null).length);
    } finally {
      for (const s of [...fakes, orchestrator]) await s.stop();
    }
  });

  it("plans 200 operations in a dry run without writing, then applies exactly that plan once, even when killed mid-way", async () => {
    // Where the test got to, printed if it fails: it has timed out at 180 s a few times in full
    // suites (it takes 10-20 s), with none of its own bounded waits firing.
    const t0 = Date.now();
    const steps: string[] = [];
    const step = (what: string) => void steps.push(`${Date.now() - t0} ms: ${what}`);
    onTestFailed(() => console.error(`bulk test steps before the failure:\n${steps.join("\n")}`));
    const operations = bulkOperations(rig.sandbox.truth);
    const input = { platform: "plane", operations, containers: containers(rig.sandbox.truth) };
    const itemsBefore = rig.sandbox.truth.items.plane.length;
    const logBefore = rig.sandbox.control.requests("plane").length;
    step("dry run sent");
    const plan = await runJob(rig, "manage", { ...input, dryRun: true }, { phase: "actions" });
    step("dry run answered");
    expect(plan.ok, JSON.stringify(plan.error)).toBe(true);
    const planned = plan.output.operations as { outcome: string; changes: unknown[] }[];
    expect(planned.map((o) => o.outcome)).toEqual(operations.map(() => "planned"));
    expect(rig.sandbox.truth.items.plane.length).toBe(itemsBefore);
    expect(rig.sandbox.control.requests("plane").slice(logBefore).filter((r) => r.method !== "GET")).toEqual([]);

    // A short ack wait so the job comes back quickly after the SIGKILL (the agent sets 30 s).
    const jsm = await jetstreamManager(rig.nc);
    await jsm.consumers.update(Stream.Jobs, Consumer.agent("plane"), { ack_wait: 2_000_000_000 });
    const workflowId = "workflow-bulk-apply";
    const result = runJob(rig, "manage", { ...input, dryRun: false }, { phase: "actions", workflowId, timeoutMs: 50_000 });
    const bulkTitles = () => rig.sandbox.truth.items.plane.filter((i) => i.title.startsWith("Bulk item ")).length;
    // Kill once 20 items exist; a job that ends (or stalls) before that fails the test with what it said.
    let ended: unknown = null;
    void result.then(
      (r) => (ended = r),
      (e: unknown) => (ended = e instanceof Error ? e.message : e),
    );
    const until = Date.now() + 60_000;
    while (bulkTitles() < 20) {
      if (ended) throw new Error(`the bulk job ended after ${bulkTitles()} items, before the kill: ${JSON.stringify(ended)}`);
      if (Date.now() > until) throw new Error(`the bulk job created ${bulkTitles()} items in 60 s (Plane requests so far: ${rig.sandbox.control.requests("plane").length})`);
      await new Promise((r) => setTimeout(r, 5));
    }
    step(`${bulkTitles()} items created: killing the agent`);
    const killed = `plane-agent@${hostname()}:${rig.agent.proc.pid}`;
    await rig.agent.kill();
    await new Promise((r) => setTimeout(r, 3_000));
    step("killed");
    Object.assign(rig, await startAgent(rig));
    step("restarted");
    const applied = await result;
    step(`job answered, ok: ${applied.ok}`);
    expect(applied.ok, JSON.stringify(applied.error)).toBe(true);
    // The restarted process finished the job: what the killed one had done was found, not redone.
    expect(applied.worker).not.toBe(killed);
    const replayed = (applied.output.operations as { replayed?: boolean }[]).filter((o) => o.replayed).length;
    expect(replayed).toBeGreaterThan(0);
    expect(replayed).toBeLessThan(200);

    const titles = rig.sandbox.truth.items.plane.filter((i) => i.deletedAt === null && i.title.startsWith("Bulk item ")).map((i) => i.title);
    expect(titles.length).toBe(150);
    expect(new Set(titles).size).toBe(150);
    const outcomes = applied.output.operations as { outcome: string; changes: unknown[]; key?: string }[];
    expect(outcomes.filter((o) => o.outcome === "created")).toHaveLength(150);
    // Exactly what the plan said: the same field changes, operation by operation.
    // Exactly what the plan said: each create with the planned fields, each item left as the planned updates leave it.
    expect(outcomes.slice(0, 150).map((o) => o.changes)).toEqual(planned.slice(0, 150).map((o) => o.changes));
    expect(outcomes.filter((o) => o.outcome === "failed")).toEqual([]);
    const finalPlanned = new Map<string, Record<string, unknown>>();
    planned.slice(150).forEach((o, i) => {
      const id = (operations[150 + i] as { id: string }).id;
      for (const c of o.changes as { field: string; to: unknown }[]) finalPlanned.set(id, { ...finalPlanned.get(id), [c.field]: c.to });
    });
    const truth = rig.sandbox.truth;
    for (const [id, fields] of finalPlanned) {
      const item = truth.items.plane.find((i) => i.id === id)!;
      const state = truth.plane.states.find((s) => s.projectId === item.container && s.category === item.status)!;
      const priority = { low: "low", medium: "medium", high: "high", critical: "urgent", urgent: "urgent", none: "none" }[item.priority];
      expect({ priority, state: state.id }, id).toMatchObject(fields);
    }
    expect(applied.output.metrics).toMatchObject({ tasksCreated: 150 });
    const created = rig.sandbox.truth.items.plane.find((i) => i.title === "Bulk item 3")!;
    expect(created).toMatchObject({ priority: "urgent", labels: [expect.any(String)], assignees: [rig.sandbox.truth.people[3 % rig.sandbox.truth.people.length]!.key] });
    step("reading the summary artifact");
    const summary = await readJson<{ operations: unknown[] }>(rig, workflowId, "issues/plane-bulk-operations.json");
    step("reading one item's artifact");
    expect(summary.operations).toHaveLength(200);
    const one = outcomes.find((o) => o.outcome === "created")!;
    expect(await readJson<{ item: { id: string } }>(rig, workflowId, `issues/${one.key}.json`)).toMatchObject({ item: { id: expect.any(String) } });
  }, 180_000); // 200 writes, a SIGKILL and a restart: allow for a loaded CI machine

  it("publishes signed deliveries as events once each, and refuses forged, altered, unsigned, oversized and non-JSON ones", async () => {
    const url = `http://127.0.0.1:${rig.httpPort}/webhooks/plane`;
    const jsm = await jetstreamManager(rig.nc);
    const stored = async () => (await jsm.streams.info(Stream.Events)).state.messages;
    const received: string[] = [];
    const sub = rig.nc.subscribe("pmo.event.plane.>", { callback: (_e, m) => void received.push(m.subject) });

    // A real delivery from the sandbox (registered the way a user does in Plane's web app).
    rig.sandbox.registerWebhook("plane", url, ["issue"]);
    const item = rig.sandbox.truth.items.plane.find((i) => i.deletedAt === null && i.status !== "cancelled")!;
    rig.sandbox.control.mutate({ platform: "plane", id: item.id, status: "cancelled" });
    await rig.sandbox.control.webhooksIdle();
    const delivered = rig.sandbox.control.webhooks("plane").deliveries;
    expect(delivered.at(-1)).toMatchObject({ ok: true, status: 200 });
    while (!received.includes("pmo.event.plane.status.changed")) await new Promise((r) => setTimeout(r, 20));

    const secret = rig.sandbox.webhookSecrets.plane;
    const body = JSON.stringify({ event: "issue", action: "updated", webhook_id: "w1", workspace_id: "ws1", data: { id: item.id, updated_at: "2026-11-02T10:00:00Z" }, activity: { field: "priority", old_value: "low", new_value: "high", actor: { display_name: "ada" } } });
    const post = (b: string | Buffer, headers: Record<string, string>) => fetch(url, { method: "POST", body: b, headers: { "content-type": "application/json", "x-plane-event": "issue", ...headers } });
    const signed = (b: string | Buffer) => ({ "x-plane-signature": signPlaneWebhook(secret, b), "x-plane-delivery": "5d1c2b3a-0000-4000-8000-00000000abcd" });

    const count = await stored();
    expect((await post(body, signed(body))).status).toBe(200);
    expect(await stored()).toBe(count + 1);
    const again = await post(body, signed(body));
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await stored()).toBe(count + 1);

    expect((await post(body, { ...signed(body), "x-plane-signature": "0".repeat(64) })).status).toBe(401);
    expect((await post(body.replace('"high"', '"urgent"'), signed(body))).status).toBe(401);
    expect((await post(body, { "x-plane-delivery": "x" })).status).toBe(401);
    const huge = Buffer.alloc(1024 * 1024 + 10, "a");
    expect((await post(huge, signed(huge))).status).toBe(413);
    expect((await post("not json", signed("not json"))).status).toBe(400);
    expect(await stored()).toBe(count + 1);
    sub.unsubscribe();
  });

  it("fails verify fast and without retries when the API key is refused, naming PLANE_API_KEY", async () => {
    await rig.agent.kill();
    Object.assign(rig, await startAgent(rig, { PLANE_API_KEY: "plane_api_00000000000000000000000000000000" }));
    const before = rig.sandbox.control.requests("plane").length;
    const result = await runJob(rig, "verify", { platform: "plane", containers: containers(rig.sandbox.truth) }, { phase: "initialization" });
    expect(result.error).toMatchObject({ nonRetryable: true, code: "bad_credentials" });
    expect(result.error!.message).toContain("PLANE_API_KEY");
    expect(rig.sandbox.control.requests("plane").slice(before)).toHaveLength(1);
  });
});

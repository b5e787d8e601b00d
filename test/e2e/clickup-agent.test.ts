import { createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstream, jetstreamManager, AckPolicy } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import type { NatsConnection } from "@nats-io/transport-node";
import { Bucket, Consumer, Stream, Subjects, wrap, type CollectedData, type ManageOperation } from "@pmo/contracts";
import { createClickUpDialect, createSandboxContext, generateTruth, startPlatformServer, startSandbox, writeSandboxConfig, type SandboxHandle, type StatusCategory, type Truth, type TruthItem } from "@pmo/sandbox";
import { kvKey } from "@pmo/runtime";
import { makeConfig } from "../harness/config-fixture.js";
import { connectTo, publishRequest, serviceEnv, startOrchestrator, waitForWorkflow } from "../harness/mesh.js";
import { startFakeAgent } from "../agents/fake-agent.js";
import { startNatsServer, type NatsServer } from "../harness/nats-server.js";
import { startProcess, type ServiceProcess } from "../harness/processes.js";

const started = (e: Record<string, unknown>) => typeof e.msg === "string" && e.msg.endsWith(" started") && typeof e.httpPort === "number";
let counter = 0;

type JobResultPayload = { ok: boolean; output: Record<string, any>; deliveryCount: number; error?: { message: string; code: string; nonRetryable: boolean } };

/** Publishes one job to the agent the way the orchestrator does; `result()` waits for its outcome. */
async function startJob(nc: NatsConnection, op: string, input: Record<string, unknown>, workflowId = `wf-cu-${++counter}`, timeoutMs = 30_000, attempt = 1) {
  const jsm = await jetstreamManager(nc);
  const consumer = await jsm.consumers.add(Stream.Results, { filter_subject: Subjects.result(workflowId), ack_policy: AckPolicy.Explicit, inactive_threshold: 60_000_000_000 });
  const now = Date.now();
  const jobId = `${workflowId}:actions:clickup:${op}:${attempt}`;
  const job = { jobId, workflowId, phase: "actions", agent: "clickup", op, attempt, task: `x/clickup/${op}`, project: "web", issuedAt: new Date(now).toISOString(), deadlineAt: new Date(now + timeoutMs).toISOString(), input };
  await jetstream(nc).publish(Subjects.job("clickup", op), JSON.stringify(wrap("job", job)), { msgID: jobId });
  return {
    workflowId,
    async result(): Promise<JobResultPayload> {
      const msg = await (await jetstream(nc).consumers.get(Stream.Results, consumer.name)).next({ expires: timeoutMs });
      // Acked (and confirmed) before the consumer goes, or the work queue would hand the result to the next one.
      await msg?.ackAck();
      // A work-queue stream allows no overlapping consumers: the orchestrator's (in the last test) needs this one gone.
      await jsm.consumers.delete(Stream.Results, consumer.name);
      if (!msg) throw new Error(`no result for ${op} within ${timeoutMs} ms`);
      return (msg.json() as { payload: JobResultPayload }).payload;
    },
  };
}

async function runJob(nc: NatsConnection, op: string, input: Record<string, unknown>, workflowId?: string, timeoutMs?: number, attempt?: number) {
  const job = await startJob(nc, op, input, workflowId, timeoutMs, attempt);
  return { workflowId: job.workflowId, result: await job.result() };
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function artifact<T>(nc: NatsConnection, workflowId: string, path: string): Promise<T> {
  const os = await new Objm(nc).open("pmo_artifacts");
  const blob = await os.getBlob(`${workflowId}/${path}`);
  if (!blob) throw new Error(`no artifact ${path}`);
  return JSON.parse(new TextDecoder().decode(blob)) as T;
}

/** ClickUp's board order of the sandbox's statuses (their orderindex). */
const BOARD_ORDER: StatusCategory[] = ["backlog", "todo", "in_progress", "in_review", "done", "cancelled"];

/**
 * The status history ClickUp's time in status lets a client know, from the truth's transitions: each
 * status once, at its latest entry (`since`), in time order, each from the one before; who moved it
 * is not reported. Equal to the true history for a task that never returned to a status.
 */
function reportedHistory(truth: Truth, t: TruthItem) {
  const latest = new Map<StatusCategory, number>();
  for (const tr of t.transitions) latest.set(tr.to, tr.at);
  const entries = [...latest].sort(([a, x], [b, y]) => x - y || BOARD_ORDER.indexOf(a) - BOARD_ORDER.indexOf(b));
  const name = (c: StatusCategory) => truth.clickup.statusNames[c];
  return entries.map(([c, at], i) => {
    const from = i > 0 ? entries[i - 1]![0] : null;
    return { at: new Date(at).toISOString(), from: from && name(from), to: name(c), fromCategory: from, toCategory: c, by: null };
  });
}

/** The test's own expectation of a task, straight from the ground truth (independent of the normaliser). */
function expectedItem(sb: Pick<SandboxHandle, "truth">, t: TruthItem, statusHistory = true) {
  const truth = sb.truth;
  // Without the time in status (ClickApp off) there is no history, and the sandbox's tasks have no start_date.
  const history = statusHistory ? reportedHistory(truth, t) : [];
  const list = truth.clickup.lists.find((l) => l.id === t.container)!;
  const sprint = list.sprint ? truth.sprints.find((s) => s.key === list.sprint)! : null;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const name = (key: string) => truth.people.find((p) => p.key === key)!.name;
  return {
    id: t.id,
    key: `CU-${t.id}`,
    title: t.title,
    kind: t.parentId ? "subtask" : "task",
    status: truth.clickup.statusNames[t.status],
    statusCategory: t.status,
    priority: t.priority,
    assignees: t.assignees.map(name).sort(),
    labels: [...t.labels].sort(),
    container: { id: t.container, name: list.name, kind: "list" },
    iteration: sprint ? { id: list.id, name: list.name, startAt: iso(sprint.startAt), endAt: iso(sprint.endAt) } : null,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
    startedAt: history.find((h) => h.toCategory === "in_progress")?.at ?? null,
    closedAt: iso(t.closedAt),
    dueAt: iso(t.dueAt),
    estimate: t.estimatePoints === null && t.timeEstimateMs === null ? null : { points: t.estimatePoints, ms: t.timeEstimateMs },
    timeSpentMs: t.timeEntries.reduce((n, e) => n + e.durationMs, 0),
    parent: t.parentId ? { platform: "clickup", id: t.parentId } : null,
    blockedBy: t.blockedBy.map((id) => ({ platform: "clickup", id })).sort((a, b) => a.id.localeCompare(b.id)),
    history,
  };
}

function actualItem(i: CollectedData["items"][number]) {
  return {
    id: i.ref.id,
    key: i.key,
    title: i.title,
    kind: i.kind,
    status: i.status,
    statusCategory: i.statusCategory,
    priority: i.priority,
    assignees: [...i.assignees].sort(),
    labels: [...i.labels].sort(),
    container: i.container,
    iteration: i.iteration,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    startedAt: i.startedAt,
    closedAt: i.closedAt,
    dueAt: i.dueAt,
    estimate: i.estimate,
    timeSpentMs: i.timeSpentMs,
    parent: i.parent,
    blockedBy: [...i.blockedBy].sort((a, b) => a.id.localeCompare(b.id)),
    history: i.history,
  };
}

const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
const live = (sb: SandboxHandle) => sb.truth.items.clickup.filter((t) => t.deletedAt === null);

describe("clickup-agent against the ClickUp sandbox, as its own process", () => {
  let server: NatsServer;
  let sb: SandboxHandle;
  let nc: NatsConnection;
  let agent: ServiceProcess;
  /** The main agent's HTTP port, once it has started (restarts do not block the next test: its jobs wait in the stream). */
  let agentPort: Promise<number>;
  let configDir: string;
  let env: NodeJS.ProcessEnv;
  let projectBlock: Record<string, any>;

  beforeAll(async () => {
    server = await startNatsServer();
    // timeScale 60: ClickUp's real 100-a-minute window lasts one real second.
    sb = await startSandbox({ seed: 11, itemsPerPlatform: 250, timeScale: 60 });
    const dirs = makeConfig();
    configDir = dirs.configDir;
    await writeSandboxConfig(configDir, sb);
    const cfgPath = join(configDir, "clickup-config.json");
    const cfg = JSON.parse(readFileSync(cfgPath, "utf8"));
    // inFlightGraceMs: a pending ledger entry left by a killed agent is looked up after 1 s instead of timeoutMs + 5 s.
    // The poller is off here (its own test turns it on): other tests count the events on the stream.
    writeFileSync(cfgPath, JSON.stringify({ ...cfg, fullSweepEveryRuns: 2, retryMinMs: 20, timeoutMs: 5_000, inFlightGraceMs: 1_000, silencePoller: { enabled: false } }));
    projectBlock = JSON.parse(readFileSync(join(configDir, "projects.json"), "utf8")).projects.web.clickup;
    env = serviceEnv(server.url, dirs, { LOG_LEVEL: "info" });
    startMainAgent();
    await agentPort;
    nc = await connectTo(server.url);
  }, 30_000);

  /** Runs `work` with an agent on another config in place of the usual one (they share the durable job consumer). */
  async function withAgentOn(dir: string, work: (httpPort: number, other: ServiceProcess) => Promise<void>): Promise<void> {
    await agent.kill();
    const other = startProcess("clickup-agent-other", "services/clickup-agent/src/main.ts", { ...env, PMO_CONFIG_DIR: dir });
    try {
      await work((await other.waitForLog(started)).httpPort as number, other);
    } finally {
      await other.kill();
      startMainAgent();
    }
  }

  function startMainAgent(): void {
    agent = startProcess("clickup-agent", "services/clickup-agent/src/main.ts", env);
    agentPort = agent.waitForLog(started).then((e) => e.httpPort as number);
    agentPort.catch(() => undefined); // a test that needs it awaits it; a kill before it started is not a failure here
  }

  afterAll(async () => {
    await nc?.close();
    await agent?.kill();
    await sb?.close();
    await server?.stop();
  });

  it("verify: the token, the workspace and every configured list are reported", async () => {
    const { result } = await runJob(nc, "verify", { platform: "clickup", containers: projectBlock });
    expect(result.ok, JSON.stringify(result.error)).toBe(true);
    expect(result.output.credential).toBe("valid");
    expect(result.output.lists).toHaveLength(projectBlock.listIds.length);
  });

  it("verify names the problem: a missing list fails fast, non-retryable, naming the list", async () => {
    const { result } = await runJob(nc, "verify", { platform: "clickup", containers: { ...projectBlock, listIds: ["901700000000"] } });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: "container_not_found", nonRetryable: true });
    expect(result.error!.message).toContain("list 901700000000");
    const other = await runJob(nc, "verify", { platform: "clickup", containers: { ...projectBlock, teamId: "123" } });
    expect(other.result.error).toMatchObject({ code: "forbidden", nonRetryable: true });
  });

  it("collect: a full collection equals the ground truth field for field; a 1% change is fetched alone and merged; a deletion is found by the sweep", async () => {
    const before = sb.control.requests("clickup").length;
    const first = await runJob(nc, "collect", { platform: "clickup", containers: projectBlock, outputPath: "data/clickup-collected.json", eventsPath: "monitoring/clickup-events.json" });
    expect(first.result.ok, JSON.stringify(first.result.error)).toBe(true);
    const data = await artifact<CollectedData>(nc, first.workflowId, "data/clickup-collected.json");
    expect(data.mode).toBe("full");
    expect(data.errors).toEqual([]);
    expect(byId(data.items.map(actualItem))).toEqual(byId(live(sb).map((t) => expectedItem(sb, t))));
    const firstRun = sb.control.requests("clickup").slice(before);
    expect(firstRun.every((r) => r.status === 200)).toBe(true);
    // The comparison has teeth: histories of several moves; for a task that never returned to a status, the true start.
    expect(data.items.filter((i) => i.history.length > 2).length).toBeGreaterThan(10);
    const once = live(sb).filter((t) => new Set(t.transitions.map((x) => x.to)).size === t.transitions.length && t.startedAt !== null);
    expect(once.length).toBeGreaterThan(10);
    for (const t of once) expect(data.items.find((i) => i.ref.id === t.id)!.startedAt).toBe(new Date(t.startedAt!).toISOString());
    // One time-in-status request per task page, as the page arrives: the bulk endpoint for two or more tasks, the single one for one.
    const pageSizes = (projectBlock.listIds as string[]).flatMap((id) => {
      const n = live(sb).filter((t) => t.container === id).length;
      return Array.from({ length: Math.max(1, Math.ceil(n / 100)) }, (_, p) => Math.min(100, n - p * 100));
    });
    const requestsTo = (pattern: string) => firstRun.filter((r) => r.pattern === pattern).length;
    expect(requestsTo("/task/bulk_time_in_status/task_ids")).toBe(pageSizes.filter((n) => n >= 2).length);
    expect(requestsTo("/task/:task_id/time_in_status")).toBe(pageSizes.filter((n) => n === 1).length);
    const metrics = await (await fetch(`http://127.0.0.1:${await agentPort}/metrics`)).text();
    expect(metrics).toMatch(/pmo_platform_requests_total\{[^}]*endpoint="GET \/list\/:list_id\/task"[^}]*status="200"[^}]*\} \d+/);
    expect(metrics).toMatch(/pmo_platform_quota_remaining\{platform="clickup"[^}]*\} \d+/);

    // 1% changes: a status move and a field edit.
    const watermark = Math.max(...live(sb).map((t) => t.updatedAt));
    const [a, b] = live(sb).slice(10, 12);
    sb.control.mutate({ platform: "clickup", id: a!.id, status: a!.status === "done" ? "in_progress" : "done" });
    sb.control.mutate({ platform: "clickup", id: b!.id, fields: { title: "Renamed by the test", priority: "urgent" } });
    const mark = sb.control.requests("clickup").length;
    const second = await runJob(nc, "collect", { platform: "clickup", containers: projectBlock, outputPath: "data/clickup-collected.json", eventsPath: "monitoring/clickup-events.json" });
    expect(second.result.ok, JSON.stringify(second.result.error)).toBe(true);
    const incremental = sb.control.requests("clickup").slice(mark);
    // The changed tasks fit one page: one bulk time-in-status request for it.
    expect(incremental.map((r) => `${r.method} ${r.pattern}`).sort()).toEqual(["GET /task/bulk_time_in_status/task_ids", "GET /team", "GET /team/:team_id/task", "GET /team/:team_id/time_entries"]);
    // Only the changed tasks, plus those inside the 60 s clock-skew overlap before the watermark (deduplicated by id).
    const overlap = live(sb).filter((t) => t.updatedAt > watermark - 60_000 && t.id !== a!.id && t.id !== b!.id).length;
    expect(second.result.output).toMatchObject({ mode: "incremental", fetched: 2 + overlap });
    const merged = await artifact<CollectedData>(nc, second.workflowId, "data/clickup-collected.json");
    expect(byId(merged.items.map(actualItem))).toEqual(byId(live(sb).map((t) => expectedItem(sb, t))));
    const events = await artifact<{ events: { type: string; itemRef: { id: string } }[] }>(nc, second.workflowId, "monitoring/clickup-events.json");
    expect(events.events.map((e) => `${e.type}:${e.itemRef.id}`).sort()).toEqual([`item.updated:${b!.id}`, `status.changed:${a!.id}`].sort());

    // A deletion: the periodic full sweep (every 2nd run here) finds it.
    const gone = live(sb)[20]!;
    sb.control.mutate({ platform: "clickup", id: gone.id, delete: true });
    const third = await runJob(nc, "collect", { platform: "clickup", containers: projectBlock, outputPath: "data/clickup-collected.json" });
    const swept = await artifact<CollectedData>(nc, third.workflowId, "data/clickup-collected.json");
    expect(swept.mode).toBe("full");
    expect(swept.deleted).toEqual([{ platform: "clickup", id: gone.id }]);
    expect(byId(swept.items.map(actualItem))).toEqual(byId(live(sb).map((t) => expectedItem(sb, t))));
  }, 60_000);

  it("collect with the Total time in Status ClickApp off: one refused request (403 TIS_027), a clear log line, and today's items (no history, no start)", async () => {
    // A workspace of its own: the ClickApp is a workspace setting, and the API has no call to switch it.
    const ctx = createSandboxContext({ truth: generateTruth({ seed: 13, itemsPerPlatform: 120 }), timeScale: 60 });
    const server = await startPlatformServer(createClickUpDialect(ctx, { token: sb.credentials.clickupToken, timeInStatus: false }), ctx);
    try {
      const dir = join(configDir, "..", "config-no-time-in-status");
      await writeSandboxConfig(dir, { ...sb, urls: { ...sb.urls, clickup: server.url }, truth: ctx.truth });
      const cfgPath = join(dir, "clickup-config.json");
      writeFileSync(cfgPath, JSON.stringify({ ...JSON.parse(readFileSync(cfgPath, "utf8")), silencePoller: { enabled: false } }));
      const block = JSON.parse(readFileSync(join(dir, "projects.json"), "utf8")).projects.web.clickup;
      await withAgentOn(dir, async (_port, other) => {
        const { result, workflowId } = await runJob(nc, "collect", { platform: "clickup", containers: block, outputPath: "data/clickup-collected.json" }, undefined, 60_000);
        expect(result.ok, JSON.stringify(result.error)).toBe(true);
        const data = await artifact<CollectedData>(nc, workflowId, "data/clickup-collected.json");
        expect(data.errors).toEqual([]);
        const items = ctx.truth.items.clickup.filter((t) => t.deletedAt === null);
        expect(byId(data.items.map(actualItem))).toEqual(byId(items.map((t) => expectedItem(ctx, t, false))));
        const refused = server.control.requests("clickup").filter((r) => r.pattern.includes("time_in_status"));
        expect(refused.map((r) => r.status)).toEqual([403]);
        expect(other.output().match(/Total time in Status\W+ClickApp is off/g)).toHaveLength(1);
      });
    } finally {
      await server.close();
    }
  }, 60_000);

  it("webhooks: a signed delivery becomes one event (twice → once); forged, altered, unsigned, oversized and non-JSON deliveries are refused and publish nothing", async () => {
    const secret = sb.webhookSecrets.clickup;
    const url = `http://127.0.0.1:${await agentPort}/webhooks/clickup`;
    const body = JSON.stringify({ event: "taskStatusUpdated", task_id: "abc1", webhook_id: "wh-1", history_items: [{ id: "2800787326392370170", type: 1, date: "1642736073330", field: "status", user: { id: 1, username: "Ada" }, before: { status: "to do", type: "open" }, after: { status: "in progress", type: "custom" } }] });
    const sign = (b: string, key = secret) => createHmac("sha256", key).update(b).digest("hex");
    const post = (b: string, headers: Record<string, string>) => fetch(url, { method: "POST", body: b, headers: { "content-type": "application/json", ...headers } });
    const jsm = await jetstreamManager(nc);
    const count = async () => (await jsm.streams.info(Stream.Events)).state.messages;
    const start = await count();

    expect((await post(body, { "X-Signature": sign(body) })).status).toBe(200);
    expect((await post(body, { "X-Signature": sign(body) })).status).toBe(200);
    expect(await count()).toBe(start + 1);
    const msg = await jsm.streams.getMessage(Stream.Events, { last_by_subj: Subjects.platformEvent("clickup", "status.changed") });
    expect(msg!.json()).toMatchObject({ id: "clickup:2800787326392370170", type: "status.changed", itemRef: { platform: "clickup", id: "abc1" }, changes: [{ field: "status", from: "to do", to: "in progress" }] });

    expect((await post(body, { "X-Signature": sign(body, "not-the-secret") })).status).toBe(401);
    expect((await post(body.replace("abc1", "abc2"), { "X-Signature": sign(body) })).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    const huge = JSON.stringify({ event: "taskUpdated", pad: "x".repeat(1_100_000) });
    expect((await post(huge, { "X-Signature": sign(huge) })).status).toBe(413);
    expect((await post("not json", { "X-Signature": sign("not json") })).status).toBe(400);
    expect(await count()).toBe(start + 1);
    // Every refusal is counted, by reason.
    const metrics = await (await fetch(`http://127.0.0.1:${await agentPort}/metrics`)).text();
    for (const outcome of ["bad_signature", "missing_signature", "too_large", "not_json", "accepted", "duplicate"]) {
      expect(metrics, outcome).toMatch(new RegExp(`pmo_webhook_deliveries_total\\{[^}]*outcome="${outcome}"[^}]*\\} [1-9]`));
    }
  });

  it("webhooks from the sandbox: a status change arrives as a status.changed event; `webhooks register` creates one ClickUp webhook, idempotently", async () => {
    const url = `http://127.0.0.1:${await agentPort}/webhooks/clickup`;
    const reg = sb.registerWebhook("clickup", url, ["*"]);
    try {
      const item = live(sb).find((t) => t.status !== "in_review")!;
      sb.control.mutate({ platform: "clickup", id: item.id, status: "in_review" });
      await sb.control.webhooksIdle();
      const jsm = await jetstreamManager(nc);
      const msg = await jsm.streams.getMessage(Stream.Events, { last_by_subj: Subjects.platformEvent("clickup", "status.changed") });
      expect(msg!.json()).toMatchObject({ type: "status.changed", itemRef: { platform: "clickup", id: item.id }, changes: [{ field: "status", to: sb.truth.clickup.statusNames.in_review }] });
      expect(sb.control.webhooks("clickup").deliveries.filter((d) => d.registrationId === reg.id).every((d) => d.status === 200)).toBe(true);
    } finally {
      sb.control.removeWebhook(reg.id);
    }

    const ask = async () => (await nc.request(Subjects.agentAdmin("clickup", "webhooks.register"), JSON.stringify({ url }), { timeout: 10_000 })).json() as { ok: boolean; message: string; data: { id: string } };
    const first = await ask();
    expect(first.ok, first.message).toBe(true);
    expect(first.message).toContain("its own secret, kept in KV");
    const second = await ask();
    expect(second.data.id).toBe(first.data.id);
    const mine = sb.control.webhooks("clickup").registrations.filter((r) => r.url === url);
    expect(mine).toHaveLength(1);
    sb.control.removeWebhook(mine[0]!.id);
  });

  it("webhooks registered by the agent: ClickUp's per-webhook secret (kept in KV, never shown) verifies their deliveries on every replica; another webhook's secret does not", async () => {
    const url = `http://127.0.0.1:${await agentPort}/webhooks/clickup`;
    // A replica running before the registration (it learns the secret by watching KV), whichever of the two answers it.
    const early = startProcess("clickup-agent-replica-1", "services/clickup-agent/src/main.ts", env);
    let late: ServiceProcess | null = null;
    const ask = async () => (await nc.request(Subjects.agentAdmin("clickup", "webhooks.register"), JSON.stringify({ url }), { timeout: 10_000 })).json() as { ok: boolean; message: string; data: { id: string } };
    let hookId: string | null = null;
    try {
      const earlyPort = (await early.waitForLog(started)).httpPort as number;
      const reply = await ask();
      expect(reply.ok, reply.message).toBe(true);
      hookId = reply.data.id;
      const hook = sb.control.webhooks("clickup").registrations.find((r) => r.id === hookId)!;
      // ClickUp minted this secret; the agent's configured one is a different secret.
      expect(hook.secret).not.toBe(sb.webhookSecrets.clickup);
      const cursors = await new Kvm(nc).open(Bucket.Cursors);
      const key = kvKey("clickup", "webhook-secret", hook.id);
      expect((await cursors.get(key))?.json()).toMatchObject({ secret: hook.secret });

      // A real delivery from the sandbox, signed with the registered webhook's secret.
      const item = live(sb).find((t) => t.status !== "in_progress")!;
      sb.control.mutate({ platform: "clickup", id: item.id, status: "in_progress" });
      await sb.control.webhooksIdle();
      const attempts = sb.control.webhooks("clickup").deliveries.filter((d) => d.registrationId === hook.id);
      expect(attempts.length).toBeGreaterThan(0);
      expect(attempts.every((d) => d.status === 200)).toBe(true);
      const jsm = await jetstreamManager(nc);
      const msg = await jsm.streams.getMessage(Stream.Events, { last_by_subj: Subjects.platformEvent("clickup", "status.changed") });
      expect(msg!.json()).toMatchObject({ itemRef: { platform: "clickup", id: item.id }, changes: [{ field: "status", to: sb.truth.clickup.statusNames.in_progress }] });

      // By hand, to each replica (one started after the registration too): signed with its secret it is published once; with another webhook's secret it is refused.
      late = startProcess("clickup-agent-replica-2", "services/clickup-agent/src/main.ts", env);
      const latePort = (await late.waitForLog(started)).httpPort as number;
      const count = async () => (await jsm.streams.info(Stream.Events)).state.messages;
      for (const port of [await agentPort, earlyPort, latePort]) {
        const body = JSON.stringify({ event: "taskStatusUpdated", task_id: "abc9", webhook_id: hook.id, history_items: [{ id: `registered-${port}`, date: "1642736073330", field: "status", before: { status: "to do" }, after: { status: "done" } }] });
        const post = (secret: string) => fetch(`http://127.0.0.1:${port}/webhooks/clickup`, { method: "POST", body, headers: { "content-type": "application/json", "X-Signature": createHmac("sha256", secret).update(body).digest("hex") } });
        const start = await count();
        expect((await post(sb.webhookSecrets.clickup)).status, `port ${port}`).toBe(401);
        expect((await post("O94IM25S7PXBPYTMNXLLET230SRP0S89COR7B1YOJ2ZIE8WQNK5UUKEF26W0Z5GA")).status).toBe(401);
        expect(await (await post(hook.secret)).json(), `port ${port}`).toEqual({ accepted: 1, duplicates: 0 });
        expect((await post(hook.secret)).status).toBe(200);
        expect(await count()).toBe(start + 1);
      }

      // Registering again reuses the hook and stores its secret again from GET /team/{id}/webhook (here: after the KV entry was lost).
      await cursors.delete(key);
      const again = await ask();
      expect(again.ok, again.message).toBe(true);
      expect(again.data.id).toBe(hook.id);
      expect(sb.control.webhooks("clickup").registrations.filter((r) => r.url === url)).toHaveLength(1);
      expect((await cursors.get(key))?.json()).toMatchObject({ secret: hook.secret });
      const other = live(sb).find((t) => t.status !== "in_review")!;
      sb.control.mutate({ platform: "clickup", id: other.id, status: "in_review" });
      await sb.control.webhooksIdle();
      expect(sb.control.webhooks("clickup").deliveries.filter((d) => d.registrationId === hook.id).every((d) => d.status === 200)).toBe(true);

      // The secret is in KV only: not in the replies, not in any replica's log.
      expect(JSON.stringify([reply, again])).not.toContain(hook.secret);
      for (const p of [agent, early, late]) expect(p.output()).not.toContain(hook.secret);
    } finally {
      if (hookId) sb.control.removeWebhook(hookId);
      await early.kill();
      await late?.kill();
    }
  }, 60_000);

  it("webhooks without a configured secret: a delivery from a webhook the agent does not know is refused (401) and counted; one it registered is accepted", async () => {
    const dir = join(configDir, "..", "config-no-secret");
    await writeSandboxConfig(dir, sb);
    const cfgPath = join(dir, "clickup-config.json");
    const { webhookSecret: _dropped, ...cfg } = JSON.parse(readFileSync(cfgPath, "utf8"));
    writeFileSync(cfgPath, JSON.stringify({ ...cfg, silencePoller: { enabled: false } }));
    await withAgentOn(dir, async (port) => {
      const url = `http://127.0.0.1:${port}/webhooks/clickup`;
      const body = JSON.stringify({ event: "taskUpdated", task_id: "abc1", webhook_id: "made-by-hand", history_items: [{ id: "unknown-1", field: "name" }] });
      const jsm = await jetstreamManager(nc);
      const start = (await jsm.streams.info(Stream.Events)).state.messages;
      for (const key of [sb.webhookSecrets.clickup, "anything"]) {
        expect((await fetch(url, { method: "POST", body, headers: { "X-Signature": createHmac("sha256", key).update(body).digest("hex") } })).status).toBe(401);
      }
      expect((await jsm.streams.info(Stream.Events)).state.messages).toBe(start);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/pmo_webhook_deliveries_total\{[^}]*outcome="bad_signature"[^}]*\} 2/);

      // A webhook it registered needs no configured secret: ClickUp's own, from KV, verifies its deliveries.
      const reply = (await nc.request(Subjects.agentAdmin("clickup", "webhooks.register"), JSON.stringify({ url }), { timeout: 10_000 })).json() as { ok: boolean; message: string; data: { id: string } };
      expect(reply.ok, reply.message).toBe(true);
      try {
        const item = live(sb).find((t) => t.status !== "in_progress")!;
        sb.control.mutate({ platform: "clickup", id: item.id, status: "in_progress" });
        await sb.control.webhooksIdle();
        const attempts = sb.control.webhooks("clickup").deliveries.filter((d) => d.registrationId === reply.data.id);
        expect(attempts.length).toBeGreaterThan(0);
        expect(attempts.every((d) => d.status === 200)).toBe(true);
      } finally {
        sb.control.removeWebhook(reply.data.id);
      }
    });
  });

  it("webhooks silent: the poller asks ClickUp what changed and publishes the missed change", async () => {
    const dir = join(configDir, "..", "config-poller");
    await writeSandboxConfig(dir, sb);
    const cfgPath = join(dir, "clickup-config.json");
    writeFileSync(cfgPath, JSON.stringify({ ...JSON.parse(readFileSync(cfgPath, "utf8")), silencePoller: { intervalMs: 150, silenceMs: 100 } }));
    await withAgentOn(dir, async () => {
      const polls = () => sb.control.requests("clickup").filter((r) => r.pattern === "/team/:team_id/task" && r.url.includes("reverse=true")).length;
      const mark = polls();
      await until(() => polls() > mark); // the first poll sets the watermark from ClickUp's newest task
      const item = live(sb).find((t) => t.status !== "todo")!;
      sb.control.mutate({ platform: "clickup", id: item.id, status: "todo" });
      const jsm = await jetstreamManager(nc);
      const subject = Subjects.platformEvent("clickup", "item.updated");
      let event: Record<string, any> | null = null;
      const end = Date.now() + 15_000;
      while (!event && Date.now() < end) {
        const msg = await jsm.streams.getMessage(Stream.Events, { last_by_subj: subject }).catch(() => null);
        const e = msg?.json() as Record<string, any> | undefined;
        if (e?.itemRef?.id === item.id) event = e;
        else await new Promise((r) => setTimeout(r, 50));
      }
      expect(event).toMatchObject({ type: "item.updated", changes: [{ field: "status", to: sb.truth.clickup.statusNames.todo }] });
      expect(event!.id).toMatch(new RegExp(`^clickup:poll:${item.id}:`));
    });
  });

  it("manage: the CLI's single create (list, title, assignee, priority high) makes the task and answers its id and URL", async () => {
    const list = projectBlock.listIds[0];
    const person = sb.truth.people[1]!;
    const op: ManageOperation = { op: "create", title: "Ship the thing", assignee: person.name, priority: "high", container: list };
    const { result, workflowId } = await runJob(nc, "manage", { platform: "clickup", operations: [op], dryRun: false, containers: projectBlock });
    expect(result.ok, JSON.stringify(result.error)).toBe(true);
    const [outcome] = result.output.operations;
    expect(outcome).toMatchObject({ outcome: "created", key: `CU-${outcome.id}`, title: "Ship the thing", url: `https://app.clickup.com/t/${outcome.id}` });
    const task = sb.truth.items.clickup.find((t) => t.id === outcome.id)!;
    expect(task).toMatchObject({ title: "Ship the thing", priority: "high", assignees: [person.key], container: list });
    expect(result.output.metrics).toEqual({ tasksCreated: 1, tasksUpdated: 0, tasksCompleted: 0 });
    expect(await artifact(nc, workflowId, `issues/${outcome.id}.json`)).toMatchObject({ id: outcome.id, url: outcome.url, operations: [{ outcome: "created" }] });
  });

  it("manage: update, close and comment do what they say (dry run first), a bad operation fails alone, and a retried job repeats nothing", async () => {
    const [a, b, c] = live(sb).filter((t) => t.status === "todo" || t.status === "backlog").slice(0, 3);
    const person = sb.truth.people[2]!;
    const aWas = a!.status; // truth items are live objects: keep what it was
    const ops: ManageOperation[] = [
      { op: "update", id: a!.id, status: "in_progress", priority: "critical", assignee: person.email, labels: ["pmo-test"] },
      { op: "close", id: b!.id },
      { op: "comment", id: c!.id, description: "Looked at it" },
      { op: "update", id: c!.id, assignee: "nobody-here" },
    ];
    const input = { platform: "clickup", operations: ops, dryRun: false, containers: projectBlock };
    const plan = await runJob(nc, "manage", { ...input, dryRun: true });
    expect(plan.result.output.operations.map((o: { outcome: string }) => o.outcome)).toEqual(["planned", "planned", "planned", "failed"]);
    expect(plan.result.output.operations[0].changes).toEqual(expect.arrayContaining([{ field: "status", from: sb.truth.clickup.statusNames[aWas], to: sb.truth.clickup.statusNames.in_progress }]));
    expect(a!.status).toBe(aWas);

    const workflowId = `wf-cu-manage-mixed`;
    const { result } = await runJob(nc, "manage", input, workflowId);
    expect(result.ok, JSON.stringify(result.error)).toBe(true);
    expect(result.output.operations.map((o: { outcome: string }) => o.outcome)).toEqual(["updated", "closed", "commented", "failed"]);
    expect(result.output.operations[3].error).toContain("nobody-here");
    expect(result.output.metrics).toEqual({ tasksCreated: 0, tasksUpdated: 2, tasksCompleted: 1 });
    const after = (id: string) => sb.truth.items.clickup.find((t) => t.id === id)!;
    expect(after(a!.id)).toMatchObject({ status: "in_progress", priority: "urgent" });
    expect(after(a!.id).assignees).toContain(person.key);
    expect(after(a!.id).labels).toContain("pmo-test");
    expect(after(b!.id).status).toBe("done");
    expect(after(c!.id).comments.filter((x) => x.body.startsWith("Looked at it"))).toHaveLength(1);
    expect(result.output.rollback[0]).toMatchObject({ action: "restore", id: a!.id, previous: { status: sb.truth.clickup.statusNames[aWas] } });

    // The orchestrator's retry of the same work (a new job id, same workflow): nothing happens twice.
    const again = await runJob(nc, "manage", input, workflowId, undefined, 2);
    expect(again.result.output.operations.slice(0, 3).map((o: { reused?: boolean }) => o.reused), JSON.stringify(again.result)).toEqual([true, true, true]);
    expect(after(c!.id).comments.filter((x) => x.body.startsWith("Looked at it"))).toHaveLength(1);
  });

  it("bad token: verify fails at once, non-retryable, naming the credential, after a single request", async () => {
    const badDir = join(configDir, "..", "config-bad");
    await writeSandboxConfig(badDir, { ...sb, credentials: { ...sb.credentials, clickupToken: "pk_0_NOTATOKEN" } });
    await withAgentOn(badDir, async () => {
      const mark = sb.control.requests("clickup").length;
      const { result } = await runJob(nc, "verify", { platform: "clickup", containers: projectBlock });
      expect(result.error).toMatchObject({ code: "bad_credentials", nonRetryable: true });
      expect(result.error!.message).toContain("CLICKUP_API_TOKEN");
      expect(sb.control.requests("clickup").slice(mark)).toHaveLength(1);
    });
  });

  it("with the real limit (time-scaled, 15 a minute here), a collection several windows long never gets a 429", async () => {
    // timeScale 10: the minute lasts 6 real seconds. Resets are announced in whole seconds, so at 60×
    // (a 1 s minute) the announcement could not even tell one window from the next.
    const tight = await startSandbox({ seed: 12, itemsPerPlatform: 120, timeScale: 10, rateLimits: { clickupPerMinute: 15 } });
    try {
      const dir = join(configDir, "..", "config-tight");
      await writeSandboxConfig(dir, tight);
      const cfgPath = join(dir, "clickup-config.json");
      writeFileSync(cfgPath, JSON.stringify({ ...JSON.parse(readFileSync(cfgPath, "utf8")), rateLimit: { requestsPerMinute: 15 } }));
      const block = JSON.parse(readFileSync(join(dir, "projects.json"), "utf8")).projects.web.clickup;
      await withAgentOn(dir, async () => {
        const { result, workflowId } = await runJob(nc, "collect", { platform: "clickup", containers: block, outputPath: "data/clickup-collected.json" }, undefined, 60_000);
        expect(result.ok, JSON.stringify(result.error)).toBe(true);
        const data = await artifact<CollectedData>(nc, workflowId, "data/clickup-collected.json");
        expect(byId(data.items.map(actualItem))).toEqual(byId(live(tight).map((t) => expectedItem(tight, t))));
      });
      const log = tight.control.requests("clickup");
      expect(log.length).toBeGreaterThan(2 * 15);
      expect(log.filter((r) => r.status === 429)).toEqual([]);
    } finally {
      await tight.close();
    }
  }, 60_000);

  it("bulk of 200: dryRun changes nothing; applied, it creates exactly the plan, once each", async () => {
    const list = projectBlock.listIds[1];
    const ops: ManageOperation[] = Array.from({ length: 200 }, (_, i) => ({ op: "create", title: `Bulk task ${i}`, priority: "low", container: list }));
    const countBefore = sb.truth.items.clickup.length;
    const dry = await runJob(nc, "manage", { platform: "clickup", operations: ops, dryRun: true, containers: projectBlock });
    expect(dry.result.ok, JSON.stringify(dry.result.error)).toBe(true);
    expect(dry.result.output.operations.every((o: { outcome: string }) => o.outcome === "planned")).toBe(true);
    expect(sb.truth.items.clickup.length).toBe(countBefore);
    const applied = await runJob(nc, "manage", { platform: "clickup", operations: ops, dryRun: false, containers: projectBlock }, undefined, 60_000);
    expect(applied.result.ok, JSON.stringify(applied.result.error)).toBe(true);
    expect(applied.result.output.metrics.tasksCreated).toBe(200);
    expect((await artifact<{ operations: unknown[] }>(nc, applied.workflowId, "issues/clickup-bulk-operations.json")).operations).toHaveLength(200);
    const made = sb.truth.items.clickup.filter((t) => t.title.startsWith("Bulk task "));
    expect(made).toHaveLength(200);
    expect(new Set(made.map((t) => t.title)).size).toBe(200);
    expect(made.every((t) => t.priority === "low" && t.container === list)).toBe(true);
    // 200 writes at 100 a minute (a second here): the budget kept every answer under the limit.
    expect(sb.control.requests("clickup").filter((r) => r.status === 429)).toEqual([]);
  }, 180_000);

  it("with 10% injected 429/5xx/resets/malformed bodies, a collection still equals the ground truth", async () => {
    const rules = (["rate_limit", "server_error", "reset", "malformed"] as const).map((kind) => sb.control.addFault("clickup", { kind, rate: 0.025, match: "GET" }));
    try {
      const lists = projectBlock.listIds.slice(0, 6);
      // Two runs: with a sweep every 2nd run here, one is full and the other incremental.
      const modes: string[] = [];
      for (let run = 0; run < 2; run++) {
        const { result, workflowId } = await runJob(nc, "collect", { platform: "clickup", containers: { ...projectBlock, listIds: lists }, outputPath: "data/clickup-collected.json" }, undefined, 60_000);
        expect(result.ok, JSON.stringify(result.error)).toBe(true);
        const data = await artifact<CollectedData>(nc, workflowId, "data/clickup-collected.json");
        modes.push(data.mode);
        const expected = live(sb).filter((t) => lists.includes(t.container));
        expect(byId(data.items.map(actualItem))).toEqual(byId(expected.map((t) => expectedItem(sb, t))));
      }
      expect(modes.sort()).toEqual(["full", "incremental"]);
      expect(rules.reduce((n, r) => n + (sb.control.faults("clickup").find((f) => f.id === r.id)?.applied ?? 0), 0)).toBeGreaterThan(0);
    } finally {
      sb.control.clearFaults("clickup");
    }
  }, 60_000);

  it("SIGKILL mid-bulk, then the job is redelivered: every task exists exactly once", async () => {
    const list = projectBlock.listIds[2];
    const ops: ManageOperation[] = Array.from({ length: 60 }, (_, i) => ({ op: "create", title: `Crash task ${i}`, container: list }));
    const made = () => sb.truth.items.clickup.filter((t) => t.title.startsWith("Crash task "));
    // Slow writes, so the kill lands in the middle of the bulk with creates in flight.
    const slow = sb.control.addFault("clickup", { kind: "slow", match: "POST /list/", rate: 1, delayMs: 60 });
    const job = await startJob(nc, "manage", { platform: "clickup", operations: ops, dryRun: false, containers: projectBlock }, undefined, 60_000);
    await until(() => made().length >= 12);
    await agent.kill();
    const atKill = made().length;
    sb.control.clearFaults("clickup", slow.id);
    expect(atKill).toBeLessThan(60);
    // The job's ack wait is 30 s; shorten it so the server redelivers now rather than in half a minute.
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.update(Stream.Jobs, Consumer.agent("clickup"), { ack_wait: 300_000_000 });
    await new Promise((r) => setTimeout(r, 1_000));
    const restartMark = sb.control.requests("clickup").length;
    startMainAgent();
    const result = await job.result();
    // The creates the killed agent left pending were looked up by their marker (newest tasks first) before any new create.
    expect(sb.control.requests("clickup").slice(restartMark).some((r) => r.pattern === "/list/:list_id/task" && r.url.includes("reverse=true"))).toBe(true);
    expect(result.ok, JSON.stringify(result.error)).toBe(true);
    expect(result.deliveryCount).toBeGreaterThan(1);
    expect(made()).toHaveLength(60);
    expect(new Set(made().map((t) => t.title)).size).toBe(60);
    expect(result.output.operations.filter((o: { reused?: boolean }) => o.reused).length).toBeGreaterThanOrEqual(atKill - 4);
  }, 180_000);

  // Last: the orchestrator leaves its durable consumer on the work-queue results stream, which excludes runJob's.
  it("workflows through the orchestrator: a report completes with the agent's real collected data; the CLI's manage request creates the task", async () => {
    const orchestrator = await startOrchestrator(env);
    const report = await startFakeAgent("report", { env });
    try {
      await publishRequest(nc, { action: "report", platforms: ["clickup"], project: "web", requestId: "cu-report-1", parameters: { reportType: "weekly", formats: ["markdown"] } });
      const done = await waitForWorkflow(nc, "cu-report-1", 40_000);
      expect(done.record.state.status, JSON.stringify(done.record.state.metadata?.errors)).toBe("complete");
      const data = await artifact<CollectedData>(nc, done.workflowId, "data/clickup-collected.json");
      expect(data.items.length).toBe(live(sb).length);

      // What `pmo run --action manage --platforms clickup --list-id L --title T --assignee U --priority high` publishes.
      const list = projectBlock.listIds[3];
      const person = sb.truth.people[0]!;
      await publishRequest(nc, { action: "manage", platforms: ["clickup"], project: "web", requestId: "cu-manage-1", parameters: { listId: list, title: "From the CLI", assignee: person.name, priority: "high" } });
      const managed = await waitForWorkflow(nc, "cu-manage-1", 40_000);
      expect(managed.record.state.status, JSON.stringify(managed.record.state.metadata?.errors)).toBe("complete");
      const [op] = managed.record.state.phases.actions.subphases["manage:clickup"].output.operations;
      expect(op).toMatchObject({ outcome: "created", url: `https://app.clickup.com/t/${op.id}` });
      expect(sb.truth.items.clickup.find((t) => t.id === op.id)).toMatchObject({ title: "From the CLI", container: list, priority: "high", assignees: [person.key] });
    } finally {
      await report.stop();
      await orchestrator.stop();
    }
  }, 60_000);
});

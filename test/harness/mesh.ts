import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Bucket, Subjects, type WorkflowRequestInput } from "@pmo/contracts";
import { getJson, kvKey, startService, type RunningService } from "@pmo/runtime";
import { buildOrchestrator } from "../../services/orchestrator/src/index.js";

/** Env for a service in a test: the harness's server, temp config and workspace, quiet logs. */
export function serviceEnv(url: string, dirs: { configDir: string; workspaceDir: string }, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { NATS_URL: url, PMO_CONFIG_DIR: dirs.configDir, PMO_WORKSPACE_DIR: dirs.workspaceDir, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent", PMO_HTTP_PORT: "0", ...extra };
}

/** The orchestrator in this process (tests that need it as a process use startProcess). */
export function startOrchestrator(env: NodeJS.ProcessEnv): Promise<RunningService> {
  return startService("orchestrator", buildOrchestrator, { env, installSignalHandlers: false });
}

export async function publishRequest(nc: NatsConnection, request: WorkflowRequestInput | string | Uint8Array, msgId?: string): Promise<number> {
  const data = typeof request === "string" || request instanceof Uint8Array ? request : JSON.stringify(request);
  const ack = await jetstream(nc).publish(Subjects.workflowRequest, data, msgId ? { msgID: msgId } : undefined);
  return ack.seq;
}

export interface FinishedWorkflow {
  workflowId: string;
  // The KV record (state + engine), typed loosely on purpose: tests check the wire shape.
  record: { state: Record<string, any>; engine: Record<string, any>; requestId: string };
}

/** Polls KV until the request's workflow is complete or in error. */
export async function waitForWorkflow(nc: NatsConnection, requestId: string, timeoutMs = 30_000): Promise<FinishedWorkflow> {
  const kvm = new Kvm(nc);
  const ledger = await kvm.open(Bucket.Ledger);
  const workflows = await kvm.open(Bucket.Workflows);
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < until) {
    // A NATS outage (chaos tests) makes a poll fail: keep polling until the deadline.
    const claim = await getJson<{ workflowId: string }>(ledger, kvKey("request", requestId)).catch(() => null);
    if (claim) {
      const rec = await getJson<FinishedWorkflow["record"]>(workflows, claim.value.workflowId).catch(() => null);
      last = rec?.value.state.status;
      if (rec && (rec.value.state.status === "complete" || rec.value.state.status === "error")) return { workflowId: claim.value.workflowId, record: rec.value };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`workflow for request ${requestId} did not finish within ${timeoutMs} ms (last status: ${String(last)})`);
}

export async function connectTo(url: string): Promise<NatsConnection> {
  return connect({ servers: url.split(","), maxReconnectAttempts: -1, reconnectTimeWait: 200 });
}

export interface TestMesh {
  server: import("./nats-server.js").NatsServer;
  nc: NatsConnection;
  dirs: { configDir: string; workspaceDir: string };
  env: NodeJS.ProcessEnv;
  services: RunningService[];
  stop(): Promise<void>;
}

/** A fresh server, the orchestrator and fake agents, all in this process. */
export async function startMesh(opts: { agents?: import("@pmo/contracts").Agent[]; behaviours?: import("../agents/fake-agent.js").Behaviours; policy?: Record<string, unknown>; effectsLog?: string } = {}): Promise<TestMesh> {
  const { startNatsServer } = await import("./nats-server.js");
  const { makeConfig } = await import("./config-fixture.js");
  const { startFakeAgent } = await import("../agents/fake-agent.js");
  const server = await startNatsServer();
  const dirs = makeConfig(opts.policy);
  const env = serviceEnv(server.url, dirs);
  const services: RunningService[] = [await startOrchestrator(env)];
  for (const agent of opts.agents ?? ["clickup", "github", "plane", "report", "alert", "sync"]) {
    services.push(await startFakeAgent(agent, { env, behaviours: opts.behaviours, effectsLog: opts.effectsLog ?? null }));
  }
  const nc = await connectTo(server.url);
  return {
    server,
    nc,
    dirs,
    env,
    services,
    stop: async () => {
      await nc.close();
      for (const s of [...services].reverse()) await s.stop();
      await server.stop();
    },
  };
}

/** Polls the workflow of `requestId` until `predicate(record)` holds. */
export async function waitForRecord(nc: NatsConnection, requestId: string, predicate: (record: FinishedWorkflow["record"]) => boolean, timeoutMs = 20_000): Promise<FinishedWorkflow> {
  const kvm = new Kvm(nc);
  const ledger = await kvm.open(Bucket.Ledger);
  const workflows = await kvm.open(Bucket.Workflows);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const claim = await getJson<{ workflowId: string }>(ledger, kvKey("request", requestId)).catch(() => null);
    const rec = claim && (await getJson<FinishedWorkflow["record"]>(workflows, claim.value.workflowId).catch(() => null));
    if (claim && rec && predicate(rec.value)) return { workflowId: claim.value.workflowId, record: rec.value };
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`workflow of ${requestId} never reached the expected state within ${timeoutMs} ms`);
}

/** Job ids of every attempt the engine dispatched. */
export function dispatchedJobIds(record: FinishedWorkflow["record"]): string[] {
  return Object.values(record.engine.tasks as Record<string, { jobIds: string[] }>).flatMap((t) => t.jobIds);
}

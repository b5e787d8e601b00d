/** Test plumbing for github-agent e2e tests: config for a sandbox, the agent as a process, jobs and their results. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { Bucket, Subjects, wrap, type Job, type JobResult } from "@pmo/contracts";
import { writeSandboxConfig, type ConfigSource } from "@pmo/sandbox";
import { startProcess, type ServiceProcess } from "../../../test/harness/processes.js";
import { startNatsServer } from "../../../test/harness/nats-server.js";
import { testJob, waitForJobResult } from "../../../test/harness/jobs.js";
import { connectTo, serviceEnv } from "../../../test/harness/mesh.js";
import { ArtifactStore, ensureTopology } from "@pmo/runtime";
import { CollectedDataSchema, type CollectedData } from "@pmo/contracts";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

/** Sandbox config + the agent's test settings (no write spacing, quick retries) + fast workflow policy. */
export async function writeAgentConfig(dir: string, sandbox: ConfigSource, extra: Record<string, unknown> = {}): Promise<void> {
  await writeSandboxConfig(dir, sandbox);
  const path = join(dir, "github-config.json");
  const config = JSON.parse(readFileSync(path, "utf8"));
  writeFileSync(path, JSON.stringify({ ...config, writeIntervalMs: 0, retryBaseMs: 20, ...extra }, null, 2));
  writeFileSync(join(dir, "workflow.json"), JSON.stringify({ retry: { attempts: 3, baseMs: 50, factor: 2, maxMs: 400 }, tickMs: 50, republishAfterMs: 500, jobTimeoutMs: 20_000 }));
}

export async function startAgent(env: NodeJS.ProcessEnv): Promise<{ proc: ServiceProcess; httpPort: number }> {
  // BENCH_AGENT_NODE_ARGS: extra node flags for profiling under the benchmark (e.g. --cpu-prof).
  const proc = startProcess("github-agent", "services/github-agent/src/main.ts", { ...env, LOG_LEVEL: "info" }, (process.env.BENCH_AGENT_NODE_ARGS ?? "").split(" ").filter(Boolean));
  const started = await proc.waitForLog((e) => typeof e.msg === "string" && e.msg.includes("started") && e.httpPort !== undefined, 30_000);
  return { proc, httpPort: Number(started.httpPort) };
}

let seq = 0;

/** Publishes a job to the agent (as the orchestrator would) and waits for its result in the ledger. */
export async function runJob(nc: NatsConnection, op: string, input: Record<string, unknown>, opts: { workflowId?: string; msgId?: string; wait?: boolean; timeoutMs?: number } = {}): Promise<{ job: Job; result: Promise<JobResult> }> {
  const workflowId = opts.workflowId ?? `workflow-test-${process.pid}-${++seq}`;
  const phase = op === "verify" ? "initialization" : op === "collect" ? "discovery" : "actions";
  const job = testJob({ workflowId, agent: "github", op, phase, input, deadlineMs: Math.max(120_000, opts.timeoutMs ?? 0) });
  await jetstream(nc).publish(Subjects.job("github", op), JSON.stringify(wrap("job", job)), { msgID: opts.msgId ?? job.jobId });
  return { job, result: waitForJobResult(nc, job.jobId, opts.timeoutMs ?? 40_000) };
}

/** Forgets collection state (cursors) so the next collect starts from scratch. */
export async function forgetCursors(nc: NatsConnection): Promise<void> {
  const kv = await new Kvm(nc).open(Bucket.Cursors);
  for await (const key of await kv.keys()) await kv.purge(key);
}

/** One isolated world per test file: a nats-server, a sandbox, the agent's config and the agent process. */
export interface AgentWorld {
  nc: NatsConnection;
  env: NodeJS.ProcessEnv;
  configDir: string;
  serverUrl: string;
  agent: { proc: ServiceProcess; httpPort: number };
  stop(): Promise<void>;
}

export async function startWorld(sandbox: ConfigSource, extra: Record<string, unknown> = {}): Promise<AgentWorld & { store: ArtifactStore }> {
  const server = await startNatsServer();
  const nc = await connectTo(server.url);
  const topology = await ensureTopology(nc, { replicas: 1 });
  const dir = mkdtempSync(join(tmpdir(), "pmo-gh-"));
  const configDir = join(dir, "config");
  await writeAgentConfig(configDir, sandbox, extra);
  const env = serviceEnv(server.url, { configDir, workspaceDir: join(dir, "ws") });
  const world = {
    nc,
    env,
    configDir,
    serverUrl: server.url,
    store: new ArtifactStore(topology.artifacts),
    agent: await startAgent(env),
    async stop() {
      await world.agent.proc.terminate();
      await nc.close();
      await server.stop();
    },
  };
  return world;
}

/** Runs `collect` over the repos and returns the parsed data file. */
export async function collectRepos(world: { nc: NatsConnection; store: ArtifactStore }, repos: string[], timeoutMs = 40_000): Promise<{ result: JobResult; data: CollectedData; workflowId: string }> {
  const { job, result } = await runJob(world.nc, "collect", { platform: "github", containers: { repos }, outputPath: "data/github-collected.json", eventsPath: "monitoring/github-events.json" }, { timeoutMs });
  const r = await result;
  if (r.error) throw new Error(`collect failed: ${r.error.message}`);
  const bytes = await world.store.get(job.workflowId, "data/github-collected.json");
  return { result: r, data: CollectedDataSchema.parse(JSON.parse(new TextDecoder().decode(bytes!))), workflowId: job.workflowId };
}

/**
 * npm run bench:mesh — 200 workflows through all six phases with instant test agents, 50 in flight.
 * The orchestrator runs as its own process (as deployed); the test agents share this process.
 * Prints p50/p95 latency per workflow (publish → workflow.completed event) and workflows/s.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { Subjects, WorkflowEventEnvelopeSchema, type Agent } from "@pmo/contracts";
import type { RunningService } from "@pmo/runtime";
import { startFakeAgent } from "../test/agents/fake-agent.js";
import { makeConfig } from "../test/harness/config-fixture.js";
import { connectTo, publishRequest, serviceEnv } from "../test/harness/mesh.js";
import { startNatsServer } from "../test/harness/nats-server.js";
import { startProcess } from "../test/harness/processes.js";
import { childPid, cpuMsOf } from "./proc-stats.js";
import { recordResults } from "./results-file.js";

const TOTAL = Number(process.env.BENCH_WORKFLOWS ?? 200);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 50);

const SOLO = Number(process.env.BENCH_SOLO ?? 30);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface BatchFigures {
  workflows: number;
  inFlight: number;
  failed: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  workflowsPerSecond: number;
}

interface CpuPerWorkflow {
  orchestratorMs: number;
  natsServerMs: number;
  benchMs: number;
}

/** Runs a batch and reports, per workflow, the CPU each process spent meanwhile (wall-clock throughput is noisy on a shared machine). */
async function measured(pids: { orchestrator?: number; nats?: number }, total: number, run: () => Promise<BatchFigures>): Promise<BatchFigures & { cpuPerWorkflow: CpuPerWorkflow }> {
  const before = { o: cpuMsOf(pids.orchestrator), n: cpuMsOf(pids.nats), b: process.cpuUsage() };
  const figures = await run();
  const b = process.cpuUsage(before.b);
  const per = (ms: number) => Number((ms / total).toFixed(2));
  return { ...figures, cpuPerWorkflow: { orchestratorMs: per(cpuMsOf(pids.orchestrator) - before.o), natsServerMs: per(cpuMsOf(pids.nats) - before.n), benchMs: per((b.user + b.system) / 1000) } };
}

const row = (name: string, f: BatchFigures) => `| ${name} | ${f.workflows} | ${f.inFlight} | ${f.p50Ms} ms | ${f.p95Ms} ms | ${f.maxMs} ms | ${f.workflowsPerSecond} | ${f.failed} |`;

/** Publishes `total` workflows keeping `inFlight` of them running; latency = publish → completed event. */
async function runBatch(nc: NatsConnection, prefix: string, total: number, inFlight: number): Promise<BatchFigures> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let failed = 0;
  let slotFree: (() => void) | null = null;
  let resolveAll!: () => void;
  const allDone = new Promise<void>((r) => (resolveAll = r));
  const sub = nc.subscribe(Subjects.workflowEventsAll, {
    callback: (_err, msg) => {
      const e = WorkflowEventEnvelopeSchema.parse(msg.json()).payload;
      if (e.type !== "workflow.completed" && e.type !== "workflow.failed") return;
      const t0 = sentAt.get(e.requestId ?? "");
      if (t0 === undefined) return;
      sentAt.delete(e.requestId!);
      latencies.push(performance.now() - t0);
      if (e.type === "workflow.failed") failed++;
      slotFree?.();
      if (latencies.length === total) resolveAll();
    },
  });
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    while (sentAt.size >= inFlight) await new Promise<void>((r) => (slotFree = r));
    const requestId = `${prefix}-${i}`;
    sentAt.set(requestId, performance.now());
    await publishRequest(nc, { action: "report", platforms: ["github"], project: "web", requestId, parameters: { reportType: "daily", formats: ["markdown"] } });
  }
  await allDone;
  sub.unsubscribe();
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { workflows: total, inFlight, failed, p50Ms: Math.round(pct(latencies, 50)), p95Ms: Math.round(pct(latencies, 95)), maxMs: Math.round(latencies.at(-1)!), workflowsPerSecond: Number((total / seconds).toFixed(1)) };
}

async function main(): Promise<void> {
  const server = await startNatsServer();
  // Production timings except a faster tick; fast retries are irrelevant here (nothing fails).
  const dirs = makeConfig({ tickMs: 200, republishAfterMs: 5_000, localLeaseMs: 30_000 });
  const env = serviceEnv(server.url, dirs);
  const orchestrator = startProcess("orchestrator", "services/orchestrator/src/main.ts", { ...env, LOG_LEVEL: "info" }, (process.env.BENCH_ORCHESTRATOR_NODE_ARGS ?? "").split(" ").filter(Boolean));
  await orchestrator.waitForLog((e) => e.msg === "orchestrator started");
  const agents: RunningService[] = [];
  for (const a of ["github", "report"] as Agent[]) agents.push(await startFakeAgent(a, { env }));
  const nc = await connectTo(server.url);

  const pids = { orchestrator: orchestrator.proc.pid, nats: childPid("nats-server") };
  const loaded = await measured(pids, TOTAL, () => runBatch(nc, "bench", TOTAL, IN_FLIGHT));
  const single = await measured(pids, SOLO, () => runBatch(nc, "solo", SOLO, 1));
  const figures = { loaded, single };
  console.log(JSON.stringify(figures, null, 2));
  recordResults("Mesh", [
    `\`npm run bench:mesh\` — report workflows (github, one markdown report: verify, collect, analyze, render, then validation and the final report) through all six phases; orchestrator as its own process, instant test agents in the bench process, one nats-server (file storage), this 2-core machine. Latency is publish → \`workflow.completed\` event.`,
    "",
    "| run | workflows | in flight | p50 | p95 | max | workflows/s | failed |",
    "|---|---|---|---|---|---|---|---|",
    row("loaded", loaded),
    row("one at a time", single),
    "",
    `CPU per workflow under load: orchestrator ${loaded.cpuPerWorkflow.orchestratorMs} ms, nats-server ${loaded.cpuPerWorkflow.natsServerMs} ms, bench process (test agents) ${loaded.cpuPerWorkflow.benchMs} ms.`,
    "",
    `Measured ${new Date().toISOString().slice(0, 10)}. Under load, latency is mostly queueing behind the other ${IN_FLIGHT - 1} workflows (Little's law: in flight ÷ throughput); one at a time it is the orchestration overhead of a workflow with instant agents. Per workflow the orchestrator does ~11 CAS writes of the workflow record (the first creates it with phase 0 started), 4 job round trips, reads 5 artifacts from the object store with direct gets (digest checked) and writes them to the workspace, mirrors global-state.json on every transition, validates outputs, writes two artifacts of its own, the final report, and moves the workspace to archive/. Throughput varies with what else the machine runs: three consecutive quiet runs gave 52.1, 59.0 and 61.2 workflows/s (one-at-a-time p50 23–26 ms); with other benchmarks running at the same time, 26–42.`,
  ]);
  await nc.close();
  for (const a of agents) await a.stop();
  await orchestrator.terminate();
  await server.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

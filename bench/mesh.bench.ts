/**
 * npm run bench:mesh — 200 workflows through all six phases with instant test agents, 50 in flight.
 * The orchestrator runs as its own process (as deployed); the test agents share this process.
 * Prints p50/p95 latency per workflow (publish → workflow.completed event) and workflows/s.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Subjects, WorkflowEventEnvelopeSchema, type Agent } from "@pmo/contracts";
import type { RunningService } from "@pmo/runtime";
import { startFakeAgent } from "../test/agents/fake-agent.js";
import { makeConfig } from "../test/harness/config-fixture.js";
import { connectTo, publishRequest, serviceEnv } from "../test/harness/mesh.js";
import { startNatsServer } from "../test/harness/nats-server.js";
import { startProcess } from "../test/harness/processes.js";
import { recordResults } from "./results-file.js";

const TOTAL = Number(process.env.BENCH_WORKFLOWS ?? 200);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 50);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

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

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const failed: string[] = [];
  let resolveAll!: () => void;
  const allDone = new Promise<void>((r) => (resolveAll = r));
  let slotFree: (() => void) | null = null;
  nc.subscribe(Subjects.workflowEventsAll, {
    callback: (_err, msg) => {
      const e = WorkflowEventEnvelopeSchema.parse(msg.json()).payload;
      if (e.type !== "workflow.completed" && e.type !== "workflow.failed") return;
      const t0 = sentAt.get(e.requestId ?? "");
      if (t0 === undefined) return;
      sentAt.delete(e.requestId!);
      latencies.push(performance.now() - t0);
      if (e.type === "workflow.failed") failed.push(`${e.workflowId}: ${e.message}`);
      slotFree?.();
      if (latencies.length === TOTAL) resolveAll();
    },
  });

  const started = performance.now();
  for (let i = 0; i < TOTAL; i++) {
    while (sentAt.size >= IN_FLIGHT) await new Promise<void>((r) => (slotFree = r));
    const requestId = `bench-${i}`;
    sentAt.set(requestId, performance.now());
    await publishRequest(nc, { action: "report", platforms: ["github"], project: "web", requestId, parameters: { reportType: "daily", formats: ["markdown"] } });
  }
  await allDone;
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const figures = {
    workflows: TOTAL,
    inFlight: IN_FLIGHT,
    failed: failed.length,
    p50Ms: Math.round(pct(latencies, 50)),
    p95Ms: Math.round(pct(latencies, 95)),
    maxMs: Math.round(latencies.at(-1)!),
    workflowsPerSecond: Number((TOTAL / seconds).toFixed(1)),
    jobsPerWorkflow: 4,
  };
  console.log(JSON.stringify(figures, null, 2));
  if (failed.length) console.log(`failed:\n${failed.slice(0, 5).join("\n")}`);
  recordResults("Mesh", [
    `\`npm run bench:mesh\` — ${TOTAL} report workflows (github, one markdown report: verify, collect, analyze, render + the two local phases), ${IN_FLIGHT} in flight, orchestrator as its own process, instant test agents, one nats-server (file storage), this 2-core machine.`,
    "",
    "| p50 | p95 | max | workflows/s | failed |",
    "|---|---|---|---|---|",
    `| ${figures.p50Ms} ms | ${figures.p95Ms} ms | ${figures.maxMs} ms | ${figures.workflowsPerSecond} | ${figures.failed} |`,
    "",
    `Measured ${new Date().toISOString().slice(0, 10)}. Latency is publish → \`workflow.completed\` event with ${IN_FLIGHT} workflows queued at once, so it includes queueing behind the others; the work done per workflow is ~14 CAS writes of the workflow record, 4 job round trips, 8 artifact puts and their materialisation, a state mirror per transition, validation, the final report and the archive copy.`,
  ]);
  await nc.close();
  for (const a of agents) await a.stop();
  await orchestrator.terminate();
  await server.stop();
  writeFileSync(join(dirs.workspaceDir, "..", "done"), "");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

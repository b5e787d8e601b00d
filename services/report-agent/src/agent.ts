import { JobOp } from "@pmo/contracts";
import { JobWorker, ensureAgentConsumer, type Component, type ServiceKit } from "@pmo/runtime";
import { analyzeJob } from "./jobs/analyze.js";
import { renderJob } from "./jobs/render.js";
import { loadAnalyticsSettings } from "./settings.js";

/**
 * Rendering is CPU-bound (pdf layout, chart layout): two jobs at a time per process keeps heartbeats
 * timely on a small machine; more throughput comes from more replicas. @default 2
 */
export const REPORT_WORKER_CONCURRENCY = 2;

/**
 * The report-agent: `analyze` (phase 2) and `render` (phase 3) jobs from its durable consumer on
 * PMO_JOBS, which all its replicas share, so N processes split a batch of render jobs between them.
 */
export async function buildReportAgent(kit: ServiceKit): Promise<Component[]> {
  const settings = await loadAnalyticsSettings(kit.env.PMO_CONFIG_DIR);
  // A replica that dies mid-job gives the job back after this long (heartbeats keep a slow one's).
  const ackWaitMs = kit.env.PMO_JOB_ACK_WAIT_MS;
  await ensureAgentConsumer(kit.topology.jsm, "report", { replicas: kit.env.PMO_REPLICAS, jobAckWaitMs: ackWaitMs });
  const worker = new JobWorker({
    nc: kit.nc,
    agent: "report",
    handlers: {
      [JobOp.Analyze]: (ctx) => analyzeJob(ctx, settings),
      [JobOp.Render]: (ctx) => renderJob(ctx, settings),
    },
    artifacts: kit.artifacts,
    ledger: kit.topology.kv.Ledger,
    log: kit.log,
    metrics: kit.metrics,
    concurrency: REPORT_WORKER_CONCURRENCY,
    ackWaitMs,
    instance: kit.instance,
  });
  kit.health.addCheck("worker", () => ({ ok: worker.running, detail: { busy: worker.busy } }));
  return [{ name: "worker", start: () => worker.start(), stop: () => worker.stop() }];
}

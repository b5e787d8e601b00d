import type { JobResult, PhaseState } from "@pmo/contracts";
import { advance, failTask } from "./engine.js";
import { isTerminal } from "./record.js";
import type { Transition } from "./transitions.js";

/** What the orchestrator found when it materialised and checked the result's artifacts. */
export type OutputVerdict = { valid: true } | { valid: false; message: string };

/**
 * Folds one job result into the workflow. Results are keyed by job id: a duplicate, or a late result
 * for a task already decided, changes nothing. Returns false when nothing changed.
 */
export function applyResult(t: Transition, result: JobResult, verdict: OutputVerdict): boolean {
  const r = t.record;
  if (isTerminal(r)) return false;
  const task = Object.values(r.engine.tasks).find((x) => x.jobIds.includes(result.jobId));
  if (!task || task.status === "succeeded" || task.status === "failed") return false;
  const current = task.jobIds.at(-1) === result.jobId;

  if (result.ok && verdict.valid) {
    // A success from an earlier attempt (one we timed out on) still counts: the work is done.
    task.status = "succeeded";
    task.output = result.output;
    task.artifacts = result.artifacts;
    task.worker = result.worker;
    task.timeoutAt = null;
    task.retryAt = null;
    const view: PhaseState = { status: "complete", output: { ...result.output, artifacts: result.artifacts.map((a) => a.path) }, timestamp: t.iso };
    if (task.phase === "discovery" && task.platform) {
      r.state.phases.discovery.agents[task.platform] = view;
      r.state.metadata.platformsData[task.platform] = result.output;
    }
    if (task.subphase) r.state.phases.actions.subphases[task.subphase] = view;
    addMetrics(t, task.op, result.output);
    t.emit("job.succeeded", { phase: task.phase, data: { jobId: result.jobId, task: task.key, attempt: task.attempt, worker: result.worker, artifacts: result.artifacts.map((a) => a.path) } });
  } else {
    if (!current || task.status !== "dispatched") return false; // a stale failure of a superseded attempt
    const error = !result.ok && result.error
      ? result.error
      : { message: verdict.valid ? "job failed without an error" : `output gate: ${verdict.message}`, code: verdict.valid ? "unknown" : "gate_failed", nonRetryable: !verdict.valid };
    failTask(t, task, error);
  }
  t.touch();
  advance(t);
  return true;
}

/** Agents report counters in `output.metrics`; a rendered report counts itself. */
function addMetrics(t: Transition, op: string, output: Record<string, unknown>): void {
  const metrics = t.record.state.metadata.metrics;
  const reported = output.metrics;
  if (reported && typeof reported === "object") {
    for (const [k, v] of Object.entries(reported as Record<string, unknown>)) {
      if (typeof v === "number" && Number.isFinite(v)) metrics[k] = (metrics[k] ?? 0) + v;
    }
  }
  if (op === "render" && !(reported && typeof reported === "object" && "reportsGenerated" in reported)) metrics.reportsGenerated += 1;
}

import { PHASES, jobId as makeJobId, type JobError, type Phase, type PhaseState } from "@pmo/contracts";
import { jobTimeoutMs, phaseDeadlineMs } from "@pmo/runtime";
import { buildJob } from "./jobs.js";
import { LOCAL_PHASES, healthyPlatforms, planPhase } from "./plan.js";
import { isTerminal, type TaskRecord, type WorkflowRecord } from "./record.js";
import { backoffMs, nextPhase, type EngineContext, type Transition } from "./transitions.js";

/**
 * The phase engine's decisions. Everything here is a pure function of the record and the clock:
 * it changes the transition's private copy of the record and lists effects (jobs to publish,
 * events, local work) that the executor performs only after the record is committed to KV with
 * compare-and-set. Any orchestrator replica can therefore continue any workflow.
 */
export function advance(t: Transition): void {
  const r = t.record;
  const { now, policy } = t.ctx;
  for (let guard = 0; guard < 64 && !isTerminal(r); guard++) {
    const phase = r.engine.phase;
    if (!phase) return;
    if (r.engine.phaseStartedAt[phase] === undefined) {
      startPhase(t, phase);
      continue;
    }
    if (r.engine.phaseDeadlineAt !== null && now >= r.engine.phaseDeadlineAt) {
      const waiting = phaseTasks(r, phase).filter((x) => x.status !== "succeeded" && x.status !== "failed").map((x) => `${x.agent}-agent ${x.op}`);
      failWorkflow(t, phase, `phase ${phase} exceeded its deadline of ${phaseDeadlineMs(policy, phase)} ms${waiting.length ? `; still waiting on: ${waiting.join(", ")}` : ""}`);
      return;
    }
    for (const task of phaseTasks(r, phase)) {
      if (task.status === "dispatched" && task.timeoutAt !== null && now >= task.timeoutAt) {
        failTask(t, task, { message: `no result from ${task.agent}-agent within ${jobTimeoutMs(policy, task.op)} ms`, code: "timeout", nonRetryable: false });
      }
      if (task.status === "waiting_retry" && task.retryAt !== null && now >= task.retryAt) dispatch(t, task);
      if (task.status === "pending") {
        const deps = task.dependsOn.map((k) => r.engine.tasks[k]);
        if (deps.some((d) => d?.status === "failed")) failTask(t, task, { message: `a task it depends on failed: ${task.dependsOn.join(", ")}`, code: "dependency_failed", nonRetryable: true });
        else if (deps.every((d) => d?.status === "succeeded")) dispatch(t, task);
      }
    }
    if (isTerminal(r)) return;
    if (LOCAL_PHASES.has(phase)) {
      const lease = r.engine.local;
      if (!lease || lease.phase !== phase || now >= lease.leaseUntil) {
        r.engine.local = { phase, owner: t.ctx.instance, leaseUntil: now + t.ctx.leaseMs };
        t.effects.push({ kind: "local", phase });
      }
      return;
    }
    const tasks = phaseTasks(r, phase);
    if (!tasks.every((x) => x.status === "succeeded" || x.status === "failed")) return;
    if (!passGate(t, phase, tasks)) return;
    completePhase(t, phase, phaseOutput(r, phase, tasks));
  }
}

function phaseTasks(r: WorkflowRecord, phase: Phase): TaskRecord[] {
  return Object.values(r.engine.tasks).filter((x) => x.phase === phase);
}

function startPhase(t: Transition, phase: Phase): void {
  const r = t.record;
  r.engine.phaseStartedAt[phase] = t.ctx.now;
  r.engine.phaseDeadlineAt = t.ctx.now + phaseDeadlineMs(t.ctx.policy, phase);
  t.setPhase(phase, "in_progress");
  for (const spec of planPhase(phase, r)) {
    r.engine.tasks[spec.key] = { ...spec, status: "pending", attempt: 0, jobIds: [], dispatchedAt: null, timeoutAt: null, retryAt: null, output: null, artifacts: [], lastError: null, worker: null };
    if (spec.subphase) r.state.phases.actions.subphases[spec.subphase] = { status: "pending", output: null, timestamp: t.iso };
  }
  t.emit("phase.started", { phase, status: "in_progress" });
  t.touch();
}

function dispatch(t: Transition, task: TaskRecord): void {
  const r = t.record;
  const { now, policy } = t.ctx;
  const n = r.engine.nextJob++;
  const id = makeJobId(r.state.workflowId, task.phase, task.agent, task.op, n);
  const timeout = jobTimeoutMs(policy, task.op);
  task.attempt += 1;
  task.jobIds.push(id);
  task.status = "dispatched";
  task.dispatchedAt = now;
  task.timeoutAt = now + timeout;
  task.retryAt = null;
  t.effects.push({ kind: "dispatch", job: buildJob(r, task) });
  markTaskView(t, task, "in_progress");
  t.emit("job.dispatched", { phase: task.phase, data: { jobId: id, task: task.key, attempt: task.attempt } });
}

/** A failed attempt: retried with backoff unless non-retryable or out of attempts. */
export function failTask(t: Transition, task: TaskRecord, error: JobError): void {
  const r = t.record;
  task.lastError = error;
  t.addError(task.phase, error, task.attempt, { task: task.key, agent: `${task.agent}-agent`, jobId: task.jobIds.at(-1) ?? null });
  if (!error.nonRetryable && task.attempt < t.ctx.policy.retry.attempts && task.attempt > 0) {
    task.status = "waiting_retry";
    task.retryAt = t.ctx.now + backoffMs(t.ctx.policy, task.attempt);
    t.emit("job.retrying", { phase: task.phase, message: error.message, data: { task: task.key, attempt: task.attempt, retryInMs: task.retryAt - t.ctx.now } });
    return;
  }
  task.status = "failed";
  task.timeoutAt = null;
  markTaskView(t, task, "error", { error: error.message, code: error.code });
  t.emit("job.failed", { phase: task.phase, message: error.message, data: { task: task.key, attempts: task.attempt, code: error.code } });
  if (task.platform && !error.nonRetryable) {
    // Recoverable trouble that outlasted its retries: drop this platform, carry on with the others.
    r.engine.platformHealth[task.platform] = "error";
  } else {
    failWorkflow(t, task.phase, `${task.agent}-agent ${task.op} failed${error.nonRetryable ? " (not retryable)" : ` after ${task.attempt} attempts`}: ${error.message}`);
  }
}

function markTaskView(t: Transition, task: TaskRecord, status: PhaseState["status"], output?: unknown): void {
  const view: PhaseState = { status, output: output ?? null, timestamp: t.iso };
  if (task.phase === "discovery" && task.platform) t.record.state.phases.discovery.agents[task.platform] = view;
  if (task.subphase) t.record.state.phases.actions.subphases[task.subphase] = view;
}

function passGate(t: Transition, phase: Phase, tasks: TaskRecord[]): boolean {
  const r = t.record;
  if (tasks.some((x) => x.platform) && healthyPlatforms(r).length === 0) {
    failWorkflow(t, phase, `every platform failed in ${phase}: ${r.request.platforms.join(", ")}`);
    return false;
  }
  return true;
}

function phaseOutput(r: WorkflowRecord, phase: Phase, tasks: TaskRecord[]): unknown {
  const byTask = Object.fromEntries(tasks.map((x) => [x.platform ?? x.subphase ?? x.op, x.status === "succeeded" ? { ...x.output, artifacts: x.artifacts.map((a) => a.path) } : { error: x.lastError?.message ?? "failed" }]));
  if (phase === "initialization") return { workspace: r.state.workflowId, verified: byTask };
  return byTask;
}

function completePhase(t: Transition, phase: Phase, output: unknown): void {
  const r = t.record;
  t.setPhase(phase, "complete", output);
  t.emit("phase.completed", { phase, status: "complete" });
  const next = nextPhase(phase);
  r.engine.phase = next;
  r.engine.phaseDeadlineAt = null;
  r.engine.local = null;
  if (!next) finishWorkflow(t);
  t.touch();
}

function finishWorkflow(t: Transition): void {
  const r = t.record;
  r.engine.finishedAtMs = t.ctx.now;
  r.engine.phase = null;
  r.state.status = "complete";
  const dropped = r.request.platforms.filter((p) => r.engine.platformHealth[p] === "error");
  t.touch();
  t.emit("workflow.completed", {
    status: "complete",
    message: dropped.length ? `completed without ${dropped.join(", ")} (see errors)` : "completed",
    data: { partial: dropped.length > 0, failedPlatforms: dropped, executionTime: r.state.metadata.executionTime },
  });
}

/** Ends the workflow in `error` (fail fast, deadline, gate). */
export function failWorkflow(t: Transition, phase: Phase, message: string): void {
  const r = t.record;
  if (isTerminal(r)) return;
  t.setPhase(phase, "error");
  t.addError(phase, { message, code: "workflow_failed" }, 0);
  r.state.status = "error";
  r.engine.phase = null;
  r.engine.finishedAtMs = t.ctx.now;
  r.engine.local = null;
  for (const task of Object.values(r.engine.tasks)) {
    if (task.status === "dispatched" || task.status === "waiting_retry" || task.status === "pending") {
      task.status = "failed";
      task.timeoutAt = null;
      markTaskView(t, task, "error", { error: "cancelled: the workflow failed" });
    }
  }
  t.touch();
  t.emit("phase.failed", { phase, status: "error", message });
  t.emit("workflow.failed", { phase, status: "error", message });
  t.effects.push({ kind: "failed" });
}

/** Applies the outcome of the orchestrator's own work for a local phase. */
export function completeLocal(t: Transition, phase: Phase, outcome: { ok: true; output: unknown } | { ok: false; message: string }): void {
  const r = t.record;
  if (isTerminal(r) || r.engine.phase !== phase) return; // already applied (replayed after a crash)
  if (!outcome.ok) {
    failWorkflow(t, phase, outcome.message);
    return;
  }
  completePhase(t, phase, outcome.output);
  advance(t);
}

export { PHASES };

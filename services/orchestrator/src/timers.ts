import type { KV } from "@nats-io/kv";
import type { Logger } from "pino";
import { JOBS_DUPLICATE_WINDOW_MS, type Component, type WorkflowFile } from "@pmo/runtime";
import { advance } from "./engine.js";
import type { Executor } from "./executor.js";
import type { WorkflowStore } from "./workflow-store.js";
import { buildJob } from "./jobs.js";
import { isTerminal, type WorkflowRecord } from "./record.js";

/** When a record next needs attention: a job timeout, a due retry, a phase deadline, an expired lease. */
export function nextWakeAt(r: WorkflowRecord): number {
  if (isTerminal(r) || !r.engine.phase) return Infinity;
  const phase = r.engine.phase;
  if (r.engine.phaseStartedAt[phase] === undefined) return 0; // created but never advanced (crash mid-intake)
  let wake = r.engine.phaseDeadlineAt ?? Infinity;
  for (const t of Object.values(r.engine.tasks)) {
    if (t.phase !== phase) continue;
    if (t.status === "dispatched" && t.timeoutAt !== null) wake = Math.min(wake, t.timeoutAt);
    if (t.status === "waiting_retry" && t.retryAt !== null) wake = Math.min(wake, t.retryAt);
    if (t.status === "pending") wake = 0;
  }
  if (r.engine.local?.phase === phase) wake = Math.min(wake, r.engine.local.leaseUntil);
  else if (r.engine.phase === "synchronization" || r.engine.phase === "reporting") wake = 0;
  return wake;
}

/**
 * Keeps, from a KV watch, the set of unfinished workflows, and on each tick advances those whose
 * timers are due and republishes jobs that got no answer yet (same msg id: the server drops the copy
 * if the first publish arrived). This is how a restarted or surviving replica resumes any workflow.
 */
export class Timers implements Component {
  readonly name = "timers";
  private readonly active = new Map<string, WorkflowRecord>();
  private readonly republished = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private watcher: Awaited<ReturnType<KV["watch"]>> | null = null;
  private ticking = false;

  constructor(
    private readonly store: WorkflowStore,
    private readonly executor: Executor,
    private readonly policy: WorkflowFile,
    private readonly log: Logger,
  ) {}

  get activeCount(): number {
    return this.active.size;
  }

  async start(): Promise<void> {
    this.watcher = await this.store.kv.watch();
    void (async () => {
      for await (const e of this.watcher!) {
        if (e.operation !== "PUT") {
          this.store.observe(e.key, null);
          this.active.delete(e.key);
          continue;
        }
        try {
          // This process's own writes are already parsed.
          const r = this.store.at(e.key, e.revision) ?? e.json<WorkflowRecord>();
          this.store.observe(e.key, e.revision);
          if (isTerminal(r)) this.active.delete(e.key);
          else this.active.set(e.key, r);
        } catch (err) {
          this.log.error({ err, key: e.key }, "unreadable workflow record");
        }
      }
    })();
    this.timer = setInterval(() => void this.tick(), this.policy.tickMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.watcher?.stop();
    while (this.ticking) await new Promise((r) => setTimeout(r, 10));
  }

  /** One pass over the active workflows. Exposed for tests. */
  async tick(now = Date.now()): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const [id, r] of this.active) {
        if (nextWakeAt(r) <= now) {
          await this.executor.commit(id, (t) => advance(t)).catch((err) => this.log.error({ err, workflowId: id }, "advancing a workflow failed"));
        }
        await this.republish(r, now);
      }
    } finally {
      this.ticking = false;
    }
  }

  private async republish(r: WorkflowRecord, now: number): Promise<void> {
    for (const task of Object.values(r.engine.tasks)) {
      if (task.status !== "dispatched" || task.dispatchedAt === null) continue;
      const jobId = task.jobIds.at(-1)!;
      // Past the server's duplicate window a copy would no longer be dropped: stop well before it.
      if (now - task.dispatchedAt > JOBS_DUPLICATE_WINDOW_MS * 0.8) continue;
      const last = this.republished.get(jobId) ?? task.dispatchedAt;
      if (now - last < this.policy.republishAfterMs) continue;
      this.republished.set(jobId, now);
      await this.executor.publishJob(buildJob(r, task)).catch((err) => this.log.warn({ err, jobId }, "republish failed"));
    }
    if (this.republished.size > 10_000) this.republished.clear();
  }
}

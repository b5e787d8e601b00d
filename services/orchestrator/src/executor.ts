import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import pRetry from "p-retry";
import type { Logger } from "pino";
import { Subjects, wrap, type Job, type Phase, type WorkflowEvent } from "@pmo/contracts";
import type { ArtifactStore, WorkflowFile } from "@pmo/runtime";
import { completeLocal } from "./engine.js";
import { runReporting, runSynchronization, writeFailureReport, type LocalOutcome } from "./local-phases.js";
import type { WorkflowRecord } from "./record.js";
import { Transition, type EngineContext } from "./transitions.js";
import type { Committed, WorkflowStore } from "./workflow-store.js";
import type { Workspace } from "./workspace.js";

export interface ExecutorDeps {
  nc: NatsConnection;
  store: WorkflowStore;
  workspace: Workspace;
  artifacts: ArtifactStore;
  log: Logger;
  instance: string;
  policy: WorkflowFile;
}

/**
 * Commits transitions and then carries out their effects. Work on one workflow is serialised
 * inside this process (fewer CAS races, ordered state mirrors); across replicas CAS keeps it safe.
 */
export class Executor {
  private readonly js: JetStreamClient;
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly mirrored = new Map<string, number>();
  private readonly locals = new Set<Promise<void>>();

  constructor(private readonly deps: ExecutorDeps) {
    this.js = jetstream(deps.nc);
  }

  context = (): EngineContext => ({ now: Date.now(), instance: this.deps.instance, policy: this.deps.policy, leaseMs: this.deps.policy.localLeaseMs });

  /** Runs `fn` after every earlier call for the same workflow in this process has finished. */
  serial<T>(workflowId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(workflowId) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.chains.set(workflowId, tail);
    void tail.then(() => {
      if (this.chains.get(workflowId) === tail) this.chains.delete(workflowId);
    });
    return next;
  }

  /** Applies `change` with CAS and performs the winning transition's effects. */
  commit(workflowId: string, change: (t: Transition) => boolean | void): Promise<Committed | null> {
    return this.serial(workflowId, async () => {
      const committed = await this.deps.store.commit(workflowId, this.context, change);
      if (committed) await this.perform(committed);
      return committed;
    });
  }

  async perform(c: Committed): Promise<void> {
    const id = c.record.state.workflowId;
    // The mirror and every message of the transition go out together; each is idempotent on its own.
    const pending: Promise<void>[] = [this.mirror(c.record, c.revision)];
    for (const effect of c.transition.effects) {
      switch (effect.kind) {
        case "dispatch":
          pending.push(this.publishJob(effect.job));
          break;
        case "event":
          pending.push(this.publishEvent(effect.event, effect.msgId));
          break;
        case "local":
          this.track(this.runLocal(id, effect.phase, c.record));
          break;
        case "failed":
          this.track(writeFailureReport(c.record, this.deps).then(() => this.mirror(c.record, c.revision), (err) => this.deps.log.error({ err, workflowId: id }, "could not write the failure report")));
          break;
      }
    }
    await Promise.all(pending);
  }

  /** Publishes a job; its id is the `Nats-Msg-Id`, so publishing it again is harmless. */
  async publishJob(job: Job): Promise<void> {
    void (await pRetry(() => this.js.publish(Subjects.job(job.agent, job.op), JSON.stringify(wrap("job", job)), { msgID: job.jobId }), { retries: 4, minTimeout: 100 }));
  }

  private async publishEvent(event: WorkflowEvent, msgId: string): Promise<void> {
    void await pRetry(() => this.js.publish(Subjects.workflowEvent(event.workflowId!), JSON.stringify(wrap("workflow.event", event)), { msgID: msgId }), { retries: 4, minTimeout: 100 }).catch((err) =>
      // A lost progress event is not worth failing the workflow for: state in KV stays authoritative.
      this.deps.log.warn({ err, type: event.type, workflowId: event.workflowId }, "could not publish a workflow event"),
    );
  }

  private async mirror(record: WorkflowRecord, revision: number): Promise<void> {
    const id = record.state.workflowId;
    if ((this.mirrored.get(id) ?? 0) > revision) return;
    this.mirrored.set(id, revision);
    await this.deps.workspace.mirrorState(record.state).catch((err) => this.deps.log.error({ err, workflowId: id }, "could not mirror global-state.json"));
    if (record.state.status === "complete" || record.state.status === "error") this.mirrored.delete(id);
  }

  private async runLocal(workflowId: string, phase: Phase, record: WorkflowRecord): Promise<void> {
    const deps = {
      workspace: this.deps.workspace,
      artifacts: this.deps.artifacts,
      preview: (r: WorkflowRecord, p: Phase, outcome: LocalOutcome) => {
        const t = new Transition(structuredClone(r), this.context());
        completeLocal(t, p, outcome);
        return t.record;
      },
    };
    let outcome: LocalOutcome;
    try {
      outcome = phase === "synchronization" ? await runSynchronization(record, deps) : await runReporting(record, { ...deps, archive: this.deps.policy.archive });
    } catch (err) {
      this.deps.log.error({ err, workflowId, phase }, "local phase failed");
      outcome = { ok: false, message: `${phase}: ${(err as Error).message}` };
    }
    await this.commit(workflowId, (t) => {
      const lease = t.record.engine.local;
      if (!lease || lease.phase !== phase || lease.owner !== this.deps.instance) return false; // another replica took over
      completeLocal(t, phase, outcome);
    });
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err) => this.deps.log.error({ err }, "background work failed"));
    this.locals.add(tracked);
    void tracked.finally(() => this.locals.delete(tracked));
  }

  /** Waits for local phases and reports in progress (graceful shutdown). */
  async idle(): Promise<void> {
    while (this.locals.size) await Promise.allSettled([...this.locals]);
    await Promise.allSettled([...this.chains.values()]);
  }
}

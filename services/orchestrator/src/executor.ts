import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import { headers, type NatsConnection } from "@nats-io/transport-node";
import pRetry from "p-retry";
import type { Logger } from "pino";
import { Subjects, wrap, type Job, type Phase, type WorkflowEvent } from "@pmo/contracts";
import type { ArtifactStore, WorkflowFile } from "@pmo/runtime";
import type { ArtifactReader } from "./artifact-reader.js";
import { completeLocal } from "./engine.js";
import { runReporting, runSynchronization, writeFailureReport, type LocalOutcome } from "./local-phases.js";
import type { WorkflowRecord } from "./record.js";
import { Transition, type EngineContext } from "./transitions.js";
import type { Committed, Snapshot, WorkflowStore } from "./workflow-store.js";
import type { Workspace } from "./workspace.js";

interface MirrorSlot {
  latest: { record: WorkflowRecord; revision: number } | null;
  written: number;
  running: Promise<void> | null;
}

export interface ExecutorDeps {
  nc: NatsConnection;
  store: WorkflowStore;
  workspace: Workspace;
  artifacts: ArtifactStore;
  reader: ArtifactReader;
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
  private readonly mirrors = new Map<string, MirrorSlot>();
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

  /** Applies `change` with CAS and performs the winning transition's effects. `base` (a read the caller made) saves a lookup. */
  commit(workflowId: string, change: (t: Transition) => boolean | void, base?: Snapshot, context: () => EngineContext = this.context): Promise<Committed | null> {
    return this.serial(workflowId, async () => {
      const committed = await this.deps.store.commit(workflowId, context, change, base);
      if (committed) await this.perform(committed);
      return committed;
    });
  }

  /** Performs the effects of a workflow's first transition, written by its creation. */
  performCreated(c: Committed): Promise<void> {
    return this.serial(c.record.state.workflowId, () => this.perform(c));
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
          this.publishEvent(effect.event, effect.msgId);
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

  /**
   * Progress events go out as plain publishes into the stream (still deduplicated by msg id), without
   * waiting for an ack per event: they are progress, not state. KV stays authoritative, and the CLI
   * checks it, so a lost event costs nothing but a line of progress.
   */
  private publishEvent(event: WorkflowEvent, msgId: string): void {
    const h = headers();
    h.set("Nats-Msg-Id", msgId);
    try {
      this.deps.nc.publish(Subjects.workflowEvent(event.workflowId!), JSON.stringify(wrap("workflow.event", event)), { headers: h });
    } catch (err) {
      this.deps.log.warn({ err, type: event.type, workflowId: event.workflowId }, "could not publish a workflow event");
    }
  }

  /**
   * Mirrors the state to global-state.json. One write per workflow is in flight at a time; transitions
   * that land meanwhile are folded into the next write, which always carries the newest revision. So the
   * file follows every transition in order and never goes back to an older state.
   */
  private mirror(record: WorkflowRecord, revision: number): Promise<void> {
    const id = record.state.workflowId;
    let m = this.mirrors.get(id);
    if (!m) this.mirrors.set(id, (m = { latest: null, written: 0, running: null }));
    if (!m.latest || revision > m.latest.revision) m.latest = { record, revision };
    m.running ??= this.flushMirror(id, m);
    return m.running;
  }

  private async flushMirror(id: string, m: MirrorSlot): Promise<void> {
    try {
      while (m.latest && m.latest.revision > m.written) {
        const { record, revision } = m.latest;
        await this.deps.workspace.mirrorState(record.state);
        m.written = revision;
      }
    } catch (err) {
      this.deps.log.error({ err, workflowId: id }, "could not mirror global-state.json");
    } finally {
      m.running = null;
      const status = m.latest?.record.state.status;
      if (status === "complete" || status === "error") this.mirrors.delete(id);
    }
  }

  private async runLocal(workflowId: string, phase: Phase, record: WorkflowRecord): Promise<void> {
    // A previewed state (the final global-state.json written before the archive move) and the commit
    // that follows share one clock reading, so the file already equals what KV will hold.
    let previewedAt: number | undefined;
    const deps = {
      workspace: this.deps.workspace,
      artifacts: this.deps.artifacts,
      reader: this.deps.reader,
      preview: (r: WorkflowRecord, p: Phase, outcome: LocalOutcome) => {
        const context = this.context();
        previewedAt = context.now;
        const t = new Transition(structuredClone(r), context);
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
    }, undefined, () => ({ ...this.context(), now: previewedAt ?? Date.now() }));
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

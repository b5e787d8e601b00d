import { setMaxListeners } from "node:events";
import { hostname } from "node:os";
import type { NatsConnection } from "@nats-io/transport-node";
import { jetstream, type JetStreamClient, type JsMsg } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import type { Logger } from "pino";
import {
  Consumer,
  JobEnvelopeSchema,
  Stream,
  Subjects,
  describeIssues,
  parseJobId,
  wrap,
  type Agent,
  type ArtifactRef,
  type Job,
  type JobError,
  type JobResult,
} from "@pmo/contracts";
import type { ArtifactStore } from "./artifacts.js";
import { ConsumerLoop } from "./consumer-loop.js";
import { JobFailure } from "./errors.js";
import { JobHeartbeat } from "./job-heartbeat.js";
import { getJson, kvKey } from "./kv.js";
import type { ServiceMetrics } from "./metrics.js";
import { DEFAULT_JOB_ACK_WAIT_MS, DEFAULT_MAX_DELIVERIES } from "./topology.js";

/** What a handler gets: the job, a signal that fires at the job's deadline or on shutdown, and the artifact store. */
export interface JobContext {
  job: Job;
  deliveryCount: number;
  signal: AbortSignal;
  artifacts: ArtifactStore;
  log: Logger;
  /** Tells the server the job is alive; call it freely (per item): the worker beats on a timer as well and sends at most a few of these an ack wait. */
  heartbeat(): void;
}

export interface JobOutcome {
  output?: Record<string, unknown>;
  artifacts?: ArtifactRef[];
}

export type JobHandler = (ctx: JobContext) => Promise<JobOutcome>;

export interface JobWorkerOptions {
  nc: NatsConnection;
  agent: Agent;
  handlers: Record<string, JobHandler>;
  artifacts: ArtifactStore;
  /** `pmo_ledger`: finished jobs (so a redelivery republishes the result instead of redoing the work) and dead letters. */
  ledger: KV;
  log: Logger;
  metrics: ServiceMetrics;
  /** Jobs handled at once by this process. @default 4 */
  concurrency?: number;
  /** The consumer's ack wait, when it cannot be read from the server; heartbeats go out at a third of the server's. */
  ackWaitMs?: number;
  /** Overrides the heartbeat interval (ackWaitMs / 3). */
  heartbeatMs?: number;
  /** Handler attempts before dead-lettering; the consumer's max_deliver is this + 1. */
  maxDeliveries?: number;
  instance?: string;
}

/** @default 4 */
export const DEFAULT_WORKER_CONCURRENCY = 4;

/**
 * A typed job worker over the agent's durable pull consumer on PMO_JOBS. At-least-once delivery:
 * the handler may see a job twice after a crash, so handlers must be idempotent; a job that already
 * finished is recognised from the ledger and its result republished (deduplicated by result id).
 */
export class JobWorker {
  private readonly js: JetStreamClient;
  private readonly loop: ConsumerLoop;
  private readonly controllers = new Set<AbortController>();
  /** The jobs this process is running now, by job id: what a redelivery of one waits for (see handle). */
  private readonly runningHere = new Map<string, Promise<void>>();
  readonly instance: string;

  constructor(private readonly opts: JobWorkerOptions) {
    this.js = jetstream(opts.nc);
    this.instance = opts.instance ?? `${opts.agent}-agent@${hostname()}:${process.pid}`;
    this.loop = new ConsumerLoop({
      nc: opts.nc,
      stream: Stream.Jobs,
      durable: Consumer.agent(opts.agent),
      concurrency: opts.concurrency ?? DEFAULT_WORKER_CONCURRENCY,
      log: opts.log,
      handle: (msg) => this.handle(msg),
    });
  }

  get busy(): number {
    return this.loop.busy;
  }

  get running(): boolean {
    return this.loop.running;
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  /** Stops pulling, lets in-flight jobs finish (or aborts them after `graceMs`), then returns. */
  async stop(graceMs = 10_000): Promise<void> {
    const timer = setTimeout(() => this.controllers.forEach((c) => c.abort(new Error("worker shutting down"))), graceMs);
    await this.loop.stop();
    clearTimeout(timer);
  }

  private async handle(msg: JsMsg): Promise<void> {
    const { agent, metrics, log } = this.opts;
    const parsed = safeJson(msg);
    const envelope = JobEnvelopeSchema.safeParse(parsed);
    if (!envelope.success) {
      const problems = parsed === undefined ? ["not JSON"] : describeIssues(envelope.error);
      log.error({ subject: msg.subject, seq: msg.seq, problems }, "malformed job dropped");
      metrics.jobsTotal.inc({ agent, op: opOf(msg.subject), outcome: "malformed" });
      await this.reportMalformed(msg, problems);
      msg.term(`malformed job: ${problems.join("; ")}`);
      return;
    }
    const job = envelope.data.payload;
    const jobLog = log.child({ jobId: job.jobId, op: job.op, delivery: msg.info.deliveryCount });
    const ledgerKey = kvKey("job", job.jobId);

    const finished = await getJson<JobResult>(this.opts.ledger, ledgerKey);
    if (finished) {
      // Finished before but not acked (crash between result and ack): republish, do not redo.
      await this.publishResult(finished.value);
      metrics.jobsTotal.inc({ agent, op: job.op, outcome: "duplicate" });
      msg.ack();
      return;
    }

    const maxDeliveries = this.opts.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
    if (msg.info.deliveryCount > maxDeliveries) {
      await this.deadLetter(msg, job, jobLog);
      return;
    }

    const running = this.runningHere.get(job.jobId);
    if (running) return this.awaitRunning(msg, job, running, jobLog);

    const startedAt = new Date();
    if (Date.parse(job.deadlineAt) <= startedAt.getTime()) {
      metrics.jobsTotal.inc({ agent, op: job.op, outcome: "expired" });
      await this.finish(msg, job, startedAt, { ok: false, error: { message: `job deadline ${job.deadlineAt} passed before it started`, code: "timeout", nonRetryable: false } });
      return;
    }

    const handler = this.opts.handlers[job.op];
    if (!handler) {
      await this.finish(msg, job, startedAt, { ok: false, error: { message: `${agent}-agent has no handler for op "${job.op}"`, code: "unknown_op", nonRetryable: true } });
      return;
    }

    let ended!: () => void;
    this.runningHere.set(job.jobId, new Promise<void>((resolve) => (ended = resolve)));
    const controller = new AbortController();
    // Handlers fan out concurrent requests that each listen on this signal (undici, p-retry, the rate
    // budget); Node's default warning at 11 listeners would be noise, not a leak.
    setMaxListeners(100, controller.signal);
    this.controllers.add(controller);
    const deadline = setTimeout(() => controller.abort(new JobFailure(`job exceeded its deadline ${job.deadlineAt}`, "timeout", false)), Date.parse(job.deadlineAt) - startedAt.getTime());
    // Three heartbeats an ack wait, the consumer's as the server has it: one changed on the server
    // (an operator, a test) and not in this process's settings would otherwise let the job be
    // redelivered, and run again beside this run, every ack wait.
    const ackWait = this.loop.ackWaitMs ?? this.opts.ackWaitMs ?? DEFAULT_JOB_ACK_WAIT_MS;
    const heartbeat = new JobHeartbeat(() => msg.working(), this.opts.heartbeatMs ?? Math.max(200, Math.floor(ackWait / 3)));
    metrics.jobsInFlight.inc({ agent });
    const endTimer = metrics.jobDuration.startTimer({ agent, op: job.op });
    try {
      const outcome = await raceAbort(handler({ job, deliveryCount: msg.info.deliveryCount, signal: controller.signal, artifacts: this.opts.artifacts, log: jobLog, heartbeat: () => heartbeat.progress() }), controller.signal);
      metrics.jobsTotal.inc({ agent, op: job.op, outcome: "ok" });
      await this.finish(msg, job, startedAt, { ok: true, output: outcome.output ?? {}, artifacts: outcome.artifacts ?? [] });
    } catch (err) {
      const error = toJobError(err);
      jobLog.warn({ code: error.code, nonRetryable: error.nonRetryable, err }, "job failed");
      metrics.jobsTotal.inc({ agent, op: job.op, outcome: "failed" });
      if (this.loop.isStopping && controller.signal.aborted && error.code !== "timeout") {
        msg.nak(); // shutdown interrupted it: let a replica run it
        return;
      }
      await this.finish(msg, job, startedAt, { ok: false, error });
    } finally {
      endTimer();
      metrics.jobsInFlight.dec({ agent });
      clearTimeout(deadline);
      heartbeat.stop();
      this.controllers.delete(controller);
      this.runningHere.delete(job.jobId);
      ended();
    }
  }

  /**
   * A delivery of a job this process is running: the server redelivered it because a heartbeat came
   * later than the ack wait (an event loop blocked that long). Running it again beside itself would
   * do the work twice at once; this delivery waits for the running execution instead, and is then
   * acked when that one left its result in the ledger, or handed back (nak) when it did not (it was
   * interrupted by a shutdown). A delivery past the maximum is still dead-lettered before this.
   */
  private async awaitRunning(msg: JsMsg, job: Job, running: Promise<void>, jobLog: Logger): Promise<void> {
    const { agent, metrics } = this.opts;
    jobLog.warn("job redelivered while it runs in this process (a heartbeat was late): waiting for the running execution instead of starting another");
    metrics.jobsTotal.inc({ agent, op: job.op, outcome: "duplicate" });
    await running;
    if (await getJson<JobResult>(this.opts.ledger, kvKey("job", job.jobId))) msg.ack();
    else msg.nak();
  }

  /** Records the result in the ledger, publishes it, then acks. If any step fails the job is nak'ed with a delay. */
  private async finish(msg: JsMsg, job: Job, startedAt: Date, outcome: Pick<JobResult, "ok"> & Partial<JobResult>): Promise<void> {
    const result: JobResult = {
      jobId: job.jobId,
      workflowId: job.workflowId,
      agent: this.opts.agent,
      op: job.op,
      ok: outcome.ok,
      output: outcome.output ?? {},
      artifacts: outcome.artifacts ?? [],
      ...(outcome.error ? { error: outcome.error } : {}),
      worker: this.instance,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      deliveryCount: msg.info.deliveryCount,
    };
    try {
      await this.opts.ledger.put(kvKey("job", job.jobId), JSON.stringify(result));
      await this.publishResult(result);
      msg.ack();
    } catch (err) {
      this.opts.log.error({ err, jobId: job.jobId }, "could not record the job result; will retry");
      msg.nak(1_000);
    }
  }

  private async publishResult(result: JobResult): Promise<void> {
    await this.js.publish(Subjects.result(result.workflowId), JSON.stringify(wrap("job.result", result)), { msgID: `result:${result.jobId}` });
  }

  private async deadLetter(msg: JsMsg, job: Job, log: Logger): Promise<void> {
    const reason = `gave up after ${msg.info.deliveryCount - 1} deliveries (the handler never finished: crash or hang)`;
    log.error({ reason }, "job dead-lettered");
    this.opts.metrics.deadLetters.inc({ agent: this.opts.agent, op: job.op });
    this.opts.metrics.jobsTotal.inc({ agent: this.opts.agent, op: job.op, outcome: "dead_letter" });
    await this.opts.ledger.put(kvKey("deadletter", this.opts.agent, job.jobId), JSON.stringify({ job, reason, at: new Date().toISOString(), deliveries: msg.info.deliveryCount - 1 }));
    await this.finish(msg, job, new Date(), { ok: false, error: { message: reason, code: "max_deliveries", nonRetryable: true } });
  }

  /** A malformed job whose id can still be read gets a failure result, so its workflow does not wait for nothing. */
  private async reportMalformed(msg: JsMsg, problems: string[]): Promise<void> {
    const raw = safeJson(msg) as { payload?: { jobId?: unknown } } | undefined;
    const id = typeof raw?.payload?.jobId === "string" ? parseJobId(raw.payload.jobId) : null;
    if (!id) return;
    const now = new Date().toISOString();
    await this.publishResult({
      jobId: raw!.payload!.jobId as string,
      workflowId: id.workflowId,
      agent: this.opts.agent,
      op: id.op,
      ok: false,
      output: {},
      artifacts: [],
      error: { message: `malformed job: ${problems.join("; ")}`, code: "malformed_job", nonRetryable: true },
      worker: this.instance,
      startedAt: now,
      finishedAt: now,
      deliveryCount: msg.info.deliveryCount,
    }).catch((err) => this.opts.log.error({ err }, "could not report a malformed job"));
  }
}

function safeJson(msg: JsMsg): unknown {
  try {
    return msg.json();
  } catch {
    return undefined;
  }
}

function opOf(subject: string): string {
  return subject.split(".")[3] ?? "unknown";
}

export function toJobError(err: unknown): JobError {
  if (err instanceof JobFailure) {
    return { message: err.message, code: err.code, nonRetryable: err.nonRetryable, stack: err.stack ?? null, context: err.context };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { message: e.message, code: "unexpected", nonRetryable: false, stack: e.stack ?? null };
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

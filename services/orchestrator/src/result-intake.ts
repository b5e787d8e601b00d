import type { JsMsg } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { Consumer, JobResultEnvelopeSchema, Stream, describeIssues } from "@pmo/contracts";
import { ConsumerLoop, type Component } from "@pmo/runtime";
import { applyResult, type OutputVerdict } from "./apply-result.js";
import type { ArtifactReader } from "./artifact-reader.js";
import type { Executor } from "./executor.js";
import { materializeOutputs } from "./outputs.js";
import { isTerminal, type WorkflowRecord } from "./record.js";
import type { WorkflowStore } from "./workflow-store.js";
import type { Workspace } from "./workspace.js";

interface Deps {
  nc: NatsConnection;
  store: WorkflowStore;
  executor: Executor;
  workspace: Workspace;
  artifacts: Pick<ArtifactReader, "get">;
  log: Logger;
}

/**
 * Consumes job results (`pmo.result.>`). Each result's artifacts are mirrored into the workspace and
 * checked before the result is folded into the workflow; the message is acked only after the commit,
 * so a crash in between redelivers it, and the job-id check makes the replay harmless.
 */
export class ResultIntake implements Component {
  readonly name = "result-intake";
  private readonly loop: ConsumerLoop;

  constructor(private readonly deps: Deps) {
    this.loop = new ConsumerLoop({ nc: deps.nc, stream: Stream.Results, durable: Consumer.orchestratorResults, concurrency: 16, log: deps.log, handle: (m) => this.handle(m) });
  }

  start = () => this.loop.start();
  stop = () => this.loop.stop();

  private async handle(msg: JsMsg): Promise<void> {
    let raw: unknown;
    try {
      raw = msg.json();
    } catch {
      raw = undefined;
    }
    const parsed = JobResultEnvelopeSchema.safeParse(raw);
    if (!parsed.success) {
      this.deps.log.error({ subject: msg.subject, problems: raw === undefined ? ["not JSON"] : describeIssues(parsed.error) }, "malformed job result dropped");
      msg.term();
      return;
    }
    const result = parsed.data.payload;
    let current = await this.deps.store.get(result.workflowId);
    let task = current && findTask(current.record, result.jobId);
    // What this process remembers may lag behind another replica (a job it dispatched): confirm before dropping the result.
    if (!task) {
      current = await this.deps.store.read(result.workflowId);
      task = current && findTask(current.record, result.jobId);
    }
    if (!current || !task || isTerminal(current.record)) {
      this.deps.log.debug({ jobId: result.jobId }, current ? "result for a finished workflow or unknown job ignored" : "result for an unknown workflow ignored");
      msg.ack();
      return;
    }
    if (task.status === "succeeded" || task.status === "failed") {
      // A duplicate (redelivered job, late attempt): its files must not replace the accepted result's.
      msg.ack();
      return;
    }
    let verdict: OutputVerdict = { valid: true };
    if (result.ok) verdict = await materializeOutputs(result, task.requiredOutputs, this.deps.artifacts, this.deps.workspace);
    else await materializeOutputs(result, [], this.deps.artifacts, this.deps.workspace); // keep partial outputs for diagnosis
    await this.deps.executor.commit(result.workflowId, (t) => applyResult(t, result, verdict), current);
    msg.ack();
  }
}

const findTask = (r: WorkflowRecord, jobId: string) => Object.values(r.engine.tasks).find((t) => t.jobIds.includes(jobId));

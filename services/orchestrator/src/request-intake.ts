import { jetstream, type JsMsg } from "@nats-io/jetstream";
import type { KV } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { Consumer, Stream, Subjects, wrap, parseWorkflowRequest, type WorkflowEvent, type WorkflowRequest } from "@pmo/contracts";
import { ConsumerLoop, casUpdate, createIfAbsent, getJson, kvKey, type Component, type ProjectsFile } from "@pmo/runtime";
import { advance, failWorkflow } from "./engine.js";
import type { Executor } from "./executor.js";
import { newRecord } from "./new-record.js";
import { isTerminal } from "./record.js";
import { CollisionHint, candidateWorkflowId } from "./workflow-id.js";
import { Transition } from "./transitions.js";
import type { Committed, WorkflowStore } from "./workflow-store.js";
import type { Workspace } from "./workspace.js";

interface Deps {
  nc: NatsConnection;
  store: WorkflowStore;
  ledger: KV;
  executor: Executor;
  workspace: Workspace;
  projects: ProjectsFile;
  log: Logger;
}

/** Which workflow a request id became (ledger `request.<id>`): the idempotency record of a request. */
interface RequestClaim {
  workflowId: string;
  at: string;
}

type Verdict = { ok: true; request: WorkflowRequest } | { ok: false; errors: string[] };

/**
 * Consumes `pmo.workflow.request`. Bad input is rejected with field-named errors as a workflow event
 * and never crashes the service; a request id seen before maps to the same workflow.
 */
export class RequestIntake implements Component {
  readonly name = "request-intake";
  private readonly loop: ConsumerLoop;
  private readonly hint = new CollisionHint();

  constructor(private readonly deps: Deps) {
    this.loop = new ConsumerLoop({ nc: deps.nc, stream: Stream.Workflows, durable: Consumer.orchestratorRequests, concurrency: 8, log: deps.log, handle: (m) => this.handle(m) });
  }

  start = () => this.loop.start();
  stop = () => this.loop.stop();

  private async handle(msg: JsMsg): Promise<void> {
    const verdict = this.validate(parseWorkflowRequest(msg.data));
    const requestId = verdict.ok && verdict.request.requestId ? verdict.request.requestId : (msg.headers?.get("Nats-Msg-Id") || requestIdFromRaw(msg.data) || `seq-${msg.seq}`);
    if (!verdict.ok) {
      this.deps.log.warn({ requestId, errors: verdict.errors, seq: msg.seq }, "workflow request rejected");
      await this.publish(Subjects.workflowRejected, `rejected:${msg.seq}`, { type: "workflow.rejected", workflowId: null, requestId, at: new Date().toISOString(), errors: verdict.errors, message: `request rejected: ${verdict.errors.join("; ")}` });
      msg.ack();
      return;
    }
    const claim = await this.claim(requestId, verdict.request);
    const { workflowId } = claim;
    if (claim.created) {
      this.deps.log.info({ workflowId, requestId, action: verdict.request.action }, "workflow accepted");
      await this.deps.executor.performCreated(claim.created);
    } else {
      await this.publish(Subjects.workflowEvent(workflowId), `duplicate:${msg.seq}`, { type: "workflow.duplicate", workflowId, requestId, at: new Date().toISOString(), message: `request ${requestId} already started ${workflowId}` });
      // A redelivery after a crash mid-intake: continue the workflow (a no-op if it had started).
      await this.deps.executor.commit(workflowId, (t) => {
        if (isTerminal(t.record)) return false; // finished (and perhaps archived): nothing to prepare
        if (this.prepareWorkspace(t)) advance(t);
      });
    }
    msg.ack();
  }

  /** Creates the workflow's folder; on failure ends the workflow in `t` instead. True when it is there. */
  private prepareWorkspace(t: Transition): boolean {
    try {
      this.deps.workspace.createSync(t.record.state.workflowId);
      return true;
    } catch (err) {
      failWorkflow(t, "initialization", `workspace: ${(err as Error).message}`);
      return false;
    }
  }

  /** Project and platform checks need the configuration, so they live here rather than in the schema. */
  private validate(v: ReturnType<typeof parseWorkflowRequest>): Verdict {
    if (!v.ok) return v;
    const projects = this.deps.projects.projects;
    const project = projects[v.request.project];
    if (!project) return { ok: false, errors: [`project: unknown project ${JSON.stringify(v.request.project)} (configured: ${Object.keys(projects).join(", ") || "none"})`] };
    const missing = v.request.platforms.filter((p) => !project[p]);
    if (missing.length) return { ok: false, errors: missing.map((p) => `platforms: ${p} is not configured for project ${v.request.project} (config/projects.json)`) };
    return v;
  }

  /**
   * Reserves the request id in the ledger first, then creates the workflow under the reserved id.
   * A redelivered request (crash mid-intake) finds its reservation and continues with the same id.
   * The usual path is two KV writes: the reservation and the record.
   */
  private async claim(requestId: string, request: WorkflowRequest): Promise<{ workflowId: string; created: Committed | null }> {
    const key = kvKey("request", requestId);
    const now = new Date();
    let collision = this.hint.start(now);
    let claimed = candidateWorkflowId(now, collision);
    if (!(await createIfAbsent(this.deps.ledger, key, { workflowId: claimed, at: now.toISOString() } satisfies RequestClaim))) {
      claimed = (await getJson<RequestClaim>(this.deps.ledger, key))!.value.workflowId; // seen before
    }
    const project = this.deps.projects.projects[request.project]!;
    for (let guard = 0; guard < 1_000; guard++) {
      // The record is created with phase 0 already started: one KV write instead of a create and an update.
      const t = new Transition(newRecord({ workflowId: claimed, requestId, request, project, now: now.getTime() }), this.deps.executor.context());
      if (this.prepareWorkspace(t)) advance(t);
      const created = await this.deps.store.create(t.record);
      if (created) {
        this.hint.used(now, collisionOf(claimed));
        const accepted: WorkflowEvent = { type: "workflow.accepted", workflowId: claimed, requestId, at: now.toISOString(), status: "in_progress", data: { action: request.action, platforms: request.platforms, project: request.project } };
        // Published like the transition's own events, and before them.
        t.effects.unshift({ kind: "event", msgId: `${claimed}:accepted`, event: accepted });
        return { workflowId: claimed, created: { record: created.record, revision: created.revision, transition: t } };
      }
      // The id is taken: by this very request (a redelivery), or by another one in the same second.
      const existing = await this.deps.store.get(claimed);
      if (existing?.record.requestId === requestId) return { workflowId: claimed, created: null };
      collision += 1;
      const next = candidateWorkflowId(now, collision);
      const moved = await casUpdate<RequestClaim>(this.deps.ledger, key, (c) => (c.workflowId === claimed ? { ...c, workflowId: next } : c));
      claimed = moved!.value.workflowId;
    }
    throw new Error(`could not allocate a workflow id for request ${requestId}`);
  }

  private async publish(subject: string, msgId: string, event: WorkflowEvent): Promise<void> {
    await jetstream(this.deps.nc).publish(subject, JSON.stringify(wrap("workflow.event", event)), { msgID: msgId });
  }
}

function collisionOf(workflowId: string): number {
  const m = /-(\d+)$/.exec(workflowId.slice("workflow-YYYY-MM-DD-HHMMSS".length));
  return m ? Number(m[1]) : 1;
}

/** Best effort: the request id of a request that failed validation, so the sender can match the rejection. */
function requestIdFromRaw(data: Uint8Array): string | null {
  if (data.byteLength > 64 * 1024) return null;
  try {
    const v = JSON.parse(new TextDecoder().decode(data)) as { requestId?: unknown; payload?: { requestId?: unknown } };
    const id = v?.requestId ?? v?.payload?.requestId;
    return typeof id === "string" && id.length <= 200 ? id : null;
  } catch {
    return null;
  }
}

import {
  PHASES,
  type Job,
  type JobError,
  type Phase,
  type PhaseState,
  type PhaseStatus,
  type WorkflowEvent,
  type WorkflowEventType,
} from "@pmo/contracts";
import type { WorkflowFile } from "@pmo/runtime";
import type { WorkflowRecord } from "./record.js";

/** What a transition asks the executor to do once the new record is safely in KV. */
export type Effect =
  | { kind: "dispatch"; job: Job }
  | { kind: "event"; msgId: string; event: WorkflowEvent }
  | { kind: "local"; phase: Phase }
  /** The workflow ended in error: write the failure report into the workspace. */
  | { kind: "failed" };

export interface EngineContext {
  now: number;
  /** This orchestrator process, for local-activity leases. */
  instance: string;
  policy: WorkflowFile;
  /** How long a local activity lease lasts before another replica may take it over. */
  leaseMs: number;
}

/** A transition in progress: the record being changed (a private copy) and the effects it produced. */
export class Transition {
  readonly effects: Effect[] = [];
  constructor(
    readonly record: WorkflowRecord,
    readonly ctx: EngineContext,
  ) {}

  get iso(): string {
    return new Date(this.ctx.now).toISOString();
  }

  emit(type: WorkflowEventType, fields: Partial<Omit<WorkflowEvent, "type" | "workflowId" | "requestId" | "at">> = {}): void {
    const r = this.record;
    const seq = r.engine.nextEvent++;
    this.effects.push({
      kind: "event",
      msgId: `${r.state.workflowId}:event:${seq}`,
      event: { type, workflowId: r.state.workflowId, requestId: r.requestId, at: this.iso, ...fields },
    });
  }

  setPhase(phase: Phase, status: PhaseStatus, output?: unknown): void {
    const ps = this.record.state.phases[phase] as PhaseState;
    ps.status = status;
    ps.timestamp = this.iso;
    if (output !== undefined) ps.output = output;
  }

  addError(phase: string, error: Pick<JobError, "message"> & Partial<JobError>, attempt: number, context: Record<string, unknown> = {}): void {
    this.record.state.metadata.errors.push({
      phase,
      message: error.message,
      stack: error.stack ?? null,
      timestamp: this.iso,
      attempt,
      context: { ...(error.code ? { code: error.code } : {}), ...(error.nonRetryable !== undefined ? { nonRetryable: error.nonRetryable } : {}), ...error.context, ...context },
    });
  }

  touch(): void {
    const r = this.record;
    r.state.metadata.executionTime = Math.max(0, (r.engine.finishedAtMs ?? this.ctx.now) - r.engine.createdAtMs);
  }
}

export function nextPhase(phase: Phase): Phase | null {
  return PHASES[PHASES.indexOf(phase) + 1] ?? null;
}

/** Seed backoff: base × factor^(attempt-1), capped. */
export function backoffMs(policy: WorkflowFile, attempt: number): number {
  const { baseMs, factor, maxMs } = policy.retry;
  return Math.min(maxMs, Math.round(baseMs * factor ** Math.max(0, attempt - 1)));
}

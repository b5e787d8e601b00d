import type { Agent, ArtifactRef, GlobalState, JobError, Phase, Platform, WorkflowRequest } from "@pmo/contracts";
import type { ProjectConfig } from "@pmo/runtime";

export const RECORD_VERSION = 1;

/** One logical unit of agent work; retries are new jobs (new ids) of the same task. */
export interface TaskRecord {
  key: string; // "discovery/github/collect"
  phase: Phase;
  agent: Agent;
  op: string;
  /** Set for per-platform work: its failure drops that platform instead of failing the workflow. */
  platform: Platform | null;
  /** The actions sub-phase it reports to (`report:weekly.html`), if any. */
  subphase: string | null;
  input: Record<string, unknown>;
  /** Paths the job must produce; a success without them fails the gate. */
  requiredOutputs: string[];
  /** Keys of tasks that must succeed before this one is dispatched. */
  dependsOn: string[];
  status: "pending" | "dispatched" | "waiting_retry" | "succeeded" | "failed";
  attempt: number; // attempts dispatched so far
  jobIds: string[]; // one per attempt, in order
  dispatchedAt: number | null;
  timeoutAt: number | null;
  retryAt: number | null;
  output: Record<string, unknown> | null;
  artifacts: ArtifactRef[];
  lastError: JobError | null;
  worker: string | null;
}

/** Work the orchestrator does itself (workspace checks, final report); a lease stops two replicas doing it at once. */
export interface LocalLease {
  phase: Phase;
  owner: string;
  leaseUntil: number;
}

export interface EngineState {
  phase: Phase | null; // null once finished
  phaseStartedAt: Partial<Record<Phase, number>>;
  phaseDeadlineAt: number | null;
  tasks: Record<string, TaskRecord>;
  /** The `n` of the next job id. */
  nextJob: number;
  /** Per platform: ok until its verify/collect fails for good. */
  platformHealth: Partial<Record<Platform, "ok" | "error">>;
  local: LocalLease | null;
  /** Sequence for event msg ids, so a replayed transition does not publish an event twice. */
  nextEvent: number;
  createdAtMs: number;
  finishedAtMs: number | null;
}

/** What the `pmo_workflows` KV bucket holds per workflow; `state` is mirrored to global-state.json. */
export interface WorkflowRecord {
  version: typeof RECORD_VERSION;
  requestId: string;
  request: WorkflowRequest;
  project: ProjectConfig;
  state: GlobalState;
  engine: EngineState;
}

export const isTerminal = (r: WorkflowRecord) => r.state.status === "complete" || r.state.status === "error";

import type { Job } from "@pmo/contracts";
import type { TaskRecord, WorkflowRecord } from "./record.js";

/** The job message of a task's current attempt; a pure function of the record, so a republish is byte-for-byte the same job. */
export function buildJob(r: WorkflowRecord, task: TaskRecord): Job {
  return {
    jobId: task.jobIds.at(-1)!,
    workflowId: r.state.workflowId,
    phase: task.phase,
    agent: task.agent,
    op: task.op,
    attempt: task.attempt,
    task: task.key,
    project: r.request.project,
    issuedAt: new Date(task.dispatchedAt!).toISOString(),
    deadlineAt: new Date(task.timeoutAt!).toISOString(),
    input: task.input,
  };
}

import { jobId, type Agent, type Job, type Phase } from "@pmo/contracts";

/** A job as the orchestrator would dispatch it (first attempt), for tests and benches that drive an agent directly. */
export function testJob(o: { workflowId: string; agent: Agent; op: string; input: Record<string, unknown>; phase?: Phase; project?: string; deadlineMs?: number }): Job {
  const phase = o.phase ?? "discovery";
  return {
    jobId: jobId(o.workflowId, phase, o.agent, o.op, 1),
    workflowId: o.workflowId,
    phase,
    agent: o.agent,
    op: o.op,
    attempt: 1,
    task: `${phase}/${o.agent}/${o.op}`,
    project: o.project ?? "web",
    issuedAt: new Date().toISOString(),
    deadlineAt: new Date(Date.now() + (o.deadlineMs ?? 60_000)).toISOString(),
    input: o.input,
  };
}

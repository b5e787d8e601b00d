import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { Bucket, jobId, type Agent, type Job, type JobResult, type Phase } from "@pmo/contracts";
import { kvKey } from "@pmo/runtime";

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

/**
 * The job's result, as the worker records it in the ledger: watched, so it is seen the moment it
 * lands (a bench timing a job must not add a polling interval to it).
 */
export async function waitForJobResult(nc: NatsConnection, id: string, timeoutMs: number): Promise<JobResult> {
  const ledger = await new Kvm(nc).open(Bucket.Ledger);
  const watch = await ledger.watch({ key: kvKey("job", id) });
  const timer = setTimeout(() => watch.stop(), timeoutMs);
  try {
    for await (const entry of watch) if (entry.operation === "PUT" && entry.length > 0) return entry.json<JobResult>();
  } finally {
    clearTimeout(timer);
    watch.stop();
  }
  throw new Error(`no result for ${id} within ${timeoutMs} ms`);
}

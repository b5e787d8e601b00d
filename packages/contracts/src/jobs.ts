import { z } from "zod";
import { ArtifactRefSchema } from "./artifacts.js";
import { envelopeOf } from "./envelope.js";
import { AGENTS, type Agent } from "./names.js";
import { PHASES, type Phase } from "./state.js";

/** Operations agents perform. A job's subject is `pmo.job.<agent>.<op>`. */
export const JobOp = {
  Verify: "verify", // phase 0: check credentials and configured containers
  Collect: "collect", // phase 1: collect items of the project's containers
  Analyze: "analyze", // phase 2: metrics, bottlenecks, patterns, insights
  Render: "render", // phase 3 (report): one report in one format
  Monitor: "monitor", // phase 3 (monitor): rules → alerts + dashboard
  Manage: "manage", // phase 3 (manage): task mutations
  SyncPlan: "sync-plan", // phase 3 (sync): what would change where
  SyncApply: "sync-apply", // phase 3 (sync): apply a plan
} as const;
export type JobOp = (typeof JobOp)[keyof typeof JobOp];

/** `<workflowId>:<phase>:<agent>:<op>:<n>`; also the `Nats-Msg-Id`, so a re-dispatch is dropped by the server. */
export function jobId(workflowId: string, phase: Phase, agent: Agent, op: string, n: number): string {
  return `${workflowId}:${phase}:${agent}:${op}:${n}`;
}

export function parseJobId(id: string): { workflowId: string; phase: Phase; agent: Agent; op: string; n: number } | null {
  const parts = id.split(":");
  if (parts.length !== 5) return null;
  const [workflowId, phase, agent, op, n] = parts as [string, string, string, string, string];
  if (!PHASES.includes(phase as Phase) || !AGENTS.includes(agent as Agent) || !/^\d+$/.test(n)) return null;
  return { workflowId, phase: phase as Phase, agent: agent as Agent, op, n: Number(n) };
}

export const JobSchema = z.object({
  jobId: z.string().min(1),
  workflowId: z.string().min(1),
  phase: z.enum(PHASES as [Phase, ...Phase[]]),
  agent: z.enum(AGENTS as [Agent, ...Agent[]]),
  op: z.string().min(1),
  /** 1-based attempt of the logical task this job serves (retries get new job ids). */
  attempt: z.number().int().min(1),
  /** Logical task key, stable across attempts: `discovery/github/collect`, `actions/report/render/weekly.pdf`. */
  task: z.string().min(1),
  project: z.string().min(1),
  issuedAt: z.iso.datetime(),
  /** The agent should give up (and report a timeout) after this instant. */
  deadlineAt: z.iso.datetime(),
  input: z.record(z.string(), z.unknown()),
});
export type Job = z.infer<typeof JobSchema>;
export const JobEnvelopeSchema = envelopeOf("job", JobSchema);

export const JobErrorSchema = z.object({
  message: z.string(),
  /** Machine-readable reason, e.g. `bad_credentials`, `timeout`, `rate_limited`, `max_deliveries`. */
  code: z.string(),
  /** Temporal's rule: anything not flagged non-retryable is retried. */
  nonRetryable: z.boolean(),
  stack: z.string().nullable().optional(),
  context: z.record(z.string(), z.unknown()).optional(),
});
export type JobError = z.infer<typeof JobErrorSchema>;

export const JobResultSchema = z.object({
  jobId: z.string().min(1),
  workflowId: z.string().min(1),
  agent: z.enum(AGENTS as [Agent, ...Agent[]]),
  op: z.string().min(1),
  ok: z.boolean(),
  /** Small structured output (counts, summaries). Bulky data goes to artifacts. */
  output: z.record(z.string(), z.unknown()).default({}),
  artifacts: z.array(ArtifactRefSchema).default([]),
  error: JobErrorSchema.optional(),
  worker: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  deliveryCount: z.number().int().min(1),
});
export type JobResult = z.infer<typeof JobResultSchema>;
export const JobResultEnvelopeSchema = envelopeOf("job.result", JobResultSchema);

import { z } from "zod";
import { envelopeOf } from "./envelope.js";

/** Progress events on `pmo.workflow.event.<workflowId>` (and `.rejected` for requests that never became one). */
export const WorkflowEventType = {
  Accepted: "workflow.accepted",
  Rejected: "workflow.rejected",
  Duplicate: "workflow.duplicate",
  PhaseStarted: "phase.started",
  PhaseCompleted: "phase.completed",
  PhaseFailed: "phase.failed",
  JobDispatched: "job.dispatched",
  JobRetrying: "job.retrying",
  JobSucceeded: "job.succeeded",
  JobFailed: "job.failed",
  Completed: "workflow.completed",
  Failed: "workflow.failed",
} as const;
export type WorkflowEventType = (typeof WorkflowEventType)[keyof typeof WorkflowEventType];

export const WorkflowEventSchema = z.object({
  type: z.enum(Object.values(WorkflowEventType) as [WorkflowEventType, ...WorkflowEventType[]]),
  workflowId: z.string().nullable(),
  requestId: z.string().nullable(),
  at: z.iso.datetime(),
  phase: z.string().optional(),
  status: z.string().optional(),
  message: z.string().optional(),
  errors: z.array(z.string()).optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type WorkflowEvent = z.infer<typeof WorkflowEventSchema>;
export const WorkflowEventEnvelopeSchema = envelopeOf("workflow.event", WorkflowEventSchema);

/** `pmo.admin.<platform>.webhooks.register`: asks a platform agent to register its webhook on the platform. */
export const WebhookRegisterRequestSchema = z.object({
  /** The public URL the platform will POST to (this agent's `/webhooks/<platform>`, as reachable from the platform). */
  url: z.url(),
  /** Restrict to these containers (repos, lists, projects); default: every configured one. */
  containers: z.array(z.string()).optional(),
});
export type WebhookRegisterRequest = z.infer<typeof WebhookRegisterRequestSchema>;

export const AdminReplySchema = z.object({
  ok: z.boolean(),
  message: z.string(),
  data: z.unknown().optional(),
});
export type AdminReply = z.infer<typeof AdminReplySchema>;

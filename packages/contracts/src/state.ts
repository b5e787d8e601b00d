import { z } from "zod";
import { Action } from "./request.js";
import { PlatformSchema } from "./platform.js";

export const PhaseStatus = { Pending: "pending", InProgress: "in_progress", Complete: "complete", Error: "error" } as const;
export type PhaseStatus = (typeof PhaseStatus)[keyof typeof PhaseStatus];
export const PhaseStatusSchema = z.enum(Object.values(PhaseStatus) as [PhaseStatus, ...PhaseStatus[]]);

/** The six phases, in order (DESIGN §3). */
export const Phase = {
  Initialization: "initialization",
  Discovery: "discovery",
  Analysis: "analysis",
  Actions: "actions",
  Synchronization: "synchronization",
  Reporting: "reporting",
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];
export const PHASES: readonly Phase[] = Object.values(Phase);

const isoTimestamp = z.iso.datetime({ offset: true });

export const PhaseStateSchema = z.object({
  status: PhaseStatusSchema,
  output: z.unknown().nullable(),
  timestamp: isoTimestamp.nullable(),
});
export type PhaseState = z.infer<typeof PhaseStateSchema>;

export const ErrorRecordSchema = z.object({
  phase: z.string(),
  message: z.string(),
  stack: z.string().nullable(),
  timestamp: isoTimestamp,
  attempt: z.number().int().min(0),
  context: z.record(z.string(), z.unknown()),
});
export type ErrorRecord = z.infer<typeof ErrorRecordSchema>;

export const WorkflowMetricsSchema = z
  .object({
    tasksCreated: z.number().int().min(0),
    tasksUpdated: z.number().int().min(0),
    tasksCompleted: z.number().int().min(0),
    reportsGenerated: z.number().int().min(0),
    monitoringEventsProcessed: z.number().int().min(0),
  })
  .catchall(z.number());
export type WorkflowMetrics = z.infer<typeof WorkflowMetricsSchema>;

/** The seed's `global-state.json`, field for field. */
export const GlobalStateSchema = z.object({
  workflowId: z.string().regex(/^workflow-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?$/),
  action: z.enum(Object.values(Action) as [Action, ...Action[]]),
  platforms: z.array(PlatformSchema).min(1),
  status: PhaseStatusSchema,
  createdAt: isoTimestamp,
  author: z.string(),
  phases: z.object({
    initialization: PhaseStateSchema,
    discovery: PhaseStateSchema.extend({ agents: z.record(z.string(), PhaseStateSchema) }),
    analysis: PhaseStateSchema,
    actions: PhaseStateSchema.extend({ subphases: z.record(z.string(), PhaseStateSchema) }),
    synchronization: PhaseStateSchema,
    reporting: PhaseStateSchema,
  }),
  metadata: z.object({
    /** Milliseconds from creation to the end (or to now, while running). */
    executionTime: z.number().min(0),
    platformsData: z.record(z.string(), z.unknown()),
    metrics: WorkflowMetricsSchema,
    errors: z.array(ErrorRecordSchema),
  }),
});
export type GlobalState = z.infer<typeof GlobalStateSchema>;

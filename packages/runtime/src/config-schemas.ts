import { z } from "zod";
import { PHASES, type Phase } from "@pmo/contracts";

/** `projects.json`: project id → where its work lives on each platform. */
export const ProjectSchema = z.object({
  name: z.string().min(1),
  clickup: z
    .object({
      teamId: z.string().min(1),
      spaceIds: z.array(z.string().min(1)).default([]),
      listIds: z.array(z.string().min(1)).min(1, "at least one list"),
      /** Where `manage` creates tasks when the request names no list. @default first of listIds */
      defaultListId: z.string().min(1).optional(),
    })
    .optional(),
  github: z
    .object({
      repos: z.array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/repo"')).min(1, "at least one repo"),
      defaultRepo: z.string().optional(),
    })
    .optional(),
  plane: z
    .object({
      workspace: z.string().min(1),
      projectIds: z.array(z.string().min(1)).min(1, "at least one project"),
      defaultProjectId: z.string().min(1).optional(),
    })
    .optional(),
});
export type ProjectConfig = z.infer<typeof ProjectSchema>;
export const ProjectsFileSchema = z.object({ projects: z.record(z.string().min(1), ProjectSchema) });
export type ProjectsFile = z.infer<typeof ProjectsFileSchema>;

/** `clickup-config.json`, `github-config.json`, `plane-config.json`. */
export const PlatformFileSchema = z.looseObject({
  baseUrl: z.url(),
  /** Inline credential (discouraged); normally the env var named by tokenEnv holds it. */
  token: z.string().min(1).optional(),
  tokenEnv: z.string().min(1),
  webhookSecret: z.string().min(1).optional(),
  webhookSecretEnv: z.string().min(1).optional(),
  rateLimit: z
    .object({ requestsPerMinute: z.number().int().positive().optional(), requestsPerHour: z.number().int().positive().optional() })
    .default({}),
  timeoutMs: z.number().int().positive().default(30_000),
});
export type PlatformFile = z.infer<typeof PlatformFileSchema>;

/** @default the seed's retry policy: 3 attempts, 5 s base, factor 2, at most 60 s. */
export const DEFAULT_RETRY = { attempts: 3, baseMs: 5_000, factor: 2, maxMs: 60_000 } as const;

/** @default generous per-phase deadlines; a workflow past one ends in `error`. */
export const DEFAULT_PHASE_DEADLINES_MS: Record<Phase, number> = {
  initialization: 120_000,
  discovery: 30 * 60_000,
  analysis: 10 * 60_000,
  actions: 30 * 60_000,
  synchronization: 5 * 60_000,
  reporting: 5 * 60_000,
};

/** `workflow.json`: the orchestrator's timing policy. Tests use small values. */
export const WorkflowFileSchema = z.object({
  retry: z
    .object({
      attempts: z.number().int().min(1).max(20),
      baseMs: z.number().int().min(0),
      factor: z.number().min(1),
      maxMs: z.number().int().min(0),
    })
    .default({ ...DEFAULT_RETRY }),
  phaseDeadlinesMs: z
    .partialRecord(z.enum(PHASES as [Phase, ...Phase[]]), z.number().int().positive())
    .default({}),
  /** How long one job attempt may take before it counts as a (retryable) timeout. @default 5 min */
  jobTimeoutMs: z.number().int().positive().default(5 * 60_000),
  /** Per-op overrides of jobTimeoutMs, e.g. `{ "collect": 1800000 }`. */
  jobTimeoutsMs: z.record(z.string(), z.number().int().positive()).default({}),
  /** How often timers (deadlines, due retries, expired leases) are checked. @default 1 s */
  tickMs: z.number().int().positive().default(1_000),
  /** How long a replica owns a local phase (validation, final report) before another may take it over. @default 30 s */
  localLeaseMs: z.number().int().positive().default(30_000),
  /**
   * A dispatched job with no result after this long is published again (same msg id: the server drops
   * it if the first publish got through), which covers an orchestrator that died between commit and publish.
   * @default 5 s
   */
  republishAfterMs: z.number().int().positive().default(5_000),
  /** Archive finished workspaces under `project-workspace/archive/`. @default true */
  archive: z.boolean().default(true),
});
export type WorkflowFile = z.infer<typeof WorkflowFileSchema>;

export function phaseDeadlineMs(cfg: WorkflowFile, phase: Phase): number {
  return cfg.phaseDeadlinesMs[phase] ?? DEFAULT_PHASE_DEADLINES_MS[phase];
}

export function jobTimeoutMs(cfg: WorkflowFile, op: string): number {
  return cfg.jobTimeoutsMs[op] ?? cfg.jobTimeoutMs;
}

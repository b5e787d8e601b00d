import { z } from "zod";
import type { PlatformFile } from "@pmo/runtime";
import type { ItemPriority, RequestPriority, StatusCategory } from "@pmo/contracts";

/**
 * GitHub-specific settings, read from extra keys of `github-config.json` (the shared schema is a loose
 * object, so these travel beside `baseUrl`/`tokenEnv`). Every key has a default, so the file written by
 * `pmo sandbox` or a minimal hand-written one works unchanged.
 */
export const GitHubSettingsSchema = z.object({
  /**
   * Labels that put an OPEN issue in a finer status category than GitHub's open/closed. GitHub has no
   * workflow states; teams encode them as labels. @default the common `status: …` spellings
   */
  statusLabels: z.record(z.string(), z.enum(["backlog", "todo", "in_progress", "in_review"])).default({
    "status: backlog": "backlog",
    "status: todo": "todo",
    "status: in progress": "in_progress",
    "status: in review": "in_review",
  }),
  /** Labels read as a priority (GitHub has no priority field). */
  priorityLabels: z.record(z.string(), z.enum(["urgent", "high", "medium", "low", "none"])).default({
    "priority: urgent": "urgent",
    "priority: critical": "urgent",
    "priority: high": "high",
    "priority: medium": "medium",
    "priority: low": "low",
  }),
  /** The label `manage` writes for each request priority (the seed's low|medium|high|critical). */
  priorityWriteLabels: z
    .object({ low: z.string(), medium: z.string(), high: z.string(), critical: z.string() })
    .default({ low: "priority: low", medium: "priority: medium", high: "priority: high", critical: "priority: critical" }),
  /** A full id sweep (deletion detection) at least this often per repo. @default 24 h */
  fullSweepIntervalMs: z.number().int().min(0).default(24 * 3_600_000),
  /** GitHub asks for ≥1 s between content-creating requests (secondary limits). @default 1000 */
  writeIntervalMs: z.number().int().min(0).default(1_000),
  /** Base of octokit's retry backoff ((n+1)² × base). @default 1000 */
  retryBaseMs: z.number().int().min(0).default(1_000),
  /** Retries per request for 5xx / resets / malformed bodies / rate limits. @default 4 */
  retries: z.number().int().min(0).max(10).default(4),
  /** Issues fetched (timelines) in parallel. @default 8 */
  concurrency: z.number().int().min(1).max(50).default(8),
});
export type GitHubSettings = z.infer<typeof GitHubSettingsSchema>;

export function githubSettings(config: PlatformFile): GitHubSettings {
  return GitHubSettingsSchema.parse(config);
}

/** Seed priority → WorkItem priority (critical is the seed's name for urgent). */
export const REQUEST_TO_ITEM_PRIORITY: Record<RequestPriority, ItemPriority> = { low: "low", medium: "medium", high: "high", critical: "urgent" };

export type OpenCategory = Extract<StatusCategory, "backlog" | "todo" | "in_progress" | "in_review">;

import { z } from "zod";
import { StatusCategorySchema, describeIssues } from "@pmo/contracts";
import type { PlatformFile } from "@pmo/runtime";

/**
 * ClickUp statuses are custom per list, so a status's category is decided from its own metadata:
 * first the name rules (in order, case-insensitive regular expressions), then the status `type`.
 * The defaults cover ClickUp's stock workflows ("to do", "in progress", "review", "complete") and
 * the common extras ("backlog", "in review", "cancelled"/"won't do").
 */
export const DEFAULT_STATUS_RULES: StatusRule[] = [
  { match: "cancel|won'?t ?do|wont ?fix|rejected|abandon", category: "cancelled" },
  { match: "review|qa|testing|verify", category: "in_review" },
  { match: "backlog|icebox|someday", category: "backlog" },
  { match: "^(to ?do|open|new|ready|planned)$", category: "todo" },
];

/** @default open → todo, custom → in_progress, closed/done → done: ClickUp's own status groups. */
export const DEFAULT_TYPE_CATEGORIES = { open: "todo", custom: "in_progress", closed: "done", done: "done" } as const;

/** @default the seed's scale onto ClickUp's write integers (1 urgent, 2 high, 3 normal, 4 low). */
export const DEFAULT_PRIORITY_MAP = { critical: 1, high: 2, medium: 3, low: 4 } as const;

const StatusRuleSchema = z.object({
  match: z.string().min(1).refine((s) => isRegExp(s), "must be a valid regular expression"),
  category: StatusCategorySchema,
});
export type StatusRule = z.infer<typeof StatusRuleSchema>;

const Priority = z.number().int().min(1).max(4);

/** The ClickUp-only keys of `clickup-config.json` (the file is a loose object; the shared keys are the runtime's). */
export const ClickUpSettingsSchema = z.object({
  statusRules: z.array(StatusRuleSchema).default(DEFAULT_STATUS_RULES),
  statusTypes: z.record(z.string(), StatusCategorySchema).default({ ...DEFAULT_TYPE_CATEGORIES }),
  priorityMap: z.object({ critical: Priority, high: Priority, medium: Priority, low: Priority }).default({ ...DEFAULT_PRIORITY_MAP }),
  /** Which lists are sprints: lists in these folders, or in folders whose name matches the pattern. */
  iterations: z.object({ folderIds: z.array(z.string()).default([]), folderNamePattern: z.string().refine((s) => isRegExp(s), "must be a valid regular expression").default("sprint") }).default({ folderIds: [], folderNamePattern: "sprint" }),
  /** Every Nth collection is a full one (the id sweep that finds deletions). @default 10 */
  fullSweepEveryRuns: z.number().int().min(1).default(10),
  /** A collection whose last full sweep is older than this is a full one. @default 24 h */
  fullSweepAfterMs: z.number().int().positive().default(24 * 3_600_000),
  /** Subtracted from the watermark against clock skew; the overlap is deduplicated by id. @default 60 s */
  clockSkewMs: z.number().int().min(0).default(60_000),
  /** Retries of one request (timeouts, resets, 429, 5xx, malformed bodies). @default 5 */
  retries: z.number().int().min(0).max(20).default(5),
  /** @default 200 ms: p-retry's first backoff; the rate budget adds the platform's own waits. */
  retryMinMs: z.number().int().min(0).default(200),
  /** Requests in flight at once (pages of different lists, bulk operations); the rate budget, not this, keeps within ClickUp's limit. @default 4 */
  concurrency: z.number().int().min(1).max(32).default(4),
  /**
   * The silence poller's settings moved to the kit's shared `silencePoller` key (as for GitHub and
   * Plane); an old `poller` key is refused by name rather than silently ignored.
   */
  poller: z.never({ error: "`poller` is now `silencePoller` (the same enabled/intervalMs/silenceMs keys): rename it" }).optional(),
  /** A pending ledger entry younger than this may still be in flight elsewhere: wait for it before looking it up. @default timeoutMs + 5 s */
  inFlightGraceMs: z.number().int().min(0).optional(),
});
export type ClickUpSettings = z.infer<typeof ClickUpSettingsSchema> & { timeoutMs: number; inFlightGraceMs: number };

export class ClickUpSettingsError extends Error {
  override name = "ClickUpSettingsError";
}

/** Reads the ClickUp keys of the (already validated) platform file; a bad one names the field. */
export function clickUpSettings(config: PlatformFile): ClickUpSettings {
  const parsed = ClickUpSettingsSchema.safeParse(config);
  if (!parsed.success) throw new ClickUpSettingsError(`clickup-config.json: ${describeIssues(parsed.error).join("; ")}`);
  return { ...parsed.data, timeoutMs: config.timeoutMs, inFlightGraceMs: parsed.data.inFlightGraceMs ?? config.timeoutMs + 5_000 };
}

function isRegExp(source: string): boolean {
  try {
    new RegExp(source, "i");
    return true;
  } catch {
    return false;
  }
}

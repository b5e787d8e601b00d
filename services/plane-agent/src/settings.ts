import { z } from "zod";
import { StatusCategorySchema } from "@pmo/contracts";
import { ConfigError, type PlatformFile } from "@pmo/runtime";

/** Plane's priorities, urgent first (the same five values as WorkItem.priority). */
export const PLANE_PRIORITIES = ["urgent", "high", "medium", "low", "none"] as const;
export type PlanePriority = (typeof PLANE_PRIORITIES)[number];

/** @default the seed's scale mapped onto Plane's: critical is Plane's urgent, the rest keep their names. */
export const DEFAULT_PRIORITY_MAP = { critical: "urgent", high: "high", medium: "medium", low: "low" } as const;

/** @default started states whose name says "review" count as in_review. */
export const DEFAULT_REVIEW_PATTERN = "review";

/**
 * The Plane-specific keys of `plane-config.json` (beside the common `baseUrl`, `tokenEnv`, …), all
 * optional. Documented in services/plane-agent/README.md.
 */
export const PlaneSettingsSchema = z.object({
  /** State name (case-insensitive) → category, for custom states whose group says too little ("QA" → in_review). */
  statusCategories: z.record(z.string(), StatusCategorySchema).default({}),
  /** Regular expression (case-insensitive) on the name of a `started` state that makes it in_review. */
  reviewStatePattern: z.string().default(DEFAULT_REVIEW_PATTERN),
  /** The seed's priority (low|medium|high|critical) → Plane's. */
  priorityMap: z
    .object({ low: z.enum(PLANE_PRIORITIES), medium: z.enum(PLANE_PRIORITIES), high: z.enum(PLANE_PRIORITIES), critical: z.enum(PLANE_PRIORITIES) })
    .default({ ...DEFAULT_PRIORITY_MAP }),
  /** Rows per page; Plane's documentation caps it at 100. @default 100 */
  pageSize: z.number().int().min(1).max(100).default(100),
  /**
   * Work items whose activities/relations are fetched at once (each item's two requests go one after
   * the other). 6 leaves a connection of the pool's 8 for the next listing page; measured against 4
   * on a 10k-item project (paired rounds): -10% wall time. @default 6
   */
  detailConcurrency: z.number().int().min(1).max(32).default(6),
  /** A full collection (every item's history re-read, every id swept) at least this often. @default 24 h */
  fullCollectionIntervalMs: z.number().int().min(0).default(24 * 3_600_000),
  /** Incremental runs re-read items updated this long before the watermark (clock skew between Plane's servers). @default 60 s */
  watermarkOverlapMs: z.number().int().min(0).default(60_000),
  /** Retries of one request on recoverable failures (429, 5xx, resets, timeouts, malformed bodies). */
  retry: z
    .object({ retries: z.number().int().min(0).max(20).default(5), minTimeoutMs: z.number().int().min(0).default(500), maxTimeoutMs: z.number().int().min(0).default(30_000) })
    .default({ retries: 5, minTimeoutMs: 500, maxTimeoutMs: 30_000 }),
  /** The web app's address for item links; default: the API host (self-hosted), app.plane.so for Plane Cloud. */
  webUrl: z.url().optional(),
});
export type PlaneSettings = z.infer<typeof PlaneSettingsSchema>;

/** Reads the Plane keys from the already validated platform file; a bad value names the file and key. */
export function planeSettings(config: PlatformFile): PlaneSettings {
  const parsed = PlaneSettingsSchema.safeParse(config);
  if (!parsed.success) {
    throw new ConfigError("plane-config.json", parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`));
  }
  return parsed.data;
}

/** Where people open an item: the web app beside a self-hosted API, app.plane.so beside api.plane.so. */
export function webBaseUrl(config: PlatformFile, settings: PlaneSettings): string {
  if (settings.webUrl) return settings.webUrl.replace(/\/+$/, "");
  const url = new URL(config.baseUrl);
  if (url.hostname === "api.plane.so") url.hostname = "app.plane.so";
  return `${url.origin}${url.pathname.replace(/\/api\/v1\/?$/, "").replace(/\/+$/, "")}`;
}

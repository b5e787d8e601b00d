import { z } from "zod";

/**
 * A file an agent produced, stored in the `pmo_artifacts` object store under `<workflowId>/<path>`.
 * Messages carry this reference, never the bytes (a NATS message is at most 1 MiB).
 */
export const ArtifactRefSchema = z.object({
  /** Path relative to the workflow's workspace, e.g. `data/github-collected.json`. */
  path: z
    .string()
    .min(1)
    .max(512)
    .refine((p) => isSafeRelativePath(p), "must be a relative path inside the workspace (no '..', no leading '/')"),
  size: z.number().int().min(0),
  /** `SHA-256=<base64url>`, as the object store reports it. */
  digest: z.string().min(1),
  contentType: z.string().optional(),
});
export type ArtifactRef = z.infer<typeof ArtifactRefSchema>;

/** True for `a/b.json`; false for `../x`, `/etc/passwd`, `a//b`, `a\\b`, names with control characters. */
export function isSafeRelativePath(path: string): boolean {
  if (path.startsWith("/") || path.includes("\\") || path.includes("\0")) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(path)) return false;
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/** Turns a platform-supplied id into one safe file-name segment (`../../etc` → `.._.._etc` is still refused; we map it). */
export function sanitizeFileSegment(raw: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");
  return (cleaned || "_").slice(0, 120);
}

/**
 * Top-level fields the orchestrator's gates require in the JSON outputs it knows (DESIGN §3 layout).
 * Agents producing these files must include at least these fields.
 */
export const REQUIRED_JSON_FIELDS: ReadonlyArray<{ pattern: RegExp; fields: readonly string[] }> = [
  { pattern: /^data\/[^/]+-collected\.json$/, fields: ["platform", "collectedAt", "items"] },
  { pattern: /^monitoring\/[^/]+-events\.json$/, fields: ["platform", "events"] },
  { pattern: /^analysis\/[^/]+-analytics\.json$/, fields: ["platform", "metrics"] },
  { pattern: /^analysis\/patterns\.json$/, fields: ["patterns"] },
  { pattern: /^analysis\/insights\.json$/, fields: ["insights"] },
  // Each platform agent writes its own outcomes; the orchestrator merges them into bulk-operations.json.
  { pattern: /^issues\/([a-z]+-)?bulk-operations\.json$/, fields: ["operations"] },
  { pattern: /^sync\/status\.json$/, fields: ["workflowId", "checkedAt", "artifacts"] },
];

/** The seed's workspace sub-folders, created for every workflow. */
export const WORKSPACE_FOLDERS = ["data", "monitoring", "analysis", "reports", "issues", "sync"] as const;

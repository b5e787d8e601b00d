import { REQUIRED_JSON_FIELDS, type ArtifactRef, type JobResult } from "@pmo/contracts";
import type { OutputVerdict } from "./apply-result.js";
import type { ArtifactReader } from "./artifact-reader.js";
import type { Workspace } from "./workspace.js";

/** Checks one file: present, non-empty, and well-formed for its kind (JSON with required fields, markdown, html, pdf). */
export function checkContent(path: string, bytes: Uint8Array): string | null {
  if (bytes.byteLength === 0) return `${path} is empty`;
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  if (ext === "pdf") return Buffer.from(bytes.subarray(0, 5)).toString("latin1") === "%PDF-" ? null : `${path} is not a PDF`;
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  if (text.trim().length === 0) return `${path} is blank`;
  if (text.includes("\uFFFD")) return `${path} is not valid UTF-8`;
  if (ext === "json") {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      return `${path} is not valid JSON: ${(err as Error).message}`;
    }
    const rule = REQUIRED_JSON_FIELDS.find((r) => r.pattern.test(path));
    if (rule) {
      if (data === null || typeof data !== "object" || Array.isArray(data)) return `${path} must be a JSON object`;
      const missing = rule.fields.filter((f) => !(f in (data as Record<string, unknown>)));
      if (missing.length) return `${path} lacks required field(s): ${missing.join(", ")}`;
    }
  }
  if (ext === "html" && !/<html[\s>]|<!doctype html/i.test(text)) return `${path} is not an HTML document`;
  return null;
}

/**
 * Mirrors a result's artifacts from the object store into the workspace and checks them, along with
 * the task's required outputs. Idempotent: a replayed result writes the same files again.
 */
export async function materializeOutputs(result: JobResult, required: string[], store: Pick<ArtifactReader, "get">, workspace: Workspace): Promise<OutputVerdict> {
  const declared = new Map(result.artifacts.map((a) => [a.path, a] as const));
  const missing = required.filter((p) => !declared.has(p));
  if (result.ok && missing.length) return { valid: false, message: `required output(s) not produced: ${missing.join(", ")}` };
  for (const ref of declared.values()) {
    const problem = await materializeOne(result.workflowId, ref, store, workspace);
    if (problem && result.ok) return { valid: false, message: problem };
  }
  return { valid: true };
}

async function materializeOne(workflowId: string, ref: ArtifactRef, store: Pick<ArtifactReader, "get">, workspace: Workspace): Promise<string | null> {
  const bytes = await store.get(workflowId, ref.path);
  if (!bytes) return `${ref.path} was declared but is not in the artifact store`;
  await workspace.write(workflowId, ref.path, bytes);
  return checkContent(ref.path, bytes);
}

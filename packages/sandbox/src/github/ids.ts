/**
 * GitHub's identifier and timestamp encodings, derived deterministically so the same truth always
 * renders the same bytes.
 */
import { createHash } from "node:crypto";

/** ISO-8601 UTC without milliseconds, as GitHub writes every timestamp ("2011-04-22T13:33:48Z"). */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function isoTimeOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}

/** Legacy global node id: base64("0" + typeName.length + ":" + typeName + id), e.g. "MDU6SXNzdWUx" = "05:Issue1". */
export function nodeId(typeName: string, id: number): string {
  return Buffer.from(`0${typeName.length}:${typeName}${id}`).toString("base64");
}

/** FNV-1a 32-bit: a stable positive integer for things the truth names only by string (labels, the org). */
export function stableInt(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) || 1;
}

/** Numeric wire id of a truth record id that is already numeric ("2100000005"), else a stable hash. */
export function wireId(recordId: string): number {
  return /^\d+$/.test(recordId) ? Number(recordId) : stableInt(recordId);
}

/** 40-hex commit-like sha, stable per seed text (PR head/base shas). */
export function fakeSha(seedText: string): string {
  return createHash("sha1").update(seedText).digest("hex");
}

/** RFC 4122-shaped GUID derived from text (webhook delivery ids must stay the same for the same event). */
export function derivedGuid(seedText: string): string {
  const hex = createHash("sha256").update(seedText).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Ground truth for tests: a canonical serialisation (sorted keys, so the same seed gives the same
 * bytes whatever order fields were assigned in) and the queries tests need to compare what the
 * product computed with what truly happened.
 */
import { createHash } from "node:crypto";
import type { Platform, StatusCategory, Truth, TruthItem } from "./model.js";

/** JSON with object keys sorted at every level; arrays keep their order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    if (obj[key] === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(obj[key])}`);
  }
  return `{${parts.join(",")}}`;
}

/**
 * The truth as canonical JSON, in pieces (one per item), so large truths can be hashed or streamed
 * to disk without one giant string.
 */
export function* serializeTruthChunks(truth: Truth): Generator<string> {
  const { items, ...rest } = truth;
  const head = canonicalJson(rest);
  yield `${head.slice(0, -1)},"items":{`;
  const platforms = (Object.keys(items) as Platform[]).sort();
  for (let p = 0; p < platforms.length; p++) {
    const platform = platforms[p]!;
    yield `${p ? "," : ""}${JSON.stringify(platform)}:[`;
    const list = items[platform];
    for (let i = 0; i < list.length; i++) yield `${i ? "," : ""}${canonicalJson(list[i])}`;
    yield "]";
  }
  yield "}}";
}

/** Byte-identical for the same seed and options. For 100k items per platform prefer `truthDigest` (the string would be several hundred MB). */
export function serializeTruth(truth: Truth): string {
  return [...serializeTruthChunks(truth)].join("");
}

/** sha256 hex of the canonical serialisation. */
export function truthDigest(truth: Truth): string {
  const hash = createHash("sha256");
  for (const chunk of serializeTruthChunks(truth)) hash.update(chunk);
  return hash.digest("hex");
}

export interface ItemQuery {
  /** Native container id (ClickUp list id, "owner/repo", Plane project id). */
  container?: string;
  /** @default false: deleted items are in the truth but no API serves them. */
  includeDeleted?: boolean;
}

/** Items as the platform's API would list them, in creation order. */
export function itemsOf(truth: Truth, platform: Platform, query: ItemQuery = {}): TruthItem[] {
  return truth.items[platform].filter(
    (i) => (query.includeDeleted || i.deletedAt === null) && (query.container === undefined || i.container === query.container),
  );
}

/** Items whose updatedAt is strictly after `t` (ClickUp `date_updated_gt`; GitHub `since` is ≥, use `t - 1`). */
export function itemsUpdatedAfter(truth: Truth, platform: Platform, t: number, query: ItemQuery = {}): TruthItem[] {
  return itemsOf(truth, platform, query).filter((i) => i.updatedAt > t);
}

export function itemsByStatus(truth: Truth, platform: Platform, statuses: StatusCategory | readonly StatusCategory[], query: ItemQuery = {}): TruthItem[] {
  const wanted = new Set(typeof statuses === "string" ? [statuses] : statuses);
  return itemsOf(truth, platform, query).filter((i) => wanted.has(i.status));
}

/** An item by native id; GitHub numbers repeat across repos, so pass the container there. */
export function findItem(truth: Truth, platform: Platform, id: string, container?: string): TruthItem | undefined {
  return truth.items[platform].find((i) => i.id === id && (container === undefined || i.container === container));
}

export function countByStatus(items: readonly TruthItem[]): Record<StatusCategory, number> {
  const counts: Record<StatusCategory, number> = { backlog: 0, todo: 0, in_progress: 0, in_review: 0, done: 0, cancelled: 0 };
  for (const i of items) counts[i.status]++;
  return counts;
}

/**
 * Reading what the platform agents collected (`data/<platform>-collected.json`). Every record is
 * validated as a WorkItem; a bad record is left out and reported, never allowed to fail the analysis.
 */
import { PlatformEventSchema, PlatformSchema, WorkItemSchema, describeIssues, type Platform, type PlatformEvent, type WorkItem } from "@pmo/contracts";
import { JobFailure, type ArtifactStore } from "@pmo/runtime";
import { z } from "zod";

/** The file's envelope; items are checked one by one below. */
const CollectedFileSchema = z.looseObject({ platform: PlatformSchema, collectedAt: z.iso.datetime({ offset: true }), items: z.array(z.unknown()) });

/** Invalid records listed per platform in data-quality.json (the count is always complete). @default 200 */
export const INVALID_RECORDS_LISTED = 200;

export interface InvalidRecord {
  index: number;
  id: string | null;
  problems: string[];
}

export interface CollectedPlatform {
  platform: Platform;
  path: string;
  collectedAt: string;
  items: WorkItem[];
  invalidCount: number;
  invalid: InvalidRecord[];
}

export async function readJsonArtifact(artifacts: ArtifactStore, workflowId: string, path: string): Promise<unknown | null> {
  const bytes = await artifacts.get(workflowId, path);
  if (!bytes) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw JobFailure.nonRetryable(`${path} is not valid JSON: ${(err as Error).message}`, "invalid_input", { path });
  }
}

function idOf(raw: unknown): string | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as { ref?: { id?: unknown }; id?: unknown; key?: unknown };
  const id = r.ref?.id ?? r.key ?? r.id;
  return typeof id === "string" || typeof id === "number" ? String(id) : null;
}

/** Validates each record; duplicates (same ref twice) and records of another platform count as invalid. */
export function validateItems(platform: Platform, records: readonly unknown[]): Pick<CollectedPlatform, "items" | "invalid" | "invalidCount"> {
  const items: WorkItem[] = [];
  const invalid: InvalidRecord[] = [];
  let invalidCount = 0;
  const seen = new Set<string>();
  records.forEach((raw, index) => {
    const parsed = WorkItemSchema.safeParse(raw);
    let problems: string[] = [];
    if (!parsed.success) problems = describeIssues(parsed.error).slice(0, 5);
    else if (parsed.data.ref.platform !== platform) problems = [`ref.platform is ${parsed.data.ref.platform} in ${platform}'s collection`];
    else if (seen.has(parsed.data.ref.id)) problems = [`duplicate of an earlier record with id ${parsed.data.ref.id}`];
    if (problems.length === 0 && parsed.success) {
      seen.add(parsed.data.ref.id);
      items.push(parsed.data);
      return;
    }
    invalidCount++;
    if (invalid.length < INVALID_RECORDS_LISTED) invalid.push({ index, id: idOf(raw), problems });
  });
  return { items, invalid, invalidCount };
}

export async function readCollected(artifacts: ArtifactStore, workflowId: string, path: string): Promise<CollectedPlatform> {
  const data = await readJsonArtifact(artifacts, workflowId, path);
  if (data === null) throw JobFailure.nonRetryable(`collected data ${path} is not in the artifact store`, "missing_input", { path });
  const file = CollectedFileSchema.safeParse(data);
  if (!file.success) throw JobFailure.nonRetryable(`${path} is not a collection: ${describeIssues(file.error).slice(0, 3).join("; ")}`, "invalid_input", { path });
  return { platform: file.data.platform, path, collectedAt: file.data.collectedAt, ...validateItems(file.data.platform, file.data.items) };
}

/**
 * Platform events collected alongside (`monitoring/<platform>-events.json`), for time to first
 * response. Optional: null when the file is absent or unreadable (then response times are "not
 * measurable", not "never answered"); invalid events are skipped.
 */
export async function readEvents(artifacts: ArtifactStore, workflowId: string, platform: Platform): Promise<PlatformEvent[] | null> {
  let data: unknown;
  try {
    data = await readJsonArtifact(artifacts, workflowId, `monitoring/${platform}-events.json`);
  } catch {
    return null;
  }
  const events = (data as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return null;
  return events.flatMap((e) => {
    const parsed = PlatformEventSchema.safeParse(e);
    return parsed.success ? [parsed.data] : [];
  });
}

import type { PlatformEvent, WorkItem } from "@pmo/contracts";
import { serializeEntry, type CollectedWriter, type SnapshotEntry } from "@pmo/platform-agent";
import { normaliseIssue, type RawGitHubItem } from "./normalise.js";
import type { PreviousSnapshot } from "./previous-snapshot.js";
import type { GitHubSettings } from "./settings.js";

/**
 * Where a repository's items go as they are ready: normalised, stringified, written to the
 * collected output (the repository's next snapshot), compared with the previous snapshot's index
 * for change events. It keeps only what the end of the run needs (previous ids met, newest update,
 * events).
 */
export class RepoSink {
  readonly events: PlatformEvent[] = [];
  readonly errors: { id: string | null; message: string }[] = [];
  fetchedItems = 0;
  /** The newest `updated_at` emitted: the next run lists `since` it. */
  newest: string | null = null;
  /** Whether the next run must list `since` the same watermark again (see `holdWatermark`). */
  watermarkHeld = false;
  /** Previous items met in this run (fetched or emitted); the index's own id strings, not copies. */
  private readonly seen = new Set<string>();

  constructor(
    private readonly repo: string,
    private readonly output: CollectedWriter,
    private readonly previous: PreviousSnapshot | null,
    private readonly settings: GitHubSettings,
  ) {}

  /** This run may have missed a change: the watermark stays where it was, whatever was emitted. */
  holdWatermark(): void {
    this.watermarkHeld = true;
  }

  /** An item fetched in this run, normalised; one that does not normalise is reported (and null), not fatal. */
  normalise(raw: RawGitHubItem): SnapshotEntry | null {
    const id = `${this.repo}#${raw.issue.number}`;
    this.met(id);
    this.fetchedItems++;
    try {
      return { item: normaliseIssue(this.repo, raw, this.settings), raw };
    } catch (err) {
      this.errors.push({ id, message: `could not normalise: ${(err as Error).message.slice(0, 500)}` });
      return null;
    }
  }

  /** An item fetched in this run, normalised and emitted. */
  async fetched(raw: RawGitHubItem): Promise<void> {
    const entry = this.normalise(raw);
    if (entry) await this.emit(`${this.repo}#${raw.issue.number}`, entry);
  }

  /** An item as it stands (fetched now, or unchanged since the previous snapshot). */
  async emit(id: string, entry: SnapshotEntry): Promise<void> {
    this.met(id);
    const updated = (entry.raw as RawGitHubItem).issue.updated_at;
    if (this.newest === null || Date.parse(updated) > Date.parse(this.newest)) this.newest = updated;
    if (this.previous) {
      const event = changeEvent(this.previous.get(id), entry.item);
      if (event) this.events.push(event);
    }
    await this.output.addSerialized(serializeEntry(entry.item, entry.raw));
  }

  private met(id: string): void {
    const known = this.previous?.get(id);
    if (known) this.seen.add(known.ref.id);
  }

  /** Previous items not met in a full listing: deleted (GitHub lists no deletions). */
  deletions(): string[] {
    if (!this.previous) return [];
    const deleted: string[] = [];
    for (const before of this.previous.items()) {
      if (this.seen.has(before.ref.id)) continue;
      deleted.push(before.ref.id);
      this.events.push({ id: `github:poll:${before.ref.id}:item.deleted`, platform: "github", type: "item.deleted", itemRef: before.ref, at: new Date().toISOString(), actor: null, changes: [] });
    }
    return deleted;
  }
}

/** What changed since the previous snapshot, as a normalised event (ids stable per change, so re-runs dedupe). */
function changeEvent(before: Pick<WorkItem, "updatedAt" | "status" | "statusCategory"> | undefined, item: WorkItem): PlatformEvent | null {
  const event = (type: PlatformEvent["type"], changes: PlatformEvent["changes"]): PlatformEvent => ({ id: `github:poll:${item.ref.id}:${type}:${item.updatedAt}`, platform: "github", type, itemRef: item.ref, at: item.updatedAt, actor: null, changes });
  if (!before) return event("item.created", []);
  if (before.updatedAt === item.updatedAt) return null;
  if (before.statusCategory !== item.statusCategory) return event("status.changed", [{ field: "status", from: before.status, to: item.status }]);
  return event("item.updated", []);
}

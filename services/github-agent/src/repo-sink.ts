import type { PlatformEvent, WorkItem } from "@pmo/contracts";
import { serializeEntry, type CollectedWriter, type SnapshotEntry, type SnapshotWriter } from "@pmo/platform-agent";
import { normaliseIssue, type RawGitHubItem } from "./normalise.js";
import type { GitHubSettings } from "./settings.js";

/**
 * Where a repository's items go as they are ready: normalised, stringified once, written to the
 * collected output and the repository's new snapshot, compared with the previous snapshot for
 * change events. It keeps only what the end of the run needs (ids seen, newest update, events).
 */
export class RepoSink {
  readonly seen = new Set<string>();
  readonly events: PlatformEvent[] = [];
  readonly errors: { id: string | null; message: string }[] = [];
  fetchedItems = 0;
  /** The newest `updated_at` emitted: the next run lists `since` it. */
  newest: string | null = null;

  constructor(
    private readonly repo: string,
    private readonly output: CollectedWriter,
    private readonly snapshot: SnapshotWriter,
    private readonly previous: ReadonlyMap<string, SnapshotEntry> | null,
    private readonly settings: GitHubSettings,
  ) {}

  /** An item fetched in this run, normalised; one that does not normalise is reported (and null), not fatal. */
  normalise(raw: RawGitHubItem): SnapshotEntry | null {
    const id = `${this.repo}#${raw.issue.number}`;
    this.seen.add(id);
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
    this.seen.add(id);
    const updated = (entry.raw as RawGitHubItem).issue.updated_at;
    if (this.newest === null || Date.parse(updated) > Date.parse(this.newest)) this.newest = updated;
    const before = this.previous?.get(id);
    if (this.previous) {
      const event = changeEvent(before, entry.item);
      if (event) this.events.push(event);
    }
    const text = serializeEntry(entry.item, entry.raw);
    await this.output.addSerialized(text);
    await this.snapshot.add(text);
  }

  /** Previous items not seen in a full listing: deleted (GitHub lists no deletions). */
  deletions(): string[] {
    if (!this.previous) return [];
    const deleted = [...this.previous.keys()].filter((id) => !this.seen.has(id));
    for (const id of deleted) {
      const before = this.previous.get(id)!;
      this.events.push({ id: `github:poll:${id}:item.deleted`, platform: "github", type: "item.deleted", itemRef: before.item.ref, at: new Date().toISOString(), actor: null, changes: [] });
    }
    return deleted;
  }
}

/** What changed since the previous snapshot, as a normalised event (ids stable per change, so re-runs dedupe). */
function changeEvent(before: SnapshotEntry | undefined, item: WorkItem): PlatformEvent | null {
  const event = (type: PlatformEvent["type"], changes: PlatformEvent["changes"]): PlatformEvent => ({ id: `github:poll:${item.ref.id}:${type}:${item.updatedAt}`, platform: "github", type, itemRef: item.ref, at: item.updatedAt, actor: null, changes });
  if (!before) return event("item.created", []);
  if (before.item.updatedAt === item.updatedAt) return null;
  if (before.item.statusCategory !== item.statusCategory) return event("status.changed", [{ field: "status", from: before.item.status, to: item.status }]);
  return event("item.updated", []);
}

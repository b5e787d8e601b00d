import type { PlatformEvent, WorkItem } from "@pmo/contracts";
import { serializeEntry, type CollectedWriter, type CursorStore, type SnapshotEntry, type SnapshotStore } from "@pmo/platform-agent";
import type { GitHubClient } from "./github-client.js";
import { normaliseIssue, slimIssue, trimPull, trimTimeline, type RawGitHubItem } from "./normalise.js";
import type { GitHubSettings } from "./settings.js";
import type { GhBlocker, GhIssue, GhPull, GhRepo, GhTimelineEntry } from "./wire.js";

/** What is kept per repository in KV `pmo_cursors` between runs. */
export interface RepoCursor {
  /** Max `updated_at` collected: the next run lists `since` it. */
  watermark: string | null;
  /** ETag of the first page of the `since` listing, and the `since` it was for. */
  listEtag: string | null;
  listSince: string | null;
  /** ETag and open count of the repository object: a drop in open items without a change means a deletion. */
  repoEtag: string | null;
  lastSweepAt: number;
}

export interface RepoCollection {
  /** Every item of the repository now (written out, then dropped by the collector). */
  entries: Map<string, SnapshotEntry>;
  deleted: string[];
  errors: { id: string | null; message: string }[];
  events: PlatformEvent[];
  swept: boolean;
  fetchedItems: number;
}

interface Deps {
  client: GitHubClient;
  settings: GitHubSettings;
  cursors: CursorStore<Record<string, unknown>>;
  snapshots: SnapshotStore;
  signal: AbortSignal;
  heartbeat: () => void;
  now?: () => number;
}

/**
 * Collects one repository: everything on the first run; afterwards only what changed (`since` the
 * watermark, first page conditional so an unchanged repo answers 304 and spends nothing), merged into
 * the last snapshot. Deletions (GitHub lists none) are found by a full id sweep, run when the sweep
 * interval passed or when the repository's open count disagrees with the merged snapshot.
 */
export class RepoCollector {
  constructor(private readonly deps: Deps) {}

  /**
   * Collects `repo` and streams every item of it into `output` and into the repository's new
   * snapshot in one pass (each item stringified once); the returned collection no longer holds the
   * items, so a collection over many repositories keeps only one in memory.
   */
  async collect(repo: string, output: CollectedWriter): Promise<Omit<RepoCollection, "entries">> {
    const { cursors, snapshots, settings } = this.deps;
    const now = this.deps.now?.() ?? Date.now();
    const cursor = (await cursors.get(repo)) as RepoCursor | null;
    const previous = cursor ? await snapshots.load(repo) : null;
    const due = !cursor || !previous || now - cursor.lastSweepAt >= settings.fullSweepIntervalMs;
    const out: RepoCollection = { entries: new Map(previous ?? []), deleted: [], errors: [], events: [], swept: due, fetchedItems: 0 };
    const next: RepoCursor = cursor ? { ...cursor } : { watermark: null, listEtag: null, listSince: null, repoEtag: null, lastSweepAt: 0 };

    await this.listAndMerge(repo, due ? null : next, previous, out);
    if (!due) {
      const repoCheck = await this.deps.client.get<GhRepo>("GET /repos/{owner}/{repo}", split(repo), { etag: next.repoEtag, signal: this.deps.signal });
      next.repoEtag = repoCheck.etag;
      if (repoCheck.data && repoCheck.data.open_issues_count !== openCount(out.entries)) {
        out.swept = true;
        await this.listAndMerge(repo, null, previous, out);
      }
    } else {
      next.repoEtag = (await this.deps.client.get<GhRepo>("GET /repos/{owner}/{repo}", split(repo), { signal: this.deps.signal })).etag;
    }
    if (out.swept) next.lastSweepAt = now;
    next.watermark = maxUpdated(out.entries) ?? next.watermark;
    if (next.watermark && next.listSince !== next.watermark) await this.primeListing(repo, next);
    if (previous) out.events.push(...diffEvents(previous, out.entries, out.deleted));
    const snapshot = snapshots.open(repo);
    try {
      for (const e of out.entries.values()) {
        const entry = serializeEntry(e.item, e.raw);
        await output.addSerialized(entry);
        await snapshot.add(entry);
      }
    } catch (err) {
      await snapshot.abort(err);
      throw err;
    }
    await snapshot.finish();
    await cursors.set(repo, next as unknown as Record<string, unknown>);
    const { entries: _written, ...rest } = out;
    return rest;
  }

  /**
   * Records the ETag of the listing the next run will send (`since` the new watermark), so that run
   * gets a 304 and spends no quota when nothing changed. One request, only when the watermark moved.
   */
  private async primeListing(repo: string, next: RepoCursor): Promise<void> {
    const params = { ...split(repo), state: "all", sort: "updated", direction: "asc", per_page: 100, since: next.watermark };
    const page = await this.deps.client.page<GhIssue>("GET /repos/{owner}/{repo}/issues", params, { signal: this.deps.signal });
    next.listEtag = page.etag;
    next.listSince = next.watermark;
  }

  /**
   * Lists issues (PRs included), fetches what changed, merges into `out`. `cursor` null = full
   * listing (sweep). Timelines are fetched while the listing goes on (each page's changed items are
   * handed to the fetchers as the page arrives), and the pulls list is read while the last timelines
   * are still coming: the listing is a chain of dependent pages, so overlapping it is what keeps a
   * collection near the speed of the HTTP exchanges themselves.
   */
  private async listAndMerge(repo: string, cursor: RepoCursor | null, previous: Map<string, SnapshotEntry> | null, out: RepoCollection): Promise<void> {
    const { client, signal } = this.deps;
    const since = cursor?.watermark ?? null;
    const params = { ...split(repo), state: "all", sort: "updated", direction: "asc", per_page: 100, ...(since ? { since } : {}) };
    const etag = cursor && cursor.listSince === since ? cursor.listEtag : null;
    let page = await client.page<GhIssue>("GET /repos/{owner}/{repo}/issues", params, { etag, signal });
    if (page.status === 304) return;
    if (cursor) {
      cursor.listEtag = page.etag;
      cursor.listSince = since;
    }
    const seen = new Set<string>();
    const changed: GhIssue[] = [];
    const details = new Map<number, Details>();
    let fetching: Promise<void> = Promise.resolve();
    for (;;) {
      const batch: GhIssue[] = [];
      for (const issue of page.items) {
        const id = `${repo}#${issue.number}`;
        seen.add(id);
        const before = previous?.get(id);
        if (!before || (before.raw as RawGitHubItem).issue.updated_at !== issue.updated_at) batch.push(slimIssue(issue));
      }
      changed.push(...batch);
      fetching = fetching.then(() => this.fetchDetails(repo, batch, details));
      // Handled when awaited below; until then a failure must not count as unhandled.
      fetching.catch(() => undefined);
      if (!page.next) break;
      this.deps.heartbeat();
      page = await client.nextPage<GhIssue>(page.next, signal);
    }
    if (!cursor && previous) {
      for (const id of previous.keys()) {
        if (!seen.has(id) && out.entries.delete(id)) out.deleted.push(id);
      }
    }
    const [pulls] = await Promise.all([changed.some((i) => i.pull_request) ? this.pullsSince(repo, changed) : new Map<number, GhPull>(), fetching]);
    this.merge(repo, changed, pulls, details, out);
  }

  /** PR details from the pulls list, newest update first, down to the oldest changed PR. */
  private async pullsSince(repo: string, changed: GhIssue[]): Promise<Map<number, GhPull>> {
    const wanted = new Set(changed.filter((i) => i.pull_request).map((i) => i.number));
    const oldest = Math.min(...changed.filter((i) => i.pull_request).map((i) => Date.parse(i.updated_at)));
    const found = new Map<number, GhPull>();
    let page = await this.deps.client.page<GhPull & { updated_at: string }>("GET /repos/{owner}/{repo}/pulls", { ...split(repo), state: "all", sort: "updated", direction: "desc", per_page: 100 }, { signal: this.deps.signal });
    for (;;) {
      for (const p of page.items) if (wanted.has(p.number)) found.set(p.number, p);
      const last = page.items[page.items.length - 1];
      if (!page.next || found.size === wanted.size || (last && Date.parse(last.updated_at) < oldest)) break;
      page = await this.deps.client.nextPage(page.next, this.deps.signal);
    }
    return found;
  }

  /**
   * Per changed issue: its (trimmed) timeline, and its blockers when the issue's dependency summary
   * says it has any (GitHub lists no dependencies in bulk; asking only where the summary counts some
   * keeps it to one request per blocked issue). `concurrency` issues at a time.
   */
  private async fetchDetails(repo: string, issues: GhIssue[], into: Map<number, Details>): Promise<void> {
    const { client, settings, signal } = this.deps;
    let next = 0;
    const worker = async () => {
      while (next < issues.length) {
        const issue = issues[next++]!;
        const params = { ...split(repo), issue_number: issue.number };
        const timeline = trimTimeline(await client.all<GhTimelineEntry>("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", params, signal));
        const blockedBy = (issue.issue_dependencies_summary?.total_blocked_by ?? 0) > 0 ? (await client.all<GhBlocker>("GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", params, signal)).map(blockerId) : undefined;
        into.set(issue.number, { timeline, blockedBy });
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, issues.length) }, worker));
    this.deps.heartbeat();
  }

  /** Normalises what was fetched into `out.entries`; a record that does not normalise is reported, not fatal. */
  private merge(repo: string, changed: GhIssue[], pulls: Map<number, GhPull>, details: Map<number, Details>, out: RepoCollection): void {
    for (const issue of changed) {
      const pull = pulls.get(issue.number);
      const fetched = details.get(issue.number);
      const raw: RawGitHubItem = { issue, pull: pull ? trimPull(pull) : null, timeline: fetched?.timeline ?? [], ...(fetched?.blockedBy ? { blockedBy: fetched.blockedBy } : {}) };
      const id = `${repo}#${issue.number}`;
      out.fetchedItems++;
      try {
        out.entries.set(id, { item: normaliseIssue(repo, raw, this.deps.settings), raw });
      } catch (err) {
        out.entries.delete(id);
        out.errors.push({ id, message: `could not normalise: ${(err as Error).message.slice(0, 500)}` });
      }
    }
  }
}

/** What is fetched per changed issue beside the listing. */
interface Details {
  timeline: GhTimelineEntry[];
  blockedBy: string[] | undefined;
}

/** A blocker's item id; it may live in another repository (its `repository_url` says which). */
function blockerId(blocker: GhBlocker): string {
  const repo = /\/repos\/([^/]+\/[^/]+)$/.exec(blocker.repository_url)?.[1];
  if (!repo) throw new Error(`blocker #${blocker.number} has no repository_url`);
  return `${repo}#${blocker.number}`;
}

export function split(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split("/");
  return { owner: owner!, repo: name! };
}

function openCount(entries: Map<string, SnapshotEntry>): number {
  let n = 0;
  for (const e of entries.values()) if ((e.raw as RawGitHubItem).issue.state === "open") n++;
  return n;
}

function maxUpdated(entries: Map<string, SnapshotEntry>): string | null {
  let max: string | null = null;
  for (const e of entries.values()) {
    const u = (e.raw as RawGitHubItem).issue.updated_at;
    if (max === null || Date.parse(u) > Date.parse(max)) max = u;
  }
  return max;
}

/** What changed since the previous snapshot, as normalised events (ids stable per change, so re-runs dedupe). */
export function diffEvents(previous: Map<string, SnapshotEntry>, current: Map<string, SnapshotEntry>, deleted: string[]): PlatformEvent[] {
  const events: PlatformEvent[] = [];
  const event = (item: WorkItem, type: PlatformEvent["type"], changes: PlatformEvent["changes"]): PlatformEvent => ({
    id: `github:poll:${item.ref.id}:${type}:${item.updatedAt}`,
    platform: "github",
    type,
    itemRef: item.ref,
    at: item.updatedAt,
    actor: null,
    changes,
  });
  for (const [id, entry] of current) {
    const before = previous.get(id);
    if (!before) events.push(event(entry.item, "item.created", []));
    else if (before.item.updatedAt !== entry.item.updatedAt) {
      if (before.item.statusCategory !== entry.item.statusCategory) events.push(event(entry.item, "status.changed", [{ field: "status", from: before.item.status, to: entry.item.status }]));
      else events.push(event(entry.item, "item.updated", []));
    }
  }
  for (const id of deleted) {
    const before = previous.get(id);
    if (before) events.push({ id: `github:poll:${id}:item.deleted`, platform: "github", type: "item.deleted", itemRef: before.item.ref, at: new Date().toISOString(), actor: null, changes: [] });
  }
  return events;
}

import type { PlatformEvent } from "@pmo/contracts";
import { PlatformHttpError, type CollectedSnapshots, type CollectedWriter, type CursorStore, type SnapshotEntry, type SnapshotRef } from "@pmo/platform-agent";
import type { GitHubClient } from "./github-client.js";
import { slimIssue, trimPull, trimTimeline, type RawGitHubItem } from "./normalise.js";
import { PreviousSnapshot, type PreviousItem } from "./previous-snapshot.js";
import { RepoSink } from "./repo-sink.js";
import type { GitHubSettings } from "./settings.js";
import type { GhBlocker, GhIssue, GhPull, GhRepo, GhTimelineEntry } from "./wire.js";

/** Listing pages read ahead of the detail fetching (see walkListing). */
export const LISTING_LOOKAHEAD_PAGES = 4;

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
  /** The collected output holding the repository's items as of this cursor: the next run's snapshot (absent: none, list in full). */
  snapshot?: SnapshotRef;
}

export interface RepoCollection {
  deleted: string[];
  errors: { id: string | null; message: string }[];
  events: PlatformEvent[];
  swept: boolean;
  fetchedItems: number;
  /** The cursor for the next run, saved by `commit` once the output is stored. */
  cursor: RepoCursor;
  /** Where the repository's entries are in the output (written together, entry indexes from 0). */
  entries: { from: number; count: number };
}

interface Deps {
  client: GitHubClient;
  settings: GitHubSettings;
  cursors: CursorStore<Record<string, unknown>>;
  snapshots: CollectedSnapshots;
  signal: AbortSignal;
  heartbeat: () => void;
  now?: () => number;
}

/** What is fetched per changed issue beside the listing. */
interface Details {
  timeline: GhTimelineEntry[];
  blockedBy: string[] | undefined;
}

/**
 * Collects one repository: everything on the first run; afterwards only what changed (`since` the
 * watermark, first page conditional so an unchanged repo answers 304 and spends nothing), merged into
 * the last snapshot. Deletions (GitHub lists none) are found by a full id sweep, run when the sweep
 * interval passed or when the repository's open count disagrees with the merged snapshot.
 * Every item goes to the collected output as soon as it is ready (RepoSink), so a full listing holds
 * no more than the pages in flight; once the output is stored, `commit` makes it the repository's
 * snapshot (its cursor names it). The previous snapshot is never held whole: a run keeps an index
 * of it (PreviousSnapshot) and what it fetched, and streams the previous entries again to emit the
 * unchanged ones.
 */
export class RepoCollector {
  constructor(private readonly deps: Deps) {}

  async collect(repo: string, output: CollectedWriter): Promise<RepoCollection> {
    const { cursors, snapshots, settings, client, signal } = this.deps;
    const now = this.deps.now?.() ?? Date.now();
    const cursor = (await cursors.get(repo)) as RepoCursor | null;
    const previous = cursor ? await PreviousSnapshot.read(snapshots, repo, cursor.snapshot) : null;
    let swept = !cursor || !previous || now - cursor.lastSweepAt >= settings.fullSweepIntervalMs;
    const next: RepoCursor = cursor ? { ...cursor } : { watermark: null, listEtag: null, listSince: null, repoEtag: null, lastSweepAt: 0 };
    delete next.snapshot; // named again by `commit`, once this run's output is stored
    const sink = new RepoSink(repo, output, previous, settings);
    // Repositories are collected one after the other: this one's entries are written together.
    const from = output.items;
    if (swept) {
      await this.listFull(repo, previous, sink);
      next.repoEtag = (await client.get<GhRepo>("GET /repos/{owner}/{repo}", split(repo), { signal })).etag;
    } else if (!(await this.mergeChanged(repo, next, previous!, sink))) {
      swept = true;
      await this.listFull(repo, previous, sink);
    }
    if (swept) next.lastSweepAt = now;
    next.watermark = (sink.watermarkHeld ? null : sink.newest) ?? next.watermark;
    if (next.watermark && next.listSince !== next.watermark) await this.primeListing(repo, next);
    const deleted = sink.deletions();
    return { deleted, errors: sink.errors, events: sink.events, swept, fetchedItems: sink.fetchedItems, cursor: next, entries: { from, count: output.items - from } };
  }

  /**
   * Once the output a collection wrote the repository into is stored: the output becomes the
   * repository's snapshot and the cursor moves on. Not before, so a run that failed later (another
   * repository, or the output itself) leaves the last stored picture and watermark in place.
   */
  async commit(repo: string, collection: RepoCollection, output: Omit<SnapshotRef, "entries">): Promise<void> {
    const snapshot: SnapshotRef = { ...output, entries: collection.entries };
    await this.deps.cursors.set(repo, { ...collection.cursor, snapshot } as unknown as Record<string, unknown>);
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
   * An incremental run: what changed since the watermark, fetched and held, merged into the previous
   * snapshot as it streams by (each entry as it was, or as fetched now; then the new items). False,
   * having emitted nothing, when the repository's open count disagrees with the merge: something was
   * deleted or moved, and only a sweep can tell what.
   */
  private async mergeChanged(repo: string, cursor: RepoCursor, previous: PreviousSnapshot, sink: RepoSink): Promise<boolean> {
    const { client, signal } = this.deps;
    const fetched = await this.listChanged(repo, cursor, previous, sink);
    const repoCheck = await client.get<GhRepo>("GET /repos/{owner}/{repo}", split(repo), { etag: cursor.repoEtag, signal });
    cursor.repoEtag = repoCheck.etag;
    if (repoCheck.data && repoCheck.data.open_issues_count !== previous.openCountWith(fetched)) return false;
    for await (const { id, entry } of previous.replay()) {
      const now = fetched.get(id);
      if (now === undefined) await sink.emit(id, entry);
      else if (now !== null) await sink.emit(id, now);
      fetched.delete(id); // emitted (or gone): what is left afterwards is new since the previous snapshot
    }
    for (const [id, entry] of fetched) if (entry) await sink.emit(id, entry);
    return true;
  }

  /**
   * The full listing (first run or sweep), streamed: a changed item is emitted once its timeline
   * (and blockers) arrived. On a first run every PR is new, so the whole pulls list is read from the
   * start, beside the listing, and items go out as they are fetched. On a sweep the few changed
   * items wait for the pulls down to the oldest changed PR; the listing only notes which items are
   * unchanged since the previous snapshot, and those are emitted as they were by streaming it again.
   */
  private async listFull(repo: string, previous: PreviousSnapshot | null, sink: RepoSink): Promise<void> {
    if (previous === null) {
      const allPulls = this.pullsDownTo(repo, -Infinity, null);
      allPulls.catch(() => undefined); // awaited by the first PR; a failure must not count as unhandled meanwhile
      await this.walkListing(repo, null, null, {
        unchanged: async () => undefined,
        changed: async (issue, details) => sink.fetched(rawItem(issue, issue.pull_request ? (await allPulls).get(issue.number) : undefined, details)),
      });
      return;
    }
    const unchanged = new Set<string>();
    const listed = new Set<string>();
    const held: Held[] = [];
    await this.walkListing(repo, null, previous, {
      unchanged: async (before) => void (unchanged.add(before.ref.id), listed.add(before.ref.id)),
      changed: async (issue, details) => void (held.push({ issue, details }), listed.add(`${repo}#${issue.number}`)),
    });
    // Missing from the listing is not yet deleted: a deletion while it was paged shifts the rest
    // back, and the issue at a page's edge is never listed. Each candidate is asked for (deletions
    // are few); one still there is collected like a changed one.
    const missing = [...previous.items()].map((p) => p.ref.id).filter((id) => !listed.has(id));
    for (const issue of await this.stillThere(repo, missing)) {
      listed.add(`${repo}#${issue.number}`);
      await this.fetchDetails(repo, [issue], async (i, details) => void held.push({ issue: i, details }));
    }
    for (const raw of await this.withPulls(repo, held)) await sink.fetched(raw);
    // Deleting an issue does not change the `updated_at` of the issues it blocked, so they come back
    // unchanged still naming it: a blocker of this repository the full listing no longer has is gone.
    const gone = (id: string) => id.startsWith(`${repo}#`) && !listed.has(id);
    for await (const { id, entry } of previous.replay()) if (unchanged.has(id)) await sink.emit(id, withoutBlockers(entry, gone));
  }

  /** The issues of `ids` GitHub still has in this repository (410: deleted, 404: gone, 301: transferred away). */
  private async stillThere(repo: string, ids: string[]): Promise<GhIssue[]> {
    const found: GhIssue[] = [];
    for (const id of ids) {
      try {
        const r = await this.deps.client.get<GhIssue>("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...split(repo), issue_number: Number(id.slice(id.lastIndexOf("#") + 1)) }, { signal: this.deps.signal });
        if (r.data) found.push(slimIssue(r.data));
      } catch (err) {
        if (isGone(err)) continue;
        throw err;
      }
    }
    return found;
  }

  /**
   * Issues changed `since` the watermark (first page conditional), fetched and normalised, by id
   * (null: it does not normalise any more, so it leaves the merge).
   */
  private async listChanged(repo: string, cursor: RepoCursor, previous: PreviousSnapshot, sink: RepoSink): Promise<Map<string, SnapshotEntry | null>> {
    const held: Held[] = [];
    const { moved } = await this.walkListing(repo, cursor, previous, { unchanged: async () => undefined, changed: async (issue, details) => void held.push({ issue, details }) });
    if (moved) {
      // An issue updated while the `since` listing was paged jumped to its end and shifted the rest
      // back: the one at a page's edge may have been skipped. The next run lists from the same
      // watermark again, unconditionally, and finds it.
      sink.holdWatermark();
      cursor.listEtag = null;
    }
    const fetched = new Map<string, SnapshotEntry | null>();
    for (const raw of await this.withPulls(repo, held)) fetched.set(`${repo}#${raw.issue.number}`, sink.normalise(raw));
    return fetched;
  }

  /**
   * Walks the listing (`since` the cursor's watermark when given, its first page conditional: a 304
   * ends the walk at no cost). Unchanged items (same `updated_at` as in `previous`) go to
   * `unchanged`; changed ones have their details fetched, `concurrency` at a time, while the listing
   * goes on (the listing is a chain of dependent pages, so overlapping it keeps a collection near
   * the speed of its HTTP exchanges), then go to `changed`.
   */
  private async walkListing(
    repo: string,
    cursor: RepoCursor | null,
    previous: PreviousSnapshot | null,
    to: { unchanged: (before: PreviousItem) => Promise<void>; changed: (issue: GhIssue, details: Details) => Promise<void> },
  ): Promise<{ moved: boolean }> {
    const { client, signal } = this.deps;
    const since = cursor?.watermark ?? null;
    // A full listing goes in creation order: an issue updated while it is paged keeps its place.
    // (In update order it would jump to the last page, shifting the rest back: the issue at the next
    // page's edge would be skipped and the moved one listed twice.) `since` needs update order.
    const params = { ...split(repo), state: "all", sort: since ? "updated" : "created", direction: "asc", per_page: 100, ...(since ? { since } : {}) };
    const etag = cursor && cursor.listSince === since ? cursor.listEtag : null;
    let page = await client.page<GhIssue>("GET /repos/{owner}/{repo}/issues", params, { etag, signal });
    if (page.status === 304) return { moved: false };
    if (cursor) {
      cursor.listEtag = page.etag;
      cursor.listSince = since;
    }
    let fetching: Promise<void> = Promise.resolve();
    const batches: Promise<void>[] = [];
    const listed = new Set<number>();
    let moved = false;
    for (;;) {
      const batch: GhIssue[] = [];
      for (const issue of page.items) {
        // Listed again: it was updated while the listing was paged (see `moved`). Once is enough.
        if (listed.has(issue.number)) {
          moved = true;
          continue;
        }
        listed.add(issue.number);
        const before = previous?.get(`${repo}#${issue.number}`);
        if (before && before.listedAt === issue.updated_at) await to.unchanged(before);
        else batch.push(slimIssue(issue));
      }
      fetching = fetching.then(() => this.fetchDetails(repo, batch, to.changed));
      fetching.catch(() => undefined); // awaited below; a failure must not count as unhandled meanwhile
      batches.push(fetching);
      if (!page.next) break;
      this.deps.heartbeat();
      // The listing is far quicker than the details (a page of 100 vs 100+ requests): left alone it
      // would hold the whole repository's issues waiting for their timelines. A few pages ahead
      // keeps the detail fetchers busy with memory bounded by the lookahead, not the repository.
      while (batches.length > LISTING_LOOKAHEAD_PAGES) await batches.shift();
      page = await client.nextPage<GhIssue>(page.next, signal);
    }
    await fetching;
    return { moved };
  }

  /** Raw items for what was held back, with PR details from the pulls list down to the oldest changed PR. */
  private async withPulls(repo: string, held: Held[]): Promise<RawGitHubItem[]> {
    const prs = held.filter((h) => h.issue.pull_request);
    const pulls = prs.length ? await this.pullsDownTo(repo, Math.min(...prs.map((h) => Date.parse(h.issue.updated_at))), new Set(prs.map((h) => h.issue.number))) : new Map<number, PullDetails>();
    return held.map(({ issue, details }) => rawItem(issue, pulls.get(issue.number), details));
  }

  /**
   * The pulls list, newest update first, down to `oldest` (or until every `wanted` PR was seen),
   * trimmed on arrival: a listed pull carries its head and base repositories in full, and a first
   * run keeps every PR of the repository until its issue comes by.
   */
  private async pullsDownTo(repo: string, oldest: number, wanted: Set<number> | null): Promise<Map<number, PullDetails>> {
    const found = new Map<number, PullDetails>();
    let page = await this.deps.client.page<GhPull & { updated_at: string }>("GET /repos/{owner}/{repo}/pulls", { ...split(repo), state: "all", sort: "updated", direction: "desc", per_page: 100 }, { signal: this.deps.signal });
    for (;;) {
      for (const p of page.items) if (!wanted || wanted.has(p.number)) found.set(p.number, trimPull(p));
      const last = page.items[page.items.length - 1];
      if (!page.next || (wanted && found.size === wanted.size) || (last && Date.parse(last.updated_at) < oldest)) break;
      page = await this.deps.client.nextPage(page.next, this.deps.signal);
    }
    return found;
  }

  /**
   * Per changed issue: its (trimmed) timeline, and its blockers when the issue's dependency summary
   * says it has any (GitHub lists no dependencies in bulk; asking only where the summary counts some
   * keeps it to one request per blocked issue). `concurrency` issues at a time.
   */
  private async fetchDetails(repo: string, issues: GhIssue[], then: (issue: GhIssue, details: Details) => Promise<void>): Promise<void> {
    const { client, settings, signal } = this.deps;
    let next = 0;
    const worker = async () => {
      while (next < issues.length) {
        const issue = issues[next++]!;
        const params = { ...split(repo), issue_number: issue.number };
        let details: Details;
        try {
          const timeline = trimTimeline(await client.all<GhTimelineEntry>("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", params, signal));
          const blockedBy = (issue.issue_dependencies_summary?.total_blocked_by ?? 0) > 0 ? (await client.all<GhBlocker>("GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", params, signal)).map(blockerId) : undefined;
          details = { timeline, blockedBy };
        } catch (err) {
          // Deleted (or transferred) since it was listed: not collected, so a sweep finds it gone.
          if (isGone(err)) continue;
          throw err;
        }
        await then(issue, details);
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, issues.length) }, worker));
    this.deps.heartbeat();
  }
}

/** A changed issue whose details arrived, waiting for its PR details. */
interface Held {
  issue: GhIssue;
  details: Details;
}

type PullDetails = NonNullable<RawGitHubItem["pull"]>;

function rawItem(issue: GhIssue, pull: PullDetails | undefined, details: Details): RawGitHubItem {
  return { issue, pull: pull ?? null, timeline: details.timeline, ...(details.blockedBy ? { blockedBy: details.blockedBy } : {}) };
}

/** A blocker's item id; it may live in another repository (its `repository_url` says which). */
function blockerId(blocker: GhBlocker): string {
  const repo = /\/repos\/([^/]+\/[^/]+)$/.exec(blocker.repository_url)?.[1];
  if (!repo) throw new Error(`blocker #${blocker.number} has no repository_url`);
  return `${repo}#${blocker.number}`;
}

/** GitHub's answer for an issue that is no longer in the repository: 410 deleted, 404 gone, 301 transferred. */
function isGone(err: unknown): boolean {
  return err instanceof PlatformHttpError && [301, 404, 410].includes(err.status);
}

/** The entry without the blockers `gone` names, in its item and its raw record alike. */
function withoutBlockers(entry: SnapshotEntry, gone: (id: string) => boolean): SnapshotEntry {
  if (!entry.item.blockedBy.some((b) => gone(b.id))) return entry;
  const raw = entry.raw as RawGitHubItem;
  return { item: { ...entry.item, blockedBy: entry.item.blockedBy.filter((b) => !gone(b.id)) }, raw: { ...raw, blockedBy: raw.blockedBy?.filter((id) => !gone(id)) } };
}

export function split(repo: string): { owner: string; repo: string } {
  const [owner, name] = repo.split("/");
  return { owner: owner!, repo: name! };
}

import type { Logger } from "pino";
import type { PlatformEvent } from "@pmo/contracts";
import { ChangeLog, type SnapshotEntry, type SnapshotRef } from "@pmo/platform-agent";
import { loadCatalog, type ProjectCatalog } from "./catalog.js";
import { PLANE_CHANGE_RULES } from "./change-log.js";
import type { PlaneClient } from "./client.js";
import { Memberships, type MembershipSignatures } from "./memberships.js";
import type { CollectedRecord, PlaneMember, PlaneWorkItem } from "./plane-types.js";
import type { PlaneSettings } from "./settings.js";
import type { StatusMapper } from "./status-mapping.js";
import { WorkItemEmitter, type ProjectOutput } from "./work-item-emitter.js";
import { WorkItemReader } from "./work-item-reader.js";

/** What `pmo_cursors` keeps per project between runs. */
export interface PlaneCursor {
  /** Newest `updated_at` seen when the last run started: later changes have a later stamp. */
  watermark: string | null;
  lastFullAt: string | null;
  /** Cycle/module count signatures, to skip re-reading memberships that cannot have changed. */
  signatures: MembershipSignatures;
  /** The collected output holding the project's items as of this cursor: the next run's snapshot (absent: none, collect in full). */
  snapshot?: SnapshotRef;
}

/** What the last run left of a project: its cursor, and its snapshot (null when there is none). */
export interface ProjectHistory {
  cursor: PlaneCursor | null;
  /** Streams the snapshot entry by entry, from the start at each call (it is never held whole). */
  snapshot: (() => AsyncIterable<SnapshotEntry>) | null;
}

/** What a project's run reports; its entries went to the output as they were ready. */
export interface ProjectRun {
  mode: "full" | "incremental";
  /** Entries emitted. */
  items: number;
  /** Work items whose details were fetched this run (changed since the watermark, or all on a full run). */
  changed: number;
  deleted: string[];
  errors: { id: string | null; message: string }[];
  events: PlatformEvent[];
  sweep: boolean;
  cursor: PlaneCursor;
}

export interface ProjectCollectorDeps {
  client: PlaneClient;
  settings: PlaneSettings;
  mapper: StatusMapper;
  members: Map<string, PlaneMember>;
  slug: string;
  webBase: string;
  log: Logger;
  signal?: AbortSignal;
  heartbeat(): void;
}

/** What one pass (full or incremental) found, beside what its emitter and change log hold. */
interface Pass {
  newest: string | null;
  changed: number;
  deleted: string[];
  sweep: boolean;
  signatures: MembershipSignatures;
  emitter: WorkItemEmitter;
}

/**
 * Collects one Plane project, streaming: each entry goes to the output as soon as it is normalised.
 * A full run reads the memberships first, then emits each listing page once its details are in;
 * it holds one page, the ids seen, and the last snapshot's ids with their update stamps (for
 * deletions and change events). Plane has no updated-since filter, so an incremental run pages
 * newest change first down to the watermark, re-reads only those items' activities and relations,
 * then streams the last snapshot through, replacing what changed: it holds the changes. Deletions
 * show up as a total count other than ours, which triggers an id sweep (`fields=id`).
 */
export class ProjectCollector {
  private readonly reader: WorkItemReader;

  constructor(
    private readonly deps: ProjectCollectorDeps,
    private readonly projectId: string,
  ) {
    this.reader = new WorkItemReader(deps, deps.slug, projectId);
  }

  async collect(history: ProjectHistory, to: ProjectOutput): Promise<ProjectRun> {
    const { client, settings, signal } = this.deps;
    const { cursor, snapshot } = history;
    const catalog = await loadCatalog(client, this.deps.slug, this.projectId, settings.pageSize, signal);
    const lastFull = cursor?.lastFullAt ? Date.parse(cursor.lastFullAt) : 0;
    const full = !snapshot || !cursor?.watermark || Date.now() - lastFull >= settings.fullCollectionIntervalMs;
    const changes = new ChangeLog(PLANE_CHANGE_RULES, snapshot !== null);
    const pass = full ? await this.collectFull(catalog, to, changes, snapshot) : await this.collectIncremental(catalog, to, changes, snapshot!, cursor!);
    const watermark = [pass.newest, cursor?.watermark ?? null].filter((x): x is string => x !== null).sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null;
    return {
      mode: full ? "full" : "incremental",
      items: pass.emitter.items,
      changed: pass.changed,
      deleted: pass.deleted,
      errors: pass.emitter.errors,
      events: changes.events,
      sweep: pass.sweep,
      cursor: { watermark, lastFullAt: full ? new Date().toISOString() : cursor!.lastFullAt, signatures: pass.signatures },
    };
  }

  /** Every work item, each listing page emitted once its details are in; deletions are what the last snapshot has beyond them. */
  private async collectFull(catalog: ProjectCatalog, to: ProjectOutput, changes: ChangeLog, snapshot: ProjectHistory["snapshot"]): Promise<Pass> {
    const memberships = await this.readMemberships(catalog, null, null);
    const emitter = this.emitter(catalog, to, memberships);
    // The last snapshot's update stamps (ids and times, not items): enough for deletions and to tell what changed.
    if (snapshot) await changes.remember(snapshot());
    const seen = new Set<string>();
    let newest: string | null = null;
    // A page's records are emitted while the next page's details are read, and the next listing
    // page is asked for meanwhile: emitting one page after the other's details left Plane idle
    // during every listing request and every emission. One page is emitted at a time, so at most
    // three are held: one emitting, one whose details are read, one listed.
    let emitting: Promise<void> = Promise.resolve();
    const emitAfter = async (items: PlaneWorkItem[], records: CollectedRecord[]) => {
      // Left out: deleted since it was listed. Not seen, so a previous version is reported deleted.
      const kept = new Set(records.map((r) => r.workItem.id));
      for (const w of items) if (!kept.has(w.id)) seen.delete(w.id);
      await emitting;
      emitting = (async () => {
        for (const record of records) {
          const item = await emitter.emit(record);
          if (item) changes.compareToRemembered(item);
        }
      })();
      emitting.catch(() => undefined); // awaited before the next page's emission, or at the end
    };
    const totals = new Set<number>();
    const listing = this.reader.pages();
    try {
      let next = listing.next();
      for (let r = await next; !r.done; r = await next) {
        const page = r.value;
        this.deps.heartbeat();
        newest ??= page.results[0]?.updated_at ?? null;
        totals.add(page.total_count);
        const fresh: PlaneWorkItem[] = [];
        for (const w of page.results) {
          // An item changed while we page moves to the front and shifts the rest: it may come twice.
          if (seen.has(w.id)) continue;
          seen.add(w.id);
          fresh.push(w);
        }
        const records = this.reader.details(fresh);
        next = listing.next();
        next.catch(() => undefined); // awaited by the loop
        await emitAfter(fresh, await records);
      }
      await emitting;
    } catch (err) {
      // A listing request still in flight is left to finish on its own.
      listing.return(undefined).catch(() => undefined);
      throw err;
    }
    // ... and then it is missing: its new place was paged already. A deletion meanwhile shifts the
    // rest back and skips one too. Either shows in the counts; the id listing then says what was
    // missed, which would otherwise be reported deleted.
    const sweep = totals.size > 1 || (totals.size === 1 && !totals.has(seen.size));
    if (sweep) {
      const missed: PlaneWorkItem[] = [];
      for (const id of await this.reader.liveIds()) {
        const w = seen.has(id) ? null : await this.reader.one(id);
        if (w) missed.push(w);
      }
      for (const w of missed) seen.add(w.id);
      await emitAfter(missed, await this.reader.details(missed));
      await emitting;
    }
    const deleted = [...changes.previousIds()].filter((id) => !seen.has(id));
    if (snapshot) await changes.resolve(snapshot());
    changes.deleted(deleted, new Date());
    return { newest, changed: seen.size, deleted, sweep, signatures: memberships.signatures, emitter };
  }

  /** What changed since the watermark, merged into the last snapshot as it streams through. */
  private async collectIncremental(catalog: ProjectCatalog, to: ProjectOutput, changes: ChangeLog, snapshot: () => AsyncIterable<SnapshotEntry>, cursor: PlaneCursor): Promise<Pass> {
    const stopBefore = Date.parse(cursor.watermark!) - this.deps.settings.watermarkOverlapMs;
    const listed = new Map<string, PlaneWorkItem>();
    let totalCount = 0;
    let newest: string | null = null;
    pages: for await (const page of this.reader.pages()) {
      this.deps.heartbeat();
      totalCount = page.total_count;
      newest ??= page.results[0]?.updated_at ?? null;
      for (const w of page.results) {
        if (Date.parse(w.updated_at) < stopBefore) break pages;
        if (!listed.has(w.id)) listed.set(w.id, w);
      }
    }

    // The snapshot's size, and which listed items it already holds as they are (the watermark's overlap).
    let previousCount = 0;
    const known = new Set<string>();
    for await (const e of snapshot()) {
      previousCount++;
      const w = listed.get(e.item.ref.id);
      if (!w) continue;
      known.add(w.id);
      if ((e.raw as CollectedRecord).workItem.updated_at === w.updated_at) listed.delete(w.id);
    }
    const newIds = [...listed.keys()].filter((id) => !known.has(id));
    const fetched = new Map((await this.reader.details([...listed.values()])).map((r) => [r.workItem.id, r]));

    const sweep = totalCount !== previousCount + newIds.length;
    const deleted = sweep ? await this.sweep(snapshot, newIds, fetched) : [];
    const changed = fetched.size;
    const memberships = await this.readMemberships(catalog, cursor.signatures, newest ?? cursor.watermark);
    const emitter = this.emitter(catalog, to, memberships);

    // Each snapshot entry in its place: replaced by its fetched version, dropped, or kept (re-normalised
    // with today's catalog and memberships); then what is new to us.
    const gone = new Set(deleted);
    for await (const e of snapshot()) {
      const id = e.item.ref.id;
      if (gone.has(id)) continue;
      const old = e.raw as CollectedRecord;
      const replacement = fetched.get(id);
      fetched.delete(id);
      const item = await emitter.emit(replacement ? { ...replacement, cycleId: old.cycleId, moduleId: old.moduleId } : old);
      if (item) changes.compare(e.item, item);
    }
    for (const record of fetched.values()) {
      if (gone.has(record.workItem.id)) continue;
      const item = await emitter.emit(record);
      if (item) changes.compare(undefined, item);
    }
    changes.deleted(deleted, new Date());
    return { newest, changed, deleted, sweep, signatures: memberships.signatures, emitter };
  }

  /**
   * Every live id: what the snapshot (or this run's new items) has and Plane no longer lists is
   * deleted; what Plane lists and neither has is fetched into `fetched`.
   */
  private async sweep(snapshot: () => AsyncIterable<SnapshotEntry>, newIds: readonly string[], fetched: Map<string, CollectedRecord>): Promise<string[]> {
    const unseen = await this.reader.liveIds();
    const deleted: string[] = [];
    for await (const e of snapshot()) if (!unseen.delete(e.item.ref.id)) deleted.push(e.item.ref.id);
    for (const id of newIds) if (!unseen.delete(id)) deleted.push(id);
    const missing: PlaneWorkItem[] = [];
    for (const id of unseen) {
      const w = await this.reader.one(id);
      if (w) missing.push(w);
    }
    for (const record of await this.reader.details(missing)) fetched.set(record.workItem.id, record);
    return deleted;
  }

  private readMemberships(catalog: ProjectCatalog, previous: MembershipSignatures | null, serverNow: string | null): Promise<Memberships> {
    const { client, slug, settings, signal } = this.deps;
    return Memberships.read({ client, slug, projectId: this.projectId, pageSize: settings.pageSize, signal, heartbeat: () => this.deps.heartbeat() }, catalog, previous, serverNow);
  }

  private emitter(catalog: ProjectCatalog, to: ProjectOutput, memberships: Memberships): WorkItemEmitter {
    const { slug, webBase, members, mapper } = this.deps;
    return new WorkItemEmitter(to, { slug, webBase, catalog, members, mapper }, memberships);
  }
}

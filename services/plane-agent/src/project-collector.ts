import type { Logger } from "pino";
import type { WorkItem } from "@pmo/contracts";
import type { SnapshotEntry } from "@pmo/platform-agent";
import { loadCatalog, loadMemberIds, membershipSignature, projectPath, type MembershipSignatures, type ProjectCatalog } from "./catalog.js";
import type { PlaneClient } from "./client.js";
import { forEachLimited } from "./concurrency.js";
import { normaliseWorkItem } from "./normalise.js";
import type { CollectedRecord, PlaneActivity, PlaneCycle, PlaneMember, PlaneModule, PlaneRelations, PlaneWorkItem } from "./plane-types.js";
import type { PlaneSettings } from "./settings.js";
import type { StatusMapper } from "./status-mapping.js";

/** What `pmo_cursors` keeps per project between runs. */
export interface PlaneCursor {
  /** Newest `updated_at` seen when the last run started: later changes have a later stamp. */
  watermark: string | null;
  lastFullAt: string | null;
  /** Cycle/module count signatures, to skip re-reading memberships that cannot have changed. */
  signatures: MembershipSignatures;
}

export interface ProjectCollection {
  mode: "full" | "incremental";
  catalog: ProjectCatalog;
  entries: Map<string, SnapshotEntry>;
  /** Work items whose details were fetched this run (changed since the watermark, or all on a full run). */
  changed: Set<string>;
  deleted: string[];
  errors: { id: string | null; message: string }[];
  cursor: PlaneCursor;
  sweep: boolean;
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

const WORK_ITEM_QUERY = { order_by: "-updated_at", expand: "estimate_point" };
const DAY_MS = 86_400_000;

/**
 * Collects one Plane project. Plane has no updated-since filter, so work items are paged newest
 * change first and paging stops at the watermark; only those items get their activities and
 * relations re-read. Deletions show up as a total count lower than the merged snapshot's, which
 * triggers an id sweep (`fields=id`).
 */
export class ProjectCollector {
  private readonly base: string;

  constructor(
    private readonly deps: ProjectCollectorDeps,
    private readonly projectId: string,
  ) {
    this.base = projectPath(deps.slug, projectId);
  }

  async collect(snapshot: Map<string, SnapshotEntry> | null, cursor: PlaneCursor | null): Promise<ProjectCollection> {
    const { client, settings, signal } = this.deps;
    const catalog = await loadCatalog(client, this.deps.slug, this.projectId, settings.pageSize, signal);
    const lastFull = cursor?.lastFullAt ? Date.parse(cursor.lastFullAt) : 0;
    const full = !snapshot || !cursor?.watermark || Date.now() - lastFull >= settings.fullCollectionIntervalMs;
    const previous = full ? new Map<string, SnapshotEntry>() : snapshot!;
    const stopBefore = full ? -Infinity : Date.parse(cursor!.watermark!) - settings.watermarkOverlapMs;

    const records = new Map<string, CollectedRecord>();
    for (const [id, e] of previous) records.set(id, e.raw as CollectedRecord);
    const seen = new Set<string>();
    const changed = new Set<string>();
    let totalCount = 0;
    let newest: string | null = null;

    pages: for await (const page of client.pages<PlaneWorkItem>(`${this.base}/work-items/`, "GET projects/:id/work-items/", WORK_ITEM_QUERY, settings.pageSize, signal)) {
      this.deps.heartbeat();
      totalCount = page.total_count;
      newest ??= page.results[0]?.updated_at ?? null;
      const fresh: PlaneWorkItem[] = [];
      let reachedWatermark = false;
      for (const w of page.results) {
        if (Date.parse(w.updated_at) < stopBefore) {
          reachedWatermark = true;
          break;
        }
        // An item changed while we page moves to the front and shifts the rest: it may come twice.
        if (seen.has(w.id)) continue;
        seen.add(w.id);
        const before = records.get(w.id);
        if (before && before.workItem.updated_at === w.updated_at) continue;
        fresh.push(w);
      }
      await this.fetchDetails(fresh, records, changed);
      if (reachedWatermark) break pages;
    }

    let deleted: string[] = [];
    let sweep = false;
    if (full) {
      deleted = snapshot ? [...snapshot.keys()].filter((id) => !seen.has(id)) : [];
    } else if (totalCount !== records.size) {
      sweep = true;
      deleted = await this.sweep(records, changed);
    }
    for (const id of deleted) records.delete(id);

    const signatures = await this.assignMemberships(catalog, records, full ? null : cursor!.signatures, newest ?? cursor?.watermark ?? null);
    const entries = new Map<string, SnapshotEntry>();
    const errors: ProjectCollection["errors"] = [];
    for (const [id, raw] of records) {
      try {
        entries.set(id, { item: this.normalise(raw, catalog), raw });
      } catch (err) {
        errors.push({ id, message: (err as Error).message });
      }
    }
    const watermark = [newest, cursor?.watermark ?? null].filter((x): x is string => x !== null).sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null;
    return {
      mode: full ? "full" : "incremental",
      catalog,
      entries,
      changed,
      deleted,
      errors,
      sweep,
      cursor: { watermark, lastFullAt: full ? new Date().toISOString() : cursor!.lastFullAt, signatures },
    };
  }

  private normalise(raw: CollectedRecord, catalog: ProjectCatalog): WorkItem {
    const { slug, webBase, members, mapper } = this.deps;
    return normaliseWorkItem(raw, { slug, webBase, catalog, members, mapper });
  }

  /** Activities (status history) and relations (blockers) of the given work items, a few at a time. */
  private async fetchDetails(items: PlaneWorkItem[], records: Map<string, CollectedRecord>, changed: Set<string>): Promise<void> {
    const { client, settings, signal } = this.deps;
    await forEachLimited(items, settings.detailConcurrency, async (w) => {
      const activities: PlaneActivity[] = [];
      for await (const page of client.pages<PlaneActivity>(`${this.base}/work-items/${w.id}/activities/`, "GET work-items/:id/activities/", {}, settings.pageSize, signal)) {
        activities.push(...page.results);
      }
      const relations = await client.get<PlaneRelations>(`${this.base}/work-items/${w.id}/relations/`, "GET work-items/:id/relations/", undefined, signal);
      const before = records.get(w.id);
      records.set(w.id, { workItem: w, activities, relations: relations ?? {}, cycleId: before?.cycleId ?? null, moduleId: before?.moduleId ?? null });
      changed.add(w.id);
      this.deps.heartbeat();
    });
  }

  /** Every live id (`fields=id`): what the snapshot has and Plane no longer lists is deleted; what Plane lists and we miss is fetched. */
  private async sweep(records: Map<string, CollectedRecord>, changed: Set<string>): Promise<string[]> {
    const { client, settings, signal } = this.deps;
    const live = new Set<string>();
    for await (const page of client.pages<{ id: string }>(`${this.base}/work-items/`, "GET projects/:id/work-items/", { fields: "id" }, settings.pageSize, signal)) {
      for (const row of page.results) live.add(row.id);
      this.deps.heartbeat();
    }
    const missing = [...live].filter((id) => !records.has(id));
    const found: PlaneWorkItem[] = [];
    for (const id of missing) {
      found.push(await client.get<PlaneWorkItem>(`${this.base}/work-items/${id}/`, "GET projects/:id/work-items/:id/", { expand: "estimate_point" }, signal));
    }
    await this.fetchDetails(found, records, changed);
    return [...records.keys()].filter((id) => !live.has(id));
  }

  /**
   * Sets each record's cycle and module. A group's members are re-read when its counts changed since
   * the last run, when it is current or upcoming, or on a full run; otherwise the snapshot's stand.
   */
  private async assignMemberships(catalog: ProjectCatalog, records: Map<string, CollectedRecord>, previous: MembershipSignatures | null, serverNow: string | null): Promise<MembershipSignatures> {
    const { client, settings, signal, slug } = this.deps;
    const signatures: MembershipSignatures = {};
    const activeAfter = serverNow ? Date.parse(serverNow) - DAY_MS : -Infinity;
    const assign = async (kind: "cycle" | "module", groups: Map<string, PlaneCycle | PlaneModule>, field: "cycleId" | "moduleId") => {
      const kept = new Map<string, string>(); // item → group, for groups whose membership stands
      const reread = new Set<string>();
      for (const group of groups.values()) {
        const signature = membershipSignature(group);
        signatures[`${kind}:${group.id}`] = signature;
        const end = "end_date" in group && group.end_date ? Date.parse(group.end_date) : Infinity;
        const stale = previous === null || previous[`${kind}:${group.id}`] !== signature || (kind === "cycle" && end >= activeAfter);
        if (stale) reread.add(group.id);
      }
      for (const [id, r] of records) if (r[field] && !reread.has(r[field]!) && groups.has(r[field]!)) kept.set(id, r[field]!);
      for (const groupId of reread) {
        for (const id of await loadMemberIds(client, slug, this.projectId, kind, groupId, settings.pageSize, signal)) kept.set(id, groupId);
        this.deps.heartbeat();
      }
      for (const [id, r] of records) {
        const groupId = kept.get(id) ?? null;
        if (r[field] !== groupId) records.set(id, { ...r, [field]: groupId });
      }
    };
    await assign("cycle", catalog.cycles, "cycleId");
    await assign("module", catalog.modules, "moduleId");
    return signatures;
  }
}

import { projectPath } from "./catalog.js";
import type { PlaneClient, PlanePage } from "./client.js";
import { mapLimit, PlatformHttpError } from "@pmo/platform-agent";
import type { CollectedRecord, PlaneActivity, PlaneRelations, PlaneWorkItem } from "./plane-types.js";
import type { PlaneSettings } from "./settings.js";

const LIST = "GET projects/:id/work-items/";

/** Plane has no updated-since filter: newest change first lets a run stop at its watermark. */
const NEWEST_FIRST = { order_by: "-updated_at", expand: "estimate_point" };

/**
 * One project's work items as Plane serves them: the listing page by page (newest change first),
 * the id sweep, single items, and what surrounds an item (activities for its status history,
 * relations for its blockers), fetched a few items at a time.
 */
export class WorkItemReader {
  private readonly base: string;

  constructor(
    private readonly deps: { client: PlaneClient; settings: PlaneSettings; signal?: AbortSignal; heartbeat(): void },
    slug: string,
    projectId: string,
  ) {
    this.base = `${projectPath(slug, projectId)}/work-items`;
  }

  /** The listing, newest change first, one page at a time (the next is asked for when the caller wants it). */
  pages(): AsyncGenerator<PlanePage<PlaneWorkItem>> {
    const { client, settings, signal } = this.deps;
    return client.pages<PlaneWorkItem>(`${this.base}/`, LIST, NEWEST_FIRST, settings.pageSize, signal);
  }

  /** Every live id (`fields=id` keeps the pages small). */
  async liveIds(): Promise<Set<string>> {
    const { client, settings, signal } = this.deps;
    const live = new Set<string>();
    for await (const page of client.pages<{ id: string }>(`${this.base}/`, LIST, { fields: "id" }, settings.pageSize, signal)) {
      for (const row of page.results) live.add(row.id);
      this.deps.heartbeat();
    }
    return live;
  }

  /** The work item, or null when it was deleted since it was listed. */
  async one(id: string): Promise<PlaneWorkItem | null> {
    return orGone(() => this.deps.client.get<PlaneWorkItem>(`${this.base}/${id}/`, "GET projects/:id/work-items/:id/", { expand: "estimate_point" }, this.deps.signal));
  }

  /**
   * The records of `items` in their order, with activities and relations, `detailConcurrency` items
   * at a time. Cycle and module are left null: the caller knows them.
   */
  async details(items: readonly PlaneWorkItem[]): Promise<CollectedRecord[]> {
    const records = await mapLimit(items, this.deps.settings.detailConcurrency, (w) =>
      // An item deleted since it was listed answers 404 here: left out, as if it had not been listed.
      orGone(async (): Promise<CollectedRecord> => {
        const { client, settings, signal } = this.deps;
        const activities: PlaneActivity[] = [];
        for await (const page of client.pages<PlaneActivity>(`${this.base}/${w.id}/activities/`, "GET work-items/:id/activities/", {}, settings.pageSize, signal)) {
          activities.push(...page.results);
        }
        const relations = await client.get<PlaneRelations>(`${this.base}/${w.id}/relations/`, "GET work-items/:id/relations/", undefined, signal);
        this.deps.heartbeat();
        return { workItem: w, activities, relations: relations ?? {}, cycleId: null, moduleId: null };
      }),
    );
    return records.filter((r): r is CollectedRecord => r !== null);
  }
}

/** `read`'s answer, or null when Plane says the item is not there (404). */
async function orGone<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof PlatformHttpError && err.status === 404) return null;
    throw err;
  }
}

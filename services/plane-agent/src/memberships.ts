import { projectPath, type ProjectCatalog } from "./catalog.js";
import type { PlaneClient } from "./client.js";
import type { CollectedRecord, PlaneCycle, PlaneModule } from "./plane-types.js";

/** Per-cycle/module count signatures from the last run: unchanged counts on a finished cycle mean unchanged membership. */
export type MembershipSignatures = Record<string, string>;

const COUNT_KEYS = ["total_issues", "completed_issues", "cancelled_issues", "started_issues", "unstarted_issues", "backlog_issues"] as const;

export function membershipSignature(group: PlaneCycle | PlaneModule): string {
  return COUNT_KEYS.map((k) => group[k] ?? "?").join(",");
}

const DAY_MS = 86_400_000;

type GroupKind = "cycle" | "module";

interface KindMemberships {
  field: "cycleId" | "moduleId";
  groups: ReadonlyMap<string, PlaneCycle | PlaneModule>;
  /** Groups whose members were read this run. */
  reread: ReadonlySet<string>;
  /** Item → group, for the re-read groups only (ids: small beside the items). */
  assigned: ReadonlyMap<string, string>;
}

export interface MembershipSource {
  client: PlaneClient;
  slug: string;
  projectId: string;
  pageSize: number;
  signal?: AbortSignal;
  heartbeat(): void;
}

/**
 * Which cycle and module each work item is in, known before any item is normalised. A group's
 * members are re-read when its counts changed since the last run, when it is a current or upcoming
 * cycle, or on a full run (no previous signatures); otherwise an item keeps the group its previous
 * record names, as long as that group still exists.
 */
export class Memberships {
  private constructor(
    readonly signatures: MembershipSignatures,
    private readonly kinds: readonly KindMemberships[],
  ) {}

  /** `previous`: the last run's signatures (null on a full run); `serverNow`: Plane's clock, to tell current cycles. */
  static async read(source: MembershipSource, catalog: ProjectCatalog, previous: MembershipSignatures | null, serverNow: string | null): Promise<Memberships> {
    const signatures: MembershipSignatures = {};
    const activeAfter = serverNow ? Date.parse(serverNow) - DAY_MS : -Infinity;
    const readKind = async (kind: GroupKind, groups: Map<string, PlaneCycle | PlaneModule>, field: KindMemberships["field"]): Promise<KindMemberships> => {
      const reread = new Set<string>();
      for (const group of groups.values()) {
        const signature = membershipSignature(group);
        signatures[`${kind}:${group.id}`] = signature;
        const end = "end_date" in group && group.end_date ? Date.parse(group.end_date) : Infinity;
        if (previous === null || previous[`${kind}:${group.id}`] !== signature || (kind === "cycle" && end >= activeAfter)) reread.add(group.id);
      }
      // In catalog order, a later group wins for an item listed twice.
      const assigned = new Map<string, string>();
      for (const groupId of reread) {
        for (const id of await memberIds(source, kind, groupId)) assigned.set(id, groupId);
        source.heartbeat();
      }
      return { field, groups, reread, assigned };
    };
    const cycles = await readKind("cycle", catalog.cycles, "cycleId");
    const modules = await readKind("module", catalog.modules, "moduleId");
    return new Memberships(signatures, [cycles, modules]);
  }

  /** The record with this run's cycle and module; `record`'s own are the previous run's (null for an item new to us). */
  assign(record: CollectedRecord): CollectedRecord {
    let out = record;
    for (const { field, groups, reread, assigned } of this.kinds) {
      const before = record[field];
      const kept = before !== null && !reread.has(before) && groups.has(before) ? before : null;
      const groupId = assigned.get(record.workItem.id) ?? kept;
      if (out[field] !== groupId) out = { ...out, [field]: groupId };
    }
    return out;
  }
}

/** The ids of the work items in one cycle or module (`fields=id` keeps the pages small). */
async function memberIds(source: MembershipSource, kind: GroupKind, groupId: string): Promise<string[]> {
  const path = `${projectPath(source.slug, source.projectId)}/${kind}s/${groupId}/${kind}-issues/`;
  const ids: string[] = [];
  for await (const page of source.client.pages<{ id: string }>(path, `GET projects/:id/${kind}s/:id/${kind}-issues/`, { fields: "id" }, source.pageSize, source.signal)) {
    for (const row of page.results) ids.push(row.id);
  }
  return ids;
}

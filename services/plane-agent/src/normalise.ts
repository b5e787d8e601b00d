import { WorkItemSchema, type ItemPriority, type WorkItem } from "@pmo/contracts";
import type { ProjectCatalog } from "./catalog.js";
import { iso, statusTimeline } from "./history.js";
import type { CollectedRecord, EstimatePoint, PlaneMember } from "./plane-types.js";
import { PLANE_PRIORITIES } from "./settings.js";
import type { StatusMapper } from "./status-mapping.js";

export interface NormaliseContext {
  slug: string;
  webBase: string;
  catalog: ProjectCatalog;
  members: Map<string, PlaneMember>;
  mapper: StatusMapper;
}

/** `expand=estimate_point` gives the point object; its value is the points for point-based estimates. */
function pointsOf(estimate: EstimatePoint): number | null {
  if (estimate === null || typeof estimate !== "object") return null;
  const n = Number(estimate.value);
  return estimate.value === null || estimate.value === undefined || !Number.isFinite(n) ? null : n;
}

/** A `YYYY-MM-DD` date as the instant its day starts (UTC). */
const dayStart = (date: string | null): string | null => (date ? new Date(`${date.slice(0, 10)}T00:00:00.000Z`).toISOString() : null);

/** One Plane work item (with its activities, relations and memberships) as the common WorkItem; throws when it does not validate. */
export function normaliseWorkItem(record: CollectedRecord, ctx: NormaliseContext): WorkItem {
  const w = record.workItem;
  const { catalog } = ctx;
  const state = w.state ? catalog.states.get(w.state) : undefined;
  if (!state) throw new Error(`work item ${w.id}: unknown state ${String(w.state)}`);
  const timeline = statusTimeline(w, record.activities, { states: catalog.states, members: ctx.members, mapper: ctx.mapper });
  const cycle = record.cycleId ? catalog.cycles.get(record.cycleId) : undefined;
  const points = pointsOf(w.estimate_point);
  const priority = (PLANE_PRIORITIES as readonly string[]).includes(w.priority) ? (w.priority as ItemPriority) : "none";
  const item: WorkItem = {
    ref: { platform: "plane", id: w.id },
    key: `${catalog.project.identifier}-${w.sequence_id}`,
    url: `${ctx.webBase}/${ctx.slug}/projects/${w.project}/issues/${w.id}`,
    title: w.name,
    kind: w.parent ? "subtask" : "issue",
    status: state.name,
    statusCategory: ctx.mapper.categoryOf(state),
    priority,
    assignees: w.assignees.map((id) => ctx.members.get(id)?.display_name ?? id),
    labels: w.labels.flatMap((id) => catalog.labels.get(id)?.name ?? []),
    container: { id: catalog.project.id, name: catalog.project.name, kind: "project" },
    iteration: cycle
      ? { id: cycle.id, name: cycle.name, startAt: cycle.start_date ? iso(cycle.start_date) : null, endAt: cycle.end_date ? iso(cycle.end_date) : null }
      : null,
    createdAt: iso(w.created_at),
    updatedAt: iso(w.updated_at),
    startedAt: timeline.startedAt,
    closedAt: timeline.closedAt,
    dueAt: dayStart(w.target_date),
    estimate: points === null ? null : { points, ms: null },
    timeSpentMs: null, // Plane CE v1 has no worklogs (reference §3.9)
    parent: w.parent ? { platform: "plane", id: w.parent } : null,
    blockedBy: (record.relations.blocked_by ?? []).map((r) => ({ platform: "plane" as const, id: r.issue_id })),
    history: timeline.history,
  };
  return WorkItemSchema.parse(item);
}

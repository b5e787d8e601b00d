/**
 * Plane's JSON for the objects around work items — users, workspace, projects, states, labels,
 * cycles, modules — in the field order of the serializers in `apps/api/plane/api/serializers/`.
 */
import type { Person, StatusCategory, TruthItem } from "../truth/model.js";
import type { PlaneCycle, PlaneLabel, PlaneModule, PlaneProject, PlaneState, PlaneStore } from "./store.js";
import { isoDate, isoDateTime, stableUuid } from "./wire-format.js";

type Json = Record<string, unknown>;

/** `UserLiteSerializer`. Sandbox users have no uploaded avatar, so `avatar_url` is null. */
export function renderUserLite(person: Person): Json {
  const [firstName, ...rest] = person.name.split(" ");
  return {
    id: person.planeId,
    first_name: firstName ?? "",
    last_name: rest.join(" "),
    email: person.email,
    avatar: "",
    avatar_url: null,
    display_name: person.login,
  };
}

/** `WorkspaceLiteSerializer`. */
export function renderWorkspaceLite(store: PlaneStore): Json {
  const slug = store.layout.workspaceSlug;
  return { name: slug, slug, id: store.workspaceId };
}

/** `ProjectLiteSerializer` (what `expand=project` gives). */
export function renderProjectLite(project: PlaneProject): Json {
  return {
    id: project.id,
    identifier: project.identifier,
    name: project.name,
    cover_image: null,
    icon_prop: null,
    emoji: null,
    description: "",
    cover_image_url: null,
  };
}

/** `ProjectSerializer` with the list view's annotations (member/cycle/module totals, caller's role). */
export function renderProject(store: PlaneStore, project: PlaneProject): Json {
  const created = isoDateTime(store.epoch);
  const lead = store.ctx.truth.people[0];
  return {
    id: project.id,
    total_members: store.ctx.truth.people.length,
    total_cycles: store.cyclesOf(project.id).length,
    total_modules: store.modulesOf(project.id).length,
    is_member: true,
    sort_order: 65535,
    member_role: store.roleOf(store.apiUser),
    is_deployed: false,
    cover_image_url: null,
    created_at: created,
    updated_at: created,
    deleted_at: null,
    name: project.name,
    description: "",
    description_text: null,
    description_html: null,
    network: 2,
    identifier: project.identifier,
    emoji: null,
    icon_prop: null,
    module_view: true,
    cycle_view: true,
    issue_views_view: true,
    page_view: true,
    intake_view: false,
    is_time_tracking_enabled: false,
    is_issue_type_enabled: false,
    guest_view_all_features: false,
    cover_image: null,
    archive_in: 0,
    close_in: 0,
    logo_props: {},
    archived_at: null,
    timezone: "UTC",
    external_source: null,
    external_id: null,
    created_by: lead?.planeId ?? null,
    updated_by: null,
    workspace: store.workspaceId,
    default_assignee: null,
    project_lead: lead?.planeId ?? null,
    cover_image_asset: null,
    estimate: null,
    default_state: store.stateFor(project.id, "backlog")?.id ?? null,
  };
}

/** `StateLiteSerializer` (`expand=state`, webhook payloads). */
export function renderStateLite(state: PlaneState): Json {
  return { id: state.id, name: state.name, color: state.color, group: state.group };
}

/** Plane's default workflow order of the state groups, used for `sequence`. */
const GROUP_SEQUENCE: Record<string, number> = { backlog: 15000, unstarted: 25000, started: 35000, completed: 45000, cancelled: 55000, triage: 65000 };

/** `StateSerializer` (fields "__all__"). */
export function renderState(store: PlaneStore, state: PlaneState): Json {
  const created = isoDateTime(store.epoch);
  return {
    id: state.id,
    created_at: created,
    updated_at: created,
    deleted_at: null,
    name: state.name,
    description: "",
    color: state.color,
    slug: state.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
    sequence: GROUP_SEQUENCE[state.group] ?? 65535,
    group: state.group,
    is_triage: state.group === "triage",
    default: state.category === "backlog",
    external_source: null,
    external_id: null,
    created_by: store.ctx.truth.people[0]?.planeId ?? null,
    updated_by: null,
    project: state.projectId,
    workspace: store.workspaceId,
  };
}

/** `LabelSerializer` (fields "__all__"; also what `expand=labels` gives on a work item). */
export function renderLabel(store: PlaneStore, label: PlaneLabel): Json {
  const created = isoDateTime(store.epoch);
  return {
    id: label.id,
    created_at: created,
    updated_at: created,
    deleted_at: null,
    name: label.name,
    description: "",
    color: label.color,
    sort_order: 65535,
    external_source: null,
    external_id: null,
    created_by: store.ctx.truth.people[0]?.planeId ?? null,
    updated_by: null,
    project: label.projectId,
    workspace: store.workspaceId,
    parent: null,
  };
}

/** Per-state-group work-item counts, as the cycle and module list views annotate them. */
export interface GroupCounts {
  total_issues: number;
  cancelled_issues: number;
  completed_issues: number;
  started_issues: number;
  unstarted_issues: number;
  backlog_issues: number;
}

const COUNT_KEY: Record<StatusCategory, keyof GroupCounts> = {
  backlog: "backlog_issues",
  todo: "unstarted_issues",
  in_progress: "started_issues",
  in_review: "started_issues",
  done: "completed_issues",
  cancelled: "cancelled_issues",
};

export function countByGroup(items: TruthItem[]): GroupCounts {
  const counts: GroupCounts = { total_issues: 0, cancelled_issues: 0, completed_issues: 0, started_issues: 0, unstarted_issues: 0, backlog_issues: 0 };
  for (const item of items) {
    counts.total_issues++;
    counts[COUNT_KEY[item.status]]++;
  }
  return counts;
}

/** `CycleSerializer` with the list view's counts (estimate sums are only annotated on archived cycles). */
export function renderCycle(store: PlaneStore, cycle: PlaneCycle, counts: GroupCounts): Json {
  const sprint = store.ctx.truth.sprints.find((s) => s.key === cycle.sprint);
  const created = isoDateTime(sprint ? sprint.startAt - 7 * 86_400_000 : store.epoch);
  return {
    id: cycle.id,
    ...counts,
    created_at: created,
    updated_at: created,
    deleted_at: null,
    name: sprint?.name ?? cycle.sprint,
    description: "",
    start_date: isoDateTime(sprint?.startAt ?? null),
    end_date: isoDateTime(sprint?.endAt ?? null),
    view_props: {},
    sort_order: 65535,
    external_source: null,
    external_id: null,
    progress_snapshot: {},
    archived_at: null,
    logo_props: {},
    timezone: "UTC",
    version: 1,
    created_by: store.ctx.truth.people[0]?.planeId ?? null,
    updated_by: null,
    project: cycle.projectId,
    workspace: store.workspaceId,
    owned_by: store.ctx.truth.people[0]?.planeId ?? null,
  };
}

/** `ModuleSerializer` with counts; `members` is appended last by its `to_representation`. */
export function renderModule(store: PlaneStore, module: PlaneModule, counts: GroupCounts): Json {
  const created = isoDateTime(store.epoch);
  return {
    id: module.id,
    ...counts,
    created_at: created,
    updated_at: created,
    deleted_at: null,
    name: module.name,
    description: "",
    description_text: null,
    description_html: null,
    start_date: isoDate(store.epoch),
    target_date: null,
    status: counts.total_issues > 0 && counts.completed_issues + counts.cancelled_issues === counts.total_issues ? "completed" : "in-progress",
    view_props: {},
    sort_order: 65535,
    external_source: null,
    external_id: null,
    archived_at: null,
    logo_props: {},
    created_by: store.ctx.truth.people[0]?.planeId ?? null,
    updated_by: null,
    project: module.projectId,
    workspace: store.workspaceId,
    lead: null,
    members: [],
  };
}

/** `EstimatePointSerializer` for `expand=estimate_point`; one point per distinct value per project. */
export function renderEstimatePoint(store: PlaneStore, projectId: string, points: number): Json {
  const created = isoDateTime(store.epoch);
  return {
    id: estimatePointId(projectId, points),
    created_at: created,
    updated_at: created,
    deleted_at: null,
    key: points,
    description: "",
    value: String(points),
    created_by: null,
    updated_by: null,
    project: projectId,
    workspace: store.workspaceId,
    estimate: stableUuid("plane-estimate", projectId),
  };
}

const estimatePointIds = new Map<string, string>();

/** Memoised: every rendered row with an estimate needs its point's id, and the hash is not free. */
export function estimatePointId(projectId: string, points: number): string {
  const key = `${projectId}/${points}`;
  let id = estimatePointIds.get(key);
  if (!id) {
    id = stableUuid("plane-estimate-point", projectId, String(points));
    estimatePointIds.set(key, id);
  }
  return id;
}

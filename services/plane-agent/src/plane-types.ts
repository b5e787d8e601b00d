/**
 * The parts of Plane's v1 objects this agent reads (reference §3.4), in the wire's own spelling.
 * Everything else is kept untouched in the raw copy written beside each normalised item.
 */

export interface PlaneProject {
  id: string;
  name: string;
  identifier: string;
}

export interface PlaneMember {
  id: string;
  display_name: string;
  email?: string | null;
  first_name?: string;
  last_name?: string;
}

export interface PlaneState {
  id: string;
  name: string;
  group: string;
}

export interface PlaneLabel {
  id: string;
  name: string;
}

/** Cycle and module lists carry per-group counts: a changed count means changed membership or states. */
export interface PlaneCycle {
  id: string;
  name: string;
  start_date: string | null;
  end_date: string | null;
  total_issues?: number;
  completed_issues?: number;
  cancelled_issues?: number;
  started_issues?: number;
  unstarted_issues?: number;
  backlog_issues?: number;
}

export interface PlaneModule extends Omit<PlaneCycle, "start_date" | "end_date"> {
  status?: string;
}

/** `expand=estimate_point` replaces the id with the point (`value` is its label, a number for point estimates). */
export type EstimatePoint = string | { id?: string; value?: string | number | null } | null;

export interface PlaneWorkItem {
  id: string;
  name: string;
  sequence_id: number;
  project: string;
  state: string | null;
  priority: string;
  assignees: string[];
  labels: string[];
  parent: string | null;
  estimate_point: EstimatePoint;
  start_date: string | null;
  target_date: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  external_id?: string | null;
  external_source?: string | null;
}

export interface PlaneActivity {
  id: string;
  created_at: string;
  verb: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  old_identifier: string | null;
  new_identifier: string | null;
  actor: string | null;
}

/** `relations/`: one list of `{project_id, issue_id}` per relation type (not paginated). */
export type PlaneRelations = Partial<Record<string, { project_id: string; issue_id: string }[]>>;

/** What the agent keeps per work item (snapshot and data file): the item and what was fetched around it. */
export interface CollectedRecord {
  workItem: PlaneWorkItem;
  activities: PlaneActivity[];
  relations: PlaneRelations;
  cycleId: string | null;
  moduleId: string | null;
}

/**
 * The Plane emulator's view of the shared ground truth: indexes over `truth.plane` and
 * `truth.items.plane`, plus the Plane-only facts the truth does not model (external ids, drafts,
 * start dates, raw HTML, non-state activity written through the API). Work items are the truth's own
 * TruthItem objects; writes mutate them in place so every consumer sees one state.
 */
import type { SandboxContext } from "../kit/types.js";
import type { Person, PlaneLayout, StatusCategory, TruthItem } from "../truth/model.js";
import { stableUuid } from "./wire-format.js";

export type PlaneProject = PlaneLayout["projects"][number];
export type PlaneState = PlaneLayout["states"][number];
export type PlaneLabel = PlaneLayout["labels"][number];
export type PlaneCycle = PlaneLayout["cycles"][number];
export type PlaneModule = PlaneLayout["modules"][number];

/** Workspace roles as Plane numbers them (`plane.app.permissions.ROLE`). */
export const PlaneRole = { Admin: 20, Member: 15, Guest: 5 } as const;

/** An IssueActivity row recorded for a change made through the API other than a state change
 * (state changes live in the truth's transitions and are rendered from there). */
export interface RecordedActivity {
  id: string;
  at: number;
  by: string; // Person.key
  verb: "updated";
  field: string;
  oldValue: string | null;
  newValue: string | null;
  comment: string;
}

/** Plane fields of a work item that the platform-neutral truth has no place for. */
export interface WorkItemExtras {
  externalId: string | null;
  externalSource: string | null;
  isDraft: boolean;
  startDate: number | null;
  descriptionHtml: string | null; // as written through the API; generated items render their text
  sortOrder: number;
  updatedBy: string | null; // Person.key of the last API writer
  activities: RecordedActivity[];
  /** comment id → `comment_html` for comments written through the API (the truth keeps their text). */
  commentHtml: Map<string, string>;
}

/** Plane's default `sort_order` for a new work item (model default 65535). */
const DEFAULT_SORT_ORDER = 65535;

/** Lookup tables over the (static) layout and people, built once per truth. */
interface LayoutIndex {
  peopleByKey: Map<string, Person>;
  peopleByPlaneId: Map<string, Person>;
  stateByProjectCategory: Map<string, PlaneState>;
  stateById: Map<string, PlaneState>;
  labelById: Map<string, PlaneLabel>;
  labelIdByProjectName: Map<string, string>;
  cycleByProjectSprint: Map<string, PlaneCycle>;
}

export class PlaneStore {
  private readonly itemsById = new Map<string, TruthItem>();
  private index: LayoutIndex | null = null;
  private indexedCount = 0;
  private readonly extrasById = new Map<string, WorkItemExtras>();
  private waiters: { items: TruthItem[]; count: number; changes: number; byBlocker: Map<string, TruthItem[]> } | null = null;

  readonly workspaceId: string;

  constructor(
    readonly ctx: SandboxContext,
    /** Person.key of the user the API key belongs to. */
    readonly apiUserKey: string,
  ) {
    this.workspaceId = stableUuid("plane-workspace", ctx.truth.plane.workspaceSlug);
  }

  get layout(): PlaneLayout {
    return this.ctx.truth.plane;
  }

  /** Rendering a page touches people, states and labels for every row: index them once. */
  private get lookup(): LayoutIndex {
    if (this.index) return this.index;
    const { people } = this.ctx.truth;
    const layout = this.layout;
    this.index = {
      peopleByKey: new Map(people.map((p) => [p.key, p])),
      peopleByPlaneId: new Map(people.map((p) => [p.planeId, p])),
      stateByProjectCategory: new Map(layout.states.map((s) => [`${s.projectId}/${s.category}`, s])),
      stateById: new Map(layout.states.map((s) => [s.id, s])),
      labelById: new Map(layout.labels.map((l) => [l.id, l])),
      labelIdByProjectName: new Map(layout.labels.map((l) => [`${l.projectId}/${l.name}`, l.id])),
      cycleByProjectSprint: new Map(layout.cycles.map((c) => [`${c.projectId}/${c.sprint}`, c])),
    };
    return this.index;
  }

  get apiUser(): Person {
    return this.person(this.apiUserKey)!;
  }

  /** Every Plane item in the truth, indexing any the kit's control API appended since last time. */
  allItems(): TruthItem[] {
    const items = this.ctx.truth.items.plane;
    for (; this.indexedCount < items.length; this.indexedCount++) {
      const item = items[this.indexedCount]!;
      this.itemsById.set(item.id, item);
    }
    return items;
  }

  /** A live (not deleted) work item of the project, drafts included: PATCH/DELETE use `Issue.objects`. */
  workItem(projectId: string, id: string): TruthItem | undefined {
    this.allItems();
    const item = this.itemsById.get(id);
    return item && item.container === projectId && item.deletedAt === null ? item : undefined;
  }

  /** `Issue.issue_objects` of a project: not deleted, not draft (archived/triage do not occur here). */
  listedItems(projectId: string): TruthItem[] {
    // Reads extras without creating them: listing 100k generated items must not allocate 100k records.
    return this.allItems().filter(
      (item) => item.container === projectId && item.deletedAt === null && this.extrasById.get(item.id)?.isDraft !== true,
    );
  }

  /** The item's Plane-only facts for reading; defaults are not stored, so listing allocates nothing lasting. */
  extras(item: TruthItem): Readonly<WorkItemExtras> {
    return this.extrasById.get(item.id) ?? this.defaultExtras(item);
  }

  /** The item's Plane-only facts for writing, created on first write. */
  writableExtras(item: TruthItem): WorkItemExtras {
    let extras = this.extrasById.get(item.id);
    if (!extras) {
      extras = this.defaultExtras(item);
      this.extrasById.set(item.id, extras);
    }
    return extras;
  }

  private defaultExtras(item: TruthItem): WorkItemExtras {
    return {
      externalId: null,
      externalSource: null,
      isDraft: false,
      startDate: item.startedAt,
      descriptionHtml: null,
      sortOrder: DEFAULT_SORT_ORDER,
      updatedBy: null,
      activities: [],
      commentHtml: new Map(),
    };
  }

  /** Lookup by `external_id` + `external_source` within a project (live items only). */
  findByExternalId(projectId: string, externalSource: string, externalId: string): TruthItem | undefined {
    return this.allItems().find((item) => {
      if (item.container !== projectId || item.deletedAt !== null) return false;
      const extras = this.extrasById.get(item.id);
      return extras?.externalSource === externalSource && extras.externalId === externalId;
    });
  }

  nextSequenceId(projectId: string): number {
    let max = 0;
    for (const item of this.allItems()) if (item.container === projectId && item.seq > max) max = item.seq;
    return max + 1;
  }

  project(id: string): PlaneProject | undefined {
    return this.layout.projects.find((p) => p.id === id);
  }

  statesOf(projectId: string): PlaneState[] {
    return this.layout.states.filter((s) => s.projectId === projectId);
  }

  state(id: string): PlaneState | undefined {
    return this.lookup.stateById.get(id);
  }

  stateFor(projectId: string, category: StatusCategory): PlaneState | undefined {
    return this.lookup.stateByProjectCategory.get(`${projectId}/${category}`);
  }

  labelsOf(projectId: string): PlaneLabel[] {
    return this.layout.labels.filter((l) => l.projectId === projectId);
  }

  label(id: string): PlaneLabel | undefined {
    return this.lookup.labelById.get(id);
  }

  /** Label names the project does not define have no Plane label and are left out. */
  labelIdsOf(item: TruthItem): string[] {
    const byName = this.lookup.labelIdByProjectName;
    return item.labels.flatMap((name) => byName.get(`${item.container}/${name}`) ?? []);
  }

  cyclesOf(projectId: string): PlaneCycle[] {
    return this.layout.cycles.filter((c) => c.projectId === projectId);
  }

  cycleOf(item: TruthItem): PlaneCycle | undefined {
    return item.sprint === null ? undefined : this.lookup.cycleByProjectSprint.get(`${item.container}/${item.sprint}`);
  }

  modulesOf(projectId: string): PlaneModule[] {
    return this.layout.modules.filter((m) => m.projectId === projectId);
  }

  /**
   * The generator records `item.module`; items without that fact (written before the field existed)
   * get a membership derived from their id, stable for a seed, with about one in four in no module.
   */
  moduleOf(item: TruthItem): PlaneModule | undefined {
    const modules = this.modulesOf(item.container);
    if (item.module !== undefined) return modules.find((m) => m.id === item.module);
    if (modules.length === 0) return undefined;
    const bucket = parseInt(stableUuid("plane-module-of", item.id).slice(0, 8), 16) % (modules.length * 4);
    return bucket < modules.length * 3 ? modules[bucket % modules.length] : undefined;
  }

  /** Items of the same project whose `blockedBy` names this one (Plane's reverse "blocking"). */
  blockedByThis(item: TruthItem): TruthItem[] {
    return this.waitersByBlocker().get(item.id) ?? [];
  }

  /** A live work item by id, in any project of the workspace. */
  liveItem(id: string): TruthItem | undefined {
    this.allItems();
    const item = this.itemsById.get(id);
    return item && item.deletedAt === null ? item : undefined;
  }

  /**
   * blocker id → the live items waiting on it, in truth order: every relations request asks for its
   * item's waiters, and a scan of all items for each made serving a project's relations quadratic
   * (~1 ms a request at 10k items). Rebuilt when the truth changed since: every write emits a change.
   */
  private waitersByBlocker(): Map<string, TruthItem[]> {
    const items = this.allItems();
    const held = this.waiters;
    if (held && held.items === items && held.count === items.length && held.changes === this.ctx.changeCount()) return held.byBlocker;
    const byBlocker = new Map<string, TruthItem[]>();
    for (const waiter of items) {
      if (waiter.deletedAt !== null || waiter.blockedBy.length === 0) continue;
      for (const blocker of new Set(waiter.blockedBy)) {
        const list = byBlocker.get(blocker);
        if (list) list.push(waiter);
        else byBlocker.set(blocker, [waiter]);
      }
    }
    this.waiters = { items, count: items.length, changes: this.ctx.changeCount(), byBlocker };
    return byBlocker;
  }

  person(key: string): Person | undefined {
    return this.lookup.peopleByKey.get(key);
  }

  personByPlaneId(planeId: string): Person | undefined {
    return this.lookup.peopleByPlaneId.get(planeId);
  }

  /** The first person administers the workspace and its projects; everyone else is a member. */
  roleOf(person: Person): number {
    return person.key === this.ctx.truth.people[0]?.key ? PlaneRole.Admin : PlaneRole.Member;
  }

  /** Projects and the workspace have no timestamps in the truth: they exist from the first sprint on. */
  get epoch(): number {
    return this.ctx.truth.sprints[0]?.startAt ?? this.ctx.truth.now;
  }
}

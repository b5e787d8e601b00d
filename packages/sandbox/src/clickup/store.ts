/**
 * The ClickUp emulator's view of the shared truth: lookups by native id over
 * `ctx.truth.items.clickup` and the layout, plus the few ClickUp-only facts the truth has no
 * field for (start_date, archived). Items are read live from the truth objects, so changes made
 * by the control API show up at once; new items appended by anyone are indexed lazily.
 */
import type { SandboxContext } from "../kit/types.js";
import type { ClickUpLayout, Person, Sprint, TruthItem } from "../truth/model.js";
import { ID_BASE, clickupTaskId, numericId } from "../truth/ids.js";
import { type ClickUpUser, userView } from "./user-view.js";

type LayoutList = ClickUpLayout["lists"][number];
type LayoutFolder = ClickUpLayout["folders"][number];
type LayoutSpace = ClickUpLayout["spaces"][number];

/** ClickUp-only task facts that the platform-neutral truth does not carry. */
export interface TaskExtras {
  startDate: number | null;
  archived: boolean;
}

const NO_EXTRAS: Readonly<TaskExtras> = Object.freeze({ startDate: null, archived: false });

export class ClickUpStore {
  private readonly byId = new Map<string, TruthItem>();
  private indexed = 0;
  /** The array the index was built over; a control-API reset swaps it, and the index starts over. */
  private indexedArray: readonly TruthItem[] | null = null;
  private readonly extras = new Map<string, TaskExtras>();
  private readonly people: Map<string, Person>;
  private readonly peopleByClickUpId: Map<number, Person>;
  private readonly nextNumber = new Map<string, number>();

  constructor(private readonly ctx: SandboxContext) {
    this.people = new Map(ctx.truth.people.map((p) => [p.key, p]));
    this.peopleByClickUpId = new Map(ctx.truth.people.map((p) => [p.clickupId, p]));
  }

  get layout(): ClickUpLayout {
    return this.ctx.truth.clickup;
  }

  get teamId(): string {
    return this.ctx.truth.clickup.teamId;
  }

  /** Every ClickUp item in creation order, deleted ones included. */
  get items(): readonly TruthItem[] {
    return this.ctx.truth.items.clickup;
  }

  private refresh(): void {
    const items = this.ctx.truth.items.clickup;
    if (items !== this.indexedArray) {
      this.byId.clear();
      this.indexed = 0;
      this.indexedArray = items;
    }
    for (; this.indexed < items.length; this.indexed++) {
      const item = items[this.indexed]!;
      this.byId.set(item.id, item);
    }
  }

  /** A live (not deleted) task, or undefined. */
  task(id: string): TruthItem | undefined {
    this.refresh();
    const item = this.byId.get(id);
    return item && item.deletedAt === null ? item : undefined;
  }

  list(id: string): LayoutList | undefined {
    return this.layout.lists.find((l) => l.id === id);
  }
  folder(id: string): LayoutFolder | undefined {
    return this.layout.folders.find((f) => f.id === id);
  }
  space(id: string): LayoutSpace | undefined {
    return this.layout.spaces.find((s) => s.id === id);
  }

  sprint(key: string): Sprint | undefined {
    return this.ctx.truth.sprints.find((s) => s.key === key);
  }

  person(key: string): Person | undefined {
    return this.people.get(key);
  }
  personByClickUpId(id: number): Person | undefined {
    return this.peopleByClickUpId.get(id);
  }
  /** The ClickUp user object of a Person.key (a placeholder for keys the truth does not know). */
  user(key: string): ClickUpUser {
    const person = this.people.get(key);
    if (!person) return { id: 0, username: key, color: "#000000", initials: "?", email: "", profilePicture: null };
    return userView(person, this.ctx.truth.people.indexOf(person));
  }

  isArchived(id: string): boolean {
    return this.extras.get(id)?.archived ?? false;
  }

  /** Whether any task was archived through the API (lets listings skip the per-task check). */
  hasArchived(): boolean {
    for (const e of this.extras.values()) if (e.archived) return true;
    return false;
  }

  /** The task's ClickUp-only facts (defaults when never written). */
  readExtras(id: string): Readonly<TaskExtras> {
    return this.extras.get(id) ?? NO_EXTRAS;
  }

  /** The task's ClickUp-only facts, for writing. */
  taskExtras(id: string): TaskExtras {
    let e = this.extras.get(id);
    if (!e) this.extras.set(id, (e = { startDate: null, archived: false }));
    return e;
  }

  /** Live subtasks of `parentId`, in creation order. */
  subtasksOf(parentId: string): TruthItem[] {
    return this.items.filter((i) => i.parentId === parentId && i.deletedAt === null);
  }

  /** Live tasks waiting on `blockerId` (the reverse of `blockedBy`). */
  waitingOn(blockerId: string): TruthItem[] {
    return this.items.filter((i) => i.deletedAt === null && i.blockedBy.includes(blockerId));
  }

  /** Adds a task created through the API to the truth (and to the index). */
  append(item: TruthItem): void {
    this.ctx.truth.items.clickup.push(item);
    this.refresh();
  }

  /** Next task id from the generator's own id bijection, so API-created ids look and sort like generated ones. */
  nextTaskId(): string {
    this.refresh();
    for (let n = this.items.length; ; n++) {
      const id = clickupTaskId(this.ctx.truth.seed, n);
      if (!this.byId.has(id)) return id;
    }
  }

  /** Next comment / time-entry id: the generator's numbering continued, skipping any id already present. */
  nextNumericId(kind: "clickupComment" | "clickupTimeEntry"): string {
    const existing = new Set<string>();
    for (const i of this.items) for (const r of kind === "clickupComment" ? i.comments : i.timeEntries) existing.add(r.id);
    let n = this.nextNumber.get(kind) ?? existing.size;
    while (existing.has(numericId(ID_BASE[kind], n))) n++;
    this.nextNumber.set(kind, n + 1);
    return numericId(ID_BASE[kind], n);
  }

  nextSeq(listId: string): number {
    let max = 0;
    for (const i of this.items) if (i.container === listId && i.seq > max) max = i.seq;
    return max + 1;
  }
}

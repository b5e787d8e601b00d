/**
 * The emulator's lookups over the shared truth: repositories, issues by (repo, number), people by
 * key and login. Rebuilt lazily whenever the truth object or its GitHub item array changes (control
 * API resets, items appended by the kit), so it never serves a stale view.
 */
import type { SandboxContext } from "../kit/types.js";
import type { Person, Sprint, Truth, TruthItem } from "../truth/model.js";

export interface RepoRecord {
  fullName: string; // "owner/name"
  owner: string;
  name: string;
  id: number;
  /** Position in the layout; makes issue/pull wire ids unique across repos. */
  ordinal: number;
}

export class GitHubIndex {
  private truth: Truth | null = null;
  private indexedCount = 0;
  private readonly reposByName = new Map<string, RepoRecord>();
  private readonly reposById = new Map<number, RepoRecord>();
  private readonly itemsByRepo = new Map<string, TruthItem[]>();
  private readonly itemByKey = new Map<string, TruthItem>();
  private readonly peopleByKey = new Map<string, Person>();
  private readonly peopleByLogin = new Map<string, Person>();
  private readonly sprintsByKey = new Map<string, Sprint>();
  /** Sorted copies of a repo's items, by ordering name; dropped whenever any item may have changed. */
  private readonly orderings = new Map<string, TruthItem[]>();

  constructor(private readonly ctx: SandboxContext) {}

  private sync(): void {
    const truth = this.ctx.truth;
    const items = truth.items.github;
    if (truth === this.truth && items.length === this.indexedCount) return;
    this.orderings.clear();
    if (truth !== this.truth) this.rebuildLayout(truth);
    for (let i = this.indexedCount; i < items.length; i++) this.addItem(items[i]!);
    this.indexedCount = items.length;
  }

  private rebuildLayout(truth: Truth): void {
    this.truth = truth;
    this.indexedCount = 0;
    for (const map of [this.reposByName, this.reposById, this.itemsByRepo, this.itemByKey, this.peopleByKey, this.peopleByLogin, this.sprintsByKey]) map.clear();
    truth.github.repos.forEach((repo, ordinal) => {
      const record: RepoRecord = { fullName: repo.fullName, owner: repo.fullName.split("/")[0]!, name: repo.name, id: repo.id, ordinal };
      this.reposByName.set(repo.fullName.toLowerCase(), record);
      this.reposById.set(repo.id, record);
      this.itemsByRepo.set(repo.fullName, []);
    });
    for (const person of truth.people) {
      this.peopleByKey.set(person.key, person);
      this.peopleByLogin.set(person.login.toLowerCase(), person);
    }
    for (const sprint of truth.sprints) this.sprintsByKey.set(sprint.key, sprint);
  }

  private addItem(item: TruthItem): void {
    const list = this.itemsByRepo.get(item.container);
    if (!list) return; // an item in a repo the layout does not declare is unreachable, as on GitHub
    list.push(item);
    this.itemByKey.set(`${item.container}#${item.seq}`, item);
  }

  get truthNow(): Truth {
    this.sync();
    return this.truth!;
  }

  /** GitHub matches owner/repo case-insensitively. */
  repo(owner: string, name: string): RepoRecord | undefined {
    this.sync();
    return this.reposByName.get(`${owner}/${name}`.toLowerCase());
  }

  repoById(id: number): RepoRecord | undefined {
    this.sync();
    return this.reposById.get(id);
  }

  repoByFullName(fullName: string): RepoRecord | undefined {
    this.sync();
    return this.reposByName.get(fullName.toLowerCase());
  }

  /** Every item of the repo in number order, deleted ones included (callers filter). */
  items(repo: RepoRecord): readonly TruthItem[] {
    this.sync();
    return this.itemsByRepo.get(repo.fullName) ?? [];
  }

  /** The issue or PR with that number, even if deleted (GitHub answers 410 rather than 404 for those). */
  itemOrDeleted(repo: RepoRecord, number: number): TruthItem | undefined {
    this.sync();
    return this.itemByKey.get(`${repo.fullName}#${number}`);
  }

  /** Items were changed in place (an API write, the control API): cached orderings are stale. */
  invalidateOrderings(): void {
    this.orderings.clear();
  }

  /**
   * The repo's items (deleted included) sorted by `sort`, cached under `name` until the next change,
   * so paging through a large repo sorts it once rather than once per page.
   */
  ordered(repo: RepoRecord, name: string, sort: (items: TruthItem[]) => TruthItem[]): readonly TruthItem[] {
    const items = this.items(repo);
    const key = `${repo.fullName}|${name}`;
    let sorted = this.orderings.get(key);
    if (!sorted) {
      sorted = sort([...items]);
      this.orderings.set(key, sorted);
    }
    return sorted;
  }

  /** Issue and PR numbers share one sequence per repo and are never reused, even after deletion. */
  nextNumber(repo: RepoRecord): number {
    const items = this.items(repo);
    let max = 0;
    for (const item of items) max = Math.max(max, item.seq);
    return max + 1;
  }

  person(key: string): Person | undefined {
    this.sync();
    return this.peopleByKey.get(key);
  }

  personByLogin(login: string): Person | undefined {
    this.sync();
    return this.peopleByLogin.get(login.toLowerCase());
  }

  sprint(key: string): Sprint | undefined {
    this.sync();
    return this.sprintsByKey.get(key);
  }

  /** Sprints are rendered as milestones numbered 1… in calendar order, the same in every repo. */
  milestoneNumber(sprintKey: string): number {
    return this.truthNow.sprints.findIndex((s) => s.key === sprintKey) + 1;
  }

  sprintByMilestone(number: number): Sprint | undefined {
    return this.truthNow.sprints[number - 1];
  }
}

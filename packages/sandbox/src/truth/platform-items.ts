/**
 * One platform's items, generated in creation order: each item's status walk, placement (container,
 * sprint, parent), attributes, activity, and links to earlier items (blockers, "Fixes #n"). Side
 * state is a few fixed-size rings per container, so memory grows with the items only.
 */
import { generateComments, generateTimeEntries } from "./activity.js";
import { DAY, HOUR, SPRINT_LENGTH, sprintAt, toSecond } from "./calendar.js";
import { applyStatusFacts, isClosedCategory, lastActivityAt, statusFacts } from "./derive.js";
import { ID_BASE, clickupTaskId, numericId } from "./ids.js";
import { CLICKUP_LISTS } from "./layout.js";
import type { Platform, Sprint, StatusCategory, Truth, TruthItem } from "./model.js";
import { DESCRIPTIONS, TITLE_OBJECTS, TITLE_QUALIFIERS, TITLE_VERBS } from "./names.js";
import { Prng } from "./prng.js";
import { Ring, ringFor } from "./ring.js";
import { walkPullRequest, walkWorkItem } from "./timeline.js";
import { branchName, drawClickUpCustomFields, drawDue, drawLabels, drawPoints, drawPriority } from "./traits.js";

/** Generates one platform's items in creation order. */
export class PlatformItems {
  private readonly rng: Prng;
  private readonly people: string[];
  private readonly seqByContainer = new Map<string, number>();
  private readonly recentTopLevel = new Map<string, Ring>();
  private readonly recentOpenIssues = new Map<string, Ring>();
  /** Items chosen as blockers stay open, so a later "Fixes #n" never closes one. */
  private readonly blockers = new Set<TruthItem>();
  private commentCounter = 0;
  private entryCounter = 0;
  private reviewCounter = 0;
  private readonly currentSprint: Sprint | null;
  private readonly nextSprint: Sprint | null;

  constructor(
    private readonly truth: Truth,
    private readonly platform: Platform,
  ) {
    this.rng = new Prng(truth.seed, `items/${platform}`);
    this.people = truth.people.map((p) => p.key);
    this.currentSprint = sprintAt(truth.sprints, truth.now);
    this.nextSprint = this.currentSprint ? sprintAt(truth.sprints, this.currentSprint.endAt) : null;
  }

  generate(count: number): void {
    const { now, sprints } = this.truth;
    // Items are created from two weeks before the first sprint until an hour before now.
    const windowStart = (sprints[0]?.startAt ?? now - 26 * 7 * DAY) - SPRINT_LENGTH;
    const span = now - HOUR - windowStart;
    const out = this.truth.items[this.platform];
    for (let i = 0; i < count; i++) {
      const createdAt = toSecond(windowStart + (span * (i + this.rng.next())) / count);
      out.push(this.item(createdAt, out.length));
    }
  }

  private item(createdAt: number, index: number): TruthItem {
    const rng = this.rng;
    const { now } = this.truth;
    const creator = rng.pick(this.people);
    const parent = this.pickParent();
    const kind = this.kindFor(parent);
    const assignees = this.assigneesFor(kind);
    const worker = assignees[0] ?? creator;

    let transitions;
    let pr: TruthItem["pr"] = null;
    if (kind === "pull_request") {
      const reviewers = this.people.filter((p) => p !== creator);
      const walk = walkPullRequest(rng, { createdAt, now, creator, worker, reviewers: reviewers.length ? reviewers : [creator] });
      transitions = walk.transitions;
      pr = {
        draft: walk.draft,
        headRef: "",
        baseRef: "main",
        mergedAt: walk.mergedAt,
        mergedBy: walk.mergedBy,
        reviewRequestedAt: walk.reviewRequestedAt,
        reviews: walk.reviews.map((r) => ({ id: numericId(ID_BASE.githubReview, this.reviewCounter++), ...r })),
        additions: Math.round(rng.exponential(120)) + 1,
        deletions: Math.round(rng.exponential(40)),
        changedFiles: rng.int(1, 25),
        commits: rng.int(1, 12),
        closesSeq: null,
      };
    } else {
      transitions = walkWorkItem(rng, { createdAt, now, creator, worker });
    }
    const facts = statusFacts(transitions);
    const sprint = parent ? this.sprintOf(parent) : this.sprintFor(facts.status, facts.closedAt, createdAt);
    const container = parent ? parent.container : this.containerFor(sprint);
    const seq = (this.seqByContainer.get(container) ?? 0) + 1;
    this.seqByContainer.set(container, seq);

    const title = `${rng.pick(TITLE_VERBS)} ${rng.pick(TITLE_OBJECTS)}${rng.pick(TITLE_QUALIFIERS)}`;
    if (pr) pr.headRef = `${branchName(title)}-${seq}`;
    const until = facts.closedAt === null ? now : Math.min(now, facts.closedAt + 2 * DAY);
    const item: TruthItem = {
      platform: this.platform,
      id: this.nativeId(index, seq),
      seq,
      container,
      kind,
      title,
      description: rng.pick(DESCRIPTIONS),
      creator,
      assignees,
      labels: drawLabels(rng, this.platform, kind),
      priority: drawPriority(rng, this.platform),
      estimatePoints: drawPoints(rng, this.platform, kind),
      timeEstimateMs: null,
      sprint: kind === "pull_request" ? null : (sprint?.key ?? null),
      parentId: parent?.id ?? null,
      blockedBy: [],
      createdAt,
      updatedAt: createdAt,
      ...facts,
      dueAt: drawDue(rng, this.platform, sprint, createdAt),
      transitions,
      timeEntries: this.platform === "clickup" ? generateTimeEntries(rng, transitions, now, worker, () => numericId(ID_BASE.clickupTimeEntry, this.entryCounter++)) : [],
      comments: generateComments(rng, createdAt, until, [creator, ...assignees, rng.pick(this.people)], () => this.commentId()),
      pr,
      customFields: this.platform === "clickup" ? drawClickUpCustomFields(rng, createdAt) : {},
      deletedAt: null,
    };
    if (this.platform === "clickup" && item.estimatePoints !== null && rng.chance(0.6)) item.timeEstimateMs = item.estimatePoints * 3 * HOUR;
    if (this.platform === "plane") item.module = rng.chance(0.5) ? this.planeModule(container) : null;
    this.linkBlockers(item);
    if (pr) this.linkClosedIssue(item, pr);
    item.updatedAt = lastActivityAt(item);
    if (rng.chance(0.01)) {
      // Deleted items never serve as parents or blockers, so nothing live points at them.
      item.deletedAt = Math.min(now, toSecond(item.updatedAt + rng.exponential(2 * DAY)));
      item.updatedAt = item.deletedAt;
    } else {
      this.remember(item);
    }
    compactArrays(item);
    return item;
  }

  private nativeId(index: number, seq: number): string {
    switch (this.platform) {
      case "clickup":
        return clickupTaskId(this.truth.seed, index);
      case "github":
        return String(seq); // issues and PRs share one number sequence per repo
      case "plane":
        return this.rng.uuid();
    }
  }

  private commentId(): string {
    switch (this.platform) {
      case "clickup":
        return numericId(ID_BASE.clickupComment, this.commentCounter++);
      case "github":
        return numericId(ID_BASE.githubComment, this.commentCounter++);
      case "plane":
        return this.rng.uuid();
    }
  }

  /** ClickUp subtasks (20%) and Plane sub-issues (8%) hang under a recent top-level item of the same container. */
  private pickParent(): TruthItem | null {
    const share = this.platform === "clickup" ? 0.2 : this.platform === "plane" ? 0.08 : 0;
    if (!this.rng.chance(share) || this.recentTopLevel.size === 0) return null;
    const rings = [...this.recentTopLevel.values()];
    return this.rng.pick(rings).pick(this.rng, () => true);
  }

  private kindFor(parent: TruthItem | null): TruthItem["kind"] {
    if (parent) return "subtask";
    if (this.platform === "github") return this.rng.chance(0.4) ? "pull_request" : "issue";
    return this.platform === "clickup" ? "task" : "issue";
  }

  private assigneesFor(kind: TruthItem["kind"]): string[] {
    const n = kind === "pull_request" ? 1 : Number(this.rng.weighted({ "0": 15, "1": 70, "2": 15 }));
    const chosen: string[] = [];
    while (chosen.length < n) {
      const p = this.rng.pick(this.people);
      if (!chosen.includes(p)) chosen.push(p);
    }
    return chosen;
  }

  private sprintOf(parent: TruthItem): Sprint | null {
    return this.truth.sprints.find((s) => s.key === parent.sprint) ?? null;
  }

  /**
   * The sprint an item belongs to at `now`: done items in the sprint they were finished in; open,
   * committed items in the current sprint (new to-dos sometimes already planned for the next);
   * backlog and cancelled items in none.
   */
  private sprintFor(status: StatusCategory, closedAt: number | null, createdAt: number): Sprint | null {
    if (status === "backlog" || status === "cancelled") return null;
    if (status === "done") return closedAt === null ? null : sprintAt(this.truth.sprints, closedAt);
    if (status === "todo" && createdAt > this.truth.now - 3 * DAY && this.rng.chance(0.3)) return this.nextSprint;
    return this.currentSprint;
  }

  private containerFor(sprint: Sprint | null): string {
    const rng = this.rng;
    switch (this.platform) {
      case "github":
        return this.truth.github.repos[rng.chance(0.6) ? 0 : 1]!.fullName;
      case "plane":
        return this.truth.plane.projects[rng.chance(0.65) ? 0 : 1]!.id;
      case "clickup": {
        const lists = this.truth.clickup.lists;
        const byName = (name: string) => lists.find((l) => l.name === name)!.id;
        if (sprint) return lists.find((l) => l.sprint === sprint.key)!.id;
        const r = rng.next();
        if (r < 0.1) return byName(CLICKUP_LISTS.opsInbox);
        if (r < 0.15) return byName(CLICKUP_LISTS.runbooks);
        return byName(r < 0.4 ? CLICKUP_LISTS.bugs : CLICKUP_LISTS.backlog);
      }
    }
  }

  private planeModule(projectId: string): string | null {
    const modules = this.truth.plane.modules.filter((m) => m.projectId === projectId);
    return modules.length ? this.rng.pick(modules).id : null;
  }

  /** Some open items wait on 1-2 earlier open items of the same container. */
  private linkBlockers(item: TruthItem): void {
    if ((item.status !== "todo" && item.status !== "in_progress") || !this.rng.chance(0.2)) return;
    const ring = this.recentTopLevel.get(item.container);
    if (!ring) return;
    const n = this.rng.int(1, 2);
    for (let i = 0; i < n; i++) {
      const blocker = ring.pick(this.rng, (b) => !isClosedCategory(b.status) && b.kind !== "pull_request" && !item.blockedBy.includes(b.id));
      if (!blocker) break;
      item.blockedBy.push(blocker.id);
      this.blockers.add(blocker);
    }
    if (item.blockedBy.length && this.platform === "github") item.labels.push("blocked");
  }

  /** "Fixes #n": a merged PR closes an earlier open issue of its repo at the merge instant. */
  private linkClosedIssue(item: TruthItem, pr: NonNullable<TruthItem["pr"]>): void {
    if (!this.rng.chance(0.5)) return;
    const ring = this.recentOpenIssues.get(item.container);
    const mergedAt = pr.mergedAt;
    const issue = ring?.pick(this.rng, (i) => {
      if (isClosedCategory(i.status) || this.blockers.has(i)) return false;
      return mergedAt === null || i.transitions[i.transitions.length - 1]!.at < mergedAt;
    });
    if (!issue) return;
    pr.closesSeq = issue.seq;
    if (mergedAt === null || pr.mergedBy === null) return;
    issue.transitions.push({ at: mergedAt, from: issue.status, to: "done", by: pr.mergedBy });
    applyStatusFacts(issue);
    issue.sprint = sprintAt(this.truth.sprints, mergedAt)?.key ?? null;
    issue.blockedBy = [];
    issue.labels = issue.labels.filter((l) => l !== "blocked");
    issue.updatedAt = Math.max(issue.updatedAt, mergedAt);
  }

  private remember(item: TruthItem): void {
    if (item.kind === "subtask" || item.kind === "pull_request") return;
    ringFor(this.recentTopLevel, item.container).push(item);
    if (item.kind === "issue" && this.platform === "github") ringFor(this.recentOpenIssues, item.container).push(item);
  }
}

/**
 * Arrays grown by push keep spare capacity (V8 grows a 1-element array to 17 slots); exact-size
 * copies cut the truth's heap by about a sixth (616 → 518 MB at 100k items per platform).
 */
function compactArrays(item: TruthItem): void {
  item.assignees = item.assignees.slice();
  item.labels = item.labels.slice();
  item.blockedBy = item.blockedBy.slice();
  item.transitions = item.transitions.slice();
  item.timeEntries = item.timeEntries.slice();
  item.comments = item.comments.slice();
}

/**
 * Per-request memo of what rendered objects embed: repo-wide aggregates (a milestone's open/closed
 * counts inside every issue, the repository inside every PR head/base, who each issue blocks;
 * one pass over the repo's items per request instead of one per object) and the user / label /
 * milestone objects that repeat across a page.
 */
import type { GitHubIndex, RepoRecord } from "./repo-index.js";
import type { Links } from "./links.js";
import { RepoDependencies } from "./dependencies.js";
import { issueState } from "./issue-state.js";
import { type LabelFacts, NEW_LABEL_COLOR, renderLabel } from "./label-view.js";
import { type MilestoneFacts, renderMilestone } from "./milestone-view.js";
import { type RepoStats, renderRepository } from "./repo-view.js";
import { renderUserOrNull } from "./user-view.js";

interface Tally {
  stats: RepoStats;
  milestones: Map<string, { open: number; closed: number; creator: string }>;
}

export class RepoCatalog {
  private tally: Tally | null = null;
  private repoObject: ReturnType<typeof renderRepository> | null = null;
  private dependencyGraph: RepoDependencies | null = null;
  private readonly users = new Map<string, ReturnType<typeof renderUserOrNull>>();
  private readonly labels = new Map<string, ReturnType<typeof renderLabel>>();
  private readonly milestones = new Map<string, ReturnType<typeof renderMilestone> | null>();

  constructor(
    readonly links: Links,
    readonly repo: RepoRecord,
    readonly index: GitHubIndex,
    /** The sandbox clock at the time of the request (milestones close when their sprint has ended). */
    readonly now: number,
  ) {}

  private count(): Tally {
    if (this.tally) return this.tally;
    const truth = this.index.truthNow;
    const tally: Tally = { stats: { createdAt: truth.now, updatedAt: 0, openIssues: 0 }, milestones: new Map() };
    for (const item of this.index.items(this.repo)) {
      if (item.deletedAt !== null) continue;
      tally.stats.createdAt = Math.min(tally.stats.createdAt, item.createdAt);
      tally.stats.updatedAt = Math.max(tally.stats.updatedAt, item.updatedAt);
      const open = issueState(item) === "open";
      if (open) tally.stats.openIssues++;
      if (item.sprint) {
        const entry = tally.milestones.get(item.sprint) ?? { open: 0, closed: 0, creator: item.creator };
        if (open) entry.open++;
        else entry.closed++;
        tally.milestones.set(item.sprint, entry);
      }
    }
    if (tally.stats.updatedAt === 0) tally.stats.updatedAt = tally.stats.createdAt;
    this.tally = tally;
    return tally;
  }

  repository(): ReturnType<typeof renderRepository> {
    this.repoObject ??= renderRepository(this.links, this.repo, this.count().stats);
    return this.repoObject;
  }

  /** Blocked-by / blocking relations; the reverse index is one pass over the repo, so it is shared by a page's issues. */
  dependencies(): RepoDependencies {
    this.dependencyGraph ??= new RepoDependencies(this.index, this.repo);
    return this.dependencyGraph;
  }

  label(name: string): LabelFacts {
    return this.index.truthNow.github.labels.find((l) => l.name === name) ?? { name, color: NEW_LABEL_COLOR, description: "" };
  }

  milestone(sprintKey: string): MilestoneFacts | null {
    const sprint = this.index.sprint(sprintKey);
    if (!sprint) return null;
    const counts = this.count().milestones.get(sprintKey);
    return {
      sprint,
      number: this.index.milestoneNumber(sprintKey),
      openIssues: counts?.open ?? 0,
      closedIssues: counts?.closed ?? 0,
      creator: this.index.person(counts?.creator ?? this.index.truthNow.people[0]?.key ?? ""),
      now: this.now,
    };
  }

  /** Every sprint of the calendar is a milestone in every repo, even one with no issues yet. */
  allMilestones(): MilestoneFacts[] {
    return this.index.truthNow.sprints.map((s) => this.milestone(s.key)!);
  }

  /** `simple-user` of a Person.key; null when the truth does not know the key (e.g. no actor). */
  user(key: string | null): ReturnType<typeof renderUserOrNull> {
    if (key === null) return null;
    let user = this.users.get(key);
    if (user === undefined) {
      user = renderUserOrNull(this.links, this.index.person(key));
      this.users.set(key, user);
    }
    return user;
  }

  labelObject(name: string): ReturnType<typeof renderLabel> {
    let label = this.labels.get(name);
    if (!label) {
      label = renderLabel(this.links, this.repo, this.label(name));
      this.labels.set(name, label);
    }
    return label;
  }

  milestoneObject(sprintKey: string | null): ReturnType<typeof renderMilestone> | null {
    if (sprintKey === null) return null;
    let milestone = this.milestones.get(sprintKey);
    if (milestone === undefined) {
      const facts = this.milestone(sprintKey);
      milestone = facts ? renderMilestone(this.links, this.repo, facts) : null;
      this.milestones.set(sprintKey, milestone);
    }
    return milestone;
  }
}

/** Sprint → GitHub `milestone` (sprints are milestones on GitHub; `due_on` is the sprint's end). */
import type { Person, Sprint } from "../truth/model.js";
import type { Links } from "./links.js";
import type { RepoRecord } from "./repo-index.js";
import { isoTime, nodeId } from "./ids.js";
import { renderUserOrNull } from "./user-view.js";

export interface MilestoneFacts {
  sprint: Sprint;
  number: number;
  openIssues: number;
  closedIssues: number;
  creator: Person | undefined;
  now: number;
}

export function milestoneId(repo: RepoRecord, number: number): number {
  return repo.ordinal * 100_000 + 9_000_000 + number;
}

/** A sprint is a closed milestone once it has ended. */
export function milestoneState(sprint: Sprint, now: number): "open" | "closed" {
  return sprint.endAt <= now ? "closed" : "open";
}

export function renderMilestone(links: Links, repo: RepoRecord, facts: MilestoneFacts) {
  const id = milestoneId(repo, facts.number);
  const url = `${links.api}/repos/${repo.fullName}/milestones/${facts.number}`;
  const state = milestoneState(facts.sprint, facts.now);
  // Created a week before the sprint starts (planning); closed when it ends.
  const createdAt = facts.sprint.startAt - 7 * 24 * 3600 * 1000;
  return {
    url,
    html_url: `${links.html}/${repo.fullName}/milestone/${facts.number}`,
    labels_url: `${url}/labels`,
    id,
    node_id: nodeId("Milestone", id),
    number: facts.number,
    title: facts.sprint.name,
    description: null,
    creator: renderUserOrNull(links, facts.creator),
    open_issues: facts.openIssues,
    closed_issues: facts.closedIssues,
    state,
    created_at: isoTime(createdAt),
    updated_at: isoTime(state === "closed" ? facts.sprint.endAt : createdAt),
    due_on: isoTime(facts.sprint.endAt),
    closed_at: state === "closed" ? isoTime(facts.sprint.endAt) : null,
  };
}

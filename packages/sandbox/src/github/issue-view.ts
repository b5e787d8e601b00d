/** TruthItem → GitHub `issue` JSON (PRs included, marked by `pull_request`), field for field (GH-OAS schema `issue`). */
import { emptyReactions } from "./reactions-view.js";
import type { TruthItem } from "../truth/model.js";
import type { RepoCatalog } from "./catalog.js";
import type { RepoRecord } from "./repo-index.js";
import { isoTime, isoTimeOrNull, nodeId } from "./ids.js";
import { issueState, stateReason } from "./issue-state.js";

/** Issue ids and pull ids of the same PR differ on GitHub; both are derived from repo ordinal + number. */
export function issueWireId(repo: RepoRecord, number: number): number {
  return 1_000_000_000 + repo.ordinal * 10_000_000 + number;
}

export function pullWireId(repo: RepoRecord, number: number): number {
  return 5_000_000_000 + repo.ordinal * 10_000_000 + number;
}

export function issueApiUrl(catalog: RepoCatalog, number: number): string {
  return `${catalog.links.api}/repos/${catalog.repo.fullName}/issues/${number}`;
}

export function pullApiUrl(catalog: RepoCatalog, number: number): string {
  return `${catalog.links.api}/repos/${catalog.repo.fullName}/pulls/${number}`;
}

export function itemHtmlUrl(catalog: RepoCatalog, item: TruthItem): string {
  return `${catalog.links.html}/${catalog.repo.fullName}/${item.kind === "pull_request" ? "pull" : "issues"}/${item.seq}`;
}

export function renderAssignees(catalog: RepoCatalog, keys: readonly string[]) {
  return keys.map((key) => catalog.user(key)).filter((u) => u !== null);
}

/** Who closed it: the author of the last transition into a closed category. */
function closedBy(item: TruthItem): string | null {
  if (item.closedAt === null) return null;
  for (let i = item.transitions.length - 1; i >= 0; i--) {
    const t = item.transitions[i]!;
    if (t.to === "done" || t.to === "cancelled") return t.by;
  }
  return null;
}

/** `detail` adds what GitHub returns only for a single issue (closed_by). */
export function renderIssue(catalog: RepoCatalog, item: TruthItem, detail = false) {
  const { links, repo } = catalog;
  const url = issueApiUrl(catalog, item.seq);
  const id = issueWireId(repo, item.seq);
  const assignees = renderAssignees(catalog, item.assignees);
  const isPull = item.kind === "pull_request";
  const issue: Record<string, unknown> = {
    url,
    repository_url: `${links.api}/repos/${repo.fullName}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: itemHtmlUrl(catalog, item),
    id,
    node_id: nodeId("Issue", id),
    number: item.seq,
    title: item.title,
    user: catalog.user(item.creator),
    labels: item.labels.map((name) => catalog.labelObject(name)),
    state: issueState(item),
    locked: false,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: catalog.milestoneObject(item.sprint),
    comments: item.comments.length,
    created_at: isoTime(item.createdAt),
    updated_at: isoTime(item.updatedAt),
    closed_at: isoTimeOrNull(item.closedAt),
    author_association: "MEMBER",
    type: null,
    active_lock_reason: null,
    issue_dependencies_summary: catalog.dependencies().summary(item),
  };
  if (isPull) {
    const html = itemHtmlUrl(catalog, item);
    issue.draft = item.pr?.draft ?? false;
    issue.pull_request = {
      url: pullApiUrl(catalog, item.seq),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: isoTimeOrNull(item.pr?.mergedAt ?? null),
    };
  }
  issue.body = item.description === "" ? null : item.description;
  if (detail) issue.closed_by = catalog.user(closedBy(item));
  issue.reactions = emptyReactions(url);
  issue.timeline_url = `${url}/timeline`;
  issue.performed_via_github_app = null;
  issue.state_reason = stateReason(item);
  return issue;
}

/** TruthItem (kind "pull_request") → GitHub `pull-request-simple` / `pull-request` / `pull-request-review`. */
import type { Person, Review, TruthItem } from "../truth/model.js";
import type { RepoCatalog } from "./catalog.js";
import { fakeSha, isoTime, isoTimeOrNull, nodeId, wireId } from "./ids.js";
import { issueState } from "./issue-state.js";
import { issueApiUrl, itemHtmlUrl, pullApiUrl, pullWireId, renderAssignees } from "./issue-view.js";

/**
 * Whom review was requested from. The truth records when, not whom: the first reviewer if anyone
 * reviewed, otherwise a teammate picked deterministically from the PR number (never the author).
 */
export function reviewRequestTarget(item: TruthItem, people: readonly Person[]): string | null {
  if (!item.pr || item.pr.reviewRequestedAt === null) return null;
  const reviewer = item.pr.reviews[0]?.person;
  if (reviewer) return reviewer;
  const others = people.filter((p) => p.key !== item.creator);
  return others.length === 0 ? null : others[item.seq % others.length]!.key;
}

/** GitHub drops a reviewer from `requested_reviewers` once they submit a review. */
function requestedReviewers(catalog: RepoCatalog, item: TruthItem) {
  if (!item.pr || item.pr.reviews.length > 0 || issueState(item) === "closed") return [];
  const key = reviewRequestTarget(item, catalog.index.truthNow.people);
  return key ? renderAssignees(catalog, [key]) : [];
}

function branch(catalog: RepoCatalog, item: TruthItem, ref: string) {
  return {
    label: `${catalog.repo.owner}:${ref}`,
    ref,
    sha: fakeSha(`${catalog.repo.fullName}:${ref}:${item.seq}`),
    user: catalog.repository().owner,
    repo: catalog.repository(),
  };
}

export function renderPullSimple(catalog: RepoCatalog, item: TruthItem) {
  const pr = item.pr!;
  const { links, repo } = catalog;
  const url = pullApiUrl(catalog, item.seq);
  const html = itemHtmlUrl(catalog, item);
  const issueUrl = issueApiUrl(catalog, item.seq);
  const id = pullWireId(repo, item.seq);
  const assignees = renderAssignees(catalog, item.assignees);
  const head = branch(catalog, item, pr.headRef);
  const statusesUrl = `${links.api}/repos/${repo.fullName}/statuses/${head.sha}`;
  return {
    url,
    id,
    node_id: nodeId("PullRequest", id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${links.api}/repos/${repo.fullName}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: statusesUrl,
    number: item.seq,
    state: issueState(item),
    locked: false,
    title: item.title,
    user: catalog.user(item.creator),
    body: item.description === "" ? null : item.description,
    labels: item.labels.map((name) => catalog.labelObject(name)),
    milestone: catalog.milestoneObject(item.sprint),
    active_lock_reason: null,
    created_at: isoTime(item.createdAt),
    updated_at: isoTime(item.updatedAt),
    closed_at: isoTimeOrNull(item.closedAt),
    merged_at: isoTimeOrNull(pr.mergedAt),
    merge_commit_sha: pr.mergedAt === null ? null : fakeSha(`${repo.fullName}:merge:${item.seq}`),
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: requestedReviewers(catalog, item),
    requested_teams: [],
    head,
    base: branch(catalog, item, pr.baseRef),
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${links.api}/repos/${repo.fullName}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: statusesUrl },
    },
    author_association: "MEMBER",
    auto_merge: null,
    draft: pr.draft,
  };
}

export function renderPull(catalog: RepoCatalog, item: TruthItem) {
  const pr = item.pr!;
  const open = issueState(item) === "open";
  return {
    ...renderPullSimple(catalog, item),
    merged: pr.mergedAt !== null,
    // Open non-draft PRs are mergeable; GitHub reports null for closed ones (no merge is computed).
    mergeable: open ? !pr.draft : null,
    rebaseable: open ? !pr.draft : null,
    mergeable_state: open ? (pr.draft ? "draft" : "clean") : "unknown",
    merged_by: catalog.user(pr.mergedBy),
    comments: item.comments.length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pr.commits,
    additions: pr.additions,
    deletions: pr.deletions,
    changed_files: pr.changedFiles,
  };
}

export function renderReview(catalog: RepoCatalog, item: TruthItem, review: Review) {
  const id = wireId(review.id);
  const html = `${itemHtmlUrl(catalog, item)}#pullrequestreview-${id}`;
  const pullUrl = pullApiUrl(catalog, item.seq);
  return {
    id,
    node_id: nodeId("PullRequestReview", id),
    user: catalog.user(review.person),
    body: "",
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: "MEMBER",
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: isoTime(review.at),
    commit_id: fakeSha(`${catalog.repo.fullName}:${item.pr!.headRef}:${item.seq}`),
  };
}

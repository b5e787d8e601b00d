/**
 * ItemChange → GitHub webhook delivery (`issues`, `issue_comment`, `pull_request`), payloads shaped
 * like octokit/webhooks' examples: `{action, issue|pull_request, [label|assignee|milestone|changes|comment], repository, sender, organization}`.
 * Changes GitHub has no event for (time tracked, moves between open categories, priority…) render
 * nothing.
 */
import type { ItemChange, WebhookDelivery, WebhookRegistration } from "../kit/types.js";
import type { TruthItem } from "../truth/model.js";
import { RepoCatalog } from "./catalog.js";
import { renderComment } from "./comment-view.js";
import { derivedGuid, fakeSha, nodeId } from "./ids.js";
import { isClosedCategory, issueState } from "./issue-state.js";
import { renderIssue } from "./issue-view.js";
import type { Links } from "./links.js";
import { renderPull } from "./pull-view.js";
import type { GitHubIndex } from "./repo-index.js";
import { signGitHubWebhook, signGitHubWebhookSha1 } from "./signature.js";
import { organizationId } from "./user-view.js";

type EventName = "issues" | "issue_comment" | "pull_request";

interface Delivery {
  event: EventName;
  action: string;
  extra: (catalog: RepoCatalog) => Record<string, unknown>;
}

const HOOKSHOT_AGENT = `GitHub-Hookshot/${fakeSha("pmo-sandbox-hookshot").slice(0, 7)}`;

const added = (now: readonly string[], before: readonly string[]) => now.filter((x) => !before.includes(x));

function describeUpdate(item: TruthItem, before: Partial<TruthItem>): Omit<Delivery, "event"> | null {
  if (before.labels) {
    const gained = added(item.labels, before.labels)[0];
    const lost = added(before.labels, item.labels)[0];
    const name = gained ?? lost;
    if (name === undefined) return null;
    return { action: gained ? "labeled" : "unlabeled", extra: (c) => ({ label: c.labelObject(name) }) };
  }
  if (before.assignees) {
    const gained = added(item.assignees, before.assignees)[0];
    const lost = added(before.assignees, item.assignees)[0];
    const key = gained ?? lost;
    if (key === undefined) return null;
    return { action: gained ? "assigned" : "unassigned", extra: (c) => ({ assignee: c.user(key) }) };
  }
  if ("sprint" in before) {
    const sprint = item.sprint ?? before.sprint ?? null;
    return { action: item.sprint ? "milestoned" : "demilestoned", extra: (c) => ({ milestone: c.milestoneObject(sprint) }) };
  }
  if (before.title !== undefined || before.description !== undefined) {
    const changes: Record<string, { from: string }> = {};
    if (before.title !== undefined) changes.title = { from: before.title };
    if (before.description !== undefined) changes.body = { from: before.description };
    return { action: "edited", extra: () => ({ changes }) };
  }
  return null;
}

function describe(change: ItemChange): Delivery | null {
  const { item } = change;
  const event: EventName = item.kind === "pull_request" ? "pull_request" : "issues";
  switch (change.kind) {
    case "created":
      return { event, action: "opened", extra: () => ({}) };
    case "deleted":
      // Pull requests cannot be deleted on GitHub; only issues have a "deleted" action.
      return event === "issues" ? { event, action: "deleted", extra: () => ({}) } : null;
    case "status_changed": {
      const wasClosed = change.before.status !== undefined && isClosedCategory(change.before.status);
      const closed = issueState(item) === "closed";
      if (wasClosed === closed) return null;
      return { event, action: closed ? "closed" : "reopened", extra: () => ({}) };
    }
    case "updated": {
      const update = describeUpdate(item, change.before);
      return update ? { event, ...update } : null;
    }
    case "comment_added": {
      const comment = item.comments[item.comments.length - 1];
      if (!comment) return null;
      return { event: "issue_comment", action: "created", extra: (c) => ({ comment: renderComment(c, item, comment) }) };
    }
    case "time_tracked":
      return null;
  }
}

function renderOrganizationBrief(links: Links, login: string) {
  const id = organizationId(login);
  const url = `${links.api}/orgs/${login}`;
  return {
    login,
    id,
    node_id: nodeId("Organization", id),
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    description: null,
  };
}

export function renderGitHubWebhook(change: ItemChange, registration: WebhookRegistration, links: Links, index: GitHubIndex): WebhookDelivery | null {
  if (change.platform !== "github" || registration.platform !== "github") return null;
  const repo = index.repoByFullName(change.item.container);
  if (!repo) return null;
  if (registration.scope !== null && registration.scope.toLowerCase() !== repo.fullName.toLowerCase()) return null;
  const delivery = describe(change);
  if (!delivery) return null;
  if (!registration.events.includes("*") && !registration.events.includes(delivery.event)) return null;

  const catalog = new RepoCatalog(links, repo, index, change.at);
  const subject =
    delivery.event === "pull_request"
      ? { number: change.item.seq, pull_request: renderPull(catalog, change.item) }
      : { issue: renderIssue(catalog, change.item) };
  const payload = {
    action: delivery.action,
    ...subject,
    ...delivery.extra(catalog),
    repository: catalog.repository(),
    organization: renderOrganizationBrief(links, repo.owner),
    sender: catalog.user(change.by),
  };
  const body = Buffer.from(JSON.stringify(payload));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": HOOKSHOT_AGENT,
    "x-github-event": delivery.event,
    "x-github-delivery": derivedGuid(`${change.id}:${registration.id}`),
    "x-github-hook-id": registration.id,
    "x-github-hook-installation-target-type": "repository",
    "x-github-hook-installation-target-id": String(repo.id),
  };
  // GitHub signs only when the hook has a secret.
  if (registration.secret) {
    headers["x-hub-signature"] = signGitHubWebhookSha1(registration.secret, body);
    headers["x-hub-signature-256"] = signGitHubWebhook(registration.secret, body);
  }
  return { headers, body };
}

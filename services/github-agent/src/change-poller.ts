import type { PlatformEvent } from "@pmo/contracts";
import type { PolledChanges } from "@pmo/platform-agent";
import { configuredRepos } from "./containers.js";
import type { GitHubClient } from "./github-client.js";
import { itemId } from "./normalise.js";
import type { GhIssue } from "./wire.js";

/**
 * What changed on GitHub since the poll watermark (for the kit's webhook-silence poller): each
 * configured repo's issues and PRs listed `since` it, oldest change first. The first page is sent
 * with the ETag of the previous identical listing, so a quiet repo answers 304 and costs no quota.
 */
export class GitHubChangePoller {
  /** Per repo: the `since` of the last listing and its first page's ETag. Per process: a lost entry only costs one 200. */
  private readonly etags = new Map<string, { since: string; etag: string }>();

  constructor(
    private readonly client: GitHubClient,
    private readonly repos: () => string[],
  ) {}

  static forProjects(client: GitHubClient, env: Parameters<typeof configuredRepos>[0]): GitHubChangePoller {
    return new GitHubChangePoller(client, () => configuredRepos(env));
  }

  async poll(since: string | null, signal: AbortSignal): Promise<PolledChanges> {
    let watermark = since;
    const events: PlatformEvent[] = [];
    for (const repo of this.repos()) {
      const issues = since === null ? await this.newest(repo, signal) : await this.changedSince(repo, since, signal);
      for (const issue of issues) {
        if (watermark === null || Date.parse(issue.updated_at) > Date.parse(watermark)) watermark = issue.updated_at;
        events.push(changeEvent(repo, issue, since));
      }
    }
    return { events, watermark };
  }

  /** The repo's most recently updated issue: the first poll only learns GitHub's clock. */
  private async newest(repo: string, signal: AbortSignal): Promise<GhIssue[]> {
    const [owner, name] = repo.split("/");
    return (await this.client.page<GhIssue>("GET /repos/{owner}/{repo}/issues", { owner, repo: name, state: "all", sort: "updated", direction: "desc", per_page: 1 }, { signal })).items;
  }

  private async changedSince(repo: string, since: string, signal: AbortSignal): Promise<GhIssue[]> {
    const [owner, name] = repo.split("/");
    const known = this.etags.get(repo);
    const etag = known?.since === since ? known.etag : null;
    let page = await this.client.page<GhIssue>("GET /repos/{owner}/{repo}/issues", { owner, repo: name, state: "all", sort: "updated", direction: "asc", per_page: 100, since }, { etag, signal });
    if (page.status === 304) return [];
    if (page.etag) this.etags.set(repo, { since, etag: page.etag });
    const out = [...page.items];
    while (page.next) {
      page = await this.client.nextPage<GhIssue>(page.next, signal);
      out.push(...page.items);
    }
    return out;
  }
}

/** A polled issue → the event a webhook would have carried, as far as the listing tells (it has no diff). */
function changeEvent(repo: string, issue: GhIssue, since: string | null): PlatformEvent {
  const after = (at: string | null) => at !== null && since !== null && Date.parse(at) >= Date.parse(since);
  const type = after(issue.created_at) ? "item.created" : issue.state === "closed" && after(issue.closed_at) ? "status.changed" : "item.updated";
  const ref = itemId(repo, issue.number);
  return {
    id: `github:poll:${ref}:${issue.updated_at}`,
    platform: "github",
    type,
    itemRef: { platform: "github", id: ref },
    at: new Date(Date.parse(issue.updated_at)).toISOString(),
    actor: null,
    changes: type === "status.changed" ? [{ field: "state", from: "open", to: issue.pull_request?.merged_at ? "merged" : `closed${issue.state_reason ? `:${issue.state_reason}` : ""}` }] : [],
  };
}

/** Repository → GitHub `full-repository` (the shape of GET /repos/{owner}/{repo}). */
import type { Links } from "./links.js";
import type { RepoRecord } from "./repo-index.js";
import { isoTime, nodeId } from "./ids.js";
import { renderOrganization } from "./user-view.js";

export interface RepoStats {
  createdAt: number;
  updatedAt: number;
  openIssues: number; // open issues + open PRs, as GitHub counts them
}

export function repoApiUrl(links: Links, repo: RepoRecord): string {
  return `${links.api}/repos/${repo.fullName}`;
}

export function renderRepository(links: Links, repo: RepoRecord, stats: RepoStats) {
  const url = repoApiUrl(links, repo);
  const owner = renderOrganization(links, repo.owner);
  const html = `${links.html}/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: nodeId("Repository", repo.id),
    name: repo.name,
    full_name: repo.fullName,
    // Private, so that requests without valid credentials get GitHub's hiding 404.
    private: true,
    owner,
    html_url: html,
    description: null,
    fork: false,
    url,
    forks_url: `${url}/forks`,
    keys_url: `${url}/keys{/key_id}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    teams_url: `${url}/teams`,
    hooks_url: `${url}/hooks`,
    issue_events_url: `${url}/issues/events{/number}`,
    events_url: `${url}/events`,
    assignees_url: `${url}/assignees{/user}`,
    branches_url: `${url}/branches{/branch}`,
    tags_url: `${url}/tags`,
    blobs_url: `${url}/git/blobs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    trees_url: `${url}/git/trees{/sha}`,
    statuses_url: `${url}/statuses/{sha}`,
    languages_url: `${url}/languages`,
    stargazers_url: `${url}/stargazers`,
    contributors_url: `${url}/contributors`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    commits_url: `${url}/commits{/sha}`,
    git_commits_url: `${url}/git/commits{/sha}`,
    comments_url: `${url}/comments{/number}`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    contents_url: `${url}/contents/{+path}`,
    compare_url: `${url}/compare/{base}...{head}`,
    merges_url: `${url}/merges`,
    archive_url: `${url}/{archive_format}{/ref}`,
    downloads_url: `${url}/downloads`,
    issues_url: `${url}/issues{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    labels_url: `${url}/labels{/name}`,
    releases_url: `${url}/releases{/id}`,
    deployments_url: `${url}/deployments`,
    created_at: isoTime(stats.createdAt),
    updated_at: isoTime(stats.updatedAt),
    pushed_at: isoTime(stats.updatedAt),
    git_url: `git://${new URL(links.html).host}/${repo.fullName}.git`,
    ssh_url: `git@${new URL(links.html).hostname}:${repo.fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: "TypeScript",
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: stats.openIssues,
    license: null,
    allow_forking: false,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: "private",
    forks: 0,
    open_issues: stats.openIssues,
    watchers: 0,
    default_branch: "main",
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
    organization: owner,
    network_count: 0,
    subscribers_count: 0,
  };
}

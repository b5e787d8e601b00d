/** The parts of GitHub's REST objects the agent reads (wire spelling, as documented in GitHub's OpenAPI). */

export interface GhUser {
  login: string;
}

export interface GhLabel {
  name: string;
}

export interface GhMilestone {
  number: number;
  title: string;
  due_on: string | null;
}

/** `issue` (PRs included: they carry `pull_request`). */
export interface GhIssue {
  id: number;
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  state: "open" | "closed";
  state_reason?: "completed" | "reopened" | "not_planned" | "duplicate" | null;
  user: GhUser | null;
  labels: (GhLabel | string)[];
  assignees?: GhUser[] | null;
  milestone: GhMilestone | null;
  comments: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  draft?: boolean;
  pull_request?: { url: string; merged_at?: string | null };
  parent_issue_url?: string | null;
  /** Counts of issue dependencies (GitHub's `issue-dependencies-summary`); `total_blocked_by` includes closed blockers. */
  issue_dependencies_summary?: { blocked_by: number; total_blocked_by: number; blocking: number; total_blocking: number } | null;
}

/** A blocker as `GET …/issues/{n}/dependencies/blocked_by` lists it (a full issue object; only these fields are read). */
export interface GhBlocker {
  number: number;
  repository_url: string;
}

/** `pull-request-simple`, as the pulls list returns it. */
export interface GhPull {
  number: number;
  state: "open" | "closed";
  draft?: boolean;
  merged_at: string | null;
  merge_commit_sha?: string | null;
  head: { ref: string };
  base: { ref: string };
  requested_reviewers?: GhUser[] | null;
}

/** One entry of `GET /repos/{o}/{r}/issues/{n}/timeline` (events, comments, reviews). */
export interface GhTimelineEntry {
  event: string;
  created_at?: string;
  submitted_at?: string;
  actor?: GhUser | null;
  user?: GhUser | null;
  state?: string;
  state_reason?: string | null;
  label?: { name: string };
}

/** The repository object (its ETag and open count back the cheap deletion check). */
export interface GhRepo {
  full_name: string;
  name: string;
  open_issues_count: number;
  permissions?: { pull?: boolean; push?: boolean; admin?: boolean };
}

export function labelName(label: GhLabel | string): string {
  return typeof label === "string" ? label : label.name;
}

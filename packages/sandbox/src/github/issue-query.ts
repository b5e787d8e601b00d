/**
 * The filters and orderings of GET /repos/{o}/{r}/issues and GET /repos/{o}/{r}/pulls over the
 * truth, as pure functions (the tests check them against the ground truth through the HTTP API).
 */
import type { TruthItem } from "../truth/model.js";
import type { ValidationProblem } from "./errors.js";
import type { GitHubIndex, RepoRecord } from "./repo-index.js";
import { issueState } from "./issue-state.js";

export type Direction = "asc" | "desc";

export interface IssueFilter {
  state: "open" | "closed" | "all";
  /** Epoch ms; items updated at or after it (GitHub compares at second precision). */
  since: number | null;
  labels: string[]; // all must be present
  assignee: string | null; // login, "none" or "*"
  creator: string | null; // login
  milestone: string | null; // number, "none" or "*"
  sort: "created" | "updated" | "comments";
  direction: Direction;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T, field: string, problems: ValidationProblem[], resource: string): T {
  if (value === null || value === "") return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push({ resource, code: "invalid", field });
  return fallback;
}

/** ISO-8601 as GitHub accepts it ("2024-01-02T03:04:05Z", also with offset or millis). */
export function parseTimestamp(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function parseIssueFilter(query: URLSearchParams): { filter: IssueFilter; problems: ValidationProblem[] } {
  const problems: ValidationProblem[] = [];
  const sinceRaw = query.get("since");
  const since = sinceRaw ? parseTimestamp(sinceRaw) : null;
  if (sinceRaw && since === null) problems.push({ resource: "Issue", code: "invalid", field: "since" });
  const filter: IssueFilter = {
    state: oneOf(query.get("state"), ["open", "closed", "all"] as const, "open", "state", problems, "Issue"),
    since,
    labels: (query.get("labels") ?? "").split(",").map((l) => l.trim()).filter((l) => l !== ""),
    assignee: query.get("assignee") || null,
    creator: query.get("creator") || null,
    milestone: query.get("milestone") || null,
    sort: oneOf(query.get("sort"), ["created", "updated", "comments"] as const, "created", "sort", problems, "Issue"),
    direction: oneOf(query.get("direction"), ["asc", "desc"] as const, "desc", "direction", problems, "Issue"),
  };
  return { filter, problems };
}

/** Timestamps go out without milliseconds, so `since` is compared at that precision too. */
const toSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

function matchesPerson(keys: readonly string[], login: string, index: GitHubIndex): boolean {
  if (login === "*") return keys.length > 0;
  if (login === "none") return keys.length === 0;
  const person = index.personByLogin(login);
  return person !== undefined && keys.includes(person.key);
}

function matchesMilestone(sprint: string | null, milestone: string, index: GitHubIndex): boolean {
  if (milestone === "*") return sprint !== null;
  if (milestone === "none") return sprint === null;
  return sprint !== null && index.milestoneNumber(sprint) === Number(milestone);
}

export function matchesIssueFilter(item: TruthItem, filter: IssueFilter, index: GitHubIndex): boolean {
  if (item.deletedAt !== null) return false;
  if (filter.state !== "all" && issueState(item) !== filter.state) return false;
  if (filter.since !== null && toSecond(item.updatedAt) < filter.since) return false;
  if (filter.labels.some((l) => !item.labels.includes(l))) return false;
  if (filter.assignee !== null && !matchesPerson(item.assignees, filter.assignee, index)) return false;
  if (filter.creator !== null && !matchesPerson([item.creator], filter.creator, index)) return false;
  if (filter.milestone !== null && !matchesMilestone(item.sprint, filter.milestone, index)) return false;
  return true;
}

/** Ties are broken by number so that pages never overlap or skip. */
export function orderItems(items: TruthItem[], key: (item: TruthItem) => number, direction: Direction): TruthItem[] {
  const sign = direction === "asc" ? 1 : -1;
  return items.sort((a, b) => sign * (key(a) - key(b) || a.seq - b.seq));
}

export const ISSUE_SORT_KEYS: Record<IssueFilter["sort"], (item: TruthItem) => number> = {
  created: (i) => i.createdAt,
  updated: (i) => i.updatedAt,
  comments: (i) => i.comments.length,
};

export function selectIssues(index: GitHubIndex, repo: RepoRecord, filter: IssueFilter): TruthItem[] {
  const sorted = index.ordered(repo, `issues:${filter.sort}:${filter.direction}`, (items) => orderItems(items, ISSUE_SORT_KEYS[filter.sort], filter.direction));
  return sorted.filter((item) => matchesIssueFilter(item, filter, index));
}

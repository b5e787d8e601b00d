import { WorkItemSchema, type ItemPriority, type ItemRef, type WorkItem } from "@pmo/contracts";
import type { GitHubSettings } from "./settings.js";
import { categorise, currentState, iso, replayHistory } from "./status-rules.js";
import { labelName, type GhIssue, type GhPull, type GhTimelineEntry } from "./wire.js";

/** What the collector gathered about one issue or PR; kept as the item's `raw`. */
export interface RawGitHubItem {
  issue: GhIssue;
  /** PR details from the pulls list (draft, merge, refs, requested reviewers); null for issues. */
  pull: Pick<GhPull, "draft" | "merged_at" | "merge_commit_sha" | "head" | "base"> & { requested_reviewers: string[] } | null;
  /** Trimmed timeline: the entries that make history and reviews. */
  timeline: GhTimelineEntry[];
  /** Item ids ("owner/repo#n") of the issues blocking this one (issue dependencies); absent when it has none. */
  blockedBy?: string[];
}

/** Item ids are "owner/repo#number": numbers repeat across repositories. */
export function itemId(repo: string, number: number): string {
  return `${repo}#${number}`;
}

const PRIORITY_ORDER: ItemPriority[] = ["none", "low", "medium", "high", "urgent"];

function priorityOf(labels: string[], settings: GitHubSettings): ItemPriority {
  let best: ItemPriority = "none";
  for (const l of labels) {
    const p = settings.priorityLabels[l];
    if (p && PRIORITY_ORDER.indexOf(p) > PRIORITY_ORDER.indexOf(best)) best = p;
  }
  return best;
}

/** ".../repos/{owner}/{repo}/issues/{n}" → its item ref (sub-issues). */
function parentRef(url: string | null | undefined): ItemRef | null {
  const m = url ? /\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)$/.exec(url) : null;
  return m ? { platform: "github", id: itemId(m[1]!, Number(m[2])) } : null;
}

/** Keeps what history needs from a timeline entry (comment bodies and embedded objects are dropped). */
export function trimTimeline(entries: GhTimelineEntry[]): GhTimelineEntry[] {
  const keep = new Set(["closed", "reopened", "merged", "ready_for_review", "convert_to_draft", "reviewed", "labeled", "unlabeled", "review_requested"]);
  return entries
    .filter((e) => keep.has(e.event))
    .map((e) => {
      const t: GhTimelineEntry = { event: e.event };
      if (e.created_at) t.created_at = e.created_at;
      if (e.submitted_at) t.submitted_at = e.submitted_at;
      const who = e.actor ?? e.user;
      if (who) t.actor = { login: who.login };
      if (e.state) t.state = e.state;
      if (e.state_reason !== undefined) t.state_reason = e.state_reason;
      if (e.label) t.label = { name: e.label.name };
      return t;
    });
}

/**
 * The raw issue as GitHub sent it, minus the hypermedia (`*_url` links, `node_id`s, reactions, the
 * repeated user/label/milestone link fields): about a third of the bytes, the same facts. A 10k-item
 * snapshot has to fit in a few hundred MB.
 */
export function slimIssue(issue: GhIssue): GhIssue {
  return slimCopy(issue) as GhIssue;
}

function isHypermedia(key: string): boolean {
  return key !== "html_url" && key !== "parent_issue_url" && (key.endsWith("_url") || key === "node_id" || key === "reactions" || key === "url" || key === "gravatar_id");
}

/** A copy of parsed JSON without the hypermedia keys, at any depth (built directly: a stringify with a replacer and a parse cost ~4x more). */
function slimCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(slimCopy);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key in value) if (!isHypermedia(key)) out[key] = slimCopy((value as Record<string, unknown>)[key]);
  return out;
}

export function trimPull(pull: GhPull): NonNullable<RawGitHubItem["pull"]> {
  return {
    draft: pull.draft,
    merged_at: pull.merged_at,
    merge_commit_sha: pull.merge_commit_sha ?? null,
    head: { ref: pull.head.ref },
    base: { ref: pull.base.ref },
    requested_reviewers: (pull.requested_reviewers ?? []).map((u) => u.login),
  };
}

/** GitHub issue / PR → WorkItem (DESIGN §4), validated; throws a ZodError for a malformed record. */
export function normaliseIssue(repo: string, raw: RawGitHubItem, settings: GitHubSettings): WorkItem {
  const { issue, pull, timeline } = raw;
  const labels = issue.labels.map(labelName);
  const now = currentState(issue, timeline, pull?.draft);
  if (pull && pull.merged_at) now.merged = true;
  const { status, category } = categorise(now, settings);
  const history = replayHistory(issue, timeline, now, settings);
  const started = history.find((t) => t.toCategory === "in_progress" || t.toCategory === "in_review");
  const m = issue.milestone;
  return WorkItemSchema.parse({
    ref: { platform: "github", id: itemId(repo, issue.number) },
    key: `#${issue.number}`,
    url: issue.html_url,
    title: issue.title,
    kind: issue.pull_request ? "pull_request" : "issue",
    status,
    statusCategory: category,
    priority: priorityOf(labels, settings),
    assignees: (issue.assignees ?? []).map((u) => u.login),
    labels,
    container: { id: repo, name: repo, kind: "repo" },
    iteration: m ? { id: String(m.number), name: m.title, startAt: null, endAt: m.due_on ? iso(m.due_on) : null } : null,
    createdAt: iso(issue.created_at),
    updatedAt: iso(issue.updated_at),
    startedAt: started?.at ?? null,
    closedAt: issue.closed_at ? iso(issue.closed_at) : null,
    dueAt: null,
    estimate: null,
    timeSpentMs: null,
    parent: parentRef(issue.parent_issue_url),
    blockedBy: (raw.blockedBy ?? []).map((id) => ({ platform: "github" as const, id })),
    history,
  });
}

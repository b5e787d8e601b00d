/**
 * The sandbox's ground truth: one platform-neutral description of a project spread over ClickUp,
 * GitHub and Plane. The generator (truth/generate.ts) produces it from a seed; each emulator
 * (clickup/, github/, plane/) renders it in its platform's native shapes; tests read it to check
 * what the product computed. All instants are epoch milliseconds (UTC).
 *
 * This file is the agreement between the generator and the three emulators: extend it
 * additively, never rename or remove a field another module reads.
 */

export type Platform = "clickup" | "github" | "plane";

/** Same vocabulary as the product's WorkItem.statusCategory (packages/contracts). */
export type StatusCategory = "backlog" | "todo" | "in_progress" | "in_review" | "done" | "cancelled";
export type Priority = "urgent" | "high" | "medium" | "low" | "none";

export interface Person {
  key: string; // stable key, e.g. "p3"
  name: string; // "Ada Lovelace"
  login: string; // "ada-lovelace" (GitHub login, ClickUp username, Plane display_name)
  email: string; // "ada.lovelace@example.test"
  clickupId: number; // ClickUp user id (int)
  githubId: number; // GitHub user id (int)
  planeId: string; // Plane member uuid
}

/** A sprint (ClickUp sprint list / GitHub milestone / Plane cycle); same calendar on all three. */
export interface Sprint {
  key: string; // "sprint-24"
  name: string; // "Sprint 24"
  number: number;
  startAt: number;
  endAt: number;
}

export interface Transition {
  at: number;
  from: StatusCategory | null; // null for the creation entry
  to: StatusCategory;
  by: string; // Person.key
}

export interface TimeEntry { id: string; person: string; startAt: number; durationMs: number; description: string }
export interface Comment { id: string; person: string; at: number; body: string }
export interface Review { id: string; person: string; at: number; state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" }

export interface PullRequestFacts {
  draft: boolean;
  headRef: string;
  baseRef: string;
  mergedAt: number | null;
  mergedBy: string | null; // Person.key
  reviewRequestedAt: number | null;
  reviews: Review[];
  additions: number;
  deletions: number;
  changedFiles: number;
  commits: number;
  closesSeq: number | null; // seq of the issue it closes in the same repo ("Fixes #12")
}

/** One work item as it truly is at `Truth.now`, with everything that happened to it. */
export interface TruthItem {
  platform: Platform;
  /** Native id: ClickUp task id ("86a1b2c3d"), GitHub issue/PR number as a string, Plane work-item uuid. */
  id: string;
  /** 1-based sequence within its container: GitHub number, Plane sequence_id, ClickUp custom id suffix. */
  seq: number;
  /** Native container id: ClickUp list id, GitHub "owner/repo", Plane project uuid. */
  container: string;
  kind: "task" | "subtask" | "issue" | "pull_request";
  title: string;
  description: string;
  creator: string; // Person.key
  assignees: string[]; // Person.key[]
  labels: string[]; // label names
  priority: Priority;
  estimatePoints: number | null;
  timeEstimateMs: number | null;
  sprint: string | null; // Sprint.key
  parentId: string | null; // native id of the parent (subtasks)
  blockedBy: string[]; // native ids of blocking items, same platform
  createdAt: number;
  updatedAt: number;
  startedAt: number | null; // first entry into in_progress
  closedAt: number | null; // last entry into done/cancelled, null when open now
  dueAt: number | null;
  status: StatusCategory; // current category (= last transition's `to`)
  transitions: Transition[]; // ordered; transitions[0] is the creation (from: null)
  timeEntries: TimeEntry[];
  comments: Comment[];
  reopenCount: number; // times it left done/cancelled for an open category
  pr: PullRequestFacts | null; // only for kind === "pull_request"
  customFields: Record<string, string | number | null>; // ClickUp custom fields by field name
  deletedAt: number | null; // deleted items are kept in the truth (for deletion detection) but not served
  /** Plane module id the work item belongs to (added by the generator; absent/null elsewhere). */
  module?: string | null;
}

export interface ClickUpLayout {
  teamId: string; // workspace ("team") id, numeric string
  spaces: { id: string; name: string }[];
  folders: { id: string; name: string; spaceId: string }[];
  lists: { id: string; name: string; folderId: string | null; spaceId: string; sprint: string | null }[];
  /** Raw status names per category as ClickUp shows them (lowercase, e.g. "in progress"). */
  statusNames: Record<StatusCategory, string>;
  /** `options` (added by the generator) lists a drop_down field's option names, in orderindex order; TruthItem.customFields holds the option name. */
  customFields: { id: string; name: string; type: "drop_down" | "number" | "short_text" | "date"; options?: string[] }[];
}

export interface GitHubLayout {
  owner: string; // org login
  repos: { fullName: string; id: number; name: string }[];
  labels: { name: string; color: string; description: string }[];
}

export interface PlaneLayout {
  workspaceSlug: string;
  projects: { id: string; name: string; identifier: string }[]; // identifier e.g. "WEB"
  /** One state per category per project; Plane groups: backlog|unstarted|started|completed|cancelled (+ "triage"). */
  states: { id: string; projectId: string; name: string; group: string; category: StatusCategory; color: string }[];
  labels: { id: string; projectId: string; name: string; color: string }[];
  modules: { id: string; projectId: string; name: string }[];
  /** Cycle ids per sprint per project (sprint calendar is shared). */
  cycles: { id: string; projectId: string; sprint: string }[];
}

export interface TruthOptions {
  seed: number;
  /** Items per platform (10 … 100,000). */
  itemsPerPlatform: number;
  /** The generator's "now" (epoch ms); default a fixed instant so the same seed gives the same bytes. */
  now?: number;
}

export interface Truth {
  seed: number;
  now: number;
  projectKey: string; // product-side project id, e.g. "web"
  people: Person[];
  sprints: Sprint[];
  clickup: ClickUpLayout;
  github: GitHubLayout;
  plane: PlaneLayout;
  /** Items per platform, in creation order. Includes deleted ones (deletedAt set). */
  items: Record<Platform, TruthItem[]>;
}

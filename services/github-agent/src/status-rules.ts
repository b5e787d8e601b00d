import type { StatusCategory, StatusTransition } from "@pmo/contracts";
import { plainUtcInstant } from "@pmo/platform-agent";
import type { GitHubSettings } from "./settings.js";
import { labelName, type GhIssue, type GhTimelineEntry } from "./wire.js";

/**
 * GitHub has only open/closed (+ state_reason, draft, merged, reviews). The rule, from the most to
 * the least specific:
 *   closed PR: merged → done ("merged"), unmerged → cancelled ("closed");
 *   closed issue: not_planned / duplicate → cancelled, otherwise done ("closed");
 *   open PR: draft → in_progress ("draft"); latest deciding review CHANGES_REQUESTED → in_progress
 *     ("changes requested"); otherwise in_review ("open") — a PR asks for review by existing;
 *   open issue: a status label from `statusLabels` (the most advanced one wins, raw status = the
 *     label's name), otherwise todo ("open"). Being assigned alone is not taken as started: teams
 *     assign at triage.
 */
export interface ObservedState {
  pr: boolean;
  open: boolean;
  draft: boolean;
  merged: boolean;
  stateReason: string | null;
  /** Latest APPROVED / CHANGES_REQUESTED review (COMMENTED does not decide). */
  changesRequested: boolean;
  labels: ReadonlySet<string>;
}

const OPEN_ORDER: StatusCategory[] = ["backlog", "todo", "in_progress", "in_review"];

export function categorise(s: ObservedState, settings: GitHubSettings): { status: string; category: StatusCategory } {
  if (s.pr) {
    if (s.merged) return { status: "merged", category: "done" };
    if (!s.open) return { status: "closed", category: "cancelled" };
    if (s.draft) return { status: "draft", category: "in_progress" };
    if (s.changesRequested) return { status: "changes requested", category: "in_progress" };
    return { status: "open", category: "in_review" };
  }
  if (!s.open) return { status: "closed", category: s.stateReason === "not_planned" || s.stateReason === "duplicate" ? "cancelled" : "done" };
  let best: { status: string; category: StatusCategory } | null = null;
  for (const name of s.labels) {
    const category = settings.statusLabels[name];
    if (category && (!best || OPEN_ORDER.indexOf(category) > OPEN_ORDER.indexOf(best.category))) best = { status: name, category };
  }
  return best ?? { status: "open", category: "todo" };
}

const at = (e: GhTimelineEntry) => e.created_at ?? e.submitted_at ?? null;

/** The latest deciding review in the timeline says "changes requested". */
export function changesRequested(timeline: readonly GhTimelineEntry[]): boolean {
  let decision = false;
  for (const e of timeline) {
    if (e.event !== "reviewed") continue;
    const state = (e.state ?? "").toUpperCase();
    if (state === "CHANGES_REQUESTED") decision = true;
    else if (state === "APPROVED" || state === "DISMISSED") decision = false;
  }
  return decision;
}

/** The state now, from the issue object (authoritative) and the reviews in its timeline. */
export function currentState(issue: GhIssue, timeline: readonly GhTimelineEntry[], pullDraft: boolean | undefined): ObservedState {
  const pr = issue.pull_request !== undefined;
  return {
    pr,
    open: issue.state === "open",
    draft: pr && (pullDraft ?? issue.draft ?? false),
    merged: pr && Boolean(issue.pull_request?.merged_at),
    stateReason: issue.state_reason ?? null,
    changesRequested: pr && changesRequested(timeline),
    labels: new Set(issue.labels.map(labelName)),
  };
}

/**
 * Replays the timeline (closed, reopened, merged, ready_for_review, convert_to_draft, reviews,
 * status labels) into status transitions. The first entry is the creation. Whether a PR started as a
 * draft is read from its first draft event (ready_for_review ⇒ it was a draft), else from now.
 */
export function replayHistory(issue: GhIssue, timeline: readonly GhTimelineEntry[], now: ObservedState, settings: GitHubSettings): StatusTransition[] {
  const entries = timeline.filter((e) => at(e) !== null).sort((a, b) => Date.parse(at(a)!) - Date.parse(at(b)!));
  const firstDraftEvent = entries.find((e) => e.event === "ready_for_review" || e.event === "convert_to_draft");
  const state: ObservedState & { labels: Set<string> } = {
    pr: now.pr,
    open: true,
    draft: now.pr && (firstDraftEvent ? firstDraftEvent.event === "ready_for_review" : now.draft),
    merged: false,
    stateReason: null,
    changesRequested: false,
    labels: new Set(),
  };
  let last = categorise(state, settings);
  const history: StatusTransition[] = [{ at: iso(issue.created_at), from: null, to: last.status, fromCategory: null, toCategory: last.category, by: issue.user?.login ?? null }];
  for (const e of entries) {
    switch (e.event) {
      case "closed":
        state.open = false;
        state.stateReason = e.state_reason ?? null;
        break;
      case "reopened":
        state.open = true;
        state.stateReason = "reopened";
        break;
      case "merged":
        state.merged = true;
        state.open = false;
        break;
      case "ready_for_review":
        state.draft = false;
        break;
      case "convert_to_draft":
        state.draft = true;
        break;
      case "reviewed": {
        const s = (e.state ?? "").toUpperCase();
        if (s === "CHANGES_REQUESTED") state.changesRequested = true;
        else if (s === "APPROVED" || s === "DISMISSED") state.changesRequested = false;
        break;
      }
      case "labeled":
        if (e.label) state.labels.add(e.label.name);
        break;
      case "unlabeled":
        if (e.label) state.labels.delete(e.label.name);
        break;
      default:
        continue;
    }
    const next = categorise(state, settings);
    if (next.status === last.status && next.category === last.category) continue;
    history.push({ at: iso(at(e)!), from: last.status, to: next.status, fromCategory: last.category, toCategory: next.category, by: (e.actor ?? e.user)?.login ?? null });
    last = next;
  }
  return history;
}

/**
 * GitHub writes "2011-04-22T13:33:48Z"; the contract wants ISO-8601 with an offset, which that is.
 * A value in that form naming a real instant is its own answer (a 10k-item collection formats
 * ~150k of them: through Date each, ~2% of the agent's CPU); anything else (another offset,
 * fractions, 24:00, a 30th of February) goes through Date as before.
 */
export function iso(value: string): string {
  const plain = plainUtcInstant(value);
  if (plain && plain.fraction === undefined) return value;
  return new Date(Date.parse(value)).toISOString().replace(/\.000Z$/, "Z");
}

import type { GitHubSettings } from "./settings.js";

/** What a requested status means on GitHub: a state (+ reason) and/or a status label. */
export interface StatusWrite {
  state?: "open" | "closed";
  state_reason?: "completed" | "not_planned" | "reopened";
  label?: string;
}

const CLOSED_DONE = new Set(["closed", "done", "completed", "complete", "merged"]);
const CLOSED_CANCELLED = new Set(["cancelled", "canceled", "not_planned", "not planned", "wontfix", "duplicate"]);
const OPEN = new Set(["open", "todo", "to do", "reopened", "reopen"]);

/**
 * Maps a requested status name onto GitHub: done-like names close as completed, cancelled-like as
 * not_planned, open-like reopen; a status label name (or a category such as "in_progress") sets that
 * label and keeps the issue open. Anything else is refused by the caller with this function's null.
 */
export function statusWrite(status: string, settings: GitHubSettings): StatusWrite | null {
  const s = status.trim().toLowerCase();
  if (CLOSED_DONE.has(s)) return { state: "closed", state_reason: "completed" };
  if (CLOSED_CANCELLED.has(s)) return { state: "closed", state_reason: "not_planned" };
  if (OPEN.has(s)) return { state: "open" };
  const byName = Object.keys(settings.statusLabels).find((l) => l.toLowerCase() === s);
  const byCategory = Object.entries(settings.statusLabels).find(([, c]) => c === s.replace(/ /g, "_"))?.[0];
  const label = byName ?? byCategory;
  return label ? { state: "open", label } : null;
}

export function isStatusLabel(label: string, settings: GitHubSettings): boolean {
  return label in settings.statusLabels;
}

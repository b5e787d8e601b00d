/**
 * GitHub's two-state model (open/closed + state_reason) over the truth's status categories.
 * done ⇄ closed/completed, cancelled ⇄ closed/not_planned, anything else is open.
 */
import type { StatusCategory, TruthItem } from "../truth/model.js";

export type IssueState = "open" | "closed";
export type StateReason = "completed" | "not_planned" | "duplicate" | "reopened";

export const STATE_REASONS: readonly StateReason[] = ["completed", "not_planned", "duplicate", "reopened"];

/** "duplicate" has no status category of its own (it closes as cancelled), so the emulator remembers it here. */
const duplicateClosures = new WeakSet<TruthItem>();

export function isClosedCategory(category: StatusCategory): boolean {
  return category === "done" || category === "cancelled";
}

export function issueState(item: TruthItem): IssueState {
  return isClosedCategory(item.status) ? "closed" : "open";
}

export function stateReason(item: TruthItem): StateReason | null {
  if (item.status === "done") return "completed";
  if (item.status === "cancelled") return duplicateClosures.has(item) ? "duplicate" : "not_planned";
  return item.reopenCount > 0 ? "reopened" : null;
}

/** The category a close/reopen moves an item into. Reopened work goes back to "todo" (plausible default; GitHub has no finer state). */
export function categoryFor(state: IssueState, reason: StateReason | null): StatusCategory {
  if (state === "open") return "todo";
  return reason === "not_planned" || reason === "duplicate" ? "cancelled" : "done";
}

export function rememberDuplicate(item: TruthItem, duplicate: boolean): void {
  if (duplicate) duplicateClosures.add(item);
  else duplicateClosures.delete(item);
}

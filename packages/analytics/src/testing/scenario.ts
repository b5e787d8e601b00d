/**
 * A small hand-checkable project: nine items over GitHub and Plane, two sprints, "now" = Wed
 * 2024-03-13 12:00Z. Every expected value in the tests is worked out by hand from this file.
 */
import type { WorkItem } from "@pmo/contracts";
import type { Iteration, ItemComment } from "../types/options.js";
import { HOUR, item, itemWithHistory } from "./fixtures.js";

export const NOW = new Date("2024-03-13T12:00:00Z");
export const S1 = { id: "s1", name: "Sprint 1", startAt: "2024-02-26T00:00:00.000Z", endAt: "2024-03-11T00:00:00.000Z" };
export const S2 = { id: "s2", name: "Sprint 2", startAt: "2024-03-11T00:00:00.000Z", endAt: "2024-03-25T00:00:00.000Z" };
export const SPRINTS: Iteration[] = [S1, S2].map((s) => ({ id: s.id, name: s.name, startAt: new Date(s.startAt), endAt: new Date(s.endAt) }));

const est = (points: number | null, hours: number | null) => ({ points, ms: hours === null ? null : hours * HOUR });

/** A: done in S1; cycle 24 h, lead 24 h; spent/estimate 12/10. */
export const A = itemWithHistory(
  [["2024-02-26T09:00:00Z", "todo"], ["2024-02-27T09:00:00Z", "in_progress"], ["2024-02-28T09:00:00Z", "done"]],
  { id: "A", iteration: S1, assignees: ["ann"], estimate: est(3, 10), timeSpentMs: 12 * HOUR },
);
/** B: started in S1's time, moved to and finished in S2; cycle 144 h, lead 192 h; 20/10. */
export const B = itemWithHistory(
  [["2024-03-04T09:00:00Z", "todo"], ["2024-03-06T09:00:00Z", "in_progress"], ["2024-03-12T09:00:00Z", "done"]],
  { id: "B", iteration: S2, assignees: ["bob"], estimate: est(5, 10), timeSpentMs: 20 * HOUR },
);
/** C: reopened; cycle 2 h + 24 h, lead 28 h; 10/20. */
export const C = itemWithHistory(
  [
    ["2024-03-11T09:00:00Z", "todo"],
    ["2024-03-11T10:00:00Z", "in_progress"],
    ["2024-03-11T12:00:00Z", "done"],
    ["2024-03-11T13:00:00Z", "in_progress"],
    ["2024-03-12T13:00:00Z", "done"],
  ],
  { id: "C", iteration: S2, assignees: ["ann"], estimate: est(2, 20), timeSpentMs: 10 * HOUR },
);
/** D: open, went back from review (backflow), blocked by E on Plane, overdue since 03-12. */
export const D = itemWithHistory(
  [["2024-03-11T09:00:00Z", "todo"], ["2024-03-11T10:00:00Z", "in_progress"], ["2024-03-12T10:00:00Z", "in_review"], ["2024-03-12T12:00:00Z", "in_progress"]],
  { id: "D", iteration: S2, assignees: ["ann", "bob"], estimate: est(8, null), blockedBy: [{ platform: "plane", id: "E" }], dueAt: "2024-03-12T00:00:00.000Z" },
);
/** E (Plane): no history, untouched since 03-01, due tomorrow. */
export const E = item({
  id: "E",
  ref: { platform: "plane", id: "E" },
  key: "WEB-5",
  createdAt: "2024-03-01T00:00:00.000Z",
  updatedAt: "2024-03-01T00:00:00.000Z",
  dueAt: "2024-03-14T00:00:00.000Z",
  container: { id: "p1", name: "web", kind: "project" },
});
/** F: PR in review since 03-08 12:00 (120 h at now), no comments. */
export const F = itemWithHistory(
  [["2024-03-08T00:00:00Z", "in_progress"], ["2024-03-08T12:00:00Z", "in_review"]],
  { id: "F", kind: "pull_request", assignees: ["carl"] },
);
/** G: PR merged after 12 h; created by carl, first comment by someone else after 3 h. */
export const G: WorkItem = (() => {
  const g = itemWithHistory(
    [["2024-03-11T00:00:00Z", "in_progress"], ["2024-03-11T06:00:00Z", "in_review"], ["2024-03-11T12:00:00Z", "done"]],
    { id: "G", kind: "pull_request", assignees: ["carl"] },
  );
  g.history[0]!.by = "carl";
  return g;
})();
/** H: issue cancelled after 24 h, never answered. */
export const H = itemWithHistory([["2024-03-05T00:00:00Z", "todo"], ["2024-03-06T00:00:00Z", "cancelled"]], { id: "H", kind: "issue" });
/** I: issue in backlog, answered after 6 h. */
export const I = itemWithHistory([["2024-03-12T00:00:00Z", "backlog"]], { id: "I", kind: "issue" });

export const ITEMS: WorkItem[] = [A, B, C, D, E, F, G, H, I];

export const COMMENTS: ItemComment[] = [
  { itemRef: G.ref, at: new Date("2024-03-11T01:00:00Z"), author: "carl" }, // the creator: not a response
  { itemRef: G.ref, at: new Date("2024-03-11T03:00:00Z"), author: "dana" },
  { itemRef: I.ref, at: new Date("2024-03-12T06:00:00Z"), author: "eve" },
];

import { describe, expect, it } from "vitest";
import { GitHubSettingsSchema } from "./settings.js";
import { categorise, currentState, replayHistory } from "./status-rules.js";
import type { GhIssue, GhTimelineEntry } from "./wire.js";

const settings = GitHubSettingsSchema.parse({});
const issue = (over: Partial<GhIssue> = {}): GhIssue => ({ id: 1, number: 1, title: "t", html_url: "h", state: "open", user: { login: "ada" }, labels: [], milestone: null, comments: 0, created_at: "2024-01-01T00:00:00Z", updated_at: "2024-01-02T00:00:00Z", closed_at: null, ...over });
const ev = (event: string, at: string, extra: Partial<GhTimelineEntry> = {}): GhTimelineEntry => ({ event, created_at: at, actor: { login: "bob" }, ...extra });

describe("GitHub status rules", () => {
  it("maps open/closed, state_reason, status labels, drafts, reviews and merges to categories", () => {
    expect(categorise(currentState(issue(), [], undefined), settings)).toEqual({ status: "open", category: "todo" });
    expect(categorise(currentState(issue({ labels: [{ name: "status: in progress" }, { name: "status: backlog" }] }), [], undefined), settings)).toEqual({ status: "status: in progress", category: "in_progress" });
    expect(categorise(currentState(issue({ state: "closed", state_reason: "not_planned" }), [], undefined), settings).category).toBe("cancelled");
    expect(categorise(currentState(issue({ state: "closed", state_reason: "completed" }), [], undefined), settings).category).toBe("done");
    const pr = (over: Partial<GhIssue>) => issue({ pull_request: { url: "u", merged_at: null }, ...over });
    expect(categorise(currentState(pr({ draft: true }), [], undefined), settings).category).toBe("in_progress");
    expect(categorise(currentState(pr({}), [], undefined), settings).category).toBe("in_review");
    const changes = [ev("reviewed", "2024-01-01T01:00:00Z", { state: "changes_requested" }), ev("reviewed", "2024-01-01T02:00:00Z", { state: "commented" })];
    expect(categorise(currentState(pr({}), changes, undefined), settings)).toEqual({ status: "changes requested", category: "in_progress" });
    expect(categorise(currentState(pr({ state: "closed", pull_request: { url: "u", merged_at: "2024-01-03T00:00:00Z" } }), [], undefined), settings).category).toBe("done");
    expect(categorise(currentState(pr({ state: "closed" }), [], undefined), settings).category).toBe("cancelled");
  });

  it("replays the timeline into transitions (closed, reopened, labels, draft, reviews, merged)", () => {
    const h = replayHistory(issue({ state: "closed", state_reason: "completed" }), [
      ev("labeled", "2024-01-01T01:00:00Z", { label: { name: "status: in progress" } }),
      ev("closed", "2024-01-02T00:00:00Z", { state_reason: "not_planned" }),
      ev("reopened", "2024-01-03T00:00:00Z"),
      ev("closed", "2024-01-04T00:00:00Z", { state_reason: "completed" }),
    ], currentState(issue({ state: "closed" }), [], undefined), settings);
    expect(h.map((t) => `${t.at} ${t.from}→${t.to} ${t.toCategory}`)).toEqual([
      "2024-01-01T00:00:00Z null→open todo",
      "2024-01-01T01:00:00Z open→status: in progress in_progress",
      "2024-01-02T00:00:00Z status: in progress→closed cancelled",
      "2024-01-03T00:00:00Z closed→status: in progress in_progress",
      "2024-01-04T00:00:00Z status: in progress→closed done",
    ]);
    const pr = issue({ state: "closed", pull_request: { url: "u", merged_at: "2024-01-05T00:00:00Z" } });
    const prHistory = replayHistory(pr, [
      ev("ready_for_review", "2024-01-02T00:00:00Z"),
      ev("reviewed", "2024-01-03T00:00:00Z", { state: "CHANGES_REQUESTED", created_at: undefined, submitted_at: "2024-01-03T00:00:00Z" }),
      ev("reviewed", "2024-01-04T00:00:00Z", { state: "APPROVED" }),
      ev("merged", "2024-01-05T00:00:00Z"),
      ev("closed", "2024-01-05T00:00:00Z"),
    ], currentState(pr, [], undefined), settings);
    expect(prHistory.map((t) => t.toCategory)).toEqual(["in_progress", "in_review", "in_progress", "in_review", "done"]);
  });
});

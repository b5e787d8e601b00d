import { describe, expect, it } from "vitest";
import { GitHubSettingsSchema } from "./settings.js";
import { categorise, currentState, iso, replayHistory } from "./status-rules.js";
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

describe("iso", () => {
  const throughDate = (value: string) => new Date(Date.parse(value)).toISOString().replace(/\.000Z$/, "Z");
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");

  it("answers what formatting through Date answers, for GitHub's form and everything near it", () => {
    const values: string[] = [];
    for (const year of [0, 1, 1899, 1900, 1970, 1999, 2000, 2023, 2024, 2100, 2400, 9999])
      for (let month = 0; month <= 13; month++) for (const day of [0, 1, 28, 29, 30, 31, 32]) values.push(`${pad(year, 4)}-${pad(month)}-${pad(day)}T12:00:00Z`);
    for (const time of ["00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "13:33:48"]) values.push(`2011-04-22T${time}Z`);
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 20_000; i++) values.push(`${pad(1970 + rnd(100), 4)}-${pad(1 + rnd(12))}-${pad(1 + rnd(31))}T${pad(rnd(24))}:${pad(rnd(60))}:${pad(rnd(60))}Z`);
    for (const value of values) {
      const expected = Number.isNaN(Date.parse(value)) ? "throws" : throughDate(value);
      let actual: string;
      try {
        actual = iso(value);
      } catch {
        actual = "throws";
      }
      expect(actual, value).toBe(expected);
    }
  });

  it("formats other offsets and fractions through Date", () => {
    expect(iso("2011-04-22T13:33:48+02:00")).toBe("2011-04-22T11:33:48Z");
    expect(iso("2011-04-22T13:33:48.250Z")).toBe("2011-04-22T13:33:48.250Z");
  });
});

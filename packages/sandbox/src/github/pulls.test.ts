/** Pulls, reviews, events/timeline, and the repo catalogues through @octokit/rest. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TruthItem } from "../truth/model.js";
import { type GitHubSandbox, startGitHubSandbox } from "./testing.js";

let sb: GitHubSandbox;
beforeAll(async () => {
  sb = await startGitHubSandbox({ items: 120, seed: 5 });
});
afterAll(() => sb.close());

const split = (fullName: string) => {
  const [owner, repo] = fullName.split("/") as [string, string];
  return { owner, repo };
};
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"));
const pulls = (fullName: string) => sb.ctx.truth.items.github.filter((i) => i.container === fullName && i.deletedAt === null && i.pr !== null);
const isClosed = (i: TruthItem) => i.status === "done" || i.status === "cancelled";

describe("pulls", () => {
  it("lists PRs by state, each once, newest first", async () => {
    const octokit = sb.octokit();
    for (const { fullName } of sb.ctx.truth.github.repos) {
      const all = await octokit.paginate(octokit.rest.pulls.list, { ...split(fullName), state: "all", per_page: 4 });
      expect(all.map((p) => p.number)).toEqual(pulls(fullName).sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq).map((p) => p.seq));
      const open = await octokit.paginate(octokit.rest.pulls.list, { ...split(fullName), per_page: 100 });
      expect(open.map((p) => p.number).sort((a, b) => a - b)).toEqual(pulls(fullName).filter((p) => !isClosed(p)).map((p) => p.seq).sort((a, b) => a - b));
    }
  });

  it("renders merged, merged_at, draft, head/base and reviews of a merged PR", async () => {
    const octokit = sb.octokit();
    const item = sb.ctx.truth.items.github.find((i) => i.pr?.mergedAt && i.pr.reviews.length > 0 && i.deletedAt === null)!;
    const { data } = await octokit.rest.pulls.get({ ...split(item.container), pull_number: item.seq });
    expect([data.merged, data.merged_at, data.draft, data.state]).toEqual([true, iso(item.pr!.mergedAt), item.pr!.draft, "closed"]);
    expect([data.head.ref, data.base.ref, data.additions, data.commits]).toEqual([item.pr!.headRef, item.pr!.baseRef, item.pr!.additions, item.pr!.commits]);
    expect(data.merged_by?.login).toBe(sb.ctx.truth.people.find((p) => p.key === item.pr!.mergedBy)!.login);
    expect(data.requested_reviewers).toEqual([]);
    expect(Buffer.from(data.node_id, "base64").toString()).toBe(`011:PullRequest${data.id}`);
    const reviews = await octokit.rest.pulls.listReviews({ ...split(item.container), pull_number: item.seq });
    expect(reviews.data.map((r) => [r.state, r.submitted_at])).toEqual(item.pr!.reviews.map((r) => [r.state, iso(r.at)]));
  });

  it("lists open review requests as requested_reviewers", async () => {
    const octokit = sb.octokit();
    const item = sb.ctx.truth.items.github.find((i) => i.pr && i.pr.reviewRequestedAt !== null && i.pr.reviews.length === 0 && !isClosed(i) && i.deletedAt === null);
    expect(item).toBeDefined();
    const { data } = await octokit.rest.pulls.get({ ...split(item!.container), pull_number: item!.seq });
    expect(data.requested_reviewers).toHaveLength(1);
    expect(data.requested_reviewers![0]!.login).not.toBe(data.user.login);
  });

  it("answers 404 for an issue number asked as a pull", async () => {
    const item = sb.ctx.truth.items.github.find((i) => i.kind === "issue" && i.deletedAt === null)!;
    await expect(sb.octokit().rest.pulls.get({ ...split(item.container), pull_number: item.seq })).rejects.toMatchObject({ status: 404 });
  });
});

describe("events and timeline", () => {
  it("derive closed/reopened/merged/review_requested from the truth's history", async () => {
    const octokit = sb.octokit();
    const reopened = sb.ctx.truth.items.github.find((i) => i.reopenCount > 0 && i.deletedAt === null);
    const merged = sb.ctx.truth.items.github.find((i) => i.pr?.mergedAt && i.deletedAt === null)!;
    expect(reopened).toBeDefined();
    for (const item of [reopened!, merged]) {
      const events = await octokit.paginate(octokit.rest.issues.listEvents, { ...split(item.container), issue_number: item.seq });
      const closes = item.transitions.filter((t) => t.from !== null && !["done", "cancelled"].includes(t.from) && ["done", "cancelled"].includes(t.to)).length;
      const reopens = item.transitions.filter((t) => t.from !== null && ["done", "cancelled"].includes(t.from) && !["done", "cancelled"].includes(t.to)).length;
      expect(events.filter((e) => e.event === "closed")).toHaveLength(closes);
      expect(events.filter((e) => e.event === "reopened")).toHaveLength(reopens);
      expect(events.filter((e) => e.event === "labeled")).toHaveLength(item.labels.length);
      const times = events.map((e) => e.created_at);
      expect([...times].sort()).toEqual(times);
      if (item.pr?.mergedAt) {
        const m = events.find((e) => e.event === "merged")!;
        expect(m.created_at).toBe(iso(item.pr.mergedAt));
        expect(events.some((e) => e.event === "review_requested")).toBe(item.pr.reviewRequestedAt !== null);
      }
      const timeline = await octokit.paginate(octokit.rest.issues.listEventsForTimeline, { ...split(item.container), issue_number: item.seq });
      expect(timeline.filter((e) => e.event === "commented")).toHaveLength(item.comments.length);
      expect(timeline.filter((e) => e.event === "reviewed")).toHaveLength(item.pr?.reviews.length ?? 0);
    }
  });
});

describe("repository and catalogues", () => {
  it("serves the repo, its labels, milestones (sprints) and assignees", async () => {
    const octokit = sb.octokit();
    const repo = sb.ctx.truth.github.repos[0]!;
    const { data } = await octokit.rest.repos.get(split(repo.fullName));
    expect([data.id, data.full_name, data.private]).toEqual([repo.id, repo.fullName, true]);
    const openCount = sb.ctx.truth.items.github.filter((i) => i.container === repo.fullName && i.deletedAt === null && !isClosed(i)).length;
    expect(data.open_issues_count).toBe(openCount);

    const labels = await octokit.paginate(octokit.rest.issues.listLabelsForRepo, split(repo.fullName));
    expect(labels.map((l) => l.name)).toEqual(sb.ctx.truth.github.labels.map((l) => l.name));

    const milestones = await octokit.paginate(octokit.rest.issues.listMilestones, { ...split(repo.fullName), state: "all" });
    expect(milestones.map((m) => m.title)).toEqual(sb.ctx.truth.sprints.map((s) => s.name));
    const withSprint = sb.ctx.truth.items.github.filter((i) => i.container === repo.fullName && i.deletedAt === null && i.sprint === sb.ctx.truth.sprints[0]!.key);
    expect(milestones[0]!.open_issues + milestones[0]!.closed_issues).toBe(withSprint.length);

    const assignees = await octokit.paginate(octokit.rest.issues.listAssignees, split(repo.fullName));
    expect(assignees.map((a) => a.login).sort()).toEqual(sb.ctx.truth.people.map((p) => p.login).sort());
  });

  it("GET /user is the token's owner", async () => {
    const { data } = await sb.octokit().rest.users.getAuthenticated();
    const me = sb.ctx.truth.people[0]!;
    expect([data.login, data.id, data.name, data.type]).toEqual([me.login, me.githubId, me.name, "User"]);
  });
});

/** Issue dependencies over real HTTP: `issue_dependencies_summary` on issues and the blocked_by / blocking lists, against the truth. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TruthItem } from "../truth/model.js";
import { type GitHubSandbox, startGitHubSandbox } from "./testing.js";

let sb: GitHubSandbox;

/**
 * The generator links few blockers at this size (most items are closed by "now"), so the tests add
 * a web of their own through the control API, the way someone would in GitHub's sidebar: open and
 * closed blockers, one blocker holding up several issues, a closed waiter.
 */
const web = { waiter: null as unknown as TruthItem, openBlocker: null as unknown as TruthItem, closedBlocker: null as unknown as TruthItem };

beforeAll(async () => {
  sb = await startGitHubSandbox({ items: 200 });
  const { fullName } = sb.ctx.truth.github.repos[0]!;
  const issues = liveIn(fullName).filter((i) => i.kind === "issue" && i.blockedBy.length === 0);
  const open = issues.filter(isOpen);
  const closed = issues.filter((i) => !isOpen(i));
  const [o1, o2, waiterB] = open;
  const [c1, waiterC] = closed;
  const waiterA = open[3];
  if (!o1 || !o2 || !waiterB || !waiterA || !c1 || !waiterC) throw new Error("the generated repo is too small for the dependency web");
  const block = (item: TruthItem, blockers: TruthItem[]) =>
    sb.server.control.mutate({ platform: "github", id: item.id, container: fullName, fields: { blockedBy: blockers.map((b) => b.id) } });
  block(waiterA, [o1, c1, o2]);
  block(waiterB, [o1]);
  block(waiterC, [o2]);
  Object.assign(web, { waiter: waiterA, openBlocker: o1, closedBlocker: c1 });
});
afterAll(() => sb.close());

const split = (fullName: string) => {
  const [owner, repo] = fullName.split("/") as [string, string];
  return { owner, repo };
};
const isOpen = (i: TruthItem) => i.status !== "done" && i.status !== "cancelled";
const liveIn = (fullName: string) => sb.ctx.truth.items.github.filter((i) => i.container === fullName && i.deletedAt === null);

/** The truth's blockers of `item`: numbers in its own repo, deleted ones left out. */
function truthBlockers(item: TruthItem): TruthItem[] {
  const live = liveIn(item.container);
  return item.blockedBy.map((id) => live.find((i) => i.id === id)).filter((i): i is TruthItem => i !== undefined);
}

function expectedSummary(item: TruthItem) {
  const blockers = truthBlockers(item);
  const waiting = liveIn(item.container).filter((w) => truthBlockers(w).includes(item));
  return { blocked_by: blockers.filter(isOpen).length, total_blocked_by: blockers.length, blocking: waiting.filter(isOpen).length, total_blocking: waiting.length };
}

const BLOCKED_BY = "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by";
const BLOCKING = "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking";

describe("issue_dependencies_summary", () => {
  it("equals the truth's counts on every issue and PR of every repo's list", async () => {
    const octokit = sb.octokit();
    let blocked = 0;
    for (const { fullName } of sb.ctx.truth.github.repos) {
      const listed = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", per_page: 100 });
      const byNumber = new Map(liveIn(fullName).map((i) => [i.seq, i]));
      expect(listed).toHaveLength(byNumber.size);
      for (const issue of listed) {
        const summary = (issue as { issue_dependencies_summary?: unknown }).issue_dependencies_summary;
        expect(summary, `${fullName}#${issue.number}`).toEqual(expectedSummary(byNumber.get(issue.number)!));
        if ((summary as { total_blocked_by: number }).total_blocked_by > 0) blocked++;
      }
    }
    expect(blocked).toBeGreaterThanOrEqual(3);
  });

  it("is on a single issue too, and follows the truth when a blocker closes or a dependency is added", async () => {
    const octokit = sb.octokit();
    const { waiter, openBlocker: blocker } = web;
    const get = async (item: TruthItem) => (await octokit.rest.issues.get({ ...split(item.container), issue_number: item.seq })).data as { issue_dependencies_summary: unknown };
    expect((await get(waiter)).issue_dependencies_summary).toEqual(expectedSummary(waiter));
    expect((await get(blocker)).issue_dependencies_summary).toEqual({ blocked_by: 0, total_blocked_by: 0, blocking: 2, total_blocking: 2 });
    expect((await get(web.closedBlocker)).issue_dependencies_summary).toEqual(expectedSummary(web.closedBlocker));

    const before = expectedSummary(waiter);
    sb.server.control.mutate({ platform: "github", id: blocker.id, container: blocker.container, status: "done" });
    const closed = (await get(waiter)).issue_dependencies_summary;
    expect(closed).toEqual({ ...before, blocked_by: before.blocked_by - 1 });
    expect(closed).toEqual(expectedSummary(waiter));

    const other = liveIn(waiter.container).find((i) => i !== waiter && isOpen(i) && !waiter.blockedBy.includes(i.id))!;
    sb.server.control.mutate({ platform: "github", id: waiter.id, container: waiter.container, fields: { blockedBy: [...waiter.blockedBy, other.id] } });
    expect((await get(waiter)).issue_dependencies_summary).toEqual({ ...expectedSummary(waiter), total_blocked_by: before.total_blocked_by + 1 });
    expect((await get(other)).issue_dependencies_summary).toMatchObject({ blocking: expectedSummary(other).blocking, total_blocking: expectedSummary(other).total_blocking });
    expect(expectedSummary(other).total_blocking).toBeGreaterThan(0);
  });
});

describe("GET /repos/{o}/{r}/issues/{n}/dependencies/blocked_by", () => {
  it("lists exactly the truth's blockers, as issue objects, for every issue of a repo", async () => {
    const octokit = sb.octokit();
    const { fullName } = sb.ctx.truth.github.repos[0]!;
    for (const item of liveIn(fullName)) {
      const { data, status } = await octokit.request(BLOCKED_BY, { ...split(fullName), issue_number: item.seq });
      expect(status).toBe(200);
      expect(data.map((i) => i.number), `${fullName}#${item.seq}`).toEqual(truthBlockers(item).map((b) => b.seq));
      for (const blocker of data) expect(blocker).toMatchObject({ url: expect.stringContaining(`/repos/${fullName}/issues/${blocker.number}`), issue_dependencies_summary: expect.any(Object) });
    }
  });

  it("pages with per_page and a link header, spending one request of the quota per page", async () => {
    const octokit = sb.octokit();
    const waiter = sb.ctx.truth.items.github.find((i) => i.deletedAt === null && truthBlockers(i).length >= 2)!;
    const expected = truthBlockers(waiter).map((b) => b.seq);
    const first = await octokit.request(BLOCKED_BY, { ...split(waiter.container), issue_number: waiter.seq, per_page: 1 });
    expect(first.data.map((i) => i.number)).toEqual(expected.slice(0, 1));
    const repoId = sb.ctx.truth.github.repos.find((r) => r.fullName === waiter.container)!.id;
    expect(first.headers.link).toContain(`/repositories/${repoId}/issues/${waiter.seq}/dependencies/blocked_by?per_page=1&page=2>; rel="next"`);
    const all = await octokit.paginate(BLOCKED_BY, { ...split(waiter.container), issue_number: waiter.seq, per_page: 1 });
    expect(all.map((i) => i.number)).toEqual(expected);

    const again = await octokit.request(BLOCKED_BY, { ...split(waiter.container), issue_number: waiter.seq, per_page: 1 });
    expect(Number(again.headers["x-ratelimit-used"])).toBe(Number(first.headers["x-ratelimit-used"]) + expected.length + 1);
  });

  it("answers 404 for an unknown number and 410 for a deleted issue", async () => {
    const octokit = sb.octokit();
    const { fullName } = sb.ctx.truth.github.repos[1]!;
    await expect(octokit.request(BLOCKED_BY, { ...split(fullName), issue_number: 999_999 })).rejects.toMatchObject({ status: 404 });
    const doomed = liveIn(fullName).find((i) => i.kind === "issue")!;
    sb.server.control.mutate({ platform: "github", id: doomed.id, container: fullName, delete: true });
    await expect(octokit.request(BLOCKED_BY, { ...split(fullName), issue_number: doomed.seq })).rejects.toMatchObject({ status: 410 });
  });
});

describe("GET /repos/{o}/{r}/issues/{n}/dependencies/blocking", () => {
  it("lists the live issues whose blockers include this one", async () => {
    const octokit = sb.octokit();
    const { fullName } = sb.ctx.truth.github.repos[0]!;
    for (const item of liveIn(fullName)) {
      const { data } = await octokit.request(BLOCKING, { ...split(fullName), issue_number: item.seq, per_page: 100 });
      const expected = liveIn(fullName).filter((w) => truthBlockers(w).includes(item)).map((w) => w.seq);
      expect(data.map((i) => i.number).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    }
  });
});

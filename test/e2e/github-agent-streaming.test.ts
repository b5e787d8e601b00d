/**
 * github-agent as its own process: a full collection reads the issue listing only a few pages ahead
 * of the per-issue details, so what it holds is bounded by that lookahead, not by the repository.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArtifactStore } from "@pmo/runtime";
import { startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { LISTING_LOOKAHEAD_PAGES } from "../../services/github-agent/src/repo-collector.js";
import { collectRepos, forgetCursors, startWorld, type AgentWorld } from "../../services/github-agent/test/agent-kit.js";

let sandbox: SandboxHandle;
let world: AgentWorld & { store: ArtifactStore };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5, itemsPerPlatform: 2000, rateLimits: { githubPerHour: 10_000_000 } });
  // Every run after a first one is a sweep (a full listing compared with the last snapshot).
  world = await startWorld(sandbox, { rateLimit: { requestsPerHour: 10_000_000 }, fullSweepIntervalMs: 0 });
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await sandbox?.close();
});

describe("github-agent full collection", () => {
  it(`asks for a listing page only once the details of all but ${LISTING_LOOKAHEAD_PAGES} pages before it are in`, { timeout: 120_000 }, async () => {
    const repos = sandbox.truth.github.repos.map((r) => r.fullName);
    // Pages after the first follow GitHub's Link header, which names the repository by id.
    const ids = new Map<string, number>();
    for (const repo of repos) {
      const res = await fetch(`${sandbox.urls.github}/repos/${repo}`, { headers: { authorization: `Bearer ${sandbox.credentials.githubToken}` } });
      ids.set(repo, ((await res.json()) as { id: number }).id);
    }
    const mark = sandbox.control.requests("github").length;
    const { data } = await collectRepos(world, repos, 100_000);
    expect(data.items.length).toBe(sandbox.truth.items.github.filter((i) => i.deletedAt === null).length);
    const log = sandbox.control.requests("github").slice(mark);
    let constrained = 0;
    for (const repo of repos) {
      const listing = new RegExp(`^/(repos/${repo}|repositories/${ids.get(repo)})/issues(\\?|$)`);
      const timeline = new RegExp(`^/repos/${repo}/issues/\\d+/timeline`);
      let timelines = 0;
      let page = 0;
      for (const e of log) {
        if (timeline.test(e.url)) timelines++;
        else if (listing.test(e.url)) {
          // Page `page` waits for the batches of pages 0 .. page-LOOKAHEAD-1 (100 issues each).
          if (page > LISTING_LOOKAHEAD_PAGES) {
            expect(timelines, `${repo}: timelines asked before listing page ${page}`).toBeGreaterThanOrEqual((page - LISTING_LOOKAHEAD_PAGES) * 100);
            constrained++;
          }
          page++;
        }
      }
    }
    // The repositories are large enough for the bound to matter (several pages beyond the lookahead).
    expect(constrained).toBeGreaterThanOrEqual(3);
  });
  it("lists every issue exactly once when one is updated while the listing is paged", { timeout: 120_000 }, async () => {
    await forgetCursors(world.nc); // a first run again: the full listing
    const repo = sandbox.truth.github.repos[0]!.fullName;
    const res = await fetch(`${sandbox.urls.github}/repos/${repo}`, { headers: { authorization: `Bearer ${sandbox.credentials.githubToken}` } });
    const repoId = ((await res.json()) as { id: number }).id;
    // The listing's second page waits; meanwhile the issue updated longest ago (first in update order) changes.
    sandbox.control.addFault("github", { kind: "slow", match: `GET /repositories/${repoId}/issues`, count: 1, delayMs: 800 });
    const mark = sandbox.control.requests("github").length;
    const running = collectRepos(world, sandbox.truth.github.repos.map((r) => r.fullName), 100_000);
    const firstPage = new RegExp(`^/repos/${repo}/issues\\?`);
    while (!sandbox.control.requests("github").slice(mark).some((e) => firstPage.test(e.url))) await new Promise((r) => setTimeout(r, 5));
    const oldest = sandbox.truth.items.github.filter((i) => i.deletedAt === null && i.container === repo).sort((a, b) => a.updatedAt - b.updatedAt)[0]!;
    sandbox.control.mutate({ platform: "github", id: oldest.id, container: repo, comment: "updated while the listing is paged" });
    const { data } = await running;
    sandbox.control.clearFaults("github");
    const ids = data.items.map((i) => i.ref.id);
    expect(new Set(ids).size, "no issue twice").toBe(ids.length);
    const live = sandbox.truth.items.github.filter((i) => i.deletedAt === null).map((i) => `${i.container}#${i.seq}`);
    expect(ids.sort()).toEqual(live.sort());
  });
  it("a sweep reports an issue deleted while it lists, and not the issue that deletion made it skip", { timeout: 120_000 }, async () => {
    const repo = sandbox.truth.github.repos[0]!.fullName;
    const res = await fetch(`${sandbox.urls.github}/repos/${repo}`, { headers: { authorization: `Bearer ${sandbox.credentials.githubToken}` } });
    const repoId = ((await res.json()) as { id: number }).id;
    const mine = () => sandbox.truth.items.github.filter((i) => i.deletedAt === null && i.container === repo).sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
    // Creation order: the first issue is on the first page; deleting it once that page is read
    // shifts the rest back, and the 101st, at the second page's edge, is never listed.
    const doomed = mine()[0]!;
    const skipped = mine()[100]!;
    sandbox.control.addFault("github", { kind: "slow", match: `GET /repositories/${repoId}/issues`, count: 1, delayMs: 800 });
    const mark = sandbox.control.requests("github").length;
    const running = collectRepos(world, sandbox.truth.github.repos.map((r) => r.fullName), 100_000);
    const firstPage = new RegExp(`^/repos/${repo}/issues\\?`);
    while (!sandbox.control.requests("github").slice(mark).some((e) => firstPage.test(e.url))) await new Promise((r) => setTimeout(r, 5));
    sandbox.control.mutate({ platform: "github", id: doomed.id, container: repo, delete: true });
    const { data } = await running;
    sandbox.control.clearFaults("github");
    const log = sandbox.control.requests("github").slice(mark);
    expect(log.some((e) => e.url === `/repos/${repo}/issues/${skipped.seq}`), "the missing issue was asked for").toBe(true);
    // Listed before it went, its timeline then answered 410: it is reported deleted, and only it.
    expect(data.deleted).toEqual([{ platform: "github", id: `${repo}#${doomed.seq}` }]);
    const ids = new Set(data.items.map((i) => i.ref.id));
    for (const item of sandbox.truth.items.github.filter((i) => i.deletedAt === null)) expect(ids.has(`${item.container}#${item.seq}`), `${item.container}#${item.seq}`).toBe(true);
  });
});

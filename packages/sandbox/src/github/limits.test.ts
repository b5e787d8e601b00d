/** Conditional requests, primary and secondary rate limits, and the Enterprise "/api/v3" mount. */
import { afterEach, describe, expect, it } from "vitest";
import { request } from "undici";
import { type GitHubSandbox, TEST_TOKEN, startGitHubSandbox } from "./testing.js";

let sb: GitHubSandbox | null = null;
afterEach(async () => {
  await sb?.close();
  sb = null;
});

const auth = { authorization: `token ${TEST_TOKEN}` };
const split = (fullName: string) => {
  const [owner, repo] = fullName.split("/") as [string, string];
  return { owner, repo };
};

describe("conditional requests", () => {
  it("answer 304 to a matching If-None-Match without spending quota (raw undici and octokit)", async () => {
    sb = await startGitHubSandbox({ items: 40 });
    const octokit = sb.octokit();
    const { fullName } = sb.ctx.truth.github.repos[0]!;
    const first = await octokit.rest.issues.listForRepo({ ...split(fullName), state: "all" });
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^W\/"[0-9a-f]{64}"$/);
    const remaining = Number(first.headers["x-ratelimit-remaining"]);

    const url = `${sb.server.url}/repos/${fullName}/issues?state=all`;
    const raw = await request(url, { headers: { ...auth, "if-none-match": etag } });
    expect(raw.statusCode).toBe(304);
    expect(await raw.body.text()).toBe("");
    expect(raw.headers.etag).toBe(etag);
    expect(Number(raw.headers["x-ratelimit-remaining"])).toBe(remaining);

    const viaOctokit = await octokit.rest.issues.listForRepo({ ...split(fullName), state: "all", headers: { "if-none-match": etag } }).catch((e: { status: number; response: { headers: Record<string, string> } }) => e);
    expect(viaOctokit).toMatchObject({ status: 304 });
    expect(Number((viaOctokit as { response: { headers: Record<string, string> } }).response.headers["x-ratelimit-remaining"])).toBe(remaining);

    // A stale tag gets the full answer, which does spend.
    const stale = await request(url, { headers: { ...auth, "if-none-match": 'W/"deadbeef"' } });
    await stale.body.dump();
    expect(stale.statusCode).toBe(200);
    expect(Number(stale.headers["x-ratelimit-remaining"])).toBe(remaining - 1);
  });

  it("changes the ETag when the resource changes", async () => {
    sb = await startGitHubSandbox({ items: 20 });
    const octokit = sb.octokit();
    const item = sb.ctx.truth.items.github.find((i) => i.deletedAt === null)!;
    const before = await octokit.rest.issues.get({ ...split(item.container), issue_number: item.seq });
    await octokit.rest.issues.update({ ...split(item.container), issue_number: item.seq, title: "Renamed in test" });
    const raw = await request(`${sb.server.url}/repos/${item.container}/issues/${item.seq}`, { headers: { ...auth, "if-none-match": before.headers.etag! } });
    await raw.body.dump();
    expect(raw.statusCode).toBe(200);
  });
});

describe("primary rate limit", () => {
  it("carries x-ratelimit-* on every response and answers 403 with remaining 0 when exhausted", async () => {
    sb = await startGitHubSandbox({ items: 10, rateLimit: { limit: 3 } });
    const octokit = sb.octokit();
    const repo = split(sb.ctx.truth.github.repos[0]!.fullName);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await octokit.rest.repos.get(repo);
      seen.push(`${res.headers["x-ratelimit-limit"]}/${res.headers["x-ratelimit-remaining"]}/${res.headers["x-ratelimit-used"]}/${res.headers["x-ratelimit-resource"]}`);
      expect(Number(res.headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);
    }
    expect(seen).toEqual(["3/2/1/core", "3/1/2/core", "3/0/3/core"]);
    const raw = await request(`${sb.server.url}/repos/${repo.owner}/${repo.repo}`, { headers: auth });
    expect(raw.statusCode).toBe(403);
    expect(raw.headers["x-ratelimit-remaining"]).toBe("0");
    const body = (await raw.body.json()) as { message: string; documentation_url: string };
    expect(body.message).toMatch(/^API rate limit exceeded for user ID \d+\.$/);
    expect(body.documentation_url).toBe("https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");

    // GET /rate_limit does not count, even when exhausted.
    const limits = await octokit.rest.rateLimit.get();
    expect(limits.data.resources.core).toMatchObject({ limit: 3, remaining: 0, used: 3 });
    expect(limits.data.rate.remaining).toBe(0);

    // The window renews after an hour of sandbox time.
    sb.ctx.clock.advance(3_600_000);
    expect((await octokit.rest.repos.get(repo)).headers["x-ratelimit-remaining"]).toBe("2");
  });

  it("answers 429 in the 429 variant", async () => {
    sb = await startGitHubSandbox({ items: 10, rateLimit: { limit: 1, exhaustedStatus: 429 } });
    const octokit = sb.octokit();
    const repo = split(sb.ctx.truth.github.repos[0]!.fullName);
    await octokit.rest.repos.get(repo);
    await expect(octokit.rest.repos.get(repo)).rejects.toMatchObject({ status: 429, response: { headers: { "x-ratelimit-remaining": "0" } } });
  });

  it("renders the reset as epoch seconds on the server's wall clock, one (scaled) hour ahead", async () => {
    sb = await startGitHubSandbox({ items: 10, timeScale: 3600 });
    const res = await sb.octokit().rest.rateLimit.get();
    const served = Date.parse(res.headers.date!) / 1000;
    // With a time scale of 3600 the hour lasts one real second; `date` has whole-second precision.
    expect(Number(res.headers["x-ratelimit-reset"]) - served).toBeGreaterThanOrEqual(0);
    expect(Number(res.headers["x-ratelimit-reset"]) - served).toBeLessThanOrEqual(2);
  });
});

describe("secondary rate limit", () => {
  it("answers 403 with retry-after after too many content-creating requests per minute", async () => {
    sb = await startGitHubSandbox({ items: 10, timeScale: 60, secondaryLimit: { contentCreatingPerMinute: 2 } });
    const octokit = sb.octokit();
    const repo = split(sb.ctx.truth.github.repos[0]!.fullName);
    await octokit.rest.issues.create({ ...repo, title: "one" });
    await octokit.rest.issues.create({ ...repo, title: "two" });
    const raw = await request(`${sb.server.url}/repos/${repo.owner}/${repo.repo}/issues`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ title: "three" }) });
    expect(raw.statusCode).toBe(403);
    // A sandbox minute at time scale 60 is one real second.
    expect(raw.headers["retry-after"]).toBe("1");
    expect(Number(raw.headers["x-ratelimit-remaining"])).toBeGreaterThan(0);
    expect(((await raw.body.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    // Reads are not content-creating.
    expect((await octokit.rest.issues.listForRepo(repo)).status).toBe(200);
    sb.ctx.clock.advance(60_000);
    expect((await octokit.rest.issues.create({ ...repo, title: "four" })).status).toBe(201);
  });
});

describe("Enterprise /api/v3 mount", () => {
  it("serves the same routes under /api/v3 to octokit, with links under the mount", async () => {
    sb = await startGitHubSandbox({ items: 60, prefix: "/api/v3" });
    expect(sb.server.url).toMatch(/\/api\/v3$/);
    const octokit = sb.octokit();
    const { fullName, id } = sb.ctx.truth.github.repos[0]!;
    const expected = sb.ctx.truth.items.github.filter((i) => i.container === fullName && i.deletedAt === null).length;
    const listed = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", per_page: 5 });
    expect(listed).toHaveLength(expected);
    const page = await octokit.rest.issues.listForRepo({ ...split(fullName), state: "all", per_page: 5 });
    expect(page.headers.link).toContain(`${sb.server.url}/repositories/${id}/issues?state=all&per_page=5&page=2>; rel="next"`);
    expect(listed[0]!.url).toBe(`${sb.server.url}/repos/${fullName}/issues/${listed[0]!.number}`);
    expect(listed[0]!.html_url.startsWith(new URL(sb.server.url).origin + "/" + fullName)).toBe(true);
    const outside = await request(`${new URL(sb.server.url).origin}/repos/${fullName}`, { headers: auth });
    await outside.body.dump();
    expect(outside.statusCode).toBe(404);
  });
});

describe("API versions", () => {
  it("echoes the selected version and refuses unknown ones with 400", async () => {
    sb = await startGitHubSandbox({ items: 10 });
    const repo = sb.ctx.truth.github.repos[0]!.fullName;
    const ok = await request(`${sb.server.url}/repos/${repo}`, { headers: { ...auth, "x-github-api-version": "2022-11-28" } });
    await ok.body.dump();
    expect([ok.statusCode, ok.headers["x-github-api-version-selected"]]).toEqual([200, "2022-11-28"]);
    const bad = await request(`${sb.server.url}/repos/${repo}`, { headers: { ...auth, "x-github-api-version": "1999-01-01" } });
    expect(bad.statusCode).toBe(400);
    expect(await bad.body.json()).toMatchObject({ status: "400" });
  });
});

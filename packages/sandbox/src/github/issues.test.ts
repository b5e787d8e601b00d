/** Issues through @octokit/rest, unchanged, over real HTTP: pagination, filters, writes, shapes. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import type { TruthItem } from "../truth/model.js";
import { type GitHubSandbox, TEST_TOKEN, startGitHubSandbox } from "./testing.js";

let sb: GitHubSandbox;
beforeAll(async () => {
  sb = await startGitHubSandbox({ items: 150 });
});
afterAll(() => sb.close());

const repos = () => sb.ctx.truth.github.repos;
const live = (fullName: string) => sb.ctx.truth.items.github.filter((i) => i.container === fullName && i.deletedAt === null);
const isClosed = (i: TruthItem) => i.status === "done" || i.status === "cancelled";
const split = (fullName: string) => {
  const [owner, repo] = fullName.split("/") as [string, string];
  return { owner, repo };
};

describe("octokit.paginate over GET /repos/{o}/{r}/issues", () => {
  it.each([1, 7, 30, 100])("lists every live issue and PR exactly once, newest first (per_page=%i)", async (perPage) => {
    const octokit = sb.octokit();
    for (const { fullName } of repos()) {
      const listed = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", per_page: perPage });
      const expected = live(fullName).sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
      expect(listed.map((i) => i.number)).toEqual(expected.map((i) => i.seq));
      expect(new Set(listed.map((i) => i.number)).size).toBe(listed.length);
    }
  });

  it("marks pull requests with pull_request and leaves it off issues", async () => {
    const octokit = sb.octokit();
    const { fullName } = repos()[0]!;
    const listed = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", per_page: 100 });
    const truthByNumber = new Map(live(fullName).map((i) => [i.seq, i]));
    expect(listed.some((i) => i.pull_request)).toBe(true);
    for (const issue of listed) {
      const item = truthByNumber.get(issue.number)!;
      expect(issue.pull_request !== undefined).toBe(item.kind === "pull_request");
      if (item.pr) {
        expect(Object.keys(issue.pull_request!)).toEqual(["url", "html_url", "diff_url", "patch_url", "merged_at"]);
        expect(issue.pull_request!.merged_at).toBe(item.pr.mergedAt === null ? null : new Date(item.pr.mergedAt).toISOString().replace(".000", ""));
      }
    }
  });

  it("filters by state exactly as the ground truth says", async () => {
    const octokit = sb.octokit();
    for (const { fullName } of repos()) {
      const open = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), per_page: 50 });
      const closed = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "closed", per_page: 50 });
      const numbers = (items: TruthItem[]) => items.map((i) => i.seq).sort((a, b) => a - b);
      expect(open.map((i) => i.number).sort((a, b) => a - b)).toEqual(numbers(live(fullName).filter((i) => !isClosed(i))));
      expect(closed.map((i) => i.number).sort((a, b) => a - b)).toEqual(numbers(live(fullName).filter(isClosed)));
      expect(open.every((i) => i.state === "open") && closed.every((i) => i.state === "closed")).toBe(true);
    }
  });

  it("filters by since (updated at or after, second precision) exactly as the ground truth says", async () => {
    const octokit = sb.octokit();
    const { fullName } = repos()[1]!;
    const updated = live(fullName).map((i) => i.updatedAt).sort((a, b) => a - b);
    for (const cut of [updated[0]!, updated[Math.floor(updated.length / 2)]!, updated[updated.length - 1]! + 1000]) {
      const since = new Date(Math.floor(cut / 1000) * 1000).toISOString();
      const listed = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", since, per_page: 13, sort: "updated", direction: "asc" });
      const expected = live(fullName)
        .filter((i) => Math.floor(i.updatedAt / 1000) * 1000 >= Date.parse(since))
        .sort((a, b) => a.updatedAt - b.updatedAt || a.seq - b.seq);
      expect(listed.map((i) => i.number)).toEqual(expected.map((i) => i.seq));
    }
  });

  it("filters by label and assignee", async () => {
    const octokit = sb.octokit();
    const { fullName } = repos()[0]!;
    const withBug = live(fullName).filter((i) => i.labels.includes("bug")).map((i) => i.seq).sort((a, b) => a - b);
    const listed = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", labels: "bug" });
    expect(listed.map((i) => i.number).sort((a, b) => a - b)).toEqual(withBug);
    const person = sb.ctx.truth.people[0]!;
    const theirs = live(fullName).filter((i) => i.assignees.includes(person.key)).map((i) => i.seq).sort((a, b) => a - b);
    const assigned = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", assignee: person.login });
    expect(assigned.map((i) => i.number).sort((a, b) => a - b)).toEqual(theirs);
  });

  it("filters by milestone (sprint) and sorts by comment count", async () => {
    const octokit = sb.octokit();
    const { fullName } = repos()[0]!;
    const sprint = sb.ctx.truth.sprints.find((s) => live(fullName).some((i) => i.sprint === s.key))!;
    const number = sb.ctx.truth.sprints.indexOf(sprint) + 1;
    const inSprint = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", milestone: String(number) });
    expect(inSprint.map((i) => i.number).sort((a, b) => a - b)).toEqual(live(fullName).filter((i) => i.sprint === sprint.key).map((i) => i.seq).sort((a, b) => a - b));
    expect(inSprint.every((i) => i.milestone?.title === sprint.name)).toBe(true);
    const noSprint = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", milestone: "none" });
    expect(noSprint).toHaveLength(live(fullName).filter((i) => i.sprint === null).length);
    const byComments = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", sort: "comments", per_page: 9 });
    const counts = byComments.map((i) => i.comments);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });
});

describe("link header", () => {
  it("is written exactly as GitHub writes it, via /repositories/{id}, keeping other query params", async () => {
    const repo = repos()[0]!;
    const total = live(repo.fullName).length;
    const last = Math.ceil(total / 3);
    const base = `${sb.server.url}/repositories/${repo.id}/issues`;
    const first = await request(`${sb.server.url}/repos/${repo.fullName}/issues?state=all&per_page=3`, { headers: { authorization: `token ${TEST_TOKEN}` } });
    await first.body.dump();
    expect(first.headers.link).toBe(`<${base}?state=all&per_page=3&page=2>; rel="next", <${base}?state=all&per_page=3&page=${last}>; rel="last"`);
    const middle = await request(`${base}?state=all&per_page=3&page=2`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    await middle.body.dump();
    expect(middle.headers.link).toBe(
      `<${base}?state=all&per_page=3&page=1>; rel="prev", <${base}?state=all&per_page=3&page=3>; rel="next", <${base}?state=all&per_page=3&page=${last}>; rel="last", <${base}?state=all&per_page=3&page=1>; rel="first"`,
    );
    const end = await request(`${base}?state=all&per_page=3&page=${last}`, { headers: { authorization: `token ${TEST_TOKEN}` } });
    await end.body.dump();
    expect(end.headers.link).toBe(`<${base}?state=all&per_page=3&page=${last - 1}>; rel="prev", <${base}?state=all&per_page=3&page=1>; rel="first"`);
    const all = await request(`${base}?state=all&per_page=100`, { headers: { authorization: `token ${TEST_TOKEN}` } });
    expect(((await all.body.json()) as unknown[]).length).toBe(total);
    expect(all.headers.link).toBeUndefined();
  });

  it("defaults to 30 per page and caps per_page at 100", async () => {
    const octokit = sb.octokit();
    const { fullName } = repos()[0]!;
    const dflt = await octokit.rest.issues.listForRepo({ ...split(fullName), state: "all" });
    expect(dflt.data.length).toBe(Math.min(30, live(fullName).length));
    const capped = await octokit.rest.issues.listForRepo({ ...split(fullName), state: "all", per_page: 500 });
    expect(capped.data.length).toBe(Math.min(100, live(fullName).length));
  });
});

describe("single issue shape", () => {
  it("renders the GitHub issue fields with second-precision UTC timestamps", async () => {
    const octokit = sb.octokit();
    const item = live(repos()[0]!.fullName).find((i) => i.kind === "issue" && i.labels.length > 0 && i.assignees.length > 0)!;
    const { data } = await octokit.rest.issues.get({ ...split(item.container), issue_number: item.seq });
    for (const key of ["id", "node_id", "url", "repository_url", "labels_url", "comments_url", "events_url", "html_url", "number", "state", "state_reason", "title", "body", "user", "labels", "assignee", "assignees", "milestone", "locked", "comments", "created_at", "updated_at", "closed_at", "author_association"]) {
      expect(data).toHaveProperty(key);
    }
    expect(data.title).toBe(item.title);
    expect(data.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(data.created_at).toBe(new Date(item.createdAt).toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(data.labels.map((l) => (typeof l === "string" ? l : l.name))).toEqual(item.labels);
    expect(data.assignees!.map((a) => a.login)).toEqual(item.assignees.map((k) => sb.ctx.truth.people.find((p) => p.key === k)!.login));
    expect(data.comments).toBe(item.comments.length);
    expect(data.url).toBe(`${sb.server.url}/repos/${item.container}/issues/${item.seq}`);
    expect(Buffer.from(data.node_id, "base64").toString()).toBe(`05:Issue${data.id}`);
  });
});

describe("writes", () => {
  it("creates an issue: 201, Location, and the truth gains it", async () => {
    const octokit = sb.octokit();
    const { fullName } = repos()[0]!;
    const before = sb.ctx.truth.items.github.length;
    const person = sb.ctx.truth.people[1]!;
    const res = await octokit.rest.issues.create({ ...split(fullName), title: "Sandbox-created", body: "hello", labels: ["bug", "brand-new"], assignees: [person.login], milestone: 2 });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${sb.server.url}/repos/${fullName}/issues/${res.data.number}`);
    expect(res.data.state).toBe("open");
    expect(res.data.milestone?.number).toBe(2);
    expect(sb.ctx.truth.items.github.length).toBe(before + 1);
    const item = sb.ctx.truth.items.github.at(-1)!;
    expect([item.seq, item.title, item.labels, item.assignees]).toEqual([res.data.number, "Sandbox-created", ["bug", "brand-new"], [person.key]]);
    const listed = await octokit.paginate(octokit.rest.issues.listForRepo, { ...split(fullName), state: "all", per_page: 100 });
    expect(listed.filter((i) => i.number === res.data.number)).toHaveLength(1);
  });

  it("updates with replace semantics for labels and assignees, and state_reason", async () => {
    const octokit = sb.octokit();
    const { fullName } = repos()[1]!;
    const [a, b] = sb.ctx.truth.people;
    const created = await octokit.rest.issues.create({ ...split(fullName), title: "To be edited", labels: ["bug", "blocked"], assignees: [a!.login] });
    const n = created.data.number;
    const relabeled = await octokit.rest.issues.update({ ...split(fullName), issue_number: n, labels: ["enhancement"], assignees: [b!.login] });
    expect(relabeled.data.labels.map((l) => (typeof l === "string" ? l : l.name))).toEqual(["enhancement"]);
    expect(relabeled.data.assignees!.map((u) => u.login)).toEqual([b!.login]);
    const cleared = await octokit.rest.issues.update({ ...split(fullName), issue_number: n, labels: [], assignees: [] });
    expect([cleared.data.labels, cleared.data.assignees, cleared.data.assignee]).toEqual([[], [], null]);
    const closed = await octokit.rest.issues.update({ ...split(fullName), issue_number: n, state: "closed", state_reason: "not_planned" });
    expect([closed.data.state, closed.data.state_reason]).toEqual(["closed", "not_planned"]);
    expect(closed.data.closed_at).not.toBeNull();
    const item = sb.ctx.truth.items.github.find((i) => i.container === fullName && i.seq === n)!;
    expect(item.status).toBe("cancelled");
    const reopened = await octokit.rest.issues.update({ ...split(fullName), issue_number: n, state: "open" });
    expect([reopened.data.state, reopened.data.state_reason, reopened.data.closed_at]).toEqual(["open", "reopened", null]);
    expect(item.reopenCount).toBe(1);
    const events = await octokit.rest.issues.listEvents({ ...split(fullName), issue_number: n });
    expect(events.data.map((e) => e.event)).toEqual(expect.arrayContaining(["closed", "reopened"]));
  });

  it("adds comments", async () => {
    const octokit = sb.octokit();
    const item = live(repos()[0]!.fullName).find((i) => i.kind === "issue")!;
    const count = item.comments.length;
    const res = await octokit.rest.issues.createComment({ ...split(item.container), issue_number: item.seq, body: "A comment" });
    expect(res.status).toBe(201);
    const all = await octokit.paginate(octokit.rest.issues.listComments, { ...split(item.container), issue_number: item.seq, per_page: 2 });
    expect(all).toHaveLength(count + 1);
    expect(all.at(-1)!.body).toBe("A comment");
    expect(all.at(-1)!.id).toBe(res.data.id);
  });
});

describe("errors", () => {
  it("401 Bad credentials for an unknown token", async () => {
    const err = await sb.octokit("ghp_wrong").rest.repos.get(split(repos()[0]!.fullName)).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401 });
    const raw = await request(`${sb.server.url}/repos/${repos()[0]!.fullName}`, { headers: { authorization: "token ghp_wrong" } });
    expect(raw.statusCode).toBe(401);
    expect(await raw.body.json()).toEqual({ message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
    expect(raw.headers["x-ratelimit-limit"]).toBe("60");
  });

  it("404 Not Found for unknown repos, issues, and private repos asked anonymously; 410 for deleted issues", async () => {
    const octokit = sb.octokit();
    const repo = repos()[0]!.fullName;
    await expect(octokit.rest.repos.get({ owner: "nobody", repo: "nothing" })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.issues.get({ ...split(repo), issue_number: 999_999 })).rejects.toMatchObject({ status: 404 });
    const anonymous = await request(`${sb.server.url}/repos/${repo}/issues`);
    expect(anonymous.statusCode).toBe(404);
    expect(await anonymous.body.json()).toEqual({ message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" });
    const deleted = sb.ctx.truth.items.github.find((i) => i.deletedAt !== null);
    expect(deleted).toBeDefined();
    const gone = await request(`${sb.server.url}/repos/${deleted!.container}/issues/${deleted!.seq}`, { headers: { authorization: `token ${TEST_TOKEN}` } });
    expect(gone.statusCode).toBe(410);
    expect(await gone.body.json()).toEqual({ message: "This issue was deleted", documentation_url: "https://docs.github.com/rest/issues/issues#get-an-issue", status: "410" });
  });

  it("422 Validation Failed for a missing title", async () => {
    const raw = await request(`${sb.server.url}/repos/${repos()[0]!.fullName}/issues`, {
      method: "POST",
      headers: { authorization: `token ${TEST_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ body: "no title" }),
    });
    expect(raw.statusCode).toBe(422);
    expect(await raw.body.json()).toEqual({
      message: "Validation Failed",
      errors: [{ resource: "Issue", code: "missing_field", field: "title" }],
      documentation_url: "https://docs.github.com/rest/issues/issues#create-an-issue",
      status: "422",
    });
    await expect(sb.octokit().rest.issues.create({ ...split(repos()[0]!.fullName), title: "x", assignees: ["no-such-user"] })).rejects.toMatchObject({ status: 422 });
  });

  it("400 Problems parsing JSON", async () => {
    const raw = await request(`${sb.server.url}/repos/${repos()[0]!.fullName}/issues`, { method: "POST", headers: { authorization: `token ${TEST_TOKEN}` }, body: "{not json" });
    expect(raw.statusCode).toBe(400);
    expect(await raw.body.json()).toMatchObject({ message: "Problems parsing JSON" });
  });
});

describe("determinism", () => {
  it("renders byte-identical pages for the same seed and different ones for another seed", async () => {
    // Fresh sandboxes: the shared one above has been written to by earlier tests.
    const [first, again, other] = await Promise.all([startGitHubSandbox({ items: 150 }), startGitHubSandbox({ items: 150 }), startGitHubSandbox({ items: 150, seed: 12 })]);
    try {
      const page = async (box: GitHubSandbox) => {
        const res = await request(`${box.server.url}/repos/${box.ctx.truth.github.repos[0]!.fullName}/issues?state=all&per_page=50&page=2`, { headers: { authorization: `token ${TEST_TOKEN}` } });
        return (await res.body.text()).replaceAll(new URL(box.server.url).origin, "ORIGIN");
      };
      const [a, b, c] = await Promise.all([page(first), page(again), page(other)]);
      expect(a.length).toBeGreaterThan(1000);
      expect(b).toBe(a);
      expect(c).not.toBe(a);
    } finally {
      await Promise.all([first.close(), again.close(), other.close()]);
    }
  });
});

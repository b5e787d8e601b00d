import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { slimIssue } from "./normalise.js";
import type { GhIssue } from "./wire.js";

/** What slimIssue promises, written the slow, obvious way: the JSON without hypermedia keys at any depth. */
function reference(issue: unknown): unknown {
  const hypermedia = (key: string) => key !== "html_url" && key !== "parent_issue_url" && (key.endsWith("_url") || key === "node_id" || key === "reactions" || key === "url" || key === "gravatar_id");
  return JSON.parse(JSON.stringify(issue, (key, value) => (hypermedia(key) ? undefined : value)));
}

describe("slimIssue", () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 11, itemsPerPlatform: 200 });
  });
  afterAll(() => sandbox.close());

  it("keeps exactly what the JSON round trip without hypermedia keeps, for every issue and PR the API lists", async () => {
    const repo = sandbox.truth.github.repos[0]!.fullName;
    const res = await fetch(`${sandbox.urls.github}/repos/${repo}/issues?state=all&per_page=100`, { headers: { authorization: `Bearer ${sandbox.credentials.githubToken}` } });
    const issues = (await res.json()) as GhIssue[];
    expect(issues.length).toBeGreaterThan(10);
    expect(issues.some((i) => i.pull_request)).toBe(true);
    for (const issue of issues) {
      const slim = slimIssue(issue);
      expect(slim).toEqual(reference(issue));
      expect(JSON.stringify(slim)).toBe(JSON.stringify(reference(issue))); // key order too
      expect(slim.html_url).toBe(issue.html_url);
      expect(JSON.stringify(slim)).not.toMatch(/"(node_id|reactions|url|gravatar_id|(?!html_url|parent_issue_url)\w+_url)":/);
    }
  });

  it("drops hypermedia nested in arrays and objects, and leaves the input untouched", () => {
    const issue = { number: 1, html_url: "h", node_id: "n", labels: [{ name: "bug", url: "u", color: "f00" }], user: { login: "ada", avatar_url: "a", html_url: "p" }, reactions: { total_count: 1 }, milestone: null, pull_request: { url: "u", html_url: "p", merged_at: null } } as unknown as GhIssue;
    const before = JSON.stringify(issue);
    expect(slimIssue(issue)).toEqual({ number: 1, html_url: "h", labels: [{ name: "bug", color: "f00" }], user: { login: "ada", html_url: "p" }, milestone: null, pull_request: { html_url: "p", merged_at: null } });
    expect(JSON.stringify(issue)).toBe(before);
  });
});

import { describe, expect, it } from "vitest";
import { endpointPattern, quotaHeaders, SECONDARY_LIMIT_WAIT_MS } from "./octokit-budget.js";

describe("quotaHeaders", () => {
  it("reads GitHub's primary-limit headers (reset in epoch seconds)", () => {
    expect(quotaHeaders(200, { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4990", "x-ratelimit-reset": "1700000000" })).toEqual({ limit: 5000, remaining: 4990, resetAt: 1_700_000_000_000 });
  });

  it("takes a refusal's Retry-After, and ignores one on a success", () => {
    expect(quotaHeaders(429, { "retry-after": "7" }).retryAfterMs).toBe(7_000);
    expect(quotaHeaders(403, { "retry-after": "3", "x-ratelimit-remaining": "12" }).retryAfterMs).toBe(3_000);
    expect(quotaHeaders(200, { "retry-after": "7" }).retryAfterMs).toBeUndefined();
  });

  it("waits a minute on a secondary-limit 403 that names no Retry-After, and not on other 403s", () => {
    const secondary = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };
    expect(quotaHeaders(403, { "x-ratelimit-remaining": "4000" }, secondary).retryAfterMs).toBe(SECONDARY_LIMIT_WAIT_MS);
    expect(quotaHeaders(403, { "x-ratelimit-remaining": "4000" }, { message: "Resource not accessible by integration" }).retryAfterMs).toBeUndefined();
    // Primary exhaustion is timed by its reset, not by a guessed minute.
    expect(quotaHeaders(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000" }, { message: "API rate limit exceeded" })).toEqual({ remaining: 0, resetAt: 1_700_000_000_000 });
  });
});

describe("endpointPattern", () => {
  it("keeps metric labels low-cardinality for templates and followed links alike", () => {
    expect(endpointPattern("GET", "/repos/{owner}/{repo}/issues/{issue_number}/timeline")).toBe("GET /repos/:owner/:repo/issues/:n/timeline");
    expect(endpointPattern("GET", "https://ghe.example/api/v3/repositories/42/issues?page=3")).toBe("GET /repos/:owner/:repo/issues");
    expect(endpointPattern("GET", "http://127.0.0.1:9/repos/acme/web/issues/17/timeline?per_page=100")).toBe("GET /repos/:owner/:repo/issues/:n/timeline");
  });
});

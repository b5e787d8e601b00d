import { describe, expect, it } from "vitest";
import { quotaHeaders } from "./rate-headers.js";

describe("ClickUp rate-limit headers", () => {
  const now = 1_700_000_000_000;
  it("reads the reset in seconds or in milliseconds", () => {
    expect(quotaHeaders(200, { "x-ratelimit-limit": "100", "x-ratelimit-remaining": "7", "x-ratelimit-reset": "1700000030" }, now)).toEqual({ limit: 100, remaining: 7, resetAt: now + 30_000 });
    expect(quotaHeaders(200, { "x-ratelimit-reset": String(now + 5_000) }, now).resetAt).toBe(now + 5_000);
  });

  it("turns a 429 into a wait: Retry-After when sent, else until the reset", () => {
    expect(quotaHeaders(429, { "retry-after": "3", "x-ratelimit-reset": "1700000030" }, now).retryAfterMs).toBe(3_000);
    expect(quotaHeaders(429, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000010" }, now).retryAfterMs).toBe(10_000);
  });
});

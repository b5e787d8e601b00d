import { describe, expect, it } from "vitest";
import { MalformedResponseError, PlatformHttpError, isRecoverable, toJobFailure } from "./http-failure.js";

describe("failure classification (the seed's rules)", () => {
  it("retries 429, 5xx, resets, timeouts, malformed bodies and rate-limit 403s", () => {
    expect(isRecoverable(new PlatformHttpError("clickup", 429, "GET /task", "{}", 1_000))).toBe(true);
    expect(isRecoverable(new PlatformHttpError("plane", 502, "GET /x", ""))).toBe(true);
    expect(isRecoverable(new PlatformHttpError("github", 403, "GET /repos", '{"message":"API rate limit exceeded for user"}'))).toBe(true);
    expect(isRecoverable(new PlatformHttpError("github", 403, "POST /issues", "{}", 60_000))).toBe(true);
    expect(isRecoverable(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRecoverable(new MalformedResponseError("plane", "GET /x", new SyntaxError("Unexpected end")))).toBe(true);
  });

  it("fails fast on bad credentials, missing containers and other 4xx, naming what to fix", () => {
    const bad = toJobFailure(new PlatformHttpError("github", 401, "GET /user", "{}"), { credentialEnv: "GITHUB_TOKEN" });
    expect(bad).toMatchObject({ code: "bad_credentials", nonRetryable: true });
    expect(bad.message).toContain("GITHUB_TOKEN");
    const missing = toJobFailure(new PlatformHttpError("clickup", 404, "GET /list/9", "{}"), { container: "list 9" });
    expect(missing).toMatchObject({ code: "container_not_found", nonRetryable: true });
    expect(missing.message).toContain("list 9");
    expect(toJobFailure(new PlatformHttpError("github", 403, "GET /repos/a/b", '{"message":"Resource not accessible"}'))).toMatchObject({ code: "forbidden", nonRetryable: true });
    expect(toJobFailure(new PlatformHttpError("plane", 422, "POST /x", "{}"))).toMatchObject({ code: "http_422", nonRetryable: true });
    expect(toJobFailure(new PlatformHttpError("github", 403, "GET /x", "API rate limit exceeded"))).toMatchObject({ code: "rate_limited", nonRetryable: false });
  });
});

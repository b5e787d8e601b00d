import { afterEach, describe, expect, it } from "vitest";
import { startPlaneSandbox, TEST_API_KEY, type PlaneSandbox } from "./test-sandbox.js";

let sb: PlaneSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe("Plane authentication", () => {
  it("answers a missing key with 401 and a wrong one with 403, in DRF's words, without spending quota", async () => {
    sb = await startPlaneSandbox({ rateLimitPerMinute: 60 });
    const missing = await sb.call("GET", "/api/v1/users/me/", { headers: { "X-API-Key": "" } });
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ detail: "Authentication credentials were not provided." });
    expect(missing.headers["x-ratelimit-remaining"]).toBeUndefined();
    const wrong = await sb.call("GET", "/api/v1/users/me/", { headers: { "X-API-Key": "plane_api_wrong" } });
    expect(wrong.status).toBe(403);
    expect(wrong.json).toEqual({ detail: "Given API token is not valid" });
    const ok = await sb.call("GET", "/api/v1/users/me/");
    expect(ok.status).toBe(200);
    expect(ok.headers["x-ratelimit-remaining"]).toBe("59");
  });

  it("refuses unknown workspaces and projects with the permission message, and non-UUID ids as unknown URLs", async () => {
    sb = await startPlaneSandbox();
    const slug = await sb.call("GET", "/api/v1/workspaces/elsewhere/members/");
    expect(slug.status).toBe(403);
    expect(slug.json).toEqual({ detail: "You do not have permission to perform this action." });
    const project = await sb.call("GET", `/api/v1/workspaces/${sb.slug}/projects/00000000-0000-4000-8000-000000000000/work-items/`);
    expect(project.status).toBe(403);
    const notUuid = await sb.call("GET", `/api/v1/workspaces/${sb.slug}/projects/not-a-uuid/work-items/`);
    expect(notUuid.status).toBe(404);
    expect(notUuid.json).toEqual({ error: "Page not found." });
    const put = await sb.call("PUT", `/api/v1/workspaces/${sb.slug}/projects/${sb.projectId}/work-items/`, { body: {} });
    expect(put.status).toBe(405);
    expect(put.json).toEqual({ detail: 'Method "PUT" not allowed.' });
  });

  it("lets only the creator or an admin delete", async () => {
    sb = await startPlaneSandbox({ userKey: "p2" });
    const user = sb.ctx.truth.people.find((p) => p.key === "p2");
    expect(user).toBeDefined();
    const foreign = sb.ctx.truth.items.plane.find((i) => i.container === sb!.projectId && i.deletedAt === null && i.creator !== "p2")!;
    const answer = await sb.call("DELETE", `/api/v1/workspaces/${sb.slug}/projects/${sb.projectId}/work-items/${foreign.id}/`);
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ error: "Only admin or creator can delete the work item" });
    expect(foreign.deletedAt).toBeNull();
  });
});

describe("Plane answers to injected faults", () => {
  it("speaks Plane's dialect for kit-made 429, 500, expired token and unknown URLs", async () => {
    sb = await startPlaneSandbox({ timeScale: 60 });
    sb.faults.add({ kind: "rate_limit", count: 1 });
    const limited = await sb.call("GET", "/api/v1/users/me/");
    expect(limited.status).toBe(429);
    expect(limited.json).toEqual({ error_code: 5900, error_message: "RATE_LIMIT_EXCEEDED" });
    expect(limited.headers["retry-after"]).toBe("1");
    sb.faults.add({ kind: "server_error", count: 1 });
    const broken = await sb.call("GET", "/api/v1/users/me/");
    expect(broken.status).toBe(500);
    expect(broken.json).toEqual({ error: "Something went wrong please try again later" });
    sb.faults.add({ kind: "expired_token", count: 1 });
    const expired = await sb.call("GET", "/api/v1/users/me/");
    expect(expired.status).toBe(403);
    expect(expired.json).toEqual({ detail: "Given API token is not valid" });
    const item = sb.ctx.truth.items.plane.find((i) => i.container === sb!.projectId && i.deletedAt === null)!;
    const badJson = await sb.call("PATCH", `/api/v1/workspaces/${sb.slug}/projects/${sb.projectId}/work-items/${item.id}/`, { body: "{nope" });
    expect(badJson.status).toBe(400);
    expect(badJson.json.detail).toMatch(/^JSON parse error - /);
    expect(badJson.headers["x-ratelimit-remaining"]).toBeDefined();
  });
});

describe("Plane trailing slashes", () => {
  it("redirects a slash-less path with 301 (query kept, no auth needed) and 404s unknown paths", async () => {
    sb = await startPlaneSandbox();
    const path = `/api/v1/workspaces/${sb.slug}/projects/${sb.projectId}/work-items`;
    for (const method of ["GET", "POST", "PATCH"]) {
      const answer = await sb.call(method, `${path}?per_page=5`, { headers: { "X-API-Key": "" } });
      expect(answer.status).toBe(301);
      expect(answer.headers.location).toBe(`${path}/?per_page=5`);
    }
    const unknown = await sb.call("GET", "/api/v1/workspaces/nowhere/");
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: "Page not found." });
    const notUuid = await sb.call("GET", `/api/v1/workspaces/${sb.slug}/projects/xyz`);
    expect(notUuid.status).toBe(404);
  });
});

describe("Plane throttle", () => {
  it("counts down X-RateLimit-Remaining, sends no Limit header, then 429s with Plane's body until the window passes", async () => {
    sb = await startPlaneSandbox({ rateLimitPerMinute: 5, timeScale: 60 });
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await sb.call("GET", "/api/v1/users/me/");
      expect(answer.status).toBe(200);
      expect(answer.headers["x-ratelimit-limit"]).toBeUndefined();
      expect(Number(answer.headers["x-ratelimit-reset"])).toBeGreaterThan(0);
      remaining.push(answer.headers["x-ratelimit-remaining"]!);
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
    const refused = await sb.call("GET", "/api/v1/users/me/");
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({ error_code: 5900, error_message: "RATE_LIMIT_EXCEEDED" });
    expect(refused.headers["retry-after"]).toBe("1"); // ≤ 60 sandbox seconds at ×60 = 1 real second
    expect(refused.headers["x-ratelimit-remaining"]).toBeUndefined();
    // Authentication runs before the throttle: a bad key is still told so, not throttled.
    const other = await sb.call("GET", "/api/v1/users/me/", { headers: { "X-API-Key": "plane_api_wrong" } });
    expect(other.status).toBe(403);

    sb.ctx.clock.advance(60_000);
    const recovered = await sb.call("GET", "/api/v1/users/me/");
    expect(recovered.status).toBe(200);
    expect(recovered.headers["x-ratelimit-remaining"]).toBe("4");
    expect(sb.dialect.rateLimitStatus!()).toEqual({ limitPerMinute: 5, keys: { [TEST_API_KEY]: { allowed: 6, throttled: 1 } } });
  });

  it("recovers in real time once the scaled window has passed", async () => {
    sb = await startPlaneSandbox({ rateLimitPerMinute: 2, timeScale: 600 }); // a minute lasts 100 ms
    let refusedOnce = false;
    let status = 0;
    for (let attempt = 0; attempt < 200 && !(refusedOnce && status === 200); attempt++) {
      status = (await sb.call("GET", "/api/v1/users/me/")).status;
      if (status === 429) refusedOnce = true;
      if (refusedOnce && status === 429) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refusedOnce).toBe(true);
    expect(status).toBe(200);
  });
});

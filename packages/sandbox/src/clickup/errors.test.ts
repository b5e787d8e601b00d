import { afterEach, describe, expect, it } from "vitest";
import { type ClickUpSandbox, liveItems, startClickUp, TEST_TOKEN } from "./testing/start-clickup.js";

let sb: ClickUpSandbox;
afterEach(() => sb.close());

describe("errors as ClickUp sends them", () => {
  it("401 OAUTH_017 without Authorization, 401 OAUTH_025 for an unknown token, none of them with 'Bearer'", async () => {
    sb = await startClickUp();
    const missing = await fetch(`${sb.server.url}/team`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ err: "Authorization header required", ECODE: "OAUTH_017" });
    for (const authorization of ["pk_0_WRONG", `Bearer ${TEST_TOKEN}`]) {
      const res = await sb.call("/team", { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ err: "Token invalid", ECODE: "OAUTH_025" });
    }
    expect((await sb.call("/team")).status).toBe(200);
  });

  it("404 TASK_001 for a missing or deleted task, 404 ITEM_015 for a missing list, 401 OAUTH_027 for another team", async () => {
    sb = await startClickUp();
    const missing = await sb.call("/task/86zzzzzzz");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ err: "Task not found", ECODE: "TASK_001" });
    const deleted = sb.ctx.truth.items.clickup.find((i) => i.deletedAt !== null) ?? (() => {
      const item = liveItems(sb.ctx)[0]!;
      item.deletedAt = item.updatedAt;
      return item;
    })();
    expect((await sb.call(`/task/${deleted.id}`)).status).toBe(404);
    const list = await sb.call("/list/1/task");
    expect(list.status).toBe(404);
    expect(await list.json()).toEqual({ err: "List not found", ECODE: "ITEM_015" });
    const team = await sb.call("/team/123/task");
    expect(team.status).toBe(401);
    expect(await team.json()).toEqual({ err: "Team not authorized", ECODE: "OAUTH_027" });
  });

  it("400 {err, ECODE} for malformed JSON and invalid fields; the task is left unchanged", async () => {
    sb = await startClickUp();
    const item = liveItems(sb.ctx)[0]!;
    const before = structuredClone(item);
    const badJson = await sb.call(`/task/${item.id}`, { method: "PUT", body: '{"name": "x"' });
    expect(badJson.status).toBe(400);
    const body = (await badJson.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["ECODE", "err"]);
    for (const bad of [{ priority: 7 }, { status: "no such status" }, { name: "" }, { assignees: [1] }, { assignees: { add: [42] } }, { name: "ok", due_date: "soon" }]) {
      const res = await sb.call(`/task/${item.id}`, { method: "PUT", body: JSON.stringify(bad) });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(Object.keys((await res.json()) as object).sort()).toEqual(["ECODE", "err"]);
    }
    expect(item).toEqual(before);
    const noName = await sb.call(`/list/${item.container}/task`, { method: "POST", body: JSON.stringify({ description: "x" }) });
    expect(noName.status).toBe(400);
  });

  it("unknown routes get a 404 HTML page, as ClickUp's framework answers", async () => {
    sb = await startClickUp();
    const res = await sb.call("/no/such/route", { method: "PUT" });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("Cannot PUT /api/v2/no/such/route");
  });

  it("fault injection speaks ClickUp: expired token → 401 OAUTH_025, 5xx → {err, ECODE}, rate_limit → 429 APP_002", async () => {
    sb = await startClickUp();
    sb.server.faults.add({ kind: "expired_token", count: 1 });
    const expired = await sb.call("/team");
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ err: "Token invalid", ECODE: "OAUTH_025" });
    sb.server.faults.add({ kind: "server_error", count: 1 });
    const boom = await sb.call("/team");
    expect(boom.status).toBe(500);
    expect(await boom.json()).toMatchObject({ ECODE: "APP_001" });
    sb.server.faults.add({ kind: "rate_limit", count: 1 });
    const limited = await sb.call("/team");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await limited.json()).toEqual({ err: "Rate limit reached", ECODE: "APP_002" });
  });
});

describe("rate limit: 100/min per token by default", () => {
  it("X-RateLimit-* count down on every answer, 429 APP_002 when exhausted, reset after the window", async () => {
    sb = await startClickUp({ requestsPerMinute: 5 });
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await sb.call(i % 2 ? "/team" : "/task/86zzzzzzz"); // error answers spend quota too
      expect(res.headers.get("x-ratelimit-limit")).toBe("5");
      expect(Number(res.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
      remaining.push(res.headers.get("x-ratelimit-remaining")!);
    }
    expect(remaining).toEqual(["4", "3", "2", "1", "0"]);
    const limited = await sb.call("/team");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await limited.json()).toEqual({ err: "Rate limit reached", ECODE: "APP_002" });
    sb.ctx.clock.advance(60_000); // one sandbox minute: the window is over
    const after = await sb.call("/team");
    expect(after.status).toBe(200);
    expect(after.headers.get("x-ratelimit-remaining")).toBe("4");
  });

  it("the window is a sandbox minute: at timeScale 6000 it lasts 10 real ms", async () => {
    sb = await startClickUp({ requestsPerMinute: 1, timeScale: 6_000 });
    const first = await sb.call("/team");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("0");
    // Ask until the scaled window has passed: no wall-clock assertion, only that a fresh window opens.
    let res = first;
    for (let i = 0; i < 1_000 && (res === first || res.status === 429); i++) res = await sb.call("/team");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("defaults to 100 requests per minute", async () => {
    sb = await startClickUp({ requestsPerMinute: "default" });
    const res = await sb.call("/team");
    expect(res.headers.get("x-ratelimit-limit")).toBe("100");
    expect(res.headers.get("x-ratelimit-remaining")).toBe("99");
  });
});

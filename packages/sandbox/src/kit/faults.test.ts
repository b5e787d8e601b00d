import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FaultInjector } from "./faults.js";
import { readJson, startFakeSandbox, type FakeSandbox } from "./testing/fake-sandbox.js";

describe("FaultInjector", () => {
  it("applies count rules to exactly the next N matching requests", () => {
    const f = new FaultInjector(1, "t");
    f.add({ kind: "server_error", count: 2, match: "POST " });
    expect(f.decide("GET /a")).toBeNull();
    expect(f.decide("POST /a")?.kind).toBe("server_error");
    expect(f.decide("POST /b")?.kind).toBe("server_error");
    expect(f.decide("POST /c")).toBeNull();
    expect(f.applied()).toEqual({ server_error: 2 });
    expect(f.list()[0]).toMatchObject({ applied: 2, remaining: 0 });
  });

  it("applies rate rules from a seeded stream: same seed, same pattern; roughly the rate", () => {
    const pattern = (seed: number) => {
      const f = new FaultInjector(seed, "t");
      f.add({ kind: "rate_limit", rate: 0.3 });
      return Array.from({ length: 400 }, () => (f.decide("GET /x") ? 1 : 0)).join("");
    };
    expect(pattern(5)).toBe(pattern(5));
    expect(pattern(5)).not.toBe(pattern(6));
    const hits = [...pattern(5)].filter((c) => c === "1").length;
    expect(hits).toBeGreaterThan(80);
    expect(hits).toBeLessThan(160);
  });

  it("matches by regular expression source too, and rejects rules without rate or count", () => {
    const f = new FaultInjector(1, "t");
    f.add({ kind: "slow", count: 1, match: "^GET /items/[^/]+$" });
    expect(f.decide("GET /items")).toBeNull();
    expect(f.decide("GET /items/42")?.kind).toBe("slow");
    expect(() => f.add({ kind: "slow" })).toThrow(RangeError);
    expect(() => f.add({ kind: "slow", rate: 2 })).toThrow(RangeError);
  });
});

describe("fault kinds over HTTP", () => {
  let sb: FakeSandbox;
  beforeEach(async () => {
    sb = await startFakeSandbox();
  });
  afterEach(async () => {
    await sb.server.close();
  });

  it("rate_limit answers with the dialect's rate-limited response", async () => {
    sb.server.faults.add({ kind: "rate_limit", count: 1 });
    const res = await sb.call("/items");
    expect(res.status).toBe(429);
    expect(await readJson(res)).toEqual({ fake_error: "rate_limited" });
    expect((await sb.call("/items")).status).toBe(200);
  });

  it("server_error uses the dialect's body and the rule's status", async () => {
    sb.server.faults.add({ kind: "server_error", count: 1, status: 503 });
    const res = await sb.call("/items");
    expect(res.status).toBe(503);
    expect(await readJson(res)).toEqual({ fake_error: "server_error" });
  });

  it("expired_token answers as for a revoked credential even with a good token", async () => {
    sb.server.faults.add({ kind: "expired_token", count: 1 });
    const res = await sb.call("/items");
    expect(res.status).toBe(401);
    expect(await readJson(res)).toEqual({ fake_error: "expired_token" });
  });

  it("slow delays and then answers normally", async () => {
    sb.server.faults.add({ kind: "slow", count: 1, delayMs: 30 });
    const res = await sb.call("/items");
    expect(res.status).toBe(200);
    expect(Array.isArray(await readJson(res))).toBe(true);
    expect(sb.server.log.list().at(-1)).toMatchObject({ fault: "slow", status: 200 });
  });

  it("reset destroys the connection without an answer", async () => {
    sb.server.faults.add({ kind: "reset", count: 1 });
    await expect(sb.call("/items")).rejects.toThrow();
    expect(sb.server.log.list().at(-1)).toMatchObject({ fault: "reset", status: 0 });
    expect((await sb.call("/items")).status).toBe(200);
  });

  it("malformed sends 200 with truncated JSON", async () => {
    sb.server.faults.add({ kind: "malformed", count: 1 });
    const res = await sb.call("/items");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(text.length).toBeGreaterThan(0);
  });

  it("counts every application per kind, visible in the control counters", async () => {
    for (const kind of ["rate_limit", "server_error", "slow", "reset", "malformed", "expired_token"] as const) {
      sb.server.faults.add({ kind, count: 1, delayMs: 1 });
    }
    for (let i = 0; i < 7; i++) await sb.call("/items").catch(() => undefined);
    const counters = await readJson(sb.control("/_sandbox/counters"));
    expect(counters.github.faultsApplied).toEqual({ rate_limit: 1, server_error: 1, slow: 1, reset: 1, malformed: 1, expired_token: 1 });
    expect(counters.github.requests.total).toBe(7);
  });
});

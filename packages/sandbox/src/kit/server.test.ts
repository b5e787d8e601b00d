import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXPIRED_TOKEN } from "./testing/fake-dialect.js";
import { startFakeSandbox, type FakeSandbox } from "./testing/fake-sandbox.js";

let sb: FakeSandbox;
beforeEach(async () => {
  sb = await startFakeSandbox({ bodyLimitBytes: 1024 });
});
afterEach(async () => {
  await sb.server.close();
});

function firstKey(): string {
  const item = sb.ctx.truth.items.github.find((i) => i.deletedAt === null)!;
  return `${item.container}#${item.id}`;
}

describe("startPlatformServer", () => {
  it("serves below the dialect prefix and fills :params (decoded)", async () => {
    const key = firstKey();
    const res = await sb.call(`/items/${encodeURIComponent(key)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-fake")).toBe("1");
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toMatchObject({ key });
  });

  it("keeps a trailing slash significant", async () => {
    expect(await (await sb.call("/items/")).json()).toEqual({ slash: true });
    expect(Array.isArray(await (await sb.call("/items")).json())).toBe(true);
  });

  it("answers unknown paths, wrong methods and paths outside the prefix with the dialect's 404", async () => {
    for (const res of [await sb.call("/nope"), await sb.call("/items", { method: "DELETE" }), await fetch(`${new URL(sb.server.url).origin}/elsewhere`, { headers: { authorization: "Bearer good-token" } })]) {
      expect(res.status).toBe(404);
      expect(res.headers.get("x-fake-error")).toBe("not_found");
      expect(await res.json()).toEqual({ fake_error: "not_found" });
    }
  });

  it("authenticates before the handler with the dialect's own answer", async () => {
    const none = await sb.call("/items", { headers: { authorization: "" } });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ fake_error: "unauthorized" });
    const expired = await sb.call("/items", { headers: { authorization: `Bearer ${EXPIRED_TOKEN}` } });
    expect(await expired.json()).toEqual({ fake_error: "expired" });
  });

  it("answers malformed JSON with the dialect's bad_json and passes the raw body to handlers", async () => {
    const bad = await sb.call("/echo", { method: "POST", body: "{nope" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ fake_error: "bad_json" });
    const good = await sb.call("/echo", { method: "POST", body: JSON.stringify({ a: [1, 2] }) });
    expect(good.status).toBe(201);
    expect(await good.json()).toEqual({ got: { a: [1, 2] } });
  });

  it("refuses bodies over the limit with 413 in the dialect's shape", async () => {
    const res = await sb.call("/echo", { method: "POST", body: JSON.stringify({ pad: "x".repeat(2000) }) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ fake_error: "bad_json" });
  });

  it("turns a throwing handler into the dialect's 500", async () => {
    const res = await sb.call("/boom");
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ fake_error: "server_error" });
  });

  it("counts requests per METHOD pattern and status and logs them", async () => {
    await sb.call(`/items/${encodeURIComponent(firstKey())}`);
    await sb.call(`/items/${encodeURIComponent("nobody#0")}`);
    await sb.call("/items");
    await sb.call("/missing");
    const counters = sb.server.log.snapshot();
    expect(counters.total).toBe(4);
    expect(counters.endpoints["GET /items/:key"]).toEqual({ requests: 2, byStatus: { "200": 1, "404": 1 } });
    expect(counters.endpoints["GET /items"]).toEqual({ requests: 1, byStatus: { "200": 1 } });
    expect(counters.endpoints["GET (unmatched)"]).toEqual({ requests: 1, byStatus: { "404": 1 } });
    expect(sb.server.log.list().map((e) => e.url)).toContain("/api/fake/missing");
  });
});

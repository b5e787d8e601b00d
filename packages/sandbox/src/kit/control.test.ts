import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { serializeTruth } from "../truth/ground-truth.js";
import { readJson, startFakeSandbox, type FakeSandbox } from "./testing/fake-sandbox.js";

let sb: FakeSandbox;
beforeEach(async () => {
  sb = await startFakeSandbox();
});
afterEach(async () => {
  await sb.server.close();
});

const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body) });

describe("control API over HTTP", () => {
  it("adds, lists and deletes fault rules", async () => {
    const created = await sb.control("/_sandbox/faults", post({ kind: "server_error", count: 1, status: 502 }));
    expect(created.status).toBe(201);
    const rule = await readJson(created);
    expect(rule).toMatchObject({ kind: "server_error", count: 1, id: expect.any(String) });
    expect((await sb.call("/items")).status).toBe(502);
    expect((await readJson(sb.control("/_sandbox/faults"))).faults).toHaveLength(1);
    expect(await readJson(sb.control(`/_sandbox/faults?id=${rule.id}`, { method: "DELETE" }))).toEqual({ removed: 1 });
    expect((await readJson(sb.control("/_sandbox/faults"))).faults).toHaveLength(0);
  });

  it("rejects invalid rules and bodies with 400", async () => {
    expect((await sb.control("/_sandbox/faults", post({ kind: "slow" }))).status).toBe(400);
    expect((await sb.control("/_sandbox/faults", post({ kind: "explode", count: 1 }))).status).toBe(400);
    expect((await sb.control("/_sandbox/faults", { method: "POST", body: "{" })).status).toBe(400);
    expect((await sb.control("/_sandbox/nothing")).status).toBe(404);
  });

  it("returns the request log and counters", async () => {
    await sb.call("/items");
    await sb.call("/items/x%23y");
    const log = await readJson(sb.control("/_sandbox/requests?limit=1"));
    expect(log.requests).toHaveLength(1);
    expect(log.requests[0]).toMatchObject({ method: "GET", pattern: "/items/:key", status: 404 });
    const counters = await readJson(sb.control("/_sandbox/counters"));
    expect(counters.github.requests.endpoints["GET /items"]).toEqual({ requests: 1, byStatus: { "200": 1 } });
  });

  it("mutates an item keeping its invariants, and emits changes", async () => {
    const item = sb.ctx.truth.items.github.find((i) => i.deletedAt === null && i.status !== "done")!;
    const res = await sb.control("/_sandbox/mutate", post({ id: item.id, container: item.container, status: "done", comment: "shipped", fields: { title: "Renamed" } }));
    expect(res.status).toBe(200);
    const { changes } = await readJson(res);
    expect(changes.map((c: { kind: string }) => c.kind)).toEqual(["updated", "status_changed", "comment_added"]);
    expect(item).toMatchObject({ status: "done", title: "Renamed" });
    expect(item.closedAt).toBe(item.transitions.at(-1)!.at);
    expect(item.comments.at(-1)!.body).toBe("shipped");
    expect(item.updatedAt).toBeGreaterThanOrEqual(item.closedAt!);
    expect((await sb.control("/_sandbox/mutate", post({ id: "no-such-item" }))).status).toBe(404);
  });

  it("serves the canonical ground truth", async () => {
    const res = await sb.control("/_sandbox/truth");
    expect(await res.text()).toBe(serializeTruth(sb.ctx.truth));
  });

  it("advances the clock", async () => {
    const before = sb.ctx.now();
    const { now } = await readJson(sb.control("/_sandbox/clock", post({ advanceMs: 3_600_000 })));
    expect(now - before).toBeGreaterThanOrEqual(3_600_000);
  });

  it("reset clears logs, faults and webhooks", async () => {
    await sb.call("/items");
    await sb.control("/_sandbox/faults", post({ kind: "slow", rate: 0.5 }));
    await sb.control("/_sandbox/webhooks", post({ url: "http://127.0.0.1:9/hook", secret: "s" }));
    expect((await sb.control("/_sandbox/reset", { method: "POST" })).status).toBe(204);
    expect(sb.server.log.snapshot().total).toBe(0);
    expect(sb.server.faults.list()).toEqual([]);
    expect((await readJson(sb.control("/_sandbox/webhooks"))).registrations).toEqual([]);
  });
});

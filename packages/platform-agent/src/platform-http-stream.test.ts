import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Registry } from "prom-client";
import { AgentMetrics } from "./agent-metrics.js";
import { streamJsonItems } from "./json-item-stream.js";
import { PlatformHttp } from "./platform-http.js";
import type { SharedRateBudget } from "./rate-budget.js";

const entries = Array.from({ length: 2000 }, (_, i) => ({ id: `e${i}`, task: { id: `t${i % 10}` }, duration: 1000 }));
const good = JSON.stringify({ data: entries });

/** Answers the n-th request with `script[n]`: the whole body, a body cut off by a reset, or a body that is not JSON. */
function serve(script: ("good" | "cut" | "bad")[]) {
  let n = 0;
  const server = createServer((_req, res) => {
    const what = script[Math.min(n++, script.length - 1)];
    res.writeHead(200, { "content-type": "application/json" });
    if (what === "good") res.end(good);
    else if (what === "bad") res.end(`${good.slice(0, 5000)}}}not json`);
    else {
      res.write(good.slice(0, 20_000));
      setTimeout(() => res.destroy(), 20);
    }
  });
  return { server, requests: () => n };
}

const noBudget = { acquire: async () => undefined, report: async () => undefined } as unknown as SharedRateBudget;

/** Sums each attempt's entries by task, as a collector that must not count a retried attempt twice. */
const sumByTask = async (body: AsyncIterable<Uint8Array>) => {
  const byTask = new Map<string, number>();
  await streamJsonItems(body, "data", (e) => {
    const { task, duration } = e as { task: { id: string }; duration: number };
    byTask.set(task.id, (byTask.get(task.id) ?? 0) + duration);
  });
  return byTask;
};

describe("PlatformHttp: bodies read as they stream in", () => {
  let served: ReturnType<typeof serve>;
  let http: PlatformHttp;
  let registry: Registry;
  beforeAll(async () => {
    served = serve(["cut", "bad", "good"]);
    await new Promise<void>((r) => served.server.listen(0, "127.0.0.1", r));
    registry = new Registry();
    http = new PlatformHttp({
      platform: "test",
      baseUrl: `http://127.0.0.1:${(served.server.address() as AddressInfo).port}`,
      headers: {},
      budget: noBudget,
      metrics: new AgentMetrics("test", registry),
      quota: () => ({}),
      retry: { retries: 4, minTimeoutMs: 1, maxTimeoutMs: 5 },
      timeoutMs: 5_000,
    });
  });
  afterAll(async () => {
    await http.close();
    await new Promise((r) => (served.server as Server).close(r));
  });

  it("retries a body cut off mid-way and one that is not JSON, and the result is the good attempt's alone", async () => {
    const answer = await http.call<Map<string, number>>({ endpoint: "GET /entries", url: "/entries", stream: sumByTask });
    expect(served.requests()).toBe(3);
    // 2,000 entries of 1 s over 10 tasks: 200 s each, not more (the failed attempts' entries are not counted).
    expect([...answer.body.values()]).toEqual(Array(10).fill(200_000));
    const metrics = await registry.getMetricsAsJSON();
    const retries = metrics.find((m) => m.name.endsWith("retries_total"))?.values.reduce((a, v) => a + v.value, 0);
    expect(retries).toBe(2);
  });
});

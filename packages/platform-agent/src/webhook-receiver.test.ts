import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Stream, type PlatformEvent } from "@pmo/contracts";
import { HealthServer, ServiceMetrics, createLogger, ensureTopology, type Topology } from "@pmo/runtime";
import { startNatsServer, type NatsServer } from "../../../test/harness/nats-server.js";
import { constantTimeEqual, WebhookReceiver, type WebhookAdapter } from "./webhook-receiver.js";

const SECRET = "s3cret";
const sign = (body: string | Buffer, secret = SECRET) => createHmac("sha256", secret).update(body).digest("hex");

/** A minimal dialect: hex HMAC in `X-Test-Signature`, one event per delivery, id from `X-Test-Delivery`. */
const adapter: WebhookAdapter = {
  signatureHeader: "X-Test-Signature",
  verify: (raw, headers, secret) => constantTimeEqual(String(headers["x-test-signature"]), sign(raw, secret)),
  normalise: (payload, headers, at): PlatformEvent[] => {
    const p = payload as { task?: string; kind?: string };
    if (p.kind === "ping") return [];
    return [{ id: String(headers["x-test-delivery"]), platform: "clickup", type: "status.changed", itemRef: { platform: "clickup", id: p.task ?? "?" }, at: at.toISOString(), actor: null, changes: [{ field: "status", from: "to do", to: "done" }] }];
  },
};

describe("WebhookReceiver", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let topo: Topology;
  let http: HealthServer;
  let url: string;
  const stored = async () => (await topo.jsm.streams.info(Stream.Events)).state.messages;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    topo = await ensureTopology(nc, { replicas: 1 });
    const metrics = new ServiceMetrics("t");
    http = new HealthServer("t", metrics);
    const receiver = new WebhookReceiver({ nc, platform: "clickup", adapter, secret: SECRET, log: createLogger("t", "silent"), registry: metrics.registry, bodyLimit: 4_096 });
    http.addRoute(receiver.path, receiver.handle);
    url = `http://127.0.0.1:${(await http.listen(0, "127.0.0.1")).port}${receiver.path}`;
  });
  afterAll(async () => {
    await http?.close();
    await nc?.close();
    await server?.stop();
  });

  const post = (body: string | Buffer, headers: Record<string, string>) => fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

  it("publishes a valid delivery once, however often it is redelivered", async () => {
    const body = JSON.stringify({ task: "86a1", kind: "status" });
    const first = await post(body, { "x-test-signature": sign(body), "x-test-delivery": "d-1" });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 1, duplicates: 0 });
    const again = await post(body, { "x-test-signature": sign(body), "x-test-delivery": "d-1" });
    expect(await again.json()).toEqual({ accepted: 0, duplicates: 1 });
    expect(await stored()).toBe(1);
  });

  it("refuses forged, altered, unsigned, oversized and non-JSON deliveries, publishing nothing", async () => {
    const before = await stored();
    const body = JSON.stringify({ task: "86a2" });
    expect((await post(body, { "x-test-signature": sign(body, "wrong"), "x-test-delivery": "d-2" })).status).toBe(401);
    expect((await post(body.replace("86a2", "86a3"), { "x-test-signature": sign(body), "x-test-delivery": "d-3" })).status).toBe(401);
    expect((await post(body, { "x-test-delivery": "d-4" })).status).toBe(401);
    const big = JSON.stringify({ task: "x".repeat(5_000) });
    expect((await post(big, { "x-test-signature": sign(big), "x-test-delivery": "d-5" })).status).toBe(413);
    const notJson = "task=86a6";
    expect((await post(notJson, { "x-test-signature": sign(notJson), "x-test-delivery": "d-6" })).status).toBe(400);
    expect((await fetch(url)).status).toBe(405);
    const ping = JSON.stringify({ kind: "ping" });
    expect((await post(ping, { "x-test-signature": sign(ping), "x-test-delivery": "d-7" })).status).toBe(200);
    expect(await stored()).toBe(before);
    const metrics = await (await fetch(url.replace(/\/webhooks\/.*/, "/metrics"))).text();
    expect(metrics).toMatch(/pmo_webhook_deliveries_total\{platform="clickup",outcome="bad_signature",service="t"\} 2/);
    expect(metrics).toMatch(/outcome="missing_signature".* 1/);
    expect(metrics).toMatch(/outcome="too_large".* 1/);
  });

  it("answers 503 (so the platform retries) when the bus cannot take the event", async () => {
    await server.kill();
    const body = JSON.stringify({ task: "86a9" });
    const res = await post(body, { "x-test-signature": sign(body), "x-test-delivery": "d-9" });
    expect(res.status).toBe(503);
    await server.restart();
  });
});

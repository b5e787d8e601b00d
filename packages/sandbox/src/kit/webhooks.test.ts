import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signFake } from "./testing/fake-dialect.js";
import { startWebhookReceiver } from "./testing/webhook-receiver.js";
import { readJson, startFakeSandbox, type FakeSandbox } from "./testing/fake-sandbox.js";


/** A local webhook receiver whose answers the test scripts (status per call, optional hold). */
const startReceiver = (statuses: number[] = [], hold?: Promise<void>) => startWebhookReceiver({ statuses, hold });

let sb: FakeSandbox;
beforeEach(async () => {
  sb = await startFakeSandbox();
});
afterEach(async () => {
  await sb.server.close();
});

const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body) });
const openItem = () => sb.ctx.truth.items.github.find((i) => i.deletedAt === null && i.status !== "done")!;

describe("webhook hub", () => {
  it("delivers a signed body that verifies, and fails verification when one byte changes", async () => {
    const receiver = await startReceiver();
    await sb.control("/_sandbox/webhooks", post({ url: receiver.url, secret: "s3cret", events: ["*"] }));
    const item = openItem();
    await sb.control("/_sandbox/mutate", post({ id: item.id, container: item.container, status: "done" }));
    await sb.server.control.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0]!;
    expect(headers["x-fake-signature"]).toBe(signFake("s3cret", body));
    expect(JSON.parse(body.toString())).toMatchObject({ kind: "status_changed", item: item.id, status: "done" });
    const tampered = Buffer.from(body);
    tampered[tampered.length - 2]! ^= 1;
    expect(signFake("s3cret", tampered)).not.toBe(headers["x-fake-signature"]);
    const { deliveries } = await readJson(sb.control("/_sandbox/webhooks"));
    expect(deliveries).toMatchObject([{ status: 200, ok: true, attempt: 1 }]);
    await receiver.close();
  });

  it("delivers changes made through the emulator's API, after the API has answered", async () => {
    let release!: () => void;
    const receiver = await startReceiver([], new Promise<void>((r) => (release = r)));
    sb.ctx.webhooks.register({ platform: "github", url: receiver.url, secret: "k", events: ["status_changed"], scope: null });
    const item = openItem();
    const res = await sb.call(`/items/${encodeURIComponent(`${item.container}#${item.id}`)}/status`, post({ status: "in_review" }));
    expect(res.status).toBe(200); // answered while the receiver is still holding the delivery
    release();
    await sb.server.control.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });

  it("skips registrations the dialect does not subscribe, retries 5xx and records every attempt", async () => {
    const receiver = await startReceiver([503, 200]);
    sb.ctx.webhooks.register({ platform: "github", url: receiver.url, secret: "k", events: ["*"], scope: null });
    sb.ctx.webhooks.register({ platform: "github", url: receiver.url, secret: "k", events: ["deleted"], scope: null });
    const item = openItem();
    sb.server.control.mutate({ platform: "github", id: item.id, container: item.container, comment: "hi" });
    await sb.server.control.webhooksIdle();
    const attempts = sb.server.control.webhooks().deliveries;
    expect(attempts.map((a) => [a.attempt, a.status, a.ok])).toEqual([
      [1, 503, false],
      [2, 200, true],
    ]);
    expect(receiver.received).toHaveLength(2);
    await receiver.close();
  });

  it("records a failed delivery to an unreachable receiver", async () => {
    const receiver = await startReceiver();
    await receiver.close(); // nothing listens there any more
    sb.ctx.webhooks.register({ platform: "github", url: receiver.url, secret: "k", events: ["*"], scope: null });
    const item = openItem();
    sb.server.control.mutate({ platform: "github", id: item.id, container: item.container, comment: "hi" });
    await sb.server.control.webhooksIdle();
    const attempts = sb.server.control.webhooks().deliveries;
    expect(attempts).toHaveLength(3);
    expect(attempts.every((a) => !a.ok && a.error !== null)).toBe(true);
  });

  it("gives changes deterministic ids", async () => {
    const other = await startFakeSandbox();
    const item = openItem();
    const a = sb.server.control.mutate({ platform: "github", id: item.id, container: item.container, comment: "x" });
    const b = other.server.control.mutate({ platform: "github", id: item.id, container: item.container, comment: "x" });
    expect(a[0]!.id).toBe(b[0]!.id);
    expect(a[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await other.server.close();
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IncomingHttpHeaders } from "node:http";
import { startWebhookReceiver } from "../kit/testing/webhook-receiver.js";
import { CLICKUP_SIGNATURE_HEADER, signClickUpWebhook, verifyClickUpWebhook } from "./index.js";
import { type ClickUpSandbox, liveItems, startClickUp } from "./testing/start-clickup.js";

type Json = Record<string, any>;

describe("signature", () => {
  it("matches the reference's test vector (CU-docs /docs/webhooksignature example)", () => {
    const body = '{"webhook_id":"7689a169-a000-4985-8676-6902b96d6627","event":"taskCreated","task_id":"c0j"}';
    expect(signClickUpWebhook("secret", body)).toBe("4830bf524f6e29a3e8da953936c6f21c1fea2b9669b825d3e1be293ef3416c8c");
    expect(verifyClickUpWebhook("secret", body, "4830bf524f6e29a3e8da953936c6f21c1fea2b9669b825d3e1be293ef3416c8c")).toBe(true);
  });
});

const startReceiver = () => startWebhookReceiver();

let sb: ClickUpSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeEach(async () => {
  sb = await startClickUp({ seed: 31, items: 80 });
  receiver = await startReceiver();
});
afterEach(async () => {
  await sb.close();
  await receiver.close();
});

const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body) });
const put = (body: unknown) => ({ method: "PUT", body: JSON.stringify(body) });

async function register(body: Json): Promise<Json> {
  return sb.json(`/team/${sb.ctx.truth.clickup.teamId}/webhook`, post({ endpoint: receiver.url, ...body }));
}

async function deliveries(): Promise<{ headers: IncomingHttpHeaders; raw: Buffer; body: Json }[]> {
  await sb.ctx.hub.idle();
  return receiver.received.map((r) => ({ ...r, raw: r.body, body: JSON.parse(r.body.toString("utf8")) as Json }));
}

describe("webhook registry", () => {
  it("POST returns {id, webhook{…, secret}}, GET lists it, DELETE removes it", async () => {
    const created = await register({ events: ["taskCreated", "taskStatusUpdated"], list_id: Number(sb.ctx.truth.clickup.lists[0]!.id) });
    expect(created.id).toBe(created.webhook.id);
    expect(created.webhook).toMatchObject({ endpoint: receiver.url, events: ["taskCreated", "taskStatusUpdated"], list_id: Number(sb.ctx.truth.clickup.lists[0]!.id), task_id: null, health: { status: "active", fail_count: 0 } });
    expect(created.webhook.secret).toMatch(/^[A-Z0-9]{64}$/);
    const listed = await sb.json<{ webhooks: Json[] }>(`/team/${sb.ctx.truth.clickup.teamId}/webhook`);
    expect(listed.webhooks).toEqual([created.webhook]);
    expect((await sb.call(`/webhook/${created.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await sb.json<{ webhooks: Json[] }>(`/team/${sb.ctx.truth.clickup.teamId}/webhook`)).webhooks).toEqual([]);
    expect((await sb.call(`/webhook/${created.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await sb.call(`/team/${sb.ctx.truth.clickup.teamId}/webhook`, post({ endpoint: receiver.url, events: ["nope"] }))).status).toBe(400);
  });
});

describe("deliveries", () => {
  it("each API change arrives as ids + history_items, signed with X-Signature over the raw body", async () => {
    const { webhook } = await register({ events: ["*"] });
    const list = sb.ctx.truth.clickup.lists[0]!;
    const { statusNames, teamId } = sb.ctx.truth.clickup;
    const created = await sb.json<Json>(`/list/${list.id}/task`, post({ name: "Hooked" }));
    await sb.json(`/task/${created.id}`, put({ status: statusNames.in_progress }));
    await sb.json(`/task/${created.id}`, put({ priority: 2 }));
    await sb.json(`/task/${created.id}/comment`, post({ comment_text: "hello", notify_all: false }));
    await sb.json(`/team/${teamId}/time_entries`, post({ tid: created.id, start: sb.ctx.now() - 60_000, duration: 60_000 }));
    expect((await sb.call(`/task/${created.id}`, { method: "DELETE" })).status).toBe(204);

    const got = await deliveries();
    expect(got.map((d) => d.body.event)).toEqual(["taskCreated", "taskStatusUpdated", "taskPriorityUpdated", "taskCommentPosted", "taskTimeTrackedUpdated", "taskDeleted"]);
    for (const d of got) {
      expect(d.headers["content-type"]).toBe("application/json");
      const signature = d.headers[CLICKUP_SIGNATURE_HEADER.toLowerCase()] as string;
      expect(verifyClickUpWebhook(webhook.secret, d.raw, signature)).toBe(true);
      // One flipped byte anywhere in the body breaks the signature.
      const tampered = Buffer.from(d.raw);
      tampered[Math.floor(tampered.length / 2)]! ^= 0x01;
      expect(verifyClickUpWebhook(webhook.secret, tampered, signature)).toBe(false);
      expect(d.body.task_id).toBe(created.id);
      expect(d.body.webhook_id).toBe(webhook.id);
      expect(d.body).not.toHaveProperty("task"); // ids + history_items only, never the task
    }
    const [create, status, priority, comment, time, deleted] = got.map((d) => d.body);
    expect(Object.keys(create!)).toEqual(["event", "history_items", "task_id", "webhook_id"]);
    expect(create!.history_items[0]).toMatchObject({ field: "task_creation", parent_id: list.id, user: { id: sb.ctx.truth.people[0]!.clickupId } });
    expect(status!.history_items[0]).toMatchObject({
      type: 1,
      field: "status",
      data: { status_type: "custom" },
      before: { status: statusNames.backlog, type: "open" },
      after: { status: statusNames.in_progress, type: "custom" },
    });
    expect(status!.history_items[0].id).toMatch(/^\d{19}$/);
    expect(status!.history_items[0].date).toMatch(/^\d+$/);
    expect(priority!.history_items[0]).toMatchObject({ field: "priority", before: null, after: { id: "2", priority: "high" } });
    expect(comment!.history_items[0]).toMatchObject({ field: "comment", comment: [{ text: "hello" }] });
    expect(Object.keys(time!)).toEqual(["event", "history_items", "task_id", "data", "webhook_id"]);
    expect(time!.data).toMatchObject({ description: "Time Tracking Created" });
    expect(deleted).toEqual({ event: "taskDeleted", task_id: created.id, webhook_id: webhook.id });
  });

  it("a registration gets only its events and its location", async () => {
    const [listA, listB] = sb.ctx.truth.clickup.lists;
    await register({ events: ["taskPriorityUpdated"], list_id: Number(listA!.id) });
    const inA = liveItems(sb.ctx).find((i) => i.container === listA!.id && i.priority !== "urgent")!;
    const inB = liveItems(sb.ctx).find((i) => i.container === listB!.id && i.priority !== "urgent")!;
    await sb.json(`/task/${inA.id}`, put({ name: "renamed only" })); // taskUpdated: not subscribed
    await sb.json(`/task/${inB.id}`, put({ priority: 1 })); // other list
    await sb.json(`/task/${inA.id}`, put({ priority: 1 }));
    const got = await deliveries();
    expect(got.map((d) => [d.body.event, d.body.task_id])).toEqual([["taskPriorityUpdated", inA.id]]);
  });

  it("control-API mutations are delivered too", async () => {
    await register({ events: ["taskStatusUpdated"] });
    const item = liveItems(sb.ctx).find((i) => i.status === "todo")!;
    const res = await fetch(`${new URL(sb.server.url).origin}/_sandbox/mutate`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ platform: "clickup", id: item.id, status: "in_review" }),
    });
    expect(res.status).toBeLessThan(300);
    const got = await deliveries();
    expect(got).toHaveLength(1);
    expect(got[0]!.body.history_items[0].after.status).toBe(sb.ctx.truth.clickup.statusNames.in_review);
  });
});

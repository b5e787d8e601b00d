import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { StatusCategorizer } from "./status-category.js";
import { clickUpSettings } from "./settings.js";
import { clickUpWebhookAdapter, normaliseClickUpDelivery } from "./webhook.js";

const sign = (secret: string, body: Buffer) => createHmac("sha256", secret).update(body).digest("hex");

describe("ClickUp webhook adapter", () => {
  const registered = new Map([["wh-registered", "REGISTEREDSECRET"], ["wh-other", "OTHERSECRET"]]);
  const adapter = clickUpWebhookAdapter({ secretOf: (id) => registered.get(id) });
  const delivery = (webhookId: string) => Buffer.from(JSON.stringify({ webhook_id: webhookId, event: "taskCreated", task_id: "c0j" }));

  it("verifies the docs' test vector (hex HMAC-SHA256 of the raw body) and refuses any other body", () => {
    const body = Buffer.from('{"webhook_id":"7689a169-a000-4985-8676-6902b96d6627","event":"taskCreated","task_id":"c0j"}');
    const sig = "4830bf524f6e29a3e8da953936c6f21c1fea2b9669b825d3e1be293ef3416c8c";
    expect(adapter.verify(body, { "x-signature": sig }, "secret")).toBe(true);
    expect(adapter.verify(Buffer.from(body.toString().replace("c0j", "c0k")), { "x-signature": sig }, "secret")).toBe(false);
  });

  it("a registered webhook's delivery verifies with that webhook's secret only, not another's nor the configured one", () => {
    const body = delivery("wh-registered");
    expect(adapter.verify(body, { "x-signature": sign("REGISTEREDSECRET", body) }, "configured")).toBe(true);
    expect(adapter.verify(body, { "x-signature": sign("REGISTEREDSECRET", body) }, undefined as unknown as string)).toBe(true);
    expect(adapter.verify(body, { "x-signature": sign("OTHERSECRET", body) }, "configured")).toBe(false);
    expect(adapter.verify(body, { "x-signature": sign("configured", body) }, "configured")).toBe(false);
  });

  it("an unknown webhook (made by hand) verifies with the configured secret; without one it is refused", () => {
    const body = delivery("wh-by-hand");
    expect(adapter.verify(body, { "x-signature": sign("configured", body) }, "configured")).toBe(true);
    expect(adapter.verify(body, { "x-signature": sign("REGISTEREDSECRET", body) }, "configured")).toBe(false);
    for (const none of [undefined, ""]) expect(adapter.verify(body, { "x-signature": sign("", body) }, none as unknown as string)).toBe(false);
  });

  it("a body that is not JSON is checked against the configured secret (the receiver then answers 400)", () => {
    const body = Buffer.from("not json");
    expect(adapter.verify(body, { "x-signature": sign("configured", body) }, "configured")).toBe(true);
    expect(adapter.verify(body, { "x-signature": sign("REGISTEREDSECRET", body) }, "configured")).toBe(false);
  });

  it("turns history items into events keyed by history id; taskDeleted by webhook and task", () => {
    const at = new Date("2026-01-01T00:00:00Z");
    const events = normaliseClickUpDelivery({ event: "taskUpdated", task_id: "t1", webhook_id: "w", history_items: [{ id: "1", date: "1642736073330", field: "comment", user: { username: "Ada" } }, { id: "2", field: "priority", before: null, after: { priority: "high" } }] }, at);
    expect(events.map((e) => [e.id, e.type, e.actor])).toEqual([["clickup:1", "comment.added", "Ada"], ["clickup:2", "item.updated", null]]);
    expect(normaliseClickUpDelivery({ event: "taskDeleted", task_id: "t1", webhook_id: "w" }, at)[0]).toMatchObject({ id: "clickup:w:taskDeleted:t1", type: "item.deleted" });
    expect(normaliseClickUpDelivery({ event: "listCreated", list_id: "9", webhook_id: "w" }, at)).toEqual([]);
  });
});

describe("status categories", () => {
  const categorizer = new StatusCategorizer(clickUpSettings({ baseUrl: "http://x", tokenEnv: "T", rateLimit: {}, timeoutMs: 1000 }));
  it("decides by name rules first, then by ClickUp's status type", () => {
    expect(categorizer.categorize({ status: "In Review", type: "custom" })).toBe("in_review");
    expect(categorizer.categorize({ status: "won't do", type: "closed" })).toBe("cancelled");
    expect(categorizer.categorize({ status: "Complete", type: "closed" })).toBe("done");
    expect(categorizer.categorize({ status: "Open", type: "open" })).toBe("todo");
    expect(categorizer.categorize({ status: "building", type: "custom" })).toBe("in_progress");
  });
});

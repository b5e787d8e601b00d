import { describe, expect, it } from "vitest";
import { StatusCategorizer } from "./status-category.js";
import { clickUpSettings } from "./settings.js";
import { clickUpWebhook, normaliseClickUpDelivery } from "./webhook.js";

describe("ClickUp webhook adapter", () => {
  it("verifies the docs' test vector (hex HMAC-SHA256 of the raw body) and refuses any other body", () => {
    const body = Buffer.from('{"webhook_id":"7689a169-a000-4985-8676-6902b96d6627","event":"taskCreated","task_id":"c0j"}');
    const sig = "4830bf524f6e29a3e8da953936c6f21c1fea2b9669b825d3e1be293ef3416c8c";
    expect(clickUpWebhook.verify(body, { "x-signature": sig }, "secret")).toBe(true);
    expect(clickUpWebhook.verify(Buffer.from(body.toString().replace("c0j", "c0k")), { "x-signature": sig }, "secret")).toBe(false);
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

import { createHmac } from "node:crypto";
import type { PlatformEvent, PlatformEventType } from "@pmo/contracts";
import { constantTimeEqual, type WebhookAdapter } from "@pmo/platform-agent";
import { webhookActivity } from "./webhook-activity.js";

/** ClickUp signs with `X-Signature`: lowercase hex HMAC-SHA256 of the raw body, no prefix (CU-docs /docs/webhooksignature). */
export const CLICKUP_SIGNATURE_HEADER = "X-Signature";

interface HistoryItem {
  id: string;
  date?: string;
  field?: string;
  user?: { username?: string | null; email?: string | null; id?: number } | null;
  before?: unknown;
  after?: unknown;
}

interface Delivery {
  event?: string;
  task_id?: string;
  webhook_id?: string;
  history_items?: HistoryItem[];
}

/** History item field → event type; fields not named here are plain updates. */
const FIELD_TYPES: Record<string, PlatformEventType> = {
  status: "status.changed",
  task_creation: "item.created",
  comment: "comment.added",
  time_spent: "time.tracked",
};

function statusName(v: unknown): unknown {
  return v && typeof v === "object" && "status" in v ? (v as { status: unknown }).status : v;
}

/**
 * ClickUp deliveries carry ids and `history_items` only (never the task). Each history item becomes
 * one event whose id is the history item's id (stable across ClickUp's retries, so a redelivery is
 * stored once); `taskDeleted` has no history items and gets `<webhook id>:taskDeleted:<task id>`.
 */
export function normaliseClickUpDelivery(payload: unknown, receivedAt: Date): PlatformEvent[] {
  const d = payload as Delivery;
  if (!d || typeof d !== "object" || typeof d.event !== "string") throw new Error("not a ClickUp webhook delivery (no event)");
  if (!d.event.startsWith("task")) return []; // list/folder/space/goal events are not work items
  if (!d.task_id) throw new Error(`${d.event} without task_id`);
  const itemRef = { platform: "clickup" as const, id: d.task_id };
  if (d.event === "taskDeleted") {
    return [{ id: `clickup:${d.webhook_id ?? "webhook"}:taskDeleted:${d.task_id}`, platform: "clickup", type: "item.deleted", itemRef, at: receivedAt.toISOString(), actor: null, changes: [] }];
  }
  return (d.history_items ?? []).map((h) => {
    const type = FIELD_TYPES[h.field ?? ""] ?? "item.updated";
    const at = h.date && Number.isFinite(Number(h.date)) ? new Date(Number(h.date)).toISOString() : receivedAt.toISOString();
    const changes = type === "item.created" ? [] : [{ field: h.field ?? "unknown", from: h.field === "status" ? statusName(h.before) : (h.before ?? null), to: h.field === "status" ? statusName(h.after) : (h.after ?? null) }];
    return { id: `clickup:${h.id}`, platform: "clickup" as const, type, itemRef, at, actor: h.user?.username ?? h.user?.email ?? null, changes };
  });
}

export const clickUpWebhook: WebhookAdapter = {
  signatureHeader: CLICKUP_SIGNATURE_HEADER,
  verify(rawBody, headers, secret) {
    const given = headers[CLICKUP_SIGNATURE_HEADER.toLowerCase()];
    const signature = (Array.isArray(given) ? given[0] : given)?.trim().toLowerCase() ?? "";
    return constantTimeEqual(signature, createHmac("sha256", secret).update(rawBody).digest("hex"));
  },
  normalise: (payload, _headers, receivedAt) => {
    webhookActivity.lastAcceptedAt = receivedAt.getTime();
    return normaliseClickUpDelivery(payload, receivedAt);
  },
};

import { createHmac } from "node:crypto";
import type { PlatformEvent, PlatformEventType } from "@pmo/contracts";
import { constantTimeEqual, type WebhookAdapter } from "@pmo/platform-agent";

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

/** Where the adapter finds the secret of a webhook named in a delivery. */
export interface WebhookSecretLookup {
  secretOf(webhookId: string): string | undefined;
}

/** The `webhook_id` a delivery names, or null when the body is not a JSON object carrying one. */
function namedWebhook(rawBody: Buffer): string | null {
  try {
    const id = (JSON.parse(rawBody.toString("utf8")) as Delivery | null)?.webhook_id;
    return typeof id === "string" && id ? id : null;
  } catch {
    return null; // the receiver answers 400 for a body that is not JSON, once it is verified
  }
}

/**
 * ClickUp signs each webhook's deliveries with that webhook's own secret, and every delivery names
 * its `webhook_id`. A webhook this agent registered verifies with its secret only; any other (one
 * created by hand in ClickUp) with the configured secret (`webhookSecretEnv`), when there is one.
 */
export function clickUpWebhookAdapter(secrets: WebhookSecretLookup): WebhookAdapter {
  return {
    signatureHeader: CLICKUP_SIGNATURE_HEADER,
    ownSecrets: true,
    verify(rawBody, headers, configuredSecret: string | undefined) {
      const webhookId = namedWebhook(rawBody);
      const secret = (webhookId === null ? undefined : secrets.secretOf(webhookId)) ?? configuredSecret;
      if (!secret) return false;
      const given = headers[CLICKUP_SIGNATURE_HEADER.toLowerCase()];
      const signature = (Array.isArray(given) ? given[0] : given)?.trim().toLowerCase() ?? "";
      return constantTimeEqual(signature, createHmac("sha256", secret).update(rawBody).digest("hex"));
    },
    normalise: (payload, _headers, receivedAt) => normaliseClickUpDelivery(payload, receivedAt),
  };
}

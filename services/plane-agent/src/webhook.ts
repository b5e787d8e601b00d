import { createHash, createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { PlatformEvent, PlatformEventType } from "@pmo/contracts";
import { constantTimeEqual, type WebhookAdapter } from "@pmo/platform-agent";

export const PLANE_SIGNATURE_HEADER = "X-Plane-Signature";

/** The v1 body (reference §3.8a); the v2 format's `workitem.*` names are read too, since Plane Cloud sends those. */
interface PlaneDelivery {
  version?: string;
  event?: string;
  action?: string;
  event_id?: string;
  data?: Record<string, unknown> | null;
  activity?: { id?: string; field?: string | null; new_value?: unknown; old_value?: unknown; actor?: { display_name?: string } | null } | null;
  previous_attributes?: Record<string, unknown> | null;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** `X-Plane-Signature`: lowercase hex HMAC-SHA256 of the raw body, keyed with the webhook's secret, no prefix. */
export function verifyPlaneSignature(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string): boolean {
  const received = header(headers, PLANE_SIGNATURE_HEADER)?.trim().toLowerCase() ?? "";
  const expected = createHmac("sha256", secret).update(rawBody).digest("hex");
  return constantTimeEqual(expected, received);
}

/** v1 `created|updated|deleted` (older docs: `create|update|delete`) and v2's `workitem.updated` → one verb. */
function verbOf(d: PlaneDelivery): "created" | "updated" | "deleted" | null {
  const raw = (d.event?.includes(".") ? d.event.split(".").pop() : d.action) ?? "";
  if (/^create/.test(raw)) return "created";
  if (/^(update|archive)/.test(raw)) return "updated";
  if (/^delete/.test(raw)) return "deleted";
  return null;
}

function kindOf(d: PlaneDelivery, headers: IncomingHttpHeaders): "issue" | "comment" | "container" | null {
  const event = (header(headers, "X-Plane-Event") ?? d.event ?? "").toLowerCase();
  if (event === "issue" || /^workitem\.(created|updated|deleted|archived)$/.test(event)) return "issue";
  if (event === "issue_comment" || event.startsWith("workitem.comment.")) return "comment";
  if (["project", "cycle", "module", "cycle_issue", "module_issue"].includes(event) || /^(project|cycle|module)\./.test(event)) return "container";
  return null;
}

function eventType(kind: "issue" | "comment" | "container", verb: "created" | "updated" | "deleted", field: string | null | undefined): PlatformEventType | null {
  if (kind === "container") return "container.changed";
  if (kind === "comment") return verb === "created" ? "comment.added" : null;
  if (verb === "created") return "item.created";
  if (verb === "deleted") return "item.deleted";
  return field === "state" || field === "state_id" ? "status.changed" : "item.updated";
}

const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);

/**
 * Plane deliveries as platform events. One v1 `updated` delivery describes one changed field, so it is
 * one event; its id is `X-Plane-Delivery` (+ the activity id when there is one), which makes a
 * redelivery the same `Nats-Msg-Id`. A state change becomes `status.changed` with the state names.
 */
export function normalisePlaneDelivery(payload: unknown, headers: IncomingHttpHeaders, receivedAt: Date): PlatformEvent[] {
  const d = (payload ?? {}) as PlaneDelivery;
  if (typeof d !== "object" || Array.isArray(d)) throw new Error("a Plane delivery is a JSON object");
  const kind = kindOf(d, headers);
  const verb = verbOf(d);
  if (!kind || !verb) return []; // subscribed events we do not track (e.g. links, votes)
  const data = d.data ?? {};
  const activity = d.activity ?? null;
  const field = activity?.field ?? (d.previous_attributes && "state_id" in d.previous_attributes ? "state_id" : null);
  const type = eventType(kind, verb, field);
  if (!type) return [];
  const delivery = str(header(headers, "X-Plane-Delivery")) ?? str(d.event_id) ?? createHash("sha256").update(JSON.stringify(payload)).digest("hex");
  const itemId = kind === "comment" ? (str(data.issue) ?? str(data.issue_id)) : kind === "issue" ? str(data.id) : null;
  const stateName = (v: unknown) => (v && typeof v === "object" ? ((v as { name?: string }).name ?? null) : v);
  const changes =
    type === "status.changed"
      ? [{ field: "status", from: activity?.old_value ?? null, to: activity?.new_value ?? stateName(data.state) ?? null }]
      : field
        ? [{ field, from: activity?.old_value ?? d.previous_attributes?.[field] ?? null, to: activity?.new_value ?? data[field] ?? null }]
        : [];
  const at = verb === "deleted" ? null : str(data.updated_at);
  return [
    {
      id: `plane:${delivery}${activity?.id ? `:${activity.id}` : ""}`,
      platform: "plane",
      type,
      itemRef: itemId ? { platform: "plane", id: itemId } : null,
      at: at ? new Date(at).toISOString() : receivedAt.toISOString(),
      actor: activity?.actor?.display_name ?? null,
      changes,
    },
  ];
}

export const planeWebhookAdapter: WebhookAdapter = {
  signatureHeader: PLANE_SIGNATURE_HEADER,
  verify: verifyPlaneSignature,
  normalise: normalisePlaneDelivery,
};

import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { PlatformEvent, PlatformEventType } from "@pmo/contracts";
import { constantTimeEqual, type WebhookAdapter } from "@pmo/platform-agent";
import { itemId } from "./normalise.js";

/** `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>` (GitHub's validating-webhook-deliveries). */
export function githubSignature(secret: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

interface Payload {
  action?: string;
  issue?: { number: number; updated_at?: string; state?: string; state_reason?: string | null; title?: string; body?: string | null };
  pull_request?: { number: number; updated_at?: string; state?: string; merged?: boolean; draft?: boolean; title?: string; body?: string | null };
  comment?: { id: number; created_at?: string };
  repository?: { full_name: string };
  sender?: { login: string };
  changes?: Record<string, { from: unknown }>;
  label?: { name: string };
  assignee?: { login: string } | null;
}

const STATUS_ACTIONS = new Set(["closed", "reopened", "ready_for_review", "converted_to_draft"]);

function typeOf(event: string, action: string): PlatformEventType | null {
  if (event === "issue_comment") return action === "created" ? "comment.added" : "item.updated";
  if (event !== "issues" && event !== "pull_request") return null;
  if (action === "opened") return "item.created";
  if (action === "deleted") return "item.deleted";
  if (STATUS_ACTIONS.has(action)) return "status.changed";
  return "item.updated";
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** What the delivery says changed, in the contract's `{field, from, to}` form. */
function changesOf(p: Payload, subject: NonNullable<Payload["issue"] | Payload["pull_request"]>): PlatformEvent["changes"] {
  switch (p.action) {
    case "closed":
      return [{ field: "state", from: "open", to: p.pull_request?.merged ? "merged" : `closed${p.issue?.state_reason ? `:${p.issue.state_reason}` : ""}` }];
    case "reopened":
      return [{ field: "state", from: "closed", to: "open" }];
    case "ready_for_review":
      return [{ field: "draft", from: true, to: false }];
    case "converted_to_draft":
      return [{ field: "draft", from: false, to: true }];
    case "labeled":
    case "unlabeled":
      return p.label ? [{ field: "labels", from: p.action === "unlabeled" ? p.label.name : null, to: p.action === "labeled" ? p.label.name : null }] : [];
    case "assigned":
    case "unassigned":
      return p.assignee ? [{ field: "assignees", from: p.action === "unassigned" ? p.assignee.login : null, to: p.action === "assigned" ? p.assignee.login : null }] : [];
    case "edited":
      return Object.entries(p.changes ?? {}).map(([field, c]) => ({ field, from: c.from, to: (subject as Record<string, unknown>)[field] ?? null }));
    default:
      return [];
  }
}

/** GitHub deliveries (issues, issue_comment, pull_request) → one normalised event, id = X-GitHub-Delivery. */
export const githubWebhook: WebhookAdapter = {
  signatureHeader: "X-Hub-Signature-256",
  verify(rawBody, headers, secret) {
    const given = header(headers, "x-hub-signature-256") ?? "";
    return constantTimeEqual(githubSignature(secret, rawBody), given);
  },
  normalise(payload, headers, receivedAt) {
    const event = header(headers, "x-github-event") ?? "";
    const delivery = header(headers, "x-github-delivery");
    const p = payload as Payload;
    const type = typeOf(event, p.action ?? "");
    if (!type) return []; // ping and events the agent does not follow: acknowledged, nothing published
    if (!delivery) throw new Error("missing X-GitHub-Delivery");
    const subject = p.issue ?? p.pull_request;
    if (!subject || !p.repository) throw new Error(`${event} delivery without its issue/pull_request or repository`);
    const at = p.comment?.created_at ?? subject.updated_at ?? receivedAt.toISOString();
    return [
      {
        id: delivery,
        platform: "github",
        type,
        itemRef: { platform: "github", id: itemId(p.repository.full_name, subject.number) },
        at: new Date(Date.parse(at)).toISOString(),
        actor: p.sender?.login ?? null,
        changes: event === "issue_comment" ? [{ field: "comment", from: null, to: p.comment?.id ?? null }] : changesOf(p, subject),
      },
    ];
  },
};

/**
 * The emulator kit's surface, agreed between kit/ (HTTP server, faults, request log, control API,
 * webhooks, clock) and the three emulators. Extend additively; do not rename what others read.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Platform, Truth, TruthItem } from "../truth/model.js";

export interface SandboxRequest {
  method: string; // upper case
  /** Path below the emulator's prefix, without query string, e.g. "/list/901/task". */
  path: string;
  params: Record<string, string>; // from ":name" segments of the route pattern
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Parsed JSON body; throws BadJsonError (the kit answers with the platform's own 400) when malformed. */
  json<T = unknown>(): T;
  /** The full URL the client used (scheme, host, prefix, path, query): for GitHub `link` headers and Plane cursors. */
  url: URL;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless a Buffer or string; undefined = empty body. */
  body?: unknown;
}

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export interface Route {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Pattern with ":name" segments, below the prefix: "/repos/:owner/:repo/issues". */
  pattern: string;
  handler: Handler;
}

/** The kinds of fault the control API can inject (issue #3 §5). */
export type FaultKind =
  | "rate_limit" // answer as the platform does when its limit is exhausted (429 / 403 + headers)
  | "server_error" // 500/502/503 with the platform's body
  | "slow" // delay the answer by `delayMs`
  | "reset" // destroy the socket without an answer
  | "malformed" // 200 with truncated / invalid JSON
  | "expired_token"; // answer as for a revoked credential

export interface FaultRule {
  kind: FaultKind;
  /** Apply to every request with probability `rate` (0..1, deterministic PRNG) … */
  rate?: number;
  /** … or to the next `count` matching requests. */
  count?: number;
  /** Only requests whose "METHOD path" matches (substring or RegExp source). */
  match?: string;
  delayMs?: number;
  status?: number;
}

/** What each emulator hands the kit so that generic behaviour speaks the platform's own dialect. */
export interface PlatformDialect {
  platform: Platform;
  /** Mount prefix: "/api/v2" (ClickUp), "" or "/api/v3" (GitHub), "/api/v1" (Plane). */
  prefix: string;
  routes: Route[];
  /** null when the credential is fine, otherwise the platform's own 401/403 response. */
  authenticate(req: SandboxRequest): SandboxResponse | null;
  /** The platform's error bodies for kit-generated answers. */
  errorResponse(kind: "not_found" | "bad_json" | "server_error" | "rate_limited" | "expired_token", req: SandboxRequest): SandboxResponse;
  /** Renders one change as the platform's webhook delivery (headers incl. signature, raw body), or null if this registration does not subscribe to it. */
  renderWebhook(change: ItemChange, registration: WebhookRegistration): WebhookDelivery | null;
  /**
   * Optional (added by the kit): called after the control API changed an item in place (status,
   * fields, comment, deletion), so an emulator can refresh its own indexes (e.g. by updatedAt).
   */
  itemMutated?(change: ItemChange): void;
  /** Optional (added by the kit): the emulator's rate-limit state (quota spent/remaining per key) for the control API's counters. */
  rateLimitStatus?(): unknown;
}

/** Something that happened to an item, through the API or the control API. */
export interface ItemChange {
  id: string; // unique change id (deterministic counter), used for delivery ids where the platform has none
  platform: Platform;
  kind: "created" | "updated" | "deleted" | "status_changed" | "comment_added" | "time_tracked";
  item: TruthItem; // the item after the change (before deletion for "deleted")
  before: Partial<TruthItem>; // fields as they were, only those that changed
  at: number;
  by: string; // Person.key
}

export interface WebhookRegistration {
  id: string;
  platform: Platform;
  url: string; // where deliveries are POSTed
  secret: string;
  events: string[]; // platform event names ("taskUpdated", "issues", "issue"), or ["*"]
  /** Platform scoping: ClickUp list/space/team id, GitHub "owner/repo", Plane project id. */
  scope: string | null;
}

export interface WebhookDelivery {
  headers: Record<string, string>;
  body: Buffer; // exactly the bytes that were signed
}

/** Shared, mutable state behind all three emulators. */
export interface SandboxContext {
  truth: Truth;
  /** Sandbox clock in epoch ms; advances with real time × timeScale from truth.now. */
  now(): number;
  /** Multiplier applied to rate-limit windows and retry-after values (1 = real; 60 = a minute lasts a second). */
  timeScale: number;
  /** Record a change made through the API; the kit delivers it to matching webhook registrations. */
  emitChange(change: Omit<ItemChange, "id">): ItemChange;
  /** Changes emitted since the truth was last set: a view derived from the truth stays valid while it holds. */
  changeCount(): number;
  webhooks: {
    register(reg: Omit<WebhookRegistration, "id"> & { id?: string }): WebhookRegistration;
    list(platform: Platform): WebhookRegistration[];
    remove(id: string): boolean;
  };
}

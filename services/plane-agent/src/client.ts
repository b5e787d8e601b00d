import { headerValue as header, MalformedResponseError, PlatformHttp, type PlatformClientOptions, type QuotaHeaders } from "@pmo/platform-agent";
import type { PlaneSettings } from "./settings.js";

export type PlaneMethod = "GET" | "POST" | "PATCH" | "DELETE";
type Query = Record<string, string | number | undefined>;

export interface PlaneCall {
  method: PlaneMethod;
  /** Below the API base (`…/api/v1/`), e.g. `workspaces/acme/projects/<id>/states/`; a trailing slash is added if missing. */
  path: string;
  /** Pattern for metrics (`GET projects/:id/states/`): never a concrete URL, so label cardinality stays small. */
  endpoint: string;
  query?: Query;
  body?: unknown;
  /** Non-2xx statuses the caller reads itself instead of failing (409 on a duplicate external id, 404 on a lookup). */
  accept?: readonly number[];
  signal?: AbortSignal;
}

export interface PlaneAnswer<T> {
  status: number;
  body: T;
}

/** Plane's cursor envelope (reference §3.5); `next_cursor` is always present, `next_page_results` says whether to follow it. */
export interface PlanePage<T> {
  total_count: number;
  next_cursor: string;
  next_page_results: boolean;
  count: number;
  results: T[];
}

/**
 * Plane's public API v1 through the kit's PlatformHttp (undici keep-alive, the shared per-key
 * budget, p-retry for 429, 5xx, resets, timeouts and malformed bodies), with Plane's `X-API-Key`,
 * its quota headers, and the trailing slash every Plane route wants.
 */
export class PlaneClient {
  private readonly http: PlatformHttp;

  constructor(opts: PlatformClientOptions & { timeoutMs: number; retry: PlaneSettings["retry"] }) {
    this.http = new PlatformHttp({
      platform: "plane",
      baseUrl: opts.baseUrl,
      headers: { "x-api-key": opts.token, accept: "application/json" },
      budget: opts.budget,
      metrics: opts.metrics,
      log: opts.log,
      // Plane is one origin: a handful of kept-alive connections covers the quota many times over.
      connections: 8,
      timeoutMs: opts.timeoutMs,
      retry: opts.retry,
      quota: (_status, headers) => quotaHeaders(headers),
    });
  }

  async call<T>(call: PlaneCall): Promise<PlaneAnswer<T>> {
    const path = call.path.endsWith("/") ? call.path : `${call.path}/`;
    const answer = await this.http.call<T>({ method: call.method, endpoint: `${call.method} ${call.endpoint}`, url: this.http.url(path, call.query), body: call.body, accept: call.accept, signal: call.signal });
    return { status: answer.status, body: answer.body };
  }

  /** GET that parses the body; throws on anything but 2xx. */
  async get<T>(path: string, endpoint: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return (await this.call<T>({ method: "GET", path, endpoint, query, signal })).body;
  }

  /** Every page of a list endpoint, one at a time (bounded memory), following `next_cursor` while `next_page_results`. */
  async *pages<T>(path: string, endpoint: string, query: Query, perPage: number, signal?: AbortSignal): AsyncGenerator<PlanePage<T>> {
    let cursor = `${perPage}:0:0`;
    for (;;) {
      const page = await this.get<PlanePage<T>>(path, endpoint, { ...query, per_page: perPage, cursor }, signal);
      if (!isPage(page)) throw new MalformedResponseError("plane", endpoint, new Error("not a paginated envelope"));
      yield page;
      if (!page.next_page_results) return;
      cursor = page.next_cursor;
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}

/**
 * Plane's quota headers (reference §3.6): `X-RateLimit-Remaining`, `X-RateLimit-Reset` (Unix seconds,
 * floored, so a second is added to never refill early) and no Limit header; a 429 carries only Retry-After.
 */
export function quotaHeaders(headers: Record<string, string | string[] | undefined>): QuotaHeaders {
  const out: QuotaHeaders = {};
  const remaining = Number(header(headers, "x-ratelimit-remaining"));
  if (header(headers, "x-ratelimit-remaining") !== undefined && Number.isFinite(remaining)) out.remaining = remaining;
  const reset = Number(header(headers, "x-ratelimit-reset"));
  if (header(headers, "x-ratelimit-reset") !== undefined && Number.isFinite(reset)) out.resetAt = (reset + 1) * 1000;
  const retryAfter = header(headers, "retry-after");
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (Number.isFinite(ms)) out.retryAfterMs = Math.max(0, ms);
  }
  return out;
}

function isPage(value: unknown): value is PlanePage<unknown> {
  const p = value as PlanePage<unknown> | null;
  return p !== null && typeof p === "object" && Array.isArray(p.results) && typeof p.next_page_results === "boolean" && typeof p.next_cursor === "string";
}

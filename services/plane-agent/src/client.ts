import pRetry from "p-retry";
import type { Logger } from "pino";
import { Agent, request, type Dispatcher } from "undici";
import { isRecoverable, MalformedResponseError, PlatformHttpError, type AgentMetrics, type QuotaHeaders, type SharedRateBudget } from "@pmo/platform-agent";
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
 * Plane's public API v1 over undici with keep-alive. Every request waits for the shared per-key
 * budget first and reports the quota headers after; recoverable failures (429, 5xx, resets,
 * timeouts, malformed bodies) are retried with p-retry, everything else fails at once.
 */
export class PlaneClient {
  private readonly dispatcher: Dispatcher;
  private readonly base: string;

  constructor(
    private readonly opts: {
      baseUrl: string;
      token: string;
      budget: SharedRateBudget;
      metrics: AgentMetrics;
      log: Logger;
      timeoutMs: number;
      retry: PlaneSettings["retry"];
    },
  ) {
    this.base = opts.baseUrl.endsWith("/") ? opts.baseUrl : `${opts.baseUrl}/`;
    // Plane is one origin: a handful of kept-alive connections covers the quota many times over.
    this.dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 8, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
  }

  async call<T>(call: PlaneCall): Promise<PlaneAnswer<T>> {
    const { retries, minTimeoutMs, maxTimeoutMs } = this.opts.retry;
    return pRetry(() => this.once<T>(call), {
      retries,
      minTimeout: minTimeoutMs,
      maxTimeout: maxTimeoutMs,
      factor: 2,
      randomize: true,
      signal: call.signal,
      shouldRetry: ({ error }) => isRecoverable(error) && !call.signal?.aborted,
      onFailedAttempt: ({ error, retriesLeft }) => {
        if (!isRecoverable(error) || retriesLeft === 0) return;
        this.opts.metrics.retry(retryReason(error));
        this.opts.log.debug({ endpoint: call.endpoint, err: error.message, retriesLeft }, "plane request failed, retrying");
      },
    });
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
    await this.dispatcher.close();
  }

  private async once<T>(call: PlaneCall): Promise<PlaneAnswer<T>> {
    await this.opts.budget.acquire(call.signal);
    const url = new URL(call.path.endsWith("/") ? call.path : `${call.path}/`, this.base);
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: call.method,
        dispatcher: this.dispatcher,
        signal: call.signal,
        headers: { "x-api-key": this.opts.token, accept: "application/json", ...(call.body === undefined ? {} : { "content-type": "application/json" }) },
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      });
    } catch (err) {
      this.opts.metrics.request(call.endpoint, "error");
      throw err;
    }
    const text = await res.body.text();
    this.opts.metrics.request(call.endpoint, res.statusCode);
    const quota = quotaHeaders(res.headers);
    if (quota.remaining !== undefined) this.opts.metrics.quota(quota.remaining);
    await this.opts.budget.observe(quota);
    const ok = (res.statusCode >= 200 && res.statusCode < 300) || call.accept?.includes(res.statusCode);
    if (!ok) throw new PlatformHttpError("plane", res.statusCode, `${call.method} ${call.endpoint}`, text, quota.retryAfterMs ?? null);
    if (text.length === 0) return { status: res.statusCode, body: null as T };
    try {
      return { status: res.statusCode, body: JSON.parse(text) as T };
    } catch (err) {
      throw new MalformedResponseError("plane", call.endpoint, err);
    }
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
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

function retryReason(err: Error): string {
  if (err instanceof PlatformHttpError) return err.status === 429 ? "rate_limited" : `http_${err.status}`;
  if (err instanceof MalformedResponseError) return "malformed";
  return "network";
}

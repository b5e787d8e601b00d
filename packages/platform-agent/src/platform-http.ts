import pRetry from "p-retry";
import type { Logger } from "pino";
import { Agent, request, type Dispatcher } from "undici";
import type { AgentMetrics } from "./agent-metrics.js";
import { isRecoverable, MalformedResponseError, PlatformHttpError } from "./http-failure.js";
import { parseJsonItems } from "./json-items.js";
import type { QuotaHeaders, SharedRateBudget } from "./rate-budget.js";

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** How a platform says what is left of its quota (each names its headers differently). */
export type QuotaReader = (status: number, headers: ResponseHeaders, body: string) => QuotaHeaders;

export interface PlatformHttpOptions {
  platform: string;
  /** Relative request paths resolve against it (a trailing slash is added when missing). */
  baseUrl: string;
  /** Sent on every request: the credential and the media type the platform wants. */
  headers: Record<string, string>;
  budget: SharedRateBudget;
  metrics: AgentMetrics;
  quota: QuotaReader;
  retry: { retries: number; minTimeoutMs: number; maxTimeoutMs: number };
  /** Headers and body each must arrive within it, or the attempt fails (and is retried). */
  timeoutMs: number;
  /** Kept-alive connections to the platform. @default 8 */
  connections?: number;
  log?: Logger;
  /** Builds the error for a refused request; the platform's error body shape and rate-limit rules live there. */
  refusal?: (status: number, endpoint: string, text: string, quota: QuotaHeaders) => PlatformHttpError;
  /** A metric label for a retried failure. */
  retryReason?: (err: unknown) => string;
}

/** What every platform client is built from: where the API is, whose credential, its shared budget, metrics and log. */
export interface PlatformClientOptions {
  baseUrl: string;
  token: string;
  budget: SharedRateBudget;
  metrics: AgentMetrics;
  log: Logger;
}

export interface HttpRequest {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The endpoint pattern for metrics and messages, method first ("GET /list/:id/task"); never a concrete URL. */
  endpoint: string;
  /** Absolute, or relative to the base URL. */
  url: string | URL;
  headers?: Record<string, string>;
  body?: unknown;
  /** Non-2xx statuses the caller reads itself instead of failing (304 on a conditional GET, 404 on a lookup, 409 on a duplicate). */
  accept?: readonly number[];
  /** The body's expected shape; a body that fails it is malformed (and retried). */
  check?: (body: unknown) => boolean;
  /**
   * The member of a successful body that holds its records (a page's "tasks"): the body is read as
   * bytes and parsed record by record (parseJsonItems), each record keeping its bytes as its raw source.
   */
  items?: string;
  /**
   * Reads a successful body as it streams in (never held whole: see streamJsonItems), once per
   * attempt; what it resolves with is the answer's body. A failure, the connection breaking
   * included, is a malformed body, retried like any other.
   */
  stream?: (body: AsyncIterable<Uint8Array>) => Promise<unknown>;
  /**
   * A write that must not be repeated blindly: after a timeout, reset or 5xx it may have happened,
   * so only a 429 (certainly not executed) is retried; the caller looks the item up.
   */
  unsafe?: boolean;
  signal?: AbortSignal;
}

export interface HttpAnswer<T> {
  status: number;
  /** The parsed JSON body; null when the body was empty (204, 304). */
  body: T;
  headers: ResponseHeaders;
}

/**
 * The one way a platform agent speaks HTTP: undici with keep-alive, every attempt through the shared
 * per-credential budget (acquire before, report the quota headers after), p-retry for what is worth
 * another try (timeouts, resets, 429, 5xx, malformed JSON) with the platform's refusal rules, and a
 * metric per request. Bodies are read whole and parsed with JSON.parse: a cut or non-JSON body is a
 * MalformedResponseError, retried like a reset.
 */
export class PlatformHttp {
  private readonly dispatcher: Dispatcher;
  private readonly base: URL;

  constructor(private readonly opts: PlatformHttpOptions) {
    this.base = new URL(opts.baseUrl.endsWith("/") ? opts.baseUrl : `${opts.baseUrl}/`);
    this.dispatcher = new Agent({ connections: opts.connections ?? 8, keepAliveTimeout: 30_000, headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs });
  }

  /** `path` (leading slash optional) under the base URL, with `query` appended; array values repeat the key. */
  url(path: string, query?: Record<string, unknown>): URL {
    const url = new URL(path.replace(/^\//, ""), this.base);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const x of v) url.searchParams.append(k, String(x));
      else url.searchParams.set(k, String(v));
    }
    return url;
  }

  async call<T>(req: HttpRequest): Promise<HttpAnswer<T>> {
    const { retry, metrics, log } = this.opts;
    return pRetry(() => this.once<T>(req), {
      retries: retry.retries,
      minTimeout: retry.minTimeoutMs,
      maxTimeout: retry.maxTimeoutMs,
      factor: 2,
      randomize: true,
      signal: req.signal,
      shouldRetry: ({ error }) => !req.signal?.aborted && isRecoverable(error) && (!req.unsafe || (error instanceof PlatformHttpError && error.status === 429)),
      onFailedAttempt: ({ error, retriesLeft }) => {
        if (retriesLeft === 0 || !isRecoverable(error)) return;
        metrics.retry((this.opts.retryReason ?? defaultRetryReason)(error));
        log?.debug({ endpoint: req.endpoint, err: error.message, retriesLeft }, `${this.opts.platform} request failed, retrying`);
      },
    });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async reportQuota(res: Dispatcher.ResponseData, body: string): Promise<QuotaHeaders> {
    const quota = this.opts.quota(res.statusCode, res.headers, body);
    if (quota.remaining !== undefined) this.opts.metrics.quota(quota.remaining);
    await this.opts.budget.report(res.statusCode, quota);
    return quota;
  }

  private async once<T>(req: HttpRequest): Promise<HttpAnswer<T>> {
    const { budget, metrics, platform } = this.opts;
    await budget.acquire(req.signal);
    const method = req.method ?? "GET";
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      res = await request(typeof req.url === "string" && !/^https?:/.test(req.url) ? this.url(req.url) : req.url, {
        dispatcher: this.dispatcher,
        method,
        headers: { ...this.opts.headers, ...(req.body === undefined ? {} : { "content-type": "application/json" }), ...req.headers },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: req.signal,
      });
    } catch (err) {
      metrics.request(req.endpoint, "error");
      throw err;
    }
    // The quota is reported as soon as the headers are in, before the body is read: the next
    // request of another worker may be waiting on it. (A refusal's body can matter to the quota —
    // GitHub's secondary limit says so only in its message — so a refusal is read first.)
    const refused = res.statusCode >= 400;
    if (!refused) await this.reportQuota(res, "");
    const hasBody = !refused && res.statusCode !== 204 && res.statusCode !== 304;
    if (req.stream && hasBody) return this.streamedAnswer<T>(req, res, req.stream);
    if (req.items && hasBody) return this.itemsAnswer<T>(req, res, req.items);
    try {
      text = await res.body.text();
    } catch (err) {
      metrics.request(req.endpoint, "error");
      // The connection broke mid-body: as broken as a truncated body, and as worth another try.
      if (req.signal?.aborted) throw err;
      throw new MalformedResponseError(platform, req.endpoint, err);
    }
    metrics.request(req.endpoint, res.statusCode);
    const quota = refused ? await this.reportQuota(res, text) : null;
    const ok = (res.statusCode >= 200 && res.statusCode < 300) || req.accept?.includes(res.statusCode);
    if (!ok) throw (this.opts.refusal ?? defaultRefusal(platform))(res.statusCode, req.endpoint, text, quota ?? {});
    if (text.length === 0 || res.statusCode === 204 || res.statusCode === 304) return { status: res.statusCode, body: null as T, headers: res.headers };
    let body: T;
    try {
      body = JSON.parse(text) as T;
    } catch (err) {
      throw new MalformedResponseError(platform, req.endpoint, new Error(`not JSON: ${text.slice(0, 60)}`, { cause: err }));
    }
    if (req.check && !req.check(body)) throw new MalformedResponseError(platform, req.endpoint, new Error(`unexpected shape: ${text.slice(0, 60)}`));
    return { status: res.statusCode, body, headers: res.headers };
  }

  /** A successful answer read by HttpRequest.stream as it arrives. */
  private async streamedAnswer<T>(req: HttpRequest, res: Dispatcher.ResponseData, read: (body: AsyncIterable<Uint8Array>) => Promise<unknown>): Promise<HttpAnswer<T>> {
    const { metrics, platform } = this.opts;
    let body: T;
    try {
      body = (await read(res.body)) as T;
    } catch (err) {
      metrics.request(req.endpoint, "error");
      if (req.signal?.aborted) throw err;
      // The rest of a body given up on is not left to hold the connection.
      res.body.destroy();
      throw new MalformedResponseError(platform, req.endpoint, err);
    }
    metrics.request(req.endpoint, res.statusCode);
    return { status: res.statusCode, body, headers: res.headers };
  }

  /** A successful answer whose records are parsed one by one (HttpRequest.items). Its buffer is the page's own: the records' raw sources are views of it. */
  private async itemsAnswer<T>(req: HttpRequest, res: Dispatcher.ResponseData, items: string): Promise<HttpAnswer<T>> {
    const { metrics, platform } = this.opts;
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await res.body.arrayBuffer());
    } catch (err) {
      metrics.request(req.endpoint, "error");
      if (req.signal?.aborted) throw err;
      throw new MalformedResponseError(platform, req.endpoint, err);
    }
    metrics.request(req.endpoint, res.statusCode);
    if (bytes.length === 0) return { status: res.statusCode, body: null as T, headers: res.headers };
    let body: T;
    try {
      body = parseJsonItems(bytes, items) as T;
    } catch (err) {
      throw new MalformedResponseError(platform, req.endpoint, new Error(`not JSON: ${bytes.toString("utf8", 0, 60)}`, { cause: err }));
    }
    if (req.check && !req.check(body)) throw new MalformedResponseError(platform, req.endpoint, new Error(`unexpected shape: ${bytes.toString("utf8", 0, 60)}`));
    return { status: res.statusCode, body, headers: res.headers };
  }
}

/** One header's value (undici gives repeated headers as arrays). */
export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function defaultRefusal(platform: string) {
  return (status: number, endpoint: string, text: string, quota: QuotaHeaders) => new PlatformHttpError(platform, status, endpoint, text, quota.retryAfterMs ?? null);
}

function defaultRetryReason(err: unknown): string {
  if (err instanceof PlatformHttpError) return err.status === 429 ? "rate_limited" : `http_${err.status}`;
  if (err instanceof MalformedResponseError) return "malformed";
  const e = err as { code?: string; cause?: { code?: string }; name?: string };
  return e.code ?? e.cause?.code ?? e.name ?? "network";
}

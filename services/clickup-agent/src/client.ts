import pRetry from "p-retry";
import { Agent, request, type Dispatcher } from "undici";
import type { Logger } from "pino";
import { MalformedResponseError, PlatformHttpError, isRecoverable, type AgentMetrics, type SharedRateBudget } from "@pmo/platform-agent";
import { quotaHeaders } from "./rate-headers.js";
import type { ClickUpSettings } from "./settings.js";

export type Query = Record<string, string | number | boolean | readonly (string | number)[] | undefined | null>;

export interface RequestSpec {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** The endpoint pattern for metrics and messages ("GET /list/:id/task"); never the concrete URL. */
  endpoint: string;
  path: string;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * A write that must not be repeated blindly: after a timeout, reset or 5xx it may have happened,
   * so only a 429 (certainly not executed) is retried here; the caller looks the item up.
   */
  unsafe?: boolean;
}

/** Connections kept open per origin; ClickUp answers ≤ 100 requests a minute per token, so few are needed. @default 8 */
export const DEFAULT_CONNECTIONS = 8;

/**
 * The one place that speaks HTTP to ClickUp: undici with keep-alive, `Authorization: pk_…` (no
 * scheme, as ClickUp wants for personal tokens), every request through the shared per-credential
 * budget (acquire before, observe the X-RateLimit-* headers after), and p-retry for what is worth
 * another try (timeouts, resets, 429, 5xx, malformed JSON).
 */
export class ClickUpClient {
  private readonly dispatcher: Dispatcher;
  private readonly base: URL;

  constructor(
    private readonly opts: {
      baseUrl: string;
      token: string;
      budget: SharedRateBudget;
      metrics: AgentMetrics;
      settings: Pick<ClickUpSettings, "retries" | "retryMinMs" | "timeoutMs">;
      log: Logger;
    },
  ) {
    this.base = new URL(opts.baseUrl.endsWith("/") ? opts.baseUrl : `${opts.baseUrl}/`);
    this.dispatcher = new Agent({ connections: DEFAULT_CONNECTIONS, keepAliveTimeout: 30_000, headersTimeout: opts.settings.timeoutMs, bodyTimeout: opts.settings.timeoutMs });
  }

  get<T>(endpoint: string, path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.call<T>({ endpoint: `GET ${endpoint}`, path, query, signal });
  }

  async call<T>(spec: RequestSpec): Promise<T> {
    const { metrics, settings } = this.opts;
    return pRetry(() => this.once<T>(spec), {
      retries: settings.retries,
      minTimeout: settings.retryMinMs,
      maxTimeout: 10_000,
      factor: 2,
      randomize: true,
      signal: spec.signal,
      shouldRetry: ({ error }) => isRecoverable(error) && (!spec.unsafe || (error instanceof PlatformHttpError && error.status === 429)),
      onFailedAttempt: ({ error, retriesLeft }) => {
        if (retriesLeft > 0) metrics.retry(reasonOf(error));
        this.opts.log.debug({ endpoint: spec.endpoint, err: error.message, retriesLeft }, "clickup request failed");
      },
    });
  }

  private url(path: string, query?: Query): URL {
    const url = new URL(path.replace(/^\//, ""), this.base);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      // ClickUp wants arrays as `list_ids[]=a&list_ids[]=b`.
      if (Array.isArray(v)) for (const x of v) url.searchParams.append(`${k}[]`, String(x));
      else url.searchParams.set(k, String(v));
    }
    return url;
  }

  private async once<T>(spec: RequestSpec): Promise<T> {
    const { budget, metrics, token } = this.opts;
    await budget.acquire(spec.signal);
    const method = spec.method ?? "GET";
    let res: Dispatcher.ResponseData;
    try {
      res = await request(this.url(spec.path, spec.query), {
        dispatcher: this.dispatcher,
        method,
        headers: { authorization: token, accept: "application/json", ...(spec.body === undefined ? {} : { "content-type": "application/json" }) },
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: spec.signal,
      });
    } catch (err) {
      metrics.request(spec.endpoint, "error");
      throw err;
    }
    const quota = quotaHeaders(res.statusCode, res.headers);
    if (quota.remaining !== undefined) metrics.quota(quota.remaining);
    await budget.observe(quota);
    let text: string;
    try {
      text = await res.body.text();
    } catch (err) {
      metrics.request(spec.endpoint, "error");
      throw err;
    }
    metrics.request(spec.endpoint, res.statusCode);
    if (res.statusCode >= 400) throw new PlatformHttpError("clickup", res.statusCode, spec.endpoint, errorText(text), quota.retryAfterMs ?? null);
    if (res.statusCode === 204 || text === "") return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new MalformedResponseError("clickup", spec.endpoint, err);
    }
  }
}

/** ClickUp's `{"err","ECODE"}` as "Token invalid (OAUTH_025)"; anything else as sent. */
function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { err?: unknown; ECODE?: unknown };
    if (typeof body.err === "string") return `${body.err}${typeof body.ECODE === "string" ? ` (${body.ECODE})` : ""}`;
  } catch {
    // not JSON: ClickUp answers unknown routes with an HTML page
  }
  return text.slice(0, 300);
}

function reasonOf(err: unknown): string {
  if (err instanceof PlatformHttpError) return err.status === 429 ? "rate_limited" : `http_${err.status}`;
  if (err instanceof MalformedResponseError) return "malformed";
  const e = err as { code?: string; cause?: { code?: string }; name?: string };
  return e.code ?? e.cause?.code ?? e.name ?? "network";
}

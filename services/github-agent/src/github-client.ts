import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck";
import { headerValue, MalformedResponseError, PlatformHttp, PlatformHttpError, type AgentMetrics, type SharedRateBudget } from "@pmo/platform-agent";
import { budgetPlugin, endpointPattern, quotaHeaders } from "./octokit-budget.js";
import type { GitHubSettings } from "./settings.js";

/**
 * Writes: @octokit/rest with the budget plugin (registered first, so every attempt passes the shared
 * budget), @octokit/plugin-retry and @octokit/plugin-throttling, whose queues space content-creating
 * requests for GitHub's secondary limits. Writes are few and spaced anyway, so what those queues
 * cost does not matter there.
 */
const WriteOctokit = Octokit.plugin(budgetPlugin as never, retry, throttling);

/** One page of a list endpoint; 304 means "unchanged since the ETag you sent" (no quota spent). */
export interface ListPage<T> {
  status: 200 | 304;
  items: T[];
  etag: string | null;
  next: string | null;
}

export interface GitHubClientOptions {
  baseUrl: string;
  token: string;
  budget: SharedRateBudget;
  metrics: AgentMetrics;
  settings: GitHubSettings;
  /** Headers and body of a read must arrive within it. @default 30 s */
  timeoutMs?: number;
}

type Params = Record<string, unknown>;

/** `<url>; rel="next"` out of GitHub's link header (always follow the links, never build page numbers). */
export function nextLink(link: string | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (m) return m[1]!;
  }
  return null;
}

/**
 * `GET /repos/{owner}/{repo}/issues` + params → the URL octokit would build: `{name}` filled from
 * params (encoded), the other params as the query string (arrays comma-joined, as GitHub reads them).
 * A route whose path is already a URL (a followed `rel="next"` link) is taken as it is.
 */
export function expandRoute(http: PlatformHttp, path: string, params: Params): URL {
  if (/^https?:\/\//.test(path)) return new URL(path);
  const used = new Set<string>();
  const filled = path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    used.add(name);
    return encodeURIComponent(String(params[name]));
  });
  const query: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (!used.has(k) && v !== undefined && v !== null) query[k] = Array.isArray(v) ? v.join(",") : v;
  return http.url(filled, query);
}

/**
 * The only door to the GitHub REST API. Reads (the bulk of a collection: listings, timelines) go
 * through the kit's PlatformHttp: undici with keep-alive, the shared per-credential budget (primary
 * limit for every replica, Retry-After and reset honoured by everyone), p-retry for 5xx, 429,
 * rate-limit 403s, resets and broken bodies, bodies parsed with JSON.parse. Measured on the sandbox,
 * a 10k-item collection took 37 s through octokit with its retry and throttling plugins (Bottleneck
 * queues around every request, the retry plugin a new one per request) and json-with-bigint parsing,
 * against a 7 s plain-undici floor. Writes go through octokit (see WriteOctokit). HTTP failures leave
 * as PlatformHttpError so toJobFailure can classify them.
 */
export class GitHubClient {
  private readonly http: PlatformHttp;
  private readonly writer: InstanceType<typeof WriteOctokit>;

  constructor(opts: GitHubClientOptions) {
    const { settings, metrics } = opts;
    this.http = new PlatformHttp({
      platform: "github",
      baseUrl: opts.baseUrl,
      headers: { authorization: `Bearer ${opts.token}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "user-agent": "pmo-github-agent" },
      budget: opts.budget,
      metrics,
      timeoutMs: opts.timeoutMs ?? 30_000,
      connections: Math.max(8, settings.concurrency),
      retry: { retries: settings.retries, minTimeoutMs: settings.retryBaseMs, maxTimeoutMs: 30_000 },
      quota: (status, headers, body) => quotaHeaders(status, headers, body),
      refusal: (status, endpoint, text, quota) => githubRefusal(status, endpoint, text, quota.remaining, quota.retryAfterMs ?? null),
      retryReason,
    });
    const spacing = { maxConcurrent: 1, minTime: settings.writeIntervalMs };
    this.writer = new WriteOctokit({
      baseUrl: opts.baseUrl.replace(/\/$/, ""),
      auth: opts.token,
      userAgent: "pmo-github-agent",
      headers: { "x-github-api-version": "2022-11-28" },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      pmo: { budget: opts.budget, metrics },
      retry: { retries: settings.retries, retryAfterBaseValue: Math.max(1, settings.retryBaseMs) },
      throttle: {
        // GitHub's secondary limits: writes spaced out (≥1 s by default), notifications too.
        write: new Bottleneck.Group(spacing),
        notifications: new Bottleneck.Group(spacing),
        retryAfterBaseValue: 1000,
        fallbackSecondaryRateRetryAfter: 60,
        onRateLimit: (_after: number, _o: unknown, _k: unknown, retryCount: number) => {
          metrics.retry("rate_limit");
          return retryCount < settings.retries;
        },
        onSecondaryRateLimit: (_after: number, _o: unknown, _k: unknown, retryCount: number) => {
          metrics.retry("secondary_rate_limit");
          return retryCount < settings.retries;
        },
      },
    } as ConstructorParameters<typeof WriteOctokit>[0]);
  }

  /** One page of a list; `etag` makes it conditional. */
  async page<T>(route: string, params: Params, opts: { etag?: string | null; signal?: AbortSignal } = {}): Promise<ListPage<T>> {
    const r = await this.read(route, params, opts, Array.isArray);
    return r.status === 304 ? { status: 304, items: [], etag: opts.etag ?? null, next: null } : { status: 200, items: r.body as T[], etag: r.etag, next: nextLink(r.link) };
  }

  /** Follows a `rel="next"` link. */
  nextPage<T>(url: string, signal?: AbortSignal): Promise<ListPage<T>> {
    return this.page<T>(`GET ${url}`, {}, { signal });
  }

  /** Every item of a (small) list: the pages followed to the end. */
  async all<T>(route: string, params: Params, signal?: AbortSignal): Promise<T[]> {
    let page = await this.page<T>(route, { per_page: 100, ...params }, { signal });
    const out = [...page.items];
    while (page.next) {
      page = await this.nextPage<T>(page.next, signal);
      out.push(...page.items);
    }
    return out;
  }

  async get<T>(route: string, params: Params, opts: { etag?: string | null; signal?: AbortSignal } = {}): Promise<{ status: 200 | 304; data: T | null; etag: string | null }> {
    const r = await this.read(route, params, opts, isObject);
    return { status: r.status, data: r.status === 304 ? null : (r.body as T), etag: r.etag ?? opts.etag ?? null };
  }

  /**
   * A write. Never retried here on a malformed answer: the write may have happened, and the caller's
   * ledger decides (look the item up before trying again).
   */
  async send<T>(route: string, params: Params, signal?: AbortSignal): Promise<T> {
    const endpoint = endpointPattern(route.split(" ")[0]!, route.split(" ")[1] ?? route);
    try {
      const r = await this.writer.request(route, { ...params, request: { signal } });
      if (!isObject(r.data)) throw new MalformedResponseError("github", endpoint, new Error("expected a JSON object"));
      return r.data as T;
    } catch (err) {
      throw asPlatformError(err, endpoint);
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /** A GET, conditional when `etag` is given (a 304 spends no quota). */
  private async read(route: string, params: Params, opts: { etag?: string | null; signal?: AbortSignal }, check: (body: unknown) => boolean) {
    const [method, path] = route.includes(" ") ? (route.split(" ", 2) as [string, string]) : ["GET", route];
    const r = await this.http.call<unknown>({
      method: method as "GET",
      endpoint: endpointPattern(method, path),
      url: expandRoute(this.http, path, params),
      headers: opts.etag ? { "if-none-match": opts.etag } : undefined,
      accept: [304],
      check,
      signal: opts.signal,
    });
    return { status: r.status === 304 ? (304 as const) : (200 as const), body: r.body, etag: headerValue(r.headers, "etag") ?? null, link: headerValue(r.headers, "link") };
  }
}

/** GitHub answers an exhausted (primary or secondary) limit with 403 as often as 429: both are worth waiting for. */
export class GitHubRateLimitError extends PlatformHttpError {
  override name = "GitHubRateLimitError";
  constructor(status: number, endpoint: string, body: string, retryAfterMs: number | null) {
    super("github", status, endpoint, body, retryAfterMs);
  }

  override get recoverable(): boolean {
    return true;
  }
}

/** A refused request as the kit's error: a 403/429 that is a rate limit (remaining 0, Retry-After, or GitHub's message) is recoverable. */
export function githubRefusal(status: number, endpoint: string, body: string, remaining: number | undefined, retryAfterMs: number | null): PlatformHttpError {
  const limited = (status === 403 || status === 429) && (remaining === 0 || retryAfterMs !== null || /rate limit/i.test(body));
  return limited ? new GitHubRateLimitError(status, endpoint, body, retryAfterMs) : new PlatformHttpError("github", status, endpoint, body, retryAfterMs);
}

function isObject(data: unknown): boolean {
  return typeof data === "object" && data !== null && !Array.isArray(data);
}

/** The metric label of a retried read. */
function retryReason(err: unknown): string {
  if (err instanceof GitHubRateLimitError) return /secondary/i.test(err.body) ? "secondary_rate_limit" : "rate_limit";
  if (err instanceof PlatformHttpError) return `http_${err.status}`;
  if (err instanceof MalformedResponseError) return "malformed";
  const e = err as { code?: string; cause?: { code?: string }; name?: string };
  return e.code ?? e.cause?.code ?? e.name ?? "network";
}

/**
 * octokit's RequestError (from a write) → the kit's PlatformHttpError (status, endpoint, body,
 * Retry-After). A request that got no answer (reset, refused, timeout) comes back as octokit's
 * status-500 error wrapping fetch's TypeError; the TypeError (whose cause carries the socket's code)
 * is what the kit's classification reads.
 */
export function asPlatformError(err: unknown, endpoint: string): unknown {
  const e = err as { status?: number; response?: { data?: unknown; headers?: Record<string, unknown> }; name?: string };
  if (err instanceof MalformedResponseError || err instanceof PlatformHttpError) return err;
  if (e?.name === "AbortError") return err;
  if (typeof e?.status === "number" && !e.response && (err as { cause?: unknown }).cause instanceof Error) return (err as { cause: Error }).cause;
  if (typeof e?.status === "number" && e.response) {
    const retryAfter = Number(e.response.headers?.["retry-after"]);
    const body = typeof e.response.data === "string" ? e.response.data : JSON.stringify(e.response.data ?? "");
    const after = Number.isFinite(retryAfter) ? retryAfter * 1000 : null;
    const remaining = e.response.headers?.["x-ratelimit-remaining"];
    return githubRefusal(e.status, endpoint, body, remaining === undefined ? undefined : Number(remaining), after);
  }
  return err;
}

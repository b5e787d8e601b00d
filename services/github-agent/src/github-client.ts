import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck";
import pRetry from "p-retry";
import { MalformedResponseError, PlatformHttpError, type AgentMetrics, type SharedRateBudget } from "@pmo/platform-agent";
import { budgetPlugin, endpointPattern } from "./octokit-budget.js";
import type { GitHubSettings } from "./settings.js";

/** Registered first: the retry and throttling plugins wrap it, so each attempt passes the budget. */
const PmoOctokit = Octokit.plugin(budgetPlugin as never, retry, throttling);

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
 * The only door to the GitHub REST API: @octokit/rest with the throttling plugin (primary and
 * secondary limits, Retry-After) and the retry plugin (5xx, resets), every request counted against
 * the shared per-credential budget. Malformed bodies are retried here; HTTP failures leave as
 * PlatformHttpError so toJobFailure can classify them.
 */
export class GitHubClient {
  readonly octokit: InstanceType<typeof PmoOctokit>;

  constructor(private readonly opts: GitHubClientOptions) {
    const { settings, metrics } = opts;
    const spacing = { maxConcurrent: 1, minTime: settings.writeIntervalMs };
    const retryAfterBase = Math.max(1, settings.retryBaseMs);
    this.octokit = new PmoOctokit({
      baseUrl: opts.baseUrl.replace(/\/$/, ""),
      auth: opts.token,
      userAgent: "pmo-github-agent",
      headers: { "x-github-api-version": "2022-11-28" },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      pmo: { budget: opts.budget, metrics },
      retry: { retries: settings.retries, retryAfterBaseValue: retryAfterBase },
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
    } as ConstructorParameters<typeof PmoOctokit>[0]);
  }

  /** One page of a list; `etag` makes it conditional. */
  page<T>(route: string, params: Params, opts: { etag?: string | null; signal?: AbortSignal } = {}): Promise<ListPage<T>> {
    const headers = opts.etag ? { "if-none-match": opts.etag } : {};
    return this.read(route, () => this.octokit.request(route, { ...params, headers, request: { signal: opts.signal } }), (data) => Array.isArray(data)).then((r) =>
      r.status === 304
        ? { status: 304 as const, items: [], etag: opts.etag ?? null, next: null }
        : { status: 200 as const, items: r.data as T[], etag: r.etag, next: nextLink(r.link) },
    );
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
    const headers = opts.etag ? { "if-none-match": opts.etag } : {};
    const r = await this.read(route, () => this.octokit.request(route, { ...params, headers, request: { signal: opts.signal } }), isObject);
    return { status: r.status, data: r.status === 304 ? null : (r.data as T), etag: r.etag ?? opts.etag ?? null };
  }

  /**
   * A write. Never retried here on a malformed answer: the write may have happened, and the caller's
   * ledger decides (look the item up before trying again).
   */
  async send<T>(route: string, params: Params, signal?: AbortSignal): Promise<T> {
    const endpoint = endpointPattern(route.split(" ")[0]!, route.split(" ")[1] ?? route);
    try {
      const r = await this.octokit.request(route, { ...params, request: { signal } });
      if (!isObject(r.data)) throw new MalformedResponseError("github", endpoint, new Error("expected a JSON object"));
      return r.data as T;
    } catch (err) {
      throw asPlatformError(err, endpoint);
    }
  }

  private read(route: string, call: () => Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>, wellFormed: (data: unknown) => boolean) {
    const [method, url] = route.includes(" ") ? route.split(" ", 2) : ["GET", route];
    const endpoint = endpointPattern(method!, url!);
    return pRetry(
      async () => {
        try {
          const r = await call();
          if (!wellFormed(r.data)) throw new MalformedResponseError("github", endpoint, new Error(typeof r.data === "string" ? `not JSON: ${r.data.slice(0, 60)}` : "unexpected shape"));
          return { status: 200 as const, data: r.data, etag: (r.headers.etag as string | undefined) ?? null, link: r.headers.link as string | undefined };
        } catch (err) {
          if ((err as { status?: number }).status === 304) return { status: 304 as const, data: null, etag: null, link: undefined };
          throw asPlatformError(err, endpoint);
        }
      },
      {
        retries: this.opts.settings.retries,
        minTimeout: this.opts.settings.retryBaseMs,
        factor: 2,
        // Only what octokit's plugins do not already retry: bodies that arrived broken.
        shouldRetry: ({ error }) => error instanceof MalformedResponseError,
        onFailedAttempt: ({ error }) => {
          if (error instanceof MalformedResponseError) this.opts.metrics.retry("malformed");
        },
      },
    );
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

function isObject(data: unknown): boolean {
  return typeof data === "object" && data !== null && !Array.isArray(data);
}

/** octokit's RequestError → the kit's PlatformHttpError (status, endpoint, body, Retry-After). */
export function asPlatformError(err: unknown, endpoint: string): unknown {
  const e = err as { status?: number; response?: { data?: unknown; headers?: Record<string, unknown> }; name?: string };
  if (err instanceof MalformedResponseError || err instanceof PlatformHttpError) return err;
  if (e?.name === "AbortError") return err;
  if (typeof e?.status === "number" && e.response) {
    const retryAfter = Number(e.response.headers?.["retry-after"]);
    const body = typeof e.response.data === "string" ? e.response.data : JSON.stringify(e.response.data ?? "");
    const after = Number.isFinite(retryAfter) ? retryAfter * 1000 : null;
    const limited = (e.status === 403 || e.status === 429) && (e.response.headers?.["x-ratelimit-remaining"] === "0" || after !== null || /rate limit/i.test(body));
    return limited ? new GitHubRateLimitError(e.status, endpoint, body, after) : new PlatformHttpError("github", e.status, endpoint, body, after);
  }
  return err;
}

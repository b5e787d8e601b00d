import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import Bottleneck from "bottleneck";
import pRetry from "p-retry";
import { MalformedResponseError, PlatformHttpError, type AgentMetrics, type SharedRateBudget } from "@pmo/platform-agent";
import { budgetPlugin, endpointPattern } from "./octokit-budget.js";
import type { GitHubSettings } from "./settings.js";

/**
 * The budget plugin is registered first, so the retry (and throttling) plugins wrap it and every
 * attempt passes the budget. Reads go through budget + retry only: the shared budget already keeps
 * every replica under the primary limit and honours Retry-After, and the throttling plugin's two
 * Bottleneck queues cost more per request than the whole HTTP exchange (measured: 1,500 timeline
 * pages 3.9 s with it vs 1.6 s without, same sandbox). Writes also go through the throttling plugin:
 * GitHub's secondary limits (content creation, notifications) are about spacing writes, which is
 * what its queues are for, and writes are few.
 */
const ReadOctokit = Octokit.plugin(budgetPlugin as never, retry);
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
  private readonly reader: InstanceType<typeof ReadOctokit>;
  private readonly writer: InstanceType<typeof WriteOctokit>;

  constructor(private readonly opts: GitHubClientOptions) {
    const { settings, metrics } = opts;
    const spacing = { maxConcurrent: 1, minTime: settings.writeIntervalMs };
    const common = {
      baseUrl: opts.baseUrl.replace(/\/$/, ""),
      auth: opts.token,
      userAgent: "pmo-github-agent",
      headers: { "x-github-api-version": "2022-11-28" },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      pmo: { budget: opts.budget, metrics },
      retry: { retries: settings.retries, retryAfterBaseValue: Math.max(1, settings.retryBaseMs) },
    };
    this.reader = new ReadOctokit(common as ConstructorParameters<typeof ReadOctokit>[0]);
    this.writer = new WriteOctokit({
      ...common,
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
    const r = await this.read(route, params, opts, (data) => Array.isArray(data));
    return r.status === 304
      ? { status: 304 as const, items: [], etag: opts.etag ?? null, next: null }
      : { status: 200 as const, items: r.data as T[], etag: r.etag, next: nextLink(r.link) };
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
    return { status: r.status, data: r.status === 304 ? null : (r.data as T), etag: r.etag ?? opts.etag ?? null };
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

  /**
   * A GET, conditional when `etag` is given. The body is parsed here with the native JSON.parse:
   * octokit's own parser (json-with-bigint: a regex pass and a reviver over every value) cost more
   * CPU than everything else in a collection, and GitHub's ids are all safe integers. Each attempt
   * gets its own abort signal tied to the caller's, because fetch leaves its abort listener on the
   * signal it was given until the request is garbage-collected, and a job's signal sees thousands
   * of requests.
   */
  private read(route: string, params: Params, opts: { etag?: string | null; signal?: AbortSignal }, wellFormed: (data: unknown) => boolean) {
    const [method, url] = route.includes(" ") ? route.split(" ", 2) : ["GET", route];
    const endpoint = endpointPattern(method!, url!);
    const headers = opts.etag ? { "if-none-match": opts.etag } : {};
    return pRetry(
      async () => {
        try {
          const r = await withOwnSignal(opts.signal, (signal) => this.reader.request(route, { ...params, headers, request: { signal, parseSuccessResponseBody: false } }).then(async (res) => ({ ...res, data: await parseJsonBody(res.data as ReadableStream<Uint8Array> | null, endpoint) })));
          if (!wellFormed(r.data)) throw new MalformedResponseError("github", endpoint, new Error("unexpected shape"));
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
        // What the retry plugin does not retry: bodies that arrived broken, and GitHub's rate-limit
        // 403s (for reads the throttling plugin is not in the chain). The next attempt passes the
        // shared budget, which has already folded in the Retry-After / reset of the refusal and
        // holds every replica until then.
        shouldRetry: ({ error }) => error instanceof MalformedResponseError || error instanceof GitHubRateLimitError,
        onFailedAttempt: ({ error }) => {
          if (error instanceof MalformedResponseError) this.opts.metrics.retry("malformed");
          else if (error instanceof GitHubRateLimitError) this.opts.metrics.retry(/secondary/i.test(error.body) ? "secondary_rate_limit" : "rate_limit");
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

/** A success body, read to the end and parsed; a truncated or non-JSON body is a MalformedResponseError (retried). */
async function parseJsonBody(body: ReadableStream<Uint8Array> | null, endpoint: string): Promise<unknown> {
  if (!body) throw new MalformedResponseError("github", endpoint, new Error("empty body"));
  const decoder = new TextDecoder();
  let text = "";
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
    text += decoder.decode();
  } catch (err) {
    // The connection broke mid-body: as broken as a truncated body, and as worth another try.
    throw new MalformedResponseError("github", endpoint, new Error(`body cut off after ${text.length} characters: ${(err as Error).message}`, { cause: err }));
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MalformedResponseError("github", endpoint, new Error(`not JSON: ${text.slice(0, 60)}`, { cause: err }));
  }
}

/** Runs `call` with a signal of its own that follows `parent`, and detaches it when the call ends. */
async function withOwnSignal<T>(parent: AbortSignal | undefined, call: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!parent) return call(undefined);
  parent.throwIfAborted();
  const own = new AbortController();
  const follow = () => own.abort(parent.reason);
  parent.addEventListener("abort", follow, { once: true });
  try {
    return await call(own.signal);
  } finally {
    parent.removeEventListener("abort", follow);
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

import { PlatformHttp, PlatformHttpError, type PlatformClientOptions } from "@pmo/platform-agent";
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
  /** The member holding a page's records ("tasks"): parsed one by one, each keeping its text as its raw source. */
  items?: string;
  /** Reads the body as it streams in (PlatformHttp's `stream`): never held whole. */
  stream?: (body: AsyncIterable<Uint8Array>) => Promise<unknown>;
}

/** Connections kept open per origin; ClickUp answers ≤ 100 requests a minute per token, so few are needed. @default 8 */
export const DEFAULT_CONNECTIONS = 8;

/**
 * The one place that speaks HTTP to ClickUp: the kit's PlatformHttp (undici keep-alive, shared
 * per-credential budget, p-retry) with `Authorization: pk_…` (no scheme, as ClickUp wants for
 * personal tokens), ClickUp's X-RateLimit-* headers and its `{err, ECODE}` error bodies.
 */
export class ClickUpClient {
  private readonly http: PlatformHttp;

  constructor(opts: PlatformClientOptions & { settings: Pick<ClickUpSettings, "retries" | "retryMinMs" | "timeoutMs"> }) {
    this.http = new PlatformHttp({
      platform: "clickup",
      baseUrl: opts.baseUrl,
      headers: { authorization: opts.token, accept: "application/json" },
      budget: opts.budget,
      metrics: opts.metrics,
      log: opts.log,
      connections: DEFAULT_CONNECTIONS,
      timeoutMs: opts.settings.timeoutMs,
      retry: { retries: opts.settings.retries, minTimeoutMs: opts.settings.retryMinMs, maxTimeoutMs: 10_000 },
      quota: (status, headers) => quotaHeaders(status, headers),
      refusal: (status, endpoint, text, quota) => new PlatformHttpError("clickup", status, endpoint, errorText(text), quota.retryAfterMs ?? null),
    });
  }

  get<T>(endpoint: string, path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return this.call<T>({ endpoint: `GET ${endpoint}`, path, query, signal });
  }

  async call<T>(spec: RequestSpec): Promise<T> {
    const answer = await this.http.call<T>({ method: spec.method, endpoint: spec.endpoint, url: this.http.url(spec.path, bracketArrays(spec.query)), body: spec.body, unsafe: spec.unsafe, items: spec.items, stream: spec.stream, signal: spec.signal });
    return answer.body ?? ({} as T);
  }
}

/** ClickUp wants arrays as `list_ids[]=a&list_ids[]=b`. */
function bracketArrays(query: Query | undefined): Record<string, unknown> | undefined {
  if (!query) return undefined;
  return Object.fromEntries(Object.entries(query).map(([k, v]) => (Array.isArray(v) ? [`${k}[]`, v] : [k, v])));
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

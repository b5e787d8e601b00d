import type { Octokit } from "@octokit/rest";
import type { AgentMetrics, QuotaHeaders, SharedRateBudget } from "@pmo/platform-agent";

/** What the budget hook needs; passed to the Octokit constructor as the `pmo` option. */
export interface BudgetHookOptions {
  budget: SharedRateBudget;
  metrics: AgentMetrics;
}

type Headers = Record<string, string | string[] | number | undefined>;

/**
 * GitHub's advice for a secondary-limit refusal that names no Retry-After: wait at least a minute
 * (docs: "rate limits for the REST API", exceeding the secondary rate limit).
 */
export const SECONDARY_LIMIT_WAIT_MS = 60_000;

/** GitHub's `x-ratelimit-*` and `retry-after` as the shared budget reads them (reset is epoch seconds). */
export function quotaHeaders(status: number, headers: Headers, body?: unknown): QuotaHeaders {
  const num = (name: string) => {
    const v = headers[name];
    return v === undefined ? undefined : Number(Array.isArray(v) ? v[0] : v);
  };
  const q: QuotaHeaders = { limit: num("x-ratelimit-limit"), remaining: num("x-ratelimit-remaining") };
  const reset = num("x-ratelimit-reset");
  if (reset !== undefined) q.resetAt = reset * 1000;
  const retryAfter = num("retry-after");
  if (retryAfter !== undefined && (status === 403 || status === 429)) q.retryAfterMs = retryAfter * 1000;
  else if ((status === 403 || status === 429) && q.remaining !== 0 && /secondary rate limit/i.test(typeof body === "string" ? body : JSON.stringify(body ?? ""))) q.retryAfterMs = SECONDARY_LIMIT_WAIT_MS;
  return q;
}

/** "GET /repos/{owner}/{repo}/issues/{issue_number}" or a concrete link URL → a low-cardinality pattern. */
export function endpointPattern(method: string, url: string): string {
  const path = url.replace(/^https?:\/\/[^/]+/, "").split("?")[0]!.replace(/^\/api\/v3/, "");
  const generic = path
    .replace(/^\/repos\/[^/]+\/[^/]+/, "/repos/:owner/:repo")
    .replace(/^\/repositories\/\d+/, "/repos/:owner/:repo")
    .replace(/\{[^}]+\}/g, ":n")
    .replace(/\/\d+(?=\/|$)/g, "/:n");
  return `${method} ${generic}`;
}

/**
 * An Octokit plugin that puts every HTTP request (retries included: it is registered first, so the
 * retry and throttling plugins wrap it) through the credential's shared budget, and feeds the
 * platform's quota headers back (the budget decides what is worth a KV round trip). The writes'
 * path: reads go through the kit's PlatformHttp, which does the same.
 */
export function budgetPlugin(octokit: Octokit, options: { pmo?: BudgetHookOptions }): void {
  const pmo = options.pmo;
  if (!pmo) return;
  octokit.hook.wrap("request", async (request, opts) => {
    const endpoint = endpointPattern(opts.method, opts.url);
    if ((opts.request as { retryCount?: number } | undefined)?.retryCount) pmo.metrics.retry("http");
    await pmo.budget.acquire((opts.request as { signal?: AbortSignal } | undefined)?.signal);
    const settle = async (status: number, headers: Headers | undefined, body?: unknown) => {
      pmo.metrics.request(endpoint, status);
      if (!headers) return;
      const q = quotaHeaders(status, headers, body);
      if (q.remaining !== undefined) pmo.metrics.quota(q.remaining);
      await pmo.budget.report(status, q);
    };
    try {
      const response = await request(opts);
      await settle(response.status, response.headers as Headers);
      return response;
    } catch (err) {
      const e = err as { status?: number; response?: { headers: Headers; data?: unknown } };
      if (e.response) await settle(e.status ?? 0, e.response.headers, e.response.data);
      else pmo.metrics.request(endpoint, "error");
      throw err;
    }
  });
}

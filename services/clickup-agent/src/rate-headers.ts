import type { QuotaHeaders } from "@pmo/platform-agent";

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function numberOf(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * ClickUp's `X-RateLimit-*` headers (platform-apis.md §1.6). The reset is "a Unix timestamp" whose
 * unit the docs leave open, so both are read: below 10^12 it is seconds. ClickUp documents no
 * Retry-After on a 429, so the reset stands in for it (one is honoured if it ever appears).
 */
export function quotaHeaders(status: number, headers: Headers, now = Date.now()): QuotaHeaders {
  const reset = numberOf(header(headers, "x-ratelimit-reset"));
  const resetAt = reset === undefined ? undefined : reset < 1e12 ? reset * 1000 : reset;
  const out: QuotaHeaders = {
    limit: numberOf(header(headers, "x-ratelimit-limit")),
    remaining: numberOf(header(headers, "x-ratelimit-remaining")),
    resetAt,
  };
  if (status === 429) out.retryAfterMs = retryAfterMs(header(headers, "retry-after"), now) ?? Math.max(250, (resetAt ?? now + 1_000) - now);
  return out;
}

/** Retry-After as seconds or an HTTP date. */
function retryAfterMs(text: string | undefined, now: number): number | undefined {
  if (!text) return undefined;
  const seconds = numberOf(text);
  if (seconds !== undefined) return Math.max(0, seconds * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

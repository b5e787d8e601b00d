/**
 * GitHub's primary and secondary rate limits, counted with the kit's fixed windows on the sandbox
 * clock (so `timeScale` shortens them: 60 ⇒ the hourly quota renews every real minute).
 *
 * Primary: a per-identity budget per hour (5,000 for a token, 60 for anonymous callers), reported on
 * every response as `x-ratelimit-{limit,remaining,used,reset,resource}`; `reset` is wall-clock epoch
 * seconds, because clients compute their wait as `reset - Date.now()`.
 * Secondary: content-creating requests per minute; exceeding it answers 403 with `retry-after`
 * (real seconds). GitHub's concurrency cap (100 in flight) is not emulated: handlers here answer
 * synchronously, so requests never overlap inside the emulator.
 */
import type { SandboxContext } from "../kit/types.js";
import { FixedWindowLimiter, type RateDecision, retryAfterSeconds } from "../kit/rate-window.js";

export const DEFAULT_PRIMARY_LIMIT = 5_000; // authenticated user, per hour (GitHub docs)
export const ANONYMOUS_PRIMARY_LIMIT = 60; // unauthenticated, per hour per IP
export const PRIMARY_WINDOW_MS = 3_600_000;
export const DEFAULT_CONTENT_CREATING_PER_MINUTE = 80;
const SECONDARY_WINDOW_MS = 60_000;

export interface RateLimitOptions {
  /** Requests per hour for the token. @default 5000 */
  limit?: number;
  /** GitHub answers an exhausted primary limit with 403 or 429; both occur in the wild. @default 403 */
  exhaustedStatus?: 403 | 429;
}

export interface SecondaryLimitOptions {
  /** Content-creating requests (new issues, comments, hooks) per minute. @default 80 */
  contentCreatingPerMinute?: number;
}

export type QuotaIdentity = "token" | "anonymous";

export interface QuotaSnapshot {
  limit: number;
  remaining: number;
  used: number;
  /** Wall-clock epoch ms at which the window renews. */
  resetMs: number;
}

export class GitHubQuota {
  private readonly primary: Record<QuotaIdentity, FixedWindowLimiter>;
  private readonly creations: FixedWindowLimiter;

  constructor(
    private readonly ctx: SandboxContext,
    tokenLimit: number,
    contentCreatingPerMinute: number,
  ) {
    const now = () => ctx.now();
    this.primary = {
      token: new FixedWindowLimiter({ limit: tokenLimit, windowMs: PRIMARY_WINDOW_MS, now }),
      anonymous: new FixedWindowLimiter({ limit: ANONYMOUS_PRIMARY_LIMIT, windowMs: PRIMARY_WINDOW_MS, now }),
    };
    this.creations = new FixedWindowLimiter({ limit: contentCreatingPerMinute, windowMs: SECONDARY_WINDOW_MS, now });
  }

  private snapshot(decision: RateDecision): QuotaSnapshot {
    const scale = this.ctx.timeScale > 0 ? this.ctx.timeScale : 1;
    const resetMs = Date.now() + (decision.resetAt - this.ctx.now()) / scale;
    return { limit: decision.limit, remaining: decision.remaining, used: decision.used, resetMs };
  }

  peek(identity: QuotaIdentity): QuotaSnapshot {
    return this.snapshot(this.primary[identity].peek());
  }

  /** Spends one request; the caller has already checked that some remain. */
  spend(identity: QuotaIdentity): QuotaSnapshot {
    return this.snapshot(this.primary[identity].take());
  }

  /** Real seconds to wait before creating more content, or null when this request may go ahead (and is counted). */
  admitContentCreation(identity: QuotaIdentity): number | null {
    const decision = this.creations.take(identity);
    return decision.allowed ? null : retryAfterSeconds(decision.retryAfterMs, this.ctx.timeScale);
  }

  reset(): void {
    this.primary.token.reset();
    this.primary.anonymous.reset();
    this.creations.reset();
  }
}

export function rateLimitHeaders(snapshot: QuotaSnapshot, resource = "core"): Record<string, string> {
  return {
    "x-ratelimit-limit": String(snapshot.limit),
    "x-ratelimit-remaining": String(snapshot.remaining),
    "x-ratelimit-reset": String(Math.ceil(snapshot.resetMs / 1000)),
    "x-ratelimit-used": String(snapshot.used),
    "x-ratelimit-resource": resource,
  };
}

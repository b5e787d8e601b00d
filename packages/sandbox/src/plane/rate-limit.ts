/**
 * Plane's `ApiKeyRateThrottle` (`apps/api/plane/api/rate_limit.py`): DRF's SimpleRateThrottle (the
 * kit's SlidingWindowLimiter, on the sandbox clock) keyed by the X-API-Key value, plus the two
 * headers Plane adds on allowed requests (there is no X-RateLimit-Limit):
 * - `X-RateLimit-Remaining` = limit − requests in the window, counting the current one;
 * - `X-RateLimit-Reset` = int(now + window) in Unix seconds — computed per request, not the window's
 *   true end — expressed on the real wall clock so clients can compare it with their own time.
 * Refused requests are not recorded; the 429 carries `Retry-After` = DRF's wait in real seconds.
 */
import { isKitContext } from "../kit/context.js";
import { retryAfterSeconds, SlidingWindowLimiter } from "../kit/rate-window.js";
import type { SandboxContext } from "../kit/types.js";

/** Plane's default `API_KEY_RATE_LIMIT` ("60/minute"). @default 60 */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;
const MINUTE_MS = 60_000;

export type ThrottleDecision =
  | { allowed: true; headers: { "X-RateLimit-Remaining": string; "X-RateLimit-Reset": string } }
  | { allowed: false; retryAfterSeconds: number };

/** What the control API reports as the Plane quota: requests let through and refused per key. */
export interface ThrottleStatus {
  limitPerMinute: number;
  keys: Record<string, { allowed: number; throttled: number }>;
}

export class ApiKeyThrottle {
  private readonly limiter: SlidingWindowLimiter;
  private counts: ThrottleStatus["keys"] = {};

  constructor(
    private readonly ctx: SandboxContext,
    private readonly limitPerMinute: number,
  ) {
    this.limiter = new SlidingWindowLimiter({ limit: limitPerMinute, windowMs: MINUTE_MS, now: () => ctx.now() });
  }

  check(apiKey: string): ThrottleDecision {
    const decision = this.limiter.take(apiKey);
    const counts = (this.counts[apiKey] ??= { allowed: 0, throttled: 0 });
    if (decision.allowed) counts.allowed++;
    else counts.throttled++;
    if (!decision.allowed) return { allowed: false, retryAfterSeconds: retryAfterSeconds(decision.retryAfterMs, this.ctx.timeScale) };
    const resetRealMs = isKitContext(this.ctx)
      ? this.ctx.clock.toRealEpochMs(decision.resetAt)
      : Date.now() + MINUTE_MS / this.ctx.timeScale;
    return {
      allowed: true,
      headers: {
        "X-RateLimit-Remaining": String(Math.max(0, decision.remaining)),
        "X-RateLimit-Reset": String(Math.floor(resetRealMs / 1000)),
      },
    };
  }

  status(): ThrottleStatus {
    return { limitPerMinute: this.limitPerMinute, keys: structuredClone(this.counts) };
  }

  reset(): void {
    this.limiter.reset();
    this.counts = {};
  }
}

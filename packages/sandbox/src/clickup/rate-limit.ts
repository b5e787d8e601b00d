/**
 * ClickUp's per-token limit (platform-apis.md §1.6): 100 requests per minute by default
 * (Business Plus 1,000, Enterprise 10,000), `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
 * `X-RateLimit-Reset` on every response, HTTP 429 once exhausted.
 *
 * The minute is a kit FixedWindowLimiter window on the sandbox clock, so at timeScale 60 it lasts
 * one real second. The reset instant is announced in real Unix *seconds*, because a client
 * compares it with its own clock (the docs say "Unix timestamp"; third-party clients observed
 * seconds). Retry-After on a ClickUp 429 is not documented, so none is sent: clients must use the reset.
 */
import { FixedWindowLimiter, type RateDecision } from "../kit/rate-window.js";
import type { SandboxContext } from "../kit/types.js";

/** @default 100 requests per minute: the Free Forever / Unlimited / Business plans. */
export const DEFAULT_REQUESTS_PER_MINUTE = 100;
const WINDOW_MS = 60_000;

export class ClickUpRateLimit {
  private readonly windows: FixedWindowLimiter;

  constructor(
    private readonly ctx: Pick<SandboxContext, "now" | "timeScale">,
    readonly limit: number = DEFAULT_REQUESTS_PER_MINUTE,
    /** Real clock for the announced reset instant. */
    private readonly realNow: () => number = Date.now,
  ) {
    this.windows = new FixedWindowLimiter({ limit, windowMs: WINDOW_MS, now: () => ctx.now() });
  }

  /** Spends one request of `token`'s quota if any is left. */
  take(token: string): RateDecision {
    return this.windows.take(token);
  }

  /** The quota as it stands, without spending any (answers the kit produces itself). */
  peek(token: string): RateDecision {
    return this.windows.peek(token);
  }

  headers(d: Pick<RateDecision, "limit" | "remaining" | "resetAt">): Record<string, string> {
    const realResetMs = this.realNow() + Math.max(0, d.resetAt - this.ctx.now()) / this.ctx.timeScale;
    return {
      "X-RateLimit-Limit": String(d.limit),
      "X-RateLimit-Remaining": String(d.remaining),
      "X-RateLimit-Reset": String(Math.ceil(realResetMs / 1000)),
    };
  }
}

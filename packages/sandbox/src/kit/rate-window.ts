/**
 * Rate-limit counters measured on the sandbox clock, so a time scale of 60 makes a one-minute
 * window last one real second. The emulators turn a decision into their platform's own headers
 * and bodies (GitHub x-ratelimit-*, ClickUp X-RateLimit-*, Plane's DRF throttle).
 */

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in the window after this one. */
  remaining: number;
  used: number;
  /** Sandbox instant (epoch ms) when the window frees capacity again. */
  resetAt: number;
  /** Sandbox ms to wait before retrying; 0 when allowed. */
  retryAfterMs: number;
}

export interface RateWindowOptions {
  limit: number;
  windowMs: number;
  /** Sandbox clock (ctx.now). */
  now: () => number;
}

/**
 * Fixed windows per key (GitHub's hourly core quota, ClickUp's per-minute quota): the first request
 * opens a window of `windowMs`; its end is the reset instant.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly options: RateWindowOptions) {}

  /** Spends `cost` (default 1) if the window allows it. */
  take(key = "", cost = 1): RateDecision {
    return this.evaluate(key, cost);
  }

  /** The state without spending (e.g. a 304 that must not cost quota, or GET /rate_limit). */
  peek(key = ""): RateDecision {
    return this.evaluate(key, 0);
  }

  reset(): void {
    this.windows.clear();
  }

  private evaluate(key: string, cost: number): RateDecision {
    const { limit, windowMs, now } = this.options;
    const t = now();
    let w = this.windows.get(key);
    if (!w || t >= w.start + windowMs) {
      w = { start: t, used: 0 };
      if (cost > 0) this.windows.set(key, w);
    }
    const resetAt = w.start + windowMs;
    const allowed = w.used + cost <= limit;
    if (allowed) w.used += cost;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - w.used),
      used: w.used,
      resetAt,
      retryAfterMs: allowed ? 0 : resetAt - t,
    };
  }
}

/**
 * A sliding log of request instants per key, as Django REST Framework's SimpleRateThrottle (Plane's
 * 60/minute API-key throttle): allowed while fewer than `limit` requests fall in the last `windowMs`;
 * the wait is DRF's `remaining_duration / available_requests`. The log is kept oldest first and
 * expired instants are dropped from its head, as DRF pops them: filtering it into a new array on
 * every request made a benchmark with limits lifted quadratic (40k instants copied per request,
 * Plane's 20k-request collection 3-4x slower, most of it page faults of the fresh arrays).
 */
export class SlidingWindowLimiter {
  private readonly history = new Map<string, { at: number[]; head: number }>();

  constructor(private readonly options: RateWindowOptions) {}

  take(key = ""): RateDecision {
    const { limit, windowMs, now } = this.options;
    const t = now();
    let log = this.history.get(key);
    if (!log) this.history.set(key, (log = { at: [], head: 0 }));
    while (log.head < log.at.length && log.at[log.head]! <= t - windowMs) log.head++;
    // Compact once the dropped head outweighs what is kept: amortised O(1) per request.
    if (log.head > 64 && log.head * 2 > log.at.length) {
      log.at = log.at.slice(log.head);
      log.head = 0;
    }
    const used = log.at.length - log.head;
    if (used >= limit) {
      // DRF: remaining_duration = duration - (now - history[-1]) with history newest-first, i.e. the oldest kept entry.
      const remaining = windowMs - (t - log.at[log.head]!);
      const available = limit - used + 1;
      return { allowed: false, limit, remaining: 0, used, resetAt: t + windowMs, retryAfterMs: remaining / available };
    }
    log.at.push(t);
    return { allowed: true, limit, remaining: limit - used - 1, used: used + 1, resetAt: t + windowMs, retryAfterMs: 0 };
  }

  reset(): void {
    this.history.clear();
  }
}

/** Sandbox ms → whole real seconds for Retry-After style headers (rounded up, at least 1 when waiting). */
export function retryAfterSeconds(sandboxMs: number, timeScale: number): number {
  if (sandboxMs <= 0) return 0;
  return Math.max(1, Math.ceil(sandboxMs / timeScale / 1000));
}

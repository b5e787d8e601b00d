import type { KV } from "@nats-io/kv";
import { casUpdate, createIfAbsent, kvKey } from "@pmo/runtime";

/** Up to this many requests a window, every response's quota is folded in before the next request. */
const SMALL_QUOTA = 1_000;

/** A platform's quota: `limit` requests per `windowMs` (ClickUp 100/min, GitHub 5000/h, Plane 60/min). */
export interface QuotaPolicy {
  limit: number;
  windowMs: number;
}

/** What a response said about the quota (already converted to epoch ms). */
export interface QuotaHeaders {
  limit?: number;
  remaining?: number;
  resetAt?: number;
  /** A 429's Retry-After (or a secondary limit's): nobody sends before it passes. */
  retryAfterMs?: number;
}

interface BudgetState {
  limit: number;
  remaining: number;
  resetAt: number;
  blockedUntil: number;
  /** The window is the platform's (from its reset header), not this budget's own guess. */
  confirmed?: boolean;
}

/**
 * A request budget per credential, shared by every replica of an agent through KV, so that together
 * they stay under the platform's limit instead of each discovering it with a 429. The platform's own
 * headers correct it after every response (its window, not ours, is what counts), and a Retry-After
 * blocks everyone. Each replica takes a few tokens per KV round trip to keep KV traffic low.
 */
export class SharedRateBudget {
  private local = 0;
  private localResetAt = 0;
  private lastReport: { resetAt: number | undefined; remaining: number } = { resetAt: undefined, remaining: Number.POSITIVE_INFINITY };
  private pendingFold: QuotaHeaders | null = null;
  private folding: Promise<void> | null = null;
  private readonly key: string;

  constructor(
    private readonly kv: KV,
    platform: string,
    credentialId: string,
    private readonly policy: QuotaPolicy,
    private readonly opts: { batch?: number; now?: () => number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {},
  ) {
    this.key = kvKey("budget", platform, credentialId);
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Tokens a replica takes at once: a twentieth of the window, at least one. */
  private get batch(): number {
    return this.opts.batch ?? Math.max(1, Math.floor(this.policy.limit / 20));
  }

  /** Waits until one request may go out, then counts it. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      if (this.local > 0 && now < this.localResetAt) {
        this.local--;
        return;
      }
      const fresh: BudgetState = { limit: this.policy.limit, remaining: this.policy.limit, resetAt: now + this.policy.windowMs, blockedUntil: 0 };
      await createIfAbsent(this.kv, this.key, fresh);
      let granted = 0;
      let waitUntil = 0;
      let windowEnd = 0;
      await casUpdate<BudgetState>(this.kv, this.key, (s) => {
        const state = now >= s.resetAt ? { ...s, remaining: s.limit, resetAt: now + this.policy.windowMs, confirmed: false } : { ...s };
        granted = 0;
        waitUntil = 0;
        if (state.blockedUntil > now) waitUntil = state.blockedUntil;
        else if (state.remaining <= 0) waitUntil = state.resetAt;
        else {
          granted = Math.min(this.batch, state.remaining);
          state.remaining -= granted;
        }
        windowEnd = state.resetAt;
        return state;
      });
      if (granted > 0) {
        this.local = granted - 1;
        // Tokens belong to the window they were counted in: unused ones lapse with it.
        this.localResetAt = windowEnd;
        return;
      }
      await (this.opts.sleep ?? sleep)(Math.max(1, waitUntil - now), signal);
    }
  }

  /**
   * What a response said, folded in when it matters: anything urgent (a refusal, a Retry-After,
   * less than a tenth of the quota left, any answer under a small quota) before the caller goes on;
   * a new window or a step of 1% of the quota in the background; otherwise nothing, which keeps a KV
   * round trip per request off the hot path of a large collection.
   */
  async report(status: number, q: QuotaHeaders): Promise<void> {
    const limit = q.limit ?? this.policy.limit;
    // A small quota (ClickUp's 100/min, Plane's 60/min) is folded before every next request: each
    // token matters and a window rolls over within seconds, so the shared state must follow the
    // platform's count and window exactly; a KV round trip per response is nothing next to it.
    const small = limit <= SMALL_QUOTA;
    const urgent = small || q.retryAfterMs !== undefined || status === 429 || q.remaining === 0 || (q.remaining !== undefined && q.remaining < limit / 10);
    const step = Math.max(1, limit / 100);
    const news = q.resetAt !== this.lastReport.resetAt || (q.remaining !== undefined && this.lastReport.remaining - q.remaining >= step);
    if (!urgent && !news) return;
    this.lastReport = { resetAt: q.resetAt, remaining: q.remaining ?? this.lastReport.remaining };
    if (urgent) return this.observe(q);
    // One background fold at a time per replica, always with the newest headers: concurrent
    // requests would otherwise race each other's CAS on the one budget key.
    this.pendingFold = q;
    this.folding ??= this.foldPending();
  }

  private async foldPending(): Promise<void> {
    try {
      while (this.pendingFold) {
        const q = this.pendingFold;
        this.pendingFold = null;
        await this.observe(q).catch(() => undefined);
      }
    } finally {
      this.folding = null;
    }
  }

  /** Folds what the platform said into the shared state (and drops local tokens the platform no longer honours). */
  async observe(h: QuotaHeaders): Promise<void> {
    if (h.remaining === undefined && h.retryAfterMs === undefined && h.resetAt === undefined) return;
    const now = this.now();
    if (h.retryAfterMs !== undefined || h.remaining === 0) this.local = 0;
    await casUpdate<BudgetState>(this.kv, this.key, (s) => {
      const next = { ...s };
      if (h.limit !== undefined) next.limit = h.limit;
      let stale = false;
      if (h.resetAt !== undefined && h.resetAt > now) {
        if (!s.confirmed) {
          // The platform's window replaces our guess. Its count does not know the requests still in
          // flight, ours counts every grant: the lower of the two is the one that cannot overshoot.
          next.remaining = Math.min(s.remaining, h.remaining ?? next.limit);
          next.resetAt = h.resetAt;
          next.confirmed = true;
        } else if (h.resetAt > s.resetAt + 1_000) {
          // The platform moved to a new window before our clock did: its count is the truth.
          next.remaining = h.remaining ?? next.limit;
          next.resetAt = h.resetAt;
        } else if (h.resetAt >= s.resetAt - 1_000) {
          // The same window (resets are often whole seconds): never move its end back.
          next.resetAt = Math.max(s.resetAt, h.resetAt);
        } else {
          // A late answer from an older window (requests in flight across a rollover): its count
          // and reset belong to a window that is over, and would reopen the budget too early.
          stale = true;
        }
      }
      if (h.remaining !== undefined && !stale) next.remaining = Math.min(next.remaining, h.remaining);
      if (h.retryAfterMs !== undefined) next.blockedUntil = Math.max(s.blockedUntil, now + h.retryAfterMs);
      return JSON.stringify(next) === JSON.stringify(s) ? null : next;
    });
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    // The listener goes when the wait ends: a long collection waits many times on one job signal.
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

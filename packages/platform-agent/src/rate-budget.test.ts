import { describe, expect, it } from "vitest";
import { natsWithTopology } from "../../../test/harness/nats-fixture.js";
import { SharedRateBudget } from "./rate-budget.js";

/** A fake clock both budgets share; sleeping advances it, so no test waits on wall time. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), advance: (ms: number) => void (now += ms) };
}

describe("SharedRateBudget", () => {
  const nats = natsWithTopology();

  it("two replicas together never exceed the limit in a window, and continue in the next one", async () => {
    const c = clock();
    const policy = { limit: 10, windowMs: 60_000 };
    const a = new SharedRateBudget(nats.topo.kv.Ledger, "clickup", "cred-a", policy, { batch: 3, ...c });
    const b = new SharedRateBudget(nats.topo.kv.Ledger, "clickup", "cred-a", policy, { batch: 3, ...c });
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      await (i % 2 ? a : b).acquire();
      times.push(c.now());
    }
    // Never more than 10 in the first window (a replica's unused tokens lapse with it), the rest after it.
    const first = times.filter((t) => t < 1_000_000 + 60_000).length;
    expect(first).toBeLessThanOrEqual(10);
    expect(first).toBeGreaterThanOrEqual(8);
    expect(times.slice(first).every((t) => t >= 1_000_000 + 60_000)).toBe(true);
  });

  it("a separate credential has its own budget", async () => {
    const c = clock();
    const other = new SharedRateBudget(nats.topo.kv.Ledger, "clickup", "cred-b", { limit: 2, windowMs: 60_000 }, { batch: 1, ...c });
    await other.acquire();
    await other.acquire();
    await other.acquire();
    expect(c.now()).toBeGreaterThanOrEqual(1_060_000);
  });

  it("the platform's headers win: remaining 0 waits for its reset; Retry-After blocks everyone", async () => {
    const c = clock(5_000_000);
    const policy = { limit: 100, windowMs: 60_000 };
    const a = new SharedRateBudget(nats.topo.kv.Ledger, "plane", "cred-c", policy, { batch: 1, ...c });
    const b = new SharedRateBudget(nats.topo.kv.Ledger, "plane", "cred-c", policy, { batch: 1, ...c });
    await a.acquire();
    await a.observe({ remaining: 0, resetAt: c.now() + 7_000 });
    await b.acquire();
    expect(c.now()).toBe(5_007_000);
    await b.observe({ retryAfterMs: 3_000 });
    await a.acquire();
    expect(c.now()).toBe(5_010_000);
  });

  it("report folds in what matters (a refusal at once, a 1% step), and skips the KV round trip for the rest", async () => {
    const c = clock(9_000_000);
    const policy = { limit: 5_000, windowMs: 3_600_000 };
    const kv = nats.topo.kv.Ledger;
    const a = new SharedRateBudget(kv, "github", "cred-r", policy, { batch: 1, ...c });
    const b = new SharedRateBudget(kv, "github", "cred-r", policy, { batch: 1, ...c });
    await a.acquire();
    const key = "budget.github.cred-r";
    const revision = async () => (await kv.get(key))!.revision;
    const resetAt = c.now() + 3_000_000;
    await a.report(200, { limit: 5_000, remaining: 4_999, resetAt }); // the first report: a new window
    await new Promise((r) => setTimeout(r, 50)); // that fold runs in the background
    const folded = await revision();
    for (let remaining = 4_998; remaining > 4_960; remaining--) await a.report(200, { limit: 5_000, remaining, resetAt });
    await new Promise((r) => setTimeout(r, 50));
    // 39 answers, less than 1% of the quota between them: not one write.
    expect(await revision()).toBe(folded);
    await a.report(200, { limit: 5_000, remaining: 4_940, resetAt });
    await new Promise((r) => setTimeout(r, 50));
    expect(await revision()).toBeGreaterThan(folded);
    // A refusal is folded before report returns, so the other replica waits at once.
    await a.report(429, { retryAfterMs: 4_000 });
    await b.acquire();
    expect(c.now()).toBe(9_004_000);
  });

  it("answers that arrive out of order across a window rollover never move the platform's window back", async () => {
    const c = clock(7_000_000);
    const policy = { limit: 15, windowMs: 60_000 };
    const a = new SharedRateBudget(nats.topo.kv.Ledger, "clickup", "cred-o", policy, { batch: 1, ...c });
    await a.acquire();
    // The platform's first answer replaces our own guess of the window (60 s) with its (1 s).
    await a.observe({ limit: 15, remaining: 14, resetAt: c.now() + 1_000 });
    c.advance(1_000);
    await a.acquire(); // our window rolls over with the platform's
    await a.observe({ limit: 15, remaining: 14, resetAt: c.now() + 1_000 }); // its next window
    // A late answer from a request sent in the previous window (its reset one second earlier) and
    // one from much earlier: neither may reopen the budget before the current window ends.
    await a.observe({ limit: 15, remaining: 13, resetAt: c.now() + 1 });
    await a.observe({ limit: 15, remaining: 15, resetAt: c.now() - 5_000 });
    const state = JSON.parse(new TextDecoder().decode((await nats.topo.kv.Ledger.get("budget.clickup.cred-o"))!.value));
    expect(state.resetAt).toBe(c.now() + 1_000);
    expect(state.remaining).toBeLessThanOrEqual(13);
  });

  it("the first answer of a window does not forget the requests still in flight", async () => {
    const c = clock(8_000_000);
    const a = new SharedRateBudget(nats.topo.kv.Ledger, "clickup", "cred-f", { limit: 15, windowMs: 60_000 }, { batch: 1, ...c });
    for (let i = 0; i < 8; i++) await a.acquire(); // 8 requests out, none answered yet
    // The first answer counts only itself: 14 left by the platform's count, 7 by ours.
    await a.observe({ limit: 15, remaining: 14, resetAt: c.now() + 6_000 });
    const state = JSON.parse(new TextDecoder().decode((await nats.topo.kv.Ledger.get("budget.clickup.cred-f"))!.value));
    expect(state.remaining).toBe(7);
    expect(state.resetAt).toBe(c.now() + 6_000);
  });

  it("stops waiting when the job is cancelled", async () => {
    const c = clock();
    const tiny = new SharedRateBudget(nats.topo.kv.Ledger, "github", "cred-d", { limit: 1, windowMs: 3_600_000 }, { batch: 1, now: c.now });
    await tiny.acquire();
    const ctrl = new AbortController();
    const waiting = tiny.acquire(ctrl.signal);
    ctrl.abort(new Error("job cancelled"));
    await expect(waiting).rejects.toThrow("job cancelled");
  });
});

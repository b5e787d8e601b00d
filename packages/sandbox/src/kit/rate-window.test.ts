import { describe, expect, it } from "vitest";
import { SandboxClock } from "./clock.js";
import { FixedWindowLimiter, SlidingWindowLimiter, retryAfterSeconds } from "./rate-window.js";

describe("FixedWindowLimiter", () => {
  it("spends within a window, refuses beyond, and reopens when the window ends", () => {
    let t = 1_000_000;
    const lim = new FixedWindowLimiter({ limit: 3, windowMs: 60_000, now: () => t });
    expect(lim.take("k")).toMatchObject({ allowed: true, remaining: 2, used: 1, resetAt: 1_060_000 });
    lim.take("k");
    expect(lim.take("k")).toMatchObject({ allowed: true, remaining: 0 });
    t += 10_000;
    expect(lim.take("k")).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 50_000 });
    expect(lim.take("other").allowed).toBe(true);
    expect(lim.peek("k")).toMatchObject({ used: 3 });
    t += 50_000;
    expect(lim.take("k")).toMatchObject({ allowed: true, remaining: 2, resetAt: 1_120_000 });
  });

  it("peek never spends quota (conditional 304s)", () => {
    const lim = new FixedWindowLimiter({ limit: 1, windowMs: 1000, now: () => 0 });
    for (let i = 0; i < 5; i++) lim.peek();
    expect(lim.take().allowed).toBe(true);
  });

  it("runs on the scaled sandbox clock: an hour window passes with an advance", () => {
    const clock = new SandboxClock(0, 60); // an hour lasts a real minute: no test waits that long
    const lim = new FixedWindowLimiter({ limit: 1, windowMs: 3_600_000, now: () => clock.now() });
    expect(lim.take().allowed).toBe(true);
    expect(lim.take().allowed).toBe(false);
    clock.advance(3_600_000);
    expect(lim.take().allowed).toBe(true);
  });
});

describe("SlidingWindowLimiter (DRF SimpleRateThrottle)", () => {
  it("throttles the (limit+1)th request in the window and waits as DRF computes", () => {
    let t = 0;
    const lim = new SlidingWindowLimiter({ limit: 2, windowMs: 60_000, now: () => t });
    expect(lim.take("key").remaining).toBe(1);
    t = 20_000;
    expect(lim.take("key").remaining).toBe(0);
    t = 30_000;
    const refused = lim.take("key");
    expect(refused.allowed).toBe(false);
    // remaining_duration = 60 - (30 - 0) = 30 s; available = 2 - 2 + 1 = 1
    expect(refused.retryAfterMs).toBe(30_000);
    t = 60_001;
    expect(lim.take("key").allowed).toBe(true);
  });

  it("over many windows, decides every request as a log of the last window's instants would (its head dropped and compacted on the way)", () => {
    let t = 0;
    const limit = 300;
    const lim = new SlidingWindowLimiter({ limit, windowMs: 60_000, now: () => t });
    const allowed: number[] = [];
    let refused = 0;
    for (let i = 0; i < 5_000; i++) {
      t += i % 1_000 === 999 ? 70_000 : 100; // 600 a window asked for, 300 let through; a pause empties it
      const inWindow = allowed.filter((at) => at > t - 60_000);
      const d = lim.take("key");
      expect(d.allowed, `request ${i}`).toBe(inWindow.length < limit);
      expect(d.used, `request ${i}`).toBe(Math.min(limit, inWindow.length + (d.allowed ? 1 : 0)));
      if (d.allowed) allowed.push(t);
      else (refused++, expect(d.retryAfterMs).toBe(60_000 - (t - inWindow[0]!)));
    }
    expect(allowed.length).toBeGreaterThan(limit * 4);
    expect(refused).toBeGreaterThan(1_000);
  });
});

describe("retryAfterSeconds", () => {
  it("converts sandbox ms into real seconds under the time scale, rounding up", () => {
    expect(retryAfterSeconds(60_000, 1)).toBe(60);
    expect(retryAfterSeconds(60_000, 60)).toBe(1);
    expect(retryAfterSeconds(90_000, 60)).toBe(2);
    expect(retryAfterSeconds(0, 60)).toBe(0);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import { JobHeartbeat } from "./job-heartbeat.js";

describe("JobHeartbeat", () => {
  afterEach(() => vi.useRealTimers());

  it("beats on its timer, and on progress at most once a quarter interval", () => {
    vi.useFakeTimers();
    let now = 0;
    let sent = 0;
    const hb = new JobHeartbeat(() => sent++, 1_000, () => now);
    for (let i = 0; i < 10_000; i++) hb.progress();
    expect(sent).toBe(0); // the job just started: nothing to renew yet
    now = 250;
    for (let i = 0; i < 10_000; i++) hb.progress();
    expect(sent).toBe(1);
    now = 499;
    hb.progress();
    expect(sent).toBe(1);
    now = 1_000;
    vi.advanceTimersByTime(1_000); // the timer's beat
    expect(sent).toBe(2);
    hb.progress(); // just after the timer's beat: not needed
    expect(sent).toBe(2);
    hb.stop();
    vi.advanceTimersByTime(10_000);
    expect(sent).toBe(2);
  });
});

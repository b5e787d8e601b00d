import { describe, expect, it } from "vitest";
import { WorkflowFileSchema } from "@pmo/runtime";
import { applyResult } from "./apply-result.js";
import { advance } from "./engine.js";
import { newRecord } from "./new-record.js";
import type { WorkflowRecord } from "./record.js";
import { isoWeek, reportPath } from "./report-names.js";
import { nextWakeAt } from "./timers.js";
import { Transition, backoffMs } from "./transitions.js";
import { CollisionHint, baseWorkflowId, candidateWorkflowId } from "./workflow-id.js";

const policy = WorkflowFileSchema.parse({ retry: { attempts: 3, baseMs: 5_000, factor: 2, maxMs: 60_000 } });
const T0 = Date.UTC(2026, 10, 26, 7, 45, 20);
const ctx = (now: number) => ({ now, instance: "test", policy, leaseMs: 30_000 });

function record(): WorkflowRecord {
  return newRecord({
    workflowId: "workflow-2026-11-26-074520",
    requestId: "r1",
    request: { action: "report", platforms: ["github", "plane"], project: "web", parameters: { reportType: "weekly", formats: ["markdown"] } },
    project: { name: "Web", github: { repos: ["acme/web"] }, plane: { workspace: "acme", projectIds: ["p1"] } },
    now: T0,
  });
}

function step(r: WorkflowRecord, now: number, fn: (t: Transition) => void = advance) {
  const t = new Transition(structuredClone(r), ctx(now));
  fn(t);
  return t;
}

const result = (jobId: string, ok: boolean, extra: object = {}) => ({ jobId, workflowId: "workflow-2026-11-26-074520", agent: "github" as const, op: "verify", ok, output: {}, artifacts: [], worker: "w", startedAt: new Date(T0).toISOString(), finishedAt: new Date(T0).toISOString(), deliveryCount: 1, ...extra });

describe("phase engine (pure)", () => {
  it("starts phase 0 and dispatches one verify job per platform with deterministic ids", () => {
    const t = step(record(), T0);
    const jobs = t.effects.filter((e) => e.kind === "dispatch").map((e) => (e.kind === "dispatch" ? e.job.jobId : ""));
    expect(jobs).toEqual(["workflow-2026-11-26-074520:initialization:github:verify:1", "workflow-2026-11-26-074520:initialization:plane:verify:2"]);
    expect(t.record.state.phases.initialization.status).toBe("in_progress");
    // Advancing again at the same instant changes nothing.
    const again = step(t.record, T0);
    expect(again.effects).toEqual([]);
  });

  it("retries with the seed's backoff, then drops the platform after the last attempt", () => {
    let r = step(record(), T0).record;
    const fail = (jobId: string, now: number) => step(r, now, (t) => void applyResult(t, result(jobId, false, { error: { message: "503", code: "server_error", nonRetryable: false } }), { valid: true }));
    let t = fail(r.engine.tasks["initialization/github/verify"]!.jobIds[0]!, T0 + 1_000);
    r = t.record;
    expect(r.engine.tasks["initialization/github/verify"]!.retryAt).toBe(T0 + 1_000 + 5_000);
    expect(step(r, T0 + 5_999).effects.some((e) => e.kind === "dispatch")).toBe(false);
    r = step(r, T0 + 6_000).record;
    t = fail(r.engine.tasks["initialization/github/verify"]!.jobIds[1]!, T0 + 7_000);
    r = t.record;
    expect(r.engine.tasks["initialization/github/verify"]!.retryAt).toBe(T0 + 7_000 + 10_000);
    r = step(r, T0 + 17_000).record;
    r = fail(r.engine.tasks["initialization/github/verify"]!.jobIds[2]!, T0 + 18_000).record;
    expect(r.engine.tasks["initialization/github/verify"]!.status).toBe("failed");
    expect(r.engine.platformHealth.github).toBe("error");
    expect(r.state.status).toBe("in_progress");
    expect(r.state.metadata.errors.map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it("ignores a duplicate result and a stale failure of a superseded attempt", () => {
    let r = step(record(), T0).record;
    const id = r.engine.tasks["initialization/github/verify"]!.jobIds[0]!;
    r = step(r, T0 + 10, (t) => void applyResult(t, result(id, true), { valid: true })).record;
    const dup = step(r, T0 + 20, (t) => void expect(applyResult(t, result(id, true), { valid: true })).toBe(false));
    expect(dup.effects).toEqual([]);
    const stale = step(r, T0 + 30, (t) => void expect(applyResult(t, result(id, false, { error: { message: "x", code: "x", nonRetryable: true } }), { valid: true })).toBe(false));
    expect(stale.record.state.status).toBe("in_progress");
  });

  it("times out a job with no result, and ends the workflow at the phase deadline", () => {
    const r = step(record(), T0).record;
    // The phase deadline (2 min) comes before the job timeout (5 min).
    expect(nextWakeAt(r)).toBe(T0 + 120_000);
    const roomy = { ...policy, phaseDeadlinesMs: { initialization: 600_000 } };
    const t = new Transition(structuredClone(record()), { ...ctx(T0), policy: roomy });
    advance(t);
    const timedOutT = new Transition(structuredClone(t.record), { ...ctx(T0 + policy.jobTimeoutMs), policy: roomy });
    advance(timedOutT);
    const timedOut = timedOutT.record;
    expect(timedOut.engine.tasks["initialization/github/verify"]!.status).toBe("waiting_retry");
    expect(timedOut.engine.tasks["initialization/github/verify"]!.lastError?.code).toBe("timeout");
    const late = step(r, T0 + 120_000).record;
    expect(late.state.status).toBe("error");
    expect(late.state.metadata.errors.at(-1)?.message).toMatch(/phase initialization exceeded its deadline of 120000 ms/);
  });

  it("computes backoff as base × factor^(n-1), capped", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(policy, n))).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
  });
});

describe("names", () => {
  it("builds workflow ids in UTC with collision suffixes", () => {
    expect(baseWorkflowId(new Date(T0))).toBe("workflow-2026-11-26-074520");
    expect(candidateWorkflowId(new Date(T0), 3)).toBe("workflow-2026-11-26-074520-3");
    const hint = new CollisionHint();
    expect(hint.start(new Date(T0))).toBe(1);
    hint.used(new Date(T0), 4);
    expect(hint.start(new Date(T0 + 10))).toBe(5);
    expect(hint.start(new Date(T0 + 1_000))).toBe(1);
  });

  it("names reports as the seed does, with ISO weeks", () => {
    expect(isoWeek(new Date(Date.UTC(2026, 0, 1)))).toBe("2026-W01");
    expect(isoWeek(new Date(Date.UTC(2027, 0, 1)))).toBe("2026-W53");
    expect(isoWeek(new Date(Date.UTC(2024, 11, 30)))).toBe("2025-W01");
    const at = new Date(T0);
    expect(reportPath("weekly", "markdown", at, undefined)).toBe("reports/weekly-2026-W48.md");
    expect(reportPath("daily", "pdf", at, undefined)).toBe("reports/daily-2026-11-26.pdf");
    expect(reportPath("monthly", "html", at, undefined)).toBe("reports/monthly-2026-11.html");
    expect(reportPath("sprint", "json", at, "../../etc/passwd")).toBe("reports/sprint-__.._etc_passwd.json");
    expect(reportPath("velocity", "markdown", at, undefined)).toBe("reports/velocity-report-2026-W48.md");
  });
});

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { publishRequest, startMesh, waitForRecord, waitForWorkflow, type TestMesh } from "../harness/mesh.js";

const report = (requestId: string, platforms = ["github"]) => ({ action: "report" as const, platforms: platforms as ("github" | "clickup" | "plane")[], project: "web", requestId, parameters: { reportType: "daily" as const, formats: ["markdown" as const] } });

describe("failure semantics", () => {
  let mesh: TestMesh | null = null;
  afterEach(async () => {
    await mesh?.stop();
    mesh = null;
  });

  it("retries a job that fails twice with backoff, then completes; errors carry attempt numbers", async () => {
    mesh = await startMesh({ behaviours: { "github.collect": { failTimes: 2 } } });
    await publishRequest(mesh.nc, report("retry-1"));
    const { record } = await waitForWorkflow(mesh.nc, "retry-1");
    expect(record.state.status).toBe("complete");
    const task = record.engine.tasks["discovery/github/collect"];
    expect(task.attempt).toBe(3);
    expect(task.jobIds).toHaveLength(3);
    const errors = record.state.metadata.errors.filter((e: any) => e.phase === "discovery");
    expect(errors.map((e: any) => e.attempt)).toEqual([1, 2]);
    expect(errors[0].context).toMatchObject({ code: "server_error", task: "discovery/github/collect" });
    // Backoff: base 50 ms, factor 2 → the second retry waited at least 100 ms after the second failure.
    const t1 = Date.parse(errors[0].timestamp);
    const t2 = Date.parse(errors[1].timestamp);
    expect(t2 - t1).toBeGreaterThanOrEqual(50);
  });

  it("fails fast on a non-recoverable error (bad credentials) without retrying", async () => {
    mesh = await startMesh({ behaviours: { "github.verify": { failTimes: 99, nonRetryable: true } } });
    await publishRequest(mesh.nc, report("fatal-1", ["github", "clickup"]));
    const { record, workflowId } = await waitForWorkflow(mesh.nc, "fatal-1");
    expect(record.state.status).toBe("error");
    expect(record.state.phases.initialization.status).toBe("error");
    expect(record.engine.tasks["initialization/github/verify"].attempt).toBe(1);
    expect(record.state.phases.discovery.status).toBe("pending");
    expect(record.state.metadata.errors.at(-1).message).toMatch(/github-agent verify failed \(not retryable\)/);
    const final = readFileSync(join(mesh.dirs.workspaceDir, "active-projects", workflowId, "reports/final-report.md"), "utf8");
    expect(final).toContain("**Status:** error");
  });

  it("drops a platform that keeps failing after its retries, completes with the others, and says so", async () => {
    mesh = await startMesh({ behaviours: { "plane.collect": { failTimes: 99 } } });
    await publishRequest(mesh.nc, report("partial-1", ["github", "plane"]));
    const { record, workflowId } = await waitForWorkflow(mesh.nc, "partial-1");
    expect(record.state.status).toBe("complete");
    expect(record.state.phases.discovery.agents.plane.status).toBe("error");
    expect(record.state.phases.discovery.agents.github.status).toBe("complete");
    expect(record.engine.tasks["discovery/plane/collect"].attempt).toBe(3);
    expect(record.engine.tasks["analysis/report/analyze"].input.platforms).toEqual(["github"]);
    const final = readFileSync(join(mesh.dirs.workspaceDir, "archive", workflowId, "reports/final-report.md"), "utf8");
    expect(final).toContain("complete, without plane");
  });

  it("ends in error when an agent never answers and the phase deadline passes", async () => {
    mesh = await startMesh({ agents: ["github"], policy: { phaseDeadlinesMs: { analysis: 600 }, jobTimeoutMs: 60_000 } });
    await publishRequest(mesh.nc, report("deadline-1"));
    const { record } = await waitForWorkflow(mesh.nc, "deadline-1");
    expect(record.state.status).toBe("error");
    expect(record.state.phases.analysis.status).toBe("error");
    expect(record.state.metadata.errors.at(-1).message).toMatch(/phase analysis exceeded its deadline of 600 ms; still waiting on: report-agent analyze/);
  });

  it("fails the gate when a job reports success but its required output is empty or missing", async () => {
    mesh = await startMesh({ behaviours: { "report.analyze": { emptyOutput: true } } });
    await publishRequest(mesh.nc, report("gate-empty"));
    const empty = await waitForWorkflow(mesh.nc, "gate-empty");
    expect(empty.record.state.status).toBe("error");
    expect(empty.record.state.phases.analysis.status).toBe("error");
    expect(JSON.stringify(empty.record.state.metadata.errors)).toMatch(/output gate: analysis\/\S+ is empty/);
    await mesh.stop();

    mesh = await startMesh({ behaviours: { "report.render": { skipOutput: true } } });
    await publishRequest(mesh.nc, report("gate-missing"));
    const missing = await waitForWorkflow(mesh.nc, "gate-missing");
    expect(missing.record.state.status).toBe("error");
    expect(missing.record.state.phases.actions.status).toBe("error");
    expect(JSON.stringify(missing.record.state.metadata.errors)).toMatch(/required output\(s\) not produced: reports\/daily-\d{4}-\d{2}-\d{2}\.md/);
    // A failed workflow stays in active-projects/ for inspection; only completed ones are archived.
    expect(existsSync(join(mesh.dirs.workspaceDir, "archive", missing.workflowId))).toBe(false);
    expect(existsSync(join(mesh.dirs.workspaceDir, "active-projects", missing.workflowId, "reports/final-report.md"))).toBe(true);
  });

  it("an artifact rewritten by a late duplicate after its result was accepted is mirrored from the store, not failed", async () => {
    mesh = await startMesh({ behaviours: { "report.render": { delayMs: 1_500 } } });
    await publishRequest(mesh.nc, report("rewritten"));
    const { workflowId } = await waitForRecord(mesh.nc, "rewritten", (r) => r.engine.phase === "actions");
    // What a redelivered analyze job would do: write the same path again, with other (valid) bytes.
    const { Objm } = await import("@nats-io/obj");
    const { ArtifactStore } = await import("@pmo/runtime");
    const store = new ArtifactStore(await new Objm(mesh.nc).open("pmo_artifacts"));
    const rewritten = JSON.stringify({ insights: [{ rank: 1, text: "a later attempt wrote this" }], extra: "x".repeat(50) });
    await store.put(workflowId, "analysis/insights.json", rewritten);
    const { record } = await waitForWorkflow(mesh.nc, "rewritten");
    expect(record.state.status, JSON.stringify(record.state.metadata.errors)).toBe("complete");
    const dir = join(mesh.dirs.workspaceDir, "archive", workflowId);
    expect(readFileSync(join(dir, "analysis/insights.json"), "utf8")).toBe(rewritten);
    const status = JSON.parse(readFileSync(join(dir, "sync/status.json"), "utf8"));
    expect(status.artifacts.find((a: { path: string }) => a.path === "analysis/insights.json")).toMatchObject({ valid: true, replacedByLaterAttempt: true });
    expect(status.artifacts.find((a: { path: string }) => a.path === "analysis/patterns.json")).toMatchObject({ valid: true, replacedByLaterAttempt: false });
  });

  it("two requests with the same request id make one workflow", async () => {
    mesh = await startMesh();
    await publishRequest(mesh.nc, report("same-id"));
    await publishRequest(mesh.nc, report("same-id"), "other-msg-id"); // passes stream dedup: the ledger must catch it
    await publishRequest(mesh.nc, report("same-id"), "same-id");
    const { workflowId } = await waitForWorkflow(mesh.nc, "same-id");
    await new Promise((r) => setTimeout(r, 300));
    const ids: string[] = [];
    const { Kvm } = await import("@nats-io/kv");
    const kv = await new Kvm(mesh.nc).open("pmo_workflows");
    for await (const k of await kv.keys()) ids.push(k);
    expect(ids).toEqual([workflowId]);
  });
});

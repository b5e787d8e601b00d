import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Agent } from "@pmo/contracts";
import type { RunningService } from "@pmo/runtime";
import { startFakeAgent } from "../agents/fake-agent.js";
import { makeConfig } from "../harness/config-fixture.js";
import { connectTo, dispatchedJobIds, publishRequest, serviceEnv, waitForRecord, waitForWorkflow } from "../harness/mesh.js";
import { startNatsServer, type NatsServer } from "../harness/nats-server.js";
import { startProcess, type ServiceProcess } from "../harness/processes.js";

const AGENTS: Agent[] = ["clickup", "github", "plane", "report", "alert", "sync"];

function countEffects(log: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of readFileSync(log, "utf8").split("\n").filter(Boolean)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

describe("orchestrator crash safety", () => {
  let server: NatsServer | null = null;
  const procs: ServiceProcess[] = [];
  const agents: RunningService[] = [];
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.kill();
    for (const a of agents.splice(0)) await a.stop();
    await server?.stop();
  });

  it("kill -9 mid-phase twice, restart: the workflow completes and every job's effect happened exactly once", async () => {
    server = await startNatsServer();
    const dirs = makeConfig();
    const effects = join(dirs.workspaceDir, "..", "effects.log");
    writeFileSync(effects, "");
    const env = serviceEnv(server.url, dirs);
    const behaviours = { "github.collect": { delayMs: 1_500 }, "clickup.collect": { delayMs: 1_500 }, "report.render": { delayMs: 1_000 } };
    for (const a of AGENTS) agents.push(await startFakeAgent(a, { env, behaviours, effectsLog: effects }));
    const start = () => {
      const p = startProcess("orchestrator", "services/orchestrator/src/main.ts", { ...env, LOG_LEVEL: "info" });
      procs.push(p);
      return p;
    };
    let orch = start();
    await orch.waitForLog((e) => e.msg === "orchestrator started");
    const nc = await connectTo(server.url);
    await publishRequest(nc, { action: "report", platforms: ["clickup", "github"], project: "web", requestId: "crash-1", parameters: { reportType: "weekly", formats: ["markdown", "html"] } });

    // Kill while discovery's collect jobs are running on the agents.
    await waitForRecord(nc, "crash-1", (r) => r.engine.phase === "discovery" && Object.values(r.engine.tasks).some((t: any) => t.op === "collect" && t.status === "dispatched"));
    expect(await orch.kill()).toBe(-1);
    await new Promise((r) => setTimeout(r, 2_000)); // results pile up while nobody listens
    orch = start();
    await orch.waitForLog((e) => e.msg === "orchestrator started");

    // And again while the render jobs run.
    await waitForRecord(nc, "crash-1", (r) => r.engine.phase === "actions" && Object.values(r.engine.tasks).some((t: any) => t.op === "render" && t.status === "dispatched"));
    await orch.kill();
    orch = start();

    const { record } = await waitForWorkflow(nc, "crash-1", 30_000);
    expect(record.state.status).toBe("complete");
    const jobIds = dispatchedJobIds(record);
    expect(jobIds.length).toBe(2 /* verify */ + 2 /* collect */ + 1 /* analyze */ + 2 /* render */);
    const counts = countEffects(effects);
    for (const id of jobIds) expect(counts.get(id), id).toBe(1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    await nc.close();
  });

  it("two orchestrator replicas share the work: 12 workflows complete, no job runs twice", async () => {
    server = await startNatsServer();
    const dirs = makeConfig();
    const effects = join(dirs.workspaceDir, "..", "effects.log");
    writeFileSync(effects, "");
    const env = serviceEnv(server.url, dirs);
    for (const a of AGENTS) agents.push(await startFakeAgent(a, { env, effectsLog: effects }));
    const replicas = [1, 2].map((i) => {
      const p = startProcess(`orchestrator-${i}`, "services/orchestrator/src/main.ts", { ...env, LOG_LEVEL: "info", PMO_INSTANCE: `orchestrator-${i}` });
      procs.push(p);
      return p;
    });
    await Promise.all(replicas.map((p) => p.waitForLog((e) => e.msg === "orchestrator started")));
    const nc = await connectTo(server.url);
    const ids = Array.from({ length: 12 }, (_, i) => `pair-${i}`);
    for (const id of ids) await publishRequest(nc, { action: i(id) % 2 ? "monitor" : "report", platforms: ["github", "plane"], project: "web", requestId: id, parameters: { reportType: "daily", formats: ["markdown"] } });
    const done = await Promise.all(ids.map((id) => waitForWorkflow(nc, id, 45_000)));
    expect(new Set(done.map((d) => d.workflowId)).size).toBe(12);
    for (const d of done) expect(d.record.state.status, d.workflowId).toBe("complete");
    const counts = countEffects(effects);
    const all = done.flatMap((d) => dispatchedJobIds(d.record));
    for (const id of all) expect(counts.get(id), id).toBe(1);
    // Each request was accepted by exactly one replica.
    const accepted = replicas.map((p) => p.output().split("\n").filter((l) => l.includes('"msg":"workflow accepted"')).length);
    expect(accepted.reduce((a, b) => a + b, 0)).toBe(12);
    await nc.close();
  });
});

function i(id: string): number {
  return Number(id.split("-")[1]);
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "@pmo/contracts";
import { makeConfig } from "../harness/config-fixture.js";
import { connectTo, publishRequest, serviceEnv, waitForRecord, waitForWorkflow } from "../harness/mesh.js";
import { startNatsServer, type NatsServer } from "../harness/nats-server.js";
import { startProcess, type ServiceProcess } from "../harness/processes.js";

const started = (e: Record<string, unknown>) => typeof e.msg === "string" && e.msg.endsWith(" started") && typeof e.httpPort === "number";

describe("the mesh as separate processes", () => {
  let server: NatsServer;
  const procs: Array<ServiceProcess & { httpPort?: number }> = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startNatsServer();
    env = { ...serviceEnv(server.url, makeConfig()), LOG_LEVEL: "info" };
  });
  afterAll(async () => {
    for (const p of procs) await p.kill();
    await server?.stop();
  });

  it("runs a workflow across processes, answers /healthz and /metrics, and stops cleanly on SIGTERM without losing a job", async () => {
    const spawn = async (name: string, script: string, extra: NodeJS.ProcessEnv = {}) => {
      const p: ServiceProcess & { httpPort?: number } = startProcess(name, script, { ...env, ...extra });
      procs.push(p);
      p.httpPort = (await p.waitForLog(started)).httpPort as number;
      return p;
    };
    const orchestrator = await spawn("orchestrator", "services/orchestrator/src/main.ts");
    const agents: Agent[] = ["clickup", "plane", "report", "alert", "sync"];
    for (const agent of agents) await spawn(`${agent}-agent`, "test/agents/main.ts", { FAKE_AGENT: agent });
    // Two github replicas; the job is slow so one of them is mid-job when it is told to stop.
    const slow = JSON.stringify({ "github.collect": { delayMs: 2_000 } });
    const githubA = await spawn("github-agent-a", "test/agents/main.ts", { FAKE_AGENT: "github", FAKE_BEHAVIOURS: slow, PMO_INSTANCE: "github-a" });
    const githubB = await spawn("github-agent-b", "test/agents/main.ts", { FAKE_AGENT: "github", FAKE_BEHAVIOURS: slow, PMO_INSTANCE: "github-b" });

    for (const p of procs) {
      const health = await fetch(`http://127.0.0.1:${p.httpPort}/healthz`);
      expect(health.status, p.name).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe("ok");
    }
    const metrics = await (await fetch(`http://127.0.0.1:${orchestrator.httpPort}/metrics`)).text();
    expect(metrics).toContain("process_cpu_seconds_total");

    const nc = await connectTo(server.url);
    await publishRequest(nc, { action: "report", platforms: ["github", "clickup", "plane"], project: "web", requestId: "mp-1", parameters: { reportType: "weekly", formats: ["markdown"] } });
    // SIGTERM whichever github replica holds the collect job while it works on it.
    const { record } = await waitForRecord(nc, "mp-1", (r) => r.engine.tasks["discovery/github/collect"]?.status === "dispatched");
    const jobId = record.engine.tasks["discovery/github/collect"].jobIds[0];
    await new Promise((r) => setTimeout(r, 500));
    const [codeA, codeB] = await Promise.all([githubA.terminate("SIGTERM"), githubB.terminate("SIGTERM")]);
    expect(codeA).toBe(0);
    expect(codeB).toBe(0);
    for (const p of [githubA, githubB]) expect(p.output()).toContain('"msg":"github-agent stopped"');

    const done = await waitForWorkflow(nc, "mp-1", 30_000);
    expect(done.record.state.status).toBe("complete");
    // The in-flight job was finished during the graceful stop: one attempt, no retry, no loss.
    expect(done.record.engine.tasks["discovery/github/collect"].jobIds).toEqual([jobId]);
    expect(done.record.state.phases.discovery.agents.github.status).toBe("complete");

    for (const p of procs.filter((x) => x !== githubA && x !== githubB)) {
      expect(await p.terminate("SIGTERM"), p.name).toBe(0);
      expect(p.output()).toMatch(/"msg":"[a-z-]+ stopped"/);
    }
    await nc.close();
  });
});

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { GlobalStateSchema, type Agent } from "@pmo/contracts";
import type { RunningService } from "@pmo/runtime";
import { startFakeAgent, type Behaviours } from "../agents/fake-agent.js";
import { makeConfig } from "../harness/config-fixture.js";
import { connectTo, publishRequest, serviceEnv, startOrchestrator, waitForWorkflow } from "../harness/mesh.js";
import { startNatsServer, type NatsServer } from "../harness/nats-server.js";

const ALL: Agent[] = ["clickup", "github", "plane", "report", "alert", "sync"];

describe("a workflow through all six phases", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let dirs: ReturnType<typeof makeConfig>;
  const services: RunningService[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    dirs = makeConfig();
    const env = serviceEnv(server.url, dirs);
    services.push(await startOrchestrator(env));
    for (const agent of ALL) services.push(await startFakeAgent(agent, { env }));
    nc = await connectTo(server.url);
  });

  afterAll(async () => {
    await nc?.close();
    for (const s of services.reverse()) await s.stop();
    await server?.stop();
  });

  it("runs a report workflow over three platforms, validates global-state.json and writes every declared output", async () => {
    await publishRequest(nc, { action: "report", platforms: ["clickup", "github", "plane"], project: "web", requestId: "req-report-1", author: "ada", parameters: { reportType: "weekly", formats: ["markdown", "html", "pdf", "json"] } });
    const { workflowId, record } = await waitForWorkflow(nc, "req-report-1");
    expect(record.state.status).toBe("complete");
    expect(workflowId).toMatch(/^workflow-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?$/);

    // A completed workflow's folder moves from active-projects/ to archive/.
    expect(existsSync(join(dirs.workspaceDir, "active-projects", workflowId))).toBe(false);
    const dir = join(dirs.workspaceDir, "archive", workflowId);
    const mirrored = JSON.parse(readFileSync(join(dir, "global-state.json"), "utf8"));
    const parsed = GlobalStateSchema.strict().safeParse(mirrored);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(mirrored).toEqual(record.state);
    expect(mirrored.author).toBe("ada");
    for (const phase of ["initialization", "discovery", "analysis", "actions", "synchronization", "reporting"]) {
      expect(mirrored.phases[phase].status, phase).toBe("complete");
      expect(Number.isNaN(Date.parse(mirrored.phases[phase].timestamp))).toBe(false);
    }
    expect(Object.keys(mirrored.phases.discovery.agents).sort()).toEqual(["clickup", "github", "plane"]);
    expect(Object.keys(mirrored.phases.actions.subphases)).toHaveLength(4);
    expect(mirrored.metadata.executionTime).toBeGreaterThan(0);
    expect(mirrored.metadata.metrics.reportsGenerated).toBe(4);
    expect(mirrored.metadata.platformsData.github).toMatchObject({ items: 5 });

    for (const rel of [
      "data/clickup-collected.json", "data/github-collected.json", "data/plane-collected.json",
      "analysis/patterns.json", "analysis/insights.json", "analysis/github-analytics.json",
      "sync/status.json", "reports/final-report.md",
    ]) {
      expect(existsSync(join(dir, rel)), rel).toBe(true);
    }
    const reports = ["md", "html", "pdf", "json"].map((ext) => record.engine.tasks[`actions/report/render/weekly.${ext === "md" ? "markdown" : ext}`].artifacts[0].path);
    for (const rel of reports) expect(rel).toMatch(/^reports\/weekly-\d{4}-W\d{2}\.(md|html|pdf|json)$/);
    for (const rel of reports) expect(readFileSync(join(dir, rel)).byteLength).toBeGreaterThan(0);

    const status = JSON.parse(readFileSync(join(dir, "sync/status.json"), "utf8"));
    expect(status.consistent).toBe(true);
    expect(status.artifacts.length).toBeGreaterThanOrEqual(10);
    const final = readFileSync(join(dir, "reports/final-report.md"), "utf8");
    expect(final).toContain(workflowId);
    expect(final).toMatch(/\| reportsGenerated \| 4 \|/);
    expect(mirrored.phases.reporting.output).toMatchObject({ workspace: dir, archived: true });
  });
});

export type { Behaviours };

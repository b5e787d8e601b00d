/**
 * The product as a user runs it, every part real: the sandbox's three APIs over HTTP, the orchestrator,
 * the ClickUp, GitHub and Plane agents and the report agent, each its own process. A weekly report
 * over all three platforms, whose numbers are checked against the sandbox's ground truth, computed
 * here on its own (not with @pmo/analytics), and a manage workflow whose items the sandbox then holds.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Platform } from "@pmo/contracts";
import { startSandbox, writeSandboxConfig, type SandboxHandle, type TruthItem } from "@pmo/sandbox";
import { makeConfig } from "../harness/config-fixture.js";
import { connectTo, publishRequest, serviceEnv, waitForWorkflow } from "../harness/mesh.js";
import { startNatsServer, type NatsServer } from "../harness/nats-server.js";
import { startProcess, type ServiceProcess } from "../harness/processes.js";

const PLATFORMS: Platform[] = ["clickup", "github", "plane"];
const DAY = 86_400_000;
const LIMITS = { clickupPerMinute: 6_000, githubPerHour: 100_000, planePerMinute: 6_000 };

/** Monday 00:00 UTC of the ISO week holding `ms`. */
function isoWeekStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - ((d.getUTCDay() || 7) - 1) * DAY;
}

describe("the whole mesh on the sandbox", () => {
  let server: NatsServer;
  let sandbox: SandboxHandle;
  let nc: NatsConnection;
  let dirs: ReturnType<typeof makeConfig>;
  const procs: ServiceProcess[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    // Data dated now, so this week has work in it.
    sandbox = await startSandbox({ seed: 23, itemsPerPlatform: 90, now: Date.now(), rateLimits: LIMITS });
    dirs = makeConfig();
    await writeSandboxConfig(dirs.configDir, sandbox, { projectId: "web", rateLimits: LIMITS });
    // makeConfig's fast timings stay: writeSandboxConfig wrote only the retry policy over them.
    const env = { ...serviceEnv(server.url, dirs), LOG_LEVEL: "warn" };
    for (const name of ["orchestrator", "clickup-agent", "github-agent", "plane-agent", "report-agent"]) {
      const p = startProcess(name, `services/${name}/src/main.ts`, { ...env, LOG_LEVEL: "info" });
      procs.push(p);
      await p.waitForLog((e) => e.msg === `${name} started`, 30_000);
    }
    nc = await connectTo(server.url);
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    for (const p of procs) await p.terminate();
    await sandbox?.close();
    await server?.stop();
  });

  it("a weekly report over ClickUp, GitHub and Plane carries the ground truth's numbers", async () => {
    await publishRequest(nc, { action: "report", platforms: PLATFORMS, project: "web", requestId: "full-weekly", parameters: { reportType: "weekly", formats: ["json", "markdown"] } });
    const { workflowId, record } = await waitForWorkflow(nc, "full-weekly", 120_000);
    expect(record.state.status, JSON.stringify(record.state.metadata.errors)).toBe("complete");
    const reports = join(dirs.workspaceDir, "archive", workflowId, "reports");
    const jsonPath = record.engine.tasks["actions/report/render/weekly.json"].artifacts[0].path as string;
    const report = JSON.parse(readFileSync(join(dirs.workspaceDir, "archive", workflowId, jsonPath), "utf8"));

    const asOf = Date.parse(report.asOf);
    const start = isoWeekStart(asOf);
    expect(Date.parse(report.period.start)).toBe(start);
    const live = (p: Platform) => sandbox.truth.items[p].filter((i) => i.deletedAt === null);
    const items: TruthItem[] = PLATFORMS.flatMap(live);
    const inWeek = (ms: number | null) => ms !== null && ms >= start && ms < asOf;
    const completed = items.filter((i) => i.status === "done" && inWeek(i.closedAt));
    // Every live item of every platform was collected, normalised and analysed.
    for (const p of PLATFORMS) expect(report.dataQuality.analysedItems[p], p).toBe(live(p).length);
    const s = report.sections;
    expect(s.completed.length).toBe(completed.length);
    expect(s.created).toBe(items.filter((i) => inWeek(i.createdAt)).length);
    for (const p of PLATFORMS) expect(s.byPlatform[p]?.completed ?? 0, p).toBe(completed.filter((i) => i.platform === p).length);
    for (const c of ["done", "cancelled"] as const) expect(s.statusBreakdown[c], c).toBe(items.filter((i) => i.status === c).length);
    const md = readFileSync(join(reports, jsonPath.replace(/^reports\//, "").replace(/\.json$/, ".md")), "utf8");
    expect(md).toContain(`**${completed.length}**`);
  }, 180_000);

  it("a manage workflow creates the task on each platform, once, as the sandbox's data shows", async () => {
    const before = Object.fromEntries(PLATFORMS.map((p) => [p, sandbox.truth.items[p].length]));
    await publishRequest(nc, { action: "manage", platforms: PLATFORMS, project: "web", requestId: "full-manage", parameters: { title: "Ship the full-mesh test", priority: "high" } });
    const { record } = await waitForWorkflow(nc, "full-manage", 120_000);
    expect(record.state.status, JSON.stringify(record.state.metadata.errors)).toBe("complete");
    for (const p of PLATFORMS) {
      const made = sandbox.truth.items[p].slice(before[p]).filter((i) => i.title === "Ship the full-mesh test");
      expect(made, p).toHaveLength(1);
      expect(made[0]!.priority === "high" || made[0]!.labels.some((l) => /high/i.test(l)), p).toBe(true);
    }
    expect(record.state.metadata.metrics.tasksCreated).toBe(3);
  }, 180_000);
});

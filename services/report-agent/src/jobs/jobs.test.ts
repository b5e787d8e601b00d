import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { REQUIRED_JSON_FIELDS, type Job, type WorkItem } from "@pmo/contracts";
import { ArtifactStore, JobFailure, createLogger, ensureTopology, type JobContext } from "@pmo/runtime";
import { startNatsServer, type NatsServer } from "../../../../test/harness/nats-server.js";
import { ReportJsonSchema } from "../report/report-json.js";
import { workItem } from "../testing/work-items.js";
import { analyzeJob } from "./analyze.js";
import { renderJob } from "./render.js";

const DAY = 86_400_000;
const NOW = Date.parse("2026-11-04T12:00:00Z");
const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();
const sprint = { id: "sprint-24", name: "Sprint 24", startAt: "2026-10-26T00:00:00.000Z", endAt: "2026-11-09T00:00:00.000Z" };

/** Three GitHub issues and two Plane items: one done this week, one in progress, one overdue; one record broken. */
function collected(): Record<"github" | "plane", unknown[]> {
  const done = (id: string, platform: "github" | "plane", closedDaysAgo: number, points: number): WorkItem =>
    workItem(id, {
      ref: { platform, id },
      status: "done",
      statusCategory: "done",
      iteration: sprint,
      estimate: { points, ms: null },
      createdAt: at(10),
      updatedAt: at(closedDaysAgo),
      startedAt: at(4),
      closedAt: at(closedDaysAgo),
      history: [
        { at: at(10), from: null, to: "open", fromCategory: null, toCategory: "todo", by: "ada" },
        { at: at(4), from: "open", to: "doing", fromCategory: "todo", toCategory: "in_progress", by: "ada" },
        { at: at(closedDaysAgo), from: "doing", to: "done", fromCategory: "in_progress", toCategory: "done", by: "ada" },
      ],
    });
  return {
    github: [
      done("1", "github", 1, 3),
      workItem("2", { status: "doing", statusCategory: "in_progress", assignees: ["ada"], iteration: sprint, startedAt: at(2), history: [{ at: at(2), from: "open", to: "doing", fromCategory: "todo", toCategory: "in_progress", by: "ada" }] }),
      workItem("3", { dueAt: at(3), assignees: ["grace"] }),
      { ref: { platform: "github", id: "4" }, title: null },
    ],
    plane: [done("p1", "plane", 2, 5), workItem("p2", { ref: { platform: "plane", id: "p2" }, container: { id: "web", name: "Web", kind: "project" } })],
  };
}

describe("the report-agent's jobs against a real object store", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let artifacts: ArtifactStore;
  let n = 0;
  const workflowId = "workflow-2026-11-04-120000";

  const ctx = (op: "analyze" | "render", input: Record<string, unknown>): JobContext => {
    const job: Job = { jobId: `${workflowId}:analysis:report:${op}:${++n}`, workflowId, phase: op === "analyze" ? "analysis" : "actions", agent: "report", op, attempt: 1, task: `${op}`, project: "web", issuedAt: new Date(NOW).toISOString(), deadlineAt: new Date(Date.now() + 60_000).toISOString(), input };
    return { job, deliveryCount: 1, signal: new AbortController().signal, artifacts, log: createLogger("test", "silent"), heartbeat: () => undefined };
  };
  const text = async (path: string) => new TextDecoder().decode((await artifacts.get(workflowId, path))!);
  const analyzeInput = { platforms: ["github", "plane"], collected: ["data/github-collected.json", "data/plane-collected.json"], reportType: "weekly", sprint: null };
  const renderInput = (reportType: string, format: string, outputPath: string, sprintName: string | null = null) => ({ reportType, format, sprint: sprintName, outputPath, analysis: [], collected: analyzeInput.collected });

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    artifacts = new ArtifactStore((await ensureTopology(nc, { replicas: 1 })).artifacts);
    const data = collected();
    for (const p of ["github", "plane"] as const) await artifacts.putJson(workflowId, `data/${p}-collected.json`, { platform: p, collectedAt: new Date(NOW).toISOString(), items: data[p] });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("analyze writes every output the orchestrator's gate requires, reporting the broken record", async () => {
    const out = await analyzeJob(ctx("analyze", analyzeInput), { thresholds: {} });
    const paths = out.artifacts!.map((a) => a.path);
    expect(paths).toEqual(expect.arrayContaining(["analysis/github-analytics.json", "analysis/plane-analytics.json", "analysis/patterns.json", "analysis/insights.json", "analysis/project.json", "analysis/data-quality.json", "analysis/report-weekly.json"]));
    for (const path of paths) {
      const data = JSON.parse(await text(path));
      const rule = REQUIRED_JSON_FIELDS.find((r) => r.pattern.test(path));
      for (const f of rule?.fields ?? []) expect(data, `${path}.${f}`).toHaveProperty(f);
    }
    expect(out.output).toMatchObject({ items: 5, invalidItems: 1, asOf: new Date(NOW).toISOString() });
    expect(JSON.parse(await text("analysis/data-quality.json")).invalidRecords.github).toEqual([expect.objectContaining({ index: 3, id: "4" })]);
    expect(JSON.parse(await text("analysis/github-analytics.json")).metrics.counts.total).toBe(3);
  });

  it("render writes exactly input.outputPath in each format, from the stored sections", async () => {
    for (const [format, path] of [["json", "reports/weekly-2026-W45.json"], ["markdown", "reports/weekly-2026-W45.md"], ["html", "reports/weekly-2026-W45.html"], ["pdf", "reports/weekly-2026-W45.pdf"]] as const) {
      const out = await renderJob(ctx("render", renderInput("weekly", format, path)), { thresholds: {} });
      expect(out.artifacts!.map((a) => a.path)).toEqual([path]);
      expect(out.output).toMatchObject({ path, format, parts: 1 });
    }
    const json = ReportJsonSchema.parse(JSON.parse(await text("reports/weekly-2026-W45.json")));
    expect(json.sections.type).toBe("weekly");
    const headline = Object.fromEntries(json.headline.map((h) => [h.id, h.value]));
    expect(headline).toMatchObject({ completed: 2, "points-completed": 8, wip: 1, overdue: 1 });
    expect(json.dataQuality).toEqual({ invalidItems: { github: 1, plane: 0 }, analysedItems: { github: 3, plane: 2 } });
    expect(await text("reports/weekly-2026-W45.md")).toContain("# Weekly progress report");
  });

  it("render computes sections the analysis did not store (another report type) from the collected data", async () => {
    const out = await renderJob(ctx("render", renderInput("sprint", "json", "reports/sprint-sprint-24.json", "sprint-24")), { thresholds: {} });
    expect(out.output).toMatchObject({ headline: expect.objectContaining({ "scope-points": 8, "done-points": 8 }) });
    const json = JSON.parse(await text("reports/sprint-sprint-24.json"));
    expect(json.sections.sprint.name).toBe("Sprint 24");
  });

  it("analyzes a sprint report's data even when the sprint is unknown, leaving the failure to the render jobs", async () => {
    const out = await analyzeJob(ctx("analyze", { ...analyzeInput, reportType: "sprint", sprint: "sprint-99" }), { thresholds: {} });
    expect(out.output).toMatchObject({ reportSections: null, items: 5 });
    expect(out.artifacts!.map((a) => a.path)).toContain("analysis/insights.json");
  });

  it("fails for good on what a retry cannot fix: bad input, missing data, an unknown sprint", async () => {
    const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as JobFailure);
    const bad = await failure(renderJob(ctx("render", { ...renderInput("weekly", "docx", "reports/x.docx") }), { thresholds: {} }));
    expect(bad).toMatchObject({ code: "invalid_input", nonRetryable: true });
    const unsafe = await failure(renderJob(ctx("render", renderInput("weekly", "json", "../escape.json")), { thresholds: {} }));
    expect(unsafe).toMatchObject({ code: "invalid_input", nonRetryable: true });
    const missing = await failure(analyzeJob(ctx("analyze", { ...analyzeInput, collected: ["data/clickup-collected.json"] }), { thresholds: {} }));
    expect(missing).toMatchObject({ code: "missing_input", nonRetryable: true });
    const sprintless = await failure(renderJob(ctx("render", renderInput("sprint", "json", "reports/sprint-x.json", "sprint-99")), { thresholds: {} }));
    expect(sprintless).toMatchObject({ code: "sprint_not_found", nonRetryable: true });
  });
});

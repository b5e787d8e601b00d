/**
 * The report-agent end to end: two report-agent processes, the orchestrator, and stand-in platform
 * agents that "collect" WorkItems made from the sandbox's ground truth. One report workflow per report
 * type, all four formats; then the outputs are checked the way a reader would: the weekly numbers
 * against the truth (computed here, independently of @pmo/analytics), every html page in headless
 * Chromium, every pdf through poppler. Then three replicas share a batch of 40 renders, one of them
 * killed mid-batch.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { Bucket, JobOp, type Platform, type ReportType, type StatusCategory, type WorkItem } from "@pmo/contracts";
import { JobWorker, ensureAgentConsumer, getJson, kvKey, startService, type RunningService } from "@pmo/runtime";
import { generateTruth, type Truth, type TruthItem } from "@pmo/sandbox";
import { makeConfig } from "../harness/config-fixture.js";
import { connectTo, publishRequest, serviceEnv, startOrchestrator, waitForWorkflow, type FinishedWorkflow } from "../harness/mesh.js";
import { startNatsServer, type NatsServer } from "../harness/nats-server.js";
import { REPO_ROOT, startProcess, type ServiceProcess } from "../harness/processes.js";

const XSS = "<img src=x onerror=alert(1)>";
const PLATFORMS: Platform[] = ["clickup", "github", "plane"];
const TYPES: ReportType[] = ["daily", "weekly", "monthly", "sprint", "velocity"];
const FORMATS = ["markdown", "html", "json", "pdf"] as const;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ARTIFACTS = join(REPO_ROOT, "test-artifacts", "report-agent");

// ---- Ground truth → WorkItem: a test-only mapper (the platform agents do this for real) ----

const STATUS_NAMES: Record<StatusCategory, string> = { backlog: "backlog", todo: "to do", in_progress: "in progress", in_review: "in review", done: "done", cancelled: "cancelled" };
const CONTAINER_KIND = { clickup: "list", github: "repo", plane: "project" } as const;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** GitHub numbers repeat across repos, so the stand-in qualifies them with the repo. */
const nativeId = (item: TruthItem, id = item.id) => (item.platform === "github" ? `${item.container}#${id}` : id);

function toWorkItem(truth: Truth, item: TruthItem): WorkItem {
  const login = (key: string) => truth.people.find((p) => p.key === key)?.login ?? key;
  const sprint = item.sprint ? truth.sprints.find((s) => s.key === item.sprint) : undefined;
  const spent = item.timeEntries.reduce((n, e) => n + e.durationMs, 0);
  return {
    ref: { platform: item.platform, id: nativeId(item) },
    key: item.platform === "github" ? `#${item.seq}` : item.platform === "plane" ? `WEB-${item.seq}` : `CU-${item.id}`,
    url: `https://${item.platform}.example.test/items/${encodeURIComponent(nativeId(item))}`,
    title: item.title,
    kind: item.kind,
    status: STATUS_NAMES[item.status],
    statusCategory: item.status,
    priority: item.priority,
    assignees: item.assignees.map(login),
    labels: item.labels,
    container: { id: item.container, name: item.container, kind: CONTAINER_KIND[item.platform] },
    iteration: sprint ? { id: sprint.key, name: sprint.name, startAt: iso(sprint.startAt), endAt: iso(sprint.endAt) } : null,
    createdAt: iso(item.createdAt)!,
    updatedAt: iso(item.updatedAt)!,
    startedAt: iso(item.startedAt),
    closedAt: iso(item.closedAt),
    dueAt: iso(item.dueAt),
    estimate: item.estimatePoints === null && item.timeEstimateMs === null ? null : { points: item.estimatePoints, ms: item.timeEstimateMs },
    timeSpentMs: item.timeEntries.length ? spent : null,
    parent: item.parentId ? { platform: item.platform, id: nativeId(item, item.parentId) } : null,
    blockedBy: item.blockedBy.map((id) => ({ platform: item.platform, id: nativeId(item, id) })),
    history: item.transitions.map((t) => ({ at: iso(t.at)!, from: t.from && STATUS_NAMES[t.from], to: STATUS_NAMES[t.to], fromCategory: t.from, toCategory: t.to, by: login(t.by) })),
  };
}

/** Monday 00:00 UTC of the ISO week holding `ms`. */
function isoWeekStart(ms: number): number {
  const d = new Date(ms);
  const day = d.getUTCDay() || 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - (day - 1) * DAY;
}

// ---- Stand-in platform agents: verify, and collect the truth's items as WorkItems ----

async function startStandIn(platform: Platform, env: NodeJS.ProcessEnv, items: () => unknown[]): Promise<RunningService> {
  return startService(
    `${platform}-agent`,
    async (kit) => {
      await ensureAgentConsumer(kit.topology.jsm, platform, { replicas: 1, jobAckWaitMs: 5_000 });
      const worker = new JobWorker({
        nc: kit.nc,
        agent: platform,
        artifacts: kit.artifacts,
        ledger: kit.topology.kv.Ledger,
        log: kit.log,
        metrics: kit.metrics,
        ackWaitMs: 5_000,
        handlers: {
          [JobOp.Verify]: async () => ({ output: { credential: "valid" } }),
          [JobOp.Collect]: async (ctx) => {
            const collected = items();
            const ref = await ctx.artifacts.put(ctx.job.workflowId, String(ctx.job.input.outputPath), JSON.stringify({ platform, collectedAt: new Date().toISOString(), items: collected }));
            return { output: { items: collected.length }, artifacts: [ref] };
          },
        },
      });
      return [{ name: "worker", start: () => worker.start(), stop: () => worker.stop() }];
    },
    { env, installSignalHandlers: false },
  );
}

// ---- Readers of the outputs ----

const hasChromium = existsSync("/usr/bin/chromium");
const hasPoppler = existsSync("/usr/bin/pdftotext") && existsSync("/usr/bin/pdftoppm");
/** .ci/run installs chromium and poppler-utils; only a developer machine without them skips those checks. */
const requireTools = Boolean(process.env.CI);
if (!hasChromium && !requireTools) console.warn("html reports in Chromium: skipped, /usr/bin/chromium is not installed (apt-get install chromium; .ci/run installs it)");
if (!hasPoppler && !requireTools) console.warn("pdf reports through poppler: skipped, pdftotext/pdftoppm are not installed (apt-get install poppler-utils; .ci/run installs it)");

const squash = (s: string) => s.replace(/\s+/g, " ");

describe("report-agent as its own processes, over the sandbox's ground truth", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let dirs: ReturnType<typeof makeConfig>;
  let truth: Truth;
  const services: RunningService[] = [];
  const agents: ServiceProcess[] = [];
  const done = new Map<ReportType, FinishedWorkflow>();
  let weekCompleted: TruthItem[] = [];

  const reportsDir = (t: ReportType) => join(dirs.workspaceDir, "archive", done.get(t)!.workflowId, "reports");
  const reportFile = (t: ReportType, ext: string) => {
    const dir = reportsDir(t);
    const name = readdirSync(dir).find((f) => f.startsWith(t === "velocity" ? "velocity-report-" : `${t}-`) && f.endsWith(`.${ext}`) && !f.includes(".part-"));
    if (!name) throw new Error(`no .${ext} report of ${t} in ${dir}: ${readdirSync(dir).join(", ")}`);
    return join(dir, name);
  };
  const reportJson = (t: ReportType) => JSON.parse(readFileSync(reportFile(t, "json"), "utf8"));

  beforeAll(async () => {
    truth = generateTruth({ seed: 11, itemsPerPlatform: 150, now: Date.now() });
    const now = truth.now;
    const live = (p: Platform) => truth.items[p].filter((i) => i.deletedAt === null);
    // Hostile titles: every item in progress (the daily report lists them all), and one item completed this week.
    for (const p of PLATFORMS) for (const i of live(p)) if (i.status === "in_progress") i.title = XSS;
    weekCompleted = PLATFORMS.flatMap(live).filter((i) => i.status === "done" && i.closedAt !== null && i.closedAt >= isoWeekStart(now));
    if (weekCompleted[0]) weekCompleted[0].title = XSS;

    server = await startNatsServer();
    dirs = makeConfig();
    const env = serviceEnv(server.url, dirs);
    services.push(await startOrchestrator(env));
    for (const p of PLATFORMS) {
      const items = (): unknown[] => live(p).map((i) => toWorkItem(truth, i));
      // One bad record from GitHub: reported and left out, never a failed analysis.
      services.push(await startStandIn(p, env, p === "github" ? () => [...items(), { id: "broken", title: 42 }] : items));
    }
    // Two replicas of the report-agent, each its own process, sharing the agent's durable consumer.
    for (const name of ["report-agent-a", "report-agent-b"]) agents.push(startProcess(name, "services/report-agent/src/main.ts", { ...env, LOG_LEVEL: "info", PMO_INSTANCE: name }));
    await Promise.all(agents.map((a) => a.waitForLog((e) => e.msg === "report-agent started", 60_000)));
    nc = await connectTo(server.url);

    await Promise.all(
      TYPES.map((t) => publishRequest(nc, { action: "report", platforms: PLATFORMS, project: "web", requestId: `ra-${t}`, parameters: { reportType: t, formats: [...FORMATS] } })),
    );
    for (const t of TYPES) done.set(t, await waitForWorkflow(nc, `ra-${t}`, 90_000));
  }, 180_000);

  afterAll(async () => {
    await nc?.close();
    for (const a of agents) await a.terminate();
    for (const s of services.reverse()) await s.stop();
    await server?.stop();
  });

  it("completes a workflow per report type, every format written where the orchestrator asked, the replicas sharing the renders", () => {
    const workers = new Set<string>();
    for (const t of TYPES) {
      const { record } = done.get(t)!;
      expect(record.state.status, `${t}: ${JSON.stringify(record.state.metadata.errors)}`).toBe("complete");
      for (const f of FORMATS) {
        const task = record.engine.tasks[`actions/report/render/${t}.${f}`];
        expect(task.status).toBe("succeeded");
        expect(task.output.path).toBe(task.requiredOutputs[0]);
        workers.add(task.worker);
      }
      expect(record.engine.tasks["analysis/report/analyze"].output).toMatchObject({ invalidItems: 1 });
      expect(record.state.metadata.metrics.reportsGenerated).toBe(FORMATS.length);
      const analysis = join(dirs.workspaceDir, "archive", done.get(t)!.workflowId, "analysis");
      for (const f of [...PLATFORMS.map((p) => `${p}-analytics.json`), "patterns.json", "insights.json", "project.json", "data-quality.json"]) expect(existsSync(join(analysis, f)), f).toBe(true);
    }
    expect([...workers].sort()).toEqual(["report-agent-a", "report-agent-b"]);
  });

  it("reports the bad collected record instead of failing, and counts only valid items", () => {
    const weekly = done.get("weekly")!;
    const quality = JSON.parse(readFileSync(join(dirs.workspaceDir, "archive", weekly.workflowId, "analysis", "data-quality.json"), "utf8"));
    expect(quality.invalidItems).toEqual({ clickup: 0, github: 1, plane: 0 });
    expect(quality.invalidRecords.github[0]).toMatchObject({ id: "broken" });
    const json = reportJson("weekly");
    for (const p of PLATFORMS) expect(json.dataQuality.analysedItems[p]).toBe(truth.items[p].filter((i) => i.deletedAt === null).length);
    expect(readFileSync(reportFile("weekly", "md"), "utf8")).toContain("Left out as invalid: github 1");
  });

  it("writes weekly numbers equal to those computed from the ground truth", () => {
    const json = reportJson("weekly");
    const asOf = Date.parse(json.asOf);
    const start = isoWeekStart(asOf);
    expect(Date.parse(json.period.start)).toBe(start);
    const items = PLATFORMS.flatMap((p) => truth.items[p].filter((i) => i.deletedAt === null));
    const inWeek = (ms: number | null) => ms !== null && ms >= start && ms < asOf;
    const completed = items.filter((i) => i.status === "done" && inWeek(i.closedAt));
    const open = (i: TruthItem) => i.status !== "done" && i.status !== "cancelled";
    const s = json.sections;
    expect(s.completed.length).toBe(completed.length);
    expect(s.completedPoints).toBe(completed.reduce((n, i) => n + (i.estimatePoints ?? 0), 0));
    expect(s.created).toBe(items.filter((i) => inWeek(i.createdAt)).length);
    expect(s.wip.total).toBe(items.filter((i) => i.status === "in_progress" || i.status === "in_review").length);
    expect(s.overdue.length).toBe(items.filter((i) => open(i) && i.dueAt !== null && i.dueAt < asOf).length);
    for (const c of ["backlog", "todo", "in_progress", "in_review", "done", "cancelled"] as const) expect(s.statusBreakdown[c], c).toBe(items.filter((i) => i.status === c).length);
    for (const p of PLATFORMS) expect(s.byPlatform[p]?.completed ?? 0, p).toBe(completed.filter((i) => i.platform === p).length);
    const headline = Object.fromEntries(json.headline.map((h: { id: string; value: number }) => [h.id, h.value]));
    expect(headline).toMatchObject({ completed: completed.length, wip: s.wip.total, created: s.created });
  });

  it("writes markdown with the headline numbers, every user string escaped", () => {
    for (const t of TYPES) {
      const md = readFileSync(reportFile(t, "md"), "utf8");
      expect(md.length).toBeLessThanOrEqual(65_536);
      expect(md).not.toContain("<img");
      for (const h of reportJson(t).headline) expect(md, `${t}: ${h.label}`).toContain(`**${h.display}**`);
    }
    expect(readFileSync(reportFile("daily", "md"), "utf8")).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it.skipIf(!hasChromium && !requireTools)("renders each html report in headless Chromium: no console error, charts drawn, hostile titles shown as text", { timeout: 120_000 }, async () => {
    const { chromium } = await import("playwright-core");
    mkdirSync(ARTIFACTS, { recursive: true });
    const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "pmo-chromium-")), {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1200, height: 900 },
    });
    try {
      for (const t of TYPES) {
        const page = await context.newPage();
        const problems: string[] = [];
        page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
        page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
        page.on("dialog", (d) => {
          problems.push(`dialog: ${d.message()}`);
          void d.dismiss();
        });
        await page.goto(`file://${reportFile(t, "html")}`, { waitUntil: "load" });
        const charts = page.locator("svg.chart");
        expect(await charts.count(), t).toBeGreaterThan(0);
        for (let i = 0; i < (await charts.count()); i++) {
          const box = await charts.nth(i).boundingBox();
          expect(box!.width, `${t} chart ${i}`).toBeGreaterThan(200);
          expect(await charts.nth(i).locator("rect, polyline, circle").count(), `${t} chart ${i} has marks`).toBeGreaterThan(0);
        }
        for (const h of reportJson(t).headline) await expect(page.locator(`[data-kpi="${h.id}"] .value`).textContent()).resolves.toBe(h.display);
        // The weekly report shows it when its item completed inside the report's week (the truth's "now" may be a few seconds before the report's).
        const weeklyShowsIt = t === "weekly" && weekCompleted[0] !== undefined && weekCompleted[0].closedAt! >= Date.parse(reportJson("weekly").period.start);
        if (t === "daily" || weeklyShowsIt) {
          const text = page.getByText(XSS, { exact: true }).first();
          expect(await text.isVisible(), `${t}: the hostile title is visible as text`).toBe(true);
        }
        expect(await page.locator("img, script").count(), t).toBe(0);
        await page.screenshot({ path: join(ARTIFACTS, `${t}.png`), fullPage: true });
        expect(problems, t).toEqual([]);
        await page.close();
      }
    } finally {
      await context.close();
    }
  });

  it.skipIf(!hasPoppler && !requireTools)("writes pdfs whose text holds the headline numbers and whose every page renders", () => {
    for (const t of TYPES) {
      const file = reportFile(t, "pdf");
      const text = squash(execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }));
      const json = reportJson(t);
      expect(text).toContain(squash(json.title));
      for (const h of json.headline) {
        expect(text, `${t}: ${h.label}`).toContain(squash(h.label));
        expect(text, `${t}: ${h.label} = ${h.display}`).toContain(squash(h.display));
      }
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))![1]);
      const out = mkdtempSync(join(tmpdir(), "pmo-pdf-pages-"));
      execFileSync("pdftoppm", ["-r", "30", "-png", file, join(out, "page")]);
      expect(readdirSync(out).filter((f) => f.endsWith(".png")), t).toHaveLength(pages);
    }
  });
});

describe("three report-agent replicas sharing a batch of 40 render jobs", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  const services: RunningService[] = [];
  const replicas: ServiceProcess[] = [];
  const WORKFLOWS = 10;

  beforeAll(async () => {
    const truth = generateTruth({ seed: 5, itemsPerPlatform: 60, now: Date.now() });
    server = await startNatsServer();
    // What the killed replica held comes back to the others after the consumer's ack wait (2 s here);
    // the orchestrator's job timeout is the second line of defence.
    const env = serviceEnv(server.url, makeConfig({ jobTimeoutMs: 6_000 }), { PMO_JOB_ACK_WAIT_MS: "2000" });
    services.push(await startOrchestrator(env));
    for (const p of PLATFORMS) services.push(await startStandIn(p, env, () => truth.items[p].filter((i) => i.deletedAt === null).map((i) => toWorkItem(truth, i))));
    for (const name of ["replica-a", "replica-b", "replica-c"]) replicas.push(startProcess(name, "services/report-agent/src/main.ts", { ...env, LOG_LEVEL: "info", PMO_INSTANCE: name }));
    await Promise.all(replicas.map((r) => r.waitForLog((e) => e.msg === "report-agent started", 60_000)));
    nc = await connectTo(server.url);
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    for (const r of replicas) await r.terminate();
    for (const s of services.reverse()) await s.stop();
    await server?.stop();
  });

  type RenderTask = { op: string; status: string; worker: string | null };
  const renders = (r: FinishedWorkflow["record"]) => Object.values(r.engine.tasks as Record<string, RenderTask>).filter((t) => t.op === "render");

  /** Render tasks of every workflow of the batch, as the orchestrator records them. */
  async function batchRenders(ids: string[]): Promise<RenderTask[]> {
    const kvm = new Kvm(nc);
    const [ledger, workflows] = [await kvm.open(Bucket.Ledger), await kvm.open(Bucket.Workflows)];
    const out: RenderTask[] = [];
    for (const id of ids) {
      const claim = await getJson<{ workflowId: string }>(ledger, kvKey("request", id));
      const rec = claim && (await getJson<FinishedWorkflow["record"]>(workflows, claim.value.workflowId));
      if (rec) out.push(...renders(rec.value));
    }
    return out;
  }

  it("splits the renders between the processes, and loses no report when one is killed mid-batch", { timeout: 150_000 }, async () => {
    const ids = Array.from({ length: WORKFLOWS }, (_, i) => `batch-${i}`);
    await Promise.all(ids.map((requestId) => publishRequest(nc, { action: "report", platforms: PLATFORMS, project: "web", requestId, parameters: { reportType: "weekly", formats: [...FORMATS] } })));

    // Kill replica c (SIGKILL: no graceful stop) as soon as it has rendered a report, while the batch is still running.
    let succeededAtKill = 0;
    for (let polls = 0; ; polls++) {
      const tasks = await batchRenders(ids);
      if (tasks.some((t) => t.status === "succeeded" && t.worker === "replica-c")) {
        succeededAtKill = tasks.filter((t) => t.status === "succeeded").length;
        break;
      }
      if (polls > 2_000) throw new Error("replica-c never rendered a report");
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await replicas[2]!.kill()).not.toBe(0);
    expect(succeededAtKill).toBeLessThan(WORKFLOWS * FORMATS.length);

    const byWorker = new Map<string, number>();
    for (const id of ids) {
      const { record } = await waitForWorkflow(nc, id, 120_000);
      expect(record.state.status, JSON.stringify(record.state.metadata.errors)).toBe("complete");
      const tasks = renders(record);
      expect(tasks).toHaveLength(FORMATS.length);
      for (const t of tasks) {
        expect(t.status).toBe("succeeded");
        byWorker.set(t.worker!, (byWorker.get(t.worker!) ?? 0) + 1);
      }
    }
    // Each process rendered some of the 40; the survivors finished what the killed one held.
    expect([...byWorker.keys()].sort()).toEqual(["replica-a", "replica-b", "replica-c"]);
    expect([...byWorker.values()].reduce((a, b) => a + b, 0)).toBe(WORKFLOWS * FORMATS.length);
  });
});

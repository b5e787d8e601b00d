import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { connect } from "@nats-io/transport-node";
import type { Platform, WorkflowRequest } from "@pmo/contracts";
import { UsageError } from "../connection.js";
import { discoverServices, startLocalMesh } from "../local-mesh.js";
import { submitRequest, waitForWorkflowStream } from "./run.js";

/** Sandbox limits for the demo: high enough that a first-time run takes seconds, not the real minutes. */
const DEMO_RATE_LIMITS = { clickupPerMinute: 6_000, githubPerHour: 100_000, planePerMinute: 6_000 };

interface DemoStep {
  title: string;
  needs: string[];
  request: WorkflowRequest;
}

/** One workflow of each action the services present can run, over every platform that has an agent. */
export function demoSteps(present: string[]): { steps: DemoStep[]; missing: string[] } {
  const platforms = (["clickup", "github", "plane"] as Platform[]).filter((p) => present.includes(`${p}-agent`));
  const candidates: DemoStep[] = [
    { title: "weekly report over every platform (markdown, html, pdf, json)", needs: ["report-agent"], request: { action: "report", platforms, project: "web", parameters: { reportType: "weekly", formats: ["markdown", "html", "pdf", "json"] } } },
    { title: "monitoring: alert rules and the dashboard", needs: ["alert-agent"], request: { action: "monitor", platforms, project: "web", parameters: {} } },
    { title: "manage: create a task on each platform", needs: [], request: { action: "manage", platforms, project: "web", parameters: { title: "Try pmo: a task created by the demo", priority: "high" } } },
    { title: "two-way sync (dry run)", needs: ["sync-agent"], request: { action: "sync", platforms, project: "web", parameters: { dryRun: true } } },
  ];
  const missing = new Set<string>();
  if (platforms.length === 0) ["clickup-agent", "github-agent", "plane-agent"].forEach((a) => missing.add(a));
  const steps = candidates.filter((c) => {
    const lacking = c.needs.filter((n) => !present.includes(n));
    lacking.forEach((n) => missing.add(n));
    return platforms.length > 0 && lacking.length === 0;
  });
  return { steps: steps.map((s) => ({ ...s, request: { ...s.request, requestId: `demo-${s.request.action}-${randomUUID()}`, author: "pmo demo" } })), missing: [...missing] };
}

/** `pmo demo`: the sandbox, the whole mesh on it, a workflow of each action; prints where the reports are. */
export async function demoCommand(opts: { seed: number; items: number }, out = process.stdout): Promise<number> {
  const present = discoverServices().map((s) => s.name);
  const { steps, missing } = demoSteps(present);
  if (!steps.length) throw new UsageError(`nothing to demonstrate yet: these services are not built: ${missing.join(", ")}`);
  const { startSandbox, writeSandboxConfig } = await import("@pmo/sandbox");
  const root = resolve(".pmo", "demo");
  rmSync(root, { recursive: true, force: true });
  const configDir = resolve(root, "config");
  const workspaceDir = resolve("project-workspace");
  out.write(`starting the sandbox (seed ${opts.seed}, ${opts.items} items per platform)…\n`);
  // The data's "now" is today, so this week's report has this week's work in it.
  const sandbox = await startSandbox({ seed: opts.seed, itemsPerPlatform: opts.items, now: Date.now(), rateLimits: DEMO_RATE_LIMITS });
  await writeSandboxConfig(configDir, sandbox, { projectId: "web", rateLimits: DEMO_RATE_LIMITS });
  const mesh = await startLocalMesh({ configDir, workspaceDir, natsStoreDir: resolve(root, "nats"), out, env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...sandboxCredentials(sandbox.credentials) } });
  out.write(`mesh up: ${mesh.services.join(", ")} on ${mesh.natsUrl}\n`);
  if (missing.length) out.write(`(not built yet, so skipped: ${missing.join(", ")})\n`);
  const nc = await connect({ servers: mesh.natsUrl, maxReconnectAttempts: -1 });
  const results: { title: string; code: number }[] = [];
  try {
    await waitForWorkflowStream(nc, 60_000);
    for (const step of steps) {
      out.write(`\n== ${step.title}\n`);
      results.push({ title: step.title, code: await submitRequest(nc, step.request, { wait: true, timeout: "600" }, out) });
    }
  } finally {
    await nc.close();
    await mesh.stop();
    await sandbox.close();
  }
  out.write(`\ndemo finished. Workspaces (reports under reports/): ${resolve(workspaceDir, "archive")}\n`);
  for (const r of results) out.write(`  ${r.code === 0 ? "ok  " : "FAIL"} ${r.title}\n`);
  return results.every((r) => r.code === 0) ? 0 : 1;
}

/** The sandbox's throwaway credentials, under the env names the platform configs point at. */
function sandboxCredentials(c: { clickupToken: string; githubToken: string; planeApiKey: string }): NodeJS.ProcessEnv {
  return { CLICKUP_API_TOKEN: c.clickupToken, GITHUB_TOKEN: c.githubToken, PLANE_API_KEY: c.planeApiKey };
}

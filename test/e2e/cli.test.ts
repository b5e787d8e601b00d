import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigFiles, loadConfigFile } from "@pmo/runtime";
import { startMesh, type TestMesh } from "../harness/mesh.js";
import { PMO_BIN, runPmo } from "../harness/pmo-cli.js";
import { REPO_ROOT } from "../harness/processes.js";

const PMO = PMO_BIN;
const pmo = runPmo;

describe("pmo CLI", () => {
  let mesh: TestMesh;
  beforeAll(async () => {
    mesh = await startMesh({ behaviours: { "plane.collect": { failTimes: 9 } } });
  });
  afterAll(async () => mesh?.stop());

  it("pmo run --wait prints progress lines and the artifact paths, exit 0", async () => {
    const r = await pmo(["run", "--action", "report", "--platforms", "clickup,github", "--project", "web", "--report-type", "weekly", "--format", "markdown,html", "--format", "pdf", "--wait"], { NATS_URL: mesh.server.url });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/phase\.started {2}initialization/);
    expect(r.stdout).toMatch(/workflow\.completed/);
    expect(r.stdout).toMatch(/workflow-\d{4}-\d{2}-\d{2}-\d{6}(-\d+)?: complete/);
    for (const ext of ["md", "html", "pdf"]) expect(r.stdout).toMatch(new RegExp(`reports/weekly-\\d{4}-W\\d{2}\\.${ext}`));
  });

  it("--json gives a machine-readable outcome; a failed platform gives exit 3", async () => {
    const r = await pmo(["run", "--action", "monitor", "--platforms", "github,plane", "--project", "web", "--wait", "--json"], { NATS_URL: mesh.server.url });
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ status: "complete", partial: true });
    expect(out.artifacts.map((a: { path: string }) => a.path)).toContain("monitoring/dashboard.html");
    expect(existsSync(join(out.workspace, "monitoring/dashboard.html"))).toBe(true);
  });

  it("rejects bad flags before publishing, and server-side rejections with exit 2", async () => {
    const local = await pmo(["run", "--action", "report", "--platforms", "github", "--project", "web"], { NATS_URL: mesh.server.url });
    expect(local.code).toBe(2);
    expect(local.stderr).toContain('parameters.reportType: required when action is "report" (--report-type)');
    const remote = await pmo(["run", "--action", "report", "--platforms", "github", "--project", "mars", "--report-type", "daily"], { NATS_URL: mesh.server.url });
    expect(remote.code).toBe(2);
    expect(remote.stdout).toContain('project: unknown project "mars" (configured: web)');
    const unknown = await pmo(["frobnicate"], { NATS_URL: mesh.server.url });
    expect(unknown.code).toBe(2);
  });

  it("status, list and artifacts --out read what the mesh recorded", async () => {
    const list = JSON.parse((await pmo(["list", "--json"], { NATS_URL: mesh.server.url })).stdout) as Array<{ workflowId: string; status: string }>;
    expect(list.length).toBeGreaterThanOrEqual(2);
    const id = list.find((w) => w.status === "complete")!.workflowId;
    const status = await pmo(["status", id], { NATS_URL: mesh.server.url });
    expect(status.stdout).toContain(`${id}  `);
    expect(status.stdout).toMatch(/reporting +complete/);
    const out = mkdtempSync(join(tmpdir(), "pmo-out-"));
    const art = await pmo(["artifacts", id, "--out", out], { NATS_URL: mesh.server.url });
    expect(art.code).toBe(0);
    expect(readFileSync(join(out, "reports/final-report.md"), "utf8")).toContain(id);
    expect(readdirSync(out).length).toBeGreaterThanOrEqual(3); // data, analysis, reports, …
    expect((await pmo(["status", "workflow-1999-01-01-000000"], { NATS_URL: mesh.server.url })).code).toBe(2);
  });

  it("says clearly when NATS cannot be reached", async () => {
    const r = await pmo(["list"], { NATS_URL: "nats://127.0.0.1:1" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach NATS at nats:\/\/127\.0\.0\.1:1 .*pmo up/);
  });
});

describe("pmo up", () => {
  /** `pmo up` in a new folder, once its orchestrator says it started (or 20 s passed); `out()` is everything it printed. */
  async function up(extraEnv: NodeJS.ProcessEnv = {}) {
    const cwd = mkdtempSync(join(tmpdir(), "pmo-up-"));
    const env = { ...process.env, PMO_CONFIG_DIR: join(REPO_ROOT, "config"), PMO_WORKSPACE_DIR: join(cwd, "ws"), ...extraEnv };
    delete (env as Record<string, string | undefined>).NATS_URL;
    const p = spawn(PMO, ["up"], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    for (let i = 0; i < 200 && !/orchestrator started/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    return { p, cwd, out: () => out };
  }

  /** Ctrl-C; its exit code. */
  const interrupt = (p: ReturnType<typeof spawn>) =>
    new Promise<number | null>((resolve) => {
      p.once("exit", resolve);
      p.kill("SIGINT");
    });

  it("starts nats-server and the orchestrator as child processes and stops them all on Ctrl-C", async () => {
    const { p, cwd, out: printed } = await up();
    const out = printed();
    expect(out).toMatch(/\[orchestrator\] \S+ INFO {2}orchestrator started/);
    const state = JSON.parse(readFileSync(join(cwd, ".pmo/up.json"), "utf8"));
    expect(state.natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    // Another pmo in the same folder finds that server without NATS_URL.
    const list = await pmo(["list"], { NATS_URL: "" }, cwd);
    expect(list.stdout).toContain("no workflows yet");
    expect(await interrupt(p)).toBe(0);
    expect(printed()).toContain("orchestrator stopped");
    expect(existsSync(join(cwd, ".pmo/up.json"))).toBe(false);
  });

  it("starts nats-server on another port when the one it found free is taken before the server binds it", async () => {
    // A nats-server whose first start fails as a bind to a port taken meanwhile does.
    const bin = mkdtempSync(join(tmpdir(), "pmo-bin-"));
    const real = execFileSync("sh", ["-c", "command -v nats-server"], { encoding: "utf8" }).trim();
    const script = [
      "#!/bin/sh",
      `if [ "$1" != "--version" ] && [ ! -e "${bin}/failed-once" ]; then`,
      `  touch "${bin}/failed-once"`,
      `  echo "[1] 2026/01/01 00:00:00.000000 [FTL] Error listening on port: 127.0.0.1:$4, \"listen tcp 127.0.0.1:$4: bind: address already in use\"" >&2`,
      "  exit 1",
      "fi",
      `exec "${real}" "$@"`,
    ];
    writeFileSync(join(bin, "nats-server"), `${script.join("\n")}\n`, { mode: 0o755 });
    const { p, cwd, out } = await up({ PATH: `${bin}:${process.env.PATH}` });
    try {
      expect(existsSync(join(bin, "failed-once"))).toBe(true);
      expect(out()).toMatch(/\[nats-server\] .*FTL.*address already in use/);
      const [, failed, next] = /nats-server could not start on (\d+); trying (\d+)/.exec(out()) ?? [];
      expect(next).toBeDefined();
      expect(next).not.toBe(failed);
      expect(out()).toMatch(/\[orchestrator\] \S+ INFO {2}orchestrator started/);
      expect(JSON.parse(readFileSync(join(cwd, ".pmo/up.json"), "utf8")).natsUrl).toBe(`nats://127.0.0.1:${next}`);
    } finally {
      expect(await interrupt(p)).toBe(0);
    }
  });

  it("explains how to get nats-server when it is missing", async () => {
    // A PATH with node and nothing else.
    const bin = mkdtempSync(join(tmpdir(), "pmo-bin-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const r = await pmo(["up"], { NATS_URL: "", PATH: bin }, mkdtempSync(join(tmpdir(), "pmo-up-")));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nats-server was not found on PATH\. Install it .*NATS_URL/);
  });
});

describe("pmo sandbox", () => {
  it("serves the three emulators, writes a config the product accepts, and stops on Ctrl-C", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "pmo-sbx-"));
    const p = spawn(PMO, ["sandbox", "--items", "40", "--seed", "7", "--config-out", "cfg"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    for (let i = 0; i < 200 && !stderr.includes("Ctrl-C stops it"); i++) await new Promise((r) => setTimeout(r, 50));
    const ready = JSON.parse(stdout.split("\n")[0]!) as { urls: Record<string, string>; credentials: { githubToken: string } };
    expect(stderr).toContain("config written to cfg");
    const repos = (await loadConfigFile(join(cwd, "cfg"), ConfigFiles.projects)).projects.web!.github!.repos;
    const res = await fetch(`${ready.urls.github}/repos/${repos[0]}/issues?state=all&per_page=5`, { headers: { authorization: `token ${ready.credentials.githubToken}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBe(5);
    expect(res.headers.get("x-ratelimit-limit")).toBe("5000");
    const gh = await loadConfigFile(join(cwd, "cfg"), ConfigFiles.github);
    expect(gh.baseUrl).toBe(ready.urls.github);
    const code = await new Promise<number | null>((resolve) => {
      p.once("exit", resolve);
      p.kill("SIGINT");
    });
    expect(code).toBe(0);
  });
});

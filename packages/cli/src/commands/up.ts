import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { UP_STATE_FILE, UsageError } from "../connection.js";
import { formatLogLine } from "../log-lines.js";

const REPO_ROOT = resolve(import.meta.dirname, "../../../..");
/** Absolute, so services start whatever the current folder is. */
const TSX_LOADER = import.meta.resolve("tsx/esm");
const COLORS = [36, 35, 33, 32, 34, 91, 96, 95];

/** Every service present in this checkout (`services/<name>/src/main.ts`). */
export function discoverServices(root = REPO_ROOT): { name: string; entry: string }[] {
  const dir = join(root, "services");
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "src", "main.ts")))
    .map((d) => ({ name: d.name, entry: join(dir, d.name, "src", "main.ts") }))
    .sort((a, b) => (a.name === "orchestrator" ? -1 : b.name === "orchestrator" ? 1 : a.name.localeCompare(b.name)));
}

function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer().once("error", () => res(false)).listen(port, "127.0.0.1", () => s.close(() => res(true)));
  });
}

async function startNats(out: NodeJS.WriteStream): Promise<{ url: string; proc: ChildProcess }> {
  if (spawnSync("nats-server", ["--version"]).status !== 0) {
    throw new UsageError("nats-server was not found on PATH. Install it (Debian/Ubuntu: sudo apt-get install nats-server; or see https://docs.nats.io), or point pmo at a running server with NATS_URL=nats://host:4222");
  }
  let port = 4222;
  if (!(await portFree(port))) {
    const s = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => s.once("listening", r));
    port = (s.address() as { port: number }).port;
    await new Promise((r) => s.close(r));
    out.write(`port 4222 is taken; starting nats-server on ${port} instead\n`);
  }
  const store = resolve(".pmo", "nats");
  mkdirSync(store, { recursive: true });
  const proc = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", store], { stdio: ["ignore", "pipe", "pipe"] });
  // The server's banner is noise here; its warnings and errors are not.
  pipeWithPrefix(proc, "nats-server", 90, out, (line) => /\[(WRN|ERR|FTL)\]/.test(line));
  const url = `nats://127.0.0.1:${port}`;
  for (let i = 0; i < 100 && (await portFree(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return { url, proc };
}

function pipeWithPrefix(proc: ChildProcess, name: string, color: number, out: NodeJS.WriteStream, keep: (line: string) => boolean = () => true): void {
  const prefix = out.isTTY ? `\x1b[${color}m[${name}]\x1b[0m ` : `[${name}] `;
  for (const stream of [proc.stdout, proc.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => keep(line) && out.write(`${prefix}${formatLogLine(line)}\n`));
  }
}

/** `pmo up`: a local nats-server (unless NATS_URL is set) and every service as its own process, until Ctrl-C. */
export async function upCommand(opts: { only?: string[] }, out = process.stdout): Promise<number> {
  const children: { name: string; proc: ChildProcess }[] = [];
  let nats: { url: string; proc: ChildProcess } | null = null;
  const natsUrl = process.env.NATS_URL || (nats = await startNats(out)).url;
  mkdirSync(dirname(UP_STATE_FILE), { recursive: true });
  writeFileSync(UP_STATE_FILE, JSON.stringify({ natsUrl, pid: process.pid, startedAt: new Date().toISOString() }));

  const services = discoverServices().filter((s) => !opts.only || opts.only.includes(s.name));
  if (!services.length) throw new UsageError(`no services to start${opts.only ? ` matching ${opts.only.join(",")}` : ""}`);
  services.forEach((s, i) => {
    const proc = spawn(process.execPath, ["--import", TSX_LOADER, s.entry], {
      env: { ...process.env, NATS_URL: natsUrl, PMO_CONFIG_DIR: process.env.PMO_CONFIG_DIR ?? resolve("config"), PMO_WORKSPACE_DIR: process.env.PMO_WORKSPACE_DIR ?? resolve("project-workspace") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    pipeWithPrefix(proc, s.name, COLORS[i % COLORS.length]!, out);
    children.push({ name: s.name, proc });
  });
  out.write(`mesh up: ${services.map((s) => s.name).join(", ")} on ${natsUrl} (workspace ${resolve(process.env.PMO_WORKSPACE_DIR ?? "project-workspace")}). Ctrl-C stops everything.\n`);

  let stopping = false;
  const exitCode = await new Promise<number>((resolveExit) => {
    const shutdown = async (why: string) => {
      if (stopping) return;
      stopping = true;
      out.write(`\nstopping (${why})…\n`);
      await Promise.all(children.map((c) => stopChild(c.proc, 15_000)));
      if (nats) await stopChild(nats.proc, 5_000);
      rmSync(UP_STATE_FILE, { force: true });
      resolveExit(why === "a service exited" ? 1 : 0);
    };
    process.once("SIGINT", () => void shutdown("SIGINT"));
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    for (const c of children) {
      c.proc.once("exit", (code) => {
        if (stopping) return;
        out.write(`[${c.name}] exited with code ${code}; stopping the mesh\n`);
        void shutdown("a service exited");
      });
    }
  });
  return exitCode;
}

function stopChild(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    proc.once("exit", () => (clearTimeout(timer), res()));
    proc.kill("SIGTERM");
  });
}

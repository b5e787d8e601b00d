import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { UsageError } from "./connection.js";
import { formatLogLine } from "./log-lines.js";

const REPO_ROOT = resolve(import.meta.dirname, "../../..");
/** Absolute, so services start whatever the current folder is. */
const TSX_LOADER = import.meta.resolve("tsx/esm");
const COLORS = [36, 35, 33, 32, 34, 91, 96, 95];

/** Every service present in this checkout (`services/<name>/src/main.ts`), the orchestrator first. */
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

async function anyFreePort(): Promise<number> {
  const s = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => s.once("listening", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Binds that may fail because another process took the port between our probe and the server's bind. */
const NATS_START_ATTEMPTS = 3;
const NATS_READY_TIMEOUT_MS = 15_000;

async function startNats(storeDir: string, out: NodeJS.WritableStream): Promise<{ url: string; proc: ChildProcess }> {
  if (spawnSync("nats-server", ["--version"]).status !== 0) {
    throw new UsageError("nats-server was not found on PATH. Install it (Debian/Ubuntu: sudo apt-get install nats-server; or see https://docs.nats.io), or point pmo at a running server with NATS_URL=nats://host:4222");
  }
  let port = 4222;
  if (!(await portFree(port))) {
    port = await anyFreePort();
    out.write(`port 4222 is taken; starting nats-server on ${port} instead\n`);
  }
  mkdirSync(storeDir, { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const proc = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", storeDir], { stdio: ["ignore", "pipe", "pipe"] });
    // The server's banner is noise here; its warnings and errors are not. Its "Server is ready" says
    // it listens: a port found free can be taken by another process before the server binds it,
    // and then someone else answers on it while ours has exited.
    const ready = new Promise<boolean>((resolve) => {
      proc.once("exit", () => resolve(false));
      pipeWithPrefix(proc, "nats-server", 90, out, (line) => {
        if (/\[INF\] Server is ready/.test(line)) resolve(true);
        return /\[(WRN|ERR|FTL)\]/.test(line);
      });
    });
    // Not ready in this long: stopped, and counted as an attempt that failed.
    const stuck = setTimeout(() => proc.kill("SIGKILL"), NATS_READY_TIMEOUT_MS);
    const started = await ready;
    clearTimeout(stuck);
    if (started) return { url: `nats://127.0.0.1:${port}`, proc };
    if (attempt === NATS_START_ATTEMPTS) throw new Error(`nats-server did not start (${attempt} attempts, the last on port ${port}): see its errors above`);
    const taken = port;
    port = await anyFreePort();
    out.write(`nats-server could not start on ${taken}; trying ${port}\n`);
  }
}

function pipeWithPrefix(proc: ChildProcess, name: string, color: number, out: NodeJS.WritableStream, keep: (line: string) => boolean = () => true): void {
  const prefix = (out as NodeJS.WriteStream).isTTY ? `\x1b[${color}m[${name}]\x1b[0m ` : `[${name}] `;
  for (const stream of [proc.stdout, proc.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on("line", (line) => keep(line) && out.write(`${prefix}${formatLogLine(line)}\n`));
  }
}

export interface LocalMesh {
  natsUrl: string;
  services: string[];
  /** Resolves when the orchestrator exits on its own: without it nothing can run. */
  orchestratorExited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface LocalMeshOptions {
  only?: string[];
  configDir: string;
  workspaceDir: string;
  /** nats-server store when one is started here. */
  natsStoreDir: string;
  out: NodeJS.WritableStream;
  /** Extra env for every service (LOG_LEVEL for a quieter demo). */
  env?: NodeJS.ProcessEnv;
}

/** A local nats-server (unless NATS_URL is set) and every service as its own child process, logs prefixed. */
export async function startLocalMesh(opts: LocalMeshOptions): Promise<LocalMesh> {
  const services = discoverServices().filter((s) => !opts.only || opts.only.includes(s.name));
  if (!services.length) throw new UsageError(`no services to start${opts.only ? ` matching ${opts.only.join(",")}` : ""}`);
  let nats: { url: string; proc: ChildProcess } | null = null;
  const natsUrl = process.env.NATS_URL || (nats = await startNats(opts.natsStoreDir, opts.out)).url;
  const children = services.map((s, i) => {
    const proc = spawn(process.execPath, ["--import", TSX_LOADER, s.entry], {
      // Two malloc arenas, as the image sets them (see the Dockerfile): less memory stranded by Node's threads.
      env: { MALLOC_ARENA_MAX: "2", ...process.env, NATS_URL: natsUrl, PMO_CONFIG_DIR: opts.configDir, PMO_WORKSPACE_DIR: opts.workspaceDir, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    pipeWithPrefix(proc, s.name, COLORS[i % COLORS.length]!, opts.out);
    return { name: s.name, proc };
  });
  let stopping = false;
  // An agent that cannot start (no credential for its platform, say) is reported and the rest run on:
  // a team on ClickUp alone still gets a working mesh. Only the orchestrator is indispensable.
  for (const c of children) {
    c.proc.once("exit", (code) => {
      if (!stopping) opts.out.write(`[${c.name}] exited with code ${code}; the other services keep running (see its last lines above)\n`);
    });
  }
  const orchestrator = children.find((c) => c.name === "orchestrator");
  const orchestratorExited = new Promise<number | null>((res) => orchestrator?.proc.once("exit", (code) => !stopping && res(code)));
  return {
    natsUrl,
    services: services.map((s) => s.name),
    orchestratorExited,
    stop: async () => {
      stopping = true;
      await Promise.all(children.map((c) => stopChild(c.proc, 15_000)));
      if (nats) await stopChild(nats.proc, 5_000);
    },
  };
}

function stopChild(proc: ChildProcess, graceMs: number): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((res) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
    proc.once("exit", () => (clearTimeout(timer), res()));
    proc.kill("SIGTERM");
  });
}

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { freePort } from "./ports.js";

/**
 * A real `nats-server -js` for tests (after nats.js's own launcher): a free port, a temp store,
 * `kill()` = SIGKILL, `restart()` = same port and same store. Uses `NATS_URL` when the caller asks for
 * an external server, and `@testcontainers/nats` when there is no binary but a Docker engine.
 */
export interface NatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** False for an external server (NATS_URL) or a container: kill/restart then throw. */
  controllable: boolean;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function natsServerBinary(): string | null {
  const r = spawnSync("nats-server", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? "nats-server" : null;
}

/** A restarted server recovers its JetStream store before it says it is ready. */
const READY_TIMEOUT_MS = 30_000;

interface NodeSpec {
  name: string;
  port: number;
  clusterPort?: number;
  routes?: number[];
  clusterName?: string;
}

class LocalNatsServer implements NatsServer {
  private proc: ChildProcess | null = null;
  readonly controllable = true;
  readonly url: string;
  readonly port: number;
  private readonly configFile: string;

  constructor(
    readonly storeDir: string,
    private readonly spec: NodeSpec,
    private readonly dir: string,
  ) {
    this.port = spec.port;
    this.url = `nats://127.0.0.1:${spec.port}`;
    this.configFile = join(dir, `${spec.name}.conf`);
    writeFileSync(this.configFile, renderConfig(spec, storeDir));
  }

  async start(): Promise<void> {
    const proc = spawn("nats-server", ["-c", this.configFile], { stdio: ["ignore", "ignore", "pipe"] });
    this.proc = proc;
    // Ready when it says so: a connection to the port could be another process's, one that took the
    // port between freePort and the server's bind (the server then exits, "address already in use").
    let stderr = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server ${this.spec.name} not ready after ${READY_TIMEOUT_MS} ms: ${stderr}`)), READY_TIMEOUT_MS);
      proc.stderr?.on("data", (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4_000);
        if (stderr.includes("Server is ready")) (clearTimeout(timer), resolve());
      });
      proc.once("exit", (code) => (clearTimeout(timer), reject(new Error(`nats-server ${this.spec.name} exited (${code}): ${stderr}`))));
    });
    proc.removeAllListeners("exit");
  }

  async kill(): Promise<void> {
    await this.signal("SIGKILL");
  }

  async restart(): Promise<void> {
    await this.signal("SIGKILL");
    await this.start();
  }

  async stop(): Promise<void> {
    await this.signal("SIGTERM");
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill(sig);
    });
    this.proc = null;
  }
}

function renderConfig(spec: NodeSpec, storeDir: string): string {
  const lines = [`server_name: ${spec.name}`, `listen: 127.0.0.1:${spec.port}`, `jetstream { store_dir: ${JSON.stringify(storeDir)}, max_memory_store: 256MB, max_file_store: 4GB }`];
  if (spec.clusterPort) {
    lines.push(
      `cluster { name: ${spec.clusterName ?? "pmo"}, listen: 127.0.0.1:${spec.clusterPort}, routes: [${(spec.routes ?? []).map((p) => `nats-route://127.0.0.1:${p}`).join(", ")}] }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Starts one JetStream server. `{ external: true }` honours NATS_URL when set. */
export async function startNatsServer(opts: { external?: boolean } = {}): Promise<NatsServer> {
  if (opts.external && process.env.NATS_URL) return externalServer(process.env.NATS_URL);
  if (!natsServerBinary()) return containerServer();
  const dir = mkdtempSync(join(tmpdir(), "pmo-nats-"));
  let server: LocalNatsServer;
  // A port found free can be taken by another test's process before the server binds it: another port then.
  for (let attempt = 1; ; attempt++) {
    server = new LocalNatsServer(join(dir, "store"), { name: "n1", port: await freePort() }, dir);
    try {
      await server.start();
      break;
    } catch (err) {
      if (attempt === 3 || !/address already in use/.test((err as Error).message)) throw err;
    }
  }
  const stop = server.stop.bind(server);
  return Object.assign(server, { stop: async () => (await stop(), rmSync(dir, { recursive: true, force: true })) });
}

export interface NatsCluster {
  servers: NatsServer[];
  /** All three client URLs, comma-separated (what NATS_URL takes). */
  url: string;
  stop(): Promise<void>;
}

/** A three-node JetStream cluster in one call; resolves when JetStream has a meta leader. */
export async function startNatsCluster(size = 3): Promise<NatsCluster> {
  if (!natsServerBinary()) throw new Error("a NATS cluster needs the nats-server binary on PATH");
  const dir = mkdtempSync(join(tmpdir(), "pmo-cluster-"));
  const ports = await Promise.all(Array.from({ length: size }, freePort));
  const clusterPorts = await Promise.all(Array.from({ length: size }, freePort));
  const servers = ports.map(
    (port, i) => new LocalNatsServer(join(dir, `store-${i + 1}`), { name: `n${i + 1}`, port, clusterPort: clusterPorts[i], routes: clusterPorts.filter((_, j) => j !== i) }, dir),
  );
  await Promise.all(servers.map((s) => s.start()));
  const url = servers.map((s) => s.url).join(",");
  await waitForJetStream(url, 30_000);
  return {
    servers,
    url,
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until a JetStream API call succeeds (a fresh cluster needs to elect its meta leader). */
export async function waitForJetStream(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  const nc = await connect({ servers: url.split(","), maxReconnectAttempts: -1 });
  try {
    for (;;) {
      try {
        await (await jetstreamManager(nc, { timeout: 2_000 })).getAccountInfo();
        return;
      } catch (err) {
        if (Date.now() > until) throw new Error(`JetStream not ready at ${url}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await nc.close();
  }
}

function externalServer(url: string): NatsServer {
  const unsupported = async () => {
    throw new Error("cannot kill or restart an external NATS server (NATS_URL)");
  };
  return { url, port: Number(new URL(url.split(",")[0]!.replace(/^nats:/, "http:")).port || 4222), storeDir: "", controllable: false, kill: unsupported, restart: unsupported, stop: async () => undefined };
}

async function containerServer(): Promise<NatsServer> {
  // Only where there is no nats-server binary but a Docker engine answers.
  const { NatsContainer } = await import("@testcontainers/nats");
  const container = await new NatsContainer("nats:2.10-alpine").withJetStream().start();
  const port = container.getMappedPort(4222);
  const unsupported = async () => {
    throw new Error("kill/restart are not supported on the container fallback");
  };
  return { url: `nats://127.0.0.1:${port}`, port, storeDir: "", controllable: false, kill: unsupported, restart: unsupported, stop: async () => void (await container.stop()) };
}

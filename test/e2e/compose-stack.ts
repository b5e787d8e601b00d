import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, waitForPort } from "../harness/ports.js";
import { REPO_ROOT, startProcess, type ServiceProcess } from "../harness/processes.js";
import type { ComposeProject, ComposeService } from "./compose-file.js";

/**
 * Runs a compose project without a Docker engine: each NATS service is a local `nats-server` started
 * with the compose file's own command, config file and environment; each other service is a local
 * process started with the compose file's own environment. What a container runtime would provide is
 * emulated, nothing else: service hostnames resolve to 127.0.0.1, every container port is mapped to a
 * free local port, volumes are folders, `depends_on: service_healthy` waits for the compose health check.
 */

/** Where the Dockerfile puts repo files in the image (COPY deploy/docker/*.mjs → /app/bin/). */
const IMAGE_PATHS: Record<string, string> = { "/app/bin": resolve(REPO_ROOT, "deploy/docker") };

/** Container ports of a NATS node: clients, cluster routes, monitoring. */
const NATS_PORTS = [4222, 6222, 8222] as const;
const SERVICE_HTTP_PORT = "PMO_HTTP_PORT";

export interface StackOptions {
  project: ComposeProject;
  /** Host folder to use for a bind mount's source (tests pass temp folders for ./config and the workspace). */
  bindSource?: (source: string) => string;
  /** `docker compose up --scale name=N`. */
  scale?: Record<string, number>;
  /** Start only these services (`docker compose up <service>...`); default: all. */
  services?: string[];
  /** Progress lines (what started, what was replaced by a stand-in). */
  log?: (line: string) => void;
}

export interface RunningNats {
  service: string;
  /** Null until the node is spawned. */
  proc: ChildProcess | null;
  /** Host port of each container port (4222 clients, 6222 routes, 8222 monitoring). */
  ports: Record<number, number>;
  output(): string;
}

export interface RunningReplica extends ServiceProcess {
  service: string;
  instance: string;
  env: NodeJS.ProcessEnv;
  httpPort: number;
  /** True when services/<name>/src/main.ts does not exist yet and test/agents/main.ts stands in. */
  standIn: boolean;
}

export class ComposeStack {
  readonly nats = new Map<string, RunningNats>();
  readonly replicas = new Map<string, RunningReplica[]>();
  private readonly tempDir = mkdtempSync(join(tmpdir(), "pmo-compose-"));
  private readonly namedVolumes = new Map<string, string>();

  constructor(private readonly opts: StackOptions) {}

  get project(): ComposeProject {
    return this.opts.project;
  }

  /**
   * Starts the services in dependency order, each once its dependencies meet their condition. NATS
   * nodes start together, as compose starts services that do not depend on each other: a cluster node
   * is healthy only once it sees its peers.
   */
  async up(): Promise<void> {
    const order = startOrder(this.project).filter((n) => !this.opts.services || this.opts.services.includes(n));
    const services = order.map((n) => this.project.services[n]!);
    const nodes = services.filter(isNats);
    const ports = await Promise.all(nodes.map(() => this.allocateNatsPorts()));
    nodes.forEach((n, i) => this.nats.set(n.name, { service: n.name, proc: null, ports: ports[i]!, output: () => "" }));
    await Promise.all(nodes.map((n) => this.startNats(n)));
    for (const service of services.filter((s) => !isNats(s))) await this.startService(service);
  }

  /** `nats://127.0.0.1:<port>` of every NATS node, comma-separated. */
  natsUrl(): string {
    return [...this.nats.values()].map((n) => `nats://127.0.0.1:${n.ports[4222]}`).join(",");
  }

  /** The compose environment of a service (after remapping), e.g. to connect as its NATS user. */
  envOf(service: string): NodeJS.ProcessEnv {
    return this.processEnv(this.project.services[service]!);
  }

  async down(): Promise<void> {
    for (const list of [...this.replicas.values()].reverse()) await Promise.all(list.map((r) => r.kill()));
    await Promise.all([...this.nats.values()].map((n) => stopProcess(n.proc)));
    rmSync(this.tempDir, { recursive: true, force: true });
  }

  private async allocateNatsPorts(): Promise<Record<number, number>> {
    return Object.fromEntries(await Promise.all(NATS_PORTS.map(async (p) => [p, await freePort()] as const)));
  }

  /** Every node's ports are allocated first, so routes to peers can be mapped before any node starts. */
  private async startNats(service: ComposeService): Promise<void> {
    const { ports } = this.nats.get(service.name)!;
    const args = [
      ...service.command.map((a) => this.remap(service, a)),
      // The container's port mapping: the config's ports, published on loopback at free ports.
      "--addr", "127.0.0.1", "--port", String(ports[4222]), "--http_port", String(ports[8222]),
    ];
    const proc = spawn("nats-server", args, { env: { PATH: process.env.PATH, ...service.environment }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    proc.stdout!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    proc.stderr!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
    this.nats.set(service.name, { service: service.name, proc, ports, output: () => out });
    const exited = new Promise<never>((_, reject) => proc.once("exit", (code) => reject(new Error(`${service.name} (nats-server ${args.join(" ")}) exited ${code}:\n${out}`))));
    exited.catch(() => undefined); // reported through the races below; an exit after start-up is not an error here
    await Promise.race([waitForPort(ports[4222]!, 15_000), exited]);
    await Promise.race([this.waitHealthy(service, () => this.natsHealthy(service)), exited]);
    proc.removeAllListeners("exit");
    this.opts.log?.(`${service.name}: nats-server on 127.0.0.1:${ports[4222]} (monitoring ${ports[8222]})`);
  }

  /** The compose health check's URL, with the container's address mapped to the host's. */
  private async natsHealthy(service: ComposeService): Promise<boolean> {
    const url = service.healthcheck?.test.find((t) => t.startsWith("http://"));
    if (!url) throw new Error(`${service.name}: no http health check in the compose file`);
    const local = this.remap(service, url);
    return fetch(local).then((r) => r.ok, () => false);
  }

  private async startService(service: ComposeService): Promise<void> {
    const count = this.opts.scale?.[service.name] ?? service.replicas;
    const [serviceName] = service.command;
    if (!serviceName) throw new Error(`${service.name}: the compose file gives no command (the service to run)`);
    const entry = `services/${serviceName}/src/main.ts`;
    const standIn = !existsSync(resolve(REPO_ROOT, entry));
    if (standIn) this.opts.log?.(`${service.name}: ${entry} does not exist yet; started test/agents/main.ts in its place, with the compose environment of ${service.name}`);
    const list: RunningReplica[] = [];
    this.replicas.set(service.name, list);
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const instance = `${service.name}-${i + 1}`;
        const httpPort = await freePort();
        const env: NodeJS.ProcessEnv = {
          ...this.processEnv(service),
          [SERVICE_HTTP_PORT]: String(httpPort),
          PMO_INSTANCE: instance,
          ...(standIn ? { FAKE_AGENT: serviceName.replace(/-agent$/, "") } : {}),
        };
        const proc = startProcess(instance, standIn ? "test/agents/main.ts" : entry, env);
        const replica: RunningReplica = Object.assign(proc, { service: service.name, instance, env, httpPort, standIn });
        list.push(replica);
        await this.waitHealthy(service, () => this.runHealthcheck(service, env), replica);
      }),
    );
    this.opts.log?.(`${service.name}: ${count} replica(s) healthy`);
  }

  /** Runs the compose file's health check command, with image paths mapped to the repo's files. */
  private async runHealthcheck(service: ComposeService, env: NodeJS.ProcessEnv): Promise<boolean> {
    const test = service.healthcheck?.test;
    if (!test || test[0] !== "CMD") throw new Error(`${service.name}: expected a ["CMD", ...] health check in the compose file`);
    const [cmd, ...args] = test.slice(1).map((a) => mapImagePath(a));
    return new Promise((res) => execFile(cmd === "node" ? process.execPath : cmd!, args, { env: { PATH: process.env.PATH, ...env }, timeout: 5_000 }, (err) => res(!err)));
  }

  private async waitHealthy(service: ComposeService, check: () => Promise<boolean>, replica?: ServiceProcess): Promise<void> {
    const until = Date.now() + 45_000;
    while (!(await check())) {
      if (replica && replica.proc.exitCode !== null) throw new Error(`${replica.name} exited (${replica.proc.exitCode}):\n${replica.output().slice(-3_000)}`);
      if (Date.now() > until) throw new Error(`${service.name} never became healthy${replica ? `:\n${replica.output().slice(-3_000)}` : ""}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The service's compose environment with hostnames, ports and volume paths mapped to this host. */
  private processEnv(service: ComposeService): NodeJS.ProcessEnv {
    const env = Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, this.remap(service, v)]));
    // 0.0.0.0 inside a container = reachable through its published port; here, loopback.
    if (env.PMO_HTTP_HOST === "0.0.0.0") env.PMO_HTTP_HOST = "127.0.0.1";
    return env;
  }

  /** Maps `host:port` of compose services, `0.0.0.0:port` listeners and volume targets to this host. */
  private remap(service: ComposeService, value: string): string {
    let out = value;
    for (const [name, node] of this.nats) {
      for (const [container, host] of Object.entries(node.ports)) {
        out = out.replace(new RegExp(`(?<![\\w.-])${escape(name)}:${container}(?![\\d])`, "g"), `127.0.0.1:${host}`);
        if (name === service.name) out = out.replace(new RegExp(`(?<![\\w.-])(0\\.0\\.0\\.0|127\\.0\\.0\\.1):${container}(?![\\d])`, "g"), `127.0.0.1:${host}`);
      }
    }
    for (const v of service.volumes) {
      if (out === v.target || out.startsWith(`${v.target}/`)) return this.volumeSource(v) + out.slice(v.target.length);
    }
    return out;
  }

  private volumeSource(v: ComposeService["volumes"][number]): string {
    if (v.bind) return this.opts.bindSource ? this.opts.bindSource(v.source) : v.source;
    let dir = this.namedVolumes.get(v.source);
    if (!dir) {
      dir = join(this.tempDir, "volumes", v.source);
      mkdirSync(dir, { recursive: true });
      this.namedVolumes.set(v.source, dir);
    }
    return dir;
  }
}

function isNats(service: ComposeService): boolean {
  return service.image?.startsWith("nats:") ?? false;
}

function mapImagePath(arg: string): string {
  for (const [inImage, inRepo] of Object.entries(IMAGE_PATHS)) if (arg.startsWith(`${inImage}/`)) return inRepo + arg.slice(inImage.length);
  return arg;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}

/** Services ordered so that each comes after everything it depends on (compose's start order). */
export function startOrder(project: ComposeProject): string[] {
  const order: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (order.includes(name)) return;
    if (path.includes(name)) throw new Error(`dependency cycle: ${[...path, name].join(" → ")}`);
    const service = project.services[name];
    if (!service) throw new Error(`${path.at(-1)} depends on ${name}, which the compose file does not define`);
    for (const dep of Object.keys(service.dependsOn)) visit(dep, [...path, name]);
    order.push(name);
  };
  for (const name of Object.keys(project.services)) visit(name, []);
  return order;
}

async function stopProcess(proc: ChildProcess | null): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise<void>((r) => {
    proc.once("exit", () => r());
    proc.kill("SIGTERM");
  });
}

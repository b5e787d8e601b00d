import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Bucket } from "@pmo/contracts";
import { ensureTopology, getJson, kvKey } from "@pmo/runtime";
import { startSandbox, writeSandboxConfig, type SandboxHandle } from "@pmo/sandbox";
import { FAST_POLICY } from "../harness/config-fixture.js";
import { freePort } from "../harness/ports.js";
import { REPO_ROOT } from "../harness/processes.js";
import { exampleEnvWithPasswords, loadCompose } from "./compose-file.js";
import { ComposeStack } from "./compose-stack.js";

/**
 * docker-compose.yml run without a Docker engine: the compose file's own commands, environment, NATS
 * config (users and permissions), health checks and dependency conditions, on this host (see
 * compose-stack.ts for what is emulated). Services whose code does not exist yet are replaced by
 * test/agents stand-ins that connect with the compose user of the agent they replace.
 */
const PMO_CLI = resolve(REPO_ROOT, "packages/cli/bin/pmo.js");
const log = (line: string) => process.stdout.write(`[compose] ${line}\n`);

interface Workdirs {
  root: string;
  config: string;
  workspace: string;
}

/** Rate limits out of the way: this test is about wiring, and several workflows run at once. */
const GENEROUS_LIMITS = { clickup: { requestsPerMinute: 100_000 }, github: { requestsPerHour: 10_000_000 }, plane: { requestsPerMinute: 100_000 } };
/** Quick retries, but room for real agents collecting over HTTP on a loaded 2-core machine. */
const POLICY = { ...FAST_POLICY, jobTimeoutMs: 60_000, phaseDeadlinesMs: Object.fromEntries(Object.keys(FAST_POLICY.phaseDeadlinesMs).map((p) => [p, 120_000])) };

/** ./config and ./project-workspace of the compose file, as fresh folders: the sandbox's config with test timings. */
async function workdirs(sandbox: SandboxHandle): Promise<Workdirs> {
  const root = mkdtempSync(join(tmpdir(), "pmo-compose-dirs-"));
  const dirs = { root, config: join(root, "config"), workspace: join(root, "project-workspace") };
  await writeSandboxConfig(dirs.config, sandbox);
  writeFileSync(join(dirs.config, "workflow.json"), JSON.stringify(POLICY, null, 2));
  for (const [platform, rateLimit] of Object.entries(GENEROUS_LIMITS)) {
    const file = join(dirs.config, `${platform}-config.json`);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), rateLimit }, null, 2));
  }
  mkdirSync(dirs.workspace, { recursive: true });
  return dirs;
}

function bindSourceFor(dirs: Workdirs) {
  return (source: string) => {
    if (source === resolve(REPO_ROOT, "config")) return dirs.config;
    if (source === resolve(REPO_ROOT, "project-workspace")) return dirs.workspace;
    return source; // deploy/nats: the repo's own NATS config, as compose mounts it
  };
}

/** `.env` as a user makes it (deploy/make-env.sh), with the sandbox's platform tokens. */
function dotEnv(sandbox: SandboxHandle): Record<string, string> {
  return { ...exampleEnvWithPasswords(), CLICKUP_API_TOKEN: sandbox.credentials.clickupToken, GITHUB_TOKEN: sandbox.credentials.githubToken, PLANE_API_KEY: sandbox.credentials.planeApiKey };
}

function pmo(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const p = spawn(process.execPath, [PMO_CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.once("exit", (code) => res({ code, stdout, stderr }));
  });
}

/** Connects as one compose service's NATS user, with the credentials compose gives that service. */
function connectAs(stack: ComposeStack, service: string, password?: string): Promise<NatsConnection> {
  const env = stack.envOf(service);
  return connect({ servers: stack.natsUrl().split(","), user: env.NATS_USER, pass: password ?? env.NATS_PASSWORD, maxReconnectAttempts: 0 });
}

const reportArgs = (requestId: string, project: string, formats: string) =>
  ["run", "--action", "report", "--platforms", "clickup,github,plane", "--project", project, "--report-type", "weekly", "--format", formats, "--request-id", requestId, "--wait", "--json", "--timeout", "150"];

describe("docker-compose.yml as local processes", () => {
  let sandbox: SandboxHandle;
  let dirs: Workdirs;
  let stack: ComposeStack;
  let vars: Record<string, string>;
  let project: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 6, itemsPerPlatform: 10, rateLimits: { clickupPerMinute: 100_000, githubPerHour: 10_000_000, planePerMinute: 100_000 } });
    dirs = await workdirs(sandbox);
    project = Object.keys(JSON.parse(readFileSync(join(dirs.config, "projects.json"), "utf8")).projects)[0]!;
    vars = dotEnv(sandbox);
    stack = new ComposeStack({ project: loadCompose(["docker-compose.yml"], vars), bindSource: bindSourceFor(dirs), log });
    await stack.up();
  });
  afterAll(async () => {
    await stack?.down();
    await sandbox?.close();
    if (dirs) rmSync(dirs.root, { recursive: true, force: true });
  });

  it("starts every compose service with its replicas, each healthy by the compose health check", () => {
    const services = Object.values(stack.project.services).filter((s) => !s.image?.startsWith("nats:"));
    for (const s of services) {
      const replicas = stack.replicas.get(s.name)!;
      expect(replicas, s.name).toHaveLength(s.replicas);
      for (const r of replicas) expect(r.env.NATS_USER, r.instance).toBe(s.name);
    }
    expect(stack.replicas.get("report-agent")).toHaveLength(stack.project.services["report-agent"]!.replicas);
  });

  it("runs a report workflow submitted by the pmo CLI as user pmo-cli, through every service's own NATS user", { timeout: 180_000 }, async () => {
    const cliEnv = { NATS_URL: stack.natsUrl(), NATS_USER: "pmo-cli", NATS_PASSWORD: vars.PMO_CLI_NATS_PASSWORD };
    const r = await pmo(reportArgs("compose-1", project, "markdown,html"), cliEnv);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const outcome = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { workflowId: string; status: string; artifacts: Array<{ path: string }> };
    expect(outcome.status).toBe("complete");
    expect(outcome.artifacts.map((a) => a.path)).toEqual(expect.arrayContaining(["reports/final-report.md", "analysis/insights.json"]));
    // The orchestrator wrote the workspace through the compose volume.
    const archived = join(dirs.workspace, "archive", outcome.workflowId, "reports", "final-report.md");
    const active = join(dirs.workspace, "active-projects", outcome.workflowId, "reports", "final-report.md");
    expect(existsSync(archived) || existsSync(active)).toBe(true);
  });

  it("refuses, with a permission error, whatever a service's user may not do", async () => {
    const clickup = await connectAs(stack, "clickup-agent");
    try {
      // An agent may publish results, never dispatch a job to another agent.
      const forged = await denied(jetstream(clickup).publish("pmo.job.github.collect", "{}"));
      expect(forged.message).toMatch(/Permissions Violation for Publish to "pmo\.job\.github\.collect"/);
      // Only the orchestrator creates streams.
      const jsm = await jetstreamManager(clickup);
      const created = await denied(jsm.streams.add({ name: "ROGUE", subjects: ["rogue.>"] }));
      expect(created.message).toMatch(/Publish to "\$JS\.API\.STREAM\.CREATE\.ROGUE"/);
      // Another agent's job consumer is out of reach.
      const stolen = await denied(jsm.consumers.info("PMO_JOBS", "github-agent"));
      expect(stolen.message).toMatch(/Publish to "\$JS\.API\.CONSUMER\.INFO\.PMO_JOBS\.github-agent"/);
      // What it is allowed, it can do: its own consumer.
      expect((await jsm.consumers.info("PMO_JOBS", "clickup-agent")).name).toBe("clickup-agent");
    } finally {
      await clickup.close();
    }

    // A subscription outside the user's permissions is refused by the server and reported, not silently empty.
    const report = await connectAs(stack, "report-agent");
    try {
      const refused = new Promise<Error>((res) => {
        void (async () => {
          for await (const s of report.status()) if (s.type === "error") return res(s.error);
        })();
      });
      report.subscribe("pmo.workflow.request");
      const err = await refused;
      expect(err.name).toBe("PermissionViolationError");
      expect(err.message).toMatch(/Permissions Violation for Subscription to "pmo\.workflow\.request"/);
    } finally {
      await report.close();
    }

    // pmo_cursors holds each agent's cursors and ClickUp's webhook secrets: an agent reaches only its own keys.
    const [clickupKv, githubKv] = await Promise.all([connectAs(stack, "clickup-agent"), connectAs(stack, "github-agent")]);
    try {
      // Direct gets, as the agents read the bucket (ensureTopology opens it with what the server supports).
      const own = await new Kvm(clickupKv).open(Bucket.Cursors, { allow_direct: true });
      const secretKey = kvKey("clickup", "webhook-secret", "permission-probe");
      await own.put(secretKey, JSON.stringify({ secret: "s3cret", endpoint: "https://example.test/webhooks/clickup" }));
      expect((await getJson<{ secret: string }>(own, secretKey))?.value.secret).toBe("s3cret");
      const watched = await own.watch({ key: `${kvKey("clickup", "webhook-secret")}.>` });
      watched.stop();

      const other = await new Kvm(githubKv).open(Bucket.Cursors, { allow_direct: true });
      expect((await denied(other.get(secretKey))).message).toMatch(/Publish to "\$JS\.API\.DIRECT\.GET\.KV_pmo_cursors\.\$KV\.pmo_cursors\.clickup\.webhook-secret\.permission-probe"/);
      expect((await denied(other.put(kvKey("clickup", "forged"), "{}"))).message).toMatch(/Publish to "\$KV\.pmo_cursors\.clickup\.forged"/);
      expect((await denied(other.watch({ key: "clickup.>" }))).message).toMatch(/CONSUMER\.CREATE\.KV_pmo_cursors\./);
      // Its own keys stay within reach.
      await other.put(kvKey("github", "permission-probe"), "{}");
      expect(await other.get(kvKey("github", "permission-probe"))).not.toBeNull();
    } finally {
      await clickupKv.close();
      await githubKv.close();
    }

    // A wrong password, or no user at all, does not get in.
    await expect(connectAs(stack, "orchestrator", "not-the-password")).rejects.toThrow(/Authorization Violation/i);
    await expect(connect({ servers: stack.natsUrl().split(","), maxReconnectAttempts: 0 })).rejects.toThrow(/Authorization Violation/i);
  });

  it("the cluster profile's three NATS nodes form one JetStream cluster, over authenticated routes, that takes R3 streams", { timeout: 90_000 }, async () => {
    const project = loadCompose(["docker-compose.yml", "docker-compose.cluster.yml"], vars);
    const nodes = Object.keys(project.services).filter((n) => n.startsWith("nats"));
    expect(nodes).toHaveLength(3);
    const cluster = new ComposeStack({ project, services: nodes, log });
    try {
      await cluster.up();
      // As the orchestrator would: its compose user, its compose PMO_REPLICAS.
      const env = cluster.envOf("orchestrator");
      expect(env.PMO_REPLICAS).toBe("3");
      const nc = await connect({ servers: cluster.natsUrl().split(","), user: env.NATS_USER, pass: env.NATS_PASSWORD });
      try {
        await ensureTopology(nc, { replicas: Number(env.PMO_REPLICAS) });
        const info = await (await jetstreamManager(nc)).streams.info("PMO_JOBS");
        expect(info.config.num_replicas).toBe(3);
        expect(info.cluster?.replicas?.length).toBe(2);
      } finally {
        await nc.close();
      }
      // Routes carry the route password: a node that routes in with a wrong one is refused.
      const n1 = cluster.nats.get("nats")!;
      expect(n1.output()).not.toMatch(/authentication error/);
      const intruder = await startIntruderNode(project.services.nats!.environment, n1.ports[6222]!);
      try {
        await expect.poll(() => n1.output(), { timeout: 15_000, interval: 100 }).toMatch(/authentication error - User "route"/);
      } finally {
        intruder.kill("SIGKILL");
      }
    } finally {
      await cluster.down();
    }
  });

  it("docker compose up --scale report-agent=3: all three report workers take work", { timeout: 240_000 }, async () => {
    const scaled = new ComposeStack({ project: loadCompose(["docker-compose.yml"], vars), bindSource: bindSourceFor(dirs), scale: { "report-agent": 3 }, log });
    try {
      await scaled.up();
      expect(scaled.replicas.get("report-agent")).toHaveLength(3);
      const cliEnv = { NATS_URL: scaled.natsUrl(), NATS_USER: "pmo-cli", NATS_PASSWORD: vars.PMO_CLI_NATS_PASSWORD };
      // Several workflows at once, four render jobs each: enough work for every replica.
      const runs = await Promise.all(Array.from({ length: 4 }, (_, i) => pmo(reportArgs(`compose-scale-${i}`, project, "markdown,html,json,pdf"), cliEnv)));
      for (const r of runs) expect(r.code, r.stdout + r.stderr).toBe(0);
      const workers = await reportWorkers(scaled, runs.map((r) => (JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { workflowId: string }).workflowId));
      expect([...workers].sort()).toEqual(["report-agent-1", "report-agent-2", "report-agent-3"]);
    } finally {
      await scaled.down();
    }
  });
});

/** A fourth node with the cluster profile's config that knows the route user but not its password. */
async function startIntruderNode(natsEnv: Record<string, string>, routePort: number): Promise<ChildProcess> {
  const [port, http, clusterPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const store = mkdtempSync(join(tmpdir(), "pmo-intruder-"));
  const args = ["-c", resolve(REPO_ROOT, "deploy/nats/nats-cluster.conf"), "--name", "intruder", "--addr", "127.0.0.1", "--port", String(port), "--http_port", String(http), "--store_dir", store];
  args.push("--cluster", `nats://route:wrong@127.0.0.1:${clusterPort}`, "--routes", `nats-route://route:wrong@127.0.0.1:${routePort}`);
  const proc = spawn("nats-server", args, { env: { PATH: process.env.PATH, ...natsEnv }, stdio: "ignore" });
  proc.once("exit", () => rmSync(store, { recursive: true, force: true }));
  return proc;
}

/** The PermissionViolationError a call fails with (nats.js wraps it in a RequestError); success or any other error fails the test. */
async function denied(call: Promise<unknown>): Promise<Error> {
  const err = await call.then(
    () => new Error("the call was allowed"),
    (e: unknown) => e,
  );
  for (let e = err as Error | undefined; e; e = e.cause as Error | undefined) if (e.name === "PermissionViolationError") return e;
  throw new Error(`expected a permission violation, got ${String(err)}`, { cause: err });
}

/** Instances (PMO_INSTANCE) that finished report-agent jobs of these workflows, from the job ledger. */
async function reportWorkers(stack: ComposeStack, workflowIds: string[]): Promise<Set<string>> {
  const nc = await connectAs(stack, "orchestrator");
  try {
    const kvm = new Kvm(nc);
    const workflows = await kvm.open(Bucket.Workflows);
    const ledger = await kvm.open(Bucket.Ledger);
    const workers = new Set<string>();
    for (const id of workflowIds) {
      const rec = await getJson<{ engine: { tasks: Record<string, { agent?: string; jobIds: string[] }> } }>(workflows, id);
      const jobIds = Object.values(rec!.value.engine.tasks).flatMap((t) => t.jobIds).filter((j) => j.includes(":report:"));
      for (const jobId of jobIds) {
        const result = await getJson<{ worker: string }>(ledger, kvKey("job", jobId));
        if (result) workers.add(result.value.worker.split("@")[0]!);
      }
    }
    return workers;
  } finally {
    await nc.close();
  }
}

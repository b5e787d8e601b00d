import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeConfig } from "../harness/config-fixture.js";
import { connectTo, publishRequest, waitForRecord } from "../harness/mesh.js";
import { startNatsServer, type NatsServer } from "../harness/nats-server.js";
import { freePort } from "../harness/ports.js";
import { REPO_ROOT } from "../harness/processes.js";
import { exampleEnvWithPasswords } from "./compose-file.js";

/**
 * What the Dockerfile runs, proven without Docker: `npm run build:dist` compiles the TypeScript and
 * stages the image's /app tree in dist/app; plain `node` (no tsx, no TypeScript) runs a service from
 * it through the image's entrypoint, and the image's health check passes. Where a Docker engine
 * answers, the image is built and the compose stack run for real.
 */
const log = (line: string) => process.stdout.write(`[image] ${line}\n`);

/** Only what the image's environment would hold: no NODE_OPTIONS, no loader inherited from the test runner. */
function imageEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", ...extra };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((res) => {
    const p = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    p.once("exit", (code) => res({ code, out }));
  });
}

function waitForLine(proc: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  let out = "";
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n").find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        res(line);
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.once("exit", (code) => rej(new Error(`exited (${code}) before a line matching ${pattern}:\n${out}`)));
  });
}

describe("the image's code, compiled and run with plain node", () => {
  let server: NatsServer;
  let orchestrator: ChildProcess | null = null;

  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    orchestrator?.kill("SIGKILL");
    await server?.stop();
  });

  it("npm run build:dist -- orchestrator stages a tree that node runs from dist/, healthy by the image's health check", { timeout: 120_000 }, async () => {
    const build = await run("npm", ["run", "build:dist", "--", "orchestrator"], { ...process.env });
    expect(build.code, build.out).toBe(0);

    const dirs = makeConfig();
    const httpPort = String(await freePort());
    const env = imageEnv({ NATS_URL: server.url, PMO_CONFIG_DIR: dirs.configDir, PMO_WORKSPACE_DIR: dirs.workspaceDir, PMO_HTTP_PORT: httpPort, LOG_LEVEL: "info" });
    // The Dockerfile's ENTRYPOINT, with /app = dist/app.
    orchestrator = spawn(process.execPath, ["dist/app/bin/pmo-service.mjs", "orchestrator"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((res) => orchestrator!.once("exit", (code) => res(code)));
    await waitForLine(orchestrator, /"msg":"orchestrator started"/, 20_000);

    // The Dockerfile's HEALTHCHECK.
    const health = await run(process.execPath, ["dist/app/bin/healthcheck.mjs"], env);
    expect(health.code, health.out).toBe(0);

    // It works, not just starts: a request is accepted and its first jobs dispatched.
    const nc = await connectTo(server.url);
    await publishRequest(nc, { action: "report", platforms: ["github"], project: "web", requestId: "dist-1", parameters: { reportType: "weekly", formats: ["markdown"] } });
    const { record } = await waitForRecord(nc, "dist-1", (r) => r.engine.tasks["initialization/github/verify"]?.status === "dispatched");
    expect(record.state.status).toBe("in_progress");
    await nc.close();

    orchestrator.kill("SIGTERM");
    expect(await exited).toBe(0);
    orchestrator = null;

    // The health check fails once nothing answers.
    expect((await run(process.execPath, ["dist/app/bin/healthcheck.mjs"], env)).code).toBe(1);
  });

  it("the entrypoint refuses an unknown service and names those the image has", async () => {
    const r = await run(process.execPath, ["dist/app/bin/pmo-service.mjs", "no-such-agent"], imageEnv({}));
    expect(r.code).toBe(64);
    expect(r.out).toMatch(/unknown service "no-such-agent".*orchestrator/);
  });
});

const dockerInfo = spawnSync("docker", ["info", "--format", "{{.ServerVersion}}"], { encoding: "utf8", timeout: 15_000 });
const dockerReason = dockerInfo.error ? `docker is not installed (${dockerInfo.error.message})` : dockerInfo.status !== 0 ? `docker info failed: ${(dockerInfo.stderr || dockerInfo.stdout).trim().split("\n").at(-1)}` : null;
if (dockerReason) log(`image build and real compose stack: skipped, ${dockerReason}`);

describe("the image and docker-compose.yml on a Docker engine", () => {
  it.skipIf(dockerReason !== null)("builds the image, starts the compose stack, and every service turns healthy and takes a request", { timeout: 900_000 }, async () => {
    const { DockerComposeEnvironment, Wait } = await import("testcontainers");
    const vars = exampleEnvWithPasswords();
    const services = ["orchestrator", "clickup-agent", "github-agent", "plane-agent", "report-agent"];
    let compose = new DockerComposeEnvironment(REPO_ROOT, "docker-compose.yml").withEnvironment(vars).withBuild();
    for (const s of services) compose = compose.withWaitStrategy(`${s}-1`, Wait.forHealthCheck());
    const stack = await compose.up();
    try {
      const cli = { ...process.env, NATS_URL: "nats://127.0.0.1:4222", NATS_USER: "pmo-cli", NATS_PASSWORD: vars.PMO_CLI_NATS_PASSWORD };
      const r = await run(process.execPath, ["packages/cli/bin/pmo.js", "run", "--action", "report", "--platforms", "github", "--project", "web", "--report-type", "weekly", "--format", "markdown"], cli);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/workflow workflow-\S+ started/);
    } finally {
      await stack.down();
    }
  });
});

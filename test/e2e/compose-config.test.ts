import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness/processes.js";
import { loadCompose } from "./compose-file.js";

/**
 * docker-compose.yml, docker-compose.cluster.yml and the NATS configs, checked by the real tools:
 * a compose implementation (`docker compose` or Debian's `docker-compose`) and `nats-server -t`, with
 * an `.env` made the way README.md says. The commands of README.md are the ones checked here.
 */
const log = (line: string) => process.stdout.write(`[compose-config] ${line}\n`);
const BASE = "docker-compose.yml";
const CLUSTER = "docker-compose.cluster.yml";

/** The compose CLI on this machine: the Docker plugin, else the standalone `docker-compose`. */
function composeCli(): string[] | null {
  if (spawnSync("docker", ["compose", "version"], { encoding: "utf8" }).status === 0) return ["docker", "compose"];
  if (spawnSync("docker-compose", ["version"], { encoding: "utf8" }).status === 0) return ["docker-compose"];
  return null;
}

const cli = composeCli();
if (!cli) log("compose validation: skipped, neither `docker compose` nor `docker-compose` is installed (Debian: apt-get install docker-compose)");

const tmp = mkdtempSync(join(tmpdir(), "pmo-compose-config-"));
/** `deploy/make-env.sh > .env`, as README.md says. */
const made = spawnSync(resolve(REPO_ROOT, "deploy/make-env.sh"), { encoding: "utf8" });
const envFile = join(tmp, ".env");
writeFileSync(envFile, made.stdout);
const parseEnv = (text: string): Record<string, string> =>
  Object.fromEntries(text.split("\n").filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
const dotEnv = parseEnv(made.stdout);

function compose(files: string[], args: string[], env = envFile) {
  const [cmd, ...pre] = cli!;
  return spawnSync(cmd!, [...pre, "--env-file", env, ...files.flatMap((f) => ["-f", resolve(REPO_ROOT, f)]), ...args], { cwd: REPO_ROOT, encoding: "utf8" });
}

/** The `docker compose ...` commands of README.md's code blocks. */
function documentedComposeCommands(): string[][] {
  const doc = readFileSync(resolve(REPO_ROOT, "README.md"), "utf8");
  const blocks = [...doc.matchAll(/```(?:bash|sh)\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.split("\n")).map((l) => l.replace(/#.*$/, "").trim()).filter((l) => l.startsWith("docker compose ")).map((l) => l.split(/\s+/).slice(2));
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the compose files and NATS configs, as the real tools read them", () => {
  it("deploy/make-env.sh fills every password of .env.example and leaves the platform tokens to the user", () => {
    expect(made.status, made.stderr).toBe(0);
    const passwords = Object.entries(dotEnv).filter(([k]) => k.endsWith("_PASSWORD"));
    expect(passwords.length).toBeGreaterThanOrEqual(7);
    for (const [k, v] of passwords) expect(v, k).toMatch(/^pmo[0-9a-f]{48}$/);
    expect(dotEnv.GITHUB_TOKEN).toBe("");
    // .env.example itself holds no secret: every value in it is empty.
    const example = readFileSync(resolve(REPO_ROOT, ".env.example"), "utf8");
    for (const line of example.split("\n").filter((l) => /^[A-Z_]+=/.test(l))) expect(line, line).toMatch(/^[A-Z_]+=$/);
  });

  it.skipIf(!cli)("the compose implementation accepts docker-compose.yml, alone and with the cluster profile", () => {
    for (const files of [[BASE], [BASE, CLUSTER]]) {
      const r = compose(files, ["config", "-q"]);
      expect(r.status, `${files.join(" + ")}: ${r.stderr}`).toBe(0);
    }
  });

  it.skipIf(!cli)("refuses to start without the passwords, naming the variable", () => {
    const r = compose([BASE], ["config", "-q"], resolve(REPO_ROOT, ".env.example"));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ORCHESTRATOR_NATS_PASSWORD|NATS_PASSWORD/);
    expect(r.stderr).toMatch(/set it in \.env/);
  });

  it.skipIf(!cli)("every docker compose command of README.md is valid on these files", () => {
    const commands = documentedComposeCommands();
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const args of commands) {
      const files = args.flatMap((a, i) => (a === "-f" ? [args[i + 1]!] : []));
      const r = compose(files.length ? files : [BASE], ["config", "-q"]);
      expect(r.status, `docker compose ${args.join(" ")}: ${r.stderr}`).toBe(0);
      const scale = args.find((a) => /^\w[\w-]*=\d+$/.test(a) && args[args.indexOf(a) - 1] === "--scale");
      if (scale) {
        const service = loadCompose(files.length ? files : [BASE], dotEnv).services[scale.split("=")[0]!];
        // Scaling needs replicas that do not collide: no fixed container name, no fixed host port.
        expect(service, scale).toBeDefined();
        expect(service!.raw.container_name, scale).toBeUndefined();
        expect(service!.ports, scale).toEqual([]);
      }
    }
  });

  it("nats-server accepts both NATS configs with the .env's passwords", () => {
    // Several fresh .env files: a password that nats-server would misread shows up here, not in production.
    for (let i = 0; i < 5; i++) for (const conf of ["deploy/nats/nats-server.conf", "deploy/nats/nats-cluster.conf"]) {
      const env = i === 0 ? dotEnv : parseEnv(spawnSync(resolve(REPO_ROOT, "deploy/make-env.sh"), { encoding: "utf8" }).stdout);
      const r = spawnSync("nats-server", ["-t", "-c", resolve(REPO_ROOT, conf)], { env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });
      expect(r.status, `${conf}: ${r.stderr}${r.stdout}`).toBe(0);
    }
  });

  it("wires every service the same way: its own NATS user, health check, dependencies, and a place in the cluster profile", () => {
    const base = loadCompose([BASE], dotEnv);
    const cluster = loadCompose([BASE, CLUSTER], dotEnv);
    const auth = readFileSync(resolve(REPO_ROOT, "deploy/nats/auth.conf"), "utf8");
    const nats = base.services.nats!;
    const services = Object.values(base.services).filter((s) => s !== nats);
    expect(services.map((s) => s.name).sort()).toEqual(expect.arrayContaining(["clickup-agent", "github-agent", "orchestrator", "plane-agent", "report-agent"]));
    for (const s of services) {
      const passwordVar = `${s.name.toUpperCase().replace(/-/g, "_")}_NATS_PASSWORD`;
      expect(s.environment.NATS_USER, s.name).toBe(s.name);
      expect(s.environment.NATS_PASSWORD, s.name).toBe(dotEnv[passwordVar]);
      expect(nats.environment[passwordVar], `nats gets ${passwordVar}`).toBe(dotEnv[passwordVar]);
      expect(auth, `user ${s.name} in auth.conf`).toMatch(new RegExp(`user: ${s.name}\\n\\s+password: \\$${passwordVar}\\n`));
      expect(s.command, s.name).toEqual([s.name]);
      expect(s.healthcheck?.test, s.name).toEqual(["CMD", "node", "/app/bin/healthcheck.mjs"]);
      expect(s.dependsOn.nats, s.name).toEqual({ condition: "service_healthy" });
      if (s.name !== "orchestrator") expect(s.dependsOn.orchestrator, `${s.name} waits for the topology`).toEqual({ condition: "service_healthy" });
      expect(s.volumes.find((v) => v.target === "/app/config")?.readOnly, s.name).toBe(true);
      const clustered = cluster.services[s.name]!.environment;
      expect(clustered.NATS_URL?.split(","), s.name).toHaveLength(3);
      expect(clustered.PMO_REPLICAS, s.name).toBe("3");
    }
    expect(base.services.orchestrator!.volumes.map((v) => v.target)).toContain("/app/project-workspace");
    expect(base.services["report-agent"]!.replicas).toBeGreaterThanOrEqual(2);
    expect(nats.volumes.find((v) => v.target === "/data")?.bind).toBe(false);
    expect(Object.keys(cluster.services).filter((n) => n.startsWith("nats"))).toHaveLength(3);
  });
});

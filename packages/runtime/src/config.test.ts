import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigFiles, loadConfigFile, resolveSecret } from "./config.js";
import { parseRuntimeEnv } from "./env.js";
import { ConfigError, EnvError } from "./errors.js";

const dir = () => mkdtempSync(join(tmpdir(), "pmo-cfg-"));

describe("configuration", () => {
  it("names the file and each bad field", async () => {
    const d = dir();
    writeFileSync(join(d, "projects.json"), JSON.stringify({ projects: { web: { name: "Web", github: { repos: ["not a repo"] }, clickup: { teamId: "1", listIds: [] } } } }));
    const err = await loadConfigFile(d, ConfigFiles.projects).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.file).toBe(join(d, "projects.json"));
    expect(err.message).toContain("projects.web.github.repos.0: must be \"owner/repo\"");
    expect(err.message).toContain("projects.web.clickup.listIds: at least one list");
  });

  it("reports invalid JSON and a missing required file", async () => {
    const d = dir();
    writeFileSync(join(d, "projects.json"), "{ nope");
    await expect(loadConfigFile(d, ConfigFiles.projects)).rejects.toThrow(/projects\.json:\n {2}- not valid JSON/);
    await expect(loadConfigFile(d, ConfigFiles.github)).rejects.toThrow(/github-config\.json:\n {2}- file not found/);
  });

  it("applies defaults when an optional file is absent", async () => {
    const policy = await loadConfigFile(dir(), ConfigFiles.workflow);
    expect(policy.retry).toEqual({ attempts: 3, baseMs: 5_000, factor: 2, maxMs: 60_000 });
  });

  it("prefers the env var over an inline secret", () => {
    expect(resolveSecret("inline", "MY_TOKEN", { MY_TOKEN: "from-env" })).toBe("from-env");
    expect(resolveSecret("inline", "MY_TOKEN", {})).toBe("inline");
  });

  it("validates the environment once, naming the variable", () => {
    expect(() => parseRuntimeEnv({ LOG_LEVEL: "loud" })).toThrow(EnvError);
    expect(() => parseRuntimeEnv({ PMO_REPLICAS: "9" })).toThrow(/PMO_REPLICAS/);
    expect(parseRuntimeEnv({}).NATS_URL).toBe("nats://127.0.0.1:4222");
  });
});

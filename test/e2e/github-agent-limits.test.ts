/**
 * github-agent within GitHub's limits, against a time-scaled sandbox (an hour lasts 2 s): a
 * collection needing several quota windows never receives a 403/429; with 10% injected faults
 * (rate limit, 5xx, connection resets, malformed bodies) the collection still equals the truth.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArtifactStore } from "@pmo/runtime";
import { startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { collectRepos, forgetCursors, startWorld, type AgentWorld } from "../../services/github-agent/test/agent-kit.js";
import { equalsTruth } from "../../services/github-agent/test/expected-items.js";

const PER_HOUR = 20;
let sandbox: SandboxHandle;
let world: AgentWorld & { store: ArtifactStore };
let repos: string[];

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 5, itemsPerPlatform: 40, timeScale: 1800, rateLimits: { githubPerHour: PER_HOUR } });
  repos = sandbox.truth.github.repos.map((r) => r.fullName);
  world = await startWorld(sandbox, { rateLimit: { requestsPerHour: PER_HOUR } });
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await sandbox?.close();
});

describe("github-agent within limits", () => {
  it("spreads a collection over several windows without a single 403/429", async () => {
    const { data } = await collectRepos(world, repos).catch((err) => {
      console.log(sandbox.control.requests("github").map((e) => `${e.status} ${e.url}`).join("\n"), world.agent.proc.output().slice(-4000));
      throw err;
    });
    const log = sandbox.control.requests("github");
    expect(log.length).toBeGreaterThan(2 * PER_HOUR);
    expect(log.filter((e) => e.status === 403 || e.status === 429)).toEqual([]);
    expect(equalsTruth(sandbox.truth, data.items)).toEqual({ missing: [], extra: [], different: [] });
  }, 60_000);

  it("still equals the truth with 10% of requests failing (rate limit, 5xx, resets, malformed bodies)", async () => {
    await forgetCursors(world.nc);
    for (const kind of ["rate_limit", "server_error", "reset", "malformed"] as const) sandbox.control.addFault("github", { kind, rate: 0.025, match: "GET " });
    const { data } = await collectRepos(world, repos);
    const applied = sandbox.control.counters().github!.faultsApplied;
    expect(Object.values(applied).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(0);
    expect(data.errors).toEqual([]);
    expect(equalsTruth(sandbox.truth, data.items)).toEqual({ missing: [], extra: [], different: [] });
  }, 60_000);
});

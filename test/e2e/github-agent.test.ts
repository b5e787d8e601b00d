/**
 * github-agent as its own process, against the sandbox's GitHub emulator over real HTTP and a real
 * nats-server: full collection = ground truth; incremental re-runs fetch only what changed, unchanged
 * repos answer 304, deletions are detected; webhooks verified, refused loudly, deduplicated; a real
 * report workflow through the orchestrator; a bad token fails verify at once.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import { Stream } from "@pmo/contracts";
import type { RunningService } from "@pmo/runtime";
import { signGitHubWebhook, startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { publishRequest, startOrchestrator, waitForWorkflow } from "../harness/mesh.js";
import { startFakeAgent } from "../agents/fake-agent.js";
import { collectRepos, runJob, startAgent, startWorld, writeAgentConfig, type AgentWorld } from "../../services/github-agent/test/agent-kit.js";
import { equalsTruth } from "../../services/github-agent/test/expected-items.js";
import type { ArtifactStore } from "@pmo/runtime";

let sandbox: SandboxHandle;
let world: AgentWorld & { store: ArtifactStore };
let repos: string[];

const clean = { missing: [], extra: [], different: [] };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 11, itemsPerPlatform: 60 });
  repos = sandbox.truth.github.repos.map((r) => r.fullName);
  world = await startWorld(sandbox);
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await sandbox?.close();
});

describe("github-agent collect", () => {
  it("collects every issue and PR equal to the ground truth; re-runs fetch only what changed; unchanged repos cost nothing; deletions are found", async () => {
    const full = await collectRepos(world, repos);
    expect(full.data.mode).toBe("full");
    expect(full.data.errors).toEqual([]);
    expect(full.data.items.length).toBe(sandbox.truth.items.github.filter((i) => i.deletedAt === null).length);
    expect(equalsTruth(sandbox.truth, full.data.items)).toEqual(clean);

    const live = sandbox.truth.items.github.filter((i) => i.deletedAt === null);
    const issue = live.find((i) => i.kind === "issue" && i.status !== "done" && i.status !== "cancelled")!;
    const pr = live.find((i) => i.kind === "pull_request")!;
    sandbox.control.mutate({ platform: "github", id: issue.id, container: issue.container, status: "done" });
    sandbox.control.mutate({ platform: "github", id: pr.id, container: pr.container, comment: "looks good" });
    // Issue dependencies: the issue becomes blocked by another; GitHub lists blockers per issue only.
    const blocker = live.find((i) => i.container === issue.container && i.id !== issue.id && i.kind === "issue")!;
    sandbox.control.mutate({ platform: "github", id: issue.id, container: issue.container, fields: { blockedBy: [blocker.id] } });
    let mark = sandbox.control.requests("github").length;
    const incremental = await collectRepos(world, repos);
    const log = sandbox.control.requests("github").slice(mark);
    // Only the issue whose summary counts a blocker costs a dependencies request.
    expect(log.filter((e) => e.url.includes("/dependencies/")).map((e) => e.url.split("?")[0])).toEqual([`/repos/${issue.container}/issues/${issue.seq}/dependencies/blocked_by`]);
    expect(incremental.data.items.find((i) => i.ref.id === `${issue.container}#${issue.seq}`)!.blockedBy).toEqual([{ platform: "github", id: `${blocker.container}#${blocker.seq}` }]);
    const timelines = log.filter((e) => e.pattern.endsWith("/timeline")).map((e) => e.url.split("?")[0]);
    expect(timelines.sort()).toEqual([`/repos/${issue.container}/issues/${issue.seq}/timeline`, `/repos/${pr.container}/issues/${pr.seq}/timeline`].sort());
    expect(log.filter((e) => e.pattern.endsWith("/issues") && !e.url.includes("since="))).toEqual([]);
    expect(incremental.data.mode).toBe("incremental");
    expect(equalsTruth(sandbox.truth, incremental.data.items)).toEqual(clean);
    const events = JSON.parse(new TextDecoder().decode((await world.store.get(incremental.workflowId, "monitoring/github-events.json"))!));
    expect(events.events.map((e: { type: string; itemRef: { id: string } }) => `${e.type} ${e.itemRef.id}`).sort()).toEqual(
      [`status.changed ${issue.container}#${issue.seq}`, `item.updated ${pr.container}#${pr.seq}`].sort(),
    );

    // Nothing changed: every answer is a 304, which spends no quota.
    mark = sandbox.control.requests("github").length;
    await collectRepos(world, repos);
    const quiet = sandbox.control.requests("github").slice(mark);
    expect(quiet.length).toBeGreaterThan(0);
    expect(quiet.map((e) => e.status)).toEqual(quiet.map(() => 304));

    // A deleted open issue: GitHub lists no deletions; the open count gives it away and a sweep finds it.
    // It blocks another issue, which its deletion does not touch: that issue must stop naming it all the same.
    const doomed = sandbox.truth.items.github.find((i) => i.deletedAt === null && i.kind === "issue" && i.status !== "done" && i.status !== "cancelled" && i.id !== issue.id)!;
    const blocked = sandbox.truth.items.github.find((i) => i.deletedAt === null && i.container === doomed.container && i.id !== doomed.id && i.id !== issue.id)!;
    sandbox.control.mutate({ platform: "github", id: blocked.id, container: blocked.container, fields: { blockedBy: [doomed.id] } });
    const blocking = await collectRepos(world, repos);
    expect(blocking.data.items.find((i) => i.ref.id === `${blocked.container}#${blocked.seq}`)!.blockedBy).toEqual([{ platform: "github", id: `${doomed.container}#${doomed.seq}` }]);
    sandbox.control.mutate({ platform: "github", id: doomed.id, container: doomed.container, delete: true });
    const swept = await collectRepos(world, repos);
    expect(swept.data.deleted).toEqual([{ platform: "github", id: `${doomed.container}#${doomed.seq}` }]);
    expect(swept.data.items.find((i) => i.ref.id === `${blocked.container}#${blocked.seq}`)!.blockedBy).toEqual([]);
    expect(equalsTruth(sandbox.truth, swept.data.items)).toEqual(clean);
  }, 60_000);
});

describe("github-agent webhooks", () => {
  const url = () => `http://127.0.0.1:${world.agent.httpPort}/webhooks/github`;
  const stored = async () => (await (await jetstreamManager(world.nc)).streams.info(Stream.Events)).state.messages;
  const post = (body: string | Buffer, headers: Record<string, string>) => fetch(url(), { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

  it("publishes signed deliveries once, and refuses forged, altered, unsigned, oversized and non-JSON ones", async () => {
    const secret = sandbox.webhookSecrets.github;
    const before = await stored();
    // A real delivery from the emulator: a comment on an issue.
    sandbox.registerWebhook("github", url(), ["*"]);
    const target = sandbox.truth.items.github.find((i) => i.deletedAt === null && i.kind === "issue")!;
    sandbox.control.mutate({ platform: "github", id: target.id, container: target.container, comment: "from the webhook test" });
    await sandbox.control.webhooksIdle();
    const delivered = sandbox.control.webhooks("github").deliveries;
    expect(delivered.at(-1)?.status).toBe(200);
    expect(await stored()).toBe(before + 1);

    const body = JSON.stringify({ action: "opened", issue: { number: 7, updated_at: "2024-05-01T10:00:00Z" }, repository: { full_name: repos[0] }, sender: { login: "octocat" } });
    const headers = { "x-github-event": "issues", "x-github-delivery": "11111111-2222-4333-a444-555555555555", "x-hub-signature-256": signGitHubWebhook(secret, body) };
    expect((await post(body, headers)).status).toBe(200);
    expect((await post(body, headers)).status).toBe(200); // redelivery: stored once
    expect(await stored()).toBe(before + 2);

    expect((await post(body, { ...headers, "x-hub-signature-256": signGitHubWebhook("not-the-secret", body) })).status).toBe(401);
    expect((await post(body.replace("opened", "closed"), headers)).status).toBe(401);
    const { "x-hub-signature-256": _omit, ...unsigned } = headers;
    expect((await post(body, unsigned)).status).toBe(401);
    const huge = JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) });
    expect((await post(huge, { ...headers, "x-hub-signature-256": signGitHubWebhook(secret, huge) })).status).toBe(413);
    const notJson = "action=opened&issue=7";
    expect((await post(notJson, { ...headers, "x-hub-signature-256": signGitHubWebhook(secret, notJson) })).status).toBe(400);
    expect(await stored()).toBe(before + 2);
    const metrics = await (await fetch(`http://127.0.0.1:${world.agent.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/pmo_webhook_deliveries_total\{platform="github",outcome="bad_signature"[^}]*\} 2\n/);
  }, 30_000);
});

describe("github-agent in a workflow", () => {
  it("a report workflow reaches complete with the agent's real collected data", async () => {
    const services: RunningService[] = [await startOrchestrator(world.env), await startFakeAgent("report", { env: world.env })];
    try {
      const requestId = `gh-report-${process.pid}`;
      await publishRequest(world.nc, { action: "report", platforms: ["github"], project: sandbox.truth.projectKey, requestId, parameters: { reportType: "weekly", formats: ["markdown"] } });
      const done = await waitForWorkflow(world.nc, requestId, 40_000);
      expect(done.record.state.status).toBe("complete");
      const data = JSON.parse(new TextDecoder().decode((await world.store.get(done.workflowId, "data/github-collected.json"))!));
      expect(equalsTruth(sandbox.truth, data.items)).toEqual(clean);
    } finally {
      for (const s of services.reverse()) await s.stop();
    }
  }, 60_000);
});

describe("github-agent verify", () => {
  it("passes with the sandbox token, and fails fast, non-retryable, naming GITHUB_TOKEN, with a bad one", async () => {
    const ok = await (await runJob(world.nc, "verify", { platform: "github", containers: { repos } })).result;
    expect(ok.ok).toBe(true);
    const missing = await (await runJob(world.nc, "verify", { platform: "github", containers: { repos: [...repos, "acme/no-such-repo"] } })).result;
    expect(missing.error).toMatchObject({ nonRetryable: true, code: "container_not_found" });
    expect(missing.error!.message).toContain("acme/no-such-repo");

    await world.agent.proc.terminate();
    const dir = join(mkdtempSync(join(tmpdir(), "pmo-gh-bad-")), "config");
    await writeAgentConfig(dir, { ...sandbox, truth: sandbox.truth, credentials: { ...sandbox.credentials, githubToken: "ghp_wrong" } });
    const bad = await startAgent({ ...world.env, PMO_CONFIG_DIR: dir });
    try {
      const mark = sandbox.control.requests("github").length;
      const refused = await (await runJob(world.nc, "verify", { platform: "github", containers: { repos } })).result;
      expect(refused.error).toMatchObject({ nonRetryable: true, code: "bad_credentials" });
      expect(refused.error!.message).toContain("GITHUB_TOKEN");
      expect(sandbox.control.requests("github").slice(mark).map((e) => `${e.status} ${e.pattern}`)).toEqual(["401 /user"]);
    } finally {
      await bad.proc.terminate();
      world.agent = await startAgent(world.env);
    }
  }, 60_000);
});

/**
 * `pmo webhooks register --platform github` against github-agent as its own process and the
 * sandbox's GitHub emulator: one hook per repo however often it is run, a hook made by hand on the
 * agent's URL is taken over in place, and a change made on the platform then travels hook → agent's
 * /webhooks/github → PMO_EVENTS.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import { PlatformEventSchema, Stream, Subjects } from "@pmo/contracts";
import { startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { runPmo } from "../harness/pmo-cli.js";
import { startWorld, type AgentWorld } from "../../services/github-agent/test/agent-kit.js";

let sandbox: SandboxHandle;
let world: AgentWorld;

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 23, itemsPerPlatform: 30 });
  world = await startWorld(sandbox);
}, 60_000);

afterAll(async () => {
  await world?.stop();
  await sandbox?.close();
});

describe("github-agent webhook registration", () => {
  it("registers one hook per repo however often it runs, and the platform's changes then become events", async () => {
    const url = `http://127.0.0.1:${world.agent.httpPort}/webhooks/github`;
    const repos = sandbox.truth.github.repos.map((r) => r.fullName);
    const register = () => runPmo(["webhooks", "register", "--platform", "github", "--url", url], { NATS_URL: world.serverUrl });

    const first = await register();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${repos.length} created`);
    const again = await register();
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`0 created, 0 updated, ${repos.length} unchanged`);

    const hooks = sandbox.control.webhooks("github").registrations;
    expect(hooks.map((h) => h.scope).sort()).toEqual([...repos].sort());
    for (const h of hooks) {
      expect(h.url).toBe(url);
      expect(h.secret).toBe(sandbox.webhookSecrets.github);
      expect([...h.events].sort()).toEqual(["issue_comment", "issues", "pull_request"]);
    }

    const target = sandbox.truth.items.github.find((i) => i.deletedAt === null && i.kind === "issue" && i.status !== "done" && i.status !== "cancelled")!;
    sandbox.control.mutate({ platform: "github", id: target.id, container: target.container, status: "done" });
    await sandbox.control.webhooksIdle();
    expect(sandbox.control.webhooks("github").deliveries.at(-1)?.status).toBe(200);
    const jsm = await jetstreamManager(world.nc);
    const msg = await jsm.streams.getMessage(Stream.Events, { last_by_subj: Subjects.platformEvent("github", "status.changed") });
    const event = PlatformEventSchema.parse(msg!.json());
    expect(event.itemRef?.id).toBe(`${target.container}#${target.seq}`);
  }, 60_000);

  it("takes over in place a hook someone made on its URL with other events and another secret", async () => {
    const url = `http://127.0.0.1:${world.agent.httpPort}/webhooks/github`;
    const repo = sandbox.truth.github.repos[0]!.fullName;
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${sandbox.urls.github}/repos/${repo}${path}`, {
        method,
        headers: { authorization: `Bearer ${sandbox.credentials.githubToken}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    // Someone replaced the agent's hook by hand: same URL, their own events and secret.
    for (const old of sandbox.control.webhooks("github").registrations.filter((r) => r.scope === repo && r.url === url)) {
      expect((await api("DELETE", `/hooks/${old.id}`)).status).toBe(204);
    }
    const made = await api("POST", "/hooks", { name: "web", config: { url, content_type: "json", secret: "set-by-hand" }, events: ["push", "issues"] });
    expect(made.status).toBe(201);
    const handMadeId = String(((await made.json()) as { id: number }).id);

    const run = await runPmo(["webhooks", "register", "--platform", "github", "--url", url], { NATS_URL: world.serverUrl });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/0 created, 1 updated/);
    const onRepo = sandbox.control.webhooks("github").registrations.filter((r) => r.scope === repo && r.url === url);
    expect(onRepo.map((h) => h.id)).toEqual([handMadeId]);
    expect([...onRepo[0]!.events].sort()).toEqual(["issue_comment", "issues", "pull_request"]);
    expect(onRepo[0]!.secret).toBe(sandbox.webhookSecrets.github);

    // The agent accepts what the hook now signs.
    const target = sandbox.truth.items.github.find((i) => i.container === repo && i.deletedAt === null && i.kind === "issue")!;
    sandbox.control.mutate({ platform: "github", id: target.id, container: repo, comment: "signed with the agent's secret again" });
    await sandbox.control.webhooksIdle();
    const delivered = sandbox.control.webhooks("github").deliveries.filter((d) => d.registrationId === handMadeId);
    expect(delivered.map((d) => d.status)).toEqual([200]);
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { AgentMetrics, CursorStore, SharedRateBudget, type AgentEnvironment } from "@pmo/platform-agent";
import { ServiceMetrics, ensureTopology, type Topology } from "@pmo/runtime";
import { startSandbox, type SandboxHandle } from "@pmo/sandbox";
import { startNatsServer, type NatsServer } from "../../../test/harness/nats-server.js";
import { GitHubClient } from "./github-client.js";
import { GitHubSettingsSchema } from "./settings.js";
import { HOOK_EVENTS, registerGitHubWebhooks } from "./webhook-registration.js";

describe("registerGitHubWebhooks", () => {
  it("refuses, naming the secret's variable, before calling GitHub when no webhook secret is configured", async () => {
    const calls: string[] = [];
    const client = { all: async (route: string) => (calls.push(route), []), send: async (route: string) => (calls.push(route), { id: 1 }) } as unknown as GitHubClient;
    const env = { webhookSecret: undefined, config: { webhookSecretEnv: "GITHUB_WEBHOOK_SECRET" }, projects: { projects: { web: { name: "w", github: { repos: ["acme/api"] } } } } } as unknown as AgentEnvironment;
    await expect(registerGitHubWebhooks(env, client, { url: "https://pmo.example/webhooks/github" })).rejects.toThrow(/GITHUB_WEBHOOK_SECRET/);
    expect(calls).toEqual([]);
  });
});

/** The agent's real client and KV cursors against the sandbox's GitHub emulator and a real nats-server. */
describe("registerGitHubWebhooks on GitHub (sandbox)", () => {
  const SECRET = "agent-secret-1";
  let nats: NatsServer;
  let nc: NatsConnection;
  let topo: Topology;
  let sandbox: SandboxHandle;
  let client: GitHubClient;
  let repo: string;

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connect({ servers: nats.url });
    topo = await ensureTopology(nc, { replicas: 1 });
    sandbox = await startSandbox({ seed: 5, itemsPerPlatform: 30 });
    repo = sandbox.truth.github.repos[0]!.fullName;
    client = new GitHubClient({
      baseUrl: sandbox.urls.github,
      token: sandbox.credentials.githubToken,
      budget: new SharedRateBudget(topo.kv.Ledger, "github", "registration-test", { limit: 5_000, windowMs: 3_600_000 }),
      metrics: new AgentMetrics("github", new ServiceMetrics("github-agent-test").registry),
      settings: GitHubSettingsSchema.parse({ writeIntervalMs: 0, retryBaseMs: 20 }),
    });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    await nc?.close();
    await nats?.stop();
  });

  /** Only what registration reads of the environment; the cursors are the agent's real KV store. */
  const envWith = (secret: string) =>
    ({ webhookSecret: secret, config: {}, projects: { projects: {} }, cursors: new CursorStore(topo.kv.Cursors, "github"), log: { info: () => undefined } }) as unknown as AgentEnvironment;

  const register = (url: string, secret = SECRET, containers = [repo]) => registerGitHubWebhooks(envWith(secret), client, { url, containers });

  /** What GitHub holds for hooks on `url` (the sandbox's control handle sees the secret GitHub never shows). */
  const hooksOn = (url: string) => sandbox.control.webhooks("github").registrations.filter((r) => r.url === url);

  /** A hook made by someone else, straight through the REST API. */
  async function hookMadeByHand(url: string, body: Record<string, unknown>): Promise<number> {
    const res = await fetch(`${sandbox.urls.github}/repos/${repo}/hooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${sandbox.credentials.githubToken}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "web", ...body, config: { url, content_type: "json", ...(body.config as object) } }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: number }).id;
  }

  it("creates one hook per repo, then finds nothing to change", async () => {
    const url = "http://127.0.0.1:9/hooks/fresh";
    const repos = sandbox.truth.github.repos.map((r) => r.fullName);
    const first = await register(url, SECRET, repos);
    expect(first.data.map((o) => o.outcome)).toEqual(repos.map(() => "created"));
    const again = await register(url, SECRET, repos);
    expect(again.data).toEqual(first.data.map((o) => ({ ...o, outcome: "unchanged" })));
    expect(hooksOn(url).map((h) => h.scope).sort()).toEqual([...repos].sort());
  });

  it("updates in place a hook on its URL that exists with other events, and sets its own secret on it", async () => {
    const url = "http://127.0.0.1:9/hooks/other-events";
    const id = await hookMadeByHand(url, { events: ["push", "issues"], config: { secret: "someone-elses" } });
    const result = await register(url);
    expect(result.data).toEqual([{ repo, id, outcome: "updated" }]);
    expect(result.message).toContain("0 created, 1 updated, 0 unchanged");
    const [hook, ...duplicates] = hooksOn(url);
    expect(duplicates).toEqual([]);
    expect(hook!.id).toBe(String(id));
    expect([...hook!.events].sort()).toEqual([...HOOK_EVENTS].sort());
    expect(hook!.secret).toBe(SECRET);
    expect((await register(url)).data).toEqual([{ repo, id, outcome: "unchanged" }]);
  });

  it("rewrites the secret of a hook whose events already match, since GitHub cannot show it for comparison", async () => {
    const url = "http://127.0.0.1:9/hooks/same-events";
    const id = await hookMadeByHand(url, { events: [...HOOK_EVENTS], config: { secret: "stale", insecure_ssl: "0" } });
    expect((await register(url)).data).toEqual([{ repo, id, outcome: "updated" }]);
    expect(hooksOn(url).map((h) => [h.id, h.secret])).toEqual([[String(id), SECRET]]);
  });

  it("rewrites the secret when the agent's own secret changed, and reactivates a hook someone switched off", async () => {
    const url = "http://127.0.0.1:9/hooks/rotation";
    const [created] = (await register(url)).data;
    const rotated = await register(url, "agent-secret-2");
    expect(rotated.data).toEqual([{ ...created, outcome: "updated" }]);
    expect(hooksOn(url).map((h) => h.secret)).toEqual(["agent-secret-2"]);

    await client.send("PATCH /repos/{owner}/{repo}/hooks/{hook_id}", { owner: repo.split("/")[0], repo: repo.split("/")[1], hook_id: created!.id, active: false });
    expect((await register(url, "agent-secret-2")).data).toEqual([{ ...created, outcome: "updated" }]);
    const hook = await client.get<{ active: boolean; config: Record<string, string> }>("GET /repos/{owner}/{repo}/hooks/{hook_id}", { owner: repo.split("/")[0], repo: repo.split("/")[1], hook_id: created!.id });
    expect(hook.data).toMatchObject({ active: true, config: { url, content_type: "json", insecure_ssl: "0", secret: "********" } });
  });
});

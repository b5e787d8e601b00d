/** One repository hook through @octokit/rest over real HTTP: get, update (events, config, active), delete. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyGitHubWebhook } from "./index.js";
import { startWebhookReceiver, type ReceivedDelivery } from "../kit/testing/webhook-receiver.js";
import { type GitHubSandbox, TEST_TOKEN, startGitHubSandbox } from "./testing.js";

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let receiverUrl = "";
let sb: GitHubSandbox;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ fallback: 204 });
  receiverUrl = receiver.url;
  sb = await startGitHubSandbox({ items: 60 });
});
afterAll(async () => {
  await sb.close();
  await receiver.close();
});

const repoOf = (n: number) => {
  const [owner, repo] = sb.ctx.truth.github.repos[n]!.fullName.split("/") as [string, string];
  return { owner, repo };
};

async function createHook(n: number, secret: string, events: string[]) {
  const { data } = await sb.octokit().rest.repos.createWebhook({ ...repoOf(n), config: { url: receiverUrl, content_type: "json", secret }, events });
  return data;
}

/** Makes an issue change in repo `n` and returns what reached the receiver for hook `hookId`. */
async function deliveriesAfterAChange(n: number, hookId: number): Promise<ReceivedDelivery[]> {
  receiver.received.length = 0;
  await sb.octokit().rest.issues.create({ ...repoOf(n), title: `change ${Math.random()}` });
  await sb.ctx.hub.idle();
  return receiver.received.filter((r) => r.headers["x-github-hook-id"] === String(hookId));
}

const errorOf = async (call: Promise<unknown>) => {
  try {
    await call;
  } catch (err) {
    const e = err as { status: number; response: { data: unknown } };
    return { status: e.status, data: e.response.data };
  }
  throw new Error("expected the call to fail");
};

describe("GET /repos/{o}/{r}/hooks/{hook_id}", () => {
  it("answers the hook as created, secret masked; 404 for an unknown id or another repo's hook", async () => {
    const created = await createHook(0, "s3cret", ["issues"]);
    const { data, status } = await sb.octokit().rest.repos.getWebhook({ ...repoOf(0), hook_id: created.id });
    expect(status).toBe(200);
    expect(data).toEqual(created);
    expect(data.config).toEqual({ url: receiverUrl, content_type: "json", insecure_ssl: "0", secret: "********" });

    const missing = await errorOf(sb.octokit().rest.repos.getWebhook({ ...repoOf(0), hook_id: created.id + 1000 }));
    expect(missing).toEqual({ status: 404, data: { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/webhooks#get-a-repository-webhook", status: "404" } });
    expect((await errorOf(sb.octokit().rest.repos.getWebhook({ ...repoOf(1), hook_id: created.id }))).status).toBe(404);
  });
});

describe("PATCH /repos/{o}/{r}/hooks/{hook_id}", () => {
  it("replaces events with `events`, then applies add_events / remove_events, in place (same id, one hook)", async () => {
    const hook = await createHook(1, "k", ["push"]);
    const octokit = sb.octokit();
    const replaced = await octokit.rest.repos.updateWebhook({ ...repoOf(1), hook_id: hook.id, events: ["issues", "pull_request"] });
    expect(replaced.status).toBe(200);
    expect([replaced.data.id, replaced.data.events]).toEqual([hook.id, ["issues", "pull_request"]]);
    const adjusted = await octokit.rest.repos.updateWebhook({ ...repoOf(1), hook_id: hook.id, add_events: ["issue_comment", "issues"], remove_events: ["pull_request"] });
    expect(adjusted.data.events).toEqual(["issues", "issue_comment"]);
    expect((await octokit.rest.repos.getWebhook({ ...repoOf(1), hook_id: hook.id })).data.events).toEqual(["issues", "issue_comment"]);
    const listed = await octokit.rest.repos.listWebhooks({ ...repoOf(1) });
    expect(listed.data.filter((h) => h.id === hook.id)).toHaveLength(1);
    // The kit delivers to the edited subscription.
    expect(sb.ctx.webhooks.list("github").find((r) => r.id === String(hook.id))?.events).toEqual(["issues", "issue_comment"]);
    expect((await deliveriesAfterAChange(1, hook.id)).map((r) => r.headers["x-github-event"])).toEqual(["issues"]);
  });

  it("a new config replaces the old one whole: a new secret signs from then on, a config without one removes it", async () => {
    const hook = await createHook(1, "old-secret", ["issues"]);
    const octokit = sb.octokit();
    sb.ctx.clock.advance(60_000);
    const rotated = await octokit.rest.repos.updateWebhook({ ...repoOf(1), hook_id: hook.id, config: { url: receiverUrl, content_type: "json", secret: "new-secret" } });
    expect(rotated.data.config).toEqual({ url: receiverUrl, content_type: "json", insecure_ssl: "0", secret: "********" });
    expect(Date.parse(rotated.data.updated_at)).toBeGreaterThan(Date.parse(hook.updated_at));
    expect(rotated.data.created_at).toBe(hook.created_at);
    const [signed] = await deliveriesAfterAChange(1, hook.id);
    const signature = signed!.headers["x-hub-signature-256"] as string;
    expect(verifyGitHubWebhook("new-secret", signed!.body, signature)).toBe(true);
    expect(verifyGitHubWebhook("old-secret", signed!.body, signature)).toBe(false);

    // Only `active`: the config, secret included, stays.
    await octokit.rest.repos.updateWebhook({ ...repoOf(1), hook_id: hook.id, active: true });
    expect(sb.ctx.webhooks.list("github").find((r) => r.id === String(hook.id))?.secret).toBe("new-secret");

    const bare = await octokit.rest.repos.updateWebhook({ ...repoOf(1), hook_id: hook.id, config: { url: receiverUrl } });
    expect(bare.data.config).toEqual({ url: receiverUrl, content_type: "form", insecure_ssl: "0" });
    const [unsigned] = await deliveriesAfterAChange(1, hook.id);
    expect(unsigned!.headers["x-hub-signature-256"]).toBeUndefined();
  });

  it("delivers nothing while active is false, and again once it is true", async () => {
    const hook = await createHook(0, "k", ["issues"]);
    const off = await sb.octokit().rest.repos.updateWebhook({ ...repoOf(0), hook_id: hook.id, active: false });
    expect(off.data.active).toBe(false);
    expect(await deliveriesAfterAChange(0, hook.id)).toEqual([]);
    await sb.octokit().rest.repos.updateWebhook({ ...repoOf(0), hook_id: hook.id, active: true });
    expect(await deliveriesAfterAChange(0, hook.id)).toHaveLength(1);
  });

  it("answers 422 in GitHub's shape for a config without url or a mistyped field, 404 for an unknown hook, and changes nothing", async () => {
    const hook = await createHook(1, "k", ["issues"]);
    const octokit = sb.octokit();
    const doc = "https://docs.github.com/rest/repos/webhooks#update-a-repository-webhook";
    const noUrl = await errorOf(octokit.rest.repos.updateWebhook({ ...repoOf(1), hook_id: hook.id, config: { content_type: "json" } }));
    expect(noUrl).toEqual({ status: 422, data: { message: "Validation Failed", errors: [{ resource: "Hook", code: "custom", message: "Config must contain URL for webhooks" }], documentation_url: doc, status: "422" } });
    const mistyped = await errorOf(octokit.request("PATCH /repos/{owner}/{repo}/hooks/{hook_id}", { ...repoOf(1), hook_id: hook.id, ...({ events: "issues", active: "yes" } as object) }));
    expect(mistyped).toMatchObject({ status: 422, data: { errors: [{ resource: "Hook", code: "invalid", field: "events" }, { resource: "Hook", code: "invalid", field: "active" }] } });
    const missing = await errorOf(octokit.rest.repos.updateWebhook({ ...repoOf(1), hook_id: 1, events: ["issues"] }));
    expect(missing).toMatchObject({ status: 404, data: { message: "Not Found", documentation_url: doc } });
    expect((await octokit.rest.repos.getWebhook({ ...repoOf(1), hook_id: hook.id })).data).toEqual(hook);
  });

  it("counts against the primary rate limit like other writes", async () => {
    const hook = await createHook(0, "k", ["issues"]);
    const before = await sb.octokit().rest.repos.getWebhook({ ...repoOf(0), hook_id: hook.id });
    const after = await sb.octokit().rest.repos.updateWebhook({ ...repoOf(0), hook_id: hook.id, add_events: ["pull_request"] });
    expect(Number(after.headers["x-ratelimit-used"])).toBe(Number(before.headers["x-ratelimit-used"]) + 1);
  });
});

describe("DELETE /repos/{o}/{r}/hooks/{hook_id}", () => {
  it("answers 204 with no body, then the hook is gone: 404 on get and on a second delete, no deliveries", async () => {
    const hook = await createHook(1, "k", ["issues"]);
    const octokit = sb.octokit();
    const deleted = await fetch(`${sb.server.url}/repos/${repoOf(1).owner}/${repoOf(1).repo}/hooks/${hook.id}`, { method: "DELETE", headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe("");
    expect((await errorOf(octokit.rest.repos.getWebhook({ ...repoOf(1), hook_id: hook.id }))).status).toBe(404);
    expect((await errorOf(octokit.rest.repos.deleteWebhook({ ...repoOf(1), hook_id: hook.id }))).status).toBe(404);
    expect((await octokit.rest.repos.listWebhooks({ ...repoOf(1) })).data.some((h) => h.id === hook.id)).toBe(false);
    expect(await deliveriesAfterAChange(1, hook.id)).toEqual([]);
  });

  it("refuses another repo's hook", async () => {
    const hook = await createHook(1, "k", ["issues"]);
    expect((await errorOf(sb.octokit().rest.repos.deleteWebhook({ ...repoOf(0), hook_id: hook.id }))).status).toBe(404);
    expect((await sb.octokit().rest.repos.getWebhook({ ...repoOf(1), hook_id: hook.id })).status).toBe(200);
  });
});

/** Webhook signatures (GitHub's published test vector) and deliveries for API writes, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signGitHubWebhook, verifyGitHubWebhook } from "./index.js";
import { startWebhookReceiver } from "../kit/testing/webhook-receiver.js";
import { type GitHubSandbox, startGitHubSandbox } from "./testing.js";

describe("signature", () => {
  // docs.github.com, "Validating webhook deliveries" → "Testing the webhook payload validation".
  const secret = "It's a Secret to Everybody";
  const payload = "Hello, World!";
  const expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  it("matches GitHub's documented test vector", () => {
    expect(signGitHubWebhook(secret, payload)).toBe(expected);
    expect(verifyGitHubWebhook(secret, Buffer.from(payload), expected)).toBe(true);
  });

  it("fails when one byte of the body or the secret differs", () => {
    expect(verifyGitHubWebhook(secret, "Hello, World?", expected)).toBe(false);
    expect(verifyGitHubWebhook("It's a Secret to Everybody!", payload, expected)).toBe(false);
    expect(verifyGitHubWebhook(secret, payload, expected.slice(0, -1))).toBe(false);
  });
});

describe("deliveries", () => {
  const secret = "hook-secret-123";
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let sb: GitHubSandbox;
  let receiverUrl = "";
  const received = () => receiver.received;

  beforeAll(async () => {
    receiver = await startWebhookReceiver({ fallback: 204 });
    receiverUrl = receiver.url;
    sb = await startGitHubSandbox({ items: 80 });
  });
  afterAll(async () => {
    await sb.close();
    await receiver.close();
  });


  it("registers a hook and delivers signed issues / issue_comment events for API writes", async () => {
    const octokit = sb.octokit();
    const { fullName, id: repoId } = sb.ctx.truth.github.repos[0]!;
    const [owner, repo] = fullName.split("/") as [string, string];
    const hook = await octokit.rest.repos.createWebhook({ owner, repo, config: { url: receiverUrl, content_type: "json", secret }, events: ["issues", "issue_comment"] });
    expect(hook.status).toBe(201);
    expect(Number.isInteger(hook.data.id)).toBe(true);
    expect(hook.data.config).toMatchObject({ url: receiverUrl, content_type: "json", secret: "********" });
    const hooks = await octokit.rest.repos.listWebhooks({ owner, repo });
    expect(hooks.data.map((h) => h.id)).toEqual([hook.data.id]);

    const other = sb.ctx.truth.people[2]!;
    const created = await octokit.rest.issues.create({ owner, repo, title: "Hooked" });
    const n = created.data.number;
    await octokit.rest.issues.update({ owner, repo, issue_number: n, labels: ["bug"] });
    await octokit.rest.issues.update({ owner, repo, issue_number: n, assignees: [other.login] });
    await octokit.rest.issues.update({ owner, repo, issue_number: n, title: "Hooked, renamed" });
    await octokit.rest.issues.update({ owner, repo, issue_number: n, state: "closed" });
    await octokit.rest.issues.createComment({ owner, repo, issue_number: n, body: "done" });
    await sb.ctx.hub.idle();

    const seen = received().map((r) => {
      const body = JSON.parse(r.body.toString()) as { action: string };
      return `${r.headers["x-github-event"]}/${body.action}`;
    });
    expect(seen).toEqual(["issues/opened", "issues/labeled", "issues/assigned", "issues/edited", "issues/closed", "issue_comment/created"]);

    for (const r of received()) {
      expect(r.headers["x-github-delivery"]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.headers["x-github-hook-id"]).toBe(String(hook.data.id));
      expect(r.headers["x-github-hook-installation-target-id"]).toBe(String(repoId));
      expect(r.headers["user-agent"]).toMatch(/^GitHub-Hookshot\/[0-9a-f]{7}$/);
      const signature = r.headers["x-hub-signature-256"] as string;
      expect(verifyGitHubWebhook(secret, r.body, signature)).toBe(true);
      const altered = Buffer.from(r.body);
      altered[10] = altered[10]! ^ 0x01;
      expect(verifyGitHubWebhook(secret, altered, signature)).toBe(false);
    }
    const deliveryIds = new Set(received().map((r) => r.headers["x-github-delivery"]));
    expect(deliveryIds.size).toBe(received().length);

    const opened = JSON.parse(received()[0]!.body.toString()) as Record<string, any>;
    expect(opened.issue.number).toBe(n);
    expect(opened.repository.full_name).toBe(fullName);
    expect(opened.sender.login).toBe(sb.ctx.truth.people[0]!.login);
    expect(JSON.parse(received()[1]!.body.toString()).label.name).toBe("bug");
    expect(JSON.parse(received()[2]!.body.toString()).assignee.login).toBe(other.login);
    expect(JSON.parse(received()[3]!.body.toString()).changes).toEqual({ title: { from: "Hooked" } });
    expect(JSON.parse(received()[4]!.body.toString()).issue.state_reason).toBe("completed");
    expect(JSON.parse(received()[5]!.body.toString()).comment.body).toBe("done");
  });

  it("renders pull_request events for PR changes, and nothing for unsubscribed events", () => {
    const pr = sb.ctx.truth.items.github.find((i) => i.pr !== null && i.deletedAt === null)!;
    const base = { id: "change-x", platform: "github" as const, kind: "created" as const, item: pr, before: {}, at: pr.createdAt, by: pr.creator };
    const registration = { id: "900", platform: "github" as const, url: receiverUrl, secret, events: ["pull_request"], scope: pr.container };
    const delivery = sb.dialect.renderWebhook(base, registration)!;
    expect(delivery.headers["x-github-event"]).toBe("pull_request");
    const body = JSON.parse(delivery.body.toString()) as Record<string, any>;
    expect([body.action, body.number, body.pull_request.number]).toEqual(["opened", pr.seq, pr.seq]);
    expect(delivery.headers["x-hub-signature-256"]).toBe(signGitHubWebhook(secret, delivery.body));
    expect(sb.dialect.renderWebhook(base, { ...registration, events: ["issues"] })).toBeNull();
    expect(sb.dialect.renderWebhook(base, { ...registration, scope: "someone/else" })).toBeNull();
    expect(sb.dialect.renderWebhook({ ...base, kind: "time_tracked" }, registration)).toBeNull();
  });

  it("delivers control-API changes: a PR closed or reopened, an issue deleted; the list stops serving the deleted issue", async () => {
    const live = sb.ctx.truth.items.github.filter((i) => i.deletedAt === null);
    const pr = live.find((i) => i.pr !== null && i.pr.mergedAt === null)!;
    const wasOpen = pr.status !== "done" && pr.status !== "cancelled";
    const fullName = pr.container;
    const issue = live.find((i) => i.kind === "issue" && i.container === fullName)!;
    const [owner, repo] = fullName.split("/") as [string, string];
    // The repo may already have the first test's hook: only deliveries to this new hook are counted below.
    const hook = await sb.octokit().rest.repos.createWebhook({ owner, repo, config: { url: receiverUrl, content_type: "json", secret }, events: ["*"] });
    received().length = 0;
    sb.server.control.mutate({ platform: "github", id: pr.id, container: fullName, status: wasOpen ? "cancelled" : "in_review" });
    sb.server.control.mutate({ platform: "github", id: issue.id, container: fullName, delete: true });
    await sb.ctx.hub.idle();
    const mine = received().filter((r) => r.headers["x-github-hook-id"] === String(hook.data.id));
    const seen = mine.map((r) => [r.headers["x-github-event"], (JSON.parse(r.body.toString()) as { action: string }).action]);
    expect(seen).toEqual([["pull_request", wasOpen ? "closed" : "reopened"], ["issues", "deleted"]]);
    const changedPr = JSON.parse(mine[0]!.body.toString()) as Record<string, any>;
    expect([changedPr.pull_request.state, changedPr.pull_request.merged]).toEqual([wasOpen ? "closed" : "open", false]);
    const octokit = sb.octokit();
    const listed = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: "all", per_page: 100 });
    expect(listed.some((i) => i.number === issue.seq)).toBe(false);
    expect(listed.find((i) => i.number === pr.seq)?.state_reason).toBe(wasOpen ? "not_planned" : "reopened");
  });

  it("answers injected faults in GitHub's dialect", async () => {
    const { fullName } = sb.ctx.truth.github.repos[0]!;
    const [owner, repo] = fullName.split("/") as [string, string];
    sb.server.control.addFault("github", { kind: "rate_limit", count: 1 });
    await expect(sb.octokit().rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 403, response: { headers: { "x-ratelimit-remaining": "0" } } });
    sb.server.control.addFault("github", { kind: "expired_token", count: 1 });
    await expect(sb.octokit().rest.repos.get({ owner, repo })).rejects.toMatchObject({ status: 401, response: { data: { message: "Bad credentials" } } });
    expect((await sb.octokit().rest.repos.get({ owner, repo })).status).toBe(200);
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import type { IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { ConfigFiles, loadConfigFile } from "@pmo/runtime";
import { startWebhookReceiver } from "./kit/testing/webhook-receiver.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateTruth,
  serializeTruth,
  startSandbox,
  truthDigest,
  verifyClickUpWebhook,
  verifyGitHubWebhook,
  verifyPlaneWebhook,
  writeSandboxConfig,
  type Platform,
  type SandboxHandle,
} from "./index.js";

const startReceiver = () => startWebhookReceiver();

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await startSandbox({ seed: 11, itemsPerPlatform: 60, githubPrefix: "/api/v3" });
});
afterAll(async () => {
  await sb.close();
});

describe("startSandbox", () => {
  it("serves the three emulators over the seed's truth with the handle's credentials", async () => {
    expect(serializeTruth(sb.truth)).toBe(serializeTruth(generateTruth({ seed: 11, itemsPerPlatform: 60 })));
    expect(sb.urls.github).toMatch(/\/api\/v3$/);

    const teams = await fetch(`${sb.urls.clickup}/team`, { headers: { authorization: sb.credentials.clickupToken } });
    expect(teams.status).toBe(200);
    expect(JSON.stringify(await teams.json())).toContain(sb.truth.clickup.teamId);

    const octokit = new Octokit({ auth: sb.credentials.githubToken, baseUrl: sb.urls.github });
    const [owner, repo] = sb.truth.github.repos[0]!.fullName.split("/") as [string, string];
    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, state: "all", per_page: 7 });
    const live = sb.truth.items.github.filter((i) => i.container === `${owner}/${repo}` && i.deletedAt === null);
    expect(issues.map((i) => String(i.number)).sort()).toEqual(live.map((i) => i.id).sort());

    const me = await fetch(`${sb.urls.plane}/users/me/`, { headers: { "x-api-key": sb.credentials.planeApiKey } });
    expect(me.status).toBe(200);
    const refused = await fetch(`${sb.urls.plane}/users/me/`, { headers: { "x-api-key": "wrong" } });
    expect([401, 403]).toContain(refused.status); // which one is the Plane emulator's call (DRF answers 403 without an auth header scheme)
  });

  it("counts requests per platform in one control", async () => {
    const counters = sb.control.counters();
    expect(Object.keys(counters).sort()).toEqual(["clickup", "github", "plane"]);
    expect(counters.github!.requests.total).toBeGreaterThan(0);
  });

  it("resets to the seed's initial truth and rebuilds the emulators", async () => {
    const initial = truthDigest(sb.truth);
    const item = sb.truth.items.plane.find((i) => i.deletedAt === null && i.status !== "done")!;
    sb.control.mutate({ platform: "plane", id: item.id, status: "done", comment: "done by test" });
    expect(truthDigest(sb.truth)).not.toBe(initial);
    await sb.control.reset();
    expect(truthDigest(sb.truth)).toBe(initial);
    expect(sb.control.counters().plane!.requests.total).toBe(0);
    const res = await fetch(`${sb.urls.plane}/users/me/`, { headers: { "x-api-key": sb.credentials.planeApiKey } });
    expect(res.status).toBe(200);
  });

  it("delivers control-API mutations as each platform's signed webhooks", async () => {
    const receiver = await startReceiver();
    const verify: Record<Platform, (secret: string, body: Buffer, headers: IncomingHttpHeaders) => boolean> = {
      clickup: (secret, body, h) => verifyClickUpWebhook(secret, body, String(h["x-signature"])),
      github: (secret, body, h) => verifyGitHubWebhook(secret, body, String(h["x-hub-signature-256"])),
      plane: (secret, body, h) => verifyPlaneWebhook(secret, body, String(h["x-plane-signature"])),
    };
    try {
      for (const platform of ["clickup", "github", "plane"] as const) {
        const reg = sb.registerWebhook(platform, `${receiver.url}/${platform}`);
        const item = sb.truth.items[platform].find((i) => i.deletedAt === null && i.closedAt === null && i.kind !== "pull_request")!;
        const before = receiver.received.length;
        sb.control.mutate({ platform, id: item.id, container: item.container, status: "done" });
        await sb.control.webhooksIdle();
        const got = receiver.received.slice(before);
        expect(got.length, `${platform} deliveries`).toBeGreaterThan(0);
        for (const d of got) {
          expect(verify[platform](sb.webhookSecrets[platform], d.body, d.headers)).toBe(true);
          const altered = Buffer.from(d.body);
          altered[0]! ^= 1;
          expect(verify[platform](sb.webhookSecrets[platform], altered, d.headers)).toBe(false);
        }
        expect(sb.control.webhooks(platform).deliveries.every((a) => a.ok)).toBe(true);
        sb.control.removeWebhook(reg.id);
      }
    } finally {
      await receiver.close();
    }
  });

  it("writes a product config pointing at the sandbox", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pmo-sandbox-config-"));
    try {
      await writeSandboxConfig(dir, sb, { projectId: "demo" });
      // Read back through the product's own loaders: the files must pass its schemas.
      const { projects } = await loadConfigFile(dir, ConfigFiles.projects);
      expect(projects.demo!.github!.repos).toEqual(sb.truth.github.repos.map((r) => r.fullName));
      expect(projects.demo!.plane!.workspace).toBe(sb.truth.plane.workspaceSlug);
      expect(projects.demo!.clickup!.listIds).toHaveLength(sb.truth.clickup.lists.length);
      const credential = { clickup: sb.credentials.clickupToken, github: sb.credentials.githubToken, plane: sb.credentials.planeApiKey };
      for (const platform of ["clickup", "github", "plane"] as const) {
        const cfg = await loadConfigFile(dir, ConfigFiles[platform]);
        expect(cfg.baseUrl).toBe(sb.urls[platform]);
        expect(cfg.webhookSecret).toBe(sb.webhookSecrets[platform]);
        expect(cfg.token).toBe(credential[platform]);
        expect(Object.keys(cfg.rateLimit).length).toBe(1);
      }
      expect((await loadConfigFile(dir, ConfigFiles.workflow)).retry.attempts).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

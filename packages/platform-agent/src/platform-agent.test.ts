import { createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { PlatformEvent } from "@pmo/contracts";
import type { RunningService } from "@pmo/runtime";
import { makeConfig } from "../../../test/harness/config-fixture.js";
import { startNatsServer, type NatsServer } from "../../../test/harness/nats-server.js";
import { runPmo } from "../../../test/harness/pmo-cli.js";
import { startPlatformAgent, type PlatformAgentDefinition } from "./platform-agent.js";
import { constantTimeEqual } from "./webhook-receiver.js";

const definition = (withRegistration: boolean): PlatformAgentDefinition => ({
  platform: "github",
  defaultQuota: { limit: 5_000, windowMs: 3_600_000 },
  webhook: {
    signatureHeader: "X-Hub-Signature-256",
    verify: (raw, h, secret) => constantTimeEqual(String(h["x-hub-signature-256"]), `sha256=${createHmac("sha256", secret).update(raw).digest("hex")}`),
    normalise: (_p, h, at): PlatformEvent[] => [{ id: String(h["x-github-delivery"]), platform: "github", type: "item.updated", itemRef: { platform: "github", id: "1" }, at: at.toISOString(), actor: null, changes: [] }],
  },
  handlers: (env) => ({ verify: async () => ({ output: { baseUrl: env.config.baseUrl, tokenSet: env.token.length > 0 } }) }),
  ...(withRegistration ? { registerWebhook: async (_env, req) => ({ message: `registered ${req.url}`, data: { id: 7 } }) } : {}),
});

const pmo = runPmo;

describe("startPlatformAgent", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let dirs: ReturnType<typeof makeConfig>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    dirs = makeConfig();
    writeFileSync(join(dirs.configDir, "github-config.json"), JSON.stringify({ baseUrl: "http://127.0.0.1:9/api/v3", tokenEnv: "TEST_GH_TOKEN", webhookSecretEnv: "TEST_GH_SECRET" }));
    env = { NATS_URL: server.url, PMO_CONFIG_DIR: dirs.configDir, PMO_WORKSPACE_DIR: dirs.workspaceDir, LOG_LEVEL: "silent", PMO_HTTP_PORT: "0" };
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it("refuses to start without a credential, naming the variable", async () => {
    await expect(startPlatformAgent(definition(true), { env, installSignalHandlers: false })).rejects.toThrow(/no credential: set TEST_GH_TOKEN/);
  });

  it("serves the webhook route on the service port and answers pmo webhooks register", async () => {
    let agent: RunningService | null = await startPlatformAgent(definition(true), { env: { ...env, TEST_GH_TOKEN: "ghp_x", TEST_GH_SECRET: "hush" }, installSignalHandlers: false });
    try {
      const body = JSON.stringify({ action: "edited" });
      const res = await fetch(`http://127.0.0.1:${agent.kit.httpPort}/webhooks/github`, {
        method: "POST",
        body,
        headers: { "x-hub-signature-256": `sha256=${createHmac("sha256", "hush").update(body).digest("hex")}`, "x-github-delivery": "abc" },
      });
      expect(res.status).toBe(200);
      const ok = await pmo(["webhooks", "register", "--platform", "github", "--url", "https://pmo.example.com/webhooks/github"], { NATS_URL: server.url });
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain("registered https://pmo.example.com/webhooks/github");
      const bad = await pmo(["webhooks", "register", "--platform", "github", "--url", "not a url"], { NATS_URL: server.url });
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/bad request: url:/);
      await agent.stop();
      agent = await startPlatformAgent(definition(false), { env: { ...env, TEST_GH_TOKEN: "ghp_x", TEST_GH_SECRET: "hush" }, installSignalHandlers: false });
      const none = await pmo(["webhooks", "register", "--platform", "github", "--url", "https://pmo.example.com/webhooks/github"], { NATS_URL: server.url });
      expect(none.code).toBe(1);
      expect(none.stdout).toMatch(/github has no API to register webhooks: create one in its web app/);
    } finally {
      await agent?.stop();
    }
    const down = await pmo(["webhooks", "register", "--platform", "github", "--url", "https://x.test/h"], { NATS_URL: server.url });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/no github-agent is running/);
  });
});

import { describe, expect, it } from "vitest";
import type { AgentEnvironment } from "@pmo/platform-agent";
import type { GitHubClient } from "./github-client.js";
import { registerGitHubWebhooks } from "./webhook-registration.js";

describe("registerGitHubWebhooks", () => {
  it("refuses, naming the secret's variable, before calling GitHub when no webhook secret is configured", async () => {
    const calls: string[] = [];
    const client = { all: async (route: string) => (calls.push(route), []), send: async (route: string) => (calls.push(route), { id: 1 }) } as unknown as GitHubClient;
    const env = { webhookSecret: undefined, config: { webhookSecretEnv: "GITHUB_WEBHOOK_SECRET" }, projects: { projects: { web: { name: "w", github: { repos: ["acme/api"] } } } } } as unknown as AgentEnvironment;
    await expect(registerGitHubWebhooks(env, client, { url: "https://pmo.example/webhooks/github" })).rejects.toThrow(/GITHUB_WEBHOOK_SECRET/);
    expect(calls).toEqual([]);
  });
});

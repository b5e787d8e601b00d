import { JobOp } from "@pmo/contracts";
import type { PlatformAgentDefinition } from "@pmo/platform-agent";
import { collectJob } from "./collect-job.js";
import { GitHubClient } from "./github-client.js";
import { manageJob } from "./manage-job.js";
import { githubSettings } from "./settings.js";
import { verifyJob } from "./verify-job.js";
import { githubWebhook } from "./webhook.js";

/** github-agent: GitHub REST (api.github.com or GitHub Enterprise `/api/v3`) through @octokit/rest. */
export const githubAgent: PlatformAgentDefinition = {
  platform: "github",
  // Authenticated users get 5,000 requests an hour (the headers correct it for apps and GHES).
  defaultQuota: { limit: 5_000, windowMs: 3_600_000 },
  webhook: githubWebhook,
  handlers(env) {
    const settings = githubSettings(env.config);
    const client = new GitHubClient({ baseUrl: env.config.baseUrl, token: env.token, budget: env.budget, metrics: env.metrics, settings });
    return {
      [JobOp.Verify]: verifyJob(env, client),
      [JobOp.Collect]: collectJob(env, client, settings),
      [JobOp.Manage]: manageJob(env, client, settings),
    };
  },
};

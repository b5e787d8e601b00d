import { JobOp } from "@pmo/contracts";
import type { AgentEnvironment, PlatformAgentDefinition } from "@pmo/platform-agent";
import { GitHubChangePoller } from "./change-poller.js";
import { collectJob } from "./collect-job.js";
import { GitHubClient } from "./github-client.js";
import { manageJob } from "./manage-job.js";
import { githubSettings, type GitHubSettings } from "./settings.js";
import { verifyJob } from "./verify-job.js";
import { registerGitHubWebhooks } from "./webhook-registration.js";
import { githubWebhook } from "./webhook.js";

/** github-agent: GitHub REST (api.github.com or GitHub Enterprise `/api/v3`) through @octokit/rest. */
export const githubAgent: PlatformAgentDefinition = {
  platform: "github",
  // Authenticated users get 5,000 requests an hour (the headers correct it for apps and GHES).
  defaultQuota: { limit: 5_000, windowMs: 3_600_000 },
  webhook: githubWebhook,
  handlers(env) {
    const settings = githubSettings(env.config);
    const client = clientFor(env, settings);
    return {
      [JobOp.Verify]: verifyJob(env, client),
      [JobOp.Collect]: collectJob(env, client, settings),
      [JobOp.Manage]: manageJob(env, client, settings),
    };
  },
  pollChanges(env, since, signal) {
    const poller = pollers.get(env) ?? pollers.set(env, GitHubChangePoller.forProjects(clientFor(env, githubSettings(env.config)), env)).get(env)!;
    return poller.poll(since, signal);
  },
  registerWebhook(env, request) {
    return registerGitHubWebhooks(env, clientFor(env, githubSettings(env.config)), request);
  },
};

/** One change poller per agent environment: it keeps its ETags between polls. */
const pollers = new WeakMap<AgentEnvironment, GitHubChangePoller>();

/** One client (one connection pool) per agent environment, shared by jobs, the poller and registrations. */
const clients = new WeakMap<AgentEnvironment, GitHubClient>();

function clientFor(env: AgentEnvironment, settings: GitHubSettings): GitHubClient {
  let client = clients.get(env);
  if (!client) clients.set(env, (client = new GitHubClient({ baseUrl: env.config.baseUrl, token: env.token, budget: env.budget, metrics: env.metrics, settings, timeoutMs: env.config.timeoutMs })));
  return client;
}

import type { WebhookRegisterRequest } from "@pmo/contracts";
import { credentialId, type AgentEnvironment } from "@pmo/platform-agent";
import { configuredRepos } from "./containers.js";
import type { GitHubClient } from "./github-client.js";

/** The deliveries the agent normalises (webhook.ts); anything else would be acknowledged and dropped. */
export const HOOK_EVENTS = ["issues", "issue_comment", "pull_request"] as const;

interface RepoHook {
  id: number;
  active: boolean;
  events: string[];
  config: { url?: string; content_type?: string; insecure_ssl?: string };
}

/** What registration left on one repo. */
export interface HookOutcome {
  repo: string;
  id: number;
  outcome: "created" | "updated" | "unchanged";
}

/**
 * What the agent remembers of a hook it configured (KV `pmo_cursors`, `github.webhook:<repo>`).
 * GitHub never returns a secret (the hook's config shows `"secret": "********"`), so the secret on a
 * hook cannot be compared with ours; a digest of the one the agent itself last wrote to that hook id
 * is the only evidence that the hook verifies with the current secret.
 */
interface HookRecord {
  hookId: number;
  secretDigest: string;
}

const recordKey = (repo: string) => `webhook:${repo}`;

/**
 * `pmo webhooks register --platform github`: one hook per repo pointing at `url`. A hook already
 * pointing there is reused and updated in place (PATCH), never duplicated: two hooks on one URL
 * would deliver every change twice.
 */
export async function registerGitHubWebhooks(env: AgentEnvironment, client: GitHubClient, request: WebhookRegisterRequest): Promise<{ message: string; data: HookOutcome[] }> {
  const secret = env.webhookSecret;
  if (!secret) {
    throw new Error(
      `github: no webhook secret is configured: set ${env.config.webhookSecretEnv ?? "webhookSecretEnv"} (or "webhookSecret" in github-config.json) first; the agent refuses unsigned deliveries, so a hook without a secret would never be accepted`,
    );
  }
  const repos = request.containers?.length ? request.containers : configuredRepos(env);
  if (repos.length === 0) throw new Error('github: no repos to register: none configured in projects.json ("github.repos") and none given with --containers');
  const digest = credentialId(secret);
  const outcomes: HookOutcome[] = [];
  for (const repo of repos) outcomes.push(await registerOnRepo(env, client, repo, request.url, digest, secret));
  const counts = (o: HookOutcome["outcome"]) => outcomes.filter((x) => x.outcome === o).length;
  env.log.info({ url: request.url, outcomes }, "github webhooks registered");
  return { message: `github webhook ${request.url}: ${counts("created")} created, ${counts("updated")} updated, ${counts("unchanged")} unchanged (${repos.length} repos)`, data: outcomes };
}

async function registerOnRepo(env: AgentEnvironment, client: GitHubClient, repo: string, url: string, digest: string, secret: string): Promise<HookOutcome> {
  const [owner, name] = repo.split("/");
  if (!owner || !name) throw new Error(`github: "${repo}" is not "owner/repo"`);
  const config = { url, content_type: "json", secret, insecure_ssl: "0" };
  const hooks = await client.all<RepoHook>("GET /repos/{owner}/{repo}/hooks", { owner, repo: name });
  const existing = hooks.find((h) => h.config.url === url);
  const remember = (hookId: number) => env.cursors.set(recordKey(repo), { hookId, secretDigest: digest } satisfies HookRecord);
  if (!existing) {
    const created = await client.send<{ id: number }>("POST /repos/{owner}/{repo}/hooks", { owner, repo: name, name: "web", config, events: [...HOOK_EVENTS], active: true });
    await remember(created.id);
    return { repo, id: created.id, outcome: "created" };
  }
  const record = (await env.cursors.get(recordKey(repo))) as HookRecord | null;
  if (isCurrent(existing, record, digest)) return { repo, id: existing.id, outcome: "unchanged" };
  // The PATCH always carries the whole config, secret included: a config replaces the stored one, and
  // "if you previously had a `secret` set, you must provide the same `secret` or set a new `secret`
  // or the secret will be removed" (GitHub's OpenAPI description, operation repos/update-webhook).
  // So the write that fixes the events also (re)sets the secret, and a hook whose events already
  // match is still written when the agent has no record of having set the current secret on it
  // (made by hand, KV lost, secret rotated): the secret cannot be read back to compare, and one write
  // per repo per registration run is cheap next to a hook whose every delivery the agent would
  // reject. `events` replaces the list: the URL is the agent's, which drops any other event anyway.
  await client.send("PATCH /repos/{owner}/{repo}/hooks/{hook_id}", { owner, repo: name, hook_id: existing.id, config, events: [...HOOK_EVENTS], active: true });
  await remember(existing.id);
  return { repo, id: existing.id, outcome: "updated" };
}

/**
 * The hook already delivers what the agent follows, as JSON, signed with the current secret, as far
 * as the agent can know: a secret changed in GitHub's settings behind its back goes unseen here
 * (deliveries then fail the agent's signature check, which logs them; deleting the record
 * `github.webhook:<repo>` makes the next registration rewrite the secret).
 */
function isCurrent(hook: RepoHook, record: HookRecord | null, digest: string): boolean {
  const events = new Set(hook.events);
  return (
    hook.active &&
    hook.config.content_type === "json" &&
    hook.config.insecure_ssl === "0" &&
    HOOK_EVENTS.every((e) => events.has(e) || events.has("*")) &&
    record?.hookId === hook.id &&
    record.secretDigest === digest
  );
}

import { PlatformHttpError, toJobFailure, type AgentEnvironment } from "@pmo/platform-agent";
import { JobFailure, type JobHandler } from "@pmo/runtime";
import { reposOf } from "./containers.js";
import type { GitHubClient } from "./github-client.js";
import { split } from "./repo-collector.js";
import type { GhRepo, GhUser } from "./wire.js";

/**
 * `verify`: the credential first (GET /user: 401 = bad token, failed at once, never retried), then
 * every configured repository (404 = missing or invisible to this token; GitHub hides private repos
 * behind 404). All unreachable repositories are named in one message.
 */
export function verifyJob(env: AgentEnvironment, client: GitHubClient): JobHandler {
  return async (ctx) => {
    const input = ctx.job.input as { containers: { repos?: string[] } | null };
    const repos = reposOf(input.containers);
    let login: string;
    try {
      login = (await client.get<GhUser>("GET /user", {}, { signal: ctx.signal })).data!.login;
    } catch (err) {
      throw toJobFailure(err, { credentialEnv: env.credentialEnv });
    }
    const missing: string[] = [];
    const forbidden: string[] = [];
    for (const repo of repos) {
      try {
        const r = (await client.get<GhRepo>("GET /repos/{owner}/{repo}", split(repo), { signal: ctx.signal })).data!;
        if (r.permissions && r.permissions.pull === false) forbidden.push(repo);
      } catch (err) {
        if (err instanceof PlatformHttpError && err.status === 404) missing.push(repo);
        else if (err instanceof PlatformHttpError && err.status === 403 && !err.recoverable) forbidden.push(repo);
        else throw toJobFailure(err, { credentialEnv: env.credentialEnv, container: `repository ${repo}` });
      }
    }
    if (missing.length) throw JobFailure.nonRetryable(`github: repository ${missing.join(", ")} not found or not visible to the token in ${env.credentialEnv} (404): check config/projects.json`, "container_not_found", { repos: missing });
    if (forbidden.length) throw JobFailure.nonRetryable(`github: the token in ${env.credentialEnv} may not read ${forbidden.join(", ")} (403)`, "forbidden", { repos: forbidden });
    return { output: { credential: "valid", login, containers: "reachable", repos } };
  };
}

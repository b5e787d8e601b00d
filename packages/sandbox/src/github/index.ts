/**
 * GitHub REST emulator: `createGitHubDialect(ctx, options)` hands the kit the routes, auth, error
 * bodies and webhook rendering of api.github.com (prefix "") or GitHub Enterprise Server ("/api/v3").
 */
import type { PlatformDialect, SandboxContext, SandboxResponse } from "../kit/types.js";
import { identifyCaller } from "./auth.js";
import { badCredentials, notFound, problemsParsingJson, serverError } from "./errors.js";
import { HookRegistry } from "./hook-registry.js";
import { IssueWriter } from "./issue-writes.js";
import { type Links, PUBLIC_GITHUB_LINKS } from "./links.js";
import { GitHubPipeline } from "./pipeline.js";
import { DEFAULT_CONTENT_CREATING_PER_MINUTE, DEFAULT_PRIMARY_LIMIT, GitHubQuota, type RateLimitOptions, type SecondaryLimitOptions } from "./rate-limit.js";
import { GitHubIndex } from "./repo-index.js";
import { accountRoutes } from "./routes-account.js";
import { commentRoutes } from "./routes-comments.js";
import { dependencyRoutes } from "./routes-dependencies.js";
import { historyRoutes } from "./routes-history.js";
import { hookRoutes } from "./routes-hooks.js";
import { issueRoutes } from "./routes-issues.js";
import { pullRoutes } from "./routes-pulls.js";
import { repoRoutes } from "./routes-repo.js";
import { renderGitHubWebhook } from "./webhook-view.js";

export interface GitHubDialectOptions {
  /** The one valid token (sent as `token X` or `Bearer X`). */
  token: string;
  /** "" for api.github.com, "/api/v3" for GitHub Enterprise Server. */
  prefix: "" | "/api/v3";
  rateLimit?: RateLimitOptions;
  secondaryLimit?: SecondaryLimitOptions;
  /** Person.key of the token's owner. @default the first person of the truth */
  viewer?: string;
}

export interface GitHubDialect extends PlatformDialect {
  /** Forget all spent quota (control API reset). */
  resetLimits(): void;
}

export function createGitHubDialect(ctx: SandboxContext, options: GitHubDialectOptions): GitHubDialect {
  const index = new GitHubIndex(ctx);
  const writer = new IssueWriter(ctx, index);
  const hooks = new HookRegistry(ctx);
  const quota = new GitHubQuota(
    ctx,
    options.rateLimit?.limit ?? DEFAULT_PRIMARY_LIMIT,
    options.secondaryLimit?.contentCreatingPerMinute ?? DEFAULT_CONTENT_CREATING_PER_MINUTE,
  );
  let lastLinks: Links = PUBLIC_GITHUB_LINKS;
  const pipeline = new GitHubPipeline({
    ctx,
    index,
    prefix: options.prefix,
    token: options.token,
    exhaustedStatus: options.rateLimit?.exhaustedStatus ?? 403,
    viewerKey: options.viewer,
    quota,
    onLinks: (links) => {
      lastLinks = links;
    },
  });
  const routes = pipeline.toRoutes([
    ...repoRoutes,
    ...issueRoutes(writer),
    ...commentRoutes(writer),
    ...historyRoutes,
    ...dependencyRoutes,
    ...pullRoutes,
    ...hookRoutes(hooks),
    ...accountRoutes,
  ]);

  return {
    platform: "github",
    prefix: options.prefix,
    routes,
    authenticate: (req) => pipeline.rejectBadCredentials(req),
    errorResponse(kind, req): SandboxResponse {
      const caller = identifyCaller(req.headers, options.token);
      const quota = pipeline.quota(caller, false);
      switch (kind) {
        case "not_found":
          return pipeline.decorate(notFound(), quota);
        case "bad_json":
          return pipeline.decorate(problemsParsingJson(), quota);
        case "server_error":
          return pipeline.decorate(serverError(), quota);
        case "rate_limited":
          return pipeline.primaryExhausted(caller, quota);
        case "expired_token":
          return pipeline.decorate(badCredentials(), quota);
      }
    },
    renderWebhook: (change, registration) => (hooks.delivers(registration) ? renderGitHubWebhook(change, registration, lastLinks, index) : null),
    itemMutated: () => index.invalidateOrderings(),
    rateLimitStatus: () => ({ core: { token: quota.peek("token"), anonymous: quota.peek("anonymous") } }),
    resetLimits() {
      quota.reset();
    },
  };
}

export { signGitHubWebhook, signGitHubWebhookSha1, verifyGitHubWebhook } from "./signature.js";
export type { RateLimitOptions, SecondaryLimitOptions } from "./rate-limit.js";

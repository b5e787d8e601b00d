/** The caller's own account (GET /user) and quota (GET /rate_limit, which spends nothing). */
import type { GitHubRoute } from "./pipeline.js";
import { DOCS, requiresAuthentication } from "./errors.js";
import { ok } from "./respond.js";
import { renderViewer } from "./user-view.js";

/** Fixed budgets of the resources this emulator does not serve, as GitHub reports them for a token. */
const OTHER_RESOURCES = { search: 30, graphql: 5000, code_search: 10, integration_manifest: 5000 } as const;

export const accountRoutes: GitHubRoute[] = [
  {
    method: "GET",
    path: "/user",
    repo: false,
    cost: "read",
    handle(_req, scope) {
      if (!scope.viewer) return requiresAuthentication(DOCS.getUser);
      const memberSince = scope.viewer.githubId > 0 ? Date.UTC(2015, 0, 1) + (scope.viewer.githubId % 1000) * 86_400_000 : Date.UTC(2015, 0, 1);
      return ok(renderViewer(scope.links, scope.viewer, memberSince));
    },
  },
  {
    method: "GET",
    path: "/rate_limit",
    repo: false,
    cost: "free",
    handle(_req, scope) {
      const reset = Math.ceil(scope.quota.resetMs / 1000);
      const core = { limit: scope.quota.limit, used: scope.quota.used, remaining: scope.quota.remaining, reset };
      const resources: Record<string, typeof core> = { core };
      for (const [name, limit] of Object.entries(OTHER_RESOURCES)) resources[name] = { limit, used: 0, remaining: limit, reset };
      return ok({ resources, rate: core });
    },
  },
];

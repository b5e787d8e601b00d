/**
 * Issue dependencies, read side (GH-OAS 23.0.1: issues/list-dependencies-blocked-by and
 * issues/list-dependencies-blocking): bare `issue[]` pages with a `link` header, 404 for an unknown
 * number, 410 for a deleted one.
 */
import type { GitHubRoute } from "./pipeline.js";
import { DOCS } from "./errors.js";
import { renderIssue } from "./issue-view.js";
import { itemFromPath, pagedList } from "./respond.js";

export const dependencyRoutes: GitHubRoute[] = [
  {
    method: "GET",
    path: "/issues/:issue_number/dependencies/blocked_by",
    repo: true,
    cost: "read",
    handle(req, scope) {
      const item = itemFromPath(req, scope, "issue_number", DOCS.listBlockedBy);
      return pagedList(req, scope, scope.catalog.dependencies().blockersOf(item), (blocker) => renderIssue(scope.catalog, blocker));
    },
  },
  {
    method: "GET",
    path: "/issues/:issue_number/dependencies/blocking",
    repo: true,
    cost: "read",
    handle(req, scope) {
      const item = itemFromPath(req, scope, "issue_number", DOCS.listBlocking);
      return pagedList(req, scope, scope.catalog.dependencies().waitingOn(item), (waiter) => renderIssue(scope.catalog, waiter));
    },
  },
];

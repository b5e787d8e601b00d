/**
 * Issue dependencies, read side (GH-OAS 23.0.1: issues/list-dependencies-blocked-by and
 * issues/list-dependencies-blocking): bare `issue[]` pages with a `link` header, 404 for an unknown
 * number, 410 for a deleted one.
 */
import type { TruthItem } from "../truth/model.js";
import type { RepoDependencies } from "./dependencies.js";
import type { GitHubRoute } from "./pipeline.js";
import { DOCS } from "./errors.js";
import { renderIssue } from "./issue-view.js";
import { itemFromPath, pagedList } from "./respond.js";

export const dependencyRoutes: GitHubRoute[] = [
  dependencyList("blocked_by", DOCS.listBlockedBy, (deps, item) => deps.blockersOf(item)),
  dependencyList("blocking", DOCS.listBlocking, (deps, item) => deps.waitingOn(item)),
];

/** `GET …/issues/{n}/dependencies/<which>`: the related issues, paginated like every GitHub list. */
function dependencyList(which: string, docs: string, related: (deps: RepoDependencies, item: TruthItem) => TruthItem[]): GitHubRoute {
  return {
    method: "GET",
    path: `/issues/:issue_number/dependencies/${which}`,
    repo: true,
    cost: "read",
    handle(req, scope) {
      const item = itemFromPath(req, scope, "issue_number", docs);
      return pagedList(req, scope, related(scope.catalog.dependencies(), item), (other) => renderIssue(scope.catalog, other));
    },
  };
}

/** Pull requests: list (state, head, base, sort, direction), get, and reviews. */
import type { TruthItem } from "../truth/model.js";
import type { GitHubRoute } from "./pipeline.js";
import { DOCS, GitHubHttpError, notFound, validationFailed, type ValidationProblem } from "./errors.js";
import { type Direction, orderItems } from "./issue-query.js";
import { issueState } from "./issue-state.js";
import { renderPull, renderPullSimple, renderReview } from "./pull-view.js";
import { itemFromPath, ok, pagedList } from "./respond.js";

const LIST_DOC = "https://docs.github.com/rest/pulls/pulls#list-pull-requests";
const REVIEWS_DOC = "https://docs.github.com/rest/pulls/reviews#list-reviews-for-a-pull-request";

type PullSort = "created" | "updated" | "popularity" | "long-running";

/** popularity = comment count; long-running = age (GitHub also drops recently updated PRs; not emulated). */
const PULL_SORT_KEYS: Record<PullSort, (item: TruthItem) => number> = {
  created: (i) => i.createdAt,
  updated: (i) => i.updatedAt,
  popularity: (i) => i.comments.length,
  "long-running": (i) => -i.createdAt,
};

function parsePullQuery(query: URLSearchParams) {
  const problems: ValidationProblem[] = [];
  const state = query.get("state") || "open";
  if (!["open", "closed", "all"].includes(state)) problems.push({ resource: "PullRequest", code: "invalid", field: "state" });
  const sort = (query.get("sort") || "created") as PullSort;
  if (!(sort in PULL_SORT_KEYS)) problems.push({ resource: "PullRequest", code: "invalid", field: "sort" });
  // GitHub: desc when sort is created (or absent), otherwise asc.
  const direction = (query.get("direction") || (sort === "created" ? "desc" : "asc")) as Direction;
  if (direction !== "asc" && direction !== "desc") problems.push({ resource: "PullRequest", code: "invalid", field: "direction" });
  // head is "user:ref" (or just "ref"), base is a branch name.
  const head = query.get("head")?.split(":").pop() || null;
  const base = query.get("base") || null;
  return { state, sort, direction, head, base, problems };
}

function pullFromPath(...args: Parameters<typeof itemFromPath>): TruthItem {
  const item = itemFromPath(...args);
  if (item.kind !== "pull_request" || !item.pr) throw new GitHubHttpError(notFound(args[3]));
  return item;
}

export const pullRoutes: GitHubRoute[] = [
  {
    method: "GET",
    path: "/pulls",
    repo: true,
    cost: "read",
    handle(req, scope) {
      const q = parsePullQuery(req.query);
      if (q.problems.length > 0) return validationFailed(q.problems, LIST_DOC);
      const { index } = scope.catalog;
      const sorted = index.ordered(scope.repo, `pulls:${q.sort}:${q.direction}`, (items) => orderItems(items, PULL_SORT_KEYS[q.sort], q.direction));
      const pulls = sorted.filter(
        (i) =>
          i.pr !== null &&
          i.deletedAt === null &&
          (q.state === "all" || issueState(i) === q.state) &&
          (q.head === null || i.pr.headRef === q.head) &&
          (q.base === null || i.pr.baseRef === q.base),
      );
      return pagedList(req, scope, pulls, (i) => renderPullSimple(scope.catalog, i));
    },
  },
  {
    method: "GET",
    path: "/pulls/:pull_number",
    repo: true,
    cost: "read",
    handle(req, scope) {
      return ok(renderPull(scope.catalog, pullFromPath(req, scope, "pull_number", DOCS.getPull)));
    },
  },
  {
    method: "GET",
    path: "/pulls/:pull_number/reviews",
    repo: true,
    cost: "read",
    handle(req, scope) {
      const item = pullFromPath(req, scope, "pull_number", REVIEWS_DOC);
      return pagedList(req, scope, item.pr!.reviews, (r) => renderReview(scope.catalog, item, r));
    },
  },
];

/** The repository itself and its catalogues: labels, milestones (= sprints), assignable users. */
import type { GitHubRoute } from "./pipeline.js";
import { validationFailed } from "./errors.js";
import { renderLabel } from "./label-view.js";
import { milestoneState, renderMilestone } from "./milestone-view.js";
import { ok, pagedList } from "./respond.js";
import { renderUser } from "./user-view.js";

const MILESTONES_DOC = "https://docs.github.com/rest/issues/milestones#list-milestones";

export const repoRoutes: GitHubRoute[] = [
  {
    method: "GET",
    path: "",
    repo: true,
    cost: "read",
    handle(_req, scope) {
      return ok(scope.catalog.repository());
    },
  },
  {
    method: "GET",
    path: "/labels",
    repo: true,
    cost: "read",
    handle(req, scope) {
      return pagedList(req, scope, scope.catalog.index.truthNow.github.labels, (l) => renderLabel(scope.links, scope.repo, l));
    },
  },
  {
    method: "GET",
    path: "/milestones",
    repo: true,
    cost: "read",
    handle(req, scope) {
      const state = req.query.get("state") || "open";
      const sort = req.query.get("sort") || "due_on";
      const direction = req.query.get("direction") || "asc";
      const allowed = { state: ["open", "closed", "all"], sort: ["due_on", "completeness"], direction: ["asc", "desc"] };
      const given = { state, sort, direction };
      const invalid = (Object.keys(allowed) as (keyof typeof allowed)[]).filter((field) => !allowed[field].includes(given[field]));
      if (invalid.length > 0) return validationFailed(invalid.map((field) => ({ resource: "Milestone", code: "invalid", field })), MILESTONES_DOC);
      const completeness = (m: { openIssues: number; closedIssues: number }) => m.closedIssues / Math.max(1, m.openIssues + m.closedIssues);
      const milestones = scope.catalog
        .allMilestones()
        .filter((m) => state === "all" || milestoneState(m.sprint, scope.now) === state)
        .sort((a, b) => (direction === "asc" ? 1 : -1) * (sort === "due_on" ? a.sprint.endAt - b.sprint.endAt : completeness(a) - completeness(b) || a.number - b.number));
      return pagedList(req, scope, milestones, (m) => renderMilestone(scope.links, scope.repo, m));
    },
  },
  {
    method: "GET",
    path: "/assignees",
    repo: true,
    cost: "read",
    handle(req, scope) {
      // Every person of the project is a collaborator of every repo.
      return pagedList(req, scope, scope.catalog.index.truthNow.people, (p) => renderUser(scope.links, p));
    },
  },
];

/** Issue events and timeline (status history, labels, assignments, merges, review requests). */
import type { GitHubRoute } from "./pipeline.js";
import { renderIssueEvents, renderTimeline } from "./event-view.js";
import { itemFromPath, pagedList } from "./respond.js";

const EVENTS_DOC = "https://docs.github.com/rest/issues/events#list-issue-events";
const TIMELINE_DOC = "https://docs.github.com/rest/issues/timeline#list-timeline-events-for-an-issue";

export const historyRoutes: GitHubRoute[] = [
  {
    method: "GET",
    path: "/issues/:issue_number/events",
    repo: true,
    cost: "read",
    handle(req, scope) {
      const item = itemFromPath(req, scope, "issue_number", EVENTS_DOC);
      return pagedList(req, scope, renderIssueEvents(scope.catalog, item), (e) => e);
    },
  },
  {
    method: "GET",
    path: "/issues/:issue_number/timeline",
    repo: true,
    cost: "read",
    handle(req, scope) {
      const item = itemFromPath(req, scope, "issue_number", TIMELINE_DOC);
      return pagedList(req, scope, renderTimeline(scope.catalog, item), (e) => e);
    },
  },
];

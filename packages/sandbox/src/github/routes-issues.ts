/** Issues: list (PRs included), get, create (201 + Location), update (replace semantics). */
import type { GitHubRoute } from "./pipeline.js";
import type { IssueWriter } from "./issue-writes.js";
import { DOCS, validationFailed } from "./errors.js";
import { parseCreateIssue, parseUpdateIssue } from "./issue-input.js";
import { parseIssueFilter, selectIssues } from "./issue-query.js";
import { issueApiUrl, renderIssue } from "./issue-view.js";
import { itemFromPath, ok, pagedList } from "./respond.js";

export function issueRoutes(writer: IssueWriter): GitHubRoute[] {
  return [
    {
      method: "GET",
      path: "/issues",
      repo: true,
      cost: "read",
      handle(req, scope) {
        const { filter, problems } = parseIssueFilter(req.query);
        if (problems.length > 0) return validationFailed(problems, DOCS.listIssues);
        const items = selectIssues(scope.catalog.index, scope.repo, filter);
        return pagedList(req, scope, items, (item) => renderIssue(scope.catalog, item));
      },
    },
    {
      method: "GET",
      path: "/issues/:issue_number",
      repo: true,
      cost: "read",
      handle(req, scope) {
        return ok(renderIssue(scope.catalog, itemFromPath(req, scope, "issue_number", DOCS.getIssue), true));
      },
    },
    {
      method: "POST",
      path: "/issues",
      repo: true,
      cost: "create",
      handle(req, scope) {
        const fields = parseCreateIssue(req.json(), scope.catalog.index, DOCS.createIssue);
        const item = writer.create(scope.repo, fields, scope.viewer);
        return ok(renderIssue(scope.catalog, item, true), 201, { location: issueApiUrl(scope.catalog, item.seq) });
      },
    },
    {
      method: "PATCH",
      path: "/issues/:issue_number",
      repo: true,
      cost: "write",
      handle(req, scope) {
        const item = itemFromPath(req, scope, "issue_number", DOCS.updateIssue);
        writer.update(item, parseUpdateIssue(req.json(), scope.catalog.index, DOCS.updateIssue), scope.viewer);
        return ok(renderIssue(scope.catalog, item, true));
      },
    },
  ];
}

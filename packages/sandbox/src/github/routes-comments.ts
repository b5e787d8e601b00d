/** Issue comments: list (with `since`) and create. */
import type { GitHubRoute } from "./pipeline.js";
import type { IssueWriter } from "./issue-writes.js";
import { renderComment } from "./comment-view.js";
import { DOCS, validationFailed } from "./errors.js";
import { parseCommentBody } from "./issue-input.js";
import { parseTimestamp } from "./issue-query.js";
import { itemFromPath, ok, pagedList } from "./respond.js";

const LIST_DOC = "https://docs.github.com/rest/issues/comments#list-issue-comments";

export function commentRoutes(writer: IssueWriter): GitHubRoute[] {
  return [
    {
      method: "GET",
      path: "/issues/:issue_number/comments",
      repo: true,
      cost: "read",
      handle(req, scope) {
        const item = itemFromPath(req, scope, "issue_number", LIST_DOC);
        const sinceRaw = req.query.get("since");
        const since = sinceRaw ? parseTimestamp(sinceRaw) : null;
        if (sinceRaw && since === null) return validationFailed([{ resource: "IssueComment", code: "invalid", field: "since" }], LIST_DOC);
        // "since" on comments means updated at or after; comments here are never edited, so updated = created.
        const comments = item.comments.filter((c) => since === null || Math.floor(c.at / 1000) * 1000 >= since);
        return pagedList(req, scope, comments, (c) => renderComment(scope.catalog, item, c));
      },
    },
    {
      method: "POST",
      path: "/issues/:issue_number/comments",
      repo: true,
      cost: "create",
      handle(req, scope) {
        const item = itemFromPath(req, scope, "issue_number", DOCS.createComment);
        const comment = writer.comment(item, parseCommentBody(req.json(), DOCS.createComment), scope.viewer);
        const rendered = renderComment(scope.catalog, item, comment);
        return ok(rendered, 201, { location: rendered.url });
      },
    },
  ];
}

/** Truth comment → GitHub `issue-comment`. */
import type { Comment, TruthItem } from "../truth/model.js";
import type { RepoCatalog } from "./catalog.js";
import { isoTime, nodeId, wireId } from "./ids.js";
import { issueApiUrl, itemHtmlUrl } from "./issue-view.js";
import { emptyReactions } from "./reactions-view.js";

export function renderComment(catalog: RepoCatalog, item: TruthItem, comment: Comment) {
  const id = wireId(comment.id);
  const url = `${catalog.links.api}/repos/${catalog.repo.fullName}/issues/comments/${id}`;
  return {
    url,
    html_url: `${itemHtmlUrl(catalog, item)}#issuecomment-${id}`,
    issue_url: issueApiUrl(catalog, item.seq),
    id,
    node_id: nodeId("IssueComment", id),
    user: catalog.user(comment.person),
    created_at: isoTime(comment.at),
    updated_at: isoTime(comment.at),
    author_association: "MEMBER",
    body: comment.body,
    reactions: emptyReactions(url),
    performed_via_github_app: null,
  };
}

/**
 * Task comments (CU-OAS GetTaskComments / CreateTaskComment): newest 25 first; the next 25 older
 * ones are fetched with `start` (the oldest comment's `date`) and `start_id` (its `id`).
 */
import type { ItemChange, Route } from "../kit/types.js";
import type { Comment, TruthItem } from "../truth/model.js";
import { addComment as addCommentToItem } from "../truth/mutate.js";
import { type ClickUpEnv, jsonObject, ok, requireTask } from "./env.js";
import { ClickUpApiError, invalidInput } from "./errors.js";
import { historyId } from "./webhook-view.js";

/** @default 25 comments per page (CU-OAS). */
export const COMMENTS_PER_PAGE = 25;

function newestFirst(comments: readonly Comment[]): Comment[] {
  return [...comments].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

function olderThan(sorted: Comment[], query: URLSearchParams): Comment[] {
  const start = query.get("start");
  if (start === null) return sorted;
  const startId = query.get("start_id");
  const at = sorted.findIndex((c) => c.id === startId);
  if (at >= 0) return sorted.slice(at + 1);
  const startMs = Number(start);
  return sorted.filter((c) => c.at < startMs);
}

export function commentRoutes(env: ClickUpEnv): Route[] {
  const commentView = (c: Comment) => ({
    id: c.id,
    comment: [{ text: c.body }],
    comment_text: c.body,
    user: env.store.user(c.person),
    resolved: false,
    assignee: null,
    assigned_by: null,
    reactions: [],
    date: String(c.at),
    reply_count: "0",
  });
  return [
    {
      method: "GET",
      pattern: "/task/:task_id/comment",
      handler: (req) => {
        const item = requireTask(env, req.params.task_id);
        const page = olderThan(newestFirst(item.comments), req.query).slice(0, COMMENTS_PER_PAGE);
        return ok({ comments: page.map(commentView) });
      },
    },
    {
      method: "POST",
      pattern: "/task/:task_id/comment",
      handler: (req) => {
        const item = requireTask(env, req.params.task_id);
        const body = jsonObject(req);
        if (typeof body.comment_text !== "string" || body.comment_text.trim() === "") {
          throw new ClickUpApiError(invalidInput("Comment text required", "INPUT_009"));
        }
        const { comment, change } = addComment(env, item, body.comment_text);
        // hist_id is the id of the comment's history item, the same one its webhook delivery carries.
        return ok({ id: comment.id, hist_id: historyId(change.id, 0), date: comment.at });
      },
    },
  ];
}

function addComment(env: ClickUpEnv, item: TruthItem, text: string): { comment: Comment; change: ItemChange } {
  const now = env.ctx.now();
  const comment: Comment = { id: env.store.nextNumericId("clickupComment"), person: env.actingUser, at: now, body: text };
  const before: Partial<TruthItem> = { comments: [...item.comments], updatedAt: item.updatedAt };
  addCommentToItem(item, comment);
  const change = env.ctx.emitChange({ platform: "clickup", kind: "comment_added", item, before, at: now, by: env.actingUser });
  return { comment, change };
}

/**
 * A work item's comments, activities (its status history) and relations, under `work-items/{id}/`
 * and the legacy `issues/{id}/`.
 */
import type { SandboxRequest } from "../kit/types.js";
import type { TruthItem } from "../truth/model.js";
import { addComment } from "../truth/mutate.js";
import { commentHtml } from "./comment-html.js";
import type { PlaneRoute } from "./endpoint.js";
import { PlaneErrors } from "./errors.js";
import { activityRows, renderActivity, renderComment } from "./history-view.js";
import { paginate } from "./paginate.js";
import { shapeOf } from "./query.js";
import { WORK_ITEM_SEGMENTS, bodyOf } from "./routes-work-items.js";
import type { PlaneStore } from "./store.js";
import { isoDateTime, isUuid, stableUuid, stripTags } from "./wire-format.js";

/** Keeps only the requested serializer fields (BaseSerializer `fields=`); expansion is not offered here. */
const pick = (json: Record<string, unknown>, fields: string[] | null) =>
  fields ? Object.fromEntries(Object.entries(json).filter(([key]) => fields.includes(key))) : json;

/** Orders rows by `created_at` (Plane's default for activities) or its reverse. */
const byTime = <T extends { at: number }>(rows: T[], orderBy: string): T[] =>
  [...rows].sort((a, b) => (orderBy.startsWith("-") ? b.at - a.at : a.at - b.at));

const RELATION_KEYS = ["blocking", "blocked_by", "duplicate", "relates_to", "start_after", "start_before", "finish_after", "finish_before"] as const;

export function workItemHistoryRoutes(store: PlaneStore): PlaneRoute[] {
  const itemOf = (req: SandboxRequest): TruthItem => {
    const item = store.workItem(req.params.project_id!, req.params.issue_id!);
    if (!item) throw PlaneErrors.resourceNotFound();
    return item;
  };

  return WORK_ITEM_SEGMENTS.flatMap((segment): PlaneRoute[] => {
    const base = `/workspaces/:slug/projects/:project_id/${segment}/:issue_id`;
    return [
      {
        // Comments list filters by issue id without fetching the issue: an unknown id gives an empty page.
        method: "GET",
        pattern: `${base}/comments/`,
        permission: "project",
        handle: (req) => {
          const item = store.workItem(req.params.project_id!, req.params.issue_id!);
          const comments = item ? byTime(item.comments.map((c) => ({ ...c })), req.query.get("order_by") ?? "-created_at") : [];
          const fields = shapeOf(req.query).fields;
          return { status: 200, body: paginate(req.query, comments, (c) => pick(renderComment(store, item!, c, commentHtml(store, item!, c)), fields)) };
        },
      },
      {
        method: "POST",
        pattern: `${base}/comments/`,
        permission: "project",
        handle: (req) => {
          const item = itemOf(req);
          const body = bodyOf(req);
          const html = typeof body.comment_html === "string" ? body.comment_html : "<p></p>";
          const at = store.ctx.now();
          const comment = { id: stableUuid("plane-comment", item.id, String(item.comments.length), String(at)), person: store.apiUserKey, at, body: stripTags(html) };
          store.writableExtras(item).commentHtml.set(comment.id, html);
          addComment(item, comment);
          store.ctx.emitChange({ platform: "plane", kind: "comment_added", item, before: {}, at, by: store.apiUserKey });
          return { status: 201, body: renderComment(store, item, comment, html) };
        },
      },
      {
        method: "GET",
        pattern: `${base}/activities/`,
        permission: "project",
        handle: (req) => {
          const item = itemOf(req);
          const rows = byTime(activityRows(store, item), req.query.get("order_by") ?? "created_at");
          const fields = shapeOf(req.query).fields;
          return { status: 200, body: paginate(req.query, rows, (row) => pick(renderActivity(store, item, row), fields)) };
        },
      },
      {
        method: "GET",
        pattern: `${base}/activities/:pk/`,
        permission: "project",
        handle: (req) => {
          const item = itemOf(req);
          const row = activityRows(store, item).find((r) => r.id === req.params.pk);
          // This view answers a miss with its own body rather than the usual `{"error": …}`.
          if (!row) return { status: 404, body: { message: "Activity not found.", code: "NOT_FOUND" } };
          return { status: 200, body: pick(renderActivity(store, item, row), shapeOf(req.query).fields) };
        },
      },
      {
        // Not paginated: one list per relation type of {project_id, issue_id}. The truth knows blocking only.
        method: "GET",
        pattern: `${base}/relations/`,
        permission: "project",
        handle: (req) => {
          const item = itemOf(req);
          const body: Record<string, { project_id: string; issue_id: string }[]> = Object.fromEntries(RELATION_KEYS.map((k) => [k, []]));
          const ref = (other: TruthItem) => ({ project_id: other.container, issue_id: other.id });
          body.blocking = store.blockedByThis(item).map(ref);
          body.blocked_by = item.blockedBy.flatMap((id) => {
            const blocker = store.liveItem(id);
            return blocker ? [ref(blocker)] : [];
          });
          return { status: 200, body };
        },
      },
      {
        method: "POST",
        pattern: `${base}/relations/`,
        permission: "project",
        handle: (req) => {
          const item = itemOf(req);
          const body = bodyOf(req);
          const type = String(body.relation_type ?? "");
          const ids = Array.isArray(body.issues) ? body.issues.map(String) : [];
          const errors: Record<string, string[]> = {};
          if (!RELATION_KEYS.includes(type as (typeof RELATION_KEYS)[number])) errors.relation_type = [`"${type}" is not a valid choice.`];
          if (ids.length === 0) errors.issues = ["This list may not be empty."];
          else if (!ids.every(isUuid)) errors.issues = ["Must be a valid UUID."];
          if (Object.keys(errors).length > 0) throw PlaneErrors.validation(errors);
          // The truth models blocking only; other relation types are accepted and not recorded.
          const at = store.ctx.now();
          const others = ids.flatMap((id) => store.liveItem(id) ?? []);
          for (const other of others) {
            const [blocked, blocker] = type === "blocked_by" ? [item, other] : type === "blocking" ? [other, item] : [null, null];
            if (!blocked || !blocker || blocked.blockedBy.includes(blocker.id)) continue;
            const before = { blockedBy: [...blocked.blockedBy] };
            blocked.blockedBy.push(blocker.id);
            blocked.updatedAt = Math.max(blocked.updatedAt, at);
            store.ctx.emitChange({ platform: "plane", kind: "updated", item: blocked, before, at, by: store.apiUserKey });
          }
          const state = (o: TruthItem) => store.stateFor(o.container, o.status)?.id ?? null;
          return {
            status: 201,
            body: others.map((o) => ({
              id: o.id, project_id: o.container, sequence_id: o.seq, relation_type: type === "blocking" ? "blocked_by" : type,
              name: o.title, state_id: state(o), priority: o.priority, created_by: store.apiUser.planeId,
              created_at: isoDateTime(at), updated_at: isoDateTime(at), updated_by: store.apiUser.planeId,
            })),
          };
        },
      },
    ];
  });
}

/**
 * What happened to a work item, as Plane's `activities/` and `comments/` endpoints show it.
 * State history comes from the truth's transitions, in the rows Plane's `issue_activities_task`
 * writes (`field: "state"`, state names as old/new values, state ids as old/new identifiers).
 */
import type { Comment, TruthItem } from "../truth/model.js";
import type { PlaneStore } from "./store.js";
import { asUuid, isoDateTime, stableUuid } from "./wire-format.js";

type Json = Record<string, unknown>;

/** One activity row before rendering; `at` orders them. */
export interface ActivityRow {
  id: string;
  at: number;
  by: string; // Person.key
  verb: string;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
  oldIdentifier: string | null;
  newIdentifier: string | null;
  comment: string;
}

export function activityRows(store: PlaneStore, item: TruthItem): ActivityRow[] {
  const rows: ActivityRow[] = [];
  item.transitions.forEach((transition, index) => {
    if (transition.from === null) {
      rows.push({
        id: stableUuid("plane-activity", item.id, String(index)),
        at: transition.at,
        by: transition.by,
        verb: "created",
        field: null,
        oldValue: null,
        newValue: null,
        oldIdentifier: null,
        newIdentifier: null,
        comment: "created the issue",
      });
      return;
    }
    const from = store.stateFor(item.container, transition.from);
    const to = store.stateFor(item.container, transition.to);
    rows.push({
      id: stableUuid("plane-activity", item.id, String(index)),
      at: transition.at,
      by: transition.by,
      verb: "updated",
      field: "state",
      oldValue: from?.name ?? null,
      newValue: to?.name ?? null,
      oldIdentifier: from?.id ?? null,
      newIdentifier: to?.id ?? null,
      comment: "updated the state to",
    });
  });
  for (const recorded of store.extras(item).activities) {
    rows.push({ ...recorded, oldIdentifier: null, newIdentifier: null });
  }
  return rows;
}

/** `IssueActivitySerializer` (all model fields but created_by/updated_by). */
export function renderActivity(store: PlaneStore, item: TruthItem, row: ActivityRow): Json {
  const at = isoDateTime(row.at);
  return {
    id: row.id,
    created_at: at,
    updated_at: at,
    deleted_at: null,
    verb: row.verb,
    field: row.field,
    old_value: row.oldValue,
    new_value: row.newValue,
    comment: row.comment,
    attachments: [],
    old_identifier: row.oldIdentifier,
    new_identifier: row.newIdentifier,
    // IssueActivity.epoch is a FloatField holding `int(timezone.now().timestamp())`.
    epoch: Math.floor(row.at / 1000),
    project: item.container,
    workspace: store.workspaceId,
    issue: item.id,
    issue_comment: null,
    actor: store.person(row.by)?.planeId ?? null,
  };
}

/** `IssueCommentSerializer` (excludes comment_stripped/comment_json; adds the `is_member` annotation). */
export function renderComment(store: PlaneStore, item: TruthItem, comment: Comment, commentHtml: string): Json {
  const at = isoDateTime(comment.at);
  const author = store.person(comment.person)?.planeId ?? null;
  return {
    id: asUuid("plane-comment", comment.id),
    is_member: true,
    created_at: at,
    updated_at: at,
    deleted_at: null,
    comment_html: commentHtml,
    attachments: [],
    access: "INTERNAL",
    external_source: null,
    external_id: null,
    edited_at: null,
    created_by: author,
    updated_by: null,
    project: item.container,
    workspace: store.workspaceId,
    description: null,
    issue: item.id,
    actor: author,
    parent: null,
  };
}

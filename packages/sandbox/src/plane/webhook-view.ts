/**
 * Plane's v1 webhook deliveries (reference §3.8a, `bgtasks/webhook_task.py`), the format of the
 * Community Edition source: headers `X-Plane-Delivery`, `X-Plane-Event`, `X-Plane-Signature`, body
 * `{event, action, webhook_id, workspace_id, data, activity}` rendered as Python's `json.dumps`.
 *
 * Plane CE v1 has no public API to register webhooks (they are created in the web app's workspace
 * settings); sandbox registrations come from the kit's control API / `ctx.webhooks`, with
 * `events` = ["issue", "issue_comment", …] or ["*"] and `scope` = a project id or null (whole workspace).
 */
import type { ItemChange, WebhookDelivery, WebhookRegistration } from "../kit/types.js";
import type { TruthItem } from "../truth/model.js";
import { countByGroup, renderCycle, renderModule, renderStateLite, renderUserLite } from "./catalog-view.js";
import { renderComment } from "./history-view.js";
import { pythonJsonDumps } from "./python-json.js";
import { signPlaneWebhook } from "./signature.js";
import type { PlaneStore } from "./store.js";
import { PLANE_FLOAT_FIELDS, stableUuid, stripTags } from "./wire-format.js";
import { workItemFields } from "./work-item-view.js";
import { commentHtml } from "./comment-html.js";

type Json = Record<string, unknown>;

/** Which `Issue` field Plane names in `activity.field` for a changed TruthItem field. */
const PLANE_FIELD: Partial<Record<keyof TruthItem, string>> = {
  status: "state",
  title: "name",
  description: "description_html",
  priority: "priority",
  assignees: "assignees",
  labels: "labels",
  dueAt: "target_date",
  estimatePoints: "estimate_point",
  parentId: "parent",
};

const COUNT_KEYS = ["total_issues", "cancelled_issues", "completed_issues", "started_issues", "unstarted_issues", "backlog_issues"];
const withoutCounts = (json: Json): Json => Object.fromEntries(Object.entries(json).filter(([key]) => !COUNT_KEYS.includes(key)));

/** `IssueExpandSerializer(context={"expand": ["labels", "assignees"]})`: what `data` holds for issues. */
function expandedIssue(store: PlaneStore, item: TruthItem): Json {
  const flat = workItemFields(store, item);
  const cycle = store.cycleOf(item);
  const module = store.moduleOf(item);
  const state = store.stateFor(item.container, item.status);
  const html = String(flat.description_html);
  return {
    id: item.id,
    cycle: cycle ? withoutCounts(renderCycle(store, cycle, countByGroup([]))) : null,
    module: module ? withoutCounts(renderModule(store, module, countByGroup([]))) : null,
    labels: store.labelIdsOf(item).flatMap((id) => {
      const label = store.label(id);
      return label ? [{ id: label.id, name: label.name, color: label.color }] : [];
    }),
    assignees: item.assignees.flatMap((key) => {
      const person = store.person(key);
      return person ? [renderUserLite(person)] : [];
    }),
    state: state ? renderStateLite(state) : null,
    description: {},
    created_at: flat.created_at,
    updated_at: flat.updated_at,
    deleted_at: flat.deleted_at,
    point: flat.point,
    name: flat.name,
    description_json: {},
    description_html: html,
    description_stripped: stripTags(html),
    description_binary: null,
    priority: flat.priority,
    start_date: flat.start_date,
    target_date: flat.target_date,
    sequence_id: flat.sequence_id,
    sort_order: flat.sort_order,
    completed_at: flat.completed_at,
    archived_at: flat.archived_at,
    is_draft: flat.is_draft,
    external_source: flat.external_source,
    external_id: flat.external_id,
    created_by: flat.created_by,
    updated_by: flat.updated_by,
    project: flat.project,
    workspace: flat.workspace,
    parent: flat.parent,
    estimate_point: flat.estimate_point,
    type: flat.type,
  };
}

interface Rendered {
  event: "issue" | "issue_comment";
  action: "created" | "updated" | "deleted";
  data: Json;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
}

/**
 * One change → one delivery. Plane sends one `updated` delivery per changed field, so the emulator's
 * writes emit one ItemChange per field (routes-work-items.ts); a change carrying several fields is
 * described by its first. `time_tracked` has no Plane CE counterpart (no worklogs) and is not sent.
 */
function describe(store: PlaneStore, change: ItemChange): Rendered | null {
  const item = change.item;
  switch (change.kind) {
    case "created":
      return { event: "issue", action: "created", data: expandedIssue(store, item), field: null, oldValue: null, newValue: null };
    case "deleted":
      // The web app's delete path sends this. Plane's own v1 DELETE endpoint sends no webhook in this
      // snapshot; the emulator cannot tell API deletions from control-API ones (both are one change
      // kind) and delivers for both, which a receiver must tolerate anyway.
      return { event: "issue", action: "deleted", data: { id: item.id }, field: null, oldValue: null, newValue: null };
    case "comment_added": {
      const comment = item.comments[item.comments.length - 1];
      if (!comment) return null;
      return {
        event: "issue_comment",
        action: "created",
        data: renderComment(store, item, comment, commentHtml(store, item, comment)),
        field: null,
        oldValue: null,
        newValue: null,
      };
    }
    case "updated":
    case "status_changed": {
      const key = (Object.keys(change.before)[0] ?? "status") as keyof TruthItem;
      const field = PLANE_FIELD[key];
      // Blockers (relations), sprints (cycle-issues) and time estimates reach Plane through other
      // endpoints that send no `issue` webhook of their own.
      if (!field) return null;
      // model_activity compares the serializer's old value with the requested one: ids for relations.
      const before = workItemFields(store, { ...item, ...change.before } as TruthItem);
      const after = workItemFields(store, item);
      return { event: "issue", action: "updated", data: expandedIssue(store, item), field, oldValue: before[field] ?? null, newValue: after[field] ?? null };
    }
    default:
      return null;
  }
}

function subscribes(registration: WebhookRegistration, event: string, projectId: string): boolean {
  const eventOk = registration.events.includes("*") || registration.events.includes(event);
  return eventOk && (registration.scope === null || registration.scope === projectId);
}

export function renderPlaneWebhook(store: PlaneStore, change: ItemChange, registration: WebhookRegistration): WebhookDelivery | null {
  if (change.platform !== "plane") return null;
  const rendered = describe(store, change);
  if (!rendered || !subscribes(registration, rendered.event, change.item.container)) return null;
  const actor = store.person(change.by);
  const payload = {
    event: rendered.event,
    action: rendered.action,
    webhook_id: registration.id,
    workspace_id: store.workspaceId,
    data: rendered.data,
    activity: {
      field: rendered.field,
      new_value: rendered.newValue,
      old_value: rendered.oldValue,
      actor: actor ? renderUserLite(actor) : null,
      old_identifier: null,
      new_identifier: null,
    },
  };
  const body = Buffer.from(pythonJsonDumps(payload, { floatKeys: PLANE_FLOAT_FIELDS }), "utf8");
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "Autopilot",
    "X-Plane-Delivery": stableUuid("plane-delivery", change.id, registration.id),
    "X-Plane-Event": rendered.event,
  };
  // Plane only signs when the webhook has a secret (it always does when created in the app).
  if (registration.secret) headers["X-Plane-Signature"] = signPlaneWebhook(registration.secret, body);
  return { headers, body };
}

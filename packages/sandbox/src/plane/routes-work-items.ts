/**
 * Work items (`api/urls/work_item.py`, views `IssueListCreateAPIEndpoint` / `IssueDetailAPIEndpoint`)
 * under both `work-items/` and the legacy `issues/` segment, which Plane routes to the same views.
 */
import type { SandboxRequest, SandboxResponse } from "../kit/types.js";
import type { TruthItem } from "../truth/model.js";
import { markDeleted } from "../truth/mutate.js";
import { splitWorkItemKey, type PlaneRoute } from "./endpoint.js";
import { PlaneErrors } from "./errors.js";
import { paginate } from "./paginate.js";
import { orderWorkItems, shapeOf } from "./query.js";
import { PlaneRole, type PlaneStore } from "./store.js";
import { stableUuid } from "./wire-format.js";
import { applyWorkItemWrite, parseWorkItemWrite, type FieldChange } from "./work-item-write.js";
import { renderWorkItem } from "./work-item-view.js";

/** Both spellings Plane serves; `issues/` is kept for older clients. */
export const WORK_ITEM_SEGMENTS = ["work-items", "issues"] as const;

/** DRF's `request.data` is `{}` for an empty body. */
export const bodyOf = (req: SandboxRequest): Record<string, unknown> => {
  if (req.rawBody.length === 0) return {};
  const body = req.json<unknown>();
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
};

export function workItemRoutes(store: PlaneStore): PlaneRoute[] {
  const ctx = store.ctx;

  const liveItem = (req: SandboxRequest): TruthItem => {
    const item = store.workItem(req.params.project_id!, req.params.pk!);
    if (!item) throw PlaneErrors.resourceNotFound();
    return item;
  };

  /** Plane sends one `updated` webhook per changed field; state changes are the truth's status changes. */
  const emitFieldChanges = (item: TruthItem, changes: FieldChange[], at: number) => {
    for (const change of changes) {
      if (change.truthField !== null) {
        ctx.emitChange({
          platform: "plane",
          kind: change.truthField === "status" ? "status_changed" : "updated",
          item,
          before: { [change.truthField]: change.before } as Partial<TruthItem>,
          at,
          by: store.apiUserKey,
        });
      }
      if (change.truthField === "status") continue; // its activity row comes from the transition
      store.writableExtras(item).activities.push({
        id: stableUuid("plane-activity", item.id, "api", String(at), change.planeField),
        at,
        by: store.apiUserKey,
        verb: "updated",
        field: change.planeField,
        oldValue: change.oldText,
        newValue: change.newText,
        comment: change.comment,
      });
    }
  };

  const list = (req: SandboxRequest): SandboxResponse => {
    const projectId = req.params.project_id!;
    const shape = shapeOf(req.query);
    const externalId = req.query.get("external_id");
    const externalSource = req.query.get("external_source");
    if (externalId && externalSource) {
      // Exact lookup: a single object, not a page; `Issue.objects.get` → 404 when absent.
      const found = store.findByExternalId(projectId, externalSource, externalId);
      if (!found) throw PlaneErrors.resourceNotFound();
      return { status: 200, body: renderWorkItem(store, found, shape) };
    }
    const items = store.listedItems(projectId);
    const ordered = orderWorkItems(store, items, req.query.get("order_by") ?? "-created_at");
    return { status: 200, body: paginate(req.query, ordered, (item) => renderWorkItem(store, item, shape), items.length) };
  };

  /** GET reads through `Issue.issue_objects`, which hides drafts (PATCH/DELETE do not). */
  const retrieve = (req: SandboxRequest): SandboxResponse => {
    const item = liveItem(req);
    if (store.extras(item).isDraft) throw PlaneErrors.resourceNotFound();
    return { status: 200, body: renderWorkItem(store, item, shapeOf(req.query)) };
  };

  const create = (req: SandboxRequest): SandboxResponse => {
    const projectId = req.params.project_id!;
    const body = bodyOf(req);
    const write = parseWorkItemWrite(store, projectId, body, true);
    if (body.external_id && body.external_source) {
      const existing = store.findByExternalId(projectId, String(body.external_source), String(body.external_id));
      if (existing) throw PlaneErrors.duplicateExternalId(existing.id);
    }
    const at = ctx.now();
    const seq = store.nextSequenceId(projectId);
    // Issue._ensure_default_state: the requested state, else the project's default one (Backlog).
    const { status: requested, ...rest } = write;
    const initial = requested ?? (store.stateFor(projectId, "backlog") ? "backlog" : "todo");
    const item: TruthItem = {
      platform: "plane",
      id: stableUuid("plane-work-item", projectId, String(seq)),
      seq,
      container: projectId,
      kind: write.parentId ? "subtask" : "task",
      title: write.name!,
      description: "",
      creator: store.apiUserKey,
      assignees: [],
      labels: [],
      priority: "none",
      estimatePoints: null,
      timeEstimateMs: null,
      sprint: null,
      parentId: null,
      blockedBy: [],
      createdAt: at,
      updatedAt: at,
      startedAt: null,
      closedAt: null,
      dueAt: null,
      status: initial,
      transitions: [{ at, from: null, to: initial, by: store.apiUserKey }],
      timeEntries: [],
      comments: [],
      reopenCount: 0,
      pr: null,
      customFields: {},
      deletedAt: null,
      module: null,
    };
    ctx.truth.items.plane.push(item);
    applyWorkItemWrite(store, item, rest, at, store.apiUserKey);
    store.writableExtras(item).updatedBy = null; // a fresh row has no updater
    ctx.emitChange({ platform: "plane", kind: "created", item, before: {}, at, by: store.apiUserKey });
    return { status: 201, body: renderWorkItem(store, item) };
  };

  const update = (req: SandboxRequest): SandboxResponse => {
    const item = liveItem(req);
    const body = bodyOf(req);
    const write = parseWorkItemWrite(store, item.container, body, false);
    const extras = store.extras(item);
    if (body.external_id && extras.externalId !== String(body.external_id)) {
      const source = String(body.external_source ?? extras.externalSource);
      // Plane answers with the id of the item being patched, not of the one holding the external id.
      if (store.findByExternalId(item.container, source, String(body.external_id))) throw PlaneErrors.duplicateExternalId(item.id);
    }
    const at = ctx.now();
    emitFieldChanges(item, applyWorkItemWrite(store, item, write, at, store.apiUserKey), at);
    return { status: 200, body: renderWorkItem(store, item) };
  };

  const remove = (req: SandboxRequest): SandboxResponse => {
    const item = liveItem(req);
    const user = store.apiUser;
    if (item.creator !== user.key && store.roleOf(user) !== PlaneRole.Admin) throw PlaneErrors.deleteForbidden();
    const at = ctx.now();
    markDeleted(item, at);
    ctx.emitChange({ platform: "plane", kind: "deleted", item, before: { deletedAt: null }, at, by: user.key });
    return { status: 204 };
  };

  /** `workspaces/{slug}/work-items/{IDENTIFIER}-{sequence}/` (WorkspaceIssueAPIEndpoint). */
  const retrieveByKey = (req: SandboxRequest): SandboxResponse => {
    const { identifier, sequence } = splitWorkItemKey(req.params.key!)!;
    // `sequence_id=<text>` that is not an integer makes Django raise ValueError → Plane's generic 500.
    if (!/^\d+$/.test(sequence)) throw PlaneErrors.serverError();
    const project = store.layout.projects.find((p) => p.identifier === identifier)!;
    const item = store.listedItems(project.id).find((i) => i.seq === Number(sequence));
    if (!item) throw PlaneErrors.resourceNotFound();
    return { status: 200, body: renderWorkItem(store, item, shapeOf(req.query)) };
  };

  return WORK_ITEM_SEGMENTS.flatMap((segment): PlaneRoute[] => {
    const base = `/workspaces/:slug/projects/:project_id/${segment}/`;
    return [
      { method: "GET", pattern: `/workspaces/:slug/${segment}/:key/`, permission: "project_key", handle: retrieveByKey },
      { method: "GET", pattern: base, permission: "project", handle: list },
      { method: "POST", pattern: base, permission: "project", handle: create },
      { method: "GET", pattern: `${base}:pk/`, permission: "project", handle: retrieve },
      { method: "PATCH", pattern: `${base}:pk/`, permission: "project", handle: update },
      { method: "DELETE", pattern: `${base}:pk/`, permission: "project", handle: remove },
    ];
  });
}

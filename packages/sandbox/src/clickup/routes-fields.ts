/** Space tags, task tags and custom fields (CU-OAS GetSpaceTags, AddTagToTask, GetAccessibleCustomFields, SetCustomFieldValue). */
import type { Route } from "../kit/types.js";
import type { TruthItem } from "../truth/model.js";
import { editFields } from "../truth/mutate.js";
import { type ClickUpEnv, jsonObject, ok, requireList, requireTask } from "./env.js";
import { ClickUpApiError, ClickUpErrors } from "./errors.js";
import { tagView } from "./task-view.js";
import { setCustomField } from "./task-writes.js";

export function fieldRoutes(env: ClickUpEnv): Route[] {
  const { store } = env;

  /** Tags are space-level in ClickUp; the sandbox's are exactly those its live tasks carry. */
  const spaceTags = (spaceId: string): string[] => {
    const lists = new Set(store.layout.lists.filter((l) => l.spaceId === spaceId).map((l) => l.id));
    const names = new Set<string>();
    for (const i of store.items) if (i.deletedAt === null && lists.has(i.container)) for (const l of i.labels) names.add(l);
    return [...names].sort();
  };

  const retag = (item: TruthItem, labels: string[]) => {
    const now = env.ctx.now();
    const updatedAt = item.updatedAt;
    const before = editFields(item, { labels }, now);
    if (Object.keys(before).length) env.ctx.emitChange({ platform: "clickup", kind: "updated", item, before: { ...before, updatedAt }, at: now, by: env.actingUser });
  };

  return [
    {
      method: "GET",
      pattern: "/space/:space_id/tag",
      handler: (req) => {
        const space = store.space(req.params.space_id ?? "");
        if (!space) throw new ClickUpApiError(ClickUpErrors.spaceNotFound);
        return ok({ tags: spaceTags(space.id).map(tagView) });
      },
    },
    {
      method: "POST",
      pattern: "/task/:task_id/tag/:tag_name",
      handler: (req) => {
        const item = requireTask(env, req.params.task_id);
        const tag = (req.params.tag_name ?? "").toLowerCase(); // ClickUp stores tag names in lower case
        if (!item.labels.includes(tag)) retag(item, [...item.labels, tag]);
        return ok({});
      },
    },
    {
      method: "DELETE",
      pattern: "/task/:task_id/tag/:tag_name",
      handler: (req) => {
        const item = requireTask(env, req.params.task_id);
        const tag = (req.params.tag_name ?? "").toLowerCase();
        retag(item, item.labels.filter((l) => l.toLowerCase() !== tag));
        return ok({});
      },
    },
    {
      method: "GET",
      pattern: "/list/:list_id/field",
      handler: (req) => {
        requireList(env, req.params.list_id);
        return ok({ fields: env.fields.definitions() });
      },
    },
    {
      method: "POST",
      pattern: "/task/:task_id/field/:field_id",
      handler: (req) => {
        const item = requireTask(env, req.params.task_id);
        if (!env.fields.byId(req.params.field_id ?? "")) throw new ClickUpApiError(ClickUpErrors.fieldNotFound);
        setCustomField(env, item, req.params.field_id!, jsonObject(req));
        return ok({});
      },
    },
  ];
}

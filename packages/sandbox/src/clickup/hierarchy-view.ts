/** Spaces, folders and lists as ClickUp's hierarchy endpoints return them (platform-apis.md §1.2). */
import { createHash } from "node:crypto";
import type { ClickUpLayout, TruthItem } from "../truth/model.js";
import type { ClickUpStore } from "./store.js";
import { workflowStatuses } from "./statuses.js";

type LayoutList = ClickUpLayout["lists"][number];
type LayoutFolder = ClickUpLayout["folders"][number];

/**
 * The folder a list lives in. ClickUp keeps folderless lists in a hidden folder that the API never
 * addresses; the emulator reuses the space id as that hidden folder's id.
 */
export function folderRef(store: ClickUpStore, list: LayoutList): { id: string; name: string; hidden: boolean; access: boolean } {
  const folder = list.folderId ? store.folder(list.folderId) : undefined;
  return folder ? { id: folder.id, name: folder.name, hidden: false, access: true } : { id: list.spaceId, name: "hidden", hidden: true, access: true };
}

function spaceRef(store: ClickUpStore, spaceId: string): { id: string; name: string; access: boolean } {
  return { id: spaceId, name: store.space(spaceId)?.name ?? "", access: true };
}

/** Live top-level tasks per list, counted in one pass (ClickUp's task_count excludes subtasks). */
export function taskCounts(items: readonly TruthItem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const i of items) if (i.deletedAt === null && i.parentId === null) counts.set(i.container, (counts.get(i.container) ?? 0) + 1);
  return counts;
}

export function listView(store: ClickUpStore, list: LayoutList, counts: Map<string, number>): Record<string, unknown> {
  const sprint = list.sprint ? store.sprint(list.sprint) : undefined;
  return {
    id: list.id,
    name: list.name,
    orderindex: store.layout.lists.filter((l) => l.folderId === list.folderId && l.spaceId === list.spaceId).indexOf(list),
    content: "",
    status: null,
    priority: null,
    assignee: null,
    task_count: counts.get(list.id) ?? 0,
    due_date: sprint ? String(sprint.endAt) : null,
    due_date_time: false,
    start_date: sprint ? String(sprint.startAt) : null,
    start_date_time: false,
    folder: folderRef(store, list),
    space: spaceRef(store, list.spaceId),
    inbound_address: `add.task.${list.id}.${createHash("sha256").update(list.id).digest("hex").slice(0, 6)}@tasks.clickup.com`,
    archived: false,
    override_statuses: false,
    statuses: workflowStatuses(store.layout),
    permission_level: "create",
  };
}

export function folderView(store: ClickUpStore, folder: LayoutFolder, counts: Map<string, number>): Record<string, unknown> {
  const lists = store.layout.lists.filter((l) => l.folderId === folder.id);
  const total = lists.reduce((n, l) => n + (counts.get(l.id) ?? 0), 0);
  return {
    id: folder.id,
    name: folder.name,
    orderindex: store.layout.folders.filter((f) => f.spaceId === folder.spaceId).indexOf(folder),
    override_statuses: false,
    hidden: false,
    space: spaceRef(store, folder.spaceId),
    task_count: String(total), // a string in ClickUp's GetFolders example
    archived: false,
    statuses: workflowStatuses(store.layout),
    lists: lists.map((l) => listView(store, l, counts)),
    permission_level: "create",
  };
}

export function spaceView(store: ClickUpStore, space: ClickUpLayout["spaces"][number]): Record<string, unknown> {
  const enabled = { enabled: true };
  return {
    id: space.id,
    name: space.name,
    color: null,
    private: false,
    avatar: null,
    admin_can_manage: true,
    archived: false,
    members: [],
    statuses: workflowStatuses(store.layout),
    multiple_assignees: true,
    features: {
      due_dates: { enabled: true, start_date: true, remap_due_dates: false, remap_closed_due_date: false },
      sprints: enabled,
      time_tracking: enabled,
      points: enabled,
      custom_items: { enabled: false },
      tags: enabled,
      time_estimates: enabled,
      checklists: enabled,
      custom_fields: enabled,
      remap_dependencies: enabled,
      dependency_warning: enabled,
      portfolios: { enabled: false },
    },
  };
}

import type { WorkItem } from "@pmo/contracts";
import type { ItemBrief } from "../types/common.js";

export function toBrief(item: WorkItem): ItemBrief {
  return {
    ref: item.ref,
    key: item.key,
    title: item.title,
    url: item.url,
    status: item.status,
    statusCategory: item.statusCategory,
    assignees: item.assignees,
    points: item.estimate?.points ?? null,
    dueAt: item.dueAt,
  };
}

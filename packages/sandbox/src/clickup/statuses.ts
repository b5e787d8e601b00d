/**
 * The workflow every generated list shares, as ClickUp renders a status: `{status, color, orderindex, type}`.
 * Types follow the spec's vocabulary (open | custom | closed): the first status is "open", the
 * finished ones "closed". Real ClickUp allows a single closed status per list and has a separate
 * "done" group; the spec shows neither, and the truth treats cancelled as closed, so both
 * `done` and `cancelled` render as type "closed" (date_closed set, hidden unless include_closed).
 */
import type { ClickUpLayout, StatusCategory } from "../truth/model.js";

export const STATUS_ORDER: readonly StatusCategory[] = ["backlog", "todo", "in_progress", "in_review", "done", "cancelled"];

const STATUS_STYLE: Record<StatusCategory, { color: string; type: "open" | "custom" | "closed" }> = {
  backlog: { color: "#d3d3d3", type: "open" },
  todo: { color: "#87909e", type: "custom" },
  in_progress: { color: "#5f55ee", type: "custom" },
  in_review: { color: "#f8ae00", type: "custom" },
  done: { color: "#008844", type: "closed" },
  cancelled: { color: "#d33d44", type: "closed" },
};

export interface ClickUpStatus {
  status: string;
  color: string;
  orderindex: number;
  type: "open" | "custom" | "closed";
}

export function statusObject(layout: ClickUpLayout, category: StatusCategory): ClickUpStatus {
  const style = STATUS_STYLE[category];
  return { status: layout.statusNames[category], color: style.color, orderindex: STATUS_ORDER.indexOf(category), type: style.type };
}

/** The list/space `statuses` array, in board order. */
export function workflowStatuses(layout: ClickUpLayout): ClickUpStatus[] {
  return STATUS_ORDER.map((c) => statusObject(layout, c));
}

/** ClickUp matches status names case-insensitively when writing and filtering. */
export function categoryOfStatusName(layout: ClickUpLayout, name: string): StatusCategory | null {
  const wanted = name.trim().toLowerCase();
  return STATUS_ORDER.find((c) => layout.statusNames[c].toLowerCase() === wanted) ?? null;
}

export function isClosedCategory(category: StatusCategory): boolean {
  return STATUS_STYLE[category].type === "closed";
}

/** Table rows for items, shared by every report type. */
import type { BlockedItem, DueItem, ItemBrief } from "@pmo/analytics";
import { right, table, type Block, type Cell } from "./document.js";
import { formatDay, formatDuration, formatNumber } from "./format.js";

/** Titles are clipped in tables (the json keeps them whole), so one huge title cannot swamp a page or a markdown part. */
export const TITLE_LIMIT = 160;

export function clip(text: string, limit = TITLE_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export const keyCell = (i: ItemBrief): Cell => ({ text: i.key || i.ref.id, href: i.url });
export const titleCell = (i: ItemBrief): Cell => ({ text: clip(i.title) });
export const assigneesCell = (i: ItemBrief): Cell => ({ text: i.assignees.length ? i.assignees.join(", ") : "unassigned" });

export function itemTable(items: readonly ItemBrief[], empty: string): Block {
  return table(
    ["Item", "Title", "Platform", "Status", "Assignees", right("Points")],
    items.map((i) => [keyCell(i), titleCell(i), { text: i.ref.platform }, { text: i.status }, assigneesCell(i), { text: formatNumber(i.points) }]),
    empty,
  );
}

export function blockedTable(items: readonly BlockedItem[], mode: "elapsed" | "business", empty: string): Block {
  return table(
    ["Item", "Title", "Assignees", "Blocked by", right("Blocked for")],
    items.map((b) => [
      keyCell(b.item),
      titleCell(b.item),
      assigneesCell(b.item),
      { text: b.blockers.length ? b.blockers.map((x) => x.item?.key ?? `${x.ref.platform}:${x.ref.id}`).join(", ") : b.reasons.includes("status") ? `status "${b.item.status}"` : "–" },
      { text: formatDuration(b.blockedForMs, mode) },
    ]),
    empty,
  );
}

export function dueTable(items: readonly DueItem[], mode: "elapsed" | "business", empty: string): Block {
  return table(
    ["Item", "Title", "Assignees", "Due", right("Overdue by")],
    items.map((d) => [keyCell(d.item), titleCell(d.item), assigneesCell(d.item), { text: formatDay(d.item.dueAt) }, { text: d.overdueMs > 0 ? formatDuration(d.overdueMs, mode) : "due today" }]),
    empty,
  );
}

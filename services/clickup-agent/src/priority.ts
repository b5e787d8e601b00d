import type { ItemPriority, RequestPriority } from "@pmo/contracts";
import type { ClickUpSettings } from "./settings.js";

const BY_NAME: Record<string, ItemPriority> = { urgent: "urgent", high: "high", normal: "medium", medium: "medium", low: "low" };
const BY_NUMBER: Record<number, ItemPriority> = { 1: "urgent", 2: "high", 3: "medium", 4: "low" };

/**
 * ClickUp answers a priority as an object (`{id:"2", priority:"high", ...}`) or null, and one of its
 * own examples shows a bare integer: read all three. Its "normal" is our "medium".
 */
export function priorityFromTask(raw: unknown): ItemPriority {
  if (raw === null || raw === undefined) return "none";
  if (typeof raw === "number") return BY_NUMBER[raw] ?? "none";
  if (typeof raw === "object") {
    const p = raw as { priority?: unknown; id?: unknown };
    if (typeof p.priority === "string" && BY_NAME[p.priority.toLowerCase()]) return BY_NAME[p.priority.toLowerCase()]!;
    if (p.id !== undefined && BY_NUMBER[Number(p.id)]) return BY_NUMBER[Number(p.id)]!;
  }
  return "none";
}

/** The seed's low|medium|high|critical as ClickUp's write integer, through the configured map. */
export function priorityToWire(priority: RequestPriority, settings: Pick<ClickUpSettings, "priorityMap">): number {
  return settings.priorityMap[priority];
}

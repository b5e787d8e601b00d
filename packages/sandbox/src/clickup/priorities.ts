/**
 * ClickUp priorities: an integer 1-4 on write (1 urgent, 2 high, 3 normal, 4 low), an object or
 * null on read (platform-apis.md §1.4). The truth's "medium" is ClickUp's "normal".
 */
import type { Priority } from "../truth/model.js";

export interface ClickUpPriority {
  id: string;
  priority: "urgent" | "high" | "normal" | "low";
  color: string;
  orderindex: string;
}

const PRIORITY_OBJECTS: Record<Exclude<Priority, "none">, ClickUpPriority> = {
  urgent: { id: "1", priority: "urgent", color: "#f50000", orderindex: "1" },
  high: { id: "2", priority: "high", color: "#f8ae00", orderindex: "2" },
  medium: { id: "3", priority: "normal", color: "#6fddff", orderindex: "3" },
  low: { id: "4", priority: "low", color: "#d8d8d8", orderindex: "4" },
};

const PRIORITY_BY_INT: Record<number, Priority> = { 1: "urgent", 2: "high", 3: "medium", 4: "low" };

export function priorityObject(priority: Priority): ClickUpPriority | null {
  return priority === "none" ? null : { ...PRIORITY_OBJECTS[priority] };
}

/** `null` clears the priority; anything but 1-4 or null is rejected (undefined result). */
export function priorityFromWire(value: unknown): Priority | undefined {
  if (value === null) return "none";
  if (typeof value === "number" && Number.isInteger(value)) return PRIORITY_BY_INT[value];
  return undefined;
}

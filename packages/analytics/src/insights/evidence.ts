import type { ItemRef } from "@pmo/contracts";
import type { Evidence } from "../types/insights.js";

/** Evidence lists at most this many item refs (worst first); `itemCount` keeps the full count. */
export const EVIDENCE_ITEM_LIMIT = 20;

export function evidenceOf(items: readonly ItemRef[], numbers: Record<string, number>): Evidence {
  return { items: items.slice(0, EVIDENCE_ITEM_LIMIT), itemCount: items.length, numbers };
}

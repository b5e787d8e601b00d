import { createHash } from "node:crypto";
import type { ManageOperation } from "@pmo/contracts";

/**
 * The idempotency key of one operation of a workflow: the workflow, its position and its content.
 * The orchestrator's retries of a manage job carry new job ids but the same workflow and operations,
 * so a retry finds what the earlier attempt recorded.
 */
export function operationKey(workflowId: string, index: number, op: ManageOperation): string {
  const digest = createHash("sha256").update(JSON.stringify(op)).digest("hex").slice(0, 12);
  return `${workflowId}/${index}/${digest}`;
}

/**
 * ClickUp has no external id, so the key travels in the item itself as a marker line (in the
 * description of a task, at the end of a comment): an uncertain earlier create is found by it.
 */
export function markerOf(key: string): string {
  return `[pmo-op:${key}]`;
}

export function withMarker(text: string | undefined, key: string): string {
  return text ? `${text}\n\n${markerOf(key)}` : markerOf(key);
}

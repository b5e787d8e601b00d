import { createHash } from "node:crypto";
import type { ManageOperation } from "@pmo/contracts";

/**
 * The idempotency key of one operation: the workflow, its position and its content. Stable across job
 * attempts and redeliveries, so a retried bulk run finds what an earlier attempt already did.
 */
export function operationKey(workflowId: string, index: number, op: ManageOperation): string {
  const digest = createHash("sha256").update(JSON.stringify(op)).digest("hex").slice(0, 12);
  return `${workflowId}.${index}.${digest}`.replace(/[^A-Za-z0-9_=-]/g, "_");
}

/** An HTML comment GitHub renders invisibly: how an item created by an uncertain attempt is found again. */
export function marker(key: string): string {
  return `<!-- pmo:op=${key} -->`;
}

export function withMarker(text: string | undefined, key: string): string {
  return `${text ?? ""}${text ? "\n\n" : ""}${marker(key)}`;
}

/** One operation's result, as `output.operations[i]` and `issues/clickup-bulk-operations.json` carry it (the orchestrator merges every platform's into `issues/bulk-operations.json`). */
export interface OperationOutcome {
  index: number;
  op: "create" | "update" | "close" | "comment";
  outcome: "created" | "updated" | "closed" | "commented" | "planned" | "failed";
  id: string | null;
  url: string | null;
  key: string | null;
  /** The task's name (after the operation), for people reading the outcome. */
  title?: string;
  /** What changed (or, with dryRun, would change): field, value before, value after. */
  changes: { field: string; from: unknown; to: unknown }[];
  /** The outcome came from the ledger or a marker lookup: an earlier attempt had already done it. */
  reused?: boolean;
  /** What undoes it. */
  rollback?: Record<string, unknown>;
  commentId?: string;
  /** The operation moved the task into a done status (a close, or an update to such a status). */
  completed?: boolean;
  error?: string;
}

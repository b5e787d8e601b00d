import { ManageOperationSchema, sanitizeFileSegment, type ArtifactRef, type ManageOperation } from "@pmo/contracts";
import { isRecoverable, PlatformHttpError, toJobFailure, type AgentEnvironment } from "@pmo/platform-agent";
import type { JobHandler } from "@pmo/runtime";
import { reposOf } from "./containers.js";
import type { GitHubClient } from "./github-client.js";
import { IssueOperations, type OperationOutcome } from "./issue-operations.js";
import { operationKey } from "./op-marker.js";
import type { GitHubSettings } from "./settings.js";

interface ManageInput {
  operations: unknown[];
  dryRun: boolean;
  containers: { repos?: string[]; defaultRepo?: string } | null;
}

/**
 * `manage`: the operations in order. A dry run plans each one (the exact request, the values it would
 * replace) and sends no write. Applied, each goes through the ledger; an operation GitHub refuses
 * (422, 404 item) is reported as failed and the rest go on; a transient failure fails the job
 * (retryable), and the retry skips what is already done.
 */
export function manageJob(env: AgentEnvironment, client: GitHubClient, settings: GitHubSettings): JobHandler {
  return async (ctx) => {
    const input = ctx.job.input as unknown as ManageInput;
    const repos = reposOf(input.containers);
    const ops = new IssueOperations(client, settings, env.ledger, input.containers?.defaultRepo ?? repos[0]!);
    const outcomes: OperationOutcome[] = [];
    const artifacts: ArtifactRef[] = [];
    for (const [index, raw] of input.operations.entries()) {
      ctx.signal.throwIfAborted();
      const op: ManageOperation = ManageOperationSchema.parse(raw);
      const key = operationKey(ctx.job.workflowId, index, op);
      try {
        outcomes.push(input.dryRun ? await ops.plan(op, index, key, ctx.signal) : await ops.apply(op, index, key, ctx.signal));
      } catch (err) {
        if (isRecoverable(err) || (err instanceof PlatformHttpError && err.status === 401)) throw toJobFailure(err, { credentialEnv: env.credentialEnv });
        outcomes.push({ index, op: op.op, outcome: "failed", id: op.id ?? null, url: null, request: null, previous: null, notes: [], error: (err as Error).message });
      }
      if (index % 20 === 0) ctx.heartbeat();
    }
    for (const o of outcomes) {
      if (!o.issue || !o.id) continue;
      artifacts.push(await ctx.artifacts.put(ctx.job.workflowId, `issues/${sanitizeFileSegment(o.id)}.json`, JSON.stringify({ platform: "github", outcome: o.outcome, issue: o.issue }, null, 2)));
    }
    const listed = outcomes.map(({ issue: _issue, ...rest }) => rest);
    artifacts.push(await ctx.artifacts.put(ctx.job.workflowId, "issues/github-bulk-operations.json", JSON.stringify({ platform: "github", dryRun: input.dryRun, operations: listed }, null, 2)));
    const count = (...kinds: OperationOutcome["outcome"][]) => outcomes.filter((o) => kinds.includes(o.outcome)).length;
    return {
      output: {
        operations: listed,
        dryRun: input.dryRun,
        metrics: { tasksCreated: count("created"), tasksUpdated: count("updated", "commented"), tasksCompleted: count("closed") },
        // Undo data: previous field values of updates; creations are undone by closing as not planned.
        rollback: outcomes.flatMap((o): { id: string | null; previous: Record<string, unknown> | null; undo?: Record<string, string> }[] =>
          o.outcome === "created" ? [{ id: o.id, previous: null, undo: { state: "closed", state_reason: "not_planned" } }] : o.previous && ["updated", "closed"].includes(o.outcome) ? [{ id: o.id, previous: o.previous }] : [],
        ),
        failed: count("failed"),
      },
      artifacts,
    };
  };
}

import { sanitizeFileSegment, type ArtifactRef, type ManageOperation } from "@pmo/contracts";
import { JobFailure, type JobHandler } from "@pmo/runtime";
import { mapLimit } from "@pmo/platform-agent";
import type { ClickUpContext } from "./context.js";
import { clickUpFailure } from "./failures.js";
import type { ClickUpContainers } from "./hierarchy.js";
import type { OperationOutcome } from "./manage-outcome.js";
import { operationKey } from "./operation-key.js";
import { TaskWriter } from "./task-writer.js";

/** @default 8 */
const ARTIFACT_PUTS_IN_FLIGHT = 8;

interface ManageInput {
  operations: ManageOperation[];
  dryRun: boolean;
  containers: ClickUpContainers | null;
}

/**
 * `manage` (phase 3): creates, updates, closes and comments, one at a time per operation but
 * several in parallel, each exactly once across retries and redeliveries (see TaskWriter). With
 * `dryRun` nothing is written: each outcome is the plan of what would change.
 */
export function manageHandler(cu: ClickUpContext): JobHandler {
  return async (ctx) => {
    const input = ctx.job.input as unknown as ManageInput;
    if (!input.containers) throw JobFailure.nonRetryable("clickup: this project has no clickup block in config/projects.json", "missing_parameters");
    const { workflowId } = ctx.job;
    const writer = new TaskWriter(cu, {
      teamId: input.containers.teamId,
      defaultListId: input.containers.defaultListId ?? input.containers.listIds[0] ?? null,
      dryRun: input.dryRun,
      signal: ctx.signal,
    });
    let outcomes: OperationOutcome[];
    try {
      outcomes = await mapLimit(input.operations, cu.settings.concurrency, async (op, i) => {
        const outcome = await writer.run(i, op, operationKey(workflowId, i, op));
        ctx.heartbeat();
        return outcome;
      });
    } catch (err) {
      throw clickUpFailure(err, { credentialEnv: cu.env.credentialEnv });
    }
    const count = (...kinds: OperationOutcome["outcome"][]) => outcomes.filter((o) => kinds.includes(o.outcome)).length;
    const metrics = { tasksCreated: count("created"), tasksUpdated: count("updated", "closed"), tasksCompleted: outcomes.filter((o) => o.outcome !== "planned" && o.outcome !== "failed" && o.completed).length };
    // One file per task, with every operation on it (a bulk may touch a task twice).
    const byTask = new Map<string, OperationOutcome[]>();
    for (const o of outcomes) if (o.id && o.outcome !== "failed") byTask.set(o.id, [...(byTask.get(o.id) ?? []), o]);
    // Several puts at once: a bulk of hundreds would otherwise wait on one object-store round trip after another.
    const artifacts: ArtifactRef[] = await mapLimit([...byTask], ARTIFACT_PUTS_IN_FLIGHT, ([id, ops]) =>
      ctx.artifacts.putJson(workflowId, `issues/${sanitizeFileSegment(id)}.json`, { platform: "clickup", id, url: ops[0]!.url, key: ops[0]!.key, dryRun: input.dryRun, operations: ops }),
    );
    artifacts.push(await ctx.artifacts.putJson(workflowId, "issues/clickup-bulk-operations.json", { platform: "clickup", dryRun: input.dryRun, metrics, operations: outcomes }));
    const failed = count("failed");
    cu.env.log.info({ operations: outcomes.length, failed, dryRun: input.dryRun, ...metrics }, "clickup manage finished");
    return {
      output: { dryRun: input.dryRun, operations: outcomes, metrics, failed, rollback: outcomes.flatMap((o) => (o.rollback ? [o.rollback] : [])) },
      artifacts,
    };
  };
}

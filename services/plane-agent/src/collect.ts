import type { ArtifactRef, ItemRef } from "@pmo/contracts";
import { CollectedWriter, type SnapshotWriter } from "@pmo/platform-agent";
import type { JobHandler } from "@pmo/runtime";
import type { PlaneAgentContext } from "./agent-context.js";
import { loadMembers } from "./catalog.js";
import { planeFailure } from "./failures.js";
import { CollectInputSchema, parseInput } from "./job-inputs.js";
import { ProjectCollector, type PlaneCursor, type ProjectRun } from "./project-collector.js";

/** `pmo_cursors` / snapshot key of a project: the workspace slug and the project id. */
export const containerKey = (slug: string, projectId: string) => `${slug}.${projectId}`;

/**
 * Phase 1 `collect`: every configured project, full the first time (and every
 * `fullCollectionIntervalMs`), incremental otherwise, streamed into `data/plane-collected.json`
 * and each project's new snapshot as items are ready; `monitoring/plane-events.json` at the end.
 * The new snapshots become current, and the watermarks move forward, only after the data file is
 * stored, so a failed run never skips changes.
 */
export function collectHandler(agent: PlaneAgentContext): JobHandler {
  const { env, client, settings, mapper, webBase } = agent;
  return async (ctx) => {
    const input = parseInput(CollectInputSchema, ctx.job.input, ctx.job.project);
    const slug = input.containers.workspace;
    const started = Date.now();
    const members = await loadMembers(client, slug, ctx.signal).catch((err: unknown) => {
      throw planeFailure(err, { credentialEnv: env.credentialEnv, container: `workspace ${slug}` });
    });
    // The mode is known after the last project (full when any was): it goes at the end.
    const writer = new CollectedWriter(ctx.artifacts, ctx.job.workflowId, input.outputPath, { platform: "plane", collectedAt: new Date().toISOString(), containers: input.containers.projectIds });
    const snapshots: SnapshotWriter[] = [];
    const runs: { projectId: string; run: ProjectRun }[] = [];
    try {
      for (const projectId of input.containers.projectIds) {
        const key = containerKey(slug, projectId);
        try {
          const cursor = (await env.cursors.get(key)) as PlaneCursor | null;
          const previous = (await env.snapshots.exists(key)) ? () => env.snapshots.entries(key) : null;
          const snapshot = env.snapshots.open(key);
          snapshots.push(snapshot);
          const collector = new ProjectCollector({ client, settings, mapper, members, slug, webBase, log: ctx.log, signal: ctx.signal, heartbeat: ctx.heartbeat }, projectId);
          const run = await collector.collect({ cursor, snapshot: previous }, { output: writer, snapshot });
          runs.push({ projectId, run });
          ctx.log.info({ project: projectId, mode: run.mode, items: run.items, changed: run.changed, deleted: run.deleted.length, sweep: run.sweep }, "plane project collected");
        } catch (err) {
          throw planeFailure(err, { credentialEnv: env.credentialEnv, container: `project ${projectId} in workspace ${slug}` });
        }
      }

      const mode = runs.some(({ run }) => run.mode === "full") ? "full" : "incremental";
      const deleted: ItemRef[] = runs.flatMap(({ run }) => run.deleted.map((id) => ({ platform: "plane" as const, id })));
      const errors = runs.flatMap(({ run }) => run.errors);
      const changed = runs.reduce((n, { run }) => n + run.changed, 0);
      const data = await writer.finish({ mode, deleted, errors, stats: { projects: runs.length, changed, deleted: deleted.length, errors: errors.length, durationMs: Date.now() - started } });
      const artifacts: ArtifactRef[] = [data];
      const events = runs.flatMap(({ run }) => run.events);
      if (input.eventsPath) artifacts.push(await ctx.artifacts.putJson(ctx.job.workflowId, input.eventsPath, { platform: "plane", generatedAt: new Date().toISOString(), mode, events }));

      for (const snapshot of snapshots) await snapshot.finish();
      for (const { projectId, run } of runs) await env.cursors.set(containerKey(slug, projectId), run.cursor as unknown as Record<string, unknown>);
      return {
        output: {
          items: writer.items,
          mode,
          deleted: deleted.length,
          errors: errors.length,
          events: events.length,
          projects: Object.fromEntries(runs.map(({ projectId, run }) => [projectId, { mode: run.mode, items: run.items, changed: run.changed, deleted: run.deleted.length, idSweep: run.sweep }])),
        },
        artifacts,
      };
    } catch (err) {
      await writer.abort(err);
      for (const snapshot of snapshots) await snapshot.abort(err);
      throw err;
    }
  };
}

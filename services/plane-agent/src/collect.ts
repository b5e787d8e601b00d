import type { ArtifactRef, ItemRef } from "@pmo/contracts";
import { CollectedWriter, type SnapshotRef } from "@pmo/platform-agent";
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
 * `fullCollectionIntervalMs`), incremental otherwise, streamed into `data/plane-collected.json` as
 * items are ready; `monitoring/plane-events.json` at the end. The output is each project's snapshot
 * from then on (its cursor names it, its digest and where the project's entries are in it): the
 * data is stored once. The cursors move forward only after the output is stored, so a failed run
 * never skips changes and the next run merges into the last stored output.
 */
export function collectHandler(agent: PlaneAgentContext): JobHandler {
  const { env, client, settings, mapper, webBase, snapshots } = agent;
  return async (ctx) => {
    const input = parseInput(CollectInputSchema, ctx.job.input, ctx.job.project);
    const slug = input.containers.workspace;
    const started = Date.now();
    const members = await loadMembers(client, slug, ctx.signal).catch((err: unknown) => {
      throw planeFailure(err, { credentialEnv: env.credentialEnv, container: `workspace ${slug}` });
    });
    const projectIds = input.containers.projectIds;
    const cursors = new Map(await Promise.all(projectIds.map(async (id) => [id, (await env.cursors.get(containerKey(slug, id))) as PlaneCursor | null] as const)));
    // The projects' snapshots: the outputs their cursors name, where those are still as stored.
    const usable = await snapshots.usable(new Map([...cursors].map(([id, cursor]) => [id, cursor?.snapshot])));
    // The mode is known after the last project (full when any was): it goes at the end.
    const writer = new CollectedWriter(ctx.artifacts, ctx.job.workflowId, input.outputPath, { platform: "plane", collectedAt: new Date().toISOString(), containers: projectIds });
    const runs: { projectId: string; run: ProjectRun; entries: { from: number; count: number } }[] = [];
    try {
      for (const projectId of projectIds) {
        try {
          const ref = usable.get(projectId);
          const previous = ref ? () => snapshots.entries(new Map([[projectId, ref]])) : null;
          // A project's entries are written together, one project after the other.
          const from = writer.items;
          const collector = new ProjectCollector({ client, settings, mapper, members, slug, webBase, log: ctx.log, signal: ctx.signal, heartbeat: ctx.heartbeat }, projectId);
          const run = await collector.collect({ cursor: cursors.get(projectId) ?? null, snapshot: previous }, writer);
          runs.push({ projectId, run, entries: { from, count: writer.items - from } });
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

      for (const { projectId, run, entries } of runs) {
        const snapshot: SnapshotRef = { workflowId: ctx.job.workflowId, path: input.outputPath, digest: data.digest, entries };
        await env.cursors.set(containerKey(slug, projectId), { ...run.cursor, snapshot } as unknown as Record<string, unknown>);
      }
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
      throw err;
    }
  };
}

import type { ArtifactRef, ItemRef, WorkItem } from "@pmo/contracts";
import { CollectedWriter } from "@pmo/platform-agent";
import type { JobHandler } from "@pmo/runtime";
import type { PlaneAgentContext } from "./agent-context.js";
import { loadMembers } from "./catalog.js";
import { changeEvents } from "./change-events.js";
import { planeFailure } from "./failures.js";
import { CollectInputSchema, parseInput } from "./job-inputs.js";
import { ProjectCollector, type PlaneCursor, type ProjectCollection } from "./project-collector.js";

/** `pmo_cursors` / snapshot key of a project: the workspace slug and the project id. */
export const containerKey = (slug: string, projectId: string) => `${slug}.${projectId}`;

/**
 * Phase 1 `collect`: every configured project, full the first time (and every
 * `fullCollectionIntervalMs`), incremental otherwise; writes `data/plane-collected.json` and
 * `monitoring/plane-events.json`, then moves the snapshots and watermarks forward — only after the
 * data file is stored, so a failed run never skips changes.
 */
export function collectHandler(agent: PlaneAgentContext): JobHandler {
  const { env, client, settings, mapper, webBase } = agent;
  return async (ctx) => {
    const input = parseInput(CollectInputSchema, ctx.job.input, ctx.job.project);
    const slug = input.containers.workspace;
    const started = Date.now();
    const results: { projectId: string; collection: ProjectCollection; before: Map<string, WorkItem> | null }[] = [];
    const members = await loadMembers(client, slug, ctx.signal).catch((err: unknown) => {
      throw planeFailure(err, { credentialEnv: env.credentialEnv, container: `workspace ${slug}` });
    });
    for (const projectId of input.containers.projectIds) {
      const key = containerKey(slug, projectId);
      try {
        const snapshot = await env.snapshots.load(key);
        const cursor = (await env.cursors.get(key)) as PlaneCursor | null;
        const collector = new ProjectCollector({ client, settings, mapper, members, slug, webBase, log: ctx.log, signal: ctx.signal, heartbeat: ctx.heartbeat }, projectId);
        const collection = await collector.collect(snapshot, cursor);
        const before = snapshot ? new Map([...snapshot].map(([id, e]) => [id, e.item])) : null;
        results.push({ projectId, collection, before });
        ctx.log.info({ project: projectId, mode: collection.mode, items: collection.entries.size, changed: collection.changed.size, deleted: collection.deleted.length, sweep: collection.sweep }, "plane project collected");
      } catch (err) {
        throw planeFailure(err, { credentialEnv: env.credentialEnv, container: `project ${projectId} in workspace ${slug}` });
      }
    }

    const mode = results.some((r) => r.collection.mode === "full") ? "full" : "incremental";
    const writer = new CollectedWriter(ctx.artifacts, ctx.job.workflowId, input.outputPath, { platform: "plane", collectedAt: new Date().toISOString(), mode, containers: input.containers.projectIds });
    const deleted: ItemRef[] = [];
    const errors: { id: string | null; message: string }[] = [];
    let data: ArtifactRef;
    try {
      for (const { collection } of results) {
        for (const entry of collection.entries.values()) await writer.add(entry.item, entry.raw);
        deleted.push(...collection.deleted.map((id) => ({ platform: "plane" as const, id })));
        errors.push(...collection.errors);
      }
      const changed = results.reduce((n, r) => n + r.collection.changed.size, 0);
      data = await writer.finish({ deleted, errors, stats: { projects: results.length, changed, deleted: deleted.length, errors: errors.length, durationMs: Date.now() - started } });
    } catch (err) {
      await writer.abort(err);
      throw err;
    }

    const artifacts = [data];
    const events = results.flatMap((r) => changeEvents(r.before, new Map([...r.collection.entries].map(([id, e]) => [id, e.item])), r.collection.deleted, new Date()));
    if (input.eventsPath) artifacts.push(await ctx.artifacts.putJson(ctx.job.workflowId, input.eventsPath, { platform: "plane", generatedAt: new Date().toISOString(), mode, events }));

    for (const { projectId, collection } of results) {
      const key = containerKey(slug, projectId);
      await env.snapshots.save(key, collection.entries.values());
      await env.cursors.set(key, collection.cursor as unknown as Record<string, unknown>);
    }
    const items = results.reduce((n, r) => n + r.collection.entries.size, 0);
    return {
      output: {
        items,
        mode,
        deleted: deleted.length,
        errors: errors.length,
        events: events.length,
        projects: Object.fromEntries(results.map((r) => [r.projectId, { mode: r.collection.mode, items: r.collection.entries.size, changed: r.collection.changed.size, deleted: r.collection.deleted.length, idSweep: r.collection.sweep }])),
      },
      artifacts,
    };
  };
}

import type { ItemRef, PlatformEvent } from "@pmo/contracts";
import { CollectedSnapshots, CollectedWriter, toJobFailure, type AgentEnvironment } from "@pmo/platform-agent";
import type { JobHandler } from "@pmo/runtime";
import { reposOf } from "./containers.js";
import type { GitHubClient } from "./github-client.js";
import { RepoCollector, type RepoCollection } from "./repo-collector.js";
import type { GitHubSettings } from "./settings.js";

interface CollectInput {
  containers: { repos?: string[] } | null;
  outputPath: string;
  eventsPath?: string;
}

/**
 * `collect`: every configured repository, one after the other (the budget is per credential, so
 * parallel repos would only contend), merged snapshots streamed into `data/github-collected.json`,
 * changes since the last run into `monitoring/github-events.json`. Once the output is stored it is
 * every repository's snapshot, and the cursors move on.
 */
export function collectJob(env: AgentEnvironment, client: GitHubClient, settings: GitHubSettings): JobHandler {
  const snapshots = new CollectedSnapshots(env.artifacts);
  return async (ctx) => {
    const input = ctx.job.input as unknown as CollectInput;
    const repos = reposOf(input.containers);
    const collector = new RepoCollector({ client, settings, cursors: env.cursors, snapshots, signal: ctx.signal, heartbeat: () => ctx.heartbeat() });
    // The mode is known after the last repository (full only when every one was swept): it goes at the end.
    const writer = new CollectedWriter(ctx.artifacts, ctx.job.workflowId, input.outputPath, { platform: "github", collectedAt: new Date().toISOString(), containers: repos });
    const deleted: ItemRef[] = [];
    const errors: { id: string | null; message: string }[] = [];
    const events: PlatformEvent[] = [];
    const collected = new Map<string, RepoCollection>();
    let full = true;
    let fetched = 0;
    try {
      for (const repo of repos) {
        let r;
        try {
          r = await collector.collect(repo, writer);
        } catch (err) {
          throw toJobFailure(err, { credentialEnv: env.credentialEnv, container: `repository ${repo}` });
        }
        ctx.heartbeat();
        collected.set(repo, r);
        full &&= r.swept;
        fetched += r.fetchedItems;
        deleted.push(...r.deleted.map((id) => ({ platform: "github" as const, id })));
        errors.push(...r.errors);
        events.push(...r.events);
      }
      const mode = full ? "full" : "incremental";
      const stats = { repos: repos.length, fetched, deleted: deleted.length, errors: errors.length, events: events.length };
      const data = await writer.finish({ deleted, errors, stats, mode });
      for (const [repo, r] of collected) await collector.commit(repo, r, { workflowId: ctx.job.workflowId, path: input.outputPath, digest: data.digest });
      const artifacts = [data];
      if (input.eventsPath) artifacts.push(await ctx.artifacts.put(ctx.job.workflowId, input.eventsPath, JSON.stringify({ platform: "github", events })));
      return { output: { items: writer.items, mode, ...stats }, artifacts };
    } catch (err) {
      await writer.abort(err);
      throw err;
    }
  };
}

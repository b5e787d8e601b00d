/** The ClickUp and Plane entries of `bench/collect.bench.ts` (GitHub's lives there). */
import type { Platform } from "@pmo/contracts";
import type { SandboxHandle, TruthItem } from "@pmo/sandbox";
import { CHANGED_SHARE, RequestRecorder, minimumRequests, peakRssMb, roundsFor, startBenchAgent, timedRounds, type Figures, type PlatformBench } from "./collect-kit.js";
import { FloorProcess } from "./floor-runner.js";
import type { ChainRule, FloorJob } from "./floors.js";
import type { RequestLogEntry } from "@pmo/sandbox";

/** Pages of `perPage` needed to list `n` items (an empty list still costs one request). */
const pages = (n: number, perPage = 100) => Math.max(1, Math.ceil(n / perPage));

/** The item counts of those pages. */
const pageSizes = (n: number, perPage = 100) => Array.from({ length: pages(n, perPage) }, (_, p) => Math.min(perPage, n - p * perPage));

function countBy(items: TruthItem[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of items) out.set(i.container, (out.get(i.container) ?? 0) + 1);
  return out;
}

interface Dialect {
  platform: Platform;
  containers(sandbox: SandboxHandle): Record<string, unknown>;
  /** Ground-truth page counts of the patterns that scale with the items. */
  knownMinimum(sandbox: SandboxHandle, live: TruthItem[]): Record<string, number>;
  floorHeaders(sandbox: SandboxHandle): Record<string, string>;
  /** Which recorded pages depend on the one before (fetched in order by the floor; floors.ts). */
  pageChain: ChainRule;
}

/** Full collection and the floor over the same pages (timed rounds), then a re-run after 1% of the items changed title. */
function benchFor(d: Dialect): PlatformBench {
  return {
    platform: d.platform,
    async run(sandbox): Promise<Figures> {
      const agent = await startBenchAgent(d.platform, sandbox);
      const floor = await FloorProcess.start();
      const live = sandbox.truth.items[d.platform].filter((i) => i.deletedAt === null);
      const containers = d.containers(sandbox);
      try {
        // The first round's requests are the ones counted, and the ones every round's floor replays.
        let full: RequestLogEntry[] = [];
        const replay = (chain: ChainRule | null): FloorJob => ({ kind: "replay", baseUrl: sandbox.urls[d.platform], paths: full.filter((e) => e.method === "GET").map((e) => e.url), headers: d.floorHeaders(sandbox), chain });
        const rounds = await timedRounds(agent.proc.proc.pid, {
          natsPid: agent.natsPid,
          repeats: roundsFor(d.platform),
          collect: async (round) => {
            const recorder = round === 0 ? new RequestRecorder(sandbox, d.platform) : null;
            await agent.collect(containers);
            if (recorder) full = recorder.stop();
          },
          floor,
          floorJob: () => replay(d.pageChain),
          reset: () => agent.forget(),
        });
        const replayMs = await floor.run(replay(null));

        const changed = live.filter((_, i) => i % Math.round(1 / CHANGED_SHARE) === 0);
        for (const item of changed) sandbox.control.mutate({ platform: d.platform, id: item.id, container: item.container, fields: { title: `${item.title} (bench)` } });
        const recorder = new RequestRecorder(sandbox, d.platform);
        await agent.collect(containers);
        const incremental = recorder.stop();
        return {
          platform: d.platform,
          items: live.length,
          requests: full.length,
          minimum: minimumRequests(full, d.knownMinimum(sandbox, live)),
          rounds,
          unorderedFloorMs: replayMs,
          peakRssMb: peakRssMb(agent.proc.proc.pid!),
          incrementalRequests: incremental.length,
          changed: changed.length,
        };
      } finally {
        await floor.stop();
        await agent.stop();
      }
    },
  };
}

export const clickup = benchFor({
  platform: "clickup",
  containers: ({ truth }) => ({ teamId: truth.clickup.teamId, spaceIds: truth.clickup.spaces.map((s) => s.id), listIds: truth.clickup.lists.map((l) => l.id) }),
  knownMinimum: ({ truth }, live) => {
    const perList = countBy(live);
    const sizes = truth.clickup.lists.flatMap((l) => pageSizes(perList.get(l.id) ?? 0));
    return {
      "/list/:list_id/task": sizes.length,
      // Time in status, one request per task page: the bulk endpoint takes 2 to 100 ids, a page of one goes to the single endpoint.
      "/task/bulk_time_in_status/task_ids": sizes.filter((n) => n >= 2).length,
      "/task/:task_id/time_in_status": sizes.filter((n) => n === 1).length,
    };
  },
  floorHeaders: ({ credentials }) => ({ authorization: credentials.clickupToken, accept: "application/json" }),
  pageChain: "clickup-pages",
});

export const plane = benchFor({
  platform: "plane",
  containers: ({ truth }) => ({ workspace: truth.plane.workspaceSlug, projectIds: truth.plane.projects.map((p) => p.id) }),
  knownMinimum: ({ truth }, live) => {
    const perProject = countBy(live);
    const items = "/workspaces/:slug/projects/:project_id/work-items";
    return {
      [`${items}/`]: truth.plane.projects.reduce((sum, p) => sum + pages(perProject.get(p.id) ?? 0), 0),
      // Plane has no bulk history or relations endpoint: one page of each per work item.
      [`${items}/:issue_id/activities/`]: live.length,
      [`${items}/:issue_id/relations/`]: live.length,
    };
  },
  floorHeaders: ({ credentials }) => ({ "x-api-key": credentials.planeApiKey, accept: "application/json" }),
  pageChain: "plane-cursor",
});

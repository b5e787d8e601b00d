/**
 * `npm run bench:collect`: each platform agent (as its own process) collects 10k items from the
 * sandbox (rate limits off). Figures: requests made vs the minimum the API needs, wall time vs a plain
 * undici loop fetching the same pages (the floor), the agent's peak RSS, and a re-run after 1% of the
 * items changed. Targets (issue #4): requests = minimum; time ≤ 1.3× floor; RSS ≤ 300 MB;
 * incremental ≤ 5% of the full run's requests.
 *
 * Each platform is one entry of BENCHES (ClickUp's and Plane's in collect-clickup-plane.ts);
 * `BENCH_PLATFORMS=clickup,plane` runs a subset.
 */
import { availableParallelism } from "node:os";
import { startSandbox } from "@pmo/sandbox";
import { clickup, plane } from "./collect-clickup-plane.js";
import { CHANGED_SHARE, cpuBoundRatio, median, peakRssMb, roundsFor, startBenchAgent, timedRounds, type Figures, type PlatformBench } from "./collect-kit.js";
import { FloorProcess } from "./floor-runner.js";
import { recordResults } from "./results-file.js";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);

const github: PlatformBench = {
  platform: "github",
  async run(sandbox) {
    const agent = await startBenchAgent("github", sandbox);
    const repos = sandbox.truth.github.repos.map((r) => r.fullName);
    const containers = { repos };
    const live = sandbox.truth.items.github.filter((i) => i.deletedAt === null);
    const floor = await FloorProcess.start();
    try {
      const total = () => sandbox.control.counters().github!.requests.total;
      let requests = 0;
      // A round ends when the job's result is in, as ClickUp's and Plane's do (reading the output back is not the collection's time).
      const rounds = await timedRounds(agent.proc.proc.pid, {
        natsPid: agent.natsPid,
        repeats: roundsFor("github"),
        collect: async (round) => {
          const mark = total();
          await agent.collect(containers);
          if (round === 0) requests = total() - mark;
        },
        floor,
        floorJob: () => ({ kind: "github", baseUrl: sandbox.urls.github, token: sandbox.credentials.githubToken, repos }),
        reset: () => agent.forget(),
      });
      // The API's minimum: issue pages and pull pages per repo (100 a page), one timeline page per item,
      // one blocked_by page per item that has blockers (GitHub lists dependencies per issue only),
      // the repository object (deletion check baseline) and the ETag priming page per repo.
      let minimum = 0;
      for (const repo of repos) {
        const mine = live.filter((i) => i.container === repo);
        const numbers = new Set(mine.map((i) => i.id));
        const blocked = mine.filter((i) => i.blockedBy.some((b) => numbers.has(b) && b !== i.id)).length;
        minimum += Math.ceil(mine.length / 100) + Math.ceil(mine.filter((i) => i.kind === "pull_request").length / 100) + mine.length + blocked + 2;
      }

      const changed = live.filter((_, i) => i % Math.round(1 / CHANGED_SHARE) === 0);
      for (const item of changed) sandbox.control.mutate({ platform: "github", id: item.id, container: item.container, comment: "bench change" });
      const mark = total();
      await agent.collect(containers);
      const incrementalRequests = total() - mark;
      return { platform: "github", items: live.length, requests, minimum, rounds, peakRssMb: peakRssMb(agent.proc.proc.pid!), incrementalRequests, changed: changed.length };
    } finally {
      await floor.stop();
      await agent.stop();
    }
  },
};

const only = process.env.BENCH_PLATFORMS?.split(",");
const BENCHES: PlatformBench[] = [github, clickup, plane].filter((b) => !only || only.includes(b.platform));

const results: Figures[] = [];
for (const bench of BENCHES) {
  const sandbox = await startSandbox({ seed: 42, itemsPerPlatform: ITEMS, rateLimits: { githubPerHour: 10_000_000, clickupPerMinute: 10_000_000, planePerMinute: 10_000_000 } });
  try {
    results.push(await bench.run(sandbox));
  } finally {
    await sandbox.close();
  }
}

const CORES = availableParallelism();
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const row = (r: Figures) => {
  const m = (pick: (x: Figures["rounds"][number]) => number) => median(r.rounds.map(pick));
  const ratios = r.rounds.map((x) => x.full.wallMs / x.floorMs);
  const range = ratios.length > 1 ? ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : "";
  const faults = (n: number) => `${(n / 1000).toFixed(0)}k`;
  return `| ${r.platform} | ${r.items} | ${r.requests} | ${r.minimum} | ${seconds(m((x) => x.full.wallMs))} | ${seconds(m((x) => x.floorMs))} | ${median(ratios).toFixed(2)}×${range} | ${median(r.rounds.map((x) => cpuBoundRatio(x, CORES))).toFixed(2)}× | ${r.unorderedFloorMs === undefined ? "–" : seconds(r.unorderedFloorMs)} | ${seconds(m((x) => x.full.processCpuMs))} / ${seconds(m((x) => x.full.ownCpuMs))} / ${seconds(m((x) => x.full.natsCpuMs))} | ${seconds(m((x) => x.floor.processCpuMs))} / ${seconds(m((x) => x.floor.ownCpuMs))} | ${faults(m((x) => x.full.processFaults))} / ${faults(m((x) => x.floor.processFaults))} | ${r.peakRssMb} MB | ${r.incrementalRequests} (${r.changed} changed) | ${((100 * r.incrementalRequests) / r.requests).toFixed(1)}% |`;
};

const lines = [
  `${ITEMS} generated items per platform (live ones collected), sandbox rate limits off, agent as its own process, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. Full collection and floor timed alternately (${results.map((r) => `${r.platform} ${r.rounds.length}×`).join(", ")}): medians, and the range of the per-round ratios.`,
  "",
  "| platform | items | requests (full) | minimum | wall time | floor (plain undici, own process) | time / floor | CPU-bound limit | pages all in parallel (reference) | CPU: agent / sandbox / nats-server (full run) | CPU: client / sandbox (floor) | page faults: agent (full run) / floor client | peak RSS | incremental (1% changed) | incremental / full |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ...results.map(row),
  "",
  `GitHub minimum = per repo: issue pages + pull pages (100 a page) + one timeline page per item + one blocked_by page per item with blockers + the repository object + one page priming the next run's ETag. ClickUp minimum = task pages per list (100 a page) from the ground truth + one time-in-status request per task page + each hierarchy/time-entry URL once. Plane minimum = work-item pages per project (100 a page) + one activities page and one relations page per work item (Plane has no bulk endpoint for either) + each catalog URL (members, project, states, labels, cycles, modules, cycle/module issues) once. ClickUp's and Plane's floor replays the agent's own GETs with plain undici, 8 at a time, each list's (project's) pages in order, as any client must follow them (ClickUp: until last_page; Plane: the next cursor); the reference column replays every page independently, which no client can do. The floor client runs in a process of its own, kept for all of a platform's rounds, as the agent is (until 2026-11-26 it ran inside this process, taking turns with the sandbox on one thread: that floor counted the sandbox's serving and the client's parsing one after the other, and came out ~20–30% slower than this one). Since 2026-11-26 the sandbox answers Plane's relations from indexes (each answer scanned every item for the item's blockers and waiters before: ~1 ms a request at 10k items, so Plane's agent and floor alike mostly waited on the sandbox). Every full collection after the first starts from scratch (cursors and snapshots forgotten), as a first run. Until 2026-11-27 GitHub's timed rounds also read the whole output back from NATS and zod-parsed it in this process (the tests' helper), inside the round; every platform's round now ends when the job's result is in. The incremental run changes 1% of the items (GitHub: a comment; ClickUp and Plane: the title). Targets: requests = minimum, time ≤ 1.3× floor, RSS ≤ 300 MB, incremental ≤ 5%. CPU-bound limit: the lowest time / floor the full run's CPU allows, (agent + sandbox + nats-server CPU) / ${CORES} cores / floor, the median over the rounds: a collection cannot end before the CPU it used, spread perfectly over every core, is spent; where this limit is over 1.3×, the target cannot be met by waiting less, only by using less CPU. CPU columns: what the agent process, this process (the sandbox serving, mostly) and the nats-server used during the full collection, and what the floor client's process and this one used during the floor; the collection, its floor and the sandbox share this machine's two cores. Page faults: minor faults of the agent during a full run, and of the floor client during the floor; on this VM each costs ~15 µs (fresh memory is mapped in by the host), so they are a large share of the time.`,
];
console.log(lines.join("\n"));
// A subset run (BENCH_PLATFORMS) is for looking at one platform: it must not replace the recorded table with a partial one.
if (BENCHES.length === 3) recordResults("Collect", lines);
else console.error("bench/RESULTS.md not updated: only a full run (all three platforms) is recorded");

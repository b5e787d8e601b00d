/** Shared plumbing of `bench/collect.bench.ts`: figures, peak RSS, a request recorder, timed rounds, an agent as a process (the floors: floors.ts). */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { ObjectStore } from "@nats-io/obj";
import type { NatsConnection } from "@nats-io/transport-node";
import { Bucket, Subjects, wrap, type JobResult, type Platform } from "@pmo/contracts";
import { ArtifactStore, ensureTopology } from "@pmo/runtime";
import { writeSandboxConfig, type SandboxHandle } from "@pmo/sandbox";
import type { RequestLogEntry } from "@pmo/sandbox";
import { startNatsServer } from "../test/harness/nats-server.js";
import { testJob, waitForJobResult } from "../test/harness/jobs.js";
import { connectTo, serviceEnv } from "../test/harness/mesh.js";
import { startProcess, type ServiceProcess } from "../test/harness/processes.js";
import type { FloorJob } from "./floors.js";
import type { FloorProcess } from "./floor-runner.js";
import { childPid, cpuMsOf, minorFaultsOf, ownCpuMs } from "./proc-stats.js";

export { peakRssMb } from "./proc-stats.js";

export const CHANGED_SHARE = 0.01;

export interface Figures {
  platform: string;
  items: number;
  requests: number;
  minimum: number;
  /** The full collection and its floor, timed alternately (see timedRounds). */
  rounds: Round[];
  /** The same GETs with every page fetched independently (no client can do this; shown for reference). */
  unorderedFloorMs?: number;
  peakRssMb: number;
  incrementalRequests: number;
  changed: number;
}

export interface PlatformBench {
  platform: string;
  run(sandbox: SandboxHandle): Promise<Figures>;
}

/**
 * Every request the emulator logged while recording. The sandbox's log is bounded (10,000 entries),
 * so it is drained every 100 ms by sequence number: a 20k-request collection loses none.
 */
export class RequestRecorder {
  private readonly seen: RequestLogEntry[] = [];
  private last: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sandbox: SandboxHandle,
    private readonly platform: Platform,
  ) {
    this.last = sandbox.control.requests(platform).at(-1)?.seq ?? 0;
    this.timer = setInterval(() => this.drain(), 100);
  }

  private drain(): void {
    for (const e of this.sandbox.control.requests(this.platform)) if (e.seq > this.last) (this.seen.push(e), (this.last = e.seq));
  }

  stop(): RequestLogEntry[] {
    clearInterval(this.timer);
    this.drain();
    return this.seen;
  }
}

/**
 * The fewest requests the collection needs: where the bench knows the ground truth's page count for
 * a pattern (`known`), that; for every other pattern (hierarchy, catalogs), each distinct URL once.
 */
export function minimumRequests(entries: RequestLogEntry[], known: Record<string, number>): number {
  const distinct = new Map<string, Set<string>>();
  for (const e of entries) (distinct.get(e.pattern) ?? distinct.set(e.pattern, new Set()).get(e.pattern)!).add(e.url);
  let total = 0;
  for (const [pattern, urls] of distinct) total += known[pattern] ?? urls.size;
  for (const [pattern, n] of Object.entries(known)) if (!distinct.has(pattern)) total += n;
  return total;
}

/** Requests per pattern, for a bench's log: where the requests went. */
export function byPattern(entries: RequestLogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) out[e.pattern] = (out[e.pattern] ?? 0) + 1;
  return out;
}

/** A nats-server, the sandbox config (limits off), and `<platform>-agent` as its own process. */
/** The environment the image gives every service (Dockerfile): the agents are measured as they run there. */
export const AS_DEPLOYED = { MALLOC_ARENA_MAX: "2" } as const;

export async function startBenchAgent(platform: Platform, sandbox: SandboxHandle, patch: Record<string, unknown> = {}) {
  const server = await startNatsServer();
  // The harness's server is this process's only nats-server child while a platform is benched.
  const natsPid = childPid("nats-server");
  if (natsPid === undefined) console.error("bench: the nats-server's pid was not found (not Linux?): its CPU counts as 0, so the CPU-bound limit is understated");
  const nc = await connectTo(server.url);
  const topology = await ensureTopology(nc, { replicas: 1 });
  const configDir = join(mkdtempSync(join(tmpdir(), `pmo-bench-${platform}-`)), "config");
  await writeSandboxConfig(configDir, sandbox, { rateLimits: { clickupPerMinute: 10_000_000, githubPerHour: 10_000_000, planePerMinute: 10_000_000 } });
  if (Object.keys(patch).length) {
    const file = join(configDir, `${platform}-config.json`);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), ...patch }));
  }
  const env = serviceEnv(server.url, { configDir, workspaceDir: join(configDir, "..", "ws") }, { LOG_LEVEL: "info", ...AS_DEPLOYED });
  // BENCH_AGENT_NODE_ARGS: extra node flags for the agent under the benchmark (e.g. --cpu-prof).
  const proc: ServiceProcess = startProcess(`${platform}-agent`, `services/${platform}-agent/src/main.ts`, env, (process.env.BENCH_AGENT_NODE_ARGS ?? "").split(" ").filter(Boolean));
  await proc.waitForLog((e) => e.msg === `${platform}-agent started`, 60_000);
  const store = new ArtifactStore(topology.artifacts);
  let seq = 0;
  return {
    proc,
    natsPid,
    /** Runs `collect` over `containers` and waits for its result (an error is thrown). */
    async collect(containers: Record<string, unknown>): Promise<JobResult> {
      const workflowId = `bench-${platform}-${process.pid}-${++seq}`;
      const job = testJob({ workflowId, agent: platform, op: "collect", project: "bench", deadlineMs: 1_800_000, input: { platform, containers, outputPath: `data/${platform}-collected.json`, eventsPath: `monitoring/${platform}-events.json` } });
      await jetstream(nc).publish(Subjects.job(platform, "collect"), JSON.stringify(wrap("job", job)), { msgID: job.jobId });
      const result = await waitForJobResult(nc, job.jobId, 1_800_000);
      if (result.error) throw new Error(`${platform} collect failed: ${result.error.message}`);
      return result;
    },
    store,
    /** Forgets the collections so far: the next one is a first run. */
    forget: () => forgetCollections(nc, topology.artifacts, platform),
    async stop() {
      await proc.terminate();
      await nc.close();
      await server.stop();
    },
  };
}

/** What `measured` saw: wall time, and the CPU and page faults of the process measured (the agent, or the floor client), of this one (the sandbox) and of the nats-server meanwhile. */
export interface Measured {
  wallMs: number;
  processCpuMs: number;
  ownCpuMs: number;
  natsCpuMs: number;
  processFaults: number;
  ownFaults: number;
}

/** Runs `work`, and says how long it took and how much CPU process `pid`, this process and the nats-server used meanwhile. */
export async function measured(pid: number | undefined, work: () => Promise<unknown>, natsPid?: number): Promise<Measured> {
  const process0 = cpuMsOf(pid);
  const own0 = ownCpuMs();
  const nats0 = cpuMsOf(natsPid);
  const faults0 = { process: minorFaultsOf(pid), own: minorFaultsOf("self") };
  const t0 = performance.now();
  await work();
  return {
    wallMs: performance.now() - t0,
    processCpuMs: cpuMsOf(pid) - process0,
    ownCpuMs: ownCpuMs() - own0,
    natsCpuMs: cpuMsOf(natsPid) - nats0,
    processFaults: minorFaultsOf(pid) - faults0.process,
    ownFaults: minorFaultsOf("self") - faults0.own,
  };
}

/**
 * How many times a platform's full collection and its floor are each timed, alternately
 * (`BENCH_REPEAT` for all). ClickUp's rounds take ~3 s and its ratio varied most from round to
 * round (1.0–2.1× in one run of this machine), so it gets 9; GitHub's and Plane's take ~20 s.
 */
export function roundsFor(platform: string): number {
  if (process.env.BENCH_REPEAT) return Math.max(1, Number(process.env.BENCH_REPEAT));
  return platform === "clickup" ? 9 : 3;
}

/** One timing of the full collection and one of its floor, taken one after the other. */
export interface Round {
  full: Measured;
  floor: Measured;
  floorMs: number;
}

/**
 * The full collection and its floor, `repeats` times alternately: on a shared 2-core VM one timing
 * varies by ±20%, so the figures are medians and the ratio's range is shown. Before every round
 * but the first, `reset` forgets what the earlier collections left, so each is a first run.
 */
export async function timedRounds(agentPid: number | undefined, opts: { natsPid?: number; repeats: number; collect: (round: number) => Promise<unknown>; floor: FloorProcess; floorJob: () => FloorJob; reset: () => Promise<void> }): Promise<Round[]> {
  const rounds: Round[] = [];
  for (let i = 0; i < opts.repeats; i++) {
    if (i > 0) await opts.reset();
    // No forced garbage collection between timings: on this VM it hands the heap's pages back, and
    // the sandbox then faults them in again (Plane's floor took 3x longer, 2M page faults).
    const full = await measured(agentPid, () => opts.collect(i), opts.natsPid);
    let floorMs = 0;
    const floor = await measured(opts.floor.pid, async () => void (floorMs = await opts.floor.run(opts.floorJob())));
    rounds.push({ full, floor, floorMs });
  }
  return rounds;
}

/**
 * The lowest time / floor that the round's CPU allows: the agent, the sandbox (this process) and the
 * nats-server used it all on the machine's cores, so the collection cannot end before that CPU,
 * spread perfectly over every core, is spent. A ratio near this bound is CPU-bound, not waiting.
 */
export function cpuBoundRatio(round: Round, cores: number): number {
  const { processCpuMs, ownCpuMs, natsCpuMs } = round.full;
  return (processCpuMs + ownCpuMs + natsCpuMs) / cores / round.floorMs;
}

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Forgets what earlier collections of `platform` left (its cursors, which name its snapshots): the next collection is a first run. */
export async function forgetCollections(nc: NatsConnection, artifacts: ObjectStore, platform: Platform): Promise<void> {
  const cursors = await new Kvm(nc).open(Bucket.Cursors);
  for await (const key of await cursors.keys(`${platform}.>`)) await cursors.purge(key);
}

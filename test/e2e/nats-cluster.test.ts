import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { Bucket, Stream, type Agent } from "@pmo/contracts";
import { getJson, kvKey, type RunningService } from "@pmo/runtime";
import { startFakeAgent } from "../agents/fake-agent.js";
import { makeConfig } from "../harness/config-fixture.js";
import { connectTo, publishRequest, serviceEnv, startOrchestrator, waitForRecord, waitForWorkflow, type FinishedWorkflow } from "../harness/mesh.js";
import { startNatsCluster, type NatsCluster } from "../harness/nats-server.js";

const AGENTS: Agent[] = ["clickup", "github", "plane", "report"];
const PLATFORMS = ["clickup", "github", "plane"] as const;
const REPLICATED = [Stream.Workflows, Stream.Jobs, Stream.Results, Stream.Events, Stream.Alerts, "KV_pmo_workflows", "KV_pmo_ledger", "KV_pmo_cursors", "KV_pmo_links", "OBJ_pmo_artifacts"];

/**
 * Room for a failover. A pull request parked on a killed consumer leader is only noticed when its idle
 * heartbeats stop (nats.js `consume()` defaults: 30 s expiry, heartbeats every 15 s), so a job can wait
 * up to ~30 s before a surviving leader hands it out; and on nats-server 2.9 some ephemeral consumers
 * (KV listings, object reads) are placed on the dead peer and time out (5 s) until it is back. Deadlines
 * must outlast that; nothing here is a speed assertion.
 */
const FAILOVER_POLICY = {
  jobTimeoutMs: 60_000,
  phaseDeadlinesMs: { initialization: 90_000, discovery: 90_000, analysis: 90_000, actions: 90_000, synchronization: 90_000, reporting: 90_000 },
};

type Tasks = Record<string, { status: string; jobIds: string[] }>;

/**
 * A 3-node JetStream cluster with R3 streams, buckets and object store (PMO_REPLICAS=3). The node that
 * leads PMO_JOBS is killed (SIGKILL) while the collection jobs are in flight; the mesh goes on with two
 * nodes, the dead node is restarted (as `restart: unless-stopped` would) and catches up; the workflow
 * completes and no job, result, state or artifact is lost.
 */
describe("the mesh on a 3-node NATS cluster", () => {
  let cluster: NatsCluster;
  let services: RunningService[] = [];
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
    const env = serviceEnv(cluster.url, makeConfig(FAILOVER_POLICY), { PMO_REPLICAS: "3" });
    services = [await startOrchestrator(env)];
    // Collection is slow enough that the node dies while every platform's job is in flight.
    const slowCollect = Object.fromEntries(PLATFORMS.map((p) => [`${p}.collect`, { delayMs: 1_500 }]));
    for (const agent of AGENTS) services.push(await startFakeAgent(agent, { env, behaviours: slowCollect }));
    nc = await connectTo(cluster.url);
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc?.close();
    for (const s of [...services].reverse()) await s.stop();
    await cluster?.stop();
  });

  it("creates every stream, bucket and the object store with 3 replicas", async () => {
    for (const name of REPLICATED) expect((await jsm.streams.info(name)).config.num_replicas, name).toBe(3);
  });

  it("completes a workflow when the node leading PMO_JOBS is killed mid-workflow, losing no job, result, state or artifact", { timeout: 180_000 }, async () => {
    await publishRequest(nc, { action: "report", platforms: [...PLATFORMS], project: "web", requestId: "cluster-1", parameters: { reportType: "weekly", formats: ["markdown", "html", "json", "pdf"] } });
    await waitForRecord(nc, "cluster-1", (r) => PLATFORMS.every((p) => r.engine.tasks[`discovery/${p}/collect`]?.status === "dispatched"), 30_000);

    const leader = (await jsm.streams.info(Stream.Jobs)).cluster?.leader;
    // The harness names its nodes n1, n2, n3, in the order of `cluster.servers`.
    const victim = cluster.servers[Number(leader?.replace(/^n/, "")) - 1];
    expect(victim, `PMO_JOBS leader ${leader}`).toBeDefined();
    await victim!.kill();

    // The mesh makes progress on the two survivors: results are taken in and state committed with the
    // node down. Then it comes back, as `restart: unless-stopped` would bring it back.
    await waitForRecord(nc, "cluster-1", (r) => PLATFORMS.some((p) => r.engine.tasks[`discovery/${p}/collect`]?.status === "succeeded"), 120_000);
    // A new PMO_JOBS leader among the survivors (the test's own client may still be failing over).
    const jobsLeader = () => jsm.streams.info(Stream.Jobs).then((i) => i.cluster?.leader, () => undefined);
    await expect.poll(jobsLeader, { timeout: 30_000, interval: 250 }).toSatisfy((l) => typeof l === "string" && l !== leader);
    await victim!.restart();

    const done = await waitForWorkflow(nc, "cluster-1", 120_000);
    expect(done.record.state.status, JSON.stringify(done.record.state.metadata.errors, null, 1)).toBe("complete");
    // The restarted node caught up: every replica of every stream is current again.
    await expect.poll(() => laggingReplicas(jsm), { timeout: 30_000, interval: 250 }).toEqual([]);
    await expectNothingLost(done);
  });

  /** Every task succeeded; every job dispatched was answered by an agent; queues drained; artifacts stored. */
  async function expectNothingLost(done: FinishedWorkflow): Promise<void> {
    const tasks = Object.entries(done.record.engine.tasks as Tasks);
    expect(tasks.length).toBeGreaterThanOrEqual(3 + 3 + 1 + 4);
    const ledger = await new Kvm(nc).open(Bucket.Ledger);
    const stored = services[0]!.kit.artifacts;
    const produced: string[] = [];
    for (const [key, task] of tasks) {
      expect(task.status, key).toBe("succeeded");
      // A job lost between dispatch and agent would have no entry: agents record each one they finish.
      for (const jobId of task.jobIds) {
        const result = await getJson<{ artifacts: Array<{ path: string }> }>(ledger, kvKey("job", jobId));
        expect(result, jobId).not.toBeNull();
        produced.push(...result!.value.artifacts.map((a) => a.path));
      }
    }
    // Nothing waits to be consumed: every consumer of the jobs and results has delivered everything and
    // had it acknowledged. (A job re-sent during the failover may be stored twice, since a new leader
    // knows only the ids of messages still stored; the agent answers the copy from its ledger without
    // redoing the work.) Asked of the consumers rather than of the streams' message counts: a job no
    // one will take shows there as pending or unacknowledged. Once in six runs PMO_JOBS kept one message
    // for over a minute after the failover while the workflow had completed; whether a consumer still
    // had it to deliver was not recorded then, and this check would tell.
    const waiting = async () => {
      const left: string[] = [];
      for (const stream of [Stream.Jobs, Stream.Results]) {
        for await (const c of jsm.consumers.list(stream)) if (c.num_pending + c.num_ack_pending > 0) left.push(`${stream}/${c.name}: ${c.num_pending} pending, ${c.num_ack_pending} unacknowledged`);
      }
      return left;
    };
    await expect.poll(waiting, { timeout: 60_000, interval: 250 }).toEqual([]);
    expect(produced).toEqual(expect.arrayContaining(["analysis/insights.json", ...PLATFORMS.map((p) => `data/${p}-collected.json`)]));
    expect(produced.filter((p) => p.startsWith("reports/weekly-"))).toHaveLength(4);
    for (const path of ["reports/final-report.md", ...produced]) expect((await stored.info(done.workflowId, path))?.size, path).toBeGreaterThan(0);
  }
});

async function laggingReplicas(jsm: JetStreamManager): Promise<string[]> {
  const lagging: string[] = [];
  for (const name of REPLICATED) {
    const info = await jsm.streams.info(name).catch(() => null);
    const replicas = info?.cluster?.replicas ?? [];
    if (!info || replicas.length !== 2 || replicas.some((r) => !r.current || r.offline)) lagging.push(name);
  }
  return lagging;
}

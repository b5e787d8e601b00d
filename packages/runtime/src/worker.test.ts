import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";
import { Subjects, wrap, JobResultEnvelopeSchema, type Job, type JobResult } from "@pmo/contracts";
import { startNatsServer, type NatsServer } from "../../../test/harness/nats-server.js";
import { ArtifactStore } from "./artifacts.js";
import { JobFailure } from "./errors.js";
import { getJson, kvKey } from "./kv.js";
import { createLogger } from "./logger.js";
import { ServiceMetrics } from "./metrics.js";
import { ensureAgentConsumer, ensureTopology, type Topology } from "./topology.js";
import { JobWorker, type JobHandler } from "./worker.js";

const quiet = createLogger("test", "silent");

function job(n: number, op = "collect", deadlineInMs = 60_000): Job {
  const now = Date.now();
  return { jobId: `workflow-2026-01-01-000000:discovery:github:${op}:${n}`, workflowId: "workflow-2026-01-01-000000", phase: "discovery", agent: "github", op, attempt: 1, task: "discovery/github/collect", project: "web", issuedAt: new Date(now).toISOString(), deadlineAt: new Date(now + deadlineInMs).toISOString(), input: {} };
}

describe("JobWorker against a real nats-server", () => {
  let server: NatsServer;
  let nc: NatsConnection;
  let topo: Topology;
  const results: JobResult[] = [];

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    topo = await ensureTopology(nc, { replicas: 1 });
    await ensureAgentConsumer(topo.jsm, "github", { replicas: 1, jobAckWaitMs: 500, maxDeliveries: 2 });
    nc.subscribe(Subjects.resultsAll, { callback: (_e, m) => void results.push(JobResultEnvelopeSchema.parse(m.json()).payload) });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  const startWorker = (handlers: Record<string, JobHandler>) => {
    const w = new JobWorker({ nc, agent: "github", handlers, artifacts: new ArtifactStore(topo.artifacts), ledger: topo.kv.Ledger, log: quiet, metrics: new ServiceMetrics("t"), ackWaitMs: 500, maxDeliveries: 2, concurrency: 2 });
    return w;
  };
  const waitResult = async (jobId: string) => {
    for (let i = 0; i < 200; i++) {
      const r = results.find((x) => x.jobId === jobId);
      if (r) return r;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`no result for ${jobId}`);
  };
  const send = (j: Job, raw?: string) => jetstream(nc).publish(Subjects.job("github", j.op), raw ?? JSON.stringify(wrap("job", j)), { msgID: j.jobId });

  it("runs a handler, records the result in the ledger and publishes it; a redelivered finished job is not run again", async () => {
    let runs = 0;
    const w = startWorker({ collect: async () => (runs++, { output: { items: 3 } }) });
    await w.start();
    const j = job(1);
    await send(j);
    const r = await waitResult(j.jobId);
    expect(r).toMatchObject({ ok: true, output: { items: 3 }, deliveryCount: 1 });
    expect((await getJson<JobResult>(topo.kv.Ledger, kvKey("job", j.jobId)))?.value.ok).toBe(true);
    // Same job again under a new msg id (as after a lost ack): answered from the ledger.
    await jetstream(nc).publish(Subjects.job("github", "collect"), JSON.stringify(wrap("job", j)), { msgID: `${j.jobId}-again` });
    await new Promise((res) => setTimeout(res, 300));
    expect(runs).toBe(1);
    await w.stop();
  });

  it("beats at the consumer's ack wait as the server has it, so a long job is not run again beside itself", async () => {
    // Told nothing of the consumer's 500 ms ack wait, the worker would assume 30 s (a heartbeat every 10 s).
    let runs = 0;
    const w = new JobWorker({ nc, agent: "github", handlers: { collect: async () => (runs++, await new Promise((res) => setTimeout(res, 1_600)), { output: {} }) }, artifacts: new ArtifactStore(topo.artifacts), ledger: topo.kv.Ledger, log: quiet, metrics: new ServiceMetrics("t"), maxDeliveries: 2, concurrency: 2 });
    await w.start();
    const j = job(10);
    await send(j);
    const r = await waitResult(j.jobId);
    expect(r).toMatchObject({ ok: true, deliveryCount: 1 });
    expect(runs).toBe(1);
    await w.stop();
  });

  it("does not run a job again beside itself when the server redelivers it to the process running it", async () => {
    // No heartbeat within the 500 ms ack wait (an event loop blocked that long): the server hands the job out again meanwhile.
    let runs = 0;
    const w = new JobWorker({ nc, agent: "github", handlers: { collect: async () => (runs++, await new Promise((res) => setTimeout(res, 900)), { output: { runs } }) }, artifacts: new ArtifactStore(topo.artifacts), ledger: topo.kv.Ledger, log: quiet, metrics: new ServiceMetrics("t"), heartbeatMs: 3_600_000, maxDeliveries: 2, concurrency: 2 });
    await w.start();
    const j = job(12);
    await send(j);
    expect(await waitResult(j.jobId)).toMatchObject({ ok: true, output: { runs: 1 }, deliveryCount: 1 });
    await new Promise((res) => setTimeout(res, 700)); // long enough for another delivery, had the job not been acked
    expect(runs).toBe(1);
    expect(results.filter((r) => r.jobId === j.jobId)).toHaveLength(1);
    await w.stop();
  });

  it("after a stall longer than the ack wait, the running execution's heartbeats carry the job on: one run, one result, no dead letter", async () => {
    let runs = 0;
    const stall = (ms: number) => {
      for (const t = Date.now(); Date.now() - t < ms; ); // the event loop blocked: no heartbeat goes out
    };
    const w = new JobWorker({ nc, agent: "github", handlers: { collect: async () => (runs++, stall(700), await new Promise((res) => setTimeout(res, 2_000)), { output: { runs } }) }, artifacts: new ArtifactStore(topo.artifacts), ledger: topo.kv.Ledger, log: quiet, metrics: new ServiceMetrics("t"), maxDeliveries: 2, concurrency: 3 });
    await w.start();
    const j = job(13);
    await send(j);
    expect(await waitResult(j.jobId)).toMatchObject({ ok: true, output: { runs: 1 }, deliveryCount: 1 });
    await new Promise((res) => setTimeout(res, 1_000));
    expect(runs).toBe(1);
    expect(results.filter((r) => r.jobId === j.jobId)).toHaveLength(1);
    await w.stop();
  }, 15_000);

  it("sends a handler's progress reports to the server a few at a time, not one each", async () => {
    // A collection reports progress per item; each report used to be a "+WPI" publish of its own.
    const beats: string[] = [];
    const acks = nc.subscribe("$JS.ACK.>", { callback: (_e, m) => void (m.string() === "+WPI" && beats.push(m.subject)) });
    const w = startWorker({
      collect: async (ctx) => {
        for (let i = 0; i < 20_000; i++) (ctx.heartbeat(), await Promise.resolve());
        await new Promise((res) => setTimeout(res, 400)); // more than a quarter of the 167 ms interval: one report goes out
        ctx.heartbeat();
        return { output: {} };
      },
    });
    await w.start();
    const j = job(11);
    await send(j);
    expect(await waitResult(j.jobId)).toMatchObject({ ok: true, deliveryCount: 1 });
    await nc.flush();
    acks.unsubscribe();
    // The timer's beats (every 166 ms over ~0.4 s and however long the loop took) and the last report.
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats.length).toBeLessThan(40);
    await w.stop();
  });

  it("reports retryable and non-retryable failures with their codes", async () => {
    const w = startWorker({
      collect: async () => {
        throw JobFailure.nonRetryable("token revoked", "bad_credentials");
      },
      verify: async () => {
        throw new Error("socket hang up");
      },
    });
    await w.start();
    const a = job(2);
    const b = job(3, "verify");
    await send(a);
    await send(b);
    expect((await waitResult(a.jobId)).error).toMatchObject({ code: "bad_credentials", nonRetryable: true, message: "token revoked" });
    expect((await waitResult(b.jobId)).error).toMatchObject({ code: "unexpected", nonRetryable: false, message: "socket hang up" });
    await w.stop();
  });

  it("aborts a handler at the job deadline and reports a timeout", async () => {
    const w = startWorker({ collect: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))) });
    await w.start();
    const j = job(4, "collect", 300);
    await send(j);
    expect((await waitResult(j.jobId)).error).toMatchObject({ code: "timeout", nonRetryable: false });
    await w.stop();
  });

  it("dead-letters a job whose handler never finishes (process dies each time) after max deliveries", async () => {
    // A handler that hangs without heartbeats stands in for a worker that dies mid-job: the server redelivers after ack wait.
    const hanging = new JobWorker({ nc, agent: "github", handlers: { collect: () => new Promise(() => undefined) }, artifacts: new ArtifactStore(topo.artifacts), ledger: topo.kv.Ledger, log: quiet, metrics: new ServiceMetrics("t"), ackWaitMs: 500, heartbeatMs: 3_600_000, maxDeliveries: 2, concurrency: 4 });
    await hanging.start();
    const j = job(5);
    await send(j);
    const r = await waitResult(j.jobId);
    expect(r.error).toMatchObject({ code: "max_deliveries", nonRetryable: true });
    expect(r.deliveryCount).toBe(3);
    const dead = await getJson<{ reason: string; deliveries: number }>(topo.kv.Ledger, kvKey("deadletter", "github", j.jobId));
    expect(dead?.value.deliveries).toBe(2);
    await hanging.stop(50);
  });

  it("terminates a malformed job and tells its workflow when the job id can be read", async () => {
    const w = startWorker({ collect: async () => ({}) });
    await w.start();
    const j = job(6);
    await send(j, JSON.stringify({ version: 1, type: "job", payload: { jobId: j.jobId, op: "collect" } }));
    const r = await waitResult(j.jobId);
    expect(r.error?.code).toBe("malformed_job");
    expect(r.error?.message).toMatch(/payload\.workflowId/);
    await w.stop();
  });
});

describe("logger", () => {
  it("redacts credentials wherever they appear", () => {
    let out = "";
    const sink = new Writable({ write: (chunk, _e, cb) => ((out += chunk.toString()), cb()) });
    const log = createLogger("t", "info", sink);
    log.info({ token: "pk_secret", config: { apiKey: "plane-secret", baseUrl: "http://x" }, headers: { authorization: "Bearer ghp_x" } }, "hello");
    expect(out).not.toMatch(/pk_secret|plane-secret|ghp_x/);
    expect(out).toContain("[redacted]");
    expect(out).toContain("http://x");
  });
});

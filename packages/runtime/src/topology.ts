import { nanos, type NatsConnection } from "@nats-io/transport-node";
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from "@nats-io/jetstream";
import { Kvm, type KV } from "@nats-io/kv";
import { Objm, type ObjectStore } from "@nats-io/obj";
import { Agent, Bucket, Consumer, ObjectStore as ObjectStoreName, Stream, Subjects } from "@pmo/contracts";

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** Redeliveries a job gets before it is dead-lettered. @default 5 */
export const DEFAULT_MAX_DELIVERIES = 5;
/** A job un-acked (and not heartbeating) this long is redelivered to another replica. @default 30 s */
export const DEFAULT_JOB_ACK_WAIT_MS = 30_000;

/** How long PMO_JOBS remembers a job id: a re-dispatch within it is dropped by the server. */
export const JOBS_DUPLICATE_WINDOW_MS = 10 * MIN;

export interface TopologyOptions {
  /** Stream / bucket replication; 3 on a NATS cluster. */
  replicas: number;
  /** Ack wait of the job consumers; tests shorten it so a killed agent's job comes back quickly. */
  jobAckWaitMs?: number;
  maxDeliveries?: number;
}

/** Stream definitions (DESIGN §2). Only 2.9-compatible fields. */
type NamedStreamConfig = Partial<StreamConfig> & { name: string };

export function streamConfigs(replicas: number): NamedStreamConfig[] {
  const base = { storage: StorageType.File, num_replicas: replicas };
  return [
    {
      ...base,
      name: Stream.Workflows,
      subjects: [Subjects.workflowRequest, Subjects.workflowEventsAll],
      retention: RetentionPolicy.Limits,
      max_age: nanos(7 * DAY),
      duplicate_window: nanos(2 * MIN),
    },
    {
      ...base,
      name: Stream.Jobs,
      subjects: [Subjects.jobsAll],
      retention: RetentionPolicy.Workqueue,
      // Wider than the seed's 2 min: a re-dispatch after a long orchestrator outage is still dropped.
      duplicate_window: nanos(JOBS_DUPLICATE_WINDOW_MS),
    },
    {
      ...base,
      name: Stream.Results,
      subjects: [Subjects.resultsAll],
      retention: RetentionPolicy.Workqueue,
      duplicate_window: nanos(10 * MIN),
    },
    {
      ...base,
      name: Stream.Events,
      subjects: [Subjects.platformEventsAll],
      retention: RetentionPolicy.Limits,
      max_age: nanos(30 * DAY),
      duplicate_window: nanos(60 * MIN),
      discard: DiscardPolicy.Old,
    },
    {
      ...base,
      name: Stream.Alerts,
      subjects: [Subjects.alertsAll],
      retention: RetentionPolicy.Limits,
      max_age: nanos(30 * DAY),
      duplicate_window: nanos(60 * MIN),
    },
  ];
}

async function ensureStream(jsm: JetStreamManager, cfg: NamedStreamConfig): Promise<void> {
  try {
    await jsm.streams.info(cfg.name);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.streams.add(cfg);
    } catch (addErr) {
      // Another service created it between our info and add: fine.
      if (!/already in use|already exists/i.test(String((addErr as Error).message))) throw addErr;
    }
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; name?: string; message?: string; api_error?: { err_code?: number } };
  return e?.name === "StreamNotFoundError" || e?.name === "ConsumerNotFoundError" || /not found/i.test(e?.message ?? "");
}

/** A durable pull consumer; re-created settings are applied as an update where the server allows it. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  filterSubject: string,
  opts: { ackWaitMs: number; maxDeliver: number; deliverPolicy?: DeliverPolicy },
): Promise<void> {
  const config = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    filter_subject: filterSubject,
    ack_wait: nanos(opts.ackWaitMs),
    max_deliver: opts.maxDeliver,
    deliver_policy: opts.deliverPolicy ?? DeliverPolicy.All,
    max_ack_pending: 1_000,
  };
  try {
    await jsm.consumers.info(stream, durable);
    await jsm.consumers.update(stream, durable, { ack_wait: config.ack_wait, max_deliver: config.max_deliver, max_ack_pending: config.max_ack_pending });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await jsm.consumers.add(stream, config);
  }
}

export interface Topology {
  jsm: JetStreamManager;
  kv: Record<keyof typeof Bucket, KV>;
  artifacts: ObjectStore;
}

/** Creates (idempotently) every stream, bucket and the object store; any service may call it at start. */
export async function ensureTopology(nc: NatsConnection, opts: TopologyOptions): Promise<Topology> {
  const jsm = await jetstreamManager(nc);
  for (const cfg of streamConfigs(opts.replicas)) await ensureStream(jsm, cfg);
  const kvm = new Kvm(nc);
  const replicas = opts.replicas;
  const kv = {
    Workflows: await kvm.create(Bucket.Workflows, { history: 5, replicas }),
    Cursors: await kvm.create(Bucket.Cursors, { history: 3, replicas }),
    Links: await kvm.create(Bucket.Links, { history: 3, replicas }),
    Ledger: await kvm.create(Bucket.Ledger, { history: 1, replicas, ttl: 30 * DAY }),
  };
  const artifacts = await new Objm(nc).create(ObjectStoreName.Artifacts, { replicas, storage: StorageType.File });
  return { jsm, kv, artifacts };
}

/** The durable job consumer of one agent, shared by all its replicas. */
export async function ensureAgentConsumer(jsm: JetStreamManager, agent: Agent, opts: TopologyOptions): Promise<string> {
  const durable = Consumer.agent(agent);
  // max_deliver is one more than the attempts a handler gets: the last delivery only dead-letters.
  await ensureConsumer(jsm, Stream.Jobs, durable, Subjects.jobsOf(agent), {
    ackWaitMs: opts.jobAckWaitMs ?? DEFAULT_JOB_ACK_WAIT_MS,
    maxDeliver: (opts.maxDeliveries ?? DEFAULT_MAX_DELIVERIES) + 1,
  });
  return durable;
}

import { afterAll, beforeAll } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { ensureTopology, type Topology } from "@pmo/runtime";
import { startNatsServer, type NatsServer } from "./nats-server.js";

export interface NatsFixture {
  readonly server: NatsServer;
  readonly nc: NatsConnection;
  readonly topo: Topology;
}

/**
 * A nats-server of its own with pmo's streams, buckets and object store, for the tests of one
 * describe block: started before them, stopped after. Call it in the describe body; read the
 * fields inside tests (they are set once the block's beforeAll ran).
 */
export function natsWithTopology(): NatsFixture {
  const f = {} as { server: NatsServer; nc: NatsConnection; topo: Topology };
  beforeAll(async () => {
    f.server = await startNatsServer();
    f.nc = await connect({ servers: f.server.url });
    f.topo = await ensureTopology(f.nc, { replicas: 1 });
  });
  afterAll(async () => {
    await f.nc?.close();
    await f.server?.stop();
  });
  return f;
}

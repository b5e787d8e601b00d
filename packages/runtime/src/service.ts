import { hostname } from "node:os";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { ArtifactStore } from "./artifacts.js";
import { parseRuntimeEnv, type RuntimeEnv } from "./env.js";
import { HealthServer } from "./http.js";
import { createLogger } from "./logger.js";
import { ServiceMetrics } from "./metrics.js";
import { connectNats } from "./nats.js";
import { ensureTopology, type Topology } from "./topology.js";

/** Everything a service's parts share: started in `startService`, torn down in reverse by `stop()`. */
export interface ServiceKit {
  name: string;
  instance: string;
  env: RuntimeEnv;
  log: Logger;
  nc: NatsConnection;
  topology: Topology;
  artifacts: ArtifactStore;
  metrics: ServiceMetrics;
  health: HealthServer;
  /** The port /healthz and /metrics listen on (useful when PMO_HTTP_PORT=0). */
  httpPort: number;
}

/** A part of a service with a lifecycle (trigger.dev's habit): started in order, stopped in reverse. */
export interface Component {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RunningService {
  kit: ServiceKit;
  stop(reason?: string): Promise<void>;
}

/** Connects, ensures the topology, serves health/metrics, starts the components, and installs signal handlers. */
export async function startService(
  name: string,
  build: (kit: ServiceKit) => Promise<Component[]> | Component[],
  opts: { env?: NodeJS.ProcessEnv; installSignalHandlers?: boolean; topology?: { jobAckWaitMs?: number; maxDeliveries?: number } } = {},
): Promise<RunningService> {
  const env = parseRuntimeEnv(opts.env ?? process.env);
  const instance = env.PMO_INSTANCE ?? `${name}@${hostname()}:${process.pid}`;
  const log = createLogger(name, env.LOG_LEVEL).child({ instance });
  const nc = await connectNats(env, instance, log);
  const topology = await ensureTopology(nc, { replicas: env.PMO_REPLICAS, ...opts.topology });
  const metrics = new ServiceMetrics(name);
  const health = new HealthServer(name, metrics);
  health.addCheck("nats", () => ({ ok: !nc.isClosed() && !nc.isDraining(), detail: { server: nc.getServer() } }));
  const address = await health.listen(env.PMO_HTTP_PORT, env.PMO_HTTP_HOST);
  const kit: ServiceKit = { name, instance, env, log, nc, topology, artifacts: new ArtifactStore(topology.artifacts), metrics, health, httpPort: address.port };

  const components = await build(kit);
  const started: Component[] = [];
  for (const c of components) {
    await c.start();
    started.push(c);
  }
  log.info({ httpPort: address.port, nats: nc.getServer(), components: started.map((c) => c.name) }, `${name} started`);

  let stopping: Promise<void> | null = null;
  const stop = (reason = "stop requested") => {
    stopping ??= (async () => {
      log.info({ reason }, `${name} stopping`);
      for (const c of [...started].reverse()) {
        await c.stop().catch((err) => log.error({ err, component: c.name }, "component did not stop cleanly"));
      }
      await health.close();
      await nc.drain().catch(() => undefined);
      log.info(`${name} stopped`);
    })();
    return stopping;
  };

  if (opts.installSignalHandlers ?? true) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        void stop(signal).then(() => process.exit(0));
      });
    }
  }
  return { kit, stop };
}

/** For a service's `main.ts`: start, and on a start-up failure print the reason and exit non-zero. */
export function runServiceMain(start: () => Promise<RunningService>): void {
  start().catch((err: Error) => {
    process.stderr.write(`${err.name}: ${err.message}\n`);
    process.exit(1);
  });
}

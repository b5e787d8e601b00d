import { readFile } from "node:fs/promises";
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import type { RuntimeEnv } from "./env.js";

export type { NatsConnection };

/**
 * Connects with unlimited reconnects (a NATS node restart or a cluster failover must not kill a
 * service) and logs every connection status change.
 */
export async function connectNats(env: Pick<RuntimeEnv, "NATS_URL" | "NATS_USER" | "NATS_PASSWORD" | "NATS_TOKEN" | "NATS_CREDS">, name: string, log?: Logger): Promise<NatsConnection> {
  const nc = await connect({
    // A credentials file (JWT + nkey seed, as `nsc` writes it) for deployments on decentralised auth.
    ...(env.NATS_CREDS ? { authenticator: credsAuthenticator(await readFile(env.NATS_CREDS)) } : {}),
    servers: env.NATS_URL.split(",").map((s) => s.trim()),
    name,
    user: env.NATS_USER,
    pass: env.NATS_PASSWORD,
    token: env.NATS_TOKEN,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    timeout: 5_000,
    // nats.js captures a stack trace for every request by default; at hundreds of KV/JetStream calls
    // per second that is a measurable share of the orchestrator's CPU.
    noAsyncTraces: true,
  });
  if (log) void watchStatus(nc, log);
  return nc;
}

async function watchStatus(nc: NatsConnection, log: Logger): Promise<void> {
  for await (const s of nc.status()) {
    if (s.type === "disconnect" || s.type === "error") log.warn({ status: s.type, data: "server" in s ? s.server : undefined }, "nats connection trouble");
    else if (s.type === "reconnect") log.info({ status: s.type }, "nats reconnected");
  }
}

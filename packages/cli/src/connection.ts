import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { DEFAULT_NATS_URL } from "@pmo/runtime";

/** Where `pmo up` records the server it started, so other `pmo` commands in the same folder find it. */
export const UP_STATE_FILE = join(".pmo", "up.json");

export function resolveNatsUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NATS_URL) return env.NATS_URL;
  if (existsSync(UP_STATE_FILE)) {
    try {
      const state = JSON.parse(readFileSync(UP_STATE_FILE, "utf8")) as { natsUrl?: string };
      if (state.natsUrl) return state.natsUrl;
    } catch {
      // a stale or broken file: fall back to the default
    }
  }
  return DEFAULT_NATS_URL;
}

export class UsageError extends Error {
  override name = "UsageError";
}

export async function connectCli(env: NodeJS.ProcessEnv = process.env): Promise<NatsConnection> {
  const url = resolveNatsUrl(env);
  try {
    return await connect({ servers: url.split(","), name: "pmo-cli", user: env.NATS_USER, pass: env.NATS_PASSWORD, token: env.NATS_TOKEN, timeout: 3_000 });
  } catch (err) {
    throw new Error(`cannot reach NATS at ${url} (${(err as Error).message}). Start the mesh with \`pmo up\`, or set NATS_URL.`, { cause: err });
  }
}

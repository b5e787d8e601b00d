import { z } from "zod";
import { describeIssues } from "@pmo/contracts";
import { EnvError } from "./errors.js";

/** @default "nats://127.0.0.1:4222" */
export const DEFAULT_NATS_URL = "nats://127.0.0.1:4222";

const port = z.coerce.number().int().min(0).max(65535);

/** The environment every service reads once at start (trigger.dev's `Env.parse(process.env)`). */
export const RuntimeEnvSchema = z.object({
  NATS_URL: z.string().default(DEFAULT_NATS_URL),
  NATS_USER: z.string().optional(),
  NATS_PASSWORD: z.string().optional(),
  NATS_TOKEN: z.string().optional(),
  NATS_CREDS: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PMO_CONFIG_DIR: z.string().default("config"),
  PMO_WORKSPACE_DIR: z.string().default("project-workspace"),
  /** Port of /healthz and /metrics; 0 picks a free one (tests). @default 0 */
  PMO_HTTP_PORT: port.default(0),
  PMO_HTTP_HOST: z.string().default("127.0.0.1"),
  /** Replication of streams, KV buckets and the object store (3 on a NATS cluster). @default 1 */
  PMO_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  /**
   * How long a job may go without an ack or heartbeat before the server hands it to another replica
   * (agents' durable consumers). Short in tests that kill agents; 30 s otherwise. @default 30000
   */
  PMO_JOB_ACK_WAIT_MS: z.coerce.number().int().min(500).default(30_000),
  /** Name of this process for logs and results; defaults to service@host:pid. */
  PMO_INSTANCE: z.string().optional(),
});
export type RuntimeEnv = z.infer<typeof RuntimeEnvSchema>;

export function parseRuntimeEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const parsed = RuntimeEnvSchema.safeParse(env);
  if (!parsed.success) throw new EnvError(describeIssues(parsed.error));
  return parsed.data;
}

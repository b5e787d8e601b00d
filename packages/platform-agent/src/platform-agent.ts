import { createHash } from "node:crypto";
import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import { WebhookRegisterRequestSchema, type Platform, type WebhookRegisterRequest } from "@pmo/contracts";
import type { z } from "zod";
import {
  ConfigFiles,
  JobWorker,
  ensureAgentConsumer,
  loadConfigFile,
  resolveSecret,
  startService,
  type ArtifactStore,
  type Component,
  type JobHandler,
  type PlatformFile,
  type ProjectsFile,
  type RunningService,
  type ServiceKit,
} from "@pmo/runtime";
import { AdminResponder, type AdminCommand } from "./admin-responder.js";
import { AgentMetrics } from "./agent-metrics.js";
import { CursorStore } from "./cursors.js";
import { limitHeapGrowth } from "./heap-growth.js";
import { OperationLedger } from "./operation-ledger.js";
import { SharedRateBudget, type QuotaPolicy } from "./rate-budget.js";
import { SilencePollerSettingsSchema, WebhookSilencePoller, type PolledChanges } from "./silence-poller.js";
import { WebhookActivity } from "./webhook-activity.js";
import { WebhookReceiver, type WebhookAdapter } from "./webhook-receiver.js";

/** Everything a platform agent's handlers get: its configuration and the shared machinery. */
export interface AgentEnvironment {
  platform: Platform;
  config: PlatformFile;
  /** The resolved credential. Never log it. */
  token: string;
  /** Where the credential comes from, for error messages ("check GITHUB_TOKEN"). */
  credentialEnv: string;
  webhookSecret: string | undefined;
  projects: ProjectsFile;
  budget: SharedRateBudget;
  cursors: CursorStore<Record<string, unknown>>;
  ledger: OperationLedger<Record<string, unknown>>;
  artifacts: ArtifactStore;
  metrics: AgentMetrics;
  log: Logger;
  nc: NatsConnection;
  kit: ServiceKit;
}

/** What makes a platform agent: its webhook dialect, its quota, its job handlers, and any extra parts (a poller). */
export interface PlatformAgentDefinition {
  platform: Platform;
  /** The platform's documented quota, used when the config names none. */
  defaultQuota: QuotaPolicy;
  webhook: WebhookAdapter;
  handlers(env: AgentEnvironment): Record<string, JobHandler>;
  components?(env: AgentEnvironment): Component[];
  /** Registers this agent's webhook on the platform (`pmo webhooks register`); absent where the platform has no API for it. */
  registerWebhook?(env: AgentEnvironment, request: WebhookRegisterRequest): Promise<{ message: string; data?: unknown }>;
  /**
   * What changed since `since` (the previous watermark; null on the first poll: return only the
   * watermark). Given it, the kit runs a WebhookSilencePoller that calls it when webhooks were silent
   * for `silencePoller.silenceMs` of the config file.
   */
  pollChanges?(env: AgentEnvironment, since: string | null, signal: AbortSignal): Promise<PolledChanges>;
}

/** The quota from the config file (`rateLimit`), else the platform's default. */
export function quotaFrom(config: PlatformFile, fallback: QuotaPolicy): QuotaPolicy {
  if (config.rateLimit.requestsPerMinute) return { limit: config.rateLimit.requestsPerMinute, windowMs: 60_000 };
  if (config.rateLimit.requestsPerHour) return { limit: config.rateLimit.requestsPerHour, windowMs: 3_600_000 };
  return fallback;
}

/** A stable, non-reversible id for a credential: budgets are per credential, and keys must not leak it. */
export function credentialId(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 16);
}

/** Starts `<platform>-agent`: config, job worker on its durable consumer, webhook route on the service port. */
export function startPlatformAgent(def: PlatformAgentDefinition, opts: { env?: NodeJS.ProcessEnv; installSignalHandlers?: boolean } = {}): Promise<RunningService> {
  const name = `${def.platform}-agent`;
  limitHeapGrowth();
  return startService(
    name,
    async (kit) => {
      const dir = kit.env.PMO_CONFIG_DIR;
      const config = await loadConfigFile(dir, ConfigFiles[def.platform]);
      const projects = await loadConfigFile(dir, ConfigFiles.projects);
      const processEnv = opts.env ?? process.env;
      const token = resolveSecret(config.token, config.tokenEnv, processEnv);
      if (!token) throw new Error(`${name}: no credential: set ${config.tokenEnv} (or "token" in ${dir}/${ConfigFiles[def.platform].file})`);
      const { kv } = kit.topology;
      const env: AgentEnvironment = {
        platform: def.platform,
        config,
        token,
        credentialEnv: config.tokenEnv,
        webhookSecret: resolveSecret(config.webhookSecret, config.webhookSecretEnv, processEnv),
        projects,
        budget: new SharedRateBudget(kv.Ledger, def.platform, credentialId(token), quotaFrom(config, def.defaultQuota)),
        cursors: new CursorStore(kv.Cursors, def.platform),
        ledger: new OperationLedger(kv.Ledger, def.platform),
        artifacts: kit.artifacts,
        metrics: new AgentMetrics(def.platform, kit.metrics.registry),
        log: kit.log,
        nc: kit.nc,
        kit,
      };
      const ackWaitMs = kit.env.PMO_JOB_ACK_WAIT_MS;
      await ensureAgentConsumer(kit.topology.jsm, def.platform, { replicas: kit.env.PMO_REPLICAS, jobAckWaitMs: ackWaitMs });
      const worker = new JobWorker({ nc: kit.nc, agent: def.platform, handlers: def.handlers(env), artifacts: kit.artifacts, ledger: kv.Ledger, log: kit.log, metrics: kit.metrics, instance: kit.instance, ackWaitMs });
      const activity = new WebhookActivity(env.cursors);
      const receiver = new WebhookReceiver({ nc: kit.nc, platform: def.platform, adapter: def.webhook, secret: env.webhookSecret, log: kit.log, registry: kit.metrics.registry, onAccepted: () => activity.recordAccepted() });
      kit.health.addRoute(receiver.path, receiver.handle);
      kit.health.addCheck("worker", () => ({ ok: worker.running, detail: { busy: worker.busy } }));
      kit.log.info({ baseUrl: config.baseUrl, quota: quotaFrom(config, def.defaultQuota), webhooks: receiver.path, webhookSecret: env.webhookSecret ? "set" : "missing" }, `${name} configured`);
      const register: AdminCommand<typeof WebhookRegisterRequestSchema> = {
        schema: WebhookRegisterRequestSchema,
        run: (req) => {
          if (!def.registerWebhook) throw new Error(`${def.platform} has no API to register webhooks: create one in its web app pointing at ${req.url} with the secret from ${config.webhookSecretEnv ?? "the config"}`);
          return def.registerWebhook(env, req);
        },
      };
      const admin = new AdminResponder(kit.nc, def.platform, { "webhooks.register": register as AdminCommand<z.ZodType> }, kit.log);
      const pollChanges = def.pollChanges;
      const poller = pollChanges
        ? [new WebhookSilencePoller({ platform: def.platform, nc: kit.nc, settings: SilencePollerSettingsSchema.parse(config.silencePoller), activity, cursors: env.cursors, pollChanges: (since, signal) => pollChanges(env, since, signal), log: kit.log })]
        : [];
      return [{ name: "worker", start: () => worker.start(), stop: () => worker.stop() }, admin, ...poller, ...(def.components?.(env) ?? [])];
    },
    { env: opts.env, installSignalHandlers: opts.installSignalHandlers },
  );
}

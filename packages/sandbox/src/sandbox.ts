/**
 * `startSandbox`: the three emulators over one seeded truth, sharing one context (clock, changes,
 * webhooks) and one control. Reset regenerates the truth from the seed and rebuilds the emulators
 * in place, so URLs and credentials stay valid.
 */
import { createClickUpDialect } from "./clickup/index.js";
import { createGitHubDialect } from "./github/index.js";
import { createSandboxContext } from "./kit/context.js";
import { SandboxControl } from "./kit/control.js";
import { startPlatformServer, type PlatformServer } from "./kit/server.js";
import type { PlatformDialect, SandboxContext, WebhookRegistration } from "./kit/types.js";
import { createPlaneDialect } from "./plane/index.js";
import { defaultCredentials, defaultWebhookSecrets, type SandboxCredentials } from "./credentials.js";
import { generateTruth } from "./truth/generate.js";
import type { Platform, Truth } from "./truth/model.js";

export const PLATFORMS = ["clickup", "github", "plane"] as const satisfies readonly Platform[];

export interface SandboxOptions {
  seed: number;
  itemsPerPlatform: number;
  /** @default 0 for each (free ports) */
  ports?: Partial<Record<Platform, number>>;
  /** @default "127.0.0.1" */
  host?: string;
  /** Rate-limit windows and retry-after values run this many times faster. @default 1 */
  timeScale?: number;
  /** "" like api.github.com, "/api/v3" like GitHub Enterprise Server. @default "" */
  githubPrefix?: "" | "/api/v3";
  /** Override the seed-derived credentials. */
  tokens?: Partial<SandboxCredentials>;
  /** The truth's "now" (epoch ms). @default DEFAULT_NOW */
  now?: number;
  /** Override the real platforms' limits (benchmarks, tests of throttling). @default 100/min, 5,000/h, 60/min */
  rateLimits?: { clickupPerMinute?: number; githubPerHour?: number; planePerMinute?: number };
}

export interface SandboxHandle {
  urls: Record<Platform, string>;
  /** The current truth (a reset replaces it). */
  readonly truth: Truth;
  credentials: SandboxCredentials;
  webhookSecrets: Record<Platform, string>;
  control: SandboxControl;
  /** Registers a webhook with the sandbox's default secret for that platform. */
  registerWebhook(platform: Platform, url: string, events?: string[], scope?: string | null): WebhookRegistration;
  close(): Promise<void>;
}

function buildDialect(platform: Platform, ctx: SandboxContext, creds: SandboxCredentials, options: SandboxOptions): PlatformDialect {
  const limits = options.rateLimits ?? {};
  switch (platform) {
    case "clickup":
      return createClickUpDialect(ctx, { token: creds.clickupToken, requestsPerMinute: limits.clickupPerMinute });
    case "github":
      return createGitHubDialect(ctx, { token: creds.githubToken, prefix: options.githubPrefix ?? "", rateLimit: { limit: limits.githubPerHour } });
    case "plane":
      return createPlaneDialect(ctx, { apiKey: creds.planeApiKey, rateLimitPerMinute: limits.planePerMinute });
  }
}

export async function startSandbox(options: SandboxOptions): Promise<SandboxHandle> {
  const truthOptions = { seed: options.seed, itemsPerPlatform: options.itemsPerPlatform, now: options.now };
  const truth = generateTruth(truthOptions);
  const ctx = createSandboxContext({ truth, timeScale: options.timeScale ?? 1 });
  const credentials: SandboxCredentials = { ...defaultCredentials(truth), ...options.tokens };
  const webhookSecrets = defaultWebhookSecrets(truth);
  const servers = new Map<Platform, PlatformServer>();

  const control = new SandboxControl(ctx, {
    reset() {
      ctx.resetState(generateTruth(truthOptions));
      // Emulators index the truth they were built over: rebuild them over the fresh one.
      for (const [platform, server] of servers) server.setDialect(buildDialect(platform, ctx, credentials, options));
    },
  });

  try {
    for (const platform of PLATFORMS) {
      const server = await startPlatformServer(buildDialect(platform, ctx, credentials, options), ctx, {
        port: options.ports?.[platform] ?? 0,
        host: options.host,
        control,
      });
      servers.set(platform, server);
    }
  } catch (err) {
    await Promise.allSettled([...servers.values()].map((s) => s.close()));
    throw err;
  }

  const urlOf = (p: Platform) => servers.get(p)!.url;
  return {
    urls: { clickup: urlOf("clickup"), github: urlOf("github"), plane: urlOf("plane") },
    get truth() {
      return ctx.truth;
    },
    credentials,
    webhookSecrets,
    control,
    registerWebhook: (platform, url, events = ["*"], scope = null) =>
      control.registerWebhook({ platform, url, secret: webhookSecrets[platform], events, scope }),
    async close() {
      await control.webhooksIdle();
      await Promise.all([...servers.values()].map((s) => s.close()));
    },
  };
}

/**
 * Writes a ready product configuration (DESIGN §5, validated by `@pmo/runtime`'s config schemas)
 * pointing at a running sandbox: `projects.json` (`{ projects: { <id>: { clickup, github, plane } } }`),
 * `clickup-config.json`, `github-config.json`, `plane-config.json` (`baseUrl` with the API prefix, the
 * credential, `tokenEnv`, the webhook secret, the real rate limits) and `workflow.json` (the seed's
 * retry policy). Sandbox credentials are throwaway values derived from the seed, so they are written
 * inline; `tokenEnv` names the variable that holds the real one in a deployment.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SandboxCredentials } from "./credentials.js";
import type { Platform, Truth } from "./truth/model.js";

/** The real platforms' default limits (reference §1.6, §2.5, §3.6), which the emulators enforce too. */
export const SANDBOX_RATE_LIMITS = {
  clickup: { requestsPerMinute: 100 },
  github: { requestsPerHour: 5_000 },
  plane: { requestsPerMinute: 60 },
} as const;

/** What the writer needs from a running sandbox (a SandboxHandle satisfies it). */
export interface ConfigSource {
  urls: Record<Platform, string>;
  truth: Truth;
  credentials: SandboxCredentials;
  webhookSecrets: Record<Platform, string>;
}

export interface WriteConfigOptions {
  /** Product-side project id. @default the truth's projectKey ("web") */
  projectId?: string;
  /** The limits the sandbox was started with, when not the real ones (startSandbox's `rateLimits`). */
  rateLimits?: { clickupPerMinute?: number; githubPerHour?: number; planePerMinute?: number };
}

/** Writes the four files into `dir` (created if missing); returns the paths written. */
export async function writeSandboxConfig(dir: string, sandbox: ConfigSource, options: WriteConfigOptions = {}): Promise<string[]> {
  const { truth, urls, credentials, webhookSecrets } = sandbox;
  const projectId = options.projectId ?? truth.projectKey;
  const limits = {
    clickup: { requestsPerMinute: options.rateLimits?.clickupPerMinute ?? SANDBOX_RATE_LIMITS.clickup.requestsPerMinute },
    github: { requestsPerHour: options.rateLimits?.githubPerHour ?? SANDBOX_RATE_LIMITS.github.requestsPerHour },
    plane: { requestsPerMinute: options.rateLimits?.planePerMinute ?? SANDBOX_RATE_LIMITS.plane.requestsPerMinute },
  };
  const files: Record<string, unknown> = {
    "projects.json": {
      projects: {
        [projectId]: {
          name: `Sandbox project ${projectId}`,
          clickup: {
            teamId: truth.clickup.teamId,
            spaceIds: truth.clickup.spaces.map((s) => s.id),
            listIds: truth.clickup.lists.map((l) => l.id),
          },
          github: { repos: truth.github.repos.map((r) => r.fullName) },
          plane: { workspace: truth.plane.workspaceSlug, projectIds: truth.plane.projects.map((p) => p.id) },
        },
      },
    },
    "workflow.json": { retry: { attempts: 3, baseMs: 5_000, factor: 2, maxMs: 60_000 } },
    "clickup-config.json": {
      baseUrl: urls.clickup,
      token: credentials.clickupToken,
      tokenEnv: "CLICKUP_API_TOKEN",
      webhookSecret: webhookSecrets.clickup,
      rateLimit: limits.clickup,
    },
    "github-config.json": {
      baseUrl: urls.github,
      token: credentials.githubToken,
      tokenEnv: "GITHUB_TOKEN",
      webhookSecret: webhookSecrets.github,
      rateLimit: limits.github,
    },
    "plane-config.json": {
      baseUrl: urls.plane,
      token: credentials.planeApiKey,
      tokenEnv: "PLANE_API_KEY",
      webhookSecret: webhookSecrets.plane,
      rateLimit: limits.plane,
    },
  };
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFile(path, `${JSON.stringify(content, null, 2)}\n`, "utf8");
    written.push(path);
  }
  return written;
}

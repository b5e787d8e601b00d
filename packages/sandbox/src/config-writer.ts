/**
 * Writes a ready product configuration (DESIGN §5) pointing at a running sandbox. Shapes, kept
 * deliberately plain until the product's zod config schema settles (the lead aligns them):
 *
 *   projects.json        { "<projectId>": { name,
 *                            clickup: { teamId, spaceIds[], folderIds[], listIds[] },
 *                            github:  { owner, repos["owner/repo"] },
 *                            plane:   { workspaceSlug, projectIds[], projectIdentifiers[] } } }
 *   clickup-config.json  { baseUrl, token, tokenEnv: "CLICKUP_API_TOKEN", webhookSecret, rateLimit: { requestsPerMinute } }
 *   github-config.json   { baseUrl, token, tokenEnv: "GITHUB_TOKEN",      webhookSecret, rateLimit: { requestsPerHour } }
 *   plane-config.json    { baseUrl, apiKey, apiKeyEnv: "PLANE_API_KEY", workspaceSlug, webhookSecret, rateLimit: { requestsPerMinute } }
 *
 * `baseUrl` includes the API prefix (".../api/v2", ".../api/v3" or "", ".../api/v1"). Sandbox
 * credentials are throwaway values derived from the seed, so they are written inline; the `*Env`
 * names say which variable overrides them in a real deployment.
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
}

/** Writes the four files into `dir` (created if missing); returns the paths written. */
export async function writeSandboxConfig(dir: string, sandbox: ConfigSource, options: WriteConfigOptions = {}): Promise<string[]> {
  const { truth, urls, credentials, webhookSecrets } = sandbox;
  const projectId = options.projectId ?? truth.projectKey;
  const files: Record<string, unknown> = {
    "projects.json": {
      [projectId]: {
        name: `Sandbox project ${projectId}`,
        clickup: {
          teamId: truth.clickup.teamId,
          spaceIds: truth.clickup.spaces.map((s) => s.id),
          folderIds: truth.clickup.folders.map((f) => f.id),
          listIds: truth.clickup.lists.map((l) => l.id),
        },
        github: { owner: truth.github.owner, repos: truth.github.repos.map((r) => r.fullName) },
        plane: {
          workspaceSlug: truth.plane.workspaceSlug,
          projectIds: truth.plane.projects.map((p) => p.id),
          projectIdentifiers: truth.plane.projects.map((p) => p.identifier),
        },
      },
    },
    "clickup-config.json": {
      baseUrl: urls.clickup,
      token: credentials.clickupToken,
      tokenEnv: "CLICKUP_API_TOKEN",
      webhookSecret: webhookSecrets.clickup,
      rateLimit: SANDBOX_RATE_LIMITS.clickup,
    },
    "github-config.json": {
      baseUrl: urls.github,
      token: credentials.githubToken,
      tokenEnv: "GITHUB_TOKEN",
      webhookSecret: webhookSecrets.github,
      rateLimit: SANDBOX_RATE_LIMITS.github,
    },
    "plane-config.json": {
      baseUrl: urls.plane,
      apiKey: credentials.planeApiKey,
      apiKeyEnv: "PLANE_API_KEY",
      workspaceSlug: truth.plane.workspaceSlug,
      webhookSecret: webhookSecrets.plane,
      rateLimit: SANDBOX_RATE_LIMITS.plane,
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

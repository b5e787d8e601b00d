/** Starts the GitHub emulator on the real kit server over a generated truth, for this folder's tests. */
import { Octokit } from "@octokit/rest";
import { createSandboxContext, type KitContext } from "../kit/context.js";
import { startPlatformServer, type PlatformServer } from "../kit/server.js";
import { generateTruth } from "../truth/generate.js";
import { type GitHubDialect, type GitHubDialectOptions, createGitHubDialect } from "./index.js";

export const TEST_TOKEN = "ghp_sandboxTestToken0000000000000000000";

export interface GitHubSandbox {
  ctx: KitContext;
  dialect: GitHubDialect;
  server: PlatformServer;
  /** @octokit/rest exactly as a user would configure it, pointed at the sandbox. */
  octokit(auth?: string): Octokit;
  close(): Promise<void>;
}

export interface GitHubSandboxOptions extends Partial<Omit<GitHubDialectOptions, "token">> {
  seed?: number;
  items?: number;
  timeScale?: number;
}

export async function startGitHubSandbox(options: GitHubSandboxOptions = {}): Promise<GitHubSandbox> {
  const truth = generateTruth({ seed: options.seed ?? 11, itemsPerPlatform: options.items ?? 120 });
  const ctx = createSandboxContext({ truth, timeScale: options.timeScale ?? 1, webhooks: { retryDelayMs: 5 } });
  const dialect = createGitHubDialect(ctx, { ...options, token: TEST_TOKEN, prefix: options.prefix ?? "" });
  const server = await startPlatformServer(dialect, ctx, { port: 0 });
  return {
    ctx,
    dialect,
    server,
    octokit: (auth = TEST_TOKEN) => new Octokit({ auth, baseUrl: server.url, userAgent: "pmo-sandbox-tests" }),
    close: () => server.close(),
  };
}

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Fast timings for tests: small backoff, short deadlines, quick ticks. */
export const FAST_POLICY = {
  retry: { attempts: 3, baseMs: 50, factor: 2, maxMs: 400 },
  phaseDeadlinesMs: { initialization: 20_000, discovery: 20_000, analysis: 20_000, actions: 20_000, synchronization: 20_000, reporting: 20_000 },
  jobTimeoutMs: 10_000,
  tickMs: 50,
  localLeaseMs: 2_000,
  republishAfterMs: 500,
};

export const TEST_PROJECTS = {
  projects: {
    web: {
      name: "Web storefront",
      clickup: { teamId: "9001", spaceIds: ["90010"], listIds: ["900100", "900101"] },
      github: { repos: ["acme/web", "acme/api"] },
      plane: { workspace: "acme", projectIds: ["5f0c6c1e-0000-4000-8000-000000000001"] },
    },
  },
};

/** A temp config dir and workspace dir; `policy` overrides merge into FAST_POLICY. */
export function makeConfig(policy: Record<string, unknown> = {}): { configDir: string; workspaceDir: string } {
  const root = mkdtempSync(join(tmpdir(), "pmo-test-"));
  const configDir = join(root, "config");
  const workspaceDir = join(root, "project-workspace");
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, "projects.json"), JSON.stringify(TEST_PROJECTS, null, 2));
  writeFileSync(join(configDir, "workflow.json"), JSON.stringify({ ...FAST_POLICY, ...policy }, null, 2));
  return { configDir, workspaceDir };
}

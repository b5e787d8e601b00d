/**
 * Default credentials and webhook secrets of a sandbox, derived from the seed so that a config
 * written for one run stays valid for the next run with the same seed. Shapes follow each
 * platform's own tokens: ClickUp `pk_<user id>_<32>`, GitHub `ghp_<36>`, Plane `plane_api_<32 hex>`.
 */
import type { Platform, Truth } from "./truth/model.js";
import { Prng } from "./truth/prng.js";

export interface SandboxCredentials {
  clickupToken: string;
  githubToken: string;
  planeApiKey: string;
}

export function defaultCredentials(truth: Truth): SandboxCredentials {
  const rng = new Prng(truth.seed, "credentials");
  const owner = truth.people[0];
  return {
    clickupToken: `pk_${owner?.clickupId ?? 1}_${rng.hex(32).toUpperCase()}`,
    githubToken: `ghp_${rng.hex(36)}`,
    planeApiKey: `plane_api_${rng.hex(32)}`,
  };
}

/** Secrets for webhooks the sandbox registers on the product's behalf (ClickUp and Plane also mint their own on API registration). */
export function defaultWebhookSecrets(truth: Truth): Record<Platform, string> {
  const rng = new Prng(truth.seed, "webhook-secrets");
  return {
    clickup: rng.hex(64).toUpperCase(),
    github: `gh_wh_${rng.hex(32)}`,
    plane: `plane_wh_${rng.hex(32)}`,
  };
}

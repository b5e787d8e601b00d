/**
 * @pmo/sandbox: ClickUp v2, GitHub REST and Plane v1 emulators over one seeded, deterministic
 * truth (issue #3). Tests, the demo and the benchmarks import this file only.
 */
export { runSandbox, SandboxUsageError } from "./main.js";
export { startSandbox, PLATFORMS, type SandboxOptions, type SandboxHandle } from "./sandbox.js";
export { writeSandboxConfig, SANDBOX_RATE_LIMITS, type ConfigSource, type WriteConfigOptions } from "./config-writer.js";
export { defaultCredentials, defaultWebhookSecrets, type SandboxCredentials } from "./credentials.js";

// Ground truth.
export { generateTruth, DEFAULT_NOW, MIN_ITEMS, MAX_ITEMS } from "./truth/generate.js";
export {
  serializeTruth,
  serializeTruthChunks,
  truthDigest,
  canonicalJson,
  itemsOf,
  itemsUpdatedAfter,
  itemsByStatus,
  findItem,
  countByStatus,
  type ItemQuery,
} from "./truth/ground-truth.js";
export { itemViolations, truthViolations } from "./truth/invariants.js";
export { statusFacts, lastActivityAt } from "./truth/derive.js";
export { moveStatus, addComment, editFields, markDeleted, type ItemEdit } from "./truth/mutate.js";
export type * from "./truth/model.js";

// Kit (for tests that run a single emulator, or a custom one).
export { startPlatformServer, type PlatformServer, type PlatformServerOptions } from "./kit/server.js";
export { createSandboxContext, type KitContext } from "./kit/context.js";
export { SandboxControl, CONTROL_PREFIX, type PlatformCounters } from "./kit/control.js";
export type { MutationRequest } from "./kit/mutation.js";
export type { RequestLogEntry, RequestCounters } from "./kit/request-log.js";
export type { ActiveFault } from "./kit/faults.js";
export type { DeliveryAttempt } from "./kit/webhooks.js";
export type * from "./kit/types.js";

// Emulator factories and webhook signatures (what a receiver verifies).
export { createClickUpDialect, CLICKUP_SIGNATURE_HEADER, signClickUpWebhook, verifyClickUpWebhook } from "./clickup/index.js";
export { createGitHubDialect, signGitHubWebhook, signGitHubWebhookSha1, verifyGitHubWebhook } from "./github/index.js";
export { createPlaneDialect, signPlaneWebhook, verifyPlaneWebhook } from "./plane/index.js";

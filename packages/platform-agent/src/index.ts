export { startPlatformAgent, quotaFrom, credentialId, type AgentEnvironment, type PlatformAgentDefinition } from "./platform-agent.js";
export { SharedRateBudget, type QuotaPolicy, type QuotaHeaders } from "./rate-budget.js";
export { CursorStore } from "./cursors.js";
export { OperationLedger, type LedgerEntry } from "./operation-ledger.js";
export { SnapshotStore, type SnapshotEntry } from "./snapshot-store.js";
export { CollectedWriter } from "./collected-writer.js";
export { WebhookReceiver, constantTimeEqual, DEFAULT_WEBHOOK_BODY_LIMIT, type WebhookAdapter } from "./webhook-receiver.js";
export { AgentMetrics } from "./agent-metrics.js";
export { PlatformHttpError, MalformedResponseError, isRecoverable, toJobFailure } from "./http-failure.js";

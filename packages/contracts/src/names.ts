/**
 * Every name on the bus: subjects, streams, consumers, KV buckets, the object store.
 * Services never spell a subject by hand; they call these.
 */

export const SUBJECT_PREFIX = "pmo";

/** Agents that take jobs. The service that runs agent `x` is called `x-agent` (clickup-agent …). */
export const Agent = {
  ClickUp: "clickup",
  GitHub: "github",
  Plane: "plane",
  Report: "report",
  Alert: "alert",
  Sync: "sync",
} as const;
export type Agent = (typeof Agent)[keyof typeof Agent];
export const AGENTS: readonly Agent[] = Object.values(Agent);

export const Stream = {
  Workflows: "PMO_WORKFLOWS",
  Jobs: "PMO_JOBS",
  Results: "PMO_RESULTS",
  Events: "PMO_EVENTS",
  Alerts: "PMO_ALERTS",
} as const;
export type Stream = (typeof Stream)[keyof typeof Stream];

export const Bucket = {
  Workflows: "pmo_workflows",
  Cursors: "pmo_cursors",
  Links: "pmo_links",
  Ledger: "pmo_ledger",
} as const;
export type Bucket = (typeof Bucket)[keyof typeof Bucket];

export const ObjectStore = { Artifacts: "pmo_artifacts" } as const;

export const Subjects = {
  workflowRequest: "pmo.workflow.request",
  workflowEvent: (workflowId: string) => `pmo.workflow.event.${workflowId}`,
  /** Events about a request that never became a workflow (rejected before an id existed). */
  workflowRejected: "pmo.workflow.event.rejected",
  workflowEventsAll: "pmo.workflow.event.>",
  job: (agent: Agent, op: string) => `pmo.job.${agent}.${op}`,
  jobsOf: (agent: Agent) => `pmo.job.${agent}.>`,
  jobsAll: "pmo.job.>",
  result: (workflowId: string) => `pmo.result.${workflowId}`,
  resultsAll: "pmo.result.>",
  platformEvent: (platform: string, type: string) => `pmo.event.${platform}.${type}`,
  platformEventsAll: "pmo.event.>",
  /** Request/reply commands to a platform agent outside workflows (`pmo webhooks register`). */
  agentAdmin: (platform: string, command: string) => `pmo.admin.${platform}.${command}`,
  alert: (severity: string) => `pmo.alert.${severity}`,
  alertsAll: "pmo.alert.>",
} as const;

export const Consumer = {
  /** Orchestrator replicas share these two durables, so each message is handled by one replica. */
  orchestratorRequests: "orchestrator-requests",
  orchestratorResults: "orchestrator-results",
  /** One durable per agent, shared by its replicas. */
  agent: (agent: Agent) => `${agent}-agent`,
} as const;

/** Service names as deployed (process, container, NATS user). */
export const serviceName = (agent: Agent) => `${agent}-agent`;

import { DeliverPolicy } from "@nats-io/jetstream";
import { Consumer, Stream, Subjects } from "@pmo/contracts";
import { ConfigFiles, ensureConsumer, loadConfigFile, type Component, type ServiceKit } from "@pmo/runtime";
import { ArtifactReader } from "./artifact-reader.js";
import { Executor } from "./executor.js";
import { RequestIntake } from "./request-intake.js";
import { ResultIntake } from "./result-intake.js";
import { Timers } from "./timers.js";
import { WorkflowStore } from "./workflow-store.js";
import { Workspace } from "./workspace.js";

/** @default 60 s: an un-acked request or result is redelivered to another replica after this. */
const INTAKE_ACK_WAIT_MS = 60_000;

/** Builds the orchestrator's components on a started service kit. */
export async function buildOrchestrator(kit: ServiceKit): Promise<Component[]> {
  const configDir = kit.env.PMO_CONFIG_DIR;
  const projects = await loadConfigFile(configDir, ConfigFiles.projects);
  const policy = await loadConfigFile(configDir, ConfigFiles.workflow);
  const { jsm, kv } = kit.topology;
  await ensureConsumer(jsm, Stream.Workflows, Consumer.orchestratorRequests, Subjects.workflowRequest, { ackWaitMs: INTAKE_ACK_WAIT_MS, maxDeliver: 10, deliverPolicy: DeliverPolicy.All });
  await ensureConsumer(jsm, Stream.Results, Consumer.orchestratorResults, Subjects.resultsAll, { ackWaitMs: INTAKE_ACK_WAIT_MS, maxDeliver: 50 });

  const workspace = new Workspace(kit.env.PMO_WORKSPACE_DIR);
  const store = new WorkflowStore(kv.Workflows);
  const reader = new ArtifactReader(jsm, kit.artifacts);
  const executor = new Executor({ nc: kit.nc, store, workspace, artifacts: kit.artifacts, reader, log: kit.log, instance: kit.instance, policy });
  const timers = new Timers(store, executor, policy, kit.log);
  const requests = new RequestIntake({ nc: kit.nc, store, ledger: kv.Ledger, executor, workspace, projects, log: kit.log });
  const results = new ResultIntake({ nc: kit.nc, store, executor, workspace, artifacts: reader, log: kit.log });
  kit.health.addCheck("workflows", () => ({ ok: true, detail: { active: timers.activeCount } }));
  kit.log.info({ projects: Object.keys(projects.projects), workspace: workspace.root, retry: policy.retry }, "orchestrator configured");

  const drain: Component = { name: "executor", start: async () => undefined, stop: () => executor.idle() };
  // Started in order, stopped in reverse: intakes stop first, then in-flight local work drains.
  return [drain, timers, results, requests];
}

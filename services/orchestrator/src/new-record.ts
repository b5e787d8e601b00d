import type { GlobalState, PhaseState, WorkflowRequest } from "@pmo/contracts";
import type { ProjectConfig } from "@pmo/runtime";
import { RECORD_VERSION, type WorkflowRecord } from "./record.js";

const pending = (): PhaseState => ({ status: "pending", output: null, timestamp: null });

/** The record a workflow starts with: every phase pending, phase 0 about to start. */
export function newRecord(args: { workflowId: string; requestId: string; request: WorkflowRequest; project: ProjectConfig; now: number }): WorkflowRecord {
  const { workflowId, requestId, request, project, now } = args;
  const state: GlobalState = {
    workflowId,
    action: request.action,
    platforms: [...request.platforms],
    status: "in_progress",
    createdAt: new Date(now).toISOString(),
    author: request.author ?? "pmo",
    phases: {
      initialization: pending(),
      discovery: { ...pending(), agents: Object.fromEntries(request.platforms.map((p) => [p, pending()])) },
      analysis: pending(),
      actions: { ...pending(), subphases: {} },
      synchronization: pending(),
      reporting: pending(),
    },
    metadata: {
      executionTime: 0,
      platformsData: {},
      metrics: { tasksCreated: 0, tasksUpdated: 0, tasksCompleted: 0, reportsGenerated: 0, monitoringEventsProcessed: 0 },
      errors: [],
    },
  };
  return {
    version: RECORD_VERSION,
    requestId,
    request,
    project,
    state,
    engine: {
      phase: "initialization",
      phaseStartedAt: {},
      phaseDeadlineAt: null,
      tasks: {},
      nextJob: 1,
      platformHealth: Object.fromEntries(request.platforms.map((p) => [p, "ok"])),
      local: null,
      nextEvent: 1,
      createdAtMs: now,
      finishedAtMs: null,
    },
  };
}

import { JobOp, type Phase, type Platform } from "@pmo/contracts";
import type { TaskRecord, WorkflowRecord } from "./record.js";
import { reportPath } from "./report-names.js";

export type TaskSpec = Pick<TaskRecord, "key" | "phase" | "agent" | "op" | "platform" | "subphase" | "input" | "requiredOutputs" | "dependsOn">;

/** Platforms still in the running (not dropped after a failed verify or collect). */
export function healthyPlatforms(record: WorkflowRecord): Platform[] {
  return record.request.platforms.filter((p) => record.engine.platformHealth[p] !== "error");
}

/** Phases whose work is the orchestrator's own (no agent jobs). */
export const LOCAL_PHASES: ReadonlySet<Phase> = new Set<Phase>(["synchronization", "reporting"]);

/** The agent work a phase needs, decided from the request and what earlier phases left. */
export function planPhase(phase: Phase, record: WorkflowRecord): TaskSpec[] {
  const { request, project } = record;
  const platforms = healthyPlatforms(record);
  const base = { phase, subphase: null, dependsOn: [] as string[] };
  switch (phase) {
    case "initialization":
      return platforms.map((p) => ({
        ...base,
        key: `initialization/${p}/verify`,
        agent: p,
        op: JobOp.Verify,
        platform: p,
        input: { platform: p, containers: project[p] ?? null },
        requiredOutputs: [],
      }));
    case "discovery":
      return platforms.map((p) => ({
        ...base,
        key: `discovery/${p}/collect`,
        agent: p,
        op: JobOp.Collect,
        platform: p,
        input: { platform: p, containers: project[p] ?? null, outputPath: `data/${p}-collected.json`, eventsPath: `monitoring/${p}-events.json` },
        requiredOutputs: [`data/${p}-collected.json`],
      }));
    case "analysis":
      return [
        {
          ...base,
          key: "analysis/report/analyze",
          agent: "report",
          op: JobOp.Analyze,
          platform: null,
          input: {
            platforms,
            collected: platforms.map((p) => `data/${p}-collected.json`),
            reportType: request.parameters.reportType ?? null,
            sprint: request.parameters.sprint ?? null,
          },
          requiredOutputs: [...platforms.map((p) => `analysis/${p}-analytics.json`), "analysis/patterns.json", "analysis/insights.json"],
        },
      ];
    case "actions":
      return planActions(record, platforms);
    case "synchronization":
    case "reporting":
      return [];
  }
}

function planActions(record: WorkflowRecord, platforms: Platform[]): TaskSpec[] {
  const { request } = record;
  const p = request.parameters;
  const base = { phase: "actions" as const, dependsOn: [] as string[] };
  const analysis = ["analysis/patterns.json", "analysis/insights.json", ...platforms.map((x) => `analysis/${x}-analytics.json`)];
  switch (request.action) {
    case "report": {
      const at = new Date(record.engine.createdAtMs);
      const formats = p.formats ?? ["markdown"];
      return formats.map((format) => {
        const outputPath = reportPath(p.reportType!, format, at, p.sprint);
        return {
          ...base,
          key: `actions/report/render/${p.reportType}.${format}`,
          agent: "report",
          op: JobOp.Render,
          platform: null,
          subphase: `report:${p.reportType}.${format}`,
          input: { reportType: p.reportType, format, sprint: p.sprint ?? null, outputPath, analysis, collected: platforms.map((x) => `data/${x}-collected.json`) },
          requiredOutputs: [outputPath],
        };
      });
    }
    case "monitor":
      return [
        {
          ...base,
          key: "actions/alert/monitor",
          agent: "alert",
          op: JobOp.Monitor,
          platform: null,
          subphase: "monitoring",
          input: { platforms, analysis, dashboardPath: "monitoring/dashboard.html" },
          requiredOutputs: ["monitoring/dashboard.html"],
        },
      ];
    case "manage":
      return platforms.map((platform) => {
        const ops = (p.operations ?? [{ op: "create" as const, title: p.title!, description: p.description, assignee: p.assignee, priority: p.priority, container: p.listId }])
          // An operation naming no platform applies to each requested platform (validation allows that only for creates).
          .filter((op) => (op.platform ?? platform) === platform);
        return {
          ...base,
          key: `actions/${platform}/manage`,
          agent: platform,
          op: JobOp.Manage,
          platform,
          subphase: `manage:${platform}`,
          input: { platform, operations: ops, dryRun: p.dryRun ?? false, containers: record.project[platform] ?? null },
          requiredOutputs: [],
        };
      });
    case "sync":
      return [
        {
          ...base,
          key: "actions/sync/plan",
          agent: "sync",
          op: JobOp.SyncPlan,
          platform: null,
          subphase: "sync-plan",
          input: { platforms, collected: platforms.map((x) => `data/${x}-collected.json`), planPath: "sync/plan.json", dryRun: p.dryRun ?? false },
          requiredOutputs: ["sync/plan.json"],
        },
        {
          ...base,
          key: "actions/sync/apply",
          agent: "sync",
          op: JobOp.SyncApply,
          platform: null,
          subphase: "sync-apply",
          input: { platforms, planPath: "sync/plan.json", dryRun: p.dryRun ?? false },
          requiredOutputs: [],
          dependsOn: ["actions/sync/plan"],
        },
      ];
  }
}

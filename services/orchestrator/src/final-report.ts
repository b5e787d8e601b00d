import { PHASES, type ArtifactRef } from "@pmo/contracts";
import type { WorkflowRecord } from "./record.js";

const cell = (v: unknown) => String(v ?? "").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "–";
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** `reports/final-report.md`: what ran, how long each phase took, per-platform counts, errors and retries, artifacts. */
export function renderFinalReport(record: WorkflowRecord, artifacts: ArtifactRef[], endedAt: number): string {
  const { state, engine, request } = record;
  const failed = request.platforms.filter((p) => engine.platformHealth[p] === "error");
  const status = state.status === "error" ? "error" : failed.length ? `complete, without ${failed.join(", ")}` : "complete";
  const lines: string[] = [
    `# Final report — ${state.workflowId}`,
    "",
    `- **Status:** ${status}`,
    `- **Action:** ${state.action} on project \`${request.project}\``,
    `- **Platforms:** ${state.platforms.join(", ")}`,
    `- **Requested by:** ${cell(state.author)} (request \`${cell(record.requestId)}\`)`,
    `- **Started:** ${state.createdAt}; **ended:** ${new Date(endedAt).toISOString()}; **took:** ${duration(endedAt - engine.createdAtMs)}`,
    "",
    "## Headline numbers",
    "",
    "| metric | value |",
    "|---|---|",
    ...Object.entries(state.metadata.metrics).map(([k, v]) => `| ${cell(k)} | ${cell(v)} |`),
    "",
    "## Phases",
    "",
    "| phase | status | took |",
    "|---|---|---|",
  ];
  PHASES.forEach((phase, i) => {
    const started = engine.phaseStartedAt[phase] ?? null;
    const nextStart = PHASES.slice(i + 1).map((p) => engine.phaseStartedAt[p]).find((x) => x !== undefined) ?? null;
    const end = nextStart ?? (started !== null ? endedAt : null);
    lines.push(`| ${phase} | ${state.phases[phase].status} | ${duration(started !== null && end !== null ? end - started : null)} |`);
  });
  lines.push("", "## Platforms", "", "| platform | status | collected |", "|---|---|---|");
  for (const p of request.platforms) {
    const data = state.metadata.platformsData[p] as Record<string, unknown> | undefined;
    const counts = data ? Object.entries(data).filter(([, v]) => typeof v === "number").map(([k, v]) => `${k}: ${v}`).join(", ") : "–";
    lines.push(`| ${p} | ${engine.platformHealth[p] === "error" ? "error" : state.phases.discovery.agents[p]?.status ?? "pending"} | ${cell(counts)} |`);
  }
  const tasks = Object.values(engine.tasks);
  lines.push("", "## Jobs", "", "| task | agent | attempts | outcome |", "|---|---|---|---|");
  for (const t of tasks) lines.push(`| ${cell(t.key)} | ${t.agent}-agent | ${t.attempt} | ${t.status}${t.lastError && t.status !== "succeeded" ? `: ${cell(t.lastError.message)}` : ""} |`);
  const errors = state.metadata.errors;
  lines.push("", `## Errors and retries (${errors.length})`, "");
  if (errors.length === 0) lines.push("None.");
  else {
    lines.push("| when | phase | attempt | message |", "|---|---|---|---|");
    for (const e of errors) lines.push(`| ${e.timestamp} | ${e.phase} | ${e.attempt} | ${cell(e.message)} |`);
  }
  lines.push("", `## Artifacts (${artifacts.length})`, "", "| path | bytes |", "|---|---|");
  for (const a of artifacts) lines.push(`| ${cell(a.path)} | ${a.size} |`);
  lines.push("");
  return lines.join("\n");
}

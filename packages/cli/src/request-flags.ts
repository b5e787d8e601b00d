import { randomUUID } from "node:crypto";
import { userInfo } from "node:os";
import { parseWorkflowRequest, type WorkflowRequest } from "@pmo/contracts";
import { UsageError } from "./connection.js";

/** The seed's `pmo run` flags, as node:util parseArgs options. */
export const RUN_FLAGS = {
  action: { type: "string" },
  platforms: { type: "string", multiple: true },
  project: { type: "string" },
  "report-type": { type: "string" },
  format: { type: "string", multiple: true },
  "list-id": { type: "string" },
  assignee: { type: "string" },
  priority: { type: "string" },
  title: { type: "string" },
  description: { type: "string" },
  sprint: { type: "string" },
  "dry-run": { type: "boolean" },
  "request-id": { type: "string" },
  author: { type: "string" },
  wait: { type: "boolean" },
  json: { type: "boolean" },
  timeout: { type: "string" },
} as const;

export type RunFlags = { [K in keyof typeof RUN_FLAGS]?: (typeof RUN_FLAGS)[K] extends { multiple: true } ? string[] : (typeof RUN_FLAGS)[K] extends { type: "boolean" } ? boolean : string };

/** `--format markdown,html --format pdf` → ["markdown","html","pdf"]. */
const list = (values: string[] | undefined) => values?.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);

/** Builds the request and validates it with the same schema the orchestrator uses; errors name the field. */
export function requestFromFlags(flags: RunFlags): WorkflowRequest {
  const parameters: Record<string, unknown> = {};
  const set = (key: string, v: unknown) => v !== undefined && (parameters[key] = v);
  set("reportType", flags["report-type"]);
  set("formats", list(flags.format));
  set("listId", flags["list-id"]);
  set("assignee", flags.assignee);
  set("priority", flags.priority);
  set("title", flags.title);
  set("description", flags.description);
  set("sprint", flags.sprint);
  set("dryRun", flags["dry-run"]);
  const raw = {
    action: flags.action,
    platforms: list(flags.platforms),
    project: flags.project,
    requestId: flags["request-id"] ?? `cli-${randomUUID()}`,
    author: flags.author ?? safeUser(),
    parameters,
  };
  const verdict = parseWorkflowRequest(JSON.stringify(raw));
  if (!verdict.ok) throw new UsageError(`invalid request:\n  - ${verdict.errors.map(toFlagNames).join("\n  - ")}`);
  return verdict.request;
}

/** Error paths speak of request fields; on the command line, name the flag too. */
function toFlagNames(error: string): string {
  const map: Record<string, string> = { "parameters.reportType": "--report-type", "parameters.formats": "--format", "parameters.title": "--title", platforms: "--platforms", action: "--action", project: "--project", "parameters.priority": "--priority" };
  const key = Object.keys(map).find((k) => error.startsWith(`${k}:`) || error.startsWith(`${k}.`));
  return key ? `${error} (${map[key]})` : error;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "pmo";
  }
}
